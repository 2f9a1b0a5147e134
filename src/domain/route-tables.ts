/**
 * Route-table rules (CreateRoute / ReplaceRoute / DeleteRoute and the associations), pure over records. AWS facts:
 * VPC User Guide "Route tables" (shared/spec/dataplane.md §4.1): one `local` route per VPC CIDR that cannot be
 * deleted (its target may be replaced by an ENI or NAT gateway and restored), longest-prefix match, routes to
 * 169.254.168.0/22 cannot be added, a subnet has exactly one route table (explicit, else the main one).
 */
import { containsCidr, formatCidr, parseCidr, type Cidr } from "./cidr.js";
import { err } from "./errors.js";
import type {
  EgressOnlyInternetGatewayRecord,
  InstanceRecord,
  InternetGatewayRecord,
  NatGatewayRecord,
  NetworkInterfaceRecord,
  Route,
  RouteTableRecord,
} from "./types.js";

/** The one target a CreateRoute/ReplaceRoute names, already resolved by the caller. */
export type RouteTarget =
  | { readonly kind: "local" }
  | { readonly kind: "gateway"; readonly gatewayId: string }
  | { readonly kind: "nat-gateway"; readonly natGatewayId: string }
  | { readonly kind: "network-interface"; readonly networkInterfaceId: string; readonly instanceId?: string | undefined }
  | { readonly kind: "egress-only-igw"; readonly egressOnlyInternetGatewayId: string } // issue 16
  | { readonly kind: "vpc-peering"; readonly vpcPeeringConnectionId: string } // issue 16 (VPC peering)
  | { readonly kind: "instance"; readonly instanceId: string; readonly networkInterfaceId: string };

/** A route's destination: a CIDR, or (issue 16) a customer-managed prefix list (`key` is then the list's id). */
export interface RouteDest {
  readonly key: string;
  readonly ipv6: boolean;
  readonly cidr?: Cidr | undefined;
  readonly prefixListId?: string | undefined;
}

/** A prefix-list destination (the list resolved by the caller; `ipv6` is its address family). */
export const prefixListDestination = (id: string, ipv6: boolean): RouteDest => ({ key: id, ipv6, prefixListId: id });

/** The destination of a route request: exactly one of the IPv4 / IPv6 CIDR members. */
export const routeDestination = (ipv4: string | undefined, ipv6: string | undefined): RouteDest & { cidr: Cidr } => {
  if (ipv4 === undefined && ipv6 === undefined) throw err.routeDestinationRequired();
  if (ipv4 !== undefined && ipv6 !== undefined) throw err.routeDestinationRequired();
  const text = (ipv4 ?? ipv6)!;
  const cidr = parseCidr(text);
  if (!cidr || cidr.version !== (ipv4 !== undefined ? 4 : 6)) throw err.invalidRouteDestination(text);
  // Reserved for the instance metadata service, Route 53 Resolver and Time Sync (VPC-UG "Route table quotas").
  const reserved = parseCidr(cidr.version === 4 ? "169.254.168.0/22" : "fd00:ec2::/32")!;
  if (containsCidr(reserved, cidr)) throw err.routeDestinationReserved(formatCidr(cidr));
  return { key: formatCidr(cidr), cidr, ipv6: ipv4 === undefined };
};

const destinationOf = (r: Route): string | undefined => r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? r.destinationPrefixListId;

/**
 * The routes a table counts against its quota (CreateRoute's): a prefix-list route counts as the list's weight
 * (its MaxEntries: VPC-UG "Managed prefix lists", "counts as 20 routes"), any other as one.
 */
export const routeWeight = (routes: readonly Route[], weightOf: (prefixListId: string) => { readonly weight: number }): number => {
  let n = 0;
  for (const r of routes) {
    if (r.origin !== "CreateRoute") continue;
    n += r.destinationPrefixListId !== undefined ? weightOf(r.destinationPrefixListId).weight : 1;
  }
  return n;
};
export const findRoute = (t: RouteTableRecord, key: string): Route | undefined => t.routes.find((r) => destinationOf(r) === key);

