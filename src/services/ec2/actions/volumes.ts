/**
 * EBS volumes and snapshots as stored records (issue 15): CreateVolume, AttachVolume, DetachVolume, DeleteVolume,
 * ModifyVolume, DescribeVolumes, DescribeVolumesModifications, DescribeVolumeStatus, CreateSnapshot, DescribeSnapshots,
 * DeleteSnapshot, CopySnapshot. Rules live in domain/volumes.ts; views and the instance-side helpers in ebs.ts.
 */
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { regionInfo } from "../../../domain/regions.js";
import type { SnapshotRecord, VolumeRecord } from "../../../domain/types.js";
import {
  attachedVolume,
  checkModificationAllowed,
  checkSnapshotDelete,
  checkSnapshotUsable,
  checkVolumeAttach,
  checkVolumeDelete,
  detachVolume,
  modifiedSpec,
  newVolumeSpec,
} from "../../../domain/volumes.js";
import { settlesAt } from "../../../domain/eni-attachment.js";
import type { Snapshot, Volume, VolumeAttachment, VolumeModification, VolumeStatusItem } from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe } from "../../common/describe.js";
import { checkMaxResults } from "../../common/describe-limits.js";
import { ebsLimit, instanceVolumes, platformOf, sharedInterfaces, snapshotView, volumeView } from "../ebs.js";
import { imageRootSize, snapshotOfImage } from "../instance-views.js";
import { instanceEnis } from "../foreign-enis.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

const attachmentView = (v: VolumeRecord): VolumeAttachment => ({
  AttachTime: v.attachment ? new Date(v.attachment.attachTime) : undefined,
  Device: v.attachment?.device,
  InstanceId: v.attachment?.instanceId,
  State: v.attachment?.state,
  VolumeId: v.id,
  DeleteOnTermination: v.attachment?.deleteOnTermination,
});

/**
 * A snapshot a volume can be created from: one of the account's (completed), or the root snapshot of a built-in image
 * (Amazon's public snapshots, 8 GiB or 30 GiB for Windows).
 */
export const snapshotSource = (ctx: ActionContext, id: string): { id: string; size: number; encrypted: boolean } => {
  const image = [...ctx.catalog.images.values()].find((i) => snapshotOfImage(i.imageId) === id);
  if (image) return { id, size: imageRootSize(image.platformDetails), encrypted: false };
  const s = must(ctx.tx, "snapshot", id);
  checkSnapshotUsable(s);
  return { id, size: s.volumeSize, encrypted: s.encrypted };
};

export const CreateVolume = defineAction({
  name: "CreateVolume",
  mutates: true,
  params: ["AvailabilityZone", "Size", "VolumeType", "Iops", "Throughput", "SnapshotId", "Encrypted", "TagSpecifications", "ClientToken"],
  run(input, ctx) {
    const zone = input.AvailabilityZone;
    if (zone === undefined) throw err.missingParameter("AvailabilityZone");
    if (!regionInfo(ctx.scope.region).zones.some((z) => z.zoneName === zone)) throw err.zoneNotFound(zone);
    const snapshot = input.SnapshotId === undefined ? undefined : snapshotSource(ctx, input.SnapshotId);
    const spec = newVolumeSpec(
      { size: input.Size, volumeType: input.VolumeType, iops: input.Iops, throughput: input.Throughput },
      snapshot,
      "gp2",
    );
    const v: VolumeRecord = {
      kind: "volume",
      id: ctx.ids.next("volume"),
      tags: tagsFromSpecs(input.TagSpecifications, "volume", ctx),
      ownerId: ctx.scope.account,
      availabilityZone: zone,
      ...spec,
      // A volume from an encrypted snapshot is encrypted [DOC ebs-encryption].
      encrypted: (input.Encrypted ?? false) || (snapshot?.encrypted ?? false),
      multiAttachEnabled: false,
      snapshotId: snapshot?.id,
      state: "available",
      createTime: ctx.now.toISOString(),
    };
    ctx.tx.put(v);
    // AWS answers `creating` and the volume is `available` seconds later; localvpc stores the final state at once.
    return { ...volumeView(v, ctx.scope.region), State: "creating" };
  },
});

