/**
 * VPC peering (issue 16): CreateVpcPeeringConnection (same account, another account, another Region),
 * AcceptVpcPeeringConnection, RejectVpcPeeringConnection, DeleteVpcPeeringConnection, DescribeVpcPeeringConnections,
 * ModifyVpcPeeringConnectionOptions. Storage and lookups: services/ec2/vpc-peering-lookup.ts; rules:
 * domain/vpc-peering.ts. Routes to a connection are in route-tables.ts, the data plane in domain/dataplane/.
 */
import { isAccountId } from "../../../domain/eni-attachment.js";
import { err } from "../../../domain/errors.js";
import { assertIdOf } from "../../../domain/ids.js";
import { isAwsRegion } from "../../../domain/regions.js";
import type { VpcPeeringConnectionRecord, VpcPeeringLinkRecord, VpcPeeringSide, VpcRecord } from "../../../domain/types.js";
import {
  accepted,
  checkAnswer,
  checkDelete,
  checkModifyOptions,
  deleted,
  FAILED_MESSAGE,
  failedOnAccept,
  ipv4Overlap,
  PEERING_REQUEST_LIFETIME_MS,
  peeringStatus,
  peeringVisible,
  peerVpcOf,
  rejected,
} from "../../../domain/vpc-peering.js";
import type { PeeringConnectionOptionsRequest, VpcPeeringConnection, VpcPeeringConnectionVpcInfo } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { describe, tagView } from "../../common/describe.js";
import { defineAction } from "../action.js";
import { must } from "../lookups.js";
import { activePeersOf, mustPeering, peeringsOfVpc, peeringTags, scopePeerings, type HeldPeering } from "../vpc-peering-lookup.js";
import { tagsFromSpecs } from "./tags.js";

const vpcOf = (tx: Tx, side: VpcPeeringSide): VpcRecord | undefined =>
  tx.forScope({ account: side.ownerId, region: side.region }).get("vpc", side.vpcId);

/**
 * One side's VpcInfo. The accepter's CIDRs and both sides' options appear once the connection is active (before, AWS
 * shows the accepter's owner, VPC and Region only); CIDRs are read from the VPC, so an added block shows at once.
 */
const sideView = (tx: Tx, side: VpcPeeringSide, full: boolean, options: boolean): VpcPeeringConnectionVpcInfo => {
  const vpc = full ? vpcOf(tx, side) : undefined;
  return {
    OwnerId: side.ownerId,
    VpcId: side.vpcId,
    Region: side.region,
    ...(vpc
      ? {
          CidrBlock: vpc.cidrBlock,
          CidrBlockSet: vpc.cidrAssociations.filter((a) => a.state === "associated").map((a) => ({ CidrBlock: a.cidrBlock })),
          Ipv6CidrBlockSet: vpc.ipv6Associations.filter((a) => a.state === "associated").map((a) => ({ Ipv6CidrBlock: a.ipv6CidrBlock })),
        }
      : {}),
    ...(options
      ? {
          PeeringOptions: {
            AllowDnsResolutionFromRemoteVpc: side.allowDnsResolutionFromRemoteVpc,
            AllowEgressFromLocalClassicLinkToRemoteVpc: false,
            AllowEgressFromLocalVpcToRemoteClassicLink: false,
          },
        }
      : {}),
  };
};

/** The connection as the caller sees it at `now` (`initiating` for CreateVpcPeeringConnection's answer). */
const peeringView = (h: HeldPeering, now: Date, initiating = false): VpcPeeringConnection => {
  const { pcx } = h;
  const status = initiating
    ? { code: "initiating-request" as const, message: `Initiating Request to ${pcx.accepter.ownerId}` }
    : peeringStatus(pcx, now);
  const active = status.code === "active";
  return {
    VpcPeeringConnectionId: pcx.id,
    RequesterVpcInfo: sideView(h.tx, pcx.requester, true, active || initiating || status.code === "pending-acceptance"),
    AccepterVpcInfo: sideView(h.tx, pcx.accepter, active, active),
    Status: { Code: status.code, Message: status.message },
    ExpirationTime: status.code === "pending-acceptance" || initiating ? new Date(pcx.expirationTime) : undefined,
    Tags: tagView(peeringTags(h)),
  };
};

