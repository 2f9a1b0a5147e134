/**
 * The EC2 request pipeline: action lookup → model-driven parse → unsupported-parameter check → scope bootstrap
 * → DryRun rehearsal or ClientToken replay → the action in one transaction → render. Errors never leave state
 * changed: the transaction rolls back.
 */
import { createHash } from "node:crypto";
import { Ec2Error, err } from "../domain/errors.js";
import type { IdGenerator } from "../domain/ids.js";
import type { Quotas } from "../domain/quotas.js";
import { settledChanges, type TransitionDelays } from "../domain/eni-attachment.js";
import { ec2Model } from "../protocol/model/index.js";
import { parseInput } from "../protocol/parse.js";
import { renderError, renderSuccess } from "../protocol/render.js";
import type { Caller } from "../protocol/auth.js";
import type { Scope, Store, Tx } from "../store/store.js";
import type { Catalog } from "../catalog/catalog.js";
import type { ActionContext, RegisteredAction } from "./action.js";
import { ACTIONS } from "./registry.js";
import { initializeScope } from "./bootstrap.js";

export interface Ec2Request {
  readonly params: readonly [string, string][];
  readonly caller: Caller;
  readonly requestId: string;
}
export interface Ec2Reply {
  readonly status: number;
  readonly body: string;
  readonly action: string | undefined;
  readonly errorCode?: string;
  /** True when a mutating action committed (the console's event feed announces it). */
  readonly mutated?: boolean;
}

export interface ServiceOptions {
  readonly store: Store;
  readonly ids: IdGenerator;
  readonly now: () => Date;
  readonly catalog: Catalog;
  readonly quotas: Quotas;
  /** Actions answered with UnauthorizedOperation (the emulator has no IAM; this is the test hook of spec §1.4). */
  readonly deniedActions?: ReadonlySet<string>;
  readonly onInternalError?: (e: unknown, requestId: string) => void;
  /** Transient ENI state delays on the simulated clock (default none). */
  readonly delays?: TransitionDelays;
  /** BYOIP: how long a provisioning stays pending on the simulated clock (default 0). */
  readonly byoipProvisionDelayMs?: number;
}

export class Ec2Service {
  readonly #o: ServiceOptions;
  readonly #initialized = new Set<string>();

  constructor(options: ServiceOptions) {
    this.#o = options;
  }

  /** Forget which scopes were bootstrapped (after an admin reset). */
  forgetScopes(): void {
    this.#initialized.clear();
  }

  handle(req: Ec2Request): Ec2Reply {
    const actionName = req.params.find(([k]) => k === "Action")?.[1];
    try {
      const output = this.#run(actionName, req);
      const mutated = ACTIONS.get(actionName!)?.mutates === true;
      return { status: 200, body: renderSuccess(actionName!, output.shape, output.value, req.requestId), action: actionName, mutated };
    } catch (e) {
      if (e instanceof Ec2Error) {
        return { status: e.status, body: renderError(e.code, e.message, req.requestId), action: actionName, errorCode: e.code };
      }
      this.#o.onInternalError?.(e, req.requestId);
      const ie = err.internal();
      return { status: ie.status, body: renderError(ie.code, ie.message, req.requestId), action: actionName, errorCode: ie.code };
    }
  }

