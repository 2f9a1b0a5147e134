/**
 * `npm run bench`: how much time localvpc adds to an SDK call.
 *
 * Starts localvpc in-process on 127.0.0.1:0 (":memory:" state) and drives it with @aws-sdk/client-ec2 through a
 * fixed mix — DescribeVpcs, CreateSubnet, RunInstances (t3.micro, default subnet), DescribeInstances filtered by
 * instance-state-name=running — then runs the same SDK client against a trivial node:http server that answers a
 * canned DescribeVpcs response: the floor (SDK serialisation, HTTP over loopback, XML parsing). localvpc's added
 * time per call is its DescribeVpcs mean minus the floor. The target (≤ 0.2 ms) is printed, never asserted.
 *
 *   npm run bench                                  table
 *   npm run bench -- --json                        JSON on stdout
 *   npm run bench -- --iterations 300 --warmup 30  (defaults)
 *
 * The whole run is bounded: each workload stops early when its time budget is spent (it says so).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { BUILTIN_IMAGES } from "../src/catalog/images.js";
import { startLocalVpc } from "../src/index.js";

interface Options {
  readonly iterations: number;
  readonly warmup: number;
  readonly json: boolean;
  /** Time budget per workload (warm-up included), in ms. */
  readonly budgetMs: number;
}

export interface WorkloadResult {
  readonly name: string;
  readonly target: "localvpc" | "floor";
  readonly calls: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly callsPerSecond: number;
  readonly note?: string;
}

export interface SkippedWorkload {
  readonly name: string;
  readonly skipped: string;
}

const parseArgs = (argv: readonly string[]): Options => {
  const num = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} expects a positive integer`);
    return n;
  };
  return {
    iterations: num("--iterations", 300),
    warmup: num("--warmup", 30),
    json: argv.includes("--json"),
    budgetMs: num("--budget-ms", 10_000),
  };
};

const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
};

const summarise = (
  name: string,
  target: WorkloadResult["target"],
  o: Options,
  samples: readonly number[],
  elapsedMs: number,
): WorkloadResult => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return {
    name,
    target,
    calls: samples.length,
    meanMs: mean,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    callsPerSecond: elapsedMs > 0 ? (samples.length * 1000) / elapsedMs : 0,
    ...(samples.length < o.iterations ? { note: `time budget reached after ${samples.length} of ${o.iterations} calls` } : {}),
  };
};

/** Runs `call` warm-up + iterations times (within the budget) and summarises the measured calls. */
const measure = async (
  name: string,
  target: WorkloadResult["target"],
  o: Options,
  call: (i: number) => Promise<unknown>,
): Promise<WorkloadResult> => {
  const deadline = performance.now() + o.budgetMs;
  let i = 0;
  for (let w = 0; w < o.warmup && performance.now() < deadline; w++) await call(i++);
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < o.iterations && performance.now() < deadline) {
    const t0 = performance.now();
    await call(i++);
    samples.push(performance.now() - t0);
  }
  return summarise(name, target, o, samples, performance.now() - started);
};

/**
 * Measures two calls alternately (a, b, a, b, …) so that both see the same machine load, GC and JIT state: the
 * difference of the two is then a fair "added time", even on a busy machine.
 */
const measurePair = async (
  a: { name: string; target: WorkloadResult["target"]; call: () => Promise<unknown> },
  b: { name: string; target: WorkloadResult["target"]; call: () => Promise<unknown> },
  o: Options,
): Promise<[WorkloadResult, WorkloadResult]> => {
  const deadline = performance.now() + o.budgetMs;
  for (let w = 0; w < o.warmup && performance.now() < deadline; w++) {
    await a.call();
    await b.call();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  let ea = 0;
  let eb = 0;
  while (sa.length < o.iterations && performance.now() < deadline) {
    let t0 = performance.now();
    await a.call();
    const da = performance.now() - t0;
    t0 = performance.now();
    await b.call();
    const db = performance.now() - t0;
    sa.push(da);
    sb.push(db);
    ea += da;
    eb += db;
  }
  return [summarise(a.name, a.target, o, sa, ea), summarise(b.name, b.target, o, sb, eb)];
};

const isUnsupported = (e: unknown): boolean => e instanceof EC2ServiceException && e.name === "UnsupportedOperation";

/**
 * The floor answers with exactly the bytes localvpc answered for the same DescribeVpcs (fetched once before the
 * run), with AWS's headers, so that the difference between the two is localvpc's own work and nothing else.
 */
const cannedDescribeVpcs = async (url: string): Promise<{ body: Buffer; requestId: string }> => {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: "Action=DescribeVpcs&Version=2016-11-15",
  });
  return { body: Buffer.from(await res.text()), requestId: res.headers.get("x-amzn-requestid") ?? "" };
};

const startFloorServer = async (canned: { body: Buffer; requestId: string }): Promise<{ url: string; close(): Promise<void> }> => {
  const { body, requestId } = canned;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "text/xml;charset=UTF-8",
        "content-length": body.length,
        server: "AmazonEC2",
        "x-amzn-requestid": requestId,
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
};

const clientFor = (url: string): EC2Client =>
  new EC2Client({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

/** Hands out unique /24s: 200 per VPC (AWS's default subnets-per-VPC quota), then a fresh /16 VPC. */
const subnetCidrs = (ec2: EC2Client): (() => Promise<{ vpcId: string; cidr: string }>) => {
  let vpcId = "";
  let vpcIndex = 0;
  let used = 200;
  return async () => {
    if (used >= 200) {
      vpcIndex++;
      const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${vpcIndex}.0.0/16` }));
      vpcId = Vpc?.VpcId ?? "";
      used = 0;
    }
    return { vpcId, cidr: `10.${vpcIndex}.${used++}.0/24` };
  };
};

