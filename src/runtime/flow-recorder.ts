/**
 * The flow-log recorder: the data-plane evaluator's `FlowSink`. Every observation (one ENI's view of a packet) is
 * of an ENI some flow log covers is aggregated in memory per (1-minute window, ENI, 5-tuple, direction, action, packet
 * addresses, instance) in a typed-array table (`flow-table.ts`): no allocation and about one cache miss per
 * observation, cheap enough for the ≥ 500,000 verdicts/s benchmark. Nothing touches SQLite until a
 * window closes on the simulated clock and is delivered (`deliver()`: before CloudWatch Logs reads, on clock advance,
 * and on a slow timer), when the aggregates are matched to the flow logs that cover their ENI (ENI-, subnet- or
 * VPC-level, traffic type, created before the traffic) and written: to CloudWatch Logs (log group created if missing,
 * stream `<eni-id>-<all|accept|reject>`) or as a gzipped file in AWS's S3 key layout under the S3 directory.
 *
 * Flow logs with the default 10-minute interval get the 1-minute aggregates merged into 10-minute windows before they
 * are delivered, except for ENIs attached to a Nitro-based instance, which AWS always aggregates per minute.
 * NODATA and SKIPDATA records (issue 21, domain/flow-log-status.ts): an interface a flow log covers that had no
 * traffic for a whole interval gets one NODATA record per quiet stretch (never one per simulated minute, so
 * `clock advance 7d` writes one record per interface, not 10,080); observations dropped by `skip()` (the
 * `localvpc chaos flow-logs-skip` knob: AWS's "internal capacity constraint") are replaced by one SKIPDATA record for
 * their interface and window.
 *
 * What is not yet delivered survives a restart: `persist()` (on the delivery timer and at close) writes a snapshot of
 * both stages into the store's meta table, and `restore()` takes it back at start. A crash (kill -9) falls back to
 * the last timer run's snapshot: what was recorded since is lost, and what was delivered since is delivered again.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { endianness } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { addressText } from "../domain/dataplane/ip6.js";
import type { FlowAction, FlowEni, FlowObservation, FlowSink, FlowSource } from "../domain/flow-observation.js";
import { formatHeader, formatRecord, parseLogFormat, type FlowAggregate } from "../domain/flow-log-format.js";
import {
  flowKey,
  keepsAction,
  logStreamName,
  mergeAggregates,
  monitors,
  parseS3Destination,
  s3ObjectKey,
  windowStartMs,
} from "../domain/flow-logs.js";
import type { FlowLogRecord, NetworkInterfaceRecord } from "../domain/types.js";
import { closedWindowEndSec, quietGap, windowStartSec } from "../domain/flow-log-status.js"; // issue 21
import type { Scope, Store, Tx } from "../store/store.js";
import { FlowTable, renumberRows, type FlowRow } from "./flow-table.js";

const MINUTE_MS = 60_000;

/** The store's meta key for the undelivered aggregates (`persist()` writes it, `restore()` reads it). */
export const PENDING_META = "flow.pending";
/** Bumped whenever the snapshot's shape or the flow table's row encoding changes: an older snapshot is then dropped. */
const SNAPSHOT_VERSION = 1;
/** Rows are stored as their bytes; little-endian on every platform, so a data file moves between machines. */
const BIG_ENDIAN = endianness() === "BE";

/**
 * A snapshot (`FlowRecorder.snapshot()`): stage 1 as the flow table's rows (base64 of their float64 bytes, little
 * endian) with the ENIs they refer to (`eniIndex` = position in `enis`), and stage 2 as [index in `logs`, window start,
 * aggregate] (each flow log once, however many entries it has).
 */
interface Snapshot {
  readonly v: typeof SNAPSHOT_VERSION;
  readonly rows: string;
  readonly enis: readonly FlowEni[];
  readonly logs: readonly FlowLogRecord[];
  readonly long: readonly (readonly [log: number, windowMs: number, agg: FlowAggregate])[];
}

/**
 * Epochs for `FlowSource.sinkEpoch`: each recorder takes a new one whenever the store's version changes, so an ENI's
 * cached slot is valid only for the recorder and state it was computed under.
 */
