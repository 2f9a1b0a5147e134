/**
 * Instances: RunInstances, DescribeInstances, Start/Stop/TerminateInstances, DescribeInstanceStatus,
 * DescribeInstanceAttribute, ModifyInstanceAttribute, DescribeInstanceCreditSpecifications.
 */
import { err } from "../../../domain/errors.js";
import { dropEipAssociations } from "../eip-links.js";
import { assertIdOf } from "../../../domain/ids.js";
import {
  afterUserShutdown,
  architectureOfType,
  creditOptionOf,
  stateView,
  transition,
  userDataFromBase64,
  type InstanceAction,
} from "../../../domain/instances.js";
import { detached, isPrimarySlot } from "../../../domain/network-interfaces.js";
import { INSTANCE_STATE_CODE, type InstanceRecord, type NetworkInterfaceRecord } from "../../../domain/types.js";
import type { FilterTable } from "../../../domain/filters.js";
import type {
  Instance,
  InstanceAttribute,
  InstanceStateChange,
  InstanceStatus,
  ModifyInstanceAttributeRequest,
  Reservation,
} from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe } from "../../common/describe.js";
import { checkMaxResults, unmappedFilters } from "../../common/describe-limits.js";
import { blockDevicesView, groupsView, instanceView, primaryEni, viewLookups, type ViewLookups } from "../instance-views.js";
import { resolveType, runInstances, typeLimits, withPublicIp } from "../launch.js";
import { LAUNCHABLE_MEMBERS, withLaunchTemplate } from "../launch-template-data.js"; // issue 15
import { must } from "../lookups.js";
import { dropAttachmentLink, instanceEnis } from "../foreign-enis.js";
import { instanceVolumes, releaseVolumes } from "../ebs.js";

/** Instances by id, in request order: every id checked for form first, then all unknown ones reported together. */
export const instancesByIds = (tx: Tx, ids: readonly string[]): InstanceRecord[] => {
  for (const id of ids) assertIdOf("instance", id);
  const unique = [...new Set(ids)];
  const found = unique.map((id) => tx.get("instance", id));
  const missing = unique.filter((_, i) => !found[i]);
  if (missing.length > 0) throw err.instanceNotFound(missing);
  return found as InstanceRecord[];
};

export const RunInstances = defineAction({
  name: "RunInstances",
  mutates: true,
  onReplay(previous, ctx) {
    // A retry with the token of a launch whose instance has since been terminated cannot be replayed.
    const ids = (previous.Instances ?? []).map((i) => i.InstanceId ?? "");
    if (ids.some((id) => ctx.tx.get("instance", id)?.state === "terminated")) throw err.idempotentInstanceTerminated();
  },
  // What a launch template may carry, plus what only the request can say (counts, subnet, addresses, token, template).
  params: [
    ...LAUNCHABLE_MEMBERS,
    "MinCount",
    "MaxCount",
    "SubnetId",
    "PrivateIpAddress",
    "Ipv6AddressCount",
    "ClientToken",
    "LaunchTemplate", // issue 15
  ],
  run: (input, ctx) => {
    const t = withLaunchTemplate(ctx, input);
    return runInstances(ctx, t.input, t.tags);
  },
});

// --- DescribeInstances ------------------------------------------------------------------------------------------

interface Row {
  readonly i: InstanceRecord;
  readonly view: Instance;
  readonly enis: NetworkInterfaceRecord[];
  /** When `localvpc chaos fail-instance` made it impaired (the runtime's seam, ctx.impairedSince); issue 15. */
  readonly impairedSince?: Date | undefined;
}

const eniValues = <T>(
  r: Row,
  f: (e: NetworkInterfaceRecord, v: NonNullable<Instance["NetworkInterfaces"]>[number]) => T | readonly T[],
): T[] =>
  r.enis.flatMap((e, n) => {
    const out = f(e, r.view.NetworkInterfaces![n]!);
    return Array.isArray(out) ? (out as T[]) : [out as T];
  });

