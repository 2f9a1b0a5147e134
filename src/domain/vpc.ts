/**
 * Pure builders and rules for VPCs and the objects AWS creates with every VPC: the default security group, the
 * main route table and the default network ACL (Terraform reads all three after CreateVpc).
 */
import { err } from "./errors.js";
import { containsCidr, formatCidr, overlaps, parseCidr, privateRangeOf, type Cidr } from "./cidr.js";
import type {
  NetworkAclEntry,
  Route,
  SubnetRecord,
  VpcCidrAssociation,
  VpcIpv6CidrAssociation,
  NetworkAclRecord,
  RouteTableRecord,
  SecurityGroupRecord,
  SecurityGroupRule,
  Tag,
  VpcRecord,
} from "./types.js";

/** VPC and subnet IPv4 blocks must be /16 … /28 (spec §2 group A). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 28;

/** Parses and canonicalises a VPC IPv4 CIDR, or throws InvalidVpc.Range / InvalidParameterValue. */
export const vpcIpv4Cidr = (text: string): Cidr => {
  const c = parseCidr(text);
  if (!c || c.version !== 4) throw err.invalidCidr(text);
  if (c.prefix < MIN_VPC_PREFIX || c.prefix > MAX_VPC_PREFIX) throw err.vpcRange(text);
  return c;
};

export interface NewVpc {
  readonly id: string;
  readonly ownerId: string;
  readonly cidr: Cidr;
  readonly cidrAssociationId: string;
  readonly isDefault: boolean;
  readonly instanceTenancy: VpcRecord["instanceTenancy"];
  readonly tags: readonly Tag[];
  /** The DHCP options set (issue 16); "default" (none) when omitted. */
  readonly dhcpOptionsId?: string | undefined;
}

export const newVpc = (v: NewVpc): VpcRecord => ({
  kind: "vpc",
  id: v.id,
  tags: v.tags,
  ownerId: v.ownerId,
  cidrBlock: formatCidr(v.cidr),
  // CreateVpc answers `pending`; VPCs become available immediately in localvpc (no observable provisioning).
  state: "available",
  isDefault: v.isDefault,
  instanceTenancy: v.instanceTenancy,
  // "default" is AWS's "no DHCP options set" (AssociateDhcpOptions); CreateVpc passes the Region's default set.
  dhcpOptionsId: v.dhcpOptionsId ?? "default",
  cidrAssociations: [{ associationId: v.cidrAssociationId, cidrBlock: formatCidr(v.cidr), state: "associated" }],
  ipv6Associations: [],
  enableDnsSupport: true,
  // The default VPC has DNS hostnames on; a new VPC has them off (AWS defaults).
  enableDnsHostnames: v.isDefault,
  enableNetworkAddressUsageMetrics: false,
});

/** The IPv4 blocks currently associated with a VPC. */
export const vpcIpv4Blocks = (vpc: VpcRecord): Cidr[] =>
  vpc.cidrAssociations.filter((a) => a.state === "associated").map((a) => parseCidr(a.cidrBlock)!);

export const vpcIpv6Blocks = (vpc: VpcRecord): Cidr[] =>
  vpc.ipv6Associations.filter((a) => a.state === "associated").map((a) => parseCidr(a.ipv6CidrBlock)!);

/** AWS's special 198.19.0.0/16 range: only a VPC whose primary block is in it may add blocks from it. */
const RANGE_198_19 = parseCidr("198.19.0.0/16")!;

/**
 * Rules for adding a secondary IPv4 block (AssociateVpcCidrBlock), after AWS's "IPv4 CIDR block association
 * restrictions" table (VPC User Guide): the block must not overlap the VPC's blocks, the quota counts the primary
 * block, an RFC 1918 block is only allowed from the primary block's own RFC 1918 range (so never for a VPC whose
 * primary block is public or 100.64.0.0/10), and 198.19.0.0/16 only for a VPC whose primary block is in it.
 */
export const checkSecondaryIpv4 = (vpc: VpcRecord, cidr: Cidr, text: string, maxCidrs: number): void => {
  const blocks = vpcIpv4Blocks(vpc);
  if (blocks.length >= maxCidrs) throw err.cidrLimitExceeded(vpc.id, maxCidrs);
  for (const b of blocks) if (overlaps(b, cidr)) throw err.vpcCidrConflict(text, vpc.id);
  const primary = parseCidr(vpc.cidrBlock)!;
  const newRange = privateRangeOf(cidr);
  if (newRange !== undefined && newRange !== privateRangeOf(primary)) throw err.vpcCidrRestricted(text);
  if (overlaps(cidr, RANGE_198_19) && !containsCidr(RANGE_198_19, primary)) throw err.vpcCidrRestricted(text);
};

