/**
 * Scenarios started from the console (issue 6): `GET /_localvpc/scenarios` lists them, `POST /_localvpc/scenarios/run
 * {name, account?, region?}` runs one in-process against the server's own endpoint (through the EC2 and admin APIs,
 * exactly as `localvpc scenario run` does), publishes every step on the SSE feed as a `scenario` event, and answers
 * the result. One run at a time: a second concurrent run is a 409. Refused when the console is read-only.
 */
import { adminScope, bodyObject, requireBodyString, type AdminRoute } from "../admin/routes.js";
import { err } from "../domain/errors.js";
import { runScenario, type ScenarioResult } from "../scenarios/runner.js";
import { SCENARIOS } from "../scenarios/catalog.js";
import type { Scenario } from "../scenarios/scenarios.js";
import type { Scope } from "../store/store.js";
import type { AddressInfo } from "node:net";
import type { ChangeFeed } from "./events.js";

/** The server's own URL on a loopback address (a server bound to 0.0.0.0 or :: is reached at 127.0.0.1 / ::1). */
export const selfUrl = (server: { address(): AddressInfo | string | null }): string => {
  const a = server.address();
  if (a === null || typeof a === "string") throw new Error("the server is not listening on a TCP port");
  const host = a.address === "0.0.0.0" ? "127.0.0.1" : a.address === "::" ? "::1" : a.address;
  return `http://${host.includes(":") ? `[${host}]` : host}:${a.port}`;
};

export interface ScenarioRouteOptions {
  readonly feed: ChangeFeed;
  readonly defaults: Scope;
  /** The server's own URL (known once it listens), on a loopback address. */
  readonly endpoint: () => string;
  /** The server's admin token, if it has one: the in-process run passes it like any client. */
  readonly adminToken?: string | undefined;
  /** The console's read-only mode (non-loopback host without --console-actions): runs are refused. */
  readonly readOnly: boolean;
  /** The host, for the read-only error's message. */
  readonly host: string;
  /** Which scenarios exist (tests may pass their own). */
  readonly scenarios?: readonly Scenario[];
}

export const scenarioRoutes = (o: ScenarioRouteOptions): AdminRoute[] => {
  const all = o.scenarios ?? SCENARIOS;
  let running: string | undefined;
  let runs = 0;
  return [
    {
      method: "GET",
      path: "/_localvpc/scenarios",
      handle: () => ({
        scenarios: all.map((s) => ({
          name: s.name,
          description: s.description,
          steps: s.steps.length,
          available: s.unavailable === undefined,
        })),
        running: running ?? null,
      }),
    },
    {
      method: "POST",
      path: "/_localvpc/scenarios/run",
      summary: "scenario run",
      // Its EC2 and admin calls announce their own changes; the run itself adds none.
      changesState: false,
      handle: async (req): Promise<ScenarioResult> => {
        if (o.readOnly) throw err.consoleReadOnly(o.host);
        const name = requireBodyString(bodyObject(req.body, "name"), "name");
        const scope = adminScope(req, o.defaults);
        const s = all.find((x) => x.name === name);
        if (!s)
          throw err.scenarioNotFound(
            name,
            all.map((x) => x.name),
          );
        if (s.unavailable) throw err.scenarioUnavailable(name, s.unavailable);
        if (running !== undefined) throw err.scenarioAlreadyRunning(running);
        running = name;
        const run = ++runs;
        try {
          return await runScenario(s, { endpoint: o.endpoint(), adminToken: o.adminToken, ...scope }, (e) =>
            o.feed.publishScenario({ ...e, run, name, account: scope.account, region: scope.region }),
          );
        } finally {
          running = undefined;
        }
      },
    },
  ];
};
