/**
 * CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup (issue 15). Launching into a group is
 * RunInstances' `Placement.GroupName` (services/ec2/placement.ts); the rules are in domain/placement-groups.ts.
 */
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { placementGroupSpec } from "../../../domain/placement-groups.js";
import type { PlacementGroupRecord } from "../../../domain/types.js";
import type { PlacementGroup } from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe, tagView } from "../../common/describe.js";
import { placementGroupByName, placementGroupMembers } from "../placement.js";
import { tagsFromSpecs } from "./tags.js";

const arnOf = (ctx: ActionContext, g: PlacementGroupRecord): string =>
  `arn:aws:ec2:${ctx.scope.region}:${ctx.scope.account}:placement-group/${g.groupName}`;

const view = (ctx: ActionContext, g: PlacementGroupRecord): PlacementGroup => ({
  GroupName: g.groupName,
  State: "available",
  Strategy: g.strategy,
  PartitionCount: g.partitionCount,
  SpreadLevel: g.spreadLevel,
  GroupId: g.id,
  Tags: tagView(g.tags) ?? [],
  GroupArn: arnOf(ctx, g),
});

export const CreatePlacementGroup = defineAction({
  name: "CreatePlacementGroup",
  mutates: true,
  params: ["GroupName", "Strategy", "PartitionCount", "SpreadLevel", "TagSpecifications"],
  run(input, ctx) {
    const spec = placementGroupSpec(input.GroupName, input.Strategy, input.PartitionCount, input.SpreadLevel);
    const tags = tagsFromSpecs(input.TagSpecifications, "placement-group", ctx);
    if (placementGroupByName(ctx.tx, spec.groupName)) throw err.placementGroupDuplicate(spec.groupName);
    const record: PlacementGroupRecord = { kind: "placement-group", id: ctx.ids.next("placementGroup"), tags, ...spec };
    ctx.tx.put(record);
    return { PlacementGroup: view(ctx, record) };
  },
});

const FILTERS: FilterTable<PlacementGroupRecord> = {
  "group-name": (g) => g.groupName,
  "group-arn": () => undefined, // replaced per request (needs the scope)
  "spread-level": (g) => g.spreadLevel,
  state: () => "available",
  strategy: (g) => g.strategy,
};

export const DescribePlacementGroups = defineAction({
  name: "DescribePlacementGroups",
  mutates: false,
  params: ["GroupNames", "GroupIds", "Filters"],
  run(input, ctx) {
    const all = ctx.tx.list("placement-group");
    // Names first, as the reference lists them; an unknown name is the launch's own error.
    const names = input.GroupNames ?? [];
    const missing = names.find((n) => !all.some((g) => g.groupName === n));
    if (missing !== undefined) throw err.placementGroupUnknown(missing);
    const page = describe({
      items: names.length > 0 ? all.filter((g) => names.includes(g.groupName)) : all,
      idOf: (g) => g.id,
      ids: input.GroupIds,
      idKind: "placementGroup",
      notFound: (m) => err.placementGroupIdNotFound(m[0] ?? ""),
      filters: input.Filters,
      table: { ...FILTERS, "group-arn": (g) => arnOf(ctx, g) },
    });
    return { PlacementGroups: page.items.map((g) => view(ctx, g)) };
  },
});

export const DeletePlacementGroup = defineAction({
  name: "DeletePlacementGroup",
  mutates: true,
  params: ["GroupName"],
  run(input, ctx) {
    const g = placementGroupByName(ctx.tx, input.GroupName);
    if (!g) throw err.placementGroupUnknown(input.GroupName);
    // "You must terminate all instances in the placement group before you can delete the placement group." [DOC]
    if (placementGroupMembers(ctx.tx, g.groupName).some((i) => i.state !== "terminated")) throw err.placementGroupInUse(g.groupName);
    ctx.tx.delete(g.id);
    return {};
  },
});

export const PLACEMENT_GROUP_ACTIONS = [CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup];
