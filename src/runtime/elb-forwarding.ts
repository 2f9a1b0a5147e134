/**
 * Load balancers in the data plane (issue 17): a probe delivered to a load balancer's ENI continues, as a second leg,
 * from that ENI to the target its listener picks (ELBv2 decides, through the `LoadBalancerForwarder` index.ts
 * injects). The second leg is the ordinary evaluator: the LB node's groups and subnet on the way out, the routes, the
 * target's NACL and security groups on the way in.
 * - An NLB that preserves the client's address sends with it, so the target's groups must allow the client; the
 *   target's reply goes back through the load balancer (AWS's NLB keeps the flow), so that leg has no return walk and
 *   the client sees the first leg's reply (the LB's address answering).
 * - An ALB (and an NLB's TCP ip targets) connects from its own address: the target sees the LB's ENI, and the reply
 *   walk is target → LB.
 */
import type { LbForward } from "../domain/elbv2.js";
import { evaluate, type EvalOptions, type Hop, type Probe, type Verdict } from "../domain/dataplane/evaluate.js";
import { ipv4ToNumber } from "../domain/dataplane/ip.js";
import { REASONS } from "../domain/dataplane/reasons.js";
import type { Topology } from "../domain/dataplane/topology.js";
import type { Scope, Tx } from "../store/store.js";

export type LoadBalancerForwarder = (tx: Tx, scope: Scope, now: Date, eniId: string, port: number, proto: string) => LbForward;

/** A verdict as `send` answers it (a plain object: the evaluator's, JSON-cloned). */
type PlainVerdict = Omit<Verdict, "toJSON">;

const hop = (component: string, action: Hop["action"], detail: string): Hop => ({
  path: "forward",
  type: "load-balancer",
  component,
  action,
  detail,
});

/**
 * The verdict once the load balancer has done its part: `first` unchanged when it did not reach a load balancer,
 * a drop when no listener or no healthy target takes the packet, else the two legs joined.
 */
export const throughLoadBalancer = (t: Topology, first: PlainVerdict, probe: Probe, fwd: LbForward, opts: EvalOptions): PlainVerdict => {
  if (fwd.kind === "none" || !first.delivered || first.deliveredToEni === null) return first;
  const refuse = (reason: PlainVerdict["reason"], explanation: string, h: Hop): PlainVerdict => ({
    delivered: false,
    reason,
    explanation,
    deliveredTo: null,
    deliveredToEni: null,
    hops: [...first.hops, h],
  });
  if (fwd.kind === "no-listener") {
    const why = `Load balancer ${fwd.loadBalancer} has no listener for this protocol on port ${fwd.port}, so it does not accept the packet.`;
    return refuse(REASONS.EMU_ELB_NO_LISTENER, why, hop(fwd.loadBalancer, "drop", why));
  }
  if (fwd.kind === "no-healthy-target") {
    const why = `Target group ${fwd.targetGroup} of load balancer ${fwd.loadBalancer}'s listener has no healthy target (DescribeTargetHealth says why).`;
    return refuse(REASONS.EMU_ELB_NO_HEALTHY_TARGET, why, hop(fwd.loadBalancer, "drop", why));
  }
  const lbEni = t.enis.get(first.deliveredToEni);
  const to = ipv4ToNumber(fwd.address);
  if (!lbEni || to === undefined) return first;
  // The client's address as the load balancer saw it: the internet host, or the sending ENI's address.
  const client = probe.from.kind === "internet" ? probe.from.address : (t.enis.get(probe.from.eniId)?.primaryIp ?? lbEni.primaryIp);
  const leg = evaluate(
    t,
    {
      from: { kind: "eni", eniId: lbEni.id },
      to,
      protocol: probe.protocol,
      srcPort: probe.srcPort,
      dstPort: fwd.port,
      srcAddress: fwd.preserveClientIp ? client : undefined,
    },
    { ...opts, returnPath: !fwd.preserveClientIp },
  );
  const second = JSON.parse(JSON.stringify(leg)) as PlainVerdict;
  const detail = `${fwd.loadBalancer} forwards to ${fwd.targetId} (${fwd.address}:${fwd.port}) in target group ${fwd.targetGroup}${
    fwd.preserveClientIp ? ", keeping the client's address" : ", from its own address"
  }`;
  return {
    delivered: second.delivered,
    reason: second.reason,
    explanation: second.delivered ? `${detail}. ${second.explanation}` : `${detail}, but the packet does not arrive: ${second.explanation}`,
    deliveredTo: second.deliveredTo,
    deliveredToEni: second.deliveredToEni,
    // The client hears back from the load balancer: the first leg's reply, once the target's own reply (if walked) returned.
    reply: second.delivered ? (fwd.preserveClientIp || second.reply?.delivered !== false ? first.reply : second.reply) : undefined,
    // In the order a packet meets them: to the load balancer, on to the target (and back), then the client's reply.
    hops: [
      ...first.hops.filter((x) => x.path === "forward"),
      hop(fwd.loadBalancer, "forward", detail),
      ...second.hops,
      ...first.hops.filter((x) => x.path === "return"),
    ],
  };
};
