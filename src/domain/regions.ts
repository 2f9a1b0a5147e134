/**
 * The fixed region and Availability Zone map localvpc serves. Real zone-name → zone-id mappings differ per
 * account; localvpc uses one fixed mapping so that tests are deterministic. A region not listed here still works
 * (SDKs may be pointed at any region name) and gets three zones a–c with ids derived from the name.
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

const REGION_ZONES: Readonly<Record<string, readonly [idPrefix: string, letters: string]>> = {
  "us-east-1": ["use1", "abcdef"],
  "us-east-2": ["use2", "abc"],
  "us-west-1": ["usw1", "ac"],
  "us-west-2": ["usw2", "abcd"],
  "ca-central-1": ["cac1", "abd"],
  "eu-west-1": ["euw1", "abc"],
  "eu-west-2": ["euw2", "abc"],
  "eu-west-3": ["euw3", "abc"],
  "eu-central-1": ["euc1", "abc"],
  "eu-north-1": ["eun1", "abc"],
  "ap-south-1": ["aps1", "abc"],
  "ap-northeast-1": ["apne1", "acd"],
  "ap-northeast-2": ["apne2", "abcd"],
  "ap-northeast-3": ["apne3", "abc"],
  "ap-southeast-1": ["apse1", "abc"],
  "ap-southeast-2": ["apse2", "abc"],
  "sa-east-1": ["sae1", "abc"],
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_ZONES);

/**
 * Every AWS region, opt-in ones included, in every partition (aws, aws-cn, aws-us-gov, the European Sovereign
 * Cloud). A request scoped to any other name creates nothing: it is refused before any scope exists.
 */
export const AWS_REGIONS: ReadonlySet<string> = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "cn-north-1",
  "cn-northwest-1",
  "us-gov-east-1",
  "us-gov-west-1",
  "eusc-de-east-1",
]);

export const isAwsRegion = (name: string): boolean => AWS_REGIONS.has(name);

const derivedPrefix = (region: string): string =>
  region
    .split("-")
    .map((part, i) => (i === 0 ? part : /^\d+$/.test(part) ? part : part[0]))
    .join("");

/** Zones of a region, in letter order; zone ids count from az1 in that order. */
export const regionInfo = (regionName: string): RegionInfo => {
  const [idPrefix, letters] = REGION_ZONES[regionName] ?? [derivedPrefix(regionName), "abc"];
  const zones = [...letters].map((letter, i) => ({
    zoneName: `${regionName}${letter}`,
    zoneId: `${idPrefix}-az${i + 1}`,
    regionName,
  }));
  return { regionName, zones };
};

export const REGION_NAME_PATTERN = /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/;

/** Private DNS suffix: us-east-1 is "ec2.internal", other regions "<region>.compute.internal" (spec §1.8). */
export const privateDnsSuffix = (region: string): string => (region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`);

export const privateDnsName = (region: string, ip: string): string => `ip-${ip.replace(/\./g, "-")}.${privateDnsSuffix(region)}`;

/** Public DNS: us-east-1 uses compute-1.amazonaws.com, others <region>.compute.amazonaws.com. */
export const publicDnsName = (region: string, ip: string): string =>
  `ec2-${ip.replace(/\./g, "-")}.${region === "us-east-1" ? "compute-1" : `${region}.compute`}.amazonaws.com`;
