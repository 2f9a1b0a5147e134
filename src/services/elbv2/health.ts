/**
 * A registered target's health, derived when asked (DescribeTargetHealth, and the data plane when a listener picks a
 * target): the facts come from the store (registration, listeners, the instance's state) and, once the initial checks
 * are due, from one health-check packet per load-balancer ENI through the data plane (`HealthProbe`).
 */
import { healthCheckPort, ipInVpc, targetHealth, type TargetGroupRecord, type TargetHealthView } from "../../domain/elbv2.js";
import type { Scope, Tx } from "../../store/store.js";
import { listenersUsing } from "./actions/common.js";
import type { HealthProbe } from "./context.js";

export interface TargetIn {
  readonly id: string;
  readonly port: number;
  readonly availabilityZone?: string | undefined;
}

/** What health needs of a call: its transaction, scope, instant and the data-plane probe. */
export interface HealthEnv {
  readonly tx: Tx;
  readonly scope: Scope;
  readonly now: Date;
  readonly health: HealthProbe;
}

/** An instance target's primary private address (its device-0 ENI). */
export const instanceAddress = (tx: Tx, instanceId: string): string | undefined =>
  tx
    .list("network-interface", { instanceId })
    .find((e) => e.attachment?.deviceIndex === 0)
    ?.privateIps.find((p) => p.primary)?.address;

export interface TargetHealthResult extends TargetHealthView {
  readonly healthCheckPort: number;
  readonly availabilityZone?: string | undefined;
  /** The address traffic and health checks go to (undefined: an instance without an address). */
  readonly address?: string | undefined;
}

export const healthOf = (env: HealthEnv, tg: TargetGroupRecord, target: TargetIn): TargetHealthResult => {
  const { tx } = env;
  const registered = tg.targets.find((t) => t.id === target.id && t.port === target.port);
  const port = healthCheckPort(tg.healthCheck, target.port);
  const listeners = registered ? listenersUsing(tx, tg) : [];
  const lbs = [...new Set(listeners.map((l) => l.loadBalancerArn))]
    .map((a) => tx.get("elbv2-load-balancer", a))
    .filter((l) => l !== undefined);
  const instance = tg.targetType === "instance" ? tx.get("instance", target.id) : undefined;
  const address = tg.targetType === "instance" ? instanceAddress(tx, target.id) : target.id;
  // The first verdict is due once the healthy threshold of checks has run since the target, listener and LB were all there.
  const since = Math.max(
    registered ? Date.parse(registered.registeredAt) : 0,
    ...lbs.map((l) => Date.parse(l.activeAt)),
    ...listeners.map((l) => Date.parse(l.createdTime)),
  );
  const initialUntil = new Date(since + tg.healthCheck.healthyThreshold * tg.healthCheck.intervalSeconds * 1000);
  // The target's zone: its instance's, or the subnet holding its address (an address outside the VPC: not known).
  const zone =
    instance?.availabilityZone ??
    (address !== undefined && tg.targetType === "ip"
      ? tx.list("subnet", { vpcId: tg.vpcId }).find((s) => s.cidrBlock !== undefined && ipInVpc(address, [s.cidrBlock]))?.availabilityZone
      : undefined);
  const facts = {
    registered: registered !== undefined,
    inUse: lbs.length > 0,
    zoneEnabled: zone === undefined || lbs.some((lb) => lb.zones.some((z) => z.zoneName === zone)),
    healthCheckEnabled: tg.healthCheck.enabled,
    instanceState: tg.targetType === "instance" ? (instance?.state ?? "terminated") : undefined,
    initialUntil,
    httpCheck: tg.healthCheck.protocol === "HTTP" || tg.healthCheck.protocol === "HTTPS",
  };
  // Probed only when the answer depends on it: a check from every node (ENI) of every load balancer must pass.
  const first = targetHealth(facts, env.now);
  const probe = (): boolean =>
    address !== undefined &&
    lbs.every((lb) => lb.zones.every((z) => env.health(tx, env.scope, env.now, z.networkInterfaceId, address, port)));
  const h = first.state === "unhealthy" ? targetHealth({ ...facts, probePassed: probe() }, env.now) : first;
  return { ...h, healthCheckPort: port, availabilityZone: registered?.availabilityZone, address };
};
