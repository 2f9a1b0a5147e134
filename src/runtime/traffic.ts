/**
 * The traffic simulator's admin API: `POST /_localvpc/traffic/send` (one probe → verdict with hops and a
 * Reachability-Analyzer-style reason), `GET /_localvpc/traffic/advise` (advisories), `POST /_localvpc/chaos/
 * fail-instance` and `/chaos/recover`. The evaluator is pure (domain/dataplane); this module owns what outlives a
 * probe: connection tracking, failed instances, and which instance each ENI was on (a moved ENI loses its tracked
 * connections: shared/spec/dataplane.md §4.4).
 */
import { advise } from "../domain/dataplane/advisories.js";
import { ConnTrack } from "../domain/dataplane/conntrack.js";
import { evaluate, type Probe, type ProbeSource, type Verdict } from "../domain/dataplane/evaluate.js";
import { ipv4ToNumber, isPublicIpv4 } from "../domain/dataplane/ip.js";
import { ipv6ToNumber, isPublicIpv6, MAX_IPV4 } from "../domain/dataplane/ip6.js"; // issue 16 (IPv6)
import {
  compileTopology,
  routesToAwsOf,
  type CEni,
  type PeeringLink,
  type Topology,
  type TopologyInput,
} from "../domain/dataplane/topology.js";
import { err } from "../domain/errors.js";
import type { FlowSink } from "../domain/flow-observation.js";
import type {
  EgressOnlyInternetGatewayRecord,
  InstanceRecord,
  InternetGatewayRecord,
  NatGatewayRecord,
  NetworkAclRecord,
  NetworkInterfaceRecord,
  RouteTableRecord,
  SecurityGroupRecord,
  SubnetRecord,
  VpcRecord,
} from "../domain/types.js";
import type { Scope, Tx } from "../store/store.js";
import { adminScope, bodyObject, bodyString, requireBodyString, type AdminRoute } from "../admin/routes.js";
import { amazonPublicIpv4Union, gatewayServiceRanges, ownerTx, prefixListCidrsOf, type Ec2Service } from "../services/ec2/seams.js";
import { activePeersOf, type ActivePeer } from "../services/ec2/seams.js"; // issue 16 (VPC peering)
import { throughLoadBalancer, type LoadBalancerForwarder } from "./elb-forwarding.js"; // issue 17 (ELBv2)
import { LAMBDA_PREFIX, lambdaSourceEni } from "./lambda-source.js"; // issue 17 (Lambda)
import { isPodEndpoint, podDestination, podEndpointOf, podProbeSource } from "./pod-source.js"; // issue 18 (EKS pods)

/** The internet host `internet` stands for (TEST-NET-2, documentation space: never dialled). */
export const DEFAULT_INTERNET_HOST = "198.51.100.7";
/** Its IPv6 counterpart (issue 16): 3fff::/20, the IPv6 documentation prefix of RFC 9637 (2001:db8::/32, the older one, is what BYOIP tests provision). */
export const DEFAULT_INTERNET_HOST6 = "3fff::7";

export interface TrafficOptions {
  /** Flow logs' recorder (`FlowRecorder.record`); observations are dropped without it. */
  readonly sink?: FlowSink | undefined;
  /**
   * The internet's routing at the moment of a probe (BYOIP's BGP view, read in the probe's transaction): does the
   * internet route this public address to AWS? Amazon-pool addresses always do.
   */
  readonly internetRouting?: ((tx: Tx, now: Date) => (address: string) => boolean) | undefined;
  /** Why the internet does not route a (BYOIP) address to AWS, for the drop's explanation (BYOIP's BGP view). */
  readonly internetRouteExplanation?: ((tx: Tx, now: Date) => (address: string) => string) | undefined;
  /** ELBv2 (issue 17): where a load balancer sends a packet that reached one of its ENIs (runtime/elb-forwarding.ts). */
  readonly loadBalancers?: LoadBalancerForwarder | undefined;
}

export interface SendRequest {
  readonly from: string;
  readonly to: string;
  readonly proto: "tcp" | "udp" | "icmp";
  readonly port: number;
  /** Reuse a source port to continue one connection (traffic run); default: a new ephemeral port per probe. */
  readonly srcPort?: number | undefined;
  /** IPv6 (issue 16): send to an instance's or ENI's IPv6 address (and from it); implied by an IPv6 literal. */
  readonly family?: 4 | 6 | undefined;
}

