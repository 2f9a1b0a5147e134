/**
 * Throughput of flows that carry a rate (issue 21): `POST /_localvpc/traffic/throughput`
 * `{"flows": [{"from", "to", "proto"?, "port"?, "rate": "2Gbps"}], "duration"?: "60s"}` answers, per flow, whether it
 * is delivered (the same evaluation as `traffic send`, as an analysis: nothing recorded) and the throughput it
 * achieves, and per instance card its caps and load. The rules (per-card caps from the type data, no NIC teaming,
 * 5 Gbps per flow outside a cluster placement group, fair shares, burst then baseline) are domain/bandwidth.ts.
 */
import { adminScope, bodyObject, type AdminRoute } from "../admin/routes.js";
import {
  averageOverRun,
  burstAvailable,
  BURST_SECONDS,
  cardCaps,
  creditAfterRun,
  internetEgressGbps,
  parseRateGbps,
  PER_FLOW_CLUSTER_GBPS,
  PER_FLOW_GBPS,
  shareBandwidth,
  type BurstCredit,
  type CardCap,
  type FlowDemand,
} from "../domain/bandwidth.js";
import { parseDuration } from "../domain/duration.js";
import { err } from "../domain/errors.js";
import type { Scope, Tx } from "../store/store.js";
import type { Ec2Service } from "../services/ec2/seams.js";
import type { TrafficEngine } from "./traffic.js";

interface FlowRequest {
  readonly from: string;
  readonly to: string;
  readonly proto: "tcp" | "udp";
  readonly port: number;
  readonly rateGbps: number;
}

const parseFlows = (body: unknown): { flows: FlowRequest[]; durationSec: number } => {
  const b = bodyObject(body, "flows");
  const list = b["flows"];
  if (!Array.isArray(list) || list.length === 0 || list.length > 1000) throw err.missingParameter("flows");
  const flows = list.map((f: unknown, i): FlowRequest => {
    const o = bodyObject(f, `flows[${i}].from`);
    const from = o["from"];
    const to = o["to"];
    if (typeof from !== "string" || from === "") throw err.missingParameter(`flows[${i}].from`);
    if (typeof to !== "string" || to === "") throw err.missingParameter(`flows[${i}].to`);
    const proto = o["proto"] ?? "tcp";
    if (proto !== "tcp" && proto !== "udp") throw err.trafficProtocol(JSON.stringify(proto));
    const port = o["port"] ?? 443;
    if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) throw err.trafficPort(JSON.stringify(port));
    const rate = o["rate"];
    const rateGbps = typeof rate === "string" || typeof rate === "number" ? parseRateGbps(rate) : undefined;
    if (rateGbps === undefined) throw err.trafficRate(JSON.stringify(rate ?? null));
    return { from, to, proto, port, rateGbps };
  });
  const d = b["duration"];
  const ms = d === undefined ? 60_000 : typeof d === "string" ? parseDuration(d) : typeof d === "number" ? d * 1000 : undefined;
  if (ms === undefined || !(ms > 0)) throw err.trafficRate(JSON.stringify(d));
  return { flows, durationSec: ms / 1000 };
};

/** An interface's instance and card, and the instance's type caps and placement group. */
interface Endpoint {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly card: number;
  readonly caps: readonly CardCap[];
  readonly vcpus: number;
  readonly clusterGroup: string | undefined;
}

const endpointOf = (
  tx: Tx,
  eniId: string | null | undefined,
  typeInfo: (t: string) => CardCap[],
  vcpusOf: (t: string) => number,
): Endpoint | undefined => {
  if (!eniId) return undefined;
  const eni = tx.get("network-interface", eniId);
  const at = eni?.attachment;
  if (!at) return undefined;
  const inst = tx.forScope({ account: at.instanceOwnerId, region: tx.scope.region }).get("instance", at.instanceId);
  if (!inst) return undefined;
  let clusterGroup: string | undefined;
  if (inst.placementGroupName !== undefined) {
    const [pgId] = tx.idsByKey("placement-group", "group-name", inst.placementGroupName);
    const pg = pgId !== undefined ? tx.get("placement-group", pgId) : undefined;
    if (pg?.strategy === "cluster") clusterGroup = pg.id;
  }
  return {
    instanceId: inst.id,
    instanceType: inst.instanceType,
    card: at.networkCardIndex,
    caps: typeInfo(inst.instanceType),
    vcpus: vcpusOf(inst.instanceType),
    clusterGroup,
  };
};

/** Burst credits are runtime state (like conntrack), not stored records: at most this many instances are remembered. */
const MAX_CREDITS = 50_000;

