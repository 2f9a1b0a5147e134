/**
 * A security group rule list compiled for lookup by protocol and port. The evaluator asks one question per packet:
 * "which is the first rule of this ENI's groups (in their flattened order) that allows this protocol, port and peer?".
 * Scanning the list costs one comparison chain per rule (an ENI with two groups of 20 rules scans 40 for every packet
 * no rule allows). Here the port space of TCP and UDP is cut into segments at every rule's bounds, and each segment
 * lists only the rules that cover it, in the original order, so a lookup is a binary search plus the few rules whose
 * ports match; only their peer (CIDR or referenced group) is left to test. Other protocols keep a filtered list.
 *
 * The answer is the same rule a linear scan finds (table tests in sg-index.test.ts compare both), which matters:
 * the matched rule names the hop and decides whether the flow is untracked.
 */
import type { CSgRule } from "./topology.js";

const NONE: readonly CSgRule[] = [];

/** One protocol's port segments: `starts[k]` is the first port of segment k, `rules[k]` the rules covering it. */
interface PortSegments {
  readonly starts: Int32Array;
  readonly rules: readonly (readonly CSgRule[])[];
}

export interface SgRuleIndex {
  readonly tcp: PortSegments;
  readonly udp: PortSegments;
  /** ICMP: rules for ICMP or all protocols (their type is checked per rule). */
  readonly icmp: readonly CSgRule[];
  /** Any other protocol: the all-protocol rules and the rules of protocols other than TCP, UDP and ICMP. */
  readonly other: readonly CSgRule[];
}

const segmentsOf = (rules: readonly CSgRule[], proto: number): PortSegments => {
  const relevant = rules.filter((r) => r.proto === proto || r.proto === -1);
  // A rule for all protocols covers every port (its from/to are -1).
  const lo = (r: CSgRule): number => (r.proto === -1 ? 0 : r.from);
  const hi = (r: CSgRule): number => (r.proto === -1 ? 65535 : r.to);
  const bounds = new Set<number>([0]);
  for (const r of relevant) {
    bounds.add(Math.max(0, lo(r)));
    if (hi(r) < 65535) bounds.add(hi(r) + 1);
  }
  const starts = Int32Array.from([...bounds].sort((a, b) => a - b));
  const segRules = Array.from(starts, (start) => {
    const covering = relevant.filter((r) => lo(r) <= start && start <= hi(r));
    return covering.length === 0 ? NONE : covering;
  });
  return { starts, rules: segRules };
};

export const indexSgRules = (rules: readonly CSgRule[]): SgRuleIndex => ({
  tcp: segmentsOf(rules, 6),
  udp: segmentsOf(rules, 17),
  icmp: rules.filter((r) => r.proto === 1 || r.proto === -1),
  other: rules.filter((r) => r.proto !== 6 && r.proto !== 17 && r.proto !== 1),
});

/** The segment of `port`: the last start ≤ port (binary search; starts[0] is 0). */
const segmentRules = (s: PortSegments, port: number): readonly CSgRule[] => {
  const starts = s.starts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= port) lo = mid;
    else hi = mid - 1;
  }
  return s.rules[lo]!;
};

/**
 * A superset of the rules that can allow a packet of this protocol and port, in their original order: for TCP and
 * UDP exactly the rules covering the port, for ICMP and other protocols every rule of a fitting protocol. The caller
 * still tests each candidate in full (protocol, ICMP type, peer), so the index only has to never leave a rule out.
 */
export const candidateRules = (index: SgRuleIndex, proto: number, port: number): readonly CSgRule[] =>
  proto === 6 ? segmentRules(index.tcp, port) : proto === 17 ? segmentRules(index.udp, port) : proto === 1 ? index.icmp : index.other;
