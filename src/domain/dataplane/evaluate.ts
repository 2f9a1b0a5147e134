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
import { inNet, isPublicIpv4 } from "./ip.js";
import { addressText, inNet6, isPublicIpv6, MAX_IPV4 } from "./ip6.js";
import { hashedNatPort } from "./nat-ports.js";
import { REASONS, type ReasonCode } from "./reasons.js";
import { firstMatch, type PortIndex } from "./port-index.js";
import {
  awsServiceAt,
  eniAt,
  eniOwns,
  type CAcl,
  type CAclRule,
  type CAclRule6,
  type CEni,
  type CInstance,
  type CPeer,
  type CRoute,
  type CRoute6,
  type CSgRule,
  type CSubnet,
  type CVpc,
  type Topology,
} from "./topology.js";

export type ProbeSource = { readonly kind: "eni"; readonly eniId: string } | { readonly kind: "internet"; readonly address: number };

export interface Probe {
  readonly from: ProbeSource;
  /** Destination address: IPv4 as an unsigned number, IPv6 as `ip6.ts` numbers it (issue 16). */
  readonly to: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6. */
  readonly protocol: number;
  readonly srcPort: number;
  /** Destination port (TCP/UDP) or ICMP type. */
  readonly dstPort: number;
  /**
   * An ENI source sending with another address (issue 17: an NLB forwarding with the client's address, which it
   * preserves for instance targets); the ENI's source/dest check does not apply to it.
   */
  readonly srcAddress?: number | undefined;
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
  | "network-interface"
  | "security-group"
  | "network-acl"
  | "route-table"
  | "internet-gateway"
  | "nat-gateway"
  | "instance"
  | "internet"
  | "vpc-endpoint" // issue 16
  | "vpc-peering-connection" // issue 16 (VPC peering)
  | "egress-only-internet-gateway" // issue 16 (IPv6)
  | "load-balancer"; // issue 17 (ELBv2: a listener forwarding to a target)

export interface Hop {
  readonly path: "forward" | "return";
  readonly type: HopType;
  readonly component: string;
  readonly action: "pass" | "drop" | "deliver" | "forward";
  readonly detail: string;
  readonly rewrite?:
    | {
        readonly field: "source" | "destination";
        readonly from: string;
        readonly to: string;
        /** A NAT gateway's port translation (issue 16): the port before and after, when it translated one. */
        readonly fromPort?: number | undefined;
        readonly toPort?: number | undefined;
      }
    | undefined;
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
  /** A NAT gateway's translated source port and the original one (a NAT instance keeps the port: both -1). */
  readonly natPort: number;
  readonly origSport: number;
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
const PROTO_NAME: Readonly<Record<number, string>> = { 6: "TCP", 17: "UDP", 1: "ICMP", 58: "ICMPv6" };
/** Address text, memoised: flow observations and sentences format the same few addresses over and over. */
const textCache = new Map<number, string>();
const ip = (n: number): string => {
  let t = textCache.get(n);
  if (t === undefined) {
    if (textCache.size > 65_536) textCache.clear();
    t = addressText(n); // IPv4, or IPv6 (issue 16)
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
  /** ENIs that forwarded the request as routers (middlebox, no NAT): they forward its reply the same way (issue 16). */
  routed: Set<string> | undefined;
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
    this.routed = undefined;
    this.reachedEni = null;
    this.reachedPkt = undefined;
    this.reachedService = undefined;
    this.reachedVia = undefined;
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

  /** An AWS service reached (issue 16), and the gateway endpoint and sending ENI when it went through one. */
  reachedService: string | undefined;
  reachedVia: { readonly eni: CEni; readonly endpoint: string } | undefined;

  reach(eni: CEni | null, p: Pkt): Reached {
    this.reachedEni = eni;
    this.reachedPkt = p;
    this.reachedService = undefined;
    this.reachedVia = undefined;
    return REACHED;
  }

  /** An AWS service reached over the internet (no endpoint) or through a gateway endpoint (`via`). */
  reachService(service: string, p: Pkt, via?: { readonly eni: CEni; readonly endpoint: string }): Reached {
    this.reach(null, p);
    this.reachedService = service;
    this.reachedVia = via;
    return REACHED;
  }

  drop<A, B>(reason: ReasonCode, sentence: Sentence<A, B>, a: A, b: B): Drop {
    return new Drop(reason, this.reply, sentence, a, b);
  }

  observe(eni: CEni, direction: FlowDirection, p: Pkt, action: FlowAction, trafficPath?: number): void {
    const sink = this.opts.sink;
    if (!sink) return;
    const icmp = p.proto === 1 || p.proto === 58;
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
    // AWS: the local side is always the ENI's primary private IPv4; pkt-* keep the packet's own addresses. IPv6 traffic
    // (issue 16) records the ENI's IPv6 address as the packet carries it ("the IPv4/IPv6 address of the ENI").
    const v4 = p.dst <= MAX_IPV4;
    o.srcAddr = direction === "egress" && v4 ? eni.primaryIp : p.src;
    o.dstAddr = direction === "ingress" && v4 ? eni.primaryIp : p.dst;
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
  p.proto === 1 || p.proto === 58
    ? `${p.proto === 1 ? "ICMP" : "ICMPv6"} ${ip(p.src)} → ${ip(p.dst)}`
    : `${PROTO_NAME[p.proto] ?? `protocol ${p.proto}`} ${hostPort(p.src, p.sport)} → ${hostPort(p.dst, p.dport)}`;
/** "10.0.0.1:443", and for IPv6 (issue 16) "[2600:1f18::10]:443" (RFC 3986's bracketed form). */
const hostPort = (n: number, port: number): string => (n > MAX_IPV4 ? `[${ip(n)}]:${port}` : `${ip(n)}:${port}`);

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
  if (eni.natGateway || eni.unfiltered === true) return true; // NAT gateways (and NLBs without groups) have no security groups
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
  // Groups open to all of IPv4 on every port for this protocol (AWS's default outbound rule) allow any IPv4 packet of
  // it: when neither tracking nor hops need the rule that matched, the rule index is not read (issue 21: two cache
  // misses per request at 10,000 ENIs, each group set having its own index).
  if (
    ct === undefined &&
    !w.trace &&
    remote <= MAX_IPV4 &&
    ((egress ? eni.openEgress : eni.openIngress) & (p.proto === 6 ? 1 : p.proto === 17 ? 2 : 0)) !== 0
  )
    return true;
  // The first rule of the union of the ENI's groups (one precompiled list) that allows the packet (port-index.ts); an
  // IPv6 packet (issue 16) is matched against the IPv6 rules only.
  const index = remote > MAX_IPV4 ? (egress ? eni.egress6Index : eni.ingress6Index) : egress ? eni.egressIndex : eni.ingressIndex;
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
  // The first entry by rule number that matches (port-index.ts); an IPv6 packet (issue 16) meets the IPv6 entries only.
  const peer = egress ? p.dst : p.src;
  const index: PortIndex<CAclRule | CAclRule6> =
    peer > MAX_IPV4 ? (egress ? acl.egress6Index : acl.ingress6Index) : egress ? acl.egressIndex : acl.ingressIndex;
  const i = firstMatch(index, p.proto, p.dport, peer);
  if (i >= 0) {
    const r = index.rules[i]!;
    if (w.trace) {
      const n = r.n >= 32767 ? "*" : String(r.n);
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
const lpmIn = (nets: Int32Array, routes: readonly CRoute[], dst: number): CRoute | undefined => {
  for (let i = 0; i < nets.length; i += 2) if ((dst & nets[i + 1]!) === nets[i]!) return routes[i >> 1];
  return undefined;
};
const lpm = (s: CSubnet, dst: number): CRoute | undefined => lpmIn(s.routeNets, s.routes, dst);

/** The IPv6 longest-prefix match (issue 16; routes6 are sorted longest first). */
const lpm6 = (routes: readonly CRoute6[], dst: number): CRoute6 | undefined => {
  for (const r of routes) if (inNet6(r.dest6, dst)) return r;
  return undefined;
};

/** Whether an address is in one of the VPC's CIDR blocks (IPv4, or IPv6: issue 16). */
const inVpc = (vpc: CVpc, n: number): boolean => {
  if (n > MAX_IPV4) return vpc.cidrs6.some((c) => inNet6(c, n));
  for (const c of vpc.cidrs) if (inNet(c, n)) return true;
  return false;
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
const noRoute: Sentence<CEni, Pkt> = (eni, p) => {
  // An address of a peered VPC (issue 16): a peering carries traffic only where both sides' tables route it.
  const peer = eni.vpc.peers?.find((x) => inVpc(x.vpc, p.dst));
  if (peer)
    return `Route table ${eni.subnet.routeTableId} of subnet ${eni.subnet.id} has no route that matches ${ip(p.dst)} in the peered VPC ${peer.vpc.id}: add a route for it through ${peer.pcxId} (a peering connection needs a route on both sides).`;
  return `Route table ${eni.subnet.routeTableId} of subnet ${eni.subnet.id} has no route that matches ${ip(p.dst)}.`;
};
const blackhole: Sentence<CEni, CRoute> = (eni, route) =>
  `The route ${route.destText} in ${eni.subnet.routeTableId} points at ${route.targetId}, which is not available (detached, deleted or not ready), so the route is a blackhole.`;
const addressNotInUse: Sentence<CEni, Pkt> = (eni, p) =>
  `No network interface in ${eni.vpcId} has the address ${ip(p.dst)}, so the VPC router has nowhere to deliver it.`;
const addressNotInPeer: Sentence<string, Pkt> = (vpcId, p) =>
  `No network interface in the peer VPC ${vpcId} has the address ${ip(p.dst)}, so the peering connection has nowhere to deliver it.`;
/** Why a peering connection refused a destination outside the peer VPC: a transitive attempt, or edge-to-edge. */
const pcxOutsidePeer: Sentence<CEni, { p: Pkt; route: CRoute; peer: CPeer | undefined }> = (eni, { p, route, peer }) => {
  const dst = ip(p.dst);
  if (!peer)
    return `The route ${route.destText} in ${eni.subnet.routeTableId} points at ${route.targetId}, whose peer VPC is not known here.`;
  const beyond = peer.vpc.peers?.find((x) => x.vpc !== eni.vpc && inVpc(x.vpc, p.dst));
  if (beyond)
    return `${dst} is in ${beyond.vpc.id}, which is peered with ${peer.vpc.id} (${beyond.pcxId}), not with ${eni.vpcId}: VPC peering is not transitive, so ${route.targetId} delivers only to addresses in ${peer.vpc.id}. Peer ${eni.vpcId} with ${beyond.vpc.id} directly.`;
  return `${dst} is outside the peer VPC ${peer.vpc.id}: ${route.targetId} delivers only to addresses in ${peer.vpc.id}, never through its internet gateway, NAT gateway or other connections (no edge-to-edge routing).`;
};
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
const edgeBlackhole: Sentence<NonNullable<CVpc["edge"]>, CRoute> = (edge, route) =>
  `The gateway route table ${edge.tableId} of ${edge.gatewayId} sends ${route.destText} to ${route.targetId}, which is not available (deleted, detached or its instance not running), so inbound traffic is blackholed.`;
const natPortsExhausted: Sentence<CEni, Pkt> = (eni, p) =>
  `NAT gateway interface ${eni.id} already has 55,000 connections to ${ip(p.dst)}:${p.dport} (${PROTO_NAME[p.proto] ?? p.proto}) and cannot allocate a source port (ErrorPortAllocation); spread the traffic over more destinations or NAT gateways.`;
const natUnsolicited: Sentence<CEni, Pkt> = (eni, p) =>
  `A NAT gateway does not accept connections initiated from outside; ${eni.id} drops ${describePkt(p)}.`;
const lambdaInbound: Sentence<CEni, Pkt> = (eni, p) =>
  `${eni.id} is a Lambda Hyperplane ENI: it carries only connections its functions open, so ${describePkt(p)} cannot reach it.`;

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
  if (w.trace)
    w.hop(
      "network-interface",
      eni.id,
      "pass",
      `leaves ${eni.id} (${p.dst > MAX_IPV4 && eni.primaryIpv6 >= 0 ? ip(eni.primaryIpv6) : eni.primaryIpText}) in ${eni.subnet.id}`,
    );
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
  const route = p.dst > MAX_IPV4 ? lpm6(eni.subnet.routes6, p.dst) : lpm(eni.subnet, p.dst);
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
  if (w.trace)
    w.hop(
      "route-table",
      eni.subnet.routeTableId,
      "pass",
      route.kind === "eni" && inVpc(eni.vpc, p.dst)
        ? `route ${route.destText} → ${route.targetId} (longest prefix match: more specific than the local route, to a middlebox)`
        : `route ${route.destText} → ${route.targetId} (longest prefix match)`,
    );
  if (route.kind === "igw") return viaInternetGateway(w, eni, p, route, depth);
  if (route.kind === "vpce") return viaGatewayEndpoint(w, eni, p, route);
  if (route.kind === "pcx") return viaPeering(w, eni, p, route, depth);
  if (route.kind === "eigw") return viaEgressOnlyGateway(w, eni, p, route, depth);
  if (route.kind === "nat" && p.dst > MAX_IPV4) {
    // A NAT gateway translates IPv4 only (NAT64 for 64:ff9b::/96 is not simulated): issue 16.
    if (w.trace) w.hop("nat-gateway", route.targetId, "drop", "a NAT gateway does not carry IPv6 (NAT64 is not simulated)");
    w.observe(eni, "egress", p, "ACCEPT", 1);
    return w.drop(REASONS.EMU_NAT_GATEWAY_IPV6, natIpv6, eni, route);
  }
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
  if (p.src > MAX_IPV4) {
    // IPv6 (issue 16): the address is globally routable; the gateway forwards it unchanged (VPC-UG: "IPv6 is not NATed").
    if (w.trace) w.hop("internet-gateway", route.targetId, "forward", "IPv6 leaves unchanged (globally routable, no NAT)");
    return toInternet(w, p, depth);
  }
  // The internet gateway maps any private address of the VPC (issue 16): a middlebox forwarding another instance's
  // reply to the internet sends it with that instance's address, which the gateway maps to that instance's public IP.
  const pub = eni.publicByPrivate.get(p.src) ?? (p.src !== eni.primaryIp ? eniAt(eni.vpc, p.src)?.publicByPrivate.get(p.src) : undefined);
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

/**
 * A gateway endpoint (issue 16): the packet leaves the subnet (NACL out) for the AWS service whose prefix list the route
 * names, without an internet gateway or a public address. Its reply comes back into the subnet (NACL in).
 */
const viaGatewayEndpoint = (w: Walk, eni: CEni, p: Pkt, route: CRoute): Outcome => {
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, true, p)) {
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclOut, eni, p);
  }
  w.observe(eni, "egress", p, "ACCEPT", 7);
  const service = w.topo.awsServices?.byPrefixList.get(route.prefixListId ?? "") ?? route.prefixListId ?? "the AWS service";
  if (w.trace)
    w.hop(
      "vpc-endpoint",
      route.targetId,
      "deliver",
      `gateway endpoint ${route.targetId} carries it to ${service} (prefix list ${route.prefixListId ?? ""})`,
    );
  return w.reachService(service, p, { eni, endpoint: route.targetId });
};

/**
 * A VPC peering connection (issue 16): the packet leaves the subnet (NACL out) for the peer VPC, whose router delivers
 * it only to an address of the peer VPC: never on through the peer's own peerings (not transitive) nor out of its
 * internet or NAT gateway (no edge-to-edge routing), so a destination outside the peer's CIDRs is dropped
 * (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR). Inside, the destination subnet's NACL and the ENI's groups decide as for local
 * traffic; the reply needs the peer subnet's own route back through the connection.
 */
const viaPeering = (w: Walk, eni: CEni, p: Pkt, route: CRoute, depth: number): Outcome => {
  const peer = eni.vpc.peers?.find((x) => x.pcxId === route.targetId);
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, true, p)) {
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclOut, eni, p);
  }
  w.observe(eni, "egress", p, "ACCEPT", peer?.interRegion === true ? 5 : 4);
  if (!peer || !inVpc(peer.vpc, p.dst)) {
    if (w.trace) w.hop("vpc-peering-connection", route.targetId, "drop", `${ip(p.dst)} is not in the peer VPC ${peer?.vpc.id ?? ""}`);
    return w.drop(REASONS.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, pcxOutsidePeer, eni, { p, route, peer });
  }
  if (w.trace) w.hop("vpc-peering-connection", route.targetId, "forward", `carries it to the peer VPC ${peer.vpc.id}`);
  const dest = eniAt(peer.vpc, p.dst);
  if (!dest) {
    if (w.trace) w.hop("vpc-peering-connection", route.targetId, "drop", `no network interface in ${peer.vpc.id} holds ${ip(p.dst)}`);
    return w.drop(REASONS.EMU_ADDRESS_NOT_IN_USE, addressNotInPeer, peer.vpc.id, p);
  }
  if (!aclAllows(w, dest.subnet.acl, dest.subnet.id, false, p)) return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, dest, p);
  return ingress(w, dest, p, depth + 1);
};

/** A packet on the internet, headed for `p.dst`: an internet host, or back into AWS (hairpin). */
const toInternet = (w: Walk, p: Pkt, depth: number): Outcome => {
  if (p.dst > MAX_IPV4) return toInternet6(w, p, depth);
  if (!isPublicIpv4(p.dst)) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "not a public address");
    return w.drop(REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET, notPublic, p, undefined);
  }
  // An AWS service's public endpoint (S3, DynamoDB: issue 16), reached over the internet without a gateway endpoint.
  const service = awsServiceAt(w.topo.awsServices, p.dst);
  if (service !== undefined) {
    if (w.trace) w.hop("internet", ip(p.dst), "deliver", `${service} receives it at its public address ${ip(p.dst)}`);
    return w.reachService(service, p);
  }
  if (w.topo.publicIps.has(p.dst) || w.topo.routesToAws(p.dst)) return fromInternet(w, p, depth + 1);
  if (w.trace) w.hop("internet", ip(p.dst), "deliver", `internet host ${ip(p.dst)} receives it`);
  return w.reach(null, p);
};

