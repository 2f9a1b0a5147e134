/**
 * Reachability Analyzer (issue 21): the rules of CreateNetworkInsightsPath, what probe an analysis sends through the
 * data-plane evaluator (domain/dataplane/evaluate.ts, the same one `localvpc traffic send` runs), and how the
 * evaluator's verdict becomes AWS's analysis: `NetworkPathFound`, `ForwardPathComponents`/`ReturnPathComponents`
 * (one component per hop) and `Explanations` (the evaluator's reason codes are Reachability Analyzer explanation
 * codes, domain/dataplane/reasons.ts; localvpc's own `EMU_` codes name what the analyzer does not model).
 *
 * AWS's analyzer reads the configuration and sends no packets (shared/spec/dataplane.md §5); the evaluator does the
 * same here: an analysis records no flow-log line and touches no tracked connection.
 */
import { err } from "./errors.js";
import { kindOfId, type IdKind } from "./ids.js";
import type { Hop, Verdict } from "./dataplane/evaluate.js";
import type {
  AnalysisAclRuleRef,
  AnalysisComponentRef,
  AnalysisExplanationRecord,
  AnalysisPathComponentRecord,
  AnalysisRouteRef,
  AnalysisSecurityGroupRuleRef,
  InternetGatewayRecord,
  NetworkAclRecord,
  NetworkInsightsPathFilter,
  NetworkInsightsPathRecord,
  NetworkInsightsPortRange,
  NetworkInterfaceRecord,
  RouteTableRecord,
  SecurityGroupRecord,
} from "./types.js";

/** The ARN resource type of each id kind a path or an analysis names (EC2's `arn:aws:ec2:region:account:type/id`). */
const ARN_TYPE: Partial<Record<IdKind, string>> = {
  instance: "instance",
  networkInterface: "network-interface",
  internetGateway: "internet-gateway",
  securityGroup: "security-group",
  securityGroupRule: "security-group-rule",
  networkAcl: "network-acl",
  routeTable: "route-table",
  natGateway: "natgateway",
  vpc: "vpc",
  subnet: "subnet",
  vpcEndpoint: "vpc-endpoint",
  vpcPeeringConnection: "vpc-peering-connection",
  networkInsightsPath: "network-insights-path",
  networkInsightsAnalysis: "network-insights-analysis",
};

export interface ArnScope {
  readonly account: string;
  readonly region: string;
}

export const arnOf = (scope: ArnScope, id: string): string | undefined => {
  const kind = kindOfId(id);
  const type = kind !== undefined ? ARN_TYPE[kind] : undefined;
  return type !== undefined ? `arn:aws:ec2:${scope.region}:${scope.account}:${type}/${id}` : undefined;
};

const ref = (scope: ArnScope, id: string): AnalysisComponentRef => ({ id, arn: arnOf(scope, id) });

/** What a path's Source / Destination may name here: an instance, a network interface or an internet gateway. */
export type EndpointKind = "instance" | "networkInterface" | "internetGateway";
const ENDPOINT_KINDS: readonly string[] = ["instance", "networkInterface", "internetGateway"];

/**
 * The id an endpoint names: an id, or an ARN (`arn:aws:ec2:region:account:instance/i-…`, as AWS accepts for a
 * resource in another account). Anything else, or another kind of resource, is refused.
 */
