/**
 * Target groups (instance and ip targets): Create, Describe, Modify, Delete, Register/DeregisterTargets, and
 * DescribeTargetHealth. Health is derived when it is asked for: a target is healthy when a health-check packet from
 * every ENI of every load balancer that forwards to the group reaches the target's address and port and is answered
 * (its security groups, NACLs and routes, through the data plane) and, for an instance, the instance is running.
 */
import {
  ALB_PROTOCOLS,
  checkElbName,
  defaultHealthCheck,
  healthCheckOf,
  ipInVpc,
  NLB_PROTOCOLS,
  TARGET_GROUPS_PER_REGION,
  TARGETS_PER_TARGET_GROUP,
  targetGroupArn,
  mergeElbTags,
  modifiedTargetGroupAttributes,
  targetGroupAttributes,
  type HealthCheckInput,
  type RegisteredTarget,
  type TargetGroupRecord,
} from "../../../domain/elbv2.js";
import { err } from "../../../domain/errors.js";
import type { Tx } from "../../../store/store.js";
import { healthOf, type TargetIn } from "../health.js";
import {
  attributeChanges,
  attributesView,
  bool,
  type Elbv2Action,
  type Input,
  listenersUsing,
  mustTargetGroup,
  num,
  objs,
  page,
  str,
  strs,
  tagsIn,
  targetGroupNamed,
  targetGroupView,
} from "./common.js";

const healthInput = (input: Input): HealthCheckInput => {
  const matcher = input["Matcher"] as Input | undefined;
  if (matcher?.["GrpcCode"] !== undefined) throw err.elbNotSupported("gRPC health-check matchers");
  return {
    enabled: bool(input, "HealthCheckEnabled"),
    protocol: str(input, "HealthCheckProtocol"),
    port: str(input, "HealthCheckPort"),
    path: str(input, "HealthCheckPath"),
    intervalSeconds: num(input, "HealthCheckIntervalSeconds"),
    timeoutSeconds: num(input, "HealthCheckTimeoutSeconds"),
    healthyThreshold: num(input, "HealthyThresholdCount"),
    unhealthyThreshold: num(input, "UnhealthyThresholdCount"),
    matcher: matcher ? str(matcher, "HttpCode") : undefined,
  };
};

/** The load balancers whose listeners forward to the group. */
const loadBalancerArnsOf = (tx: Tx, tg: TargetGroupRecord): string[] => [...new Set(listenersUsing(tx, tg).map((l) => l.loadBalancerArn))];

const createTargetGroup: Elbv2Action = {
  name: "CreateTargetGroup",
  mutates: true,
  params: [
    "Name",
    "Protocol",
    "ProtocolVersion",
    "Port",
    "VpcId",
    "HealthCheckProtocol",
    "HealthCheckPort",
    "HealthCheckEnabled",
    "HealthCheckPath",
    "HealthCheckIntervalSeconds",
    "HealthCheckTimeoutSeconds",
    "HealthyThresholdCount",
    "UnhealthyThresholdCount",
    "Matcher",
    "TargetType",
    "Tags",
    "IpAddressType",
  ],
  run: (input, ctx) => {
    const { tx } = ctx;
    const name = str(input, "Name")!;
    checkElbName(name, "target group");
    const targetType = str(input, "TargetType") ?? "instance";
    if (targetType !== "instance" && targetType !== "ip") throw err.elbNotSupported(`target groups of type ${targetType}`);
    if (str(input, "IpAddressType") === "ipv6") throw err.elbNotSupported("IPv6 target groups");
    const protocol = str(input, "Protocol");
    const port = num(input, "Port");
    const vpcId = str(input, "VpcId");
    if (protocol === undefined || port === undefined || vpcId === undefined) throw err.elbTargetGroupProtocolRequired();
    if (!NLB_PROTOCOLS.has(protocol) && !ALB_PROTOCOLS.has(protocol)) throw err.elbNotSupported(`${protocol} target groups`);
    if (!tx.get("vpc", vpcId)) throw err.elbTargetGroupVpcNotFound(vpcId);
    const healthCheck = healthCheckOf(defaultHealthCheck(protocol), healthInput(input));
    // A repeated create with the same settings answers the existing group (AWS's idempotent create).
    const existing = targetGroupNamed(tx, name);
    if (existing) {
      if (existing.protocol !== protocol || existing.port !== port || existing.vpcId !== vpcId || existing.targetType !== targetType)
        throw err.elbDuplicateTargetGroupName(name);
      return { TargetGroups: [targetGroupView(existing, loadBalancerArnsOf(tx, existing))] };
    }
    const tags = mergeElbTags([], tagsIn(input));
    if (tx.count("elbv2-target-group") >= TARGET_GROUPS_PER_REGION) throw err.elbTooManyTargetGroups(TARGET_GROUPS_PER_REGION);
    const tg: TargetGroupRecord = {
      kind: "elbv2-target-group",
      id: targetGroupArn(ctx.scope.region, ctx.scope.account, name, ctx.ids.hex(16)),
      tags: [],
      name,
      targetType,
      protocol,
      port,
      vpcId,
      protocolVersion: ALB_PROTOCOLS.has(protocol) ? (str(input, "ProtocolVersion") ?? "HTTP1") : undefined,
      ipAddressType: "ipv4",
      healthCheck,
      targets: [],
      createdTime: ctx.now.toISOString(),
      elbTags: tags,
    };
    tx.put(tg);
    return { TargetGroups: [targetGroupView(tg, [])] };
  },
};

