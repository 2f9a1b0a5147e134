/**
 * Launch templates (issue 15): names, version references ($Latest, $Default, numbers), the merge of a source version
 * with new data (CreateLaunchTemplateVersion), version deletion with AWS's per-version errors, and the merge of a
 * template's data into a RunInstances request. Template data is kept with its wire member names (see
 * LaunchTemplateVersionState), so these rules work on plain objects.
 */
import { err } from "./errors.js";
import type { LaunchTemplateRecord, LaunchTemplateVersionState } from "./types.js";

type Data = Readonly<Record<string, unknown>>;

/** 3–128 characters of letters, digits and ( ) . - / _ (the model's pattern for LaunchTemplateName). */
const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;
export const validateLaunchTemplateName = (name: string): void => {
  if (!NAME.test(name)) throw err.launchTemplateNameMalformed();
};

/** AWS's quotas: 5,000 launch templates per Region and 10,000 versions per template [DOC launch-template-restrictions]. */
export const LAUNCH_TEMPLATES_PER_REGION = 5000;
export const VERSIONS_PER_LAUNCH_TEMPLATE = 10000;

export const latestVersion = (t: LaunchTemplateRecord): number => Math.max(...t.versions.map((v) => v.number));

/** A version reference: `$Latest`, `$Default`, or a version number; absent means the default version. */
export const resolveVersion = (t: LaunchTemplateRecord, ref: string | undefined): LaunchTemplateVersionState => {
  const n = ref === undefined || ref === "$Default" ? t.defaultVersion : ref === "$Latest" ? latestVersion(t) : versionNumber(ref);
  const v = t.versions.find((x) => x.number === n);
  if (!v) throw err.launchTemplateVersionNotFound(ref ?? String(n), t.id);
  return v;
};

/** A decimal version number, or NaN (never matches a version). */
const versionNumber = (ref: string): number => (/^[0-9]{1,18}$/.test(ref) ? Number(ref) : Number.NaN);

/**
 * A new version's data: the source version's members, each replaced by the member the request gives. AWS documents
 * that parameters in the request override the source's; members are replaced whole (a request's NetworkInterfaces
 * replaces the source's list). unverified: whether nested structures merge member by member.
 */
export const mergeVersionData = (source: Data | undefined, data: Data): Data => {
  const out: Record<string, unknown> = { ...(source ?? {}) };
  for (const [k, v] of Object.entries(data)) if (v !== undefined) out[k] = v;
  return out;
};

/** Versions selected by DescribeLaunchTemplateVersions' Versions, MinVersion and MaxVersion, in version order. */
export const selectVersions = (
  t: LaunchTemplateRecord,
  refs: readonly string[] | undefined,
  min: string | undefined,
  max: string | undefined,
): LaunchTemplateVersionState[] => {
  const chosen = refs && refs.length > 0 ? new Set(refs.map((r) => resolveVersion(t, r).number)) : undefined;
  const lo = min === undefined ? -Infinity : versionNumber(min);
  const hi = max === undefined ? Infinity : versionNumber(max);
  if (Number.isNaN(lo)) throw err.launchTemplateVersionNotFound(min!, t.id);
  if (Number.isNaN(hi)) throw err.launchTemplateVersionNotFound(max!, t.id);
  return t.versions.filter((v) => (!chosen || chosen.has(v.number)) && v.number >= lo && v.number <= hi);
};

export interface VersionDeletion {
  readonly record: LaunchTemplateRecord;
  readonly deleted: number[];
  readonly failed: {
    readonly version: string;
    readonly code: "launchTemplateVersionDoesNotExist" | "unexpectedError";
    readonly message: string;
  }[];
}

/**
 * DeleteLaunchTemplateVersions: each version succeeds or fails on its own, at HTTP 200. The default version cannot be
 * deleted ("you must first assign a different version as the default"); an unknown one does not exist.
 */
export const deleteVersions = (t: LaunchTemplateRecord, refs: readonly string[]): VersionDeletion => {
  const deleted: number[] = [];
  const failed: VersionDeletion["failed"][number][] = [];
  let versions = t.versions;
  for (const ref of refs) {
    const n = versionNumber(ref);
    if (n === t.defaultVersion) {
      failed.push({ version: ref, code: "unexpectedError", message: "Cannot delete the default version of a launch template." }); // unverified
    } else if (!versions.some((v) => v.number === n)) {
      failed.push({ version: ref, code: "launchTemplateVersionDoesNotExist", message: "The launch template version does not exist." }); // unverified
    } else {
      versions = versions.filter((v) => v.number !== n);
      deleted.push(n);
    }
  }
  return { record: { ...t, versions }, deleted, failed };
};

interface TagSpec {
  readonly ResourceType?: string | undefined;
  readonly Tags?: readonly { readonly Key?: string | undefined; readonly Value?: string | undefined }[] | undefined;
}

/**
 * RunInstances with a launch template: every member the request gives overrides the template's; the rest come from
 * the template [DOC ec2-launch-templates: "parameters in the request override the template's"]. Two members combine:
 * - TagSpecifications: per resource type, the template's tags and the request's (the request's value wins a key).
 * - SubnetId with the template's NetworkInterfaces (and none in the request): the subnet is the primary interface's
 *   (device 0, card 0) unless that interface names an existing ENI. unverified: inferred from how EC2 Fleet and Auto
 *   Scaling override a template's subnet.
 * Anything else that conflicts (the template's NetworkInterfaces with the request's SecurityGroupIds, a PrivateIpAddress…)
 * is left for the launch rules to refuse, with RunInstances' own errors.
 */
export const mergeLaunchRequest = <R extends Record<string, unknown>>(template: Data, request: R): R => {
  const out: Record<string, unknown> = { ...request };
  for (const [k, v] of Object.entries(template)) if (out[k] === undefined && v !== undefined) out[k] = v;
  const specs = [
    ...((template.TagSpecifications as TagSpec[] | undefined) ?? []),
    ...((request.TagSpecifications as TagSpec[] | undefined) ?? []),
  ];
  if (specs.length > 0) out.TagSpecifications = mergeTagSpecs(specs);
  const interfaces = template.NetworkInterfaces as readonly Record<string, unknown>[] | undefined;
  if (request.SubnetId !== undefined && request.NetworkInterfaces === undefined && interfaces && interfaces.length > 0) {
    const primary = interfaces.findIndex((s) => (s.DeviceIndex ?? -1) === 0 && (s.NetworkCardIndex ?? 0) === 0);
    if (primary >= 0 && interfaces[primary]!.NetworkInterfaceId === undefined) {
      out.NetworkInterfaces = interfaces.map((s, i) => (i === primary ? { ...s, SubnetId: request.SubnetId } : s));
      delete out.SubnetId;
    }
  }
  return out as R;
};

const mergeTagSpecs = (specs: readonly TagSpec[]): TagSpec[] => {
  const byType = new Map<string, Map<string, string>>();
  for (const s of specs) {
    const type = s.ResourceType ?? "";
    const tags = byType.get(type) ?? new Map<string, string>();
    for (const t of s.Tags ?? []) tags.set(t.Key ?? "", t.Value ?? "");
    byType.set(type, tags);
  }
  return [...byType].map(([type, tags]) => ({ ResourceType: type, Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) }));
};
