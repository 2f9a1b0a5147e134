/**
 * Images (issue 15): generic images for unknown AMI ids (and --strict-images), `--images FILE`, RegisterImage,
 * CreateImage, CopyImage, DeregisterImage, image attributes and sharing, launching a registered image.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  ResetImageAttributeCommand,
  RunInstancesCommand,
  type EC2Client,
  type RegisterImageCommandInput,
} from "@aws-sdk/client-ec2";
import { startLocalVpc } from "../../src/index.js";
import { expectError, expectErrorNoChange, useHarness } from "./harness.js";

const AL2023_X86 = "ami-0a1b2c3d4e5f60001";
const UNKNOWN = "ami-0123456789abcdef0";
/** A snapshot of the client's account to register images from (RegisterImage needs snapshots that exist). */
const snapshotOf = async (c: EC2Client): Promise<string> => {
  const vol = await c.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 20 }));
  return (await c.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId! }))).SnapshotId!;
};
/** The snapshot `register` names by default: set before each test of a block that registers images. */
let snap = "";
const register = (name: string, extra: Partial<RegisterImageCommandInput> = {}): RegisterImageCommand =>
  new RegisterImageCommand({
    Name: name,
    Architecture: "x86_64",
    VirtualizationType: "hvm",
    RootDeviceName: "/dev/xvda",
    BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: snap, VolumeSize: 20 } }],
    ...extra,
  });

describe("images: generic and strict", () => {
  const h = useHarness();

  it("an unknown well-formed AMI id launches as a generic x86_64 image and describes as one", async () => {
    const r = await h.ec2.send(new RunInstancesCommand({ ImageId: UNKNOWN, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    const i = r.Instances![0]!;
    assert.equal(i.ImageId, UNKNOWN);
    assert.equal(i.Architecture, "x86_64");
    assert.equal(i.RootDeviceName, "/dev/xvda");
    const { Images } = await h.ec2.send(new DescribeImagesCommand({ ImageIds: [UNKNOWN] }));
    assert.equal(Images?.length, 1);
    assert.equal(Images[0]!.Architecture, "x86_64");
    assert.equal(Images[0]!.ImageOwnerAlias, "amazon");
    // Not listed when nobody asks for it by id.
    assert.ok(!((await h.ec2.send(new DescribeImagesCommand({}))).Images ?? []).some((x) => x.ImageId === UNKNOWN));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new RunInstancesCommand({ ImageId: UNKNOWN, MinCount: 1, MaxCount: 1, InstanceType: "t4g.micro" })),
      "InvalidParameterValue",
      /architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'/,
    );
  });
});

describe("images: --strict-images", () => {
  const h = useHarness({ strictImages: true });
  it("answers InvalidAMIID.NotFound for an unknown id", async () => {
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new RunInstancesCommand({ ImageId: UNKNOWN, MinCount: 1, MaxCount: 1 })),
      "InvalidAMIID.NotFound",
      `The image id '[${UNKNOWN}]' does not exist`,
    );
    await expectError(
      h.ec2.send(new DescribeImagesCommand({ ImageIds: [UNKNOWN] })),
      "InvalidAMIID.NotFound",
      `The image id '[${UNKNOWN}]' does not exist`,
    );
  });
});

describe("images: --images FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "localvpc-images-"));
  const file = join(dir, "images.json");
  writeFileSync(
    file,
    JSON.stringify({
      Images: [
        {
          ImageId: "ami-0fedcba9876543210",
          Name: "debian-12-arm64-20240717-1811",
          OwnerId: "136693071363",
          Architecture: "arm64",
          CreationDate: "2024-07-17T18:11:00.000Z",
          RootDeviceName: "/dev/xvda",
          BlockDeviceMappings: [
            { DeviceName: "/dev/xvda", Ebs: { SnapshotId: "snap-0aaaabbbbccccdddd", VolumeSize: 12, VolumeType: "gp2" } },
          ],
          VirtualizationType: "hvm",
          SomeFutureField: { ignored: true },
        },
      ],
    }),
  );
  const h = useHarness({ imagesFile: file, strictImages: true });

  it("describes and launches the file's images as they are", async () => {
    const { Images } = await h.ec2.send(new DescribeImagesCommand({ Owners: ["136693071363"] }));
    assert.equal(Images?.length, 1);
    assert.equal(Images[0]!.Name, "debian-12-arm64-20240717-1811");
    assert.equal(Images[0]!.BlockDeviceMappings![0]!.Ebs!.VolumeSize, 12);
    const r = await h.ec2.send(
      new RunInstancesCommand({ ImageId: "ami-0fedcba9876543210", InstanceType: "t4g.small", MinCount: 1, MaxCount: 1 }),
    );
    assert.equal(r.Instances![0]!.Architecture, "arm64");
  });

  it("a bad file stops the start with a message naming the entry", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ Images: [{ ImageId: "ami-0fedcba9876543210", Architecture: "sparc" }] }));
    await assert.rejects(
      startLocalVpc({ port: 0, imagesFile: bad }),
      /--images .*bad\.json: Images\[0\]\.Architecture: 'sparc' is not one of/,
    );
    writeFileSync(bad, "{ nope");
    await assert.rejects(startLocalVpc({ port: 0, imagesFile: bad }), /cannot read it as JSON/);
    writeFileSync(bad, JSON.stringify([{ ImageId: "x" }]));
    await assert.rejects(startLocalVpc({ port: 0, imagesFile: bad }), /expected the output of 'aws ec2 describe-images --output json'/);
  });
});

