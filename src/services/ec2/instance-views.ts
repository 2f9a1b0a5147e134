/**
 * Wire views of instances, their network interfaces and root volumes, plus the per-request lookups they need
 * (security group names, VPC DNS settings) cached so that a Describe of many instances reads each once.
 */
import { regionInfo, privateDnsName, publicDnsName } from "../../domain/regions.js";
import { stateView } from "../../domain/instances.js";
import { isPrimarySlot } from "../../domain/network-interfaces.js";
import type { InstanceTypeInfo } from "../../protocol/model/shapes.js";
import type { InstanceRecord, NetworkInterfaceRecord, SecurityGroupRecord, VolumeRecord, VpcRecord } from "../../domain/types.js";
import type {
  GroupIdentifier,
  Instance,
  InstanceNetworkInterface,
  InstanceNetworkInterfaceAssociation,
} from "../../protocol/model/shapes.js";
import type { Tx } from "../../store/store.js";
import { tagView } from "../common/describe.js";
import { foreignRecord, linkedEnis } from "./foreign-enis.js";
import { blockDeviceMappingsOf, instanceVolumes } from "./ebs.js";

export type InstanceTypeName = NonNullable<Instance["InstanceType"]>;

/** Per-request memo of records the views read repeatedly. */
export interface ViewLookups {
  group(id: string): SecurityGroupRecord | undefined;
  vpc(id: string): VpcRecord | undefined;
  enis(instanceId: string): NetworkInterfaceRecord[];
  /** The instance's attached EBS volumes (issue 15), root first. */
  volumes(instance: InstanceRecord): VolumeRecord[];
  /** The type's default cores and threads per core (CpuOptions), from the instance-type data. */
  cpu?(instanceType: string): { readonly cores: number; readonly threadsPerCore: number } | undefined;
}

export const viewLookups = (tx: Tx, types?: ReadonlyMap<string, InstanceTypeInfo>): ViewLookups => {
  const groups = new Map<string, SecurityGroupRecord | undefined>();
  const vpcs = new Map<string, VpcRecord | undefined>();
  const memo = <T>(m: Map<string, T>, id: string, load: () => T): T => {
    if (!m.has(id)) m.set(id, load());
    return m.get(id) as T;
  };
  return {
    // A group of another account's ENI (attached with a permission) is read from that account.
    group: (id) => memo(groups, id, () => tx.get("security-group", id) ?? foreignRecord(tx, "security-group", id)),
    vpc: (id) => memo(vpcs, id, () => tx.get("vpc", id)),
    // Indexed by instance_id: one query per instance, never a scan of the account's ENIs.
    enis: (instanceId) =>
      [...tx.list("network-interface", { instanceId }), ...linkedEnis(tx, instanceId, undefined).map((h) => h.eni)].sort(
        (a, b) =>
          (a.attachment?.networkCardIndex ?? 0) - (b.attachment?.networkCardIndex ?? 0) ||
          (a.attachment?.deviceIndex ?? 0) - (b.attachment?.deviceIndex ?? 0),
      ),
    volumes: (instance) => instanceVolumes(tx, instance),
    cpu: (type) => {
      const v = types?.get(type)?.VCpuInfo;
      return v?.DefaultCores !== undefined && v.DefaultThreadsPerCore !== undefined
        ? { cores: v.DefaultCores, threadsPerCore: v.DefaultThreadsPerCore }
        : undefined;
    },
  };
};

export const groupsView = (ids: readonly string[], l: ViewLookups): GroupIdentifier[] =>
  ids.map((id) => ({ GroupId: id, GroupName: l.group(id)?.groupName }));

export const primaryEni = (enis: readonly NetworkInterfaceRecord[]): NetworkInterfaceRecord | undefined => enis.find(isPrimarySlot);

/** Public DNS names exist only in VPCs with DNS hostnames enabled (the default VPC has them on). */
const publicDns = (region: string, ip: string, vpc: VpcRecord | undefined): string =>
  vpc?.enableDnsHostnames ? publicDnsName(region, ip) : "";

