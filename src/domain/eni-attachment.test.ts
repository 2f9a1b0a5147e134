/** Table tests for attach/detach rules and the transient states on the simulated clock. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { attachedEni, checkAttach, detachEni, isElaAttachmentId, settleEni, type AttachTarget } from "./eni-attachment.js";
import { Ec2Error } from "./errors.js";
import type { TypeLimits } from "./instances.js";
import { T3_MEDIUM_LIMITS } from "./type-limits.fixture.js";
import type { InstanceRecord, NetworkInterfaceRecord } from "./types.js";

const throwsEc2 = (fn: () => unknown, code: string, message: string | RegExp): void =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Ec2Error, String(e));
    assert.equal(e.code, code);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });

const T3_MEDIUM = T3_MEDIUM_LIMITS;
const TWO_CARDS: TypeLimits = {
  ...T3_MEDIUM,
  name: "p4d.24xlarge",
  maxInterfaces: 4,
  maxCards: 2,
  cards: [
    { index: 0, maxInterfaces: 2 },
    { index: 1, maxInterfaces: 2 },
  ],
  efaSupported: true,
  maxEfaInterfaces: 2,
};

const instance = (over: Partial<InstanceRecord> = {}): InstanceRecord =>
  ({
    kind: "instance",
    id: "i-0123456789abcdef0",
    ownerId: "000000000000",
    state: "running",
    availabilityZone: "us-east-1a",
    vpcId: "vpc-1",
    ...over,
  }) as InstanceRecord;

const eni = (id: string, over: Partial<NetworkInterfaceRecord> = {}): NetworkInterfaceRecord => ({
  kind: "network-interface",
  id,
  tags: [],
  ownerId: "000000000000",
  requesterId: "AIDA",
  requesterManaged: false,
  vpcId: "vpc-1",
  subnetId: "subnet-1",
  availabilityZone: "us-east-1a",
  description: "",
  macAddress: "02:00:00:00:00:01",
  interfaceType: "interface",
  status: "available",
  sourceDestCheck: true,
  groupIds: ["sg-1"],
  privateIps: [{ address: "10.0.0.5", primary: true }],
  ipv4Prefixes: [],
  ipv6Addresses: [],
  ipv6Prefixes: [],
  associatePublicIp: false,
  publicIps: [],
  ...over,
});

const now = new Date("2030-01-01T00:00:00.000Z");
const attachedAt = (id: string, device: number, card = 0, over: Partial<NetworkInterfaceRecord> = {}): NetworkInterfaceRecord =>
  attachedEni(eni(id, over), {
    attachmentId: `eni-attach-${id}`,
    instance: instance(),
    deviceIndex: device,
    networkCardIndex: card,
    now,
    delayMs: 0,
  });

const target = (attached: NetworkInterfaceRecord[], limits = T3_MEDIUM, over: Partial<AttachTarget> = {}): AttachTarget => ({
  instance: instance(),
  attached,
  limits,
  nitro: true,
  ...over,
});

describe("checkAttach", () => {
  const primary = attachedAt("eni-p", 0);
  it("accepts a free slot on a running or stopped instance", () => {
    checkAttach(eni("eni-a"), target([primary]), 1, 0);
    checkAttach(eni("eni-a"), target([primary], T3_MEDIUM, { instance: instance({ state: "stopped" }) }), 1, 0);
  });
  it("refuses an ENI in use or requester-managed", () => {
    throwsEc2(
      () => checkAttach(eni("eni-a", { status: "in-use" }), target([primary]), 1, 0),
      "InvalidNetworkInterface.InUse",
      "Interface: [eni-a] in use.",
    );
    throwsEc2(
      () => checkAttach(eni("eni-a", { requesterManaged: true }), target([primary]), 1, 0),
      "OperationNotPermitted",
      /managed by an AWS service/,
    );
  });
  for (const state of ["pending", "stopping", "shutting-down", "terminated"] as const) {
    it(`refuses a ${state} instance`, () =>
      throwsEc2(
        () => checkAttach(eni("eni-a"), target([primary], T3_MEDIUM, { instance: instance({ state }) }), 1, 0),
        "IncorrectInstanceState",
        "The instance 'i-0123456789abcdef0' is not in a valid state for this operation.",
      ));
  }
  it("refuses another AZ, then another VPC", () => {
    throwsEc2(
      () => checkAttach(eni("eni-a", { availabilityZone: "us-east-1b" }), target([primary]), 1, 0),
      "InvalidParameterCombination",
      /same availability zone/,
    );
    throwsEc2(() => checkAttach(eni("eni-a", { vpcId: "vpc-2" }), target([primary]), 1, 0), "InvalidParameterCombination", /same VPC/);
  });
  it("counts before slots: the 4th ENI of a t3.medium is AttachmentLimitExceeded", () => {
    const full = [primary, attachedAt("eni-b", 1), attachedAt("eni-c", 2)];
    throwsEc2(
      () => checkAttach(eni("eni-a"), target(full), 1, 0),
      "AttachmentLimitExceeded",
      "Interface count 4 exceeds the limit for t3.medium",
    );
  });
  it("checks the card index, the device index against the card and the occupied slot", () => {
    throwsEc2(
      () => checkAttach(eni("eni-a"), target([primary]), 1, 1),
      "InvalidParameterValue",
      "Network card index 1 is not valid for instance type t3.medium.",
    );
    throwsEc2(
      () => checkAttach(eni("eni-a"), target([primary], TWO_CARDS), 2, 1),
      "InvalidParameterValue",
      /device index exceeds .* network card index 1\. The maximum devices for this network card is 2\./,
    );
    throwsEc2(
      () => checkAttach(eni("eni-a"), target([primary, attachedAt("eni-b", 1)]), 1, 0),
      "InvalidParameterValue",
      "Instance 'i-0123456789abcdef0' already has an interface attached at device index '1'.",
    );
  });
  it("a slot is (card, device): device 0 of card 1 is free when card 0 device 0 is taken", () => {
    checkAttach(eni("eni-a"), target([primary], TWO_CARDS), 0, 1);
    throwsEc2(
      () => checkAttach(eni("eni-a"), target([primary, attachedAt("eni-b", 0, 1)], TWO_CARDS), 0, 1),
      "InvalidParameterValue",
      "Instance 'i-0123456789abcdef0' already has an interface attached at device index '0'.",
    );
  });
  it("enforces EFA support, one EFA per card and the EFA maximum", () => {
    throwsEc2(
      () => checkAttach(eni("eni-a", { interfaceType: "efa" }), target([primary]), 1, 0),
      "InvalidParameterCombination",
      "t3.medium instances do not support Elastic Fabric Adapters.",
    );
    const efa0 = attachedAt("eni-e", 1, 0, { interfaceType: "efa" });
    const roomy: TypeLimits = {
      ...TWO_CARDS,
      maxInterfaces: 5,
      cards: [
        { index: 0, maxInterfaces: 3 },
        { index: 1, maxInterfaces: 2 },
      ],
    };
    throwsEc2(
      () => checkAttach(eni("eni-a", { interfaceType: "efa-only", privateIps: [] }), target([primary, efa0], roomy), 2, 0),
      "InvalidParameterCombination",
      "Network card index 0 of p4d.24xlarge already has an Elastic Fabric Adapter attached.",
    );
    throwsEc2(
      () => checkAttach(eni("eni-a", { interfaceType: "efa" }), target([primary, efa0], { ...roomy, maxEfaInterfaces: 1 }), 0, 1),
      "InvalidParameterCombination",
      "The number of Elastic Fabric Adapters exceeds the limit for p4d.24xlarge.",
    );
    checkAttach(eni("eni-a", { interfaceType: "efa" }), target([primary, efa0], roomy), 0, 1);
  });
  it("enforces the per-interface address limits, IPv6 support and Nitro for prefixes", () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ address: `10.0.0.${10 + i}`, primary: i === 0 }));
    throwsEc2(
      () => checkAttach(eni("eni-a", { privateIps: many }), target([primary]), 1, 0),
      "InvalidInterface.IpAddressLimitExceeded",
      /exceeds the limit/,
    );
    const v6 = [{ address: "2600::1", isPrimaryIpv6: false }];
    throwsEc2(
      () => checkAttach(eni("eni-a", { ipv6Addresses: v6 }), target([primary], { ...T3_MEDIUM, ipv6Supported: false }), 1, 0),
      "InvalidParameterCombination",
      "The instance type t3.medium does not support IPv6.",
    );
    throwsEc2(
      () => checkAttach(eni("eni-a", { ipv4Prefixes: ["10.0.0.16/28"] }), target([primary], T3_MEDIUM, { nitro: false }), 1, 0),
      "InvalidParameterCombination",
      /Nitro/,
    );
  });
});

describe("attach / detach transitions", () => {
  it("attaches with DeleteOnTermination=false and keeps IPs, MAC and groups", () => {
    const a = attachedAt("eni-a", 1);
    assert.equal(a.status, "in-use");
    assert.equal(a.attachment?.status, "attached");
    assert.equal(a.attachment.deleteOnTermination, false);
    assert.equal(a.macAddress, "02:00:00:00:00:01");
    assert.deepEqual(a.groupIds, ["sg-1"]);
  });
  it("with a delay: attaching until the clock passes it, then in-use", () => {
    const a = attachedEni(eni("eni-a"), {
      attachmentId: "eni-attach-1",
      instance: instance(),
      deviceIndex: 1,
      networkCardIndex: 0,
      now,
      delayMs: 1000,
    });
    assert.equal(settleEni(a, new Date(now.getTime() + 999)).status, "attaching");
    const s = settleEni(a, new Date(now.getTime() + 1000));
    assert.equal(s.status, "in-use");
    assert.equal(s.attachment?.status, "attached");
    assert.equal(s.settlesAt, undefined);
  });
  it("detaches to available without attachment; with a delay through detaching; Force skips it", () => {
    const a = attachedAt("eni-a", 1, 0, {
      publicIps: [{ privateIp: "10.0.0.5", publicIp: "3.3.3.3", ipOwnerId: "000000000000", allocationId: "eipalloc-1" }],
    });
    const d = detachEni(a, { now, delayMs: 0, force: false });
    assert.equal(d.status, "available");
    assert.equal(d.attachment, undefined);
    assert.equal(d.publicIps.length, 1, "EIP association stays");
    const slow = detachEni(a, { now, delayMs: 500, force: false });
    assert.equal(slow.status, "detaching");
    assert.equal(slow.attachment?.status, "detaching");
    assert.equal(settleEni(slow, new Date(now.getTime() + 500)).status, "available");
    assert.equal(detachEni(a, { now, delayMs: 500, force: true }).status, "available");
  });
  it("refuses the primary slot and requester-managed attachments", () => {
    throwsEc2(
      () => detachEni(attachedAt("eni-p", 0), { now, delayMs: 0, force: true }),
      "OperationNotPermitted",
      "The network interface at device index 0 and networkCard index 0 cannot be detached.",
    );
    throwsEc2(
      () => detachEni(attachedAt("eni-m", 1, 0, { requesterManaged: true }), { now, delayMs: 0, force: false }),
      "OperationNotPermitted",
      "You are not allowed to manage 'ela-attach' attachments.",
    );
  });
  it("recognises ela-attach ids", () => {
    assert.equal(isElaAttachmentId("ela-attach-e44a54d4"), true);
    assert.equal(isElaAttachmentId("ela-attach-0123456789abcdef0"), true);
    assert.equal(isElaAttachmentId("eni-attach-0123456789abcdef0"), false);
  });
});
