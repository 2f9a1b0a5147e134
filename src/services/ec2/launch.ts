/**
 * RunInstances: resolves the request against stored state (image, type, subnet, groups, existing ENIs), applies
 * the pure launch rules of domain/instances.ts, then creates the instances with real primary ENI records whose
 * private addresses are claimed in the subnet (spec §2.A.1, §4.1–4.5, §4.14).
 */
import { checkExplicitIpv4, macAddress } from "../../domain/addressing.js";
import { coveringPrefixOf } from "../../domain/eni-addresses.js";
import { checkEniFitsType, isEfa } from "../../domain/eni-attachment.js";
import { parseCidr } from "../../domain/cidr.js";
import { err } from "../../domain/errors.js";
import {
  architectureOfType,
  implicitPrimary,
  instanceProfileRef,
  launchCredits,
  launchMetadataOptions,
  launchRootVolume,
  splitPrivateIps,
  userDataFromBase64,
  stateView,
  validateCounts,
  validateLaunchInterfaces,
  type InstanceLevelNetwork,
  type LaunchInterface,
  type TypeLimits,
} from "../../domain/instances.js";
import { attachmentFor, buildNetworkInterface } from "../../domain/network-interfaces.js";
import { checkTypeOffered } from "../../domain/offerings.js";
import { regionInfo } from "../../domain/regions.js";
import type { InstanceRecord, NetworkInterfaceRecord, RootVolumeOptions, SubnetRecord, Tag, VolumeRecord } from "../../domain/types.js";
import { checkDeviceName, newVolumeSpec, type VolumeSpec } from "../../domain/volumes.js";
import { ebsLimit, sharedInterfaces } from "./ebs.js";
import { snapshotSource } from "./actions/volumes.js";
import type { ImageInfo } from "../../catalog/images.js";
import type {
  InstanceNetworkInterfaceSpecification,
  InstanceTypeInfo,
  Reservation,
  RunInstancesRequest,
} from "../../protocol/model/shapes.js";
import type { Tx } from "../../store/store.js";
import { claimLowestFree } from "./address-space.js";
import type { ActionContext } from "./action.js";
import { imageRootSize, instanceView, snapshotOfImage, viewLookups } from "./instance-views.js";
import { must } from "./lookups.js";
import { imageOrGeneric } from "./image-sources.js";
import { tagsFromSpecs } from "./actions/tags.js";
import { keyPairByName } from "./actions/key-pairs.js";
import { placementSlots, type PlacementSlot } from "./placement.js";
import { freshPublicIp } from "./public-ips.js";

/** AWS's default instance type is m1.small; localvpc falls back to t2.micro if its catalogue lacks m1.small. */
export const defaultInstanceType = (ctx: ActionContext): string => (ctx.catalog.instanceTypes.has("m1.small") ? "m1.small" : "t2.micro");

/** The launch's image: registered, shared, catalogue, or (without --strict-images) generic (image-sources.ts, issue 15). */
export const resolveImage = (ctx: ActionContext, imageId: string | undefined): ImageInfo => {
  if (imageId === undefined) throw err.missingParameter("imageId");
  return imageOrGeneric(ctx, imageId);
};

/** Nitro or bare-metal types (prefix delegation needs one, spec §4.10). */
export const nitroType = (ctx: ActionContext, type: string): boolean => {
  const info = ctx.catalog.instanceTypes.get(type);
  return info?.Hypervisor === "nitro" || info?.BareMetal === true;
};

export const resolveType = (ctx: ActionContext, name: string): InstanceTypeInfo => {
  const info = ctx.catalog.instanceTypes.get(name);
  if (!info) throw err.invalidInstanceType(name);
  return info;
};

