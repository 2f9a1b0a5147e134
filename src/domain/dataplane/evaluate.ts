/**
 * The packet evaluator: one probe (source, destination, protocol, ports) through a compiled topology, hop by hop,
 * to a verdict. Pure: no I/O, no clock (`nowMs` is passed in), flow observations go to an injected sink.
 *
 * Pipeline (shared/spec/dataplane.md §2.7): source ENI (instance state, source/dest check, SG egress or tracked) →
 * route table (longest prefix) → NACL out when leaving the subnet → target (local ENI, middlebox ENI / NAT instance,
 * NAT gateway with source NAT, internet gateway with 1:1 NAT) → NACL in when entering a subnet → destination ENI
 * (instance state, source/dest check, SG ingress or tracked). A delivered request is followed by its reply on the
 * return path: SGs let it through by connection tracking, NACLs (stateless) and routes are evaluated again.
 */
import type { FlowAction, FlowDirection, FlowObservation, FlowSink } from "../flow-observation.js";
import type { ConnTrack } from "./conntrack.js";
import { isPublicIpv4, numberToIpv4 } from "./ip.js";
import { REASONS, type ReasonCode } from "./reasons.js";
import { firstMatch } from "./port-index.js";
import {
  eniAt,
  eniOwns,
  type CAcl,
  type CEni,
  type CInstance,
  type CRoute,
  type CSgRule,
  type CSubnet,
  type Topology,
} from "./topology.js";

export type ProbeSource = { readonly kind: "eni"; readonly eniId: string } | { readonly kind: "internet"; readonly address: number };

export interface Probe {
  readonly from: ProbeSource;
  /** Destination IPv4 address. */
  readonly to: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 1 ICMP. */
  readonly protocol: number;
  readonly srcPort: number;
  /** Destination port (TCP/UDP) or ICMP type. */
  readonly dstPort: number;
}

export interface EvalOptions {
  readonly nowMs: number;
  readonly sink?: FlowSink | undefined;
  /** Connection state that outlives one probe (the traffic engine's); without it each probe starts a new flow. */
  readonly conntrack?: ConnTrack | undefined;
  /** Record hops with their sentences (default true); the bench turns it off to count bare verdicts. */
  readonly trace?: boolean | undefined;
  /** Evaluate the reply of a delivered request (default true). */
  readonly returnPath?: boolean | undefined;
  readonly bytes?: number | undefined;
}

export type HopType =
  "network-interface" | "security-group" | "network-acl" | "route-table" | "internet-gateway" | "nat-gateway" | "instance" | "internet";

export interface Hop {
  readonly path: "forward" | "return";
  readonly type: HopType;
  readonly component: string;
  readonly action: "pass" | "drop" | "deliver" | "forward";
  readonly detail: string;
  readonly rewrite?: { readonly field: "source" | "destination"; readonly from: string; readonly to: string } | undefined;
}

export interface Verdict {
  readonly delivered: boolean;
  readonly reason: ReasonCode | null;
  readonly explanation: string;
  readonly deliveredTo: string | null;
  /** The ENI the request reached (null for the internet or a drop). */
  readonly deliveredToEni: string | null;
  /** The reply's fate, when the request was delivered and the return path was evaluated. */
  readonly reply?: { readonly delivered: boolean; readonly reason: ReasonCode | null; readonly explanation: string } | undefined;
  readonly hops: Hop[];
}

interface Pkt {
  readonly src: number;
  readonly dst: number;
  readonly sport: number;
  readonly dport: number;
  readonly proto: number;
}

interface Translation {
  readonly natAddr: number;
  readonly origSrc: number;
}

/**
 * A drop's sentence, from the (up to two) values it names. Sentences are the module-level functions below, and a drop
 * keeps the function and its values, so the sentence is built only when read (the hot path never reads it) and
 * nothing is allocated for it but the drop itself. Why not a closure at the drop site: an arrow function is a new
 * object every time its expression is reached, and one that captured a walk function's variables would make V8
 * allocate a context on every call of that function, drop or not.
 */
type Sentence<A, B> = (a: A, b: B) => string;

