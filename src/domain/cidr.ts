/**
 * IPv4/IPv6 address and CIDR arithmetic on bigints. Parsing and formatting are delegated to ipaddr.js; the rest
 * (containment, overlap, reserved addresses, carving /64s) is plain arithmetic. Pure functions only.
 */
import ipaddr from "ipaddr.js";

export type IpVersion = 4 | 6;
export interface Cidr {
  readonly version: IpVersion;
  /** The network address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
}

const bitsOf = (v: IpVersion): number => (v === 4 ? 32 : 128);

const bytesToBigInt = (bytes: readonly number[]): bigint => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

/** Parses a single address; undefined when it is not a valid IPv4 or IPv6 address. */
export const parseAddress = (text: string): { version: IpVersion; value: bigint } | undefined => {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { version: 4, value: bytesToBigInt(ipaddr.IPv4.parse(text).toByteArray()) };
  if (text.includes(":") && ipaddr.IPv6.isValid(text) && !text.includes("%")) {
    return { version: 6, value: bytesToBigInt(ipaddr.IPv6.parse(text).toByteArray()) };
  }
  return undefined;
};

/** Formats an address in canonical form (dotted quad, or RFC 5952 compressed IPv6). */
export const formatAddress = (version: IpVersion, value: bigint): string => {
  const n = version === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = n - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return version === 4 ? bytes.join(".") : ipaddr.fromByteArray(bytes).toString();
};

const mask = (version: IpVersion, prefix: number): bigint => {
  const bits = bitsOf(version);
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
};

/** Parses "a.b.c.d/n" or "x::/n"; host bits are cleared (AWS canonicalises 100.68.0.18/18 → 100.68.0.0/18). */
export const parseCidr = (text: string): Cidr | undefined => {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bitsOf(addr.version)) return undefined;
  return { version: addr.version, network: addr.value & mask(addr.version, prefix), prefix };
};

export const formatCidr = (c: Cidr): string => `${formatAddress(c.version, c.network)}/${c.prefix}`;

/** Number of addresses in the block. */
export const cidrSize = (c: Cidr): bigint => 1n << BigInt(bitsOf(c.version) - c.prefix);

export const lastAddress = (c: Cidr): bigint => c.network + cidrSize(c) - 1n;

export const containsAddress = (c: Cidr, version: IpVersion, value: bigint): boolean =>
  c.version === version && value >= c.network && value <= lastAddress(c);

/** True when `inner` lies entirely inside `outer`. */
export const containsCidr = (outer: Cidr, inner: Cidr): boolean =>
  outer.version === inner.version && inner.prefix >= outer.prefix && containsAddress(outer, inner.version, inner.network);

export const overlaps = (a: Cidr, b: Cidr): boolean =>
  a.version === b.version && a.network <= lastAddress(b) && b.network <= lastAddress(a);

/**
 * AWS reserves the first four addresses and the last one of every subnet (network, router, DNS, future use,
 * broadcast); for IPv6 /64s the first four and the last (spec §4.1).
 */
export const isReservedInSubnet = (subnet: Cidr, value: bigint): boolean => value - subnet.network < 4n || value === lastAddress(subnet);

/** Usable addresses in an IPv4 subnet: size minus the 5 reserved. */
export const usableIpv4Count = (subnet: Cidr): number => Number(cidrSize(subnet)) - 5;

/** The n-th sub-block of `prefix` length inside `outer` (e.g. the n-th /64 of a /56). */
export const subBlock = (outer: Cidr, prefix: number, n: bigint): Cidr => ({
  version: outer.version,
  prefix,
  network: outer.network + n * (1n << BigInt(bitsOf(outer.version) - prefix)),
});

/** RFC 1918 ranges plus 100.64.0.0/10, used for the VPC secondary-CIDR restriction rules. */
export const PRIVATE_IPV4_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
export const privateRangeOf = (c: Cidr): string | undefined =>
  PRIVATE_IPV4_RANGES.find((r) => {
    const range = parseCidr(r);
    return range !== undefined && containsCidr(range, c);
  });
