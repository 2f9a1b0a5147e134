/**
 * The one request pipeline every emulated AWS service runs through (EC2, CloudWatch Logs, STS, …):
 *
 *   operation named? → real operation of the model? → built here? → protocol parse (model-driven) →
 *   input members ⊆ what the action implements → service preparation (scope bootstrap…) → --deny →
 *   DryRun rehearsal (always rolled back) or ClientToken replay → the action in one transaction → render.
 *
 * A service supplies a `ServiceDefinition`: its model's operation table, its actions, its protocol binding (how a
 * request is decoded and parsed and how answers and errors are rendered), its error constructors and how it opens a
 * transaction. The pipeline owns the order of the checks and the rule that an error changes nothing.
 */
import { createHash } from "node:crypto";
import { Ec2Error, err } from "../../domain/errors.js";
import { isAwsRegion } from "../../domain/regions.js";
import type { Caller } from "../../protocol/auth.js";
import type { Scope } from "../../store/store.js";

/** The parts of an HTTP request a protocol binding reads. */
export interface WireRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A request decoded by a binding: the operation it names (if any) and whatever the binding parses input from. */
export interface Decoded {
  readonly operation: string | undefined;
}

export interface ProtocolBinding<D extends Decoded> {
  /** The content type of every answer. */
  readonly contentType: string;
  /** Extra response headers (EC2 answers `server: AmazonEC2`). */
  readonly headers?: Readonly<Record<string, string>>;
  decode(req: WireRequest): D;
  /** The operation's typed input from the decoded request; throws the protocol's validation errors. */
  parse(inputShape: string | undefined, decoded: D): Record<string, unknown>;
  renderSuccess(operation: string, outputShape: string | undefined, value: unknown, requestId: string): string;
  renderError(e: Ec2Error, requestId: string): string;
  /**
   * REST protocols (issue 17): a success answer whose status, headers and content type come from the operation's
   * model (`http.responseCode`, members bound to headers, a blob payload). When present it replaces renderSuccess.
   */
  renderReply?(operation: string, outputShape: string | undefined, value: unknown, requestId: string): RenderedReply;
  /** REST protocols: headers an error answer carries (REST-JSON's `x-amzn-ErrorType`). */
  errorHeaders?(e: Ec2Error): Readonly<Record<string, string>>;
  /**
   * A stable hash of the request's parameters other than the idempotency token itself (ClientToken replay compares
   * it). Only bindings of services with idempotency tokens need it.
   */
  paramsHash?(decoded: D, tokenMember: string): string;
}

