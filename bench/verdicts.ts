/**
 * `npm run bench` (part 3): data-plane verdicts per second, in process, on a precompiled topology of 1,000 ENIs,
 * 50 security groups × 20 rules, 10 route tables and 10 NACLs, with flow-log recording on (every observation goes
 * into the real `FlowRecorder.record`, which aggregates it per window and flow) and the return path evaluated; then
 * the same at 10× the topology. The probes mix delivered flows, SG drops, NACL drops and internet ingress (the
 * reason mix is printed). Target ≥ 500,000/s: printed, never asserted.
 *
 *   node --import tsx bench/verdicts.ts [--json] [--seconds 2]
 */
import { performance } from "node:perf_hooks";
import { FlowRecorder } from "../src/api/flow-recorder.js";
import { ConnTrack } from "../src/domain/dataplane/conntrack.js";
import { evaluate, type Probe } from "../src/domain/dataplane/evaluate.js";
import { ipv4ToNumber, numberToIpv4 } from "../src/domain/dataplane/ip.js";
import { TopologyBuilder, type RuleSpec } from "../src/domain/dataplane/topology.fixture.js";
import { compileTopology } from "../src/domain/dataplane/topology.js";
import { Store } from "../src/store/store.js";

const TARGET = 500_000;
const args = process.argv.slice(2);
const json = args.includes("--json");
const seconds = Number(args[args.indexOf("--seconds") + 1]) || 2;

