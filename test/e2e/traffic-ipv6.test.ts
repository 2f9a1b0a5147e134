/**
 * IPv6 traffic end to end (issue 16) with the real SDKs: a dual-stack VPC (Amazon-provided /56, subnet /64, instance
 * with Ipv6AddressCount=1) reaches the internet and is reached from it through an internet gateway with a ::/0 route
 * (no NAT: the instance's own IPv6 address on both sides); behind an egress-only internet gateway it reaches out and
 * hears the replies, but a connection started from the internet is refused at the gateway with the reason. Flow-log
 * records carry the IPv6 addresses in AWS's text form, with `type` IPv6.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AdvertiseByoipCidrCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeIpv6PoolsCommand,
  DescribeNetworkAclsCommand,
  ProvisionByoipCidrCommand,
  RunInstancesCommand,
  WithdrawByoipCidrCommand,
} from "@aws-sdk/client-ec2";
import { adminCall, useHarness, type WireVerdict } from "./harness.js";
import { advanceClock, makePki, message, prepareWorld, signMessage, type Pki } from "./byoip-fixtures.js";

const ROLE = "arn:aws:iam::000000000000:role/flow-logs";
const HOST6 = "3fff::7";

/** The /64 number `n` of a /56 (AWS's subnet IPv6 blocks are /64s of the VPC's /56). */
const subnet64 = (block56: string, n: number): string => {
  const [prefix] = block56.split("::/56");
  const groups = prefix!.split(":");
  const last = parseInt(groups[3] ?? "0", 16) + n;
  return `${groups.slice(0, 3).join(":")}:${last.toString(16)}::/64`;
};

