/**
 * What infrastructure-as-code tools send that the API reference does not document (issue 20): the filter aliases
 * AWS accepts (src/domain/filter-aliases.ts, one test per alias), the retired ClassicLink calls answered with AWS's
 * exact text (Ansible's ec2_vpc_net matches it), and DescribeTags' resource-type names, one per taggable kind.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  type Filter,
} from "@aws-sdk/client-ec2";
import { FILTER_ALIASES } from "../../src/domain/filter-aliases.js";
import { AWS_RESOURCE_TYPE } from "../../src/domain/tags.js";
import { ec2Model } from "../../src/protocol/model/index.js";
import { createNetwork, expectErrorNoChange, rawQuery, useHarness } from "./harness.js";

const h = useHarness();

describe("filter aliases AWS accepts undocumented", () => {
  /** A value of each documented filter that selects the test's VPC or subnet. */
  const valueOf: Record<string, Record<string, string>> = {
    DescribeVpcs: { cidr: "10.20.0.0/16", "is-default": "false" },
    DescribeSubnets: {
      "availability-zone": "us-east-1a",
      "availability-zone-id": "use1-az2",
      "cidr-block": "10.20.1.0/24",
      "default-for-az": "false",
    },
  };

  const ids = async (action: string, filters: Filter[]): Promise<string[]> => {
    if (action === "DescribeVpcs")
      return ((await h.ec2.send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs ?? []).map((v) => v.VpcId!).sort();
    return ((await h.ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets ?? []).map((s) => s.SubnetId!).sort();
  };

  for (const [action, aliases] of Object.entries(FILTER_ALIASES)) {
    for (const [alias, { canonical, seenIn }] of Object.entries(aliases)) {
      it(`${action} ${alias} means ${canonical} (${seenIn})`, async () => {
        const net = await createNetwork(h, "10.20.0.0/16", "10.20.1.0/24");
        const value = valueOf[action]?.[canonical];
        assert.ok(value !== undefined, `the test has no value for ${action} ${canonical}`);
        const expected = await ids(action, [{ Name: canonical, Values: [value] }]);
        const own = action === "DescribeVpcs" ? net.vpcId : net.subnetId;
        assert.ok(expected.includes(own), `${canonical}=${value} selects the test's resource`);
        assert.deepEqual(await ids(action, [{ Name: alias, Values: [value] }]), expected);
        // Combined with the documented name, as Ansible combines it with tag:Name.
        assert.deepEqual(
          await ids(action, [
            { Name: alias, Values: [value] },
            { Name: canonical, Values: [value] },
          ]),
          expected,
        );
      });
    }
  }

  it("a name that is neither documented nor a known alias is still AWS's unknown-filter error", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidrblock", Values: ["10.20.0.0/16"] }] })),
      "InvalidParameterValue",
      "The filter 'cidrblock' is invalid",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "availabilityzone", Values: ["us-east-1a"] }] })),
      "InvalidParameterValue",
      "The filter 'availabilityzone' is invalid",
    );
  });

  it("every alias names a filter the action really has", () => {
    const model = ec2Model();
    for (const [action, aliases] of Object.entries(FILTER_ALIASES)) {
      const documented = model.operations[action]?.filters ?? [];
      for (const [alias, { canonical }] of Object.entries(aliases)) {
        assert.ok(documented.includes(canonical), `${action}: ${alias} → ${canonical}, which the model does not document`);
        assert.ok(!documented.includes(alias), `${action}: ${alias} is documented, not an alias`);
      }
    }
  });
});