let lastEpoch = 0;

export interface FlowRecorderOptions {
  readonly store: Store;
  readonly now: () => Date;
  /** Where `s3` destinations are written: `<s3Dir>/<bucket>/<key>`. Called on the first S3 delivery. */
  readonly s3Dir: () => string;
  readonly onError?: (e: unknown) => void;
  /**
   * Whether an instance type is Nitro-based (or bare metal). AWS: "when your network interface is attached to a
   * Nitro-based instance, the aggregation interval is always 1 minute or less, regardless of the specified maximum
   * aggregation interval" (VPC-UG flow-logs.md), so such ENIs skip a 10-minute flow log's merging. Without it, the
   * configured interval always applies.
   */
  readonly isNitroType?: ((instanceType: string) => boolean) | undefined;
  /**
   * `pkt-src-aws-service` / `pkt-dst-aws-service` (issue 21): the AWS service range an address is in (catalog/
   * aws-service-ranges.ts); without it both fields are `-`. Called at delivery, never per observation.
   */
  readonly awsServiceOf?: ((address: number) => string | undefined) | undefined;
  /** NODATA records for quiet interfaces (issue 21); default true, as AWS writes them. */
  readonly noData?: boolean | undefined;
}

/** Counts of what one delivery wrote. */
export interface DeliveryReport {
  readonly records: number;
  readonly cloudWatchEvents: number;
  readonly s3Files: readonly string[];
}

export class FlowRecorder {
  readonly #o: FlowRecorderOptions;
  /** Stage 1: every monitored observation, per 1-minute window, ENI and flow. */
  readonly #table = new FlowTable();
  /** ENI+instance → table index, and index → the latest `FlowEni` (what a record's ENI fields are rendered from). */
  readonly #eniIndex = new Map<string, number>();
  #enis: FlowEni[] = [];
  /** Flow logs per `account|region|vpc`, valid for store version `#logsVersion`. */
  readonly #logsByVpc = new Map<string, FlowLogRecord[]>();
  #logsVersion = -1;
  /** Stage 2: per 10-minute flow log, window and flow (after matching). */
  #long = new Map<string, { flowLog: FlowLogRecord; windowMs: number; agg: FlowAggregate }>();
  #timer: NodeJS.Timeout | undefined;
  /** This recorder's epoch for `FlowSource.sinkEpoch`, taken at store version `#epochVersion`. */
  #epoch = 0;
  #epochVersion = -1;
  /** Whether anything changed since the last snapshot (set on every recorded observation: one store, no more). */
  #dirty = false;
  // --- NODATA / SKIPDATA (issue 21) ---
  /** Per `account|region|eni`: the end (Unix s) of its last closed 1-minute window with any traffic. */
  readonly #activityEnd = new Map<string, number>();
  /** Per `flowLogId|eniId`: where that flow log's records of the interface last ended (Unix s). */
  readonly #covered = new Map<string, number>();
  /** Per flow log: the end of the last closed window the NODATA pass looked at. */
  readonly #closedEnd = new Map<string, number>();
  /** Monitoring by this recorder began here: no NODATA before it (a restart does not report its downtime). */
  #sinceMs: number;
  /** The minute the NODATA pass last ran in (it runs once per simulated minute at most). */
  #quietMinute = -1;
  /** `account|region|eni` → the window start (ms) whose observations are skipped, and how many were. */
  readonly #skipping = new Map<string, { windowMs: number; skipped: number; eni: FlowEni | undefined }>();

  constructor(o: FlowRecorderOptions) {
    this.#o = o;
    this.#sinceMs = o.now().getTime();
  }

