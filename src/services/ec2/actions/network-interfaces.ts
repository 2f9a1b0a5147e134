/**
 * ENI core (spec §2 group B, §4.1–4.13): Create/Delete/DescribeNetworkInterfaces, the interface attributes, and
 * private IPv4 / IPv6 / prefix assignment. Address rules live in domain/eni-addresses.ts; this file claims the
 * addresses in the store's ip_usage table (one row per address, one row of weight 16 per IPv4 /28 prefix).
 */
import { checkExplicitIpv4, macAddress } from "../../../domain/addressing.js";
import { formatAddress, parseAddress, parseCidr, type Cidr } from "../../../domain/cidr.js";
import {
  IPV4_PREFIX_WEIGHT,
  UsedSpace,
  checkExplicitIpv6,
  checkExplicitPrefix,
  checkInterfaceLimits,
  coveringPrefixOf,
  lowestFreePrefixes,
  planAssignIpv4,
  planAssignIpv6,
  planCreateAddresses,
  prefixMembers,
  type InterfaceCounts,
  type InterfaceLimits,
} from "../../../domain/eni-addresses.js";
import { err, type Ec2Error } from "../../../domain/errors.js";
import { assertIdOf } from "../../../domain/ids.js";
import { buildNetworkInterface } from "../../../domain/network-interfaces.js";
import { privateDnsName, publicDnsName, regionInfo } from "../../../domain/regions.js";
import type { NetworkInterfaceRecord, SubnetRecord } from "../../../domain/types.js";
import type { FilterTable } from "../../../domain/filters.js";
import type { NetworkInterface, NetworkInterfaceAssociation, NetworkInterfaceAttachment } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { claimLowestFree } from "../address-space.js";
import { reservedRanges } from "../../../domain/subnet-cidr-reservations.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe, scanCandidates, tagView, type IndexedFilters } from "../../common/describe.js";
import { dropEipAssociations } from "../eip-links.js";
import { groupsView, viewLookups, type ViewLookups } from "../instance-views.js";
import { resolveType, typeLimits } from "../launch.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

// --- views ----------------------------------------------------------------------------------------------------

const zoneIdOf = (region: string, zone: string): string | undefined => regionInfo(region).zones.find((z) => z.zoneName === zone)?.zoneId;

const primaryIpOf = (eni: NetworkInterfaceRecord): string | undefined => eni.privateIps.find((p) => p.primary)?.address;

/** Public DNS names exist only in VPCs with DNS hostnames enabled. */
const publicDnsOf = (eni: NetworkInterfaceRecord, ip: string, region: string, l: ViewLookups): string =>
  l.vpc(eni.vpcId)?.enableDnsHostnames ? publicDnsName(region, ip) : "";

const associationOf = (
  eni: NetworkInterfaceRecord,
  privateIp: string | undefined,
  region: string,
  l: ViewLookups,
): NetworkInterfaceAssociation | undefined => {
  const a = privateIp === undefined ? undefined : eni.publicIps.find((p) => p.privateIp === privateIp);
  if (!a) return undefined;
  return {
    AllocationId: a.allocationId,
    AssociationId: a.associationId,
    IpOwnerId: a.ipOwnerId,
    PublicDnsName: publicDnsOf(eni, a.publicIp, region, l),
    PublicIp: a.publicIp,
  };
};

export const eniAttachmentView = (eni: NetworkInterfaceRecord): NetworkInterfaceAttachment | undefined => {
  const at = eni.attachment;
  return at
    ? {
        AttachTime: new Date(at.attachTime),
        AttachmentId: at.attachmentId,
        DeleteOnTermination: at.deleteOnTermination,
        DeviceIndex: at.deviceIndex,
        NetworkCardIndex: at.networkCardIndex,
        InstanceId: at.instanceId,
        InstanceOwnerId: at.instanceOwnerId,
        Status: at.status,
      }
    : undefined;
};

