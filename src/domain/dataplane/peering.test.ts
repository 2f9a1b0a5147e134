/** The evaluator over VPC peering connections (issue 16): both sides' routes, no transit, no edge-to-edge. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, type Probe } from "./evaluate.js";
import { ipv4ToNumber } from "./ip.js";
import { REASONS } from "./reasons.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology, type PeeringLink } from "./topology.js";

const ALL = [{}];
const tcp = (eniId: string, to: string): Probe => ({
  from: { kind: "eni", eniId },
  to: ipv4ToNumber(to)!,
  protocol: 6,
  srcPort: 40000,
  dstPort: 22,
});

/** A 10.1/16 ↔ B 10.2/16 (pcx-ab), B ↔ C 10.3/16 (pcx-bc); one host each; routes per case. */
const world = (routes: { a?: [string, string][]; b?: [string, string][]; c?: [string, string][] }, active = true) => {
  const t = new TopologyBuilder();
  const va = t.vpc("10.1.0.0/16", { igw: true });
  const vb = t.vpc("10.2.0.0/16", { igw: true });
  const vc = t.vpc("10.3.0.0/16");
  const sa = t.subnet(va, "10.1.1.0/24", routes.a ?? []);
  const sb = t.subnet(vb, "10.2.1.0/24", routes.b ?? []);
  const sc = t.subnet(vc, "10.3.1.0/24", routes.c ?? []);
  const open = (v: string) => t.sg(v, { ingress: ALL, egress: ALL });
  const ea = t.eni(sa, "10.1.1.10", { sgs: [open(va)] });
  t.eni(sb, "10.2.1.10", { sgs: [open(vb)] });
  t.eni(sc, "10.3.1.10", { sgs: [open(vc)] });
  const peerings: PeeringLink[] = active
    ? [
        { id: "pcx-ab", vpcIds: [va, vb], interRegion: false },
        { id: "pcx-bc", vpcIds: [vb, vc], interRegion: true },
      ]
    : [];
  return { topo: compileTopology(t.build({ peerings })), ea };
};

describe("evaluator: VPC peering", () => {
  const cases: {
    name: string;
    routes: Parameters<typeof world>[0];
    to: string;
    active?: boolean;
    delivered: boolean;
    reason: string | null;
    reply?: string | null;
    says?: RegExp;
  }[] = [
    {
      name: "both sides route: delivered, reply returns",
      routes: { a: [["10.2.0.0/16", "pcx-ab"]], b: [["10.1.0.0/16", "pcx-ab"]] },
      to: "10.2.1.10",
      delivered: true,
      reason: null,
      reply: null,
    },
    {
      name: "no route on the sender's side",
      routes: { b: [["10.1.0.0/16", "pcx-ab"]] },
      to: "10.2.1.10",
      delivered: false,
      reason: REASONS.NO_ROUTE_TO_DESTINATION,
      says: /peered VPC .* through pcx-ab/,
    },
    {
      name: "no return route: the reply is dropped",
      routes: { a: [["10.2.0.0/16", "pcx-ab"]] },
      to: "10.2.1.10",
      delivered: true,
      reason: null,
      reply: REASONS.NO_ROUTE_TO_DESTINATION,
    },
    {
      name: "transitive attempt A → C through B",
      routes: { a: [["10.3.0.0/16", "pcx-ab"]], b: [["10.3.0.0/16", "pcx-bc"]], c: [["10.1.0.0/16", "pcx-bc"]] },
      to: "10.3.1.10",
      delivered: false,
      reason: REASONS.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR,
      says: /not transitive/,
    },
    {
      name: "edge-to-edge: the internet through the peer's gateway",
      routes: { a: [["0.0.0.0/0", "pcx-ab"]], b: [["0.0.0.0/0", "igw"]] },
      to: "8.8.8.8",
      delivered: false,
      reason: REASONS.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR,
      says: /no edge-to-edge routing/,
    },
    {
      name: "an unused address in the peer VPC",
      routes: { a: [["10.2.0.0/16", "pcx-ab"]] },
      to: "10.2.1.99",
      delivered: false,
      reason: REASONS.EMU_ADDRESS_NOT_IN_USE,
    },
    {
      name: "an inactive connection is a blackhole",
      routes: { a: [["10.2.0.0/16", "pcx-ab"]], b: [["10.1.0.0/16", "pcx-ab"]] },
      to: "10.2.1.10",
      active: false,
      delivered: false,
      reason: REASONS.BAD_STATE_ROUTE,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const { topo, ea } = world(c.routes, c.active ?? true);
      const v = evaluate(topo, tcp(ea, c.to), { nowMs: 0 });
      assert.equal(v.delivered, c.delivered, v.explanation);
      assert.equal(v.reason, c.reason, v.explanation);
      if (c.reply !== undefined) assert.equal(v.reply?.reason ?? null, c.reply, v.explanation);
      if (c.says) assert.match(v.explanation, c.says);
    });

  it("flow records of peering traffic carry traffic-path 4 (same Region) or 5 (inter-Region)", () => {
    const { topo, ea } = world({ a: [["10.2.0.0/16", "pcx-ab"]], b: [["10.1.0.0/16", "pcx-ab"]] });
    const paths: (number | undefined)[] = [];
    evaluate(topo, tcp(ea, "10.2.1.10"), { nowMs: 0, sink: (o) => o.direction === "egress" && paths.push(o.trafficPath) });
    assert.deepEqual(paths, [4, 4]);
  });
});
