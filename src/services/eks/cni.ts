/**
 * The Amazon VPC CNI on each node of a managed node group (issue 18), as ipamd documents it (amazon-vpc-cni-k8s
 * docs/cni-proposal.md, docs/eni-and-ip-target.md, docs/prefix-and-ip-target.md; shared/spec/dataplane.md §7):
 *
 * - Pod IPs are secondary private IPv4 addresses of the node's ENIs (the primary ENI first), or addresses of /28
 *   prefixes with ENABLE_PREFIX_DELEGATION on a Nitro type. The primary IP of an ENI is never a pod's.
 * - A warm pool is kept per node (WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET): when it
 *   runs short, ipamd assigns more addresses to an ENI with room, or creates and attaches another ENI (description
 *   `aws-K8S-<instance id>`, tags `node.k8s.amazonaws.com/instance_id` and `cluster.k8s.amazonaws.com/name`,
 *   DeleteOnTermination) on the default network card, up to the type's limit.
 * - Every address and ENI comes from EC2's own actions (CreateNetworkInterface, AttachNetworkInterface,
 *   ModifyNetworkInterfaceAttribute, AssignPrivateIpAddresses) in the caller's transaction, so every EC2 rule applies:
 *   the ENI limit, addresses per ENI, InsufficientFreeAddressesInSubnet. A failed EC2 call is caught and becomes a
 *   Pending pod's reason: each call used here finds all its addresses before claiming any, so a refused one wrote
 *   nothing.
 * - The kubelet's max pods (the EKS formula) bounds how many pods the scheduler puts on a node.
 */
import { parseCidr, usableIpv4Count } from "../../domain/cidr.js";
import {
  DEFAULT_CNI,
  IP_COOLDOWN_MS,
  maxPods,
  parseCniConfiguration,
  poolTarget,
  type CniSettings,
  type PoolLimits,
} from "../../domain/eks.js";
import { eniConfigKey, eniConfigNameForZone } from "../../domain/eks-eni-config.js";
import { Ec2Error } from "../../domain/errors.js";
import type {
  EksClusterRecord,
  EksNodegroupRecord,
  EksPod,
  EksPodSetRecord,
  InstanceRecord,
  NetworkInterfaceRecord,
} from "../../domain/types.js";
import { runEc2Action, type ActionContext } from "../ec2/seams.js";

/** What the catalogue says of a type, for the CNI (default network card only: the CNI manages card 0). */
export interface NodeFacts {
  readonly instanceType: string;
  readonly maxEnis: number;
  readonly ipv4PerEni: number;
  readonly vcpus: number;
  readonly nitro: boolean;
}

export const nodeFacts = (ctx: ActionContext, instanceType: string): NodeFacts | undefined => {
  const info = ctx.catalog.instanceTypes.get(instanceType);
  if (!info) return undefined;
  const n = info.NetworkInfo ?? {};
  const card = n.DefaultNetworkCardIndex ?? 0;
  const cardEnis = n.NetworkCards?.find((c) => (c.NetworkCardIndex ?? 0) === card)?.MaximumNetworkInterfaces;
  return {
    instanceType,
    maxEnis: cardEnis ?? n.MaximumNetworkInterfaces ?? 1,
    ipv4PerEni: n.Ipv4AddressesPerInterface ?? 1,
    vcpus: info.VCpuInfo?.DefaultVCpus ?? 1,
    nitro: info.Hypervisor === "nitro" || info.BareMetal === true,
  };
};

/** The cluster's vpc-cni settings (its add-on's configurationValues), else ipamd's defaults. */
export const cniSettingsOf = (ctx: ActionContext, cluster: string): CniSettings => {
  const a = ctx.tx.get("eks-addon", `eks-addon:${cluster}/vpc-cni`);
  return a ? parseCniConfiguration(a.configurationValues) : DEFAULT_CNI;
};

/** The 16 addresses of an IPv4 /28 prefix. */
const prefixAddresses = (prefix: string): string[] => {
  const c = parseCidr(prefix);
  if (!c) return [];
  const base = Number(c.network);
  return Array.from({ length: 16 }, (_, i) => {
    const v = base + i;
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  });
};

