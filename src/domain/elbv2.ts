/**
 * Elastic Load Balancing v2 (issue 17): records and pure rules for load balancers, target groups and listeners.
 *
 * Records live in the same store as EC2's (kinds `elbv2-*`, keyed by ARN) so that a load balancer and the
 * requester-managed ENIs it owns in the customer's subnets are written in one transaction. ELBv2 tags are kept in
 * `elbTags`, not `tags`: EC2's DescribeTags must not list load balancers (AWS keeps them apart).
 *
 * Nothing here reads a clock or makes ids: `now`, the 16-hex ids and the subnets come in as arguments.
 */
import { containsAddress, isReservedInSubnet, parseAddress, parseCidr } from "./cidr.js";
import { err } from "./errors.js";
import { partitionOf } from "./regions.js";
import type { BaseRecord, SubnetRecord, Tag } from "./types.js";

export type LoadBalancerType = "network" | "application";
export type LoadBalancerScheme = "internet-facing" | "internal";

/** One Availability Zone of a load balancer: its subnet and the requester-managed ENI ELB created there. */
export interface LbZone {
  readonly zoneName: string;
  readonly subnetId: string;
  readonly networkInterfaceId: string;
  readonly privateIp: string;
  /** NLB internet-facing with a SubnetMapping AllocationId: the Elastic IP mapped to the ENI. */
  readonly allocationId?: string | undefined;
  readonly publicIp?: string | undefined;
  /** Whether the private address was chosen by the caller (PrivateIPv4Address): DescribeLoadBalancers echoes it. */
  readonly privateIpGiven?: boolean | undefined;
}

