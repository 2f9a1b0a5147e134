/**
 * Topology → Cytoscape elements. Containment is the structure (VPC ⊃ AZ ⊃ subnet ⊃ instance ⊃ ENI); ELK packs
 * every level automatically (no hand-placed coordinates). Unattached ENIs and requester-managed ENIs sit in groups
 * of their own inside their subnet, apart from the instances.
 */
import type { ElementDefinition, LayoutOptions, StylesheetJson } from "cytoscape";
import type { Eni, Topology } from "./model.js";
import { networkElements, subnetsColumn } from "./resource-map.js";

export type Kind =
  "vpc" | "column" | "az" | "subnet" | "instance" | "eni" | "unattached" | "managed" | "route-table" | "gateway" | "internet";

const short = (id: string): string => id;

export const eniLabel = (e: Eni, homeSubnet?: string): string => {
  const lines = [short(e.id)];
  lines.push(e.attachment ? `dev ${e.attachment.deviceIndex} · card ${e.attachment.cardIndex}` : e.status);
  const extra = [
    e.secondaryIps.length ? `+${e.secondaryIps.length} ip` : "",
    e.ipv4Prefixes.length ? `${e.ipv4Prefixes.length} pfx` : "",
    e.ipv6.length ? `${e.ipv6.length} v6` : "",
  ].filter(Boolean);
  lines.push(`${e.primaryIp}${extra.length ? ` (${extra.join(", ")})` : ""}`);
  const pub = e.publicIps.map((p) => `${p.allocationId ? "EIP" : "pub"} ${p.publicIp}`);
  if (pub.length) lines.push(pub.join(", "));
  // An ENI in another subnet than its instance (a management or data ENI) says so.
  if (homeSubnet && homeSubnet !== e.subnetId) lines.push(`in ${e.subnetId}`);
  return lines.join("\n");
};

export const elementsOf = (t: Topology): ElementDefinition[] => {
  const els: ElementDefinition[] = [];
  const instanceIds = new Set(t.instances.map((i) => i.id));
  const instanceSubnet = new Map(t.instances.map((i) => [i.id, i.subnetId]));
  const subnetIds = new Set(t.subnets.map((s) => s.id));
  const azNodes = new Set<string>();
  const groups = new Set<string>();
  for (const v of t.vpcs) {
    els.push({
      data: { id: v.id, kind: "vpc", label: `${v.name ? `${v.name} · ` : ""}${v.id} · ${v.cidr}${v.isDefault ? " (default)" : ""}` },
    });
    els.push({ data: { id: subnetsColumn(v.id), kind: "column", parent: v.id, label: "Subnets" } });
  }
  for (const s of t.subnets) {
    const az = `az:${s.vpcId}:${s.az}`;
    if (!azNodes.has(az)) {
      azNodes.add(az);
      els.push({ data: { id: az, kind: "az", parent: subnetsColumn(s.vpcId), label: s.az } });
    }
    els.push({ data: { id: s.id, kind: "subnet", parent: az, label: `${s.name ? `${s.name} · ` : ""}${s.cidr}\n${s.id}` } });
  }
  for (const i of t.instances) {
    els.push({
      data: {
        id: i.id,
        kind: "instance",
        state: i.state,
        ...(subnetIds.has(i.subnetId) ? { parent: i.subnetId } : {}),
        label: `${i.name ? `${i.name}\n` : ""}${i.type} · ${i.state}\n${i.id}`,
      },
    });
  }
  const group = (kind: "unattached" | "managed", subnetId: string): string => {
    const id = `${kind}:${subnetId}`;
    if (!groups.has(id)) {
      groups.add(id);
      els.push({ data: { id, kind, parent: subnetId, label: kind === "managed" ? "requester-managed" : "unattached" } });
    }
    return id;
  };
  for (const e of t.enis) {
    let parent: string | undefined;
    const home = e.attachment ? instanceSubnet.get(e.attachment.instanceId) : undefined;
    if (e.requesterManaged) parent = group("managed", e.subnetId);
    else if (e.attachment && instanceIds.has(e.attachment.instanceId)) parent = e.attachment.instanceId;
    else if (subnetIds.has(e.subnetId)) parent = group("unattached", e.subnetId);
    els.push({
      data: {
        id: e.id,
        kind: "eni",
        label: eniLabel(e, home),
        primary: e.attachment?.deviceIndex === 0 && e.attachment.cardIndex === 0 ? "yes" : "no",
        managed: e.requesterManaged ? "yes" : "no",
        srcdst: e.sourceDestCheck ? "on" : "off",
        eip: e.publicIps.some((p) => p.allocationId) ? "yes" : "no",
        ...(parent ? { parent } : {}),
      },
    });
  }
  els.push(...networkElements(t, new Set(els.map((e) => String(e.data.id)))));
  return els;
};

