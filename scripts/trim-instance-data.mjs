#!/usr/bin/env node
// Regenerates localvpc's instance-type data from the shared AWS dumps (../shared/data, see its README):
//   data/instance-types.json.gz          every DescribeInstanceTypes item, complete, sorted by name (gzipped: 3 MB of
//                                        JSON is 80 kB; the catalogue gunzips and parses it once, on first use)
//   data/instance-type-offerings.json    per region, its Availability Zones (name and id) and which types each offers,
//                                        as a bitset over the sorted type names (base64), so the file stays small
// Zone names and zone ids come as two separate lists in the dump; a name is paired with the id whose offered types
// are identical (unique in every region but il-central-1, whose zones a and c offer the same types: paired in order).
// Run: node scripts/trim-instance-data.mjs [SHARED_DATA_DIR]
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const shared = process.argv[2] ?? join(root, "..", "shared", "data");
const readGz = (name) => JSON.parse(gunzipSync(readFileSync(join(shared, name))).toString("utf8"));

const types = readGz("describe-instance-types-full.json.gz").sort((a, b) => (a.InstanceType < b.InstanceType ? -1 : 1));
const names = types.map((t) => t.InstanceType);
if (new Set(names).size !== names.length) throw new Error("duplicate instance types");
const index = new Map(names.map((n, i) => [n, i]));
writeFileSync(join(root, "data", "instance-types.json.gz"), gzipSync(JSON.stringify(types), { level: 9 }));

const offerings = readGz("instance-type-offerings.json.gz");
const bitset = (list) => {
  const bits = new Uint8Array(Math.ceil(names.length / 8));
  for (const t of list) {
    const i = index.get(t);
    if (i === undefined) throw new Error(`offered type ${t} has no DescribeInstanceTypes item`);
    bits[i >> 3] |= 1 << (i & 7);
  }
  return Buffer.from(bits).toString("base64");
};
const key = (list) => [...list].sort().join(",");
const regions = {};
for (const region of Object.keys(offerings["availability-zone"]).sort()) {
  const byName = offerings["availability-zone"][region];
  const idsLeft = Object.entries(offerings["availability-zone-id"][region]).sort(([a], [b]) => (a < b ? -1 : 1));
  const zones = [];
  for (const zoneName of Object.keys(byName).sort()) {
    const list = byName[zoneName];
    const at = idsLeft.findIndex(([, l]) => key(l) === key(list));
    if (at < 0) throw new Error(`${zoneName}: no zone id offers the same types`);
    const [zoneId] = idsLeft.splice(at, 1)[0];
    zones.push({ zoneName, zoneId, offered: bitset(list) });
  }
  const union = new Set(Object.values(byName).flat());
  const regional = offerings.region[region][region];
  if (regional.length !== union.size || !regional.every((t) => union.has(t)))
    throw new Error(`${region}: region offerings differ from its zones'`);
  regions[region] = zones;
}
writeFileSync(join(root, "data", "instance-type-offerings.json"), JSON.stringify({ types: names.length, regions }, null, 1) + "\n");
console.log(`${names.length} instance types, offerings for ${Object.keys(regions).length} regions`);
for (const [r, zones] of Object.entries(regions)) console.log(`  ${r}: ${zones.map((z) => `${z.zoneName}=${z.zoneId}`).join(" ")}`);
