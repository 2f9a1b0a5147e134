import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  averageOverRun,
  burstAvailable,
  BURST_REFILL_SECONDS,
  BURST_SECONDS,
  cardCaps,
  creditAfterRun,
  internetEgressGbps,
  parseRateGbps,
  shareBandwidth,
  type FlowDemand,
} from "./bandwidth.js";

describe("bandwidth shares", () => {
  const caps: Record<string, number> = {
    "a/0/out": 25,
    "b/0/in": 25,
    "c/0/in": 25,
    "small/0/out": 10,
    "multi/0/out": 100,
    "multi/1/out": 100,
  };
  const cap = (r: string): number | undefined => caps[r];
  const flow = (id: string, gbps: number, resources: string[], perFlow = 5): FlowDemand => ({
    id,
    requestedGbps: gbps,
    perFlowGbps: perFlow,
    resources,
  });
  const rows: { name: string; flows: FlowDemand[]; want: Record<string, [number, string]> }[] = [
    { name: "one flow under every limit", flows: [flow("f", 2, ["a/0/out", "b/0/in"])], want: { f: [2, "requested"] } },
    {
      name: "one flow above 5 Gbps outside a cluster placement group",
      flows: [flow("f", 8, ["a/0/out", "b/0/in"])],
      want: { f: [5, "per-flow"] },
    },
    { name: "inside a cluster placement group: 10 Gbps", flows: [flow("f", 12, ["a/0/out", "b/0/in"], 10)], want: { f: [10, "per-flow"] } },
    {
      name: "six 5 Gbps flows share a 25 Gbps card fairly",
      flows: ["1", "2", "3", "4", "5", "6"].map((n) => flow(n, 5, ["a/0/out", n <= "3" ? "b/0/in" : "c/0/in"])),
      want: Object.fromEntries(["1", "2", "3", "4", "5", "6"].map((n) => [n, [25 / 6, "a/0/out"]])),
    },
    {
      name: "max-min: a small flow keeps its rate, the big ones split the rest",
      flows: [flow("s", 1, ["small/0/out"]), flow("x", 5, ["small/0/out"]), flow("y", 5, ["small/0/out"])],
      want: { s: [1, "requested"], x: [4.5, "small/0/out"], y: [4.5, "small/0/out"] },
    },
    {
      name: "two cards: each card has its own cap",
      flows: [flow("c0", 8, ["multi/0/out"]), flow("c1", 8, ["multi/1/out"])],
      want: { c0: [5, "per-flow"], c1: [5, "per-flow"] },
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const got = shareBandwidth(r.flows, cap);
      for (const s of got) {
        const [gbps, by] = r.want[s.id]!;
        assert.ok(Math.abs(s.gbps - gbps) < 1e-5, `${s.id}: ${s.gbps} ≠ ${gbps}`);
        assert.equal(s.limitedBy, by, s.id);
      }
    });
  }
  it("ENIs never add bandwidth: the same flows through one card share one cap however they are spread", () => {
    // The resource is the card, so which interface a flow leaves from does not appear in it.
    const six = ["1", "2", "3", "4", "5", "6"].map((n) => flow(n, 5, ["a/0/out"]));
    const total = (fs: FlowDemand[]) => shareBandwidth(fs, cap).reduce((t, s) => t + s.gbps, 0);
    assert.ok(Math.abs(total(six) - 25) < 1e-5);
  });
  it("caps from the type data; burst for 5 minutes, then baseline", () => {
    assert.deepEqual(cardCaps({ NetworkCards: [{ NetworkCardIndex: 0, BaselineBandwidthInGbps: 0.75, PeakBandwidthInGbps: 10 }] }), [
      { cardIndex: 0, baselineGbps: 0.75, peakGbps: 10 },
    ]);
    assert.equal(averageOverRun(10, 0.75, 60), 10);
    assert.equal(averageOverRun(10, 0.75, 600), 5.375);
  });
  it("rates", () => {
    assert.equal(parseRateGbps("2Gbps"), 2);
    assert.equal(parseRateGbps("500Mbps"), 0.5);
    assert.equal(parseRateGbps("1.5 Gbit"), 1.5);
    assert.equal(parseRateGbps(3), 3);
    assert.equal(parseRateGbps("fast"), undefined);
    assert.equal(parseRateGbps("0"), undefined);
  });
});

describe("internet egress limit", () => {
  const rows: [number, number, number][] = [
    [2, 10, 5],
    [31, 25, 5],
    [32, 25, 12.5],
    [96, 100, 50],
  ];
  for (const [vcpus, gbps, want] of rows)
    it(`${vcpus} vCPUs, ${gbps} Gbps → ${want} Gbps to the internet`, () => assert.equal(internetEgressGbps(vcpus, gbps), want));
});

describe("burst credits across runs (issue 21)", () => {
  it("a run bursts for the credit it has, then runs at the baseline", () => {
    const cases: [burst: number, sustained: number, durationSec: number, burstSec: number, want: number][] = [
      [1, 0.064, 60, 300, 1],
      [1, 0.064, 600, 240, Math.round(((240 + 0.064 * 360) / 600) * 1e6) / 1e6],
      [1, 0.064, 60, 0, 0.064],
      [1, 0.064, 0, 0, 0.064],
      [1, 0.064, 0, 10, 1],
    ];
    for (const [b, s, d, bs, want] of cases) assert.equal(averageOverRun(b, s, d, bs), want, JSON.stringify([b, s, d, bs]));
  });

  it("credit: full when never spent, spent by bursting, earned back linearly over the refill time, never above a full burst", () => {
    assert.equal(burstAvailable(undefined, 0), BURST_SECONDS);
    const spent = creditAfterRun(BURST_SECONDS, true, 1_000, 60);
    assert.deepEqual(spent, { secondsLeft: BURST_SECONDS - 60, atMs: 61_000 });
    // Within the run (before its end) nothing is earned yet.
    assert.equal(burstAvailable(spent, 30_000), BURST_SECONDS - 60);
    // Earned at BURST_SECONDS per BURST_REFILL_SECONDS after the run ends.
    const perSecond = BURST_SECONDS / BURST_REFILL_SECONDS;
    assert.equal(burstAvailable(spent, 61_000 + 120_000), BURST_SECONDS - 60 + 120 * perSecond);
    assert.equal(burstAvailable(spent, 61_000 + BURST_REFILL_SECONDS * 1000), BURST_SECONDS);
    // A run longer than the credit spends all of it; one within the baseline spends nothing.
    assert.deepEqual(creditAfterRun(40, true, 0, 600), { secondsLeft: 0, atMs: 600_000 });
    assert.equal(creditAfterRun(40, false, 0, 600), undefined);
  });
});
