/**
 * DHCP options sets: CreateDhcpOptions, AssociateDhcpOptions (a set, or `default` for none), DescribeDhcpOptions,
 * DeleteDhcpOptions. Every (account, region) starts with a default set (bootstrap.ts) that new VPCs use.
 */
import { defaultDhcpConfigurations, parseDhcpConfigurations } from "../../../domain/dhcp-options.js";
import { err } from "../../../domain/errors.js";
import type { DhcpOptionsRecord } from "../../../domain/types.js";
import type { DhcpOptions } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

/** AssociateDhcpOptions' `default`: "to associate no DHCP options with the VPC" (model doc); VPCs then show it too. */
export const NO_DHCP_OPTIONS = "default";

export const dhcpOptionsView = (d: DhcpOptionsRecord): DhcpOptions => ({
  DhcpOptionsId: d.id,
  OwnerId: d.ownerId,
  DhcpConfigurations: d.configurations.map((c) => ({ Key: c.key, Values: c.values.map((v) => ({ Value: v })) })),
  Tags: tagView(d.tags),
});

/** Creates the scope's default set (bootstrap). */
export const createDefaultDhcpOptions = (ctx: ActionContext): DhcpOptionsRecord => {
  const d: DhcpOptionsRecord = {
    kind: "dhcp-options",
    id: ctx.ids.next("dhcpOptions"),
    tags: [],
    ownerId: ctx.scope.account,
    configurations: defaultDhcpConfigurations(ctx.scope.region),
    isDefault: true,
  };
  ctx.tx.put(d);
  return d;
};

/**
 * The set a new VPC gets: the Region's default set. If it was deleted, the VPC gets none (`default`), as after
 * AssociateDhcpOptions `default`. // unverified: what AWS gives a new VPC once the default set is deleted
 */
export const defaultDhcpOptionsId = (tx: Tx): string => tx.idsByKey("dhcp-options", "default", "true")[0] ?? NO_DHCP_OPTIONS;

export const CreateDhcpOptions = defineAction({
  name: "CreateDhcpOptions",
  mutates: true,
  params: ["DhcpConfigurations", "TagSpecifications"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "dhcp-options", ctx);
    const configurations = parseDhcpConfigurations(input.DhcpConfigurations.map((c) => ({ key: c.Key, values: c.Values })));
    const d: DhcpOptionsRecord = {
      kind: "dhcp-options",
      id: ctx.ids.next("dhcpOptions"),
      tags,
      ownerId: ctx.scope.account,
      configurations,
      isDefault: false,
    };
    ctx.tx.put(d);
    return { DhcpOptions: dhcpOptionsView(d) };
  },
});

export const AssociateDhcpOptions = defineAction({
  name: "AssociateDhcpOptions",
  mutates: true,
  params: ["DhcpOptionsId", "VpcId"],
  run(input, ctx) {
    const id = input.DhcpOptionsId === NO_DHCP_OPTIONS ? NO_DHCP_OPTIONS : must(ctx.tx, "dhcp-options", input.DhcpOptionsId).id;
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    ctx.tx.put({ ...vpc, dhcpOptionsId: id });
    return {};
  },
});

export const DeleteDhcpOptions = defineAction({
  name: "DeleteDhcpOptions",
  mutates: true,
  params: ["DhcpOptionsId"],
  run(input, ctx) {
    const d = must(ctx.tx, "dhcp-options", input.DhcpOptionsId);
    // A set in use by a VPC cannot be deleted (model doc: "you must disassociate the set … by associating either a
    // new set of options or the default set"). VPCs per Region are few (quota 5 by default): a scan is cheap.
    if (ctx.tx.list("vpc").some((v) => v.dhcpOptionsId === d.id)) throw err.dhcpOptionsDependency(d.id);
    ctx.tx.delete(d.id);
    return {};
  },
});

export const DescribeDhcpOptions = defineAction({
  name: "DescribeDhcpOptions",
  mutates: false,
  params: ["DhcpOptionsIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "dhcp-options", input.DhcpOptionsIds, input.Filters, { id: "dhcp-options-id" }),
      idOf: (d) => d.id,
      ids: input.DhcpOptionsIds,
      idKind: "dhcpOptions",
      idsParam: "dhcpOptionsId",
      notFound: (m) => err.dhcpOptionsNotFound(m[0]!),
      filters: input.Filters,
      table: {
        "dhcp-options-id": (d) => d.id,
        key: (d) => d.configurations.map((c) => c.key),
        value: (d) => d.configurations.flatMap((c) => c.values),
        "owner-id": (d) => d.ownerId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { DhcpOptions: page.items.map(dhcpOptionsView), NextToken: page.nextToken };
  },
});

export const DHCP_OPTIONS_ACTIONS = [CreateDhcpOptions, AssociateDhcpOptions, DescribeDhcpOptions, DeleteDhcpOptions];
