/**
 * Pure security-group rules: group-name checks, protocol/port normalisation, turning IpPermissions into one rule
 * per peer, duplicate and quota checks, matching rules for revoke, and AWS's grouping of rules back into
 * IpPermissions for DescribeSecurityGroups. Group references arrive already resolved to ids (that needs the store).
 */
import { err } from "./errors.js";
import { formatCidr, parseCidr } from "./cidr.js";
import type { SecurityGroupRecord, SecurityGroupRule } from "./types.js";

/** An AWS security group name is unique per VPC, case-insensitively (model doc: "Names are case-insensitive"). */
export const sameGroupName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const MAX_GROUP_TEXT = 255;

/**
 * The characters AWS allows in a VPC security group's name and description, and in a rule's description (model doc
 * of CreateSecurityGroup: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*").
 */
const GROUP_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

/** A name or description with a character outside AWS's set: refused before anything is stored. */
export const checkGroupText = (parameter: string, value: string): void => {
  if (!GROUP_TEXT.test(value)) throw err.groupTextCharset(parameter, value);
};

/** CreateSecurityGroup name/description rules, then the per-VPC uniqueness of the name. */
export const checkNewGroup = (name: string, description: string, vpcId: string, existing: readonly SecurityGroupRecord[]): void => {
  if (name.length > MAX_GROUP_TEXT) throw err.stringTooLong("GroupName", MAX_GROUP_TEXT);
  if (description.length > MAX_GROUP_TEXT) throw err.stringTooLong("GroupDescription", MAX_GROUP_TEXT);
  checkGroupText("GroupName", name);
  checkGroupText("GroupDescription", description);
  if (name.toLowerCase().startsWith("sg-")) throw err.groupNameFormat(name);
  if (sameGroupName(name, "default")) throw err.groupNameReserved();
  if (existing.some((g) => sameGroupName(g.groupName, name))) throw err.groupDuplicate(name, vpcId);
};

const PROTOCOL_BY_NUMBER: Readonly<Record<string, string>> = { "1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6" };
const NAMED_PROTOCOLS = new Set(["tcp", "udp", "icmp", "icmpv6"]);

/**
 * Canonical protocol: names lowercase, the four named protocols' numbers become names (AWS describes a rule
 * authorized with "6" as "tcp"), other protocol numbers 0–255 stay numbers, "-1" means all.
 */
export const normalizeProtocol = (raw: string | undefined): string => {
  if (raw === undefined || raw === "") throw err.missingParameter("ipProtocol");
  const lower = raw.toLowerCase();
  if (lower === "-1" || NAMED_PROTOCOLS.has(lower)) return lower;
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) {
    const n = String(Number(lower));
    return PROTOCOL_BY_NUMBER[n] ?? n;
  }
  throw err.unknownIpProtocol(raw);
};

/** True when the protocol carries a port range (or ICMP type/code); every other protocol means all ports. */
export const hasPorts = (protocol: string): boolean => NAMED_PROTOCOLS.has(protocol);

/**
 * Port rules per protocol: TCP/UDP need a range 0–65535 (one missing end reads as -1, as AWS's "port (-1) out of
 * range" shows); ICMP needs type and code (-1 = all; code must be -1 when type is); ICMPv6 may omit both (all);
 * other protocols ignore the ports.
 */
export const normalizePorts = (
  protocol: string,
  fromPort: number | undefined,
  toPort: number | undefined,
): { fromPort?: number; toPort?: number } => {
  if (!hasPorts(protocol)) return {};
  const isIcmp = protocol === "icmp" || protocol === "icmpv6";
  if (fromPort === undefined && toPort === undefined) {
    if (protocol === "icmpv6") return { fromPort: -1, toPort: -1 };
    throw err.portRangeRequired(isIcmp ? "ICMP" : "TCP/UDP");
  }
  const from = fromPort ?? -1;
  const to = toPort ?? -1;
  if (isIcmp) {
    if (from < -1 || from > 255) throw err.icmpOutOfRange("type", from);
    if (to < -1 || to > 255) throw err.icmpOutOfRange("code", to);
    if (from === -1 && to !== -1) throw err.icmpCodeWithAllTypes(to);
    return { fromPort: from, toPort: to };
  }
  for (const p of [from, to]) if (p < 0 || p > 65535) throw err.portOutOfRange(p);
  if (from > to) throw err.portRangeReversed(from, to);
  return { fromPort: from, toPort: to };
};

