/**
 * What the services that put ENIs in a VPC say about them (issues 17 and 18), read the way any client would:
 *   - Lambda (ListFunctions: each function's VpcConfig). A Hyperplane ENI (interface type `lambda`) serves every
 *     function with its (subnet, security-group set), as AWS documents, so the functions of an ENI follow from that.
 *   - ELBv2 (DescribeLoadBalancers, DescribeListeners, DescribeTargetGroups, DescribeTargetHealth). A load balancer's
 *     ENIs are described `ELB <type>/<name>/<id>`, the tail of its ARN.
 *   - EKS: nodes are instances tagged `eks:cluster-name` / `eks:nodegroup-name`; the pods of each node group come
 *     from the admin route `GET /_localvpc/eks/pods` (EKS has no pod API: pods are Kubernetes').
 * Every read is bounded: one paged list per service, and per-resource calls (listeners, target health, pods) for at
 * most a fixed number of resources, whatever the account holds. A service that fails to answer leaves its part
 * empty and says why in `notes`, so the EC2 map is still drawn.
 */
import type { Caller, XmlObject } from "./ec2.js";
import { elbv2, jList, jObj, jStr, restJson, type Json } from "./service-clients.js";
import type { Eni, Topology } from "./model.js";
import { adminFetch } from "./token.js";

export interface LambdaFunction {
  readonly name: string;
  readonly arn: string;
  readonly state: string;
  readonly stateReasonCode: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly groupIds: readonly string[];
}
export interface TargetHealth {
  readonly id: string;
  readonly port: string;
  readonly state: string;
  readonly reason: string;
  readonly description: string;
}
export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly protocol: string;
  readonly port: string;
  readonly targetType: string;
  readonly lbArns: readonly string[];
  readonly targets: readonly TargetHealth[];
}
export interface Listener {
  readonly protocol: string;
  readonly port: string;
  readonly targetGroupArns: readonly string[];
}
export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly type: string;
  readonly scheme: string;
  readonly state: string;
  readonly dnsName: string;
  readonly vpcId: string;
  readonly zones: readonly { readonly zone: string; readonly subnetId: string }[];
  readonly listeners: readonly Listener[];
}
export interface EksPod {
  readonly name: string;
  readonly state: string;
  readonly node: string;
  readonly ip: string;
  readonly eni: string;
  readonly reason: string;
}
export interface EksNodegroupPods {
  readonly cluster: string;
  readonly nodegroup: string;
  readonly pods: readonly EksPod[];
}
export interface Services {
  readonly functions: readonly LambdaFunction[];
  readonly loadBalancers: readonly LoadBalancer[];
  readonly targetGroups: readonly TargetGroup[];
  readonly eks: readonly EksNodegroupPods[];
  /** Why a part is missing or cut short (a service that did not answer, a limit reached). */
  readonly notes: readonly string[];
}

export const NO_SERVICES: Services = { functions: [], loadBalancers: [], targetGroups: [], eks: [], notes: [] };

/** Pages read of a list call, and resources given a per-resource call, per redraw. */
export const MAX_PAGES = 5;
export const MAX_PER_RESOURCE_CALLS = 20;

const xList = (x: unknown): XmlObject[] =>
  Array.isArray(x) ? (x.filter((i) => typeof i === "object" && i !== null && !Array.isArray(i)) as XmlObject[]) : [];
const xStr = (x: unknown): string => (typeof x === "string" ? x : "");
const xObj = (x: unknown): XmlObject => (typeof x === "object" && x !== null && !Array.isArray(x) ? (x as XmlObject) : {});

const why = (what: string, e: unknown): string => `${what}: ${e instanceof Error ? e.message : String(e)}`;

const loadFunctions = async (caller: Caller, notes: string[]): Promise<LambdaFunction[]> => {
  const out: LambdaFunction[] = [];
  let marker = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = marker ? `?Marker=${encodeURIComponent(marker)}` : "";
    const r = await restJson(caller, "lambda", "ListFunctions", `/2015-03-31/functions/${q}`);
    for (const f of jList(r["Functions"])) {
      const o = jObj(f);
      const v = jObj(o["VpcConfig"]);
      out.push({
        name: jStr(o["FunctionName"]),
        arn: jStr(o["FunctionArn"]),
        state: jStr(o["State"]),
        stateReasonCode: jStr(o["StateReasonCode"]),
        vpcId: jStr(v["VpcId"]),
        subnetIds: jList(v["SubnetIds"]).map(jStr),
        groupIds: jList(v["SecurityGroupIds"]).map(jStr),
      });
    }
    marker = jStr(r["NextMarker"]);
    if (!marker) return out;
  }
  notes.push(`Lambda: only the first ${MAX_PAGES} pages of functions are drawn`);
  return out;
};