/** Adds a checked secondary IPv4 block. */
export const withIpv4Block = (vpc: VpcRecord, cidr: Cidr, associationId: string): VpcRecord => ({
  ...vpc,
  cidrAssociations: [...vpc.cidrAssociations, { associationId, cidrBlock: formatCidr(cidr), state: "associated" }],
});

/**
 * Adds an Amazon-provided IPv6 /56. AWS allocates from 2600:1f00::/24 (its VPC IPv6 range); localvpc derives the
 * block from 8 random hex digits supplied by the caller. A VPC holds up to `max` IPv6 blocks (quota "IPv6 CIDR
 * blocks per VPC", 5 [DOC VPC-UG "Amazon VPC quotas"]); more is CidrLimitExceeded, as for IPv4 blocks.
 */
export const withAmazonIpv6Block = (
  vpc: VpcRecord,
  p: { associationId: string; randomHex8: string; networkBorderGroup: string; max?: number },
): VpcRecord => {
  const held = vpc.ipv6Associations.filter((a) => a.state === "associated");
  const max = p.max ?? 5;
  if (held.length >= max) throw err.cidrLimitExceeded(vpc.id, max);
  let r = p.randomHex8;
  let block = parseCidr(`2600:1f${r.slice(0, 2)}:${r.slice(2, 6)}:${r.slice(6, 8)}00::/56`)!;
  // Never a block the VPC already holds (a new one is derived from the same digits, rotated).
  for (let turn = 0; held.some((a) => a.ipv6CidrBlock === formatCidr(block)) && turn < 8; turn++) {
    r = r.slice(1) + r.slice(0, 1);
    block = parseCidr(`2600:1f${r.slice(0, 2)}:${r.slice(2, 6)}:${r.slice(6, 8)}00::/56`)!;
  }
  return {
    ...vpc,
    ipv6Associations: [
      ...vpc.ipv6Associations,
      {
        associationId: p.associationId,
        ipv6CidrBlock: formatCidr(block),
        state: "associated",
        networkBorderGroup: p.networkBorderGroup,
        ipv6Pool: "Amazon",
      },
    ],
  };
};

export type VpcCidrAssociationRef =
  | { readonly family: 4; readonly vpc: VpcRecord; readonly association: VpcCidrAssociation }
  | { readonly family: 6; readonly vpc: VpcRecord; readonly association: VpcIpv6CidrAssociation };

/** Finds a VPC CIDR association (IPv4 or IPv6) by id among the scope's VPCs. */
export const findVpcCidrAssociation = (vpcs: readonly VpcRecord[], associationId: string): VpcCidrAssociationRef | undefined => {
  for (const vpc of vpcs) {
    const v4 = vpc.cidrAssociations.find((a) => a.associationId === associationId && a.state === "associated");
    if (v4) return { family: 4, vpc, association: v4 };
    const v6 = vpc.ipv6Associations.find((a) => a.associationId === associationId && a.state === "associated");
    if (v6) return { family: 6, vpc, association: v6 };
  }
  return undefined;
};

/**
 * Removes a CIDR association. The primary IPv4 block can never go (OperationNotPermitted), and a block that
 * still holds a subnet's IPv4 block or IPv6 /64 cannot either (InvalidCidrBlock.InUse).
 */
export const withoutCidrBlock = (ref: VpcCidrAssociationRef, subnets: readonly SubnetRecord[]): VpcRecord => {
  const { vpc } = ref;
  if (ref.family === 4) {
    if (ref.association.cidrBlock === vpc.cidrBlock) throw err.cannotDisassociatePrimaryCidr(ref.association.associationId, vpc.id);
    const block = parseCidr(ref.association.cidrBlock)!;
    const used = subnets.some((s) => s.cidrBlock !== undefined && containsCidr(block, parseCidr(s.cidrBlock)!));
    if (used) throw err.vpcCidrInUse(vpc.id, ref.association.cidrBlock);
    return { ...vpc, cidrAssociations: vpc.cidrAssociations.filter((a) => a.associationId !== ref.association.associationId) };
  }
  const block = parseCidr(ref.association.ipv6CidrBlock)!;
  const used = subnets.some((s) =>
    s.ipv6Associations.some((a) => a.state === "associated" && containsCidr(block, parseCidr(a.ipv6CidrBlock)!)),
  );
  if (used) throw err.vpcCidrInUse(vpc.id, ref.association.ipv6CidrBlock);
  return { ...vpc, ipv6Associations: vpc.ipv6Associations.filter((a) => a.associationId !== ref.association.associationId) };
};

/**
 * Every route table of a VPC carries one `local` route per VPC CIDR block (IPv4 and IPv6); AWS adds and removes
 * them as blocks are associated and disassociated. Non-local routes are kept in place.
 */
