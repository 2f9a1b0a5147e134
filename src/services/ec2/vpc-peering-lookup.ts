/**
 * Where VPC peering connections live and how either side finds them (issue 16).
 *
 * A connection is stored once, in the requester's scope (its account and Region). Why once: its status, options and
 * expiry are one fact that both sides change (accept, reject, delete, options), so one record in one transaction
 * can never disagree with itself; two copies would need every transition written twice and would drift on any bug.
 * Why the requester's scope: it exists first (the accepter VPC may not exist at all, a `failed` request), and a
 * failed request is visible to the requester only. The accepter's scope (another account or Region) gets a small
 * `vpc-peering-link` with the same id, indexed by the accepter VPC, which points back and carries the accepter's own
 * tags (tags are per account in EC2). Every lookup is indexed: by id (`get`), by requester VPC (the `vpc_id`
 * column), by accepter VPC within one scope (secondary key `accepter-vpc-info.vpc-id`), by accepter VPC across scopes
 * (the link's `vpc_id` column).
 */
import { err } from "../../domain/errors.js";
import { assertIdOf } from "../../domain/ids.js";
import type { SecurityGroupRecord, Tag, VpcPeeringConnectionRecord, VpcPeeringLinkRecord } from "../../domain/types.js";
import { peeringVisible, peerVpcOf, sideOf, type PeeringSide } from "../../domain/vpc-peering.js";
import type { Scope, Tx } from "../../store/store.js";

/** A connection as one scope sees it: the record, the transaction of its (requester's) scope, and the caller's side. */
export interface HeldPeering {
  readonly pcx: VpcPeeringConnectionRecord;
  /** The requester scope's transaction: where the record is written back. */
  readonly tx: Tx;
  readonly side: PeeringSide;
  /** The accepter's index entry, when the caller is the accepter in another scope. */
  readonly link?: VpcPeeringLinkRecord | undefined;
}

const scopeOfRequester = (p: VpcPeeringConnectionRecord): Scope => ({ account: p.requester.ownerId, region: p.requester.region });
export const scopeOfAccepter = (p: VpcPeeringConnectionRecord): Scope => ({ account: p.accepter.ownerId, region: p.accepter.region });

const own = (tx: Tx, pcx: VpcPeeringConnectionRecord): HeldPeering => ({ pcx, tx, side: sideOf(pcx, tx.scope) ?? "requester" });

const viaLink = (tx: Tx, link: VpcPeeringLinkRecord): HeldPeering | undefined => {
  const otx = tx.forScope({ account: link.requesterAccount, region: link.requesterRegion });
  const pcx = otx.get("vpc-peering-connection", link.id);
  return pcx && { pcx, tx: otx, side: "accepter", link };
};

/** The connection with this id as the caller's scope sees it (stored here, or linked from the requester's scope). */
export const findPeering = (tx: Tx, id: string): HeldPeering | undefined => {
  const stored = tx.get("vpc-peering-connection", id);
  if (stored) return own(tx, stored);
  const link = tx.get("vpc-peering-link", id);
  return link && viaLink(tx, link);
};

/** A connection the caller can see at `now`, or its Malformed/NotFound error. */
export const mustPeering = (tx: Tx, id: string, now: Date): HeldPeering => {
  assertIdOf("vpcPeeringConnection", id);
  const h = findPeering(tx, id);
  if (!h || !peeringVisible(h.pcx, h.side, tx.scope.account, now)) throw err.vpcPeeringNotFound(id);
  return h;
};

/** The caller's tags on a connection (the requester's on the record, the accepter's on its link). */
export const peeringTags = (h: HeldPeering): readonly Tag[] => (h.link ? h.link.tags : h.pcx.tags);

/** Every connection of the scope (stored or linked), visible or not. */
export const scopePeerings = (tx: Tx): HeldPeering[] => [
  ...tx.list("vpc-peering-connection").map((p) => own(tx, p)),
  ...tx.list("vpc-peering-link").flatMap((l) => viaLink(tx, l) ?? []),
];

/** The connections of one of the scope's VPCs, on either side, through the indexes. */
export const peeringsOfVpc = (tx: Tx, vpcId: string): HeldPeering[] => {
  const out = tx.list("vpc-peering-connection", { vpcId }).map((p) => own(tx, p));
  for (const id of tx.idsByKey("vpc-peering-connection", "accepter-vpc-info.vpc-id", vpcId)) {
    const p = tx.get("vpc-peering-connection", id);
    if (p && p.requester.vpcId !== vpcId) out.push(own(tx, p));
  }
  for (const l of tx.list("vpc-peering-link", { vpcId })) {
    const h = viaLink(tx, l);
    if (h) out.push(h);
  }
  return out;
};

/** A VPC's active connections, each with the peer VPC and the peer's scope (the data plane's and SG rules' view). */
export interface ActivePeer {
  readonly pcx: VpcPeeringConnectionRecord;
  readonly peerVpcId: string;
  readonly peerScope: Scope;
}
/** Active does not depend on the clock (only a pending request expires), so the data plane's cache stays valid. */
export const activePeersOf = (tx: Tx, vpcId: string): ActivePeer[] =>
  peeringsOfVpc(tx, vpcId).flatMap(({ pcx }) => {
    const peerVpcId = peerVpcOf(pcx, vpcId);
    if (peerVpcId === undefined || pcx.status !== "active") return [];
    const peerScope = pcx.requester.vpcId === vpcId ? scopeOfAccepter(pcx) : scopeOfRequester(pcx);
    return [{ pcx, peerVpcId, peerScope }];
  });

/**
 * A security group of a VPC peered with `vpcId` in the caller's Region, for a rule that references it (issue 16: VPC
 * Peering Guide, "Update your security groups to reference peer security groups": same-Region peering only).
 * `userId`, when given, must be the peer's account.
 */
export const peeredGroup = (tx: Tx, vpcId: string, groupId: string, userId: string | undefined): SecurityGroupRecord | undefined => {
  for (const peer of activePeersOf(tx, vpcId)) {
    if (peer.peerScope.region !== tx.scope.region) continue;
    if (userId !== undefined && userId !== peer.peerScope.account) continue;
    const g = tx.forScope(peer.peerScope).get("security-group", groupId);
    if (g && g.vpcId === peer.peerVpcId) return g;
  }
  return undefined;
};
