/**
 * Editing existing security-group rules: ModifySecurityGroupRules (replace rules by id) and
 * UpdateSecurityGroupRuleDescriptionsIngress/Egress (by rule ids or by matching IpPermissions).
 */
import { err } from "../../../domain/errors.js";
import { assertIdOf } from "../../../domain/ids.js";
import { draftsFromPermissions } from "../../../domain/security-groups.js";
import {
  draftFromRequest,
  withModifiedRules,
  withPermissionDescriptions,
  withRuleDescriptions,
} from "../../../domain/security-group-rules.js";
import type { SecurityGroupRecord } from "../../../domain/types.js";
import type { IpPermission, SecurityGroupRuleDescription } from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { must } from "../lookups.js";
import { targetGroup, toSpecs } from "./security-groups.js";

export const ModifySecurityGroupRules = defineAction({
  name: "ModifySecurityGroupRules",
  mutates: true,
  params: ["GroupId", "SecurityGroupRules"],
  run(input, ctx) {
    const group = must(ctx.tx, "security-group", input.GroupId);
    const updates = input.SecurityGroupRules.map((u) => {
      assertIdOf("securityGroupRule", u.SecurityGroupRuleId);
      const req = u.SecurityGroupRule;
      if (!req) throw err.sgRuleRequestMissing(u.SecurityGroupRuleId);
      if (req.ReferencedGroupId !== undefined) {
        const ref = must(ctx.tx, "security-group", req.ReferencedGroupId);
        return { ruleId: u.SecurityGroupRuleId, req, ref: { groupId: ref.id, userId: ref.ownerId } };
      }
      return { ruleId: u.SecurityGroupRuleId, req, ref: undefined };
    });
    const next = withModifiedRules(
      group,
      updates.map((u) => ({
        ruleId: u.ruleId,
        draft: (isEgress: boolean) =>
          draftFromRequest(
            {
              ipProtocol: u.req.IpProtocol,
              fromPort: u.req.FromPort,
              toPort: u.req.ToPort,
              cidrIpv4: u.req.CidrIpv4,
              cidrIpv6: u.req.CidrIpv6,
              prefixListId: u.req.PrefixListId,
              referencedGroup: u.ref,
              description: u.req.Description,
            },
            isEgress,
          ),
      })),
    );
    ctx.tx.put(next);
    return { Return: true };
  },
});

const updateDescriptions = (
  ctx: ActionContext,
  group: SecurityGroupRecord,
  isEgress: boolean,
  perms: readonly IpPermission[] | undefined,
  byId: readonly SecurityGroupRuleDescription[] | undefined,
): { Return: boolean } => {
  const hasPerms = (perms?.length ?? 0) > 0;
  const hasIds = (byId?.length ?? 0) > 0;
  if (hasPerms && hasIds) throw err.sgRuleDescriptionBoth();
  if (!hasPerms && !hasIds) throw err.sgRuleDescriptionTarget();
  const next = hasIds
    ? withRuleDescriptions(
        group,
        isEgress,
        byId!.map((d) => {
          const ruleId = d.SecurityGroupRuleId ?? "";
          assertIdOf("securityGroupRule", ruleId);
          return { ruleId, description: d.Description };
        }),
      )
    : withPermissionDescriptions(group, draftsFromPermissions(toSpecs(ctx, perms!), isEgress));
  ctx.tx.put(next);
  return { Return: true };
};

export const UpdateSecurityGroupRuleDescriptionsIngress = defineAction({
  name: "UpdateSecurityGroupRuleDescriptionsIngress",
  mutates: true,
  params: ["GroupId", "GroupName", "IpPermissions", "SecurityGroupRuleDescriptions"],
  run(input, ctx) {
    const group = targetGroup(ctx.tx, input.GroupId, input.GroupName);
    return updateDescriptions(ctx, group, false, input.IpPermissions, input.SecurityGroupRuleDescriptions);
  },
});

export const UpdateSecurityGroupRuleDescriptionsEgress = defineAction({
  name: "UpdateSecurityGroupRuleDescriptionsEgress",
  mutates: true,
  params: ["GroupId", "GroupName", "IpPermissions", "SecurityGroupRuleDescriptions"],
  run(input, ctx) {
    const group = targetGroup(ctx.tx, input.GroupId, input.GroupName);
    return updateDescriptions(ctx, group, true, input.IpPermissions, input.SecurityGroupRuleDescriptions);
  },
});

export const SECURITY_GROUP_RULE_ACTIONS = [
  ModifySecurityGroupRules,
  UpdateSecurityGroupRuleDescriptionsIngress,
  UpdateSecurityGroupRuleDescriptionsEgress,
];
