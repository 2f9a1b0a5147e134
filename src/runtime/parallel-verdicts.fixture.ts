/**
 * The workload of parallel-verdicts.test.ts: a topology and probes made the same way in the test and in each worker
 * thread (a `WorkloadModule`: the workers import this file).
 */
import type { Probe } from "../domain/dataplane/evaluate.js";
import { ipv4ToNumber } from "../domain/dataplane/ip.js";
import { TopologyBuilder, type RuleSpec } from "../domain/dataplane/topology.fixture.js";
import type { TopologyInput } from "../domain/dataplane/topology.js";

const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * A VPC with a public subnet (internet gateway), a private one behind a NAT gateway, NACLs that deny some ports,
 * groups that reference each other; probes between ENIs, to the internet and from it: deliveries, SG drops, NACL
 * drops and replies dropped on the way back all occur.
 */
export const parallelWorkload = (): { input: TopologyInput; probes: Probe[] } => {
  const rand = rng(7);
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const pub = b.subnet(vpc, "10.0.1.0/24", [["0.0.0.0/0", "igw"]]);
  const nat = b.natGateway(pub, "10.0.1.220", "3.80.0.220");
  const priv = b.subnet(vpc, "10.0.2.0/24", [["0.0.0.0/0", nat]]);
  for (const s of [pub, priv])
    b.acl(s, [
      { n: 10, allow: false, egress: false, proto: "6", from: 1100, to: 1199 },
      { n: 20, allow: false, egress: true, proto: "6", from: 1200, to: 1299 },
      // Replies to a few ephemeral ports are dropped coming back (the NACL is stateless).
      { n: 30, allow: false, egress: false, proto: "6", from: 40040, to: 40049 },
      { n: 100, allow: true, egress: false },
      { n: 100, allow: true, egress: true },
    ]);
  const sgs: string[] = [];
  for (let g = 0; g < 6; g++) {
    const ingress: RuleSpec[] = [{ proto: "tcp", from: 443, to: 443, cidr: "0.0.0.0/0" }];
    for (let r = 0; r < 5; r++) {
      const port = 1000 + Math.floor(rand() * 40) * 10;
      ingress.push(
        r === 0 && sgs.length > 0
          ? { proto: "tcp", from: port, to: port + 9, group: sgs[Math.floor(rand() * sgs.length)]! }
          : { proto: "tcp", from: port, to: port + 9, cidr: r % 2 ? "10.0.1.0/24" : "10.0.2.0/24" },
      );
    }
    // One group lets out only HTTPS: replies to it still pass (tracking), requests on other ports are dropped.
    sgs.push(b.sg(vpc, { ingress, egress: g === 5 ? [{ proto: "tcp", from: 443, to: 443, cidr: "0.0.0.0/0" }] : [{}] }));
  }
  const enis: { id: string; ip: string; pub: string | undefined }[] = [];
  for (let e = 0; e < 40; e++) {
    const subnet = e % 2 ? priv : pub;
    const ip = `10.0.${e % 2 ? 2 : 1}.${10 + e}`;
    const pubIp = e % 2 === 0 && e % 4 === 0 ? `3.80.1.${e}` : undefined;
    enis.push({ id: b.eni(subnet, ip, { sgs: [sgs[e % 6]!, sgs[(e * 5 + 1) % 6]!], publicIp: pubIp }), ip, pub: pubIp });
  }
  const probes: Probe[] = [];
  for (let i = 0; i < 3000; i++) {
    const to = enis[Math.floor(rand() * enis.length)]!;
    const port = rand() < 0.4 ? 443 : 1000 + Math.floor(rand() * 400);
    const sport = 40000 + Math.floor(rand() * 50);
    const kind = i % 5;
    if (kind === 3 && to.pub) {
      probes.push({
        from: { kind: "internet", address: ipv4ToNumber("198.51.100.7")! },
        to: ipv4ToNumber(to.pub)!,
        protocol: 6,
        srcPort: sport,
        dstPort: port,
      });
    } else {
      const from = enis[Math.floor(rand() * enis.length)]!;
      const dst = kind === 4 ? ipv4ToNumber(`203.0.113.${1 + (i % 20)}`)! : ipv4ToNumber(to.ip)!;
      probes.push({ from: { kind: "eni", eniId: from.id }, to: dst, protocol: kind === 2 ? 17 : 6, srcPort: sport, dstPort: port });
    }
  }
  // Some probes again, later in the list: the same flows seen twice.
  for (let i = 0; i < 300; i++) probes.push(probes[Math.floor(rand() * 3000)]!);
  return { input: b.build(), probes };
};
