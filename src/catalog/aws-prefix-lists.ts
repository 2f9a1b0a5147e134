/**
 * The entries of the AWS-managed prefix lists (issue 16), from data/aws-prefix-lists.json (scripts/trim-prefix-lists.mjs
 * trims AWS's ip-ranges.json into it). Read once, on first use. A list the file does not cover has no entries.
 */
import { readFileSync } from "node:fs";

let lists: Readonly<Record<string, readonly string[]>> | undefined;

const load = (): Readonly<Record<string, readonly string[]>> => {
  for (const base of ["../../", "../../../"]) {
    try {
      const text = readFileSync(new URL(base + "data/aws-prefix-lists.json", import.meta.url), "utf8");
      return (JSON.parse(text) as { lists: Record<string, string[]> }).lists;
    } catch {
      // try the next layout (src/ under tsx, or dist/src/)
    }
  }
  return {};
};

/** Every AWS-managed list the file covers, by name (read once). */
export const allAwsPrefixLists = (): Readonly<Record<string, readonly string[]>> => (lists ??= load());

/** The CIDRs of the AWS-managed list `name` (its region already in the name) as seen from `region`. */
export const awsPrefixListCidrs = (_region: string, name: string): readonly string[] => (lists ??= load())[name] ?? [];
