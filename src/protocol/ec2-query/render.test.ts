/** Table tests for escapeXml: what XML 1.0 cannot carry is replaced, markup is escaped, everything else kept. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeXml } from "./render.js";

describe("escapeXml", () => {
  const cases: [string, string][] = [
    ["plain 'quotes' \"kept\"", "plain 'quotes' \"kept\""],
    ["a<b>&c", "a&lt;b&gt;&amp;c"],
    ["nul\u0000", "nul\uFFFD"],
    ["\u0001\u0008\u000B\u000C\u001F", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"],
    ["tab\tlf\ncr\r", "tab\tlf\ncr\r"],
    ["\uFFFE\uFFFF", "\uFFFD\uFFFD"],
    ["lone \uD800 high", "lone \uFFFD high"],
    ["lone \uDC00 low", "lone \uFFFD low"],
    ["pair 𝄞 kept", "pair 𝄞 kept"],
    ["é✓", "é✓"],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => assert.equal(escapeXml(input), expected));
  }
});
