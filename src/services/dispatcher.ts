/**
 * Which AWS service a request is for, as AWS's endpoints tell: the SigV4 credential scope's service name
 * (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`, in the Authorization header or a presigned query), else the
 * `X-Amz-Target` prefix (AWS JSON protocols), else a REST path of a known service, else EC2 (unsigned Query requests,
 * as moto-era suites and curl send them). The request then runs through the shared pipeline of that service.
 *
 * Any AWS service localvpc does not emulate gets a clear answer in that service's own protocol and error shape (JSON,
 * Query XML, REST-JSON or REST-XML), HTTP 400, naming the service: never EC2's MissingAction.
 *
 * The caller's identity is resolved here, once, for every service: temporary credentials AssumeRole issued act as the
 * role's account (services/sts/identity.ts). Under `--auth strict` the request's SigV4 signature is verified first
 * (services/auth.ts), and a credentials-file key acts as its profile's account.
 */
import { err, type Ec2Error } from "../domain/errors.js";
import { isAwsRegion } from "../domain/regions.js";
import { callerOf, type Caller } from "../protocol/auth.js";
import { renderJsonError } from "../protocol/aws-json/json.js";
import { renderQueryError } from "../protocol/aws-query/query.js";
import { escapeXml } from "../protocol/ec2-query/render.js";
import type { StsStore } from "../store/sts-store.js";
import type { RequestVerifier } from "./auth.js";
import { runPipeline, type Decoded, type ServiceDefinition, type ServiceReply, type WireRequest } from "./common/pipeline.js";
import { resolveIdentity } from "./sts/identity.js";

/** A service definition with its context and decoding erased (the dispatcher only routes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each service has its own context type; routing never touches it
export type AnyService = ServiceDefinition<any, Decoded>;

/** `X-Amz-Target` prefixes of the JSON services localvpc emulates. */
const TARGET_PREFIXES: Readonly<Record<string, string>> = { Logs_20140328: "logs" };

/** REST paths of services localvpc does not emulate yet, for unsigned requests (signed ones name their service). */
const REST_PATHS: readonly [RegExp, string][] = [
  [/^\/20\d\d-\d\d-\d\d\/(functions|layers|event-source-mappings|account-settings|tags)/, "lambda"],
  [/^\/(clusters|addons|cluster-registrations)(\/|$)/, "eks"],
];

/** Services whose protocol is REST-XML (their errors are `<Error><Code>…`). Others are told apart by the request. */
const REST_XML = new Set(["s3", "s3-control", "route53", "cloudfront"]);

export type { ServiceReply, WireRequest } from "./common/pipeline.js";

export interface DispatcherOptions {
  readonly services: readonly AnyService[];
  readonly sts: StsStore;
  /** The account of a key id that is not 12 digits (`--default-account`; default 000000000000). */
  readonly defaultAccount?: string | undefined;
  readonly now: () => Date;
  /** `--auth strict`: verifies every request's signature before its identity is resolved. Absent: any key works. */
  readonly verifier?: RequestVerifier | undefined;
  /**
   * Regions (issue 15): whether calls scoped to a region are answered. An opt-in region the account has not opted
   * in to answers as AWS does, as if the credentials were not valid there (EC2 AuthFailure, STS InvalidClientTokenId).
   */
  readonly regionEnabled?: ((region: string) => boolean) | undefined;
}

export interface Dispatched {
  readonly service: string;
  readonly caller: Caller;
  readonly reply: ServiceReply;
}

const header = (req: WireRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === "string" ? v : Array.isArray(v) ? v[0] : undefined;
};

export class Dispatcher {
  readonly #services: ReadonlyMap<string, AnyService>;
  readonly #o: DispatcherOptions;

  constructor(o: DispatcherOptions) {
    this.#o = o;
    this.#services = new Map(o.services.map((s) => [s.name, s]));
  }

