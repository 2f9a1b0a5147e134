/**
 * Issue 21: verdicts judged on worker threads give the answers and the delivered flow records of one thread judging
 * the same probes. The single-thread side is the plain evaluator recording into a `FlowRecorder`; the parallel side
 * is `ParallelVerdicts` with 2 workers, merging their aggregates into another recorder. Both deliver at the same
 * simulated instants, a window closing mid-run.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, type Probe, type Verdict } from "../domain/dataplane/evaluate.js";
import { compileTopology, type TopologyInput } from "../domain/dataplane/topology.js";
import type { FlowObservation, FlowSource } from "../domain/flow-observation.js";
import type { FlowLogRecord } from "../domain/types.js";
import { Store } from "../store/store.js";
import { FlowRecorder } from "./flow-recorder.js";
import { FlowTable } from "./flow-table.js";
import { ParallelVerdicts, shardOf, type JudgedVerdict } from "./parallel-verdicts.js";
import { parallelWorkload } from "./parallel-verdicts.fixture.js";

const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a minute boundary
/** Every field a record can carry that the data plane fills, so any difference in aggregation shows. */
const FORMAT =
  "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${az-id} ${flow-direction} ${traffic-path}";

const recorderFor = (input: TopologyInput): { store: Store; recorder: FlowRecorder } => {
  const scope = { account: input.account, region: input.region };
  const store = new Store(":memory:");
  const log: FlowLogRecord = {
    kind: "flow-log",
    id: "fl-00000000000000001",
    tags: [],
    resourceId: input.vpcs[0]!.id,
    resourceType: "VPC",
    trafficType: "ALL",
    logDestinationType: "cloud-watch-logs",
    logDestination: `arn:aws:logs:${scope.region}:${scope.account}:log-group:g`,
    logGroupName: "g",
    logFormat: FORMAT,
    maxAggregationInterval: 60,
    vpcId: input.vpcs[0]!.id,
    creationTime: new Date(T - 3_600_000).toISOString(),
  };
  store.tx(scope, (tx) => tx.put(log));
  // No NODATA records: they depend only on which interfaces were quiet, and would hide nothing here.
  return { store, recorder: new FlowRecorder({ store, now: () => new Date(T), s3Dir: () => "/nonexistent", noData: false }) };
};

/** Every delivered record, as `stream: message` lines in a fixed order (threads may deliver a window's rows in another order). */
const delivered = (store: Store, input: TopologyInput): string[] => {
  const scope = { account: input.account, region: input.region };
  return store.logs
    .listGroups(scope, "", 50)
    .flatMap((g) => store.logs.events(scope, { groupName: g.name, limit: 100_000 }).map((e) => `${e.streamName}: ${e.message}`))
    .sort();
};

const judged = (v: Verdict): JudgedVerdict => ({
  delivered: v.delivered,
  reason: v.reason,
  explanation: v.explanation,
  deliveredToEni: v.deliveredToEni,
  reply: v.reply && { delivered: v.reply.delivered, reason: v.reply.reason, explanation: v.reply.explanation },
});

/** The probes in batches at these instants: two in the first minute, then (after it closes) two in the next. */
const steps = [10_000, 50_000, 70_000, 95_000].map((ms) => T + ms);

