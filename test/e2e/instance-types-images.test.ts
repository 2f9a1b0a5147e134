/** DescribeInstanceTypes (catalogue NetworkInfo, filters, pagination) and DescribeImages (built-in AMIs). */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  type DescribeImagesCommandInput,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { expectError, startHarness, type Harness } from "./harness.js";

describe("instance types and images", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  const types = (...names: string[]): _InstanceType[] => names as _InstanceType[];

  describe("DescribeInstanceTypes", () => {
    it("returns the full NetworkInfo: p5.48xlarge has 32 network cards", async () => {
      const { InstanceTypes } = await h.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types("p5.48xlarge") }));
      const p5 = InstanceTypes?.[0];
      assert.ok(p5);
      assert.equal(p5.InstanceType, "p5.48xlarge");
      const net = p5.NetworkInfo;
      assert.ok(net);
      assert.equal(net.MaximumNetworkCards, 32);
      assert.equal(net.NetworkCards?.length, 32);
      assert.deepEqual(
        net.NetworkCards.map((c) => c.NetworkCardIndex),
        Array.from({ length: 32 }, (_, i) => i),
      );
      assert.equal(net.MaximumNetworkInterfaces, 64);
      assert.equal(net.EfaSupported, true);
      assert.equal(net.EfaInfo?.MaximumEfaInterfaces, 32);
      assert.equal(p5.Hypervisor, "nitro");
      assert.deepEqual(p5.ProcessorInfo?.SupportedArchitectures, ["x86_64"]);
    });

    it("t3.medium limits, Graviton architecture and burstable flag", async () => {
      const { InstanceTypes } = await h.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types("t3.medium", "m6g.large") }));
      const byName = new Map(InstanceTypes?.map((t) => [t.InstanceType, t]));
      assert.equal(byName.get("t3.medium")?.NetworkInfo?.MaximumNetworkInterfaces, 3);
      assert.equal(byName.get("t3.medium")?.NetworkInfo?.Ipv4AddressesPerInterface, 6);
      assert.equal(byName.get("t3.medium")?.BurstablePerformanceSupported, true);
      assert.deepEqual(byName.get("m6g.large")?.ProcessorInfo?.SupportedArchitectures, ["arm64"]);
      assert.equal(byName.get("m6g.large")?.BurstablePerformanceSupported, false);
    });

    it("an unknown type is InvalidInstanceType", async () => {
      await expectError(
        h.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types("t3.micro", "cc1.4xlarge") })),
        "InvalidInstanceType",
        "The following supplied instance types do not exist: [cc1.4xlarge]",
      );
    });

    it("filters: network-info.efa-supported, instance-type wildcards, current-generation, bare-metal, hypervisor", async () => {
      const all = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> => {
        const out: string[] = [];
        let token: string | undefined;
        do {
          const r = await h.ec2.send(new DescribeInstanceTypesCommand({ Filters: filters, MaxResults: 100, NextToken: token }));
          out.push(...(r.InstanceTypes ?? []).map((t) => String(t.InstanceType)));
          token = r.NextToken;
        } while (token);
        return out;
      };
      const efa = await all([{ Name: "network-info.efa-supported", Values: ["true"] }]);
      assert.ok(efa.includes("p5.48xlarge"));
      assert.ok(!efa.includes("t2.micro"));
      assert.ok(efa.length > 100);
      const t3 = await all([{ Name: "instance-type", Values: ["t3.*"] }]);
      assert.deepEqual(t3.sort(), ["t3.2xlarge", "t3.large", "t3.medium", "t3.micro", "t3.nano", "t3.small", "t3.xlarge"]);
      const cards = await all([
        { Name: "network-info.maximum-network-cards", Values: ["32"] },
        { Name: "instance-type", Values: ["p5.*"] },
      ]);
      assert.ok(cards.includes("p5.48xlarge"));
      const metal = await all([
        { Name: "bare-metal", Values: ["true"] },
        { Name: "instance-type", Values: ["m5.*"] },
      ]);
      assert.deepEqual(metal, ["m5.metal"]);
      const xenOld = await all([
        { Name: "hypervisor", Values: ["xen"] },
        { Name: "current-generation", Values: ["false"] },
        { Name: "instance-type", Values: ["m1.*"] },
      ]);
      assert.ok(xenOld.includes("m1.small"));
      // Every documented filter works now (issue 15): memory, vCPUs, EBS … (more in instance-type-offerings.test.ts).
      const { InstanceTypes: small } = await h.ec2.send(
        new DescribeInstanceTypesCommand({ Filters: [{ Name: "memory-info.size-in-mib", Values: ["1024"] }] }),
      );
      assert.ok(small!.length > 0 && small!.every((t) => t.MemoryInfo?.SizeInMiB === 1024));
      assert.ok(small!.some((t) => t.InstanceType === "t3.micro"));
    });

    it("paginates 5–100", async () => {
      const p1 = await h.ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 5 }));
      assert.equal(p1.InstanceTypes?.length, 5);
      assert.ok(p1.NextToken);
      const p2 = await h.ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 5, NextToken: p1.NextToken }));
      assert.notEqual(p2.InstanceTypes?.[0]?.InstanceType, p1.InstanceTypes[0]?.InstanceType);
      await expectError(
        h.ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 2 })),
        "InvalidParameterValue",
        "Value ( 2 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
      );
    });
  });

  describe("DescribeImages", () => {
    const AL2023 = "ami-0a1b2c3d4e5f60001";

    it("describes the built-in images with root device and block device mappings", async () => {
      const { Images } = await h.ec2.send(new DescribeImagesCommand({ ImageIds: [AL2023] }));
      const img = Images?.[0];
      assert.ok(img);
      assert.equal(img.ImageId, AL2023);
      assert.equal(img.RootDeviceName, "/dev/xvda");
      assert.equal(img.RootDeviceType, "ebs");
      assert.equal(img.State, "available");
      assert.equal(img.ImageOwnerAlias, "amazon");
      assert.equal(img.OwnerId, "137112412989");
      const root = img.BlockDeviceMappings?.[0];
      assert.equal(root?.DeviceName, "/dev/xvda");
      assert.equal(root.Ebs?.VolumeSize, 8);
    });

    it("Owner.N and filters", async () => {
      const ids = async (input: DescribeImagesCommandInput): Promise<string[]> =>
        ((await h.ec2.send(new DescribeImagesCommand(input))).Images ?? []).map((i) => i.ImageId!).sort();
      assert.deepEqual(await ids({ Owners: ["self"] }), []);
      assert.equal((await ids({ Owners: ["amazon"] })).length, 3);
      assert.deepEqual(await ids({ Owners: ["099720109477"] }), ["ami-0a1b2c3d4e5f60003"]);
      assert.deepEqual(
        await ids({
          Filters: [
            { Name: "name", Values: ["al2023-ami-*"] },
            { Name: "architecture", Values: ["arm64"] },
          ],
        }),
        ["ami-0a1b2c3d4e5f60002"],
      );
      assert.deepEqual(await ids({ Filters: [{ Name: "platform", Values: ["windows"] }] }), ["ami-0a1b2c3d4e5f60004"]);
      assert.deepEqual(
        await ids({
          Filters: [
            { Name: "owner-alias", Values: ["amazon"] },
            { Name: "root-device-name", Values: ["/dev/sda1"] },
          ],
        }),
        ["ami-0a1b2c3d4e5f60004"],
      );
      assert.deepEqual(
        await ids({
          Filters: [
            { Name: "platform-details", Values: ["Linux/UNIX"] },
            { Name: "owner-id", Values: ["099720109477"] },
          ],
        }),
        ["ami-0a1b2c3d4e5f60003"],
      );
      await expectError(
        h.ec2.send(new DescribeImagesCommand({ Owners: ["nobody"] })),
        "InvalidUserID.Malformed",
        "Invalid user id: 'nobody'",
      );
    });

    it("unknown and malformed image ids", async () => {
      // Without --strict-images an unknown well-formed id describes as the generic image (test/e2e/images-registry.test.ts).
      const { Images } = await h.ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] }));
      assert.equal(Images?.[0]?.Architecture, "x86_64");
      await expectError(
        h.ec2.send(new DescribeImagesCommand({ ImageIds: ["img-1"] })),
        "InvalidAMIID.Malformed",
        'Invalid id: "img-1" (expecting "ami-...")',
      );
    });
  });
});