export const CreateVpcPeeringConnection = defineAction({
  name: "CreateVpcPeeringConnection",
  mutates: true,
  params: ["VpcId", "PeerVpcId", "PeerOwnerId", "PeerRegion", "TagSpecifications"],
  run(input, ctx) {
    const { tx, now } = ctx;
    const tags = tagsFromSpecs(input.TagSpecifications, "vpc-peering-connection", ctx);
    const vpc = must(tx, "vpc", input.VpcId);
    if (input.PeerVpcId === undefined) throw err.vpcPeeringPeerVpcRequired();
    assertIdOf("vpc", input.PeerVpcId);
    const peerAccount = input.PeerOwnerId ?? ctx.scope.account;
    if (!isAccountId(peerAccount)) throw err.vpcPeeringInvalidAccount(peerAccount);
    const peerRegion = input.PeerRegion ?? ctx.scope.region;
    if (!isAwsRegion(peerRegion)) throw err.vpcPeeringInvalidRegion(peerRegion);
    const peerScope = { account: peerAccount, region: peerRegion };
    const sameScope = peerAccount === ctx.scope.account && peerRegion === ctx.scope.region;
    if (sameScope && input.PeerVpcId === vpc.id) throw err.vpcPeeringWithItself(vpc.id);
    const ptx = tx.forScope(peerScope);
    // Within the caller's own scope a missing peer VPC is an error; elsewhere the request fails asynchronously (the
    // requester is not told whether another account's VPC exists), as AWS answers with a `failed` connection.
    const peerVpc = sameScope ? must(tx, "vpc", input.PeerVpcId) : ptx.get("vpc", input.PeerVpcId);
    const live = peeringsOfVpc(tx, vpc.id).some((h) => {
      const code = peeringStatus(h.pcx, now).code;
      return (code === "active" || code === "pending-acceptance") && peerVpcOf(h.pcx, vpc.id) === input.PeerVpcId;
    });
    if (live) throw err.vpcPeeringAlreadyExists(vpc.id, input.PeerVpcId);
    const failed = peerVpc === undefined || ipv4Overlap(vpc, peerVpc);
    const side = (vpcId: string, ownerId: string, region: string): VpcPeeringSide => ({
      vpcId,
      ownerId,
      region,
      allowDnsResolutionFromRemoteVpc: false,
    });
    const pcx: VpcPeeringConnectionRecord = {
      kind: "vpc-peering-connection",
      id: ctx.ids.next("vpcPeeringConnection"),
      tags,
      vpcId: vpc.id,
      requester: side(vpc.id, ctx.scope.account, ctx.scope.region),
      accepter: side(input.PeerVpcId, peerAccount, peerRegion),
      status: failed ? "failed" : "pending-acceptance",
      statusMessage: failed ? FAILED_MESSAGE : `Pending Acceptance by ${peerAccount}`,
      statusTime: now.toISOString(),
      expirationTime: new Date(now.getTime() + PEERING_REQUEST_LIFETIME_MS).toISOString(),
    };
    tx.put(pcx);
    if (!failed && !sameScope) {
      const link: VpcPeeringLinkRecord = {
        kind: "vpc-peering-link",
        id: pcx.id,
        tags: [],
        vpcId: input.PeerVpcId,
        requesterAccount: ctx.scope.account,
        requesterRegion: ctx.scope.region,
      };
      ptx.put(link);
    }
    return { VpcPeeringConnection: peeringView({ pcx, tx, side: sameScope ? "both" : "requester" }, now, true) };
  },
});

