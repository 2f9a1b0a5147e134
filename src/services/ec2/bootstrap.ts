/**
 * What every new (account, region) starts with, as in a fresh AWS account: a default VPC 172.31.0.0/16 with its
 * default security group, main route table and default NACL, one default /20 subnet per Availability Zone
 * (MapPublicIpOnLaunch=true), and an attached internet gateway with a 0.0.0.0/0 route in the main table; and the
 * Region's default DHCP options set (domain name and AmazonProvidedDNS), which the VPCs use. CreateDefaultVpc and
 * CreateDefaultSubnet (actions/default-vpc.ts) build the same shapes through `createDefaultVpc` / `defaultSubnet`.
 */
import { overlaps, parseCidr, subBlock, type Cidr } from "../../domain/cidr.js";
import { regionInfo } from "../../domain/regions.js";
import type { InternetGatewayRecord, SubnetRecord, VpcRecord } from "../../domain/types.js";
import type { ActionContext } from "./action.js";
import { newSubnet } from "./actions/subnets.js";
import { createVpcWithDefaults } from "./actions/vpcs.js";
import { createDefaultDhcpOptions } from "./actions/dhcp-options.js";

export const DEFAULT_VPC_CIDR = "172.31.0.0/16";
/** Default subnets are /20s of the default VPC (VPC-UG "Default VPC components"). */
const DEFAULT_SUBNET_PREFIX = 20;

export const initializeScope = (ctx: ActionContext): void => {
  // The Region's default DHCP options set first, so that the default VPC (and every later VPC) uses it. // issue 16
  createDefaultDhcpOptions(ctx);
  createDefaultVpc(ctx);
};

/** A default subnet (DefaultForAz, public IPv4 on launch) of the default VPC in one zone. */
export const defaultSubnet = (ctx: ActionContext, vpc: VpcRecord, cidr: Cidr, zone: { zoneName: string; zoneId: string }): SubnetRecord =>
  newSubnet(ctx, { vpc, cidr, zoneName: zone.zoneName, zoneId: zone.zoneId, defaultForAz: true, tags: [] });

/**
 * The lowest /20 of the default VPC's block that no subnet of the VPC overlaps (CreateDefaultSubnet's block; AWS
 * documents only "a size /20 IPv4 CIDR block"; lowest-first is inferred from AWS's example, 172.31.32.0/20 as the
 * third).
 */
export const nextDefaultSubnetCidr = (vpc: VpcRecord, taken: readonly SubnetRecord[]): Cidr | undefined => {
  const block = parseCidr(vpc.cidrBlock)!;
  const used = taken.map((s) => (s.cidrBlock ? parseCidr(s.cidrBlock) : undefined)).filter((c): c is Cidr => c !== undefined);
  const count = 1n << BigInt(DEFAULT_SUBNET_PREFIX - block.prefix);
  for (let i = 0n; i < count; i++) {
    const c = subBlock(block, DEFAULT_SUBNET_PREFIX, i);
    if (!used.some((u) => overlaps(u, c))) return c;
  }
  return undefined;
};

/** Creates the default VPC and everything in it: the bootstrap's, and CreateDefaultVpc's. */
export const createDefaultVpc = (ctx: ActionContext): VpcRecord => {
  const { tx, ids, scope } = ctx;
  const igwId = ids.next("internetGateway");
  const cidr = parseCidr(DEFAULT_VPC_CIDR)!;
  const vpc = createVpcWithDefaults(ctx, { cidr, isDefault: true, instanceTenancy: "default", tags: [], internetGatewayId: igwId });
  const igw: InternetGatewayRecord = { kind: "internet-gateway", id: igwId, tags: [], ownerId: scope.account, vpcId: vpc.id };
  tx.put(igw);
  regionInfo(scope.region).zones.forEach((z, i) => {
    tx.put(defaultSubnet(ctx, vpc, subBlock(cidr, DEFAULT_SUBNET_PREFIX, BigInt(i)), z));
  });
  return vpc;
};
