/**
 * The simulated clock: real time plus an offset that the admin API can advance, so that what AWS does over
 * hours or days (BYOIP provisioning, flow-log windows) can be fast-forwarded by tests.
 */
export class SimulatedClock {
  #offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.#offsetMs);
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  set offsetMs(ms: number) {
    this.#offsetMs = ms;
  }
}
