/**
 * `npm run bench:enis` (also run by `npm run bench`): localvpc at 100,000 ENIs in one account/region.
 *
 * Seeds ENIs through the real EC2 pipeline (Ec2Service.handle: parse → action → SQLite transaction → render — all
 * of a request but the socket), so the times printed are localvpc's server time per call. Prints, at 1k, 10k and
 * 100k ENIs, the p50/p95 of DescribeNetworkInterfaces with a selective filter (private-ip-address, mac-address,
 * tag:Name, attachment.instance-id), CreateNetworkInterface and AssociateAddress server time, and the process RSS.
 * Targets from the ENI issue (printed, never asserted): describe ≤ 5 ms, create/associate ≤ 0.3 ms, RSS ≤ 400 MB.
 *
 *   npm run bench:enis                       100,000 ENIs
 *   npm run bench:enis -- --enis 20000       fewer (checkpoints above the total are skipped)
 *   npm run bench:enis -- --json
 *   npm run bench:enis -- --data :memory:    (default: a SQLite file in a temp dir, as `npm start` keeps state)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Ec2Service, type Ec2Reply } from "../src/services/ec2/service.js";
import { loadCatalog } from "../src/catalog/catalog.js";
import { DEFAULT_QUOTAS } from "../src/domain/quotas.js";
import { randomIds } from "../src/infra/random-ids.js";
import { Store } from "../src/store/store.js";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const TOTAL = Number(arg("--enis") ?? 100_000);
const JSON_OUT = process.argv.includes("--json");
const CHECKPOINTS = [1_000, 10_000, 100_000].filter((n) => n <= TOTAL);
const SAMPLES = 200;

const tempDir = mkdtempSync(join(tmpdir(), "localvpc-bench-"));
const DATA = arg("--data") ?? join(tempDir, "state.db");
const store = new Store(DATA);
const service = new Ec2Service({
  store,
  ids: randomIds(),
  now: () => new Date(),
  catalog: loadCatalog(),
  quotas: { ...DEFAULT_QUOTAS, enisPerRegion: 1_000_000, vpcsPerRegion: 100, elasticIpsPerRegion: 100_000, instancesPerRegion: 100_000 },
});
const caller = { accessKeyId: "123456789012", account: "123456789012", region: "us-east-1", service: "ec2" };

let seq = 0;
const call = (action: string, params: Record<string, string | number>): { ms: number; reply: Ec2Reply } => {
  const all: [string, string][] = [
    ["Action", action],
    ["Version", "2016-11-15"],
    ...Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
  ];
  const t0 = performance.now();
  const reply = service.handle({ params: all, caller, requestId: `bench-${++seq}` });
  const ms = performance.now() - t0;
  if (reply.status !== 200) throw new Error(`${action} ${JSON.stringify(params)} → ${reply.status} ${reply.body}`);
  return { ms, reply };
};
const tag = (xml: string, name: string): string => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!m?.[1]) throw new Error(`<${name}> not in ${xml.slice(0, 300)}`);
  return m[1];
};
const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

// Topology: one VPC per 60k ENIs, each with a /16 subnet (65,531 usable addresses) and an internet gateway.
interface Net {
  vpcId: string;
  subnetId: string;
  cidr: string;
  used: number;
}
const nets: Net[] = [];
const newNet = (): Net => {
  const cidr = `10.${nets.length}.0.0/16`;
  const vpcId = tag(call("CreateVpc", { CidrBlock: cidr }).reply.body, "vpcId");
  const subnetId = tag(call("CreateSubnet", { VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: "us-east-1a" }).reply.body, "subnetId");
  const igw = tag(call("CreateInternetGateway", {}).reply.body, "internetGatewayId");
  call("AttachInternetGateway", { InternetGatewayId: igw, VpcId: vpcId });
  const net = { vpcId, subnetId, cidr, used: 0 };
  nets.push(net);
  return net;
};

const createTimes: number[] = [];
const samples: { ip: string; mac: string; name: string }[] = [];
let created = 0;
const createEnis = (upTo: number): void => {
  while (created < upTo) {
    let net = nets.at(-1);
    if (!net || net.used >= 60_000) net = newNet();
    // Addresses are auto-assigned (lowest free, from the subnet's allocation hint), as most users create ENIs.
    const name = `eni-${created}`;
    const params: Record<string, string | number> = {
      SubnetId: net.subnetId,
      "TagSpecification.1.ResourceType": "network-interface",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": name,
    };
    const { ms, reply } = call("CreateNetworkInterface", params);
    // Every 100th call is a timing sample (all of them would mostly time the 1k-ENI start).
    if (created % 100 === 0) createTimes.push(ms);
    net.used++;
    created++;
    if (created % 997 === 0) samples.push({ ip: tag(reply.body, "privateIpAddress"), mac: tag(reply.body, "macAddress"), name });
  }
};

interface Row {
  enis: number;
  filter: string;
  p50: number;
  p95: number;
}
const rows: Row[] = [];
const describeAt = (enis: number, instanceId: string): void => {
  const measure = (filter: string, values: () => string): void => {
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const { ms, reply } = call("DescribeNetworkInterfaces", { "Filter.1.Name": filter, "Filter.1.Value.1": values() });
      if (!reply.body.includes("<networkInterfaceId>")) throw new Error(`${filter} matched nothing`);
      times.push(ms);
    }
    rows.push({ enis, filter, p50: pct(times, 50), p95: pct(times, 95) });
  };
  const pick = () => samples[Math.floor(Math.random() * samples.length)]!;
  measure("private-ip-address", () => pick().ip);
  measure("mac-address", () => pick().mac);
  measure("tag:Name", () => pick().name);
  measure("attachment.instance-id", () => instanceId);
};

const started = performance.now();
const first = newNet();
const imageId = "ami-0a1b2c3d4e5f60001";
const run = call("RunInstances", { ImageId: imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: first.subnetId });
const instanceId = tag(run.reply.body, "instanceId");
first.used++;
for (const cp of CHECKPOINTS) {
  createEnis(cp);
  describeAt(cp, instanceId);
  if (!JSON_OUT) process.stderr.write(`  … ${cp.toLocaleString("en-US")} ENIs (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
}
if (created < TOTAL) createEnis(TOTAL);

// AssociateAddress: allocate EIPs and map them onto existing ENIs' primary IPs.
const associateTimes: number[] = [];
const eniIds = (xml: string): string[] => [...xml.matchAll(/<networkInterfaceId>([^<]+)<\/networkInterfaceId>/g)].map((m) => m[1]!);
const targets = eniIds(
  call("DescribeNetworkInterfaces", { "Filter.1.Name": "subnet-id", "Filter.1.Value.1": first.subnetId, MaxResults: 1000 }).reply.body,
).slice(10, 10 + SAMPLES);
for (const eni of targets) {
  const alloc = tag(call("AllocateAddress", { Domain: "vpc" }).reply.body, "allocationId");
  associateTimes.push(call("AssociateAddress", { AllocationId: alloc, NetworkInterfaceId: eni }).ms);
}
const rssMb = process.memoryUsage().rss / 1024 / 1024;

const report = {
  enis: created,
  describe: rows,
  createNetworkInterface: { p50: pct(createTimes, 50), p95: pct(createTimes, 95), samples: createTimes.length },
  associateAddress: { p50: pct(associateTimes, 50), p95: pct(associateTimes, 95), samples: associateTimes.length },
  rssMb,
  seconds: (performance.now() - started) / 1000,
};
if (JSON_OUT) {
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
} else {
  const f = (n: number): string => n.toFixed(3).padStart(8);
  console.log(
    `\nlocalvpc ENI scale bench — server time per call (Ec2Service.handle), node ${process.version}, data ${DATA === ":memory:" ? ":memory:" : "SQLite file (WAL)"}\n`,
  );
  console.log("ENIs      DescribeNetworkInterfaces filter   p50 ms   p95 ms   (target p50 ≤ 5 ms)");
  for (const r of rows) console.log(`${String(r.enis).padEnd(9)} ${r.filter.padEnd(34)} ${f(r.p50)} ${f(r.p95)}`);
  console.log(
    `\nCreateNetworkInterface (${createTimes.length} samples across the run)  p50 ${f(report.createNetworkInterface.p50)} ms  p95 ${f(report.createNetworkInterface.p95)} ms  (target ≤ 0.3 ms)`,
  );
  console.log(
    `AssociateAddress (${associateTimes.length} samples)                        p50 ${f(report.associateAddress.p50)} ms  p95 ${f(report.associateAddress.p95)} ms  (target ≤ 0.3 ms)`,
  );
  console.log(
    `RSS with ${created.toLocaleString("en-US")} ENIs: ${rssMb.toFixed(0)} MB (target ≤ 400 MB); total ${report.seconds.toFixed(0)} s`,
  );
}
store.close();
rmSync(tempDir, { recursive: true, force: true });
