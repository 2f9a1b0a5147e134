/**
 * Pure subnet rules: IPv4 and IPv6 block checks, ModifySubnetAttribute's one-attribute rule, IPv6 /64
 * association and disassociation, and what DeleteSubnet leaves behind in route tables and network ACLs.
 */
import { err } from "./errors.js";
import { formatCidr, overlaps, parseCidr, type Cidr } from "./cidr.js";
import { cidrInVpc, MAX_VPC_PREFIX, MIN_VPC_PREFIX, vpcIpv6Blocks } from "./vpc.js";
import type { NetworkAclRecord, RouteTableRecord, SubnetRecord, VpcRecord } from "./types.js";

/**
 * A subnet's IPv6 block is /44 to /64 in steps of /4 (AWS VPC user guide, "Subnet sizing for IPv6"); /64 is what
 * Amazon-provided /56 VPCs usually carve. Other sizes answer InvalidParameterValue "invalid value for parameter
 * ipv6-cidr-block" (the text AWS returned for a /60 before larger subnets existed, seen in terraform-provider-aws#28775).
 */
export const SUBNET_IPV6_PREFIXES: readonly number[] = [44, 48, 52, 56, 60, 64];

/**
 * Parses a subnet IPv4 block (canonicalised: 100.68.0.18/18 → 100.68.0.0/18) and checks its size (/16–/28),
 * that it lies inside one of the VPC's IPv4 blocks and that it overlaps no other subnet of the VPC.
 */
export const checkSubnetIpv4 = (vpc: VpcRecord, siblings: readonly SubnetRecord[], text: string): Cidr => {
  const c = parseCidr(text);
  if (!c || c.version !== 4) throw err.invalidCidr(text);
  if (c.prefix < MIN_VPC_PREFIX || c.prefix > MAX_VPC_PREFIX || !cidrInVpc(vpc, c)) throw err.subnetRange(text);
  for (const s of siblings) {
    const other = s.cidrBlock ? parseCidr(s.cidrBlock) : undefined;
    if (other && overlaps(other, c)) throw err.subnetConflict(text);
  }
  return c;
};

/** The subnet's associated IPv6 blocks. */
export const subnetIpv6Blocks = (s: SubnetRecord): Cidr[] =>
  s.ipv6Associations.filter((a) => a.state === "associated").map((a) => parseCidr(a.ipv6CidrBlock)!);

/**
 * Parses a subnet IPv6 block and checks it: the VPC must have an IPv6 block, the subnet block must be /44–/64 (in
 * steps of /4) inside it, and no other subnet of the VPC may hold an overlapping block.
 */
export const checkSubnetIpv6 = (vpc: VpcRecord, siblings: readonly SubnetRecord[], text: string): Cidr => {
  if (vpcIpv6Blocks(vpc).length === 0) throw err.vpcNoIpv6(vpc.id);
  const c = parseCidr(text);
  if (!c || c.version !== 6) throw err.invalidIpv6Cidr(text);
  if (!SUBNET_IPV6_PREFIXES.includes(c.prefix)) throw err.subnetIpv6Size(text);
  if (!cidrInVpc(vpc, c)) throw err.subnetIpv6Range(text);
  for (const s of siblings) {
    if (subnetIpv6Blocks(s).some((b) => overlaps(b, c))) throw err.subnetConflict(text);
  }
  return c;
};

/** Associates a checked IPv6 /64; a subnet holds at most one. */
export const withSubnetIpv6 = (s: SubnetRecord, cidr: Cidr, associationId: string): SubnetRecord => {
  if (subnetIpv6Blocks(s).length > 0) throw err.subnetIpv6Exists(s.id);
  return { ...s, ipv6Associations: [...s.ipv6Associations, { associationId, ipv6CidrBlock: formatCidr(cidr), state: "associated" }] };
};

/**
 * Disassociates a subnet's IPv6 /64. AWS refuses while the subnet auto-assigns IPv6 addresses
 * (assign-ipv6-address-on-creation) and while network interfaces in it hold IPv6 addresses.
 */
export const withoutSubnetIpv6 = (s: SubnetRecord, associationId: string, ipv6AddressesInUse: number): SubnetRecord => {
  if (s.assignIpv6AddressOnCreation) throw err.subnetCidrAssignOnCreation(associationId);
  if (ipv6AddressesInUse > 0) throw err.subnetIpv6InUse(associationId);
  return { ...s, ipv6Associations: s.ipv6Associations.filter((a) => a.associationId !== associationId) };
};

/** ModifySubnetAttribute's attributes, in the model's member order (AWS lists offending names in that order). */
export interface SubnetAttributeChanges {
  readonly assignIpv6AddressOnCreation?: boolean | undefined;
  readonly mapPublicIpOnLaunch?: boolean | undefined;
  readonly enableDns64?: boolean | undefined;
  readonly privateDnsHostnameTypeOnLaunch?: SubnetRecord["privateDnsHostnameTypeOnLaunch"] | undefined;
  readonly enableResourceNameDnsARecordOnLaunch?: boolean | undefined;
  readonly enableResourceNameDnsAAAARecordOnLaunch?: boolean | undefined;
}

/** ModifySubnetAttribute: exactly one attribute per call, with the IPv6 preconditions. */
export const withSubnetAttribute = (s: SubnetRecord, changes: SubnetAttributeChanges): SubnetRecord => {
  const present = (Object.keys(changes) as (keyof SubnetAttributeChanges)[]).filter((k) => changes[k] !== undefined);
  if (present.length === 0) {
    throw err.oneOfRequired([
      "assignIpv6AddressOnCreation",
      "mapPublicIpOnLaunch",
      "enableDns64",
      "privateDnsHostnameTypeOnLaunch",
      "enableResourceNameDnsARecordOnLaunch",
      "enableResourceNameDnsAAAARecordOnLaunch",
    ]);
  }
  if (present.length > 1) throw err.subnetAttributeOneAtATime(present);
  const key = present[0]!;
  if (key === "assignIpv6AddressOnCreation" && changes.assignIpv6AddressOnCreation && subnetIpv6Blocks(s).length === 0) {
    throw err.subnetAssignIpv6NeedsBlock(s.id);
  }
  // An IPv6-only subnet has no IPv4 addresses to map a public IPv4 onto.
  if (key === "mapPublicIpOnLaunch" && changes.mapPublicIpOnLaunch && s.ipv6Native) throw err.ipv6OnlySubnetPublicIp(s.id);
  return { ...s, [key]: changes[key] };
};

/**
 * What a deleted subnet leaves behind: AWS drops its explicit route-table and network-ACL associations
 * together with the subnet. Returns only the records that changed.
 */
export const routeTablesWithoutSubnet = (tables: readonly RouteTableRecord[], subnetId: string): RouteTableRecord[] =>
  tables
    .filter((t) => t.associations.some((a) => a.subnetId === subnetId))
    .map((t) => ({ ...t, associations: t.associations.filter((a) => a.subnetId !== subnetId) }));

export const networkAclsWithoutSubnet = (acls: readonly NetworkAclRecord[], subnetId: string): NetworkAclRecord[] =>
  acls
    .filter((a) => a.associations.some((x) => x.subnetId === subnetId))
    .map((a) => ({ ...a, associations: a.associations.filter((x) => x.subnetId !== subnetId) }));
