/**
 * `localvpc scenario list | run` with the built CLI against a fresh `localvpc serve`: the list names the eight
 * scenarios; each of the four seed ones exits 0 and leaves its state (checked through the SDK and the admin API): multi-homed-db's
 * traffic checks, email-migration's pool addresses reaching the mail servers, dr-failover's address on the standby.
 * The two of issue 17 run in accounts of their own (five VPCs a Region) and are checked through the Lambda and ELBv2
 * SDKs as well: lambda-in-vpc's shared Hyperplane ENI and NAT path, nlb-byoip's NLB on the BYOIP address.
 * eks-ip-exhaustion (issue 18) runs in an account of its own too, and is checked through the EKS and EC2 SDKs and the
 * pods admin route: the pods Pending for want of addresses, then every replica running on /28 prefixes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeAddressesCommand,
  DescribeByoipCidrsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribePublicIpv4PoolsCommand,
  EC2Client,
  DescribeSubnetsCommand,
  GetSubnetCidrReservationsCommand,
} from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeAddonCommand, DescribeNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

const NAMES = [
  "multi-homed-db",
  "ip-licensing",
  "email-migration",
  "dr-failover",
  "private-s3-and-peering",
  "lambda-in-vpc",
  "nlb-byoip",
  "eks-ip-exhaustion",
];
/** The issue-17 scenarios' accounts: each builds a VPC, and the seed scenarios already hold four of 222233334444's five. */
const LAMBDA_ACCOUNT = "333344445555";
const NLB_ACCOUNT = "444455556666";
const EKS_ACCOUNT = "555566667777";

const reportOf = (stdout: string): { ok: boolean; steps: { step: string; ok: boolean; detail: string }[]; facts: Record<string, string> } =>
  JSON.parse(stdout.slice(stdout.indexOf("{"), stdout.lastIndexOf("}") + 1)) as {
    ok: boolean;
    steps: { step: string; ok: boolean; detail: string }[];
    facts: Record<string, string>;
  };

