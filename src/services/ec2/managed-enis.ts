/**
 * Requester-managed ENIs (spec §4.8): what RDS, EKS, WorkSpaces or AppStream create in a customer's subnet. EC2 has
 * no API for this, so the admin route `POST /_localvpc/managed-eni` calls `createManagedEni`. The ENI is attached to
 * an instance of the service's own account through an `ela-attach-` attachment, so users see it `in-use` and may
 * change only its tags (DetachNetworkInterface: OperationNotPermitted; Modify/Delete/Assign*: network-interfaces.ts).
 */
import { macAddress } from "../../domain/addressing.js";
import { claimLowestFree } from "./address-space.js";
import { parseCidr } from "../../domain/cidr.js";
import { err } from "../../domain/errors.js";
import { buildNetworkInterface } from "../../domain/network-interfaces.js";
import type { NetworkInterfaceRecord, SubnetRecord } from "../../domain/types.js";
import type { Scope } from "../../store/store.js";
import type { ActionContext } from "./action.js";
import { adminScope, bodyObject, bodyString, requireBodyString, type AdminRequest, type AdminRoute } from "../../admin/routes.js";
import { must } from "./lookups.js";
import type { Ec2Service } from "./service.js";
import { SERVICE_ACCOUNTS } from "../../world/service-accounts.js";
import { uuidOf } from "../../domain/ids.js";

export const MANAGED_SERVICES: readonly string[] = Object.keys(SERVICE_ACCOUNTS);

export interface ManagedEniRequest {
  readonly subnetId: string;
  readonly service: string;
  /** Overrides the service's requester id (and the attachment's instance owner): an account id or an alias. */
  readonly requester?: string | undefined;
  /** The resource the description names: the EKS cluster, the Lambda function or the load balancer ("localvpc"). */
  readonly cluster?: string | undefined;
}

/** What the admin route answers (PascalCase like EC2's NetworkInterface, so scripts can reuse the names). */
export interface ManagedEniResult {
  readonly NetworkInterfaceId: string;
  readonly SubnetId: string;
  readonly VpcId: string;
  readonly AvailabilityZone: string;
  readonly PrivateIpAddress: string;
  readonly MacAddress: string;
  readonly Description: string;
  readonly RequesterId: string;
  readonly RequesterManaged: true;
  readonly Status: string;
  readonly InterfaceType: string;
  readonly OwnerId: string;
  readonly AttachmentId: string;
  readonly InstanceId: string;
  readonly InstanceOwnerId: string;
}

const defaultGroupId = (ctx: ActionContext, vpcId: string): string[] => {
  const g = ctx.tx.list("security-group", { vpcId }).find((x) => x.groupName === "default");
  return g ? [g.id] : [];
};

const claimPrimaryIp = (ctx: ActionContext, subnet: SubnetRecord, eniId: string): string => {
  const cidr = subnet.cidrBlock ? parseCidr(subnet.cidrBlock) : undefined;
  if (!cidr) throw err.insufficientAddresses();
  const [ip] = claimLowestFree(ctx.tx, subnet.id, cidr, eniId, 1);
  return ip!;
};

export const createManagedEni = (ctx: ActionContext, req: ManagedEniRequest): ManagedEniResult => {
  const profile = Object.hasOwn(SERVICE_ACCOUNTS, req.service) ? SERVICE_ACCOUNTS[req.service] : undefined;
  if (!profile) throw err.unknownManagedService(req.service, MANAGED_SERVICES);
  const subnet = must(ctx.tx, "subnet", req.subnetId);
  const id = ctx.ids.next("networkInterface");
  const owner = req.requester ?? profile.instanceOwnerId;
  const naming = { account: ctx.scope.account, name: req.cluster ?? "localvpc", hex16: ctx.ids.hex(16), uuid: uuidOf(ctx.ids) };
  const eni: NetworkInterfaceRecord = buildNetworkInterface({
    id,
    subnet,
    ownerId: ctx.scope.account,
    requesterId: req.requester ?? (typeof profile.requesterId === "string" ? profile.requesterId : profile.requesterId(naming)),
    requesterManaged: true,
    description: profile.description(naming),
    ...(profile.interfaceType !== undefined ? { interfaceType: profile.interfaceType } : {}),
    macAddress: macAddress(ctx.ids.hex(10)),
    groupIds: defaultGroupId(ctx, subnet.vpcId),
    privateIps: [claimPrimaryIp(ctx, subnet, id)],
    // A service ENI never takes a public IP from the subnet's MapPublicIpOnLaunch.
    associatePublicIp: false,
    attachment: {
      attachmentId: `ela-attach-${ctx.ids.hex(17)}`,
      // The service's instance lives in its own account; its id is synthetic (no such instance in this scope).
      instanceId: `i-${ctx.ids.hex(17)}`,
      instanceOwnerId: owner,
      deviceIndex: 1,
      networkCardIndex: 0,
      status: "attached",
      attachTime: ctx.now.toISOString(),
      deleteOnTermination: false,
    },
  });
  ctx.tx.put(eni);
  return {
    NetworkInterfaceId: eni.id,
    SubnetId: eni.subnetId,
    VpcId: eni.vpcId,
    AvailabilityZone: eni.availabilityZone,
    PrivateIpAddress: eni.privateIps[0]!.address,
    MacAddress: eni.macAddress,
    Description: eni.description,
    RequesterId: eni.requesterId,
    RequesterManaged: true,
    Status: eni.status,
    InterfaceType: eni.interfaceType,
    OwnerId: eni.ownerId,
    AttachmentId: eni.attachment!.attachmentId,
    InstanceId: eni.attachment!.instanceId,
    InstanceOwnerId: eni.attachment!.instanceOwnerId,
  };
};

/** Reads the admin route's JSON body: {subnetId, service, requester?, cluster?, account?, region?}. */
export const parseManagedEniBody = (req: AdminRequest, defaults: Scope): { scope: Scope; request: ManagedEniRequest } => {
  const b = bodyObject(req.body, "subnetId");
  const subnetId = requireBodyString(b, "subnetId");
  const service = requireBodyString(b, "service");
  const scope = adminScope(req, defaults);
  return { scope, request: { subnetId, service, requester: bodyString(b, "requester"), cluster: bodyString(b, "cluster") } };
};

/** `POST /_localvpc/managed-eni`: parse, then create in one transaction of the (bootstrapped) scope. */
export const managedEniRoutes = (ec2: Ec2Service, defaults: Scope): AdminRoute[] => [
  {
    method: "POST",
    path: "/_localvpc/managed-eni",
    summary: "create a requester-managed ENI",
    handle: (req) => {
      const { scope, request } = parseManagedEniBody(req, defaults);
      return ec2.runAdmin(scope, "admin", (ctx) => createManagedEni(ctx, request));
    },
  },
];