describe("ParallelVerdicts: 2 worker threads answer and record as one thread does", () => {
  const { input, probes } = parallelWorkload();
  const batches = steps.map((_, i) => probes.slice((i * probes.length) / steps.length, ((i + 1) * probes.length) / steps.length));
  let pv: ParallelVerdicts;
  before(async () => {
    pv = await ParallelVerdicts.start({ workers: 2, input });
  });
  after(async () => {
    await pv.close();
  });

  it("gives every probe the same verdict, and delivers the same flow records at the same instants", async () => {
    const one = recorderFor(input);
    const two = recorderFor(input);
    const topo = compileTopology(input);
    const oneVerdicts: JudgedVerdict[] = [];
    const twoVerdicts: JudgedVerdict[] = [];
    const oneReports: number[] = [];
    const twoReports: number[] = [];
    const sink = (o: FlowObservation): void => one.recorder.record(o);
    for (const [i, nowMs] of steps.entries()) {
      for (const p of batches[i]!) oneVerdicts.push(judged(evaluate(topo, p, { nowMs, sink, trace: false })));
      oneReports.push(one.recorder.deliver(new Date(nowMs)).records);
      twoVerdicts.push(...(await pv.judge(batches[i]!, nowMs)));
      await pv.collect(two.recorder, nowMs);
      twoReports.push(two.recorder.deliver(new Date(nowMs)).records);
    }
    // The probes' mix really has every kind of answer (else identical answers would prove little).
    const reasons = new Set(oneVerdicts.map((v) => v.reason ?? (v.reply?.delivered === false ? `reply ${v.reply.reason}` : "delivered")));
    for (const r of ["delivered", "ENI_SG_RULES_MISMATCH", "SUBNET_ACL_RESTRICTION"])
      assert.ok(reasons.has(r), `${r} in ${[...reasons].join(", ")}`);
    assert.ok(
      [...reasons].some((r) => r.startsWith("reply ")),
      `a dropped reply in ${[...reasons].join(", ")}`,
    );
    assert.deepEqual(twoVerdicts, oneVerdicts);
    // Both shards had work (the hash spreads the flows).
    const shares = [0, 1].map((k) => probes.filter((p) => shardOf(p, 2) === k).length);
    assert.ok(
      shares.every((n) => n > probes.length / 4),
      `shards ${shares.join("/")}`,
    );

    // The first minute closed mid-run (at the third step) and was delivered then, identically.
    assert.deepEqual(twoReports, oneReports);
    assert.ok(oneReports[2]! > 0, "a window closed mid-run");
    const midOne = delivered(one.store, input);
    assert.deepEqual(delivered(two.store, input), midOne);

    // What is still open: merged in full (Infinity), then everything delivered.
    assert.equal(await pv.collect(two.recorder, Infinity), 0);
    assert.equal(two.recorder.pendingFlows, one.recorder.pendingFlows);
    const end = new Date(T + 3_600_000);
    assert.equal(two.recorder.deliver(end).records, one.recorder.deliver(end).records);
    const all = delivered(one.store, input);
    assert.ok(all.length > midOne.length);
    assert.deepEqual(delivered(two.store, input), all);
    one.store.close();
    two.store.close();
  });

  it("fails a probe's batch with the worker's error, and keeps answering after it", async () => {
    const bad: Probe = { from: { kind: "eni", eniId: "eni-00000000000000bad" }, to: 1, protocol: 6, srcPort: 1, dstPort: 1 };
    await assert.rejects(pv.judge([bad], T), /unknown ENI eni-00000000000000bad/);
    const [v] = await pv.judge([probes[0]!], T);
    assert.deepEqual(v, judged(evaluate(compileTopology(input), probes[0]!, { nowMs: T, trace: false })));
  });
});