const routeFor = (dest: RouteDest, target: RouteTarget, origin: Route["origin"]): Route => {
  const pl = dest.prefixListId;
  const base = {
    destinationCidrBlock: pl === undefined && !dest.ipv6 ? dest.key : undefined,
    destinationIpv6CidrBlock: pl === undefined && dest.ipv6 ? dest.key : undefined,
    ...(pl !== undefined ? { destinationPrefixListId: pl } : {}),
    origin,
    state: "active" as const,
  };
  switch (target.kind) {
    case "local":
      return { ...base, gatewayId: "local" };
    case "gateway":
      return { ...base, gatewayId: target.gatewayId };
    case "nat-gateway":
      return { ...base, natGatewayId: target.natGatewayId };
    case "egress-only-igw":
      return { ...base, egressOnlyInternetGatewayId: target.egressOnlyInternetGatewayId };
    case "vpc-peering":
      return { ...base, vpcPeeringConnectionId: target.vpcPeeringConnectionId };
    case "network-interface":
    case "instance":
      return { ...base, networkInterfaceId: target.networkInterfaceId, instanceId: target.instanceId };
  }
};

/**
 * A route more specific than (or equal to) a VPC CIDR must target an ENI, an instance or a NAT gateway (middlebox
 * routing), never an internet gateway; and `local` is never a CreateRoute target.
 */
const checkTarget = (dest: RouteDest, target: RouteTarget, vpcCidrs: readonly Cidr[]): void => {
  // An egress-only internet gateway carries IPv6 only (VPC-UG "Egress-only internet gateways"). // issue 16
  if (target.kind === "egress-only-igw" && !dest.ipv6) throw err.routeEigwIpv4(target.egressOnlyInternetGatewayId);
  const cidr = dest.cidr;
  if (cidr === undefined) return; // a prefix list's entries are not checked against the VPC (inferred)
  const insideVpc = vpcCidrs.some((v) => v.version === cidr.version && containsCidr(v, cidr));
  if (insideVpc && (target.kind === "gateway" || target.kind === "egress-only-igw" || target.kind === "vpc-peering"))
    throw err.routeMoreSpecificThanLocal(dest.key);
};

export const withCreatedRoute = (
  t: RouteTableRecord,
  dest: RouteDest,
  target: RouteTarget,
  vpcCidrs: readonly Cidr[],
): RouteTableRecord => {
  if (target.kind === "local") throw err.routeLocalTargetNotCreatable();
  if (findRoute(t, dest.key)) throw err.routeAlreadyExists(dest.key);
  checkTarget(dest, target, vpcCidrs);
  return { ...t, routes: [...t.routes, routeFor(dest, target, "CreateRoute")] };
};

export const withReplacedRoute = (
  t: RouteTableRecord,
  dest: RouteDest,
  target: RouteTarget,
  vpcCidrs: readonly Cidr[],
): RouteTableRecord => {
  const old = findRoute(t, dest.key);
  if (!old) throw err.routeNotDefined(dest.key);
  const isVpcCidr = vpcCidrs.some((v) => formatCidr(v) === dest.key);
  // `local` can only be restored on a VPC CIDR's own route (VPC-UG "Replace or restore the target for a local route").
  if (target.kind === "local" && !isVpcCidr) throw err.routeLocalTargetNotCreatable();
  if (isVpcCidr && (target.kind === "gateway" || target.kind === "egress-only-igw" || target.kind === "vpc-peering"))
    throw err.routeMoreSpecificThanLocal(dest.key);
  if (!isVpcCidr) checkTarget(dest, target, vpcCidrs);
  const origin = old.origin === "CreateRouteTable" ? "CreateRouteTable" : "CreateRoute";
  return { ...t, routes: t.routes.map((r) => (r === old ? routeFor(dest, target, origin) : r)) };
};

export const withoutRoute = (t: RouteTableRecord, dest: RouteDest): RouteTableRecord => {
  const old = findRoute(t, dest.key);
  if (!old)
    throw dest.prefixListId !== undefined ? err.routeNotFoundForPrefixList(dest.key, t.id) : err.routeNotFound(dest.key, t.id, dest.ipv6);
  if (old.origin === "CreateRouteTable") throw err.cannotRemoveLocalRoute(dest.key, t.id);
  return { ...t, routes: t.routes.filter((r) => r !== old) };
};

/** The table a subnet uses: its explicit association, else the VPC's main table. */
export const tableOfSubnet = (tables: readonly RouteTableRecord[], subnetId: string): RouteTableRecord | undefined =>
  tables.find((t) => t.associations.some((a) => a.subnetId === subnetId)) ?? tables.find((t) => t.associations.some((a) => a.main));

