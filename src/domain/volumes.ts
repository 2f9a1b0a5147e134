/**
 * EBS volume and snapshot rules (issue 15): volume type limits (size, IOPS, throughput), device names, attach/detach,
 * modification, and the transient attaching/detaching and pending states on the simulated clock (the same mechanism as
 * ENIs: a `settlesAt` time resolved when read). Pure: `now`, ids and the instance type's attachment limit are passed in.
 */
import { err } from "./errors.js";
import { settlesAt } from "./eni-attachment.js";
import type { EbsVolumeType, InstanceRecord, SnapshotRecord, VolumeAttachmentState, VolumeRecord } from "./types.js";

export const VOLUME_TYPES: readonly EbsVolumeType[] = ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"];

/**
 * Per type [DOC ebs-volume-types; the IOPS ranges are the model's documentation of CreateVolume Iops]: size in GiB,
 * provisioned IOPS (min, max, max per GiB) and gp3 throughput in MiB/s.
 */
interface TypeRules {
  readonly minGib: number;
  readonly maxGib: number;
  readonly iops?: {
    readonly min: number;
    readonly max: number;
    readonly perGib: number;
    readonly required: boolean;
    readonly default?: number;
  };
  readonly throughput?: { readonly min: number; readonly max: number; readonly perIops: number; readonly default: number };
}
export const VOLUME_RULES: Readonly<Record<EbsVolumeType, TypeRules>> = {
  standard: { minGib: 1, maxGib: 1024 },
  gp2: { minGib: 1, maxGib: 16384 },
  gp3: {
    minGib: 1,
    maxGib: 16384,
    iops: { min: 3000, max: 16000, perGib: 500, required: false, default: 3000 },
    throughput: { min: 125, max: 1000, perIops: 0.25, default: 125 },
  },
  io1: { minGib: 4, maxGib: 16384, iops: { min: 100, max: 64000, perGib: 50, required: true } },
  io2: { minGib: 4, maxGib: 65536, iops: { min: 100, max: 256000, perGib: 1000, required: true } },
  st1: { minGib: 125, maxGib: 16384 },
  sc1: { minGib: 125, maxGib: 16384 },
};

/** What a volume is made of: the members CreateVolume, ModifyVolume and a launch mapping choose. */
export interface VolumeSpec {
  readonly size: number;
  readonly volumeType: EbsVolumeType;
  readonly iops?: number | undefined;
  readonly throughput?: number | undefined;
}

export interface VolumeRequest {
  readonly size?: number | undefined;
  readonly volumeType?: string | undefined;
  readonly iops?: number | undefined;
  readonly throughput?: number | undefined;
}

export const parseVolumeType = (name: string, value: string | undefined, fallback: EbsVolumeType): EbsVolumeType => {
  const t = (value ?? fallback) as EbsVolumeType;
  if (!VOLUME_TYPES.includes(t)) throw err.invalidEnum(name, String(value), VOLUME_TYPES);
  return t;
};

/** gp2's baseline: 3 IOPS per GiB, at least 100 and at most 16,000 (the IOPS DescribeVolumes reports for it). */
const gp2Iops = (size: number): number => Math.min(16000, Math.max(100, 3 * size));

/** Which members a type takes (IOPS only on gp3/io1/io2 and required on io1/io2, throughput only on gp3). */
export const checkMembersForType = (t: EbsVolumeType, iops: number | undefined, throughput: number | undefined): void => {
  const rules = VOLUME_RULES[t];
  if (iops !== undefined && !rules.iops) throw err.iopsNotSupported(t);
  if (iops === undefined && rules.iops?.required) throw err.iopsRequired(t);
  if (throughput !== undefined && !rules.throughput) throw err.throughputNotSupported(t);
};

