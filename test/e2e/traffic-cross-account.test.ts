/**
 * Traffic to an ENI attached across accounts (issue 5): account B owns an ENI in its default VPC and grants A
 * INSTANCE-ATTACH; A attaches it to A's instance. A probe from a host of B's VPC to that ENI is delivered to A's
 * instance, whichever account asks: B (the ENI's owner, who does not own the instance) or A (the instance's owner,
 * who does not own the VPC). Chaos on A's instance applies to it.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AttachNetworkInterfaceCommand,
  CreateFlowLogsCommand,
  CreateNetworkInterfaceCommand,
  CreateNetworkInterfacePermissionCommand,
  DescribeSubnetsCommand,
  DetachNetworkInterfaceCommand,
  RunInstancesCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { adminCall, trafficSend, useHarness } from "./harness.js";

const A = "111111111111";
const B = "222222222222";
const AMI = "ami-0a1b2c3d4e5f60001";

describe("traffic to an ENI attached across accounts", () => {
  const h = useHarness();
  let a: EC2Client;
  let b: EC2Client;
  let eni: string;
  let eniIp: string;
  let instanceA: string;
  let clientB: string;
  let attachmentId: string;

  const subnetOf = async (c: EC2Client): Promise<string> =>
    (
      await c.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: "default-for-az", Values: ["true"] },
            { Name: "availability-zone", Values: ["us-east-1a"] },
          ],
        }),
      )
    ).Subnets![0]!.SubnetId!;
  const launch = async (c: EC2Client) =>
    (
      await c.send(
        new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.medium", MinCount: 1, MaxCount: 1, SubnetId: await subnetOf(c) }),
      )
    ).Instances![0]!.InstanceId!;
  const admin = (account: string, path: string, body: unknown) => adminCall(h, "POST", path, body, account);
  const send = (account: string, from: string, to: string) => trafficSend(h, { from, to, proto: "tcp", port: 22 }, account);

  beforeEach(async () => {
    a = h.client(A);
    b = h.client(B);
    const created = (await b.send(new CreateNetworkInterfaceCommand({ SubnetId: await subnetOf(b), Description: "lent to A" })))
      .NetworkInterface!;
    eni = created.NetworkInterfaceId!;
    eniIp = created.PrivateIpAddress!;
    await b.send(new CreateNetworkInterfacePermissionCommand({ NetworkInterfaceId: eni, AwsAccountId: A, Permission: "INSTANCE-ATTACH" }));
    instanceA = await launch(a);
    attachmentId = (await a.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: instanceA, DeviceIndex: 1 })))
      .AttachmentId!;
    // A host in B's default VPC, in the ENI's default security group (whose inbound rule admits its own members).
    clientB = await launch(b);
  });

  it("asked by the ENI's owner: delivered to the other account's instance", async () => {
    const byIp = await send(B, clientB, eniIp);
    assert.equal(byIp.delivered, true, byIp.explanation);
    assert.equal(byIp.deliveredTo, instanceA);
    assert.ok(
      byIp.hops.some((x) => x.component === eni),
      JSON.stringify(byIp.hops),
    );
    const byId = await send(B, clientB, eni);
    assert.equal(byId.deliveredTo, instanceA, byId.explanation);
  });

  it("asked by the instance's owner: its instance receives what B's host sends to the ENI", async () => {
    const v = await send(A, clientB, eni);
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.deliveredTo, instanceA);
    // Chaos on A's instance drops it, whoever asks; recovering restores it.
    assert.equal((await admin(A, "chaos/fail-instance", { instanceId: instanceA })).status, 200);
    const failed = await send(A, clientB, eni);
    assert.equal(failed.delivered, false);
    assert.equal(failed.reason, "EMU_INSTANCE_IMPAIRED", failed.explanation);
    assert.equal((await admin(A, "chaos/recover", { instanceId: instanceA })).status, 200);
    assert.equal((await send(A, clientB, eni)).deliveredTo, instanceA);
  });

  it("the ENI's flow log belongs to its owner: B's log records A's traffic, with instance-id `-` (not B's instance)", async () => {
    await b.send(
      new CreateFlowLogsCommand({
        ResourceType: "NetworkInterface",
        ResourceIds: [eni],
        TrafficType: "ALL",
        LogGroupName: "lent",
        DeliverLogsPermissionArn: `arn:aws:iam::${B}:role/flow-logs`,
        MaxAggregationInterval: 60,
        LogFormat: "${account-id} ${interface-id} ${instance-id} ${flow-direction} ${action}",
      }),
    );
    assert.equal((await send(A, clientB, eni)).deliveredTo, instanceA);
    await admin(A, "clock/advance", { ms: 120_000 });
    const logs = (account: string) =>
      new CloudWatchLogsClient({
        endpoint: h.vpc.url,
        region: "us-east-1",
        credentials: { accessKeyId: account, secretAccessKey: "test" },
        maxAttempts: 1,
      });
    const lb = logs(B);
    const { events } = await lb.send(new FilterLogEventsCommand({ logGroupName: "lent" }));
    // A quiet minute's NODATA record (issue 21) keeps instance-id `-` too; the flows are the two records of the probe.
    const noData = `${B} ${eni} - - -`;
    const messages = (events ?? []).map((e) => e.message);
    assert.deepEqual(messages.filter((m) => m !== noData).sort(), [`${B} ${eni} - egress ACCEPT`, `${B} ${eni} - ingress ACCEPT`]);
    lb.destroy();
    // A has no such log group: the records are B's.
    const la = logs(A);
    await assert.rejects(la.send(new FilterLogEventsCommand({ logGroupName: "lent" })), { name: "ResourceNotFoundException" });
    la.destroy();
  });

  it("once A detaches it, the ENI reaches no instance", async () => {
    await a.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId }));
    const v = await send(B, clientB, eniIp);
    assert.equal(v.delivered, false);
    assert.equal(v.deliveredTo, null);
    // A no longer sees B's VPC at all: the ENI is not a known endpoint for A.
    const r = await admin(A, "traffic/send", { from: clientB, to: eni, proto: "tcp", port: 22 });
    assert.equal(r.status, 400, JSON.stringify(r.body));
  });
});
