/**
 * The AWS Query protocol (STS; later ELBv2 and IAM): `POST /` with a form body `Action=…&Version=…` (or a GET query),
 * lists as `Name.member.N`, maps as `Name.entry.N.key`/`.value`, driven by a vendored model (model/sts.json). The
 * parameters become a plain object that is then checked against the input shape like a JSON request
 * (protocol/aws-json: lengths, ranges, enums, patterns, required members), and answers are
 * `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`. Errors
 * are `<ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 *
 * Parsing is iterative over the flat parameter list (no recursion on request-controlled depth): a name is walked
 * part by part through the model's shapes, so its depth is bounded by the model's.
 */
import { err } from "../../domain/errors.js";
import { escapeXml } from "../ec2-query/render.js";
import { checkShape, type JsonModel, type JsonShapeDef, type ShapeCheckOptions } from "../aws-json/json.js";

/** Parameters the protocol itself consumes. */
const PROTOCOL_PARAMS = new Set([
  "Action",
  "Version",
  "AWSAccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "Timestamp",
  "Expires",
  "SecurityToken",
]);

const lowerFirst = (s: string): string => (s ? s[0]!.toLowerCase() + s.slice(1) : s);

const shapeOf = (model: JsonModel, name: string): JsonShapeDef => {
  const s = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  if (!s) throw new Error(`shape ${name} not vendored`);
  return s;
};

/** A scalar's typed value (Query sends everything as text). */
const scalar = (s: JsonShapeDef, raw: string, name: string): unknown => {
  switch (s.type) {
    case "integer":
    case "long":
      if (!/^-?\d{1,15}$/.test(raw)) throw err.queryInvalidValue(name, raw, "an integer");
      return Number(raw);
    case "double":
      if (raw.trim() === "" || Number.isNaN(Number(raw))) throw err.queryInvalidValue(name, raw, "a number");
      return Number(raw);
    case "boolean":
      if (raw !== "true" && raw !== "false") throw err.queryInvalidValue(name, raw, "true or false");
      return raw === "true";
    default:
      return raw;
  }
};

/**
 * Parses Query parameters into the input shape's plain object and validates it. An unknown parameter is refused
 * (`InvalidParameterValue`, never ignored); a value of the wrong type or a broken constraint is a `ValidationError`.
 */
export const parseQueryInput = (
  model: JsonModel,
  inputShape: string | undefined,
  params: readonly (readonly [string, string])[],
): Record<string, unknown> => {
  const root: Record<string, unknown> = {};
  for (const [key, raw] of params) {
    if (PROTOCOL_PARAMS.has(key) || key.startsWith("X-Amz-")) continue;
    if (!inputShape) throw err.queryUnknownParameter(key);
    const parts = key.split(".");
    let shape = shapeOf(model, inputShape);
    let container: Record<string, unknown> | unknown[] = root;
    let slot: string | number | undefined;
    let i = 0;
    const fail = (): never => {
      throw err.queryUnknownParameter(key);
    };
    // Walk the name: each step consumes one or two parts and descends one shape.
    while (i < parts.length) {
      const part = parts[i]!;
      if (shape.type === "structure") {
        const entry = Object.entries(shape.members ?? {}).find(([m, d]) => (d.locationName ?? m) === part);
        if (!entry) fail();
        const [member, def] = entry!;
        const next = shapeOf(model, def.shape);
        const obj = (slot === undefined ? container : descend(container, slot, "object")) as Record<string, unknown>;
        container = obj;
        slot = member;
        shape = next;
        i += 1;
      } else if (shape.type === "list") {
        // `Name.member.N` (or `Name.N` when flattened).
        if (!shape.flattened) {
          if (part !== (shape.member?.locationName ?? "member")) fail();
          i += 1;
        }
        const index = parts[i];
        if (index === undefined || !/^[1-9]\d{0,3}$/.test(index)) fail();
        const arr = descend(container, slot!, "array") as unknown[];
        container = arr;
        slot = Number(index) - 1;
        shape = shapeOf(model, shape.member!.shape);
        i += 1;
      } else if (shape.type === "map") {
        // `Name.entry.N.key` / `Name.entry.N.value`: collected as [key, value] pairs, turned into an object below.
        if (part !== "entry") fail();
        const index = parts[i + 1];
        const which = parts[i + 2];
        if (index === undefined || !/^[1-9]\d{0,3}$/.test(index) || (which !== "key" && which !== "value") || i + 3 !== parts.length)
          fail();
        const arr = descend(container, slot!, "array") as [unknown, unknown][];
        const pair = (arr[Number(index) - 1] ??= [undefined, undefined]);
        pair[which === "key" ? 0 : 1] = raw;
        container = arr;
        slot = undefined;
        i = parts.length;
      } else {
        fail();
      }
    }
    if (slot === undefined) continue; // a map entry, already stored
    if (shape.type === "structure" || shape.type === "list" || shape.type === "map") {
      // An empty list may arrive as `Name=`; anything else naming a container is not a parameter.
      if (shape.type === "list" && raw === "") {
        descend(container, slot, "array");
        continue;
      }
      fail();
    }
    (container as Record<string | number, unknown>)[slot] = scalar(shape, raw, lowerFirst(String(slot)));
  }
  if (!inputShape) return {};
  const value = normalize(model, inputShape, root) as Record<string, unknown>;
  checkShape(model, inputShape, value, QUERY_CHECK);
  return value;
};