/** Size, IOPS and throughput of a complete spec against its type's ranges and ratios; returns it with defaults filled. */
export const checkVolumeSpec = (s: VolumeSpec): VolumeSpec => {
  const rules = VOLUME_RULES[s.volumeType];
  if (s.size < rules.minGib) throw err.volumeTooSmall(s.size, s.volumeType, rules.minGib);
  if (s.size > rules.maxGib) throw err.volumeTooLarge(s.size, s.volumeType, rules.maxGib);
  if (!rules.iops) return { size: s.size, volumeType: s.volumeType, iops: s.volumeType === "gp2" ? gp2Iops(s.size) : undefined };
  const iops = s.iops ?? rules.iops.default ?? rules.iops.min;
  if (iops < rules.iops.min) throw err.iopsTooLow(iops, rules.iops.min);
  if (iops > rules.iops.max) throw err.iopsTooHigh(iops, rules.iops.max);
  if (s.iops !== undefined && iops > rules.iops.min && iops / s.size > rules.iops.perGib)
    throw err.iopsRatioTooHigh(iops / s.size, rules.iops.perGib);
  if (!rules.throughput) return { size: s.size, volumeType: s.volumeType, iops };
  const throughput = s.throughput ?? rules.throughput.default;
  if (throughput < rules.throughput.min) throw err.throughputTooLow(throughput, rules.throughput.min);
  if (throughput > rules.throughput.max) throw err.throughputTooHigh(throughput, rules.throughput.max);
  if (throughput > rules.throughput.default && throughput / iops > rules.throughput.perIops)
    throw err.throughputRatioTooHigh(throughput / iops, rules.throughput.perIops);
  return { size: s.size, volumeType: s.volumeType, iops, throughput };
};

/**
 * CreateVolume's (and a launch mapping's) spec: Size or a snapshot is required; from a snapshot the size defaults to the
 * snapshot's and may not be smaller. Type defaults to gp2 for CreateVolume (AWS's documented default).
 */
export const newVolumeSpec = (
  r: VolumeRequest,
  snapshot: { id: string; size: number } | undefined,
  defaultType: EbsVolumeType,
): VolumeSpec => {
  const volumeType = parseVolumeType("VolumeType", r.volumeType, defaultType);
  if (r.size === undefined && !snapshot) throw err.volumeSizeOrSnapshotRequired();
  const size = r.size ?? snapshot!.size;
  if (snapshot && size < snapshot.size) throw err.volumeSmallerThanSnapshot(size, snapshot.id, snapshot.size);
  checkMembersForType(volumeType, r.iops, r.throughput);
  return checkVolumeSpec({ size, volumeType, iops: r.iops, throughput: r.throughput });
};

/**
 * ModifyVolume's target: unspecified members keep the volume's values when the type is unchanged; a change to gp3,
 * io1 or io2 without Iops takes 3,000 (the model's documented default). Size only grows.
 */
export const modifiedSpec = (v: VolumeRecord, r: VolumeRequest): VolumeSpec => {
  const volumeType = parseVolumeType("VolumeType", r.volumeType, v.volumeType);
  const sameType = volumeType === v.volumeType;
  const size = r.size ?? v.size;
  if (size < v.size) throw err.volumeShrink(v.size, size);
  if (r.iops !== undefined && !VOLUME_RULES[volumeType].iops) throw err.iopsNotSupported(volumeType);
  if (r.throughput !== undefined && !VOLUME_RULES[volumeType].throughput) throw err.throughputNotSupported(volumeType);
  const iops = VOLUME_RULES[volumeType].iops ? (r.iops ?? (sameType ? v.iops : 3000)) : undefined;
  const throughput = VOLUME_RULES[volumeType].throughput ? (r.throughput ?? (sameType ? v.throughput : undefined)) : undefined;
  return checkVolumeSpec({ size, volumeType, iops, throughput });
};

/** AWS allows one modification per volume every 6 hours [DOC ebs-modify-volume "Limitations"]. */
export const MODIFICATION_INTERVAL_MS = 6 * 3600 * 1000;
export const checkModificationAllowed = (v: VolumeRecord, now: Date): void => {
  const m = v.modification;
  if (m && now.getTime() - Date.parse(m.startTime) < MODIFICATION_INTERVAL_MS) throw err.volumeModificationRate(v.id);
};

