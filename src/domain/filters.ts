/**
 * Describe filters (spec §1.7): values within one filter are OR-ed, filters are AND-ed, names and values are
 * case-sensitive, values support `*` and `?` wildcards, and every taggable describe supports `tag:<key>` and
 * `tag-key`. An unknown filter name is an error, never ignored.
 */
import { err } from "./errors.js";
import type { Tag } from "./types.js";

/** How one filter name reads a resource: one value, several, or none. Booleans compare as "true"/"false". */
export type FilterValue = string | number | boolean | undefined | null;
export type FilterAccessor<T> = (item: T) => FilterValue | readonly FilterValue[];
export type FilterTable<T> = Readonly<Record<string, FilterAccessor<T>>>;

export interface FilterInput {
  readonly Name?: string | undefined;
  readonly Values?: readonly string[] | undefined;
}

/**
 * A compiled filter value: the literal pieces between `*`s, each of which may hold `?` (any one character). A value
 * without wildcards is kept as the string itself (an exact comparison).
 */
type Glob = { readonly first: string; readonly middle: readonly string[]; readonly last: string } | string;

/** Compiled values, least recently used first, bounded by the characters they hold (not by their count). */
const globCache = new Map<string, Glob>();
let globCacheChars = 0;
/** About 8 MB of UTF-16 at most, whatever the filter values. */
export const GLOB_CACHE_MAX_CHARS = 4_000_000;
/** Longer values are compiled every time rather than cached: one could otherwise take the whole budget. */
const GLOB_CACHE_MAX_VALUE = 4_096;

const compile = (value: string): Glob => {
  const hit = globCache.get(value);
  if (hit !== undefined) {
    // Most recently used last.
    globCache.delete(value);
    globCache.set(value, hit);
    return hit;
  }
  let g: Glob = value;
  if (value.includes("*") || value.includes("?")) {
    const parts = value.split("*");
    // Empty pieces (`**`) match anywhere: dropped, so a run of stars costs nothing.
    g =
      parts.length === 1
        ? { first: value, middle: [], last: "" }
        : { first: parts[0]!, middle: parts.slice(1, -1).filter((p) => p !== ""), last: parts.at(-1)! };
  }
  if (value.length <= GLOB_CACHE_MAX_VALUE) {
    globCache.set(value, g);
    globCacheChars += value.length;
    for (const [k] of globCache) {
      if (globCacheChars <= GLOB_CACHE_MAX_CHARS) break;
      globCache.delete(k);
      globCacheChars -= k.length;
    }
  }
  return g;
};

/** Does `piece` (with `?` for any one character) match `s` at `at`? */
const pieceAt = (piece: string, s: string, at: number): boolean => {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== s.charCodeAt(at + i)) return false;
  }
  return true;
};

/** The first index ≥ from where `piece` matches `s` and ends by `end`, or -1. */
const findPiece = (piece: string, s: string, from: number, end: number): number => {
  for (let at = from; at + piece.length <= end; at++) if (pieceAt(piece, s, at)) return at;
  return -1;
};

/**
 * AWS filter wildcards: `*` any run, `?` one character, everything else literal. Without backtracking: the pieces
 * between stars are matched left to right at their leftmost place (any run may stretch, so the leftmost is never
 * worse), the first anchored at the start and the last at the end. Time is at most |value| × |actual|, never
 * exponential: `*a*a*a*a*a*b` against 250 a's answers at once.
 */
export const matchesValue = (pattern: string, actual: string): boolean => {
  const g = compile(pattern);
  if (typeof g === "string") return g === actual;
  if (g.middle.length === 0 && g.last === "" && !pattern.includes("*")) {
    return actual.length === g.first.length && pieceAt(g.first, actual, 0);
  }
  const { first, middle, last } = g;
  if (first.length + last.length > actual.length) return false;
  if (!pieceAt(first, actual, 0) || !pieceAt(last, actual, actual.length - last.length)) return false;
  let at = first.length;
  const end = actual.length - last.length;
  for (const piece of middle) {
    const found = findPiece(piece, actual, at, end);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
};

/**
 * The longest filter value accepted. AWS documents no limit for EC2 filters; the longest value a resource can hold is
 * an ARN or a description (2,048 and 255 characters), so a longer value can match nothing.
 */
export const MAX_FILTER_VALUE = 2_048;

const toStrings = (v: FilterValue | readonly FilterValue[]): string[] => {
  const arr = Array.isArray(v) ? (v as readonly FilterValue[]) : [v as FilterValue];
  return arr.filter((x): x is string | number | boolean => x !== undefined && x !== null).map(String);
};

export interface CompiledFilter<T> {
  (item: T, tags: readonly Tag[]): boolean;
}

/**
 * Turns request filters into one predicate. Throws `InvalidParameterValue` for a filter name the table does not
 * know (`unsupported` names are real AWS filters localvpc has not built: they fail with a message saying so).
 */
export const compileFilters = <T>(
  table: FilterTable<T>,
  filters: readonly FilterInput[] | undefined,
  options: { taggable: boolean; unsupported?: readonly string[] } = { taggable: true },
): CompiledFilter<T> => {
  const checks: ((item: T, tags: readonly Tag[]) => boolean)[] = [];
  for (const f of filters ?? []) {
    const name = f.Name ?? "";
    const values = f.Values ?? [];
    for (const v of values) if (v.length > MAX_FILTER_VALUE) throw err.filterValueTooLong(name, MAX_FILTER_VALUE);
    if (options.taggable && name.startsWith("tag:")) {
      const key = name.slice(4);
      checks.push((_, tags) => tags.some((t) => t.key === key && values.some((v) => matchesValue(v, t.value))));
    } else if (options.taggable && name === "tag-key") {
      checks.push((_, tags) => tags.some((t) => values.some((v) => matchesValue(v, t.key))));
    } else if (options.taggable && name === "tag-value") {
      checks.push((_, tags) => tags.some((t) => values.some((v) => matchesValue(v, t.value))));
    } else if (Object.hasOwn(table, name)) {
      const accessor = table[name] as FilterAccessor<T>;
      checks.push((item) => {
        const actual = toStrings(accessor(item));
        return actual.some((a) => values.some((v) => matchesValue(v, a)));
      });
    } else if (options.unsupported?.includes(name)) {
      throw err.unsupportedFilter(name);
    } else {
      throw err.invalidFilter(name);
    }
  }
  return (item, tags) => checks.every((c) => c(item, tags));
};
