/**
 * The admin API's building block: a route under `/_localvpc/` that a feature module declares next to its code
 * (`managedEniRoutes`, BYOIP's registry routes, the traffic simulator …) and `index.ts` hands to the HTTP server.
 * The server owns the wire (JSON bodies, status codes); a route owns only its parsing and its call into the api.
 */
import { err } from "../domain/errors.js";
import { isAccountId } from "../domain/eni-attachment.js";
import { isAwsRegion } from "../domain/regions.js";
import type { Scope } from "../store/store.js";

export type AdminMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface AdminRequest {
  readonly method: AdminMethod;
  readonly path: string;
  /** `:name` segments of the route's path, and `*name` for the (decoded) rest of the path. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (`{}` when empty or for GET). */
  readonly body: unknown;
  readonly requestId: string;
}

/** A reply other than `200 application/json`: RDAP's `application/rdap+json`, a 201, a 404 … */
export class AdminResponse {
  constructor(
    readonly body: unknown,
    readonly status = 200,
    readonly contentType = "application/json",
  ) {}
}

export interface AdminRoute {
  readonly method: AdminMethod;
  /** `/_localvpc/rir/ranges/:cidr`-style path; a last segment `*rest` takes the remainder (may contain `/`). */
  readonly path: string;
  /** One line for logs (and docs). */
  readonly summary?: string;
  /** Returns the JSON body (200) or an AdminResponse; an Ec2Error becomes `{error: code, message}` with its status. */
  handle(req: AdminRequest): unknown;
  /**
   * Whether a successful call changes state, so the change feed announces it (`change` SSE event). Default: true for
   * every non-GET route. A traffic probe says false: it changes nothing (its verdict has its own `verdict` event).
   */
  readonly changesState?: boolean;
}

/** A path segment's percent-decoding; a malformed escape (`%ZZ`, a lone `%`) is the client's error, never a throw. */
const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw err.adminMalformedPath(segment);
  }
};

/** Matches `path` against a route pattern; answers the captured params or undefined. */
export const matchAdminPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split("/");
  const got = path.split("/");
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith("*")) {
      const rest = got.slice(i).join("/");
      if (rest === "") return undefined;
      params[w.slice(1)] = decodeSegment(rest);
      return params;
    }
    const g = got[i];
    if (g === undefined) return undefined;
    if (w.startsWith(":")) {
      if (g === "") return undefined;
      params[w.slice(1)] = decodeSegment(g);
    } else if (w !== g) return undefined;
  }
  return got.length === want.length ? params : undefined;
};

/** A JSON body as an object (an array or scalar is refused with the first required member's name). */
export const bodyObject = (body: unknown, firstRequired: string): Record<string, unknown> => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw err.missingParameter(firstRequired);
  return body as Record<string, unknown>;
};

/** An optional non-empty string member of a JSON body. */
export const bodyString = (body: Record<string, unknown>, name: string): string | undefined => {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v === "") throw err.invalidEnum(name, JSON.stringify(v), ["a non-empty string"]);
  return v;
};

/** A required non-empty string member of a JSON body. */
export const requireBodyString = (body: Record<string, unknown>, name: string): string => {
  const v = bodyString(body, name);
  if (v === undefined) throw err.missingParameter(name);
  return v;
};

/**
 * The (account, region) an admin call acts on: `account`/`region` members of the body, else the query string,
 * else the defaults (000000000000, us-east-1), validated as the EC2 API would.
 */
export const adminScope = (req: AdminRequest, defaults: Scope): Scope => {
  const b = typeof req.body === "object" && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  const account = bodyString(b, "account") ?? req.query.get("account") ?? defaults.account;
  if (!isAccountId(account)) throw err.invalidAwsAccountId(account);
  const region = bodyString(b, "region") ?? req.query.get("region") ?? defaults.region;
  // Any AWS region, opted in or not: the admin routes are the operator's, and set up state ahead of opting in.
  if (!isAwsRegion(region)) throw err.regionNotFound(region);
  return { account, region };
};

// --- Web console (issue 6): raw bodies and streams for the console's static files and its event feed. ---

/**
 * A raw reply: bytes or text sent as they are (the console's HTML, JS, CSS), not JSON-encoded like
 * `AdminResponse`'s body.
 */
export class AdminRawResponse {
  constructor(
    readonly body: Uint8Array | string,
    readonly contentType: string,
    readonly status = 200,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/**
 * A long-lived streamed reply (server-sent events). `open(write)` starts it and answers the function that stops it,
 * called when the client goes away or the server closes.
 */
export class AdminStream {
  constructor(
    readonly open: (write: (chunk: string) => void) => () => void,
    readonly contentType = "text/event-stream",
  ) {}
}
