/**
 * The contract between the data-plane evaluator (which decides a packet's fate hop by hop) and flow logs (which
 * aggregate what each ENI saw into records). The evaluator emits one observation per ENI a packet is seen at, in
 * the direction the ENI saw it; flow logs match observations to their ENI/subnet/VPC flow logs, aggregate per
 * 5-tuple, direction and window, and deliver. Neither side knows the other's internals.
 *
 * Addressing follows AWS's flow-log rules (shared/spec/dataplane.md §1): `srcAddr`/`dstAddr` are what the ENI saw
 * (for traffic NATed by an internet gateway, the ENI's private IP, never its public IP or EIP); `pktSrcAddr`/
 * `pktDstAddr` are the packet's original addresses (they differ through a NAT gateway or a NAT instance).
 */
export type FlowDirection = "ingress" | "egress";
export type FlowAction = "ACCEPT" | "REJECT";

export interface FlowObservation {
  /** The ENI's owner scope. */
  readonly account: string;
  readonly region: string;
  readonly eniId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly instanceId?: string | undefined;
  readonly availabilityZoneId?: string | undefined;
  readonly direction: FlowDirection;
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly pktSrcAddr: string;
  readonly pktDstAddr: string;
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
  /** The AWS service name when the peer is an AWS service range (pkt-src-aws-service / pkt-dst-aws-service). */
  readonly pktSrcAwsService?: string | undefined;
  readonly pktDstAwsService?: string | undefined;
  /** When the packet was seen, on the simulated clock (ms since the epoch). */
  readonly atMs: number;
}

/** Where the evaluator sends observations: flow logs' recorder, or nothing. */
export type FlowSink = (o: FlowObservation) => void;
