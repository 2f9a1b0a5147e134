/**
 * The server half of `bench/load.ts`, run as a child process (forked, so the load client and the server do not share
 * one event loop). It seeds a SQLite file through the real EC2 pipeline (Ec2Service.handle: parse → action →
 * transaction → render, all of a request but the socket), times DescribeNetworkInterfaces pages of MaxResults=1000
 * (server time), then serves that file with startLocalVpc and reports what it built over IPC.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Session } from "node:inspector";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Ec2Service } from "../src/services/ec2/service.js";
import { loadCatalog } from "../src/catalog/catalog.js";
import { DEFAULT_QUOTAS, type Quotas } from "../src/domain/quotas.js";
import { randomIds } from "../src/infra/random-ids.js";
import { Store } from "../src/store/store.js";
import { startLocalVpc } from "../src/index.js";

export const BENCH_ACCOUNT = "123456789012";
/** Quotas raised for the bench (as `--quota` / `startLocalVpc({ quotas })` do): 100k ENIs, thousands of EIPs. */
export const BENCH_QUOTAS: Partial<Quotas> = {
  enisPerRegion: 1_000_000,
  vpcsPerRegion: 100,
  elasticIpsPerRegion: 100_000,
  instancesPerRegion: 100_000,
};

/** The description of the one described ENI the seed adds (found through the sparse `description` key). */
const DESCRIBED = "ELB net/bench-nlb/0123456789abcdef";

export interface SeedReport {
  readonly url: string;
  /** A node:http server in the same process answering a canned DescribeVpcs: the HTTP floor under the same load. */
  readonly floorUrl: string;
  readonly vpcId: string;
  readonly subnetId: string;
  /** The description of the one ENI that has one. */
  readonly described: string;
  readonly samples: readonly { id: string; ip: string }[];
  readonly seedSeconds: number;
  /** DescribeNetworkInterfaces MaxResults=1000 server time per page, ms (first page and pages deep in the list). */
  readonly page1000: { p50: number; p99: number; pages: number };
  readonly startSeconds: number;
}

const tag = (xml: string, name: string): string => {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!m?.[1]) throw new Error(`<${name}> not in ${xml.slice(0, 300)}`);
  return m[1];
};
const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

const seed = (data: string, enis: number): Omit<SeedReport, "url" | "floorUrl" | "startSeconds"> & { canned: string } => {
  const started = performance.now();
  const store = new Store(data);
  const service = new Ec2Service({
    store,
    ids: randomIds(),
    now: () => new Date(),
    catalog: loadCatalog(),
    quotas: { ...DEFAULT_QUOTAS, ...BENCH_QUOTAS },
  });
  const caller = { accessKeyId: BENCH_ACCOUNT, account: BENCH_ACCOUNT, region: "us-east-1", service: "ec2" };
  let n = 0;
  const call = (action: string, params: Record<string, string | number>): string => {
    const all: [string, string][] = [
      ["Action", action],
      ["Version", "2016-11-15"],
      ...Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
    ];
    const reply = service.handle({ params: all, caller, requestId: `seed-${++n}` });
    if (reply.status !== 200) throw new Error(`${action} → ${reply.status} ${reply.body}`);
    return reply.body;
  };
  // One /16 VPC and subnet per 60,000 ENIs (65,531 usable addresses each).
  const nets: { vpcId: string; subnetId: string }[] = [];
  const newNet = (): { vpcId: string; subnetId: string } => {
    const cidr = `10.${nets.length}.0.0/16`;
    const vpcId = tag(call("CreateVpc", { CidrBlock: cidr }), "vpcId");
    const subnetId = tag(call("CreateSubnet", { VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: "us-east-1a" }), "subnetId");
    nets.push({ vpcId, subnetId });
    return { vpcId, subnetId };
  };
  const samples: { id: string; ip: string }[] = [];
  let net = newNet();
  for (let i = 0; i < enis; i++) {
    if (i > 0 && i % 60_000 === 0) net = newNet();
    const body = call("CreateNetworkInterface", { SubnetId: net.subnetId });
    if (i % 97 === 0) samples.push({ id: tag(body, "networkInterfaceId"), ip: tag(body, "privateIpAddress") });
  }
  // One ENI with a description, as a load balancer's: the sparse `description` key's row in the bench (issue 19).
  call("CreateNetworkInterface", { SubnetId: net.subnetId, Description: DESCRIBED });
  const seedSeconds = (performance.now() - started) / 1000;
  // Server time of a 1,000-ENI page: the first page and the following ones (up to 20 pages).
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    let token: string | undefined;
    for (let p = 0; p < 20; p++) {
      const t0 = performance.now();
      const body = call("DescribeNetworkInterfaces", { MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
      times.push(performance.now() - t0);
      token = /<nextToken>([^<]*)<\/nextToken>/.exec(body)?.[1];
      if (!token) break;
    }
  }
  const first = nets[0]!;
  const canned = call("DescribeVpcs", { "VpcId.1": first.vpcId });
  store.close();
  return {
    canned,
    vpcId: first.vpcId,
    subnetId: first.subnetId,
    described: DESCRIBED,
    samples,
    seedSeconds,
    page1000: { p50: pct(times, 50), p99: pct(times, 99), pages: times.length },
  };
};

/** A CPU profile of the serving phase only, written as DIR/load-server-PID.cpuprofile (open it in Chrome DevTools). */
const startProfile = async (dir: string | undefined): Promise<() => Promise<void>> => {
  if (!dir) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      session.post(method, params, (err, res) => (err ? reject(err) : resolve(res)));
    });
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 200 });
  await post("Profiler.start");
  return async () => {
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `load-server-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
};

const main = async (): Promise<void> => {
  const [data, enis] = [process.argv[2], Number(process.argv[3])];
  if (!data || !Number.isInteger(enis)) throw new Error("usage: load-server.ts DATA_FILE ENIS");
  const { canned, ...seeded } = seed(data, enis);
  const t0 = performance.now();
  const vpc = await startLocalVpc({ port: 0, data, quotas: BENCH_QUOTAS });
  const startSeconds = (performance.now() - t0) / 1000;
  const floor = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "text/xml;charset=UTF-8",
        "content-length": Buffer.byteLength(canned),
        "x-amzn-requestid": "floor",
      });
      res.end(canned);
    });
  });
  await new Promise<void>((resolve) => floor.listen(0, "127.0.0.1", resolve));
  const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}`;
  const report: SeedReport = { ...seeded, url: vpc.url, floorUrl, startSeconds };
  const stopProfile = await startProfile(process.env["LOCALVPC_LOAD_PROFILE_DIR"]);
  process.send?.(report);
  process.on("message", (m) => {
    if (m === "close") {
      floor.close();
      floor.closeAllConnections();
      void stopProfile()
        .then(() => vpc.close())
        .then(() => process.exit(0));
    }
    // The server's CPU time so far (µs): per-request CPU is steadier than req/s on a machine shared with other work.
    if (m === "cpu") {
      const u = process.cpuUsage();
      process.send?.({ cpuUs: u.user + u.system });
    }
  });
};

main().catch((e: unknown) => {
  process.stderr.write(`load-server failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
