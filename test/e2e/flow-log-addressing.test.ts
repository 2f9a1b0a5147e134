/**
 * Data plane × flow logs end to end with the real SDKs (issue 5): `traffic send` from the internet to an Elastic IP
 * produces the records AWS's addressing rules imply (VPC-UG flow-logs.md, spec dataplane.md §1.4). The internet
 * gateway's 1:1 NAT rewrites the EIP before the packet reaches the ENI, so the EIP appears in none of the ENI's own
 * records; `srcaddr`/`dstaddr` on the ENI's side are always its primary private IPv4 — also for an EIP mapped to a
 * secondary private IP, whose real address shows only in `pkt-dstaddr`/`pkt-srcaddr`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AllocateAddressCommand,
  AssignPrivateIpAddressesCommand,
  AssociateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, useHarness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/flow-logs";
const INTERNET_HOST = "198.51.100.7";

interface Verdict {
  delivered: boolean;
  explanation: string;
  deliveredTo: string | null;
  probe: { srcPort: number };
}

describe("flow-log records of simulated internet traffic to an Elastic IP", () => {
  // Exact records are compared; NODATA records (issue 21) are tested in flow-log-status.test.ts.
  const h = useHarness({ flowLogNoData: false });

  it("the ENI's records show its primary private IP, never the EIP; pkt-dstaddr shows the secondary IP an EIP maps to", async () => {
    const net = await createNetwork(h, "10.88.0.0/16", "10.88.1.0/24");
    const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
    const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: net.subnetId }));
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: net.sgId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const { Instances } = await h.ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0a1b2c3d4e5f60001",
        InstanceType: "t3.medium",
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnetId, Groups: [net.sgId] }],
      }),
    );
    const instanceId = Instances![0]!.InstanceId!;
    const eni = Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const primary = Instances![0]!.PrivateIpAddress!;
    const assigned = await h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
    const secondary = assigned.AssignedPrivateIpAddresses![0]!.PrivateIpAddress!;
    const eip = async (privateIp: string): Promise<string> => {
      const { AllocationId, PublicIp } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
      await h.ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni, PrivateIpAddress: privateIp }));
      return PublicIp!;
    };
    const eipPrimary = await eip(primary);
    const eipSecondary = await eip(secondary);

    const flowLog = async (group: string, LogFormat?: string): Promise<void> => {
      const r = await h.ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: "NetworkInterface",
          ResourceIds: [eni],
          TrafficType: "ALL",
          LogGroupName: group,
          DeliverLogsPermissionArn: ROLE,
          MaxAggregationInterval: 60,
          LogFormat,
        }),
      );
      assert.deepEqual(r.Unsuccessful, []);
    };
    await flowLog("v2");
    await flowLog(
      "pkt",
      "${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${srcport} ${dstport} ${flow-direction} ${action}",
    );

    const send = async (to: string): Promise<Verdict> => {
      const res = await fetch(`${h.vpc.url}/_localvpc/traffic/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: "internet", to, proto: "tcp", port: 443 }),
      });
      const v = (await res.json()) as Verdict;
      assert.equal(v.delivered, true, v.explanation);
      assert.equal(v.deliveredTo, instanceId);
      return v;
    };
    const p1 = (await send(eipPrimary)).probe.srcPort;
    const p2 = (await send(eipSecondary)).probe.srcPort;
    assert.notEqual(p1, p2);

    // Close the 1-minute capture windows on the simulated clock; delivery happens on the advance.
    const advanced = await fetch(`${h.vpc.url}/_localvpc/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms: 120_000 }),
    });
    assert.equal(advanced.status, 200);

    const logs = new CloudWatchLogsClient({
      endpoint: h.vpc.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    const messages = async (group: string): Promise<string[]> =>
      ((await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message!);
    const v2 = await messages("v2");
    const pkt = await messages("pkt");
    logs.destroy();

    // v2: version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    const fields = v2.map((m) => m.split(" "));
    for (const f of fields) {
      assert.equal(f.length, 14);
      assert.equal(f[11], f[10], "one packet: start = end");
    }
    const withoutTimes = fields.map((f) => [...f.slice(0, 10), ...f.slice(12)].join(" ")).sort();
    assert.deepEqual(
      withoutTimes,
      [
        `2 000000000000 ${eni} ${INTERNET_HOST} ${primary} ${p1} 443 6 1 64 ACCEPT OK`,
        `2 000000000000 ${eni} ${INTERNET_HOST} ${primary} ${p2} 443 6 1 64 ACCEPT OK`,
        `2 000000000000 ${eni} ${primary} ${INTERNET_HOST} 443 ${p1} 6 1 64 ACCEPT OK`,
        `2 000000000000 ${eni} ${primary} ${INTERNET_HOST} 443 ${p2} 6 1 64 ACCEPT OK`,
      ].sort(),
    );
    for (const m of [...v2, ...pkt]) {
      assert.ok(!m.includes(eipPrimary) && !m.includes(eipSecondary), `an Elastic IP appears in the ENI's record: ${m}`);
    }
    assert.deepEqual(
      pkt.sort(),
      [
        `${eni} ${INTERNET_HOST} ${primary} ${INTERNET_HOST} ${primary} ${p1} 443 ingress ACCEPT`,
        `${eni} ${primary} ${INTERNET_HOST} ${primary} ${INTERNET_HOST} 443 ${p1} egress ACCEPT`,
        `${eni} ${INTERNET_HOST} ${primary} ${INTERNET_HOST} ${secondary} ${p2} 443 ingress ACCEPT`,
        `${eni} ${primary} ${INTERNET_HOST} ${secondary} ${INTERNET_HOST} 443 ${p2} egress ACCEPT`,
      ].sort(),
    );
  });
});
