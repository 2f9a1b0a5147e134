/**
 * Address rules of network interfaces (spec §2 group B, §4.1, §4.10, §4.11, §4.13): which request members may be
 * combined, explicit IPv6 addresses and /28 · /80 prefixes, lowest-free selection over a subnet's used space
 * (addresses and prefixes together, so an address inside a claimed prefix is never handed out and vice versa), and
 * the per-interface limits that apply once an ENI is attached. Pure: the store's usage rows arrive as strings.
 */
import { err } from "./errors.js";
import { touchesRanges, type ReservedRange } from "./subnet-cidr-reservations.js";
import {
  cidrSize,
  containsAddress,
  formatAddress,
  formatCidr,
  isReservedInSubnet,
  lastAddress,
  parseAddress,
  parseCidr,
  type Cidr,
  type IpVersion,
} from "./cidr.js";

/** AWS's prefix sizes for prefix delegation: IPv4 /28 (16 addresses), IPv6 /80 [DOC ec2-prefix-eni]. */
export const PREFIX_LENGTH: Readonly<Record<IpVersion, number>> = { 4: 28, 6: 80 };
/** How many addresses of the subnet one IPv4 prefix consumes (availableIpAddressCount drops by this). */
export const IPV4_PREFIX_WEIGHT = 16;

/** The prefix-sized block (/28 or /80) that contains an address, as canonical CIDR text. */
export const coveringPrefix = (version: IpVersion, value: bigint): string => {
  const bits = BigInt((version === 4 ? 32 : 128) - PREFIX_LENGTH[version]);
  return `${formatAddress(version, (value >> bits) << bits)}/${PREFIX_LENGTH[version]}`;
};

/** coveringPrefix of an address in text form (undefined when it does not parse). */
export const coveringPrefixOf = (address: string): string | undefined => {
  const a = parseAddress(address);
  return a ? coveringPrefix(a.version, a.value) : undefined;
};

/**
 * A subnet's used space for one family: the store's usage rows (addresses and prefix CIDRs). For IPv4 a prefix's
 * 16 members count as used addresses; for IPv6 (2^48 addresses per /80) an address is used if it or its /80 is.
 */
export class UsedSpace {
  readonly #addresses = new Set<string>();
  readonly #prefixes = new Set<string>();
  /** IPv6 only: the /80 of every used address, so that a prefix over a used address is seen as taken. */
  readonly #coveredPrefixes = new Set<string>();

  constructor(
    readonly version: IpVersion,
    entries: Iterable<string> = [],
  ) {
    for (const e of entries) {
      if (e.includes("/")) this.addPrefix(e);
      else this.addAddress(e);
    }
  }

  addAddress(address: string): void {
    this.#addresses.add(address);
    if (this.version === 6) {
      const p = coveringPrefixOf(address);
      if (p) this.#coveredPrefixes.add(p);
    }
  }

  addPrefix(prefix: string): void {
    this.#prefixes.add(prefix);
    if (this.version === 4) for (const a of prefixMembers(prefix)) this.#addresses.add(a);
  }

