/**
 * One worker thread of `ParallelVerdicts` (parallel-verdicts.ts; issue 21). It compiles the topology once, from the
 * plain records it was given (structured clone) or from a workload module (which also makes its probes, so a bench
 * ships no probes per batch), judges the probes of its shard, and aggregates their flow observations in its own
 * `FlowTable`, exactly as the recorder's stage 1 does. It hands the rows of closed windows to the main thread, which
 * merges them into the real `FlowRecorder` (`mergeRows`).
 *
 * Rows name ENIs by their position in the compiled topology's `enis` (the same on every thread: the same records in
 * the same order), kept on each ENI's sink slot so an observation needs no lookup.
 */
import { parentPort, workerData } from "node:worker_threads";
import { evaluate, type Probe, type Verdict } from "../domain/dataplane/evaluate.js";
import { compileTopology, type Topology } from "../domain/dataplane/topology.js";
import type { FlowObservation } from "../domain/flow-observation.js";
import { FlowTable } from "./flow-table.js";
import { shardOf, type JudgedVerdict, type WorkerData, type WorkerReply, type WorkerRequest, type Workload } from "./parallel-verdicts.js";

/** The sink epoch this thread marks its ENIs with (no recorder lives here, so any fixed value is ours alone). */
const WORKER_EPOCH = -21;

const data = workerData as WorkerData;
const port = parentPort!;

const load = async (): Promise<{ topo: Topology; probes: readonly Probe[] }> => {
  if (data.input) return { topo: compileTopology(data.input), probes: [] };
  const w = data.workload!;
  const mod = (await import(w.module)) as Record<string, unknown>;
  const make = mod[w.name];
  if (typeof make !== "function") throw new Error(`workload module ${w.module} has no function ${w.name}`);
  const made = (make as (arg: unknown) => Workload)(w.arg);
  return { topo: compileTopology(made.input), probes: made.probes };
};

const { topo, probes } = await load();
let slot = 0;
for (const e of topo.enis.values()) {
  e.sinkEpoch = WORKER_EPOCH;
  e.sinkSlot = slot++;
}
/** This thread's share of the workload's probes (every thread shards the same list the same way). */
const mine = probes.filter((p) => shardOf(p, data.workers) === data.index);
let next = 0;

const table = new FlowTable();
let observations = 0;
const sink = (o: FlowObservation): void => {
  observations++;
  table.addObservation(o, o.eni.sinkSlot);
};

const judged = (v: Verdict): JudgedVerdict => ({
  delivered: v.delivered,
  reason: v.reason,
  explanation: v.explanation,
  deliveredToEni: v.deliveredToEni,
  reply: v.reply && { delivered: v.reply.delivered, reason: v.reply.reason, explanation: v.reply.explanation },
});

const handle = (m: WorkerRequest): WorkerReply => {
  const opts = { nowMs: m.nowMs, sink, trace: false, returnPath: data.returnPath, bytes: data.bytes };
  if (m.op === "judge") return { id: m.id, op: "judge", verdicts: m.probes.map((p) => judged(evaluate(topo, p, opts))) };
  if (m.op === "run") {
    if (mine.length === 0) throw new Error("this worker has no probes of its own: start it with a workload module");
    let packets = 0;
    let delivered = 0;
    observations = 0;
    for (let i = 0; i < m.count; i++) {
      const v = evaluate(topo, mine[next]!, opts);
      if (++next === mine.length) next = 0;
      if (v.delivered) delivered++;
      packets += v.reply === undefined ? 1 : 2;
    }
    const rows = table.takeClosedRows(m.nowMs);
    return { id: m.id, op: "run", verdicts: m.count, packets, delivered, observations, rows };
  }
  return { id: m.id, op: "collect", rows: table.takeClosedRows(m.nowMs), pending: table.size };
};

port.on("message", (m: WorkerRequest) => {
  try {
    const reply = handle(m);
    // Rows move to the main thread without a copy.
    port.postMessage(reply, "rows" in reply && reply.rows.byteLength > 0 ? [reply.rows.buffer as ArrayBuffer] : []);
  } catch (e) {
    port.postMessage({ id: m.id, op: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply);
  }
});
port.postMessage({ id: 0, op: "ready", probes: mine.length } satisfies WorkerReply);
