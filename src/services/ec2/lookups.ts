/**
 * Lookups every action group shares: fetch a resource by id or throw AWS's `.Malformed` / `.NotFound` error for
 * that resource type, with the resource's own code casing.
 */
import { err, type Ec2Error } from "../../domain/errors.js";
import { assertIdOf, type IdKind } from "../../domain/ids.js";
import type { ResourceKind, ResourceKinds } from "../../domain/types.js";
import type { Tx } from "../../store/store.js";

// ELBv2 records (issue 17) are keyed by ARN: they have no EC2 id form, so no entry here.
const ID_KIND: Partial<Record<ResourceKind, IdKind>> = {
  vpc: "vpc",
  subnet: "subnet",
  "security-group": "securityGroup",
  "internet-gateway": "internetGateway",
  "route-table": "routeTable",
  "network-acl": "networkAcl",
  instance: "instance",
  "network-interface": "networkInterface",
  "elastic-ip": "allocation",
  "network-interface-permission": "eniPermission",
  "eni-attachment-link": "eniAttachment",
  // BYOIP: a CIDR record's id is its pool's id (IPv6 pools are looked up by their own kind); the world's records
  // (registry, BGP, throttle) have synthetic ids and are never looked up with must().
  "byoip-cidr": "ipv4Pool",
  "rir-range": "ipv4Pool",
  "bgp-announcement": "ipv4Pool",
  "byoip-throttle": "ipv4Pool",
  "nat-gateway": "natGateway",
  // --- flow logs (issue 5) ---
  "flow-log": "flowLog",
  // --- key pairs and images (issue 15) ---
  "key-pair": "keyPair",
  image: "image",
  // --- volumes and snapshots (issue 15) ---
  "dhcp-options": "dhcpOptions", // issue 16
  "egress-only-internet-gateway": "egressOnlyInternetGateway", // issue 16
  "subnet-cidr-reservation": "subnetCidrReservation", // issue 16
  volume: "volume",
  snapshot: "snapshot",
  "launch-template": "launchTemplate", // issue 15
  "prefix-list": "prefixList", // issue 16
  "vpc-endpoint": "vpcEndpoint", // issue 16 (VPC endpoints)
  "placement-group": "placementGroup", // issue 15
  "vpc-peering-connection": "vpcPeeringConnection", // issue 16 (VPC peering)
  "vpc-peering-link": "vpcPeeringConnection", // issue 16 (VPC peering)
  "network-insights-path": "networkInsightsPath", // issue 21
  "network-insights-analysis": "networkInsightsAnalysis", // issue 21
};

export const notFound = (kind: ResourceKind, id: string): Ec2Error => {
  switch (kind) {
    case "vpc":
      return err.vpcNotFound(id);
    case "subnet":
      return err.subnetNotFound(id);
    case "security-group":
      return err.groupNotFound(id);
    case "internet-gateway":
      return err.igwNotFound(id);
    case "route-table":
      return err.routeTableNotFound(id);
    case "network-acl":
      return err.networkAclNotFound(id);
    case "instance":
      return err.instanceNotFound([id]);
    case "network-interface":
      return err.eniNotFound(id);
    case "elastic-ip":
      return err.allocationNotFound(id);
    case "network-interface-permission":
      return err.eniPermissionNotFound(id);
    case "eni-attachment-link":
      return err.attachmentNotFound(id);
    // BYOIP and the world outside AWS
    case "byoip-cidr":
    case "rir-range":
    case "bgp-announcement":
    case "byoip-throttle":
      return id.startsWith("ipv6pool-") ? err.ipv6PoolNotFound(id) : err.publicIpv4PoolNotFound(id);
    case "nat-gateway":
      return err.natGatewayNotFound(id);
    // --- flow logs (issue 5) ---
    case "flow-log":
      return err.flowLogNotFound(id);
    // --- key pairs and images (issue 15) ---
    case "key-pair":
      return err.keyPairIdNotFound(id);
    case "image":
      return err.amiNotFound([id]);
    // --- volumes and snapshots (issue 15) ---
    case "volume":
      return err.volumeNotFound([id]);
    case "dhcp-options": // issue 16
      return err.dhcpOptionsNotFound(id);
    case "egress-only-internet-gateway":
      return err.eigwNotFound(id);
    case "subnet-cidr-reservation":
      return err.subnetCidrReservationNotFound(id);
    case "snapshot":
      return err.snapshotNotFound([id]);
    case "launch-template": // issue 15
      return err.launchTemplateIdNotFound(id);
    case "prefix-list": // issue 16
      return err.prefixListNotFound(id);
    case "vpc-endpoint": // issue 16 (VPC endpoints)
      return err.vpcEndpointNotFound([id]);
    case "placement-group": // issue 15
      return err.placementGroupIdNotFound(id);
    case "vpc-peering-connection": // issue 16 (VPC peering)
    case "vpc-peering-link":
      return err.vpcPeeringNotFound(id);
    case "network-insights-path": // issue 21
      return err.networkInsightsPathNotFound(id);
    case "network-insights-analysis":
      return err.networkInsightsAnalysisNotFound(id);
    // ELBv2 (issue 17)
    case "elbv2-load-balancer":
      return err.elbLoadBalancerNotFound();
    case "elbv2-target-group":
      return err.elbTargetGroupNotFound();
    case "elbv2-listener":
      return err.elbListenerNotFound();
    // Lambda (issue 17): never looked up through `must`; the cases keep the switch exhaustive.
    case "lambda-function":
    case "lambda-hyperplane-eni":
      return err.lambdaFunctionNotFound(id);
    // EKS (issue 18): never looked up through `must`; the cases keep the switch exhaustive.
    case "eks-cluster":
    case "eks-nodegroup":
    case "eks-addon":
    case "eks-pod-set":
    case "eks-eni-config":
      return err.eksClusterNotFound(id);
  }
};

export const idKindOf = (kind: ResourceKind): IdKind | undefined => ID_KIND[kind];

/** Gets a resource or throws its Malformed (wrong form) or NotFound (unknown) error. */
export const must = <K extends ResourceKind>(tx: Tx, kind: K, id: string): ResourceKinds[K] => {
  const idKind = ID_KIND[kind];
  if (idKind) assertIdOf(idKind, id);
  const r = tx.get(kind, id);
  if (!r) throw notFound(kind, id);
  return r;
};
