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

/** "The networkInterface ID 'x' does not exist"; several ids use AWS's plural form (unverified for ENIs). */
const eniIdsNotFound = (ids: readonly string[]): Ec2Error =>
  ids.length === 1
    ? e("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${ids[0] ?? ""}' does not exist`)
    : e("InvalidNetworkInterfaceID.NotFound", `The networkInterface IDs '${ids.join(", ")}' do not exist`);

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
    e("InvalidParameterCombination", `The parameter ${idParam} cannot be used with the parameter maxResults`), // AWS-OBS for volumeSet (aws-cli#1976): the list's wire name
  invalidNextToken: () => e("InvalidNextToken", "The specified NextToken is not valid."),
  invalidFilter: (name: string) => e("InvalidParameterValue", `The filter '${name}' is invalid`), // unverified (code per spec §1.7)
  filterValueTooLong: (name: string, max: number) =>
    e("InvalidParameterValue", `A value of the filter '${name}' is longer than ${max} characters`), // unverified: AWS documents no limit
  unsupportedFilter: (name: string) => e("InvalidParameterValue", `The filter '${name}' is valid in EC2 but not supported by localvpc yet`), // localvpc's own
  // AWS's wording for non-ASCII text; unverified for an ASCII character outside the allowed set.
  groupTextCharset: (parameter: string, value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${parameter} is invalid. Character sets beyond ASCII are not supported.`),
  clientTokenNotAscii: () =>
    e("InvalidParameterValue", "Value for parameter clientToken is invalid. It must contain only printable ASCII characters."), // unverified
  clientTokenTooLong: () => e("InvalidParameterValue", "Value for parameter clientToken is invalid. Length exceeds 64 characters."), // unverified
  idempotentMismatch: (token: string) => e("IdempotentParameterMismatch", `Client token '${token}' was used with different parameters`), // unverified
  idempotentInstanceTerminated: () => e("IdempotentInstanceTerminated", "The instance created with this client token has been terminated."), // unverified

  // --- ids (spec §1.8) ---
  malformedId: (code: string, value: string, prefix: string) => e(code, malformedMessage(value, prefix)),
  invalidIdForTags: (value: string) => e("InvalidID", `The ID '${value}' is not valid`),

  // --- tags (spec §1.9) ---
  invalidTagKey: (key: string) =>
    e(
      "InvalidTagKey.Malformed",
      `Value ( ${key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`,
    ), // unverified
  tagKeyTooLong: (key: string) => e("InvalidParameterValue", `Tag key exceeds the maximum length of 128 characters: ${key}`), // unverified
  tagValueTooLong: (key: string) => e("InvalidParameterValue", `Tag value exceeds the maximum length of 256 characters for key ${key}`), // unverified
  tagCharacters: () => e("InvalidParameterValue", "Tag keys and values may not contain control characters."), // unverified
  tagLimitExceeded: () => e("TagLimitExceeded", "The maximum number of Tags for a resource has been reached."), // unverified
  invalidTaggableResourceType: (type: string) =>
    e("InvalidParameterValue", `'${type}' is not a valid taggable resource type for this operation.`),
  missingTagKey: () => e("InvalidParameterValue", "Tag key cannot be empty"), // unverified
  // AWS-OBS getmoto/moto#6839 (CreateSubnet, maintainer's capture), ansible-collections/community.aws#1419
  // (CopySnapshot); one report shows the code InvalidParameterValue on another action.
  tagSpecResourceTypeMissing: () => e("InvalidParameter", "Tag specification resource type must have a value"),
  // AWS-OBS getmoto/moto#5216 (CreateVolume), konfig's StripEmptyTagSpecifications middleware comment
  tagSpecWithoutTags: () => e("InvalidParameterValue", "Tag specification must have at least one tag"),

  // --- regions and zones ---
  invalidZoneIn: (zone: string, zones: readonly string[]) =>
    e(
      "InvalidParameterValue",
      `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(", ")}.`,
    ),
  invalidZoneId: (zoneId: string) => e("InvalidAvailabilityZone", `The specified availability zone ID '${zoneId}' is invalid`), // unverified
  zoneNotFound: (zone: string) => e("InvalidParameterValue", `Invalid availability zone: [${zone}]`), // unverified
  regionNotFound: (region: string) => e("InvalidParameterValue", `Invalid region: ${region}`), // unverified
  zoneAndZoneId: () => e("InvalidParameterCombination", "The parameters availabilityZone and availabilityZoneId cannot be used together"), // unverified

  // --- VPCs ---
  vpcNotFound: (id: string) => e("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`), // unverified (spec: INFERRED)
  vpcRange: (cidr: string) => e("InvalidVpc.Range", `The CIDR '${cidr}' is invalid.`),
  invalidCidr: (cidr: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`), // unverified
  vpcLimitExceeded: () => e("VpcLimitExceeded", "The maximum number of VPCs has been reached."), // unverified
  vpcDependency: (id: string) => e("DependencyViolation", `The vpc '${id}' has dependencies and cannot be deleted.`),
  vpcCidrConflict: (cidr: string, vpcId: string) =>
    e("InvalidVpc.Range", `The CIDR '${cidr}' conflicts with another CIDR block associated with ${vpcId}.`), // unverified
  vpcCidrRestricted: (cidr: string) =>
    e(
      "InvalidVpc.Range",
      `The CIDR '${cidr}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.`,
    ), // unverified
  cidrLimitExceeded: (vpcId: string, max: number) =>
    e("CidrLimitExceeded", `This network ${vpcId} has met its maximum number of allowed CIDRs: ${max}`), // unverified (issue 15: no quotes around the id)
  vpcCidrAssociationNotFound: (id: string) =>
    e("InvalidVpcCidrBlockAssociationID.NotFound", `The vpc CIDR block association ID '${id}' does not exist`), // unverified
  cannotDisassociatePrimaryCidr: (cidr: string, vpcId: string) =>
    e(
      "OperationNotPermitted",
      `The vpc CIDR block with association ID ${cidr} may not be disassociated. It is the primary IPv4 CIDR block of the VPC ${vpcId}.`,
    ), // unverified
  ipv6CidrAlreadyAssociated: (vpcId: string) => e("InvalidParameterValue", `The VPC ${vpcId} already has an IPv6 CIDR block associated.`), // unverified
  // AWS-OBS apache/libcloud#328, kubernetes-sigs/cluster-api-provider-aws#783 (names in lowerCamel, request order)
  vpcAttributeOneAtATime: (names: readonly string[]) =>
    e("InvalidParameterCombination", `Fields for multiple attribute types specified: ${names.join(", ")}`),
  /** ModifyVpcAttribute / ModifySubnetAttribute / AssociateVpcCidrBlock with none of the alternatives. */
  oneOfRequired: (names: readonly string[]) =>
    e("MissingParameter", `The request must contain one of the following parameters: ${names.join(", ")}`), // unverified
  parametersTogether: (a: string, b: string) => e("InvalidParameterCombination", `The parameters ${a} and ${b} cannot be used together`), // unverified
  networkBorderGroupWithoutIpv6: () =>
    e("InvalidParameterCombination", "The parameter ipv6CidrBlockNetworkBorderGroup requires amazonProvidedIpv6CidrBlock to be true"), // unverified
  invalidNetworkBorderGroup: (group: string) => e("InvalidParameterValue", `The network border group '${group}' is invalid`), // unverified
  vpcDnsHostnamesNeedSupport: () => e("InvalidParameterValue", "Cannot enable DNS hostnames unless DNS support is enabled."), // unverified
  // AWS-OBS hashicorp/terraform-provider-aws#29077 (IPv6 block; used for IPv4 blocks too, unverified there)
  vpcCidrInUse: (vpcId: string, cidr: string) =>
    e("InvalidCidrBlock.InUse", `The vpc ${vpcId} currently has a subnet within CIDR block ${cidr}`),
  defaultVpcExists: () => e("DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region."),
  // --- default VPC / default subnets / tenancy (issue 16). Codes from the EC2 API error-code list; texts unverified. ---
  defaultVpcMissing: () =>
    e(
      "DefaultVpcDoesNotExist",
      "There is no default VPC in which to carry out the request. Create a default VPC first (CreateDefaultVpc).",
    ), // unverified
  defaultSubnetExists: (zone: string) =>
    e("DefaultSubnetAlreadyExistsInAvailabilityZone", `A default subnet already exists in Availability Zone ${zone}.`), // unverified
  defaultSubnetNoSpace: (vpcId: string) =>
    e("InsufficientFreeAddressesInSubnet", `The default VPC ${vpcId} has no free /20 block for a default subnet.`), // unverified

  // --- subnets ---
  subnetNotFound: (id: string) => e("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`),
  subnetRange: (cidr: string) => e("InvalidSubnet.Range", `The CIDR '${cidr}' is invalid.`),
  subnetConflict: (cidr: string) => e("InvalidSubnet.Conflict", `The CIDR '${cidr}' conflicts with another subnet`),
  subnetDependency: (id: string) => e("DependencyViolation", `The subnet '${id}' has dependencies and cannot be deleted.`),
  // Message AWS-OBS (EC2's text relayed by Cloud Control, aws-cloudformation/cloudformation-coverage-roadmap#1031); code unverified
  subnetAttributeOneAtATime: (names: readonly string[]) =>
    e("InvalidParameterCombination", `Only one subnet attribute can be modified at a time. Provided attributes: [${names.join(", ")}]`),
  subnetNoIpv6ForAssign: (id: string) => e("InvalidParameterValue", `Subnet ${id} does not have an IPv6 CIDR block associated.`), // unverified
  // ModifySubnetAttribute AssignIpv6AddressOnCreation=true on an IPv6-less subnet. AWS-OBS hashicorp/terraform-provider-aws#46795
  subnetAssignIpv6NeedsBlock: (id: string) =>
    e(
      "InvalidParameterValue",
      `Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (${id}) has an IPv6 CIDR block associated with it.`,
    ),
  // AWS-OBS hashicorp/terraform-provider-aws#3562, #1519
  subnetCidrAssignOnCreation: (assocId: string) =>
    e(
      "InvalidCidrBlock.InUse",
      `The subnet IPv6 CIDR block with association ID ${assocId} may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.`,
    ),
  subnetIpv6InUse: (assocId: string) =>
    e(
      "InvalidCidrBlock.InUse",
      `The subnet IPv6 CIDR block with association ID ${assocId} may not be disassociated, because it has IPv6 addresses assigned to network interfaces.`,
    ), // unverified
  invalidIpv6Cidr: (cidr: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter ipv6CidrBlock is invalid. This is not a valid IPv6 CIDR block.`), // unverified
  ipv6OnlySubnetPublicIp: (id: string) =>
    e("InvalidParameterValue", `Invalid value 'true' for map-public-ip-on-launch. The subnet (${id}) is an IPv6-only subnet.`), // unverified
  subnetIpv6Range: (cidr: string) =>
    e("InvalidSubnet.Range", `The IPv6 CIDR '${cidr}' is invalid. It must be within the VPC's IPv6 CIDR block.`), // unverified
  // AWS's text for a subnet IPv6 block of an unsupported size (terraform-provider-aws#28775).
  subnetIpv6Size: (cidr: string) => e("InvalidParameterValue", `invalid value for parameter ipv6-cidr-block: ${cidr}`),
  subnetCidrAssociationNotFound: (id: string) =>
    e("InvalidSubnetCidrBlockAssociationID.NotFound", `The subnet CIDR block with association ID '${id}' does not exist`), // unverified
  subnetIpv6Exists: (id: string) => e("InvalidParameterValue", `The subnet ${id} already has an IPv6 CIDR block associated.`), // unverified
  vpcNoIpv6: (vpcId: string) => e("InvalidParameterValue", `The VPC ${vpcId} does not have an IPv6 CIDR block associated.`), // unverified

  // --- security groups ---
  groupNotFound: (id: string) => e("InvalidGroup.NotFound", `The security group '${id}' does not exist`),
  // AWS-OBS aws/aws-cli#1207: "The security group 'sg-3acb815f' does not exist in default VPC 'vpc-a9f252cc'"
  groupNameNotFound: (name: string, vpcId: string) =>
    e("InvalidGroup.NotFound", `The security group '${name}' does not exist in default VPC '${vpcId}'`),
  // AWS-OBS pulumi/pulumi-awsx#328
  groupNameFormat: (name: string) =>
    e("InvalidParameterValue", `Value (${name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.`),
  // AWS-OBS (Terraform without a default VPC): "VPCIdNotSpecified: No default VPC for this user"
  noDefaultVpcForGroup: () => e("VPCIdNotSpecified", "No default VPC for this user"),
  groupIdOrNameRequired: () => e("MissingParameter", "The request must contain the parameter groupName or groupId"), // unverified
  groupNameReserved: () => e("InvalidGroup.Reserved", "The security group 'default' is reserved"), // unverified
  groupDuplicate: (name: string, vpcId: string) =>
    e("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC '${vpcId}'`),
  cannotDeleteDefaultGroup: (id: string) => e("CannotDelete", `the specified group: "${id}" name: "default" cannot be deleted by a user`),
  groupInUse: (id: string) => e("DependencyViolation", `resource ${id} has a dependent object`),
  // AWS-OBS: "peer: 0.0.0.0/0, ALL, ALLOW" (lucidsoftware/cumulus#101), "peer: sg-8b3b99f3, TCP, from port: 0, to port:
  // 65535, ALLOW" (galaxyproject/cloudlaunch#56). The ICMP and numbered-protocol forms are unverified.
  permissionDuplicate: (p: { peer: string; protocol: string; fromPort?: number | undefined; toPort?: number | undefined }) => {
    const proto = p.protocol === "-1" ? "ALL" : p.protocol.toUpperCase();
    const ports =
      p.fromPort === undefined
        ? ""
        : p.protocol === "icmp" || p.protocol === "icmpv6"
          ? `, type: ${p.fromPort}, code: ${p.toPort}`
          : `, from port: ${p.fromPort}, to port: ${p.toPort}`;
    return e("InvalidPermission.Duplicate", `the specified rule "peer: ${p.peer}, ${proto}${ports}, ALLOW" already exists`);
  },
  // AWS-OBS input-output-hk/bitte#24
  permissionRepeated: () => e("InvalidParameterValue", "The same permission must not appear multiple times"),
  // AWS-OBS boto/boto3#1078
  permissionMissingSource: () => e("MissingParameter", "Missing source specification: include source security group or CIDR information"),
  // AWS-OBS terraform-provider-aws#1793: "Invalid value 'all' for IP protocol. Unknown protocol."
  unknownIpProtocol: (value: string) => e("InvalidParameterValue", `Invalid value '${value}' for IP protocol. Unknown protocol.`),
  // AWS-OBS chef-provisioning-aws#183 ("TCP/UDP") and cfn-lint#2999 ("ICMP")
  portRangeRequired: (kind: "TCP/UDP" | "ICMP") =>
    e("InvalidParameterValue", `Invalid value 'Must specify both from and to ports with ${kind}.' for portRange.`),
  // AWS-OBS boto/boto3#336: "TCP/UDP port (-1) out of range"
  portOutOfRange: (port: number) => e("InvalidPermission.Malformed", `TCP/UDP port (${port}) out of range`),
  portRangeReversed: (from: number, to: number) =>
    e("InvalidPermission.Malformed", `TCP/UDP port range (${from} - ${to}) is invalid: the start port is greater than the end port`), // unverified
  icmpOutOfRange: (what: "type" | "code", value: number) => e("InvalidPermission.Malformed", `ICMP ${what} (${value}) out of range`), // unverified
  icmpCodeWithAllTypes: (code: number) =>
    e("InvalidPermission.Malformed", `ICMP code (${code}) must be -1 when the ICMP type is -1 (all types)`), // unverified
  // AWS-OBS aws/aws-cli#2428: "CIDR block ::/0 is malformed"
  malformedRuleCidr: (cidr: string) => e("InvalidParameterValue", `CIDR block ${cidr} is malformed`),
  // Model doc: "You can't specify a source security group and a CIDR IP address range in the same set of permissions."
  sourceGroupWithCidr: () =>
    e(
      "InvalidParameterCombination",
      "You can't specify a source security group and a CIDR IP address range in the same set of permissions.",
    ), // unverified
  crossAccountGroupReference: (userId: string) =>
    e("UnsupportedOperation", `Security group references to another account (${userId}) are not supported by localvpc yet.`), // localvpc's own
  revokeRulesAndPermissions: () =>
    e("InvalidParameterCombination", "The parameter SecurityGroupRuleIds cannot be used with the parameter IpPermissions"), // unverified
  revokeNothing: () => e("MissingParameter", "The request must contain the parameter ipPermissions or securityGroupRuleIds"), // unverified
  flatWithPermissions: () =>
    e(
      "InvalidParameterCombination",
      "The parameter IpPermissions cannot be used with the parameters CidrIp, IpProtocol, FromPort, ToPort, SourceSecurityGroupName or SourceSecurityGroupOwnerId",
    ), // unverified
  permissionNotFound: () => e("InvalidPermission.NotFound", "The specified rule does not exist in this security group."),
  rulesPerGroupLimit: () => e("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached."),
  securityGroupLimit: () => e("SecurityGroupLimitExceeded", "The maximum number of security groups has been reached."), // unverified
  invalidPermissionMalformed: (message: string) => e("InvalidPermission.Malformed", message),
  securityGroupRuleNotFound: (id: string) => e("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${id}' does not exist`), // unverified

  // --- internet gateways ---
  igwNotFound: (id: string) => e("InvalidInternetGatewayID.NotFound", `The internetGateway ID '${id}' does not exist`),
  igwAlreadyAttached: (igwId: string, vpcId: string) =>
    e("Resource.AlreadyAssociated", `resource ${igwId} is already attached to network ${vpcId}`),
  // AWS-OBS binlab/terraform-aws-vault-ha-raft#54, cloudfoundry-incubator/kubo-deployment#167
  vpcAlreadyHasIgw: (vpcId: string) => e("InvalidParameterValue", `Network ${vpcId} already has an internet gateway attached`),
  igwLimitExceeded: () => e("InternetGatewayLimitExceeded", "The maximum number of internet gateways has been reached."), // unverified
  igwNotAttached: (igwId: string, vpcId: string) => e("Gateway.NotAttached", `resource ${igwId} is not attached to network ${vpcId}`),
  igwDependency: (igwId: string) => e("DependencyViolation", `The internetGateway '${igwId}' has dependencies and cannot be deleted.`),
  igwDetachMappedPublicAddress: (igwId: string, vpcId: string) =>
    e(
      "DependencyViolation",
      `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    ), // unverified

  // --- route tables / NACLs (describe only in the foundation) ---
  routeTableNotFound: (id: string) => e("InvalidRouteTableID.NotFound", `The routeTable ID '${id}' does not exist`),
  networkAclNotFound: (id: string) => e("InvalidNetworkAclID.NotFound", `The networkAcl ID '${id}' does not exist`),

  // --- instances ---
  instanceNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? e("InvalidInstanceID.NotFound", `The instance ID '${ids[0]}' does not exist`)
      : e("InvalidInstanceID.NotFound", `The instance IDs '${ids.join(", ")}' do not exist`),
  invalidInstanceType: (type: string) => e("InvalidParameterValue", `The instance type '${type}' does not exist`), // unverified (RunInstances)
  instanceTypesNotFound: (types: readonly string[]) =>
    e("InvalidInstanceType", `The following supplied instance types do not exist: [${types.join(", ")}]`),
  // Instance-type offerings (issue 15). Text confirmed from AWS answers quoted in public issues (zones in name order).
  typeNotOfferedInZone: (type: string, zone: string, offeredIn: readonly string[]) =>
    e(
      "Unsupported",
      `Your requested instance type (${type}) is not supported in your requested Availability Zone (${zone}). Please retry your request by not specifying an Availability Zone or choosing ${offeredIn.join(", ")}.`,
    ),
  configurationNotSupported: () =>
    e(
      "Unsupported",
      "The requested configuration is currently not supported. Please check the documentation for supported configurations.",
    ),
  amiNotFound: (ids: readonly string[]) => e("InvalidAMIID.NotFound", `The image id '[${ids.join(", ")}]' does not exist`),
  amiMalformed: (id: string) => e("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`),
  instanceStateFor: (id: string, action: string) =>
    e("IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be ${action}.`), // unverified
  minCountAboveMax: () =>
    e("InvalidParameterValue", "Value for parameter MinCount is invalid. MinCount must be less than or equal to MaxCount."), // unverified
  countTooSmall: (name: string, value: number) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid. Expected a value greater than 0.`), // unverified
  instanceLimitExceeded: (requested: number) =>
    e(
      "InstanceLimitExceeded",
      `You have requested more instances (${requested}) than your current instance limit allows for the specified instance type.`,
    ), // unverified
  noDefaultVpc: () => e("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC."),
  instanceAttributeOneAtATime: () => e("InvalidParameterCombination", "Only one attribute can be modified at a time"), // unverified
  invalidInstanceAttribute: (name: string) =>
    e("InvalidParameterValue", `Value (${name}) for parameter attribute is invalid. Unknown attribute.`), // unverified
  multipleInterfaces: (id: string) =>
    e(
      "InvalidInstanceID",
      `There are multiple interfaces attached to instance '${id}'. Please specify an interface ID for the operation instead.`,
    ),
  unsupportedInstanceAttribute: (name: string) => e("UnsupportedOperation", `The attribute ${name} is not supported by localvpc yet.`), // localvpc's own
  // AWS-OBS gruntwork-io/cloud-nuke#731 (TerminateInstances with an empty id list, status 400)
  noInstancesSpecified: () => e("InvalidParameterCombination", "No instances specified"),
  terminationProtected: (id: string) =>
    e(
      "OperationNotPermitted",
      `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    ), // unverified
  stopProtected: (id: string) =>
    e("OperationNotPermitted", `The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`), // unverified
  instanceNotStopped: (id: string) => e("IncorrectInstanceState", `The instance '${id}' is not in the 'stopped' state.`), // unverified
  archMismatch: (typeArch: string, amiArch: string) =>
    e(
      "InvalidParameterValue",
      `The architecture '${typeArch}' of the specified instance type does not match the architecture '${amiArch}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    ), // unverified
  noDefaultSubnet: (vpcId: string) => e("MissingInput", `No subnets found for the default VPC '${vpcId}'. Please specify a subnet.`), // unverified
  groupNameWithSubnet: () => e("InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet"), // unverified
  sgSubnetMismatch: (groupId: string, subnetId: string) =>
    e("InvalidParameter", `Security group ${groupId} and subnet ${subnetId} belong to different networks.`), // unverified
  invalidPrivateIpAddress: (ip: string) =>
    e("InvalidParameterValue", `Value (${ip}) for parameter privateIpAddress is invalid. Expecting a valid IPv4 address.`), // unverified
  explicitIpMultipleInstances: () =>
    e("InvalidParameterCombination", "Cannot specify a private IP address when launching more than one instance."), // unverified
  existingInterfaceMultipleInstances: () =>
    e("InvalidParameterCombination", "Cannot specify an existing network interface when launching more than one instance."), // unverified
  interfacesWithIpv6: () =>
    e(
      "InvalidParameterCombination",
      "Network interfaces and an instance-level IPv6 address count may not be specified on the same request",
    ), // unverified
  existingInterfaceWith: (param: string) =>
    e("InvalidParameterCombination", `The parameter ${param} cannot be specified with an existing network interface.`), // unverified
  associatePublicIpExistingInterface: () =>
    e("InvalidParameterCombination", "The associatePublicIPAddress parameter can only be specified for a new network interface."), // unverified
  duplicateDeviceIndex: (index: number) => e("InvalidParameterValue", `More than one network interface specifies device index '${index}'.`), // unverified
  invalidInterfaceType: (value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter interfaceType is invalid. Allowed values: interface, efa, efa-only.`), // unverified
  efaLimitExceeded: (type: string) =>
    e("InvalidParameterCombination", `The number of Elastic Fabric Adapters exceeds the limit for ${type}.`), // unverified
  efaOnlyWithAddresses: () => e("InvalidParameterCombination", "An efa-only network interface cannot have IP addresses."), // unverified
  efaOnlyPrimary: () =>
    e("InvalidParameterCombination", "The network interface at device index 0 and network card index 0 cannot be of type efa-only."), // unverified
  secondaryCountWithAddresses: () =>
    e(
      "InvalidParameterCombination",
      "The secondaryPrivateIpAddressCount parameter cannot be specified with more than one private IP address.",
    ), // unverified
  multiplePrimaryIps: () => e("InvalidParameterValue", "Only one primary private IP address can be specified per network interface."), // unverified
  volumeNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? e("InvalidVolume.NotFound", `The volume '${ids[0]}' does not exist.`) // unverified
      : e("InvalidVolume.NotFound", `The volumes '${ids.join(", ")}' do not exist.`), // unverified
  // --- volumes and snapshots (issue 15) ---
  snapshotNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? e("InvalidSnapshot.NotFound", `The snapshot '${ids[0]}' does not exist.`) // unverified
      : e("InvalidSnapshot.NotFound", `The snapshots '${ids.join(", ")}' do not exist.`), // unverified
  // AWS-OBS portworx/px-dev#42
  volumeAttached: (id: string) => e("VolumeInUse", `${id} is already attached to an instance`),
  volumeNotAvailable: (id: string, state: string) => e("IncorrectState", `${id} is not 'available'. It is in the '${state}' state.`), // unverified
  // AWS-OBS linuxkit/linuxkit#2388, kubernetes-sigs/aws-ebs-csi-driver#52
  volumeZoneMismatch: (volumeId: string, instanceId: string) =>
    e("InvalidVolume.ZoneMismatch", `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`),
  // AWS-OBS base2genomics/batchit#15 (quoted there as "Value(/dev/sdk1)"; the space follows AWS's other Value (…) messages)
  invalidDeviceName: (device: string) =>
    e("InvalidParameterValue", `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`),
  // AWS-OBS nanovms/ops#1189, rexray/rexray#425, kopeio/etcd-manager#323
  deviceInUse: (device: string) =>
    e("InvalidParameterValue", `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`),
  volumeAttachmentLimit: (type: string, max: number) =>
    e("AttachmentLimitExceeded", `The number of attachments exceeds the limit of ${max} for instance type ${type}.`), // unverified
  // AWS-OBS kubernetes-sigs/aws-ebs-csi-driver#1801, hashicorp/terraform#9023
  volumeNotAttached: (id: string, state: string) => e("IncorrectState", `Volume '${id}' is in the '${state}' state.`),
  volumeNotAttachedTo: (volumeId: string, instanceId: string) =>
    e("InvalidAttachment.NotFound", `Volume '${volumeId}' is not attached to instance '${instanceId}'`), // unverified
  volumeNotAttachedAt: (volumeId: string, device: string) =>
    e("InvalidAttachment.NotFound", `Volume '${volumeId}' is not attached at device '${device}'`), // unverified
  // AWS-OBS (Terraform output quoted in a public troubleshooting note: "IncorrectState: Unable to detach root volume …")
  detachRootVolume: (volumeId: string, instanceId: string) =>
    e("IncorrectState", `Unable to detach root volume '${volumeId}' from instance '${instanceId}'`),
  volumeInUseDelete: (volumeId: string, instanceId: string) =>
    e("VolumeInUse", `Volume ${volumeId} is currently attached to ${instanceId}`), // unverified
  volumeSizeOrSnapshotRequired: () => e("MissingParameter", "The request must contain the parameter size or snapshotId"), // unverified
  volumeTooSmall: (size: number, type: string, min: number) =>
    e("InvalidParameterValue", `Volume of size ${size}GiB is below the minimum of ${min}GiB for volume type ${type}.`), // unverified
  volumeSmallerThanSnapshot: (size: number, snapshotId: string, min: number) =>
    e("InvalidParameterValue", `Volume of size ${size}GB is smaller than snapshot '${snapshotId}', expect size >= ${min}GB`), // unverified (the launch form's text)
  // The IOPS and throughput texts are recalled from AWS answers, not confirmed from a public source.
  iopsTooLow: (iops: number, min: number) => e("InvalidParameterValue", `Volume iops of ${iops} is too low; minimum is ${min}.`), // unverified
  iopsTooHigh: (iops: number, max: number) => e("InvalidParameterValue", `Volume iops of ${iops} is too high; maximum is ${max}.`), // unverified
  iopsRatioTooHigh: (ratio: number, max: number) =>
    e("InvalidParameterValue", `Iops to volume size ratio of ${ratio.toFixed(6)} is too high; maximum is ${max.toFixed(6)}`), // unverified
  throughputTooLow: (t: number, min: number) => e("InvalidParameterValue", `Volume throughput of ${t} is too low; minimum is ${min}.`), // unverified
  throughputTooHigh: (t: number, max: number) => e("InvalidParameterValue", `Volume throughput of ${t} is too high; maximum is ${max}.`), // unverified
  throughputRatioTooHigh: (ratio: number, max: number) =>
    e(
      "InvalidParameterValue",
      `Throughput (MiBps) to iops ratio of ${ratio.toFixed(6)} is too high; maximum is ${max.toFixed(6)} MiBps per iops.`,
    ), // unverified
  volumeShrink: (current: number, requested: number) =>
    e("InvalidParameterValue", `New size ${requested} cannot be smaller than existing size ${current}.`), // unverified
  volumeModificationRate: (id: string) =>
    e(
      "VolumeModificationRateExceeded",
      `You've reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume (${id}).`,
    ), // unverified
  volumeModificationNotFound: (id: string) => e("InvalidVolumeModification.NotFound", `Modification for volume '${id}' does not exist.`), // unverified
  // AWS-OBS Answers4AWS/backup-monkey#10, rebuy-de/aws-nuke#81
  snapshotInUse: (snapshotId: string, imageId: string) =>
    e("InvalidSnapshot.InUse", `The snapshot ${snapshotId} is currently in use by ${imageId}`),
  snapshotNotCompleted: (_id: string, state: string) => e("IncorrectState", `Snapshot is in invalid state - ${state}`), // unverified
  copySnapshotRegion: (region: string) => e("InvalidParameterValue", `Invalid value '${region}' for SourceRegion.`), // unverified
  noDeviceMapped: (device: string) => e("InvalidInstanceAttributeValue", `No device is currently mapped at ${device}`), // unverified
  duplicateBlockDevice: (device: string) =>
    e("InvalidBlockDeviceMapping", `The device '${device}' is used in more than one block-device mapping`), // unverified
  invalidImageOwner: (value: string) => e("InvalidUserID.Malformed", `Invalid user id: '${value}'`), // unverified
  // --- key pairs and images (issue 15) ---
  // AWS-OBS hashicorp/terraform (InvalidKeyPair.Duplicate on import), iterative/terraform-provider-iterative#14
  keyPairDuplicate: (name: string) => e("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`),
  // AWS-OBS ttlequals0/autovpn#21, hashicorp/vault-guides#260 (RunInstances, DescribeKeyPairs)
  keyPairNotFound: (name: string) => e("InvalidKeyPair.NotFound", `The key pair '${name}' does not exist`),
  keyPairIdNotFound: (id: string) => e("InvalidKeyPair.NotFound", `The key pair ID '${id}' does not exist`), // unverified
  // AWS-OBS aws/aws-sdk-js#314, trailofbits/algo#376 (an ECDSA key is refused with the same text)
  invalidKeyFormat: () => e("InvalidKey.Format", "Key is not in valid OpenSSH public key format"),
  invalidKeyName: (name: string) =>
    e("InvalidParameterValue", `Value (${name}) for parameter keyName is invalid. Key names must be 1 to 255 ASCII characters.`), // unverified
  keyPairLimitExceeded: () => e("KeyPairLimitExceeded", "Maximum of 5000 keypairs reached."), // unverified
  keyNameOrId: () => e("MissingParameter", "The request must contain the parameter KeyName or KeyPairId"), // unverified
  // AWS-OBS webdigi/AWS-AMI-Automated-Creation-Deletion#6, hashicorp/packer#2774
  amiNameMalformed: () =>
    e(
      "InvalidAMIName.Malformed",
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    ),
  // AWS-OBS hashicorp/packer#880, wazuh/wazuh-virtual-machines#654
  amiNameDuplicate: (name: string, imageId: string) =>
    e("InvalidAMIName.Duplicate", `AMI name ${name} is already in use by AMI ${imageId}`),
  amiNotOwned: (imageId: string) => e("AuthFailure", `Not authorized for image:${imageId}`, 403), // unverified
  amiRootDeviceMissing: (root: string) =>
    e("InvalidBlockDeviceMapping", `The root device name '${root}' must have a block device mapping with an EBS snapshot.`), // unverified
  snapshotMalformed: (id: string) => e("InvalidSnapshotID.Malformed", `Invalid id: "${id}" (expecting "snap-...")`), // unverified casing
  amiAttributeItemValue: (value: string, item: string) =>
    e("InvalidAMIAttributeItemValue", `Invalid attribute item value "${value}" for ${item} item type.`), // unverified
  instanceNotImageable: (id: string) => e("IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be imaged.`), // unverified
  // --- RunInstances launch options (UserData, Placement, CreditSpecification, MetadataOptions, BlockDeviceMapping, IAM) ---
  // AWS-OBS aws/aws-cli#19, hashicorp/terraform#1196
  userDataNotBase64: () => e("InvalidParameterValue", "Invalid BASE64 encoding of user data"),
  // AWS-OBS kubermatic/kubermatic#144, deckhouse/deckhouse#5949 (the limit is on the decoded bytes)
  userDataTooLarge: () => e("InvalidParameterValue", "User data is limited to 16384 bytes"),
  placementZoneMismatch: (zone: string, subnetId: string, subnetZone: string) =>
    e(
      "InvalidParameterValue",
      `Value (${zone}) for parameter availabilityZone is invalid. Subnet '${subnetId}' is in the availability zone ${subnetZone}`,
    ), // unverified
  // AWS-OBS hashicorp/terraform-provider-aws#5067 (m5.large with cpu_credits "standard" and "unlimited" alike)
  creditsNotSupported: (type: string) =>
    e("InstanceCreditSpecification.NotSupported", `The ${type} instance type does not support T2 Unlimited.`),
  hopLimitOutOfRange: (value: number) =>
    e("InvalidParameterValue", `Value (${value}) for parameter httpPutResponseHopLimit is invalid. Valid values are 1 to 64.`), // unverified
  rootVolumeTooSmall: (size: number, snapshotId: string, min: number) =>
    e("InvalidBlockDeviceMapping", `Volume of size ${size}GB is smaller than snapshot '${snapshotId}', expect size >= ${min}GB`), // unverified (recalled from user reports)
  volumeTooLarge: (size: number, type: string, max: number) =>
    e("InvalidParameterValue", `Volume of size ${size}GiB exceeds the maximum of ${max}GiB for volume type ${type}.`), // unverified
  iopsNotSupported: (type: string) => e("InvalidParameterCombination", `The parameter iops is not supported for ${type} volumes.`), // unverified
  iopsRequired: (type: string) => e("InvalidParameterCombination", `The parameter iops must be specified for ${type} volumes.`), // unverified
  throughputNotSupported: (type: string) =>
    e("InvalidParameterCombination", `The parameter throughput is not supported for ${type} volumes.`), // unverified
  invalidInstanceProfileArn: (arn: string) =>
    e("InvalidParameterValue", `Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid ARN`), // unverified
  instanceProfileArnNameMismatch: () =>
    e(
      "InvalidParameterCombination",
      "The parameters iamInstanceProfile.arn and iamInstanceProfile.name do not refer to the same instance profile",
    ), // unverified
  // localvpc's own: only the AMI's root device can be mapped; extra volumes, instance store and NoDevice are not modelled.
  unsupportedBlockDevice: (device: string, root: string) =>
    e(
      "UnsupportedOperation",
      `localvpc supports BlockDeviceMapping only for the AMI's root device (${root}); device ${device} is not supported yet.`,
    ),
  // localvpc's own: a real value of a supported parameter that localvpc does not model (e.g. Placement.Tenancy=dedicated).
  unsupportedParameterValue: (name: string, value: string, action: string) =>
    e("UnsupportedOperation", `The value ${value} of parameter ${name} is not supported by localvpc for ${action} yet.`),

  // --- Elastic IPs ---
  allocationNotFound: (id: string) => e("InvalidAllocationID.NotFound", `The allocation ID '${id}' does not exist`),
  addressLimitExceeded: () => e("AddressLimitExceeded", "The maximum number of addresses has been reached."),
  associationNotFound: (id: string) => e("InvalidAssociationID.NotFound", `The association ID '${id}' does not exist`),
  // MOTO wording (spec §3, §8.5); the code is AWS's.
  addressNotFound: (ip: string) => e("InvalidAddress.NotFound", `Address '${ip}' not found.`), // unverified
  addressNotOwned: (ip: string) => e("AuthFailure", `The address '${ip}' does not belong to you.`, 403),
  eipAlreadyAssociated: (allocationId: string, associationId: string) =>
    e("Resource.AlreadyAssociated", `resource ${allocationId} is already associated with associate-id ${associationId}`),
  eipTargetOccupied: (eniId: string, privateIp: string, publicIp: string) =>
    e("Resource.AlreadyAssociated", `resource ${eniId} and ${privateIp} is already associated with public address ${publicIp}`),
  vpcWithoutGateway: (vpcId: string) => e("Gateway.NotAttached", `Network ${vpcId} is not attached to any internet gateway`),
  // Observed for "pending" (spec §3); the same form is used for shutting-down and terminated instances.
  instanceStateForAddress: (id: string, state: string) =>
    e("InvalidInstanceID", `The ${state} instance '${id}' is not in a valid state for this operation.`),
  // Text from open-source EC2 API re-implementations (ec2-api); AWS's own text is not confirmed.
  allocationIdRequired: (target: "a VPC instance" | "a network interface") =>
    e("InvalidParameterCombination", `You must specify an allocation id when mapping an address to ${target}`), // unverified
  publicIpWithAllocationId: () =>
    e("InvalidParameterCombination", "You may specify public IP or allocation id, but not both in the same call"), // unverified
  privateIpNotOnInterface: (ip: string, eniId: string) =>
    e("InvalidParameterValue", `The private IP address ${ip} is not assigned to network interface ${eniId}.`), // unverified
  // ReleaseAddress of an associated address (spec §3 table text for InvalidIPAddress.InUse).
  invalidDomainName: (name: string) => e("InvalidParameterValue", `Value (${name}) for parameter domainName is invalid.`), // unverified

  // --- network interfaces (the parts the foundation uses) ---
  eniNotFound: (id: string) => eniIdsNotFound([id]),
  addressInUse: (ip: string) => e("InvalidIPAddress.InUse", `Address ${ip} is in use.`),
  addressNotInSubnet: (ip: string, subnetId: string) =>
    e("InvalidParameterValue", `Address ${ip} does not fall within the subnet's address range of ${subnetId}`), // unverified
  addressReserved: (ip: string) => e("InvalidParameterValue", `Address ${ip} is reserved and cannot be used.`), // unverified
  insufficientAddresses: () =>
    e("InsufficientFreeAddressesInSubnet", "The specified subnet does not have enough free addresses to satisfy the request."),
  sgVpcMismatch: (groupId: string, vpcId: string) => e("InvalidParameter", `Security group ${groupId} does not belong to VPC ${vpcId}.`), // unverified
  subnetGroupMismatch: () => e("InvalidParameterCombination", "Security group and subnet belong to different networks."), // unverified
  tooManyGroupsPerInterface: () =>
    e("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached."),
  interfacesWithSubnet: () =>
    e("InvalidParameterCombination", "Network interfaces and an instance-level subnet ID may not be specified on the same request"),
  interfacesWithGroups: () =>
    e("InvalidParameterCombination", "Network interfaces and an instance-level security groups may not be specified on the same request"),
  interfacesWithPrivateIp: () =>
    e(
      "InvalidParameterCombination",
      "Network interfaces and an instance-level private IP address may not be specified on the same request",
    ), // unverified
  deviceIndexRequired: () => e("InvalidParameterValue", "Each network interface requires a device index."),
  deviceZeroRequired: () => e("InvalidParameterValue", "When specifying network interfaces, you must include a device at index 0."),
  associatePublicIpMultiple: () =>
    e(
      "InvalidParameterCombination",
      "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces",
    ),
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
    e(
      "InvalidInterface.IpAddressLimitExceeded",
      "The number of private IP addresses for a specified network interface exceeds the limit for the type of instance you are trying to launch.",
    ), // unverified
  efaNotSupported: (type: string) => e("InvalidParameterCombination", `${type} instances do not support Elastic Fabric Adapters.`), // unverified code
  ipv6NotSupportedByType: (type: string) => e("InvalidParameterCombination", `The instance type ${type} does not support IPv6.`), // unverified
  // --- ENI attach/detach and permissions (spec §2 group B, §4.6, §8.3) ---
  attachInstanceState: (id: string) => e("IncorrectInstanceState", `The instance '${id}' is not in a valid state for this operation.`), // unverified (spec §8.3)
  notSameVpc: () =>
    e("InvalidParameterCombination", "You may not attach a network interface to an instance if they are not in the same VPC"), // unverified (spec §8.3)
  efaPerCardExceeded: (card: number, type: string) =>
    e("InvalidParameterCombination", `Network card index ${card} of ${type} already has an Elastic Fabric Adapter attached.`), // unverified
  prefixesNeedNitro: (type: string) =>
    e("InvalidParameterCombination", `Prefix delegation is only supported on Nitro-based instance types; ${type} is not.`), // unverified
  attachmentNotFound: (id: string) => e("InvalidAttachmentID.NotFound", `The network interface attachment ID '${id}' does not exist`),
  detachPrimary: () => e("OperationNotPermitted", "The network interface at device index 0 and networkCard index 0 cannot be detached."),
  manageElaAttachment: () => e("OperationNotPermitted", "You are not allowed to manage 'ela-attach' attachments."),
  attachRequesterManaged: (id: string) =>
    e("OperationNotPermitted", `The network interface '${id}' is managed by an AWS service and cannot be attached by you.`), // unverified
  eniPermissionNotFound: (id: string) =>
    e("InvalidNetworkInterfacePermissionID.NotFound", `The network interface permission ID '${id}' does not exist`), // unverified
  eniPermissionAccountRequired: () => e("MissingParameter", "The request must contain the parameter awsAccountId"), // unverified
  invalidAwsAccountId: (value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter awsAccountId is invalid. Expecting a 12-digit AWS account ID.`), // unverified
  eniPermissionInUse: (id: string, account: string) =>
    e(
      "InvalidParameterValue",
      `The network interface permission '${id}' cannot be deleted while account ${account} has the network interface attached. Use Force to delete it.`,
    ), // unverified
  // localvpc's own: the admin clock route's body.
  clockAdvanceBody: () =>
    e("InvalidParameterValue", 'Expected {"ms": N} with N a non-negative number of milliseconds, at most 100 years at a time.'),
  // localvpc's own: the admin route that creates requester-managed ENIs.
  unknownManagedService: (service: string, known: readonly string[]) =>
    e("InvalidParameterValue", `Unknown service '${service}' for a requester-managed network interface. Use one of: ${known.join(", ")}.`),
  deleteOnTerminationExisting: () =>
    e("InvalidParameterCombination", "A network interface may not specify both a network interface ID and DeleteOnTermination=true"), // unverified
  // --- ENI core and IP addressing (spec §2 group B, §4.1, §4.10, §4.11; issue 3 part 1) ---
  // CreateNetworkInterface / AssignPrivateIpAddresses with an explicit address that is taken. AWS-OBS ansible#2084, pulumi#10923
  // The CreateNetworkInterface / ReleaseAddress form; RunInstances says "Address x is in use." (addressInUse).
  addressAlreadyInUse: () => e("InvalidIPAddress.InUse", "The specified address is already in use."),
  // AWS-OBS aws/amazon-vpc-resource-controller-k8s#583 (CreateNetworkInterface; the limit is the account's quota)
  eniGroupMembershipLimit: (account: string, limit: number) =>
    e("InvalidParameterValue", `user ${account} exceeded limit ${limit} on the number of interface security group memberships`),
  // AWS-OBS gruntwork-io/cloud-nuke#431
  eniCurrentlyInUse: (id: string) => e("InvalidParameterValue", `Network interface '${id}' is currently in use.`),
  enisNotFound: (ids: readonly string[]) => eniIdsNotFound(ids),
  eniLimitExceeded: () => e("NetworkInterfaceLimitExceeded", "The maximum number of network interfaces has been reached."), // unverified (code DOC)
  eniRequesterManaged: (id: string) =>
    e("OperationNotPermitted", `The network interface '${id}' is managed by an AWS service and cannot be modified or deleted by you.`), // unverified
  eniInterfaceTypeNotCreatable: (type: string) =>
    e("InvalidParameterValue", `Value (${type}) for parameter interfaceType is invalid. Allowed values: efa, efa-only, trunk.`), // unverified
  invalidIpv6Address: (ip: string) =>
    e("InvalidParameterValue", `Value (${ip}) for parameter ipv6Address is invalid. Expecting a valid IPv6 address.`), // unverified
  invalidIpv4Prefix: (prefix: string) =>
    e("InvalidParameterValue", `Value (${prefix}) for parameter ipv4Prefix is invalid. Expecting a /28 CIDR block on a /28 boundary.`), // unverified
  invalidIpv6Prefix: (prefix: string) =>
    e("InvalidParameterValue", `Value (${prefix}) for parameter ipv6Prefix is invalid. Expecting a /80 CIDR block on a /80 boundary.`), // unverified
  prefixReserved: (prefix: string) => e("InvalidParameterValue", `Prefix ${prefix} contains reserved addresses of the subnet.`), // unverified
  // Spec §8.1 proposal (AWS's text for the IPv6 overflow is unknown).
  ipv6AddressLimit: () => e("PrivateIpAddressLimitExceeded", "Number of IPv6 addresses will exceed limit."), // unverified
  // Spec §8.2: AssignPrivateIpAddresses of an address another ENI holds, without AllowReassignment. DOC errors-overview text.
  privateIpAlreadyAssigned: () => e("Resource.AlreadyAssigned", "The specified private IP address is already assigned to a resource."), // unverified usage
  primaryIpNotReassignable: (ip: string, eniId: string) =>
    e("InvalidParameterValue", `Address ${ip} is the primary private IP address of ${eniId} and cannot be reassigned.`), // unverified
  cannotUnassignPrimary: (ip: string) =>
    e("InvalidParameterValue", `The primary private IP address ${ip} of a network interface cannot be unassigned.`), // unverified
  // Seen in amazon-vpc-cni-k8s logs for UnassignPrivateIpAddresses; unverified here.
  addressesNotAssigned: (eniId: string) =>
    e("InvalidParameterValue", `Some of the specified addresses are not assigned to interface ${eniId}`),
  ipv6NotAssigned: (eniId: string) =>
    e("InvalidParameterValue", `Some of the specified IPv6 addresses are not assigned to interface ${eniId}`), // unverified
  primaryIpv6WithoutIpv6: () =>
    e("InvalidParameterCombination", "EnablePrimaryIpv6 requires the network interface to have at least one IPv6 address."), // unverified

  // --- BYOIP (spec §5) and the simulated world outside AWS (registry, RDAP, RPKI, BGP) ---
  byoipLimitExceeded: () => e("ResourceLimitExceeded", "The number of BYOIP CIDRs for this account has reached the maximum allowed limit."),
  invalidByoipCidr: (cidr: string) => e("InvalidParameterValue", `Value (${cidr}) for parameter cidr is invalid.`), // unverified
  byoipNotPublic: (cidr: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter cidr is invalid. The address range must be publicly routable.`), // unverified
  byoipPrefixTooSpecific: (cidr: string, most: number, family: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter cidr is invalid. The most specific prefix for ${family} is /${most}.`), // unverified
  byoipPrefixTooBroad: (cidr: string, least: number) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter cidr is invalid. The least specific prefix accepted is /${least}.`), // unverified
  notAdvertisableIpv4: (cidr: string) =>
    e("InvalidParameterCombination", `PubliclyAdvertisable=false is only supported for IPv6 address ranges, not ${cidr}.`), // unverified
  byoipOverlap: (cidr: string) =>
    e("InvalidParameterValue", `The CIDR ${cidr} overlaps with an address range that has already been provisioned to an AWS account.`), // unverified
  byoipCidrNotFound: (cidr: string) => e("InvalidParameterValue", `The CIDR ${cidr} is not provisioned in this account and Region.`), // unverified
  byoipNotExact: (cidr: string, provisioned: string) =>
    e("InvalidParameterValue", `The CIDR ${cidr} is a portion of ${provisioned}. Specify the exact address range that you provisioned.`), // unverified
  byoipIncorrectState: (cidr: string, state: string, verb: string) =>
    e("IncorrectState", `The CIDR ${cidr} is in state ${state} and cannot be ${verb}.`), // unverified
  byoipNotAdvertisable: (cidr: string) =>
    e("IncorrectState", `The CIDR ${cidr} was provisioned as not publicly advertisable and cannot be advertised.`), // unverified
  byoipAddressesAllocated: (cidr: string, n: number) =>
    e("IncorrectState", `The CIDR ${cidr} cannot be deprovisioned while ${n} Elastic IP address(es) are allocated from its pool.`), // unverified
  byoipIpv6Associated: (cidr: string, n: number) =>
    e("IncorrectState", `The CIDR ${cidr} cannot be deprovisioned while ${n} IPv6 CIDR block(s) from its pool are associated.`), // unverified
  // EC2's throttling code answers with HTTP 503; the BYOIP once-per-10-seconds limit is assumed to use it.
  requestLimitExceeded: () => e("RequestLimitExceeded", "Request limit exceeded.", 503), // unverified for BYOIP
  publicIpv4PoolNotFound: (id: string) => e("InvalidPublicIpv4PoolID.NotFound", `The pool ID '${id}' does not exist`), // unverified
  ipv6PoolNotFound: (id: string) => e("InvalidPoolID.NotFound", `The pool ID '${id}' does not exist`), // unverified
  poolExhausted: (id: string) => e("InsufficientAddressCapacity", `There are no free addresses left in pool ${id}.`), // unverified
  addressNotInOwnedPool: (ip: string) =>
    e("InvalidParameterValue", `The address ${ip} is not in an address pool provisioned to your account in this Region.`), // unverified
  addressNotInPool: (ip: string, poolId: string) => e("InvalidParameterValue", `The address ${ip} is not in pool ${poolId}.`), // unverified
  poolAddressInUse: (ip: string) => e("InvalidAddress.InUse", `The address ${ip} is already allocated.`), // unverified
  ipv6PoolBlockInvalid: (block: string, poolId: string) =>
    e(
      "InvalidParameterValue",
      `Value (${block}) for parameter ipv6CidrBlock is invalid. Expecting a /56 CIDR block inside pool ${poolId}.`,
    ), // unverified
  ipv6PoolBlockInUse: (block: string) => e("InvalidParameterValue", `The IPv6 CIDR block ${block} is already in use.`), // unverified
  ipv6PoolExhausted: (id: string) => e("InsufficientCidrBlocks", `There are no free /56 CIDR blocks left in pool ${id}.`), // unverified
  ipv6CidrBlockWithoutPool: () => e("InvalidParameterCombination", "The parameter ipv6CidrBlock requires the parameter ipv6Pool."), // unverified
  // localvpc's own (admin API of the simulated registry and internet):
  invalidRegistryCidr: (cidr: string) => e("InvalidParameterValue", `Value (${cidr}) is not a valid CIDR.`), // localvpc's own
  registryOverlap: (cidr: string, other: string) =>
    e("InvalidParameterValue", `The range ${cidr} overlaps the registered range ${other}; register the same range to change it.`), // localvpc's own
  notRegistered: (cidr: string) =>
    e(
      "InvalidParameterValue",
      `The range ${cidr} is not registered with any RIR. Register it first: localvpc rir register ${cidr} --rir ARIN --org NAME`,
    ), // localvpc's own
  invalidCertificateText: () =>
    e("InvalidParameterValue", "The certificate must be one PEM block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."), // localvpc's own
  invalidRoaMaxLength: (maxLength: number, prefix: string, bits: number) =>
    e("InvalidParameterValue", `maxLength ${maxLength} is invalid for ${prefix}: it must be between the prefix length and ${bits}.`), // localvpc's own
  invalidAsn: (asn: string) => e("InvalidParameterValue", `ASN ${asn} is invalid: expecting an integer from 0 to 4294967295.`), // localvpc's own
  invalidBgpOrigin: (origin: string) =>
    e("InvalidParameterValue", `Origin ${origin} is invalid: only "onprem" announcements can be added or withdrawn.`), // localvpc's own
  announcementNotFound: (cidr: string, asn: number) =>
    e("InvalidParameterValue", `No on-premises announcement of ${cidr} from AS${asn} exists.`), // localvpc's own
  invalidAddressOrCidr: (value: string) => e("InvalidParameterValue", `Value (${value}) is not an IP address or CIDR.`), // localvpc's own
  // --- data plane: route tables, network ACLs, NAT gateways, traffic (issue 5) ---
  routeDestinationRequired: () =>
    e("MissingParameter", "The request must contain exactly one of the parameters destinationCidrBlock, destinationIpv6CidrBlock"), // unverified
  invalidRouteDestination: (cidr: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`), // unverified
  routeDestinationReserved: (cidr: string) =>
    e("InvalidParameterValue", `The destination CIDR block ${cidr} is reserved and cannot be used in a route.`), // unverified
  routeTargetRequired: () =>
    e("InvalidParameterCombination", "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, instanceId"), // unverified
  routeLocalTargetNotCreatable: () =>
    e("InvalidParameterValue", "The target 'local' can only be used for a route to a CIDR block of the VPC."), // unverified
  routeMoreSpecificThanLocal: (cidr: string) =>
    e(
      "InvalidParameterValue",
      `The destination CIDR block ${cidr} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface, an instance or a NAT gateway.`,
    ), // unverified
  // AWS-OBS (terraform-provider-aws issues): "RouteAlreadyExists: The route identified by 0.0.0.0/0 already exists."
  routeAlreadyExists: (cidr: string) => e("RouteAlreadyExists", `The route identified by ${cidr} already exists.`),
  // AWS-OBS: "InvalidRoute.NotFound: no route with destination-cidr-block 0.0.0.0/0 in route table rtb-…"
  routeNotFound: (cidr: string, tableId: string, ipv6: boolean) =>
    e("InvalidRoute.NotFound", `no route with destination-${ipv6 ? "ipv6-" : ""}cidr-block ${cidr} in route table ${tableId}`),
  // AWS-OBS: ReplaceRoute of a missing route.
  routeNotDefined: (cidr: string) =>
    e("InvalidParameterValue", `There is no route defined for '${cidr}' in the route table. Use CreateRoute instead.`),
  cannotRemoveLocalRoute: (cidr: string, tableId: string) =>
    e("InvalidParameterValue", `cannot remove local route ${cidr} in route table ${tableId}`),
  // AWS-OBS: "route table rtb-… and network gateway igw-… belong to different networks"
  routeGatewayOtherNetwork: (tableId: string, gatewayId: string) =>
    e("InvalidParameterValue", `route table ${tableId} and network gateway ${gatewayId} belong to different networks`),
  routeTargetOtherNetwork: (tableId: string, targetId: string) =>
    e("InvalidParameterValue", `Route table ${tableId} and ${targetId} belong to different networks`), // unverified
  gatewayNotFound: (id: string) => e("InvalidGatewayID.NotFound", `The gateway ID '${id}' does not exist`),
  // AWS-OBS: CreateRoute with an instance that has several ENIs.
  instanceHasSeveralEnis: (id: string) =>
    e(
      "InvalidInstanceID",
      `There are multiple interfaces attached to instance '${id}'. Please specify an interface ID for the operation instead.`,
    ),
  routeTableDependency: (id: string) => e("DependencyViolation", `The routeTable '${id}' has dependencies and cannot be deleted.`),
  routeTableOtherNetwork: (tableId: string, subnetId: string) =>
    e("InvalidParameterValue", `Route table ${tableId} and subnet ${subnetId} belong to different networks`), // unverified
  // AWS-OBS: AssociateRouteTable of a subnet that already has an explicit association.
  routeTableAssociationConflict: (tableId: string) =>
    e("Resource.AlreadyAssociated", `the specified association for route table ${tableId} conflicts with an existing association`),
  // --- gateway (edge) route tables and middlebox routes (issue 16; VPC-UG "Gateway route tables", "Subnet route
  // tables": texts unverified, the rules are the guide's) ---
  gatewayAlreadyAssociated: (gatewayId: string, associationId: string) =>
    e("Resource.AlreadyAssociated", `the gateway ${gatewayId} is already associated with a route table (${associationId})`), // unverified
  gatewayTableRouteTarget: (tableId: string, cidr: string, target: string) =>
    e(
      "InvalidParameterValue",
      `Route table ${tableId} has a route to ${cidr} with target ${target}: a route table associated with a gateway can only route to local or a network interface.`,
    ), // unverified
  gatewayTableRouteDestination: (tableId: string, cidr: string) =>
    e(
      "InvalidParameterValue",
      `Route table ${tableId} has a route to ${cidr}: a route table associated with a gateway can only route to the VPC's CIDR blocks or the whole CIDR block of one of its subnets.`,
    ), // unverified
  routeMoreSpecificNotSubnet: (cidr: string) =>
    e(
      "InvalidParameterValue",
      `The destination CIDR block ${cidr} is more specific than a VPC CIDR block of the route table's VPC but is not the CIDR block of a subnet in it. A route more specific than the local route must match a whole subnet.`,
    ), // unverified
  associationTargetOneOf: () => e("InvalidParameterCombination", "The request must contain exactly one of subnetId or gatewayId"), // unverified
  cannotDisassociateMain: (id: string) => e("InvalidParameterValue", `cannot disassociate the main route table association ${id}`), // unverified
  routeTableLimitExceeded: () => e("RouteTableLimitExceeded", "The maximum number of route tables has been reached."), // unverified
  routeLimitExceeded: () => e("RouteLimitExceeded", "The maximum number of routes has been reached."), // unverified
  networkAclLimitExceeded: () => e("NetworkAclLimitExceeded", "The maximum number of network ACLs has been reached."), // unverified
  cannotDeleteDefaultNetworkAcl: (id: string) => e("InvalidParameterValue", `cannot delete default network ACL ${id}`), // unverified
  networkAclDependency: (id: string) => e("DependencyViolation", `The networkAcl '${id}' has dependencies and cannot be deleted.`), // unverified
  // AWS-OBS: "NetworkAclEntryAlreadyExists: The network acl entry identified by 100 already exists."
  networkAclEntryExists: (n: number) => e("NetworkAclEntryAlreadyExists", `The network acl entry identified by ${n} already exists.`),
  networkAclEntryNotFound: (n: number, egress: boolean, aclId: string) =>
    e("InvalidNetworkAclEntry.NotFound", `The ${egress ? "egress" : "ingress"} entry '${n}' does not exist in network acl ${aclId}`), // unverified
  networkAclRuleNumber: (n: number) =>
    e("InvalidParameterValue", `Value (${n}) for parameter ruleNumber is invalid. The rule number must be between 1 and 32766.`), // unverified
  networkAclEntryLimit: () => e("NetworkAclEntryLimitExceeded", "The maximum number of network acl entries has been reached."), // unverified
  networkAclProtocol: (p: string) => e("InvalidParameterValue", `Value (${p}) for parameter protocol is invalid.`), // unverified
  networkAclOtherNetwork: (aclId: string, subnetId: string) =>
    e("InvalidParameterValue", `Network ACL ${aclId} and subnet ${subnetId} belong to different networks`), // unverified
  natGatewayNotFound: (id: string) => e("NatGatewayNotFound", `The Nat Gateway ${id} was not found`), // unverified
  natGatewayAllocationRequired: () => e("MissingParameter", "The request must contain the parameter AllocationId"), // unverified
  // AWS-OBS (terraform-provider-aws): the EIP is mapped already.
  natGatewayEipInUse: (allocationId: string) =>
    e("Resource.AlreadyAssociated", `Elastic IP address [${allocationId}] is already associated`),
  natGatewayPrivateWithEip: () => e("InvalidParameterCombination", "A private NAT gateway cannot be given an Elastic IP allocation ID."), // unverified
  natGatewayLimitExceeded: () => e("NatGatewayLimitExceeded", "The maximum number of NAT gateways has been reached."), // unverified
  // localvpc's own: traffic admin API.
  trafficEndpoint: (name: string, value: string) =>
    e("InvalidParameterValue", `Cannot resolve ${name} '${value}': expected an instance id, an ENI id, an IPv4 address or 'internet'.`),
  trafficProtocol: (value: string) => e("InvalidParameterValue", `Unknown protocol '${value}': expected tcp, udp or icmp.`),
  // IPv6 probes (issue 16): localvpc's own admin API.
  trafficFamily: (value: string) => e("InvalidParameterValue", `Unknown address family '${value}': expected 4 or 6.`),
  trafficNoIpv6: (name: string, value: string) =>
    e("InvalidParameterValue", `Cannot resolve ${name} '${value}' for IPv6: it has no IPv6 address (assign one, or send IPv4).`),
  trafficPort: (value: string) => e("InvalidParameterValue", `Port '${value}' is not a number between 0 and 65535.`),
  chaosInstance: (id: string) => e("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`),
  // --- flow logs and CloudWatch Logs (issue 5, flow-log half) ---
  // shared/spec/ec2-networking.md §3: code DOC, message MOTO/DOC.
  flowLogAlreadyExists: () =>
    e("FlowLogAlreadyExists", "Error. There is an existing Flow Log with the same configuration and log destination."),
  flowLogNotFound: (id: string) => e("InvalidFlowLogId.NotFound", `The specified flow log does not exist: '${id}'`), // unverified (DOC: "The specified flow log does not exist.")
  flowLogsLimitExceeded: (resourceId: string, limit: number) =>
    e("FlowLogsLimitExceeded", `You have reached the limit of ${limit} flow logs for resource ${resourceId}.`), // unverified (code DOC)
  flowLogFormatEmpty: () => e("InvalidParameter", "LogFormat must include at least one field."), // unverified
  flowLogFormatInvalidField: (token: string) =>
    e("InvalidParameter", `Unknown fields provided: ${token}. Specify fields as \${field-id} separated by spaces.`), // unverified
  flowLogInvalidInterval: (value: number) =>
    e("InvalidParameter", `Invalid Flow Log Max Aggregation Interval ${value}. Valid values are 60 and 600.`), // unverified
  flowLogTooManyResources: (n: number) => e("InvalidParameter", `${n} resource IDs were given; the maximum is 300.`), // unverified
  flowLogGroupAndDestination: () => e("InvalidParameter", "Please only provide LogGroupName or only provide LogDestination."), // unverified
  flowLogNoDestination: () => e("InvalidParameter", "LogDestination can't be empty if LogGroupName is not provided."), // unverified
  flowLogInvalidLogGroupArn: (arn: string) => e("InvalidParameter", `LogDestination: ${arn} is not a valid CloudWatch Logs log group ARN.`), // unverified
  flowLogCrossAccountLogGroup: (arn: string) =>
    e("InvalidParameter", `LogDestination: ${arn} must be a log group in this account and region.`), // unverified
  flowLogInvalidLogGroupName: (name: string) => e("InvalidParameter", `Invalid log group name: '${name}'.`), // unverified
  flowLogPermissionArnRequired: () =>
    e("InvalidParameter", "DeliverLogsPermissionArn is required when the log destination type is cloud-watch-logs."), // unverified
  flowLogPermissionArnNotS3: () => e("InvalidParameter", "DeliverLogsPermissionArn is not applicable for s3 delivery."), // unverified
  flowLogGroupNameNotCloudWatch: () =>
    e("InvalidParameter", "LogGroupName is only valid when the log destination type is cloud-watch-logs."), // unverified
  flowLogDestinationOptionsNotS3: () => e("InvalidParameter", "DestinationOptions are only valid when the log destination type is s3."), // unverified
  flowLogInvalidS3Destination: (arn: string) => e("InvalidParameter", `LogDestination: ${arn} is not a valid S3 bucket ARN.`), // unverified
  flowLogAwsLogsFolder: (arn: string) => e("InvalidParameter", `LogDestination: ${arn} cannot use AWSLogs as a subfolder name.`), // unverified
  // localvpc's own: real AWS options localvpc does not emulate.
  flowLogResourceTypeUnsupported: (type: string) =>
    e(
      "UnsupportedOperation",
      `Flow logs for ResourceType ${type} are not supported by localvpc yet (VPC, Subnet and NetworkInterface are).`,
    ),
  flowLogFirehoseUnsupported: () =>
    e(
      "UnsupportedOperation",
      "The kinesis-data-firehose log destination type is not supported by localvpc yet (cloud-watch-logs and s3 are).",
    ),
  flowLogParquetUnsupported: () => e("UnsupportedOperation", "The parquet file format is not supported by localvpc yet; use plain-text."),
  // CloudWatch Logs (JSON protocol). Codes from the logs model's error shapes; messages as AWS words them where known.
  logsUnknownOperation: (op: string) => e("UnknownOperationException", `Unknown operation ${op}`), // unverified
  // localvpc's own: a real CloudWatch Logs operation localvpc has not built.
  logsNotImplemented: (op: string) =>
    e(
      "UnsupportedOperation",
      `The CloudWatch Logs operation ${op} is valid but localvpc does not implement it yet. See README "Flow logs".`,
    ),
  logsSerialization: (message: string) => e("SerializationException", message), // unverified
  logsValidation: (message: string) => e("InvalidParameterException", message), // unverified
  logsUnsupportedMember: (member: string, op: string) =>
    e("InvalidParameterException", `The parameter ${member} is not supported by localvpc for ${op} yet.`), // localvpc's own
  logGroupAlreadyExists: () => e("ResourceAlreadyExistsException", "The specified log group already exists"),
  logStreamAlreadyExists: () => e("ResourceAlreadyExistsException", "The specified log stream already exists"),
  logGroupNotFound: () => e("ResourceNotFoundException", "The specified log group does not exist."),
  logStreamNotFound: () => e("ResourceNotFoundException", "The specified log stream does not exist."),
  logsGroupNameAndIdentifier: () => e("InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive parameters."), // unverified
  logsGroupNameRequired: () => e("InvalidParameterException", "Either logGroupName or logGroupIdentifier must be specified."), // unverified
  logsStreamPrefixWithOrderBy: () => e("InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix."), // unverified
  logsStreamNamesAndPrefix: () =>
    e("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive parameters."), // unverified
  logsEventsNotChronological: () =>
    e("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."),
  logsInvalidNextToken: (token: string) => e("InvalidParameterException", `The specified nextToken is invalid: ${token}`), // unverified
  // localvpc's own: filter pattern syntax beyond terms and quoted phrases.
  logsFilterPatternUnsupported: (pattern: string) =>
    e(
      "InvalidParameterException",
      `Filter pattern '${pattern}' uses syntax localvpc does not support yet: only terms, "quoted phrases", -exclusions and ? alternatives are supported (no JSON or space-delimited field selectors).`,
    ),
  logsInternal: () => e("ServiceUnavailableException", "An internal error has occurred", 500), // unverified
  // A SigV4 scope naming no AWS region. AWS's text; the code per service is unverified (EC2 answers signature problems
  // with AuthFailure, the other services with SignatureDoesNotMatch).
  ec2InvalidRegion: (region: string) => e("AuthFailure", `Credential should be scoped to a valid region, not '${region}'. `, 401),
  invalidRegion: (region: string) => e("SignatureDoesNotMatch", `Credential should be scoped to a valid region, not '${region}'. `, 403),
  // --- services localvpc does not emulate (services-layout issue) ---
  // localvpc's own: a request for an AWS service localvpc has no folder for, with the code its protocol uses for "no
  // such operation here" (JSON/REST-JSON UnknownOperationException, Query InvalidAction, REST-XML NotImplemented);
  // HTTP 400 so that no SDK retries it.
  serviceNotEmulated: (code: string, service: string, what: string, emulated: readonly string[]) =>
    e(
      code,
      `localvpc does not emulate the AWS service '${service}'${what ? ` (${what})` : ""}. It emulates: ${emulated.join(", ")}. See README "Services".`,
    ),
  // --- AWS query protocol (STS; later ELBv2, IAM) ---
  queryInvalidAction: (action: string, version: string) => e("InvalidAction", `Could not find operation ${action} for version ${version}`), // unverified
  queryMissingAction: () => e("MissingAction", "Missing Action"), // unverified
  queryNotImplemented: (service: string, action: string) =>
    e("UnsupportedOperation", `The ${service} action ${action} is valid but localvpc does not implement it yet. See COVERAGE.md.`), // localvpc's own
  queryUnsupportedMember: (member: string, action: string) =>
    e("UnsupportedOperation", `The parameter ${member} is not supported by localvpc for ${action} yet.`), // localvpc's own
  queryUnknownParameter: (name: string) => e("InvalidParameterValue", `The parameter ${name} is not recognized`), // unverified
  // The message is AWS's "N validation error(s) detected: Value … at '…' failed to satisfy constraint: …".
  queryValidation: (message: string) => e("ValidationError", message),
  queryInvalidValue: (name: string, value: string, type: string) =>
    e("ValidationError", `Value '${value}' for parameter ${name} is invalid. Expected ${type}.`), // unverified
  queryInternal: () => e("InternalFailure", "An internal error has occurred", 500), // unverified
  // --- ELBv2 (issue 17) ---
  // Texts seen in AWS answers quoted by Terraform/CloudFormation/SDK users are unmarked; the others are unverified.
  elbNotImplemented: (action: string) =>
    e(
      "UnsupportedOperation",
      `The Elastic Load Balancing action ${action} is valid but localvpc does not implement it yet. See COVERAGE.md.`,
    ), // localvpc's own
  elbNotSupported: (what: string) => e("UnsupportedOperation", `localvpc does not support ${what} yet.`), // localvpc's own
  elbLoadBalancerNotFound: () => e("LoadBalancerNotFound", "One or more load balancers not found"),
  elbLoadBalancerNamesNotFound: (names: readonly string[]) => e("LoadBalancerNotFound", `Load balancers '[${names.join(", ")}]' not found`),
  elbTargetGroupNotFound: () => e("TargetGroupNotFound", "One or more target groups not found"),
  elbListenerNotFound: () => e("ListenerNotFound", "One or more listeners not found"),
  elbDuplicateLoadBalancerName: (name: string) =>
    e("DuplicateLoadBalancerName", `A load balancer with the same name '${name}' exists, but with different settings`),
  elbDuplicateTargetGroupName: (name: string) =>
    e("DuplicateTargetGroupName", `A target group with the same name '${name}' exists, but with different settings`),
  elbDuplicateListener: () => e("DuplicateListener", "A listener already exists on this port for this load balancer"), // unverified
  elbTooManyLoadBalancers: (n: number) => e("TooManyLoadBalancers", `You have reached the maximum of ${n} load balancers for this Region`), // unverified
  elbTooManyTargetGroups: (n: number) => e("TooManyTargetGroups", `You have reached the maximum of ${n} target groups for this Region`), // unverified
  elbTooManyListeners: (n: number) => e("TooManyListeners", `You have reached the maximum of ${n} listeners for this load balancer`), // unverified
  elbTooManyTargets: (n: number) => e("TooManyTargets", `You have reached the maximum of ${n} targets for this target group`), // unverified
  elbTooManyTags: () => e("TooManyTags", "The quota for the number of tags that can be assigned to a load balancer has been reached"), // unverified
  elbDuplicateTagKeys: (key: string) => e("DuplicateTagKeys", `Tag key '${key}' is duplicated`), // unverified
  elbNameTooLong: (name: string, what: string) => e("ValidationError", `The ${what} name '${name}' cannot be longer than '32' characters`), // unverified
  elbNameInvalid: (name: string, what: string) =>
    e(
      "ValidationError",
      `The ${what} name '${name}' can contain only alphanumeric characters and hyphens, and cannot begin or end with a hyphen`,
    ), // unverified
  elbNameInternalPrefix: () => e("ValidationError", "The load balancer name cannot begin with 'internal-'"), // unverified
  elbSubnetsAndMappings: () => e("ValidationError", "You cannot specify both subnets and subnet mappings"), // unverified
  elbSubnetsRequired: () => e("ValidationError", "At least one subnet must be specified"), // unverified
  elbAlbTwoZones: () => e("ValidationError", "At least two subnets in two different Availability Zones must be specified"),
  elbOneSubnetPerZone: () =>
    e("InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same Availability Zone"),
  elbSubnetsOneVpc: () => e("InvalidConfigurationRequest", "All subnets must belong to the same VPC"), // unverified
  elbSubnetNotFound: (id: string) => e("SubnetNotFound", `The subnet ID '${id}' is not valid`),
  elbVpcNoInternetGateway: (vpcId: string) => e("InvalidSubnet", `VPC ${vpcId} has no internet gateway`),
  elbEipNeedsInternetFacingNlb: () =>
    e("InvalidConfigurationRequest", "Elastic IP addresses can be specified only for internet-facing Network Load Balancers"), // unverified
  elbAllocationIdNotFound: (id: string) => e("AllocationIdNotFound", `The allocation ID '${id}' is not valid`), // unverified
  elbAllocationInUse: (id: string) => e("ResourceInUse", `The Elastic IP address with allocation ID '${id}' is already in use`), // unverified
  elbPrivateIpNeedsInternalNlb: () =>
    e("InvalidConfigurationRequest", "A private IPv4 address can be specified only for internal Network Load Balancers"), // unverified
  elbPrivateIpNotInSubnet: (ip: string, subnetId: string) =>
    e("InvalidConfigurationRequest", `The private IPv4 address '${ip}' is not a usable address of subnet '${subnetId}'`), // unverified
  elbPrivateIpInUse: (ip: string) => e("InvalidConfigurationRequest", `The private IPv4 address '${ip}' is already in use`), // unverified
  elbDualstackNeedsIpv6: (subnetId: string) =>
    e("InvalidSubnet", `Subnet '${subnetId}' must have an IPv6 CIDR block for the dualstack IP address type`), // unverified
  elbSecurityGroupInvalid: (id: string) => e("InvalidSecurityGroup", `Security group '${id}' does not exist in the load balancer's VPC`), // unverified
  elbSecurityGroupsNotAddable: () =>
    e(
      "InvalidConfigurationRequest",
      "You cannot set security groups on a Network Load Balancer which was created without any security groups",
    ),
  elbDeletionProtection: (arn: string) =>
    e("OperationNotPermitted", `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`),
  elbAttributeKeyInvalid: (key: string) => e("ValidationError", `Load balancer attribute key '${key}' is not recognized`), // unverified
  elbAttributeValueInvalid: (key: string, value: string) =>
    e("InvalidConfigurationRequest", `Load balancer attribute value '${value}' is not valid for key '${key}'`), // unverified
  elbAlbCrossZoneAlwaysOn: () =>
    e("InvalidConfigurationRequest", "Cross-zone load balancing is always enabled for Application Load Balancers"), // unverified
  elbSetSubnetsRemovesZone: () =>
    e("InvalidConfigurationRequest", "A Network Load Balancer's Availability Zones can be added but not removed"), // unverified
  elbTargetGroupProtocolRequired: () =>
    e("ValidationError", "A protocol, port and VPC ID must be specified for target groups of type instance and ip"), // unverified
  elbTargetGroupVpcNotFound: (vpcId: string) => e("ValidationError", `The VPC ID '${vpcId}' is not found`),
  elbHealthCheckPortInvalid: (port: string) => e("ValidationError", `Health check port '${port}' must be 'traffic-port' or a port number`), // unverified
  elbHealthCheckPathNeedsHttp: () => e("ValidationError", "Health check path can only be specified for HTTP and HTTPS health checks"), // unverified
  elbHealthCheckMatcherNeedsHttp: () =>
    e(
      "InvalidConfigurationRequest",
      "Custom health check matchers are not supported for health checks for target groups with the TCP protocol",
    ), // unverified
  elbHealthCheckTimeoutNotBelowInterval: () => e("ValidationError", "Health check timeout must be smaller than the interval"), // unverified
  elbTargetGroupInUse: (arn: string) => e("ResourceInUse", `Target group '${arn}' is currently in use by a listener or a rule`),
  elbTargetNotRunning: (ids: readonly string[]) =>
    e("InvalidTarget", `The following targets are not in a running state and cannot be registered: '${ids.join(", ")}'`),
  elbTargetNotInVpc: (ids: readonly string[], vpcId: string) =>
    e("InvalidTarget", `The following targets are not in the target group VPC '${vpcId}': '${ids.join(", ")}'`),
  elbTargetNotFound: (id: string) => e("InvalidTarget", `The following targets are not valid instances: '${id}'`), // unverified
  elbTargetIpInvalid: (ip: string) => e("InvalidTarget", `The IP address '${ip}' is not within the CIDR ranges of the target group's VPC`), // unverified
  elbTargetNotRegistered: (ids: readonly string[]) =>
    e("InvalidTarget", `The following targets are not registered in the target group: '${ids.join(", ")}'`), // unverified
  elbTargetPortRequired: () => e("ValidationError", "A port must be specified for the target"), // unverified
  elbListenerProtocolForType: (protocol: string, type: string) =>
    e("UnsupportedProtocol", `Protocol '${protocol}' is not supported for ${type} load balancers`), // unverified
  elbListenerProtocolRequired: () => e("ValidationError", "A listener protocol and port must be specified"), // unverified
  elbCertificateRequired: () => e("ValidationError", "A certificate must be specified for HTTPS and TLS listeners"), // unverified
  elbIncompatibleProtocols: (tgProtocol: string, listenerProtocol: string) =>
    e(
      "IncompatibleProtocols",
      `The target group protocol '${tgProtocol}' is not compatible with the listener protocol '${listenerProtocol}'`,
    ), // unverified
  elbTargetGroupOtherVpc: (arn: string) =>
    e("InvalidConfigurationRequest", `The target group '${arn}' is in a different VPC than the load balancer`), // unverified
  elbTargetGroupOtherLoadBalancer: (arn: string) =>
    e("InvalidConfigurationRequest", `The target group '${arn}' is associated with another load balancer and cannot be used by this one`), // unverified
  elbActionInvalid: (type: string) =>
    e("InvalidLoadBalancerAction", `localvpc supports only forward actions with one target group, not '${type}'`), // localvpc's own
  elbDescribeBothNamesAndArns: () =>
    e("ValidationError", "Load balancer names and load balancer ARNs cannot be specified at the same time"), // unverified
  elbDescribeListenersNeedsArn: () => e("ValidationError", "You must specify either listener ARNs or a load balancer ARN"), // unverified
  elbVersionNotEmulated: (version: string) =>
    e(
      "InvalidAction",
      `localvpc emulates Elastic Load Balancing v2 (Version 2015-12-01), not API version ${version} (Classic Load Balancers). See README "Load balancers (ELBv2)".`,
    ), // localvpc's own
  elbTargetGroupAttributeKeyInvalid: (key: string) => e("ValidationError", `Target group attribute key '${key}' is not recognized`), // unverified
  elbTargetGroupAttributeValueInvalid: (key: string, value: string) =>
    e("InvalidConfigurationRequest", `Target group attribute value '${value}' is not valid for key '${key}'`), // unverified
  elbListenerAttributeKeyInvalid: (key: string) => e("ValidationError", `Listener attribute key '${key}' is not recognized`), // unverified
  elbListenerAttributeValueInvalid: (key: string, value: string) =>
    e("InvalidConfigurationRequest", `Listener attribute value '${value}' is not valid for key '${key}'`), // unverified
  elbInvalidMarker: () => e("ValidationError", "The marker is not valid"), // unverified
  elbTagArnInvalid: (arn: string) => e("ValidationError", `'${arn}' is not a valid load balancer, target group or listener ARN`), // unverified
  // --- STS ---
  // ClassicLink's actions since its retirement (the text Ansible's ec2_vpc_net matches).
  classicLinkUnavailable: () => e("UnsupportedOperation", "The functionality you requested is not available in this region."),
  // IAM (only GetUser, for the caller): AWS's texts for a role session without UserName and an unknown user.
  iamUserNameRequired: () => e("ValidationError", "Must specify userName when calling with non-User credentials"),
  iamNoSuchUser: (name: string) => e("NoSuchEntity", `The user with name ${name} cannot be found.`, 404),
  iamNotEmulated: (action: string) =>
    e(
      "UnsupportedOperation",
      `The IAM action ${action} is valid, but localvpc does not emulate IAM: it answers only GetUser (the caller). See COVERAGE.md.`,
    ), // localvpc's own
  stsInvalidRoleArn: (arn: string) => e("ValidationError", `${arn} is invalid`), // unverified
  stsChainedDuration: () =>
    e("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."),
  // Temporary credentials (AssumeRole): expired on the simulated clock, or used without their session token.
  stsExpiredToken: () => e("ExpiredToken", "The security token included in the request is expired", 403),
  invalidClientTokenId: () => e("InvalidClientTokenId", "The security token included in the request is invalid.", 403),
  ec2RequestExpired: () => e("RequestExpired", "Request has expired."), // unverified for an expired session token
  ec2AuthFailure: () => e("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
  logsExpiredToken: () => e("ExpiredTokenException", "The security token included in the request is expired"), // unverified
  logsBodyUnreadable: (tooLarge: boolean) =>
    e("SerializationException", tooLarge ? "The request body is too large." : "The request body could not be read."), // unverified
  adminMalformedPath: (segment: string) =>
    e("InvalidPath", `The path segment '${segment}' is not valid percent-encoding. Encode '%' as %25.`), // localvpc's own
  // --- SigV4 verification (`localvpc serve --auth strict`, issue 14) ---
  // Query services (STS) answer MissingAuthenticationToken / IncompleteSignature / SignatureDoesNotMatch, EC2 the same
  // codes in its own shape; JSON services (CloudWatch Logs) answer the …Exception forms, InvalidSignatureException for
  // a bad or expired signature, all HTTP 400. `json` picks the JSON form. Expired/not-yet-current texts are AWS's.
  authMissingToken: (json: boolean) =>
    json
      ? e("MissingAuthenticationTokenException", "Request is missing Authentication Token") // unverified for Logs (DynamoDB's answer)
      : e("MissingAuthenticationToken", "Request is missing Authentication Token", 403), // STS's; unverified for EC2
  // "Authorization header requires 'Signature' parameter. … Authorization=<the header>": missing is any of
  // Credential, Signature, SignedHeaders, Date (Date: neither X-Amz-Date nor Date is there).
  authHeaderIncomplete: (json: boolean, missing: readonly string[], authorization: string) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      `${missing
        .map((m) =>
          m === "Date"
            ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
            : `Authorization header requires '${m}' parameter.`,
        )
        .join(" ")} Authorization=${authorization}`,
    ), // unverified for EC2
  authPairMalformed: (json: boolean, pair: string, authorization: string) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
    ), // unverified for EC2
  authQueryIncomplete: (json: boolean, missing: readonly string[]) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      `AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(", ")}. Re-examine the query-string parameters.`,
    ), // unverified
  authCredentialMalformed: (json: boolean, credential: string) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      `Credential '${credential}' is malformed: expected ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.`,
    ), // unverified
  authDateMalformed: (json: boolean, value: string) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    ), // unverified
  authHostNotSigned: (json: boolean) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    ), // unverified
  authExpiresMalformed: (json: boolean, value: string) =>
    e(
      json ? "IncompleteSignatureException" : "IncompleteSignature",
      `X-Amz-Expires must be a number of seconds from 1 to 604800, not '${value}'.`,
    ), // unverified
  authSignatureMismatch: (json: boolean) =>
    json
      ? e(
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
      : e(
          "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
          403,
        ),
  authScopeDateMismatch: (json: boolean, scopeDate: string, requestDate: string) =>
    json
      ? e(
          "InvalidSignatureException",
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestDate.slice(0, 8)}', from '${requestDate}'.`,
        ) // unverified
      : e(
          "SignatureDoesNotMatch",
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestDate.slice(0, 8)}', from '${requestDate}'.`,
          403,
        ), // unverified
  // Dates in the basic ISO-8601 form (20240101T000000Z). AWS CloudWatch Logs allows 5 minutes, not 15: localvpc
  // uses 15 for every service (the window STS and EC2 use).
  authSignatureExpired: (json: boolean, signed: string, earliest: string, now: string, minutes: number) =>
    e(
      json ? "InvalidSignatureException" : "SignatureDoesNotMatch",
      `Signature expired: ${signed} is now earlier than ${earliest} (${now} - ${minutes} min.)`,
      json ? 400 : 403,
    ),
  authSignatureNotYetCurrent: (json: boolean, signed: string, latest: string, now: string, minutes: number) =>
    e(
      json ? "InvalidSignatureException" : "SignatureDoesNotMatch",
      `Signature not yet current: ${signed} is still later than ${latest} (${now} + ${minutes} min.)`,
      json ? 400 : 403,
    ),
  // A presigned URL past X-Amz-Expires: EC2's RequestExpired text; unverified for STS and Logs.
  authPresignedExpired: () => e("RequestExpired", "Request has expired."), // unverified for STS and Logs
  // A key that is neither in the credentials file nor issued by AssumeRole: EC2 AuthFailure (ec2AuthFailure), STS
  // InvalidClientTokenId (invalidClientTokenId), JSON services UnrecognizedClientException.
  authUnrecognizedClient: () => e("UnrecognizedClientException", "The security token included in the request is invalid."),
  // --- Web console scenarios (issue 6): localvpc's own admin errors ---
  consoleReadOnly: (host: string) =>
    e(
      "ConsoleReadOnly",
      `localvpc is bound to ${host}, not a loopback address, so the console is read-only: anyone who reaches it could change state. Start it with --console-actions to allow actions.`,
      403,
    ), // localvpc's own
  scenarioNotFound: (name: string, known: readonly string[]) =>
    e("ScenarioNotFound", `There is no scenario ${name}. Known: ${known.join(", ")}.`, 404), // localvpc's own
  scenarioUnavailable: (name: string, why: string) => e("ScenarioUnavailable", `The scenario ${name} ${why}.`), // localvpc's own
  scenarioAlreadyRunning: (running: string) =>
    e(
      "ScenarioAlreadyRunning",
      `The scenario ${running} is still running; scenarios run one at a time. Wait for it to finish (its steps are on GET /_localvpc/events).`,
      409,
    ), // localvpc's own
  // --- managed prefix lists (issue 16) ---
  // AWS-OBS (CloudFormation, "The prefix list ID 'pl-xxxxxx' does not exist"); code from AWS's error-code list.
  prefixListNotFound: (id: string) => e("InvalidPrefixListID.NotFound", `The prefix list ID '${id}' does not exist`),
  // AWS-OBS (terraform-provider-aws matches "prefix list has the incorrect version number").
  prefixListVersionMismatch: () => e("PrefixListVersionMismatch", "The prefix list has the incorrect version number."),
  prefixListNameReserved: () => e("InvalidParameterValue", "The prefix list name cannot start with 'com.amazonaws'."), // unverified
  prefixListNameLength: () => e("InvalidParameterValue", "The prefix list name must be between 1 and 255 characters."), // unverified
  prefixListMaxEntriesRange: (n: number) =>
    e("InvalidParameterValue", `The maximum number of entries (${n}) is invalid. It must be between 1 and 1000.`), // unverified
  prefixListTooManyEntries: (max: number) =>
    e("InvalidParameterValue", `The number of entries exceeds the maximum number of entries (${max}) for the prefix list.`), // unverified
  prefixListBadCidr: (cidr: string, family: string) =>
    e("InvalidParameterValue", `The CIDR block ${cidr} is not a valid ${family} CIDR block for this prefix list.`), // unverified
  prefixListDuplicateEntry: (cidr: string) =>
    e("InvalidParameterValue", `The CIDR block ${cidr} appears more than once in the prefix list entries.`), // unverified
  prefixListEntryNotFound: (cidr: string) =>
    e("InvalidPrefixListModification", `The CIDR block ${cidr} is not an entry of the prefix list.`), // unverified
  prefixListEntryExists: (cidr: string) =>
    e("InvalidPrefixListModification", `The CIDR block ${cidr} is already an entry of the prefix list.`), // unverified
  // Model doc: "You cannot modify the entries of a prefix list and modify the size of a prefix list at the same time."
  prefixListResizeWithEntries: () =>
    e(
      "InvalidParameterCombination",
      "You cannot modify the entries of a prefix list and modify the size of a prefix list at the same time.",
    ), // unverified
  prefixListShrinkBelowEntries: (max: number, entries: number) =>
    e(
      "InvalidParameterValue",
      `The maximum number of entries (${max}) is less than the number of entries in the prefix list (${entries}).`,
    ), // unverified
  prefixListResizeUnsupported: (ids: readonly string[]) =>
    e(
      "InvalidParameterValue",
      `The following resources cannot support the new maximum size of the prefix list: ${ids.slice(0, 10).join(", ")}.`,
    ), // unverified
  prefixListAwsManaged: (id: string) =>
    e("InvalidParameterValue", `The prefix list ${id} is managed by AWS and cannot be modified, restored or deleted.`), // unverified
  prefixListAwsManagedInRoute: (id: string) =>
    e("InvalidParameterValue", `The prefix list ${id} is managed by AWS and cannot be referenced by a route.`), // unverified
  prefixListVersionNotFound: (version: number) => e("InvalidParameterValue", `The prefix list version ${version} does not exist.`), // unverified
  prefixListRestoreCurrent: (version: number) =>
    e("InvalidParameterValue", `The version ${version} is already the current version of the prefix list.`), // unverified
  prefixListInUse: (id: string) =>
    e("DependencyViolation", `The prefix list ${id} is referenced by one or more resources and cannot be deleted.`), // unverified
  prefixListLimitExceeded: () => e("PrefixListLimitExceeded", "The maximum number of prefix lists has been reached."), // unverified
  prefixListVersionLimitExceeded: () =>
    e("PrefixListVersionLimitExceeded", "The maximum number of versions for the prefix list has been reached."), // unverified
  routeDestinationOneOf: () =>
    e(
      "InvalidParameterCombination",
      "The request must contain exactly one of the parameters destinationCidrBlock, destinationIpv6CidrBlock, destinationPrefixListId",
    ), // unverified
  // AWS-OBS shape of InvalidRoute.NotFound, with the prefix-list member's name.
  routeNotFoundForPrefixList: (id: string, tableId: string) =>
    e("InvalidRoute.NotFound", `no route with destination-prefix-list-id ${id} in route table ${tableId}`), // unverified
  // --- Admin API guards (issue 14): localvpc's own ---
  foreignHost: (host: string) =>
    e(
      "ForbiddenHost",
      `localvpc does not answer for the host '${host}' (a DNS-rebinding guard): use its own address, or start it with --allow-host ${host.replace(/:\d+$/, "")}.`,
      403,
    ), // localvpc's own
  foreignOrigin: (origin: string) =>
    e(
      "ForbiddenOrigin",
      `localvpc refuses a request from the web page at '${origin}' (a cross-site request guard). Call it from a script or the CLI, or start it with --allow-host for that page's host.`,
      403,
    ), // localvpc's own
  adminNotJson: () =>
    e("UnsupportedMediaType", "Admin requests with a body must be sent with the header Content-Type: application/json.", 415), // localvpc's own
  adminTokenRequired: () =>
    e(
      "AdminTokenRequired",
      "This localvpc server requires its admin token, printed when it started: pass --admin-token TOKEN (or set LOCALVPC_ADMIN_TOKEN) to the CLI, send the header x-localvpc-token, or open the console's URL with ?token=TOKEN.",
      401,
    ), // localvpc's own
  adminTokenInvalid: () =>
    e("InvalidAdminToken", "The admin token is not this server's: use the one printed when it started (or given with --admin-token).", 403), // localvpc's own
  // --- placement groups, reboot, status (issue 15, helper: placement groups) ---
  // Codes: AWS's EC2 error list (InvalidPlacementGroup.Duplicate / .InUse / .Unknown).
  placementGroupDuplicate: (name: string) => e("InvalidPlacementGroup.Duplicate", `The Placement Group '${name}' already exists.`), // unverified
  placementGroupUnknown: (name: string) => e("InvalidPlacementGroup.Unknown", `The Placement Group '${name}' is unknown.`), // unverified
  placementGroupIdNotFound: (id: string) => e("InvalidPlacementGroupId.NotFound", `The placement group ID '${id}' does not exist`), // unverified
  placementGroupInUse: (name: string) =>
    e("InvalidPlacementGroup.InUse", `The placement group '${name}' is in use and may not be deleted.`), // unverified
  // AWS-OBS (bcbio-nextgen-vm#45, terraform#16183): "The placement group 'x' is in use in another availability zone: us-east-1c"
  placementGroupInOtherZone: (name: string, zone: string) =>
    e("InvalidPlacementGroup.InUse", `The placement group '${name}' is in use in another availability zone: ${zone}`),
  spreadGroupFull: (name: string, zone: string, max: number) =>
    e(
      "InsufficientInstanceCapacity",
      `The spread placement group '${name}' already has the maximum of ${max} running instances in ${zone}.`,
    ), // unverified (code and message)
  placementGroupNameInvalid: (name: string) =>
    e("InvalidParameterValue", `Value (${name}) for parameter groupName is invalid. Up to 255 ASCII characters are allowed.`), // unverified
  partitionCountNeedsPartition: () => e("InvalidParameterCombination", "PartitionCount is valid only when Strategy is set to partition."), // unverified
  spreadLevelNeedsSpread: () => e("InvalidParameterCombination", "SpreadLevel is valid only when Strategy is set to spread."), // unverified
  spreadLevelHostNeedsOutpost: () => e("InvalidParameterValue", "Host level spread placement groups can only be used with AWS Outposts."), // unverified
  partitionCountRange: (count: number) =>
    e("InvalidParameterValue", `Value (${count}) for parameter partitionCount is invalid. Expecting a value between 1 and 7.`), // unverified
  partitionNumberNeedsPartition: () =>
    e("InvalidParameterCombination", "Placement.PartitionNumber is valid only for a partition placement group."), // unverified
  partitionNumberRange: (n: number, count: number) =>
    e("InvalidParameterValue", `Value (${n}) for parameter partitionNumber is invalid. The placement group has ${count} partitions.`), // unverified
  // --- DHCP options sets, egress-only internet gateways, subnet CIDR reservations, SG rule edits (issue 16) ---
  dhcpOptionsNotFound: (id: string) => e("InvalidDhcpOptionID.NotFound", `The dhcpOption ID '${id}' does not exist`), // unverified (message)
  // AWS-OBS (cloud-nuke#725, #753): "The dhcpOptions 'dopt-…' has dependencies and cannot be deleted."
  dhcpOptionsDependency: (id: string) => e("DependencyViolation", `The dhcpOptions '${id}' has dependencies and cannot be deleted.`),
  dhcpUnknownKey: (key: string) => e("InvalidParameterValue", `Value (${key}) for parameter key is invalid. Unknown DHCP option`), // unverified
  dhcpDuplicateKey: (key: string) => e("InvalidParameterValue", `Value (${key}) for parameter key is invalid. Duplicate DHCP option`), // unverified
  dhcpNoValues: (key: string) => e("InvalidParameterValue", `Value () for parameter ${key} is invalid. At least one value is required`), // unverified
  dhcpTooManyValues: (key: string, max: number) =>
    e("InvalidParameterValue", `Value for parameter ${key} is invalid. A maximum of ${max} values can be specified`), // unverified
  dhcpInvalidAddress: (key: string, value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter ${key} is invalid. Expecting an IPv4 or IPv6 address`), // unverified
  dhcpInvalidNodeType: (value: string) =>
    e("InvalidParameterValue", `Value (${value}) for parameter netbios-node-type is invalid. Allowed values: 1, 2, 4, 8`), // unverified
  dhcpInvalidDomainName: (value: string) => e("InvalidParameterValue", `Value (${value}) for parameter domain-name is invalid.`), // unverified
  eigwNotFound: (id: string) => e("InvalidEgressOnlyInternetGatewayId.NotFound", `The egressOnlyInternetGateway ID '${id}' does not exist`), // unverified (message)
  routeEigwIpv4: (id: string) =>
    e("InvalidParameterValue", `Egress-only internet gateway ${id} can only be the target of an IPv6 route (destinationIpv6CidrBlock).`), // unverified
  subnetCidrReservationNotFound: (id: string) =>
    e("InvalidSubnetCidrReservationID.NotFound", `The subnetCidrReservation ID '${id}' does not exist`), // unverified
  subnetCidrReservationInvalidCidr: (cidr: string) =>
    e("InvalidParameterValue", `Value (${cidr}) for parameter cidr is invalid. This is not a valid CIDR block.`), // unverified
  subnetCidrReservationNotInSubnet: (cidr: string, subnetId: string) =>
    e("InvalidParameterValue", `The CIDR '${cidr}' is not within the CIDR ranges of subnet '${subnetId}'.`), // unverified
  subnetCidrReservationOverlap: (cidr: string, other: string) =>
    e("InvalidParameterValue", `The CIDR '${cidr}' overlaps with the existing subnet CIDR reservation '${other}'.`), // unverified
  sgRuleRequestMissing: (ruleId: string) =>
    e("MissingParameter", `The request must contain the parameter SecurityGroupRule for rule '${ruleId}'`), // unverified
  sgRulePeerCount: () =>
    e(
      "InvalidParameterCombination",
      "A security group rule must specify exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId.",
    ), // unverified
  sgRuleDescriptionTarget: () =>
    e("MissingParameter", "The request must contain the parameter ipPermissions or securityGroupRuleDescriptions"), // unverified
  sgRuleDescriptionBoth: () =>
    e("InvalidParameterCombination", "The parameter ipPermissions cannot be used with the parameter securityGroupRuleDescriptions"), // unverified
  // --- launch templates (issue 15) ---
  launchTemplateIdNotFound: (id: string) =>
    e("InvalidLaunchTemplateId.NotFound", `The specified launch template, with template ID ${id}, does not exist.`),
  launchTemplateNameNotFound: (name: string) =>
    e("InvalidLaunchTemplateName.NotFoundException", `The specified launch template, with template name ${name}, does not exist.`),
  launchTemplateNameInUse: () => e("InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use."),
  launchTemplateNameMalformed: () =>
    e(
      "InvalidLaunchTemplateName.MalformedException",
      "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
    ), // unverified
  launchTemplateVersionNotFound: (version: string, id: string) =>
    e("InvalidLaunchTemplateId.VersionNotFound", `Could not find launch template version ${version} for launch template ${id}.`), // unverified
  launchTemplateDataMissing: () =>
    e("MissingParameter", "No launch template data was provided. Launch template data is required to create a launch template."),
  launchTemplateIdOrName: () => e("MissingParameter", "The request must contain the parameter launchTemplateName or launchTemplateId"), // unverified
  launchTemplateIdAndName: () =>
    e("InvalidParameterCombination", "The parameters launchTemplateId and launchTemplateName cannot be used together"), // unverified
  launchTemplateVersionsWithoutTemplate: () =>
    e("InvalidParameterCombination", "Versions other than $Latest and $Default need the parameter launchTemplateId or launchTemplateName"), // unverified
  launchTemplateLimitExceeded: () =>
    e("LaunchTemplateLimitExceeded", "You have reached the maximum number of launch templates for this Region."), // unverified
  launchTemplateVersionLimitExceeded: () =>
    e("LaunchTemplateVersionLimitExceeded", "You have reached the maximum number of versions for this launch template."), // unverified
  // --- VPC endpoints (issue 16) ---
  vpcEndpointNotFound: (ids: readonly string[]) =>
    e("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${ids.join(", ")}' does not exist`), // unverified (message)
  vpcEndpointServiceNotFound: (name: string) => e("InvalidServiceName", `The Vpc Endpoint Service '${name}' does not exist`),
  vpcEndpointTypeUnsupported: (name: string, type: string) =>
    e("InvalidParameter", `The Vpc Endpoint Service '${name}' does not support ${type} endpoint type.`), // unverified
  vpcEndpointSubnetsOnlyInterface: () =>
    e("InvalidParameter", "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints."),
  vpcEndpointRouteTablesOnlyGateway: () => e("InvalidParameter", "Route table IDs are only supported for Gateway type VPC Endpoint."), // unverified
  vpcEndpointGroupsOnlyInterface: () =>
    e("InvalidParameter", "Security group IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints."), // unverified
  vpcEndpointPrivateDnsOnlyInterface: () => e("InvalidParameter", "Private DNS can only be enabled for Interface type VPC Endpoints."), // unverified
  vpcEndpointDuplicateSubnetsInZone: (subnetId: string) =>
    e(
      "DuplicateSubnetsInSameZone",
      `Found another VPC endpoint subnet in the availability zone of ${subnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
    ),
  vpcEndpointPrivateDnsNeedsVpcDns: (vpcId: string) =>
    e(
      "InvalidParameter",
      `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpcId}`,
    ), // unverified
  vpcEndpointRouteExists: (tableId: string, prefixListId: string) =>
    e("RouteAlreadyExists", `route table ${tableId} already has a route with destination-prefix-list-id ${prefixListId}`),
  vpcEndpointOtherVpc: (resource: string, vpcId: string) =>
    e("InvalidParameter", `The resource ${resource} does not belong to the VPC ${vpcId} of the VPC endpoint.`), // unverified
  vpcEndpointPolicyMalformed: () => e("MalformedPolicyDocument", "The policy document is not valid JSON."), // unverified
  vpcEndpointPolicyTooLarge: () => e("InvalidParameter", "The policy document exceeds the maximum allowed size of 20480 characters."), // unverified
  vpcEndpointPolicyAndReset: () =>
    e("InvalidParameterCombination", "The parameters PolicyDocument and ResetPolicy cannot be used together."), // unverified
  vpcEndpointNotAssociated: (resource: string, endpointId: string) =>
    e("InvalidParameter", `${resource} is not associated with ${endpointId}.`), // unverified
  vpcEndpointLastSecurityGroup: () => e("InvalidParameter", "An Interface VPC endpoint must have at least one security group."), // unverified
  // --- VPC peering (issue 16) ---
  // AWS-OBS (Terraform reports): "The vpcPeeringConnection ID 'pcx-…' does not exist".
  vpcPeeringNotFound: (id: string) => e("InvalidVpcPeeringConnectionID.NotFound", `The vpcPeeringConnection ID '${id}' does not exist`),
  // Code and description from the AWS error-code list; the exact text is unverified.
  vpcPeeringAlreadyExists: (vpcId: string, peerVpcId: string) =>
    e("VpcPeeringConnectionAlreadyExists", `A VPC peering connection between ${vpcId} and ${peerVpcId} already exists.`), // unverified
  vpcPeeringWithItself: (vpcId: string) => e("InvalidParameterValue", `A VPC peering connection cannot connect ${vpcId} to itself.`), // unverified
  vpcPeeringPeerVpcRequired: () => e("MissingParameter", "The request must contain the parameter peerVpcId"), // unverified
  vpcPeeringInvalidAccount: (account: string) =>
    e("InvalidParameterValue", `Value (${account}) for parameter peerOwnerId is invalid. Expecting a 12-digit AWS account ID.`), // unverified
  vpcPeeringInvalidRegion: (region: string) => e("InvalidParameterValue", `Value (${region}) for parameter peerRegion is invalid.`), // unverified
  // Moto's texts for the same checks (OperationNotPermitted2/3/5, InvalidStateTransition); unverified against AWS.
  vpcPeeringWrongRegion: (region: string, id: string, accepterRegion: string) =>
    e(
      "OperationNotPermitted",
      `Incorrect region (${region}) specified for this request. VPC peering connection ${id} must be accepted or rejected in region ${accepterRegion}`,
    ), // unverified
  vpcPeeringNotAccepter: (account: string, id: string, verb: "accept" | "reject") =>
    e("OperationNotPermitted", `User (${account}) cannot ${verb} peering ${id}`), // unverified
  vpcPeeringBadState: (id: string) =>
    e("InvalidStateTransition", `VPC peering connection ${id} is not in the correct state for the request.`), // unverified
  vpcPeeringOptionsNotOwner: (account: string, side: "requester" | "accepter", id: string) =>
    e("OperationNotPermitted", `User (${account}) cannot modify the ${side} options of peering ${id}; only the ${side} VPC's owner can.`), // unverified
  // AWS error-code list: "To enable DNS hostname resolution for the VPC peering connection, DNS hostname support must be enabled for the VPCs."
  vpcPeeringDnsHostnamesDisabled: () =>
    e(
      "InvalidVpcPeeringConnectionState.DnsHostnamesDisabled",
      "To enable DNS hostname resolution for the VPC peering connection, DNS hostname support must be enabled for the VPCs.",
    ),
  vpcPeeringClassicLinkOption: (name: string) =>
    e("UnsupportedOperation", `The peering option ${name} applies to EC2-Classic, which AWS retired; it cannot be enabled.`), // unverified
  routePeeringNotActive: (id: string, status: string) =>
    e("InvalidParameterValue", `VPC peering connection ${id} is ${status}; a route can target only an active connection.`), // unverified
  routePeeringOtherVpc: (tableId: string, id: string) =>
    e("InvalidParameterValue", `Route table ${tableId} and VPC peering connection ${id} belong to different networks`), // unverified
  groupReferenceNeedsPeering: (groupId: string, vpcId: string) =>
    e(
      "InvalidGroup.NotFound",
      `You have specified a security group '${groupId}' that is not in ${vpcId} or in a VPC peered with it in this Region.`,
    ), // unverified
  // --- Reachability Analyzer (issue 21) ---
  networkInsightsPathNotFound: (id: string) =>
    e("InvalidNetworkInsightsPathId.NotFound", `The networkInsightsPath ID '${id}' does not exist`), // unverified (code: AWS error-code list)
  networkInsightsAnalysisNotFound: (id: string) =>
    e("InvalidNetworkInsightsAnalysisId.NotFound", `The networkInsightsAnalysis ID '${id}' does not exist`), // unverified (code: AWS error-code list)
  // Observed from AWS (hashicorp/terraform-provider-aws#28330, one analysis; the separator for several is unverified).
  analysisExistsForPath: (pathId: string, analysisIds: readonly string[]) =>
    e(
      "AnalysisExistsForNetworkInsightsPath",
      `At least one analysis [${analysisIds.join(", ")}] exists for path ${pathId}. Delete all the analyses before deleting this network path.`,
    ),
  // Observed from AWS (hashicorp/terraform-provider-aws#38132): a path with neither Destination nor a filter address.
  networkInsightsDestinationMissing: () =>
    e(
      "MissingParameter",
      "The request must include either the Destination parameter or the FilterAtSource.DestinationAddress parameter. Add the required parameter and retry the request.",
    ),
  // The model's documentation: "If you specify this parameter, you can't specify the parameters for the source IP
  // address or the destination port" (FilterAtSource) / "… for the destination IP address" (FilterAtDestination).
  networkInsightsFilterCombination: (filter: string, param: string) =>
    e("InvalidParameterCombination", `The parameter ${filter} cannot be used with the parameter ${param}.`), // unverified
  networkInsightsEndpointType: (param: string, value: string) =>
    e(
      "InvalidParameterValue",
      `The value '${value}' for ${param} is not supported: localvpc analyses paths between instances, network interfaces, internet gateways and IP addresses.`,
    ), // unverified (localvpc's own: AWS also accepts transit gateways, VPN gateways, endpoints and peering connections)
  networkInsightsAddress: (param: string, value: string) =>
    e("InvalidParameterValue", `The value '${value}' for parameter ${param} is not a valid IPv4 address.`), // unverified
  // localvpc's own (issue 21): a flow's rate for `traffic/throughput`.
  trafficRate: (value: string) =>
    e(
      "InvalidParameterValue",
      `Rate or duration ${value} is not valid: give a rate such as "2Gbps" or "500Mbps" and a duration such as "60s".`,
    ),
  networkInsightsPortRange: (param: string) =>
    e("InvalidParameterValue", `The port range in ${param} is not valid: FromPort must not be greater than ToPort.`), // unverified
  // --- Lambda (issue 17): REST-JSON. Statuses are the model's error shapes' httpStatusCode. ---
  lambdaUnknownOperation: (what: string) => e("UnknownOperationException", `Unknown operation ${what}`, 404), // unverified (code and status: AWS's REST front end)
  // localvpc's own: a real Lambda operation localvpc has not built.
  lambdaNotImplemented: (op: string) =>
    e("UnsupportedOperation", `The Lambda operation ${op} is valid but localvpc does not implement it yet. See README "Lambda in a VPC".`),
  // localvpc's own: a real member of a built operation that localvpc does not support yet.
  lambdaUnsupportedMember: (member: string, op: string) =>
    e("InvalidParameterValueException", `The parameter ${member} is not supported by localvpc for ${op} yet.`),
  // Observed from AWS: "1 validation error detected: Value '…' at 'vpcConfig.subnetIds' failed to satisfy constraint: …".
  lambdaValidation: (message: string) => e("ValidationException", message),
  lambdaSerialization: (message: string) => e("InvalidRequestContentException", message), // unverified
  lambdaInternal: () => e("ServiceException", "An internal error has occurred", 500), // unverified
  lambdaBodyUnreadable: (tooLarge: boolean) =>
    tooLarge
      ? e("RequestTooLargeException", "The request body is larger than localvpc accepts (4 MiB).", 413) // localvpc's own cap
      : e("InvalidRequestContentException", "Could not read the request body."), // unverified
  lambdaExpiredToken: () => e("ExpiredTokenException", "The security token included in the request is expired", 403), // unverified
  lambdaInvalidToken: () => e("UnrecognizedClientException", "The security token included in the request is invalid.", 403), // unverified
  // Observed from AWS (widely quoted): "Function not found: arn:aws:lambda:…:function:name".
  lambdaFunctionNotFound: (arn: string) => e("ResourceNotFoundException", `Function not found: ${arn}`, 404),
  // Observed from AWS (aws-toolkit-vscode#418, SAM#307): GetPolicy on a function without a resource-based policy; also
  // what GetFunctionUrlConfig answers for a function without a URL.
  lambdaResourceDoesNotExist: () => e("ResourceNotFoundException", "The resource you requested does not exist.", 404),
  // Observed from AWS (sic: "exist").
  lambdaFunctionExists: (name: string) => e("ResourceConflictException", `Function already exist: ${name}`, 409),
  // Observed from AWS (aws/aws-cli#6718 and others).
  lambdaUpdateInProgress: (arn: string) =>
    e("ResourceConflictException", `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`, 409),
  // Observed from AWS (aws/serverless-application-model#2356).
  lambdaNotActive: (arn: string, state: string, reasonCode: string) =>
    e(
      "ResourceConflictException",
      `The operation cannot be performed at this time. The resource ${arn} is currently in the following state: '${state}'. StateReasonCode: '${reasonCode}'`,
      409,
    ),
  // Observed from AWS (aws/aws-sdk-js#1293).
  lambdaVpcCoexist: () => e("InvalidParameterValueException", "SubnetIds and SecurityIds must coexist or be both empty list."),
  lambdaSubnetNotFound: (id: string) =>
    e(
      "InvalidParameterValueException",
      `Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID '${id}' does not exist`,
    ), // unverified
  lambdaGroupNotFound: (id: string) =>
    e(
      "InvalidParameterValueException",
      `Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group '${id}' does not exist`,
    ), // unverified
  lambdaSubnetsDifferentVpcs: () => e("InvalidParameterValueException", "The provided subnets must all belong to the same VPC."), // unverified
  lambdaGroupOtherVpc: (groupId: string, vpcId: string) =>
    e("InvalidParameterValueException", `The security group ${groupId} does not belong to the subnets' VPC ${vpcId}.`), // unverified
  lambdaCodeMissing: () => e("InvalidParameterValueException", "Please provide a source for function code."), // unverified
  // Observed from AWS for a ZipFile that is not a zip archive.
  lambdaZipInvalid: () =>
    e("InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again."),
  lambdaRuntimeHandlerRequired: () =>
    e("InvalidParameterValueException", "Runtime and Handler are mandatory parameters for functions created with deployment packages."), // unverified
  lambdaImageUriRequired: () => e("InvalidParameterValueException", "ImageUri is required for functions created with PackageType Image."), // unverified
  lambdaPackageMismatch: (packageType: string) =>
    e("InvalidParameterValueException", `Please provide code matching the function's PackageType ${packageType}.`), // unverified
  // localvpc's own: code from S3 (there is no S3 here).
  lambdaCodeSourceUnsupported: (member: string) =>
    e("InvalidParameterValueException", `Code.${member} is not supported by localvpc: upload the package as ZipFile, or use ImageUri.`),
  lambdaQualifierUnsupported: (arn: string) => e("ResourceNotFoundException", `Function not found: ${arn}`, 404), // localvpc keeps $LATEST only
  lambdaInvalidMarker: () => e("InvalidParameterValueException", "The marker is not valid."), // unverified
  // localvpc's own (the traffic engine): `--from lambda:NAME` needs a VPC function with its Hyperplane ENI.
  trafficLambdaNotInVpc: (name: string) =>
    e(
      "InvalidParameterValue",
      `Function ${name} is not connected to a VPC: its traffic leaves from Lambda's own network, which localvpc does not model.`,
    ),
  trafficLambdaNotActive: (name: string, state: string) =>
    e("InvalidParameterValue", `Function ${name} is ${state}: it has no Hyperplane ENI to send from until it is Active.`),
  // localvpc's own (the traffic engine, issue 18): `pod:NAME` endpoints are pods of the EKS VPC CNI simulation.
  trafficPodNotFound: (name: string, value: string) =>
    e("InvalidParameterValue", `Cannot resolve ${name} '${value}': no EKS pod of that name (see localvpc eks pods list).`),
  trafficPodAmbiguous: (pod: string, clusters: readonly string[]) =>
    e("InvalidParameterValue", `Pod ${pod} exists in clusters ${clusters.join(", ")}: name one as pod:CLUSTER/${pod}.`),
  trafficPodNotRunning: (pod: string, why: string) => e("InvalidParameterValue", `Pod ${pod} is not Running with an IP: ${why}`),
  lambdaRevisionMismatch: () =>
    e(
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      412,
    ), // unverified
  // --- EKS (issue 18): REST-JSON. Statuses are the model's error shapes' httpStatusCode (404 not found, 409 in use). ---
  eksUnknownOperation: (what: string) => e("UnknownOperationException", `Unknown operation ${what}`, 404), // unverified
  // localvpc's own: a real EKS operation localvpc has not built.
  eksNotImplemented: (op: string) =>
    e("UnsupportedOperation", `The EKS operation ${op} is valid but localvpc does not implement it yet. See README "EKS pod networking".`),
  // localvpc's own: a real member of a built operation that localvpc does not support yet.
  eksUnsupportedMember: (member: string, op: string) =>
    e("InvalidParameterException", `The parameter ${member} is not supported by localvpc for ${op} yet.`),
  eksValidation: (message: string) => e("InvalidParameterException", message), // unverified (code for model constraint failures)
  eksSerialization: (message: string) => e("BadRequestException", message), // unverified
  eksInternal: () => e("ServerException", "An internal error has occurred", 500), // unverified
  eksBodyUnreadable: (tooLarge: boolean) =>
    tooLarge
      ? e("BadRequestException", "The request body is larger than localvpc accepts (4 MiB).", 413) // localvpc's own cap
      : e("BadRequestException", "Could not read the request body."), // unverified
  eksExpiredToken: () => e("ExpiredTokenException", "The security token included in the request is expired", 403), // unverified
  eksInvalidToken: () => e("UnrecognizedClientException", "The security token included in the request is invalid.", 403), // unverified
  // Observed from AWS (eksctl and CLI reports): "No cluster found for name: my-cluster."
  eksClusterNotFound: (name: string) => e("ResourceNotFoundException", `No cluster found for name: ${name}.`, 404),
  eksClusterExists: (name: string) => e("ResourceInUseException", `Cluster already exists with name: ${name}`, 409),
  // Observed from AWS: DeleteCluster while managed node groups remain.
  eksClusterHasNodegroups: () => e("ResourceInUseException", "Cluster has nodegroups attached", 409),
  eksClusterNotActive: (name: string, status: string) =>
    e("InvalidRequestException", `Cluster '${name}' is not in ACTIVE status (current status: ${status}).`), // unverified
  eksNodegroupNotFound: (name: string) => e("ResourceNotFoundException", `No node group found for name: ${name}.`, 404),
  eksNodegroupExists: (ng: string, cluster: string) =>
    e("ResourceInUseException", `NodeGroup already exists with name ${ng} and cluster name ${cluster}`, 409),
  eksNodegroupNotActive: (name: string, status: string) =>
    e("ResourceInUseException", `Nodegroup ${name} is in ${status} status and cannot be updated.`, 409), // unverified
  // Observed from AWS (eksctl issues): CreateCluster with subnets of one zone.
  eksSubnetsTwoAzs: () => e("InvalidParameterException", "Subnets specified must be in at least two different AZs"),
  eksSubnetNotFound: (id: string) => e("InvalidParameterException", `The subnet ID '${id}' does not exist`), // unverified
  eksSubnetsDifferentVpcs: () => e("InvalidParameterException", "Subnets are not in the same VPC"), // unverified
  eksNodegroupSubnetOtherVpc: (id: string) => e("InvalidParameterException", `Subnet ${id} is not in the cluster's VPC`), // unverified
  // Observed from AWS (re:Post "How do I troubleshoot cluster creation errors in Amazon EKS?").
  eksUnsupportedZone: (cluster: string, zone: string, valid: readonly string[]) =>
    e(
      "UnsupportedAvailabilityZoneException",
      `Cannot create cluster '${cluster}' because ${zone}, the targeted availability zone, does not currently have sufficient capacity to support the cluster. Retry and choose from these availability zones: ${valid.join(", ")}`,
    ),
  eksServiceCidrInvalid: (c: string) =>
    e(
      "InvalidParameterException",
      `The service CIDR ${c} is not valid: it must be a /12 to /24 block within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.`,
    ), // unverified
  eksServiceCidrOverlapsVpc: (c: string, vpcCidr: string) =>
    e("InvalidParameterException", `The service CIDR ${c} overlaps the VPC CIDR ${vpcCidr}.`), // unverified
  eksIpv6Unsupported: () => e("InvalidParameterException", "ipFamily ipv6 is not supported by localvpc yet: clusters are IPv4."), // localvpc's own
  eksTooManyGroups: () => e("InvalidParameterException", "You can specify up to 5 security groups."), // unverified
  eksSecurityGroupNotFound: (id: string) => e("InvalidParameterException", `The security group '${id}' does not exist`), // unverified
  eksSecurityGroupOtherVpc: (id: string, vpcId: string) => e("InvalidParameterException", `Security group ${id} is not in VPC ${vpcId}`), // unverified
  eksRoleArnInvalid: (arn: string) => e("InvalidParameterException", `Invalid role ARN: ${arn}`), // unverified
  eksClusterNameInvalid: (name: string) =>
    e(
      "InvalidParameterException",
      `The cluster name ${name} is not valid: it must start with a letter or digit and contain only letters, digits, hyphens and underscores (at most 100).`,
    ), // unverified
  eksNodegroupNameInvalid: (name: string) =>
    e(
      "InvalidParameterException",
      `The node group name ${name} is not valid: it must start with a letter or digit and contain only letters, digits, hyphens and underscores (at most 63).`,
    ), // unverified
  eksVersionUnsupported: (v: string) => e("InvalidParameterException", `unsupported Kubernetes version ${v}`), // unverified
  eksNoEndpointAccess: () => e("InvalidParameterException", "The cluster must have either the public or the private endpoint enabled."), // unverified
  eksPublicAccessCidrInvalid: (c: string) => e("InvalidParameterException", `The public access CIDR ${c} is not a valid IPv4 CIDR block.`), // unverified
  eksScalingMaxTooSmall: () => e("InvalidParameterException", "Maximum capacity must be at least 1"), // unverified
  eksScalingMinAboveMax: () => e("InvalidParameterException", "Minimum capacity can't be greater than maximum capacity"), // unverified
  eksScalingDesiredAboveMax: () => e("InvalidParameterException", "Desired capacity can't be greater than maximum capacity"), // unverified
  eksScalingDesiredBelowMin: () => e("InvalidParameterException", "Minimum capacity can't be greater than desired size"), // unverified
  eksInstanceTypeInvalid: (t: string) => e("InvalidParameterException", `Instance type ${t} is not supported.`), // unverified
  eksAmiTypeArchMismatch: (t: string, ami: string) =>
    e("InvalidParameterException", `Instance type ${t} is not supported for AMI type ${ami}.`), // unverified
  eksLabelAddAndRemove: (key: string) => e("InvalidParameterException", `The label ${key} cannot be both added and removed.`), // unverified
  eksAlreadyDesired: () => e("InvalidParameterException", "Cluster is already at the desired configuration."), // unverified
  eksNothingToUpdate: () => e("InvalidParameterException", "No changes needed for the nodegroup configuration."), // unverified
  eksUpdateNotFound: (id: string) => e("ResourceNotFoundException", `No update found for ID: ${id}.`, 404), // unverified
  eksClusterBusy: (name: string, status: string) => e("ResourceInUseException", `Cluster ${name} is in ${status} status.`, 409), // unverified
  eksInvalidNextToken: () => e("InvalidParameterException", "The nextToken provided is not valid."), // unverified
  eksAddonNotFound: (addon: string, cluster: string) =>
    e("ResourceNotFoundException", `No addon: ${addon} found in cluster: ${cluster}`, 404),
  eksAddonExists: (addon: string) => e("ResourceInUseException", `Addon ${addon} already exists.`, 409), // unverified
  eksAddonUnsupported: (addon: string) =>
    e("InvalidParameterException", `Addon ${addon} is not supported by localvpc (only vpc-cni is simulated).`), // localvpc's own
  eksConfigurationNotJson: () =>
    e(
      "InvalidParameterException",
      "ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$: Invalid JSON]",
    ), // unverified
  // localvpc's own: the pods admin route (EKS has no pod API).
  eksPodsCount: (name: string) => e("InvalidParameterValue", `${name} must be an integer from 0 to 100000.`),
  // localvpc's own (the data plane's IPv6 intern table, domain/dataplane/ip6.ts): a bound on memory, not an AWS rule.
  ipv6TableFull: (limit: number) =>
    e("LimitExceeded", `localvpc's data plane has seen ${limit} distinct IPv6 addresses, its limit; restart localvpc to clear them.`),
  // localvpc's own (custom networking's ENIConfigs, issue 18): Kubernetes' object-name rule.
  eksEniConfigNotFound: (cluster: string, name: string) =>
    e("ResourceNotFoundException", `Cluster ${cluster} has no ENIConfig named ${name}.`, 404),
  eksEniConfigNameInvalid: (name: string) =>
    e(
      "InvalidParameterValue",
      `ENIConfig name '${name}' is not a valid Kubernetes name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.`,
    ),
  eksConfigurationInvalid: (detail: string) =>
    e(
      "InvalidParameterException",
      `ConfigurationValue provided in request is not supported: Json schema validation failed with error: [${detail}]`,
    ), // unverified
} as const;

/** The literal union of every error builder's name in the catalogue. */
export type ErrorName = keyof typeof err;
