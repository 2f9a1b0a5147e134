/** Evaluator table tests: every stage and every reason code (shared/spec/dataplane.md §2–§5). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { observationToText, type FlowObservation, type TextObservation } from "../flow-observation.js";
import { ConnTrack } from "./conntrack.js";
import { evaluate, type Probe, type Verdict } from "./evaluate.js";
import { ipv4ToNumber } from "./ip.js";
import { REASONS } from "./reasons.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology, type TopologyInput } from "./topology.js";

const n = (ip: string): number => ipv4ToNumber(ip)!;
const ALL = [{}];
const tcp = (eniId: string, to: string, port = 443): Probe => ({
  from: { kind: "eni", eniId },
  to: n(to),
  protocol: 6,
  srcPort: 40000,
  dstPort: port,
});
const fromInternet = (src: string, to: string, port = 443): Probe => ({
  from: { kind: "internet", address: n(src) },
  to: n(to),
  protocol: 6,
  srcPort: 50000,
  dstPort: port,
});
const run = (
  input: TopologyInput,
  p: Probe,
  extra: { conntrack?: ConnTrack; nowMs?: number; sink?: (o: FlowObservation) => void } = {},
): Verdict => evaluate(compileTopology(input), p, { nowMs: extra.nowMs ?? 0, conntrack: extra.conntrack, sink: extra.sink });

/** One VPC 10.0.0.0/16 with an IGW, a public subnet (0/0 → IGW) and a private subnet. */
const base = () => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const pub = b.subnet(vpc, "10.0.1.0/24", [["0.0.0.0/0", "igw"]]);
  const priv = b.subnet(vpc, "10.0.2.0/24");
  const open = b.sg(vpc, { ingress: ALL, egress: ALL });
  const web = b.sg(vpc, { ingress: [{ proto: "tcp", from: 443, to: 443 }], egress: ALL });
  return { b, vpc, pub, priv, open, web };
};

