/**
 * `npm run bench:load` (also run by `npm run bench`): concurrent throughput, the table of issue 19.
 *
 * A server child process (bench/load-server.ts) seeds N ENIs into a SQLite file through the EC2 pipeline and serves
 * it; this process drives it over HTTP with SigV4-signed, keep-alive requests, 8 in flight, one step at a time, and
 * prints req/s, p50 and p99 per step and the ratio to moto's figures. The client is node:http with a keep-alive
 * agent and a SigV4 signer on node:crypto (no SDK: its serialisation and XML parsing would make the client, not the
 * server, the bottleneck on a 2-core machine); it checks every answer is HTTP 200.
 *
 * moto's figures are NOT measured here: they are the ones published in issue 19 (moto 5.2.1's server, same workload,
 * same machine, 2,000 ENIs), hard-coded as the baseline. The goal is localvpc ≥ 30× moto on every step.
 *
 *   npm run bench:load                              2,000 and 100,000 ENIs
 *   npm run bench:load -- --enis 2000               one scale
 *   npm run bench:load -- --seconds 3 --json
 *   npm run bench:load -- --enis 2000 --profile /tmp/prof   (server CPU profile of the serving phase, not the seed)
 */
import autocannon from "autocannon";
import { fork, type ChildProcess } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { SeedReport } from "./load-server.js";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SCALES = (arg("--enis") ?? "2000,100000").split(",").map(Number);
const SECONDS = Number(arg("--seconds") ?? 3);
const IN_FLIGHT = Number(arg("--concurrency") ?? 8);
const JSON_OUT = process.argv.includes("--json");
/** `--profile DIR`: the server child profiles its serving phase and writes the profile there (open it in Chrome DevTools). */
const PROFILE_DIR = arg("--profile");
/** `--only TEXT`: run only the steps whose name contains TEXT (e.g. to profile one of them). */
const ONLY = arg("--only");
const ACCOUNT = "123456789012";
const SECRET = "bench-secret";
const REGION = "us-east-1";

/** moto 5.2.1's req/s from issue 19 (published baseline, not measured by this bench). */
const MOTO: Readonly<Record<string, number>> = {
  "DescribeVpcs (one id)": 221,
  CreateNetworkInterface: 197,
  "DescribeNetworkInterfaces NetworkInterfaceId.1": 195,
  "DescribeNetworkInterfaces filter network-interface-id": 124,
  "DescribeNetworkInterfaces filter private-ip-address": 120,
  CreateTags: 244,
  "AllocateAddress (~1,500 EIPs held)": 322,
};
const GOAL_RATIO = 30;

// --- SigV4 (AWS4-HMAC-SHA256) for the ec2 Query protocol ----------------------------------------------------------
const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, s: string): Buffer => createHmac("sha256", key).update(s).digest();
let signingKey: { day: string; key: Buffer } | undefined;
const CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
const signedHeaders = (host: string, body: string): Record<string, string> => {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  if (signingKey?.day !== day) {
    signingKey = { day, key: hmac(hmac(hmac(hmac(`AWS4${SECRET}`, day), REGION), "ec2"), "aws4_request") };
  }
  const headers = `content-type:${CONTENT_TYPE}\nhost:${host}\nx-amz-date:${amzDate}\n`;
  const names = "content-type;host;x-amz-date";
  const canonical = `POST\n/\n\n${headers}\n${names}\n${sha256(body)}`;
  const scope = `${day}/${REGION}/ec2/aws4_request`;
  const signature = createHmac("sha256", signingKey.key)
    .update(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`)
    .digest("hex");
  return {
    "content-type": CONTENT_TYPE,
    "x-amz-date": amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/${scope}, SignedHeaders=${names}, Signature=${signature}`,
  };
};

const form = (action: string, params: Record<string, string | number>): string =>
  new URLSearchParams({
    Action: action,
    Version: "2016-11-15",
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  }).toString();

interface Target {
  readonly hostname: string;
  readonly port: number;
}

