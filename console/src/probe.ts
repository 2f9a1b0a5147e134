/**
 * The probe form (issue 16): from, to, protocol, port → `POST /_localvpc/traffic/send` (the admin route behind
 * `localvpc traffic send`), and the verdict's forward path drawn on the graph hop by hop, in the manner of
 * Reachability Analyzer: each step lights up in order with its number, the edge it took (a subnet's association, a
 * route) is highlighted, and where a dropped probe stops, the drop sentence (the verdict's explanation) is shown
 * beside the component that dropped it.
 *
 * Hops name components by id; the map draws ENIs, instances, subnets, route tables and gateways, but not security
 * groups or network ACLs: a NACL hop is drawn on the subnet it guards (its detail names it), a security-group hop on
 * the ENI it filters (the sender's for an outbound rule, the receiver's for an inbound one).
 */
import type { Core, EdgeCollection, NodeSingular } from "cytoscape";
import { fill, h } from "./dom.js";
import type { Caller } from "./ec2.js";
import type { Topology } from "./model.js";
import { INTERNET } from "./resource-map.js";
import { adminFetch } from "./token.js";

export interface ProbeHop {
  readonly path: string;
  readonly type: string;
  readonly component: string;
  readonly action: string;
  readonly detail: string;
}
export interface ProbeVerdict {
  readonly delivered: boolean;
  readonly reason: string | null;
  readonly explanation: string;
  readonly deliveredTo: string | null;
  readonly hops: readonly ProbeHop[];
}
export interface PathStep {
  /** The graph node the step is drawn on. */
  readonly node: string;
  readonly drop: boolean;
  /** The forward hops it stands for (indices into the verdict's hops, 0-based). */
  readonly hops: readonly number[];
}

/** What the console's tests read: the path's nodes in the order they lit up, and the drop sentence shown. */
export interface ProbeHook {
  probes: number;
  path: string[];
  pathDone: boolean;
  pathNote: string;
}

/** Between two steps lighting up: slow enough to follow, quick enough not to wait for. */
const STEP_MS = 250;

/** The ENI a destination (`i-…`, `eni-…` or an address) names, when the map draws it. */
const destinationEni = (t: Topology, to: string): string | undefined => {
  if (to.startsWith("eni-")) return to;
  if (to.startsWith("i-"))
    return t.enis.find((e) => e.attachment?.instanceId === to && e.attachment.deviceIndex === 0 && e.attachment.cardIndex === 0)?.id;
  return t.enis.find(
    (e) => e.primaryIp === to || e.secondaryIps.includes(to) || e.ipv6.includes(to) || e.publicIps.some((p) => p.publicIp === to),
  )?.id;
};

/** The verdict's forward hops, mapped onto drawn nodes; consecutive hops on one node are one step. */
export const pathSteps = (cy: Core, t: Topology, to: string, v: ProbeVerdict): PathStep[] => {
  const steps: { node: string; drop: boolean; hops: number[] }[] = [];
  let lastEni: string | undefined;
  v.hops.forEach((hop, i) => {
    if (hop.path !== "forward") return;
    let node: string | undefined;
    if (cy.getElementById(hop.component).nonempty()) node = hop.component;
    else if (hop.type === "network-acl") node = /(subnet-[0-9a-f]+)'s network ACL/.exec(hop.detail)?.[1];
    else if (hop.type === "security-group") node = /outbound|egress/.test(hop.detail) ? lastEni : (destinationEni(t, to) ?? lastEni);
    else if (hop.type === "internet") node = INTERNET;
    if (node === undefined || cy.getElementById(node).empty()) return;
    if (hop.type === "network-interface" && hop.component === node) lastEni = node;
    const drop = hop.action === "drop";
    const prev = steps[steps.length - 1];
    if (prev?.node === node) {
      prev.hops.push(i);
      prev.drop ||= drop;
    } else steps.push({ node, drop, hops: [i] });
  });
  return steps;
};

// ---------------------------------------------------------------- drawing

let shown: { steps: readonly PathStep[]; verdict: ProbeVerdict } | undefined;
let timers: ReturnType<typeof setTimeout>[] = [];
let pathEdgeSeq = 0;

