/**
 * The link between ENIs and Elastic IPs, shared by every action that removes an ENI or one of its private IPs
 * (DeleteNetworkInterface, TerminateInstances with DeleteOnTermination, UnassignPrivateIpAddresses): the EIPs mapped
 * to it are disassociated but stay allocated (spec §4.4, §4.14).
 */
import type { NetworkInterfaceRecord } from "../../domain/types.js";
import type { Tx } from "../../store/store.js";
import { ownerTx } from "./foreign-enis.js";

/** Disassociates the EIPs mapped to `eni` (all of them, or only those on `privateIps`); returns the ENI without them. */
export const dropEipAssociations = (tx: Tx, eni: NetworkInterfaceRecord, privateIps?: readonly string[]): NetworkInterfaceRecord => {
  const affected = eni.publicIps.filter((p) => p.allocationId && (!privateIps || privateIps.includes(p.privateIp)));
  for (const p of affected) {
    // The EIP may be another account's, mapped here with an EIP-ASSOCIATE permission: it lives in that account.
    const etx = ownerTx(tx, p.ipOwnerId);
    const eip = etx.get("elastic-ip", p.allocationId ?? "");
    if (eip?.association?.networkInterfaceId === eni.id) etx.put({ ...eip, association: undefined });
  }
  return { ...eni, publicIps: eni.publicIps.filter((p) => !affected.includes(p)) };
};
