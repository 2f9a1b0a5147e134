/**
 * The evaluator over IPv6 (issue 16): longest-prefix match over IPv6 routes, the local route for the VPC's IPv6 blocks,
 * security-group and NACL IPv6 rules, internet gateways (no NAT), egress-only internet gateways (out and replies only),
 * NAT gateways (no IPv6), BYOIP IPv6 blocks (reachable while advertised), peering, and IPv6 flow observations.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConnTrack } from "./conntrack.js";
import { evaluate, type Probe } from "./evaluate.js";
import { addressText, addressToNumber, inNet6, ipv6ToNumber, isPublicIpv6, parseNet6 } from "./ip6.js";
import { ipv4ToNumber } from "./ip.js";
import { REASONS } from "./reasons.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology, type TopologyInput } from "./topology.js";
import { observationToText, type FlowObservation } from "../flow-observation.js";
import { withIpv6DefaultAclEntries, withIpv6DefaultEgress } from "../ipv6-defaults.js";
import type { NetworkAclEntry, Route, SecurityGroupRule } from "../types.js";

const HOST6 = "2001:db8::7";
const v6 = (text: string): number => ipv6ToNumber(text)!;

/** A builder with IPv6 helpers: blocks, routes, addresses, rules and ACL entries the fixture does not make. */
class Dual {
  readonly t = new TopologyBuilder();
  readonly eigws: { kind: "egress-only-internet-gateway"; id: string; tags: []; ownerId: string; vpcId: string }[] = [];
  #rule = 0;

  /** A VPC with an IPv4 block and an IPv6 /56 (Amazon's unless `pool`), the IPv6 local route and default ACL rules. */
  vpc(cidr: string, block6: string, opts: { igw?: boolean; pool?: string | undefined } = {}): string {
    const id = this.t.vpc(cidr, { igw: opts.igw === true });
    const i = this.t.vpcs.findIndex((v) => v.id === id);
    const v = this.t.vpcs[i]!;
    const assoc = { associationId: `${id}-v6`, ipv6CidrBlock: block6, state: "associated" as const, networkBorderGroup: "us-east-1" };
    this.t.vpcs[i] = { ...v, ipv6Associations: [{ ...assoc, ipv6Pool: opts.pool ?? "Amazon" }] };
    const a = this.t.networkAcls.findIndex((x) => x.vpcId === id && x.isDefault);
    this.t.networkAcls[a] = withIpv6DefaultAclEntries(this.t.networkAcls[a]!);
    this.#addLocal(id, block6);
    return id;
  }

