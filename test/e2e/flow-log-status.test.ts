/**
 * NODATA and SKIPDATA flow-log records (issue 21) as AWS writes them, through the real SDKs: an interface a flow log
 * covers that stays quiet gets one NODATA record per quiet stretch (one for `clock advance 7d`, not 10,080), and
 * observations the `chaos/flow-logs-skip` knob drops become one SKIPDATA record for their window.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AttachInternetGatewayCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, useHarness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/flow-logs";

describe("NODATA and SKIPDATA flow-log records", () => {
  const h = useHarness();
  const logs = (): CloudWatchLogsClient =>
    new CloudWatchLogsClient({
      endpoint: h.vpc.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  const lines = async (group: string): Promise<string[]> => {
    const c = logs();
    try {
      return ((await c.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message!);
    } finally {
      c.destroy();
    }
  };
  const advance = async (ms: number): Promise<void> => {
    const r = await adminCall(h, "POST", "clock/advance", { ms });
    assert.equal(r.status, 200);
  };
  /** Moves the simulated clock to one second into the next minute, so a test's traffic shares one window. */
  const toMinuteStart = async (): Promise<number> => {
    const now = h.vpc.clock.now().getTime();
    await advance(60_000 - (now % 60_000) + 1000);
    return Math.floor(h.vpc.clock.now().getTime() / 60_000) * 60;
  };
  const setup = async (n: number, group: string) => {
    const { vpcId, subnetId } = await createNetwork(h, `10.${n}.0.0/16`, `10.${n}.1.0/24`);
    // Instances: an interface sends only from a running instance.
    const launch = async () =>
      (
        await h.ec2.send(
          new RunInstancesCommand({
            ImageId: "ami-0a1b2c3d4e5f60001",
            InstanceType: "t3.micro",
            MinCount: 1,
            MaxCount: 1,
            SubnetId: subnetId,
          }),
        )
      ).Instances![0]!.NetworkInterfaces![0]!;
    const a = await launch();
    const b = await launch();
    await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "Subnet",
        ResourceIds: [subnetId],
        TrafficType: "ALL",
        LogGroupName: group,
        DeliverLogsPermissionArn: ROLE,
        MaxAggregationInterval: 60,
      }),
    );
    return { vpcId, a: a.NetworkInterfaceId!, b: b.NetworkInterfaceId! };
  };
  const noData = (eni: string, start: number, end: number): string => `2 000000000000 ${eni} - - - - - - - ${start} ${end} - NODATA`;

  it("a quiet interface gets one NODATA record per quiet stretch, however far the clock jumps", async () => {
    const t = await toMinuteStart();
    const { a, b } = await setup(31, "quiet");
    // The first closed window: neither interface had traffic.
    await advance(60_000);
    assert.deepEqual((await lines("quiet")).sort(), [noData(a, t, t + 60), noData(b, t, t + 60)].sort());
    // A week in one jump: one more record per interface, spanning the week, not one per minute.
    await advance(7 * 24 * 3600_000);
    const end = Math.floor(h.vpc.clock.now().getTime() / 60_000) * 60;
    const all = await lines("quiet");
    assert.equal(all.length, 4, all.join("\n"));
    assert.ok(all.includes(noData(a, t + 60, end)), all.join("\n"));
    assert.ok(all.includes(noData(b, t + 60, end)), all.join("\n"));
  });

  it("traffic ends a quiet stretch: NODATA covers only the windows without it", async () => {
    const t = await toMinuteStart();
    const { a, b } = await setup(32, "busy");
    await adminCall(h, "POST", "traffic/send", { from: a, to: b, port: 443 });
    await advance(3 * 60_000);
    const all = await lines("busy");
    const ok = all.filter((l) => l.endsWith(" OK"));
    assert.ok(ok.length > 0, all.join("\n"));
    // Both had traffic in the first window, then two quiet minutes: one record each from t+60 to t+180.
    assert.deepEqual(all.filter((l) => l.endsWith("NODATA")).sort(), [noData(a, t + 60, t + 180), noData(b, t + 60, t + 180)].sort());
    assert.ok(!all.some((l) => l.includes(`${t} ${t + 60} - NODATA`)), "no NODATA for a window with traffic");
  });

  it("observations skipped by the chaos knob become one SKIPDATA record for their window", async () => {
    const t = await toMinuteStart();
    const { a, b } = await setup(33, "skips");
    const r = await adminCall<{ networkInterfaceId: string }>(h, "POST", "chaos/flow-logs-skip", { networkInterfaceId: a });
    assert.equal(r.status, 200);
    await adminCall(h, "POST", "traffic/send", { from: a, to: b, port: 443 });
    await advance(60_000);
    const all = await lines("skips");
    assert.ok(all.includes(`2 000000000000 ${a} - - - - - - - ${t} ${t + 60} - SKIPDATA`), all.join("\n"));
    assert.ok(!all.some((l) => l.includes(` ${a} `) && l.endsWith(" OK")), "the skipped interface's flows are not written");
    assert.ok(
      all.some((l) => l.includes(` ${b} `) && l.endsWith(" OK")),
      "the other interface's flows are",
    );
    const bad = await adminCall<{ error: string }>(h, "POST", "chaos/flow-logs-skip", { networkInterfaceId: "eni-0123456789abcdef0" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, "InvalidNetworkInterfaceID.NotFound");
  });

  it("pkt-src-aws-service and pkt-dst-aws-service name the AWS range of the packet's address", async () => {
    const { vpcId, subnetId } = await createNetwork(h, "10.34.0.0/16", "10.34.1.0/24");
    const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const rtb = (await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).RouteTables![0]!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb.RouteTableId!, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    const inst = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, AssociatePublicIpAddress: true }],
        }),
      )
    ).Instances![0]!;
    await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "VPC",
        ResourceIds: [vpcId],
        TrafficType: "ALL",
        LogGroupName: "services",
        DeliverLogsPermissionArn: ROLE,
        MaxAggregationInterval: 60,
        LogFormat: "${flow-direction} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${log-status}",
      }),
    );
    // An S3 address of us-east-1 (the AWS-managed prefix list's range) and a host outside AWS.
    for (const to of ["52.216.10.1", "198.51.100.7"]) {
      const v = await adminCall<{ delivered: boolean; explanation: string }>(h, "POST", "traffic/send", {
        from: inst.InstanceId,
        to,
        port: 443,
      });
      assert.equal(v.body.delivered, true, v.body.explanation);
    }
    await advance(120_000);
    const all = (await lines("services")).filter((l) => l.endsWith(" OK"));
    const ip = inst.PrivateIpAddress!;
    assert.ok(all.includes(`egress ${ip} 52.216.10.1 - S3 OK`), all.join("\n"));
    assert.ok(all.includes(`ingress 52.216.10.1 ${ip} S3 - OK`), all.join("\n"));
    assert.ok(all.includes(`egress ${ip} 198.51.100.7 - - OK`), all.join("\n"));
  });
});
