/**
 * Elastic IP addresses (spec §2 group C, §4.3, §4.4, §4.14): AllocateAddress, AssociateAddress, DisassociateAddress,
 * ReleaseAddress, DescribeAddresses and the reverse-DNS attribute actions. An association is stored on the EIP record
 * (which ENI and private IP) and mirrored in the ENI's `publicIps`; the instance is derived from the ENI's attachment
 * when shown, so an EIP follows its ENI. Amazon's pool, or a BYOIP pool (PublicIpv4Pool / Address, services/ec2/actions/byoip.ts);
 * IpamPoolId and CustomerOwnedIpv4Pool are left out of `params`, so the pipeline answers UnsupportedOperation for them.
 */
import {
  AMAZON_POOL,
  allocationDomain,
  borderGroupFor,
  checkAddressQuota,
  checkInstanceTarget,
  planAssociation,
  ptrName,
  regainsPublicIp,
  targetPrivateIp,
  withAmazonPublicIp,
  withElasticIp,
  withoutElasticIp,
} from "../../../domain/elastic-ips.js";
import { settleEni } from "../../../domain/eni-attachment.js";
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { assertIdOf } from "../../../domain/ids.js";
import { isPrimarySlot } from "../../../domain/network-interfaces.js";
import { publicDnsName } from "../../../domain/regions.js";
import type { ElasticIpRecord, NetworkInterfaceRecord } from "../../../domain/types.js";
import type { Address, AddressAttribute, AssociateAddressRequest } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { unmappedFilters } from "../../common/describe-limits.js";
import { must } from "../lookups.js";
import { eniForCaller, instanceEnis, ownerTx, type HeldEni } from "../foreign-enis.js";
import { tagsFromSpecs } from "./tags.js";
import { byoipAddress } from "./byoip.js";
import { freshPublicIp } from "../public-ips.js";

// --- shared lookups and effects ---------------------------------------------------------------------------------

const settled = (ctx: ActionContext, eni: NetworkInterfaceRecord): NetworkInterfaceRecord => settleEni(eni, ctx.now);

/** The EIP with this public IP; one the caller does not hold is AuthFailure (spec §3). */
const eipByPublicIp = (tx: Tx, ip: string): ElasticIpRecord => {
  const id = tx.idsByKey("elastic-ip", "public-ip", ip)[0];
  const eip = id ? tx.get("elastic-ip", id) : undefined;
  if (!eip) throw err.addressNotOwned(ip);
  return eip;
};

/** The EIP named by AllocationId or (deprecated) PublicIp, exactly one of them. */
const eipByIdOrIp = (tx: Tx, allocationId: string | undefined, publicIp: string | undefined): ElasticIpRecord => {
  if (allocationId !== undefined && publicIp !== undefined) throw err.publicIpWithAllocationId();
  if (allocationId !== undefined) return must(tx, "elastic-ip", allocationId);
  if (publicIp !== undefined) return eipByPublicIp(tx, publicIp);
  throw err.missingParameter("allocationId");
};

/**
 * Removes the EIP's mapping from its ENI and the EIP. The ENI's running instance gets a new Amazon public IP when
 * eligible (spec §4.3), never the address it just lost.
 */
const disassociate = (ctx: ActionContext, eip: ElasticIpRecord): void => {
  const a = eip.association;
  if (!a) return;
  ctx.tx.put({ ...eip, association: undefined });
  // The ENI may be another account's (an EIP-ASSOCIATE permission): it is written back in its owner's scope.
  const etx = ownerTx(ctx.tx, a.networkInterfaceOwnerId);
  const stored = etx.get("network-interface", a.networkInterfaceId);
  if (stored) etx.put(regainPublicIp(ctx, etx, withoutElasticIp(settled(ctx, stored), eip.id), [eip.publicIp]));
};

