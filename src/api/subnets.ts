/** Subnets: CreateSubnet, DescribeSubnets (more subnet actions: see the VPC/subnet group). */
import { err } from "../domain/errors.js";
import { formatCidr, overlaps, parseCidr, usableIpv4Count, type Cidr } from "../domain/cidr.js";
import { regionInfo } from "../domain/regions.js";
import { cidrInVpc, MAX_VPC_PREFIX, MIN_VPC_PREFIX } from "../domain/vpc.js";
import type { SubnetRecord, Tag, VpcRecord } from "../domain/types.js";
import type { Subnet } from "../protocol/model/shapes.js";
import type { Tx } from "../store/store.js";
import { defineAction, type ActionContext } from "./action.js";
import { describe, tagView } from "./describe.js";
import { must } from "./lookups.js";
import { tagsFromSpecs } from "./tags.js";

/** Parses a subnet IPv4 block and checks size, containment in the VPC and overlap with the VPC's other subnets. */
export const checkSubnetIpv4 = (tx: Tx, vpc: VpcRecord, text: string): Cidr => {
  const c = parseCidr(text);
  if (!c || c.version !== 4) throw err.invalidCidr(text);
  if (c.prefix < MIN_VPC_PREFIX || c.prefix > MAX_VPC_PREFIX || !cidrInVpc(vpc, c)) throw err.subnetRange(text);
  for (const s of tx.list("subnet", { vpcId: vpc.id })) {
    const other = s.cidrBlock ? parseCidr(s.cidrBlock) : undefined;
    if (other && overlaps(other, c)) throw err.subnetConflict(text);
  }
  return c;
};

export const newSubnet = (
  ctx: ActionContext,
  p: { vpc: VpcRecord; cidr: Cidr | undefined; zoneName: string; zoneId: string; defaultForAz: boolean; tags: readonly Tag[] },
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
  assignIpv6AddressOnCreation: false,
  ipv6Native: false,
  enableDns64: false,
  privateDnsHostnameTypeOnLaunch: "ip-name",
  enableResourceNameDnsARecordOnLaunch: false,
  enableResourceNameDnsAAAARecordOnLaunch: false,
  ipv6Associations: [],
});

/** Resolves AvailabilityZone / AvailabilityZoneId to a zone of the caller's region (default: the first zone). */
export const resolveZone = (region: string, zoneName?: string, zoneId?: string): { zoneName: string; zoneId: string } => {
  const zones = regionInfo(region).zones;
  if (zoneName !== undefined && zoneId !== undefined) throw err.zoneAndZoneId();
  if (zoneName !== undefined) {
    const z = zones.find((x) => x.zoneName === zoneName);
    if (!z) throw err.invalidZoneIn(zoneName, zones.map((x) => x.zoneName));
    return z;
  }
  if (zoneId !== undefined) {
    const z = zones.find((x) => x.zoneId === zoneId);
    if (!z) throw err.invalidZoneId(zoneId);
    return z;
  }
  return zones[0]!;
};

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
    Ipv6CidrBlockAssociationSet: s.ipv6Associations
      .filter((a) => a.state === "associated")
      .map((a) => ({ AssociationId: a.associationId, Ipv6CidrBlock: a.ipv6CidrBlock, Ipv6CidrBlockState: { State: a.state } })),
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
  params: ["VpcId", "CidrBlock", "AvailabilityZone", "AvailabilityZoneId", "TagSpecifications"],
  run(input, ctx) {
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    if (input.CidrBlock === undefined) throw err.missingParameter("cidrBlock");
    const cidr = checkSubnetIpv4(ctx.tx, vpc, input.CidrBlock);
    const zone = resolveZone(ctx.scope.region, input.AvailabilityZone, input.AvailabilityZoneId);
    const tags = tagsFromSpecs(input.TagSpecifications, "subnet", ctx);
    const subnet = newSubnet(ctx, { vpc, cidr, zoneName: zone.zoneName, zoneId: zone.zoneId, defaultForAz: false, tags });
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
      items: ctx.tx.list("subnet"),
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
    });
    return { Subnets: page.items.map((s) => subnetView(ctx.tx, s, ctx.scope.region)), NextToken: page.nextToken };
  },
});

export const SUBNET_ACTIONS = [CreateSubnet, DescribeSubnets];