  #addLocal(vpcId: string, block6: string): void {
    this.t.routeTables.forEach((r, k) => {
      if (r.vpcId !== vpcId || r.routes.some((x) => x.destinationIpv6CidrBlock === block6)) return;
      const local: Route = { destinationIpv6CidrBlock: block6, gatewayId: "local", origin: "CreateRouteTable", state: "active" };
      this.t.routeTables[k] = { ...r, routes: [...r.routes, local] };
    });
  }

  subnet(vpcId: string, cidr: string): string {
    const id = this.t.subnet(vpcId, cidr);
    const block = this.t.vpcs.find((v) => v.id === vpcId)!.ipv6Associations[0];
    if (block) this.#addLocal(vpcId, block.ipv6CidrBlock);
    return id;
  }

  eigw(vpcId: string): string {
    const id = this.t.id("eigw");
    this.eigws.push({ kind: "egress-only-internet-gateway", id, tags: [], ownerId: this.t.account, vpcId });
    return id;
  }

  /** An IPv6 route: target "igw" (the VPC's), eigw-…, nat-…, eni-…, pcx-…. */
  route6(subnetId: string, dest: string, target: string): void {
    const i = this.t.routeTables.findIndex((r) => r.associations.some((a) => a.subnetId === subnetId));
    const table = this.t.routeTables[i]!;
    const base = { destinationIpv6CidrBlock: dest, origin: "CreateRoute" as const, state: "active" as const };
    const r: Route =
      target === "igw"
        ? { ...base, gatewayId: this.t.igwOf(table.vpcId) }
        : target.startsWith("eigw-")
          ? { ...base, egressOnlyInternetGatewayId: target }
          : target.startsWith("nat-")
            ? { ...base, natGatewayId: target }
            : target.startsWith("eni-")
              ? { ...base, networkInterfaceId: target }
              : { ...base, vpcPeeringConnectionId: target };
    this.t.routeTables[i] = { ...table, routes: [...table.routes, r] };
  }

  /** An ENI (on a new running instance) with an IPv6 address. */
  eni(subnetId: string, ip: string, ip6: string | undefined, opts: Parameters<TopologyBuilder["eni"]>[2] = {}): string {
    const id = this.t.eni(subnetId, ip, opts);
    const i = this.t.networkInterfaces.findIndex((e) => e.id === id);
    if (ip6 !== undefined)
      this.t.networkInterfaces[i] = { ...this.t.networkInterfaces[i]!, ipv6Addresses: [{ address: ip6, isPrimaryIpv6: false }] };
    return id;
  }

  /** A group with IPv6 rules (`cidr6`, `group` or `prefixListId`); all protocols unless `proto`. */
  sg(
    vpcId: string,
    ingress: readonly Partial<SecurityGroupRule>[],
    egress: readonly Partial<SecurityGroupRule>[] = [{ cidrIpv6: "::/0" }],
  ): string {
    const id = this.t.sg(vpcId, {});
    const i = this.t.securityGroups.findIndex((g) => g.id === id);
    const rule = (r: Partial<SecurityGroupRule>, isEgress: boolean): SecurityGroupRule => ({
      ruleId: `sgr-${String(++this.#rule).padStart(17, "0")}`,
      isEgress,
      ipProtocol: "-1",
      ...r,
    });
    this.t.securityGroups[i] = {
      ...this.t.securityGroups[i]!,
      rules: [...ingress.map((r) => rule(r, false)), ...egress.map((r) => rule(r, true))],
    };
    return id;
  }

  /** A custom NACL for a subnet with IPv6 entries, plus allow-all IPv4 (the `*` rules are the fixture's). */
  acl6(subnetId: string, entries: readonly Omit<NetworkAclEntry, "protocol">[]): void {
    const id = this.t.acl(subnetId, []);
    const i = this.t.networkAcls.findIndex((a) => a.id === id);
    const a = this.t.networkAcls[i]!;
    this.t.networkAcls[i] = { ...a, entries: [...a.entries, ...entries.map((e) => ({ protocol: "-1", ...e }))] };
  }

  compile(extra: Partial<TopologyInput> = {}) {
    return compileTopology(this.t.build({ egressOnlyInternetGateways: this.eigws, ...extra }));
  }
}

const probe = (eniId: string, to: string, port = 443, protocol = 6): Probe => ({
  from: { kind: "eni", eniId },
  to: addressToNumber(to)!,
  protocol,
  srcPort: 40000,
  dstPort: port,
});
const fromInternet = (to: string, port = 443, from = HOST6): Probe => ({
  from: { kind: "internet", address: v6(from) },
  to: v6(to),
  protocol: 6,
  srcPort: 50000,
  dstPort: port,
});

describe("ip6: IPv6 addresses as numbers", () => {
  it("interns an address once, above every IPv4 number, and formats it as AWS writes it", () => {
    const a = v6("2600:1F18:0:0::0010");
    assert.equal(a, v6("2600:1f18::10"));
    assert.ok(a > 0xffffffff);
    assert.equal(addressText(a), "2600:1f18::10");
    assert.equal(addressText(ipv4ToNumber("10.0.0.1")!), "10.0.0.1");
    assert.equal(addressToNumber("10.0.0.1"), ipv4ToNumber("10.0.0.1"));
    assert.equal(ipv6ToNumber("10.0.0.1"), undefined);
  });
  it("tests prefixes and global unicast", () => {
    const net = parseNet6("2600:1f18:aa00::/56")!;
    const table: [string, boolean][] = [
      ["2600:1f18:aa00::1", true],
      ["2600:1f18:aa00:ff:ffff::1", true],
      ["2600:1f18:aa01::1", false],
    ];
    for (const [addr, inside] of table) assert.equal(inNet6(net, v6(addr)), inside, addr);
    assert.equal(inNet6(net, ipv4ToNumber("10.0.0.1")!), false);
    assert.equal(isPublicIpv6(v6("2600:1f18::1")), true);
    assert.equal(isPublicIpv6(v6("fd00::1")), false);
    assert.equal(isPublicIpv6(v6("fe80::1")), false);
  });
});

