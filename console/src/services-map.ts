/**
 * The services drawn on their ENIs (issues 17, 18, 21), on top of the resource map:
 *   - a "Services" column in each VPC with its Lambda functions and load balancers; a function has an edge to each
 *     Hyperplane ENI it uses, a load balancer one to each of its per-AZ ENIs and one to each target, coloured by the
 *     target's health (healthy green, unhealthy red with the reason code, other states grey);
 *   - EKS nodes marked on their instance, and on each node ENI the pod IPs used and warm;
 *   - the details of a function, a load balancer (listeners, targets, health) and the service facts of an ENI;
 *   - the Bandwidth panel: the selected instance's per-card baseline and peak caps (DescribeInstanceTypes).
 * Every string shown is a text node (dom.ts).
 */
import type { ElementDefinition, StylesheetJson } from "cytoscape";
import { ec2, list, obj, str, type Caller, type XmlObject } from "./ec2.js";
import { factsTable, fill, h, type Child } from "./dom.js";
import type { Eni, Instance, Topology } from "./model.js";
import {
  eksNodeOf,
  functionsOfEni,
  loadBalancerOfEni,
  podsOfEni,
  targetGroupsOf,
  type LambdaFunction,
  type LoadBalancer,
  type Services,
  type TargetHealth,
} from "./services.js";

const servicesColumn = (vpcId: string): string => `col:svcs:${vpcId}`;
export const functionNodeId = (name: string): string => `fn:${name}`;
export const lbNodeId = (lb: LoadBalancer): string => `lb:${lb.name}`;

const LB_TITLE: Readonly<Record<string, string>> = { network: "Network load balancer", application: "Application load balancer" };

/** A target's health as one word for the map: healthy, unhealthy, or the other states AWS has (unused, draining…). */
const healthClass = (state: string): string => (state === "healthy" ? "healthy" : state === "unhealthy" ? "unhealthy" : "other");

const isNodeEni = (t: Topology, e: Eni): boolean => {
  const i = e.attachment ? t.instances.find((x) => x.id === e.attachment?.instanceId) : undefined;
  return i !== undefined && eksNodeOf(i.tags) !== undefined && e.attachment?.cardIndex === 0;
};

/** The instance (or ENI) a target stands for on the map: an instance id, or the ENI holding an `ip` target's address. */
const targetNode = (t: Topology, lb: LoadBalancer, target: TargetHealth, drawn: ReadonlySet<string>): string | undefined => {
  if (drawn.has(target.id)) return target.id;
  const eni = t.enis.find((e) => e.vpcId === lb.vpcId && (e.primaryIp === target.id || e.secondaryIps.includes(target.id)));
  return eni && drawn.has(eni.id) ? eni.id : undefined;
};

export const healthCounts = (s: Services, lb: LoadBalancer): { healthy: number; total: number } => {
  const targets = targetGroupsOf(s, lb).flatMap((g) => g.targets);
  return { healthy: targets.filter((x) => x.state === "healthy").length, total: targets.length };
};

/**
 * Adds the service facts to the map's own elements (in place): an EKS node's instance says so, a node ENI its pod IPs,
 * a Lambda ENI its functions. Answers the same array.
 */
export const decorate = (els: ElementDefinition[], t: Topology, s: Services): ElementDefinition[] => {
  const enis = new Map(t.enis.map((e) => [e.id, e]));
  const instances = new Map(t.instances.map((i) => [i.id, i]));
  for (const el of els) {
    const id = String(el.data.id);
    const kind: unknown = el.data["kind"];
    if (kind === "instance") {
      const node = eksNodeOf(instances.get(id)?.tags ?? {});
      if (node) el.data = { ...el.data, eks: "yes", label: `${String(el.data["label"])}\nEKS ${node.cluster}/${node.nodegroup}` };
    } else if (kind === "eni") {
      const e = enis.get(id);
      if (!e) continue;
      const pods = podsOfEni(s, e, isNodeEni(t, e));
      const fns = functionsOfEni(s, e);
      const extra = pods
        ? `pods ${pods.used.length} used · ${pods.warm.length + pods.warmPrefixAddresses} warm`
        : fns.length
          ? `λ ${fns
              .slice(0, 2)
              .map((f) => f.name)
              .join(", ")}${fns.length > 2 ? ` +${fns.length - 2}` : ""}`
          : "";
      if (extra) el.data = { ...el.data, svc: "yes", label: `${String(el.data["label"])}\n${extra}` };
    }
  }
  return els;
};

