/**
 * Managed prefix lists (issue 16), pure over records. AWS facts (VPC User Guide "Managed prefix lists"):
 * - AWS-managed lists (owner `AWS`) exist in every region, cannot be modified, and count as their *weight* where
 *   referenced; a customer-managed list counts as its MaxEntries ("Prefix list weight" / "Security group size").
 * - Adding or removing entries makes a new version; renaming does not. A stale CurrentVersion fails with
 *   PrefixListVersionMismatch. Entries and MaxEntries cannot change in the same call (model doc).
 * - Quotas: 100 customer-managed lists per region, 1,000 entries per list, 1,000 versions per list.
 * AWS-managed list ids are `pl-` + 8 hex (e.g. pl-63a5400a, S3 in us-east-1), customer ones `pl-` + 17 hex.
 */
import { formatCidr, parseCidr } from "./cidr.js";
import { err } from "./errors.js";
import type { PrefixListEntryRecord, PrefixListRecord, Tag } from "./types.js";

export const MAX_PREFIX_LIST_ENTRIES = 1000;
export const AWS_OWNER = "AWS";

/** A prefix list as every action sees it, AWS-managed or the account's own. */
export interface PrefixListView {
  readonly id: string;
  readonly name: string;
  readonly addressFamily: "IPv4" | "IPv6";
  /** The list's weight where it is referenced: MaxEntries (customer) or the documented weight (AWS-managed). */
  readonly maxEntries: number;
  readonly version: number;
  readonly ownerId: string;
  readonly state: string;
  readonly entries: readonly PrefixListEntryRecord[];
  readonly tags: readonly Tag[];
  readonly awsManaged: boolean;
  /** S3 and DynamoDB: the gateway-endpoint lists the legacy DescribePrefixLists returns. */
  readonly legacy: boolean;
}

/**
 * The AWS-managed lists AWS publishes (VPC-UG "Available AWS-managed prefix lists"), with their weights.
 * `{region}` lists exist per region, `global` ones once (localvpc shows them in every region, as AWS does).
 */
const AWS_LISTS: readonly { name: string; family: "IPv4" | "IPv6"; weight: number; legacy?: boolean }[] = [
  { name: "com.amazonaws.{region}.s3", family: "IPv4", weight: 1, legacy: true },
  { name: "com.amazonaws.{region}.dynamodb", family: "IPv4", weight: 1, legacy: true },
  { name: "com.amazonaws.{region}.ipv6.s3", family: "IPv6", weight: 1 }, // inferred: not in the weight table
  { name: "com.amazonaws.global.cloudfront.origin-facing", family: "IPv4", weight: 55 },
  { name: "com.amazonaws.global.ipv6.cloudfront.origin-facing", family: "IPv6", weight: 55 },
  { name: "com.amazonaws.{region}.ec2-instance-connect", family: "IPv4", weight: 2 },
  { name: "com.amazonaws.{region}.ipv6.ec2-instance-connect", family: "IPv6", weight: 2 },
  { name: "com.amazonaws.global.groundstation", family: "IPv4", weight: 5 },
  { name: "com.amazonaws.{region}.route53-healthchecks", family: "IPv4", weight: 25 },
  { name: "com.amazonaws.{region}.ipv6.route53-healthchecks", family: "IPv6", weight: 25 },
  { name: "com.amazonaws.{region}.s3express", family: "IPv4", weight: 6 },
  { name: "com.amazonaws.{region}.vpc-lattice", family: "IPv4", weight: 10 },
  { name: "com.amazonaws.{region}.ipv6.vpc-lattice", family: "IPv6", weight: 10 },
];

/** Ids AWS really uses (us-east-1), so copied snippets work unchanged; the rest are derived from the name. */
const KNOWN_IDS: Readonly<Record<string, string>> = {
  "us-east-1/com.amazonaws.us-east-1.s3": "pl-63a5400a",
  "us-east-1/com.amazonaws.us-east-1.dynamodb": "pl-02cd2c6b",
  "us-east-1/com.amazonaws.global.cloudfront.origin-facing": "pl-3b927c52",
};

