/**
 * CreateDefaultVpc and CreateDefaultSubnet (issue 16): the default VPC and its default subnets again, after they were
 * deleted, in the shapes the scope's bootstrap makes (services/ec2/bootstrap.ts). AWS rules (EC2 API reference,
 * VPC-UG "Default VPCs"): one default VPC per Region (DefaultVpcAlreadyExists); a default subnet needs the default VPC
 * (DefaultVpcDoesNotExist) and there is one per Availability Zone (DefaultSubnetAlreadyExistsInAvailabilityZone).
 */
import { err } from "../../../domain/errors.js";
import { defineAction } from "../action.js";
import { createDefaultVpc, defaultSubnet, nextDefaultSubnetCidr } from "../bootstrap.js";
import { createDefaultDhcpOptions, defaultDhcpOptionsId, NO_DHCP_OPTIONS } from "./dhcp-options.js";
import { resolveZone, subnetView } from "./subnets.js";
import { vpcView } from "./vpcs.js";

export const CreateDefaultVpc = defineAction({
  name: "CreateDefaultVpc",
  mutates: true,
  params: [],
  run(_input, ctx) {
    const { tx } = ctx;
    if (tx.list("vpc").some((v) => v.isDefault)) throw err.defaultVpcExists();
    // The default VPC counts against the VPCs-per-Region quota like any other (VPC-UG quotas; inferred for this call).
    if (tx.count("vpc") >= ctx.quotas.vpcsPerRegion) throw err.vpcLimitExceeded();
    // A default VPC uses the Region's default DHCP options set: made again if it was deleted (inferred).
    if (defaultDhcpOptionsId(tx) === NO_DHCP_OPTIONS) createDefaultDhcpOptions(ctx);
    const vpc = createDefaultVpc(ctx);
    // As CreateVpc: answered "pending"; DescribeVpcs then shows "available".
    return { Vpc: { ...vpcView(vpc), State: "pending" } };
  },
});

export const CreateDefaultSubnet = defineAction({
  name: "CreateDefaultSubnet",
  mutates: true,
  // Ipv6Native (an IPv6-only default subnet) is not implemented yet: the pipeline rejects it.
  params: ["AvailabilityZone", "AvailabilityZoneId"],
  run(input, ctx) {
    const { tx } = ctx;
    if (input.AvailabilityZone === undefined && input.AvailabilityZoneId === undefined) throw err.missingParameter("availabilityZone");
    const zone = resolveZone(ctx.scope.region, input.AvailabilityZone, input.AvailabilityZoneId);
    const vpc = tx.list("vpc").find((v) => v.isDefault);
    if (!vpc) throw err.defaultVpcMissing();
    const subnets = tx.list("subnet", { vpcId: vpc.id });
    if (subnets.some((s) => s.defaultForAz && s.availabilityZone === zone.zoneName)) throw err.defaultSubnetExists(zone.zoneName);
    const cidr = nextDefaultSubnetCidr(vpc, subnets);
    if (!cidr) throw err.defaultSubnetNoSpace(vpc.id);
    const subnet = defaultSubnet(ctx, vpc, cidr, zone);
    tx.put(subnet);
    return { Subnet: subnetView(tx, subnet, ctx.scope.region) };
  },
});

export const DEFAULT_VPC_ACTIONS = [CreateDefaultVpc, CreateDefaultSubnet];
