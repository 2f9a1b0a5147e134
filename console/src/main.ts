/**
 * The localvpc web console: draws the topology of one (account, region), lets a person act on it through the EC2
 * API (drag a secondary ENI onto another instance, stop/start an instance, associate an Elastic IP), and redraws
 * whenever the server announces a change on `GET /_localvpc/events`, whoever made it.
 */
import cytoscape, { type Core, type NodeSingular, type Position } from "cytoscape";
import elk from "cytoscape-elk";
import "./style.css";
import { Ec2ApiError, ec2, list, str, type Caller } from "./ec2.js";
import { LAYOUT, STYLE, elementsOf } from "./graph.js";
import { alignColumns } from "./resource-map.js";
import { onVerdict, renderByoip, resetWatch, startWatch, tailFlowLogs, type LiveHook, type VerdictEvent } from "./live.js";
import { loadTopology, type Eni, type Instance, type Topology } from "./model.js";
import { loadScenarios, onScenarioEvent, type ScenarioEvent, type ScenarioHook } from "./scenarios.js";
import { clearPath, fillProbeHosts, placeOverlay, reapplyPath, sendProbe, type ProbeHook } from "./probe.js";
import { networkDetails, searchHits, showSearchResults } from "./search.js";
import { factsTable, fill, h, type Child } from "./dom.js";
import { tableOfSubnet } from "./network.js";
import { adminFetch, withToken } from "./token.js";
import { NO_SERVICES, loadServices, type Services } from "./services.js";
import {
  SERVICE_STYLE,
  decorate,
  eniServiceFacts,
  instanceServiceFacts,
  serviceDetails,
  serviceElements,
  showBandwidth,
} from "./services-map.js";

cytoscape.use(elk);

interface Config {
  readonly readOnly: boolean;
  readonly reason?: string;
  readonly defaults: Caller;
}

/** What the console exposes for its own tests (Playwright reads node positions and waits for renders). */
interface ConsoleHook extends LiveHook, ScenarioHook, ProbeHook {
  cy: Core;
  renders: number;
  changes: number;
  lastMessage: string;
  /** True while a render (read + layout) is in progress. */
  busy: boolean;
  /** How long the last render took, in ms (read + layout). */
  lastRenderMs: number;
  /** Zooms to a node (a subnet, an instance …) so that its contents fill the view; resolves when the zoom is done. */
  zoomTo(id: string): Promise<void>;
  /** Bandwidth panel fills (services-map.ts). */
  bandwidthRenders: number;
  /** Why a service's part of the map is missing or cut short (services.ts). */
  serviceNotes: readonly string[];
}
declare global {
  interface Window {
    __lvc?: ConsoleHook;
  }
}

const REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
};
const value = (id: string): string => ($(id) as HTMLInputElement | HTMLSelectElement).value;

const params = new URLSearchParams(location.search);
let config: Config = { readOnly: false, defaults: { account: "000000000000", region: "us-east-1" } };
let caller: Caller = config.defaults;
let topo: Topology = { vpcs: [], subnets: [], instances: [], enis: [], addresses: [], network: { routeTables: [], gateways: [] } };
let services: Services = NO_SERVICES;
let selected: string | undefined;
let rendering: Promise<void> | undefined;
const queued: { again: boolean } = { again: false };
let lastShape = "";
/** Read through a function: the flag is set by a render requested while this one awaited. */
const requeued = (): boolean => queued.again;

const cy = cytoscape({
  container: $("graph"),
  style: [...STYLE, ...SERVICE_STYLE],
  minZoom: 0.05,
  maxZoom: 3,
  boxSelectionEnabled: false,
});
const hook: ConsoleHook = {
  cy,
  renders: 0,
  changes: 0,
  lastMessage: "",
  busy: false,
  lastRenderMs: 0,
  verdicts: 0,
  flowLogLines: 0,
  byoipRenders: 0,
  scenarioEvents: 0,
  lastScenario: null,
  probes: 0,
  path: [],
  pathDone: false,
  pathNote: "",
  zoomTo: (id) => zoomTo(id),
  bandwidthRenders: 0,
  serviceNotes: [],
};
window.__lvc = hook;

// ---------------------------------------------------------------- messages

const say = (kind: "ok" | "error" | "info", content: readonly Child[], text: string): void => {
  const box = $("message");
  box.hidden = false;
  box.className = `panel message ${kind}`;
  fill(box, ...content);
  hook.lastMessage = text;
};