/** The Services column, function and load-balancer nodes, and their edges to ENIs and targets. */
export const serviceElements = (t: Topology, s: Services, drawn: ReadonlySet<string>): ElementDefinition[] => {
  const els: ElementDefinition[] = [];
  const vpcIds = new Set(t.vpcs.map((v) => v.id));
  const columns = new Set<string>();
  const column = (vpcId: string): string => {
    const id = servicesColumn(vpcId);
    if (!columns.has(id)) {
      columns.add(id);
      els.push({ data: { id, kind: "column", parent: vpcId, label: "Services" } });
    }
    return id;
  };
  const lambdaEnis = t.enis.filter((e) => e.type === "lambda" && drawn.has(e.id));
  for (const f of s.functions) {
    if (!vpcIds.has(f.vpcId)) continue;
    const id = functionNodeId(f.name);
    els.push({ data: { id, kind: "function", state: f.state, parent: column(f.vpcId), label: `Lambda function\n${f.name}\n${f.state}` } });
    for (const e of lambdaEnis)
      if (functionsOfEni(s, e).includes(f))
        els.push({ data: { id: `uses:${id}:${e.id}`, kind: "uses", source: id, target: e.id, label: "" } });
  }
  for (const lb of s.loadBalancers) {
    if (!vpcIds.has(lb.vpcId)) continue;
    const id = lbNodeId(lb);
    const c = healthCounts(s, lb);
    els.push({
      data: {
        id,
        kind: "load-balancer",
        health: c.total === 0 ? "none" : c.healthy === c.total ? "all" : c.healthy === 0 ? "down" : "some",
        parent: column(lb.vpcId),
        label: `${LB_TITLE[lb.type] ?? "Load balancer"}\n${lb.name}\n${lb.scheme} · ${lb.state}\n${c.healthy}/${c.total} targets healthy`,
      },
    });
    for (const e of t.enis)
      if (drawn.has(e.id) && loadBalancerOfEni(s, e) === lb)
        els.push({ data: { id: `lb-eni:${id}:${e.id}`, kind: "lb-eni", source: id, target: e.id, label: "" } });
    for (const g of targetGroupsOf(s, lb)) {
      for (const x of g.targets) {
        const to = targetNode(t, lb, x, drawn);
        if (!to) continue;
        els.push({
          data: {
            id: `target:${id}:${g.name}:${x.id}:${x.port}`,
            kind: "target",
            source: id,
            target: to,
            health: healthClass(x.state),
            label: `${g.name}:${x.port} ${x.state}${x.reason ? `\n${x.reason}` : ""}`,
          },
        });
      }
    }
  }
  return els;
};

export const SERVICE_STYLE: StylesheetJson = [
  {
    selector: 'node[kind = "function"], node[kind = "load-balancer"]',
    style: {
      shape: "round-rectangle",
      width: 190,
      height: 56,
      "text-wrap": "wrap",
      "text-valign": "center",
      "text-halign": "center",
      "border-width": 2,
    },
  },
  { selector: 'node[kind = "function"]', style: { "background-color": "#fff1e0", "border-color": "#d9822b" } },
  { selector: 'node[kind = "function"][state = "Failed"]', style: { "border-color": "#d23c3c", "border-style": "dashed" } },
  { selector: 'node[kind = "load-balancer"]', style: { "background-color": "#eaf5ff", "border-color": "#7b8ba3", height: 68 } },
  // The health badge: the border says whether every target, some, or none is healthy.
  { selector: 'node[kind = "load-balancer"][health = "all"]', style: { "border-color": "#2e9d5b", "border-width": 3 } },
  { selector: 'node[kind = "load-balancer"][health = "some"]', style: { "border-color": "#d9822b", "border-width": 3 } },
  { selector: 'node[kind = "load-balancer"][health = "down"]', style: { "border-color": "#d23c3c", "border-width": 3 } },
  { selector: 'node[kind = "eni"][svc = "yes"]', style: { height: 62 } },
  { selector: 'node[kind = "instance"][eks = "yes"]', style: { "border-color": "#2a8a94", "border-width": 2 } },
  { selector: 'edge[kind = "uses"]', style: { "line-color": "#d9822b", "target-arrow-color": "#d9822b", "line-style": "dotted" } },
  { selector: 'edge[kind = "lb-eni"]', style: { "line-color": "#7b8ba3", "target-arrow-shape": "none", "line-style": "dotted" } },
  { selector: 'edge[kind = "target"]', style: { label: "data(label)", width: 2.5 } },
  { selector: 'edge[kind = "target"][health = "healthy"]', style: { "line-color": "#2e9d5b", "target-arrow-color": "#2e9d5b" } },
  {
    selector: 'edge[kind = "target"][health = "unhealthy"]',
    style: { "line-color": "#d23c3c", "target-arrow-color": "#d23c3c", "line-style": "dashed" },
  },
  { selector: 'edge[kind = "target"][health = "other"]', style: { "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1" } },
];

// ---------------------------------------------------------------- details