/** One IpPermission in domain terms; group pairs are already resolved to group ids. */
export interface PermissionSpec {
  readonly ipProtocol?: string | undefined;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly ipRanges?: readonly { cidrIp?: string | undefined; description?: string | undefined }[] | undefined;
  readonly ipv6Ranges?: readonly { cidrIpv6?: string | undefined; description?: string | undefined }[] | undefined;
  readonly prefixListIds?: readonly { prefixListId?: string | undefined; description?: string | undefined }[] | undefined;
  readonly groups?: readonly { groupId: string; userId: string; description?: string | undefined }[] | undefined;
}

/** A rule before it has an id. */
export type RuleDraft = Omit<SecurityGroupRule, "ruleId" | "tags">;

const canonicalCidr = (text: string | undefined, version: 4 | 6): string => {
  const c = text === undefined ? undefined : parseCidr(text);
  if (!c || c.version !== version) throw err.malformedRuleCidr(text ?? "");
  return formatCidr(c);
};

/** Expands permissions into one draft rule per peer (AWS stores and numbers rules that way: one sgr- per peer). */
export const draftsFromPermissions = (perms: readonly PermissionSpec[], isEgress: boolean): RuleDraft[] => {
  const out: RuleDraft[] = [];
  for (const p of perms) {
    for (const r of [...(p.ipRanges ?? []), ...(p.ipv6Ranges ?? []), ...(p.prefixListIds ?? []), ...(p.groups ?? [])]) {
      if (r.description !== undefined) {
        if (r.description.length > MAX_GROUP_TEXT) throw err.stringTooLong("Description", MAX_GROUP_TEXT);
        checkGroupText("Description", r.description);
      }
    }
    const ipProtocol = normalizeProtocol(p.ipProtocol);
    const ports = normalizePorts(ipProtocol, p.fromPort, p.toPort);
    const base = { isEgress, ipProtocol, ...ports };
    const before = out.length;
    for (const r of p.ipRanges ?? []) out.push({ ...base, cidrIpv4: canonicalCidr(r.cidrIp, 4), description: r.description });
    for (const r of p.ipv6Ranges ?? []) out.push({ ...base, cidrIpv6: canonicalCidr(r.cidrIpv6, 6), description: r.description });
    for (const r of p.prefixListIds ?? []) {
      if (!r.prefixListId) throw err.missingParameter("prefixListId");
      out.push({ ...base, prefixListId: r.prefixListId, description: r.description });
    }
    for (const g of p.groups ?? [])
      out.push({ ...base, referencedGroupId: g.groupId, referencedUserId: g.userId, description: g.description });
    if (out.length === before) throw err.permissionMissingSource();
  }
  return out;
};

/** The peer of a rule as AWS prints it in the duplicate message. */
export const peerOf = (r: RuleDraft): string => r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId ?? "";

/** Identity of a rule: direction, protocol, ports and peer. Descriptions do not make a rule different. */
export const ruleKey = (r: RuleDraft): string =>
  [
    r.isEgress ? "e" : "i",
    r.ipProtocol,
    r.fromPort ?? "",
    r.toPort ?? "",
    r.cidrIpv4 ?? "",
    r.cidrIpv6 ?? "",
    r.prefixListId ?? "",
    r.referencedGroupId ?? "",
  ].join("|");

/** A referenced prefix list's weight (its MaxEntries, or an AWS-managed list's weight) and family (issue 16). */
export type PrefixListWeight = (prefixListId: string) => { readonly weight: number; readonly ipv6: boolean };
const unitWeight: PrefixListWeight = () => ({ weight: 1, ipv6: false });

/**
 * Whether rules exceed the per-direction quota, counted separately for IPv4 and IPv6. A group reference counts once
 * in each family (VPC User Guide, "Security group rules" quota note); a prefix-list reference counts as its weight
 * in its own family ("a prefix list with 20 maximum entries … counts as 20 rules", VPC-UG "Managed prefix lists").
 */
