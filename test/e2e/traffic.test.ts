/**
 * The traffic admin API (issue 5) against EC2 state built with the real SDK: verdicts, the NAT-instance story
 * (source/dest check), chaos, and the failover story (requests reach A, A fails, the ENI moves to B, requests
 * reach B).
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  DetachNetworkInterfaceCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, trafficSend, useHarness, type WireVerdict } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("traffic API", () => {
  const h = useHarness();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the answer shape
  const admin = <T>(method: "GET" | "POST", path: string, body?: unknown) => adminCall<T>(h, method, path, body);
  const send = (from: string, to: string, port = 443, proto = "tcp"): Promise<WireVerdict> => trafficSend(h, { from, to, port, proto });

  let net: { vpcId: string; subnetId: string; sgId: string };
  let igwId: string;
  let publicRtb: string;
  beforeEach(async () => {
    net = await createNetwork(h, "10.70.0.0/16", "10.70.1.0/24");
    igwId = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: net.vpcId }));
    publicRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: net.subnetId }));
  });
  const launch = async (subnetId: string, extra: { publicIp?: boolean } = {}) =>
    (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.medium",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, AssociatePublicIpAddress: extra.publicIp ?? false }],
        }),
      )
    ).Instances![0]!;

  it("instances in the default security group reach each other; the internet does not reach them", async () => {
    const a = await launch(net.subnetId, { publicIp: true });
    const b = await launch(net.subnetId);
    const v = await send(a.InstanceId!, b.InstanceId!);
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reason, null);
    assert.equal(v.deliveredTo, b.InstanceId);
    assert.ok(v.hops.length > 0);
    const fromInternet = await send("internet", a.InstanceId!);
    assert.equal(fromInternet.delivered, false);
    assert.equal(fromInternet.reason, "ENI_SG_RULES_MISMATCH");
    assert.equal(fromInternet.deliveredTo, null);
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: net.sgId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const allowed = await send("internet", a.InstanceId!);
    assert.equal(allowed.deliveredTo, a.InstanceId, allowed.explanation);
    assert.equal(allowed.hops.find((x) => x.type === "internet-gateway")?.rewrite?.field, "destination");
  });

  it("NAT instance: drops with source/dest check on, passes with it off", async () => {
    const priv = (
      await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.70.2.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    const nat = await launch(net.subnetId, { publicIp: true });
    const natEni = nat.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const privRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: privRtb, DestinationCidrBlock: "0.0.0.0/0", InstanceId: nat.InstanceId! }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: privRtb, SubnetId: priv }));
    const app = await launch(priv);
    const advice = await admin<{ advisories: { code: string; resource: string }[] }>("GET", "traffic/advise");
    assert.ok(advice.body.advisories.some((a) => a.code === "NEXT_HOP_SOURCE_DEST_CHECK" && a.resource === natEni));

    const blocked = await send(app.InstanceId!, "203.0.113.5");
    assert.equal(blocked.delivered, false);
    assert.equal(blocked.reason, "ENI_SOURCE_DEST_CHECK_RESTRICTION");
    assert.match(blocked.explanation, /source\/destination check enabled/);

    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: natEni, SourceDestCheck: { Value: false } }));
    const through = await send(app.InstanceId!, "203.0.113.5");
    assert.equal(through.delivered, true, through.explanation);
    assert.equal(through.reply?.delivered, true);
    assert.deepEqual(
      through.hops.filter((x) => x.path === "forward" && x.rewrite).map((x) => x.rewrite!.field),
      ["source", "source"],
    );
  });

  it("failover: requests reach A, A fails, the ENI moves to B, requests reach B", async () => {
    const a = await launch(net.subnetId);
    const b = await launch(net.subnetId);
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: net.sgId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const eni = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    const { AllocationId, PublicIp } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    await h.ec2.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni }));
    const { AttachmentId } = await h.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: a.InstanceId!, DeviceIndex: 1 }),
    );

    assert.equal((await send("internet", PublicIp!)).deliveredTo, a.InstanceId);
    const chaos = await admin<{ impaired: boolean }>("POST", "chaos/fail-instance", { instanceId: a.InstanceId });
    assert.deepEqual([chaos.status, chaos.body.impaired], [200, true]);
    const down = await send("internet", PublicIp!);
    assert.equal(down.reason, "EMU_INSTANCE_IMPAIRED");
    assert.equal(down.deliveredTo, null);

    await h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    await h.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: b.InstanceId!, DeviceIndex: 1 }));
    const moved = await send("internet", PublicIp!);
    assert.equal(moved.delivered, true, moved.explanation);
    assert.equal(moved.deliveredTo, b.InstanceId);
    assert.ok(moved.notes.some((n) => n.includes(`${eni} moved`)));

    await admin("POST", "chaos/recover", { instanceId: a.InstanceId });
    assert.equal((await send(b.InstanceId!, a.InstanceId!)).deliveredTo, a.InstanceId, "a recovered instance answers again");
  });

  it("refuses what it cannot resolve, with a clear error", async () => {
    const r = await admin<{ error: string; message: string }>("POST", "traffic/send", { from: "eni-0123456789abcdef0", to: "internet" });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, "InvalidParameterValue");
    assert.equal(
      r.body.message,
      "Cannot resolve --from 'eni-0123456789abcdef0': expected an instance id, an ENI id, an IPv4 address or 'internet'.",
    );
    const p = await admin<{ error: string; message: string }>("POST", "traffic/send", { from: "internet", to: "internet", proto: "sctp" });
    assert.equal(p.body.message, "Unknown protocol 'sctp': expected tcp, udp or icmp.");
    const c = await admin<{ error: string; message: string }>("POST", "chaos/fail-instance", { instanceId: "i-0123456789abcdef0" });
    assert.deepEqual(
      [c.status, c.body.error, c.body.message],
      [400, "InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist"],
    );
  });
});