export const findAssociation = (
  tables: readonly RouteTableRecord[],
  associationId: string,
): { table: RouteTableRecord; main: boolean; subnetId?: string | undefined; gatewayId?: string | undefined } | undefined => {
  for (const table of tables) {
    const a = table.associations.find((x) => x.associationId === associationId);
    if (a) return { table, main: a.main, subnetId: a.subnetId, gatewayId: a.gatewayId };
  }
  return undefined;
};

/** What `routeStatus` needs to know about a route's target, looked up by the caller (undefined: no such record). */
export interface RouteTargetLookup {
  readonly internetGateway: (id: string) => InternetGatewayRecord | undefined;
  readonly natGateway: (id: string) => NatGatewayRecord | undefined;
  /** Optional: a lookup without it reads every egress-only gateway route as a blackhole. */
  readonly egressOnlyInternetGateway?: ((id: string) => EgressOnlyInternetGatewayRecord | undefined) | undefined;
  readonly networkInterface: (id: string) => NetworkInterfaceRecord | undefined;
  /**
   * Optional (issue 16, VPC peering): the VPCs a connection joins while it is active, undefined otherwise (a lookup
   * without it reads every peering route as a blackhole).
   */
  readonly activePeering?: ((id: string) => readonly [string, string] | undefined) | undefined;
  /** The instance, from whichever account owns it (an ENI may be attached across accounts). */
  readonly instance: (id: string) => InstanceRecord | undefined;
}

/** Instance states in which a NAT instance forwards nothing (a route to it is a blackhole). */
const DOWN: ReadonlySet<string> = new Set(["stopping", "stopped", "shutting-down", "terminated"]);

/**
 * A route's State and InstanceId as DescribeRouteTables shows them, derived from its target at read time. AWS
 * (Route.State): "The blackhole state indicates that the route's target isn't available (for example, the specified
 * gateway isn't attached to the VPC, or the specified NAT instance has been terminated)". So a route is a blackhole
 * when its target:
 * - internet gateway: is deleted, or not attached to the table's VPC;
 * - NAT gateway: is gone or not `available` (deleting/deleted/failed; a `pending` one forwards nothing yet either,
 *   as the evaluator treats it, unverified against AWS);
 * - network interface (also an instance route, which names the instance's ENI): is deleted; is not attached
 *   (requester-managed interfaces excepted: they have no instance); or its instance is stopping, stopped, shutting
 *   down or terminated (a stopped NAT instance shows blackhole too, by community reports, unverified in AWS docs).
 * An ENI route's InstanceId is the instance the ENI is attached to now, so it follows a moved ENI and disappears
 * when the ENI is detached. Other targets (none creatable in localvpc) keep their stored state.
 */
export const routeStatus = (
  vpcId: string,
  r: Route,
  look: RouteTargetLookup,
): { readonly state: Route["state"]; readonly instanceId: string | undefined } => {
  const state = (ok: boolean): Route["state"] => (ok ? "active" : "blackhole");
  const say = (ok: boolean) => ({ state: state(ok), instanceId: r.instanceId });
  const viaEni = (ok: boolean, instanceId: string | undefined) => ({ state: state(ok), instanceId });
  if (r.gatewayId === "local") return say(true);
  if (r.gatewayId?.startsWith("igw-")) return say(look.internetGateway(r.gatewayId)?.vpcId === vpcId);
  if (r.egressOnlyInternetGatewayId !== undefined)
    return say(look.egressOnlyInternetGateway?.(r.egressOnlyInternetGatewayId)?.vpcId === vpcId);
  if (r.natGatewayId !== undefined) return say(look.natGateway(r.natGatewayId)?.state === "available");
  // A peering route is a blackhole unless its connection is active and joins the table's VPC (issue 16).
  if (r.vpcPeeringConnectionId !== undefined) return say(look.activePeering?.(r.vpcPeeringConnectionId)?.includes(vpcId) === true);
  if (r.networkInterfaceId !== undefined) {
    const eni = look.networkInterface(r.networkInterfaceId);
    if (!eni) return viaEni(false, undefined);
    if (eni.requesterManaged && !eni.attachment) return viaEni(true, undefined);
    const a = eni.attachment;
    if (!a || a.status !== "attached") return viaEni(false, undefined);
    const inst = look.instance(a.instanceId);
    return viaEni(inst !== undefined && !DOWN.has(inst.state), a.instanceId);
  }
  if (r.instanceId !== undefined) {
    const inst = look.instance(r.instanceId);
    return say(inst !== undefined && !DOWN.has(inst.state));
  }
  return { state: r.state, instanceId: r.instanceId };
};

