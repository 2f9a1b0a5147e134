/**
 * A rule list (security group rules, network ACL entries) compiled for one question, asked for every packet at
 * every SG and NACL: "which is the first rule, in the list's order, that matches this protocol, port and peer?".
 * Scanning costs one comparison chain per rule (an ENI with two groups of 20 rules scans 40 for every packet no rule
 * allows). Here the port space of TCP and UDP is cut into segments at every rule's bounds, and each segment lists the
 * rules that cover it, in the original order, so a lookup is a binary search plus a peer test per candidate.
 *
 * Why typed arrays: a segment's candidates are packed as (network, mask, rule) triples of int32, so the test reads
 * one contiguous run of memory and never a rule object. Numbers kept in objects are worse than they look: a mask such
 * as 0xffffff00 is above V8's small-integer range, so an object holds it as a pointer to a boxed number, one more
 * load (and at 10,000 ENIs, one more cache miss) per rule tested. ICMP and other protocols, rare here, keep a list
 * scanned in full.
 *
 * The first candidate that matches is the rule a linear scan finds (table tests in port-index.test.ts compare both):
 * for an SG the matched rule names the hop and decides whether the flow is untracked, for a NACL the lowest-numbered
 * match decides allow or deny.
 */

/** What the index reads of a rule: -1 = all protocols; for TCP/UDP a port range, for ICMP a type (-1 any). */
export interface PortRule {
  readonly proto: number;
  readonly from: number;
  readonly to: number;
  /** The peer a CIDR rule matches (network and mask, unsigned); undefined when it matches by group or not at all. */
  readonly cidr?: { readonly net: number; readonly mask: number } | undefined;
  /** The peers a group-reference rule matches (an SG rule referencing a group of this scope). */
  readonly members?: ReadonlySet<number> | undefined;
}

/** How a candidate tests its peer (the low two bits of its packed rule reference). */
const BY_CIDR = 0;
const BY_GROUP = 1;
const NO_PEER = 2;
const STRIDE = 3;

/**
 * One protocol's port segments, packed in one Int32Array: `[S, starts (S), offsets (S + 1), candidates]`. `starts[k]`
 * is the first port of segment k, and its candidates are the triples at `offsets[k] .. offsets[k+1]` (in triples from
 * the first candidate): network and mask as int32, then rule index · 4 + peer kind. Why one array (issue 21): each
 * typed array is an object whose elements live in a separate buffer, so three arrays behind a segments object were a
 * chain of about seven dependent loads per lookup, most of them cache misses at 10,000 ENIs; one array is two.
 */
type PortSegments = Int32Array;

export interface PortIndex<R extends PortRule> {
  /** The rules as given: what an index returned by `firstMatch` points into. */
  readonly rules: readonly R[];
  readonly tcp: PortSegments;
  readonly udp: PortSegments;
  /** ICMP: indexes of the rules for ICMP or all protocols (their type is checked per rule). */
  readonly icmp: Int32Array;
  /** Any other protocol: the all-protocol rules and the rules of protocols other than TCP, UDP and ICMP. */
  readonly other: Int32Array;
}

const peerKind = (r: PortRule): number => (r.cidr !== undefined ? BY_CIDR : r.members !== undefined ? BY_GROUP : NO_PEER);