interface NodeState {
  readonly instance: InstanceRecord;
  readonly facts: NodeFacts;
  readonly prefixMode: boolean;
  readonly limits: PoolLimits;
  readonly maxPods: number;
  /**
   * Custom networking: the subnet and groups of the node's ENIConfig (the primary ENI then serves no pods), or why
   * the node has none; undefined without custom networking.
   */
  readonly custom: { readonly subnetId: string; readonly groupIds: readonly string[] } | { readonly missing: string } | undefined;
  enis: NetworkInterfaceRecord[];
  /** Pod IPs in use on this node. */
  readonly used: Set<string>;
  /** Released IPs still in their cooldown: neither free nor a pod's. */
  readonly cooling: Set<string>;
  /** Pods placed on the node (Running, or Pending waiting for an IP). */
  pods: number;
}

/** The ENIs the CNI may use: attached to the node on card 0, primary first, not tagged no_manage. */
const nodeEnis = (ctx: ActionContext, instanceId: string): NetworkInterfaceRecord[] =>
  ctx.tx
    .list("network-interface", { instanceId })
    .filter((e) => e.attachment?.instanceId === instanceId && e.attachment.networkCardIndex === 0)
    .filter((e) => !e.tags.some((t) => t.key === "node.k8s.amazonaws.com/no_manage"))
    .sort((a, b) => (a.attachment?.deviceIndex ?? 0) - (b.attachment?.deviceIndex ?? 0));

/** Pod IPs an ENI offers: its secondary IPs, or its prefixes' addresses. */
const eniPodIps = (e: NetworkInterfaceRecord, prefixMode: boolean): string[] =>
  prefixMode ? e.ipv4Prefixes.flatMap(prefixAddresses) : e.privateIps.filter((p) => !p.primary).map((p) => p.address);

/** Slots (secondary IPs or prefixes) an ENI holds: both take one of the type's IPv4-per-ENI places. */
const slotsUsed = (e: NetworkInterfaceRecord): number => e.privateIps.length - 1 + e.ipv4Prefixes.length;

/** The ENIs whose addresses go to pods: all of the node's, but the primary one under custom networking. */
const podEnis = (n: NodeState): NetworkInterfaceRecord[] =>
  n.custom === undefined ? n.enis : n.enis.filter((e) => (e.attachment?.deviceIndex ?? 0) !== 0);

const poolSize = (n: NodeState): number => podEnis(n).reduce((a, e) => a + eniPodIps(e, n.prefixMode).length, 0);

export interface CniRun {
  ec2Calls: number;
  readonly notes: string[];
}

const call = <T>(run: CniRun, fn: () => T): T | Ec2Error => {
  run.ec2Calls++;
  try {
    return fn();
  } catch (e) {
    if (e instanceof Ec2Error) return e;
    throw e;
  }
};

const refresh = (ctx: ActionContext, n: NodeState): void => {
  n.enis = nodeEnis(ctx, n.instance.id);
};

/**
 * Grows a node's pool by up to `units` slots (IPs or prefixes): on an ENI with room, else on a new ENI. Returns the
 * EC2 error or limit that stopped it, if any.
 */