const layer = (): HTMLElement => {
  const el = document.getElementById("path-layer");
  if (!el) throw new Error("#path-layer missing");
  return el;
};

/** The map's own edges between two steps (or the compounds holding them: an ENI's subnet and its route table). */
const edgesBetween = (a: NodeSingular, b: NodeSingular): EdgeCollection =>
  a
    .union(a.ancestors())
    .edgesWith(b.union(b.ancestors()))
    .filter((e) => !e.hasClass("path-edge") && !e.hasClass("traffic"));

export const clearPath = (cy: Core): void => {
  for (const t of timers) clearTimeout(t);
  timers = [];
  shown = undefined;
  cy.batch(() => {
    cy.elements(".path-node, .path-drop, .on-path").removeClass("path-node path-drop on-path");
    cy.remove("edge.path-edge");
  });
  layer().replaceChildren();
};

const lightStep = (cy: Core, steps: readonly PathStep[], i: number): void => {
  const s = steps[i];
  if (!s) return;
  const n = cy.getElementById(s.node);
  n.addClass(s.drop ? "path-drop" : "path-node");
  const prev = i > 0 ? cy.getElementById(steps[i - 1]?.node ?? "") : undefined;
  if (prev?.nonempty() && prev.id() !== n.id()) {
    // The evaluator checks the route before the subnet's outbound NACL (the route decides whether the NACL applies),
    // so a gateway often follows the subnet, not its route table: the route edge taken is the one from two back.
    const before = i > 1 ? cy.getElementById(steps[i - 2]?.node ?? "") : undefined;
    let own = edgesBetween(prev, n);
    if (own.empty() && before?.nonempty() && before.data("kind") === "route-table") own = edgesBetween(before, n);
    const nested = prev.ancestors().contains(n) || n.ancestors().contains(prev);
    if (own.nonempty()) own.addClass("on-path");
    // From a subnet into its own ENI (or out of it), containment is the connection: no line.
    else if (!nested)
      cy.add({
        group: "edges",
        data: { id: `path-edge-${++pathEdgeSeq}`, source: prev.id(), target: n.id(), label: "", kind: "path" },
        classes: s.drop ? "path-edge path-drop" : "path-edge",
      });
  }
};

/** Puts the step numbers and the drop sentence over the graph where their nodes are drawn now. */
export const placeOverlay = (cy: Core): void => {
  if (!shown) return;
  const box = layer();
  const width = box.clientWidth;
  for (const badge of Array.from(box.querySelectorAll<HTMLElement>("[data-node]"))) {
    const n = cy.getElementById(badge.dataset["node"] ?? "");
    if (n.empty()) continue;
    const b = n.renderedBoundingBox({ includeLabels: false });
    if (badge.classList.contains("path-note")) {
      const left = Math.max(4, Math.min(b.x1, width - badge.offsetWidth - 4));
      badge.style.left = `${left}px`;
      badge.style.top = `${Math.max(4, b.y2 + 6)}px`;
    } else {
      badge.style.left = `${b.x1 - 10}px`;
      badge.style.top = `${b.y1 - 10}px`;
    }
  }
};

const showStep = (cy: Core, hook: ProbeHook, steps: readonly PathStep[], i: number): void => {
  const s = steps[i];
  if (!s) return;
  lightStep(cy, steps, i);
  // A node visited twice (a NAT gateway's ENI in and out, say) carries both numbers.
  const numbers = steps.flatMap((x, j) => (x.node === s.node && j <= i ? [j + 1] : []));
  let badge = Array.from(layer().querySelectorAll<HTMLElement>(".path-badge")).find((b) => b.dataset["node"] === s.node);
  if (!badge) {
    badge = h("span", { class: s.drop ? "path-badge drop" : "path-badge" });
    badge.dataset["node"] = s.node;
    layer().append(badge);
  }
  badge.textContent = numbers.join("·");
  hook.path.push(s.node);
};

