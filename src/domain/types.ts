/**
 * Domain records: what localvpc stores for each resource, in camelCase. Records are immutable values; rules
 * return new records rather than mutating. Wire shapes (PascalCase, from the model) are produced from these by
 * each action group's view functions.
 */
import type { Roa } from "./bgp.js";
import type { EksClusterSettings, EksScaling, EksTaint, EksUpdate, EksVpcConfig } from "./eks.js";
import type { LambdaConfig, LambdaLifecycle } from "./lambda.js";

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** Fields every stored resource has. `vpcId`/`subnetId`/`instanceId` double as indexed store columns. */
export interface BaseRecord {
  readonly id: string;
  readonly tags: readonly Tag[];
  readonly vpcId?: string | undefined;
  readonly subnetId?: string | undefined;
  readonly instanceId?: string | undefined;
}

export interface VpcCidrAssociation {
  readonly associationId: string;
  readonly cidrBlock: string;
  readonly state: "associated" | "disassociated";
}
export interface VpcIpv6CidrAssociation {
  readonly associationId: string;
  readonly ipv6CidrBlock: string;
  readonly state: "associated" | "disassociated";
  readonly networkBorderGroup: string;
  /** "Amazon" for an Amazon-provided block, else the BYOIP pool id. */
  readonly ipv6Pool: string;
}
export interface VpcRecord extends BaseRecord {
  readonly kind: "vpc";
  readonly ownerId: string;
  readonly cidrBlock: string;
  readonly state: "pending" | "available";
  readonly isDefault: boolean;
  readonly instanceTenancy: "default" | "dedicated" | "host";
  readonly dhcpOptionsId: string;
  readonly cidrAssociations: readonly VpcCidrAssociation[];
  readonly ipv6Associations: readonly VpcIpv6CidrAssociation[];
  readonly enableDnsSupport: boolean;
  readonly enableDnsHostnames: boolean;
  readonly enableNetworkAddressUsageMetrics: boolean;
}

export interface SubnetIpv6CidrAssociation {
  readonly associationId: string;
  readonly ipv6CidrBlock: string;
  readonly state: "associated" | "disassociated";
}
export interface SubnetRecord extends BaseRecord {
  readonly kind: "subnet";
  readonly vpcId: string;
  readonly ownerId: string;
  readonly cidrBlock?: string | undefined;
  readonly state: "pending" | "available";
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly defaultForAz: boolean;
  readonly mapPublicIpOnLaunch: boolean;
  readonly assignIpv6AddressOnCreation: boolean;
  readonly ipv6Native: boolean;
  readonly enableDns64: boolean;
  readonly privateDnsHostnameTypeOnLaunch: "ip-name" | "resource-name";
  readonly enableResourceNameDnsARecordOnLaunch: boolean;
  readonly enableResourceNameDnsAAAARecordOnLaunch: boolean;
  readonly ipv6Associations: readonly SubnetIpv6CidrAssociation[];
}

export interface SecurityGroupRule {
  readonly ruleId: string;
  readonly isEgress: boolean;
  /** "-1" for all protocols, else a protocol name ("tcp", "udp", "icmp", "icmpv6") or number as a string. */
  readonly ipProtocol: string;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly cidrIpv4?: string | undefined;
  readonly cidrIpv6?: string | undefined;
  readonly prefixListId?: string | undefined;
  readonly referencedGroupId?: string | undefined;
  readonly referencedUserId?: string | undefined;
  readonly description?: string | undefined;
  /** Tags from Authorize*'s TagSpecification (`security-group-rule`); absent on rules created without any. */
  readonly tags?: readonly Tag[] | undefined;
}
export interface SecurityGroupRecord extends BaseRecord {
  readonly kind: "security-group";
  readonly vpcId: string;
  readonly ownerId: string;
  readonly groupName: string;
  readonly description: string;
  readonly rules: readonly SecurityGroupRule[];
}

export interface InternetGatewayRecord extends BaseRecord {
  readonly kind: "internet-gateway";
  readonly ownerId: string;
  /** The attached VPC, if any (also the indexed vpcId column). */
  readonly vpcId?: string | undefined;
}

export interface Route {
  readonly destinationCidrBlock?: string | undefined;
  readonly destinationIpv6CidrBlock?: string | undefined;
  readonly egressOnlyInternetGatewayId?: string | undefined; // issue 16
  /** A customer-managed prefix list (issue 16): the route covers every entry of the list's current version. */
  readonly destinationPrefixListId?: string | undefined;
  readonly gatewayId?: string | undefined;
  readonly natGatewayId?: string | undefined;
  readonly networkInterfaceId?: string | undefined;
  readonly instanceId?: string | undefined;
  readonly origin: "CreateRouteTable" | "CreateRoute" | "EnableVgwRoutePropagation";
  readonly state: "active" | "blackhole";
}
export interface RouteTableAssociation {
  readonly associationId: string;
  readonly main: boolean;
  readonly subnetId?: string | undefined;
  readonly gatewayId?: string | undefined;
}
export interface RouteTableRecord extends BaseRecord {
  readonly kind: "route-table";
  readonly vpcId: string;
  readonly ownerId: string;
  readonly routes: readonly Route[];
  readonly associations: readonly RouteTableAssociation[];
}

