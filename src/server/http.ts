/**
 * The HTTP front door: the admin API under `/_localvpc/` (plus moto's reset alias), and every AWS request, which the
 * dispatcher (services/dispatcher.ts) routes to its service. Assigns a request id, caps the body, logs one structured
 * line per request, and never lets an exception escape as a crash: anything unexpected is an EC2 `InternalError`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { Ec2Error } from "../domain/errors.js";
import type { Dispatcher, ServiceReply, WireRequest } from "../services/dispatcher.js";
import { AdminRawResponse, AdminResponse, AdminStream, matchAdminPath, type AdminMethod, type AdminRoute } from "../admin/routes.js";
import type { StateChange } from "./events.js";
import type { RequestGuard } from "./guard.js";

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpOptions {
  /** Routes every AWS request to its service (EC2, CloudWatch Logs, STS…) or answers "not emulated". */
  readonly dispatcher: Dispatcher;
  /** Admin routes under /_localvpc/ (and moto's reset alias), first match wins. */
  readonly admin: readonly AdminRoute[];
  readonly logger: Logger;
  /** Told after every committed mutating EC2 call and every successful non-GET admin call that changes state (`changesState`, the console's feed). */
  readonly onChange?: (change: StateChange) => void;
  /** Host, Origin, content-type and admin-token checks (guard.ts); none when absent (unit tests of the server). */
  readonly guard?: RequestGuard;
}

class BodyTooLarge extends Error {}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
};

/** Connection limits (issue 14): a client that sends headers or a body too slowly, or too many sockets, cannot tie the server up. */
export interface ConnectionLimits {
  /** Time to receive a request's headers (slowloris). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  readonly requestTimeoutMs: number;
  /** Open sockets at most; more are closed at once. */
  readonly maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { headersTimeoutMs: 20_000, requestTimeoutMs: 120_000, maxConnections: 1024 };

export const createHttpServer = (o: HttpOptions, limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS): Server => {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts every 30 s by default, which would let a short timeout run far over.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    handler(o),
  );
  server.maxConnections = limits.maxConnections;
  return server;
};

const handler =
  (o: HttpOptions) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const requestId = randomUUID();
    void handle(o, req, res, requestId, started).catch((e: unknown) => {
      o.logger.error({ requestId, err: e }, "unhandled error");
      if (res.headersSent) res.destroy();
      else if (isAdminPath(req.url)) sendJson(res, 500, { error: "InternalError", message: "An internal error has occurred" });
      else send(res, o.dispatcher.internalError(requestId), requestId);
    });
  };

const sendAdmin = (res: ServerResponse, status: number, contentType: string, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
};

const sendRaw = (res: ServerResponse, r: AdminRawResponse): void => {
  const body = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body;
  res.writeHead(r.status, { ...r.headers, "content-type": r.contentType, "content-length": body.byteLength });
  res.end(body);
};

/**
 * How much a stream may hold unsent for one client. A client that stops reading (a stalled tab, a script that never
 * reads) is dropped once its buffer passes this, so memory stays bounded whatever the clients do; the stream's
 * opening `retry:` line tells an EventSource to reconnect, and a live one does, from the current state.
 */
export const MAX_STREAM_BUFFER_BYTES = 256 * 1024;

