/**
 * Security groups: CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup, Authorize/Revoke
 * SecurityGroupIngress/Egress and DescribeSecurityGroupRules. Rules live in src/domain/security-groups.ts; this
 * file resolves references through the store and maps records to wire shapes.
 */
import { err } from "../../../domain/errors.js";
import { assertIdOf } from "../../../domain/ids.js";
import {
  checkAuthorize,
  checkNewGroup,
  draftsFromPermissions,
  groupPermissions,
  matchRevoke,
  referencingGroups,
  sameGroupName,
  type PermissionSpec,
  type PermissionView,
  type RuleDraft,
} from "../../../domain/security-groups.js";
import { defaultEgressRule } from "../../../domain/vpc.js";
import type { SecurityGroupRecord, SecurityGroupRule, VpcRecord } from "../../../domain/types.js";
import type { IpPermission, SecurityGroup, SecurityGroupRule as WireRule, TagSpecification } from "../../../protocol/model/shapes.js";
import type { Scope, Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { mustPrefixList, prefixListWeightOf } from "../prefix-list-lookup.js";
import { tagsFromSpecs } from "./tags.js";
import { peeredGroup } from "../vpc-peering-lookup.js"; // issue 16 (VPC peering)

const groupArn = (scope: Scope, id: string): string => `arn:aws:ec2:${scope.region}:${scope.account}:security-group/${id}`;
const ruleArn = (scope: Scope, id: string): string => `arn:aws:ec2:${scope.region}:${scope.account}:security-group-rule/${id}`;

const defaultVpcOf = (tx: Tx): VpcRecord | undefined => tx.list("vpc").find((v) => v.isDefault);

/** A group by name: names only address groups of the default VPC (model doc "[Default VPC]"). */
const groupByName = (tx: Tx, name: string): SecurityGroupRecord => {
  const vpc = defaultVpcOf(tx);
  if (!vpc) throw err.noDefaultVpcForGroup();
  const g = tx.list("security-group", { vpcId: vpc.id }).find((x) => sameGroupName(x.groupName, name));
  if (!g) throw err.groupNameNotFound(name, vpc.id);
  return g;
};

export const targetGroup = (tx: Tx, groupId: string | undefined, groupName: string | undefined): SecurityGroupRecord => {
  if (groupId !== undefined) return must(tx, "security-group", groupId);
  if (groupName !== undefined) return groupByName(tx, groupName);
  throw err.groupIdOrNameRequired();
};

/** Wire IpPermissions → domain specs, resolving each referenced group (by id, or by name in the default VPC). */
export const toSpecs = (ctx: ActionContext, perms: readonly IpPermission[], vpcId?: string): PermissionSpec[] =>
  perms.map((p) => ({
    ipProtocol: p.IpProtocol,
    fromPort: p.FromPort,
    toPort: p.ToPort,
    ipRanges: p.IpRanges?.map((r) => ({ cidrIp: r.CidrIp, description: r.Description })),
    ipv6Ranges: p.Ipv6Ranges?.map((r) => ({ cidrIpv6: r.CidrIpv6, description: r.Description })),
    // A referenced list must exist (AWS-managed in the region, or the account's own): Malformed, then NotFound.
    prefixListIds: p.PrefixListIds?.map((r) => ({
      prefixListId: r.PrefixListId === undefined ? undefined : mustPrefixList(ctx.tx, r.PrefixListId).id,
      description: r.Description,
    })),
    groups: p.UserIdGroupPairs?.map((pair) => {
      // A group of a VPC peered with the rule's group's VPC in this Region (issue 16), possibly another account's.
      const peer =
        vpcId !== undefined && pair.GroupId !== undefined && !ctx.tx.get("security-group", pair.GroupId)
          ? peeredGroup(ctx.tx, vpcId, pair.GroupId, pair.UserId)
          : undefined;
      if (peer) return { groupId: peer.id, userId: peer.ownerId, description: pair.Description };
      if (pair.UserId !== undefined && pair.UserId !== ctx.scope.account) throw err.crossAccountGroupReference(pair.UserId);
      const g = pair.GroupId !== undefined ? must(ctx.tx, "security-group", pair.GroupId) : groupByName(ctx.tx, pair.GroupName ?? "");
      return { groupId: g.id, userId: g.ownerId, description: pair.Description };
    }),
  }));

interface FlatIngress {
  readonly CidrIp?: string | undefined;
  readonly IpProtocol?: string | undefined;
  readonly FromPort?: number | undefined;
  readonly ToPort?: number | undefined;
  readonly SourceSecurityGroupName?: string | undefined;
  readonly SourceSecurityGroupOwnerId?: string | undefined;
  readonly IpPermissions?: IpPermission[] | undefined;
}

/**
 * The permissions of a request, from IpPermissions or from the legacy flat ingress parameters. A flat
 * SourceSecurityGroupName "grants full ICMP, UDP, and TCP access" (model doc), i.e. three permissions.
 */
const permissionsOf = (input: FlatIngress): IpPermission[] => {
  const flat =
    input.CidrIp ?? input.IpProtocol ?? input.FromPort ?? input.ToPort ?? input.SourceSecurityGroupName ?? input.SourceSecurityGroupOwnerId;
  if (flat === undefined) return input.IpPermissions ?? [];
  if (input.IpPermissions !== undefined && input.IpPermissions.length > 0) throw err.flatWithPermissions();
  if (input.SourceSecurityGroupName !== undefined) {
    if (input.CidrIp !== undefined) throw err.sourceGroupWithCidr();
    const pair = { GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId };
    return [
      { IpProtocol: "tcp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [pair] },
      { IpProtocol: "udp", FromPort: 0, ToPort: 65535, UserIdGroupPairs: [pair] },
      { IpProtocol: "icmp", FromPort: -1, ToPort: -1, UserIdGroupPairs: [pair] },
    ];
  }
  return [
    {
      IpProtocol: input.IpProtocol,
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : [],
    },
  ];
};

const permissionView = (p: PermissionView): IpPermission => ({
  IpProtocol: p.ipProtocol,
  FromPort: p.fromPort,
  ToPort: p.toPort,
  // AWS always sends the four peer lists, empty ones included.
  UserIdGroupPairs: p.groups.map((g) => ({ GroupId: g.groupId, UserId: g.userId, Description: g.description })),
  IpRanges: p.ipRanges.map((r) => ({ CidrIp: r.cidrIp, Description: r.description })),
  Ipv6Ranges: p.ipv6Ranges.map((r) => ({ CidrIpv6: r.cidrIpv6, Description: r.description })),
  PrefixListIds: p.prefixListIds.map((r) => ({ PrefixListId: r.prefixListId, Description: r.description })),
});

const permissionsView = (rules: readonly RuleDraft[]): IpPermission[] => groupPermissions(rules).map(permissionView);

export const securityGroupView = (g: SecurityGroupRecord, scope: Scope): SecurityGroup => ({
  GroupId: g.id,
  GroupName: g.groupName,
  Description: g.description,
  VpcId: g.vpcId,
  OwnerId: g.ownerId,
  SecurityGroupArn: groupArn(scope, g.id),
  IpPermissions: permissionsView(g.rules.filter((r) => !r.isEgress)),
  IpPermissionsEgress: permissionsView(g.rules.filter((r) => r.isEgress)),
  Tags: tagView(g.tags),
});

/** DescribeSecurityGroupRules' view: an all-ports rule shows FromPort/ToPort -1, as AWS does. */
const ruleView = (g: SecurityGroupRecord, r: SecurityGroupRule, scope: Scope): WireRule => ({
  SecurityGroupRuleId: r.ruleId,
  GroupId: g.id,
  GroupOwnerId: g.ownerId,
  IsEgress: r.isEgress,
  IpProtocol: r.ipProtocol,
  FromPort: r.fromPort ?? -1,
  ToPort: r.toPort ?? -1,
  CidrIpv4: r.cidrIpv4,
  CidrIpv6: r.cidrIpv6,
  PrefixListId: r.prefixListId,
  ReferencedGroupInfo: r.referencedGroupId !== undefined ? { GroupId: r.referencedGroupId, UserId: r.referencedUserId } : undefined,
  Description: r.description,
  Tags: tagView(r.tags ?? []),
  SecurityGroupRuleArn: ruleArn(scope, r.ruleId),
});

const authorize = (
  ctx: ActionContext,
  group: SecurityGroupRecord,
  perms: readonly IpPermission[],
  isEgress: boolean,
  tagSpecs: readonly TagSpecification[] | undefined,
): { Return: boolean; SecurityGroupRules: WireRule[] } => {
  const drafts = draftsFromPermissions(toSpecs(ctx, perms, group.vpcId), isEgress);
  if (drafts.length === 0) throw err.permissionMissingSource();
  checkAuthorize(group, drafts, ctx.quotas.rulesPerSecurityGroup, prefixListWeightOf(ctx.tx));
  const tags = tagsFromSpecs(tagSpecs, "security-group-rule", ctx);
  const added: SecurityGroupRule[] = drafts.map((d) => ({
    ruleId: ctx.ids.next("securityGroupRule"),
    ...d,
    ...(tags.length > 0 ? { tags } : {}),
  }));
  ctx.tx.put({ ...group, rules: [...group.rules, ...added] });
  return { Return: true, SecurityGroupRules: added.map((r) => ruleView(group, r, ctx.scope)) };
};

/**
 * Revoke by rule ids or by permissions (not both). Permissions must match existing rules exactly, else
 * InvalidPermission.NotFound — except in the default VPC, where the model doc says AWS answers success and lists
 * the permissions it did not find in UnknownIpPermissions.
 */
const revoke = (
  ctx: ActionContext,
  group: SecurityGroupRecord,
  perms: readonly IpPermission[],
  ruleIds: readonly string[] | undefined,
  isEgress: boolean,
) => {
  const ids = ruleIds ?? [];
  if (ids.length > 0 && perms.length > 0) throw err.revokeRulesAndPermissions();
  let removed: SecurityGroupRule[];
  let unknown: RuleDraft[] = [];
  if (ids.length > 0) {
    removed = ids.map((id) => {
      assertIdOf("securityGroupRule", id);
      const r = group.rules.find((x) => x.ruleId === id && x.isEgress === isEgress);
      if (!r) throw err.securityGroupRuleNotFound(id);
      return r;
    });
  } else if (perms.length > 0) {
    const match = matchRevoke(group, draftsFromPermissions(toSpecs(ctx, perms, group.vpcId), isEgress));
    if (match.unknown.length > 0 && !ctx.tx.get("vpc", group.vpcId)?.isDefault) throw err.permissionNotFound();
    removed = match.matched;
    unknown = match.unknown;
  } else {
    throw err.revokeNothing();
  }
  ctx.tx.put({ ...group, rules: group.rules.filter((r) => !removed.includes(r)) });
  return {
    Return: true,
    UnknownIpPermissions: unknown.length > 0 ? permissionsView(unknown) : undefined,
    // The revoked-rule shape is the rule view without owner, tags and group info, with a flat ReferencedGroupId.
    RevokedSecurityGroupRules: removed.map((r) => {
      const { GroupOwnerId: _owner, ReferencedGroupInfo: _ref, Tags: _tags, ...common } = ruleView(group, r, ctx.scope);
      return { ...common, ReferencedGroupId: r.referencedGroupId };
    }),
  };
};

export const CreateSecurityGroup = defineAction({
  name: "CreateSecurityGroup",
  mutates: true,
  params: ["GroupName", "Description", "VpcId", "TagSpecifications"],
  run(input, ctx) {
    const { tx, ids, scope } = ctx;
    const vpc = input.VpcId !== undefined ? must(tx, "vpc", input.VpcId) : defaultVpcOf(tx);
    if (!vpc) throw err.noDefaultVpcForGroup();
    const siblings = tx.list("security-group", { vpcId: vpc.id });
    // An empty GroupDescription is a missing one (issue 15; AWS: "The request must contain the parameter GroupDescription").
    if (input.Description === "") throw err.missingParameter("GroupDescription");
    checkNewGroup(input.GroupName, input.Description, vpc.id, siblings);
    if (siblings.length >= ctx.quotas.securityGroupsPerVpc) throw err.securityGroupLimit();
    const tags = tagsFromSpecs(input.TagSpecifications, "security-group", ctx);
    const id = ids.next("securityGroup");
    tx.put({
      kind: "security-group",
      id,
      tags,
      vpcId: vpc.id,
      ownerId: scope.account,
      groupName: input.GroupName,
      description: input.Description,
      // "If your VPC has an IPv6 CIDR block, we also add an outbound rule that allows all IPv6 traffic" [DOC VPC-UG
      // security group rules] (issue 15).
      rules: [
        defaultEgressRule(ids.next("securityGroupRule")),
        ...(vpc.ipv6Associations.some((a) => a.state === "associated")
          ? [{ ...defaultEgressRule(ids.next("securityGroupRule")), cidrIpv4: undefined, cidrIpv6: "::/0" }]
          : []),
      ],
    });
    return { GroupId: id, Tags: tagView(tags), SecurityGroupArn: groupArn(scope, id) };
  },
});

export const DescribeSecurityGroups = defineAction({
  name: "DescribeSecurityGroups",
  mutates: false,
  params: ["GroupIds", "GroupNames", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const { tx } = ctx;
    const byName = (input.GroupNames ?? []).map((n) => groupByName(tx, n).id);
    const wanted = [...(input.GroupIds ?? []), ...byName];
    const groups = candidates(tx, "security-group", wanted, input.Filters, {
      id: "group-id",
      vpcId: "vpc-id",
      keyed: ["group-name"],
      idsInCreationOrder: true,
    });
    // Names of referenced groups (this scope's), read on demand: only rules' groups, not every group of the account.
    const nameCache = new Map<string, string | undefined>();
    const names = {
      get: (id: string): string | undefined => {
        if (!nameCache.has(id)) nameCache.set(id, tx.get("security-group", id)?.groupName);
        return nameCache.get(id);
      },
    };
    const rulesOf = (g: SecurityGroupRecord, egress: boolean) => g.rules.filter((r) => r.isEgress === egress);
    const permissionFilters = (prefix: string, egress: boolean) => ({
      [`${prefix}.cidr`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.cidrIpv4),
      [`${prefix}.from-port`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.fromPort ?? -1),
      [`${prefix}.to-port`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.toPort ?? -1),
      [`${prefix}.group-id`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.referencedGroupId),
      [`${prefix}.group-name`]: (g: SecurityGroupRecord) =>
        rulesOf(g, egress).map((r) => (r.referencedGroupId ? names.get(r.referencedGroupId) : undefined)),
      [`${prefix}.ipv6-cidr`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.cidrIpv6),
      [`${prefix}.prefix-list-id`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.prefixListId),
      [`${prefix}.protocol`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.ipProtocol),
      [`${prefix}.user-id`]: (g: SecurityGroupRecord) => rulesOf(g, egress).map((r) => r.referencedUserId),
    });
    const page = describe({
      items: groups,
      idOf: (g) => g.id,
      ids: wanted,
      idKind: "securityGroup",
      idsParam: "groupId",
      notFound: (m) => err.groupNotFound(m[0]!),
      filters: input.Filters,
      table: {
        description: (g) => g.description,
        "group-id": (g) => g.id,
        "group-name": (g) => g.groupName,
        "owner-id": (g) => g.ownerId,
        "vpc-id": (g) => g.vpcId,
        ...permissionFilters("ip-permission", false),
        ...permissionFilters("egress.ip-permission", true),
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      keyset: true, // issue 19: the token names the last record answered, so deletions between pages skip nothing
    });
    return { SecurityGroups: page.items.map((g) => securityGroupView(g, ctx.scope)), NextToken: page.nextToken };
  },
});

export const DeleteSecurityGroup = defineAction({
  name: "DeleteSecurityGroup",
  mutates: true,
  params: ["GroupId", "GroupName"],
  run(input, ctx) {
    const { tx } = ctx;
    const g = targetGroup(tx, input.GroupId, input.GroupName);
    if (g.groupName === "default") throw err.cannotDeleteDefaultGroup(g.id);
    const usedByEni = tx.idsByKey("network-interface", "group-id", g.id).length > 0;
    const referrers = tx.getMany("security-group", tx.idsByKey("security-group", "referenced-group-id", g.id));
    if (usedByEni || referencingGroups(g.id, referrers).length > 0) throw err.groupInUse(g.id);
    tx.delete(g.id);
    return { Return: true, GroupId: g.id };
  },
});

const FLAT_INGRESS = ["CidrIp", "IpProtocol", "FromPort", "ToPort", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId"] as const;

export const AuthorizeSecurityGroupIngress = defineAction({
  name: "AuthorizeSecurityGroupIngress",
  mutates: true,
  params: ["GroupId", "GroupName", "IpPermissions", "TagSpecifications", ...FLAT_INGRESS],
  run(input, ctx) {
    const group = targetGroup(ctx.tx, input.GroupId, input.GroupName);
    return authorize(ctx, group, permissionsOf(input), false, input.TagSpecifications);
  },
});

// The flat parameters are "Not supported" for egress (model doc); leaving them out of `params` answers them clearly.
export const AuthorizeSecurityGroupEgress = defineAction({
  name: "AuthorizeSecurityGroupEgress",
  mutates: true,
  params: ["GroupId", "IpPermissions", "TagSpecifications"],
  run(input, ctx) {
    return authorize(ctx, must(ctx.tx, "security-group", input.GroupId), input.IpPermissions ?? [], true, input.TagSpecifications);
  },
});

export const RevokeSecurityGroupIngress = defineAction({
  name: "RevokeSecurityGroupIngress",
  mutates: true,
  params: ["GroupId", "GroupName", "IpPermissions", "SecurityGroupRuleIds", ...FLAT_INGRESS],
  run(input, ctx) {
    const group = targetGroup(ctx.tx, input.GroupId, input.GroupName);
    return revoke(ctx, group, permissionsOf(input), input.SecurityGroupRuleIds, false);
  },
});

export const RevokeSecurityGroupEgress = defineAction({
  name: "RevokeSecurityGroupEgress",
  mutates: true,
  params: ["GroupId", "IpPermissions", "SecurityGroupRuleIds"],
  run(input, ctx) {
    return revoke(ctx, must(ctx.tx, "security-group", input.GroupId), input.IpPermissions ?? [], input.SecurityGroupRuleIds, true);
  },
});

export const DescribeSecurityGroupRules = defineAction({
  name: "DescribeSecurityGroupRules",
  mutates: false,
  params: ["SecurityGroupRuleIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    // A malformed group-id filter value is the id's own Malformed error, as AWS answers (issue 15).
    for (const f of input.Filters ?? []) if (f.Name === "group-id") for (const v of f.Values ?? []) assertIdOf("securityGroup", v);
    const rows = ctx.tx.list("security-group").flatMap((group) => group.rules.map((rule) => ({ group, rule })));
    const page = describe({
      items: rows,
      idOf: (x) => x.rule.ruleId,
      tagsOf: (x) => x.rule.tags ?? [],
      ids: input.SecurityGroupRuleIds,
      idKind: "securityGroupRule",
      idsParam: "securityGroupRuleId",
      notFound: (m) => err.securityGroupRuleNotFound(m[0]!),
      filters: input.Filters,
      table: {
        "group-id": (x) => x.group.id,
        "security-group-rule-id": (x) => x.rule.ruleId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { SecurityGroupRules: page.items.map((x) => ruleView(x.group, x.rule, ctx.scope)), NextToken: page.nextToken };
  },
});

export const SECURITY_GROUP_ACTIONS = [
  CreateSecurityGroup,
  DescribeSecurityGroups,
  DeleteSecurityGroup,
  AuthorizeSecurityGroupIngress,
  AuthorizeSecurityGroupEgress,
  RevokeSecurityGroupIngress,
  RevokeSecurityGroupEgress,
  DescribeSecurityGroupRules,
];