describe("images: registered, created, copied, shared", () => {
  const h = useHarness();
  beforeEach(async () => {
    snap = await snapshotOf(h.ec2);
  });

  it("RegisterImage, DescribeImages Owners=self, launch from it, DeregisterImage", async () => {
    const { ImageId } = await h.ec2.send(
      register("my-app (v1)", { Description: "app", TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "v", Value: "1" }] }] }),
    );
    assert.match(ImageId!, /^ami-[0-9a-f]{17}$/);
    const { Images } = await h.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }));
    assert.deepEqual(
      Images!.map((i) => [i.ImageId, i.Name, i.OwnerId, i.Public, i.Architecture, i.RootDeviceName, i.Tags]),
      [[ImageId, "my-app (v1)", "000000000000", false, "x86_64", "/dev/xvda", [{ Key: "v", Value: "1" }]]],
    );
    const byTag = await h.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "tag:v", Values: ["1"] }] }));
    assert.deepEqual(
      byTag.Images!.map((i) => i.ImageId),
      [ImageId],
    );
    const r = await h.ec2.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    assert.equal(r.Instances![0]!.ImageId, ImageId);
    assert.equal((await h.ec2.send(new DeregisterImageCommand({ ImageId }))).Return, true);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeregisterImageCommand({ ImageId: ImageId! })),
      "InvalidAMIID.NotFound",
      `The image id '[${ImageId}]' does not exist`,
    );
  });

  it("RegisterImage rules: name form, duplicate name, root device mapping", async () => {
    const { ImageId } = await h.ec2.send(register("taken"));
    const malformed =
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'";
    await expectErrorNoChange(h, () => h.ec2.send(register("ab")), "InvalidAMIName.Malformed", malformed);
    await expectErrorNoChange(h, () => h.ec2.send(register("bad,name")), "InvalidAMIName.Malformed", malformed);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(register("taken")),
      "InvalidAMIName.Duplicate",
      `AMI name taken is already in use by AMI ${ImageId}`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(register("no-root", { BlockDeviceMappings: [{ DeviceName: "/dev/sdb", Ebs: { VolumeSize: 10 } }] })),
      "InvalidBlockDeviceMapping",
      "The root device name '/dev/xvda' must have a block device mapping with an EBS snapshot.",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(register("no-root-name", { RootDeviceName: undefined })),
      "MissingParameter",
      "The request must contain the parameter RootDeviceName",
    );
    // Another account may use the same name.
    const other = h.client("111122223333");
    const theirs = await snapshotOf(other);
    await other.send(register("taken", { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: theirs } }] }));
    other.destroy();
    // A snapshot the caller does not have (here: another account's) is not found.
    await expectErrorNoChange(
      h,
      () => h.ec2.send(register("not-mine", { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: theirs } }] })),
      "InvalidSnapshot.NotFound",
      `The snapshot '${theirs}' does not exist.`,
    );
  });

  it("CreateImage from an instance, CopyImage into the caller's Region", async () => {
    const r = await h.ec2.send(
      new RunInstancesCommand({ ImageId: "ami-0a1b2c3d4e5f60002", InstanceType: "t4g.micro", MinCount: 1, MaxCount: 1 }),
    );
    const instanceId = r.Instances![0]!.InstanceId!;
    const created = await h.ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: "golden", NoReboot: true }));
    const { Images } = await h.ec2.send(new DescribeImagesCommand({ ImageIds: [created.ImageId!] }));
    const img = Images![0]!;
    assert.equal(img.Architecture, "arm64");
    assert.equal(img.SourceInstanceId, instanceId);
    assert.match(img.BlockDeviceMappings![0]!.Ebs!.SnapshotId!, /^snap-[0-9a-f]{17}$/);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: "golden" })),
      "InvalidAMIName.Duplicate",
      `AMI name golden is already in use by AMI ${created.ImageId}`,
    );
    const west = h.client("test", "us-west-2");
    const copy = await west.send(new CopyImageCommand({ SourceImageId: created.ImageId!, SourceRegion: "us-east-1", Name: "golden" }));
    const copied = (await west.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId!] }))).Images![0]!;
    assert.equal(copied.SourceImageId, created.ImageId);
    assert.equal(copied.SourceImageRegion, "us-east-1");
    assert.equal(copied.Architecture, "arm64");
    await west.send(new RunInstancesCommand({ ImageId: copy.ImageId!, InstanceType: "t4g.micro", MinCount: 1, MaxCount: 1 }));
    // A catalogue image copies too.
    await west.send(new CopyImageCommand({ SourceImageId: AL2023_X86, SourceRegion: "us-east-1", Name: "al2023-copy" }));
    west.destroy();
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CopyImageCommand({ SourceImageId: "ami-0000000000000000a", SourceRegion: "us-east-1", Name: "x-copy" })),
      "InvalidAMIID.NotFound",
      "The image id '[ami-0000000000000000a]' does not exist",
    );
  });

  it("images hold their snapshots: CreateImage and CopyImage store them, DeleteSnapshot is refused until deregistered", async () => {
    await h.ec2.send(register("holds"));
    const held = snap;
    const r = await h.ec2.send(new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
    const instanceId = r.Instances![0]!.InstanceId!;
    const created = await h.ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: "baked" }));
    const img = (await h.ec2.send(new DescribeImagesCommand({ ImageIds: [created.ImageId!] }))).Images![0]!;
    const snapId = img.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const [s] = (await h.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapId] }))).Snapshots!;
    assert.equal(s!.Description, `Created by CreateImage(${instanceId}) for ${created.ImageId}`);
    assert.equal(s!.VolumeId, r.Instances![0]!.BlockDeviceMappings![0]!.Ebs!.VolumeId);
    for (const [id, ami] of [
      [snapId, created.ImageId!],
      [held, (await h.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["holds"] }] }))).Images![0]!.ImageId!],
    ] as const) {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSnapshotCommand({ SnapshotId: id })),
        "InvalidSnapshot.InUse",
        `The snapshot ${id} is currently in use by ${ami}`,
      );
    }
    const west = h.client("test", "us-west-2");
    const copy = await west.send(new CopyImageCommand({ SourceImageId: created.ImageId!, SourceRegion: "us-east-1", Name: "baked" }));
    const copiedSnap = (await west.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId!] }))).Images![0]!.BlockDeviceMappings![0]!.Ebs!
      .SnapshotId!;
    const [cs] = (await west.send(new DescribeSnapshotsCommand({ SnapshotIds: [copiedSnap] }))).Snapshots!;
    assert.equal(
      cs!.Description,
      `Copied for DestinationAmi ${copy.ImageId} from SourceAmi ${created.ImageId} for SourceSnapshot ${snapId}`,
    );
    assert.equal(cs!.VolumeId, "vol-ffffffff");
    west.destroy();
    await h.ec2.send(new DeregisterImageCommand({ ImageId: created.ImageId! }));
    await h.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapId }));
  });

  it("launch permissions: share with an account, make public, reset; description", async () => {
    const { ImageId } = await h.ec2.send(register("shared"));
    const other = h.client("111122223333");
    // Not shared yet: another account's real image id is not found (never a generic image).
    await expectError(
      other.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" })),
      "InvalidAMIID.NotFound",
      `The image id '[${ImageId}]' does not exist`,
    );
    assert.deepEqual((await other.send(new DescribeImagesCommand({ Owners: ["000000000000"] }))).Images ?? [], []);
    await h.ec2.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ UserId: "111122223333" }] } }));
    assert.deepEqual((await h.ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: "launchPermission" }))).LaunchPermissions, [
      { UserId: "111122223333" },
    ]);
    assert.equal((await other.send(new DescribeImagesCommand({ Owners: ["000000000000"] }))).Images?.length, 1);
    await other.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
    await h.ec2.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ Group: "all" }] } }));
    assert.equal((await h.ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.Public, true);
    await h.ec2.send(new ResetImageAttributeCommand({ ImageId, Attribute: "launchPermission" }));
    assert.deepEqual(
      (await h.ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: "launchPermission" }))).LaunchPermissions ?? [],
      [],
    );
    await h.ec2.send(new ModifyImageAttributeCommand({ ImageId, Description: { Value: "new text" } }));
    assert.equal(
      (await h.ec2.send(new DescribeImageAttributeCommand({ ImageId, Attribute: "description" }))).Description?.Value,
      "new text",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ UserId: "123" }] } })),
      "InvalidAMIAttributeItemValue",
      'Invalid attribute item value "123" for userId item type.',
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ModifyImageAttributeCommand({ ImageId: AL2023_X86, Description: { Value: "mine now" } })),
      "AuthFailure",
      `Not authorized for image:${AL2023_X86}`,
      403,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeregisterImageCommand({ ImageId: AL2023_X86 })),
      "AuthFailure",
      `Not authorized for image:${AL2023_X86}`,
      403,
    );
    other.destroy();
  });
});
