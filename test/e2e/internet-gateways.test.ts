/** Internet gateways through the real SDK. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
} from "@aws-sdk/client-ec2";
import { expectError, expectErrorNoChange, useHarness } from "./harness.js";

describe("internet gateways", () => {
  const h = useHarness();
  let vpcId: string;
  let defaultVpcId: string;
  beforeEach(async () => {
    vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }))).Vpc!.VpcId!;
    defaultVpcId = (await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!.VpcId!;
  });

  const createIgw = async (): Promise<string> =>
    (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  const describeOne = async (id: string) =>
    (await h.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }))).InternetGateways![0]!;
  const defaultIgwId = async (): Promise<string> =>
    (await h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [defaultVpcId] }] })))
      .InternetGateways![0]!.InternetGatewayId!;

  it("the default VPC has an attached IGW whose attachment state is 'available'", async () => {
    const r = await h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [defaultVpcId] }] }));
    assert.equal(r.InternetGateways?.length, 1);
    const igw = r.InternetGateways[0]!;
    assert.match(igw.InternetGatewayId!, /^igw-[0-9a-f]{17}$/);
    assert.equal(igw.OwnerId, "000000000000");
    assert.deepEqual(igw.Attachments, [{ State: "available", VpcId: defaultVpcId }]);
    const byState = await h.ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.state", Values: ["available"] }] }),
    );
    assert.deepEqual(
      byState.InternetGateways?.map((g) => g.InternetGatewayId),
      [igw.InternetGatewayId],
    );
  });

  it("creates, attaches, detaches and deletes", async () => {
    const created = await h.ec2.send(
      new CreateInternetGatewayCommand({
        TagSpecifications: [{ ResourceType: "internet-gateway", Tags: [{ Key: "Name", Value: "main" }] }],
      }),
    );
    const igw = created.InternetGateway!;
    assert.match(igw.InternetGatewayId!, /^igw-[0-9a-f]{17}$/);
    assert.deepEqual(igw.Attachments, []);
    assert.deepEqual(igw.Tags, [{ Key: "Name", Value: "main" }]);
    const id = igw.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    assert.deepEqual((await describeOne(id)).Attachments, [{ State: "available", VpcId: vpcId }]);
    const byVpc = await h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
    assert.deepEqual(
      byVpc.InternetGateways?.map((g) => g.InternetGatewayId),
      [id],
    );
    const byTag = await h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "tag:Name", Values: ["main"] }] }));
    assert.deepEqual(
      byTag.InternetGateways?.map((g) => g.InternetGatewayId),
      [id],
    );
    await h.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    assert.deepEqual((await describeOne(id)).Attachments, []);
    await h.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id }));
    await expectError(
      h.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] })),
      "InvalidInternetGatewayID.NotFound",
      `The internetGateway ID '${id}' does not exist`,
    );
  });

  it("attaching twice, or to a VPC that already has one, fails", async () => {
    const id = await createIgw();
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
      "Resource.AlreadyAssociated",
      `resource ${id} is already attached to network ${vpcId}`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: defaultVpcId })),
      "Resource.AlreadyAssociated",
      `resource ${id} is already attached to network ${vpcId}`,
    );
    const second = await createIgw();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId })),
      "InvalidParameterValue",
      `Network ${vpcId} already has an internet gateway attached`,
    );
  });

  it("detaching a gateway that is not attached to that VPC is Gateway.NotAttached", async () => {
    const id = await createIgw();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
      "Gateway.NotAttached",
      `resource ${id} is not attached to network ${vpcId}`,
    );
    const defaultIgw = await defaultIgwId();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: defaultIgw, VpcId: vpcId })),
      "Gateway.NotAttached",
      `resource ${defaultIgw} is not attached to network ${vpcId}`,
    );
  });

  it("an attached gateway cannot be deleted", async () => {
    const defaultIgw = await defaultIgwId();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: defaultIgw })),
      "DependencyViolation",
      `The internetGateway '${defaultIgw}' has dependencies and cannot be deleted.`,
    );
  });

  it("DeleteVpc is a DependencyViolation while an IGW is attached", async () => {
    const id = await createIgw();
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
      "DependencyViolation",
      `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    );
    await h.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    await h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it("routes to a detached gateway become blackhole, and active again on re-attach", async () => {
    const igw = await defaultIgwId();
    const routeState = async () => {
      const r = await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.gateway-id", Values: [igw] }] }));
      return r.RouteTables![0]!.Routes!.find((x) => x.GatewayId === igw)!.State;
    };
    assert.equal(await routeState(), "active");
    await h.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: defaultVpcId }));
    assert.equal(await routeState(), "blackhole");
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: defaultVpcId }));
    assert.equal(await routeState(), "active");
  });

  it("ids are checked for form before existence", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: "gw-1", VpcId: vpcId })),
      "InvalidInternetGatewayId.Malformed",
      'Invalid id: "gw-1" (expecting "igw-...")',
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: "igw-0123456789abcdef0" })),
      "InvalidInternetGatewayID.NotFound",
      "The internetGateway ID 'igw-0123456789abcdef0' does not exist",
    );
    const id = await createIgw();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: "vpc-0123456789abcdef0" })),
      "InvalidVpcID.NotFound",
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
  });

  it("the per-Region quota (5) and pagination", async () => {
    for (let i = 0; i < 4; i++) await createIgw();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateInternetGatewayCommand({})),
      "InternetGatewayLimitExceeded",
      "The maximum number of internet gateways has been reached.",
    );
    const p1 = await h.ec2.send(
      new DescribeInternetGatewaysCommand({ MaxResults: 5, Filters: [{ Name: "owner-id", Values: ["000000000000"] }] }),
    );
    assert.equal(p1.InternetGateways?.length, 5);
    assert.equal(p1.NextToken, undefined);
    const p2 = await h.ec2.send(
      new DescribeInternetGatewaysCommand({ MaxResults: 5, Filters: [{ Name: "internet-gateway-id", Values: ["igw-*"] }] }),
    );
    assert.equal(p2.InternetGateways?.length, 5);
    await expectError(
      h.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.bogus", Values: ["x"] }] })),
      "InvalidParameterValue",
      "The filter 'attachment.bogus' is invalid",
    );
  });
});