describe("IPv6 traffic through internet and egress-only internet gateways", () => {
  const h = useHarness({ flowLogNoData: false });

  const send = async (body: Record<string, unknown>): Promise<WireVerdict> => {
    const r = await adminCall<WireVerdict>(h, "POST", "traffic/send", body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  /** A dual-stack VPC, one /64 subnet with its own table routing ::/0 to `gateway`, one web instance with IPv6. */
  const dualStack = async (cidr: string, subnetCidr: string, gateway: "igw" | "eigw", ipv6Pool?: string) => {
    const blockSource = ipv6Pool === undefined ? { AmazonProvidedIpv6CidrBlock: true } : { Ipv6Pool: ipv6Pool };
    const vpc = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: cidr, ...blockSource }))).Vpc!;
    const block56 = vpc.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
    const subnet = (
      await h.ec2.send(
        new CreateSubnetCommand({
          VpcId: vpc.VpcId!,
          CidrBlock: subnetCidr,
          Ipv6CidrBlock: subnet64(block56, 1),
          AvailabilityZone: "us-east-1a",
        }),
      )
    ).Subnet!;
    const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: vpc.VpcId! }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnet.SubnetId! }));
    let gatewayId: string;
    if (gateway === "igw") {
      gatewayId = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpc.VpcId! }));
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationIpv6CidrBlock: "::/0", GatewayId: gatewayId }));
    } else {
      gatewayId = (await h.ec2.send(new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpc.VpcId! }))).EgressOnlyInternetGateway!
        .EgressOnlyInternetGatewayId!;
      await h.ec2.send(
        new CreateRouteCommand({ RouteTableId: rtb, DestinationIpv6CidrBlock: "::/0", EgressOnlyInternetGatewayId: gatewayId }),
      );
    }
    const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web6", Description: "web6", VpcId: vpc.VpcId! }))).GroupId!;
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: "::/0" }] }],
      }),
    );
    const inst = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId!, Groups: [sg], Ipv6AddressCount: 1 }],
        }),
      )
    ).Instances![0]!;
    const eni = inst.NetworkInterfaces![0]!;
    const ipv6 = eni.Ipv6Addresses![0]!.Ipv6Address!;
    return { vpcId: vpc.VpcId!, subnetId: subnet.SubnetId!, instanceId: inst.InstanceId!, eniId: eni.NetworkInterfaceId!, ipv6, gatewayId };
  };

  it("the default network ACL of a dual-stack VPC has rule 101 allowing ::/0 each way", async () => {
    const vpc = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.150.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    const acl = (await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc.VpcId!] }] })))
      .NetworkAcls![0]!;
    const v6 = acl
      .Entries!.filter((e) => e.Ipv6CidrBlock !== undefined)
      .map((e) => `${e.Egress ? "out" : "in"} ${e.RuleNumber} ${e.RuleAction}`);
    assert.deepEqual(v6.sort(), ["in 101 allow", "in 32768 deny", "out 101 allow", "out 32768 deny"]);
  });

  it("through an internet gateway: IPv6 to and from the internet, unchanged, with IPv6 flow-log records", async () => {
    const net = await dualStack("10.151.0.0/16", "10.151.1.0/24", "igw");
    const flow = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "NetworkInterface",
        ResourceIds: [net.eniId],
        TrafficType: "ALL",
        LogGroupName: "ipv6-igw",
        DeliverLogsPermissionArn: ROLE,
        MaxAggregationInterval: 60,
      }),
    );
    assert.deepEqual(flow.Unsuccessful, []);
    const typed = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "NetworkInterface",
        ResourceIds: [net.eniId],
        TrafficType: "ALL",
        LogGroupName: "ipv6-igw-typed",
        DeliverLogsPermissionArn: ROLE,
        MaxAggregationInterval: 60,
        LogFormat: "${type} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}",
      }),
    );
    assert.deepEqual(typed.Unsuccessful, []);

    // Inbound from the internet to the instance's IPv6 address (an IPv6 literal implies IPv6).
    const inbound = await send({ from: "internet", to: net.ipv6, proto: "tcp", port: 443 });
    assert.equal(inbound.delivered, true, inbound.explanation);
    assert.equal(inbound.deliveredTo, net.instanceId);
    assert.equal(inbound.reply?.delivered, true, inbound.explanation);
    assert.ok(inbound.hops.some((hop) => hop.type === "internet-gateway" && hop.component === net.gatewayId));
    assert.ok(
      inbound.hops.every((hop) => hop.rewrite === undefined),
      "IPv6 is never NATed",
    );
    const inPort = (inbound as WireVerdict & { probe: { srcPort: number } }).probe.srcPort;

    // Outbound: `--to internet --ipv6` from the instance, from its own IPv6 address.
    const outbound = await send({ from: net.instanceId, to: "internet", proto: "tcp", port: 443, family: 6 });
    assert.equal(outbound.delivered, true, outbound.explanation);
    assert.equal(outbound.reply?.delivered, true, outbound.explanation);
    assert.match(
      outbound.explanation,
      new RegExp(`^TCP \\[${net.ipv6}\\]:\\d+ → \\[${HOST6}\\]:443 reaches the internet host ${HOST6}\\.`),
    );
    const outPort = (outbound as WireVerdict & { probe: { srcPort: number } }).probe.srcPort;

    // An instance target with --ipv6 resolves to its IPv6 address (the same probe as the literal).
    const byId = await send({ from: "internet", to: net.instanceId, proto: "tcp", port: 443, family: 6 });
    assert.equal(byId.delivered, true, byId.explanation);

    const advanced = await adminCall(h, "POST", "clock/advance", { ms: 120_000 });
    assert.equal(advanced.status, 200);
    const logs = new CloudWatchLogsClient({
      endpoint: h.vpc.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    const messages = async (group: string): Promise<string[]> =>
      ((await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message!);
    const v2 = (await messages("ipv6-igw")).map((m) => m.split(" "));
    const extra = await messages("ipv6-igw-typed");
    logs.destroy();
    // version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    const lines = v2.map((f) => [...f.slice(0, 10), ...f.slice(12)].join(" "));
    const rec = (src: string, dst: string, sport: number, dport: number): string =>
      `2 000000000000 ${net.eniId} ${src} ${dst} ${sport} ${dport} 6 1 64 ACCEPT OK`;
    for (const want of [
      rec(HOST6, net.ipv6, inPort, 443),
      rec(net.ipv6, HOST6, 443, inPort),
      rec(net.ipv6, HOST6, outPort, 443),
      rec(HOST6, net.ipv6, 443, outPort),
    ])
      assert.ok(lines.includes(want), `missing ${want} in\n${lines.join("\n")}`);
    assert.ok(extra.length > 0);
    for (const m of extra) assert.ok(m.startsWith("IPv6 "), m);
    assert.ok(extra.includes(`IPv6 ${net.ipv6} ${HOST6} ${net.ipv6} ${HOST6} egress 8`), extra.join("\n"));
    assert.ok(extra.includes(`IPv6 ${HOST6} ${net.ipv6} ${HOST6} ${net.ipv6} ingress -`), extra.join("\n"));
  });

  it("through an egress-only internet gateway: out and back, but a connection from the internet is refused", async () => {
    const net = await dualStack("10.152.0.0/16", "10.152.1.0/24", "eigw");
    const out = await send({ from: net.instanceId, to: "internet", proto: "tcp", port: 443, family: "6" });
    assert.equal(out.delivered, true, out.explanation);
    assert.equal(out.reply?.delivered, true, out.explanation);
    assert.ok(
      out.hops.some((hop) => hop.type === "egress-only-internet-gateway" && hop.component === net.gatewayId && hop.path === "return"),
    );

    const inbound = await send({ from: "internet", to: net.ipv6, proto: "tcp", port: 443 });
    assert.equal(inbound.delivered, false);
    assert.equal(inbound.reason, "EMU_EGRESS_ONLY_IGW_INBOUND");
    assert.match(
      inbound.explanation,
      new RegExp(
        `^Egress-only internet gateway ${net.gatewayId} drops TCP \\[${HOST6}\\]:\\d+ → \\[${net.ipv6}\\]:443: it carries connections started from inside the VPC`,
      ),
    );
  });

  it("--ipv6 to an instance without an IPv6 address is refused, and an unknown family is rejected", async () => {
    const net = await dualStack("10.153.0.0/16", "10.153.1.0/24", "igw");
    const plain = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: net.subnetId,
        }),
      )
    ).Instances![0]!;
    const noV6 = await adminCall<{ error: string; message: string }>(h, "POST", "traffic/send", {
      from: net.instanceId,
      to: plain.InstanceId!,
      family: 6,
    });
    assert.equal(noV6.status, 400);
    assert.deepEqual(noV6.body, {
      error: "InvalidParameterValue",
      message: `Cannot resolve --to '${plain.InstanceId!}' for IPv6: it has no IPv6 address (assign one, or send IPv4).`,
    });
    const bad = await adminCall<{ error: string; message: string }>(h, "POST", "traffic/send", {
      from: "internet",
      to: net.ipv6,
      family: 5,
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: "InvalidParameterValue", message: "Unknown address family '5': expected 4 or 6." });
    // The sender without IPv6 gets a verdict naming it.
    const fromPlain = await send({ from: plain.InstanceId!, to: net.ipv6, proto: "tcp", port: 443 });
    assert.equal(fromPlain.reason, "EMU_NO_IPV6_ADDRESS");
  });

  describe("BYOIP IPv6", () => {
    let pki: Pki;
    before(() => {
      pki = makePki();
    });

    it("an address of a BYOIP IPv6 block is reachable from the internet only while its range is advertised", async () => {
      const cidr = "2001:db8:4400::/48";
      await prepareWorld(h.vpc.url, pki, cidr);
      const msg = message("000000000000", cidr);
      await h.ec2.send(
        new ProvisionByoipCidrCommand({ Cidr: cidr, CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) } }),
      );
      const pool = (await h.ec2.send(new DescribeIpv6PoolsCommand({}))).Ipv6Pools![0]!.PoolId!;
      const net = await dualStack("10.154.0.0/16", "10.154.1.0/24", "igw", pool);
      assert.ok(net.ipv6.startsWith("2001:db8:44"), net.ipv6);

      const unadvertised = await send({ from: "internet", to: net.ipv6, proto: "tcp", port: 443 });
      assert.equal(unadvertised.reason, "EMU_BYOIP_NOT_ROUTED_TO_AWS");
      assert.equal(
        unadvertised.explanation,
        `${net.ipv6} is a BYOIP address, but the internet does not route it to AWS: its range ${cidr} is provisioned, not ` +
          "advertised (AdvertiseByoipCidr makes AWS announce it), and no other announcement covers it, so the packet never reaches the VPC.",
      );
      await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: cidr }));
      const advertised = await send({ from: "internet", to: net.ipv6, proto: "tcp", port: 443 });
      assert.equal(advertised.delivered, true, advertised.explanation);
      assert.equal(advertised.deliveredTo, net.instanceId);

      await advanceClock(h.vpc.url, 10_000); // Advertise/Withdraw: once per 10 s
      await h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: cidr }));
      const withdrawn = await send({ from: "internet", to: net.ipv6, proto: "tcp", port: 443 });
      assert.equal(withdrawn.reason, "EMU_BYOIP_NOT_ROUTED_TO_AWS");
    });
  });
});
