/**
 * Requester-managed ENIs that another emulated AWS service (ELBv2, issue 17) creates in a customer's subnet, through
 * EC2's own rules: the address is claimed in the subnet's `ip_usage` like any ENI's, an Elastic IP is mapped the way
 * AssociateAddress maps it, and removal goes through `dropEipAssociations` (the EIP stays allocated). EC2's existing
 * checks then apply unchanged: DeleteSubnet and DeleteSecurityGroup refuse with DependencyViolation while the ENI
 * exists, and users may change only its tags.
 */
import { macAddress } from "../../domain/addressing.js";
import { parseCidr } from "../../domain/cidr.js";
import { err } from "../../domain/errors.js";
import { buildNetworkInterface } from "../../domain/network-interfaces.js";
import type { ElasticIpRecord, NetworkInterfaceRecord, SubnetRecord } from "../../domain/types.js";
import type { ActionContext } from "./action.js";
import { claimLowestFree } from "./address-space.js";
import { dropEipAssociations } from "./eip-links.js";
import { freshPublicIp } from "./public-ips.js";

export interface ServiceEniRequest {
  readonly subnet: SubnetRecord;
  readonly description: string;
  readonly interfaceType: string;
  /** The service's alias shown as RequesterId and, unless `instanceOwnerId` says otherwise, as the attachment's instance owner (`amazon-elb`). */
  readonly requesterId: string;
  /** The attachment's instance owner when it is not the requester (Lambda: `amazon-aws`). */
  readonly instanceOwnerId?: string | undefined;
  readonly groupIds: readonly string[];
  /** A chosen private IPv4 address (already checked to be a usable address of the subnet); else the lowest free. */
  readonly privateIp?: string | undefined;
  /** An unassociated Elastic IP of the caller to map to the ENI's primary address. */
  readonly eip?: ElasticIpRecord | undefined;
  /** Without an EIP: give the ENI a public address from Amazon's pool (an internet-facing load balancer's node). */
  readonly amazonPublicIp?: boolean | undefined;
}

/** Creates the ENI (and maps the EIP); throws `inUse(ip)` when the chosen private address is taken. */
export const createServiceEni = (ctx: ActionContext, req: ServiceEniRequest, inUse: (ip: string) => Error): NetworkInterfaceRecord => {
  const { tx } = ctx;
  const id = ctx.ids.next("networkInterface");
  let privateIp: string;
  if (req.privateIp !== undefined) {
    if (!tx.claimAddress(req.subnet.id, req.privateIp, 4, id)) throw inUse(req.privateIp);
    privateIp = req.privateIp;
  } else {
    const cidr = req.subnet.cidrBlock ? parseCidr(req.subnet.cidrBlock) : undefined;
    if (!cidr) throw err.insufficientAddresses();
    privateIp = claimLowestFree(tx, req.subnet.id, cidr, id, 1)[0]!;
  }
  const base = buildNetworkInterface({
    id,
    subnet: req.subnet,
    ownerId: ctx.scope.account,
    requesterId: req.requesterId,
    requesterManaged: true,
    description: req.description,
    macAddress: macAddress(ctx.ids.hex(10)),
    groupIds: req.groupIds,
    privateIps: [privateIp],
    associatePublicIp: false,
    interfaceType: req.interfaceType,
    attachment: {
      attachmentId: `ela-attach-${ctx.ids.hex(17)}`,
      // The service's instance lives in its own account; its id is synthetic (no such instance in this scope).
      instanceId: `i-${ctx.ids.hex(17)}`,
      instanceOwnerId: req.instanceOwnerId ?? req.requesterId,
      deviceIndex: 1,
      networkCardIndex: 0,
      status: "attached",
      attachTime: ctx.now.toISOString(),
      deleteOnTermination: false,
    },
  });
  const associationId = req.eip ? ctx.ids.next("association") : undefined;
  const eni: NetworkInterfaceRecord = {
    ...base,
    publicIps: req.eip
      ? [{ privateIp, publicIp: req.eip.publicIp, ipOwnerId: ctx.scope.account, allocationId: req.eip.id, associationId }]
      : req.amazonPublicIp
        ? [{ privateIp, publicIp: freshPublicIp(ctx), ipOwnerId: "amazon" }]
        : [],
  };
  tx.put(eni);
  if (req.eip) {
    tx.put({
      ...req.eip,
      association: { associationId: associationId!, networkInterfaceId: id, networkInterfaceOwnerId: eni.ownerId, privateIp },
    });
  }
  return eni;
};

/** Removes a service ENI: its EIPs are disassociated (kept allocated) and its addresses released. */
export const deleteServiceEni = (ctx: ActionContext, eniId: string): void => {
  const eni = ctx.tx.get("network-interface", eniId);
  if (!eni) return;
  dropEipAssociations(ctx.tx, eni);
  ctx.tx.releaseAddressesOf(eni.id);
  ctx.tx.delete(eni.id);
};

/** Replaces a service ENI's security groups (ELBv2 SetSecurityGroups). */
export const setServiceEniGroups = (ctx: ActionContext, eniId: string, groupIds: readonly string[]): void => {
  const eni = ctx.tx.get("network-interface", eniId);
  if (eni) ctx.tx.put({ ...eni, groupIds: [...groupIds] });
};
