/**
 * The web console's routes: the built single-page app (Vite's output in `dist/console/`, made by `npm run build`)
 * under `/_localvpc/console/`, its small JSON config (read-only or not, and why), the scopes that exist (for the
 * account/region picker) and the server-sent event feed `GET /_localvpc/events`. The console reads and changes
 * state through the EC2 Query API like any client; nothing here changes state.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { AdminRawResponse, AdminResponse, AdminStream, type AdminRoute } from "../admin/routes.js";
import { err } from "../domain/errors.js";
import type { Scope } from "../store/store.js";
import { sseEvent, type ChangeFeed } from "./events.js";

export interface ConsoleOptions {
  readonly feed: ChangeFeed;
  readonly listScopes: () => readonly Scope[];
  readonly defaults: Scope;
  /** The host the server is bound to: actions are refused from the console unless it is a loopback address. */
  readonly host: string;
  /** Allow actions from the console even on a non-loopback host (`serve --console-actions`). */
  readonly allowActions?: boolean;
  /** Where the built assets are (default: dist/console of this package). */
  readonly assetsDir?: string;
}

const HEARTBEAT_MS = 20_000;

/** The console's icon: a subnet box holding two ENIs (SVG; Chromium and Firefox take an SVG favicon by its type). */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" rx="3" fill="#1d2b45"/>' +
  '<rect x="3" y="4" width="4" height="8" rx="1" fill="#dcebff"/><rect x="9" y="4" width="4" height="8" rx="1" fill="#4c9a6a"/></svg>';

const MIME: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
  ".ico": "image/x-icon",
};

/** Built from `dist/src/server/console.js` the assets are at `dist/console/`; from source (tsx) at `<repo>/dist/console/`. */
const defaultAssetsDir = (): string => {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(here.includes(`${sep}dist${sep}src${sep}`) ? "../../console/" : "../../dist/console/", import.meta.url));
};

export const isLoopbackHost = (host: string): boolean =>
  host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Read-only: bound to a non-loopback host without `--console-actions` (anyone who reaches it could change state). */
export const isConsoleReadOnly = (host: string, allowActions: boolean | undefined): boolean =>
  !isLoopbackHost(host) && allowActions !== true;

export const consoleRoutes = (o: ConsoleOptions): AdminRoute[] => {
  const dir = o.assetsDir ?? defaultAssetsDir();
  const readOnly = isConsoleReadOnly(o.host, o.allowActions);
  // Admin routes answer JSON, errors included.
  const notBuilt = (): AdminResponse =>
    new AdminResponse(
      { error: "ConsoleNotBuilt", message: "The console is not built: run `npm run build` (it bundles the console into dist/console/)." },
      404,
    );
  const notFound = (rel: string): AdminResponse =>
    new AdminResponse({ error: "NotFound", message: `The console has no file ${JSON.stringify(rel)}.` }, 404);
  const file = (rel: string): AdminRawResponse | AdminResponse => {
    const path = normalize(join(dir, rel));
    if (!path.startsWith(normalize(dir))) return notFound(rel);
    if (!existsSync(path)) return existsSync(join(dir, "index.html")) ? notFound(rel) : notBuilt();
    const type = MIME[extname(path)] ?? "application/octet-stream";
    // Vite names built assets by content hash, so they can be cached; index.html must not be.
    const cache = rel.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    return new AdminRawResponse(readFileSync(path), type, 200, { "cache-control": cache });
  };
  return [
    {
      method: "GET",
      path: "/_localvpc/console",
      handle: () => new AdminRawResponse("", "text/plain", 302, { location: "/_localvpc/console/" }),
    },
    { method: "GET", path: "/_localvpc/console/", handle: () => file("index.html") },
    // Browsers ask for it at the root whatever the page says: the console's icon, never an EC2 MissingAction.
    {
      method: "GET",
      path: "/favicon.ico",
      handle: () => new AdminRawResponse(FAVICON, "image/svg+xml", 200, { "cache-control": "public, max-age=86400" }),
    },
    {
      method: "GET",
      path: "/_localvpc/console/favicon.svg",
      handle: () => new AdminRawResponse(FAVICON, "image/svg+xml", 200, { "cache-control": "public, max-age=86400" }),
    },
    {
      method: "GET",
      path: "/_localvpc/console/api/config",
      handle: () => ({
        readOnly,
        reason: readOnly ? err.consoleReadOnly(o.host).message : undefined,
        defaults: o.defaults,
        placeholders: ["traffic", "flow-logs", "delivery-chart", "byoip"],
      }),
    },
    {
      method: "GET",
      path: "/_localvpc/console/api/scopes",
      handle: () => ({ scopes: o.listScopes(), defaults: o.defaults }),
    },
    { method: "GET", path: "/_localvpc/console/*file", handle: (req) => file(req.params["file"] ?? "index.html") },
    {
      method: "GET",
      path: "/_localvpc/events",
      summary: "event stream",
      handle: () =>
        new AdminStream((write) => {
          write(`retry: 1000\n${sseEvent("hello", { listeners: o.feed.listeners + 1 })}`);
          const unsubscribe = o.feed.subscribe((c) => write(sseEvent("change", c)));
          const unsubscribeVerdicts = o.feed.subscribeVerdicts((v) => write(sseEvent("verdict", v)));
          const unsubscribeScenarios = o.feed.subscribeScenarios((e) => write(sseEvent("scenario", e)));
          const beat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
          beat.unref();
          return () => {
            clearInterval(beat);
            unsubscribe();
            unsubscribeVerdicts();
            unsubscribeScenarios();
          };
        }),
    },
  ];
};
