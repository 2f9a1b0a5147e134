/**
 * REST-JSON request binding: an operation's input object from the URI labels, the query string, the headers and the
 * body, each member read from where the model's `location` puts it (a structure's `payload` member is the whole body:
 * a blob as the raw text, a structure as JSON). Values from the URI, query and headers are converted to the member's
 * type; then the whole input is validated as the JSON protocols validate (aws-json's `checkShape`: types, required,
 * lengths, ranges, enums, patterns), so a REST service reports constraints in AWS's "N validation errors detected"
 * form. A body member the shape does not have is refused, never ignored.
 *
 * Hostile bodies: nesting is bounded before `JSON.parse` (a linear scan), and the validator recurses only along the
 * model's shapes, so neither depth nor size can blow the stack. The body size itself is capped by the server.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { checkShape } from "../aws-json/json.js";
import type { RestModel, RestShapeDef } from "./model.js";

/** The parts of a request the binding reads (the router already matched the labels). */
export interface RestRequest {
  readonly labels: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** How a service words protocol-level failures (the protocol layer knows no service's codes). */
export interface RestJsonErrors {
  /** A body that is not JSON, too deeply nested, or a value of the wrong type. */
  readonly serialization: (message: string) => Ec2Error;
  /** Constraint failures, all of them, in AWS's "N validation errors detected: …" form. */
  readonly validation: (message: string) => Ec2Error;
  /** How a member is named in a constraint message's path (Lambda: lower camel case). Default: as modelled. */
  readonly memberName?: (name: string) => string;
}

/** Deepest JSON nesting accepted; AWS's own limits are far below what a 4 MiB body could otherwise carry. */
export const MAX_JSON_DEPTH = 64;

/** The largest nesting depth of a JSON text, counted in one linear pass (brackets inside strings do not count). */
export const jsonDepth = (text: string): number => {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
};

const parseJsonBody = (body: string, errors: RestJsonErrors): unknown => {
  if (jsonDepth(body) > MAX_JSON_DEPTH) throw errors.serialization(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`); // localvpc's own
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw errors.serialization("Could not parse request body into json: the body is not valid JSON."); // unverified
  }
};

const headerValue = (headers: RestRequest["headers"], name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : undefined;
};

/** A URI/query/header string as the member's scalar type. */
const scalar = (model: RestModel, shapeName: string, raw: string, where: string, errors: RestJsonErrors): unknown => {
  const s = model.shapes[shapeName];
  switch (s?.type) {
    case "integer":
    case "long": {
      if (!/^-?\d{1,16}$/.test(raw)) throw errors.serialization(`Value '${raw}' at '${where}' is not a valid integer.`); // unverified
      return Number(raw);
    }
    case "double": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw errors.serialization(`Value '${raw}' at '${where}' is not a valid number.`); // unverified
      return n;
    }
    case "boolean": {
      if (raw !== "true" && raw !== "false") throw errors.serialization(`Value '${raw}' at '${where}' is not a valid boolean.`); // unverified
      return raw === "true";
    }
    default:
      return raw;
  }
};

/**
 * Binds and validates an operation's input. Returns the input as a plain object keyed by the model's member names
 * (PascalCase for AWS's services); a blob payload is the raw body text.
 */
export const parseRestInput = (
  model: RestModel,
  inputShape: string | undefined,
  req: RestRequest,
  errors: RestJsonErrors,
): Record<string, unknown> => {
  if (!inputShape) return {};
  const shape: RestShapeDef | undefined = model.shapes[inputShape];
  if (!shape || shape.type !== "structure") throw new Error(`input shape ${inputShape} not vendored`);
  const input: Record<string, unknown> = {};
  const bodyMembers = new Set<string>();
  const bound = new Set<string>();
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const wire = m.locationName ?? name;
    switch (m.location) {
      case "uri": {
        const v = req.labels[wire];
        if (v !== undefined) input[name] = scalar(model, m.shape, v, wire, errors);
        break;
      }
      case "querystring": {
        const target = model.shapes[m.shape];
        if (target?.type === "list") {
          const all = req.query.getAll(wire);
          if (all.length > 0) input[name] = all.map((v) => scalar(model, target.member!.shape, v, wire, errors));
        } else if (target?.type === "map") {
          // A map bound to the query string takes every parameter no other member names.
          const map: Record<string, string> = {};
          for (const [k, v] of req.query) if (!bound.has(k)) map[k] = v;
          if (Object.keys(map).length > 0) input[name] = map;
        } else {
          const v = req.query.get(wire);
          if (v !== null) input[name] = scalar(model, m.shape, v, wire, errors);
        }
        bound.add(wire);
        break;
      }
      case "header": {
        const v = headerValue(req.headers, wire);
        if (v !== undefined) input[name] = scalar(model, m.shape, v, wire, errors);
        break;
      }
      case "headers": {
        const prefix = wire.toLowerCase();
        const map: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (k.startsWith(prefix) && typeof v === "string") map[k.slice(prefix.length)] = v;
        }
        if (Object.keys(map).length > 0) input[name] = map;
        break;
      }
      case "statusCode":
        break;
      default:
        if (shape.payload === undefined) bodyMembers.add(name);
    }
  }
  if (shape.payload !== undefined) {
    const p = shape.members?.[shape.payload];
    const target = p ? model.shapes[p.shape] : undefined;
    if (target?.type === "structure") {
      if (req.body.trim() !== "") input[shape.payload] = parseJsonBody(req.body, errors);
    } else if (req.body !== "") {
      // A blob or string payload is the body itself, byte for byte (Invoke's event).
      input[shape.payload] = req.body;
    }
  } else if (bodyMembers.size > 0 && req.body.trim() !== "") {
    const parsed = parseJsonBody(req.body, errors);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw errors.serialization("Expected a JSON object as the request body."); // unverified
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (!bodyMembers.has(k)) throw errors.serialization(`Unrecognized field "${k}".`); // unverified
      if (v !== null) input[k] = v;
    }
  }
  checkShape(model, inputShape, input, {
    memberName: errors.memberName ?? ((n) => n),
    serialization: errors.serialization,
    validation: errors.validation,
  });
  return input;
};