const PROTOCOLS = { tcp: 6, udp: 17, icmp: 1 } as const;
/** IPv6 (issue 16): `icmp` is ICMPv6 (58), whose echo request is type 128. */
// `lambda:NAME` (issue 17) and `pod:NAME` (issue 18) name endpoints, not IPv6 addresses, though they hold a colon.
const isV6Request = (req: SendRequest): boolean =>
  req.family === 6 ||
  (!isPodEndpoint(req.to) && req.to.includes(":")) ||
  (!req.from.startsWith(LAMBDA_PREFIX) && !isPodEndpoint(req.from) && req.from.includes(":"));

type Parts = Omit<TopologyInput, "account" | "region" | "impaired" | "internetRoutesToAws" | "whyNotRoutedToAws" | "amazonPublicIpv4">;

/** The records of whole VPCs taken in from another scope (a lent ENI's VPC, a peer VPC), kind by kind. */
interface VpcBundle {
  vpcs: VpcRecord[];
  subnets: SubnetRecord[];
  routeTables: RouteTableRecord[];
  networkAcls: NetworkAclRecord[];
  securityGroups: SecurityGroupRecord[];
  networkInterfaces: NetworkInterfaceRecord[];
  internetGateways: InternetGatewayRecord[];
  natGateways: NatGatewayRecord[];
  egressOnlyInternetGateways: EgressOnlyInternetGatewayRecord[];
  instances: InstanceRecord[];
}

const emptyBundle = (): VpcBundle => ({
  vpcs: [],
  subnets: [],
  routeTables: [],
  networkAcls: [],
  securityGroups: [],
  networkInterfaces: [],
  internetGateways: [],
  natGateways: [],
  egressOnlyInternetGateways: [],
  instances: [],
});

/** Adds one VPC and everything in it, read by index from its owner's transaction; answers its ENIs. */
const addVpc = (b: VpcBundle, otx: Tx, vpc: VpcRecord): NetworkInterfaceRecord[] => {
  const by = { vpcId: vpc.id };
  const enis = otx.list("network-interface", by);
  b.vpcs.push(vpc);
  b.subnets.push(...otx.list("subnet", by));
  b.routeTables.push(...otx.list("route-table", by));
  b.networkAcls.push(...otx.list("network-acl", by));
  b.securityGroups.push(...otx.list("security-group", by));
  b.networkInterfaces.push(...enis);
  b.internetGateways.push(...otx.list("internet-gateway", by));
  b.natGateways.push(...otx.list("nat-gateway", by));
  b.egressOnlyInternetGateways.push(...otx.list("egress-only-internet-gateway", by));
  return enis;
};

/** The parts with a bundle's records appended, kind by kind. */
const withBundle = (parts: Parts, b: VpcBundle): Parts => ({
  ...parts,
  vpcs: [...parts.vpcs, ...b.vpcs],
  subnets: [...parts.subnets, ...b.subnets],
  routeTables: [...parts.routeTables, ...b.routeTables],
  networkAcls: [...parts.networkAcls, ...b.networkAcls],
  securityGroups: [...parts.securityGroups, ...b.securityGroups],
  networkInterfaces: [...parts.networkInterfaces, ...b.networkInterfaces],
  instances: [...parts.instances, ...b.instances],
  internetGateways: [...parts.internetGateways, ...b.internetGateways],
  natGateways: [...(parts.natGateways ?? []), ...b.natGateways],
  egressOnlyInternetGateways: [...(parts.egressOnlyInternetGateways ?? []), ...b.egressOnlyInternetGateways],
});

/**
 * The records a scope's traffic can meet (`gatherParts`): the scope's own, plus what cross-account attachments
 * (services/ec2/foreign-enis.ts) tie to it.
 * - Another account's ENI attached to one of this scope's instances lives in its owner's scope, with its VPC, subnet,
 *   route table, NACL and security groups. That whole VPC is taken in, so the ENI is reachable from inside its VPC
 *   and the hosts there can be named as senders.
 * - One of this scope's ENIs attached to another account's instance: that instance is taken in, so a verdict names
 *   it (`deliveredTo`) and its state and chaos apply.
 * Ids are unique across accounts, so the records compile together; each VPC keeps its own address map, so
 * overlapping CIDRs (two default VPCs, say) do not mix.
 */
