import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Hop, Verdict } from "./dataplane/evaluate.js";
import { Ec2Error } from "./errors.js";
import {
  analysisFindings,
  analysisProbe,
  arnOf,
  checkPathRequest,
  DEFAULT_ANALYSIS_PORT,
  DEFAULT_ANALYSIS_SOURCE_PORT,
  endpointId,
  type AnalysisRecords,
  type PathRequest,
} from "./network-insights.js";
import type { NetworkAclRecord, NetworkInsightsPathRecord, NetworkInterfaceRecord, SecurityGroupRecord } from "./types.js";

const SCOPE = { account: "123456789012", region: "eu-west-1" };
const ENI_A = "eni-0000000000000000a";
const ENI_B = "eni-0000000000000000b";

describe("CreateNetworkInsightsPath rules", () => {
  const rows: { name: string; req: PathRequest; code?: string }[] = [
    { name: "a destination id", req: { destination: "i-0123456789abcdef0" } },
    { name: "a destination address at the source", req: { filterAtSource: { destinationAddress: "10.0.0.1" } } },
    { name: "DestinationIp alone names no destination", req: { destinationIp: "10.0.0.1" }, code: "MissingParameter" },
    {
      name: "FilterAtSource with SourceIp",
      req: { destination: "igw-0123456789abcdef0", sourceIp: "10.0.0.1", filterAtSource: {} },
      code: "InvalidParameterCombination",
    },
    {
      name: "FilterAtSource with DestinationPort",
      req: { destination: "igw-0123456789abcdef0", destinationPort: 22, filterAtSource: {} },
      code: "InvalidParameterCombination",
    },
    {
      name: "FilterAtDestination with DestinationIp",
      req: { destination: "igw-0123456789abcdef0", destinationIp: "1.1.1.1", filterAtDestination: {} },
      code: "InvalidParameterCombination",
    },
    {
      name: "an IPv6 address (the analyzer is IPv4 only)",
      req: { destination: "igw-0123456789abcdef0", sourceIp: "::1" },
      code: "InvalidParameterValue",
    },
    {
      name: "a reversed port range",
      req: { destination: "igw-0123456789abcdef0", filterAtDestination: { destinationPortRange: { fromPort: 90, toPort: 80 } } },
      code: "InvalidParameterValue",
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      if (row.code === undefined) {
        assert.doesNotThrow(() => checkPathRequest(row.req));
        return;
      }
      assert.throws(
        () => checkPathRequest(row.req),
        (e: unknown) => e instanceof Ec2Error && e.code === row.code,
      );
    });
  }

  it("endpoints are instances, interfaces or internet gateways, by id or ARN", () => {
    assert.deepEqual(endpointId("Source", "i-0123456789abcdef0"), { id: "i-0123456789abcdef0", kind: "instance" });
    assert.deepEqual(endpointId("Source", "arn:aws:ec2:us-east-1:123456789012:network-interface/" + ENI_A), {
      id: ENI_A,
      kind: "networkInterface",
    });
    assert.throws(
      () => endpointId("Source", "subnet-0123456789abcdef0"),
      (e: unknown) => e instanceof Ec2Error && e.code === "InvalidParameterValue",
    );
    assert.equal(arnOf(SCOPE, "igw-0123456789abcdef0"), "arn:aws:ec2:eu-west-1:123456789012:internet-gateway/igw-0123456789abcdef0");
  });
});

describe("the probe an analysis sends", () => {
  const path = (p: Partial<NetworkInsightsPathRecord>): NetworkInsightsPathRecord => ({
    kind: "network-insights-path",
    id: "nip-0123456789abcdef0",
    tags: [],
    createdDate: "2026-01-01T00:00:00.000Z",
    source: "i-0123456789abcdef0",
    sourceArn: "",
    protocol: "tcp",
    ...p,
  });
  const rows: { name: string; path: NetworkInsightsPathRecord; from: string; to: string; port: number; srcPort: number }[] = [
    {
      name: "instance to instance",
      path: path({ destination: "i-0123456789abcdef1", destinationPort: 22 }),
      from: "i-0123456789abcdef0",
      to: "i-0123456789abcdef1",
      port: 22,
      srcPort: DEFAULT_ANALYSIS_SOURCE_PORT,
    },
    {
      name: "to an internet gateway: the internet, port 443 when none is named",
      path: path({ destination: "igw-0123456789abcdef0" }),
      from: "i-0123456789abcdef0",
      to: "internet",
      port: DEFAULT_ANALYSIS_PORT,
      srcPort: DEFAULT_ANALYSIS_SOURCE_PORT,
    },
    {
      name: "from an internet gateway with a source address, to an address",
      path: path({
        source: "igw-0123456789abcdef0",
        sourceIp: "203.0.113.9",
        destination: ENI_A,
        destinationIp: "10.0.0.5",
        destinationPort: 80,
      }),
      from: "203.0.113.9",
      to: "10.0.0.5",
      port: 80,
      srcPort: DEFAULT_ANALYSIS_SOURCE_PORT,
    },
    {
      name: "filters name the ports",
      path: path({
        destination: "igw-0123456789abcdef0",
        filterAtSource: {
          destinationAddress: "8.8.8.8",
          destinationPortRange: { fromPort: 53, toPort: 53 },
          sourcePortRange: { fromPort: 40000 },
        },
      }),
      from: "i-0123456789abcdef0",
      to: "8.8.8.8",
      port: 53,
      srcPort: 40000,
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const p = analysisProbe(row.path);
      assert.deepEqual(
        { from: p.from, to: p.to, port: p.port, srcPort: p.srcPort },
        { from: row.from, to: row.to, port: row.port, srcPort: row.srcPort },
      );
    });
  }
});