/** The NetworkInterface shape of DescribeNetworkInterfaces and CreateNetworkInterface. */
export const networkInterfaceView = (eni: NetworkInterfaceRecord, region: string, l: ViewLookups): NetworkInterface => {
  const primaryIp = primaryIpOf(eni);
  return {
    Association: associationOf(eni, primaryIp, region, l),
    Attachment: eniAttachmentView(eni),
    AvailabilityZone: eni.availabilityZone,
    AvailabilityZoneId: zoneIdOf(region, eni.availabilityZone),
    Description: eni.description,
    Groups: groupsView(eni.groupIds, l),
    InterfaceType: eni.interfaceType as NetworkInterface["InterfaceType"],
    Ipv6Addresses: eni.ipv6Addresses.map((a) => ({ Ipv6Address: a.address, IsPrimaryIpv6: a.isPrimaryIpv6 })),
    Ipv6Address: eni.ipv6Addresses.find((a) => a.isPrimaryIpv6)?.address,
    MacAddress: eni.macAddress,
    NetworkInterfaceId: eni.id,
    OwnerId: eni.ownerId,
    PrivateDnsName: primaryIp ? privateDnsName(region, primaryIp) : undefined,
    PrivateIpAddress: primaryIp,
    PrivateIpAddresses: eni.privateIps.map((p) => ({
      Association: associationOf(eni, p.address, region, l),
      Primary: p.primary,
      PrivateDnsName: privateDnsName(region, p.address),
      PrivateIpAddress: p.address,
    })),
    Ipv4Prefixes: eni.ipv4Prefixes.length > 0 ? eni.ipv4Prefixes.map((p) => ({ Ipv4Prefix: p })) : undefined,
    Ipv6Prefixes: eni.ipv6Prefixes.length > 0 ? eni.ipv6Prefixes.map((p) => ({ Ipv6Prefix: p })) : undefined,
    RequesterId: eni.requesterId,
    RequesterManaged: eni.requesterManaged,
    SourceDestCheck: eni.sourceDestCheck,
    Status: eni.status === "pending" ? "available" : eni.status,
    SubnetId: eni.subnetId,
    TagSet: tagView(eni.tags) ?? [],
    VpcId: eni.vpcId,
  };
};

// --- address claims -------------------------------------------------------------------------------------------

const ipv4BlockOf = (subnet: SubnetRecord): { text: string; cidr: Cidr } => {
  const cidr = subnet.cidrBlock ? parseCidr(subnet.cidrBlock) : undefined;
  // An IPv6-only subnet has no IPv4 space at all.
  if (!cidr || !subnet.cidrBlock) throw err.insufficientAddresses();
  return { text: subnet.cidrBlock, cidr };
};

const ipv6BlockOf = (subnet: SubnetRecord): { text: string; cidr: Cidr } => {
  const block = subnet.ipv6Associations.find((a) => a.state === "associated");
  if (!block) throw err.subnetNoIpv6ForAssign(subnet.id);
  return { text: block.ipv6CidrBlock, cidr: parseCidr(block.ipv6CidrBlock)! };
};

/** Who holds an address, directly or through the /28 · /80 prefix that contains it. */
const holderOf = (tx: Tx, subnetId: string, address: string): string | undefined =>
  tx.addressOwner(subnetId, address) ?? tx.addressOwner(subnetId, coveringPrefixOf(address) ?? "");

const claimOne = (tx: Tx, subnetId: string, address: string, family: 4 | 6, owner: string): void => {
  if (holderOf(tx, subnetId, address) !== undefined || !tx.claimAddress(subnetId, address, family, owner)) throw err.addressAlreadyInUse();
};

/**
 * Claims explicit addresses (already canonical) and then `count` lowest free ones. The used space is read once
 * (addresses and prefixes of the subnet: O(used), one indexed range read).
 */
const claimAddresses = (
  tx: Tx,
  subnet: SubnetRecord,
  family: 4 | 6,
  owner: string,
  explicit: readonly string[],
  count: number,
): string[] => {
  for (const ip of explicit) claimOne(tx, subnet.id, ip, family, owner);
  if (count === 0) return [...explicit];
  const { cidr } = family === 4 ? ipv4BlockOf(subnet) : ipv6BlockOf(subnet);
  const auto = claimLowestFree(tx, subnet.id, cidr, owner, count);
  return [...explicit, ...auto];
};

/** Claims explicit prefixes (already canonical) and `count` lowest free ones; an IPv4 /28 weighs 16 addresses. */
const claimPrefixes = (
  tx: Tx,
  subnet: SubnetRecord,
  family: 4 | 6,
  owner: string,
  explicit: readonly string[],
  count: number,
): string[] => {
  if (explicit.length + count === 0) return [];
  const { cidr } = family === 4 ? ipv4BlockOf(subnet) : ipv6BlockOf(subnet);
  const used = new UsedSpace(family, tx.addressesInSubnet(subnet.id, family));
  const weight = family === 4 ? IPV4_PREFIX_WEIGHT : 1;
  for (const p of explicit) {
    if (!used.prefixFree(p) || !tx.claimAddress(subnet.id, p, family, owner, weight)) throw err.addressAlreadyInUse();
    used.addPrefix(p);
  }
  const reservations = count > 0 ? reservedRanges(tx.list("subnet-cidr-reservation", { subnetId: subnet.id }), family) : [];
  const auto = lowestFreePrefixes(cidr, used, count, reservations);
  if (!auto) throw err.insufficientAddresses();
  for (const p of auto) tx.claimAddress(subnet.id, p, family, owner, weight);
  return [...explicit, ...auto];
};

const canonicalIpv4 = (subnet: SubnetRecord, ips: readonly string[]): string[] =>
  ips.map((ip) => checkExplicitIpv4(ipv4BlockOf(subnet).text, ip, subnet.id));
