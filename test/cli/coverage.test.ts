/**
 * COVERAGE.md must match the live action registry and the model: adding an action (or a filter, or a parameter)
 * without running `npm run coverage` fails here, on purpose.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ACTIONS } from "../../src/services/ec2/registry.js";
import { ec2Model } from "../../src/protocol/model/index.js";
import { COVERAGE_PATH, renderCoverage } from "../../scripts/coverage.js";

describe("COVERAGE.md", () => {
  const generated = renderCoverage();

  it("is up to date (run `npm run coverage` after adding an action, a parameter or a filter)", () => {
    let current = "";
    try {
      current = readFileSync(COVERAGE_PATH, "utf8");
    } catch {
      assert.fail("COVERAGE.md is missing: run `npm run coverage`");
    }
    assert.ok(current === generated, "COVERAGE.md is stale: run `npm run coverage` and commit the result");
  });

  it("lists every model operation exactly once, implemented ones marked", () => {
    const operations = Object.keys(ec2Model().operations);
    assert.ok(operations.length >= 700, `the vendored model lists every EC2 operation (got ${operations.length})`);
    for (const op of operations) {
      const marked = generated.includes(`| ✔ ${op} |`);
      const listed = generated.includes(`\n- ${op}\n`);
      assert.equal(marked, ACTIONS.has(op), `${op}: implemented mark`);
      assert.ok(marked !== listed, `${op} appears in exactly one section`);
    }
  });

  it("reports no documented filter that localvpc treats as unknown", () => {
    assert.doesNotMatch(generated, /BUG: unknown/, "a model-documented filter answered 'The filter ... is invalid'");
  });
});
