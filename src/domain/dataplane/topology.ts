/**
 * The data plane's compiled view of one scope: records in, indexes out (numbers for addresses, rules sorted,
 * route tables resolved per subnet), built once per state version so that a verdict never touches the store.
 */
import { DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS } from "../addressing.js";
import type {
  EgressOnlyInternetGatewayRecord,
  InstanceRecord,
  InternetGatewayRecord,
  NatGatewayRecord,
  NetworkAclRecord,
  NetworkInterfaceRecord,
  RouteTableRecord,
  SecurityGroupRecord,
  SecurityGroupRule,
  SubnetRecord,
  VpcRecord,
} from "../types.js";
import type { FlowEni, FlowSource } from "../flow-observation.js";
import { routeStatus, type RouteTargetLookup } from "../route-tables.js";
import { inAnyNet, inNet, ipv4ToNumber, netPairs, numberToIpv4, parseNet, type Net } from "./ip.js";
import { indexByPort, type PortIndex } from "./port-index.js";
import { addressText, internIpv6, Ipv6Block, MAX_IPV4, parseNet6, type Net6 } from "./ip6.js";
import { parseAddress } from "../cidr.js";

const DEFAULT_AMAZON_POOL = netPairs(DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS.map((b) => parseNet(b)!));
const amazonPools = new WeakMap<readonly string[], Int32Array>();
/** Amazon's public IPv4 space as number pairs, compiled once per list (the runtime passes the same array each time). */
const amazonPoolOf = (blocks: readonly string[] | undefined): Int32Array => {
  if (blocks === undefined) return DEFAULT_AMAZON_POOL;
  let pool = amazonPools.get(blocks);
  if (!pool) {
    pool = netPairs(blocks.map((b) => parseNet(b)!));
    amazonPools.set(blocks, pool);
  }
  return pool;
};
export const routesToAwsOf = (custom: ((address: string) => boolean) | undefined, amazonBlocks?: readonly string[]) => {
  const pool = amazonPoolOf(amazonBlocks);
  // An IPv6 address (issue 16) is routed to AWS only as BYOIP's BGP view says (Amazon's own IPv6 blocks are decided
  // before asking: see the evaluator's IPv6 ingress).
  return (n: number): boolean =>
    n > MAX_IPV4 ? custom !== undefined && custom(addressText(n)) : inAnyNet(pool, n) || (custom !== undefined && custom(numberToIpv4(n)));
};

export interface TopologyInput {
  readonly account: string;
  readonly region: string;
  readonly vpcs: readonly VpcRecord[];
  readonly subnets: readonly SubnetRecord[];
  readonly routeTables: readonly RouteTableRecord[];
  readonly networkAcls: readonly NetworkAclRecord[];
  readonly securityGroups: readonly SecurityGroupRecord[];
  readonly networkInterfaces: readonly NetworkInterfaceRecord[];
  readonly instances: readonly InstanceRecord[];
  readonly internetGateways: readonly InternetGatewayRecord[];
  readonly natGateways?: readonly NatGatewayRecord[] | undefined;
  /** Instances failed by `localvpc chaos fail-instance`. */
  readonly impaired?: ReadonlySet<string> | undefined;
  /**
   * Whether the internet routes a public address to AWS (BYOIP's BGP view). Default: true for Amazon-pool
   * addresses, false for anything else (an address in no known pool is an internet host).
   */
  readonly internetRoutesToAws?: ((address: string) => boolean) | undefined;
  /** Amazon's public IPv4 space (every Region's EC2 ranges), always routed to AWS; default: the fallback pool. */
  readonly amazonPublicIpv4?: readonly string[] | undefined;
  /**
   * Why the internet does not route a BYOIP address to AWS, as a clause for the drop's explanation (e.g. "its range
   * 203.0.113.0/24 is provisioned but not advertised"); read only when a drop is explained.
   */
  readonly whyNotRoutedToAws?: ((address: string) => string) | undefined;
  /**
   * A prefix list's CIDRs in its current version (issue 16), for SG rules and routes that reference one; undefined
   * for a list that does not exist (the rule or route then matches nothing).
   */
  readonly prefixListCidrs?: ((id: string) => readonly string[] | undefined) | undefined;
  /** Active VPC peering connections between the input's VPCs (issue 16). */
  readonly peerings?: readonly PeeringLink[] | undefined;
  /** The Region of VPCs taken in from another Region (an inter-Region peer), for their ENIs' flow records. */
  readonly vpcRegions?: ReadonlyMap<string, string> | undefined;
  /**
   * The AWS services gateway endpoints reach (issue 16: S3 and DynamoDB of the region): their names, AWS-managed prefix
   * lists and CIDRs. Traffic to these addresses over the internet reaches the service instead of an internet host.
   */
  readonly awsServices?: readonly AwsServiceRange[] | undefined;
  /** Egress-only internet gateways (issue 16): IPv6 routes to them carry outbound IPv6 only. */
  readonly egressOnlyInternetGateways?: readonly EgressOnlyInternetGatewayRecord[] | undefined;
}