export const withLocalRoutes = (table: RouteTableRecord, vpc: VpcRecord): RouteTableRecord => {
  const isLocal = (r: Route): boolean => r.gatewayId === "local";
  const local: Route[] = [
    ...vpc.cidrAssociations
      .filter((a) => a.state === "associated")
      .map((a): Route => ({ destinationCidrBlock: a.cidrBlock, gatewayId: "local", origin: "CreateRouteTable", state: "active" })),
    ...vpc.ipv6Associations
      .filter((a) => a.state === "associated")
      .map((a): Route => ({ destinationIpv6CidrBlock: a.ipv6CidrBlock, gatewayId: "local", origin: "CreateRouteTable", state: "active" })),
  ];
  return { ...table, routes: [...local, ...table.routes.filter((r) => !isLocal(r))] };
};

export type VpcAttributeName = "enableDnsSupport" | "enableDnsHostnames" | "enableNetworkAddressUsageMetrics";

/** The three attributes DescribeVpcAttribute reads (Terraform's aws_vpc reads all three). */
export const vpcAttribute = (vpc: VpcRecord, name: VpcAttributeName): boolean => vpc[name];

/**
 * ModifyVpcAttribute: exactly one attribute per call; DNS hostnames can only be turned on while DNS support is on.
 * `changes` lists the attributes present in the request, in request order.
 */
export const withVpcAttribute = (vpc: VpcRecord, changes: readonly (readonly [VpcAttributeName, boolean])[]): VpcRecord => {
  if (changes.length === 0) throw err.oneOfRequired(["enableDnsSupport", "enableDnsHostnames", "enableNetworkAddressUsageMetrics"]);
  if (changes.length > 1) throw err.vpcAttributeOneAtATime(changes.map(([n]) => n));
  const [name, value] = changes[0]!;
  if (name === "enableDnsHostnames" && value && !vpc.enableDnsSupport) throw err.vpcDnsHostnamesNeedSupport();
  return { ...vpc, [name]: value };
};

export const cidrInVpc = (vpc: VpcRecord, cidr: Cidr): boolean =>
  (cidr.version === 4 ? vpcIpv4Blocks(vpc) : vpcIpv6Blocks(vpc)).some((b) => containsCidr(b, cidr));

/** The default security group: all traffic in from members of the group itself, all traffic out. */
export const defaultSecurityGroup = (p: {
  id: string;
  vpcId: string;
  ownerId: string;
  ingressRuleId: string;
  egressRuleId: string;
}): SecurityGroupRecord => ({
  kind: "security-group",
  id: p.id,
  tags: [],
  vpcId: p.vpcId,
  ownerId: p.ownerId,
  groupName: "default",
  description: "default VPC security group",
  rules: [
    { ruleId: p.ingressRuleId, isEgress: false, ipProtocol: "-1", referencedGroupId: p.id, referencedUserId: p.ownerId },
    { ruleId: p.egressRuleId, isEgress: true, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
  ],
});

/** The egress rule every new (non-default) security group starts with. */
export const defaultEgressRule = (ruleId: string): SecurityGroupRule => ({
  ruleId,
  isEgress: true,
  ipProtocol: "-1",
  cidrIpv4: "0.0.0.0/0",
});

export const mainRouteTable = (p: {
  id: string;
  vpc: VpcRecord;
  associationId: string;
  internetGatewayId?: string | undefined;
}): RouteTableRecord => ({
  kind: "route-table",
  id: p.id,
  tags: [],
  vpcId: p.vpc.id,
  ownerId: p.vpc.ownerId,
  routes: [
    { destinationCidrBlock: p.vpc.cidrBlock, gatewayId: "local", origin: "CreateRouteTable", state: "active" },
    ...(p.internetGatewayId
      ? [{ destinationCidrBlock: "0.0.0.0/0", gatewayId: p.internetGatewayId, origin: "CreateRoute" as const, state: "active" as const }]
      : []),
  ],
  associations: [{ associationId: p.associationId, main: true }],
});

/** Default NACL: rule 100 allows all traffic each way; the implicit `*` rule (32767) denies. */
export const defaultNetworkAclEntries = (): NetworkAclEntry[] => [
  { ruleNumber: 100, protocol: "-1", ruleAction: "allow", egress: false, cidrBlock: "0.0.0.0/0" },
  { ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress: false, cidrBlock: "0.0.0.0/0" },
  { ruleNumber: 100, protocol: "-1", ruleAction: "allow", egress: true, cidrBlock: "0.0.0.0/0" },
  { ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress: true, cidrBlock: "0.0.0.0/0" },
];

export const defaultNetworkAcl = (p: { id: string; vpcId: string; ownerId: string }): NetworkAclRecord => ({
  kind: "network-acl",
  id: p.id,
  tags: [],
  vpcId: p.vpcId,
  ownerId: p.ownerId,
  isDefault: true,
  entries: defaultNetworkAclEntries(),
  associations: [],
});