const finish = (cy: Core, hook: ProbeHook, steps: readonly PathStep[], v: ProbeVerdict): void => {
  hook.pathDone = true;
  if (!v.delivered) {
    const stop = steps[steps.length - 1]?.node ?? "";
    const note = h(
      "div",
      { class: "path-note", role: "status" },
      h("strong", {}, `Dropped${v.reason ? ` (${v.reason})` : ""}: `),
      v.explanation,
    );
    note.id = "path-note";
    note.dataset["node"] = stop;
    layer().append(note);
    hook.pathNote = v.explanation;
  }
  placeOverlay(cy);
};

export const drawPath = (cy: Core, hook: ProbeHook, steps: readonly PathStep[], v: ProbeVerdict): void => {
  clearPath(cy);
  shown = { steps, verdict: v };
  hook.path = [];
  hook.pathDone = false;
  hook.pathNote = "";
  steps.forEach((_, i) => {
    timers.push(
      setTimeout(() => {
        showStep(cy, hook, steps, i);
        placeOverlay(cy);
      }, i * STEP_MS),
    );
  });
  timers.push(setTimeout(() => finish(cy, hook, steps, v), steps.length * STEP_MS));
};

/** After a redraw replaced the elements: the path shown is drawn again at once (no animation). */
export const reapplyPath = (cy: Core, hook: ProbeHook): void => {
  const s = shown;
  if (!s) return;
  cy.remove("edge.path-edge");
  cy.elements(".path-node, .path-drop, .on-path").removeClass("path-node path-drop on-path");
  // The steps lit so far (all of them once done; while animating, its timers light the rest).
  s.steps.slice(0, hook.path.length).forEach((_, i) => lightStep(cy, s.steps, i));
  placeOverlay(cy);
};

// ---------------------------------------------------------------- the form

const hopList = (v: ProbeVerdict): HTMLElement =>
  h(
    "ol",
    { class: "hops" },
    ...v.hops
      .filter((x) => x.path === "forward")
      .map((x) => h("li", { class: x.action === "drop" ? "drop" : "" }, h("code", {}, x.component), ` ${x.action}: ${x.detail}`)),
  );

export const sendProbe = async (caller: Caller, cy: Core, hook: ProbeHook, topo: () => Topology): Promise<void> => {
  const val = (id: string): string => ((document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null)?.value ?? "").trim();
  const from = val("probe-from");
  const to = val("probe-to");
  const proto = val("probe-proto") || "tcp";
  const port = Number(val("probe-port") || "443");
  const out = document.getElementById("probe-result");
  if (!out) return;
  fill(out, h("p", { class: "hint" }, "Sending…"));
  try {
    const res = await adminFetch("/_localvpc/traffic/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: caller.account, region: caller.region, from, to, proto, port }),
    });
    const body = (await res.json()) as ProbeVerdict & { error?: string; message?: string };
    if (!res.ok) {
      clearPath(cy);
      fill(out, h("p", { class: "error" }, `${body.error ?? res.status}: ${body.message ?? ""}`));
      return;
    }
    hook.probes++;
    const steps = pathSteps(cy, topo(), to, body);
    fill(
      out,
      h(
        "p",
        { class: body.delivered ? "verdict ok" : "verdict drop", id: "probe-verdict" },
        h("strong", {}, body.delivered ? "delivered" : "dropped"),
        body.delivered ? ` ${body.explanation}` : ` (${body.reason ?? ""}) `,
        body.delivered ? null : h("span", { class: "explanation" }, body.explanation),
      ),
      hopList(body),
    );
    drawPath(cy, hook, steps, body);
  } catch (e) {
    fill(out, h("p", { class: "error" }, e instanceof Error ? e.message : String(e)));
  }
};

/** Offers the drawn instances and ENIs (and `internet`) as the form's suggestions. */
export const fillProbeHosts = (t: Topology): void => {
  const list = document.getElementById("probe-hosts");
  if (!list) return;
  fill(
    list,
    h("option", { value: "internet" }),
    ...t.instances.map((i) => h("option", { value: i.id }, i.name ? `${i.name} (${i.id})` : i.id)),
    ...t.enis.map((e) => h("option", { value: e.id }, `${e.primaryIp} (${e.id})`)),
  );
};
