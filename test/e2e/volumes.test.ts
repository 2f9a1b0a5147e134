/**
 * EBS volumes and snapshots as stored records (issue 15), with the real SDK: create, attach, detach, delete, modify,
 * describe (filters, pagination, status, modifications), tags, snapshots, volumes at launch and DeleteOnTermination.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AttachNetworkInterfaceCommand,
  AttachVolumeCommand,
  CopySnapshotCommand,
  CreateNetworkInterfaceCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DescribeVolumeStatusCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type CreateVolumeCommandInput,
  type RunInstancesCommandInput,
  type Volume,
} from "@aws-sdk/client-ec2";
import { adminCall, expectErrorNoChange, startHarness, useHarness, type Harness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("volumes and snapshots", () => {
  const h = useHarness();

  const createVolume = async (extra: Partial<CreateVolumeCommandInput> = {}): Promise<Volume> =>
    h.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 10, ...extra }));
  const launch = async (extra: Partial<RunInstancesCommandInput> = {}): Promise<string> => {
    const r = await h.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: "us-east-1a" },
        ...extra,
      }),
    );
    return r.Instances![0]!.InstanceId!;
  };
  const volume = async (id: string): Promise<Volume> => (await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
  const instance = async (id: string) =>
    (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

  describe("CreateVolume", () => {
    it("creates an available gp2 volume with AWS's defaults, tags and a vol- id", async () => {
      const v = await createVolume({ TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "Name", Value: "data" }] }] });
      assert.match(v.VolumeId!, /^vol-[0-9a-f]{17}$/);
      assert.deepEqual([v.State, v.Size, v.VolumeType, v.Iops, v.Encrypted], ["creating", 10, "gp2", 100, false]);
      const d = await volume(v.VolumeId!);
      assert.deepEqual(
        [d.State, d.AvailabilityZone, d.Attachments, d.Tags],
        ["available", "us-east-1a", [], [{ Key: "Name", Value: "data" }]],
      );
    });

    it("gp3 defaults to 3000 IOPS and 125 MiB/s; io2 takes its IOPS", async () => {
      const gp3 = await createVolume({ VolumeType: "gp3" });
      assert.deepEqual([gp3.Iops, gp3.Throughput], [3000, 125]);
      const io2 = await createVolume({ VolumeType: "io2", Iops: 2000, Size: 100 });
      assert.deepEqual([io2.VolumeType, io2.Iops, io2.Throughput], ["io2", 2000, undefined]);
    });

    it("size, IOPS and throughput rules", async () => {
      const cases: [Partial<CreateVolumeCommandInput>, string, string][] = [
        [{ Size: undefined }, "MissingParameter", "The request must contain the parameter size or snapshotId"],
        [
          { VolumeType: "st1", Size: 100 },
          "InvalidParameterValue",
          "Volume of size 100GiB is below the minimum of 125GiB for volume type st1.",
        ],
        [
          { VolumeType: "gp2", Size: 20000 },
          "InvalidParameterValue",
          "Volume of size 20000GiB exceeds the maximum of 16384GiB for volume type gp2.",
        ],
        [{ VolumeType: "gp2", Iops: 300 }, "InvalidParameterCombination", "The parameter iops is not supported for gp2 volumes."],
        [{ VolumeType: "io1" }, "InvalidParameterCombination", "The parameter iops must be specified for io1 volumes."],
        [
          { VolumeType: "io1", Iops: 1000, Size: 10 },
          "InvalidParameterValue",
          "Iops to volume size ratio of 100.000000 is too high; maximum is 50.000000",
        ],
        [{ VolumeType: "gp3", Iops: 20000, Size: 100 }, "InvalidParameterValue", "Volume iops of 20000 is too high; maximum is 16000."],
        [{ VolumeType: "gp3", Throughput: 100 }, "InvalidParameterValue", "Volume throughput of 100 is too low; minimum is 125."],
        [
          { VolumeType: "gp3", Throughput: 1000, Size: 100 },
          "InvalidParameterValue",
          "Throughput (MiBps) to iops ratio of 0.333333 is too high; maximum is 0.250000 MiBps per iops.",
        ],
        [
          { VolumeType: "sc1", Size: 500, Throughput: 200 },
          "InvalidParameterCombination",
          "The parameter throughput is not supported for sc1 volumes.",
        ],
        [{ AvailabilityZone: "us-east-1z" }, "InvalidParameterValue", "Invalid availability zone: [us-east-1z]"],
        [
          { SnapshotId: "snap-0123456789abcdef0", Size: undefined },
          "InvalidSnapshot.NotFound",
          "The snapshot 'snap-0123456789abcdef0' does not exist.",
        ],
      ];
      for (const [extra, code, message] of cases) await expectErrorNoChange(h, () => createVolume(extra), code, message);
    });

    it("from a snapshot: takes its size, refuses a smaller one; the image's root snapshot works too", async () => {
      const v = await createVolume({ Size: 20 });
      const s = await h.ec2.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId! }));
      const from = await createVolume({ Size: undefined, SnapshotId: s.SnapshotId! });
      assert.deepEqual([from.Size, from.SnapshotId], [20, s.SnapshotId]);
      await expectErrorNoChange(
        h,
        () => createVolume({ Size: 10, SnapshotId: s.SnapshotId! }),
        "InvalidParameterValue",
        `Volume of size 10GB is smaller than snapshot '${s.SnapshotId}', expect size >= 20GB`,
      );
      const fromImage = await createVolume({ Size: undefined, SnapshotId: "snap-0a1b2c3d4e5f60001" });
      assert.equal(fromImage.Size, 8);
    });
  });

  describe("AttachVolume / DetachVolume / DeleteVolume", () => {
    it("attaches, detaches and deletes with the SDK; DescribeInstances shows the attachment", async () => {
      const id = await launch();
      const v = await createVolume();
      const a = await h.ec2.send(new AttachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: id, Device: "/dev/sdf" }));
      assert.deepEqual([a.State, a.Device, a.InstanceId], ["attaching", "/dev/sdf", id]);
      const attached = await volume(v.VolumeId!);
      assert.equal(attached.State, "in-use");
      assert.deepEqual(
        attached.Attachments!.map((x) => [x.InstanceId, x.Device, x.State, x.DeleteOnTermination]),
        [[id, "/dev/sdf", "attached", false]],
      );
      const devices = (await instance(id)).BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs?.Status]);
      assert.deepEqual(devices, [
        ["/dev/xvda", "attached"],
        ["/dev/sdf", "attached"],
      ]);
      const byInstance = await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [id] }] }));
      assert.equal(byInstance.Volumes!.length, 2);

      const d = await h.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId! }));
      assert.deepEqual([d.State, d.Device], ["detaching", "/dev/sdf"]);
      assert.deepEqual([(await volume(v.VolumeId!)).State, (await volume(v.VolumeId!)).Attachments], ["available", []]);
      await h.ec2.send(new DeleteVolumeCommand({ VolumeId: v.VolumeId! }));
      const gone = await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: [v.VolumeId!] }] }));
      assert.deepEqual(gone.Volumes, []);
    });

    it("attach rules: in use, zone, device name, device in use, instance state", async () => {
      const id = await launch();
      const v = await createVolume();
      await h.ec2.send(new AttachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: id, Device: "/dev/sdf" }));
      const other = await createVolume();
      const far = await createVolume({ AvailabilityZone: "us-east-1b" });
      const attach =
        (volumeId: string, device: string, instanceId = id) =>
        () =>
          h.ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device }));
      await expectErrorNoChange(h, attach(v.VolumeId!, "/dev/sdg"), "VolumeInUse", `${v.VolumeId} is already attached to an instance`);
      await expectErrorNoChange(
        h,
        attach(far.VolumeId!, "/dev/sdg"),
        "InvalidVolume.ZoneMismatch",
        `The volume '${far.VolumeId}' is not in the same availability zone as instance '${id}'`,
      );
      await expectErrorNoChange(
        h,
        attach(other.VolumeId!, "/dev/sdk1"),
        "InvalidParameterValue",
        "Value (/dev/sdk1) for parameter device is invalid. /dev/sdk1 is not a valid EBS device name.",
      );
      await expectErrorNoChange(
        h,
        attach(other.VolumeId!, "/dev/sdf"),
        "InvalidParameterValue",
        "Invalid value '/dev/sdf' for unixDevice. Attachment point /dev/sdf is already in use",
      );
      await expectErrorNoChange(
        h,
        attach(other.VolumeId!, "/dev/xvda"),
        "InvalidParameterValue",
        "Invalid value '/dev/xvda' for unixDevice. Attachment point /dev/xvda is already in use",
      );
      await expectErrorNoChange(
        h,
        attach("vol-0123456789abcdef0", "/dev/sdg"),
        "InvalidVolume.NotFound",
        "The volume 'vol-0123456789abcdef0' does not exist.",
      );
      await expectErrorNoChange(
        h,
        attach("volume-1", "/dev/sdg"),
        "InvalidVolumeID.Malformed",
        'Invalid id: "volume-1" (expecting "vol-...")',
      );
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      await expectErrorNoChange(
        h,
        attach(other.VolumeId!, "/dev/sdg"),
        "IncorrectInstanceState",
        `The instance '${id}' is not in a valid state for this operation.`,
      );
    });

    it("detach and delete rules: not attached, wrong instance or device, root of a running instance, in use", async () => {
      const id = await launch();
      const root = (await instance(id)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
      const v = await createVolume();
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId! })),
        "IncorrectState",
        `Volume '${v.VolumeId}' is in the 'available' state.`,
      );
      await h.ec2.send(new AttachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: id, Device: "/dev/sdf" }));
      const other = await launch();
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: other })),
        "InvalidAttachment.NotFound",
        `Volume '${v.VolumeId}' is not attached to instance '${other}'`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId!, Device: "/dev/sdg" })),
        "InvalidAttachment.NotFound",
        `Volume '${v.VolumeId}' is not attached at device '/dev/sdg'`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DetachVolumeCommand({ VolumeId: root, Force: true })),
        "IncorrectState",
        `Unable to detach root volume '${root}' from instance '${id}'`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVolumeCommand({ VolumeId: v.VolumeId! })),
        "VolumeInUse",
        `Volume ${v.VolumeId} is currently attached to ${id}`,
      );
      // A stopped instance's root volume may be detached.
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      await h.ec2.send(new DetachVolumeCommand({ VolumeId: root }));
      assert.equal((await volume(root)).State, "available");
    });

    it("the attachment limit is shared with network interfaces on Nitro types", async () => {
      const id = await launch();
      const subnet = (await instance(id)).SubnetId!;
      // t3.micro: EbsInfo 27 shared (28 attachments beside nothing but the primary interface): root + 26 volumes fill it.
      const letters = "ghijklmnopqrstuvwxyz"
        .split("")
        .map((c) => `/dev/sd${c}`)
        .concat(["/dev/xvdb", "/dev/xvdc", "/dev/xvdd", "/dev/xvde", "/dev/xvdf", "/dev/xvdg"]);
      for (const device of letters) {
        const v = await createVolume({ Size: 1 });
        await h.ec2.send(new AttachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: id, Device: device }));
      }
      const extra = await createVolume({ Size: 1 });
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AttachVolumeCommand({ VolumeId: extra.VolumeId!, InstanceId: id, Device: "/dev/xvdh" })),
        "AttachmentLimitExceeded",
        "The number of attachments exceeds the limit of 27 for instance type t3.micro.",
      );
      const eni = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet }));
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AttachNetworkInterfaceCommand({
              NetworkInterfaceId: eni.NetworkInterface!.NetworkInterfaceId!,
              InstanceId: id,
              DeviceIndex: 1,
            }),
          ),
        "AttachmentLimitExceeded",
        "The number of attachments exceeds the limit of 27 for instance type t3.micro.",
      );
    });
  });

  describe("RunInstances and termination", () => {
    it("creates the root and extra volumes as records; DeleteOnTermination=false keeps a volume available", async () => {
      const id = await launch({
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { DeleteOnTermination: false } },
          { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 50, VolumeType: "gp3" } },
          { DeviceName: "/dev/sdg", Ebs: { VolumeSize: 5, DeleteOnTermination: false } },
        ],
        TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "app", Value: "db" }] }],
      });
      const mappings = (await instance(id)).BlockDeviceMappings!;
      assert.deepEqual(
        mappings.map((m) => [m.DeviceName, m.Ebs?.DeleteOnTermination]),
        [
          ["/dev/xvda", false],
          ["/dev/sdf", true],
          ["/dev/sdg", false],
        ],
      );
      const ids = mappings.map((m) => m.Ebs!.VolumeId!);
      const vols = (await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:app", Values: ["db"] }] }))).Volumes!;
      assert.deepEqual(
        vols.map((v) => [v.VolumeId, v.Size, v.VolumeType]).sort(),
        [
          [ids[0], 8, "gp3"],
          [ids[1], 50, "gp3"],
          [ids[2], 5, "gp2"],
        ].sort(),
      );
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      const left = (await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:app", Values: ["db"] }] }))).Volumes!;
      assert.deepEqual(
        left.map((v) => [v.VolumeId, v.State, v.Attachments]).sort(),
        [
          [ids[0], "available", []],
          [ids[2], "available", []],
        ].sort(),
      );
      // The kept root volume attaches to another instance (not as its root device).
      const next = await launch();
      await h.ec2.send(new AttachVolumeCommand({ VolumeId: ids[0]!, InstanceId: next, Device: "/dev/sdf" }));
    });

    it("launch mapping rules: invalid or duplicate device", async () => {
      const run = (BlockDeviceMappings: RunInstancesCommandInput["BlockDeviceMappings"]) => () => launch({ BlockDeviceMappings });
      await expectErrorNoChange(
        h,
        run([{ DeviceName: "/dev/foo", Ebs: { VolumeSize: 1 } }]),
        "InvalidParameterValue",
        "Value (/dev/foo) for parameter device is invalid. /dev/foo is not a valid EBS device name.",
      );
      await expectErrorNoChange(
        h,
        run([
          { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 1 } },
          { DeviceName: "/dev/sdf", Ebs: { VolumeSize: 2 } },
        ]),
        "InvalidBlockDeviceMapping",
        "The device '/dev/sdf' is used in more than one block-device mapping",
      );
    });

    it("ModifyInstanceAttribute BlockDeviceMappings changes DeleteOnTermination", async () => {
      const id = await launch();
      await h.ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: id,
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { DeleteOnTermination: false } }],
        }),
      );
      const attr = await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "blockDeviceMapping" }));
      assert.equal(attr.BlockDeviceMappings![0]!.Ebs!.DeleteOnTermination, false);
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new ModifyInstanceAttributeCommand({
              InstanceId: id,
              BlockDeviceMappings: [{ DeviceName: "/dev/sdz", Ebs: { DeleteOnTermination: false } }],
            }),
          ),
        "InvalidInstanceAttributeValue",
        "No device is currently mapped at /dev/sdz",
      );
      const root = attr.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      assert.equal((await volume(root)).State, "available");
    });
  });

  describe("ModifyVolume, describes and tags", () => {
    it("modifies size and type, records the modification, and allows one every 6 hours", async () => {
      const v = await createVolume({ Size: 10 });
      const m = await h.ec2.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId!, Size: 20, VolumeType: "gp3" }));
      assert.deepEqual(
        [
          m.VolumeModification?.ModificationState,
          m.VolumeModification?.OriginalSize,
          m.VolumeModification?.TargetSize,
          m.VolumeModification?.TargetIops,
        ],
        ["modifying", 10, 20, 3000],
      );
      const after = await volume(v.VolumeId!);
      assert.deepEqual([after.Size, after.VolumeType, after.Iops, after.Throughput], [20, "gp3", 3000, 125]);
      const mods = await h.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [v.VolumeId!] }));
      assert.deepEqual(
        mods.VolumesModifications!.map((x) => [x.ModificationState, x.Progress, x.OriginalVolumeType]),
        [["completed", 100, "gp2"]],
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId!, Size: 30 })),
        "VolumeModificationRateExceeded",
        `You've reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume (${v.VolumeId}).`,
      );
      await adminCall(h, "POST", "clock/advance", { ms: 6 * 3600_000 });
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId!, Size: 5 })),
        "InvalidParameterValue",
        "New size 5 cannot be smaller than existing size 20.",
      );
      await h.ec2.send(new ModifyVolumeCommand({ VolumeId: v.VolumeId!, Size: 30 }));
      const never = await createVolume();
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [never.VolumeId!] })),
        "InvalidVolumeModification.NotFound",
        `Modification for volume '${never.VolumeId}' does not exist.`,
      );
    });

    it("DescribeVolumes filters and pagination; DescribeVolumeStatus is ok for every volume", async () => {
      const a = await createVolume({ Size: 11, Encrypted: true });
      const b = await createVolume({ Size: 12, VolumeType: "gp3" });
      await createVolume({ Size: 13 });
      const by = async (Name: string, Values: string[]) =>
        (await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name, Values }] }))).Volumes!.map((v) => v.VolumeId);
      assert.deepEqual(await by("encrypted", ["true"]), [a.VolumeId]);
      assert.deepEqual(await by("size", ["12"]), [b.VolumeId]);
      assert.deepEqual(await by("volume-type", ["gp3"]), [b.VolumeId]);
      assert.equal((await by("status", ["available"])).length, 3);
      const p1 = await h.ec2.send(new DescribeVolumesCommand({ MaxResults: 5 }));
      assert.equal(p1.Volumes!.length, 3);
      const status = await h.ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [a.VolumeId!] }));
      assert.deepEqual(
        status.VolumeStatuses!.map((s) => [s.VolumeId, s.VolumeStatus?.Status, s.VolumeStatus?.Details?.[0]?.Name]),
        [[a.VolumeId, "ok", "io-enabled"]],
      );
    });

    it("CreateTags and DescribeTags on vol- and snap- (resource types volume and snapshot)", async () => {
      const v = await createVolume();
      const s = await h.ec2.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId! }));
      await h.ec2.send(new CreateTagsCommand({ Resources: [v.VolumeId!, s.SnapshotId!], Tags: [{ Key: "team", Value: "ops" }] }));
      const tags = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["team"] }] }));
      assert.deepEqual(
        tags.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort(),
        [
          [s.SnapshotId, "snapshot"],
          [v.VolumeId, "volume"],
        ].sort(),
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: ["vol-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })),
        "InvalidVolume.NotFound",
        "The volume 'vol-0123456789abcdef0' does not exist.",
      );
    });
  });

  describe("snapshots", () => {
    it("create, describe (OwnerIds self, ids, filters), copy and delete", async () => {
      const v = await createVolume({ Size: 15 });
      const s = await h.ec2.send(
        new CreateSnapshotCommand({
          VolumeId: v.VolumeId!,
          Description: "nightly",
          TagSpecifications: [{ ResourceType: "snapshot", Tags: [{ Key: "k", Value: "v" }] }],
        }),
      );
      assert.match(s.SnapshotId!, /^snap-[0-9a-f]{17}$/);
      assert.deepEqual([s.State, s.VolumeSize, s.VolumeId, s.Description], ["pending", 15, v.VolumeId, "nightly"]);
      const mine = await h.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
      assert.deepEqual(
        mine.Snapshots!.map((x) => [x.SnapshotId, x.State, x.Progress, x.Tags]),
        [[s.SnapshotId, "completed", "100%", [{ Key: "k", Value: "v" }]]],
      );
      const amazon = await h.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["amazon"] }));
      assert.deepEqual(amazon.Snapshots, []);
      const byVolume = await h.ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: "volume-id", Values: [v.VolumeId!] }] }));
      assert.equal(byVolume.Snapshots!.length, 1);
      const copy = await h.ec2.send(
        new CopySnapshotCommand({ SourceRegion: "us-east-1", SourceSnapshotId: s.SnapshotId!, Encrypted: true }),
      );
      const c = (await h.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }))).Snapshots![0]!;
      assert.deepEqual([c.Encrypted, c.VolumeSize, c.Description], [true, 15, `[Copied ${s.SnapshotId} from us-east-1]`]);
      await h.ec2.send(new DeleteSnapshotCommand({ SnapshotId: s.SnapshotId! }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [s.SnapshotId!] })),
        "InvalidSnapshot.NotFound",
        `The snapshot '${s.SnapshotId}' does not exist.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSnapshotCommand({ SnapshotId: "snapshot-1" })),
        "InvalidSnapshotID.Malformed",
        'Invalid id: "snapshot-1" (expecting "snap-...")',
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CopySnapshotCommand({ SourceRegion: "us-west-2", SourceSnapshotId: copy.SnapshotId! })),
        "InvalidSnapshot.NotFound",
        `The snapshot '${copy.SnapshotId}' does not exist.`,
      );
    });
  });
});

describe("volumes on the simulated clock (delays)", () => {
  let h: Harness;
  it("attaching → attached and detaching → available, snapshots pending → completed", async () => {
    h = await startHarness({ delays: { volumeAttachMs: 5000, volumeDetachMs: 3000, snapshotMs: 60_000 } });
    try {
      const r = await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: "us-east-1a" },
        }),
      );
      const id = r.Instances![0]!.InstanceId!;
      const v = await h.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 1 }));
      await h.ec2.send(new AttachVolumeCommand({ VolumeId: v.VolumeId!, InstanceId: id, Device: "/dev/sdf" }));
      const state = async () => {
        const d = (await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!;
        return [d.State, d.Attachments?.[0]?.State];
      };
      assert.deepEqual(await state(), ["in-use", "attaching"]);
      await adminCall(h, "POST", "clock/advance", { ms: 5000 });
      assert.deepEqual(await state(), ["in-use", "attached"]);
      await h.ec2.send(new DetachVolumeCommand({ VolumeId: v.VolumeId! }));
      assert.deepEqual(await state(), ["in-use", "detaching"]);
      await adminCall(h, "POST", "clock/advance", { ms: 3000 });
      assert.deepEqual(await state(), ["available", undefined]);
      const s = await h.ec2.send(new CreateSnapshotCommand({ VolumeId: v.VolumeId! }));
      const snap = async () => (await h.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [s.SnapshotId!] }))).Snapshots![0]!.State;
      assert.equal(await snap(), "pending");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", SnapshotId: s.SnapshotId! })),
        "IncorrectState",
        "Snapshot is in invalid state - pending",
      );
      await adminCall(h, "POST", "clock/advance", { ms: 60_000 });
      assert.equal(await snap(), "completed");
    } finally {
      await h.close();
    }
  });
});