const associationView = (
  eni: NetworkInterfaceRecord,
  ip: string,
  region: string,
  l: ViewLookups,
): InstanceNetworkInterfaceAssociation | undefined => {
  const a = eni.publicIps.find((p) => p.privateIp === ip);
  return a ? { IpOwnerId: a.ipOwnerId, PublicIp: a.publicIp, PublicDnsName: publicDns(region, a.publicIp, l.vpc(eni.vpcId)) } : undefined;
};

export const instanceEniView = (eni: NetworkInterfaceRecord, region: string, l: ViewLookups): InstanceNetworkInterface => {
  const primaryIp = eni.privateIps.find((p) => p.primary)?.address;
  const at = eni.attachment;
  return {
    Association: primaryIp ? associationView(eni, primaryIp, region, l) : undefined,
    Attachment: at
      ? {
          AttachTime: new Date(at.attachTime),
          AttachmentId: at.attachmentId,
          DeleteOnTermination: at.deleteOnTermination,
          DeviceIndex: at.deviceIndex,
          Status: at.status,
          NetworkCardIndex: at.networkCardIndex,
        }
      : undefined,
    Description: eni.description,
    Groups: groupsView(eni.groupIds, l),
    Ipv6Addresses:
      eni.ipv6Addresses.length > 0 ? eni.ipv6Addresses.map((a) => ({ Ipv6Address: a.address, IsPrimaryIpv6: a.isPrimaryIpv6 })) : undefined,
    MacAddress: eni.macAddress,
    NetworkInterfaceId: eni.id,
    OwnerId: eni.ownerId,
    PrivateDnsName: primaryIp ? privateDnsName(region, primaryIp) : undefined,
    PrivateIpAddress: primaryIp,
    PrivateIpAddresses: eni.privateIps.map((p) => ({
      Association: associationView(eni, p.address, region, l),
      Primary: p.primary,
      PrivateDnsName: privateDnsName(region, p.address),
      PrivateIpAddress: p.address,
    })),
    SourceDestCheck: eni.sourceDestCheck,
    Status: eni.status === "pending" ? "available" : eni.status,
    SubnetId: eni.subnetId,
    VpcId: eni.vpcId,
    InterfaceType: eni.interfaceType,
    Ipv4Prefixes: eni.ipv4Prefixes.length > 0 ? eni.ipv4Prefixes.map((p) => ({ Ipv4Prefix: p })) : undefined,
    Ipv6Prefixes: eni.ipv6Prefixes.length > 0 ? eni.ipv6Prefixes.map((p) => ({ Ipv6Prefix: p })) : undefined,
  };
};

const zoneIdOf = (region: string, zone: string): string | undefined => regionInfo(region).zones.find((z) => z.zoneName === zone)?.zoneId;

const cpuOptionsView = (cpu: { readonly cores: number; readonly threadsPerCore: number } | undefined): Instance["CpuOptions"] =>
  cpu ? { CoreCount: cpu.cores, ThreadsPerCore: cpu.threadsPerCore } : undefined;

/** BlockDeviceMappings from the stored volume attachments; none once terminated (AWS shows none). */
export const blockDevicesView = (i: InstanceRecord, l: ViewLookups): Instance["BlockDeviceMappings"] =>
  i.state === "terminated" ? [] : blockDeviceMappingsOf(l.volumes(i));

