/**
 * AttachNetworkInterface / DetachNetworkInterface end to end (spec §2 group B, §4.6–4.7): hot and warm attach, moving a
 * secondary ENI between instances, every attach rule (code, exact message, state unchanged), detach errors, Force,
 * and the attaching/detaching states with a transition delay and the admin clock. Free ENIs are made by launching
 * an instance with a secondary interface and detaching it, so these tests do not depend on CreateNetworkInterface.
 */
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AttachNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DetachNetworkInterfaceCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
  type InstanceNetworkInterface,
  type InstanceNetworkInterfaceSpecification,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { expectError, expectErrorNoChange, startHarness, type Harness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

interface StoredEni {
  kind: string;
  id: string;
  status: string;
  attachment?: { attachmentId: string; status: string; deleteOnTermination: boolean };
}

const fixtures = (getH: () => Harness) => {
  const subnetIn = async (zone: string): Promise<string> => {
    const { Subnets } = await getH().ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "default-for-az", Values: ["true"] },
          { Name: "availability-zone", Values: [zone] },
        ],
      }),
    );
    return Subnets![0]!.SubnetId!;
  };
  const launch = async (
    type: _InstanceType,
    subnetId: string,
    extra: Partial<InstanceNetworkInterfaceSpecification>[] = [],
  ): Promise<Instance> => {
    const NetworkInterfaces = [
      { DeviceIndex: 0, SubnetId: subnetId },
      ...extra.map((x, i) => ({ DeviceIndex: i + 1, SubnetId: subnetId, ...x })),
    ];
    const r = await getH().ec2.send(
      new RunInstancesCommand({ ImageId: AMI, InstanceType: type, MinCount: 1, MaxCount: 1, NetworkInterfaces }),
    );
    return r.Instances![0]!;
  };
  const describeOne = async (id: string): Promise<Instance> =>
    (await getH().ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
  const eniAt = async (instanceId: string, device: number, card = 0): Promise<InstanceNetworkInterface | undefined> =>
    (await describeOne(instanceId)).NetworkInterfaces!.find(
      (n) => n.Attachment?.DeviceIndex === device && (n.Attachment.NetworkCardIndex ?? 0) === card,
    );
  /** An `available` ENI in `subnetId`: launched as a secondary interface of a throwaway instance, then detached. */
  const freeEni = async (
    subnetId: string,
    spec: Partial<InstanceNetworkInterfaceSpecification> = {},
    type: _InstanceType = "t3.medium",
  ): Promise<string> => {
    const i = await launch(type, subnetId, [spec]);
    const n = i.NetworkInterfaces!.find((x) => x.Attachment?.DeviceIndex === 1)!;
    await getH().ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: n.Attachment!.AttachmentId! }));
    return n.NetworkInterfaceId!;
  };
  const attach = (eni: string, instance: string, device: number, card?: number) =>
    getH().ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: instance, DeviceIndex: device, NetworkCardIndex: card }),
    );
  const storedEni = async (id: string): Promise<StoredEni> =>
    ((await getH().state()) as unknown as { resources: StoredEni[] }).resources.find((r) => r.id === id)!;
  return { subnetIn, launch, describeOne, eniAt, freeEni, attach, storedEni };
};

