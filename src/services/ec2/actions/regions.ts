/** DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes: fixed facts of the emulated cloud. */
import { err } from "../../../domain/errors.js";
import { listedRegions, regionInfo } from "../../../domain/regions.js";
import type { AvailabilityZone } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { describe } from "../../common/describe.js";

export const DescribeRegions = defineAction({
  name: "DescribeRegions",
  mutates: false,
  params: ["RegionNames", "Filters", "AllRegions"],
  run(input, ctx) {
    // The caller's partition: every region with AllRegions, else the enabled ones (no opt-in needed, or opted in).
    const optedIn = ctx.optedInRegions ?? new Set<string>();
    const all = listedRegions(ctx.scope.region, optedIn, true);
    // A region named explicitly is described whatever its status (unverified), so tools can read its opt-in status.
    for (const r of input.RegionNames ?? []) if (!all.some((x) => x.regionName === r)) throw err.regionNotFound(r);
    const listed = input.RegionNames?.length ? all : listedRegions(ctx.scope.region, optedIn, input.AllRegions === true);
    const regions = listed.map((r) => ({ RegionName: r.regionName, Endpoint: r.endpoint, OptInStatus: r.optInStatus }));
    const page = describe({
      items: regions,
      idOf: (r) => r.RegionName,
      ids: input.RegionNames,
      taggable: false,
      filters: input.Filters,
      table: { endpoint: (r) => r.Endpoint, "opt-in-status": (r) => r.OptInStatus, "region-name": (r) => r.RegionName },
    });
    return { Regions: page.items };
  },
});

export const DescribeAvailabilityZones = defineAction({
  name: "DescribeAvailabilityZones",
  mutates: false,
  params: ["ZoneNames", "ZoneIds", "AllAvailabilityZones", "Filters"],
  run(input, ctx) {
    const region = ctx.scope.region;
    const zones: AvailabilityZone[] = regionInfo(region).zones.map((z) => ({
      ZoneName: z.zoneName,
      ZoneId: z.zoneId,
      State: "available",
      RegionName: region,
      GroupName: region,
      GroupLongName: "",
      NetworkBorderGroup: region,
      ZoneType: "availability-zone",
      OptInStatus: "opt-in-not-required",
      Messages: [],
    }));
    for (const n of input.ZoneNames ?? []) if (!zones.some((z) => z.ZoneName === n)) throw err.zoneNotFound(n);
    for (const n of input.ZoneIds ?? []) if (!zones.some((z) => z.ZoneId === n)) throw err.zoneNotFound(n);
    const wanted = new Set([...(input.ZoneNames ?? []), ...(input.ZoneIds ?? [])]);
    const page = describe({
      items: wanted.size > 0 ? zones.filter((z) => wanted.has(z.ZoneName!) || wanted.has(z.ZoneId!)) : zones,
      idOf: (z) => z.ZoneName!,
      taggable: false,
      filters: input.Filters,
      table: {
        "group-long-name": (z) => z.GroupLongName,
        "group-name": (z) => z.GroupName,
        message: () => undefined,
        "opt-in-status": (z) => z.OptInStatus,
        "parent-zone-id": () => undefined,
        "parent-zone-name": () => undefined,
        "region-name": (z) => z.RegionName,
        state: (z) => z.State,
        "zone-id": (z) => z.ZoneId,
        "zone-name": (z) => z.ZoneName,
        "zone-type": (z) => z.ZoneType,
      },
    });
    return { AvailabilityZones: page.items };
  },
});

export const DescribeAccountAttributes = defineAction({
  name: "DescribeAccountAttributes",
  mutates: false,
  params: ["AttributeNames"],
  run(input, ctx) {
    const defaultVpc = ctx.tx.list("vpc").find((v) => v.isDefault);
    const all = [
      { AttributeName: "supported-platforms", AttributeValues: [{ AttributeValue: "VPC" }] },
      { AttributeName: "default-vpc", AttributeValues: [{ AttributeValue: defaultVpc?.id ?? "none" }] },
      { AttributeName: "max-instances", AttributeValues: [{ AttributeValue: String(ctx.quotas.instancesPerRegion) }] },
      {
        AttributeName: "vpc-max-security-groups-per-interface",
        AttributeValues: [{ AttributeValue: String(ctx.quotas.securityGroupsPerInterface) }],
      },
      // "max-elastic-ips: The maximum number of Elastic IP addresses that you can allocate." [DOC API
      // DescribeAccountAttributes]: since EC2-Classic retired it is the same quota as vpc-max-elastic-ips (issue 15).
      { AttributeName: "max-elastic-ips", AttributeValues: [{ AttributeValue: String(ctx.quotas.elasticIpsPerRegion) }] },
      { AttributeName: "vpc-max-elastic-ips", AttributeValues: [{ AttributeValue: String(ctx.quotas.elasticIpsPerRegion) }] },
    ];
    const names = input.AttributeNames;
    return { AccountAttributes: names && names.length > 0 ? all.filter((a) => names.includes(a.AttributeName as never)) : all };
  },
});

export const REGION_ACTIONS = [DescribeRegions, DescribeAvailabilityZones, DescribeAccountAttributes];
