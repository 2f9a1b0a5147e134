/**
 * Playwright (playwright-core) driving Debian's chromium (/usr/bin/chromium, installed by .ci/run) for the console
 * tests, plus helpers to reach into the page's Cytoscape instance (the console exposes it as `window.__lvc`).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export const openBrowser = async (): Promise<Browser> => {
  const profile = mkdtempSync(join(tmpdir(), "localvpc-console-"));
  // launchPersistentContext is how Playwright takes a fresh --user-data-dir (it refuses the flag in args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 950 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // A test opens a page per test: a page Chromium thinks is in the background gets its timers throttled and no
      // animation frames, which stalls the console's re-reads and zooms for tens of seconds.
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
};

interface Hook {
  renders: number;
  /** Live panels: verdicts shown, flow-log records in the tail, BYOIP panel renders. */
  verdicts: number;
  flowLogLines: number;
  byoipRenders: number;
  changes: number;
  lastMessage: string;
  cy: {
    getElementById(id: string): {
      length: number;
      data(key: string): unknown;
      emit(event: string): void;
      parent(): { id(): string; length: number };
      renderedPosition(): { x: number; y: number };
      renderedBoundingBox(o?: object): { x1: number; x2: number; y1: number; y2: number };
    };
  };
}
declare global {
  interface Window {
    __lvc?: Hook;
  }
}

/** Resolves when the graph has a node with this id (after any render). */
export const waitForNode = async (page: Page, id: string, timeout = 180_000): Promise<void> => {
  await page.waitForFunction((i) => (window.__lvc?.cy.getElementById(i).length ?? 0) > 0, id, { timeout, polling: 250 });
};

/** The id of a node's parent in the graph ("" when it has none). */
export const parentOf = (page: Page, id: string): Promise<string> =>
  page.evaluate((i) => {
    const p = window.__lvc?.cy.getElementById(i).parent();
    return p && p.length > 0 ? p.id() : "";
  }, id);

/** The page coordinates of a node's centre. */
const pagePoint = async (page: Page, id: string, of: "centre" | "lower"): Promise<{ x: number; y: number }> => {
  const box = await page.locator("#graph").boundingBox();
  if (!box) throw new Error("#graph has no box");
  const p = await page.evaluate(
    ([i, where]) => {
      const n = window.__lvc?.cy.getElementById(i);
      if (!n || n.length === 0) throw new Error(`no node ${i}`);
      if (where === "centre") return n.renderedPosition();
      const b = n.renderedBoundingBox({ includeLabels: false });
      // Near the bottom edge inside the box: inside the instance, off its own ENIs' centres.
      return { x: (b.x1 + b.x2) / 2, y: b.y2 - 4 };
    },
    [id, of] as const,
  );
  return { x: box.x + p.x, y: box.y + p.y };
};

/** Drags node `from` (an ENI) with the mouse and drops it inside node `onto` (an instance). */
export const dragOnto = async (page: Page, from: string, onto: string): Promise<void> => {
  const a = await pagePoint(page, from, "centre");
  const b = await pagePoint(page, onto, "lower");
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 10, a.y + 10, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 12 });
  await page.mouse.up();
};

/**
 * Taps a node as a click would. The evaluated function returns nothing on purpose: Cytoscape's `emit` returns its
 * collection, which Playwright then serialises (the whole graph) as the call's result. That took 15–30 s per tap, and
 * was why some console tests took 30–45 s (issue 19).
 */
export const tapNode = (page: Page, id: string): Promise<void> =>
  page.evaluate((i) => {
    (window as unknown as { __lvc?: { cy: { getElementById(x: string): { emit(e: string): unknown } } } }).__lvc?.cy
      .getElementById(i)
      .emit("tap");
  }, id);
