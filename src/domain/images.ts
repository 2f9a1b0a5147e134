/**
 * Registered images (RegisterImage, CreateImage, CopyImage, ModifyImageAttribute): name rules, who may launch an
 * image, and launch-permission changes. Pure rules over records.
 */
import { err } from "./errors.js";
import type { ImageBlockDevice, ImageLaunchPermission, ImageRecord } from "./types.js";

/**
 * AWS's constraint [DOC CreateImage/RegisterImage Name]: 3–128 characters of letters, digits and `( ) [ ] space . /
 * - ' @ _`. The error text AWS sends names fewer characters than it accepts (AWS-OBS, see errors.ts).
 */
export const validateAmiName = (name: string): void => {
  if (!/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/.test(name)) throw err.amiNameMalformed();
};

/** A name is unique among the account's images in the Region. */
export const checkAmiNameFree = (name: string, owned: readonly ImageRecord[]): void => {
  const taken = owned.find((i) => i.name === name);
  if (taken) throw err.amiNameDuplicate(name, taken.id);
};

/** The owner, the public (group all), and the accounts granted a launch permission may see and launch an image. */
export const canLaunch = (image: ImageRecord, account: string): boolean =>
  image.ownerId === account || image.launchPermissions.some((p) => p.group === "all" || p.userId === account);

export const isPublic = (image: ImageRecord): boolean => image.launchPermissions.some((p) => p.group === "all");

const SNAPSHOT_ID = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * RegisterImage's block device mappings for an EBS-backed image: the root device needs an EBS mapping with a
 * snapshot (the image's disk); other devices may add empty volumes of a size or other snapshots.
 */
export const checkRegisteredDevices = (rootDeviceName: string, devices: readonly ImageBlockDevice[]): void => {
  for (const d of devices) if (d.snapshotId !== undefined && !SNAPSHOT_ID.test(d.snapshotId)) throw err.snapshotMalformed(d.snapshotId);
  const root = devices.find((d) => d.deviceName === rootDeviceName);
  if (!root?.snapshotId) throw err.amiRootDeviceMissing(rootDeviceName);
};

/** ModifyImageAttribute launchPermission: add then remove; user ids are 12-digit account ids, the only group is `all`. */
export const changeLaunchPermissions = (
  current: readonly ImageLaunchPermission[],
  add: readonly ImageLaunchPermission[],
  remove: readonly ImageLaunchPermission[],
): ImageLaunchPermission[] => {
  for (const p of [...add, ...remove]) {
    if (p.userId !== undefined && !/^\d{12}$/.test(p.userId)) throw err.amiAttributeItemValue(p.userId, "userId");
  }
  const same = (a: ImageLaunchPermission, b: ImageLaunchPermission): boolean => a.userId === b.userId && a.group === b.group;
  const out = [...current];
  for (const p of add) if (!out.some((o) => same(o, p))) out.push(p);
  return out.filter((o) => !remove.some((r) => same(o, r)));
};
