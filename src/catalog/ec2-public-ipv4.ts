/**
 * Where a Region's Amazon-pool public IPv4 addresses come from (issue 15): the largest service "EC2" prefixes of
 * each Region in AWS's ip-ranges.json, trimmed into data/ec2-public-ipv4.json by scripts/trim-ec2-ranges.mjs (the
 * file names its source and date). Read once, on first use. A Region the file lacks uses the fallback pool
 * (`DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS`, us-east-1's ranges). The union of every Region's blocks is what the data
 * plane treats as Amazon's address space (routed to AWS from the internet).
 */
import { readFileSync } from "node:fs";
import { DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS, publicIpv4Pool, type PublicIpv4Pool } from "../domain/addressing.js";

let regions: Readonly<Record<string, readonly string[]>> | undefined;

const load = (): Readonly<Record<string, readonly string[]>> => {
  for (const base of ["../../", "../../../"]) {
    try {
      const text = readFileSync(new URL(base + "data/ec2-public-ipv4.json", import.meta.url), "utf8");
      return (JSON.parse(text) as { regions: Record<string, string[]> }).regions;
    } catch {
      // try the next layout (src/ under tsx, or dist/src/)
    }
  }
  return {};
};

const data = (): Readonly<Record<string, readonly string[]>> => (regions ??= load());

/** The Region's blocks as CIDR texts (the fallback for a Region the data lacks). */
export const ec2PublicIpv4Blocks = (region: string): readonly string[] => data()[region] ?? DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS;

const pools = new Map<string, PublicIpv4Pool>();

/** The Region's pool, compiled once per Region. */
export const ec2PublicIpv4Pool = (region: string): PublicIpv4Pool => {
  let pool = pools.get(region);
  if (!pool) {
    pool = publicIpv4Pool(ec2PublicIpv4Blocks(region));
    pools.set(region, pool);
  }
  return pool;
};

let union: readonly string[] | undefined;

/** Every Region's blocks and the fallback's, deduplicated: Amazon's public IPv4 space as the data plane sees it. */
export const amazonPublicIpv4Union = (): readonly string[] =>
  (union ??= [...new Set([...Object.values(data()).flat(), ...DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS])].sort());