class Drop {
  readonly ok = false as const;
  constructor(
    readonly reason: ReasonCode,
    /** Dropped on the return path: the request was delivered. */
    readonly onReply: boolean,
    readonly sentence: Sentence<never, never>,
    readonly a: unknown,
    readonly b: unknown,
  ) {}
  explain(): string {
    // `Walk.drop` stored the sentence with the values its signature ties to it.
    const s = (this.sentence as Sentence<unknown, unknown>)(this.a, this.b);
    return this.onReply ? `The request was delivered, but its reply was dropped: ${s}` : s;
  }
}
/**
 * A delivery. One constant: what was reached is left on the walk (`Walk.reached*`), read by `walkProbe` before the
 * next leg, so that a delivered packet allocates nothing for it.
 */
interface Reached {
  readonly ok: true;
}
const REACHED: Reached = { ok: true };
type Outcome = Drop | Reached;

const MAX_DEPTH = 8;
const PROTO_NAME: Readonly<Record<number, string>> = { 6: "TCP", 17: "UDP", 1: "ICMP" };
/** Address text, memoised: flow observations and sentences format the same few addresses over and over. */
const textCache = new Map<number, string>();
const ip = (n: number): string => {
  let t = textCache.get(n);
  if (t === undefined) {
    if (textCache.size > 65_536) textCache.clear();
    t = numberToIpv4(n);
    textCache.set(n, t);
  }
  return t;
};

/**
 * The observation every walk hands to the sink, one object reused for every ENI a packet is seen at and for every
 * verdict (a sink copies what it keeps, see `FlowSink`; evaluation is synchronous, so no two walks share it at once).
 */
type ScratchObservation = { -readonly [K in keyof FlowObservation]: FlowObservation[K] };
let scratch: ScratchObservation | undefined;

/** When hops are not traced (the bench, flow-only callers), every verdict shares this empty list. */
const NO_HOPS: Hop[] = [];

class Walk {
  hops: Hop[] = NO_HOPS;
  path: "forward" | "return" = "forward";
  translations: Map<string, Translation> | undefined;
  trace = false;
  topo!: Topology;
  opts!: EvalOptions;

  /** (Re)starts the walk for one probe: walks are reused, see `spareWalk`. */
  start(topo: Topology, opts: EvalOptions): void {
    this.topo = topo;
    this.opts = opts;
    this.trace = opts.trace !== false;
    this.hops = this.trace ? [] : NO_HOPS;
    this.path = "forward";
    this.translations = undefined;
    this.reachedEni = null;
    this.reachedPkt = undefined;
  }

  get reply(): boolean {
    return this.path === "return";
  }

  hop(type: HopType, component: string, action: Hop["action"], detail: string, rewrite?: Hop["rewrite"]): void {
    this.hops.push({ path: this.path, type, component, action, detail, rewrite });
  }

  /** The ENI (null: an internet host) and packet of the latest delivery (see `Reached`). */
  reachedEni: CEni | null = null;
  reachedPkt: Pkt | undefined;

  reach(eni: CEni | null, p: Pkt): Reached {
    this.reachedEni = eni;
    this.reachedPkt = p;
    return REACHED;
  }

  drop<A, B>(reason: ReasonCode, sentence: Sentence<A, B>, a: A, b: B): Drop {
    return new Drop(reason, this.reply, sentence, a, b);
  }

  observe(eni: CEni, direction: FlowDirection, p: Pkt, action: FlowAction, trafficPath?: number): void {
    const sink = this.opts.sink;
    if (!sink) return;
    const icmp = p.proto === 1;
    const o = (scratch ??= {
      eni,
      direction,
      srcAddr: 0,
      dstAddr: 0,
      pktSrcAddr: 0,
      pktDstAddr: 0,
      srcPort: 0,
      dstPort: 0,
      protocol: 0,
      packets: 1,
      bytes: this.opts.bytes ?? 64,
      action,
      tcpFlags: 0,
      trafficPath: undefined,
      atMs: this.opts.nowMs,
    });
    o.eni = eni;
    o.direction = direction;
    // AWS: the local side is always the ENI's primary private IPv4; pkt-* keep the packet's own addresses.
    o.srcAddr = direction === "egress" ? eni.primaryIp : p.src;
    o.dstAddr = direction === "ingress" ? eni.primaryIp : p.dst;
    o.pktSrcAddr = p.src;
    o.pktDstAddr = p.dst;
    o.srcPort = icmp ? 0 : p.sport;
    o.dstPort = icmp ? 0 : p.dport;
    o.protocol = p.proto;
    o.action = action;
    o.tcpFlags = p.proto === 6 ? (this.path === "return" ? 18 : 2) : 0;
    o.trafficPath = direction === "egress" ? trafficPath : undefined;
    o.packets = 1;
    o.bytes = this.opts.bytes ?? 64;
    o.atMs = this.opts.nowMs;
    sink(o);
  }
}

