/** Table tests for the supported CloudWatch Logs filter-pattern subset. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { matchesFilterPattern, parseFilterPattern } from "./logs-filter.js";

const line = "2 000000000000 eni-0123456789abcdef0 203.0.113.9 10.0.1.4 40000 443 6 3 180 1700000000 1700000059 ACCEPT OK";

describe("filter patterns", () => {
  const cases: [pattern: string, matches: boolean][] = [
    ["", true],
    ["ACCEPT", true],
    ["REJECT", false],
    ["accept", false],
    ["ACCEPT 443", true],
    ["ACCEPT 22", false],
    ['"10.0.1.4 40001"', false],
    ['"10.0.1.4 40000 443"', true],
    ['"203.0.113.9 10.0.1.4"', true],
    ['"ACCEPT OK" eni-0123456789abcdef0', true],
    ["ACCEPT -REJECT", true],
    ["ACCEPT -443", false],
    ["?REJECT ?ACCEPT", true],
    ["?REJECT ?NODATA", false],
    ["-NODATA", true],
  ];
  for (const [pattern, matches] of cases) {
    it(`${JSON.stringify(pattern)} → ${matches}`, () => assert.equal(matchesFilterPattern(parseFilterPattern(pattern), line), matches));
  }
  for (const pattern of ["{ $.action = ACCEPT }", "[version, account, eni]", "%ACC.PT%", '"unterminated']) {
    it(`${pattern} is refused as unsupported`, () =>
      assert.throws(
        () => parseFilterPattern(pattern),
        (e: unknown) => e instanceof Ec2Error && e.code === "InvalidParameterException" && e.message.includes("localvpc does not support"),
      ));
  }
});