const INSTANCE_FILTERS: FilterTable<Row> = {
  // Placement and lifecycle options localvpc never sets: they are truly absent, so these match nothing.
  affinity: () => undefined,
  "capacity-reservation-id": () => undefined,
  "capacity-reservation-specification.capacity-reservation-preference": (r) =>
    r.view.CapacityReservationSpecification?.CapacityReservationPreference,
  "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id": () => undefined,
  "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn": () => undefined,
  "host-id": () => undefined,
  "iam-instance-profile.arn": (r) => r.view.IamInstanceProfile?.Arn,
  "iam-instance-profile.id": (r) => r.view.IamInstanceProfile?.Id,
  "instance-lifecycle": () => undefined,
  "kernel-id": () => undefined,
  "ramdisk-id": () => undefined,
  "outpost-arn": () => undefined,
  "placement-group-name": (r) => r.i.placementGroupName, // issue 15
  "placement-partition-number": (r) => r.i.placementPartitionNumber, // issue 15
  "product-code": () => undefined,
  "product-code.type": () => undefined,
  "spot-instance-request-id": () => undefined,
  architecture: (r) => r.i.architecture,
  "availability-zone": (r) => r.i.availabilityZone,
  "availability-zone-id": (r) => r.view.Placement?.AvailabilityZoneId,
  "boot-mode": (r) => r.view.BootMode,
  "current-instance-boot-mode": (r) => r.view.CurrentInstanceBootMode,
  "network-performance-options.bandwidth-weighting": (r) => r.view.NetworkPerformanceOptions?.BandwidthWeighting,
  // No image of the catalogue enables NitroTPM, so no instance reports TpmSupport.
  "tpm-support": () => undefined,
  "block-device-mapping.attach-time": (r) => (r.view.BlockDeviceMappings ?? []).map((b) => b.Ebs?.AttachTime?.toISOString()),
  "block-device-mapping.delete-on-termination": (r) => (r.view.BlockDeviceMappings ?? []).map((b) => b.Ebs?.DeleteOnTermination),
  "block-device-mapping.device-name": (r) => (r.view.BlockDeviceMappings ?? []).map((b) => b.DeviceName),
  "block-device-mapping.status": (r) => (r.view.BlockDeviceMappings ?? []).map((b) => b.Ebs?.Status),
  "block-device-mapping.volume-id": (r) => (r.view.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId),
  "client-token": (r) => r.i.clientToken,
  "dns-name": (r) => r.view.PublicDnsName,
  "ebs-optimized": (r) => r.i.ebsOptimized,
  "ena-support": (r) => r.i.enaSupport,
  "enclave-options.enabled": () => false,
  "hibernation-options.configured": () => false,
  hypervisor: (r) => r.view.Hypervisor,
  "image-id": (r) => r.i.imageId,
  "instance-id": (r) => r.i.id,
  "instance-state-code": (r) => INSTANCE_STATE_CODE[r.i.state],
  "instance-state-name": (r) => r.i.state,
  "instance-type": (r) => r.i.instanceType,
  "instance.group-id": (r) => (r.view.SecurityGroups ?? []).map((g) => g.GroupId),
  "instance.group-name": (r) => (r.view.SecurityGroups ?? []).map((g) => g.GroupName),
  "ip-address": (r) => r.view.PublicIpAddress,
  "ipv6-address": (r) => eniValues(r, (e) => e.ipv6Addresses.map((a) => a.address)),
  "key-name": (r) => r.i.keyName,
  "launch-index": (r) => r.i.amiLaunchIndex,
  "launch-time": (r) => r.i.launchTime,
  "maintenance-options.auto-recovery": (r) => r.view.MaintenanceOptions?.AutoRecovery,
  "metadata-options.http-endpoint": (r) => r.view.MetadataOptions?.HttpEndpoint,
  "metadata-options.http-protocol-ipv4": () => "enabled",
  "metadata-options.http-protocol-ipv6": (r) => r.view.MetadataOptions?.HttpProtocolIpv6,
  "metadata-options.http-put-response-hop-limit": (r) => r.view.MetadataOptions?.HttpPutResponseHopLimit,
  "metadata-options.http-tokens": (r) => r.view.MetadataOptions?.HttpTokens,
  "metadata-options.instance-metadata-tags": (r) => r.view.MetadataOptions?.InstanceMetadataTags,
  "metadata-options.state": (r) => r.view.MetadataOptions?.State,
  "monitoring-state": (r) => r.view.Monitoring?.State,
  "network-interface.addresses.association.allocation-id": (r) => eniValues(r, (e) => e.publicIps.map((p) => p.allocationId)),
  "network-interface.addresses.association.association-id": (r) => eniValues(r, (e) => e.publicIps.map((p) => p.associationId)),
  "network-interface.addresses.association.carrier-ip": () => undefined,
  "network-interface.addresses.association.customer-owned-ip": () => undefined,
  "network-interface.addresses.association.ip-owner-id": (r) => eniValues(r, (e) => e.publicIps.map((p) => p.ipOwnerId)),
  "network-interface.addresses.association.public-dns-name": (r) =>
    eniValues(r, (_, v) => (v.PrivateIpAddresses ?? []).map((p) => p.Association?.PublicDnsName)),
  "network-interface.addresses.association.public-ip": (r) => eniValues(r, (e) => e.publicIps.map((p) => p.publicIp)),
  "network-interface.addresses.primary": (r) => eniValues(r, (e) => e.privateIps.map((p) => p.primary)),
  "network-interface.addresses.private-dns-name": (r) => eniValues(r, (_, v) => (v.PrivateIpAddresses ?? []).map((p) => p.PrivateDnsName)),
  "network-interface.addresses.private-ip-address": (r) => eniValues(r, (e) => e.privateIps.map((p) => p.address)),
  "network-interface.association.allocation-id": (r) => eniValues(r, (e) => primaryAssociation(e)?.allocationId),
  "network-interface.association.association-id": (r) => eniValues(r, (e) => primaryAssociation(e)?.associationId),
  "network-interface.association.carrier-ip": () => undefined,
  "network-interface.association.customer-owned-ip": () => undefined,
  "network-interface.association.ip-owner-id": (r) => eniValues(r, (e) => primaryAssociation(e)?.ipOwnerId),
  "network-interface.association.public-dns-name": (r) => eniValues(r, (_, v) => v.Association?.PublicDnsName),
  "network-interface.association.public-ip": (r) => eniValues(r, (e) => primaryAssociation(e)?.publicIp),
  "network-interface.attachment.attach-time": (r) => eniValues(r, (e) => e.attachment?.attachTime),
  "network-interface.attachment.attachment-id": (r) => eniValues(r, (e) => e.attachment?.attachmentId),
  "network-interface.attachment.delete-on-termination": (r) => eniValues(r, (e) => e.attachment?.deleteOnTermination),
  "network-interface.attachment.device-index": (r) => eniValues(r, (e) => e.attachment?.deviceIndex),
  "network-interface.attachment.instance-id": (r) => eniValues(r, (e) => e.attachment?.instanceId),
  "network-interface.attachment.instance-owner-id": (r) => eniValues(r, (e) => e.attachment?.instanceOwnerId),
  "network-interface.attachment.network-card-index": (r) => eniValues(r, (e) => e.attachment?.networkCardIndex),
  "network-interface.attachment.status": (r) => eniValues(r, (e) => e.attachment?.status),
  "network-interface.availability-zone": (r) => eniValues(r, (e) => e.availabilityZone),
  "network-interface.description": (r) => eniValues(r, (e) => e.description),
  "network-interface.group-id": (r) => eniValues(r, (e) => e.groupIds),
  "network-interface.group-name": (r) => eniValues(r, (_, v) => (v.Groups ?? []).map((g) => g.GroupName)),
  "network-interface.ipv4-prefixes.ipv4-prefix": (r) => eniValues(r, (e) => e.ipv4Prefixes),
  "network-interface.ipv6-address": (r) => eniValues(r, (e) => e.ipv6Addresses.map((a) => a.address)),
  "network-interface.ipv6-addresses.ipv6-address": (r) => eniValues(r, (e) => e.ipv6Addresses.map((a) => a.address)),
  "network-interface.ipv6-addresses.is-primary-ipv6": (r) => eniValues(r, (e) => e.ipv6Addresses.map((a) => a.isPrimaryIpv6)),
  "network-interface.ipv6-prefixes.ipv6-prefix": (r) => eniValues(r, (e) => e.ipv6Prefixes),
  // localvpc has no IPv6-only subnets at launch, no deny-all-IGW ENIs and no service-operated ENIs.
  "network-interface.deny-all-igw-traffic": (r) => eniValues(r, () => false),
  "network-interface.ipv6-native": (r) => eniValues(r, () => false),
  "network-interface.operator.managed": (r) => eniValues(r, () => false),
  "network-interface.operator.principal": () => undefined,
  "network-interface.mac-address": (r) => eniValues(r, (e) => e.macAddress),
  "network-interface.network-interface-id": (r) => eniValues(r, (e) => e.id),
  "network-interface.outpost-arn": () => undefined,
  "network-interface.owner-id": (r) => eniValues(r, (e) => e.ownerId),
  "network-interface.private-dns-name": (r) => eniValues(r, (_, v) => v.PrivateDnsName),
  "network-interface.private-ip-address": (r) => eniValues(r, (e) => e.privateIps.map((p) => p.address)),
  "network-interface.public-dns-name": (r) => eniValues(r, (_, v) => v.Association?.PublicDnsName),
  "network-interface.requester-id": (r) => eniValues(r, (e) => e.requesterId),
  "network-interface.requester-managed": (r) => eniValues(r, (e) => e.requesterManaged),
  "network-interface.status": (r) => eniValues(r, (e) => e.status),
  "network-interface.source-dest-check": (r) => eniValues(r, (e) => e.sourceDestCheck),
  "network-interface.subnet-id": (r) => eniValues(r, (e) => e.subnetId),
  "network-interface.tag-key": (r) => eniValues(r, (e) => e.tags.map((t) => t.key)),
  "network-interface.tag-value": (r) => eniValues(r, (e) => e.tags.map((t) => t.value)),
  "network-interface.vpc-id": (r) => eniValues(r, (e) => e.vpcId),
  "operator.managed": () => false,
  "operator.principal": () => undefined,
  "owner-id": (r) => r.i.ownerId,
  platform: (r) => (r.view.Platform === "Windows" ? "windows" : undefined),
  "platform-details": (r) => r.i.platformDetails,
  "private-dns-name": (r) => r.view.PrivateDnsName,
  "private-dns-name-options.enable-resource-name-dns-a-record": () => false,
  "private-dns-name-options.enable-resource-name-dns-aaaa-record": () => false,
  "private-dns-name-options.hostname-type": (r) => r.view.PrivateDnsNameOptions?.HostnameType,
  "private-ip-address": (r) => r.view.PrivateIpAddress,
  reason: (r) => r.i.stateTransitionReason,
  "requester-id": (r) => r.i.requesterId,
  "reservation-id": (r) => r.i.reservationId,
  "root-device-name": (r) => r.i.rootDeviceName,
  "root-device-type": (r) => r.i.rootDeviceType,
  "source-dest-check": (r) => r.view.SourceDestCheck,
  "state-reason-code": (r) => r.i.stateReason?.code,
  "state-reason-message": (r) => r.i.stateReason?.message,
  "subnet-id": (r) => r.view.SubnetId,
  tenancy: () => "default",
  "usage-operation": (r) => r.view.UsageOperation,
  "usage-operation-update-time": (r) => r.i.launchTime,
  "virtualization-type": () => "hvm",
  "vpc-id": (r) => r.view.VpcId,
};
const INSTANCE_UNSUPPORTED = unmappedFilters("DescribeInstances", INSTANCE_FILTERS);

