/**
 * Placement groups (issue 15): the rules of CreatePlacementGroup and of launching into a group, as pure functions.
 * [DOC EC2 User Guide "Placement group rules and limitations", "Placement strategies", API CreatePlacementGroup]
 */
import { err } from "./errors.js";

export type PlacementStrategy = "cluster" | "spread" | "partition";

/** "For rack spread level placement groups, you can have a maximum of seven running instances per Availability Zone per group." */
export const SPREAD_MAX_PER_ZONE = 7;
/** "A partition placement group can have a maximum of seven partitions per Availability Zone." */
export const MAX_PARTITIONS = 7;
/** Terraform and Pulumi document 2 partitions when PartitionCount is omitted (unverified against AWS itself). */
export const DEFAULT_PARTITIONS = 2;

export interface PlacementGroupSpec {
  readonly groupName: string;
  readonly strategy: PlacementStrategy;
  readonly partitionCount?: number | undefined;
  readonly spreadLevel?: "host" | "rack" | undefined;
}

/** Checks CreatePlacementGroup's members and answers the group's settled shape (defaults filled in). */
export const placementGroupSpec = (
  name: string | undefined,
  strategy: PlacementStrategy | undefined,
  partitionCount: number | undefined,
  spreadLevel: "host" | "rack" | undefined,
): PlacementGroupSpec => {
  if (name === undefined || name === "") throw err.missingParameter("groupName");
  // "Constraints: Up to 255 ASCII characters" [DOC API CreatePlacementGroup]
  if (name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) throw err.placementGroupNameInvalid(name);
  if (strategy === undefined) throw err.missingParameter("strategy");
  if (partitionCount !== undefined && strategy !== "partition") throw err.partitionCountNeedsPartition();
  if (spreadLevel !== undefined && strategy !== "spread") throw err.spreadLevelNeedsSpread();
  // "You can use host level spread placement groups only with AWS Outposts." localvpc has no Outposts.
  if (spreadLevel === "host") throw err.spreadLevelHostNeedsOutpost();
  if (strategy === "partition") {
    const count = partitionCount ?? DEFAULT_PARTITIONS;
    if (count < 1 || count > MAX_PARTITIONS) throw err.partitionCountRange(count);
    return { groupName: name, strategy, partitionCount: count };
  }
  if (strategy === "spread") return { groupName: name, strategy, spreadLevel: spreadLevel ?? "rack" };
  return { groupName: name, strategy };
};

/** A member of the group as the launch rules see it: the zone it runs in, whether it still counts, its partition. */
export interface PlacementMember {
  readonly availabilityZone: string;
  readonly state: string;
  readonly partitionNumber?: number | undefined;
}

/** Members that hold a place in the group: every state but terminated (stopped instances keep their placement). */
const live = (m: PlacementMember): boolean => m.state !== "terminated" && m.state !== "shutting-down";
/** Members that count toward the spread limit: the limit is on *running* instances (pending ones are about to run). */
const running = (m: PlacementMember): boolean => m.state === "running" || m.state === "pending";

/**
 * Whether `count` new instances may join the group in `zone`; answers the partition number of each new instance
 * (partition groups; AWS spreads them when no PartitionNumber is asked for), or undefined for other strategies.
 */
export const placeInGroup = (
  group: PlacementGroupSpec,
  members: readonly PlacementMember[],
  zone: string,
  count: number,
  partitionNumber: number | undefined,
): (number | undefined)[] => {
  if (partitionNumber !== undefined && group.strategy !== "partition") throw err.partitionNumberNeedsPartition();
  if (group.strategy === "cluster") {
    // "A cluster placement group ... can't span multiple Availability Zones" [DOC]; AWS-OBS message (terraform#16183).
    const other = members.find((m) => live(m) && m.availabilityZone !== zone);
    if (other) throw err.placementGroupInOtherZone(group.groupName, other.availabilityZone);
    return Array.from({ length: count }, () => undefined);
  }
  if (group.strategy === "spread") {
    const inZone = members.filter((m) => running(m) && m.availabilityZone === zone).length;
    if (inZone + count > SPREAD_MAX_PER_ZONE) throw err.spreadGroupFull(group.groupName, zone, SPREAD_MAX_PER_ZONE);
    return Array.from({ length: count }, () => undefined);
  }
  const partitions = group.partitionCount ?? DEFAULT_PARTITIONS;
  if (partitionNumber !== undefined) {
    if (partitionNumber < 1 || partitionNumber > partitions) throw err.partitionNumberRange(partitionNumber, partitions);
    return Array.from({ length: count }, () => partitionNumber);
  }
  // No partition asked for: round-robin from the group's size, so instances spread evenly (deterministic).
  const start = members.filter(live).length;
  return Array.from({ length: count }, (_, i) => ((start + i) % partitions) + 1);
};