export interface NetworkAclEntry {
  readonly ruleNumber: number;
  readonly protocol: string;
  readonly ruleAction: "allow" | "deny";
  readonly egress: boolean;
  readonly cidrBlock?: string | undefined;
  readonly ipv6CidrBlock?: string | undefined;
  readonly icmpType?: number | undefined;
  readonly icmpCode?: number | undefined;
  readonly portFrom?: number | undefined;
  readonly portTo?: number | undefined;
}
export interface NetworkAclAssociation {
  readonly associationId: string;
  readonly subnetId: string;
}
export interface NetworkAclRecord extends BaseRecord {
  readonly kind: "network-acl";
  readonly vpcId: string;
  readonly ownerId: string;
  readonly isDefault: boolean;
  readonly entries: readonly NetworkAclEntry[];
  readonly associations: readonly NetworkAclAssociation[];
}

export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";
/** AWS's instance state codes (spec §2 group A). */
export const INSTANCE_STATE_CODE: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface InstanceRecord extends BaseRecord {
  readonly kind: "instance";
  readonly ownerId: string;
  readonly reservationId: string;
  readonly requesterId?: string | undefined;
  readonly imageId: string;
  readonly instanceType: string;
  readonly state: InstanceStateName;
  readonly stateTransitionReason: string;
  readonly stateReason?: { readonly code: string; readonly message: string } | undefined;
  readonly launchTime: string;
  /** The primary ENI's VPC and subnet; cleared on termination (as AWS omits them) so they stop blocking deletes. */
  readonly vpcId?: string | undefined;
  readonly subnetId?: string | undefined;
  readonly availabilityZone: string;
  readonly amiLaunchIndex: number;
  readonly keyName?: string | undefined;
  readonly clientToken?: string | undefined;
  readonly architecture: string;
  readonly rootDeviceName: string;
  readonly rootDeviceType: string;
  readonly platformDetails: string;
  readonly ebsOptimized: boolean;
  readonly enaSupport: boolean;
  readonly disableApiTermination: boolean;
  readonly disableApiStop: boolean;
  readonly instanceInitiatedShutdownBehavior: "stop" | "terminate";
  readonly rootVolumeId: string;
  /** Tags of the root volume (TagSpecification `volume`); the volume itself is derived from the instance. */
  readonly volumeTags?: readonly Tag[] | undefined;
  /** When the instance reached `terminated`, so it can disappear from describes an hour later. */
  readonly terminatedAt?: string | undefined;
  /** User data as canonical base64 of the raw bytes (RunInstances UserData, ModifyInstanceAttribute userData). */
  readonly userData?: string | undefined;
  /** Detailed monitoring (RunInstances Monitoring.Enabled); absent on records older than the option = disabled. */
  readonly monitoring?: boolean | undefined;
  /** The credit option chosen at launch for a burstable type; absent = the type family's default. */
  readonly cpuCredits?: "standard" | "unlimited" | undefined;
  /** Instance metadata options given at launch; members left out keep the image's defaults. */
  readonly metadataOptions?: InstanceMetadataOptions | undefined;
  /** The root EBS volume as the launch's BlockDeviceMapping shaped it; absent = the image's defaults. */
  readonly rootVolume?: RootVolumeOptions | undefined;
  readonly iamInstanceProfile?: { readonly arn: string; readonly id: string } | undefined;
}

export interface InstanceMetadataOptions {
  readonly httpTokens?: "optional" | "required" | undefined;
  readonly httpEndpoint?: "enabled" | "disabled" | undefined;
  readonly httpPutResponseHopLimit?: number | undefined;
  readonly httpProtocolIpv6?: "enabled" | "disabled" | undefined;
  readonly instanceMetadataTags?: "enabled" | "disabled" | undefined;
}

export type EbsVolumeType = "standard" | "io1" | "io2" | "gp2" | "sc1" | "st1" | "gp3";
export interface RootVolumeOptions {
  readonly size: number;
  readonly volumeType: EbsVolumeType;
  readonly iops?: number | undefined;
  readonly throughput?: number | undefined;
  readonly encrypted: boolean;
  readonly deleteOnTermination: boolean;
}

export interface EniPrivateIp {
  readonly address: string;
  readonly primary: boolean;
}
export interface EniIpv6Address {
  readonly address: string;
  readonly isPrimaryIpv6: boolean;
}
export interface EniAttachment {
  readonly attachmentId: string;
  readonly instanceId: string;
  readonly instanceOwnerId: string;
  readonly deviceIndex: number;
  readonly networkCardIndex: number;
  readonly status: "attaching" | "attached" | "detaching" | "detached";
  readonly attachTime: string;
  readonly deleteOnTermination: boolean;
}
/** A public IPv4 address mapped to one of the ENI's private addresses (Amazon-pool public IP or an EIP). */
export interface EniPublicIpAssociation {
  readonly privateIp: string;
  readonly publicIp: string;
  /** "amazon" for an auto-assigned public IP, else the EIP owner's account id. */
  readonly ipOwnerId: string;
  readonly allocationId?: string | undefined;
  readonly associationId?: string | undefined;
}
export interface NetworkInterfaceRecord extends BaseRecord {
  readonly kind: "network-interface";
  readonly ownerId: string;
  readonly requesterId: string;
  readonly requesterManaged: boolean;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly description: string;
  readonly macAddress: string;
  /** interface | efa | efa-only | trunk, or a requester-managed type such as nat_gateway or lambda. */
  readonly interfaceType: string;
  readonly status: "pending" | "available" | "attaching" | "in-use" | "detaching" | "associated";
  readonly sourceDestCheck: boolean;
  readonly groupIds: readonly string[];
  readonly privateIps: readonly EniPrivateIp[];
  readonly ipv4Prefixes: readonly string[];
  readonly ipv6Addresses: readonly EniIpv6Address[];
  readonly ipv6Prefixes: readonly string[];
  /** Whether a public IPv4 is given at launch when this is the primary ENI (inherited from the subnet at creation). */
  readonly associatePublicIp: boolean;
  readonly publicIps: readonly EniPublicIpAssociation[];
  readonly attachment?: EniAttachment | undefined;
  /** Indexed copy of attachment.instanceId. */
  readonly instanceId?: string | undefined;
  /**
   * When a transient status (pending, attaching, detaching) becomes final, with a non-zero transition delay. Resolved
   * at read time by `settleEni` (domain/eni-attachment.ts) against the simulated clock; absent when nothing is pending.
   */
  readonly settlesAt?: string | undefined;
}