// ---------------------------------------------------------------------------------------------------------------
// Device names [DOC device_naming "Available device names"]
// ---------------------------------------------------------------------------------------------------------------

/**
 * Linux (HVM): /dev/sd[a-z] (and the root's /dev/sda1), /dev/xvd[a-z] and /dev/xvd[a-d][a-z]. Windows: /dev/sda1,
 * /dev/sd[b-e], xvd[b-z] and xvd[b-c][a-z]. The `/dev/` prefix is optional (AWS echoes the name as given, e.g. `xvdh`).
 * Partition-style names other than the root's (/dev/sdk1) are refused, as AWS refuses them.
 */
const LINUX_DEVICE = /^(?:\/dev\/)?(?:sda1|sd[a-z]|xvd[a-z]|xvd[a-d][a-z])$/;
const WINDOWS_DEVICE = /^(?:\/dev\/)?(?:sda1|sd[b-e]|xvd[b-z]|xvd[b-c][a-z])$/;

export const checkDeviceName = (device: string, platform: "windows" | "linux"): void => {
  if (!(platform === "windows" ? WINDOWS_DEVICE : LINUX_DEVICE).test(device)) throw err.invalidDeviceName(device);
};

// ---------------------------------------------------------------------------------------------------------------
// Attach / detach
// ---------------------------------------------------------------------------------------------------------------

/** An instance type's EBS attachment limit: `shared` counts network interfaces too [DOC volume_limits]. */
export interface EbsLimit {
  readonly max: number;
  readonly shared: boolean;
}

export interface VolumeAttachTarget {
  readonly instance: InstanceRecord;
  /** The volumes attached to the instance now (settled), root included. */
  readonly volumes: readonly VolumeRecord[];
  /** How many network interfaces count against the limit (on a shared limit: all but the primary one). */
  readonly interfaceCount: number;
  readonly limit: EbsLimit;
  readonly platform: "windows" | "linux";
}

/** Instance states from which a volume may be attached: running or stopped [DOC ebs-attaching-volume]. */
const ATTACHABLE: readonly InstanceRecord["state"][] = ["running", "stopped"];

/**
 * AttachVolume's rules in this order: the volume is free (VolumeInUse when attached, IncorrectState when not yet
 * available), the instance can take it (state, zone), the device name is valid and free, and the type's limit.
 */
export const checkVolumeAttach = (v: VolumeRecord, t: VolumeAttachTarget, device: string): void => {
  if (v.attachment) throw err.volumeAttached(v.id);
  if (v.state !== "available") throw err.volumeNotAvailable(v.id, v.state);
  if (!ATTACHABLE.includes(t.instance.state)) throw err.attachInstanceState(t.instance.id);
  if (v.availabilityZone !== t.instance.availabilityZone) throw err.volumeZoneMismatch(v.id, t.instance.id);
  checkDeviceName(device, t.platform);
  if (t.volumes.some((o) => o.attachment?.device === device)) throw err.deviceInUse(device);
  checkAttachmentCount(t.volumes.length + 1, t.interfaceCount, t.limit, t.instance);
};

/** The volumes (and on a shared limit the interfaces) an instance would hold, against its type's limit. */
export const checkAttachmentCount = (volumes: number, interfaces: number, limit: EbsLimit, instance: InstanceRecord): void => {
  if (volumes + interfaces > limit.max) throw err.volumeAttachmentLimit(instance.instanceType, limit.max);
};

/** The volume after AttachVolume: `in-use` at once, its attachment `attaching` until the delay passes. */
export const attachedVolume = (
  v: VolumeRecord,
  p: { instanceId: string; device: string; now: Date; delayMs: number; deleteOnTermination?: boolean },
): VolumeRecord => {
  const until = settlesAt(p.now, p.delayMs);
  const attachment: VolumeAttachmentState = {
    instanceId: p.instanceId,
    device: p.device,
    state: until ? "attaching" : "attached",
    attachTime: p.now.toISOString(),
    // Volumes attached after launch are kept when the instance terminates [DOC terminating-instances].
    deleteOnTermination: p.deleteOnTermination ?? false,
  };
  return { ...v, state: "in-use", attachment, instanceId: p.instanceId, settlesAt: until };
};

