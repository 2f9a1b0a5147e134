/**
 * Every implemented EC2 action. An action group file exports `<GROUP>_ACTIONS`; add it here. scripts/coverage.ts
 * reads this registry to write COVERAGE.md.
 */
import type { RegisteredAction } from "./action.js";
import { ADDRESS_ACTIONS } from "./addresses.js";
import { ENI_ATTACHMENT_ACTIONS } from "./eni-attachments.js";
import { IMAGE_ACTIONS } from "./images.js";
import { INSTANCE_ACTIONS } from "./instances.js";
import { INSTANCE_TYPE_ACTIONS } from "./instance-types.js";
import { INTERNET_GATEWAY_ACTIONS } from "./internet-gateways.js";
import { NAT_GATEWAY_ACTIONS } from "./nat-gateways.js";
import { NETWORK_ACL_ACTIONS } from "./network-acls.js";
import { NETWORK_INTERFACE_ACTIONS } from "./network-interfaces.js";
import { REGION_ACTIONS } from "./regions.js";
import { ROUTE_TABLE_ACTIONS } from "./route-tables.js";
import { SECURITY_GROUP_ACTIONS } from "./security-groups.js";
import { SUBNET_ACTIONS } from "./subnets.js";
import { TAG_ACTIONS } from "./tags.js";
import { VPC_ACTIONS } from "./vpcs.js";
// BYOIP
import { BYOIP_ACTIONS } from "./byoip.js";
// --- flow logs (issue 5) ---
import { FLOW_LOG_ACTIONS } from "./flow-logs.js";

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
