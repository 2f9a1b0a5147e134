/**
 * Address selection rules (spec §4.1–4.3): picking free private addresses in a subnet, checking an explicit
 * private IPv4, MAC addresses and Amazon-pool public IPv4 addresses. Pure: randomness arrives as hex strings and
 * "which addresses are used" as a lookup, so the store decides how to answer it (a Set, or indexed point reads).
 */
import { err } from "./errors.js";
import { cidrSize, containsAddress, formatAddress, isReservedInSubnet, lastAddress, parseAddress, parseCidr, type Cidr } from "./cidr.js";

/** Anything that can say whether an address (canonical text form) is taken. A Set<string> qualifies. */
export interface UsedAddresses {
  has(address: string): boolean;
  /**
   * Optional: when `value` lies in a range automatic assignment must skip (a subnet CIDR reservation), the first
   * value after that range; else undefined. Lets the search jump over a reserved range instead of probing it.
   */
  skipTo?(value: bigint): bigint | undefined;
}

/**
 * The `count` lowest free addresses of a subnet, skipping AWS's reserved ones (first four and the last).
 * AWS's own order looks random and is undocumented; lowest-free is deterministic, which tests rely on.
 * `from` (optional) is an address below which the caller knows every address is used, so the search starts there.
 * Returns undefined when the subnet does not have `count` free addresses.
 */
export const lowestFreeAddresses = (subnet: Cidr, used: UsedAddresses, count: number, from?: bigint): string[] | undefined => {
  const out: string[] = [];
  if (count <= 0) return out;
  const last = lastAddress(subnet);
  const first = subnet.network + 4n;
  for (let v = from !== undefined && from > first ? from : first; v < last && out.length < count; v++) {
    const skip = used.skipTo?.(v);
    if (skip !== undefined) {
      v = skip - 1n;
      continue;
    }
    const text = formatAddress(subnet.version, v);
    if (!used.has(text)) out.push(text);
  }
  return out.length === count ? out : undefined;
};

/**
 * Validates an explicitly requested private IPv4 for a subnet: well-formed, inside the subnet's block and not one
 * of its reserved addresses. Returns the canonical form. (Whether it is free is the store's claim to answer.)
 */
export const checkExplicitIpv4 = (subnetCidr: string, ip: string, subnetId: string): string => {
  const addr = parseAddress(ip);
  if (!addr || addr.version !== 4) throw err.invalidPrivateIpAddress(ip);
  const subnet = parseCidr(subnetCidr);
  if (!subnet || !containsAddress(subnet, 4, addr.value)) throw err.addressNotInSubnet(ip, subnetId);
  if (isReservedInSubnet(subnet, addr.value)) throw err.addressReserved(ip);
  return formatAddress(4, addr.value);
};

/**
 * A MAC address: six lowercase octets with a locally-administered unicast first octet. AWS shows 02:, 06:, 0a:…;
 * localvpc always uses 02: plus five random octets (spec §1.8). `hex` must hold at least 10 hex digits.
 */
export const macAddress = (hex: string): string => {
  if (!/^[0-9a-f]{10}/.test(hex)) throw new Error("macAddress needs 10 lowercase hex digits");
  const octets = ["02"];
  for (let i = 0; i < 10; i += 2) octets.push(hex.slice(i, i + 2));
  return octets.join(":");
};

/**
 * The fallback Amazon pool: us-east-1's largest EC2 ranges as AWS's ip-ranges.json publishes them. The pool a Region
 * really uses comes from data/ec2-public-ipv4.json (src/catalog/ec2-public-ipv4.ts); a Region that file lacks, and
 * pure code given no pool, use these. Never private, loopback, CGNAT or documentation space.
 */
export const DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS: readonly string[] = [
  "3.80.0.0/12",
  "3.208.0.0/12",
  "3.224.0.0/12",
  "34.192.0.0/12",
  "34.224.0.0/12",
  "44.192.0.0/11",
];

/** Blocks public IPv4 addresses are handed out from, with their total size (compile once, reuse per call). */
export interface PublicIpv4Pool {
  readonly blocks: readonly Cidr[];
  readonly total: bigint;
}

/** A pool from IPv4 CIDR texts; throws on anything else (the data is ours, a bad entry is a bug). */
export const publicIpv4Pool = (cidrs: readonly string[]): PublicIpv4Pool => {
  const blocks = cidrs.map((c) => {
    const b = parseCidr(c);
    if (b?.version !== 4) throw new Error(`not an IPv4 CIDR: ${c}`);
    return b;
  });
  if (blocks.length === 0) throw new Error("an empty public IPv4 pool");
  return { blocks, total: blocks.reduce((n, b) => n + cidrSize(b), 0n) };
};

export const DEFAULT_PUBLIC_IPV4_POOL: PublicIpv4Pool = publicIpv4Pool(DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS);

/** Whether an address lies in one of a pool's blocks (default: the fallback pool). */
export const isAmazonPublicIpv4 = (ip: string, pool: PublicIpv4Pool = DEFAULT_PUBLIC_IPV4_POOL): boolean => {
  const a = parseAddress(ip);
  return a?.version === 4 && pool.blocks.some((b) => containsAddress(b, 4, a.value));
};

/**
 * An Amazon-pool public IPv4 from 8 random hex digits (or more: only the first 8 are used), from `pool` (the
 * Region's). Addresses ending in .0 or .255 are skipped (AWS does hand those out, but they confuse people reading
 * output). `avoid` lets the caller exclude addresses: those the Region already uses (an indexed lookup), or the one
 * just released, because AWS never gives a stopped instance its old public IP back (spec §4.3). A taken address
 * moves the pick to the next one, so a call costs O(1) expected while the pool is far from full.
 */
export const amazonPublicIpv4 = (
  hex: string,
  avoid: UsedAddresses = new Set<string>(),
  pool: PublicIpv4Pool = DEFAULT_PUBLIC_IPV4_POOL,
): string => {
  if (!/^[0-9a-f]{8}/.test(hex)) throw new Error("amazonPublicIpv4 needs 8 lowercase hex digits");
  let index = BigInt(`0x${hex.slice(0, 8)}`) % pool.total;
  for (;;) {
    let rest = index;
    for (const block of pool.blocks) {
      const size = cidrSize(block);
      if (rest < size) {
        const value = block.network + rest;
        const lastOctet = value & 0xffn;
        const text = formatAddress(4, value);
        if (lastOctet !== 0n && lastOctet !== 255n && !avoid.has(text)) return text;
        break;
      }
      rest -= size;
    }
    index = (index + 1n) % pool.total;
  }
};
