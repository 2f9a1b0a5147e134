/**
 * `npm run crash -- [--rounds N] [--workers N] [--seed S]`: crash rounds against the built CLI (test/crash/crash-rounds.ts):
 * a concurrent SDK write load on `localvpc serve --data FILE`, `kill -9` at a random moment, a restart on the same file,
 * and a check that every acknowledged write is there. Prints one line per round and the figures (rounds,
 * acknowledged writes, lost, time); exits 1 if any acknowledged write was lost or anything else was wrong.
 * Needs dist/ (`npm run build`).
 */
import { existsSync } from "node:fs";
import { Command } from "commander";
import { CLI_PATH } from "../test/cli/serve-process.js";
import { runCrashRounds } from "../test/crash/crash-rounds.js";

const program = new Command()
  .option("--rounds <n>", "rounds of load, kill -9 and restart", "20")
  .option("--workers <n>", "concurrent clients", "8")
  .option("--seed <n>", "PRNG seed for the kill moments (the same seed, the same moments)")
  .option("--json", "print the result as JSON only");
program.parse();
const o = program.opts<{ rounds: string; workers: string; seed?: string; json?: boolean }>();
const rounds = Number(o.rounds);
const workers = Number(o.workers);
const seed = o.seed === undefined ? undefined : Number(o.seed);
if (
  !Number.isInteger(rounds) ||
  rounds <= 0 ||
  !Number.isInteger(workers) ||
  workers <= 0 ||
  (seed !== undefined && !Number.isInteger(seed))
) {
  process.stderr.write("crash: --rounds, --workers and --seed take whole numbers (e.g. --rounds 40)\n");
  process.exit(2);
}
if (!existsSync(CLI_PATH)) {
  process.stderr.write(`crash: ${CLI_PATH} is missing: run \`npm run build\` first (the rounds start the built CLI)\n`);
  process.exit(2);
}

const r = await runCrashRounds({
  rounds,
  workers,
  ...(seed === undefined ? {} : { seed }),
  ...(o.json ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
});
const failed = r.lost > 0 || r.problems.length > 0;
if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
else {
  const inFlight = r.perRound.reduce((n, x) => n + x.inFlight, 0);
  const landed = r.perRound.reduce((n, x) => n + x.inFlightCommitted, 0);
  process.stdout.write(
    [
      `rounds:        ${r.rounds} (kill -9 under load, restart on the same file; seed ${r.seed})`,
      `acknowledged:  ${r.acknowledged} writes`,
      `in flight:     ${inFlight} at the kills (${landed} of them committed anyway)`,
      `lost:          ${r.lost}`,
      `time:          ${(r.ms / 1000).toFixed(1)} s`,
      ...r.lostWrites.map((w) => `  lost: ${w}`),
      ...r.problems.map((p) => `  problem: ${p}`),
      failed ? "FAILED" : "ok: every acknowledged write survived",
      "",
    ].join("\n"),
  );
}
process.exit(failed ? 1 : 0);