describe("evaluator: security groups", () => {
  it("delivers within a subnet when the SGs allow it, and the reply returns", () => {
    const { b, pub, open, web } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const c = b.eni(pub, "10.0.1.11", { sgs: [web] });
    const v = run(b.build(), tcp(a, "10.0.1.11"));
    assert.equal(v.delivered, true);
    assert.equal(v.reason, null);
    assert.equal(v.deliveredTo, b.instanceOf(c));
    assert.equal(v.reply?.delivered, true);
    assert.ok(v.hops.some((h) => h.path === "return"));
  });

  it("ENI_SG_RULES_MISMATCH on ingress: no inbound rule for the port", () => {
    const { b, pub, open, web } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(pub, "10.0.1.11", { sgs: [web] });
    const v = run(b.build(), tcp(a, "10.0.1.11", 22));
    assert.equal(v.delivered, false);
    assert.equal(v.reason, REASONS.ENI_SG_RULES_MISMATCH);
    assert.match(v.explanation, /No inbound rule .* allows TCP 10\.0\.1\.10:40000 → 10\.0\.1\.11:22/);
    assert.equal(v.deliveredTo, null);
  });

  it("ENI_SG_RULES_MISMATCH on egress: a group without outbound rules sends nothing", () => {
    const { b, vpc, pub, open } = base();
    const mute = b.sg(vpc, { ingress: ALL });
    const a = b.eni(pub, "10.0.1.10", { sgs: [mute] });
    b.eni(pub, "10.0.1.11", { sgs: [open] });
    const v = run(b.build(), tcp(a, "10.0.1.11"));
    assert.equal(v.reason, REASONS.ENI_SG_RULES_MISMATCH);
    assert.match(v.explanation, /No outbound rule/);
  });

  it("rules are unioned over the ENI's groups", () => {
    const { b, vpc, pub, open } = base();
    const ssh = b.sg(vpc, { ingress: [{ proto: "tcp", from: 22, to: 22 }] });
    const https = b.sg(vpc, { ingress: [{ proto: "tcp", from: 443, to: 443 }] });
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(pub, "10.0.1.11", { sgs: [ssh, https] });
    assert.equal(run(b.build(), tcp(a, "10.0.1.11", 22)).delivered, true);
    assert.equal(run(b.build(), tcp(a, "10.0.1.11", 443)).delivered, true);
    assert.equal(run(b.build(), tcp(a, "10.0.1.11", 80)).reason, REASONS.ENI_SG_RULES_MISMATCH);
  });

  it("a group reference matches the private addresses of the group's members only", () => {
    const { b, vpc, pub, open } = base();
    const app = b.sg(vpc, { egress: ALL });
    const db = b.sg(vpc, { ingress: [{ proto: "tcp", from: 5432, to: 5432, group: app }] });
    const member = b.eni(pub, "10.0.1.10", { sgs: [app] });
    const stranger = b.eni(pub, "10.0.1.12", { sgs: [open] });
    b.eni(pub, "10.0.1.11", { sgs: [db] });
    assert.equal(run(b.build(), tcp(member, "10.0.1.11", 5432)).delivered, true);
    assert.equal(run(b.build(), tcp(stranger, "10.0.1.11", 5432)).reason, REASONS.ENI_SG_RULES_MISMATCH);
  });

  it("connection tracking: an established flow survives a rule removal; an untracked one does not", () => {
    const { b, vpc, pub, open } = base();
    const tracked = b.sg(
      vpc,
      { ingress: [{ proto: "tcp", from: 443, to: 443, cidr: "10.0.0.0/16" }], egress: ALL },
      "sg-00000000000000aaa",
    );
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(pub, "10.0.1.11", { sgs: [tracked] });
    const ct = new ConnTrack();
    assert.equal(run(b.build(), tcp(a, "10.0.1.11"), { conntrack: ct }).delivered, true);
    const g = b.securityGroups.findIndex((x) => x.id === "sg-00000000000000aaa");
    b.securityGroups[g] = { ...b.securityGroups[g]!, rules: b.securityGroups[g]!.rules.filter((r) => r.isEgress) };
    const later = run(b.build(), tcp(a, "10.0.1.11"), { conntrack: ct, nowMs: 60_000 });
    assert.equal(later.delivered, true, "tracked connections are not interrupted by a rule change");
    assert.ok(later.hops.some((h) => h.detail.includes("connection tracking")));
    assert.equal(
      run(b.build(), tcp(a, "10.0.1.11"), { conntrack: ct, nowMs: 60_000 + 432_000_001 }).reason,
      REASONS.ENI_SG_RULES_MISMATCH,
      "idle timeout",
    );

    const { b: b2, vpc: vpc2, pub: pub2, open: open2 } = base();
    const wide = b2.sg(vpc2, { ingress: [{ proto: "tcp", from: 443, to: 443 }], egress: ALL }, "sg-00000000000000bbb");
    const a2 = b2.eni(pub2, "10.0.1.10", { sgs: [open2] });
    b2.eni(pub2, "10.0.1.11", { sgs: [wide] });
    const ct2 = new ConnTrack();
    const first = run(b2.build(), tcp(a2, "10.0.1.11"), { conntrack: ct2 });
    assert.ok(first.hops.some((h) => h.detail.includes("untracked flow")));
    const w = b2.securityGroups.findIndex((x) => x.id === "sg-00000000000000bbb");
    b2.securityGroups[w] = { ...b2.securityGroups[w]!, rules: b2.securityGroups[w]!.rules.filter((r) => r.isEgress) };
    assert.equal(
      run(b2.build(), tcp(a2, "10.0.1.11"), { conntrack: ct2 }).reason,
      REASONS.ENI_SG_RULES_MISMATCH,
      "untracked flows are cut at once",
    );
  });
});