  /** The names of the emulated services. */
  get emulated(): string[] {
    return [...this.#services.keys()];
  }

  /** The service a request is for (from headers, query and path only: the body is not needed to route). */
  route(req: WireRequest): string {
    const scoped = callerOf(header(req, "authorization"), req.url.searchParams.get("X-Amz-Credential") ?? undefined).service;
    if (scoped) return scoped;
    const target = header(req, "x-amz-target");
    if (target !== undefined) {
      const prefix = target.split(".")[0] ?? "";
      return TARGET_PREFIXES[prefix] ?? (prefix.split("_")[0] ?? prefix).toLowerCase();
    }
    for (const [re, service] of REST_PATHS) if (re.test(req.url.pathname)) return service;
    return "ec2";
  }

  /** A request the front door refuses before any service runs it (a guard's error), in that service's shape. */
  refuse(service: string, e: Ec2Error, req: WireRequest, requestId: string): Dispatched {
    const svc = this.#services.get(service) ?? this.#services.get("ec2");
    const caller = callerOf(header(req, "authorization"), undefined, undefined, this.#o.defaultAccount);
    if (!svc) return { service, caller, reply: this.internalError(requestId) };
    return { service, caller, reply: this.#error(svc, e, undefined, requestId) };
  }

  /** The error a service answers a body it could not read with, in its own shape. */
  bodyError(service: string, tooLarge: boolean, req: WireRequest, requestId: string): Dispatched {
    const svc = this.#services.get(service);
    const caller = callerOf(header(req, "authorization"), undefined, undefined, this.#o.defaultAccount);
    if (!svc) return { service, caller, reply: this.#notEmulated(service, req, requestId) };
    const e = svc.errors.unreadableBody?.(tooLarge) ?? (tooLarge ? err.requestTooLarge() : err.malformedQueryString());
    return { service, caller, reply: this.#error(svc, e, undefined, requestId) };
  }

  handle(req: WireRequest, requestId: string, service = this.route(req)): Dispatched {
    const svc = this.#services.get(service);
    if (!svc) {
      return {
        service,
        caller: callerOf(header(req, "authorization"), undefined, undefined, this.#o.defaultAccount),
        reply: this.#notEmulated(service, req, requestId),
      };
    }
    const decoded = svc.binding.decode(req);
    const params = (decoded as Decoded & { params?: readonly [string, string][] }).params;
    const legacyKey = params?.find(([k]) => k === "AWSAccessKeyId")?.[1];
    const token =
      header(req, "x-amz-security-token") ??
      req.url.searchParams.get("X-Amz-Security-Token") ??
      params?.find(([k]) => k === "SecurityToken" || k === "X-Amz-Security-Token")?.[1];
    let signed = callerOf(
      header(req, "authorization"),
      req.url.searchParams.get("X-Amz-Credential") ?? undefined,
      legacyKey,
      this.#o.defaultAccount,
    );
    if (this.#o.verifier) {
      const verified = this.#o.verifier.verify(req, service);
      if ("error" in verified) return { service, caller: signed, reply: this.#error(svc, verified.error, decoded.operation, requestId) };
      // A credentials-file key is its profile's account, whatever its id looks like.
      if (verified.account !== undefined) signed = { ...signed, account: verified.account };
    }
    const resolved = resolveIdentity(this.#o.sts, { ...signed, sessionToken: token }, token, this.#o.now().getTime());
    if ("problem" in resolved) {
      const e =
        resolved.problem === "expired"
          ? (svc.errors.expiredToken?.() ?? err.stsExpiredToken())
          : (svc.errors.invalidToken?.() ?? err.invalidClientTokenId());
      return { service, caller: signed, reply: this.#error(svc, e, decoded.operation, requestId) };
    }
    if (this.#o.regionEnabled && isAwsRegion(resolved.caller.region) && !this.#o.regionEnabled(resolved.caller.region)) {
      const e = svc.errors.invalidToken?.() ?? err.invalidClientTokenId();
      return { service, caller: resolved.caller, reply: this.#error(svc, e, decoded.operation, requestId) };
    }
    return { service, caller: resolved.caller, reply: runPipeline(svc, decoded, resolved.caller, requestId) };
  }

  /** What a request that crashed the front door itself is answered (EC2's InternalError; a bug, logged by the server). */
  internalError(requestId: string): ServiceReply {
    const ec2 = this.#services.get("ec2");
    const ie = err.internal();
    if (ec2) return this.#error(ec2, ie, undefined, requestId);
    return {
      status: ie.status,
      body: JSON.stringify({ __type: ie.code, message: ie.message }),
      contentType: "application/json",
      operation: undefined,
    };
  }

  #error(svc: AnyService, e: Ec2Error, operation: string | undefined, requestId: string): ServiceReply {
    return {
      status: e.status,
      body: svc.binding.renderError(e, requestId),
      contentType: svc.binding.contentType,
      headers: svc.binding.errorHeaders ? { ...svc.binding.headers, ...svc.binding.errorHeaders(e) } : svc.binding.headers,
      operation,
      errorCode: e.code,
    };
  }

  /**
   * A service localvpc does not emulate, answered in its protocol's error shape with the code that protocol uses
   * for "no such operation here" (so SDKs parse it and never retry), and a message naming the service.
   */
  #notEmulated(service: string, req: WireRequest, requestId: string): ServiceReply {
    const target = header(req, "x-amz-target");
    const form =
      req.url.searchParams.get("Action") ?? (/^Action=|&Action=/.test(req.body) ? new URLSearchParams(req.body).get("Action") : null);
    const emulated = this.emulated;
    const answer = (code: string, body: string, contentType: string, headers?: Record<string, string>): ServiceReply => ({
      status: 400,
      body,
      contentType,
      headers,
      operation: undefined,
      errorCode: code,
    });
    if (target !== undefined) {
      const e = err.serviceNotEmulated("UnknownOperationException", service, target, emulated);
      const contentType = header(req, "content-type")?.startsWith("application/x-amz-json-1.0")
        ? "application/x-amz-json-1.0"
        : "application/x-amz-json-1.1";
      return answer(e.code, renderJsonError(e.code, e.message), contentType);
    }
    if (REST_XML.has(service)) {
      const e = err.serviceNotEmulated("NotImplemented", service, `${req.method} ${req.url.pathname}`, emulated);
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message><RequestId>${requestId}</RequestId></Error>`;
      return answer(e.code, body, "application/xml");
    }
    if (form !== null) {
      const e = err.serviceNotEmulated("InvalidAction", service, form, emulated);
      return answer(e.code, renderQueryError(e.code, e.message, e.status, requestId), "text/xml");
    }
    const e = err.serviceNotEmulated("UnknownOperationException", service, `${req.method} ${req.url.pathname}`, emulated);
    // REST-JSON: botocore and SDK v3 read the code from x-amzn-ErrorType first, then the body's __type/code.
    return answer(e.code, JSON.stringify({ __type: e.code, message: e.message }), "application/json", { "x-amzn-errortype": e.code });
  }
}