const describeTargetGroups: Elbv2Action = {
  name: "DescribeTargetGroups",
  mutates: false,
  params: ["LoadBalancerArn", "TargetGroupArns", "Names", "Marker", "PageSize"],
  run: (input, ctx) => {
    const { tx } = ctx;
    const lbArn = str(input, "LoadBalancerArn");
    const arns = strs(input, "TargetGroupArns");
    const names = strs(input, "Names");
    let items: TargetGroupRecord[];
    if (arns !== undefined) {
      items = [...new Set(arns)].map((a) => tx.get("elbv2-target-group", a)).filter((g) => g !== undefined);
      if (items.length < new Set(arns).size) throw err.elbTargetGroupNotFound();
    } else if (lbArn !== undefined) {
      const lb = tx.get("elbv2-load-balancer", lbArn);
      if (!lb) throw err.elbLoadBalancerNotFound();
      const used = new Set(
        tx
          .list("elbv2-listener", { vpcId: lb.vpcId })
          .filter((l) => l.loadBalancerArn === lb.id)
          .flatMap((l) => l.defaultActions.map((a) => a.targetGroupArn)),
      );
      items = [...used].map((a) => tx.get("elbv2-target-group", a)).filter((g) => g !== undefined);
    } else {
      if (names !== undefined) {
        const found = [...new Set(names)].map((n) => targetGroupNamed(tx, n));
        if (found.includes(undefined)) throw err.elbTargetGroupNotFound();
        items = found.filter((g) => g !== undefined);
      } else items = tx.list("elbv2-target-group");
    }
    const p = page(items, str(input, "Marker"), num(input, "PageSize"));
    return { TargetGroups: p.items.map((g) => targetGroupView(g, loadBalancerArnsOf(tx, g))), NextMarker: p.next };
  },
};

const modifyTargetGroup: Elbv2Action = {
  name: "ModifyTargetGroup",
  mutates: true,
  params: [
    "TargetGroupArn",
    "HealthCheckProtocol",
    "HealthCheckPort",
    "HealthCheckPath",
    "HealthCheckEnabled",
    "HealthCheckIntervalSeconds",
    "HealthCheckTimeoutSeconds",
    "HealthyThresholdCount",
    "UnhealthyThresholdCount",
    "Matcher",
  ],
  run: (input, ctx) => {
    const tg = mustTargetGroup(ctx.tx, str(input, "TargetGroupArn")!);
    const next = { ...tg, healthCheck: healthCheckOf(tg.healthCheck, healthInput(input)) };
    ctx.tx.put(next);
    return { TargetGroups: [targetGroupView(next, loadBalancerArnsOf(ctx.tx, next))] };
  },
};

const deleteTargetGroup: Elbv2Action = {
  name: "DeleteTargetGroup",
  mutates: true,
  params: ["TargetGroupArn"],
  run: (input, ctx) => {
    const tg = ctx.tx.get("elbv2-target-group", str(input, "TargetGroupArn")!);
    // The model lists only ResourceInUse for DeleteTargetGroup: an unknown group is not an error.
    if (!tg) return {};
    if (listenersUsing(ctx.tx, tg).length > 0) throw err.elbTargetGroupInUse(tg.id);
    ctx.tx.delete(tg.id);
    return {};
  },
};

const targetsIn = (input: Input, tg: TargetGroupRecord): TargetIn[] =>
  (objs(input, "Targets") ?? []).map((t) => ({
    id: str(t, "Id") ?? "",
    port: num(t, "Port") ?? tg.port,
    availabilityZone: str(t, "AvailabilityZone"),
  }));