  #run(actionName: string | undefined, req: Ec2Request): { shape: string | undefined; value: unknown } {
    if (!actionName) throw err.missingAction();
    const op = ec2Model().operations[actionName];
    if (!op) throw err.invalidAction(actionName);
    const action: RegisteredAction | undefined = ACTIONS.get(actionName);
    if (!action) throw err.notImplemented(actionName);
    const input = parseInput(op.input, req.params);
    for (const key of Object.keys(input)) {
      if (key !== "DryRun" && !action.params.includes(key)) throw err.unsupportedParameter(key, actionName);
    }
    const scope: Scope = { account: req.caller.account, region: req.caller.region };
    this.ensureScope(scope);
    const dryRun = input["DryRun"] === true;
    if (this.#o.deniedActions?.has(actionName)) throw err.unauthorized();
    const { store } = this.#o;
    const now = this.#o.now();
    this.#settleTransitions(scope, now);
    const principal = req.caller.accessKeyId ?? "AIDALOCALVPCEXAMPLE";
    const ctxFor = (tx: Tx): ActionContext => this.#context(tx, scope, now, req.requestId, principal);
    if (dryRun) {
      // Validate fully by running the action in a transaction that is always rolled back (spec §1.4).
      store.rehearse(scope, (tx) => action.run(input, ctxFor(tx)));
      throw err.dryRun();
    }
    const tokenMember = this.#tokenMember(op.input);
    const token = tokenMember ? (input[tokenMember] as string | undefined) : undefined;
    if (!action.mutates) return { shape: op.output, value: store.read(scope, (tx) => action.run(input, ctxFor(tx))) };
    return {
      shape: op.output,
      value: store.tx(scope, (tx) => {
        if (token === undefined) return action.run(input, ctxFor(tx));
        if (token.length > 64) throw err.clientTokenTooLong();
        const hash = paramsHash(req.params, tokenMember!);
        const previous = tx.idempotencyGet(actionName, token);
        if (previous) {
          if (previous.paramsHash !== hash) throw err.idempotentMismatch(token);
          const replayed = JSON.parse(previous.output) as unknown;
          action.onReplay?.(replayed, ctxFor(tx));
          return replayed;
        }
        const value = action.run(input, ctxFor(tx));
        tx.idempotencyPut(actionName, token, hash, JSON.stringify(value ?? {}), now.toISOString());
        return value;
      }),
    };
  }

  /**
   * Runs `fn` for the admin API (not an EC2 action) in one write transaction of `scope`, after bootstrapping the
   * scope, with the same ActionContext an action gets. A throw rolls the transaction back.
   */
  runAdmin<T>(scope: Scope, principal: string, fn: (ctx: ActionContext) => T): T {
    this.ensureScope(scope);
    const now = this.#o.now();
    return this.#o.store.tx(scope, (tx) => fn(this.#context(tx, scope, now, "admin", principal)));
  }

  /** The context every action (and admin/bootstrap code) runs with. */
  #context(tx: Tx, scope: Scope, now: Date, requestId: string, principal: string): ActionContext {
    return {
      tx,
      scope,
      now,
      ids: this.#o.ids,
      requestId,
      catalog: this.#o.catalog,
      quotas: this.#o.quotas,
      principal,
      delays: this.#o.delays,
      byoipProvisionDelayMs: this.#o.byoipProvisionDelayMs,
    };
  }

  /**
   * With non-zero transition delays, ENIs whose attaching/detaching/pending delay has passed are stored in their final
   * state before the request runs, so every Describe and rule sees what AWS would show at `now`. With the default
   * zero delays nothing is ever transient and this costs nothing.
   */
  #settleTransitions(scope: Scope, now: Date): void {
    const d = this.#o.delays;
    if (!d || (d.eniAttachMs <= 0 && d.eniDetachMs <= 0 && d.eniCreateMs <= 0)) return;
    this.#o.store.tx(scope, (tx) => {
      for (const e of settledChanges(tx.list("network-interface"), now)) tx.put(e);
    });
  }

  #tokenMember(inputShape: string | undefined): string | undefined {
    if (!inputShape) return undefined;
    const members = ec2Model().shapes[inputShape]?.members ?? {};
    if (members["ClientToken"]) return "ClientToken";
    return Object.entries(members).find(([, d]) => d.idempotencyToken)?.[0];
  }

  /** Bootstraps a (account, region) on first sight: its default VPC and everything in it. */
  ensureScope(scope: Scope): void {
    const key = `${scope.account}/${scope.region}`;
    if (this.#initialized.has(key)) return;
    const { store } = this.#o;
    if (!store.isScopeInitialized(scope)) {
      const now = this.#o.now();
      store.tx(scope, (tx) => {
        initializeScope(this.#context(tx, scope, now, "bootstrap", "bootstrap"));
        store.markScopeInitialized(scope, now.toISOString());
      });
    }
    this.#initialized.add(key);
  }
}

/** Canonical hash of the request parameters, excluding the token itself, DryRun and protocol/auth parameters. */
const paramsHash = (params: readonly [string, string][], tokenParam: string): string => {
  const skip = new Set([tokenParam, "DryRun", "Action", "Version"]);
  const kept = params.filter(([k]) => !skip.has(k) && !k.startsWith("X-Amz-")).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(kept)).digest("hex");
};
