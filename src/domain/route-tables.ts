/**
 * Route-table rules (CreateRoute / ReplaceRoute / DeleteRoute and the associations), pure over records. AWS facts:
 * VPC User Guide "Route tables" (shared/spec/dataplane.md §4.1): one `local` route per VPC CIDR that cannot be
 * deleted (its target may be replaced by an ENI or NAT gateway and restored), longest-prefix match, routes to
 * 169.254.168.0/22 cannot be added, a subnet has exactly one route table (explicit, else the main one).
 */
import { containsCidr, formatCidr, parseCidr, type Cidr } from "./cidr.js";
import { err } from "./errors.js";
import type { Route, RouteTableRecord } from "./types.js";

/** The one target a CreateRoute/ReplaceRoute names, already resolved by the caller. */
export type RouteTarget =
  | { readonly kind: "local" }
  | { readonly kind: "gateway"; readonly gatewayId: string }
  | { readonly kind: "nat-gateway"; readonly natGatewayId: string }
  | { readonly kind: "network-interface"; readonly networkInterfaceId: string; readonly instanceId?: string | undefined }
  | { readonly kind: "instance"; readonly instanceId: string; readonly networkInterfaceId: string };

/** The destination of a route request: exactly one of the IPv4 / IPv6 CIDR members. */
export const routeDestination = (ipv4: string | undefined, ipv6: string | undefined): { key: string; cidr: Cidr; ipv6: boolean } => {
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

const destinationOf = (r: Route): string | undefined => r.destinationCidrBlock ?? r.destinationIpv6CidrBlock;
export const findRoute = (t: RouteTableRecord, key: string): Route | undefined => t.routes.find((r) => destinationOf(r) === key);

const routeFor = (dest: { key: string; ipv6: boolean }, target: RouteTarget, origin: Route["origin"]): Route => {
  const base = {
    destinationCidrBlock: dest.ipv6 ? undefined : dest.key,
    destinationIpv6CidrBlock: dest.ipv6 ? dest.key : undefined,
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
    case "network-interface":
    case "instance":
      return { ...base, networkInterfaceId: target.networkInterfaceId, instanceId: target.instanceId };
  }
};

/**
 * A route more specific than (or equal to) a VPC CIDR must target an ENI, an instance or a NAT gateway (middlebox
 * routing), never an internet gateway; and `local` is never a CreateRoute target.
 */
const checkTarget = (dest: { key: string; cidr: Cidr }, target: RouteTarget, vpcCidrs: readonly Cidr[]): void => {
  const insideVpc = vpcCidrs.some((v) => v.version === dest.cidr.version && containsCidr(v, dest.cidr));
  if (insideVpc && target.kind === "gateway") throw err.routeMoreSpecificThanLocal(dest.key);
};

export const withCreatedRoute = (
  t: RouteTableRecord,
  dest: { key: string; cidr: Cidr; ipv6: boolean },
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
  dest: { key: string; cidr: Cidr; ipv6: boolean },
  target: RouteTarget,
  vpcCidrs: readonly Cidr[],
): RouteTableRecord => {
  const old = findRoute(t, dest.key);
  if (!old) throw err.routeNotDefined(dest.key);
  const isVpcCidr = vpcCidrs.some((v) => formatCidr(v) === dest.key);
  // `local` can only be restored on a VPC CIDR's own route (VPC-UG "Replace or restore the target for a local route").
  if (target.kind === "local" && !isVpcCidr) throw err.routeLocalTargetNotCreatable();
  if (isVpcCidr && target.kind === "gateway") throw err.routeMoreSpecificThanLocal(dest.key);
  if (!isVpcCidr) checkTarget(dest, target, vpcCidrs);
  const origin = old.origin === "CreateRouteTable" ? "CreateRouteTable" : "CreateRoute";
  return { ...t, routes: t.routes.map((r) => (r === old ? routeFor(dest, target, origin) : r)) };
};

export const withoutRoute = (t: RouteTableRecord, dest: { key: string; ipv6: boolean }): RouteTableRecord => {
  const old = findRoute(t, dest.key);
  if (!old) throw err.routeNotFound(dest.key, t.id, dest.ipv6);
  if (old.origin === "CreateRouteTable") throw err.cannotRemoveLocalRoute(dest.key, t.id);
  return { ...t, routes: t.routes.filter((r) => r !== old) };
};

/** The table a subnet uses: its explicit association, else the VPC's main table. */
export const tableOfSubnet = (tables: readonly RouteTableRecord[], subnetId: string): RouteTableRecord | undefined =>
  tables.find((t) => t.associations.some((a) => a.subnetId === subnetId)) ?? tables.find((t) => t.associations.some((a) => a.main));

export const findAssociation = (
  tables: readonly RouteTableRecord[],
  associationId: string,
): { table: RouteTableRecord; main: boolean; subnetId?: string | undefined } | undefined => {
  for (const table of tables) {
    const a = table.associations.find((x) => x.associationId === associationId);
    if (a) return { table, main: a.main, subnetId: a.subnetId };
  }
  return undefined;
};