const registerTargets: Elbv2Action = {
  name: "RegisterTargets",
  mutates: true,
  params: ["TargetGroupArn", "Targets"],
  run: (input, ctx) => {
    const { tx } = ctx;
    const tg = mustTargetGroup(tx, str(input, "TargetGroupArn")!);
    const targets = targetsIn(input, tg);
    if (tg.targetType === "instance") {
      for (const t of targets) if (!tx.get("instance", t.id)) throw err.elbTargetNotFound(t.id);
      const instances = targets.map((t) => tx.get("instance", t.id)!);
      const otherVpc = instances.filter((i) => i.vpcId !== tg.vpcId).map((i) => i.id);
      if (otherVpc.length > 0) throw err.elbTargetNotInVpc(otherVpc, tg.vpcId);
      const notRunning = instances.filter((i) => i.state !== "running").map((i) => i.id);
      if (notRunning.length > 0) throw err.elbTargetNotRunning(notRunning);
    } else {
      const vpc = tx.get("vpc", tg.vpcId);
      const cidrs = vpc ? vpc.cidrAssociations.filter((a) => a.state === "associated").map((a) => a.cidrBlock) : [];
      for (const t of targets) if (!ipInVpc(t.id, cidrs)) throw err.elbTargetIpInvalid(t.id);
    }
    const key = (t: { id: string; port: number }): string => `${t.id}:${t.port}`;
    const added = new Map(targets.map((t) => [key(t), t]));
    // Re-registering a target keeps its registration time (its health checks do not start over).
    const kept = tg.targets;
    const fresh: RegisteredTarget[] = [...added.values()]
      .filter((t) => !tg.targets.some((x) => key(x) === key(t)))
      .map((t) => ({ id: t.id, port: t.port, availabilityZone: t.availabilityZone, registeredAt: ctx.now.toISOString() }));
    const all = [...kept, ...fresh];
    if (all.length > TARGETS_PER_TARGET_GROUP) throw err.elbTooManyTargets(TARGETS_PER_TARGET_GROUP);
    tx.put({ ...tg, targets: all });
    return {};
  },
};

const deregisterTargets: Elbv2Action = {
  name: "DeregisterTargets",
  mutates: true,
  params: ["TargetGroupArn", "Targets"],
  run: (input, ctx) => {
    const tg = mustTargetGroup(ctx.tx, str(input, "TargetGroupArn")!);
    const targets = targetsIn(input, tg);
    const missing = targets.filter((t) => !tg.targets.some((x) => x.id === t.id && x.port === t.port)).map((t) => t.id);
    if (missing.length > 0) throw err.elbTargetNotRegistered(missing);
    ctx.tx.put({ ...tg, targets: tg.targets.filter((x) => !targets.some((t) => t.id === x.id && t.port === x.port)) });
    return {};
  },
};

const describeTargetHealth: Elbv2Action = {
  name: "DescribeTargetHealth",
  mutates: false,
  params: ["TargetGroupArn", "Targets"],
  run: (input, ctx) => {
    const tg = mustTargetGroup(ctx.tx, str(input, "TargetGroupArn")!);
    const asked = input["Targets"] !== undefined ? targetsIn(input, tg) : tg.targets.map((t) => ({ id: t.id, port: t.port }));
    return {
      TargetHealthDescriptions: asked.map((t) => {
        const h = healthOf(ctx, tg, t);
        return {
          Target: { Id: t.id, Port: t.port, AvailabilityZone: h.availabilityZone },
          HealthCheckPort: String(h.healthCheckPort),
          TargetHealth: { State: h.state, Reason: h.reason, Description: h.description },
        };
      }),
    };
  },
};

export const TARGET_GROUP_ACTIONS: readonly Elbv2Action[] = [
  createTargetGroup,
  describeTargetGroups,
  modifyTargetGroup,
  deleteTargetGroup,
  registerTargets,
  deregisterTargets,
  describeTargetHealth,
];

const describeTargetGroupAttributes: Elbv2Action = {
  name: "DescribeTargetGroupAttributes",
  mutates: false,
  params: ["TargetGroupArn"],
  run: (input, ctx) => ({ Attributes: attributesView(targetGroupAttributes(mustTargetGroup(ctx.tx, str(input, "TargetGroupArn")!))) }),
};

const modifyTargetGroupAttributes: Elbv2Action = {
  name: "ModifyTargetGroupAttributes",
  mutates: true,
  params: ["TargetGroupArn", "Attributes"],
  run: (input, ctx) => {
    const tg = mustTargetGroup(ctx.tx, str(input, "TargetGroupArn")!);
    const changes = attributeChanges(input);
    const attributes = modifiedTargetGroupAttributes(tg, changes);
    ctx.tx.put({ ...tg, attributes });
    return { Attributes: attributesView(attributes) };
  },
};

export const TARGET_GROUP_ATTRIBUTE_ACTIONS: readonly Elbv2Action[] = [describeTargetGroupAttributes, modifyTargetGroupAttributes];
