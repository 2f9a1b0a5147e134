/** CreateTags, DeleteTags, DescribeTags and TagSpecification rules (spec §1.9). */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("tags", () => {
  const h = useHarness();
  let vpcId: string;
  beforeEach(async () => {
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.80.0.0/16" }));
    vpcId = Vpc!.VpcId!;
  });

  describe("happy path", () => {
    it("CreateTags sets and overwrites, DescribeTags filters by resource, type, key and value", async () => {
      await h.ec2.send(
        new CreateTagsCommand({
          Resources: [vpcId],
          Tags: [
            { Key: "Name", Value: "a" },
            { Key: "env", Value: "dev" },
          ],
        }),
      );
      await h.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "Name", Value: "b" }] }));
      const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
      assert.deepEqual(Vpcs![0]!.Tags, [
        { Key: "Name", Value: "b" },
        { Key: "env", Value: "dev" },
      ]);
      const byKey = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["env"] }] }));
      assert.deepEqual(byKey.Tags, [{ Key: "env", ResourceId: vpcId, ResourceType: "vpc", Value: "dev" }]);
      const byType = await h.ec2.send(
        new DescribeTagsCommand({
          Filters: [
            { Name: "resource-type", Values: ["vpc"] },
            { Name: "value", Values: ["b"] },
          ],
        }),
      );
      assert.equal(byType.Tags?.length, 1);
      const byId = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [vpcId] }] }));
      assert.equal(byId.Tags?.length, 2);
    });

    it("DescribeTags tag:<key> selects the tags of resources carrying that tag (wildcards too), AND-ed with key", async () => {
      const other = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.81.0.0/16" }))).Vpc!.VpcId!;
      await h.ec2.send(
        new CreateTagsCommand({
          Resources: [vpcId],
          Tags: [
            { Key: "Owner", Value: "TeamA" },
            { Key: "env", Value: "dev" },
          ],
        }),
      );
      await h.ec2.send(new CreateTagsCommand({ Resources: [other], Tags: [{ Key: "Owner", Value: "TeamB" }] }));
      const byTag = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "tag:Owner", Values: ["TeamA"] }] }));
      assert.deepEqual(byTag.Tags, [
        { Key: "Owner", ResourceId: vpcId, ResourceType: "vpc", Value: "TeamA" },
        { Key: "env", ResourceId: vpcId, ResourceType: "vpc", Value: "dev" },
      ]);
      const wild = await h.ec2.send(
        new DescribeTagsCommand({
          Filters: [
            { Name: "tag:Owner", Values: ["Team*"] },
            { Name: "key", Values: ["Owner"] },
          ],
        }),
      );
      assert.deepEqual(
        wild.Tags?.map((t) => [t.ResourceId, t.Value]),
        [
          [vpcId, "TeamA"],
          [other, "TeamB"],
        ],
      );
    });

    it("DeleteTags: a key alone removes the tag; a key with another value keeps it; no tags removes all", async () => {
      await h.ec2.send(
        new CreateTagsCommand({
          Resources: [vpcId],
          Tags: [
            { Key: "a", Value: "1" },
            { Key: "b", Value: "2" },
            { Key: "c", Value: "3" },
          ],
        }),
      );
      await h.ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "a" }, { Key: "b", Value: "other" }] }));
      let tags = (await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.Tags;
      assert.deepEqual(
        tags?.map((t) => t.Key),
        ["b", "c"],
      );
      await h.ec2.send(new DeleteTagsCommand({ Resources: [vpcId] }));
      tags = (await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.Tags;
      assert.equal(tags, undefined);
    });

    it("tags security-group rules (sgr-), which live inside their group", async () => {
      const { SecurityGroupRules } = await h.ec2.send(new DescribeSecurityGroupRulesCommand({}));
      const ruleId = SecurityGroupRules![0]!.SecurityGroupRuleId!;
      await h.ec2.send(new CreateTagsCommand({ Resources: [ruleId], Tags: [{ Key: "purpose", Value: "egress" }] }));
      const { Tags } = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [ruleId] }] }));
      assert.deepEqual(Tags, [{ Key: "purpose", ResourceId: ruleId, ResourceType: "security-group-rule", Value: "egress" }]);
      const rules = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }));
      assert.deepEqual(rules.SecurityGroupRules![0]!.Tags, [{ Key: "purpose", Value: "egress" }]);
      await h.ec2.send(new DeleteTagsCommand({ Resources: [ruleId], Tags: [{ Key: "purpose" }] }));
      assert.equal((await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [ruleId] }] }))).Tags?.length, 0);
    });
  });

  describe("rules", () => {
    it("an id with an unknown prefix is InvalidID", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: ["foo-1234"], Tags: [{ Key: "a", Value: "b" }] })),
        "InvalidID",
        "The ID 'foo-1234' is not valid",
      );
    });

    it("a well-formed unknown id is the resource's NotFound, and nothing is tagged (all or nothing)", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: [vpcId, "vpc-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })),
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      );
    });

    it("keys starting with aws: are reserved", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "aws:owner", Value: "x" }] })),
        "InvalidTagKey.Malformed",
        "Value ( aws:owner ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use",
      );
    });

    it("more than 50 tags on one resource is TagLimitExceeded", async () => {
      const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: tags })),
        "TagLimitExceeded",
        "The maximum number of Tags for a resource has been reached.",
      );
    });

    it("a TagSpecification must name the resource type the action creates", async () => {
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateVpcCommand({
              CidrBlock: "10.81.0.0/16",
              TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }],
            }),
          ),
        "InvalidParameterValue",
        "'instance' is not a valid taggable resource type for this operation.",
      );
    });

    it("DryRun CreateTags tags nothing", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "a", Value: "b" }], DryRun: true })),
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
        412,
      );
    });
  });
});
