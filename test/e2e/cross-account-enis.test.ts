/**
 * ENI permissions across accounts (spec §2 group B): account A owns an ENI; account B may attach it to its
 * instance only with A's INSTANCE-ATTACH grant, and map its own Elastic IP to it only with an EIP-ASSOCIATE grant.
 * Without the grant, B gets AWS's NotFound and neither account's state changes. Both sides see the attachment; either
 * side may detach; B's terminate detaches it; the EIP mapping is kept consistent in both accounts.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateNetworkInterfacePermissionCommand,
  DeleteNetworkInterfaceCommand,
  DeleteNetworkInterfacePermissionCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DetachNetworkInterfaceCommand,
  DisassociateAddressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { expectError, useHarness, type Harness } from "./harness.js";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const AMI = "ami-0a1b2c3d4e5f60001";

const defaultSubnet = async (c: EC2Client, zone: string): Promise<string> => {
  const { Subnets } = await c.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: "default-for-az", Values: ["true"] },
        { Name: "availability-zone", Values: [zone] },
      ],
    }),
  );
  return Subnets![0]!.SubnetId!;
};

/** Expects the error and that neither account's stored state changed. */
const expectErrorNoChangeIn = async (
  h: Harness,
  call: () => Promise<unknown>,
  code: string,
  message: string,
  accounts: readonly string[] = [A, B],
): Promise<void> => {
  const before = await Promise.all(accounts.map((a) => h.state(a)));
  await expectError(call(), code, message);
  assert.deepEqual(await Promise.all(accounts.map((a) => h.state(a))), before, "state changed after a failed call");
};

