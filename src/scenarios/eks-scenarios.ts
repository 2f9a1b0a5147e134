/**
 * eks-ip-exhaustion (issue 18): "When does my /24 run out, and does prefix delegation help?", answered by the EKS API
 * (REST-JSON), EC2's and localvpc's pod admin route (`POST /_localvpc/eks/pods`, the VPC CNI simulation) like any
 * client. Every number printed is read from an answer (subnets' free addresses, the pods' states and reasons, the
 * ENIs' addresses and /28 prefixes); the node counts are computed from the max-pods answer and the subnets' size.
 *   1. a VPC with a /24 subnet in each of two AZs, an EKS cluster, a node group of m5.large in secondary-IP mode,
 *      just large enough that its nodes' full ENIs overflow the subnets;
 *   2. pods scaled up 100 at a time until some stay Pending for want of addresses (InsufficientFreeAddressesInSubnet);
 *   3. the fix: the Pending pods are removed, the vpc-cni add-on gets ENABLE_PREFIX_DELEGATION, a /24 per AZ is added
 *      whose upper half is a `prefix` subnet CIDR reservation (so node addresses never fragment the /28 space), and
 *      a node group there takes the pods that were Pending: every replica runs, on /28 prefixes.
 */
import { asList, asObject, asString, type XmlObject } from "./ec2-query.js";
import { check, createVpc, fact, nameTags, waitFor, type Scenario, type ScenarioContext } from "./scenarios.js";
import { jsonObject, jsonString, type JsonObject } from "./service-clients.js";

const INSTANCE_TYPE = "m5.large";
const STEP_PODS = 100;

const clusterName = (ctx: ScenarioContext): string => `ip-exhaustion-${ctx.run}`;
const nodeRole = (ctx: ScenarioContext): string => `arn:aws:iam::${ctx.account}:role/eks-node-role`;

const subnetIn = async (ctx: ScenarioContext, vpcId: string, cidr: string, zone: string, name: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateSubnet", {
    VpcId: vpcId,
    CidrBlock: cidr,
    AvailabilityZone: `${ctx.region}${zone}`,
    ...nameTags("subnet", name),
  });
  return asString(asObject(r["subnet"])["subnetId"]);
};

/** AvailableIpAddressCount of the subnets, summed (EC2's own count of free addresses). */
const freeAddresses = async (ctx: ScenarioContext, subnetIds: readonly string[]): Promise<number> => {
  const params: Record<string, string> = {};
  subnetIds.forEach((id, i) => (params[`SubnetId.${i + 1}`] = id));
  const r = await ctx.ec2.call("DescribeSubnets", params);
  return asList(r["subnetSet"]).reduce((a, s) => a + Number(asString(s["availableIpAddressCount"])), 0);
};

const enisIn = async (ctx: ScenarioContext, subnetIds: readonly string[]): Promise<XmlObject[]> => {
  const params: Record<string, string> = { "Filter.1.Name": "subnet-id" };
  subnetIds.forEach((id, i) => (params[`Filter.1.Value.${i + 1}`] = id));
  return asList((await ctx.ec2.call("DescribeNetworkInterfaces", params))["networkInterfaceSet"]);
};

/** What the subnets' ENIs hold: ENIs, private addresses (primary and secondary), /28 prefixes. */
const holdings = async (
  ctx: ScenarioContext,
  subnetIds: readonly string[],
): Promise<{ enis: number; addresses: number; prefixes: string[] }> => {
  const enis = await enisIn(ctx, subnetIds);
  return {
    enis: enis.length,
    addresses: enis.reduce((a, e) => a + asList(e["privateIpAddressesSet"]).length, 0),
    prefixes: enis.flatMap((e) => asList(e["ipv4PrefixSet"]).map((p) => asString(p["ipv4Prefix"]))),
  };
};

interface PodsAnswer {
  readonly running: number;
  readonly pending: number;
  readonly pods: readonly { state: string; reasonCode?: string; reason?: string }[];
  readonly nodes: readonly { maxPods: number; enis: readonly { warm: number }[] }[];
}

