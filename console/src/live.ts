/**
 * The console's live panels (issue 6): Watch (traffic verdicts animated along their hops, drops in red with the
 * explanation, a delivered/dropped-per-second chart, a flow-log tail for the selected ENI) and BYOIP (ranges and
 * their state, pools with used/free counts, the internet's BGP view). Verdicts arrive on the SSE feed as `verdict`
 * events (the server publishes every probe of `POST /_localvpc/traffic/send`, whoever sent it); BYOIP re-reads on
 * every `change` event. Everything is read the way any client would: the EC2 API, CloudWatch Logs' JSON API, and
 * the admin route `GET /_localvpc/bgp`.
 */
import type { Core } from "cytoscape";
import { ec2, list, str, type Caller } from "./ec2.js";
import { fill, h, type Child } from "./dom.js";
import { adminFetch } from "./token.js";

export interface VerdictEvent {
  readonly account: string;
  readonly region: string;
  readonly delivered: boolean;
  readonly reason: string | null;
  readonly explanation: string;
  readonly deliveredTo: string | null;
  readonly hops: readonly { readonly component: string; readonly action: string; readonly type: string; readonly path: string }[];
  readonly probe: { readonly from?: unknown; readonly to?: unknown; readonly protocol?: unknown; readonly dstPort?: unknown };
}

export interface LiveHook {
  verdicts: number;
  flowLogLines: number;
  byoipRenders: number;
}

const text = (x: unknown): string => (typeof x === "string" || typeof x === "number" ? String(x) : "");
const el = (id: string): HTMLElement => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e;
};

// ---------------------------------------------------------------- Watch: verdicts, animation, chart

const KEEP = 12;
const SECONDS = 30;
/** Per-second counts, keyed by the second (epoch seconds). */
const perSecond = new Map<number, { ok: number; drop: number }>();
const recent: VerdictEvent[] = [];

const renderVerdicts = (): void => {
  fill(
    el("traffic-list"),
    ...(recent.length
      ? recent.map((v) => {
          const p = v.probe;
          const what = `${text(p.from) || "?"} → ${text(p.to) || "?"} ${text(p.protocol)}/${text(p.dstPort)}`;
          return v.delivered
            ? h(
                "li",
                { class: "verdict ok" },
                h("strong", {}, "delivered"),
                ` ${what}`,
                v.deliveredTo ? " to " : null,
                v.deliveredTo ? h("code", {}, v.deliveredTo) : null,
              )
            : h(
                "li",
                { class: "verdict drop" },
                h("strong", {}, "dropped"),
                ` ${what} `,
                h("code", {}, v.reason ?? ""),
                h("br"),
                h("span", { class: "explanation" }, v.explanation),
              );
        })
      : [
          h(
            "li",
            { class: "hint" },
            "No traffic yet: run ",
            h("code", {}, "localvpc traffic run"),
            " or ",
            h("code", {}, "traffic send"),
            ".",
          ),
        ]),
  );
};

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag: string, attrs: Readonly<Record<string, string | number>>, ...kids: readonly (Element | string)[]): SVGElement => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...kids);
  return e;
};