export const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      "font-size": 10,
      color: "#1f2933",
      // A label that would be drawn under 8 px is not drawn at all (an unreadable smudge helps nobody): zoom to a
      // subnet (double-click it, or pick it in the Subnets list) to read its ENIs.
      "min-zoomed-font-size": 8,
    },
  },
  {
    selector: ":parent",
    style: {
      "text-valign": "top",
      "text-halign": "center",
      "text-margin-y": -4,
      "font-weight": "bold",
      "text-wrap": "wrap",
      "text-max-width": "200px",
      shape: "round-rectangle",
      padding: "12px",
      "border-width": 1,
    },
  },
  {
    selector: 'node[kind = "vpc"]',
    style: { "background-color": "#eef4ff", "border-color": "#3b6fd8", "border-width": 2, "font-size": 13 },
  },
  {
    selector: 'node[kind = "az"]',
    style: { "background-color": "#f7f9fc", "border-color": "#9aa9c1", "border-style": "dashed", "font-size": 12 },
  },
  { selector: 'node[kind = "subnet"]', style: { "background-color": "#ffffff", "border-color": "#4c9a6a", "font-size": 11 } },
  { selector: 'node[kind = "instance"]', style: { "background-color": "#fff8e6", "border-color": "#c98a0b", "font-size": 11 } },
  {
    selector: 'node[kind = "instance"][state = "stopped"]',
    style: { "background-color": "#f1f1f1", "border-color": "#888", color: "#666" },
  },
  { selector: 'node[kind = "unattached"]', style: { "background-color": "#fdf0f0", "border-color": "#c24d4d", "border-style": "dashed" } },
  { selector: 'node[kind = "managed"]', style: { "background-color": "#f2eefb", "border-color": "#7656b8", "border-style": "dashed" } },
  {
    selector: 'node[kind = "eni"]',
    style: {
      shape: "round-rectangle",
      // Sized to the label (4 lines at most, ~24 monospace characters): at 200 ENIs space decides legibility.
      width: 148,
      height: 50,
      "text-wrap": "wrap",
      "text-valign": "center",
      "text-halign": "center",
      "background-color": "#dcebff",
      "border-width": 1,
      "border-color": "#3b6fd8",
    },
  },
  { selector: 'node[kind = "eni"][primary = "yes"]', style: { "background-color": "#c9dbf7", "border-width": 2 } },
  { selector: 'node[kind = "eni"][managed = "yes"]', style: { "background-color": "#e7e0f7", "border-color": "#7656b8" } },
  { selector: 'node[kind = "eni"][eip = "yes"]', style: { "border-color": "#b8860b", "border-width": 3 } },
  { selector: 'node[kind = "eni"][srcdst = "off"]', style: { "border-style": "dashed" } },
  {
    selector: 'node[kind = "subnet"]:childless',
    style: {
      shape: "round-rectangle",
      width: 190,
      height: 34,
      "text-wrap": "wrap",
      "text-valign": "center",
      "background-color": "#ffffff",
      "border-width": 1,
      "border-color": "#4c9a6a",
    },
  },
  // Overview labels (zoomed far out, see main.ts): a subnet's name centred on it, on a light background.
  {
    selector: 'node[kind = "subnet"].overview',
    style: {
      "text-valign": "center",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": "3px",
      "text-background-shape": "roundrectangle",
      color: "#1d5c37",
      // Drawn above its children (a parent's label is otherwise under them), with a see-through body.
      "z-compound-depth": "top",
      "background-opacity": 0,
    },
  },
  { selector: "node:selected", style: { "overlay-color": "#3b6fd8", "overlay-opacity": 0.15, "overlay-padding": 4 } },
  { selector: "node.match", style: { "underlay-color": "#ffcc00", "underlay-opacity": 0.7, "underlay-padding": 6 } },
  // Live traffic (console live panels, issue 6): a verdict's hops light up, its path is drawn as transient edges.
  { selector: "node.hop-pass", style: { "underlay-color": "#2e9d5b", "underlay-opacity": 0.6, "underlay-padding": 6 } },
  { selector: "node.hop-drop", style: { "underlay-color": "#d23c3c", "underlay-opacity": 0.8, "underlay-padding": 8 } },
  {
    selector: "edge.traffic",
    style: {
      width: 3,
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "line-color": "#2e9d5b",
      "target-arrow-color": "#2e9d5b",
    },
  },
  { selector: "edge.traffic.dropped", style: { "line-color": "#d23c3c", "target-arrow-color": "#d23c3c", "line-style": "dashed" } },
  { selector: "node.drop-target", style: { "background-color": "#d7f5df", "border-color": "#1f8a4c", "border-width": 3 } },
  // Resource map (issue 16): the columns inside a VPC, route tables, network connections and their edges.
  {
    selector: 'node[kind = "column"]',
    style: { "background-opacity": 0, "border-width": 0, color: "#52606d", "font-size": 11, "font-weight": "normal" },
  },
  {
    selector: 'node[kind = "route-table"], node[kind = "gateway"], node[kind = "internet"]',
    style: {
      shape: "round-rectangle",
      width: 190,
      height: 52,
      "text-wrap": "wrap",
      "text-valign": "center",
      "text-halign": "center",
      "border-width": 1,
    },
  },
  { selector: 'node[kind = "route-table"]', style: { "background-color": "#f0f7f3", "border-color": "#4c9a6a" } },
  { selector: 'node[kind = "route-table"][main = "yes"]', style: { "border-width": 2 } },
  { selector: 'node[kind = "gateway"]', style: { "background-color": "#f4eefc", "border-color": "#7656b8", height: 62 } },
  { selector: 'node[gw = "igw"], node[gw = "eigw"]', style: { "background-color": "#e6f1ff", "border-color": "#2f5fb3" } },
  { selector: 'node[gw = "nat"]', style: { "background-color": "#fff4e0", "border-color": "#c98a0b" } },
  { selector: 'node[gw = "pcx"]', style: { "background-color": "#e9f7f8", "border-color": "#2a8a94" } },
  { selector: 'node[gw = "other"]', style: { "border-style": "dashed", height: 40 } },
  {
    selector: 'node[kind = "internet"]',
    style: { shape: "ellipse", "background-color": "#eef4ff", "border-color": "#2f5fb3", height: 44 },
  },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "font-size": 9,
      "font-family": "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      "text-wrap": "wrap",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "2px",
      "min-zoomed-font-size": 7,
    },
  },
  { selector: 'edge[kind = "assoc"]', style: { "line-color": "#9fb8a8", "target-arrow-color": "#9fb8a8", "line-style": "dotted" } },
  { selector: 'edge[kind = "route"]', style: { label: "data(label)", "line-color": "#7b8ba3", "target-arrow-color": "#7b8ba3" } },
  {
    selector: 'edge[kind = "route"][blackhole = "yes"]',
    style: { "line-color": "#d23c3c", "target-arrow-color": "#d23c3c", "line-style": "dashed" },
  },
  {
    selector: 'edge[kind = "placed"]',
    style: { "line-color": "#b9a6de", "line-style": "dotted", "target-arrow-shape": "none", width: 1 },
  },
  { selector: 'edge[kind = "uplink"]', style: { "line-color": "#2f5fb3", "target-arrow-color": "#2f5fb3" } },
  {
    selector: 'edge[kind = "peer"]',
    style: { label: "data(label)", "line-color": "#2a8a94", "target-arrow-shape": "none", "line-style": "dashed" },
  },
  // A probe's path (probe.ts): its steps in order, numbered; where it stops in red.
  { selector: "node.path-node", style: { "underlay-color": "#2e9d5b", "underlay-opacity": 0.55, "underlay-padding": 7 } },
  { selector: "node.path-drop", style: { "underlay-color": "#d23c3c", "underlay-opacity": 0.85, "underlay-padding": 9 } },
  { selector: "edge.on-path", style: { width: 3, "line-color": "#2e9d5b", "target-arrow-color": "#2e9d5b", "z-index": 10 } },
  {
    selector: "edge.path-edge",
    style: {
      width: 4,
      label: "data(label)",
      "font-size": 12,
      "font-weight": "bold",
      color: "#ffffff",
      "text-background-color": "#1f7a43",
      "text-background-opacity": 1,
      "text-background-shape": "roundrectangle",
      "line-color": "#2e9d5b",
      "target-arrow-color": "#2e9d5b",
      "z-index": 20,
      "min-zoomed-font-size": 0,
    },
  },
  {
    selector: "edge.path-edge.path-drop",
    style: { "line-color": "#d23c3c", "target-arrow-color": "#d23c3c", "text-background-color": "#b02a2a" },
  },
];