/** Deterministic PRNG (mulberry32) so every run measures the same probes. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const build = (scale: number) => {
  const rand = rng(42);
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const subnets: string[] = [];
  for (let s = 0; s < 10 * scale; s++) {
    const id = b.subnet(vpc, `10.0.${s}.0/24`, [["0.0.0.0/0", "igw"]]);
    const entries = [];
    for (let r = 0; r < 8; r++)
      entries.push({ n: 10 + r, allow: r % 4 !== 0, egress: false, proto: "6", from: 1000 + r * 100, to: 1050 + r * 100 });
    entries.push({ n: 100, allow: true, egress: false }, { n: 100, allow: true, egress: true });
    b.acl(id, entries);
    subnets.push(id);
  }
  const sgs: string[] = [];
  for (let g = 0; g < 50 * scale; g++) {
    const ingress: RuleSpec[] = [];
    for (let r = 0; r < 19; r++) {
      const port = 1000 + Math.floor(rand() * 200) * 10;
      ingress.push(
        r % 5 === 0 && sgs.length > 0
          ? { proto: "tcp", from: port, to: port + 9, group: sgs[Math.floor(rand() * sgs.length)]! }
          : { proto: "tcp", from: port, to: port + 9, cidr: `10.0.${Math.floor(rand() * 10 * scale)}.0/24` },
      );
    }
    ingress.push({ proto: "tcp", from: 443, to: 443, cidr: "0.0.0.0/0" });
    sgs.push(b.sg(vpc, { ingress, egress: [{}] }));
  }
  const enis: { id: string; ip: string; pub: string | undefined }[] = [];
  for (let e = 0; e < 1000 * scale; e++) {
    const s = e % subnets.length;
    const ip = `10.0.${s}.${10 + Math.floor(e / subnets.length)}`;
    const pub = e % 2 === 0 ? numberToIpv4(ipv4ToNumber("3.80.0.0")! + e) : undefined;
    const groups = [sgs[e % sgs.length]!, sgs[(e * 7 + 3) % sgs.length]!];
    enis.push({ id: b.eni(subnets[s]!, ip, { sgs: groups, publicIp: pub }), ip, pub });
  }
  const probes: Probe[] = [];
  for (let i = 0; i < 20_000; i++) {
    const to = enis[Math.floor(rand() * enis.length)]!;
    const port = rand() < 0.5 ? 443 : 1000 + Math.floor(rand() * 2000);
    if (i % 4 === 3 && to.pub) {
      probes.push({
        from: { kind: "internet", address: ipv4ToNumber("198.51.100.7")! },
        to: ipv4ToNumber(to.pub)!,
        protocol: 6,
        srcPort: 40000 + (i % 20000),
        dstPort: port,
      });
    } else {
      const from = enis[Math.floor(rand() * enis.length)]!;
      probes.push({
        from: { kind: "eni", eniId: from.id },
        to: ipv4ToNumber(to.ip)!,
        protocol: 6,
        srcPort: 40000 + (i % 20000),
        dstPort: port,
      });
    }
  }
  return { input: b.build(), probes, enis: enis.length, sgs: sgs.length, tables: subnets.length };
};

const measure = (scale: number, withConntrack: boolean, trace = false) => {
  const t0 = performance.now();
  const { input, probes, enis, sgs, tables } = build(scale);
  const topo = compileTopology(input);
  const compileMs = performance.now() - t0;
  // The real recorder (its aggregation), over an in-memory store.
  const store = new Store(":memory:");
  const recorder = new FlowRecorder({ store, now: () => new Date(0), s3Dir: () => "/tmp" });
  let observations = 0;
  const sink = (o: Parameters<typeof recorder.record>[0]): void => {
    observations++;
    recorder.record(o);
  };
  const conntrack = withConntrack ? new ConnTrack() : undefined;
  for (let i = 0; i < 20_000; i++) evaluate(topo, probes[i % probes.length]!, { nowMs: 0, sink, conntrack, trace }); // warm-up
  observations = 0;
  let delivered = 0;
  let n = 0;
  const reasons = new Map<string, number>();
  for (let i = 0; i < probes.length; i++) {
    const v = evaluate(topo, probes[i]!, { nowMs: 0, conntrack: withConntrack ? new ConnTrack() : undefined, trace: false });
    const r = v.reason ?? (v.reply && !v.reply.delivered ? `reply:${v.reply.reason}` : "delivered");
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 5000; i++) {
      const v = evaluate(topo, probes[(n + i) % probes.length]!, { nowMs: n, sink, conntrack, trace });
      if (v.delivered) delivered++;
    }
    n += 5000;
    // The simulated clock runs at 1 ms per verdict; as in the server (clock advance, timer), closed 1-minute windows
    // are delivered. No flow log matches in this store, so delivery only hands the closed aggregates over and drops
    // them (bench/flow-recorder.ts measures writing them to CloudWatch Logs).
    if (n % 60_000 === 0) recorder.deliver(new Date(n));
  }
  const elapsed = (performance.now() - start) / 1000;
  const flowsPending = recorder.pendingFlows;
  store.close();
  return {
    scale,
    trace,
    enis,
    securityGroups: sgs,
    routeTablesAndNacls: tables,
    conntrack: withConntrack,
    compileMs,
    verdicts: n,
    perSecond: n / elapsed,
    deliveredShare: delivered / n,
    observationsPerVerdict: observations / n,
    flowsPending,
    reasonMix: Object.fromEntries([...reasons].map(([k, c]) => [k, Math.round((c / probes.length) * 100)])),
  };
};

const results = [measure(1, false), measure(1, true), measure(1, false, true), measure(10, false), measure(10, true)];
if (json) console.log(JSON.stringify({ target: TARGET, results }, null, 2));
else {
  console.log("\nData-plane verdicts (in process, flow observations on, return path evaluated)");
  for (const r of results) {
    console.log(
      `  ${String(r.enis).padStart(6)} ENIs, ${String(r.securityGroups).padStart(3)} SGs × 20 rules, ${String(r.routeTablesAndNacls).padStart(3)} route tables/NACLs${r.conntrack ? ", conntrack" : ""}${r.trace ? ", hops traced" : ""}: ` +
        `${Math.round(r.perSecond).toLocaleString("en-US")} verdicts/s (compile ${r.compileMs.toFixed(1)} ms, ${(r.deliveredShare * 100).toFixed(0)}% delivered, ${r.observationsPerVerdict.toFixed(1)} observations/verdict, ${r.flowsPending.toLocaleString("en-US")} flows aggregated)`,
    );
  }
  console.log(
    `  probe mix (% of probes): ${Object.entries(results[0]!.reasonMix)
      .map(([k, v]) => `${k} ${v}%`)
      .join(", ")}`,
  );
  const base = results[0]!.perSecond;
  const baseCt = results[1]!.perSecond;
  console.log(
    `  target ≥ ${TARGET.toLocaleString("en-US")}/s at 1×: ${base >= TARGET ? "met" : "NOT met"} (conntrack: ${baseCt >= TARGET ? "met" : "NOT met"}); ` +
      `10×/1× ratio: ${(results[3]!.perSecond / base).toFixed(2)} (conntrack: ${(results[4]!.perSecond / baseCt).toFixed(2)})`,
  );
}