export const typeLimits = (info: InstanceTypeInfo): TypeLimits => {
  const n = info.NetworkInfo ?? {};
  const name = String(info.InstanceType);
  return {
    name,
    maxInterfaces: n.MaximumNetworkInterfaces ?? 1,
    maxCards: n.MaximumNetworkCards ?? 1,
    cards: (n.NetworkCards ?? [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: n.MaximumNetworkInterfaces ?? 1 }]).map((c) => ({
      index: c.NetworkCardIndex ?? 0,
      maxInterfaces: c.MaximumNetworkInterfaces ?? 0,
    })),
    ipv4PerInterface: n.Ipv4AddressesPerInterface ?? 1,
    ipv6PerInterface: n.Ipv6AddressesPerInterface ?? 0,
    ipv6Supported: n.Ipv6Supported ?? false,
    efaSupported: n.EfaSupported ?? false,
    maxEfaInterfaces: n.EfaInfo?.MaximumEfaInterfaces ?? (n.EfaSupported ? 1 : 0),
    architecture: architectureOfType(name),
  };
};

/** Nitro and bare-metal types are EBS-optimized by default (the catalogue has no EbsInfo to say so directly). */
const ebsOptimizedByDefault = (info: InstanceTypeInfo): boolean => info.Hypervisor === "nitro" || info.BareMetal === true;

/**
 * The default subnet of the default VPC where AWS launches without SubnetId: the one of Placement.AvailabilityZone
 * when given, else that of the first Availability Zone.
 */
export const defaultSubnet = (ctx: ActionContext, zone?: string): SubnetRecord => {
  const vpc = ctx.tx.list("vpc").find((v) => v.isDefault);
  if (!vpc) throw err.noDefaultVpc();
  const zones = regionInfo(ctx.scope.region).zones.map((z) => z.zoneName);
  const subnets = ctx.tx
    .list("subnet", { vpcId: vpc.id })
    .filter((s) => s.defaultForAz && (zone === undefined || s.availabilityZone === zone))
    .sort((a, b) => zones.indexOf(a.availabilityZone) - zones.indexOf(b.availabilityZone));
  if (!subnets[0]) throw err.noDefaultSubnet(vpc.id);
  return subnets[0];
};

/** NetworkInterface.N members localvpc does not implement yet: refused by name rather than ignored. */
export const UNSUPPORTED_INTERFACE_MEMBERS = [
  "Ipv6Addresses",
  "AssociateCarrierIpAddress",
  "Ipv4Prefixes",
  "Ipv4PrefixCount",
  "Ipv6Prefixes",
  "Ipv6PrefixCount",
  "PrimaryIpv6",
  "EnaSrdSpecification",
  "ConnectionTrackingSpecification",
  "EnaQueueCount",
] as const satisfies readonly (keyof InstanceNetworkInterfaceSpecification)[];

export const normalizeInterface = (s: InstanceNetworkInterfaceSpecification, n: number): LaunchInterface => {
  for (const m of UNSUPPORTED_INTERFACE_MEMBERS)
    if (s[m] !== undefined) throw err.unsupportedParameter(`NetworkInterface.${n}.${m}`, "RunInstances");
  const ips = splitPrivateIps(s.PrivateIpAddress, s.PrivateIpAddresses);
  return {
    deviceIndex: s.DeviceIndex,
    networkCardIndex: s.NetworkCardIndex ?? 0,
    networkInterfaceId: s.NetworkInterfaceId,
    subnetId: s.SubnetId,
    groupIds: s.Groups,
    associatePublicIp: s.AssociatePublicIpAddress,
    deleteOnTermination: s.DeleteOnTermination,
    description: s.Description,
    primaryIp: ips.primaryIp,
    secondaryIps: ips.secondaryIps,
    secondaryCount: s.SecondaryPrivateIpAddressCount ?? 0,
    ipv6Count: s.Ipv6AddressCount,
    interfaceType: s.InterfaceType ?? "interface",
  };
};

/** One interface of the launch, resolved against stored state. */
interface PlannedInterface {
  readonly spec: LaunchInterface;
  readonly subnet: SubnetRecord;
  readonly existing?: NetworkInterfaceRecord;
  readonly groupIds: readonly string[];
}

const checkGroups = (ctx: ActionContext, ids: readonly string[], subnet: SubnetRecord): string[] => {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    const g = must(ctx.tx, "security-group", id);
    if (g.vpcId !== subnet.vpcId) throw err.sgSubnetMismatch(id, subnet.id);
  }
  if (unique.length > ctx.quotas.securityGroupsPerInterface) throw err.tooManyGroupsPerInterface();
  return unique;
};