describe("evaluator: network ACLs", () => {
  it("are not evaluated within a subnet", () => {
    const { b, pub, open } = base();
    b.acl(pub, []);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(pub, "10.0.1.11", { sgs: [open] });
    assert.equal(run(b.build(), tcp(a, "10.0.1.11")).delivered, true);
  });

  it("SUBNET_ACL_RESTRICTION when crossing into a subnet whose NACL denies it", () => {
    const { b, pub, priv, open } = base();
    const acl = b.acl(priv, [{ n: 100, allow: true, egress: false, proto: "6", from: 22, to: 22 }]);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(priv, "10.0.2.10", { sgs: [open] });
    const v = run(b.build(), tcp(a, "10.0.2.10", 443));
    assert.equal(v.reason, REASONS.SUBNET_ACL_RESTRICTION);
    assert.match(v.explanation, new RegExp(`${acl} .* into the subnet`));
    assert.ok(v.hops.some((h) => h.type === "network-acl" && /rule \* of .* denies it/.test(h.detail)));
  });

  it("first match wins by rule number", () => {
    const { b, pub, priv, open } = base();
    b.acl(priv, [
      { n: 90, allow: false, egress: false, cidr: "10.0.1.10/32" },
      { n: 100, allow: true, egress: false },
      { n: 100, allow: true, egress: true },
    ]);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const c = b.eni(pub, "10.0.1.20", { sgs: [open] });
    b.eni(priv, "10.0.2.10", { sgs: [open] });
    assert.equal(run(b.build(), tcp(a, "10.0.2.10")).reason, REASONS.SUBNET_ACL_RESTRICTION);
    assert.equal(run(b.build(), tcp(c, "10.0.2.10")).delivered, true);
  });

  it("are stateless: a NACL without ephemeral ports outbound drops the reply", () => {
    const { b, pub, priv, open } = base();
    b.acl(priv, [
      { n: 100, allow: true, egress: false, proto: "6", from: 443, to: 443 },
      { n: 100, allow: true, egress: true, proto: "6", from: 443, to: 443 },
    ]);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(priv, "10.0.2.10", { sgs: [open] });
    const v = run(b.build(), tcp(a, "10.0.2.10"));
    assert.equal(v.delivered, true);
    assert.equal(v.reason, null);
    assert.equal(v.reply?.delivered, false);
    assert.equal(v.reply.reason, REASONS.SUBNET_ACL_RESTRICTION);
    assert.match(v.explanation, /its reply was dropped/);
  });
});

