/**
 * Route tables: Create/DeleteRouteTable, Create/Replace/DeleteRoute (targets local, internet gateway, NAT gateway,
 * ENI, instance), Associate/DisassociateRouteTable, ReplaceRouteTableAssociation, DescribeRouteTables. Subnets
 * without an explicit association use the main table implicitly; AWS does not list implicit associations
 * ("This command does not return the subnet ID for implicit associations" — model doc), so neither do we.
 */
import { settleEni } from "../../../domain/eni-attachment.js";
import { err } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import {
  checkGatewayTable,
  checkMiddleboxRoute,
  findAssociation,
  prefixListDestination,
  routeDestination,
  routeWeight,
  type RouteDest,
  routeStatus,
  withCreatedRoute,
  withoutRoute,
  withReplacedRoute,
  type RouteTarget,
  type RouteTargetLookup,
} from "../../../domain/route-tables.js";
import { parseCidr, type Cidr } from "../../../domain/cidr.js";
import type { Route, RouteTableRecord } from "../../../domain/types.js";
import { vpcIpv4Blocks, vpcIpv6Blocks, withLocalRoutes } from "../../../domain/vpc.js";
import type { RouteTable } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { mustPrefixList, prefixListWeightOf } from "../prefix-list-lookup.js";
import { tagsFromSpecs } from "./tags.js";
import { peeringStatus } from "../../../domain/vpc-peering.js";
import { findPeering, mustPeering } from "../vpc-peering-lookup.js";

/**
 * Route targets as the transaction sees them, for `routeStatus` (a route's State and InstanceId are derived when it is
 * read, so a deleted ENI or NAT gateway shows as a blackhole without touching the tables that route to it). The
 * instance an ENI is attached to may belong to another account (cross-account attachment): looked up by id there.
 */
export const routeTargetLookup = (tx: Tx, now: Date): RouteTargetLookup => ({
  internetGateway: (id) => tx.get("internet-gateway", id),
  natGateway: (id) => tx.get("nat-gateway", id),
  egressOnlyInternetGateway: (id) => tx.get("egress-only-internet-gateway", id),
  // A connection stored here or linked from the requester's scope (issue 16, VPC peering).
  activePeering: (id) => {
    const h = findPeering(tx, id);
    return h && peeringStatus(h.pcx, now).code === "active" ? [h.pcx.requester.vpcId, h.pcx.accepter.vpcId] : undefined;
  },
  networkInterface: (id) => {
    const eni = tx.get("network-interface", id);
    return eni && settleEni(eni, now); // a transient attach/detach whose delay has passed is final
  },
  instance: (id) => {
    const own = tx.get("instance", id);
    if (own) return own;
    const elsewhere = tx.scopesOf(id)[0];
    return elsewhere ? tx.forScope(elsewhere).get("instance", id) : undefined;
  },
});

const routeView = (vpcId: string, r: Route, look: RouteTargetLookup) => {
  const { state, instanceId } = routeStatus(vpcId, r, look);
  return {
    DestinationCidrBlock: r.destinationCidrBlock,
    DestinationIpv6CidrBlock: r.destinationIpv6CidrBlock,
    DestinationPrefixListId: r.destinationPrefixListId,
    GatewayId: r.gatewayId,
    EgressOnlyInternetGatewayId: r.egressOnlyInternetGatewayId,
    NatGatewayId: r.natGatewayId,
    NetworkInterfaceId: r.networkInterfaceId,
    VpcPeeringConnectionId: r.vpcPeeringConnectionId,
    InstanceId: instanceId,
    Origin: r.origin,
    State: state,
  };
};

export const routeTableView = (t: RouteTableRecord, look: RouteTargetLookup): RouteTable => ({
  RouteTableId: t.id,
  VpcId: t.vpcId,
  OwnerId: t.ownerId,
  Routes: t.routes.map((r) => routeView(t.vpcId, r, look)),
  Associations: t.associations.map((a) => ({
    Main: a.main,
    RouteTableAssociationId: a.associationId,
    RouteTableId: t.id,
    SubnetId: a.subnetId,
    GatewayId: a.gatewayId,
    AssociationState: { State: "associated" },
  })),
  PropagatingVgws: [],
  Tags: tagView(t.tags),
});