const gatherParts = (tx: Tx): Parts => {
  const own: Parts = {
    vpcs: tx.list("vpc"),
    subnets: tx.list("subnet"),
    routeTables: tx.list("route-table"),
    networkAcls: tx.list("network-acl"),
    securityGroups: tx.list("security-group"),
    networkInterfaces: tx.list("network-interface"),
    instances: tx.list("instance"),
    internetGateways: tx.list("internet-gateway"),
    natGateways: tx.list("nat-gateway"),
    egressOnlyInternetGateways: tx.list("egress-only-internet-gateway"), // issue 16 (IPv6)
  };
  const links = tx.list("eni-attachment-link");
  const lentOut = own.networkInterfaces.filter((e) => e.attachment && e.attachment.instanceOwnerId !== tx.scope.account);
  if (links.length === 0 && lentOut.length === 0) return own;
  const foreignVpcs = new Map<string, Tx>(); // VPC id → its owner's transaction
  for (const link of links) {
    const otx = ownerTx(tx, link.eniOwnerId);
    const eni = otx !== tx ? otx.get("network-interface", link.networkInterfaceId) : undefined;
    if (eni) foreignVpcs.set(eni.vpcId, otx);
  }
  // A lent ENI's whole VPC (with its egress-only gateways too, for IPv6), from its owner's scope.
  const extra = emptyBundle();
  for (const [vpcId, otx] of foreignVpcs) {
    const vpc = otx.get("vpc", vpcId);
    if (vpc) addVpc(extra, otx, vpc);
  }
  // The instances the taken-in and lent-out ENIs are attached to, from whichever account owns them.
  const known = new Set(own.instances.map((i) => i.id));
  for (const e of [...extra.networkInterfaces, ...lentOut]) {
    const at = e.attachment;
    if (!at || known.has(at.instanceId)) continue;
    const inst = ownerTx(tx, at.instanceOwnerId).get("instance", at.instanceId);
    if (inst) extra.instances.push(inst);
    known.add(at.instanceId);
  }
  return withBundle(own, extra);
};

/**
 * VPC peering (issue 16): the VPCs joined to the gathered ones by active connections, followed through the whole
 * peering graph (a peer's own peers are taken in too, so that a transitive attempt is refused by name rather than
 * for want of records), each with its subnets, tables, ACLs, groups, ENIs, gateways and the ENIs' instances, from its
 * own scope (another account or Region). Scopes without any peering record are not queried per VPC.
 */
const withPeers = (tx: Tx, parts: Parts): Parts => {
  const region = tx.scope.region;
  const hasPeerings = new Map<string, boolean>();
  const peersIn = (vtx: Tx, vpcId: string): ActivePeer[] => {
    const key = `${vtx.scope.account}|${vtx.scope.region}`;
    let has = hasPeerings.get(key);
    if (has === undefined) {
      has = vtx.count("vpc-peering-connection") + vtx.count("vpc-peering-link") > 0;
      hasPeerings.set(key, has);
    }
    return has ? activePeersOf(vtx, vpcId) : [];
  };
  const known = new Set(parts.vpcs.map((v) => v.id));
  const queue = parts.vpcs.map((v) => ({ vpcId: v.id, vtx: tx.forScope({ account: v.ownerId, region }) }));
  const links: PeeringLink[] = [];
  const seen = new Set<string>();
  const vpcRegions = new Map<string, string>();
  const add = emptyBundle();
  const knownInstances = new Set(parts.instances.map((i) => i.id));
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const peer of peersIn(next.vtx, next.vpcId)) {
      const { pcx } = peer;
      if (!seen.has(pcx.id)) {
        seen.add(pcx.id);
        const interRegion = pcx.requester.region !== pcx.accepter.region;
        links.push({ id: pcx.id, vpcIds: [pcx.requester.vpcId, pcx.accepter.vpcId], interRegion });
      }
      if (known.has(peer.peerVpcId)) continue;
      known.add(peer.peerVpcId);
      const ptx = tx.forScope(peer.peerScope);
      const vpc = ptx.get("vpc", peer.peerVpcId);
      if (!vpc) continue;
      const enis = addVpc(add, ptx, vpc);
      for (const e of enis) {
        const at = e.attachment;
        if (!at || knownInstances.has(at.instanceId)) continue;
        knownInstances.add(at.instanceId);
        const inst = tx.forScope({ account: at.instanceOwnerId, region: peer.peerScope.region }).get("instance", at.instanceId);
        if (inst) add.instances.push(inst);
      }
      if (peer.peerScope.region !== region) vpcRegions.set(vpc.id, peer.peerScope.region);
      queue.push({ vpcId: vpc.id, vtx: ptx });
    }
  }
  if (links.length === 0) return parts;
  return { ...withBundle(parts, add), peerings: links, vpcRegions };
};

