/**
 * `npm run fuzz -- [--count N] [--seed S] [--endpoint URL]`: the model-driven fuzzer (test/fuzz/fuzz.ts) against an
 * in-process localvpc (or a running one with --endpoint). Prints progress on stderr and a report: requests, answers
 * by status, 5xx, malformed answers, state changes on errors, and the first findings. Exits 1 on any finding.
 */
import { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { startLocalVpc } from "../src/index.js";
import { runFuzz } from "../test/fuzz/fuzz.js";

const program = new Command()
  .option("--count <n>", "requests to send", "10000")
  .option("--seed <n>", "PRNG seed (the same seed sends the same requests)", String(Date.now() % 1_000_000))
  .option("--endpoint <url>", "fuzz a running localvpc instead of an in-process one")
  .option("--json", "print the report as JSON only");
program.parse();
const o = program.opts<{ count: string; seed: string; endpoint?: string; json?: boolean }>();
const count = Number(o.count);
const seed = Number(o.seed);
if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(seed)) {
  process.stderr.write("fuzz: --count and --seed take whole numbers (e.g. --count 100000 --seed 7)\n");
  process.exit(2);
}

const vpc = o.endpoint ? undefined : await startLocalVpc({ port: 0, data: ":memory:" });
const url = o.endpoint ?? vpc!.url;
const bar = new SingleBar(
  { format: "fuzz [{bar}] {value}/{total} requests  {eta_formatted} left", stream: process.stderr },
  Presets.shades_classic,
);
bar.start(count, 0);
const started = performance.now();
const report = await runFuzz(url, { count, seed, onProgress: (done) => bar.update(done) });
bar.update(count);
bar.stop();
await vpc?.close();
const seconds = (performance.now() - started) / 1000;
if (o.json) process.stdout.write(`${JSON.stringify({ seed, seconds, ...report })}\n`);
else {
  process.stdout.write(
    [
      `fuzz: ${report.cases} requests (seed ${seed}) in ${seconds.toFixed(1)} s`,
      `  answers by status: ${Object.entries(report.byStatus)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
      `  5xx: ${report.serverErrors}   malformed answers: ${report.malformed}   state changed on an error: ${report.stateChangedOnError}`,
      ...report.findings
        .slice(0, 10)
        .map(
          (f) => `  ✘ ${f.problem}: ${f.case.method} ${f.case.path.slice(0, 120)} (${f.case.kind}) → ${f.status} ${f.body.slice(0, 200)}`,
        ),
      "",
    ].join("\n"),
  );
}
process.exit(report.serverErrors + report.malformed + report.stateChangedOnError > 0 ? 1 : 0);