const canonicalIpv6 = (subnet: SubnetRecord, ips: readonly string[]): string[] =>
  ips.length === 0 ? [] : ips.map((ip) => checkExplicitIpv6(ipv6BlockOf(subnet).text, ip, subnet.id));
const canonicalPrefixes = (subnet: SubnetRecord, family: 4 | 6, prefixes: readonly string[]): string[] =>
  prefixes.length === 0
    ? []
    : prefixes.map((p) => checkExplicitPrefix(family, (family === 4 ? ipv4BlockOf(subnet) : ipv6BlockOf(subnet)).text, p, subnet.id));

// --- shared lookups -------------------------------------------------------------------------------------------

/** The instance type limits that bound an attached ENI; undefined when it is not attached (spec §4.11, §8.7). */
const limitsOf = (ctx: ActionContext, eni: NetworkInterfaceRecord): InterfaceLimits | undefined => {
  const instance = eni.attachment ? ctx.tx.get("instance", eni.attachment.instanceId) : undefined;
  if (!instance) return undefined;
  const info = resolveType(ctx, instance.instanceType);
  const l = typeLimits(info);
  return {
    typeName: l.name,
    ipv4PerInterface: l.ipv4PerInterface,
    ipv6PerInterface: l.ipv6PerInterface,
    ipv6Supported: l.ipv6Supported,
    prefixesSupported: info.Hypervisor === "nitro" || info.BareMetal === true,
  };
};

const countsOf = (eni: NetworkInterfaceRecord, add: Partial<InterfaceCounts> = {}): InterfaceCounts => ({
  ipv4Addresses: eni.privateIps.length + (add.ipv4Addresses ?? 0),
  ipv4Prefixes: eni.ipv4Prefixes.length + (add.ipv4Prefixes ?? 0),
  ipv6Addresses: eni.ipv6Addresses.length + (add.ipv6Addresses ?? 0),
  ipv6Prefixes: eni.ipv6Prefixes.length + (add.ipv6Prefixes ?? 0),
});

/** An ENI the caller may change: requester-managed ones accept only tag changes (spec §4.8). */
const userEni = (tx: Tx, id: string): NetworkInterfaceRecord => {
  const eni = must(tx, "network-interface", id);
  if (eni.requesterManaged) throw err.eniRequesterManaged(id);
  return eni;
};

/** Security groups of an interface: existing, in the interface's VPC, at most the per-interface quota. */
const interfaceGroups = (
  ctx: ActionContext,
  ids: readonly string[],
  vpcId: string,
  mismatch: (id: string) => Ec2Error,
  tooMany: () => Ec2Error,
): string[] => {
  const unique = [...new Set(ids)];
  for (const id of unique) if (must(ctx.tx, "security-group", id).vpcId !== vpcId) throw mismatch(id);
  if (unique.length > ctx.quotas.securityGroupsPerInterface) throw tooMany();
  return unique;
};

const defaultGroupOf = (tx: Tx, vpcId: string): string[] => {
  const g = tx.list("security-group", { vpcId }).find((x) => x.groupName === "default");
  return g ? [g.id] : [];
};

/** "02:" + five random octets, unique among the scope's ENIs (spec §1.8): retried on the rare collision. */
const uniqueMac = (ctx: ActionContext): string => {
  for (;;) {
    const mac = macAddress(ctx.ids.hex(10));
    if (ctx.tx.idsByKey("network-interface", "mac-address", mac).length === 0) return mac;
  }
};

// --- Create / Delete / Describe -------------------------------------------------------------------------------

