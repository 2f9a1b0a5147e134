/**
 * Verdicts on several threads (issue 21: "2,000,000 packets/s … means both cores"). Each worker thread
 * (parallel-verdicts-worker.ts) compiles the same topology once and judges its shard of the probes; its flow
 * observations are aggregated on that thread, in a `FlowTable` like the recorder's, and the main thread merges the
 * rows of closed windows into the one real `FlowRecorder` (`mergeRows`) before delivering. The answers and the
 * delivered flow records are those of one thread judging the same probes (parallel-verdicts.test.ts checks it):
 *
 * - a verdict depends only on the topology and the probe when no connection state is carried, so the workers judge
 *   stateless probes only (no `ConnTrack`: tracked connections and NAT gateway port tables depend on the order of
 *   every flow through them, and stay on one thread, `runtime/traffic.ts`);
 * - every field a flow row keeps merges without regard to order (flow-recorder.ts `mergeRows`), and a probe always
 *   lands on the same worker (`shardOf`, by its 5-tuple), so one flow's observations are usually on one thread anyway;
 * - a worker hands over a window's rows only once it has closed by the time asked for (`collect`, `run`), and the
 *   main thread delivers at that time: nothing of a delivered window is still on a worker.
 *
 * The workers run from the built JavaScript (`dist/`), or from the TypeScript sources under tsx (tests, benches): the
 * worker file is found next to this module, and a `.ts` one is started with tsx's loader registered in the thread.
 */
import { Worker } from "node:worker_threads";
import type { Probe } from "../domain/dataplane/evaluate.js";
import { compileTopology, type TopologyInput } from "../domain/dataplane/topology.js";
import type { FlowSource } from "../domain/flow-observation.js";
import type { ReasonCode } from "../domain/dataplane/reasons.js";
import type { FlowRecorder } from "./flow-recorder.js";

/** A topology and its probes, as a workload module's function makes them (the same on every thread). */
export interface Workload {
  readonly input: TopologyInput;
  readonly probes: readonly Probe[];
}

/**
 * A module every thread imports to make the same workload: `module` (a URL), the name of its exported function
 * `(arg) => Workload`, and the argument (structured-cloned). A bench judges probes made in the workers this way,
 * measuring the evaluator rather than the copying of probes between threads.
 */
export interface WorkloadModule {
  readonly module: string;
  readonly name: string;
  readonly arg?: unknown;
}

export interface ParallelVerdictsOptions {
  /** Worker threads (≥ 1). */
  readonly workers: number;
  /** The topology as plain records, or a workload module that makes it (exactly one of the two). */
  readonly input?: TopologyInput | undefined;
  readonly workload?: WorkloadModule | undefined;
  /** Evaluate the reply of a delivered request (default true). */
  readonly returnPath?: boolean | undefined;
  readonly bytes?: number | undefined;
}

/** A verdict as the workers hand it back: plain data, its sentences read on the worker. */
export interface JudgedVerdict {
  readonly delivered: boolean;
  readonly reason: ReasonCode | null;
  readonly explanation: string;
  readonly deliveredToEni: string | null;
  readonly reply?: { readonly delivered: boolean; readonly reason: ReasonCode | null; readonly explanation: string } | undefined;
}

/** What `run` judged, summed over the workers (packets: a request and, when evaluated, its reply count one each). */
export interface RunReport {
  readonly verdicts: number;
  readonly packets: number;
  readonly delivered: number;
  readonly observations: number;
}

/** @internal The worker's start data. */
export interface WorkerData {
  readonly index: number;
  readonly workers: number;
  readonly input?: TopologyInput | undefined;
  readonly workload?: WorkloadModule | undefined;
  readonly returnPath: boolean;
  readonly bytes: number | undefined;
}
/** @internal Main thread → worker. */
export type WorkerRequest =
  | { readonly id: number; readonly op: "judge"; readonly nowMs: number; readonly probes: readonly Probe[] }
  | { readonly id: number; readonly op: "run"; readonly nowMs: number; readonly count: number }
  | { readonly id: number; readonly op: "collect"; readonly nowMs: number };
/** @internal Worker → main thread. */
export type WorkerReply =
  | { readonly id: number; readonly op: "ready"; readonly probes: number }
  | { readonly id: number; readonly op: "judge"; readonly verdicts: readonly JudgedVerdict[] }
  | (RunReport & { readonly id: number; readonly op: "run"; readonly rows: Float64Array })
  | { readonly id: number; readonly op: "collect"; readonly rows: Float64Array; readonly pending: number }
  | { readonly id: number; readonly op: "error"; readonly message: string };