export const AttachVolume = defineAction({
  name: "AttachVolume",
  mutates: true,
  params: ["VolumeId", "InstanceId", "Device"],
  run(input, ctx) {
    const v = must(ctx.tx, "volume", input.VolumeId);
    const instance = must(ctx.tx, "instance", input.InstanceId);
    const limit = ebsLimit(ctx.catalog.instanceTypes.get(instance.instanceType));
    checkVolumeAttach(
      v,
      {
        instance,
        volumes: instanceVolumes(ctx.tx, instance),
        interfaceCount: sharedInterfaces(limit, instanceEnis(ctx.tx, instance.id, ctx.now).length),
        limit,
        platform: platformOf(instance),
      },
      input.Device,
    );
    const after = attachedVolume(v, {
      instanceId: instance.id,
      device: input.Device,
      now: ctx.now,
      delayMs: ctx.delays?.volumeAttachMs ?? 0,
    });
    ctx.tx.put(after);
    const { DeleteOnTermination: _, ...view } = attachmentView(after);
    return { ...view, State: "attaching" };
  },
});

export const DetachVolume = defineAction({
  name: "DetachVolume",
  mutates: true,
  params: ["VolumeId", "InstanceId", "Device", "Force"],
  run(input, ctx) {
    const v = must(ctx.tx, "volume", input.VolumeId);
    if (input.InstanceId !== undefined) must(ctx.tx, "instance", input.InstanceId);
    const instance = v.attachment ? ctx.tx.get("instance", v.attachment.instanceId) : undefined;
    const after = detachVolume(v, instance, {
      instanceId: input.InstanceId,
      device: input.Device,
      now: ctx.now,
      delayMs: ctx.delays?.volumeDetachMs ?? 0,
      force: input.Force ?? false,
    });
    ctx.tx.put(after);
    return { ...attachmentView(v), State: "detaching" };
  },
});

export const DeleteVolume = defineAction({
  name: "DeleteVolume",
  mutates: true,
  params: ["VolumeId"],
  run(input, ctx) {
    const v = must(ctx.tx, "volume", input.VolumeId);
    checkVolumeDelete(v);
    ctx.tx.delete(v.id);
    return {};
  },
});

const modificationView = (v: VolumeRecord): VolumeModification => {
  const m = v.modification!;
  return {
    VolumeId: v.id,
    ModificationState: m.state,
    TargetSize: m.target.size,
    TargetIops: m.target.iops,
    TargetVolumeType: m.target.volumeType,
    TargetThroughput: m.target.throughput,
    TargetMultiAttachEnabled: m.multiAttachEnabled,
    OriginalSize: m.original.size,
    OriginalIops: m.original.iops,
    OriginalVolumeType: m.original.volumeType,
    OriginalThroughput: m.original.throughput,
    OriginalMultiAttachEnabled: m.multiAttachEnabled,
    Progress: m.state === "completed" ? 100 : 0,
    StartTime: new Date(m.startTime),
    EndTime: m.endTime ? new Date(m.endTime) : undefined,
  };
};

/**
 * ModifyVolume: the new size/type/performance apply at once and the modification is `completed` (AWS goes through
 * modifying and optimizing for minutes to hours); the response says `modifying`, as AWS's does.
 */
export const ModifyVolume = defineAction({
  name: "ModifyVolume",
  mutates: true,
  params: ["VolumeId", "Size", "VolumeType", "Iops", "Throughput"],
  run(input, ctx) {
    const v = must(ctx.tx, "volume", input.VolumeId);
    checkModificationAllowed(v, ctx.now);
    const target = modifiedSpec(v, { size: input.Size, volumeType: input.VolumeType, iops: input.Iops, throughput: input.Throughput });
    const now = ctx.now.toISOString();
    const after: VolumeRecord = {
      ...v,
      ...target,
      modification: {
        state: "completed",
        startTime: now,
        endTime: now,
        original: { size: v.size, volumeType: v.volumeType, iops: v.iops, throughput: v.throughput },
        target,
        multiAttachEnabled: v.multiAttachEnabled,
      },
    };
    ctx.tx.put(after);
    return { VolumeModification: { ...modificationView(after), ModificationState: "modifying", Progress: 0, EndTime: undefined } };
  },
});

