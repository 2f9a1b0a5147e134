/**
 * Prefix lists in the data plane (issue 16): SG rules and routes that reference a list compile into the existing
 * index structures (one CIDR rule / route per IPv4 entry), longest prefix first with CIDR routes winning ties.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, type Probe } from "./evaluate.js";
import { ipv4ToNumber } from "./ip.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology, type CSubnet, type TopologyInput } from "./topology.js";
import type { Route } from "../types.js";

const n = (ip: string): number => ipv4ToNumber(ip)!;
const LISTS: Record<string, readonly string[]> = {
  "pl-00000000000000001": ["198.51.100.0/24", "203.0.113.0/25", "2001:db8::/32"],
  "pl-00000000000000002": ["203.0.113.0/24"],
  "pl-00000000000000003": ["192.0.2.0/24"],
};
const lists = (id: string): readonly string[] | undefined => LISTS[id];

/** The route the evaluator's longest-prefix match picks (the same scan over `routeNets`). */
const lpm = (s: CSubnet, dst: string): string | undefined => {
  const nets = s.routeNets;
  for (let i = 0; i < nets.length; i += 2) if ((n(dst) & nets[i + 1]!) === nets[i]!) return s.routes[i >> 1]!.destText;
  return undefined;
};

const withRoutes = (input: TopologyInput, subnetId: string, routes: readonly Route[]): TopologyInput => ({
  ...input,
  routeTables: input.routeTables.map((t) =>
    t.associations.some((a) => a.subnetId === subnetId) ? { ...t, routes: [...t.routes, ...routes] } : t,
  ),
});

describe("prefix lists: routes", () => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const sub = b.subnet(vpc, "10.0.1.0/24");
  const igw = b.igwOf(vpc);
  const pl = (id: string): Route => ({ destinationPrefixListId: id, gatewayId: igw, origin: "CreateRoute", state: "active" });
  const cidr = (c: string): Route => ({ destinationCidrBlock: c, gatewayId: igw, origin: "CreateRoute", state: "active" });
  const cases: { name: string; routes: Route[]; dst: string; want: string | undefined }[] = [
    { name: "an entry matches", routes: [pl("pl-00000000000000001")], dst: "198.51.100.9", want: "pl-00000000000000001 (198.51.100.0/24)" },
    { name: "no entry matches", routes: [pl("pl-00000000000000001")], dst: "192.0.2.1", want: undefined },
    {
      name: "the longer entry wins across lists",
      routes: [pl("pl-00000000000000002"), pl("pl-00000000000000001")],
      dst: "203.0.113.5",
      want: "pl-00000000000000001 (203.0.113.0/25)",
    },
    {
      name: "a CIDR route of the same length wins",
      routes: [pl("pl-00000000000000002"), cidr("203.0.113.0/24")],
      dst: "203.0.113.200",
      want: "203.0.113.0/24",
    },
    {
      name: "a longer prefix-list entry beats a shorter CIDR",
      routes: [cidr("0.0.0.0/0"), pl("pl-00000000000000003")],
      dst: "192.0.2.7",
      want: "pl-00000000000000003 (192.0.2.0/24)",
    },
    { name: "an unknown list adds no route", routes: [pl("pl-0000000000000000f"), cidr("0.0.0.0/0")], dst: "192.0.2.7", want: "0.0.0.0/0" },
    { name: "the local route still wins inside the VPC", routes: [pl("pl-00000000000000001")], dst: "10.0.1.5", want: "10.0.0.0/16" },
  ];
  for (const c of cases)
    it(c.name, () => {
      const t = compileTopology({ ...withRoutes(b.build(), sub, c.routes), prefixListCidrs: lists });
      assert.equal(lpm(t.subnets.get(sub)!, c.dst), c.want);
    });

  it("IPv6 entries are left out (the IPv4 evaluator), and every entry keeps the route's target", () => {
    const t = compileTopology({ ...withRoutes(b.build(), sub, [pl("pl-00000000000000001")]), prefixListCidrs: lists });
    const routes = t.subnets.get(sub)!.routes.filter((r) => r.prefixListId !== undefined);
    assert.deepEqual(
      routes.map((r) => [r.destText, r.kind, r.targetId]),
      [
        ["pl-00000000000000001 (203.0.113.0/25)", "igw", igw],
        ["pl-00000000000000001 (198.51.100.0/24)", "igw", igw],
      ],
    );
  });
});

describe("prefix lists: security-group rules", () => {
  const probe = (src: string, to: string, port: number): Probe => ({
    from: { kind: "internet", address: n(src) },
    to: n(to),
    protocol: 6,
    srcPort: 50000,
    dstPort: port,
  });
  const setup = (prefixListId: string) => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16", { igw: true });
    const sub = b.subnet(vpc, "10.0.1.0/24", [["0.0.0.0/0", "igw"]]);
    const sg = b.sg(vpc, { egress: [{}] });
    b.eni(sub, "10.0.1.10", { sgs: [sg], publicIp: "3.80.0.10" });
    const input = b.build();
    return {
      ...input,
      securityGroups: input.securityGroups.map((g) =>
        g.id === sg
          ? {
              ...g,
              rules: [
                ...g.rules,
                { ruleId: "sgr-00000000000000099", isEgress: false, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId },
              ],
            }
          : g,
      ),
      prefixListCidrs: lists,
    };
  };
  const cases: { name: string; list: string; src: string; port: number; delivered: boolean }[] = [
    { name: "a source in an entry is allowed", list: "pl-00000000000000001", src: "198.51.100.77", port: 443, delivered: true },
    { name: "a source in the second entry is allowed", list: "pl-00000000000000001", src: "203.0.113.1", port: 443, delivered: true },
    { name: "a source outside the entries is not", list: "pl-00000000000000001", src: "203.0.113.200", port: 443, delivered: false },
    { name: "the rule's ports still apply", list: "pl-00000000000000001", src: "198.51.100.77", port: 22, delivered: false },
    { name: "an unknown list allows nothing", list: "pl-0000000000000000f", src: "198.51.100.77", port: 443, delivered: false },
  ];
  for (const c of cases)
    it(c.name, () => {
      const v = evaluate(compileTopology(setup(c.list)), probe(c.src, "3.80.0.10", c.port), { nowMs: 0 });
      assert.equal(v.delivered, c.delivered, v.explanation);
      if (c.delivered) {
        const hop = v.hops.find((h) => h.type === "security-group" && h.action === "pass" && h.path === "forward");
        assert.match(hop!.detail, new RegExp(`sgr-00000000000000099 \\(prefix list ${c.list}, entry `));
      } else assert.equal(v.reason, "ENI_SG_RULES_MISMATCH");
    });
});
