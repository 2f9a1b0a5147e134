/**
 * Every implemented EC2 action. An action group file exports `<GROUP>_ACTIONS`; add it here. scripts/coverage.ts
 * reads this registry to write COVERAGE.md.
 */
import type { RegisteredAction } from "./action.js";
import { ADDRESS_ACTIONS } from "./actions/addresses.js";
import { ENI_ATTACHMENT_ACTIONS } from "./actions/eni-attachments.js";
import { IMAGE_ACTIONS } from "./actions/images.js";
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
// BYOIP
import { BYOIP_ACTIONS } from "./actions/byoip.js";
// --- flow logs (issue 5) ---
import { FLOW_LOG_ACTIONS } from "./actions/flow-logs.js";

const ALL: readonly RegisteredAction[] = [
  ...REGION_ACTIONS,
  ...TAG_ACTIONS,
  ...VPC_ACTIONS,
  ...SUBNET_ACTIONS,
  ...SECURITY_GROUP_ACTIONS,
  ...INTERNET_GATEWAY_ACTIONS,
  ...ROUTE_TABLE_ACTIONS,
  ...NETWORK_ACL_ACTIONS,
  ...NETWORK_INTERFACE_ACTIONS,
  ...INSTANCE_ACTIONS,
  ...INSTANCE_TYPE_ACTIONS,
  ...IMAGE_ACTIONS,
  ...ADDRESS_ACTIONS,
  ...ENI_ATTACHMENT_ACTIONS,
  // BYOIP
  ...BYOIP_ACTIONS,
  // data plane (issue 5)
  ...NAT_GATEWAY_ACTIONS,
  // --- flow logs (issue 5) ---
  ...FLOW_LOG_ACTIONS,
];

export const ACTIONS: ReadonlyMap<string, RegisteredAction> = new Map(ALL.map((a) => [a.name, a]));