export const CreateNetworkInterface = defineAction({
  name: "CreateNetworkInterface",
  mutates: true,
  params: [
    "SubnetId",
    "Description",
    "PrivateIpAddress",
    "PrivateIpAddresses",
    "SecondaryPrivateIpAddressCount",
    "Groups",
    "Ipv6Addresses",
    "Ipv6AddressCount",
    "Ipv4Prefixes",
    "Ipv4PrefixCount",
    "Ipv6Prefixes",
    "Ipv6PrefixCount",
    "InterfaceType",
    "EnablePrimaryIpv6",
    "TagSpecifications",
    "ClientToken",
  ],
  run(input, ctx) {
    const { tx } = ctx;
    const subnet = must(tx, "subnet", input.SubnetId);
    const interfaceType = input.InterfaceType ?? "interface";
    // The model's enum lists `branch`, but branch interfaces are created by services, not users (spec §4.9).
    if (interfaceType === "branch") throw err.eniInterfaceTypeNotCreatable(interfaceType);
    const plan = planCreateAddresses(
      {
        privateIpAddress: input.PrivateIpAddress,
        privateIpAddresses: input.PrivateIpAddresses?.map((p) => ({ address: p.PrivateIpAddress, primary: p.Primary })),
        secondaryCount: input.SecondaryPrivateIpAddressCount,
        ipv4Prefixes: input.Ipv4Prefixes?.map((p) => p.Ipv4Prefix ?? ""),
        ipv4PrefixCount: input.Ipv4PrefixCount,
        ipv6Addresses: input.Ipv6Addresses?.map((a) => ({ address: a.Ipv6Address, primary: a.IsPrimaryIpv6 })),
        ipv6Count: input.Ipv6AddressCount,
        ipv6Prefixes: input.Ipv6Prefixes?.map((p) => p.Ipv6Prefix ?? ""),
        ipv6PrefixCount: input.Ipv6PrefixCount,
        enablePrimaryIpv6: input.EnablePrimaryIpv6,
      },
      interfaceType,
    );
    const groupIds = input.Groups
      ? interfaceGroups(
          ctx,
          input.Groups,
          subnet.vpcId,
          (g) => err.sgSubnetMismatch(g, subnet.id),
          () => err.eniGroupMembershipLimit(ctx.scope.account, ctx.quotas.securityGroupsPerInterface),
        )
      : defaultGroupOf(tx, subnet.vpcId);
    const tags = tagsFromSpecs(input.TagSpecifications, "network-interface", ctx);
    if (tx.count("network-interface") >= ctx.quotas.enisPerRegion) throw err.eniLimitExceeded();
    const id = ctx.ids.next("networkInterface");
    const efaOnly = interfaceType === "efa-only";
    const explicitV4 = efaOnly
      ? []
      : canonicalIpv4(subnet, [...(plan.primaryIp === undefined ? [] : [plan.primaryIp]), ...plan.secondaryIps]);
    const autoV4 = efaOnly ? 0 : (plan.primaryIp === undefined ? 1 : 0) + plan.secondaryCount;
    const v4 = claimAddresses(tx, subnet, 4, id, explicitV4, autoV4);
    // Without an explicit primary, the first auto-picked address (right after the explicit ones) is the primary.
    const at = explicitV4.length;
    const privateIps = plan.primaryIp === undefined && v4.length > at ? [v4[at]!, ...v4.filter((_, i) => i !== at)] : v4;
    const v6Count =
      plan.ipv6Count ??
      (subnet.assignIpv6AddressOnCreation && !efaOnly && plan.ipv6Addresses.length + plan.ipv6Prefixes.length + plan.ipv6PrefixCount === 0
        ? 1
        : 0);
    const v6 = claimAddresses(tx, subnet, 6, id, canonicalIpv6(subnet, plan.ipv6Addresses), v6Count);
    if (plan.primaryIpv6 && v6.length === 0) throw err.primaryIpv6WithoutIpv6();
    const eni = buildNetworkInterface({
      id,
      subnet,
      ownerId: ctx.scope.account,
      requesterId: ctx.principal,
      description: input.Description ?? "",
      macAddress: uniqueMac(ctx),
      interfaceType,
      groupIds,
      privateIps,
      ipv6Addresses: v6,
      primaryIpv6: plan.primaryIpv6,
      ipv4Prefixes: claimPrefixes(tx, subnet, 4, id, canonicalPrefixes(subnet, 4, plan.ipv4Prefixes), plan.ipv4PrefixCount),
      ipv6Prefixes: claimPrefixes(tx, subnet, 6, id, canonicalPrefixes(subnet, 6, plan.ipv6Prefixes), plan.ipv6PrefixCount),
      tags,
    });
    tx.put(eni);
    const view = networkInterfaceView(eni, ctx.scope.region, viewLookups(tx));
    // AWS answers CreateNetworkInterface with status "pending" (CLI/doc samples; not in the model's enum) and the
    // next Describe shows "available"; localvpc's default transition delay is 0, so the record is stored final.
    return { NetworkInterface: { ...view, Status: "pending" as NetworkInterface["Status"] }, ClientToken: input.ClientToken };
  },
});

export const DeleteNetworkInterface = defineAction({
  name: "DeleteNetworkInterface",
  mutates: true,
  params: ["NetworkInterfaceId"],
  run(input, ctx) {
    const { tx } = ctx;
    const eni = must(tx, "network-interface", input.NetworkInterfaceId);
    // An attached ENI is "in use" whoever manages it (Lambda ENIs answer this too); an idle managed one is refused.
    if (eni.attachment) throw err.eniCurrentlyInUse(eni.id);
    if (eni.requesterManaged) throw err.eniRequesterManaged(eni.id);
    // EIPs are disassociated but stay allocated; every address, prefix and IPv6 row of the ENI is released (§4.4).
    dropEipAssociations(tx, eni);
    tx.releaseAddressesOf(eni.id);
    // Its permissions go with it (found by their secondary key).
    for (const id of tx.idsByKey("network-interface-permission", "network-interface-id", eni.id)) tx.delete(id);
    tx.delete(eni.id);
    return {};
  },
});

