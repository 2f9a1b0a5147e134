/**
 * Scenarios started through the admin API (the console's Scenarios panel): `GET /_localvpc/scenarios` lists them,
 * `POST /_localvpc/scenarios/run` runs one in-process against the server's own endpoint, publishes its steps as
 * `scenario` SSE events and answers the result; the end state is there for the SDK (and the console) to see. A second
 * concurrent run is a 409, an unknown name a 404, a read-only console refuses; none of these change state.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeNetworkInterfacesCommand } from "@aws-sdk/client-ec2";
import { ChangeFeed, type ScenarioEvent } from "../../src/server/events.js";
import { scenarioRoutes } from "../../src/server/scenario-routes.js";
import type { ScenarioResult } from "../../src/scenarios/runner.js";
import type { Scenario } from "../../src/scenarios/scenarios.js";
import type { AdminRequest } from "../../src/admin/routes.js";
import { useHarness } from "./harness.js";
import { readSse, type SseEvent } from "./sse.js";

const ACCOUNT = "444455556666";

const post = async (url: string, body: unknown): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`${url}/_localvpc/scenarios/run`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

/** Collects the `scenario` SSE events until a `finished` one arrives. */
const collectScenarioEvents = async (url: string, act: () => Promise<void>): Promise<ScenarioEvent[]> => {
  const scenarioEvents = (events: readonly SseEvent[]): ScenarioEvent[] =>
    events.filter((e) => e.event === "scenario").map((e) => e.data as ScenarioEvent);
  return scenarioEvents(
    await readSse(`${url}/_localvpc/events`, act, (events) => scenarioEvents(events).some((e) => e.phase === "finished")),
  );
};

const request = (body: unknown): AdminRequest => ({
  method: "POST",
  path: "/_localvpc/scenarios/run",
  params: {},
  query: new URLSearchParams(),
  body,
  requestId: "t",
});

