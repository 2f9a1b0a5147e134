/**
 * ENIs of another account (spec §2 group B, CreateNetworkInterfacePermission): an ENI's owner may grant one other
 * account INSTANCE-ATTACH (attach it to that account's instance) or EIP-ASSOCIATE (map that account's Elastic IP to
 * it). Without a grant the ENI is invisible to the other account, so AWS answers InvalidNetworkInterfaceID.NotFound.
 *
 * The ENI record stays in its owner's scope; a cross-account attachment leaves an `eni-attachment-link` in the
 * instance owner's scope so that that account's instance sees, counts, detaches and terminates with it. Every reader
 * of "the ENIs of an instance" goes through `instanceEnis`, so the link is honoured in one place.
 */
import { isAccountId, settleEni } from "../../domain/eni-attachment.js";
import type {
  EniAttachmentLinkRecord,
  NetworkInterfacePermissionRecord,
  NetworkInterfaceRecord,
  ResourceKind,
  ResourceKinds,
} from "../../domain/types.js";
import type { Scope, Tx } from "../../store/store.js";
import { must } from "./lookups.js";

/** An ENI together with the transaction bound to its owner's scope (where it must be written back). */
export interface HeldEni {
  readonly eni: NetworkInterfaceRecord;
  readonly tx: Tx;
  /** True when the ENI belongs to another account than the caller's. */
  readonly foreign: boolean;
}

/**
 * The transaction of the account that owns a record, in the caller's region. Owners that are not accounts (a
 * service alias such as "amazon-rds", "amazon" for Amazon's pool) have no scope: the caller's is answered.
 */
export const ownerTx = (tx: Tx, account: string): Tx =>
  account === tx.scope.account || !isAccountId(account) ? tx : tx.forScope({ account, region: tx.scope.region });

/** Another account's ENI with this id in the caller's region, with its owner's transaction. */
const findForeign = (tx: Tx, eniId: string): HeldEni | undefined => {
  const owner: Scope | undefined = tx.scopesOf(eniId).find((s) => s.region === tx.scope.region && s.account !== tx.scope.account);
  if (!owner) return undefined;
  const otx = tx.forScope(owner);
  const eni = otx.get("network-interface", eniId);
  return eni && { eni, tx: otx, foreign: true };
};

const granted = (otx: Tx, eniId: string, account: string, permission: NetworkInterfacePermissionRecord["permission"]): boolean =>
  otx
    .list("network-interface-permission")
    .some((p) => p.networkInterfaceId === eniId && p.awsAccountId === account && p.permission === permission);

/**
 * The ENI the caller names: its own, or another account's that granted the caller `permission`. Anything else is
 * the caller's Malformed/NotFound error, exactly as for an ENI that does not exist.
 */
export const eniForCaller = (tx: Tx, eniId: string, permission: NetworkInterfacePermissionRecord["permission"], now: Date): HeldEni => {
  const own = tx.get("network-interface", eniId);
  if (own) return { eni: settleEni(own, now), tx, foreign: false };
  const foreign = findForeign(tx, eniId);
  if (foreign && granted(foreign.tx, eniId, tx.scope.account, permission)) return { ...foreign, eni: settleEni(foreign.eni, now) };
  return { eni: must(tx, "network-interface", eniId), tx, foreign: false };
};

/**
 * Other accounts' ENIs attached to one of the caller's instances, through the links in the caller's scope; settled
 * at `now` (views that show stored states pass undefined).
 */
export const linkedEnis = (tx: Tx, instanceId: string, now: Date | undefined): HeldEni[] =>
  tx.list("eni-attachment-link", { instanceId }).flatMap((link) => {
    const otx = ownerTx(tx, link.eniOwnerId);
    const stored = otx.get("network-interface", link.networkInterfaceId);
    const eni = stored && (now ? settleEni(stored, now) : stored);
    // A link outlives a detach that is still settling; only a live attachment to this instance counts.
    return eni?.attachment?.attachmentId === link.id && eni.attachment.instanceId === instanceId ? [{ eni, tx: otx, foreign: true }] : [];
  });

/** Every ENI attached to an instance at `now`: the account's own and other accounts' attached through a permission. */
export const instanceEnis = (tx: Tx, instanceId: string, now: Date): HeldEni[] => [
  ...tx
    .list("network-interface", { instanceId })
    .map((e) => settleEni(e, now))
    .filter((e) => e.attachment?.instanceId === instanceId)
    .map((eni) => ({ eni, tx, foreign: false })),
  ...linkedEnis(tx, instanceId, now),
];

/** A record of another account in the caller's region (a foreign ENI's security group, shown by name). */
export const foreignRecord = <K extends ResourceKind>(tx: Tx, kind: K, id: string): ResourceKinds[K] | undefined => {
  for (const s of tx.scopesOf(id)) {
    if (s.region !== tx.scope.region || s.account === tx.scope.account) continue;
    const r = tx.forScope(s).get(kind, id);
    if (r) return r;
  }
  return undefined;
};

/** Records the instance owner's side of a cross-account attachment. */
export const putAttachmentLink = (instanceTx: Tx, eni: NetworkInterfaceRecord): void => {
  const at = eni.attachment;
  if (!at) return;
  const link: EniAttachmentLinkRecord = {
    kind: "eni-attachment-link",
    id: at.attachmentId,
    tags: [],
    instanceId: at.instanceId,
    networkInterfaceId: eni.id,
    eniOwnerId: eni.ownerId,
  };
  instanceTx.put(link);
};

/** Removes the instance owner's link when `before` (an ENI about to lose its attachment) was attached across accounts. */
export const dropAttachmentLink = (eniTx: Tx, before: NetworkInterfaceRecord): void => {
  const at = before.attachment;
  if (!at) return;
  const itx = ownerTx(eniTx, at.instanceOwnerId);
  if (itx !== eniTx) itx.delete(at.attachmentId);
};

/** The ENI behind an attachment id of a cross-account attachment made by the caller's account, if any. */
export const linkedAttachment = (tx: Tx, attachmentId: string, now: Date): HeldEni | undefined => {
  const link = tx.get("eni-attachment-link", attachmentId);
  if (!link) return undefined;
  return linkedEnis(tx, link.instanceId, now).find((h) => h.eni.attachment?.attachmentId === attachmentId);
};
