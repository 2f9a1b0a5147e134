/**
 * NextToken stays right while records are created and deleted between pages (issue 19): for each keyset Describe, a
 * listing with MaxResults=5 answers every record that existed throughout exactly once, even when one it already
 * answered is deleted and a new one is created before the next page. An offset token would skip a record there.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateInternetGatewayCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { useHarness } from "./harness.js";

interface Kind {
  readonly name: string;
  /** Creates one record of the kind and answers its id. */
  create(ec2: EC2Client, vpcId: string, i: number): Promise<string>;
  remove(ec2: EC2Client, id: string): Promise<unknown>;
  /** One page of the kind's Describe (filtered to the test's VPC where the kind has one). */
  page(ec2: EC2Client, vpcId: string, token: string | undefined): Promise<{ ids: string[]; token: string | undefined }>;
}

const vpcFilter = (vpcId: string) => [{ Name: "vpc-id", Values: [vpcId] }];

const KINDS: readonly Kind[] = [
  {
    name: "DescribeVpcs",
    create: async (ec2, _vpc, i) => (await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${100 + i}.0.0/16` }))).Vpc!.VpcId!,
    remove: (ec2, id) => ec2.send(new DeleteVpcCommand({ VpcId: id })),
    page: async (ec2, _vpc, token) => {
      const r = await ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "cidr", Values: ["10.1*"] }], MaxResults: 5, NextToken: token }),
      );
      return { ids: r.Vpcs!.map((v) => v.VpcId!), token: r.NextToken };
    },
  },
  {
    name: "DescribeSubnets",
    create: async (ec2, vpcId, i) =>
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.90.${i}.0/24` }))).Subnet!.SubnetId!,
    remove: (ec2, id) => ec2.send(new DeleteSubnetCommand({ SubnetId: id })),
    page: async (ec2, vpcId, token) => {
      const r = await ec2.send(new DescribeSubnetsCommand({ Filters: vpcFilter(vpcId), MaxResults: 5, NextToken: token }));
      return { ids: r.Subnets!.map((s) => s.SubnetId!), token: r.NextToken };
    },
  },
  {
    name: "DescribeSecurityGroups",
    create: async (ec2, vpcId, i) =>
      (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `pg-${i}`, Description: "paging" }))).GroupId!,
    remove: (ec2, id) => ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })),
    page: async (ec2, vpcId, token) => {
      const r = await ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [...vpcFilter(vpcId), { Name: "description", Values: ["paging"] }],
          MaxResults: 5,
          NextToken: token,
        }),
      );
      return { ids: r.SecurityGroups!.map((g) => g.GroupId!), token: r.NextToken };
    },
  },
  {
    name: "DescribeRouteTables",
    create: async (ec2, vpcId) => (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!,
    remove: (ec2, id) => ec2.send(new DeleteRouteTableCommand({ RouteTableId: id })),
    page: async (ec2, vpcId, token) => {
      const r = await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: vpcFilter(vpcId),
          MaxResults: 5,
          NextToken: token,
        }),
      );
      return { ids: r.RouteTables!.map((t) => t.RouteTableId!), token: r.NextToken };
    },
  },
  {
    name: "DescribeInternetGateways",
    create: async (ec2) => (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!,
    remove: (ec2, id) => ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })),
    page: async (ec2, _vpc, token) => {
      const r = await ec2.send(new DescribeInternetGatewaysCommand({ MaxResults: 5, NextToken: token }));
      return { ids: r.InternetGateways!.map((g) => g.InternetGatewayId!), token: r.NextToken };
    },
  },
];

describe("NextToken while records come and go (issue 19)", () => {
  // Room for a dozen VPCs and gateways (AWS's defaults are 5 a Region).
  const h = useHarness({ quotas: { vpcsPerRegion: 50, internetGatewaysPerRegion: 50 } });

  for (const kind of KINDS) {
    it(`${kind.name}: nothing skipped or repeated when a record is deleted and another created between pages`, async () => {
      const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }))).Vpc!.VpcId!;
      const before = (await kind.page(h.ec2, vpcId, undefined)).ids.length;
      const made: string[] = [];
      for (let i = 0; i < 11; i++) made.push(await kind.create(h.ec2, vpcId, i));
      // Records of the kind that exist before the test's (the default VPC's gateway…) come first in creation order.
      const first = await kind.page(h.ec2, vpcId, undefined);
      assert.ok(first.token, "more than one page");
      const answered = first.ids.filter((id) => made.includes(id));
      assert.ok(answered.length >= 2, `${kind.name}: the first page holds at least two of the new records`);
      await kind.remove(h.ec2, answered[0]!);
      const added = await kind.create(h.ec2, vpcId, 11);
      const rest: string[] = [];
      for (let token: string | undefined = first.token; token !== undefined;) {
        const p = await kind.page(h.ec2, vpcId, token);
        rest.push(...p.ids);
        token = p.token;
      }
      const all = [...first.ids, ...rest].filter((id) => made.includes(id) || id === added);
      assert.deepEqual(all, [...made, added], `${kind.name} (${before} older records)`);
    });
  }
});