/** The records' part of the topology; the internet's routing (time-dependent) is applied per probe. */
const loadTopology = (tx: Tx, scope: Scope, impaired: ReadonlySet<string>): Topology =>
  compileTopology({
    account: scope.account,
    region: scope.region,
    ...withPeers(tx, gatherParts(tx)),
    impaired,
    prefixListCidrs: prefixListCidrsOf(tx),
    awsServices: gatewayServiceRanges(scope.region), // issue 16 (VPC endpoints)
    amazonPublicIpv4: amazonPublicIpv4Union(),
  });

const findEniByAddress = (t: Topology, address: number): CEni | undefined => {
  for (const v of t.vpcs.values()) {
    const e = v.eniByIp.get(address);
    if (e) return e;
  }
  return undefined;
};

/** `from`: an instance (its primary ENI), an ENI, a private IP of an ENI, a public address, or `internet`. */
const resolveSource = (t: Topology, from: string, v6 = false): ProbeSource => {
  if (from === "internet")
    return { kind: "internet", address: v6 ? ipv6ToNumber(DEFAULT_INTERNET_HOST6)! : ipv4ToNumber(DEFAULT_INTERNET_HOST)! };
  // An IPv6 literal (issue 16): an ENI's own address, else an internet host.
  const n6 = from.includes(":") ? ipv6ToNumber(from) : undefined;
  if (n6 !== undefined) {
    const mapped = findEniByAddress(t, n6);
    if (mapped) return { kind: "eni", eniId: mapped.id };
    if (!isPublicIpv6(n6)) throw err.trafficEndpoint("--from", from);
    return { kind: "internet", address: n6 };
  }
  if (from.startsWith("i-")) {
    const e = t.primaryEniOf.get(from);
    if (!e) throw err.trafficEndpoint("--from", from);
    return { kind: "eni", eniId: e.id };
  }
  if (from.startsWith("eni-")) {
    if (!t.enis.has(from)) throw err.trafficEndpoint("--from", from);
    return { kind: "eni", eniId: from };
  }
  const n = ipv4ToNumber(from);
  if (n === undefined) throw err.trafficEndpoint("--from", from);
  const mapped = t.publicIps.get(n)?.eni ?? findEniByAddress(t, n);
  if (mapped) return { kind: "eni", eniId: mapped.id };
  if (!isPublicIpv4(n)) throw err.trafficEndpoint("--from", from);
  return { kind: "internet", address: n };
};

/**
 * `to`: an address, or an instance/ENI: its public address when the sender is outside its VPC, else its private one;
 * for IPv6 (issue 16) its primary IPv6 address, from anywhere (globally routable, never NATed).
 */
const resolveDestination = (t: Topology, to: string, src: ProbeSource, v6 = false): number => {
  if (to === "internet") return v6 ? ipv6ToNumber(DEFAULT_INTERNET_HOST6)! : ipv4ToNumber(DEFAULT_INTERNET_HOST)!;
  let eni: CEni | undefined;
  if (to.startsWith("i-")) eni = t.primaryEniOf.get(to);
  else if (to.startsWith("eni-")) eni = t.enis.get(to);
  else {
    const n = ipv4ToNumber(to) ?? (to.includes(":") ? ipv6ToNumber(to) : undefined);
    if (n === undefined) throw err.trafficEndpoint("--to", to);
    return n;
  }
  if (!eni) throw err.trafficEndpoint("--to", to);
  if (v6) {
    if (eni.primaryIpv6 < 0) throw err.trafficNoIpv6("--to", to);
    return eni.primaryIpv6;
  }
  const senderVpc = src.kind === "eni" ? t.enis.get(src.eniId)?.vpcId : undefined;
  // A peered sender (issue 16) reaches the private address through the connection.
  const sender = senderVpc !== undefined ? t.vpcs.get(senderVpc) : undefined;
  if (senderVpc === eni.vpcId || sender?.peers?.some((x) => x.vpc.id === eni.vpcId) === true) return eni.primaryIp;
  return eni.publicByPrivate.get(eni.primaryIp) ?? eni.primaryIp;
};

