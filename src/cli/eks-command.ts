/**
 * `localvpc eks …` (issue 18): pods on an EKS node group through the VPC CNI simulation, and EKS's max pods per
 * instance type. EKS has no pod API (pods are Kubernetes'), so these drive localvpc's admin routes.
 */
import type { Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

interface Pod {
  name: string;
  state: string;
  node?: string;
  ip?: string;
  eni?: string;
  reason?: string;
}
interface PodsAnswer {
  cluster: string;
  nodegroup: string;
  running: number;
  pending: number;
  ec2Calls?: number;
  nodes?: {
    instanceId: string;
    instanceType: string;
    maxPods: number;
    pods: number;
    prefixDelegation: boolean;
    enis: { networkInterfaceId: string; podIps: number; used: number; cooling: number; warm: number }[];
  }[];
  pods: Pod[];
  notes?: string[];
}

const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a count: ${v}`);
  return n;
};

/** Human rendering: a summary, each node's ENIs (used and warm IPs), the Pending pods with their reasons. */
const podsText = (a: PodsAnswer, all: boolean): string => {
  const lines = [
    `${a.cluster}/${a.nodegroup}: ${a.running} Running, ${a.pending} Pending${a.ec2Calls === undefined ? "" : ` (${a.ec2Calls} EC2 calls)`}`,
  ];
  for (const n of a.nodes ?? []) {
    lines.push(
      `  node ${n.instanceId} ${n.instanceType}: ${n.pods} pods, max ${n.maxPods}${n.prefixDelegation ? " (prefix delegation)" : ""}`,
    );
    for (const e of n.enis)
      lines.push(
        `    ${e.networkInterfaceId}: ${e.podIps} pod IPs, ${e.used} used, ${e.warm} warm${e.cooling > 0 ? `, ${e.cooling} cooling down` : ""}`,
      );
  }
  for (const p of a.pods) {
    if (p.state === "Pending") lines.push(`  ${p.name} Pending${p.node ? ` on ${p.node}` : ""}: ${p.reason ?? ""}`);
    else if (all) lines.push(`  ${p.name} Running on ${p.node} ${p.ip} (${p.eni})`);
  }
  for (const n of a.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join("\n");
};

export const registerEksCommand = (program: Command): void => {
  const eks = program.command("eks").description("EKS pod networking: schedule pods through the VPC CNI simulation, max pods per type");
  const pods = eks.command("pods").description("Pods of a managed node group (each gets an IP from its node's ENIs)");
  withAdminOptions(
    pods
      .command("scale")
      .description("Set the node group's pod count; answers which pods got IPs and why the others are Pending")
      .requiredOption("--cluster <name>", "EKS cluster")
      .requiredOption("--nodegroup <name>", "managed node group")
      .requiredOption("--replicas <n>", "how many pods", count),
  ).action(async (o: AdminCliOptions & { cluster: string; nodegroup: string; replicas: number }) => {
    const a = await callAdmin<PodsAnswer>(o, "POST", "eks/pods", { cluster: o.cluster, nodegroup: o.nodegroup, replicas: o.replicas });
    printAnswer(o, a, (x) => podsText(x, false));
  });
  withAdminOptions(
    pods
      .command("schedule")
      .description("Add pods to the node group")
      .requiredOption("--cluster <name>", "EKS cluster")
      .requiredOption("--nodegroup <name>", "managed node group")
      .requiredOption("--count <n>", "how many more pods", count),
  ).action(async (o: AdminCliOptions & { cluster: string; nodegroup: string; count: number }) => {
    const a = await callAdmin<PodsAnswer>(o, "POST", "eks/pods", { cluster: o.cluster, nodegroup: o.nodegroup, add: o.count });
    printAnswer(o, a, (x) => podsText(x, false));
  });
  withAdminOptions(
    pods
      .command("list")
      .description("Pods with their node, IP, ENI and state")
      .requiredOption("--cluster <name>", "EKS cluster")
      .requiredOption("--nodegroup <name>", "managed node group"),
  ).action(async (o: AdminCliOptions & { cluster: string; nodegroup: string }) => {
    const a = await callAdmin<PodsAnswer>(o, "GET", "eks/pods", { cluster: o.cluster, nodegroup: o.nodegroup });
    printAnswer(o, a, (x) => podsText(x, true));
  });
  withAdminOptions(
    eks
      .command("max-pods")
      .description("EKS's max pods for an instance type: ENIs × (IPv4 per ENI − 1) + 2, or the prefix-delegation formula")
      .requiredOption("--instance-type <type>", "e.g. m5.large")
      .option("--prefix-delegation", "with ENABLE_PREFIX_DELEGATION (Nitro only; capped at 110 or 250)")
      .option("--custom-networking", "with an ENIConfig (the primary ENI serves no pods)"),
  ).action(async (o: AdminCliOptions & { instanceType: string; prefixDelegation?: boolean; customNetworking?: boolean }) => {
    const a = await callAdmin<{ instanceType: string; maxPods: number; formula: string }>(o, "GET", "eks/max-pods", {
      instanceType: o.instanceType,
      prefixDelegation: o.prefixDelegation === true,
      customNetworking: o.customNetworking === true,
    });
    printAnswer(o, a, (x) => `${x.instanceType}: ${x.maxPods} pods (${x.formula})`);
  });
  registerEniConfigCommands(eks);
};

interface EniConfig {
  cluster: string;
  name: string;
  subnet: string;
  securityGroups: string[];
}
const eniConfigText = (c: EniConfig): string =>
  `${c.cluster} ENIConfig ${c.name}: pods in ${c.subnet}${c.securityGroups.length > 0 ? ` with ${c.securityGroups.join(", ")}` : " with the node's primary ENI's groups"}`;

/**
 * `localvpc eks eni-config put|list|delete`: custom networking's ENIConfigs (Kubernetes objects on a real cluster),
 * one per zone, used when the vpc-cni add-on sets AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true.
 */
const registerEniConfigCommands = (eks: Command): void => {
  const ec = eks.command("eni-config").description("Custom networking: the subnet and security groups of pods' ENIs, per zone");
  withAdminOptions(
    ec
      .command("put")
      .description("Create or replace an ENIConfig (name it after the zone its nodes are in)")
      .requiredOption("--cluster <name>", "EKS cluster")
      .requiredOption("--name <zone>", "ENIConfig name: the nodes' Availability Zone, e.g. us-east-1a")
      .requiredOption("--subnet <id>", "subnet the pods' ENIs go in")
      .option("--security-groups <ids...>", "security groups of the pods' ENIs (default: the node's primary ENI's)"),
  ).action(async (o: AdminCliOptions & { cluster: string; name: string; subnet: string; securityGroups?: string[] }) => {
    const a = await callAdmin<EniConfig>(o, "POST", "eks/eni-configs", {
      cluster: o.cluster,
      name: o.name,
      subnet: o.subnet,
      securityGroups: o.securityGroups ?? [],
    });
    printAnswer(o, a, eniConfigText);
  });
  withAdminOptions(ec.command("list").description("The cluster's ENIConfigs").requiredOption("--cluster <name>", "EKS cluster")).action(
    async (o: AdminCliOptions & { cluster: string }) => {
      const a = await callAdmin<{ eniConfigs: EniConfig[] }>(o, "GET", "eks/eni-configs", { cluster: o.cluster });
      printAnswer(o, a, (x) => (x.eniConfigs.length === 0 ? `${o.cluster}: no ENIConfig` : x.eniConfigs.map(eniConfigText).join("\n")));
    },
  );
  withAdminOptions(
    ec
      .command("delete")
      .description("Delete an ENIConfig")
      .requiredOption("--cluster <name>", "EKS cluster")
      .requiredOption("--name <zone>", "ENIConfig name"),
  ).action(async (o: AdminCliOptions & { cluster: string; name: string }) => {
    const a = await callAdmin<{ cluster: string; deleted: string }>(o, "DELETE", "eks/eni-configs", { cluster: o.cluster, name: o.name });
    printAnswer(o, a, (x) => `${x.cluster}: ENIConfig ${x.deleted} deleted`);
  });
};
