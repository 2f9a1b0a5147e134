/**
 * BYOIP (spec §5): ProvisionByoipCidr, AdvertiseByoipCidr, WithdrawByoipCidr, DeprovisionByoipCidr,
 * DescribeByoipCidrs, DescribePublicIpv4Pools, DescribeIpv6Pools, GetAssociatedIpv6PoolCidrs, and the pool helpers
 * AllocateAddress (addresses.ts) and CreateVpc/AssociateVpcCidrBlock (vpcs.ts) use.
 *
 * A provisioned CIDR is one `byoip-cidr` record in the caller's (account, region) whose id is its pool's id. The
 * verification runs against the simulated world (registry, RDAP, RPKI, reputation: world scope, see
 * byoip-world.ts) when ProvisionByoipCidr is called, and its outcome becomes visible once the configured provisioning
 * delay has passed on the simulated clock (AWS: "can take up to one week"). Advertise, Withdraw and Deprovision
 * answer with the transitional state (pending-advertising …) and the record is stored in the final one.
 */
import {
  WORLD_SCOPE,
  advertised,
  allRoas,
  byoipRequestCidr,
  checkByoipQuota,
  checkNoOverlap,
  checkRate,
  deprovisioned,
  findExact,
  holdsRange,
  inPool,
  poolRange,
  poolUsable,
  provisioningOutcome,
  registrationFor,
  settleByoip,
  withdrawn,
} from "../../../domain/byoip.js";
import {
  containsCidr,
  formatAddress,
  formatCidr,
  lastAddress,
  overlaps,
  parseAddress,
  parseCidr,
  subBlock,
  type Cidr,
} from "../../../domain/cidr.js";
import { borderGroupFor } from "../../../domain/elastic-ips.js";
import { err } from "../../../domain/errors.js";
import type { ByoipCidrRecord, ByoipState, ByoipThrottleRecord, VpcRecord } from "../../../domain/types.js";
import type { ByoipCidr, Ipv6Pool, PublicIpv4Pool } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { verifyRsaPss } from "../byoip-signature.js";
import { describe, tagView } from "../../common/describe.js";
import { tagsFromSpecs } from "./tags.js";

// --- records ------------------------------------------------------------------------------------------------------

/** The scope's BYOIP CIDRs as AWS shows them at `now` (pending ones whose delay has passed are settled). */
export const byoipCidrs = (ctx: ActionContext): ByoipCidrRecord[] => ctx.tx.list("byoip-cidr").map((r) => settleByoip(r, ctx.now));

/** Same, storing settled records so that a mutating action works on what it shows. */
const settledForWrite = (ctx: ActionContext): ByoipCidrRecord[] =>
  ctx.tx.list("byoip-cidr").map((r) => {
    const s = settleByoip(r, ctx.now);
    if (s !== r) ctx.tx.put(s);
    return s;
  });

export const byoipCidrView = (r: ByoipCidrRecord, state: ByoipState = r.state): ByoipCidr => ({
  Cidr: r.cidr,
  Description: r.description,
  StatusMessage: state === r.state ? r.statusMessage : undefined,
  State: state,
  NetworkBorderGroup: r.networkBorderGroup,
});

const isV4 = (r: ByoipCidrRecord): boolean => parseCidr(r.network)?.version === 4;

// --- ProvisionByoipCidr -------------------------------------------------------------------------------------------

