/**
 * Picking free private addresses in a subnet without reading the whole subnet: point lookups in the store's
 * ip_usage index (an address, or the /28 or /80 prefix that covers it), starting from the subnet's allocation hint
 * (every address below it is in use). With 100k ENIs in a region this keeps CreateNetworkInterface's auto-assignment
 * independent of how full the subnet is.
 */
import { parseAddress, type Cidr } from "../../domain/cidr.js";
import { lowestFreeAddresses, type UsedAddresses } from "../../domain/addressing.js";
import { coveringPrefixOf } from "../../domain/eni-addresses.js";
import { err } from "../../domain/errors.js";
import { reservedRanges, skipReserved } from "../../domain/subnet-cidr-reservations.js";
import type { Tx } from "../../store/store.js";

/**
 * "Is this address taken?" answered by the store: the address itself or its covering prefix is claimed. With a
 * family, the subnet's CIDR reservations of that family (one indexed read by subnet; a subnet has few) are skipped
 * too: automatic assignment never hands out reserved space, `explicit` or `prefix` (VPC User Guide "Subnet CIDR
 * reservations").
 */
export const storeUsedAddresses = (tx: Tx, subnetId: string, family?: 4 | 6): UsedAddresses => {
  const ranges = family === undefined ? [] : reservedRanges(tx.list("subnet-cidr-reservation", { subnetId }), family);
  return {
    has: (address) => {
      if (tx.addressOwner(subnetId, address) !== undefined) return true;
      const prefix = coveringPrefixOf(address);
      return prefix !== undefined && tx.addressOwner(subnetId, prefix) !== undefined;
    },
    ...(ranges.length > 0 ? { skipTo: (value: bigint) => skipReserved(ranges, value) } : {}),
  };
};

/**
 * The `count` lowest free addresses of the subnet's block `cidr`, claimed for `owner`; throws
 * InsufficientFreeAddressesInSubnet when there are not enough. Moves the hint past the last one claimed (the
 * addresses in between were skipped because they are used).
 */
export const claimLowestFree = (tx: Tx, subnetId: string, cidr: Cidr, owner: string, count: number): string[] => {
  if (count <= 0) return [];
  const used = storeUsedAddresses(tx, subnetId, cidr.version);
  const hint = tx.addressHint(subnetId, cidr.version);
  // Fall back to a full search from the subnet start should the hint ever be past a free address.
  const picked = lowestFreeAddresses(cidr, used, count, hint) ?? (hint !== undefined ? lowestFreeAddresses(cidr, used, count) : undefined);
  if (!picked) throw err.insufficientAddresses();
  for (const ip of picked) tx.claimAddress(subnetId, ip, cidr.version, owner);
  const last = parseAddress(picked[picked.length - 1]!);
  if (last && (hint === undefined || last.value >= hint)) tx.setAddressHint(subnetId, cidr.version, last.value + 1n);
  return picked;
};
