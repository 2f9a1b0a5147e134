/** Table tests for the pure security-group rules: normalisation, expansion, duplicates, quota, grouping. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import {
  checkAuthorize,
  checkNewGroup,
  draftsFromPermissions,
  groupPermissions,
  matchRevoke,
  normalizePorts,
  normalizeProtocol,
  referencingGroups,
  type PermissionSpec,
} from "./security-groups.js";
import type { SecurityGroupRecord, SecurityGroupRule } from "./types.js";

const throwsEc2 = (fn: () => unknown, code: string, message: string): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Ec2Error, `expected Ec2Error, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
};

const group = (rules: SecurityGroupRule[], id = "sg-00000000000000001"): SecurityGroupRecord => ({
  kind: "security-group",
  id,
  tags: [],
  vpcId: "vpc-00000000000000001",
  ownerId: "000000000000",
  groupName: "web",
  description: "d",
  rules,
});
const withIds = (drafts: ReturnType<typeof draftsFromPermissions>): SecurityGroupRule[] =>
  drafts.map((d, i) => ({ ruleId: `sgr-${String(i).padStart(17, "0")}`, ...d }));

describe("normalizeProtocol", () => {
  const cases: [string, string][] = [
    ["tcp", "tcp"],
    ["TCP", "tcp"],
    ["6", "tcp"],
    ["17", "udp"],
    ["1", "icmp"],
    ["58", "icmpv6"],
    ["-1", "-1"],
    ["47", "47"],
    ["047", "47"],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => assert.equal(normalizeProtocol(input), expected));
  it("rejects unknown names and numbers above 255", () => {
    throwsEc2(() => normalizeProtocol("all"), "InvalidParameterValue", "Invalid value 'all' for IP protocol. Unknown protocol.");
    throwsEc2(() => normalizeProtocol("256"), "InvalidParameterValue", "Invalid value '256' for IP protocol. Unknown protocol.");
  });
});

describe("normalizePorts", () => {
  const ok: [string, number | undefined, number | undefined, { fromPort?: number; toPort?: number }][] = [
    ["tcp", 22, 22, { fromPort: 22, toPort: 22 }],
    ["udp", 0, 65535, { fromPort: 0, toPort: 65535 }],
    ["icmp", 8, -1, { fromPort: 8, toPort: -1 }],
    ["icmp", -1, -1, { fromPort: -1, toPort: -1 }],
    ["icmpv6", undefined, undefined, { fromPort: -1, toPort: -1 }],
    ["-1", 1, 2, {}],
    ["47", undefined, undefined, {}],
  ];
  for (const [p, f, t, expected] of ok) it(`${p} ${f}..${t}`, () => assert.deepEqual(normalizePorts(p, f, t), expected));
  it("rejects missing and out-of-range ports", () => {
    throwsEc2(
      () => normalizePorts("tcp", undefined, undefined),
      "InvalidParameterValue",
      "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.",
    );
    throwsEc2(
      () => normalizePorts("icmp", undefined, undefined),
      "InvalidParameterValue",
      "Invalid value 'Must specify both from and to ports with ICMP.' for portRange.",
    );
    throwsEc2(() => normalizePorts("tcp", undefined, 22), "InvalidPermission.Malformed", "TCP/UDP port (-1) out of range");
    throwsEc2(() => normalizePorts("udp", 1, 65536), "InvalidPermission.Malformed", "TCP/UDP port (65536) out of range");
    throwsEc2(() => normalizePorts("icmp", 256, 0), "InvalidPermission.Malformed", "ICMP type (256) out of range");
    throwsEc2(
      () => normalizePorts("tcp", 90, 80),
      "InvalidPermission.Malformed",
      "TCP/UDP port range (90 - 80) is invalid: the start port is greater than the end port",
    );
  });
});

describe("draftsFromPermissions", () => {
  it("expands one rule per peer and canonicalises CIDRs", () => {
    const specs: PermissionSpec[] = [
      {
        ipProtocol: "6",
        fromPort: 22,
        toPort: 22,
        ipRanges: [{ cidrIp: "100.68.0.18/18", description: "office" }, { cidrIp: "10.0.0.0/8" }],
        ipv6Ranges: [{ cidrIpv6: "2001:db8:0:0::/64" }],
        groups: [{ groupId: "sg-00000000000000002", userId: "000000000000" }],
      },
    ];
    const d = draftsFromPermissions(specs, false);
    assert.equal(d.length, 4);
    assert.deepEqual(
      d.map((r) => [r.ipProtocol, r.cidrIpv4 ?? r.cidrIpv6 ?? r.referencedGroupId]),
      [
        ["tcp", "100.68.0.0/18"],
        ["tcp", "10.0.0.0/8"],
        ["tcp", "2001:db8::/64"],
        ["tcp", "sg-00000000000000002"],
      ],
    );
    assert.equal(d[0]!.description, "office");
  });
  it("rejects a malformed CIDR, an IPv6 block in IpRanges, and a permission with no peer", () => {
    throwsEc2(
      () => draftsFromPermissions([{ ipProtocol: "tcp", fromPort: 1, toPort: 1, ipRanges: [{ cidrIp: "10.0.0.0/33" }] }], false),
      "InvalidParameterValue",
      "CIDR block 10.0.0.0/33 is malformed",
    );
    throwsEc2(
      () => draftsFromPermissions([{ ipProtocol: "tcp", fromPort: 1, toPort: 1, ipRanges: [{ cidrIp: "::/0" }] }], false),
      "InvalidParameterValue",
      "CIDR block ::/0 is malformed",
    );
    throwsEc2(
      () => draftsFromPermissions([{ ipProtocol: "tcp", fromPort: 1, toPort: 1 }], false),
      "MissingParameter",
      "Missing source specification: include source security group or CIDR information",
    );
  });
});

describe("checkAuthorize", () => {
  const ssh = draftsFromPermissions([{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: [{ cidrIp: "10.0.0.0/8" }] }], false);
  const all = draftsFromPermissions([{ ipProtocol: "-1", ipRanges: [{ cidrIp: "0.0.0.0/0" }] }], true);
  const ref = draftsFromPermissions(
    [{ ipProtocol: "tcp", fromPort: 0, toPort: 65535, groups: [{ groupId: "sg-8b3b99f3", userId: "1" }] }],
    false,
  );
  const icmp = draftsFromPermissions([{ ipProtocol: "icmp", fromPort: 8, toPort: -1, ipRanges: [{ cidrIp: "0.0.0.0/0" }] }], false);

  const dupCases: [string, ReturnType<typeof draftsFromPermissions>, string][] = [
    ["tcp range", ssh, 'the specified rule "peer: 10.0.0.0/8, TCP, from port: 22, to port: 22, ALLOW" already exists'],
    ["all traffic", all, 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists'],
    ["group reference", ref, 'the specified rule "peer: sg-8b3b99f3, TCP, from port: 0, to port: 65535, ALLOW" already exists'],
    ["icmp", icmp, 'the specified rule "peer: 0.0.0.0/0, ICMP, type: 8, code: -1, ALLOW" already exists'],
  ];
  for (const [name, drafts, message] of dupCases) {
    it(`duplicate ${name}`, () =>
      throwsEc2(() => checkAuthorize(group(withIds(drafts)), drafts, 60), "InvalidPermission.Duplicate", message));
  }
  it("the same rule in another direction or with another description is (not) a duplicate", () => {
    const egressSsh = ssh.map((d) => ({ ...d, isEgress: true }));
    checkAuthorize(group(withIds(ssh)), egressSsh, 60);
    const described = ssh.map((d) => ({ ...d, description: "other" }));
    assert.throws(() => checkAuthorize(group(withIds(ssh)), described, 60), /already exists/);
  });
  it("a rule repeated within one request", () => {
    throwsEc2(
      () => checkAuthorize(group([]), [...ssh, ...ssh], 60),
      "InvalidParameterValue",
      "The same permission must not appear multiple times",
    );
  });
  it("quota per direction, separately per IP family; references count in both", () => {
    const v4 = (n: number) =>
      draftsFromPermissions([{ ipProtocol: "tcp", fromPort: n, toPort: n, ipRanges: [{ cidrIp: "10.0.0.0/8" }] }], false);
    const v6 = (n: number) =>
      draftsFromPermissions([{ ipProtocol: "tcp", fromPort: n, toPort: n, ipv6Ranges: [{ cidrIpv6: "::/0" }] }], false);
    const g = group(withIds([...v4(1), ...v4(2), ...v6(1), ...v6(2)]));
    checkAuthorize(g, v4(3), 3);
    checkAuthorize(g, v6(3), 3);
    checkAuthorize(
      g,
      ssh.map((d) => ({ ...d, isEgress: true })),
      2,
    );
    throwsEc2(
      () => checkAuthorize(g, [...v4(3), ...v4(4)], 3),
      "RulesPerSecurityGroupLimitExceeded",
      "The maximum number of rules per security group has been reached.",
    );
    assert.throws(() => checkAuthorize(g, ref, 2), /maximum number of rules/);
  });
});

describe("matchRevoke", () => {
  it("matches exact rules and reports the rest", () => {
    const rules = withIds(
      draftsFromPermissions(
        [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: [{ cidrIp: "10.0.0.0/8", description: "x" }] }],
        false,
      ),
    );
    const asked = draftsFromPermissions(
      [{ ipProtocol: "6", fromPort: 22, toPort: 22, ipRanges: [{ cidrIp: "10.1.2.3/8" }, { cidrIp: "192.168.0.0/16" }] }],
      false,
    );
    const m = matchRevoke(group(rules), asked);
    assert.deepEqual(m.matched, rules);
    assert.deepEqual(
      m.unknown.map((u) => u.cidrIpv4),
      ["192.168.0.0/16"],
    );
  });
});

describe("groupPermissions", () => {
  it("groups rules by (protocol, from, to) in order of first appearance", () => {
    const drafts = draftsFromPermissions(
      [
        { ipProtocol: "tcp", fromPort: 22, toPort: 22, ipRanges: [{ cidrIp: "10.0.0.0/8" }] },
        { ipProtocol: "tcp", fromPort: 80, toPort: 80, ipv6Ranges: [{ cidrIpv6: "::/0" }] },
        {
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          groups: [{ groupId: "sg-1", userId: "u" }],
          prefixListIds: [{ prefixListId: "pl-1" }],
        },
        { ipProtocol: "-1", ipRanges: [{ cidrIp: "0.0.0.0/0" }] },
      ],
      false,
    );
    assert.deepEqual(groupPermissions(drafts), [
      {
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        ipRanges: [{ cidrIp: "10.0.0.0/8", description: undefined }],
        ipv6Ranges: [],
        prefixListIds: [{ prefixListId: "pl-1", description: undefined }],
        groups: [{ groupId: "sg-1", userId: "u", description: undefined }],
      },
      {
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        ipRanges: [],
        ipv6Ranges: [{ cidrIpv6: "::/0", description: undefined }],
        prefixListIds: [],
        groups: [],
      },
      {
        ipProtocol: "-1",
        fromPort: undefined,
        toPort: undefined,
        ipRanges: [{ cidrIp: "0.0.0.0/0", description: undefined }],
        ipv6Ranges: [],
        prefixListIds: [],
        groups: [],
      },
    ]);
  });
});

describe("checkNewGroup and referencingGroups", () => {
  it("name rules", () => {
    throwsEc2(() => checkNewGroup("default", "d", "vpc-1", []), "InvalidGroup.Reserved", "The security group 'default' is reserved");
    throwsEc2(
      () => checkNewGroup("sg-web", "d", "vpc-1", []),
      "InvalidParameterValue",
      "Value (sg-web) for parameter GroupName is invalid. Group names may not be in the format sg-*.",
    );
    throwsEc2(
      () => checkNewGroup("WEB", "d", "vpc-1", [group([])]),
      "InvalidGroup.Duplicate",
      "The security group 'WEB' already exists for VPC 'vpc-1'",
    );
    checkNewGroup("api", "d", "vpc-1", [group([])]);
  });
  it("a self-reference does not block deletion; another group's does", () => {
    const self = group([{ ruleId: "sgr-1", isEgress: false, ipProtocol: "-1", referencedGroupId: "sg-00000000000000001" }]);
    assert.deepEqual(referencingGroups(self.id, [self]), []);
    const other = group([{ ruleId: "sgr-2", isEgress: false, ipProtocol: "-1", referencedGroupId: self.id }], "sg-00000000000000002");
    assert.deepEqual(referencingGroups(self.id, [self, other]), [other]);
  });
});
