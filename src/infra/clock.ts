/**
 * The simulated clock: real time plus an offset that the admin API can advance, so that what AWS does over
 * hours or days (BYOIP provisioning, flow-log windows) can be fast-forwarded by tests.
 */
export class SimulatedClock {
  #offsetMs = 0;
  readonly #onAdvance: (() => void)[] = [];
  now = (): Date => new Date(Date.now() + this.#offsetMs);
  advance(ms: number): void {
    this.#offsetMs += ms;
    for (const fn of this.#onAdvance) fn();
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
