/**
 * Attach / detach rules for network interfaces (spec §2 group B, §4.6, §4.7, §4.9–4.11, §8.3) and the transient
 * attaching/detaching states on the simulated clock. Pure: the instance type's limits arrive as `TypeLimits`, time as
 * `now`, ids from the caller.
 */
import { err } from "./errors.js";
import type { TypeLimits } from "./instances.js";
import { detached } from "./network-interfaces.js";
import type { EniAttachment, InstanceRecord, NetworkInterfaceRecord } from "./types.js";

/** How long AWS's transient ENI states last in localvpc (default 0: answers already show the final state). */
export interface TransitionDelays {
  readonly eniAttachMs: number;
  readonly eniDetachMs: number;
  readonly eniCreateMs: number;
  /** EBS volumes (issue 15): attaching → attached, detaching → available, and a snapshot's pending → completed. */
  readonly volumeAttachMs: number;
  readonly volumeDetachMs: number;
  readonly snapshotMs: number;
  /** Reachability Analyzer (issue 21): how long an analysis shows `running` before `succeeded` (absent: 0). */
  readonly networkInsightsAnalysisMs?: number | undefined;
}
export const NO_DELAYS: TransitionDelays = {
  eniAttachMs: 0,
  eniDetachMs: 0,
  eniCreateMs: 0,
  volumeAttachMs: 0,
  volumeDetachMs: 0,
  snapshotMs: 0,
};

const isDue = (eni: NetworkInterfaceRecord, now: Date): boolean =>
  eni.settlesAt === undefined || Date.parse(eni.settlesAt) <= now.getTime();

/**
 * The ENI as it is at `now`: a transient status whose delay has passed becomes final (pending → available,
 * attaching → in-use/attached, detaching → available without attachment). Every reader of ENIs applies this, so a
 * stored transient state never outlives its delay even though nothing rewrites the record.
 */
export const settleEni = (eni: NetworkInterfaceRecord, now: Date): NetworkInterfaceRecord => {
  if (eni.settlesAt === undefined || !isDue(eni, now)) return eni;
  const settled: NetworkInterfaceRecord = { ...eni, settlesAt: undefined };
  switch (eni.status) {
    case "pending":
      return { ...settled, status: "available" };
    case "attaching":
      return { ...settled, status: "in-use", attachment: eni.attachment && { ...eni.attachment, status: "attached" } };
    case "detaching":
      return detached(settled);
    default:
      return settled;
  }
};

/** The ENIs among `enis` whose transient state has become final at `now`, settled. */
export const settledChanges = (enis: readonly NetworkInterfaceRecord[], now: Date): NetworkInterfaceRecord[] =>
  enis.flatMap((e) => {
    const s = settleEni(e, now);
    return s === e ? [] : [s];
  });

/** When a transition started at `now` with `delayMs` ends, or undefined for an immediate one. */
export const settlesAt = (now: Date, delayMs: number): string | undefined =>
  delayMs > 0 ? new Date(now.getTime() + delayMs).toISOString() : undefined;

/** Instance states from which an ENI may be attached: running (hot attach) or stopped (warm attach) [DOC]. */
const ATTACHABLE_STATES: readonly InstanceRecord["state"][] = ["running", "stopped"];

export interface AttachTarget {
  readonly instance: InstanceRecord;
  /** The ENIs attached to the instance now (settled). */
  readonly attached: readonly NetworkInterfaceRecord[];
  readonly limits: TypeLimits;
  /** Nitro or bare-metal type (prefix delegation needs it, spec §4.10). */
  readonly nitro: boolean;
  /**
   * Another account's ENI attached through an INSTANCE-ATTACH permission: it necessarily lives in its owner's VPC,
   * so only the Availability Zone must match (the same-VPC rule is for one account's own ENIs).
   */
  readonly crossAccount?: boolean | undefined;
}

export const isEfa = (eni: NetworkInterfaceRecord): boolean => eni.interfaceType === "efa" || eni.interfaceType === "efa-only";

/**
 * Every AttachNetworkInterface rule, in this order: the ENI is free, the instance can take it (state, AZ, VPC), the
 * card exists, counts (total, then per card — AWS answers AttachmentLimitExceeded even when the device index is free,
 * cilium#15877), the device index fits the card, the slot is free, EFA limits, then the ENI's addresses against the
 * type's per-interface limits. The order among AWS's checks is not public; this one gives each rule a reachable case.
 */
