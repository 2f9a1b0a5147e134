/**
 * Flow-log recording and delivery end to end: observations fed to the recorder (the library hook the data-plane
 * evaluator uses as its FlowSink) become records in CloudWatch Logs (read back with the real
 * @aws-sdk/client-cloudwatch-logs) or gzipped files in AWS's S3 key layout, once their capture window has closed on
 * the simulated clock. Also the CloudWatch Logs API itself: groups, streams, PutLogEvents, GetLogEvents,
 * FilterLogEvents, its errors, and the JSON protocol's unknown-operation answer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateFlowLogsCommand,
  CreateNetworkInterfaceCommand,
  DeleteFlowLogsCommand,
  RunInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { observationFromText, type TextObservation } from "../../src/domain/flow-observation.js";
import { createNetwork, useHarness, type Harness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/flow-logs";

const logsClient = (h: Harness, accessKeyId = "test"): CloudWatchLogsClient =>
  new CloudWatchLogsClient({
    endpoint: h.vpc.url,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey: "test" },
    maxAttempts: 1,
  });

const expectLogsError = async (p: Promise<unknown>, code: string, message: string | RegExp): Promise<void> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof CloudWatchLogsServiceException, `expected a CloudWatch Logs error, got ${String(e)}`);
    assert.equal(e.name, code, `code (message: ${e.message})`);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return;
  }
  assert.fail(`expected ${code}`);
};

const filesUnder = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
};

describe("flow log delivery", () => {
  // These tests count exact flow records; NODATA records (issue 21) are tested in flow-log-status.test.ts.
  const h = useHarness({ flowLogNoData: false });

  /** An ENI with a primary private IP in a fresh VPC. */
  const eni = async (n: number): Promise<{ vpcId: string; subnetId: string; eniId: string; ip: string }> => {
    const { vpcId, subnetId } = await createNetwork(h, `10.${n}.0.0/16`, `10.${n}.1.0/24`);
    const { NetworkInterface } = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
    return { vpcId, subnetId, eniId: NetworkInterface!.NetworkInterfaceId!, ip: NetworkInterface!.PrivateIpAddress! };
  };
  /** A request from an internet client and its response, as the ENI sees them (the IGW has already NATed the EIP). */
  const conversation = (
    e: { vpcId: string; subnetId: string; eniId: string; ip: string },
    atMs: number,
    action: "ACCEPT" | "REJECT" = "ACCEPT",
  ): TextObservation[] => {
    const base = {
      account: "000000000000",
      region: "us-east-1",
      eniId: e.eniId,
      vpcId: e.vpcId,
      subnetId: e.subnetId,
      protocol: 6,
      atMs,
      action,
    };
    return [
      {
        ...base,
        direction: "ingress",
        srcAddr: "203.0.113.9",
        dstAddr: e.ip,
        pktSrcAddr: "203.0.113.9",
        pktDstAddr: e.ip,
        srcPort: 40000,
        dstPort: 443,
        packets: 3,
        bytes: 180,
        tcpFlags: 2,
      },
      {
        ...base,
        direction: "egress",
        srcAddr: e.ip,
        dstAddr: "203.0.113.9",
        pktSrcAddr: e.ip,
        pktDstAddr: "203.0.113.9",
        srcPort: 443,
        dstPort: 40000,
        packets: 2,
        bytes: 1500,
        tcpFlags: 18,
        trafficPath: 8,
      },
    ];
  };
  const now = (): number => h.vpc.clock.now().getTime();
  const advanceMinutes = async (m: number): Promise<void> => {
    await fetch(`${h.vpc.url}/_localvpc/clock/advance`, {
      method: "POST",
      body: JSON.stringify({ ms: m * 60_000 }),
      headers: { "content-type": "application/json" },
    });
  };

  it("aggregates per ENI, tuple and direction, and delivers v2 records to <eni>-all once the window closes", async () => {
    const e = await eni(1);
    // Start one second into a minute, so the two observations share a capture window.
    await advanceMinutes((60_000 - (now() % 60_000) + 1000) / 60_000);
    const { FlowLogIds } = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "NetworkInterface",
        ResourceIds: [e.eniId],
        TrafficType: "ALL",
        LogGroupName: "flows",
        DeliverLogsPermissionArn: ROLE,
        MaxAggregationInterval: 60,
      }),
    );
    assert.equal(FlowLogIds?.length, 1);
    const t = now();
    for (const o of [...conversation(e, t), ...conversation(e, t + 1)]) h.vpc.flowLogs.record(observationFromText(o));
    const logs = logsClient(h);
    // The window is still open: nothing delivered, the group does not exist yet.
    await expectLogsError(
      logs.send(new FilterLogEventsCommand({ logGroupName: "flows" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    await advanceMinutes(2);
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: "flows" }));
    const lines = (events ?? []).map((ev) => ev.message!).sort();
    const w = Math.floor(t / 1000);
    const sec = (ms: number): number => Math.floor(ms / 1000);
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.ok(
      lines.includes(`2 000000000000 ${e.eniId} ${e.ip} 203.0.113.9 443 40000 6 4 3000 ${w} ${sec(t + 1)} ACCEPT OK`),
      lines.join("\n"),
    );
    assert.ok(
      lines.includes(`2 000000000000 ${e.eniId} 203.0.113.9 ${e.ip} 40000 443 6 6 360 ${w} ${sec(t + 1)} ACCEPT OK`),
      lines.join("\n"),
    );
    assert.ok((events ?? []).every((ev) => ev.logStreamName === `${e.eniId}-all`));
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "flows" }));
    assert.deepEqual(
      logStreams?.map((s) => s.logStreamName),
      [`${e.eniId}-all`],
    );
    // Filter patterns: terms and quoted phrases.
    const only = await logs.send(new FilterLogEventsCommand({ logGroupName: "flows", filterPattern: '"443 40000"' }));
    assert.equal(only.events?.length, 1);
    assert.match(only.events[0]!.message!, new RegExp(`^2 000000000000 ${e.eniId} ${e.ip.replace(/\./g, "\\.")} `));
    assert.equal(h.vpc.flowLogs.pendingFlows, 0);
    logs.destroy();
  });

  it("a 10-minute flow log still delivers per minute for ENIs of Nitro instances (AWS's Nitro rule), not for Xen ones", async () => {
    const { vpcId, subnetId } = await createNetwork(h, "10.9.0.0/16", "10.9.1.0/24");
    const run = async (InstanceType: _InstanceType) => {
      const { Instances } = await h.ec2.send(
        new RunInstancesCommand({ ImageId: "ami-0a1b2c3d4e5f60001", InstanceType, MinCount: 1, MaxCount: 1, SubnetId: subnetId }),
      );
      const ni = Instances![0]!.NetworkInterfaces![0]!;
      return { vpcId, subnetId, eniId: ni.NetworkInterfaceId!, ip: ni.PrivateIpAddress!, instanceId: Instances![0]!.InstanceId! };
    };
    const nitro = await run("t3.micro");
    const xen = await run("t2.micro");
    await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "VPC",
        ResourceIds: [vpcId],
        TrafficType: "ALL",
        LogGroupName: "nitro",
        DeliverLogsPermissionArn: ROLE,
        LogFormat: "${interface-id} ${instance-id} ${flow-direction} ${packets}",
      }),
    );
    // Start just after a 10-minute boundary so both windows are fresh.
    await advanceMinutes((600_000 - (now() % 600_000) + 1000) / 60_000);
    for (const e of [nitro, xen])
      for (const o of conversation(e, now())) h.vpc.flowLogs.record(observationFromText({ ...o, instanceId: e.instanceId }));
    const logs = logsClient(h);
    const lines = async (): Promise<string[]> =>
      ((await logs.send(new FilterLogEventsCommand({ logGroupName: "nitro" }))).events ?? []).map((ev) => ev.message!).sort();
    await advanceMinutes(2);
    assert.deepEqual(await lines(), [`${nitro.eniId} ${nitro.instanceId} egress 2`, `${nitro.eniId} ${nitro.instanceId} ingress 3`]);
    await advanceMinutes(9);
    assert.deepEqual(
      await lines(),
      [
        `${nitro.eniId} ${nitro.instanceId} egress 2`,
        `${nitro.eniId} ${nitro.instanceId} ingress 3`,
        `${xen.eniId} ${xen.instanceId} egress 2`,
        `${xen.eniId} ${xen.instanceId} ingress 3`,
      ].sort(),
    );
    logs.destroy();
  });

  it("VPC-level REJECT flow log with a custom v5 format; 10-minute windows merge minutes; deleted flow logs get nothing", async () => {
    const e = await eni(2);
    const format =
      "${version} ${interface-id} ${srcaddr} ${pkt-dstaddr} ${packets} ${tcp-flags} ${flow-direction} ${traffic-path} ${action}";
    const { FlowLogIds } = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "VPC",
        ResourceIds: [e.vpcId],
        TrafficType: "REJECT",
        LogGroupName: "rejects",
        DeliverLogsPermissionArn: ROLE,
        LogFormat: format,
      }),
    );
    const deleted = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "Subnet",
        ResourceIds: [e.subnetId],
        TrafficType: "ALL",
        LogGroupName: "gone",
        DeliverLogsPermissionArn: ROLE,
      }),
    );
    await h.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: deleted.FlowLogIds }));
    // Two observations a few minutes apart in one 10-minute window, one ACCEPT that a REJECT log ignores.
    const start = Math.floor(now() / 600_000) * 600_000 + 600_000;
    await advanceMinutes((start - now()) / 60_000 + 0.1);
    for (const o of conversation(e, now(), "REJECT")) h.vpc.flowLogs.record(observationFromText(o));
    for (const o of conversation(e, now() + 180_000, "REJECT")) h.vpc.flowLogs.record(observationFromText(o));
    for (const o of conversation(e, now(), "ACCEPT")) h.vpc.flowLogs.record(observationFromText(o));
    await advanceMinutes(5);
    const logs = logsClient(h);
    await expectLogsError(
      logs.send(new FilterLogEventsCommand({ logGroupName: "rejects" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    await advanceMinutes(6);
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: "rejects" }));
    const lines = (events ?? []).map((ev) => ev.message).sort();
    assert.deepEqual(
      lines,
      [`5 ${e.eniId} 203.0.113.9 ${e.ip} 6 2 ingress - REJECT`, `5 ${e.eniId} ${e.ip} 203.0.113.9 4 18 egress 8 REJECT`].sort(),
    );
    assert.equal(events?.[0]?.logStreamName, `${e.eniId}-reject`);
    await expectLogsError(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: "gone" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    assert.ok(FlowLogIds?.[0]);
    logs.destroy();
  });

  it("traffic before the flow log existed is not recorded", async () => {
    const e = await eni(3);
    for (const o of conversation(e, now() - 120_000)) h.vpc.flowLogs.record(observationFromText(o));
    await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "NetworkInterface",
        ResourceIds: [e.eniId],
        TrafficType: "ALL",
        LogGroupName: "late",
        DeliverLogsPermissionArn: ROLE,
        MaxAggregationInterval: 60,
      }),
    );
    h.vpc.flowLogs.deliver();
    const logs = logsClient(h);
    await expectLogsError(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: "late" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    logs.destroy();
  });

  it("s3 destinations are gzipped files with a header line in AWS's key layout", async () => {
    const e = await eni(4);
    const { FlowLogIds } = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "Subnet",
        ResourceIds: [e.subnetId],
        TrafficType: "ALL",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::flow-bucket/team/",
        MaxAggregationInterval: 60,
      }),
    );
    const flowLogId = FlowLogIds![0]!;
    for (const o of conversation(e, now())) h.vpc.flowLogs.record(observationFromText(o));
    await advanceMinutes(2);
    const files = filesUnder(join(h.vpc.s3Dir, "flow-bucket")).filter((f) => f.includes(flowLogId));
    assert.equal(files.length, 1, files.join("\n"));
    const key = relative(join(h.vpc.s3Dir, "flow-bucket"), files[0]!);
    assert.match(
      key,
      new RegExp(
        `^team/AWSLogs/000000000000/vpcflowlogs/us-east-1/\\d{4}/\\d{2}/\\d{2}/000000000000_vpcflowlogs_us-east-1_${flowLogId}_\\d{8}T\\d{2}[0-5][05]Z_[0-9a-f]{8}\\.log\\.gz$`,
      ),
    );
    const text = gunzipSync(readFileSync(files[0]!)).toString("utf8").trim().split("\n");
    assert.equal(
      text[0],
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
    );
    assert.equal(text.length, 3);
    assert.ok(text.slice(1).every((l) => l.startsWith(`2 000000000000 ${e.eniId} `) && l.endsWith(" ACCEPT OK")));
  });

  it("CloudWatch Logs API: groups, streams, PutLogEvents, GetLogEvents (both directions), FilterLogEvents", async () => {
    const logs = logsClient(h);
    await logs.send(new CreateLogGroupCommand({ logGroupName: "app/one" }));
    await expectLogsError(
      logs.send(new CreateLogGroupCommand({ logGroupName: "app/one" })),
      "ResourceAlreadyExistsException",
      "The specified log group already exists",
    );
    await logs.send(new CreateLogStreamCommand({ logGroupName: "app/one", logStreamName: "s1" }));
    await expectLogsError(
      logs.send(new CreateLogStreamCommand({ logGroupName: "app/one", logStreamName: "s1" })),
      "ResourceAlreadyExistsException",
      "The specified log stream already exists",
    );
    await expectLogsError(
      logs.send(new CreateLogStreamCommand({ logGroupName: "nope", logStreamName: "s1" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    const t = now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: "app/one",
        logStreamName: "s1",
        logEvents: [
          { timestamp: t, message: "ERROR disk full" },
          { timestamp: t + 1, message: "INFO all good" },
          { timestamp: t + 2, message: "ERROR network down" },
        ],
      }),
    );
    await expectLogsError(
      logs.send(new PutLogEventsCommand({ logGroupName: "app/one", logStreamName: "nope", logEvents: [{ timestamp: t, message: "x" }] })),
      "ResourceNotFoundException",
      "The specified log stream does not exist.",
    );
    await expectLogsError(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: "app/one",
          logStreamName: "s1",
          logEvents: [
            { timestamp: t + 5, message: "b" },
            { timestamp: t, message: "a" },
          ],
        }),
      ),
      "InvalidParameterException",
      "Log events in a single PutLogEvents request must be in chronological order.",
    );
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: "app/one", logStreamName: "s1", startFromHead: true, limit: 2 }));
    assert.deepEqual(
      head.events?.map((e) => e.message),
      ["ERROR disk full", "INFO all good"],
    );
    const rest = await logs.send(
      new GetLogEventsCommand({ logGroupName: "app/one", logStreamName: "s1", nextToken: head.nextForwardToken }),
    );
    assert.deepEqual(
      rest.events?.map((e) => e.message),
      ["ERROR network down"],
    );
    const end = await logs.send(
      new GetLogEventsCommand({ logGroupName: "app/one", logStreamName: "s1", nextToken: rest.nextForwardToken }),
    );
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, rest.nextForwardToken);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: "app/one", logStreamName: "s1", limit: 1 }));
    assert.deepEqual(
      tail.events?.map((e) => e.message),
      ["ERROR network down"],
    );
    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: "app/one", filterPattern: "ERROR -network" }));
    assert.deepEqual(
      errors.events?.map((e) => e.message),
      ["ERROR disk full"],
    );
    const paged = await logs.send(new FilterLogEventsCommand({ logGroupName: "app/one", limit: 2 }));
    assert.equal(paged.events?.length, 2);
    assert.ok(paged.nextToken);
    const page2 = await logs.send(new FilterLogEventsCommand({ logGroupName: "app/one", limit: 2, nextToken: paged.nextToken }));
    assert.deepEqual(
      page2.events?.map((e) => e.message),
      ["ERROR network down"],
    );
    await expectLogsError(
      logs.send(new FilterLogEventsCommand({ logGroupName: "app/one", filterPattern: "{ $.level = ERROR }" })),
      "InvalidParameterException",
      /localvpc does not support yet/,
    );
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "app/" }));
    assert.deepEqual(
      logGroups?.map((g) => [g.logGroupName, g.arn]),
      [["app/one", "arn:aws:logs:us-east-1:000000000000:log-group:app/one:*"]],
    );
    // Another account sees its own groups only.
    const other = logsClient(h, "111122223333");
    assert.deepEqual((await other.send(new DescribeLogGroupsCommand({}))).logGroups, []);
    other.destroy();
    await logs.send(new DeleteLogGroupCommand({ logGroupName: "app/one" }));
    await expectLogsError(
      logs.send(new DeleteLogGroupCommand({ logGroupName: "app/one" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    logs.destroy();
  });

  it("validation errors in AWS's form, unsupported members and unknown operations answer clear JSON errors", async () => {
    const logs = logsClient(h);
    await expectLogsError(
      logs.send(new CreateLogGroupCommand({ logGroupName: "bad name!" })),
      "InvalidParameterException",
      "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    await expectLogsError(
      logs.send(new CreateLogGroupCommand({ logGroupName: "g", kmsKeyId: "arn:aws:kms:us-east-1:000000000000:key/x" })),
      "InvalidParameterException",
      "The parameter kmsKeyId is not supported by localvpc for CreateLogGroup yet.",
    );
    logs.destroy();
    const raw = async (
      target: string,
      body: string,
    ): Promise<{ status: number; json: { __type?: string; message?: string }; type: string | null }> => {
      const res = await fetch(h.vpc.url, {
        method: "POST",
        headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" },
        body,
      });
      return {
        status: res.status,
        json: (await res.json()) as { __type?: string; message?: string },
        type: res.headers.get("content-type"),
      };
    };
    const unknown = await raw("Logs_20140328.MakeCoffee", "{}");
    assert.deepEqual(
      [unknown.status, unknown.json.__type, unknown.json.message],
      [400, "UnknownOperationException", "Unknown operation MakeCoffee"],
    );
    assert.equal(unknown.type, "application/x-amz-json-1.1");
    const notBuilt = await raw("Logs_20140328.PutRetentionPolicy", '{"logGroupName":"g","retentionInDays":1}');
    assert.equal(notBuilt.json.__type, "UnsupportedOperation");
    assert.match(notBuilt.json.message!, /PutRetentionPolicy is valid but localvpc does not implement it yet/);
    const badJson = await raw("Logs_20140328.DescribeLogGroups", "{not json");
    assert.deepEqual([badJson.status, badJson.json.__type], [400, "SerializationException"]);
    const otherService = await raw("DynamoDB_20120810.ListTables", "{}");
    assert.deepEqual([otherService.status, otherService.json.__type], [400, "UnknownOperationException"]);
  });
});
