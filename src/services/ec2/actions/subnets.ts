/**
 * Subnets: CreateSubnet (IPv4, dual-stack and IPv6-only), DescribeSubnets, DeleteSubnet, ModifySubnetAttribute,
 * AssociateSubnetCidrBlock / DisassociateSubnetCidrBlock.
 */
import { err } from "../../../domain/errors.js";
import { formatCidr, parseCidr, usableIpv4Count, type Cidr } from "../../../domain/cidr.js";
import { assertIdOf } from "../../../domain/ids.js";
import { regionInfo } from "../../../domain/regions.js";
import {
  checkSubnetIpv4,
  checkSubnetIpv6,
  networkAclsWithoutSubnet,
  routeTablesWithoutSubnet,
  withoutSubnetIpv6,
  withSubnetAttribute,
  withSubnetIpv6,
} from "../../../domain/subnet.js";
import type { SubnetIpv6CidrAssociation, SubnetRecord, Tag, VpcRecord } from "../../../domain/types.js";
import type { Subnet, SubnetIpv6CidrBlockAssociation } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

export const newSubnet = (
  ctx: ActionContext,
  p: {
    vpc: VpcRecord;
    cidr: Cidr | undefined;
    zoneName: string;
    zoneId: string;
    defaultForAz: boolean;
    tags: readonly Tag[];
    ipv6Cidr?: Cidr | undefined;
    ipv6Native?: boolean | undefined;
  },
): SubnetRecord => ({
  kind: "subnet",
  id: ctx.ids.next("subnet"),
  tags: p.tags,
  vpcId: p.vpc.id,
  ownerId: ctx.scope.account,
  cidrBlock: p.cidr ? formatCidr(p.cidr) : undefined,
  state: "available",
  availabilityZone: p.zoneName,
  availabilityZoneId: p.zoneId,
  defaultForAz: p.defaultForAz,
  // Default subnets give instances a public IPv4; other subnets do not until ModifySubnetAttribute says so.
  mapPublicIpOnLaunch: p.defaultForAz,
  // An IPv6-only subnet can only address instances by IPv6 and name them by resource name (unverified defaults:
  // AWS documents that IPv6-only instances get resource-based hostnames).
  assignIpv6AddressOnCreation: p.ipv6Native ?? false,
  ipv6Native: p.ipv6Native ?? false,
  enableDns64: false,
  privateDnsHostnameTypeOnLaunch: p.ipv6Native ? "resource-name" : "ip-name",
  enableResourceNameDnsARecordOnLaunch: false,
  enableResourceNameDnsAAAARecordOnLaunch: false,
  ipv6Associations: p.ipv6Cidr
    ? [{ associationId: ctx.ids.next("subnetCidrAssociation"), ipv6CidrBlock: formatCidr(p.ipv6Cidr), state: "associated" }]
    : [],
});

/** Resolves AvailabilityZone / AvailabilityZoneId to a zone of the caller's region (default: the first zone). */
export const resolveZone = (region: string, zoneName?: string, zoneId?: string): { zoneName: string; zoneId: string } => {
  const zones = regionInfo(region).zones;
  if (zoneName !== undefined && zoneId !== undefined) throw err.zoneAndZoneId();
  if (zoneName !== undefined) {
    const z = zones.find((x) => x.zoneName === zoneName);
    if (!z)
      throw err.invalidZoneIn(
        zoneName,
        zones.map((x) => x.zoneName),
      );
    return z;
  }
  if (zoneId !== undefined) {
    const z = zones.find((x) => x.zoneId === zoneId);
    if (!z) throw err.invalidZoneId(zoneId);
    return z;
  }
  return zones[0]!;
};

type SubnetCidrState = NonNullable<SubnetIpv6CidrBlockAssociation["Ipv6CidrBlockState"]>["State"];

const subnetIpv6View = (a: SubnetIpv6CidrAssociation, state: SubnetCidrState = a.state): SubnetIpv6CidrBlockAssociation => ({
  AssociationId: a.associationId,
  Ipv6CidrBlock: a.ipv6CidrBlock,
  Ipv6CidrBlockState: { State: state },
});

export const subnetView = (tx: Tx, s: SubnetRecord, region: string): Subnet => {
  const cidr = s.cidrBlock ? parseCidr(s.cidrBlock) : undefined;
  return {
    SubnetId: s.id,
    SubnetArn: `arn:aws:ec2:${region}:${s.ownerId}:subnet/${s.id}`,
    State: s.state,
    VpcId: s.vpcId,
    OwnerId: s.ownerId,
    CidrBlock: s.cidrBlock,
    AvailableIpAddressCount: cidr ? usableIpv4Count(cidr) - tx.ipv4UsedInSubnet(s.id) : 0,
    AvailabilityZone: s.availabilityZone,
    AvailabilityZoneId: s.availabilityZoneId,
    DefaultForAz: s.defaultForAz,
    MapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: s.assignIpv6AddressOnCreation,
    Ipv6CidrBlockAssociationSet: s.ipv6Associations.filter((a) => a.state === "associated").map((a) => subnetIpv6View(a)),
    Ipv6Native: s.ipv6Native,
    EnableDns64: s.enableDns64,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: s.privateDnsHostnameTypeOnLaunch,
      EnableResourceNameDnsARecord: s.enableResourceNameDnsARecordOnLaunch,
      EnableResourceNameDnsAAAARecord: s.enableResourceNameDnsAAAARecordOnLaunch,
    },
    Tags: tagView(s.tags),
  };
};

