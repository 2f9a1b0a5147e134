/** CreateDefaultVpc, CreateDefaultSubnet and ModifyVpcTenancy (issue 16) with the real SDK. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateDefaultSubnetCommand,
  CreateDefaultVpcCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeDhcpOptionsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  ModifyVpcTenancyCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness, type Harness } from "./harness.js";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];

const defaultVpcId = async (h: Harness): Promise<string | undefined> =>
  (await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]?.VpcId;

const defaultSubnets = async (h: Harness, vpcId: string) =>
  (await h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).Subnets!;

/** Deletes the default VPC the way a user must: subnets, then the internet gateway, then the VPC. */
const deleteDefaultVpc = async (h: Harness): Promise<void> => {
  const vpcId = (await defaultVpcId(h))!;
  for (const s of await defaultSubnets(h, vpcId)) await h.ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId! }));
  const igws = await h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
  for (const g of igws.InternetGateways!) {
    await h.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId!, VpcId: vpcId }));
    await h.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId! }));
  }
  await h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
};

describe("default VPC and default subnets", () => {
  const h = useHarness();
  beforeEach(async () => {
    await h.ec2.send(new DescribeVpcsCommand({})); // bootstrap the scope
  });

  it("DefaultVpcAlreadyExists while the Region has a default VPC", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultVpcCommand({})),
      "DefaultVpcAlreadyExists",
      "A Default VPC already exists for this account in this region.",
    );
  });

  it("recreates the bootstrap's shape: 172.31.0.0/16, a /20 per zone, IGW, main table 0.0.0.0/0 → IGW, default SG and NACL, default DHCP options", async () => {
    await deleteDefaultVpc(h);
    assert.equal(await defaultVpcId(h), undefined);
    const { Vpc } = await h.ec2.send(new CreateDefaultVpcCommand({}));
    assert.equal(Vpc!.CidrBlock, "172.31.0.0/16");
    assert.equal(Vpc!.IsDefault, true);
    assert.equal(Vpc!.InstanceTenancy, "default");
    const vpcId = Vpc!.VpcId!;
    assert.equal(await defaultVpcId(h), vpcId);
    const subnets = (await defaultSubnets(h, vpcId)).sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!));
    assert.deepEqual(
      subnets.map((s) => [s.AvailabilityZone, s.CidrBlock, s.DefaultForAz, s.MapPublicIpOnLaunch]),
      ZONES.map((z, i) => [z, `172.31.${i * 16}.0/20`, true, true]),
    );
    const igw = (await h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] })))
      .InternetGateways![0]!;
    const main = (
      await h.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "association.main", Values: ["true"] },
          ],
        }),
      )
    ).RouteTables![0]!;
    assert.deepEqual(
      main.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State]),
      [
        ["172.31.0.0/16", "local", "active"],
        ["0.0.0.0/0", igw.InternetGatewayId, "active"],
      ],
    );
    const sgs = (await h.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).SecurityGroups!;
    assert.deepEqual(
      sgs.map((g) => g.GroupName),
      ["default"],
    );
    const acls = (await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).NetworkAcls!;
    assert.deepEqual(
      acls.map((a) => a.IsDefault),
      [true],
    );
    const dopt = (await h.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [Vpc!.DhcpOptionsId!] }))).DhcpOptions![0]!;
    assert.ok(dopt.DhcpConfigurations!.some((c) => c.Key === "domain-name-servers"));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultVpcCommand({})),
      "DefaultVpcAlreadyExists",
      "A Default VPC already exists for this account in this region.",
    );
  });

  it("CreateDefaultSubnet: the next free /20 in the zone that lost its default subnet; one per zone", async () => {
    const vpcId = (await defaultVpcId(h))!;
    const c = (await defaultSubnets(h, vpcId)).find((s) => s.AvailabilityZone === "us-east-1c")!;
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-east-1c" })),
      "DefaultSubnetAlreadyExistsInAvailabilityZone",
      "A default subnet already exists in Availability Zone us-east-1c.",
    );
    await h.ec2.send(new DeleteSubnetCommand({ SubnetId: c.SubnetId! }));
    const { Subnet } = await h.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-east-1c" }));
    assert.equal(Subnet!.CidrBlock, "172.31.32.0/20"); // the freed block is the lowest free /20 again
    assert.equal(Subnet!.DefaultForAz, true);
    assert.equal(Subnet!.MapPublicIpOnLaunch, true);
    assert.equal(Subnet!.VpcId, vpcId);
    assert.equal(Subnet!.AvailabilityZoneId, "use1-az6");
    // A /20 taken by an ordinary subnet is skipped.
    const d = (await defaultSubnets(h, vpcId)).find((s) => s.AvailabilityZone === "us-east-1d")!;
    await h.ec2.send(new DeleteSubnetCommand({ SubnetId: d.SubnetId! }));
    await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "172.31.48.0/24", AvailabilityZone: "us-east-1a" }));
    const byId = await h.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZoneId: d.AvailabilityZoneId! }));
    assert.equal(byId.Subnet!.CidrBlock, "172.31.96.0/20");
    assert.equal(byId.Subnet!.AvailabilityZone, "us-east-1d");
  });

  it("CreateDefaultSubnet errors change nothing", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultSubnetCommand({})),
      "MissingParameter",
      "The request must contain the parameter availabilityZone",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-west-2a" })),
      "InvalidParameterValue",
      /^Value \(us-west-2a\) for parameter availabilityZone is invalid/,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-east-1a", Ipv6Native: true })),
      "UnsupportedOperation",
      "The parameter Ipv6Native is not supported by localvpc for CreateDefaultSubnet yet.",
    );
    await deleteDefaultVpc(h);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateDefaultSubnetCommand({ AvailabilityZone: "us-east-1a" })),
      "DefaultVpcDoesNotExist",
      "There is no default VPC in which to carry out the request. Create a default VPC first (CreateDefaultVpc).",
    );
  });

  it("ModifyVpcTenancy: dedicated → default only", async () => {
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.91.0.0/16", InstanceTenancy: "dedicated" }));
    assert.equal(Vpc!.InstanceTenancy, "dedicated");
    const r = await h.ec2.send(new ModifyVpcTenancyCommand({ VpcId: Vpc!.VpcId!, InstanceTenancy: "default" }));
    assert.equal(r.ReturnValue, true);
    const after = (await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }))).Vpcs![0]!;
    assert.equal(after.InstanceTenancy, "default");
    // Again: already default, nothing to change.
    assert.equal((await h.ec2.send(new ModifyVpcTenancyCommand({ VpcId: Vpc!.VpcId!, InstanceTenancy: "default" }))).ReturnValue, true);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ModifyVpcTenancyCommand({ VpcId: Vpc!.VpcId!, InstanceTenancy: "dedicated" as "default" })),
      "InvalidParameterValue",
      "Value (dedicated) for parameter instanceTenancy is invalid. Allowed values: default.",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ModifyVpcTenancyCommand({ VpcId: "vpc-0123456789abcdef0", InstanceTenancy: "default" })),
      "InvalidVpcID.NotFound",
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
  });
});