export const DescribeRouteTables = defineAction({
  name: "DescribeRouteTables",
  mutates: false,
  params: ["RouteTableIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const look = routeTargetLookup(ctx.tx, ctx.now);
    const page = describe({
      items: candidates(ctx.tx, "route-table", input.RouteTableIds, input.Filters, {
        id: "route-table-id",
        vpcId: "vpc-id",
        keyed: [
          "association.route-table-association-id",
          "association.subnet-id",
          "association.gateway-id",
          "route.destination-prefix-list-id",
        ],
        idsInCreationOrder: true,
      }),
      idOf: (t) => t.id,
      ids: input.RouteTableIds,
      idKind: "routeTable",
      idsParam: "routeTableId",
      notFound: (m) => err.routeTableNotFound(m[0]!),
      filters: input.Filters,
      // Route targets localvpc cannot create yet (peering, transit/egress-only gateways) read as
      // absent, so those filters match nothing rather than failing.
      table: {
        "association.gateway-id": (t) => t.associations.map((a) => a.gatewayId),
        "association.route-table-association-id": (t) => t.associations.map((a) => a.associationId),
        "association.route-table-id": (t) => (t.associations.length > 0 ? t.id : undefined),
        "association.subnet-id": (t) => t.associations.map((a) => a.subnetId),
        "association.main": (t) => t.associations.map((a) => a.main),
        "owner-id": (t) => t.ownerId,
        "route-table-id": (t) => t.id,
        "route.destination-cidr-block": (t) => t.routes.map((r) => r.destinationCidrBlock),
        "route.destination-ipv6-cidr-block": (t) => t.routes.map((r) => r.destinationIpv6CidrBlock),
        "route.destination-prefix-list-id": (t) => t.routes.map((r) => r.destinationPrefixListId),
        "route.egress-only-internet-gateway-id": (t) => t.routes.map((r) => r.egressOnlyInternetGatewayId),
        "route.gateway-id": (t) => t.routes.map((r) => r.gatewayId),
        "route.instance-id": (t) => t.routes.map((r) => routeStatus(t.vpcId, r, look).instanceId),
        "route.nat-gateway-id": (t) => t.routes.map((r) => r.natGatewayId),
        "route.transit-gateway-id": () => undefined,
        "route.origin": (t) => t.routes.map((r) => r.origin),
        "route.state": (t) => t.routes.map((r) => routeStatus(t.vpcId, r, look).state),
        "route.vpc-peering-connection-id": (t) => t.routes.map((r) => r.vpcPeeringConnectionId),
        "vpc-id": (t) => t.vpcId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      keyset: true, // issue 19: the token names the last record answered, so deletions between pages skip nothing
    });
    return { RouteTables: page.items.map((t) => routeTableView(t, look)), NextToken: page.nextToken };
  },
});

/** Route tables per VPC and non-propagated routes per table (VPC-UG quotas, shared/spec/dataplane.md §2.5). */
const ROUTE_TABLES_PER_VPC = 200;
export const ROUTES_PER_TABLE = 50;

interface RouteDestinationInput {
  readonly DestinationCidrBlock?: string | undefined;
  readonly DestinationIpv6CidrBlock?: string | undefined;
  readonly DestinationPrefixListId?: string | undefined;
}

/**
 * The request's one destination. A prefix list (issue 16) must be a customer-managed list of the account: AWS-managed
 * lists reach route tables only through gateway endpoints (VPC-UG "Managed prefix lists", inferred as an error).
 */
const destinationOf = (ctx: ActionContext, input: RouteDestinationInput): RouteDest => {
  if (input.DestinationPrefixListId === undefined) return routeDestination(input.DestinationCidrBlock, input.DestinationIpv6CidrBlock);
  if (input.DestinationCidrBlock !== undefined || input.DestinationIpv6CidrBlock !== undefined) throw err.routeDestinationOneOf();
  const l = mustPrefixList(ctx.tx, input.DestinationPrefixListId);
  if (l.awsManaged) throw err.prefixListAwsManagedInRoute(l.id);
  return prefixListDestination(l.id, l.addressFamily === "IPv6");
};

interface TargetInput {
  readonly GatewayId?: string | undefined;
  readonly EgressOnlyInternetGatewayId?: string | undefined;
  readonly NatGatewayId?: string | undefined;
  readonly NetworkInterfaceId?: string | undefined;
  readonly InstanceId?: string | undefined;
  readonly VpcPeeringConnectionId?: string | undefined; // issue 16 (VPC peering)
}

/**
 * A route to a VPC peering connection (issue 16): one the caller can see, that joins the table's VPC, and is active
 * (the brief's rule; whether AWS accepts a pending connection and shows the route as a blackhole is unverified).
 */
const peeringTarget = (ctx: ActionContext, table: RouteTableRecord, id: string): RouteTarget => {
  const { pcx } = mustPeering(ctx.tx, id, ctx.now);
  if (pcx.requester.vpcId !== table.vpcId && pcx.accepter.vpcId !== table.vpcId) throw err.routePeeringOtherVpc(table.id, pcx.id);
  const { code } = peeringStatus(pcx, ctx.now);
  if (code !== "active") throw err.routePeeringNotActive(pcx.id, code);
  return { kind: "vpc-peering", vpcPeeringConnectionId: pcx.id };
};

/** Resolves the request's single target, checking that it exists and is in the table's VPC. */
const resolveTarget = (ctx: ActionContext, table: RouteTableRecord, input: TargetInput): RouteTarget => {
  const given = [
    input.GatewayId,
    input.EgressOnlyInternetGatewayId,
    input.NatGatewayId,
    input.NetworkInterfaceId,
    input.InstanceId,
    input.VpcPeeringConnectionId,
  ].filter((x) => x !== undefined);
  if (given.length !== 1) throw err.routeTargetRequired();
  const { tx } = ctx;
  if (input.GatewayId !== undefined) {
    if (input.GatewayId === "local") return { kind: "local" };
    if (!isIdOf("internetGateway", input.GatewayId)) throw err.gatewayNotFound(input.GatewayId);
    const igw = tx.get("internet-gateway", input.GatewayId);
    if (!igw) throw err.gatewayNotFound(input.GatewayId);
    if (igw.vpcId !== table.vpcId) throw err.routeGatewayOtherNetwork(table.id, igw.id);
    return { kind: "gateway", gatewayId: igw.id };
  }
  if (input.EgressOnlyInternetGatewayId !== undefined) {
    const eigw = must(tx, "egress-only-internet-gateway", input.EgressOnlyInternetGatewayId);
    if (eigw.vpcId !== table.vpcId) throw err.routeTargetOtherNetwork(table.id, eigw.id);
    return { kind: "egress-only-igw", egressOnlyInternetGatewayId: eigw.id };
  }
  if (input.NatGatewayId !== undefined) {
    const nat = must(tx, "nat-gateway", input.NatGatewayId);
    if (nat.state === "deleted" || nat.state === "deleting") throw err.natGatewayNotFound(nat.id);
    if (nat.vpcId !== table.vpcId) throw err.routeTargetOtherNetwork(table.id, nat.id);
    return { kind: "nat-gateway", natGatewayId: nat.id };
  }
  if (input.NetworkInterfaceId !== undefined) {
    const eni = must(tx, "network-interface", input.NetworkInterfaceId);
    if (eni.vpcId !== table.vpcId) throw err.routeTargetOtherNetwork(table.id, eni.id);
    return { kind: "network-interface", networkInterfaceId: eni.id, instanceId: eni.attachment?.instanceId };
  }
  if (input.VpcPeeringConnectionId !== undefined) return peeringTarget(ctx, table, input.VpcPeeringConnectionId);
  const instance = must(tx, "instance", input.InstanceId!);
  const enis = tx.list("network-interface", { instanceId: instance.id });
  if (enis.length !== 1) throw err.instanceHasSeveralEnis(instance.id);
  if (enis[0]!.vpcId !== table.vpcId) throw err.routeTargetOtherNetwork(table.id, instance.id);
  return { kind: "instance", instanceId: instance.id, networkInterfaceId: enis[0]!.id };
};

const vpcCidrsOf = (ctx: ActionContext, table: RouteTableRecord) => {
  const vpc = must(ctx.tx, "vpc", table.vpcId);
  return [...vpcIpv4Blocks(vpc), ...vpcIpv6Blocks(vpc)];
};

/** The subnet CIDR blocks of the table's VPC and whether it is a gateway route table (middlebox rules, issue 16). */
const middleboxScope = (ctx: ActionContext, table: RouteTableRecord, vpcCidrs: readonly Cidr[]) => {
  const subnetCidrs: Cidr[] = [];
  for (const s of ctx.tx.list("subnet", { vpcId: table.vpcId })) {
    for (const text of [s.cidrBlock, ...s.ipv6Associations.map((a) => a.ipv6CidrBlock)]) {
      const c = text === undefined ? undefined : parseCidr(text);
      if (c) subnetCidrs.push(c);
    }
  }
  return { vpcCidrs, subnetCidrs, gatewayAssociated: table.associations.some((a) => a.gatewayId !== undefined) };
};

export const CreateRouteTable = defineAction({
  name: "CreateRouteTable",
  mutates: true,
  params: ["VpcId", "TagSpecifications", "ClientToken"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "route-table", ctx);
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    if (ctx.tx.count("route-table", { vpcId: vpc.id }) >= ROUTE_TABLES_PER_VPC) throw err.routeTableLimitExceeded();
    const table = withLocalRoutes(
      {
        kind: "route-table",
        id: ctx.ids.next("routeTable"),
        tags,
        vpcId: vpc.id,
        ownerId: ctx.scope.account,
        routes: [],
        associations: [],
      },
      vpc,
    );
    ctx.tx.put(table);
    return { RouteTable: routeTableView(table, routeTargetLookup(ctx.tx, ctx.now)), ClientToken: input.ClientToken };
  },
});

