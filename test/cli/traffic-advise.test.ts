/**
 * `localvpc traffic advise` (issue 5): security-group rules that can never match, through the AWS CLI (state) and the
 * localvpc CLI (human lines and `--json`). A fresh account's default VPC has no advisories, so the answer is exactly
 * what this test built.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { localvpcCli } from "./failover-story.js";

interface Advisory {
  code: string;
  resource: string;
  ruleId?: string;
  message: string;
}

describe("localvpc traffic advise: security-group rules that can never match", () => {
  let cli: AwsCli;
  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());

  const localvpc = localvpcCli(() => cli, "123456789012");

  it("names the redundant, IPv6-only and no-subnet rules of a group, in text and JSON", async () => {
    const { aws } = cli;
    assert.equal((await localvpc("traffic", "advise")).trim(), "No advisories.");
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", "10.41.0.0/16");
    await aws("create-subnet", "--vpc-id", Vpc.VpcId, "--cidr-block", "10.41.1.0/24", "--availability-zone", "us-east-1a");
    const { GroupId } = await aws<{ GroupId: string }>(
      "create-security-group",
      "--group-name",
      "app",
      "--description",
      "app",
      "--vpc-id",
      Vpc.VpcId,
    );
    const ingress = async (perm: string) =>
      (
        await aws<{ SecurityGroupRules: { SecurityGroupRuleId: string }[] }>(
          "authorize-security-group-ingress",
          "--group-id",
          GroupId,
          "--ip-permissions",
          perm,
        )
      ).SecurityGroupRules[0]!.SecurityGroupRuleId;
    await ingress("IpProtocol=tcp,FromPort=0,ToPort=65535,IpRanges=[{CidrIp=10.41.0.0/16}]");
    const redundant = await ingress("IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.41.1.0/24}]");
    const noSubnet = await ingress("IpProtocol=udp,FromPort=53,ToPort=53,IpRanges=[{CidrIp=10.41.200.0/24}]");
    const ipv6 = await ingress("IpProtocol=tcp,FromPort=22,ToPort=22,Ipv6Ranges=[{CidrIpv6=::/0}]");

    const json = JSON.parse(await localvpc("traffic", "advise", "--json")) as { advisories: Advisory[] };
    assert.deepEqual(
      json.advisories.map((a) => [a.code, a.resource, a.ruleId]).sort(),
      [
        ["SG_RULE_IPV6_WITHOUT_VPC_IPV6", GroupId, ipv6],
        ["SG_RULE_REDUNDANT", GroupId, redundant],
        ["SG_RULE_SOURCE_IN_NO_SUBNET", GroupId, noSubnet],
      ].sort(),
    );
    const byCode = new Map(json.advisories.map((a) => [a.code, a.message]));
    assert.match(
      byCode.get("SG_RULE_REDUNDANT")!,
      /\(tcp 443 from 10\.41\.1\.0\/24\) never decides anything: rule sgr-\w+ \(tcp 0-65535 from 10\.41\.0\.0\/16\)/,
    );
    assert.match(
      byCode.get("SG_RULE_SOURCE_IN_NO_SUBNET")!,
      /10\.41\.200\.0\/24 is inside vpc-\w+'s private range but in none of its subnets/,
    );

    const text = await localvpc("traffic", "advise");
    assert.ok(text.includes(`SG_RULE_REDUNDANT ${GroupId}: Inbound rule ${redundant} of ${GroupId}`), text);
    assert.equal(text.trim().split("\n").length, 3, text);

    // A subnet where the no-subnet rule's source lies: that advisory goes away (it "may match later").
    await aws("create-subnet", "--vpc-id", Vpc.VpcId, "--cidr-block", "10.41.200.0/24", "--availability-zone", "us-east-1a");
    const after = JSON.parse(await localvpc("traffic", "advise", "--json")) as { advisories: Advisory[] };
    assert.deepEqual(after.advisories.map((a) => a.code).sort(), ["SG_RULE_IPV6_WITHOUT_VPC_IPV6", "SG_RULE_REDUNDANT"]);
  });
});
