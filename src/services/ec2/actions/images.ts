/**
 * DescribeImages over the built-in AMI catalogue, and DescribeVolumes over the root volumes of live instances
 * (each instance has one EBS root volume, created with it and deleted when it terminates).
 */
import type { ImageInfo } from "../../../catalog/images.js";
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import type { InstanceRecord } from "../../../domain/types.js";
import type { Image, Volume } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { describe } from "../../common/describe.js";
import { checkMaxResults } from "../../common/describe-limits.js";
import { rootVolumeView, snapshotOfImage } from "../instance-views.js";

const isWindows = (i: ImageInfo): boolean => i.platformDetails === "Windows";

export const imageView = (i: ImageInfo): Image => ({
  PlatformDetails: i.platformDetails,
  UsageOperation: isWindows(i) ? "RunInstances:0002" : "RunInstances",
  BlockDeviceMappings: [
    {
      DeviceName: i.rootDeviceName,
      Ebs: {
        DeleteOnTermination: true,
        SnapshotId: snapshotOfImage(i.imageId),
        VolumeSize: isWindows(i) ? 30 : 8,
        VolumeType: "gp3",
        Encrypted: false,
      },
    },
  ],
  Description: i.description,
  EnaSupport: true,
  Hypervisor: "xen",
  ImageOwnerAlias: i.ownerAlias || undefined,
  Name: i.name,
  RootDeviceName: i.rootDeviceName,
  RootDeviceType: "ebs",
  SriovNetSupport: "simple",
  VirtualizationType: i.virtualizationType,
  BootMode: i.architecture === "arm64" ? "uefi" : "uefi-preferred",
  ImdsSupport: isWindows(i) ? undefined : "v2.0",
  ImageId: i.imageId,
  ImageLocation: `${i.ownerAlias || i.ownerId}/${i.name}`,
  State: "available",
  OwnerId: i.ownerId,
  CreationDate: i.creationDate,
  Public: true,
  Architecture: i.architecture,
  ImageType: "machine",
  Platform: isWindows(i) ? "Windows" : undefined,
});

const IMAGE_FILTERS: FilterTable<Image> = {
  architecture: (i) => i.Architecture,
  "block-device-mapping.delete-on-termination": (i) => (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.DeleteOnTermination),
  "block-device-mapping.device-name": (i) => (i.BlockDeviceMappings ?? []).map((b) => b.DeviceName),
  "block-device-mapping.snapshot-id": (i) => (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.SnapshotId),
  "block-device-mapping.volume-size": (i) => (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeSize),
  "block-device-mapping.volume-type": (i) => (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeType),
  "block-device-mapping.encrypted": (i) => (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.Encrypted),
  "creation-date": (i) => i.CreationDate,
  description: (i) => i.Description,
  "ena-support": (i) => i.EnaSupport,
  "free-tier-eligible": (i) => i.Platform !== "Windows",
  hypervisor: (i) => i.Hypervisor,
  "image-allowed": () => true,
  "image-id": (i) => i.ImageId,
  "image-type": (i) => i.ImageType,
  "is-public": (i) => i.Public,
  "kernel-id": () => undefined,
  "manifest-location": (i) => i.ImageLocation,
  name: (i) => i.Name,
  "owner-alias": (i) => i.ImageOwnerAlias,
  "owner-id": (i) => i.OwnerId,
  // AWS's filter value is lower case ("windows") while the attribute is "Windows".
  platform: (i) => (i.Platform === "Windows" ? "windows" : undefined),
  "product-code": () => undefined,
  "product-code.type": () => undefined,
  "ramdisk-id": () => undefined,
  "root-device-name": (i) => i.RootDeviceName,
  "root-device-type": (i) => i.RootDeviceType,
  "source-image-id": () => undefined,
  "source-image-region": () => undefined,
  "source-instance-id": () => undefined,
  state: (i) => i.State,
  "state-reason-code": () => undefined,
  "state-reason-message": () => undefined,
  "sriov-net-support": (i) => i.SriovNetSupport,
  "virtualization-type": (i) => i.VirtualizationType,
  "platform-details": (i) => i.PlatformDetails,
};

const OWNER_ALIASES = ["self", "amazon", "aws-marketplace", "aws-backup-vault"];

/** Owner.N: `self` (the caller's own AMIs — none are built in), an alias, or a 12-digit account id. */
const ownedBy = (owners: readonly string[], account: string): ((i: ImageInfo) => boolean) => {
  for (const o of owners) if (!OWNER_ALIASES.includes(o) && !/^\d{12}$/.test(o)) throw err.invalidImageOwner(o);
  return (i) => owners.some((o) => (o === "self" ? i.ownerId === account : o === i.ownerId || (o !== "" && o === i.ownerAlias)));
};

export const DescribeImages = defineAction({
  name: "DescribeImages",
  mutates: false,
  // IncludeDeprecated / IncludeDisabled: no built-in image is deprecated or disabled, so both change nothing.
  params: ["ImageIds", "Owners", "Filters", "MaxResults", "NextToken", "IncludeDeprecated", "IncludeDisabled"],
  run(input, ctx) {
    const owners = input.Owners ?? [];
    const owned = owners.length > 0 ? ownedBy(owners, ctx.scope.account) : () => true;
    const page = describe({
      items: [...ctx.catalog.images.values()].filter(owned).map(imageView),
      idOf: (i) => i.ImageId!,
      tagsOf: () => [],
      ids: input.ImageIds,
      idKind: "image",
      notFound: (m) => err.amiNotFound(m),
      filters: input.Filters,
      table: IMAGE_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Images: page.items, NextToken: page.nextToken };
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
  "snapshot-id": (v) => v.SnapshotId,
  status: (v) => v.State,
  "volume-id": (v) => v.VolumeId,
  "volume-type": (v) => v.VolumeType,
};

export const DescribeVolumes = defineAction({
  name: "DescribeVolumes",
  mutates: false,
  params: ["VolumeIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    checkMaxResults(input.MaxResults, 5, 500);
    const live = ctx.tx.list("instance").filter((i: InstanceRecord) => i.state !== "terminated");
    const tags = new Map(live.map((i) => [i.rootVolumeId, i.volumeTags ?? []]));
    const page = describe({
      items: live.map((i) => rootVolumeView(i, ctx.scope.region)),
      idOf: (v) => v.VolumeId!,
      tagsOf: (v) => tags.get(v.VolumeId!) ?? [],
      ids: input.VolumeIds,
      idKind: "volume",
      idsParam: "volumeId",
      notFound: (m) => err.volumeNotFound(m),
      filters: input.Filters,
      table: VOLUME_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Volumes: page.items, NextToken: page.nextToken };
  },
});

export const IMAGE_ACTIONS = [DescribeImages, DescribeVolumes];