export const AcceptVpcPeeringConnection = defineAction({
  name: "AcceptVpcPeeringConnection",
  mutates: true,
  params: ["VpcPeeringConnectionId"],
  run(input, ctx) {
    const h = mustPeering(ctx.tx, input.VpcPeeringConnectionId, ctx.now);
    checkAnswer(h.pcx, ctx.scope, "accept", ctx.now);
    // The CIDRs are checked again: a block associated since the request may overlap the peer's now.
    const [mine, theirs] = [vpcOf(ctx.tx, h.pcx.accepter), vpcOf(ctx.tx, h.pcx.requester)];
    const usable = mine !== undefined && theirs !== undefined && !ipv4Overlap(mine, theirs);
    const pcx = usable ? accepted(h.pcx, ctx.now) : failedOnAccept(h.pcx, ctx.now);
    h.tx.put(pcx);
    return { VpcPeeringConnection: peeringView({ ...h, pcx }, ctx.now) };
  },
});

export const RejectVpcPeeringConnection = defineAction({
  name: "RejectVpcPeeringConnection",
  mutates: true,
  params: ["VpcPeeringConnectionId"],
  run(input, ctx) {
    const h = mustPeering(ctx.tx, input.VpcPeeringConnectionId, ctx.now);
    checkAnswer(h.pcx, ctx.scope, "reject", ctx.now);
    h.tx.put(rejected(h.pcx, ctx.scope.account, ctx.now));
    return { Return: true };
  },
});

export const DeleteVpcPeeringConnection = defineAction({
  name: "DeleteVpcPeeringConnection",
  mutates: true,
  params: ["VpcPeeringConnectionId"],
  run(input, ctx) {
    const h = mustPeering(ctx.tx, input.VpcPeeringConnectionId, ctx.now);
    checkDelete(h.pcx, h.side, ctx.now);
    // Routes that target it are kept and read as blackholes (route-tables.ts), as AWS shows them.
    h.tx.put(deleted(h.pcx, ctx.scope.account, ctx.now));
    return { Return: true };
  },
});

