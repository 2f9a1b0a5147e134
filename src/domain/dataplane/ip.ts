/** IPv4 as unsigned 32-bit numbers: the evaluator's hot path compares numbers, never strings or bigints. */
export const ipv4ToNumber = (text: string): number | undefined => {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
};

export const numberToIpv4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export interface Net {
  readonly net: number;
  readonly mask: number;
  readonly len: number;
}

export const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);

/** "a.b.c.d/n" → Net, or undefined for IPv6 and malformed text. */
export const parseNet = (text: string | undefined): Net | undefined => {
  if (text === undefined) return undefined;
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const base = ipv4ToNumber(text.slice(0, slash));
  const len = Number(text.slice(slash + 1));
  if (base === undefined || !Number.isInteger(len) || len < 0 || len > 32) return undefined;
  const mask = maskOf(len);
  return { net: (base & mask) >>> 0, mask, len };
};

export const inNet = (n: Net, ip: number): boolean => (ip & n.mask) >>> 0 === n.net;

/**
 * CIDRs as int32 (network, mask) pairs, for the per-packet tests: a number kept in an object above 2^30 (most masks)
 * is a pointer to a boxed number, one more load per test.
 */
export const netPairs = (nets: readonly Net[]): Int32Array => Int32Array.from(nets.flatMap((n) => [n.net | 0, n.mask | 0]));

/** Whether `ip` (unsigned) lies in one of the pairs' networks. */
export const inAnyNet = (pairs: Int32Array, ip: number): boolean => {
  for (let i = 0; i < pairs.length; i += 2) if ((ip & pairs[i + 1]!) === pairs[i]!) return true;
  return false;
};

const net = (t: string): Net => parseNet(t)!;
const RFC1918 = [net("10.0.0.0/8"), net("172.16.0.0/12"), net("192.168.0.0/16")];
/** Addresses the public internet never routes: RFC 1918, RFC 6598 shared space, loopback, link-local, multicast+. */
const NOT_PUBLIC = netPairs([
  ...RFC1918,
  net("100.64.0.0/10"),
  net("127.0.0.0/8"),
  net("169.254.0.0/16"),
  net("0.0.0.0/8"),
  net("224.0.0.0/3"),
]);

export const isPublicIpv4 = (ip: number): boolean => !inAnyNet(NOT_PUBLIC, ip);