describe("ipv6-defaults: the default NACL and group when a VPC gets IPv6", () => {
  const b = new TopologyBuilder();
  b.vpc("10.9.0.0/16");
  const acl = b.networkAcls[0]!;
  it("an unmodified default ACL gets rule 101 (allow ::/0) and the IPv6 * deny, each way; twice is once", () => {
    const with6 = withIpv6DefaultAclEntries(acl);
    const v6Rules = with6.entries
      .filter((e) => e.ipv6CidrBlock !== undefined)
      .map((e) => `${e.egress ? "out" : "in"} ${e.ruleNumber} ${e.ruleAction}`);
    assert.deepEqual(v6Rules.sort(), ["in 101 allow", "in 32768 deny", "out 101 allow", "out 32768 deny"]);
    assert.equal(withIpv6DefaultAclEntries(with6), with6);
  });
  it("a modified direction gets no allow rule (VPC-UG), only the * deny", () => {
    const modified = {
      ...acl,
      entries: [...acl.entries, { ruleNumber: 50, protocol: "6", ruleAction: "deny" as const, egress: false, cidrBlock: "1.2.3.0/24" }],
    };
    const v6Rules = withIpv6DefaultAclEntries(modified).entries.filter((e) => e.ipv6CidrBlock !== undefined);
    assert.deepEqual(v6Rules.map((e) => `${e.egress ? "out" : "in"} ${e.ruleNumber}`).sort(), ["in 32768", "out 101", "out 32768"]);
  });
  it("the default group gets one ::/0 outbound rule", () => {
    const d = new TopologyBuilder();
    const vpc = d.vpc("10.8.0.0/16");
    d.sg(vpc, { egress: [{}] });
    const g = withIpv6DefaultEgress(d.securityGroups[0]!, "sgr-new");
    assert.deepEqual(
      g.rules.filter((r) => r.cidrIpv6 === "::/0").map((r) => r.ruleId),
      ["sgr-new"],
    );
    assert.equal(withIpv6DefaultEgress(g, "sgr-other"), g);
  });
});

