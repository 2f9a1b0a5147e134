/**
 * VPC peering rules (issue 16), pure over records. AWS facts (VPC Peering Guide "VPC peering connection lifecycle",
 * API reference CreateVpcPeeringConnection/AcceptVpcPeeringConnection/DeleteVpcPeeringConnection):
 * - a request goes initiating-request → pending-acceptance at once; the accepter VPC's owner accepts it, in the
 *   accepter's Region ("For an inter-Region VPC peering connection request, you must accept the VPC peering connection
 *   in the Region of the accepter VPC"); "The VPC peering connection request expires after 7 days";
 * - "If you create a VPC peering connection request between VPCs with overlapping CIDR blocks, the VPC peering
 *   connection has a status of failed" (any associated IPv4 block counts);
 * - "Either the owner of the requester VPC or the owner of the accepter VPC can delete the VPC peering connection if
 *   it's in the active state. The owner of the requester VPC can delete a VPC peering connection in the
 *   pending-acceptance state. You cannot delete a VPC peering connection that's in the failed or rejected state."
 * Expiry is computed from the clock when read (`peeringStatus`): nothing runs on a timer.
 */
import { overlaps } from "./cidr.js";
import { err } from "./errors.js";
import type { VpcPeeringConnectionRecord, VpcRecord } from "./types.js";
import { vpcIpv4Blocks } from "./vpc.js";

export const PEERING_REQUEST_LIFETIME_MS = 7 * 24 * 3600_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type PeeringStatusCode = VpcPeeringConnectionRecord["status"] | "expired";

/**
 * The status message AWS shows per code ("Pending Acceptance by 111122223333", "Active", "Deleted by …", "Rejected by
 * …", observed in DescribeVpcPeeringConnections output; the failed text is AWS's as reported by Terraform users).
 */
export const FAILED_MESSAGE = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range";

/** The connection's status at `now`: a pending request past its expiration time reads as expired. */
export const peeringStatus = (p: VpcPeeringConnectionRecord, now: Date): { code: PeeringStatusCode; message: string } => {
  if (p.status === "pending-acceptance" && now.getTime() >= Date.parse(p.expirationTime)) return { code: "expired", message: "Expired" };
  return { code: p.status, message: p.statusMessage };
};

/** When the status became what `peeringStatus` reads (an expiry happened at the expiration time). */
const statusSince = (p: VpcPeeringConnectionRecord, code: PeeringStatusCode): number =>
  Date.parse(code === "expired" ? p.expirationTime : p.statusTime);

/** Which side(s) of a connection a scope is. */
export type PeeringSide = "requester" | "accepter" | "both";
export const sideOf = (p: VpcPeeringConnectionRecord, scope: { account: string; region: string }): PeeringSide | undefined => {
  const req = p.requester.ownerId === scope.account && p.requester.region === scope.region;
  const acc = p.accepter.ownerId === scope.account && p.accepter.region === scope.region;
  return req && acc ? "both" : req ? "requester" : acc ? "accepter" : undefined;
};

/**
 * Whether a finished connection is still listed for a side (VPC Peering Guide, lifecycle; windows as documented:
 * failed 2 hours to the requester only; rejected 2 days to the requester, 2 hours to the accepter; expired 2 days to
 * both; deleted 2 hours to the side that deleted it, 2 days to the other). Live connections are always visible.
 */
export const peeringVisible = (p: VpcPeeringConnectionRecord, side: PeeringSide, account: string, now: Date): boolean => {
  const { code } = peeringStatus(p, now);
  const age = now.getTime() - statusSince(p, code);
  const requester = side !== "accepter";
  switch (code) {
    case "pending-acceptance":
    case "active":
      return true;
    case "failed":
      return requester && age < 2 * HOUR;
    case "rejected":
      return age < (requester ? 2 * DAY : 2 * HOUR);
    case "expired":
      return age < 2 * DAY;
    case "deleted":
      return age < (p.deletedBy === account && side !== "both" ? 2 * HOUR : 2 * DAY);
  }
};

/** Whether any associated IPv4 block of one VPC overlaps one of the other's. */
export const ipv4Overlap = (a: VpcRecord, b: VpcRecord): boolean => {
  const bb = vpcIpv4Blocks(b);
  return vpcIpv4Blocks(a).some((x) => bb.some((y) => overlaps(x, y)));
};

