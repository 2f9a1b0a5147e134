/**
 * ENI attachments and permissions: AttachNetworkInterface, DetachNetworkInterface, CreateNetworkInterfacePermission,
 * DescribeNetworkInterfacePermissions, DeleteNetworkInterfacePermission (spec §2 group B, §4.6–4.7). Rules live in
 * domain/eni-attachment.ts.
 */
import { attachedEni, checkAttach, detachEni, isAccountId, isElaAttachmentId, settleEni } from "../../../domain/eni-attachment.js";
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { assertIdOf } from "../../../domain/ids.js";
import type { InstanceRecord, NetworkInterfacePermissionRecord, NetworkInterfaceRecord } from "../../../domain/types.js";
import type { NetworkInterfacePermission } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe } from "../../common/describe.js";
import { nitroType, resolveType, typeLimits } from "../launch.js";
import { must } from "../lookups.js";
import { ebsLimit, instanceVolumes, sharedInterfaces } from "../ebs.js";
import { dropAttachmentLink, eniForCaller, instanceEnis, linkedAttachment, putAttachmentLink, type HeldEni } from "../foreign-enis.js";

/**
 * The ENIs attached to an instance at `now`, including other accounts' ENIs attached with a permission (a detach
 * whose delay has passed no longer counts).
 */
export const attachedTo = (ctx: ActionContext, instanceId: string): NetworkInterfaceRecord[] =>
  instanceEnis(ctx.tx, instanceId, ctx.now).map((h) => h.eni);

export const AttachNetworkInterface = defineAction({
  name: "AttachNetworkInterface",
  mutates: true,
  params: ["NetworkInterfaceId", "InstanceId", "DeviceIndex", "NetworkCardIndex"],
  run(input, ctx) {
    // Another account's ENI is invisible to the caller unless its owner granted the caller INSTANCE-ATTACH; without
    // the grant AWS's answer is NotFound, as for an ENI that does not exist.
    const held = eniForCaller(ctx.tx, input.NetworkInterfaceId, "INSTANCE-ATTACH", ctx.now);
    const instance: InstanceRecord = must(ctx.tx, "instance", input.InstanceId);
    const card = input.NetworkCardIndex ?? 0;
    const limits = typeLimits(resolveType(ctx, instance.instanceType));
    const target = {
      instance,
      attached: attachedTo(ctx, instance.id),
      limits,
      nitro: nitroType(ctx, instance.instanceType),
      crossAccount: held.foreign,
    };
    checkAttach(held.eni, target, input.DeviceIndex, card);
    // On a shared EBS limit, interfaces and volumes count together [DOC volume_limits] (issue 15).
    const ebs = ebsLimit(ctx.catalog.instanceTypes.get(instance.instanceType));
    const used = sharedInterfaces(ebs, target.attached.length + 1) + instanceVolumes(ctx.tx, instance).length;
    if (ebs.shared && used > ebs.max) throw err.volumeAttachmentLimit(instance.instanceType, ebs.max);
    const attachmentId = ctx.ids.next("eniAttachment");
    const delayMs = ctx.delays?.eniAttachMs ?? 0;
    const attached = attachedEni(held.eni, {
      attachmentId,
      instance,
      deviceIndex: input.DeviceIndex,
      networkCardIndex: card,
      now: ctx.now,
      delayMs,
    });
    held.tx.put(attached);
    if (held.foreign) putAttachmentLink(ctx.tx, attached);
    return { AttachmentId: attachmentId, NetworkCardIndex: card };
  },
});

/**
 * The ENI holding an attachment id: one of the caller's ENIs (an index lookup, store/secondary-keys.ts), or another
 * account's ENI attached to the caller's instance through a permission. A detach whose delay has passed no longer
 * holds its id (Terraform polls for exactly that).
 */
const eniByAttachment = (ctx: ActionContext, attachmentId: string): HeldEni => {
  const [eniId] = ctx.tx.idsByKey("network-interface", "attachment.attachment-id", attachmentId);
  const found = eniId === undefined ? undefined : ctx.tx.get("network-interface", eniId);
  const settled = found && settleEni(found, ctx.now);
  if (settled?.attachment) return { eni: settled, tx: ctx.tx, foreign: false };
  const linked = linkedAttachment(ctx.tx, attachmentId, ctx.now);
  if (!linked) throw err.attachmentNotFound(attachmentId);
  return linked;
};

export const DetachNetworkInterface = defineAction({
  name: "DetachNetworkInterface",
  mutates: true,
  params: ["AttachmentId", "Force"],
  run(input, ctx) {
    // ela-attach ids are AWS services' attachments: refused before the eni-attach form check (spec §4.8).
    if (isElaAttachmentId(input.AttachmentId)) throw err.manageElaAttachment();
    assertIdOf("eniAttachment", input.AttachmentId);
    const held = eniByAttachment(ctx, input.AttachmentId);
    const delayMs = ctx.delays?.eniDetachMs ?? 0;
    const after = detachEni(held.eni, { now: ctx.now, delayMs, force: input.Force ?? false });
    held.tx.put(after);
    // Either side may detach a cross-account attachment; once it is gone the instance owner's link goes too (a
    // delayed detach keeps it until then; readers ignore a link whose attachment has settled away).
    if (!after.attachment) dropAttachmentLink(held.tx, held.eni);
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
