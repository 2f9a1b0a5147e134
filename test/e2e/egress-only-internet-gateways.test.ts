/** Egress-only internet gateways through the real SDK, and routes to them. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateEgressOnlyInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateVpcCommand,
  DeleteEgressOnlyInternetGatewayCommand,
  DeleteVpcCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  ReplaceRouteCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("egress-only internet gateways", () => {
  const h = useHarness();
  let vpcId: string;
  let tableId: string;
  beforeEach(async () => {
    vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.64.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    tableId = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  });
  const createEigw = async (vpc = vpcId): Promise<string> =>
    (await h.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpc }))).EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!;
  const routesOf = async () => (await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [tableId] }))).RouteTables![0]!.Routes!;

  it("creates (attached to its VPC, tags), describes with tag filters, deletes", async () => {
    const r = await h.ec2.send(
      new CreateEgressOnlyInternetGatewayCommand({
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: "egress-only-internet-gateway", Tags: [{ Key: "Name", Value: "e1" }] }],
      }),
    );
    const g = r.EgressOnlyInternetGateway!;
    assert.match(g.EgressOnlyInternetGatewayId!, /^eigw-[0-9a-f]{17}$/);
    assert.deepEqual(g.Attachments, [{ State: "attached", VpcId: vpcId }]);
    const byTag = await h.ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({ Filters: [{ Name: "tag:Name", Values: ["e1"] }] }));
    assert.deepEqual(
      byTag.EgressOnlyInternetGateways!.map((x) => x.EgressOnlyInternetGatewayId),
      [g.EgressOnlyInternetGatewayId],
    );
    const del = await h.ec2.send(
      new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: g.EgressOnlyInternetGatewayId! }),
    );
    assert.equal(del.ReturnCode, true);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeEgressOnlyInternetGatewaysCommand({ EgressOnlyInternetGatewayIds: [g.EgressOnlyInternetGatewayId!] })),
      "InvalidEgressOnlyInternetGatewayId.NotFound",
      `The egressOnlyInternetGateway ID '${g.EgressOnlyInternetGatewayId}' does not exist`,
    );
  });

  it("needs an existing VPC; unknown and malformed ids", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: "vpc-0123456789abcdef0" })),
      "InvalidVpcID.NotFound",
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: "eigw-0123456789abcdef0" })),
      "InvalidEgressOnlyInternetGatewayId.NotFound",
      "The egressOnlyInternetGateway ID 'eigw-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: "igw-0123456789abcdef0" })),
      "InvalidEgressOnlyInternetGatewayId.Malformed",
      'Invalid id: "igw-0123456789abcdef0" (expecting "eigw-...")',
    );
  });

  it("a VPC with an egress-only gateway cannot be deleted", async () => {
    await createEigw();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
      "DependencyViolation",
      `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    );
  });

  it("routes IPv6 to it (route.egress-only-internet-gateway-id filter); a deleted gateway leaves a blackhole", async () => {
    const id = await createEigw();
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationIpv6CidrBlock: "::/0", EgressOnlyInternetGatewayId: id }));
    const route = (await routesOf()).find((r) => r.DestinationIpv6CidrBlock === "::/0")!;
    assert.equal(route.EgressOnlyInternetGatewayId, id);
    assert.equal(route.State, "active");
    assert.equal(route.Origin, "CreateRoute");
    const byFilter = await h.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "route.egress-only-internet-gateway-id", Values: [id] }] }),
    );
    assert.deepEqual(
      byFilter.RouteTables!.map((t) => t.RouteTableId),
      [tableId],
    );
    // ReplaceRoute onto another egress-only gateway of the VPC.
    const other = await createEigw();
    await h.ec2.send(
      new ReplaceRouteCommand({ RouteTableId: tableId, DestinationIpv6CidrBlock: "::/0", EgressOnlyInternetGatewayId: other }),
    );
    assert.equal((await routesOf()).find((r) => r.DestinationIpv6CidrBlock === "::/0")!.EgressOnlyInternetGatewayId, other);
    await h.ec2.send(new DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: other }));
    assert.equal((await routesOf()).find((r) => r.DestinationIpv6CidrBlock === "::/0")!.State, "blackhole");
  });

  it("an IPv4 destination is refused, and a gateway of another VPC", async () => {
    const id = await createEigw();
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: "0.0.0.0/0", EgressOnlyInternetGatewayId: id })),
      "InvalidParameterValue",
      `Egress-only internet gateway ${id} can only be the target of an IPv6 route (destinationIpv6CidrBlock).`,
    );
    await h.ec2.send(
      new CreateRouteCommand({ RouteTableId: tableId, DestinationIpv6CidrBlock: "2001:db8::/32", EgressOnlyInternetGatewayId: id }),
    );
    const otherVpc = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.65.0.0/16" }))).Vpc!.VpcId!;
    const foreign = await createEigw(otherVpc);
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new ReplaceRouteCommand({
            RouteTableId: tableId,
            DestinationIpv6CidrBlock: "2001:db8::/32",
            EgressOnlyInternetGatewayId: foreign,
          }),
        ),
      "InvalidParameterValue",
      `Route table ${tableId} and ${foreign} belong to different networks`,
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new CreateRouteCommand({
            RouteTableId: tableId,
            DestinationIpv6CidrBlock: "2001:db9::/32",
            EgressOnlyInternetGatewayId: "eigw-0123456789abcdef0",
          }),
        ),
      "InvalidEgressOnlyInternetGatewayId.NotFound",
      "The egressOnlyInternetGateway ID 'eigw-0123456789abcdef0' does not exist",
    );
  });
});
