/**
 * The link between ENIs and Elastic IPs, shared by every action that removes an ENI or one of its private IPs
 * (DeleteNetworkInterface, TerminateInstances with DeleteOnTermination, UnassignPrivateIpAddresses): the EIPs mapped
 * to it are disassociated but stay allocated (spec §4.4, §4.14).
 */
import type { NetworkInterfaceRecord } from "../domain/types.js";
import type { Tx } from "../store/store.js";

/** Disassociates the EIPs mapped to `eni` (all of them, or only those on `privateIps`); returns the ENI without them. */
export const dropEipAssociations = (tx: Tx, eni: NetworkInterfaceRecord, privateIps?: readonly string[]): NetworkInterfaceRecord => {
  const affected = eni.publicIps.filter((p) => p.allocationId && (!privateIps || privateIps.includes(p.privateIp)));
  for (const p of affected) {
    const eip = tx.get("elastic-ip", p.allocationId ?? "");
    if (eip?.association?.networkInterfaceId === eni.id) tx.put({ ...eip, association: undefined });
  }
  return { ...eni, publicIps: eni.publicIps.filter((p) => !affected.includes(p)) };
};
