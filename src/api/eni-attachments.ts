/**
 * ENI attachments and permissions: AttachNetworkInterface, DetachNetworkInterface, CreateNetworkInterfacePermission,
 * DescribeNetworkInterfacePermissions, DeleteNetworkInterfacePermission (spec §2 group B, §4.6–4.7). Rules live in
 * domain/eni-attachment.ts.
 */
import { attachedEni, checkAttach, detachEni, isAccountId, isElaAttachmentId, settleEni } from "../domain/eni-attachment.js";
import { err } from "../domain/errors.js";
import type { FilterTable } from "../domain/filters.js";
import { assertIdOf } from "../domain/ids.js";
import type { InstanceRecord, NetworkInterfacePermissionRecord, NetworkInterfaceRecord } from "../domain/types.js";
import type { NetworkInterfacePermission } from "../protocol/model/shapes.js";
import type { Tx } from "../store/store.js";
import { defineAction, type ActionContext } from "./action.js";
import { describe } from "./describe.js";
import { resolveType, typeLimits } from "./launch.js";
import { must } from "./lookups.js";

/** The ENIs attached to an instance at `now` (a detach whose delay has passed no longer counts). */
export const attachedTo = (ctx: ActionContext, instanceId: string): NetworkInterfaceRecord[] =>
  ctx.tx
    .list("network-interface", { instanceId })
    .map((e) => settleEni(e, ctx.now))
    .filter((e) => e.attachment?.instanceId === instanceId);

const nitroType = (ctx: ActionContext, type: string): boolean => {
  const info = ctx.catalog.instanceTypes.get(type);
  return info?.Hypervisor === "nitro" || info?.BareMetal === true;
};

export const AttachNetworkInterface = defineAction({
  name: "AttachNetworkInterface",
  mutates: true,
  params: ["NetworkInterfaceId", "InstanceId", "DeviceIndex", "NetworkCardIndex"],
  run(input, ctx) {
    // Another account's ENI is invisible to the caller, so AWS's answer without a permission is NotFound; attaching
    // with an INSTANCE-ATTACH permission across accounts is not implemented yet (the store is scoped per account).
    const eni = settleEni(must(ctx.tx, "network-interface", input.NetworkInterfaceId), ctx.now);
    const instance: InstanceRecord = must(ctx.tx, "instance", input.InstanceId);
    const card = input.NetworkCardIndex ?? 0;
    const limits = typeLimits(resolveType(ctx, instance.instanceType));
    const target = { instance, attached: attachedTo(ctx, instance.id), limits, nitro: nitroType(ctx, instance.instanceType) };
    checkAttach(eni, target, input.DeviceIndex, card);
    const attachmentId = ctx.ids.next("eniAttachment");
    const delayMs = ctx.delays?.eniAttachMs ?? 0;
    ctx.tx.put(attachedEni(eni, { attachmentId, instance, deviceIndex: input.DeviceIndex, networkCardIndex: card, now: ctx.now, delayMs }));
    return { AttachmentId: attachmentId, NetworkCardIndex: card };
  },
});

/**
 * The ENI holding an attachment id. Attachment ids are not indexed, so this scans the scope's attached ENIs; a
 * detach whose delay has passed no longer holds its id (Terraform polls for exactly that).
 */
const eniByAttachment = (ctx: ActionContext, attachmentId: string): NetworkInterfaceRecord => {
  // An index lookup (store/secondary-keys.ts), not a scan of the account's ENIs.
  const [eniId] = ctx.tx.idsByKey("network-interface", "attachment.attachment-id", attachmentId);
  const found = eniId === undefined ? undefined : ctx.tx.get("network-interface", eniId);
  const settled = found && settleEni(found, ctx.now);
  if (!settled?.attachment) throw err.attachmentNotFound(attachmentId);
  return settled;
};

export const DetachNetworkInterface = defineAction({
  name: "DetachNetworkInterface",
  mutates: true,
  params: ["AttachmentId", "Force"],
  run(input, ctx) {
    // ela-attach ids are AWS services' attachments: refused before the eni-attach form check (spec §4.8).
    if (isElaAttachmentId(input.AttachmentId)) throw err.manageElaAttachment();
    assertIdOf("eniAttachment", input.AttachmentId);
    const eni = eniByAttachment(ctx, input.AttachmentId);
    const delayMs = ctx.delays?.eniDetachMs ?? 0;
    ctx.tx.put(detachEni(eni, { now: ctx.now, delayMs, force: input.Force ?? false }));
    return {};
  },
});

