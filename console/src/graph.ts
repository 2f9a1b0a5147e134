/**
 * Topology → Cytoscape elements. Containment is the structure (VPC ⊃ AZ ⊃ subnet ⊃ instance ⊃ ENI); ELK packs
 * every level automatically (no hand-placed coordinates). Unattached ENIs and requester-managed ENIs sit in groups
 * of their own inside their subnet, apart from the instances.
 */
import type { ElementDefinition, LayoutOptions, StylesheetJson } from "cytoscape";
import type { Eni, Topology } from "./model.js";

export type Kind = "vpc" | "az" | "subnet" | "instance" | "eni" | "unattached" | "managed";

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
  }
  for (const s of t.subnets) {
    const az = `az:${s.vpcId}:${s.az}`;
    if (!azNodes.has(az)) {
      azNodes.add(az);
      els.push({ data: { id: az, kind: "az", parent: s.vpcId, label: s.az } });
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
];

/** ELK packs each level into rectangles (there are no edges: containment is the structure). */
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
  // Every level is packed wider than tall (the view is landscape), so that zooming to a subnet fills the view.
  nodeLayoutOptions: (): Record<string, string> => ({
    "elk.algorithm": "rectpacking",
    "elk.aspectRatio": "1.6",
    "elk.spacing.nodeNode": "14",
    "elk.padding": "[top=40,left=10,bottom=10,right=10]",
  }),
} as unknown as LayoutOptions;