  has(address: string): boolean {
    if (this.#addresses.has(address)) return true;
    if (this.version === 4) return false;
    const p = coveringPrefixOf(address);
    return p !== undefined && this.#prefixes.has(p);
  }

  prefixFree(prefix: string): boolean {
    if (this.#prefixes.has(prefix)) return false;
    if (this.version === 6) return !this.#coveredPrefixes.has(prefix);
    return prefixMembers(prefix).every((a) => !this.#addresses.has(a));
  }
}

/** The 16 addresses of an IPv4 /28 prefix (none for anything else). */
export const prefixMembers = (prefix: string): string[] => {
  const c = parseCidr(prefix);
  if (!c || c.version !== 4) return [];
  return Array.from({ length: Number(cidrSize(c)) }, (_, i) => formatAddress(4, c.network + BigInt(i)));
};

/** Whether any address of `block` is reserved in `subnet` (first four and the last). */
const touchesReserved = (subnet: Cidr, block: Cidr): boolean =>
  block.network - subnet.network < 4n || lastAddress(block) === lastAddress(subnet);

/**
 * The `count` lowest free aligned prefixes (/28 or /80) of a subnet that hold no reserved or used address.
 * With subnet CIDR reservations: prefixes come first from `prefix` reservations ("AWS assigns the reserved IP
 * addresses to network interfaces", CreateSubnetCidrReservation), lowest reservation first, then from the rest of
 * the subnet, never from a block that touches any reservation. Returns undefined when there are not enough.
 */
export const lowestFreePrefixes = (
  subnet: Cidr,
  used: UsedSpace,
  count: number,
  reservations: readonly ReservedRange[] = [],
): string[] | undefined => {
  const out: string[] = [];
  if (count <= 0) return out;
  const length = PREFIX_LENGTH[subnet.version];
  if (subnet.prefix > length) return undefined;
  const step = 1n << BigInt((subnet.version === 4 ? 32 : 128) - length);
  const scan = (from: bigint, to: bigint, avoidReserved: boolean): void => {
    for (let v = from; v + step - 1n <= to && out.length < count; v += step) {
      const block: Cidr = { version: subnet.version, network: v, prefix: length };
      if (avoidReserved && touchesRanges(reservations, block)) continue;
      const text = formatCidr(block);
      if (!out.includes(text) && !touchesReserved(subnet, block) && used.prefixFree(text)) out.push(text);
    }
  };
  for (const r of reservations) {
    if (r.type !== "prefix") continue;
    const from = ((r.first + step - 1n) / step) * step; // the first aligned block inside the range
    scan(from, r.last, false);
  }
  scan(subnet.network, lastAddress(subnet), true);
  return out.length === count ? out : undefined;
};

/**
 * Validates an explicit prefix: a CIDR of exactly the family's prefix length, on its boundary, inside the subnet,
 * holding no reserved address. Returns the canonical text (the key its usage row is stored under).
 */
export const checkExplicitPrefix = (version: IpVersion, subnetCidr: string, text: string, subnetId: string): string => {
  const bad = version === 4 ? err.invalidIpv4Prefix(text) : err.invalidIpv6Prefix(text);
  const c = parseCidr(text);
  if (!c || c.version !== version || c.prefix !== PREFIX_LENGTH[version]) throw bad;
  // parseCidr keeps the network as given; a prefix off its boundary (10.0.0.5/28) is not a prefix.
  const [addressPart] = text.split("/");
  const given = parseAddress(addressPart ?? "");
  if (!given || given.value !== c.network) throw bad;
  const subnet = parseCidr(subnetCidr)!;
  if (!containsAddress(subnet, version, c.network) || !containsAddress(subnet, version, lastAddress(c))) {
    throw err.addressNotInSubnet(text, subnetId);
  }
  const canonical = formatCidr(c);
  if (touchesReserved(subnet, c)) throw err.prefixReserved(canonical);
  return canonical;
};

/** Validates an explicit IPv6 address for a subnet's /64: well-formed, inside, not reserved. Returns canonical text. */
export const checkExplicitIpv6 = (subnetIpv6Cidr: string, ip: string, subnetId: string): string => {
  const a = parseAddress(ip);
  if (!a || a.version !== 6) throw err.invalidIpv6Address(ip);
  const subnet = parseCidr(subnetIpv6Cidr)!;
  if (!containsAddress(subnet, 6, a.value)) throw err.addressNotInSubnet(ip, subnetId);
  if (isReservedInSubnet(subnet, a.value)) throw err.addressReserved(ip);
  return formatAddress(6, a.value);
};

/** The address members of a CreateNetworkInterface request (wire names in camelCase, as AWS spells them in errors). */
export interface CreateAddressRequest {
  readonly privateIpAddress?: string | undefined;
  readonly privateIpAddresses?: readonly { readonly address?: string | undefined; readonly primary?: boolean | undefined }[] | undefined;
  readonly secondaryCount?: number | undefined;
  readonly ipv4Prefixes?: readonly string[] | undefined;
  readonly ipv4PrefixCount?: number | undefined;
  readonly ipv6Addresses?: readonly { readonly address?: string | undefined; readonly primary?: boolean | undefined }[] | undefined;
  readonly ipv6Count?: number | undefined;
  readonly ipv6Prefixes?: readonly string[] | undefined;
  readonly ipv6PrefixCount?: number | undefined;
  readonly enablePrimaryIpv6?: boolean | undefined;
}

/** What a new ENI asks for, after the combination rules: explicit values plus how many to pick. */
export interface AddressPlan {
  readonly primaryIp?: string | undefined;
  readonly secondaryIps: readonly string[];
  readonly secondaryCount: number;
  readonly ipv4Prefixes: readonly string[];
  readonly ipv4PrefixCount: number;
  readonly ipv6Addresses: readonly string[];
  /** undefined: the subnet's AssignIpv6AddressOnCreation decides (0 overrides it, spec §2 group B). */
  readonly ipv6Count?: number | undefined;
  readonly ipv6Prefixes: readonly string[];
  readonly ipv6PrefixCount: number;
  /** Whether the first IPv6 address is the primary IPv6 (EnablePrimaryIpv6, or IsPrimaryIpv6 on an explicit one). */
  readonly primaryIpv6: boolean;
}

const nonNegative = (name: string, v: number | undefined): number => {
  if (v !== undefined && v < 0) throw err.countTooSmall(name, v);
  return v ?? 0;
};

/** Mutually exclusive members: at most one of each group may be present [DOC model text]. */
const exclusive = (present: readonly [string, boolean][]): void => {
  const given = present.filter(([, p]) => p).map(([n]) => n);
  if (given.length > 1) throw err.parametersTogether(given[0]!, given[1]!);
};

/**
 * Applies CreateNetworkInterface's combination rules. IPv4 prefixes exclude explicit secondary addresses and
 * counts (PrivateIpAddress, the primary, may accompany either); IPv6 addresses, counts and prefixes exclude each
 * other; an efa-only interface has no addresses at all (spec §4.9).
 */
export const planCreateAddresses = (r: CreateAddressRequest, interfaceType: string): AddressPlan => {
  const listed = r.privateIpAddresses ?? [];
  exclusive([
    ["ipv6Addresses", (r.ipv6Addresses?.length ?? 0) > 0],
    ["ipv6AddressCount", r.ipv6Count !== undefined && r.ipv6Count > 0],
    ["ipv6Prefixes", (r.ipv6Prefixes?.length ?? 0) > 0],
    ["ipv6PrefixCount", r.ipv6PrefixCount !== undefined],
  ]);
  const primaries = listed.filter((p) => p.primary);
  if (
    primaries.length > 1 ||
    (primaries.length === 1 && r.privateIpAddress !== undefined && primaries[0]!.address !== r.privateIpAddress)
  ) {
    throw err.multiplePrimaryIps();
  }
  const primaryIp = r.privateIpAddress ?? primaries[0]?.address;
  const secondaryIps = listed.filter((p) => !p.primary && p.address !== undefined && p.address !== primaryIp).map((p) => p.address!);
  if (secondaryIps.length > 0 && r.secondaryCount !== undefined) throw err.secondaryCountWithAddresses();
  exclusive([
    ["ipv4Prefixes", (r.ipv4Prefixes?.length ?? 0) > 0],
    ["ipv4PrefixCount", r.ipv4PrefixCount !== undefined],
    ["privateIpAddresses", secondaryIps.length > 0],
    ["secondaryPrivateIpAddressCount", r.secondaryCount !== undefined],
  ]);
  const v6 = r.ipv6Addresses ?? [];
  const plan: AddressPlan = {
    primaryIp,
    secondaryIps,
    secondaryCount: nonNegative("secondaryPrivateIpAddressCount", r.secondaryCount),
    ipv4Prefixes: r.ipv4Prefixes ?? [],
    ipv4PrefixCount: nonNegative("ipv4PrefixCount", r.ipv4PrefixCount),
    ipv6Addresses: v6.filter((a) => a.address !== undefined).map((a) => a.address!),
    ipv6Count: r.ipv6Count === undefined ? undefined : nonNegative("ipv6AddressCount", r.ipv6Count),
    ipv6Prefixes: r.ipv6Prefixes ?? [],
    ipv6PrefixCount: nonNegative("ipv6PrefixCount", r.ipv6PrefixCount),
    primaryIpv6: r.enablePrimaryIpv6 === true || v6.some((a) => a.primary),
  };
  if (interfaceType === "efa-only") {
    const any =
      plan.primaryIp !== undefined ||
      plan.secondaryIps.length + plan.secondaryCount + plan.ipv4Prefixes.length + plan.ipv4PrefixCount > 0 ||
      plan.ipv6Addresses.length + (plan.ipv6Count ?? 0) + plan.ipv6Prefixes.length + plan.ipv6PrefixCount > 0;
    if (any) throw err.efaOnlyWithAddresses();
  }
  return plan;
};

/** What one Assign call asks for: explicit values or counts (AssignPrivateIpAddresses / AssignIpv6Addresses). */
export interface AssignPlan {
  readonly addresses: readonly string[];
  readonly count: number;
  readonly prefixes: readonly string[];
  readonly prefixCount: number;
}

const planAssign = (
  names: readonly [string, string, string, string],
  addresses: readonly string[] | undefined,
  count: number | undefined,
  prefixes: readonly string[] | undefined,
  prefixCount: number | undefined,
  interfaceType: string,
): AssignPlan => {
  const present: [string, boolean][] = [
    [names[0], (addresses?.length ?? 0) > 0],
    [names[1], count !== undefined],
    [names[2], (prefixes?.length ?? 0) > 0],
    [names[3], prefixCount !== undefined],
  ];
  // "You must specify either the IP addresses or the IP address count" (model), and only one of the four.
  if (!present.some(([, p]) => p)) throw err.oneOfRequired(names);
  exclusive(present);
  if (count !== undefined && count < 1) throw err.countTooSmall(names[1], count);
  if (prefixCount !== undefined && prefixCount < 1) throw err.countTooSmall(names[3], prefixCount);
  if (interfaceType === "efa-only") throw err.efaOnlyWithAddresses();
  return { addresses: addresses ?? [], count: count ?? 0, prefixes: prefixes ?? [], prefixCount: prefixCount ?? 0 };
};

/** AssignPrivateIpAddresses: one of PrivateIpAddress.N, SecondaryPrivateIpAddressCount, Ipv4Prefix.N, Ipv4PrefixCount. */
export const planAssignIpv4 = (
  addresses: readonly string[] | undefined,
  count: number | undefined,
  prefixes: readonly string[] | undefined,
  prefixCount: number | undefined,
  interfaceType: string,
): AssignPlan =>
  planAssign(
    ["privateIpAddress", "secondaryPrivateIpAddressCount", "ipv4Prefix", "ipv4PrefixCount"],
    addresses,
    count,
    prefixes,
    prefixCount,
    interfaceType,
  );

/** AssignIpv6Addresses: one of Ipv6Addresses.N, Ipv6AddressCount, Ipv6Prefix.N, Ipv6PrefixCount. */
export const planAssignIpv6 = (
  addresses: readonly string[] | undefined,
  count: number | undefined,
  prefixes: readonly string[] | undefined,
  prefixCount: number | undefined,
  interfaceType: string,
): AssignPlan =>
  planAssign(
    ["ipv6Addresses", "ipv6AddressCount", "ipv6Prefix", "ipv6PrefixCount"],
    addresses,
    count,
    prefixes,
    prefixCount,
    interfaceType,
  );

/** The network limits of an instance type that bound the interfaces attached to it (spec §6). */
export interface InterfaceLimits {
  readonly typeName: string;
  readonly ipv4PerInterface: number;
  readonly ipv6PerInterface: number;
  readonly ipv6Supported: boolean;
  /** Prefix delegation: Nitro (hypervisor nitro) or bare metal only (spec §4.10). */
  readonly prefixesSupported: boolean;
}

/** What an interface holds, counted as the limits count it. */
export interface InterfaceCounts {
  readonly ipv4Addresses: number;
  readonly ipv4Prefixes: number;
  readonly ipv6Addresses: number;
  readonly ipv6Prefixes: number;
}

/**
 * Checks an attached interface against its instance type: IPv4 addresses + /28 prefixes (each prefix counts as
 * one) ≤ ipv4PerInterface, IPv6 addresses + /80 prefixes ≤ ipv6PerInterface, prefixes only on Nitro, IPv6 only on
 * IPv6-capable types. Unattached interfaces are bounded only by subnet space (spec §4.11, §8.7).
 */
export const checkInterfaceLimits = (c: InterfaceCounts, l: InterfaceLimits): void => {
  if (c.ipv4Prefixes + c.ipv6Prefixes > 0 && !l.prefixesSupported) throw err.prefixesNeedNitro(l.typeName);
  if (c.ipv4Addresses + c.ipv4Prefixes > l.ipv4PerInterface) throw err.privateIpLimit();
  if (c.ipv6Addresses + c.ipv6Prefixes > 0 && !l.ipv6Supported) throw err.ipv6NotSupportedByType(l.typeName);
  if (c.ipv6Addresses + c.ipv6Prefixes > l.ipv6PerInterface) throw err.ipv6AddressLimit();
};

/** The count of security groups an interface may hold: 1 to the quota (spec §4.12). */
export const tooManyGroups = (count: number, quota: number): boolean => count > quota;