export interface BenchReport {
  readonly results: WorkloadResult[];
  readonly skipped: SkippedWorkload[];
  /** localvpc DescribeVpcs − floor, by mean and by median. */
  readonly addedMs: number;
  readonly addedP50Ms: number;
}

export const runBench = async (o: Options): Promise<BenchReport> => {
  const results: WorkloadResult[] = [];
  const skipped: SkippedWorkload[] = [];
  const vpc = await startLocalVpc({ port: 0, data: ":memory:", quotas: { vpcsPerRegion: 1000, instancesPerRegion: 100_000 } });
  const floor = await startFloorServer(await cannedDescribeVpcs(vpc.url));
  const ec2 = clientFor(vpc.url);
  const floorClient = clientFor(floor.url);
  try {
    // DescribeVpcs first, while the account holds only its default VPC: the same document size as the canned floor.
    const [local, base] = await measurePair(
      { name: "DescribeVpcs", target: "localvpc", call: () => ec2.send(new DescribeVpcsCommand({})) },
      { name: "DescribeVpcs (canned response)", target: "floor", call: () => floorClient.send(new DescribeVpcsCommand({})) },
      o,
    );
    results.push(local);

    const nextCidr = subnetCidrs(ec2);
    results.push(
      await measure("CreateSubnet", "localvpc", o, async () => {
        const { vpcId, cidr } = await nextCidr();
        return ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr }));
      }),
    );

    const image = BUILTIN_IMAGES.find((i) => i.architecture === "x86_64") ?? BUILTIN_IMAGES[0];
    let launched = 0;
    const runInstance = async (): Promise<unknown> => {
      const out = await ec2.send(new RunInstancesCommand({ ImageId: image?.imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
      launched++;
      return out;
    };
    let canRun = true;
    try {
      await runInstance();
    } catch (e) {
      if (!isUnsupported(e)) throw e;
      canRun = false;
      skipped.push({ name: "RunInstances", skipped: `localvpc answers UnsupportedOperation: ${(e as Error).message}` });
    }
    if (canRun) results.push(await measure("RunInstances", "localvpc", o, runInstance));

    const describeRunning = (): Promise<unknown> =>
      ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["running"] }] }));
    let canDescribe = true;
    try {
      await describeRunning();
    } catch (e) {
      if (!isUnsupported(e)) throw e;
      canDescribe = false;
      skipped.push({ name: "DescribeInstances", skipped: `localvpc answers UnsupportedOperation: ${(e as Error).message}` });
    }
    if (canDescribe) {
      const r = await measure("DescribeInstances (instance-state-name=running)", "localvpc", o, describeRunning);
      // The answer holds every running instance, so its cost grows with the RunInstances workload before it.
      const size = canRun ? `answers ${launched} running instances per call` : "no instances exist (RunInstances skipped)";
      results.push({ ...r, note: [r.note, size].filter(Boolean).join("; ") });
    }
    results.push(base);
    return { results, skipped, addedMs: local.meanMs - base.meanMs, addedP50Ms: local.p50Ms - base.p50Ms };
  } finally {
    ec2.destroy();
    floorClient.destroy();
    await vpc.close();
    await floor.close();
  }
};