export const endpointId = (param: string, value: string): { id: string; kind: EndpointKind } => {
  const arn = /^arn:aws[a-z-]*:ec2:[a-z0-9-]*:\d{12}:[a-z-]+\/(.+)$/.exec(value);
  const id = arn ? arn[1]! : value;
  const kind = kindOfId(id);
  if (kind === undefined || !ENDPOINT_KINDS.includes(kind)) throw err.networkInsightsEndpointType(param, value);
  return { id, kind: kind as EndpointKind };
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export interface PathRequest {
  readonly sourceIp?: string | undefined;
  readonly destinationIp?: string | undefined;
  readonly destination?: string | undefined;
  readonly destinationPort?: number | undefined;
  readonly filterAtSource?: NetworkInsightsPathFilter | undefined;
  readonly filterAtDestination?: NetworkInsightsPathFilter | undefined;
}

const checkRange = (param: string, r: NetworkInsightsPortRange | undefined): void => {
  if (r?.fromPort !== undefined && r.toPort !== undefined && r.fromPort > r.toPort) throw err.networkInsightsPortRange(param);
};

/** CreateNetworkInsightsPath's request-level rules, checked before any resource is looked up. */
export const checkPathRequest = (r: PathRequest): void => {
  // The model's documentation of FilterAtSource / FilterAtDestination.
  if (r.filterAtSource) {
    if (r.sourceIp !== undefined) throw err.networkInsightsFilterCombination("FilterAtSource", "SourceIp");
    if (r.destinationPort !== undefined) throw err.networkInsightsFilterCombination("FilterAtSource", "DestinationPort");
  }
  if (r.filterAtDestination && r.destinationIp !== undefined)
    throw err.networkInsightsFilterCombination("FilterAtDestination", "DestinationIp");
  // AWS (terraform-provider-aws#38132): DestinationIp alone does not name a destination.
  if (r.destination === undefined && r.filterAtSource?.destinationAddress === undefined) throw err.networkInsightsDestinationMissing();
  const addresses: [string, string | undefined][] = [
    ["SourceIp", r.sourceIp],
    ["DestinationIp", r.destinationIp],
    ["FilterAtSource.SourceAddress", r.filterAtSource?.sourceAddress],
    ["FilterAtSource.DestinationAddress", r.filterAtSource?.destinationAddress],
    ["FilterAtDestination.SourceAddress", r.filterAtDestination?.sourceAddress],
    ["FilterAtDestination.DestinationAddress", r.filterAtDestination?.destinationAddress],
  ];
  // Reachability Analyzer is IPv4 only (RA-DOC "Considerations").
  for (const [param, value] of addresses) if (value !== undefined && !IPV4.test(value)) throw err.networkInsightsAddress(param, value);
  checkRange("FilterAtSource.SourcePortRange", r.filterAtSource?.sourcePortRange);
  checkRange("FilterAtSource.DestinationPortRange", r.filterAtSource?.destinationPortRange);
  checkRange("FilterAtDestination.SourcePortRange", r.filterAtDestination?.sourcePortRange);
  checkRange("FilterAtDestination.DestinationPortRange", r.filterAtDestination?.destinationPortRange);
};

/** The probe an analysis of a path sends (the `traffic send` request that gives the same verdict). */
export interface AnalysisProbe {
  readonly from: string;
  readonly to: string;
  readonly proto: "tcp" | "udp";
  readonly port: number;
  readonly srcPort: number;
}

/**
 * When a path names no destination port, localvpc analyses this one. AWS's analyzer searches every port; the
 * evaluator follows one packet, so a path without a port is analysed as HTTPS (documented in the README).
 */
export const DEFAULT_ANALYSIS_PORT = 443;
/** The source port when no filter names one: the start of the IANA dynamic range, inside every usual NACL ephemeral rule. */
export const DEFAULT_ANALYSIS_SOURCE_PORT = 49152;

/** The probe for a path: `internet` stands for the far side of an internet gateway endpoint without an address. */
export const analysisProbe = (p: NetworkInsightsPathRecord): AnalysisProbe => {
  const srcIsIgw = p.source.startsWith("igw-");
  const dstIsIgw = p.destination?.startsWith("igw-") === true;
  const srcAddress = p.sourceIp ?? p.filterAtSource?.sourceAddress ?? p.filterAtDestination?.sourceAddress;
  const dstAddress = p.destinationIp ?? p.filterAtSource?.destinationAddress ?? p.filterAtDestination?.destinationAddress;
  const from = srcIsIgw ? (srcAddress ?? "internet") : p.source;
  const to = dstAddress ?? (dstIsIgw || p.destination === undefined ? "internet" : p.destination);
  const port =
    p.destinationPort ??
    p.filterAtSource?.destinationPortRange?.fromPort ??
    p.filterAtDestination?.destinationPortRange?.fromPort ??
    DEFAULT_ANALYSIS_PORT;
  const srcPort =
    p.filterAtSource?.sourcePortRange?.fromPort ?? p.filterAtDestination?.sourcePortRange?.fromPort ?? DEFAULT_ANALYSIS_SOURCE_PORT;
  return { from, to, proto: p.protocol, port, srcPort };
};

/** The records a verdict's hops name, read by the action in its transaction. */
export interface AnalysisRecords {
  eni(id: string): NetworkInterfaceRecord | undefined;
  /** ENIs holding a private IPv4 address (several only across VPCs with overlapping CIDRs). */
  enisByAddress(address: string): NetworkInterfaceRecord[];
  securityGroup(id: string): SecurityGroupRecord | undefined;
  networkAcl(id: string): NetworkAclRecord | undefined;
  routeTable(id: string): RouteTableRecord | undefined;
  internetGateway(id: string): InternetGatewayRecord | undefined;
}

export interface AnalysisFindings {
  readonly networkPathFound: boolean;
  readonly forwardPathComponents: AnalysisPathComponentRecord[];
  readonly returnPathComponents: AnalysisPathComponentRecord[];
  readonly explanations: AnalysisExplanationRecord[];
}

const PROTOCOL_NAME: Readonly<Record<string, string>> = { "6": "tcp", "17": "udp", "1": "icmp", "-1": "all" };
const protocolName = (p: string): string => PROTOCOL_NAME[p] ?? p;

const aclRuleRef = (acl: NetworkAclRecord | undefined, egress: boolean, n: number | "*"): AnalysisAclRuleRef | undefined => {
  if (n === "*") return { cidr: "0.0.0.0/0", egress, protocol: "all", ruleAction: "deny", ruleNumber: 32767 };
  const e = acl?.entries.find((x) => x.egress === egress && x.ruleNumber === n);
  if (!e) return undefined;
  return {
    cidr: e.cidrBlock ?? e.ipv6CidrBlock,
    egress,
    portRange: e.portFrom !== undefined && e.portTo !== undefined ? { from: e.portFrom, to: e.portTo } : undefined,
    protocol: protocolName(e.protocol),
    ruleAction: e.ruleAction,
    ruleNumber: e.ruleNumber,
  };
};

const sgRuleRef = (groups: readonly SecurityGroupRecord[], ruleId: string): AnalysisSecurityGroupRuleRef | undefined => {
  for (const g of groups) {
    const r = g.rules.find((x) => x.ruleId === ruleId);
    if (!r) continue;
    return {
      cidr: r.cidrIpv4 ?? r.cidrIpv6,
      direction: r.isEgress ? "egress" : "ingress",
      securityGroupId: r.referencedGroupId ?? g.id,
      portRange: r.fromPort !== undefined && r.toPort !== undefined && r.fromPort >= 0 ? { from: r.fromPort, to: r.toPort } : undefined,
      prefixListId: r.prefixListId,
      protocol: protocolName(r.ipProtocol),
    };
  }
  return undefined;
};

/** `route 10.0.0.0/16 → local` or `route pl-… (cidr) → vpce-…` in a route-table hop's detail. */
const ROUTE_IN_DETAIL = /route (\S+)(?: \([^)]*\))? → (\S+)/;

