/**
 * Security-group connection tracking (EC2-UG "Security group connection tracking", shared/spec/dataplane.md §2.4):
 * a tracked flow's packets in either direction are allowed by state, whatever the rules say now. Idle timeouts are
 * AWS's defaults: TCP established 432,000 s, UDP 30 s for a single exchange and 180 s once it is a stream, other
 * protocols 600 s (ICMP uses the UDP single-exchange value: unverified). Time is injected (simulated clock, ms).
 * Tracking is per host, so moving an ENI to another instance drops its entries (§4.4: modelled as lost).
 */
import { NatPorts } from "./nat-ports.js";

export const TIMEOUTS_MS = { tcp: 432_000_000, udpSingle: 30_000, udpStream: 180_000, icmp: 30_000, other: 600_000 } as const;

interface Entry {
  readonly proto: number;
  readonly local: number;
  readonly remote: number;
  readonly localPort: number;
  readonly remotePort: number;
  expiresAt: number;
  packets: number;
  /** The next flow of the ENI with the same hash. */
  next: Entry | undefined;
}

interface EniFlows {
  readonly byHash: Map<number, Entry>;
  size: number;
}

/**
 * A small-integer hash of a flow (V8 keeps it a Smi: a string key per packet cost more than the rest of the
 * verdict). Collisions are chained and resolved by comparing the whole 5-tuple.
 */
const flowHash = (protocol: number, local: number, remote: number, localPort: number, remotePort: number): number =>
  (Math.imul(local, 0x9e3779b1) ^ Math.imul(remote, 0x85ebca6b) ^ Math.imul(localPort * 65536 + remotePort, 0xc2b2ae35) ^ protocol) &
  0x3fffffff;

const find = (
  head: Entry | undefined,
  protocol: number,
  local: number,
  remote: number,
  localPort: number,
  remotePort: number,
): Entry | undefined => {
  for (let e = head; e !== undefined; e = e.next)
    if (e.remote === remote && e.remotePort === remotePort && e.localPort === localPort && e.local === local && e.proto === protocol)
      return e;
  return undefined;
};

export class ConnTrack {
  readonly #byEni = new Map<string, EniFlows>();
  /** NAT gateways' port mappings (issue 16): connection state too, cleared with it. */
  readonly natPorts = new NatPorts();

  /** Whether the ENI tracks this flow (as seen from the ENI: local = its address) and it has not idled out. */
  has(eniId: string, protocol: number, local: number, remote: number, localPort: number, remotePort: number, nowMs: number): boolean {
    const m = this.#byEni.get(eniId);
    if (!m) return false;
    const e = find(m.byHash.get(flowHash(protocol, local, remote, localPort, remotePort)), protocol, local, remote, localPort, remotePort);
    return e !== undefined && e.expiresAt > nowMs;
  }

  /** Records (or refreshes) a flow on an ENI. */
  track(eniId: string, protocol: number, local: number, remote: number, localPort: number, remotePort: number, nowMs: number): void {
    let m = this.#byEni.get(eniId);
    if (!m) this.#byEni.set(eniId, (m = { byHash: new Map<number, Entry>(), size: 0 }));
    const h = flowHash(protocol, local, remote, localPort, remotePort);
    const head = m.byHash.get(h);
    let e = find(head, protocol, local, remote, localPort, remotePort);
    if (!e) {
      e = { proto: protocol, local, remote, localPort, remotePort, expiresAt: 0, packets: 0, next: head };
      m.byHash.set(h, e);
      m.size++;
    }
    const packets = ++e.packets;
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
    e.expiresAt = nowMs + timeout;
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
    this.natPorts.clear();
  }
}