const defaultGroupOf = (tx: Tx, vpcId: string): string[] => {
  const g = tx.list("security-group", { vpcId }).find((x) => x.groupName === "default");
  return g ? [g.id] : [];
};

/** Instance-level SecurityGroupId.N and SecurityGroup.N (names, default VPC only). */
const instanceLevelGroups = (ctx: ActionContext, input: RunInstancesRequest, subnet: SubnetRecord): string[] | undefined => {
  const ids = [...(input.SecurityGroupIds ?? [])];
  const names = input.SecurityGroups ?? [];
  if (names.length > 0) {
    const vpc = ctx.tx.get("vpc", subnet.vpcId);
    if (!vpc?.isDefault) throw err.groupNameWithSubnet();
    const groups = ctx.tx.list("security-group", { vpcId: vpc.id });
    for (const name of names) {
      const g = groups.find((x) => x.groupName === name);
      if (!g) throw err.groupNameNotFound(name, vpc.id);
      ids.push(g.id);
    }
  }
  return ids.length > 0 ? ids : undefined;
};

const planInterfaces = (
  ctx: ActionContext,
  input: RunInstancesRequest,
  specs: readonly LaunchInterface[],
  limits: TypeLimits,
  implicit: boolean,
  zone: string | undefined,
): PlannedInterface[] => {
  const { tx } = ctx;
  const seen = new Set<string>();
  const nitro = nitroType(ctx, limits.name);
  const existingEni = (id: string): NetworkInterfaceRecord => {
    const eni = must(tx, "network-interface", id);
    if (eni.status !== "available" || seen.has(id)) throw err.eniInUse(id);
    if (isEfa(eni) && !limits.efaSupported) throw err.efaNotSupported(limits.name);
    // A cold attach obeys the same per-interface address rules as a hot or warm one (spec §4.6, §4.11).
    checkEniFitsType(eni, limits, nitro);
    seen.add(id);
    return eni;
  };
  const primarySpec = specs.find((s) => s.deviceIndex === 0 && s.networkCardIndex === 0)!;
  const primaryExisting = primarySpec.networkInterfaceId ? existingEni(primarySpec.networkInterfaceId) : undefined;
  const primarySubnet = primaryExisting
    ? must(tx, "subnet", primaryExisting.subnetId)
    : primarySpec.subnetId !== undefined
      ? must(tx, "subnet", primarySpec.subnetId)
      : defaultSubnet(ctx, zone);
  if (zone !== undefined && primarySubnet.availabilityZone !== zone)
    throw err.placementZoneMismatch(zone, primarySubnet.id, primarySubnet.availabilityZone);
  return specs.map((spec) => {
    const existing = spec === primarySpec ? primaryExisting : spec.networkInterfaceId ? existingEni(spec.networkInterfaceId) : undefined;
    const subnet = existing
      ? must(tx, "subnet", existing.subnetId)
      : spec.subnetId !== undefined
        ? must(tx, "subnet", spec.subnetId)
        : primarySubnet;
    if (subnet.availabilityZone !== primarySubnet.availabilityZone) throw err.notSameAz();
    if (existing) return { spec, subnet, existing, groupIds: existing.groupIds };
    const requested = implicit ? instanceLevelGroups(ctx, input, subnet) : spec.groupIds;
    const groupIds = requested ? checkGroups(ctx, requested, subnet) : defaultGroupOf(tx, subnet.vpcId);
    return { spec, subnet, groupIds };
  });
};