/** A grant on an ENI to another account (CreateNetworkInterfacePermission); `id` is eni-perm-…. */
export interface NetworkInterfacePermissionRecord extends BaseRecord {
  readonly kind: "network-interface-permission";
  readonly networkInterfaceId: string;
  readonly awsAccountId: string;
  readonly permission: "INSTANCE-ATTACH" | "EIP-ASSOCIATE";
}

/**
 * Where an Elastic IP is mapped: one private IPv4 of one ENI. The instance is not stored: it is the ENI's current
 * attachment, read at view time, so an EIP follows its ENI when the ENI moves to another instance.
 */
export interface ElasticIpAssociation {
  readonly associationId: string;
  readonly networkInterfaceId: string;
  readonly networkInterfaceOwnerId: string;
  readonly privateIp: string;
}
/** An Elastic IP address; `id` is the allocation id (eipalloc-…). */
export interface ElasticIpRecord extends BaseRecord {
  readonly kind: "elastic-ip";
  readonly publicIp: string;
  readonly domain: "vpc";
  /** "amazon" for Amazon's pool, else the BYOIP pool id (ipv4pool-ec2-…). */
  readonly publicIpv4Pool: string;
  readonly networkBorderGroup: string;
  readonly association?: ElasticIpAssociation | undefined;
  /** Reverse DNS (ModifyAddressAttribute DomainName); undefined when unset. */
  readonly ptrRecord?: string | undefined;
}

/**
 * The instance owner's side of a cross-account attachment (an INSTANCE-ATTACH permission let this account attach
 * another account's ENI): `id` is the attachment id, `instanceId` is indexed, the ENI itself stays in its owner's
 * scope. Lets the instance's account count, show, detach and terminate with the ENI without seeing the owner's state.
 */
export interface EniAttachmentLinkRecord extends BaseRecord {
  readonly kind: "eni-attachment-link";
  readonly instanceId: string;
  readonly networkInterfaceId: string;
  readonly eniOwnerId: string;
}

// --- BYOIP (spec §5) and the simulated world outside AWS ---------------------------------------------------------

export type ByoipState =
  | "pending-provision"
  | "provisioned"
  | "provisioned-not-publicly-advertisable"
  | "failed-provision"
  | "pending-advertising"
  | "advertised"
  | "pending-withdrawal"
  | "pending-deprovision"
  | "deprovisioned"
  | "failed-deprovision";

/** A range brought with ProvisionByoipCidr; `id` is its address pool's id (ipv4pool-ec2-… / ipv6pool-ec2-…). */
export interface ByoipCidrRecord extends BaseRecord {
  readonly kind: "byoip-cidr";
  /** The CIDR exactly as requested (AWS echoes it; host bits may be set). */
  readonly cidr: string;
  /** The canonical network of `cidr`, for overlap and pool arithmetic. */
  readonly network: string;
  readonly description?: string | undefined;
  readonly state: ByoipState;
  readonly statusMessage?: string | undefined;
  readonly publiclyAdvertisable: boolean;
  readonly networkBorderGroup: string;
  /** While pending-provision: when the verification outcome becomes visible (simulated clock). */
  readonly settlesAt?: string | undefined;
  /** While pending-provision: what the verification concluded (revealed at settlesAt). */
  readonly outcome?: { readonly state: ByoipState; readonly statusMessage?: string | undefined } | undefined;
  readonly provisionedAt: string;
}

export type RirName = "ARIN" | "RIPE" | "APNIC" | "LACNIC" | "AFRINIC";
/** A range registered with a simulated RIR (world scope); `id` is `rir-range:<cidr>`. */
export interface RirRangeRecord extends BaseRecord {
  readonly kind: "rir-range";
  readonly cidr: string;
  readonly rir: RirName;
  readonly org: string;
  readonly registeredAt: string;
  readonly updatedAt: string;
  /** The self-signed X.509 certificate on one line, where the RIR puts it (ARIN Public Comments, RIPE descr …). */
  readonly certificate?: string | undefined;
  readonly roas: readonly Roa[];
  /** Reputation: prefixes listed on a blocklist (empty = clean). */
  readonly listings: readonly { readonly prefix: string; readonly reason: string; readonly listedAt: string }[];
}

/** An on-premises BGP announcement (world scope); `id` is `bgp:<prefix>:<asn>`. */
export interface BgpAnnouncementRecord extends BaseRecord {
  readonly kind: "bgp-announcement";
  readonly prefix: string;
  readonly originAsn: number;
  readonly network: "onprem";
  readonly announcedAt: string;
}

/** Per account (world scope): when Advertise/Withdraw last ran, for the once-per-10-seconds limit. */
export interface ByoipThrottleRecord extends BaseRecord {
  readonly kind: "byoip-throttle";
  readonly lastAdvertiseAt?: string | undefined;
  readonly lastWithdrawAt?: string | undefined;
}

// --- flow logs (issue 5) ---
/**
 * A VPC flow log (CreateFlowLogs); `id` is fl-…. Its configuration never changes after creation (VPC-UG "Flow log
 * limitations"). `vpcId` is the VPC of the monitored resource (an indexed column, so the recorder finds every flow
 * log that covers an ENI with one lookup); `subnetId` is set for subnet- and ENI-level flow logs.
 */
