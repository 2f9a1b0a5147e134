/**
 * Gateway (edge) route tables and middlebox routing (issue 16): AssociateRouteTable --gateway-id, the gateway table's
 * rules, routes more specific than local, ingress routing through an appliance, and NAT gateway port translation, with
 * the real SDK and the traffic API.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  ModifyNetworkInterfaceAttributeCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, expectErrorNoChange, trafficSend, useHarness, type WireVerdict } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("gateway route tables and middlebox routing", () => {
  const h = useHarness();
  let net: { vpcId: string; subnetId: string; sgId: string };
  let appSubnet: string;
  let igwId: string;
  let edgeRtb: string;
  let publicRtb: string;
  beforeEach(async () => {
    net = await createNetwork(h, "10.62.0.0/16", "10.62.1.0/24");
    appSubnet = (await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.62.3.0/24", AvailabilityZone: "us-east-1a" })))
      .Subnet!.SubnetId!;
    igwId = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: net.vpcId }));
    publicRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: net.subnetId }));
    edgeRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
  });
  const launch = async (subnetId: string, publicIp = false) => {
    const i = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.medium",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, AssociatePublicIpAddress: publicIp }],
        }),
      )
    ).Instances![0]!;
    return { id: i.InstanceId!, eni: i.NetworkInterfaces![0]!.NetworkInterfaceId!, ip: i.PrivateIpAddress!, publicIp: i.PublicIpAddress };
  };
  const table = async (id: string) => (await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0]!;

  it("edge association: listed with GatewayId, replaced, disassociated; one per gateway", async () => {
    const { AssociationId, AssociationState } = await h.ec2.send(
      new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: igwId }),
    );
    assert.deepEqual(AssociationState, { State: "associated" });
    assert.deepEqual(
      (await table(edgeRtb)).Associations!.map((a) => [a.RouteTableAssociationId, a.GatewayId, a.SubnetId, a.Main]),
      [[AssociationId, igwId, undefined, false]],
    );
    const byFilter = await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "association.gateway-id", Values: [igwId] }] }));
    assert.deepEqual(
      byFilter.RouteTables!.map((t) => t.RouteTableId),
      [edgeRtb],
    );
    const other = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: other, GatewayId: igwId })),
      "Resource.AlreadyAssociated",
      `the gateway ${igwId} is already associated with a route table (${AssociationId})`,
    );
    const { NewAssociationId } = await h.ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId, RouteTableId: other }));
    assert.deepEqual(
      (await table(other)).Associations!.map((a) => [a.RouteTableAssociationId, a.GatewayId]),
      [[NewAssociationId, igwId]],
    );
    assert.deepEqual((await table(edgeRtb)).Associations, []);
    await h.ec2.send(new DisassociateRouteTableCommand({ AssociationId: NewAssociationId }));
    assert.deepEqual((await table(other)).Associations, []);
  });

  it("association errors change nothing", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: igwId, SubnetId: appSubnet })),
      "InvalidParameterCombination",
      "The request must contain exactly one of subnetId or gatewayId",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: "igw-0123456789abcdef0" })),
      "InvalidInternetGatewayID.NotFound",
      "The internetGateway ID 'igw-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: "vgw-0123456789abcdef0" })),
      "InvalidGatewayID.NotFound",
      "The gateway ID 'vgw-0123456789abcdef0' does not exist",
    );
    const loose = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: loose })),
      "InvalidParameterValue",
      `route table ${edgeRtb} and network gateway ${loose} belong to different networks`,
    );
    // A table with a route a gateway table cannot have: 0.0.0.0/0 → IGW (target and destination).
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, GatewayId: igwId })),
      "InvalidParameterValue",
      `Route table ${publicRtb} has a route to 0.0.0.0/0 with target ${igwId}: a route table associated with a gateway can only route to local or a network interface.`,
    );
    const fw = await launch(net.subnetId);
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "192.0.2.0/24", NetworkInterfaceId: fw.eni }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: igwId })),
      "InvalidParameterValue",
      `Route table ${edgeRtb} has a route to 192.0.2.0/24: a route table associated with a gateway can only route to the VPC's CIDR blocks or the whole CIDR block of one of its subnets.`,
    );
  });

  it("routes of a gateway table: local or an ENI, to the VPC CIDR or a whole subnet", async () => {
    const fw = await launch(net.subnetId);
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: igwId }));
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "10.62.3.0/24", NetworkInterfaceId: fw.eni }));
    await h.ec2.send(new ReplaceRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "10.62.0.0/16", NetworkInterfaceId: fw.eni }));
    await h.ec2.send(new ReplaceRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "10.62.0.0/16", GatewayId: "local" }));
    assert.deepEqual(
      (await table(edgeRtb)).Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId ?? r.NetworkInterfaceId]),
      [
        ["10.62.0.0/16", "local"],
        ["10.62.3.0/24", fw.eni],
      ],
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "0.0.0.0/0", NetworkInterfaceId: fw.eni })),
      "InvalidParameterValue",
      `Route table ${edgeRtb} has a route to 0.0.0.0/0: a route table associated with a gateway can only route to the VPC's CIDR blocks or the whole CIDR block of one of its subnets.`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "10.62.1.0/24", InstanceId: fw.id })),
      "InvalidParameterValue",
      `Route table ${edgeRtb} has a route to 10.62.1.0/24 with target ${fw.id}: a route table associated with a gateway can only route to local or a network interface.`,
    );
  });

  it("a route more specific than local must match a whole subnet (any table)", async () => {
    const fw = await launch(net.subnetId);
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: "10.62.3.0/24", NetworkInterfaceId: fw.eni }));
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: "10.62.3.0/25", NetworkInterfaceId: fw.eni })),
      "InvalidParameterValue",
      "The destination CIDR block 10.62.3.0/25 is more specific than a VPC CIDR block of the route table's VPC but is not the CIDR block of a subnet in it. A route more specific than the local route must match a whole subnet.",
    );
  });

  it("ingress routing: internet traffic to the server's public IP goes through the appliance, and so does its reply", async () => {
    const fw = await launch(net.subnetId, true);
    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: fw.eni, SourceDestCheck: { Value: false } }));
    const server = await launch(appSubnet, true);
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: net.sgId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const appRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: appRtb, DestinationCidrBlock: "0.0.0.0/0", NetworkInterfaceId: fw.eni }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: appRtb, SubnetId: appSubnet }));
    const direct = await trafficSend(h, { from: "internet", to: server.id, port: 443 });
    assert.equal(direct.deliveredTo, server.id, direct.explanation);
    assert.ok(!direct.hops.some((h) => h.path === "forward" && h.component === fw.eni), "no gateway table yet: straight in");

    await h.ec2.send(new CreateRouteCommand({ RouteTableId: edgeRtb, DestinationCidrBlock: "10.62.3.0/24", NetworkInterfaceId: fw.eni }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: edgeRtb, GatewayId: igwId }));
    const v = await trafficSend(h, { from: "internet", to: server.id, port: 443 });
    assert.equal(v.deliveredTo, server.id, v.explanation);
    assert.equal(v.reply?.delivered, true, v.reply?.explanation ?? "");
    const steer = v.hops.find((x) => x.component === edgeRtb)!;
    assert.equal(steer.detail, `gateway route table of ${igwId}: route 10.62.3.0/24 → ${fw.eni} steers it to the middlebox`);
    assert.ok(v.hops.some((x) => x.path === "forward" && x.component === fw.eni && x.action === "forward"));
    assert.ok(v.hops.some((x) => x.path === "return" && x.component === fw.eni && x.action === "forward"));
    assert.deepEqual(v.hops.find((x) => x.path === "return" && x.type === "internet-gateway")?.rewrite, {
      field: "source",
      from: server.ip,
      to: server.publicIp,
    });
  });

  it("NAT gateway: the source port is translated in the hop rewrite and stays the same for the connection", async () => {
    const { AllocationId } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const nat = (await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId }))).NatGateway!.NatGatewayId!;
    const privRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: privRtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: privRtb, SubnetId: appSubnet }));
    const app = await launch(appSubnet);
    // srcPort continues one connection (as `localvpc traffic run` does).
    const send = async () => {
      const r = await adminCall<WireVerdict>(h, "POST", "traffic/send", { from: app.id, to: "203.0.113.5", port: 443, srcPort: 40000 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const v = await send();
    assert.equal(v.reply?.delivered, true, v.explanation);
    const out = v.hops.find((x) => x.type === "nat-gateway" && x.rewrite?.field === "source")!.rewrite!;
    assert.equal(out.from, app.ip);
    assert.equal(out.fromPort, 40000);
    assert.ok(out.toPort! >= 1024 && out.toPort! <= 65535);
    const back = v.hops.find((x) => x.type === "nat-gateway" && x.rewrite?.field === "destination")!.rewrite!;
    assert.deepEqual([back.fromPort, back.toPort, back.to], [out.toPort, 40000, app.ip]);
    const again = await send();
    assert.equal(again.hops.find((x) => x.type === "nat-gateway" && x.rewrite?.field === "source")!.rewrite!.toPort, out.toPort);
  });
});
