/**
 * AWS service quotas localvpc enforces, with AWS's defaults. `localvpc serve --quota NAME=VALUE` overrides them.
 */
export interface Quotas {
  readonly vpcsPerRegion: number;
  readonly ipv4CidrsPerVpc: number;
  /** IPv6 CIDR blocks per VPC: 5 [DOC VPC-UG "Amazon VPC quotas"] (issue 15). */
  readonly ipv6CidrsPerVpc: number;
  readonly securityGroupsPerVpc: number;
  readonly rulesPerSecurityGroup: number;
  readonly securityGroupsPerInterface: number;
  readonly internetGatewaysPerRegion: number;
  readonly elasticIpsPerRegion: number;
  readonly byoipCidrsPerRegion: number;
  readonly tagsPerResource: number;
  readonly instancesPerRegion: number;
  readonly enisPerRegion: number;
  // --- flow logs (issue 5) ---
  /** VPC-UG amazon-vpc-limits.md: "Flow logs per single network interface, single subnet, or single VPC in a Region": 2. */
  readonly flowLogsPerResource: number;
  /** Key pairs per Region: 5,000 [DOC EC2 User Guide "Amazon EC2 key pairs"] (issue 15). */
  readonly keyPairsPerRegion: number;
  /** Customer-managed prefix lists per Region: 100 [DOC VPC-UG "Amazon VPC quotas", Managed prefix lists] (issue 16). */
  readonly prefixListsPerRegion: number;
  /** Versions per prefix list: 1,000 [DOC VPC-UG "Amazon VPC quotas"] (issue 16). */
  readonly versionsPerPrefixList: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  vpcsPerRegion: 5,
  ipv4CidrsPerVpc: 5,
  ipv6CidrsPerVpc: 5, // issue 15
  securityGroupsPerVpc: 2500,
  rulesPerSecurityGroup: 60,
  securityGroupsPerInterface: 5,
  internetGatewaysPerRegion: 5,
  elasticIpsPerRegion: 5,
  byoipCidrsPerRegion: 5,
  tagsPerResource: 50,
  instancesPerRegion: 1000,
  enisPerRegion: 5000,
  // --- flow logs (issue 5) ---
  flowLogsPerResource: 2,
  keyPairsPerRegion: 5000, // issue 15
  prefixListsPerRegion: 100, // issue 16
  versionsPerPrefixList: 1000, // issue 16
};

export const QUOTA_NAMES = Object.keys(DEFAULT_QUOTAS) as (keyof Quotas)[];

/** The names `localvpc serve --quota NAME=VALUE` takes (fixed names other parts of the project rely on). */
export const QUOTA_CLI_NAMES: Readonly<Record<string, keyof Quotas>> = {
  "vpcs-per-region": "vpcsPerRegion",
  "ipv4-cidrs-per-vpc": "ipv4CidrsPerVpc",
  "ipv6-cidrs-per-vpc": "ipv6CidrsPerVpc",
  "security-groups-per-vpc": "securityGroupsPerVpc",
  "rules-per-security-group": "rulesPerSecurityGroup",
  "security-groups-per-eni": "securityGroupsPerInterface",
  "internet-gateways-per-region": "internetGatewaysPerRegion",
  "eips-per-region": "elasticIpsPerRegion",
  "byoip-cidrs-per-region": "byoipCidrsPerRegion",
  "tags-per-resource": "tagsPerResource",
  "instances-per-region": "instancesPerRegion",
  "enis-per-region": "enisPerRegion",
  // --- flow logs (issue 5) ---
  "flow-logs-per-resource": "flowLogsPerResource",
  "key-pairs-per-region": "keyPairsPerRegion", // issue 15
  "prefix-lists-per-region": "prefixListsPerRegion", // issue 16
  "versions-per-prefix-list": "versionsPerPrefixList", // issue 16
};