describe("evaluator: IPv6 routing (longest prefix match, local route)", () => {
  const world = () => {
    const d = new Dual();
    const vpc = d.vpc("10.60.0.0/16", "2600:1f18:6000::/56", { igw: true });
    const a = d.subnet(vpc, "10.60.1.0/24");
    const b = d.subnet(vpc, "10.60.2.0/24");
    const open = d.sg(vpc, [{ cidrIpv6: "::/0" }]);
    const ea = d.eni(a, "10.60.1.10", "2600:1f18:6000:1::10", { sgs: [open] });
    const eb = d.eni(b, "10.60.2.10", "2600:1f18:6000:2::10", { sgs: [open] });
    const box = d.eni(b, "10.60.2.20", "2600:1f18:6000:2::20", { sgs: [open], sourceDestCheck: false });
    return { d, vpc, a, b, ea, eb, box };
  };

  it("the local route carries IPv6 between subnets of the VPC, and the reply returns", () => {
    const { d, ea } = world();
    const v = evaluate(d.compile(), probe(ea, "2600:1f18:6000:2::10"), { nowMs: 0 });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reply?.delivered, true, v.explanation);
    assert.match(v.explanation, /TCP \[2600:1f18:6000:1::10\]:40000 → \[2600:1f18:6000:2::10\]:443/);
  });

  it("0.0.0.0/0 does not cover IPv6: no ::/0 route is NO_ROUTE_TO_DESTINATION", () => {
    const { d, a, ea } = world();
    d.t.route(a, "0.0.0.0/0", "igw");
    const v = evaluate(d.compile(), probe(ea, HOST6), { nowMs: 0 });
    assert.equal(v.reason, REASONS.NO_ROUTE_TO_DESTINATION);
    assert.match(v.explanation, /no route that matches 2001:db8::7/);
  });

  it("the longest IPv6 prefix wins: a /48 to a middlebox over ::/0 to the internet gateway", () => {
    const { d, a, ea, box } = world();
    d.route6(a, "::/0", "igw");
    d.route6(a, "2001:db8::/48", box);
    const topo = d.compile();
    const table: [string, RegExp][] = [
      ["2001:db8::7", new RegExp(`route 2001:db8::/48 → ${box}`)],
      ["2001:db9::7", /route ::\/0 → igw-/],
    ];
    for (const [to, hop] of table) {
      const v = evaluate(topo, probe(ea, to), { nowMs: 0, returnPath: false });
      assert.ok(
        v.hops.some((h) => h.type === "route-table" && hop.test(h.detail)),
        `${to}: ${v.hops.map((h) => h.detail).join(" | ")}`,
      );
    }
  });

  it("a middlebox forwards IPv6 as a router (never NAT)", () => {
    const { d, a, ea, box } = world();
    d.route6(a, "2600:1f18:6000:2::10/128", box);
    const v = evaluate(d.compile(), probe(ea, "2600:1f18:6000:2::10"), { nowMs: 0, returnPath: false });
    assert.equal(v.delivered, true, v.explanation);
    assert.ok(v.hops.some((h) => h.component === box && /unchanged/.test(h.detail)));
    assert.ok(v.hops.every((h) => h.rewrite === undefined));
  });

  it("IPv6 to a NAT gateway is dropped: NAT gateways translate IPv4 only", () => {
    const { d, a, b, ea } = world();
    const nat = d.t.natGateway(b, "10.60.2.99", "54.0.0.99");
    d.route6(a, "64:ff9b::/96", nat);
    const v = evaluate(d.compile(), probe(ea, "64:ff9b::808:808"), { nowMs: 0 });
    assert.equal(v.reason, REASONS.EMU_NAT_GATEWAY_IPV6);
    assert.match(v.explanation, /translates IPv4 only/);
  });

  it("a sender without an IPv6 address cannot send IPv6", () => {
    const { d, a } = world();
    const bare = d.eni(a, "10.60.1.30", undefined);
    const v = evaluate(d.compile(), probe(bare, "2600:1f18:6000:2::10"), { nowMs: 0 });
    assert.equal(v.reason, REASONS.EMU_NO_IPV6_ADDRESS);
  });

  it("IPv4 between the same instances is unchanged", () => {
    const { d, ea } = world();
    const open4 = d.t.sg(d.t.vpcs[0]!.id, { ingress: [{}], egress: [{}] });
    const i = d.t.networkInterfaces.findIndex((e) => e.id === ea);
    d.t.networkInterfaces[i] = { ...d.t.networkInterfaces[i]!, groupIds: [open4] };
    const j = d.t.networkInterfaces.findIndex((e) => e.privateIps[0]!.address === "10.60.2.10");
    d.t.networkInterfaces[j] = { ...d.t.networkInterfaces[j]!, groupIds: [open4] };
    const v = evaluate(d.compile(), probe(ea, "10.60.2.10"), { nowMs: 0 });
    assert.equal(v.delivered, true, v.explanation);
    assert.match(v.explanation, /TCP 10\.60\.1\.10:40000 → 10\.60\.2\.10:443/);
  });
});

