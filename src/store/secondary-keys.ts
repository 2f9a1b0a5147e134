/**
 * Which exact-match keys the store indexes for each record, so that a selective Describe filter is an index lookup
 * instead of a scan (DescribeNetworkInterfaces at 100k ENIs). Key names are the Describe filter names of the kind.
 * Every record's tags are keyed as `tag:<key>` (value) and `tag-key` (key). Pure data mapping, no rules.
 */
import type { AnyRecord } from "../domain/types.js";

export type SecondaryKey = readonly [name: string, value: string];

/**
 * Bumped whenever `secondaryKeys` changes what it returns: a store opened on a file whose keys were written by another
 * version rebuilds them once (Store constructor), so a filter never misses a record stored before its key existed.
 */
export const SECONDARY_KEYS_VERSION = 5;

export const secondaryKeys = (r: AnyRecord): SecondaryKey[] => {
  const keys: SecondaryKey[] = [];
  for (const t of r.tags) keys.push([`tag:${t.key}`, t.value], ["tag-key", t.key]);
  // Records in a timed transition (non-zero delays): settled before each call without reading every record.
  if ("settlesAt" in r && r.settlesAt !== undefined) keys.push(["settling", "true"]);
  switch (r.kind) {
    case "network-interface-permission":
      // DeleteNetworkInterface drops the ENI's permissions without reading every permission of the account.
      keys.push(["network-interface-id", r.networkInterfaceId]);
      break;
    case "dhcp-options":
      // Every new VPC takes the default set: found by index, not by reading every set.
      if (r.isDefault) keys.push(["default", "true"]);
      break;
    case "network-interface":
      keys.push(["mac-address", r.macAddress]);
      if (r.attachment) keys.push(["attachment.attachment-id", r.attachment.attachmentId]);
      // Each address once: the alias filters (`addresses.private-ip-address`, `ipv6-addresses.ipv6-address`) read
      // these keys through IndexedFilters.aliases, so a new ENI writes two index rows (and WAL pages) fewer.
      for (const ip of r.privateIps) keys.push(["private-ip-address", ip.address]);
      for (const ip of r.ipv6Addresses) keys.push(["ipv6-address", ip.address]);
      for (const p of r.publicIps) {
        keys.push(["association.public-ip", p.publicIp]);
        // Every association's ids (a superset of the filters, which read the primary address's): id filters are lookups.
        if (p.allocationId !== undefined) keys.push(["association.allocation-id", p.allocationId]);
        if (p.associationId !== undefined) keys.push(["association.association-id", p.associationId]);
      }
      for (const g of r.groupIds) keys.push(["group-id", g]);
      // Sparse keys (issue 19): only the uncommon values are stored, so most ENIs (no description, type `interface`)
      // write no row for them; the Describe treats a filter asking for a common value as unindexed
      // (IndexedFilters.unkeyed). Terraform's load-balancer delete and EKS's and Lambda's clean-ups find service
      // ENIs by description; `interface-type` finds them by kind (lambda, network_load_balancer…).
      if (r.description !== "") keys.push(["description", r.description]);
      if (r.interfaceType !== "interface") keys.push(["interface-type", r.interfaceType]);
      // DetachInternetGateway: "does the VPC hold an ENI with a public address?" without reading the VPC's ENIs.
      if (r.publicIps.length > 0) keys.push(["public-ip-in-vpc", r.vpcId]);
      break;
    case "subnet":
      for (const a of r.ipv6Associations) keys.push(["ipv6-cidr-block-association.association-id", a.associationId]);
      break;
    case "elastic-ip":
      keys.push(["public-ip", r.publicIp]);
      // BYOIP addresses are exempt from the EIP quota: AllocateAddress counts them (few) and subtracts from the kind's.
      if (r.publicIpv4Pool !== "amazon") keys.push(["byoip-pool", r.publicIpv4Pool]);
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
    case "route-table":
      for (const r2 of r.routes)
        if (r2.destinationPrefixListId !== undefined) keys.push(["route.destination-prefix-list-id", r2.destinationPrefixListId]);
      for (const a of r.associations) {
        keys.push(["association.route-table-association-id", a.associationId]);
        if (a.subnetId !== undefined) keys.push(["association.subnet-id", a.subnetId]);
        if (a.gatewayId !== undefined) keys.push(["association.gateway-id", a.gatewayId]);
      }
      break;
    case "security-group":
      keys.push(["group-name", r.groupName]);
      // Rules are tagged resources stored inside their group: CreateTags/DescribeTags find a rule's group by index.
      for (const rule of r.rules) {
        keys.push(["security-group-rule-id", rule.ruleId]);
        // Who references a group or a prefix list (DeleteSecurityGroup, prefix-list changes): by index, not a scan.
        if (rule.referencedGroupId !== undefined) keys.push(["referenced-group-id", rule.referencedGroupId]);
        if (rule.prefixListId !== undefined) keys.push(["prefix-list-id", rule.prefixListId]);
      }
      break;
    case "placement-group":
      keys.push(["group-name", r.groupName]);
      break;
    // ELBv2 (issue 17): load balancers and target groups are found by name (Describe*, the idempotent creates).
    case "elbv2-load-balancer":
      keys.push(["load-balancer-name", r.name]);
      break;
    case "elbv2-target-group":
      keys.push(["target-group-name", r.name]);
      break;
    case "network-insights-analysis":
      // DescribeNetworkInsightsAnalyses NetworkInsightsPathId (issue 21): a path's analyses by index.
      keys.push(["network-insights-path-id", r.networkInsightsPathId]);
      break;
    case "image":
      // The snapshots an image holds (DeleteSnapshot's InUse rule, the block-device-mapping.snapshot-id filter).
      for (const d of r.blockDevices) if (d.snapshotId !== undefined) keys.push(["block-device-mapping.snapshot-id", d.snapshotId]);
      break;
    case "instance":
      // Members of a placement group, for the launch rules and DeletePlacementGroup (issue 15).
      if (r.placementGroupName !== undefined) keys.push(["placement-group-name", r.placementGroupName]);
      // Terminated instances stay listed for a while but leave the instance quota (RunInstances counts the others).
      if (r.state === "terminated") keys.push(["terminated", "true"]);
      break;
    default:
      break;
  }
  return keys;
};
