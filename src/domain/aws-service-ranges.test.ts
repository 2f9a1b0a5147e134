import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { awsServiceOf, compileServiceRanges, serviceOfPrefixList } from "./aws-service-ranges.js";
import { ipv4ToNumber } from "./dataplane/ip.js";

describe("pkt-*-aws-service from AWS's ranges", () => {
  const ranges = compileServiceRanges([
    { cidr: "52.0.0.0/8", service: "AMAZON" },
    { cidr: "52.216.0.0/15", service: "S3" },
    { cidr: "52.216.0.0/15", service: "AMAZON" },
    { cidr: "52.94.0.0/22", service: "DYNAMODB" },
    { cidr: "44.192.0.0/11", service: "EC2" },
    { cidr: "18.206.107.24/29", service: "EC2_INSTANCE_CONNECT" },
    { cidr: "18.204.0.0/14", service: "EC2" },
    { cidr: "2600:1f18::/32", service: "S3" },
  ]);
  const rows: [string, string | undefined][] = [
    ["52.216.10.1", "S3"], // a named service wins over the AMAZON superset of the same range
    ["52.217.255.255", "S3"], // last address of the /15
    ["52.218.0.0", "AMAZON"], // just past it: only the superset
    ["52.94.3.255", "DYNAMODB"],
    ["52.0.0.0", "AMAZON"],
    ["44.200.1.1", "EC2"],
    ["18.206.107.25", "EC2_INSTANCE_CONNECT"], // the more specific range inside EC2's
    ["18.206.107.32", "EC2"],
    ["203.0.113.9", undefined],
    ["10.0.0.1", undefined],
    ["0.0.0.0", undefined],
    ["255.255.255.255", undefined],
  ];
  for (const [address, service] of rows) {
    it(`${address} → ${service ?? "-"}`, () => assert.equal(awsServiceOf(ranges, ipv4ToNumber(address)!), service));
  }
  it("intervals are disjoint and sorted; numbers outside IPv4 (interned IPv6) match nothing", () => {
    for (let i = 1; i < ranges.starts.length; i++) assert.ok(ranges.starts[i]! > ranges.ends[i - 1]!);
    assert.equal(awsServiceOf(ranges, 2 ** 32 + 5), undefined);
    assert.equal(awsServiceOf(ranges, -1), undefined);
  });
  it("prefix-list names map to ip-ranges service names", () => {
    assert.equal(serviceOfPrefixList("com.amazonaws.us-east-1.s3"), "S3");
    assert.equal(serviceOfPrefixList("com.amazonaws.eu-west-1.dynamodb"), "DYNAMODB");
    assert.equal(serviceOfPrefixList("com.amazonaws.us-east-1.ec2-instance-connect"), "EC2_INSTANCE_CONNECT");
    assert.equal(serviceOfPrefixList("com.amazonaws.global.cloudfront.origin-facing"), "CLOUDFRONT");
    assert.equal(serviceOfPrefixList("com.amazonaws.us-east-1.ipv6.s3"), undefined);
  });
});