describe("evaluator: routing", () => {
  it("NO_ROUTE_TO_DESTINATION from a subnet without a default route", () => {
    const { b, priv, open } = base();
    const a = b.eni(priv, "10.0.2.10", { sgs: [open] });
    const v = run(b.build(), tcp(a, "198.51.100.7"));
    assert.equal(v.reason, REASONS.NO_ROUTE_TO_DESTINATION);
    assert.match(v.explanation, /has no route that matches 198\.51\.100\.7/);
  });

  it("BAD_STATE_ROUTE for a route whose target is gone", () => {
    const { b, priv, open } = base();
    b.route(priv, "0.0.0.0/0", "nat-0000000000000dead");
    const a = b.eni(priv, "10.0.2.10", { sgs: [open] });
    assert.equal(run(b.build(), tcp(a, "198.51.100.7")).reason, REASONS.BAD_STATE_ROUTE);
  });

  it("BAD_STATE_ROUTE for a route to a stopped NAT instance's or an unattached ENI (as DescribeRouteTables says blackhole)", () => {
    for (const opts of [{ state: "stopped" as const }, { instance: false as const }]) {
      const { b, pub, priv, open } = base();
      const nat = b.eni(pub, "10.0.1.5", { sgs: [open], publicIp: "3.80.0.5", sourceDestCheck: false, ...opts });
      b.route(priv, "0.0.0.0/0", nat);
      const a = b.eni(priv, "10.0.2.10", { sgs: [open] });
      const v = run(b.build(), tcp(a, "198.51.100.7"));
      assert.equal(v.reason, REASONS.BAD_STATE_ROUTE, JSON.stringify(opts));
      assert.match(v.explanation, new RegExp(`points at ${nat}, which is not available`));
    }
  });

  it("longest prefix wins: a /32 to a middlebox beats the local route", () => {
    const { b, pub, priv, open } = base();
    const fw = b.eni(priv, "10.0.2.5", { sgs: [open], sourceDestCheck: true });
    b.route(pub, "10.0.2.10/32", fw);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(priv, "10.0.2.10", { sgs: [open] });
    const v = run(b.build(), tcp(a, "10.0.2.10"));
    assert.equal(v.reason, REASONS.ENI_SOURCE_DEST_CHECK_RESTRICTION);
    assert.ok(v.hops.some((h) => h.type === "route-table" && h.detail.includes("10.0.2.10/32")));
  });

  it("EMU_ADDRESS_NOT_IN_USE for a VPC address nobody holds", () => {
    const { b, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    assert.equal(run(b.build(), tcp(a, "10.0.1.99")).reason, REASONS.EMU_ADDRESS_NOT_IN_USE);
  });

  it("EMU_ROUTING_LOOP when two forwarding instances route to each other", () => {
    const { b, vpc, pub, open } = base();
    const s1 = b.subnet(vpc, "10.0.3.0/24");
    const s2 = b.subnet(vpc, "10.0.4.0/24");
    const r1 = b.eni(s1, "10.0.3.5", { sgs: [open], sourceDestCheck: false });
    const r2 = b.eni(s2, "10.0.4.5", { sgs: [open], sourceDestCheck: false });
    b.route(s1, "192.0.2.0/24", r2);
    b.route(s2, "192.0.2.0/24", r1);
    b.route(pub, "192.0.2.0/24", r1);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    assert.equal(run(b.build(), tcp(a, "192.0.2.1")).reason, REASONS.EMU_ROUTING_LOOP);
  });
});

describe("evaluator: internet gateway", () => {
  it("egress with a public IP: 1:1 source NAT, delivered to the internet host, reply returns", () => {
    const { b, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open], publicIp: "3.80.0.10" });
    const v = run(b.build(), tcp(a, "198.51.100.7"));
    assert.equal(v.delivered, true);
    assert.equal(v.deliveredTo, null);
    assert.deepEqual(v.hops.find((h) => h.type === "internet-gateway")?.rewrite, { field: "source", from: "10.0.1.10", to: "3.80.0.10" });
    assert.equal(v.reply?.delivered, true);
  });

  it("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS without a public IP", () => {
    const { b, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    assert.equal(run(b.build(), tcp(a, "198.51.100.7")).reason, REASONS.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS);
  });

  it("ingress to a public IP: destination NAT to the private IP; the flow log never shows the public IP", () => {
    const { b, pub, web } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [web], publicIp: "3.80.0.10" });
    const seen: TextObservation[] = [];
    const v = run(b.build(), fromInternet("198.51.100.7", "3.80.0.10"), { sink: (o) => seen.push(observationToText(o)) });
    assert.equal(v.delivered, true);
    assert.equal(v.deliveredTo, b.instanceOf(a));
    assert.deepEqual(v.hops.find((h) => h.type === "internet-gateway")?.rewrite, {
      field: "destination",
      from: "3.80.0.10",
      to: "10.0.1.10",
    });
    assert.deepEqual(
      seen.map((o) => [o.eniId, o.direction, o.srcAddr, o.dstAddr, o.pktSrcAddr, o.pktDstAddr, o.action, o.tcpFlags, o.trafficPath]),
      [
        [a, "ingress", "198.51.100.7", "10.0.1.10", "198.51.100.7", "10.0.1.10", "ACCEPT", 2, undefined],
        [a, "egress", "10.0.1.10", "198.51.100.7", "10.0.1.10", "198.51.100.7", "ACCEPT", 18, 8],
      ],
    );
    assert.ok(seen.every((o) => o.instanceId === b.instanceOf(a) && o.subnetId === pub));
  });

  it("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: an Amazon address mapped to nothing, or to an unattached ENI", () => {
    const { b, pub, open } = base();
    b.eni(pub, "10.0.1.10", { sgs: [open], publicIp: "3.80.0.10", instance: false });
    assert.equal(run(b.build(), fromInternet("198.51.100.7", "3.80.0.99")).reason, REASONS.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS);
    const v = run(b.build(), fromInternet("198.51.100.7", "3.80.0.10"));
    assert.equal(v.reason, REASONS.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS);
    assert.match(v.explanation, /not attached/);
  });

  it("EMU_PRIVATE_ADDRESS_FROM_INTERNET: the internet cannot reach a private address", () => {
    const { b, pub, open } = base();
    b.eni(pub, "10.0.1.10", { sgs: [open] });
    assert.equal(run(b.build(), fromInternet("198.51.100.7", "10.0.1.10")).reason, REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET);
  });

  it("EMU_NO_INTERNET_GATEWAY: a public IP in a VPC without an internet gateway", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.9.0.0/16");
    const s = b.subnet(vpc, "10.9.1.0/24");
    const sg = b.sg(vpc, { ingress: ALL, egress: ALL });
    b.eni(s, "10.9.1.10", { sgs: [sg], publicIp: "3.80.0.20" });
    assert.equal(run(b.build(), fromInternet("198.51.100.7", "3.80.0.20")).reason, REASONS.EMU_NO_INTERNET_GATEWAY);
  });

  it("EMU_BYOIP_NOT_ROUTED_TO_AWS when the internet's view does not route the address to AWS", () => {
    const { b, pub, open } = base();
    b.eni(pub, "10.0.1.10", { sgs: [open], publicIp: "198.51.100.10" });
    const notAdvertised = b.build({ internetRoutesToAws: () => false });
    assert.equal(run(notAdvertised, fromInternet("203.0.113.9", "198.51.100.10")).reason, REASONS.EMU_BYOIP_NOT_ROUTED_TO_AWS);
    const advertised = b.build({ internetRoutesToAws: (a) => a === "198.51.100.10" });
    assert.equal(run(advertised, fromInternet("203.0.113.9", "198.51.100.10")).delivered, true);
  });

  it("hairpin: one instance reaches another's public IP through the internet gateway", () => {
    const { b, pub, open, web } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open], publicIp: "3.80.0.10" });
    const c = b.eni(pub, "10.0.1.11", { sgs: [web], publicIp: "3.80.0.11" });
    const v = run(b.build(), tcp(a, "3.80.0.11"));
    assert.equal(v.deliveredTo, b.instanceOf(c));
  });
});

