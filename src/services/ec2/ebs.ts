/**
 * EBS volumes as stored records (issue 15), shared by the volume actions, RunInstances, TerminateInstances and the
 * instance views: an instance's volumes, the wire views, the attachment limit of a type, and what termination does.
 */
import { detachedVolume, type EbsLimit } from "../../domain/volumes.js";
import { regionInfo } from "../../domain/regions.js";
import type { InstanceRecord, SnapshotRecord, VolumeRecord } from "../../domain/types.js";
import type { InstanceBlockDeviceMapping, InstanceTypeInfo, Snapshot, Volume } from "../../protocol/model/shapes.js";
import type { Tx } from "../../store/store.js";
import { tagView } from "../common/describe.js";

/**
 * The EBS attachment limit of a type: the catalogue's EbsInfo (MaximumEbsAttachments, AttachmentLimitType). On a
 * shared limit, EBS volumes, network interfaces and NVMe instance store volumes share the attachments [DOC volume_limits:
 * "any number of EBS volumes up to that limit, less the number of attached network interfaces and NVMe instance store
 * volumes"]; AWS's data reports 27 for the 28-attachment Nitro types, i.e. the count left beside the primary network
 * interface, so the primary interface is not counted again (`sharedInterfaces`). Without EbsInfo (a catalogue entry
 * that lacks it): 27 shared on Nitro, 40 dedicated on Xen (AWS's documented Linux figure). The one place to change.
 */
export const ebsLimit = (info: InstanceTypeInfo | undefined): EbsLimit => {
  const ebs = info?.EbsInfo;
  if (ebs?.MaximumEbsAttachments !== undefined) return { max: ebs.MaximumEbsAttachments, shared: ebs.AttachmentLimitType !== "dedicated" };
  const nitro = info?.Hypervisor === "nitro" || info?.BareMetal === true;
  return nitro ? { max: 27, shared: true } : { max: 40, shared: false };
};

/** The interfaces that count against a shared limit: all but the primary one (see `ebsLimit`). */
export const sharedInterfaces = (limit: EbsLimit, interfaceCount: number): number => (limit.shared ? Math.max(0, interfaceCount - 1) : 0);

export const platformOf = (i: InstanceRecord): "windows" | "linux" => (i.platformDetails === "Windows" ? "windows" : "linux");

/** An instance's attached volumes (indexed by instance id), the root device first, then by device name. */
export const instanceVolumes = (tx: Tx, i: InstanceRecord): VolumeRecord[] =>
  tx
    .list("volume", { instanceId: i.id })
    .filter((v) => v.attachment?.instanceId === i.id)
    .sort(
      (a, b) =>
        Number(b.attachment!.device === i.rootDeviceName) - Number(a.attachment!.device === i.rootDeviceName) ||
        a.attachment!.device.localeCompare(b.attachment!.device),
    );

const zoneIdOf = (region: string, zone: string): string | undefined => regionInfo(region).zones.find((z) => z.zoneName === zone)?.zoneId;

export const volumeView = (v: VolumeRecord, region: string): Volume => ({
  AvailabilityZoneId: zoneIdOf(region, v.availabilityZone),
  Tags: tagView(v.tags),
  VolumeType: v.volumeType,
  Iops: v.iops,
  Throughput: v.throughput,
  FastRestored: false,
  MultiAttachEnabled: v.multiAttachEnabled,
  VolumeId: v.id,
  Size: v.size,
  SnapshotId: v.snapshotId ?? "",
  AvailabilityZone: v.availabilityZone,
  State: v.state,
  CreateTime: new Date(v.createTime),
  Attachments: v.attachment
    ? [
        {
          DeleteOnTermination: v.attachment.deleteOnTermination,
          VolumeId: v.id,
          InstanceId: v.attachment.instanceId,
          Device: v.attachment.device,
          State: v.attachment.state,
          AttachTime: new Date(v.attachment.attachTime),
        },
      ]
    : [],
  Encrypted: v.encrypted,
});

export const snapshotView = (s: SnapshotRecord): Snapshot => ({
  Tags: tagView(s.tags),
  StorageTier: "standard",
  SnapshotId: s.id,
  VolumeId: s.volumeId,
  State: s.state,
  StartTime: new Date(s.startTime),
  CompletionTime: s.completionTime ? new Date(s.completionTime) : undefined,
  Progress: s.state === "completed" ? "100%" : "0%",
  OwnerId: s.ownerId,
  Description: s.description,
  VolumeSize: s.volumeSize,
  Encrypted: s.encrypted,
});

/** DescribeInstances' BlockDeviceMappings: the instance's stored attachments. */
export const blockDeviceMappingsOf = (volumes: readonly VolumeRecord[]): InstanceBlockDeviceMapping[] =>
  volumes.map((v) => ({
    DeviceName: v.attachment!.device,
    Ebs: {
      AttachTime: new Date(v.attachment!.attachTime),
      DeleteOnTermination: v.attachment!.deleteOnTermination,
      Status: v.attachment!.state,
      VolumeId: v.id,
    },
  }));

/** Termination: volumes marked DeleteOnTermination are deleted, the others detached and `available` [DOC]. */
export const releaseVolumes = (tx: Tx, i: InstanceRecord): void => {
  for (const v of instanceVolumes(tx, i)) {
    if (v.attachment?.deleteOnTermination) tx.delete(v.id);
    else tx.put(detachedVolume(v));
  }
};
