/**
 * Launch templates (issue 15): CreateLaunchTemplate, CreateLaunchTemplateVersion, ModifyLaunchTemplate,
 * DescribeLaunchTemplates, DescribeLaunchTemplateVersions, DeleteLaunchTemplate, DeleteLaunchTemplateVersions,
 * GetLaunchTemplateData. RunInstances launches from them through launch-template-data.ts.
 */
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import {
  LAUNCH_TEMPLATES_PER_REGION,
  VERSIONS_PER_LAUNCH_TEMPLATE,
  deleteVersions,
  latestVersion,
  mergeVersionData,
  resolveVersion,
  selectVersions,
  validateLaunchTemplateName,
} from "../../../domain/launch-templates.js";
import type { LaunchTemplateRecord, LaunchTemplateVersionState } from "../../../domain/types.js";
import type {
  LaunchTemplate,
  LaunchTemplateVersion,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
} from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { describe, tagView } from "../../common/describe.js";
import { instanceView, viewLookups } from "../instance-views.js";
import { checkTemplateData, templateByIdOrName, templateByName, templateWarnings } from "../launch-template-data.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

/** Who created a template or version: the caller's account root (localvpc has no IAM users). unverified form. */
const creator = (ctx: ActionContext): string => `arn:aws:iam::${ctx.scope.account}:root`;

const isEmpty = (data: RequestLaunchTemplateData): boolean => Object.values(data).every((v) => v === undefined);

const templateView = (t: LaunchTemplateRecord): LaunchTemplate => ({
  LaunchTemplateId: t.id,
  LaunchTemplateName: t.name,
  CreateTime: new Date(t.createTime),
  CreatedBy: t.createdBy,
  DefaultVersionNumber: t.defaultVersion,
  LatestVersionNumber: latestVersion(t),
  Tags: tagView(t.tags),
});

const versionView = (t: LaunchTemplateRecord, v: LaunchTemplateVersionState): LaunchTemplateVersion => ({
  LaunchTemplateId: t.id,
  LaunchTemplateName: t.name,
  VersionNumber: v.number,
  VersionDescription: v.description,
  CreateTime: new Date(v.createTime),
  CreatedBy: v.createdBy,
  DefaultVersion: v.number === t.defaultVersion,
  // Stored data holds only launchable members, whose request and response shapes have the same member names.
  LaunchTemplateData: v.data,
});

const newVersion = (ctx: ActionContext, n: number, data: object, description: string | undefined): LaunchTemplateVersionState => ({
  number: n,
  description,
  createTime: ctx.now.toISOString(),
  createdBy: creator(ctx),
  data: data as Record<string, unknown>,
});

export const CreateLaunchTemplate = defineAction({
  name: "CreateLaunchTemplate",
  mutates: true,
  params: ["ClientToken", "LaunchTemplateName", "VersionDescription", "LaunchTemplateData", "TagSpecifications"],
  run(input, ctx) {
    validateLaunchTemplateName(input.LaunchTemplateName);
    if (isEmpty(input.LaunchTemplateData)) throw err.launchTemplateDataMissing();
    checkTemplateData(ctx, input.LaunchTemplateData, "CreateLaunchTemplate");
    const tags = tagsFromSpecs(input.TagSpecifications, "launch-template", ctx);
    if (templateByName(ctx, input.LaunchTemplateName)) throw err.launchTemplateNameInUse();
    if (ctx.tx.count("launch-template") >= LAUNCH_TEMPLATES_PER_REGION) throw err.launchTemplateLimitExceeded();
    const t: LaunchTemplateRecord = {
      kind: "launch-template",
      id: ctx.ids.next("launchTemplate"),
      tags,
      name: input.LaunchTemplateName,
      createTime: ctx.now.toISOString(),
      createdBy: creator(ctx),
      defaultVersion: 1,
      nextVersion: 2,
      versions: [newVersion(ctx, 1, input.LaunchTemplateData, input.VersionDescription)],
    };
    ctx.tx.put(t);
    const warnings = templateWarnings(ctx, input.LaunchTemplateData);
    return { LaunchTemplate: templateView(t), ...(warnings.length > 0 ? { Warning: { Errors: warnings } } : {}) };
  },
});

