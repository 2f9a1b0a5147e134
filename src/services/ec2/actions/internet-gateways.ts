/**
 * Internet gateways: CreateInternetGateway, AttachInternetGateway, DetachInternetGateway, DeleteInternetGateway,
 * DescribeInternetGateways. An IGW record's `vpcId` is its attachment (one VPC per IGW, one IGW per VPC).
 */
import { err } from "../../../domain/errors.js";
import type { InternetGatewayRecord } from "../../../domain/types.js";
import type { InternetGateway } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

/**
 * AWS reports an attached IGW's attachment state as "available" — not the model enum's "attached" — and the
 * DescribeInternetGateways filter doc says the same ("attachment.state … (available)").
 */
const ATTACHED_STATE = "available" as unknown as "attached";

export const internetGatewayView = (g: InternetGatewayRecord): InternetGateway => ({
  InternetGatewayId: g.id,
  OwnerId: g.ownerId,
  Attachments: g.vpcId !== undefined ? [{ State: ATTACHED_STATE, VpcId: g.vpcId }] : [],
  Tags: tagView(g.tags),
});

/**
 * Routes to the gateway turn "blackhole" while it is detached and "active" again when it is attached to their VPC
 * (VPC User Guide: a route's target "isn't available (for example, the specified gateway isn't attached to the VPC)").
 */
const setRouteStates = (tx: Tx, igwId: string, vpcId: string, state: "active" | "blackhole"): void => {
  for (const t of tx.list("route-table", { vpcId })) {
    if (!t.routes.some((r) => r.gatewayId === igwId)) continue;
    tx.put({ ...t, routes: t.routes.map((r) => (r.gatewayId === igwId ? { ...r, state } : r)) });
  }
};

export const CreateInternetGateway = defineAction({
  name: "CreateInternetGateway",
  mutates: true,
  params: ["TagSpecifications"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "internet-gateway", ctx);
    if (ctx.tx.count("internet-gateway") >= ctx.quotas.internetGatewaysPerRegion) throw err.igwLimitExceeded();
    const igw: InternetGatewayRecord = { kind: "internet-gateway", id: ctx.ids.next("internetGateway"), tags, ownerId: ctx.scope.account };
    ctx.tx.put(igw);
    return { InternetGateway: internetGatewayView(igw) };
  },
});

export const AttachInternetGateway = defineAction({
  name: "AttachInternetGateway",
  mutates: true,
  params: ["InternetGatewayId", "VpcId"],
  run(input, ctx) {
    const { tx } = ctx;
    const igw = must(tx, "internet-gateway", input.InternetGatewayId);
    const vpc = must(tx, "vpc", input.VpcId);
    if (igw.vpcId !== undefined) throw err.igwAlreadyAttached(igw.id, igw.vpcId);
    if (tx.count("internet-gateway", { vpcId: vpc.id }) > 0) throw err.vpcAlreadyHasIgw(vpc.id);
    tx.put({ ...igw, vpcId: vpc.id });
    setRouteStates(tx, igw.id, vpc.id, "active");
    return {};
  },
});

export const DetachInternetGateway = defineAction({
  name: "DetachInternetGateway",
  mutates: true,
  params: ["InternetGatewayId", "VpcId"],
  run(input, ctx) {
    const { tx } = ctx;
    const igw = must(tx, "internet-gateway", input.InternetGatewayId);
    const vpc = must(tx, "vpc", input.VpcId);
    if (igw.vpcId !== vpc.id) throw err.igwNotAttached(igw.id, vpc.id);
    // Model doc: "The VPC must not contain any running instances with Elastic IP addresses or public IPv4 addresses."
    if (tx.idsByKey("network-interface", "public-ip-in-vpc", vpc.id).length > 0) {
      throw err.igwDetachMappedPublicAddress(igw.id, vpc.id);
    }
    tx.put({ ...igw, vpcId: undefined });
    setRouteStates(tx, igw.id, vpc.id, "blackhole");
    return {};
  },
});

export const DeleteInternetGateway = defineAction({
  name: "DeleteInternetGateway",
  mutates: true,
  params: ["InternetGatewayId"],
  run(input, ctx) {
    const igw = must(ctx.tx, "internet-gateway", input.InternetGatewayId);
    if (igw.vpcId !== undefined) throw err.igwDependency(igw.id);
    ctx.tx.delete(igw.id);
    return {};
  },
});

export const DescribeInternetGateways = defineAction({
  name: "DescribeInternetGateways",
  mutates: false,
  params: ["InternetGatewayIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "internet-gateway", input.InternetGatewayIds, input.Filters, {
        id: "internet-gateway-id",
        vpcId: "attachment.vpc-id",
        idsInCreationOrder: true,
      }),
      idOf: (g) => g.id,
      ids: input.InternetGatewayIds,
      idKind: "internetGateway",
      idsParam: "internetGatewayId",
      notFound: (m) => err.igwNotFound(m[0]!),
      filters: input.Filters,
      table: {
        "attachment.state": (g) => (g.vpcId !== undefined ? "available" : undefined),
        "attachment.vpc-id": (g) => g.vpcId,
        "internet-gateway-id": (g) => g.id,
        "owner-id": (g) => g.ownerId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
      keyset: true, // issue 19: the token names the last record answered, so deletions between pages skip nothing
    });
    return { InternetGateways: page.items.map(internetGatewayView), NextToken: page.nextToken };
  },
});

export const INTERNET_GATEWAY_ACTIONS = [
  CreateInternetGateway,
  AttachInternetGateway,
  DetachInternetGateway,
  DeleteInternetGateway,
  DescribeInternetGateways,
];
