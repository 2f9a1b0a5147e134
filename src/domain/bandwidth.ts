/**
 * Bandwidth as AWS allots it (issue 21; shared/spec/dataplane.md §8, EC2-UG ec2-instance-network-bandwidth.md):
 *
 * - Each network card of an instance type has a baseline and a peak bandwidth (DescribeInstanceTypes
 *   `NetworkInfo.NetworkCards[].BaselineBandwidthInGbps` / `PeakBandwidthInGbps`); a type whose performance reads
 *   "Up to …" bursts to the peak for a limited time ("typically from 5 to 60 minutes, depending on the instance
 *   size"; localvpc takes the 5 minutes) and then runs at its baseline.
 * - The cap is per card and per direction (inbound and outbound each), never per interface: "You cannot attach another
 *   network interface to an instance (for example, a NIC teaming configuration) to increase or double the network
 *   bandwidth". A type with several cards gets a cap per card.
 * - One flow is limited to 5 Gbps, 10 Gbps when both instances are in the same cluster placement group.
 * - Flows that share a cap share it fairly (max-min: no flow gets more while another that wants more gets less).
 *
 * Pure: the caller resolves each flow's instances, cards and types.
 */

/** One network card's caps (Gbps). */
export interface CardCap {
  readonly cardIndex: number;
  readonly baselineGbps: number;
  readonly peakGbps: number;
}

/** The `NetworkInfo` members this module reads (DescribeInstanceTypes' shape). */
export interface NetworkInfoLike {
  readonly NetworkPerformance?: string | undefined;
  readonly NetworkCards?:
    | readonly {
        NetworkCardIndex?: number | undefined;
        BaselineBandwidthInGbps?: number | undefined;
        PeakBandwidthInGbps?: number | undefined;
      }[]
    | undefined;
}

/** Per-card caps of an instance type; an unknown card or type gets none (the flow is then not capped by the instance). */
export const cardCaps = (info: NetworkInfoLike | undefined): CardCap[] =>
  (info?.NetworkCards ?? []).map((c, i) => {
    const baseline = c.BaselineBandwidthInGbps ?? c.PeakBandwidthInGbps ?? 0;
    return { cardIndex: c.NetworkCardIndex ?? i, baselineGbps: baseline, peakGbps: c.PeakBandwidthInGbps ?? baseline };
  });

/** AWS documents the burst as lasting "typically from 5 to 60 minutes": localvpc grants the shortest. */
export const BURST_SECONDS = 300;
export const PER_FLOW_GBPS = 5;
export const PER_FLOW_CLUSTER_GBPS = 10;

/**
 * Traffic to the internet (through an internet gateway) is limited to 5 Gbps for an instance with fewer than 32
 * vCPUs, and to half its bandwidth from 32 vCPUs up (EC2 user guide, "Amazon EC2 instance network bandwidth").
 */
export const internetEgressGbps = (vcpus: number, instanceGbps: number): number => (vcpus >= 32 ? instanceGbps / 2 : 5);

/** One flow: what it asks for and the caps (resource keys) it passes through, e.g. `i-1/0/out` and `i-2/0/in`. */
export interface FlowDemand {
  readonly id: string;
  readonly requestedGbps: number;
  readonly perFlowGbps: number;
  readonly resources: readonly string[];
}

export interface FlowShare {
  readonly id: string;
  readonly gbps: number;
  /** What stopped it from getting more: its own rate, the per-flow limit, or a card's cap (the resource key). */
  readonly limitedBy: string;
}

/**
 * Max-min fair shares by progressive filling: every unfrozen flow grows at the same pace until it reaches its own
 * limit (its rate or the per-flow limit) or one of its caps fills; those flows freeze; repeat. At most one round per
 * flow or cap, each O(flows × caps per flow).
 */