export interface FlowLogRecord extends BaseRecord {
  readonly kind: "flow-log";
  readonly resourceId: string;
  readonly resourceType: "VPC" | "Subnet" | "NetworkInterface";
  readonly trafficType: "ACCEPT" | "REJECT" | "ALL";
  readonly logDestinationType: "cloud-watch-logs" | "s3";
  /** The log group ARN (cloud-watch-logs) or the bucket ARN with optional folder (s3). */
  readonly logDestination: string;
  readonly logGroupName?: string | undefined;
  readonly deliverLogsPermissionArn?: string | undefined;
  readonly logFormat: string;
  readonly maxAggregationInterval: 60 | 600;
  readonly destinationOptions?:
    { readonly fileFormat: "plain-text"; readonly hiveCompatiblePartitions: boolean; readonly perHourPartition: boolean } | undefined;
  readonly creationTime: string;
}

/** Every stored resource kind and its record type. */
export interface ResourceKinds {
  vpc: VpcRecord;
  subnet: SubnetRecord;
  "security-group": SecurityGroupRecord;
  "internet-gateway": InternetGatewayRecord;
  "route-table": RouteTableRecord;
  "network-acl": NetworkAclRecord;
  instance: InstanceRecord;
  "network-interface": NetworkInterfaceRecord;
  "elastic-ip": ElasticIpRecord;
  "network-interface-permission": NetworkInterfacePermissionRecord;
  "eni-attachment-link": EniAttachmentLinkRecord;
  // BYOIP and the world outside AWS
  "byoip-cidr": ByoipCidrRecord;
  "rir-range": RirRangeRecord;
  "bgp-announcement": BgpAnnouncementRecord;
  "byoip-throttle": ByoipThrottleRecord;
  // --- flow logs (issue 5) ---
  "flow-log": FlowLogRecord;
}
export type ResourceKind = keyof ResourceKinds;
export type AnyRecord = ResourceKinds[ResourceKind];

// --- data plane (issue 5): NAT gateways ---
/**
 * A NAT gateway (`id` nat-…). A public one holds one Elastic IP (Amazon pool or BYOIP pool: the same `elastic-ip`
 * record) mapped to the primary private IP of its requester-managed `nat_gateway` ENI in its subnet.
 */
export interface NatGatewayRecord extends BaseRecord {
  readonly kind: "nat-gateway";
  readonly vpcId: string;
  readonly subnetId: string;
  readonly connectivityType: "public" | "private";
  readonly state: "pending" | "failed" | "available" | "deleting" | "deleted";
  readonly networkInterfaceId: string;
  readonly privateIp: string;
  readonly allocationId?: string | undefined;
  readonly publicIp?: string | undefined;
  readonly associationId?: string | undefined;
  readonly createTime: string;
  readonly deleteTime?: string | undefined;
}
// Declaration merging appends the kind to ResourceKinds without reordering the table above.
export interface ResourceKinds {
  "nat-gateway": NatGatewayRecord;
}

// --- volumes and snapshots (issue 15) ---
/** A volume's attachment to an instance (AttachVolume, or RunInstances' block device mappings). */
export interface VolumeAttachmentState {
  readonly instanceId: string;
  readonly device: string;
  readonly state: "attaching" | "attached" | "detaching";
  readonly attachTime: string;
  readonly deleteOnTermination: boolean;
}
/** The last ModifyVolume of a volume (DescribeVolumesModifications), with what it changed from and to. */
export interface VolumeModificationState {
  readonly state: "modifying" | "optimizing" | "completed";
  readonly startTime: string;
  readonly endTime?: string | undefined;
  readonly original: {
    readonly size: number;
    readonly volumeType: EbsVolumeType;
    readonly iops?: number | undefined;
    readonly throughput?: number | undefined;
  };
  readonly target: {
    readonly size: number;
    readonly volumeType: EbsVolumeType;
    readonly iops?: number | undefined;
    readonly throughput?: number | undefined;
  };
  readonly multiAttachEnabled: boolean;
}
/** An EBS volume (`vol-…`). `instanceId` is the indexed copy of the attachment's instance. */
export interface VolumeRecord extends BaseRecord {
  readonly kind: "volume";
  readonly ownerId: string;
  readonly availabilityZone: string;
  readonly size: number;
  readonly volumeType: EbsVolumeType;
  readonly iops?: number | undefined;
  readonly throughput?: number | undefined;
  readonly encrypted: boolean;
  readonly multiAttachEnabled: boolean;
  readonly snapshotId?: string | undefined;
  readonly state: "creating" | "available" | "in-use" | "deleting";
  readonly createTime: string;
  readonly attachment?: VolumeAttachmentState | undefined;
  readonly instanceId?: string | undefined;
  readonly modification?: VolumeModificationState | undefined;
  /** When a transient attachment state (attaching, detaching) becomes final, with a non-zero delay (`settleVolume`). */
  readonly settlesAt?: string | undefined;
}
/** An EBS snapshot (`snap-…`) of one of the account's volumes, or a copy of another snapshot. */
export interface SnapshotRecord extends BaseRecord {
  readonly kind: "snapshot";
  readonly ownerId: string;
  readonly volumeId: string;
  readonly volumeSize: number;
  readonly encrypted: boolean;
  readonly description: string;
  readonly state: "pending" | "completed" | "error";
  readonly startTime: string;
  readonly completionTime?: string | undefined;
  /** When `pending` becomes `completed`, with a non-zero delay (`settleSnapshot`). */
  readonly settlesAt?: string | undefined;
}
export interface ResourceKinds {
  volume: VolumeRecord;
  snapshot: SnapshotRecord;
}