/** Claims the private addresses of a new ENI: explicit ones first (InvalidIPAddress.InUse), then the lowest free. */
const claimAddresses = (tx: Tx, spec: LaunchInterface, subnet: SubnetRecord, eniId: string): { v4: string[]; v6: string[] } => {
  if (spec.interfaceType === "efa-only") return { v4: [], v6: [] };
  const cidr = subnet.cidrBlock ? parseCidr(subnet.cidrBlock) : undefined;
  if (!cidr || !subnet.cidrBlock) throw err.insufficientAddresses();
  const explicit = [spec.primaryIp, ...spec.secondaryIps]
    .filter((ip): ip is string => ip !== undefined)
    .map((ip) => checkExplicitIpv4(subnet.cidrBlock!, ip, subnet.id));
  for (const ip of explicit) {
    // An address inside another ENI's /28 prefix is in use too.
    const prefix = coveringPrefixOf(ip);
    if ((prefix !== undefined && tx.addressOwner(subnet.id, prefix) !== undefined) || !tx.claimAddress(subnet.id, ip, 4, eniId)) {
      throw err.addressInUse(ip);
    }
  }
  const auto = claimLowestFree(tx, subnet.id, cidr, eniId, (spec.primaryIp === undefined ? 1 : 0) + spec.secondaryCount);
  const v4 = spec.primaryIp === undefined ? [auto[0]!, ...explicit, ...auto.slice(1)] : [...explicit, ...auto];
  const v6Count = spec.ipv6Count ?? (subnet.assignIpv6AddressOnCreation ? 1 : 0);
  if (v6Count === 0) return { v4, v6: [] };
  const block = subnet.ipv6Associations.find((a) => a.state === "associated");
  if (!block) throw err.subnetNoIpv6ForAssign(subnet.id);
  const v6 = claimLowestFree(tx, subnet.id, parseCidr(block.ipv6CidrBlock)!, eniId, v6Count);
  return { v4, v6 };
};

/** Gives the primary ENI of a running instance an Amazon-pool public IPv4 when it is eligible (spec §4.3). */
export const withPublicIp = (ctx: ActionContext, eni: NetworkInterfaceRecord, interfaceCount: number): NetworkInterfaceRecord => {
  const primaryIp = eni.privateIps.find((p) => p.primary)?.address;
  // "You cannot auto-assign a public IP address if you specify more than one network interface" [DOC]; the primary IP
  // may already have one; and an EIP on any of the ENI's private IPs (even a secondary one) means none (spec §4.3).
  if (!eni.associatePublicIp || interfaceCount !== 1 || !primaryIp) return eni;
  if (eni.publicIps.some((p) => p.privateIp === primaryIp || p.allocationId !== undefined)) return eni;
  const avoid = eni.publicIps.map((p) => p.publicIp);
  return {
    ...eni,
    publicIps: [...eni.publicIps, { privateIp: primaryIp, publicIp: freshPublicIp(ctx, avoid), ipOwnerId: "amazon" }],
  };
};

/** The per-instance options of a launch, validated once for all its instances. */
type LaunchOptions = Pick<
  InstanceRecord,
  "userData" | "monitoring" | "cpuCredits" | "metadataOptions" | "rootVolume" | "iamInstanceProfile"
>;

interface LaunchCommon {
  readonly input: RunInstancesRequest;
  readonly options: LaunchOptions;
  readonly image: ImageInfo;
  readonly info: InstanceTypeInfo;
  readonly plan: readonly PlannedInterface[];
  readonly reservationId: string;
  readonly tags: { instance: Tag[]; eni: Tag[]; volume: Tag[] };
  /** Non-root BlockDeviceMappings (issue 15). */
  readonly volumes: readonly LaunchVolume[];
  /** Placement.GroupName: each instance's group and partition (issue 15). */
  readonly placement?: readonly PlacementSlot[] | undefined;
}

const attachInterfaces = (ctx: ActionContext, c: LaunchCommon, instanceId: string): NetworkInterfaceRecord[] =>
  c.plan.map((p) => {
    const attachment = attachmentFor({
      attachmentId: ctx.ids.next("eniAttachment"),
      instanceId,
      instanceOwnerId: ctx.scope.account,
      deviceIndex: p.spec.deviceIndex!,
      networkCardIndex: p.spec.networkCardIndex,
      // Existing ENIs keep DeleteOnTermination=false; ENIs created by the launch default to true (spec §4.5).
      deleteOnTermination: p.existing ? false : (p.spec.deleteOnTermination ?? true),
      now: ctx.now,
    });
    if (p.existing) return { ...p.existing, status: "in-use", attachment, instanceId };
    const id = ctx.ids.next("networkInterface");
    const ips = claimAddresses(ctx.tx, p.spec, p.subnet, id);
    const primary = p.spec.deviceIndex === 0 && p.spec.networkCardIndex === 0;
    return buildNetworkInterface({
      id,
      subnet: p.subnet,
      ownerId: ctx.scope.account,
      requesterId: ctx.principal,
      description: p.spec.description ?? (primary ? "Primary network interface" : ""),
      macAddress: macAddress(ctx.ids.hex(10)),
      interfaceType: p.spec.interfaceType,
      groupIds: p.groupIds,
      privateIps: ips.v4,
      ipv6Addresses: ips.v6,
      associatePublicIp: p.spec.associatePublicIp,
      tags: c.tags.eni,
      attachment,
    });
  });

