/**
 * Shared Describe mechanics: id lists (malformed before not-found), filters, MaxResults/NextToken pagination and
 * the ids-with-MaxResults combination rule. Every Describe action goes through `describe()`.
 */
import { err, type Ec2Error } from "../../domain/errors.js";
import { compileFilters, type FilterInput, type FilterTable } from "../../domain/filters.js";
import { assertIdOf, type IdKind } from "../../domain/ids.js";
import type { ResourceKind, ResourceKinds, Tag } from "../../domain/types.js";
import type { IndexedBy, Tx } from "../../store/store.js";

export interface DescribeOptions<T> {
  readonly items: readonly T[];
  readonly idOf: (item: T) => string;
  readonly tagsOf?: (item: T) => readonly Tag[];
  /** Requested ids; each is checked for form (when idKind is given) and existence. */
  readonly ids?: readonly string[] | undefined;
  readonly idKind?: IdKind;
  readonly notFound?: (missing: readonly string[]) => Ec2Error;
  /** The id list's wire name in the ids-with-MaxResults error (e.g. "vpcIdSet"); omit when not paginated. */
  readonly idsParam?: string;
  readonly filters?: readonly FilterInput[] | undefined;
  readonly table: FilterTable<T>;
  readonly unsupportedFilters?: readonly string[];
  readonly taggable?: boolean;
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string | undefined;
}

const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
const decodeToken = (token: string): number => {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through to the error
  }
  throw err.invalidNextToken();
};

export const describe = <T>(o: DescribeOptions<T>): Page<T> => {
  const ids = o.ids ?? [];
  if (ids.length > 0 && o.maxResults !== undefined && o.idsParam) throw err.idsWithMaxResults(o.idsParam);
  if (o.idKind) for (const id of ids) assertIdOf(o.idKind, id);
  const matches = compileFilters(o.table, o.filters, { taggable: o.taggable ?? true, unsupported: o.unsupportedFilters ?? [] });
  let selected: T[];
  if (ids.length > 0) {
    const byId = new Map(o.items.map((i) => [o.idOf(i), i]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0 && o.notFound) throw o.notFound([...new Set(missing)]);
    const wanted = new Set(ids);
    selected = o.items.filter((i) => wanted.has(o.idOf(i)));
  } else {
    selected = [...o.items];
  }
  const tagsOf = o.tagsOf ?? ((i: T) => (i as { tags?: readonly Tag[] }).tags ?? []);
  if (o.filters && o.filters.length > 0) selected = selected.filter((i) => matches(i, tagsOf(i)));
  const start = o.nextToken ? decodeToken(o.nextToken) : 0;
  if (o.maxResults === undefined) return { items: start ? selected.slice(start) : selected };
  const end = start + o.maxResults;
  return { items: selected.slice(start, end), nextToken: end < selected.length ? encodeToken(end) : undefined };
};

/** Wire view of tags: `tagSet` items. Empty tag lists are omitted. */
export const tagView = (tags: readonly Tag[]): { Key: string; Value: string }[] | undefined =>
  tags.length > 0 ? tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined;

/** Filter names that map onto the store's indexed columns, per Describe. */
export interface IndexedFilters {
  readonly vpcId?: string;
  readonly subnetId?: string;
  readonly instanceId?: string;
  /** Filter names that are secondary keys of the kind (store/secondary-keys.ts); `tag:*` filters always are. */
  readonly keyed?: readonly string[];
}

const exactValues = (filters: readonly FilterInput[] | undefined, name: string | undefined): readonly string[] | undefined => {
  if (!name) return undefined;
  const f = filters?.find((x) => x.Name === name);
  const values = f?.Values;
  // Wildcards cannot use the index; the full filter still runs afterwards in describe().
  return values && values.length > 0 && values.every((v) => !/[*?]/.test(v)) ? values : undefined;
};

/**
 * The records a Describe needs to look at, fetched through the store's indexes rather than by scanning every
 * record of the kind: requested ids are point lookups, and an exact `vpc-id` / `subnet-id` / instance filter
 * reads the indexed column. The result is a superset of the answer; describe() applies ids and filters.
 */
export const candidates = <K extends ResourceKind>(
  tx: Tx,
  kind: K,
  ids: readonly string[] | undefined,
  filters: readonly FilterInput[] | undefined,
  indexed: IndexedFilters = {},
): ResourceKinds[K][] => {
  if (ids && ids.length > 0) {
    const out: ResourceKinds[K][] = [];
    for (const id of new Set(ids)) {
      const r = tx.get(kind, id);
      if (r) out.push(r);
    }
    return out;
  }
  // The most selective access path first: an exact secondary-key filter (private IP, MAC, tag:K …).
  const keyedFilter = filters?.find(
    (f) => (f.Name?.startsWith("tag:") || indexed.keyed?.includes(f.Name ?? "")) && exactValues(filters, f.Name),
  );
  if (keyedFilter?.Name) {
    const ids = new Set(exactValues(filters, keyedFilter.Name)!.flatMap((v) => tx.idsByKey(kind, keyedFilter.Name!, v)));
    const out: ResourceKinds[K][] = [];
    for (const id of ids) {
      const r = tx.get(kind, id);
      if (r) out.push(r);
    }
    return out;
  }
  const narrow = (column: "vpcId" | "subnetId" | "instanceId", toBy: (v: string) => IndexedBy): ResourceKinds[K][] | undefined => {
    const values = exactValues(filters, indexed[column]);
    return values ? [...new Set(values)].flatMap((v) => tx.list(kind, toBy(v))) : undefined;
  };
  return (
    narrow("subnetId", (v) => ({ subnetId: v })) ??
    narrow("instanceId", (v) => ({ instanceId: v })) ??
    narrow("vpcId", (v) => ({ vpcId: v })) ??
    tx.list(kind)
  );
};