function primaryAssociation(e: NetworkInterfaceRecord): NetworkInterfaceRecord["publicIps"][number] | undefined {
  const ip = e.privateIps.find((p) => p.primary)?.address;
  return e.publicIps.find((p) => p.privateIp === ip);
}

const rowsFor = (ctx: ActionContext, ids: readonly string[] | undefined, filters: Parameters<typeof candidates>[3]): Row[] => {
  const l = viewLookups(ctx.tx, ctx.catalog.instanceTypes);
  return candidates(ctx.tx, "instance", ids, filters, { id: "instance-id", vpcId: "vpc-id", subnetId: "subnet-id" }).map((i) => {
    const enis = i.state === "terminated" ? [] : l.enis(i.id);
    const view = instanceView(i, ctx.scope.region, withEnis(l, i.id, enis));
    return { i, enis, view: { ...view, ...bootModes(ctx, i) }, impairedSince: ctx.impairedSince?.(i.id) };
  });
};

/**
 * Boot modes: the built-in AMIs are uefi (arm64) or uefi-preferred (x86_64); an instance boots UEFI when the AMI
 * allows it and the type supports it (Graviton and Nitro), else legacy BIOS (Xen types).
 */
const bootModes = (ctx: ActionContext, i: InstanceRecord): Pick<Instance, "BootMode" | "CurrentInstanceBootMode"> => {
  const arm = i.architecture === "arm64";
  const info = ctx.catalog.instanceTypes.get(i.instanceType);
  const nitro = info?.Hypervisor === "nitro" || info?.BareMetal === true;
  return { BootMode: arm ? "uefi" : "uefi-preferred", CurrentInstanceBootMode: arm || nitro ? "uefi" : "legacy-bios" };
};