const launchOne = (ctx: ActionContext, c: LaunchCommon, index: number): InstanceRecord => {
  const instanceId = ctx.ids.next("instance");
  const enis = attachInterfaces(ctx, c, instanceId).map((e, _, all) =>
    e.attachment?.deviceIndex === 0 && e.attachment.networkCardIndex === 0 ? withPublicIp(ctx, e, all.length) : e,
  );
  for (const e of enis) ctx.tx.put(e);
  const primarySubnet = c.plan.find((p) => p.spec.deviceIndex === 0 && p.spec.networkCardIndex === 0)!.subnet;
  const nets = c.info.NetworkInfo;
  const instance: InstanceRecord = {
    kind: "instance",
    id: instanceId,
    tags: c.tags.instance,
    ownerId: ctx.scope.account,
    reservationId: c.reservationId,
    imageId: c.image.imageId,
    instanceType: String(c.info.InstanceType),
    // Stored as running: the next Describe shows what AWS shows seconds later; the response says pending.
    state: "running",
    stateTransitionReason: "",
    launchTime: ctx.now.toISOString(),
    vpcId: primarySubnet.vpcId,
    subnetId: primarySubnet.id,
    availabilityZone: primarySubnet.availabilityZone,
    amiLaunchIndex: index,
    keyName: c.input.KeyName,
    clientToken: c.input.ClientToken,
    architecture: c.image.architecture,
    rootDeviceName: c.image.rootDeviceName,
    rootDeviceType: "ebs",
    platformDetails: c.image.platformDetails,
    ebsOptimized: c.input.EbsOptimized ?? ebsOptimizedByDefault(c.info),
    enaSupport: nets?.EnaSupport !== undefined && nets.EnaSupport !== "unsupported",
    disableApiTermination: c.input.DisableApiTermination ?? false,
    disableApiStop: c.input.DisableApiStop ?? false,
    instanceInitiatedShutdownBehavior: c.input.InstanceInitiatedShutdownBehavior ?? "stop",
    rootVolumeId: ctx.ids.next("volume"),
    ...c.options,
    ...c.placement?.[index],
  };
  ctx.tx.put(instance);
  for (const v of launchVolumeRecords(ctx, c, instance)) ctx.tx.put(v);
  return instance;
};

/** Placement.AvailabilityZone (a zone of the region); the other placement members localvpc does not model are refused. */
const placementZone = (ctx: ActionContext, input: RunInstancesRequest): string | undefined => {
  const p = input.Placement;
  if (p === undefined) return undefined;
  for (const m of UNSUPPORTED_PLACEMENT_MEMBERS) if (p[m] !== undefined) throw err.unsupportedParameter(`Placement.${m}`, "RunInstances");
  // Terraform sends tenancy "default" explicitly; dedicated and host tenancy are not modelled.
  if (p.Tenancy !== undefined && p.Tenancy !== "default")
    throw err.unsupportedParameterValue("Placement.Tenancy", p.Tenancy, "RunInstances");
  const zone = p.AvailabilityZone;
  if (zone === undefined || zone === "") return undefined;
  if (!regionInfo(ctx.scope.region).zones.some((z) => z.zoneName === zone)) throw err.zoneNotFound(zone);
  return zone;
};

export const UNSUPPORTED_PLACEMENT_MEMBERS = [
  "AvailabilityZoneId",
  "Affinity",
  "HostId",
  "SpreadDomain",
  "HostResourceGroupArn",
  "GroupId",
] as const;

