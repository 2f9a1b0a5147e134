/**
 * The CloudWatch Logs wire format: AWS JSON 1.1 (`POST /`, `X-Amz-Target: Logs_20140328.<Operation>`,
 * `content-type: application/x-amz-json-1.1`), driven by the vendored model subset model/logs.json
 * (scripts/gen-logs-model.mjs). Requests are checked against the operation's input shape: JSON types (a mismatch is
 * a SerializationException), then required members, lengths, ranges, enums and patterns, reported as AWS reports
 * them ("1 validation error detected: Value … at '…' failed to satisfy constraint: …"). A member the shape does not
 * have is refused, never ignored. Errors are `{"__type": code, "message": …}`.
 */
import { readFileSync } from "node:fs";
import { err } from "../domain/errors.js";

export interface LogsShapeDef {
  readonly type: "structure" | "list" | "map" | "string" | "integer" | "long" | "double" | "boolean" | "timestamp" | "blob";
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
}
export interface LogsOperationDef {
  readonly input?: string;
  readonly output?: string;
  readonly errors?: readonly string[];
}
export interface LogsModel {
  readonly metadata: { readonly apiVersion: string; readonly targetPrefix: string; readonly jsonVersion: string };
  readonly operations: Readonly<Record<string, LogsOperationDef>>;
  readonly shapes: Readonly<Record<string, LogsShapeDef>>;
}

let cached: LogsModel | undefined;
/** Loads model/logs.json once (two or three levels above this file, from src/ or dist/src/). */
export const logsModel = (): LogsModel => {
  if (!cached) {
    for (const c of [new URL("../../model/logs.json", import.meta.url), new URL("../../../model/logs.json", import.meta.url)]) {
      try {
        cached = JSON.parse(readFileSync(c, "utf8")) as LogsModel;
        break;
      } catch {
        // try the next layout
      }
    }
    if (!cached) throw new Error("model/logs.json not found");
  }
  return cached;
};

export const LOGS_TARGET_PREFIX = "Logs_20140328";
export const LOGS_CONTENT_TYPE = "application/x-amz-json-1.1";

/** The operation named by an `X-Amz-Target` header, or undefined when the header is not CloudWatch Logs'. */
export const logsOperationOf = (target: string | undefined): string | undefined =>
  target?.startsWith(`${LOGS_TARGET_PREFIX}.`) ? target.slice(LOGS_TARGET_PREFIX.length + 1) : undefined;

const describeValue = (v: unknown): string =>
  v === null || v === undefined ? "null" : typeof v === "string" ? `'${v}'` : `'${JSON.stringify(v)}'`;

/**
 * Parses and validates a request body for an operation's input shape; returns the plain object. Throws
 * SerializationException for malformed JSON or a wrong JSON type, InvalidParameterException for constraint failures.
 */
export const parseLogsInput = (inputShape: string | undefined, body: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = body.trim() === "" ? {} : (JSON.parse(body) as unknown);
  } catch {
    throw err.logsSerialization("The request body is not valid JSON."); // unverified
  }
  if (!inputShape) return {};
  const model = logsModel();
  const problems: string[] = [];
  const check = (shapeName: string, v: unknown, path: string): void => {
    const s = model.shapes[shapeName];
    if (!s) throw new Error(`logs shape ${shapeName} not vendored`);
    const fail = (constraint: string): void => {
      problems.push(`Value ${describeValue(v)} at '${path}' failed to satisfy constraint: ${constraint}`);
    };
    switch (s.type) {
      case "structure": {
        if (typeof v !== "object" || v === null || Array.isArray(v))
          throw err.logsSerialization(`Expected an object at '${path || "body"}'.`); // unverified
        const obj = v as Record<string, unknown>;
        for (const k of Object.keys(obj)) {
          if (!s.members?.[k]) throw err.logsSerialization(`Unrecognized field "${k}"${path ? ` in '${path}'` : ""}.`); // unverified
        }
        for (const r of s.required ?? []) {
          if (obj[r] === undefined || obj[r] === null)
            problems.push(`Value null at '${path ? `${path}.` : ""}${r}' failed to satisfy constraint: Member must not be null`);
        }
        for (const [k, m] of Object.entries(s.members ?? {})) {
          if (obj[k] !== undefined && obj[k] !== null) check(m.shape, obj[k], path ? `${path}.${k}` : k);
        }
        return;
      }
      case "list": {
        if (!Array.isArray(v)) throw err.logsSerialization(`Expected a list at '${path}'.`); // unverified
        if (s.min !== undefined && v.length < s.min) fail(`Member must have length greater than or equal to ${s.min}`);
        if (s.max !== undefined && v.length > s.max) fail(`Member must have length less than or equal to ${s.max}`);
        v.forEach((item, i) => check(s.member!.shape, item, `${path}.${i + 1}.member`));
        return;
      }
      case "map": {
        if (typeof v !== "object" || v === null || Array.isArray(v)) throw err.logsSerialization(`Expected a map at '${path}'.`); // unverified
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          check(s.key!.shape, k, `${path}.key`);
          check(s.value!.shape, item, `${path}.${k}`);
        }
        return;
      }
      case "string": {
        if (typeof v !== "string") throw err.logsSerialization(`Expected a string at '${path}'.`); // unverified
        if (s.min !== undefined && v.length < s.min) fail(`Member must have length greater than or equal to ${s.min}`);
        if (s.max !== undefined && v.length > s.max) fail(`Member must have length less than or equal to ${s.max}`);
        if (s.enum && !s.enum.includes(v)) fail(`Member must satisfy enum value set: [${s.enum.join(", ")}]`);
        if (s.pattern && !new RegExp(`^(?:${s.pattern})$`).test(v)) fail(`Member must satisfy regular expression pattern: ${s.pattern}`);
        return;
      }
      case "integer":
      case "long":
      case "timestamp": {
        if (typeof v !== "number" || !Number.isInteger(v)) throw err.logsSerialization(`Expected an integer at '${path}'.`); // unverified
        if (s.min !== undefined && v < s.min) fail(`Member must have value greater than or equal to ${s.min}`);
        if (s.max !== undefined && v > s.max) fail(`Member must have value less than or equal to ${s.max}`);
        return;
      }
      case "double":
        if (typeof v !== "number") throw err.logsSerialization(`Expected a number at '${path}'.`); // unverified
        return;
      case "boolean":
        if (typeof v !== "boolean") throw err.logsSerialization(`Expected a boolean at '${path}'.`); // unverified
        return;
      default:
        return;
    }
  };
  check(inputShape, value, "");
  if (problems.length > 0) {
    throw err.logsValidation(`${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`);
  }
  return value as Record<string, unknown>;
};

/** The JSON error body AWS JSON protocols answer with. */
export const renderLogsError = (code: string, message: string): string => JSON.stringify({ __type: code, message });
