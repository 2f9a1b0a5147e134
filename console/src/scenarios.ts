/**
 * The console's Scenarios panel (issue 6): one Run button per scenario (`GET /_localvpc/scenarios`), a run started
 * with `POST /_localvpc/scenarios/run` in the shown account and Region, its steps shown live from the SSE feed's
 * `scenario` events (so a run started elsewhere, by another console, shows too), and pass/fail at the end. The
 * topology re-reads as the run's EC2 calls announce their changes, so it ends on the scenario's end state.
 */
import type { Caller } from "./ec2.js";
import { fill, h } from "./dom.js";
import { adminFetch } from "./token.js";

interface ScenarioInfo {
  readonly name: string;
  readonly description: string;
  readonly steps: number;
  readonly available: boolean;
}

interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface ScenarioResult {
  readonly name: string;
  readonly ok: boolean;
  readonly steps: readonly StepResult[];
  readonly total: number;
}

export type ScenarioEvent = { readonly run: number; readonly name: string; readonly account: string; readonly region: string } & (
  | { readonly phase: "step-started"; readonly index: number; readonly total: number; readonly title: string }
  | ({ readonly phase: "step-finished"; readonly index: number; readonly total: number } & StepResult)
  | { readonly phase: "finished"; readonly result: ScenarioResult }
);

export interface ScenarioHook {
  /** Scenario events shown, and the last finished run (name and outcome). */
  scenarioEvents: number;
  lastScenario: { name: string; ok: boolean } | null;
}

const el = (id: string): HTMLElement => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e;
};

/** The run on display: its steps as they come (at most one scenario's worth: bounded by its step count). */
interface Shown {
  run: number;
  name: string;
  total: number;
  steps: (StepResult & { running?: boolean })[];
  outcome?: { ok: boolean; message: string };
}

let shown: Shown | undefined;
let busy = false;

const setButtons = (readOnly: boolean, reason: string): void => {
  for (const b of document.querySelectorAll<HTMLButtonElement>("#scenario-list button")) {
    b.disabled = readOnly || busy;
    b.title = readOnly ? reason : busy ? "a scenario is running" : `Run ${b.dataset["name"] ?? ""} in this account and Region`;
  }
};

const renderProgress = (): void => {
  const box = el("scenario-progress");
  if (!shown) {
    box.replaceChildren();
    return;
  }
  const done = shown.steps.filter((s) => !s.running).length;
  const state = shown.outcome ? (shown.outcome.ok ? "pass" : "fail") : "running";
  fill(
    box,
    h(
      "p",
      { class: `scenario-head ${state}` },
      h("strong", {}, shown.name),
      " · ",
      h("span", { id: "scenario-state" }, state === "pass" ? "passed" : state === "fail" ? "failed" : "running"),
      ` · ${done}/${shown.total}`,
    ),
    h("progress", { max: String(shown.total), value: String(done) }),
    h(
      "ol",
      { class: "scenario-steps" },
      ...shown.steps.map((s) =>
        h(
          "li",
          { class: s.running ? "running" : s.ok ? "ok" : "fail" },
          `${s.running ? "…" : s.ok ? "✔" : "✖"} ${s.step}`,
          s.detail ? h("br") : null,
          s.detail ? h("span", { class: "detail" }, s.detail) : null,
        ),
      ),
    ),
    shown.outcome ? h("p", { class: `scenario-outcome ${state}` }, shown.outcome.message) : null,
  );
};

/** One `scenario` SSE event (from any run, whoever started it). */
export const onScenarioEvent = (hook: ScenarioHook, e: ScenarioEvent, onFinished: () => void): void => {
  hook.scenarioEvents++;
  if (!shown || shown.run !== e.run) {
    shown = { run: e.run, name: e.name, total: e.phase === "finished" ? e.result.total : e.total, steps: [] };
  }
  if (e.phase === "step-started") {
    shown.steps[e.index] = { step: e.title, ok: true, detail: "", running: true };
  } else if (e.phase === "step-finished") {
    shown.steps[e.index] = { step: e.step, ok: e.ok, detail: e.detail };
  } else {
    shown.steps = e.result.steps.map((s) => ({ ...s }));
    shown.outcome = {
      ok: e.result.ok,
      message: e.result.ok
        ? `All checks hold (${e.account} · ${e.region}). The topology shows the end state.`
        : `A check failed: AWS semantics were not met (see the last step).`,
    };
    hook.lastScenario = { name: e.name, ok: e.result.ok };
    onFinished();
  }
  renderProgress();
};

/** Reads the scenario list and draws a Run button for each. */
export const loadScenarios = async (
  getCaller: () => Caller,
  readOnly: boolean,
  reason: string,
  hook: ScenarioHook,
  onFinished: () => void,
): Promise<void> => {
  const r = (await (await adminFetch("/_localvpc/scenarios")).json()) as { scenarios: ScenarioInfo[]; running: string | null };
  busy = r.running !== null;
  fill(
    el("scenario-list"),
    ...r.scenarios.map((s) => {
      const b = h("button", { type: "button", id: `run-${s.name}` }, "Run");
      b.dataset["name"] = s.name;
      return h("li", {}, b, " ", h("strong", {}, s.name), h("br"), h("span", { class: "hint" }, s.description));
    }),
  );
  setButtons(readOnly, reason);
  for (const b of document.querySelectorAll<HTMLButtonElement>("#scenario-list button")) {
    b.addEventListener("click", () => void run(b.dataset["name"] ?? "", getCaller(), readOnly, reason, hook, onFinished));
  }
};

const run = async (
  name: string,
  caller: Caller,
  readOnly: boolean,
  reason: string,
  hook: ScenarioHook,
  onFinished: () => void,
): Promise<void> => {
  busy = true;
  setButtons(readOnly, reason);
  try {
    const res = await adminFetch("/_localvpc/scenarios/run", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, account: caller.account, region: caller.region }),
    });
    const answer = (await res.json()) as ScenarioResult & { error?: string; message?: string };
    if (!res.ok) {
      // Refused (another run in progress, read-only …): nothing ran, so no event will say so.
      shown = {
        run: -1,
        name,
        total: 0,
        steps: [],
        outcome: { ok: false, message: `${answer.error ?? res.status}: ${answer.message ?? ""}` },
      };
      hook.lastScenario = { name, ok: false };
      renderProgress();
    } else if (!shown || shown.name !== name || !shown.outcome) {
      // The answer came before (or without) the feed's events: show the result it carries.
      onScenarioEvent(
        hook,
        { run: shown?.run ?? -2, name, account: caller.account, region: caller.region, phase: "finished", result: answer },
        onFinished,
      );
    }
  } catch (e) {
    shown = { run: -1, name, total: 0, steps: [], outcome: { ok: false, message: e instanceof Error ? e.message : String(e) } };
    renderProgress();
  } finally {
    busy = false;
    setButtons(readOnly, reason);
  }
};