/** A packet from the internet arriving at AWS's edge for a public address. */
const fromInternet = (w: Walk, p: Pkt, depth: number): Outcome => {
  if (p.dst > MAX_IPV4) return fromInternet6(w, p, depth);
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
  const vpc = mapped.eni.vpc; // the ENI's own VPC object (no lookup by id per packet)
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
  const edge = vpc.edge;
  const steered = edge !== undefined ? lpmIn(edge.routeNets, edge.routes, q.dst) : undefined;
  if (edge !== undefined && steered !== undefined && steered.kind !== "local") return viaEdgeRoute(w, edge, steered, q, depth);
  if (w.trace && edge !== undefined)
    w.hop("route-table", edge.tableId, "pass", `gateway route table of ${edge.gatewayId}: ${ip(q.dst)} matches the local route`);
  const eni = mapped.eni;
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, false, q)) {
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, eni, q);
  }
  return ingress(w, eni, q, depth + 1);
};

/**
 * Ingress routing (issue 16): the internet gateway's route table sends inbound traffic for `q.dst` to a middlebox
 * ENI instead of the destination (VPC-UG "Gateway route tables"). The packet enters the appliance's subnet there.
 */
const viaEdgeRoute = (w: Walk, edge: NonNullable<CVpc["edge"]>, route: CRoute, q: Pkt, depth: number): Outcome => {
  if (route.kind === "blackhole") {
    if (w.trace) w.hop("route-table", edge.tableId, "drop", `gateway route ${route.destText} → ${route.targetId} is a blackhole`);
    return w.drop(REASONS.BAD_STATE_ROUTE, edgeBlackhole, edge, route);
  }
  const appliance = w.topo.enis.get(route.targetId)!;
  if (w.trace)
    w.hop(
      "route-table",
      edge.tableId,
      "pass",
      `gateway route table of ${edge.gatewayId}: route ${route.destText} → ${route.targetId} steers it to the middlebox`,
    );
  if (!aclAllows(w, appliance.subnet.acl, appliance.subnet.id, false, q)) {
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, appliance, q);
  }
  return ingress(w, appliance, q, depth + 1);
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
  let translation = w.reply && owns ? w.translations?.get(eni.id) : undefined;
  // A later packet of a connection the NAT gateway tracks (issue 16): back to the original source and port.
  if (eni.natGateway && owns && !translation) translation = natInbound(w, eni, p);
  if (eni.natGateway && owns && !translation) {
    if (w.trace) w.hop("nat-gateway", eni.id, "drop", "a NAT gateway accepts only replies to connections from inside the VPC");
    return w.drop(REASONS.EMU_NAT_GATEWAY_UNSOLICITED, natUnsolicited, eni, p);
  }
  // Lambda (issue 17): nothing can open a connection to a function's Hyperplane ENI; only its own replies come in.
  if (eni.lambda && !w.reply) {
    if (w.trace)
      w.hop("network-interface", eni.id, "drop", "a Lambda Hyperplane ENI accepts only replies to connections its functions open");
    return w.drop(REASONS.EMU_LAMBDA_ENI_INBOUND, lambdaInbound, eni, p);
  }
  if (!sgAllows(w, eni, false, p)) {
    w.observe(eni, "ingress", p, "REJECT");
    return w.drop(REASONS.ENI_SG_RULES_MISMATCH, sgIn, eni, p);
  }
  w.observe(eni, "ingress", p, "ACCEPT");
  if (translation && translation.natAddr === p.dst && (translation.natPort < 0 || translation.natPort === p.dport)) {
    const ported = translation.natPort >= 0;
    const q = ported ? { ...p, dst: translation.origSrc, dport: translation.origSport } : { ...p, dst: translation.origSrc };
    if (w.trace)
      w.hop(
        eni.natGateway ? "nat-gateway" : "network-interface",
        eni.id,
        "forward",
        "reverse NAT of the reply",
        ported
          ? { field: "destination", from: ip(p.dst), to: ip(q.dst), fromPort: p.dport, toPort: q.dport }
          : { field: "destination", from: ip(p.dst), to: ip(q.dst) },
      );
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
  // Source/dest check is off and the packet is for someone else. An instance forwards a packet for its own VPC, and the
  // reply of one it routed, as a router (middlebox: no NAT; issue 16); anything else it (or a NAT gateway) forwards with
  // source NAT, as a NAT instance does.
  // IPv6 is never NATed (issue 16): an instance forwards it as a router.
  if (!eni.natGateway && (w.routed?.has(eni.id) === true || p.dst > MAX_IPV4 || inVpc(eni.vpc, p.dst))) {
    if (!w.reply) (w.routed ??= new Set()).add(eni.id);
    if (w.trace) w.hop("network-interface", eni.id, "forward", `forwards it to ${ip(p.dst)} unchanged (middlebox: routing, no NAT)`);
    return egress(w, eni, p, depth + 1);
  }
  return forwardWithSourceNat(w, eni, p, depth);
};

