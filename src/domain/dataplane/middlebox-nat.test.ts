/**
 * Evaluator table tests for issue 16: ingress routing through a gateway route table, subnet routes more specific than
 * local to a middlebox (routed, not NATed), and NAT gateway source-port translation (nat-ports.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { observationToText, type FlowObservation, type TextObservation } from "../flow-observation.js";
import { ConnTrack } from "./conntrack.js";
import { evaluate, type Probe, type Verdict } from "./evaluate.js";
import { ipv4ToNumber } from "./ip.js";
import { hashedNatPort, NAT_CONNECTIONS_PER_DESTINATION, NAT_IDLE_TIMEOUT_MS, NAT_PORT_MAX, NAT_PORT_MIN, NatPorts } from "./nat-ports.js";
import { REASONS } from "./reasons.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology, type TopologyInput } from "./topology.js";

const n = (ip: string): number => ipv4ToNumber(ip)!;
const ALL = [{}];
const probe = (from: Probe["from"], to: string, srcPort: number, dstPort: number, protocol = 6): Probe => ({
  from,
  to: n(to),
  protocol,
  srcPort,
  dstPort,
});
const eni = (eniId: string) => ({ kind: "eni", eniId }) as const;
const internet = (address: string) => ({ kind: "internet", address: n(address) }) as const;
const run = (
  input: TopologyInput,
  p: Probe,
  extra: { conntrack?: ConnTrack; nowMs?: number; sink?: (o: FlowObservation) => void } = {},
): Verdict => evaluate(compileTopology(input), p, { nowMs: extra.nowMs ?? 0, conntrack: extra.conntrack, sink: extra.sink });

/**
 * VPC 10.0.0.0/16 with an IGW: a public subnet with a firewall appliance (source/dest check off) and 0/0 → IGW, and an
 * app subnet whose 0/0 goes through the appliance (symmetric routing, as AWS requires for ingress routing).
 */
const ingressSetup = (opts: { sourceDestCheck?: boolean; applianceState?: "running" | "stopped" } = {}) => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const pub = b.subnet(vpc, "10.0.1.0/24", [["0.0.0.0/0", "igw"]]);
  const open = b.sg(vpc, { ingress: ALL, egress: ALL });
  const fw = b.eni(pub, "10.0.1.5", {
    sgs: [open],
    publicIp: "3.80.0.5",
    sourceDestCheck: opts.sourceDestCheck ?? false,
    state: opts.applianceState ?? "running",
  });
  const app = b.subnet(vpc, "10.0.3.0/24", [["0.0.0.0/0", fw]]);
  const server = b.eni(app, "10.0.3.10", { sgs: [open], publicIp: "3.80.0.30" });
  return { b, vpc, pub, app, open, fw, server };
};

