/**
 * EC2's declared seams: what other parts of localvpc may use of EC2 without going through HTTP. Other service folders
 * (Lambda and ELBv2 create their Hyperplane ENIs here) and the data-plane runtime import EC2 only from this file;
 * `npm run boundaries` enforces it. Add to it deliberately: each export is a promise to keep.
 */
export { Ec2Service } from "./service.js";
export { ownerTx } from "./foreign-enis.js";
export { createManagedEni, type ManagedEniRequest, type ManagedEniResult } from "./managed-enis.js";
export type { ActionContext } from "./action.js";
// issue 16: a prefix list id → its current CIDRs (AWS-managed or the scope's own), for the data plane.
export { gatewayServiceRanges, prefixListCidrsOf } from "./prefix-list-lookup.js";
// issue 15: Amazon's public IPv4 space (every Region's EC2 ranges), which the data plane routes to AWS.
export { amazonPublicIpv4Union } from "../../catalog/ec2-public-ipv4.js";
// issue 16 (VPC peering): a VPC's active peering connections, for the data plane.
export { activePeersOf, type ActivePeer } from "./vpc-peering-lookup.js";
// issue 17 (ELBv2): a service's requester-managed ENIs in the customer's subnets, created and removed with EC2's rules.
export { createServiceEni, deleteServiceEni, setServiceEniGroups, type ServiceEniRequest } from "./service-enis.js";
// issue 18 (EKS): EC2 actions run inside another service's transaction (nodes, cluster SG, CNI ENIs), and AWS's own tags.
export { addServiceTags, launchInstances, runEc2Action } from "./service-actions.js";
export type { InputOf, OperationName, OutputOf } from "./action.js";
