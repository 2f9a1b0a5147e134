/**
 * The verdict bench's workload (bench/verdicts.ts): a topology at a scale and the probes judged over it, made the same
 * way on every thread (issue 21: the worker-thread row has each worker make it, so no probes cross between threads).
 */
import type { Probe } from "../src/domain/dataplane/evaluate.js";
import { ipv4ToNumber, numberToIpv4 } from "../src/domain/dataplane/ip.js";
import { TopologyBuilder, type RuleSpec } from "../src/domain/dataplane/topology.fixture.js";
import type { Workload } from "../src/runtime/parallel-verdicts.js";

/** Deterministic PRNG (mulberry32) so every run measures the same probes. */
export const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const build = (scale: number, probeCount = 20_000) => {
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
  // A probe's source is one object per ENI (and one for the internet host), as a caller holding its senders would
  // have it; the probes themselves are distinct.
  const sources = new Map(enis.map((e) => [e.id, { kind: "eni" as const, eniId: e.id }]));
  const internetHost = { kind: "internet" as const, address: ipv4ToNumber("198.51.100.7")! };
  const probes: Probe[] = [];
  for (let i = 0; i < probeCount; i++) {
    const to = enis[Math.floor(rand() * enis.length)]!;
    const port = rand() < 0.5 ? 443 : 1000 + Math.floor(rand() * 2000);
    if (i % 4 === 3 && to.pub) {
      probes.push({
        from: internetHost,
        to: ipv4ToNumber(to.pub)!,
        protocol: 6,
        srcPort: 40000 + (i % 20000),
        dstPort: port,
      });
    } else {
      const from = enis[Math.floor(rand() * enis.length)]!;
      probes.push({
        from: sources.get(from.id)!,
        to: ipv4ToNumber(to.ip)!,
        protocol: 6,
        srcPort: 40000 + (i % 20000),
        dstPort: port,
      });
    }
  }
  return { input: b.build(), probes, enis: enis.length, sgs: sgs.length, tables: subnets.length };
};

/** `build` as a workload module's function (`ParallelVerdicts` imports this file in every worker). */
export const verdictWorkload = (arg: { scale: number; probes: number }): Workload => build(arg.scale, arg.probes);