const sayError = (what: string, e: unknown): void => {
  if (e instanceof Ec2ApiError) {
    say(
      "error",
      [
        h("h2", {}, `AWS refused ${what}`),
        h("p", {}, h("strong", {}, e.action), ": ", h("code", {}, e.code)),
        h("p", { class: "aws-message" }, e.message),
      ],
      `${e.action}: ${e.code}: ${e.message}`,
    );
  } else {
    const m = e instanceof Error ? e.message : String(e);
    say("error", [h("h2", {}, `${what} failed`), h("p", {}, m)], m);
  }
};

// ---------------------------------------------------------------- rendering

const counts = (): void => {
  const unattached = topo.enis.filter((e) => !e.attachment && !e.requesterManaged).length;
  const managed = topo.enis.filter((e) => e.requesterManaged).length;
  fill(
    $("counts"),
    h("h2", {}, `${caller.account} · ${caller.region}`),
    h(
      "p",
      {},
      `${topo.vpcs.length} VPCs · ${topo.subnets.length} subnets · ${topo.instances.length} instances · `,
      h("span", { id: "eni-count" }, topo.enis.length),
      ` ENIs (${unattached} unattached, ${managed} requester-managed) · ${topo.addresses.length} Elastic IPs · ` +
        `${topo.network.routeTables.length} route tables · ${topo.network.gateways.length} gateways and connections`,
    ),
    subnetIndex(),
  );
};

/**
 * The subnets that hold ENIs, each a link that zooms to it: with hundreds of ENIs the fitted overview is too small
 * to read, and this list is the legible way in (as is double-clicking a subnet in the graph).
 */
const subnetIndex = (): HTMLElement | null => {
  const perSubnet = new Map<string, number>();
  for (const e of topo.enis) perSubnet.set(e.subnetId, (perSubnet.get(e.subnetId) ?? 0) + 1);
  const rows = topo.subnets
    .filter((s) => perSubnet.has(s.id))
    .sort((a, b) => a.az.localeCompare(b.az) || a.cidr.localeCompare(b.cidr, undefined, { numeric: true }));
  if (rows.length < 2) return null;
  return h(
    "div",
    {},
    h("p", { class: "hint" }, "Zoom to a subnet (or double-click one in the graph):"),
    h(
      "ul",
      { class: "subnet-index" },
      ...rows.map((s) => {
        const n = perSubnet.get(s.id) ?? 0;
        const a = h("a", { href: "#" }, s.name || s.id);
        a.dataset["zoom"] = s.id;
        return h("li", {}, a, ` ${s.cidr} · ${s.az} · ${n} ENI${n === 1 ? "" : "s"}`);
      }),
    ),
  );
};

const render = async (): Promise<void> => {
  if (rendering) {
    queued.again = true;
    return rendering;
  }
  rendering = (async () => {
    hook.busy = true;
    do {
      queued.again = false;
      const started = performance.now();
      try {
        topo = await loadTopology(caller);
        // Lambda, ELBv2 and EKS: a service that fails leaves its part out (and a note), never the EC2 map.
        services = await loadServices(caller, topo);
        hook.serviceNotes = services.notes;
      } catch (e) {
        sayError("reading the topology", e);
        return;
      }
      const own = decorate(elementsOf(topo), topo, services);
      const fresh = [...own, ...serviceElements(topo, services, new Set(own.map((x) => String(x.data.id))))];
      // Same nodes in the same places (a state or label change): update in place, no new layout. A layout per
      // change is costly (ELK starts a fresh engine each run), and re-reads while states settle are frequent.
      const shape = fresh
        .map(
          (e) =>
            `${String(e.data.id)}<${String(e.data.parent ?? "")}${e.data.source ? `:${String(e.data.source)}>${String(e.data.target)}` : ""}`,
        )
        .join("|");
      // The probe's and live traffic's transient edges are not the map's.
      const mapElements = cy.elements().filter((x) => !x.hasClass("path-edge") && !x.hasClass("traffic"));
      if (shape === lastShape && mapElements.length === fresh.length) {
        cy.batch(() => {
          for (const e of fresh) cy.getElementById(String(e.data.id)).data(e.data);
        });
      } else {
        lastShape = shape;
        // New elements start where the old ones were, so a redraw does not flash everything at the origin.
        const was = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }] as const));
        const els = fresh.map((e) => {
          const p = was.get(String(e.data.id));
          return p ? { ...e, position: p } : e;
        });
        cy.batch(() => {
          cy.elements().remove();
          cy.add(els);
        });
        if (config.readOnly) cy.autoungrabify(true);
        cy.nodes(":parent").ungrabify();
        await new Promise<void>((resolve) => {
          // Nodes only: the resource map's edges are drawn over the packed containment, not laid out.
          const layout = cy.nodes().layout(LAYOUT);
          layout.one("layoutstop", () => resolve());
          layout.run();
        });
        alignColumns(cy);
      }
      overviewAt = 0;
      applyOverviewLabels();
      if (selected && cy.getElementById(selected).nonempty()) cy.getElementById(selected).select();
      counts();
      showDetails();
      applySearch();
      fillProbeHosts(topo);
      reapplyPath(cy, hook);
      hook.lastRenderMs = Math.round(performance.now() - started);
      settleLater();
      hook.renders++;
    } while (requeued());
  })().finally(() => {
    hook.busy = false;
    rendering = undefined;
  });
  return rendering;
};

