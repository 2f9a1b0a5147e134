#!/usr/bin/env node
// Writes data/ec2-public-ipv4.json (the blocks localvpc hands Amazon-pool public IPv4 addresses out from, per Region)
// from AWS's published ip-ranges.json (https://ip-ranges.amazonaws.com/ip-ranges.json):
//   node scripts/trim-ec2-ranges.mjs path/to/ip-ranges.json
// It keeps, per Region, the largest service "EC2" IPv4 prefixes (at most PER_REGION, none longer than /24: larger
// blocks make collisions rarer and look like what AWS hands out), sorted by address. GLOBAL prefixes are not a
// Region's. Without an argument it only re-sorts the existing file.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const PER_REGION = 6;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "data", "ec2-public-ipv4.json");
const current = (() => {
  try {
    return JSON.parse(readFileSync(out, "utf8"));
  } catch {
    return { regions: {} };
  }
})();
const toNumber = (cidr) =>
  cidr
    .split("/")[0]
    .split(".")
    .reduce((n, o) => n * 256 + Number(o), 0);
const len = (cidr) => Number(cidr.split("/")[1]);
const byAddress = (a, b) => toNumber(a) - toNumber(b);
let regions = current.regions;
const source = process.argv[2];
if (source) {
  const ranges = JSON.parse(readFileSync(source, "utf8"));
  const all = {};
  for (const p of ranges.prefixes ?? []) {
    if (p.service !== "EC2" || p.region === "GLOBAL" || len(p.ip_prefix) > 24) continue;
    (all[p.region] ??= new Set()).add(p.ip_prefix);
  }
  regions = {};
  for (const [region, set] of Object.entries(all)) {
    regions[region] = [...set].sort((a, b) => len(a) - len(b) || byAddress(a, b)).slice(0, PER_REGION);
  }
  current.source =
    `AWS ip-ranges.json syncToken ${ranges.syncToken}, createDate ${ranges.createDate} (copy: github.com/seligman/aws-ip-ranges); ` +
    `service EC2, IPv4, the ${PER_REGION} largest prefixes per Region. Regenerate with scripts/trim-ec2-ranges.mjs ip-ranges.json.`;
}
const sorted = Object.fromEntries(
  Object.keys(regions)
    .sort()
    .map((k) => [k, [...regions[k]].sort(byAddress)]),
);
writeFileSync(out, JSON.stringify({ source: current.source, regions: sorted }, null, 1) + "\n");
console.log(`data/ec2-public-ipv4.json: ${Object.keys(sorted).length} regions`);
