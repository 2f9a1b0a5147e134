/**
 * `localvpc scenario list | run` with the built CLI against a fresh `localvpc serve`: the list names the four seed
 * scenarios, ip-licensing and multi-homed-db exit 0 and leave their state (checked through the SDK), the BYOIP ones
 * answer "needs BYOIP" with exit 2.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

const NAMES = ["multi-homed-db", "ip-licensing", "email-migration", "dr-failover"];

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

  it("list prints the four scenario names; --json gives objects with name and description", async () => {
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
  });

  it("run ip-licensing exits 0, and the licence ENI ends on the replacement instance with its IP and MAC", async () => {
    const r = await runCli(["scenario", "run", "ip-licensing", "--endpoint", server.url, "--account", "222233334444", "--json"], 60_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /all checks hold/);
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"), r.stdout.lastIndexOf("}") + 1)) as {
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
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"), r.stdout.lastIndexOf("}") + 1)) as { facts: Record<string, string> };
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
  });

  it("run of a BYOIP scenario says it needs BYOIP and exits 2; an unknown name exits 1", async () => {
    for (const name of ["email-migration", "dr-failover"]) {
      const r = await runCli(["scenario", "run", name, "--endpoint", server.url]);
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, /needs BYOIP, not available in this build yet/);
    }
    const unknown = await runCli(["scenario", "run", "no-such-thing", "--endpoint", server.url]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no scenario no-such-thing\. Known: multi-homed-db, ip-licensing/);
  });

  it("run exits 1 with a hint when no server answers", async () => {
    const r = await runCli(["scenario", "run", "ip-licensing", "--endpoint", "http://127.0.0.1:9"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /could not reach localvpc at http:\/\/127\.0\.0\.1:9/);
  });
});
