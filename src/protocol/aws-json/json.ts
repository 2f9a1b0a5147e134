/**
 * The AWS JSON 1.0/1.1 protocols (`POST /`, `X-Amz-Target: <TargetPrefix>.<Operation>`, `content-type:
 * application/x-amz-json-1.x`), driven by a vendored model (model/logs.json for CloudWatch Logs). Requests are checked
 * against the operation's input shape: JSON types (a mismatch is a SerializationException), then required members,
 * lengths, ranges, enums and patterns, reported as AWS reports them ("1 validation error detected: Value … at '…'
 * failed to satisfy constraint: …"). A member the shape does not have is refused, never ignored. Errors are
 * `{"__type": code, "message": …}`.
 */
import { readFileSync } from "node:fs";
import { err, type Ec2Error } from "../../domain/errors.js";

export interface JsonShapeDef {
  readonly type: "structure" | "list" | "map" | "string" | "integer" | "long" | "double" | "boolean" | "timestamp" | "blob";
  readonly members?: Readonly<Record<string, { readonly shape: string; readonly locationName?: string }>>;
  readonly member?: { readonly shape: string; readonly locationName?: string };
  /** Query protocol: the list's items are repeated without a wrapper element. */
  readonly flattened?: boolean;
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
}
export interface JsonOperationDef {
  readonly input?: string;
  readonly output?: string;
  /** Query protocol: the element that wraps the output (`<AssumeRoleResult>`). */
  readonly resultWrapper?: string;
  readonly errors?: readonly string[];
}
export interface JsonModel {
  readonly metadata: {
    readonly apiVersion: string;
    readonly targetPrefix?: string;
    readonly jsonVersion?: string;
    readonly xmlNamespace?: string;
  };
  readonly operations: Readonly<Record<string, JsonOperationDef>>;
  readonly shapes: Readonly<Record<string, JsonShapeDef>>;
}

const models = new Map<string, JsonModel>();
/**
 * Loads a vendored model (`model/<file>`) once: it sits three levels above this file when run from src/, four from
 * dist/src/.
 */
export const loadJsonModel = (file: string): JsonModel => {
  let m = models.get(file);
  if (!m) {
    for (const c of [new URL(`../../../model/${file}`, import.meta.url), new URL(`../../../../model/${file}`, import.meta.url)]) {
      try {
        m = JSON.parse(readFileSync(c, "utf8")) as JsonModel;
        break;
      } catch {
        // try the next layout
      }
    }
    if (!m) throw new Error(`model/${file} not found`);
    models.set(file, m);
  }
  return m;
};

/** The operation named by an `X-Amz-Target: <prefix>.<Operation>` header, or undefined for another prefix. */
export const targetOperation = (prefix: string, target: string | undefined): string | undefined =>
  target?.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : undefined;

const describeValue = (v: unknown): string =>
  v === null || v === undefined ? "null" : typeof v === "string" ? `'${v}'` : `'${JSON.stringify(v)}'`;

export interface ShapeCheckOptions {
  /** How a member appears in a constraint message's path (JSON: as named; query: lower camel case). */
  readonly memberName: (name: string) => string;
  /** A value of the wrong JSON type, or an unknown member. */
  readonly serialization: (message: string) => Ec2Error;
  /** Constraint failures, all of them, in AWS's "N validation errors detected: …" form. */
  readonly validation: (message: string) => Ec2Error;
}

/**
 * Checks a plain value against a model shape as AWS's JSON and query front ends do: types first (a mismatch throws
 * `serialization`), then required members, lengths, ranges, enums and patterns, all reported together (`validation`).
 */