const describePkt = (p: Pkt): string =>
  p.proto === 1
    ? `ICMP ${ip(p.src)} → ${ip(p.dst)}`
    : `${PROTO_NAME[p.proto] ?? `protocol ${p.proto}`} ${ip(p.src)}:${p.sport} → ${ip(p.dst)}:${p.dport}`;

/**
 * An untracked flow (EC2-UG): TCP/UDP allowed by a 0.0.0.0/0 rule with an all-ports 0.0.0.0/0 rule in the other
 * direction. ICMP and other protocols are always tracked.
 */
const untracked = (eni: CEni, egress: boolean, matched: CSgRule, proto: number): boolean => {
  if ((proto !== 6 && proto !== 17) || matched.cidr?.len !== 0) return false;
  return ((egress ? eni.openIngress : eni.openEgress) & (proto === 6 ? 1 : 2)) !== 0;
};

/** SG decision with connection tracking; records a hop. */
const sgAllows = (w: Walk, eni: CEni, egress: boolean, p: Pkt): boolean => {
  if (eni.natGateway) return true; // NAT gateways have no security groups
  const ct = w.opts.conntrack;
  // The flow as the ENI sees it: local = the ENI's side.
  const local = egress ? p.src : p.dst;
  const remote = egress ? p.dst : p.src;
  const lport = egress ? p.sport : p.dport;
  const rport = egress ? p.dport : p.sport;
  const known = ct !== undefined && ct.has(eni.id, p.proto, local, remote, lport, rport, w.opts.nowMs);
  if (w.reply || known) {
    if (w.trace)
      w.hop(
        "security-group",
        eni.sgs.map((g) => g.id).join(",") || eni.id,
        "pass",
        `${egress ? "egress" : "ingress"} allowed by connection tracking`,
      );
    if (known) ct.track(eni.id, p.proto, local, remote, lport, rport, w.opts.nowMs); // activity refreshes the idle timeout
    return true;
  }
  // The first rule of the union of the ENI's groups (one precompiled list) that allows the packet (port-index.ts).
  const index = egress ? eni.egressIndex : eni.ingressIndex;
  const i = firstMatch(index, p.proto, p.dport, remote);
  if (i < 0) {
    if (w.trace)
      w.hop(
        "security-group",
        eni.sgs.map((g) => g.id).join(",") || eni.id,
        "drop",
        `no ${egress ? "outbound" : "inbound"} rule allows ${describePkt(p)}`,
      );
    return false;
  }
  // Only tracking and hops need the rule itself.
  if (ct === undefined && !w.trace) return true;
  const r = index.rules[i]!;
  const isUntracked = untracked(eni, egress, r, p.proto);
  if (ct && !isUntracked) ct.track(eni.id, p.proto, local, remote, lport, rport, w.opts.nowMs);
  if (w.trace)
    w.hop(
      "security-group",
      r.ruleId,
      "pass",
      `${egress ? "outbound" : "inbound"} rule ${r.ruleId}${r.prefixListId !== undefined ? ` (prefix list ${r.prefixListId}, entry ${r.prefixListEntry ?? ""})` : ""} allows it${isUntracked ? " (untracked flow)" : ""}`,
    );
  return true;
};

/** NACL decision: first matching rule by number; nothing matched = the `*` deny. */
const aclAllows = (w: Walk, acl: CAcl, subnetId: string, egress: boolean, p: Pkt): boolean => {
  // The first entry by rule number that matches (port-index.ts).
  const index = egress ? acl.egressIndex : acl.ingressIndex;
  const i = firstMatch(index, p.proto, p.dport, egress ? p.dst : p.src);
  if (i >= 0) {
    const r = index.rules[i]!;
    if (w.trace) {
      const n = r.n === 32767 ? "*" : String(r.n);
      w.hop(
        "network-acl",
        acl.id,
        r.allow ? "pass" : "drop",
        `${egress ? "outbound" : "inbound"} rule ${n} of ${subnetId}'s network ACL ${r.allow ? "allows" : "denies"} it`,
      );
    }
    return r.allow;
  }
  if (w.trace)
    w.hop(
      "network-acl",
      acl.id,
      "drop",
      `no ${egress ? "outbound" : "inbound"} rule of ${subnetId}'s network ACL matches; the * rule denies it`,
    );
  return false;
};