/** `eni` (stored in `etx`'s scope) with a new Amazon public IP when its instance is eligible for one (spec §4.3). */
const regainPublicIp = (ctx: ActionContext, etx: Tx, eni: NetworkInterfaceRecord, avoid: readonly string[]): NetworkInterfaceRecord => {
  const instanceId = eni.attachment?.instanceId;
  const instance = instanceId ? etx.get("instance", instanceId) : undefined;
  const interfaceCount = instanceId ? instanceEnis(etx, instanceId, ctx.now).length : 0;
  return regainsPublicIp(eni, { instanceState: instance?.state, interfaceCount })
    ? withAmazonPublicIp(eni, freshPublicIp(ctx, avoid))
    : eni;
};

// --- AllocateAddress ----------------------------------------------------------------------------------------------

export const AllocateAddress = defineAction({
  name: "AllocateAddress",
  mutates: true,
  params: ["Domain", "NetworkBorderGroup", "TagSpecifications", "PublicIpv4Pool", "Address"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "elastic-ip", ctx);
    const networkBorderGroup = borderGroupFor(input.NetworkBorderGroup, ctx.scope.region);
    // BYOIP: an address from one of the caller's pools (PublicIpv4Pool and/or Address); exempt from the EIP quota.
    const byoip =
      input.PublicIpv4Pool !== undefined || input.Address !== undefined
        ? byoipAddress(ctx, input.PublicIpv4Pool, input.Address)
        : undefined;
    if (!byoip)
      checkAddressQuota(
        { total: ctx.tx.count("elastic-ip"), byoip: ctx.tx.countKey("elastic-ip", "byoip-pool") },
        ctx.quotas.elasticIpsPerRegion,
      );
    const eip: ElasticIpRecord = {
      kind: "elastic-ip",
      id: ctx.ids.next("allocation"),
      tags,
      publicIp: byoip?.publicIp ?? freshPublicIp(ctx),
      domain: allocationDomain(input.Domain),
      publicIpv4Pool: byoip?.poolId ?? AMAZON_POOL,
      networkBorderGroup,
    };
    ctx.tx.put(eip);
    return {
      PublicIp: eip.publicIp,
      AllocationId: eip.id,
      PublicIpv4Pool: eip.publicIpv4Pool,
      NetworkBorderGroup: networkBorderGroup,
      Domain: eip.domain,
    };
  },
});

// --- AssociateAddress ---------------------------------------------------------------------------------------------

/** The ENI and private IP an AssociateAddress request names (by instance or by ENI). */
const resolveTarget = (ctx: ActionContext, input: AssociateAddressRequest): { held: HeldEni; privateIp: string } => {
  const { tx } = ctx;
  if (input.InstanceId !== undefined && input.NetworkInterfaceId !== undefined)
    throw err.parametersTogether("instanceId", "networkInterfaceId");
  let held: HeldEni;
  if (input.InstanceId !== undefined) {
    const instance = must(tx, "instance", input.InstanceId);
    const enis = instanceEnis(tx, instance.id, ctx.now);
    checkInstanceTarget(instance.id, instance.state, enis.length);
    const primary = enis.find((h) => isPrimarySlot(h.eni));
    if (!primary) throw err.instanceStateForAddress(instance.id, instance.state);
    held = primary;
  } else if (input.NetworkInterfaceId !== undefined) {
    // Another account's ENI is reachable only with its owner's EIP-ASSOCIATE grant (else NotFound, as AWS answers).
    held = eniForCaller(tx, input.NetworkInterfaceId, "EIP-ASSOCIATE", ctx.now);
  } else {
    throw err.oneOfRequired(["instanceId", "networkInterfaceId"]);
  }
  return { held, privateIp: targetPrivateIp(held.eni, input.PrivateIpAddress) };
};

