/**
 * Instance rules (spec §2 group A, §2.A.1, §4.14, §6): the state machine of Start/Stop/Terminate, RunInstances
 * launch validation (counts, NetworkInterface.N, instance-type limits) and facts derived from an instance type's
 * name. Pure: instance-type limits arrive as `TypeLimits`, built by the caller from the catalogue.
 */
import { err } from "./errors.js";
import {
  INSTANCE_STATE_CODE,
  type EbsVolumeType,
  type InstanceMetadataOptions,
  type InstanceRecord,
  type InstanceStateName,
  type RootVolumeOptions,
} from "./types.js";

// ---------------------------------------------------------------------------------------------------------------
// State machine
// ---------------------------------------------------------------------------------------------------------------

export type InstanceAction = "start" | "stop" | "terminate";

export interface StateChange {
  /** What localvpc stores: the state AWS reaches "shortly after" the call (see `transition`). */
  readonly stored: InstanceStateName;
  /** What the Start/Stop/Terminate response reports as currentState. */
  readonly current: InstanceStateName;
  readonly previous: InstanceStateName;
  /** False when the call is a no-op (already in the target state), which AWS answers without error. */
  readonly changed: boolean;
}

const ACTION_PAST: Record<InstanceAction, string> = { start: "started", stop: "stopped", terminate: "terminated" };

/**
 * AWS moves instances through transient states (pending, stopping, shutting-down) within seconds to minutes.
 * localvpc makes this deterministic: the transient state is what the call answers, and the record is stored in
 * the final state, so the next Describe already shows running / stopped / terminated. Only final states are ever
 * stored, so the transient ones never need to be rejected here.
 */
export const transition = (id: string, state: InstanceStateName, action: InstanceAction): StateChange => {
  const same = (s: InstanceStateName): StateChange => ({ stored: s, current: s, previous: s, changed: false });
  switch (action) {
    case "start":
      if (state === "running" || state === "pending") return same("running");
      if (state === "stopped") return { stored: "running", current: "pending", previous: state, changed: true };
      throw err.instanceStateFor(id, ACTION_PAST[action]);
    case "stop":
      if (state === "stopped" || state === "stopping") return same("stopped");
      if (state === "running" || state === "pending") return { stored: "stopped", current: "stopping", previous: state, changed: true };
      throw err.instanceStateFor(id, ACTION_PAST[action]);
    case "terminate":
      // Terminating a terminated instance succeeds and changes nothing, as in AWS.
      if (state === "terminated") return same("terminated");
      return { stored: "terminated", current: "shutting-down", previous: state, changed: true };
  }
};

export const stateView = (name: InstanceStateName): { Code: number; Name: InstanceStateName } => ({
  Code: INSTANCE_STATE_CODE[name],
  Name: name,
});

/** AWS's "User initiated (YYYY-MM-DD HH:MM:SS GMT)" transition reason. */
export const userInitiatedReason = (now: Date): string => `User initiated (${now.toISOString().slice(0, 19).replace("T", " ")} GMT)`;

