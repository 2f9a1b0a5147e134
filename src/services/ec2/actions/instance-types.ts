/**
 * DescribeInstanceTypes and DescribeInstanceTypeOfferings over the catalogue: AWS's complete DescribeInstanceTypes
 * items (data/instance-types.json.gz) and which types each zone offers (data/instance-type-offerings.json).
 */
import type { Catalog } from "../../../catalog/catalog.js";
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { offeringRows, type OfferingRow } from "../../../domain/offerings.js";
import type { InstanceTypeInfo, InstanceTypeOffering } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { describe } from "../../common/describe.js";

/** Every filter the model documents for DescribeInstanceTypes, over AWS's own members. */
const FILTERS: FilterTable<InstanceTypeInfo> = {
  "auto-recovery-supported": (t) => t.AutoRecoverySupported,
  "bare-metal": (t) => t.BareMetal,
  "burstable-performance-supported": (t) => t.BurstablePerformanceSupported,
  "current-generation": (t) => t.CurrentGeneration,
  "dedicated-hosts-supported": (t) => t.DedicatedHostsSupported,
  "ebs-info.attachment-limit-type": (t) => t.EbsInfo?.AttachmentLimitType,
  "ebs-info.maximum-ebs-attachments": (t) => t.EbsInfo?.MaximumEbsAttachments,
  "ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps": (t) => t.EbsInfo?.EbsOptimizedInfo?.BaselineBandwidthInMbps,
  "ebs-info.ebs-optimized-info.baseline-iops": (t) => t.EbsInfo?.EbsOptimizedInfo?.BaselineIops,
  "ebs-info.ebs-optimized-info.baseline-throughput-in-mbps": (t) => t.EbsInfo?.EbsOptimizedInfo?.BaselineThroughputInMBps,
  "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps": (t) => t.EbsInfo?.EbsOptimizedInfo?.MaximumBandwidthInMbps,
  "ebs-info.ebs-optimized-info.maximum-iops": (t) => t.EbsInfo?.EbsOptimizedInfo?.MaximumIops,
  "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps": (t) => t.EbsInfo?.EbsOptimizedInfo?.MaximumThroughputInMBps,
  "ebs-info.ebs-optimized-support": (t) => t.EbsInfo?.EbsOptimizedSupport,
  "ebs-info.encryption-support": (t) => t.EbsInfo?.EncryptionSupport,
  "ebs-info.nvme-support": (t) => t.EbsInfo?.NvmeSupport,
  "free-tier-eligible": (t) => t.FreeTierEligible,
  "hibernation-supported": (t) => t.HibernationSupported,
  hypervisor: (t) => t.Hypervisor,
  "instance-storage-info.disk.count": (t) => (t.InstanceStorageInfo?.Disks ?? []).map((d) => d.Count),
  "instance-storage-info.disk.size-in-gb": (t) => (t.InstanceStorageInfo?.Disks ?? []).map((d) => d.SizeInGB),
  "instance-storage-info.disk.type": (t) => (t.InstanceStorageInfo?.Disks ?? []).map((d) => d.Type),
  "instance-storage-info.encryption-support": (t) => t.InstanceStorageInfo?.EncryptionSupport,
  "instance-storage-info.nvme-support": (t) => t.InstanceStorageInfo?.NvmeSupport,
  "instance-storage-info.total-size-in-gb": (t) => t.InstanceStorageInfo?.TotalSizeInGB,
  "instance-storage-supported": (t) => t.InstanceStorageSupported,
  "instance-type": (t) => t.InstanceType,
  "memory-info.size-in-mib": (t) => t.MemoryInfo?.SizeInMiB,
  "network-info.bandwidth-weightings": (t) => t.NetworkInfo?.BandwidthWeightings ?? [],
  "network-info.efa-info.maximum-efa-interfaces": (t) => t.NetworkInfo?.EfaInfo?.MaximumEfaInterfaces,
  "network-info.efa-supported": (t) => t.NetworkInfo?.EfaSupported,
  "network-info.ena-support": (t) => t.NetworkInfo?.EnaSupport,
  "network-info.flexible-ena-queues-support": (t) => t.NetworkInfo?.FlexibleEnaQueuesSupport,
  "network-info.encryption-in-transit-supported": (t) => t.NetworkInfo?.EncryptionInTransitSupported,
  "network-info.ipv4-addresses-per-interface": (t) => t.NetworkInfo?.Ipv4AddressesPerInterface,
  "network-info.ipv6-addresses-per-interface": (t) => t.NetworkInfo?.Ipv6AddressesPerInterface,
  "network-info.ipv6-supported": (t) => t.NetworkInfo?.Ipv6Supported,
  "network-info.maximum-network-cards": (t) => t.NetworkInfo?.MaximumNetworkCards,
  "network-info.maximum-network-interfaces": (t) => t.NetworkInfo?.MaximumNetworkInterfaces,
  "network-info.network-performance": (t) => t.NetworkInfo?.NetworkPerformance,
  "nitro-enclaves-support": (t) => t.NitroEnclavesSupport,
  "nitro-tpm-support": (t) => t.NitroTpmSupport,
  "nitro-tpm-info.supported-versions": (t) => t.NitroTpmInfo?.SupportedVersions ?? [],
  "processor-info.supported-architecture": (t) => t.ProcessorInfo?.SupportedArchitectures ?? [],
  "processor-info.sustained-clock-speed-in-ghz": (t) => t.ProcessorInfo?.SustainedClockSpeedInGhz,
  "processor-info.supported-features": (t) => t.ProcessorInfo?.SupportedFeatures ?? [],
  "reboot-migration-support": (t) => t.RebootMigrationSupport,
  "supported-boot-mode": (t) => t.SupportedBootModes ?? [],
  "supported-root-device-type": (t) => t.SupportedRootDeviceTypes ?? [],
  "supported-usage-class": (t) => t.SupportedUsageClasses ?? [],
  "supported-virtualization-type": (t) => t.SupportedVirtualizationTypes ?? [],
  "vcpu-info.default-cores": (t) => t.VCpuInfo?.DefaultCores,
  "vcpu-info.default-threads-per-core": (t) => t.VCpuInfo?.DefaultThreadsPerCore,
  "vcpu-info.default-vcpus": (t) => t.VCpuInfo?.DefaultVCpus,
  "vcpu-info.valid-cores": (t) => t.VCpuInfo?.ValidCores ?? [],
  "vcpu-info.valid-threads-per-core": (t) => t.VCpuInfo?.ValidThreadsPerCore ?? [],
};