/**
 * Source NAT by a NAT instance (address only) or a NAT gateway (address and, for TCP and UDP, port: nat-ports.ts).
 * The reply of this walk maps back through `translations`; later packets through the NAT gateway's port table.
 */
const forwardWithSourceNat = (w: Walk, eni: CEni, p: Pkt, depth: number): Outcome => {
  const ported = eni.natGateway && (p.proto === 6 || p.proto === 17);
  let natPort = -1;
  if (ported) {
    const table = w.opts.conntrack?.natPorts;
    natPort = table
      ? table.allocate(eni.id, p.proto, p.src, p.sport, p.dst, p.dport, w.opts.nowMs)
      : hashedNatPort(p.proto, p.src, p.sport, p.dst, p.dport);
    if (natPort < 0) {
      if (w.trace) w.hop("nat-gateway", eni.id, "drop", `no free source port for ${ip(p.dst)}:${p.dport} (55,000 connections)`);
      return w.drop(REASONS.EMU_NAT_GATEWAY_PORT_ALLOCATION, natPortsExhausted, eni, p);
    }
  }
  (w.translations ??= new Map()).set(eni.id, { natAddr: eni.primaryIp, origSrc: p.src, natPort, origSport: ported ? p.sport : -1 });
  const q = ported ? { ...p, src: eni.primaryIp, sport: natPort } : { ...p, src: eni.primaryIp };
  if (w.trace)
    w.hop(
      eni.natGateway ? "nat-gateway" : "network-interface",
      eni.id,
      "forward",
      ported ? `forwards it with source NAT (source port ${p.sport} → ${natPort})` : "forwards it with source NAT",
      ported
        ? { field: "source", from: ip(p.src), to: ip(q.src), fromPort: p.sport, toPort: natPort }
        : { field: "source", from: ip(p.src), to: ip(q.src) },
    );
  return egress(w, eni, q, depth + 1);
};

