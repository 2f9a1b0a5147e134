/**
 * Two Describe helpers for actions whose model leaves things implicit: MaxResults ranges AWS documents but the
 * model does not encode, and the list of a Describe's real filter names that localvpc does not map (so that they
 * fail with "not supported by localvpc yet" rather than "invalid").
 */
import { err } from "../../domain/errors.js";
import type { FilterTable } from "../../domain/filters.js";
import { ec2Model } from "../../protocol/model/index.js";

/** AWS's documented MaxResults range for actions whose model shape has none (e.g. DescribeInstances 5–1000). */
export const checkMaxResults = (value: number | undefined, min: number, max: number): void => {
  if (value === undefined) return;
  if (value < min) throw err.valueBelowMin("maxResults", value, min);
  if (value > max) throw err.valueAboveMax("maxResults", value, max);
};

/** The model's filter names for an operation that `table` does not implement (tag filters are generic). */
export const unmappedFilters = <T>(operation: string, table: FilterTable<T>): string[] =>
  (ec2Model().operations[operation]?.filters ?? []).filter(
    (name) => !Object.hasOwn(table, name) && !name.startsWith("tag:") && name !== "tag-key" && name !== "tag-value",
  );
