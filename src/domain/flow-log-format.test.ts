/** Table tests for flow log record formatting: the default v2 line, custom v3–v5 formats, versions and `-`. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { DEFAULT_LOG_FORMAT, formatHeader, formatRecord, parseLogFormat, type FlowAggregate } from "./flow-log-format.js";

// The VPC-UG example "accepted SSH" (dataplane.md §1.5), as an aggregate.
const ssh: FlowAggregate = {
  account: "123456789010",
  region: "us-east-1",
  eniId: "eni-1235b8ca123456789",
  vpcId: "vpc-abcdefab012345678",
  subnetId: "subnet-aaaaaaaa012345678",
  instanceId: "i-01234567890123456",
  availabilityZoneId: "use1-az1",
  direction: "ingress",
  srcAddr: "172.31.16.139",
  dstAddr: "172.31.16.21",
  pktSrcAddr: "172.31.16.139",
  pktDstAddr: "172.31.16.21",
  srcPort: 20641,
  dstPort: 22,
  protocol: 6,
  packets: 20,
  bytes: 4249,
  startSec: 1418530010,
  endSec: 1418530070,
  action: "ACCEPT",
  tcpFlags: 2,
};

// The VPC-UG v3 tcp-flags example (public client → private 10.0.0.62).
const v3Ingress: FlowAggregate = {
  ...ssh,
  account: "123456789010",
  srcAddr: "52.213.180.42",
  dstAddr: "10.0.0.62",
  pktSrcAddr: "52.213.180.42",
  pktDstAddr: "10.0.0.62",
  srcPort: 43416,
  dstPort: 5001,
  bytes: 568,
  packets: 8,
  startSec: 1566848875,
  endSec: 1566848933,
  tcpFlags: 2,
};
const V3_FORMAT =
  "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}";

// The VPC-UG v5 example (S3 ingress / egress via IGW).
const v5Egress: FlowAggregate = {
  account: "123456789012",
  region: "ap-southeast-2",
  eniId: "eni-1235b8ca123456789",
  vpcId: "vpc-abcdefab012345678",
  subnetId: "subnet-aaaaaaaa012345678",
  instanceId: "i-0c50d5961bcb2d47b",
  availabilityZoneId: "apse2-az3",
  direction: "egress",
  srcAddr: "10.0.0.71",
  dstAddr: "52.95.128.179",
  pktSrcAddr: "10.0.0.71",
  pktDstAddr: "52.95.128.179",
  srcPort: 34210,
  dstPort: 80,
  protocol: 6,
  packets: 7,
  bytes: 471,
  startSec: 1616729292,
  endSec: 1616729349,
  action: "ACCEPT",
  tcpFlags: 3,
  trafficPath: 8,
  pktDstAwsService: "S3",
};
const V5_FORMAT =
  "${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${type} ${packets} ${bytes} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${traffic-path} ${flow-direction} ${log-status}";
const v5Ingress: FlowAggregate = {
  ...v5Egress,
  direction: "ingress",
  srcAddr: "52.95.128.179",
  dstAddr: "10.0.0.71",
  pktSrcAddr: "52.95.128.179",
  pktDstAddr: "10.0.0.71",
  srcPort: 80,
  dstPort: 34210,
  packets: 14,
  bytes: 15044,
  tcpFlags: 19,
  pktSrcAwsService: "S3",
  pktDstAwsService: undefined,
  trafficPath: 2,
};

describe("formatRecord", () => {
  const cases: [name: string, format: string, agg: FlowAggregate, line: string][] = [
    [
      "default v2 (VPC-UG accepted SSH)",
      DEFAULT_LOG_FORMAT,
      ssh,
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
    ],
    [
      "default v2 REJECT ICMP (ports 0 0)",
      DEFAULT_LOG_FORMAT,
      {
        ...ssh,
        srcAddr: "172.31.16.139",
        dstAddr: "203.0.113.12",
        srcPort: 0,
        dstPort: 0,
        protocol: 1,
        packets: 4,
        bytes: 336,
        startSec: 1432917094,
        endSec: 1432917142,
        action: "REJECT",
        direction: "egress",
      },
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK",
    ],
    [
      "custom v3 with tcp-flags (VPC-UG)",
      V3_FORMAT,
      v3Ingress,
      "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK",
    ],
    [
      "custom v5 egress via IGW (VPC-UG)",
      V5_FORMAT,
      v5Egress,
      "5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK",
    ],
    [
      "custom v5 ingress: traffic-path is - even when set",
      V5_FORMAT,
      v5Ingress,
      "5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK",
    ],
    [
      "NAT gateway ENI (requester-managed): instance-id -, pkt-* are the original endpoints",
      "${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}",
      { ...ssh, instanceId: undefined, srcAddr: "10.0.1.5", dstAddr: "10.0.0.220", pktSrcAddr: "10.0.1.5", pktDstAddr: "203.0.113.5" },
      "- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5",
    ],
    [
      "unknown az and egress without traffic path",
      "${az-id} ${traffic-path} ${flow-direction}",
      { ...ssh, availabilityZoneId: undefined, direction: "egress" },
      "- - egress",
    ],
    ["IPv6 type", "${type} ${srcaddr}", { ...ssh, srcAddr: "2001:db8::1", dstAddr: "2001:db8::2" }, "IPv6 2001:db8::1"],
    ["v7 ECS fields are - (no ECS here); version 7", "${version} ${ecs-task-id} ${ecs-cluster-name}", ssh, "7 - -"],
    ["version follows the highest field: v2+v3+v4 → 4", "${version} ${region} ${vpc-id}", ssh, "4 us-east-1 vpc-abcdefab012345678"],
    ["a custom format of v2 fields only is version 2", "${version} ${srcaddr}", ssh, "2 172.31.16.139"],
    ["extra spaces between fields are tolerated", "  ${srcport}   ${dstport} ", ssh, "20641 22"],
  ];
  for (const [name, format, agg, line] of cases) {
    it(name, () => assert.equal(formatRecord(parseLogFormat(format), agg), line));
  }
});

describe("parseLogFormat", () => {
  const bad: [format: string, code: string][] = [
    ["", "InvalidParameter"],
    ["   ", "InvalidParameter"],
    ["${nope}", "InvalidParameter"],
    ["$srcaddr", "InvalidParameter"],
    ["${srcaddr},${dstaddr}", "InvalidParameter"],
    ["${reject-reason}", "InvalidParameter"],
  ];
  for (const [format, code] of bad) {
    it(`rejects ${JSON.stringify(format)}`, () =>
      assert.throws(
        () => parseLogFormat(format),
        (e: unknown) => e instanceof Ec2Error && e.code === code,
      ));
  }
  it("keeps field order and computes the version", () => {
    assert.deepEqual(parseLogFormat("${tcp-flags} ${version} ${flow-direction}"), {
      fields: ["tcp-flags", "version", "flow-direction"],
      version: 5,
    });
  });
  it("the header line is the field names", () => {
    assert.equal(
      formatHeader(parseLogFormat(DEFAULT_LOG_FORMAT)),
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
    );
  });
});