const ADDED_TARGET_MS = 0.2;
const fmt = (n: number, digits = 3): string => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

const printTable = (o: Options, r: BenchReport, totalMs: number): void => {
  const floorMean = r.results.find((x) => x.target === "floor")?.meanMs ?? Number.NaN;
  const rows = [
    ["workload", "target", "calls", "mean ms", "p50 ms", "p95 ms", "calls/s", "− floor ms"],
    ...r.results.map((x) => [
      x.name,
      x.target,
      String(x.calls),
      fmt(x.meanMs),
      fmt(x.p50Ms),
      fmt(x.p95Ms),
      fmt(x.callsPerSecond, 0),
      x.target === "floor" ? "" : fmt(x.meanMs - floorMean),
    ]),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length))) ?? [];
  const line = (row: readonly string[]): string =>
    row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ");
  const out: string[] = [
    `localvpc bench — node ${process.version}, @aws-sdk/client-ec2 over 127.0.0.1, ${o.iterations} calls per workload after ${o.warmup} warm-up`,
    "",
    line(rows[0] ?? []),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.slice(1).map(line),
    "",
  ];
  for (const x of r.results) if (x.note) out.push(`note: ${x.name}: ${x.note}`);
  for (const s of r.skipped) out.push(`skipped: ${s.name}: ${s.skipped}`);
  out.push(
    `floor (SDK + loopback HTTP + XML parse, canned DescribeVpcs): ${fmt(floorMean)} ms/call`,
    `localvpc added time per call (DescribeVpcs − floor, measured alternately): mean ${fmt(r.addedMs)} ms, p50 ${fmt(r.addedP50Ms)} ms ` +
      `(target ≤ ${ADDED_TARGET_MS} ms${Number.isFinite(r.addedMs) ? (r.addedMs <= ADDED_TARGET_MS ? ", met" : ", not met") : ""})`,
    `total ${fmt(totalMs / 1000, 1)} s`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
};

const main = async (): Promise<void> => {
  const o = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const r = await runBench(o);
  const totalMs = performance.now() - started;
  if (o.json) {
    const floorMean = r.results.find((x) => x.target === "floor")?.meanMs ?? null;
    process.stdout.write(
      `${JSON.stringify(
        {
          node: process.version,
          iterations: o.iterations,
          warmup: o.warmup,
          results: r.results,
          skipped: r.skipped,
          floorMs: floorMean,
          addedMs: Number.isFinite(r.addedMs) ? r.addedMs : null,
          addedP50Ms: Number.isFinite(r.addedP50Ms) ? r.addedP50Ms : null,
          addedTargetMs: ADDED_TARGET_MS,
          totalMs,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    printTable(o, r, totalMs);
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
