/**
 * The README's IPv6 walk-through (issue 16) with the AWS CLI against a real `localvpc serve`: a dual-stack VPC with an
 * instance holding an IPv6 address; `localvpc traffic send --ipv6` reaches it from the internet and the internet from
 * it through an internet gateway, then, with ::/0 replaced by an egress-only internet gateway, only outbound.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { runCli } from "./serve-process.js";

const ACCOUNT = "123456789012";

interface Verdict {
  delivered: boolean;
  reason: string | null;
  explanation: string;
  deliveredTo: string | null;
  reply?: { delivered: boolean };
  hops: { type: string; component: string }[];
}

describe("localvpc traffic send --ipv6 (AWS CLI)", () => {
  let cli: AwsCli;
  const ids: Record<string, string> = {};

  const send = async (from: string, to: string): Promise<Verdict> => {
    const r = await runCli(
      [
        "traffic",
        "send",
        "--endpoint",
        cli.server.url,
        "--account",
        ACCOUNT,
        "--from",
        from,
        "--to",
        to,
        "--ipv6",
        "--port",
        "443",
        "--json",
      ],
      30_000,
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    return JSON.parse(r.stdout) as Verdict;
  };

  before(async () => {
    cli = await startAwsCli(ACCOUNT);
    const aws = cli.aws;
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", "10.0.0.0/16", "--amazon-provided-ipv6-cidr-block");
    const vpcs = await aws<{ Vpcs: { Ipv6CidrBlockAssociationSet: { Ipv6CidrBlock: string }[] }[] }>(
      "describe-vpcs",
      "--vpc-ids",
      Vpc.VpcId,
    );
    const block56 = vpcs.Vpcs[0]!.Ipv6CidrBlockAssociationSet[0]!.Ipv6CidrBlock;
    // The first /64 of the /56: "2600:1f..:xxxx:yy00::/56" → "…:yy00::/64".
    const block64 = block56.replace(/\/56$/, "/64");
    const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
      "create-subnet",
      "--vpc-id",
      Vpc.VpcId,
      "--cidr-block",
      "10.0.1.0/24",
      "--ipv6-cidr-block",
      block64,
    );
    const { InternetGateway } = await aws<{ InternetGateway: { InternetGatewayId: string } }>("create-internet-gateway");
    await aws("attach-internet-gateway", "--internet-gateway-id", InternetGateway.InternetGatewayId, "--vpc-id", Vpc.VpcId);
    const { RouteTable } = await aws<{ RouteTable: { RouteTableId: string } }>("create-route-table", "--vpc-id", Vpc.VpcId);
    await aws("associate-route-table", "--route-table-id", RouteTable.RouteTableId, "--subnet-id", Subnet.SubnetId);
    await aws(
      "create-route",
      "--route-table-id",
      RouteTable.RouteTableId,
      "--destination-ipv6-cidr-block",
      "::/0",
      "--gateway-id",
      InternetGateway.InternetGatewayId,
    );
    const { GroupId } = await aws<{ GroupId: string }>(
      "create-security-group",
      "--group-name",
      "web6",
      "--description",
      "web6",
      "--vpc-id",
      Vpc.VpcId,
    );
    await aws(
      "authorize-security-group-ingress",
      "--group-id",
      GroupId,
      "--ip-permissions",
      "IpProtocol=tcp,FromPort=443,ToPort=443,Ipv6Ranges=[{CidrIpv6=::/0}]",
    );
    const run = await aws<{ Instances: { InstanceId: string; NetworkInterfaces: { Ipv6Addresses: { Ipv6Address: string }[] }[] }[] }>(
      "run-instances",
      "--image-id",
      "ami-0a1b2c3d4e5f60001",
      "--instance-type",
      "t3.micro",
      "--subnet-id",
      Subnet.SubnetId,
      "--security-group-ids",
      GroupId,
      "--ipv6-address-count",
      "1",
    );
    await aws("wait", "instance-running", "--instance-ids", run.Instances[0]!.InstanceId);
    Object.assign(ids, {
      vpc: Vpc.VpcId,
      rtb: RouteTable.RouteTableId,
      igw: InternetGateway.InternetGatewayId,
      instance: run.Instances[0]!.InstanceId,
      ipv6: run.Instances[0]!.NetworkInterfaces[0]!.Ipv6Addresses[0]!.Ipv6Address,
    });
  });
  after(async () => cli.close());

  it("through the internet gateway: in and out, the reply returns, nothing is NATed", async () => {
    const inbound = await send("internet", ids["instance"]!);
    assert.equal(inbound.delivered, true, inbound.explanation);
    assert.equal(inbound.deliveredTo, ids["instance"]);
    assert.equal(inbound.reply?.delivered, true, inbound.explanation);
    assert.ok(inbound.explanation.includes(`[${ids["ipv6"]!}]:443`), inbound.explanation);
    const outbound = await send(ids["instance"]!, "internet");
    assert.equal(outbound.delivered, true, outbound.explanation);
    assert.ok(outbound.hops.some((h) => h.type === "internet-gateway" && h.component === ids["igw"]));
  });

  it("through an egress-only internet gateway: out and back only", async () => {
    const { EgressOnlyInternetGateway } = await cli.aws<{ EgressOnlyInternetGateway: { EgressOnlyInternetGatewayId: string } }>(
      "create-egress-only-internet-gateway",
      "--vpc-id",
      ids["vpc"]!,
    );
    const eigw = EgressOnlyInternetGateway.EgressOnlyInternetGatewayId;
    await cli.aws(
      "replace-route",
      "--route-table-id",
      ids["rtb"]!,
      "--destination-ipv6-cidr-block",
      "::/0",
      "--egress-only-internet-gateway-id",
      eigw,
    );
    const outbound = await send(ids["instance"]!, "internet");
    assert.equal(outbound.delivered, true, outbound.explanation);
    assert.equal(outbound.reply?.delivered, true, outbound.explanation);
    const inbound = await send("internet", ids["instance"]!);
    assert.equal(inbound.delivered, false);
    assert.equal(inbound.reason, "EMU_EGRESS_ONLY_IGW_INBOUND");
    assert.match(inbound.explanation, new RegExp(`^Egress-only internet gateway ${eigw} drops`));
  });
});
