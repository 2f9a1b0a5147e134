/**
 * Writes COVERAGE.md: every EC2 operation of the vendored model (model/ec2.json) and whether localvpc implements it,
 * read from the live action registry (src/api/registry.ts). For each implemented action it lists the real EC2
 * parameters localvpc does not support yet (they are answered with UnsupportedOperation), and for each implemented
 * Describe action the filters the model documents, each probed against an in-memory localvpc: supported, or
 * answered with localvpc's "valid in EC2 but not supported by localvpc yet".
 *
 *   npx tsx scripts/coverage.ts           regenerate COVERAGE.md
 *   npx tsx scripts/coverage.ts --check   exit 1 when COVERAGE.md is stale (test/cli/coverage.test.ts does this too)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ACTIONS } from "../src/services/ec2/registry.js";
import { Ec2Service } from "../src/services/ec2/service.js";
import { loadCatalog } from "../src/catalog/catalog.js";
import { DEFAULT_QUOTAS } from "../src/domain/quotas.js";
import type { IdGenerator } from "../src/domain/ids.js";
import { ec2Model, wireName } from "../src/protocol/model/index.js";
import { Store } from "../src/store/store.js";

export const COVERAGE_PATH = fileURLToPath(new URL("../COVERAGE.md", import.meta.url));

/** How localvpc answers one documented filter name. */
export type FilterStatus = "supported" | "not-yet" | "unknown-to-localvpc" | "not-probed";

/** The request parameter a model filter name is sent as: `tag` in the model's list means `tag:<key>`. */
export const filterProbeName = (modelName: string): string => (modelName === "tag" ? "tag:Name" : modelName);

/** The error message of an EC2 error body, XML entities decoded. */
const errorMessage = (body: string): string =>
  (/<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? "")
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** A deterministic id generator: the probe's answers must not depend on randomness. */
const counterIds = (): IdGenerator => {
  let n = 0;
  const hex = (length: number): string => (n++).toString(16).padStart(length, "0").slice(-length);
  return { next: (kind) => `${kind === "instance" ? "i" : kind}-${hex(17)}`, hex };
};

/** Probes every documented filter of every implemented Describe action against an in-memory service. */
export const probeFilters = (): Map<string, Map<string, FilterStatus>> => {
  const store = new Store(":memory:");
  const service = new Ec2Service({
    store,
    ids: counterIds(),
    now: () => new Date("2024-01-01T00:00:00Z"),
    catalog: loadCatalog(),
    quotas: DEFAULT_QUOTAS,
  });
  const caller = { accessKeyId: "test", account: "000000000000", region: "us-east-1", service: "ec2" };
  const result = new Map<string, Map<string, FilterStatus>>();
  try {
    for (const name of [...ACTIONS.keys()].sort()) {
      const filters = ec2Model().operations[name]?.filters;
      if (!name.startsWith("Describe") || !filters) continue;
      const statuses = new Map<string, FilterStatus>();
      for (const f of filters) {
        const reply = service.handle({
          params: [
            ["Action", name],
            ["Version", "2016-11-15"],
            ["Filter.1.Name", filterProbeName(f)],
            ["Filter.1.Value.1", "x"],
          ],
          caller,
          requestId: "coverage",
        });
        const probe = filterProbeName(f);
        const message = reply.status === 200 ? "" : errorMessage(reply.body);
        statuses.set(
          f,
          reply.status === 200
            ? "supported"
            : message === `The filter '${probe}' is valid in EC2 but not supported by localvpc yet`
              ? "not-yet"
              : message === `The filter '${probe}' is invalid`
                ? "unknown-to-localvpc"
                : "not-probed",
        );
      }
      result.set(name, statuses);
    }
  } finally {
    store.close();
  }
  return result;
};