const routeRef = (table: RouteTableRecord | undefined, dest: string, target: string): AnalysisRouteRef => {
  const isPl = dest.startsWith("pl-");
  const r = table?.routes.find((x) => (isPl ? x.destinationPrefixListId === dest : x.destinationCidrBlock === dest));
  const t = (prefix: string): string | undefined => (target.startsWith(prefix) ? target : undefined);
  return {
    destinationCidr: isPl ? undefined : dest,
    destinationPrefixListId: isPl ? dest : undefined,
    gatewayId: target === "local" || target.startsWith("igw-") || target.startsWith("vpce-") ? target : undefined,
    natGatewayId: t("nat-"),
    networkInterfaceId: t("eni-"),
    vpcPeeringConnectionId: t("pcx-"),
    origin: r?.origin,
    state: r?.state ?? "active",
  };
};

/** The packet as it travels, to tell which ENI an inbound hop is at and what a NAT hop rewrote. */
interface Packet {
  src: string;
  dst: string;
}

/** Applies a hop's address translation to the packet; answers the packet as it was before (the hop's `from`). */
const applyRewrite = (pkt: Packet, hop: Hop): Packet => {
  const before = { ...pkt };
  if (!hop.rewrite) return before;
  if (hop.rewrite.field === "source") {
    before.src = hop.rewrite.from;
    pkt.src = hop.rewrite.to;
  } else {
    before.dst = hop.rewrite.from;
    pkt.dst = hop.rewrite.to;
  }
  return before;
};

/**
 * Turns a verdict into AWS's analysis. `source` is the address the request left from (the source ENI's primary
 * private IPv4, or the internet address), `destination` the address it was sent to.
 */