const VOLUME_FILTERS: FilterTable<Volume> = {
  "attachment.attach-time": (v) => (v.Attachments ?? []).map((a) => a.AttachTime?.toISOString()),
  "attachment.delete-on-termination": (v) => (v.Attachments ?? []).map((a) => a.DeleteOnTermination),
  "attachment.device": (v) => (v.Attachments ?? []).map((a) => a.Device),
  "attachment.instance-id": (v) => (v.Attachments ?? []).map((a) => a.InstanceId),
  "attachment.status": (v) => (v.Attachments ?? []).map((a) => a.State),
  "availability-zone": (v) => v.AvailabilityZone,
  "availability-zone-id": (v) => v.AvailabilityZoneId,
  "create-time": (v) => v.CreateTime?.toISOString(),
  encrypted: (v) => v.Encrypted,
  "fast-restored": (v) => v.FastRestored,
  "multi-attach-enabled": (v) => v.MultiAttachEnabled,
  "operator.managed": () => false,
  "operator.principal": () => undefined,
  size: (v) => v.Size,
  "snapshot-id": (v) => v.SnapshotId || undefined,
  status: (v) => v.State,
  "volume-id": (v) => v.VolumeId,
  "volume-type": (v) => v.VolumeType,
};

const volumeRows = (ctx: ActionContext, ids: readonly string[] | undefined, filters: Parameters<typeof candidates>[3]): Volume[] =>
  candidates(ctx.tx, "volume", ids, filters, { id: "volume-id", instanceId: "attachment.instance-id" }).map((v) =>
    volumeView(v, ctx.scope.region),
  );