/** Reuses ENIs already read for a row instead of listing them again inside the view. */
const withEnis = (l: ViewLookups, instanceId: string, enis: NetworkInterfaceRecord[]): ViewLookups => ({
  ...l,
  enis: (id) => (id === instanceId ? enis : l.enis(id)),
});

export const DescribeInstances = defineAction({
  name: "DescribeInstances",
  mutates: false,
  params: ["InstanceIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    checkMaxResults(input.MaxResults, 5, 1000);
    const page = describe({
      items: rowsFor(ctx, input.InstanceIds, input.Filters),
      idOf: (r) => r.i.id,
      tagsOf: (r) => r.i.tags,
      ids: input.InstanceIds,
      idKind: "instance",
      // The wire list's name, as AWS's message names it (issue 15).
      idsParam: "instancesSet",
      notFound: (m) => err.instanceNotFound(m),
      filters: input.Filters,
      table: INSTANCE_FILTERS,
      unsupportedFilters: INSTANCE_UNSUPPORTED,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    // Instances of one launch share a reservation; rows are in creation order, so a reservation's rows are adjacent.
    const reservations: Reservation[] = [];
    for (const r of page.items) {
      const last = reservations.at(-1);
      if (last && last.ReservationId === r.i.reservationId) last.Instances!.push(r.view);
      else reservations.push({ ReservationId: r.i.reservationId, OwnerId: r.i.ownerId, Groups: [], Instances: [r.view] });
    }
    return { Reservations: reservations, NextToken: page.nextToken };
  },
});

// --- Start / Stop / Terminate -----------------------------------------------------------------------------------

const withoutAmazonPublicIp = (e: NetworkInterfaceRecord): NetworkInterfaceRecord => ({
  ...e,
  publicIps: e.publicIps.filter((p) => p.ipOwnerId !== "amazon"),
});

/** ENI and public-IP effects of a state change (spec §4.14). */
const applyEffects = (ctx: ActionContext, i: InstanceRecord, action: InstanceAction): InstanceRecord => {
  const { tx } = ctx;
  const enis = tx.list("network-interface", { instanceId: i.id });
  if (action === "stop") {
    for (const e of enis) tx.put(withoutAmazonPublicIp(e));
    return afterUserShutdown(i, "stopped", ctx.now);
  }
  if (action === "start") {
    const interfaceCount = instanceEnis(tx, i.id, ctx.now).length;
    for (const e of enis) if (isPrimarySlot(e)) tx.put(withPublicIp(ctx, e, interfaceCount));
    return { ...i, state: "running", stateTransitionReason: "", stateReason: undefined };
  }
  // The account's own ENIs, then other accounts' ENIs attached through a permission (written in their owners' scopes).
  const held = [...enis.map((eni) => ({ eni, tx, foreign: false })), ...instanceEnis(tx, i.id, ctx.now).filter((h) => h.foreign)];
  for (const { eni: e, tx: etx, foreign } of held) {
    if (foreign) dropAttachmentLink(etx, e);
    if (e.attachment?.deleteOnTermination) {
      // Its EIPs are disassociated and stay allocated (spec §4.14).
      dropEipAssociations(etx, e);
      etx.releaseAddressesOf(e.id);
      etx.delete(e.id);
    } else etx.put(detached(e));
  }
  // Volumes: deleted when DeleteOnTermination, else detached and kept `available` (issue 15).
  releaseVolumes(tx, i);
  return { ...afterUserShutdown(i, "terminated", ctx.now), vpcId: undefined, subnetId: undefined, terminatedAt: ctx.now.toISOString() };
};

const changeStates = (ctx: ActionContext, ids: readonly string[], action: InstanceAction): InstanceStateChange[] =>
  instancesByIds(ctx.tx, ids).map((i) => {
    if (action === "terminate" && i.disableApiTermination && i.state !== "terminated") throw err.terminationProtected(i.id);
    if (action === "stop" && i.disableApiStop && i.state !== "stopped") throw err.stopProtected(i.id);
    const t = transition(i.id, i.state, action);
    if (t.changed) ctx.tx.put(applyEffects(ctx, i, action));
    return { InstanceId: i.id, CurrentState: stateView(t.current), PreviousState: stateView(t.previous) };
  });

export const StartInstances = defineAction({
  name: "StartInstances",
  mutates: true,
  params: ["InstanceIds"],
  run: (input, ctx) => ({ StartingInstances: changeStates(ctx, input.InstanceIds, "start") }),
});

export const StopInstances = defineAction({
  name: "StopInstances",
  mutates: true,
  // Force skips the OS shutdown in AWS; localvpc has no OS, so it makes no difference.
  params: ["InstanceIds", "Force"],
  run: (input, ctx) => ({ StoppingInstances: changeStates(ctx, input.InstanceIds, "stop") }),
});

export const TerminateInstances = defineAction({
  name: "TerminateInstances",
  mutates: true,
  params: ["InstanceIds"],
  run: (input, ctx) => {
    // An empty list is not sent at all on the Query wire; AWS answers it with this (cloud-nuke#731), not MissingParameter.
    if (!Array.isArray(input.InstanceIds) || input.InstanceIds.length === 0) throw err.noInstancesSpecified();
    return { TerminatingInstances: changeStates(ctx, input.InstanceIds, "terminate") };
  },
});

// --- DescribeInstanceStatus -------------------------------------------------------------------------------------

const statusView = (r: Row): InstanceStatus => {
  const running = r.i.state === "running";
  const summary = running
    ? { Status: "ok" as const, Details: [{ Name: "reachability" as const, Status: "passed" as const }] }
    : { Status: "not-applicable" as const };
  // A failed instance (chaos fail-instance) fails both reachability checks, as a host failure does: status
  // "impaired", the reachability detail "failed" with ImpairedSince [DOC API InstanceStatusDetails]. Its EBS is fine.
  const impaired =
    running && r.impairedSince
      ? {
          Status: "impaired" as const,
          Details: [{ Name: "reachability" as const, Status: "failed" as const, ImpairedSince: r.impairedSince }],
        }
      : summary;
  return {
    AvailabilityZone: r.i.availabilityZone,
    AvailabilityZoneId: r.view.Placement?.AvailabilityZoneId,
    InstanceId: r.i.id,
    InstanceState: stateView(r.i.state),
    InstanceStatus: impaired,
    SystemStatus: impaired,
    AttachedEbsStatus: summary,
  };
};

const STATUS_FILTERS: FilterTable<Row> = {
  "availability-zone": (r) => r.i.availabilityZone,
  "availability-zone-id": (r) => r.view.Placement?.AvailabilityZoneId,
  // localvpc schedules no maintenance events.
  "event.code": () => undefined,
  "event.description": () => undefined,
  "event.instance-event-id": () => undefined,
  "event.not-after": () => undefined,
  "event.not-before": () => undefined,
  "event.not-before-deadline": () => undefined,
  "instance-state-code": (r) => INSTANCE_STATE_CODE[r.i.state],
  "instance-state-name": (r) => r.i.state,
  "instance-status.reachability": (r) => statusView(r).InstanceStatus?.Details?.[0]?.Status,
  "instance-status.status": (r) => statusView(r).InstanceStatus?.Status,
  "system-status.reachability": (r) => statusView(r).SystemStatus?.Details?.[0]?.Status,
  "system-status.status": (r) => statusView(r).SystemStatus?.Status,
  "attached-ebs-status.status": (r) => statusView(r).AttachedEbsStatus?.Status,
  "operator.managed": () => false,
  "operator.principal": () => undefined,
};

export const DescribeInstanceStatus = defineAction({
  name: "DescribeInstanceStatus",
  mutates: false,
  params: ["InstanceIds", "Filters", "MaxResults", "NextToken", "IncludeAllInstances"],
  run(input, ctx) {
    checkMaxResults(input.MaxResults, 5, 1000);
    // Only running instances unless IncludeAllInstances (AWS's default), even when ids are given.
    const rows = rowsFor(ctx, input.InstanceIds, input.Filters);
    const page = describe({
      items: rows,
      idOf: (r) => r.i.id,
      taggable: false,
      ids: input.InstanceIds,
      idKind: "instance",
      idsParam: "instanceId",
      notFound: (m) => err.instanceNotFound(m),
      filters: [...(input.Filters ?? []), ...(input.IncludeAllInstances ? [] : [{ Name: "instance-state-name", Values: ["running"] }])],
      table: STATUS_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { InstanceStatuses: page.items.map(statusView), NextToken: page.nextToken };
  },
});

// --- DescribeInstanceAttribute / ModifyInstanceAttribute --------------------------------------------------------

function attributeView(ctx: ActionContext, i: InstanceRecord, attribute: string): InstanceAttribute {
  const l = viewLookups(ctx.tx);
  const primary = primaryEni(l.enis(i.id));
  const base = { InstanceId: i.id };
  switch (attribute) {
    case "instanceType":
      return { ...base, InstanceType: { Value: i.instanceType } };
    case "kernel":
      return { ...base, KernelId: {} };
    case "ramdisk":
      return { ...base, RamdiskId: {} };
    case "userData":
      return { ...base, UserData: i.userData === undefined ? {} : { Value: i.userData } };
    case "disableApiTermination":
      return { ...base, DisableApiTermination: { Value: i.disableApiTermination } };
    case "disableApiStop":
      return { ...base, DisableApiStop: { Value: i.disableApiStop } };
    case "instanceInitiatedShutdownBehavior":
      return { ...base, InstanceInitiatedShutdownBehavior: { Value: i.instanceInitiatedShutdownBehavior } };
    case "rootDeviceName":
      return { ...base, RootDeviceName: { Value: i.rootDeviceName } };
    case "blockDeviceMapping":
      return { ...base, BlockDeviceMappings: blockDevicesView(i, l) };
    case "productCodes":
      return { ...base, ProductCodes: [] };
    case "sourceDestCheck":
      return { ...base, SourceDestCheck: { Value: primary?.sourceDestCheck ?? true } };
    case "groupSet":
      return { ...base, Groups: primary ? groupsView(primary.groupIds, l) : [] };
    case "ebsOptimized":
      return { ...base, EbsOptimized: { Value: i.ebsOptimized } };
    case "sriovNetSupport":
      return { ...base, SriovNetSupport: { Value: "simple" } };
    case "enaSupport":
      return { ...base, EnaSupport: { Value: i.enaSupport } };
    case "enclaveOptions":
      return { ...base, EnclaveOptions: { Enabled: false } };
    default:
      throw err.invalidInstanceAttribute(attribute);
  }
}

export const DescribeInstanceAttribute = defineAction({
  name: "DescribeInstanceAttribute",
  mutates: false,
  params: ["InstanceId", "Attribute"],
  run: (input, ctx) => attributeView(ctx, must(ctx.tx, "instance", input.InstanceId), input.Attribute),
});

/** The one attribute a ModifyInstanceAttribute call changes, from either form (Attribute+Value or a member). */
const requestedChange = (r: ModifyInstanceAttributeRequest): { name: string; value: string | boolean | string[] } => {
  const given: { name: string; value: string | boolean | string[] | undefined }[] = [
    { name: "sourceDestCheck", value: r.SourceDestCheck?.Value },
    { name: "disableApiTermination", value: r.DisableApiTermination?.Value },
    { name: "disableApiStop", value: r.DisableApiStop?.Value },
    { name: "ebsOptimized", value: r.EbsOptimized?.Value },
    { name: "enaSupport", value: r.EnaSupport?.Value },
    { name: "instanceType", value: r.InstanceType?.Value },
    { name: "instanceInitiatedShutdownBehavior", value: r.InstanceInitiatedShutdownBehavior?.Value },
    { name: "groupSet", value: r.Groups },
    // The blob arrives decoded; it is stored as base64, the form RunInstances takes and Describe returns.
    { name: "userData", value: r.UserData?.Value === undefined ? undefined : Buffer.from(r.UserData.Value).toString("base64") },
  ].filter((g) => g.value !== undefined);
  if (r.Attribute !== undefined) given.push({ name: r.Attribute, value: r.Value ?? "" });
  if (given.length > 1) throw err.instanceAttributeOneAtATime();
  if (given.length === 0) throw err.missingParameter("attribute");
  return given[0] as { name: string; value: string | boolean | string[] };
};

const BOOLEAN_ATTRIBUTES = ["sourceDestCheck", "disableApiTermination", "disableApiStop", "ebsOptimized", "enaSupport"];

const asBoolean = (name: string, v: string | boolean | string[]): boolean => {
  if (typeof v === "boolean") return v;
  const s = String(v).toLowerCase();
  if (s === "true" || s === "false") return s === "true";
  throw err.invalidBoolean(name, String(v));
};

/** Applies an attribute to the primary ENI (SourceDestCheck, groups): only when it is the only ENI (spec §3). */
const modifyPrimaryEni = (ctx: ActionContext, i: InstanceRecord, change: (e: NetworkInterfaceRecord) => NetworkInterfaceRecord): void => {
  const enis = ctx.tx.list("network-interface", { instanceId: i.id });
  if (instanceEnis(ctx.tx, i.id, ctx.now).length > 1) throw err.multipleInterfaces(i.id);
  const primary = enis.find(isPrimarySlot);
  if (primary) ctx.tx.put(change(primary));
};

const modifyInstance = (ctx: ActionContext, i: InstanceRecord, name: string, value: string | boolean | string[]): InstanceRecord => {
  if (i.state === "terminated") throw err.instanceStateFor(i.id, "modified");
  const v = BOOLEAN_ATTRIBUTES.includes(name) ? asBoolean("value", value) : value;
  switch (name) {
    case "sourceDestCheck":
      modifyPrimaryEni(ctx, i, (e) => ({ ...e, sourceDestCheck: v as boolean }));
      return i;
    case "groupSet": {
      const ids = [...new Set(Array.isArray(v) ? v : [String(v)])];
      for (const id of ids) if (must(ctx.tx, "security-group", id).vpcId !== i.vpcId) throw err.sgVpcMismatch(id, i.vpcId ?? "");
      if (ids.length > ctx.quotas.securityGroupsPerInterface) throw err.tooManyGroupsPerInterface();
      modifyPrimaryEni(ctx, i, (e) => ({ ...e, groupIds: ids }));
      return i;
    }
    case "disableApiTermination":
      return { ...i, disableApiTermination: v as boolean };
    case "disableApiStop":
      return { ...i, disableApiStop: v as boolean };
    case "ebsOptimized":
      return { ...i, ebsOptimized: v as boolean };
    case "enaSupport":
      if (i.state !== "stopped") throw err.instanceNotStopped(i.id);
      return { ...i, enaSupport: v as boolean };
    case "instanceInitiatedShutdownBehavior":
      if (v !== "stop" && v !== "terminate") throw err.invalidEnum("value", String(v), ["stop", "terminate"]);
      return { ...i, instanceInitiatedShutdownBehavior: v };
    case "instanceType":
      return { ...i, instanceType: checkNewType(ctx, i, String(v)) };
    case "userData": {
      // AWS changes user data only while the instance is stopped. The Attribute/Value form takes base64 text too.
      if (i.state !== "stopped") throw err.instanceNotStopped(i.id);
      const text = String(v);
      return { ...i, userData: text === "" ? undefined : userDataFromBase64(text) };
    }
    case "kernel":
    case "ramdisk":
    case "rootDeviceName":
    case "blockDeviceMapping":
    case "productCodes":
    case "sriovNetSupport":
    case "enclaveOptions":
      throw err.unsupportedInstanceAttribute(name);
    default:
      throw err.invalidInstanceAttribute(name);
  }
};

/** InstanceType changes only on a stopped instance, to a known type of the same architecture that fits its ENIs. */
const checkNewType = (ctx: ActionContext, i: InstanceRecord, type: string): string => {
  if (i.state !== "stopped") throw err.instanceNotStopped(i.id);
  const limits = typeLimits(resolveType(ctx, type));
  const arch = architectureOfType(type);
  if (arch !== i.architecture) throw err.archMismatch(arch, i.architecture);
  const count = instanceEnis(ctx.tx, i.id, ctx.now).length;
  if (count > limits.maxInterfaces) throw err.attachmentLimitExceeded(count, type);
  return type;
};

/**
 * ModifyInstanceAttribute BlockDeviceMapping.N (issue 15): DeleteOnTermination of the volume attached at each device
 * (the only member AWS lets this call change). A device with no volume answers InvalidInstanceAttributeValue.
 */
const modifyDeleteOnTermination = (
  ctx: ActionContext,
  i: InstanceRecord,
  mappings: NonNullable<ModifyInstanceAttributeRequest["BlockDeviceMappings"]>,
): void => {
  if (i.state === "terminated") throw err.instanceStateFor(i.id, "modified");
  const volumes = instanceVolumes(ctx.tx, i);
  const changes = mappings.map((m) => {
    const device = m.DeviceName ?? "";
    const v = volumes.find((x) => x.attachment?.device === device);
    if (!v?.attachment) throw err.noDeviceMapped(device);
    if (m.Ebs?.VolumeId !== undefined && m.Ebs.VolumeId !== v.id) throw err.noDeviceMapped(device);
    return { v, deleteOnTermination: m.Ebs?.DeleteOnTermination ?? v.attachment.deleteOnTermination };
  });
  for (const { v, deleteOnTermination } of changes) ctx.tx.put({ ...v, attachment: { ...v.attachment!, deleteOnTermination } });
};

export const ModifyInstanceAttribute = defineAction({
  name: "ModifyInstanceAttribute",
  mutates: true,
  params: [
    "InstanceId",
    "Attribute",
    "Value",
    "SourceDestCheck",
    "DisableApiTermination",
    "DisableApiStop",
    "EbsOptimized",
    "EnaSupport",
    "InstanceType",
    "InstanceInitiatedShutdownBehavior",
    "Groups",
    "UserData",
    "BlockDeviceMappings",
  ],
  run(input, ctx) {
    const i = must(ctx.tx, "instance", input.InstanceId);
    if (input.BlockDeviceMappings !== undefined) {
      modifyDeleteOnTermination(ctx, i, input.BlockDeviceMappings);
      return {};
    }
    const { name, value } = requestedChange(input);
    ctx.tx.put(modifyInstance(ctx, i, name, value));
    return {};
  },
});

// --- DescribeInstanceCreditSpecifications -----------------------------------------------------------------------

export const DescribeInstanceCreditSpecifications = defineAction({
  name: "DescribeInstanceCreditSpecifications",
  mutates: false,
  params: ["InstanceIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const ids = input.InstanceIds ?? [];
    // With ids: the credit option of those instances (non-burstable ones have none and are left out). Without:
    // AWS lists only instances with the unlimited option.
    const items = (ids.length > 0 ? instancesByIds(ctx.tx, ids) : ctx.tx.list("instance"))
      .filter((i) => i.state !== "terminated" && creditOptionOf(i) !== undefined)
      .filter((i) => ids.length > 0 || creditOptionOf(i) === "unlimited");
    const page = describe({
      items,
      idOf: (i) => i.id,
      taggable: false,
      ids: input.InstanceIds,
      idsParam: "instanceId",
      filters: input.Filters,
      table: { "instance-id": (i) => i.id },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return {
      InstanceCreditSpecifications: page.items.map((i) => ({ InstanceId: i.id, CpuCredits: creditOptionOf(i) })),
      NextToken: page.nextToken,
    };
  },
});

export const INSTANCE_ACTIONS = [
  RunInstances,
  DescribeInstances,
  StartInstances,
  StopInstances,
  TerminateInstances,
  DescribeInstanceStatus,
  DescribeInstanceAttribute,
  ModifyInstanceAttribute,
  DescribeInstanceCreditSpecifications,
];