/** One request with node:http (set-up calls only: the timed steps run on autocannon). */
const send = (t: Target, body: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: t.hostname,
        port: t.port,
        method: "POST",
        path: "/",
        agent: setupAgent,
        headers: { ...signedHeaders(`${t.hostname}:${t.port}`, body), "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
const setupAgent = new Agent({ keepAlive: true, maxSockets: 8 });

const pct = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

interface StepResult {
  readonly enis: number;
  readonly step: string;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU time per request (user + system), µs. */
  readonly serverCpuUs: number;
  readonly moto: number | undefined;
  readonly ratio: number | undefined;
}

/**
 * IN_FLIGHT keep-alive connections on autocannon (one request in flight on each: no pipelining, as an SDK client
 * sends), for SECONDS or `maxRequests`, after a short warm-up. Each request is built and SigV4-signed when it is sent
 * (autocannon's `setupRequest`). The client was node:http before: its own cost per request capped every step near
 * 5,700 req/s here (the "HTTP floor" row), which measured the client rather than the server.
 */
const load = async (
  t: Target & { cpu: () => Promise<number> },
  enis: number,
  step: string,
  next: (i: number) => string,
  maxRequests = Number.POSITIVE_INFINITY,
): Promise<StepResult> => {
  let i = 0;
  const host = `${t.hostname}:${t.port}`;
  const drive = (limit: { seconds: number } | { amount: number }, record: number[] | undefined): Promise<number> =>
    new Promise((resolve, reject) => {
      let failure: string | undefined;
      const instance = autocannon(
        {
          url: `http://${host}`,
          connections: IN_FLIGHT,
          pipelining: 1,
          ...("amount" in limit ? { amount: limit.amount } : { duration: limit.seconds }),
          requests: [
            {
              method: "POST",
              path: "/",
              setupRequest: (req) => {
                const body = next(i++);
                return { ...req, body, headers: signedHeaders(host, body) };
              },
              onResponse: (status, body) => {
                if (status !== 200 && failure === undefined) failure = `HTTP ${status} ${body.slice(0, 400)}`;
              },
            },
          ],
        },
        (e, result) => {
          if (e) reject(e instanceof Error ? e : new Error(String(e)));
          else if (failure !== undefined || result.errors > 0 || result.non2xx > 0)
            reject(new Error(`${step}: ${failure ?? `${result.errors} connection errors`}`));
          else resolve(result.requests.total);
        },
      );
      if (record)
        instance.on("response", (_client, _status, _bytes, ms: number) => {
          record.push(ms);
          lastResponse = performance.now();
        });
    });
  // The step ends at its last answer (autocannon reports completion on its next 1 s tick).
  let lastResponse = 0;
  const warm = Math.min(maxRequests, 400);
  if (warm >= IN_FLIGHT) await drive({ amount: warm }, undefined);
  const times: number[] = [];
  const cpu0 = await t.cpu();
  const started = performance.now();
  const rest = maxRequests - Math.min(maxRequests, 400);
  await drive(Number.isFinite(maxRequests) ? { amount: Math.max(IN_FLIGHT, rest) } : { seconds: SECONDS }, times);
  const elapsed = (lastResponse - started) / 1000;
  const serverCpuUs = ((await t.cpu()) - cpu0) / Math.max(1, times.length);
  const sorted = times.sort((a, b) => a - b);
  const reqPerSec = times.length / elapsed;
  const moto = MOTO[step];
  return {
    enis,
    step,
    requests: times.length,
    reqPerSec,
    p50Ms: pct(sorted, 50),
    p99Ms: pct(sorted, 99),
    serverCpuUs,
    moto,
    ratio: moto ? reqPerSec / moto : undefined,
  };
};

const startServer = (data: string, enis: number): Promise<{ child: ChildProcess; seed: SeedReport }> =>
  new Promise((resolve, reject) => {
    // Compiled (tsc) copies of the bench fork the compiled server, whose profiles then carry real line numbers.
    const compiled = import.meta.url.endsWith(".js");
    const child = fork(fileURLToPath(new URL(`./load-server.${compiled ? "js" : "ts"}`, import.meta.url)), [data, String(enis)], {
      execArgv: compiled ? [] : ["--import", "tsx"],
      // The profile covers serving only (started after seeding), not the seed or module loading.
      env: { ...process.env, ...(PROFILE_DIR ? { LOCALVPC_LOAD_PROFILE_DIR: PROFILE_DIR } : {}) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.once("message", (m) => {
      resolve({ child, seed: m as SeedReport });
    });
    child.once("exit", (code) => {
      reject(new Error(`load server exited (${code})`));
    });
  });

const runScale = async (enis: number): Promise<{ results: StepResult[]; seed: SeedReport }> => {
  const dir = mkdtempSync(join(tmpdir(), "localvpc-load-"));
  const { child, seed } = await startServer(join(dir, "state.db"), enis);
  const url = new URL(seed.url);
  const cpu = (): Promise<number> =>
    new Promise((resolve) => {
      const on = (m: unknown): void => {
        if (typeof m === "object" && m !== null && "cpuUs" in m) {
          child.off("message", on);
          resolve((m as { cpuUs: number }).cpuUs);
        }
      };
      child.on("message", on);
      child.send("cpu");
    });
  const t = { hostname: url.hostname, port: Number(url.port), cpu };
  const pick = (i: number): { id: string; ip: string } => seed.samples[(i * 7919) % seed.samples.length]!;
  const results: StepResult[] = [];
  try {
    const step = async (...a: Parameters<typeof load> extends [Target, number, ...infer R] ? R : never): Promise<void> => {
      if (ONLY !== undefined && !a[0].includes(ONLY)) return;
      const r = await load(t, enis, ...a);
      results.push(r);
      if (!JSON_OUT) process.stderr.write(`  ${enis} ENIs · ${r.step}: ${r.reqPerSec.toFixed(0)} req/s\n`);
    };
    // The floor first: the same client and request against node:http answering canned bytes in the server's process.
    const floorUrl = new URL(seed.floorUrl);
    if (ONLY === undefined || "HTTP floor".includes(ONLY)) {
      const r = await load(
        { ...t, hostname: floorUrl.hostname, port: Number(floorUrl.port) },
        enis,
        "HTTP floor (canned DescribeVpcs)",
        () => form("DescribeVpcs", { "VpcId.1": seed.vpcId }),
      );
      results.push(r);
    }
    await step("DescribeVpcs (one id)", () => form("DescribeVpcs", { "VpcId.1": seed.vpcId }));
    await step("DescribeNetworkInterfaces NetworkInterfaceId.1", (i) =>
      form("DescribeNetworkInterfaces", { "NetworkInterfaceId.1": pick(i).id }),
    );
    await step("DescribeNetworkInterfaces filter network-interface-id", (i) =>
      form("DescribeNetworkInterfaces", { "Filter.1.Name": "network-interface-id", "Filter.1.Value.1": pick(i).id }),
    );
    await step("DescribeNetworkInterfaces filter private-ip-address", (i) =>
      form("DescribeNetworkInterfaces", { "Filter.1.Name": "private-ip-address", "Filter.1.Value.1": pick(i).ip }),
    );
    // Filters AWS documents that are not ids (issue 19: indexed, or within 2× of an indexed one). `description` is a
    // sparse key (only non-empty descriptions are stored): Terraform's load-balancer delete polls exactly this.
    // `status` is not indexed: with MaxResults the scan stops once the page is full, so a common value costs about
    // what the same page through an indexed column (`subnet-id`) costs.
    await step("DescribeNetworkInterfaces filter description (one match)", () =>
      form("DescribeNetworkInterfaces", { "Filter.1.Name": "description", "Filter.1.Value.1": seed.described }),
    );
    await step("DescribeNetworkInterfaces filter subnet-id MaxResults=50 (indexed)", () =>
      form("DescribeNetworkInterfaces", { "Filter.1.Name": "subnet-id", "Filter.1.Value.1": seed.subnetId, MaxResults: 50 }),
    );
    await step("DescribeNetworkInterfaces filter status=available MaxResults=50", () =>
      form("DescribeNetworkInterfaces", { "Filter.1.Name": "status", "Filter.1.Value.1": "available", MaxResults: 50 }),
    );
    await step("CreateTags", (i) =>
      form("CreateTags", { "ResourceId.1": pick(i).id, "Tag.1.Key": "bench", "Tag.1.Value": String(i % 1000) }),
    );
    // Create after the reads, so that the reads see exactly N ENIs.
    await step("CreateNetworkInterface", () => form("CreateNetworkInterface", { SubnetId: seed.subnetId }));
    // About 1,500 addresses held first (8 in flight), then 3,000 AllocateAddress calls (400 of them warm-up).
    let held = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (held < 1_500) {
          held++;
          const r = await send(t, form("AllocateAddress", { Domain: "vpc" }));
          if (r.status !== 200) throw new Error(`AllocateAddress: HTTP ${r.status} ${r.body.slice(0, 400)}`);
        }
      }),
    );
    await step("AllocateAddress (~1,500 EIPs held)", () => form("AllocateAddress", { Domain: "vpc" }), 3_000);
  } finally {
    setupAgent.destroy();
    child.send("close");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dir, { recursive: true, force: true });
  }
  return { results, seed };
};

const main = async (): Promise<void> => {
  const all: { enis: number; results: StepResult[]; seed: Omit<SeedReport, "samples"> }[] = [];
  for (const enis of SCALES) {
    if (!JSON_OUT) process.stderr.write(`load bench: seeding ${enis.toLocaleString("en-US")} ENIs …\n`);
    const { results, seed } = await runScale(enis);
    const { samples: _samples, ...rest } = seed;
    all.push({ enis, results, seed: rest });
  }
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ node: process.version, inFlight: IN_FLIGHT, seconds: SECONDS, scales: all }, null, 2)}\n`);
    return;
  }
  const f = (n: number | undefined, d = 0): string => (n === undefined || !Number.isFinite(n) ? "n/a" : n.toFixed(d));
  const out: string[] = [
    `\nlocalvpc load bench — SigV4-signed keep-alive HTTP, ${IN_FLIGHT} in flight, ${SECONDS} s per step, node ${process.version}, data: SQLite file (WAL)`,
    "cpu µs: the server process's CPU time per request (steadier than req/s when other work shares the machine)",
    `moto figures: moto 5.2.1 at 2,000 ENIs as published in issue 19 (baseline, not measured here); goal ≥ ${GOAL_RATIO}× on every step`,
  ];
  for (const s of all) {
    out.push(
      "",
      `${s.enis.toLocaleString("en-US")} ENIs (seeded in ${f(s.seed.seedSeconds, 1)} s; server start on that file ${f(s.seed.startSeconds, 2)} s)`,
    );
    out.push(
      `${"step".padEnd(66)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"cpu µs".padStart(7)} ${"moto".padStart(5)} ${"ratio".padStart(6)}`,
    );
    for (const r of s.results) {
      const ratio = r.ratio === undefined ? "" : `${f(r.ratio, 1)}×${r.ratio < GOAL_RATIO ? " (<30×)" : ""}`;
      out.push(
        `${r.step.padEnd(66)} ${f(r.reqPerSec).padStart(7)} ${f(r.p50Ms, 2).padStart(7)} ${f(r.p99Ms, 2).padStart(7)} ${f(r.serverCpuUs).padStart(7)} ${f(r.moto).padStart(5)} ${ratio.padStart(6)}`,
      );
    }
    out.push(
      `DescribeNetworkInterfaces MaxResults=1000, server time per page (${s.seed.page1000.pages} pages): p50 ${f(s.seed.page1000.p50, 1)} ms, p99 ${f(s.seed.page1000.p99, 1)} ms (target ≤ 20 ms)`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
};

main().catch((e: unknown) => {
  process.stderr.write(`load bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