describe("evaluator: ingress routing (gateway route table)", () => {
  it("inbound traffic to a public IP is steered to the appliance, routed unchanged to the server, and the reply goes back through it", () => {
    const { b, vpc, fw, server } = ingressSetup();
    const edge = b.edgeRoute(vpc, "10.0.3.0/24", fw);
    const v = run(b.build(), probe(internet("198.51.100.7"), "3.80.0.30", 50000, 443));
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.deliveredTo, b.instanceOf(server));
    assert.equal(v.reply?.delivered, true, v.reply?.explanation ?? "");
    const forward = v.hops.filter((h) => h.path === "forward");
    const steer = forward.find((h) => h.type === "route-table" && h.component === edge)!;
    assert.match(steer.detail, new RegExp(`route 10\\.0\\.3\\.0/24 → ${fw} steers it to the middlebox`));
    assert.ok(forward.some((h) => h.component === fw && h.action === "forward" && h.rewrite === undefined && /no NAT/.test(h.detail)));
    // No source NAT anywhere on the way in: the server sees the internet host's address.
    assert.deepEqual(
      forward.filter((h) => h.rewrite).map((h) => h.rewrite),
      [{ field: "destination", from: "3.80.0.30", to: "10.0.3.10" }],
    );
    const back = v.hops.filter((h) => h.path === "return");
    assert.ok(
      back.some((h) => h.component === fw && h.action === "forward"),
      "the reply passes the appliance",
    );
    // The internet gateway maps the server's address (forwarded by the appliance) to the server's public IP.
    assert.deepEqual(back.find((h) => h.type === "internet-gateway")?.rewrite, { field: "source", from: "10.0.3.10", to: "3.80.0.30" });
  });

  it("without a gateway route table the internet gateway delivers straight to the server", () => {
    const { b, fw, server } = ingressSetup();
    const v = run(b.build(), probe(internet("198.51.100.7"), "3.80.0.30", 50000, 443));
    assert.equal(v.deliveredTo, b.instanceOf(server));
    assert.ok(!v.hops.some((h) => h.path === "forward" && h.component === fw));
  });

  it("a destination outside the steered subnets matches the gateway table's local route", () => {
    const { b, vpc, pub, open, fw } = ingressSetup();
    const edge = b.edgeRoute(vpc, "10.0.3.0/24", fw);
    const web = b.eni(pub, "10.0.1.20", { sgs: [open], publicIp: "3.80.0.20" });
    const v = run(b.build(), probe(internet("198.51.100.7"), "3.80.0.20", 50000, 443));
    assert.equal(v.deliveredTo, b.instanceOf(web));
    assert.match(v.hops.find((h) => h.component === edge)!.detail, /matches the local route/);
  });

  it("ENI_SOURCE_DEST_CHECK_RESTRICTION when the appliance still checks source/destination", () => {
    const { b, vpc, fw } = ingressSetup({ sourceDestCheck: true });
    b.edgeRoute(vpc, "10.0.3.0/24", fw);
    const v = run(b.build(), probe(internet("198.51.100.7"), "3.80.0.30", 50000, 443));
    assert.equal(v.reason, REASONS.ENI_SOURCE_DEST_CHECK_RESTRICTION);
    assert.match(
      v.explanation,
      new RegExp(`${fw} has source/destination check enabled, so it rejects inbound traffic for 10\\.0\\.3\\.10`),
    );
  });

  it("BAD_STATE_ROUTE when the gateway route's appliance is stopped", () => {
    const { b, vpc, fw } = ingressSetup({ applianceState: "stopped" });
    const edge = b.edgeRoute(vpc, "10.0.3.0/24", fw);
    const v = run(b.build(), probe(internet("198.51.100.7"), "3.80.0.30", 50000, 443));
    assert.equal(v.reason, REASONS.BAD_STATE_ROUTE);
    assert.equal(
      v.explanation,
      `The gateway route table ${edge} of ${b.igwOf(vpc)} sends 10.0.3.0/24 to ${fw}, which is not available (deleted, detached or its instance not running), so inbound traffic is blackholed.`,
    );
  });
});

describe("evaluator: subnet routes more specific than local", () => {
  it("traffic between subnets goes through the middlebox, routed (no source NAT), and the reply comes back through it", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16", { igw: true });
    const open = b.sg(vpc, { ingress: ALL, egress: ALL });
    const inspect = b.subnet(vpc, "10.0.9.0/24");
    const fw = b.eni(inspect, "10.0.9.5", { sgs: [open], sourceDestCheck: false });
    const s1 = b.subnet(vpc, "10.0.1.0/24", [["10.0.2.0/24", fw]]);
    const s2 = b.subnet(vpc, "10.0.2.0/24", [["10.0.1.0/24", fw]]);
    const a = b.eni(s1, "10.0.1.10", { sgs: [open] });
    const c = b.eni(s2, "10.0.2.10", { sgs: [open] });
    const seen: TextObservation[] = [];
    const v = run(b.build(), probe(eni(a), "10.0.2.10", 40000, 5432), { sink: (o) => seen.push(observationToText(o)) });
    assert.equal(v.deliveredTo, b.instanceOf(c), v.explanation);
    assert.equal(v.reply?.delivered, true);
    assert.match(v.hops.find((h) => h.type === "route-table")!.detail, /more specific than the local route, to a middlebox/);
    assert.equal(v.hops.filter((h) => h.rewrite).length, 0, "routed, never NATed");
    assert.equal(v.hops.filter((h) => h.component === fw && h.action === "forward").length, 2, "request and reply");
    // The appliance logs the packet as it is: its own address as srcaddr/dstaddr, the real ends in pkt-*.
    const fwIn = seen.find((o) => o.eniId === fw && o.direction === "ingress")!;
    assert.deepEqual([fwIn.srcAddr, fwIn.dstAddr, fwIn.pktSrcAddr, fwIn.pktDstAddr], ["10.0.1.10", "10.0.9.5", "10.0.1.10", "10.0.2.10"]);
  });
});