export const DescribeVolumes = defineAction({
  name: "DescribeVolumes",
  mutates: false,
  params: ["VolumeIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    checkMaxResults(input.MaxResults, 5, 500);
    const page = describe({
      items: volumeRows(ctx, input.VolumeIds, input.Filters),
      idOf: (v) => v.VolumeId!,
      tagsOf: (v) => (v.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" })),
      ids: input.VolumeIds,
      idKind: "volume",
      idsParam: "volumeSet", // AWS-OBS (aws-cli#1976): "The parameter volumeSet cannot be used with the parameter maxResults"
      notFound: (m) => err.volumeNotFound(m),
      filters: input.Filters,
      table: VOLUME_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Volumes: page.items, NextToken: page.nextToken };
  },
});

const MODIFICATION_FILTERS: FilterTable<VolumeModification> = {
  "modification-state": (m) => m.ModificationState,
  "original-iops": (m) => m.OriginalIops,
  "original-size": (m) => m.OriginalSize,
  "original-volume-type": (m) => m.OriginalVolumeType,
  originalMultiAttachEnabled: (m) => m.OriginalMultiAttachEnabled,
  "start-time": (m) => m.StartTime?.toISOString(),
  "target-iops": (m) => m.TargetIops,
  "target-size": (m) => m.TargetSize,
  "target-volume-type": (m) => m.TargetVolumeType,
  targetMultiAttachEnabled: (m) => m.TargetMultiAttachEnabled,
  "volume-id": (m) => m.VolumeId,
};

export const DescribeVolumesModifications = defineAction({
  name: "DescribeVolumesModifications",
  mutates: false,
  params: ["VolumeIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    // Volume ids are checked for form and existence, then each must have been modified.
    const volumes = candidates(ctx.tx, "volume", input.VolumeIds, undefined);
    describe({
      items: volumes,
      idOf: (v) => v.id,
      ids: input.VolumeIds,
      idKind: "volume",
      notFound: (m) => err.volumeNotFound(m),
      table: {},
    });
    const unmodified = volumes.find((v) => !v.modification);
    if ((input.VolumeIds?.length ?? 0) > 0 && unmodified) throw err.volumeModificationNotFound(unmodified.id);
    const page = describe({
      items: volumes.filter((v) => v.modification).map(modificationView),
      idOf: (m) => m.VolumeId!,
      taggable: false,
      filters: input.Filters,
      table: MODIFICATION_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { VolumesModifications: page.items, NextToken: page.nextToken };
  },
});

/** Every volume is healthy: I/O enabled, no events, no actions (localvpc injects no EBS failures). */
const statusView = (v: Volume): VolumeStatusItem => ({
  VolumeId: v.VolumeId,
  AvailabilityZone: v.AvailabilityZone,
  AvailabilityZoneId: v.AvailabilityZoneId,
  VolumeStatus: {
    Status: "ok",
    Details: [
      { Name: "io-enabled", Status: "passed" },
      { Name: "io-performance", Status: "not-applicable" },
    ],
  },
  Actions: [],
  Events: [],
});

const STATUS_FILTERS: FilterTable<VolumeStatusItem> = {
  "action.code": () => undefined,
  "action.description": () => undefined,
  "action.event-id": () => undefined,
  "availability-zone": (s) => s.AvailabilityZone,
  "event.description": () => undefined,
  "event.event-id": () => undefined,
  "event.event-type": () => undefined,
  "event.not-after": () => undefined,
  "event.not-before": () => undefined,
  "volume-status.details-name": (s) => (s.VolumeStatus?.Details ?? []).map((d) => d.Name),
  "volume-status.details-status": (s) => (s.VolumeStatus?.Details ?? []).map((d) => d.Status),
  "volume-status.status": (s) => s.VolumeStatus?.Status,
};

export const DescribeVolumeStatus = defineAction({
  name: "DescribeVolumeStatus",
  mutates: false,
  params: ["VolumeIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    checkMaxResults(input.MaxResults, 5, 1000);
    const page = describe({
      items: volumeRows(ctx, input.VolumeIds, undefined).map(statusView),
      idOf: (s) => s.VolumeId!,
      taggable: false,
      ids: input.VolumeIds,
      idKind: "volume",
      idsParam: "volumeId",
      notFound: (m) => err.volumeNotFound(m),
      filters: input.Filters,
      table: STATUS_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { VolumeStatuses: page.items, NextToken: page.nextToken };
  },
});

// --- snapshots --------------------------------------------------------------------------------------------------

/** A new snapshot of the caller's scope (CreateSnapshot, CopySnapshot, and the snapshots behind CreateImage/CopyImage). */
export const newSnapshot = (
  ctx: ActionContext,
  p: Omit<SnapshotRecord, "kind" | "id" | "ownerId" | "state" | "startTime" | "settlesAt">,
): SnapshotRecord => {
  const until = settlesAt(ctx.now, ctx.delays?.snapshotMs ?? 0);
  const now = ctx.now.toISOString();
  return {
    kind: "snapshot",
    id: ctx.ids.next("snapshot"),
    ownerId: ctx.scope.account,
    state: until ? "pending" : "completed",
    startTime: now,
    completionTime: until ? undefined : now,
    settlesAt: until,
    ...p,
  };
};

export const CreateSnapshot = defineAction({
  name: "CreateSnapshot",
  mutates: true,
  params: ["VolumeId", "Description", "TagSpecifications"],
  run(input, ctx) {
    const v = must(ctx.tx, "volume", input.VolumeId);
    const s = newSnapshot(ctx, {
      tags: tagsFromSpecs(input.TagSpecifications, "snapshot", ctx),
      volumeId: v.id,
      volumeSize: v.size,
      encrypted: v.encrypted,
      description: input.Description ?? "",
    });
    ctx.tx.put(s);
    // The answer is `pending` as in AWS; the stored state is `completed` unless a snapshot delay is configured.
    return { ...snapshotView(s), State: "pending", Progress: "", CompletionTime: undefined };
  },
});

const SNAPSHOT_FILTERS: FilterTable<Snapshot> = {
  description: (s) => s.Description,
  encrypted: (s) => s.Encrypted,
  "owner-alias": (s) => s.OwnerAlias,
  "owner-id": (s) => s.OwnerId,
  progress: (s) => s.Progress,
  "snapshot-id": (s) => s.SnapshotId,
  "start-time": (s) => s.StartTime?.toISOString(),
  status: (s) => s.State,
  "storage-tier": (s) => s.StorageTier,
  "transfer-type": (s) => s.TransferType,
  "volume-id": (s) => s.VolumeId,
  "volume-size": (s) => s.VolumeSize,
};

/**
 * DescribeSnapshots: the account's own snapshots. OwnerIds `self` or the account's id select them; any other owner
 * (`amazon`, another account) selects none, since localvpc shares no snapshots.
 */
export const DescribeSnapshots = defineAction({
  name: "DescribeSnapshots",
  mutates: false,
  params: ["SnapshotIds", "OwnerIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    checkMaxResults(input.MaxResults, 5, 1000);
    const owners = input.OwnerIds ?? [];
    const mine = owners.length === 0 || owners.some((o) => o === "self" || o === ctx.scope.account);
    const records = mine ? candidates(ctx.tx, "snapshot", input.SnapshotIds, input.Filters, { id: "snapshot-id" }) : [];
    const page = describe({
      items: records.map(snapshotView),
      idOf: (s) => s.SnapshotId!,
      tagsOf: (s) => (s.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" })),
      ids: input.SnapshotIds,
      idKind: "snapshot",
      idsParam: "snapshotId",
      notFound: (m) => err.snapshotNotFound(m),
      filters: input.Filters,
      table: SNAPSHOT_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Snapshots: page.items, NextToken: page.nextToken };
  },
});

export const DeleteSnapshot = defineAction({
  name: "DeleteSnapshot",
  mutates: true,
  params: ["SnapshotId"],
  run(input, ctx) {
    const s = must(ctx.tx, "snapshot", input.SnapshotId);
    // An image of the account whose block devices name the snapshot holds it (InvalidSnapshot.InUse), found through
    // the image's `block-device-mapping.snapshot-id` key. The catalogue's images hold Amazon's snapshots, never ours.
    const users = ctx.tx.idsByKey("image", "block-device-mapping.snapshot-id", s.id).map((imageId) => ({ imageId, snapshotIds: [s.id] }));
    checkSnapshotDelete(s.id, users);
    ctx.tx.delete(s.id);
    return {};
  },
});

/**
 * CopySnapshot within the account: from this region or another (SourceRegion), as a new completed (or pending)
 * snapshot. Encrypted=true encrypts the copy; a copy of an encrypted snapshot stays encrypted.
 */
export const CopySnapshot = defineAction({
  name: "CopySnapshot",
  mutates: true,
  // The SDKs fill DestinationRegion and PresignedUrl themselves (for cross-region copies of encrypted snapshots);
  // localvpc copies within its own store and needs neither, so they are accepted and not used.
  params: ["SourceRegion", "SourceSnapshotId", "Description", "Encrypted", "TagSpecifications", "DestinationRegion", "PresignedUrl"],
  run(input, ctx) {
    if (regionInfo(input.SourceRegion).zones.length === 0) throw err.copySnapshotRegion(input.SourceRegion);
    const tx =
      input.SourceRegion === ctx.scope.region ? ctx.tx : ctx.tx.forScope({ account: ctx.scope.account, region: input.SourceRegion });
    const source = must(tx, "snapshot", input.SourceSnapshotId);
    const s = newSnapshot(ctx, {
      tags: tagsFromSpecs(input.TagSpecifications, "snapshot", ctx),
      volumeId: source.volumeId,
      volumeSize: source.volumeSize,
      encrypted: source.encrypted || (input.Encrypted ?? false),
      description: input.Description ?? `[Copied ${source.id} from ${input.SourceRegion}]`,
    });
    ctx.tx.put(s);
    return { SnapshotId: s.id, Tags: snapshotView(s).Tags };
  },
});

export const VOLUME_ACTIONS = [
  CreateVolume,
  AttachVolume,
  DetachVolume,
  DeleteVolume,
  ModifyVolume,
  DescribeVolumes,
  DescribeVolumesModifications,
  DescribeVolumeStatus,
  CreateSnapshot,
  DescribeSnapshots,
  DeleteSnapshot,
  CopySnapshot,
];