describe("evaluator: security groups and NACLs over IPv6", () => {
  const world = (ingress: readonly Partial<SecurityGroupRule>[], lists?: Record<string, string[]>) => {
    const d = new Dual();
    const vpc = d.vpc("10.61.0.0/16", "2600:1f18:6100::/56");
    const a = d.subnet(vpc, "10.61.1.0/24");
    const b = d.subnet(vpc, "10.61.2.0/24");
    const client = d.sg(vpc, [], [{ cidrIpv6: "::/0" }]);
    const ea = d.eni(a, "10.61.1.10", "2600:1f18:6100:1::10", { sgs: [client] });
    const ingressResolved = ingress.map((r) => (r.referencedGroupId === "client" ? { ...r, referencedGroupId: client } : r));
    const server = d.sg(vpc, ingressResolved);
    d.eni(b, "10.61.2.10", "2600:1f18:6100:2::10", { sgs: [server] });
    const topo = (extra: Partial<TopologyInput> = {}) => d.compile({ prefixListCidrs: (id) => lists?.[id], ...extra });
    return { d, a, b, ea, topo };
  };
  const to = "2600:1f18:6100:2::10";

  const sgCases: { name: string; ingress: Partial<SecurityGroupRule>[]; port?: number; delivered: boolean }[] = [
    { name: "CidrIpv6 ::/0 on the port", ingress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }], delivered: true },
    { name: "CidrIpv6 of the sender's /64", ingress: [{ cidrIpv6: "2600:1f18:6100:1::/64" }], delivered: true },
    { name: "CidrIpv6 of another /64", ingress: [{ cidrIpv6: "2600:1f18:6100:3::/64" }], delivered: false },
    { name: "CidrIpv6 on another port", ingress: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "::/0" }], delivered: false },
    { name: "IPv4 0.0.0.0/0 does not match IPv6", ingress: [{ cidrIpv4: "0.0.0.0/0" }], delivered: false },
    { name: "a group reference matches the member's IPv6 address", ingress: [{ referencedGroupId: "client" }], delivered: true },
    { name: "an IPv6 prefix-list entry", ingress: [{ prefixListId: "pl-6" }], delivered: true },
    { name: "a prefix list of IPv4 entries only", ingress: [{ prefixListId: "pl-4" }], delivered: false },
  ];
  for (const c of sgCases)
    it(`SG: ${c.name}`, () => {
      const { ea, topo } = world(c.ingress, { "pl-6": ["10.0.0.0/8", "2600:1f18:6100:1::/64"], "pl-4": ["0.0.0.0/0"] });
      const v = evaluate(topo(), probe(ea, to, c.port ?? 443), { nowMs: 0 });
      assert.equal(v.delivered, c.delivered, v.explanation);
      if (!c.delivered) assert.equal(v.reason, REASONS.ENI_SG_RULES_MISMATCH);
    });

  const aclCases: { name: string; entries: Omit<NetworkAclEntry, "protocol">[]; delivered: boolean; reply?: boolean }[] = [
    {
      name: "no IPv6 entries: the * rule denies",
      entries: [],
      delivered: false,
    },
    {
      name: "allow ::/0 both ways",
      entries: [
        { ruleNumber: 100, ruleAction: "allow", egress: false, ipv6CidrBlock: "::/0" },
        { ruleNumber: 100, ruleAction: "allow", egress: true, ipv6CidrBlock: "::/0" },
      ],
      delivered: true,
      reply: true,
    },
    {
      name: "the lower rule number wins: deny 90 for the sender's /64 before allow 100",
      entries: [
        { ruleNumber: 90, ruleAction: "deny", egress: true, ipv6CidrBlock: "2600:1f18:6100:2::/64" },
        { ruleNumber: 100, ruleAction: "allow", egress: true, ipv6CidrBlock: "::/0" },
        { ruleNumber: 100, ruleAction: "allow", egress: false, ipv6CidrBlock: "::/0" },
      ],
      delivered: false,
    },
    {
      name: "allow 80 before deny 90",
      entries: [
        { ruleNumber: 80, ruleAction: "allow", egress: true, ipv6CidrBlock: "2600:1f18:6100:2::/64" },
        { ruleNumber: 90, ruleAction: "deny", egress: true, ipv6CidrBlock: "::/0" },
        { ruleNumber: 100, ruleAction: "allow", egress: false, ipv6CidrBlock: "::/0" },
      ],
      delivered: true,
      reply: true,
    },
    {
      name: "stateless: no inbound entry for the reply",
      entries: [{ ruleNumber: 100, ruleAction: "allow", egress: true, ipv6CidrBlock: "::/0" }],
      delivered: true,
      reply: false,
    },
  ];
  for (const c of aclCases)
    it(`NACL: ${c.name}`, () => {
      const { d, a, ea, topo } = world([{ cidrIpv6: "::/0" }]);
      d.acl6(a, c.entries);
      const v = evaluate(topo(), probe(ea, to), { nowMs: 0 });
      assert.equal(v.delivered, c.delivered, v.explanation);
      if (!c.delivered) assert.equal(v.reason, REASONS.SUBNET_ACL_RESTRICTION);
      if (c.reply !== undefined) assert.equal(v.reply?.delivered, c.reply, v.explanation);
    });
});

