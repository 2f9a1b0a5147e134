/** Tag rules (spec §1.9): keys 1–128 characters, not starting with `aws:`; values ≤ 256; ≤ 50 tags per resource. */
import { err } from "./errors.js";
import type { Tag } from "./types.js";

export const validateTag = (key: string, value: string): void => {
  if (key.length === 0) throw err.missingTagKey();
  if (key.length > 128) throw err.tagKeyTooLong(key);
  if (key.toLowerCase().startsWith("aws:")) throw err.invalidTagKey(key);
  if (value.length > 256) throw err.tagValueTooLong(key);
};

/** Sets tags (a key already present gets the new value, keeping its place), then checks the per-resource limit. */
export const mergeTags = (existing: readonly Tag[], added: readonly Tag[], limit: number): Tag[] => {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    validateTag(t.key, t.value);
    const i = out.findIndex((o) => o.key === t.key);
    if (i >= 0) out[i] = { key: t.key, value: t.value };
    else out.push({ key: t.key, value: t.value });
  }
  if (out.length > limit) throw err.tagLimitExceeded();
  return out;
};

/**
 * DeleteTags semantics: a key with no value deletes the tag whatever its value; a key with a value (even "")
 * deletes it only when the value matches.
 */
export const removeTags = (existing: readonly Tag[], removed: readonly { key: string; value?: string | undefined }[]): Tag[] =>
  existing.filter((t) => !removed.some((r) => r.key === t.key && (r.value === undefined || r.value === t.value)));
