/**
 * Listeners: CreateListener (TCP/UDP/TCP_UDP for an NLB, HTTP for an ALB; TLS and HTTPS need certificates, which
 * localvpc does not emulate), DescribeListeners, ModifyListener, DeleteListener. The default action is a forward to
 * one target group of the load balancer's VPC, of a protocol the listener can carry.
 */
import {
  ALB_PROTOCOLS,
  LISTENERS_PER_LOAD_BALANCER,
  lbTypeForProtocol,
  listenerArn,
  defaultListenerAttributes,
  listenerAttributes,
  modifiedListenerAttributes,
  mergeElbTags,
  NLB_PROTOCOLS,
  type ListenerAction,
  type ListenerRecord,
  type LoadBalancerRecord,
} from "../../../domain/elbv2.js";
import { err } from "../../../domain/errors.js";
import type { Elbv2Context } from "../context.js";
import {
  attributeChanges,
  attributesView,
  type Elbv2Action,
  type Input,
  listenerView,
  mustListener,
  mustLoadBalancer,
  num,
  objs,
  page,
  str,
  strs,
  tagsIn,
} from "./common.js";

/** Which target-group protocols a listener protocol forwards to (ELB User Guides). */
const COMPATIBLE: Readonly<Record<string, readonly string[]>> = {
  TCP: ["TCP", "TCP_UDP"],
  UDP: ["UDP", "TCP_UDP"],
  TCP_UDP: ["TCP_UDP"],
  TLS: ["TCP", "TLS"],
  HTTP: ["HTTP", "HTTPS"],
  HTTPS: ["HTTP", "HTTPS"],
};

const checkProtocol = (lb: LoadBalancerRecord, protocol: string): void => {
  const allowed = lb.type === "network" ? NLB_PROTOCOLS : ALB_PROTOCOLS;
  if (!allowed.has(protocol)) throw err.elbListenerProtocolForType(protocol, lb.type === "network" ? "Network" : "Application");
  // TLS and HTTPS need a certificate from ACM, which localvpc does not emulate.
  if (protocol === "TLS" || protocol === "HTTPS") throw err.elbNotSupported(`${protocol} listeners (certificates)`);
};

/** The default actions: each a forward to one target group in the LB's VPC with a compatible protocol. */
const actionsOf = (ctx: Elbv2Context, lb: LoadBalancerRecord, protocol: string, actions: readonly Input[]): ListenerAction[] =>
  actions.map((a) => {
    const type = str(a, "Type") ?? "";
    if (type !== "forward") throw err.elbActionInvalid(type);
    const forward = a["ForwardConfig"] as Input | undefined;
    const groups = forward ? (objs(forward, "TargetGroups") ?? []) : [];
    if (groups.length > 1) throw err.elbActionInvalid("forward to several target groups");
    const arn = str(a, "TargetGroupArn") ?? (groups[0] ? str(groups[0], "TargetGroupArn") : undefined);
    if (arn === undefined) throw err.elbActionInvalid("forward without a target group");
    const tg = ctx.tx.get("elbv2-target-group", arn);
    if (!tg) throw err.elbTargetGroupNotFound();
    if (tg.vpcId !== lb.vpcId) throw err.elbTargetGroupOtherVpc(tg.id);
    if (lbTypeForProtocol(tg.protocol) !== lb.type || !(COMPATIBLE[protocol] ?? []).includes(tg.protocol))
      throw err.elbIncompatibleProtocols(tg.protocol, protocol);
    // A target group serves one load balancer (AWS: it can be associated with only one).
    const others = ctx.tx
      .list("elbv2-listener", { vpcId: lb.vpcId })
      .some((l) => l.loadBalancerArn !== lb.id && l.defaultActions.some((x) => x.targetGroupArn === tg.id));
    if (others) throw err.elbTargetGroupOtherLoadBalancer(tg.id);
    return { type: "forward", targetGroupArn: tg.id, order: a["Order"] as number | undefined };
  });

const listenersOf = (ctx: Elbv2Context, lb: LoadBalancerRecord): ListenerRecord[] =>
  ctx.tx.list("elbv2-listener", { vpcId: lb.vpcId }).filter((l) => l.loadBalancerArn === lb.id);

