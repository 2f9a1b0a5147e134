/** DescribeInstanceTypes over the catalogue (data/instance-types.json, AWS's own NetworkInfo; spec §6). */
import type { Catalog } from "../../../catalog/catalog.js";
import { err } from "../../../domain/errors.js";
import type { FilterTable } from "../../../domain/filters.js";
import { architectureOfType, isBurstable } from "../../../domain/instances.js";
import type { InstanceTypeInfo, ProcessorInfo } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { describe } from "../../common/describe.js";
import { unmappedFilters } from "../../common/describe-limits.js";

/**
 * The catalogue entry plus two facts AWS reports that the NetworkInfo dump lacks, derived from the type's name:
 * the processor architecture and burstable performance (T families). Computed once per catalogue.
 */
const derivedCache = new WeakMap<Catalog, readonly InstanceTypeInfo[]>();
export const instanceTypeInfos = (catalog: Catalog): readonly InstanceTypeInfo[] => {
  let list = derivedCache.get(catalog);
  if (!list) {
    list = catalog.instanceTypeList.map((t) => {
      const name = String(t.InstanceType);
      const archs: ProcessorInfo["SupportedArchitectures"] = [architectureOfType(name)];
      return {
        ...t,
        ProcessorInfo: t.ProcessorInfo ?? { SupportedArchitectures: archs },
        BurstablePerformanceSupported: t.BurstablePerformanceSupported ?? isBurstable(name),
      };
    });
    derivedCache.set(catalog, list);
  }
  return list;
};

const FILTERS: FilterTable<InstanceTypeInfo> = {
  "bare-metal": (t) => t.BareMetal,
  "burstable-performance-supported": (t) => t.BurstablePerformanceSupported,
  "current-generation": (t) => t.CurrentGeneration,
  hypervisor: (t) => t.Hypervisor,
  "instance-type": (t) => t.InstanceType,
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
  "processor-info.supported-architecture": (t) => t.ProcessorInfo?.SupportedArchitectures ?? [],
};
// The catalogue has no EBS, storage, memory, vCPU or boot data: those filters say so rather than match nothing.
const UNSUPPORTED = unmappedFilters("DescribeInstanceTypes", FILTERS);

export const DescribeInstanceTypes = defineAction({
  name: "DescribeInstanceTypes",
  mutates: false,
  params: ["InstanceTypes", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const requested: readonly string[] = input.InstanceTypes ?? [];
    const missing = [...new Set(requested.filter((t) => !ctx.catalog.instanceTypes.has(t)))];
    if (missing.length > 0) throw err.instanceTypesNotFound(missing);
    const page = describe({
      items: instanceTypeInfos(ctx.catalog),
      idOf: (t) => String(t.InstanceType),
      ids: requested,
      taggable: false,
      filters: input.Filters,
      table: FILTERS,
      unsupportedFilters: UNSUPPORTED,
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { InstanceTypes: page.items, NextToken: page.nextToken };
  },
});

export const INSTANCE_TYPE_ACTIONS = [DescribeInstanceTypes];
