/**
 * The simulated clock survives a restart of `localvpc serve --data FILE` (kill -9 included): after `clock advance 7d`,
 * a restarted server still reads the advanced time, so BYOIP provisioning does not go back to pending and new
 * LaunchTimes never come before old ones. A reset sets it back to real time, and that survives a restart too.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnServe, type ServeProcess } from "../cli/serve-process.js";

const WEEK_MS = 7 * 24 * 3600_000;

describe("the simulated clock across restarts (--data FILE)", () => {
  const dir = mkdtempSync(join(tmpdir(), "localvpc-clock-"));
  const dbPath = join(dir, "state.db");
  let server: ServeProcess | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the answer shape
  const admin = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${server!.url}/_localvpc/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T };
  };

  it("keeps an advance through kill -9, forgets it after a reset, and refuses an advance past 100 years", async () => {
    server = await spawnServe(["--port", "0", "--data", dbPath, "--log-level", "warn"]);
    const advanced = await admin<{ offsetMs: number }>("POST", "clock/advance", { ms: WEEK_MS });
    assert.equal(advanced.json.offsetMs, WEEK_MS);
    const tooFar = await admin<{ error: string; message: string }>("POST", "clock/advance", { ms: 1e300 });
    assert.deepEqual(tooFar, {
      status: 400,
      json: {
        error: "InvalidParameterValue",
        message: 'Expected {"ms": N} with N a non-negative number of milliseconds, at most 100 years at a time.',
      },
    });
    await server.stop("SIGKILL");
    server = await spawnServe(["--port", "0", "--data", dbPath, "--log-level", "warn"]);
    const after1 = await admin<{ offsetMs: number; now: string }>("GET", "clock");
    assert.equal(after1.json.offsetMs, WEEK_MS, "the advance survived kill -9");
    assert.ok(new Date(after1.json.now).getTime() - Date.now() > WEEK_MS - 60_000);
    await admin("POST", "reset");
    await server.stop();
    server = await spawnServe(["--port", "0", "--data", dbPath, "--log-level", "warn"]);
    assert.equal((await admin<{ offsetMs: number }>("GET", "clock")).json.offsetMs, 0, "a reset clock stays reset");
  });
});
