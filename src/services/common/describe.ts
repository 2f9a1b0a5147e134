/**
 * Shared Describe mechanics: id lists (malformed before not-found), filters, MaxResults/NextToken pagination and
 * the ids-with-MaxResults combination rule. Every Describe action goes through `describe()`.
 */
import { err, type Ec2Error } from "../../domain/errors.js";
import { compileFilters, type FilterInput, type FilterTable } from "../../domain/filters.js";
import { assertIdOf, type IdKind } from "../../domain/ids.js";
import type { ResourceKind, ResourceKinds, Tag } from "../../domain/types.js";
import { recordSeq, type Tx } from "../../store/store.js";

export interface DescribeOptions<T> {
  /**
   * The candidate records in creation order. An array, or a lazy sequence (`scanCandidates`): a page is then read only
   * as far as it needs, so a filtered or unfiltered page of a 100,000-record kind does not parse every record.
   */
  readonly items: Iterable<T>;
  /**
   * Positions skipped before `items` starts (no ids, no filters: the store skipped them without reading them);
   * `items` then begins at the page's first record.
   */
  readonly itemsOffset?: number | undefined;
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
  /**
   * Keyset pagination (issue 19): the items are stored records in creation order, and NextToken names the last one
   * answered, so a record added or removed between pages neither repeats nor skips another.
   */
  readonly keyset?: boolean;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string | undefined;
}

/**
 * Where the next page starts: a position (offset) among the matches, or, for a keyset Describe, "after the stored
 * record at this creation-order position" (`seq`), which stays right when records are added or removed between pages.
 */
type Cursor = { readonly offset: number } | { readonly afterSeq: number };

const encodeToken = (c: Cursor): string =>
  Buffer.from(JSON.stringify("afterSeq" in c ? { s: c.afterSeq } : { o: c.offset })).toString("base64url");

const decodeCursor = (token: string): Cursor => {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; s?: unknown };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0) return { offset: v.o };
    if (typeof v.s === "number" && Number.isInteger(v.s) && v.s >= 0) return { afterSeq: v.s };
  } catch {
    // fall through to the error
  }
  throw err.invalidNextToken();
};

/** An offset token's position (a keyset token is refused where an offset is expected, as any foreign token is). */
export const decodeToken = (token: string): number => {
  const c = decodeCursor(token);
  if ("offset" in c) return c.offset;
  throw err.invalidNextToken();
};

