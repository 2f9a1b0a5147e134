/**
 * Which exact-match keys the store indexes for each record, so that a selective Describe filter is an index lookup
 * instead of a scan (DescribeNetworkInterfaces at 100k ENIs). Key names are the Describe filter names of the kind.
 * Every record's tags are keyed as `tag:<key>` (value) and `tag-key` (key). Pure data mapping, no rules.
 */
import type { AnyRecord } from "../domain/types.js";

export type SecondaryKey = readonly [name: string, value: string];

export const secondaryKeys = (r: AnyRecord): SecondaryKey[] => {
  const keys: SecondaryKey[] = [];
  for (const t of r.tags) keys.push([`tag:${t.key}`, t.value], ["tag-key", t.key]);
  switch (r.kind) {
    case "network-interface":
      keys.push(["mac-address", r.macAddress]);
      if (r.attachment) keys.push(["attachment.attachment-id", r.attachment.attachmentId]);
      // Each address under every filter name that reads it (DescribeNetworkInterfaces has aliases).
      for (const ip of r.privateIps) keys.push(["private-ip-address", ip.address], ["addresses.private-ip-address", ip.address]);
      for (const ip of r.ipv6Addresses) keys.push(["ipv6-address", ip.address], ["ipv6-addresses.ipv6-address", ip.address]);
      for (const p of r.publicIps) keys.push(["association.public-ip", p.publicIp]);
      break;
    case "elastic-ip":
      keys.push(["public-ip", r.publicIp]);
      if (r.association) {
        keys.push(["association-id", r.association.associationId], ["network-interface-id", r.association.networkInterfaceId]);
        keys.push(["private-ip-address", r.association.privateIp]);
      }
      break;
    case "vpc-peering-connection":
      // The accepter VPC of a connection within one scope (issue 16): "connections of a VPC" is an index lookup.
      keys.push(["accepter-vpc-info.vpc-id", r.accepter.vpcId]);
      break;
    // Names that identify a record in its scope (issue 15): RunInstances KeyName, LaunchTemplateName and
    // Placement.GroupName resolve by index, not by a scan of the kind.
    case "key-pair":
      keys.push(["key-name", r.keyName]);
      break;
    case "launch-template":
      keys.push(["launch-template-name", r.name]);
      break;
    case "placement-group":
      keys.push(["group-name", r.groupName]);
      break;
    case "instance":
      // Members of a placement group, for the launch rules and DeletePlacementGroup (issue 15).
      if (r.placementGroupName !== undefined) keys.push(["placement-group-name", r.placementGroupName]);
      break;
    default:
      break;
  }
  return keys;
};
