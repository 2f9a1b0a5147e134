/**
 * Static AWS facts localvpc serves: instance types (data/instance-types.json, from AWS's DescribeInstanceTypes
 * output; see data/README.md) and a small built-in AMI catalogue. Loaded once from disk; the rules receive the
 * catalogue as data, so domain code stays free of I/O.
 */
import { readFileSync } from "node:fs";
import type { InstanceTypeInfo } from "../protocol/model/shapes.js";
import { BUILTIN_IMAGES, type ImageInfo } from "./images.js";

export interface Catalog {
  readonly instanceTypes: ReadonlyMap<string, InstanceTypeInfo>;
  /** Instance types in name order (DescribeInstanceTypes pages through this). */
  readonly instanceTypeList: readonly InstanceTypeInfo[];
  readonly images: ReadonlyMap<string, ImageInfo>;
}

const readJson = (relative: string): unknown => {
  for (const base of ["../../", "../../../"]) {
    try {
      return JSON.parse(readFileSync(new URL(base + relative, import.meta.url), "utf8"));
    } catch {
      // try the next layout (src/ under tsx, or dist/src/)
    }
  }
  throw new Error(`${relative} not found`);
};

let cached: Catalog | undefined;
export const loadCatalog = (): Catalog => {
  if (!cached) {
    const list = (readJson("data/instance-types.json") as InstanceTypeInfo[]).map((t) => ({
      ...t,
      // The dump omits BareMetal; AWS reports it for every type (true exactly for *.metal*).
      BareMetal: t.BareMetal ?? String(t.InstanceType).includes(".metal"),
    }));
    cached = {
      instanceTypes: new Map(list.map((t) => [String(t.InstanceType), t])),
      instanceTypeList: list,
      images: new Map(BUILTIN_IMAGES.map((i) => [i.imageId, i])),
    };
  }
  return cached;
};
