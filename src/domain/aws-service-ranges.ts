/**
 * `pkt-src-aws-service` / `pkt-dst-aws-service` (flow-log fields, version 5; issue 21): the name of the subset of AWS's
 * published IP ranges (ip-ranges.json) that holds the packet's address: S3, DYNAMODB, EC2, EC2_INSTANCE_CONNECT,
 * CLOUDFRONT, AMAZON … "If the IP address is part of overlapping ranges, only one is shown" (FLOWREC, shared/spec/
 * dataplane.md §1.3): here the most specific range wins, and on equal ranges a named service wins over the AMAZON
 * superset (AWS's own example shows `S3`, not `AMAZON`, for an S3 address).
 *
 * The ranges are compiled once into disjoint intervals sorted by start (two typed arrays and a name per interval), so
 * a lookup is one binary search: O(log n), no allocation.
 */
import { parseNet } from "./dataplane/ip.js";

export interface ServiceRange {
  /** An IPv4 CIDR (IPv6 entries are skipped: flow logs' IPv6 path is not modelled). */
  readonly cidr: string;
  /** The ip-ranges.json service name: S3, DYNAMODB, EC2, AMAZON … */
  readonly service: string;
}

export interface ServiceRanges {
  /** Interval starts and (inclusive) ends as unsigned 32-bit numbers, sorted, disjoint. */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly services: readonly string[];
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly len: number;
  readonly service: string;
}

/** Which of two covering ranges an address shows: the longer prefix, then a named service over AMAZON, then the name. */
const wins = (a: Span, b: Span): boolean =>
  a.len !== b.len ? a.len > b.len : (a.service === "AMAZON") !== (b.service === "AMAZON") ? b.service === "AMAZON" : a.service < b.service;

export const compileServiceRanges = (ranges: readonly ServiceRange[]): ServiceRanges => {
  const spans: Span[] = [];
  for (const r of ranges) {
    const n = parseNet(r.cidr);
    if (!n) continue;
    const start = n.net >>> 0;
    spans.push({ start, end: start + 2 ** (32 - n.len) - 1, len: n.len, service: r.service });
  }
  // Elementary intervals between every range edge, each shown as its winning range's service (ranges are few: the
  // quadratic pass runs once, at load).
  const edges = [...new Set(spans.flatMap((s) => [s.start, s.end + 1]))].sort((a, b) => a - b);
  const starts: number[] = [];
  const ends: number[] = [];
  const services: string[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i]!;
    const hi = edges[i + 1]! - 1;
    let best: Span | undefined;
    for (const s of spans) if (s.start <= lo && s.end >= hi && (!best || wins(s, best))) best = s;
    if (!best) continue;
    const last = services.length - 1;
    if (last >= 0 && services[last] === best.service && ends[last]! + 1 === lo) ends[last] = hi;
    else {
      starts.push(lo);
      ends.push(hi);
      services.push(best.service);
    }
  }
  return { starts: Float64Array.from(starts), ends: Float64Array.from(ends), services };
};

/** The service whose range holds `address` (an unsigned 32-bit IPv4 number), or undefined for any other number. */
export const awsServiceOf = (r: ServiceRanges, address: number): string | undefined => {
  // Flow rows number IPv6 addresses above the IPv4 space (dataplane/ip6.ts): never an IPv4 range's.
  if (!(address >= 0 && address <= 0xffffffff)) return undefined;
  const a = address;
  let lo = 0;
  let hi = r.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (r.starts[mid]! > a) hi = mid - 1;
    else if (r.ends[mid]! < a) lo = mid + 1;
    else return r.services[mid];
  }
  return undefined;
};

/**
 * The service of an AWS-managed prefix list's name (`com.amazonaws.<region>.s3` → S3, `….dynamodb` → DYNAMODB,
 * `….ec2-instance-connect` → EC2_INSTANCE_CONNECT, `com.amazonaws.global.cloudfront.origin-facing` → CLOUDFRONT);
 * undefined for IPv6 lists and names it does not know.
 */
export const serviceOfPrefixList = (name: string): string | undefined => {
  if (name.includes(".ipv6.")) return undefined;
  if (name.endsWith(".s3")) return "S3";
  if (name.endsWith(".dynamodb")) return "DYNAMODB";
  if (name.endsWith(".ec2-instance-connect")) return "EC2_INSTANCE_CONNECT";
  if (name.includes(".cloudfront.")) return "CLOUDFRONT";
  return undefined;
};
