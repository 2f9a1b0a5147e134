/**
 * Launch templates (issue 15): create, versions, default version, describe with filters, delete, GetLaunchTemplateData,
 * and RunInstances from a template (request members override the template's; every ENI rule of the launch applies),
 * with every rule's error asserted with code, message and no state change.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeLaunchTemplatesCommand,
  GetLaunchTemplateDataCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  type RequestLaunchTemplateData,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { createNetwork, expectErrorNoChange, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";
const MISSING_ID = "lt-0123456789abcdef0";

describe("launch templates", () => {
  const h = useHarness();
  const create = (name: string, data: RequestLaunchTemplateData, extra: object = {}) =>
    h.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: data, ...extra }));
  const run = (input: Partial<RunInstancesCommandInput>) => h.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ...input }));
  const instance = async (id: string) =>
    (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;

  describe("CreateLaunchTemplate / DescribeLaunchTemplates", () => {
    it("creates version 1 as the default, with tags and a description; describes by id, name and filters", async () => {
      const { LaunchTemplate: t } = await create(
        "web-1",
        { ImageId: AMI, InstanceType: "t3.micro" },
        {
          VersionDescription: "first",
          TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "team", Value: "web" }] }],
        },
      );
      assert.match(t!.LaunchTemplateId!, /^lt-[0-9a-f]{17}$/);
      assert.equal(t!.DefaultVersionNumber, 1);
      assert.equal(t!.LatestVersionNumber, 1);
      assert.equal(t!.CreatedBy, "arn:aws:iam::000000000000:root");
      assert.deepEqual(t!.Tags, [{ Key: "team", Value: "web" }]);
      await create("other-1", { ImageId: AMI });
      const byId = await h.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [t!.LaunchTemplateId!] }));
      assert.equal(byId.LaunchTemplates?.length, 1);
      assert.equal(byId.LaunchTemplates[0]!.LaunchTemplateName, "web-1");
      const byName = await h.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["other-1"] }));
      assert.equal(byName.LaunchTemplates![0]!.LaunchTemplateName, "other-1");
      const byTag = await h.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "tag:team", Values: ["web"] }] }));
      assert.deepEqual(
        byTag.LaunchTemplates?.map((x) => x.LaunchTemplateName),
        ["web-1"],
      );
      const byFilter = await h.ec2.send(
        new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["oth*"] }] }),
      );
      assert.deepEqual(
        byFilter.LaunchTemplates?.map((x) => x.LaunchTemplateName),
        ["other-1"],
      );
      const v = await h.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: t!.LaunchTemplateId! }));
      assert.equal(v.LaunchTemplateVersions?.length, 1);
      assert.equal(v.LaunchTemplateVersions[0]!.VersionDescription, "first");
      assert.equal(v.LaunchTemplateVersions[0]!.DefaultVersion, true);
      assert.deepEqual(v.LaunchTemplateVersions[0]!.LaunchTemplateData, { ImageId: AMI, InstanceType: "t3.micro" });
      const created = byId.LaunchTemplates[0]!.CreateTime!.toISOString();
      const byTime = await h.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "create-time", Values: [created] }] }));
      assert.ok(byTime.LaunchTemplates!.some((x) => x.LaunchTemplateName === "web-1"));
    });

    it("refuses a duplicate name, a malformed name, empty data and members localvpc does not launch with", async () => {
      await create("dup-1", { ImageId: AMI });
      await expectErrorNoChange(
        h,
        () => create("dup-1", { ImageId: AMI }),
        "InvalidLaunchTemplateName.AlreadyExistsException",
        "Launch template name already in use.",
      );
      await expectErrorNoChange(
        h,
        () => create("bad name", { ImageId: AMI }),
        "InvalidLaunchTemplateName.MalformedException",
        "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
      );
      await expectErrorNoChange(
        h,
        () => create("empty-1", {}),
        "MissingParameter",
        // The SDK sends no LaunchTemplateData member at all for {}: the model's required-member answer.
        "The request must contain the parameter launchTemplateData",
      );
      await expectErrorNoChange(
        h,
        () => create("kernel-1", { ImageId: AMI, KernelId: "aki-12345678" }),
        "UnsupportedOperation",
        "The parameter LaunchTemplateData.KernelId is not supported by localvpc for CreateLaunchTemplate yet.",
      );
      await expectErrorNoChange(
        h,
        () => create("prefix-1", { NetworkInterfaces: [{ DeviceIndex: 0, Ipv4PrefixCount: 1 }] }),
        "UnsupportedOperation",
        "The parameter LaunchTemplateData.NetworkInterface.1.Ipv4PrefixCount is not supported by localvpc for CreateLaunchTemplate yet.",
      );
      await expectErrorNoChange(
        h,
        () => create("tagtype-1", { TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "a", Value: "b" }] }] }),
        "InvalidParameterValue",
        /vpc/,
      );
    });

    it("unknown ids and names, malformed ids, ids and names together", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [MISSING_ID] })),
        "InvalidLaunchTemplateId.NotFound",
        `The specified launch template, with template ID ${MISSING_ID}, does not exist.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["nope-1"] })),
        "InvalidLaunchTemplateName.NotFoundException",
        "The specified launch template, with template name nope-1, does not exist.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-xyz"] })),
        "InvalidLaunchTemplateId.Malformed",
        'Invalid id: "lt-xyz" (expecting "lt-...")',
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: "nope-1" })),
        "InvalidLaunchTemplateName.NotFoundException",
        "The specified launch template, with template name nope-1, does not exist.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: MISSING_ID })),
        "InvalidLaunchTemplateId.NotFound",
        `The specified launch template, with template ID ${MISSING_ID}, does not exist.`,
      );
      const { LaunchTemplate: t } = await create("both-1", { ImageId: AMI });
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: t!.LaunchTemplateId!, LaunchTemplateName: "both-1" })),
        "InvalidParameterCombination",
        "The parameters launchTemplateId and launchTemplateName cannot be used together",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteLaunchTemplateCommand({})),
        "MissingParameter",
        "The request must contain the parameter launchTemplateName or launchTemplateId",
      );
    });
  });

  describe("versions", () => {
    it("CreateLaunchTemplateVersion from a source version; ModifyLaunchTemplate; $Latest, $Default, Min/MaxVersion, filters", async () => {
      const { LaunchTemplate: t } = await create("ver-1", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        MetadataOptions: { HttpTokens: "required" },
      });
      const id = t!.LaunchTemplateId!;
      const v2 = await h.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: id,
          SourceVersion: "1",
          VersionDescription: "bigger",
          LaunchTemplateData: { InstanceType: "t3.large" },
        }),
      );
      assert.equal(v2.LaunchTemplateVersion!.VersionNumber, 2);
      assert.equal(v2.LaunchTemplateVersion!.DefaultVersion, false);
      // The source's members are kept, the request's replace them.
      assert.deepEqual(v2.LaunchTemplateVersion!.LaunchTemplateData, {
        ImageId: AMI,
        InstanceType: "t3.large",
        MetadataOptions: { HttpTokens: "required" },
      });
      const v3 = await h.ec2.send(
        new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: "ver-1", LaunchTemplateData: { ImageId: AMI } }),
      );
      assert.deepEqual(v3.LaunchTemplateVersion!.LaunchTemplateData, { ImageId: AMI }, "no source: only the given data");
      const versions = async (input: object) =>
        (await h.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, ...input }))).LaunchTemplateVersions!.map(
          (v) => v.VersionNumber,
        );
      assert.deepEqual(await versions({ Versions: ["$Latest"] }), [3]);
      assert.deepEqual(await versions({ Versions: ["$Default"] }), [1]);
      assert.deepEqual(await versions({ MinVersion: "2" }), [2, 3]);
      assert.deepEqual(await versions({ MaxVersion: "2" }), [1, 2]);
      assert.deepEqual(await versions({ Filters: [{ Name: "instance-type", Values: ["t3.large"] }] }), [2]);
      assert.deepEqual(await versions({ Filters: [{ Name: "http-tokens", Values: ["required"] }] }), [1, 2]);
      assert.deepEqual(await versions({ Filters: [{ Name: "is-default-version", Values: ["true"] }] }), [1]);
      const m = await h.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: "2" }));
      assert.equal(m.LaunchTemplate!.DefaultVersionNumber, 2);
      assert.equal(m.LaunchTemplate!.LatestVersionNumber, 3);
      assert.deepEqual(await versions({ Versions: ["$Default"] }), [2]);
      // Without a template: the $Latest of every template.
      const all = await h.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ["$Latest"] }));
      assert.ok(all.LaunchTemplateVersions!.some((v) => v.LaunchTemplateId === id && v.VersionNumber === 3));
    });

    it("unknown versions are refused; the default version cannot be deleted (a per-version error, HTTP 200)", async () => {
      const { LaunchTemplate: t } = await create("del-1", { ImageId: AMI });
      const id = t!.LaunchTemplateId!;
      await h.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { InstanceType: "t3.small" } }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: "666" })),
        "InvalidLaunchTemplateId.VersionNotFound",
        `Could not find launch template version 666 for launch template ${id}.`,
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateLaunchTemplateVersionCommand({
              LaunchTemplateId: id,
              SourceVersion: "9",
              LaunchTemplateData: { InstanceType: "t3.micro" },
            }),
          ),
        "InvalidLaunchTemplateId.VersionNotFound",
        `Could not find launch template version 9 for launch template ${id}.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["7"] })),
        "InvalidLaunchTemplateId.VersionNotFound",
        `Could not find launch template version 7 for launch template ${id}.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ["1"] })),
        "InvalidParameterCombination",
        "Versions other than $Latest and $Default need the parameter launchTemplateId or launchTemplateName",
      );
      const before = await h.state();
      const r = await h.ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["1", "5"] }));
      assert.deepEqual(r.SuccessfullyDeletedLaunchTemplateVersions ?? [], []);
      assert.deepEqual(r.UnsuccessfullyDeletedLaunchTemplateVersions, [
        {
          LaunchTemplateId: id,
          LaunchTemplateName: "del-1",
          VersionNumber: 1,
          ResponseError: { Code: "unexpectedError", Message: "Cannot delete the default version of a launch template." },
        },
        {
          LaunchTemplateId: id,
          LaunchTemplateName: "del-1",
          VersionNumber: 5,
          ResponseError: { Code: "launchTemplateVersionDoesNotExist", Message: "The launch template version does not exist." },
        },
      ]);
      assert.deepEqual(await h.state(), before, "nothing deleted");
      const ok = await h.ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["2"] }));
      assert.deepEqual(ok.SuccessfullyDeletedLaunchTemplateVersions, [
        { LaunchTemplateId: id, LaunchTemplateName: "del-1", VersionNumber: 2 },
      ]);
      // Version numbers are never reused.
      const v = await h.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { ImageId: AMI } }));
      assert.equal(v.LaunchTemplateVersion!.VersionNumber, 3);
      const d = await h.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: "del-1" }));
      assert.equal(d.LaunchTemplate!.LaunchTemplateId, id);
      const left = await h.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["del-1"] }] }));
      assert.deepEqual(left.LaunchTemplates, []);
    });
  });

  describe("RunInstances with LaunchTemplate", () => {
    it("launches with two network interfaces from the template, tagged with the template's id and version", async () => {
      const net = await createNetwork(h, "10.61.0.0/16", "10.61.1.0/24");
      const { Subnet } = await h.ec2.send(
        new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.61.2.0/24", AvailabilityZone: "us-east-1a" }),
      );
      const { GroupId } = await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "lt-app", Description: "app" }));
      const { LaunchTemplate: t } = await create("two-eni", {
        ImageId: AMI,
        InstanceType: "m5.large",
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: net.subnetId, Groups: [GroupId!], Description: "front" },
          { DeviceIndex: 1, SubnetId: Subnet!.SubnetId!, SecondaryPrivateIpAddressCount: 1 },
        ],
        TagSpecifications: [
          {
            ResourceType: "instance",
            Tags: [
              { Key: "role", Value: "app" },
              { Key: "env", Value: "dev" },
            ],
          },
        ],
      });
      const r = await run({
        LaunchTemplate: { LaunchTemplateId: t!.LaunchTemplateId!, Version: "$Latest" },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: "prod" }] }],
      });
      const i = await instance(r.Instances![0]!.InstanceId!);
      assert.equal(i.InstanceType, "m5.large");
      assert.equal(i.ImageId, AMI);
      const enis = [...i.NetworkInterfaces!].sort((a, b) => a.Attachment!.DeviceIndex! - b.Attachment!.DeviceIndex!);
      assert.equal(enis.length, 2);
      assert.equal(enis[0]!.SubnetId, net.subnetId);
      assert.equal(enis[0]!.Description, "front");
      assert.deepEqual(
        enis[0]!.Groups!.map((g) => g.GroupId),
        [GroupId],
      );
      assert.equal(enis[1]!.SubnetId, Subnet!.SubnetId);
      assert.equal(enis[1]!.PrivateIpAddresses!.length, 2);
      assert.deepEqual(
        enis[1]!.Groups!.map((g) => g.GroupId),
        [net.sgId],
        "no Groups: the VPC's default group",
      );
      const tags: Record<string, string | undefined> = Object.fromEntries(i.Tags!.map((x) => [x.Key ?? "", x.Value]));
      assert.deepEqual(tags, {
        role: "app",
        env: "prod",
        "aws:ec2launchtemplate:id": t!.LaunchTemplateId,
        "aws:ec2launchtemplate:version": "1",
      });
    });

    it("request members override the template's; the default version when Version is absent; by name", async () => {
      const { LaunchTemplate: t } = await create("ovr-1", { ImageId: AMI, InstanceType: "t3.micro", KeyName: undefined });
      await h.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: t!.LaunchTemplateId!,
          SourceVersion: "1",
          LaunchTemplateData: { InstanceType: "t3.small" },
        }),
      );
      const r = await run({ LaunchTemplate: { LaunchTemplateName: "ovr-1" }, InstanceType: "t3.medium" });
      const i = await instance(r.Instances![0]!.InstanceId!);
      assert.equal(i.InstanceType, "t3.medium");
      assert.equal(i.Tags!.find((x) => x.Key === "aws:ec2launchtemplate:version")!.Value, "1");
      const r2 = await run({ LaunchTemplate: { LaunchTemplateName: "ovr-1", Version: "2" } });
      assert.equal((await instance(r2.Instances![0]!.InstanceId!)).InstanceType, "t3.small");
    });

    it("SubnetId in the request places the template's primary interface", async () => {
      const a = await createNetwork(h, "10.62.0.0/16", "10.62.1.0/24");
      const { Subnet } = await h.ec2.send(
        new CreateSubnetCommand({ VpcId: a.vpcId, CidrBlock: "10.62.2.0/24", AvailabilityZone: "us-east-1a" }),
      );
      const { LaunchTemplate: t } = await create("sub-1", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: a.subnetId, Groups: [a.sgId] }],
      });
      const r = await run({ LaunchTemplate: { LaunchTemplateId: t!.LaunchTemplateId! }, SubnetId: Subnet!.SubnetId! });
      const i = await instance(r.Instances![0]!.InstanceId!);
      assert.equal(i.SubnetId, Subnet!.SubnetId);
    });

    it("every launch rule applies to the merged request, with RunInstances' errors and no change", async () => {
      const net = await createNetwork(h, "10.63.0.0/16", "10.63.1.0/24");
      const { LaunchTemplate: withEnis } = await create("rules-1", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnetId, AssociatePublicIpAddress: true }],
      });
      const id = withEnis!.LaunchTemplateId!;
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: id }, SecurityGroupIds: [net.sgId] }),
        "InvalidParameterCombination",
        "Network interfaces and an instance-level security groups may not be specified on the same request",
      );
      const { LaunchTemplate: both } = await create("rules-2", {
        ImageId: AMI,
        SecurityGroupIds: [net.sgId],
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnetId }],
      });
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: both!.LaunchTemplateId! } }),
        "InvalidParameterCombination",
        "Network interfaces and an instance-level security groups may not be specified on the same request",
      );
      await expectErrorNoChange(
        h,
        () =>
          run({
            LaunchTemplate: { LaunchTemplateId: id },
            NetworkInterfaces: [
              { DeviceIndex: 0, SubnetId: net.subnetId, AssociatePublicIpAddress: true },
              { DeviceIndex: 1, SubnetId: net.subnetId },
            ],
          }),
        "InvalidParameterCombination",
        "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces",
      );
      const { LaunchTemplate: noZero } = await create("rules-3", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        NetworkInterfaces: [{ DeviceIndex: 1, SubnetId: net.subnetId }],
      });
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: noZero!.LaunchTemplateId! } }),
        "InvalidParameterValue",
        "When specifying network interfaces, you must include a device at index 0.",
      );
      const { LaunchTemplate: efa } = await create("rules-4", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: net.subnetId },
          { DeviceIndex: 1, SubnetId: net.subnetId, InterfaceType: "efa" },
        ],
      });
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: efa!.LaunchTemplateId! } }),
        "InvalidParameterCombination",
        "t3.micro instances do not support Elastic Fabric Adapters.",
      );
      const { LaunchTemplate: card } = await create("rules-5", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        NetworkInterfaces: [{ DeviceIndex: 0, NetworkCardIndex: 1, SubnetId: net.subnetId }],
      });
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: card!.LaunchTemplateId! } }),
        "InvalidParameterValue",
        "When specifying network interfaces, you must include a device at index 0.",
      );
      const { LaunchTemplate: v6 } = await create("rules-6", {
        ImageId: AMI,
        InstanceType: "t3.micro",
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnetId, Ipv6AddressCount: 1 }],
      });
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: v6!.LaunchTemplateId! } }),
        "InvalidParameterValue",
        /IPv6|ipv6/,
      );
      const { LaunchTemplate: noImage } = await create("rules-7", { InstanceType: "t3.micro" });
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: noImage!.LaunchTemplateId! } }),
        "MissingParameter",
        "The request must contain the parameter imageId",
      );
    });

    it("unknown, malformed and ambiguous template references and versions", async () => {
      const { LaunchTemplate: t } = await create("ref-1", { ImageId: AMI, InstanceType: "t3.micro" });
      const id = t!.LaunchTemplateId!;
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: MISSING_ID } }),
        "InvalidLaunchTemplateId.NotFound",
        `The specified launch template, with template ID ${MISSING_ID}, does not exist.`,
      );
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateName: "nope-2" } }),
        "InvalidLaunchTemplateName.NotFoundException",
        "The specified launch template, with template name nope-2, does not exist.",
      );
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: "lt-bogus" } }),
        "InvalidLaunchTemplateId.Malformed",
        'Invalid id: "lt-bogus" (expecting "lt-...")',
      );
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: id, LaunchTemplateName: "ref-1" } }),
        "InvalidParameterCombination",
        "The parameters launchTemplateId and launchTemplateName cannot be used together",
      );
      await expectErrorNoChange(
        h,
        () => run({ LaunchTemplate: { LaunchTemplateId: id, Version: "4" } }),
        "InvalidLaunchTemplateId.VersionNotFound",
        `Could not find launch template version 4 for launch template ${id}.`,
      );
    });
  });

  it("data naming things that do not exist is stored, with a Warning per problem; valid data has none", async () => {
    const created = await h.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "dangling",
        LaunchTemplateData: {
          ImageId: "ami-0a1b2c3d4e5f60001",
          KeyName: "nobody",
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: "subnet-0000000000000000f", Groups: ["sg-0000000000000000f"] }],
        },
      }),
    );
    assert.ok(created.LaunchTemplate?.LaunchTemplateId);
    assert.deepEqual(created.Warning?.Errors, [
      { Code: "InvalidKeyPair.NotFound", Message: "The key pair 'nobody' does not exist" },
      { Code: "InvalidSubnetID.NotFound", Message: "The subnet ID 'subnet-0000000000000000f' does not exist" },
      { Code: "InvalidGroup.NotFound", Message: "The security group 'sg-0000000000000000f' does not exist" },
    ]);
    const version = await h.ec2.send(
      new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: "dangling", LaunchTemplateData: { InstanceType: "t3.micro" } }),
    );
    // The new version inherits nothing (no SourceVersion): no reference to check, no warning.
    assert.equal(version.Warning, undefined);
    const clean = await h.ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: "clean", LaunchTemplateData: { ImageId: "ami-0a1b2c3d4e5f60001" } }),
    );
    assert.equal(clean.Warning, undefined);
  });

  it("GetLaunchTemplateData answers an instance's launch parameters, which create a template that launches", async () => {
    const net = await createNetwork(h, "10.64.0.0/16", "10.64.1.0/24");
    const r = await run({
      ImageId: AMI,
      InstanceType: "t3.micro",
      SubnetId: net.subnetId,
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "name", Value: "src" }] }],
      MetadataOptions: { HttpTokens: "required" },
    });
    const iid = r.Instances![0]!.InstanceId!;
    const { LaunchTemplateData: d } = await h.ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: iid }));
    assert.equal(d!.ImageId, AMI);
    assert.equal(d!.InstanceType, "t3.micro");
    assert.equal(d!.MetadataOptions!.HttpTokens, "required");
    assert.equal(d!.NetworkInterfaces!.length, 1);
    assert.equal(d!.NetworkInterfaces![0]!.SubnetId, net.subnetId);
    assert.deepEqual(d!.NetworkInterfaces![0]!.Groups, [net.sgId]);
    assert.deepEqual(d!.TagSpecifications, [{ ResourceType: "instance", Tags: [{ Key: "name", Value: "src" }] }]);
    assert.equal(d!.BlockDeviceMappings![0]!.DeviceName, "/dev/xvda");
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: "i-0123456789abcdef0" })),
      "InvalidInstanceID.NotFound",
      /i-0123456789abcdef0/,
    );
  });
});
