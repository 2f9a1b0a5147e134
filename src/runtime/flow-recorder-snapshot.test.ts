/**
 * The recorder's snapshot (issue 14: nothing lost on restart): a recorder restored from another's snapshot delivers
 * exactly what the first would have delivered (both stages: open 1-minute windows and a 10-minute flow log's partial
 * windows), keeps aggregating into the restored rows, persists only when something changed, and drops a snapshot it
 * cannot read instead of failing. Runs against an in-memory store: a "restart" is a new recorder on the same store.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { observationFromText, type FlowObservation, type TextObservation } from "../domain/flow-observation.js";
import { DEFAULT_LOG_FORMAT } from "../domain/flow-log-format.js";
import type { FlowLogRecord } from "../domain/types.js";
import { Store } from "../store/store.js";
import { FlowRecorder, PENDING_META } from "./flow-recorder.js";

const scope = { account: "000000000000", region: "us-east-1" };
const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a minute and 10-minute boundary
const obs = (over: Partial<TextObservation> = {}): FlowObservation =>
  observationFromText({
    account: scope.account,
    region: scope.region,
    eniId: "eni-00000000000000001",
    vpcId: "vpc-00000000000000001",
    subnetId: "subnet-00000000000000001",
    direction: "ingress",
    srcAddr: "203.0.113.9",
    dstAddr: "10.0.1.4",
    pktSrcAddr: "203.0.113.9",
    pktDstAddr: "10.0.1.4",
    srcPort: 40000,
    dstPort: 443,
    protocol: 6,
    packets: 1,
    bytes: 100,
    action: "ACCEPT",
    tcpFlags: 2,
    atMs: T + 1000,
    ...over,
  });
const flowLog = (over: Partial<FlowLogRecord>): FlowLogRecord => ({
  kind: "flow-log",
  id: "fl-00000000000000001",
  tags: [],
  resourceId: "eni-00000000000000001",
  resourceType: "NetworkInterface",
  trafficType: "ALL",
  logDestinationType: "cloud-watch-logs",
  logDestination: "arn:aws:logs:us-east-1:000000000000:log-group:g",
  logGroupName: "g",
  logFormat: DEFAULT_LOG_FORMAT,
  maxAggregationInterval: 60,
  vpcId: "vpc-00000000000000001",
  creationTime: new Date(T - 3_600_000).toISOString(),
  ...over,
});
/** A 1-minute ENI flow log and a 10-minute VPC flow log (whose windows pass through stage 2). */
const LOGS = [
  flowLog({}),
  flowLog({
    id: "fl-00000000000000002",
    resourceId: "vpc-00000000000000001",
    resourceType: "VPC",
    logGroupName: "ten",
    logDestination: "arn:aws:logs:us-east-1:000000000000:log-group:ten",
    maxAggregationInterval: 600,
  }),
];

const storeWithLogs = (): Store => {
  const store = new Store(":memory:");
  store.tx(scope, (tx) => LOGS.forEach((f) => tx.put(f)));
  return store;
};
const recorder = (store: Store, nowMs: { v: number }, errors: unknown[] = []): FlowRecorder =>
  new FlowRecorder({ store, now: () => new Date(nowMs.v), s3Dir: () => "/nonexistent", onError: (e) => errors.push(e) });
const delivered = (store: Store): string[] =>
  store.logs
    .listGroups(scope, "", 50)
    .flatMap((g) => store.logs.events(scope, { groupName: g.name, limit: 1000 }).map((e) => `${g.name}/${e.streamName}: ${e.message}`))
    .sort();

/**
 * Traffic in minutes 0 and 2 of a 10-minute window, a delivery at minute 1 (minute 0 goes out to the 1-minute log
 * and into stage 2 for the 10-minute one), optionally a restart at minute 2 after the second batch, more traffic
 * of the same flows, then deliveries at minute 3 and after the 10-minute window. Returns every delivered line.
 */
