/** Table tests for the clock's duration syntax. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  const cases: [string, number | undefined][] = [
    ["7d", 7 * 86_400_000],
    ["90s", 90_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["2w", 1_209_600_000],
    ["1.5s", 1500],
    ["0s", 0],
    ["", undefined],
    ["7", undefined],
    ["-1d", undefined],
    ["1y", undefined],
    ["d7", undefined],
  ];
  for (const [text, ms] of cases) it(`${JSON.stringify(text)} → ${String(ms)}`, () => assert.equal(parseDuration(text), ms));
});
