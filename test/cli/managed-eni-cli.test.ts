/**
 * `localvpc managed-eni create` against a spawned `localvpc serve`: --json and human output, the ENI visible through
 * the SDK, and errors (unknown subnet, unreachable server) that exit non-zero with a message saying what to do.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

describe("localvpc managed-eni create", () => {
  let server: ServeProcess;
  let ec2: EC2Client;
  let subnetId: string;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
    ec2 = new EC2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    subnetId = Subnets![0]!.SubnetId!;
  });
  after(async () => {
    ec2.destroy();
    await server.stop("SIGKILL");
  });

  it("--json prints the ENI, which exists as a requester-managed ENI", async () => {
    const r = await runCli(["managed-eni", "create", "--subnet", subnetId, "--service", "rds", "--endpoint", server.url, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { NetworkInterfaceId: string; PrivateIpAddress: string };
    assert.match(out.NetworkInterfaceId, /^eni-[0-9a-f]{17}$/);
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [out.NetworkInterfaceId] }));
    assert.equal(NetworkInterfaces![0]!.RequesterManaged, true);
    assert.equal(NetworkInterfaces![0]!.PrivateIpAddress, out.PrivateIpAddress);
  });

  it("--cluster names the EKS cluster in the ENI's description, as the admin route does", async () => {
    const r = await runCli([
      "managed-eni",
      "create",
      "--subnet",
      subnetId,
      "--service",
      "eks",
      "--cluster",
      "prod",
      "--endpoint",
      server.url,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { NetworkInterfaceId: string; Description: string };
    assert.equal(out.Description, "Amazon EKS prod");
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [out.NetworkInterfaceId] }));
    assert.equal(NetworkInterfaces![0]!.Description, "Amazon EKS prod");
  });

  it("prints a one-line summary by default", async () => {
    const r = await runCli([
      "managed-eni",
      "create",
      "--subnet",
      subnetId,
      "--service",
      "eks",
      "--requester",
      "123456789012",
      "--endpoint",
      server.url,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout.trim(),
      new RegExp(
        `^Created eni-[0-9a-f]{17} \\(\\d+\\.\\d+\\.\\d+\\.\\d+\\) in ${subnetId}, requester 123456789012, attachment ela-attach-[0-9a-f]{17}$`,
      ),
    );
  });

  it("an unknown subnet exits non-zero with AWS's error text", async () => {
    const r = await runCli(["managed-eni", "create", "--subnet", "subnet-0123456789abcdef0", "--service", "rds", "--endpoint", server.url]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /InvalidSubnetID\.NotFound: The subnet ID 'subnet-0123456789abcdef0' does not exist/);
  });

  it("an unreachable server exits non-zero and says how to fix it", async () => {
    const r = await runCli(["managed-eni", "create", "--subnet", subnetId, "--service", "rds", "--endpoint", "http://127.0.0.1:9"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /could not reach localvpc at http:\/\/127\.0\.0\.1:9\. Start it with `localvpc serve` or pass --endpoint URL\./);
  });
});
