/**
 * The console test files' shared setup: one `localvpc serve` (the built CLI) per file, an SDK client in the test's
 * account, and Debian's chromium; `open()` loads the console for that account in a page (a fresh one by default, so
 * no page lives through a whole file: a long-lived page has crashed under load before, see the issue 6 note).
 */
import { after, before } from "node:test";
import { EC2Client } from "@aws-sdk/client-ec2";
import type { Page } from "playwright-core";
import { spawnServe, type ServeProcess } from "../cli/serve-process.js";
import { openBrowser, type Browser } from "./browser.js";

export const AMI = "ami-0a1b2c3d4e5f60001";
export const WAIT = { timeout: 120_000, polling: 250 } as const;

export interface ConsoleFixture {
  readonly account: string;
  readonly region: string;
  readonly server: ServeProcess;
  readonly ec2: EC2Client;
  readonly browser: Browser;
  /** The console's URL for the fixture's account and Region. */
  readonly consoleUrl: string;
  /** Opens the console in `page` (default: a new page of the browser) and answers the page. */
  open(page?: Page): Promise<Page>;
  /** Opens the console in a new page and waits until these nodes are drawn, laid out, and live updates are on. */
  openReady(ids: readonly string[]): Promise<Page>;
}

interface ReadyHook {
  busy: boolean;
  renders: number;
  cy: { getElementById(id: string): { length: number } };
}

/** Resolves when every node in `ids` is drawn, no render is in progress and the SSE feed is connected. */
export const waitReady = async (page: Page, ids: readonly string[]): Promise<void> => {
  await page.waitForFunction(
    (want) => {
      const h = (window as unknown as { __lvc?: ReadyHook }).__lvc;
      return (
        h !== undefined &&
        h.renders > 0 &&
        !h.busy &&
        document.querySelector("#live")?.textContent === "live updates: on" &&
        want.every((id) => h.cy.getElementById(id).length > 0)
      );
    },
    ids,
    { timeout: 180_000, polling: 250 },
  );
};

/**
 * Registers before/after hooks that start and stop the server and the browser; answers a view that is usable
 * inside tests and inside a `before` registered after this call (which runs after these hooks).
 */
export const useConsoleFixture = (o: { account: string; region?: string; serveArgs?: readonly string[] }): ConsoleFixture => {
  const region = o.region ?? "us-east-1";
  let server: ServeProcess | undefined;
  let ec2: EC2Client | undefined;
  let browser: Browser | undefined;
  const need = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`the console fixture's ${what} is not started (use it inside a test or a later before())`);
    return x;
  };
  const view: ConsoleFixture = {
    account: o.account,
    region,
    get server() {
      return need(server, "server");
    },
    get ec2() {
      return need(ec2, "EC2 client");
    },
    get browser() {
      return need(browser, "browser");
    },
    get consoleUrl() {
      return `${need(server, "server").url}/_localvpc/console/?account=${o.account}&region=${region}`;
    },
    open: async (page) => {
      const p = page ?? (await need(browser, "browser").context.newPage());
      p.on("crash", () => console.error("the console page crashed"));
      await p.bringToFront();
      await p.goto(view.consoleUrl);
      return p;
    },
    openReady: async (ids) => {
      const p = await view.open();
      await waitReady(p, ids);
      return p;
    },
  };
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn", ...(o.serveArgs ?? [])]);
    ec2 = new EC2Client({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: o.account, secretAccessKey: "x" },
      maxAttempts: 1,
    });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    ec2?.destroy();
    await server?.stop();
  });
  return view;
};
