/**
 * `localvpc scenario list | run NAME`: the seed's real-world scenarios (src/cli/scenarios.ts), run against a running
 * server through the EC2 API. `run` prints each step (with a progress bar on a terminal), exits 0 when every check
 * holds, 1 when one does not (or a call fails), 2 when the scenario cannot run in this build.
 */
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { DEFAULT_ENDPOINT } from "./admin-client.js";
import { Ec2CallError, ec2QueryClient } from "./ec2-query.js";
import { SCENARIOS, ScenarioCheckFailed, type Scenario, type ScenarioAdmin, type ScenarioContext } from "./scenarios.js";

interface RunOptions {
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly json?: boolean;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** An admin API failure inside a scenario step (the server's error code and message). */
class AdminCallError extends Error {}

/** Calls `/_localvpc/PATH` in the run's account and Region (GET: in the query string; POST: in the JSON body). */
const adminClient =
  (o: RunOptions): ScenarioAdmin =>
  async (method, path, body = {}) => {
    const base = o.endpoint.replace(/\/+$/, "");
    let url = `${base}/_localvpc/${path}`;
    const init: RequestInit = { method };
    if (method === "GET") {
      url += `${url.includes("?") ? "&" : "?"}${new URLSearchParams({ account: o.account, region: o.region }).toString()}`;
    } else {
      init.headers = { "content-type": "application/json" };
      init.body = JSON.stringify({ account: o.account, region: o.region, ...body });
    }
    const res = await fetch(url, init);
    const text = await res.text();
    const answer = (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>;
    if (!res.ok) {
      const code = typeof answer["error"] === "string" ? answer["error"] : String(res.status);
      const message = typeof answer["message"] === "string" ? answer["message"] : text;
      throw new AdminCallError(`${method} /_localvpc/${path}: ${code}: ${message}`);
    }
    return answer;
  };

const runScenario = async (s: Scenario, o: RunOptions): Promise<number> => {
  if (s.unavailable) {
    process.stderr.write(`localvpc: scenario ${s.name} ${s.unavailable}.\n`);
    return 2;
  }
  const ctx: ScenarioContext = {
    ec2: ec2QueryClient(o.endpoint, o.account, o.region),
    admin: adminClient(o),
    account: o.account,
    region: o.region,
    run: Date.now().toString(36).slice(-5),
    facts: {},
  };
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
  const results: { step: string; ok: boolean; detail: string }[] = [];
  let status = 0;
  for (const [i, step] of s.steps.entries()) {
    bar?.update(i, { step: step.title });
    try {
      const detail = (await step.run(ctx)) ?? "";
      results.push({ step: step.title, ok: true, detail });
      say(`  ✔ ${i + 1}/${s.steps.length} ${step.title}${detail ? ` — ${detail}` : ""}`);
    } catch (e) {
      const detail =
        e instanceof ScenarioCheckFailed
          ? `check failed: ${e.message}`
          : e instanceof Ec2CallError
            ? `EC2 error: ${e.message}`
            : e instanceof AdminCallError
              ? `admin API error: ${e.message}`
              : e instanceof TypeError
                ? `could not reach localvpc at ${o.endpoint} (${e.message}). Start it with \`localvpc serve\` or pass --endpoint URL.`
                : String(e);
      results.push({ step: step.title, ok: false, detail });
      say(`  ✖ ${i + 1}/${s.steps.length} ${step.title} — ${detail}`);
      status = 1;
      break;
    }
  }
  bar?.update(results.length, { step: "" });
  multi?.stop();
  if (o.json) out(JSON.stringify({ name: s.name, ok: status === 0, steps: results, facts: ctx.facts }, null, 2));
  out(
    status === 0
      ? `Scenario ${s.name}: all checks hold. The state is left in place: open ${o.endpoint.replace(/\/+$/, "")}/_localvpc/console/?account=${o.account}&region=${o.region}`
      : `Scenario ${s.name} failed.`,
  );
  return status;
};

export const registerScenarioCommand = (program: Command): void => {
  const scenario = program
    .command("scenario")
    .description("Runnable real-world scenarios (multi-homed DB, IP licensing, BYOIP migrations)");
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
    .option("--endpoint <url>", "localvpc endpoint", DEFAULT_ENDPOINT)
    .option("--account <id>", "account to run in", "000000000000")
    .option("--region <name>", "region to run in", "us-east-1")
    .option("--json", "also print the steps and the ids it made as JSON")
    .action(async (name: string, o: RunOptions) => {
      const s = SCENARIOS.find((x) => x.name === name);
      if (!s) {
        process.stderr.write(`localvpc: no scenario ${name}. Known: ${SCENARIOS.map((x) => x.name).join(", ")}.\n`);
        process.exit(1);
      }
      process.exitCode = await runScenario(s, o);
    });
};