/** Reads a Marker-paged ELBv2 list. */
const elbPages = async (caller: Caller, action: string, member: string, notes: string[]): Promise<XmlObject[]> => {
  const out: XmlObject[] = [];
  let marker = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await elbv2(caller, action, marker ? { Marker: marker } : {});
    out.push(...xList(r[member]));
    marker = xStr(r["NextMarker"]);
    if (!marker) return out;
  }
  notes.push(`ELBv2: only the first ${MAX_PAGES} pages of ${action} are drawn`);
  return out;
};

const loadElb = async (caller: Caller, notes: string[]): Promise<{ lbs: LoadBalancer[]; tgs: TargetGroup[] }> => {
  const [lbRaw, tgRaw] = await Promise.all([
    elbPages(caller, "DescribeLoadBalancers", "LoadBalancers", notes),
    elbPages(caller, "DescribeTargetGroups", "TargetGroups", notes),
  ]);
  // Per-resource calls for a bounded number of resources only: a redraw must not cost a call per load balancer.
  const listenersOf = async (arn: string): Promise<Listener[]> => {
    const r = await elbv2(caller, "DescribeListeners", { LoadBalancerArn: arn });
    return xList(r["Listeners"]).map((l) => ({
      protocol: xStr(l["Protocol"]),
      port: xStr(l["Port"]),
      targetGroupArns: xList(l["DefaultActions"])
        .flatMap((a) => [
          xStr(a["TargetGroupArn"]),
          ...xList(xObj(a["ForwardConfig"])["TargetGroups"]).map((t) => xStr(t["TargetGroupArn"])),
        ])
        .filter((x, i, all) => x !== "" && all.indexOf(x) === i),
    }));
  };
  if (lbRaw.length > MAX_PER_RESOURCE_CALLS) notes.push(`ELBv2: listeners read for the first ${MAX_PER_RESOURCE_CALLS} load balancers`);
  const listeners = await Promise.all(
    lbRaw.map((l, i) => (i < MAX_PER_RESOURCE_CALLS ? listenersOf(xStr(l["LoadBalancerArn"])) : Promise.resolve([]))),
  );
  const lbs = lbRaw.map((l, i) => ({
    arn: xStr(l["LoadBalancerArn"]),
    name: xStr(l["LoadBalancerName"]),
    type: xStr(l["Type"]),
    scheme: xStr(l["Scheme"]),
    state: xStr(xObj(l["State"])["Code"]),
    dnsName: xStr(l["DNSName"]),
    vpcId: xStr(l["VpcId"]),
    zones: xList(l["AvailabilityZones"]).map((z) => ({ zone: xStr(z["ZoneName"]), subnetId: xStr(z["SubnetId"]) })),
    listeners: listeners[i] ?? [],
  }));
  // Health is read for the target groups a load balancer uses (the others' targets are all `unused`).
  const withLb = tgRaw.filter((t) => Array.isArray(t["LoadBalancerArns"]) && t["LoadBalancerArns"].length > 0);
  const healthFor = new Set(withLb.slice(0, MAX_PER_RESOURCE_CALLS).map((t) => xStr(t["TargetGroupArn"])));
  if (withLb.length > MAX_PER_RESOURCE_CALLS)
    notes.push(`ELBv2: target health read for the first ${MAX_PER_RESOURCE_CALLS} target groups in use`);
  const tgs = await Promise.all(
    tgRaw.map(async (t): Promise<TargetGroup> => {
      const arn = xStr(t["TargetGroupArn"]);
      const health = healthFor.has(arn) ? await elbv2(caller, "DescribeTargetHealth", { TargetGroupArn: arn }) : {};
      return {
        arn,
        name: xStr(t["TargetGroupName"]),
        protocol: xStr(t["Protocol"]),
        port: xStr(t["Port"]),
        targetType: xStr(t["TargetType"]),
        lbArns: Array.isArray(t["LoadBalancerArns"]) ? t["LoadBalancerArns"].map(xStr) : [],
        targets: xList(health["TargetHealthDescriptions"]).map((d) => {
          const target = xObj(d["Target"]);
          const th = xObj(d["TargetHealth"]);
          return {
            id: xStr(target["Id"]),
            port: xStr(target["Port"]),
            state: xStr(th["State"]),
            reason: xStr(th["Reason"]),
            description: xStr(th["Description"]),
          };
        }),
      };
    }),
  );
  return { lbs, tgs };
};

const loadPods = async (caller: Caller, topo: Topology, notes: string[]): Promise<EksNodegroupPods[]> => {
  const groups = new Map<string, { cluster: string; nodegroup: string }>();
  for (const i of topo.instances) {
    const cluster = i.tags["eks:cluster-name"];
    const nodegroup = i.tags["eks:nodegroup-name"];
    if (cluster && nodegroup) groups.set(`${cluster}/${nodegroup}`, { cluster, nodegroup });
  }
  const all = [...groups.values()];
  if (all.length > MAX_PER_RESOURCE_CALLS) notes.push(`EKS: pods read for the first ${MAX_PER_RESOURCE_CALLS} node groups`);
  return Promise.all(
    all.slice(0, MAX_PER_RESOURCE_CALLS).map(async (g) => {
      const q = new URLSearchParams({ cluster: g.cluster, nodegroup: g.nodegroup, account: caller.account, region: caller.region });
      const res = await adminFetch(`/_localvpc/eks/pods?${q.toString()}`);
      const body = (await res.json()) as { pods?: Json; message?: string };
      if (!res.ok) {
        notes.push(`EKS pods of ${g.cluster}/${g.nodegroup}: ${body.message ?? res.status}`);
        return { ...g, pods: [] };
      }
      const pods = jList(body.pods).map((p) => {
        const o = jObj(p);
        return {
          name: jStr(o["name"]),
          state: jStr(o["state"]),
          node: jStr(o["node"]),
          ip: jStr(o["ip"]),
          eni: jStr(o["eni"]),
          reason: jStr(o["reason"]),
        };
      });
      return { ...g, pods };
    }),
  );
};