/** An AWS service's address ranges (its AWS-managed prefix list). */
export interface AwsServiceRange {
  readonly name: string;
  readonly prefixListId: string;
  readonly cidrs: readonly string[];
}

/** AWS services' ranges compiled for the hot path: (network, mask) pairs and the service name of each pair. */
export interface CAwsServices {
  readonly nets: Int32Array;
  readonly names: readonly string[];
  readonly byPrefixList: ReadonlyMap<string, string>;
}

/** An active VPC peering connection (issue 16): the two VPCs it joins, and whether they are in different Regions. */
export interface PeeringLink {
  readonly id: string;
  readonly vpcIds: readonly [string, string];
  readonly interRegion: boolean;
}
/** One side's view of an active peering connection: the VPC on the other side. */
export interface CPeer {
  readonly pcxId: string;
  readonly vpc: CVpc;
  readonly interRegion: boolean;
}

export interface CSgRule {
  readonly ruleId: string;
  /** -1 all protocols, else the IANA number. */
  readonly proto: number;
  readonly from: number;
  readonly to: number;
  readonly cidr?: Net | undefined;
  readonly groupId?: string | undefined;
  /** The referenced group's member addresses (undefined for a CIDR rule, or a group not in this scope). */
  readonly members?: ReadonlySet<number> | undefined;
  /** Open to the whole IPv4 internet (0.0.0.0/0) on every port: the untracked-flow test. */
  readonly openAll: boolean;
  /** A prefix-list rule is compiled as one CIDR rule per IPv4 entry (issue 16): the list and the entry. */
  readonly prefixListId?: string | undefined;
  readonly prefixListEntry?: string | undefined;
}
export interface CSg {
  readonly id: string;
  readonly ingress: readonly CSgRule[];
  readonly egress: readonly CSgRule[];
  /** IPv6 rules (issue 16): a CIDR rule's block is its `members` (`Ipv6Block`). */
  readonly ingress6: readonly CSgRule[];
  readonly egress6: readonly CSgRule[];
  /** Private IPv4 addresses of the ENIs in the group (what a group-reference rule matches). */
  readonly members: Set<number>;
}
export interface CAclRule {
  readonly n: number;
  readonly allow: boolean;
  readonly proto: number;
  readonly from: number;
  readonly to: number;
  readonly cidr: Net;
}
/** An IPv6 entry (issue 16): its block rides the index's set slot (`Ipv6Block`), so it has no IPv4 `cidr`. */
export interface CAclRule6 {
  readonly n: number;
  readonly allow: boolean;
  readonly proto: number;
  readonly from: number;
  readonly to: number;
  readonly members: Ipv6Block;
}
export interface CAcl {
  readonly id: string;
  /** The entries per direction, by rule number (`rules`), indexed by protocol and port (what the hot path looks up). */
  readonly ingressIndex: PortIndex<CAclRule>;
  readonly egressIndex: PortIndex<CAclRule>;
  /** The IPv6 entries (Ipv6CidrBlock; issue 16), indexed the same way: an IPv6 packet is matched against these only. */
  readonly ingress6Index: PortIndex<CAclRule6>;
  readonly egress6Index: PortIndex<CAclRule6>;
}
export type RouteKind = "local" | "igw" | "nat" | "eni" | "blackhole" | "vpce" | "pcx" | "eigw";
export interface CRoute {
  readonly dest: Net;
  readonly destText: string;
  readonly kind: RouteKind;
  readonly targetId: string;
  /** A prefix-list route is compiled as one route per IPv4 entry (issue 16); `destText` then names list and entry. */
  readonly prefixListId?: string | undefined;
}
/**
 * An IPv6 route (DestinationIpv6CidrBlock, or a prefix list's IPv6 entry; issue 16). Its destination is `dest6`; the
 * IPv4 `dest` keeps only the length (IPv6 routes never enter the IPv4 match arrays).
 */
