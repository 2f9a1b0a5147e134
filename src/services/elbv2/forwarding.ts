/**
 * What a load balancer does with a packet that reached one of its ENIs (issue 17's data plane): the listener on the
 * packet's port forwards it to a healthy target of its target group. An NLB keeps the client's address for instance
 * targets (and for UDP), so the target's security groups must allow the client; an ALB, and an NLB's TCP ip targets,
 * connect from the load balancer's own address. The runtime calls this through index.ts (it never imports services).
 */
import { lbTypeForProtocol, targetGroupAttributes, type LbForward, type ListenerRecord } from "../../domain/elbv2.js";
import type { Scope, Tx } from "../../store/store.js";
import { healthOf } from "./health.js";
import type { HealthProbe } from "./context.js";

/** Which listener protocols carry a probe's protocol. */
const CARRIES: Readonly<Record<string, readonly string[]>> = {
  tcp: ["TCP", "TLS", "TCP_UDP", "HTTP", "HTTPS"],
  udp: ["UDP", "TCP_UDP"],
  icmp: [],
};

export const loadBalancerForwarding = (
  tx: Tx,
  scope: Scope,
  now: Date,
  health: HealthProbe,
  eniId: string,
  port: number,
  proto: string,
): LbForward => {
  const eni = tx.get("network-interface", eniId);
  if (!eni?.requesterManaged || !eni.description.startsWith("ELB ")) return { kind: "none" };
  const lb = tx.list("elbv2-load-balancer", { vpcId: eni.vpcId }).find((l) => l.zones.some((z) => z.networkInterfaceId === eniId));
  if (!lb) return { kind: "none" };
  const listener: ListenerRecord | undefined = tx
    .list("elbv2-listener", { vpcId: lb.vpcId })
    .find((l) => l.loadBalancerArn === lb.id && l.port === port && (CARRIES[proto] ?? []).includes(l.protocol));
  if (!listener) return { kind: "no-listener", loadBalancer: lb.name, port };
  const tgArn = listener.defaultActions[0]?.targetGroupArn;
  const tg = tgArn !== undefined ? tx.get("elbv2-target-group", tgArn) : undefined;
  if (!tg) return { kind: "no-healthy-target", loadBalancer: lb.name, listener: listener.id, targetGroup: tgArn ?? "-" };
  const env = { tx, scope, now, health };
  for (const t of tg.targets) {
    const h = healthOf(env, tg, t);
    if (h.state !== "healthy" || h.address === undefined) continue;
    const preserveClientIp =
      lbTypeForProtocol(tg.protocol) === "network" && targetGroupAttributes(tg)["preserve_client_ip.enabled"] === "true";
    return {
      kind: "target",
      loadBalancer: lb.name,
      listener: listener.id,
      targetGroup: tg.name,
      targetId: t.id,
      address: h.address,
      port: t.port,
      preserveClientIp,
    };
  }
  return { kind: "no-healthy-target", loadBalancer: lb.name, listener: listener.id, targetGroup: tg.name };
};