const eniFilters = (region: string, l: ViewLookups): FilterTable<NetworkInterfaceRecord> => {
  const primaryAssoc = (e: NetworkInterfaceRecord) => {
    const ip = primaryIpOf(e);
    return ip === undefined ? undefined : e.publicIps.find((p) => p.privateIp === ip);
  };
  return {
    "association.allocation-id": (e) => primaryAssoc(e)?.allocationId,
    "association.association-id": (e) => primaryAssoc(e)?.associationId,
    "association.ip-owner-id": (e) => primaryAssoc(e)?.ipOwnerId,
    "association.public-ip": (e) => primaryAssoc(e)?.publicIp,
    "association.public-dns-name": (e) => {
      const a = primaryAssoc(e);
      return a ? publicDnsOf(e, a.publicIp, region, l) : undefined;
    },
    "addresses.association.owner-id": (e) => e.publicIps.map((p) => p.ipOwnerId),
    "addresses.association.public-ip": (e) => e.publicIps.map((p) => p.publicIp),
    "addresses.primary": (e) => e.privateIps.map((p) => p.primary),
    "addresses.private-ip-address": (e) => e.privateIps.map((p) => p.address),
    "attachment.attach-time": (e) => e.attachment?.attachTime,
    "attachment.attachment-id": (e) => e.attachment?.attachmentId,
    "attachment.delete-on-termination": (e) => e.attachment?.deleteOnTermination,
    "attachment.device-index": (e) => e.attachment?.deviceIndex,
    "attachment.instance-id": (e) => e.attachment?.instanceId,
    "attachment.instance-owner-id": (e) => e.attachment?.instanceOwnerId,
    "attachment.status": (e) => e.attachment?.status,
    "availability-zone": (e) => e.availabilityZone,
    "availability-zone-id": (e) => zoneIdOf(region, e.availabilityZone),
    description: (e) => e.description,
    "group-id": (e) => e.groupIds,
    "ipv6-addresses.ipv6-address": (e) => e.ipv6Addresses.map((a) => a.address),
    "interface-type": (e) => e.interfaceType,
    "mac-address": (e) => e.macAddress,
    "network-interface-id": (e) => e.id,
    // No localvpc ENI is operator-managed (no service here manages resources on the caller's behalf).
    "operator.managed": () => false,
    "operator.principal": () => undefined,
    "owner-id": (e) => e.ownerId,
    "private-dns-name": (e) => {
      const ip = primaryIpOf(e);
      return ip === undefined ? undefined : privateDnsName(region, ip);
    },
    "private-ip-address": (e) => e.privateIps.map((p) => p.address),
    "requester-id": (e) => e.requesterId,
    "requester-managed": (e) => e.requesterManaged,
    "source-dest-check": (e) => e.sourceDestCheck,
    status: (e) => (e.status === "pending" ? "available" : e.status),
    "subnet-id": (e) => e.subnetId,
    "vpc-id": (e) => e.vpcId,
  };
};

/**
 * ENI filters answered through another key (issue 19: no scan of 100,000 ENIs): a private DNS name is its primary
 * IP's (`ip-10-0-1-5.ec2.internal` → 10.0.1.5). (EC2's model documents no `group-name` filter for ENIs.)
 */
const ENI_DERIVED_FILTERS: NonNullable<IndexedFilters["derived"]> = {
  "private-dns-name": {
    key: "private-ip-address",
    map: (_tx, dns) => {
      const m = /^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\./.exec(dns);
      // Another form cannot be a private DNS name localvpc gives: the filter decides by scanning.
      return m ? [`${Number(m[1])}.${Number(m[2])}.${Number(m[3])}.${Number(m[4])}`] : undefined;
    },
  },
};

export const DescribeNetworkInterfaces = defineAction({
  name: "DescribeNetworkInterfaces",
  mutates: false,
  // IncludeManagedResources reveals operator-managed ENIs (Operator.Managed=true), which AWS hides by default.
  // localvpc has none, so the flag changes nothing; requester-managed ENIs are always listed, as in AWS.
  params: ["NetworkInterfaceIds", "Filters", "MaxResults", "NextToken", "IncludeManagedResources"],
  run(input, ctx) {
    const l = viewLookups(ctx.tx);
    // Index lookups first (ids, private IP, MAC, public IP, group, tag:K, subnet, instance, VPC): never a scan when
    // selective; otherwise a lazy scan that stops once the page is full (100,000 ENIs, MaxResults=1000).
    const source = scanCandidates(
      ctx.tx,
      "network-interface",
      input.NetworkInterfaceIds,
      input.Filters,
      {
        id: "network-interface-id",
        subnetId: "subnet-id",
        vpcId: "vpc-id",
        instanceId: "attachment.instance-id",
        keyed: [
          "private-ip-address",
          "ipv6-address",
          "mac-address",
          "association.public-ip",
          "attachment.attachment-id",
          "association.allocation-id",
          "association.association-id",
          "group-id",
          "description",
          "interface-type",
        ],
        unkeyed: { description: [""], "interface-type": ["interface"] },
        derived: ENI_DERIVED_FILTERS,
        aliases: { "addresses.private-ip-address": "private-ip-address", "ipv6-addresses.ipv6-address": "ipv6-address" },
      },
      { maxResults: input.MaxResults, nextToken: input.NextToken },
    );
    const page = describe({
      items: source.items,
      itemsOffset: source.itemsOffset,
      idOf: (e) => e.id,
      ids: input.NetworkInterfaceIds,
      idKind: "networkInterface",
      idsParam: "networkInterfaceIdSet",
      notFound: (m) => err.enisNotFound(m),
      filters: input.Filters,
      table: eniFilters(ctx.scope.region, l),
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      // Paginators list every ENI while automation adds and deletes them: the token names the last ENI answered.
      keyset: true,
    });
    return { NetworkInterfaces: page.items.map((e) => networkInterfaceView(e, ctx.scope.region, l)), NextToken: page.nextToken };
  },
});

