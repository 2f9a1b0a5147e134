/** DescribeRouteTables and DescribeNetworkAcls: the main route table and default NACL every VPC gets. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { expectError, useHarness } from "./harness.js";

describe("route tables and network ACLs", () => {
  const h = useHarness();
  let vpcId: string;
  let defaultVpcId: string;
  beforeEach(async () => {
    vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }))).Vpc!.VpcId!;
    defaultVpcId = (await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!.VpcId!;
  });

  describe("DescribeRouteTables", () => {
    it("finds a VPC's main route table with association.main=true (as Terraform does)", async () => {
      const r = await h.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "association.main", Values: ["true"] },
            { Name: "vpc-id", Values: [vpcId] },
          ],
        }),
      );
      assert.equal(r.RouteTables?.length, 1);
      const t = r.RouteTables[0]!;
      assert.match(t.RouteTableId!, /^rtb-[0-9a-f]{17}$/);
      assert.equal(t.VpcId, vpcId);
      assert.equal(t.OwnerId, "000000000000");
      assert.equal(t.Associations?.length, 1);
      const a = t.Associations[0]!;
      assert.equal(a.Main, true);
      assert.match(a.RouteTableAssociationId!, /^rtbassoc-[0-9a-f]{17}$/);
      assert.equal(a.RouteTableId, t.RouteTableId);
      assert.equal(a.SubnetId, undefined, "implicit subnet associations are not listed");
      assert.deepEqual(a.AssociationState, { State: "associated" });
      assert.deepEqual(t.Routes, [
        { DestinationCidrBlock: "10.40.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" },
      ]);
      assert.deepEqual(t.PropagatingVgws, []);
    });

    it("the default VPC's main table routes 0.0.0.0/0 to its internet gateway", async () => {
      const r = await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [defaultVpcId] }] }));
      const routes = r.RouteTables![0]!.Routes!;
      assert.equal(routes.length, 2);
      assert.deepEqual(routes[0], {
        DestinationCidrBlock: "172.31.0.0/16",
        GatewayId: "local",
        Origin: "CreateRouteTable",
        State: "active",
      });
      assert.equal(routes[1]!.DestinationCidrBlock, "0.0.0.0/0");
      assert.match(routes[1]!.GatewayId!, /^igw-/);
      assert.equal(routes[1]!.Origin, "CreateRoute");
      const byGw = await h.ec2.send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: "route.gateway-id", Values: [routes[1]!.GatewayId!] }] }),
      );
      assert.deepEqual(
        byGw.RouteTables?.map((t) => t.VpcId),
        [defaultVpcId],
      );
    });

    it("filters and ids", async () => {
      const find = async (name: string, values: string[]) =>
        (
          await h.ec2.send(
            new DescribeRouteTablesCommand({
              Filters: [
                { Name: "vpc-id", Values: [vpcId] },
                { Name: name, Values: values },
              ],
            }),
          )
        ).RouteTables!.length;
      const t = (await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).RouteTables![0]!;
      assert.equal(await find("association.main", ["false"]), 0);
      assert.equal(await find("route.destination-cidr-block", ["10.40.0.0/16"]), 1);
      assert.equal(await find("route.destination-cidr-block", ["0.0.0.0/0"]), 0);
      assert.equal(await find("route.origin", ["CreateRouteTable"]), 1);
      assert.equal(await find("route.state", ["active"]), 1);
      assert.equal(await find("route-table-id", [t.RouteTableId!]), 1);
      assert.equal(await find("association.route-table-association-id", [t.Associations![0]!.RouteTableAssociationId!]), 1);
      assert.equal(await find("association.subnet-id", ["subnet-0123456789abcdef0"]), 0);
      assert.equal(await find("owner-id", ["000000000000"]), 1);
      assert.equal(await find("route.nat-gateway-id", ["nat-*"]), 0);
      const byId = await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [t.RouteTableId!] }));
      assert.equal(byId.RouteTables?.[0]?.VpcId, vpcId);
      await expectError(
        h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ["rtb-0123456789abcdef0"] })),
        "InvalidRouteTableID.NotFound",
        "The routeTable ID 'rtb-0123456789abcdef0' does not exist",
      );
      await expectError(
        h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ["rt-1"] })),
        "InvalidRouteTableId.Malformed",
        'Invalid id: "rt-1" (expecting "rtb-...")',
      );
      await expectError(
        h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.bogus", Values: ["x"] }] })),
        "InvalidParameterValue",
        "The filter 'route.bogus' is invalid",
      );
    });

    it("pages", async () => {
      for (const c of ["10.41.0.0/16", "10.42.0.0/16", "10.43.0.0/16"]) await h.ec2.send(new CreateVpcCommand({ CidrBlock: c }));
      const p1 = await h.ec2.send(new DescribeRouteTablesCommand({ MaxResults: 5 }));
      assert.equal(p1.RouteTables?.length, 5);
      assert.equal(p1.NextToken, undefined, "5 VPCs, 5 main tables");
    });
  });

  describe("DescribeNetworkAcls", () => {
    it("finds a VPC's default NACL with default=true, with AWS's default entries", async () => {
      const r = await h.ec2.send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: "default", Values: ["true"] },
            { Name: "vpc-id", Values: [vpcId] },
          ],
        }),
      );
      assert.equal(r.NetworkAcls?.length, 1);
      const acl = r.NetworkAcls[0]!;
      assert.match(acl.NetworkAclId!, /^acl-[0-9a-f]{17}$/);
      assert.equal(acl.IsDefault, true);
      assert.equal(acl.VpcId, vpcId);
      assert.equal(acl.OwnerId, "000000000000");
      assert.deepEqual(acl.Associations, []);
      assert.deepEqual(acl.Entries, [
        { RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress: true, CidrBlock: "0.0.0.0/0" },
        { RuleNumber: 32767, Protocol: "-1", RuleAction: "deny", Egress: true, CidrBlock: "0.0.0.0/0" },
        { RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress: false, CidrBlock: "0.0.0.0/0" },
        { RuleNumber: 32767, Protocol: "-1", RuleAction: "deny", Egress: false, CidrBlock: "0.0.0.0/0" },
      ]);
    });

    it("lists an implicit association for every subnet of the VPC, with stable ids", async () => {
      const s1 = (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.40.1.0/24" }))).Subnet!.SubnetId!;
      const s2 = (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.40.2.0/24" }))).Subnet!.SubnetId!;
      const describeDefault = async () =>
        (
          await h.ec2.send(
            new DescribeNetworkAclsCommand({
              Filters: [
                { Name: "default", Values: ["true"] },
                { Name: "vpc-id", Values: [vpcId] },
              ],
            }),
          )
        ).NetworkAcls![0]!;
      const acl = await describeDefault();
      assert.deepEqual(
        acl.Associations?.map((a) => [a.SubnetId, a.NetworkAclId]),
        [
          [s1, acl.NetworkAclId],
          [s2, acl.NetworkAclId],
        ],
      );
      for (const a of acl.Associations) assert.match(a.NetworkAclAssociationId!, /^aclassoc-[0-9a-f]{17}$/);
      assert.deepEqual((await describeDefault()).Associations, acl.Associations, "association ids are stable");
      const bySubnet = await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [s2] }] }));
      assert.deepEqual(
        bySubnet.NetworkAcls?.map((a) => a.NetworkAclId),
        [acl.NetworkAclId],
      );
      const byAssoc = await h.ec2.send(
        new DescribeNetworkAclsCommand({
          Filters: [{ Name: "association.association-id", Values: [acl.Associations[0]!.NetworkAclAssociationId!] }],
        }),
      );
      assert.deepEqual(
        byAssoc.NetworkAcls?.map((a) => a.NetworkAclId),
        [acl.NetworkAclId],
      );
    });

    it("the default VPC's default NACL is associated with every default subnet", async () => {
      const subnets = (await h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [defaultVpcId] }] }))).Subnets!;
      const acl = (await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [defaultVpcId] }] })))
        .NetworkAcls![0]!;
      assert.ok(subnets.length > 0);
      assert.deepEqual(acl.Associations?.map((a) => a.SubnetId).sort(), subnets.map((s) => s.SubnetId).sort());
    });

    it("entry filters, ids and errors", async () => {
      const find = async (name: string, values: string[]) =>
        (
          await h.ec2.send(
            new DescribeNetworkAclsCommand({
              Filters: [
                { Name: "vpc-id", Values: [vpcId] },
                { Name: name, Values: values },
              ],
            }),
          )
        ).NetworkAcls!.length;
      assert.equal(await find("entry.rule-number", ["32767"]), 1);
      assert.equal(await find("entry.rule-action", ["deny"]), 1);
      assert.equal(await find("entry.egress", ["true"]), 1);
      assert.equal(await find("entry.cidr", ["0.0.0.0/0"]), 1);
      assert.equal(await find("entry.protocol", ["-1"]), 1);
      assert.equal(await find("entry.protocol", ["6"]), 0);
      assert.equal(await find("entry.port-range.from", ["22"]), 0);
      assert.equal(await find("default", ["false"]), 0);
      assert.equal(await find("owner-id", ["000000000000"]), 1);
      const acl = (await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).NetworkAcls![0]!;
      assert.equal(await find("network-acl-id", [acl.NetworkAclId!]), 1);
      const byId = await h.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl.NetworkAclId!] }));
      assert.equal(byId.NetworkAcls?.[0]?.VpcId, vpcId);
      await expectError(
        h.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ["acl-0123456789abcdef0"] })),
        "InvalidNetworkAclID.NotFound",
        "The networkAcl ID 'acl-0123456789abcdef0' does not exist",
      );
      await expectError(
        h.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ["nacl-1"] })),
        "InvalidNetworkAclId.Malformed",
        'Invalid id: "nacl-1" (expecting "acl-...")',
      );
      await expectError(
        h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "entry.bogus", Values: ["x"] }] })),
        "InvalidParameterValue",
        "The filter 'entry.bogus' is invalid",
      );
    });
  });
});