describe("evaluator: instances, source/dest check, NAT", () => {
  it("EMU_INSTANCE_NOT_RUNNING for a stopped instance, either end", () => {
    const { b, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const c = b.eni(pub, "10.0.1.11", { sgs: [open], state: "stopped" });
    const v = run(b.build(), tcp(a, "10.0.1.11"));
    assert.equal(v.reason, REASONS.EMU_INSTANCE_NOT_RUNNING);
    assert.match(v.explanation, new RegExp(`${b.instanceOf(c)} is stopped`));
    assert.equal(run(b.build(), tcp(c, "10.0.1.10")).reason, REASONS.EMU_INSTANCE_NOT_RUNNING);
  });

  it("EMU_INSTANCE_IMPAIRED for a failed instance; the moved ENI reaches the standby", () => {
    const { b, pub, open } = base();
    const client = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const a = b.eni(pub, "10.0.1.20", { sgs: [open] });
    b.eni(pub, "10.0.1.21", { sgs: [open] });
    const floating = b.eni(pub, "10.0.1.50", { sgs: [open], instance: b.instanceOf(a), deviceIndex: 1 });
    const standby = b.instances[2]!.id;
    assert.equal(run(b.build(), tcp(client, "10.0.1.50")).deliveredTo, b.instanceOf(a));
    b.impaired.add(b.instanceOf(a));
    assert.equal(run(b.build(), tcp(client, "10.0.1.50")).reason, REASONS.EMU_INSTANCE_IMPAIRED);
    b.moveEni(floating, standby);
    assert.equal(run(b.build(), tcp(client, "10.0.1.50")).deliveredTo, standby);
  });

  it("EMU_ENI_NOT_ATTACHED: a detached ENI neither sends nor receives", () => {
    const { b, pub, open } = base();
    const loose = b.eni(pub, "10.0.1.10", { sgs: [open], instance: false });
    const a = b.eni(pub, "10.0.1.11", { sgs: [open] });
    assert.equal(run(b.build(), tcp(loose, "10.0.1.11")).reason, REASONS.EMU_ENI_NOT_ATTACHED);
    assert.equal(run(b.build(), tcp(a, "10.0.1.10")).reason, REASONS.EMU_ENI_NOT_ATTACHED);
  });

  it("traffic to a secondary private IP is delivered; the flow log shows the primary IP in dstaddr", () => {
    const { b, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const c = b.eni(pub, "10.0.1.11", { sgs: [open], secondaryIps: ["10.0.1.12"] });
    const seen: TextObservation[] = [];
    run(b.build(), tcp(a, "10.0.1.12"), { sink: (o) => seen.push(observationToText(o)) });
    const inbound = seen.find((o) => o.eniId === c && o.direction === "ingress")!;
    assert.equal(inbound.dstAddr, "10.0.1.11");
    assert.equal(inbound.pktDstAddr, "10.0.1.12");
  });

  it("NAT instance: ENI_SOURCE_DEST_CHECK_RESTRICTION with the check on, source NAT with it off", () => {
    for (const check of [true, false]) {
      const { b, pub, priv, open } = base();
      const natEni = b.eni(pub, "10.0.1.5", { sgs: [open], publicIp: "3.80.0.5", sourceDestCheck: check });
      b.route(priv, "0.0.0.0/0", natEni);
      const app = b.eni(priv, "10.0.2.10", { sgs: [open] });
      const seen: TextObservation[] = [];
      const v = run(b.build(), tcp(app, "198.51.100.7"), { sink: (o) => seen.push(observationToText(o)) });
      if (check) {
        assert.equal(v.reason, REASONS.ENI_SOURCE_DEST_CHECK_RESTRICTION);
        assert.match(v.explanation, /rejects inbound traffic for 198\.51\.100\.7/);
        assert.equal(seen.find((o) => o.eniId === natEni)?.action, "REJECT");
      } else {
        assert.equal(v.delivered, true, v.explanation);
        assert.equal(v.reply?.delivered, true, v.reply?.explanation ?? "");
        const rewrites = v.hops.filter((h) => h.path === "forward" && h.rewrite).map((h) => h.rewrite);
        assert.deepEqual(rewrites, [
          { field: "source", from: "10.0.2.10", to: "10.0.1.5" },
          { field: "source", from: "10.0.1.5", to: "3.80.0.5" },
        ]);
        const natIn = seen.find((o) => o.eniId === natEni && o.direction === "ingress")!;
        assert.deepEqual([natIn.srcAddr, natIn.dstAddr, natIn.pktDstAddr], ["10.0.2.10", "10.0.1.5", "198.51.100.7"]);
      }
    }
  });

  it("NAT gateway: source NAT out; EMU_NAT_GATEWAY_UNSOLICITED for connections from the internet", () => {
    const { b, pub, priv, open } = base();
    const nat = b.natGateway(pub, "10.0.1.220", "3.80.0.220");
    b.route(priv, "0.0.0.0/0", nat);
    const app = b.eni(priv, "10.0.2.10", { sgs: [open] });
    const seen: TextObservation[] = [];
    const v = run(b.build(), tcp(app, "203.0.113.5"), { sink: (o) => seen.push(observationToText(o)) });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reply?.delivered, true, v.reply?.explanation ?? "");
    assert.ok(v.hops.some((h) => h.type === "nat-gateway" && h.rewrite?.to === "10.0.1.220"));
    const natEni = b.natGateways[0]!.networkInterfaceId;
    // AWS's NAT gateway example (VPC-UG flow-logs-records-examples): four records on the NAT ENI.
    assert.deepEqual(
      seen.filter((o) => o.eniId === natEni).map((o) => [o.srcAddr, o.dstAddr, o.pktSrcAddr, o.pktDstAddr]),
      [
        ["10.0.2.10", "10.0.1.220", "10.0.2.10", "203.0.113.5"],
        ["10.0.1.220", "203.0.113.5", "10.0.1.220", "203.0.113.5"],
        ["203.0.113.5", "10.0.1.220", "203.0.113.5", "10.0.1.220"],
        ["10.0.1.220", "10.0.2.10", "203.0.113.5", "10.0.2.10"],
      ],
    );
    assert.equal(run(b.build(), fromInternet("203.0.113.5", "3.80.0.220")).reason, REASONS.EMU_NAT_GATEWAY_UNSOLICITED);
  });

  it("Lambda Hyperplane ENI (issue 17): sends out through the NAT gateway; EMU_LAMBDA_ENI_INBOUND for connections to it", () => {
    const { b, pub, priv, open } = base();
    const nat = b.natGateway(pub, "10.0.1.220", "3.80.0.220");
    b.route(priv, "0.0.0.0/0", nat);
    const fn = b.eni(priv, "10.0.2.30", { sgs: [open], instance: false, interfaceType: "lambda" });
    const app = b.eni(priv, "10.0.2.10", { sgs: [open] });
    const out = run(b.build(), tcp(fn, "203.0.113.5"));
    assert.equal(out.delivered, true, out.explanation);
    assert.equal(out.reply?.delivered, true, out.reply?.explanation ?? "");
    const inbound = run(b.build(), tcp(app, "10.0.2.30"));
    assert.equal(inbound.reason, REASONS.EMU_LAMBDA_ENI_INBOUND);
    assert.match(inbound.explanation, /Lambda Hyperplane ENI/);
  });
});

describe("evaluator: drop sentences, word for word", () => {
  // The sentences a learner reads (traffic send, the console). The other tests match their key phrases; these pin
  // the whole text of the ones they do not.
  it("a VPC address nobody holds", () => {
    const { b, vpc, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    assert.equal(
      run(b.build(), tcp(a, "10.0.1.99")).explanation,
      `No network interface in ${vpc} has the address 10.0.1.99, so the VPC router has nowhere to deliver it.`,
    );
  });

  it("a routing loop", () => {
    const { b, vpc, pub, open } = base();
    const s1 = b.subnet(vpc, "10.0.3.0/24");
    const r1 = b.eni(s1, "10.0.3.5", { sgs: [open], sourceDestCheck: false });
    b.route(s1, "192.0.2.0/24", r1);
    b.route(pub, "192.0.2.0/24", r1);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    assert.equal(
      run(b.build(), tcp(a, "192.0.2.1")).explanation,
      "The packet looped through more than 8 hops; check routes that point at network interfaces.",
    );
  });

  it("out of a subnet through its NACL", () => {
    const { b, pub, priv, open } = base();
    const acl = b.acl(pub, [{ n: 100, allow: true, egress: true, proto: "6", from: 22, to: 22 }]);
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    b.eni(priv, "10.0.2.10", { sgs: [open] });
    assert.equal(
      run(b.build(), tcp(a, "10.0.2.10")).explanation,
      `The network ACL ${acl} of subnet ${pub} does not allow TCP 10.0.1.10:40000 → 10.0.2.10:443 out of the subnet (network ACLs are stateless: replies need their own rule, usually ephemeral ports 1024-65535).`,
    );
  });

  it("the internet gateway: no public IP out, no mapping in, a private address, no gateway", () => {
    const { b, pub, open } = base();
    const a = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const igw = b.build().internetGateways[0]!.id;
    assert.equal(
      run(b.build(), tcp(a, "198.51.100.7")).explanation,
      `Internet gateway ${igw} drops the packet: its source 10.0.1.10 has no public IPv4 address or Elastic IP. Give the instance a public IP or send it through a NAT gateway.`,
    );
    assert.equal(
      run(b.build(), fromInternet("198.51.100.7", "3.80.0.99")).explanation,
      "3.80.0.99 is not the public or Elastic IP of any network interface, so no internet gateway accepts traffic for it.",
    );
    assert.equal(
      run(b.build(), fromInternet("198.51.100.7", "10.0.1.10")).explanation,
      "10.0.1.10 is a private address; nothing on the internet can reach it. Use the instance's public or Elastic IP.",
    );
    const c = new TopologyBuilder();
    const vpc = c.vpc("10.9.0.0/16");
    const s = c.subnet(vpc, "10.9.1.0/24");
    const e = c.eni(s, "10.9.1.10", { sgs: [c.sg(vpc, { ingress: ALL, egress: ALL })], publicIp: "3.80.0.20" });
    assert.equal(
      run(c.build(), fromInternet("198.51.100.7", "3.80.0.20")).explanation,
      `3.80.0.20 belongs to ${e} in ${vpc}, which has no internet gateway attached.`,
    );
  });

  it("a BYOIP address the internet does not route to AWS, with and without the BGP view's reason", () => {
    const { b, pub, open } = base();
    b.eni(pub, "10.0.1.10", { sgs: [open], publicIp: "198.51.100.10" });
    const probe = fromInternet("203.0.113.9", "198.51.100.10");
    assert.equal(
      run(b.build({ internetRoutesToAws: () => false }), probe).explanation,
      "198.51.100.10 is a BYOIP address, but the internet does not route it to AWS: its range is not advertised, or another announcement wins, so the packet never reaches the VPC.",
    );
    const why = (a: string): string => `its range holding ${a} is provisioned but not advertised`;
    assert.equal(
      run(b.build({ internetRoutesToAws: () => false, whyNotRoutedToAws: why }), probe).explanation,
      "198.51.100.10 is a BYOIP address, but the internet does not route it to AWS: its range holding 198.51.100.10 is provisioned but not advertised, so the packet never reaches the VPC.",
    );
  });

  it("a failed instance, and a reply dropped on the way back", () => {
    const { b, pub, priv, open } = base();
    const client = b.eni(pub, "10.0.1.10", { sgs: [open] });
    const a = b.eni(pub, "10.0.1.20", { sgs: [open] });
    b.impaired.add(b.instanceOf(a));
    assert.equal(
      run(b.build(), tcp(client, "10.0.1.20")).explanation,
      `Instance ${b.instanceOf(a)} has failed (localvpc chaos fail-instance) and does not answer; move its ENI to a standby or recover it.`,
    );
    const acl = b.acl(priv, [
      { n: 100, allow: true, egress: false },
      { n: 100, allow: true, egress: true, proto: "6", from: 443, to: 443 },
    ]);
    const d = b.eni(priv, "10.0.2.10", { sgs: [open] });
    assert.equal(
      run(b.build(), tcp(client, "10.0.2.10")).explanation,
      `TCP 10.0.1.10:40000 → 10.0.2.10:443 reaches instance ${b.instanceOf(d)} (${d}). The request was delivered, but its reply was dropped: The network ACL ${acl} of subnet ${priv} does not allow TCP 10.0.2.10:443 → 10.0.1.10:40000 out of the subnet (network ACLs are stateless: replies need their own rule, usually ephemeral ports 1024-65535).`,
    );
  });
});

describe("evaluator: every reason code has a test", () => {
  it("the list above covers REASONS", () => {
    const src = Object.values(REASONS);
    // issue 16: EMU_NAT_GATEWAY_PORT_ALLOCATION (middlebox-nat.test.ts), PCX_REQUIRES_ADDRESS_IN_VPC_CIDR (VPC peering)
    // issue 17: EMU_LAMBDA_ENI_INBOUND (above)
    assert.equal(src.length, 24);
  });
});
