/** NAT gateways (issue 5): Create/Describe/DeleteNatGateway with an Elastic IP, its requester-managed ENI, and traffic through it. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  DeleteNatGatewayCommand,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, expectErrorNoChange, useHarness } from "./harness.js";

describe("NAT gateways", () => {
  const h = useHarness();
  let net: { vpcId: string; subnetId: string; sgId: string };
  let allocationId: string;
  let publicIp: string;
  beforeEach(async () => {
    net = await createNetwork(h, "10.80.0.0/16", "10.80.1.0/24");
    const a = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    allocationId = a.AllocationId!;
    publicIp = a.PublicIp!;
  });

  it("creates a public NAT gateway with a requester-managed nat_gateway ENI holding the Elastic IP", async () => {
    const { NatGateway } = await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: allocationId }));
    assert.match(NatGateway!.NatGatewayId!, /^nat-[0-9a-f]{17}$/);
    assert.equal(NatGateway!.State, "available");
    assert.equal(NatGateway!.VpcId, net.vpcId);
    assert.equal(NatGateway!.ConnectivityType, "public");
    const addr = NatGateway!.NatGatewayAddresses![0]!;
    assert.equal(addr.AllocationId, allocationId);
    assert.equal(addr.PublicIp, publicIp);
    const eni = (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [addr.NetworkInterfaceId!] })))
      .NetworkInterfaces![0]!;
    assert.equal(eni.InterfaceType, "nat_gateway");
    assert.equal(eni.RequesterManaged, true);
    assert.equal(eni.Description, `Interface for NAT Gateway ${NatGateway!.NatGatewayId!}`);
    assert.equal(eni.PrivateIpAddress, addr.PrivateIp);
    assert.equal(eni.Association?.PublicIp, publicIp);
    const eip = (await h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))).Addresses![0]!;
    assert.equal(eip.NetworkInterfaceId, eni.NetworkInterfaceId);

    const listed = await h.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [net.vpcId] }] }));
    assert.deepEqual(
      listed.NatGateways!.map((n) => n.NatGatewayId),
      [NatGateway!.NatGatewayId],
    );

    await h.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: NatGateway!.NatGatewayId! }));
    const gone = (await h.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [NatGateway!.NatGatewayId!] }))).NatGateways![0]!;
    assert.equal(gone.State, "deleted");
    assert.ok(gone.DeleteTime instanceof Date);
    assert.equal(
      (await h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))).Addresses![0]!.AssociationId,
      undefined,
    );
    const enis = await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [net.subnetId] }] }));
    assert.equal(enis.NetworkInterfaces!.length, 0);
  });

  it("errors change nothing", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId })),
      "MissingParameter",
      "The request must contain the parameter AllocationId",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: "eipalloc-0123456789abcdef0" })),
      "InvalidAllocationID.NotFound",
      "The allocation ID 'eipalloc-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateNatGatewayCommand({ SubnetId: "subnet-0123456789abcdef0", AllocationId: allocationId })),
      "InvalidSubnetID.NotFound",
      "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    );
    await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: allocationId }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: allocationId })),
      "Resource.AlreadyAssociated",
      `Elastic IP address [${allocationId}] is already associated`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: "nat-0123456789abcdef0" })),
      "NatGatewayNotFound",
      "The Nat Gateway nat-0123456789abcdef0 was not found",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ["nat-0123456789abcdef0"] })),
      "NatGatewayNotFound",
      "The Nat Gateway nat-0123456789abcdef0 was not found",
    );
  });

  it("a private subnet reaches the internet through it, and the internet cannot open connections to it", async () => {
    const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
    const pubRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: pubRtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: pubRtb, SubnetId: net.subnetId }));
    const nat = (await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: allocationId }))).NatGateway!
      .NatGatewayId!;
    const priv = (await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.80.2.0/24" }))).Subnet!.SubnetId!;
    const privRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: privRtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: privRtb, SubnetId: priv }));
    const app = (
      await h.ec2.send(
        new RunInstancesCommand({ ImageId: "ami-0a1b2c3d4e5f60001", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: priv }),
      )
    ).Instances![0]!;
    const send = async (from: string, to: string) =>
      (await (
        await fetch(`${h.vpc.url}/_localvpc/traffic/send`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ from, to, port: 443 }),
        })
      ).json()) as { delivered: boolean; reason: string | null; explanation: string; hops: { rewrite?: { field: string; to: string } }[] };
    const out = await send(app.InstanceId!, "203.0.113.5");
    assert.equal(out.delivered, true, out.explanation);
    assert.ok(out.hops.some((x) => x.rewrite?.to === publicIp));
    const inbound = await send("203.0.113.5", publicIp);
    assert.equal(inbound.reason, "EMU_NAT_GATEWAY_UNSOLICITED");
  });
});
