import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { uuidOf, type IdGenerator } from "./ids.js";

describe("uuidOf", () => {
  // A generator answering fixed hex, so the shape and the digits kept are checked exactly.
  const fixed = (hex: string): IdGenerator => ({ next: () => "unused", hex: (n) => hex.slice(0, n) });
  it("makes a version-4-shaped UUID from the injected generator's hex (no randomness of its own)", () => {
    const cases: [hex: string, want: string][] = [
      ["0123456789abcdef0123456789abcdef", "01234567-89ab-4def-a123-456789abcdef"],
      ["ffffffffffffffffffffffffffffffff", "ffffffff-ffff-4fff-afff-ffffffffffff"],
    ];
    for (const [hex, want] of cases) assert.equal(uuidOf(fixed(hex)), want);
  });
});
