/**
 * Egress-only internet gateways: CreateEgressOnlyInternetGateway (into an existing VPC, attached for life),
 * DescribeEgressOnlyInternetGateways, DeleteEgressOnlyInternetGateway. Routes to one (EgressOnlyInternetGatewayId in
 * CreateRoute/ReplaceRoute) take IPv6 destinations only (route-tables.ts). The data plane does not simulate IPv6
 * traffic yet, so an egress-only gateway changes no packet verdict.
 */
import { err } from "../../../domain/errors.js";
import type { EgressOnlyInternetGatewayRecord } from "../../../domain/types.js";
import type { EgressOnlyInternetGateway } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

export const egressOnlyInternetGatewayView = (g: EgressOnlyInternetGatewayRecord): EgressOnlyInternetGateway => ({
  EgressOnlyInternetGatewayId: g.id,
  Attachments: [{ State: "attached", VpcId: g.vpcId }],
  Tags: tagView(g.tags),
});

export const CreateEgressOnlyInternetGateway = defineAction({
  name: "CreateEgressOnlyInternetGateway",
  mutates: true,
  params: ["VpcId", "TagSpecifications", "ClientToken"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "egress-only-internet-gateway", ctx);
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    const g: EgressOnlyInternetGatewayRecord = {
      kind: "egress-only-internet-gateway",
      id: ctx.ids.next("egressOnlyInternetGateway"),
      tags,
      ownerId: ctx.scope.account,
      vpcId: vpc.id,
    };
    ctx.tx.put(g);
    return { EgressOnlyInternetGateway: egressOnlyInternetGatewayView(g), ClientToken: input.ClientToken };
  },
});

export const DeleteEgressOnlyInternetGateway = defineAction({
  name: "DeleteEgressOnlyInternetGateway",
  mutates: true,
  params: ["EgressOnlyInternetGatewayId"],
  run(input, ctx) {
    const g = must(ctx.tx, "egress-only-internet-gateway", input.EgressOnlyInternetGatewayId);
    // Routes to it stay and read as blackhole (routeStatus), as routes to a deleted internet gateway do.
    ctx.tx.delete(g.id);
    return { ReturnCode: true };
  },
});

export const DescribeEgressOnlyInternetGateways = defineAction({
  name: "DescribeEgressOnlyInternetGateways",
  mutates: false,
  params: ["EgressOnlyInternetGatewayIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "egress-only-internet-gateway", input.EgressOnlyInternetGatewayIds, input.Filters),
      idOf: (g) => g.id,
      ids: input.EgressOnlyInternetGatewayIds,
      idKind: "egressOnlyInternetGateway",
      idsParam: "egressOnlyInternetGatewayId",
      notFound: (m) => err.eigwNotFound(m[0]!),
      filters: input.Filters,
      // The model documents only tag:<key> and tag-key for this action.
      table: {},
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { EgressOnlyInternetGateways: page.items.map(egressOnlyInternetGatewayView), NextToken: page.nextToken };
  },
});

export const EGRESS_ONLY_INTERNET_GATEWAY_ACTIONS = [
  CreateEgressOnlyInternetGateway,
  DescribeEgressOnlyInternetGateways,
  DeleteEgressOnlyInternetGateway,
];
