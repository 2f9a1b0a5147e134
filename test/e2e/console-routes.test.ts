/**
 * The console's server side without a browser: the SSE feed announces committed EC2 mutations and admin changes
 * (not reads, not failed calls), the config says read-only on a non-loopback host, and the static handler serves
 * the built app (npm test builds it first) and nothing outside it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateVpcCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ChangeFeed } from "../../src/server/events.js";
import { consoleRoutes, isLoopbackHost } from "../../src/server/console.js";
import { useHarness } from "./harness.js";
import { readSse, type SseEvent } from "./sse.js";

/** Reads server-sent events from `url` until `until` has seen what it needs; answers the `change` events read. */
const readChanges = async (url: string, act: () => Promise<void>, until: (names: string[]) => boolean): Promise<string[]> => {
  const names = (events: readonly SseEvent[]): string[] =>
    events.filter((e) => e.event === "change").map((e) => (e.data as { name: string }).name);
  return names(await readSse(url, act, (events) => until(names(events))));
};

describe("console routes and the change feed", () => {
  const h = useHarness();

  it("GET /_localvpc/events announces committed mutating EC2 calls and admin changes, not reads or failures", async () => {
    const names = await readChanges(
      `${h.vpc.url}/_localvpc/events`,
      async () => {
        await h.ec2.send(new DescribeVpcsCommand({}));
        await assert.rejects(h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/8" })));
        await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }));
        await fetch(`${h.vpc.url}/_localvpc/clock/advance`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ms: 1 }),
        });
      },
      (n) => n.length >= 2,
    );
    assert.deepEqual(names, ["CreateVpc", "POST /_localvpc/clock/advance"]);
  });

  it("announces no change for a traffic probe (it changes no state; its verdict has its own event)", async () => {
    const names = await readChanges(
      `${h.vpc.url}/_localvpc/events`,
      async () => {
        const probe = await fetch(`${h.vpc.url}/_localvpc/traffic/send`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ from: "internet", to: "203.0.113.9", proto: "tcp", port: 80 }),
        });
        assert.equal(probe.status, 200, await probe.text());
        await fetch(`${h.vpc.url}/_localvpc/clock/advance`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ms: 1 }),
        });
      },
      (n) => n.length >= 1,
    );
    assert.deepEqual(names, ["POST /_localvpc/clock/advance"]);
  });

  it("answers /favicon.ico with the console's icon, not an EC2 error", async () => {
    for (const path of ["/favicon.ico", "/_localvpc/console/favicon.svg"]) {
      const res = await fetch(`${h.vpc.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("content-type"), "image/svg+xml");
      assert.match(await res.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it("serves the built console, redirects the bare path, and refuses paths outside it", async () => {
    const page = await fetch(`${h.vpc.url}/_localvpc/console/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await page.text(), /<title>localvpc console<\/title>/);
    const bare = await fetch(`${h.vpc.url}/_localvpc/console`, { redirect: "manual" });
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.get("location"), "/_localvpc/console/");
    const outside = await fetch(`${h.vpc.url}/_localvpc/console/..%2F..%2Fpackage.json`);
    assert.equal(outside.status, 404);
    const config = (await (await fetch(`${h.vpc.url}/_localvpc/console/api/config`)).json()) as { readOnly: boolean };
    assert.equal(config.readOnly, false, "127.0.0.1 is loopback: actions allowed");
  });

  it("is read-only on a non-loopback host unless actions are allowed, and says why", () => {
    const config = (host: string, allowActions?: boolean): { readOnly: boolean; reason?: string } => {
      const routes = consoleRoutes({
        feed: new ChangeFeed(),
        listScopes: () => [],
        defaults: { account: "000000000000", region: "us-east-1" },
        host,
        ...(allowActions === undefined ? {} : { allowActions }),
      });
      const route = routes.find((r) => r.path === "/_localvpc/console/api/config")!;
      return route.handle({ method: "GET", path: route.path, params: {}, query: new URLSearchParams(), body: {}, requestId: "t" }) as {
        readOnly: boolean;
        reason?: string;
      };
    };
    const open = config("0.0.0.0");
    assert.equal(open.readOnly, true);
    assert.match(open.reason ?? "", /bound to 0\.0\.0\.0, not a loopback address.*--console-actions/);
    assert.equal(config("0.0.0.0", true).readOnly, false);
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ["0.0.0.0", "192.0.2.10", "::"]) assert.equal(isLoopbackHost(host), false, host);
  });
});