const growOnce = (
  ctx: ActionContext,
  cluster: string,
  n: NodeState,
  units: number,
  run: CniRun,
): { code: string; message: string } | undefined => {
  const per = n.limits.slotsPerEni;
  if (n.custom !== undefined && "missing" in n.custom) return { code: "NoEniConfig", message: n.custom.missing };
  const custom = n.custom;
  const withRoom = podEnis(n).find((e) => slotsUsed(e) < per);
  if (withRoom) {
    const count = Math.min(units, per - slotsUsed(withRoom));
    const r = call(run, () =>
      runEc2Action(ctx, "AssignPrivateIpAddresses", {
        NetworkInterfaceId: withRoom.id,
        ...(n.prefixMode ? { Ipv4PrefixCount: count } : { SecondaryPrivateIpAddressCount: count }),
      }),
    );
    if (r instanceof Ec2Error) {
      // Fewer addresses may still fit (a nearly full subnet): ipamd asks again for one.
      if (count > 1) return growOnce(ctx, cluster, n, 1, run);
      return { code: r.code, message: r.message };
    }
    refresh(ctx, n);
    return undefined;
  }
  if (n.enis.length >= n.facts.maxEnis)
    return { code: "EniLimit", message: `${n.facts.instanceType} takes at most ${n.facts.maxEnis} ENIs on network card 0` };
  const primary = n.enis[0];
  const count = Math.min(units, per);
  const created = call(run, () =>
    runEc2Action(ctx, "CreateNetworkInterface", {
      // Custom networking: the ENIConfig's subnet and groups (its groups empty: the primary ENI's).
      SubnetId: custom?.subnetId ?? n.instance.subnetId!,
      Description: `aws-K8S-${n.instance.id}`,
      Groups: [...(custom && custom.groupIds.length > 0 ? custom.groupIds : (primary?.groupIds ?? []))].sort(),
      // Secondary IPs come with the ENI in one call; prefixes are assigned after (one claim per call: a refusal writes nothing).
      ...(n.prefixMode ? {} : { SecondaryPrivateIpAddressCount: count }),
      TagSpecifications: [
        {
          ResourceType: "network-interface",
          Tags: [
            { Key: "node.k8s.amazonaws.com/instance_id", Value: n.instance.id },
            { Key: "cluster.k8s.amazonaws.com/name", Value: cluster },
            { Key: "node.k8s.amazonaws.com/createdAt", Value: ctx.now.toISOString() },
          ],
        },
      ],
    }),
  );
  if (created instanceof Ec2Error) {
    if (!n.prefixMode && count > 1) return growOnce(ctx, cluster, n, 1, run);
    return { code: created.code, message: created.message };
  }
  const eniId = created.NetworkInterface!.NetworkInterfaceId!;
  const device = Math.max(...n.enis.map((e) => e.attachment?.deviceIndex ?? 0)) + 1;
  const attached = call(run, () =>
    runEc2Action(ctx, "AttachNetworkInterface", {
      NetworkInterfaceId: eniId,
      InstanceId: n.instance.id,
      DeviceIndex: device,
      NetworkCardIndex: 0,
    }),
  );
  if (attached instanceof Ec2Error) return { code: attached.code, message: attached.message };
  call(run, () =>
    runEc2Action(ctx, "ModifyNetworkInterfaceAttribute", {
      NetworkInterfaceId: eniId,
      Attachment: { AttachmentId: attached.AttachmentId!, DeleteOnTermination: true },
    }),
  );
  refresh(ctx, n);
  if (n.prefixMode) {
    const r = call(run, () => runEc2Action(ctx, "AssignPrivateIpAddresses", { NetworkInterfaceId: eniId, Ipv4PrefixCount: count }));
    if (r instanceof Ec2Error) return { code: r.code, message: r.message };
    refresh(ctx, n);
  }
  return undefined;
};

/** Grows the pool until it holds `want` pod IPs (or EC2 says no). */
const growTo = (
  ctx: ActionContext,
  cluster: string,
  n: NodeState,
  want: number,
  run: CniRun,
): { code: string; message: string } | undefined => {
  for (let guard = 0; guard < 64; guard++) {
    const have = poolSize(n);
    if (have >= want) return undefined;
    const units = Math.ceil((want - have) / n.limits.ipsPerSlot);
    const stop = growOnce(ctx, cluster, n, units, run);
    if (stop) return stop;
  }
  return undefined;
};

