/**
 * VPC CNI custom networking (issue 18): ENIConfig custom resources, one per Availability Zone, name the subnet and the
 * security groups the node's secondary ENIs (and so its pods) use, while the node's primary ENI keeps its own subnet and
 * serves no pods (EKS user guide, "Customize the secondary network interface in Amazon EKS nodes"; the CNI's
 * AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG). localvpc has no Kubernetes API, so ENIConfigs are set through its admin route.
 * A node picks the ENIConfig named after its zone, as with ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone (the
 * guide's recommended setup). Pure: no I/O.
 */
import { err } from "./errors.js";

export interface EniConfigSpec {
  readonly name: string;
  readonly subnetId: string;
  /** Empty: the ENIs take the node's primary ENI's groups (the CNI's behaviour when `securityGroups` is omitted; unverified). */
  readonly securityGroupIds: readonly string[];
}

/** A Kubernetes object name (RFC 1123 subdomain): lowercase alphanumerics, '-' and '.', at most 253 characters. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** An ENI takes at most five security groups (the default quota; EC2's own rule still applies when it is created). */
export const ENI_CONFIG_MAX_GROUPS = 5;

export const eniConfigKey = (cluster: string, name: string): string => `eks-eni-config:${cluster}/${name}`;

/** The ENIConfig a node uses: the one named after its Availability Zone. */
export const eniConfigNameForZone = (zone: string): string => zone;

/** Checks an ENIConfig against the cluster's VPC: a valid name, a subnet and up to five groups of that VPC. */
export const checkEniConfig = (
  spec: EniConfigSpec,
  clusterVpcId: string,
  look: { subnetVpc: (id: string) => string | undefined; groupVpc: (id: string) => string | undefined },
): EniConfigSpec => {
  if (!K8S_NAME.test(spec.name)) throw err.eksEniConfigNameInvalid(spec.name);
  const sv = look.subnetVpc(spec.subnetId);
  if (sv === undefined) throw err.eksSubnetNotFound(spec.subnetId);
  if (sv !== clusterVpcId) throw err.eksNodegroupSubnetOtherVpc(spec.subnetId);
  if (spec.securityGroupIds.length > ENI_CONFIG_MAX_GROUPS) throw err.eksTooManyGroups();
  const groups = [...new Set(spec.securityGroupIds)];
  for (const g of groups) {
    const gv = look.groupVpc(g);
    if (gv === undefined) throw err.eksSecurityGroupNotFound(g);
    if (gv !== clusterVpcId) throw err.eksSecurityGroupOtherVpc(g, clusterVpcId);
  }
  return { name: spec.name, subnetId: spec.subnetId, securityGroupIds: groups };
};
