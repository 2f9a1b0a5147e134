/** Table tests for flow log rules: configuration checks, duplicates, traffic types, windows, merging, S3 keys. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { DEFAULT_LOG_FORMAT, type FlowAggregate } from "./flow-log-format.js";
import {
  flowKey,
  flowLogConfig,
  isDuplicateFlowLog,
  keepsAction,
  logStreamName,
  mergeAggregates,
  monitors,
  parseS3Destination,
  s3ObjectKey,
  windowStartMs,
  type FlowLogRequest,
} from "./flow-logs.js";
import type { FlowLogRecord } from "./types.js";

const scope = { account: "123456789012", region: "us-east-1" };
const cwl: FlowLogRequest = {
  resourceType: "NetworkInterface",
  trafficType: "ALL",
  logGroupName: "flows",
  deliverLogsPermissionArn: "arn:aws:iam::123456789012:role/flow-logs",
  resourceCount: 1,
};
const s3: FlowLogRequest = {
  resourceType: "VPC",
  trafficType: "REJECT",
  logDestinationType: "s3",
  logDestination: "arn:aws:s3:::my-bucket/prefix/",
  resourceCount: 1,
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return e.code;
  }
};

describe("flowLogConfig", () => {
  const cases: [name: string, req: FlowLogRequest, code: string | undefined][] = [
    ["cloud-watch-logs with a group name", cwl, undefined],
    [
      "cloud-watch-logs with a log group ARN",
      { ...cwl, logGroupName: undefined, logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:flows" },
      undefined,
    ],
    [
      "log group ARN with :* suffix",
      { ...cwl, logGroupName: undefined, logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:flows:*" },
      undefined,
    ],
    ["s3 bucket with folder", s3, undefined],
    ["s3 bucket without folder", { ...s3, logDestination: "arn:aws:s3:::my-bucket" }, undefined],
    ["interval 60", { ...cwl, maxAggregationInterval: 60 }, undefined],
    ["interval 120", { ...cwl, maxAggregationInterval: 120 }, "InvalidParameter"],
    ["no traffic type", { ...cwl, trafficType: undefined }, "MissingParameter"],
    ["transit gateway", { ...cwl, resourceType: "TransitGateway" }, "UnsupportedOperation"],
    ["firehose", { ...cwl, logDestinationType: "kinesis-data-firehose", logGroupName: undefined }, "UnsupportedOperation"],
    ["301 resources", { ...cwl, resourceCount: 301 }, "InvalidParameter"],
    ["both group name and destination", { ...cwl, logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:x" }, "InvalidParameter"],
    ["neither group name nor destination", { ...cwl, logGroupName: undefined }, "InvalidParameter"],
    ["not a log group ARN", { ...cwl, logGroupName: undefined, logDestination: "arn:aws:s3:::bucket" }, "InvalidParameter"],
    [
      "another account's log group",
      { ...cwl, logGroupName: undefined, logDestination: "arn:aws:logs:us-east-1:999999999999:log-group:x" },
      "InvalidParameter",
    ],
    ["no role for cloud-watch-logs", { ...cwl, deliverLogsPermissionArn: undefined }, "InvalidParameter"],
    ["destination options with cloud-watch-logs", { ...cwl, destinationOptions: { PerHourPartition: true } }, "InvalidParameter"],
    ["bad format", { ...cwl, logFormat: "${what}" }, "InvalidParameter"],
    ["s3 without destination", { ...s3, logDestination: undefined }, "InvalidParameter"],
    ["s3 with a log group name", { ...s3, logGroupName: "g" }, "InvalidParameter"],
    ["s3 with a role", { ...s3, deliverLogsPermissionArn: "arn:aws:iam::123456789012:role/r" }, "InvalidParameter"],
    ["s3 with an AWSLogs folder", { ...s3, logDestination: "arn:aws:s3:::my-bucket/AWSLogs/" }, "InvalidParameter"],
    ["s3 not an S3 ARN", { ...s3, logDestination: "my-bucket" }, "InvalidParameter"],
    ["s3 parquet", { ...s3, destinationOptions: { FileFormat: "parquet" } }, "UnsupportedOperation"],
  ];
  for (const [name, req, code] of cases)
    it(`${name} → ${code ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => flowLogConfig(req, scope)),
        code,
      ));

  it("normalises a cloud-watch-logs destination: group name and ARN, default format and interval", () => {
    const c = flowLogConfig(cwl, scope);
    assert.equal(c.logDestination, "arn:aws:logs:us-east-1:123456789012:log-group:flows");
    assert.equal(c.logGroupName, "flows");
    assert.equal(c.logFormat, DEFAULT_LOG_FORMAT);
    assert.equal(c.maxAggregationInterval, 600);
    const byArn = flowLogConfig(
      { ...cwl, logGroupName: undefined, logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:flows:*" },
      scope,
    );
    assert.equal(byArn.logGroupName, "flows");
  });
  it("s3 destination options default to plain-text, no Hive, no hourly partition", () => {
    assert.deepEqual(flowLogConfig(s3, scope).destinationOptions, {
      fileFormat: "plain-text",
      hiveCompatiblePartitions: false,
      perHourPartition: false,
    });
  });
});

describe("parseS3Destination", () => {
  const cases: [arn: string, bucket: string, folder: string][] = [
    ["arn:aws:s3:::my-bucket", "my-bucket", ""],
    ["arn:aws:s3:::my-bucket/", "my-bucket", ""],
    ["arn:aws:s3:::my-bucket/a/b/", "my-bucket", "a/b"],
  ];
  for (const [arn, bucket, folder] of cases) it(arn, () => assert.deepEqual(parseS3Destination(arn), { bucket, folder }));
});

const record = (over: Partial<FlowLogRecord>): FlowLogRecord => ({
  kind: "flow-log",
  id: "fl-00000000000000001",
  tags: [],
  resourceId: "eni-00000000000000001",
  resourceType: "NetworkInterface",
  trafficType: "ALL",
  logDestinationType: "cloud-watch-logs",
  logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:flows",
  logGroupName: "flows",
  logFormat: DEFAULT_LOG_FORMAT,
  maxAggregationInterval: 600,
  creationTime: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("isDuplicateFlowLog", () => {
  const config = flowLogConfig(cwl, scope);
  const cases: [name: string, existing: FlowLogRecord, resourceId: string, dup: boolean][] = [
    ["same resource, traffic type and group", record({}), "eni-00000000000000001", true],
    ["other resource", record({}), "eni-00000000000000002", false],
    ["other traffic type", record({ trafficType: "REJECT" }), "eni-00000000000000001", false],
    ["other group", record({ logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:other" }), "eni-00000000000000001", false],
    ["other format, same destination: still the same destination", record({ logFormat: "${srcaddr}" }), "eni-00000000000000001", true],
  ];
  for (const [name, existing, id, dup] of cases) it(name, () => assert.equal(isDuplicateFlowLog(existing, id, config), dup));
});

describe("keepsAction and monitors", () => {
  const cases: [traffic: FlowLogRecord["trafficType"], action: "ACCEPT" | "REJECT", kept: boolean][] = [
    ["ALL", "ACCEPT", true],
    ["ALL", "REJECT", true],
    ["ACCEPT", "ACCEPT", true],
    ["ACCEPT", "REJECT", false],
    ["REJECT", "REJECT", true],
    ["REJECT", "ACCEPT", false],
  ];
  for (const [t, a, kept] of cases) it(`${t} keeps ${a}: ${kept}`, () => assert.equal(keepsAction(t, a), kept));
  const eni = { eniId: "eni-1", subnetId: "subnet-1", vpcId: "vpc-1" };
  for (const [resourceId, expected] of [
    ["eni-1", true],
    ["subnet-1", true],
    ["vpc-1", true],
    ["eni-2", false],
    ["subnet-2", false],
  ] as const) {
    it(`a flow log of ${resourceId} monitors the ENI: ${expected}`, () => assert.equal(monitors(record({ resourceId }), eni), expected));
  }
});

describe("windowStartMs", () => {
  const cases: [atMs: number, interval: number, start: number][] = [
    [0, 60, 0],
    [59_999, 60, 0],
    [60_000, 60, 60_000],
    [1_700_000_123_456, 60, 1_700_000_100_000],
    [1_700_000_123_456, 600, 1_699_999_800_000],
  ];
  for (const [at, interval, start] of cases)
    it(`${at} in ${interval}s windows → ${start}`, () => assert.equal(windowStartMs(at, interval), start));
});

describe("mergeAggregates and flowKey", () => {
  const a: FlowAggregate = {
    account: "123456789012",
    region: "us-east-1",
    eniId: "eni-1",
    vpcId: "vpc-1",
    subnetId: "subnet-1",
    instanceId: "i-1",
    direction: "ingress",
    srcAddr: "203.0.113.9",
    dstAddr: "10.0.0.5",
    pktSrcAddr: "203.0.113.9",
    pktDstAddr: "10.0.0.5",
    srcPort: 40000,
    dstPort: 443,
    protocol: 6,
    packets: 3,
    bytes: 180,
    startSec: 100,
    endSec: 110,
    action: "ACCEPT",
    tcpFlags: 2,
  };
  it("adds counters, widens start/end and ORs TCP flags (SYN + FIN = 3)", () => {
    const m = mergeAggregates(a, { ...a, packets: 2, bytes: 120, startSec: 90, endSec: 150, tcpFlags: 1 });
    assert.deepEqual([m.packets, m.bytes, m.startSec, m.endSec, m.tcpFlags], [5, 300, 90, 150, 3]);
  });
  it("SYN-ACK + FIN = 19", () => assert.equal(mergeAggregates({ ...a, tcpFlags: 18 }, { ...a, tcpFlags: 1 }).tcpFlags, 19));
  it("the key separates direction, action and tuple", () => {
    const keys = new Set(
      [a, { ...a, direction: "egress" as const }, { ...a, action: "REJECT" as const }, { ...a, dstPort: 80 }, { ...a, packets: 99 }].map(
        flowKey,
      ),
    );
    assert.equal(keys.size, 4);
  });
});

describe("logStreamName", () => {
  for (const [t, name] of [
    ["ALL", "eni-0123456789abcdef0-all"],
    ["ACCEPT", "eni-0123456789abcdef0-accept"],
    ["REJECT", "eni-0123456789abcdef0-reject"],
  ] as const) {
    it(t, () => assert.equal(logStreamName("eni-0123456789abcdef0", t), name));
  }
});

describe("s3ObjectKey", () => {
  const base = {
    folder: "",
    account: "123456789012",
    region: "us-east-1",
    flowLogId: "fl-0123456789abcdef0",
    deliveredAt: new Date("2026-12-01T20:17:42Z"),
    hash: "a1b2c3d4",
    hive: false,
    perHour: false,
  };
  const cases: [name: string, over: Partial<typeof base>, key: string][] = [
    [
      "AWS's default layout, minutes rounded down to 5",
      {},
      "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/12/01/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261201T2015Z_a1b2c3d4.log.gz",
    ],
    [
      "with a folder and hourly partition",
      { folder: "flows/prod", perHour: true },
      "flows/prod/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/12/01/20/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261201T2015Z_a1b2c3d4.log.gz",
    ],
    [
      "Hive-compatible prefixes",
      { hive: true, perHour: true },
      "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=12/day=01/hour=20/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261201T2015Z_a1b2c3d4.log.gz",
    ],
  ];
  for (const [name, over, key] of cases) it(name, () => assert.equal(s3ObjectKey({ ...base, ...over }), key));
});