/** The longest-prefix match (routes are sorted longest first): the first whose destination holds `dst`. */
const lpm = (s: CSubnet, dst: number): CRoute | undefined => {
  const nets = s.routeNets;
  for (let i = 0; i < nets.length; i += 2) if ((dst & nets[i + 1]!) === nets[i]!) return s.routes[i >> 1];
  return undefined;
};

/*
 * Drop sentences, one per reason and place (what `traffic send` and the console print). Each names the component that
 * dropped the packet and, where there is one, what to change.
 */
const ACL_STATELESS = "network ACLs are stateless: replies need their own rule, usually ephemeral ports 1024-65535";
const notAttached: Sentence<CEni, boolean> = (eni, sending) =>
  `Network interface ${eni.id} is not attached to any instance, so nothing ${sending ? "sends from" : "receives at"} it.`;
const notRunning: Sentence<CInstance, boolean> = (inst, sending) =>
  `Instance ${inst.id} is ${inst.state}; only a running instance ${sending ? "sends" : "receives"} traffic.`;
const impaired: Sentence<CInstance, undefined> = (inst) =>
  `Instance ${inst.id} has failed (localvpc chaos fail-instance) and does not answer; move its ENI to a standby or recover it.`;
const routingLoop: Sentence<undefined, undefined> = () =>
  `The packet looped through more than ${MAX_DEPTH} hops; check routes that point at network interfaces.`;
const sourceCheckOut: Sentence<CEni, Pkt> = (eni, p) =>
  `Network interface ${eni.id} has source/destination check enabled, so it rejects outbound traffic whose source (${ip(p.src)}) is not one of its own private addresses. Disable the check on instances that route or NAT.`;
const sourceCheckIn: Sentence<CEni, Pkt> = (eni, p) =>
  `Network interface ${eni.id} has source/destination check enabled, so it rejects inbound traffic for ${ip(p.dst)}, which is not one of its own private addresses. A NAT or router instance needs the check disabled (ModifyNetworkInterfaceAttribute --no-source-dest-check).`;
const groups = (eni: CEni): string => eni.sgs.map((g) => g.id).join(", ") || "none";
const sgOut: Sentence<CEni, Pkt> = (eni, p) => `No outbound rule of ${eni.id}'s security groups (${groups(eni)}) allows ${describePkt(p)}.`;
const sgIn: Sentence<CEni, Pkt> = (eni, p) => `No inbound rule of ${eni.id}'s security groups (${groups(eni)}) allows ${describePkt(p)}.`;
const noRoute: Sentence<CEni, Pkt> = (eni, p) =>
  `Route table ${eni.subnet.routeTableId} of subnet ${eni.subnet.id} has no route that matches ${ip(p.dst)}.`;
const blackhole: Sentence<CEni, CRoute> = (eni, route) =>
  `The route ${route.destText} in ${eni.subnet.routeTableId} points at ${route.targetId}, which is not available (detached, deleted or not ready), so the route is a blackhole.`;
const addressNotInUse: Sentence<CEni, Pkt> = (eni, p) =>
  `No network interface in ${eni.vpcId} has the address ${ip(p.dst)}, so the VPC router has nowhere to deliver it.`;
/** Leaving `eni`'s subnet. */
const aclOut: Sentence<CEni, Pkt> = (eni, p) =>
  `The network ACL ${eni.subnet.acl.id} of subnet ${eni.subnet.id} does not allow ${describePkt(p)} out of the subnet (${ACL_STATELESS}).`;
/** Entering `eni`'s subnet. */
const aclIn: Sentence<CEni, Pkt> = (eni, p) =>
  `The network ACL ${eni.subnet.acl.id} of subnet ${eni.subnet.id} does not allow ${describePkt(p)} into the subnet (${ACL_STATELESS}).`;
