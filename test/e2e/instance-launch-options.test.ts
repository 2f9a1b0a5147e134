/**
 * RunInstances launch options end to end: UserData (and ModifyInstanceAttribute userData), Placement, Monitoring,
 * CreditSpecification, MetadataOptions, root BlockDeviceMapping, DisableApiTermination / shutdown behaviour /
 * EbsOptimized and IamInstanceProfile, each as DescribeInstances, DescribeInstanceAttribute, DescribeVolumes and
 * DescribeInstanceCreditSpecifications show it, and every rule with code, exact message and unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  type Instance,
  type RunInstancesCommandInput,
  type Volume,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

const AL2023_X86 = "ami-0a1b2c3d4e5f60001";
const ACCOUNT = "000000000000";
const b64 = (s: string): string => Buffer.from(s).toString("base64");

describe("RunInstances launch options", () => {
  const h = useHarness();

  const runInput = (extra: Partial<RunInstancesCommandInput> = {}): RunInstancesCommand =>
    new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...extra });
  const run = async (extra: Partial<RunInstancesCommandInput> = {}): Promise<Instance> =>
    (await h.ec2.send(runInput(extra))).Instances![0]!;
  const runFails = (extra: Partial<RunInstancesCommandInput>, code: string, message: string): Promise<void> =>
    expectErrorNoChange(h, () => h.ec2.send(runInput(extra)), code, message);
  const describeOne = async (id: string): Promise<Instance> => {
    const { Reservations } = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return Reservations![0]!.Instances![0]!;
  };
  const volumeOf = async (i: Instance): Promise<Volume> => {
    const id = (await describeOne(i.InstanceId!)).BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    return (await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
  };
  const userDataOf = async (id: string): Promise<string | undefined> =>
    (await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "userData" }))).UserData?.Value;
  const defaultSubnetIn = async (zone: string): Promise<string> =>
    (
      await h.ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: "default-for-az", Values: ["true"] },
            { Name: "availability-zone", Values: [zone] },
          ],
        }),
      )
    ).Subnets![0]!.SubnetId!;

  describe("UserData", () => {
    it("is stored and returned base64 by DescribeInstanceAttribute userData; absent without it", async () => {
      const script = "#!/bin/bash\necho hello > /tmp/hello\n";
      const i = await run({ UserData: b64(script) });
      assert.equal(await userDataOf(i.InstanceId!), b64(script));
      const plain = await run();
      assert.equal(await userDataOf(plain.InstanceId!), undefined);
    });

    it("takes line-wrapped base64 and exactly 16384 decoded bytes", async () => {
      const big = b64("x".repeat(16384));
      const wrapped = big.replace(/(.{76})/g, "$1\n");
      const i = await run({ UserData: wrapped });
      assert.equal(await userDataOf(i.InstanceId!), big);
    });

    it("over 16384 decoded bytes is InvalidParameterValue", async () => {
      await runFails({ UserData: b64("x".repeat(16385)) }, "InvalidParameterValue", "User data is limited to 16384 bytes");
    });

    it("text that is not base64 is InvalidParameterValue", async () => {
      await runFails({ UserData: "#!/bin/bash echo hi" }, "InvalidParameterValue", "Invalid BASE64 encoding of user data");
    });

    it("ModifyInstanceAttribute UserData only while stopped; the SDK's blob is stored as its base64", async () => {
      const i = await run({ UserData: b64("old") });
      const id = i.InstanceId!;
      const modify = (value: Uint8Array) => h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, UserData: { Value: value } }));
      await expectErrorNoChange(
        h,
        () => modify(Buffer.from("new")),
        "IncorrectInstanceState",
        `The instance '${id}' is not in the 'stopped' state.`,
      );
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      await modify(Buffer.from("#!/bin/sh\nnew\n"));
      assert.equal(await userDataOf(id), b64("#!/bin/sh\nnew\n"));
      await expectErrorNoChange(h, () => modify(Buffer.alloc(16385, 1)), "InvalidParameterValue", "User data is limited to 16384 bytes");
      assert.equal(await userDataOf(id), b64("#!/bin/sh\nnew\n"));
    });
  });

  describe("Placement", () => {
    it("AvailabilityZone without SubnetId launches into that zone's default subnet; Tenancy default is accepted", async () => {
      const i = await run({ Placement: { AvailabilityZone: "us-east-1b", Tenancy: "default" } });
      const d = await describeOne(i.InstanceId!);
      assert.equal(d.Placement?.AvailabilityZone, "us-east-1b");
      assert.equal(d.Placement.Tenancy, "default");
      assert.equal(d.SubnetId, await defaultSubnetIn("us-east-1b"));
      assert.equal(d.NetworkInterfaces?.[0]?.SubnetId, d.SubnetId);
    });

    it("AvailabilityZone matching the SubnetId's zone is accepted", async () => {
      const subnetId = await defaultSubnetIn("us-east-1c");
      const i = await run({ SubnetId: subnetId, Placement: { AvailabilityZone: "us-east-1c" } });
      assert.equal((await describeOne(i.InstanceId!)).SubnetId, subnetId);
    });

    it("a SubnetId in another zone is InvalidParameterValue", async () => {
      const subnetId = await defaultSubnetIn("us-east-1a");
      await runFails(
        { SubnetId: subnetId, Placement: { AvailabilityZone: "us-east-1b" } },
        "InvalidParameterValue",
        `Value (us-east-1b) for parameter availabilityZone is invalid. Subnet '${subnetId}' is in the availability zone us-east-1a`,
      );
    });

    it("an unknown zone is InvalidParameterValue", async () => {
      await runFails({ Placement: { AvailabilityZone: "us-east-1z" } }, "InvalidParameterValue", "Invalid availability zone: [us-east-1z]");
    });

    it("dedicated tenancy is refused as unsupported, not ignored; an unknown placement group is AWS's error", async () => {
      await runFails(
        { Placement: { Tenancy: "dedicated" } },
        "UnsupportedOperation",
        "The value dedicated of parameter Placement.Tenancy is not supported by localvpc for RunInstances yet.",
      );
      // Placement groups exist now (test/e2e/placement-groups.test.ts): a name that is not one is unknown.
      await runFails(
        { Placement: { GroupName: "cluster-1" } },
        "InvalidPlacementGroup.Unknown",
        "The Placement Group 'cluster-1' is unknown.",
      );
    });
  });

  describe("Monitoring", () => {
    it("Monitoring.Enabled shows as monitoring state enabled (default disabled) and filters", async () => {
      const on = await run({ Monitoring: { Enabled: true } });
      const off = await run({ Monitoring: { Enabled: false } });
      const plain = await run();
      assert.deepEqual((await describeOne(on.InstanceId!)).Monitoring, { State: "enabled" });
      assert.deepEqual((await describeOne(off.InstanceId!)).Monitoring, { State: "disabled" });
      assert.deepEqual((await describeOne(plain.InstanceId!)).Monitoring, { State: "disabled" });
      const { Reservations } = await h.ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: "monitoring-state", Values: ["enabled"] }] }),
      );
      assert.deepEqual(
        Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId)),
        [on.InstanceId],
      );
    });
  });

  describe("CreditSpecification", () => {
    it("CpuCredits overrides the family default in DescribeInstanceCreditSpecifications", async () => {
      const t3 = await run({ CreditSpecification: { CpuCredits: "standard" } });
      const t2 = await run({ InstanceType: "t2.micro", CreditSpecification: { CpuCredits: "unlimited" } });
      const byId = await h.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [t3.InstanceId!, t2.InstanceId!] }));
      assert.deepEqual(byId.InstanceCreditSpecifications, [
        { InstanceId: t3.InstanceId, CpuCredits: "standard" },
        { InstanceId: t2.InstanceId, CpuCredits: "unlimited" },
      ]);
      // Without ids AWS lists the unlimited ones: the t2 set to unlimited, not the t3 set to standard.
      const all = await h.ec2.send(new DescribeInstanceCreditSpecificationsCommand({}));
      assert.deepEqual(all.InstanceCreditSpecifications, [{ InstanceId: t2.InstanceId, CpuCredits: "unlimited" }]);
    });

    it("a non-burstable type is InstanceCreditSpecification.NotSupported", async () => {
      await runFails(
        { InstanceType: "m5.large", CreditSpecification: { CpuCredits: "standard" } },
        "InstanceCreditSpecification.NotSupported",
        "The m5.large instance type does not support T2 Unlimited.",
      );
    });

    it("a value other than standard | unlimited is InvalidParameterValue", async () => {
      await runFails(
        { CreditSpecification: { CpuCredits: "turbo" } },
        "InvalidParameterValue",
        "Value (turbo) for parameter CreditSpecification.CpuCredits is invalid. Allowed values: standard, unlimited.",
      );
    });
  });

  describe("MetadataOptions", () => {
    it("are stored and rendered with State applied", async () => {
      const i = await run({
        MetadataOptions: { HttpTokens: "optional", HttpEndpoint: "enabled", HttpPutResponseHopLimit: 3, InstanceMetadataTags: "enabled" },
      });
      assert.deepEqual((await describeOne(i.InstanceId!)).MetadataOptions, {
        State: "applied",
        HttpTokens: "optional",
        HttpPutResponseHopLimit: 3,
        HttpEndpoint: "enabled",
        HttpProtocolIpv6: "disabled",
        InstanceMetadataTags: "enabled",
      });
      const { Reservations } = await h.ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: "metadata-options.instance-metadata-tags", Values: ["enabled"] }] }),
      );
      assert.deepEqual(
        Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId)),
        [i.InstanceId],
      );
    });

    it("members left out keep the image's defaults (IMDSv2 required, hop limit 2)", async () => {
      const i = await run({ MetadataOptions: { HttpEndpoint: "disabled" } });
      const md = (await describeOne(i.InstanceId!)).MetadataOptions;
      assert.equal(md?.HttpEndpoint, "disabled");
      assert.equal(md.HttpTokens, "required");
      assert.equal(md.HttpPutResponseHopLimit, 2);
    });

    it("a hop limit outside 1–64 is InvalidParameterValue", async () => {
      await runFails(
        { MetadataOptions: { HttpPutResponseHopLimit: 65 } },
        "InvalidParameterValue",
        "Value (65) for parameter httpPutResponseHopLimit is invalid. Valid values are 1 to 64.",
      );
      await runFails(
        { MetadataOptions: { HttpPutResponseHopLimit: 0 } },
        "InvalidParameterValue",
        "Value (0) for parameter httpPutResponseHopLimit is invalid. Valid values are 1 to 64.",
      );
    });
  });

  describe("BlockDeviceMappings (root device)", () => {
    it("size, type, encryption and DeleteOnTermination reach DescribeVolumes and DescribeInstances", async () => {
      const i = await run({
        BlockDeviceMappings: [
          { DeviceName: "/dev/xvda", Ebs: { VolumeSize: 20, VolumeType: "gp2", Encrypted: true, DeleteOnTermination: false } },
        ],
      });
      const v = await volumeOf(i);
      assert.equal(v.Size, 20);
      assert.equal(v.VolumeType, "gp2");
      assert.equal(v.Encrypted, true);
      // gp2: 3 IOPS per GiB with a floor of 100; no throughput setting.
      assert.equal(v.Iops, 100);
      assert.equal(v.Throughput, undefined);
      assert.equal(v.Attachments?.[0]?.DeleteOnTermination, false);
      const d = await describeOne(i.InstanceId!);
      assert.deepEqual(
        d.BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.DeleteOnTermination]),
        [["/dev/xvda", false]],
      );
    });

    it("gp3 takes Iops and Throughput; io1 its Iops; left-out members keep the image's gp3 8 GiB", async () => {
      const gp3 = await volumeOf(
        await run({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeType: "gp3", Iops: 4000, Throughput: 250 } }] }),
      );
      assert.deepEqual([gp3.VolumeType, gp3.Size, gp3.Iops, gp3.Throughput, gp3.Encrypted], ["gp3", 8, 4000, 250, false]);
      const io1 = await volumeOf(await run({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeType: "io1", Iops: 500 } }] }));
      assert.deepEqual([io1.VolumeType, io1.Iops, io1.Throughput], ["io1", 500, undefined]);
      const plain = await volumeOf(await run({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 30 } }] }));
      assert.deepEqual(
        [plain.VolumeType, plain.Size, plain.Iops, plain.Throughput, plain.Attachments?.[0]?.DeleteOnTermination],
        ["gp3", 30, 3000, 125, true],
      );
    });

    it("a device other than the AMI's root device must be a valid EBS device name (other devices: test/e2e/volumes.test.ts)", async () => {
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/sdk1", Ebs: { VolumeSize: 10 } }] },
        "InvalidParameterValue",
        "Value (/dev/sdk1) for parameter device is invalid. /dev/sdk1 is not a valid EBS device name.",
      );
    });

    it("a root volume smaller than the image's snapshot is InvalidBlockDeviceMapping", async () => {
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 4 } }] },
        "InvalidBlockDeviceMapping",
        "Volume of size 4GB is smaller than snapshot 'snap-0a1b2c3d4e5f60001', expect size >= 8GB",
      );
    });

    it("Iops and Throughput where the volume type has none, io1 without Iops, and sizes over the maximum", async () => {
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeType: "gp2", Iops: 300 } }] },
        "InvalidParameterCombination",
        "The parameter iops is not supported for gp2 volumes.",
      );
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeType: "io1" } }] },
        "InvalidParameterCombination",
        "The parameter iops must be specified for io1 volumes.",
      );
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeType: "st1", VolumeSize: 500, Throughput: 200 } }] },
        "InvalidParameterCombination",
        "The parameter throughput is not supported for st1 volumes.",
      );
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeType: "standard", VolumeSize: 2000 } }] },
        "InvalidParameterValue",
        "Volume of size 2000GiB exceeds the maximum of 1024GiB for volume type standard.",
      );
    });

    it("Ebs members localvpc does not model are refused by name", async () => {
      await runFails(
        { BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { KmsKeyId: "alias/mine" } }] },
        "UnsupportedOperation",
        "The parameter BlockDeviceMapping.1.Ebs.KmsKeyId is not supported by localvpc for RunInstances yet.",
      );
    });
  });

  describe("DisableApiTermination, InstanceInitiatedShutdownBehavior, EbsOptimized", () => {
    it("are accepted at launch and read back as attributes", async () => {
      const i = await run({ DisableApiTermination: true, InstanceInitiatedShutdownBehavior: "terminate", EbsOptimized: false });
      const attr = (Attribute: "disableApiTermination" | "instanceInitiatedShutdownBehavior" | "ebsOptimized") =>
        h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: i.InstanceId!, Attribute }));
      assert.equal((await attr("disableApiTermination")).DisableApiTermination?.Value, true);
      assert.equal((await attr("instanceInitiatedShutdownBehavior")).InstanceInitiatedShutdownBehavior?.Value, "terminate");
      assert.equal((await attr("ebsOptimized")).EbsOptimized?.Value, false);
    });
  });

  describe("IamInstanceProfile", () => {
    it("by Name or Arn renders { Arn, Id }; the Id is the profile's, shared by its instances", async () => {
      const byName = await run({ IamInstanceProfile: { Name: "web" } });
      const arn = `arn:aws:iam::${ACCOUNT}:instance-profile/web`;
      const p1 = (await describeOne(byName.InstanceId!)).IamInstanceProfile;
      assert.equal(p1?.Arn, arn);
      assert.match(p1.Id ?? "", /^AIPA[0-9A-Z]{17}$/);
      const byArn = await run({ IamInstanceProfile: { Arn: arn } });
      assert.deepEqual((await describeOne(byArn.InstanceId!)).IamInstanceProfile, p1);
      const other = await run({ IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/team/api` } });
      const p3 = (await describeOne(other.InstanceId!)).IamInstanceProfile;
      assert.equal(p3?.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/team/api`);
      assert.notEqual(p3.Id, p1.Id);
      assert.equal((await describeOne((await run()).InstanceId!)).IamInstanceProfile, undefined);
      const { Reservations } = await h.ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: "iam-instance-profile.arn", Values: [arn] }] }),
      );
      assert.deepEqual(
        Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId)).sort(),
        [byName.InstanceId, byArn.InstanceId].sort(),
      );
    });

    it("a malformed Arn, or an Arn and a Name that disagree, is refused", async () => {
      await runFails(
        { IamInstanceProfile: { Arn: "arn:aws:iam::123:role/web" } },
        "InvalidParameterValue",
        "Value (arn:aws:iam::123:role/web) for parameter iamInstanceProfile.arn is invalid. Invalid ARN",
      );
      await runFails(
        { IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`, Name: "db" } },
        "InvalidParameterCombination",
        "The parameters iamInstanceProfile.arn and iamInstanceProfile.name do not refer to the same instance profile",
      );
    });
  });
});