const healthBadge = (x: TargetHealth): HTMLElement =>
  h(
    "span",
    { class: `health ${healthClass(x.state)}` },
    x.state,
    x.reason ? h("span", { class: "reason" }, ` ${x.reason}`) : null,
    x.description ? h("span", { class: "hint" }, ` — ${x.description}`) : null,
  );

const codes = (xs: readonly string[]): Child[] => (xs.length ? xs.flatMap((x, i) => [i ? " " : null, h("code", {}, x)]) : ["—"]);

const functionDetails = (t: Topology, f: LambdaFunction, s: Services): HTMLElement =>
  h(
    "div",
    {},
    h("h2", {}, `Lambda function ${f.name}`),
    factsTable([
      ["ARN", h("code", {}, f.arn)],
      ["state", `${f.state}${f.stateReasonCode ? ` (${f.stateReasonCode})` : ""}`],
      ["VPC", f.vpcId],
      ["subnets", codes(f.subnetIds)],
      ["security groups", codes(f.groupIds)],
      ["Hyperplane ENIs", codes(t.enis.filter((e) => functionsOfEni(s, e).includes(f)).map((e) => e.id))],
    ]),
  );

const lbDetails = (t: Topology, lb: LoadBalancer, s: Services): HTMLElement => {
  const c = healthCounts(s, lb);
  return h(
    "div",
    {},
    h("h2", {}, `${LB_TITLE[lb.type] ?? "Load balancer"} ${lb.name}`),
    factsTable([
      ["ARN", h("code", {}, lb.arn)],
      ["scheme / state", `${lb.scheme} · ${lb.state}`],
      ["DNS name", h("code", {}, lb.dnsName)],
      ["zones", lb.zones.map((z) => `${z.zone} (${z.subnetId})`).join(", ") || "—"],
      ["ENIs", codes(t.enis.filter((e) => loadBalancerOfEni(s, e) === lb).map((e) => e.id))],
      ["listeners", lb.listeners.map((l) => `${l.protocol}:${l.port}`).join(", ") || "—"],
      ["targets healthy", `${c.healthy} of ${c.total}`],
    ]),
    ...targetGroupsOf(s, lb).map((g) =>
      h(
        "div",
        { class: "target-group" },
        h("h3", {}, `Target group ${g.name} (${g.protocol}:${g.port}, ${g.targetType})`),
        g.targets.length
          ? h(
              "table",
              { class: "targets" },
              h("tr", {}, h("th", {}, "target"), h("th", {}, "port"), h("th", {}, "health")),
              ...g.targets.map((x) => h("tr", {}, h("td", {}, h("code", {}, x.id)), h("td", {}, x.port), h("td", {}, healthBadge(x)))),
            )
          : h("p", { class: "hint" }, "No targets registered."),
      ),
    ),
  );
};

/** Details for a function or load-balancer node; undefined for any other id. */
export const serviceDetails = (t: Topology, s: Services, id: string): HTMLElement | undefined => {
  const f = s.functions.find((x) => functionNodeId(x.name) === id);
  if (f) return functionDetails(t, f, s);
  const lb = s.loadBalancers.find((x) => lbNodeId(x) === id);
  return lb ? lbDetails(t, lb, s) : undefined;
};

/** What the services say about an ENI (its functions, its load balancer, its pod IPs), for the ENI's details. */
export const eniServiceFacts = (t: Topology, s: Services, e: Eni): HTMLElement | null => {
  const fns = functionsOfEni(s, e);
  const lb = loadBalancerOfEni(s, e);
  const pods = podsOfEni(s, e, isNodeEni(t, e));
  if (!fns.length && !lb && !pods) return null;
  const rows: [string, Child | Child[]][] = [];
  if (e.type === "lambda") rows.push(["functions using it", fns.length ? codes(fns.map((f) => f.name)) : "—"]);
  if (lb) rows.push(["load balancer", `${lb.name} (${lb.type})`]);
  const box = h("div", { class: "eni-services" }, ...(rows.length ? [h("h3", {}, "Services"), factsTable(rows)] : []));
  if (pods) {
    box.append(
      h("h3", {}, `Pod IPs: ${pods.used.length} used · ${pods.warm.length + pods.warmPrefixAddresses} warm`),
      h(
        "ul",
        { class: "pod-ips" },
        ...pods.used.map((p) => h("li", { class: "pod-ip used" }, h("code", {}, p.ip), " used by ", h("strong", {}, p.pod))),
        ...pods.warm.map((ip) => h("li", { class: "pod-ip warm" }, h("code", {}, ip), " warm")),
        pods.warmPrefixAddresses ? h("li", { class: "pod-ip warm" }, `${pods.warmPrefixAddresses} warm addresses in /28 prefixes`) : null,
      ),
    );
  }
  return box;
};