// --- key pairs and registered images (issue 15) ---
/** A key pair (`key-…`, CreateKeyPair / ImportKeyPair); names are unique per account and region. */
export interface KeyPairRecord extends BaseRecord {
  readonly kind: "key-pair";
  readonly keyName: string;
  readonly keyType: "rsa" | "ed25519";
  readonly keyFingerprint: string;
  /** The public key in OpenSSH form (`ssh-rsa AAAA…`), for DescribeKeyPairs IncludePublicKey. */
  readonly publicKey: string;
  readonly createTime: string;
}
/** One block device mapping of a registered image. */
export interface ImageBlockDevice {
  readonly deviceName: string;
  readonly snapshotId?: string | undefined;
  readonly volumeSize?: number | undefined;
  readonly volumeType?: EbsVolumeType | undefined;
  readonly iops?: number | undefined;
  readonly throughput?: number | undefined;
  readonly encrypted?: boolean | undefined;
  readonly deleteOnTermination: boolean;
}
/** Who may launch an image besides its owner (ModifyImageAttribute launchPermission). */
export interface ImageLaunchPermission {
  readonly userId?: string | undefined;
  readonly group?: "all" | undefined;
}
/** An image the account registered (RegisterImage, CreateImage, CopyImage); `id` is ami-…. */
export interface ImageRecord extends BaseRecord {
  readonly kind: "image";
  readonly ownerId: string;
  readonly name: string;
  readonly description?: string | undefined;
  readonly architecture: "i386" | "x86_64" | "arm64" | "x86_64_mac" | "arm64_mac";
  readonly rootDeviceName: string;
  readonly virtualizationType: "hvm" | "paravirtual";
  readonly platformDetails: string;
  readonly creationDate: string;
  readonly enaSupport: boolean;
  readonly sriovNetSupport?: string | undefined;
  readonly bootMode?: "legacy-bios" | "uefi" | "uefi-preferred" | undefined;
  readonly imdsSupport?: "v2.0" | undefined;
  readonly tpmSupport?: "v2.0" | undefined;
  readonly blockDevices: readonly ImageBlockDevice[];
  readonly launchPermissions: readonly ImageLaunchPermission[];
  readonly sourceInstanceId?: string | undefined;
  readonly sourceImageId?: string | undefined;
  readonly sourceImageRegion?: string | undefined;
}
export interface ResourceKinds {
  "key-pair": KeyPairRecord;
  image: ImageRecord;
}

// --- placement groups (issue 15) ---
/** A placement group (`pg-…`); names are unique per account and Region. */
export interface PlacementGroupRecord extends BaseRecord {
  readonly kind: "placement-group";
  readonly groupName: string;
  readonly strategy: "cluster" | "spread" | "partition";
  readonly partitionCount?: number | undefined;
  readonly spreadLevel?: "host" | "rack" | undefined;
}
export interface ResourceKinds {
  "placement-group": PlacementGroupRecord;
}
// Declaration merging adds the launch's placement group to the instance record.
export interface InstanceRecord {
  /** Placement.GroupName at launch (the group's name, as AWS shows it). */
  readonly placementGroupName?: string | undefined;
  readonly placementPartitionNumber?: number | undefined;
}

// --- managed prefix lists (issue 16) ---
/** One entry of a prefix list version. */
export interface PrefixListEntryRecord {
  readonly cidr: string;
  readonly description?: string | undefined;
}
/**
 * A customer-managed prefix list (`pl-` + 17 hex). Every version is kept (`versions`, oldest first; the last is
 * the current one) so GetManagedPrefixListEntries TargetVersion and RestoreManagedPrefixListVersion can read them.
 * AWS-managed lists are not stored: they are static data per region (domain/prefix-lists.ts).
 */
export interface PrefixListRecord extends BaseRecord {
  readonly kind: "prefix-list";
  readonly ownerId: string;
  readonly name: string;
  readonly addressFamily: "IPv4" | "IPv6";
  readonly maxEntries: number;
  readonly state: "create-complete" | "modify-complete" | "restore-complete";
  readonly versions: readonly { readonly version: number; readonly entries: readonly PrefixListEntryRecord[] }[];
}
export interface ResourceKinds {
  "prefix-list": PrefixListRecord;
}

// --- DHCP options sets, egress-only internet gateways, subnet CIDR reservations (issue 16) ---
export interface DhcpConfigurationRecord {
  readonly key: string;
  readonly values: readonly string[];
}
/** A DHCP options set (dopt-). `isDefault` marks the set localvpc created with the scope (AWS shows no such flag). */
export interface DhcpOptionsRecord extends BaseRecord {
  readonly kind: "dhcp-options";
  readonly ownerId: string;
  readonly configurations: readonly DhcpConfigurationRecord[];
  readonly isDefault: boolean;
}
/** An egress-only internet gateway (eigw-): attached to its VPC for life (also the indexed vpcId column). */
export interface EgressOnlyInternetGatewayRecord extends BaseRecord {
  readonly kind: "egress-only-internet-gateway";
  readonly ownerId: string;
  readonly vpcId: string;
}
/** A subnet CIDR reservation (scr-), indexed by its subnet. */
export interface SubnetCidrReservationRecord extends BaseRecord {
  readonly kind: "subnet-cidr-reservation";
  readonly ownerId: string;
  readonly subnetId: string;
  readonly cidr: string;
  readonly family: 4 | 6;
  readonly reservationType: "prefix" | "explicit";
  readonly description?: string | undefined;
}
export interface ResourceKinds {
  "dhcp-options": DhcpOptionsRecord;
  "egress-only-internet-gateway": EgressOnlyInternetGatewayRecord;
  "subnet-cidr-reservation": SubnetCidrReservationRecord;
}

