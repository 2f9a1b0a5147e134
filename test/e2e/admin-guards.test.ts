/**
 * The front door's guards (issue 14): DNS rebinding (a foreign Host), cross-site requests (a foreign Origin, a body
 * that is not JSON), the admin token, and the connection limits. Requests are made with node:http so that the Host
 * header can be set as a rebinding page's browser would send it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { startLocalVpc, type LocalVpc } from "../../src/index.js";

const ec2Client = (vpc: LocalVpc): EC2Client =>
  new EC2Client({ endpoint: vpc.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

interface Answer {
  readonly status: number;
  readonly text: string;
}

/** One request with exactly these headers (Host included, when given). */
const raw = (vpc: LocalVpc, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: vpc.port, method, path, headers: { ...headers, connection: "close" } }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });

const json = (a: Answer): { error?: string; message?: string } => JSON.parse(a.text) as { error?: string; message?: string };

const vpcCount = async (vpc: LocalVpc): Promise<number> => ((await ec2Client(vpc).send(new DescribeVpcsCommand({}))).Vpcs ?? []).length;

const FORM = "application/x-www-form-urlencoded";

describe("Host and Origin guards on a loopback server (no token)", () => {
  let vpc: LocalVpc;
  before(async () => {
    vpc = await startLocalVpc({ port: 0, allowHosts: ["localvpc.internal"] });
    await ec2Client(vpc).send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
  });
  after(() => vpc.close());

  it("a cross-site text/plain POST (what any web page may send without a preflight) does not reset the server", async () => {
    const before = await vpcCount(vpc);
    const a = await raw(vpc, "POST", "/_localvpc/reset", { "content-type": "text/plain" }, "{}");
    assert.equal(a.status, 415);
    assert.deepEqual(json(a), {
      error: "UnsupportedMediaType",
      message: "Admin requests with a body must be sent with the header Content-Type: application/json.",
    });
    assert.equal(await vpcCount(vpc), before);
  });

  it("a foreign or null Origin is refused even with a JSON body; state is unchanged", async () => {
    const before = await vpcCount(vpc);
    for (const origin of ["http://evil.example", "null", "http://127.0.0.1.evil.example:8080"]) {
      const a = await raw(vpc, "POST", "/_localvpc/reset", { origin, "content-type": "application/json" }, "{}");
      assert.equal(a.status, 403, origin);
      assert.equal(json(a).error, "ForbiddenOrigin");
      assert.match(json(a).message ?? "", new RegExp(`'${origin.replace(/\./g, "\\.")}'`));
    }
    assert.equal(await vpcCount(vpc), before);
  });

  it("DNS rebinding: a foreign Host header is refused on reads and writes alike", async () => {
    const before = await vpcCount(vpc);
    const read = await raw(vpc, "GET", "/_localvpc/state", { host: `evil.example:${vpc.port}` });
    assert.equal(read.status, 403);
    assert.deepEqual(json(read), {
      error: "ForbiddenHost",
      message: `localvpc does not answer for the host 'evil.example:${vpc.port}' (a DNS-rebinding guard): use its own address, or start it with --allow-host evil.example.`,
    });
    const write = await raw(
      vpc,
      "POST",
      "/_localvpc/reset",
      { host: `evil.example:${vpc.port}`, origin: `http://evil.example:${vpc.port}`, "content-type": "application/json" },
      "{}",
    );
    assert.equal(write.status, 403);
    assert.equal(json(write).error, "ForbiddenHost");
    assert.equal(await vpcCount(vpc), before);
  });

  it("its own names, loopback names, *.localhost and --allow-host names pass", async () => {
    for (const host of [
      `127.0.0.1:${vpc.port}`,
      `localhost:${vpc.port}`,
      `[::1]:${vpc.port}`,
      `app.localhost:${vpc.port}`,
      "localvpc.internal",
    ]) {
      const a = await raw(vpc, "GET", "/_localvpc/clock", { host });
      assert.equal(a.status, 200, `${host}: ${a.text}`);
    }
  });

  it("the console's own same-origin JSON POST passes; moto's bare reset POST (no body, no Origin) still works", async () => {
    const own = await raw(
      vpc,
      "POST",
      "/_localvpc/clock/advance",
      { origin: `http://127.0.0.1:${vpc.port}`, "content-type": "application/json; charset=utf-8" },
      JSON.stringify({ ms: 1000 }),
    );
    assert.equal(own.status, 200, own.text);
    const moto = await raw(vpc, "POST", "/moto-api/reset", {});
    assert.equal(moto.status, 200, moto.text);
    assert.equal(await vpcCount(vpc), 1, "the reset ran: only the default VPC is left");
  });

  it("a browser request to the EC2 API from a foreign origin is refused in EC2's error shape; SDK requests (no Origin) pass", async () => {
    await ec2Client(vpc).send(new CreateVpcCommand({ CidrBlock: "10.8.0.0/16" }));
    const before = await vpcCount(vpc);
    const body = "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.7.0.0%2F16";
    const foreign = await raw(vpc, "POST", "/", { origin: "http://evil.example", "content-type": FORM }, body);
    assert.equal(foreign.status, 403);
    assert.match(foreign.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>ForbiddenOrigin<\/Code>/);
    const rebound = await raw(vpc, "POST", "/", { host: "evil.example", origin: "http://evil.example", "content-type": FORM }, body);
    assert.equal(rebound.status, 403);
    assert.match(rebound.text, /<Code>ForbiddenHost<\/Code>/);
    assert.equal(await vpcCount(vpc), before);
    const same = await raw(vpc, "POST", "/", { origin: `http://localhost:${vpc.port}`, "content-type": FORM }, body);
    assert.equal(same.status, 200, same.text);
    assert.equal(await vpcCount(vpc), before + 1);
  });
});

