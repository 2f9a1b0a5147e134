/**
 * Elastic IP rules (spec §2 group C, §4.3, §4.4, §4.14): allocation quota and domain, where an association lands,
 * reassociation, how an association changes the ENI's public-IP mappings, when an instance gets an Amazon public IP
 * back, and reverse-DNS names. Pure: records in, records or errors out; ids and Amazon IPs come from the caller.
 */
import { parseAddress } from "./cidr.js";
import { err } from "./errors.js";
import type { ElasticIpRecord, EniPublicIpAssociation, InstanceStateName, NetworkInterfaceRecord } from "./types.js";

/** The pool id AWS shows for addresses from Amazon's own pool. */
export const AMAZON_POOL = "amazon";

/** Only Amazon-pool EIPs count toward the per-Region quota; BYOIP-pool EIPs are exempt [DOC elastic-ip-addresses-eip]. */
export const checkAddressQuota = (held: { readonly total: number; readonly byoip: number }, quota: number): void => {
  // Counts rather than records: the caller reads them from the store's counters (no listing of every address).
  if (held.total - held.byoip >= quota) throw err.addressLimitExceeded();
};

/**
 * The domain of a new address. EC2-Classic is retired, so every address is a VPC address. AWS was observed (2022,
 * getmoto/moto#5729) answering `vpc` for empty and unknown Domain values; `standard` is assumed to fall back the
 * same way rather than fail. // unverified for "standard"
 */
export const allocationDomain = (_requested: string | undefined): "vpc" => "vpc";

/** NetworkBorderGroup defaults to the Region; localvpc has no Local Zones, so any other group is invalid. */
export const borderGroupFor = (requested: string | undefined, region: string): string => {
  if (requested !== undefined && requested !== region) throw err.invalidNetworkBorderGroup(requested);
  return requested ?? region;
};

/** States in which an instance cannot take an address by InstanceId (AWS-OBS for pending; TF retries that one). */
const NOT_ASSOCIABLE: readonly InstanceStateName[] = ["pending", "shutting-down", "terminated"];

/**
 * Associating by InstanceId means the primary private IP of its only ENI (spec §4.4); an instance with several ENIs
 * must be addressed by ENI (rule 13). Stopped instances may take an EIP (VPC addresses stay mapped across stop).
 */
export const checkInstanceTarget = (instanceId: string, state: InstanceStateName, interfaceCount: number): void => {
  if (NOT_ASSOCIABLE.includes(state)) throw err.instanceStateForAddress(instanceId, state);
  if (interfaceCount > 1) throw err.multipleInterfaces(instanceId);
};

/** The private IPv4 an association lands on: the requested one (which must be the ENI's) or the ENI's primary. */
export const targetPrivateIp = (eni: NetworkInterfaceRecord, requested: string | undefined): string => {
  const ip = requested ?? eni.privateIps.find((p) => p.primary)?.address;
  if (ip === undefined) throw err.privateIpNotOnInterface("(none)", eni.id);
  if (!eni.privateIps.some((p) => p.address === ip)) throw err.privateIpNotOnInterface(ip, eni.id);
  return ip;
};

export interface AssociationPlan {
  /** True when the EIP is already mapped to exactly this target: nothing changes, the association id is kept. */
  readonly unchanged: boolean;
  /** Another EIP on the target private IP that this association displaces (it stays allocated). */
  readonly displaced?: EniPublicIpAssociation | undefined;
}

/**
 * Reassociation is automatic (model doc for AllowReassociation); `AllowReassociation=false` refuses both moving an
 * EIP mapped elsewhere and replacing another EIP on the target private IP (spec rule 12, §2 group C). One EIP per
 * private IPv4 (§4.4): an EIP already on the target is displaced — "the existing address is disassociated from the
 * instance, but remains allocated to your account" [DOC model AssociateAddress].
 */
