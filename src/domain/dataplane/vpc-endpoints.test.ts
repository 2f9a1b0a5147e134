/**
 * VPC endpoints in the data plane (issue 16): a gateway endpoint's route (destination: the service's AWS-managed prefix
 * list, target vpce-…) carries traffic to the service without an internet gateway; without it the default route
 * decides (internet gateway: the service's public address, nothing: no route); an interface endpoint's ENI receives
 * what its security groups allow.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, type Probe } from "./evaluate.js";
import { ipv4ToNumber } from "./ip.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology, type AwsServiceRange, type TopologyInput } from "./topology.js";
import type { Route } from "../types.js";

const n = (ip: string): number => ipv4ToNumber(ip)!;
const S3 = "pl-63a5400a";
const DDB = "pl-02cd2c6b";
const SERVICES: AwsServiceRange[] = [
  { name: "com.amazonaws.us-east-1.s3", prefixListId: S3, cidrs: ["52.216.0.0/15", "54.231.0.0/16"] },
  { name: "com.amazonaws.us-east-1.dynamodb", prefixListId: DDB, cidrs: ["3.218.180.0/22"] },
];
const lists = (id: string) => SERVICES.find((s) => s.prefixListId === id)?.cidrs;
const VPCE = "vpce-00000000000000001";

type Setup = {
  endpoint?: string; // the prefix list the endpoint route names
  defaultRoute?: "igw" | "none";
  publicIp?: boolean;
  aclDenyOut?: boolean;
  aclDenyInEphemeral?: boolean;
  sgEgress?: boolean;
};

const build = (s: Setup): { input: TopologyInput; eni: string } => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const sub = b.subnet(vpc, "10.0.1.0/24", s.defaultRoute === "igw" ? [["0.0.0.0/0", "igw"]] : []);
  if (s.aclDenyOut || s.aclDenyInEphemeral)
    b.acl(sub, [
      { n: 100, egress: true, allow: !s.aclDenyOut },
      { n: 100, egress: false, allow: !s.aclDenyInEphemeral },
    ]);
  const sg = b.sg(vpc, s.sgEgress === false ? {} : { egress: [{}] });
  const eni = b.eni(sub, "10.0.1.10", { sgs: [sg], publicIp: s.publicIp ? "3.80.0.10" : undefined });
  const input = b.build({ prefixListCidrs: lists, awsServices: SERVICES });
  const route: Route | undefined =
    s.endpoint !== undefined ? { destinationPrefixListId: s.endpoint, gatewayId: VPCE, origin: "CreateRoute", state: "active" } : undefined;
  return {
    input: route
      ? {
          ...input,
          routeTables: input.routeTables.map((t) =>
            t.associations.some((a) => a.subnetId === sub) ? { ...t, routes: [...t.routes, route] } : t,
          ),
        }
      : input,
    eni,
  };
};

const probe = (eni: string, to: string): Probe => ({
  from: { kind: "eni", eniId: eni },
  to: n(to),
  protocol: 6,
  srcPort: 40000,
  dstPort: 443,
});

describe("gateway endpoints: verdicts", () => {
  const cases: { name: string; setup: Setup; to: string; delivered: boolean; reason?: string; explains: RegExp; replies?: boolean }[] = [
    {
      name: "S3 through the endpoint (no internet gateway route, no public IP)",
      setup: { endpoint: S3 },
      to: "52.216.10.1",
      delivered: true,
      explains: /reaches com\.amazonaws\.us-east-1\.s3 through gateway endpoint vpce-00000000000000001/,
      replies: true,
    },
    {
      name: "DynamoDB through its endpoint",
      setup: { endpoint: DDB },
      to: "3.218.181.5",
      delivered: true,
      explains: /dynamodb through gateway endpoint/,
      replies: true,
    },
    {
      name: "the endpoint wins over the default route to the internet gateway",
      setup: { endpoint: S3, defaultRoute: "igw", publicIp: true },
      to: "54.231.1.1",
      delivered: true,
      explains: /through gateway endpoint/,
    },
    {
      name: "an S3 endpoint does not carry DynamoDB traffic: no route",
      setup: { endpoint: S3 },
      to: "3.218.181.5",
      delivered: false,
      reason: "NO_ROUTE_TO_DESTINATION",
      explains: /has no route that matches 3\.218\.181\.5/,
    },
    {
      name: "without an endpoint: the internet gateway reaches the service's public address",
      setup: { defaultRoute: "igw", publicIp: true },
      to: "52.216.10.1",
      delivered: true,
      explains: /reaches com\.amazonaws\.us-east-1\.s3 over the internet at 52\.216\.10\.1/,
      replies: true,
    },
    {
      name: "without an endpoint: DynamoDB (inside Amazon's EC2 space) is still the service, not an unknown public IP",
      setup: { defaultRoute: "igw", publicIp: true },
      to: "3.218.181.5",
      delivered: true,
      explains: /dynamodb over the internet/,
    },
    {
      name: "without an endpoint and without a public IP: the internet gateway drops it",
      setup: { defaultRoute: "igw" },
      to: "52.216.10.1",
      delivered: false,
      reason: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
      explains: /.*/,
    },
    {
      name: "without any route: dropped",
      setup: {},
      to: "52.216.10.1",
      delivered: false,
      reason: "NO_ROUTE_TO_DESTINATION",
      explains: /no route/,
    },
    {
      name: "the subnet's NACL still applies on the way out",
      setup: { endpoint: S3, aclDenyOut: true },
      to: "52.216.10.1",
      delivered: false,
      reason: "SUBNET_ACL_RESTRICTION",
      explains: /.*/,
    },
    {
      name: "the security group's egress still applies",
      setup: { endpoint: S3, sgEgress: false },
      to: "52.216.10.1",
      delivered: false,
      reason: "ENI_SG_RULES_MISMATCH",
      explains: /No outbound rule/,
    },
    {
      name: "the reply needs the subnet's NACL inbound (stateless)",
      setup: { endpoint: S3, aclDenyInEphemeral: true },
      to: "52.216.10.1",
      delivered: true,
      explains: /its reply was dropped/,
      replies: false,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const { input, eni } = build(c.setup);
      const v = evaluate(compileTopology(input), probe(eni, c.to), { nowMs: 0 });
      assert.equal(v.delivered, c.delivered, v.explanation);
      if (c.reason) assert.equal(v.reason, c.reason);
      assert.match(v.explanation, c.explains);
      if (c.replies !== undefined) assert.equal(v.reply?.delivered, c.replies, v.explanation);
    });

  it("the hops name the endpoint and the prefix list, and the route shows the list entry", () => {
    const { input, eni } = build({ endpoint: S3 });
    const v = evaluate(compileTopology(input), probe(eni, "52.216.10.1"), { nowMs: 0 });
    const route = v.hops.find((h) => h.type === "route-table" && h.path === "forward")!;
    assert.match(route.detail, /route pl-63a5400a \(52\.216\.0\.0\/15\) → vpce-00000000000000001/);
    const hop = v.hops.find((h) => h.type === "vpc-endpoint")!;
    assert.equal(hop.component, VPCE);
    assert.match(hop.detail, /carries it to com\.amazonaws\.us-east-1\.s3 \(prefix list pl-63a5400a\)/);
    assert.equal(v.deliveredTo, null);
    assert.equal(v.deliveredToEni, null);
  });

  it("the endpoint route compiles into the subnet's routes (one per list entry, kind vpce)", () => {
    const { input } = build({ endpoint: S3 });
    const t = compileTopology(input);
    const sub = [...t.subnets.values()][0]!;
    assert.deepEqual(
      sub.routes.filter((r) => r.kind === "vpce").map((r) => [r.destText, r.targetId]),
      [
        [`${S3} (54.231.0.0/16)`, VPCE],
        [`${S3} (52.216.0.0/15)`, VPCE],
      ],
    );
  });
});