/** What the middlebox rules (issue 16) need to know about a route table's VPC. */
export interface MiddleboxScope {
  readonly vpcCidrs: readonly Cidr[];
  /** The CIDR blocks (IPv4 and IPv6) of the VPC's subnets. */
  readonly subnetCidrs: readonly Cidr[];
  /** The table has an edge association with an internet (or virtual private) gateway. */
  readonly gatewayAssociated: boolean;
}

const sameCidr = (a: Cidr, b: Cidr): boolean => a.version === b.version && a.prefix === b.prefix && a.network === b.network;

/**
 * Middlebox routing (issue 16). VPC-UG "Subnet route tables": a route more specific than the local route must match
 * the entire CIDR block of a subnet of the VPC (its target, a NAT gateway or a network interface, is checked by
 * `checkTarget`). VPC-UG "Gateway route tables": a table associated with an internet or virtual private gateway routes
 * only to `local` or a network interface (a Gateway Load Balancer endpoint too, not in localvpc), only to a whole VPC
 * CIDR (replacing the local route's target) or a whole subnet CIDR, never to a prefix list. An instance target names
 * its ENI, but the guide lists only network interfaces for gateway tables: refused there (inferred).
 */
export const checkMiddleboxRoute = (tableId: string, dest: RouteDest, target: RouteTarget, scope: MiddleboxScope): void => {
  const cidr = dest.cidr;
  if (scope.gatewayAssociated) {
    if (cidr === undefined) throw err.gatewayTableRouteDestination(tableId, dest.key);
    if (target.kind !== "local" && target.kind !== "network-interface")
      throw err.gatewayTableRouteTarget(tableId, dest.key, targetIdOf(target));
  }
  if (cidr === undefined) return;
  const isVpcCidr = scope.vpcCidrs.some((v) => sameCidr(v, cidr));
  if (isVpcCidr) return;
  const insideVpc = scope.vpcCidrs.some((v) => v.version === cidr.version && containsCidr(v, cidr));
  const isSubnetCidr = scope.subnetCidrs.some((s) => sameCidr(s, cidr));
  if (scope.gatewayAssociated && !isSubnetCidr) throw err.gatewayTableRouteDestination(tableId, dest.key);
  if (insideVpc && !isSubnetCidr) throw err.routeMoreSpecificNotSubnet(dest.key);
};

const targetIdOf = (t: RouteTarget): string => {
  switch (t.kind) {
    case "local":
      return "local";
    case "gateway":
      return t.gatewayId;
    case "nat-gateway":
      return t.natGatewayId;
    case "egress-only-igw":
      return t.egressOnlyInternetGatewayId;
    case "network-interface":
    case "instance":
      return t.kind === "instance" ? t.instanceId : t.networkInterfaceId;
    default:
      return "its target";
  }
};

/**
 * Whether a table may be associated with a gateway (VPC-UG "Gateway route tables", rules): not when a route has a
 * target other than `local` or a network interface, or a destination outside the VPC's CIDR blocks (a prefix list
 * included: a gateway table cannot route to one).
 */
export const checkGatewayTable = (t: RouteTableRecord, vpcCidrs: readonly Cidr[]): void => {
  for (const r of t.routes) {
    const key = destinationOf(r) ?? "";
    // An ENI route (an instance route names the instance's ENI too: routes do not tell them apart once stored).
    if (r.gatewayId !== "local" && r.networkInterfaceId === undefined) {
      const target = r.gatewayId ?? r.natGatewayId ?? r.egressOnlyInternetGatewayId ?? "its target";
      throw err.gatewayTableRouteTarget(t.id, key, target);
    }
    const cidr = r.destinationPrefixListId === undefined ? parseCidr(key) : undefined;
    if (!cidr || !vpcCidrs.some((v) => v.version === cidr.version && containsCidr(v, cidr)))
      throw err.gatewayTableRouteDestination(t.id, key);
  }
};