  /**
   * SKIPDATA (issue 21): drops the observations of an interface for the rest of the current 1-minute window, as AWS's
   * capture does under "an internal capacity constraint"; the window's records of that interface become one SKIPDATA
   * record. A chaos knob (`POST /_localvpc/chaos/flow-logs-skip`).
   */
  skip(account: string, region: string, eniId: string): void {
    const windowMs = Math.floor(this.#o.now().getTime() / MINUTE_MS) * MINUTE_MS;
    this.#skipping.set(`${account}|${region}|${eniId}`, { windowMs, skipped: 0, eni: undefined });
  }

  /**
   * The evaluator's sink: aggregate one observation. Traffic of an ENI no flow log covers is dropped here: AWS records
   * only what a flow log sees after its creation, so nothing is lost, and unmonitored traffic costs one Map lookup.
   * The first observation of an ENI after a state change reads the flow logs of its VPC (once per VPC and version).
   */
  readonly record: FlowSink = (o: FlowObservation): void => {
    const e = o.eni;
    const version = this.#o.store.version;
    if (version !== this.#epochVersion) {
      this.#epochVersion = version;
      this.#epoch = ++lastEpoch;
    }
    // The slot belongs to whoever set it; a foreign or stale one is recomputed.
    const slot = e.sinkEpoch === this.#epoch ? e.sinkSlot : this.#slot(e);
    if (slot < 0) return;
    // One size test on the hot path; only a `skip()` in force looks further.
    if (this.#skipping.size > 0 && this.#skipped(e.flow, o.atMs)) return;
    this.#table.addObservation(o, slot);
    this.#dirty = true;
  };

  /**
   * Merges partial aggregates made elsewhere (issue 21: worker threads judging verdicts in parallel, each aggregating
   * into its own `FlowTable`; see `runtime/parallel-verdicts.ts`). `rows` are encoded flow-table rows whose ENI index
   * is a position in `sources`. Each row is treated as `record` treats an observation: an ENI no flow log covers is
   * dropped, a window `skip()` drops is counted as skipped. Every field a row keeps merges without regard to order
   * (packets and bytes add, start is the least, end the greatest, TCP flags OR, the traffic path is the flow's route),
   * so rows merged from several threads deliver what one thread recording every observation would. A row stands for
   * many observations: a `skip()` made mid-window drops the whole row if it is merged after the skip.
   */
  mergeRows(rows: Float64Array, sources: readonly FlowSource[]): void {
    if (rows.length === 0) return;
    const version = this.#o.store.version;
    if (version !== this.#epochVersion) {
      this.#epochVersion = version;
      this.#epoch = ++lastEpoch;
    }
    const own = renumberRows(rows, (i, windowMs) => {
      const e = sources[i];
      if (e === undefined) throw new RangeError(`flow rows: ENI index ${i} has no source`);
      const slot = e.sinkEpoch === this.#epoch ? e.sinkSlot : this.#slot(e);
      if (slot < 0) return -1;
      return this.#skipping.size > 0 && this.#skipped(e.flow, windowMs) ? -1 : slot;
    });
    this.#table.importRows(own, this.#enis.length);
    this.#dirty = true;
  }

  /** Whether the observation falls in a window `skip()` drops for its interface (and counts it). */
  #skipped(e: FlowEni, atMs: number): boolean {
    const s = this.#skipping.get(`${e.account}|${e.region}|${e.eniId}`);
    if (!s || Math.floor(atMs / MINUTE_MS) * MINUTE_MS !== s.windowMs) return false;
    s.skipped++;
    s.eni = e;
    this.#dirty = true;
    return true;
  }

  /** The ENI's slot at the store's current version: its table index, or -1 when no flow log covers it now. */
  #slot(source: FlowSource): number {
    const e = source.flow;
    const version = this.#o.store.version;
    if (this.#logsVersion !== version) {
      this.#logsByVpc.clear();
      this.#logsVersion = version;
    }
    // An ENI that moves to another instance starts other flows (instance-id is part of a record).
    const key = `${e.account}|${e.region}|${e.eniId}|${e.instanceId ?? ""}`;
    let index = this.#eniIndex.get(key);
    if (index === undefined) {
      index = this.#enis.length;
      this.#eniIndex.set(key, index);
    }
    this.#enis[index] = e;
    const monitored = this.#flowLogsOf(e.account, e.region, e.vpcId).some((f) => monitors(f, e));
    source.sinkEpoch = this.#epoch;
    source.sinkSlot = monitored ? index : -1;
    return source.sinkSlot;
  }