export const CreateSubnet = defineAction({
  name: "CreateSubnet",
  mutates: true,
  params: ["VpcId", "CidrBlock", "Ipv6CidrBlock", "Ipv6Native", "AvailabilityZone", "AvailabilityZoneId", "TagSpecifications"],
  run(input, ctx) {
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    const ipv6Native = input.Ipv6Native ?? false;
    // An IPv6-only subnet has no IPv4 block; every other subnet must have one.
    if (ipv6Native && input.CidrBlock !== undefined) throw err.parametersTogether("cidrBlock", "ipv6Native");
    if (ipv6Native && input.Ipv6CidrBlock === undefined) throw err.missingParameter("ipv6CidrBlock");
    if (!ipv6Native && input.CidrBlock === undefined) throw err.missingParameter("cidrBlock");
    const siblings = ctx.tx.list("subnet", { vpcId: vpc.id });
    const cidr = input.CidrBlock === undefined ? undefined : checkSubnetIpv4(vpc, siblings, input.CidrBlock);
    const ipv6Cidr = input.Ipv6CidrBlock === undefined ? undefined : checkSubnetIpv6(vpc, siblings, input.Ipv6CidrBlock);
    const zone = resolveZone(ctx.scope.region, input.AvailabilityZone, input.AvailabilityZoneId);
    const tags = tagsFromSpecs(input.TagSpecifications, "subnet", ctx);
    const subnet = newSubnet(ctx, {
      vpc,
      cidr,
      ipv6Cidr,
      ipv6Native,
      zoneName: zone.zoneName,
      zoneId: zone.zoneId,
      defaultForAz: false,
      tags,
    });
    ctx.tx.put(subnet);
    return { Subnet: subnetView(ctx.tx, subnet, ctx.scope.region) };
  },
});

export const DescribeSubnets = defineAction({
  name: "DescribeSubnets",
  mutates: false,
  params: ["SubnetIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "subnet", input.SubnetIds, input.Filters, {
        id: "subnet-id",
        vpcId: "vpc-id",
        keyed: ["ipv6-cidr-block-association.association-id"],
        idsInCreationOrder: true,
      }),
      idOf: (s) => s.id,
      ids: input.SubnetIds,
      idKind: "subnet",
      idsParam: "subnetIdSet",
      notFound: (m) => err.subnetNotFound(m[0]!),
      filters: input.Filters,
      table: {
        "availability-zone": (s) => s.availabilityZone,
        "availability-zone-id": (s) => s.availabilityZoneId,
        "available-ip-address-count": (s) => subnetView(ctx.tx, s, ctx.scope.region).AvailableIpAddressCount,
        "cidr-block": (s) => s.cidrBlock,
        "default-for-az": (s) => s.defaultForAz,
        "enable-dns64": (s) => s.enableDns64,
        "ipv6-cidr-block-association.ipv6-cidr-block": (s) => s.ipv6Associations.map((a) => a.ipv6CidrBlock),
        "ipv6-cidr-block-association.association-id": (s) => s.ipv6Associations.map((a) => a.associationId),
        "ipv6-cidr-block-association.state": (s) => s.ipv6Associations.map((a) => a.state),
        "ipv6-native": (s) => s.ipv6Native,
        "map-public-ip-on-launch": (s) => s.mapPublicIpOnLaunch,
        "map-customer-owned-ip-on-launch": () => false,
        // localvpc has no Outposts or customer-owned pools: these match nothing, as in a Region without them.
        "customer-owned-ipv4-pool": () => undefined,
        "enable-lni-at-device-index": () => undefined,
        "outpost-arn": () => undefined,
        "owner-id": (s) => s.ownerId,
        "private-dns-name-options-on-launch.hostname-type": (s) => s.privateDnsHostnameTypeOnLaunch,
        "private-dns-name-options-on-launch.enable-resource-name-dns-a-record": (s) => s.enableResourceNameDnsARecordOnLaunch,
        "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": (s) => s.enableResourceNameDnsAAAARecordOnLaunch,
        state: (s) => s.state,
        "subnet-arn": (s) => `arn:aws:ec2:${ctx.scope.region}:${s.ownerId}:subnet/${s.id}`,
        "subnet-id": (s) => s.id,
        "vpc-id": (s) => s.vpcId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      keyset: true, // issue 19: the token names the last record answered, so deletions between pages skip nothing
    });
    return { Subnets: page.items.map((s) => subnetView(ctx.tx, s, ctx.scope.region)), NextToken: page.nextToken };
  },
});