export const DeleteRouteTable = defineAction({
  name: "DeleteRouteTable",
  mutates: true,
  params: ["RouteTableId"],
  run(input, ctx) {
    const table = must(ctx.tx, "route-table", input.RouteTableId);
    // The main table and any table with a subnet association cannot be deleted (VPC-UG "Delete a route table").
    if (table.associations.length > 0) throw err.routeTableDependency(table.id);
    // A gateway endpoint's route makes the table a dependency of the endpoint (issue 16; inferred from the same text).
    if (table.routes.some((r) => r.gatewayId?.startsWith("vpce-") === true)) throw err.routeTableDependency(table.id);
    ctx.tx.delete(table.id);
    return {};
  },
});

/** CreateRoute and ReplaceRoute take the same members: the table, one destination and one target. */
const ROUTE_PARAMS = [
  "RouteTableId",
  "DestinationCidrBlock",
  "DestinationIpv6CidrBlock",
  "DestinationPrefixListId",
  "GatewayId",
  "EgressOnlyInternetGatewayId",
  "NatGatewayId",
  "NetworkInterfaceId",
  "InstanceId",
  "VpcPeeringConnectionId", // issue 16 (VPC peering)
] as const;

/** The table, destination and resolved target a CreateRoute/ReplaceRoute names, with the VPC's CIDRs. */
const routeRequest = (input: TargetInput & RouteDestinationInput & { readonly RouteTableId: string }, ctx: ActionContext) => {
  const table = must(ctx.tx, "route-table", input.RouteTableId);
  const dest = destinationOf(ctx, input);
  const target = resolveTarget(ctx, table, input);
  return { table, dest, target, vpcCidrs: vpcCidrsOf(ctx, table) };
};

