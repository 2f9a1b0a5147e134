/**
 * Why a packet was dropped: Reachability Analyzer explanation codes where AWS has one (RA-DOC, shared/spec/
 * dataplane.md §5), localvpc's own `EMU_` codes for what the analyzer does not model (instance state, chaos,
 * BYOIP advertisement, NAT gateway state).
 */
export const REASONS = {
  ENI_SG_RULES_MISMATCH: "ENI_SG_RULES_MISMATCH",
  SUBNET_ACL_RESTRICTION: "SUBNET_ACL_RESTRICTION",
  NO_ROUTE_TO_DESTINATION: "NO_ROUTE_TO_DESTINATION",
  BAD_STATE_ROUTE: "BAD_STATE_ROUTE",
  ENI_SOURCE_DEST_CHECK_RESTRICTION: "ENI_SOURCE_DEST_CHECK_RESTRICTION",
  IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
  IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
  EMU_INSTANCE_NOT_RUNNING: "EMU_INSTANCE_NOT_RUNNING",
  EMU_INSTANCE_IMPAIRED: "EMU_INSTANCE_IMPAIRED",
  EMU_ENI_NOT_ATTACHED: "EMU_ENI_NOT_ATTACHED",
  EMU_ADDRESS_NOT_IN_USE: "EMU_ADDRESS_NOT_IN_USE",
  EMU_BYOIP_NOT_ROUTED_TO_AWS: "EMU_BYOIP_NOT_ROUTED_TO_AWS",
  EMU_NO_INTERNET_GATEWAY: "EMU_NO_INTERNET_GATEWAY",
  EMU_PRIVATE_ADDRESS_FROM_INTERNET: "EMU_PRIVATE_ADDRESS_FROM_INTERNET",
  EMU_NAT_GATEWAY_UNSOLICITED: "EMU_NAT_GATEWAY_UNSOLICITED",
  /** A NAT gateway with 55,000 connections to one destination cannot allocate a source port (issue 16). */
  EMU_NAT_GATEWAY_PORT_ALLOCATION: "EMU_NAT_GATEWAY_PORT_ALLOCATION",
  EMU_ROUTING_LOOP: "EMU_ROUTING_LOOP",
  // VPC peering (issue 16): the destination is outside the peer VPC (transitive peering, edge-to-edge routing).
  PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
  // IPv6 (issue 16; Reachability Analyzer is IPv4 only, so these are localvpc's): an egress-only internet gateway
  // refused a connection started from the internet; a NAT gateway was asked to carry IPv6; the sender has no IPv6.
  EMU_EGRESS_ONLY_IGW_INBOUND: "EMU_EGRESS_ONLY_IGW_INBOUND",
  EMU_NAT_GATEWAY_IPV6: "EMU_NAT_GATEWAY_IPV6",
  EMU_NO_IPV6_ADDRESS: "EMU_NO_IPV6_ADDRESS",
  // ELBv2 (issue 17): a load balancer's address on a port it has no listener for; a listener with no healthy target.
  EMU_ELB_NO_LISTENER: "EMU_ELB_NO_LISTENER",
  EMU_ELB_NO_HEALTHY_TARGET: "EMU_ELB_NO_HEALTHY_TARGET",
  // Lambda (issue 17): a Hyperplane ENI carries only connections its functions opened; none can be opened to it.
  EMU_LAMBDA_ENI_INBOUND: "EMU_LAMBDA_ENI_INBOUND",
} as const;
export type ReasonCode = (typeof REASONS)[keyof typeof REASONS];
