/**
 * The AWS CLI view of flow logs: `aws ec2 create-flow-logs` on an ENI, traffic fed to the recorder (the library hook
 * the data-plane evaluator uses as its FlowSink), the simulated clock advanced past the capture window, then
 * `aws logs describe-log-streams` and `aws logs filter-log-events --log-group-name G` show the default-format (v2)
 * records in the ENI's `<eni-id>-all` stream.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { observationFromText } from "../../src/domain/flow-observation.js";
import { startLocalVpc, type LocalVpc } from "../../src/index.js";
import { awsCliAt } from "./aws-cli-harness.js";

describe("flow logs through the AWS CLI", () => {
  let vpc: LocalVpc;
  before(async () => {
    // Exact records are compared; NODATA records (issue 21) are tested in test/e2e/flow-log-status.test.ts.
    vpc = await startLocalVpc({ port: 0, s3Dir: mkdtempSync(join(tmpdir(), "localvpc-s3-test-")), flowLogNoData: false });
  });
  after(async () => vpc.close());

  const aws = <T = Record<string, unknown>>(...args: string[]): Promise<T> => awsCliAt(vpc.url)<T>(...args);

  it("aws logs filter-log-events shows v2 records of an ENI's flow log", async () => {
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("ec2", "create-vpc", "--cidr-block", "10.42.0.0/16");
    const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
      "ec2",
      "create-subnet",
      "--vpc-id",
      Vpc.VpcId,
      "--cidr-block",
      "10.42.1.0/24",
    );
    const { NetworkInterface: eni } = await aws<{ NetworkInterface: { NetworkInterfaceId: string; PrivateIpAddress: string } }>(
      "ec2",
      "create-network-interface",
      "--subnet-id",
      Subnet.SubnetId,
    );
    const created = await aws<{ FlowLogIds: string[]; Unsuccessful: unknown[] }>(
      "ec2",
      "create-flow-logs",
      "--resource-type",
      "NetworkInterface",
      "--resource-ids",
      eni.NetworkInterfaceId,
      "--traffic-type",
      "ALL",
      "--log-group-name",
      "cli-flows",
      "--deliver-logs-permission-arn",
      "arn:aws:iam::123456789012:role/flow-logs",
      "--max-aggregation-interval",
      "60",
    );
    assert.equal(created.FlowLogIds.length, 1);
    assert.deepEqual(created.Unsuccessful, []);
    const described = await aws<{ FlowLogs: { FlowLogId: string; LogGroupName: string }[] }>(
      "ec2",
      "describe-flow-logs",
      "--flow-log-ids",
      created.FlowLogIds[0]!,
    );
    assert.equal(described.FlowLogs[0]?.LogGroupName, "cli-flows");

    // An SSH connection from 198.51.100.7 accepted, and an RDP attempt rejected, as the ENI saw them.
    vpc.clock.advance(60_000 - (vpc.clock.now().getTime() % 60_000) + 1000);
    const t = vpc.clock.now().getTime();
    const base = {
      account: "123456789012",
      region: "us-east-1",
      eniId: eni.NetworkInterfaceId,
      vpcId: Vpc.VpcId,
      subnetId: Subnet.SubnetId,
      protocol: 6,
    };
    const ip = eni.PrivateIpAddress;
    const inbound = {
      ...base,
      direction: "ingress" as const,
      srcAddr: "198.51.100.7",
      dstAddr: ip,
      pktSrcAddr: "198.51.100.7",
      pktDstAddr: ip,
    };
    vpc.flowLogs.record(
      observationFromText({ ...inbound, srcPort: 50000, dstPort: 22, packets: 10, bytes: 840, action: "ACCEPT", tcpFlags: 2, atMs: t }),
    );
    vpc.flowLogs.record(
      observationFromText({
        ...inbound,
        srcPort: 50000,
        dstPort: 22,
        packets: 10,
        bytes: 1000,
        action: "ACCEPT",
        tcpFlags: 1,
        atMs: t + 20_000,
      }),
    );
    vpc.flowLogs.record(
      observationFromText({
        ...inbound,
        srcPort: 50001,
        dstPort: 3389,
        packets: 1,
        bytes: 60,
        action: "REJECT",
        tcpFlags: 2,
        atMs: t + 1000,
      }),
    );
    vpc.clock.advance(120_000);

    const streams = await aws<{ logStreams: { logStreamName: string }[] }>("logs", "describe-log-streams", "--log-group-name", "cli-flows");
    assert.deepEqual(
      streams.logStreams.map((s) => s.logStreamName),
      [`${eni.NetworkInterfaceId}-all`],
    );
    const { events } = await aws<{ events: { message: string; logStreamName: string }[] }>(
      "logs",
      "filter-log-events",
      "--log-group-name",
      "cli-flows",
    );
    const s = (ms: number): number => Math.floor(ms / 1000);
    assert.deepEqual(events.map((e) => e.message).sort(), [
      `2 123456789012 ${eni.NetworkInterfaceId} 198.51.100.7 ${ip} 50000 22 6 20 1840 ${s(t)} ${s(t + 20_000)} ACCEPT OK`,
      `2 123456789012 ${eni.NetworkInterfaceId} 198.51.100.7 ${ip} 50001 3389 6 1 60 ${s(t + 1000)} ${s(t + 1000)} REJECT OK`,
    ]);
    const rejects = await aws<{ events: { message: string }[] }>(
      "logs",
      "filter-log-events",
      "--log-group-name",
      "cli-flows",
      "--filter-pattern",
      "REJECT",
    );
    assert.equal(rejects.events.length, 1);
    assert.match(rejects.events[0]!.message, / 3389 6 1 60 .* REJECT OK$/);
  });
});