/** A packet to a NAT gateway's own address from outside: the translation of a live connection it belongs to, if any. */
const natInbound = (w: Walk, eni: CEni, p: Pkt): Translation | undefined => {
  if (p.proto !== 6 && p.proto !== 17) return undefined;
  const m = w.opts.conntrack?.natPorts.inbound(eni.id, p.proto, p.src, p.sport, p.dport, w.opts.nowMs);
  return m ? { natAddr: eni.primaryIp, origSrc: m.origSrc, natPort: p.dport, origSport: m.origSport } : undefined;
};

/** A delivery's sentence: where `first` (the packet as sent) ended up, at `dst` (its destination there). */
const deliveredExplanation = (eni: CEni | null, dst: number, first: Pkt, service?: ServiceReached): string =>
  service !== undefined
    ? service.endpoint !== undefined
      ? `${describePkt(first)} reaches ${service.name} through gateway endpoint ${service.endpoint}.`
      : `${describePkt(first)} reaches ${service.name} over the internet at ${ip(dst)}.`
    : eni?.rec.interfaceType === "vpc_endpoint"
      ? `${describePkt(first)} reaches interface endpoint ${eni.rec.description.replace("VPC Endpoint Interface ", "")} at ${eni.id}.`
      : eni?.instanceId
        ? `${describePkt(first)} reaches instance ${eni.instanceId} (${eni.id}).`
        : eni
          ? `${describePkt(first)} reaches network interface ${eni.id}.`
          : `${describePkt(first)} reaches the internet host ${ip(dst)}.`;