export const CreateLaunchTemplateVersion = defineAction({
  name: "CreateLaunchTemplateVersion",
  mutates: true,
  params: ["ClientToken", "LaunchTemplateId", "LaunchTemplateName", "SourceVersion", "VersionDescription", "LaunchTemplateData"],
  run(input, ctx) {
    const t = templateByIdOrName(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
    const source = input.SourceVersion === undefined ? undefined : resolveVersion(t, input.SourceVersion);
    if (!source && isEmpty(input.LaunchTemplateData)) throw err.launchTemplateDataMissing();
    checkTemplateData(ctx, input.LaunchTemplateData, "CreateLaunchTemplateVersion");
    if (t.versions.length >= VERSIONS_PER_LAUNCH_TEMPLATE) throw err.launchTemplateVersionLimitExceeded();
    const data = mergeVersionData(source?.data, input.LaunchTemplateData as Record<string, unknown>);
    const v = newVersion(ctx, t.nextVersion, data, input.VersionDescription);
    const updated: LaunchTemplateRecord = { ...t, nextVersion: t.nextVersion + 1, versions: [...t.versions, v] };
    ctx.tx.put(updated);
    const warnings = templateWarnings(ctx, data);
    return { LaunchTemplateVersion: versionView(updated, v), ...(warnings.length > 0 ? { Warning: { Errors: warnings } } : {}) };
  },
});

export const ModifyLaunchTemplate = defineAction({
  name: "ModifyLaunchTemplate",
  mutates: true,
  params: ["ClientToken", "LaunchTemplateId", "LaunchTemplateName", "DefaultVersion"],
  run(input, ctx) {
    const t = templateByIdOrName(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
    if (input.DefaultVersion === undefined) return { LaunchTemplate: templateView(t) };
    // Only a version number names the new default ($Latest would not stay latest). unverified for aliases.
    if (!/^[0-9]+$/.test(input.DefaultVersion)) throw err.launchTemplateVersionNotFound(input.DefaultVersion, t.id);
    const updated = { ...t, defaultVersion: resolveVersion(t, input.DefaultVersion).number };
    ctx.tx.put(updated);
    return { LaunchTemplate: templateView(updated) };
  },
});

const TEMPLATE_FILTERS: FilterTable<LaunchTemplateRecord> = {
  "create-time": (t) => t.createTime,
  "launch-template-name": (t) => t.name,
};

export const DescribeLaunchTemplates = defineAction({
  name: "DescribeLaunchTemplates",
  mutates: false,
  params: ["LaunchTemplateIds", "LaunchTemplateNames", "Filters", "NextToken", "MaxResults"],
  run(input, ctx) {
    const all = ctx.tx.list("launch-template");
    const names = input.LaunchTemplateNames ?? [];
    const missing = names.find((n) => !all.some((t) => t.name === n));
    if (missing !== undefined) throw err.launchTemplateNameNotFound(missing);
    const page = describe({
      items: names.length > 0 ? all.filter((t) => names.includes(t.name)) : all,
      idOf: (t) => t.id,
      ids: input.LaunchTemplateIds,
      idKind: "launchTemplate",
      notFound: (ids) => err.launchTemplateIdNotFound(ids[0]!),
      filters: input.Filters,
      table: TEMPLATE_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { LaunchTemplates: page.items.map(templateView), NextToken: page.nextToken };
  },
});

interface VersionRow {
  readonly t: LaunchTemplateRecord;
  readonly v: LaunchTemplateVersionState;
}
const dataOf = (r: VersionRow): RequestLaunchTemplateData => r.v.data;

/** Every filter the model documents; members localvpc never stores (kernel, RAM disk, licenses, hosts) match nothing. */
const VERSION_FILTERS: FilterTable<VersionRow> = {
  "create-time": (r) => r.v.createTime,
  "ebs-optimized": (r) => dataOf(r).EbsOptimized,
  "http-endpoint": (r) => dataOf(r).MetadataOptions?.HttpEndpoint,
  "http-protocol-ipv4": () => undefined,
  "host-resource-group-arn": () => undefined,
  "http-tokens": (r) => dataOf(r).MetadataOptions?.HttpTokens,
  "iam-instance-profile": (r) => [dataOf(r).IamInstanceProfile?.Arn, dataOf(r).IamInstanceProfile?.Name].filter((x) => x !== undefined),
  "image-id": (r) => dataOf(r).ImageId,
  "instance-type": (r) => dataOf(r).InstanceType,
  "is-default-version": (r) => r.v.number === r.t.defaultVersion,
  "kernel-id": () => undefined,
  "license-configuration-arn": () => undefined,
  "network-card-index": (r) => (dataOf(r).NetworkInterfaces ?? []).map((n) => n.NetworkCardIndex ?? 0),
  "ram-disk-id": () => undefined,
};

export const DescribeLaunchTemplateVersions = defineAction({
  name: "DescribeLaunchTemplateVersions",
  mutates: false,
  params: ["LaunchTemplateId", "LaunchTemplateName", "Versions", "MinVersion", "MaxVersion", "NextToken", "MaxResults", "Filters"],
  run(input, ctx) {
    let rows: VersionRow[];
    if (input.LaunchTemplateId === undefined && input.LaunchTemplateName === undefined) {
      // Without a template, only $Latest and $Default may be asked for: that version of every template.
      const refs = input.Versions ?? [];
      if (refs.some((r) => r !== "$Latest" && r !== "$Default") || input.MinVersion !== undefined || input.MaxVersion !== undefined)
        throw err.launchTemplateVersionsWithoutTemplate();
      rows = ctx.tx.list("launch-template").flatMap((t) => selectVersions(t, refs, undefined, undefined).map((v) => ({ t, v })));
    } else {
      const t = templateByIdOrName(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
      rows = selectVersions(t, input.Versions, input.MinVersion, input.MaxVersion).map((v) => ({ t, v }));
    }
    const page = describe({
      items: rows,
      idOf: (r) => `${r.t.id}:${r.v.number}`,
      tagsOf: () => [],
      taggable: false,
      filters: input.Filters,
      table: VERSION_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { LaunchTemplateVersions: page.items.map((r) => versionView(r.t, r.v)), NextToken: page.nextToken };
  },
});

export const DeleteLaunchTemplate = defineAction({
  name: "DeleteLaunchTemplate",
  mutates: true,
  params: ["LaunchTemplateId", "LaunchTemplateName"],
  run(input, ctx) {
    const t = templateByIdOrName(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
    ctx.tx.delete(t.id);
    return { LaunchTemplate: templateView(t) };
  },
});

export const DeleteLaunchTemplateVersions = defineAction({
  name: "DeleteLaunchTemplateVersions",
  mutates: true,
  params: ["LaunchTemplateId", "LaunchTemplateName", "Versions"],
  run(input, ctx) {
    const t = templateByIdOrName(ctx, input.LaunchTemplateId, input.LaunchTemplateName);
    const r = deleteVersions(t, input.Versions);
    if (r.deleted.length > 0) ctx.tx.put(r.record);
    const numberOf = (v: string): number | undefined => (/^[0-9]+$/.test(v) ? Number(v) : undefined);
    return {
      SuccessfullyDeletedLaunchTemplateVersions: r.deleted.map((n) => ({
        LaunchTemplateId: t.id,
        LaunchTemplateName: t.name,
        VersionNumber: n,
      })),
      UnsuccessfullyDeletedLaunchTemplateVersions: r.failed.map((f) => ({
        LaunchTemplateId: t.id,
        LaunchTemplateName: t.name,
        VersionNumber: numberOf(f.version),
        ResponseError: { Code: f.code, Message: f.message },
      })),
    };
  },
});

/**
 * GetLaunchTemplateData: the launch parameters of an instance, as template data (what CreateLaunchTemplate takes), so
 * a template can be made from a running instance. Tags are the instance's own (AWS's aws:* tags are not copied).
 */
export const GetLaunchTemplateData = defineAction({
  name: "GetLaunchTemplateData",
  mutates: false,
  params: ["InstanceId"],
  run(input, ctx) {
    const i = must(ctx.tx, "instance", input.InstanceId);
    const view = instanceView(i, ctx.scope.region, viewLookups(ctx.tx, ctx.catalog.instanceTypes));
    const tags = i.tags.filter((t) => !t.key.startsWith("aws:"));
    const md = view.MetadataOptions;
    const data: ResponseLaunchTemplateData = {
      ImageId: i.imageId,
      InstanceType: i.instanceType as ResponseLaunchTemplateData["InstanceType"],
      KeyName: i.keyName,
      EbsOptimized: i.ebsOptimized,
      Monitoring: { Enabled: i.monitoring ?? false },
      Placement: { AvailabilityZone: i.availabilityZone, GroupName: "", Tenancy: "default" },
      DisableApiTermination: i.disableApiTermination,
      DisableApiStop: i.disableApiStop,
      InstanceInitiatedShutdownBehavior: i.instanceInitiatedShutdownBehavior,
      UserData: i.userData,
      IamInstanceProfile: i.iamInstanceProfile ? { Arn: i.iamInstanceProfile.arn } : undefined,
      CreditSpecification: i.cpuCredits ? { CpuCredits: i.cpuCredits } : undefined,
      MetadataOptions: md && {
        HttpTokens: md.HttpTokens,
        HttpPutResponseHopLimit: md.HttpPutResponseHopLimit,
        HttpEndpoint: md.HttpEndpoint,
        HttpProtocolIpv6: md.HttpProtocolIpv6,
        InstanceMetadataTags: md.InstanceMetadataTags,
      },
      NetworkInterfaces: (view.NetworkInterfaces ?? []).map((n) => ({
        AssociatePublicIpAddress: n.Association?.PublicIp !== undefined && n.Association.IpOwnerId === "amazon" ? true : undefined,
        DeleteOnTermination: n.Attachment?.DeleteOnTermination,
        Description: n.Description,
        DeviceIndex: n.Attachment?.DeviceIndex,
        NetworkCardIndex: n.Attachment?.NetworkCardIndex,
        Groups: (n.Groups ?? []).map((g) => g.GroupId ?? ""),
        InterfaceType: n.InterfaceType,
        Ipv6Addresses: n.Ipv6Addresses?.length ? n.Ipv6Addresses.map((a) => ({ Ipv6Address: a.Ipv6Address })) : undefined,
        NetworkInterfaceId: n.NetworkInterfaceId,
        PrivateIpAddresses: (n.PrivateIpAddresses ?? []).map((p) => ({ Primary: p.Primary, PrivateIpAddress: p.PrivateIpAddress })),
        SubnetId: n.SubnetId,
      })),
      BlockDeviceMappings: (view.BlockDeviceMappings ?? []).map((b) => {
        const vol = b.Ebs?.VolumeId ? ctx.tx.get("volume", b.Ebs.VolumeId) : undefined;
        return {
          DeviceName: b.DeviceName,
          Ebs: {
            DeleteOnTermination: b.Ebs?.DeleteOnTermination,
            Encrypted: vol?.encrypted,
            SnapshotId: vol?.snapshotId,
            VolumeSize: vol?.size,
            VolumeType: vol?.volumeType,
            Iops: vol?.iops,
            Throughput: vol?.throughput,
          },
        };
      }),
      TagSpecifications: tags.length > 0 ? [{ ResourceType: "instance", Tags: tagView(tags) }] : undefined,
    };
    return { LaunchTemplateData: data };
  },
});

export const LAUNCH_TEMPLATE_ACTIONS = [
  CreateLaunchTemplate,
  CreateLaunchTemplateVersion,
  ModifyLaunchTemplate,
  DescribeLaunchTemplates,
  DescribeLaunchTemplateVersions,
  DeleteLaunchTemplate,
  DeleteLaunchTemplateVersions,
  GetLaunchTemplateData,
];
