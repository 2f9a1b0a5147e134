/**
 * Table tests for the recorder's flow table: every identity field keeps flows apart, counters add, start/end widen,
 * flags OR, the row encoding survives extreme values, windows close independently, and growth keeps every row.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FlowTable, type FlowRow } from "./flow-table.js";

const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a minute boundary

interface Obs {
  atMs: number;
  eni: number;
  egress: boolean;
  reject: boolean;
  src: number;
  dst: number;
  pktSrc: number;
  pktDst: number;
  sport: number;
  dport: number;
  proto: number;
  packets: number;
  bytes: number;
  flags: number;
  path: number | undefined;
}
const base: Obs = {
  atMs: T + 1500,
  eni: 0,
  egress: false,
  reject: false,
  src: 0xcb007109, // 203.0.113.9: above 2^31, as many public addresses are
  dst: 0x0a000104,
  pktSrc: 0xcb007109,
  pktDst: 0x0a000104,
  sport: 40000,
  dport: 443,
  proto: 6,
  packets: 1,
  bytes: 100,
  flags: 2,
  path: undefined,
};
const add = (t: FlowTable, over: Partial<Obs> = {}): void => {
  const o = { ...base, ...over };
  t.add(
    o.atMs,
    o.eni,
    o.egress,
    o.reject,
    o.src,
    o.dst,
    o.pktSrc,
    o.pktDst,
    o.sport,
    o.dport,
    o.proto,
    o.packets,
    o.bytes,
    o.flags,
    o.path,
  );
};
const closeAll = (t: FlowTable): FlowRow[] => t.takeClosed(Number.MAX_SAFE_INTEGER);

describe("FlowTable", () => {
  it("decodes what was added, exactly, including extreme values", () => {
    for (const over of [
      {},
      { src: 0xffffffff, dst: 0, pktSrc: 0xffffffff, pktDst: 0xfffffffe, sport: 65535, dport: 0 },
      { proto: 255, egress: true, reject: true, flags: 255, path: 8, eni: 2 ** 24 - 1 },
      { proto: 1, sport: 0, dport: 0, atMs: T + 59_999 },
    ]) {
      const t = new FlowTable();
      add(t, over);
      const o = { ...base, ...over };
      const [row] = closeAll(t);
      const sec = Math.floor(o.atMs / 1000);
      assert.deepEqual(row, {
        windowMs: T,
        eniIndex: o.eni,
        egress: o.egress,
        reject: o.reject,
        srcAddr: o.src,
        dstAddr: o.dst,
        pktSrcAddr: o.pktSrc,
        pktDstAddr: o.pktDst,
        srcPort: o.sport,
        dstPort: o.dport,
        protocol: o.proto,
        packets: o.packets,
        bytes: o.bytes,
        startSec: sec,
        endSec: sec,
        tcpFlags: o.flags,
        trafficPath: o.path,
      });
    }
  });

  it("one flow in one window: counters add, start/end widen, flags OR, the first traffic path stays", () => {
    const t = new FlowTable();
    add(t, { atMs: T + 30_000, packets: 2, bytes: 300, flags: 2 });
    add(t, { atMs: T + 1000, flags: 16, path: 1 });
    add(t, { atMs: T + 59_000, flags: 1, path: 8 });
    assert.equal(t.size, 1);
    const [row] = closeAll(t);
    assert.deepEqual(
      [row!.packets, row!.bytes, row!.startSec, row!.endSec, row!.tcpFlags, row!.trafficPath],
      [4, 500, (T + 1000) / 1000, (T + 59_000) / 1000, 19, 1],
    );
  });

  const apart: [string, Partial<Obs>][] = [
    ["another window", { atMs: T + 60_000 }],
    ["another ENI", { eni: 1 }],
    ["direction", { egress: true }],
    ["action", { reject: true }],
    ["srcaddr", { src: 0x0a000105 }],
    ["dstaddr", { dst: 0x0a000105 }],
    ["pkt-srcaddr", { pktSrc: 0x0a000105 }],
    ["pkt-dstaddr", { pktDst: 0x0a000105 }],
    ["srcport", { sport: 40001 }],
    ["dstport", { dport: 444 }],
    ["protocol", { proto: 17 }],
  ];
  for (const [name, over] of apart)
    it(`${name} keeps flows apart`, () => {
      const t = new FlowTable();
      add(t);
      add(t, over);
      add(t, over);
      assert.equal(t.size, 2);
      assert.deepEqual(
        closeAll(t)
          .map((r) => r.packets)
          .sort(),
        [1, 2],
      );
    });

  it("takeClosed returns only closed windows; open rows stay and keep aggregating", () => {
    const t = new FlowTable();
    add(t);
    add(t, { atMs: T + 61_000 });
    assert.equal(t.oldestWindowMs, T);
    assert.deepEqual(t.takeClosed(T + 59_999), []);
    const closed = t.takeClosed(T + 60_000);
    assert.deepEqual(
      closed.map((r) => r.windowMs),
      [T],
    );
    assert.equal(t.size, 1);
    assert.equal(t.oldestWindowMs, T + 60_000);
    add(t, { atMs: T + 62_000 });
    assert.equal(t.size, 1, "the kept row is still found after the rehash");
    assert.equal(closeAll(t)[0]!.packets, 2);
    assert.equal(t.oldestWindowMs, Infinity);
  });

  it("grows past its initial capacity without losing or merging rows", () => {
    const t = new FlowTable();
    const n = 50_000;
    for (let round = 0; round < 2; round++) for (let i = 0; i < n; i++) add(t, { sport: i % 65536, eni: Math.floor(i / 65536), bytes: i });
    assert.equal(t.size, n);
    const rows = closeAll(t);
    assert.equal(rows.length, n);
    assert.ok(rows.every((r) => r.packets === 2 && r.bytes === 2 * (r.eniIndex * 65536 + r.srcPort)));
  });

  it("staged observations: every read sees them, and a flow staged across many batches sums them all", () => {
    const t = new FlowTable();
    add(t);
    assert.equal(t.size, 1, "size flushes the stage");
    for (let i = 0; i < 1000; i++) add(t, { atMs: T + (i % 60) * 1000, flags: i === 999 ? 1 : 2 });
    assert.equal(t.oldestWindowMs, T, "oldestWindowMs flushes the stage");
    const [row] = closeAll(t);
    assert.deepEqual([row!.packets, row!.bytes, row!.startSec, row!.endSec, row!.tcpFlags], [1001, 100_100, T / 1000, T / 1000 + 59, 3]);
    add(t);
    t.clear();
    assert.equal(t.size, 0, "clear drops staged observations too");
  });
});

describe("FlowTable export and import (what a restart keeps)", () => {
  const sorted = (rows: FlowRow[]): FlowRow[] =>
    [...rows].sort((a, b) => a.eniIndex - b.eniIndex || a.srcPort - b.srcPort || a.windowMs - b.windowMs);

  it("an imported copy holds the same rows, staged observations included, and keeps aggregating into them", () => {
    const t = new FlowTable();
    for (let i = 0; i < 5000; i++)
      add(t, { sport: i, eni: i % 7, atMs: T + (i % 3) * 60_000 + (i % 50) * 1000, bytes: i, path: i % 9 || undefined });
    add(t, { atMs: T + 59_000, flags: 1 }); // still staged: export flushes first
    const rows = t.exportRows();
    assert.equal(rows.length, 5001 * 8);
    const copy = new FlowTable();
    copy.importRows(rows);
    assert.equal(copy.size, 5001);
    assert.equal(copy.oldestWindowMs, T);
    add(copy, { atMs: T + 30_000 });
    add(t, { atMs: T + 30_000 });
    assert.equal(copy.size, 5001, "a new observation of an imported flow finds its row");
    assert.deepEqual(sorted(closeAll(copy)), sorted(closeAll(t)));
  });

  it("importing into a table that has the flow merges the rows: counters add, start/end widen, flags OR, first path stays", () => {
    const a = new FlowTable();
    add(a, { atMs: T + 10_000, flags: 2, path: 3 });
    add(a, { atMs: T + 20_000, flags: 16 });
    const b = new FlowTable();
    add(b, { atMs: T + 5_000, flags: 1, path: 8, packets: 4, bytes: 7 });
    add(b, { atMs: T + 15_000 });
    b.importRows(a.exportRows());
    assert.equal(b.size, 1);
    const [row] = closeAll(b);
    assert.deepEqual(
      [row!.packets, row!.bytes, row!.startSec, row!.endSec, row!.tcpFlags, row!.trafficPath],
      [7, 307, (T + 5_000) / 1000, (T + 20_000) / 1000, 19, 8],
    );
  });

  it("renumberEni maps the ENI index in the copy only", () => {
    const t = new FlowTable();
    add(t, { eni: 5 });
    add(t, { eni: 9, sport: 1 });
    const copy = new FlowTable();
    copy.importRows(t.exportRows((i) => (i === 5 ? 0 : 1)));
    assert.deepEqual(
      closeAll(copy)
        .map((r) => [r.eniIndex, r.srcPort])
        .sort(),
      [
        [0, 40000],
        [1, 1],
      ],
    );
    assert.deepEqual(
      closeAll(t)
        .map((r) => r.eniIndex)
        .sort(),
      [5, 9],
    );
  });

  it("an empty table exports nothing; malformed rows throw before anything is added", () => {
    assert.equal(new FlowTable().exportRows().length, 0);
    const t = new FlowTable();
    add(t);
    add(t, { eni: 3, sport: 1 });
    const good = t.exportRows();
    const bad = (edit: (rows: Float64Array) => void, eniCount?: number): void => {
      const rows = good.slice();
      edit(rows);
      const into = new FlowTable();
      assert.throws(() => into.importRows(rows, eniCount), RangeError);
      assert.equal(into.size, 0);
    };
    bad((r) => r.fill(0, 8, 16)); // an empty row (0 packets)
    bad((r) => (r[13] = -1)); // a negative count
    bad((r) => (r[5] = 1.5));
    bad((r) => (r[5] = NaN));
    bad((r) => (r[3] = 2 ** 32)); // an address out of range
    bad((r) => (r[7] = 2 ** 32));
    bad((r) => (r[7] = 10 + 5 * 64)); // start after end
    bad((r) => (r[7] = 60 * 64 + 60)); // second 60 of a minute
    bad(() => undefined, 2); // ENI index 3 with only 2 ENIs
    assert.throws(() => new FlowTable().importRows(good.subarray(0, 12)), RangeError);
    const ok = new FlowTable();
    ok.importRows(good, 4);
    assert.equal(ok.size, 2);
  });
});