export const ProvisionByoipCidr = defineAction({
  name: "ProvisionByoipCidr",
  mutates: true,
  params: ["Cidr", "CidrAuthorizationContext", "PubliclyAdvertisable", "Description", "PoolTagSpecifications", "NetworkBorderGroup"],
  run(input, ctx) {
    const { network, advertisable } = byoipRequestCidr(input.Cidr, input.PubliclyAdvertisable);
    const networkBorderGroup = borderGroupFor(input.NetworkBorderGroup, ctx.scope.region);
    // "required for publicly advertisable ranges" [DOC model CidrAuthorizationContext]
    if (advertisable && !input.CidrAuthorizationContext) throw err.missingParameter("cidrAuthorizationContext");
    const v4 = network.version === 4;
    const tags = tagsFromSpecs(input.PoolTagSpecifications, v4 ? "ipv4pool-ec2" : "ipv6pool-ec2", ctx);
    const mine = settledForWrite(ctx);
    const canonical = formatCidr(network);
    // Re-running Provision after failed-provision (or deprovisioned) replaces that record [DOC ec2-byoip].
    const replacing = mine.find((r) => r.network === canonical && !holdsRange(r.state));
    checkByoipQuota(mine, replacing?.id, ctx.quotas.byoipCidrsPerRegion);
    const everywhere = ctx.tx.listEverywhere("byoip-cidr").map((x) => settleByoip(x.record, ctx.now));
    checkNoOverlap(input.Cidr, network, everywhere);
    const ranges = ctx.tx.forScope(WORLD_SCOPE).list("rir-range");
    const outcome = provisioningOutcome({
      account: ctx.scope.account,
      cidr: input.Cidr,
      network,
      advertisable,
      context: input.CidrAuthorizationContext,
      now: ctx.now,
      registration: registrationFor(ranges, network),
      roas: allRoas(ranges),
      verify: verifyRsaPss,
    });
    const record: ByoipCidrRecord = {
      kind: "byoip-cidr",
      id: replacing?.id ?? ctx.ids.next(v4 ? "ipv4Pool" : "ipv6Pool"),
      tags,
      cidr: input.Cidr,
      network: canonical,
      description: input.Description,
      state: "pending-provision",
      publiclyAdvertisable: advertisable,
      networkBorderGroup,
      settlesAt: new Date(ctx.now.getTime() + (ctx.byoipProvisionDelayMs ?? 0)).toISOString(),
      outcome,
      provisionedAt: ctx.now.toISOString(),
    };
    ctx.tx.put(record);
    return { ByoipCidr: byoipCidrView(record) };
  },
});

// --- Advertise / Withdraw / Deprovision ---------------------------------------------------------------------------

/**
 * Advertise and Withdraw are each limited to once every 10 seconds per account (all Regions). The limit is checked
 * before anything else, as throttling is; only a call that succeeds uses up the window (`record` at the end).
 */
const throttle = (ctx: ActionContext, which: "lastAdvertiseAt" | "lastWithdrawAt"): { record: () => void } => {
  const world = ctx.tx.forScope(WORLD_SCOPE);
  const id = `byoip-throttle:${ctx.scope.account}`;
  const t: ByoipThrottleRecord = world.get("byoip-throttle", id) ?? { kind: "byoip-throttle", id, tags: [] };
  checkRate(t[which], ctx.now);
  return { record: () => world.put({ ...t, [which]: ctx.now.toISOString() }) };
};

export const AdvertiseByoipCidr = defineAction({
  name: "AdvertiseByoipCidr",
  mutates: true,
  // Asn (BYOASN through IPAM) is not implemented: the pipeline rejects it.
  params: ["Cidr", "NetworkBorderGroup"],
  run(input, ctx) {
    const limit = throttle(ctx, "lastAdvertiseAt");
    const r = findExact(settledForWrite(ctx), input.Cidr);
    borderGroupFor(input.NetworkBorderGroup, ctx.scope.region);
    const next = advertised(r);
    limit.record();
    ctx.tx.put(next);
    return { ByoipCidr: byoipCidrView(next, "pending-advertising") };
  },
});

export const WithdrawByoipCidr = defineAction({
  name: "WithdrawByoipCidr",
  mutates: true,
  params: ["Cidr"],
  run(input, ctx) {
    const limit = throttle(ctx, "lastWithdrawAt");
    const r = findExact(settledForWrite(ctx), input.Cidr);
    const next = withdrawn(r);
    limit.record();
    ctx.tx.put(next);
    return { ByoipCidr: byoipCidrView(next, "pending-withdrawal") };
  },
});

/** EIPs allocated from a pool in this scope. */
const poolAllocations = (tx: Tx, poolId: string): number => tx.idsByKey("elastic-ip", "byoip-pool", poolId).length;

/** IPv6 blocks from a pool associated with VPCs in this scope. */
const poolAssociations = (tx: Tx, poolId: string): { vpc: VpcRecord; block: string }[] =>
  tx
    .list("vpc")
    .flatMap((vpc) =>
      vpc.ipv6Associations.filter((a) => a.ipv6Pool === poolId && a.state === "associated").map((a) => ({ vpc, block: a.ipv6CidrBlock })),
    );