describe("eni attachments", () => {
  let h: Harness;
  const f = fixtures(() => h);
  let subA: string;
  let subB: string;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());
  beforeEach(async () => {
    await h.vpc.reset();
    subA = await f.subnetIn("us-east-1a");
    subB = await f.subnetIn("us-east-1b");
  });

  it("hot-attaches to a running instance: in-use, DeleteOnTermination=false, eni-attach id, no public IP", async () => {
    const eni = await f.freeEni(subA);
    const i = await f.launch("t3.medium", subA);
    const r = await f.attach(eni, i.InstanceId!, 1);
    assert.match(r.AttachmentId!, /^eni-attach-[0-9a-f]{17}$/);
    assert.equal(r.NetworkCardIndex, 0);
    const n = (await f.eniAt(i.InstanceId!, 1))!;
    assert.equal(n.NetworkInterfaceId, eni);
    assert.equal(n.Status, "in-use");
    assert.equal(n.Attachment!.Status, "attached");
    assert.equal(n.Attachment!.AttachmentId, r.AttachmentId);
    assert.equal(n.Attachment!.DeleteOnTermination, false);
    assert.equal(n.Association, undefined, "a secondary ENI never gets an Amazon public IP");
  });

  it("warm-attaches to a stopped instance", async () => {
    const eni = await f.freeEni(subA);
    const i = await f.launch("t3.medium", subA);
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await f.attach(eni, i.InstanceId!, 2);
    assert.equal((await f.eniAt(i.InstanceId!, 2))!.NetworkInterfaceId, eni);
  });

  it("moves a secondary ENI from instance A to B in the same AZ, keeping IPs, MAC and groups", async () => {
    const a = await f.launch("t3.medium", subA, [{ SecondaryPrivateIpAddressCount: 1 }]);
    const b = await f.launch("t3.medium", subA);
    const before = (await f.eniAt(a.InstanceId!, 1))!;
    await h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: before.Attachment!.AttachmentId! }));
    assert.equal(await f.eniAt(a.InstanceId!, 1), undefined);
    assert.equal((await f.storedEni(before.NetworkInterfaceId!)).status, "available");
    const r = await f.attach(before.NetworkInterfaceId!, b.InstanceId!, 1);
    const moved = (await f.eniAt(b.InstanceId!, 1))!;
    assert.notEqual(r.AttachmentId, before.Attachment!.AttachmentId);
    assert.equal(moved.MacAddress, before.MacAddress);
    assert.deepEqual(
      moved.PrivateIpAddresses!.map((p) => p.PrivateIpAddress),
      before.PrivateIpAddresses!.map((p) => p.PrivateIpAddress),
    );
    assert.deepEqual(moved.Groups, before.Groups);
    assert.equal(moved.Attachment!.DeleteOnTermination, false, "DOT resets to false on attach");
  });

  it("refuses an ENI that is in use", async () => {
    const a = await f.launch("t3.medium", subA, [{}]);
    const b = await f.launch("t3.medium", subA);
    const eni = (await f.eniAt(a.InstanceId!, 1))!.NetworkInterfaceId!;
    await expectErrorNoChange(h, () => f.attach(eni, b.InstanceId!, 1), "InvalidNetworkInterface.InUse", `Interface: [${eni}] in use.`);
  });

  it("refuses another AZ and another VPC", async () => {
    const eni = await f.freeEni(subB);
    const i = await f.launch("t3.medium", subA);
    await expectErrorNoChange(
      h,
      () => f.attach(eni, i.InstanceId!, 1),
      "InvalidParameterCombination",
      "You may not attach a network interface to an instance if they are not in the same availability zone",
    );
    const vpc = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }))).Vpc!;
    const other = (
      await h.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: "10.77.1.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!;
    const foreign = await f.freeEni(other.SubnetId!);
    await expectErrorNoChange(
      h,
      () => f.attach(foreign, i.InstanceId!, 1),
      "InvalidParameterCombination",
      "You may not attach a network interface to an instance if they are not in the same VPC",
    );
  });

  it("refuses a terminated instance (IncorrectInstanceState)", async () => {
    const eni = await f.freeEni(subA);
    const i = await f.launch("t3.medium", subA);
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    await expectErrorNoChange(
      h,
      () => f.attach(eni, i.InstanceId!, 1),
      "IncorrectInstanceState",
      `The instance '${i.InstanceId}' is not in a valid state for this operation.`,
    );
  });

  it("refuses an occupied slot", async () => {
    const i = await f.launch("t3.medium", subA, [{}]);
    const eni = await f.freeEni(subA);
    await expectErrorNoChange(
      h,
      () => f.attach(eni, i.InstanceId!, 1),
      "InvalidParameterValue",
      `Instance '${i.InstanceId}' already has an interface attached at device index '1'.`,
    );
  });

  it("AttachmentLimitExceeded on a t3.medium with 3 ENIs (primary + 2 attached)", async () => {
    const i = await f.launch("t3.medium", subA);
    await f.attach(await f.freeEni(subA), i.InstanceId!, 1);
    await f.attach(await f.freeEni(subA), i.InstanceId!, 2);
    const fourth = await f.freeEni(subA);
    await expectErrorNoChange(
      h,
      () => f.attach(fourth, i.InstanceId!, 3),
      "AttachmentLimitExceeded",
      "Interface count 4 exceeds the limit for t3.medium",
    );
  });

  it("checks card and device indexes against a multi-card type", async () => {
    const i = await f.launch("p4d.24xlarge", subA);
    const eni = await f.freeEni(subA);
    await expectErrorNoChange(
      h,
      () => f.attach(eni, i.InstanceId!, 15, 1),
      "InvalidParameterValue",
      "The specified number '15' for the device index exceeds the maximum number of network interfaces supported by the network card at network card index 1. The maximum devices for this network card is 15. Specify a number from 0 to 14, and try again.",
    );
    await expectErrorNoChange(
      h,
      () => f.attach(eni, i.InstanceId!, 1, 4),
      "InvalidParameterValue",
      "Network card index 4 is not valid for instance type p4d.24xlarge.",
    );
    // Device 0 of card 1 is a different slot from the primary's (card 0, device 0).
    const r = await f.attach(eni, i.InstanceId!, 0, 1);
    assert.equal(r.NetworkCardIndex, 1);
    assert.equal((await f.eniAt(i.InstanceId!, 0, 1))!.NetworkInterfaceId, eni);
  });

  it("refuses an EFA on t2.micro and an ENI with more IPs than the type allows", async () => {
    const efa = await f.freeEni(subA, { InterfaceType: "efa" }, "c5n.18xlarge");
    const small = await f.launch("t2.micro", subA);
    await expectErrorNoChange(
      h,
      () => f.attach(efa, small.InstanceId!, 1),
      "InvalidParameterCombination",
      "t2.micro instances do not support Elastic Fabric Adapters.",
    );
    const threeIps = await f.freeEni(subA, { SecondaryPrivateIpAddressCount: 2 });
    await expectErrorNoChange(
      h,
      () => f.attach(threeIps, small.InstanceId!, 1),
      "InvalidInterface.IpAddressLimitExceeded",
      "The number of private IP addresses for a specified network interface exceeds the limit for the type of instance you are trying to launch.",
    );
  });

  it("refuses unknown ENIs and instances with their NotFound / Malformed errors", async () => {
    const i = await f.launch("t3.medium", subA);
    await expectErrorNoChange(
      h,
      () => f.attach("eni-0123456789abcdef0", i.InstanceId!, 1),
      "InvalidNetworkInterfaceID.NotFound",
      "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => f.attach("eni-zz", i.InstanceId!, 1),
      "InvalidNetworkInterfaceId.Malformed",
      'Invalid id: "eni-zz" (expecting "eni-...")',
    );
    const eni = await f.freeEni(subA);
    await expectErrorNoChange(
      h,
      () => f.attach(eni, "i-0123456789abcdef0", 1),
      "InvalidInstanceID.NotFound",
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
  });

  it("another account's ENI is not visible: NotFound", async () => {
    const eni = await f.freeEni(subA);
    const other = h.client("111122223333");
    const { Subnets } = await other.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "default-for-az", Values: ["true"] },
          { Name: "availability-zone", Values: ["us-east-1a"] },
        ],
      }),
    );
    const r = await other.send(
      new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.medium", MinCount: 1, MaxCount: 1, SubnetId: Subnets![0]!.SubnetId! }),
    );
    await expectError(
      other.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: r.Instances![0]!.InstanceId!, DeviceIndex: 1 })),
      "InvalidNetworkInterfaceID.NotFound",
      `The networkInterface ID '${eni}' does not exist`,
    );
    other.destroy();
  });

  describe("DetachNetworkInterface", () => {
    const detach = (AttachmentId: string, Force?: boolean) => h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId, Force }));

    it("refuses the primary interface", async () => {
      const i = await f.launch("t3.medium", subA);
      const primary = (await f.eniAt(i.InstanceId!, 0))!;
      await expectErrorNoChange(
        h,
        () => detach(primary.Attachment!.AttachmentId!),
        "OperationNotPermitted",
        "The network interface at device index 0 and networkCard index 0 cannot be detached.",
      );
    });

    it("answers unknown, malformed and ela-attach ids", async () => {
      await expectErrorNoChange(
        h,
        () => detach("eni-attach-0123456789abcdef0"),
        "InvalidAttachmentID.NotFound",
        "The network interface attachment ID 'eni-attach-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => detach("eni-attach-xyz"),
        "InvalidNetworkInterfaceAttachmentId.Malformed",
        'Invalid id: "eni-attach-xyz" (expecting "eni-attach-...")',
      );
      await expectErrorNoChange(
        h,
        () => detach("ela-attach-e44a54d4", true),
        "OperationNotPermitted",
        "You are not allowed to manage 'ela-attach' attachments.",
      );
    });

    it("Force detaches; the old attachment id is then unknown; IPs, MAC and groups stay", async () => {
      const i = await f.launch("t3.medium", subA, [{}]);
      const n = (await f.eniAt(i.InstanceId!, 1))!;
      await detach(n.Attachment!.AttachmentId!, true);
      const stored = await f.storedEni(n.NetworkInterfaceId!);
      assert.equal(stored.status, "available");
      assert.equal(stored.attachment, undefined);
      await expectError(
        detach(n.Attachment!.AttachmentId!, true),
        "InvalidAttachmentID.NotFound",
        `The network interface attachment ID '${n.Attachment!.AttachmentId}' does not exist`,
      );
    });
  });
});

