/**
 * The IPv6 intern table is bounded (hostile input: a script probing random IPv6 destinations must not grow memory
 * without end). Its own file, because the table is process-wide and this test fills it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error, err } from "../errors.js";
import { internIpv6, ipv6Value, MAX_INTERNED_IPV6 } from "./ip6.js";

describe("IPv6 intern table limit", () => {
  it("refuses a new address past the limit with a clear error, and still answers the ones it holds", () => {
    const base = 0x20010db8n << 96n;
    let n = 0;
    let refused: unknown;
    try {
      for (; n <= MAX_INTERNED_IPV6; n++) internIpv6(base + BigInt(n));
    } catch (e) {
      refused = e;
    }
    assert.equal(n, MAX_INTERNED_IPV6, "every address up to the limit is taken, the next is refused");
    assert.ok(refused instanceof Ec2Error);
    const want = err.ipv6TableFull(MAX_INTERNED_IPV6);
    assert.deepEqual([refused.code, refused.message, refused.status], [want.code, want.message, want.status]);
    // Known addresses keep their numbers; nothing was added by the refusal.
    const first = internIpv6(base);
    assert.equal(ipv6Value(first), base);
    assert.equal(internIpv6(base + 7n), first + 7);
    assert.throws(() => internIpv6(base + BigInt(MAX_INTERNED_IPV6) + 1n), Ec2Error);
  });
});