/** Accept/Reject: only the accepter VPC's owner, in the accepter's Region, while pending acceptance. */
export const checkAnswer = (
  p: VpcPeeringConnectionRecord,
  caller: { account: string; region: string },
  verb: "accept" | "reject",
  now: Date,
): void => {
  if (caller.account !== p.accepter.ownerId) throw err.vpcPeeringNotAccepter(caller.account, p.id, verb);
  if (caller.region !== p.accepter.region) throw err.vpcPeeringWrongRegion(caller.region, p.id, p.accepter.region);
  if (peeringStatus(p, now).code !== "pending-acceptance") throw err.vpcPeeringBadState(p.id);
};

/** Delete: either side while active; only the requester while pending acceptance; never once finished. */
export const checkDelete = (p: VpcPeeringConnectionRecord, side: PeeringSide, now: Date): void => {
  const { code } = peeringStatus(p, now);
  if (code === "active") return;
  if (code === "pending-acceptance" && side !== "accepter") return;
  throw err.vpcPeeringBadState(p.id);
};

/** ModifyVpcPeeringConnectionOptions: an active connection, each side's options only by that side. */
export const checkModifyOptions = (
  p: VpcPeeringConnectionRecord,
  side: PeeringSide,
  account: string,
  change: { requester: boolean; accepter: boolean },
  now: Date,
): void => {
  if (change.requester && side === "accepter") throw err.vpcPeeringOptionsNotOwner(account, "requester", p.id);
  if (change.accepter && side === "requester") throw err.vpcPeeringOptionsNotOwner(account, "accepter", p.id);
  if (peeringStatus(p, now).code !== "active") throw err.vpcPeeringBadState(p.id);
};

/** The VPC on the other side of `p` from `vpcId` (undefined when `vpcId` is on neither side). */
export const peerVpcOf = (p: VpcPeeringConnectionRecord, vpcId: string): string | undefined =>
  p.requester.vpcId === vpcId ? p.accepter.vpcId : p.accepter.vpcId === vpcId ? p.requester.vpcId : undefined;

/** Transitions, each stamped with the time; the caller checked that they are allowed. */
export const accepted = (p: VpcPeeringConnectionRecord, now: Date): VpcPeeringConnectionRecord => ({
  ...p,
  status: "active",
  statusMessage: "Active",
  statusTime: now.toISOString(),
});
export const rejected = (p: VpcPeeringConnectionRecord, account: string, now: Date): VpcPeeringConnectionRecord => ({
  ...p,
  status: "rejected",
  statusMessage: `Rejected by ${account}`,
  statusTime: now.toISOString(),
});
/** A request whose VPCs no longer qualify (one is gone, or their CIDRs overlap now) fails when it is accepted. */
export const failedOnAccept = (p: VpcPeeringConnectionRecord, now: Date): VpcPeeringConnectionRecord => ({
  ...p,
  status: "failed",
  statusMessage: FAILED_MESSAGE,
  statusTime: now.toISOString(),
});

export const deleted = (p: VpcPeeringConnectionRecord, account: string, now: Date): VpcPeeringConnectionRecord => ({
  ...p,
  status: "deleted",
  statusMessage: `Deleted by ${account}`,
  statusTime: now.toISOString(),
  deletedBy: account,
});

/**
 * What deleting one of its VPCs does to a connection (AWS VPC peering guide, "Delete a VPC peering connection"):
 * an active connection, or a request this VPC made, is deleted with the VPC; a pending request another account made
 * to this VPC blocks the deletion until it is rejected. Finished connections (deleted, rejected, expired, failed) are
 * left as they are.
 */
export const onVpcDelete = (p: VpcPeeringConnectionRecord, vpcId: string, now: Date): "delete" | "block" | "keep" => {
  const { code } = peeringStatus(p, now);
  if (code === "active") return "delete";
  if (code !== "pending-acceptance") return "keep";
  if (p.requester.vpcId === vpcId) return "delete";
  return p.requester.ownerId === p.accepter.ownerId ? "delete" : "block";
};
