/**
 * Traffic over VPC peering (issue 16): account A's VPC 10.111/16 peered with account B's 10.112/16 and, through B,
 * B's 10.113/16. Packets flow only where both sides route them through the connection, security groups and NACLs
 * allow them (a rule may name the peer's group), never transitively, and never out of the peer's edge.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupReferencesCommand,
  DescribeSecurityGroupsCommand,
  RunInstancesCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { trafficSend, useHarness } from "./harness.js";

const A = "111111111111";
const B = "222222222222";
const AMI = "ami-0a1b2c3d4e5f60001";

interface Net {
  vpcId: string;
  sgId: string;
  tableId: string;
  instanceId: string;
  ip: string;
}

describe("traffic over VPC peering", () => {
  const h = useHarness();
  let a: EC2Client;
  let b: EC2Client;
  let na: Net;
  let nb: Net;
  let nc: Net;
  let ab: string;
  let bc: string;

  const network = async (c: EC2Client, cidr: string, subnet: string, openCidr = true): Promise<Net> => {
    const vpcId = (await c.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
    const subnetId = (await c.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnet, AvailabilityZone: "us-east-1a" }))).Subnet!
      .SubnetId!;
    const sgId = (
      await c.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "group-name", Values: ["default"] },
          ],
        }),
      )
    ).SecurityGroups![0]!.GroupId!;
    if (openCidr)
      await c.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
        }),
      );
    const tableId = (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).RouteTables![0]!
      .RouteTableId!;
    const [instance] = (
      await c.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: subnetId }))
    ).Instances!;
    const instanceId = instance!.InstanceId!;
    const ip = instance!.PrivateIpAddress!;
    return { vpcId, sgId, tableId, instanceId, ip };
  };
  const peer = async (from: EC2Client, x: Net, y: Net, owner: string, accepter: EC2Client): Promise<string> => {
    const id = (await from.send(new CreateVpcPeeringConnectionCommand({ VpcId: x.vpcId, PeerVpcId: y.vpcId, PeerOwnerId: owner })))
      .VpcPeeringConnection!.VpcPeeringConnectionId!;
    await accepter.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    return id;
  };
  const route = (c: EC2Client, n: Net, cidr: string, pcx: string) =>
    c.send(new CreateRouteCommand({ RouteTableId: n.tableId, DestinationCidrBlock: cidr, VpcPeeringConnectionId: pcx }));
  const ssh = (account: string, from: string, to: string) => trafficSend(h, { from, to, proto: "tcp", port: 22 }, account);

  beforeEach(async () => {
    a = h.client(A);
    b = h.client(B);
    na = await network(a, "10.111.0.0/16", "10.111.1.0/24");
    nb = await network(b, "10.112.0.0/16", "10.112.1.0/24");
    nc = await network(b, "10.113.0.0/16", "10.113.1.0/24");
    ab = await peer(a, na, nb, B, b);
    bc = await peer(b, nb, nc, B, b);
  });

  it("needs a route on both sides: without the return route the reply is dropped, naming the peering", async () => {
    const none = await ssh(A, na.instanceId, nb.instanceId);
    assert.equal(none.delivered, false);
    assert.equal(none.reason, "NO_ROUTE_TO_DESTINATION");
    assert.match(none.explanation, new RegExp(`in the peered VPC ${nb.vpcId}: add a route for it through ${ab}`));
    await route(a, na, "10.112.0.0/16", ab);
    const oneWay = await ssh(A, na.instanceId, nb.instanceId);
    assert.equal(oneWay.delivered, true);
    assert.equal(oneWay.deliveredTo, nb.instanceId);
    assert.equal(oneWay.reply?.delivered, false);
    assert.equal(oneWay.reply.reason, "NO_ROUTE_TO_DESTINATION");
    assert.match(oneWay.reply.explanation, new RegExp(`peered VPC ${na.vpcId}.*${ab}`));
    await route(b, nb, "10.111.0.0/16", ab);
    for (const account of [A, B]) {
      const both = await ssh(account, na.instanceId, nb.instanceId);
      assert.equal(both.delivered, true, both.explanation);
      assert.equal(both.reply?.delivered, true, both.explanation);
      assert.ok(both.hops.some((x) => x.type === "vpc-peering-connection" && x.component === ab));
    }
  });

  it("security groups and NACLs still decide; a rule may reference the peer account's group", async () => {
    await route(a, na, "10.112.0.0/16", ab);
    await route(b, nb, "10.111.0.0/16", ab);
    const web = await ssh(A, na.instanceId, nb.instanceId);
    assert.equal(web.delivered, true);
    const blocked = await trafficSend(h, { from: na.instanceId, to: nb.instanceId, proto: "tcp", port: 80 }, A);
    assert.equal(blocked.reason, "ENI_SG_RULES_MISMATCH");
    await b.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: nb.sgId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: na.sgId, UserId: A }] }],
      }),
    );
    const byGroup = await trafficSend(h, { from: na.instanceId, to: nb.instanceId, proto: "tcp", port: 80 }, A);
    assert.equal(byGroup.delivered, true, byGroup.explanation);
    const [g] = (await b.send(new DescribeSecurityGroupsCommand({ GroupIds: [nb.sgId] }))).SecurityGroups!;
    const pair = g!.IpPermissions!.find((p) => p.FromPort === 80)!.UserIdGroupPairs![0]!;
    assert.deepEqual([pair.GroupId, pair.UserId], [na.sgId, A]);
    // A's owner asks which peer VPCs reference its group: B's VPC, over the peering connection.
    const refs = await a.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [na.sgId] }));
    assert.deepEqual(refs.SecurityGroupReferenceSet, [{ GroupId: na.sgId, ReferencingVpcId: nb.vpcId, VpcPeeringConnectionId: ab }]);
    const unref = await b.send(new DescribeSecurityGroupReferencesCommand({ GroupId: [nb.sgId] }));
    assert.deepEqual(unref.SecurityGroupReferenceSet, []);
  });

  it("is not transitive: A → C through B is refused by the peering connection", async () => {
    await route(a, na, "10.113.0.0/16", ab);
    await route(b, nb, "10.113.0.0/16", bc);
    await route(b, nc, "10.111.0.0/16", bc);
    const v = await ssh(A, na.instanceId, nc.instanceId);
    assert.equal(v.delivered, false);
    assert.equal(v.reason, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
    assert.match(v.explanation, /VPC peering is not transitive/);
    assert.match(v.explanation, new RegExp(`${nc.vpcId}, which is peered with ${nb.vpcId} \\(${bc}\\)`));
  });

  it("no edge-to-edge routing: the internet through the peer is refused; a deleted connection is a blackhole", async () => {
    await route(a, na, "0.0.0.0/0", ab);
    const v = await ssh(A, na.instanceId, "8.8.8.8");
    assert.equal(v.reason, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
    assert.match(v.explanation, /no edge-to-edge routing/);
    await route(a, na, "10.112.0.0/16", ab);
    await a.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ab }));
    // B's VPC is no longer in A's view: the probe names B's address.
    const gone = await ssh(A, na.instanceId, nb.ip);
    assert.equal(gone.reason, "BAD_STATE_ROUTE");
  });
});
