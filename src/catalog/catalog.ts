/**
 * Static AWS facts localvpc serves: instance types (data/instance-types.json.gz, every DescribeInstanceTypes item as
 * AWS answers it), which types each Availability Zone offers (data/instance-type-offerings.json), both produced by
 * scripts/trim-instance-data.mjs, and a small built-in AMI catalogue. The rules receive the catalogue as data, so
 * domain code stays free of I/O.
 *
 * The instance-type data is 3 MB of JSON: it is read, gunzipped and parsed once, on first use (the first
 * RunInstances, DescribeInstanceTypes …), not at start, and a region's offerings are decoded when first asked for.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { regionInfo } from "../domain/regions.js";
import type { RegionOfferings, ZoneOfferings } from "../domain/offerings.js";
import type { InstanceTypeInfo } from "../protocol/model/shapes.js";
import { BUILTIN_IMAGES, type ImageInfo } from "./images.js";

export interface Catalog {
  /** Every instance type AWS describes, in name order (DescribeInstanceTypes pages through it). */
  readonly instanceTypes: ReadonlyMap<string, InstanceTypeInfo>;
  readonly images: ReadonlyMap<string, ImageInfo>;
  /** Which types each zone of a region offers (every type in every zone of a region the data does not cover). */
  readonly offerings: (region: string) => RegionOfferings;
}

const readData = (relative: string): Buffer => {
  for (const base of ["../../", "../../../"]) {
    try {
      return readFileSync(new URL(base + relative, import.meta.url));
    } catch {
      // try the next layout (src/ under tsx, or dist/src/)
    }
  }
  throw new Error(`${relative} not found`);
};

interface OfferingsFile {
  /** How many instance types the bitsets cover (the sorted list in instance-types.json.gz). */
  readonly types: number;
  readonly regions: Readonly<Record<string, readonly { zoneName: string; zoneId: string; offered: string }[]>>;
}

/**
 * A map filled on first use. The catalogue is a plain object of own properties (callers may spread it to add
 * images), so its laziness lives in its values, not in getters a spread would run.
 */
class LazyMap<K, V> implements ReadonlyMap<K, V> {
  #map: Map<K, V> | undefined;
  constructor(private readonly load: () => Map<K, V>) {}
  get #m(): Map<K, V> {
    return (this.#map ??= this.load());
  }
  get size(): number {
    return this.#m.size;
  }
  get(key: K): V | undefined {
    return this.#m.get(key);
  }
  has(key: K): boolean {
    return this.#m.has(key);
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    this.#m.forEach((v, k) => fn(v, k, this));
  }
  entries(): MapIterator<[K, V]> {
    return this.#m.entries();
  }
  keys(): MapIterator<K> {
    return this.#m.keys();
  }
  values(): MapIterator<V> {
    return this.#m.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#m[Symbol.iterator]();
  }
}

const readTypes = (): Map<string, InstanceTypeInfo> => {
  const list = JSON.parse(gunzipSync(readData("data/instance-types.json.gz")).toString("utf8")) as InstanceTypeInfo[];
  return new Map(list.map((t) => [String(t.InstanceType), t]));
};

const createCatalog = (): Catalog => {
  const instanceTypes = new LazyMap(readTypes);
  let file: OfferingsFile | undefined;
  const regions = new Map<string, RegionOfferings>();
  const decode = (region: string): RegionOfferings => {
    file ??= JSON.parse(readData("data/instance-type-offerings.json").toString("utf8")) as OfferingsFile;
    const names = [...instanceTypes.keys()];
    if (names.length !== file.types) throw new Error("data/instance-type-offerings.json does not match data/instance-types.json.gz");
    const zones = file.regions[region];
    if (!zones) {
      const all = new Set(names);
      return { region, known: false, zones: regionInfo(region).zones.map((z) => ({ ...z, types: all })), types: all };
    }
    const decoded: ZoneOfferings[] = zones.map((z) => {
      const bits = Buffer.from(z.offered, "base64");
      return { zoneName: z.zoneName, zoneId: z.zoneId, types: new Set(names.filter((_, i) => (bits[i >> 3]! & (1 << (i & 7))) !== 0)) };
    });
    return { region, known: true, zones: decoded, types: new Set(decoded.flatMap((z) => [...z.types])) };
  };
  return {
    instanceTypes,
    images: new Map(BUILTIN_IMAGES.map((i) => [i.imageId, i])),
    offerings: (region) => {
      let o = regions.get(region);
      if (!o) regions.set(region, (o = decode(region)));
      return o;
    },
  };
};

let cached: Catalog | undefined;
export const loadCatalog = (): Catalog => (cached ??= createCatalog());