describe("ParallelVerdicts.stream: workers without a barrier", () => {
  it("delivers each window once, after every worker handed it over, and records every observation once", async () => {
    const { input } = parallelWorkload();
    const pv = await ParallelVerdicts.start({
      workers: 2,
      workload: {
        module: new URL(`./parallel-verdicts.fixture.${import.meta.url.slice(-2)}`, import.meta.url).href,
        name: "parallelWorkload",
      },
    });
    try {
      const { store, recorder } = recorderFor(input);
      // Each request is 20 s of simulated time after the one before, whichever worker it goes to: several windows
      // close while the workers run, each seeing them close at a different moment.
      let calls = 0;
      const safe: number[] = [];
      const report = await pv.stream({
        count: 200,
        nowMs: () => T + 20_000 * calls++,
        until: () => calls >= 16,
        recorder,
        onSafe: (nowMs) => {
          safe.push(nowMs);
          recorder.deliver(new Date(nowMs));
        },
      });
      assert.equal(report.verdicts, 200 * calls);
      assert.ok(report.packets > report.verdicts && report.observations > report.packets, JSON.stringify(report));
      assert.deepEqual(
        safe,
        [...safe].sort((a, b) => a - b),
      );
      const midRun = delivered(store, input).length;
      assert.ok(midRun > 0, "windows were delivered while the workers ran");
      await pv.collect(recorder, Infinity);
      recorder.deliver(new Date(T + 3_600_000));
      // One record per interface, flow and window: a window delivered before a worker handed it over would leave that
      // worker's rows to a second record of the same flow.
      const lines = delivered(store, input).map((l) => l.split(" "));
      // Fields: stream, version … protocol (0–8), packets, bytes, start, end (9–12), action … (13–), tcp-flags (18) ORed.
      const keyOf = (f: string[]): string =>
        [...f.slice(0, 9), ...f.slice(13, 18), ...f.slice(19), Math.floor(Number(f[11]) / 60)].join(" ");
      const keys = lines.map(keyOf);
      assert.equal(new Set(keys).size, keys.length);
      // A window is delivered all at once, by the first delivery after every worker handed it over: its records share
      // one ingestion time (a worker's rows handed over after the window was delivered would come in a later one).
      const scope = { account: input.account, region: input.region };
      const ingested = new Map<number, Set<number>>();
      for (const e of store.logs.events(scope, { groupName: "g", limit: 100_000 })) {
        const minute = Math.floor(e.timestamp / 60_000);
        ingested.set(minute, (ingested.get(minute) ?? new Set()).add(e.ingestionTime));
      }
      assert.ok(ingested.size >= 3, `windows: ${ingested.size}`);
      for (const [minute, times] of ingested) assert.equal(times.size, 1, `window ${minute}: ingested at ${[...times].join(", ")}`);
      // Every observation is in exactly one record (each counts one packet; every ENI is in the flow log's VPC).
      assert.equal(
        lines.reduce((n, f) => n + Number(f[9]), 0),
        report.observations,
      );
      store.close();
    } finally {
      await pv.close();
    }
  });
});

describe("FlowRecorder.mergeRows: one flow's rows from several tables", () => {
  it("delivers what recording every observation in one recorder delivers, whatever the split", () => {
    const { input, probes } = parallelWorkload();
    const topo = compileTopology(input);
    const sources = [...topo.enis.values()];
    const one = recorderFor(input);
    const two = recorderFor(input);
    // Two tables stand for two threads; observations of the same flows go to both, at different seconds.
    const tables = [new FlowTable(), new FlowTable()];
    const slots = new Map<FlowSource, number>(sources.map((s, i) => [s, i]));
    const observe = (table: FlowTable) => (o: FlowObservation) => {
      one.recorder.record(o);
      table.addObservation(o, slots.get(o.eni)!);
    };
    for (const [i, p] of probes.slice(0, 500).entries()) {
      evaluate(topo, p, { nowMs: T + 30_000 - i * 7, sink: observe(tables[0]!), trace: false });
      evaluate(topo, p, { nowMs: T + 5_000 + i * 11, sink: observe(tables[1]!), trace: false });
    }
    for (const t of tables.reverse()) two.recorder.mergeRows(t.takeClosedRows(T + 60_000), sources);
    const end = new Date(T + 60_000);
    const records = one.recorder.deliver(end).records;
    assert.ok(records > 500);
    assert.equal(two.recorder.deliver(end).records, records);
    assert.deepEqual(delivered(two.store, input), delivered(one.store, input));
  });

  it("takes only closed windows' rows and leaves the open ones", () => {
    const t = new FlowTable();
    t.add(T + 1000, 0, true, false, 1, 2, 1, 2, 10, 20, 6, 1, 64, 2, 1);
    t.add(T + 61_000, 0, true, false, 1, 2, 1, 2, 10, 20, 6, 1, 64, 2, 1);
    assert.equal(t.takeClosedRows(T + 59_999).length, 0);
    assert.equal(t.takeClosedRows(T + 60_000).length, 8);
    assert.equal(t.size, 1);
    assert.equal(t.takeClosedRows(Infinity).length, 8);
    assert.equal(t.size, 0);
  });
});
