/**
 * The traffic API caches the compiled topology between probes (keyed on the store's state version): a change made
 * through the EC2 API is seen by the very next probe, never a stale topology.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DetachNetworkInterfaceCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, trafficSend, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("traffic API topology cache", () => {
  const h = useHarness();
  const send = (from: string, to: string, port: number) => trafficSend(h, { from, to, port, proto: "tcp" });
  let net: { vpcId: string; subnetId: string; sgId: string };
  beforeEach(async () => {
    net = await createNetwork(h, "10.71.0.0/16", "10.71.1.0/24");
  });
  const launch = async () =>
    (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.medium",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnetId }],
        }),
      )
    ).Instances![0]!;

  it("a new or revoked SG rule is seen by the very next probe", async () => {
    const a = await launch();
    const b = await launch();
    const bEni = b.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const web = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "cache-web", Description: "web", VpcId: net.vpcId })))
      .GroupId!;
    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: bEni, Groups: [web] }));
    // Repeated probes (served from the cache) keep their verdict.
    for (let i = 0; i < 3; i++) {
      const v = await send(a.InstanceId!, b.InstanceId!, 8080);
      assert.equal(v.reason, "ENI_SG_RULES_MISMATCH", v.explanation);
    }
    const perm = { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: "10.71.0.0/16" }] };
    await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [perm] }));
    const allowed = await send(a.InstanceId!, b.InstanceId!, 8080);
    assert.equal(allowed.delivered, true, allowed.explanation);
    assert.equal(allowed.deliveredTo, b.InstanceId);
    assert.equal((await send(a.InstanceId!, b.InstanceId!, 8081)).reason, "ENI_SG_RULES_MISMATCH");

    await h.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [perm] }));
    // A new source port: a new connection, so connection tracking does not carry the old one.
    const revoked = await send(a.InstanceId!, b.InstanceId!, 8080);
    assert.equal(revoked.delivered, false, revoked.explanation);
    assert.equal(revoked.reason, "ENI_SG_RULES_MISMATCH");
  });

  it("an ENI moved to another instance is seen by the very next probe", async () => {
    const a = await launch();
    const b = await launch();
    const c = await launch();
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: net.sgId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.71.0.0/16" }] }],
      }),
    );
    const eni = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, Groups: [net.sgId] }))).NetworkInterface!;
    const eniId = eni.NetworkInterfaceId!;
    const ip = eni.PrivateIpAddress!;
    const { AttachmentId } = await h.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: a.InstanceId!, DeviceIndex: 1 }),
    );
    assert.equal((await send(c.InstanceId!, ip, 443)).deliveredTo, a.InstanceId);
    assert.equal((await send(c.InstanceId!, ip, 443)).deliveredTo, a.InstanceId);

    await h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    const detached = await send(c.InstanceId!, ip, 443);
    assert.equal(detached.delivered, false);
    assert.equal(detached.reason, "EMU_ENI_NOT_ATTACHED");

    await h.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: b.InstanceId!, DeviceIndex: 1 }));
    const moved = await send(c.InstanceId!, ip, 443);
    assert.equal(moved.delivered, true, moved.explanation);
    assert.equal(moved.deliveredTo, b.InstanceId);
    assert.ok(
      moved.notes.some((n) => n.includes(`${eniId} moved`)),
      JSON.stringify(moved.notes),
    );
    const again = await send(c.InstanceId!, ip, 443);
    assert.deepEqual([again.deliveredTo, again.notes], [b.InstanceId, []], "the move is noted once");
  });
});
