/**
 * Pure builders and rules for VPCs and the objects AWS creates with every VPC: the default security group, the
 * main route table and the default network ACL (Terraform reads all three after CreateVpc).
 */
import { err } from "./errors.js";
import { containsCidr, formatCidr, overlaps, parseCidr, privateRangeOf, type Cidr } from "./cidr.js";
import type {
  NetworkAclEntry,
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
  dhcpOptionsId: "default",
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

/**
 * Rules for adding a secondary IPv4 block (AssociateVpcCidrBlock): no overlap with existing blocks, quota, and
 * AWS's restriction that a block from one RFC 1918 range cannot be added to a VPC whose primary block is in
 * another RFC 1918 range.
 */
export const checkSecondaryIpv4 = (vpc: VpcRecord, cidr: Cidr, text: string, maxCidrs: number): void => {
  const blocks = vpcIpv4Blocks(vpc);
  if (blocks.length >= maxCidrs) throw err.cidrLimitExceeded(vpc.id);
  for (const b of blocks) if (overlaps(b, cidr)) throw err.vpcCidrConflict(text, vpc.id);
  const primary = parseCidr(vpc.cidrBlock)!;
  const primaryRange = privateRangeOf(primary);
  const newRange = privateRangeOf(cidr);
  if (primaryRange && newRange && primaryRange !== newRange) throw err.vpcCidrRestricted(text);
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