/** What a REST binding renders a success as. */
export interface RenderedReply {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export interface ServiceAction<Ctx> {
  readonly name: string;
  /** Mutating actions run in a write transaction, honour the idempotency token and are rehearsed for DryRun. */
  readonly mutates: boolean;
  /** The input members this action implements; any other real member is refused, never ignored. */
  readonly params: readonly string[];
  run(input: Record<string, unknown>, ctx: Ctx): unknown;
  /** Called before an idempotent replay; may throw to refuse it. */
  onReplay?(previous: unknown, ctx: Ctx): void;
}

export interface ServiceErrors {
  /** No operation named at all. */
  missingOperation(): Ec2Error;
  /** A name that is not an operation of this service's model. */
  unknownOperation(name: string): Ec2Error;
  /** A real operation localvpc has not built. */
  notImplemented(name: string): Ec2Error;
  /** A real input member the action does not implement. */
  unsupportedMember(member: string, operation: string): Ec2Error;
  /** Anything unexpected (a bug): never the exception's text. */
  internal(): Ec2Error;
  unauthorized?(): Ec2Error;
  dryRun?(): Ec2Error;
  tokenTooLong?(): Ec2Error;
  tokenNotAscii?(): Ec2Error;
  idempotentMismatch?(token: string): Ec2Error;
  /** Temporary credentials past their expiration (default STS's ExpiredToken). */
  expiredToken?(): Ec2Error;
  /** Temporary credentials without their session token (default InvalidClientTokenId). */
  invalidToken?(): Ec2Error;
  /** A SigV4 scope naming no AWS region (default SignatureDoesNotMatch). */
  invalidRegion?(region: string): Ec2Error;
  /** A body over the size cap, or one that could not be read (default EC2's). */
  unreadableBody?(tooLarge: boolean): Ec2Error;
}

/** What the pipeline knows of a request when it opens a transaction for it. */
export interface CallInfo {
  readonly scope: Scope;
  readonly now: Date;
  readonly requestId: string;
  readonly caller: Caller;
}

export interface Idempotency<Ctx> {
  /** The input member holding the token for an operation's input shape, if it has one. */
  tokenMember(inputShape: string | undefined): string | undefined;
  get(ctx: Ctx, operation: string, token: string): { paramsHash: string; output: string } | undefined;
  put(ctx: Ctx, operation: string, token: string, paramsHash: string, output: string): void;
}

export interface ServiceDefinition<Ctx, D extends Decoded> {
  /** The SigV4 signing name (`ec2`, `logs`, `sts`). */
  readonly name: string;
  readonly operations: () => Readonly<Record<string, { readonly input?: string; readonly output?: string }>>;
  readonly actions: ReadonlyMap<string, ServiceAction<Ctx>>;
  readonly binding: ProtocolBinding<D>;
  readonly errors: ServiceErrors;
  readonly now: () => Date;
  /** Runs before the action's transaction (EC2: bootstrap the scope, settle transient states; Logs: deliver flow logs). */
  prepare?(info: CallInfo, action: ServiceAction<Ctx>): void;
  /** Actions answered with the service's unauthorized error (the emulator has no IAM; a test hook). */
  readonly denied?: ReadonlySet<string> | undefined;
  /** The input member that asks for a rehearsal (EC2's DryRun); absent: the service has none. */
  readonly dryRunMember?: string;
  readonly idempotency?: Idempotency<Ctx>;
  /** One read transaction (a consistent snapshot), one write transaction, or a rehearsal that always rolls back. */
  transaction<T>(kind: "read" | "write" | "rehearse", info: CallInfo, fn: (ctx: Ctx) => T): T;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

export interface ServiceReply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly operation: string | undefined;
  readonly errorCode?: string | undefined;
  /** True when a mutating action committed. */
  readonly mutated?: boolean | undefined;
}

/** Runs one decoded request through `svc`; never throws. */
export const runPipeline = <Ctx, D extends Decoded>(
  svc: ServiceDefinition<Ctx, D>,
  decoded: D,
  caller: Caller,
  requestId: string,
): ServiceReply => {
  const { binding } = svc;
  const answer = (status: number, body: string, extra: Partial<ServiceReply>): ServiceReply => ({
    status,
    body,
    contentType: binding.contentType,
    headers: binding.headers,
    operation: decoded.operation,
    ...extra,
  });
  try {
    const { value, shape, mutated } = execute(svc, decoded, caller, requestId);
    if (binding.renderReply) {
      const r = binding.renderReply(decoded.operation!, shape, value, requestId);
      const headers = binding.headers || r.headers ? { ...binding.headers, ...r.headers } : undefined;
      return answer(r.status, r.body, { mutated, headers, ...(r.contentType ? { contentType: r.contentType } : {}) });
    }
    return answer(200, binding.renderSuccess(decoded.operation!, shape, value, requestId), { mutated });
  } catch (e) {
    const failed = (x: Ec2Error): ServiceReply =>
      answer(x.status, binding.renderError(x, requestId), {
        errorCode: x.code,
        ...(binding.errorHeaders ? { headers: { ...binding.headers, ...binding.errorHeaders(x) } } : {}),
      });
    if (e instanceof Ec2Error) return failed(e);
    svc.onInternalError?.(e, requestId);
    return failed(svc.errors.internal());
  }
};

const execute = <Ctx, D extends Decoded>(
  svc: ServiceDefinition<Ctx, D>,
  decoded: D,
  caller: Caller,
  requestId: string,
): { value: unknown; shape: string | undefined; mutated: boolean } => {
  const name = decoded.operation;
  if (!name) throw svc.errors.missingOperation();
  const op = Object.hasOwn(svc.operations(), name) ? svc.operations()[name] : undefined;
  if (!op) throw svc.errors.unknownOperation(name);
  const action = svc.actions.get(name);
  if (!action) throw svc.errors.notImplemented(name);
  const input = svc.binding.parse(op.input, decoded);
  for (const key of Object.keys(input)) {
    if (key !== svc.dryRunMember && !action.params.includes(key)) throw svc.errors.unsupportedMember(key, name);
  }
  // Only real region names ever become a scope: any string in a signature would otherwise create one.
  if (!isAwsRegion(caller.region)) throw svc.errors.invalidRegion?.(caller.region) ?? err.invalidRegion(caller.region);
  const info: CallInfo = { scope: { account: caller.account, region: caller.region }, now: svc.now(), requestId, caller };
  svc.prepare?.(info, action);
  if (svc.denied?.has(name)) throw (svc.errors.unauthorized ?? svc.errors.internal)();
  if (svc.dryRunMember !== undefined && input[svc.dryRunMember] === true) {
    // Validate fully by running the action in a transaction that is always rolled back (EC2 spec §1.4).
    svc.transaction("rehearse", info, (ctx) => action.run(input, ctx));
    throw svc.errors.dryRun!();
  }
  if (!action.mutates) return { value: svc.transaction("read", info, (ctx) => action.run(input, ctx)), shape: op.output, mutated: false };
  const idem = svc.idempotency;
  const tokenMember = idem?.tokenMember(op.input);
  const token = tokenMember ? (input[tokenMember] as string | undefined) : undefined;
  const value = svc.transaction("write", info, (ctx) => {
    if (token === undefined || !idem || !tokenMember) return action.run(input, ctx);
    if (token.length > 64) throw svc.errors.tokenTooLong!();
    // AWS: "Constraints: Maximum 64 ASCII characters." A control character could not even be echoed in an answer.
    if (!/^[\x20-\x7E]*$/.test(token)) throw svc.errors.tokenNotAscii!();
    const hash = svc.binding.paramsHash!(decoded, tokenMember);
    const previous = idem.get(ctx, name, token);
    if (previous) {
      if (previous.paramsHash !== hash) throw svc.errors.idempotentMismatch!(token);
      const replayed = JSON.parse(previous.output) as unknown;
      action.onReplay?.(replayed, ctx);
      return replayed;
    }
    const out = action.run(input, ctx);
    idem.put(ctx, name, token, hash, JSON.stringify(out ?? {}));
    return out;
  });
  return { value, shape: op.output, mutated: true };
};

/** Canonical SHA-256 of query parameters, leaving out `skip` and protocol/auth parameters (`X-Amz-*`). */
export const queryParamsHash = (params: readonly (readonly [string, string])[], skip: ReadonlySet<string>): string => {
  const kept = params.filter(([k]) => !skip.has(k) && !k.startsWith("X-Amz-")).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(kept)).digest("hex");
};
