/**
 * Issue 15, "Differences from AWS found so far": each fixed difference, asserted for code, exact message and
 * unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVolumesCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("differences from AWS (issue 15)", () => {
  const h = useHarness();

  it("a security group in a VPC with IPv6 also gets the ::/0 egress rule; without IPv6 only 0.0.0.0/0", async () => {
    const v6 = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.71.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!;
    const v4 = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.72.0.0/16" }))).Vpc!;
    const rulesOf = async (vpcId: string): Promise<string[]> => {
      const g = await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpcId }));
      const r = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [g.GroupId!] }] }));
      return r.SecurityGroupRules!.map((x) => `${String(x.IsEgress)} ${x.IpProtocol} ${x.CidrIpv4 ?? x.CidrIpv6}`).sort();
    };
    assert.deepEqual(await rulesOf(v6.VpcId!), ["true -1 0.0.0.0/0", "true -1 ::/0"]);
    assert.deepEqual(await rulesOf(v4.VpcId!), ["true -1 0.0.0.0/0"]);
  });

  it("CreateSecurityGroup with an empty description is MissingParameter", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "x", Description: "" })),
      "MissingParameter",
      "The request must contain the parameter GroupDescription",
    );
  });

  it("a malformed group-id filter value in DescribeSecurityGroupRules is InvalidGroupId.Malformed", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: ["nope"] }] })),
      "InvalidGroupId.Malformed",
      'Invalid id: "nope" (expecting "sg-...")',
    );
  });

  it("ids with MaxResults name the wire list", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"], MaxResults: 5 })),
      "InvalidParameterCombination",
      "The parameter instancesSet cannot be used with the parameter maxResults",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ["vol-0123456789abcdef0"], MaxResults: 5 })),
      "InvalidParameterCombination",
      "The parameter volumeSet cannot be used with the parameter maxResults",
    );
  });
});
