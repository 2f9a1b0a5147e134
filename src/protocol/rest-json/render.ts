/**
 * REST-JSON answers. Success: the status from a `statusCode`-bound member or the operation's `http.responseCode`
 * (default 200); `header`/`headers` members as response headers; the `payload` member as the whole body (a blob as is)
 * or else every body member as one JSON object (an output with no body members and a 204 has an empty body).
 *
 * Errors: `{"Type": "User"|"Service", "<message member>": …}` with the `x-amzn-ErrorType` header naming the code, as
 * AWS's REST-JSON services answer. SDK v3 (`loadRestJsonErrorCode`) and botocore take the code from that header first
 * (then the body's `code`/`__type`), and the message from the body's `message` or `Message`; the error shape's own
 * member name is used (Lambda's ResourceNotFoundException has `Message`, most others `message`). The status is the
 * error shape's `error.httpStatusCode` (`errorStatus`), which a service's error constructors use.
 */
import type { RestModel } from "./model.js";

export interface RestRendered {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
}

export const REST_JSON_CONTENT_TYPE = "application/json";

/**
 * REST-JSON writes a `timestamp` shape in a body as epoch seconds (botocore/Smithy's default for the protocol): an
 * action may return a `Date` for one and it is written so. (Lambda's LastModified is a string shape, not a timestamp.)
 */
const stringify = (v: unknown): string =>
  JSON.stringify(v, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });

// A timestamp in a header is an HTTP date (RFC 7231), as the protocol writes it.
const headerText = (v: unknown): string =>
  typeof v === "string"
    ? v
    : v instanceof Date
      ? v.toUTCString()
      : typeof v === "number" || typeof v === "boolean"
        ? String(v)
        : JSON.stringify(v);

/**
 * Renders an operation's output value (PascalCase members, as the model names them). `blobContentType` is the content
 * type of a blob payload (Lambda's Invoke answers `application/json`).
 */
export const renderRestOutput = (
  model: RestModel,
  operation: string,
  value: unknown,
  o: { readonly blobContentType?: string } = {},
): RestRendered => {
  const op = model.operations[operation];
  const shape = op?.output ? model.shapes[op.output] : undefined;
  let status = op?.http?.responseCode ?? 200;
  const headers: Record<string, string> = {};
  const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (!shape) return { status, body: status === 204 ? "" : "{}", contentType: REST_JSON_CONTENT_TYPE, headers };
  const body: Record<string, unknown> = {};
  let bodyMembers = 0;
  for (const [name, m] of Object.entries(shape.members ?? {})) {
    const x = v[name];
    switch (m.location) {
      case "statusCode":
        if (typeof x === "number") status = x;
        break;
      case "header":
        if (x !== undefined && x !== null) headers[(m.locationName ?? name).toLowerCase()] = headerText(x);
        break;
      case "headers":
        if (typeof x === "object" && x !== null) {
          for (const [k, hv] of Object.entries(x as Record<string, unknown>))
            headers[`${m.locationName ?? ""}${k}`.toLowerCase()] = headerText(hv);
        }
        break;
      case "uri":
      case "querystring":
        break;
      default:
        if (shape.payload === undefined) {
          bodyMembers++;
          if (x !== undefined) body[name] = x;
        }
    }
  }
  if (shape.payload !== undefined) {
    const x = v[shape.payload];
    const target = model.shapes[shape.members?.[shape.payload]?.shape ?? ""];
    if (target?.type === "structure") return { status, body: stringify(x ?? {}), contentType: REST_JSON_CONTENT_TYPE, headers };
    const text = typeof x === "string" ? x : x instanceof Uint8Array ? Buffer.from(x).toString("utf8") : "";
    return { status, body: text, contentType: o.blobContentType ?? "application/octet-stream", headers };
  }
  const text = bodyMembers === 0 && status === 204 ? "" : stringify(body);
  return { status, body: text, contentType: REST_JSON_CONTENT_TYPE, headers };
};

/** The HTTP status an error shape declares (`error.httpStatusCode`), if the model has that shape. */
export const errorStatus = (model: RestModel, code: string): number | undefined =>
  Object.hasOwn(model.shapes, code) ? model.shapes[code]?.error?.httpStatusCode : undefined;

/** The error answer's body: `Type` and the message under the member name the error shape uses. */
export const renderRestError = (model: RestModel, code: string, message: string, status: number): string => {
  const shape = Object.hasOwn(model.shapes, code) ? model.shapes[code] : undefined;
  const members = shape?.members ?? {};
  const messageKey = Object.hasOwn(members, "Message") && !Object.hasOwn(members, "message") ? "Message" : "message";
  const type = shape?.error?.senderFault === false || status >= 500 ? "Service" : "User";
  return JSON.stringify({ Type: type, [messageKey]: message });
};

/** The headers every REST-JSON error carries. */
export const restErrorHeaders = (code: string): Record<string, string> => ({ "x-amzn-errortype": code });
