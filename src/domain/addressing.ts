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
 * Blocks the auto-assigned public IPv4 addresses come from: real Amazon EC2 ranges (published in AWS's
 * ip-ranges.json for service EC2 in us-east-1). Never private, loopback, CGNAT or documentation space, so an
 * address localvpc shows looks like one AWS would show.
 */
export const AMAZON_PUBLIC_IPV4_BLOCKS: readonly string[] = [
  "3.80.0.0/12",
  "3.208.0.0/12",
  "18.204.0.0/14",
  "34.192.0.0/12",
  "44.192.0.0/11",
  "54.80.0.0/13",
  "54.160.0.0/11",
];

/** Whether an address lies in one of the Amazon-pool blocks localvpc hands public IPv4 addresses out from. */
export const isAmazonPublicIpv4 = (ip: string): boolean => {
  const a = parseAddress(ip);
  return a?.version === 4 && AMAZON_PUBLIC_IPV4_BLOCKS.some((b) => containsAddress(parseCidr(b)!, 4, a.value));
};

const PUBLIC_BLOCKS: readonly Cidr[] = AMAZON_PUBLIC_IPV4_BLOCKS.map((b) => parseCidr(b)!);
const PUBLIC_TOTAL = PUBLIC_BLOCKS.reduce((n, b) => n + cidrSize(b), 0n);

/**
 * An Amazon-pool public IPv4 from 8 random hex digits (or more: only the first 8 are used). Addresses ending in
 * .0 or .255 are skipped (AWS does hand those out, but they confuse people reading output). `avoid` lets the
 * caller exclude an address, e.g. the one just released, because AWS never gives a stopped instance its old
 * public IP back (spec §4.3).
 */
export const amazonPublicIpv4 = (hex: string, avoid: UsedAddresses = new Set<string>()): string => {
  if (!/^[0-9a-f]{8}/.test(hex)) throw new Error("amazonPublicIpv4 needs 8 lowercase hex digits");
  let index = BigInt(`0x${hex.slice(0, 8)}`) % PUBLIC_TOTAL;
  for (;;) {
    let rest = index;
    for (const block of PUBLIC_BLOCKS) {
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
    index = (index + 1n) % PUBLIC_TOTAL;
  }
};
