/**
 * AWS STS on the shared pipeline: the model (model/sts.json), the actions (actions.ts), the Query binding
 * (binding.ts). STS keeps its credentials in its own global table (store/sts-store.ts), one transaction per call.
 */
import { err } from "../../domain/errors.js";
import type { StsStore } from "../../store/sts-store.js";
import type { CallInfo, ServiceDefinition } from "../common/pipeline.js";
import { STS_ACTIONS, type StsContext } from "./actions.js";
import { STS_BINDING, stsModel } from "./binding.js";
import type { QueryDecoded } from "../common/query.js";
import type { Identity } from "../../protocol/auth.js";
import { resolveIdentity } from "./identity.js";

export interface StsServiceOptions {
  readonly store: StsStore;
  readonly now: () => Date;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

export const stsService = (o: StsServiceOptions): ServiceDefinition<StsContext, QueryDecoded> => {
  const version = (): string => stsModel().metadata.apiVersion;
  // The dispatcher resolved the identity (and refused expired or mismatched temporary keys) before the pipeline;
  // a caller built without it (a library test) is resolved the same way here.
  const identityOf = (info: CallInfo): Identity => {
    if (info.caller.identity) return info.caller.identity;
    const r = resolveIdentity(o.store, info.caller, info.caller.sessionToken, info.now.getTime());
    if ("problem" in r) throw err.stsExpiredToken();
    return r.caller.identity;
  };
  return {
    name: "sts",
    operations: () => stsModel().operations,
    actions: STS_ACTIONS,
    binding: STS_BINDING,
    errors: {
      missingOperation: () => err.queryMissingAction(),
      unknownOperation: (name) => err.queryInvalidAction(name, version()),
      notImplemented: (name) => err.queryNotImplemented("STS", name),
      unsupportedMember: (member, op) => err.queryUnsupportedMember(member, op),
      internal: () => err.queryInternal(),
      expiredToken: () => err.stsExpiredToken(),
      invalidToken: () => err.invalidClientTokenId(),
    },
    now: o.now,
    transaction: (kind, info, fn) => {
      const ctx: StsContext = { store: o.store, identity: identityOf(info), now: info.now };
      return kind === "read" ? o.store.read(() => fn(ctx)) : o.store.tx(() => fn(ctx));
    },
    onInternalError: o.onInternalError,
  };
};
