/**
 * `pod:NAME` endpoints of `traffic send` (issue 18): an EKS pod scheduled by the VPC CNI simulation
 * (services/eks/cni.ts) sends and receives with its own IP, a secondary IP (or a /28 prefix address) of one of its
 * node's ENIs, so that ENI's security groups, subnet NACL and routes apply.
 *
 * Outside the VPC the CNI source-NATs (EKS user guide, "Enable outbound internet access for pods": a pod talking to
 * "any IPv4 address that isn't within a CIDR block that's associated to your VPC" is translated "to the primary private
 * IPv4 address of the primary elastic network interface of the node"): ipamd's iptables rule SNATs and its policy
 * routing sends the packet out of the primary ENI (eth0), so the node's primary ENI, its groups and its subnet's routes
 * carry it. With `AWS_VPC_K8S_CNI_EXTERNALSNAT=true` the pod's IP leaves as it is, from the pod's own ENI, and only a
 * NAT gateway (or another device) on the subnet's route gets it out.
 *
 * Pods are found without scanning: their names are `<nodegroup>-pod-<n>`, so the pod set of each cluster's node group
 * of that name is one point lookup (`pod:CLUSTER/NAME` names the cluster when two have such a pod).
 */
import type { ProbeSource } from "../domain/dataplane/evaluate.js";
import { inNet, ipv4ToNumber } from "../domain/dataplane/ip.js";
import { MAX_IPV4 } from "../domain/dataplane/ip6.js";
import { eniOwns, type Topology } from "../domain/dataplane/topology.js";
import { DEFAULT_CNI, parseCniConfiguration } from "../domain/eks.js";
import { err } from "../domain/errors.js";
import type { Tx } from "../store/store.js";

export const POD_PREFIX = "pod:";

export const isPodEndpoint = (text: string): boolean => text.startsWith(POD_PREFIX);

/** A Running pod as the data plane sees it. */
export interface PodEndpoint {
  readonly text: string;
  readonly cluster: string;
  readonly name: string;
  readonly ip: string;
  readonly eniId: string;
  readonly nodeId: string;
  readonly externalSnat: boolean;
}

/** The Running pod a `pod:[CLUSTER/]NAME` endpoint names, or undefined when `text` names no pod. */
export const podEndpointOf = (tx: Tx, text: string, flag: "--from" | "--to"): PodEndpoint | undefined => {
  if (!isPodEndpoint(text)) return undefined;
  const rest = text.slice(POD_PREFIX.length);
  const slash = rest.indexOf("/");
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  const ng = /^(.+)-pod-\d+$/.exec(name)?.[1];
  if (ng === undefined) throw err.trafficPodNotFound(flag, text);
  const clusters = slash >= 0 ? [rest.slice(0, slash)] : tx.list("eks-cluster").map((c) => c.name);
  const found = clusters.flatMap((cluster) => {
    const pod = tx.get("eks-pod-set", `eks-pods:${cluster}/${ng}`)?.pods.find((p) => p.name === name);
    return pod ? [{ cluster, pod }] : [];
  });
  if (found.length === 0) throw err.trafficPodNotFound(flag, text);
  if (found.length > 1)
    throw err.trafficPodAmbiguous(
      name,
      found.map((f) => f.cluster),
    );
  const { cluster, pod } = found[0]!;
  if (pod.state !== "Running" || pod.ip === undefined || pod.eni === undefined || pod.node === undefined)
    throw err.trafficPodNotRunning(name, pod.reason ?? "it has no IP yet");
  const addon = tx.get("eks-addon", `eks-addon:${cluster}/vpc-cni`);
  let externalSnat = DEFAULT_CNI.externalSnat;
  try {
    externalSnat = parseCniConfiguration(addon?.configurationValues).externalSnat;
  } catch {
    // The add-on's configuration was validated when it was stored; a later schema change keeps the default.
  }
  return { text, cluster, name, ip: pod.ip, eniId: pod.eni, nodeId: pod.node, externalSnat };
};

/** The pod's IP as a destination, checked to be still on its ENI (a node gone takes its pods' addresses along). */
export const podDestination = (t: Topology, pod: PodEndpoint): string => {
  podEni(t, pod);
  return pod.ip;
};

const podEni = (t: Topology, pod: PodEndpoint): NonNullable<ReturnType<Topology["enis"]["get"]>> => {
  const eni = t.enis.get(pod.eniId);
  const ip = ipv4ToNumber(pod.ip);
  if (!eni || ip === undefined || !eniOwns(eni, ip))
    throw err.trafficPodNotRunning(pod.name, `its IP ${pod.ip} is no longer on ${pod.eniId} (scale the pods again to reschedule them)`);
  return eni;
};

/** Where a pod's packet to `dst` leaves from: the pod's ENI and IP, or, source-NATed, its node's primary ENI and IP. */
export const podProbeSource = (
  t: Topology,
  pod: PodEndpoint,
  dst: number,
): { readonly from: ProbeSource; readonly srcAddress: number | undefined; readonly note: string } => {
  const eni = podEni(t, pod);
  const own = { from: { kind: "eni", eniId: eni.id } as const, srcAddress: ipv4ToNumber(pod.ip) };
  const vpc = t.vpcs.get(eni.vpcId);
  const insideVpc = dst <= MAX_IPV4 && (vpc?.cidrs.some((c) => inNet(c, dst)) ?? false);
  if (insideVpc) return { ...own, note: `${pod.name} sends from its IP ${pod.ip} on ${eni.id} (node ${pod.nodeId}).` };
  if (pod.externalSnat)
    return {
      ...own,
      note: `${pod.name} sends from its IP ${pod.ip} on ${eni.id}: AWS_VPC_K8S_CNI_EXTERNALSNAT=true, so the node does not translate it; a NAT gateway on the subnet's route must.`,
    };
  const primary = t.primaryEniOf.get(pod.nodeId);
  if (!primary) throw err.trafficPodNotRunning(pod.name, `its node ${pod.nodeId} has no primary network interface`);
  return {
    from: { kind: "eni", eniId: primary.id },
    srcAddress: undefined,
    note: `${pod.name} (${pod.ip}) is outside the VPC's CIDR blocks from here: the VPC CNI source-NATs it to its node's primary IP and sends it out of the primary ENI ${primary.id} (set AWS_VPC_K8S_CNI_EXTERNALSNAT=true to keep the pod's IP).`,
  };
};
