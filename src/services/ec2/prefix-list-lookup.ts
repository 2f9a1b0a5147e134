/**
 * Prefix lists as the rest of EC2 sees them (issue 16): the region's AWS-managed lists (static data) and the
 * account's customer-managed records, looked up by id; who references a list; and its entries for the data plane.
 */
import { awsPrefixListCidrs } from "../../catalog/aws-prefix-lists.js";
import { err } from "../../domain/errors.js";
import { assertIdOf } from "../../domain/ids.js";
import { awsManagedPrefixLists, customerView, type PrefixListView } from "../../domain/prefix-lists.js";
import type { AwsServiceRange } from "../../domain/dataplane/topology.js";
import type { RouteTableRecord, SecurityGroupRecord } from "../../domain/types.js";
import type { Tx } from "../../store/store.js";

const awsByRegion = new Map<string, PrefixListView[]>();

/** The region's AWS-managed lists (built once per region). */
export const awsLists = (region: string): readonly PrefixListView[] => {
  let l = awsByRegion.get(region);
  if (!l) {
    l = awsManagedPrefixLists(region, awsPrefixListCidrs);
    awsByRegion.set(region, l);
  }
  return l;
};

/** AWS-managed lists first (as AWS lists them), then the account's. */
export const allPrefixLists = (tx: Tx): PrefixListView[] => [...awsLists(tx.scope.region), ...tx.list("prefix-list").map(customerView)];

/** A list by id, or `undefined`. */
export const prefixListById = (tx: Tx, id: string): PrefixListView | undefined => {
  const own = tx.get("prefix-list", id);
  if (own) return customerView(own);
  return awsLists(tx.scope.region).find((l) => l.id === id);
};

/** A list by id: Malformed, then NotFound. */
export const mustPrefixList = (tx: Tx, id: string): PrefixListView => {
  assertIdOf("prefixList", id);
  const l = prefixListById(tx, id);
  if (!l) throw err.prefixListNotFound(id);
  return l;
};

/** The security groups and route tables of the account that reference the list. */
export const prefixListReferences = (
  tx: Tx,
  id: string,
): { readonly groups: readonly SecurityGroupRecord[]; readonly tables: readonly RouteTableRecord[] } => ({
  // Through the store's secondary keys (issue 19): only the referencing records are read.
  groups: tx
    .getMany("security-group", tx.idsByKey("security-group", "prefix-list-id", id))
    .filter((g) => g.rules.some((r) => r.prefixListId === id)),
  tables: tx
    .getMany("route-table", tx.idsByKey("route-table", "route.destination-prefix-list-id", id))
    .filter((t) => t.routes.some((r) => r.destinationPrefixListId === id)),
});

/** The weight of a referenced list (MaxEntries or AWS's weight) and whether it is IPv6; unknown lists weigh 1. */
export const prefixListWeightOf =
  (tx: Tx) =>
  (id: string): { readonly weight: number; readonly ipv6: boolean } => {
    const l = prefixListById(tx, id);
    return { weight: l?.maxEntries ?? 1, ipv6: l?.addressFamily === "IPv6" };
  };

/** For the data plane: a list id → the CIDRs of its current version (undefined: no such list). */
export const prefixListCidrsOf = (tx: Tx): ((id: string) => readonly string[] | undefined) => {
  const cache = new Map<string, readonly string[] | undefined>();
  return (id) => {
    if (!cache.has(id))
      cache.set(
        id,
        prefixListById(tx, id)?.entries.map((e) => e.cidr),
      );
    return cache.get(id);
  };
};

/**
 * For the data plane (issue 16, VPC endpoints): the services gateway endpoints reach (the region's S3 and DynamoDB
 * lists), with their CIDRs, so that traffic to them is delivered to the service.
 */
export const gatewayServiceRanges = (region: string): AwsServiceRange[] =>
  awsLists(region)
    .filter((l) => l.legacy)
    .map((l) => ({ name: l.name, prefixListId: l.id, cidrs: l.entries.map((e) => e.cidr) }));