/** Ebs members of the root mapping localvpc does not model (snapshot choice, KMS keys, Outposts, initialization rate). */
const UNSUPPORTED_EBS_MEMBERS = [
  "SnapshotId",
  "KmsKeyId",
  "OutpostArn",
  "AvailabilityZone",
  "AvailabilityZoneId",
  "VolumeInitializationRate",
  "EbsCardIndex",
] as const;

/** BlockDeviceMapping.N of the AMI's root device: its Ebs size/type/performance/encryption/deletion. */
const rootVolumeOf = (input: RunInstancesRequest, image: ImageInfo): RootVolumeOptions | undefined => {
  const mappings = input.BlockDeviceMappings ?? [];
  if (mappings.length === 0) return undefined;
  let root: RootVolumeOptions | undefined;
  for (const [n, m] of mappings.entries()) {
    const device = m.DeviceName ?? "";
    if (m.NoDevice !== undefined) throw err.unsupportedParameter(`BlockDeviceMapping.${n + 1}.NoDevice`, "RunInstances");
    if (m.VirtualName !== undefined) throw err.unsupportedParameter(`BlockDeviceMapping.${n + 1}.VirtualName`, "RunInstances");
    // Other devices are new EBS volumes (launchVolumesOf).
    if (device !== image.rootDeviceName) continue;
    if (root !== undefined) throw err.duplicateBlockDevice(device);
    const ebs = m.Ebs ?? {};
    for (const k of UNSUPPORTED_EBS_MEMBERS)
      if (ebs[k] !== undefined) throw err.unsupportedParameter(`BlockDeviceMapping.${n + 1}.Ebs.${k}`, "RunInstances");
    root = launchRootVolume(
      {
        volumeSize: ebs.VolumeSize,
        volumeType: ebs.VolumeType,
        iops: ebs.Iops,
        throughput: ebs.Throughput,
        encrypted: ebs.Encrypted,
        deleteOnTermination: ebs.DeleteOnTermination,
      },
      {
        size: image.rootVolumeSize ?? imageRootSize(image.platformDetails),
        snapshotId: image.rootSnapshotId ?? snapshotOfImage(image.imageId),
      },
    );
  }
  return root;
};

/** A non-root BlockDeviceMapping.N: a new EBS volume attached at launch (issue 15). */
export interface LaunchVolume {
  readonly device: string;
  readonly spec: VolumeSpec;
  readonly encrypted: boolean;
  readonly deleteOnTermination: boolean;
  readonly snapshotId?: string | undefined;
}

/** Ebs members of a non-root mapping localvpc does not model (KMS keys, Outposts, initialization rate, EBS cards). */
const UNSUPPORTED_EXTRA_EBS_MEMBERS = UNSUPPORTED_EBS_MEMBERS.filter((m) => m !== "SnapshotId");

/**
 * The launch's non-root mappings: valid, distinct device names for the image's platform, each a volume spec with
 * CreateVolume's rules (gp2 by default unless the snapshot says more). DeleteOnTermination defaults to true for
 * volumes created at launch, as the console and Terraform's ebs_block_device show. unverified for the API default.
 */
const launchVolumesOf = (ctx: ActionContext, input: RunInstancesRequest, image: ImageInfo): LaunchVolume[] => {
  const seen = new Set<string>();
  const out: LaunchVolume[] = [];
  for (const [n, m] of (input.BlockDeviceMappings ?? []).entries()) {
    const device = m.DeviceName ?? "";
    if (seen.has(device)) throw err.duplicateBlockDevice(device);
    seen.add(device);
    if (device === image.rootDeviceName) continue;
    checkDeviceName(device, image.platformDetails === "Windows" ? "windows" : "linux");
    const ebs = m.Ebs ?? {};
    for (const k of UNSUPPORTED_EXTRA_EBS_MEMBERS)
      if (ebs[k] !== undefined) throw err.unsupportedParameter(`BlockDeviceMapping.${n + 1}.Ebs.${k}`, "RunInstances");
    const snapshot = ebs.SnapshotId === undefined ? undefined : snapshotSource(ctx, ebs.SnapshotId);
    const spec = newVolumeSpec(
      { size: ebs.VolumeSize, volumeType: ebs.VolumeType, iops: ebs.Iops, throughput: ebs.Throughput },
      snapshot,
      "gp2",
    );
    out.push({
      device,
      spec,
      encrypted: (ebs.Encrypted ?? false) || (snapshot?.encrypted ?? false),
      deleteOnTermination: ebs.DeleteOnTermination ?? true,
      snapshotId: snapshot?.id,
    });
  }
  return out;
};

