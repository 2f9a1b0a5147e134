/**
 * DescribeImages over the built-in AMI catalogue.
 */
import type { ImageInfo } from "../../../catalog/images.js";
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import type { Image } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { isIdOf } from "../../../domain/ids.js";
import { imageOrGeneric, recordView, visibleRecords } from "../image-sources.js";
import { describe } from "../../common/describe.js";
import { snapshotOfImage } from "../instance-views.js";

const isWindows = (i: ImageInfo): boolean => i.platformDetails === "Windows";

/** A catalogue image as DescribeImages shows it: a `--images FILE` entry as loaded, a built-in one from its fields. */
export const imageView = (i: ImageInfo): Image => i.view ?? builtinView(i);

const builtinView = (i: ImageInfo): Image => ({
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
  "source-image-id": (i) => i.SourceImageId,
  "source-image-region": (i) => i.SourceImageRegion,
  "source-instance-id": (i) => i.SourceInstanceId,
  state: (i) => i.State,
  "state-reason-code": () => undefined,
  "state-reason-message": () => undefined,
  "sriov-net-support": (i) => i.SriovNetSupport,
  "virtualization-type": (i) => i.VirtualizationType,
  "platform-details": (i) => i.PlatformDetails,
};

const OWNER_ALIASES = ["self", "amazon", "aws-marketplace", "aws-backup-vault"];

/** Owner.N: `self` (the caller's own AMIs: registered, created or copied), an alias, or a 12-digit account id. */
const ownedBy = (owners: readonly string[], account: string): ((i: Image) => boolean) => {
  for (const o of owners) if (!OWNER_ALIASES.includes(o) && !/^\d{12}$/.test(o)) throw err.invalidImageOwner(o);
  return (i) => owners.some((o) => (o === "self" ? i.OwnerId === account : o === i.OwnerId || (o !== "" && o === i.ImageOwnerAlias)));
};

export const DescribeImages = defineAction({
  name: "DescribeImages",
  mutates: false,
  // IncludeDeprecated / IncludeDisabled: no built-in image is deprecated or disabled, so both change nothing.
  params: ["ImageIds", "Owners", "Filters", "MaxResults", "NextToken", "IncludeDeprecated", "IncludeDisabled"],
  run(input, ctx) {
    const owners = input.Owners ?? [];
    const owned = owners.length > 0 ? ownedBy(owners, ctx.scope.account) : () => true;
    // The caller's registered images and those shared with it, then the catalogue (built-in and --images FILE).
    const items = [...visibleRecords(ctx).map(recordView), ...[...ctx.catalog.images.values()].map(imageView)];
    // Without --strict-images an explicitly requested unknown id is the generic image RunInstances would launch.
    const listed = new Set(items.map((i) => i.ImageId));
    for (const id of new Set(input.ImageIds ?? []))
      if (!listed.has(id) && isIdOf("image", id) && !ctx.images?.strict) items.push(imageView(imageOrGeneric(ctx, id)));
    const page = describe({
      items: items.filter(owned),
      idOf: (i) => i.ImageId!,
      tagsOf: (i) => (i.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" })),
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

// DescribeVolumes moved to actions/volumes.ts with the stored volume records (issue 15).
export const IMAGE_ACTIONS = [DescribeImages];
