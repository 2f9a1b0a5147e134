/**
 * Subnet CIDR reservations (VPC User Guide "Subnet CIDR reservations"; CreateSubnetCidrReservation): a range of a
 * subnet's IPv4 or IPv6 space that AWS does not hand out automatically. `explicit`: only addresses you name yourself
 * land in it. `prefix`: prefix delegation assigns its /28 (IPv4) or /80 (IPv6) prefixes from it first. Either way,
 * automatic address assignment (ENIs, instances, NAT gateways) skips the range. Pure: the caller reads the
 * subnet's reservations (an indexed read by subnet) and passes them in.
 */
import { containsCidr, formatCidr, lastAddress, overlaps, parseCidr, type Cidr } from "./cidr.js";
import { err } from "./errors.js";
import type { SubnetCidrReservationRecord } from "./types.js";

/**
 * Validates a reservation's CIDR for a subnet: a CIDR on its own boundary, inside the subnet's IPv4 block or one of
 * its IPv6 blocks, overlapping no other reservation of the subnet. Returns the canonical CIDR and its family.
 */
export const checkReservationCidr = (
  text: string,
  subnet: { readonly id: string; readonly ipv4?: string | undefined; readonly ipv6: readonly string[] },
  existing: readonly SubnetCidrReservationRecord[],
): { cidr: string; family: 4 | 6 } => {
  const c = parseCidr(text);
  if (!c) throw err.subnetCidrReservationInvalidCidr(text);
  // Host bits are cleared, as for every other CIDR localvpc stores (10.0.0.5/28 → 10.0.0.0/28). // unverified
  const canonical = formatCidr(c);
  const blocks = (c.version === 4 ? (subnet.ipv4 ? [subnet.ipv4] : []) : subnet.ipv6).map((b) => parseCidr(b)!);
  if (!blocks.some((b) => containsCidr(b, c))) throw err.subnetCidrReservationNotInSubnet(text, subnet.id);
  const clash = existing.find((r) => r.family === c.version && overlaps(parseCidr(r.cidr)!, c));
  if (clash) throw err.subnetCidrReservationOverlap(text, clash.id);
  return { cidr: canonical, family: c.version };
};

/** A reserved range as first/last address values, sorted by start. */
export interface ReservedRange {
  readonly first: bigint;
  readonly last: bigint;
  readonly type: "prefix" | "explicit";
  readonly cidr: Cidr;
}

export const reservedRanges = (reservations: readonly SubnetCidrReservationRecord[], family: 4 | 6): ReservedRange[] =>
  reservations
    .filter((r) => r.family === family)
    .map((r) => {
      const cidr = parseCidr(r.cidr)!;
      return { first: cidr.network, last: lastAddress(cidr), type: r.reservationType, cidr };
    })
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));

/**
 * For automatic address assignment: the first value after the reserved range that holds `value`, or undefined when
 * `value` is not reserved. Reservations of a subnet are few (a linear look is cheaper than anything clever).
 */
export const skipReserved = (ranges: readonly ReservedRange[], value: bigint): bigint | undefined => {
  for (const r of ranges) if (value >= r.first && value <= r.last) return r.last + 1n;
  return undefined;
};

/** Whether a block (a candidate /28 or /80 prefix) touches any of the ranges. */
export const touchesRanges = (ranges: readonly ReservedRange[], block: Cidr): boolean =>
  ranges.some((r) => block.network <= r.last && lastAddress(block) >= r.first);
