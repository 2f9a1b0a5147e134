/**
 * The model-driven fuzz test (test/fuzz/fuzz.ts), seeded and bounded for `npm test`: 2,000 requests across EC2, STS,
 * CloudWatch Logs, the admin routes, services localvpc does not emulate and raw garbage. No answer may be a 5xx, every
 * answer must be well formed for its content type, and no error may change the caller's state.
 * `npm run fuzz -- --count 100000` runs the same generator unbounded.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startLocalVpc, type LocalVpc } from "../../src/index.js";
import { malformation, runFuzz } from "../fuzz/fuzz.js";

describe("fuzz: hostile and strange requests", () => {
  let vpc: LocalVpc;
  before(async () => {
    vpc = await startLocalVpc({ port: 0, data: ":memory:" });
  });
  after(async () => vpc.close());

  it("the well-formedness check itself rejects what it must", () => {
    assert.equal(malformation("text/xml", "<a>ok</a>"), undefined);
    assert.match(malformation("text/xml", "<a>\u0001</a>") ?? "", /forbids/);
    assert.match(malformation("text/xml", "<a><b></a>") ?? "", /does not parse/);
    assert.equal(malformation("application/json", '{"a":1}'), undefined);
    assert.match(malformation("application/x-amz-json-1.1", "{") ?? "", /JSON/);
  });

  it("2,000 seeded requests: no 5xx, every answer well formed, no state change on any error", async () => {
    const report = await runFuzz(vpc.url, { count: 2_000, seed: 20261203 });
    const summary = JSON.stringify({ byStatus: report.byStatus, findings: report.findings.slice(0, 5) }, null, 1);
    assert.equal(report.serverErrors, 0, summary);
    assert.equal(report.malformed, 0, summary);
    assert.equal(report.stateChangedOnError, 0, summary);
    // The run reached the services, not only their front door.
    assert.ok((report.byStatus["200"] ?? 0) > 100, summary);
    assert.ok((report.byStatus["400"] ?? 0) > 500, summary);
  });
});
