/**
 * Table tests for the port index (SG rules, NACL entries): for every protocol and port the index returns the rules a
 * linear scan would test, in the same order, so the first rule that matches (an SG hop's rule and untracked flows; a
 * NACL's lowest-numbered match) is the same rule.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { candidateRules, indexByPort } from "./port-index.js";
import type { CSgRule } from "./topology.js";

const rule = (ruleId: string, proto: number, from: number, to: number): CSgRule => ({
  ruleId,
  proto,
  from,
  to,
  cidr: { net: 0, mask: 0, len: 0 },
  net: 0,
  mask: 0,
  openAll: false,
});

/** What the evaluator tested before the index: every rule whose protocol and ports fit. */
const fits = (r: CSgRule, proto: number, port: number): boolean => {
  if (r.proto !== -1 && r.proto !== proto) return false;
  if (r.proto === 6 || r.proto === 17) return port >= r.from && port <= r.to;
  if (r.proto === 1) return r.from === -1 || r.from === port;
  return true;
};
const ids = (rules: readonly CSgRule[]): string[] => rules.map((r) => r.ruleId);
const expected = (rules: readonly CSgRule[], proto: number, port: number): string[] => ids(rules.filter((r) => fits(r, proto, port)));
const found = (rules: readonly CSgRule[], proto: number, port: number): string[] =>
  ids(candidateRules(indexByPort(rules), proto, port).filter((r) => fits(r, proto, port)));

describe("port index", () => {
  const rules = [
    rule("tcp-443", 6, 443, 443),
    rule("tcp-1000-2000", 6, 1000, 2000),
    rule("all", -1, -1, -1),
    rule("tcp-1500-1600", 6, 1500, 1600),
    rule("tcp-all", 6, 0, 65535),
    rule("udp-53", 17, 53, 53),
    rule("icmp-echo", 1, 8, -1),
    rule("icmp-any", 1, -1, -1),
    rule("gre", 47, -1, -1),
  ];
  const cases: [string, number, number, string[]][] = [
    ["tcp port 0", 6, 0, ["all", "tcp-all"]],
    ["tcp 443", 6, 443, ["tcp-443", "all", "tcp-all"]],
    ["tcp 444 (just past a single-port rule)", 6, 444, ["all", "tcp-all"]],
    ["tcp 1000 (a range's first port)", 6, 1000, ["tcp-1000-2000", "all", "tcp-all"]],
    ["tcp 1550 (nested ranges keep their order)", 6, 1550, ["tcp-1000-2000", "all", "tcp-1500-1600", "tcp-all"]],
    ["tcp 2000 (a range's last port)", 6, 2000, ["tcp-1000-2000", "all", "tcp-all"]],
    ["tcp 2001", 6, 2001, ["all", "tcp-all"]],
    ["tcp 65535", 6, 65535, ["all", "tcp-all"]],
    ["udp 53", 17, 53, ["all", "udp-53"]],
    ["udp 54", 17, 54, ["all"]],
    ["icmp echo request", 1, 8, ["all", "icmp-echo", "icmp-any"]],
    ["icmp echo reply", 1, 0, ["all", "icmp-any"]],
    ["gre", 47, 0, ["all", "gre"]],
    ["esp (no rule of its own)", 50, 0, ["all"]],
  ];
  for (const [name, proto, port, want] of cases)
    it(name, () => {
      assert.deepEqual(found(rules, proto, port), want);
      assert.deepEqual(found(rules, proto, port), expected(rules, proto, port));
    });

  it("NACL entries keep their rule-number order: a deny below an allow-all comes first", () => {
    const entries = [
      { n: 10, allow: false, proto: 6, from: 1000, to: 1050 },
      { n: 20, allow: true, proto: 17, from: 53, to: 53 },
      { n: 100, allow: true, proto: -1, from: -1, to: -1 },
    ];
    const index = indexByPort(entries);
    assert.deepEqual(
      candidateRules(index, 6, 1020).map((e) => e.n),
      [10, 100],
    );
    assert.deepEqual(
      candidateRules(index, 6, 443).map((e) => e.n),
      [100],
    );
    assert.deepEqual(
      candidateRules(index, 17, 53).map((e) => e.n),
      [20, 100],
    );
  });

  it("no rules: nothing for any protocol", () => {
    for (const proto of [6, 17, 1, 47]) assert.deepEqual(ids(candidateRules(indexByPort([]), proto, 80)), []);
  });

  it("TCP and UDP candidates are exactly the rules covering the port (nothing else to skip)", () => {
    const index = indexByPort(rules);
    for (const port of [0, 443, 1550, 65535]) {
      assert.deepEqual(ids(candidateRules(index, 6, port)), expected(rules, 6, port));
      assert.deepEqual(ids(candidateRules(index, 17, port)), expected(rules, 17, port));
    }
  });

  it("agrees with a linear scan on random rule lists at every port bound", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let list = 0; list < 50; list++) {
      const rs: CSgRule[] = [];
      for (let i = 0; i < 1 + rand(40); i++) {
        const proto = [6, 6, 6, 17, 1, -1, 47][rand(7)]!;
        const from = proto === 6 || proto === 17 ? rand(65536) : proto === 1 ? rand(3) - 1 : -1;
        const to = proto === 6 || proto === 17 ? Math.min(65535, from + rand(3000)) : -1;
        rs.push(rule(`r${i}`, proto, from, to));
      }
      const ports = new Set([0, 1, 65535, ...rs.flatMap((r) => [r.from - 1, r.from, r.to, r.to + 1])].filter((p) => p >= 0 && p <= 65535));
      for (const proto of [6, 17, 1, 47]) for (const port of ports) assert.deepEqual(found(rs, proto, port), expected(rs, proto, port));
    }
  });
});