// --- launch templates (issue 15) ---
/** One version of a launch template. Versions are immutable once created. */
export interface LaunchTemplateVersionState {
  readonly number: number;
  readonly description?: string | undefined;
  readonly createTime: string;
  readonly createdBy: string;
  /**
   * The LaunchTemplateData as sent, with its wire (PascalCase) member names: it is opaque request data that RunInstances
   * replays, and only members localvpc launches with are ever stored (the others are refused when written).
   */
  readonly data: Readonly<Record<string, unknown>>;
}
/** A launch template (`lt-…`); names are unique per account and Region. Version numbers are never reused. */
export interface LaunchTemplateRecord extends BaseRecord {
  readonly kind: "launch-template";
  readonly name: string;
  readonly createTime: string;
  readonly createdBy: string;
  readonly defaultVersion: number;
  /** The number the next CreateLaunchTemplateVersion gets. */
  readonly nextVersion: number;
  readonly versions: readonly LaunchTemplateVersionState[];
}
export interface ResourceKinds {
  "launch-template": LaunchTemplateRecord;
}

// --- VPC endpoints (issue 16) ---
/**
 * A VPC endpoint (`vpce-…`) to an AWS service. A Gateway endpoint owns one route per table in `routeTableIds`
 * (destination: the service's AWS-managed prefix list, target: the endpoint); an Interface endpoint owns one
 * requester-managed ENI per subnet (`networkInterfaceIds`, same order as `subnetIds`).
 */
export interface VpcEndpointRecord extends BaseRecord {
  readonly kind: "vpc-endpoint";
  readonly ownerId: string;
  readonly vpcId: string;
  readonly endpointType: "Gateway" | "Interface";
  readonly serviceName: string;
  readonly state: "pending" | "available";
  readonly policyDocument: string;
  readonly routeTableIds: readonly string[];
  readonly subnetIds: readonly string[];
  readonly networkInterfaceIds: readonly string[];
  readonly groupIds: readonly string[];
  readonly privateDnsEnabled: boolean;
  readonly creationTimestamp: string;
  /** The 8 characters AWS puts after the id in the endpoint's DNS names (`vpce-…-x1y2z3w4.ec2…`). */
  readonly dnsToken: string;
}
export interface ResourceKinds {
  "vpc-endpoint": VpcEndpointRecord;
}

// --- VPC peering (issue 16) ---
/** One side of a peering connection: its VPC, owner and Region (CIDRs are read live from the VPC). */
export interface VpcPeeringSide {
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  /** PeeringOptions.AllowDnsResolutionFromRemoteVpc of this side (ModifyVpcPeeringConnectionOptions). */
  readonly allowDnsResolutionFromRemoteVpc: boolean;
}
/**
 * A VPC peering connection (`pcx-`), stored once, in the requester's scope (its account and Region): `vpcId` (the
 * indexed column) is the requester VPC. When the accepter is another account or Region, a `vpc-peering-link` with
 * the same id in the accepter's scope points back here (see services/ec2/vpc-peering-lookup.ts). The stored status
 * is the last transition; `pending-acceptance` past `expirationTime` reads as `expired` (domain/vpc-peering.ts).
 */
export interface VpcPeeringConnectionRecord extends BaseRecord {
  readonly kind: "vpc-peering-connection";
  readonly vpcId: string;
  readonly requester: VpcPeeringSide;
  readonly accepter: VpcPeeringSide;
  readonly status: "pending-acceptance" | "active" | "deleted" | "rejected" | "failed";
  readonly statusMessage: string;
  /** When the status last changed (ISO), for how long a finished connection stays visible. */
  readonly statusTime: string;
  readonly expirationTime: string;
  /** The account that deleted it (a deleted connection stays visible longer to the other side). */
  readonly deletedBy?: string | undefined;
}
/** The accepter's index entry for a connection stored in another scope (same id); holds the accepter's own tags. */
export interface VpcPeeringLinkRecord extends BaseRecord {
  readonly kind: "vpc-peering-link";
  /** The accepter VPC (the indexed column). */
  readonly vpcId: string;
  readonly requesterAccount: string;
  readonly requesterRegion: string;
}
export interface ResourceKinds {
  "vpc-peering-connection": VpcPeeringConnectionRecord;
  "vpc-peering-link": VpcPeeringLinkRecord;
}
// Declaration merging adds the peering target to a route.
export interface Route {
  readonly vpcPeeringConnectionId?: string | undefined;
}

// --- Reachability Analyzer (issue 21) ---
/** A port range of a path filter (FilterAtSource / FilterAtDestination). */
export interface NetworkInsightsPortRange {
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
}
export interface NetworkInsightsPathFilter {
  readonly sourceAddress?: string | undefined;
  readonly sourcePortRange?: NetworkInsightsPortRange | undefined;
  readonly destinationAddress?: string | undefined;
  readonly destinationPortRange?: NetworkInsightsPortRange | undefined;
}
/** A Reachability Analyzer path (`nip-…`, CreateNetworkInsightsPath): what to analyse, not a result. */
export interface NetworkInsightsPathRecord extends BaseRecord {
  readonly kind: "network-insights-path";
  readonly createdDate: string;
  readonly source: string;
  readonly sourceArn: string;
  readonly destination?: string | undefined;
  readonly destinationArn?: string | undefined;
  readonly sourceIp?: string | undefined;
  readonly destinationIp?: string | undefined;
  readonly protocol: "tcp" | "udp";
  readonly destinationPort?: number | undefined;
  readonly filterAtSource?: NetworkInsightsPathFilter | undefined;
  readonly filterAtDestination?: NetworkInsightsPathFilter | undefined;
}
/**
 * What an analysis found, in the camelCase mirror of AWS's PathComponent / Explanation shapes (each member name is
 * the wire name with a lower-case first letter; the action's view upper-cases them). Produced by
 * domain/network-insights.ts from the data-plane evaluator's verdict.
 */
