/** CreateTags, DeleteTags, DescribeTags, and the TagSpecification handling every create action uses. */
import { err } from "../../../domain/errors.js";
import { compileFilters, type FilterInput } from "../../../domain/filters.js";
import { isIdOf, kindOfId } from "../../../domain/ids.js";
import { AWS_RESOURCE_TYPE, mergeTags, removeTags, validateTag } from "../../../domain/tags.js";
import type { AnyRecord, ResourceKind, Tag } from "../../../domain/types.js";
import type { TagSpecification } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe } from "../../common/describe.js";
import { must, notFound } from "../lookups.js";

/**
 * Tags from `TagSpecification.N` for a create action. Each spec's ResourceType must be one the action creates
 * ("'x' is not a valid taggable resource type for this operation.").
 */
export const tagsFromSpecs = (
  specs: readonly TagSpecification[] | undefined,
  resourceType: string,
  ctx: ActionContext,
  alsoAllowed: readonly string[] = [],
): Tag[] => {
  let tags: Tag[] = [];
  for (const spec of specs ?? []) {
    // AWS checks the type is there, then that it fits the action, then that the specification has tags.
    if (!spec.ResourceType) throw err.tagSpecResourceTypeMissing();
    const type = spec.ResourceType;
    if (type !== resourceType && !alsoAllowed.includes(type)) throw err.invalidTaggableResourceType(type);
    if ((spec.Tags ?? []).length === 0) throw err.tagSpecWithoutTags();
    if (type !== resourceType) continue;
    tags = mergeTags(
      tags,
      (spec.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" })),
      ctx.quotas.tagsPerResource,
    );
  }
  return tags;
};

/** The record of any taggable id, with its kind's Malformed/NotFound errors; unknown prefixes → InvalidID. */
const taggable = (tx: Tx, id: string): AnyRecord => {
  const kind = kindOfId(id);
  const stored = tx.getAny(id);
  if (stored) return stored;
  if (!kind) throw err.invalidIdForTags(id);
  const resourceKind = RESOURCE_KIND_OF_ID[kind];
  if (!resourceKind) throw err.invalidIdForTags(id);
  must(tx, resourceKind, id);
  throw notFound(resourceKind, id);
};

/**
 * Security-group rules (sgr-) are stored inside their group's record; re-tagging one rewrites the group, found through
 * the `security-group-rule-id` secondary key.
 */
const retagRule = (tx: Tx, ruleId: string, change: (tags: readonly Tag[]) => Tag[]): void => {
  for (const g of tx.getMany("security-group", tx.idsByKey("security-group", "security-group-rule-id", ruleId))) {
    const rule = g.rules.find((r) => r.ruleId === ruleId);
    if (!rule) continue;
    tx.put({ ...g, rules: g.rules.map((r) => (r === rule ? { ...r, tags: change(r.tags ?? []) } : r)) });
    return;
  }
  throw err.securityGroupRuleNotFound(ruleId);
};

const RESOURCE_KIND_OF_ID: Partial<Record<string, ResourceKind>> = {
  vpc: "vpc",
  subnet: "subnet",
  securityGroup: "security-group",
  internetGateway: "internet-gateway",
  routeTable: "route-table",
  networkAcl: "network-acl",
  instance: "instance",
  networkInterface: "network-interface",
  allocation: "elastic-ip",
  // --- flow logs (issue 5) ---
  flowLog: "flow-log",
  keyPair: "key-pair", // issue 15
  vpcPeeringConnection: "vpc-peering-connection", // issue 16 (VPC peering)
  placementGroup: "placement-group", // issue 15
  networkInsightsPath: "network-insights-path", // issue 21
  networkInsightsAnalysis: "network-insights-analysis", // issue 21
  image: "image", // issue 15: a registered image (catalogue images are not taggable)
  launchTemplate: "launch-template", // issue 15
  dhcpOptions: "dhcp-options", // issue 16
  egressOnlyInternetGateway: "egress-only-internet-gateway", // issue 16
  subnetCidrReservation: "subnet-cidr-reservation", // issue 16
  volume: "volume",
  snapshot: "snapshot",
  prefixList: "prefix-list", // issue 16
  vpcEndpoint: "vpc-endpoint", // issue 16 (VPC endpoints)
};

export const CreateTags = defineAction({
  name: "CreateTags",
  mutates: true,
  params: ["Resources", "Tags"],
  run(input, ctx) {
    const tags = input.Tags.map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" }));
    for (const t of tags) validateTag(t.key, t.value);
    for (const id of input.Resources) {
      if (isIdOf("securityGroupRule", id)) {
        retagRule(ctx.tx, id, (t) => mergeTags(t, tags, ctx.quotas.tagsPerResource));
        continue;
      }
      const r = taggable(ctx.tx, id);
      ctx.tx.put({ ...r, tags: mergeTags(r.tags, tags, ctx.quotas.tagsPerResource) });
    }
    return {};
  },
});

export const DeleteTags = defineAction({
  name: "DeleteTags",
  mutates: true,
  params: ["Resources", "Tags"],
  run(input, ctx) {
    const removed = (input.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value }));
    // No Tag.N at all deletes every tag of the resource.
    const remove = (t: readonly Tag[]): Tag[] => (input.Tags === undefined ? [] : removeTags(t, removed));
    for (const id of input.Resources) {
      if (isIdOf("securityGroupRule", id)) {
        retagRule(ctx.tx, id, remove);
        continue;
      }
      const r = taggable(ctx.tx, id);
      ctx.tx.put({ ...r, tags: remove(r.tags) });
    }
    return {};
  },
});