  /** The flow logs of a VPC at the current store version (read once per VPC and version). */
  #flowLogsOf(account: string, region: string, vpcId: string): FlowLogRecord[] {
    const k = `${account}|${region}|${vpcId}`;
    let found = this.#logsByVpc.get(k);
    if (!found) {
      const scope: Scope = { account, region };
      found = this.#o.store.read(scope, (tx) => tx.list("flow-log", { vpcId }));
      this.#logsByVpc.set(k, found);
    }
    return found;
  }

  /** Aggregates not yet delivered (for tests and the admin view). */
  get pendingFlows(): number {
    return this.#table.size + this.#long.size;
  }

  /**
   * Delivers every capture window that has closed by `now` (simulated clock): a 1-minute window at its end, a
   * 10-minute flow log's window at its end. Cheap when nothing has closed.
   */
  deliver(now: Date = this.#o.now()): DeliveryReport {
    const nowMs = now.getTime();
    const out = new Map<string, { flowLog: FlowLogRecord; aggs: FlowAggregate[] }>();
    const emit = (flowLog: FlowLogRecord, agg: FlowAggregate): void => {
      let e = out.get(flowLog.id);
      if (!e) out.set(flowLog.id, (e = { flowLog, aggs: [] }));
      e.aggs.push(agg);
    };
    if (this.#table.oldestWindowMs + MINUTE_MS <= nowMs) {
      this.#matchClosedMinutes(nowMs, emit);
      this.#dirty = true;
    }
    this.#statusRecords(nowMs, emit); // issue 21: NODATA and SKIPDATA
    for (const [key, l] of this.#long) {
      if (l.windowMs + l.flowLog.maxAggregationInterval * 1000 > nowMs) continue;
      this.#long.delete(key);
      this.#dirty = true;
      emit(l.flowLog, l.agg);
    }
    let records = 0;
    let cloudWatchEvents = 0;
    const s3Files: string[] = [];
    for (const { flowLog, aggs } of out.values()) {
      try {
        aggs.sort((a, b) => a.startSec - b.startSec || a.endSec - b.endSec);
        records += aggs.length;
        if (flowLog.logDestinationType === "cloud-watch-logs") cloudWatchEvents += this.#toCloudWatch(flowLog, aggs, nowMs);
        else s3Files.push(this.#toS3(flowLog, aggs, now));
      } catch (e) {
        this.#o.onError?.(e);
      }
    }
    return { records, cloudWatchEvents, s3Files };
  }

  /** Moves closed 1-minute aggregates to their flow logs: 1-minute flow logs now, 10-minute ones into stage 2. */
  #matchClosedMinutes(nowMs: number, emit: (f: FlowLogRecord, a: FlowAggregate) => void): void {
    const closed = this.#table.takeClosed(nowMs);
    if (this.#logsVersion !== this.#o.store.version) {
      this.#logsByVpc.clear();
      this.#logsVersion = this.#o.store.version;
    }
    // Per delivery: is the ENI's instance Nitro-based (the 1-minute rule)? One instance read per instance.
    const nitroOf = new Map<string, boolean>();
    const nitro = (e: FlowEni): boolean => {
      const isNitroType = this.#o.isNitroType;
      if (!isNitroType || e.instanceId === undefined) return false;
      const key = `${e.account}|${e.region}|${e.instanceId}`;
      let n = nitroOf.get(key);
      if (n === undefined) {
        const inst = this.#o.store.read({ account: e.account, region: e.region }, (tx) => tx.get("instance", e.instanceId!));
        n = inst !== undefined && isNitroType(inst.instanceType);
        nitroOf.set(key, n);
      }
      return n;
    };
    for (const row of closed) {
      const e = this.#enis[row.eniIndex]!;
      const action: FlowAction = row.reject ? "REJECT" : "ACCEPT";
      // Any traffic, accepted or not, ends an interface's quiet stretch (issue 21: NODATA).
      const activityKey = `${e.account}|${e.region}|${e.eniId}`;
      const windowEnd = (row.windowMs + MINUTE_MS) / 1000;
      if ((this.#activityEnd.get(activityKey) ?? 0) < windowEnd) this.#activityEnd.set(activityKey, windowEnd);
      const logs = this.#flowLogsOf(e.account, e.region, e.vpcId); // the flow logs that exist now (deleted ones deliver nothing)
      let agg: FlowAggregate | undefined;
      for (const f of logs) {
        if (!monitors(f, e) || !keepsAction(f.trafficType, action)) continue;
        // Only traffic seen after the flow log was created is recorded.
        if (row.endSec * 1000 < Date.parse(f.creationTime) - 999) continue;
        agg ??= aggregateOf(row, e, action, this.#o.awsServiceOf);
        if (f.maxAggregationInterval === 60 || nitro(e)) {
          emit(f, agg);
          continue;
        }
        const w = windowStartMs(row.windowMs, f.maxAggregationInterval);
        const key = `${f.id}|${w}|${flowKey(agg)}`;
        const prev = this.#long.get(key);
        this.#long.set(key, { flowLog: f, windowMs: w, agg: prev ? mergeAggregates(prev.agg, agg) : agg });
      }
    }
  }

  /**
   * NODATA and SKIPDATA records (issue 21) for the windows closed by `nowMs`. SKIPDATA: one record per interface whose
   * observations `skip()` dropped, for each flow log that covers it. NODATA: once per simulated minute at most, every
   * flow log's interfaces that had no traffic since their last record for a whole interval get one record spanning the
   * quiet stretch (domain/flow-log-status.ts). Reads the flow logs (every scope) and the covered interfaces (indexed).
   */
  #statusRecords(nowMs: number, emit: (f: FlowLogRecord, a: FlowAggregate) => void): void {
    for (const [key, s] of this.#skipping) {
      if (s.windowMs + MINUTE_MS > nowMs) continue;
      this.#skipping.delete(key);
      if (s.skipped === 0 || !s.eni) continue;
      const e = s.eni;
      const startSec = s.windowMs / 1000;
      for (const f of this.#flowLogsOf(e.account, e.region, e.vpcId)) {
        if (!monitors(f, e)) continue;
        emit(f, statusAggregate(e, "SKIPDATA", startSec, startSec + 60));
        this.#covered.set(`${f.id}|${e.eniId}`, startSec + 60);
      }
      this.#dirty = true;
    }
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (this.#o.noData === false || minute === this.#quietMinute) return;
    this.#quietMinute = minute;
    const logs = this.#o.store.read({ account: "000000000000", region: "us-east-1" }, (tx) => tx.listEverywhere("flow-log"));
    for (const { scope, record: f } of logs) {
      const interval = f.maxAggregationInterval;
      const closedEnd = closedWindowEndSec(nowMs, interval);
      const before = this.#closedEnd.get(f.id);
      if (before !== undefined && before >= closedEnd) continue;
      this.#closedEnd.set(f.id, closedEnd);
      const startSec = windowStartSec(Math.max(Date.parse(f.creationTime), this.#sinceMs), interval);
      if (closedEnd <= startSec) continue;
      const enis = this.#o.store.read(scope, (tx) => coveredEnis(tx, f));
      for (const eni of enis) {
        const key = `${f.id}|${eni.eni.eniId}`;
        const covered = this.#covered.get(key) ?? before ?? startSec;
        const gap = quietGap(covered, this.#activityEnd.get(`${scope.account}|${scope.region}|${eni.eni.eniId}`), closedEnd, interval);
        this.#covered.set(key, gap?.endSec ?? Math.max(covered, closedEnd));
        if (gap) emit(f, statusAggregate(eni.eni, "NODATA", gap.startSec, gap.endSec));
      }
    }
  }

  #toCloudWatch(f: FlowLogRecord, aggs: readonly FlowAggregate[], nowMs: number): number {
    const format = parseLogFormat(f.logFormat);
    const scope: Scope = { account: aggs[0]!.account, region: aggs[0]!.region };
    const group = f.logGroupName!;
    const logs = this.#o.store.logs;
    const byStream = new Map<string, { timestamp: number; message: string }[]>();
    for (const a of aggs) {
      const stream = logStreamName(a.eniId, f.trafficType);
      let list = byStream.get(stream);
      if (!list) byStream.set(stream, (list = []));
      list.push({ timestamp: a.startSec * 1000, message: formatRecord(format, a) });
    }
    logs.tx(() => {
      // AWS creates the log group if it does not exist (VPC-UG flow-logs-cwl.md), and one stream per ENI.
      logs.createGroup(scope, group, nowMs, "STANDARD");
      for (const [stream, events] of byStream) {
        logs.createStream(scope, group, stream, nowMs);
        logs.putEvents(scope, group, stream, events, nowMs);
      }
    });
    return aggs.length;
  }

  #toS3(f: FlowLogRecord, aggs: readonly FlowAggregate[], now: Date): string {
    const format = parseLogFormat(f.logFormat);
    const scope: Scope = { account: aggs[0]!.account, region: aggs[0]!.region };
    const { bucket, folder } = parseS3Destination(f.logDestination);
    // S3 flow log files start with a header line of the field names (what Athena's skip.header.line.count skips).
    const text = [formatHeader(format), ...aggs.map((a) => formatRecord(format, a))].join("\n") + "\n";
    const hash = createHash("sha256").update(`${f.id}|${now.getTime()}|${text}`).digest("hex").slice(0, 8);
    const key = s3ObjectKey({
      folder,
      account: scope.account,
      region: scope.region,
      flowLogId: f.id,
      deliveredAt: now,
      hash,
      hive: f.destinationOptions?.hiveCompatiblePartitions ?? false,
      perHour: f.destinationOptions?.perHourPartition ?? false,
    });
    const path = join(this.#o.s3Dir(), bucket, ...key.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(text));
    return path;
  }

  /**
   * Delivers closed windows every `ms` of real time, and persists what stays pending (the timer does not keep the
   * process alive).
   */
  start(ms: number): void {
    this.stop();
    this.#timer = setInterval(() => {
      try {
        this.deliver();
      } catch (e) {
        this.#o.onError?.(e);
      }
      this.persist();
    }, ms);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Forgets everything not yet delivered (admin reset), the persisted snapshot included. */
  reset(): void {
    this.#clear();
    this.#o.store.deleteMeta(PENDING_META);
    this.#dirty = false;
  }

  #clear(): void {
    this.#table.clear();
    this.#activityEnd.clear();
    this.#covered.clear();
    this.#closedEnd.clear();
    this.#skipping.clear();
    this.#quietMinute = -1;
    this.#sinceMs = this.#o.now().getTime();
    this.#eniIndex.clear();
    this.#enis = [];
    this.#logsByVpc.clear();
    this.#logsVersion = -1;
    this.#long = new Map();
    // ENIs cache their table index under this recorder's epoch; the indices are about to mean other ENIs, so the next
    // observation takes a new epoch and every ENI looks its index up again.
    this.#epochVersion = -1;
  }

  /**
   * Everything not yet delivered, as a versioned JSON string for `restore()`; undefined when nothing changed since the
   * last snapshot (an idle recorder costs its timer nothing). About 85 characters per stage-1 row (64 bytes in
   * base64), plus each ENI once and each stage-2 entry as JSON.
   */
  snapshot(): string | undefined {
    if (!this.#dirty) return undefined;
    this.#dirty = false;
    // Only the ENIs the rows refer to, renumbered from 0: `#enis` keeps every ENI ever seen, monitored or not.
    const enis: FlowEni[] = [];
    const renumbered = new Int32Array(this.#enis.length).fill(-1);
    const rows = this.#table.exportRows((i) => {
      if (renumbered[i]! < 0) {
        renumbered[i] = enis.length;
        enis.push(eniFields(this.#enis[i]!));
      }
      return renumbered[i]!;
    });
    const logs: FlowLogRecord[] = [];
    const logIndex = new Map<string, number>();
    const long: [number, number, FlowAggregate][] = [];
    for (const { flowLog, windowMs, agg } of this.#long.values()) {
      let i = logIndex.get(flowLog.id);
      if (i === undefined) {
        logIndex.set(flowLog.id, (i = logs.length));
        logs.push(flowLog);
      }
      long.push([i, windowMs, agg]);
    }
    const bytes = Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength);
    if (BIG_ENDIAN) bytes.swap64(); // `rows` is a fresh copy: swapping it in place is fine
    const snapshot: Snapshot = { v: SNAPSHOT_VERSION, rows: bytes.toString("base64"), enis, logs, long };
    return JSON.stringify(snapshot);
  }

  /**
   * Replaces what is pending with a snapshot from `snapshot()` (at start, before any traffic). A snapshot that cannot
   * be read (damaged, or from another localvpc version) is reported through `onError` and dropped: the recorder starts
   * empty rather than refusing to start, and the next `persist()` removes it.
   */
  restore(text: string): void {
    this.#clear();
    try {
      const s = parseSnapshot(text);
      const bytes = Buffer.from(s.rows, "base64");
      if (bytes.length % 64 !== 0) throw new Error(`rows: ${bytes.length} bytes is not a whole number of 64-byte rows`);
      // Copied into a fresh buffer: Buffer.from may return a slice of a shared pool, not aligned for Float64Array.
      const rows = new Float64Array(bytes.length / 8);
      const own = Buffer.from(rows.buffer);
      bytes.copy(own);
      if (BIG_ENDIAN) own.swap64();
      this.#table.importRows(rows, s.enis.length);
      this.#enis = s.enis.map(eniFields);
      this.#enis.forEach((e, i) => this.#eniIndex.set(`${e.account}|${e.region}|${e.eniId}|${e.instanceId ?? ""}`, i));
      for (const [i, windowMs, agg] of s.long) {
        const flowLog = s.logs[i]!;
        this.#long.set(`${flowLog.id}|${windowMs}|${flowKey(agg)}`, { flowLog, windowMs, agg });
      }
      this.#dirty = false;
    } catch (e) {
      this.#clear();
      this.#dirty = true;
      this.#o.onError?.(
        new Error(`flow logs: the aggregates pending at the last stop could not be restored and are dropped (${(e as Error).message})`, {
          cause: e,
        }),
      );
    }
  }

  /**
   * Writes the snapshot to the store's meta table when anything changed since the last one (removes it when nothing is
   * pending). Errors go to `onError`; the state stays marked changed, so the next call tries again.
   */
  persist(): void {
    const text = this.snapshot();
    if (text === undefined) return;
    try {
      if (this.#table.size === 0 && this.#long.size === 0) this.#o.store.deleteMeta(PENDING_META);
      else this.#o.store.setMeta(PENDING_META, text);
    } catch (e) {
      this.#dirty = true;
      this.#o.onError?.(e);
    }
  }
}

/** The interfaces a flow log covers now, with the fields a record names (an indexed read per flow log). */
const coveredEnis = (tx: Tx, f: FlowLogRecord): { eni: FlowEni }[] => {
  const enis: NetworkInterfaceRecord[] =
    f.resourceType === "NetworkInterface"
      ? [tx.get("network-interface", f.resourceId)].filter((e) => e !== undefined)
      : f.resourceType === "Subnet"
        ? tx.list("network-interface", { subnetId: f.resourceId })
        : tx.list("network-interface", { vpcId: f.resourceId });
  const zones = new Map<string, string | undefined>();
  return enis.map((e) => {
    if (!zones.has(e.subnetId)) zones.set(e.subnetId, tx.get("subnet", e.subnetId)?.availabilityZoneId);
    return {
      eni: {
        account: tx.scope.account,
        region: tx.scope.region,
        eniId: e.id,
        vpcId: e.vpcId,
        subnetId: e.subnetId,
        // AWS names the instance only "if owned by you" (an ENI attached to another account's instance: `-`).
        instanceId: e.attachment?.instanceOwnerId === tx.scope.account ? e.attachment.instanceId : undefined,
        availabilityZoneId: zones.get(e.subnetId),
      },
    };
  });
};

/** A NODATA or SKIPDATA record of an interface for a window: no packet fields (domain/flow-log-status.ts). */
const statusAggregate = (e: FlowEni, logStatus: "NODATA" | "SKIPDATA", startSec: number, endSec: number): FlowAggregate => ({
  ...eniFields(e),
  direction: "ingress",
  srcAddr: "-",
  dstAddr: "-",
  pktSrcAddr: "-",
  pktDstAddr: "-",
  srcPort: 0,
  dstPort: 0,
  protocol: 0,
  packets: 0,
  bytes: 0,
  startSec,
  endSec,
  action: "ACCEPT",
  tcpFlags: 0,
  logStatus,
});

/** An ENI's own fields (what the evaluator hands over may carry more). */
const eniFields = (e: FlowEni): FlowEni => ({
  account: e.account,
  region: e.region,
  eniId: e.eniId,
  vpcId: e.vpcId,
  subnetId: e.subnetId,
  instanceId: e.instanceId,
  availabilityZoneId: e.availabilityZoneId,
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isOptionalString = (v: unknown): boolean => v === undefined || typeof v === "string";

/** Parses and checks a snapshot's shape; throws a message that says what is wrong. */
const parseSnapshot = (text: string): Snapshot => {
  const s = JSON.parse(text) as unknown;
  if (!isObject(s)) throw new Error("not a JSON object");
  if (s["v"] !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${JSON.stringify(s["v"])}, this localvpc reads ${SNAPSHOT_VERSION}`);
  const { rows, enis, logs, long } = s;
  if (!isString(rows) || !Array.isArray(enis) || !Array.isArray(logs) || !Array.isArray(long))
    throw new Error("rows, enis, logs or long missing");
  for (const e of enis as unknown[]) {
    if (
      !isObject(e) ||
      ![e["account"], e["region"], e["eniId"], e["vpcId"], e["subnetId"]].every(isString) ||
      !isOptionalString(e["instanceId"]) ||
      !isOptionalString(e["availabilityZoneId"])
    ) {
      throw new Error("an ENI is malformed");
    }
  }
  for (const f of logs as unknown[]) {
    if (
      !isObject(f) ||
      f["kind"] !== "flow-log" ||
      !isString(f["id"]) ||
      (f["maxAggregationInterval"] !== 60 && f["maxAggregationInterval"] !== 600)
    ) {
      throw new Error("a flow log is malformed");
    }
  }
  for (const l of long as unknown[]) {
    const [i, windowMs, agg] = Array.isArray(l) ? (l as unknown[]) : [];
    if (
      !Number.isInteger(i) ||
      (i as number) < 0 ||
      (i as number) >= logs.length ||
      !Number.isSafeInteger(windowMs) ||
      !isObject(agg) ||
      !isString(agg["eniId"]) ||
      !Number.isSafeInteger(agg["packets"]) ||
      !Number.isSafeInteger(agg["startSec"])
    ) {
      throw new Error("a stage-2 entry is malformed");
    }
  }
  return s as unknown as Snapshot;
};

/** A closed row in the text form records are rendered from. */
const aggregateOf = (
  row: FlowRow,
  e: FlowEni,
  action: FlowAction,
  awsServiceOf: ((address: number) => string | undefined) | undefined,
): FlowAggregate => ({
  account: e.account,
  region: e.region,
  eniId: e.eniId,
  vpcId: e.vpcId,
  subnetId: e.subnetId,
  instanceId: e.instanceId,
  availabilityZoneId: e.availabilityZoneId,
  direction: row.egress ? "egress" : "ingress",
  // IPv4 or IPv6 (issue 16: IPv6 text as AWS writes it, compressed).
  srcAddr: addressText(row.srcAddr),
  dstAddr: addressText(row.dstAddr),
  pktSrcAddr: addressText(row.pktSrcAddr),
  pktDstAddr: addressText(row.pktDstAddr),
  srcPort: row.srcPort,
  dstPort: row.dstPort,
  protocol: row.protocol,
  packets: row.packets,
  bytes: row.bytes,
  startSec: row.startSec,
  endSec: row.endSec,
  action,
  tcpFlags: row.tcpFlags,
  trafficPath: row.trafficPath,
  // pkt-src/dst-aws-service (issue 21): classified once per delivered record, from AWS's published ranges.
  pktSrcAwsService: awsServiceOf?.(row.pktSrcAddr),
  pktDstAwsService: awsServiceOf?.(row.pktDstAddr),
});
