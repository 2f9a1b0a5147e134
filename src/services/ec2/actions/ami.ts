/**
 * Images the account owns (issue 15): RegisterImage, CreateImage (from an instance), CopyImage (into the caller's
 * Region), DeregisterImage, and the image attributes (description, launch permissions). The snapshots behind an image
 * are stored snapshot records (no disk contents): CreateImage and CopyImage create them with AWS's descriptions,
 * RegisterImage needs the ones it names to exist, and DeleteSnapshot refuses while an image holds one.
 */
import { err } from "../../../domain/errors.js";
import { assertIdOf } from "../../../domain/ids.js";
import { changeLaunchPermissions, checkAmiNameFree, checkRegisteredDevices, validateAmiName } from "../../../domain/images.js";
import { isAwsRegion } from "../../../domain/regions.js";
import type { ImageBlockDevice, ImageLaunchPermission, ImageRecord } from "../../../domain/types.js";
import type { BlockDeviceMapping, ImageAttribute, LaunchPermission } from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { imageRootSize, snapshotOfImage } from "../instance-views.js";
import { must } from "../lookups.js";
import { knownImage, recordView, visibleRecord } from "../image-sources.js";
import { tagsFromSpecs } from "./tags.js";
import { newSnapshot } from "./volumes.js";

/**
 * A snapshot behind a new image, stored so DescribeSnapshots shows it and DeleteSnapshot sees it held. The
 * descriptions are AWS's: "Created by CreateImage(i-…) for ami-…" and "Copied for DestinationAmi ami-… from
 * SourceAmi ami-… for SourceSnapshot snap-…" (copies of catalogue images name no source snapshot we hold).
 */
const imageSnapshot = (ctx: ActionContext, p: { volumeId: string; size: number; encrypted: boolean; description: string }): string => {
  const snap = newSnapshot(ctx, { volumeId: p.volumeId, volumeSize: p.size, encrypted: p.encrypted, description: p.description, tags: [] });
  ctx.tx.put(snap);
  return snap.id;
};

/** AWS shows copied snapshots' source volume as this placeholder. */
const COPIED_VOLUME = "vol-ffffffff";

/** An image the caller owns (stored in its scope); another's visible image is AuthFailure, anything else NotFound. */
const ownImage = (ctx: ActionContext, imageId: string): ImageRecord => {
  const own = ctx.tx.get("image", imageId);
  if (own) return own;
  return must(ctx.tx, "image", imageId); // Malformed or NotFound
};
const ownOrRefuse = (ctx: ActionContext, imageId: string): ImageRecord => {
  const own = ctx.tx.get("image", imageId);
  if (!own && (visibleRecord(ctx, imageId) || ctx.catalog.images.has(imageId))) throw err.amiNotOwned(imageId);
  return ownImage(ctx, imageId);
};

/** RegisterImage's mappings as stored; members localvpc does not model are refused by name. */
const blockDevicesOf = (mappings: readonly BlockDeviceMapping[], action: string): ImageBlockDevice[] =>
  mappings.map((m, n) => {
    if (m.NoDevice !== undefined || m.VirtualName !== undefined)
      throw err.unsupportedParameter(`BlockDeviceMapping.${n + 1}.${m.NoDevice !== undefined ? "NoDevice" : "VirtualName"}`, action);
    const ebs = m.Ebs ?? {};
    for (const k of [
      "KmsKeyId",
      "OutpostArn",
      "VolumeInitializationRate",
      "AvailabilityZone",
      "AvailabilityZoneId",
      "EbsCardIndex",
    ] as const)
      if (ebs[k] !== undefined) throw err.unsupportedParameter(`BlockDeviceMapping.${n + 1}.Ebs.${k}`, action);
    return {
      deviceName: m.DeviceName ?? "",
      snapshotId: ebs.SnapshotId,
      volumeSize: ebs.VolumeSize,
      volumeType: ebs.VolumeType ?? "gp3",
      iops: ebs.Iops,
      throughput: ebs.Throughput,
      encrypted: ebs.Encrypted ?? false,
      deleteOnTermination: ebs.DeleteOnTermination ?? true,
    };
  });

const checkNewName = (ctx: ActionContext, name: string): void => {
  validateAmiName(name);
  checkAmiNameFree(name, ctx.tx.list("image"));
};

