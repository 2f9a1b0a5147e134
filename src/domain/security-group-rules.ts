/**
 * Editing existing security-group rules in place (ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptions*):
 * a rule keeps its id and tags; a replaced rule must not duplicate another rule of the group. Pure.
 */
import { err } from "./errors.js";
import { checkGroupText, draftsFromPermissions, MAX_GROUP_TEXT, peerOf, ruleKey, type RuleDraft } from "./security-groups.js";
import type { SecurityGroupRecord, SecurityGroupRule } from "./types.js";

/** A ModifySecurityGroupRules rule request in domain terms (a referenced group already resolved). */
export interface RuleRequest {
  readonly ipProtocol?: string | undefined;
  readonly fromPort?: number | undefined;
  readonly toPort?: number | undefined;
  readonly cidrIpv4?: string | undefined;
  readonly cidrIpv6?: string | undefined;
  readonly prefixListId?: string | undefined;
  readonly referencedGroup?: { readonly groupId: string; readonly userId: string } | undefined;
  readonly description?: string | undefined;
}

/** The draft a rule request describes: exactly one peer, and the same protocol/port rules as Authorize. */
export const draftFromRequest = (r: RuleRequest, isEgress: boolean): RuleDraft => {
  const peers = [r.cidrIpv4, r.cidrIpv6, r.prefixListId, r.referencedGroup].filter((p) => p !== undefined);
  if (peers.length !== 1) throw err.sgRulePeerCount();
  const d = { description: r.description };
  const [draft] = draftsFromPermissions(
    [
      {
        ipProtocol: r.ipProtocol,
        fromPort: r.fromPort,
        toPort: r.toPort,
        ipRanges: r.cidrIpv4 !== undefined ? [{ cidrIp: r.cidrIpv4, ...d }] : undefined,
        ipv6Ranges: r.cidrIpv6 !== undefined ? [{ cidrIpv6: r.cidrIpv6, ...d }] : undefined,
        prefixListIds: r.prefixListId !== undefined ? [{ prefixListId: r.prefixListId, ...d }] : undefined,
        groups: r.referencedGroup ? [{ ...r.referencedGroup, ...d }] : undefined,
      },
    ],
    isEgress,
  );
  return draft!;
};

/**
 * Replaces rules by id (each keeps its id, direction and tags). Every id must be a rule of the group; the result
 * must not hold two identical rules (InvalidPermission.Duplicate, as Authorize).
 */
export const withModifiedRules = (
  group: SecurityGroupRecord,
  updates: readonly { readonly ruleId: string; readonly draft: (isEgress: boolean) => RuleDraft }[],
): SecurityGroupRecord => {
  const replaced = new Map<string, SecurityGroupRule>();
  for (const u of updates) {
    const old = group.rules.find((r) => r.ruleId === u.ruleId);
    if (!old) throw err.securityGroupRuleNotFound(u.ruleId);
    if (replaced.has(u.ruleId)) throw err.permissionRepeated();
    const draft = u.draft(old.isEgress);
    replaced.set(u.ruleId, { ruleId: old.ruleId, ...draft, ...(old.tags ? { tags: old.tags } : {}) });
  }
  const rules = group.rules.map((r) => replaced.get(r.ruleId) ?? r);
  const seen = new Set<string>();
  for (const r of rules) {
    const k = ruleKey(r);
    if (seen.has(k)) throw err.permissionDuplicate({ peer: peerOf(r), protocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort });
    seen.add(k);
  }
  return { ...group, rules };
};

const checkDescription = (description: string | undefined): void => {
  if (description === undefined) return;
  if (description.length > MAX_GROUP_TEXT) throw err.stringTooLong("Description", MAX_GROUP_TEXT);
  checkGroupText("Description", description);
};

/**
 * UpdateSecurityGroupRuleDescriptions* by rule ids: each must be a rule of the group in that direction; an omitted
 * description removes it (model doc: "You can remove a description … by omitting the description parameter").
 */
export const withRuleDescriptions = (
  group: SecurityGroupRecord,
  isEgress: boolean,
  byId: readonly { readonly ruleId: string; readonly description?: string | undefined }[],
): SecurityGroupRecord => {
  const next = new Map<string, string | undefined>();
  for (const u of byId) {
    if (!group.rules.some((r) => r.ruleId === u.ruleId && r.isEgress === isEgress)) throw err.securityGroupRuleNotFound(u.ruleId);
    checkDescription(u.description);
    next.set(u.ruleId, u.description);
  }
  return { ...group, rules: group.rules.map((r) => (next.has(r.ruleId) ? { ...r, description: next.get(r.ruleId) } : r)) };
};

/** The same by permissions: each draft must match an existing rule exactly (else InvalidPermission.NotFound). */
export const withPermissionDescriptions = (group: SecurityGroupRecord, drafts: readonly RuleDraft[]): SecurityGroupRecord => {
  const next = new Map<string, string | undefined>();
  for (const d of drafts) {
    const rule = group.rules.find((r) => ruleKey(r) === ruleKey(d));
    if (!rule) throw err.permissionNotFound();
    next.set(rule.ruleId, d.description);
  }
  return { ...group, rules: group.rules.map((r) => (next.has(r.ruleId) ? { ...r, description: next.get(r.ruleId) } : r)) };
};
