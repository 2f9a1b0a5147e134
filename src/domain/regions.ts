/**
 * Every AWS region and its Availability Zones (name and zone id). Zone-name → zone-id pairings differ per account in
 * AWS; localvpc serves one fixed pairing, the one AWS's own DescribeInstanceTypeOfferings dump shows (data/, see
 * scripts/trim-instance-data.mjs, which prints it), so that tests are deterministic. The regions that dump does not
 * cover (newer ones, China, GovCloud, the European Sovereign Cloud) get zones a–c paired with az1–az3 in order, or
 * the names AWS documents for them: those pairings are marked unverified.
 */
export interface ZoneInfo {
  readonly zoneName: string;
  readonly zoneId: string;
  readonly regionName: string;
}
export interface RegionInfo {
  readonly regionName: string;
  readonly zones: readonly ZoneInfo[];
}

/** Region → its zones as "letter:zone-id", in letter order. */
const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  // From AWS's offerings dump (data/instance-type-offerings.json).
  "af-south-1": ["a:afs1-az1", "b:afs1-az2", "c:afs1-az3"],
  "ap-east-1": ["a:ape1-az1", "b:ape1-az2", "c:ape1-az3"],
  "ap-northeast-1": ["a:apne1-az4", "c:apne1-az1", "d:apne1-az2"],
  "ap-northeast-2": ["a:apne2-az1", "b:apne2-az2", "c:apne2-az3", "d:apne2-az4"],
  "ap-northeast-3": ["a:apne3-az3", "b:apne3-az1", "c:apne3-az2"],
  "ap-south-1": ["a:aps1-az1", "b:aps1-az3", "c:aps1-az2"],
  "ap-south-2": ["a:aps2-az1", "b:aps2-az2", "c:aps2-az3"],
  "ap-southeast-1": ["a:apse1-az1", "b:apse1-az2", "c:apse1-az3"],
  "ap-southeast-2": ["a:apse2-az3", "b:apse2-az1", "c:apse2-az2"],
  "ap-southeast-3": ["a:apse3-az1", "b:apse3-az2", "c:apse3-az3"],
  "ap-southeast-4": ["a:apse4-az1", "b:apse4-az2", "c:apse4-az3"],
  "ap-southeast-5": ["a:apse5-az1", "b:apse5-az2", "c:apse5-az3"],
  "ca-central-1": ["a:cac1-az1", "b:cac1-az2", "d:cac1-az4"],
  "ca-west-1": ["a:caw1-az1", "b:caw1-az2", "c:caw1-az3"],
  "eu-central-1": ["a:euc1-az2", "b:euc1-az3", "c:euc1-az1"],
  "eu-central-2": ["a:euc2-az1", "b:euc2-az2", "c:euc2-az3"],
  "eu-north-1": ["a:eun1-az1", "b:eun1-az2", "c:eun1-az3"],
  "eu-south-1": ["a:eus1-az1", "b:eus1-az2", "c:eus1-az3"],
  "eu-south-2": ["a:eus2-az1", "b:eus2-az2", "c:eus2-az3"],
  "eu-west-1": ["a:euw1-az3", "b:euw1-az1", "c:euw1-az2"],
  "eu-west-2": ["a:euw2-az2", "b:euw2-az3", "c:euw2-az1"],
  "eu-west-3": ["a:euw3-az1", "b:euw3-az2", "c:euw3-az3"],
  // Zones a and c offer the same types in the dump, so their ids are paired in order (unverified).
  "il-central-1": ["a:ilc1-az1", "b:ilc1-az2", "c:ilc1-az3"],
  "me-central-1": ["a:mec1-az1", "b:mec1-az2", "c:mec1-az3"],
  "me-south-1": ["a:mes1-az1", "b:mes1-az2", "c:mes1-az3"],
  "sa-east-1": ["a:sae1-az1", "b:sae1-az2", "c:sae1-az3"],
  "us-east-1": ["a:use1-az2", "b:use1-az4", "c:use1-az6", "d:use1-az1", "e:use1-az3", "f:use1-az5"],
  "us-east-2": ["a:use2-az1", "b:use2-az2", "c:use2-az3"],
  "us-west-1": ["a:usw1-az1", "b:usw1-az3"],
  "us-west-2": ["a:usw2-az2", "b:usw2-az1", "c:usw2-az3", "d:usw2-az4"],
  // Not in the dump: zone ids as AWS names them, paired in order (unverified).
  "ap-east-2": ["a:ape2-az1", "b:ape2-az2", "c:ape2-az3"],
  "ap-southeast-6": ["a:apse6-az1", "b:apse6-az2", "c:apse6-az3"],
  "ap-southeast-7": ["a:apse7-az1", "b:apse7-az2", "c:apse7-az3"],
  "mx-central-1": ["a:mxc1-az1", "b:mxc1-az2", "c:mxc1-az3"],
  "cn-north-1": ["a:cnn1-az1", "b:cnn1-az2", "d:cnn1-az4"],
  "cn-northwest-1": ["a:cnnw1-az1", "b:cnnw1-az2", "c:cnnw1-az3"],
  "us-gov-east-1": ["a:usge1-az1", "b:usge1-az2", "c:usge1-az3"],
  "us-gov-west-1": ["a:usgw1-az1", "b:usgw1-az2", "c:usgw1-az3"],
  "eusc-de-east-1": ["a:eusc-de-east-1-az1", "b:eusc-de-east-1-az2", "c:eusc-de-east-1-az3"],
};