export interface AnalysisComponentRef {
  readonly id: string;
  readonly arn?: string | undefined;
  readonly name?: string | undefined;
}
export interface AnalysisPortRangeRef {
  readonly from: number;
  readonly to: number;
}
export interface AnalysisAclRuleRef {
  readonly cidr?: string | undefined;
  readonly egress: boolean;
  readonly portRange?: AnalysisPortRangeRef | undefined;
  readonly protocol: string;
  readonly ruleAction: string;
  readonly ruleNumber: number;
}
export interface AnalysisSecurityGroupRuleRef {
  readonly cidr?: string | undefined;
  readonly direction: "ingress" | "egress";
  readonly securityGroupId: string;
  readonly portRange?: AnalysisPortRangeRef | undefined;
  readonly prefixListId?: string | undefined;
  readonly protocol: string;
}
export interface AnalysisRouteRef {
  readonly destinationCidr?: string | undefined;
  readonly destinationPrefixListId?: string | undefined;
  readonly gatewayId?: string | undefined;
  readonly natGatewayId?: string | undefined;
  readonly networkInterfaceId?: string | undefined;
  readonly instanceId?: string | undefined;
  readonly vpcPeeringConnectionId?: string | undefined;
  readonly origin?: string | undefined;
  readonly state?: string | undefined;
}
export interface AnalysisPacketHeaderRef {
  readonly destinationAddresses?: readonly string[] | undefined;
  readonly destinationPortRanges?: readonly AnalysisPortRangeRef[] | undefined;
  readonly protocol?: string | undefined;
  readonly sourceAddresses?: readonly string[] | undefined;
  readonly sourcePortRanges?: readonly AnalysisPortRangeRef[] | undefined;
}
export interface AnalysisPathComponentRecord {
  readonly sequenceNumber: number;
  readonly component: AnalysisComponentRef;
  readonly vpc?: AnalysisComponentRef | undefined;
  readonly subnet?: AnalysisComponentRef | undefined;
  readonly sourceVpc?: AnalysisComponentRef | undefined;
  readonly destinationVpc?: AnalysisComponentRef | undefined;
  readonly attachedTo?: AnalysisComponentRef | undefined;
  readonly aclRule?: AnalysisAclRuleRef | undefined;
  readonly securityGroupRule?: AnalysisSecurityGroupRuleRef | undefined;
  readonly routeTableRoute?: AnalysisRouteRef | undefined;
  readonly inboundHeader?: AnalysisPacketHeaderRef | undefined;
  readonly outboundHeader?: AnalysisPacketHeaderRef | undefined;
}
export interface AnalysisExplanationRecord {
  readonly explanationCode: string;
  readonly direction?: "ingress" | "egress" | undefined;
  readonly acl?: AnalysisComponentRef | undefined;
  readonly aclRule?: AnalysisAclRuleRef | undefined;
  readonly address?: string | undefined;
  readonly addresses?: readonly string[] | undefined;
  readonly component?: AnalysisComponentRef | undefined;
  readonly destination?: AnalysisComponentRef | undefined;
  readonly internetGateway?: AnalysisComponentRef | undefined;
  readonly natGateway?: AnalysisComponentRef | undefined;
  readonly networkInterface?: AnalysisComponentRef | undefined;
  readonly packetField?: string | undefined;
  readonly port?: number | undefined;
  readonly protocols?: readonly string[] | undefined;
  readonly routeTable?: AnalysisComponentRef | undefined;
  readonly routeTableRoute?: AnalysisRouteRef | undefined;
  readonly securityGroups?: readonly AnalysisComponentRef[] | undefined;
  readonly subnet?: AnalysisComponentRef | undefined;
  readonly vpc?: AnalysisComponentRef | undefined;
  readonly vpcPeeringConnection?: AnalysisComponentRef | undefined;
  readonly state?: string | undefined;
  /** localvpc's own: the evaluator's sentence (what `traffic send` prints); not an AWS member, never rendered. */
  readonly localvpcSentence?: string | undefined;
}
/**
 * A Reachability Analyzer analysis (`nia-…`, StartNetworkInsightsAnalysis). The verdict is computed at start (the
 * analyzer reads the configuration as it is then); `completesAt` is when the simulated clock shows it `succeeded`.
 */
export interface NetworkInsightsAnalysisRecord extends BaseRecord {
  readonly kind: "network-insights-analysis";
  readonly networkInsightsPathId: string;
  readonly startDate: string;
  readonly completesAt: string;
  readonly filterInArns: readonly string[];
  readonly status: "succeeded" | "failed";
  readonly statusMessage?: string | undefined;
  readonly networkPathFound: boolean;
  readonly forwardPathComponents: readonly AnalysisPathComponentRecord[];
  readonly returnPathComponents: readonly AnalysisPathComponentRecord[];
  readonly explanations: readonly AnalysisExplanationRecord[];
}
export interface ResourceKinds {
  "network-insights-path": NetworkInsightsPathRecord;
  "network-insights-analysis": NetworkInsightsAnalysisRecord;
}