/** The Instance shape. A terminated instance keeps only its identity, as in AWS (no subnet, VPC, IPs, ENIs). */
export const instanceView = (i: InstanceRecord, region: string, l: ViewLookups): Instance => {
  const enis = i.state === "terminated" ? [] : l.enis(i.id);
  const primary = primaryEni(enis);
  const privateIp = primary?.privateIps.find((p) => p.primary)?.address;
  const pub = primary && privateIp ? primary.publicIps.find((p) => p.privateIp === privateIp) : undefined;
  const imds2 = i.platformDetails !== "Windows";
  const md = i.metadataOptions;
  return {
    Architecture: i.architecture as Instance["Architecture"],
    BlockDeviceMappings: blockDevicesView(i, l),
    ClientToken: i.clientToken ?? "",
    EbsOptimized: i.ebsOptimized,
    EnaSupport: i.enaSupport,
    // AWS reports "xen" for Nitro instances too (the enum has only ovm | xen).
    Hypervisor: "xen",
    NetworkInterfaces: enis.map((e) => instanceEniView(e, region, l)),
    RootDeviceName: i.rootDeviceName,
    RootDeviceType: i.rootDeviceType as Instance["RootDeviceType"],
    SecurityGroups: primary ? groupsView(primary.groupIds, l) : [],
    SourceDestCheck: primary?.sourceDestCheck,
    StateReason: i.stateReason ? { Code: i.stateReason.code, Message: i.stateReason.message } : undefined,
    Tags: tagView(i.tags),
    VirtualizationType: "hvm",
    CapacityReservationSpecification: { CapacityReservationPreference: "open" },
    HibernationOptions: { Configured: false },
    // AWS always answers the type's default core count and threads per core (Terraform reads cpu_options from it).
    CpuOptions: cpuOptionsView(l.cpu?.(i.instanceType)),
    // AWS answers "pending" while it applies launch options and "applied" seconds later; localvpc shows the latter.
    MetadataOptions: {
      State: "applied",
      HttpTokens: md?.httpTokens ?? (imds2 ? "required" : "optional"),
      HttpPutResponseHopLimit: md?.httpPutResponseHopLimit ?? (imds2 ? 2 : 1),
      HttpEndpoint: md?.httpEndpoint ?? "enabled",
      HttpProtocolIpv6: md?.httpProtocolIpv6 ?? "disabled",
      InstanceMetadataTags: md?.instanceMetadataTags ?? "disabled",
    },
    IamInstanceProfile: i.iamInstanceProfile ? { Arn: i.iamInstanceProfile.arn, Id: i.iamInstanceProfile.id } : undefined,
    EnclaveOptions: { Enabled: false },
    PlatformDetails: i.platformDetails,
    UsageOperation: i.platformDetails === "Windows" ? "RunInstances:0002" : "RunInstances",
    UsageOperationUpdateTime: new Date(i.launchTime),
    PrivateDnsNameOptions: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: "default" },
    NetworkPerformanceOptions: { BandwidthWeighting: "default" },
    InstanceId: i.id,
    ImageId: i.imageId,
    State: stateView(i.state),
    PrivateDnsName: privateIp ? privateDnsName(region, privateIp) : "",
    PublicDnsName: pub && primary ? publicDns(region, pub.publicIp, l.vpc(primary.vpcId)) : "",
    StateTransitionReason: i.stateTransitionReason,
    KeyName: i.keyName,
    AmiLaunchIndex: i.amiLaunchIndex,
    InstanceType: i.instanceType as InstanceTypeName,
    LaunchTime: new Date(i.launchTime),
    Placement: {
      AvailabilityZone: i.availabilityZone,
      AvailabilityZoneId: zoneIdOf(region, i.availabilityZone),
      GroupName: i.placementGroupName ?? "",
      PartitionNumber: i.placementPartitionNumber,
      Tenancy: "default",
    },
    Platform: i.platformDetails === "Windows" ? "Windows" : undefined,
    Monitoring: { State: i.monitoring ? "enabled" : "disabled" },
    SubnetId: i.state === "terminated" ? undefined : i.subnetId,
    VpcId: i.state === "terminated" ? undefined : i.vpcId,
    PrivateIpAddress: privateIp,
    PublicIpAddress: pub?.publicIp,
  };
};

/** Root snapshot size of a built-in image: AWS's Amazon Linux / Ubuntu images use 8 GiB, Windows Server 30 GiB. */
export const imageRootSize = (platformDetails: string): number => (platformDetails === "Windows" ? 30 : 8);

/** The snapshot a built-in image's root volume comes from (derived, so it is stable across restarts). */
export const snapshotOfImage = (imageId: string): string => `snap-${imageId.slice(4)}`;