export const DeleteSubnet = defineAction({
  name: "DeleteSubnet",
  mutates: true,
  params: ["SubnetId"],
  run(input, ctx) {
    const { tx } = ctx;
    const subnet = must(tx, "subnet", input.SubnetId);
    // Terminated instances linger in describes for an hour but no longer hold the subnet.
    const blocking =
      tx.count("network-interface", { subnetId: subnet.id }) > 0 ||
      tx.list("instance", { subnetId: subnet.id }).some((i) => i.state !== "terminated");
    if (blocking) throw err.subnetDependency(subnet.id);
    for (const t of routeTablesWithoutSubnet(tx.list("route-table", { vpcId: subnet.vpcId }), subnet.id)) tx.put(t);
    for (const a of networkAclsWithoutSubnet(tx.list("network-acl", { vpcId: subnet.vpcId }), subnet.id)) tx.put(a);
    tx.delete(subnet.id);
    return {};
  },
});

export const ModifySubnetAttribute = defineAction({
  name: "ModifySubnetAttribute",
  mutates: true,
  // MapCustomerOwnedIpOnLaunch/CustomerOwnedIpv4Pool (Outposts) and the LNI members are not implemented yet.
  params: [
    "SubnetId",
    "AssignIpv6AddressOnCreation",
    "MapPublicIpOnLaunch",
    "EnableDns64",
    "PrivateDnsHostnameTypeOnLaunch",
    "EnableResourceNameDnsARecordOnLaunch",
    "EnableResourceNameDnsAAAARecordOnLaunch",
  ],
  run(input, ctx) {
    const subnet = must(ctx.tx, "subnet", input.SubnetId);
    const updated = withSubnetAttribute(subnet, {
      assignIpv6AddressOnCreation: input.AssignIpv6AddressOnCreation?.Value,
      mapPublicIpOnLaunch: input.MapPublicIpOnLaunch?.Value,
      enableDns64: input.EnableDns64?.Value,
      privateDnsHostnameTypeOnLaunch: input.PrivateDnsHostnameTypeOnLaunch,
      enableResourceNameDnsARecordOnLaunch: input.EnableResourceNameDnsARecordOnLaunch?.Value,
      enableResourceNameDnsAAAARecordOnLaunch: input.EnableResourceNameDnsAAAARecordOnLaunch?.Value,
    });
    ctx.tx.put(updated);
    return {};
  },
});

export const AssociateSubnetCidrBlock = defineAction({
  name: "AssociateSubnetCidrBlock",
  mutates: true,
  // Ipv6IpamPoolId/Ipv6NetmaskLength (IPAM) are not implemented yet.
  params: ["SubnetId", "Ipv6CidrBlock"],
  run(input, ctx) {
    const { tx } = ctx;
    const subnet = must(tx, "subnet", input.SubnetId);
    if (input.Ipv6CidrBlock === undefined) throw err.missingParameter("ipv6CidrBlock");
    const vpc = must(tx, "vpc", subnet.vpcId);
    const siblings = tx.list("subnet", { vpcId: vpc.id }).filter((s) => s.id !== subnet.id);
    const cidr = checkSubnetIpv6(vpc, siblings, input.Ipv6CidrBlock);
    const updated = withSubnetIpv6(subnet, cidr, ctx.ids.next("subnetCidrAssociation"));
    tx.put(updated);
    // AWS answers "associating"; DescribeSubnets then shows "associated".
    return { SubnetId: subnet.id, Ipv6CidrBlockAssociation: subnetIpv6View(updated.ipv6Associations.at(-1)!, "associating") };
  },
});

export const DisassociateSubnetCidrBlock = defineAction({
  name: "DisassociateSubnetCidrBlock",
  mutates: true,
  params: ["AssociationId"],
  run(input, ctx) {
    const { tx } = ctx;
    assertIdOf("subnetCidrAssociation", input.AssociationId);
    const subnet = tx
      .getMany("subnet", tx.idsByKey("subnet", "ipv6-cidr-block-association.association-id", input.AssociationId))
      .find((s) => s.ipv6Associations.some((a) => a.associationId === input.AssociationId));
    const association = subnet?.ipv6Associations.find((a) => a.associationId === input.AssociationId);
    if (!subnet || !association) throw err.subnetCidrAssociationNotFound(input.AssociationId);
    const ipv6InUse = tx.addressesInSubnet(subnet.id, 6).length;
    tx.put(withoutSubnetIpv6(subnet, association.associationId, ipv6InUse));
    return { SubnetId: subnet.id, Ipv6CidrBlockAssociation: subnetIpv6View(association, "disassociating") };
  },
});

export const SUBNET_ACTIONS = [
  CreateSubnet,
  DescribeSubnets,
  DeleteSubnet,
  ModifySubnetAttribute,
  AssociateSubnetCidrBlock,
  DisassociateSubnetCidrBlock,
];