export const RegisterImage = defineAction({
  name: "RegisterImage",
  mutates: true,
  params: [
    "Name",
    "Description",
    "Architecture",
    "RootDeviceName",
    "BlockDeviceMappings",
    "VirtualizationType",
    "EnaSupport",
    "SriovNetSupport",
    "BootMode",
    "ImdsSupport",
    "TpmSupport",
    "TagSpecifications",
  ],
  run(input, ctx) {
    checkNewName(ctx, input.Name);
    const tags = tagsFromSpecs(input.TagSpecifications, "image", ctx);
    // An EBS-backed image needs its root device's snapshot (an instance-store image needs ImageLocation, not modelled).
    if (input.RootDeviceName === undefined) throw err.missingParameter("RootDeviceName");
    const blockDevices = blockDevicesOf(input.BlockDeviceMappings ?? [], "RegisterImage");
    checkRegisteredDevices(input.RootDeviceName, blockDevices);
    // Every snapshot named must be one the caller can read: its own (Malformed before NotFound, as everywhere).
    for (const d of blockDevices) if (d.snapshotId !== undefined) must(ctx.tx, "snapshot", d.snapshotId);
    const virtualization = input.VirtualizationType ?? "paravirtual";
    if (virtualization !== "hvm" && virtualization !== "paravirtual")
      throw err.invalidEnum("VirtualizationType", virtualization, ["hvm", "paravirtual"]);
    const record: ImageRecord = {
      kind: "image",
      id: ctx.ids.next("image"),
      tags,
      ownerId: ctx.scope.account,
      name: input.Name,
      description: input.Description,
      // AWS's defaults [DOC RegisterImage]: i386 and paravirtual for an EBS-backed image registered without them.
      architecture: input.Architecture ?? "i386",
      rootDeviceName: input.RootDeviceName,
      virtualizationType: virtualization,
      platformDetails: "Linux/UNIX",
      creationDate: ctx.now.toISOString(),
      enaSupport: input.EnaSupport ?? false,
      sriovNetSupport: input.SriovNetSupport,
      bootMode: input.BootMode,
      imdsSupport: input.ImdsSupport,
      tpmSupport: input.TpmSupport,
      blockDevices,
      launchPermissions: [],
    };
    ctx.tx.put(record);
    return { ImageId: record.id };
  },
});

export const CreateImage = defineAction({
  name: "CreateImage",
  mutates: true,
  params: ["InstanceId", "Name", "Description", "NoReboot", "TagSpecifications"],
  run(input, ctx) {
    const instance = must(ctx.tx, "instance", input.InstanceId);
    if (instance.state !== "running" && instance.state !== "stopped") throw err.instanceNotImageable(instance.id);
    checkNewName(ctx, input.Name);
    const tags = tagsFromSpecs(input.TagSpecifications, "image", ctx, ["snapshot"]);
    const source = knownImage(ctx, instance.imageId);
    const root = instance.rootVolume;
    const imageId = ctx.ids.next("image");
    const rootSize = root?.size ?? source?.rootVolumeSize ?? imageRootSize(instance.platformDetails);
    const record: ImageRecord = {
      kind: "image",
      id: imageId,
      tags,
      ownerId: ctx.scope.account,
      name: input.Name,
      description: input.Description,
      architecture: instance.architecture as ImageRecord["architecture"],
      rootDeviceName: instance.rootDeviceName,
      virtualizationType: "hvm",
      platformDetails: instance.platformDetails,
      creationDate: ctx.now.toISOString(),
      enaSupport: instance.enaSupport,
      sriovNetSupport: "simple",
      blockDevices: [
        {
          deviceName: instance.rootDeviceName,
          snapshotId: imageSnapshot(ctx, {
            volumeId: instance.rootVolumeId,
            size: rootSize,
            encrypted: root?.encrypted ?? false,
            description: `Created by CreateImage(${instance.id}) for ${imageId}`,
          }),
          volumeSize: rootSize,
          volumeType: root?.volumeType ?? "gp3",
          iops: root ? root.iops : 3000,
          throughput: root ? root.throughput : 125,
          encrypted: root?.encrypted ?? false,
          deleteOnTermination: root?.deleteOnTermination ?? true,
        },
      ],
      launchPermissions: [],
      sourceInstanceId: instance.id,
    };
    ctx.tx.put(record);
    return { ImageId: record.id };
  },
});