/** An AWS service a delivery reached (issue 16), and the gateway endpoint it went through. */
interface ServiceReached {
  readonly name: string;
  readonly endpoint?: string | undefined;
}

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
    readonly service?: ServiceReached | undefined,
  ) {}
  get deliveredTo(): string | null {
    return this.eni?.instanceId ?? null;
  }
  get deliveredToEni(): string | null {
    return this.eni?.id ?? null;
  }
  get explanation(): string {
    if (this.first === undefined) return this.drop!.explain();
    const d = deliveredExplanation(this.eni, this.dst, this.first, this.service);
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

/**
 * The ENI an ENI source object was last resolved to, and in which compiled topology, kept on the source object itself
 * (issue 21): a caller holding one source object per sender (the traffic engine's pods, the verdict bench) then finds
 * the ENI with two loads from an object it passes anyway, where a lookup by id reads the id's hash and the map's table,
 * a chain of cache misses that was a verdict's costliest line at 10,000 ENIs (14% of a worker's time in the issue 21
 * profile). Symbol-keyed and not enumerable: JSON, structured clones and deep-equal comparisons never see it. A
 * topology compiled since (another state version) finds the ENI again by id; the source object keeps its last topology
 * alive for as long as the caller keeps the object.
 */
const RESOLVED_IN = Symbol("resolved in topology");
const RESOLVED_ENI = Symbol("resolved ENI");
/** Two properties of the source object, not one object holding both: one dependent load fewer per verdict. */
type ResolvableSource = Extract<ProbeSource, { kind: "eni" }> & { [RESOLVED_IN]?: Topology; [RESOLVED_ENI]?: CEni };

const sourceEni = (topo: Topology, from: ResolvableSource): CEni => {
  if (from[RESOLVED_IN] === topo) return from[RESOLVED_ENI]!;
  const eni = topo.enis.get(from.eniId);
  if (!eni) throw new Error(`unknown ENI ${from.eniId}`);
  if (from[RESOLVED_IN] !== undefined) {
    from[RESOLVED_IN] = topo;
    from[RESOLVED_ENI] = eni;
  } else if (Object.isExtensible(from)) {
    Object.defineProperty(from, RESOLVED_IN, { value: topo, enumerable: false, writable: true, configurable: false });
    Object.defineProperty(from, RESOLVED_ENI, { value: eni, enumerable: false, writable: true, configurable: false });
  }
  return eni;
};

const walkProbe = (w: Walk, topo: Topology, probe: Probe, opts: EvalOptions): Verdict => {
  let first: Pkt;
  let out: Outcome;
  if (probe.from.kind === "eni") {
    const eni = sourceEni(topo, probe.from);
    // An IPv6 destination (issue 16) is sent from the ENI's primary IPv6 address.
    const src = probe.srcAddress ?? (probe.to > MAX_IPV4 ? eni.primaryIpv6 : eni.primaryIp);
    first = { src, dst: probe.to, sport: probe.srcPort, dport: probe.dstPort, proto: probe.protocol };
    out = src < 0 ? noIpv6Source(w, eni) : egress(w, probe.srcAddress === undefined ? eni : { ...eni, sourceDestCheck: false }, first, 0);
  } else {
    first = { src: probe.from.address, dst: probe.to, sport: probe.srcPort, dport: probe.dstPort, proto: probe.protocol };
    if (w.trace) w.hop("internet", ip(first.src), "pass", `internet host ${ip(first.src)} sends it`);
    out = fromInternet(w, first, 0);
  }
  if (!out.ok) return new VerdictImpl(false, out.reason, w.hops, undefined, out);
  // What the request reached (the reply's walk overwrites the walk's fields).
  const eni = w.reachedEni;
  const p = w.reachedPkt!;
  const via = w.reachedVia;
  const service: ServiceReached | undefined =
    w.reachedService !== undefined ? { name: w.reachedService, endpoint: via?.endpoint } : undefined;
  if (opts.returnPath === false) return new VerdictImpl(true, null, w.hops, undefined, undefined, eni, p.dst, first, service);
  w.path = "return";
  const reply: Pkt = { src: p.dst, dst: p.src, sport: p.dport, dport: p.sport, proto: p.proto };
  const back = via ? fromGatewayEndpoint(w, via.eni, reply) : eni ? egress(w, eni, reply, 0) : fromInternet(w, reply, 0);
  return new VerdictImpl(true, null, w.hops, back.ok ? REPLY_OK : new ReplyDrop(back), undefined, eni, p.dst, first, service);
};

/** A service's reply through a gateway endpoint (issue 16): into the sender's subnet (NACL in), then to the sender. */
const fromGatewayEndpoint = (w: Walk, eni: CEni, p: Pkt): Outcome => {
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, false, p)) return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, eni, p);
  return ingress(w, eni, p, 0);
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

