/** Table tests for ELBv2's pure rules: names, ARNs and DNS names, placement, attributes, tags, health checks, target health. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Ec2Error } from "./errors.js";
import type { SubnetRecord } from "./types.js";
import {
  arnKind,
  checkElbName,
  checkPlacement,
  defaultAttributes,
  defaultHealthCheck,
  defaultTargetGroupAttributes,
  modifiedTargetGroupAttributes,
  modifiedListenerAttributes,
  dnsNameOf,
  healthCheckOf,
  healthCheckPort,
  ipInVpc,
  listenerArn,
  loadBalancerArn,
  loadBalancerState,
  mergeElbTags,
  modifiedAttributes,
  targetHealth,
  type LoadBalancerRecord,
  type MappingRequest,
  type TargetGroupRecord,
  type TargetHealthFacts,
} from "./elbv2.js";

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Ec2Error).code;
  }
  return "ok";
};

const subnet = (id: string, az: string, cidr: string, vpcId = "vpc-1"): SubnetRecord =>
  ({ kind: "subnet", id, vpcId, availabilityZone: az, cidrBlock: cidr, tags: [], ipv6Associations: [] }) as unknown as SubnetRecord;

describe("elbv2: names", () => {
  const cases: [string, "load balancer" | "target group", string][] = [
    ["web", "load balancer", "ok"],
    ["a".repeat(32), "load balancer", "ok"],
    ["a".repeat(33), "load balancer", "ValidationError"],
    ["-web", "load balancer", "ValidationError"],
    ["web-", "target group", "ValidationError"],
    ["we_b", "load balancer", "ValidationError"],
    ["internal-web", "load balancer", "ValidationError"],
    ["internal-web", "target group", "ok"],
  ];
  for (const [name, what, want] of cases)
    it(`${what} '${name.slice(0, 12)}' → ${want}`, () =>
      assert.equal(
        code(() => checkElbName(name, what)),
        want,
      ));
});

describe("elbv2: ARNs and DNS names", () => {
  it("load balancer, listener and the kind of an ARN", () => {
    const arn = loadBalancerArn("us-east-1", "123456789012", "network", "web", "0123456789abcdef");
    assert.equal(arn, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/web/0123456789abcdef");
    assert.equal(arnKind(arn), "elbv2-load-balancer");
    const lb = { type: "network", name: "web", shortId: "0123456789abcdef" } as LoadBalancerRecord;
    const l = listenerArn("us-east-1", "123456789012", lb, "fedcba9876543210");
    assert.equal(l, "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/web/0123456789abcdef/fedcba9876543210");
    assert.equal(arnKind(l), "elbv2-listener");
    assert.equal(arnKind("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/0123456789abcdef"), "elbv2-target-group");
    assert.equal(arnKind("arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1"), undefined);
    assert.equal(
      loadBalancerArn("cn-north-1", "123456789012", "application", "a", "0123456789abcdef"),
      "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/a/0123456789abcdef",
    );
  });
  it("NLB NAME-ID.elb.REGION; ALB NAME-NUMBER.REGION.elb, internal- prefixed when internal", () => {
    assert.equal(dnsNameOf("network", "internal", "n", "0123456789abcdef", "eu-west-1"), "n-0123456789abcdef.elb.eu-west-1.amazonaws.com");
    assert.match(
      dnsNameOf("application", "internet-facing", "a", "0123456789abcdef", "us-east-1"),
      /^a-\d+\.us-east-1\.elb\.amazonaws\.com$/,
    );
    assert.match(
      dnsNameOf("application", "internal", "a", "0123456789abcdef", "us-east-1"),
      /^internal-a-\d+\.us-east-1\.elb\.amazonaws\.com$/,
    );
  });
  it("provisioning until activeAt", () => {
    const lb = { activeAt: "2026-01-01T00:01:00.000Z" } as LoadBalancerRecord;
    assert.equal(loadBalancerState(lb, new Date("2026-01-01T00:00:59Z")), "provisioning");
    assert.equal(loadBalancerState(lb, new Date("2026-01-01T00:01:00Z")), "active");
  });
});

describe("elbv2: placement", () => {
  const a = subnet("subnet-a", "us-east-1a", "10.0.1.0/24");
  const a2 = subnet("subnet-a2", "us-east-1a", "10.0.2.0/24");
  const b = subnet("subnet-b", "us-east-1b", "10.0.3.0/24");
  const other = subnet("subnet-x", "us-east-1c", "10.1.0.0/24", "vpc-2");
  const m = (s: SubnetRecord, extra: Partial<MappingRequest> = {}): MappingRequest => ({ subnetId: s.id, ...extra });
  const cases: {
    name: string;
    type: "network" | "application";
    scheme: "internet-facing" | "internal";
    subnets: SubnetRecord[];
    maps?: MappingRequest[];
    want: string;
  }[] = [
    { name: "NLB in one zone", type: "network", scheme: "internet-facing", subnets: [a], want: "ok" },
    { name: "no subnets (NLB)", type: "network", scheme: "internal", subnets: [], want: "ValidationError" },
    { name: "ALB in one zone", type: "application", scheme: "internal", subnets: [a], want: "ValidationError" },
    { name: "ALB in two zones", type: "application", scheme: "internal", subnets: [a, b], want: "ok" },
    { name: "two subnets in one zone", type: "network", scheme: "internal", subnets: [a, a2], want: "InvalidConfigurationRequest" },
    { name: "two VPCs", type: "network", scheme: "internal", subnets: [a, other], want: "InvalidConfigurationRequest" },
    {
      name: "EIP on internet-facing NLB",
      type: "network",
      scheme: "internet-facing",
      subnets: [a],
      maps: [m(a, { allocationId: "eipalloc-1" })],
      want: "ok",
    },
    {
      name: "EIP on internal NLB",
      type: "network",
      scheme: "internal",
      subnets: [a],
      maps: [m(a, { allocationId: "eipalloc-1" })],
      want: "InvalidConfigurationRequest",
    },
    {
      name: "EIP on ALB",
      type: "application",
      scheme: "internet-facing",
      subnets: [a, b],
      maps: [m(a, { allocationId: "eipalloc-1" }), m(b)],
      want: "InvalidConfigurationRequest",
    },
    {
      name: "private IP in subnet, internal NLB",
      type: "network",
      scheme: "internal",
      subnets: [a],
      maps: [m(a, { privateIp: "10.0.1.10" })],
      want: "ok",
    },
    {
      name: "private IP reserved",
      type: "network",
      scheme: "internal",
      subnets: [a],
      maps: [m(a, { privateIp: "10.0.1.3" })],
      want: "InvalidConfigurationRequest",
    },
    {
      name: "private IP elsewhere",
      type: "network",
      scheme: "internal",
      subnets: [a],
      maps: [m(a, { privateIp: "10.0.3.10" })],
      want: "InvalidConfigurationRequest",
    },
    {
      name: "private IP on internet-facing",
      type: "network",
      scheme: "internet-facing",
      subnets: [a],
      maps: [m(a, { privateIp: "10.0.1.10" })],
      want: "InvalidConfigurationRequest",
    },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.equal(
        code(() => checkPlacement(c.type, c.scheme, c.maps ?? c.subnets.map((s) => m(s)), c.subnets)),
        c.want,
      ),
    );
});

describe("elbv2: attributes and tags", () => {
  it("defaults differ by type; modification checks keys and values", () => {
    assert.equal(defaultAttributes("network")["load_balancing.cross_zone.enabled"], "false");
    assert.equal(defaultAttributes("application")["load_balancing.cross_zone.enabled"], "true");
    const nlb = defaultAttributes("network");
    assert.equal(
      modifiedAttributes("network", nlb, [{ key: "deletion_protection.enabled", value: "true" }])["deletion_protection.enabled"],
      "true",
    );
    const cases: ["network" | "application", string, string, string][] = [
      ["network", "idle_timeout.timeout_seconds", "60", "ValidationError"],
      ["network", "deletion_protection.enabled", "TRUE", "InvalidConfigurationRequest"],
      ["application", "idle_timeout.timeout_seconds", "0", "InvalidConfigurationRequest"],
      ["application", "idle_timeout.timeout_seconds", "4000", "ok"],
      ["application", "load_balancing.cross_zone.enabled", "false", "InvalidConfigurationRequest"],
      ["network", "dns_record.client_routing_policy", "availability_zone_affinity", "ok"],
      ["network", "dns_record.client_routing_policy", "nearest", "InvalidConfigurationRequest"],
    ];
    for (const [type, key, value, want] of cases)
      assert.equal(
        code(() => modifiedAttributes(type, defaultAttributes(type), [{ key, value }])),
        want,
        `${type} ${key}=${value}`,
      );
  });
  it("tags: overwrite, duplicates in one request, at most 50", () => {
    assert.deepEqual(mergeElbTags([{ key: "a", value: "1" }], [{ key: "a", value: "2" }]), [{ key: "a", value: "2" }]);
    assert.equal(
      code(() =>
        mergeElbTags(
          [],
          [
            { key: "a", value: "1" },
            { key: "a", value: "2" },
          ],
        ),
      ),
      "DuplicateTagKeys",
    );
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "" }));
    assert.equal(
      code(() => mergeElbTags(fifty, [{ key: "one-more", value: "" }])),
      "TooManyTags",
    );
  });
});

describe("elbv2: health checks and target health", () => {
  it("defaults per protocol and checked changes", () => {
    assert.equal(defaultHealthCheck("UDP").protocol, "TCP");
    assert.equal(defaultHealthCheck("HTTP").path, "/");
    const tcp = defaultHealthCheck("TCP");
    assert.equal(
      code(() => healthCheckOf(tcp, { path: "/x" })),
      "ValidationError",
    );
    assert.equal(
      code(() => healthCheckOf(tcp, { matcher: "200" })),
      "InvalidConfigurationRequest",
    );
    assert.equal(
      code(() => healthCheckOf(tcp, { port: "70000" })),
      "ValidationError",
    );
    assert.equal(
      code(() => healthCheckOf(tcp, { timeoutSeconds: 30 })),
      "ValidationError",
    );
    assert.equal(healthCheckOf(tcp, { protocol: "HTTP" }).path, "/");
    assert.equal(healthCheckPort(tcp, 8080), 8080);
    assert.equal(healthCheckPort({ ...tcp, port: "9000" }, 8080), 9000);
  });
  it("ip targets must be in the VPC's CIDRs", () => {
    assert.equal(ipInVpc("10.0.5.5", ["10.0.0.0/16"]), true);
    assert.equal(ipInVpc("10.1.5.5", ["10.0.0.0/16", "10.2.0.0/16"]), false);
    assert.equal(ipInVpc("not-an-ip", ["10.0.0.0/16"]), false);
  });
  const now = new Date("2026-01-01T01:00:00Z");
  const base: TargetHealthFacts = {
    registered: true,
    inUse: true,
    healthCheckEnabled: true,
    instanceState: "running",
    initialUntil: new Date("2026-01-01T00:00:00Z"),
    probePassed: true,
    httpCheck: false,
  };
  const cases: [string, Partial<TargetHealthFacts>, string, string | undefined][] = [
    ["healthy", {}, "healthy", undefined],
    ["not registered", { registered: false }, "unused", "Target.NotRegistered"],
    ["not in use", { inUse: false }, "unused", "Target.NotInUse"],
    ["stopped", { instanceState: "stopped" }, "unused", "Target.InvalidState"],
    ["zone not enabled", { zoneEnabled: false }, "unused", "Target.NotInUse"],
    ["checks disabled", { healthCheckEnabled: false }, "unavailable", "Target.HealthCheckDisabled"],
    ["initial", { initialUntil: new Date("2026-01-01T02:00:00Z") }, "initial", "Elb.InitialHealthChecking"],
    ["TCP check fails", { probePassed: false }, "unhealthy", "Target.FailedHealthChecks"],
    ["HTTP check times out", { probePassed: false, httpCheck: true }, "unhealthy", "Target.Timeout"],
    ["ip target (no instance state)", { instanceState: undefined }, "healthy", undefined],
  ];
  for (const [name, f, state, reason] of cases)
    it(name, () => {
      const h = targetHealth({ ...base, ...f }, now);
      assert.equal(h.state, state);
      assert.equal(h.reason, reason);
    });
});

describe("elbv2: target group attributes", () => {
  it("client IP preservation defaults: instance targets and UDP keep it, TCP ip targets do not, ALB groups have none", () => {
    assert.equal(defaultTargetGroupAttributes({ protocol: "TCP", targetType: "instance" })["preserve_client_ip.enabled"], "true");
    assert.equal(defaultTargetGroupAttributes({ protocol: "TCP", targetType: "ip" })["preserve_client_ip.enabled"], "false");
    assert.equal(defaultTargetGroupAttributes({ protocol: "UDP", targetType: "ip" })["preserve_client_ip.enabled"], "true");
    assert.equal(defaultTargetGroupAttributes({ protocol: "HTTP", targetType: "ip" })["preserve_client_ip.enabled"], undefined);
  });
  const tcp = { protocol: "TCP", targetType: "instance" } as TargetGroupRecord;
  const http = { protocol: "HTTP", targetType: "instance" } as TargetGroupRecord;
  const cases: [string, TargetGroupRecord, string, string, string][] = [
    ["deregistration delay 0", tcp, "deregistration_delay.timeout_seconds", "0", "ok"],
    ["deregistration delay 3601", tcp, "deregistration_delay.timeout_seconds", "3601", "InvalidConfigurationRequest"],
    ["slow start 0 (off)", http, "slow_start.duration_seconds", "0", "ok"],
    ["slow start 10", http, "slow_start.duration_seconds", "10", "InvalidConfigurationRequest"],
    ["NLB stickiness lb_cookie", tcp, "stickiness.type", "lb_cookie", "InvalidConfigurationRequest"],
    ["ALB stickiness app_cookie", http, "stickiness.type", "app_cookie", "ok"],
    ["algorithm", http, "load_balancing.algorithm.type", "least_outstanding_requests", "ok"],
    ["algorithm unknown", http, "load_balancing.algorithm.type", "fastest", "InvalidConfigurationRequest"],
    ["NLB key on an ALB group", http, "preserve_client_ip.enabled", "true", "ValidationError"],
    ["boolean", tcp, "proxy_protocol_v2.enabled", "yes", "InvalidConfigurationRequest"],
  ];
  for (const [name, tg, key, value, want] of cases)
    it(name, () =>
      assert.equal(
        code(() => modifiedTargetGroupAttributes(tg, [{ key, value }])),
        want,
      ),
    );
});

describe("elbv2: listener attributes", () => {
  const cases: [string, string, string, string][] = [
    ["TCP", "tcp.idle_timeout.seconds", "60", "ok"],
    ["TCP", "tcp.idle_timeout.seconds", "59", "InvalidConfigurationRequest"],
    ["TCP", "tcp.idle_timeout.seconds", "6001", "InvalidConfigurationRequest"],
    ["UDP", "tcp.idle_timeout.seconds", "60", "ValidationError"],
    ["HTTP", "routing.http.response.server.enabled", "false", "ok"],
    ["HTTP", "routing.http.response.server.enabled", "off", "InvalidConfigurationRequest"],
  ];
  for (const [protocol, key, value, want] of cases)
    it(`${protocol} ${key}=${value} → ${want}`, () =>
      assert.equal(
        code(() => modifiedListenerAttributes({ protocol, attributes: undefined }, [{ key, value }])),
        want,
      ));
});