/** The volumes an instance launches with: its root (from the image's root device) and the launch's other mappings. */
const launchVolumeRecords = (ctx: ActionContext, c: LaunchCommon, instance: InstanceRecord): VolumeRecord[] => {
  const root = instance.rootVolume;
  const base = {
    kind: "volume" as const,
    tags: c.tags.volume,
    ownerId: ctx.scope.account,
    availabilityZone: instance.availabilityZone,
    multiAttachEnabled: false,
    state: "in-use" as const,
    createTime: ctx.now.toISOString(),
    instanceId: instance.id,
  };
  const attach = (device: string, deleteOnTermination: boolean): VolumeRecord["attachment"] => ({
    instanceId: instance.id,
    device,
    state: "attached",
    attachTime: ctx.now.toISOString(),
    deleteOnTermination,
  });
  return [
    {
      ...base,
      id: instance.rootVolumeId,
      size: root?.size ?? imageRootSize(instance.platformDetails),
      volumeType: root?.volumeType ?? "gp3",
      iops: root ? root.iops : 3000,
      throughput: root ? root.throughput : 125,
      encrypted: root?.encrypted ?? false,
      snapshotId: snapshotOfImage(instance.imageId),
      attachment: attach(instance.rootDeviceName, root?.deleteOnTermination ?? true),
    },
    ...c.volumes.map((v) => ({
      ...base,
      id: ctx.ids.next("volume"),
      size: v.spec.size,
      volumeType: v.spec.volumeType,
      iops: v.spec.iops,
      throughput: v.spec.throughput,
      encrypted: v.encrypted,
      snapshotId: v.snapshotId,
      attachment: attach(v.device, v.deleteOnTermination),
    })),
  ];
};

/**
 * IamInstanceProfile: localvpc has no IAM, so any well-formed profile is accepted. Its Id is a property of the
 * profile: reused from another instance of the account with the same ARN, else a new AIPA… id.
 */
const iamProfileOf = (ctx: ActionContext, input: RunInstancesRequest): InstanceRecord["iamInstanceProfile"] => {
  const ref = input.IamInstanceProfile ? instanceProfileRef(input.IamInstanceProfile, ctx.scope.account) : undefined;
  if (!ref) return undefined;
  const known = ctx.tx.list("instance").find((i) => i.iamInstanceProfile?.arn === ref.arn)?.iamInstanceProfile;
  return known ?? { arn: ref.arn, id: `AIPA${ctx.ids.hex(17).toUpperCase()}` };
};

const launchOptions = (ctx: ActionContext, input: RunInstancesRequest, image: ImageInfo, type: string): LaunchOptions => {
  const md = input.MetadataOptions;
  return {
    userData: input.UserData === undefined || input.UserData === "" ? undefined : userDataFromBase64(input.UserData),
    monitoring: input.Monitoring?.Enabled ?? false,
    cpuCredits: launchCredits(type, input.CreditSpecification?.CpuCredits),
    metadataOptions: launchMetadataOptions(
      md && {
        httpTokens: md.HttpTokens,
        httpEndpoint: md.HttpEndpoint,
        httpPutResponseHopLimit: md.HttpPutResponseHopLimit,
        httpProtocolIpv6: md.HttpProtocolIpv6,
        instanceMetadataTags: md.InstanceMetadataTags,
      },
    ),
    rootVolume: rootVolumeOf(input, image),
    iamInstanceProfile: iamProfileOf(ctx, input),
  };
};

