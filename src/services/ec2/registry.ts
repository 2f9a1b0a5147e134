/**
 * Every implemented EC2 action. An action group file exports `<GROUP>_ACTIONS`; add it here. scripts/coverage.ts
 * reads this registry to write COVERAGE.md.
 */
import type { RegisteredAction } from "./action.js";
import { FILTER_ALIASES, resolveFilterAliases } from "../../domain/filter-aliases.js";
import type { FilterInput } from "../../domain/filters.js";
import { ADDRESS_ACTIONS } from "./actions/addresses.js";
import { CLASSIC_LINK_ACTIONS } from "./actions/classic-link.js";
import { ENI_ATTACHMENT_ACTIONS } from "./actions/eni-attachments.js";
import { IMAGE_ACTIONS } from "./actions/images.js";
import { AMI_ACTIONS } from "./actions/ami.js"; // issue 15
import { KEY_PAIR_ACTIONS } from "./actions/key-pairs.js"; // issue 15
import { PLACEMENT_GROUP_ACTIONS } from "./actions/placement-groups.js"; // issue 15
import { REBOOT_ACTIONS } from "./actions/reboot.js"; // issue 15
import { LAUNCH_TEMPLATE_ACTIONS } from "./actions/launch-templates.js"; // issue 15
import { INSTANCE_ACTIONS } from "./actions/instances.js";
import { INSTANCE_TYPE_ACTIONS } from "./actions/instance-types.js";
import { INTERNET_GATEWAY_ACTIONS } from "./actions/internet-gateways.js";
import { NAT_GATEWAY_ACTIONS } from "./actions/nat-gateways.js";
import { NETWORK_ACL_ACTIONS } from "./actions/network-acls.js";
import { NETWORK_INTERFACE_ACTIONS } from "./actions/network-interfaces.js";
import { REGION_ACTIONS } from "./actions/regions.js";
import { ROUTE_TABLE_ACTIONS } from "./actions/route-tables.js";
import { SECURITY_GROUP_ACTIONS } from "./actions/security-groups.js";
import { SUBNET_ACTIONS } from "./actions/subnets.js";
import { TAG_ACTIONS } from "./actions/tags.js";
import { VPC_ACTIONS } from "./actions/vpcs.js";
// issue 16: DHCP options, egress-only internet gateways, subnet CIDR reservations, security-group rule edits
import { DHCP_OPTIONS_ACTIONS } from "./actions/dhcp-options.js";
import { EGRESS_ONLY_INTERNET_GATEWAY_ACTIONS } from "./actions/egress-only-internet-gateways.js";
import { SUBNET_CIDR_RESERVATION_ACTIONS } from "./actions/subnet-cidr-reservations.js";
import { SECURITY_GROUP_RULE_ACTIONS } from "./actions/security-group-rules.js";
import { VOLUME_ACTIONS } from "./actions/volumes.js";
// BYOIP
import { BYOIP_ACTIONS } from "./actions/byoip.js";
// --- flow logs (issue 5) ---
import { FLOW_LOG_ACTIONS } from "./actions/flow-logs.js";
import { PREFIX_LIST_ACTIONS } from "./actions/prefix-lists.js"; // issue 16
import { VPC_ENDPOINT_ACTIONS } from "./actions/vpc-endpoints.js"; // issue 16 (VPC endpoints)
import { VPC_PEERING_ACTIONS } from "./actions/vpc-peering.js"; // issue 16 (VPC peering)
import { DEFAULT_VPC_ACTIONS } from "./actions/default-vpc.js"; // issue 16
import { NETWORK_INSIGHTS_ACTIONS } from "./actions/network-insights.js"; // issue 21 (Reachability Analyzer)

const ALL: readonly RegisteredAction[] = [
  ...CLASSIC_LINK_ACTIONS,
  ...REGION_ACTIONS,
  ...TAG_ACTIONS,
  ...VPC_ACTIONS,
  ...DEFAULT_VPC_ACTIONS, // issue 16
  ...VPC_PEERING_ACTIONS, // issue 16 (VPC peering)
  // issue 16
  ...DHCP_OPTIONS_ACTIONS,
  ...EGRESS_ONLY_INTERNET_GATEWAY_ACTIONS,
  ...SUBNET_CIDR_RESERVATION_ACTIONS,
  ...SECURITY_GROUP_RULE_ACTIONS,
  ...SUBNET_ACTIONS,
  ...SECURITY_GROUP_ACTIONS,
  ...INTERNET_GATEWAY_ACTIONS,
  ...ROUTE_TABLE_ACTIONS,
  ...NETWORK_ACL_ACTIONS,
  ...NETWORK_INTERFACE_ACTIONS,
  ...INSTANCE_ACTIONS,
  ...INSTANCE_TYPE_ACTIONS,
  ...IMAGE_ACTIONS,
  ...AMI_ACTIONS, // issue 15
  ...KEY_PAIR_ACTIONS, // issue 15
  ...PLACEMENT_GROUP_ACTIONS, // issue 15
  ...REBOOT_ACTIONS, // issue 15
  ...LAUNCH_TEMPLATE_ACTIONS, // issue 15
  ...ADDRESS_ACTIONS,
  ...ENI_ATTACHMENT_ACTIONS,
  // BYOIP
  ...BYOIP_ACTIONS,
  // data plane (issue 5)
  ...NAT_GATEWAY_ACTIONS,
  // --- flow logs (issue 5) ---
  ...FLOW_LOG_ACTIONS,
  ...PREFIX_LIST_ACTIONS, // issue 16
  ...VPC_ENDPOINT_ACTIONS, // issue 16 (VPC endpoints)
  // --- volumes and snapshots (issue 15) ---
  ...VOLUME_ACTIONS,
  ...NETWORK_INSIGHTS_ACTIONS, // issue 21 (Reachability Analyzer)
];

/** An action whose `Filters` may use the names AWS accepts undocumented (domain/filter-aliases.ts), renamed before it runs. */
const withFilterAliases = (a: RegisteredAction): RegisteredAction => {
  if (!FILTER_ALIASES[a.name]) return a;
  return {
    ...a,
    run: (input, ctx) => {
      const filters = input["Filters"];
      return a.run(Array.isArray(filters) ? { ...input, Filters: resolveFilterAliases(a.name, filters as FilterInput[]) } : input, ctx);
    },
  };
};

export const ACTIONS: ReadonlyMap<string, RegisteredAction> = new Map(ALL.map((a) => [a.name, withFilterAliases(a)]));