/** AssociateAddress names the address by AllocationId; a VPC address given by PublicIp is refused (spec §2 group C). */
const eipToAssociate = (tx: Tx, input: AssociateAddressRequest): ElasticIpRecord => {
  if (input.AllocationId === undefined && input.PublicIp !== undefined) {
    eipByPublicIp(tx, input.PublicIp);
    throw err.allocationIdRequired(input.NetworkInterfaceId !== undefined ? "a network interface" : "a VPC instance");
  }
  return eipByIdOrIp(tx, input.AllocationId, input.PublicIp);
};

export const AssociateAddress = defineAction({
  name: "AssociateAddress",
  mutates: true,
  params: ["AllocationId", "PublicIp", "InstanceId", "NetworkInterfaceId", "PrivateIpAddress", "AllowReassociation"],
  run(input, ctx) {
    const { tx } = ctx;
    const eip = eipToAssociate(tx, input);
    const { held, privateIp } = resolveTarget(ctx, input);
    const { eni, tx: etx } = held;
    if (etx.count("internet-gateway", { vpcId: eni.vpcId }) === 0) throw err.vpcWithoutGateway(eni.vpcId);
    const plan = planAssociation(eip, eni, privateIp, input.AllowReassociation);
    if (plan.unchanged) return { AssociationId: eip.association?.associationId };
    // The displaced EIP (if any, possibly another account's) and the EIP's previous mapping go first, so the target
    // is re-read afterwards.
    const displacedTx = plan.displaced ? ownerTx(etx, plan.displaced.ipOwnerId) : etx;
    const displaced = plan.displaced?.allocationId ? displacedTx.get("elastic-ip", plan.displaced.allocationId) : undefined;
    if (displaced) displacedTx.put({ ...displaced, association: undefined });
    const previous = eip.association;
    const associationId = ctx.ids.next("association");
    const moved: ElasticIpRecord = {
      ...eip,
      association: { associationId, networkInterfaceId: eni.id, networkInterfaceOwnerId: eni.ownerId, privateIp },
    };
    tx.put(moved);
    if (previous && previous.networkInterfaceId !== eni.id) {
      const stx = ownerTx(tx, previous.networkInterfaceOwnerId);
      const source = stx.get("network-interface", previous.networkInterfaceId);
      if (source) stx.put(regainPublicIp(ctx, stx, withoutElasticIp(settled(ctx, source), eip.id), [eip.publicIp]));
    }
    const target = settled(ctx, etx.get("network-interface", eni.id) ?? eni);
    etx.put(withElasticIp(target, privateIp, moved, associationId, ctx.scope.account));
    return { AssociationId: associationId };
  },
});

// --- DisassociateAddress / ReleaseAddress -------------------------------------------------------------------------

const eipByAssociation = (tx: Tx, associationId: string): ElasticIpRecord => {
  assertIdOf("association", associationId);
  const id = tx.idsByKey("elastic-ip", "association-id", associationId)[0];
  const eip = id ? tx.get("elastic-ip", id) : undefined;
  if (!eip) throw err.associationNotFound(associationId);
  return eip;
};

export const DisassociateAddress = defineAction({
  name: "DisassociateAddress",
  mutates: true,
  params: ["AssociationId", "PublicIp"],
  run(input, ctx) {
    if (input.AssociationId !== undefined && input.PublicIp !== undefined) throw err.parametersTogether("associationId", "publicIp");
    if (input.AssociationId === undefined && input.PublicIp === undefined) throw err.missingParameter("associationId");
    // By PublicIp an unassociated address is a no-op ("This is an idempotent operation" [DOC model]).
    disassociate(
      ctx,
      input.AssociationId !== undefined ? eipByAssociation(ctx.tx, input.AssociationId) : eipByPublicIp(ctx.tx, input.PublicIp!),
    );
    return {};
  },
});

