/**
 * The contract between the data-plane evaluator (which decides a packet's fate hop by hop) and flow logs (which
 * aggregate what each ENI saw into records). The evaluator emits one observation per ENI a packet is seen at, in
 * the direction the ENI saw it; flow logs match observations to their ENI/subnet/VPC flow logs, aggregate per
 * 5-tuple, direction and window, and deliver. Neither side knows the other's internals.
 *
 * Addressing follows AWS's flow-log rules (shared/spec/dataplane.md §1): `srcAddr`/`dstAddr` are what the ENI saw
 * (for traffic NATed by an internet gateway, the ENI's private IP, never its public IP or EIP); `pktSrcAddr`/
 * `pktDstAddr` are the packet's original addresses (they differ through a NAT gateway or a NAT instance).
 *
 * Why numbers and a shared ENI object: the evaluator emits several observations per verdict at ≥ 500,000 verdicts/s.
 * Formatting four addresses and copying seven ENI fields per observation cost more than the verdict itself; text is
 * made only when a record is written, and the ENI side is one object per ENI per compiled topology.
 */
import { addressText, addressToNumber } from "./dataplane/ip6.js";

export type FlowDirection = "ingress" | "egress";
export type FlowAction = "ACCEPT" | "REJECT";

/** The ENI side of an observation: fixed for a compiled topology, shared by every packet the ENI sees. */
export interface FlowEni {
  /** The ENI's owner scope. */
  readonly account: string;
  readonly region: string;
  readonly eniId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly instanceId?: string | undefined;
  readonly availabilityZoneId?: string | undefined;
}

/**
 * Where an observation was seen: the ENI's fields, and the sink's own per-ENI cache, two small integers kept on the
 * evaluator's ENI object itself so that an observation needs no lookup by id and touches no other object (the
 * evaluator reads that object anyway): the recorder stores an epoch (one per recorder and store version; 0 = never
 * set) and the ENI's table index (-1 when no flow log covers it). The evaluator never reads them. A sink that keeps
 * ENI fields keeps `flow`, never the source (which belongs to a compiled topology).
 */
export interface FlowSource {
  readonly flow: FlowEni;
  sinkEpoch: number;
  sinkSlot: number;
}

export interface FlowObservation {
  readonly eni: FlowSource;
  readonly direction: FlowDirection;
  /** IPv4 addresses as unsigned 32-bit numbers, IPv6 as dataplane/ip6.ts numbers them (`addressText` makes the text). */
  readonly srcAddr: number;
  readonly dstAddr: number;
  readonly pktSrcAddr: number;
  readonly pktDstAddr: number;
  readonly srcPort: number;
  readonly dstPort: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6. */
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly action: FlowAction;
  /** OR of the TCP flags seen (FIN 1, SYN 2, RST 4, SYN-ACK 18), 0 for non-TCP. */
  readonly tcpFlags: number;
  /** AWS's traffic-path code for egress (1 same VPC … 8 via internet gateway), undefined for ingress. */
  readonly trafficPath?: number | undefined;
  /** When the packet was seen, on the simulated clock (ms since the epoch). */
  readonly atMs: number;
}

/**
 * Where the evaluator sends observations: flow logs' recorder, or nothing. The evaluator reuses one object for all
 * the observations of a verdict (no allocation per packet): read it during the call, copy what you keep
 * (`observationToText` makes a copy).
 */
export type FlowSink = (o: FlowObservation) => void;

/** An observation written with text addresses and the ENI fields inline (tests, fixtures, replays). */
export type TextObservation = FlowEni &
  Omit<FlowObservation, "eni" | "srcAddr" | "dstAddr" | "pktSrcAddr" | "pktDstAddr"> & {
    readonly srcAddr: string;
    readonly dstAddr: string;
    readonly pktSrcAddr: string;
    readonly pktDstAddr: string;
  };

/** The evaluator's form of a text observation. */
export const observationFromText = (t: TextObservation): FlowObservation => {
  const { account, region, eniId, vpcId, subnetId, instanceId, availabilityZoneId, srcAddr, dstAddr, pktSrcAddr, pktDstAddr, ...rest } = t;
  // A literal with every field (not a spread) so the objects share one shape, as the evaluator's do.
  return {
    eni: { flow: { account, region, eniId, vpcId, subnetId, instanceId, availabilityZoneId }, sinkEpoch: 0, sinkSlot: -1 },
    direction: rest.direction,
    srcAddr: addressToNumber(srcAddr)!,
    dstAddr: addressToNumber(dstAddr)!,
    pktSrcAddr: addressToNumber(pktSrcAddr)!,
    pktDstAddr: addressToNumber(pktDstAddr)!,
    srcPort: rest.srcPort,
    dstPort: rest.dstPort,
    protocol: rest.protocol,
    packets: rest.packets,
    bytes: rest.bytes,
    action: rest.action,
    tcpFlags: rest.tcpFlags,
    trafficPath: rest.trafficPath,
    atMs: rest.atMs,
  };
};

/** The text form of an observation (tests and diagnostics read addresses as text). */
export const observationToText = (o: FlowObservation): TextObservation => {
  const { eni, srcAddr, dstAddr, pktSrcAddr, pktDstAddr, ...rest } = o;
  return {
    ...eni.flow,
    ...rest,
    srcAddr: addressText(srcAddr),
    dstAddr: addressText(dstAddr),
    pktSrcAddr: addressText(pktSrcAddr),
    pktDstAddr: addressText(pktDstAddr),
  };
};
