/**
 * Crash safety (issue 14, "nothing lost on restart"): three rounds of a concurrent SDK write load against
 * `localvpc serve --data FILE`, `kill -9` at a random moment under the load, and a restart on the same file that must
 * hold every acknowledged write (default-VPC bootstraps, security groups, tags), no half-written or phantom record,
 * and answer normally. The rounds are test/crash/crash-rounds.ts, which `npm run crash -- --rounds N` runs at length.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runCrashRounds } from "../crash/crash-rounds.js";

const ROUNDS = 3;
const KILL_WINDOW: [number, number] = [150, 900];

describe("crash safety: kill -9 under a write load (--data FILE)", () => {
  it(`loses no acknowledged write over ${ROUNDS} rounds`, { timeout: 60_000 }, async () => {
    const r = await runCrashRounds({ rounds: ROUNDS, workers: 8, killWindowMs: KILL_WINDOW });
    const context = `seed ${r.seed}: ${JSON.stringify(r.perRound)}`;
    assert.deepEqual(r.problems, [], context);
    assert.deepEqual(r.lostWrites, [], context);
    assert.equal(r.lost, 0, context);
    assert.equal(r.rounds, ROUNDS);
    assert.equal(r.perRound.length, ROUNDS, "every round ran to its check");
    for (const round of r.perRound) {
      // Four default-VPC bootstraps (one per region) and then the groups and tags: the kill came under load.
      assert.ok(round.acknowledged > 4 + 8, `round ${round.round} acknowledged only ${round.acknowledged} writes (${context})`);
      assert.ok(round.killAfterMs >= KILL_WINDOW[0] && round.killAfterMs <= KILL_WINDOW[1], `kill moment ${round.killAfterMs} ms`);
      assert.ok(round.inFlightCommitted <= round.inFlight, "only calls in flight at the kill may land unanswered");
    }
    assert.equal(
      r.acknowledged,
      r.perRound.reduce((n, round) => n + round.acknowledged, 0),
    );
    assert.deepEqual(r.finalExit, { code: 0, signal: null }, "the last restart stops cleanly on SIGTERM");
  });
});
