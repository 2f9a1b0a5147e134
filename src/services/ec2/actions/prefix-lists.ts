/**
 * Managed prefix lists (issue 16): DescribePrefixLists (legacy: the S3 and DynamoDB lists), DescribeManagedPrefixLists,
 * Create/Modify/DeleteManagedPrefixList, GetManagedPrefixListEntries, GetManagedPrefixListAssociations and
 * RestoreManagedPrefixListVersion. Rules live in src/domain/prefix-lists.ts; AWS-managed lists are static data
 * (prefix-list-lookup.ts). Every change is immediate: states are the `*-complete` ones.
 */
import { err } from "../../../domain/errors.js";
import { entriesAt, modifyPrefixList, newPrefixList, restorePrefixList, type PrefixListView } from "../../../domain/prefix-lists.js";
import { exceedsRuleQuota } from "../../../domain/security-groups.js";
import { routeWeight } from "../../../domain/route-tables.js";
import type { PrefixListRecord } from "../../../domain/types.js";
import type { ManagedPrefixList } from "../../../protocol/model/shapes.js";
import type { Scope, Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe, tagView } from "../../common/describe.js";
import { allPrefixLists, mustPrefixList, prefixListReferences, prefixListWeightOf } from "../prefix-list-lookup.js";
import { tagsFromSpecs } from "./tags.js";
import { ROUTES_PER_TABLE } from "./route-tables.js";

const arnOf = (scope: Scope, l: PrefixListView): string =>
  `arn:aws:ec2:${scope.region}:${l.awsManaged ? "aws" : scope.account}:prefix-list/${l.id}`;

export const managedPrefixListView = (l: PrefixListView, scope: Scope): ManagedPrefixList => ({
  PrefixListId: l.id,
  AddressFamily: l.addressFamily,
  State: l.state as ManagedPrefixList["State"],
  PrefixListArn: arnOf(scope, l),
  PrefixListName: l.name,
  MaxEntries: l.maxEntries,
  Version: l.version,
  Tags: tagView(l.tags),
  OwnerId: l.ownerId,
});

/** A customer-managed list of the account (an AWS-managed one cannot be changed). */
const mustOwnList = (tx: Tx, id: string): PrefixListRecord => {
  const l = mustPrefixList(tx, id);
  const rec = tx.get("prefix-list", l.id);
  if (!rec) throw err.prefixListAwsManaged(id);
  return rec;
};

const viewOf = (rec: PrefixListRecord, ctx: ActionContext): ManagedPrefixList =>
  managedPrefixListView(mustPrefixList(ctx.tx, rec.id), ctx.scope);

/**
 * A new MaxEntries must still fit every resource that references the list (model doc: "If any of the resources that
 * reference the prefix list cannot support the new maximum size, the modify operation fails").
 */
const checkReferencesFit = (ctx: ActionContext, id: string, maxEntries: number, ipv6: boolean): void => {
  const refs = prefixListReferences(ctx.tx, id);
  const others = prefixListWeightOf(ctx.tx);
  const weightOf = (plId: string) => (plId === id ? { weight: maxEntries, ipv6 } : others(plId));
  const failing = [
    ...refs.groups.filter((g) => exceedsRuleQuota(g.rules, ctx.quotas.rulesPerSecurityGroup, weightOf)).map((g) => g.id),
    ...refs.tables.filter((t) => routeWeight(t.routes, weightOf) > ROUTES_PER_TABLE).map((t) => t.id),
  ];
  if (failing.length > 0) throw err.prefixListResizeUnsupported(failing);
};

export const DescribeManagedPrefixLists = defineAction({
  name: "DescribeManagedPrefixLists",
  mutates: false,
  params: ["PrefixListIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: allPrefixLists(ctx.tx),
      idOf: (l) => l.id,
      tagsOf: (l) => l.tags,
      ids: input.PrefixListIds,
      idKind: "prefixList",
      notFound: (m) => err.prefixListNotFound(m[0]!),
      filters: input.Filters,
      table: {
        "owner-id": (l) => l.ownerId,
        "prefix-list-id": (l) => l.id,
        "prefix-list-name": (l) => l.name,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { PrefixLists: page.items.map((l) => managedPrefixListView(l, ctx.scope)), NextToken: page.nextToken };
  },
});

/** The legacy action: only the AWS-managed lists of gateway-endpoint services (S3, DynamoDB), with their CIDRs. */
export const DescribePrefixLists = defineAction({
  name: "DescribePrefixLists",
  mutates: false,
  params: ["PrefixListIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: allPrefixLists(ctx.tx).filter((l) => l.legacy),
      idOf: (l) => l.id,
      ids: input.PrefixListIds,
      idKind: "prefixList",
      notFound: (m) => err.prefixListNotFound(m[0]!),
      filters: input.Filters,
      table: { "prefix-list-id": (l) => l.id, "prefix-list-name": (l) => l.name },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return {
      PrefixLists: page.items.map((l) => ({ PrefixListId: l.id, PrefixListName: l.name, Cidrs: l.entries.map((e) => e.cidr) })),
      NextToken: page.nextToken,
    };
  },
});

export const CreateManagedPrefixList = defineAction({
  name: "CreateManagedPrefixList",
  mutates: true,
  params: ["PrefixListName", "Entries", "MaxEntries", "TagSpecifications", "AddressFamily", "ClientToken"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "prefix-list", ctx);
    if (input.AddressFamily !== "IPv4" && input.AddressFamily !== "IPv6")
      throw err.invalidEnum("AddressFamily", input.AddressFamily, ["IPv4", "IPv6"]);
    const rec = newPrefixList({
      id: ctx.ids.next("prefixList"),
      ownerId: ctx.scope.account,
      name: input.PrefixListName,
      addressFamily: input.AddressFamily,
      maxEntries: input.MaxEntries,
      entries: (input.Entries ?? []).map((e) => ({ cidr: e.Cidr, description: e.Description })),
      tags,
    });
    if (ctx.tx.count("prefix-list") >= ctx.quotas.prefixListsPerRegion) throw err.prefixListLimitExceeded();
    ctx.tx.put(rec);
    return { PrefixList: viewOf(rec, ctx) };
  },
});