const send = async (
  url: string,
  from: string,
  to: string,
  port: number,
  account = "222233334444",
): Promise<{ delivered: boolean; reason: string | null; deliveredTo: string | null }> => {
  const res = await fetch(`${url}/_localvpc/traffic/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account, from, to, proto: "tcp", port }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { delivered: boolean; reason: string | null; deliveredTo: string | null };
};

describe("localvpc scenario", () => {
  let server: ServeProcess;
  let ec2: EC2Client;

  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
    ec2 = new EC2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "222233334444", secretAccessKey: "x" },
      maxAttempts: 1,
    });
  });
  after(async () => {
    (ec2 as EC2Client | undefined)?.destroy();
    await (server as ServeProcess | undefined)?.stop();
  });

  it("list prints the eight scenario names; --json gives objects with name and description", async () => {
    const text = await runCli(["scenario", "list"]);
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(
      text.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(/\s+/)[0]),
      NAMES,
    );
    const json = await runCli(["scenario", "list", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const list = JSON.parse(json.stdout) as { name: string; description: string }[];
    assert.deepEqual(
      list.map((s) => s.name),
      NAMES,
    );
    for (const s of list) assert.ok(s.description.length > 20, s.name);
    assert.deepEqual(
      (list as { available?: boolean }[]).map((s) => s.available),
      NAMES.map(() => true),
    );
  });

  it("run ip-licensing exits 0, and the licence ENI ends on the replacement instance with its IP and MAC", async () => {
    const r = await runCli(["scenario", "run", "ip-licensing", "--endpoint", server.url, "--account", "222233334444", "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    // With --json, stdout is the JSON answer alone; the commentary is on stderr.
    assert.match(r.stderr, /all checks hold/);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      facts: Record<string, string>;
    };
    assert.equal(report.ok, true);
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [report.facts["eni"]!] }));
    const eni = NetworkInterfaces![0]!;
    assert.equal(eni.Attachment?.InstanceId, report.facts["app2"]);
    assert.equal(eni.PrivateIpAddress, report.facts["ip"]);
    assert.equal(eni.MacAddress, report.facts["mac"]);
    const old = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [report.facts["app1"]!] }));
    assert.equal(old.Reservations![0]!.Instances![0]!.State?.Name, "stopped");
  });

  it("run multi-homed-db exits 0, and the database has its data and management ENIs in their subnets and groups", async () => {
    const r = await runCli(["scenario", "run", "multi-homed-db", "--endpoint", server.url, "--account", "222233334444", "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = reportOf(r.stdout);
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [report.facts["db"]!] }));
    const enis = d.Reservations![0]!.Instances![0]!.NetworkInterfaces!;
    const byDevice = new Map(enis.map((n) => [n.Attachment?.DeviceIndex, n]));
    assert.equal(byDevice.get(0)?.SubnetId, report.facts["dataSubnet"]);
    assert.deepEqual(
      byDevice.get(0)?.Groups?.map((g) => g.GroupId),
      [report.facts["dataGroup"]],
    );
    assert.equal(byDevice.get(1)?.NetworkInterfaceId, report.facts["mgmtEni"]);
    assert.equal(byDevice.get(1)?.SubnetId, report.facts["mgmtSubnet"]);
    assert.deepEqual(
      byDevice.get(1)?.Groups?.map((g) => g.GroupId),
      [report.facts["mgmtGroup"]],
    );
    const traffic = report.steps.at(-1)!;
    assert.match(traffic.detail, /→ 10\.30\.1\.\d+:5432 delivered to i-/);
    assert.match(traffic.detail, /:22 dropped \(ENI_SG_RULES_MISMATCH\)/);
    // The state is left in place: the data plane still answers the same way after the run.
    const ok = await send(server.url, report.facts["app"]!, report.facts["dataIp"]!, 5432);
    assert.equal(ok.delivered, true);
    assert.equal(ok.deliveredTo, report.facts["db"]);
    const wrong = await send(server.url, report.facts["admin"]!, report.facts["dataIp"]!, 5432);
    assert.equal(wrong.delivered, false);
    assert.equal(wrong.reason, "ENI_SG_RULES_MISMATCH");
    const ssh = await send(server.url, report.facts["admin"]!, report.facts["mgmtIp"]!, 22);
    assert.equal(ssh.deliveredTo, report.facts["db"]);
    const sshFromApp = await send(server.url, report.facts["app"]!, report.facts["mgmtIp"]!, 22);
    assert.equal(sshFromApp.reason, "ENI_SG_RULES_MISMATCH");
  });

  it("run email-migration exits 0: the /24 is advertised, two pool EIPs on the mail servers, the internet reaches them on tcp/25", async () => {
    const r = await runCli(["scenario", "run", "email-migration", "--endpoint", server.url, "--account", "222233334444", "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = reportOf(r.stdout);
    assert.equal(report.ok, true);
    const cidr = report.facts["cidr"]!;
    const { ByoipCidrs } = await ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 10 }));
    assert.equal(ByoipCidrs?.find((c) => c.Cidr === cidr)?.State, "advertised");
    const { PublicIpv4Pools } = await ec2.send(new DescribePublicIpv4PoolsCommand({ PoolIds: [report.facts["pool"]!] }));
    const pool = PublicIpv4Pools?.[0];
    assert.ok(pool);
    assert.equal(pool.TotalAddressCount, 256);
    assert.equal(pool.TotalAvailableAddressCount, 254);
    for (const [ip, mx] of [
      [report.facts["mx1Ip"]!, report.facts["mx1"]!],
      [report.facts["mx2Ip"]!, report.facts["mx2"]!],
    ] as const) {
      const { Addresses } = await ec2.send(new DescribeAddressesCommand({ PublicIps: [ip] }));
      assert.equal(Addresses?.[0]?.PublicIpv4Pool, report.facts["pool"]);
      assert.equal(Addresses?.[0]?.InstanceId, mx);
      const v = await send(server.url, "internet", ip, 25);
      assert.equal(v.delivered, true);
      assert.equal(v.deliveredTo, mx);
    }
  });

  it("run dr-failover exits 0: on-premises first (not delivered into AWS), then the same address reaches the standby", async () => {
    const r = await runCli(["scenario", "run", "dr-failover", "--endpoint", server.url, "--account", "222233334444", "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = reportOf(r.stdout);
    const ip = report.facts["serviceIp"]!;
    const before = report.steps.find((s) => s.step.startsWith("Internet traffic to the service address goes on-premises"));
    assert.match(before?.detail ?? "", /dropped \(EMU_BYOIP_NOT_ROUTED_TO_AWS\)/);
    const bgp = (await (await fetch(`${server.url}/_localvpc/bgp?address=${ip}`)).json()) as { receiver: { network: string } };
    assert.equal(bgp.receiver.network, "aws");
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ PublicIps: [ip] }));
    assert.equal(Addresses?.[0]?.InstanceId, report.facts["standby"]);
    const v = await send(server.url, "internet", ip, 443);
    assert.equal(v.delivered, true);
    assert.equal(v.deliveredTo, report.facts["standby"]);
  });

  it("run lambda-in-vpc exits 0: two functions on one Hyperplane ENI that keeps the subnet, internet only through the NAT gateway, nothing in", async () => {
    const r = await runCli(["scenario", "run", "lambda-in-vpc", "--endpoint", server.url, "--account", LAMBDA_ACCOUNT, "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = reportOf(r.stdout);
    assert.equal(report.ok, true);
    const f = report.facts;
    const detail = (prefix: string): string => report.steps.find((s) => s.step.startsWith(prefix))?.detail ?? "";
    assert.match(
      detail("Deleting the private subnet"),
      new RegExp(`DependencyViolation: The subnet '${f["privateSubnet"]!}' has dependencies and cannot be deleted\\.`),
    );
    assert.match(detail("Without a route to the NAT gateway"), /→ internet:443 dropped \(NO_ROUTE_TO_DESTINATION\)/);
    assert.match(detail("Nothing connects in"), /dropped \(EMU_LAMBDA_ENI_INBOUND\)/);
    // Through the SDKs: both functions Active on the private subnet, and one Lambda ENI in the VPC, which keeps the subnet.
    const lambda = new LambdaClient({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: LAMBDA_ACCOUNT, secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const ec2l = new EC2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: LAMBDA_ACCOUNT, secretAccessKey: "x" },
      maxAttempts: 1,
    });
    try {
      for (const name of [f["api"]!, f["worker"]!]) {
        const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
        assert.deepEqual(
          [c.State, c.VpcConfig?.SubnetIds, c.VpcConfig?.SecurityGroupIds],
          ["Active", [f["privateSubnet"]], [f["fnGroup"]]],
        );
      }
      const { NetworkInterfaces } = await ec2l.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: "vpc-id", Values: [f["vpc"]!] },
            { Name: "interface-type", Values: ["lambda"] },
          ],
        }),
      );
      assert.deepEqual(
        NetworkInterfaces?.map((n) => [n.NetworkInterfaceId, n.SubnetId, n.RequesterManaged, n.PrivateIpAddress]),
        [[f["lambdaEni"], f["privateSubnet"], true, f["lambdaIp"]]],
      );
      const { Subnets } = await ec2l.send(new DescribeSubnetsCommand({ SubnetIds: [f["privateSubnet"]!] }));
      assert.equal(Subnets?.length, 1);
    } finally {
      lambda.destroy();
      ec2l.destroy();
    }
    // The state is left in place: the NAT route still carries the functions out, and nothing still gets in.
    const out = await send(server.url, `lambda:${f["worker"]!}`, "internet", 443, LAMBDA_ACCOUNT);
    assert.equal(out.delivered, true);
    const inbound = await send(server.url, f["client"]!, f["lambdaIp"]!, 443, LAMBDA_ACCOUNT);
    assert.deepEqual([inbound.delivered, inbound.reason], [false, "EMU_LAMBDA_ENI_INBOUND"]);
  });

  it("run nlb-byoip exits 0: the NLB holds the BYOIP address, the target turns healthy, the internet reaches it again after withdraw and advertise", async () => {
    const r = await runCli(["scenario", "run", "nlb-byoip", "--endpoint", server.url, "--account", NLB_ACCOUNT, "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = reportOf(r.stdout);
    assert.equal(report.ok, true);
    const f = report.facts;
    const detail = (prefix: string): string => report.steps.find((s) => s.step.startsWith(prefix))?.detail ?? "";
    assert.match(detail("After the initial health checks"), /health: unhealthy, Target\.FailedHealthChecks/);
    assert.match(detail("After the initial health checks"), /dropped \(EMU_ELB_NO_HEALTHY_TARGET\)/);
    assert.match(detail("Allow tcp/80 from the VPC"), /health: healthy; .* dropped at the target \(ENI_SG_RULES_MISMATCH\)/);
    assert.match(detail("Allow tcp/80 from anywhere"), new RegExp(`delivered to ${f["web"]!}`));
    assert.match(detail("Withdraw the range"), /dropped \(EMU_BYOIP_NOT_ROUTED_TO_AWS\)/);
    const ec2n = new EC2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: NLB_ACCOUNT, secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const elb = new ElasticLoadBalancingV2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: NLB_ACCOUNT, secretAccessKey: "x" },
      maxAttempts: 1,
    });
    try {
      const { ByoipCidrs } = await ec2n.send(new DescribeByoipCidrsCommand({ MaxResults: 10 }));
      assert.equal(ByoipCidrs?.find((c) => c.Cidr === f["cidr"])?.State, "advertised");
      const { Addresses } = await ec2n.send(new DescribeAddressesCommand({ PublicIps: [f["eip"]!] }));
      assert.equal(Addresses?.[0]?.PublicIpv4Pool, f["pool"]);
      assert.equal(Addresses?.[0]?.NetworkInterfaceId, f["lbEni"]);
      const { LoadBalancers } = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [f["lb"]!] }));
      const lb = LoadBalancers?.[0];
      assert.deepEqual(
        [lb?.Type, lb?.Scheme, lb?.State?.Code, lb?.AvailabilityZones?.[0]?.LoadBalancerAddresses],
        ["network", "internet-facing", "active", [{ IpAddress: f["eip"], AllocationId: f["allocation"] }]],
      );
      const { TargetHealthDescriptions } = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: f["tg"]! }));
      assert.deepEqual(
        TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State]),
        [[f["web"], "healthy"]],
      );
    } finally {
      ec2n.destroy();
      elb.destroy();
    }
    const v = await send(server.url, "internet", f["eip"]!, 80, NLB_ACCOUNT);
    assert.equal(v.delivered, true);
    assert.equal(v.deliveredTo, f["web"]);
  });

  it("run eks-ip-exhaustion exits 0: pods Pending for want of addresses in the /24s, then every replica running on /28 prefixes", async () => {
    const r = await runCli(["scenario", "run", "eks-ip-exhaustion", "--endpoint", server.url, "--account", EKS_ACCOUNT, "--json"], 120_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = reportOf(r.stdout);
    assert.equal(report.ok, true);
    const f = report.facts;
    const n = (k: string): number => Number(f[k]);
    const detail = (prefix: string): string => report.steps.find((s) => s.step.startsWith(prefix))?.detail ?? "";
    assert.match(detail("Scale pods up"), /Pending because: .*InsufficientFreeAddressesInSubnet/);
    assert.match(detail("Create a node group"), /max pods 3 × \(10 − 1\) \+ 2 = 29/);
    // The outcome: some replicas Pending with every address of the /24s taken, below the node group's max pods …
    assert.ok(n("pendingBefore") > 0 && n("runningBefore") + n("pendingBefore") === n("replicas"), JSON.stringify(f));
    assert.ok(n("replicas") < n("nodes") * (n("maxPods") - 2), JSON.stringify(f));
    assert.equal(n("freeBefore"), 0);
    // … then all of them running, the moved ones on /28 prefixes from the prefix reservations.
    assert.equal(n("runningAfter"), n("replicas"));
    assert.ok(n("prefixes") > 0 && n("prefixesInReservation") === n("prefixes"), JSON.stringify(f));
    assert.equal(n("maxPodsPrefix"), 110);
    const pods = async (nodegroup: string): Promise<{ running: number; pending: number }> => {
      const q = new URLSearchParams({ account: EKS_ACCOUNT, cluster: f["cluster"]!, nodegroup });
      const res = await fetch(`${server.url}/_localvpc/eks/pods?${q.toString()}`);
      assert.equal(res.status, 200);
      return (await res.json()) as { running: number; pending: number };
    };
    const before = await pods(f["nodegroup"]!);
    assert.deepEqual([before.running, before.pending], [n("runningBefore"), 0]);
    const after = await pods(f["prefixNodegroup"]!);
    assert.deepEqual([after.running, after.pending], [n("pendingBefore"), 0]);
    const creds = { accessKeyId: EKS_ACCOUNT, secretAccessKey: "x" };
    const eks = new EKSClient({ endpoint: server.url, region: "us-east-1", credentials: creds, maxAttempts: 1 });
    const ec2e = new EC2Client({ endpoint: server.url, region: "us-east-1", credentials: creds, maxAttempts: 1 });
    try {
      const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: f["cluster"]!, nodegroupName: f["nodegroup"]! }));
      assert.deepEqual(
        [nodegroup?.status, nodegroup?.instanceTypes, nodegroup?.scalingConfig?.desiredSize, nodegroup?.subnets],
        ["ACTIVE", ["m5.large"], n("nodes"), [f["subnetA"], f["subnetB"]]],
      );
      const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: f["cluster"]!, addonName: "vpc-cni" }));
      assert.match(addon?.configurationValues ?? "", /"ENABLE_PREFIX_DELEGATION":"true"/);
      const { Subnets } = await ec2e.send(new DescribeSubnetsCommand({ SubnetIds: [f["subnetA"]!, f["subnetB"]!] }));
      assert.deepEqual(
        Subnets?.map((s) => s.AvailableIpAddressCount),
        [0, 0],
      );
      const { SubnetIpv4CidrReservations } = await ec2e.send(new GetSubnetCidrReservationsCommand({ SubnetId: f["prefixSubnetA"]! }));
      assert.deepEqual(
        SubnetIpv4CidrReservations?.map((x) => [x.Cidr, x.ReservationType]),
        [["10.90.3.128/25", "prefix"]],
      );
      const { NetworkInterfaces } = await ec2e.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [f["prefixSubnetA"]!, f["prefixSubnetB"]!] }] }),
      );
      const prefixes = (NetworkInterfaces ?? []).flatMap((e) => (e.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix));
      assert.equal(prefixes.length, n("prefixes"));
      for (const p of prefixes) assert.match(p ?? "", /^10\.90\.[34]\.(128|144|160|176|192|208|224)\/28$/);
    } finally {
      eks.destroy();
      ec2e.destroy();
    }
  });

  it("run of an unknown name exits 1", async () => {
    const unknown = await runCli(["scenario", "run", "no-such-thing", "--endpoint", server.url]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /no scenario no-such-thing\. Known: multi-homed-db, ip-licensing, email-migration, dr-failover, private-s3-and-peering, lambda-in-vpc, nlb-byoip, eks-ip-exhaustion\./,
    );
  });

  it("run exits 1 with a hint when no server answers", async () => {
    const r = await runCli(["scenario", "run", "ip-licensing", "--endpoint", "http://127.0.0.1:9"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /could not reach localvpc at http:\/\/127\.0\.0\.1:9/);
  });
});