// --- attributes -----------------------------------------------------------------------------------------------

export const DescribeNetworkInterfaceAttribute = defineAction({
  name: "DescribeNetworkInterfaceAttribute",
  mutates: false,
  params: ["NetworkInterfaceId", "Attribute"],
  run(input, ctx) {
    const eni = must(ctx.tx, "network-interface", input.NetworkInterfaceId);
    const base = { NetworkInterfaceId: eni.id };
    switch (input.Attribute) {
      case undefined:
        throw err.missingParameter("attribute");
      case "description":
        return { ...base, Description: { Value: eni.description } };
      case "groupSet":
        return { ...base, Groups: groupsView(eni.groupIds, viewLookups(ctx.tx)) };
      case "sourceDestCheck":
        return { ...base, SourceDestCheck: { Value: eni.sourceDestCheck } };
      case "attachment":
        return { ...base, Attachment: eniAttachmentView(eni) };
      case "associatePublicIpAddress":
        return { ...base, AssociatePublicIpAddress: eni.associatePublicIp };
    }
  },
});

/** ModifyNetworkInterfaceAttribute's alternatives, by the names AWS uses in its combination errors. */
const MODIFIABLE = ["description", "sourceDestCheck", "groupSet", "attachment", "associatePublicIpAddress"] as const;

export const ModifyNetworkInterfaceAttribute = defineAction({
  name: "ModifyNetworkInterfaceAttribute",
  mutates: true,
  params: ["NetworkInterfaceId", "Description", "SourceDestCheck", "Groups", "Attachment", "AssociatePublicIpAddress"],
  run(input, ctx) {
    const { tx } = ctx;
    const given = [input.Description, input.SourceDestCheck, input.Groups, input.Attachment, input.AssociatePublicIpAddress];
    const names = MODIFIABLE.filter((_, i) => given[i] !== undefined);
    if (names.length === 0) throw err.oneOfRequired(MODIFIABLE);
    if (names.length > 1) throw err.vpcAttributeOneAtATime(names);
    const eni = userEni(tx, input.NetworkInterfaceId);
    let next: NetworkInterfaceRecord;
    if (input.Description !== undefined) next = { ...eni, description: input.Description.Value ?? "" };
    else if (input.SourceDestCheck !== undefined) {
      if (input.SourceDestCheck.Value === undefined) throw err.missingParameter("sourceDestCheck.value");
      next = { ...eni, sourceDestCheck: input.SourceDestCheck.Value };
    } else if (input.Groups !== undefined) {
      const groupIds = interfaceGroups(
        ctx,
        input.Groups,
        eni.vpcId,
        (g) => err.sgVpcMismatch(g, eni.vpcId),
        () => err.tooManyGroupsPerInterface(),
      );
      next = { ...eni, groupIds };
    } else if (input.Attachment !== undefined) {
      const { AttachmentId: attachmentId, DeleteOnTermination: dot } = input.Attachment;
      if (attachmentId === undefined) throw err.missingParameter("attachment.attachmentId");
      assertIdOf("eniAttachment", attachmentId);
      if (eni.attachment?.attachmentId !== attachmentId) throw err.attachmentNotFound(attachmentId);
      if (dot === undefined) throw err.missingParameter("attachment.deleteOnTermination");
      next = { ...eni, attachment: { ...eni.attachment, deleteOnTermination: dot } };
    } else {
      // "Only applies to the primary network interface (eth0)" at launch; stored on the ENI either way (spec §4.3).
      next = { ...eni, associatePublicIp: input.AssociatePublicIpAddress === true };
    }
    tx.put(next);
    return {};
  },
});

export const ResetNetworkInterfaceAttribute = defineAction({
  name: "ResetNetworkInterfaceAttribute",
  mutates: true,
  params: ["NetworkInterfaceId", "SourceDestCheck"],
  run(input, ctx) {
    // The member is a string naming the attribute; whatever its value, the reset restores the default (true).
    if (input.SourceDestCheck === undefined) throw err.missingParameter("sourceDestCheck");
    const eni = userEni(ctx.tx, input.NetworkInterfaceId);
    ctx.tx.put({ ...eni, sourceDestCheck: true });
    return {};
  },
});

