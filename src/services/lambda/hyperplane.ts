/**
 * Lambda's Hyperplane ENIs in the customer's subnets, created and removed through EC2's seams (createServiceEni /
 * deleteServiceEni), so EC2's own rules apply unchanged: the address is claimed in the subnet, DescribeNetworkInterfaces
 * shows the ENI (requester-managed, InterfaceType `lambda`), DeleteSubnet and DeleteSecurityGroup refuse with
 * DependencyViolation while it exists, and users cannot delete it.
 *
 * One `lambda-hyperplane-eni` record per (subnet, security-group set) holds the ENI id and the functions using it.
 * When the last one leaves, `releaseAt` is set and `settleHyperplane` deletes the ENI once the clock passes it; a
 * combination whose users have all gone Inactive (idle) is reclaimed at once.
 */
import { parseCidr, usableIpv4Count } from "../../domain/cidr.js";
import { err } from "../../domain/errors.js";
import {
  combinationsOf,
  HYPERPLANE_RELEASE_MS,
  IDLE_MS,
  lifecycleAt,
  REASON_INVALID_GROUP,
  REASON_INVALID_SUBNET,
  REASON_SUBNET_FULL,
  type LambdaOutcome,
  type LambdaVpcConfig,
} from "../../domain/lambda.js";
import { uuidOf } from "../../domain/ids.js";
import type { LambdaHyperplaneEniRecord } from "../../domain/types.js";
import { AMAZON_AWS_OWNER, lambdaEniDescription, lambdaRequesterId } from "../../world/service-accounts.js";
import { createServiceEni, deleteServiceEni, type ActionContext } from "../ec2/seams.js";

const freeIpv4 = (ctx: ActionContext, subnetId: string, cidrBlock: string | undefined): number => {
  const cidr = cidrBlock ? parseCidr(cidrBlock) : undefined;
  return cidr ? usableIpv4Count(cidr) - ctx.tx.ipv4UsedInSubnet(subnetId) : 0;
};

/**
 * Joins `functionArn` to every combination of `vpc`, creating the ENIs it lacks. Nothing is changed when one of them
 * cannot be made (subnet or group gone, subnet out of addresses): the outcome then says why, as the function's
 * StateReasonCode will.
 */
export const acquireHyperplane = (ctx: ActionContext, functionArn: string, functionName: string, vpc: LambdaVpcConfig): LambdaOutcome => {
  const { tx } = ctx;
  const combos = combinationsOf(vpc);
  const missing = combos.filter((c) => tx.get("lambda-hyperplane-eni", c.key) === undefined);
  for (const c of missing) {
    const subnet = tx.get("subnet", c.subnetId);
    if (!subnet) return { ok: false, reasonCode: "InvalidSubnet", reason: REASON_INVALID_SUBNET(c.subnetId) };
    const gone = c.groupIds.find((g) => tx.get("security-group", g) === undefined);
    if (gone) return { ok: false, reasonCode: "InvalidSecurityGroup", reason: REASON_INVALID_GROUP(gone) };
  }
  // Several new ENIs in one subnet need that many free addresses.
  const need = new Map<string, number>();
  for (const c of missing) need.set(c.subnetId, (need.get(c.subnetId) ?? 0) + 1);
  for (const [subnetId, n] of need) {
    if (freeIpv4(ctx, subnetId, tx.get("subnet", subnetId)?.cidrBlock) < n)
      return { ok: false, reasonCode: "SubnetOutOfIPAddresses", reason: REASON_SUBNET_FULL(subnetId) };
  }
  for (const c of combos) {
    const held = tx.get("lambda-hyperplane-eni", c.key);
    if (held) {
      const users = held.users.includes(functionArn) ? held.users : [...held.users, functionArn];
      tx.put({ ...held, users, releaseAt: undefined, checkAt: earlier(held.checkAt, idleBound(ctx)) });
      continue;
    }
    const subnet = tx.get("subnet", c.subnetId)!;
    const eni = createServiceEni(
      ctx,
      {
        subnet,
        description: lambdaEniDescription(functionName, uuidOf(ctx.ids)),
        interfaceType: "lambda",
        requesterId: lambdaRequesterId(functionName),
        instanceOwnerId: AMAZON_AWS_OWNER,
        groupIds: c.groupIds,
      },
      () => err.insufficientAddresses(),
    );
    const rec: LambdaHyperplaneEniRecord = {
      kind: "lambda-hyperplane-eni",
      id: c.key,
      tags: [],
      subnetId: c.subnetId,
      vpcId: subnet.vpcId,
      groupIds: c.groupIds,
      networkInterfaceId: eni.id,
      users: [functionArn],
      checkAt: idleBound(ctx),
    };
    tx.put(rec);
  }
  return { ok: true };
};