// --- Lambda (issue 17): functions and their Hyperplane ENIs (rules in domain/lambda.ts) ---
/** A Lambda function (`id` is its unqualified ARN). Its tags are Lambda's, kept apart from EC2's `tags`. */
export interface LambdaFunctionRecord extends BaseRecord {
  readonly kind: "lambda-function";
  readonly name: string;
  /** The VPC of its VpcConfig (indexed), when it has one. */
  readonly vpcId?: string | undefined;
  readonly config: LambdaConfig;
  readonly functionTags: Readonly<Record<string, string>>;
  readonly lifecycle: LambdaLifecycle;
}
/**
 * One Hyperplane ENI: one per (subnet, security-group set) in the account, shared by every function with that
 * combination (`id` is `lambda-eni:<subnet>:<sorted groups>`). `users` are the function ARNs holding it; with none
 * left, `releaseAt` is when Lambda deletes the ENI.
 */
export interface LambdaHyperplaneEniRecord extends BaseRecord {
  readonly kind: "lambda-hyperplane-eni";
  readonly subnetId: string;
  readonly vpcId: string;
  readonly groupIds: readonly string[];
  readonly networkInterfaceId: string;
  readonly users: readonly string[];
  readonly releaseAt?: string | undefined;
  /** No earlier than this can anything about it be due (its release, or a user going idle): settling skips it until then. */
  readonly checkAt?: string | undefined;
}
export interface ResourceKinds {
  "lambda-function": LambdaFunctionRecord;
  "lambda-hyperplane-eni": LambdaHyperplaneEniRecord;
}

// --- EKS (issue 18): clusters, managed node groups, add-ons (rules in domain/eks.ts) ---
/** An EKS cluster (`id` is `eks-cluster:<name>`); `vpcId` (indexed) is its resourcesVpcConfig's VPC. */
export interface EksClusterRecord extends BaseRecord {
  readonly kind: "eks-cluster";
  readonly name: string;
  readonly arn: string;
  readonly vpcId: string;
  readonly version: string;
  readonly roleArn: string;
  readonly createdAt: string;
  /** CREATING until then on the simulated clock, then ACTIVE. */
  readonly activeAt: string;
  readonly vpc: EksVpcConfig;
  readonly clusterSecurityGroupId: string;
  /** The control plane's cross-account ENIs in the customer's subnets. */
  readonly eniIds: readonly string[];
  readonly endpointHost: string;
  readonly oidcId: string;
  readonly serviceIpv4Cidr: string;
  /** What CreateCluster was told and the views echo (access, logging, upgrade policy, self-managed add-ons). */
  readonly settings?: EksClusterSettings | undefined;
  readonly clientRequestToken?: string | undefined;
  readonly eksTags: Readonly<Record<string, string>>;
  /** Node group names (so ListNodegroups reads only the cluster's own). */
  readonly nodegroups: readonly string[];
  readonly addons: readonly string[];
  readonly updates: readonly EksUpdate[];
}
/** A managed node group (`id` is `eks-nodegroup:<cluster>/<name>`); its nodes are EC2 instances of the scope. */
export interface EksNodegroupRecord extends BaseRecord {
  readonly kind: "eks-nodegroup";
  readonly clusterName: string;
  readonly name: string;
  readonly arn: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
  readonly activeAt: string;
  readonly scaling: EksScaling;
  readonly instanceTypes: readonly string[];
  readonly subnets: readonly string[];
  readonly amiType: string;
  readonly diskSize: number;
  readonly nodeRole: string;
  readonly capacityType: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly EksTaint[];
  readonly eksTags: Readonly<Record<string, string>>;
  readonly autoScalingGroup: string;
  readonly version: string;
  /** Node instance ids, oldest first; the node with index n went in subnet n mod |subnets|. */
  readonly instanceIds: readonly string[];
  readonly launched: number;
}
/** An add-on of a cluster (`id` is `eks-addon:<cluster>/<name>`). */
export interface EksAddonRecord extends BaseRecord {
  readonly kind: "eks-addon";
  readonly clusterName: string;
  readonly name: string;
  readonly arn: string;
  readonly version: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
  readonly activeAt: string;
  readonly configurationValues?: string | undefined;
  readonly serviceAccountRoleArn?: string | undefined;
  readonly eksTags: Readonly<Record<string, string>>;
}
export interface ResourceKinds {
  "eks-cluster": EksClusterRecord;
  "eks-nodegroup": EksNodegroupRecord;
  "eks-addon": EksAddonRecord;
}
/** A simulated pod of a node group (localvpc's own: EKS has no pod API; the admin route schedules them). */
export interface EksPod {
  readonly name: string;
  readonly state: "Running" | "Pending";
  readonly node?: string | undefined;
  readonly ip?: string | undefined;
  readonly eni?: string | undefined;
  /** Why a Pending pod has no IP (a sentence in the data plane's explanation style). */
  readonly reason?: string | undefined;
  readonly reasonCode?: string | undefined;
}
/** The pods of one node group (`id` is `eks-pods:<cluster>/<nodegroup>`). */
export interface EksPodSetRecord extends BaseRecord {
  readonly kind: "eks-pod-set";
  readonly pods: readonly EksPod[];
  /** Names are `<nodegroup>-pod-<n>`, n from this counter. */
  readonly next: number;
  /** IPs released by deleted pods, not handed out again before `until` (ipamd's IP_COOLDOWN_PERIOD). */
  readonly cooling?: readonly { readonly ip: string; readonly node: string; readonly until: string }[] | undefined;
}
export interface ResourceKinds {
  "eks-pod-set": EksPodSetRecord;
}
/** A VPC CNI ENIConfig of a cluster (custom networking; `id` is `eks-eni-config:<cluster>/<name>`). */
export interface EksEniConfigRecord extends BaseRecord {
  readonly kind: "eks-eni-config";
  readonly clusterName: string;
  readonly name: string;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
}
export interface ResourceKinds {
  "eks-eni-config": EksEniConfigRecord;
}