/** An SVG bar chart of the last 30 seconds: delivered (green) above the axis, dropped (red) below. */
const renderChart = (): void => {
  const now = Math.floor(Date.now() / 1000);
  const rows = Array.from({ length: SECONDS }, (_, i) => perSecond.get(now - SECONDS + 1 + i) ?? { ok: 0, drop: 0 });
  const max = Math.max(1, ...rows.map((r) => Math.max(r.ok, r.drop)));
  const w = 300;
  const hgt = 90;
  const mid = hgt / 2;
  const bw = w / SECONDS;
  const bars = rows.flatMap((r, i) => {
    const x = (i * bw + 1).toFixed(1);
    const up = (r.ok / max) * (mid - 4);
    const down = (r.drop / max) * (mid - 4);
    const width = (bw - 2).toFixed(1);
    return [
      ...(r.ok ? [svg("rect", { class: "bar-ok", x, y: (mid - up).toFixed(1), width, height: up.toFixed(1) })] : []),
      ...(r.drop ? [svg("rect", { class: "bar-drop", x, y: mid, width, height: down.toFixed(1) })] : []),
    ];
  });
  const last = rows[rows.length - 1] ?? { ok: 0, drop: 0 };
  const total = rows.reduce((a, r) => ({ ok: a.ok + r.ok, drop: a.drop + r.drop }), { ok: 0, drop: 0 });
  fill(
    el("delivery-chart"),
    svg(
      "svg",
      { viewBox: `0 0 ${w} ${hgt}`, width: "100%", role: "img", "aria-label": "delivered and dropped per second" },
      svg("line", { x1: 0, y1: mid, x2: w, y2: mid, class: "axis" }),
      ...bars,
      svg("text", { x: 2, y: 11, class: "scale" }, `${max}/s`),
    ),
    h(
      "p",
      { class: "legend" },
      h("span", { class: "ok" }, "■ delivered"),
      " ",
      h("span", { id: "chart-delivered" }, total.ok),
      " · ",
      h("span", { class: "drop" }, "■ dropped"),
      " ",
      h("span", { id: "chart-dropped" }, total.drop),
      ` in the last ${SECONDS} s (this second: ${last.ok} / ${last.drop})`,
    ),
  );
};

let edgeSeq = 0;
/**
 * Verdict animations in flight. A `traffic run` can send hundreds of probes a second; animating each would add and
 * remove graph elements faster than they can be drawn (and keep thousands of timers alive). Past this many, a verdict
 * is still listed and counted, just not animated.
 */
const MAX_ANIMATIONS = 4;
let animating = 0;

/**
 * Lights the hops' components that are drawn (subnets, instances, ENIs; the dropping hop in red) one after the
 * other, and draws the path between them as transient edges (the topology has no edges of its own).
 */
const animate = (cy: Core, v: VerdictEvent): void => {
  if (animating >= MAX_ANIMATIONS) return;
  const drawn = v.hops.filter((h) => h.path === "forward" && cy.getElementById(h.component).nonempty());
  const steps = drawn.filter((h, i) => i === 0 || drawn[i - 1]?.component !== h.component);
  if (steps.length === 0) return;
  animating++;
  let left = steps.length;
  steps.forEach((hop, i) => {
    const n = cy.getElementById(hop.component);
    const cls = hop.action === "drop" ? "hop-drop" : "hop-pass";
    setTimeout(() => {
      n.addClass(cls);
      const prev = steps[i - 1];
      const edge = prev
        ? cy.add({
            group: "edges",
            data: { id: `traffic-${++edgeSeq}`, source: prev.component, target: hop.component },
            classes: v.delivered ? "traffic" : "traffic dropped",
          })
        : undefined;
      setTimeout(() => {
        n.removeClass(cls);
        edge?.remove();
        if (--left === 0) animating--;
      }, 1500);
    }, i * 150);
  });
};

export const onVerdict = (cy: Core, hook: LiveHook, caller: Caller, v: VerdictEvent): void => {
  if (v.account !== caller.account || v.region !== caller.region) return;
  hook.verdicts++;
  recent.unshift(v);
  recent.length = Math.min(recent.length, KEEP);
  const s = Math.floor(Date.now() / 1000);
  const c = perSecond.get(s) ?? { ok: 0, drop: 0 };
  if (v.delivered) c.ok++;
  else c.drop++;
  perSecond.set(s, c);
  for (const k of perSecond.keys()) if (k < s - SECONDS) perSecond.delete(k);
  // The list and the chart are redrawn at most every 200 ms, however fast verdicts come.
  panelTimer ??= setTimeout(() => {
    panelTimer = undefined;
    renderVerdicts();
    renderChart();
  }, 200);
  animate(cy, v);
};

let panelTimer: ReturnType<typeof setTimeout> | undefined;