export interface CRoute6 extends CRoute {
  readonly dest6: Net6;
}
export interface CSubnet {
  readonly id: string;
  readonly vpcId: string;
  readonly azId: string;
  readonly routeTableId: string;
  /** Longest prefix first. */
  readonly routes: readonly CRoute[];
  /**
   * The routes' destinations as int32 (network, mask) pairs, in the same order: what the longest-prefix match reads
   * (unboxed; see port-index.ts on numbers kept in objects).
   */
  readonly routeNets: Int32Array;
  readonly acl: CAcl;
  /** IPv6 routes, longest prefix first (issue 16). */
  readonly routes6: readonly CRoute6[];
}
/** An ENI is its observations' source too: the flow sink keeps its per-ENI cache on it (see `FlowSource`). */
export interface CEni extends FlowSource {
  readonly id: string;
  readonly rec: NetworkInterfaceRecord;
  readonly vpcId: string;
  /** Its VPC (what a local route looks the destination up in). */
  readonly vpc: CVpc;
  readonly subnet: CSubnet;
  readonly primaryIp: number;
  readonly primaryIpText: string;
  readonly ips: ReadonlySet<number>;
  readonly prefixes: readonly Net[];
  readonly sgs: readonly CSg[];
  /**
   * The rules of all its groups in one list per direction (`rules`), indexed by protocol and port (what the hot path
   * looks up; shared by ENIs with the same groups).
   */
  readonly ingressIndex: PortIndex<CSgRule>;
  readonly egressIndex: PortIndex<CSgRule>;
  /**
   * Protocols open to 0.0.0.0/0 on all ports per direction, as bits (1 TCP, 2 UDP): a flow allowed by a 0.0.0.0/0
   * rule is untracked when the other direction is open this way (EC2-UG connection tracking).
   */
  readonly openIngress: number;
  readonly openEgress: number;
  /** The ENI side of its flow observations (one object, shared by every packet; read only when a slot is computed). */
  readonly flow: FlowEni;
  readonly sourceDestCheck: boolean;
  /** NAT gateway ENIs: no security groups, always forwarding. */
  readonly natGateway: boolean;
  /** An NLB node created without security groups (issue 17): nothing filters its traffic, as for a NAT gateway. */
  readonly unfiltered?: boolean | undefined;
  /**
   * A Lambda Hyperplane ENI (issue 17): only its functions' replies come in. Kept here because every delivery asks,
   * and reading it from `rec` (a large record elsewhere in memory) cost a cache miss per packet at 10,000 ENIs.
   */
  readonly lambda: boolean;
  readonly instanceId?: string | undefined;
  readonly instance?: CInstance | undefined;
  /** Whether the attachment is usable (attached, or requester-managed). */
  readonly attached: boolean;
  /**
   * Attached and, if it has an instance, the instance is running and not impaired: the hot path's one test (the
   * instance object is read only to explain a drop).
   */
  readonly usable: boolean;
  /** private IP → public IP (auto-assigned or Elastic) for the IGW's 1:1 NAT. */
  readonly publicByPrivate: ReadonlyMap<number, number>;
  /** Its primary IPv6 address (issue 16; the first if none is marked primary), as `ip6.ts` numbers it; -1 for none. */
  readonly primaryIpv6: number;
  /** The IPv6 rules of its groups (CidrIpv6, IPv6 prefix-list entries, group references), indexed as the IPv4 ones. */
  readonly ingress6Index: PortIndex<CSgRule>;
  readonly egress6Index: PortIndex<CSgRule>;
}
/** A gateway route table (issue 16): the table edge-associated with the VPC's internet gateway. */
export interface CEdgeTable {
  readonly tableId: string;
  readonly gatewayId: string;
  /** Longest prefix first, as a subnet's (`routeNets` the same int32 pairs). */
  readonly routes: readonly CRoute[];
  readonly routeNets: Int32Array;
}
export interface CVpc {
  readonly id: string;
  readonly cidrs: readonly Net[];
  /** Its IPv6 blocks (issue 16), and those of them from a BYOIP pool (reachable from the internet only while advertised). */
  readonly cidrs6: readonly Net6[];
  readonly byoip6: readonly Net6[];
  /** Its egress-only internet gateways (issue 16). */
  readonly eigwIds: readonly string[];
  readonly igwId?: string | undefined;
  /** The internet gateway's edge-associated route table, which routes inbound traffic (set once tables are compiled). */
  edge?: CEdgeTable | undefined;
  readonly eniByIp: Map<number, CEni>;
  /** ENIs holding IPv4 prefixes, scanned only when the exact-address map misses. */
  readonly prefixEnis: CEni[];
  /** Active VPC peering connections (issue 16), each with the VPC on the other side; set once every VPC is compiled. */
  peers?: CPeer[] | undefined;
}
export interface CInstance {
  readonly id: string;
  readonly state: string;
  readonly impaired: boolean;
}
export interface CNat {
  readonly id: string;
  readonly state: string;
  readonly eni?: CEni | undefined;
}

export interface Topology {
  readonly account: string;
  readonly region: string;
  readonly vpcs: ReadonlyMap<string, CVpc>;
  readonly subnets: ReadonlyMap<string, CSubnet>;
  readonly enis: ReadonlyMap<string, CEni>;
  readonly instances: ReadonlyMap<string, CInstance>;
  readonly natGateways: ReadonlyMap<string, CNat>;
  /** public IP → the ENI and private IP it maps to. */
  readonly publicIps: ReadonlyMap<number, { readonly eni: CEni; readonly privateIp: number }>;
  /** Whether the internet delivers this public address to AWS: Amazon's pool always, others per the BGP view. */
  readonly routesToAws: (address: number) => boolean;
  /** Why the internet does not route this (BYOIP) address to AWS, when the BGP view can say. */
  readonly whyNotRoutedToAws?: ((address: string) => string) | undefined;
  /** Primary ENI per instance (device index 0), for `--from i-…`. */
  readonly primaryEniOf: ReadonlyMap<string, CEni>;
  /** The AWS services gateway endpoints reach (issue 16). */
  readonly awsServices?: CAwsServices | undefined;
}