/** A server-sent event stream: headers now, chunks as they come, stopped when the client goes away or falls behind. */
const openStream = (req: IncomingMessage, res: ServerResponse, s: AdminStream): void => {
  res.writeHead(200, { "content-type": s.contentType, "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  let dropped = false;
  const stop = s.open((chunk) => {
    if (dropped) return;
    if (res.writableLength > MAX_STREAM_BUFFER_BYTES) {
      dropped = true;
      res.destroy();
      return;
    }
    res.write(chunk);
  });
  req.socket.setTimeout(0);
  res.once("close", stop);
};

/**
 * The admin API: find the route, parse a JSON body for POST/PUT/DELETE, run it. An Ec2Error is answered
 * `{error: code, message}` with its status; an unknown path is a 404 that points at the README.
 */
const handleAdmin = async (o: HttpOptions, req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> => {
  const method = (req.method ?? "GET") as AdminMethod;
  const path = url.pathname;
  const refused = o.guard?.checkAdmin(method, url, req.headers);
  if (refused) {
    sendJson(res, refused.status, { error: refused.code, message: refused.message });
    // The body is not read: close the connection after the answer rather than drain an upload nobody wants.
    if (method !== "GET") res.once("finish", () => req.socket.destroy());
    return;
  }
  let found: { route: AdminRoute; params: Record<string, string> } | undefined;
  try {
    for (const route of o.admin) {
      if (route.method !== method) continue;
      const params = matchAdminPath(route.path, path);
      if (params) {
        found = { route, params };
        break;
      }
    }
  } catch (e) {
    if (!(e instanceof Ec2Error)) throw e;
    sendJson(res, e.status, { error: e.code, message: e.message });
    return;
  }
  if (!found) {
    sendJson(res, 404, { error: "NotFound", message: `No admin route ${method} ${path}. See README "Admin API".` });
    return;
  }
  let body: unknown = {};
  if (method !== "GET") {
    try {
      const text = await readBody(req);
      body = text.trim() === "" ? {} : (JSON.parse(text) as unknown);
      // Every admin route takes an object: `null`, a list or a bare value is refused here, for all of them at once.
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new SyntaxError("not an object");
    } catch {
      sendJson(res, 400, { error: "InvalidJson", message: "The request body must be a JSON object." });
      return;
    }
  }
  try {
    const answer: unknown = await found.route.handle({ method, path, params: found.params, query: url.searchParams, body, requestId });
    if (answer instanceof AdminStream) {
      openStream(req, res, answer);
      return;
    }
    if (answer instanceof AdminRawResponse) sendRaw(res, answer);
    else if (answer instanceof AdminResponse) sendAdmin(res, answer.status, answer.contentType, answer.body);
    else sendJson(res, 200, answer ?? {});
    if (method !== "GET") {
      o.logger.info({ requestId, admin: found.route.path, method }, found.route.summary ?? "admin");
      if (found.route.changesState !== false) o.onChange?.({ source: "admin", name: `${method} ${found.route.path}` });
    }
  } catch (e) {
    if (!(e instanceof Ec2Error)) throw e;
    sendJson(res, e.status, { error: e.code, message: e.message });
  }
};

/** Admin routes (and moto's reset alias) answer JSON, even a crash. */
const isAdminPath = (raw: string | undefined): boolean => {
  const path = requestUrl(raw).pathname;
  return path.startsWith("/_localvpc/") || path.startsWith("/moto-api/") || path === "/favicon.ico";
};

/** The request's URL; a malformed one (`//`, a bare `%`) is read as a path on this host, never a throw. */
const requestUrl = (raw: string | undefined): URL => {
  const path = raw ?? "/";
  try {
    return new URL(path.startsWith("/") ? `http://localhost${path}` : `http://localhost/${path}`);
  } catch {
    return new URL("http://localhost/");
  }
};

const handle = async (o: HttpOptions, req: IncomingMessage, res: ServerResponse, requestId: string, started: number): Promise<void> => {
  const url = requestUrl(req.url);
  const path = url.pathname;
  // A browser asks for /favicon.ico on its own: the console module answers it, not the EC2 handler.
  if (path.startsWith("/_localvpc/") || path.startsWith("/moto-api/") || path === "/favicon.ico") {
    await handleAdmin(o, req, res, url, requestId);
    return;
  }
  const wire: WireRequest = { method: req.method ?? "GET", url, headers: req.headers, body: "" };
  const service = o.dispatcher.route(wire);
  const refused = o.guard?.checkAws(req.headers);
  if (refused) {
    send(res, o.dispatcher.refuse(service, refused, wire, requestId).reply, requestId);
    if (req.method !== "GET" && req.method !== "HEAD") res.once("finish", () => req.socket.destroy());
    return;
  }
  let body: string;
  try {
    body = req.method === "GET" || req.method === "HEAD" ? "" : await readBody(req);
  } catch (e) {
    const tooLarge = e instanceof BodyTooLarge;
    const { reply } = o.dispatcher.bodyError(service, tooLarge, wire, requestId);
    send(res, reply, requestId);
    // Stop reading an oversized upload: answer, then close the connection.
    if (tooLarge) res.once("finish", () => req.socket.destroy());
    return;
  }
  const { reply, caller } = o.dispatcher.handle({ ...wire, body }, requestId, service);
  send(res, reply, requestId);
  // The console's feed announces EC2 changes (the topology it draws); Lambda's writes (issue 17) add and remove its
  // Hyperplane ENIs, so they are announced too. Other services' writes do not change the topology.
  if (reply.mutated && (service === "ec2" || service === "lambda"))
    o.onChange?.({ source: "ec2", name: reply.operation ?? "", account: caller.account, region: caller.region });
  // The request line's object is built only when it is logged (the library's default level is silent).
  if (!o.logger.isLevelEnabled("info")) return;
  o.logger.info(
    {
      requestId,
      account: caller.account,
      region: caller.region,
      ...(service === "ec2" ? {} : { service }),
      action: reply.operation,
      status: reply.status,
      code: reply.errorCode,
      ms: Math.round((performance.now() - started) * 100) / 100,
    },
    "request",
  );
};

const send = (res: ServerResponse, reply: ServiceReply, requestId: string): void => {
  res.writeHead(reply.status, {
    ...reply.headers,
    "content-type": reply.contentType,
    "content-length": Buffer.byteLength(reply.body),
    "x-amzn-requestid": requestId,
  });
  res.end(reply.body);
};
