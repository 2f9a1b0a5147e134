#!/usr/bin/env node
// Regenerates the vendored CloudWatch Logs model subset (model/logs.json) from the botocore logs model in
// ../shared/data/aws-models. Never edit model/logs.json by hand: change model/logs-operations.txt or this script and
// rerun `npm run gen:logs-model`. Documentation is dropped; types, required members, enums, ranges and patterns are
// kept (src/protocol/logs-json.ts validates requests with them).
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = process.env.LOGS_MODEL ?? join(root, "..", "shared", "data", "aws-models", "logs.service-2.json.gz");
const full = JSON.parse(gunzipSync(readFileSync(source)).toString("utf8"));
const inScope = readFileSync(join(root, "model", "logs-operations.txt"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

const keepShapeKeys = ["type", "required", "enum", "min", "max", "pattern", "error", "exception"];
const shapes = {};
const visit = (name) => {
  if (shapes[name]) return;
  const s = full.shapes[name];
  if (!s) throw new Error(`shape ${name} missing`);
  const out = {};
  for (const k of keepShapeKeys) if (s[k] !== undefined) out[k] = s[k];
  shapes[name] = out;
  if (s.type === "structure") {
    out.members = {};
    for (const [m, def] of Object.entries(s.members ?? {})) {
      out.members[m] = { shape: def.shape };
      visit(def.shape);
    }
  } else if (s.type === "list") {
    out.member = { shape: s.member.shape };
    visit(s.member.shape);
  } else if (s.type === "map") {
    out.key = { shape: s.key.shape };
    out.value = { shape: s.value.shape };
    visit(s.key.shape);
    visit(s.value.shape);
  }
};

const operations = {};
for (const name of Object.keys(full.operations).sort()) {
  if (!inScope.includes(name)) {
    operations[name] = {};
    continue;
  }
  const op = full.operations[name];
  const entry = {};
  if (op.input) {
    entry.input = op.input.shape;
    visit(op.input.shape);
  }
  if (op.output) {
    entry.output = op.output.shape;
    visit(op.output.shape);
  }
  entry.errors = (op.errors ?? []).map((e) => e.shape);
  for (const e of entry.errors) visit(e);
  operations[name] = entry;
}
for (const name of inScope) if (!full.operations[name]) throw new Error(`${name} is not a CloudWatch Logs operation`);

const { apiVersion, jsonVersion, targetPrefix, endpointPrefix } = full.metadata;
const model = {
  metadata: { apiVersion, jsonVersion, targetPrefix, endpointPrefix, source: `botocore logs/${apiVersion}/service-2.json` },
  operations,
  shapes,
};
writeFileSync(join(root, "model", "logs.json"), JSON.stringify(model) + "\n");
console.log(
  `model/logs.json: ${Object.keys(operations).length} operations, ${inScope.length} in scope, ${Object.keys(shapes).length} shapes`,
);