/** ELK packs each level into rectangles; the resource map's edges are drawn over it, not laid out (main.ts lays out nodes only). */
// cytoscape's types list only its built-in layouts; the ELK extension's options are its own.
export const LAYOUT = {
  name: "elk",
  fit: true,
  padding: 20,
  animate: false,
  nodeDimensionsIncludeLabels: true,
  elk: {
    algorithm: "rectpacking",
    "elk.spacing.nodeNode": 24,
    "elk.padding": "[top=30,left=12,bottom=12,right=12]",
    "elk.aspectRatio": 1.5,
  },
  // Every level is packed wider than tall (the view is landscape), so that zooming to a subnet fills the view. A VPC
  // holds its three resource-map columns in one row, in order: subnets | route tables | network connections (one
  // layer of an edgeless layered layout, top to bottom, is a row kept in model order).
  nodeLayoutOptions: (n: { id(): string; data(key: string): unknown }): Record<string, string> =>
    n.data("kind") === "vpc"
      ? {
          "elk.algorithm": "layered",
          "elk.direction": "DOWN",
          "elk.separateConnectedComponents": "false",
          "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
          "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
          "elk.spacing.nodeNode": "60",
          "elk.padding": "[top=40,left=10,bottom=10,right=10]",
        }
      : n.data("kind") === "column" && !n.id().startsWith("col:subnets:")
        ? {
            // Route tables and connections stack in one column (a tall aspect ratio packs them one per row).
            "elk.algorithm": "rectpacking",
            "elk.aspectRatio": "0.05",
            "elk.spacing.nodeNode": "28",
            "elk.padding": "[top=30,left=8,bottom=8,right=8]",
          }
        : {
            "elk.algorithm": "rectpacking",
            "elk.aspectRatio": "1.6",
            "elk.spacing.nodeNode": "14",
            "elk.padding": "[top=40,left=10,bottom=10,right=10]",
          },
} as unknown as LayoutOptions;