/*
 * IPv6 (issue 16). Addresses are `ip6.ts` numbers (above 2^32), so the walk above carries them unchanged: the local
 * route, source/dest check, security groups (their IPv6 rules), NACLs (their IPv6 entries), middleboxes and peering work
 * as for IPv4. What differs is at the edge: an ENI's IPv6 address is globally routable (no NAT at the internet
 * gateway), an egress-only internet gateway lets out what its subnet starts and lets back only the replies, and BYOIP
 * IPv6 blocks are reachable from the internet only while advertised.
 */

const natIpv6: Sentence<CEni, CRoute> = (eni, route) =>
  `The route ${route.destText} in ${eni.subnet.routeTableId} sends IPv6 to NAT gateway ${route.targetId}, but a NAT gateway translates IPv4 only (localvpc does not simulate NAT64): route IPv6 to an internet gateway or an egress-only internet gateway instead.`;
const noIpv6: Sentence<CEni, undefined> = (eni) =>
  `Network interface ${eni.id} has no IPv6 address, so it cannot send IPv6. Assign one (AssignIpv6Addresses, or Ipv6AddressCount at launch) in a subnet with an IPv6 block.`;
const eigwUnsolicited: Sentence<Pkt, string> = (p, eigw) =>
  `Egress-only internet gateway ${eigw} drops ${describePkt(p)}: it carries connections started from inside the VPC and their replies, never a connection started from the internet. Route ::/0 to an internet gateway to accept inbound IPv6.`;
