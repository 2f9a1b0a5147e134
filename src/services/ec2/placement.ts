/** RunInstances `Placement.GroupName` / `PartitionNumber` (issue 15): the group's launch rules over its members. */
import { err } from "../../domain/errors.js";
import { placeInGroup } from "../../domain/placement-groups.js";
import type { InstanceRecord, PlacementGroupRecord } from "../../domain/types.js";
import type { Tx } from "../../store/store.js";

/** What each launched instance records of its placement group. */
export interface PlacementSlot {
  readonly placementGroupName?: string | undefined;
  readonly placementPartitionNumber?: number | undefined;
}

/** The account's group of that name in the Region (at most a few hundred groups: AWS's quota is 500). */
export const placementGroupByName = (tx: Tx, name: string): PlacementGroupRecord | undefined =>
  tx
    .idsByKey("placement-group", "group-name", name)
    .map((id) => tx.get("placement-group", id))
    .find((g) => g?.groupName === name);

/** The group's members, through the store's `placement-group-name` key (no scan of the account's instances). */
export const placementGroupMembers = (tx: Tx, name: string): InstanceRecord[] =>
  tx
    .idsByKey("instance", "placement-group-name", name)
    .map((id) => tx.get("instance", id))
    .filter((i): i is InstanceRecord => i !== undefined);

/** One slot per launched instance; empty slots without a group. */
export const placementSlots = (
  tx: Tx,
  placement: { GroupName?: string | undefined; PartitionNumber?: number | undefined } | undefined,
  zone: string,
  count: number,
): PlacementSlot[] => {
  const name = placement?.GroupName;
  if (name === undefined || name === "") {
    if (placement?.PartitionNumber !== undefined) throw err.partitionNumberNeedsPartition();
    return Array.from({ length: count }, () => ({}));
  }
  const group = placementGroupByName(tx, name);
  if (!group) throw err.placementGroupUnknown(name);
  const partitions = placeInGroup(group, placementGroupMembers(tx, name), zone, count, placement?.PartitionNumber);
  return partitions.map((p) => ({ placementGroupName: group.groupName, placementPartitionNumber: p }));
};