export const analysisFindings = (
  verdict: Verdict,
  records: AnalysisRecords,
  scope: ArnScope,
  packet: { readonly source: string; readonly destination: string },
): AnalysisFindings => {
  const found = verdict.delivered && verdict.reply?.delivered !== false;
  const forward: AnalysisPathComponentRecord[] = [];
  const back: AnalysisPathComponentRecord[] = [];
  const pkt: Packet = { src: packet.source, dst: packet.destination };
  let path: Hop["path"] = "forward";
  let lastEni: NetworkInterfaceRecord | undefined;
  let lastRouteTarget: string | undefined;
  let lastVpc: string | undefined;
  const eniAtDst = (): NetworkInterfaceRecord | undefined => {
    if (lastRouteTarget?.startsWith("eni-") === true) {
      const e = records.eni(lastRouteTarget);
      if (e) return e;
    }
    const all = records.enisByAddress(pkt.dst);
    return all.find((e) => e.vpcId === lastVpc) ?? all[0];
  };
  const groupsOf = (eni: NetworkInterfaceRecord | undefined): SecurityGroupRecord[] =>
    (eni?.groupIds ?? []).map((g) => records.securityGroup(g)).filter((g): g is SecurityGroupRecord => g !== undefined);
  let explanation: AnalysisExplanationRecord | undefined;
  for (const hop of verdict.hops) {
    if (hop.path !== path) {
      // The reply: from where the request arrived back to where it came from.
      path = hop.path;
      const { src, dst } = pkt;
      pkt.src = dst;
      pkt.dst = src;
      lastRouteTarget = undefined;
    }
    const list = path === "forward" ? forward : back;
    const egressDetail = /^(leaves|outbound|egress|no outbound|source)/.test(hop.detail);
    let c: Omit<AnalysisPathComponentRecord, "sequenceNumber"> | undefined;
    let eniHere: NetworkInterfaceRecord | undefined;
    switch (hop.type) {
      case "network-interface": {
        const e = records.eni(hop.component);
        eniHere = e;
        if (e) {
          lastEni = e;
          lastVpc = e.vpcId;
        }
        c = {
          component: ref(scope, hop.component),
          vpc: e ? ref(scope, e.vpcId) : undefined,
          subnet: e ? ref(scope, e.subnetId) : undefined,
          attachedTo: e?.attachment ? ref(scope, e.attachment.instanceId) : undefined,
        };
        break;
      }
      case "security-group": {
        const eni = egressDetail && lastEni ? lastEni : eniAtDst();
        eniHere = eni;
        if (eni) lastEni = eni;
        const groups = groupsOf(eni);
        const rule = hop.component.startsWith("sgr-") ? sgRuleRef(groups, hop.component) : undefined;
        const groupId = rule
          ? (groups.find((g) => g.rules.some((r) => r.ruleId === hop.component))?.id ?? hop.component)
          : (hop.component.split(",")[0] ?? hop.component);
        c = { component: ref(scope, groupId), securityGroupRule: rule, vpc: eni ? ref(scope, eni.vpcId) : undefined };
        break;
      }
      case "network-acl": {
        const acl = records.networkAcl(hop.component);
        const egress = /^(outbound|no outbound)/.test(hop.detail);
        const n = /rule (\d+|\*)/.exec(hop.detail)?.[1];
        const subnet = /(subnet-[0-9a-f]+)'s/.exec(hop.detail)?.[1];
        c = {
          component: ref(scope, hop.component),
          aclRule: aclRuleRef(acl, egress, n === undefined ? "*" : n === "*" ? "*" : Number(n)),
          subnet: subnet !== undefined ? ref(scope, subnet) : undefined,
          vpc: acl ? ref(scope, acl.vpcId) : undefined,
        };
        break;
      }
      case "route-table": {
        const table = records.routeTable(hop.component);
        if (table) lastVpc = table.vpcId;
        const m = ROUTE_IN_DETAIL.exec(hop.detail);
        if (m) lastRouteTarget = m[2];
        c = {
          component: ref(scope, hop.component),
          routeTableRoute: m ? routeRef(table, m[1]!, m[2]!) : undefined,
          vpc: table ? ref(scope, table.vpcId) : undefined,
        };
        break;
      }
      case "internet-gateway": {
        const igw = records.internetGateway(hop.component);
        const vpc = igw?.vpcId !== undefined ? ref(scope, igw.vpcId) : undefined;
        const before = applyRewrite(pkt, hop);
        const leaving = hop.rewrite?.field === "source";
        c = {
          component: ref(scope, hop.component),
          sourceVpc: leaving ? vpc : undefined,
          destinationVpc: leaving ? undefined : vpc,
          inboundHeader: hop.rewrite ? { sourceAddresses: [before.src], destinationAddresses: [before.dst] } : undefined,
          outboundHeader: hop.rewrite ? { sourceAddresses: [pkt.src], destinationAddresses: [pkt.dst] } : undefined,
        };
        break;
      }
      case "nat-gateway":
      case "vpc-endpoint":
      case "vpc-peering-connection":
      case "instance": {
        const before = applyRewrite(pkt, hop);
        c = {
          component: ref(scope, hop.component),
          inboundHeader: hop.rewrite ? { sourceAddresses: [before.src], destinationAddresses: [before.dst] } : undefined,
          outboundHeader: hop.rewrite ? { sourceAddresses: [pkt.src], destinationAddresses: [pkt.dst] } : undefined,
        };
        break;
      }
      case "internet":
        // The internet is not a component AWS lists: the internet gateway stands for it.
        break;
    }
    if (hop.action === "drop") {
      explanation = dropExplanation(hop, verdict, records, scope, { eni: eniHere ?? lastEni, pkt, lastRouteTarget });
      break;
    }
    if (c && found) list.push({ sequenceNumber: list.length + 1, ...c });
  }
  if (found) return { networkPathFound: true, forwardPathComponents: forward, returnPathComponents: back, explanations: [] };
  const reason = verdict.reason ?? verdict.reply?.reason ?? "NO_PATH";
  const sentence = verdict.delivered ? (verdict.reply?.explanation ?? verdict.explanation) : verdict.explanation;
  const ex: AnalysisExplanationRecord = explanation
    ? { ...explanation, explanationCode: reason, localvpcSentence: sentence }
    : { explanationCode: reason, localvpcSentence: sentence };
  return { networkPathFound: false, forwardPathComponents: [], returnPathComponents: [], explanations: [ex] };
};