describe("eni attachments with transition delays and the admin clock", () => {
  let h: Harness;
  const f = fixtures(() => h);
  before(async () => {
    h = await startHarness({ delays: { eniAttachMs: 5000, eniDetachMs: 3000 } });
  });
  after(async () => h.close());

  const advance = async (body: unknown): Promise<{ status: number; json: { offsetMs?: number; now?: string; error?: string } }> => {
    const res = await fetch(`${h.vpc.url}/_localvpc/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { offsetMs?: number; now?: string; error?: string } };
  };

  it("POST /_localvpc/clock/advance moves the simulated clock and validates its body", async () => {
    const before = h.vpc.clock.offsetMs;
    const r = await advance({ ms: 10 });
    assert.equal(r.status, 200);
    assert.equal(r.json.offsetMs, before + 10);
    assert.ok(r.json.now && !Number.isNaN(Date.parse(r.json.now)));
    assert.equal((await advance({ ms: -1 })).status, 400);
    assert.equal((await advance({ seconds: 1 })).status, 400);
  });

  it("shows attaching until the delay has passed, then in-use; detaching, then available", async () => {
    await h.vpc.reset();
    const sub = await f.subnetIn("us-east-1a");
    const i = await f.launch("t3.medium", sub, [{}]);
    const secondary = (await f.eniAt(i.InstanceId!, 1))!;
    await h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: secondary.Attachment!.AttachmentId! }));
    assert.equal((await f.eniAt(i.InstanceId!, 1))!.Status, "detaching");
    assert.equal((await f.eniAt(i.InstanceId!, 1))!.Attachment!.Status, "detaching");
    assert.equal((await advance({ ms: 3000 })).status, 200);
    assert.equal(await f.eniAt(i.InstanceId!, 1), undefined);
    assert.equal((await f.storedEni(secondary.NetworkInterfaceId!)).status, "available");

    await f.attach(secondary.NetworkInterfaceId!, i.InstanceId!, 1);
    const attaching = (await f.eniAt(i.InstanceId!, 1))!;
    assert.equal(attaching.Status, "attaching");
    assert.equal(attaching.Attachment!.Status, "attaching");
    // The simulated clock is real time plus an offset, so leave the real milliseconds of the test some room.
    await advance({ ms: 4000 });
    assert.equal((await f.eniAt(i.InstanceId!, 1))!.Attachment!.Status, "attaching");
    await advance({ ms: 1000 });
    const done = (await f.eniAt(i.InstanceId!, 1))!;
    assert.equal(done.Status, "in-use");
    assert.equal(done.Attachment!.Status, "attached");
  });
});
