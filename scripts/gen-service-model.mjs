#!/usr/bin/env node
// Regenerates a vendored model subset (model/<service>.json) from the botocore model in ../shared/data/aws-models:
//   node scripts/gen-service-model.mjs logs|sts
//   node scripts/gen-service-model.mjs iam "$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data/iam/2010-05-08/service-2.json.gz"
// Never edit model/<service>.json by hand: change model/<service>-operations.txt or this script and rerun it
// (`npm run gen:logs-model`, `npm run gen:sts-model`). Documentation is dropped; types, required members, enums,
// ranges, patterns and wire names are kept (src/protocol/aws-json and src/protocol/aws-query parse and validate
// requests with them). Every operation name is listed, so a real-but-unbuilt operation is told apart from a typo.
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const service = process.argv[2];
if (!service) throw new Error("usage: gen-service-model.mjs <service> (logs, sts)");
// A model the shared data does not carry (IAM) is read from an installed botocore: pass its service-2.json.gz.
const source = process.argv[3] ?? join(root, "..", "shared", "data", "aws-models", `${service}.service-2.json.gz`);
const full = JSON.parse(gunzipSync(readFileSync(source)).toString("utf8"));
const inScope = readFileSync(join(root, "model", `${service}-operations.txt`), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

const keepShapeKeys = [
  "type",
  "required",
  "enum",
  "min",
  "max",
  "pattern",
  "error",
  "exception",
  "flattened",
  "payload",
  "timestampFormat",
];
// REST protocols (Lambda, EKS): where each member travels (uri, querystring, header, headers, statusCode) and its
// wire name there; JSON protocols have neither, so their vendored models are unchanged.
const keepMemberKeys = ["locationName", "location", "jsonvalue", "idempotencyToken", "timestampFormat"];
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
      for (const k of keepMemberKeys) if (def[k] !== undefined) out.members[m][k] = def[k];
      visit(def.shape);
    }
  } else if (s.type === "list") {
    out.member = { shape: s.member.shape };
    if (s.member.locationName !== undefined) out.member.locationName = s.member.locationName;
    visit(s.member.shape);
  } else if (s.type === "map") {
    out.key = { shape: s.key.shape };
    out.value = { shape: s.value.shape };
    visit(s.key.shape);
    visit(s.value.shape);
  }
};

// A REST protocol routes by method and path, so every operation keeps its `http` trait: an unbuilt one is then still
// recognised by its path ("not implemented") rather than answered as an unknown path.
const rest = full.metadata.protocol?.startsWith("rest-");
const operations = {};
for (const name of Object.keys(full.operations).sort()) {
  if (!inScope.includes(name)) {
    operations[name] = rest ? { http: full.operations[name].http } : {};
    continue;
  }
  const op = full.operations[name];
  const entry = rest ? { http: op.http } : {};
  if (op.input) {
    entry.input = op.input.shape;
    visit(op.input.shape);
  }
  if (op.output) {
    entry.output = op.output.shape;
    if (op.output.resultWrapper !== undefined) entry.resultWrapper = op.output.resultWrapper;
    visit(op.output.shape);
  }
  entry.errors = (op.errors ?? []).map((e) => e.shape);
  for (const e of entry.errors) visit(e);
  operations[name] = entry;
}
for (const name of inScope) if (!full.operations[name]) throw new Error(`${name} is not a ${service} operation`);

const { apiVersion, jsonVersion, targetPrefix, endpointPrefix, protocol, xmlNamespace, signingName } = full.metadata;
const model = {
  metadata: {
    apiVersion,
    signingName,
    jsonVersion,
    targetPrefix,
    endpointPrefix,
    protocol,
    xmlNamespace,
    source: `botocore ${service}/${apiVersion}/service-2.json`,
  },
  operations,
  shapes,
};
writeFileSync(join(root, "model", `${service}.json`), JSON.stringify(model) + "\n");
console.log(
  `model/${service}.json: ${Object.keys(operations).length} operations, ${inScope.length} in scope, ${Object.keys(shapes).length} shapes`,
);