/** FNV-1a, 32 bits: a stable 8-hex id per (region, name). */
const hash8 = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
};

/** CIDRs per list name (`{region}` resolved), from data/aws-prefix-lists.json (catalog). */
export type AwsPrefixListCidrs = (region: string, name: string) => readonly string[];

/** Every AWS-managed list of a region. */
export const awsManagedPrefixLists = (region: string, cidrsOf: AwsPrefixListCidrs): PrefixListView[] =>
  AWS_LISTS.map((l) => {
    const name = l.name.replace("{region}", region);
    return {
      id: KNOWN_IDS[`${region}/${name}`] ?? `pl-${hash8(`${region}/${name}`)}`,
      name,
      addressFamily: l.family,
      maxEntries: l.weight,
      version: 1,
      ownerId: AWS_OWNER,
      state: "create-complete",
      entries: cidrsOf(region, name).map((cidr) => ({ cidr })),
      tags: [],
      awsManaged: true,
      legacy: l.legacy === true,
    };
  });

export const currentVersion = (p: PrefixListRecord): { version: number; entries: readonly PrefixListEntryRecord[] } =>
  p.versions[p.versions.length - 1]!;

export const customerView = (p: PrefixListRecord): PrefixListView => {
  const cur = currentVersion(p);
  return {
    id: p.id,
    name: p.name,
    addressFamily: p.addressFamily,
    maxEntries: p.maxEntries,
    version: cur.version,
    ownerId: p.ownerId,
    state: p.state,
    entries: cur.entries,
    tags: p.tags,
    awsManaged: false,
    legacy: false,
  };
};

export const checkPrefixListName = (name: string): void => {
  if (name.length < 1 || name.length > 255) throw err.prefixListNameLength();
  if (name.toLowerCase().startsWith("com.amazonaws")) throw err.prefixListNameReserved();
};

export const checkMaxEntries = (n: number): void => {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PREFIX_LIST_ENTRIES) throw err.prefixListMaxEntriesRange(n);
};

/** One entry's CIDR in the list's family, canonical (`10.0.0.1/24` → `10.0.0.0/24`, as AWS stores SG CIDRs). */
export const entryCidr = (text: string, family: "IPv4" | "IPv6"): string => {
  const c = parseCidr(text);
  if (!c || c.version !== (family === "IPv4" ? 4 : 6)) throw err.prefixListBadCidr(text, family);
  return formatCidr(c);
};

const withEntries = (
  entries: readonly PrefixListEntryRecord[],
  add: readonly { cidr: string; description?: string | undefined }[],
  remove: readonly string[],
  family: "IPv4" | "IPv6",
  maxEntries: number,
  strict: boolean,
): PrefixListEntryRecord[] => {
  const byCidr = new Map(entries.map((x) => [x.cidr, x]));
  const removing = new Set<string>();
  for (const r of remove) {
    const cidr = entryCidr(r, family);
    if (!byCidr.has(cidr)) throw err.prefixListEntryNotFound(cidr);
    removing.add(cidr);
  }
  for (const c of removing) byCidr.delete(c);
  const seen = new Set<string>();
  for (const a of add) {
    const cidr = entryCidr(a.cidr, family);
    if (seen.has(cidr)) throw err.prefixListDuplicateEntry(cidr);
    seen.add(cidr);
    if (strict && byCidr.has(cidr)) throw err.prefixListEntryExists(cidr);
    byCidr.set(cidr, a.description !== undefined ? { cidr, description: a.description } : { cidr });
  }
  if (byCidr.size > maxEntries) throw err.prefixListTooManyEntries(maxEntries);
  return [...byCidr.values()];
};