export interface LoadBalancerRecord extends BaseRecord {
  readonly kind: "elbv2-load-balancer";
  /** The ARN. */
  readonly id: string;
  readonly name: string;
  /** The 16 hex digits at the end of the ARN (also in the DNS name). */
  readonly shortId: string;
  readonly type: LoadBalancerType;
  readonly scheme: LoadBalancerScheme;
  readonly vpcId: string;
  readonly ipAddressType: "ipv4" | "dualstack";
  readonly dnsName: string;
  readonly createdTime: string;
  /** When `provisioning` becomes `active` on the simulated clock. */
  readonly activeAt: string;
  readonly securityGroups: readonly string[];
  readonly zones: readonly LbZone[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly elbTags: readonly Tag[];
}

export interface HealthCheckSettings {
  readonly enabled: boolean;
  readonly protocol: string;
  /** "traffic-port" or a port number as text (AWS's wire form). */
  readonly port: string;
  readonly path?: string | undefined;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly matcher?: string | undefined;
}

export interface RegisteredTarget {
  readonly id: string;
  readonly port: number;
  readonly availabilityZone?: string | undefined;
  /** When it was registered (ISO): initial health checks run from then on. */
  readonly registeredAt: string;
}

export interface TargetGroupRecord extends BaseRecord {
  readonly kind: "elbv2-target-group";
  readonly id: string;
  readonly name: string;
  readonly targetType: "instance" | "ip";
  readonly protocol: string;
  readonly port: number;
  readonly vpcId: string;
  readonly protocolVersion?: string | undefined;
  readonly ipAddressType: "ipv4" | "ipv6";
  readonly healthCheck: HealthCheckSettings;
  readonly targets: readonly RegisteredTarget[];
  readonly createdTime: string;
  readonly elbTags: readonly Tag[];
  /** ModifyTargetGroupAttributes' values (absent: the defaults, `defaultTargetGroupAttributes`). */
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}

/** A listener's default action, as stored (forward only). */
export interface ListenerAction {
  readonly type: "forward";
  readonly targetGroupArn: string;
  readonly order?: number | undefined;
}

export interface ListenerRecord extends BaseRecord {
  readonly kind: "elbv2-listener";
  readonly id: string;
  readonly loadBalancerArn: string;
  /** The load balancer's VPC (the indexed column): "listeners that use this target group" is one VPC's listeners. */
  readonly vpcId: string;
  readonly port: number;
  readonly protocol: string;
  readonly defaultActions: readonly ListenerAction[];
  readonly createdTime: string;
  readonly elbTags: readonly Tag[];
  /** ModifyListenerAttributes' values (absent: the defaults, `defaultListenerAttributes`). */
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}

declare module "./types.js" {
  interface ResourceKinds {
    "elbv2-load-balancer": LoadBalancerRecord;
    "elbv2-target-group": TargetGroupRecord;
    "elbv2-listener": ListenerRecord;
  }
}

// --- names, ARNs, DNS ---

/** ELB's quota "Network/Application Load Balancers per Region": 50. */
export const LOAD_BALANCERS_PER_REGION = 50;
/** "Target groups per Region": 3000. */
export const TARGET_GROUPS_PER_REGION = 3000;
/** "Listeners per load balancer": 50. */
export const LISTENERS_PER_LOAD_BALANCER = 50;
/** "Targets per target group" (NLB 500 per AZ; ALB 1000): one bound for both. */
export const TARGETS_PER_TARGET_GROUP = 1000;
/** "Tags per resource": 50. */
export const TAGS_PER_RESOURCE = 50;

/**
 * ELB's name rule (API reference, CreateLoadBalancer Name): at most 32 characters, alphanumerics and hyphens, not
 * beginning or ending with a hyphen, and not beginning with "internal-". Target groups share it.
 */
export const checkElbName = (name: string, what: "load balancer" | "target group"): void => {
  if (name.length > 32) throw err.elbNameTooLong(name, what);
  if (!/^[A-Za-z0-9-]+$/.test(name) || name.startsWith("-") || name.endsWith("-")) throw err.elbNameInvalid(name, what);
  if (what === "load balancer" && name.startsWith("internal-")) throw err.elbNameInternalPrefix();
};

const arnPrefix = (region: string, account: string): string => `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${account}`;

export const typeSegment = (t: LoadBalancerType): "net" | "app" => (t === "network" ? "net" : "app");

export const loadBalancerArn = (region: string, account: string, type: LoadBalancerType, name: string, shortId: string): string =>
  `${arnPrefix(region, account)}:loadbalancer/${typeSegment(type)}/${name}/${shortId}`;

export const targetGroupArn = (region: string, account: string, name: string, shortId: string): string =>
  `${arnPrefix(region, account)}:targetgroup/${name}/${shortId}`;

export const listenerArn = (region: string, account: string, lb: LoadBalancerRecord, shortId: string): string =>
  `${arnPrefix(region, account)}:listener/${typeSegment(lb.type)}/${lb.name}/${lb.shortId}/${shortId}`;

/** What kind of ELBv2 resource an ARN names (AddTags/RemoveTags/DescribeTags take any of them). */
export const arnKind = (arn: string): "elbv2-load-balancer" | "elbv2-target-group" | "elbv2-listener" | undefined => {
  const m = /^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:\d{12}:(loadbalancer|targetgroup|listener)\//.exec(arn);
  if (!m) return undefined;
  return m[1] === "loadbalancer" ? "elbv2-load-balancer" : m[1] === "targetgroup" ? "elbv2-target-group" : "elbv2-listener";
};

/**
 * AWS's DNS names: an NLB is `NAME-ID.elb.REGION.amazonaws.com` (ID: the ARN's 16 hex digits); an ALB is
 * `NAME-NUMBER.REGION.elb.amazonaws.com`, prefixed `internal-` when internal.
 */
export const dnsNameOf = (type: LoadBalancerType, scheme: LoadBalancerScheme, name: string, shortId: string, region: string): string => {
  if (type === "network") return `${name}-${shortId}.elb.${region}.amazonaws.com`;
  // ALB's number is decimal; derived from the id so it is stable.
  const number = (BigInt(`0x${shortId}`) % 10_000_000_000n).toString();
  return `${scheme === "internal" ? "internal-" : ""}${name}-${number}.${region}.elb.amazonaws.com`;
};

/** ELB's Route 53 hosted zones (AWS General Reference, "Elastic Load Balancing endpoints"), for the regions listed. */
const HOSTED_ZONES: Readonly<Record<string, { app: string; net: string }>> = {
  "us-east-1": { app: "Z35SXDOTRQ7X7K", net: "Z26RNL4JYFTOTI" },
  "us-east-2": { app: "Z3AADJGX6KTTL2", net: "ZLMOA37VPKANP" },
  "us-west-1": { app: "Z368ELLRRE2KJ0", net: "Z24FKFUX50B4VW" },
  "us-west-2": { app: "Z1H1FL5HABSF5", net: "Z18D5FSROUN65G" },
  "eu-west-1": { app: "Z32O12XQLNTSW2", net: "Z2IFOLAFXWLO4F" },
  "eu-central-1": { app: "Z215JYRZR1TBD5", net: "Z3F0SRJ5LGBH90" },
};
export const canonicalHostedZoneId = (type: LoadBalancerType, region: string): string | undefined =>
  HOSTED_ZONES[region]?.[type === "network" ? "net" : "app"];

// --- state on the simulated clock ---

/** `provisioning` until `activeAt`, then `active` (what DescribeLoadBalancers and the waiter see). */
export const loadBalancerState = (lb: LoadBalancerRecord, now: Date): "provisioning" | "active" =>
  now.getTime() >= Date.parse(lb.activeAt) ? "active" : "provisioning";

// --- subnets ---

export interface MappingRequest {
  readonly subnetId: string;
  readonly allocationId?: string | undefined;
  readonly privateIp?: string | undefined;
}

/**
 * The placement rules of CreateLoadBalancer/SetSubnets over the resolved subnets (same order as the mappings):
 * one VPC, one subnet per Availability Zone, an ALB in at least two zones, Elastic IPs only on an internet-facing NLB,
 * a chosen private IPv4 address only on an NLB and inside its subnet.
 */
export const checkPlacement = (
  type: LoadBalancerType,
  scheme: LoadBalancerScheme,
  mappings: readonly MappingRequest[],
  subnets: readonly SubnetRecord[],
): void => {
  if (mappings.length === 0) throw type === "application" ? err.elbAlbTwoZones() : err.elbSubnetsRequired();
  const vpcs = new Set(subnets.map((s) => s.vpcId));
  if (vpcs.size > 1) throw err.elbSubnetsOneVpc();
  const zones = new Set<string>();
  for (const s of subnets) {
    if (zones.has(s.availabilityZone)) throw err.elbOneSubnetPerZone();
    zones.add(s.availabilityZone);
  }
  if (type === "application" && zones.size < 2) throw err.elbAlbTwoZones();
  mappings.forEach((m, i) => {
    if (m.allocationId !== undefined && (type !== "network" || scheme !== "internet-facing")) throw err.elbEipNeedsInternetFacingNlb();
    if (m.privateIp !== undefined) {
      if (type !== "network" || scheme !== "internal") throw err.elbPrivateIpNeedsInternalNlb();
      const subnet = subnets[i]!;
      const cidr = subnet.cidrBlock ? parseCidr(subnet.cidrBlock) : undefined;
      const a = parseAddress(m.privateIp);
      if (!cidr || !a || a.version !== 4 || !containsAddress(cidr, 4, a.value) || isReservedInSubnet(cidr, a.value))
        throw err.elbPrivateIpNotInSubnet(m.privateIp, subnet.id);
    }
  });
};

// --- attributes ---

/**
 * Keys of the ELB User Guides' attribute tables (Terraform's provider sends most of them on create). Logs go nowhere:
 * localvpc keeps the values and answers them back.
 */
const COMMON_ATTRIBUTES: Readonly<Record<string, string>> = {
  "deletion_protection.enabled": "false",
  "access_logs.s3.enabled": "false",
  "access_logs.s3.bucket": "",
  "access_logs.s3.prefix": "",
  "zonal_shift.config.enabled": "false",
};

/** The attributes a new load balancer has, with AWS's defaults (cross-zone: off for NLB, always on for ALB). */
export const defaultAttributes = (type: LoadBalancerType): Record<string, string> =>
  type === "network"
    ? {
        ...COMMON_ATTRIBUTES,
        "load_balancing.cross_zone.enabled": "false",
        "dns_record.client_routing_policy": "any_availability_zone",
        "ipv6.deny_all_igw_traffic": "false",
      }
    : {
        ...COMMON_ATTRIBUTES,
        "idle_timeout.timeout_seconds": "60",
        "routing.http2.enabled": "true",
        "routing.http.drop_invalid_header_fields.enabled": "false",
        "routing.http.desync_mitigation_mode": "defensive",
        "routing.http.preserve_host_header.enabled": "false",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
        "routing.http.xff_client_port.enabled": "false",
        "routing.http.xff_header_processing.mode": "append",
        "waf.fail_open.enabled": "false",
        "load_balancing.cross_zone.enabled": "true",
        "client_keep_alive.seconds": "3600",
        "connection_logs.s3.enabled": "false",
        "connection_logs.s3.bucket": "",
        "connection_logs.s3.prefix": "",
        "health_check_logs.s3.enabled": "false",
        "health_check_logs.s3.bucket": "",
        "health_check_logs.s3.prefix": "",
      };

const BOOLEAN_VALUE = /^(true|false)$/;

/**
 * The attributes after ModifyLoadBalancerAttributes: every key must be one the type has; booleans are true/false;
 * an ALB's cross-zone load balancing cannot be turned off (AWS: "always enabled").
 */
export const modifiedAttributes = (
  type: LoadBalancerType,
  current: Readonly<Record<string, string>>,
  changes: readonly { key: string; value: string }[],
): Record<string, string> => {
  const known = defaultAttributes(type);
  const out = { ...current };
  for (const { key, value } of changes) {
    if (!Object.hasOwn(known, key)) throw err.elbAttributeKeyInvalid(key);
    const d = known[key]!;
    if ((d === "true" || d === "false") && !BOOLEAN_VALUE.test(value)) throw err.elbAttributeValueInvalid(key, value);
    if (key === "idle_timeout.timeout_seconds") {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 4000) throw err.elbAttributeValueInvalid(key, value);
    }
    if (
      key === "dns_record.client_routing_policy" &&
      !["any_availability_zone", "availability_zone_affinity", "partial_availability_zone_affinity"].includes(value)
    )
      throw err.elbAttributeValueInvalid(key, value);
    if (type === "application" && key === "load_balancing.cross_zone.enabled" && value === "false") throw err.elbAlbCrossZoneAlwaysOn();
    out[key] = value;
  }
  return out;
};