/** The Explanation of the hop that dropped the packet, with the members AWS fills for its code. */
const dropExplanation = (
  hop: Hop,
  verdict: Verdict,
  records: AnalysisRecords,
  scope: ArnScope,
  at: { eni: NetworkInterfaceRecord | undefined; pkt: Packet; lastRouteTarget: string | undefined },
): AnalysisExplanationRecord => {
  const code = (verdict.delivered ? verdict.reply?.reason : verdict.reason) ?? "NO_PATH";
  const direction: "ingress" | "egress" = /^(leaves|outbound|egress|no outbound|source)/.test(hop.detail) ? "egress" : "ingress";
  const eni = at.eni;
  const eniMembers = eni ? { networkInterface: ref(scope, eni.id), vpc: ref(scope, eni.vpcId), subnet: ref(scope, eni.subnetId) } : {};
  switch (hop.type) {
    case "security-group":
      return {
        explanationCode: code,
        direction,
        ...eniMembers,
        securityGroups: (eni?.groupIds ?? hop.component.split(",")).filter((g) => g.startsWith("sg-")).map((g) => ref(scope, g)),
      };
    case "network-acl": {
      const acl = records.networkAcl(hop.component);
      const n = /rule (\d+|\*)/.exec(hop.detail)?.[1];
      const subnet = /(subnet-[0-9a-f]+)'s/.exec(hop.detail)?.[1];
      const egress = /^(outbound|no outbound)/.test(hop.detail);
      return {
        explanationCode: code,
        direction: egress ? "egress" : "ingress",
        acl: ref(scope, hop.component),
        aclRule: aclRuleRef(acl, egress, n === undefined || n === "*" ? "*" : Number(n)),
        subnet: subnet !== undefined ? ref(scope, subnet) : undefined,
        vpc: acl ? ref(scope, acl.vpcId) : undefined,
      };
    }
    case "route-table": {
      const table = records.routeTable(hop.component);
      const m = ROUTE_IN_DETAIL.exec(hop.detail);
      return {
        explanationCode: code,
        routeTable: ref(scope, hop.component),
        routeTableRoute: m ? routeRef(table, m[1]!, m[2]!) : undefined,
        address: at.pkt.dst,
        vpc: table ? ref(scope, table.vpcId) : undefined,
        ...(eni ? { subnet: ref(scope, eni.subnetId) } : {}),
      };
    }
    case "internet-gateway": {
      // The gateway drops egress for want of a public address (the source's), ingress for an unmapped one.
      const igwDirection = hop.rewrite?.field === "destination" || eni === undefined ? "ingress" : "egress";
      return {
        explanationCode: code,
        direction: igwDirection,
        internetGateway: ref(scope, hop.component),
        ...eniMembers,
        address: igwDirection === "egress" ? at.pkt.src : at.pkt.dst,
      };
    }
    case "network-interface":
      return { explanationCode: code, direction, ...eniMembers, address: direction === "egress" ? at.pkt.src : at.pkt.dst };
    case "vpc-peering-connection":
      return { explanationCode: code, vpcPeeringConnection: ref(scope, hop.component), address: at.pkt.dst };
    case "nat-gateway":
      return { explanationCode: code, natGateway: ref(scope, hop.component), address: at.pkt.dst };
    case "internet":
      return { explanationCode: code, address: hop.component };
    default:
      return { explanationCode: code, component: ref(scope, hop.component) };
  }
};