/** The object or array at `container[slot]`, created when absent; a scalar already there is a clash. */
const descend = (container: Record<string, unknown> | unknown[], slot: string | number, kind: "object" | "array"): unknown => {
  const c = container as Record<string | number, unknown>;
  const have = c[slot];
  if (have === undefined) {
    const made = kind === "array" ? [] : {};
    c[slot] = made;
    return made;
  }
  if (kind === "array" ? !Array.isArray(have) : typeof have !== "object" || have === null || Array.isArray(have)) {
    throw err.queryUnknownParameter(String(slot));
  }
  return have;
};

/** Lists lose their holes (`.member.1` and `.member.3` → two items), maps become objects. Bounded by the model's depth. */
const normalize = (model: JsonModel, shapeName: string, value: unknown): unknown => {
  const s = shapeOf(model, shapeName);
  if (s.type === "structure" && value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(model, s.members![k]!.shape, v);
    return out;
  }
  if (s.type === "list" && Array.isArray(value))
    return value.filter((v) => v !== undefined).map((v) => normalize(model, s.member!.shape, v));
  if (s.type === "map" && Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const pair of value as ([unknown, unknown] | undefined)[]) {
      if (pair && typeof pair[0] === "string") out[pair[0]] = pair[1];
    }
    return out;
  }
  return value;
};

const QUERY_CHECK: ShapeCheckOptions = {
  memberName: lowerFirst,
  serialization: (message) => err.queryValidation(message),
  validation: (message) => err.queryValidation(message),
};

// --- rendering ---

const timestamp = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

const writeValue = (model: JsonModel, shapeName: string, value: unknown): string => {
  const s = shapeOf(model, shapeName);
  switch (s.type) {
    case "structure": {
      let out = "";
      const obj = value as Record<string, unknown>;
      for (const [m, def] of Object.entries(s.members ?? {})) {
        const v = obj[m];
        if (v === undefined || v === null) continue;
        const el = def.locationName ?? m;
        out += `<${el}>${writeValue(model, def.shape, v)}</${el}>`;
      }
      return out;
    }
    case "list": {
      const el = s.member?.locationName ?? "member";
      return (value as unknown[]).map((v) => `<${el}>${writeValue(model, s.member!.shape, v)}</${el}>`).join("");
    }
    case "map":
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${writeValue(model, s.value!.shape, v)}</value></entry>`)
        .join("");
    case "timestamp":
      return timestamp(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      return escapeXml(String(value));
  }
};

export const renderQuerySuccess = (model: JsonModel, operation: string, value: unknown, requestId: string): string => {
  const op = model.operations[operation];
  const ns = model.metadata.xmlNamespace ? ` xmlns="${model.metadata.xmlNamespace}"` : "";
  const result = op?.output ? writeValue(model, op.output, value ?? {}) : "";
  const wrapper = op?.resultWrapper;
  const inner = wrapper ? `<${wrapper}>${result}</${wrapper}>` : result;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response${ns}>${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
};

/** The Query protocol's error envelope; `Type` is Sender for 4xx and Receiver for 5xx, as AWS sends. */
export const renderQueryError = (code: string, message: string, status: number, requestId: string, xmlNamespace?: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse${xmlNamespace ? ` xmlns="${xmlNamespace}"` : ""}><Error><Type>${
    status >= 500 ? "Receiver" : "Sender"
  }</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