// --- tags ---

/** AddTags: keys unique in the request, at most 50 per resource after the merge; a key already there is overwritten. */
export const mergeElbTags = (current: readonly Tag[], added: readonly Tag[]): Tag[] => {
  const seen = new Set<string>();
  for (const t of added) {
    if (seen.has(t.key)) throw err.elbDuplicateTagKeys(t.key);
    seen.add(t.key);
  }
  const out = current.filter((t) => !seen.has(t.key)).concat(added);
  if (out.length > TAGS_PER_RESOURCE) throw err.elbTooManyTags();
  return out;
};

// --- target groups ---

export const NLB_PROTOCOLS: ReadonlySet<string> = new Set(["TCP", "UDP", "TLS", "TCP_UDP"]);
export const ALB_PROTOCOLS: ReadonlySet<string> = new Set(["HTTP", "HTTPS"]);

/** Health-check defaults per target-group protocol (ELB User Guides, "Health checks for your target groups"). */
export const defaultHealthCheck = (protocol: string): HealthCheckSettings =>
  ALB_PROTOCOLS.has(protocol)
    ? {
        enabled: true,
        protocol,
        port: "traffic-port",
        path: "/",
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThreshold: 5,
        unhealthyThreshold: 2,
        matcher: "200",
      }
    : {
        enabled: true,
        protocol: protocol === "TLS" || protocol === "UDP" || protocol === "TCP_UDP" ? "TCP" : protocol,
        port: "traffic-port",
        intervalSeconds: 30,
        timeoutSeconds: 10,
        healthyThreshold: 5,
        unhealthyThreshold: 2,
      };

