/** Security groups and their rules through the real SDK. */
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type EC2Client,
  type IpPermission,
} from "@aws-sdk/client-ec2";
import { expectError, expectErrorNoChange, startHarness, type Harness } from "./harness.js";

const tcp = (port: number, cidr: string): IpPermission => ({
  IpProtocol: "tcp",
  FromPort: port,
  ToPort: port,
  IpRanges: [{ CidrIp: cidr }],
});

describe("security groups", () => {
  let h: Harness;
  let vpcId: string;
  let defaultVpcId: string;
  before(async () => {
    h = await startHarness({ quotas: { rulesPerSecurityGroup: 4, securityGroupsPerVpc: 5 } });
  });
  after(async () => h.close());
  beforeEach(async () => {
    await h.vpc.reset();
    vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }))).Vpc!.VpcId!;
    const d = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
    defaultVpcId = d.Vpcs![0]!.VpcId!;
  });

  /** `null` leaves VpcId out (the default VPC). */
  const create = async (name: string, vpc: string | null = vpcId, client: EC2Client = h.ec2): Promise<string> =>
    (await client.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group`, VpcId: vpc ?? undefined })))
      .GroupId!;
  const describeOne = async (groupId: string) =>
    (await h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;

  describe("default security group", () => {
    it("the default VPC's default group allows ingress from itself and all egress", async () => {
      const r = await h.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: "vpc-id", Values: [defaultVpcId] },
            { Name: "group-name", Values: ["default"] },
          ],
        }),
      );
      assert.equal(r.SecurityGroups?.length, 1);
      const g = r.SecurityGroups[0]!;
      assert.match(g.GroupId!, /^sg-[0-9a-f]{17}$/);
      assert.equal(g.Description, "default VPC security group");
      assert.equal(g.OwnerId, "000000000000");
      assert.equal(g.SecurityGroupArn, `arn:aws:ec2:us-east-1:000000000000:security-group/${g.GroupId}`);
      assert.deepEqual(g.IpPermissions, [
        {
          IpProtocol: "-1",
          UserIdGroupPairs: [{ GroupId: g.GroupId, UserId: "000000000000" }],
          IpRanges: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
        },
      ]);
      assert.deepEqual(g.IpPermissionsEgress, [
        { IpProtocol: "-1", UserIdGroupPairs: [], IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [] },
      ]);
    });

    it("GroupName addresses the default VPC's groups", async () => {
      const r = await h.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }));
      assert.equal(r.SecurityGroups?.length, 1);
      assert.equal(r.SecurityGroups[0]!.VpcId, defaultVpcId);
    });

    it("the default group cannot be deleted", async () => {
      const g = (await h.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] })))
        .SecurityGroups![0]!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })),
        "CannotDelete",
        `the specified group: "${g.GroupId}" name: "default" cannot be deleted by a user`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupName: "default" })),
        "CannotDelete",
        /name: "default" cannot be deleted by a user$/,
      );
    });
  });

  describe("CreateSecurityGroup", () => {
    it("creates a group with the allow-all egress rule, tags and an ARN", async () => {
      const r = await h.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: "web",
          Description: "web servers",
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: "security-group", Tags: [{ Key: "team", Value: "blue" }] }],
        }),
      );
      assert.match(r.GroupId!, /^sg-[0-9a-f]{17}$/);
      assert.equal(r.SecurityGroupArn, `arn:aws:ec2:us-east-1:000000000000:security-group/${r.GroupId}`);
      assert.deepEqual(r.Tags, [{ Key: "team", Value: "blue" }]);
      const g = await describeOne(r.GroupId!);
      assert.equal(g.GroupName, "web");
      assert.equal(g.Description, "web servers");
      assert.equal(g.VpcId, vpcId);
      assert.deepEqual(g.IpPermissions, []);
      assert.deepEqual(g.IpPermissionsEgress, [
        { IpProtocol: "-1", UserIdGroupPairs: [], IpRanges: [{ CidrIp: "0.0.0.0/0" }], Ipv6Ranges: [], PrefixListIds: [] },
      ]);
      assert.deepEqual(g.Tags, [{ Key: "team", Value: "blue" }]);
    });

    it("without VpcId creates the group in the default VPC", async () => {
      const id = await create("in-default", null);
      assert.equal((await describeOne(id)).VpcId, defaultVpcId);
    });

    it("rejects the reserved name, sg-* names, duplicates (case-insensitive), an unknown VPC and the quota", async () => {
      await create("web");
      await expectErrorNoChange(h, () => create("default"), "InvalidGroup.Reserved", "The security group 'default' is reserved");
      await expectErrorNoChange(
        h,
        () => create("sg-web"),
        "InvalidParameterValue",
        "Value (sg-web) for parameter GroupName is invalid. Group names may not be in the format sg-*.",
      );
      await expectErrorNoChange(
        h,
        () => create("WEB"),
        "InvalidGroup.Duplicate",
        `The security group 'WEB' already exists for VPC '${vpcId}'`,
      );
      await expectErrorNoChange(
        h,
        () => create("x", "vpc-0123456789abcdef0"),
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(h, () => create("x", "nope"), "InvalidVpcID.Malformed", 'Invalid id: "nope" (expecting "vpc-...")');
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateSecurityGroupCommand({
              GroupName: "t",
              Description: "d",
              VpcId: vpcId,
              TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "a", Value: "b" }] }],
            }),
          ),
        "InvalidParameterValue",
        "'vpc' is not a valid taggable resource type for this operation.",
      );
      // quota 5 per VPC: default + web + 3 more
      for (const n of ["a", "b", "c"]) await create(n);
      await expectErrorNoChange(
        h,
        () => create("d"),
        "SecurityGroupLimitExceeded",
        "The maximum number of security groups has been reached.",
      );
    });

    it("a non-default group blocks DeleteVpc", async () => {
      const id = await create("web");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
        "DependencyViolation",
        `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
      );
      await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
      await h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    });
  });

  describe("AuthorizeSecurityGroupIngress / Egress", () => {
    it("adds one sgr- rule per peer and DescribeSecurityGroups groups them by (protocol, from, to)", async () => {
      const web = await create("web");
      const lb = await create("lb");
      const r = await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: web,
          IpPermissions: [
            {
              IpProtocol: "tcp",
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "office" }, { CidrIp: "100.68.0.18/18" }],
            },
            { IpProtocol: "6", FromPort: 80, ToPort: 80, Ipv6Ranges: [{ CidrIpv6: "::/0" }] },
            { IpProtocol: "tcp", FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: lb }] },
          ],
        }),
      );
      assert.equal(r.Return, true);
      assert.equal(r.SecurityGroupRules?.length, 4);
      for (const rule of r.SecurityGroupRules) {
        assert.match(rule.SecurityGroupRuleId!, /^sgr-[0-9a-f]{17}$/);
        assert.equal(rule.GroupId, web);
        assert.equal(rule.GroupOwnerId, "000000000000");
        assert.equal(rule.IsEgress, false);
        assert.equal(rule.IpProtocol, "tcp");
      }
      assert.equal(r.SecurityGroupRules[1]!.CidrIpv4, "100.68.0.0/18", "CIDRs are canonicalised");
      assert.deepEqual(r.SecurityGroupRules[3]!.ReferencedGroupInfo, { GroupId: lb, UserId: "000000000000" });
      const g = await describeOne(web);
      assert.deepEqual(g.IpPermissions, [
        {
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          UserIdGroupPairs: [{ GroupId: lb, UserId: "000000000000" }],
          IpRanges: [{ CidrIp: "10.0.0.0/8", Description: "office" }, { CidrIp: "100.68.0.0/18" }],
          Ipv6Ranges: [],
          PrefixListIds: [],
        },
        {
          IpProtocol: "tcp",
          FromPort: 80,
          ToPort: 80,
          UserIdGroupPairs: [],
          IpRanges: [],
          Ipv6Ranges: [{ CidrIpv6: "::/0" }],
          PrefixListIds: [],
        },
      ]);
    });

    it("egress rules, ICMP and numbered protocols", async () => {
      const web = await create("web");
      const r = await h.ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: web,
          IpPermissions: [
            { IpProtocol: "icmp", FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
            { IpProtocol: "47", IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
            { IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: "pl-63a5400a" }] },
          ],
        }),
      );
      assert.deepEqual(
        r.SecurityGroupRules!.map((x) => [x.IsEgress, x.IpProtocol, x.FromPort, x.ToPort, x.CidrIpv4 ?? x.PrefixListId]),
        [
          [true, "icmp", 8, -1, "10.0.0.0/8"],
          [true, "47", -1, -1, "10.0.0.0/8"],
          [true, "tcp", 443, 443, "pl-63a5400a"],
        ],
      );
      const g = await describeOne(web);
      assert.deepEqual(
        g.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort]),
        [
          ["-1", undefined, undefined],
          ["icmp", 8, -1],
          ["47", undefined, undefined],
          ["tcp", 443, 443],
        ],
      );
    });

    it("the legacy flat ingress parameters", async () => {
      const web = await create("web", defaultVpcId);
      const src = await create("src", defaultVpcId);
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: "0.0.0.0/0" }),
      );
      // A source group by name grants full TCP, UDP and ICMP (model doc).
      const r = await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: "web", SourceSecurityGroupName: "src" }));
      assert.deepEqual(
        r.SecurityGroupRules!.map((x) => [x.IpProtocol, x.FromPort, x.ToPort, x.ReferencedGroupInfo?.GroupId]),
        [
          ["tcp", 0, 65535, src],
          ["udp", 0, 65535, src],
          ["icmp", -1, -1, src],
        ],
      );
      assert.equal((await describeOne(web)).IpPermissions?.length, 4);
    });

    it("InvalidPermission.Duplicate names the existing rule", async () => {
      const web = await create("web");
      await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "100.68.0.0/18")] }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "100.68.0.18/18")] })),
        "InvalidPermission.Duplicate",
        'the specified rule "peer: 100.68.0.0/18, TCP, from port: 22, to port: 22, ALLOW" already exists',
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AuthorizeSecurityGroupEgressCommand({
              GroupId: web,
              IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
            }),
          ),
        "InvalidPermission.Duplicate",
        'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists',
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(80, "10.0.0.0/8"), tcp(80, "10.0.0.0/8")] }),
          ),
        "InvalidParameterValue",
        "The same permission must not appear multiple times",
      );
    });

    it("validates protocols, ports, CIDRs, sources and referenced groups", async () => {
      const web = await create("web");
      const cases: [IpPermission, string, string][] = [
        [
          { IpProtocol: "tcp", IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          "InvalidParameterValue",
          "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.",
        ],
        [
          { IpProtocol: "icmp", IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          "InvalidParameterValue",
          "Invalid value 'Must specify both from and to ports with ICMP.' for portRange.",
        ],
        [
          { IpProtocol: "tcp", ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          "InvalidPermission.Malformed",
          "TCP/UDP port (-1) out of range",
        ],
        [
          { IpProtocol: "udp", FromPort: 1, ToPort: 70000, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          "InvalidPermission.Malformed",
          "TCP/UDP port (70000) out of range",
        ],
        [
          { IpProtocol: "all", IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
          "InvalidParameterValue",
          "Invalid value 'all' for IP protocol. Unknown protocol.",
        ],
        [
          { IpProtocol: "tcp", FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: "10.0.0.0/33" }] },
          "InvalidParameterValue",
          "CIDR block 10.0.0.0/33 is malformed",
        ],
        [
          { IpProtocol: "tcp", FromPort: 1, ToPort: 1 },
          "MissingParameter",
          "Missing source specification: include source security group or CIDR information",
        ],
        [
          { IpProtocol: "tcp", FromPort: 1, ToPort: 1, UserIdGroupPairs: [{ GroupId: "sg-0123456789abcdef0" }] },
          "InvalidGroup.NotFound",
          "The security group 'sg-0123456789abcdef0' does not exist",
        ],
      ];
      for (const [perm, code, message] of cases) {
        await expectErrorNoChange(
          h,
          () => h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [perm] })),
          code,
          message,
        );
      }
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: "sg-0123456789abcdef0", IpPermissions: [tcp(1, "10.0.0.0/8")] })),
        "InvalidGroup.NotFound",
        "The security group 'sg-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: "web", IpPermissions: [tcp(1, "10.0.0.0/8")] })),
        "InvalidGroupId.Malformed",
        'Invalid id: "web" (expecting "sg-...")',
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: "web", IpPermissions: [tcp(1, "10.0.0.0/8")] })),
        "InvalidGroup.NotFound",
        `The security group 'web' does not exist in default VPC '${defaultVpcId}'`,
      );
    });

    it("RulesPerSecurityGroupLimitExceeded per direction", async () => {
      const web = await create("web");
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: web,
          IpPermissions: [tcp(1, "10.0.0.0/8"), tcp(2, "10.0.0.0/8"), tcp(3, "10.0.0.0/8")],
        }),
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(4, "10.0.0.0/8"), tcp(5, "10.0.0.0/8")] }),
          ),
        "RulesPerSecurityGroupLimitExceeded",
        "The maximum number of rules per security group has been reached.",
      );
      await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(4, "10.0.0.0/8")] }));
      // Egress has its own budget (1 default rule + 3).
      await h.ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: web,
          IpPermissions: [tcp(1, "10.0.0.0/8"), tcp(2, "10.0.0.0/8"), tcp(3, "10.0.0.0/8")],
        }),
      );
    });
  });

  describe("RevokeSecurityGroupIngress / Egress", () => {
    it("revokes by permission and by rule id", async () => {
      const web = await create("web");
      const added = await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.0.0.0/8"), tcp(80, "10.0.0.0/8")] }),
      );
      const r = await h.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.1.0.0/8")] }));
      assert.equal(r.Return, true);
      assert.equal(r.UnknownIpPermissions, undefined);
      assert.deepEqual(
        r.RevokedSecurityGroupRules?.map((x) => x.SecurityGroupRuleId),
        [added.SecurityGroupRules![0]!.SecurityGroupRuleId],
      );
      await h.ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: web, SecurityGroupRuleIds: [added.SecurityGroupRules![1]!.SecurityGroupRuleId!] }),
      );
      assert.deepEqual((await describeOne(web)).IpPermissions, []);
      const egressRule = (await h.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [web] }] })))
        .SecurityGroupRules![0]!;
      await h.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: web, SecurityGroupRuleIds: [egressRule.SecurityGroupRuleId!] }));
      assert.deepEqual((await describeOne(web)).IpPermissionsEgress, []);
    });

    it("a rule that does not exist is InvalidPermission.NotFound", async () => {
      const web = await create("web");
      await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.0.0.0/8")] }));
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new RevokeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.0.0.0/8"), tcp(23, "10.0.0.0/8")] }),
          ),
        "InvalidPermission.NotFound",
        "The specified rule does not exist in this security group.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.0.0.0/8")] })),
        "InvalidPermission.NotFound",
        "The specified rule does not exist in this security group.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: web, SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] })),
        "InvalidSecurityGroupRuleId.NotFound",
        "The security group rule ID 'sgr-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: web, SecurityGroupRuleIds: ["rule-1"] })),
        "InvalidSecurityGroupRuleId.Malformed",
        'Invalid id: "rule-1" (expecting "sgr-...")',
      );
    });

    it("in the default VPC an unmatched permission is reported in UnknownIpPermissions (model doc)", async () => {
      const web = await create("web", defaultVpcId);
      await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.0.0.0/8")] }));
      const r = await h.ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [tcp(22, "10.0.0.0/8"), tcp(23, "10.0.0.0/8")] }),
      );
      assert.equal(r.Return, true);
      assert.deepEqual(r.UnknownIpPermissions, [
        {
          IpProtocol: "tcp",
          FromPort: 23,
          ToPort: 23,
          UserIdGroupPairs: [],
          IpRanges: [{ CidrIp: "10.0.0.0/8" }],
          Ipv6Ranges: [],
          PrefixListIds: [],
        },
      ]);
      assert.deepEqual((await describeOne(web)).IpPermissions, []);
    });
  });

  describe("DeleteSecurityGroup", () => {
    it("deletes by id and by name (default VPC) and answers Return + GroupId", async () => {
      const web = await create("web");
      const r = await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: web }));
      assert.equal(r.Return, true);
      assert.equal(r.GroupId, web);
      await expectError(
        h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [web] })),
        "InvalidGroup.NotFound",
        `The security group '${web}' does not exist`,
      );
      const byName = await create("byname", defaultVpcId);
      assert.equal((await h.ec2.send(new DeleteSecurityGroupCommand({ GroupName: "byname" }))).GroupId, byName);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupName: "byname" })),
        "InvalidGroup.NotFound",
        `The security group 'byname' does not exist in default VPC '${defaultVpcId}'`,
      );
    });

    it("DependencyViolation while a network interface uses it", async () => {
      const web = await create("web");
      const subnet = (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.20.1.0/24" }))).Subnet!.SubnetId!;
      const run = await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnet,
          SecurityGroupIds: [web],
        }),
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: web })),
        "DependencyViolation",
        `resource ${web} has a dependent object`,
      );
      assert.ok(run.Instances?.[0]?.InstanceId);
    });

    it("DependencyViolation while another group's rule references it; a self-reference does not block", async () => {
      const web = await create("web");
      const app = await create("app");
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: app,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: web }] }],
        }),
      );
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: web,
          IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: web }] }],
        }),
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: web })),
        "DependencyViolation",
        `resource ${web} has a dependent object`,
      );
      await h.ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: app,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: web }] }],
        }),
      );
      await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: web }));
    });
  });

  describe("DescribeSecurityGroups", () => {
    it("filters on rule fields, names, tags and pages", async () => {
      const web = await create("web");
      const app = await create("app");
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: app,
          IpPermissions: [
            tcp(5432, "10.20.0.0/16"),
            { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: web }] },
          ],
        }),
      );
      const find = async (name: string, values: string[]) =>
        (
          await h.ec2.send(
            new DescribeSecurityGroupsCommand({
              Filters: [
                { Name: "vpc-id", Values: [vpcId] },
                { Name: name, Values: values },
              ],
            }),
          )
        ).SecurityGroups!.map((g) => g.GroupName);
      assert.deepEqual(await find("ip-permission.cidr", ["10.20.*"]), ["app"]);
      assert.deepEqual(await find("ip-permission.from-port", ["5432"]), ["app"]);
      assert.deepEqual(await find("ip-permission.group-id", [web]), ["app"]);
      assert.deepEqual(await find("ip-permission.group-name", ["web"]), ["app"]);
      assert.deepEqual(await find("ip-permission.protocol", ["-1"]), ["default"]);
      assert.deepEqual(await find("ip-permission.user-id", ["000000000000"]), ["default", "app"]);
      assert.deepEqual(await find("egress.ip-permission.cidr", ["0.0.0.0/0"]), ["default", "web", "app"]);
      assert.deepEqual(await find("egress.ip-permission.protocol", ["tcp"]), []);
      assert.deepEqual(await find("description", ["web group"]), ["web"]);
      assert.deepEqual(await find("group-id", [app]), ["app"]);
      assert.deepEqual(await find("owner-id", ["000000000000"]), ["default", "web", "app"]);
      await expectError(
        h.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })),
        "InvalidParameterValue",
        "The filter 'bogus' is invalid",
      );
      await expectError(
        h.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["web"] })),
        "InvalidGroup.NotFound",
        `The security group 'web' does not exist in default VPC '${defaultVpcId}'`,
      );
      await expectError(
        h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-x"] })),
        "InvalidGroupId.Malformed",
        'Invalid id: "sg-x" (expecting "sg-...")',
      );
      // pagination: default VPC group + 4 created ones in the default VPC + 3 in vpcId = 8 groups
      for (const n of ["p1", "p2", "p3", "p4"]) await create(n, defaultVpcId);
      const p1 = await h.ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5 }));
      assert.equal(p1.SecurityGroups?.length, 5);
      const p2 = await h.ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken: p1.NextToken }));
      assert.equal(p2.SecurityGroups?.length, 3);
      assert.equal(p2.NextToken, undefined);
    });
  });

  describe("DescribeSecurityGroupRules", () => {
    it("by id, by group, by rule tag, with pagination", async () => {
      const web = await create("web");
      const added = await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: web,
          IpPermissions: [tcp(22, "10.0.0.0/8"), tcp(80, "10.0.0.0/8")],
          TagSpecifications: [{ ResourceType: "security-group-rule", Tags: [{ Key: "purpose", Value: "ssh" }] }],
        }),
      );
      assert.deepEqual(added.SecurityGroupRules![0]!.Tags, [{ Key: "purpose", Value: "ssh" }]);
      const id = added.SecurityGroupRules![0]!.SecurityGroupRuleId!;
      const one = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }));
      assert.deepEqual(one.SecurityGroupRules?.[0], {
        SecurityGroupRuleId: id,
        GroupId: web,
        GroupOwnerId: "000000000000",
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: "10.0.0.0/8",
        Tags: [{ Key: "purpose", Value: "ssh" }],
        SecurityGroupRuleArn: `arn:aws:ec2:us-east-1:000000000000:security-group-rule/${id}`,
      });
      const byGroup = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [web] }] }));
      assert.deepEqual(
        byGroup.SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort]),
        [
          [true, "-1", -1, -1],
          [false, "tcp", 22, 22],
          [false, "tcp", 80, 80],
        ],
      );
      const tagged = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "tag:purpose", Values: ["ssh"] }] }));
      assert.equal(tagged.SecurityGroupRules?.length, 2);
      await expectError(
        h.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] })),
        "InvalidSecurityGroupRuleId.NotFound",
        "The security group rule ID 'sgr-0123456789abcdef0' does not exist",
      );
      const p1 = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 5 }));
      assert.equal(p1.SecurityGroupRules?.length, 5);
      const p2 = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 5, NextToken: p1.NextToken }));
      assert.equal(p2.SecurityGroupRules?.length, 2, "2 default-VPC + 2 vpc default-group + 3 web rules");
    });
  });
});