/** A private subnet whose 0/0 goes to a NAT gateway (10.0.1.220, EIP 3.80.0.220) in the public subnet. */
const natSetup = () => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const pub = b.subnet(vpc, "10.0.1.0/24", [["0.0.0.0/0", "igw"]]);
  const priv = b.subnet(vpc, "10.0.2.0/24");
  const open = b.sg(vpc, { ingress: ALL, egress: ALL });
  const nat = b.natGateway(pub, "10.0.1.220", "3.80.0.220");
  b.route(priv, "0.0.0.0/0", nat);
  const app = b.eni(priv, "10.0.2.10", { sgs: [open] });
  const natEni = b.natGateways[0]!.networkInterfaceId;
  return { b, app, natEni };
};

describe("evaluator: NAT gateway source-port translation", () => {
  it("translates the source port (hop rewrite and the NAT ENI's flow records) and maps the reply back", () => {
    const { b, app, natEni } = natSetup();
    const seen: TextObservation[] = [];
    const v = run(b.build(), probe(eni(app), "203.0.113.5", 40000, 443), { sink: (o) => seen.push(observationToText(o)) });
    assert.equal(v.reply?.delivered, true, v.explanation);
    const port = hashedNatPort(6, n("10.0.2.10"), 40000, n("203.0.113.5"), 443);
    assert.ok(port >= NAT_PORT_MIN && port <= NAT_PORT_MAX);
    const nat = v.hops.filter((h) => h.type === "nat-gateway" && h.rewrite).map((h) => [h.path, h.rewrite]);
    assert.deepEqual(nat, [
      ["forward", { field: "source", from: "10.0.2.10", to: "10.0.1.220", fromPort: 40000, toPort: port }],
      ["return", { field: "destination", from: "10.0.1.220", to: "10.0.2.10", fromPort: port, toPort: 40000 }],
    ]);
    // The IGW's 1:1 NAT keeps the translated port; only the NAT gateway's legs show it (as AWS records them).
    assert.deepEqual(
      seen.filter((o) => o.eniId === natEni).map((o) => [o.srcAddr, o.dstAddr, o.srcPort, o.dstPort]),
      [
        ["10.0.2.10", "10.0.1.220", 40000, 443],
        ["10.0.1.220", "203.0.113.5", port, 443],
        ["203.0.113.5", "10.0.1.220", 443, port],
        ["10.0.1.220", "10.0.2.10", 443, 40000],
      ],
    );
    const appIn = seen.find((o) => o.eniId === app && o.direction === "ingress")!;
    assert.deepEqual([appIn.srcAddr, appIn.srcPort, appIn.dstPort], ["203.0.113.5", 443, 40000]);
  });

  it("with connection state: the same connection keeps its port, a later packet from the destination maps back, others are unsolicited", () => {
    const { b, app } = natSetup();
    const ct = new ConnTrack();
    const topo = b.build();
    const first = run(topo, probe(eni(app), "203.0.113.5", 40000, 443), { conntrack: ct });
    const again = run(topo, probe(eni(app), "203.0.113.5", 40000, 443), { conntrack: ct, nowMs: 1000 });
    const portOf = (v: Verdict) => v.hops.find((h) => h.type === "nat-gateway" && h.rewrite?.field === "source")!.rewrite!.toPort!;
    assert.equal(portOf(again), portOf(first));
    const port = portOf(first);
    const back = run(topo, probe(internet("203.0.113.5"), "3.80.0.220", 443, port), { conntrack: ct, nowMs: 2000 });
    assert.equal(back.deliveredTo, b.instanceOf(app), back.explanation);
    assert.deepEqual(back.hops.find((h) => h.type === "nat-gateway")?.rewrite, {
      field: "destination",
      from: "10.0.1.220",
      to: "10.0.2.10",
      fromPort: port,
      toPort: 40000,
    });
    const wrongPort = run(topo, probe(internet("203.0.113.5"), "3.80.0.220", 443, port === 1024 ? 1025 : port - 1), { conntrack: ct });
    assert.equal(wrongPort.reason, REASONS.EMU_NAT_GATEWAY_UNSOLICITED);
    const otherHost = run(topo, probe(internet("203.0.113.6"), "3.80.0.220", 443, port), { conntrack: ct });
    assert.equal(otherHost.reason, REASONS.EMU_NAT_GATEWAY_UNSOLICITED);
    const idle = run(topo, probe(internet("203.0.113.5"), "3.80.0.220", 443, port), {
      conntrack: ct,
      nowMs: 2000 + NAT_IDLE_TIMEOUT_MS + 1,
    });
    assert.equal(idle.reason, REASONS.EMU_NAT_GATEWAY_UNSOLICITED, "idle for 350 s: timed out");
  });

  it("EMU_NAT_GATEWAY_PORT_ALLOCATION once 55,000 connections go to one destination", () => {
    const { b, app, natEni } = natSetup();
    const ct = new ConnTrack();
    for (let i = 0; i < NAT_CONNECTIONS_PER_DESTINATION; i++)
      ct.natPorts.allocate(natEni, 6, n("10.0.2.99"), i + 1, n("203.0.113.5"), 443, 0);
    const v = run(b.build(), probe(eni(app), "203.0.113.5", 40000, 443), { conntrack: ct });
    assert.equal(v.reason, REASONS.EMU_NAT_GATEWAY_PORT_ALLOCATION);
    assert.match(v.explanation, /already has 55,000 connections to 203\.0\.113\.5:443 \(TCP\) and cannot allocate a source port/);
    // Another destination port is another destination.
    assert.equal(run(b.build(), probe(eni(app), "203.0.113.5", 40000, 80), { conntrack: ct }).reply?.delivered, true);
  });

  it("ICMP and NAT instances keep the port (only a NAT gateway translates TCP/UDP ports)", () => {
    const { b, app } = natSetup();
    const v = run(b.build(), probe(eni(app), "203.0.113.5", 0, 8, 1));
    assert.deepEqual(v.hops.find((h) => h.type === "nat-gateway" && h.rewrite)?.rewrite, {
      field: "source",
      from: "10.0.2.10",
      to: "10.0.1.220",
    });
  });
});

