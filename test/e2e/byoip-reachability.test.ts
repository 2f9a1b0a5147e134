/**
 * BYOIP × data plane end to end (issue 5 with issue 4's BGP view): an Elastic IP allocated from a BYOIP pool is
 * reachable from the internet only while the internet routes its range to AWS — not before AdvertiseByoipCidr, yes
 * after, not after WithdrawByoipCidr, and not while an on-premises announcement of a more specific prefix wins (the
 * disaster-recovery shape: AWS advertises the whole range as a hot standby, on-premises keeps the more specific /24
 * until it fails over by withdrawing it). Amazon-pool addresses are always routed to AWS.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AdvertiseByoipCidrCommand,
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  AssociateRouteTableCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeByoipCidrsCommand,
  DescribePublicIpv4PoolsCommand,
  ProvisionByoipCidrCommand,
  RunInstancesCommand,
  WithdrawByoipCidrCommand,
} from "@aws-sdk/client-ec2";
import { trafficSend, useHarness, type WireVerdict } from "./harness.js";
import { admin, advanceClock, makePki, message, prepareWorld, signMessage, type Pki } from "./byoip-fixtures.js";

const ACCOUNT = "000000000000";

describe("BYOIP reachability from the internet follows the BGP view", () => {
  const h = useHarness();
  let pki: Pki;
  before(() => {
    pki = makePki();
  });

  const send = (to: string) => trafficSend(h, { from: "internet", to, proto: "tcp", port: 443 });

  /** A provisioned (not advertised) BYOIP range and its pool id, as in test/e2e/byoip.test.ts. */
  const provisioned = async (cidr: string): Promise<string> => {
    await prepareWorld(h.vpc.url, pki, cidr);
    const msg = message(ACCOUNT, cidr);
    await h.ec2.send(
      new ProvisionByoipCidrCommand({ Cidr: cidr, CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) } }),
    );
    const { ByoipCidrs } = await h.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 10 }));
    assert.equal(ByoipCidrs?.find((c) => c.Cidr === cidr)?.State, "provisioned");
    const { PublicIpv4Pools } = await h.ec2.send(new DescribePublicIpv4PoolsCommand({}));
    return PublicIpv4Pools!.find((p) => p.PoolAddressRanges?.[0]?.FirstAddress === cidr.split("/")[0])!.PoolId!;
  };

  /** A public web server (HTTPS open to the world) in its own VPC; returns its instance id. */
  const webServer = async (): Promise<string> => {
    const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }))).Vpc!.VpcId!;
    const subnetId = (
      await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.77.1.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnetId }));
    const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpcId }))).GroupId!;
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const { Instances } = await h.ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0a1b2c3d4e5f60001",
        InstanceType: "t3.medium",
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, Groups: [sg] }],
      }),
    );
    return Instances![0]!.InstanceId!;
  };

  const eipFrom = async (instanceId: string, o: { PublicIpv4Pool?: string; Address?: string }): Promise<string> => {
    const { AllocationId, PublicIp } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc", ...o }));
    await h.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: instanceId }));
    return PublicIp!;
  };

  const unreachable = (v: WireVerdict, address: string): void => {
    assert.equal(v.delivered, false);
    assert.equal(v.reason, "EMU_BYOIP_NOT_ROUTED_TO_AWS");
    assert.equal(v.deliveredTo, null);
    assert.match(
      v.explanation,
      new RegExp(`^${address.replace(/\./g, "\\.")} is a BYOIP address, but the internet does not route it to AWS`),
    );
    assert.deepEqual(
      v.hops.map((x) => [x.type, x.action]),
      [
        ["internet", "pass"],
        ["internet", "drop"],
      ],
      "the packet never reaches the internet gateway",
    );
  };

  it("unreachable before AdvertiseByoipCidr, reachable after, unreachable again after WithdrawByoipCidr", async () => {
    const pool = await provisioned("203.0.113.0/24");
    const web = await webServer();
    const eip = await eipFrom(web, { PublicIpv4Pool: pool });
    assert.match(eip, /^203\.0\.113\.\d+$/);

    const notAdvertised =
      `${eip} is a BYOIP address, but the internet does not route it to AWS: its range 203.0.113.0/24 is provisioned, not ` +
      "advertised (AdvertiseByoipCidr makes AWS announce it), and no other announcement covers it, so the packet never reaches the VPC.";
    const before = await send(eip);
    unreachable(before, eip);
    assert.equal(before.explanation, notAdvertised);

    await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
    const advertised = await send(eip);
    assert.equal(advertised.delivered, true, advertised.explanation);
    assert.equal(advertised.reason, null);
    assert.equal(advertised.deliveredTo, web);
    assert.ok(advertised.hops.some((x) => x.type === "internet-gateway" && x.action === "forward"));

    await advanceClock(h.vpc.url, 10_000); // Advertise/Withdraw: once per 10 s
    await h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
    const withdrawn = await send(eip);
    unreachable(withdrawn, eip);
    assert.equal(withdrawn.explanation, notAdvertised);
  });

  it("unreachable while an on-premises announcement of a more specific prefix wins; reachable once it is withdrawn", async () => {
    // AWS advertises the /23 (hot standby); on-premises still announces 203.0.113.0/24 from AS64500, RPKI-valid.
    const pool = await provisioned("203.0.112.0/23");
    await admin(h.vpc.url, "rir/roa", { cidr: "203.0.113.0/24", asns: [64500], maxLength: 24 });
    await admin(h.vpc.url, "bgp/announce", { cidr: "203.0.113.0/24", origin: "onprem", asn: 64500 });
    const web = await webServer();
    const covered = await eipFrom(web, { PublicIpv4Pool: pool, Address: "203.0.113.10" });
    await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.112.0/23" }));

    const onprem = await send(covered);
    unreachable(onprem, covered);
    assert.equal(
      onprem.explanation,
      "203.0.113.10 is a BYOIP address, but the internet does not route it to AWS: an on-premises announcement wins: " +
        "203.0.113.0/24 from AS64500 (RPKI Valid) is more specific than AWS's 203.0.112.0/23 (longest prefix match), " +
        "so the packet never reaches the VPC.",
    );

    // Outside the on-premises /24, the AWS /23 is the longest match: a second server's EIP there is reachable.
    const other = await webServer();
    const outside = await eipFrom(other, { PublicIpv4Pool: pool, Address: "203.0.112.20" });
    assert.equal((await send(outside)).deliveredTo, other);

    // Disaster recovery: on-premises withdraws its /24; the internet now routes the whole /23 to AWS.
    await admin(h.vpc.url, "bgp/withdraw", { cidr: "203.0.113.0/24", origin: "onprem", asn: 64500 });
    const failedOver = await send(covered);
    assert.equal(failedOver.delivered, true, failedOver.explanation);
    assert.equal(failedOver.deliveredTo, web);
  });

  it("an Amazon-pool Elastic IP is routed to AWS whatever the BGP view says", async () => {
    const web = await webServer();
    const eip = await eipFrom(web, {});
    const v = await send(eip);
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.deliveredTo, web);
  });
});
