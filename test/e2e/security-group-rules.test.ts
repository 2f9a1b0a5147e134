/** ModifySecurityGroupRules and UpdateSecurityGroupRuleDescriptionsIngress/Egress through the real SDK. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  ModifySecurityGroupRulesCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("security-group rule edits", () => {
  const h = useHarness();
  let groupId: string;
  let otherGroupId: string;
  let sshRule: string;
  let httpsRule: string;
  beforeEach(async () => {
    const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.68.0.0/16" }))).Vpc!.VpcId!;
    groupId = (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "edits", Description: "d" }))).GroupId!;
    otherGroupId = (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "other", Description: "d" }))).GroupId!;
    const r = await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "ssh" }] },
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    [sshRule, httpsRule] = r.SecurityGroupRules!.map((x) => x.SecurityGroupRuleId!) as [string, string];
  });
  const rule = async (id: string) =>
    (await h.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }))).SecurityGroupRules![0]!;

  it("ModifySecurityGroupRules replaces a rule in place (same id)", async () => {
    const r = await h.ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: groupId,
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: sshRule,
            SecurityGroupRule: { IpProtocol: "tcp", FromPort: 2222, ToPort: 2222, ReferencedGroupId: otherGroupId, Description: "bastion" },
          },
        ],
      }),
    );
    assert.equal(r.Return, true);
    const got = await rule(sshRule);
    assert.equal(got.FromPort, 2222);
    assert.equal(got.CidrIpv4, undefined);
    assert.equal(got.ReferencedGroupInfo?.GroupId, otherGroupId);
    assert.equal(got.Description, "bastion");
    assert.equal(got.IsEgress, false);
  });

  it("ModifySecurityGroupRules refuses a duplicate, a foreign rule, two peers, a bad port, and changes nothing", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { SecurityGroupRuleId: sshRule, SecurityGroupRule: { IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIpv4: "0.0.0.0/0" } },
        "InvalidPermission.Duplicate",
        'the specified rule "peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW" already exists',
      ],
      [
        {
          SecurityGroupRuleId: "sgr-0123456789abcdef0",
          SecurityGroupRule: { IpProtocol: "tcp", FromPort: 1, ToPort: 1, CidrIpv4: "1.0.0.0/8" },
        },
        "InvalidSecurityGroupRuleId.NotFound",
        "The security group rule ID 'sgr-0123456789abcdef0' does not exist",
      ],
      [
        {
          SecurityGroupRuleId: sshRule,
          SecurityGroupRule: { IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIpv4: "10.0.0.0/8", CidrIpv6: "::/0" },
        },
        "InvalidParameterCombination",
        "A security group rule must specify exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId.",
      ],
      [
        { SecurityGroupRuleId: sshRule, SecurityGroupRule: { IpProtocol: "tcp", FromPort: 22, ToPort: 70000, CidrIpv4: "10.0.0.0/8" } },
        "InvalidPermission.Malformed",
        "TCP/UDP port (70000) out of range",
      ],
      [
        { SecurityGroupRuleId: sshRule },
        "MissingParameter",
        `The request must contain the parameter SecurityGroupRule for rule '${sshRule}'`,
      ],
    ];
    for (const [update, code, message] of cases) {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifySecurityGroupRulesCommand({ GroupId: groupId, SecurityGroupRules: [update as never] })),
        code,
        message,
      );
    }
    // A rule of another group is not this group's.
    const foreign = await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: otherGroupId,
        IpPermissions: [{ IpProtocol: "udp", FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
      }),
    );
    const foreignId = foreign.SecurityGroupRules![0]!.SecurityGroupRuleId!;
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new ModifySecurityGroupRulesCommand({
            GroupId: groupId,
            SecurityGroupRules: [
              {
                SecurityGroupRuleId: foreignId,
                SecurityGroupRule: { IpProtocol: "udp", FromPort: 53, ToPort: 53, CidrIpv4: "10.0.0.0/8" },
              },
            ],
          }),
        ),
      "InvalidSecurityGroupRuleId.NotFound",
      `The security group rule ID '${foreignId}' does not exist`,
    );
  });

  it("UpdateSecurityGroupRuleDescriptionsIngress by rule id (omitting the description removes it) and by permission", async () => {
    await h.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId: groupId,
        SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: httpsRule, Description: "web" }, { SecurityGroupRuleId: sshRule }],
      }),
    );
    assert.equal((await rule(httpsRule)).Description, "web");
    assert.equal((await rule(sshRule)).Description, undefined);
    await h.ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "ssh again" }] }],
      }),
    );
    assert.equal((await rule(sshRule)).Description, "ssh again");
  });

  it("UpdateSecurityGroupRuleDescriptions* errors change nothing", async () => {
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new UpdateSecurityGroupRuleDescriptionsIngressCommand({
            GroupId: groupId,
            IpPermissions: [{ IpProtocol: "tcp", FromPort: 23, ToPort: 23, IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "x" }] }],
          }),
        ),
      "InvalidPermission.NotFound",
      "The specified rule does not exist in this security group.",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new UpdateSecurityGroupRuleDescriptionsEgressCommand({
            GroupId: groupId,
            SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: sshRule, Description: "x" }],
          }),
        ),
      "InvalidSecurityGroupRuleId.NotFound",
      `The security group rule ID '${sshRule}' does not exist`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: groupId })),
      "MissingParameter",
      "The request must contain the parameter ipPermissions or securityGroupRuleDescriptions",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new UpdateSecurityGroupRuleDescriptionsIngressCommand({
            GroupId: groupId,
            SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: sshRule, Description: "x" }],
            IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
          }),
        ),
      "InvalidParameterCombination",
      "The parameter ipPermissions cannot be used with the parameter securityGroupRuleDescriptions",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new UpdateSecurityGroupRuleDescriptionsIngressCommand({
            GroupId: groupId,
            SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: sshRule, Description: "caf\u00e9" }],
          }),
        ),
      "InvalidParameterValue",
      "Value (caf\u00e9) for parameter Description is invalid. Character sets beyond ASCII are not supported.",
    );
  });
});