export const bandwidthRoutes = (ec2: Ec2Service, defaults: Scope, engine: TrafficEngine): AdminRoute[] => {
  // Per instance (account/region/id): the burst it had left when its last bursting run ended (issue 21).
  const credits = new Map<string, BurstCredit>();
  return [
    {
      method: "POST",
      path: "/_localvpc/traffic/throughput",
      summary: "traffic throughput",
      changesState: false,
      handle: (req) => {
        const scope = adminScope(req, defaults);
        const { flows, durationSec } = parseFlows(req.body);
        return ec2.runAdmin(scope, "admin", (ctx) => {
          const typeInfo = (t: string): CardCap[] => cardCaps(ctx.catalog.instanceTypes.get(t)?.NetworkInfo);
          const vcpusOf = (t: string): number => ctx.catalog.instanceTypes.get(t)?.VCpuInfo?.DefaultVCpus ?? 1;
          const now = ctx.now.getTime();
          const endpoints = new Map<string, Endpoint>();
          const evaluated = flows.map((f, i) => {
            const v = engine.analyze(ctx.tx, scope, now, {
              from: f.from,
              to: f.to,
              proto: f.proto,
              port: f.port,
              srcPort: 49152 + (i % 16384),
            });
            const srcEni = v.hops.find((h) => h.type === "network-interface")?.component;
            const src = v.hops[0]?.type === "internet" ? undefined : endpointOf(ctx.tx, srcEni, typeInfo, vcpusOf);
            const dst = endpointOf(ctx.tx, v.deliveredToEni, typeInfo, vcpusOf);
            for (const e of [src, dst]) if (e) endpoints.set(e.instanceId, e);
            const delivered = v.delivered && v.reply?.delivered !== false;
            return { f, v, src, dst, delivered };
          });
          const demands: FlowDemand[] = evaluated.map(({ f, src, dst, delivered }, i) => ({
            id: String(i),
            requestedGbps: delivered ? f.rateGbps : 0,
            perFlowGbps: src?.clusterGroup !== undefined && src.clusterGroup === dst?.clusterGroup ? PER_FLOW_CLUSTER_GBPS : PER_FLOW_GBPS,
            // The card, not the interface: more interfaces on one card never add a cap (no NIC teaming).
            resources: [
              ...(src ? [`${src.instanceId}/${src.card}/out`] : []),
              ...(dst ? [`${dst.instanceId}/${dst.card}/in`] : []),
              // To the internet (delivered, no receiving instance): the instance's internet egress limit too.
              ...(src && !dst && delivered ? [`${src.instanceId}/internet`] : []),
            ],
          }));
          const capOf =
            (which: "peakGbps" | "baselineGbps") =>
            (resource: string): number | undefined => {
              const [instanceId, card] = resource.split("/");
              const e = endpoints.get(instanceId!);
              if (e && card === "internet")
                return internetEgressGbps(
                  e.vcpus,
                  e.caps.reduce((sum, c) => sum + c[which], 0),
                );
              return e?.caps.find((c) => c.cardIndex === Number(card))?.[which];
            };
          const burst = shareBandwidth(demands, capOf("peakGbps"));
          const sustained = shareBandwidth(demands, capOf("baselineGbps"));
          // Each instance's burst left now, and whether this run asks more of it than its baseline caps.
          const creditKey = (instanceId: string): string => `${scope.account}/${scope.region}/${instanceId}`;
          const available = new Map([...endpoints.keys()].map((id) => [id, burstAvailable(credits.get(creditKey(id)), now)]));
          const burstLoad = new Map<string, number>();
          demands.forEach((d, i) => {
            for (const r of d.resources) burstLoad.set(r, (burstLoad.get(r) ?? 0) + burst[i]!.gbps);
          });
          const bursting = (instanceId: string): boolean =>
            [...burstLoad].some(([r, g]) => r.startsWith(`${instanceId}/`) && g > (capOf("baselineGbps")(r) ?? Infinity) + 1e-9);
          // A flow bursts while every instance it passes through still can.
          const burstSecOf = (src: Endpoint | undefined, dst: Endpoint | undefined): number =>
            Math.min(BURST_SECONDS, ...[src, dst].flatMap((e) => (e ? [available.get(e.instanceId)!] : [])));
          const load = new Map<string, number>();
          const out = evaluated.map(({ f, v, src, dst, delivered }, i) => {
            const burstSec = burstSecOf(src, dst);
            const achieved = averageOverRun(burst[i]!.gbps, sustained[i]!.gbps, durationSec, burstSec);
            for (const r of demands[i]!.resources) load.set(r, (load.get(r) ?? 0) + achieved);
            return {
              from: f.from,
              to: f.to,
              requestedGbps: f.rateGbps,
              delivered,
              reason: v.delivered ? (v.reply?.reason ?? null) : v.reason,
              achievedGbps: achieved,
              burstGbps: burst[i]!.gbps,
              sustainedGbps: sustained[i]!.gbps,
              burstSeconds: round(Math.min(burstSec, durationSec)),
              limitedBy: delivered ? (durationSec > burstSec ? sustained[i]!.limitedBy : burst[i]!.limitedBy) : "dropped",
              fromInstance: src?.instanceId ?? null,
              toInstance: dst?.instanceId ?? null,
            };
          });
          // Spend the credit of every instance that burst in this run (the run is an analysis of the next
          // `duration`; the credit earns back on the simulated clock after it).
          const left = new Map<string, number>();
          for (const id of endpoints.keys()) {
            const next = creditAfterRun(available.get(id)!, bursting(id), now, durationSec);
            if (next) {
              credits.delete(creditKey(id));
              credits.set(creditKey(id), next);
              if (credits.size > MAX_CREDITS) credits.delete(credits.keys().next().value!);
            }
            left.set(id, round(next ? next.secondsLeft : available.get(id)!));
          }
          const instances = [...endpoints.values()].map((e) => ({
            instanceId: e.instanceId,
            instanceType: e.instanceType,
            burstSecondsLeft: left.get(e.instanceId)!,
            cards: e.caps.map((c) => ({
              cardIndex: c.cardIndex,
              baselineGbps: c.baselineGbps,
              peakGbps: c.peakGbps,
              outGbps: round(load.get(`${e.instanceId}/${c.cardIndex}/out`) ?? 0),
              inGbps: round(load.get(`${e.instanceId}/${c.cardIndex}/in`) ?? 0),
            })),
          }));
          return { durationSeconds: durationSec, burstSeconds: BURST_SECONDS, flows: out, instances };
        });
      },
    },
  ];
};

/** Card loads to the Mbps: the sum of rounded fair shares would otherwise show 25.000002 Gbps. */
const round = (g: number): number => Math.round(g * 1e3) / 1e3;