describe("scenario routes (the console's Scenarios panel)", () => {
  const h = useHarness();

  it("GET /_localvpc/scenarios lists the eight scenarios with a one-line description", async () => {
    const r = (await (await fetch(`${h.vpc.url}/_localvpc/scenarios`)).json()) as {
      scenarios: { name: string; description: string; steps: number; available: boolean }[];
      running: string | null;
    };
    assert.deepEqual(
      r.scenarios.map((s) => s.name),
      [
        "multi-homed-db",
        "ip-licensing",
        "email-migration",
        "dr-failover",
        "private-s3-and-peering",
        "lambda-in-vpc",
        "nlb-byoip",
        "eks-ip-exhaustion",
      ],
    );
    for (const s of r.scenarios) {
      assert.ok(s.description.length > 20 && !s.description.includes("\n"), s.description);
      assert.ok(s.steps > 0);
      assert.equal(s.available, true);
    }
    assert.equal(r.running, null);
  });

  it("runs a scenario in-process, publishes every step as a `scenario` event, and leaves its end state", async () => {
    let answer: { status: number; body: unknown } | undefined;
    const events = await collectScenarioEvents(h.vpc.url, async () => {
      answer = await post(h.vpc.url, { name: "ip-licensing", account: ACCOUNT, region: "us-east-1" });
    });
    assert.equal(answer?.status, 200, JSON.stringify(answer?.body));
    const result = answer.body as ScenarioResult;
    assert.equal(result.ok, true, JSON.stringify(result.steps));
    assert.equal(result.name, "ip-licensing");
    assert.equal(result.account, ACCOUNT);
    assert.equal(result.steps.length, result.total);
    assert.ok(result.steps.every((s) => s.ok));
    // The events: start and finish of every step, in order, then the result; all for this run and account.
    const phases = events.map((e) => e.phase);
    assert.deepEqual(phases, [...Array.from({ length: result.total }, () => ["step-started", "step-finished"]).flat(), "finished"]);
    assert.ok(events.every((e) => e.name === "ip-licensing" && e.account === ACCOUNT && e.run === events[0]!.run));
    const last = events.at(-1)!;
    assert.ok(last.phase === "finished" && last.result.ok);
    // The state is left in place: the licence ENI is on the replacement instance, as the SDK sees it.
    const eni = await h.client(ACCOUNT).send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [result.facts["eni"]!] }));
    assert.equal(eni.NetworkInterfaces?.[0]?.Attachment?.InstanceId, result.facts["app2"]);
    assert.equal(eni.NetworkInterfaces?.[0]?.MacAddress, result.facts["mac"]);
  });

  it("runs lambda-in-vpc in-process too: its Lambda calls reach the server, and EC2 shows the functions' one shared ENI", async () => {
    const answer = await post(h.vpc.url, { name: "lambda-in-vpc", account: ACCOUNT, region: "us-east-1" });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const result = answer.body as ScenarioResult;
    assert.equal(result.ok, true, JSON.stringify(result.steps));
    const enis = await h.client(ACCOUNT).send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "vpc-id", Values: [result.facts["vpc"]!] },
          { Name: "interface-type", Values: ["lambda"] },
        ],
      }),
    );
    assert.deepEqual(
      enis.NetworkInterfaces?.map((n) => [n.NetworkInterfaceId, n.SubnetId]),
      [[result.facts["lambdaEni"], result.facts["privateSubnet"]]],
    );
  });

  it("refuses a second run while one is running (409), and an unknown or missing name, changing nothing", async () => {
    const before = await h.state(ACCOUNT);
    const unknown = await post(h.vpc.url, { name: "no-such-scenario", account: ACCOUNT });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, {
      error: "ScenarioNotFound",
      message:
        "There is no scenario no-such-scenario. Known: multi-homed-db, ip-licensing, email-migration, dr-failover, private-s3-and-peering, lambda-in-vpc, nlb-byoip, eks-ip-exhaustion.",
    });
    const missing = await post(h.vpc.url, { account: ACCOUNT });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { error: "MissingParameter", message: "The request must contain the parameter name" });
    assert.deepEqual(await h.state(ACCOUNT), before, "state changed after a refused run");
    // Two runs at once against the real server: one runs, the other is refused with 409.
    const both = await Promise.all([
      post(h.vpc.url, { name: "ip-licensing", account: ACCOUNT }),
      post(h.vpc.url, { name: "ip-licensing", account: ACCOUNT }),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
    assert.deepEqual(both.find((r) => r.status === 409)?.body, {
      error: "ScenarioAlreadyRunning",
      message:
        "The scenario ip-licensing is still running; scenarios run one at a time. Wait for it to finish (its steps are on GET /_localvpc/events).",
    });
    // Afterwards another run is accepted again.
    assert.equal(((await fetch(`${h.vpc.url}/_localvpc/scenarios`).then((r) => r.json())) as { running: null }).running, null);
  });

  it("a refused concurrent run runs none of its steps (the routes with a gated scenario)", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let stepRuns = 0;
    const gated: Scenario = {
      name: "gated",
      description: "waits for the test",
      steps: [
        {
          title: "wait",
          run: async () => {
            stepRuns++;
            await gate;
            return "released";
          },
        },
      ],
    };
    const feed = new ChangeFeed();
    const seen: ScenarioEvent[] = [];
    feed.subscribeScenarios((e) => seen.push(e));
    const routes = scenarioRoutes({
      feed,
      defaults: { account: ACCOUNT, region: "us-east-1" },
      endpoint: () => h.vpc.url,
      readOnly: false,
      host: "127.0.0.1",
      scenarios: [gated],
    });
    const run = routes.find((r) => r.path === "/_localvpc/scenarios/run")!;
    const first = run.handle(request({ name: "gated" })) as Promise<ScenarioResult>;
    await assert.rejects(
      () => run.handle(request({ name: "gated" })) as Promise<unknown>,
      (e: { code: string; status: number; message: string }) =>
        e.code === "ScenarioAlreadyRunning" && e.status === 409 && e.message.startsWith("The scenario gated is still running"),
    );
    assert.equal(stepRuns, 1, "the refused run ran no step");
    release();
    const result = await first;
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps, [{ step: "wait", ok: true, detail: "released" }]);
    assert.deepEqual(
      seen.map((e) => e.phase),
      ["step-started", "step-finished", "finished"],
    );
  });

  it("is refused with the console's read-only error on a non-loopback host without --console-actions", async () => {
    const before = await h.state(ACCOUNT);
    const routes = scenarioRoutes({
      feed: new ChangeFeed(),
      defaults: { account: ACCOUNT, region: "us-east-1" },
      endpoint: () => h.vpc.url,
      readOnly: true,
      host: "0.0.0.0",
    });
    const run = routes.find((r) => r.path === "/_localvpc/scenarios/run")!;
    await assert.rejects(
      () => run.handle(request({ name: "ip-licensing" })) as Promise<unknown>,
      (e: { code: string; status: number; message: string }) =>
        e.code === "ConsoleReadOnly" &&
        e.status === 403 &&
        e.message ===
          "localvpc is bound to 0.0.0.0, not a loopback address, so the console is read-only: anyone who reaches it could change state. Start it with --console-actions to allow actions.",
    );
    assert.deepEqual(await h.state(ACCOUNT), before);
  });
});
