/**
 * The resource map (issue 16), in the manner of AWS's VPC resource map: inside each VPC three columns, left to right
 * — subnets (grouped by AZ, as before) | route tables | network connections (internet, NAT and egress-only gateways,
 * VPC endpoints, peerings) — with an edge from each subnet to the route table it uses (explicit association, else the
 * main table) and one from each route table to each route's target, labelled with the destinations (CIDR or prefix
 * list). Edges are drawn, not laid out: ELK places the columns (graph.ts), the edges follow.
 */
import type { Core, ElementDefinition } from "cytoscape";
import type { Topology } from "./model.js";
import { tableOfSubnet, type Gateway, type GatewayKind } from "./network.js";

export const INTERNET = "internet";

export const subnetsColumn = (vpcId: string): string => `col:subnets:${vpcId}`;
const tablesColumn = (vpcId: string): string => `col:rtbs:${vpcId}`;
const connectionsColumn = (vpcId: string): string => `col:conns:${vpcId}`;

export const GATEWAY_TITLE: Readonly<Record<GatewayKind | "other", string>> = {
  igw: "Internet gateway",
  nat: "NAT gateway",
  eigw: "Egress-only internet gateway",
  "vpce-gateway": "Gateway endpoint",
  "vpce-interface": "Interface endpoint",
  pcx: "Peering connection",
  other: "Route target",
};

const gatewayLabel = (g: Gateway): string => {
  const lines = [GATEWAY_TITLE[g.kind]];
  if (g.name) lines.push(g.name);
  lines.push(g.id);
  if (g.kind === "vpce-gateway" || g.kind === "vpce-interface") {
    const service = g.facts.find(([k]) => k === "service")?.[1] ?? "";
    lines.push(service.split(".").slice(3).join(".") || service);
  } else if (g.kind === "pcx") lines.push(`↔ ${g.peerVpcId ?? "?"} · ${g.state}`);
  else if (g.kind === "nat") lines.push(`${g.facts.find(([k]) => k === "subnet")?.[1] ?? ""} · ${g.state}`);
  return lines.join("\n");
};

/**
 * The column compounds, route-table and gateway nodes and every edge for the VPCs drawn. `drawn` holds the ids of
 * the containment nodes already made (ENIs and instances a middlebox route may target).
 */