export const planAssociation = (
  eip: ElasticIpRecord,
  eni: NetworkInterfaceRecord,
  privateIp: string,
  allowReassociation: boolean | undefined,
): AssociationPlan => {
  const a = eip.association;
  if (a && a.networkInterfaceId === eni.id && a.privateIp === privateIp) return { unchanged: true };
  const refuse = allowReassociation === false;
  if (a && refuse) throw err.eipAlreadyAssociated(eip.id, a.associationId);
  const occupant = eni.publicIps.find((p) => p.privateIp === privateIp && p.allocationId !== undefined && p.allocationId !== eip.id);
  if (occupant && refuse) throw err.eipTargetOccupied(eni.id, privateIp, occupant.publicIp);
  return { unchanged: false, displaced: occupant };
};

/**
 * The ENI with the EIP mapped to `privateIp`: whatever public IPv4 that private IP had (an Amazon-pool IP, which is
 * released, or a displaced EIP) is replaced (spec §4.3, §4.4).
 */
export const withElasticIp = (
  eni: NetworkInterfaceRecord,
  privateIp: string,
  eip: ElasticIpRecord,
  associationId: string,
  ownerId: string,
): NetworkInterfaceRecord => ({
  ...eni,
  publicIps: [
    ...eni.publicIps.filter((p) => p.privateIp !== privateIp && p.allocationId !== eip.id),
    { privateIp, publicIp: eip.publicIp, ipOwnerId: ownerId, allocationId: eip.id, associationId },
  ],
});

/** The ENI without the EIP's mapping. */
export const withoutElasticIp = (eni: NetworkInterfaceRecord, allocationId: string): NetworkInterfaceRecord => ({
  ...eni,
  publicIps: eni.publicIps.filter((p) => p.allocationId !== allocationId),
});

/** What decides whether an ENI gets an Amazon public IP back after losing an EIP. */
export interface RegainContext {
  /** The attached instance's state, or undefined when the ENI is not attached. */
  readonly instanceState: InstanceStateName | undefined;
  /** How many ENIs the instance has attached. */
  readonly interfaceCount: number;
}

/**
 * After an EIP is disassociated, a running instance gets a NEW Amazon public IP on its primary ENI's primary IP —
 * only if that ENI is eligible (associatePublicIp), it is the instance's only ENI, and no other private IP of it
 * still holds an EIP [DOC using-instance-addressing, spec §4.3]. A stopped instance gets one at start instead.
 */
export const regainsPublicIp = (eni: NetworkInterfaceRecord, c: RegainContext): boolean => {
  const at = eni.attachment;
  const primaryIp = eni.privateIps.find((p) => p.primary)?.address;
  return (
    c.instanceState === "running" &&
    at !== undefined &&
    at.deviceIndex === 0 &&
    at.networkCardIndex === 0 &&
    eni.associatePublicIp &&
    c.interfaceCount === 1 &&
    primaryIp !== undefined &&
    eni.publicIps.length === 0
  );
};

/** The ENI with an Amazon-pool public IP on its primary private IP (call only when regainsPublicIp said so). */
export const withAmazonPublicIp = (eni: NetworkInterfaceRecord, publicIp: string): NetworkInterfaceRecord => {
  const primaryIp = eni.privateIps.find((p) => p.primary)?.address ?? "";
  return { ...eni, publicIps: [...eni.publicIps, { privateIp: primaryIp, publicIp, ipOwnerId: "amazon" }] };
};

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * A reverse-DNS name for ModifyAddressAttribute, in the fully-qualified form AWS shows ("example.com."). AWS also
 * requires a forward record pointing at the address; localvpc has no DNS, so any syntactically valid hostname of at
 * least two labels is accepted (localvpc's own relaxation).
 */
export const ptrName = (domainName: string): string => {
  const name = domainName.endsWith(".") ? domainName.slice(0, -1) : domainName;
  const labels = name.split(".");
  const valid = name.length > 0 && name.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !parseAddress(name);
  if (!valid) throw err.invalidDomainName(domainName);
  return `${name.toLowerCase()}.`;
};