export const checkShape = (model: JsonModel, inputShape: string, value: unknown, o: ShapeCheckOptions): void => {
  const problems: string[] = [];
  const check = (shapeName: string, v: unknown, path: string): void => {
    const s = model.shapes[shapeName];
    if (!s) throw new Error(`shape ${shapeName} not vendored`);
    const fail = (constraint: string): void => {
      problems.push(`Value ${describeValue(v)} at '${path}' failed to satisfy constraint: ${constraint}`);
    };
    switch (s.type) {
      case "structure": {
        if (typeof v !== "object" || v === null || Array.isArray(v)) throw o.serialization(`Expected an object at '${path || "body"}'.`); // unverified
        const obj = v as Record<string, unknown>;
        for (const k of Object.keys(obj)) {
          if (!s.members || !Object.hasOwn(s.members, k)) throw o.serialization(`Unrecognized field "${k}"${path ? ` in '${path}'` : ""}.`); // unverified
        }
        for (const r of s.required ?? []) {
          if (obj[r] === undefined || obj[r] === null)
            problems.push(
              `Value null at '${path ? `${path}.` : ""}${o.memberName(r)}' failed to satisfy constraint: Member must not be null`,
            );
        }
        for (const [k, m] of Object.entries(s.members ?? {})) {
          if (obj[k] !== undefined && obj[k] !== null) check(m.shape, obj[k], path ? `${path}.${o.memberName(k)}` : o.memberName(k));
        }
        return;
      }
      case "list": {
        if (!Array.isArray(v)) throw o.serialization(`Expected a list at '${path}'.`); // unverified
        if (s.min !== undefined && v.length < s.min) fail(`Member must have length greater than or equal to ${s.min}`);
        if (s.max !== undefined && v.length > s.max) fail(`Member must have length less than or equal to ${s.max}`);
        v.forEach((item, i) => check(s.member!.shape, item, `${path}.${i + 1}.member`));
        return;
      }
      case "map": {
        if (typeof v !== "object" || v === null || Array.isArray(v)) throw o.serialization(`Expected a map at '${path}'.`); // unverified
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          check(s.key!.shape, k, `${path}.key`);
          check(s.value!.shape, item, `${path}.${k}`);
        }
        return;
      }
      case "string": {
        if (typeof v !== "string") throw o.serialization(`Expected a string at '${path}'.`); // unverified
        if (s.min !== undefined && v.length < s.min) fail(`Member must have length greater than or equal to ${s.min}`);
        if (s.max !== undefined && v.length > s.max) fail(`Member must have length less than or equal to ${s.max}`);
        if (s.enum && !s.enum.includes(v)) fail(`Member must satisfy enum value set: [${s.enum.join(", ")}]`);
        // Unicode property escapes (`\p{L}`, ELBv2 tag keys) mean something only under the `u` flag.
        if (s.pattern && !new RegExp(`^(?:${s.pattern})$`, s.pattern.includes("\\p{") ? "u" : "").test(v))
          fail(`Member must satisfy regular expression pattern: ${s.pattern}`);
        return;
      }
      case "integer":
      case "long":
      case "timestamp": {
        if (typeof v !== "number" || !Number.isInteger(v)) throw o.serialization(`Expected an integer at '${path}'.`); // unverified
        if (s.min !== undefined && v < s.min) fail(`Member must have value greater than or equal to ${s.min}`);
        if (s.max !== undefined && v > s.max) fail(`Member must have value less than or equal to ${s.max}`);
        return;
      }
      case "double":
        if (typeof v !== "number") throw o.serialization(`Expected a number at '${path}'.`); // unverified
        return;
      case "boolean":
        if (typeof v !== "boolean") throw o.serialization(`Expected a boolean at '${path}'.`); // unverified
        return;
      default:
        return;
    }
  };
  check(inputShape, value, "");
  if (problems.length > 0) {
    throw o.validation(`${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`);
  }
};

const JSON_CHECK: ShapeCheckOptions = {
  memberName: (name) => name,
  serialization: (message) => err.logsSerialization(message),
  validation: (message) => err.logsValidation(message),
};

/**
 * Parses and validates a request body for an operation's input shape; returns the plain object. Throws
 * SerializationException for malformed JSON or a wrong JSON type, InvalidParameterException for constraint failures.
 */
export const parseJsonInput = (model: JsonModel, inputShape: string | undefined, body: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = body.trim() === "" ? {} : (JSON.parse(body) as unknown);
  } catch {
    throw err.logsSerialization("The request body is not valid JSON."); // unverified
  }
  if (!inputShape) return {};
  checkShape(model, inputShape, value, JSON_CHECK);
  return value as Record<string, unknown>;
};

/** The JSON error body AWS JSON protocols answer with. */
export const renderJsonError = (code: string, message: string): string => JSON.stringify({ __type: code, message });