export const DeprovisionByoipCidr = defineAction({
  name: "DeprovisionByoipCidr",
  mutates: true,
  params: ["Cidr"],
  run(input, ctx) {
    const r = findExact(settledForWrite(ctx), input.Cidr);
    const next = deprovisioned(r, {
      allocatedAddresses: poolAllocations(ctx.tx, r.id),
      associatedIpv6Cidrs: poolAssociations(ctx.tx, r.id).length,
    });
    ctx.tx.put(next);
    return { ByoipCidr: byoipCidrView(next, "pending-deprovision") };
  },
});

export const DescribeByoipCidrs = defineAction({
  name: "DescribeByoipCidrs",
  mutates: false,
  params: ["MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: byoipCidrs(ctx),
      idOf: (r) => r.id,
      table: {},
      taggable: false,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { ByoipCidrs: page.items.map((r) => byoipCidrView(r)), NextToken: page.nextToken };
  },
});

// --- pools --------------------------------------------------------------------------------------------------------

const usablePools = (ctx: ActionContext, v4: boolean): ByoipCidrRecord[] =>
  byoipCidrs(ctx).filter((r) => isV4(r) === v4 && poolUsable(r.state));

const publicIpv4PoolView = (ctx: ActionContext, r: ByoipCidrRecord): PublicIpv4Pool => {
  const range = poolRange(r.network);
  const available = range.count - poolAllocations(ctx.tx, r.id);
  return {
    PoolId: r.id,
    Description: r.description,
    PoolAddressRanges: [
      { FirstAddress: range.first, LastAddress: range.last, AddressCount: range.count, AvailableAddressCount: available },
    ],
    TotalAddressCount: range.count,
    TotalAvailableAddressCount: available,
    NetworkBorderGroup: r.networkBorderGroup,
    Tags: tagView(r.tags),
  };
};

export const DescribePublicIpv4Pools = defineAction({
  name: "DescribePublicIpv4Pools",
  mutates: false,
  params: ["PoolIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: usablePools(ctx, true),
      idOf: (r) => r.id,
      ids: input.PoolIds,
      notFound: (m) => err.publicIpv4PoolNotFound(m[0]!),
      filters: input.Filters,
      table: {},
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { PublicIpv4Pools: page.items.map((r) => publicIpv4PoolView(ctx, r)), NextToken: page.nextToken };
  },
});

const ipv6PoolView = (r: ByoipCidrRecord): Ipv6Pool => ({
  PoolId: r.id,
  Description: r.description,
  PoolCidrBlocks: [{ Cidr: r.network }],
  Tags: tagView(r.tags),
});

export const DescribeIpv6Pools = defineAction({
  name: "DescribeIpv6Pools",
  mutates: false,
  params: ["PoolIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: usablePools(ctx, false),
      idOf: (r) => r.id,
      ids: input.PoolIds,
      notFound: (m) => err.ipv6PoolNotFound(m[0]!),
      filters: input.Filters,
      table: {},
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Ipv6Pools: page.items.map(ipv6PoolView), NextToken: page.nextToken };
  },
});

