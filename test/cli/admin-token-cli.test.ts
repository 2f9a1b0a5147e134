/**
 * The admin token through the CLI (issue 14): `serve` on a non-loopback host prints a generated token and a warning
 * about `--auth any`; the admin subcommands fail with what to do without it and work with `--admin-token` or
 * LOCALVPC_ADMIN_TOKEN. A loopback server prints neither and needs no token.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

describe("localvpc serve on a non-loopback host", () => {
  let server: ServeProcess;
  let token: string;
  before(async () => {
    server = await spawnServe(["--host", "0.0.0.0", "--port", "0", "--data", ":memory:", "--log-level", "silent"]);
    // The token line comes right after the URL line; wait for it.
    for (let i = 0; i < 100 && !(/Console: .*\n/.test(server.stdout()) && /WARNING/.test(server.stderr())); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const m = /^Admin token: ([A-Za-z0-9_-]{32})$/m.exec(server.stdout());
    assert.ok(m, server.stdout());
    token = m[1]!;
  });
  after(() => server.stop());

  it("prints the token with the CLI and console ways to use it, and warns that --auth any is open to the network", () => {
    assert.match(server.stdout(), new RegExp(`export LOCALVPC_ADMIN_TOKEN=${token}`));
    assert.match(server.stdout(), new RegExp(`/_localvpc/console/\\?token=${token}`));
    assert.match(
      server.stderr(),
      /\*\*\* WARNING: the AWS APIs on http:\/\/0\.0\.0\.0:\d+ accept any key and check no signature \(--auth any\)\./,
    );
  });

  it("an admin command without the token fails with what to do; with --admin-token or LOCALVPC_ADMIN_TOKEN it works", async () => {
    const env = { ...process.env };
    delete env["LOCALVPC_ADMIN_TOKEN"];
    const without = await runCli(["clock", "--endpoint", server.url], 15_000, env);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /^localvpc: AdminTokenRequired: This localvpc server requires its admin token/);
    assert.equal(without.stdout, "");
    const flag = await runCli(["clock", "--endpoint", server.url, "--admin-token", token, "--json"], 15_000, env);
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal((JSON.parse(flag.stdout) as { offsetMs: number }).offsetMs, 0);
    const fromEnv = await runCli(["clock", "advance", "90s", "--endpoint", server.url, "--json"], 15_000, {
      ...env,
      LOCALVPC_ADMIN_TOKEN: token,
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal((JSON.parse(fromEnv.stdout) as { offsetMs: number }).offsetMs, 90_000);
    const wrong = await runCli(["clock", "--endpoint", server.url, "--admin-token", "not-the-right-token"], 15_000, env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /InvalidAdminToken/);
  });
});

describe("localvpc serve on loopback", () => {
  it("prints no token and no warning; admin commands need nothing", async () => {
    const server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "silent"]);
    try {
      const env = { ...process.env };
      delete env["LOCALVPC_ADMIN_TOKEN"];
      const r = await runCli(["clock", "--endpoint", server.url, "--json"], 15_000, env);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(server.stdout(), /Admin token/);
      assert.doesNotMatch(server.stderr(), /WARNING/);
    } finally {
      await server.stop();
    }
  });
});
