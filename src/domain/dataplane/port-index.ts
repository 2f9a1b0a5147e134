/**
 * A rule list (security group rules, network ACL entries) compiled for lookup by protocol and port. The evaluator
 * asks "which is the first rule, in the list's order, that matches this protocol, port and peer?" for every packet
 * at every SG and NACL. Scanning costs one comparison chain per rule (an ENI with two groups of 20 rules scans 40 for
 * every packet no rule allows). Here the port space of TCP and UDP is cut into segments at every rule's bounds, and
 * each segment lists only the rules that cover it, in the original order, so a lookup is a binary search plus the
 * few rules whose ports match. Other protocols keep a filtered list.
 *
 * The candidates keep the list's order, so the first that matches is the rule a linear scan finds (table tests in
 * port-index.test.ts compare both): for an SG the matched rule names the hop and decides whether the flow is
 * untracked, for a NACL the lowest-numbered match decides allow or deny.
 */

/** What the index reads of a rule: -1 = all protocols; for TCP/UDP a port range, for ICMP a type (-1 any). */
export interface PortRule {
  readonly proto: number;
  readonly from: number;
  readonly to: number;
}

/** One protocol's port segments: `starts[k]` is the first port of segment k, `rules[k]` the rules covering it. */
interface PortSegments<R> {
  readonly starts: Int32Array;
  readonly rules: readonly (readonly R[])[];
}

export interface PortIndex<R extends PortRule> {
  readonly tcp: PortSegments<R>;
  readonly udp: PortSegments<R>;
  /** ICMP: rules for ICMP or all protocols (their type is checked per rule). */
  readonly icmp: readonly R[];
  /** Any other protocol: the all-protocol rules and the rules of protocols other than TCP, UDP and ICMP. */
  readonly other: readonly R[];
}

const segmentsOf = <R extends PortRule>(rules: readonly R[], proto: number): PortSegments<R> => {
  const relevant = rules.filter((r) => r.proto === proto || r.proto === -1);
  // A rule for all protocols covers every port (its from/to are -1).
  const lo = (r: R): number => (r.proto === -1 ? 0 : r.from);
  const hi = (r: R): number => (r.proto === -1 ? 65535 : r.to);
  const bounds = new Set<number>([0]);
  for (const r of relevant) {
    bounds.add(Math.max(0, lo(r)));
    if (hi(r) < 65535) bounds.add(hi(r) + 1);
  }
  const starts = Int32Array.from([...bounds].sort((a, b) => a - b));
  const segRules = Array.from(starts, (start) => {
    const covering = relevant.filter((r) => lo(r) <= start && start <= hi(r));
    return covering;
  });
  return { starts, rules: segRules };
};

export const indexByPort = <R extends PortRule>(rules: readonly R[]): PortIndex<R> => ({
  tcp: segmentsOf(rules, 6),
  udp: segmentsOf(rules, 17),
  icmp: rules.filter((r) => r.proto === 1 || r.proto === -1),
  other: rules.filter((r) => r.proto !== 6 && r.proto !== 17 && r.proto !== 1),
});

/** The segment of `port`: the last start ≤ port (starts[0] is 0). A binary search whose steps select, not branch. */
const segmentRules = <R>(s: PortSegments<R>, port: number): readonly R[] => {
  const starts = s.starts;
  let base = 0;
  let n = starts.length;
  while (n > 1) {
    const half = n >>> 1;
    base = starts[base + half]! <= port ? base + half : base;
    n -= half;
  }
  return s.rules[base]!;
};

/**
 * A superset of the rules that can allow a packet of this protocol and port, in their original order: for TCP and
 * UDP exactly the rules covering the port, for ICMP and other protocols every rule of a fitting protocol. The caller
 * still tests each candidate in full (protocol, ICMP type, peer), so the index only has to never leave a rule out.
 */
export const candidateRules = <R extends PortRule>(index: PortIndex<R>, proto: number, port: number): readonly R[] =>
  proto === 6 ? segmentRules(index.tcp, port) : proto === 17 ? segmentRules(index.udp, port) : proto === 1 ? index.icmp : index.other;
