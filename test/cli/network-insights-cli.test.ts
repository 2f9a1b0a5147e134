/**
 * Reachability Analyzer through the AWS CLI (issue 21): `aws ec2 create-network-insights-path`,
 * `start-network-insights-analysis` and `describe-network-insights-analyses` read the same verdict `traffic send`
 * gives, for a delivered path and for each drop class (security group, network ACL, no route, no public address).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startLocalVpc, type LocalVpc } from "../../src/index.js";
import { awsCliAt } from "./aws-cli-harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("Reachability Analyzer through the AWS CLI", () => {
  let vpc: LocalVpc;
  before(async () => {
    vpc = await startLocalVpc({ port: 0 });
  });
  after(async () => vpc.close());

  const ec2 = <T = Record<string, unknown>>(...args: string[]): Promise<T> => awsCliAt(vpc.url)<T>("ec2", ...args);
  const send = async (from: string, to: string, port: number) => {
    const res = await fetch(`${vpc.url}/_localvpc/traffic/send?account=123456789012`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from, to, port, proto: "tcp", srcPort: 49152 }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { delivered: boolean; reason: string | null; reply?: { delivered: boolean; reason: string | null } };
  };
  const launch = async (subnet: string, extra: string[] = []): Promise<string> =>
    (
      await ec2<{ Instances: { InstanceId: string }[] }>(
        "run-instances",
        "--image-id",
        AMI,
        "--instance-type",
        "t3.micro",
        "--subnet-id",
        subnet,
        ...extra,
      )
    ).Instances[0]!.InstanceId;

  it("an analysis and traffic send give the same verdict, delivered and for each drop class", async () => {
    const vpcId = (await ec2<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", "10.91.0.0/16")).Vpc.VpcId;
    const subnet = async (cidr: string) =>
      (await ec2<{ Subnet: { SubnetId: string } }>("create-subnet", "--vpc-id", vpcId, "--cidr-block", cidr)).Subnet.SubnetId;
    const pub = await subnet("10.91.1.0/24");
    const priv = await subnet("10.91.2.0/24");
    const locked = await subnet("10.91.3.0/24");
    const igw = (await ec2<{ InternetGateway: { InternetGatewayId: string } }>("create-internet-gateway")).InternetGateway
      .InternetGatewayId;
    await ec2("attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpcId);
    const rtb = (await ec2<{ RouteTable: { RouteTableId: string } }>("create-route-table", "--vpc-id", vpcId)).RouteTable.RouteTableId;
    await ec2("create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw);
    await ec2("associate-route-table", "--route-table-id", rtb, "--subnet-id", pub);
    // A new network ACL denies everything: the locked subnet's.
    const acl = (await ec2<{ NetworkAcl: { NetworkAclId: string } }>("create-network-acl", "--vpc-id", vpcId)).NetworkAcl.NetworkAclId;
    const assoc = (
      await ec2<{ NetworkAcls: { Associations: { SubnetId: string; NetworkAclAssociationId: string }[] }[] }>(
        "describe-network-acls",
        "--filters",
        `Name=association.subnet-id,Values=${locked}`,
      )
    ).NetworkAcls[0]!.Associations.find((x) => x.SubnetId === locked)!.NetworkAclAssociationId;
    await ec2("replace-network-acl-association", "--association-id", assoc, "--network-acl-id", acl);
    const closed = (
      await ec2<{ GroupId: string }>("create-security-group", "--group-name", "closed", "--description", "no inbound", "--vpc-id", vpcId)
    ).GroupId;
    const web = await launch(pub, ["--associate-public-ip-address"]);
    const shut = await launch(pub, ["--security-group-ids", closed]);
    const inLocked = await launch(locked);
    const inPrivate = await launch(priv);

    const cases: { name: string; source: string; destination: string; port: number; traffic: [string, string]; code: string | null }[] = [
      { name: "to the internet with a public address", source: web, destination: igw, port: 443, traffic: [web, "internet"], code: null },
      {
        name: "security group without the inbound rule",
        source: web,
        destination: shut,
        port: 22,
        traffic: [web, shut],
        code: "ENI_SG_RULES_MISMATCH",
      },
      { name: "network ACL", source: web, destination: inLocked, port: 443, traffic: [web, inLocked], code: "SUBNET_ACL_RESTRICTION" },
      {
        name: "no route",
        source: inPrivate,
        destination: igw,
        port: 443,
        traffic: [inPrivate, "internet"],
        code: "NO_ROUTE_TO_DESTINATION",
      },
      {
        name: "no public address at the internet gateway",
        source: shut,
        destination: igw,
        port: 443,
        traffic: [shut, "internet"],
        code: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
      },
    ];
    for (const c of cases) {
      const path = (
        await ec2<{ NetworkInsightsPath: { NetworkInsightsPathId: string } }>(
          "create-network-insights-path",
          "--source",
          c.source,
          "--destination",
          c.destination,
          "--protocol",
          "tcp",
          "--destination-port",
          String(c.port),
        )
      ).NetworkInsightsPath.NetworkInsightsPathId;
      const started = (
        await ec2<{ NetworkInsightsAnalysis: { NetworkInsightsAnalysisId: string; Status: string } }>(
          "start-network-insights-analysis",
          "--network-insights-path-id",
          path,
        )
      ).NetworkInsightsAnalysis;
      assert.equal(started.Status, "running", c.name);
      const [analysis] = (
        await ec2<{
          NetworkInsightsAnalyses: { Status: string; NetworkPathFound: boolean; Explanations?: { ExplanationCode: string }[] }[];
        }>("describe-network-insights-analyses", "--network-insights-analysis-ids", started.NetworkInsightsAnalysisId)
      ).NetworkInsightsAnalyses;
      assert.equal(analysis!.Status, "succeeded", c.name);
      const analysisCode = analysis!.NetworkPathFound ? null : (analysis!.Explanations?.[0]?.ExplanationCode ?? "none");
      const v = await send(c.traffic[0], c.traffic[1], c.port);
      const trafficCode = v.delivered ? (v.reply?.delivered === false ? v.reply.reason : null) : v.reason;
      assert.equal(analysisCode, trafficCode, `${c.name}: the analysis and traffic send disagree`);
      assert.equal(analysisCode, c.code, c.name);
    }
  });
});
