/**
 * Where an AMI id comes from (issue 15): the account's registered images, images other accounts of the Region share
 * with it (launch permission, or public), the catalogue (built-in images plus `--images FILE`), and, unless the
 * server runs with `--strict-images`, a generic image for any other well-formed id, so automation written against
 * real AMI ids runs unchanged.
 */
import type { ImageInfo } from "../../catalog/images.js";
import { err } from "../../domain/errors.js";
import { assertIdOf } from "../../domain/ids.js";
import { canLaunch, isPublic } from "../../domain/images.js";
import type { ImageRecord } from "../../domain/types.js";
import type { Image } from "../../protocol/model/shapes.js";
import type { ActionContext } from "./action.js";
import { tagView } from "../common/describe.js";

/**
 * The image assumed for an unknown AMI id: Amazon Linux-like (x86_64, HVM, EBS root /dev/xvda, 8 GiB, owned by
 * Amazon's account 137112412989 with alias "amazon"). Chosen as the most common kind of image automation launches.
 */
export const genericImage = (imageId: string): ImageInfo => ({
  imageId,
  name: `localvpc-generic-image-${imageId}`,
  description: "An AMI id localvpc does not know, assumed to be a generic x86_64 Linux image (serve --strict-images refuses it)",
  ownerId: "137112412989",
  ownerAlias: "amazon",
  architecture: "x86_64",
  platformDetails: "Linux/UNIX",
  rootDeviceName: "/dev/xvda",
  creationDate: "2024-01-01T00:00:00.000Z",
  virtualizationType: "hvm",
});

/** Registered images of other accounts in this Region that this account may launch (shared or public). */
const sharedWithMe = (ctx: ActionContext): ImageRecord[] =>
  ctx.tx
    .listEverywhere("image")
    .filter((e) => e.scope.region === ctx.scope.region && e.scope.account !== ctx.scope.account && canLaunch(e.record, ctx.scope.account))
    .map((e) => e.record);

/** Every registered image the caller can see: its own, then those shared with it. */
export const visibleRecords = (ctx: ActionContext): ImageRecord[] => [...ctx.tx.list("image"), ...sharedWithMe(ctx)];

/** A registered image the caller can see, by id. */
export const visibleRecord = (ctx: ActionContext, imageId: string): ImageRecord | undefined =>
  ctx.tx.get("image", imageId) ?? sharedWithMe(ctx).find((r) => r.id === imageId);

export const recordInfo = (r: ImageRecord): ImageInfo => {
  const root = r.blockDevices.find((d) => d.deviceName === r.rootDeviceName);
  return {
    imageId: r.id,
    name: r.name,
    description: r.description ?? "",
    ownerId: r.ownerId,
    ownerAlias: "",
    architecture: r.architecture,
    platformDetails: r.platformDetails,
    rootDeviceName: r.rootDeviceName,
    creationDate: r.creationDate,
    virtualizationType: r.virtualizationType,
    rootVolumeSize: root?.volumeSize,
    rootSnapshotId: root?.snapshotId,
  };
};

/** DescribeImages' view of a registered image. */
export const recordView = (r: ImageRecord): Image => ({
  PlatformDetails: r.platformDetails,
  UsageOperation: r.platformDetails === "Windows" ? "RunInstances:0002" : "RunInstances",
  BlockDeviceMappings: r.blockDevices.map((d) => ({
    DeviceName: d.deviceName,
    Ebs: {
      DeleteOnTermination: d.deleteOnTermination,
      SnapshotId: d.snapshotId,
      VolumeSize: d.volumeSize,
      VolumeType: d.volumeType,
      Iops: d.iops,
      Throughput: d.throughput,
      Encrypted: d.encrypted ?? false,
    },
  })),
  Description: r.description,
  EnaSupport: r.enaSupport,
  Hypervisor: "xen",
  Name: r.name,
  RootDeviceName: r.rootDeviceName,
  RootDeviceType: "ebs",
  SriovNetSupport: r.sriovNetSupport,
  Tags: tagView(r.tags),
  VirtualizationType: r.virtualizationType,
  BootMode: r.bootMode,
  ImdsSupport: r.imdsSupport,
  TpmSupport: r.tpmSupport,
  SourceInstanceId: r.sourceInstanceId,
  SourceImageId: r.sourceImageId,
  SourceImageRegion: r.sourceImageRegion,
  ImageId: r.id,
  ImageLocation: `${r.ownerId}/${r.name}`,
  State: "available",
  OwnerId: r.ownerId,
  CreationDate: r.creationDate,
  Public: isPublic(r),
  Architecture: r.architecture,
  ImageType: "machine",
  Platform: r.platformDetails === "Windows" ? "Windows" : undefined,
});

/** The catalogue's image (built-in or `--images FILE`) or a visible registered one; undefined when neither. */
export const knownImage = (ctx: ActionContext, imageId: string): ImageInfo | undefined => {
  const stored = visibleRecord(ctx, imageId);
  return stored ? recordInfo(stored) : ctx.catalog.images.get(imageId);
};

/**
 * The image RunInstances (and DescribeImages for an explicit id) uses: a known one, else the generic image (told to
 * the server's hook, which logs it once), or InvalidAMIID.NotFound under `--strict-images`.
 */
export const imageOrGeneric = (ctx: ActionContext, imageId: string): ImageInfo => {
  assertIdOf("image", imageId);
  const known = knownImage(ctx, imageId);
  if (known) return known;
  // Another account's image that is not shared with the caller is not found, whatever the mode: it is a real id.
  if (ctx.images?.strict || ctx.tx.scopesOf(imageId).length > 0) throw err.amiNotFound([imageId]);
  ctx.images?.onGenericImage?.(imageId);
  return genericImage(imageId);
};