/** The record after a user-initiated stop or terminate (stateReason as AWS shows it). */
export const afterUserShutdown = (i: InstanceRecord, stored: InstanceStateName, now: Date): InstanceRecord => ({
  ...i,
  state: stored,
  stateTransitionReason: userInitiatedReason(now),
  stateReason: { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" },
});

// ---------------------------------------------------------------------------------------------------------------
// Instance-type facts
// ---------------------------------------------------------------------------------------------------------------

/** The network limits of an instance type (catalogue NetworkInfo, spec §6). */
export interface TypeLimits {
  readonly name: string;
  readonly maxInterfaces: number;
  readonly maxCards: number;
  /** Per network card: how many interfaces it takes. */
  readonly cards: readonly { readonly index: number; readonly maxInterfaces: number }[];
  readonly ipv4PerInterface: number;
  readonly ipv6PerInterface: number;
  readonly ipv6Supported: boolean;
  readonly efaSupported: boolean;
  readonly maxEfaInterfaces: number;
  readonly architecture: string;
}

/**
 * The CPU architecture of an instance type. The catalogue (a NetworkInfo dump) has no ProcessorInfo, so it is
 * derived from the name: Graviton families carry a `g` after the generation digit (t4g, m6gd, c7gn, im4gn,
 * is4gen, g5g, p6e-gb200), a1 is Graviton 1, mac1 is Intel and later macs are Apple silicon.
 */
export const architectureOfType = (type: string): "x86_64" | "arm64" | "x86_64_mac" | "arm64_mac" => {
  const family = type.split(".")[0] ?? "";
  if (family === "mac1") return "x86_64_mac";
  if (family.startsWith("mac")) return "arm64_mac";
  if (family === "a1") return "arm64";
  const m = /^[a-z]+\d+([a-z-]*)/.exec(family);
  return m && m[1]!.includes("g") ? "arm64" : "x86_64";
};

/** Burstable performance (T) families: t1 has no credits; t2 launches `standard`, t3/t3a/t4g `unlimited`. */
export const isBurstable = (type: string): boolean => /^t[2-9][a-z]*\./.test(type);
export const defaultCreditOption = (type: string): "standard" | "unlimited" | undefined =>
  isBurstable(type) ? (type.startsWith("t2.") ? "standard" : "unlimited") : undefined;

/** The credit option an instance reports: the one chosen at launch, else its type family's default (none if not T). */
export const creditOptionOf = (i: InstanceRecord): "standard" | "unlimited" | undefined =>
  isBurstable(i.instanceType) ? (i.cpuCredits ?? defaultCreditOption(i.instanceType)) : undefined;

/** The default network card's interface limit, or 0 for a card the type does not have. */
const cardMax = (limits: TypeLimits, card: number): number => limits.cards.find((c) => c.index === card)?.maxInterfaces ?? 0;

// ---------------------------------------------------------------------------------------------------------------
// RunInstances validation
// ---------------------------------------------------------------------------------------------------------------

export const validateCounts = (minCount: number, maxCount: number): void => {
  if (minCount < 1) throw err.countTooSmall("MinCount", minCount);
  if (maxCount < 1) throw err.countTooSmall("MaxCount", maxCount);
  if (minCount > maxCount) throw err.minCountAboveMax();
};

/** One `NetworkInterface.N` (or the implicit primary interface of instance-level parameters), normalised. */
export interface LaunchInterface {
  readonly deviceIndex?: number | undefined;
  readonly networkCardIndex: number;
  readonly networkInterfaceId?: string | undefined;
  readonly subnetId?: string | undefined;
  readonly groupIds?: readonly string[] | undefined;
  readonly associatePublicIp?: boolean | undefined;
  readonly deleteOnTermination?: boolean | undefined;
  readonly description?: string | undefined;
  /** The primary private IPv4, if given (PrivateIpAddress or the PrivateIpAddresses item marked Primary). */
  readonly primaryIp?: string | undefined;
  readonly secondaryIps: readonly string[];
  readonly secondaryCount: number;
  readonly ipv6Count?: number | undefined;
  readonly interfaceType: string;
}

export interface InstanceLevelNetwork {
  readonly subnetId?: string | undefined;
  readonly groups: boolean;
  readonly privateIp?: string | undefined;
  readonly ipv6Count?: number | undefined;
}

/** Primary + secondaries from `PrivateIpAddress` and `PrivateIpAddresses.M` (one primary at most). */
export const splitPrivateIps = (
  privateIp: string | undefined,
  list: readonly { PrivateIpAddress?: string | undefined; Primary?: boolean | undefined }[] | undefined,
): { primaryIp?: string | undefined; secondaryIps: string[] } => {
  const items = (list ?? []).filter((x) => x.PrivateIpAddress !== undefined);
  const primaries = items.filter((x) => x.Primary === true).map((x) => x.PrivateIpAddress!);
  if (primaries.length > 1) throw err.multiplePrimaryIps();
  if (privateIp !== undefined && primaries.length === 1 && primaries[0] !== privateIp) throw err.multiplePrimaryIps();
  const primaryIp = privateIp ?? primaries[0];
  const rest = items.filter((x) => x.Primary !== true).map((x) => x.PrivateIpAddress!);
  // Without a primary flag the first listed address is the primary one.
  if (primaryIp === undefined && rest.length > 0) return { primaryIp: rest[0], secondaryIps: rest.slice(1) };
  return { primaryIp, secondaryIps: rest.filter((ip) => ip !== primaryIp) };
};

const INTERFACE_TYPES = ["interface", "efa", "efa-only"];

/**
 * The structural rules of spec §2.A.1 for `NetworkInterface.N`, in AWS's order of checking as far as it is known:
 * instance-level combinations, device indexes, device 0, public IP, counts against the type, card/device slots,
 * EFA, per-interface IP limits. Rules that need stored state (existing ENI status/AZ, addresses in use) are the
 * caller's.
 */
export const validateLaunchInterfaces = (
  specs: readonly LaunchInterface[],
  limits: TypeLimits,
  instanceLevel: InstanceLevelNetwork,
  instanceCount: number,
): void => {
  if (specs.length > 0) {
    if (instanceLevel.subnetId !== undefined) throw err.interfacesWithSubnet();
    if (instanceLevel.groups) throw err.interfacesWithGroups();
    if (instanceLevel.privateIp !== undefined) throw err.interfacesWithPrivateIp();
    if (instanceLevel.ipv6Count !== undefined) throw err.interfacesWithIpv6();
  }
  for (const s of specs) if (s.deviceIndex === undefined) throw err.deviceIndexRequired();
  if (specs.length > 0 && !specs.some((s) => s.deviceIndex === 0 && s.networkCardIndex === 0)) throw err.deviceZeroRequired();
  if (specs.length > 1 && specs.some((s) => s.associatePublicIp !== undefined)) throw err.associatePublicIpMultiple();
  checkInterfaceCounts(specs, limits);
  const slots = new Set<string>();
  for (const s of specs) {
    const device = s.deviceIndex!;
    if (s.networkCardIndex < 0 || s.networkCardIndex >= limits.maxCards) throw err.networkCardIndexInvalid(s.networkCardIndex, limits.name);
    const max = cardMax(limits, s.networkCardIndex);
    if (device < 0 || device >= max) throw err.deviceIndexExceedsCard(device, s.networkCardIndex, max);
    const slot = `${s.networkCardIndex}/${device}`;
    if (slots.has(slot)) throw err.duplicateDeviceIndex(device);
    slots.add(slot);
  }
  checkEfa(specs, limits);
  for (const s of specs) checkInterfaceSpec(s, limits, instanceCount);
  if (specs.length === 0) {
    if (instanceLevel.privateIp !== undefined && instanceCount > 1) throw err.explicitIpMultipleInstances();
    checkIpv6(instanceLevel.ipv6Count ?? 0, limits);
  }
};

/** "Interface count N exceeds the limit for <type>": total and per network card. */
const checkInterfaceCounts = (specs: readonly LaunchInterface[], limits: TypeLimits): void => {
  if (specs.length > limits.maxInterfaces) throw err.attachmentLimitExceeded(specs.length, limits.name);
  const perCard = new Map<number, number>();
  for (const s of specs) perCard.set(s.networkCardIndex, (perCard.get(s.networkCardIndex) ?? 0) + 1);
  for (const [card, n] of perCard) {
    const max = cardMax(limits, card);
    if (max > 0 && n > max) throw err.attachmentLimitExceeded(n, limits.name);
  }
};

const checkEfa = (specs: readonly LaunchInterface[], limits: TypeLimits): void => {
  for (const s of specs) if (!INTERFACE_TYPES.includes(s.interfaceType)) throw err.invalidInterfaceType(s.interfaceType);
  const efa = specs.filter((s) => s.interfaceType !== "interface");
  if (efa.length === 0) return;
  if (!limits.efaSupported) throw err.efaNotSupported(limits.name);
  // At most one EFA per network card, and no more than the type's EFA count (spec §4.6, [DOC efa.md]).
  const cards = new Set(efa.map((s) => s.networkCardIndex));
  if (cards.size < efa.length || efa.length > limits.maxEfaInterfaces) throw err.efaLimitExceeded(limits.name);
};

const checkInterfaceSpec = (s: LaunchInterface, limits: TypeLimits, instanceCount: number): void => {
  if (s.networkInterfaceId !== undefined) {
    if (instanceCount > 1) throw err.existingInterfaceMultipleInstances();
    if (s.associatePublicIp !== undefined) throw err.associatePublicIpExistingInterface();
    if (s.deleteOnTermination === true) throw err.deleteOnTerminationExisting();
    const extra: [string, boolean][] = [
      ["subnetId", s.subnetId !== undefined],
      ["securityGroupId", s.groupIds !== undefined],
      ["privateIpAddress", s.primaryIp !== undefined || s.secondaryIps.length > 0],
      ["secondaryPrivateIpAddressCount", s.secondaryCount > 0],
      ["ipv6AddressCount", s.ipv6Count !== undefined],
      ["description", s.description !== undefined],
    ];
    const found = extra.find(([, present]) => present);
    if (found) throw err.existingInterfaceWith(found[0]);
    return;
  }
  if ((s.primaryIp !== undefined || s.secondaryIps.length > 0) && instanceCount > 1) throw err.explicitIpMultipleInstances();
  if (s.secondaryCount > 0 && s.secondaryIps.length > 0) throw err.secondaryCountWithAddresses();
  if (s.interfaceType === "efa-only") {
    if (s.deviceIndex === 0 && s.networkCardIndex === 0) throw err.efaOnlyPrimary();
    if (s.primaryIp !== undefined || s.secondaryIps.length > 0 || s.secondaryCount > 0 || (s.ipv6Count ?? 0) > 0)
      throw err.efaOnlyWithAddresses();
    return;
  }
  if (1 + s.secondaryIps.length + s.secondaryCount > limits.ipv4PerInterface) throw err.interfaceIpLimit();
  checkIpv6(s.ipv6Count ?? 0, limits);
};

const checkIpv6 = (count: number, limits: TypeLimits): void => {
  if (count <= 0) return;
  if (!limits.ipv6Supported) throw err.ipv6NotSupportedByType(limits.name);
  if (count > limits.ipv6PerInterface) throw err.interfaceIpLimit();
};

/** The implicit primary interface AWS creates from instance-level parameters (no NetworkInterface.N). */
export const implicitPrimary = (l: InstanceLevelNetwork): LaunchInterface => ({
  deviceIndex: 0,
  networkCardIndex: 0,
  subnetId: l.subnetId,
  primaryIp: l.privateIp,
  secondaryIps: [],
  secondaryCount: 0,
  ipv6Count: l.ipv6Count,
  interfaceType: "interface",
});

// ---------------------------------------------------------------------------------------------------------------
// RunInstances launch options
// ---------------------------------------------------------------------------------------------------------------

/** AWS limits user data to 16 KB of raw bytes, before base64 encoding [DOC user-data]. */
export const USER_DATA_MAX_BYTES = 16384;

/**
 * Validates base64 user data and returns it canonical (whitespace removed, padding restored). Line breaks are
 * tolerated because `base64` tools wrap at 76 columns; any other non-alphabet character is malformed.
 */
export const userDataFromBase64 = (text: string): string => {
  const body = text.replace(/\s+/g, "").replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) throw err.userDataNotBase64();
  if (Math.floor((body.length * 3) / 4) > USER_DATA_MAX_BYTES) throw err.userDataTooLarge();
  return body + "=".repeat((4 - (body.length % 4)) % 4);
};