export const CreateRoute = defineAction({
  name: "CreateRoute",
  mutates: true,
  params: ROUTE_PARAMS,
  run(input, ctx) {
    const { table, dest, target, vpcCidrs } = routeRequest(input, ctx);
    const next = withCreatedRoute(table, dest, target, vpcCidrs);
    checkMiddleboxRoute(table.id, dest, target, middleboxScope(ctx, table, vpcCidrs)); // issue 16
    if (routeWeight(next.routes, prefixListWeightOf(ctx.tx)) > ROUTES_PER_TABLE) throw err.routeLimitExceeded();
    ctx.tx.put(next);
    return { Return: true };
  },
});

export const ReplaceRoute = defineAction({
  name: "ReplaceRoute",
  mutates: true,
  params: ROUTE_PARAMS,
  run(input, ctx) {
    const { table, dest, target, vpcCidrs } = routeRequest(input, ctx);
    const next = withReplacedRoute(table, dest, target, vpcCidrs);
    checkMiddleboxRoute(table.id, dest, target, middleboxScope(ctx, table, vpcCidrs)); // issue 16
    ctx.tx.put(next);
    return {};
  },
});

export const DeleteRoute = defineAction({
  name: "DeleteRoute",
  mutates: true,
  params: ["RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"],
  run(input, ctx) {
    const table = must(ctx.tx, "route-table", input.RouteTableId);
    const dest = destinationOf(ctx, input);
    ctx.tx.put(withoutRoute(table, dest));
    return {};
  },
});

/**
 * An edge association (issue 16): the VPC's internet gateway (localvpc has no virtual private gateways), attached to
 * the table's VPC, associated with no other table (a gateway has one route table), and a table whose routes a gateway
 * table may have (`checkGatewayTable`).
 */
const associateGateway = (ctx: ActionContext, table: RouteTableRecord, gatewayId: string) => {
  const { tx } = ctx;
  if (!isIdOf("internetGateway", gatewayId)) throw err.gatewayNotFound(gatewayId);
  const igw = must(tx, "internet-gateway", gatewayId);
  // AWS-OBS wording of CreateRoute's check; for an association inferred.
  if (igw.vpcId !== table.vpcId) throw err.routeGatewayOtherNetwork(table.id, igw.id);
  for (const t of tx.list("route-table", { vpcId: table.vpcId })) {
    const held = t.associations.find((a) => a.gatewayId === igw.id);
    if (held) throw err.gatewayAlreadyAssociated(igw.id, held.associationId);
  }
  checkGatewayTable(table, vpcCidrsOf(ctx, table));
  const associationId = ctx.ids.next("routeTableAssociation");
  tx.put({ ...table, associations: [...table.associations, { associationId, main: false, gatewayId: igw.id }] });
  return { AssociationId: associationId, AssociationState: { State: "associated" as const } };
};