/**
 * Transient states (an instance `pending` or `stopping`, an ENI `attaching`) settle on the server's clock without an
 * API call, so no change event announces the end: while something is in transit, re-read every second.
 */
let settleTimer: ReturnType<typeof setTimeout> | undefined;
const TRANSIENT = new Set(["pending", "stopping", "shutting-down", "attaching", "detaching"]);
const settleLater = (): void => {
  clearTimeout(settleTimer);
  const moving = topo.instances.some((i) => TRANSIENT.has(i.state)) || topo.enis.some((e) => TRANSIENT.has(e.attachment?.status ?? ""));
  if (moving) settleTimer = setTimeout(() => void render(), 1000);
};

// ---------------------------------------------------------------- details and actions

const codes = (xs: readonly string[]): Child[] => (xs.length ? xs.flatMap((x, i) => [i ? " " : null, h("code", {}, x)]) : ["—"]);
const lines = (xs: readonly Child[]): Child[] => (xs.length ? xs.flatMap((x, i) => [i ? h("br") : null, x]) : ["—"]);

const actionButton = (id: string, label: string): HTMLElement =>
  h("button", { type: "button", id, ...(config.readOnly ? { disabled: "", title: config.reason ?? "read-only" } : {}) }, label);

const eniDetails = (e: Eni): HTMLElement => {
  const freeEips = topo.addresses.filter((a) => !a.associationId);
  const choice = h(
    "select",
    { id: "eip-choice" },
    h("option", { value: "" }, "allocate a new Elastic IP"),
    ...freeEips.map((a) => h("option", { value: a.allocationId }, a.publicIp)),
  );
  return h(
    "div",
    {},
    h("h2", {}, `ENI ${e.id}`),
    factsTable([
      ["status", e.status],
      ["type", e.type || "interface"],
      ["subnet / AZ", `${e.subnetId} · ${e.az}`],
      [
        "attachment",
        e.attachment
          ? `${e.attachment.instanceId} · device ${e.attachment.deviceIndex} · card ${e.attachment.cardIndex} · ${e.attachment.status}`
          : "—",
      ],
      ["MAC", h("code", {}, e.mac)],
      ["primary IP", h("code", {}, e.primaryIp)],
      ["secondary IPs", codes(e.secondaryIps)],
      ["IPv4 prefixes", codes(e.ipv4Prefixes)],
      ["IPv6", codes([...e.ipv6, ...e.ipv6Prefixes])],
      [
        "public / Elastic IPs",
        lines(
          e.publicIps.map((p) =>
            h("span", {}, h("code", {}, p.publicIp), ` → ${p.privateIp}${p.allocationId ? ` (EIP ${p.allocationId})` : " (public)"}`),
          ),
        ),
      ],
      ["security groups", lines(e.groups.map((g) => `${g.id} (${g.name})`))],
      ["source/dest check", e.sourceDestCheck ? "on" : "off"],
      ["requester-managed", e.requesterManaged ? `yes (${e.requesterId})` : "no"],
      ["description", e.description || "—"],
    ]),
    eniServiceFacts(topo, services, e),
    h("div", { class: "actions" }, h("label", {}, "Elastic IP ", choice), actionButton("associate-eip", "Associate")),
    h("p", { class: "hint" }, "Drag a secondary ENI onto another instance to move it."),
  );
};