/** A BYOIP pool of IPv6 addresses is `ipv6pool-ec2`; every other kind has one name. */
const resourceTypeOf = (r: AnyRecord): string =>
  r.kind === "byoip-cidr" && r.id.startsWith("ipv6pool-") ? "ipv6pool-ec2" : (AWS_RESOURCE_TYPE[r.kind] ?? r.kind);

interface TagRow {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly key: string;
  readonly value: string;
}

/**
 * The records whose tags DescribeTags may answer, in creation order, through the indexes when a filter allows: exact
 * `resource-id` values are point lookups (a rule's id reads its group), an exact `key` or `tag:K` filter reads the
 * records keyed with that tag (plus the security groups, whose rules carry tags of their own). Otherwise every record.
 * A superset: describe() still applies every filter.
 */
const taggedCandidates = (tx: Tx, filters: readonly FilterInput[] | undefined): AnyRecord[] => {
  const exact = (f: FilterInput): readonly string[] | undefined =>
    f.Values && f.Values.length > 0 && f.Values.every((v) => !v.includes("*") && !v.includes("?")) ? [...new Set(f.Values)] : undefined;
  const byId = filters?.find((f) => f.Name === "resource-id" && exact(f));
  if (byId) {
    const ids = exact(byId)!.flatMap((id) => (id.startsWith("sgr-") ? tx.idsByKey("security-group", "security-group-rule-id", id) : [id]));
    return tx.getAnyMany([...new Set(ids)]);
  }
  const byTag = filters?.find((f) => (f.Name === "key" || f.Name?.startsWith("tag:")) && exact(f));
  if (byTag?.Name) {
    const name = byTag.Name === "key" ? "tag-key" : byTag.Name;
    const ids = tx
      .kinds()
      .flatMap((kind) => (kind === "security-group" ? tx.list(kind).map((g) => g.id) : tx.idsByKeys(kind, name, exact(byTag)!)));
    return tx.getAnyMany([...new Set(ids)]);
  }
  return tx.listAll();
};

export const DescribeTags = defineAction({
  name: "DescribeTags",
  mutates: false,
  params: ["Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const rows: TagRow[] = taggedCandidates(ctx.tx, input.Filters).flatMap((r) => [
      // AWS's resource-type name, which is not always the kind's (natgateway, vpc-flow-log, ipv4pool-ec2).
      ...r.tags.map((t) => ({
        resourceId: r.id,
        resourceType: resourceTypeOf(r),
        key: t.key,
        value: t.value,
      })),
      // Security-group rules are tagged resources of their own, stored inside their group.
      ...(r.kind === "security-group"
        ? r.rules.flatMap((rule) =>
            (rule.tags ?? []).map((t) => ({ resourceId: rule.ruleId, resourceType: "security-group-rule", key: t.key, value: t.value })),
          )
        : []),
    ]);
    // `tag:<key>` (model doc: "to find resources with the tag Owner=TeamA") selects the tags of resources that carry
    // that tag; `key`/`value` narrow to single tags. Whether AWS returns all of such a resource's tags or only the
    // matching one is not documented. // unverified
    const isTagFilter = (f: { Name?: string | undefined }): boolean => f.Name?.startsWith("tag:") ?? false;
    const resourceTags = new Map<string, Tag[]>();
    for (const r of rows) resourceTags.set(r.resourceId, [...(resourceTags.get(r.resourceId) ?? []), { key: r.key, value: r.value }]);
    const byResourceTag = compileFilters<TagRow>({}, input.Filters?.filter(isTagFilter), { taggable: true });
    const page = describe({
      items: rows.filter((r) => byResourceTag(r, resourceTags.get(r.resourceId) ?? [])),
      idOf: (r) => `${r.resourceId}/${r.key}`,
      taggable: false,
      filters: input.Filters?.filter((f) => !isTagFilter(f)),
      table: {
        key: (r) => r.key,
        value: (r) => r.value,
        "resource-id": (r) => r.resourceId,
        "resource-type": (r) => r.resourceType,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return {
      Tags: page.items.map((r) => ({
        ResourceId: r.resourceId,
        ResourceType: r.resourceType as never,
        Key: r.key,
        Value: r.value,
      })),
      NextToken: page.nextToken,
    };
  },
});

export const TAG_ACTIONS = [CreateTags, DeleteTags, DescribeTags];
