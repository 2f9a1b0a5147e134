/** Advisories: two ENIs in one subnet, a next hop with source/dest check on, NACL rules that can never match. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { advise } from "./advisories.js";
import { TopologyBuilder } from "./topology.fixture.js";
import type { SecurityGroupRule } from "../types.js";

describe("advisories", () => {
  it("an instance with two ENIs in one subnet", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const s = b.subnet(vpc, "10.0.1.0/24");
    const first = b.eni(s, "10.0.1.10");
    b.eni(s, "10.0.1.11", { instance: b.instanceOf(first) });
    const a = advise(b);
    assert.deepEqual(
      a.map((x) => [x.code, x.resource]),
      [["TWO_ENIS_SAME_SUBNET", b.instanceOf(first)]],
    );
    assert.match(a[0]!.message, /asymmetric routing/);
  });

  it("a route's next hop with source/dest check on; none once it is off", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const s = b.subnet(vpc, "10.0.1.0/24");
    const nat = b.eni(s, "10.0.1.5");
    b.route(s, "0.0.0.0/0", nat);
    assert.deepEqual(
      advise(b).map((x) => [x.code, x.resource]),
      [["NEXT_HOP_SOURCE_DEST_CHECK", nat]],
    );
    const i = b.networkInterfaces.findIndex((e) => e.id === nat);
    b.networkInterfaces[i] = { ...b.networkInterfaces[i]!, sourceDestCheck: false };
    assert.deepEqual(advise(b), []);
  });

  it("a NACL rule covered by an earlier rule of the same direction can never match", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const s = b.subnet(vpc, "10.0.1.0/24");
    const acl = b.acl(s, [
      { n: 100, allow: true, egress: false, proto: "6", from: 0, to: 65535, cidr: "10.0.0.0/8" },
      { n: 110, allow: false, egress: false, proto: "6", from: 22, to: 22, cidr: "10.1.0.0/16" },
      { n: 120, allow: false, egress: false, proto: "17", from: 53, to: 53, cidr: "10.1.0.0/16" },
      { n: 100, allow: true, egress: true },
    ]);
    const a = advise(b).filter((x) => x.resource === acl);
    assert.deepEqual(
      a.map((x) => x.code),
      ["NACL_RULE_SHADOWED"],
    );
    assert.match(a[0]!.message, /Inbound rule 110 .* rule 100 comes first/);
  });
});

describe("advisories: security-group rules that can never match", () => {
  type R = Partial<SecurityGroupRule> & { ipProtocol?: string };
  /** A VPC 10.0.0.0/16 with subnet 10.0.1.0/24, a group `sg` holding `rules` (rule ids sgr-1…), used by one ENI. */
  const world = (rules: readonly R[], opts: { used?: boolean; vpcCidr?: string; ipv6?: boolean } = {}) => {
    const b = new TopologyBuilder();
    const cidr = opts.vpcCidr ?? "10.0.0.0/16";
    const vpc = b.vpc(cidr);
    const s = b.subnet(vpc, cidr.replace(/\.0\.0\/16$/, ".1.0/24"));
    if (opts.ipv6) {
      const i = b.vpcs.findIndex((v) => v.id === vpc);
      b.vpcs[i] = {
        ...b.vpcs[i]!,
        ipv6Associations: [
          { associationId: "x", ipv6CidrBlock: "2600:1f18::/56", state: "associated", networkBorderGroup: "us-east-1", ipv6Pool: "Amazon" },
        ],
      };
    }
    const sg = b.sg(vpc, {}, "sg-00000000000000001");
    const i = b.securityGroups.findIndex((g) => g.id === sg);
    b.securityGroups[i] = {
      ...b.securityGroups[i]!,
      rules: rules.map((r, n) => ({ ruleId: `sgr-${n + 1}`, isEgress: false, ipProtocol: "-1", ...r })),
    };
    if (opts.used !== false) b.eni(s, cidr.replace(/\.0\.0\/16$/, ".1.10"), { sgs: [sg] });
    return { b, vpc, sg };
  };
  const codes = (b: TopologyBuilder): string[][] =>
    advise(b)
      .filter((a) => a.code.startsWith("SG_RULE_"))
      .map((a) => [a.code, a.ruleId ?? ""]);

  const tcp = (from: number, to: number, cidr: string, more: R = {}): R => ({
    ipProtocol: "tcp",
    fromPort: from,
    toPort: to,
    cidrIpv4: cidr,
    ...more,
  });
  const cases: { name: string; rules: R[]; opts?: Parameters<typeof world>[1]; want: string[][] }[] = [
    {
      name: "a narrower CIDR and port range inside a broader rule of the same direction is redundant",
      rules: [tcp(0, 65535, "10.0.0.0/16"), tcp(443, 443, "10.0.1.0/24")],
      want: [["SG_RULE_REDUNDANT", "sgr-2"]],
    },
    {
      name: "protocol -1 covers tcp; the covered rule is flagged whatever the order",
      rules: [tcp(22, 22, "10.0.1.0/24"), { ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }],
      want: [["SG_RULE_REDUNDANT", "sgr-1"]],
    },
    {
      name: "the same rule in the other direction is not redundant",
      rules: [tcp(0, 65535, "10.0.0.0/16"), tcp(443, 443, "10.0.1.0/24", { isEgress: true })],
      want: [],
    },
    {
      name: "partly overlapping port ranges or CIDRs are not redundant",
      rules: [tcp(0, 1000, "10.0.0.0/16"), tcp(500, 2000, "10.0.0.0/16"), tcp(0, 1000, "10.0.1.0/24"), tcp(0, 999, "10.0.0.0/15")],
      want: [["SG_RULE_REDUNDANT", "sgr-3"]],
    },
    {
      name: "udp does not cover tcp; icmp all types covers one type; one type does not cover another",
      rules: [
        { ipProtocol: "udp", fromPort: 0, toPort: 65535, cidrIpv4: "0.0.0.0/0" },
        tcp(53, 53, "0.0.0.0/0"),
        { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" },
        { ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: "10.0.1.0/24" },
        { ipProtocol: "icmp", fromPort: 3, toPort: 4, cidrIpv4: "10.0.1.0/24", isEgress: true },
        { ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIpv4: "10.0.1.0/24", isEgress: true },
      ],
      want: [["SG_RULE_REDUNDANT", "sgr-4"]],
    },
    {
      name: "a group reference is never covered by a CIDR, only by a broader reference to the same group",
      rules: [
        { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
        { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedGroupId: "sg-00000000000000001" },
        { ipProtocol: "-1", referencedGroupId: "sg-00000000000000001" },
      ],
      want: [["SG_RULE_REDUNDANT", "sgr-2"]],
    },
    {
      name: "IPv4 never covers IPv6; ::/0 covers a narrower IPv6 block",
      rules: [
        { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", isEgress: true },
        { ipProtocol: "-1", cidrIpv6: "::/0", isEgress: true },
        { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2600:1f18::/56", isEgress: true },
      ],
      opts: { ipv6: true },
      want: [["SG_RULE_REDUNDANT", "sgr-3"]],
    },
    {
      name: "an IPv6 rule in a VPC without IPv6 matches nothing",
      rules: [{ ipProtocol: "-1", cidrIpv6: "::/0", isEgress: true }],
      want: [["SG_RULE_IPV6_WITHOUT_VPC_IPV6", "sgr-1"]],
    },
    {
      name: "a reference to a deleted group is stale",
      rules: [{ ipProtocol: "-1", referencedGroupId: "sg-0000000000000dead", referencedUserId: "000000000000" }],
      want: [["SG_RULE_STALE_REFERENCE", "sgr-1"]],
    },
    {
      name: "a reference to a group of another account is not judged (it is not in this view)",
      rules: [{ ipProtocol: "-1", referencedGroupId: "sg-0000000000000dead", referencedUserId: "111111111111" }],
      want: [],
    },
    {
      name: "a group's reference to itself is fine while it is in use; unused, nothing is said",
      rules: [{ ipProtocol: "-1", referencedGroupId: "sg-00000000000000001" }],
      want: [],
    },
    {
      name: "an inbound CIDR inside the VPC's private range but in no subnet matches nothing",
      rules: [tcp(22, 22, "10.0.200.0/24"), tcp(22, 22, "10.0.0.0/16"), tcp(80, 80, "10.0.1.128/25"), tcp(22, 22, "10.9.0.0/24")],
      want: [
        ["SG_RULE_REDUNDANT", "sgr-1"],
        ["SG_RULE_SOURCE_IN_NO_SUBNET", "sgr-1"],
      ],
    },
    {
      name: "the same outbound rule is not flagged (it matches; routing drops the packet later)",
      rules: [tcp(22, 22, "10.0.200.0/24", { isEgress: true })],
      want: [],
    },
    {
      name: "a public VPC range is not flagged (an internet host may hold such a source)",
      rules: [tcp(22, 22, "198.19.200.0/24")],
      opts: { vpcCidr: "198.19.0.0/16" },
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { b } = world(c.rules, c.opts);
      assert.deepEqual(codes(b), c.want);
    });
  }

  it("a reference to a group with no members matches nothing today (may match later); in another VPC never", () => {
    const { b, vpc, sg } = world([]);
    const empty = b.sg(vpc, {});
    const other = b.sg(b.vpc("10.1.0.0/16"), {});
    const i = b.securityGroups.findIndex((g) => g.id === sg);
    b.securityGroups[i] = {
      ...b.securityGroups[i]!,
      rules: [
        { ruleId: "sgr-1", isEgress: false, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedGroupId: empty },
        { ruleId: "sgr-2", isEgress: false, ipProtocol: "-1", referencedGroupId: other },
      ],
    };
    const a = advise(b).filter((x) => x.code.startsWith("SG_RULE_"));
    assert.deepEqual(
      a.map((x) => [x.code, x.resource, x.ruleId]),
      [
        ["SG_RULE_REFERENCE_NO_MEMBERS", sg, "sgr-1"],
        ["SG_RULE_REFERENCE_OTHER_VPC", sg, "sgr-2"],
      ],
    );
    assert.match(a[0]!.message, /^Inbound rule sgr-1 of sg-\w+ \(tcp 443 from sg-\w+\) matches nothing today: .* may match later/);
    assert.match(a[1]!.message, /can never match: .* no peering/);
  });

  it("an unused group's reference to an empty group is not flagged", () => {
    const { b, vpc, sg } = world([], { used: false });
    const empty = b.sg(vpc, {});
    const i = b.securityGroups.findIndex((g) => g.id === sg);
    b.securityGroups[i] = {
      ...b.securityGroups[i]!,
      rules: [{ ruleId: "sgr-1", isEgress: false, ipProtocol: "-1", referencedGroupId: empty }],
    };
    assert.deepEqual(codes(b), []);
  });

  it("the messages name the covering rule", () => {
    const { b } = world([tcp(0, 65535, "10.0.0.0/16"), tcp(443, 443, "10.0.1.0/24")]);
    const a = advise(b).find((x) => x.code === "SG_RULE_REDUNDANT")!;
    assert.equal(
      a.message,
      `Inbound rule sgr-2 of sg-00000000000000001 (tcp 443 from 10.0.1.0/24) never decides anything: rule sgr-1 (tcp 0-65535 from 10.0.0.0/16) already allows all it allows. Revoking it changes no verdict.`,
    );
  });
});
