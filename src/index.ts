/**
 * localvpc as a library: `const vpc = await startLocalVpc({ port: 0 })` → `vpc.url`, `await vpc.reset()`,
 * `await vpc.close()`. The CLI's `serve` command is a thin wrapper around this.
 */
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { Ec2Service } from "./api/service.js";
import { loadCatalog } from "./catalog/catalog.js";
import { DEFAULT_QUOTAS, type Quotas } from "./domain/quotas.js";
import type { IdGenerator } from "./domain/ids.js";
import { NO_DELAYS, type TransitionDelays } from "./domain/eni-attachment.js";
import { managedEniRoutes } from "./api/managed-enis.js";
import type { AdminRoute } from "./api/admin.js";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "./protocol/auth.js";
import { SimulatedClock } from "./infra/clock.js";
import { randomIds } from "./infra/random-ids.js";
import { createHttpServer } from "./server/http.js";
import { Store } from "./store/store.js";
import { err } from "./domain/errors.js";
// --- Web console (issue 6) ---
import { ChangeFeed } from "./server/events.js";
import { consoleRoutes } from "./server/console.js";

export const VERSION = "0.1.0";

export interface LocalVpcOptions {
  /** Port to listen on; 0 picks a free one. Default 4599. */
  readonly port?: number;
  /** Host to bind; default 127.0.0.1. */
  readonly host?: string;
  /** SQLite file path, or ":memory:" (default) for throwaway state. */
  readonly data?: string;
  /** pino level: "silent" (library default), "info" (CLI default), "debug"… */
  readonly logLevel?: string;
  /** Overrides of AWS quotas (see domain/quotas.ts). */
  readonly quotas?: Partial<Quotas>;
  /** Actions answered with UnauthorizedOperation (emulates a missing IAM permission). */
  readonly deniedActions?: readonly string[];
  /** Id generator (tests may inject a deterministic one). */
  readonly ids?: IdGenerator;
  readonly logger?: Logger;
  /** Transient ENI state delays on the simulated clock (attaching, detaching, pending); default 0 = final at once. */
  readonly delays?: Partial<TransitionDelays>;
  /** Web console (issue 6): allow actions from the console although `host` is not a loopback address. */
  readonly consoleActions?: boolean;
}

export interface LocalVpc {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly clock: SimulatedClock;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const startLocalVpc = async (options: LocalVpcOptions = {}): Promise<LocalVpc> => {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? pino({ level: options.logLevel ?? "silent" });
  const store = new Store(options.data ?? ":memory:");
  const clock = new SimulatedClock();
  const feed = new ChangeFeed();
  const ec2 = new Ec2Service({
    store,
    ids: options.ids ?? randomIds(),
    now: clock.now,
    catalog: loadCatalog(),
    quotas: { ...DEFAULT_QUOTAS, ...options.quotas },
    deniedActions: new Set(options.deniedActions ?? []),
    onInternalError: (e, requestId) => logger.error({ requestId, err: e }, "internal error"),
    delays: { ...NO_DELAYS, ...options.delays },
  });
  const reset = (): void => {
    store.reset();
    ec2.forgetScopes();
    clock.offsetMs = 0;
  };
  const defaults = { account: DEFAULT_ACCOUNT, region: DEFAULT_REGION };
  const resetRoute = (path: string): AdminRoute => ({
    method: "POST",
    path,
    summary: "reset",
    handle: () => {
      reset();
      return { status: "ok" };
    },
  });
  const admin: AdminRoute[] = [
    { method: "GET", path: "/_localvpc/health", handle: () => ({ status: "ok", service: "localvpc", version: VERSION, data: store.path }) },
    resetRoute("/_localvpc/reset"),
    // moto's server-mode reset, so suites written for moto run unchanged.
    resetRoute("/moto-api/reset"),
    {
      method: "GET",
      path: "/_localvpc/state",
      // The dump shows the account as a caller would see it: bootstrapped (default VPC …) on first sight.
      handle: (req) => {
        const scope = { account: req.query.get("account") ?? DEFAULT_ACCOUNT, region: req.query.get("region") ?? DEFAULT_REGION };
        ec2.ensureScope(scope);
        return store.dump(scope);
      },
    },
    {
      method: "POST",
      path: "/_localvpc/clock/advance",
      summary: "clock advanced",
      handle: (req) => {
        const ms = (req.body as { ms?: unknown }).ms;
        if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw err.clockAdvanceBody();
        clock.advance(ms);
        return { offsetMs: clock.offsetMs, now: clock.now().toISOString() };
      },
    },
    { method: "GET", path: "/_localvpc/clock", handle: () => ({ offsetMs: clock.offsetMs, now: clock.now().toISOString() }) },
    ...managedEniRoutes(ec2, defaults),
    // Web console (issue 6): static app, config, scopes, and the SSE feed GET /_localvpc/events.
    ...consoleRoutes({ feed, listScopes: () => store.listScopes(), defaults, host, allowActions: options.consoleActions === true }),
  ];
  const server = createHttpServer({ ec2, logger, admin, onChange: (c) => feed.publish(c) });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4599, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    clock,
    reset: () => {
      reset();
      return Promise.resolve();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
};

export type { Quotas } from "./domain/quotas.js";
