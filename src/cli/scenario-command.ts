/**
 * `localvpc scenario list | run NAME`: the seed's real-world scenarios (src/scenarios/scenarios.ts, run by src/scenarios/runner.ts), run against a running
 * server through the EC2 API. `run` prints each step (with a progress bar on a terminal), exits 0 when every check
 * holds, 1 when one does not (or a call fails), 2 when the scenario cannot run in this build.
 */
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { awsEnvDefaults } from "./aws-env.js";
import { runScenario } from "../scenarios/runner.js";
import { SCENARIOS } from "../scenarios/catalog.js";
import type { Scenario } from "../scenarios/scenarios.js";

interface RunOptions {
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly json?: boolean;
  readonly adminToken?: string | undefined;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const runInTerminal = async (s: Scenario, o: RunOptions): Promise<number> => {
  // With --json stdout carries the JSON answer only; the running commentary goes to stderr.
  const out = (line: string): void => {
    (o.json ? process.stderr : process.stdout).write(`${line}\n`);
  };
  if (s.unavailable) {
    process.stderr.write(`localvpc: scenario ${s.name} ${s.unavailable}.\n`);
    return 2;
  }
  out(`Scenario ${s.name} against ${o.endpoint} (account ${o.account}, ${o.region})`);
  const tty = process.stdout.isTTY && o.json !== true;
  const multi = tty
    ? new cliProgress.MultiBar({ format: " {bar} {value}/{total} {step}", hideCursor: true, clearOnComplete: true })
    : undefined;
  const bar = multi?.create(s.steps.length, 0, { step: "" });
  const say = (line: string): void => {
    if (multi) multi.log(`${line}\n`);
    else out(line);
  };
  const result = await runScenario(s, o, (e) => {
    if (e.phase === "step-started") bar?.update(e.index, { step: e.title });
    else if (e.phase === "step-finished")
      say(`  ${e.ok ? "✔" : "✖"} ${e.index + 1}/${e.total} ${e.step}${e.detail ? ` — ${e.detail}` : ""}`);
    else bar?.update(e.result.steps.length, { step: "" });
  });
  multi?.stop();
  out(
    result.ok
      ? `Scenario ${s.name}: all checks hold. The state is left in place: open ${o.endpoint.replace(/\/+$/, "")}/_localvpc/console/?account=${o.account}&region=${o.region}`
      : `Scenario ${s.name} failed.`,
  );
  if (o.json)
    process.stdout.write(`${JSON.stringify({ name: s.name, ok: result.ok, steps: result.steps, facts: result.facts }, null, 2)}\n`);
  return result.ok ? 0 : 1;
};

export const registerScenarioCommand = (program: Command): void => {
  const env = awsEnvDefaults();
  const scenario = program
    .command("scenario")
    .description("Runnable real-world scenarios (multi-homed DB, IP licensing, BYOIP migrations, Lambda in a VPC, NLB on BYOIP)");
  scenario
    .command("list")
    .description("List the scenarios")
    .option("--json", "print them as JSON")
    .action((o: { json?: boolean }) => {
      if (o.json) {
        out(JSON.stringify(SCENARIOS.map((s) => ({ name: s.name, description: s.description, available: s.unavailable === undefined }))));
        return;
      }
      const width = Math.max(...SCENARIOS.map((s) => s.name.length));
      for (const s of SCENARIOS) out(`${s.name.padEnd(width)}  ${s.description}${s.unavailable ? ` (${s.unavailable})` : ""}`);
    });
  scenario
    .command("run")
    .description("Run a scenario against a running localvpc through the EC2 API; exit 0 when its checks hold")
    .argument("<name>", "scenario name (see `localvpc scenario list`)")
    .option(
      "--endpoint <url>",
      "localvpc endpoint (default: AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, or http://127.0.0.1:4599)",
      env.endpoint,
    )
    .option(
      "--account <id>",
      "account to run in (default: a 12-digit AWS_ACCESS_KEY_ID or AWS_PROFILE key, else 000000000000)",
      env.account ?? "000000000000",
    )
    .option("--region <name>", "region to run in (default: AWS_REGION, AWS_DEFAULT_REGION, or us-east-1)", env.region ?? "us-east-1")
    .option("--json", "also print the steps and the ids it made as JSON")
    .option("--admin-token <token>", "the server's admin token, when it needs one (default: env LOCALVPC_ADMIN_TOKEN)")
    .action(async (name: string, flags: RunOptions) => {
      const o = { ...flags, adminToken: flags.adminToken ?? (process.env["LOCALVPC_ADMIN_TOKEN"] || undefined) };
      const s = SCENARIOS.find((x) => x.name === name);
      if (!s) {
        process.stderr.write(`localvpc: no scenario ${name}. Known: ${SCENARIOS.map((x) => x.name).join(", ")}.\n`);
        process.exit(1);
      }
      process.exitCode = await runInTerminal(s, o);
    });
};
