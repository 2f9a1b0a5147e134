/**
 * EC2 on the shared pipeline (services/common/pipeline.ts): its model, actions (registry.ts), Query binding
 * (binding.ts), errors, DryRun, ClientToken and one SQLite transaction per call; plus what is EC2's own around it:
 * bootstrapping each (account, region) with its default VPC on first sight, settling transient ENI states on the
 * simulated clock, and `runAdmin` for admin routes that change EC2 state (managed ENIs, traffic).
 */
import { err } from "../../domain/errors.js";
import type { IdGenerator } from "../../domain/ids.js";
import type { Quotas } from "../../domain/quotas.js";
import { settledChanges, type TransitionDelays } from "../../domain/eni-attachment.js";
import { settledEbs } from "../../domain/volumes.js";
import { ec2Model } from "../../protocol/model/index.js";
import type { Caller } from "../../protocol/auth.js";
import type { Scope, Store, Tx } from "../../store/store.js";
import type { Catalog } from "../../catalog/catalog.js";
import { runPipeline, type ServiceDefinition } from "../common/pipeline.js";
import type { ActionContext, ImageOptions, ReachabilityPort } from "./action.js";
import { ACTIONS } from "./registry.js";
import { initializeScope } from "./bootstrap.js";
import { EC2_BINDING, ec2Decoded, type Ec2Decoded } from "./binding.js";

export interface Ec2Request {
  readonly params: readonly [string, string][];
  readonly caller: Caller;
  readonly requestId: string;
}
export interface Ec2Reply {
  readonly status: number;
  readonly body: string;
  readonly action: string | undefined;
  readonly errorCode?: string | undefined;
  /** True when a mutating action committed (the console's event feed announces it). */
  readonly mutated?: boolean | undefined;
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
  /** Regions (issue 15): the opt-in regions the accounts opted in to (`serve --regions`; default none). */
  readonly optedInRegions?: ReadonlySet<string>;
  /** Images (issue 15): `--strict-images`, and the hook told of each unknown AMI id accepted as a generic image. */
  readonly images?: ImageOptions;
  /** Chaos (issue 15): when an instance was made impaired (the runtime's failure injection), injected by index.ts. */
  readonly impairedSince?: (instanceId: string) => Date | undefined;
  /** Reachability Analyzer (issue 21): the runtime's evaluator, injected by index.ts (services never import the runtime). */
  readonly reachability?: ReachabilityPort;
}

export class Ec2Service {
  readonly #o: ServiceOptions;
  readonly #initialized = new Set<string>();
  /** EC2 as the shared pipeline sees it (the dispatcher routes `ec2` requests to it). */
  readonly definition: ServiceDefinition<ActionContext, Ec2Decoded>;

  constructor(options: ServiceOptions) {
    this.#o = options;
    const { store } = options;
    this.definition = {
      name: "ec2",
      operations: () => ec2Model().operations,
      actions: ACTIONS,
      binding: EC2_BINDING,
      errors: {
        missingOperation: () => err.missingAction(),
        unknownOperation: (name) => err.invalidAction(name),
        notImplemented: (name) => err.notImplemented(name),
        unsupportedMember: (member, op) => err.unsupportedParameter(member, op),
        internal: () => err.internal(),
        unauthorized: () => err.unauthorized(),
        dryRun: () => err.dryRun(),
        tokenTooLong: () => err.clientTokenTooLong(),
        tokenNotAscii: () => err.clientTokenNotAscii(),
        idempotentMismatch: (token) => err.idempotentMismatch(token),
        expiredToken: () => err.ec2RequestExpired(),
        invalidToken: () => err.ec2AuthFailure(),
        invalidRegion: (region) => err.ec2InvalidRegion(region),
      },
      now: options.now,
      denied: options.deniedActions,
      dryRunMember: "DryRun",
      prepare: (info) => {
        this.ensureScope(info.scope);
        this.#settleTransitions(info.scope, info.now);
      },
      idempotency: {
        tokenMember: (inputShape) => this.#tokenMember(inputShape),
        get: (ctx, op, token) => ctx.tx.idempotencyGet(op, token),
        put: (ctx, op, token, hash, output) => ctx.tx.idempotencyPut(op, token, hash, output, ctx.now.toISOString()),
      },
      transaction: (kind, info, fn) => {
        const principal = info.caller.accessKeyId ?? "AIDALOCALVPCEXAMPLE";
        const ctxFor = (tx: Tx): ActionContext => this.#context(tx, info.scope, info.now, info.requestId, principal);
        if (kind === "read") return store.read(info.scope, (tx) => fn(ctxFor(tx)));
        if (kind === "write") return store.tx(info.scope, (tx) => fn(ctxFor(tx)));
        let result: ReturnType<typeof fn> | undefined;
        store.rehearse(info.scope, (tx) => {
          result = fn(ctxFor(tx));
        });
        return result as ReturnType<typeof fn>;
      },
      onInternalError: options.onInternalError,
    };
  }

  /** Forget which scopes were bootstrapped (after an admin reset). */
  forgetScopes(): void {
    this.#initialized.clear();
  }

  /** One EC2 Query request (already split into parameters) through the shared pipeline. */
  handle(req: Ec2Request): Ec2Reply {
    const reply = runPipeline(this.definition, ec2Decoded(req.params), req.caller, req.requestId);
    return { status: reply.status, body: reply.body, action: reply.operation, errorCode: reply.errorCode, mutated: reply.mutated };
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
      optedInRegions: this.#o.optedInRegions,
      images: this.#o.images,
      impairedSince: this.#o.impairedSince,
      reachability: this.#o.reachability, // issue 21
    };
  }

  /**
   * With non-zero transition delays, ENIs whose attaching/detaching/pending delay has passed are stored in their final
   * state before the request runs, so every Describe and rule sees what AWS would show at `now`. With the default
   * zero delays nothing is ever transient and this costs nothing.
   */
  #settleTransitions(scope: Scope, now: Date): void {
    const d = this.#o.delays;
    if (!d) return;
    const enis = d.eniAttachMs > 0 || d.eniDetachMs > 0 || d.eniCreateMs > 0;
    const ebs = d.volumeAttachMs > 0 || d.volumeDetachMs > 0 || d.snapshotMs > 0;
    if (!enis && !ebs) return;
    this.#o.store.tx(scope, (tx) => {
      // Only records keyed `settling` (store/secondary-keys.ts) can change: not a read of every ENI per call.
      const settling = <K extends "network-interface" | "volume" | "snapshot">(kind: K) =>
        tx.getMany(kind, tx.idsByKey(kind, "settling", "true"));
      if (enis) for (const e of settledChanges(settling("network-interface"), now)) tx.put(e);
      // --- volumes and snapshots (issue 15) ---
      if (ebs) for (const r of settledEbs(settling("volume"), settling("snapshot"), now)) tx.put(r);
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