export const AssociateRouteTable = defineAction({
  name: "AssociateRouteTable",
  mutates: true,
  params: ["RouteTableId", "SubnetId", "GatewayId"],
  run(input, ctx) {
    const { tx } = ctx;
    const table = must(tx, "route-table", input.RouteTableId);
    if (input.SubnetId !== undefined && input.GatewayId !== undefined) throw err.associationTargetOneOf();
    if (input.GatewayId !== undefined) return associateGateway(ctx, table, input.GatewayId);
    if (input.SubnetId === undefined) throw err.missingParameter("subnetId");
    const subnet = must(tx, "subnet", input.SubnetId);
    if (subnet.vpcId !== table.vpcId) throw err.routeTableOtherNetwork(table.id, subnet.id);
    const tables = tx.list("route-table", { vpcId: table.vpcId });
    if (tables.some((t) => t.associations.some((a) => a.subnetId === subnet.id))) throw err.routeTableAssociationConflict(table.id);
    const associationId = ctx.ids.next("routeTableAssociation");
    tx.put({ ...table, associations: [...table.associations, { associationId, main: false, subnetId: subnet.id }] });
    return { AssociationId: associationId, AssociationState: { State: "associated" } };
  },
});

export const DisassociateRouteTable = defineAction({
  name: "DisassociateRouteTable",
  mutates: true,
  params: ["AssociationId"],
  run(input, ctx) {
    if (!isIdOf("routeTableAssociation", input.AssociationId)) throw err.associationNotFound(input.AssociationId);
    const found = findAssociation(tablesWithAssociation(ctx.tx, input.AssociationId), input.AssociationId);
    if (!found) throw err.associationNotFound(input.AssociationId);
    if (found.main) throw err.cannotDisassociateMain(input.AssociationId);
    ctx.tx.put({ ...found.table, associations: found.table.associations.filter((a) => a.associationId !== input.AssociationId) });
    return {};
  },
});

/** The table holding an association, by the `association.route-table-association-id` key (not a scan of tables). */
const tablesWithAssociation = (tx: Tx, associationId: string) =>
  tx.getMany("route-table", tx.idsByKey("route-table", "association.route-table-association-id", associationId));

export const ReplaceRouteTableAssociation = defineAction({
  name: "ReplaceRouteTableAssociation",
  mutates: true,
  params: ["AssociationId", "RouteTableId"],
  run(input, ctx) {
    const { tx } = ctx;
    if (!isIdOf("routeTableAssociation", input.AssociationId)) throw err.associationNotFound(input.AssociationId);
    const target = must(tx, "route-table", input.RouteTableId);
    const found = findAssociation(tablesWithAssociation(tx, input.AssociationId), input.AssociationId);
    if (!found) throw err.associationNotFound(input.AssociationId);
    if (found.table.vpcId !== target.vpcId)
      throw err.routeTableOtherNetwork(target.id, found.subnetId ?? found.gatewayId ?? found.table.vpcId);
    // An edge association moves only to a table a gateway may use (issue 16).
    if (found.gatewayId !== undefined && target.id !== found.table.id) checkGatewayTable(target, vpcCidrsOf(ctx, target));
    const associationId = ctx.ids.next("routeTableAssociation");
    // Moving the main association makes the target the VPC's main table (VPC-UG "Replace the main route table").
    const old = { ...found.table, associations: found.table.associations.filter((a) => a.associationId !== input.AssociationId) };
    tx.put(old);
    const fresh = old.id === target.id ? old : target;
    const moved = { associationId, main: found.main, subnetId: found.subnetId, gatewayId: found.gatewayId };
    tx.put({ ...fresh, associations: [...fresh.associations, moved] });
    return { NewAssociationId: associationId, AssociationState: { State: "associated" } };
  },
});

export const ROUTE_TABLE_ACTIONS = [
  DescribeRouteTables,
  CreateRouteTable,
  DeleteRouteTable,
  CreateRoute,
  ReplaceRoute,
  DeleteRoute,
  AssociateRouteTable,
  DisassociateRouteTable,
  ReplaceRouteTableAssociation,
];