export const CopyImage = defineAction({
  name: "CopyImage",
  mutates: true,
  params: ["SourceImageId", "SourceRegion", "Name", "Description", "ClientToken", "TagSpecifications", "CopyImageTags"],
  run(input, ctx) {
    if (!isAwsRegion(input.SourceRegion)) throw err.regionNotFound(input.SourceRegion);
    checkNewName(ctx, input.Name);
    const tags = tagsFromSpecs(input.TagSpecifications, "image", ctx);
    // The source as the caller sees it in its Region: one of its images, one shared with it, or the catalogue's.
    const sourceScope = { account: ctx.scope.account, region: input.SourceRegion };
    const sourceCtx: ActionContext = { ...ctx, scope: sourceScope, tx: ctx.tx.forScope(sourceScope) };
    assertIdOf("image", input.SourceImageId);
    const stored = visibleRecord(sourceCtx, input.SourceImageId);
    const info = stored ? undefined : ctx.catalog.images.get(input.SourceImageId);
    if (!stored && !info) throw err.amiNotFound([input.SourceImageId]);
    const imageId = ctx.ids.next("image");
    const copied = (from: string | undefined, size: number, encrypted: boolean): string =>
      imageSnapshot(ctx, {
        volumeId: COPIED_VOLUME,
        size,
        encrypted,
        description: `Copied for DestinationAmi ${imageId} from SourceAmi ${input.SourceImageId}${from ? ` for SourceSnapshot ${from}` : ""}`,
      });
    const catalogueSize = info && (info.rootVolumeSize ?? imageRootSize(info.platformDetails));
    const blockDevices: ImageBlockDevice[] = stored
      ? stored.blockDevices.map((d) => ({
          ...d,
          snapshotId: d.snapshotId && copied(d.snapshotId, d.volumeSize ?? 8, d.encrypted ?? false),
        }))
      : [
          {
            deviceName: info!.rootDeviceName,
            snapshotId: copied(undefined, catalogueSize!, false),
            volumeSize: catalogueSize!,
            volumeType: "gp3",
            encrypted: false,
            deleteOnTermination: true,
          },
        ];
    const record: ImageRecord = {
      kind: "image",
      id: imageId,
      tags: input.CopyImageTags && stored?.ownerId === ctx.scope.account ? [...stored.tags, ...tags] : tags,
      ownerId: ctx.scope.account,
      name: input.Name,
      description: input.Description ?? stored?.description ?? info?.description,
      architecture: stored?.architecture ?? info!.architecture,
      rootDeviceName: stored?.rootDeviceName ?? info!.rootDeviceName,
      virtualizationType: stored?.virtualizationType ?? info!.virtualizationType,
      platformDetails: stored?.platformDetails ?? info!.platformDetails,
      creationDate: ctx.now.toISOString(),
      enaSupport: stored?.enaSupport ?? true,
      sriovNetSupport: stored ? stored.sriovNetSupport : "simple",
      bootMode: stored?.bootMode,
      imdsSupport: stored?.imdsSupport,
      tpmSupport: stored?.tpmSupport,
      blockDevices,
      launchPermissions: [],
      sourceImageId: input.SourceImageId,
      sourceImageRegion: input.SourceRegion,
    };
    ctx.tx.put(record);
    return { ImageId: record.id };
  },
});

export const DeregisterImage = defineAction({
  name: "DeregisterImage",
  mutates: true,
  params: ["ImageId"],
  run(input, ctx) {
    const image = ownOrRefuse(ctx, input.ImageId);
    ctx.tx.delete(image.id);
    return { Return: true };
  },
});

const permissionView = (p: ImageLaunchPermission): LaunchPermission => ({ UserId: p.userId, Group: p.group });
const permissionOf = (p: LaunchPermission, n: number, list: string): ImageLaunchPermission => {
  if (p.OrganizationArn !== undefined)
    throw err.unsupportedParameter(`LaunchPermission.${list}.${n + 1}.OrganizationArn`, "ModifyImageAttribute");
  if (p.OrganizationalUnitArn !== undefined)
    throw err.unsupportedParameter(`LaunchPermission.${list}.${n + 1}.OrganizationalUnitArn`, "ModifyImageAttribute");
  return p.Group !== undefined ? { group: p.Group } : { userId: p.UserId ?? "" };
};