export const exceedsRuleQuota = (rules: readonly RuleDraft[], limit: number, weightOf: PrefixListWeight = unitWeight): boolean => {
  for (const isEgress of [false, true]) {
    let v4 = 0;
    let v6 = 0;
    for (const r of rules) {
      if (r.isEgress !== isEgress) continue;
      if (r.prefixListId !== undefined) {
        const w = weightOf(r.prefixListId);
        if (w.ipv6) v6 += w.weight;
        else v4 += w.weight;
      } else {
        if (r.cidrIpv6 === undefined) v4++;
        if (r.cidrIpv4 === undefined) v6++;
      }
    }
    if (v4 > limit || v6 > limit) return true;
  }
  return false;
};

/**
 * Authorize checks, in AWS's order of evidence: a rule repeated within the request, a rule that already exists,
 * then the per-direction quota (`exceedsRuleQuota`).
 */
export const checkAuthorize = (
  group: SecurityGroupRecord,
  drafts: readonly RuleDraft[],
  limit: number,
  weightOf: PrefixListWeight = unitWeight,
): void => {
  const seen = new Set<string>();
  for (const d of drafts) {
    const k = ruleKey(d);
    if (seen.has(k)) throw err.permissionRepeated();
    seen.add(k);
  }
  const existing = new Set(group.rules.map(ruleKey));
  for (const d of drafts) {
    if (existing.has(ruleKey(d))) {
      throw err.permissionDuplicate({ peer: peerOf(d), protocol: d.ipProtocol, fromPort: d.fromPort, toPort: d.toPort });
    }
  }
  if (exceedsRuleQuota([...group.rules, ...drafts], limit, weightOf)) throw err.rulesPerGroupLimit();
};

/** Splits revoke drafts into the group's matching rules and the drafts that match nothing. */
export const matchRevoke = (
  group: SecurityGroupRecord,
  drafts: readonly RuleDraft[],
): { matched: SecurityGroupRule[]; unknown: RuleDraft[] } => {
  const byKey = new Map(group.rules.map((r) => [ruleKey(r), r]));
  const matched: SecurityGroupRule[] = [];
  const unknown: RuleDraft[] = [];
  for (const d of drafts) {
    const r = byKey.get(ruleKey(d));
    if (r) {
      if (!matched.includes(r)) matched.push(r);
    } else unknown.push(d);
  }
  return { matched, unknown };
};

/** DescribeSecurityGroups' IpPermission, in domain terms. */
export interface PermissionView {
  readonly ipProtocol: string;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly ipRanges: { cidrIp: string; description?: string | undefined }[];
  readonly ipv6Ranges: { cidrIpv6: string; description?: string | undefined }[];
  readonly prefixListIds: { prefixListId: string; description?: string | undefined }[];
  readonly groups: { groupId: string; userId?: string | undefined; description?: string | undefined }[];
}

/**
 * AWS's DescribeSecurityGroups shape: the rules of one direction grouped by (protocol, from, to), in order of
 * first appearance, each group listing its peers by kind.
 */
export const groupPermissions = (rules: readonly RuleDraft[]): PermissionView[] => {
  const byKey = new Map<string, PermissionView>();
  for (const r of rules) {
    const k = `${r.ipProtocol}|${r.fromPort ?? ""}|${r.toPort ?? ""}`;
    let p = byKey.get(k);
    if (!p) {
      p = { ipProtocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort, ipRanges: [], ipv6Ranges: [], prefixListIds: [], groups: [] };
      byKey.set(k, p);
    }
    const description = r.description;
    if (r.cidrIpv4 !== undefined) p.ipRanges.push({ cidrIp: r.cidrIpv4, description });
    else if (r.cidrIpv6 !== undefined) p.ipv6Ranges.push({ cidrIpv6: r.cidrIpv6, description });
    else if (r.prefixListId !== undefined) p.prefixListIds.push({ prefixListId: r.prefixListId, description });
    else if (r.referencedGroupId !== undefined) p.groups.push({ groupId: r.referencedGroupId, userId: r.referencedUserId, description });
  }
  return [...byKey.values()];
};

/** Other groups whose rules reference `groupId` (a group's reference to itself does not block its deletion). */
export const referencingGroups = (groupId: string, groups: readonly SecurityGroupRecord[]): SecurityGroupRecord[] =>
  groups.filter((g) => g.id !== groupId && g.rules.some((r) => r.referencedGroupId === groupId));