/**
 * The worker a probe belongs to: a hash of its destination address. Every packet of a flow goes to one destination,
 * so a flow is always judged on the same thread; and each worker reads the ingress rules, group members and flow rows
 * of only its share of the destinations, a smaller working set per core than a hash of the whole 5-tuple gave (the
 * request's ingress check is the costliest part of a verdict).
 */
export const shardOf = (p: Probe, workers: number): number => {
  if (workers <= 1) return 0;
  // A multiplicative hash of the address (IPv6 numbers, above 2^32, fold their high part in); its high bits pick the
  // worker (the low bits of a product by an odd number keep the address's own low bits, e.g. its parity).
  const h = Math.imul((p.to % 4294967296) ^ Math.floor(p.to / 4294967296), 0x9e3779b1) >>> 0;
  return Math.floor((h / 4294967296) * workers);
};

/** The worker entry beside this module: `.js` when built, `.ts` under tsx (which the thread must then load itself). */
const startWorker = (data: WorkerData): Worker => {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./parallel-verdicts-worker.js", here), { workerData: data });
  // Node 20 does not apply `--import tsx` to a worker's entry module, so the thread registers tsx's hooks first.
  const entry = new URL("./parallel-verdicts-worker.ts", here).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: data, execArgv: [] });
};

interface Pending {
  readonly resolve: (r: WorkerReply) => void;
  readonly reject: (e: Error) => void;
}

class Thread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failed: Error | undefined;
  readonly ready: Promise<number>;

  constructor(data: WorkerData) {
    this.#worker = startWorker(data);
    this.ready = new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: (r) => resolve(r.op === "ready" ? r.probes : 0), reject });
    });
    this.#worker.on("message", (r: WorkerReply) => {
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.op === "error") p.reject(new Error(`verdict worker ${data.index}: ${r.message}`));
      else p.resolve(r);
    });
    const fail = (e: Error): void => {
      this.#failed = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on("error", (e: Error) => fail(new Error(`verdict worker ${data.index} failed: ${e.message}`, { cause: e })));
    this.#worker.on("exit", (code) => fail(new Error(`verdict worker ${data.index} exited (code ${code})`)));
  }

  request<T extends WorkerReply["op"]>(m: WorkerRequest & { op: T }): Promise<Extract<WorkerReply, { op: T }>> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: WorkerReply) => void, reject });
      this.#worker.postMessage({ ...m, id });
    });
  }

  async close(): Promise<void> {
    this.#failed ??= new Error("closed");
    await this.#worker.terminate();
  }
}

export class ParallelVerdicts {
  readonly #threads: readonly Thread[];
  /** The main thread's view of the ENIs, by the position rows name them with (what `mergeRows` maps to the recorder). */
  readonly #sources: readonly FlowSource[];

  private constructor(threads: readonly Thread[], sources: readonly FlowSource[]) {
    this.#threads = threads;
    this.#sources = sources;
  }

  /** Starts the workers and waits until each has compiled the topology (and made its probes). */
  static async start(o: ParallelVerdictsOptions): Promise<ParallelVerdicts> {
    if (!Number.isInteger(o.workers) || o.workers < 1) throw new RangeError(`workers: ${o.workers} is not a positive integer`);
    if ((o.input === undefined) === (o.workload === undefined)) throw new TypeError("give either input or workload");
    let input = o.input;
    if (input === undefined) {
      const w = o.workload!;
      const mod = (await import(w.module)) as Record<string, unknown>;
      const make = mod[w.name];
      if (typeof make !== "function") throw new Error(`workload module ${w.module} has no function ${w.name}`);
      input = (make as (arg: unknown) => Workload)(w.arg).input;
    }
    // Functions cannot cross to another thread: a topology that asks the BGP view or reads prefix lists on demand is
    // judged on the main thread.
    if (input.internetRoutesToAws || input.whyNotRoutedToAws || input.prefixListCidrs)
      throw new TypeError("a topology with callbacks (internetRoutesToAws, whyNotRoutedToAws, prefixListCidrs) cannot go to a worker");
    const topo = compileTopology(input);
    const threads = Array.from(
      { length: o.workers },
      (_, index) =>
        new Thread({
          index,
          workers: o.workers,
          input: o.input,
          workload: o.workload,
          returnPath: o.returnPath !== false,
          bytes: o.bytes,
        }),
    );
    const pv = new ParallelVerdicts(threads, [...topo.enis.values()]);
    try {
      await Promise.all(threads.map((t) => t.ready));
    } catch (e) {
      await pv.close();
      throw e;
    }
    return pv;
  }

