/**
 * AWS Lambda on the shared pipeline (issue 17): the model (model/lambda.json), the actions (actions.ts), the REST-JSON
 * binding (binding.ts). Functions are records of the EC2 store (`lambda-function`, `lambda-hyperplane-eni`), so one
 * transaction covers a function and its Hyperplane ENIs, state dumps include them and an admin reset forgets them.
 *
 * Time: a function's Pending/InProgress settles on the simulated clock at read time (domain/lambda.ts `lifecycleAt`).
 * What must *change* stored state when time passes (an unused ENI deleted after its delay, the ENI of idle functions
 * reclaimed) is settled before every Lambda call of the scope and after every clock advance (`settleAll`).
 */
import { createHash } from "node:crypto";
import { err } from "../../domain/errors.js";
import { DEFAULT_ACTIVATION_MS } from "../../domain/lambda.js";
import { partitionOf } from "../../domain/regions.js";
import type { Scope } from "../../store/store.js";
import type { CallInfo, ServiceDefinition } from "../common/pipeline.js";
import type { ActionContext, Ec2Service } from "../ec2/seams.js";
import { LambdaDeferredError, type LambdaContext } from "./actions.js";
import { LAMBDA_BINDING, lambdaModel, type LambdaDecoded } from "./binding.js";
import { hyperplaneDue, settleHyperplane } from "./hyperplane.js";
import { LAMBDA_OPERATIONS } from "./registry.js";

export interface LambdaServiceOptions {
  readonly ec2: Ec2Service;
  readonly now: () => Date;
  /** The scopes that exist (the store's bootstrapped scopes), for `settleAll`. */
  readonly scopes: () => readonly Scope[];
  /** How long a function stays Pending / an update InProgress (default 1 s of simulated time). */
  readonly activationMs?: number;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("base64");

export class LambdaService {
  readonly #o: LambdaServiceOptions;
  readonly definition: ServiceDefinition<LambdaContext, LambdaDecoded>;

  constructor(o: LambdaServiceOptions) {
    this.#o = o;
    const ctxOf = (ec2: ActionContext): LambdaContext => ({
      ec2,
      partition: partitionOf(ec2.scope.region),
      activationMs: o.activationMs ?? DEFAULT_ACTIVATION_MS,
      sha256,
    });
    this.definition = {
      name: "lambda",
      operations: () => lambdaModel().operations,
      actions: LAMBDA_OPERATIONS,
      binding: LAMBDA_BINDING,
      errors: {
        missingOperation: () => err.lambdaUnknownOperation("(none)"),
        unknownOperation: (name) => err.lambdaUnknownOperation(name),
        notImplemented: (name) => err.lambdaNotImplemented(name),
        unsupportedMember: (member, op) => err.lambdaUnsupportedMember(member, op),
        internal: () => err.lambdaInternal(),
        expiredToken: () => err.lambdaExpiredToken(),
        invalidToken: () => err.lambdaInvalidToken(),
        unreadableBody: (tooLarge) => err.lambdaBodyUnreadable(tooLarge),
      },
      now: o.now,
      prepare: (info) => {
        o.ec2.ensureScope(info.scope);
        this.#settle(info.scope);
      },
      transaction: (kind, info: CallInfo, fn) => {
        try {
          return o.ec2.definition.transaction(kind, info, (ec2) => fn(ctxOf(ec2)));
        } catch (e) {
          // AWS changes state and still answers an error (Invoke on an Inactive function): commit only the effect.
          if (e instanceof LambdaDeferredError && kind === "write")
            o.ec2.definition.transaction("write", info, (ec2) => e.effect(ctxOf(ec2)));
          throw e;
        }
      },
      onInternalError: o.onInternalError,
    };
  }

  /** Settles every scope (after a clock advance: unused ENIs past their delay are deleted, idle ENIs reclaimed). */
  settleAll(): void {
    for (const scope of this.#o.scopes()) this.#settle(scope);
  }

  #settle(scope: Scope): void {
    const info: CallInfo = {
      scope,
      now: this.#o.now(),
      requestId: "lambda-settle",
      caller: { accessKeyId: undefined, account: scope.account, region: scope.region, service: "lambda" },
    };
    const def = this.#o.ec2.definition;
    // Most calls find nothing due: look in a read transaction first, write only when something changes.
    if (!def.transaction("read", info, (ctx) => hyperplaneDue(ctx))) return;
    def.transaction("write", info, (ctx) => settleHyperplane(ctx));
  }
}