/**
 * An internet sender speaks the destination's family (issue 16): `internet` becomes the IPv4 or IPv6 host to match,
 * and an internet address of the other family than the destination cannot send to it.
 */
const sameFamily = (src: ProbeSource, text: string, destinationFor: (src: ProbeSource) => number): ProbeSource => {
  if (src.kind !== "internet") return src;
  const dst6 = destinationFor(src) > MAX_IPV4;
  if (dst6 === src.address > MAX_IPV4) return src;
  if (text !== "internet") throw err.trafficEndpoint("--from", text);
  return { kind: "internet", address: dst6 ? ipv6ToNumber(DEFAULT_INTERNET_HOST6)! : ipv4ToNumber(DEFAULT_INTERNET_HOST)! };
};

export class TrafficEngine {
  readonly conntrack = new ConnTrack();
  readonly #impaired = new Set<string>();
  /** ENI → the instance it was on at the last probe, to notice moves. */
  readonly #placement = new Map<string, string | undefined>();
  #nextPort = 0;
  /** A load balancer is choosing a target (its health checks are probes too: they are not forwarded again). */
  #forwarding = false;
  /** Bumped when the impaired set changes (it is compiled into the topology). */
  #impairedEpoch = 0;
  /**
   * The last compiled topology, keyed on the store's state version (bumped by every write and at the end of every
   * transaction that wrote), the scope and the impaired set: repeated probes (`localvpc traffic run`) skip the
   * SQLite reads and the compile, and any change to the records is seen by the very next probe.
   */
  #cache: { scope: string; version: number; impairedEpoch: number; topo: Topology } | undefined;
  /** The topology whose ENI placements #placement reflects. */
  #placedFrom: Topology | undefined;

  constructor(readonly options: TrafficOptions = {}) {}

  /** When each impaired instance failed (DescribeInstanceStatus shows it as ImpairedSince; issue 15). */
  readonly #impairedSince = new Map<string, Date>();