const noPublicIp: Sentence<Pkt, CRoute> = (p, route) =>
  `Internet gateway ${route.targetId} drops the packet: its source ${ip(p.src)} has no public IPv4 address or Elastic IP. Give the instance a public IP or send it through a NAT gateway.`;
const notPublic: Sentence<Pkt, undefined> = (p) => `${ip(p.dst)} is not a public address; the internet does not route it.`;
const privateFromInternet: Sentence<Pkt, undefined> = (p) =>
  `${ip(p.dst)} is a private address; nothing on the internet can reach it. Use the instance's public or Elastic IP.`;
/** `why` is the topology's own function (the walk may serve another probe by the time the sentence is read). */
const byoipNotRouted: Sentence<Pkt, Topology["whyNotRoutedToAws"]> = (p, why) =>
  `${ip(p.dst)} is a BYOIP address, but the internet does not route it to AWS: ${why?.(ip(p.dst)) ?? "its range is not advertised, or another announcement wins"}, so the packet never reaches the VPC.`;
const noSuchPublicIp: Sentence<Pkt, undefined> = (p) =>
  `${ip(p.dst)} is not the public or Elastic IP of any network interface, so no internet gateway accepts traffic for it.`;
const noInternetGateway: Sentence<Pkt, CEni> = (p, eni) =>
  `${ip(p.dst)} belongs to ${eni.id} in ${eni.vpcId}, which has no internet gateway attached.`;
const publicIpNotAttached: Sentence<Pkt, CEni> = (p, eni) =>
  `${ip(p.dst)} maps to ${eni.id}, which is not attached to an instance; an internet gateway only forwards to an interface with an available attachment.`;
const natUnsolicited: Sentence<CEni, Pkt> = (eni, p) =>
  `A NAT gateway does not accept connections initiated from outside; ${eni.id} drops ${describePkt(p)}.`;

const instanceDrop = (w: Walk, eni: CEni, sending: boolean): Drop | undefined => {
  if (eni.usable) return undefined;
  if (!eni.attached) {
    if (w.trace) w.hop("network-interface", eni.id, "drop", "the network interface is not attached to an instance");
    return w.drop(REASONS.EMU_ENI_NOT_ATTACHED, notAttached, eni, sending);
  }
  const inst = eni.instance;
  if (!inst) return undefined;
  if (inst.state !== "running") {
    if (w.trace) w.hop("instance", inst.id, "drop", `the instance is ${inst.state}`);
    return w.drop(REASONS.EMU_INSTANCE_NOT_RUNNING, notRunning, inst, sending);
  }
  if (inst.impaired) {
    if (w.trace) w.hop("instance", inst.id, "drop", "the instance is impaired (chaos fail-instance)");
    return w.drop(REASONS.EMU_INSTANCE_IMPAIRED, impaired, inst, undefined);
  }
  return undefined;
};

