/** Table tests for the pure Elastic IP rules: quota, border group, targets, reassociation, public-IP effects, PTR names. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  allocationDomain,
  borderGroupFor,
  checkAddressQuota,
  checkInstanceTarget,
  planAssociation,
  ptrName,
  regainsPublicIp,
  targetPrivateIp,
  withAmazonPublicIp,
  withElasticIp,
  withoutElasticIp,
} from "./elastic-ips.js";
import { err, type Ec2Error } from "./errors.js";
import type { ElasticIpRecord, InstanceStateName, NetworkInterfaceRecord } from "./types.js";

const eip = (id: string, publicIp: string, extra: Partial<ElasticIpRecord> = {}): ElasticIpRecord => ({
  kind: "elastic-ip",
  id,
  tags: [],
  publicIp,
  domain: "vpc",
  publicIpv4Pool: "amazon",
  networkBorderGroup: "us-east-1",
  ...extra,
});

const eni = (extra: Partial<NetworkInterfaceRecord> = {}): NetworkInterfaceRecord => ({
  kind: "network-interface",
  id: "eni-00000000000000001",
  tags: [],
  ownerId: "000000000000",
  requesterId: "AIDA",
  requesterManaged: false,
  vpcId: "vpc-00000000000000001",
  subnetId: "subnet-00000000000000001",
  availabilityZone: "us-east-1a",
  description: "",
  macAddress: "02:00:00:00:00:01",
  interfaceType: "interface",
  status: "in-use",
  sourceDestCheck: true,
  groupIds: [],
  privateIps: [
    { address: "10.0.0.10", primary: true },
    { address: "10.0.0.11", primary: false },
  ],
  ipv4Prefixes: [],
  ipv6Addresses: [],
  ipv6Prefixes: [],
  associatePublicIp: true,
  publicIps: [],
  attachment: {
    attachmentId: "eni-attach-00000000000000001",
    instanceId: "i-00000000000000001",
    instanceOwnerId: "000000000000",
    deviceIndex: 0,
    networkCardIndex: 0,
    status: "attached",
    attachTime: "2024-01-01T00:00:00.000Z",
    deleteOnTermination: true,
  },
  instanceId: "i-00000000000000001",
  ...extra,
});

const throwsEc2 = (fn: () => unknown, expected: Ec2Error): void =>
  assert.throws(fn, (e: unknown) => {
    const x = e as Ec2Error;
    assert.equal(x.code, expected.code);
    assert.equal(x.message, expected.message);
    return true;
  });

describe("checkAddressQuota", () => {
  const cases: { name: string; held: { total: number; byoip: number }; quota: number; ok: boolean }[] = [
    { name: "below the quota", held: { total: 4, byoip: 0 }, quota: 5, ok: true },
    { name: "at the quota", held: { total: 5, byoip: 0 }, quota: 5, ok: false },
    { name: "BYOIP addresses do not count", held: { total: 6, byoip: 2 }, quota: 5, ok: true },
    { name: "BYOIP addresses do not make room", held: { total: 7, byoip: 2 }, quota: 5, ok: false },
    { name: "a raised quota", held: { total: 5, byoip: 0 }, quota: 7, ok: true },
  ];
  for (const c of cases)
    it(c.name, () => {
      if (c.ok) checkAddressQuota(c.held, c.quota);
      else throwsEc2(() => checkAddressQuota(c.held, c.quota), err.addressLimitExceeded());
    });
});

describe("allocationDomain and borderGroupFor", () => {
  it("always allocates VPC addresses", () => {
    for (const d of [undefined, "vpc", "standard"]) assert.equal(allocationDomain(d), "vpc");
  });
  it("defaults the border group to the region and refuses others", () => {
    assert.equal(borderGroupFor(undefined, "eu-west-1"), "eu-west-1");
    assert.equal(borderGroupFor("eu-west-1", "eu-west-1"), "eu-west-1");
    throwsEc2(() => borderGroupFor("us-east-1-wl1-bos-wlz-1", "us-east-1"), err.invalidNetworkBorderGroup("us-east-1-wl1-bos-wlz-1"));
  });
});

describe("checkInstanceTarget", () => {
  const cases: { state: InstanceStateName; count: number; error?: Ec2Error }[] = [
    { state: "running", count: 1 },
    { state: "stopped", count: 1 },
    { state: "pending", count: 1, error: err.instanceStateForAddress("i-1", "pending") },
    { state: "terminated", count: 0, error: err.instanceStateForAddress("i-1", "terminated") },
    { state: "running", count: 2, error: err.multipleInterfaces("i-1") },
  ];
  for (const c of cases)
    it(`${c.state} with ${c.count} ENI(s)`, () => {
      if (c.error) throwsEc2(() => checkInstanceTarget("i-1", c.state, c.count), c.error);
      else checkInstanceTarget("i-1", c.state, c.count);
    });
});

describe("targetPrivateIp", () => {
  it("defaults to the primary private IP", () => assert.equal(targetPrivateIp(eni(), undefined), "10.0.0.10"));
  it("accepts a secondary private IP of the ENI", () => assert.equal(targetPrivateIp(eni(), "10.0.0.11"), "10.0.0.11"));
  it("refuses an IP the ENI does not have", () =>
    throwsEc2(() => targetPrivateIp(eni(), "10.0.0.99"), err.privateIpNotOnInterface("10.0.0.99", "eni-00000000000000001")));
});

describe("planAssociation", () => {
  const assoc = { associationId: "eipassoc-1", networkInterfaceOwnerId: "000000000000" };
  const free = eip("eipalloc-a", "3.80.0.1");
  const elsewhere = eip("eipalloc-a", "3.80.0.1", { association: { ...assoc, networkInterfaceId: "eni-other", privateIp: "10.9.0.5" } });
  const here = eip("eipalloc-a", "3.80.0.1", {
    association: { ...assoc, networkInterfaceId: "eni-00000000000000001", privateIp: "10.0.0.10" },
  });
  const occupied = eni({
    publicIps: [
      { privateIp: "10.0.0.10", publicIp: "3.80.0.2", ipOwnerId: "000000000000", allocationId: "eipalloc-b", associationId: "eipassoc-2" },
    ],
  });
  const withAmazon = eni({ publicIps: [{ privateIp: "10.0.0.10", publicIp: "54.80.0.9", ipOwnerId: "amazon" }] });

  it("a free EIP on a free private IP", () =>
    assert.deepEqual(planAssociation(free, eni(), "10.0.0.10", undefined), { unchanged: false, displaced: undefined }));
  it("an Amazon public IP is not an EIP: nothing is displaced", () =>
    assert.equal(planAssociation(free, withAmazon, "10.0.0.10", false).displaced, undefined));
  it("the same target again is unchanged, even with AllowReassociation=false", () =>
    assert.deepEqual(planAssociation(here, eni(), "10.0.0.10", false), { unchanged: true }));
  it("moves an EIP associated elsewhere by default", () =>
    assert.equal(planAssociation(elsewhere, eni(), "10.0.0.10", undefined).unchanged, false));
  it("refuses to move it with AllowReassociation=false", () =>
    throwsEc2(() => planAssociation(elsewhere, eni(), "10.0.0.10", false), err.eipAlreadyAssociated("eipalloc-a", "eipassoc-1")));
  it("displaces another EIP on the target private IP by default", () =>
    assert.equal(planAssociation(free, occupied, "10.0.0.10", true).displaced?.allocationId, "eipalloc-b"));
  it("refuses to displace it with AllowReassociation=false", () =>
    throwsEc2(
      () => planAssociation(free, occupied, "10.0.0.10", false),
      err.eipTargetOccupied("eni-00000000000000001", "10.0.0.10", "3.80.0.2"),
    ));
  it("another private IP of the same ENI is free", () =>
    assert.equal(planAssociation(free, occupied, "10.0.0.11", false).displaced, undefined));
});

describe("withElasticIp / withoutElasticIp", () => {
  const e = eip("eipalloc-a", "3.80.0.1");
  it("replaces (releases) the Amazon public IP of that private IP", () => {
    const before = eni({ publicIps: [{ privateIp: "10.0.0.10", publicIp: "54.80.0.9", ipOwnerId: "amazon" }] });
    const after = withElasticIp(before, "10.0.0.10", e, "eipassoc-9", "111122223333");
    assert.deepEqual(after.publicIps, [
      { privateIp: "10.0.0.10", publicIp: "3.80.0.1", ipOwnerId: "111122223333", allocationId: "eipalloc-a", associationId: "eipassoc-9" },
    ]);
  });
  it("moves the EIP between private IPs of one ENI", () => {
    const before = withElasticIp(eni(), "10.0.0.10", e, "eipassoc-1", "000000000000");
    const after = withElasticIp(before, "10.0.0.11", e, "eipassoc-2", "000000000000");
    assert.deepEqual(
      after.publicIps.map((p) => [p.privateIp, p.associationId]),
      [["10.0.0.11", "eipassoc-2"]],
    );
    assert.deepEqual(withoutElasticIp(after, "eipalloc-a").publicIps, []);
  });
});

describe("regainsPublicIp", () => {
  const running = { instanceState: "running" as const, interfaceCount: 1 };
  const cases: { name: string; eni: NetworkInterfaceRecord; c: Parameters<typeof regainsPublicIp>[1]; want: boolean }[] = [
    { name: "the only ENI of a running instance", eni: eni(), c: running, want: true },
    { name: "a stopped instance (gets one at start)", eni: eni(), c: { instanceState: "stopped", interfaceCount: 1 }, want: false },
    { name: "more than one ENI attached", eni: eni(), c: { instanceState: "running", interfaceCount: 2 }, want: false },
    { name: "the ENI is not eligible (associatePublicIp=false)", eni: eni({ associatePublicIp: false }), c: running, want: false },
    {
      name: "a secondary private IP still holds an EIP",
      eni: eni({ publicIps: [{ privateIp: "10.0.0.11", publicIp: "3.80.0.3", ipOwnerId: "000000000000", allocationId: "eipalloc-c" }] }),
      c: running,
      want: false,
    },
    {
      name: "a detached ENI",
      eni: eni({ attachment: undefined, instanceId: undefined }),
      c: { instanceState: undefined, interfaceCount: 0 },
      want: false,
    },
  ];
  for (const x of cases) it(x.name, () => assert.equal(regainsPublicIp(x.eni, x.c), x.want));
  it("maps the new Amazon IP to the primary private IP", () =>
    assert.deepEqual(withAmazonPublicIp(eni(), "44.200.1.2").publicIps, [
      { privateIp: "10.0.0.10", publicIp: "44.200.1.2", ipOwnerId: "amazon" },
    ]));
});

describe("ptrName", () => {
  const ok: [string, string][] = [
    ["example.com", "example.com."],
    ["Mail.Example.com.", "mail.example.com."],
    ["a-b.c1.example.org", "a-b.c1.example.org."],
  ];
  for (const [input, want] of ok) it(`accepts ${input}`, () => assert.equal(ptrName(input), want));
  for (const bad of ["", "localhost", "-a.example.com", "a..example.com", "exa_mple.com", "3.80.0.1", `${"a".repeat(64)}.com`])
    it(`refuses ${JSON.stringify(bad)}`, () => throwsEc2(() => ptrName(bad), err.invalidDomainName(bad)));
});