export const GetAssociatedIpv6PoolCidrs = defineAction({
  name: "GetAssociatedIpv6PoolCidrs",
  mutates: false,
  params: ["PoolId", "MaxResults", "NextToken"],
  run(input, ctx) {
    const pool = ipv6Pool(ctx, input.PoolId);
    const page = describe({
      items: poolAssociations(ctx.tx, pool.id),
      idOf: (a) => a.block,
      table: {},
      taggable: false,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return {
      Ipv6CidrAssociations: page.items.map((a) => ({ Ipv6Cidr: a.block, AssociatedResource: a.vpc.id })),
      NextToken: page.nextToken,
    };
  },
});

// --- helpers for AllocateAddress (addresses.ts) and CreateVpc / AssociateVpcCidrBlock (vpcs.ts) -------------------

const publicIpTaken = (tx: Tx, ip: string): boolean =>
  tx.idsByKey("elastic-ip", "public-ip", ip).length > 0 || tx.idsByKey("network-interface", "association.public-ip", ip).length > 0;

/**
 * The BYOIP address an AllocateAddress with `PublicIpv4Pool` and/or `Address` takes (spec §5.6): with a pool, the
 * requested address (which must be in it and free) or the lowest free one; with only an address, that address from
 * whichever of the caller's pools holds it. Answers the address and its pool id.
 */
export const byoipAddress = (
  ctx: ActionContext,
  poolId: string | undefined,
  address: string | undefined,
): { publicIp: string; poolId: string } => {
  const pools = usablePools(ctx, true);
  const wanted = address !== undefined ? parseAddress(address) : undefined;
  if (address !== undefined && wanted?.version !== 4) throw err.addressNotInOwnedPool(address);
  let pool: ByoipCidrRecord | undefined;
  if (poolId !== undefined) {
    pool = pools.find((p) => p.id === poolId);
    if (!pool) throw err.publicIpv4PoolNotFound(poolId);
    if (wanted && !inPool(pool.network, wanted)) throw err.addressNotInPool(address!, poolId);
  } else {
    pool = wanted ? pools.find((p) => inPool(p.network, wanted)) : undefined;
    if (!pool) throw err.addressNotInOwnedPool(address ?? "");
  }
  if (address !== undefined) {
    if (publicIpTaken(ctx.tx, address)) throw err.poolAddressInUse(address);
    return { publicIp: address, poolId: pool.id };
  }
  const c = parseCidr(pool.network)!;
  for (let v = c.network; v <= lastAddress(c); v++) {
    const ip = formatAddress(4, v);
    if (!publicIpTaken(ctx.tx, ip)) return { publicIp: ip, poolId: pool.id };
  }
  throw err.poolExhausted(pool.id);
};

const ipv6Pool = (ctx: ActionContext, poolId: string): ByoipCidrRecord => {
  const pool = usablePools(ctx, false).find((p) => p.id === poolId);
  if (!pool) throw err.ipv6PoolNotFound(poolId);
  return pool;
};

/**
 * A /56 for a VPC from a BYOIP IPv6 pool (spec §5.6): the requested `Ipv6CidrBlock` (a /56 inside the pool, not in
 * use) or the first free /56. Answers the VPC with the block associated.
 */
export const withPoolIpv6Block = (ctx: ActionContext, vpc: VpcRecord, poolId: string, requested: string | undefined): VpcRecord => {
  const pool = ipv6Pool(ctx, poolId);
  if (vpc.ipv6Associations.some((a) => a.state === "associated")) throw err.ipv6CidrAlreadyAssociated(vpc.id);
  const poolCidr = parseCidr(pool.network)!;
  const used: Cidr[] = poolAssociations(ctx.tx, pool.id).map((a) => parseCidr(a.block)!);
  let block: Cidr | undefined;
  if (requested !== undefined) {
    const c = parseCidr(requested);
    if (!c || c.version !== 6 || c.prefix !== 56 || !containsCidr(poolCidr, c)) throw err.ipv6PoolBlockInvalid(requested, pool.id);
    if (used.some((u) => overlaps(u, c))) throw err.ipv6PoolBlockInUse(requested);
    block = c;
  } else {
    const n = 1n << BigInt(56 - poolCidr.prefix);
    for (let i = 0n; i < n && !block; i++) {
      const candidate = subBlock(poolCidr, 56, i);
      if (!used.some((u) => overlaps(u, candidate))) block = candidate;
    }
    if (!block) throw err.ipv6PoolExhausted(pool.id);
  }
  return {
    ...vpc,
    ipv6Associations: [
      ...vpc.ipv6Associations,
      {
        associationId: ctx.ids.next("vpcCidrAssociation"),
        ipv6CidrBlock: formatCidr(block),
        state: "associated",
        networkBorderGroup: pool.networkBorderGroup,
        ipv6Pool: pool.id,
      },
    ],
  };
};

export const BYOIP_ACTIONS = [
  ProvisionByoipCidr,
  AdvertiseByoipCidr,
  WithdrawByoipCidr,
  DeprovisionByoipCidr,
  DescribeByoipCidrs,
  DescribePublicIpv4Pools,
  DescribeIpv6Pools,
  GetAssociatedIpv6PoolCidrs,
];