/** A packet leaving an ENI (sent by its instance, or forwarded by a NAT instance / NAT gateway). */
const egress = (w: Walk, eni: CEni, p: Pkt, depth: number): Outcome => {
  if (depth > MAX_DEPTH) return w.drop(REASONS.EMU_ROUTING_LOOP, routingLoop, undefined, undefined);
  if (!eni.natGateway) {
    const d = instanceDrop(w, eni, true);
    if (d) return d;
  }
  if (w.trace) w.hop("network-interface", eni.id, "pass", `leaves ${eni.id} (${eni.primaryIpText}) in ${eni.subnet.id}`);
  if (eni.sourceDestCheck && !eniOwns(eni, p.src)) {
    if (w.trace)
      w.hop("network-interface", eni.id, "drop", `source ${ip(p.src)} is not one of the interface's addresses and source/dest check is on`);
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.ENI_SOURCE_DEST_CHECK_RESTRICTION, sourceCheckOut, eni, p);
  }
  if (!sgAllows(w, eni, true, p)) {
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.ENI_SG_RULES_MISMATCH, sgOut, eni, p);
  }
  const route = lpm(eni.subnet, p.dst);
  if (!route) {
    if (w.trace) w.hop("route-table", eni.subnet.routeTableId, "drop", `no route matches ${ip(p.dst)}`);
    w.observe(eni, "egress", p, "ACCEPT", 1);
    return w.drop(REASONS.NO_ROUTE_TO_DESTINATION, noRoute, eni, p);
  }
  if (route.kind === "blackhole") {
    if (w.trace) w.hop("route-table", eni.subnet.routeTableId, "drop", `route ${route.destText} → ${route.targetId} is a blackhole`);
    w.observe(eni, "egress", p, "ACCEPT", 1);
    return w.drop(REASONS.BAD_STATE_ROUTE, blackhole, eni, route);
  }
  if (w.trace) w.hop("route-table", eni.subnet.routeTableId, "pass", `route ${route.destText} → ${route.targetId} (longest prefix match)`);
  if (route.kind === "igw") return viaInternetGateway(w, eni, p, route, depth);
  let dest: CEni | undefined;
  if (route.kind === "local") dest = eniAt(eni.vpc, p.dst);
  else if (route.kind === "eni") dest = w.topo.enis.get(route.targetId);
  else {
    const nat = w.topo.natGateways.get(route.targetId);
    dest = nat?.eni;
    if (dest) w.hop("nat-gateway", route.targetId, "pass", `NAT gateway ${route.targetId} receives it`);
  }
  if (!dest) {
    w.observe(eni, "egress", p, "ACCEPT", 1);
    if (w.trace) w.hop("route-table", eni.subnet.routeTableId, "drop", `no network interface in ${eni.vpcId} holds ${ip(p.dst)}`);
    return w.drop(REASONS.EMU_ADDRESS_NOT_IN_USE, addressNotInUse, eni, p);
  }
  const cross = dest.subnet !== eni.subnet;
  if (cross && !aclAllows(w, eni.subnet.acl, eni.subnet.id, true, p)) {
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclOut, eni, p);
  }
  w.observe(eni, "egress", p, "ACCEPT", 1);
  if (cross && !aclAllows(w, dest.subnet.acl, dest.subnet.id, false, p)) {
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, dest, p);
  }
  return ingress(w, dest, p, depth + 1);
};

const viaInternetGateway = (w: Walk, eni: CEni, p: Pkt, route: CRoute, depth: number): Outcome => {
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, true, p)) {
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclOut, eni, p);
  }
  w.observe(eni, "egress", p, "ACCEPT", 8);
  const pub = eni.publicByPrivate.get(p.src);
  if (pub === undefined) {
    if (w.trace) w.hop("internet-gateway", route.targetId, "drop", `${ip(p.src)} has no public IPv4 or Elastic IP`);
    return w.drop(REASONS.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS, noPublicIp, p, route);
  }
  if (w.trace)
    w.hop("internet-gateway", route.targetId, "forward", "1:1 NAT to the public address", {
      field: "source",
      from: ip(p.src),
      to: ip(pub),
    });
  return toInternet(w, { ...p, src: pub }, depth);
};

/** A packet on the internet, headed for `p.dst`: an internet host, or back into AWS (hairpin). */
const toInternet = (w: Walk, p: Pkt, depth: number): Outcome => {
  if (!isPublicIpv4(p.dst)) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "not a public address");
    return w.drop(REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET, notPublic, p, undefined);
  }
  if (w.topo.publicIps.has(p.dst) || w.topo.routesToAws(p.dst)) return fromInternet(w, p, depth + 1);
  if (w.trace) w.hop("internet", ip(p.dst), "deliver", `internet host ${ip(p.dst)} receives it`);
  return w.reach(null, p);
};