/** The types a region offers, in name order, computed once per (catalogue, region). */
const regionCache = new WeakMap<Catalog, Map<string, readonly InstanceTypeInfo[]>>();
export const regionInstanceTypes = (catalog: Catalog, region: string): readonly InstanceTypeInfo[] => {
  let byRegion = regionCache.get(catalog);
  if (!byRegion) regionCache.set(catalog, (byRegion = new Map<string, readonly InstanceTypeInfo[]>()));
  let list = byRegion.get(region);
  if (!list) {
    const offered = catalog.offerings(region).types;
    list = [...catalog.instanceTypes.values()].filter((t) => offered.has(String(t.InstanceType)));
    byRegion.set(region, list);
  }
  return list;
};

export const DescribeInstanceTypes = defineAction({
  name: "DescribeInstanceTypes",
  mutates: false,
  params: ["InstanceTypes", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    // AWS describes the types of the caller's region: one the region does not offer does not exist there
    // (inferred from "By default, all instance types for the current Region are described"; unverified).
    const items = regionInstanceTypes(ctx.catalog, ctx.scope.region);
    const offered = ctx.catalog.offerings(ctx.scope.region).types;
    const requested: readonly string[] = input.InstanceTypes ?? [];
    const missing = [...new Set(requested.filter((t) => !offered.has(t)))];
    if (missing.length > 0) throw err.instanceTypesNotFound(missing);
    const page = describe({
      items,
      idOf: (t) => String(t.InstanceType),
      ids: requested,
      taggable: false,
      filters: input.Filters,
      table: FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { InstanceTypes: page.items, NextToken: page.nextToken };
  },
});

const OFFERING_FILTERS: FilterTable<OfferingRow> = {
  "instance-type": (o) => o.InstanceType,
  location: (o) => o.Location,
};

export const DescribeInstanceTypeOfferings = defineAction({
  name: "DescribeInstanceTypeOfferings",
  mutates: false,
  params: ["LocationType", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const type = input.LocationType ?? "region";
    // localvpc has no Outposts: an account without any is offered nothing there.
    const rows = type === "outpost" ? [] : offeringRows(ctx.catalog.offerings(ctx.scope.region), type);
    const page = describe({
      items: rows,
      idOf: (o) => `${o.Location}/${o.InstanceType}`,
      taggable: false,
      filters: input.Filters,
      table: OFFERING_FILTERS,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    // The model's InstanceType enum lags behind AWS's types; the rows carry AWS's own names.
    const offerings: InstanceTypeOffering[] = page.items.map((o) => ({
      ...o,
      InstanceType: o.InstanceType as InstanceTypeOffering["InstanceType"],
    }));
    return { InstanceTypeOfferings: offerings, NextToken: page.nextToken };
  },
});

export const INSTANCE_TYPE_ACTIONS = [DescribeInstanceTypes, DescribeInstanceTypeOfferings];
