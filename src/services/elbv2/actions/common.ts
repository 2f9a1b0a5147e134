/**
 * What ELBv2's actions share: typed reads of the Query input, lookups with ELBv2's own NotFound errors (EC2's
 * `.Malformed` codes do not apply to ARNs), views in the model's shapes, and Marker/PageSize paging.
 */
import {
  canonicalHostedZoneId,
  loadBalancerState,
  type ListenerRecord,
  type LoadBalancerRecord,
  type TargetGroupRecord,
} from "../../../domain/elbv2.js";
import { err } from "../../../domain/errors.js";
import type { Tag } from "../../../domain/types.js";
import type { Tx } from "../../../store/store.js";
import type { ServiceAction } from "../../common/pipeline.js";
import type { Elbv2Context } from "../context.js";

export type Input = Record<string, unknown>;
export type Elbv2Action = ServiceAction<Elbv2Context>;

export const str = (i: Input, k: string): string | undefined => i[k] as string | undefined;
export const num = (i: Input, k: string): number | undefined => i[k] as number | undefined;
export const bool = (i: Input, k: string): boolean | undefined => i[k] as boolean | undefined;
export const strs = (i: Input, k: string): string[] | undefined => i[k] as string[] | undefined;
export const objs = (i: Input, k: string): Input[] | undefined => i[k] as Input[] | undefined;

export const tagsIn = (i: Input): Tag[] => (objs(i, "Tags") ?? []).map((t) => ({ key: str(t, "Key") ?? "", value: str(t, "Value") ?? "" }));

export const mustLoadBalancer = (tx: Tx, arn: string): LoadBalancerRecord => {
  const lb = tx.get("elbv2-load-balancer", arn);
  if (!lb) throw err.elbLoadBalancerNotFound();
  return lb;
};
export const mustTargetGroup = (tx: Tx, arn: string): TargetGroupRecord => {
  const tg = tx.get("elbv2-target-group", arn);
  if (!tg) throw err.elbTargetGroupNotFound();
  return tg;
};
export const mustListener = (tx: Tx, arn: string): ListenerRecord => {
  const l = tx.get("elbv2-listener", arn);
  if (!l) throw err.elbListenerNotFound();
  return l;
};

/** A load balancer or target group by name: one indexed read (store/secondary-keys.ts), never a scan of the kind. */
export const loadBalancerNamed = (tx: Tx, name: string): LoadBalancerRecord | undefined => {
  const id = tx.idsByKey("elbv2-load-balancer", "load-balancer-name", name)[0];
  return id !== undefined ? tx.get("elbv2-load-balancer", id) : undefined;
};
export const targetGroupNamed = (tx: Tx, name: string): TargetGroupRecord | undefined => {
  const id = tx.idsByKey("elbv2-target-group", "target-group-name", name)[0];
  return id !== undefined ? tx.get("elbv2-target-group", id) : undefined;
};

/** The listeners that forward to a target group (all in its VPC: one indexed read). */
export const listenersUsing = (tx: Tx, tg: TargetGroupRecord): ListenerRecord[] =>
  tx.list("elbv2-listener", { vpcId: tg.vpcId }).filter((l) => l.defaultActions.some((a) => a.targetGroupArn === tg.id));

export const loadBalancerView = (lb: LoadBalancerRecord, now: Date): Record<string, unknown> => ({
  LoadBalancerArn: lb.id,
  DNSName: lb.dnsName,
  CanonicalHostedZoneId: canonicalHostedZoneId(lb.type, lb.id.split(":")[3] ?? ""),
  CreatedTime: new Date(lb.createdTime),
  LoadBalancerName: lb.name,
  Scheme: lb.scheme,
  VpcId: lb.vpcId,
  State: { Code: loadBalancerState(lb, now) },
  Type: lb.type,
  AvailabilityZones: lb.zones.map((z) => ({
    ZoneName: z.zoneName,
    SubnetId: z.subnetId,
    // An NLB lists its Elastic IP or the private address it was given; an ALB lists none (AWS).
    ...(lb.type === "network"
      ? {
          LoadBalancerAddresses:
            z.allocationId !== undefined
              ? [{ IpAddress: z.publicIp, AllocationId: z.allocationId }]
              : z.privateIpGiven
                ? [{ PrivateIPv4Address: z.privateIp }]
                : [],
        }
      : {}),
  })),
  SecurityGroups: lb.securityGroups.length > 0 ? [...lb.securityGroups] : undefined,
  IpAddressType: lb.ipAddressType,
});

export const targetGroupView = (tg: TargetGroupRecord, loadBalancerArns: readonly string[]): Record<string, unknown> => ({
  TargetGroupArn: tg.id,
  TargetGroupName: tg.name,
  Protocol: tg.protocol,
  Port: tg.port,
  VpcId: tg.vpcId,
  HealthCheckProtocol: tg.healthCheck.protocol,
  HealthCheckPort: tg.healthCheck.port,
  HealthCheckEnabled: tg.healthCheck.enabled,
  HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
  HealthCheckTimeoutSeconds: tg.healthCheck.timeoutSeconds,
  HealthyThresholdCount: tg.healthCheck.healthyThreshold,
  UnhealthyThresholdCount: tg.healthCheck.unhealthyThreshold,
  HealthCheckPath: tg.healthCheck.path,
  Matcher: tg.healthCheck.matcher !== undefined ? { HttpCode: tg.healthCheck.matcher } : undefined,
  LoadBalancerArns: [...loadBalancerArns],
  TargetType: tg.targetType,
  ProtocolVersion: tg.protocolVersion,
  IpAddressType: tg.ipAddressType,
});

export const listenerView = (l: ListenerRecord): Record<string, unknown> => ({
  ListenerArn: l.id,
  LoadBalancerArn: l.loadBalancerArn,
  Port: l.port,
  Protocol: l.protocol,
  DefaultActions: l.defaultActions.map((a) => ({
    Type: a.type,
    TargetGroupArn: a.targetGroupArn,
    Order: a.order,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: a.targetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
  })),
});

/** Marker/PageSize paging over an already ordered list: the marker is the offset, opaque to callers. */
export const page = <T>(all: readonly T[], marker: string | undefined, pageSize: number | undefined): { items: T[]; next?: string } => {
  let start = 0;
  if (marker !== undefined) {
    const m = /^m(\d{1,9})$/.exec(Buffer.from(marker, "base64url").toString("latin1"));
    if (!m) throw err.elbInvalidMarker();
    start = Number(m[1]);
  }
  const end = start + (pageSize ?? 400);
  const items = all.slice(start, end);
  return end < all.length ? { items, next: Buffer.from(`m${end}`, "latin1").toString("base64url") } : { items };
};

/** Attributes as ELBv2 answers them: `[{Key, Value}]` in the stored order. */
export const attributesView = (attrs: Readonly<Record<string, string>>): { Key: string; Value: string }[] =>
  Object.entries(attrs).map(([Key, Value]) => ({ Key, Value }));

/** A Modify*Attributes request's `Attributes` as key/value changes (a missing Key or Value is an empty string, refused by the rules). */
export const attributeChanges = (input: Input): { key: string; value: string }[] =>
  (objs(input, "Attributes") ?? []).map((a) => ({ key: str(a, "Key") ?? "", value: str(a, "Value") ?? "" }));