// --- Assign / Unassign ----------------------------------------------------------------------------------------

/**
 * Takes an explicit private IPv4 for `eni`. One held by another ENI of the subnet moves only with
 * AllowReassignment (with any EIP mapped to it, spec §4.4); a primary address or one inside a prefix never moves.
 */
const takeIpv4 = (tx: Tx, eni: NetworkInterfaceRecord, ip: string, allowReassignment: boolean): void => {
  const holder = holderOf(tx, eni.subnetId, ip);
  if (holder === undefined) {
    claimOne(tx, eni.subnetId, ip, 4, eni.id);
    return;
  }
  const other = holder === eni.id ? undefined : tx.get("network-interface", holder);
  const held = other?.privateIps.find((p) => p.address === ip);
  if (!allowReassignment || !other || !held) throw err.privateIpAlreadyAssigned();
  if (held.primary) throw err.primaryIpNotReassignable(ip, other.id);
  const moving = other.publicIps.filter((p) => p.privateIp === ip);
  tx.put({
    ...other,
    privateIps: other.privateIps.filter((p) => p !== held),
    publicIps: other.publicIps.filter((p) => p.privateIp !== ip),
  });
  for (const p of moving) {
    const eip = p.allocationId ? tx.get("elastic-ip", p.allocationId) : undefined;
    if (eip?.association) tx.put({ ...eip, association: { ...eip.association, networkInterfaceId: eni.id } });
  }
  tx.releaseAddress(eni.subnetId, ip);
  tx.claimAddress(eni.subnetId, ip, 4, eni.id);
};

export const AssignPrivateIpAddresses = defineAction({
  name: "AssignPrivateIpAddresses",
  mutates: true,
  params: [
    "NetworkInterfaceId",
    "PrivateIpAddresses",
    "SecondaryPrivateIpAddressCount",
    "Ipv4Prefixes",
    "Ipv4PrefixCount",
    "AllowReassignment",
  ],
  run(input, ctx) {
    const { tx } = ctx;
    const eni = userEni(tx, input.NetworkInterfaceId);
    const plan = planAssignIpv4(
      input.PrivateIpAddresses,
      input.SecondaryPrivateIpAddressCount,
      input.Ipv4Prefixes,
      input.Ipv4PrefixCount,
      eni.interfaceType,
    );
    const subnet = must(tx, "subnet", eni.subnetId);
    const limits = limitsOf(ctx, eni);
    const ips = canonicalIpv4(subnet, plan.addresses).filter((ip) => !eni.privateIps.some((p) => p.address === ip));
    if (limits)
      checkInterfaceLimits(
        countsOf(eni, { ipv4Addresses: ips.length + plan.count, ipv4Prefixes: plan.prefixes.length + plan.prefixCount }),
        limits,
      );
    for (const ip of ips) takeIpv4(tx, eni, ip, input.AllowReassignment === true);
    const auto = claimAddresses(tx, subnet, 4, eni.id, [], plan.count);
    const prefixes = claimPrefixes(tx, subnet, 4, eni.id, canonicalPrefixes(subnet, 4, plan.prefixes), plan.prefixCount);
    const added = [...ips, ...auto];
    // Re-read: a reassignment may have rewritten an EIP whose association now points here.
    const moved = ips.flatMap((ip) => {
      const eip = tx
        .idsByKey("elastic-ip", "private-ip-address", ip)
        .map((id) => tx.get("elastic-ip", id))
        .find((a) => a?.association?.networkInterfaceId === eni.id);
      return eip?.association
        ? [
            {
              privateIp: ip,
              publicIp: eip.publicIp,
              ipOwnerId: ctx.scope.account,
              allocationId: eip.id,
              associationId: eip.association.associationId,
            },
          ]
        : [];
    });
    tx.put({
      ...eni,
      privateIps: [...eni.privateIps, ...added.map((address) => ({ address, primary: false }))],
      ipv4Prefixes: [...eni.ipv4Prefixes, ...prefixes],
      publicIps: [...eni.publicIps, ...moved],
    });
    return {
      NetworkInterfaceId: eni.id,
      AssignedPrivateIpAddresses: added.map((PrivateIpAddress) => ({ PrivateIpAddress })),
      AssignedIpv4Prefixes: prefixes.map((Ipv4Prefix) => ({ Ipv4Prefix })),
    };
  },
});

const canonicalText = (text: string): string => {
  const a = parseAddress(text);
  if (a) return formatAddress(a.version, a.value);
  const c = parseCidr(text);
  return c ? `${formatAddress(c.version, c.network)}/${c.prefix}` : text;
};

