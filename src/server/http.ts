/**
 * The HTTP front door: EC2 Query requests at `/` (POST form or GET query), the admin API under `/_localvpc/`
 * (plus moto's reset alias). Assigns a request id, caps the body, logs one structured line per request, and
 * never lets an exception escape as a crash: anything unexpected is an EC2 `InternalError`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { callerOf, DEFAULT_ACCOUNT, DEFAULT_REGION } from "../protocol/auth.js";
import { renderError } from "../protocol/render.js";
import { Ec2Error, err } from "../domain/errors.js";
import type { Ec2Service } from "../api/service.js";

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface AdminHandlers {
  health(): unknown;
  reset(): void;
  /** Every stored record of one (account, region). */
  state(account: string, region: string): unknown;
  /** Creates a requester-managed ENI (JSON body {subnetId, service, requester?, account?, region?}); may throw Ec2Error. */
  managedEni(body: unknown): unknown;
  /** Advances the simulated clock by `ms`; answers the new offset and time. */
  advanceClock(ms: number): unknown;
}

export interface HttpOptions {
  readonly ec2: Ec2Service;
  readonly admin: AdminHandlers;
  readonly logger: Logger;
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

/** JSON-body admin routes: a bad body or an Ec2Error is a 400 {error: code, message}. */
const adminJsonRoute = async (
  o: HttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  requestId: string,
): Promise<void> => {
  let body: unknown;
  try {
    const text = await readBody(req);
    body = text.trim() === "" ? {} : (JSON.parse(text) as unknown);
  } catch {
    sendJson(res, 400, { error: "InvalidJson", message: "The request body must be a JSON object." });
    return;
  }
  try {
    if (path === "/_localvpc/clock/advance") {
      const ms = (body as { ms?: unknown }).ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        sendJson(res, 400, { error: "InvalidParameterValue", message: 'Expected {"ms": N} with N a non-negative number of milliseconds.' });
        return;
      }
      sendJson(res, 200, o.admin.advanceClock(ms));
      o.logger.info({ requestId, admin: "clock/advance", ms }, "clock advanced");
      return;
    }
    sendJson(res, 200, o.admin.managedEni(body));
    o.logger.info({ requestId, admin: "managed-eni" }, "managed ENI created");
  } catch (e) {
    if (!(e instanceof Ec2Error)) throw e;
    sendJson(res, e.status, { error: e.code, message: e.message });
  }
};

const handle = async (o: HttpOptions, req: IncomingMessage, res: ServerResponse, requestId: string, started: number): Promise<void> => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  if (path.startsWith("/_localvpc/") || path.startsWith("/moto-api/")) {
    if (req.method === "GET" && path === "/_localvpc/health") {
      sendJson(res, 200, o.admin.health());
      return;
    }
    if (req.method === "GET" && path === "/_localvpc/state") {
      const account = url.searchParams.get("account") ?? DEFAULT_ACCOUNT;
      const region = url.searchParams.get("region") ?? DEFAULT_REGION;
      sendJson(res, 200, o.admin.state(account, region));
      return;
    }
    if (req.method === "POST" && (path === "/_localvpc/reset" || path === "/moto-api/reset")) {
      o.admin.reset();
      o.logger.info({ requestId, admin: "reset" }, "reset");
      sendJson(res, 200, { status: "ok" });
      return;
    }
    if (req.method === "POST" && (path === "/_localvpc/managed-eni" || path === "/_localvpc/clock/advance")) {
      await adminJsonRoute(o, req, res, path, requestId);
      return;
    }
    sendJson(res, 404, { error: "NotFound", message: `No admin route ${req.method} ${path}. See README "Admin API".` });
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
