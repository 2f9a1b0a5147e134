/**
 * `localvpc scenario list | run` with the built CLI against a fresh `localvpc serve`: the list names the five
 * scenarios; each of the four seed ones exits 0 and leaves its state (checked through the SDK and the admin API): multi-homed-db's
 * traffic checks, email-migration's pool addresses reaching the mail servers, dr-failover's address on the standby.
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
} from "@aws-sdk/client-ec2";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

const NAMES = ["multi-homed-db", "ip-licensing", "email-migration", "dr-failover", "private-s3-and-peering"];

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
): Promise<{ delivered: boolean; reason: string | null; deliveredTo: string | null }> => {
  const res = await fetch(`${url}/_localvpc/traffic/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account: "222233334444", from, to, proto: "tcp", port }),
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

  it("list prints the five scenario names; --json gives objects with name and description", async () => {
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
      [true, true, true, true, true],
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

  it("run of an unknown name exits 1", async () => {
    const unknown = await runCli(["scenario", "run", "no-such-thing", "--endpoint", server.url]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /no scenario no-such-thing\. Known: multi-homed-db, ip-licensing, email-migration, dr-failover, private-s3-and-peering/,
    );
  });

  it("run exits 1 with a hint when no server answers", async () => {
    const r = await runCli(["scenario", "run", "ip-licensing", "--endpoint", "http://127.0.0.1:9"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /could not reach localvpc at http:\/\/127\.0\.0\.1:9/);
  });
});