export const ReleaseAddress = defineAction({
  name: "ReleaseAddress",
  mutates: true,
  params: ["AllocationId", "PublicIp", "NetworkBorderGroup"],
  run(input, ctx) {
    const eip = eipByIdOrIp(ctx.tx, input.AllocationId, input.PublicIp);
    if (input.NetworkBorderGroup !== undefined && input.NetworkBorderGroup !== eip.networkBorderGroup)
      throw err.addressNotFound(eip.publicIp);
    if (eip.association) {
      // "[Default VPC] Releasing an Elastic IP address automatically disassociates it … [Nondefault VPC] You must
      // disassociate the Elastic IP address before you can release it" [DOC model ReleaseAddress].
      const etx = ownerTx(ctx.tx, eip.association.networkInterfaceOwnerId);
      const eni = etx.get("network-interface", eip.association.networkInterfaceId);
      if (!(eni && etx.get("vpc", eni.vpcId)?.isDefault)) throw err.addressAlreadyInUse();
      disassociate(ctx, eip);
    }
    ctx.tx.delete(eip.id);
    return {};
  },
});

// --- DescribeAddresses --------------------------------------------------------------------------------------------

interface Row {
  readonly eip: ElasticIpRecord;
  /** The instance the ENI is attached to now (derived, never stored). */
  readonly instanceId?: string | undefined;
}

const rowOf = (ctx: ActionContext, eip: ElasticIpRecord): Row => {
  const stored =
    eip.association &&
    ownerTx(ctx.tx, eip.association.networkInterfaceOwnerId).get("network-interface", eip.association.networkInterfaceId);
  return { eip, instanceId: stored ? settled(ctx, stored).attachment?.instanceId : undefined };
};

const ADDRESS_FILTERS: FilterTable<Row> = {
  "allocation-id": (r) => r.eip.id,
  "association-id": (r) => r.eip.association?.associationId,
  "instance-id": (r) => r.instanceId,
  "network-border-group": (r) => r.eip.networkBorderGroup,
  "network-interface-id": (r) => r.eip.association?.networkInterfaceId,
  "network-interface-owner-id": (r) => r.eip.association?.networkInterfaceOwnerId,
  "private-ip-address": (r) => r.eip.association?.privateIp,
  "public-ip": (r) => r.eip.publicIp,
  // Not in the model's list but accepted by AWS and used in CLI examples (spec §2 group C).
  domain: (r) => r.eip.domain,
};
const ADDRESS_UNSUPPORTED = unmappedFilters("DescribeAddresses", ADDRESS_FILTERS);
const KEYED = ["public-ip", "association-id", "network-interface-id", "private-ip-address"];

export const addressView = (r: Row): Address => {
  const { eip } = r;
  const a = eip.association;
  return {
    PublicIp: eip.publicIp,
    AllocationId: eip.id,
    Domain: eip.domain,
    AssociationId: a?.associationId,
    InstanceId: r.instanceId,
    NetworkInterfaceId: a?.networkInterfaceId,
    NetworkInterfaceOwnerId: a?.networkInterfaceOwnerId,
    PrivateIpAddress: a?.privateIp,
    PublicIpv4Pool: eip.publicIpv4Pool,
    NetworkBorderGroup: eip.networkBorderGroup,
    Tags: tagView(eip.tags),
  };
};

export const DescribeAddresses = defineAction({
  name: "DescribeAddresses",
  mutates: false,
  params: ["PublicIps", "AllocationIds", "Filters"],
  run(input, ctx) {
    const { tx } = ctx;
    const ips = input.PublicIps ?? [];
    for (const ip of ips) if (tx.idsByKey("elastic-ip", "public-ip", ip).length === 0) throw err.addressNotFound(ip);
    const byIp = ips.flatMap((ip) => tx.idsByKey("elastic-ip", "public-ip", ip));
    const ids = input.AllocationIds?.length ? input.AllocationIds : byIp.length > 0 ? byIp : undefined;
    const page = describe({
      items: candidates(tx, "elastic-ip", ids, input.Filters, { id: "allocation-id", keyed: KEYED }).map((e) => rowOf(ctx, e)),
      idOf: (r) => r.eip.id,
      tagsOf: (r) => r.eip.tags,
      ids: input.AllocationIds,
      idKind: "allocation",
      notFound: (missing) => err.allocationNotFound(missing[0]!),
      filters: input.Filters,
      table: ADDRESS_FILTERS,
      unsupportedFilters: ADDRESS_UNSUPPORTED,
    });
    // PublicIp.N and AllocationId.N together: an address must match both lists.
    const items = ips.length > 0 ? page.items.filter((r) => ips.includes(r.eip.publicIp)) : page.items;
    return { Addresses: items.map(addressView) };
  },
});

