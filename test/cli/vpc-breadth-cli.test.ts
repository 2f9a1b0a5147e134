/**
 * The AWS CLI against a real `localvpc serve` for the breadth of VPC networking: a gateway endpoint for S3, an
 * interface endpoint, a peering (create + accept), a managed prefix list, a DHCP options set and an egress-only
 * internet gateway, each with AWS's shapes and one error; then `localvpc traffic send --json` shows S3 reached
 * through the gateway endpoint, a peer reached over the peering, and a transitive attempt refused; and
 * `localvpc scenario run private-s3-and-peering --json` holds.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { runCli } from "./serve-process.js";

const ACCOUNT = "123456789012";
const AMI = "ami-0a1b2c3d4e5f60001";

interface Verdict {
  delivered: boolean;
  reason: string | null;
  explanation: string;
  deliveredTo: string | null;
  reply?: { delivered: boolean; reason: string | null };
  hops: { type: string; component: string; detail: string }[];
}

describe("AWS CLI: endpoints, peering, prefix lists, DHCP options, egress-only gateways, and traffic through them", () => {
  let cli: AwsCli;
  const aws: AwsCli["aws"] = (...args) => cli.aws(...args);
  const awsFails: AwsCli["awsFails"] = (args, code) => cli.awsFails(args, code);

  const ids: Record<string, string> = {};

  const trafficSend = async (from: string, to: string, port: number): Promise<Verdict> => {
    const r = await runCli(
      ["traffic", "send", "--endpoint", cli.server.url, "--account", ACCOUNT, "--from", from, "--to", to, "--port", String(port), "--json"],
      30_000,
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    return JSON.parse(r.stdout) as Verdict;
  };

  const vpcWithSubnet = async (cidr: string, subnetCidr: string): Promise<{ vpc: string; subnet: string; rtb: string }> => {
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", cidr);
    const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
      "create-subnet",
      "--vpc-id",
      Vpc.VpcId,
      "--cidr-block",
      subnetCidr,
      "--availability-zone",
      "us-east-1a",
    );
    const rts = await aws<{ RouteTables: { RouteTableId: string }[] }>(
      "describe-route-tables",
      "--filters",
      `Name=vpc-id,Values=${Vpc.VpcId}`,
    );
    return { vpc: Vpc.VpcId, subnet: Subnet.SubnetId, rtb: rts.RouteTables[0]!.RouteTableId };
  };

  const runInstance = async (subnet: string, group?: string): Promise<string> => {
    const r = await aws<{ Instances: { InstanceId: string }[] }>(
      "run-instances",
      "--image-id",
      AMI,
      "--instance-type",
      "t3.micro",
      "--subnet-id",
      subnet,
      ...(group ? ["--security-group-ids", group] : []),
    );
    const id = r.Instances[0]!.InstanceId;
    await aws("wait", "instance-running", "--instance-ids", id);
    return id;
  };

  before(async () => {
    cli = await startAwsCli(ACCOUNT);
    const a = await vpcWithSubnet("10.70.0.0/16", "10.70.1.0/24");
    const b = await vpcWithSubnet("10.71.0.0/16", "10.71.1.0/24");
    const c = await vpcWithSubnet("10.72.0.0/16", "10.72.1.0/24");
    Object.assign(ids, {
      vpcA: a.vpc,
      subnetA: a.subnet,
      rtbA: a.rtb,
      vpcB: b.vpc,
      subnetB: b.subnet,
      rtbB: b.rtb,
      vpcC: c.vpc,
      subnetC: c.subnet,
      rtbC: c.rtb,
    });
  });
  after(async () => cli.close());

  it("create-vpc-endpoint --vpc-endpoint-type Gateway adds the S3 prefix-list route to the table", async () => {
    const { VpcEndpoint } = await aws<{
      VpcEndpoint: { VpcEndpointId: string; VpcEndpointType: string; ServiceName: string; State: string; RouteTableIds: string[] };
    }>(
      "create-vpc-endpoint",
      "--vpc-id",
      ids["vpcA"]!,
      "--vpc-endpoint-type",
      "Gateway",
      "--service-name",
      "com.amazonaws.us-east-1.s3",
      "--route-table-ids",
      ids["rtbA"]!,
    );
    assert.match(VpcEndpoint.VpcEndpointId, /^vpce-[0-9a-f]{17}$/);
    assert.equal(VpcEndpoint.VpcEndpointType, "Gateway");
    assert.equal(VpcEndpoint.ServiceName, "com.amazonaws.us-east-1.s3");
    assert.equal(VpcEndpoint.State, "available");
    assert.deepEqual(VpcEndpoint.RouteTableIds, [ids["rtbA"]]);
    ids["vpce"] = VpcEndpoint.VpcEndpointId;

    const rt = await aws<{ RouteTables: { Routes: { DestinationPrefixListId?: string; GatewayId?: string; Origin: string }[] }[] }>(
      "describe-route-tables",
      "--route-table-ids",
      ids["rtbA"]!,
    );
    const route = rt.RouteTables[0]!.Routes.find((r) => r.DestinationPrefixListId === "pl-63a5400a");
    assert.ok(route, "no route to pl-63a5400a");
    assert.equal(route.GatewayId, VpcEndpoint.VpcEndpointId);
    assert.equal(route.Origin, "CreateRoute");

    const err = await awsFails(
      ["create-vpc-endpoint", "--vpc-id", ids["vpcA"]!, "--service-name", "com.amazonaws.us-east-1.s3", "--route-table-ids", ids["rtbA"]!],
      "RouteAlreadyExists",
    );
    assert.match(err, new RegExp(`route table ${ids["rtbA"]!} already has a route with destination-prefix-list-id pl-63a5400a`));
  });

  it("an Interface endpoint puts a requester-managed vpc_endpoint ENI in the subnet", async () => {
    await aws("modify-vpc-attribute", "--vpc-id", ids["vpcA"]!, "--enable-dns-hostnames");
    const { VpcEndpoint } = await aws<{
      VpcEndpoint: { VpcEndpointId: string; VpcEndpointType: string; State: string; NetworkInterfaceIds: string[]; SubnetIds: string[] };
    }>(
      "create-vpc-endpoint",
      "--vpc-id",
      ids["vpcA"]!,
      "--vpc-endpoint-type",
      "Interface",
      "--service-name",
      "com.amazonaws.us-east-1.ec2",
      "--subnet-ids",
      ids["subnetA"]!,
    );
    assert.match(VpcEndpoint.VpcEndpointId, /^vpce-[0-9a-f]{17}$/);
    assert.equal(VpcEndpoint.VpcEndpointType, "Interface");
    assert.equal(VpcEndpoint.State, "available");
    assert.deepEqual(VpcEndpoint.SubnetIds, [ids["subnetA"]]);
    assert.equal(VpcEndpoint.NetworkInterfaceIds.length, 1);
    const { NetworkInterfaces } = await aws<{
      NetworkInterfaces: { InterfaceType: string; Description: string; RequesterManaged: boolean; RequesterId: string }[];
    }>("describe-network-interfaces", "--network-interface-ids", VpcEndpoint.NetworkInterfaceIds[0]!);
    assert.equal(NetworkInterfaces[0]!.InterfaceType, "vpc_endpoint");
    assert.equal(NetworkInterfaces[0]!.Description, `VPC Endpoint Interface ${VpcEndpoint.VpcEndpointId}`);
    assert.equal(NetworkInterfaces[0]!.RequesterManaged, true);
    assert.equal(NetworkInterfaces[0]!.RequesterId, "727180483921");

    const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
      "create-subnet",
      "--vpc-id",
      ids["vpcA"]!,
      "--cidr-block",
      "10.70.2.0/24",
      "--availability-zone",
      "us-east-1a",
    );
    await awsFails(
      [
        "create-vpc-endpoint",
        "--vpc-id",
        ids["vpcA"]!,
        "--vpc-endpoint-type",
        "Interface",
        "--service-name",
        "com.amazonaws.us-east-1.sts",
        "--subnet-ids",
        ids["subnetA"]!,
        Subnet.SubnetId,
      ],
      "DuplicateSubnetsInSameZone",
    );
  });

  it("create-vpc-peering-connection + accept: pending-acceptance, then active; accepting an unknown pcx is NotFound", async () => {
    const created = await aws<{ VpcPeeringConnection: { VpcPeeringConnectionId: string; Status: { Code: string } } }>(
      "create-vpc-peering-connection",
      "--vpc-id",
      ids["vpcA"]!,
      "--peer-vpc-id",
      ids["vpcB"]!,
    );
    const pcx = created.VpcPeeringConnection.VpcPeeringConnectionId;
    assert.match(pcx, /^pcx-[0-9a-f]{17}$/);
    assert.equal(created.VpcPeeringConnection.Status.Code, "initiating-request");
    const pending = await aws<{ VpcPeeringConnections: { Status: { Code: string } }[] }>(
      "describe-vpc-peering-connections",
      "--vpc-peering-connection-ids",
      pcx,
    );
    assert.equal(pending.VpcPeeringConnections[0]!.Status.Code, "pending-acceptance");
    const accepted = await aws<{
      VpcPeeringConnection: {
        Status: { Code: string };
        RequesterVpcInfo: { VpcId: string; OwnerId: string; CidrBlock: string };
        AccepterVpcInfo: { VpcId: string; OwnerId: string; CidrBlock: string };
      };
    }>("accept-vpc-peering-connection", "--vpc-peering-connection-id", pcx);
    assert.equal(accepted.VpcPeeringConnection.Status.Code, "active");
    assert.equal(accepted.VpcPeeringConnection.RequesterVpcInfo.VpcId, ids["vpcA"]);
    assert.equal(accepted.VpcPeeringConnection.AccepterVpcInfo.VpcId, ids["vpcB"]);
    assert.equal(accepted.VpcPeeringConnection.AccepterVpcInfo.OwnerId, ACCOUNT);
    assert.equal(accepted.VpcPeeringConnection.AccepterVpcInfo.CidrBlock, "10.71.0.0/16");
    ids["pcxAB"] = pcx;

    const err = await awsFails(
      ["accept-vpc-peering-connection", "--vpc-peering-connection-id", "pcx-0123456789abcdef0"],
      "InvalidVpcPeeringConnectionID.NotFound",
    );
    assert.match(err, /The vpcPeeringConnection ID 'pcx-0123456789abcdef0' does not exist/);
  });

  it("create-managed-prefix-list: a pl- id, version 1, create-complete; an unknown list is NotFound", async () => {
    const { PrefixList } = await aws<{
      PrefixList: { PrefixListId: string; State: string; Version: number; MaxEntries: number; AddressFamily: string; OwnerId: string };
    }>(
      "create-managed-prefix-list",
      "--prefix-list-name",
      "corp",
      "--address-family",
      "IPv4",
      "--max-entries",
      "10",
      "--entries",
      "Cidr=198.51.100.0/24,Description=office",
    );
    assert.match(PrefixList.PrefixListId, /^pl-[0-9a-f]{17}$/);
    assert.equal(PrefixList.State, "create-complete");
    assert.equal(PrefixList.Version, 1);
    assert.equal(PrefixList.MaxEntries, 10);
    assert.equal(PrefixList.AddressFamily, "IPv4");
    assert.equal(PrefixList.OwnerId, ACCOUNT);
    const entries = await aws<{ Entries: { Cidr: string; Description: string }[] }>(
      "get-managed-prefix-list-entries",
      "--prefix-list-id",
      PrefixList.PrefixListId,
    );
    assert.deepEqual(entries.Entries, [{ Cidr: "198.51.100.0/24", Description: "office" }]);
    const err = await awsFails(["delete-managed-prefix-list", "--prefix-list-id", "pl-00000000000000000"], "InvalidPrefixListID.NotFound");
    assert.match(err, /The prefix list ID 'pl-00000000000000000' does not exist/);
  });

  it("create-dhcp-options: a dopt- id with its configurations; an unknown set is NotFound", async () => {
    const { DhcpOptions } = await aws<{
      DhcpOptions: { DhcpOptionsId: string; OwnerId: string; DhcpConfigurations: { Key: string; Values: { Value: string }[] }[] };
    }>("create-dhcp-options", "--dhcp-configurations", "Key=domain-name,Values=corp.example", "Key=domain-name-servers,Values=10.70.0.2");
    assert.match(DhcpOptions.DhcpOptionsId, /^dopt-[0-9a-f]{17}$/);
    assert.equal(DhcpOptions.OwnerId, ACCOUNT);
    const byKey = new Map(DhcpOptions.DhcpConfigurations.map((c) => [c.Key, c.Values.map((v) => v.Value)]));
    assert.deepEqual(byKey.get("domain-name"), ["corp.example"]);
    assert.deepEqual(byKey.get("domain-name-servers"), ["10.70.0.2"]);
    await aws("associate-dhcp-options", "--dhcp-options-id", DhcpOptions.DhcpOptionsId, "--vpc-id", ids["vpcC"]!);
    const vpcs = await aws<{ Vpcs: { DhcpOptionsId: string }[] }>("describe-vpcs", "--vpc-ids", ids["vpcC"]!);
    assert.equal(vpcs.Vpcs[0]!.DhcpOptionsId, DhcpOptions.DhcpOptionsId);
    const err = await awsFails(["delete-dhcp-options", "--dhcp-options-id", "dopt-00000000000000000"], "InvalidDhcpOptionID.NotFound");
    assert.match(err, /The dhcpOption ID 'dopt-00000000000000000' does not exist/);
  });

  it("create-egress-only-internet-gateway: an eigw- id attached to the VPC; an unknown gateway is NotFound", async () => {
    const { EgressOnlyInternetGateway } = await aws<{
      EgressOnlyInternetGateway: { EgressOnlyInternetGatewayId: string; Attachments: { State: string; VpcId: string }[] };
    }>("create-egress-only-internet-gateway", "--vpc-id", ids["vpcC"]!);
    assert.match(EgressOnlyInternetGateway.EgressOnlyInternetGatewayId, /^eigw-[0-9a-f]{17}$/);
    assert.deepEqual(EgressOnlyInternetGateway.Attachments, [{ State: "attached", VpcId: ids["vpcC"] }]);
    const err = await awsFails(
      ["delete-egress-only-internet-gateway", "--egress-only-internet-gateway-id", "eigw-00000000000000000"],
      "InvalidEgressOnlyInternetGatewayId.NotFound",
    );
    assert.match(err, /The egressOnlyInternetGateway ID 'eigw-00000000000000000' does not exist/);
  });

  it("localvpc traffic send: S3 through the gateway endpoint, the peer over the peering, a transitive attempt refused", async () => {
    // B ↔ C peered too; A routes C's CIDR to the A ↔ B connection, which does not carry it (no transitive peering).
    const bc = await aws<{ VpcPeeringConnection: { VpcPeeringConnectionId: string } }>(
      "create-vpc-peering-connection",
      "--vpc-id",
      ids["vpcB"]!,
      "--peer-vpc-id",
      ids["vpcC"]!,
    );
    const pcxBC = bc.VpcPeeringConnection.VpcPeeringConnectionId;
    await aws("accept-vpc-peering-connection", "--vpc-peering-connection-id", pcxBC);
    const route = (rtb: string, cidr: string, pcx: string) =>
      aws("create-route", "--route-table-id", rtb, "--destination-cidr-block", cidr, "--vpc-peering-connection-id", pcx);
    await route(ids["rtbA"]!, "10.71.0.0/16", ids["pcxAB"]!);
    await route(ids["rtbB"]!, "10.70.0.0/16", ids["pcxAB"]!);
    await route(ids["rtbA"]!, "10.72.0.0/16", ids["pcxAB"]!);
    await route(ids["rtbB"]!, "10.72.0.0/16", pcxBC);
    await route(ids["rtbC"]!, "10.71.0.0/16", pcxBC);
    await route(ids["rtbC"]!, "10.70.0.0/16", pcxBC);

    const sg = async (vpc: string, name: string): Promise<string> => {
      const { GroupId } = await aws<{ GroupId: string }>(
        "create-security-group",
        "--group-name",
        name,
        "--description",
        name,
        "--vpc-id",
        vpc,
      );
      await aws("authorize-security-group-ingress", "--group-id", GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "10.0.0.0/8");
      return GroupId;
    };
    const ia = await runInstance(ids["subnetA"]!);
    const ib = await runInstance(ids["subnetB"]!, await sg(ids["vpcB"]!, "peer-b"));
    const ic = await runInstance(ids["subnetC"]!, await sg(ids["vpcC"]!, "peer-c"));

    const s3 = await trafficSend(ia, "52.216.8.10", 443);
    assert.equal(s3.delivered, true, s3.explanation);
    assert.equal(s3.reply?.delivered, true);
    assert.ok(
      s3.hops.some((h) => h.type === "vpc-endpoint" && h.component === ids["vpce"]),
      JSON.stringify(s3.hops),
    );
    assert.ok(
      s3.hops.some((h) => h.detail.includes(`route pl-63a5400a (52.216.0.0/15) → ${ids["vpce"]!}`)),
      JSON.stringify(s3.hops),
    );

    const peer = await trafficSend(ia, ib, 22);
    assert.equal(peer.delivered, true, peer.explanation);
    assert.equal(peer.deliveredTo, ib);
    assert.equal(peer.reply?.delivered, true);
    assert.ok(
      peer.hops.some((h) => h.type === "vpc-peering-connection" && h.component === ids["pcxAB"]),
      JSON.stringify(peer.hops),
    );

    const viaB = await trafficSend(ib, ic, 22);
    assert.equal(viaB.delivered, true, viaB.explanation);
    assert.equal(viaB.deliveredTo, ic);

    const transitive = await trafficSend(ia, ic, 22);
    assert.equal(transitive.delivered, false);
    assert.equal(transitive.reason, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", transitive.explanation);
    assert.match(transitive.explanation, new RegExp(ids["pcxAB"]!));
  });

  it("localvpc scenario run private-s3-and-peering --json holds (another account: five VPCs a Region)", async () => {
    const r = await runCli(
      ["scenario", "run", "private-s3-and-peering", "--endpoint", cli.server.url, "--account", "222233334444", "--json"],
      60_000,
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = JSON.parse(r.stdout) as { name: string; ok: boolean; steps: { ok: boolean }[]; facts: Record<string, string> };
    assert.equal(report.name, "private-s3-and-peering");
    assert.equal(report.ok, true);
    assert.equal(report.steps.length, 9);
    assert.ok(report.steps.every((s) => s.ok));
    assert.match(report.facts["vpce"] ?? "", /^vpce-[0-9a-f]{17}$/);
    assert.match(report.facts["pcx"] ?? "", /^pcx-[0-9a-f]{17}$/);
  });
});
