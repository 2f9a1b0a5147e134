/** Table tests for filter semantics: wildcards, OR within, AND across, tags, unknown names. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compileFilters, matchesValue } from "./filters.js";
import { Ec2Error } from "./errors.js";

describe("matchesValue", () => {
  const cases: [string, string, boolean][] = [
    ["abc", "abc", true],
    ["abc", "ABC", false],
    ["a*", "abc", true],
    ["a*", "", false],
    ["*", "", true],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["AWS Lambda VPC ENI*", "AWS Lambda VPC ENI-my-fn-123", true],
    ["10.0.*", "10.0.0.0/16", true],
    ["a.c", "abc", false],
    ["(x)", "(x)", true],
    ["*b*", "abc", true],
    ["*b*", "ac", false],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "aXcYb", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["*?", "", false],
    ["??*", "ab", true],
    ["*a*a*a*a*a*b", "a".repeat(250), false],
    ["*a*a*a*a*a*b", `${"a".repeat(250)}b`, true],
    ["x*y*", "xyy", true],
    ["*.internal", "ip-10-0-0-1.ec2.internal", true],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${JSON.stringify(pattern)} ~ ${JSON.stringify(value)} = ${expected}`, () => assert.equal(matchesValue(pattern, value), expected));
  }
});

describe("matchesValue against a regular-expression reference", () => {
  it("agrees on 5,000 random patterns and values over a small alphabet", () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (alphabet: string, max: number): string =>
      Array.from({ length: rand(max + 1) }, () => alphabet[rand(alphabet.length)]).join("");
    for (let i = 0; i < 5_000; i++) {
      const pattern = word("ab*?", 7);
      const value = word("ab", 8);
      const re = new RegExp(`^${pattern.replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")}$`);
      assert.equal(matchesValue(pattern, value), re.test(value), `${JSON.stringify(pattern)} ~ ${JSON.stringify(value)}`);
    }
  });
});

describe("compileFilters", () => {
  interface Item {
    id: string;
    zone: string;
    ips: string[];
    isDefault: boolean;
  }
  const table = { id: (i: Item) => i.id, zone: (i: Item) => i.zone, ip: (i: Item) => i.ips, "is-default": (i: Item) => i.isDefault };
  const item: Item = { id: "x-1", zone: "a", ips: ["10.0.0.1", "10.0.0.2"], isDefault: true };
  const tags = [{ key: "Name", value: "web" }];
  const cases: [string, { Name: string; Values: string[] }[], boolean][] = [
    ["no filters", [], true],
    ["OR within", [{ Name: "zone", Values: ["b", "a"] }], true],
    [
      "AND across (one fails)",
      [
        { Name: "zone", Values: ["a"] },
        { Name: "id", Values: ["x-2"] },
      ],
      false,
    ],
    ["any of a multi-valued field", [{ Name: "ip", Values: ["10.0.0.2"] }], true],
    ["boolean as string", [{ Name: "is-default", Values: ["true"] }], true],
    ["boolean false", [{ Name: "is-default", Values: ["false"] }], false],
    ["tag:key", [{ Name: "tag:Name", Values: ["w*"] }], true],
    ["tag:key other value", [{ Name: "tag:Name", Values: ["db"] }], false],
    ["tag-key", [{ Name: "tag-key", Values: ["Name"] }], true],
    ["tag-value", [{ Name: "tag-value", Values: ["web"] }], true],
  ];
  for (const [name, filters, expected] of cases) {
    it(name, () => assert.equal(compileFilters(table, filters)(item, tags), expected));
  }
  it("an unknown filter name throws InvalidParameterValue", () => {
    assert.throws(
      () => compileFilters(table, [{ Name: "nope", Values: ["x"] }]),
      (e: unknown) => e instanceof Ec2Error && e.code === "InvalidParameterValue" && e.message === "The filter 'nope' is invalid",
    );
  });
  it("tag filters are unknown on a non-taggable describe", () => {
    assert.throws(() => compileFilters(table, [{ Name: "tag:x", Values: ["y"] }], { taggable: false }), Ec2Error);
  });
});