describe("a verdict becomes AWS's analysis", () => {
  const eni = (id: string, ip: string, groups: string[]): NetworkInterfaceRecord =>
    ({
      kind: "network-interface",
      id,
      tags: [],
      vpcId: "vpc-0000000000000000a",
      subnetId: "subnet-0000000000000000a",
      groupIds: groups,
      privateIps: [{ address: ip, primary: true }],
      attachment: { instanceId: "i-0000000000000000a", deviceIndex: 0 },
    }) as unknown as NetworkInterfaceRecord;
  const a = eni(ENI_A, "10.0.0.4", ["sg-0000000000000000a"]);
  const b = eni(ENI_B, "10.0.0.5", ["sg-0000000000000000b"]);
  const groups: SecurityGroupRecord[] = [
    {
      kind: "security-group",
      id: "sg-0000000000000000a",
      tags: [],
      vpcId: "vpc-0000000000000000a",
      ownerId: SCOPE.account,
      groupName: "a",
      description: "a",
      rules: [{ ruleId: "sgr-0000000000000000a", isEgress: true, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }],
    },
    {
      kind: "security-group",
      id: "sg-0000000000000000b",
      tags: [],
      vpcId: "vpc-0000000000000000a",
      ownerId: SCOPE.account,
      groupName: "b",
      description: "b",
      rules: [],
    },
  ];
  const acl: NetworkAclRecord = {
    kind: "network-acl",
    id: "acl-0000000000000000a",
    tags: [],
    vpcId: "vpc-0000000000000000a",
    ownerId: SCOPE.account,
    isDefault: false,
    associations: [],
    entries: [{ ruleNumber: 100, protocol: "6", ruleAction: "allow", egress: true, cidrBlock: "0.0.0.0/0", portFrom: 443, portTo: 443 }],
  };
  const records: AnalysisRecords = {
    eni: (id) => [a, b].find((e) => e.id === id),
    enisByAddress: (addr) => [a, b].filter((e) => e.privateIps.some((p) => p.address === addr)),
    securityGroup: (id) => groups.find((g) => g.id === id),
    networkAcl: (id) => (id === acl.id ? acl : undefined),
    routeTable: () => undefined,
    internetGateway: () => undefined,
  };
  const hop = (h: Partial<Hop> & Pick<Hop, "type" | "component" | "action" | "detail">): Hop => ({ path: "forward", ...h });
  const leaves = hop({ type: "network-interface", component: ENI_A, action: "pass", detail: `leaves ${ENI_A}` });
  const sgOut = hop({
    type: "security-group",
    component: "sgr-0000000000000000a",
    action: "pass",
    detail: "outbound rule sgr-0000000000000000a allows it",
  });
  const route = hop({
    type: "route-table",
    component: "rtb-0000000000000000a",
    action: "pass",
    detail: "route 10.0.0.0/16 → local (longest prefix match)",
  });
  const verdict = (delivered: boolean, reason: Verdict["reason"], hops: Hop[]): Verdict => ({
    delivered,
    reason,
    explanation: "sentence",
    deliveredTo: null,
    deliveredToEni: null,
    hops,
    reply: delivered ? { delivered: true, reason: null, explanation: "" } : undefined,
  });
  const pkt = { source: "10.0.0.4", destination: "10.0.0.5" };

  it("a delivered path lists one component per hop, numbered, with the rule that let it through", () => {
    const f = analysisFindings(
      verdict(true, null, [
        leaves,
        sgOut,
        route,
        hop({ type: "instance", component: "i-0000000000000000b", action: "deliver", detail: "delivered" }),
      ]),
      records,
      SCOPE,
      pkt,
    );
    assert.equal(f.networkPathFound, true);
    assert.deepEqual(
      f.forwardPathComponents.map((c) => [c.sequenceNumber, c.component.id]),
      [
        [1, ENI_A],
        [2, "sg-0000000000000000a"],
        [3, "rtb-0000000000000000a"],
        [4, "i-0000000000000000b"],
      ],
    );
    assert.deepEqual(f.forwardPathComponents[1]!.securityGroupRule, {
      cidr: "0.0.0.0/0",
      direction: "egress",
      securityGroupId: "sg-0000000000000000a",
      portRange: undefined,
      prefixListId: undefined,
      protocol: "all",
    });
    assert.equal(f.forwardPathComponents[2]!.routeTableRoute?.gatewayId, "local");
    assert.equal(f.explanations.length, 0);
  });

  const drops: { name: string; reason: NonNullable<Verdict["reason"]>; hops: Hop[]; check: (x: Record<string, unknown>) => void }[] = [
    {
      name: "inbound security groups: the receiving interface and its groups",
      reason: "ENI_SG_RULES_MISMATCH",
      hops: [
        leaves,
        sgOut,
        route,
        hop({ type: "security-group", component: "sg-0000000000000000b", action: "drop", detail: "no inbound rule allows TCP" }),
      ],
      check: (x) => {
        assert.equal(x["direction"], "ingress");
        assert.deepEqual(x["networkInterface"], { id: ENI_B, arn: arnOf(SCOPE, ENI_B) });
        assert.deepEqual(x["securityGroups"], [{ id: "sg-0000000000000000b", arn: arnOf(SCOPE, "sg-0000000000000000b") }]);
      },
    },
    {
      name: "outbound network ACL: the ACL, its subnet and the deny rule",
      reason: "SUBNET_ACL_RESTRICTION",
      hops: [
        leaves,
        sgOut,
        route,
        hop({
          type: "network-acl",
          component: acl.id,
          action: "drop",
          detail: "no outbound rule of subnet-0000000000000000a's network ACL matches; the * rule denies it",
        }),
      ],
      check: (x) => {
        assert.equal(x["direction"], "egress");
        assert.deepEqual(x["subnet"], { id: "subnet-0000000000000000a", arn: arnOf(SCOPE, "subnet-0000000000000000a") });
        assert.equal((x["aclRule"] as { ruleNumber: number }).ruleNumber, 32767);
      },
    },
    {
      name: "no route: the route table and the address",
      reason: "NO_ROUTE_TO_DESTINATION",
      hops: [
        leaves,
        sgOut,
        hop({ type: "route-table", component: "rtb-0000000000000000a", action: "drop", detail: "no route matches 8.8.8.8" }),
      ],
      check: (x) => {
        assert.equal((x["routeTable"] as { id: string }).id, "rtb-0000000000000000a");
        assert.equal(x["address"], "10.0.0.5");
      },
    },
    {
      name: "source/destination check: the interface",
      reason: "ENI_SOURCE_DEST_CHECK_RESTRICTION",
      hops: [
        hop({
          type: "network-interface",
          component: ENI_A,
          action: "drop",
          detail: "source 10.9.9.9 is not one of the interface's addresses",
        }),
      ],
      check: (x) => {
        assert.equal(x["direction"], "egress");
        assert.equal((x["networkInterface"] as { id: string }).id, ENI_A);
      },
    },
  ];
  for (const d of drops) {
    it(d.name, () => {
      const f = analysisFindings(verdict(false, d.reason, d.hops), records, SCOPE, pkt);
      assert.equal(f.networkPathFound, false);
      assert.equal(f.forwardPathComponents.length, 0);
      assert.equal(f.explanations.length, 1);
      const x = f.explanations[0]!;
      assert.equal(x.explanationCode, d.reason);
      assert.equal(x.localvpcSentence, "sentence");
      d.check(x as unknown as Record<string, unknown>);
    });
  }

  it("a dropped reply is no path, explained by the reply's reason", () => {
    const v: Verdict = {
      ...verdict(true, null, [leaves, sgOut, route]),
      reply: { delivered: false, reason: "SUBNET_ACL_RESTRICTION", explanation: "reply dropped" },
    };
    const f = analysisFindings(v, records, SCOPE, pkt);
    assert.equal(f.networkPathFound, false);
    assert.equal(f.explanations[0]!.explanationCode, "SUBNET_ACL_RESTRICTION");
    assert.equal(f.explanations[0]!.localvpcSentence, "reply dropped");
  });
});