describe("retired ClassicLink calls", () => {
  const MESSAGE = "The functionality you requested is not available in this region.";
  const calls: Record<string, Record<string, string>> = {
    DescribeVpcClassicLink: {},
    DescribeVpcClassicLinkDnsSupport: {},
    DescribeClassicLinkInstances: {},
    EnableVpcClassicLink: { VpcId: "vpc-0123456789abcdef0" },
    DisableVpcClassicLink: { VpcId: "vpc-0123456789abcdef0" },
    EnableVpcClassicLinkDnsSupport: { VpcId: "vpc-0123456789abcdef0" },
    DisableVpcClassicLinkDnsSupport: { VpcId: "vpc-0123456789abcdef0" },
    AttachClassicLinkVpc: {
      VpcId: "vpc-0123456789abcdef0",
      InstanceId: "i-0123456789abcdef0",
      "SecurityGroupId.1": "sg-0123456789abcdef0",
    },
    DetachClassicLinkVpc: { VpcId: "vpc-0123456789abcdef0", InstanceId: "i-0123456789abcdef0" },
  };
  for (const [action, params] of Object.entries(calls)) {
    it(`${action} answers UnsupportedOperation "${MESSAGE}" and changes nothing`, async () => {
      const before = await h.state();
      const r = await rawQuery(h.vpc.url, { Action: action, Version: "2016-11-15", ...params });
      assert.equal(r.status, 400, r.body);
      assert.match(r.body, new RegExp(`<Code>UnsupportedOperation</Code><Message>${MESSAGE.replace(/\./g, "\\.")}</Message>`));
      assert.deepEqual(await h.state(), before);
    });
  }
});

describe("DescribeTags resource types", () => {
  it("names every taggable kind as AWS does (natgateway, vpc-flow-log …), and filters by those names", async () => {
    const net = await createNetwork(h, "10.30.0.0/16", "10.30.1.0/24");
    const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    const acl = (await h.ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
    const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "tags", Description: "tags" }))).GroupId!;
    const eni = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    const eip = (await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const eip2 = (await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const nat = (await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: eip2 }))).NatGateway!.NatGatewayId!;
    const instance = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: net.subnetId,
        }),
      )
    ).Instances![0]!.InstanceId!;
    const flowLog = (
      await h.ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: "VPC",
          ResourceIds: [net.vpcId],
          TrafficType: "ALL",
          LogGroupName: "tags",
          DeliverLogsPermissionArn: "arn:aws:iam::000000000000:role/flow-logs",
        }),
      )
    ).FlowLogIds![0]!;
    const expected: Record<string, string> = {
      [net.vpcId]: "vpc",
      [net.subnetId]: "subnet",
      [igw]: "internet-gateway",
      [rtb]: "route-table",
      [acl]: "network-acl",
      [sg]: "security-group",
      [eni]: "network-interface",
      [eip]: "elastic-ip",
      [nat]: "natgateway",
      [instance]: "instance",
      [flowLog]: "vpc-flow-log",
    };
    await h.ec2.send(new CreateTagsCommand({ Resources: Object.keys(expected), Tags: [{ Key: "suite", Value: "iac" }] }));
    const tags = (await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["suite"] }] }))).Tags ?? [];
    assert.deepEqual(Object.fromEntries(tags.map((t) => [t.ResourceId!, t.ResourceType!])), expected);
    // Ansible's ec2_vpc_nat_gateway looks its tags up this way.
    const natTags = (
      await h.ec2.send(
        new DescribeTagsCommand({
          Filters: [
            { Name: "resource-type", Values: ["natgateway"] },
            { Name: "resource-id", Values: [nat] },
          ],
        }),
      )
    ).Tags;
    assert.deepEqual(
      natTags?.map((t) => [t.ResourceId, t.ResourceType, t.Key]),
      [[nat, "natgateway", "suite"]],
    );
  });

  it("every resource-type name localvpc uses is one of the model's ResourceType values", () => {
    const allowed = ec2Model().shapes["ResourceType"]?.enum ?? [];
    assert.ok(allowed.length > 50);
    for (const [kind, name] of Object.entries(AWS_RESOURCE_TYPE)) assert.ok(allowed.includes(name), `${kind} → ${name}`);
    assert.ok(allowed.includes("ipv6pool-ec2"));
  });
});
