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

const patternCache = new Map<string, RegExp | string>();
/** Compiles an AWS filter value: `*` any run, `?` one character, everything else literal. */
const compile = (value: string): RegExp | string => {
  let p = patternCache.get(value);
  if (p === undefined) {
    p = /[*?]/.test(value)
      ? new RegExp(
          `^${value
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[\\s\\S]*")
            .replace(/\?/g, "[\\s\\S]")}$`,
        )
      : value;
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(value, p);
  }
  return p;
};

export const matchesValue = (pattern: string, actual: string): boolean => {
  const p = compile(pattern);
  return typeof p === "string" ? p === actual : p.test(actual);
};

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
