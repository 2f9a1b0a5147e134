/**
 * IPv6 in the data plane (issue 16). The evaluator, connection tracking and the flow table carry addresses as plain
 * numbers (IPv4 as unsigned 32-bit values: the hot path compares numbers, never strings or bigints). An IPv6 address
 * gets a number too: its index in a process-wide intern table plus 2^32, so it can never equal an IPv4 address, the
 * same 128-bit address always gets the same number, and everything that only stores, hashes or compares addresses
 * (Pkt, ConnTrack, the flow table, ENI address sets) needs no change. What must look inside an IPv6 address (prefix
 * tests: routes, rules, VPC blocks) goes through `ipv6Value`, a bigint, on the IPv6 path only.
 *
 * Why not 4×32-bit or bigint in the packet: either would widen every IPv4 comparison (or box it), and IPv6 here is a
 * few probes, not 500,000 verdicts a second. The table only grows (the distinct addresses a session's topology and
 * probes name: small), so it is capped: past MAX_INTERNED_IPV6 a new address is refused with a clear error instead of
 * growing memory without bound (a script probing random IPv6 destinations). Ids stay far below 2^41, so the flow
 * table's packed keys (address · 4096) stay exact doubles.
 */
import { formatAddress, parseAddress, parseCidr, type Cidr } from "../cidr.js";
import { err } from "../errors.js";
import { numberToIpv4 } from "./ip.js";

/** The largest IPv4 number: anything above is an interned IPv6 address. */
export const MAX_IPV4 = 0xffffffff;
const BASE = 2 ** 32;
/** About 150 MB of table at most (a bigint, its text and a map entry each). */
export const MAX_INTERNED_IPV6 = 1_000_000;

const ids = new Map<bigint, number>();
const values: bigint[] = [];
const texts: string[] = [];

/** The number standing for an IPv6 address (a 128-bit value). */
export const internIpv6 = (value: bigint): number => {
  let id = ids.get(value);
  if (id === undefined) {
    if (values.length >= MAX_INTERNED_IPV6) throw err.ipv6TableFull(MAX_INTERNED_IPV6);
    id = BASE + values.length;
    values.push(value);
    texts.push(formatAddress(6, value));
    ids.set(value, id);
  }
  return id;
};

export const isIpv6 = (n: number): boolean => n > MAX_IPV4;

/** The 128-bit value of an interned address (0n for a number that is not one). */
export const ipv6Value = (n: number): bigint => values[n - BASE] ?? 0n;

/** IPv6 text (RFC 5952, as AWS writes it) → its number; undefined for anything else (IPv4 included). */
export const ipv6ToNumber = (text: string): number | undefined => {
  const a = parseAddress(text);
  return a?.version === 6 ? internIpv6(a.value) : undefined;
};

/**
 * Either family's text: dotted quad or compressed IPv6. An IPv6 number this process never interned (a flow row
 * restored from before a restart) has no text left: `-`, as a flow-log field that does not apply.
 */
export const addressText = (n: number): string => (n <= MAX_IPV4 ? numberToIpv4(n) : (texts[n - BASE] ?? "-"));

/** IPv4 or IPv6 text → its number. */
export const addressToNumber = (text: string): number | undefined => {
  const a = parseAddress(text);
  if (!a) return undefined;
  return a.version === 4 ? Number(a.value) : internIpv6(a.value);
};

/** An IPv6 block compiled for the IPv6 path: network and the mask as bigints. */
export interface Net6 {
  readonly network: bigint;
  readonly mask: bigint;
  readonly len: number;
  readonly text: string;
}

const ALL = (1n << 128n) - 1n;

export const net6Of = (c: Cidr): Net6 => {
  const mask = c.prefix === 0 ? 0n : ALL ^ ((1n << BigInt(128 - c.prefix)) - 1n);
  return { network: c.network & mask, mask, len: c.prefix, text: `${formatAddress(6, c.network)}/${c.prefix}` };
};

/** "x::/n" → Net6; undefined for IPv4 and malformed text. */
export const parseNet6 = (text: string | undefined): Net6 | undefined => {
  if (text === undefined) return undefined;
  const c = parseCidr(text);
  return c?.version === 6 ? net6Of(c) : undefined;
};

/** Whether an address number (IPv6 only) lies in the block. */
export const inNet6 = (n: Net6, ip: number): boolean => ip > MAX_IPV4 && (ipv6Value(ip) & n.mask) === n.network;

/** Global unicast (2000::/3): what the internet routes. ULA, link-local, loopback, multicast are not public. */
const GLOBAL_UNICAST = net6Of(parseCidr("2000::/3")!);
export const isPublicIpv6 = (ip: number): boolean => inNet6(GLOBAL_UNICAST, ip);

/**
 * A block as a peer set for the port index (port-index.ts): its `has` is the prefix test, so an IPv6 CIDR rule rides
 * the index's group-reference slot (a set test) and IPv6 rules need no second matcher. Never iterated.
 */
export class Ipv6Block extends Set<number> {
  constructor(readonly net: Net6) {
    super();
  }
  override has(ip: number): boolean {
    return inNet6(this.net, ip);
  }
}