export interface HealthCheckInput {
  readonly enabled?: boolean | undefined;
  readonly protocol?: string | undefined;
  readonly port?: string | undefined;
  readonly path?: string | undefined;
  readonly intervalSeconds?: number | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly healthyThreshold?: number | undefined;
  readonly unhealthyThreshold?: number | undefined;
  readonly matcher?: string | undefined;
}

/** Health-check settings merged over `base`, checked: ports, HTTP-only paths and matchers, timeout below interval. */
export const healthCheckOf = (base: HealthCheckSettings, i: HealthCheckInput): HealthCheckSettings => {
  const protocol = i.protocol ?? base.protocol;
  const http = protocol === "HTTP" || protocol === "HTTPS";
  if (i.port !== undefined && i.port !== "traffic-port") {
    const n = Number(i.port);
    if (!/^\d+$/.test(i.port) || n < 1 || n > 65535) throw err.elbHealthCheckPortInvalid(i.port);
  }
  if (!http && i.path !== undefined) throw err.elbHealthCheckPathNeedsHttp();
  if (!http && i.matcher !== undefined) throw err.elbHealthCheckMatcherNeedsHttp();
  const out: HealthCheckSettings = {
    enabled: i.enabled ?? base.enabled,
    protocol,
    port: i.port ?? base.port,
    path: http ? (i.path ?? base.path ?? "/") : undefined,
    intervalSeconds: i.intervalSeconds ?? base.intervalSeconds,
    timeoutSeconds: i.timeoutSeconds ?? base.timeoutSeconds,
    healthyThreshold: i.healthyThreshold ?? base.healthyThreshold,
    unhealthyThreshold: i.unhealthyThreshold ?? base.unhealthyThreshold,
    matcher: http ? (i.matcher ?? base.matcher ?? "200") : undefined,
  };
  if (out.timeoutSeconds >= out.intervalSeconds) throw err.elbHealthCheckTimeoutNotBelowInterval();
  return out;
};