describe("evaluator: IPv6 and the internet", () => {
  const world = (gateway: "igw" | "eigw", opts: { pool?: string } = {}) => {
    const d = new Dual();
    const vpc = d.vpc("10.62.0.0/16", "2600:1f18:6200::/56", { igw: gateway === "igw", pool: opts.pool });
    const s = d.subnet(vpc, "10.62.1.0/24");
    const gw = gateway === "eigw" ? d.eigw(vpc) : d.t.igwOf(vpc);
    d.route6(s, "::/0", gateway === "eigw" ? gw : "igw");
    const web = d.sg(vpc, [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }]);
    const e = d.eni(s, "10.62.1.10", "2600:1f18:6200:1::10", { sgs: [web] });
    return { d, vpc, s, gw, e };
  };
  const addr = "2600:1f18:6200:1::10";

  it("internet gateway, inbound: delivered to the instance's IPv6 address unchanged (no NAT), the reply returns", () => {
    const { d, gw, e } = world("igw");
    const v = evaluate(d.compile(), fromInternet(addr), { nowMs: 0 });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.deliveredToEni, e);
    assert.equal(v.reply?.delivered, true, v.explanation);
    assert.ok(v.hops.some((h) => h.type === "internet-gateway" && h.component === gw && h.path === "forward"));
    assert.ok(
      v.hops.every((h) => h.rewrite === undefined),
      "IPv6 is never NATed",
    );
  });

  it("internet gateway, outbound: the instance reaches an internet host from its own IPv6 address", () => {
    const { d, e } = world("igw");
    const seen: FlowObservation[] = [];
    const v = evaluate(d.compile(), probe(e, HOST6), { nowMs: 0, sink: (o) => seen.push({ ...o }) });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reply?.delivered, true, v.explanation);
    // Flow observations: the ENI's IPv6 address on both sides, as the packet carries it.
    const text = seen
      .map(observationToText)
      .map((o) => `${o.direction} ${o.srcAddr} ${o.dstAddr} ${o.pktSrcAddr} ${o.action} ${o.trafficPath ?? "-"}`);
    assert.deepEqual(text, [`egress ${addr} ${HOST6} ${addr} ACCEPT 8`, `ingress ${HOST6} ${addr} ${HOST6} ACCEPT -`]);
  });

  it("internet gateway: the group still decides (no rule for port 22)", () => {
    const { d } = world("igw");
    const v = evaluate(d.compile(), fromInternet(addr, 22), { nowMs: 0 });
    assert.equal(v.reason, REASONS.ENI_SG_RULES_MISMATCH);
  });

  it("egress-only gateway, outbound: delivered and the reply comes back", () => {
    const { d, gw, e } = world("eigw");
    const v = evaluate(d.compile(), probe(e, HOST6), { nowMs: 0 });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reply?.delivered, true, v.explanation);
    assert.ok(v.hops.some((h) => h.type === "egress-only-internet-gateway" && h.component === gw && h.path === "return"));
  });

  it("egress-only gateway, inbound: a connection from the internet is dropped at the gateway, with the reason", () => {
    const { d, gw } = world("eigw");
    const v = evaluate(d.compile(), fromInternet(addr), { nowMs: 0 });
    assert.equal(v.delivered, false);
    assert.equal(v.reason, REASONS.EMU_EGRESS_ONLY_IGW_INBOUND);
    assert.match(v.explanation, new RegExp(`Egress-only internet gateway ${gw} drops TCP \\[2001:db8::7\\]:50000 → \\[${addr}\\]:443`));
    assert.equal(v.hops.at(-1)?.type, "egress-only-internet-gateway");
  });

  it("egress-only gateway with an internet gateway attached: the subnet's ::/0 route decides, still dropped", () => {
    const { d, vpc, gw } = world("eigw");
    d.t.internetGateways.push({ kind: "internet-gateway", id: "igw-00000000000000099", tags: [], ownerId: d.t.account, vpcId: vpc });
    const v = evaluate(d.compile(), fromInternet(addr), { nowMs: 0 });
    assert.equal(v.reason, REASONS.EMU_EGRESS_ONLY_IGW_INBOUND);
    assert.match(v.explanation, new RegExp(gw));
  });

  it("egress-only gateway is stateful: a later packet of a connection started inside passes", () => {
    const { d, e } = world("eigw");
    const topo = d.compile();
    const ct = new ConnTrack();
    const out = evaluate(topo, probe(e, HOST6), { nowMs: 0, conntrack: ct });
    assert.equal(out.delivered, true, out.explanation);
    // The server's next packet of that connection (its source port 443 → the instance's 40000).
    const later: Probe = { from: { kind: "internet", address: v6(HOST6) }, to: v6(addr), protocol: 6, srcPort: 443, dstPort: 40000 };
    assert.equal(evaluate(topo, later, { nowMs: 1000, conntrack: ct, returnPath: false }).delivered, true);
    assert.equal(evaluate(topo, { ...later, srcPort: 444 }, { nowMs: 1000, conntrack: ct }).reason, REASONS.EMU_EGRESS_ONLY_IGW_INBOUND);
  });

  it("a VPC without any internet gateway is not reachable", () => {
    const d = new Dual();
    const vpc = d.vpc("10.63.0.0/16", "2600:1f18:6300::/56");
    const s = d.subnet(vpc, "10.63.1.0/24");
    d.eni(s, "10.63.1.10", "2600:1f18:6300:1::10", { sgs: [d.sg(vpc, [{ cidrIpv6: "::/0" }])] });
    const v = evaluate(d.compile(), fromInternet("2600:1f18:6300:1::10"), { nowMs: 0 });
    assert.equal(v.reason, REASONS.EMU_NO_INTERNET_GATEWAY);
  });

  it("an address no ENI holds, and a non-global address", () => {
    const { d } = world("igw");
    const topo = d.compile();
    assert.equal(evaluate(topo, fromInternet("2600:1f18:6200:1::99"), { nowMs: 0 }).reason, REASONS.EMU_ADDRESS_NOT_IN_USE);
    assert.equal(evaluate(topo, fromInternet("fd00::1"), { nowMs: 0 }).reason, REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET);
  });

  it("BYOIP IPv6: reachable from the internet only while the internet routes the range to AWS", () => {
    const { d } = world("igw", { pool: "ipv6pool-ec2-0123456789abcdef0" });
    const withdrawn = evaluate(
      d.compile({
        internetRoutesToAws: () => false,
        whyNotRoutedToAws: () => "its range 2600:1f18:6200::/48 is provisioned, not advertised",
      }),
      fromInternet(addr),
      { nowMs: 0 },
    );
    assert.equal(withdrawn.reason, REASONS.EMU_BYOIP_NOT_ROUTED_TO_AWS);
    assert.match(withdrawn.explanation, /2600:1f18:6200:1::10 is a BYOIP address.*provisioned, not advertised/);
    const asked: string[] = [];
    const advertised = evaluate(d.compile({ internetRoutesToAws: (a) => (asked.push(a), true) }), fromInternet(addr), { nowMs: 0 });
    assert.equal(advertised.delivered, true, advertised.explanation);
    assert.ok(asked.includes(addr));
  });

  it("an Amazon-provided block never asks the BGP view", () => {
    const { d } = world("igw");
    const v = evaluate(d.compile({ internetRoutesToAws: () => false }), fromInternet(addr), { nowMs: 0 });
    assert.equal(v.delivered, true, v.explanation);
  });
});