/** A packet from the internet arriving at AWS's edge for a public address. */
const fromInternet = (w: Walk, p: Pkt, depth: number): Outcome => {
  if (!isPublicIpv4(p.dst)) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "not a public address");
    return w.drop(REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET, privateFromInternet, p, undefined);
  }
  const mapped = w.topo.publicIps.get(p.dst);
  if (!w.topo.routesToAws(p.dst)) {
    if (!mapped) {
      if (w.trace) w.hop("internet", ip(p.dst), "deliver", `internet host ${ip(p.dst)} receives it`);
      return w.reach(null, p);
    }
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "the internet does not route this address to AWS");
    return w.drop(REASONS.EMU_BYOIP_NOT_ROUTED_TO_AWS, byoipNotRouted, p, w.topo.whyNotRoutedToAws);
  }
  if (!mapped) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "no network interface has this public address");
    return w.drop(REASONS.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, noSuchPublicIp, p, undefined);
  }
  const vpc = w.topo.vpcs.get(mapped.eni.vpcId)!;
  if (!vpc.igwId) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", `${vpc.id} has no internet gateway`);
    return w.drop(REASONS.EMU_NO_INTERNET_GATEWAY, noInternetGateway, p, mapped.eni);
  }
  if (!mapped.eni.attached) {
    if (w.trace) w.hop("internet-gateway", vpc.igwId, "drop", `${mapped.eni.id} is not attached`);
    return w.drop(REASONS.IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS, publicIpNotAttached, p, mapped.eni);
  }
  const q = { ...p, dst: mapped.privateIp };
  if (w.trace)
    w.hop("internet-gateway", vpc.igwId, "forward", "1:1 NAT to the private address", {
      field: "destination",
      from: ip(p.dst),
      to: ip(q.dst),
    });
  const eni = mapped.eni;
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, false, q)) {
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, eni, q);
  }
  return ingress(w, eni, q, depth + 1);
};

/** A packet arriving at an ENI: delivered to its instance, or forwarded (NAT instance, NAT gateway). */
const ingress = (w: Walk, eni: CEni, p: Pkt, depth: number): Outcome => {
  if (!eni.natGateway) {
    const d = instanceDrop(w, eni, false);
    if (d) return d;
  }
  const owns = eniOwns(eni, p.dst);
  if (!owns && eni.sourceDestCheck) {
    if (w.trace)
      w.hop(
        "network-interface",
        eni.id,
        "drop",
        `destination ${ip(p.dst)} is not one of the interface's addresses and source/dest check is on`,
      );
    w.observe(eni, "ingress", p, "REJECT");
    return w.drop(REASONS.ENI_SOURCE_DEST_CHECK_RESTRICTION, sourceCheckIn, eni, p);
  }
  const translation = w.reply && owns ? w.translations?.get(eni.id) : undefined;
  if (eni.natGateway && owns && !translation) {
    if (w.trace) w.hop("nat-gateway", eni.id, "drop", "a NAT gateway accepts only replies to connections from inside the VPC");
    return w.drop(REASONS.EMU_NAT_GATEWAY_UNSOLICITED, natUnsolicited, eni, p);
  }
  if (!sgAllows(w, eni, false, p)) {
    w.observe(eni, "ingress", p, "REJECT");
    return w.drop(REASONS.ENI_SG_RULES_MISMATCH, sgIn, eni, p);
  }
  w.observe(eni, "ingress", p, "ACCEPT");
  if (translation && translation.natAddr === p.dst) {
    const q = { ...p, dst: translation.origSrc };
    if (w.trace)
      w.hop(eni.natGateway ? "nat-gateway" : "network-interface", eni.id, "forward", "reverse NAT of the reply", {
        field: "destination",
        from: ip(p.dst),
        to: ip(q.dst),
      });
    return egress(w, eni, q, depth + 1);
  }
  if (owns) {
    if (w.trace)
      w.hop(
        eni.instanceId ? "instance" : "network-interface",
        eni.instanceId ?? eni.id,
        "deliver",
        `delivered to ${eni.instanceId ?? eni.id} at ${ip(p.dst)}`,
      );
    return w.reach(eni, p);
  }
  // Source/dest check is off and the packet is for someone else: the instance (or NAT gateway) forwards it with source NAT.
  (w.translations ??= new Map()).set(eni.id, { natAddr: eni.primaryIp, origSrc: p.src });
  const q = { ...p, src: eni.primaryIp };
  if (w.trace)
    w.hop(eni.natGateway ? "nat-gateway" : "network-interface", eni.id, "forward", "forwards it with source NAT", {
      field: "source",
      from: ip(p.src),
      to: ip(q.src),
    });
  return egress(w, eni, q, depth + 1);
};

/** A delivery's sentence: where `first` (the packet as sent) ended up, at `dst` (its destination there). */
const deliveredExplanation = (eni: CEni | null, dst: number, first: Pkt): string =>
  eni?.instanceId
    ? `${describePkt(first)} reaches instance ${eni.instanceId} (${eni.id}).`
    : eni
      ? `${describePkt(first)} reaches network interface ${eni.id}.`
      : `${describePkt(first)} reaches the internet host ${ip(dst)}.`;