  fail(instanceId: string, at?: Date): void {
    if (!this.#impaired.has(instanceId)) this.#impairedEpoch++;
    this.#impaired.add(instanceId);
    if (at && !this.#impairedSince.has(instanceId)) this.#impairedSince.set(instanceId, at);
  }
  recover(instanceId: string): boolean {
    const had = this.#impaired.delete(instanceId);
    this.#impairedSince.delete(instanceId);
    if (had) this.#impairedEpoch++;
    return had;
  }
  isImpaired(instanceId: string): boolean {
    return this.#impaired.has(instanceId);
  }
  /** The health seam EC2's DescribeInstanceStatus reads (injected by index.ts): when the instance failed, if it did. */
  impairedSince(instanceId: string): Date | undefined {
    return this.#impaired.has(instanceId) ? this.#impairedSince.get(instanceId) : undefined;
  }
  /** Forgets failed instances, tracked connections and ENI placements (admin reset). */
  reset(): void {
    this.#impaired.clear();
    this.#impairedSince.clear();
    this.#placement.clear();
    this.conntrack.clear();
    this.#nextPort = 0;
    this.#cache = undefined;
    this.#placedFrom = undefined;
  }

  /** Drops the tracked connections of every ENI whose instance changed since the last look; returns notes. */
  #noticeMoves(t: Topology): string[] {
    const notes: string[] = [];
    if (this.#placedFrom === t) return notes; // same compiled records: nothing moved since the last look
    this.#placedFrom = t;
    for (const e of t.enis.values()) {
      const before = this.#placement.get(e.id);
      if (this.#placement.has(e.id) && before !== e.instanceId) {
        const n = this.conntrack.dropEni(e.id);
        notes.push(
          `${e.id} moved from ${before ?? "no instance"} to ${e.instanceId ?? "no instance"}; its ${n} tracked connection(s) were dropped.`,
        );
      }
      this.#placement.set(e.id, e.instanceId);
    }
    return notes;
  }

  /** Set while `analyze` runs `send` (issue 21). */
  #analysing = false;

  /**
   * Reachability Analyzer (issue 21): the verdict `send` gives for this probe as a new connection (the same code
   * path: topology, internet routing, evaluator, load balancers), as a configuration analysis: no flow-log
   * observation, no tracked connection used or left behind, no NAT port taken, no ENI move noticed (AWS's analyzer
   * "does not send packets"). So an analysis and `traffic send` with the same source port never disagree.
   */
  analyze(tx: Tx, scope: Scope, nowMs: number, req: SendRequest): Verdict {
    this.#analysing = true;
    try {
      const { notes: _notes, probe: _probe, ...verdict } = this.send(tx, scope, nowMs, req);
      return verdict;
    } finally {
      this.#analysing = false;
    }
  }

  /** The compiled topology of a scope at the transaction's state (cached while the store's version is unchanged). */
  topology(tx: Tx, scope: Scope): Topology {
    const key = `${scope.account}|${scope.region}`;
    const version = tx.stateVersion();
    const c = this.#cache;
    if (c && c.scope === key && c.version === version && c.impairedEpoch === this.#impairedEpoch) return c.topo;
    const topo = loadTopology(tx, scope, this.#impaired);
    // Compiling reads only; should it ever write, the version moved and the entry is not trusted.
    if (tx.stateVersion() === version) this.#cache = { scope: key, version, impairedEpoch: this.#impairedEpoch, topo };
    return topo;
  }

  send(tx: Tx, scope: Scope, nowMs: number, req: SendRequest): Verdict & { notes: string[]; probe: Record<string, unknown> } {
    const base = this.topology(tx, scope);
    const notes = this.#analysing ? [] : this.#noticeMoves(base); // an analysis notices nothing (issue 21)
    // The internet's routing (BYOIP's BGP view) depends on the clock and the world, not on this scope's records:
    // applied per probe on top of the cached topology.
    const now = new Date(nowMs);
    const routing = this.options.internetRouting?.(tx, now);
    const why = this.options.internetRouteExplanation?.(tx, now);
    const t: Topology =
      routing || why
        ? {
            ...base,
            ...(routing ? { routesToAws: routesToAwsOf(routing, amazonPublicIpv4Union()) } : {}),
            ...(why ? { whyNotRoutedToAws: why } : {}),
          }
        : base;
    // Lambda (issue 17): `lambda:NAME` sends from the function's Hyperplane ENI.
    const v6 = isV6Request(req); // issue 16 (IPv6)
    // EKS (issue 18): `pod:NAME` sends from the pod's IP on its ENI (or source-NATed by its node) and receives at it.
    const podFrom = podEndpointOf(tx, req.from, "--from");
    const podTo = podEndpointOf(tx, req.to, "--to");
    if (v6 && (podFrom ?? podTo)) throw err.trafficNoIpv6(podFrom ? "--from" : "--to", (podFrom ?? podTo)!.text);
    const toText = podTo ? podDestination(t, podTo) : req.to;
    const from0 = podFrom
      ? ({ kind: "eni", eniId: podFrom.eniId } as const)
      : sameFamily(resolveSource(t, lambdaSourceEni(tx, scope, req.from, now) ?? req.from, v6), req.from, (src) =>
          resolveDestination(t, toText, src, v6),
        );
    const to = resolveDestination(t, toText, from0, v6);
    const pod = podFrom ? podProbeSource(t, podFrom, to) : undefined;
    const from = pod?.from ?? from0;
    if (pod && !this.#analysing) notes.push(pod.note);
    const srcPort = req.srcPort ?? 32768 + (this.#nextPort++ % 28232);
    const icmp = req.proto === "icmp";
    const probe: Probe = {
      from,
      to,
      protocol: icmp && v6 ? 58 : PROTOCOLS[req.proto],
      srcPort,
      dstPort: icmp ? (v6 ? 128 : 8) : req.port,
      ...(pod?.srcAddress !== undefined ? { srcAddress: pod.srcAddress } : {}),
    };
    // An analysis (issue 21) records no flow and sees no tracked connection: a new connection on a fresh table.
    const opts = this.#analysing
      ? { nowMs, sink: undefined, conntrack: new ConnTrack() }
      : { nowMs, sink: this.options.sink, conntrack: this.conntrack };
    let v = JSON.parse(JSON.stringify(evaluate(t, probe, opts))) as Verdict;
    // A load balancer's ENI passes the packet on to a target (issue 17); not while its health checks are being sent.
    const lbs = this.options.loadBalancers;
    if (lbs && !this.#forwarding && v.delivered && v.deliveredToEni !== null) {
      this.#forwarding = true;
      try {
        v = throughLoadBalancer(t, v, probe, lbs(tx, scope, now, v.deliveredToEni, probe.dstPort, req.proto), opts);
      } finally {
        this.#forwarding = false;
      }
    }
    return {
      ...v,
      notes,
      probe: { from: req.from, to: req.to, protocol: req.proto, srcPort, dstPort: probe.dstPort },
    };
  }
}

const parseSend = (body: unknown): SendRequest => {
  const b = bodyObject(body, "from");
  const from = requireBodyString(b, "from");
  const to = requireBodyString(b, "to");
  const proto = (bodyString(b, "proto") ?? "tcp").toLowerCase();
  if (proto !== "tcp" && proto !== "udp" && proto !== "icmp") throw err.trafficProtocol(proto);
  const portValue = b["port"] ?? 443;
  const port = typeof portValue === "number" ? portValue : Number(portValue);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw err.trafficPort(JSON.stringify(portValue));
  const sp = b["srcPort"];
  const srcPort = sp === undefined || sp === null ? undefined : Number(sp);
  if (srcPort !== undefined && (!Number.isInteger(srcPort) || srcPort < 0 || srcPort > 65535)) throw err.trafficPort(JSON.stringify(sp));
  const f = b["family"];
  const family = f === undefined || f === null ? undefined : f === 6 || f === "6" ? 6 : f === 4 || f === "4" ? 4 : null;
  if (family === null) throw err.trafficFamily(JSON.stringify(f));
  return { from, to, proto, port, srcPort, family };
};

/** What `onVerdict` hears after each probe (the console's Watch panel, through the SSE feed). */
export type SentVerdict = Verdict & { readonly account: string; readonly region: string; readonly probe: Record<string, unknown> };

export const trafficRoutes = (
  ec2: Ec2Service,
  defaults: Scope,
  engine = new TrafficEngine(),
  onVerdict?: (v: SentVerdict) => void,
): AdminRoute[] => [
  {
    method: "POST",
    path: "/_localvpc/traffic/send",
    summary: "traffic probe",
    // A probe changes no state: no `change` event per probe (the console hears its `verdict` event instead).
    changesState: false,
    handle: (req) => {
      const scope = adminScope(req, defaults);
      const send = parseSend(req.body);
      const v = ec2.runAdmin(scope, "admin", (ctx) => engine.send(ctx.tx, scope, ctx.now.getTime(), send));
      onVerdict?.({ ...v, account: scope.account, region: scope.region });
      return v;
    },
  },
  {
    method: "GET",
    path: "/_localvpc/traffic/advise",
    summary: "advisories",
    handle: (req) => {
      const scope = adminScope(req, defaults);
      return ec2.runAdmin(scope, "admin", (ctx) => ({
        advisories: advise({
          networkInterfaces: ctx.tx.list("network-interface"),
          routeTables: ctx.tx.list("route-table"),
          networkAcls: ctx.tx.list("network-acl"),
          vpcs: ctx.tx.list("vpc"),
          subnets: ctx.tx.list("subnet"),
          securityGroups: ctx.tx.list("security-group"),
        }),
      }));
    },
  },
  ...(["fail-instance", "recover"] as const).map((verb): AdminRoute => ({
    method: "POST",
    path: `/_localvpc/chaos/${verb}`,
    summary: `chaos ${verb}`,
    handle: (req) => {
      const scope = adminScope(req, defaults);
      const b = bodyObject(req.body, "instanceId");
      const id = requireBodyString(b, "instanceId");
      return ec2.runAdmin(scope, "admin", (ctx) => {
        const inst = ctx.tx.get("instance", id);
        if (!inst) throw err.chaosInstance(id);
        if (verb === "fail-instance") engine.fail(id, ctx.now);
        else engine.recover(id);
        return { instanceId: id, state: inst.state, impaired: engine.isImpaired(id) };
      });
    },
  })),
];