describe("evaluator: IPv6 over VPC peering", () => {
  it("both VPCs with IPv6 and routes through the connection: delivered both ways; no route: dropped", () => {
    const d = new Dual();
    const va = d.vpc("10.64.0.0/16", "2600:1f18:6400::/56");
    const vb = d.vpc("10.65.0.0/16", "2600:1f18:6500::/56");
    const sa = d.subnet(va, "10.64.1.0/24");
    const sb = d.subnet(vb, "10.65.1.0/24");
    const ea = d.eni(sa, "10.64.1.10", "2600:1f18:6400:1::10", { sgs: [d.sg(va, [{ cidrIpv6: "::/0" }])] });
    d.eni(sb, "10.65.1.10", "2600:1f18:6500:1::10", { sgs: [d.sg(vb, [{ cidrIpv6: "::/0" }])] });
    const peerings = [{ id: "pcx-ab", vpcIds: [va, vb] as [string, string], interRegion: false }];
    const none = evaluate(d.compile({ peerings }), probe(ea, "2600:1f18:6500:1::10"), { nowMs: 0 });
    assert.equal(none.reason, REASONS.NO_ROUTE_TO_DESTINATION);
    assert.match(none.explanation, /peered VPC .* through pcx-ab/);
    d.route6(sa, "2600:1f18:6500::/56", "pcx-ab");
    d.route6(sb, "2600:1f18:6400::/56", "pcx-ab");
    const v = evaluate(d.compile({ peerings }), probe(ea, "2600:1f18:6500:1::10"), { nowMs: 0 });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reply?.delivered, true, v.explanation);
  });
});
