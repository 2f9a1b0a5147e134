/**
 * `localvpc traffic send | run | advise`: probe a running localvpc's data plane. `send` prints one verdict (with
 * `--json`: {delivered, reason, explanation, deliveredTo, hops, …}); `run` keeps a flow going at a rate and shows
 * live delivered/dropped counts and which instance answered; `advise` lists configurations AWS warns about.
 */
import { parseDuration as parseSharedDuration } from "../domain/duration.js";
import type { Command } from "commander";
import { SingleBar } from "cli-progress";
import type { Verdict as EvaluatedVerdict } from "../domain/dataplane/evaluate.js";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

/** What `POST /_localvpc/traffic/send` answers: the evaluator's verdict (its JSON form) and the engine's notes. */
type Verdict = EvaluatedVerdict & { notes: string[] };

type SendOptions = AdminCliOptions & { from: string; to: string; proto: string; port: string; ipv6?: boolean };

const sendBody = (o: SendOptions, srcPort?: number) => ({
  from: o.from,
  to: o.to,
  proto: o.proto,
  port: Number(o.port),
  srcPort,
  ...(o.ipv6 === true ? { family: 6 } : {}), // issue 16 (IPv6)
});

const renderVerdict = (v: Verdict): string => {
  const lines = [
    `${v.delivered ? "DELIVERED" : `DROPPED (${v.reason ?? ""})`}${v.deliveredTo ? ` to ${v.deliveredTo}` : ""}`,
    v.explanation,
  ];
  if (v.reply && !v.reply.delivered) lines.push(`reply: DROPPED (${v.reply.reason ?? ""})`);
  lines.push("hops:");
  for (const h of v.hops) {
    const rw = h.rewrite ? `  [${h.rewrite.field} ${h.rewrite.from} → ${h.rewrite.to}]` : "";
    lines.push(`  ${h.path === "return" ? "←" : "→"} ${h.action.padEnd(7)} ${h.type.padEnd(17)} ${h.component}: ${h.detail}${rw}`);
  }
  for (const n of v.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
};

/** What `POST /_localvpc/traffic/throughput` answers (issue 21). */
interface ThroughputAnswer {
  durationSeconds: number;
  flows: {
    from: string;
    to: string;
    requestedGbps: number;
    delivered: boolean;
    reason: string | null;
    achievedGbps: number;
    burstGbps: number;
    burstSeconds: number;
    sustainedGbps: number;
    limitedBy: string;
  }[];
  instances: {
    instanceId: string;
    instanceType: string;
    burstSecondsLeft: number;
    cards: { cardIndex: number; baselineGbps: number; peakGbps: number; outGbps: number; inGbps: number }[];
  }[];
}

const renderThroughput = (t: ThroughputAnswer): string =>
  [
    ...t.flows.map((f) =>
      f.delivered
        ? `${f.from} → ${f.to}: ${f.achievedGbps} Gbps of ${f.requestedGbps} over ${t.durationSeconds}s (burst ${f.burstGbps} for ${f.burstSeconds}s, sustained ${f.sustainedGbps}; limited by ${f.limitedBy})`
        : `${f.from} → ${f.to}: DROPPED (${f.reason ?? ""}), 0 Gbps`,
    ),
    ...t.instances.flatMap((i) =>
      i.cards.map(
        (c) =>
          `  ${i.instanceId} (${i.instanceType}) card ${c.cardIndex}: baseline ${c.baselineGbps} Gbps, peak ${c.peakGbps} Gbps; out ${c.outGbps}, in ${c.inGbps}; burst left ${i.burstSecondsLeft}s`,
      ),
    ),
  ].join("\n");

/** "10s", "500ms", "2m", "1h30m" (the shared duration form) or a plain number of seconds → ms. */
export const parseDuration = (text: string): number => {
  const t = text.trim();
  const ms = /^\d+(?:\.\d+)?$/.test(t) ? Number(t) * 1000 : parseSharedDuration(t);
  if (ms === undefined) throw new Error(`invalid duration '${text}' (use e.g. 10s, 500ms, 2m)`);
  return ms;
};

const withProbeOptions = (cmd: Command): Command =>
  cmd
    .requiredOption("--from <src>", "instance id, ENI id, IP address, 'internet', lambda:FUNCTION (issue 17) or pod:NAME (issue 18)")
    .requiredOption("--to <dst>", "instance id, ENI id, IP address, 'internet' or pod:NAME (issue 18)")
    .option("--proto <p>", "tcp | udp | icmp", "tcp")
    .option("--port <n>", "destination port", "443")
    .option("--ipv6", "send IPv6: to and from instances' and ENIs' IPv6 addresses, 'internet' as 3fff::7 (implied by an IPv6 address)");

export const registerTrafficCommand = (program: Command): void => {
  const traffic = program.command("traffic").description("Simulated traffic through routes, NACLs, security groups and gateways");
  withAdminOptions(withProbeOptions(traffic.command("send").description("Send one packet and explain its fate"))).action(
    async (o: SendOptions) => {
      const v = await callAdmin<Verdict>(o, "POST", "traffic/send", sendBody(o));
      printAnswer(o, v, renderVerdict);
    },
  );

  withAdminOptions(
    withProbeOptions(traffic.command("run").description("Keep a flow going and show who receives it"))
      .requiredOption("--rate <n>", "requests per second, or a bandwidth (2Gbps, 500Mbps: the throughput the flow achieves)")
      .requiredOption("--duration <d>", "how long: 10s, 500ms, 2m"),
  ).action(async (o: SendOptions & { rate: string; duration: string }) => {
    // A rate with a unit is bandwidth (issue 21): what the flow achieves under its instances' caps.
    if (/[a-z]/i.test(o.rate)) {
      const flow = { from: o.from, to: o.to, proto: o.proto, port: Number(o.port), rate: o.rate };
      const t = await callAdmin<ThroughputAnswer>(o, "POST", "traffic/throughput", {
        flows: [flow],
        duration: parseDuration(o.duration) / 1000,
      });
      printAnswer(o, t, renderThroughput);
      return;
    }
    const rate = Number(o.rate);
    if (!(rate > 0 && rate <= 1000)) throw new Error("--rate must be between 0 and 1000 requests per second");
    const durationMs = parseDuration(o.duration);
    const total = Math.max(1, Math.round((durationMs / 1000) * rate));
    const byReceiver = new Map<string, number>();
    const byReason = new Map<string, number>();
    const timeline: { from: number; to: number; outcome: string }[] = [];
    let delivered = 0;
    const bar = o.json
      ? undefined
      : new SingleBar({ format: " {bar} {value}/{total} | delivered {delivered} | dropped {dropped} | last: {last}", hideCursor: true });
    bar?.start(total, 0, { delivered: 0, dropped: 0, last: "-" });
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const v = await callAdmin<Verdict>(o, "POST", "traffic/send", sendBody(o));
      const ok = v.delivered && v.reply?.delivered !== false;
      const outcome = ok ? (v.deliveredTo ?? "internet") : `dropped: ${v.reason ?? v.reply?.reason ?? ""}`;
      if (ok) {
        delivered++;
        byReceiver.set(outcome, (byReceiver.get(outcome) ?? 0) + 1);
      } else byReason.set(v.reason ?? v.reply?.reason ?? "", (byReason.get(v.reason ?? v.reply?.reason ?? "") ?? 0) + 1);
      const last = timeline[timeline.length - 1];
      if (last?.outcome === outcome) last.to = i + 1;
      else timeline.push({ from: i + 1, to: i + 1, outcome });
      bar?.update(i + 1, { delivered, dropped: i + 1 - delivered, last: outcome });
    }
    bar?.stop();
    const summary = {
      requests: total,
      delivered,
      dropped: total - delivered,
      receivers: Object.fromEntries(byReceiver),
      dropReasons: Object.fromEntries(byReason),
      timeline,
    };
    printAnswer(o, summary, (s) =>
      [
        `${s.requests} requests: ${s.delivered} delivered, ${s.dropped} dropped`,
        ...Object.entries(s.receivers).map(([k, n]) => `  received by ${k}: ${n}`),
        ...Object.entries(s.dropReasons).map(([k, n]) => `  dropped (${k}): ${n}`),
        "timeline:",
        ...s.timeline.map((t) => `  #${t.from}-${t.to}: ${t.outcome}`),
      ].join("\n"),
    );
  });

  withAdminOptions(
    traffic
      .command("advise")
      .description(
        "Configurations AWS warns about (asymmetric routing, source/dest check on a next hop, NACL and security-group rules that can never match)",
      ),
  ).action(async (o: AdminCliOptions) => {
    const a = await callAdmin<{ advisories: { code: string; resource: string; message: string }[] }>(o, "GET", "traffic/advise");
    printAnswer(o, a, (x) =>
      x.advisories.length === 0 ? "No advisories." : x.advisories.map((d) => `${d.code} ${d.resource}: ${d.message}`).join("\n"),
    );
  });
};
