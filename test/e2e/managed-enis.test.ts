/**
 * Requester-managed ENIs through the admin route `POST /_localvpc/managed-eni` (spec §4.8): what EC2 shows for them,
 * and that users may change only their tags (Detach: this group; Modify/Delete: network-interfaces.ts).
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTagsCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DetachNetworkInterfaceCommand,
  ModifyNetworkInterfaceAttributeCommand,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

interface ManagedEniJson {
  NetworkInterfaceId?: string;
  PrivateIpAddress?: string;
  AttachmentId?: string;
  error?: string;
  message?: string;
}

describe("requester-managed ENIs", () => {
  const h = useHarness();
  let subnetId: string;
  beforeEach(async () => {
    const { Subnets } = await h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    subnetId = Subnets![0]!.SubnetId!;
  });

  const create = async (body: unknown): Promise<{ status: number; json: ManagedEniJson }> => {
    const res = await fetch(`${h.vpc.url}/_localvpc/managed-eni`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as ManagedEniJson };
  };
  const describeEni = async (id: string): Promise<NetworkInterface> =>
    (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces![0]!;

  it("creates an RDS ENI visible in DescribeNetworkInterfaces as requester-managed", async () => {
    const r = await create({ subnetId, service: "rds" });
    assert.equal(r.status, 200);
    const id = r.json.NetworkInterfaceId!;
    assert.match(id, /^eni-[0-9a-f]{17}$/);
    const e = await describeEni(id);
    assert.equal(e.RequesterManaged, true);
    assert.equal(e.RequesterId, "amazon-rds");
    assert.equal(e.Description, "RDSNetworkInterface");
    assert.equal(e.InterfaceType, "interface");
    assert.equal(e.Status, "in-use");
    assert.equal(e.PrivateIpAddress, r.json.PrivateIpAddress);
    assert.match(e.MacAddress!, /^02(:[0-9a-f]{2}){5}$/);
    assert.match(e.Attachment!.AttachmentId!, /^ela-attach-[0-9a-f]{17}$/);
    assert.equal(e.Attachment!.InstanceOwnerId, "amazon-rds");
    assert.equal(e.Association, undefined, "no public IP even in a MapPublicIpOnLaunch subnet");
    const { SecurityGroups } = await h.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [e.VpcId!] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );
    assert.deepEqual(
      e.Groups!.map((g) => g.GroupId),
      [SecurityGroups![0]!.GroupId],
    );
    const filtered = await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "requester-managed", Values: ["true"] }] }));
    assert.deepEqual(
      filtered.NetworkInterfaces!.map((n) => n.NetworkInterfaceId),
      [id],
    );
  });

  it("creates an EKS control-plane ENI with a cross-account ela-attach attachment and a custom requester", async () => {
    const eks = await describeEni((await create({ subnetId, service: "eks", cluster: "prod" })).json.NetworkInterfaceId!);
    assert.equal(eks.Description, "Amazon EKS prod");
    assert.match(eks.Attachment!.InstanceOwnerId!, /^\d{12}$/);
    assert.notEqual(eks.Attachment!.InstanceOwnerId, "000000000000");
    assert.match(eks.Attachment!.InstanceId!, /^i-[0-9a-f]{17}$/);
    const ws = await describeEni((await create({ subnetId, service: "workspaces", requester: "123456789012" })).json.NetworkInterfaceId!);
    assert.equal(ws.RequesterId, "123456789012");
    assert.equal(ws.Description, "Created By Amazon Workspaces for AWS Account ID 000000000000");
    assert.equal((await describeEni((await create({ subnetId, service: "appstream" })).json.NetworkInterfaceId!)).RequesterManaged, true);
  });

  it("lambda and elb ENIs take their service's interface type, requester and description", async () => {
    const fn = await create({ subnetId, service: "lambda", cluster: "resize" });
    assert.equal(fn.status, 200);
    const l = await describeEni(fn.json.NetworkInterfaceId!);
    assert.equal(l.InterfaceType, "lambda");
    assert.equal(l.RequesterId, "AROAWLAMBDAHYPERPLANE:resize");
    assert.match(l.Description!, /^AWS Lambda VPC ENI-resize-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(l.Attachment?.InstanceOwnerId, "amazon-aws");
    const lb = await create({ subnetId, service: "elb", cluster: "web" });
    const e = await describeEni(lb.json.NetworkInterfaceId!);
    assert.deepEqual(
      [e.InterfaceType, e.RequesterId, e.Attachment?.InstanceOwnerId],
      ["network_load_balancer", "amazon-elb", "amazon-aws"],
    );
    assert.match(e.Description!, /^ELB net\/web\/[0-9a-f]{16}$/);
  });

  it("creates in another account's scope", async () => {
    const other = h.client("111122223333");
    const { Subnets } = await other.send(new DescribeSubnetsCommand({}));
    const r = await create({ subnetId: Subnets![0]!.SubnetId!, service: "rds", account: "111122223333" });
    assert.equal(r.status, 200);
    const { NetworkInterfaces } = await other.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [r.json.NetworkInterfaceId!] }),
    );
    assert.equal(NetworkInterfaces![0]!.OwnerId, "111122223333");
    other.destroy();
  });

  it("admin routes take any AWS region (opt-in ones too) and refuse a name that is not one", async () => {
    // af-south-1 is an opt-in region: the EC2 API refuses it until opted in, the operator's admin routes do not.
    const optIn = await fetch(`${h.vpc.url}/_localvpc/state?region=af-south-1`);
    assert.equal(optIn.status, 200);
    const bogus = await fetch(`${h.vpc.url}/_localvpc/state?region=xx-nowhere-1`);
    assert.equal(bogus.status, 400);
    assert.deepEqual(await bogus.json(), { error: "InvalidParameterValue", message: "Invalid region: xx-nowhere-1" });
    const r = await create({ subnetId, service: "rds", region: "xx-nowhere-1" });
    assert.deepEqual(r.json, { error: "InvalidParameterValue", message: "Invalid region: xx-nowhere-1" });
  });

  it("answers bad requests with AWS's error codes and changes nothing", async () => {
    const before = await h.state();
    const unknown = await create({ subnetId: "subnet-0123456789abcdef0", service: "rds" });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json, {
      error: "InvalidSubnetID.NotFound",
      message: "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    });
    const svc = await create({ subnetId, service: "dynamodb" });
    assert.equal(svc.status, 400);
    assert.match(svc.json.message!, /Use one of: rds, eks, lambda, elb, workspaces, appstream\./);
    assert.equal((await create({ service: "rds" })).json.error, "MissingParameter");
    const bad = await fetch(`${h.vpc.url}/_localvpc/managed-eni`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(await h.state(), before);
  });

  it("users may change only tags: Detach, Modify and Delete are refused", async () => {
    const r = await create({ subnetId, service: "rds" });
    const id = r.json.NetworkInterfaceId!;
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: r.json.AttachmentId!, Force: true })),
      "OperationNotPermitted",
      "You are not allowed to manage 'ela-attach' attachments.",
    );
    // Modify/Delete checks live in network-interfaces.ts (another group); asserted here as that group answers them.
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Description: { Value: "mine" } })),
      "OperationNotPermitted",
      `The network interface '${id}' is managed by an AWS service and cannot be modified or deleted by you.`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id })),
      "InvalidParameterValue",
      `Network interface '${id}' is currently in use.`,
    );
    await h.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "team", Value: "db" }] }));
    assert.deepEqual((await describeEni(id)).TagSet, [{ Key: "team", Value: "db" }]);
  });
});
