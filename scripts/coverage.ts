/**
 * Writes COVERAGE.md: every EC2 operation of the vendored model (model/ec2.json) and whether localvpc implements it,
 * read from the live action registry (src/services/ec2/registry.ts). For each implemented action it lists the real EC2
 * parameters localvpc does not support yet (they are answered with UnsupportedOperation), and for each implemented
 * Describe action the filters the model documents, each probed against an in-memory localvpc: supported, or
 * answered with localvpc's "valid in EC2 but not supported by localvpc yet". The other emulated services (CloudWatch
 * Logs, STS, IAM) follow, each from its own registry and vendored model.
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
import { LogsService } from "../src/services/logs/service.js";
import { logsModel } from "../src/services/logs/binding.js";
import { STS_ACTIONS } from "../src/services/sts/actions.js";
import { stsModel } from "../src/services/sts/binding.js";
import { iamModel } from "../src/services/iam/binding.js";
import { iamService } from "../src/services/iam/service.js";
import { loadJsonModel, type JsonModel } from "../src/protocol/aws-json/json.js";
import { LAMBDA_OPERATIONS } from "../src/services/lambda/registry.js"; // issue 17
import { ELBV2_ACTIONS } from "../src/services/elbv2/actions/index.js"; // issue 17
import { elbv2Model } from "../src/services/elbv2/binding.js";
import { EKS_ACTIONS } from "../src/services/eks/actions.js"; // issue 18

/** An emulated service other than EC2, as COVERAGE.md lists it. */
interface OtherService {
  readonly title: string;
  readonly model: JsonModel;
  readonly actions: ReadonlyMap<string, { readonly mutates: boolean; readonly params: readonly string[] }>;
}

const otherServices = (): OtherService[] => {
  const store = new Store(":memory:");
  const logs = new LogsService({ logs: store.logs, now: () => new Date(0) });
  return [
    { title: "CloudWatch Logs", model: logsModel(), actions: logs.definition.actions },
    { title: "STS", model: stsModel(), actions: STS_ACTIONS },
    {
      title: "IAM (GetUser only: localvpc has no IAM)",
      model: iamModel(),
      actions: iamService({ sts: store.sts, now: () => new Date(0) }).actions,
    },
    // Lambda (issue 17): REST-JSON; its model is read here as the shapes table the sections list.
    { title: "Lambda", model: loadJsonModel("lambda.json"), actions: LAMBDA_OPERATIONS },
    { title: "Elastic Load Balancing v2", model: elbv2Model(), actions: ELBV2_ACTIONS },
    // EKS (issue 18): REST-JSON like Lambda.
    { title: "EKS", model: loadJsonModel("eks.json"), actions: EKS_ACTIONS },
  ];
};

/** One service's section: implemented operations with the input members not supported yet, and the rest. */
const renderOther = (svc: OtherService): string[] => {
  const all = Object.keys(svc.model.operations).sort();
  const implemented = all.filter((n) => svc.actions.has(n));
  const out = [
    "",
    `## ${svc.title}: ${implemented.length} of ${all.length} operations (${svc.model.metadata.apiVersion})`,
    "",
    "| Operation | Mutates | Real parameters not supported yet |",
    "|---|---|---|",
  ];
  for (const name of implemented) {
    const action = svc.actions.get(name)!;
    const input = svc.model.operations[name]?.input;
    const members = input ? Object.keys(svc.model.shapes[input]?.members ?? {}) : [];
    const gaps = members.filter((m) => !action.params.includes(m)).sort();
    out.push(`| ✔ ${name} | ${action.mutates ? "yes" : "no"} | ${gaps.length > 0 ? gaps.map((g) => `\`${g}\``).join(", ") : "—"} |`);
  }
  out.push("", `Not implemented yet: ${all.filter((n) => !svc.actions.has(n)).join(", ")}.`);
  return out;
};

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
    "<!-- Generated by `npm run coverage` (scripts/coverage.ts) from the service registries (src/services/*/) and model/*.json. Do not edit by hand:",
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
  out.push(
    "",
    "# Other AWS services",
    "",
    'Any other AWS service answers a clear "not emulated" error in its own protocol (README "Services").',
  );
  for (const svc of otherServices()) out.push(...renderOther(svc));
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
  process.stdout.write(`wrote COVERAGE.md (${ACTIONS.size} EC2 actions implemented of ${Object.keys(ec2Model().operations).length})\n`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