const segmentsOf = (rules: readonly PortRule[], proto: number): PortSegments => {
  const relevant = rules.map((r, i) => ({ r, i })).filter(({ r }) => r.proto === proto || r.proto === -1);
  // A rule for all protocols covers every port (its from/to are -1).
  const lo = (r: PortRule): number => (r.proto === -1 ? 0 : r.from);
  const hi = (r: PortRule): number => (r.proto === -1 ? 65535 : r.to);
  const bounds = new Set<number>([0]);
  for (const { r } of relevant) {
    bounds.add(Math.max(0, lo(r)));
    if (hi(r) < 65535) bounds.add(hi(r) + 1);
  }
  const starts = [...bounds].sort((a, b) => a - b);
  const covering = starts.map((start) => relevant.filter(({ r }) => lo(r) <= start && start <= hi(r)));
  const n = starts.length;
  const seg = new Int32Array(2 + 2 * n + STRIDE * covering.reduce((total, list) => total + list.length, 0));
  seg[0] = n;
  seg.set(starts, 1);
  const first = 2 + 2 * n;
  let c = 0;
  covering.forEach((list, k) => {
    seg[1 + n + k] = c;
    for (const { r, i } of list) {
      seg[first + STRIDE * c] = (r.cidr?.net ?? 0) | 0;
      seg[first + STRIDE * c + 1] = (r.cidr?.mask ?? 0) | 0;
      seg[first + STRIDE * c + 2] = i * 4 + peerKind(r);
      c++;
    }
  });
  seg[1 + 2 * n] = c;
  return seg;
};

const indexesOf = (rules: readonly PortRule[], keep: (r: PortRule) => boolean): Int32Array =>
  Int32Array.from(rules.flatMap((r, i) => (keep(r) ? [i] : [])));

export const indexByPort = <R extends PortRule>(rules: readonly R[]): PortIndex<R> => ({
  rules,
  tcp: segmentsOf(rules, 6),
  udp: segmentsOf(rules, 17),
  icmp: indexesOf(rules, (r) => r.proto === 1 || r.proto === -1),
  other: indexesOf(rules, (r) => r.proto !== 6 && r.proto !== 17 && r.proto !== 1),
});

/**
 * The segment of `port`: the last start ≤ port (the first start is 0). A binary search whose steps select, not branch,
 * over the `n` starts packed from index 1 of `seg`.
 */
const segmentOf = (seg: Int32Array, n: number, port: number): number => {
  let base = 0;
  while (n > 1) {
    const half = n >>> 1;
    base = seg[1 + base + half]! <= port ? base + half : base;
    n -= half;
  }
  return base;
};

const peerMatches = (r: PortRule, peer: number): boolean =>
  r.cidr !== undefined ? (peer & r.cidr.mask) >>> 0 === r.cidr.net : r.members !== undefined && r.members.has(peer);

/** The full test, for the protocols without segments: protocol, ICMP type (the probe's "port"), peer. */
const ruleMatches = (r: PortRule, proto: number, port: number, peer: number): boolean =>
  (r.proto === -1 || r.proto === proto) && (r.proto !== 1 || r.from === -1 || r.from === port) && peerMatches(r, peer);

/**
 * The index (into `index.rules`) of the first rule that matches a packet of this protocol and port (TCP/UDP
 * destination port, ICMP type) from or to `peer` (an unsigned IPv4 number), or -1 when none does.
 */
export const firstMatch = <R extends PortRule>(index: PortIndex<R>, proto: number, port: number, peer: number): number => {
  if (proto === 6 || proto === 17) {
    const seg = proto === 6 ? index.tcp : index.udp;
    const n = seg[0]!;
    const k = segmentOf(seg, n, port);
    const first = 2 + 2 * n;
    const end = first + seg[2 + n + k]! * STRIDE;
    for (let c = first + seg[1 + n + k]! * STRIDE; c < end; c += STRIDE) {
      const ref = seg[c + 2]!;
      const kind = ref & 3;
      // Protocol and port hold for every candidate of the segment: only the peer is left to test.
      if (kind === BY_CIDR ? (peer & seg[c + 1]!) === seg[c]! : kind === BY_GROUP && index.rules[ref >> 2]!.members!.has(peer))
        return ref >> 2;
    }
    return -1;
  }
  const list = proto === 1 ? index.icmp : index.other;
  for (let j = 0; j < list.length; j++) if (ruleMatches(index.rules[list[j]!]!, proto, port, peer)) return list[j]!;
  return -1;
};