const scalePods = async (ctx: ScenarioContext, nodegroup: string, replicas: number): Promise<PodsAnswer> =>
  (await ctx.admin("POST", "eks/pods", { cluster: clusterName(ctx), nodegroup, replicas })) as unknown as PodsAnswer;

const maxPodsOf = async (ctx: ScenarioContext, prefixDelegation: boolean): Promise<{ maxPods: number; formula: string }> =>
  (await ctx.admin("GET", `eks/max-pods?instanceType=${INSTANCE_TYPE}${prefixDelegation ? "&prefixDelegation=true" : ""}`)) as unknown as {
    maxPods: number;
    formula: string;
  };

const nodegroupPath = (ctx: ScenarioContext, ng = ""): string =>
  `/clusters/${encodeURIComponent(clusterName(ctx))}/node-groups${ng ? `/${ng}` : ""}`;

/** Creates a node group of `size` m5.large in `subnets` and waits until it is ACTIVE. */
const createNodegroup = async (ctx: ScenarioContext, name: string, subnets: readonly string[], size: number): Promise<JsonObject> => {
  await ctx.eks.call("CreateNodegroup", "POST", nodegroupPath(ctx), {
    nodegroupName: name,
    nodeRole: nodeRole(ctx),
    subnets: [...subnets],
    instanceTypes: [INSTANCE_TYPE],
    scalingConfig: { minSize: size, maxSize: size, desiredSize: size },
  });
  let ng: JsonObject = {};
  await waitFor(`node group ${name} ACTIVE`, async () => {
    ng = jsonObject((await ctx.eks.call("DescribeNodegroup", "GET", nodegroupPath(ctx, name)))["nodegroup"]);
    if (jsonString(ng["status"]) === "ACTIVE") return true;
    await ctx.admin("POST", "clock/advance", { ms: 60_000 });
    return false;
  });
  return ng;
};

const nodeCount = async (ctx: ScenarioContext, subnetIds: readonly string[]): Promise<number> => {
  const params: Record<string, string> = {
    "Filter.1.Name": "subnet-id",
    "Filter.2.Name": "tag:eks:cluster-name",
    "Filter.2.Value.1": clusterName(ctx),
  };
  subnetIds.forEach((id, i) => (params[`Filter.1.Value.${i + 1}`] = id));
  const r = await ctx.ec2.call("DescribeInstances", params);
  return asList(r["reservationSet"]).reduce((a, res) => a + asList(res["instancesSet"]).length, 0);
};

const warmOf = (a: PodsAnswer): number => a.nodes.reduce((n, node) => n + node.enis.reduce((m, e) => m + e.warm, 0), 0);

const firstPending = (a: PodsAnswer): { reasonCode?: string; reason?: string } | undefined => a.pods.find((p) => p.state === "Pending");

