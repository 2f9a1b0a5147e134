/**
 * The one error catalogue. Every EC2 error localvpc answers with is built here, so codes and messages live in
 * one place. Codes are case-sensitive and copied from AWS (shared/spec/ec2-networking.md §3). A message marked
 * `unverified` is localvpc's best guess where AWS's text could not be confirmed from a public source.
 */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

const e = (code: string, message: string, status = 400): Ec2Error => new Ec2Error(code, message, status);

/** AWS's "Invalid<Res>Id.Malformed" message form, observed for ENIs and used for every resource. */
const malformedMessage = (value: string, prefix: string): string => `Invalid id: "${value}" (expecting "${prefix}-...")`;

export const err = {
  // --- protocol (spec §1) ---
  invalidAction: (action: string) => e("InvalidAction", `The action ${action} is not valid for this web service.`),
  missingAction: () => e("MissingAction", "The request must contain the parameter Action"), // unverified
  // localvpc's own: a real EC2 action that localvpc has not built yet. UnsupportedOperation is an EC2 code.
  notImplemented: (action: string) =>
    e(
      "UnsupportedOperation",
      `The action ${action} is a valid EC2 action but localvpc does not implement it yet. See COVERAGE.md for the implemented actions.`,
    ),
  // localvpc's own: a real EC2 parameter of an implemented action that localvpc does not support yet.
  unsupportedParameter: (name: string, action: string) =>
    e("UnsupportedOperation", `The parameter ${name} is not supported by localvpc for ${action} yet.`),
  unknownParameter: (name: string) => e("UnknownParameter", `The parameter ${name} is not recognized`),
  missingParameter: (name: string) => e("MissingParameter", `The request must contain the parameter ${name}`),
  invalidVersion: (version: string) =>
    e("InvalidParameterValue", `Value (${version}) for parameter Version is invalid. Expecting 2016-11-15.`), // unverified
  invalidBoolean: (name: string, value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid. Expecting a boolean.`), // unverified
  invalidInteger: (name: string, value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid. Expecting an integer.`), // unverified
  invalidTimestamp: (name: string, value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid. Expecting an ISO-8601 timestamp.`), // unverified
  invalidEnum: (name: string, value: string, allowed: readonly string[]) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid. Allowed values: ${allowed.join(", ")}.`), // unverified
  // "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5." (AWS-OBS; note the spaces)
  valueBelowMin: (name: string, value: number, min: number) =>
    e("InvalidParameterValue", `Value ( ${value} ) for parameter ${name} is invalid. Expecting a value greater than ${min}.`),
  valueAboveMax: (name: string, value: number, max: number) =>
    e("InvalidParameterValue", `Value ( ${value} ) for parameter ${name} is invalid. Expecting a value less than ${max}.`), // unverified
  stringTooLong: (name: string, max: number) =>
    e("InvalidParameterValue", `Value for parameter ${name} is invalid. Length exceeds ${max} characters.`), // unverified
  requestTooLarge: () => e("InvalidParameterValue", "The request body is too large."), // unverified
  malformedQueryString: () => e("MalformedQueryString", "The query string is malformed."), // unverified
  dryRun: () => e("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412),
  unauthorized: () => e("UnauthorizedOperation", "You are not authorized to perform this operation.", 403),
  internal: () => e("InternalError", "An internal error has occurred", 500),
  idsWithMaxResults: (idParam: string) =>
    e("InvalidParameterCombination", `The parameter ${idParam} cannot be used with the parameter maxResults`), // unverified
  invalidNextToken: () => e("InvalidNextToken", "The specified NextToken is not valid."),
  invalidFilter: (name: string) => e("InvalidParameterValue", `The filter '${name}' is invalid`), // unverified (code per spec §1.7)
  unsupportedFilter: (name: string) =>
    e("InvalidParameterValue", `The filter '${name}' is valid in EC2 but not supported by localvpc yet`), // localvpc's own
  clientTokenTooLong: () =>
    e("InvalidParameterValue", "Value for parameter clientToken is invalid. Length exceeds 64 characters."), // unverified
  idempotentMismatch: (token: string) =>
    e("IdempotentParameterMismatch", `Client token '${token}' was used with different parameters`), // unverified
  idempotentInstanceTerminated: () =>
    e("IdempotentInstanceTerminated", "The instance created with this client token has been terminated."), // unverified

  // --- ids (spec §1.8) ---
  malformedId: (code: string, value: string, prefix: string) => e(code, malformedMessage(value, prefix)),
  invalidIdForTags: (value: string) => e("InvalidID", `The ID '${value}' is not valid`),

  // --- tags (spec §1.9) ---
  invalidTagKey: (key: string) =>
    e("InvalidTagKey.Malformed", `Tag keys starting with 'aws:' are reserved for internal use`), // unverified; key kept for callers
  tagKeyTooLong: (key: string) =>
    e("InvalidParameterValue", `Tag key exceeds the maximum length of 128 characters: ${key}`), // unverified
  tagValueTooLong: (key: string) =>
    e("InvalidParameterValue", `Tag value exceeds the maximum length of 256 characters for key ${key}`), // unverified
  tagLimitExceeded: () => e("TagLimitExceeded", "The maximum number of Tags for a resource has been reached."), // unverified
  invalidTaggableResourceType: (type: string) =>
    e("InvalidParameterValue", `'${type}' is not a valid taggable resource type for this operation.`),
  missingTagKey: () => e("InvalidParameterValue", "Tag key cannot be empty"), // unverified

  // --- regions and zones ---
  invalidZoneIn: (zone: string, zones: readonly string[]) =>
    e(
      "InvalidParameterValue",
      `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(", ")}.`,
    ),
  invalidZoneId: (zoneId: string) => e("InvalidAvailabilityZone", `The specified availability zone ID '${zoneId}' is invalid`), // unverified
  zoneNotFound: (zone: string) => e("InvalidParameterValue", `Invalid availability zone: [${zone}]`), // unverified
  regionNotFound: (region: string) => e("InvalidParameterValue", `Invalid region: ${region}`), // unverified
  zoneAndZoneId: () =>
    e("InvalidParameterCombination", "The parameters availabilityZone and availabilityZoneId cannot be used together"), // unverified

  // --- VPCs ---
  vpcNotFound: (id: string) => e("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`), // unverified (spec: INFERRED)
  vpcRange: (cidr: string) => e("InvalidVpc.Range", `The CIDR '${cidr}' is invalid.`),
  invalidCidr: (cidr: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`), // unverified
  vpcLimitExceeded: () => e("VpcLimitExceeded", "The maximum number of VPCs has been reached."), // unverified
  vpcDependency: (id: string) =>
    e("DependencyViolation", `The vpc '${id}' has dependencies and cannot be deleted.`),
  vpcCidrConflict: (cidr: string, vpcId: string) =>
    e("InvalidVpc.Range", `The CIDR '${cidr}' conflicts with another CIDR block associated with ${vpcId}.`), // unverified
  vpcCidrRestricted: (cidr: string) =>
    e("InvalidVpc.Range", `The CIDR '${cidr}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.`), // unverified
  cidrLimitExceeded: (vpcId: string) =>
    e("CidrLimitExceeded", `This network '${vpcId}' has met its maximum number of allowed CIDRs: 5`), // unverified
  vpcCidrAssociationNotFound: (id: string) =>
    e("InvalidVpcCidrBlockAssociationID.NotFound", `The vpc CIDR block association ID '${id}' does not exist`), // unverified
  cannotDisassociatePrimaryCidr: (cidr: string, vpcId: string) =>
    e("OperationNotPermitted", `The vpc CIDR block with association ID ${cidr} may not be disassociated. It is the primary IPv4 CIDR block of the VPC ${vpcId}.`), // unverified
  ipv6CidrAlreadyAssociated: (vpcId: string) =>
    e("InvalidParameterValue", `The VPC ${vpcId} already has an IPv6 CIDR block associated.`), // unverified
  vpcAttributeOneAtATime: () =>
    e("InvalidParameterCombination", "Only one attribute can be modified at a time"), // unverified
  vpcDnsHostnamesNeedSupport: () =>
    e("InvalidParameterValue", "Cannot enable DNS hostnames unless DNS support is enabled."), // unverified
  invalidVpcAttribute: (name: string) => e("InvalidParameterValue", `Value (${name}) for parameter attribute is invalid. Unknown attribute.`), // unverified
  cidrDependency: (assocId: string) =>
    e("DependencyViolation", `The vpc CIDR block association ${assocId} has dependencies and cannot be disassociated.`), // unverified
  defaultVpcExists: () => e("DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region."),

  // --- subnets ---
  subnetNotFound: (id: string) => e("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`),
  subnetRange: (cidr: string) => e("InvalidSubnet.Range", `The CIDR '${cidr}' is invalid.`),
  subnetConflict: (cidr: string) => e("InvalidSubnet.Conflict", `The CIDR '${cidr}' conflicts with another subnet`),
  subnetDependency: (id: string) =>
    e("DependencyViolation", `The subnet '${id}' has dependencies and cannot be deleted.`),
  subnetAttributeOneAtATime: () =>
    e("InvalidParameterCombination", "You can only modify one attribute at a time."), // unverified
  subnetNoIpv6ForAssign: (id: string) =>
    e("InvalidParameterValue", `Subnet ${id} does not have an IPv6 CIDR block associated.`), // unverified
  subnetIpv6Range: (cidr: string) => e("InvalidSubnet.Range", `The IPv6 CIDR '${cidr}' is invalid. It must be a /64 within the VPC's IPv6 CIDR block.`), // unverified
  subnetIpv6Conflict: (cidr: string) => e("InvalidSubnet.Conflict", `The CIDR '${cidr}' conflicts with another subnet`),
  subnetCidrAssociationNotFound: (id: string) =>
    e("InvalidSubnetCidrBlockAssociationID.NotFound", `The subnet CIDR block with association ID '${id}' does not exist`), // unverified
  subnetIpv6Exists: (id: string) =>
    e("InvalidParameterValue", `The subnet ${id} already has an IPv6 CIDR block associated.`), // unverified
  vpcNoIpv6: (vpcId: string) =>
    e("InvalidParameterValue", `The VPC ${vpcId} does not have an IPv6 CIDR block associated.`), // unverified

  // --- security groups ---
  groupNotFound: (id: string) => e("InvalidGroup.NotFound", `The security group '${id}' does not exist`),
  groupNameNotFound: (name: string, vpcId: string) =>
    e("InvalidGroup.NotFound", `The security group '${name}' does not exist in VPC '${vpcId}'`),
  groupNameReserved: () => e("InvalidGroup.Reserved", "The security group 'default' is reserved"), // unverified
  groupDuplicate: (name: string, vpcId: string) =>
    e("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC '${vpcId}'`),
  cannotDeleteDefaultGroup: (id: string) =>
    e("CannotDelete", `the specified group: "${id}" name: "default" cannot be deleted by a user`),
  groupInUse: (id: string) =>
    e("DependencyViolation", `resource ${id} has a dependent object`),
  permissionDuplicate: (detail: string) =>
    e("InvalidPermission.Duplicate", `the specified rule "${detail}" already exists`),
  permissionNotFound: () =>
    e("InvalidPermission.NotFound", "The specified rule does not exist in this security group."),
  rulesPerGroupLimit: () =>
    e("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached."),
  securityGroupLimit: () =>
    e("SecurityGroupLimitExceeded", "The maximum number of security groups has been reached."), // unverified
  invalidPermissionMalformed: (message: string) => e("InvalidPermission.Malformed", message),
  securityGroupRuleNotFound: (id: string) =>
    e("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`), // unverified

  // --- internet gateways ---
  igwNotFound: (id: string) => e("InvalidInternetGatewayID.NotFound", `The internetGateway ID '${id}' does not exist`),
  igwAlreadyAttached: (igwId: string, vpcId: string) =>
    e("Resource.AlreadyAssociated", `resource ${igwId} is already attached to network ${vpcId}`),
  vpcAlreadyHasIgw: (vpcId: string) =>
    e("InvalidParameterValue", `Network ${vpcId} already has an internet gateway attached`), // unverified
  igwNotAttached: (igwId: string, vpcId: string) =>
    e("Gateway.NotAttached", `resource ${igwId} is not attached to network ${vpcId}`),
  igwDependency: (igwId: string) =>
    e("DependencyViolation", `The internetGateway '${igwId}' has dependencies and cannot be deleted.`),
  igwDetachMappedPublicAddress: (igwId: string, vpcId: string) =>
    e("DependencyViolation", `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`), // unverified

  // --- route tables / NACLs (describe only in the foundation) ---
  routeTableNotFound: (id: string) => e("InvalidRouteTableID.NotFound", `The routeTable ID '${id}' does not exist`),
  networkAclNotFound: (id: string) => e("InvalidNetworkAclID.NotFound", `The networkAcl ID '${id}' does not exist`),

  // --- instances ---
  instanceNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? e("InvalidInstanceID.NotFound", `The instance ID '${ids[0]}' does not exist`)
      : e("InvalidInstanceID.NotFound", `The instance IDs '${ids.join(", ")}' do not exist`),
  invalidInstanceType: (type: string) =>
    e("InvalidParameterValue", `The instance type '${type}' does not exist`), // unverified (RunInstances)
  instanceTypesNotFound: (types: readonly string[]) =>
    e("InvalidInstanceType", `The following supplied instance types do not exist: [${types.join(", ")}]`),
  amiNotFound: (ids: readonly string[]) =>
    e("InvalidAMIID.NotFound", `The image id '[${ids.join(", ")}]' does not exist`),
  amiMalformed: (id: string) => e("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`),
  instanceStateFor: (id: string, action: string) =>
    e("IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be ${action}.`), // unverified
  minCountAboveMax: () =>
    e("InvalidParameterValue", "Value for parameter MinCount is invalid. MinCount must be less than or equal to MaxCount."), // unverified
  countTooSmall: (name: string, value: number) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid. Expected a value greater than 0.`), // unverified
  instanceLimitExceeded: (requested: number) =>
    e("InstanceLimitExceeded", `You have requested more instances (${requested}) than your current instance limit allows for the specified instance type.`), // unverified
  noDefaultVpc: () =>
    e("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC."),
  instanceAttributeOneAtATime: () =>
    e("InvalidParameterCombination", "Only one attribute can be modified at a time"), // unverified
  invalidInstanceAttribute: (name: string) =>
    e("InvalidParameterValue", `Value (${name}) for parameter attribute is invalid. Unknown attribute.`), // unverified
  multipleInterfaces: (id: string) =>
    e("InvalidInstanceID", `There are multiple interfaces attached to instance '${id}'. Please specify an interface ID for the operation instead.`),
  unsupportedInstanceAttribute: (name: string) =>
    e("UnsupportedOperation", `The attribute ${name} is not supported by localvpc yet.`), // localvpc's own

  // --- network interfaces (the parts the foundation uses) ---
  eniNotFound: (id: string) => e("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`),
  addressInUse: (ip: string) => e("InvalidIPAddress.InUse", `Address ${ip} is in use.`),
  addressNotInSubnet: (ip: string, subnetId: string) =>
    e("InvalidParameterValue", `Address ${ip} does not fall within the subnet's address range`), // unverified; subnetId kept for callers
  addressReserved: (ip: string) => e("InvalidParameterValue", `Address ${ip} is reserved and cannot be used.`), // unverified
  insufficientAddresses: () =>
    e("InsufficientFreeAddressesInSubnet", "The specified subnet does not have enough free addresses to satisfy the request."),
  sgVpcMismatch: (groupId: string, vpcId: string) =>
    e("InvalidParameter", `Security group ${groupId} and subnet belong to different networks.`), // unverified; vpcId kept
  subnetGroupMismatch: () =>
    e("InvalidParameterCombination", "Security group and subnet belong to different networks."), // unverified
  tooManyGroupsPerInterface: () =>
    e("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached."),
  interfacesWithSubnet: () =>
    e("InvalidParameterCombination", "Network interfaces and an instance-level subnet ID may not be specified on the same request"),
  interfacesWithGroups: () =>
    e("InvalidParameterCombination", "Network interfaces and an instance-level security groups may not be specified on the same request"),
  interfacesWithPrivateIp: () =>
    e("InvalidParameterCombination", "Network interfaces and an instance-level private IP address may not be specified on the same request"), // unverified
  deviceIndexRequired: () => e("InvalidParameterValue", "Each network interface requires a device index."),
  deviceZeroRequired: () =>
    e("InvalidParameterValue", "When specifying network interfaces, you must include a device at index 0."),
  associatePublicIpMultiple: () =>
    e("InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces"),
  attachmentLimitExceeded: (count: number, type: string) =>
    e("AttachmentLimitExceeded", `Interface count ${count} exceeds the limit for ${type}`),
  eniInUse: (id: string) => e("InvalidNetworkInterface.InUse", `Interface: [${id}] in use.`),
  deviceIndexOccupied: (instanceId: string, index: number) =>
    e("InvalidParameterValue", `Instance '${instanceId}' already has an interface attached at device index '${index}'.`),
  deviceIndexExceedsCard: (index: number, card: number, max: number) =>
    e(
      "InvalidParameterValue",
      `The specified number '${index}' for the device index exceeds the maximum number of network interfaces supported by the network card at network card index ${card}. The maximum devices for this network card is ${max}. Specify a number from 0 to ${max - 1}, and try again.`,
    ),
  networkCardIndexInvalid: (card: number, type: string) =>
    e("InvalidParameterValue", `Network card index ${card} is not valid for instance type ${type}.`), // unverified
  notSameAz: () =>
    e("InvalidParameterCombination", "You may not attach a network interface to an instance if they are not in the same availability zone"),
  privateIpLimit: () => e("PrivateIpAddressLimitExceeded", "Number of private addresses will exceed limit."),
  interfaceIpLimit: () =>
    e("InvalidInterface.IpAddressLimitExceeded", "The number of private IP addresses for a specified network interface exceeds the limit for the type of instance you are trying to launch."), // unverified
  efaNotSupported: (type: string) =>
    e("InvalidParameterCombination", `${type} instances do not support Elastic Fabric Adapters.`), // unverified code
  ipv6NotSupportedByType: (type: string) =>
    e("InvalidParameterCombination", `The instance type ${type} does not support IPv6.`), // unverified
  deleteOnTerminationExisting: () =>
    e("InvalidParameterCombination", "A network interface may not specify both a network interface ID and DeleteOnTermination=true"), // unverified
} as const;

/** The literal union of every error builder's name in the catalogue. */
export type ErrorName = keyof typeof err;
