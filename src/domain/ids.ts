/**
 * Resource id prefixes and id form checks (spec §1.8). New-style ids are prefix + 17 lowercase hex digits; legacy
 * 8-hex ids are accepted on input because AWS still accepts them. Generating ids is the caller's job (an injected
 * generator), so this module stays pure.
 */
import { err, type Ec2Error } from "./errors.js";

export const ID_PREFIX = {
  vpc: "vpc",
  subnet: "subnet",
  securityGroup: "sg",
  securityGroupRule: "sgr",
  internetGateway: "igw",
  routeTable: "rtb",
  routeTableAssociation: "rtbassoc",
  networkAcl: "acl",
  networkAclAssociation: "aclassoc",
  instance: "i",
  reservation: "r",
  networkInterface: "eni",
  eniAttachment: "eni-attach",
  eniPermission: "eni-perm",
  allocation: "eipalloc",
  association: "eipassoc",
  vpcCidrAssociation: "vpc-cidr-assoc",
  subnetCidrAssociation: "subnet-cidr-assoc",
  dhcpOptions: "dopt",
  flowLog: "fl",
  image: "ami",
  volume: "vol",
  snapshot: "snap",
  natGateway: "nat",
  ipv4Pool: "ipv4pool-ec2",
  ipv6Pool: "ipv6pool-ec2",
  keyPair: "key", // issue 15
  launchTemplate: "lt", // issue 15
  egressOnlyInternetGateway: "eigw", // issue 16
  subnetCidrReservation: "scr", // issue 16
  prefixList: "pl", // issue 16
  vpcEndpoint: "vpce", // issue 16 (VPC endpoints)
  placementGroup: "pg", // issue 15
  vpcPeeringConnection: "pcx", // issue 16 (VPC peering)
  networkInsightsPath: "nip", // issue 21 (Reachability Analyzer)
  networkInsightsAnalysis: "nia", // issue 21 (Reachability Analyzer)
} as const;
export type IdKind = keyof typeof ID_PREFIX;

/** Produces fresh ids; injected so that domain code never touches randomness. */
export interface IdGenerator {
  next(kind: IdKind): string;
  /** A random hex string of the given length (MAC octets, tokens). */
  hex(length: number): string;
}

/**
 * A version-4-shaped UUID from the injected id generator (no randomness of our own, so seeded runs are
 * deterministic): request ids, Lambda revisions, the UUID in a service ENI's description.
 */
export const uuidOf = (ids: IdGenerator): string => {
  const h = ids.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const idPattern = (prefix: string): RegExp => new RegExp(`^${prefix.replace(/-/g, "\\-")}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
const patterns = new Map<string, RegExp>(Object.values(ID_PREFIX).map((p) => [p, idPattern(p)]));

/** True when `value` has the form of an id with the given prefix. */
export const isIdOf = (kind: IdKind, value: string): boolean => patterns.get(ID_PREFIX[kind])?.test(value) ?? false;

/**
 * The `.Malformed` error code per resource. AWS's casing differs per resource ("Id" vs "ID") and must be copied
 * exactly (spec §1.8 / §3).
 */
const MALFORMED_CODE: Partial<Record<IdKind, string>> = {
  vpc: "InvalidVpcID.Malformed",
  subnet: "InvalidSubnetID.Malformed",
  securityGroup: "InvalidGroupId.Malformed",
  securityGroupRule: "InvalidSecurityGroupRuleId.Malformed",
  internetGateway: "InvalidInternetGatewayId.Malformed",
  routeTable: "InvalidRouteTableId.Malformed",
  networkAcl: "InvalidNetworkAclId.Malformed",
  instance: "InvalidInstanceID.Malformed",
  networkInterface: "InvalidNetworkInterfaceId.Malformed",
  eniAttachment: "InvalidNetworkInterfaceAttachmentId.Malformed",
  allocation: "InvalidAllocationID.Malformed",
  association: "InvalidAssociationID.Malformed",
  image: "InvalidAMIID.Malformed",
  vpcCidrAssociation: "InvalidVpcCidrBlockAssociationId.Malformed",
  subnetCidrAssociation: "InvalidSubnetCidrBlockAssociationId.Malformed",
  flowLog: "InvalidFlowLogId.Malformed",
  volume: "InvalidVolumeID.Malformed",
  snapshot: "InvalidSnapshotID.Malformed", // unverified
  natGateway: "InvalidNatGatewayID.Malformed", // unverified
  launchTemplate: "InvalidLaunchTemplateId.Malformed", // issue 15
  dhcpOptions: "InvalidDhcpOptionsId.Malformed", // unverified (issue 16)
  egressOnlyInternetGateway: "InvalidEgressOnlyInternetGatewayId.Malformed", // unverified (issue 16)
  subnetCidrReservation: "InvalidSubnetCidrReservationID.Malformed", // unverified (issue 16)
  prefixList: "InvalidPrefixListId.Malformed", // AWS error-code list (issue 16)
  vpcPeeringConnection: "InvalidVpcPeeringConnectionId.Malformed", // AWS error-code list (issue 16)
  vpcEndpoint: "InvalidVpcEndpointId.Malformed", // AWS error-code list (issue 16, VPC endpoints)
  networkInsightsPath: "InvalidNetworkInsightsPathId.Malformed", // AWS error-code list (issue 21)
  networkInsightsAnalysis: "InvalidNetworkInsightsAnalysisId.Malformed", // AWS error-code list (issue 21)
};

export const malformedError = (kind: IdKind, value: string): Ec2Error =>
  err.malformedId(MALFORMED_CODE[kind] ?? "InvalidParameterValue", value, ID_PREFIX[kind]);

/** Throws the resource's `.Malformed` error when `value` is not an id of that kind. */
export const assertIdOf = (kind: IdKind, value: string): void => {
  if (!isIdOf(kind, value)) throw malformedError(kind, value);
};

/** Maps an id to its kind by prefix (longest prefix first, so "eni-attach-" wins over "eni-"). */
const byPrefix = Object.entries(ID_PREFIX).sort((a, b) => b[1].length - a[1].length);
export const kindOfId = (value: string): IdKind | undefined => {
  for (const [kind, prefix] of byPrefix) if (patterns.get(prefix)?.test(value)) return kind as IdKind;
  return undefined;
};
