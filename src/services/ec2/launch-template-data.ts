/**
 * Launch templates (issue 15) as RunInstances sees them: finding a template by id or name, checking that its data
 * holds only what localvpc launches with, and turning RunInstances' LaunchTemplate into the merged request that the
 * one launch path (launch.ts) runs with every rule it has.
 */
import { Ec2Error, err } from "../../domain/errors.js";
import { assertIdOf } from "../../domain/ids.js";
import { mergeLaunchRequest, resolveVersion } from "../../domain/launch-templates.js";
import type { LaunchTemplateRecord, Tag } from "../../domain/types.js";
import type { RequestLaunchTemplateData, RunInstancesRequest } from "../../protocol/model/shapes.js";
import type { ActionContext } from "./action.js";
import { UNSUPPORTED_INTERFACE_MEMBERS, UNSUPPORTED_PLACEMENT_MEMBERS } from "./launch.js";
import { tagsFromSpecs } from "./actions/tags.js";
import { keyPairByName } from "./actions/key-pairs.js";
import { imageOrGeneric, knownImage } from "./image-sources.js";
import { must } from "./lookups.js";

/** A template by id (Malformed, then NotFound) or by name; exactly one of the two. */
export const templateByIdOrName = (ctx: ActionContext, id: string | undefined, name: string | undefined): LaunchTemplateRecord => {
  if (id !== undefined && name !== undefined) throw err.launchTemplateIdAndName();
  if (id !== undefined) {
    assertIdOf("launchTemplate", id);
    const t = ctx.tx.get("launch-template", id);
    if (!t) throw err.launchTemplateIdNotFound(id);
    return t;
  }
  if (name === undefined) throw err.launchTemplateIdOrName();
  const t = templateByName(ctx, name);
  if (!t) throw err.launchTemplateNameNotFound(name);
  return t;
};

export const templateByName = (ctx: ActionContext, name: string): LaunchTemplateRecord | undefined =>
  ctx.tx
    .idsByKey("launch-template", "launch-template-name", name)
    .map((id) => ctx.tx.get("launch-template", id))
    .find((t) => t?.name === name);

/** The LaunchTemplateData members RunInstances implements; any other is refused when written, never stored unused. */
export const LAUNCHABLE_MEMBERS = [
  "ImageId",
  "InstanceType",
  "KeyName",
  "SecurityGroupIds",
  "SecurityGroups",
  "TagSpecifications",
  "NetworkInterfaces",
  "DisableApiTermination",
  "DisableApiStop",
  "InstanceInitiatedShutdownBehavior",
  "EbsOptimized",
  "UserData",
  "Placement",
  "Monitoring",
  "CreditSpecification",
  "MetadataOptions",
  "BlockDeviceMappings",
  "IamInstanceProfile",
  "HibernationOptions",
] as const satisfies readonly (keyof RequestLaunchTemplateData & keyof RunInstancesRequest)[];

/**
 * CreateLaunchTemplate / CreateLaunchTemplateVersion: AWS does not fully validate template data when it is written
 * ("Parameters not validated", [DOC launch-template-restrictions]); localvpc checks what it can without a launch:
 * every member is one it launches with, the interfaces' and placement's members too, and the tag specifications
 * (resource types instance, volume, network-interface; tag rules).
 */
export const checkTemplateData = (ctx: ActionContext, data: RequestLaunchTemplateData, action: string): void => {
  const record = data as Record<string, unknown>;
  for (const k of Object.keys(record))
    if (record[k] !== undefined && !(LAUNCHABLE_MEMBERS as readonly string[]).includes(k))
      throw err.unsupportedParameter(`LaunchTemplateData.${k}`, action);
  for (const [n, s] of (data.NetworkInterfaces ?? []).entries())
    for (const m of UNSUPPORTED_INTERFACE_MEMBERS)
      if (s[m] !== undefined) throw err.unsupportedParameter(`LaunchTemplateData.NetworkInterface.${n + 1}.${m}`, action);
  for (const m of UNSUPPORTED_PLACEMENT_MEMBERS)
    if (data.Placement?.[m] !== undefined) throw err.unsupportedParameter(`LaunchTemplateData.Placement.${m}`, action);
  for (const type of ["instance", "volume", "network-interface"])
    tagsFromSpecs(
      data.TagSpecifications,
      type,
      ctx,
      ["instance", "volume", "network-interface"].filter((t) => t !== type),
    );
};

/**
 * CreateLaunchTemplate(Version)'s `Warning`: AWS stores template data even when it names things that do not exist,
 * and answers one {Code, Message} per problem (EC2 API reference, CreateLaunchTemplate "Warning"); the launch then
 * fails with the same error. Checked: the image (under --strict-images, or another account's), the key pair, the
 * subnets and the security groups the data names. The messages are the ones RunInstances would answer.
 */
export const templateWarnings = (ctx: ActionContext, data: RequestLaunchTemplateData | undefined): { Code: string; Message: string }[] => {
  if (data === undefined) return [];
  const out: { Code: string; Message: string }[] = [];
  const check = (fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof Ec2Error)) throw e;
      if (!out.some((w) => w.Code === e.code && w.Message === e.message)) out.push({ Code: e.code, Message: e.message });
    }
  };
  if (data.ImageId !== undefined && !data.ImageId.startsWith("resolve:ssm:"))
    check(() => knownImage(ctx, data.ImageId!) ?? imageOrGenericQuiet(ctx, data.ImageId!));
  if (data.KeyName !== undefined && !keyPairByName(ctx, data.KeyName))
    check(() => {
      throw err.keyPairNotFound(data.KeyName!);
    });
  const subnets = (data.NetworkInterfaces ?? []).flatMap((n) => (n.SubnetId === undefined ? [] : [n.SubnetId]));
  for (const id of subnets) check(() => must(ctx.tx, "subnet", id));
  const groups = [...(data.SecurityGroupIds ?? []), ...(data.NetworkInterfaces ?? []).flatMap((n) => n.Groups ?? [])];
  for (const id of new Set(groups)) check(() => must(ctx.tx, "security-group", id));
  return out;
};

/** An unknown image id as a launch would treat it, without telling the generic-image hook (nothing launches yet). */
const imageOrGenericQuiet = (ctx: ActionContext, imageId: string): unknown =>
  imageOrGeneric({ ...ctx, images: ctx.images && { ...ctx.images, onGenericImage: undefined } }, imageId);

/**
 * RunInstances' LaunchTemplate: the version it names (the default one when absent), merged under the request's own
 * members (domain/launch-templates.ts), and the tags AWS puts on each instance launched from a template.
 */
export const withLaunchTemplate = (ctx: ActionContext, input: RunInstancesRequest): { input: RunInstancesRequest; tags: Tag[] } => {
  const spec = input.LaunchTemplate;
  if (spec === undefined) return { input, tags: [] };
  const t = templateByIdOrName(ctx, spec.LaunchTemplateId, spec.LaunchTemplateName);
  const v = resolveVersion(t, spec.Version);
  const { LaunchTemplate: _used, ...request } = input;
  return {
    input: mergeLaunchRequest(v.data, request),
    tags: [
      { key: "aws:ec2launchtemplate:id", value: t.id },
      { key: "aws:ec2launchtemplate:version", value: String(v.number) },
    ],
  };
};
