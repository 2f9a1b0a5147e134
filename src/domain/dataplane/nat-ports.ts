/**
 * NAT gateway source-port translation (issue 16). AWS (VPC-UG "NAT gateway basics", "Monitor NAT gateways"): a NAT
 * gateway replaces the source address with its private IP (the internet gateway then maps that to the Elastic IP) and
 * may change the source port, choosing from the ephemeral range 1024–65535; it supports up to 55,000 simultaneous
 * connections to each unique destination (IP address, port and protocol), beyond which it fails to allocate a port
 * (the ErrorPortAllocation metric); a connection idle for 350 seconds times out.
 *
 * localvpc's choice (deterministic, so verdicts and flow logs are reproducible): a connection's port is a hash of its
 * 5-tuple folded into 1024–65535, moved up to the next port free for that destination when taken. The mapping is kept
 * while the connection is active (each packet refreshes the 350 s idle timeout) and the reply, or a later packet from
 * the destination to that port, maps back to the original source address and port. Without a table (a probe with no
 * connection state) the hashed port is used as is. ICMP is not translated here (its identifier is not modelled).
 */
export const NAT_PORT_MIN = 1024;
export const NAT_PORT_MAX = 65535;
const NAT_PORT_SPAN = NAT_PORT_MAX - NAT_PORT_MIN + 1;
/** Simultaneous connections per unique destination (VPC-UG NAT gateway quotas). */
export const NAT_CONNECTIONS_PER_DESTINATION = 55_000;
/** Idle timeout of a NAT gateway connection (VPC-UG "Troubleshoot NAT gateways": 350 seconds). */
export const NAT_IDLE_TIMEOUT_MS = 350_000;

/** The port a connection gets when nothing else holds it: a hash of the 5-tuple in 1024–65535 (a Smi all along). */
export const hashedNatPort = (protocol: number, src: number, sport: number, dst: number, dport: number): number => {
  let h = Math.imul(src ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(dst, 0x85ebca6b) ^ Math.imul(sport * 65536 + dport, 0xc2b2ae35) ^ protocol;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return NAT_PORT_MIN + ((h >>> 0) % NAT_PORT_SPAN);
};

interface Mapping {
  readonly origSrc: number;
  readonly origSport: number;
  readonly natPort: number;
  expiresAt: number;
}

/** The connections of one NAT ENI to one (destination address, port, protocol). */
interface Destination {
  /** origSrc * 65536 + origSport → mapping. */
  readonly byOrig: Map<number, Mapping>;
  /** NAT port → mapping. */
  readonly byPort: Map<number, Mapping>;
}

/** (protocol, destination, destination port) as one number below 2^50 (protocol 6 or 17 only). */
const destKey = (protocol: number, dst: number, dport: number): number => (protocol === 17 ? 2 ** 48 : 0) + (dst >>> 0) * 65536 + dport;

export class NatPorts {
  readonly #byEni = new Map<string, Map<number, Destination>>();

  /**
   * The NAT port of a connection from (src, sport) to (dst, dport) through a NAT ENI: its existing mapping, refreshed,
   * or a new one; -1 when the destination already has 55,000 live connections.
   */
  allocate(eniId: string, protocol: number, src: number, sport: number, dst: number, dport: number, nowMs: number): number {
    let dests = this.#byEni.get(eniId);
    if (!dests) this.#byEni.set(eniId, (dests = new Map<number, Destination>()));
    const key = destKey(protocol, dst, dport);
    let d = dests.get(key);
    if (!d) dests.set(key, (d = { byOrig: new Map(), byPort: new Map() }));
    const origKey = (src >>> 0) * 65536 + sport;
    const held = d.byOrig.get(origKey);
    if (held && held.expiresAt > nowMs) {
      held.expiresAt = nowMs + NAT_IDLE_TIMEOUT_MS;
      return held.natPort;
    }
    if (held) this.#forget(d, held);
    if (d.byPort.size >= NAT_CONNECTIONS_PER_DESTINATION) this.#sweep(d, nowMs);
    if (d.byPort.size >= NAT_CONNECTIONS_PER_DESTINATION) return -1;
    let port = hashedNatPort(protocol, src, sport, dst, dport);
    for (;;) {
      const other = d.byPort.get(port);
      if (other === undefined) break;
      if (other.expiresAt <= nowMs) {
        this.#forget(d, other);
        break;
      }
      port = port === NAT_PORT_MAX ? NAT_PORT_MIN : port + 1;
    }
    const m: Mapping = { origSrc: src, origSport: sport, natPort: port, expiresAt: nowMs + NAT_IDLE_TIMEOUT_MS };
    d.byOrig.set(origKey, m);
    d.byPort.set(port, m);
    return port;
  }

  /** The original source of a packet from (remote, remotePort) to a NAT port, if that connection is live (refreshed). */
  inbound(
    eniId: string,
    protocol: number,
    remote: number,
    remotePort: number,
    natPort: number,
    nowMs: number,
  ): { readonly origSrc: number; readonly origSport: number } | undefined {
    const d = this.#byEni.get(eniId)?.get(destKey(protocol, remote, remotePort));
    const m = d?.byPort.get(natPort);
    if (!m || m.expiresAt <= nowMs) return undefined;
    m.expiresAt = nowMs + NAT_IDLE_TIMEOUT_MS;
    return m;
  }

  /** Live connections of a NAT ENI to one destination (tests, and the 55,000 limit). */
  count(eniId: string, protocol: number, dst: number, dport: number, nowMs: number): number {
    const d = this.#byEni.get(eniId)?.get(destKey(protocol, dst, dport));
    if (!d) return 0;
    this.#sweep(d, nowMs);
    return d.byPort.size;
  }

  clear(): void {
    this.#byEni.clear();
  }

  #forget(d: Destination, m: Mapping): void {
    d.byOrig.delete((m.origSrc >>> 0) * 65536 + m.origSport);
    d.byPort.delete(m.natPort);
  }

  #sweep(d: Destination, nowMs: number): void {
    for (const m of d.byPort.values()) if (m.expiresAt <= nowMs) this.#forget(d, m);
  }
}
