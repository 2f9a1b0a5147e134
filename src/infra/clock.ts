/**
 * The simulated clock: real time plus an offset that the admin API can advance, so that what AWS does over
 * hours or days (BYOIP provisioning, flow-log windows) can be fast-forwarded by tests.
 */
/** ECMAScript's last representable instant (+275760-09-13). */
const MAX_DATE_MS = 8.64e15;

export class SimulatedClock {
  #offsetMs = 0;
  readonly #onAdvance: (() => void)[] = [];
  now = (): Date => new Date(Date.now() + this.#offsetMs);
  /** Moves the clock forward; false (and no move) when that would pass the last date JavaScript can hold. */
  advance(ms: number): boolean {
    if (Date.now() + this.#offsetMs + ms > MAX_DATE_MS) return false;
    this.#offsetMs += ms;
    for (const fn of this.#onAdvance) fn();
    return true;
  }
  /** Runs `fn` after every advance (flow logs deliver the capture windows that closed). */
  onAdvance(fn: () => void): void {
    this.#onAdvance.push(fn);
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  set offsetMs(ms: number) {
    this.#offsetMs = ms;
  }
}
