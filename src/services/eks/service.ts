/**
 * Amazon EKS on the shared pipeline (issue 18): the model (model/eks.json), the actions (actions.ts), the REST-JSON
 * binding (binding.ts). Clusters, node groups and add-ons are records of the EC2 store (`eks-cluster`, `eks-nodegroup`,
 * `eks-addon`), so one transaction covers a cluster and the ENIs, security group and instances it makes; state dumps
 * include them and an admin reset forgets them.
 */
import { err } from "../../domain/errors.js";
import { partitionOf } from "../../domain/regions.js";
import type { ServiceDefinition } from "../common/pipeline.js";
import type { ActionContext, Ec2Service } from "../ec2/seams.js";
import { EKS_ACTIONS, type EksContext } from "./actions.js";
import { EKS_BINDING, eksModel, type EksDecoded } from "./binding.js";

export interface EksServiceOptions {
  readonly ec2: Ec2Service;
  readonly now: () => Date;
  /** How long a cluster, node group or add-on stays CREATING and an update InProgress (default 0: at once). */
  readonly provisionMs?: number | undefined;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

export const eksContextOf = (ec2: ActionContext, provisionMs: number): EksContext => ({
  ec2,
  partition: partitionOf(ec2.scope.region),
  provisionMs,
});

export const eksService = (o: EksServiceOptions): ServiceDefinition<EksContext, EksDecoded> => ({
  name: "eks",
  operations: () => eksModel().operations,
  actions: EKS_ACTIONS,
  binding: EKS_BINDING,
  errors: {
    missingOperation: () => err.eksUnknownOperation("(none)"),
    unknownOperation: (name) => err.eksUnknownOperation(name),
    notImplemented: (name) => err.eksNotImplemented(name),
    unsupportedMember: (member, op) => err.eksUnsupportedMember(member, op),
    internal: () => err.eksInternal(),
    expiredToken: () => err.eksExpiredToken(),
    invalidToken: () => err.eksInvalidToken(),
    unreadableBody: (tooLarge) => err.eksBodyUnreadable(tooLarge),
  },
  now: o.now,
  prepare: (info) => o.ec2.ensureScope(info.scope),
  transaction: (kind, info, fn) => o.ec2.definition.transaction(kind, info, (ec2) => fn(eksContextOf(ec2, o.provisionMs ?? 0))),
  onInternalError: o.onInternalError,
});