/** The node's ENIConfig (the one named after its zone), or why it has none. */
const customOf = (ctx: ActionContext, cluster: string, i: InstanceRecord): NonNullable<NodeState["custom"]> => {
  const name = eniConfigNameForZone(i.availabilityZone);
  const c = ctx.tx.get("eks-eni-config", eniConfigKey(cluster, name));
  if (!c)
    return {
      missing: `custom networking is on (AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true) but cluster ${cluster} has no ENIConfig named ${name} for the node's zone, so ipamd creates no ENI for pods (localvpc eks eni-config put --cluster ${cluster} --name ${name} --subnet …)`,
    };
  return { subnetId: c.subnetId, groupIds: c.securityGroupIds };
};

const nodeState = (
  ctx: ActionContext,
  cluster: string,
  i: InstanceRecord,
  s: CniSettings,
  pods: readonly EksPod[],
  cooling: ReadonlySet<string>,
): NodeState | undefined => {
  const facts = nodeFacts(ctx, i.instanceType);
  if (!facts) return undefined;
  const prefixMode = s.prefixDelegation && facts.nitro;
  const custom = s.customNetworking ? customOf(ctx, cluster, i) : undefined;
  const used = new Set(pods.filter((p) => p.node === i.id && p.ip !== undefined).map((p) => p.ip!));
  return {
    instance: i,
    facts,
    prefixMode,
    // Custom networking: the primary ENI holds no pod IPs, so the pool spans one ENI fewer.
    limits: {
      maxEnis: s.customNetworking ? facts.maxEnis - 1 : facts.maxEnis,
      slotsPerEni: facts.ipv4PerEni - 1,
      ipsPerSlot: prefixMode ? 16 : 1,
    },
    maxPods: maxPods(
      { enis: facts.maxEnis, ipv4PerEni: facts.ipv4PerEni, vcpus: facts.vcpus, nitro: facts.nitro },
      { prefixDelegation: prefixMode, customNetworking: s.customNetworking },
    ).maxPods,
    custom,
    enis: nodeEnis(ctx, i.id),
    used,
    cooling: new Set([...cooling].filter((ip) => !used.has(ip))),
    pods: pods.filter((p) => p.node === i.id).length,
  };
};

/** ipamd's reconcile on one node: the pool up to its warm target (best effort; a refusal is noted, not thrown). */
const reconcile = (ctx: ActionContext, cluster: string, n: NodeState, s: CniSettings, run: CniRun): void => {
  // Cooling IPs are not available, so they count with the used ones towards the warm target.
  const stop = growTo(ctx, cluster, n, poolTarget(n.used.size + n.cooling.size, s, n.limits), run);
  if (stop && stop.code !== "EniLimit")
    run.notes.push(`ipamd on ${n.instance.id} could not fill its warm pool: ${stop.code}: ${stop.message}`);
};

/** A new node's ipamd start: the warm pool of an empty node (used by CreateNodegroup/UpdateNodegroupConfig). */
export const startNodeCni = (ctx: ActionContext, cluster: string, instanceId: string): void => {
  const i = ctx.tx.get("instance", instanceId);
  if (!i) return;
  const s = cniSettingsOf(ctx, cluster);
  const n = nodeState(ctx, cluster, i, s, [], new Set());
  if (n) reconcile(ctx, cluster, n, s, { ec2Calls: 0, notes: [] });
};

const podSetKey = (cluster: string, ng: string): string => `eks-pods:${cluster}/${ng}`;

export const podSetOf = (ctx: ActionContext, cluster: string, ng: string): EksPodSetRecord =>
  ctx.tx.get("eks-pod-set", podSetKey(cluster, ng)) ?? { kind: "eks-pod-set", id: podSetKey(cluster, ng), tags: [], pods: [], next: 1 };

const freeIpOf = (n: NodeState): { ip: string; eni: string } | undefined => {
  for (const e of podEnis(n))
    for (const ip of eniPodIps(e, n.prefixMode)) if (!n.used.has(ip) && !n.cooling.has(ip)) return { ip, eni: e.id };
  return undefined;
};

const subnetFree = (ctx: ActionContext, subnetId: string | undefined): number => {
  const s = subnetId ? ctx.tx.get("subnet", subnetId) : undefined;
  const c = s?.cidrBlock ? parseCidr(s.cidrBlock) : undefined;
  return c && s ? usableIpv4Count(c) - ctx.tx.ipv4UsedInSubnet(s.id) : 0;
};