export const DescribeVpcPeeringConnections = defineAction({
  name: "DescribeVpcPeeringConnections",
  mutates: false,
  params: ["VpcPeeringConnectionIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const { now } = ctx;
    const account = ctx.scope.account;
    const items = scopePeerings(ctx.tx)
      .filter((h) => peeringVisible(h.pcx, h.side, account, now))
      .map((h) => ({ h, view: peeringView(h, now) }));
    const cidrs = (i: VpcPeeringConnectionVpcInfo | undefined) => (i?.CidrBlockSet ?? []).map((c) => c.CidrBlock);
    const page = describe({
      items,
      idOf: (i) => i.h.pcx.id,
      ids: input.VpcPeeringConnectionIds,
      idKind: "vpcPeeringConnection",
      idsParam: "vpcPeeringConnectionId",
      notFound: (m) => err.vpcPeeringNotFound(m[0]!),
      filters: input.Filters,
      tagsOf: (i) => peeringTags(i.h),
      table: {
        "accepter-vpc-info.cidr-block": (i) => cidrs(i.view.AccepterVpcInfo),
        "accepter-vpc-info.owner-id": (i) => i.h.pcx.accepter.ownerId,
        "accepter-vpc-info.vpc-id": (i) => i.h.pcx.accepter.vpcId,
        "expiration-time": (i) => i.view.ExpirationTime?.toISOString(),
        "requester-vpc-info.cidr-block": (i) => cidrs(i.view.RequesterVpcInfo),
        "requester-vpc-info.owner-id": (i) => i.h.pcx.requester.ownerId,
        "requester-vpc-info.vpc-id": (i) => i.h.pcx.requester.vpcId,
        "status-code": (i) => i.view.Status?.Code,
        "status-message": (i) => i.view.Status?.Message,
        "vpc-peering-connection-id": (i) => i.h.pcx.id,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { VpcPeeringConnections: page.items.map((i) => i.view), NextToken: page.nextToken };
  },
});

/** The one option localvpc keeps; the ClassicLink ones can only be false (EC2-Classic is retired). */
const dnsOption = (o: PeeringConnectionOptionsRequest | undefined): boolean | undefined => {
  if (!o) return undefined;
  if (o.AllowEgressFromLocalClassicLinkToRemoteVpc === true)
    throw err.vpcPeeringClassicLinkOption("AllowEgressFromLocalClassicLinkToRemoteVpc");
  if (o.AllowEgressFromLocalVpcToRemoteClassicLink === true)
    throw err.vpcPeeringClassicLinkOption("AllowEgressFromLocalVpcToRemoteClassicLink");
  return o.AllowDnsResolutionFromRemoteVpc;
};

export const ModifyVpcPeeringConnectionOptions = defineAction({
  name: "ModifyVpcPeeringConnectionOptions",
  mutates: true,
  params: ["VpcPeeringConnectionId", "RequesterPeeringConnectionOptions", "AccepterPeeringConnectionOptions"],
  run(input, ctx) {
    const h = mustPeering(ctx.tx, input.VpcPeeringConnectionId, ctx.now);
    const req = dnsOption(input.RequesterPeeringConnectionOptions);
    const acc = dnsOption(input.AccepterPeeringConnectionOptions);
    const change = {
      requester: input.RequesterPeeringConnectionOptions !== undefined,
      accepter: input.AccepterPeeringConnectionOptions !== undefined,
    };
    checkModifyOptions(h.pcx, h.side, ctx.scope.account, change, ctx.now);
    if (req === true || acc === true) {
      // "DNS hostname support must be enabled for the VPCs" (AWS error-code list): both VPCs, support and hostnames.
      const ok = [h.pcx.requester, h.pcx.accepter].every((s) => {
        const v = vpcOf(h.tx, s);
        return v !== undefined && v.enableDnsSupport && v.enableDnsHostnames;
      });
      if (!ok) throw err.vpcPeeringDnsHostnamesDisabled();
    }
    const set = (s: VpcPeeringSide, v: boolean | undefined): VpcPeeringSide =>
      v === undefined ? s : { ...s, allowDnsResolutionFromRemoteVpc: v };
    const pcx: VpcPeeringConnectionRecord = { ...h.pcx, requester: set(h.pcx.requester, req), accepter: set(h.pcx.accepter, acc) };
    h.tx.put(pcx);
    const view = (s: VpcPeeringSide) => ({
      AllowDnsResolutionFromRemoteVpc: s.allowDnsResolutionFromRemoteVpc,
      AllowEgressFromLocalClassicLinkToRemoteVpc: false,
      AllowEgressFromLocalVpcToRemoteClassicLink: false,
    });
    return {
      RequesterPeeringConnectionOptions: change.requester ? view(pcx.requester) : undefined,
      AccepterPeeringConnectionOptions: change.accepter ? view(pcx.accepter) : undefined,
    };
  },
});

/**
 * DescribeSecurityGroupReferences: for each of the caller's groups, the peer VPCs (over an active peering connection,
 * in this Region, where group references work) whose security groups have a rule that references it. Costs the
 * peers' groups, not the account: each group's VPC is looked up by index and so are the peers' groups.
 */
export const DescribeSecurityGroupReferences = defineAction({
  name: "DescribeSecurityGroupReferences",
  mutates: false,
  params: ["GroupId"],
  run(input, ctx) {
    const groups = input.GroupId.map((id) => must(ctx.tx, "security-group", id));
    const refs = groups.flatMap((g) =>
      activePeersOf(ctx.tx, g.vpcId)
        .filter((peer) => peer.peerScope.region === ctx.scope.region)
        .filter((peer) =>
          ctx.tx
            .forScope(peer.peerScope)
            .list("security-group", { vpcId: peer.peerVpcId })
            .some((pg) => pg.rules.some((r) => r.referencedGroupId === g.id)),
        )
        .map((peer) => ({ GroupId: g.id, ReferencingVpcId: peer.peerVpcId, VpcPeeringConnectionId: peer.pcx.id })),
    );
    return { SecurityGroupReferenceSet: refs };
  },
});

export const VPC_PEERING_ACTIONS = [
  DescribeSecurityGroupReferences,
  CreateVpcPeeringConnection,
  AcceptVpcPeeringConnection,
  RejectVpcPeeringConnection,
  DeleteVpcPeeringConnection,
  DescribeVpcPeeringConnections,
  ModifyVpcPeeringConnectionOptions,
];