/** CreditSpecification.CpuCredits: standard | unlimited, and only for burstable (T2 and later) types. */
export const launchCredits = (type: string, value: string | undefined): "standard" | "unlimited" | undefined => {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v !== "standard" && v !== "unlimited") throw err.invalidEnum("CreditSpecification.CpuCredits", value, ["standard", "unlimited"]);
  if (!isBurstable(type)) throw err.creditsNotSupported(type);
  return v;
};

/** MetadataOptions at launch: enums come typed from the model, the hop limit is checked against AWS's 1–64. */
export const launchMetadataOptions = (m: InstanceMetadataOptions | undefined): InstanceMetadataOptions | undefined => {
  if (m === undefined) return undefined;
  const hop = m.httpPutResponseHopLimit;
  if (hop !== undefined && (hop < 1 || hop > 64)) throw err.hopLimitOutOfRange(hop);
  const check = <T extends string>(name: string, v: T | undefined, allowed: readonly T[]): void => {
    if (v !== undefined && !allowed.includes(v)) throw err.invalidEnum(name, v, allowed);
  };
  check("MetadataOptions.HttpTokens", m.httpTokens, ["optional", "required"]);
  check("MetadataOptions.HttpEndpoint", m.httpEndpoint, ["enabled", "disabled"]);
  check("MetadataOptions.HttpProtocolIpv6", m.httpProtocolIpv6, ["enabled", "disabled"]);
  check("MetadataOptions.InstanceMetadataTags", m.instanceMetadataTags, ["enabled", "disabled"]);
  return m;
};