const createListener: Elbv2Action = {
  name: "CreateListener",
  mutates: true,
  params: ["LoadBalancerArn", "Protocol", "Port", "DefaultActions", "Tags"],
  run: (input, ctx) => {
    const lb = mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!);
    const protocol = str(input, "Protocol");
    const port = num(input, "Port");
    if (protocol === undefined || port === undefined) throw err.elbListenerProtocolRequired();
    checkProtocol(lb, protocol);
    const actions = actionsOf(ctx, lb, protocol, objs(input, "DefaultActions") ?? []);
    const existing = listenersOf(ctx, lb);
    const same = existing.find((l) => l.port === port);
    if (same) {
      // A repeated create with the same settings answers the existing listener (idempotent).
      if (same.protocol === protocol && JSON.stringify(same.defaultActions) === JSON.stringify(actions))
        return { Listeners: [listenerView(same)] };
      throw err.elbDuplicateListener();
    }
    if (existing.length >= LISTENERS_PER_LOAD_BALANCER) throw err.elbTooManyListeners(LISTENERS_PER_LOAD_BALANCER);
    const listener: ListenerRecord = {
      kind: "elbv2-listener",
      id: listenerArn(ctx.scope.region, ctx.scope.account, lb, ctx.ids.hex(16)),
      tags: [],
      loadBalancerArn: lb.id,
      vpcId: lb.vpcId,
      port,
      protocol,
      defaultActions: actions,
      createdTime: ctx.now.toISOString(),
      elbTags: mergeElbTags([], tagsIn(input)),
    };
    ctx.tx.put(listener);
    return { Listeners: [listenerView(listener)] };
  },
};

const describeListeners: Elbv2Action = {
  name: "DescribeListeners",
  mutates: false,
  params: ["LoadBalancerArn", "ListenerArns", "Marker", "PageSize"],
  run: (input, ctx) => {
    const arns = strs(input, "ListenerArns");
    const lbArn = str(input, "LoadBalancerArn");
    let items: ListenerRecord[];
    if (arns !== undefined) {
      items = [...new Set(arns)].map((a) => ctx.tx.get("elbv2-listener", a)).filter((l) => l !== undefined);
      if (items.length < new Set(arns).size) throw err.elbListenerNotFound();
    } else if (lbArn !== undefined) {
      items = listenersOf(ctx, mustLoadBalancer(ctx.tx, lbArn));
    } else {
      throw err.elbDescribeListenersNeedsArn();
    }
    const p = page(items, str(input, "Marker"), num(input, "PageSize"));
    return { Listeners: p.items.map(listenerView), NextMarker: p.next };
  },
};

const modifyListener: Elbv2Action = {
  name: "ModifyListener",
  mutates: true,
  params: ["ListenerArn", "Port", "Protocol", "DefaultActions"],
  run: (input, ctx) => {
    const l = mustListener(ctx.tx, str(input, "ListenerArn")!);
    const lb = mustLoadBalancer(ctx.tx, l.loadBalancerArn);
    const protocol = str(input, "Protocol") ?? l.protocol;
    const port = num(input, "Port") ?? l.port;
    checkProtocol(lb, protocol);
    const actionsIn = objs(input, "DefaultActions");
    const defaultActions =
      actionsIn !== undefined
        ? actionsOf(ctx, lb, protocol, actionsIn)
        : actionsOf(
            ctx,
            lb,
            protocol,
            l.defaultActions.map((a) => ({ Type: a.type, TargetGroupArn: a.targetGroupArn, Order: a.order })),
          );
    if (port !== l.port && listenersOf(ctx, lb).some((x) => x.port === port)) throw err.elbDuplicateListener();
    // A new protocol keeps only the attributes it has.
    const known = defaultListenerAttributes(protocol);
    const attributes = l.attributes && Object.fromEntries(Object.entries(l.attributes).filter(([k]) => Object.hasOwn(known, k)));
    const next: ListenerRecord = { ...l, port, protocol, defaultActions, attributes };
    ctx.tx.put(next);
    return { Listeners: [listenerView(next)] };
  },
};

const deleteListener: Elbv2Action = {
  name: "DeleteListener",
  mutates: true,
  params: ["ListenerArn"],
  run: (input, ctx) => {
    const l = mustListener(ctx.tx, str(input, "ListenerArn")!);
    ctx.tx.delete(l.id);
    return {};
  },
};

const describeListenerAttributes: Elbv2Action = {
  name: "DescribeListenerAttributes",
  mutates: false,
  params: ["ListenerArn"],
  run: (input, ctx) => ({ Attributes: attributesView(listenerAttributes(mustListener(ctx.tx, str(input, "ListenerArn")!))) }),
};

const modifyListenerAttributes: Elbv2Action = {
  name: "ModifyListenerAttributes",
  mutates: true,
  params: ["ListenerArn", "Attributes"],
  run: (input, ctx) => {
    const l = mustListener(ctx.tx, str(input, "ListenerArn")!);
    const changes = attributeChanges(input);
    const attributes = modifiedListenerAttributes(l, changes);
    ctx.tx.put({ ...l, attributes });
    return { Attributes: attributesView(attributes) };
  },
};

export const LISTENER_ACTIONS: readonly Elbv2Action[] = [
  createListener,
  describeListeners,
  modifyListener,
  deleteListener,
  describeListenerAttributes,
  modifyListenerAttributes,
];
