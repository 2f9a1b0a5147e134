/**
 * DescribeRouteTables. Route-table mutations (CreateRoute, AssociateRouteTable, …) are a later issue. Subnets
 * without an explicit association use the main table implicitly; AWS does not list implicit associations
 * ("This command does not return the subnet ID for implicit associations" — model doc), so neither do we.
 */
import { err } from "../domain/errors.js";
import type { Route, RouteTableRecord } from "../domain/types.js";
import type { RouteTable } from "../protocol/model/shapes.js";
import { defineAction } from "./action.js";
import { describe, tagView } from "./describe.js";

const routeView = (r: Route) => ({
  DestinationCidrBlock: r.destinationCidrBlock,
  DestinationIpv6CidrBlock: r.destinationIpv6CidrBlock,
  GatewayId: r.gatewayId,
  NatGatewayId: r.natGatewayId,
  NetworkInterfaceId: r.networkInterfaceId,
  InstanceId: r.instanceId,
  Origin: r.origin,
  State: r.state,
});

export const routeTableView = (t: RouteTableRecord): RouteTable => ({
  RouteTableId: t.id,
  VpcId: t.vpcId,
  OwnerId: t.ownerId,
  Routes: t.routes.map(routeView),
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
    const page = describe({
      items: ctx.tx.list("route-table"),
      idOf: (t) => t.id,
      ids: input.RouteTableIds,
      idKind: "routeTable",
      idsParam: "routeTableId",
      notFound: (m) => err.routeTableNotFound(m[0]!),
      filters: input.Filters,
      // Route targets localvpc cannot create yet (prefix lists, peering, transit/egress-only gateways) read as
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
        "route.destination-prefix-list-id": () => undefined,
        "route.egress-only-internet-gateway-id": () => undefined,
        "route.gateway-id": (t) => t.routes.map((r) => r.gatewayId),
        "route.instance-id": (t) => t.routes.map((r) => r.instanceId),
        "route.nat-gateway-id": (t) => t.routes.map((r) => r.natGatewayId),
        "route.transit-gateway-id": () => undefined,
        "route.origin": (t) => t.routes.map((r) => r.origin),
        "route.state": (t) => t.routes.map((r) => r.state),
        "route.vpc-peering-connection-id": () => undefined,
        "vpc-id": (t) => t.vpcId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { RouteTables: page.items.map(routeTableView), NextToken: page.nextToken };
  },
});

export const ROUTE_TABLE_ACTIONS = [DescribeRouteTables];