export const networkElements = (t: Topology, drawn: ReadonlySet<string>): ElementDefinition[] => {
  const els: ElementDefinition[] = [];
  const vpcIds = new Set(t.vpcs.map((v) => v.id));
  const columns = new Set<string>();
  const column = (id: string, vpcId: string, label: string): string => {
    if (!columns.has(id)) {
      columns.add(id);
      els.push({ data: { id, kind: "column", parent: vpcId, label } });
    }
    return id;
  };
  const nodes = new Set<string>(drawn);
  const net = t.network;
  // Route tables first: the columns keep model order (subnets | route tables | network connections).
  for (const rt of net.routeTables) {
    if (!vpcIds.has(rt.vpcId)) continue;
    nodes.add(rt.id);
    els.push({
      data: {
        id: rt.id,
        kind: "route-table",
        main: rt.main ? "yes" : "no",
        parent: column(tablesColumn(rt.vpcId), rt.vpcId, "Route tables"),
        label: `Route table${rt.main ? " (main)" : ""}\n${rt.name ? `${rt.name}\n` : ""}${rt.id}`,
      },
    });
  }
  for (const g of net.gateways) {
    // A peering sits with the requester's VPC, or the accepter's when only that one is in this account and Region.
    const home = vpcIds.has(g.vpcId) ? g.vpcId : g.peerVpcId !== undefined && vpcIds.has(g.peerVpcId) ? g.peerVpcId : undefined;
    if (!home || nodes.has(g.id)) continue;
    nodes.add(g.id);
    els.push({
      data: {
        id: g.id,
        kind: "gateway",
        gw: g.kind,
        state: g.state,
        parent: column(connectionsColumn(home), home, "Network connections"),
        label: gatewayLabel(g),
      },
    });
  }
  const toInternet = net.gateways.filter((g) => (g.kind === "igw" || g.kind === "eigw") && nodes.has(g.id));
  if (toInternet.length) {
    nodes.add(INTERNET);
    els.push({ data: { id: INTERNET, kind: "internet", label: "Internet" } });
    for (const g of toInternet) els.push({ data: { id: `uplink:${g.id}`, kind: "uplink", source: g.id, target: INTERNET, label: "" } });
  }
  for (const g of net.gateways) {
    // Where a gateway is present in a subnet (a NAT gateway's ENI, an interface endpoint's ENIs): a dotted line.
    for (const eni of g.enis ?? []) {
      if (nodes.has(g.id) && nodes.has(eni))
        els.push({ data: { id: `placed:${g.id}:${eni}`, kind: "placed", source: g.id, target: eni, label: "" } });
    }
    if (g.kind === "pcx" && g.peerVpcId && nodes.has(g.id) && vpcIds.has(g.peerVpcId) && vpcIds.has(g.vpcId)) {
      // The peering's other side: a line to the VPC it is not drawn in.
      const other = g.peerVpcId === g.vpcId ? undefined : g.peerVpcId;
      if (other) els.push({ data: { id: `peer:${g.id}`, kind: "peer", source: g.id, target: other, label: "peer VPC" } });
    }
  }
  for (const s of t.subnets) {
    const rt = tableOfSubnet(net, s.id, s.vpcId);
    if (!rt || !nodes.has(rt.id) || !nodes.has(s.id)) continue;
    els.push({
      data: {
        id: `assoc:${s.id}`,
        kind: "assoc",
        source: s.id,
        target: rt.id,
        label: "",
        how: rt.subnetIds.includes(s.id) ? "explicit" : "main",
      },
    });
  }
  for (const rt of net.routeTables) {
    if (!nodes.has(rt.id)) continue;
    for (const gw of rt.gatewayIds) {
      if (nodes.has(gw))
        els.push({ data: { id: `edge-assoc:${gw}:${rt.id}`, kind: "assoc", source: gw, target: rt.id, label: "", how: "edge" } });
    }
    // One edge per target, labelled with all its destinations (two routes to one gateway are one line).
    const byTarget = new Map<string, { dests: string[]; blackhole: boolean }>();
    for (const r of rt.routes) {
      if (r.target === "local" || r.target === "") continue;
      const e = byTarget.get(r.target) ?? { dests: [], blackhole: false };
      e.dests.push(r.destination);
      e.blackhole ||= r.state === "blackhole";
      byTarget.set(r.target, e);
    }
    for (const [target, e] of byTarget) {
      if (!nodes.has(target)) {
        // A target the map does not otherwise draw (a transit gateway, a deleted NAT gateway …): a plain node for it.
        nodes.add(target);
        els.push({
          data: {
            id: target,
            kind: "gateway",
            gw: "other",
            state: e.blackhole ? "blackhole" : "",
            parent: column(connectionsColumn(rt.vpcId), rt.vpcId, "Network connections"),
            label: `${GATEWAY_TITLE.other}\n${target}`,
          },
        });
      }
      els.push({
        data: {
          id: `route:${rt.id}:${target}`,
          kind: "route",
          source: rt.id,
          target,
          label: e.dests.join("\n"),
          blackhole: e.blackhole ? "yes" : "no",
        },
      });
    }
  }
  return els;
};

/**
 * After the layout: the columns of a VPC start at the same height, as the resource map's do (ELK's one-layer row
 * centres them on the tallest). Moving a column up stays within its VPC, so nothing else moves.
 */
export const alignColumns = (cy: Core): void => {
  cy.batch(() => {
    cy.nodes('[kind = "vpc"]').forEach((v) => {
      const cols = v.children('[kind = "column"]').toArray();
      const tops = cols.map((c) => c.boundingBox({ includeLabels: false }).y1);
      const top = Math.min(...tops);
      cols.forEach((c, i) => {
        const dy = top - (tops[i] ?? top);
        if (dy !== 0)
          c.descendants()
            .filter((d) => d.isChildless())
            .shift({ x: 0, y: dy });
      });
    });
  });
};
