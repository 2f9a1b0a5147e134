/**
 * `serve --images FILE` (library `imagesFile`, issue 15): a catalogue of AMIs in the form
 * `aws ec2 describe-images --output json` prints (`{"Images": [...]}`), added to the built-in images in every Region.
 * Each entry is checked against the model's Image shape so that a bad file stops the start with a message naming
 * the entry and member, never a broken answer later.
 */
import { readFileSync } from "node:fs";
import type { ImageInfo } from "../../catalog/images.js";
import { shape } from "../../protocol/model/index.js";
import type { Image } from "../../protocol/model/shapes.js";

class ImagesFileError extends Error {}

/** The value conformed to a model shape: unknown members dropped, types and enums checked. */
const conform = (shapeName: string, value: unknown, where: string): unknown => {
  const s = shape(shapeName);
  const fail = (what: string): never => {
    throw new ImagesFileError(`${where}: ${what}`);
  };
  switch (s.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("expected an object");
      const out: Record<string, unknown> = {};
      for (const [name, def] of Object.entries(s.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v !== undefined && v !== null) out[name] = conform(def.shape, v, `${where}.${name}`);
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) return fail("expected a list");
      return value.map((v, i) => conform(s.member?.shape ?? "String", v, `${where}[${i}]`));
    case "boolean":
      return typeof value === "boolean" ? value : fail("expected true or false");
    case "integer":
    case "long":
      return Number.isInteger(value) ? value : fail("expected an integer");
    case "double":
    case "float":
      return typeof value === "number" ? value : fail("expected a number");
    case "timestamp": {
      const d = new Date(String(value));
      return Number.isNaN(d.getTime()) ? fail("expected a date") : d;
    }
    default:
      if (typeof value !== "string") return fail("expected a string");
      if (s.enum && !s.enum.includes(value)) return fail(`'${value}' is not one of ${s.enum.join(", ")}`);
      return value;
  }
};

const ARCHITECTURES = ["i386", "x86_64", "arm64"] as const;

/** Reads and checks the file; throws an Error whose message names the file, the entry and what is wrong. */
export const loadImagesFile = (path: string): ImageInfo[] => {
  const where = `--images ${path}`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${where}: cannot read it as JSON (${(e as Error).message})`, { cause: e });
  }
  const list = (json as { Images?: unknown } | null)?.Images;
  if (!Array.isArray(list))
    throw new Error(`${where}: expected the output of 'aws ec2 describe-images --output json', an object {"Images": [...]}`);
  const seen = new Set<string>();
  return list.map((raw, n) => {
    const at = `${where}: Images[${n}]`;
    let image: Image;
    try {
      image = conform("Image", raw, at) as Image;
    } catch (e) {
      throw e instanceof ImagesFileError ? new Error(e.message) : e;
    }
    const id = image.ImageId ?? "";
    if (!/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(id))
      throw new Error(`${at}.ImageId: '${id}' is not an AMI id (ami- and 8 or 17 hex digits)`);
    if (seen.has(id)) throw new Error(`${at}.ImageId: ${id} appears twice`);
    seen.add(id);
    const arch = image.Architecture ?? "x86_64";
    if (!(ARCHITECTURES as readonly string[]).includes(arch))
      throw new Error(`${at}.Architecture: localvpc launches ${ARCHITECTURES.join(", ")} images, not ${arch}`);
    const rootDeviceName = image.RootDeviceName ?? "/dev/xvda";
    const root = image.BlockDeviceMappings?.find((b) => b.DeviceName === rootDeviceName)?.Ebs;
    const platformDetails = image.PlatformDetails ?? (image.Platform === "Windows" ? "Windows" : "Linux/UNIX");
    return {
      imageId: id,
      name: image.Name ?? "",
      description: image.Description ?? "",
      ownerId: image.OwnerId ?? "",
      ownerAlias: image.ImageOwnerAlias ?? "",
      architecture: arch,
      platformDetails,
      rootDeviceName,
      creationDate: image.CreationDate ?? "",
      virtualizationType: image.VirtualizationType ?? "hvm",
      rootVolumeSize: root?.VolumeSize,
      rootSnapshotId: root?.SnapshotId,
      view: {
        State: "available",
        RootDeviceType: "ebs",
        ImageType: "machine",
        ...image,
        RootDeviceName: rootDeviceName,
        Architecture: arch,
      },
    };
  });
};
