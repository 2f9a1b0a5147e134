/**
 * Runs one scenario (scenarios.ts) against a localvpc endpoint, step by step, and answers what happened. Shared by
 * `localvpc scenario run` (which prints the steps with a progress bar) and the server's own
 * `POST /_localvpc/scenarios/run` (which publishes them on the SSE feed for the console): both drive the server
 * through its public APIs (EC2 Query, admin JSON) like any client, so a scenario run from the console is the same
 * run as one from a terminal.
 */
import { Ec2CallError, ec2QueryClient } from "./ec2-query.js";
import { ScenarioCheckFailed, type Scenario, type ScenarioAdmin, type ScenarioContext } from "./scenarios.js";
import { AwsCallError, eksClient, elbv2Client, lambdaClient } from "./service-clients.js";

export interface RunTarget {
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  /** The server's admin token, when it needs one: sent on admin calls, and on EC2 calls (which it vouches for under --auth strict). */
  readonly adminToken?: string | undefined;
}

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly ok: boolean;
  /** The steps that ran, in order; a failed step is the last one. */
  readonly steps: readonly StepResult[];
  /** How many steps the scenario has (more than `steps.length` when one failed). */
  readonly total: number;
  /** The ids and values the steps found out (VPC, ENIs, addresses …). */
  readonly facts: Readonly<Record<string, string>>;
}

/** What a run tells its watcher: before each step, after each step, at the end. */
export type RunEvent =
  | { readonly phase: "step-started"; readonly index: number; readonly total: number; readonly title: string }
  | ({ readonly phase: "step-finished"; readonly index: number; readonly total: number } & StepResult)
  | { readonly phase: "finished"; readonly result: ScenarioResult };

/** An admin API failure inside a scenario step (the server's error code and message). */
export class AdminCallError extends Error {}

/** Calls `/_localvpc/PATH` in the run's account and Region (GET: in the query string; POST: in the JSON body). */
export const adminClient =
  (o: RunTarget): ScenarioAdmin =>
  async (method, path, body = {}) => {
    const base = o.endpoint.replace(/\/+$/, "");
    let url = `${base}/_localvpc/${path}`;
    const token: Record<string, string> = o.adminToken === undefined ? {} : { "x-localvpc-token": o.adminToken };
    const init: RequestInit = { method, headers: token };
    if (method === "GET") {
      url += `${url.includes("?") ? "&" : "?"}${new URLSearchParams({ account: o.account, region: o.region }).toString()}`;
    } else {
      init.headers = { ...token, "content-type": "application/json" };
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

/** One line saying why a step failed: a violated check, AWS's error, an admin error, or an unreachable endpoint. */
export const failureDetail = (e: unknown, endpoint: string): string =>
  e instanceof ScenarioCheckFailed
    ? `check failed: ${e.message}`
    : e instanceof Ec2CallError
      ? `EC2 error: ${e.message}`
      : e instanceof AwsCallError
        ? `${e.service} error: ${e.message}`
        : e instanceof AdminCallError
          ? `admin API error: ${e.message}`
          : e instanceof TypeError
            ? `could not reach localvpc at ${endpoint} (${e.message}). Start it with \`localvpc serve\` or pass --endpoint URL.`
            : String(e);

/** Short unique suffix for Name tags, so that runs do not mix up. */
const runSuffix = (): string => Date.now().toString(36).slice(-5);

/** Runs every step until one fails; `onEvent` hears each step start and finish, and the result. */
export const runScenario = async (s: Scenario, o: RunTarget, onEvent: (e: RunEvent) => void = () => undefined): Promise<ScenarioResult> => {
  const ctx: ScenarioContext = {
    ec2: ec2QueryClient(o.endpoint, o.account, o.region, o.adminToken),
    elbv2: elbv2Client(o),
    lambda: lambdaClient(o),
    eks: eksClient(o),
    admin: adminClient(o),
    account: o.account,
    region: o.region,
    run: runSuffix(),
    facts: {},
  };
  const total = s.steps.length;
  const steps: StepResult[] = [];
  for (const [index, step] of s.steps.entries()) {
    onEvent({ phase: "step-started", index, total, title: step.title });
    let r: StepResult;
    try {
      r = { step: step.title, ok: true, detail: (await step.run(ctx)) ?? "" };
    } catch (e) {
      r = { step: step.title, ok: false, detail: failureDetail(e, o.endpoint) };
    }
    steps.push(r);
    onEvent({ phase: "step-finished", index, total, ...r });
    if (!r.ok) break;
  }
  const result: ScenarioResult = {
    name: s.name,
    account: o.account,
    region: o.region,
    ok: steps.length === total && steps.every((x) => x.ok),
    steps,
    total,
    facts: { ...ctx.facts },
  };
  onEvent({ phase: "finished", result });
  return result;
};