export const describe = <T>(o: DescribeOptions<T>): Page<T> => {
  const ids = o.ids ?? [];
  if (ids.length > 0 && o.maxResults !== undefined && o.idsParam) throw err.idsWithMaxResults(o.idsParam);
  if (o.idKind) for (const id of ids) assertIdOf(o.idKind, id);
  const matches = compileFilters(o.table, o.filters, { taggable: o.taggable ?? true, unsupported: o.unsupportedFilters ?? [] });
  const tagsOf = o.tagsOf ?? ((i: T) => (i as { tags?: readonly Tag[] }).tags ?? []);
  const filtered = o.filters !== undefined && o.filters.length > 0;
  if (ids.length > 0) {
    const all = [...o.items];
    const byId = new Map(all.map((i) => [o.idOf(i), i]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0 && o.notFound) throw o.notFound([...new Set(missing)]);
    const wanted = new Set(ids);
    let selected = all.filter((i) => wanted.has(o.idOf(i)));
    if (filtered) selected = selected.filter((i) => matches(i, tagsOf(i)));
    const start = o.nextToken ? decodeToken(o.nextToken) : 0;
    if (o.maxResults === undefined) return { items: start ? selected.slice(start) : selected };
    const end = start + o.maxResults;
    return { items: selected.slice(start, end), nextToken: end < selected.length ? encodeToken({ offset: end }) : undefined };
  }
  if (o.keyset) return keysetPage(o, filtered ? (i) => matches(i, tagsOf(i)) : undefined);
  const start = o.nextToken ? decodeToken(o.nextToken) : 0;
  const end = o.maxResults === undefined ? Number.POSITIVE_INFINITY : start + o.maxResults;
  // Walk the candidates in order, counting matches: keep those in [start, end), and stop at the first match past the
  // page (it proves a next page exists), so a page never reads further than it must.
  const page: T[] = [];
  let n = o.itemsOffset ?? 0;
  for (const i of o.items) {
    if (filtered && !matches(i, tagsOf(i))) continue;
    if (n >= end) return { items: page, nextToken: encodeToken({ offset: end }) };
    if (n >= start) page.push(i);
    n++;
  }
  return o.maxResults === undefined ? { items: page } : { items: page, nextToken: undefined };
};

/** A page after the token's record (the items are stored records in creation order); the token names its last one. */
const keysetPage = <T>(o: DescribeOptions<T>, matches: ((i: T) => boolean) | undefined): Page<T> => {
  const cursor = o.nextToken ? decodeCursor(o.nextToken) : undefined;
  const afterSeq = cursor && "afterSeq" in cursor ? cursor.afterSeq : -1;
  // An offset token (from a server before keyset tokens) still counts positions.
  let skip = cursor && "offset" in cursor ? cursor.offset - (o.itemsOffset ?? 0) : 0;
  const page: T[] = [];
  for (const i of o.items) {
    const seq = recordSeq(i as object);
    if (seq === undefined) throw new Error("keyset Describe over an item that was not read from the store");
    if (seq <= afterSeq) continue;
    if (matches && !matches(i)) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    if (o.maxResults !== undefined && page.length >= o.maxResults) {
      // A match past the page proves a next page exists.
      const last = page.at(-1);
      return { items: page, nextToken: last ? encodeToken({ afterSeq: recordSeq(last)! }) : undefined };
    }
    page.push(i);
  }
  return o.maxResults === undefined ? { items: page } : { items: page, nextToken: undefined };
};

/** Wire view of tags: `tagSet` items. Empty tag lists are omitted. */
export const tagView = (tags: readonly Tag[]): { Key: string; Value: string }[] | undefined =>
  tags.length > 0 ? tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined;

/** Filter names that map onto the store's indexed columns, per Describe. */
export interface IndexedFilters {
  /** The filter name that is the record's own id (e.g. `network-interface-id`): point lookups, as requested ids are. */
  readonly id?: string;
  readonly vpcId?: string;
  readonly subnetId?: string;
  readonly instanceId?: string;
  /** Filter names that are secondary keys of the kind (store/secondary-keys.ts); `tag:*` filters always are. */
  readonly keyed?: readonly string[];
  /**
   * Values a keyed filter does not store (its sparse key holds only the uncommon ones, e.g. a `description` of "" or
   * an `interface-type` of `interface`): a filter asking for one of them cannot use the key.
   */
  readonly unkeyed?: Readonly<Record<string, readonly string[]>>;
  /** Filter names answered by another keyed filter's key (same values, e.g. `addresses.private-ip-address`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /**
   * Filter names answered by another key through a mapping of each value (`private-dns-name` → its IP's
   * `private-ip-address`): `map` answers the key's values for one filter value, a
   * superset of what can match (describe() still applies the filter itself), or undefined when it cannot tell (the
   * filter then scans).
   */
  readonly derived?: Readonly<
    Record<string, { readonly key: string; readonly map: (tx: Tx, value: string) => readonly string[] | undefined }>
  >;
  /**
   * Requested ids answer in creation order (as a listing of the kind gives them) rather than in the request's order:
   * for the Describes that listed the kind before they used candidates(), so that their answers keep their order.
   */
  readonly idsInCreationOrder?: boolean;
}

/** A filter's values when they can be looked up exactly (no wildcard), each once; otherwise undefined. */
const exact = (f: FilterInput): readonly string[] | undefined => {
  const values = f.Values;
  // Wildcards cannot use the index; the full filter still runs afterwards in describe().
  return values && values.length > 0 && values.every((v) => !v.includes("*") && !v.includes("?")) ? [...new Set(values)] : undefined;
};

const COLUMNS = ["subnetId", "instanceId", "vpcId"] as const;

/**
 * The records a Describe needs to look at, fetched through the store's indexes rather than by scanning every record
 * of the kind, from the most selective access path the filters allow: requested ids and the own-id filter are point
 * lookups; otherwise the smallest of the exact secondary-key filters (private IP, MAC, group, tag:K …) and the exact
 * indexed-column filters (subnet, instance, VPC; counted through their index, bounded by the best so far). Filters
 * are AND-ed, so any one of them gives a superset of the answer: describe() then applies every id and filter, and the
 * records come in creation order, as a scan gives them.
 */
export const candidates = <K extends ResourceKind>(
  tx: Tx,
  kind: K,
  ids: readonly string[] | undefined,
  filters: readonly FilterInput[] | undefined,
  indexed: IndexedFilters = {},
): ResourceKinds[K][] => indexedCandidates(tx, kind, ids, filters, indexed) ?? tx.list(kind);

/** Records read a chunk at a time, in creation order, from position `offset`: describe() stops when its page is full. */
function* chunked<K extends ResourceKind>(tx: Tx, kind: K, offset: number, first: number, afterSeq = -1): Generator<ResourceKinds[K]> {
  let after = afterSeq;
  let skip = offset;
  let size = first;
  for (;;) {
    const rows = tx.listPage(kind, after, skip, size);
    for (const r of rows) yield r.record;
    if (rows.length < size) return;
    after = rows.at(-1)!.seq;
    skip = 0;
    size = 1000;
  }
}

/** chunked() over the records whose indexed column holds one of `values`. */
function* chunkedIn<K extends ResourceKind>(
  tx: Tx,
  kind: K,
  column: (typeof COLUMNS)[number],
  values: readonly string[],
  afterSeq: number,
  first: number,
): Generator<ResourceKinds[K]> {
  let after = afterSeq;
  let size = first;
  for (;;) {
    const rows = tx.listInPage(kind, column, values, after, size);
    for (const r of rows) yield r.record;
    if (rows.length < size) return;
    after = rows.at(-1)!.seq;
    size = 1000;
  }
}

/** Above this many indexed candidates, a paginated Describe reads them a chunk at a time (by id, in creation order). */
const LAZY_MIN = 2_000;

/** The records of these ids (in creation order), fetched a chunk at a time as describe() asks for them. */
function* byIdChunks<K extends ResourceKind>(tx: Tx, kind: K, ids: readonly string[], first = 1000): Generator<ResourceKinds[K]> {
  // The first chunk is the page's size (MaxResults + 1): a small page of a large key's records parses no more.
  for (let i = 0, size = first; i < ids.length; i += size, size = 1000) yield* tx.getMany(kind, ids.slice(i, i + size));
}

/**
 * candidates() for a large kind (ENIs), for a paginated Describe: the same access path, but a large candidate set (a
 * VPC's 100,000 ENIs, the default group's) is read a chunk at a time, and with no index at all the kind is read a chunk
 * at a time, so that describe() stops reading once its page is full; without ids or filters the store also skips the
 * positions before the page (NextToken) without reading them. Give its `items` and `itemsOffset` to describe().
 */
export const scanCandidates = <K extends ResourceKind>(
  tx: Tx,
  kind: K,
  ids: readonly string[] | undefined,
  filters: readonly FilterInput[] | undefined,
  indexed: IndexedFilters,
  page: {
    readonly maxResults?: number | undefined;
    readonly nextToken?: string | undefined;
    /** Candidate sets larger than this are read in chunks (default LAZY_MIN; tests lower it). */
    readonly lazyAbove?: number;
  },
): { items: Iterable<ResourceKinds[K]>; itemsOffset?: number } => {
  const lazyMin = page.lazyAbove ?? LAZY_MIN;
  if (page.maxResults === undefined || (ids && ids.length > 0)) return { items: candidates(tx, kind, ids, filters, indexed) };
  const size = Math.min(page.maxResults + 1, 1000);
  if (filters && filters.length > 0) {
    const plan = filterPlan(tx, kind, filters, indexed);
    // A keyset token's page is read from just after its record, not from the start.
    const c = page.nextToken ? decodeCursor(page.nextToken) : undefined;
    const afterSeq = c && "afterSeq" in c ? c.afterSeq : -1;
    if (!plan) return { items: chunked(tx, kind, 0, size, afterSeq) };
    if ("own" in plan) return { items: tx.getMany(kind, plan.own) };
    if ("ids" in plan) {
      // A keyset page deep in a key's records reads only the ids after the token's record, not every record before it.
      const ids = afterSeq >= 0 && plan.from ? tx.idsByKeys(kind, plan.from.key, plan.from.values, afterSeq) : plan.ids;
      return { items: ids.length > lazyMin ? byIdChunks(tx, kind, ids, size) : tx.getMany(kind, ids) };
    }
    // A subnet's, VPC's or instance's records are read a page-sized chunk at a time from the index, in creation order
    // (a MaxResults=50 page of a 60,000-ENI subnet reads 51 records, not all of them).
    return { items: chunkedIn(tx, kind, plan.column, plan.values, afterSeq, size) };
  }
  // Neither ids nor filters: the page starts at the token's position, or just after its record (a keyset token),
  // without reading what lies before (decodeCursor answers a bad token as describe() does).
  const cursor = page.nextToken ? decodeCursor(page.nextToken) : { offset: 0 };
  if ("afterSeq" in cursor) return { items: chunked(tx, kind, 0, size, cursor.afterSeq) };
  return { items: chunked(tx, kind, cursor.offset, size), itemsOffset: cursor.offset };
};

type Plan =
  | { readonly own: readonly string[] }
  /** Ids through a secondary key (`from`: which, for re-reading only those after a keyset token's record). */
  | { readonly ids: readonly string[]; readonly from?: { readonly key: string; readonly values: readonly string[] } }
  | { readonly column: (typeof COLUMNS)[number]; readonly values: readonly string[] };

/**
 * The most selective index the filters allow (filters are AND-ed, so any one gives a superset of the answer): the
 * own-id filter; else the smallest of the exact secondary-key filters and indexed-column filters (columns counted
 * through their index, each count bounded by the best so far). Undefined when no filter can use an index.
 */
const filterPlan = (tx: Tx, kind: ResourceKind, filters: readonly FilterInput[], indexed: IndexedFilters): Plan | undefined => {
  let keyedIds: string[] | undefined;
  let keyedFrom: { key: string; values: readonly string[] } | undefined;
  const columns: { column: (typeof COLUMNS)[number]; values: readonly string[] }[] = [];
  for (const f of filters) {
    const name = f.Name;
    if (name === undefined) continue;
    const values = exact(f);
    if (!values) continue;
    if (name === indexed.id) return { own: values };
    const derived = indexed.derived?.[name];
    if (derived) {
      const mapped = values.map((v) => derived.map(tx, v));
      if (mapped.some((m) => m === undefined)) continue;
      const keyValues = [...new Set(mapped.flatMap((m) => m!))];
      const found = keyValues.length === 0 ? [] : tx.idsByKeys(kind, derived.key, keyValues);
      if (found.length === 0) return { ids: [] };
      if (!keyedIds || found.length < keyedIds.length) [keyedIds, keyedFrom] = [found, { key: derived.key, values: keyValues }];
      continue;
    }
    const key = indexed.aliases?.[name] ?? name;
    if (key.startsWith("tag:") || indexed.keyed?.includes(key)) {
      const unkeyed = indexed.unkeyed?.[key];
      if (unkeyed && values.some((v) => unkeyed.includes(v))) continue;
      const found = tx.idsByKeys(kind, key, values);
      if (found.length === 0) return { ids: [] };
      if (!keyedIds || found.length < keyedIds.length) [keyedIds, keyedFrom] = [found, { key, values }];
      continue;
    }
    for (const column of COLUMNS) if (name === indexed[column]) columns.push({ column, values });
  }
  if (columns.length === 1 && !keyedIds) return columns[0];
  let best: (typeof columns)[number] | undefined;
  let bestCount = keyedIds?.length ?? Number.MAX_SAFE_INTEGER;
  for (const c of columns) {
    // Counting stops at the best size so far: comparing access paths never costs more than reading the best one.
    const n = tx.countIn(kind, c.column, c.values, bestCount);
    if (n < bestCount) {
      best = c;
      bestCount = n;
    }
  }
  if (best) return bestCount === 0 ? { ids: [] } : best;
  return keyedIds ? { ids: keyedIds, ...(keyedFrom ? { from: keyedFrom } : {}) } : undefined;
};

/** The records the indexes narrow the request to (a superset of the answer), or undefined when none applies. */
const indexedCandidates = <K extends ResourceKind>(
  tx: Tx,
  kind: K,
  ids: readonly string[] | undefined,
  filters: readonly FilterInput[] | undefined,
  indexed: IndexedFilters,
): ResourceKinds[K][] | undefined => {
  if (ids && ids.length > 0) {
    if (indexed.idsInCreationOrder) return tx.getMany(kind, [...new Set(ids)]);
    const out: ResourceKinds[K][] = [];
    for (const id of new Set(ids)) {
      const r = tx.get(kind, id);
      if (r) out.push(r);
    }
    return out;
  }
  if (!filters || filters.length === 0) return undefined;
  const plan = filterPlan(tx, kind, filters, indexed);
  if (!plan) return undefined;
  if ("own" in plan) return tx.getMany(kind, plan.own);
  if ("ids" in plan) return plan.ids.length === 0 ? [] : tx.getMany(kind, plan.ids);
  return tx.listIn(kind, plan.column, plan.values);
};