export const checkAttach = (eni: NetworkInterfaceRecord, t: AttachTarget, deviceIndex: number, networkCardIndex: number): void => {
  const { instance, limits } = t;
  if (eni.status !== "available") throw err.eniInUse(eni.id);
  // Users cannot attach ENIs that an AWS service manages (spec §4.6).
  if (eni.requesterManaged) throw err.attachRequesterManaged(eni.id);
  if (!ATTACHABLE_STATES.includes(instance.state)) throw err.attachInstanceState(instance.id);
  if (eni.availabilityZone !== instance.availabilityZone) throw err.notSameAz();
  if (!t.crossAccount && eni.vpcId !== instance.vpcId) throw err.notSameVpc();
  if (networkCardIndex < 0 || networkCardIndex >= limits.maxCards) throw err.networkCardIndexInvalid(networkCardIndex, limits.name);
  if (t.attached.length + 1 > limits.maxInterfaces) throw err.attachmentLimitExceeded(t.attached.length + 1, limits.name);
  const onCard = t.attached.filter((a) => (a.attachment?.networkCardIndex ?? 0) === networkCardIndex);
  const cardMax = limits.cards.find((c) => c.index === networkCardIndex)?.maxInterfaces ?? 0;
  // unverified: the per-card count in the message is the card's count + 1.
  if (onCard.length + 1 > cardMax) throw err.attachmentLimitExceeded(onCard.length + 1, limits.name);
  if (deviceIndex < 0 || deviceIndex >= cardMax) throw err.deviceIndexExceedsCard(deviceIndex, networkCardIndex, cardMax);
  // The slot is (card, device): AWS once compared device indexes across cards (cilium#42512); localvpc does not.
  if (onCard.some((a) => a.attachment?.deviceIndex === deviceIndex)) throw err.deviceIndexOccupied(instance.id, deviceIndex);
  checkEfaAttach(eni, t, networkCardIndex);
  checkEniFitsType(eni, t.limits, t.nitro);
};

const checkEfaAttach = (eni: NetworkInterfaceRecord, t: AttachTarget, card: number): void => {
  if (!isEfa(eni)) return;
  if (!t.limits.efaSupported) throw err.efaNotSupported(t.limits.name);
  const efas = t.attached.filter(isEfa);
  if (efas.some((a) => (a.attachment?.networkCardIndex ?? 0) === card)) throw err.efaPerCardExceeded(card, t.limits.name);
  if (efas.length + 1 > t.limits.maxEfaInterfaces) throw err.efaLimitExceeded(t.limits.name);
};

/**
 * The ENI's own addresses against the type (spec §4.11): IPv4 + /28 prefixes, IPv6 + /80 prefixes, IPv6 support,
 * Nitro. The same for a hot/warm attach and for a cold attach (RunInstances with an existing ENI).
 */
export const checkEniFitsType = (eni: NetworkInterfaceRecord, limits: TypeLimits, nitro: boolean): void => {
  const v6 = eni.ipv6Addresses.length + eni.ipv6Prefixes.length;
  if (v6 > 0 && !limits.ipv6Supported) throw err.ipv6NotSupportedByType(limits.name);
  if (eni.privateIps.length + eni.ipv4Prefixes.length > limits.ipv4PerInterface) throw err.interfaceIpLimit();
  if (v6 > limits.ipv6PerInterface) throw err.interfaceIpLimit();
  if (eni.ipv4Prefixes.length + eni.ipv6Prefixes.length > 0 && !nitro) throw err.prefixesNeedNitro(limits.name);
};

/**
 * The ENI after AttachNetworkInterface: DeleteOnTermination false (spec §4.5), `attaching` until the delay passes.
 * IPs, MAC, groups and EIP associations stay; an attached ENI never gets an Amazon public IP (spec §4.3) — only a
 * primary ENI does, and that slot is never attachable (device 0 of card 0 is always taken).
 */
export const attachedEni = (
  eni: NetworkInterfaceRecord,
  p: { attachmentId: string; instance: InstanceRecord; deviceIndex: number; networkCardIndex: number; now: Date; delayMs: number },
): NetworkInterfaceRecord => {
  const until = settlesAt(p.now, p.delayMs);
  const attachment: EniAttachment = {
    attachmentId: p.attachmentId,
    instanceId: p.instance.id,
    instanceOwnerId: p.instance.ownerId,
    deviceIndex: p.deviceIndex,
    networkCardIndex: p.networkCardIndex,
    status: until ? "attaching" : "attached",
    attachTime: p.now.toISOString(),
    deleteOnTermination: false,
  };
  return { ...eni, status: until ? "attaching" : "in-use", attachment, instanceId: p.instance.id, settlesAt: until };
};

/** Requester-managed attachments carry `ela-attach-` ids (spec §1.8); users may not manage them. */
export const isElaAttachmentId = (id: string): boolean => /^ela-attach-[0-9a-f]{8}(?:[0-9a-f]{9})?$/.test(id);

/**
 * DetachNetworkInterface rules and result: never the primary slot, never a requester-managed attachment; a detach
 * already under way is answered again without change. Force skips the detaching delay (spec §2 group B).
 */
export const detachEni = (eni: NetworkInterfaceRecord, p: { now: Date; delayMs: number; force: boolean }): NetworkInterfaceRecord => {
  const at = eni.attachment;
  if (!at) return eni;
  if (eni.requesterManaged || isElaAttachmentId(at.attachmentId)) throw err.manageElaAttachment();
  if (at.deviceIndex === 0 && at.networkCardIndex === 0) throw err.detachPrimary();
  if (eni.status === "detaching" && !p.force) return eni;
  const until = p.force ? undefined : settlesAt(p.now, p.delayMs);
  if (!until) return detached({ ...eni, settlesAt: undefined });
  return { ...eni, status: "detaching", attachment: { ...at, status: "detaching" }, settlesAt: until };
};

/** A 12-digit AWS account id (CreateNetworkInterfacePermission AwsAccountId). */
export const isAccountId = (v: string): boolean => /^\d{12}$/.test(v);
