/**
 * NAT gateways: CreateNatGateway (public with an Elastic IP allocation — Amazon pool or a BYOIP pool, the same
 * `elastic-ip` record — or private), DescribeNatGateways, DeleteNatGateway. A NAT gateway owns a requester-managed
 * `nat_gateway` ENI in its subnet (as AWS shows it: "Interface for NAT Gateway nat-…", no security groups) whose
 * primary private IP the Elastic IP maps to. With zero transition delays it is `available` at once.
 */
import { macAddress } from "../../../domain/addressing.js";
import { parseCidr } from "../../../domain/cidr.js";
import { err } from "../../../domain/errors.js";
import { buildNetworkInterface } from "../../../domain/network-interfaces.js";
import type { NatGatewayRecord, NetworkInterfaceRecord } from "../../../domain/types.js";
import type { NatGateway } from "../../../protocol/model/shapes.js";
import { claimLowestFree } from "../address-space.js";
import { defineAction } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { dropEipAssociations } from "../eip-links.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

/** NAT gateways per Availability Zone (VPC-UG quotas: 5). */
const NAT_GATEWAYS_PER_AZ = 5;

export const natGatewayView = (n: NatGatewayRecord): NatGateway => ({
  NatGatewayId: n.id,
  VpcId: n.vpcId,
  SubnetId: n.subnetId,
  State: n.state,
  ConnectivityType: n.connectivityType,
  CreateTime: new Date(n.createTime),
  DeleteTime: n.deleteTime !== undefined ? new Date(n.deleteTime) : undefined,
  NatGatewayAddresses: [
    {
      AllocationId: n.allocationId,
      NetworkInterfaceId: n.networkInterfaceId,
      PrivateIp: n.privateIp,
      PublicIp: n.publicIp,
      AssociationId: n.associationId,
      IsPrimary: true,
      Status: n.state === "deleted" ? "disassociating" : "succeeded",
    },
  ],
  Tags: tagView(n.tags),
});

export const CreateNatGateway = defineAction({
  name: "CreateNatGateway",
  mutates: true,
  params: ["SubnetId", "AllocationId", "ConnectivityType", "TagSpecifications", "ClientToken"],
  run(input, ctx) {
    const { tx } = ctx;
    const tags = tagsFromSpecs(input.TagSpecifications, "natgateway", ctx);
    if (input.SubnetId === undefined) throw err.missingParameter("SubnetId");
    const subnet = must(tx, "subnet", input.SubnetId);
    const connectivity = input.ConnectivityType ?? "public";
    if (connectivity === "public" && input.AllocationId === undefined) throw err.natGatewayAllocationRequired();
    if (connectivity === "private" && input.AllocationId !== undefined) throw err.natGatewayPrivateWithEip();
    const eip = input.AllocationId !== undefined ? must(tx, "elastic-ip", input.AllocationId) : undefined;
    if (eip?.association) throw err.natGatewayEipInUse(eip.id);
    const live = tx
      .list("nat-gateway")
      .filter((n) => n.state !== "deleted" && tx.get("subnet", n.subnetId)?.availabilityZone === subnet.availabilityZone);
    if (live.length >= NAT_GATEWAYS_PER_AZ) throw err.natGatewayLimitExceeded();
    const cidr = subnet.cidrBlock ? parseCidr(subnet.cidrBlock) : undefined;
    if (!cidr) throw err.insufficientAddresses();
    const id = ctx.ids.next("natGateway");
    const eniId = ctx.ids.next("networkInterface");
    const [privateIp] = claimLowestFree(tx, subnet.id, cidr, eniId, 1);
    const associationId = eip ? ctx.ids.next("association") : undefined;
    const base: NetworkInterfaceRecord = buildNetworkInterface({
      id: eniId,
      subnet,
      ownerId: ctx.scope.account,
      // AWS shows an internal requester for NAT gateway ENIs; unverified beyond "requester-managed".
      requesterId: "amazon-aws",
      requesterManaged: true,
      description: `Interface for NAT Gateway ${id}`,
      macAddress: macAddress(ctx.ids.hex(10)),
      groupIds: [],
      privateIps: [privateIp!],
      associatePublicIp: false,
      interfaceType: "nat_gateway",
      attachment: {
        attachmentId: `ela-attach-${ctx.ids.hex(17)}`,
        instanceId: `i-${ctx.ids.hex(17)}`,
        instanceOwnerId: "amazon-aws",
        deviceIndex: 1,
        networkCardIndex: 0,
        status: "attached",
        attachTime: ctx.now.toISOString(),
        deleteOnTermination: false,
      },
    });
    const eni: NetworkInterfaceRecord = {
      ...base,
      sourceDestCheck: false,
      publicIps: eip
        ? [{ privateIp: privateIp!, publicIp: eip.publicIp, ipOwnerId: ctx.scope.account, allocationId: eip.id, associationId }]
        : [],
    };
    tx.put(eni);
    if (eip) {
      tx.put({
        ...eip,
        association: {
          associationId: associationId!,
          networkInterfaceId: eni.id,
          networkInterfaceOwnerId: eni.ownerId,
          privateIp: privateIp!,
        },
      });
    }
    const nat: NatGatewayRecord = {
      kind: "nat-gateway",
      id,
      tags,
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      connectivityType: connectivity,
      state: "available",
      networkInterfaceId: eni.id,
      privateIp: privateIp!,
      allocationId: eip?.id,
      publicIp: eip?.publicIp,
      associationId,
      createTime: ctx.now.toISOString(),
    };
    tx.put(nat);
    return { NatGateway: natGatewayView(nat), ClientToken: input.ClientToken };
  },
});

export const DeleteNatGateway = defineAction({
  name: "DeleteNatGateway",
  mutates: true,
  params: ["NatGatewayId"],
  run(input, ctx) {
    const { tx } = ctx;
    const nat = must(tx, "nat-gateway", input.NatGatewayId);
    if (nat.state === "deleted") throw err.natGatewayNotFound(nat.id);
    // The gateway stays visible as `deleted` (AWS keeps it about an hour); its ENI and address mapping go away.
    const eni = tx.get("network-interface", nat.networkInterfaceId);
    if (eni) {
      dropEipAssociations(tx, eni);
      tx.releaseAddressesOf(eni.id);
      tx.delete(eni.id);
    }
    tx.put({ ...nat, state: "deleted", deleteTime: ctx.now.toISOString() });
    return { NatGatewayId: nat.id };
  },
});

export const DescribeNatGateways = defineAction({
  name: "DescribeNatGateways",
  mutates: false,
  params: ["NatGatewayIds", "Filter", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "nat-gateway", input.NatGatewayIds, input.Filter, {
        id: "nat-gateway-id",
        subnetId: "subnet-id",
        vpcId: "vpc-id",
        idsInCreationOrder: true,
      }),
      idOf: (n) => n.id,
      ids: input.NatGatewayIds,
      idKind: "natGateway",
      idsParam: "natGatewayId",
      notFound: (m) => err.natGatewayNotFound(m[0]!),
      filters: input.Filter,
      table: {
        "nat-gateway-id": (n) => n.id,
        state: (n) => n.state,
        "subnet-id": (n) => n.subnetId,
        "vpc-id": (n) => n.vpcId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { NatGateways: page.items.map(natGatewayView), NextToken: page.nextToken };
  },
});

export const NAT_GATEWAY_ACTIONS = [CreateNatGateway, DescribeNatGateways, DeleteNatGateway];