describe("interface endpoints: the endpoint ENI", () => {
  const setup = (ingress: boolean) => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const sub = b.subnet(vpc, "10.0.1.0/24");
    const client = b.eni(sub, "10.0.1.10", { sgs: [b.sg(vpc, { egress: [{}] })] });
    const epSg = b.sg(vpc, ingress ? { ingress: [{ proto: "6", from: 443, to: 443, cidr: "10.0.0.0/16" }], egress: [{}] } : {});
    const ep = b.eni(sub, "10.0.1.20", { sgs: [epSg], instance: false, interfaceType: "vpc_endpoint" });
    const input = b.build();
    return {
      client,
      ep,
      input: {
        ...input,
        networkInterfaces: input.networkInterfaces.map((e) =>
          e.id === ep ? { ...e, requesterManaged: true, description: `VPC Endpoint Interface ${VPCE}` } : e,
        ),
      },
    };
  };
  for (const c of [
    { name: "delivered when its security group allows 443", ingress: true, port: 443, delivered: true },
    { name: "dropped by its security group otherwise", ingress: false, port: 443, delivered: false },
    { name: "the group's ports apply", ingress: true, port: 22, delivered: false },
  ])
    it(c.name, () => {
      const { client, ep, input } = setup(c.ingress);
      const v = evaluate(
        compileTopology(input),
        { from: { kind: "eni", eniId: client }, to: n("10.0.1.20"), protocol: 6, srcPort: 40000, dstPort: c.port },
        { nowMs: 0 },
      );
      assert.equal(v.delivered, c.delivered, v.explanation);
      if (c.delivered) {
        assert.equal(v.deliveredToEni, ep);
        assert.match(v.explanation, new RegExp(`reaches interface endpoint ${VPCE} at ${ep}`));
        assert.equal(v.reply?.delivered, true);
      } else assert.equal(v.reason, "ENI_SG_RULES_MISMATCH");
    });
});