const instanceDetails = (i: Instance): HTMLElement => {
  const enis = topo.enis.filter((e) => e.attachment?.instanceId === i.id);
  return h(
    "div",
    {},
    h("h2", {}, `Instance ${i.id}`),
    factsTable([
      ["name", i.name || "—"],
      ["type", i.type],
      ["state", h("span", { id: "instance-state" }, i.state)],
      ["subnet / AZ", `${i.subnetId} · ${i.az}`],
      ["ENIs", lines(enis.map((e) => `${e.id} (device ${e.attachment?.deviceIndex ?? 0})`))],
    ]),
    instanceServiceFacts(services, i),
    h(
      "div",
      { class: "actions" },
      actionButton("start-instance", "Start"),
      actionButton("stop-instance", "Stop"),
      actionButton("fail-instance", "Fail (force stop)"),
    ),
  );
};

const showDetails = (): void => {
  const box = $("details");
  const e = topo.enis.find((x) => x.id === selected);
  const i = topo.instances.find((x) => x.id === selected);
  const s = topo.subnets.find((x) => x.id === selected);
  const v = topo.vpcs.find((x) => x.id === selected);
  const other = selected ? (serviceDetails(topo, services, selected) ?? networkDetails(topo, selected)) : undefined;
  const capsOf = i ?? (e?.attachment ? topo.instances.find((x) => x.id === e.attachment?.instanceId) : undefined);
  void showBandwidth(caller, topo, capsOf, hook);
  if (e) fill(box, eniDetails(e));
  else if (i) fill(box, instanceDetails(i));
  else if (s) {
    const rt = tableOfSubnet(topo.network, s.id, s.vpcId);
    fill(
      box,
      h("h2", {}, `Subnet ${s.id}`),
      factsTable([
        ["name", s.name || "—"],
        ["CIDR", s.cidr],
        ["IPv6", codes(s.ipv6)],
        ["AZ", s.az],
        ["VPC", s.vpcId],
        ["route table", rt ? `${rt.id}${rt.subnetIds.includes(s.id) ? "" : " (main)"}` : "—"],
      ]),
    );
  } else if (v)
    fill(
      box,
      h("h2", {}, `VPC ${v.id}`),
      factsTable([
        ["name", v.name || "—"],
        ["CIDR", v.cidr],
        ["default", v.isDefault ? "yes" : "no"],
      ]),
    );
  else if (other) fill(box, other);
  else fill(box, h("h2", {}, "Details"), h("p", { class: "hint" }, "Select a VPC, subnet, instance, ENI, route table or gateway."));
  tailFlowLogs(caller, hook, e);
  const on = (id: string, f: () => Promise<void>): void => {
    document.getElementById(id)?.addEventListener("click", () => void f());
  };
  if (e) on("associate-eip", () => associateEip(e));
  if (i) {
    on("start-instance", () => instanceAction("StartInstances", i.id, {}));
    on("stop-instance", () => instanceAction("StopInstances", i.id, {}));
    on("fail-instance", () => instanceAction("StopInstances", i.id, { Force: "true" }));
  }
};

const refuseIfReadOnly = (): boolean => {
  if (!config.readOnly) return false;
  say("error", [h("h2", {}, "Read-only console"), h("p", {}, config.reason ?? "")], config.reason ?? "read-only");
  return true;
};

const instanceAction = async (action: string, id: string, extra: Record<string, string>): Promise<void> => {
  if (refuseIfReadOnly()) return;
  try {
    await ec2(caller, action, { "InstanceId.1": id, ...extra });
    say("ok", [h("p", {}, `${action} ${id}: done.`)], `${action} ${id}`);
  } catch (e) {
    sayError(`${action} for ${id}`, e);
  }
};

