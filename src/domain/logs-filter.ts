/**
 * CloudWatch Logs filter patterns for unstructured events (FilterLogEvents `filterPattern`), the subset localvpc
 * supports: terms (`ERROR`), quoted phrases (`"Exception occurred"`), all of which must appear (AND, case-sensitive,
 * anywhere in the message); `-term` excludes; `?term` alternatives (at least one must appear); an empty pattern
 * matches every event. JSON (`{ $.x = 1 }`), space-delimited (`[ip, user, ...]`) and regular-expression (`%…%`)
 * patterns are refused with a clear error rather than matched wrongly.
 */
import { err } from "./errors.js";

export interface FilterPattern {
  readonly required: readonly string[];
  readonly excluded: readonly string[];
  readonly anyOf: readonly string[];
}

export const parseFilterPattern = (pattern: string): FilterPattern => {
  const p = pattern.trim();
  if (p.startsWith("{") || p.startsWith("[") || p.startsWith("%")) throw err.logsFilterPatternUnsupported(pattern);
  const required: string[] = [];
  const excluded: string[] = [];
  const anyOf: string[] = [];
  let i = 0;
  while (i < p.length) {
    if (p[i] === " " || p[i] === "\t") {
      i++;
      continue;
    }
    let sign = "";
    if (p[i] === "-" || p[i] === "?") {
      sign = p[i]!;
      i++;
    }
    let term: string;
    if (p[i] === '"') {
      const end = p.indexOf('"', i + 1);
      if (end < 0) throw err.logsFilterPatternUnsupported(pattern);
      term = p.slice(i + 1, end);
      i = end + 1;
    } else {
      let end = i;
      while (end < p.length && p[end] !== " " && p[end] !== "\t") end++;
      term = p.slice(i, end);
      i = end;
      if (/["{}[\]%]/.test(term)) throw err.logsFilterPatternUnsupported(pattern);
    }
    if (term === "") continue;
    (sign === "-" ? excluded : sign === "?" ? anyOf : required).push(term);
  }
  return { required, excluded, anyOf };
};

export const matchesFilterPattern = (f: FilterPattern, message: string): boolean =>
  f.required.every((t) => message.includes(t)) &&
  !f.excluded.some((t) => message.includes(t)) &&
  (f.anyOf.length === 0 || f.anyOf.some((t) => message.includes(t)));
