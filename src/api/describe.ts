/**
 * Shared Describe mechanics: id lists (malformed before not-found), filters, MaxResults/NextToken pagination and
 * the ids-with-MaxResults combination rule. Every Describe action goes through `describe()`.
 */
import { err, type Ec2Error } from "../domain/errors.js";
import { compileFilters, type FilterInput, type FilterTable } from "../domain/filters.js";
import { assertIdOf, type IdKind } from "../domain/ids.js";
import type { Tag } from "../domain/types.js";

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
