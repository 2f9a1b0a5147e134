/**
 * EKS's pure rules (issue 18): max pods per instance type (the CNI's eni-max-pods.txt figures, from the type data's
 * ENIs on network card 0, IPv4 addresses per ENI, vCPUs and hypervisor), ipamd's warm-pool targets, the vpc-cni
 * configuration, cluster and node-group checks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applyLabels,
  checkClusterRequest,
  checkName,
  controlPlaneSubnets,
  DEFAULT_CNI,
  maxPods,
  nodeSubnet,
  parseCniConfiguration,
  poolTarget,
  scaleDelta,
  scalingOf,
  type ClusterRequest,
  type EksSubnetFact,
} from "./eks.js";
import { failureOf, POD_TYPES } from "./eks.fixture.js";

const code = failureOf;

const TYPES = POD_TYPES;

describe("maxPods", () => {
  const table: [string, boolean, number][] = [
    ["m5.large", false, 29],
    ["t3.small", false, 11],
    ["t3.medium", false, 17],
    ["m5.xlarge", false, 58],
    ["c5.18xlarge", false, 737],
    ["p4d.24xlarge", false, 737],
    ["t2.micro", false, 4],
    // Prefix delegation: ENIs × ((IPs − 1) × 16) + 2, capped at 110 (≤ 30 vCPUs) or 250.
    ["m5.large", true, 110],
    ["t3.small", true, 110],
    ["c5.18xlarge", true, 250],
    ["p4d.24xlarge", true, 250],
  ];
  for (const [type, pd, want] of table) {
    it(`${type}${pd ? " with prefix delegation" : ""} → ${want}`, () => {
      const f = TYPES[type]!;
      const a = maxPods(f, { prefixDelegation: pd });
      assert.equal(a.maxPods, want);
      // The figure is the formula over the type data, not a lookup.
      const plain = f.enis * (f.ipv4PerEni - 1) + 2;
      assert.equal(a.maxPods, pd ? Math.min(f.enis * (f.ipv4PerEni - 1) * 16 + 2, f.vcpus > 30 ? 250 : 110) : plain);
    });
  }
  it("prefix delegation on a non-Nitro type keeps the secondary-IP figure and says why", () => {
    assert.deepEqual(maxPods(TYPES["t2.micro"]!, { prefixDelegation: true }).prefixUnsupported, true);
  });
  it("custom networking takes the primary ENI away from pods", () => {
    assert.equal(maxPods(TYPES["m5.large"]!, { customNetworking: true }).maxPods, 2 * 9 + 2);
  });
});

describe("poolTarget (ipamd's warm pool)", () => {
  const t3small = { maxEnis: 3, slotsPerEni: 3, ipsPerSlot: 1 };
  const m5large = { maxEnis: 3, slotsPerEni: 9, ipsPerSlot: 1 };
  const cases: [string, number, typeof DEFAULT_CNI, typeof t3small, number][] = [
    // docs/eni-and-ip-target.md: t3.small, WARM_ENI_TARGET=1, 5 pods → 3 ENIs, 9 secondary IPs.
    ["t3.small WARM_ENI_TARGET=1, 5 pods", 5, DEFAULT_CNI, t3small, 9],
    ["t3.small WARM_ENI_TARGET=1, no pod", 0, DEFAULT_CNI, t3small, 3],
    ["t3.small WARM_ENI_TARGET=1, 3 pods (a full ENI needs another)", 3, DEFAULT_CNI, t3small, 6],
    ["m5.large WARM_ENI_TARGET=1, 27 pods (capped by the node)", 27, DEFAULT_CNI, m5large, 27],
    ["m5.large WARM_IP_TARGET=2, 5 pods", 5, { ...DEFAULT_CNI, warmEniTarget: undefined, warmIpTarget: 2 }, m5large, 7],
    ["m5.large MINIMUM_IP_TARGET=10 alone, 1 pod", 1, { ...DEFAULT_CNI, warmEniTarget: undefined, minimumIpTarget: 10 }, m5large, 10],
    [
      "m5.large WARM_IP_TARGET=1 + MINIMUM_IP_TARGET=10, 12 pods",
      12,
      { ...DEFAULT_CNI, warmEniTarget: undefined, warmIpTarget: 1, minimumIpTarget: 10 },
      m5large,
      13,
    ],
    [
      "m5.large prefixes WARM_PREFIX_TARGET=1, 20 pods",
      20,
      { ...DEFAULT_CNI, prefixDelegation: true, warmPrefixTarget: 1 },
      { ...m5large, ipsPerSlot: 16 },
      48,
    ],
    [
      "m5.large prefixes WARM_IP_TARGET=5, 20 pods (whole /28s)",
      20,
      { ...DEFAULT_CNI, prefixDelegation: true, warmEniTarget: undefined, warmIpTarget: 5 },
      { ...m5large, ipsPerSlot: 16 },
      32,
    ],
  ];
  for (const [name, used, c, l, want] of cases) it(name, () => assert.equal(poolTarget(used, c, l), want));
});

describe("parseCniConfiguration", () => {
  it("reads env settings; WARM_ENI_TARGET is ignored once an IP target is set", () => {
    assert.deepEqual(parseCniConfiguration(undefined), DEFAULT_CNI);
    const c = parseCniConfiguration('{"env":{"WARM_ENI_TARGET":"2","WARM_IP_TARGET":"3","ENABLE_PREFIX_DELEGATION":"true"}}');
    assert.deepEqual([c.warmEniTarget, c.warmIpTarget, c.prefixDelegation], [undefined, 3, true]);
    assert.equal(parseCniConfiguration('{"env":{"WARM_ENI_TARGET":"2"}}').warmEniTarget, 2);
  });
  const bad: [string, string][] = [
    ["{", "[$: Invalid JSON]"],
    ["[]", "[$: object expected]"],
    ['{"x":{}}', "[$.x: is not defined in the schema and the schema does not allow additional properties]"],
    ['{"env":{"FOO":"1"}}', "[$.env.FOO: is not defined in the schema and the schema does not allow additional properties]"],
    ['{"env":{"WARM_IP_TARGET":3}}', "[$.env.WARM_IP_TARGET: number found, string expected]"],
    [
      '{"env":{"ENABLE_PREFIX_DELEGATION":"yes"}}',
      "[$.env.ENABLE_PREFIX_DELEGATION: does not have a value in the enumeration [true, false]]",
    ],
  ];
  for (const [text, detail] of bad)
    it(`refuses ${text}`, () =>
      assert.equal(
        code(() => parseCniConfiguration(text)),
        `InvalidParameterException: ConfigurationValue provided in request is not supported: Json schema validation failed with error: ${detail}`,
      ));
});

describe("cluster and node-group rules", () => {
  const subnets: Record<string, EksSubnetFact> = {
    a: { id: "a", vpcId: "v", availabilityZone: "us-east-1a" },
    b: { id: "b", vpcId: "v", availabilityZone: "us-east-1b" },
    b2: { id: "b2", vpcId: "v", availabilityZone: "us-east-1b" },
    e: { id: "e", vpcId: "v", availabilityZone: "us-east-1e" },
    x: { id: "x", vpcId: "w", availabilityZone: "us-east-1c" },
  };
  const look = { subnet: (id: string) => subnets[id], groupVpc: (id: string) => (id === "sg-v" ? "v" : id === "sg-w" ? "w" : undefined) };
  const req = (o: Partial<ClusterRequest>): ClusterRequest => ({
    name: "c",
    version: undefined,
    roleArn: "arn:aws:iam::123456789012:role/r",
    subnetIds: ["a", "b"],
    securityGroupIds: [],
    endpointPublicAccess: undefined,
    endpointPrivateAccess: undefined,
    publicAccessCidrs: undefined,
    ...o,
  });
  const zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
  const check = (o: Partial<ClusterRequest>): string => code(() => checkClusterRequest(req(o), look, zones));
  it("accepts two zones and defaults the version and endpoint access", () => {
    const r = checkClusterRequest(req({}), look, zones);
    assert.deepEqual(
      [r.version, r.vpc.endpointPublicAccess, r.vpc.endpointPrivateAccess, r.vpc.publicAccessCidrs],
      ["1.33", true, false, ["0.0.0.0/0"]],
    );
  });
  const cases: [string, Partial<ClusterRequest>, string][] = [
    ["one zone", { subnetIds: ["b", "b2"] }, "InvalidParameterException: Subnets specified must be in at least two different AZs"],
    [
      "an unsupported zone",
      { subnetIds: ["a", "e"] },
      /^UnsupportedAvailabilityZoneException: Cannot create cluster 'c' because us-east-1e/.source,
    ],
    ["two VPCs", { subnetIds: ["a", "x"] }, "InvalidParameterException: Subnets are not in the same VPC"],
    ["a group of another VPC", { securityGroupIds: ["sg-w"] }, "InvalidParameterException: Security group sg-w is not in VPC v"],
    [
      "six groups",
      { securityGroupIds: ["sg-v", "sg-v", "sg-v", "sg-v", "sg-v", "sg-v"] },
      "InvalidParameterException: You can specify up to 5 security groups.",
    ],
    ["a bad role", { roleArn: "arn:aws:iam::1:role/r" }, "InvalidParameterException: Invalid role ARN: arn:aws:iam::1:role/r"],
    [
      "both endpoints off",
      { endpointPublicAccess: false, endpointPrivateAccess: false },
      "InvalidParameterException: The cluster must have either the public or the private endpoint enabled.",
    ],
    [
      "a bad CIDR",
      { publicAccessCidrs: ["10.0.0.0/33"] },
      "InvalidParameterException: The public access CIDR 10.0.0.0/33 is not a valid IPv4 CIDR block.",
    ],
  ];
  for (const [name, o, want] of cases)
    it(`refuses ${name}`, () => (want.startsWith("^") ? assert.match(check(o), new RegExp(want)) : assert.equal(check(o), want)));

  it("puts control-plane ENIs in two subnets of different zones", () => {
    assert.deepEqual(
      controlPlaneSubnets([subnets["b"]!, subnets["b2"]!, subnets["a"]!]).map((s) => s.id),
      ["b", "a"],
    );
  });
  it("checks scaling and spreads nodes round-robin", () => {
    assert.deepEqual(scalingOf(undefined), { minSize: 1, maxSize: 2, desiredSize: 2 });
    assert.equal(
      code(() => scalingOf({ minSize: 0, maxSize: 0, desiredSize: 0 })),
      "InvalidParameterException: Maximum capacity must be at least 1",
    );
    assert.equal(
      code(() => scalingOf({ desiredSize: 0 })),
      "InvalidParameterException: Minimum capacity can't be greater than desired size",
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => nodeSubnet(["s1", "s2", "s3"], i)),
      ["s1", "s2", "s3", "s1"],
    );
    assert.deepEqual(scaleDelta(3, 5), { launch: 2, terminate: 0 });
    assert.deepEqual(scaleDelta(5, 2), { launch: 0, terminate: 3 });
  });
  it("names: letters, digits, - and _, starting with a letter or digit; node groups at most 63", () => {
    assert.equal(
      code(() => checkName("a".repeat(100), "cluster")),
      "ok",
    );
    assert.match(
      code(() => checkName("-x", "cluster")),
      /^InvalidParameterException: The cluster name -x is not valid/,
    );
    assert.equal(
      code(() => checkName("n".repeat(63), "nodegroup")),
      "ok",
    );
    assert.match(
      code(() => checkName("n".repeat(64), "nodegroup")),
      /^InvalidParameterException: The node group name n+ is not valid/,
    );
  });
  it("updates labels: remove, then add; both at once for a key is refused", () => {
    assert.deepEqual(applyLabels({ a: "1", b: "2" }, { c: "3" }, ["a"]), { b: "2", c: "3" });
    assert.equal(
      code(() => applyLabels({}, { a: "1" }, ["a"])),
      "InvalidParameterException: The label a cannot be both added and removed.",
    );
  });
});