describe("ENIs across accounts", () => {
  const h = useHarness();
  let a: EC2Client;
  let b: EC2Client;
  let eni: string;
  let instance: string;

  const grant = async (Permission: "INSTANCE-ATTACH" | "EIP-ASSOCIATE", AwsAccountId = B): Promise<string> =>
    (await a.send(new CreateNetworkInterfacePermissionCommand({ NetworkInterfaceId: eni, AwsAccountId, Permission }))).InterfacePermission!
      .NetworkInterfacePermissionId!;
  const attach = (DeviceIndex = 1, InstanceId = instance) =>
    b.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId, DeviceIndex }));
  const eniOfA = async () => (await a.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!;
  const instanceOfB = async (id = instance) =>
    (await b.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
  const launch = async (zone: string, InstanceType: "t3.micro" | "t3.medium" = "t3.medium") =>
    (
      await b.send(
        new RunInstancesCommand({ ImageId: AMI, InstanceType, MinCount: 1, MaxCount: 1, SubnetId: await defaultSubnet(b, zone) }),
      )
    ).Instances![0]!.InstanceId!;

  beforeEach(async () => {
    a = h.client(A);
    b = h.client(B);
    const created = await a.send(
      new CreateNetworkInterfaceCommand({ SubnetId: await defaultSubnet(a, "us-east-1a"), Description: "shared" }),
    );
    eni = created.NetworkInterface!.NetworkInterfaceId!;
    instance = await launch("us-east-1a");
  });

  it("without an INSTANCE-ATTACH grant to the caller, the ENI does not exist for it", async () => {
    const notFound = `The networkInterface ID '${eni}' does not exist`;
    await expectErrorNoChangeIn(h, () => attach(), "InvalidNetworkInterfaceID.NotFound", notFound);
    // A grant of the other permission, or to another account, does not let B attach.
    await grant("EIP-ASSOCIATE");
    await grant("INSTANCE-ATTACH", C);
    await expectErrorNoChangeIn(h, () => attach(), "InvalidNetworkInterfaceID.NotFound", notFound);
  });

  it("with the grant, B attaches A's ENI; both accounts see the attachment; B detaches it", async () => {
    await grant("INSTANCE-ATTACH");
    const { AttachmentId } = await attach();
    assert.match(AttachmentId!, /^eni-attach-[0-9a-f]{17}$/);
    const seenByA = await eniOfA();
    assert.equal(seenByA.Status, "in-use");
    assert.equal(seenByA.OwnerId, A);
    assert.deepEqual(
      { id: seenByA.Attachment?.AttachmentId, instance: seenByA.Attachment?.InstanceId, owner: seenByA.Attachment?.InstanceOwnerId },
      { id: AttachmentId, instance, owner: B },
    );
    assert.equal(seenByA.Attachment?.DeleteOnTermination, false);
    const seenByB = await instanceOfB();
    const foreign = seenByB.NetworkInterfaces!.find((n) => n.NetworkInterfaceId === eni);
    assert.ok(foreign, "B's instance lists A's ENI");
    assert.equal(foreign.OwnerId, A);
    assert.equal(foreign.Attachment?.DeviceIndex, 1);
    assert.deepEqual(
      foreign.Groups?.map((g) => g.GroupName),
      ["default"],
      "the ENI's groups are A's, shown by name",
    );
    // Attaching it again is refused as for any ENI in use.
    const other = await launch("us-east-1a");
    await expectErrorNoChangeIn(h, () => attach(1, other), "InvalidNetworkInterface.InUse", `Interface: [${eni}] in use.`);

    await b.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    const after = await eniOfA();
    assert.equal(after.Status, "available");
    assert.equal(after.Attachment, undefined);
    assert.equal((await instanceOfB()).NetworkInterfaces!.length, 1);
    assert.equal((await h.state(B)).resources.filter((r) => r.kind === "eni-attachment-link").length, 0, "the link is gone");
    // The ENI can now go to B's other instance.
    await attach(1, other);
    assert.equal((await eniOfA()).Attachment?.InstanceId, other);
  });

  it("the owner may detach too; the permission can be deleted while attached only with Force", async () => {
    const permissionId = await grant("INSTANCE-ATTACH");
    const { AttachmentId } = await attach();
    await expectErrorNoChangeIn(
      h,
      () => a.send(new DeleteNetworkInterfacePermissionCommand({ NetworkInterfacePermissionId: permissionId })),
      "InvalidParameterValue",
      `The network interface permission '${permissionId}' cannot be deleted while account ${B} has the network interface attached. Use Force to delete it.`,
    );
    await a.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    assert.equal((await eniOfA()).Status, "available");
    assert.equal((await instanceOfB()).NetworkInterfaces!.length, 1);
    await expectErrorNoChangeIn(
      h,
      () => b.send(new DetachNetworkInterfaceCommand({ AttachmentId })),
      "InvalidAttachmentID.NotFound",
      `The network interface attachment ID '${AttachmentId!}' does not exist`,
    );
    await attach();
    const del = await a.send(new DeleteNetworkInterfacePermissionCommand({ NetworkInterfacePermissionId: permissionId, Force: true }));
    assert.equal(del.Return, true);
  });

  it("the Availability Zone must match; the ENI counts toward the instance type's interface limit", async () => {
    await grant("INSTANCE-ATTACH");
    const elsewhere = await launch("us-east-1b");
    await expectErrorNoChangeIn(
      h,
      () => attach(1, elsewhere),
      "InvalidParameterCombination",
      "You may not attach a network interface to an instance if they are not in the same availability zone",
    );
    // t3.micro takes 2 interfaces: the primary and A's ENI; B's own third one is over the limit.
    const micro = await launch("us-east-1a", "t3.micro");
    await attach(1, micro);
    const own = await b.send(new CreateNetworkInterfaceCommand({ SubnetId: await defaultSubnet(b, "us-east-1a") }));
    await expectErrorNoChangeIn(
      h,
      () =>
        b.send(
          new AttachNetworkInterfaceCommand({
            NetworkInterfaceId: own.NetworkInterface!.NetworkInterfaceId!,
            InstanceId: micro,
            DeviceIndex: 2,
          }),
        ),
      "AttachmentLimitExceeded",
      "Interface count 3 exceeds the limit for t3.micro",
    );
  });

  it("terminating B's instance detaches A's ENI, which stays A's", async () => {
    await grant("INSTANCE-ATTACH");
    await attach();
    await b.send(new TerminateInstancesCommand({ InstanceIds: [instance] }));
    const after = await eniOfA();
    assert.equal(after.Status, "available");
    assert.equal(after.Attachment, undefined);
    assert.equal((await h.state(B)).resources.filter((r) => r.kind === "eni-attachment-link").length, 0);
  });

  it("EIP-ASSOCIATE lets B map its Elastic IP to A's ENI; both accounts see it; deleting the ENI disassociates it", async () => {
    const { AllocationId, PublicIp } = await b.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const associate = () => b.send(new AssociateAddressCommand({ AllocationId, NetworkInterfaceId: eni }));
    await expectErrorNoChangeIn(h, associate, "InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${eni}' does not exist`);
    await grant("INSTANCE-ATTACH");
    await expectErrorNoChangeIn(h, associate, "InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${eni}' does not exist`);
    await grant("EIP-ASSOCIATE");
    const { AssociationId } = await associate();
    assert.match(AssociationId!, /^eipassoc-[0-9a-f]{17}$/);
    const seenByA = await eniOfA();
    assert.equal(seenByA.Association?.PublicIp, PublicIp);
    assert.equal(seenByA.Association?.IpOwnerId, B);
    assert.equal(seenByA.Association.AllocationId, AllocationId);
    const address = async () => (await b.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0]!;
    const seenByB = await address();
    assert.deepEqual(
      { eni: seenByB.NetworkInterfaceId, owner: seenByB.NetworkInterfaceOwnerId, ip: seenByB.PrivateIpAddress },
      { eni, owner: A, ip: seenByA.PrivateIpAddress },
    );

    await b.send(new DisassociateAddressCommand({ AssociationId }));
    assert.equal((await eniOfA()).Association, undefined);
    assert.equal((await address()).AssociationId, undefined);

    await associate();
    await a.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    const released = await address();
    assert.equal(released.AssociationId, undefined);
    assert.equal(released.NetworkInterfaceId, undefined);
  });
});
