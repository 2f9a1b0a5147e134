#!/usr/bin/env node
// Writes data/aws-prefix-lists.json (the CIDRs of the AWS-managed prefix lists localvpc serves) from AWS's
// published ip-ranges.json (https://ip-ranges.amazonaws.com/ip-ranges.json):
//   node scripts/trim-prefix-lists.mjs path/to/ip-ranges.json
// It keeps the S3 and DYNAMODB prefixes per region (the lists com.amazonaws.REGION.s3 / .dynamodb, and the IPv6
// S3 prefixes as com.amazonaws.REGION.ipv6.s3), CLOUDFRONT_ORIGIN_FACING as the global CloudFront lists,
// EC2_INSTANCE_CONNECT and ROUTE53_HEALTHCHECKS per region. Lists the file lacks keep the entries already in
// data/aws-prefix-lists.json. Without an argument it only re-sorts the existing file.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "data", "aws-prefix-lists.json");
const current = JSON.parse(readFileSync(out, "utf8"));
const lists = { ...current.lists };
const source = process.argv[2];
if (source) {
  const ranges = JSON.parse(readFileSync(source, "utf8"));
  const add = (name, cidr) => (lists[name] ??= new Set()).add(cidr);
  for (const k of Object.keys(lists)) lists[k] = new Set();
  const v4 = { S3: "s3", DYNAMODB: "dynamodb", EC2_INSTANCE_CONNECT: "ec2-instance-connect", ROUTE53_HEALTHCHECKS: "route53-healthchecks" };
  const v6 = { S3: "ipv6.s3", EC2_INSTANCE_CONNECT: "ipv6.ec2-instance-connect", ROUTE53_HEALTHCHECKS: "ipv6.route53-healthchecks" };
  for (const p of ranges.prefixes ?? []) {
    if (p.service === "CLOUDFRONT_ORIGIN_FACING") add("com.amazonaws.global.cloudfront.origin-facing", p.ip_prefix);
    else if (v4[p.service] && p.region !== "GLOBAL") add(`com.amazonaws.${p.region}.${v4[p.service]}`, p.ip_prefix);
  }
  for (const p of ranges.ipv6_prefixes ?? []) {
    if (p.service === "CLOUDFRONT_ORIGIN_FACING") add("com.amazonaws.global.ipv6.cloudfront.origin-facing", p.ipv6_prefix);
    else if (v6[p.service] && p.region !== "GLOBAL") add(`com.amazonaws.${p.region}.${v6[p.service]}`, p.ipv6_prefix);
  }
  for (const k of Object.keys(lists)) lists[k] = [...lists[k]];
  current.source = `ip-ranges.json syncToken ${ranges.syncToken} (${ranges.createDate})`;
}
const sorted = Object.fromEntries(
  Object.keys(lists)
    .sort()
    .map((k) => [k, [...lists[k]].sort()]),
);
writeFileSync(out, JSON.stringify({ source: current.source, lists: sorted }, null, 1) + "\n");
console.log(`data/aws-prefix-lists.json: ${Object.keys(sorted).length} lists`);