/** Compiles the services' ranges (issue 16). */
export const compileAwsServices = (ranges: readonly AwsServiceRange[]): CAwsServices => {
  const nets: Net[] = [];
  const names: string[] = [];
  for (const r of ranges)
    for (const c of r.cidrs) {
      const n = parseNet(c);
      if (n) {
        nets.push(n);
        names.push(r.name);
      }
    }
  return { nets: netPairs(nets), names, byPrefixList: new Map(ranges.map((r) => [r.prefixListId, r.name])) };
};

/** The AWS service (name) that holds an address, if any. */
export const awsServiceAt = (s: CAwsServices | undefined, ip: number): string | undefined => {
  if (!s) return undefined;
  const nets = s.nets;
  for (let i = 0; i < nets.length; i += 2) if ((ip & nets[i + 1]!) === nets[i]!) return s.names[i >> 1];
  return undefined;
};

/** An ENI's IPv6 text → its number (ip6.ts), -1 for text that is not IPv6. */
const ipv6Number = (text: string): number => {
  const a = parseAddress(text);
  return a?.version === 6 ? internIpv6(a.value) : -1;
};

const PROTO: Readonly<Record<string, number>> = { "-1": -1, all: -1, tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
export const protoNumber = (p: string): number => PROTO[p.toLowerCase()] ?? (Number.isFinite(Number(p)) ? Number(p) : -2);

type PrefixListCidrs = (id: string) => readonly string[] | undefined;

/**
 * One SG rule as the index tests it. A prefix-list rule becomes one CIDR rule per IPv4 entry of the list's current
 * version, all with the rule's id, so the port index needs nothing new; such a rule never counts as open to
 * 0.0.0.0/0 for the untracked-flow test (AWS words that test on a 0.0.0.0/0 rule; inferred). IPv6 rules: not simulated.
 */
const compileSgRule = (r: SecurityGroupRule, membersOf: ReadonlyMap<string, ReadonlySet<number>>, lists: PrefixListCidrs): CSgRule[] => {
  const proto = protoNumber(r.ipProtocol);
  const ported = proto === 6 || proto === 17;
  const icmp = proto === 1;
  const from = ported ? (r.fromPort ?? 0) : icmp ? (r.fromPort ?? -1) : -1;
  const to = ported ? (r.toPort ?? 65535) : icmp ? (r.toPort ?? -1) : -1;
  if (r.prefixListId !== undefined) {
    const out: CSgRule[] = [];
    for (const entry of lists(r.prefixListId) ?? []) {
      const cidr = parseNet(entry);
      if (cidr) out.push({ ruleId: r.ruleId, proto, from, to, cidr, openAll: false, prefixListId: r.prefixListId, prefixListEntry: entry });
    }
    return out;
  }
  const cidr = parseNet(r.cidrIpv4);
  if (r.cidrIpv4 === undefined && r.referencedGroupId === undefined) return []; // IPv6: not simulated
  const allPorts = proto === -1 || (ported && from <= 0 && to >= 65535);
  const groupId = r.referencedGroupId;
  return [
    {
      ruleId: r.ruleId,
      proto,
      from,
      to,
      cidr,
      groupId,
      members: cidr === undefined && groupId !== undefined ? membersOf.get(groupId) : undefined,
      openAll: cidr?.len === 0 && allPorts,
    },
  ];
};

/**
 * One SG rule's IPv6 part (issue 16): a CidrIpv6 rule, each IPv6 entry of a prefix list, and a group reference (its
 * member set holds the members' IPv6 addresses too). The block rides the port index's set slot (`Ipv6Block`). An IPv6
 * rule never makes a flow untracked here: IPv6 flows are always tracked (AWS also untracks `::/0` pairs; not modelled).
 */
const compileSgRule6 = (r: SecurityGroupRule, membersOf: ReadonlyMap<string, ReadonlySet<number>>, lists: PrefixListCidrs): CSgRule[] => {
  const proto = protoNumber(r.ipProtocol);
  const ported = proto === 6 || proto === 17;
  const icmp = proto === 1;
  const from = ported ? (r.fromPort ?? 0) : icmp ? (r.fromPort ?? -1) : -1;
  const to = ported ? (r.toPort ?? 65535) : icmp ? (r.toPort ?? -1) : -1;
  const base = { ruleId: r.ruleId, proto, from, to, cidr: undefined, openAll: false };
  if (r.prefixListId !== undefined) {
    const out: CSgRule[] = [];
    for (const entry of lists(r.prefixListId) ?? []) {
      const n = parseNet6(entry);
      if (n) out.push({ ...base, members: new Ipv6Block(n), prefixListId: r.prefixListId, prefixListEntry: entry });
    }
    return out;
  }
  if (r.cidrIpv6 !== undefined) {
    const n = parseNet6(r.cidrIpv6);
    return n ? [{ ...base, members: new Ipv6Block(n) }] : [];
  }
  const groupId = r.referencedGroupId;
  if (r.cidrIpv4 !== undefined || groupId === undefined) return [];
  return [{ ...base, groupId, members: membersOf.get(groupId) }];
};

const openBits = (rules: readonly CSgRule[]): number => {
  let bits = 0;
  for (const r of rules) if (r.openAll) bits |= r.proto === -1 ? 3 : r.proto === 6 ? 1 : r.proto === 17 ? 2 : 0;
  return bits;
};

export const compileTopology = (input: TopologyInput): Topology => {
  const vpcs = new Map<string, CVpc>();
  const igwByVpc = new Map(input.internetGateways.filter((g) => g.vpcId !== undefined).map((g) => [g.vpcId!, g.id]));
  const eigwsByVpc = new Map<string, string[]>();
  for (const g of input.egressOnlyInternetGateways ?? []) eigwsByVpc.set(g.vpcId, [...(eigwsByVpc.get(g.vpcId) ?? []), g.id]);
  for (const v of input.vpcs) {
    const cidrs = v.cidrAssociations.filter((a) => a.state === "associated").map((a) => parseNet(a.cidrBlock)!);
    const v6 = v.ipv6Associations.filter((a) => a.state === "associated");
    const cidrs6 = v6.map((a) => parseNet6(a.ipv6CidrBlock)).filter((n): n is Net6 => n !== undefined);
    // A block from a BYOIP pool (not "Amazon") is reachable from the internet only while its range is advertised.
    const byoip6 = v6
      .filter((a) => a.ipv6Pool !== "Amazon")
      .map((a) => parseNet6(a.ipv6CidrBlock))
      .filter((n): n is Net6 => n !== undefined);
    const eigwIds = eigwsByVpc.get(v.id) ?? [];
    vpcs.set(v.id, { id: v.id, cidrs, cidrs6, byoip6, eigwIds, igwId: igwByVpc.get(v.id), eniByIp: new Map(), prefixEnis: [] });
  }
  // Active VPC peering connections (issue 16): each side's VPC learns the other, through the connection.
  for (const l of input.peerings ?? []) {
    const a = vpcs.get(l.vpcIds[0]);
    const b = vpcs.get(l.vpcIds[1]);
    if (!a || !b) continue;
    (a.peers ??= []).push({ pcxId: l.id, vpc: b, interRegion: l.interRegion });
    (b.peers ??= []).push({ pcxId: l.id, vpc: a, interRegion: l.interRegion });
  }
  const sgs = new Map<string, CSg>();
  // Member sets exist before any rule is compiled: a rule holds the set of the group it references (filled below).
  const membersOf = new Map(input.securityGroups.map((g) => [g.id, new Set<number>()]));
  const lists: PrefixListCidrs = input.prefixListCidrs ?? (() => undefined);
  for (const g of input.securityGroups) {
    sgs.set(g.id, {
      id: g.id,
      ingress: g.rules.filter((r) => !r.isEgress).flatMap((r) => compileSgRule(r, membersOf, lists)),
      egress: g.rules.filter((r) => r.isEgress).flatMap((r) => compileSgRule(r, membersOf, lists)),
      ingress6: g.rules.filter((r) => !r.isEgress).flatMap((r) => compileSgRule6(r, membersOf, lists)),
      egress6: g.rules.filter((r) => r.isEgress).flatMap((r) => compileSgRule6(r, membersOf, lists)),
      members: membersOf.get(g.id)!,
    });
  }
  const explicitAcl = new Map<string, NetworkAclRecord>();
  const defaultAcl = new Map<string, NetworkAclRecord>();
  for (const a of input.networkAcls) {
    for (const s of a.associations) explicitAcl.set(s.subnetId, a);
    if (a.isDefault) defaultAcl.set(a.vpcId, a);
  }
  const compiledAcls = new Map<string, CAcl>();
  const aclOf = (a: NetworkAclRecord): CAcl => {
    let c = compiledAcls.get(a.id);
    if (!c) {
      const rules = a.entries
        .filter((e) => e.cidrBlock !== undefined)
        .map((e) => {
          const cidr = parseNet(e.cidrBlock)!;
          return {
            n: e.ruleNumber,
            allow: e.ruleAction === "allow",
            egress: e.egress,
            proto: protoNumber(e.protocol),
            from: e.portFrom ?? e.icmpType ?? -1,
            to: e.portTo ?? e.icmpType ?? -1,
            cidr,
          };
        })
        .sort((x, y) => x.n - y.n);
      const ingress = rules.filter((r) => !r.egress);
      const egress = rules.filter((r) => r.egress);
      // IPv6 entries (issue 16), in rule-number order as for IPv4; the IPv6 `*` deny is implicit (nothing matched).
      const rules6 = a.entries
        .flatMap((e) => {
          const net = parseNet6(e.ipv6CidrBlock);
          if (!net) return [];
          const rule: CAclRule6 & { egress: boolean } = {
            n: e.ruleNumber,
            allow: e.ruleAction === "allow",
            egress: e.egress,
            proto: protoNumber(e.protocol),
            from: e.portFrom ?? e.icmpType ?? -1,
            to: e.portTo ?? e.icmpType ?? -1,
            members: new Ipv6Block(net),
          };
          return [rule];
        })
        .sort((x, y) => x.n - y.n);
      c = {
        id: a.id,
        ingressIndex: indexByPort(ingress),
        egressIndex: indexByPort(egress),
        ingress6Index: indexByPort(rules6.filter((r) => !r.egress)),
        egress6Index: indexByPort(rules6.filter((r) => r.egress)),
      };
      compiledAcls.set(a.id, c);
    }
    return c;
  };
  const denyAll: CAcl = {
    id: "none",
    ingressIndex: indexByPort([]),
    egressIndex: indexByPort([]),
    ingress6Index: indexByPort([]),
    egress6Index: indexByPort([]),
  };
  const tablesByVpc = new Map<string, RouteTableRecord[]>();
  for (const t of input.routeTables) tablesByVpc.set(t.vpcId, [...(tablesByVpc.get(t.vpcId) ?? []), t]);
  const explicitTable = new Map<string, RouteTableRecord>();
  const mainTable = new Map<string, RouteTableRecord>();
  for (const t of input.routeTables) {
    for (const a of t.associations) {
      if (a.subnetId) explicitTable.set(a.subnetId, t);
      if (a.main) mainTable.set(t.vpcId, t);
    }
  }
  const natIds = new Set((input.natGateways ?? []).filter((n) => n.state === "available").map((n) => n.id));
  // DescribeRouteTables' own rule (domain/route-tables.ts) decides whether an ENI route is a blackhole (deleted or
  // detached ENI, instance stopped or gone), so a verdict and the route's described State always agree.
  const eniById = new Map(input.networkInterfaces.map((e) => [e.id, e]));
  const instanceById = new Map(input.instances.map((i) => [i.id, i]));
  const look: RouteTargetLookup = {
    internetGateway: (id) => input.internetGateways.find((g) => g.id === id),
    natGateway: (id) => (input.natGateways ?? []).find((n) => n.id === id),
    networkInterface: (id) => eniById.get(id),
    instance: (id) => instanceById.get(id),
  };
  const compiledRoutes = new Map<string, CRoute[]>();
  const compiledRoutes6 = new Map<string, CRoute6[]>();
  const routesOf = (t: RouteTableRecord): CRoute[] => {
    let c = compiledRoutes.get(t.id);
    if (!c) {
      const igw = igwByVpc.get(t.vpcId);
      c = [];
      const c6: CRoute6[] = [];
      compiledRoutes6.set(t.id, c6);
      for (const r of t.routes) {
        // A prefix-list route: one route per IPv4 entry of the list's current version (issue 16).
        const pl = r.destinationPrefixListId;
        const v6 = r.destinationIpv6CidrBlock; // an IPv6 route (issue 16): same targets, its own table
        const dests =
          pl !== undefined
            ? (lists(pl) ?? [])
            : r.destinationCidrBlock !== undefined
              ? [r.destinationCidrBlock]
              : v6 !== undefined
                ? [v6]
                : [];
        if (dests.length === 0) continue;
        let kind: RouteKind;
        let targetId: string;
        if (r.gatewayId === "local") [kind, targetId] = ["local", "local"];
        // A gateway endpoint's route (issue 16): the endpoint exists as long as its routes do.
        else if (r.gatewayId?.startsWith("vpce-") === true) [kind, targetId] = ["vpce", r.gatewayId];
        else if (r.gatewayId !== undefined) [kind, targetId] = [r.gatewayId === igw ? "igw" : "blackhole", r.gatewayId];
        else if (r.natGatewayId !== undefined) [kind, targetId] = [natIds.has(r.natGatewayId) ? "nat" : "blackhole", r.natGatewayId];
        else if (r.networkInterfaceId !== undefined)
          [kind, targetId] = [routeStatus(t.vpcId, r, look).state === "active" ? "eni" : "blackhole", r.networkInterfaceId];
        // A peering route (issue 16) works while its connection is active and joins this table's VPC.
        else if (r.vpcPeeringConnectionId !== undefined) {
          const id = r.vpcPeeringConnectionId;
          [kind, targetId] = [vpcs.get(t.vpcId)?.peers?.some((x) => x.pcxId === id) === true ? "pcx" : "blackhole", id];
        } else if (r.egressOnlyInternetGatewayId !== undefined) {
          // An egress-only internet gateway (issue 16): usable while it exists for this table's VPC.
          const id = r.egressOnlyInternetGatewayId;
          [kind, targetId] = [vpcs.get(t.vpcId)?.eigwIds.includes(id) === true ? "eigw" : "blackhole", id];
        } else continue;
        for (const text of dests) {
          const dest = parseNet(text);
          const destText = pl !== undefined ? `${pl} (${text})` : text;
          if (dest) c.push({ dest, destText, kind, targetId, prefixListId: pl });
          const dest6 = dest ? undefined : parseNet6(text);
          if (dest6) c6.push({ dest: { net: 0, mask: 0, len: dest6.len }, dest6, destText, kind, targetId, prefixListId: pl });
        }
      }
      c6.sort((a, b) => b.dest6.len - a.dest6.len || (a.prefixListId !== undefined ? 1 : 0) - (b.prefixListId !== undefined ? 1 : 0));
      // Longest prefix first; on the same prefix a CIDR route wins over a prefix-list route (VPC-UG "Route priority
      // and prefix lists"), and between prefix lists the first in the table keeps winning (AWS: chosen once, then stable).
      c.sort((a, b) => b.dest.len - a.dest.len || (a.prefixListId !== undefined ? 1 : 0) - (b.prefixListId !== undefined ? 1 : 0));
      compiledRoutes.set(t.id, c);
    }
    return c;
  };
  const subnets = new Map<string, CSubnet>();
  for (const s of input.subnets) {
    const table = explicitTable.get(s.id) ?? mainTable.get(s.vpcId);
    const acl = explicitAcl.get(s.id) ?? defaultAcl.get(s.vpcId);
    const routes = table ? routesOf(table) : [];
    subnets.set(s.id, {
      id: s.id,
      vpcId: s.vpcId,
      azId: s.availabilityZoneId,
      routeTableId: table?.id ?? "none",
      routes,
      routeNets: netPairs(routes.map((r) => r.dest)),
      acl: acl ? aclOf(acl) : denyAll,
      routes6: table ? compiledRoutes6.get(table.id)! : [],
    });
  }
  // Gateway route tables (issue 16): a table associated with the VPC's attached internet gateway steers the traffic
  // that enters through it (VPC-UG "Gateway route tables").
  for (const t of input.routeTables) {
    for (const a of t.associations) {
      const vpc = a.gatewayId !== undefined ? vpcs.get(t.vpcId) : undefined;
      if (!vpc || a.gatewayId === undefined || vpc.igwId !== a.gatewayId) continue;
      const routes = routesOf(t);
      vpc.edge = { tableId: t.id, gatewayId: a.gatewayId, routes, routeNets: netPairs(routes.map((r) => r.dest)) };
    }
  }
  const impaired = input.impaired ?? new Set<string>();
  const instances = new Map<string, CInstance>(
    input.instances.map((i) => [i.id, { id: i.id, state: i.state, impaired: impaired.has(i.id) }]),
  );
  // ENIs with the same groups share one compiled rule list (10,000 ENIs over a few hundred group combinations).
  const ruleSets = new Map<
    string,
    {
      ingressIndex: PortIndex<CSgRule>;
      egressIndex: PortIndex<CSgRule>;
      openIngress: number;
      openEgress: number;
      ingress6Index: PortIndex<CSgRule>;
      egress6Index: PortIndex<CSgRule>;
    }
  >();
  const ruleSetOf = (groups: readonly CSg[]) => {
    const key = groups.map((g) => g.id).join(",");
    let r = ruleSets.get(key);
    if (!r) {
      const ingress = groups.flatMap((g) => g.ingress);
      const egress = groups.flatMap((g) => g.egress);
      r = {
        ingressIndex: indexByPort(ingress),
        egressIndex: indexByPort(egress),
        openIngress: openBits(ingress),
        openEgress: openBits(egress),
        ingress6Index: indexByPort(groups.flatMap((g) => g.ingress6)),
        egress6Index: indexByPort(groups.flatMap((g) => g.egress6)),
      };
      ruleSets.set(key, r);
    }
    return r;
  };
  const enis = new Map<string, CEni>();
  const publicIps = new Map<number, { eni: CEni; privateIp: number }>();
  const primaryEniOf = new Map<string, CEni>();
  for (const e of input.networkInterfaces) {
    const subnet = subnets.get(e.subnetId);
    const vpc = vpcs.get(e.vpcId);
    const primary = e.privateIps.find((p) => p.primary) ?? e.privateIps[0];
    if (!subnet || !vpc || !primary) continue;
    const ips = new Set(e.privateIps.map((p) => ipv4ToNumber(p.address)!));
    // IPv6 addresses (issue 16) join the same set, numbered above IPv4 (ip6.ts): the local route, the ENI's own-address
    // test and group references find them as they find IPv4 ones.
    const v6 = e.ipv6Addresses.map((a) => ({ n: ipv6Number(a.address), primary: a.isPrimaryIpv6 })).filter((a) => a.n >= 0);
    for (const a of v6) ips.add(a.n);
    const attachedStatus = e.attachment?.status === "attached";
    const groups = e.interfaceType === "nat_gateway" ? [] : e.groupIds.map((g) => sgs.get(g)).filter((g) => g !== undefined);
    const rules = ruleSetOf(groups);
    const instanceId = e.attachment && attachedStatus && instances.has(e.attachment.instanceId) ? e.attachment.instanceId : undefined;
    const instance = e.attachment && attachedStatus ? instances.get(e.attachment.instanceId) : undefined;
    const attached = attachedStatus || e.requesterManaged;
    const flow: FlowEni = {
      // The ENI's owner: a cross-account ENI in this view records into its own account's flow logs.
      account: e.ownerId,
      region: input.vpcRegions?.get(e.vpcId) ?? input.region,
      eniId: e.id,
      vpcId: e.vpcId,
      subnetId: subnet.id,
      // instance-id: "the instance associated with the ENI, if owned by you" (VPC-UG flow-logs): an instance of
      // another account (a cross-account attachment) is `-` in the ENI owner's records.
      instanceId: instanceId !== undefined && instanceById.get(instanceId)?.ownerId === e.ownerId ? instanceId : undefined,
      availabilityZoneId: subnet.azId,
    };
    // The fields every packet reads come first (an object's fields are laid out in this order, so they share cache
    // lines); what only hops, sentences and views read comes last.
    const c: CEni = {
      primaryIp: ipv4ToNumber(primary.address)!,
      usable: attached && (instance === undefined || (instance.state === "running" && !instance.impaired)),
      sourceDestCheck: e.interfaceType === "nat_gateway" ? false : e.sourceDestCheck,
      natGateway: e.interfaceType === "nat_gateway",
      unfiltered: e.interfaceType === "network_load_balancer" && e.groupIds.length === 0,
      lambda: e.interfaceType === "lambda",
      subnet,
      vpc,
      sinkEpoch: 0,
      sinkSlot: -1,
      ingressIndex: rules.ingressIndex,
      egressIndex: rules.egressIndex,
      openIngress: rules.openIngress,
      openEgress: rules.openEgress,
      flow,
      ips,
      prefixes: e.ipv4Prefixes.map((p) => parseNet(p)).filter((p): p is Net => p !== undefined),
      instanceId,
      id: e.id,
      attached,
      instance,
      rec: e,
      vpcId: e.vpcId,
      primaryIpText: primary.address,
      sgs: groups,
      publicByPrivate: new Map(e.publicIps.map((p) => [ipv4ToNumber(p.privateIp)!, ipv4ToNumber(p.publicIp)!])),
      primaryIpv6: (v6.find((a) => a.primary) ?? v6[0])?.n ?? -1,
      ingress6Index: rules.ingress6Index,
      egress6Index: rules.egress6Index,
    };
    enis.set(e.id, c);
    for (const ip of ips) vpc.eniByIp.set(ip, c);
    if (c.prefixes.length > 0) vpc.prefixEnis.push(c);
    for (const g of c.sgs) for (const ip of ips) g.members.add(ip);
    for (const [priv, pub] of c.publicByPrivate) publicIps.set(pub, { eni: c, privateIp: priv });
    if (c.instanceId && e.attachment?.deviceIndex === 0) primaryEniOf.set(c.instanceId, c);
  }
  const natGateways = new Map<string, CNat>(
    (input.natGateways ?? []).map((n) => [n.id, { id: n.id, state: n.state, eni: enis.get(n.networkInterfaceId) }]),
  );
  return {
    account: input.account,
    region: input.region,
    vpcs,
    subnets,
    enis,
    instances,
    natGateways,
    publicIps,
    routesToAws: routesToAwsOf(input.internetRoutesToAws, input.amazonPublicIpv4),
    whyNotRoutedToAws: input.whyNotRoutedToAws,
    primaryEniOf,
    awsServices: input.awsServices && input.awsServices.length > 0 ? compileAwsServices(input.awsServices) : undefined,
  };
};

/** The ENI holding a private address in a VPC (exact address, else an assigned /28 prefix). */
export const eniAt = (vpc: CVpc, ip: number): CEni | undefined => {
  const e = vpc.eniByIp.get(ip);
  if (e) return e;
  if (ip > MAX_IPV4) return undefined; // IPv6 (issue 16): no IPv6 prefixes are simulated; an IPv4 mask test would misread it
  for (const p of vpc.prefixEnis) if (p.prefixes.some((n) => inNet(n, ip))) return p;
  return undefined;
};

export const eniOwns = (eni: CEni, ip: number): boolean =>
  ip === eni.primaryIp || eni.ips.has(ip) || (eni.prefixes.length > 0 && ip <= MAX_IPV4 && eni.prefixes.some((n) => inNet(n, ip)));