/** An EKS node's facts for the instance details (null for any other instance). */
export const instanceServiceFacts = (s: Services, i: Instance): HTMLElement | null => {
  const node = eksNodeOf(i.tags);
  if (!node) return null;
  const pods = s.eks.find((g) => g.cluster === node.cluster && g.nodegroup === node.nodegroup)?.pods.filter((p) => p.node === i.id) ?? [];
  return h(
    "div",
    { class: "eni-services" },
    h("h3", {}, "EKS node"),
    factsTable([
      ["cluster / node group", `${node.cluster} / ${node.nodegroup}`],
      ["pods", `${pods.filter((p) => p.state === "Running").length} running`],
    ]),
  );
};

// ---------------------------------------------------------------- bandwidth (issue 21)

export interface CardCaps {
  readonly cardIndex: number;
  readonly baselineGbps: number;
  readonly peakGbps: number;
  readonly performance: string;
}
export interface TypeBandwidth {
  readonly performance: string;
  readonly cards: readonly CardCaps[];
}

/** One DescribeInstanceTypes call per type, kept for the page's life (type data does not change). */
const typeCache = new Map<string, Promise<TypeBandwidth>>();
const num = (x: XmlObject, k: string): number => Number(str(x[k]) || "0");

export const bandwidthOf = (caller: Caller, type: string): Promise<TypeBandwidth> => {
  let p = typeCache.get(type);
  if (!p) {
    p = ec2(caller, "DescribeInstanceTypes", { "InstanceType.1": type }).then((r) => {
      const info = obj(list(r["instanceTypeSet"])[0]?.["networkInfo"]);
      return {
        performance: str(info["networkPerformance"]),
        cards: list(info["networkCards"]).map((c, i) => {
          // As domain/bandwidth.ts reads the type data: a card without a baseline runs at its peak.
          const peak = num(c, "peakBandwidthInGbps");
          const baseline = str(c["baselineBandwidthInGbps"]) ? num(c, "baselineBandwidthInGbps") : peak;
          return {
            cardIndex: str(c["networkCardIndex"]) ? num(c, "networkCardIndex") : i,
            baselineGbps: baseline,
            peakGbps: peak || baseline,
            performance: str(c["networkPerformance"]),
          };
        }),
      };
    });
    p.catch(() => typeCache.delete(type));
    typeCache.set(type, p);
  }
  return p;
};

let bandwidthFor = "";

/** Fills the Bandwidth panel for an instance (or its hint when none is selected). */
export const showBandwidth = async (
  caller: Caller,
  t: Topology,
  i: Instance | undefined,
  hook: { bandwidthRenders: number },
): Promise<void> => {
  const box = document.getElementById("bandwidth");
  if (!box) return;
  const head = h("h2", {}, "Bandwidth");
  bandwidthFor = i?.id ?? "";
  if (!i) {
    fill(box, head, h("p", { class: "hint" }, "Select an instance (or one of its ENIs) to see its bandwidth caps."));
    return;
  }
  let b: TypeBandwidth;
  try {
    b = await bandwidthOf(caller, i.type);
  } catch (e) {
    fill(box, head, h("p", { class: "hint" }, `DescribeInstanceTypes ${i.type}: ${e instanceof Error ? e.message : String(e)}`));
    return;
  }
  if (bandwidthFor !== i.id) return;
  const enis = t.enis.filter((e) => e.attachment?.instanceId === i.id);
  fill(
    box,
    head,
    h("p", {}, h("code", {}, i.id), ` · ${i.type} · ${b.performance || "—"}`),
    h(
      "table",
      { class: "caps", id: "bandwidth-caps" },
      h("tr", {}, h("th", {}, "card"), h("th", {}, "baseline"), h("th", {}, "peak"), h("th", {}, "ENIs on it")),
      ...b.cards.map((c) => {
        const on = enis.filter((e) => (e.attachment?.cardIndex ?? 0) === c.cardIndex);
        const row = h(
          "tr",
          {},
          h("td", {}, c.cardIndex),
          h("td", {}, `${c.baselineGbps} Gbps`),
          h("td", {}, `${c.peakGbps} Gbps`),
          h("td", {}, on.length ? on.map((e) => e.id).join(", ") : "—"),
        );
        row.dataset["card"] = String(c.cardIndex);
        return row;
      }),
    ),
    h(
      "p",
      { class: "hint" },
      "The cap is per card and per direction: more ENIs on one card never raise it (no NIC teaming). One flow gets at most 5 Gbps " +
        "(10 Gbps inside a cluster placement group).",
      b.cards.some((c) => c.baselineGbps < c.peakGbps) ? " Above the baseline the instance bursts to its peak for a limited time." : null,
    ),
  );
  hook.bandwidthRenders++;
};
