/**
 * Pure builder of network interface records (spec §2 group B, §4.2–4.5). RunInstances uses it for primary and
 * launch-time ENIs; CreateNetworkInterface builds on the same function. Ids, MAC and time come from the caller.
 */
import type { EniAttachment, EniIpv6Address, EniPrivateIp, NetworkInterfaceRecord, SubnetRecord, Tag } from "./types.js";

export interface NewNetworkInterface {
  readonly id: string;
  readonly subnet: SubnetRecord;
  readonly ownerId: string;
  readonly requesterId: string;
  readonly requesterManaged?: boolean;
  readonly description: string;
  readonly macAddress: string;
  readonly interfaceType?: NetworkInterfaceRecord["interfaceType"];
  readonly groupIds: readonly string[];
  /** Primary first; an efa-only interface has none. */
  readonly privateIps: readonly string[];
  readonly ipv6Addresses?: readonly string[];
  /** Whether the first IPv6 address is the primary IPv6 (CreateNetworkInterface EnablePrimaryIpv6). */
  readonly primaryIpv6?: boolean;
  /** IPv4 /28 and IPv6 /80 prefixes delegated to the interface (spec §4.10). */
  readonly ipv4Prefixes?: readonly string[];
  readonly ipv6Prefixes?: readonly string[];
  /**
   * Whether a public IPv4 is given when this is the primary ENI of a running instance. Inherited from the subnet's
   * MapPublicIpOnLaunch at creation unless the request says otherwise (spec §4.3).
   */
  readonly associatePublicIp?: boolean | undefined;
  readonly tags?: readonly Tag[];
  readonly attachment?: EniAttachment;
}

export const buildNetworkInterface = (p: NewNetworkInterface): NetworkInterfaceRecord => {
  const privateIps: EniPrivateIp[] = p.privateIps.map((address, i) => ({ address, primary: i === 0 }));
  const ipv6Addresses: EniIpv6Address[] = (p.ipv6Addresses ?? []).map((address, i) => ({
    address,
    isPrimaryIpv6: p.primaryIpv6 === true && i === 0,
  }));
  return {
    kind: "network-interface",
    id: p.id,
    tags: p.tags ?? [],
    ownerId: p.ownerId,
    requesterId: p.requesterId,
    requesterManaged: p.requesterManaged ?? false,
    vpcId: p.subnet.vpcId,
    subnetId: p.subnet.id,
    availabilityZone: p.subnet.availabilityZone,
    description: p.description,
    macAddress: p.macAddress,
    interfaceType: p.interfaceType ?? "interface",
    status: p.attachment ? "in-use" : "available",
    sourceDestCheck: true,
    groupIds: [...p.groupIds],
    privateIps,
    ipv4Prefixes: [...(p.ipv4Prefixes ?? [])],
    ipv6Addresses,
    ipv6Prefixes: [...(p.ipv6Prefixes ?? [])],
    associatePublicIp: p.associatePublicIp ?? p.subnet.mapPublicIpOnLaunch,
    publicIps: [],
    attachment: p.attachment,
    instanceId: p.attachment?.instanceId,
  };
};

/** The attachment AWS records when an ENI is attached (at launch: `attached` at once, DOT per spec §4.5). */
export const attachmentFor = (p: {
  attachmentId: string;
  instanceId: string;
  instanceOwnerId: string;
  deviceIndex: number;
  networkCardIndex: number;
  deleteOnTermination: boolean;
  now: Date;
}): EniAttachment => ({
  attachmentId: p.attachmentId,
  instanceId: p.instanceId,
  instanceOwnerId: p.instanceOwnerId,
  deviceIndex: p.deviceIndex,
  networkCardIndex: p.networkCardIndex,
  status: "attached",
  attachTime: p.now.toISOString(),
  deleteOnTermination: p.deleteOnTermination,
});

/** Detaches an ENI (instance terminated or DetachNetworkInterface): `available`, no attachment, no auto public IP. */
export const detached = (eni: NetworkInterfaceRecord): NetworkInterfaceRecord => ({
  ...eni,
  status: "available",
  attachment: undefined,
  instanceId: undefined,
  // An Amazon-pool public IP belongs to the running instance, not the ENI; EIP associations stay (spec §4.4).
  publicIps: eni.publicIps.filter((p) => p.ipOwnerId !== "amazon"),
});

/** Whether this ENI sits in the primary slot (card 0, device 0). */
export const isPrimarySlot = (eni: NetworkInterfaceRecord): boolean =>
  eni.attachment !== undefined && eni.attachment.deviceIndex === 0 && eni.attachment.networkCardIndex === 0;