/** How many instances to launch: MaxCount if the quota allows, at least MinCount, else InstanceLimitExceeded. */
const launchCount = (ctx: ActionContext, min: number, max: number): number => {
  // Counters, not a listing: the kind's count less the terminated ones (keyed `terminated` by the store).
  const active = ctx.tx.count("instance") - ctx.tx.countKey("instance", "terminated");
  const room = ctx.quotas.instancesPerRegion - active;
  if (room < min) throw err.instanceLimitExceeded(min);
  return Math.min(max, room);
};

/** `systemTags`: the aws:* tags AWS adds to the instances (a launch template's, issue 15). */
export const runInstances = (ctx: ActionContext, input: RunInstancesRequest, systemTags: readonly Tag[] = []): Reservation => {
  const image = resolveImage(ctx, input.ImageId);
  const info = resolveType(ctx, input.InstanceType ?? defaultInstanceType(ctx));
  const limits = typeLimits(info);
  // An i386 image (RegisterImage's default architecture) runs on x86_64 types. (issue 15)
  const imageArch = image.architecture === "i386" ? "x86_64" : image.architecture;
  if (limits.architecture !== imageArch) throw err.archMismatch(limits.architecture, image.architecture);
  // Terraform sends HibernationOptions {Configured: false} on every create; hibernation itself is not emulated.
  if (input.HibernationOptions?.Configured === true)
    throw err.unsupportedParameterValue("HibernationOptions.Configured", "true", "RunInstances");
  // KeyName must name one of the account's key pairs in the Region (issue 15).
  if (input.KeyName !== undefined && !keyPairByName(ctx, input.KeyName)) {
    throw err.keyPairNotFound(input.KeyName);
  }
  validateCounts(input.MinCount, input.MaxCount);
  const level: InstanceLevelNetwork = {
    subnetId: input.SubnetId,
    groups: (input.SecurityGroupIds?.length ?? 0) + (input.SecurityGroups?.length ?? 0) > 0,
    privateIp: input.PrivateIpAddress,
    ipv6Count: input.Ipv6AddressCount,
  };
  const specs = (input.NetworkInterfaces ?? []).map((s, i) => normalizeInterface(s, i + 1));
  validateLaunchInterfaces(specs, limits, level, input.MaxCount);
  const tags = {
    instance: [...tagsFromSpecs(input.TagSpecifications, "instance", ctx, ["network-interface", "volume"]), ...systemTags],
    eni: tagsFromSpecs(input.TagSpecifications, "network-interface", ctx, ["instance", "volume"]),
    volume: tagsFromSpecs(input.TagSpecifications, "volume", ctx, ["instance", "network-interface"]),
  };
  const zone = placementZone(ctx, input);
  const options = launchOptions(ctx, input, image, limits.name);
  const implicit = specs.length === 0;
  const plan = planInterfaces(ctx, input, implicit ? [implicitPrimary(level)] : specs, limits, implicit, zone);
  // The subnet's zone must offer the type (AWS's Unsupported, naming the zones that do).
  checkTypeOffered(ctx.catalog.offerings(ctx.scope.region), limits.name, plan[0]!.subnet.availabilityZone);
  const count = launchCount(ctx, input.MinCount, input.MaxCount);
  const volumes = launchVolumesOf(ctx, input, image);
  const limit = ebsLimit(info);
  // The root volume, the launch's other volumes and, on a shared limit, the interfaces must fit the type [DOC volume_limits].
  if (1 + volumes.length + sharedInterfaces(limit, plan.length) > limit.max) throw err.volumeAttachmentLimit(limits.name, limit.max);
  // Placement.GroupName: the group must exist and take `count` more instances in the launch's zone (issue 15).
  const placement = placementSlots(ctx.tx, input.Placement, plan[0]!.subnet.availabilityZone, count);
  const common: LaunchCommon = { input, options, image, info, plan, reservationId: ctx.ids.next("reservation"), tags, volumes, placement };
  const instances = Array.from({ length: count }, (_, i) => launchOne(ctx, common, i));
  const l = viewLookups(ctx.tx, ctx.catalog.instanceTypes);
  return {
    ReservationId: common.reservationId,
    OwnerId: ctx.scope.account,
    Groups: [],
    Instances: instances.map((i) => ({ ...instanceView(i, ctx.scope.region, l), State: stateView("pending") })),
  };
};