const ipExhaustion: Scenario = {
  name: "eks-ip-exhaustion",
  description:
    "EKS pod networking: a node group of m5.large in two /24 subnets runs out of addresses (pods Pending: InsufficientFreeAddressesInSubnet) long before its max pods; prefix delegation with a prefix subnet CIDR reservation in an added /24 per AZ runs the rest on /28 prefixes.",
  steps: [
    {
      title: "Create a VPC with a /24 subnet in each of two Availability Zones",
      run: async (ctx) => {
        const vpc = await createVpc(ctx, "10.90.0.0/16", `eks-ip-exhaustion-${ctx.run}`);
        ctx.facts["vpc"] = vpc;
        ctx.facts["subnetA"] = await subnetIn(ctx, vpc, "10.90.1.0/24", "a", `eks-a-${ctx.run}`);
        ctx.facts["subnetB"] = await subnetIn(ctx, vpc, "10.90.2.0/24", "b", `eks-b-${ctx.run}`);
        const free = await freeAddresses(ctx, [fact(ctx, "subnetA"), fact(ctx, "subnetB")]);
        return `${vpc}: ${fact(ctx, "subnetA")} 10.90.1.0/24 (${ctx.region}a), ${fact(ctx, "subnetB")} 10.90.2.0/24 (${ctx.region}b); ${free} free addresses (AWS keeps 5 of each /24)`;
      },
    },
    {
      title: "Create the EKS cluster in both subnets and wait for ACTIVE: its control-plane ENIs take addresses there",
      run: async (ctx) => {
        const name = clusterName(ctx);
        const subnets = [fact(ctx, "subnetA"), fact(ctx, "subnetB")];
        await ctx.eks.call("CreateCluster", "POST", "/clusters", {
          name,
          roleArn: `arn:aws:iam::${ctx.account}:role/eks-cluster-role`,
          resourcesVpcConfig: { subnetIds: subnets },
        });
        await waitFor(`cluster ${name} ACTIVE`, async () => {
          const c = jsonObject((await ctx.eks.call("DescribeCluster", "GET", `/clusters/${encodeURIComponent(name)}`))["cluster"]);
          if (jsonString(c["status"]) === "ACTIVE") return true;
          await ctx.admin("POST", "clock/advance", { ms: 60_000 });
          return false;
        });
        const cp = asList(
          (
            await ctx.ec2.call("DescribeNetworkInterfaces", {
              "Filter.1.Name": "description",
              "Filter.1.Value.1": `Amazon EKS ${name}`,
            })
          )["networkInterfaceSet"],
        );
        check(cp.length > 0, `no control-plane ENI "Amazon EKS ${name}" in the VPC`);
        ctx.facts["cluster"] = name;
        const free = await freeAddresses(ctx, subnets);
        return `${name} ACTIVE; ${cp.length} control-plane ENIs (${cp.map((e) => `${asString(e["networkInterfaceId"])} ${asString(e["privateIpAddress"])}`).join(", ")}); ${free} addresses left`;
      },
    },
    {
      title: `Create a node group of ${INSTANCE_TYPE} sized so that its nodes' ENIs, once full, need more addresses than the subnets have`,
      run: async (ctx) => {
        const subnets = [fact(ctx, "subnetA"), fact(ctx, "subnetB")];
        const types = await ctx.ec2.call("DescribeInstanceTypes", { "InstanceType.1": INSTANCE_TYPE });
        const net = asObject(asList(types["instanceTypeSet"])[0]?.["networkInfo"]);
        const enis = Number(asString(net["maximumNetworkInterfaces"]));
        const perEni = Number(asString(net["ipv4AddressesPerInterface"]));
        const mp = await maxPodsOf(ctx, false);
        const free = await freeAddresses(ctx, subnets);
        // One more node per subnet than the free addresses hold at enis × perEni each.
        const perSubnet = Math.floor(free / subnets.length / (enis * perEni)) + 1;
        const size = perSubnet * subnets.length;
        const ng = await createNodegroup(ctx, `secondary-ips-${ctx.run}`, subnets, size);
        ctx.facts["nodegroup"] = jsonString(ng["nodegroupName"]);
        const launched = await nodeCount(ctx, subnets);
        check(launched === size, `${launched} of the cluster's instances are in the subnets, expected ${size}`);
        ctx.facts["nodes"] = String(size);
        ctx.facts["maxPods"] = String(mp.maxPods);
        const h = await holdings(ctx, subnets);
        const left = await freeAddresses(ctx, subnets);
        return `${INSTANCE_TYPE}: ${enis} ENIs × ${perEni} IPv4 each, max pods ${mp.formula}; ${free} free addresses / (${enis} × ${perEni}) → ${perSubnet} nodes per subnet, ${size} in all (room for ${size * (mp.maxPods - 2)} pods by max pods, 2 of each node's being host-network). ${ctx.facts["nodegroup"]} ACTIVE: its ipamd warm pools hold ${h.addresses} addresses on ${h.enis} ENIs; ${left} left`;
      },
    },
    {
      title: `Scale pods up ${STEP_PODS} at a time until some stay Pending for want of addresses`,
      run: async (ctx) => {
        const subnets = [fact(ctx, "subnetA"), fact(ctx, "subnetB")];
        const ng = fact(ctx, "nodegroup");
        const room = Number(fact(ctx, "nodes")) * (Number(fact(ctx, "maxPods")) - 2);
        const trail: string[] = [];
        let a: PodsAnswer | undefined;
        let replicas = 0;
        while (replicas + STEP_PODS <= room) {
          replicas += STEP_PODS;
          a = await scalePods(ctx, ng, replicas);
          trail.push(`${replicas} → ${a.running} running`);
          if (a.pending > 0) break;
        }
        check(a !== undefined && a.pending > 0, `${replicas} pods all run: the subnets did not run out (${trail.join(", ")})`);
        const p = firstPending(a!)!;
        check(
          p.reasonCode === "InsufficientFreeAddressesInSubnet",
          `the first Pending pod's reason is ${p.reasonCode ?? "none"}, expected InsufficientFreeAddressesInSubnet: ${p.reason ?? ""}`,
        );
        const h = await holdings(ctx, subnets);
        const free = await freeAddresses(ctx, subnets);
        const warm = warmOf(a!);
        ctx.facts["replicas"] = String(replicas);
        ctx.facts["runningBefore"] = String(a!.running);
        ctx.facts["pendingBefore"] = String(a!.pending);
        ctx.facts["addressesBefore"] = String(h.addresses);
        ctx.facts["freeBefore"] = String(free);
        ctx.facts["warmBefore"] = String(warm);
        return `${trail.join(", ")}: ${a!.running} running, ${a!.pending} Pending, far below the ${room} max pods allow. Pod IPs in use: ${a!.running}; addresses held by the subnets' ${h.enis} ENIs: ${h.addresses} (${warm} of them warm in ipamd's pools, which only the pods of their own node can use); free in the subnets: ${free}. Pending because: ${p.reason ?? ""}`;
      },
    },
    {
      title: "Remove the Pending pods, and enable prefix delegation on the vpc-cni add-on (ENABLE_PREFIX_DELEGATION, WARM_PREFIX_TARGET=1)",
      run: async (ctx) => {
        const running = Number(fact(ctx, "runningBefore"));
        const a = await scalePods(ctx, fact(ctx, "nodegroup"), running);
        check(a.pending === 0 && a.running === running, `scaling to ${running} left ${a.running} running and ${a.pending} Pending`);
        const created = await ctx.eks.call("CreateAddon", "POST", `/clusters/${encodeURIComponent(clusterName(ctx))}/addons`, {
          addonName: "vpc-cni",
          configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } }),
        });
        const addon = jsonObject(created["addon"]);
        const mp = await maxPodsOf(ctx, true);
        ctx.facts["maxPodsPrefix"] = String(mp.maxPods);
        return `${fact(ctx, "nodegroup")} back to ${a.running} pods, none Pending; vpc-cni ${jsonString(addon["addonVersion"])} ${jsonString(addon["status"])} with ${jsonString(addon["configurationValues"])}; ${INSTANCE_TYPE} max pods with prefixes: ${mp.formula}`;
      },
    },
    {
      title: "Add a /24 per AZ whose upper /25 is a prefix subnet CIDR reservation (node addresses stay below it, /28s come from it)",
      run: async (ctx) => {
        const vpc = fact(ctx, "vpc");
        const lines: string[] = [];
        for (const [key, cidr, zone, reserved] of [
          ["prefixSubnetA", "10.90.3.0/24", "a", "10.90.3.128/25"],
          ["prefixSubnetB", "10.90.4.0/24", "b", "10.90.4.128/25"],
        ] as const) {
          const subnet = await subnetIn(ctx, vpc, cidr, zone, `eks-prefix-${zone}-${ctx.run}`);
          ctx.facts[key] = subnet;
          const r = await ctx.ec2.call("CreateSubnetCidrReservation", {
            SubnetId: subnet,
            Cidr: reserved,
            ReservationType: "prefix",
            Description: "EKS pod prefixes",
          });
          const res = asObject(r["subnetCidrReservation"]);
          check(asString(res["reservationType"]) === "prefix", `${reserved} was reserved as ${asString(res["reservationType"])}`);
          lines.push(
            `${subnet} ${cidr} (${ctx.region}${zone}): ${asString(res["subnetCidrReservationId"])} ${asString(res["cidr"])} prefix`,
          );
        }
        return lines.join("; ");
      },
    },
    {
      title: "Create a prefix-delegation node group in the new subnets and schedule the pods that were Pending on it",
      run: async (ctx) => {
        const subnets = [fact(ctx, "prefixSubnetA"), fact(ctx, "prefixSubnetB")];
        const moved = Number(fact(ctx, "pendingBefore"));
        const perNode = Number(fact(ctx, "maxPodsPrefix")) - 2;
        const size = Math.max(subnets.length, Math.ceil(moved / perNode));
        const ng = await createNodegroup(ctx, `prefixes-${ctx.run}`, subnets, size);
        ctx.facts["prefixNodegroup"] = jsonString(ng["nodegroupName"]);
        const a = await scalePods(ctx, fact(ctx, "prefixNodegroup"), moved);
        check(
          a.pending === 0,
          `${a.pending} of ${moved} pods are still Pending on ${fact(ctx, "prefixNodegroup")}: ${firstPending(a)?.reason ?? ""}`,
        );
        check(
          a.nodes.every((n) => n.maxPods === perNode + 2),
          `a node's max pods is not ${perNode + 2}`,
        );
        const h = await holdings(ctx, subnets);
        // The reservations are the upper /25 of each new /24: a prefix inside one has a last octet of 128 or more.
        const inReservation = h.prefixes.filter((p) => Number(p.split("/")[0]!.split(".")[3]) >= 128).length;
        check(h.prefixes.length > 0, `the prefix node group's ENIs hold no /28 prefix`);
        const free = await freeAddresses(ctx, subnets);
        const running = Number(fact(ctx, "runningBefore")) + a.running;
        ctx.facts["runningAfter"] = String(running);
        ctx.facts["prefixes"] = String(h.prefixes.length);
        ctx.facts["prefixesInReservation"] = String(inReservation);
        ctx.facts["prefixNodes"] = String(size);
        return `${fact(ctx, "prefixNodegroup")}: ${size} nodes (max pods ${perNode + 2} each); ${a.running} pods running, 0 Pending, on ${h.prefixes.length} /28 prefixes (${h.prefixes.length * 16} addresses, ${inReservation} prefixes inside the reservations: ${h.prefixes.join(", ")}) and ${h.enis} ENIs holding ${h.addresses} private addresses; ${free} free in the new subnets`;
      },
    },
    {
      title: "The difference",
      run: (ctx) => {
        const replicas = Number(fact(ctx, "replicas"));
        const before = Number(fact(ctx, "runningBefore"));
        const after = Number(fact(ctx, "runningAfter"));
        check(after > before, `${after} pods run after the fix, not more than the ${before} before`);
        check(after === replicas, `${after} of ${replicas} replicas run after the fix`);
        // Nothing to ask the server: the step compares what the earlier steps read from it.
        return Promise.resolve(
          `before: ${before} of ${replicas} pods running on ${fact(ctx, "nodes")} nodes, ${fact(ctx, "pendingBefore")} Pending, ${fact(ctx, "addressesBefore")} addresses held in the /24s (${fact(ctx, "warmBefore")} warm), ${fact(ctx, "freeBefore")} free; after: ${after} of ${replicas} running, the ${fact(ctx, "pendingBefore")} that were Pending on ${fact(ctx, "prefixNodes")} prefix-delegation nodes using ${fact(ctx, "prefixes")} /28 prefixes (max pods ${fact(ctx, "maxPodsPrefix")} instead of ${fact(ctx, "maxPods")})`,
        );
      },
    },
  ],
};

/** EKS's scenarios (issue 18), listed last by catalog.ts. */
export const EKS_SCENARIOS: readonly Scenario[] = [ipExhaustion];