/** Which load-balancer type may use a target group of this protocol. */
export const lbTypeForProtocol = (protocol: string): LoadBalancerType => (ALB_PROTOCOLS.has(protocol) ? "application" : "network");

/** An `ip` target must be a private IPv4 address inside one of the VPC's CIDRs (AWS also allows the RFC 1918/6598 ranges). */
export const ipInVpc = (ip: string, vpcCidrs: readonly string[]): boolean => {
  const a = parseAddress(ip);
  if (!a || a.version !== 4) return false;
  return vpcCidrs.some((c) => {
    const cidr = parseCidr(c);
    return cidr !== undefined && cidr.version === 4 && containsAddress(cidr, 4, a.value);
  });
};

// --- target health ---

export type TargetHealthState = "initial" | "healthy" | "unhealthy" | "unused" | "unavailable";
export interface TargetHealthView {
  readonly state: TargetHealthState;
  readonly reason?: string | undefined;
  readonly description?: string | undefined;
}

/** What the health of one registered target depends on, gathered by the action (the probe result from the data plane). */
export interface TargetHealthFacts {
  readonly registered: boolean;
  /** Some listener of a load balancer forwards to the target group. */
  readonly inUse: boolean;
  /** The target's Availability Zone is one of those load balancers' zones (absent: not known, taken as yes). */
  readonly zoneEnabled?: boolean | undefined;
  readonly healthCheckEnabled: boolean;
  /** Instance targets: the instance's state (undefined for ip targets). */
  readonly instanceState?: string | undefined;
  /** When the first health checks are due to have decided (registration or the LB becoming active, plus threshold × interval). */
  readonly initialUntil: Date;
  /** The health-check probe's result from every load-balancer ENI: undefined when not probed yet. */
  readonly probePassed?: boolean | undefined;
  readonly httpCheck: boolean;
}