export const startWatch = (): void => {
  renderVerdicts();
  renderChart();
  setInterval(renderChart, 1000);
};

export const resetWatch = (): void => {
  clearTimeout(panelTimer);
  panelTimer = undefined;
  recent.length = 0;
  perSecond.clear();
  renderVerdicts();
  renderChart();
};

// ---------------------------------------------------------------- flow-log tail

interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly eventId?: string;
}

const logs = async (caller: Caller, op: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const res = await adminFetch("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `Logs_20140328.${op}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${caller.account}/${date}/${caller.region}/logs/aws4_request, SignedHeaders=host, Signature=console`,
    },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${op}: ${text(answer["__type"]) || res.status}: ${text(answer["message"])}`);
  return answer;
};

let tail: { eni: string; timer: ReturnType<typeof setTimeout> } | undefined;

/** The log groups of the CloudWatch Logs flow logs covering this ENI (on the ENI, its subnet or its VPC). */
const groupsFor = async (caller: Caller, eni: { id: string; subnetId: string; vpcId: string }): Promise<string[]> => {
  const r = await ec2(caller, "DescribeFlowLogs", {
    "Filter.1.Name": "resource-id",
    "Filter.1.Value.1": eni.id,
    "Filter.1.Value.2": eni.subnetId,
    "Filter.1.Value.3": eni.vpcId,
  });
  return [
    ...new Set(
      list(r["flowLogSet"])
        .filter((f) => str(f["logDestinationType"]) === "cloud-watch-logs" || str(f["logGroupName"]) !== "")
        .map((f) => str(f["logGroupName"]))
        .filter((g) => g !== ""),
    ),
  ];
};

/** Shows the last records of `<eni>-all` in the ENI's flow-log groups, polling every 2 s while it stays selected. */
export const tailFlowLogs = (caller: Caller, hook: LiveHook, eni: { id: string; subnetId: string; vpcId: string } | undefined): void => {
  if (tail?.eni === eni?.id) return;
  if (tail) clearTimeout(tail.timer);
  tail = undefined;
  const box = el("flow-log-tail");
  if (!eni) {
    fill(box, h("p", { class: "hint" }, "Select an ENI to tail its flow-log stream."));
    return;
  }
  fill(box, h("p", { class: "hint" }, `Reading the flow logs of ${eni.id}…`));
  const me = { eni: eni.id, timer: setTimeout(() => undefined, 0) };
  tail = me;
  const poll = async (): Promise<void> => {
    try {
      const groups = await groupsFor(caller, eni);
      if (tail !== me) return;
      if (groups.length === 0) {
        fill(
          box,
          h(
            "p",
            { class: "hint" },
            `No CloudWatch Logs flow log covers ${eni.id} (its subnet or VPC): create one to see its records here.`,
          ),
        );
      } else {
        const events: LogEvent[] = [];
        for (const g of groups) {
          try {
            const r = await logs(caller, "FilterLogEvents", { logGroupName: g, logStreamNames: [`${eni.id}-all`], limit: 50 });
            events.push(...((r["events"] as LogEvent[] | undefined) ?? []));
          } catch {
            // The stream appears with the first aggregation window; until then there is nothing to show.
          }
        }
        if (tail !== me) return;
        const last = events.sort((a, b) => a.timestamp - b.timestamp).slice(-15);
        hook.flowLogLines = last.length;
        fill(
          box,
          h("p", { class: "hint" }, `${groups.join(", ")} · stream `, h("code", {}, `${eni.id}-all`)),
          last.length
            ? h("pre", { class: "log" }, last.map((e) => e.message).join("\n"))
            : h("p", { class: "hint" }, "No records yet (flow logs aggregate traffic into windows before delivering)."),
        );
      }
    } catch (e) {
      if (tail === me) fill(box, h("p", { class: "error" }, e instanceof Error ? e.message : String(e)));
    }
    if (tail === me) me.timer = setTimeout(() => void poll(), 2000);
  };
  void poll();
};

// ---------------------------------------------------------------- BYOIP

interface BgpAnnouncement {
  readonly prefix: string;
  readonly originAsn: number;
  readonly network: string;
  readonly advertisedBy: string;
  readonly rpki: string;
  readonly accepted: boolean;
  readonly filteredBecause?: string | null;
}

let byoipBusy = false;
let byoipAgain = false;
/** Read through a function: the flag is set by a render requested while this one awaited. */
const again = (): boolean => byoipAgain;

export const renderByoip = async (caller: Caller, hook: LiveHook): Promise<void> => {
  if (byoipBusy) {
    byoipAgain = true;
    return;
  }
  byoipBusy = true;
  try {
    do {
      byoipAgain = false;
      const [cidrs, pools, bgp] = await Promise.all([
        ec2(caller, "DescribeByoipCidrs", { MaxResults: "100" }),
        ec2(caller, "DescribePublicIpv4Pools", {}),
        adminFetch("/_localvpc/bgp").then((r) => r.json() as Promise<{ announcements?: BgpAnnouncement[] }>),
      ]);
      const ranges = list(cidrs["byoipCidrSet"]);
      const poolRows = list(pools["publicIpv4PoolSet"]);
      const anns = bgp.announcements ?? [];
      const grid = (head: readonly string[], rows: readonly HTMLElement[]): HTMLElement =>
        h("table", { class: "grid" }, h("tr", {}, ...head.map((x) => h("th", {}, x))), ...rows);
      const td = (...kids: readonly Child[]): HTMLElement => h("td", {}, ...kids);
      fill(
        el("byoip"),
        h("h2", {}, "BYOIP"),
        h("h3", {}, "Address ranges"),
        ranges.length
          ? grid(
              ["CIDR", "state", "description"],
              ranges.map((r) =>
                h(
                  "tr",
                  { class: "byoip-range" },
                  td(h("code", {}, str(r["cidr"]))),
                  h("td", { class: `state ${str(r["state"])}` }, str(r["state"])),
                  td(str(r["statusMessage"]) || str(r["description"])),
                ),
              ),
            )
          : h("p", { class: "hint" }, `No BYOIP range in ${caller.account} · ${caller.region}.`),
        h("h3", {}, "Public IPv4 pools"),
        poolRows.length
          ? grid(
              ["pool", "ranges", "used", "free"],
              poolRows.map((p) => {
                const total = Number(str(p["totalAddressCount"]) || "0");
                const free = Number(str(p["totalAvailableAddressCount"]) || "0");
                const spans = list(p["poolAddressRangeSet"]).flatMap((a, i) => [
                  i ? h("br") : null,
                  `${str(a["firstAddress"])}–${str(a["lastAddress"])}`,
                ]);
                return h("tr", { class: "byoip-pool" }, td(h("code", {}, str(p["poolId"]))), td(...spans), td(total - free), td(free));
              }),
            )
          : h("p", { class: "hint" }, "No public IPv4 pool."),
        h("h3", {}, "BGP (the internet's view)"),
        anns.length
          ? grid(
              ["prefix", "origin", "received by", "RPKI"],
              anns.map((a) =>
                h(
                  "tr",
                  { class: `bgp ${a.accepted ? "accepted" : "filtered"}` },
                  td(h("code", {}, a.prefix)),
                  td(`AS${a.originAsn} (${a.advertisedBy})`),
                  td(a.accepted ? a.network : `nobody: ${a.filteredBecause ?? "filtered"}`),
                  h("td", { class: `rpki ${a.rpki}` }, a.rpki),
                ),
              ),
            )
          : h("p", { class: "hint" }, "No announcement: nobody on the internet receives these prefixes."),
      );
      hook.byoipRenders++;
    } while (again());
  } catch (e) {
    fill(el("byoip"), h("h2", {}, "BYOIP"), h("p", { class: "error" }, e instanceof Error ? e.message : String(e)));
  } finally {
    byoipBusy = false;
  }
};
