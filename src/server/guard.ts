/**
 * The front door's guards against the two ways a web page can reach a local server (issue 14):
 * - DNS rebinding: a page on `evil.example` re-points its own name at 127.0.0.1, and its requests then look
 *   same-origin to the browser. The `Host` header still says `evil.example`, so a request for a host this server is
 *   not is refused.
 * - Cross-site requests: a page may POST `text/plain` or a form to any address without a preflight. State-changing
 *   admin requests must come from this server's own origin (or none: scripts, the CLI) and carry JSON, which a
 *   browser only sends cross-site after a CORS preflight localvpc never grants.
 * On top of that, an admin token (like Jupyter's) when the server is reachable from other machines or verifies
 * signatures (`--auth strict`): every admin route but the health check and the console's static files needs it.
 *
 * AWS API requests are signed (SigV4), so they are not token-guarded; but a browser's request (it carries `Origin`) to
 * them must also pass the Host and Origin checks, or a page could drive the EC2 API under `--auth any`.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { hostname, networkInterfaces } from "node:os";
import { err, type Ec2Error } from "../domain/errors.js";

/** The header (and, for EventSource, which cannot set headers, the query parameter) that carries the admin token. */
export const ADMIN_TOKEN_HEADER = "x-localvpc-token";
export const ADMIN_TOKEN_QUERY = "token";

export interface GuardOptions {
  /** The address the server is bound to. */
  readonly host: string;
  /** More host names the server answers for (`--allow-host`); `*` allows any. */
  readonly allowHosts?: readonly string[] | undefined;
  /** When set, admin routes need it. */
  readonly token?: string | undefined;
}

/** Admin paths anyone who passes the Host check may read: the health check and the console's static files. */
const isPublicAdminPath = (method: string, path: string): boolean =>
  method === "GET" &&
  (path === "/_localvpc/health" ||
    path === "/favicon.ico" ||
    path === "/_localvpc/console" ||
    (path.startsWith("/_localvpc/console/") && !path.startsWith("/_localvpc/console/api/")));

/** `Host`/`Origin` host names compared in one form: lower case, no brackets, no trailing dot. */
export const normalizeHost = (name: string): string =>
  name
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");

/** The host name of a `Host` header (`name`, `name:port`, `[v6]:port`); undefined when it is not one. */
export const hostOfHeader = (value: string): string | undefined => {
  try {
    const u = new URL(`http://${value}`);
    // `http://a@b` or a path would parse: a Host header is a bare authority.
    if (u.username !== "" || u.password !== "" || u.pathname !== "/" || u.search !== "" || u.hash !== "") return undefined;
    return normalizeHost(u.hostname);
  } catch {
    return undefined;
  }
};

const isLoopbackName = (name: string): boolean =>
  name === "localhost" || name.endsWith(".localhost") || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);

const isWildcardBind = (host: string): boolean => host === "0.0.0.0" || host === "::" || host === "[::]";

/** The names a server bound to `host` is reached by: loopback names, the bound address, and for a wildcard bind every interface address and the machine's name. */
const ownNames = (host: string): Set<string> => {
  const names = new Set<string>([normalizeHost(host)]);
  if (isWildcardBind(host)) {
    names.add(normalizeHost(hostname()));
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(normalizeHost(a.address));
  }
  return names;
};

export class RequestGuard {
  readonly #names: Set<string>;
  readonly #anyHost: boolean;
  readonly #token: Buffer | undefined;

  constructor(o: GuardOptions) {
    this.#names = ownNames(o.host);
    this.#anyHost = (o.allowHosts ?? []).includes("*");
    for (const h of o.allowHosts ?? []) if (h !== "*") this.#names.add(normalizeHost(h));
    this.#token = o.token === undefined ? undefined : Buffer.from(o.token, "utf8");
  }

  /** Whether admin routes need the token. */
  get tokenRequired(): boolean {
    return this.#token !== undefined;
  }

  #allowedName(name: string): boolean {
    return this.#anyHost || isLoopbackName(name) || this.#names.has(name);
  }

  /** The Host check; a request without one (HTTP/1.0, a raw socket) is not a browser's and passes. */
  #hostError(headers: IncomingHttpHeaders): Ec2Error | undefined {
    const raw = headers.host;
    if (raw === undefined) return undefined;
    const name = hostOfHeader(raw);
    return name !== undefined && this.#allowedName(name) ? undefined : err.foreignHost(raw.slice(0, 200));
  }

  /** The Origin check: absent (not a browser, or a same-origin GET) passes; `null` and foreign origins do not. */
  #originError(headers: IncomingHttpHeaders): Ec2Error | undefined {
    const origin = headers.origin;
    if (origin === undefined) return undefined;
    let name: string | undefined;
    try {
      const u = new URL(origin);
      if (u.protocol === "http:" || u.protocol === "https:") name = normalizeHost(u.hostname);
    } catch {
      name = undefined;
    }
    return name !== undefined && this.#allowedName(name) ? undefined : err.foreignOrigin(origin.slice(0, 200));
  }

  /** Whether the request carries this server's admin token (header, or `?token=` for EventSource). */
  tokenMatches(headers: IncomingHttpHeaders, url: URL): boolean {
    const expected = this.#token;
    if (expected === undefined) return false;
    const h = headers[ADMIN_TOKEN_HEADER];
    const given = (Array.isArray(h) ? h[0] : h) ?? url.searchParams.get(ADMIN_TOKEN_QUERY) ?? undefined;
    if (given === undefined) return false;
    const b = Buffer.from(given, "utf8");
    return b.length === expected.length && timingSafeEqual(b, expected);
  }

  /**
   * An admin request's guards, before its body is read: Host; the token (unless the path is public); for a
   * state-changing method, Origin and a JSON body (a body, or any browser request, must say `application/json`).
   */
  checkAdmin(method: string, url: URL, headers: IncomingHttpHeaders): Ec2Error | undefined {
    const hostError = this.#hostError(headers);
    if (hostError) return hostError;
    if (this.#token !== undefined && !isPublicAdminPath(method, url.pathname) && !this.tokenMatches(headers, url)) {
      const given = headers[ADMIN_TOKEN_HEADER] !== undefined || url.searchParams.has(ADMIN_TOKEN_QUERY);
      return given ? err.adminTokenInvalid() : err.adminTokenRequired();
    }
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return undefined;
    const originError = this.#originError(headers);
    if (originError) return originError;
    const hasBody =
      (headers["content-length"] !== undefined && headers["content-length"] !== "0") || headers["transfer-encoding"] !== undefined;
    if ((hasBody || headers.origin !== undefined) && !isJson(headers["content-type"])) return err.adminNotJson();
    return undefined;
  }

  /** An AWS API request's guards: only a browser's (it sends `Origin`) is checked, for its Host and Origin. */
  checkAws(headers: IncomingHttpHeaders): Ec2Error | undefined {
    if (headers.origin === undefined) return undefined;
    return this.#hostError(headers) ?? this.#originError(headers);
  }
}

/** `application/json`, `application/json; charset=utf-8`, `application/problem+json`… */
const isJson = (contentType: string | undefined): boolean => {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
};
