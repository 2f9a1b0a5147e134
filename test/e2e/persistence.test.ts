/**
 * State survives restarts of `localvpc serve --data FILE`: a VPC and subnet created through the SDK are still
 * there after `kill -9` right after the answer (a committed transaction is in the WAL before the call is
 * answered), the default VPC is bootstrapped once per (account, region) and not again on restart, and a clean
 * SIGTERM restart keeps everything too.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSubnetCommand, CreateVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { spawnServe, type ServeProcess } from "../cli/serve-process.js";

const client = (url: string): EC2Client =>
  new EC2Client({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

describe("persistence across restarts (--data FILE)", () => {
  let dir: string;
  let dbPath: string;
  let server: ServeProcess | undefined;
  let vpcId = "";
  let subnetId = "";

  const serve = async (): Promise<{ server: ServeProcess; ec2: EC2Client }> => {
    server = await spawnServe(["--port", "0", "--data", dbPath, "--log-level", "warn"]);
    return { server, ec2: client(server.url) };
  };

  /** The VPC and subnet are there, unchanged, and there is exactly one default VPC. */
  const assertStateKept = async (ec2: EC2Client): Promise<void> => {
    const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
    const mine = Vpcs.filter((v) => v.VpcId === vpcId);
    assert.equal(mine.length, 1, "the created VPC survived");
    const [vpc] = mine;
    assert.ok(vpc);
    assert.equal(vpc.CidrBlock, "10.77.0.0/16");
    assert.deepEqual(vpc.Tags, [{ Key: "Name", Value: "persisted" }]);
    const defaults = Vpcs.filter((v) => v.IsDefault === true);
    assert.equal(defaults.length, 1, "exactly one default VPC: it was not bootstrapped again on restart");
    assert.equal(defaults[0]?.CidrBlock, "172.31.0.0/16");
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    assert.deepEqual(
      Subnets.map((s) => [s.SubnetId, s.CidrBlock]),
      [[subnetId, "10.77.1.0/24"]],
      "the created subnet survived",
    );
    const defaultSubnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    const zones = (defaultSubnets.Subnets ?? []).map((s) => s.AvailabilityZone);
    assert.equal(new Set(zones).size, zones.length, "one default subnet per zone, not duplicated");
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "localvpc-persistence-"));
    dbPath = join(dir, "state.db");
  });
  after(async () => {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates a VPC and a subnet, then is killed with SIGKILL right after the answer", async () => {
    const { server: s, ec2 } = await serve();
    try {
      const vpc = await ec2.send(
        new CreateVpcCommand({
          CidrBlock: "10.77.0.0/16",
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "persisted" }] }],
        }),
      );
      vpcId = vpc.Vpc?.VpcId ?? "";
      assert.match(vpcId, /^vpc-[0-9a-f]{17}$/);
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.77.1.0/24" }));
      subnetId = subnet.Subnet?.SubnetId ?? "";
      assert.match(subnetId, /^subnet-[0-9a-f]{17}$/);
    } finally {
      ec2.destroy();
    }
    const exit = await s.stop("SIGKILL");
    assert.equal(exit.signal, "SIGKILL");
  });

  it("after kill -9, a restart on the same file still has them (and one default VPC)", async () => {
    assert.ok(vpcId && subnetId, "the previous step created the resources");
    const { server: s, ec2 } = await serve();
    try {
      await assertStateKept(ec2);
    } finally {
      ec2.destroy();
    }
    const exit = await s.stop("SIGTERM");
    assert.deepEqual(exit, { code: 0, signal: null }, `clean exit on SIGTERM; stderr: ${s.stderr()}`);
  });

  it("after a clean SIGTERM shutdown, a restart still has them", async () => {
    assert.ok(vpcId && subnetId, "the previous steps created the resources");
    const { server: s, ec2 } = await serve();
    try {
      await assertStateKept(ec2);
      const health = (await (await fetch(`${s.url}/_localvpc/health`)).json()) as { data?: unknown };
      assert.equal(health.data, dbPath, "health names the data file");
    } finally {
      ec2.destroy();
    }
    assert.deepEqual(await s.stop("SIGTERM"), { code: 0, signal: null });
  });
});
