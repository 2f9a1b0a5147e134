/** Table tests for editing security-group rules in place. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { draftFromRequest, withModifiedRules, withPermissionDescriptions, withRuleDescriptions } from "./security-group-rules.js";
import type { SecurityGroupRecord } from "./types.js";

const group: SecurityGroupRecord = {
  kind: "security-group",
  id: "sg-1",
  tags: [],
  vpcId: "vpc-1",
  ownerId: "000000000000",
  groupName: "g",
  description: "d",
  rules: [
    {
      ruleId: "sgr-1",
      isEgress: false,
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: "10.0.0.0/8",
      tags: [{ key: "k", value: "v" }],
    },
    { ruleId: "sgr-2", isEgress: false, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "web" },
    { ruleId: "sgr-3", isEgress: true, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
  ],
};
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof Ec2Error) return e.code;
    throw e;
  }
  return "ok";
};

describe("draftFromRequest", () => {
  const cases: [string, Parameters<typeof draftFromRequest>[0], string][] = [
    ["one CIDR", { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "10.0.0.0/8" }, "ok"],
    ["a protocol number", { ipProtocol: "6", fromPort: 80, toPort: 80, cidrIpv6: "::/0" }, "ok"],
    ["no peer", { ipProtocol: "tcp", fromPort: 80, toPort: 80 }, "InvalidParameterCombination"],
    [
      "two peers",
      { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "10.0.0.0/8", prefixListId: "pl-1" },
      "InvalidParameterCombination",
    ],
    ["a reversed range", { ipProtocol: "tcp", fromPort: 90, toPort: 80, cidrIpv4: "10.0.0.0/8" }, "InvalidPermission.Malformed"],
    ["no protocol", { cidrIpv4: "10.0.0.0/8" }, "MissingParameter"],
  ];
  for (const [name, req, code] of cases)
    it(name, () =>
      assert.equal(
        codeOf(() => draftFromRequest(req, false)),
        code,
      ),
    );
});

describe("withModifiedRules", () => {
  it("keeps the id, direction and tags", () => {
    const next = withModifiedRules(group, [
      { ruleId: "sgr-1", draft: (e) => draftFromRequest({ ipProtocol: "tcp", fromPort: 2222, toPort: 2222, cidrIpv4: "10.0.0.0/8" }, e) },
    ]);
    assert.deepEqual(next.rules[0], {
      ruleId: "sgr-1",
      isEgress: false,
      ipProtocol: "tcp",
      fromPort: 2222,
      toPort: 2222,
      cidrIpv4: "10.0.0.0/8",
      description: undefined,
      tags: [{ key: "k", value: "v" }],
    });
  });
  const mk = (ruleId: string, port: number, cidr = "0.0.0.0/0") => ({
    ruleId,
    draft: (e: boolean) => draftFromRequest({ ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: cidr }, e),
  });
  const errors: [string, Parameters<typeof withModifiedRules>[1], string][] = [
    ["a duplicate of another rule", [mk("sgr-1", 443)], "InvalidPermission.Duplicate"],
    ["an unknown rule", [mk("sgr-9", 1)], "InvalidSecurityGroupRuleId.NotFound"],
    ["the same rule twice", [mk("sgr-1", 1), mk("sgr-1", 2)], "InvalidParameterValue"],
    ["two rules made identical", [mk("sgr-1", 8080), mk("sgr-2", 8080)], "InvalidPermission.Duplicate"],
  ];
  for (const [name, updates, code] of errors)
    it(name, () =>
      assert.equal(
        codeOf(() => withModifiedRules(group, updates)),
        code,
      ),
    );
  it("swapping two rules' ports is fine", () =>
    assert.equal(
      codeOf(() => withModifiedRules(group, [mk("sgr-1", 443, "10.0.0.0/8"), mk("sgr-2", 22)])),
      "ok",
    ));
});

describe("descriptions", () => {
  it("by id: sets, removes when omitted, respects the direction", () => {
    const next = withRuleDescriptions(group, false, [{ ruleId: "sgr-1", description: "ssh" }, { ruleId: "sgr-2" }]);
    assert.equal(next.rules[0]!.description, "ssh");
    assert.equal(next.rules[1]!.description, undefined);
    assert.equal(
      codeOf(() => withRuleDescriptions(group, true, [{ ruleId: "sgr-1", description: "x" }])),
      "InvalidSecurityGroupRuleId.NotFound",
    );
    assert.equal(
      codeOf(() => withRuleDescriptions(group, false, [{ ruleId: "sgr-1", description: "x".repeat(256) }])),
      "InvalidParameterValue",
    );
  });
  it("by permission: must match a rule exactly", () => {
    const d = draftFromRequest({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8", description: "new" }, false);
    assert.equal(withPermissionDescriptions(group, [d]).rules[0]!.description, "new");
    const miss = draftFromRequest({ ipProtocol: "tcp", fromPort: 23, toPort: 23, cidrIpv4: "10.0.0.0/8" }, false);
    assert.equal(
      codeOf(() => withPermissionDescriptions(group, [miss])),
      "InvalidPermission.NotFound",
    );
  });
});