// --- reverse DNS (domain-name attribute) ---------------------------------------------------------------------------

const attributeView = (eip: ElasticIpRecord, ptrRecord = eip.ptrRecord): AddressAttribute => ({
  PublicIp: eip.publicIp,
  AllocationId: eip.id,
  PtrRecord: ptrRecord,
});

/**
 * With ids: those addresses, an item without PtrRecord when none is set (Terraform's aws_eip read accepts that).
 * Without ids: only the addresses that have a reverse-DNS record, as the CLI docs say one must be set first.
 * // unverified: which addresses AWS lists without ids
 */
export const DescribeAddressesAttribute = defineAction({
  name: "DescribeAddressesAttribute",
  mutates: false,
  params: ["AllocationIds", "Attribute", "MaxResults", "NextToken"],
  run(input, ctx) {
    const ids = input.AllocationIds;
    const items = ids?.length ? candidates(ctx.tx, "elastic-ip", ids, undefined) : ctx.tx.list("elastic-ip").filter((e) => e.ptrRecord);
    const page = describe({
      items,
      idOf: (e) => e.id,
      ids,
      idKind: "allocation",
      notFound: (missing) => err.allocationNotFound(missing[0]!),
      table: {},
      taggable: false,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Addresses: page.items.map((e) => attributeView(e)), NextToken: page.nextToken };
  },
});

/**
 * localvpc has no DNS, so a reverse-DNS change completes at once: the answer shows it PENDING next to the previous
 * record, as the CLI example does, and DescribeAddressesAttribute shows it done. // unverified: AWS takes minutes
 * and first checks that the forward record points at the address.
 */
export const ModifyAddressAttribute = defineAction({
  name: "ModifyAddressAttribute",
  mutates: true,
  params: ["AllocationId", "DomainName"],
  run(input, ctx) {
    const eip = must(ctx.tx, "elastic-ip", input.AllocationId);
    if (input.DomainName === undefined) throw err.missingParameter("domainName");
    const ptr = ptrName(input.DomainName);
    ctx.tx.put({ ...eip, ptrRecord: ptr });
    return { Address: { ...attributeView(eip), PtrRecordUpdate: { Value: ptr, Status: "PENDING" } } };
  },
});

/** Reset returns the address to AWS's default reverse DNS (its public DNS name); nothing is stored for the default. */
export const ResetAddressAttribute = defineAction({
  name: "ResetAddressAttribute",
  mutates: true,
  params: ["AllocationId", "Attribute"],
  run(input, ctx) {
    const eip = must(ctx.tx, "elastic-ip", input.AllocationId);
    ctx.tx.put({ ...eip, ptrRecord: undefined });
    const fallback = `${publicDnsName(ctx.scope.region, eip.publicIp)}.`; // unverified: the value AWS shows while resetting
    return { Address: { ...attributeView(eip), PtrRecordUpdate: { Value: fallback, Status: "PENDING" } } };
  },
});

export const ADDRESS_ACTIONS = [
  AllocateAddress,
  AssociateAddress,
  DisassociateAddress,
  ReleaseAddress,
  DescribeAddresses,
  DescribeAddressesAttribute,
  ModifyAddressAttribute,
  ResetAddressAttribute,
];