export const detachedVolume = (v: VolumeRecord): VolumeRecord => ({
  ...v,
  state: "available",
  attachment: undefined,
  instanceId: undefined,
  settlesAt: undefined,
});

/**
 * DetachVolume: the volume must be attached (to the given instance and device when they are named); a root volume
 * never detaches from a running instance (it may from a stopped one). A detach under way is answered again.
 */
export const detachVolume = (
  v: VolumeRecord,
  instance: InstanceRecord | undefined,
  p: { instanceId?: string | undefined; device?: string | undefined; now: Date; delayMs: number; force: boolean },
): VolumeRecord => {
  const at = v.attachment;
  if (!at) throw err.volumeNotAttached(v.id, v.state);
  if (p.instanceId !== undefined && p.instanceId !== at.instanceId) throw err.volumeNotAttachedTo(v.id, p.instanceId);
  if (p.device !== undefined && p.device !== at.device) throw err.volumeNotAttachedAt(v.id, p.device);
  if (instance && at.device === instance.rootDeviceName && instance.state !== "stopped") throw err.detachRootVolume(v.id, instance.id);
  if (at.state === "detaching" && !p.force) return v;
  const until = p.force ? undefined : settlesAt(p.now, p.delayMs);
  if (!until) return detachedVolume(v);
  return { ...v, attachment: { ...at, state: "detaching" }, settlesAt: until };
};

/** The volume as it is at `now`: attaching → attached, detaching → available (see `settleEni`). */
export const settleVolume = (v: VolumeRecord, now: Date): VolumeRecord => {
  if (v.settlesAt === undefined || Date.parse(v.settlesAt) > now.getTime()) return v;
  const at = v.attachment;
  if (at?.state === "detaching") return detachedVolume(v);
  return { ...v, settlesAt: undefined, attachment: at && { ...at, state: "attached" } };
};

/** A snapshot at `now`: pending becomes completed once its delay has passed. */
export const settleSnapshot = (s: SnapshotRecord, now: Date): SnapshotRecord => {
  if (s.settlesAt === undefined || Date.parse(s.settlesAt) > now.getTime()) return s;
  return { ...s, state: "completed", completionTime: s.settlesAt, settlesAt: undefined };
};

/** DeleteVolume: only a volume that is not attached. */
export const checkVolumeDelete = (v: VolumeRecord): void => {
  if (v.attachment) throw err.volumeInUseDelete(v.id, v.attachment.instanceId);
};

/** DeleteSnapshot: not while an image's block device mapping uses it. */
export const checkSnapshotDelete = (snapshotId: string, images: readonly { imageId: string; snapshotIds: readonly string[] }[]): void => {
  const user = images.find((i) => i.snapshotIds.includes(snapshotId));
  if (user) throw err.snapshotInUse(snapshotId, user.imageId);
};

/** CreateVolume from a snapshot: only a completed one. */
export const checkSnapshotUsable = (s: SnapshotRecord): void => {
  if (s.state !== "completed") throw err.snapshotNotCompleted(s.id, s.state);
};

/** The volumes and snapshots whose transient state has become final at `now`, settled. */
export const settledEbs = (
  volumes: readonly VolumeRecord[],
  snapshots: readonly SnapshotRecord[],
  now: Date,
): (VolumeRecord | SnapshotRecord)[] => [
  ...volumes.flatMap((v) => {
    const s = settleVolume(v, now);
    return s === v ? [] : [s];
  }),
  ...snapshots.flatMap((v) => {
    const s = settleSnapshot(v, now);
    return s === v ? [] : [s];
  }),
];