const scenario = (restart: boolean): { lines: string[]; pendingAtRestart: number } => {
  const store = storeWithLogs();
  const now = { v: T };
  let r = recorder(store, now);
  const eni2 = { eniId: "eni-00000000000000002", dstAddr: "10.0.1.5", pktDstAddr: "10.0.1.5", instanceId: "i-00000000000000002" };
  r.record(obs());
  r.record(obs({ atMs: T + 30_000, packets: 2, bytes: 300, tcpFlags: 16 }));
  r.record(obs({ ...eni2, direction: "egress", trafficPath: 1 }));
  now.v = T + 60_000;
  r.deliver();
  r.record(obs({ atMs: T + 121_000 }));
  r.record(obs({ ...eni2, atMs: T + 125_000, srcPort: 40001, action: "REJECT" }));
  let pendingAtRestart = r.pendingFlows;
  if (restart) {
    r.persist();
    r = recorder(store, now);
    r.restore(store.getMeta(PENDING_META)!);
    pendingAtRestart = r.pendingFlows;
  }
  // The same flows again after the restart: they must join the restored rows, not start new ones.
  r.record(obs({ atMs: T + 150_000, packets: 5, bytes: 500, tcpFlags: 1 }));
  r.record(obs({ ...eni2, atMs: T + 130_000, srcPort: 40001, action: "REJECT" }));
  now.v = T + 180_000;
  r.deliver();
  now.v = T + 600_000;
  r.deliver();
  const lines = delivered(store);
  store.close();
  return { lines, pendingAtRestart };
};