/** Why a pod placed on `n` got no IP, as the data plane explains a drop. */
const noIpReason = (ctx: ActionContext, n: NodeState, stop: { code: string; message: string }): { code: string; text: string } => {
  const podSubnet = n.custom && "subnetId" in n.custom ? n.custom.subnetId : n.instance.subnetId;
  const where = `node ${n.instance.id} (${n.facts.instanceType}, ${podSubnet})`;
  if (stop.code === "NoEniConfig") return { code: "NoEniConfig", text: `no free IP on ${where}: ${stop.message}` };
  if (stop.code === "EniLimit")
    return { code: "EniLimit", text: `no free IP on ${where}: its ${n.enis.length} ENIs are full and ${stop.message}` };
  if (stop.code === "InsufficientFreeAddressesInSubnet") {
    const free = subnetFree(ctx, podSubnet);
    if (n.prefixMode && free > 0)
      return {
        code: "PrefixFragmentation",
        text:
          `ipamd on ${where} asked EC2 for a /28 prefix and got InsufficientFreeAddressesInSubnet although ${free} addresses are free: ` +
          `no aligned /28 is left whole. Reserve /28-aligned space with a prefix subnet CIDR reservation ` +
          `(aws ec2 create-subnet-cidr-reservation --reservation-type prefix) or add a subnet`,
      };
    return {
      code: "InsufficientFreeAddressesInSubnet",
      text: `ipamd on ${where} asked EC2 for an address and got InsufficientFreeAddressesInSubnet: ${stop.message} (${free} free in ${podSubnet})`,
    };
  }
  return { code: stop.code, text: `ipamd on ${where} got ${stop.code} from EC2: ${stop.message}` };
};

export interface PodsAnswer {
  readonly cluster: string;
  readonly nodegroup: string;
  readonly replicas: number;
  readonly running: number;
  readonly pending: number;
  readonly settings: CniSettings;
  readonly nodes: readonly {
    readonly instanceId: string;
    readonly instanceType: string;
    readonly subnetId: string | undefined;
    readonly maxPods: number;
    readonly prefixDelegation: boolean;
    readonly pods: number;
    readonly enis: readonly {
      readonly networkInterfaceId: string;
      readonly deviceIndex: number;
      readonly podIps: number;
      readonly used: number;
      readonly cooling: number;
      readonly warm: number;
    }[];
  }[];
  readonly pods: readonly EksPod[];
  readonly ec2Calls: number;
  readonly notes: readonly string[];
}

/**
 * Sets the node group's pod count to `replicas` and schedules every Pending pod (fewest pods first, as the default
 * scheduler spreads them), each taking a free IP of its node's pool, which ipamd grows when empty and refills to its
 * warm target afterwards. Pods of nodes that are gone, or whose IP was taken from the ENI, are scheduled again.
 */