/**
 * AWS's target states and reason codes (ELB API reference, TargetHealth): not registered → unused/Target.NotRegistered;
 * target group not used by a listener → unused/Target.NotInUse; a stopped instance → unused/Target.InvalidState;
 * health checks off → unavailable/Target.HealthCheckDisabled; the first checks still running → initial/
 * Elb.InitialHealthChecking; then healthy, or unhealthy with Target.Timeout (HTTP) / Target.FailedHealthChecks.
 */
export const targetHealth = (f: TargetHealthFacts, now: Date): TargetHealthView => {
  if (!f.registered)
    return { state: "unused", reason: "Target.NotRegistered", description: "Target is not registered to the target group" };
  if (!f.inUse)
    return {
      state: "unused",
      reason: "Target.NotInUse",
      description: "Target group is not configured to receive traffic from the load balancer",
    };
  if (f.zoneEnabled === false)
    return {
      state: "unused",
      reason: "Target.NotInUse",
      description: "Target is in an Availability Zone that is not enabled for the load balancer",
    };
  if (f.instanceState !== undefined && f.instanceState !== "running")
    return { state: "unused", reason: "Target.InvalidState", description: `Target is in the ${f.instanceState} state` };
  if (!f.healthCheckEnabled)
    return { state: "unavailable", reason: "Target.HealthCheckDisabled", description: "Health checks are disabled" };
  if (now.getTime() < f.initialUntil.getTime())
    return { state: "initial", reason: "Elb.InitialHealthChecking", description: "Initial health checks in progress" };
  if (f.probePassed === true) return { state: "healthy" };
  return f.httpCheck
    ? { state: "unhealthy", reason: "Target.Timeout", description: "Request timed out" }
    : { state: "unhealthy", reason: "Target.FailedHealthChecks", description: "Health checks failed" };
};

/** The port a health check goes to: the target's port for `traffic-port`, else the configured one. */
export const healthCheckPort = (hc: HealthCheckSettings, targetPort: number): number =>
  hc.port === "traffic-port" ? targetPort : Number(hc.port);

// --- the data plane (issue 17) ---

/** Where a load balancer sends a packet that reached one of its ENIs (services/elbv2/forwarding.ts decides). */
export type LbForward =
  | { readonly kind: "none" }
  | { readonly kind: "no-listener"; readonly loadBalancer: string; readonly port: number }
  | { readonly kind: "no-healthy-target"; readonly loadBalancer: string; readonly listener: string; readonly targetGroup: string }
  | {
      readonly kind: "target";
      readonly loadBalancer: string;
      readonly listener: string;
      readonly targetGroup: string;
      readonly targetId: string;
      readonly address: string;
      readonly port: number;
      readonly preserveClientIp: boolean;
    };

// --- target group attributes ---

/**
 * A target group's attributes with AWS's defaults (ELB User Guides, "Target group attributes"): NLB groups keep the
 * client's address for instance targets and for UDP/TCP_UDP ip targets, not for TCP/TLS ip targets.
 */
export const defaultTargetGroupAttributes = (tg: Pick<TargetGroupRecord, "protocol" | "targetType">): Record<string, string> => {
  const common = { "deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false" };
  if (ALB_PROTOCOLS.has(tg.protocol))
    return {
      ...common,
      "stickiness.type": "lb_cookie",
      "stickiness.lb_cookie.duration_seconds": "86400",
      "stickiness.app_cookie.cookie_name": "",
      "stickiness.app_cookie.duration_seconds": "86400",
      "load_balancing.algorithm.type": "round_robin",
      "slow_start.duration_seconds": "0",
      "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
    };
  const preserve = tg.targetType === "instance" || tg.protocol === "UDP" || tg.protocol === "TCP_UDP";
  return {
    ...common,
    "stickiness.type": "source_ip",
    "deregistration_delay.connection_termination.enabled": "false",
    "preserve_client_ip.enabled": preserve ? "true" : "false",
    "proxy_protocol_v2.enabled": "false",
    "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
  };
};