/**
 * A verdict whose sentence is built only when read: a drop keeps its `Drop`, a delivery what it reached (no closure
 * per verdict; the hot path never reads sentences).
 */
class VerdictImpl implements Verdict {
  constructor(
    readonly delivered: boolean,
    readonly reason: ReasonCode | null,
    readonly hops: Hop[],
    readonly reply: Verdict["reply"],
    readonly drop: Drop | undefined,
    /** A delivery: the ENI reached (null: an internet host), the packet's destination there, the packet as sent. */
    readonly eni: CEni | null = null,
    readonly dst = 0,
    readonly first?: Pkt | undefined,
  ) {}
  get deliveredTo(): string | null {
    return this.eni?.instanceId ?? null;
  }
  get deliveredToEni(): string | null {
    return this.eni?.id ?? null;
  }
  get explanation(): string {
    if (this.first === undefined) return this.drop!.explain();
    const d = deliveredExplanation(this.eni, this.dst, this.first);
    if (this.reply === undefined) return d;
    return this.reply.delivered ? `${d} The reply returns.` : `${d} ${this.reply.explanation}`;
  }
  toJSON(): Omit<Verdict, "toJSON"> {
    const { delivered, reason, explanation, deliveredTo, deliveredToEni, reply, hops } = this;
    return { delivered, reason, explanation, deliveredTo, deliveredToEni, reply, hops };
  }
}

/**
 * One walk is kept for the next call (evaluation is synchronous; a call made while one runs, e.g. from a sink, gets
 * its own): a verdict keeps only the walk's hops, which a traced walk makes anew each time.
 */
let spareWalk: Walk | undefined;

/** Evaluates one probe and, when delivered, its reply. */
export const evaluate = (topo: Topology, probe: Probe, opts: EvalOptions): Verdict => {
  const w = spareWalk ?? new Walk();
  spareWalk = undefined;
  w.start(topo, opts);
  try {
    return walkProbe(w, topo, probe, opts);
  } finally {
    spareWalk = w;
  }
};

const walkProbe = (w: Walk, topo: Topology, probe: Probe, opts: EvalOptions): Verdict => {
  let first: Pkt;
  let out: Outcome;
  if (probe.from.kind === "eni") {
    const eni = topo.enis.get(probe.from.eniId);
    if (!eni) throw new Error(`unknown ENI ${probe.from.eniId}`);
    first = { src: eni.primaryIp, dst: probe.to, sport: probe.srcPort, dport: probe.dstPort, proto: probe.protocol };
    out = egress(w, eni, first, 0);
  } else {
    first = { src: probe.from.address, dst: probe.to, sport: probe.srcPort, dport: probe.dstPort, proto: probe.protocol };
    if (w.trace) w.hop("internet", ip(first.src), "pass", `internet host ${ip(first.src)} sends it`);
    out = fromInternet(w, first, 0);
  }
  if (!out.ok) return new VerdictImpl(false, out.reason, w.hops, undefined, out);
  // What the request reached (the reply's walk overwrites the walk's fields).
  const eni = w.reachedEni;
  const p = w.reachedPkt!;
  if (opts.returnPath === false) return new VerdictImpl(true, null, w.hops, undefined, undefined, eni, p.dst, first);
  w.path = "return";
  const reply: Pkt = { src: p.dst, dst: p.src, sport: p.dport, dport: p.sport, proto: p.proto };
  const back = eni ? egress(w, eni, reply, 0) : fromInternet(w, reply, 0);
  return new VerdictImpl(true, null, w.hops, back.ok ? REPLY_OK : new ReplyDrop(back), undefined, eni, p.dst, first);
};

/** A reply's drop, its sentence built when read. */
class ReplyDrop {
  readonly delivered = false;
  constructor(readonly drop: Drop) {}
  get reason(): ReasonCode {
    return this.drop.reason;
  }
  get explanation(): string {
    return this.drop.explain();
  }
  toJSON(): NonNullable<Verdict["reply"]> {
    return { delivered: false, reason: this.reason, explanation: this.explanation };
  }
}

const REPLY_OK = { delivered: true, reason: null, explanation: "The reply returns." } as const;