export const DescribeImageAttribute = defineAction({
  name: "DescribeImageAttribute",
  mutates: false,
  params: ["ImageId", "Attribute"],
  run(input, ctx) {
    const stored = ctx.tx.get("image", input.ImageId) ?? visibleRecord(ctx, input.ImageId);
    if (!stored) {
      // The catalogue's images are Amazon's: their attributes other than launch permissions read from the image.
      assertIdOf("image", input.ImageId);
      const info = ctx.catalog.images.get(input.ImageId);
      if (!info) throw err.amiNotFound([input.ImageId]);
      if (input.Attribute === "launchPermission") throw err.amiNotOwned(input.ImageId);
    }
    const view = stored ? recordView(stored) : undefined;
    const info = stored ? undefined : ctx.catalog.images.get(input.ImageId)!;
    const out: ImageAttribute = { ImageId: input.ImageId };
    switch (input.Attribute) {
      case "description":
        return { ...out, Description: { Value: view ? view.Description : info!.description } };
      case "launchPermission":
        if (stored!.ownerId !== ctx.scope.account) throw err.amiNotOwned(input.ImageId);
        return { ...out, LaunchPermissions: stored!.launchPermissions.map(permissionView) };
      case "blockDeviceMapping":
        return {
          ...out,
          BlockDeviceMappings: view
            ? view.BlockDeviceMappings
            : [
                {
                  DeviceName: info!.rootDeviceName,
                  Ebs: {
                    DeleteOnTermination: true,
                    SnapshotId: info!.rootSnapshotId ?? snapshotOfImage(info!.imageId),
                    VolumeSize: info!.rootVolumeSize ?? imageRootSize(info!.platformDetails),
                    VolumeType: "gp3",
                    Encrypted: false,
                  },
                },
              ],
        };
      case "sriovNetSupport":
        return { ...out, SriovNetSupport: { Value: view ? view.SriovNetSupport : "simple" } };
      case "bootMode":
        return { ...out, BootMode: { Value: view?.BootMode } };
      case "imdsSupport":
        return { ...out, ImdsSupport: { Value: view?.ImdsSupport } };
      case "tpmSupport":
        return { ...out, TpmSupport: { Value: view?.TpmSupport } };
      case "kernel":
        return { ...out, KernelId: {} };
      case "ramdisk":
        return { ...out, RamdiskId: {} };
      case "productCodes":
        return { ...out, ProductCodes: [] };
      case "lastLaunchedTime":
        return { ...out, LastLaunchedTime: {} };
      default:
        throw err.unsupportedParameterValue("Attribute", input.Attribute, "DescribeImageAttribute");
    }
  },
});

export const ModifyImageAttribute = defineAction({
  name: "ModifyImageAttribute",
  mutates: true,
  params: ["ImageId", "Attribute", "Description", "LaunchPermission", "OperationType", "UserIds", "UserGroups", "Value"],
  run(input, ctx) {
    const image = ownOrRefuse(ctx, input.ImageId);
    const attribute = input.Attribute ?? (input.Description !== undefined ? "description" : "launchPermission");
    if (attribute === "description") {
      const value = input.Description?.Value ?? input.Value;
      ctx.tx.put({ ...image, description: value });
      return {};
    }
    if (attribute !== "launchPermission") throw err.unsupportedParameterValue("Attribute", attribute, "ModifyImageAttribute");
    // Either LaunchPermission.Add/Remove, or the older OperationType with UserId.N / UserGroup.N.
    const listed: ImageLaunchPermission[] = [
      ...(input.UserIds ?? []).map((u) => ({ userId: u })),
      ...(input.UserGroups ?? []).map((g) => {
        if (g !== "all") throw err.amiAttributeItemValue(g, "group");
        return { group: "all" as const };
      }),
    ];
    if (listed.length > 0 && input.OperationType === undefined) throw err.missingParameter("OperationType");
    const add = [
      ...(input.LaunchPermission?.Add ?? []).map((p, n) => permissionOf(p, n, "Add")),
      ...(input.OperationType === "add" ? listed : []),
    ];
    const remove = [
      ...(input.LaunchPermission?.Remove ?? []).map((p, n) => permissionOf(p, n, "Remove")),
      ...(input.OperationType === "remove" ? listed : []),
    ];
    ctx.tx.put({ ...image, launchPermissions: changeLaunchPermissions(image.launchPermissions, add, remove) });
    return {};
  },
});

export const ResetImageAttribute = defineAction({
  name: "ResetImageAttribute",
  mutates: true,
  params: ["ImageId", "Attribute"],
  run(input, ctx) {
    const image = ownOrRefuse(ctx, input.ImageId);
    ctx.tx.put({ ...image, launchPermissions: [] });
    return {};
  },
});

export const AMI_ACTIONS = [
  RegisterImage,
  CreateImage,
  CopyImage,
  DeregisterImage,
  DescribeImageAttribute,
  ModifyImageAttribute,
  ResetImageAttribute,
];
