/**
 * REST routing: which operation a request (method + path + query) names, by matching every operation's
 * `http.requestUri` template as AWS's front ends do. A template is literal segments, `{Label}` (one segment) and a
 * trailing greedy `{Label+}` (the rest of the path), optionally followed by `?literal` query keys (`?versions`,
 * `?find=true`) that the request must also carry. When several templates match, the most specific wins: more literal
 * segments, then more query literals, then no greedy label. Matching is linear in the path's segments per template;
 * templates are compiled once per model.
 */
import type { RestModel } from "./model.js";

type Segment = { readonly literal: string } | { readonly label: string; readonly greedy: boolean };

interface CompiledRoute {
  readonly operation: string;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly query: readonly (readonly [string, string | undefined])[];
  readonly literals: number;
  readonly greedy: boolean;
}

export interface RestMatch {
  readonly operation: string;
  /** Label → percent-decoded value (a greedy label keeps its `/`). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Why no operation matched: no template has the path, or the path exists under other methods only. */
export type RestMiss = { readonly miss: "path" } | { readonly miss: "method"; readonly allowed: readonly string[] };

const compile = (operation: string, method: string, uri: string): CompiledRoute => {
  const q = uri.indexOf("?");
  const pathPart = q < 0 ? uri : uri.slice(0, q);
  const queryPart = q < 0 ? "" : uri.slice(q + 1);
  const segments: Segment[] = pathPart
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      const m = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(s);
      return m ? { label: m[1]!, greedy: m[2] === "+" } : { literal: s };
    });
  const query = queryPart
    .split("&")
    .filter((p) => p !== "")
    .map((p): readonly [string, string | undefined] => {
      const eq = p.indexOf("=");
      return eq < 0 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
    });
  return {
    operation,
    method: method.toUpperCase(),
    segments,
    query,
    literals: segments.filter((s) => "literal" in s).length,
    greedy: segments.some((s) => "label" in s && s.greedy),
  };
};

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/** Matches one compiled template against raw path segments; the labels, or undefined. */
const matchPath = (route: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined => {
  const labels: Record<string, string> = {};
  let i = 0;
  for (const seg of route.segments) {
    if ("literal" in seg) {
      if (parts[i] !== seg.literal) return undefined;
      i++;
      continue;
    }
    if (seg.greedy) {
      if (i >= parts.length) return undefined;
      const v = decode(parts.slice(i).join("/"));
      if (v === undefined) return undefined;
      labels[seg.label] = v;
      i = parts.length;
      continue;
    }
    const raw = parts[i];
    if (raw === undefined) return undefined;
    const v = decode(raw);
    // An empty label is no value: `/functions//configuration` names no function.
    if (v === undefined || v === "") return undefined;
    labels[seg.label] = v;
    i++;
  }
  return i === parts.length ? labels : undefined;
};

export class RestRouter {
  readonly #routes: readonly CompiledRoute[];

  constructor(model: RestModel) {
    const routes: CompiledRoute[] = [];
    for (const [name, op] of Object.entries(model.operations)) {
      if (op.http) routes.push(compile(name, op.http.method, op.http.requestUri));
    }
    // Most specific first, so the first match wins.
    routes.sort((a, b) => b.literals - a.literals || b.query.length - a.query.length || Number(a.greedy) - Number(b.greedy));
    this.#routes = routes;
  }

  match(method: string, pathname: string, query: URLSearchParams): RestMatch | RestMiss {
    // Empty segments are kept (`/things//config` names no thing); one leading and one trailing slash are not segments.
    const trimmed = pathname.replace(/^\//, "").replace(/\/$/, "");
    const parts = trimmed === "" ? [] : trimmed.split("/");
    const allowed = new Set<string>();
    for (const r of this.#routes) {
      const labels = matchPath(r, parts);
      if (!labels) continue;
      if (!r.query.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v))) continue;
      if (r.method !== method.toUpperCase()) {
        allowed.add(r.method);
        continue;
      }
      return { operation: r.operation, labels };
    }
    return allowed.size > 0 ? { miss: "method", allowed: [...allowed].sort() } : { miss: "path" };
  }
}