  get workers(): number {
    return this.#threads.length;
  }

  /**
   * Judges the probes at `nowMs` (each on its shard's worker) and returns their verdicts in the probes' order. The
   * flow observations stay on the workers until `collect`.
   */
  async judge(probes: readonly Probe[], nowMs: number): Promise<JudgedVerdict[]> {
    const n = this.#threads.length;
    const shards = Array.from({ length: n }, () => ({ probes: [] as Probe[], at: [] as number[] }));
    probes.forEach((p, i) => {
      const s = shards[shardOf(p, n)]!;
      s.probes.push(p);
      s.at.push(i);
    });
    const replies = await Promise.all(this.#threads.map((t, i) => t.request({ id: 0, op: "judge", nowMs, probes: shards[i]!.probes })));
    const out = new Array<JudgedVerdict>(probes.length);
    replies.forEach((r, i) => r.verdicts.forEach((v, j) => (out[shards[i]!.at[j]!] = v)));
    return out;
  }

  /**
   * Each worker judges the next `count` probes of its share of the workload module's probes (cycling) at `nowMs`;
   * then, when a recorder is given, the rows of windows closed by `nowMs` are merged into it (deliver at `nowMs` next).
   */
  async run(count: number, nowMs: number, recorder?: FlowRecorder): Promise<RunReport> {
    const replies = await Promise.all(this.#threads.map((t) => t.request({ id: 0, op: "run", nowMs, count })));
    let verdicts = 0;
    let packets = 0;
    let delivered = 0;
    let observations = 0;
    for (const r of replies) {
      verdicts += r.verdicts;
      packets += r.packets;
      delivered += r.delivered;
      observations += r.observations;
      recorder?.mergeRows(r.rows, this.#sources);
    }
    return { verdicts, packets, delivered, observations };
  }

  /**
   * Judges without a barrier between the workers until `until()` says stop: each worker keeps two requests of `count`
   * probes queued (the next waits while one runs, so a worker never idles on the main thread), each at `nowMs()` when
   * posted, and hands back the rows of windows closed by then, which are merged into `recorder`. A window is complete
   * in the recorder once every worker has answered a request at or after its end: `onSafe(t)` is called whenever that
   * instant t (the least of the workers' latest request times) advances, so the caller may deliver at t.
   */
  async stream(o: {
    readonly count: number;
    readonly nowMs: () => number;
    readonly until: () => boolean;
    readonly recorder?: FlowRecorder | undefined;
    readonly onSafe?: ((nowMs: number) => void) | undefined;
  }): Promise<RunReport> {
    const latest = this.#threads.map(() => -Infinity);
    let safe = -Infinity;
    const total = { verdicts: 0, packets: 0, delivered: 0, observations: 0 };
    const lane = async (t: Thread, k: number): Promise<void> => {
      const queued: Promise<{ r: Extract<WorkerReply, { op: "run" }>; nowMs: number }>[] = [];
      const post = (): void => {
        const nowMs = o.nowMs();
        queued.push(t.request({ id: 0, op: "run", nowMs, count: o.count }).then((r) => ({ r, nowMs })));
      };
      post();
      post();
      while (queued.length > 0) {
        const { r, nowMs } = await queued.shift()!;
        if (!o.until()) post();
        total.verdicts += r.verdicts;
        total.packets += r.packets;
        total.delivered += r.delivered;
        total.observations += r.observations;
        o.recorder?.mergeRows(r.rows, this.#sources);
        latest[k] = nowMs;
        const least = Math.min(...latest);
        if (least > safe) {
          safe = least;
          o.onSafe?.(safe);
        }
      }
    };
    await Promise.all(this.#threads.map(lane));
    return total;
  }

  /**
   * Merges into `recorder` every row the workers hold of a window closed by `nowMs` (Infinity: every row, open windows
   * too, e.g. before the recorder persists or stops). Returns the flows still held by the workers.
   */
  async collect(recorder: FlowRecorder, nowMs: number): Promise<number> {
    const replies = await Promise.all(this.#threads.map((t) => t.request({ id: 0, op: "collect", nowMs })));
    let pending = 0;
    for (const r of replies) {
      recorder.mergeRows(r.rows, this.#sources);
      pending += r.pending;
    }
    return pending;
  }

  async close(): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.close()));
  }
}