describe("FlowRecorder snapshot and restore", () => {
  it("a restored recorder delivers what an uninterrupted one does: open windows, stage-2 entries, later traffic merged", () => {
    const straight = scenario(false);
    const restarted = scenario(true);
    assert.equal(restarted.pendingAtRestart, straight.pendingAtRestart);
    assert.equal(straight.pendingAtRestart, 4, "2 open 1-minute rows and 2 stage-2 entries");
    assert.deepEqual(restarted.lines, straight.lines);
    const s = (ms: number): number => Math.floor(ms / 1000);
    // The 10-minute log got one merged record per flow for the whole window; the 1-minute log one per minute.
    assert.ok(
      restarted.lines.includes(
        `ten/eni-00000000000000001-all: 2 000000000000 eni-00000000000000001 203.0.113.9 10.0.1.4 40000 443 6 9 1000 ${s(T + 1000)} ${s(T + 150_000)} ACCEPT OK`,
      ),
      restarted.lines.join("\n"),
    );
    assert.ok(
      restarted.lines.includes(
        `g/eni-00000000000000001-all: 2 000000000000 eni-00000000000000001 203.0.113.9 10.0.1.4 40000 443 6 6 600 ${s(T + 121_000)} ${s(T + 150_000)} ACCEPT OK`,
      ),
      restarted.lines.join("\n"),
    );
    assert.equal(restarted.lines.filter((l) => l.startsWith("ten/")).length, 3);
    assert.equal(restarted.lines.filter((l) => l.startsWith("g/")).length, 2, "the 1-minute log covers eni-…1 only");
  });

  it("snapshot() is undefined until something changes; a delivery that takes nothing out changes nothing", () => {
    const store = storeWithLogs();
    const now = { v: T };
    const r = recorder(store, now);
    assert.equal(r.snapshot(), undefined);
    r.record(obs());
    assert.equal(typeof r.snapshot(), "string");
    assert.equal(r.snapshot(), undefined);
    r.deliver();
    assert.equal(r.snapshot(), undefined, "the window is still open");
    now.v = T + 60_000;
    r.deliver();
    assert.equal(typeof r.snapshot(), "string", "minute 0 left stage 1");
    // Unmonitored traffic is dropped before the table: nothing to persist.
    r.record(obs({ eniId: "eni-0000000000000000f", vpcId: "vpc-0000000000000000f" }));
    assert.equal(r.snapshot(), undefined);
    store.close();
  });

  it("persist() writes flow.pending, removes it once nothing is pending, and reset() removes it", () => {
    const store = storeWithLogs();
    const now = { v: T };
    const r = recorder(store, now);
    r.persist();
    assert.equal(store.getMeta(PENDING_META), undefined);
    r.record(obs());
    r.persist();
    const saved = JSON.parse(store.getMeta(PENDING_META)!) as { v: number; rows: string; enis: { eniId: string }[]; long: unknown[] };
    assert.equal(saved.v, 1);
    assert.equal(Buffer.from(saved.rows, "base64").length, 64, "one row");
    assert.deepEqual(
      saved.enis.map((e) => e.eniId),
      ["eni-00000000000000001"],
    );
    now.v = T + 60_000;
    r.deliver(); // the 10-minute log keeps the row in stage 2
    r.persist();
    assert.equal((JSON.parse(store.getMeta(PENDING_META)!) as { long: unknown[] }).long.length, 1);
    now.v = T + 600_000;
    r.deliver();
    r.persist();
    assert.equal(store.getMeta(PENDING_META), undefined, "everything delivered");
    r.record(obs({ atMs: T + 601_000 }));
    r.persist();
    assert.notEqual(store.getMeta(PENDING_META), undefined);
    r.reset();
    assert.equal(store.getMeta(PENDING_META), undefined);
    assert.equal(r.pendingFlows, 0);
    store.close();
  });

  it("an unreadable snapshot is reported and dropped; the recorder starts empty and records as before", () => {
    const store = storeWithLogs();
    const now = { v: T };
    const first = recorder(store, now);
    first.record(obs());
    const good = first.snapshot()!;
    const damaged = [
      "not json",
      "[]",
      JSON.stringify({ ...(JSON.parse(good) as object), v: 2 }),
      JSON.stringify({ ...(JSON.parse(good) as object), rows: "AAAA" }),
      JSON.stringify({ ...(JSON.parse(good) as object), enis: [] }), // a row refers to an ENI the snapshot lacks
      JSON.stringify({ ...(JSON.parse(good) as object), enis: [{ eniId: 1 }] }),
      JSON.stringify({ ...(JSON.parse(good) as object), long: [[0, T, {}]] }),
    ];
    for (const text of damaged) {
      const errors: unknown[] = [];
      const r = recorder(store, now, errors);
      store.setMeta(PENDING_META, text);
      r.restore(text);
      assert.equal(errors.length, 1, text);
      assert.match((errors[0] as Error).message, /could not be restored/);
      assert.equal(r.pendingFlows, 0);
      r.persist();
      assert.equal(store.getMeta(PENDING_META), undefined, "the bad snapshot is removed at the next persist");
      r.record(obs());
      assert.equal(r.pendingFlows, 1);
    }
    const errors: unknown[] = [];
    const r = recorder(store, now, errors);
    r.restore(good);
    assert.deepEqual(errors, []);
    assert.equal(r.pendingFlows, 1);
    store.close();
  });

  it("10,000 rows over 1,000 ENIs: about 85 characters a row", () => {
    const store = storeWithLogs();
    const now = { v: T };
    const r = recorder(store, now);
    for (let e = 0; e < 1000; e++) {
      const eniId = `eni-${String(e).padStart(17, "0")}`;
      // Covered by the VPC flow log; the observation's source object is per ENI, as the evaluator's is.
      const first = obs({ eniId });
      for (let f = 0; f < 10; f++) r.record({ ...first, srcPort: 40000 + f });
    }
    assert.equal(r.pendingFlows, 10_000);
    const text = r.snapshot()!;
    assert.ok(text.length < 10_000 * 86 + 1000 * 200, `${text.length} characters`);
    const copy = recorder(store, now);
    copy.restore(text);
    assert.equal(copy.pendingFlows, 10_000);
    store.close();
  });
});