const associateEip = async (e: Eni): Promise<void> => {
  if (refuseIfReadOnly()) return;
  const choice = (document.getElementById("eip-choice") as HTMLSelectElement | null)?.value ?? "";
  try {
    let allocationId = choice;
    if (!allocationId) {
      const a = await ec2(caller, "AllocateAddress", { Domain: "vpc" });
      allocationId = typeof a["allocationId"] === "string" ? a["allocationId"] : "";
    }
    await ec2(caller, "AssociateAddress", { AllocationId: allocationId, NetworkInterfaceId: e.id });
    say("ok", [h("p", {}, `Associated ${allocationId} with ${e.id}.`)], `associated ${allocationId}`);
  } catch (x) {
    sayError(`associating an Elastic IP with ${e.id}`, x);
  }
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until a detached ENI is `available` (immediate unless the server runs with transition delays). */
const waitAvailable = async (eniId: string): Promise<void> => {
  for (let i = 0; i < 50; i++) {
    const r = await ec2(caller, "DescribeNetworkInterfaces", { "NetworkInterfaceId.1": eniId });
    if (str(list(r["networkInterfaceSet"])[0]?.["status"]) === "available") return;
    await sleep(200);
  }
};

/**
 * Moves an ENI to another instance the way a client would: DetachNetworkInterface, then AttachNetworkInterface at
 * the target's lowest free device index. When AWS refuses the attach (another AZ, a limit …) the ENI goes back to
 * where it was, and AWS's error is shown.
 */
const moveEni = async (eni: Eni, target: Instance): Promise<void> => {
  if (refuseIfReadOnly()) return;
  const used = new Set(
    topo.enis.filter((e) => e.attachment?.instanceId === target.id && e.attachment.cardIndex === 0).map((e) => e.attachment?.deviceIndex),
  );
  let device = 1;
  while (used.has(device)) device++;
  const from = eni.attachment;
  if (from) {
    try {
      await ec2(caller, "DetachNetworkInterface", { AttachmentId: from.id });
    } catch (e) {
      sayError(`moving ${eni.id} to ${target.id}`, e);
      return;
    }
    await waitAvailable(eni.id);
  }
  try {
    await ec2(caller, "AttachNetworkInterface", { NetworkInterfaceId: eni.id, InstanceId: target.id, DeviceIndex: String(device) });
    say("ok", [h("p", {}, `Moved ${eni.id} to ${target.id} (device ${device}).`)], `moved ${eni.id} to ${target.id}`);
  } catch (e) {
    if (from) {
      try {
        await ec2(caller, "AttachNetworkInterface", {
          NetworkInterfaceId: eni.id,
          InstanceId: from.instanceId,
          DeviceIndex: String(from.deviceIndex),
          NetworkCardIndex: String(from.cardIndex),
        });
      } catch (back) {
        sayError(`putting ${eni.id} back on ${from.instanceId}`, back);
        return;
      }
    }
    sayError(`moving ${eni.id} to ${target.id}`, e);
  }
};

// ---------------------------------------------------------------- drag and drop

let grabbed: { id: string; at: Position; parent: string } | undefined;

const instanceUnder = (p: Position, except: string): NodeSingular | undefined =>
  cy
    .nodes('[kind = "instance"]')
    .filter((n) => n.id() !== except)
    .toArray()
    .find((n) => {
      const b = n.boundingBox({ includeLabels: false });
      return p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
    }) as NodeSingular | undefined;

cy.on("grab", 'node[kind = "eni"]', (ev) => {
  const n = ev.target as NodeSingular;
  const parent = n.parent().first();
  grabbed = { id: n.id(), at: { ...n.position() }, parent: parent.nonempty() ? parent.id() : "" };
});
cy.on("drag", 'node[kind = "eni"]', (ev) => {
  const n = ev.target as NodeSingular;
  cy.nodes(".drop-target").removeClass("drop-target");
  instanceUnder(n.position(), grabbed?.parent ?? "")?.addClass("drop-target");
});
cy.on("free", 'node[kind = "eni"]', (ev) => {
  const n = ev.target as NodeSingular;
  cy.nodes(".drop-target").removeClass("drop-target");
  const g = grabbed;
  grabbed = undefined;
  if (g?.id !== n.id()) return;
  const target = instanceUnder(n.position(), g.parent);
  n.position(g.at);
  const eni = topo.enis.find((e) => e.id === n.id());
  const inst = target ? topo.instances.find((i) => i.id === target.id()) : undefined;
  if (eni && inst) void moveEni(eni, inst);
});

cy.on("tap", "node", (ev) => {
  selected = (ev.target as NodeSingular).id();
  showDetails();
});
cy.on("tap", (ev) => {
  if (ev.target === cy) {
    selected = undefined;
    showDetails();
  }
});

// ---------------------------------------------------------------- zoom

/**
 * Zoom to a node's box (double-click a VPC, AZ, subnet or instance, or "Zoom to selection"): at 200 ENIs the fitted
 * overview shows the structure, and a subnet zoomed to fills the view with its ENIs at a legible size.
 */
const zoomTo = (id: string): Promise<void> =>
  new Promise((resolve) => {
    const n = cy.getElementById(id);
    if (n.empty()) {
      resolve();
      return;
    }
    cy.stop(true, true);
    cy.animate({ fit: { eles: n, padding: 24 }, duration: 250, complete: () => resolve() });
  });

/**
 * Overview labels: when the view is zoomed out so far that a VPC, AZ or subnet label would be drawn under 8 px (and
 * so not at all), those labels are drawn at a legible size instead: VPC and AZ names above their boxes, a subnet's
 * name centred on it (on a light background, over its ENIs, whose own labels are hidden at that zoom). Zoomed in,
 * they are the normal labels again. Re-applied once per animation frame while zooming.
 */
const OVERVIEW_PX = 10;
const BASE_FONT: Readonly<Record<string, number>> = { vpc: 13, az: 12, subnet: 11 };
let overviewFrame = 0;
let overviewAt = 0;
const applyOverviewLabels = (): void => {
  overviewFrame = 0;
  const z = cy.zoom();
  if (z === overviewAt) return;
  overviewAt = z;
  cy.batch(() => {
    for (const [kind, base] of Object.entries(BASE_FONT)) {
      const small = base * z < 8;
      // Capped so an AZ's one line stays within its VPC's top padding.
      const font = Math.min(OVERVIEW_PX / z, kind === "az" ? 36 : 60);
      cy.nodes(`[kind = "${kind}"]`).forEach((n) => {
        const lines = String(n.data("label") ?? "").split("\n");
        const widest = Math.max(...lines.map((l) => l.length)) * 0.62 * font;
        // Only where the label fits its box (a VPC's may wrap: nothing is above it); else it stays hidden.
        const fits = kind === "vpc" || widest <= n.width();
        if (small && fits && !n.isChildless()) {
          n.addClass("overview").style({ "font-size": font, "text-max-width": `${Math.round(n.width())}px` });
        } else if (n.hasClass("overview")) {
          n.removeClass("overview").removeStyle("font-size text-max-width");
        }
      });
    }
  });
};
cy.on("zoom", () => {
  overviewFrame ||= requestAnimationFrame(applyOverviewLabels);
});

cy.on("dbltap", "node:parent", (ev) => {
  void zoomTo((ev.target as NodeSingular).id());
});

// ---------------------------------------------------------------- search

/** Selects a node as a click on it does: the details panel fills, the view zooms to it. */
const pickNode = (id: string): void => {
  selected = id;
  cy.elements(":selected").unselect();
  cy.getElementById(id).select();
  showDetails();
  void zoomTo(id);
};

/**
 * Highlights every drawn match and lists them under the box; picking one (a click, or Enter for the first) selects
 * it and fills the details panel. A single match is picked as it is typed.
 */
const applySearch = (typed = false): void => {
  const q = value("search");
  cy.nodes(".match").removeClass("match");
  const hits = searchHits(topo, q);
  showSearchResults(hits, q, pickNode);
  if (!q.trim()) return;
  const ids = new Set(hits.map((x) => x.id));
  const nodes = cy.nodes().filter((n) => ids.has(n.id()));
  nodes.addClass("match");
  const only = hits.length === 1 ? hits[0] : undefined;
  if (typed && only && only.id !== selected && cy.getElementById(only.id).nonempty()) pickNode(only.id);
  else if (nodes.nonempty() && !only) cy.animate({ fit: { eles: nodes, padding: 80 }, duration: 200 });
};

// ---------------------------------------------------------------- scope picker and live updates

const fillPickers = async (): Promise<void> => {
  const r = (await (await adminFetch("/_localvpc/console/api/scopes")).json()) as { scopes: Caller[] };
  const accounts = [...new Set([caller.account, config.defaults.account, ...r.scopes.map((s) => s.account)])].sort();
  const regions = [...new Set([caller.region, ...REGIONS, ...r.scopes.map((s) => s.region)])];
  const options = (xs: readonly string[], chosen: string): HTMLElement[] =>
    xs.map((a) => h("option", a === chosen ? { selected: "" } : {}, a));
  fill($("account"), ...options(accounts, caller.account));
  fill($("region"), ...options(regions, caller.region));
};

const pick = (): void => {
  caller = { account: value("account"), region: value("region") };
  const q = new URLSearchParams({ account: caller.account, region: caller.region });
  history.replaceState(null, "", `?${q.toString()}`);
  selected = undefined;
  clearPath(cy);
  resetWatch();
  void render();
  void renderByoip(caller, hook);
};

/**
 * Re-reads after change events are throttled, not merely debounced: at most one topology re-read per 300 ms and one
 * BYOIP re-read per 500 ms, each starting after the last change it covers, so a stream of changes (a scenario, a
 * script) neither starves the view nor queues a re-read per event.
 */
const throttled = (ms: number, f: () => void): (() => void) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      f();
    }, ms);
  };
};
const renderSoon = throttled(300, () => void render());
const byoipSoon = throttled(500, () => void renderByoip(caller, hook));

