/**
 * Security-group connection tracking (EC2-UG "Security group connection tracking", shared/spec/dataplane.md §2.4):
 * a tracked flow's packets in either direction are allowed by state, whatever the rules say now. Idle timeouts are
 * AWS's defaults: TCP established 432,000 s, UDP 30 s for a single exchange and 180 s once it is a stream, other
 * protocols 600 s (ICMP uses the UDP single-exchange value: unverified). Time is injected (simulated clock, ms).
 * Tracking is per host, so moving an ENI to another instance drops its entries (§4.4: modelled as lost).
 */
export const TIMEOUTS_MS = { tcp: 432_000_000, udpSingle: 30_000, udpStream: 180_000, icmp: 30_000, other: 600_000 } as const;

interface Entry {
  expiresAt: number;
  packets: number;
}

export class ConnTrack {
  readonly #byEni = new Map<string, Map<string, Entry>>();

  static key(protocol: number, local: number, remote: number, localPort: number, remotePort: number): string {
    return `${protocol}|${local}|${remote}|${localPort}|${remotePort}`;
  }

  /** Whether the ENI tracks this flow (as seen from the ENI: local = its address). */
  has(eniId: string, key: string, nowMs: number): boolean {
    const e = this.#byEni.get(eniId)?.get(key);
    return e !== undefined && e.expiresAt > nowMs;
  }

  /** Records (or refreshes) a flow on an ENI. */
  track(eniId: string, key: string, protocol: number, nowMs: number): void {
    let m = this.#byEni.get(eniId);
    if (!m) this.#byEni.set(eniId, (m = new Map<string, Entry>()));
    const e = m.get(key);
    const packets = (e?.packets ?? 0) + 1;
    const timeout =
      protocol === 6
        ? TIMEOUTS_MS.tcp
        : protocol === 17
          ? packets > 1
            ? TIMEOUTS_MS.udpStream
            : TIMEOUTS_MS.udpSingle
          : protocol === 1
            ? TIMEOUTS_MS.icmp
            : TIMEOUTS_MS.other;
    m.set(key, { expiresAt: nowMs + timeout, packets });
  }

  /** Forgets every flow of an ENI (it moved to another instance, or was deleted). */
  dropEni(eniId: string): number {
    const n = this.#byEni.get(eniId)?.size ?? 0;
    this.#byEni.delete(eniId);
    return n;
  }

  count(eniId: string): number {
    return this.#byEni.get(eniId)?.size ?? 0;
  }

  clear(): void {
    this.#byEni.clear();
  }
}