export const scalePods = (ctx: ActionContext, c: EksClusterRecord, ng: EksNodegroupRecord, replicas: number): PodsAnswer => {
  const run: CniRun = { ec2Calls: 0, notes: [] };
  const s = cniSettingsOf(ctx, c.name);
  const set = podSetOf(ctx, c.name, ng.name);
  const instances = ng.instanceIds
    .map((id) => ctx.tx.get("instance", id))
    .filter((i): i is InstanceRecord => i !== undefined && (i.state === "running" || i.state === "pending"));
  const live = new Set(instances.map((i) => i.id));
  // Pods whose node or IP is gone go back to Pending.
  const ipOnNode = new Map<string, Set<string>>();
  for (const i of instances)
    ipOnNode.set(i.id, new Set(nodeEnis(ctx, i.id).flatMap((e) => [...eniPodIps(e, false), ...eniPodIps(e, true)])));
  let pods: EksPod[] = set.pods.map((p) =>
    p.state === "Running" && p.node !== undefined && live.has(p.node) && p.ip !== undefined && ipOnNode.get(p.node)?.has(p.ip)
      ? p
      : { name: p.name, state: "Pending" },
  );
  // Scale down: Pending pods go first, then the newest; a Running pod's IP cools down before it is handed out again.
  let next = set.next;
  const nowMs = ctx.now.getTime();
  const cooling = (set.cooling ?? []).filter((c) => Date.parse(c.until) > nowMs && live.has(c.node));
  while (pods.length > replicas) {
    const k = pods.map((p) => p.state).lastIndexOf("Pending");
    const [gone] = pods.splice(k >= 0 ? k : pods.length - 1, 1);
    if (gone?.state === "Running" && gone.ip !== undefined && gone.node !== undefined)
      cooling.push({ ip: gone.ip, node: gone.node, until: new Date(nowMs + IP_COOLDOWN_MS).toISOString() });
  }
  while (pods.length < replicas) pods.push({ name: `${ng.name}-pod-${next++}`, state: "Pending" });
  const coolingOn = (id: string): Set<string> => new Set(cooling.filter((c) => c.node === id).map((c) => c.ip));
  const nodes = instances.map((i) => nodeState(ctx, c.name, i, s, pods, coolingOn(i.id))).filter((n): n is NodeState => n !== undefined);
  pods = pods.map((p) => {
    if (p.state === "Running") return p;
    // The scheduler: nodes under the kubelet's max pods (2 of which are host-network: aws-node, kube-proxy).
    const fit = nodes.filter((n) => n.pods < n.maxPods - 2).sort((a, b) => a.pods - b.pods)[0];
    if (!fit) {
      const text =
        nodes.length === 0
          ? "0/0 nodes are available: the node group has no running node"
          : `0/${nodes.length} nodes are available: ${nodes.length} Too many pods (max pods ${nodes.map((n) => `${n.instance.id} ${n.maxPods}`).join(", ")})`;
      return { name: p.name, state: "Pending", reasonCode: "TooManyPods", reason: text };
    }
    fit.pods++;
    let free = freeIpOf(fit);
    let stop: { code: string; message: string } | undefined;
    if (!free) {
      stop = growTo(ctx, c.name, fit, poolSize(fit) + 1, run);
      free = freeIpOf(fit);
    }
    if (!free) {
      const why = noIpReason(ctx, fit, stop ?? { code: "NoIp", message: "no address" });
      return { name: p.name, state: "Pending", node: fit.instance.id, reasonCode: why.code, reason: why.text };
    }
    fit.used.add(free.ip);
    return { name: p.name, state: "Running", node: fit.instance.id, ip: free.ip, eni: free.eni };
  });
  // ipamd refills each pool to its warm target in the background; here, before answering.
  for (const n of nodes) reconcile(ctx, c.name, n, s, run);
  ctx.tx.put({ ...set, pods, next, cooling });
  return {
    cluster: c.name,
    nodegroup: ng.name,
    replicas,
    running: pods.filter((p) => p.state === "Running").length,
    pending: pods.filter((p) => p.state === "Pending").length,
    settings: s,
    nodes: nodes.map((n) => ({
      instanceId: n.instance.id,
      instanceType: n.facts.instanceType,
      subnetId: n.instance.subnetId,
      maxPods: n.maxPods,
      prefixDelegation: n.prefixMode,
      pods: pods.filter((p) => p.node === n.instance.id && p.state === "Running").length,
      enis: n.enis.map((e) => {
        const ips = podEnis(n).includes(e) ? eniPodIps(e, n.prefixMode) : [];
        const used = ips.filter((ip) => n.used.has(ip)).length;
        const cool = ips.filter((ip) => n.cooling.has(ip)).length;
        return {
          networkInterfaceId: e.id,
          deviceIndex: e.attachment?.deviceIndex ?? 0,
          podIps: ips.length,
          used,
          cooling: cool,
          warm: ips.length - used - cool,
        };
      }),
    })),
    pods,
    ec2Calls: run.ec2Calls,
    notes: run.notes,
  };
};