describe("the admin token", () => {
  const TOKEN = "test-admin-token-123";
  let vpc: LocalVpc;
  before(async () => {
    vpc = await startLocalVpc({ port: 0, adminToken: TOKEN });
  });
  after(() => vpc.close());

  it("is required on admin routes: 401 without, 403 with a wrong one, 200 with it (header or ?token=)", async () => {
    const none = await raw(vpc, "GET", "/_localvpc/state", {});
    assert.equal(none.status, 401);
    assert.equal(json(none).error, "AdminTokenRequired");
    assert.match(json(none).message ?? "", /--admin-token TOKEN \(or set LOCALVPC_ADMIN_TOKEN\)/);
    const wrong = await raw(vpc, "GET", "/_localvpc/state", { "x-localvpc-token": "test-admin-token-124" });
    assert.equal(wrong.status, 403);
    assert.equal(json(wrong).error, "InvalidAdminToken");
    assert.equal((await raw(vpc, "GET", "/_localvpc/state", { "x-localvpc-token": TOKEN })).status, 200);
    assert.equal((await raw(vpc, "GET", `/_localvpc/state?token=${TOKEN}`, {})).status, 200);
    assert.equal(vpc.adminToken, TOKEN);
  });

  it("a reset without the token changes nothing", async () => {
    await ec2Client(vpc).send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
    const before = await vpcCount(vpc);
    for (const path of ["/_localvpc/reset", "/moto-api/reset"]) {
      const a = await raw(vpc, "POST", path, { "content-type": "application/json" }, "{}");
      assert.equal(a.status, 401, path);
    }
    assert.equal(await vpcCount(vpc), before);
  });

  it("the health check and the console's static files need none; its API and event stream do", async () => {
    assert.equal((await raw(vpc, "GET", "/_localvpc/health", {})).status, 200);
    const page = await raw(vpc, "GET", "/_localvpc/console/", {});
    assert.ok(page.status === 200 || json(page).error === "ConsoleNotBuilt", page.text.slice(0, 200));
    assert.equal((await raw(vpc, "GET", "/_localvpc/console/api/config", {})).status, 401);
    assert.equal((await raw(vpc, "GET", "/_localvpc/console/api/config", { "x-localvpc-token": TOKEN })).status, 200);
    assert.equal((await raw(vpc, "GET", "/_localvpc/events", {})).status, 401);
    // EventSource cannot set headers: the stream takes the token in its query.
    const stream = await fetch(`${vpc.url}/_localvpc/events?token=${TOKEN}`);
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get("content-type"), "text/event-stream");
    await stream.body?.cancel();
  });

  it("does not guard the EC2 API (signed requests): the SDK works without it", async () => {
    assert.ok((await vpcCount(vpc)) >= 1);
  });
});

describe("a non-loopback bind", () => {
  it("generates an admin token (the CLI prints it) and requires it", async () => {
    const vpc = await startLocalVpc({ port: 0, host: "0.0.0.0" });
    try {
      assert.match(vpc.adminToken ?? "", /^[A-Za-z0-9_-]{32}$/);
      assert.equal((await raw(vpc, "GET", "/_localvpc/clock", {})).status, 401);
      assert.equal((await raw(vpc, "GET", "/_localvpc/clock", { "x-localvpc-token": vpc.adminToken! })).status, 200);
    } finally {
      await vpc.close();
    }
  });

  it("refuses an admin token that is too short", async () => {
    await assert.rejects(startLocalVpc({ port: 0, adminToken: "short" }), /adminToken must be 8 to 256 printable ASCII characters/);
  });
});

/** Resolves when the server closes the socket, with what it sent first. */
const closed = (s: Socket): Promise<string> =>
  new Promise((resolve) => {
    let got = "";
    s.setEncoding("utf8").on("data", (c: string) => (got += c));
    s.on("close", () => resolve(got));
    s.on("error", () => undefined);
  });

describe("connection limits", () => {
  it("a client that never finishes its headers is answered 408 and cut off after headersTimeoutMs", async () => {
    const vpc = await startLocalVpc({ port: 0, headersTimeoutMs: 400, requestTimeoutMs: 800 });
    try {
      const s = connect(vpc.port, "127.0.0.1");
      s.write("GET /_localvpc/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      const got = await closed(s);
      assert.match(got, /^HTTP\/1\.1 408 /);
      assert.equal((await raw(vpc, "GET", "/_localvpc/health", {})).status, 200, "others are still served");
    } finally {
      await vpc.close();
    }
  });

  it("sockets beyond maxConnections are closed at once; the server serves again when one closes", async () => {
    const vpc = await startLocalVpc({ port: 0, maxConnections: 2 });
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = connect(vpc.port, "127.0.0.1");
        await new Promise((r) => s.once("connect", r));
        held.push(s);
      }
      const extra = connect(vpc.port, "127.0.0.1");
      extra.write("GET /_localvpc/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assert.equal(await closed(extra), "", "no answer: the socket is dropped");
      const one = held.pop()!;
      const gone = closed(one);
      one.end();
      await gone;
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await raw(vpc, "GET", "/_localvpc/health", {})).status, 200);
    } finally {
      for (const s of held) s.destroy();
      await vpc.close();
    }
  });
});
