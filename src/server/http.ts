/**
 * The HTTP front door: EC2 Query requests at `/` (POST form or GET query), the admin API under `/_localvpc/`
 * (plus moto's reset alias). Assigns a request id, caps the body, logs one structured line per request, and
 * never lets an exception escape as a crash: anything unexpected is an EC2 `InternalError`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { callerOf } from "../protocol/auth.js";
import { renderError } from "../protocol/render.js";
import { Ec2Error, err } from "../domain/errors.js";
import type { Ec2Service } from "../api/service.js";
import { AdminRawResponse, AdminResponse, AdminStream, matchAdminPath, type AdminMethod, type AdminRoute } from "../api/admin.js";
import type { StateChange } from "./events.js";
// --- flow logs (issue 5): CloudWatch Logs JSON protocol ---
import type { LogsService } from "../api/logs-service.js";
import { LOGS_CONTENT_TYPE, logsOperationOf, renderLogsError } from "../protocol/logs-json.js";

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpOptions {
  readonly ec2: Ec2Service;
  /** Admin routes under /_localvpc/ (and moto's reset alias), first match wins. */
  readonly admin: readonly AdminRoute[];
  readonly logger: Logger;
  /** CloudWatch Logs (JSON 1.1), routed by `X-Amz-Target: Logs_20140328.<Op>` or the SigV4 service `logs`. */
  readonly logs?: LogsService;
  /** Told after every committed mutating EC2 call and every successful non-GET admin call that changes state (`changesState`, the console's feed). */
  readonly onChange?: (change: StateChange) => void;
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

const sendXml = (res: ServerResponse, status: number, body: string, requestId: string): void => {
  res.writeHead(status, {
    "content-type": "text/xml;charset=UTF-8",
    "content-length": Buffer.byteLength(body),
    server: "AmazonEC2",
    "x-amzn-requestid": requestId,
  });
  res.end(body);
};

export const createHttpServer = (o: HttpOptions): Server =>
  createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    void handle(o, req, res, requestId, started).catch((e: unknown) => {
      o.logger.error({ requestId, err: e }, "unhandled error");
      if (!res.headersSent) {
        const ie = err.internal();
        sendXml(res, ie.status, renderError(ie.code, ie.message, requestId), requestId);
      } else res.destroy();
    });
  });

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

/** A server-sent event stream: headers now, chunks as they come, stopped when the client goes away. */
const openStream = (req: IncomingMessage, res: ServerResponse, s: AdminStream): void => {
  res.writeHead(200, { "content-type": s.contentType, "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  const stop = s.open((chunk) => res.write(chunk));
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
  let found: { route: AdminRoute; params: Record<string, string> } | undefined;
  for (const route of o.admin) {
    if (route.method !== method) continue;
    const params = matchAdminPath(route.path, path);
    if (params) {
      found = { route, params };
      break;
    }
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

const handle = async (o: HttpOptions, req: IncomingMessage, res: ServerResponse, requestId: string, started: number): Promise<void> => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  // A browser asks for /favicon.ico on its own: the console module answers it, not the EC2 handler.
  if (path.startsWith("/_localvpc/") || path.startsWith("/moto-api/") || path === "/favicon.ico") {
    await handleAdmin(o, req, res, url, requestId);
    return;
  }
  if (req.headers["x-amz-target"] !== undefined || /Credential=[^/]+\/\d{8}\/[^/]+\/logs\//.test(req.headers.authorization ?? "")) {
    await handleJsonTarget(o, req, res, requestId, started);
    return;
  }
  let body: string;
  try {
    body = req.method === "POST" ? await readBody(req) : "";
  } catch (e) {
    const ec2Err = e instanceof BodyTooLarge ? err.requestTooLarge() : err.malformedQueryString();
    sendXml(res, 400, renderError(ec2Err.code, ec2Err.message, requestId), requestId);
    // Stop reading an oversized upload: answer, then close the connection.
    if (e instanceof BodyTooLarge) res.once("finish", () => req.socket.destroy());
    return;
  }
  const params: [string, string][] = [...url.searchParams];
  if (body) for (const p of new URLSearchParams(body)) params.push(p);
  const legacyKey = params.find(([k]) => k === "AWSAccessKeyId")?.[1];
  const caller = callerOf(req.headers.authorization, url.searchParams.get("X-Amz-Credential") ?? undefined, legacyKey);
  const reply = o.ec2.handle({ params, caller, requestId });
  sendXml(res, reply.status, reply.body, requestId);
  if (reply.mutated) o.onChange?.({ source: "ec2", name: reply.action ?? "", account: caller.account, region: caller.region });
  o.logger.info(
    {
      requestId,
      account: caller.account,
      region: caller.region,
      action: reply.action,
      status: reply.status,
      code: reply.errorCode,
      ms: Math.round((performance.now() - started) * 100) / 100,
    },
    "request",
  );
};

// --- flow logs (issue 5): CloudWatch Logs JSON protocol ---
const sendAwsJson = (res: ServerResponse, status: number, body: string, requestId: string): void => {
  res.writeHead(status, { "content-type": LOGS_CONTENT_TYPE, "content-length": Buffer.byteLength(body), "x-amzn-requestid": requestId });
  res.end(body);
};

/**
 * A JSON-protocol request (an `X-Amz-Target` header, or SigV4 scoped to `logs`): CloudWatch Logs when the target is
 * `Logs_20140328.<Op>`; any other target is an UnknownOperationException, never an EC2 error page or a 500.
 */
const handleJsonTarget = async (
  o: HttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  started: number,
): Promise<void> => {
  const target = req.headers["x-amz-target"];
  const operation = logsOperationOf(typeof target === "string" ? target : undefined);
  let body: string;
  try {
    body = await readBody(req);
  } catch (e) {
    const tooLarge = e instanceof BodyTooLarge;
    sendAwsJson(
      res,
      400,
      renderLogsError("SerializationException", tooLarge ? "The request body is too large." : "The request body could not be read."),
      requestId,
    ); // unverified
    if (tooLarge) res.once("finish", () => req.socket.destroy());
    return;
  }
  const caller = callerOf(req.headers.authorization, undefined);
  if (operation === undefined || !o.logs) {
    const unknown = err.logsUnknownOperation(typeof target === "string" ? target : "(no X-Amz-Target)");
    sendAwsJson(res, unknown.status, renderLogsError(unknown.code, unknown.message), requestId);
    return;
  }
  const reply = o.logs.handle({ operation, body, caller, requestId });
  sendAwsJson(res, reply.status, reply.body, requestId);
  o.logger.info(
    {
      requestId,
      account: caller.account,
      region: caller.region,
      service: "logs",
      action: operation,
      status: reply.status,
      code: reply.errorCode,
      ms: Math.round((performance.now() - started) * 100) / 100,
    },
    "request",
  );
};
