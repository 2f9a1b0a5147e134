/**
 * Instance-type offerings: which types each Availability Zone of a region offers (AWS's
 * DescribeInstanceTypeOfferings facts, data/instance-type-offerings.json), and the launch rule they imply.
 */
import { err } from "./errors.js";

export interface ZoneOfferings {
  readonly zoneName: string;
  readonly zoneId: string;
  readonly types: ReadonlySet<string>;
}

export interface RegionOfferings {
  readonly region: string;
  /** False for a region AWS's dump does not cover: every catalogued type is then offered in every zone. */
  readonly known: boolean;
  /** In zone-name order. */
  readonly zones: readonly ZoneOfferings[];
  /** The union of the zones' types (AWS's region-level offerings are exactly that union). */
  readonly types: ReadonlySet<string>;
}

export type LocationType = "region" | "availability-zone" | "availability-zone-id";

export interface OfferingRow {
  readonly InstanceType: string;
  readonly LocationType: LocationType;
  readonly Location: string;
}

/** Every (type, location) pair of a region for one location type: locations in name order, types in name order. */
export const offeringRows = (o: RegionOfferings, locationType: LocationType): OfferingRow[] => {
  const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();
  if (locationType === "region") return sorted(o.types).map((t) => ({ InstanceType: t, LocationType: locationType, Location: o.region }));
  const zones = [...o.zones].sort((a, b) => {
    const ka = locationType === "availability-zone" ? a.zoneName : a.zoneId;
    const kb = locationType === "availability-zone" ? b.zoneName : b.zoneId;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return zones.flatMap((z) =>
    sorted(z.types).map((t) => ({
      InstanceType: t,
      LocationType: locationType,
      Location: locationType === "availability-zone" ? z.zoneName : z.zoneId,
    })),
  );
};

/**
 * RunInstances (and a stopped instance's new type): the zone must offer the type. AWS names the region's zones that
 * do ("Unsupported", confirmed), or, when no zone of the region offers it, answers its generic "configuration not
 * supported" text.
 */
export const checkTypeOffered = (o: RegionOfferings, type: string, zoneName: string): void => {
  const zone = o.zones.find((z) => z.zoneName === zoneName);
  if (!zone || zone.types.has(type)) return;
  const others = o.zones.filter((z) => z.types.has(type)).map((z) => z.zoneName);
  if (others.length === 0) throw err.configurationNotSupported();
  throw err.typeNotOfferedInZone(type, zoneName, others);
};