export const ModifyManagedPrefixList = defineAction({
  name: "ModifyManagedPrefixList",
  mutates: true,
  params: ["PrefixListId", "CurrentVersion", "PrefixListName", "AddEntries", "RemoveEntries", "MaxEntries"],
  run(input, ctx) {
    const rec = mustOwnList(ctx.tx, input.PrefixListId);
    const next = modifyPrefixList(
      rec,
      {
        currentVersion: input.CurrentVersion,
        name: input.PrefixListName,
        add: (input.AddEntries ?? []).map((e) => ({ cidr: e.Cidr, description: e.Description })),
        remove: (input.RemoveEntries ?? []).map((e) => e.Cidr),
        maxEntries: input.MaxEntries,
      },
      ctx.quotas.versionsPerPrefixList,
    );
    if (next.maxEntries > rec.maxEntries) checkReferencesFit(ctx, rec.id, next.maxEntries, rec.addressFamily === "IPv6");
    ctx.tx.put(next);
    return { PrefixList: viewOf(next, ctx) };
  },
});

export const GetManagedPrefixListEntries = defineAction({
  name: "GetManagedPrefixListEntries",
  mutates: false,
  params: ["PrefixListId", "TargetVersion", "MaxResults", "NextToken"],
  run(input, ctx) {
    const l = mustPrefixList(ctx.tx, input.PrefixListId);
    const entries = entriesAt(ctx.tx.get("prefix-list", l.id) ?? l, input.TargetVersion);
    const page = describe({
      items: entries,
      idOf: (e) => e.cidr,
      table: {},
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Entries: page.items.map((e) => ({ Cidr: e.cidr, Description: e.description })), NextToken: page.nextToken };
  },
});

export const GetManagedPrefixListAssociations = defineAction({
  name: "GetManagedPrefixListAssociations",
  mutates: false,
  params: ["PrefixListId", "MaxResults", "NextToken"],
  run(input, ctx) {
    const l = mustPrefixList(ctx.tx, input.PrefixListId);
    const refs = prefixListReferences(ctx.tx, l.id);
    const rows = [...refs.groups.map((g) => ({ id: g.id, owner: g.ownerId })), ...refs.tables.map((t) => ({ id: t.id, owner: t.ownerId }))];
    const page = describe({ items: rows, idOf: (r) => r.id, table: {}, maxResults: input.MaxResults, nextToken: input.NextToken });
    return {
      PrefixListAssociations: page.items.map((r) => ({ ResourceId: r.id, ResourceOwner: r.owner })),
      NextToken: page.nextToken,
    };
  },
});

export const RestoreManagedPrefixListVersion = defineAction({
  name: "RestoreManagedPrefixListVersion",
  mutates: true,
  params: ["PrefixListId", "PreviousVersion", "CurrentVersion"],
  run(input, ctx) {
    const rec = mustOwnList(ctx.tx, input.PrefixListId);
    const next = restorePrefixList(rec, input.PreviousVersion, input.CurrentVersion, ctx.quotas.versionsPerPrefixList);
    ctx.tx.put(next);
    return { PrefixList: viewOf(next, ctx) };
  },
});

export const DeleteManagedPrefixList = defineAction({
  name: "DeleteManagedPrefixList",
  mutates: true,
  params: ["PrefixListId"],
  run(input, ctx) {
    const rec = mustOwnList(ctx.tx, input.PrefixListId);
    const refs = prefixListReferences(ctx.tx, rec.id);
    if (refs.groups.length > 0 || refs.tables.length > 0) throw err.prefixListInUse(rec.id);
    const view = viewOf(rec, ctx);
    ctx.tx.delete(rec.id);
    // AWS answers delete-in-progress and then forgets the list; localvpc deletes at once.
    return { PrefixList: { ...view, State: "delete-complete" as const } };
  },
});

export const PREFIX_LIST_ACTIONS = [
  DescribePrefixLists,
  DescribeManagedPrefixLists,
  CreateManagedPrefixList,
  ModifyManagedPrefixList,
  GetManagedPrefixListEntries,
  GetManagedPrefixListAssociations,
  RestoreManagedPrefixListVersion,
  DeleteManagedPrefixList,
];