/** Real EC2 input members of an action that localvpc does not implement (wire names, as the caller sends them). */
const unsupportedParams = (name: string, implemented: readonly string[]): string[] => {
  const model = ec2Model();
  const input = model.operations[name]?.input;
  const members = input ? (model.shapes[input]?.members ?? {}) : {};
  return Object.entries(members)
    .filter(([member]) => member !== "DryRun" && !implemented.includes(member))
    .map(([member, def]) => wireName(member, def))
    .sort();
};

const FILTER_MARK: Record<FilterStatus, string> = {
  supported: "✔",
  "not-yet": "✘ not yet",
  "unknown-to-localvpc": "✘ BUG: unknown",
  "not-probed": "?",
};

/** The whole of COVERAGE.md. */
export const renderCoverage = (): string => {
  const model = ec2Model();
  const all = Object.keys(model.operations).sort();
  const implemented = all.filter((n) => ACTIONS.has(n));
  const missing = all.filter((n) => !ACTIONS.has(n));
  const extra = [...ACTIONS.keys()].filter((n) => !(n in model.operations)).sort();
  const probes = probeFilters();
  const pct = ((100 * implemented.length) / all.length).toFixed(1);
  const out: string[] = [
    "# EC2 API coverage",
    "",
    "<!-- Generated by `npm run coverage` (scripts/coverage.ts) from src/api/registry.ts and model/ec2.json. Do not edit by hand:",
    "     test/cli/coverage.test.ts fails when this file is stale. -->",
    "",
    `localvpc implements **${implemented.length} of the ${all.length} EC2 operations** (${pct}%) of the vendored model ` +
      `(${model.metadata.apiVersion}). A real EC2 action that is not implemented answers \`UnsupportedOperation\` naming it; ` +
      "a real parameter of an implemented action that localvpc does not support yet answers `UnsupportedOperation` naming the " +
      "parameter; a filter marked *not yet* answers `InvalidParameterValue` saying it is valid in EC2 but not supported yet. " +
      "Nothing is silently ignored.",
    "",
    `## Implemented (${implemented.length})`,
    "",
    "| Action | Mutates | Real EC2 parameters not supported yet |",
    "|---|---|---|",
  ];
  for (const name of implemented) {
    const action = ACTIONS.get(name);
    if (!action) continue;
    const gaps = unsupportedParams(name, action.params);
    out.push(`| ✔ ${name} | ${action.mutates ? "yes" : "no"} | ${gaps.length > 0 ? gaps.map((g) => `\`${g}\``).join(", ") : "—"} |`);
  }
  if (extra.length > 0) {
    out.push("", `Registered but not in the vendored model (check model/operations.txt): ${extra.join(", ")}`);
  }

  out.push("", `## Describe filters (${probes.size} implemented Describe actions with documented filters)`, "");
  out.push(
    "Every filter the EC2 model documents for the action, as localvpc answers it (probed with the value `x`). " +
      "`tag` stands for `tag:<key>`. ✔ supported · ✘ not yet (answers the explicit not-supported error) · ? could not be probed.",
  );
  for (const [name, statuses] of probes) {
    const supported = [...statuses.values()].filter((s) => s === "supported").length;
    out.push("", `### ${name} (${supported} of ${statuses.size} filters)`, "");
    out.push([...statuses].map(([f, s]) => `\`${f}\` ${FILTER_MARK[s]}`).join(" · "));
  }

  out.push("", `## Not implemented yet (${missing.length})`, "");
  for (const name of missing) out.push(`- ${name}`);
  out.push("");
  return out.join("\n");
};

const main = (): void => {
  const text = renderCoverage();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(COVERAGE_PATH, "utf8");
    } catch {
      // a missing file is stale
    }
    if (current !== text) {
      process.stderr.write("COVERAGE.md is stale: run `npm run coverage` and commit the result.\n");
      process.exit(1);
    }
    process.stdout.write("COVERAGE.md is up to date.\n");
    return;
  }
  writeFileSync(COVERAGE_PATH, text);
  const implemented = (text.match(/^\| ✔ /gm) ?? []).length;
  process.stdout.write(`wrote COVERAGE.md (${implemented} implemented of ${Object.keys(ec2Model().operations).length})\n`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