export const targetGroupAttributes = (tg: TargetGroupRecord): Record<string, string> => ({
  ...defaultTargetGroupAttributes(tg),
  ...tg.attributes,
});

const TG_ENUMS: Readonly<Record<string, readonly string[]>> = {
  "load_balancing.algorithm.type": ["round_robin", "least_outstanding_requests", "weighted_random"],
  "load_balancing.cross_zone.enabled": ["true", "false", "use_load_balancer_configuration"],
};

/** ModifyTargetGroupAttributes: known keys of the group's protocol, booleans, AWS's ranges and value sets. */
export const modifiedTargetGroupAttributes = (
  tg: TargetGroupRecord,
  changes: readonly { key: string; value: string }[],
): Record<string, string> => {
  const known = defaultTargetGroupAttributes(tg);
  const out = targetGroupAttributes(tg);
  const bad = (key: string, value: string): never => {
    throw err.elbTargetGroupAttributeValueInvalid(key, value);
  };
  const range = (key: string, value: string, min: number, max: number): void => {
    if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) bad(key, value);
  };
  for (const { key, value } of changes) {
    if (!Object.hasOwn(known, key)) throw err.elbTargetGroupAttributeKeyInvalid(key);
    const d = known[key]!;
    if ((d === "true" || d === "false") && !BOOLEAN_VALUE.test(value)) bad(key, value);
    if (key === "deregistration_delay.timeout_seconds") range(key, value, 0, 3600);
    if (key === "stickiness.lb_cookie.duration_seconds" || key === "stickiness.app_cookie.duration_seconds") range(key, value, 1, 604800);
    // AWS: 30-900 seconds, or 0 to disable.
    if (key === "slow_start.duration_seconds" && value !== "0") range(key, value, 30, 900);
    if (key === "stickiness.type" && !(ALB_PROTOCOLS.has(tg.protocol) ? ["lb_cookie", "app_cookie"] : ["source_ip"]).includes(value))
      bad(key, value);
    const allowed = TG_ENUMS[key];
    if (allowed && !allowed.includes(value)) bad(key, value);
    out[key] = value;
  }
  return out;
};

// --- listener attributes ---

/**
 * A listener's attributes with AWS's defaults (ELB User Guides, "Listener attributes"): an NLB's TCP listeners have
 * an idle timeout (350 s, 60-6000); an ALB's HTTP listeners answer with a `Server` header unless turned off.
 */
export const defaultListenerAttributes = (protocol: string): Record<string, string> =>
  protocol === "TCP" || protocol === "TLS" || protocol === "TCP_UDP"
    ? { "tcp.idle_timeout.seconds": "350" }
    : protocol === "HTTP" || protocol === "HTTPS"
      ? { "routing.http.response.server.enabled": "true" }
      : {};

export const listenerAttributes = (l: Pick<ListenerRecord, "protocol" | "attributes">): Record<string, string> => ({
  ...defaultListenerAttributes(l.protocol),
  ...l.attributes,
});

export const modifiedListenerAttributes = (
  l: Pick<ListenerRecord, "protocol" | "attributes">,
  changes: readonly { key: string; value: string }[],
): Record<string, string> => {
  const known = defaultListenerAttributes(l.protocol);
  const out = listenerAttributes(l);
  for (const { key, value } of changes) {
    if (!Object.hasOwn(known, key)) throw err.elbListenerAttributeKeyInvalid(key);
    if (key === "tcp.idle_timeout.seconds" && (!/^\d{1,4}$/.test(value) || Number(value) < 60 || Number(value) > 6000))
      throw err.elbListenerAttributeValueInvalid(key, value);
    if (key === "routing.http.response.server.enabled" && !BOOLEAN_VALUE.test(value))
      throw err.elbListenerAttributeValueInvalid(key, value);
    out[key] = value;
  }
  return out;
};