/** Removes `functionArn` from its combinations; an ENI left unused is deleted `HYPERPLANE_RELEASE_MS` later. */
export const releaseHyperplane = (ctx: ActionContext, functionArn: string, vpc: LambdaVpcConfig | undefined): void => {
  if (!vpc) return;
  for (const c of combinationsOf(vpc)) {
    const held = ctx.tx.get("lambda-hyperplane-eni", c.key);
    if (!held || !held.users.includes(functionArn)) continue;
    const users = held.users.filter((u) => u !== functionArn);
    const releaseAt = users.length === 0 ? new Date(ctx.now.getTime() + HYPERPLANE_RELEASE_MS).toISOString() : undefined;
    ctx.tx.put({ ...held, users, releaseAt, checkAt: releaseAt ?? held.checkAt });
  }
};

/**
 * The earliest a function joining now can go idle: its activity starts no earlier than now, and only moves forward,
 * so `checkAt` stays a lower bound (a check that comes early finds nothing and moves it on).
 */
const idleBound = (ctx: ActionContext): string => new Date(ctx.now.getTime() + IDLE_MS).toISOString();
const earlier = (a: string | undefined, b: string): string => (a !== undefined && a < b ? a : b);
const due = (h: LambdaHyperplaneEniRecord, now: Date): boolean => h.checkAt === undefined || Date.parse(h.checkAt) <= now.getTime();

/**
 * Brings the scope's Hyperplane ENIs up to `ctx.now`: deletes those whose release time has passed, drops users that
 * went Inactive (idle) and reclaims a combination none of whose users is left. Reads one record per combination (a
 * handful per account), and the functions of the combinations whose `checkAt` has come.
 */
export const settleHyperplane = (ctx: ActionContext): void => {
  const { tx, now } = ctx;
  for (const h of tx.list("lambda-hyperplane-eni")) {
    if (!due(h, now)) continue;
    if (h.users.length === 0) {
      if (h.releaseAt !== undefined && Date.parse(h.releaseAt) <= now.getTime()) {
        deleteServiceEni(ctx, h.networkInterfaceId);
        tx.delete(h.id);
      }
      continue;
    }
    let next: number | undefined;
    const users = h.users.filter((arn) => {
      const f = tx.get("lambda-function", arn);
      if (!f) return false;
      const l = lifecycleAt(f.lifecycle, now);
      if (l.state === "Inactive") return false;
      const idle = Date.parse(l.lastActiveAt) + IDLE_MS;
      next = next === undefined ? idle : Math.min(next, idle);
      return true;
    });
    if (users.length === 0) {
      // Lambda reclaims the ENI of idle functions: the function is Inactive because its ENI is gone.
      deleteServiceEni(ctx, h.networkInterfaceId);
      tx.delete(h.id);
    } else tx.put({ ...h, users, checkAt: new Date(next!).toISOString() });
  }
};

/**
 * Whether anything in the scope may be due: one read of the combination records (a handful per account), no function
 * reads, before any write transaction is opened.
 */
export const hyperplaneDue = (ctx: ActionContext): boolean => ctx.tx.list("lambda-hyperplane-eni").some((h) => due(h, ctx.now));
