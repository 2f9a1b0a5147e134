/**
 * A route's State is derived from its target when it is read (issue 5): DescribeRouteTables shows `blackhole` once the
 * target ENI, NAT gateway or NAT instance is gone or down, `active` again when it is back, and the `route.state`
 * filter agrees. AWS (Route.State): "the route's target isn't available (for example, the specified gateway isn't
 * attached to the VPC, or the specified NAT instance has been terminated)".
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AttachNetworkInterfaceCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteNatGatewayCommand,
  DeleteNetworkInterfaceCommand,
  DescribeRouteTablesCommand,
  DetachNetworkInterfaceCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("route state blackhole", () => {
  const h = useHarness();
  let net: { vpcId: string; subnetId: string; sgId: string };
  let rtbId: string;
  beforeEach(async () => {
    net = await createNetwork(h, "10.62.0.0/16", "10.62.1.0/24");
    rtbId = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
  });
  const route = async (dest: string) =>
    (await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtbId] }))).RouteTables![0]!.Routes!.find(
      (r) => r.DestinationCidrBlock === dest,
    )!;
  /** The tables of this VPC that the `route.state` filter selects. */
  const byState = async (state: string) =>
    (
      await h.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [net.vpcId] },
            { Name: "route.state", Values: [state] },
          ],
        }),
      )
    ).RouteTables!.map((t) => t.RouteTableId);
  const launch = async () =>
    (
      await h.ec2.send(
        new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: net.subnetId }),
      )
    ).Instances![0]!;

  it("a route to a deleted ENI is a blackhole, and the route.state filter agrees", async () => {
    const inst = await launch();
    const eni = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    const { AttachmentId } = await h.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: inst.InstanceId!, DeviceIndex: 1 }),
    );
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", NetworkInterfaceId: eni }));
    assert.deepEqual(await route("0.0.0.0/0"), {
      DestinationCidrBlock: "0.0.0.0/0",
      NetworkInterfaceId: eni,
      InstanceId: inst.InstanceId,
      Origin: "CreateRoute",
      State: "active",
    });
    assert.deepEqual(await byState("blackhole"), []);

    // Detached: the route has no instance and goes nowhere.
    await h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: AttachmentId! }));
    assert.deepEqual(await route("0.0.0.0/0"), {
      DestinationCidrBlock: "0.0.0.0/0",
      NetworkInterfaceId: eni,
      Origin: "CreateRoute",
      State: "blackhole",
    });

    await h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    assert.equal((await route("0.0.0.0/0")).State, "blackhole");
    assert.deepEqual(await byState("blackhole"), [rtbId]);
    // The table still has its active local route, so it matches "active" as well (values are per route).
    assert.ok((await byState("active")).includes(rtbId));
  });

  it("a route to a NAT instance is a blackhole while it is stopped and once it is terminated", async () => {
    const inst = await launch();
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", InstanceId: inst.InstanceId! }));
    assert.equal((await route("0.0.0.0/0")).State, "active");
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    assert.equal((await route("0.0.0.0/0")).State, "blackhole");
    await h.ec2.send(new StartInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    assert.equal((await route("0.0.0.0/0")).State, "active");
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst.InstanceId!] }));
    const r = await route("0.0.0.0/0");
    assert.equal(r.State, "blackhole");
    assert.equal(r.NetworkInterfaceId, inst.NetworkInterfaces![0]!.NetworkInterfaceId);
  });

  it("a route to a deleted NAT gateway is a blackhole", async () => {
    const { AllocationId } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const nat = (await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: AllocationId! }))).NatGateway!
      .NatGatewayId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat }));
    assert.equal((await route("0.0.0.0/0")).State, "active");
    assert.deepEqual(await byState("blackhole"), []);
    await h.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat }));
    assert.deepEqual(await route("0.0.0.0/0"), {
      DestinationCidrBlock: "0.0.0.0/0",
      NatGatewayId: nat,
      Origin: "CreateRoute",
      State: "blackhole",
    });
    assert.deepEqual(await byState("blackhole"), [rtbId]);
  });
});