// --- permissions ------------------------------------------------------------------------------------------------

const permissionView = (p: NetworkInterfacePermissionRecord): NetworkInterfacePermission => ({
  NetworkInterfacePermissionId: p.id,
  NetworkInterfaceId: p.networkInterfaceId,
  AwsAccountId: p.awsAccountId,
  Permission: p.permission,
  // The CLI's sample output shows "GRANTED" although the model enum is lower-case; spec §8.6 chose the sample. unverified
  PermissionState: { State: "GRANTED" as unknown as "granted" },
});

export const CreateNetworkInterfacePermission = defineAction({
  name: "CreateNetworkInterfacePermission",
  mutates: true,
  // AwsService is "currently not supported" by AWS itself; leaving it out answers UnsupportedOperation.
  params: ["NetworkInterfaceId", "AwsAccountId", "Permission"],
  run(input, ctx) {
    const eni = must(ctx.tx, "network-interface", input.NetworkInterfaceId);
    if (input.AwsAccountId === undefined) throw err.eniPermissionAccountRequired();
    if (!isAccountId(input.AwsAccountId)) throw err.invalidAwsAccountId(input.AwsAccountId);
    const record: NetworkInterfacePermissionRecord = {
      kind: "network-interface-permission",
      id: ctx.ids.next("eniPermission"),
      tags: [],
      networkInterfaceId: eni.id,
      awsAccountId: input.AwsAccountId,
      permission: input.Permission,
    };
    ctx.tx.put(record);
    return { InterfacePermission: permissionView(record) };
  },
});

/** Permissions whose ENI still exists (a deleted ENI takes its grants with it, whoever deleted it). */
const livePermissions = (tx: Tx): NetworkInterfacePermissionRecord[] =>
  tx.list("network-interface-permission").filter((p) => tx.get("network-interface", p.networkInterfaceId) !== undefined);

const PERMISSION_FILTERS: FilterTable<NetworkInterfacePermissionRecord> = {
  "network-interface-permission.network-interface-permission-id": (p) => p.id,
  "network-interface-permission.network-interface-id": (p) => p.networkInterfaceId,
  "network-interface-permission.aws-account-id": (p) => p.awsAccountId,
  // Grants to services are not supported (by AWS either), so no permission has one.
  "network-interface-permission.aws-service": () => undefined,
  "network-interface-permission.permission": (p) => p.permission,
};

export const DescribeNetworkInterfacePermissions = defineAction({
  name: "DescribeNetworkInterfacePermissions",
  mutates: false,
  params: ["NetworkInterfacePermissionIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: livePermissions(ctx.tx),
      idOf: (p) => p.id,
      taggable: false,
      ids: input.NetworkInterfacePermissionIds,
      idKind: "eniPermission",
      notFound: (missing) => err.eniPermissionNotFound(missing.join(", ")),
      idsParam: "networkInterfacePermissionId",
      filters: input.Filters,
      table: PERMISSION_FILTERS,
      // AWS's default page is 50 permissions (model doc).
      maxResults: input.MaxResults ?? (input.NetworkInterfacePermissionIds?.length ? undefined : 50),
      nextToken: input.NextToken,
    });
    return { NetworkInterfacePermissions: page.items.map(permissionView), NextToken: page.nextToken };
  },
});

export const DeleteNetworkInterfacePermission = defineAction({
  name: "DeleteNetworkInterfacePermission",
  mutates: true,
  params: ["NetworkInterfacePermissionId", "Force"],
  run(input, ctx) {
    const p = must(ctx.tx, "network-interface-permission", input.NetworkInterfacePermissionId);
    const eni = ctx.tx.get("network-interface", p.networkInterfaceId);
    if (!eni) throw err.eniPermissionNotFound(p.id);
    // Refused while the grantee has the ENI attached, unless Force (spec §2 group B).
    const granteeAttached = p.permission === "INSTANCE-ATTACH" && settleEni(eni, ctx.now).attachment?.instanceOwnerId === p.awsAccountId;
    if (granteeAttached && !input.Force) throw err.eniPermissionInUse(p.id, p.awsAccountId);
    ctx.tx.delete(p.id);
    return { Return: true };
  },
});

export const ENI_ATTACHMENT_ACTIONS = [
  AttachNetworkInterface,
  DetachNetworkInterface,
  CreateNetworkInterfacePermission,
  DescribeNetworkInterfacePermissions,
  DeleteNetworkInterfacePermission,
];