const privateFromInternet6: Sentence<Pkt, undefined> = (p) =>
  `${ip(p.dst)} is not a global unicast IPv6 address (2000::/3); nothing on the internet can reach it.`;
const noInternetGateway6: Sentence<Pkt, CVpc> = (p, vpc) =>
  `${ip(p.dst)} is in an IPv6 block of ${vpc.id}, which has no internet gateway attached, so nothing from the internet reaches it.`;
const noSuchIpv6: Sentence<CVpc, Pkt> = (vpc, p) =>
  `No network interface in ${vpc.id} has the IPv6 address ${ip(p.dst)}, so the internet gateway has nowhere to deliver it.`;

const noIpv6Source = (w: Walk, eni: CEni): Outcome => {
  if (w.trace) w.hop("network-interface", eni.id, "drop", "the network interface has no IPv6 address");
  return w.drop(REASONS.EMU_NO_IPV6_ADDRESS, noIpv6, eni, undefined);
};

/** The VPC whose IPv6 blocks hold an address (the internet's view: each VPC's blocks are its own). */
const vpcHolding6 = (topo: Topology, n: number): CVpc | undefined => {
  for (const v of topo.vpcs.values()) if (v.cidrs6.length > 0 && v.cidrs6.some((c) => inNet6(c, n))) return v;
  return undefined;
};