export const shareBandwidth = (flows: readonly FlowDemand[], capGbps: (resource: string) => number | undefined): FlowShare[] => {
  const rate = new Map<string, number>(flows.map((f) => [f.id, 0]));
  const limitedBy = new Map<string, string>();
  const left = new Map<string, number>();
  for (const f of flows) for (const r of f.resources) if (!left.has(r)) left.set(r, capGbps(r) ?? Infinity);
  let active = flows.filter((f) => Math.min(f.requestedGbps, f.perFlowGbps) > 0);
  for (const f of flows) if (!active.includes(f)) limitedBy.set(f.id, "requested");
  while (active.length > 0) {
    // How far every active flow can grow together: its own headroom, or an equal part of each cap it uses.
    const users = new Map<string, number>();
    for (const f of active) for (const r of f.resources) users.set(r, (users.get(r) ?? 0) + 1);
    let step = Infinity;
    for (const f of active) step = Math.min(step, Math.min(f.requestedGbps, f.perFlowGbps) - rate.get(f.id)!);
    for (const [r, n] of users) step = Math.min(step, left.get(r)! / n);
    for (const f of active) rate.set(f.id, rate.get(f.id)! + step);
    for (const [r, n] of users) left.set(r, left.get(r)! - step * n);
    const EPS = 1e-9;
    const still: FlowDemand[] = [];
    for (const f of active) {
      const r = rate.get(f.id)!;
      const full = f.resources.find((x) => left.get(x)! <= EPS);
      if (r >= f.requestedGbps - EPS) limitedBy.set(f.id, "requested");
      else if (r >= f.perFlowGbps - EPS) limitedBy.set(f.id, "per-flow");
      else if (full !== undefined) limitedBy.set(f.id, full);
      else still.push(f);
    }
    if (still.length === active.length) break; // nothing froze: no progress is possible (guards against rounding)
    active = still;
  }
  return flows.map((f) => ({ id: f.id, gbps: round(rate.get(f.id)!), limitedBy: limitedBy.get(f.id) ?? "requested" }));
};

const round = (g: number): number => Math.round(g * 1e6) / 1e6;

/**
 * A run's average over `durationSec`: the burst shares (peak caps) for the first `burstSec` (the burst the instances
 * have left, at most BURST_SECONDS), then the sustained ones (baseline caps).
 */
export const averageOverRun = (burst: number, sustained: number, durationSec: number, burstSec = BURST_SECONDS): number => {
  if (durationSec <= 0) return burstSec > 0 ? burst : sustained;
  const b = Math.max(0, Math.min(durationSec, burstSec));
  return round((burst * b + sustained * (durationSec - b)) / durationSec);
};

/**
 * Burst credits across runs (issue 21). An "Up to" instance that has just burst cannot burst again at once: AWS says
 * instances "use a network I/O credit mechanism to burst beyond their baseline bandwidth" and that the burst lasts
 * 5–60 minutes, but documents no accrual rate. localvpc's model [INFERRED, unverified]: a full burst is BURST_SECONDS,
 * and an instance that is not bursting earns it back linearly over BURST_REFILL_SECONDS of simulated time.
 */
export const BURST_REFILL_SECONDS = 3600;

/** An instance's credit after its last burst: the burst seconds it had left when that run ended (simulated ms). */
export interface BurstCredit {
  readonly secondsLeft: number;
  readonly atMs: number;
}

/** Burst seconds an instance has at `nowMs`: a full burst when it never burst, else what was left plus what it earned since. */
export const burstAvailable = (credit: BurstCredit | undefined, nowMs: number): number => {
  if (!credit) return BURST_SECONDS;
  const earned = (Math.max(0, nowMs - credit.atMs) / 1000) * (BURST_SECONDS / BURST_REFILL_SECONDS);
  return Math.min(BURST_SECONDS, Math.max(0, credit.secondsLeft) + earned);
};

/**
 * The credit after a run from `nowMs` for `durationSec` in which the instance wanted more than its baseline: it
 * bursts while credit lasts (at most the run), and the run's end is when it starts earning again. A run that stays
 * within the baseline spends nothing (undefined: the credit is unchanged).
 */
export const creditAfterRun = (available: number, bursting: boolean, nowMs: number, durationSec: number): BurstCredit | undefined =>
  bursting ? { secondsLeft: available - Math.min(available, durationSec), atMs: nowMs + durationSec * 1000 } : undefined;

/** `2Gbps`, `500Mbps`, `1.5 Gbit`, or a bare number of Gbps; undefined when it is not a rate. */
export const parseRateGbps = (text: string | number): number | undefined => {
  if (typeof text === "number") return Number.isFinite(text) && text > 0 ? text : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(g|m|k)?(?:bps|bit\/s|bit)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? "g").toLowerCase();
  const g = unit === "g" ? n : unit === "m" ? n / 1000 : n / 1e6;
  return g > 0 ? g : undefined;
};
