/**
 * Elastic Load Balancing v2 on the shared pipeline (issue 17): the model (model/elbv2.json), the actions
 * (actions/*.ts), the Query binding (binding.ts). ELBv2 keeps its records in EC2's store and runs in EC2's
 * transaction (through `Ec2Service`, EC2's seam), so a load balancer and the requester-managed ENIs it owns in the
 * customer's subnets are created, changed and deleted together, and a failed call changes nothing in either.
 */
import { err } from "../../domain/errors.js";
import type { ServiceDefinition } from "../common/pipeline.js";
import type { QueryDecoded } from "../common/query.js";
import type { Ec2Service } from "../ec2/seams.js";
import type { Elbv2Context, HealthProbe } from "./context.js";
import { ELBV2_ACTIONS } from "./actions/index.js";
import { ELBV2_BINDING, elbv2Model } from "./binding.js";

export type { Elbv2Context, HealthProbe } from "./context.js";

export interface Elbv2ServiceOptions {
  readonly ec2: Ec2Service;
  readonly health: HealthProbe;
  /** Default 0: `active` at once (the waiter's first DescribeLoadBalancers succeeds). */
  readonly provisionMs?: number | undefined;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

export const elbv2Service = (o: Elbv2ServiceOptions): ServiceDefinition<Elbv2Context, QueryDecoded> => {
  const version = (): string => elbv2Model().metadata.apiVersion;
  const ec2 = o.ec2.definition;
  return {
    // The SigV4 signing name the AWS CLI and SDKs use for ELBv2.
    name: "elasticloadbalancing",
    operations: () => elbv2Model().operations,
    actions: ELBV2_ACTIONS,
    binding: ELBV2_BINDING,
    errors: {
      missingOperation: () => err.queryMissingAction(),
      unknownOperation: (name) => err.queryInvalidAction(name, version()),
      notImplemented: (name) => err.elbNotImplemented(name),
      unsupportedMember: (member, op) => err.queryUnsupportedMember(member, op),
      internal: () => err.queryInternal(),
      expiredToken: () => err.stsExpiredToken(),
      invalidToken: () => err.invalidClientTokenId(),
    },
    now: ec2.now,
    // The account's default VPC exists before the first ELBv2 call, as it does in AWS.
    prepare: (info) => o.ec2.ensureScope(info.scope),
    transaction: (kind, info, fn) =>
      ec2.transaction(kind, info, (ctx) => fn({ ...ctx, health: o.health, provisionMs: o.provisionMs ?? 0 })),
    onInternalError: o.onInternalError,
  };
};
