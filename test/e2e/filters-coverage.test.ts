/**
 * Every filter the EC2 model documents for an implemented Describe action is known to localvpc: sending it must
 * never answer the unknown-filter error (`InvalidParameterValue` "The filter '<name>' is invalid"). It is either
 * supported (200) or answered with localvpc's explicit "valid in EC2 but not supported by localvpc yet" — and then
 * it must be listed in KNOWN_GAPS below, so gaps are visible in review.
 *
 * The action list comes from the live registry, so a newly registered Describe action is covered automatically.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ACTIONS } from "../../src/services/ec2/registry.js";
import { ec2Model } from "../../src/protocol/model/index.js";
import { rawQuery, startHarness, type Harness } from "./harness.js";

const model = ec2Model();

/**
 * Filters the model documents that localvpc answers with "not supported by localvpc yet", per action, each with
 * a comment saying why. Remove an entry when the filter is implemented (the test fails on a stale entry).
 */
const KNOWN_GAPS: Readonly<Record<string, readonly string[]>> = {};

/**
 * Describe actions that cannot be probed with a filter alone, and why. An action whose input has required members
 * fails with MissingParameter before filters are read, so it is skipped automatically (naming the members); none
 * of the implemented Describe actions has one today. Add an entry here for any other reason.
 */
const SKIPPED: Readonly<Record<string, string>> = {
  // Retired with EC2-Classic: every call answers AWS's "not available in this region" (test/e2e/iac-compat.test.ts).
  DescribeClassicLinkInstances: "ClassicLink is retired: the action answers UnsupportedOperation whatever its filters",
  DescribeVpcClassicLink: "ClassicLink is retired: the action answers UnsupportedOperation whatever its filters",
};

const skipReason = (action: string): string | undefined => {
  if (SKIPPED[action]) return SKIPPED[action];
  const input = model.operations[action]?.input;
  const required = input ? (model.shapes[input]?.required ?? []) : [];
  return required.length > 0 ? `requires ${required.join(", ")}: a bare filter probe cannot reach the filters` : undefined;
};

const ENTITIES: Readonly<Record<string, string>> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" };
/** The text of the first `<tag>` element, entities decoded. */
const xmlText = (body: string, tag: string): string =>
  (new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1] ?? "").replace(/&(amp|lt|gt|quot|apos);/g, (m) => ENTITIES[m] ?? m);
const errorOf = (body: string): { code: string; message: string } => ({ code: xmlText(body, "Code"), message: xmlText(body, "Message") });
const isUnknownFilter = (body: string, name: string): boolean => {
  const e = errorOf(body);
  return e.code === "InvalidParameterValue" && e.message === `The filter '${name}' is invalid`;
};
const isNotYet = (body: string, name: string): boolean => {
  const e = errorOf(body);
  return e.code === "InvalidParameterValue" && e.message === `The filter '${name}' is valid in EC2 but not supported by localvpc yet`;
};

/** `tag` in the model's filter list stands for `tag:<key>`. */
const wireFilterName = (modelName: string): string => (modelName === "tag" ? "tag:Name" : modelName);

const describeActions = [...ACTIONS.keys()]
  .filter((name) => name.startsWith("Describe") && (model.operations[name]?.filters?.length ?? 0) > 0)
  .sort();

/** Filters whose values AWS checks for form (issue 15: a malformed group-id is InvalidGroupId.Malformed): a valid-looking probe. */
const PROBE_VALUES: Readonly<Record<string, string>> = { "DescribeSecurityGroupRules group-id": "sg-0123456789abcdef0" };

describe("every model-documented filter of every implemented Describe action", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("finds implemented Describe actions with documented filters in the registry", () => {
    assert.ok(describeActions.length > 0, "expected at least one implemented Describe action with model filters");
    for (const action of Object.keys(KNOWN_GAPS)) {
      assert.ok(describeActions.includes(action), `KNOWN_GAPS lists ${action}, which is not an implemented Describe action`);
    }
  });

  for (const action of describeActions) {
    const filters = model.operations[action]?.filters ?? [];
    it(`${action}: ${filters.length} filters`, { skip: skipReason(action) ?? false }, async () => {
      const gaps = new Set(KNOWN_GAPS[action] ?? []);
      const problems: string[] = [];
      const notYet: string[] = [];
      for (const f of filters) {
        const name = wireFilterName(f);
        const value = PROBE_VALUES[`${action} ${name}`] ?? "x";
        const r = await rawQuery(h.vpc.url, { Action: action, Version: "2016-11-15", "Filter.1.Name": name, "Filter.1.Value.1": value });
        if (r.status === 200) {
          if (gaps.has(f)) problems.push(`${f}: listed in KNOWN_GAPS but now supported — remove it from the list`);
          continue;
        }
        if (isUnknownFilter(r.body, name)) {
          problems.push(`${f}: answered the unknown-filter error; the model documents it, so implement it or declare it unsupported`);
        } else if (isNotYet(r.body, name)) {
          notYet.push(f);
          if (!gaps.has(f)) problems.push(`${f}: not supported yet — add it to KNOWN_GAPS["${action}"] with a comment, or implement it`);
        } else {
          const e = errorOf(r.body);
          problems.push(`${f}: unexpected ${r.status} ${e.code}: ${e.message}`);
        }
      }
      for (const g of gaps) if (!filters.includes(g)) problems.push(`${g}: in KNOWN_GAPS but not a documented filter of ${action}`);
      assert.deepEqual(problems, [], `${action}:\n  ${problems.join("\n  ")}`);
    });
  }

  it("still rejects a filter name the model does not document", async () => {
    const action = describeActions[0];
    assert.ok(action);
    const r = await rawQuery(h.vpc.url, {
      Action: action,
      Version: "2016-11-15",
      "Filter.1.Name": "no-such-filter",
      "Filter.1.Value.1": "x",
    });
    assert.equal(r.status, 400);
    assert.ok(isUnknownFilter(r.body, "no-such-filter"), `unexpected answer: ${r.body}`);
  });
});