/**
 * Regions an account must opt in to before using them (every region launched since March 2019). The others are
 * enabled in every account ("opt-in-not-required"). China, GovCloud and the European Sovereign Cloud are their own
 * partitions, whose regions need no opt-in.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
]);

/** Every AWS region, in every partition. A request scoped to any other name is refused before any scope exists. */
export const AWS_REGIONS: ReadonlySet<string> = new Set(Object.keys(REGION_ZONES));

/** The regions enabled in every account of the `aws` partition (no opt-in). */
export const KNOWN_REGIONS: readonly string[] = [...AWS_REGIONS].filter((r) => partitionOf(r) === "aws" && !OPT_IN_REGIONS.has(r)).sort();

export const isAwsRegion = (name: string): boolean => AWS_REGIONS.has(name);

export type Partition = "aws" | "aws-cn" | "aws-us-gov" | "aws-eusc";
export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

/** The EC2 endpoint host of a region (DescribeRegions' Endpoint). The eusc suffix is unverified. */
export const ec2Endpoint = (region: string): string => {
  const p = partitionOf(region);
  return `ec2.${region}.${p === "aws-cn" ? "amazonaws.com.cn" : p === "aws-eusc" ? "amazonaws.eu" : "amazonaws.com"}`;
};

export type OptInStatus = "opt-in-not-required" | "opted-in" | "not-opted-in";

/** A region's opt-in status for an account that opted in to `optedIn` (localvpc's `--regions`). */
export const optInStatus = (region: string, optedIn: ReadonlySet<string>): OptInStatus =>
  !OPT_IN_REGIONS.has(region) ? "opt-in-not-required" : optedIn.has(region) ? "opted-in" : "not-opted-in";

/** Whether calls scoped to a region are answered (an opt-in region only once opted in). */
export const regionEnabled = (region: string, optedIn: ReadonlySet<string>): boolean =>
  isAwsRegion(region) && optInStatus(region, optedIn) !== "not-opted-in";

/**
 * The regions DescribeRegions lists for a caller in `callerRegion`: those of the caller's partition, every one with
 * AllRegions, else the enabled ones. Sorted by name.
 */
export const listedRegions = (
  callerRegion: string,
  optedIn: ReadonlySet<string>,
  allRegions: boolean,
): { regionName: string; endpoint: string; optInStatus: OptInStatus }[] =>
  [...AWS_REGIONS]
    .filter((r) => partitionOf(r) === partitionOf(callerRegion))
    .map((r) => ({ regionName: r, endpoint: ec2Endpoint(r), optInStatus: optInStatus(r, optedIn) }))
    .filter((r) => allRegions || r.optInStatus !== "not-opted-in")
    .sort((a, b) => (a.regionName < b.regionName ? -1 : 1));

const REGION_INFO: ReadonlyMap<string, RegionInfo> = new Map(
  Object.entries(REGION_ZONES).map(([regionName, zones]) => [
    regionName,
    {
      regionName,
      zones: zones.map((z) => {
        const [letter, zoneId] = z.split(":") as [string, string];
        return { zoneName: regionName + letter, zoneId, regionName };
      }),
    },
  ]),
);

/** Zones of a region, in letter order (none for a name that is not an AWS region). */
export const regionInfo = (regionName: string): RegionInfo => REGION_INFO.get(regionName) ?? { regionName, zones: [] };

export const REGION_NAME_PATTERN = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;

/** Private DNS suffix: us-east-1 is "ec2.internal", other regions "<region>.compute.internal" (spec §1.8). */
export const privateDnsSuffix = (region: string): string => (region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`);

export const privateDnsName = (region: string, ip: string): string => `ip-${ip.replace(/\./g, "-")}.${privateDnsSuffix(region)}`;

/** Public DNS: us-east-1 uses compute-1.amazonaws.com, others <region>.compute.amazonaws.com. */
export const publicDnsName = (region: string, ip: string): string =>
  `ec2-${ip.replace(/\./g, "-")}.${region === "us-east-1" ? "compute-1" : `${region}.compute`}.amazonaws.com`;

/** `--regions` / `optInRegions`: every name must be an AWS region (a region needing no opt-in is simply enabled). */
export const optInRegionSet = (names: readonly string[] | undefined): ReadonlySet<string> => {
  const unknown = (names ?? []).filter((n) => !isAwsRegion(n));
  if (unknown.length > 0) throw new Error(`not an AWS region: ${unknown.join(", ")} (regions: ${[...AWS_REGIONS].sort().join(", ")})`);
  return new Set(names);
};
