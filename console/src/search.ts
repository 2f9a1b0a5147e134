/**
 * Search (issue 16): every drawn resource — VPCs, subnets, instances, ENIs, route tables, gateways — found by id,
 * Name tag, CIDR, address or MAC; the hits are listed under the box, and picking one (a click, or Enter for the
 * first) selects it on the graph and fills the details panel, as clicking the node does. Also the details of the
 * resource map's own nodes (route tables with their routes, gateways with their facts).
 */
import { factsTable, fill, h } from "./dom.js";
import type { Topology } from "./model.js";
import { GATEWAY_TITLE } from "./resource-map.js";
import { tableOfSubnet } from "./network.js";

export interface Hit {
  readonly id: string;
  readonly what: string;
  readonly label: string;
}

const MAX_SHOWN = 12;

export const searchHits = (t: Topology, query: string): Hit[] => {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: Hit[] = [];
  const add = (id: string, what: string, label: string, hay: readonly string[]): void => {
    if (hay.join(" ").toLowerCase().includes(q)) hits.push({ id, what, label });
  };
  for (const v of t.vpcs) add(v.id, "VPC", `${v.name ? `${v.name} · ` : ""}${v.cidr}`, [v.id, v.name, v.cidr]);
  for (const s of t.subnets) add(s.id, "subnet", `${s.name ? `${s.name} · ` : ""}${s.cidr} · ${s.az}`, [s.id, s.name, s.cidr, ...s.ipv6]);
  for (const i of t.instances) add(i.id, "instance", `${i.name ? `${i.name} · ` : ""}${i.type} · ${i.state}`, [i.id, i.name]);
  for (const e of t.enis)
    add(e.id, "ENI", `${e.primaryIp}${e.attachment ? ` · ${e.attachment.instanceId}` : ""}`, [
      e.id,
      e.mac,
      e.primaryIp,
      ...e.secondaryIps,
      ...e.ipv6,
      ...e.publicIps.map((p) => p.publicIp),
      e.attachment?.instanceId ?? "",
    ]);
  for (const r of t.network.routeTables)
    add(r.id, "route table", `${r.name ? `${r.name} · ` : ""}${r.vpcId}${r.main ? " (main)" : ""}`, [r.id, r.name]);
  for (const g of t.network.gateways)
    add(g.id, GATEWAY_TITLE[g.kind], `${g.name ? `${g.name} · ` : ""}${g.state}`, [g.id, g.name, ...g.facts.map(([, v]) => v)]);
  return hits;
};

/** Lists the hits under the search box; `pick` selects one. */
export const showSearchResults = (hits: readonly Hit[], query: string, pick: (id: string) => void): void => {
  const box = document.getElementById("search-results");
  if (!box) return;
  box.hidden = query.trim() === "";
  if (box.hidden) {
    box.replaceChildren();
    return;
  }
  const items = hits.slice(0, MAX_SHOWN).map((hit) => {
    const b = h(
      "button",
      { type: "button", class: "search-hit" },
      h("strong", {}, hit.what),
      " ",
      h("code", {}, hit.id),
      h("br"),
      hit.label,
    );
    b.dataset["id"] = hit.id;
    b.addEventListener("click", () => pick(hit.id));
    return h("li", {}, b);
  });
  fill(
    box,
    h("h2", {}, `Search: ${hits.length} found`),
    hits.length ? h("ul", { class: "search-list" }, ...items) : h("p", { class: "hint" }, "Nothing matches."),
    hits.length > MAX_SHOWN ? h("p", { class: "hint" }, `and ${hits.length - MAX_SHOWN} more: refine the search.`) : null,
  );
};

/** The details of a route table or a gateway, or undefined for another id. */
export const networkDetails = (t: Topology, id: string): HTMLElement | undefined => {
  const rt = t.network.routeTables.find((r) => r.id === id);
  if (rt) {
    const subnets = t.subnets.filter((s) => tableOfSubnet(t.network, s.id, s.vpcId)?.id === rt.id);
    return h(
      "div",
      {},
      h("h2", {}, `Route table ${rt.id}`),
      factsTable([
        ["name", rt.name || "—"],
        ["VPC", rt.vpcId],
        ["main", rt.main ? "yes" : "no"],
        ["subnets", subnets.length ? subnets.map((s) => `${s.id}${rt.subnetIds.includes(s.id) ? "" : " (main)"}`).join(", ") : "—"],
        ["gateways", rt.gatewayIds.join(", ") || "—"],
      ]),
      h(
        "table",
        { class: "grid routes" },
        h("tr", {}, h("th", {}, "destination"), h("th", {}, "target"), h("th", {}, "state")),
        ...rt.routes.map((r) =>
          h(
            "tr",
            { class: r.state === "blackhole" ? "error" : "" },
            h("td", {}, h("code", {}, r.destination)),
            h("td", {}, r.target),
            h("td", {}, r.state),
          ),
        ),
      ),
    );
  }
  const g = t.network.gateways.find((x) => x.id === id);
  if (g)
    return h(
      "div",
      {},
      h("h2", {}, `${GATEWAY_TITLE[g.kind]} ${g.id}`),
      factsTable([["name", g.name || "—"], ["VPC", g.vpcId], ["state", g.state], ...g.facts.map(([k, v]) => [k, v || "—"] as const)]),
    );
  return undefined;
};