const live = (): void => {
  const badge = $("live");
  const source = new EventSource(withToken("/_localvpc/events"));
  source.addEventListener("hello", () => {
    badge.className = "live on";
    badge.textContent = "live updates: on";
  });
  source.addEventListener("change", (ev) => {
    hook.changes++;
    const c = JSON.parse((ev as MessageEvent<string>).data) as { account?: string; region?: string; name?: string };
    // BYOIP lives partly outside the account (the registry, the internet's BGP view): re-read it on any change.
    byoipSoon();
    if (c.account && (c.account !== caller.account || c.region !== caller.region)) return;
    renderSoon();
  });
  source.addEventListener("verdict", (ev) => {
    onVerdict(cy, hook, caller, JSON.parse((ev as MessageEvent<string>).data) as VerdictEvent);
  });
  source.addEventListener("scenario", (ev) => {
    onScenarioEvent(hook, JSON.parse((ev as MessageEvent<string>).data) as ScenarioEvent, () => {
      renderSoon();
      byoipSoon();
    });
  });
  source.onerror = () => {
    badge.className = "live off";
    badge.textContent = "live updates: reconnecting…";
  };
};

const start = async (): Promise<void> => {
  const res = await adminFetch("/_localvpc/console/api/config");
  if (!res.ok) {
    // Chiefly AdminTokenRequired: the server printed a link with ?token= at start; say so rather than draw nothing.
    const e = (await res.json()) as { error?: string; message?: string };
    const b = $("banner");
    b.hidden = false;
    b.textContent = `${e.error ?? res.status}: ${e.message ?? "the console's configuration could not be read"}`;
    return;
  }
  config = (await res.json()) as Config;
  caller = { account: params.get("account") ?? config.defaults.account, region: params.get("region") ?? config.defaults.region };
  if (config.readOnly) {
    const b = $("banner");
    b.hidden = false;
    b.textContent = `Read-only: ${config.reason ?? ""}`;
  }
  await fillPickers();
  $("account").addEventListener("change", pick);
  $("region").addEventListener("change", pick);
  $("refresh").addEventListener("click", () => void fillPickers().then(render));
  $("search").addEventListener("input", () => applySearch(true));
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const first = searchHits(topo, value("search"))[0];
    if (first) pickNode(first.id);
  });
  $("probe-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    void sendProbe(caller, cy, hook, () => topo);
  });
  $("probe-clear").addEventListener("click", () => {
    clearPath(cy);
    $("probe-result").replaceChildren();
  });
  // The step numbers and the drop sentence follow their nodes as the view pans and zooms.
  cy.on("viewport", () => placeOverlay(cy));
  $("counts").addEventListener("click", (ev) => {
    const id = (ev.target as HTMLElement).closest<HTMLElement>("[data-zoom]")?.dataset["zoom"];
    if (!id) return;
    ev.preventDefault();
    selected = id;
    cy.getElementById(id).select();
    showDetails();
    void zoomTo(id);
  });
  $("zoom-fit").addEventListener("click", () => cy.animate({ fit: { eles: cy.elements(), padding: 20 }, duration: 250 }));
  $("zoom-selection").addEventListener("click", () => {
    if (selected) void zoomTo(selected);
  });
  startWatch();
  live();
  void loadScenarios(
    () => caller,
    config.readOnly,
    config.reason ?? "read-only",
    hook,
    () => void render(),
  );
  void renderByoip(caller, hook);
  await render();
};

void start();