/**
 * Out through an egress-only internet gateway: the packet leaves the subnet (NACL out) for the internet unchanged. The
 * gateway is stateful (EC2-UG connection tracking: "automatically tracked"), so the reply comes back (`fromInternet6`).
 */
const viaEgressOnlyGateway = (w: Walk, eni: CEni, p: Pkt, route: CRoute, depth: number): Outcome => {
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, true, p)) {
    w.observe(eni, "egress", p, "REJECT");
    return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclOut, eni, p);
  }
  // traffic-path: AWS lists no value for an egress-only gateway; 8 (internet gateway) is the nearest (inferred).
  w.observe(eni, "egress", p, "ACCEPT", 8);
  if (w.trace) w.hop("egress-only-internet-gateway", route.targetId, "forward", "IPv6 out to the internet, unchanged (no NAT)");
  return toInternet(w, p, depth);
};

/** An IPv6 packet on the internet: an internet host, or back into a VPC (hairpin). */
const toInternet6 = (w: Walk, p: Pkt, depth: number): Outcome => {
  if (!isPublicIpv6(p.dst)) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "not a global unicast IPv6 address");
    return w.drop(REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET, notPublic, p, undefined);
  }
  if (vpcHolding6(w.topo, p.dst) !== undefined) return fromInternet6(w, p, depth + 1);
  if (w.trace) w.hop("internet", ip(p.dst), "deliver", `internet host ${ip(p.dst)} receives it`);
  return w.reach(null, p);
};

/**
 * An IPv6 packet from the internet for an address of a VPC. It enters through the gateway its subnet answers through:
 * the route the subnet's table takes for the sender (the reply's route). Through an egress-only gateway only a reply
 * (or a later packet of a connection the ENI tracks) passes; through an internet gateway anything the NACL and the
 * groups allow. A BYOIP block is reachable only while the internet routes its range to AWS (the BGP view).
 */
const fromInternet6 = (w: Walk, p: Pkt, depth: number): Outcome => {
  if (!isPublicIpv6(p.dst)) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "not a global unicast IPv6 address");
    return w.drop(REASONS.EMU_PRIVATE_ADDRESS_FROM_INTERNET, privateFromInternet6, p, undefined);
  }
  const vpc = vpcHolding6(w.topo, p.dst);
  if (!vpc) {
    if (w.trace) w.hop("internet", ip(p.dst), "deliver", `internet host ${ip(p.dst)} receives it`);
    return w.reach(null, p);
  }
  if (vpc.byoip6.some((c) => inNet6(c, p.dst)) && !w.topo.routesToAws(p.dst)) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", "the internet does not route this address to AWS");
    return w.drop(REASONS.EMU_BYOIP_NOT_ROUTED_TO_AWS, byoipNotRouted, p, w.topo.whyNotRoutedToAws);
  }
  if (!vpc.igwId && vpc.eigwIds.length === 0) {
    if (w.trace) w.hop("internet", ip(p.dst), "drop", `${vpc.id} has no internet gateway`);
    return w.drop(REASONS.EMU_NO_INTERNET_GATEWAY, noInternetGateway6, p, vpc);
  }
  const eni = eniAt(vpc, p.dst);
  const back = eni ? lpm6(eni.subnet.routes6, p.src) : undefined;
  if (back?.kind === "eigw" || !vpc.igwId) {
    const eigw = back?.kind === "eigw" ? back.targetId : vpc.eigwIds[0]!;
    const ct = w.opts.conntrack;
    const started =
      w.reply || (eni !== undefined && ct !== undefined && ct.has(eni.id, p.proto, p.dst, p.src, p.dport, p.sport, w.opts.nowMs));
    if (!started) {
      if (w.trace) w.hop("egress-only-internet-gateway", eigw, "drop", "a connection started from the internet");
      return w.drop(REASONS.EMU_EGRESS_ONLY_IGW_INBOUND, eigwUnsolicited, p, eigw);
    }
    if (w.trace) w.hop("egress-only-internet-gateway", eigw, "forward", "the reply of a connection started inside the VPC");
  } else if (w.trace) w.hop("internet-gateway", vpc.igwId, "forward", "IPv6 enters unchanged (globally routable, no NAT)");
  if (!eni) {
    if (w.trace) w.hop("route-table", vpc.id, "drop", `no network interface in ${vpc.id} holds ${ip(p.dst)}`);
    return w.drop(REASONS.EMU_ADDRESS_NOT_IN_USE, noSuchIpv6, vpc, p);
  }
  if (!aclAllows(w, eni.subnet.acl, eni.subnet.id, false, p)) return w.drop(REASONS.SUBNET_ACL_RESTRICTION, aclIn, eni, p);
  return ingress(w, eni, p, depth + 1);
};