describe("NatPorts: deterministic per-connection ports, unique per destination", () => {
  const dst = n("203.0.113.5");
  it("stable for a connection, distinct across connections, within 1024–65535", () => {
    const t = new NatPorts();
    const ports = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const p = t.allocate("eni-1", 6, n("10.0.2.10") + (i % 7), 30000 + i, dst, 443, 0);
      assert.ok(p >= NAT_PORT_MIN && p <= NAT_PORT_MAX);
      ports.add(p);
    }
    assert.equal(ports.size, 5000, "unique per (NAT, destination, port, protocol)");
    assert.equal(t.allocate("eni-1", 6, n("10.0.2.10"), 30000, dst, 443, 10), t.allocate("eni-1", 6, n("10.0.2.10"), 30000, dst, 443, 20));
    assert.equal(t.count("eni-1", 6, dst, 443, 0), 5000);
    assert.equal(t.count("eni-1", 17, dst, 443, 0), 0, "UDP is another destination");
  });

  it("a colliding connection moves to the next free port; the same tuple gets the same port in a fresh table", () => {
    const t = new NatPorts();
    const a = t.allocate("eni-1", 6, n("10.0.2.10"), 40000, dst, 443, 0);
    assert.equal(a, hashedNatPort(6, n("10.0.2.10"), 40000, dst, 443));
    assert.equal(new NatPorts().allocate("eni-1", 6, n("10.0.2.10"), 40000, dst, 443, 0), a, "deterministic");
    // Fill the hashed port of another connection first: it then gets the next port up.
    const t2 = new NatPorts();
    const h = hashedNatPort(6, n("10.0.2.11"), 40001, dst, 443);
    let src = 1;
    while (t2.allocate("eni-1", 6, n("10.0.3.0") + src, 1, dst, 443, 0) !== h) src++;
    const moved = t2.allocate("eni-1", 6, n("10.0.2.11"), 40001, dst, 443, 0);
    assert.notEqual(moved, h);
    assert.equal(t2.inbound("eni-1", 6, dst, 443, moved, 0)?.origSport, 40001);
  });

  it("frees ports after 350 s idle and refuses the 55,001st live connection", () => {
    const t = new NatPorts();
    for (let i = 0; i < NAT_CONNECTIONS_PER_DESTINATION; i++) assert.ok(t.allocate("eni-1", 17, i + 1, 53000, dst, 53, 0) > 0);
    assert.equal(t.allocate("eni-1", 17, 0xffff, 53000, dst, 53, 0), -1);
    assert.ok(t.allocate("eni-1", 17, 0xffff, 53000, dst, 53, NAT_IDLE_TIMEOUT_MS) > 0, "the others idled out");
  });
});