/** Reads all three services in parallel; one that fails leaves its part empty (and a note). */
export const loadServices = async (caller: Caller, topo: Topology): Promise<Services> => {
  const notes: string[] = [];
  const hasLambdaEni = topo.enis.some((e) => e.type === "lambda");
  const hasElbEni = topo.enis.some((e) => e.description.startsWith("ELB "));
  const [functions, elb, eks] = await Promise.all([
    // Only when the map has something to hang them on: an account without such ENIs costs no extra call.
    hasLambdaEni ? loadFunctions(caller, notes).catch((e: unknown) => (notes.push(why("Lambda", e)), [])) : [],
    hasElbEni ? loadElb(caller, notes).catch((e: unknown) => (notes.push(why("ELBv2", e)), { lbs: [], tgs: [] })) : { lbs: [], tgs: [] },
    loadPods(caller, topo, notes).catch((e: unknown) => (notes.push(why("EKS", e)), [])),
  ]);
  return { functions, loadBalancers: elb.lbs, targetGroups: elb.tgs, eks, notes };
};

// ---------------------------------------------------------------- relations the map and details panels draw

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");

/** The functions a Lambda Hyperplane ENI serves: those whose VpcConfig has its subnet and exactly its groups. */
export const functionsOfEni = (s: Services, e: Eni): LambdaFunction[] =>
  e.type !== "lambda"
    ? []
    : s.functions.filter(
        (f) =>
          f.subnetIds.includes(e.subnetId) &&
          sameSet(
            f.groupIds,
            e.groups.map((g) => g.id),
          ),
      );

/** `net/NAME/ID` of `arn:…:loadbalancer/net/NAME/ID`, as the ENI's description carries it. */
const arnTail = (arn: string): string => arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);

/** The load balancer an ENI belongs to (its description is `ELB <type>/<name>/<id>`). */
export const loadBalancerOfEni = (s: Services, e: Eni): LoadBalancer | undefined =>
  e.requesterManaged && e.description.startsWith("ELB ")
    ? s.loadBalancers.find((l) => `ELB ${arnTail(l.arn)}` === e.description)
    : undefined;

/** The target groups a load balancer sends to. */
export const targetGroupsOf = (s: Services, lb: LoadBalancer): TargetGroup[] => s.targetGroups.filter((t) => t.lbArns.includes(lb.arn));

/** Pod IPs on an ENI: which are a Running pod's (used), how many of its addresses are free for pods (warm). */
export interface EniPods {
  readonly used: readonly { readonly ip: string; readonly pod: string }[];
  /** Secondary IPs (or addresses of its /28 prefixes) no pod holds: the warm pool (IPs in cooldown count here). */
  readonly warm: readonly string[];
  readonly warmPrefixAddresses: number;
}

/** `nodeEni`: the ENI is attached to an EKS node (its card 0 ENIs are the node's pod ENIs). */
export const podsOfEni = (s: Services, e: Eni, nodeEni: boolean): EniPods | undefined => {
  if (!nodeEni) return undefined;
  const used = s.eks.flatMap((g) => g.pods).filter((p) => p.eni === e.id && p.state === "Running" && p.ip);
  const usedIps = new Set(used.map((p) => p.ip));
  const warm = e.secondaryIps.filter((ip) => !usedIps.has(ip));
  // With prefix delegation the pool is the prefixes' addresses (16 per /28).
  const prefixAddresses = e.ipv4Prefixes.reduce((n, p) => n + 2 ** (32 - Number(p.split("/")[1] ?? "32")), 0);
  const usedInPrefixes = used.filter((p) => !e.secondaryIps.includes(p.ip)).length;
  return {
    used: used.map((p) => ({ ip: p.ip, pod: p.name })),
    warm,
    warmPrefixAddresses: Math.max(0, prefixAddresses - usedInPrefixes),
  };
};

/** The EKS node group an instance belongs to, from its tags. */
export const eksNodeOf = (tags: Readonly<Record<string, string>>): { cluster: string; nodegroup: string } | undefined => {
  const cluster = tags["eks:cluster-name"];
  const nodegroup = tags["eks:nodegroup-name"];
  return cluster && nodegroup ? { cluster, nodegroup } : undefined;
};