const VOLUME_TYPES: readonly EbsVolumeType[] = ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"];
/** Maximum sizes in GiB [DOC ebs-volume-types]: magnetic 1 TiB, io2 Block Express 64 TiB, the rest 16 TiB. */
const VOLUME_MAX_GIB: Readonly<Record<EbsVolumeType, number>> = {
  standard: 1024,
  io1: 16384,
  io2: 65536,
  gp2: 16384,
  sc1: 16384,
  st1: 16384,
  gp3: 16384,
};

/** The root device's Ebs overrides of a launch, before the rules. */
export interface RootEbsRequest {
  readonly volumeSize?: number | undefined;
  readonly volumeType?: string | undefined;
  readonly iops?: number | undefined;
  readonly throughput?: number | undefined;
  readonly encrypted?: boolean | undefined;
  readonly deleteOnTermination?: boolean | undefined;
}

/**
 * The root volume a launch asks for: the image's snapshot size is the minimum, unspecified members inherit the
 * image's mapping (gp3, unencrypted, deleted on termination). Iops only on provisioned/gp3 types (required on io1/io2),
 * throughput only on gp3; gp3 defaults to its baseline 3000 IOPS / 125 MiB/s, gp2 to 3 IOPS per GiB (100–16000).
 */
export const launchRootVolume = (r: RootEbsRequest, image: { readonly size: number; readonly snapshotId: string }): RootVolumeOptions => {
  const volumeType = (r.volumeType ?? "gp3") as EbsVolumeType;
  if (!VOLUME_TYPES.includes(volumeType)) throw err.invalidEnum("BlockDeviceMapping.Ebs.VolumeType", String(r.volumeType), VOLUME_TYPES);
  const size = r.volumeSize ?? image.size;
  if (size < image.size) throw err.rootVolumeTooSmall(size, image.snapshotId, image.size);
  if (size > VOLUME_MAX_GIB[volumeType]) throw err.volumeTooLarge(size, volumeType, VOLUME_MAX_GIB[volumeType]);
  const provisioned = volumeType === "io1" || volumeType === "io2";
  if (r.iops !== undefined && !provisioned && volumeType !== "gp3") throw err.iopsNotSupported(volumeType);
  if (r.iops === undefined && provisioned) throw err.iopsRequired(volumeType);
  if (r.throughput !== undefined && volumeType !== "gp3") throw err.throughputNotSupported(volumeType);
  const iops = volumeType === "gp3" ? (r.iops ?? 3000) : volumeType === "gp2" ? Math.min(16000, Math.max(100, 3 * size)) : r.iops;
  return {
    size,
    volumeType,
    iops,
    throughput: volumeType === "gp3" ? (r.throughput ?? 125) : undefined,
    encrypted: r.encrypted ?? false,
    deleteOnTermination: r.deleteOnTermination ?? true,
  };
};

/** IamInstanceProfile by Arn or Name: the profile's name and ARN (path kept from an ARN; a bare name has none). */
export const instanceProfileRef = (
  spec: { Arn?: string | undefined; Name?: string | undefined },
  account: string,
): { arn: string; name: string } | undefined => {
  if (spec.Arn === undefined)
    return spec.Name === undefined ? undefined : { name: spec.Name, arn: `arn:aws:iam::${account}:instance-profile/${spec.Name}` };
  const m = /^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(spec.Arn);
  if (!m) throw err.invalidInstanceProfileArn(spec.Arn);
  if (spec.Name !== undefined && spec.Name !== m[1]) throw err.instanceProfileArnNameMismatch();
  return { name: m[1]!, arn: spec.Arn };
};
