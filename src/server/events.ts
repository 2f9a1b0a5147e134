/**
 * The change feed behind `GET /_localvpc/events`: http.ts tells it after every committed mutating EC2 call and
 * every successful non-GET admin call, whoever made it; subscribers (the console's server-sent event streams)
 * hear about it. It carries what changed, not the new state: a listener re-reads through the EC2 API.
 */
import type { RunEvent } from "../scenarios/runner.js";

export interface StateChange {
  /** "ec2" for an EC2 action, "admin" for an admin route. */
  readonly source: "ec2" | "admin";
  /** The EC2 action (`AttachNetworkInterface`) or the admin route (`POST /_localvpc/reset`). */
  readonly name: string;
  /** The caller's scope, for EC2 actions. */
  readonly account?: string;
  readonly region?: string;
}

export interface NumberedChange extends StateChange {
  readonly seq: number;
}

/**
 * One traffic verdict as the console's Watch panel sees it (issue 6): every probe through `POST
 * /_localvpc/traffic/send`, whoever sent it (`localvpc traffic run`, a test, a script), is published on the feed as
 * an SSE event of its own type (`verdict`), so the console can animate traffic it did not send.
 */
export interface VerdictEvent {
  readonly account: string;
  readonly region: string;
  readonly delivered: boolean;
  readonly reason: string | null;
  readonly explanation: string;
  readonly deliveredTo: string | null;
  readonly hops: readonly { readonly component: string; readonly action: string; readonly type: string; readonly path: string }[];
  readonly probe: Record<string, unknown>;
}

/**
 * One step of a scenario started from the console (`POST /_localvpc/scenarios/run`), published as an SSE event of
 * its own type (`scenario`) so that every open console shows the run's progress.
 */
export type ScenarioEvent = RunEvent & {
  /** Numbers the runs since the server started, so a console can tell one run's events from the next. */
  readonly run: number;
  readonly name: string;
  readonly account: string;
  readonly region: string;
};

export class ChangeFeed {
  #seq = 0;
  readonly #listeners = new Set<(c: NumberedChange) => void>();
  readonly #verdictListeners = new Set<(v: VerdictEvent) => void>();
  readonly #scenarioListeners = new Set<(e: ScenarioEvent) => void>();

  /** Tells the consoles about a scenario run's progress. */
  publishScenario(e: ScenarioEvent): void {
    for (const l of this.#scenarioListeners) l(e);
  }

  subscribeScenarios(listener: (e: ScenarioEvent) => void): () => void {
    this.#scenarioListeners.add(listener);
    return () => this.#scenarioListeners.delete(listener);
  }

  /** Tells the Watch panels about one traffic verdict (not a state change: nothing to re-read). */
  publishVerdict(v: VerdictEvent): void {
    for (const l of this.#verdictListeners) l(v);
  }

  subscribeVerdicts(listener: (v: VerdictEvent) => void): () => void {
    this.#verdictListeners.add(listener);
    return () => this.#verdictListeners.delete(listener);
  }

  publish(change: StateChange): void {
    const numbered = { seq: ++this.#seq, ...change };
    for (const l of this.#listeners) l(numbered);
  }

  /** Adds a listener; answers the function that removes it. */
  subscribe(listener: (c: NumberedChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }
}

/** One server-sent event in the wire format (`event:` line, one `data:` line of JSON, blank line). */
export const sseEvent = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