export const UnassignPrivateIpAddresses = defineAction({
  name: "UnassignPrivateIpAddresses",
  mutates: true,
  params: ["NetworkInterfaceId", "PrivateIpAddresses", "Ipv4Prefixes"],
  run(input, ctx) {
    const { tx } = ctx;
    const eni = userEni(tx, input.NetworkInterfaceId);
    const ips = (input.PrivateIpAddresses ?? []).map(canonicalText);
    const prefixes = (input.Ipv4Prefixes ?? []).map(canonicalText);
    if (ips.length + prefixes.length === 0) throw err.oneOfRequired(["privateIpAddress", "ipv4Prefix"]);
    for (const ip of ips) {
      const held = eni.privateIps.find((p) => p.address === ip);
      if (!held) throw err.addressesNotAssigned(eni.id);
      if (held.primary) throw err.cannotUnassignPrimary(ip);
    }
    for (const p of prefixes) if (!eni.ipv4Prefixes.includes(p)) throw err.addressesNotAssigned(eni.id);
    // An EIP may be mapped to an address inside a prefix (spec §4.10): those go with the prefix.
    const dropped = dropEipAssociations(tx, eni, [...ips, ...prefixes.flatMap(prefixMembers)]);
    for (const a of [...ips, ...prefixes]) tx.releaseAddress(eni.subnetId, a);
    tx.put({
      ...dropped,
      privateIps: dropped.privateIps.filter((p) => !ips.includes(p.address)),
      ipv4Prefixes: dropped.ipv4Prefixes.filter((p) => !prefixes.includes(p)),
    });
    return {};
  },
});

export const AssignIpv6Addresses = defineAction({
  name: "AssignIpv6Addresses",
  mutates: true,
  params: ["NetworkInterfaceId", "Ipv6Addresses", "Ipv6AddressCount", "Ipv6Prefixes", "Ipv6PrefixCount"],
  run(input, ctx) {
    const { tx } = ctx;
    const eni = userEni(tx, input.NetworkInterfaceId);
    const plan = planAssignIpv6(input.Ipv6Addresses, input.Ipv6AddressCount, input.Ipv6Prefixes, input.Ipv6PrefixCount, eni.interfaceType);
    const subnet = must(tx, "subnet", eni.subnetId);
    ipv6BlockOf(subnet);
    const limits = limitsOf(ctx, eni);
    const explicit = canonicalIpv6(subnet, plan.addresses);
    if (limits)
      checkInterfaceLimits(
        countsOf(eni, { ipv6Addresses: explicit.length + plan.count, ipv6Prefixes: plan.prefixes.length + plan.prefixCount }),
        limits,
      );
    const added = claimAddresses(tx, subnet, 6, eni.id, explicit, plan.count);
    const prefixes = claimPrefixes(tx, subnet, 6, eni.id, canonicalPrefixes(subnet, 6, plan.prefixes), plan.prefixCount);
    tx.put({
      ...eni,
      ipv6Addresses: [...eni.ipv6Addresses, ...added.map((address) => ({ address, isPrimaryIpv6: false }))],
      ipv6Prefixes: [...eni.ipv6Prefixes, ...prefixes],
    });
    return { NetworkInterfaceId: eni.id, AssignedIpv6Addresses: added, AssignedIpv6Prefixes: prefixes };
  },
});

export const UnassignIpv6Addresses = defineAction({
  name: "UnassignIpv6Addresses",
  mutates: true,
  params: ["NetworkInterfaceId", "Ipv6Addresses", "Ipv6Prefixes"],
  run(input, ctx) {
    const { tx } = ctx;
    const eni = userEni(tx, input.NetworkInterfaceId);
    const ips = (input.Ipv6Addresses ?? []).map(canonicalText);
    const prefixes = (input.Ipv6Prefixes ?? []).map(canonicalText);
    if (ips.length + prefixes.length === 0) throw err.oneOfRequired(["ipv6Addresses", "ipv6Prefix"]);
    for (const ip of ips) if (!eni.ipv6Addresses.some((a) => a.address === ip)) throw err.ipv6NotAssigned(eni.id);
    for (const p of prefixes) if (!eni.ipv6Prefixes.includes(p)) throw err.ipv6NotAssigned(eni.id);
    for (const a of [...ips, ...prefixes]) tx.releaseAddress(eni.subnetId, a);
    tx.put({
      ...eni,
      ipv6Addresses: eni.ipv6Addresses.filter((a) => !ips.includes(a.address)),
      ipv6Prefixes: eni.ipv6Prefixes.filter((p) => !prefixes.includes(p)),
    });
    return { NetworkInterfaceId: eni.id, UnassignedIpv6Addresses: ips, UnassignedIpv6Prefixes: prefixes };
  },
});

export const NETWORK_INTERFACE_ACTIONS = [
  CreateNetworkInterface,
  DeleteNetworkInterface,
  DescribeNetworkInterfaces,
  DescribeNetworkInterfaceAttribute,
  ModifyNetworkInterfaceAttribute,
  ResetNetworkInterfaceAttribute,
  AssignPrivateIpAddresses,
  UnassignPrivateIpAddresses,
  AssignIpv6Addresses,
  UnassignIpv6Addresses,
];