export interface NewPrefixList {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly addressFamily: string;
  readonly maxEntries: number;
  readonly entries: readonly { cidr: string; description?: string | undefined }[];
  readonly tags: readonly Tag[];
}

export const newPrefixList = (n: NewPrefixList): PrefixListRecord => {
  checkPrefixListName(n.name);
  checkMaxEntries(n.maxEntries);
  const family = n.addressFamily === "IPv6" ? "IPv6" : "IPv4";
  return {
    kind: "prefix-list",
    id: n.id,
    tags: n.tags,
    ownerId: n.ownerId,
    name: n.name,
    addressFamily: family,
    maxEntries: n.maxEntries,
    state: "create-complete",
    versions: [{ version: 1, entries: withEntries([], n.entries, [], family, n.maxEntries, true) }],
  };
};

export interface PrefixListChange {
  readonly currentVersion?: number | undefined;
  readonly name?: string | undefined;
  readonly add: readonly { cidr: string; description?: string | undefined }[];
  readonly remove: readonly string[];
  readonly maxEntries?: number | undefined;
}

const checkVersion = (p: PrefixListRecord, given: number | undefined): void => {
  if (given !== undefined && given !== currentVersion(p).version) throw err.prefixListVersionMismatch();
};

const appendVersion = (p: PrefixListRecord, entries: readonly PrefixListEntryRecord[], versionLimit: number) => {
  if (p.versions.length >= versionLimit) throw err.prefixListVersionLimitExceeded();
  return [...p.versions, { version: currentVersion(p).version + 1, entries }];
};

/**
 * ModifyManagedPrefixList: name (no new version), entries (a new version), or MaxEntries (same version; not with
 * entries; never below the current entry count). Whether referencing resources fit a new size is the caller's check.
 */
export const modifyPrefixList = (p: PrefixListRecord, c: PrefixListChange, versionLimit: number): PrefixListRecord => {
  checkVersion(p, c.currentVersion);
  const changesEntries = c.add.length > 0 || c.remove.length > 0;
  if (c.maxEntries !== undefined && changesEntries) throw err.prefixListResizeWithEntries();
  if (c.name !== undefined) checkPrefixListName(c.name);
  let next: PrefixListRecord = { ...p, name: c.name ?? p.name, state: "modify-complete" };
  if (c.maxEntries !== undefined) {
    checkMaxEntries(c.maxEntries);
    const count = currentVersion(p).entries.length;
    if (c.maxEntries < count) throw err.prefixListShrinkBelowEntries(c.maxEntries, count);
    next = { ...next, maxEntries: c.maxEntries };
  }
  if (changesEntries) {
    const entries = withEntries(currentVersion(p).entries, c.add, c.remove, p.addressFamily, p.maxEntries, true);
    next = { ...next, versions: appendVersion(p, entries, versionLimit) };
  }
  return next;
};

/** The entries of a version (the current one when none is given). */
export const entriesAt = (p: PrefixListView | PrefixListRecord, version: number | undefined): readonly PrefixListEntryRecord[] => {
  if ("versions" in p) {
    if (version === undefined) return currentVersion(p).entries;
    const v = p.versions.find((x) => x.version === version);
    if (!v) throw err.prefixListVersionNotFound(version);
    return v.entries;
  }
  if (version !== undefined && version !== p.version) throw err.prefixListVersionNotFound(version);
  return p.entries;
};

/** RestoreManagedPrefixListVersion: a new version holding an earlier version's entries. */
export const restorePrefixList = (p: PrefixListRecord, previous: number, current: number, versionLimit: number): PrefixListRecord => {
  checkVersion(p, current);
  if (previous === currentVersion(p).version) throw err.prefixListRestoreCurrent(previous);
  const entries = entriesAt(p, previous);
  if (entries.length > p.maxEntries) throw err.prefixListTooManyEntries(p.maxEntries);
  return { ...p, state: "restore-complete", versions: appendVersion(p, entries, versionLimit) };
};
