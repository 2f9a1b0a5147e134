/**
 * Smoke tests of the `localvpc` command itself (the built dist/src/cli/main.js): `serve --port 0` prints its URL,
 * answers the admin API (health, reset and moto's reset alias), and shuts down cleanly on SIGTERM and SIGINT;
 * bad flags exit non-zero with a message that says what is wrong.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

describe("localvpc serve --port 0 --data :memory:", () => {
  let server: ServeProcess;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
  });
  after(async () => {
    await server.stop("SIGKILL");
  });

  it("prints one line with its URL on a free port of 127.0.0.1", () => {
    assert.ok(server.port > 0 && server.port !== 4599, `a free port was picked (got ${server.port})`);
    const lines = server.stdout().trim().split("\n");
    assert.equal(lines.length, 1, `exactly one stdout line, got ${JSON.stringify(lines)}`);
    assert.match(lines[0] ?? "", /listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  it("GET /_localvpc/health answers 200 with status ok", async () => {
    const res = await fetch(`${server.url}/_localvpc/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = (await res.json()) as { status?: unknown };
    assert.equal(body.status, "ok");
  });

  it("POST /_localvpc/reset and POST /moto-api/reset answer 200", async () => {
    for (const path of ["/_localvpc/reset", "/moto-api/reset"]) {
      const res = await fetch(`${server.url}${path}`, { method: "POST" });
      assert.equal(res.status, 200, path);
      await res.arrayBuffer();
    }
  });

  it("still serves the EC2 API after a reset (the default VPC is bootstrapped again)", async () => {
    const res = await fetch(`${server.url}/?Action=DescribeVpcs&Version=2016-11-15`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<cidrBlock>172\.31\.0\.0\/16<\/cidrBlock>/);
  });

  it("an unknown admin route answers 404 JSON", async () => {
    const res = await fetch(`${server.url}/_localvpc/no-such-route`);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
  });
});

describe("localvpc serve shutdown", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`exits 0 on ${signal}`, async () => {
      const server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
      const res = await fetch(`${server.url}/_localvpc/health`);
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const exit = await server.stop(signal);
      assert.deepEqual(exit, { code: 0, signal: null }, `clean exit on ${signal}; stderr: ${server.stderr()}`);
    });
  }
});

describe("localvpc serve with bad flags", () => {
  for (const bad of ["abc", "70000", "-1", "1.5"]) {
    it(`--port ${bad} exits non-zero and says what a port must be`, async () => {
      const r = await runCli(["serve", "--port", bad, "--data", ":memory:"]);
      assert.notEqual(r.code, 0, `exit code (stdout: ${r.stdout})`);
      assert.match(r.stderr, /--port/, "names the option");
      assert.match(r.stderr, /port number 0-65535/, "says what is expected");
      assert.doesNotMatch(r.stdout, /listening/, "never started");
    });
  }

  it("--quota with an unknown name exits non-zero and lists the quota names", async () => {
    const r = await runCli(["serve", "--port", "0", "--data", ":memory:", "--quota", "noSuchQuota=3"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /eips-per-region/);
    assert.match(r.stderr, /enis-per-region/);
  });

  it("--quota NAME=VALUE overrides an AWS quota (vpcs-per-region=1: the default VPC uses it up)", async () => {
    const s = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn", "--quota", "vpcs-per-region=1"]);
    try {
      const res = await fetch(`${s.url}/`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16",
      });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /<Code>VpcLimitExceeded<\/Code><Message>The maximum number of VPCs has been reached.<\/Message>/);
    } finally {
      await s.stop();
    }
  });

  it("a port already in use exits 1 and suggests --port 0", async () => {
    const first = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
    try {
      const r = await runCli(["serve", "--port", String(first.port), "--data", ":memory:", "--log-level", "warn"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /--port 0/);
    } finally {
      await first.stop();
    }
  });

  it("--version prints the version", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });
});
