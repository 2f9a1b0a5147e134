/**
 * What every new (account, region) starts with, as in a fresh AWS account: a default VPC 172.31.0.0/16 with its
 * default security group, main route table and default NACL, one default /20 subnet per Availability Zone
 * (MapPublicIpOnLaunch=true), and an attached internet gateway with a 0.0.0.0/0 route in the main table; and the
 * Region's default DHCP options set (domain name and AmazonProvidedDNS), which the VPCs use.
 */
import { parseCidr, subBlock } from "../../domain/cidr.js";
import { regionInfo } from "../../domain/regions.js";
import type { InternetGatewayRecord } from "../../domain/types.js";
import type { ActionContext } from "./action.js";
import { newSubnet } from "./actions/subnets.js";
import { createVpcWithDefaults } from "./actions/vpcs.js";
import { createDefaultDhcpOptions } from "./actions/dhcp-options.js";

export const DEFAULT_VPC_CIDR = "172.31.0.0/16";

export const initializeScope = (ctx: ActionContext): void => {
  // The Region's default DHCP options set first, so that the default VPC (and every later VPC) uses it. // issue 16
  createDefaultDhcpOptions(ctx);
  createDefaultVpc(ctx);
};

/** Creates the default VPC and everything in it (also used by CreateDefaultVpc later). */
export const createDefaultVpc = (ctx: ActionContext): void => {
  const { tx, ids, scope } = ctx;
  const igwId = ids.next("internetGateway");
  const cidr = parseCidr(DEFAULT_VPC_CIDR)!;
  const vpc = createVpcWithDefaults(ctx, { cidr, isDefault: true, instanceTenancy: "default", tags: [], internetGatewayId: igwId });
  const igw: InternetGatewayRecord = { kind: "internet-gateway", id: igwId, tags: [], ownerId: scope.account, vpcId: vpc.id };
  tx.put(igw);
  regionInfo(scope.region).zones.forEach((z, i) => {
    tx.put(
      newSubnet(ctx, { vpc, cidr: subBlock(cidr, 20, BigInt(i)), zoneName: z.zoneName, zoneId: z.zoneId, defaultForAz: true, tags: [] }),
    );
  });
};
