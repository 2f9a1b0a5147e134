/**
 * Issue 15: the complete DescribeInstanceTypes items, DescribeInstanceTypeOfferings, the zone rule of RunInstances,
 * every region with its real zone names and ids, and opt-in regions (`optInRegions` / `serve --regions`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeInstanceTypes,
  type DescribeInstanceTypeOfferingsCommandInput,
  type Filter,
  type InstanceTypeInfo,
  type InstanceTypeOffering,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expectError, expectErrorNoChange, useHarness } from "./harness.js";
import { OPT_IN_REGIONS } from "../../src/domain/regions.js";

const DATA = new URL("../../data/", import.meta.url);
const TYPES = JSON.parse(gunzipSync(readFileSync(new URL("instance-types.json.gz", DATA))).toString("utf8")) as InstanceTypeInfo[];
const OFFERINGS = JSON.parse(readFileSync(new URL("instance-type-offerings.json", DATA), "utf8")) as {
  regions: Record<string, { zoneName: string; zoneId: string; offered: string }[]>;
};
const NAMES = TYPES.map((t) => t.InstanceType!);
const offeredIn = (z: { offered: string }): Set<string> => {
  const bits = Buffer.from(z.offered, "base64");
  return new Set(NAMES.filter((_, i) => (bits[i >> 3]! & (1 << (i & 7))) !== 0));
};
const regionTypes = (region: string): Set<string> => new Set(OFFERINGS.regions[region]!.flatMap((z) => [...offeredIn(z)]));

const AMI = "ami-0a1b2c3d4e5f60001"; // built-in, x86_64
const types = (...names: string[]): _InstanceType[] => names as _InstanceType[];
const f = (Name: string, ...Values: string[]): Filter => ({ Name, Values });

describe("issue 15: instance types, offerings, regions and zones", () => {
  // af-south-1 is opted in; every other opt-in region is not.
  const h = useHarness({ optInRegions: ["af-south-1"] });

  describe("DescribeInstanceTypes answers AWS's complete items", () => {
    for (const name of ["m5.large", "p5.48xlarge", "g4ad.2xlarge", "d2.xlarge", "inf1.24xlarge", "t2.micro", "c5.metal"]) {
      it(`${name}: every member equals AWS's item`, async () => {
        const { InstanceTypes } = await h.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types(name) }));
        assert.deepEqual(InstanceTypes, [TYPES.find((t) => t.InstanceType === name)]);
      });
    }

    it("m5.large: vCPUs, memory, EBS, processor, Nitro TPM, boot modes", async () => {
      const [t] = (await h.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: types("m5.large") }))).InstanceTypes!;
      assert.equal(t!.VCpuInfo?.DefaultVCpus, 2);
      assert.equal(t!.MemoryInfo?.SizeInMiB, 8192);
      assert.equal(t!.EbsInfo?.MaximumEbsAttachments, 27);
      const ebs = t!.EbsInfo.EbsOptimizedInfo!;
      assert.equal(ebs.BaselineThroughputInMBps, 81.25);
      assert.equal(t!.ProcessorInfo?.SustainedClockSpeedInGhz, 3.1);
      assert.deepEqual(t!.NitroTpmInfo?.SupportedVersions, ["2.0"]);
      assert.deepEqual(t!.SupportedBootModes, ["legacy-bios", "uefi"]);
      // The network limits the ENI rules use are the same numbers.
      const net = t!.NetworkInfo!;
      assert.deepEqual([net.MaximumNetworkInterfaces, net.Ipv4AddressesPerInterface], [3, 10]);
    });

    it("lists exactly the types the region offers, in name order, across pages", async () => {
      const seen: string[] = [];
      for await (const page of paginateDescribeInstanceTypes({ client: h.ec2, pageSize: 100 }, {})) {
        seen.push(...page.InstanceTypes!.map((t) => t.InstanceType!));
      }
      assert.deepEqual(seen, [...regionTypes("us-east-1")].sort());
    });

    it("a type the region does not offer does not exist there", async () => {
      const af = h.client("test", "af-south-1");
      const missing = [...regionTypes("us-east-1")].sort().find((t) => !regionTypes("af-south-1").has(t))!;
      await expectError(
        af.send(new DescribeInstanceTypesCommand({ InstanceTypes: types("t3.micro", missing) })),
        "InvalidInstanceType",
        `The following supplied instance types do not exist: [${missing}]`,
      );
      af.destroy();
    });

    const filtered = async (...filters: Filter[]): Promise<string[]> => {
      const out: string[] = [];
      for await (const page of paginateDescribeInstanceTypes({ client: h.ec2, pageSize: 100 }, { Filters: filters })) {
        out.push(...page.InstanceTypes!.map((t) => t.InstanceType!));
      }
      return out.sort();
    };
    const expected = (pred: (t: InstanceTypeInfo) => boolean): string[] => {
      const offered = regionTypes("us-east-1");
      return TYPES.filter((t) => offered.has(t.InstanceType!) && pred(t))
        .map((t) => t.InstanceType!)
        .sort();
    };
    const cases: [string, Filter[], (t: InstanceTypeInfo) => boolean][] = [
      [
        "vcpu-info.default-vcpus + memory-info.size-in-mib",
        [f("vcpu-info.default-vcpus", "2"), f("memory-info.size-in-mib", "8192")],
        (t) => t.VCpuInfo?.DefaultVCpus === 2 && t.MemoryInfo?.SizeInMiB === 8192,
      ],
      [
        "vcpu-info.valid-threads-per-core",
        [f("vcpu-info.valid-threads-per-core", "1")],
        (t) => !!t.VCpuInfo?.ValidThreadsPerCore?.includes(1),
      ],
      ["ebs-info.nvme-support", [f("ebs-info.nvme-support", "unsupported")], (t) => t.EbsInfo?.NvmeSupport === "unsupported"],
      [
        "ebs-info.ebs-optimized-info.maximum-iops",
        [f("ebs-info.ebs-optimized-info.maximum-iops", "18750")],
        (t) => t.EbsInfo?.EbsOptimizedInfo?.MaximumIops === 18750,
      ],
      ["ebs-info.maximum-ebs-attachments", [f("ebs-info.maximum-ebs-attachments", "27")], (t) => t.EbsInfo?.MaximumEbsAttachments === 27],
      [
        "instance-storage-info.disk.type",
        [f("instance-storage-info.disk.type", "hdd")],
        (t) => !!t.InstanceStorageInfo?.Disks?.some((d) => d.Type === "hdd"),
      ],
      ["instance-storage-supported", [f("instance-storage-supported", "true")], (t) => t.InstanceStorageSupported === true],
      [
        "processor-info.sustained-clock-speed-in-ghz",
        [f("processor-info.sustained-clock-speed-in-ghz", "3.1")],
        (t) => t.ProcessorInfo?.SustainedClockSpeedInGhz === 3.1,
      ],
      [
        "processor-info.supported-features",
        [f("processor-info.supported-features", "amd-sev-snp")],
        (t) => !!t.ProcessorInfo?.SupportedFeatures?.includes("amd-sev-snp"),
      ],
      ["free-tier-eligible", [f("free-tier-eligible", "true")], (t) => t.FreeTierEligible === true],
      [
        "supported-usage-class",
        [f("supported-usage-class", "capacity-block")],
        (t) => !!t.SupportedUsageClasses?.includes("capacity-block"),
      ],
      ["supported-boot-mode", [f("supported-boot-mode", "legacy-bios")], (t) => !!t.SupportedBootModes?.includes("legacy-bios")],
      [
        "supported-virtualization-type",
        [f("supported-virtualization-type", "paravirtual")],
        (t) => !!t.SupportedVirtualizationTypes?.includes("paravirtual"),
      ],
      [
        "nitro-tpm-info.supported-versions",
        [f("nitro-tpm-info.supported-versions", "2.0")],
        (t) => !!t.NitroTpmInfo?.SupportedVersions?.includes("2.0"),
      ],
      ["hibernation-supported", [f("hibernation-supported", "true")], (t) => t.HibernationSupported === true],
      ["auto-recovery-supported", [f("auto-recovery-supported", "false")], (t) => t.AutoRecoverySupported === false],
      ["dedicated-hosts-supported", [f("dedicated-hosts-supported", "true")], (t) => t.DedicatedHostsSupported === true],
      ["nitro-enclaves-support", [f("nitro-enclaves-support", "supported")], (t) => t.NitroEnclavesSupport === "supported"],
      ["reboot-migration-support", [f("reboot-migration-support", "supported")], (t) => t.RebootMigrationSupport === "supported"],
    ];
    for (const [name, filters, pred] of cases) {
      it(`filter ${name}`, async () => {
        const want = expected(pred);
        assert.ok(want.length > 0, "the data has matches");
        assert.deepEqual(await filtered(...filters), want);
      });
    }
  });

  describe("DescribeInstanceTypeOfferings", () => {
    const all = async (input: DescribeInstanceTypeOfferingsCommandInput, pageSize = 1000): Promise<InstanceTypeOffering[]> => {
      const out: InstanceTypeOffering[] = [];
      for await (const page of paginateDescribeInstanceTypeOfferings({ client: h.ec2, pageSize }, input))
        out.push(...page.InstanceTypeOfferings!);
      return out;
    };

    it("defaults to the region: every offered type, Location the region", async () => {
      const rows = await all({});
      assert.equal(rows.length, regionTypes("us-east-1").size);
      assert.ok(rows.every((r) => r.LocationType === "region" && r.Location === "us-east-1"));
      assert.deepEqual(rows.map((r) => r.InstanceType).sort(), [...regionTypes("us-east-1")].sort());
    });

    it("availability-zone with an instance-type filter names the zones that offer it", async () => {
      const rows = await all({ LocationType: "availability-zone", Filters: [f("instance-type", "t3.micro")] });
      assert.deepEqual(
        rows.map((r) => [r.InstanceType, r.LocationType, r.Location]),
        ["a", "b", "c", "d", "f"].map((z) => ["t3.micro", "availability-zone", `us-east-1${z}`]),
      );
    });

    it("availability-zone-id, location filter with a wildcard type", async () => {
      const rows = await all({ LocationType: "availability-zone-id", Filters: [f("location", "use1-az3"), f("instance-type", "t2.*")] });
      const zone = OFFERINGS.regions["us-east-1"]!.find((z) => z.zoneId === "use1-az3")!;
      assert.deepEqual(
        rows.map((r) => r.InstanceType),
        [...offeredIn(zone)].filter((t) => t.startsWith("t2.")).sort(),
      );
      assert.ok(rows.every((r) => r.Location === "use1-az3" && r.LocationType === "availability-zone-id"));
    });

    it("pages with MaxResults and NextToken give the whole list once", async () => {
      const paged = await all({ LocationType: "availability-zone" }, 250);
      const whole = await all({ LocationType: "availability-zone" });
      assert.deepEqual(paged, whole);
      const expectedRows = OFFERINGS.regions["us-east-1"]!.reduce((n, z) => n + offeredIn(z).size, 0);
      assert.equal(whole.length, expectedRows);
    });

    it("refuses an unknown location type and MaxResults out of 5–1000", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: "planet" as never })),
        "InvalidParameterValue",
        /LocationType|planet/,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 4 })),
        "InvalidParameterValue",
        /maxResults|MaxResults/,
      );
    });
  });

  describe("RunInstances: the subnet's zone must offer the type", () => {
    const subnetIn = async (zone: string, cidr: string): Promise<string> => {
      const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
      const { Subnet } = await h.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: cidr, AvailabilityZone: zone }));
      return Subnet!.SubnetId!;
    };

    it("t3.micro in us-east-1e: Unsupported, naming the zones that offer it; nothing launched", async () => {
      const subnetId = await subnetIn("us-east-1e", "10.150.0.0/24");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: subnetId })),
        "Unsupported",
        "Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). " +
          "Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.",
      );
    });

    it("the default subnet of Placement.AvailabilityZone obeys the same rule; t2.micro is offered there", async () => {
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new RunInstancesCommand({
              ImageId: AMI,
              InstanceType: "m5.large",
              MinCount: 1,
              MaxCount: 1,
              Placement: { AvailabilityZone: "us-east-1e" },
            }),
          ),
        "Unsupported",
        /^Your requested instance type \(m5\.large\) is not supported in your requested Availability Zone \(us-east-1e\)\./,
      );
      const { Instances } = await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t2.micro",
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: "us-east-1e" },
        }),
      );
      assert.equal(Instances![0]!.Placement?.AvailabilityZone, "us-east-1e");
    });

    it("a type no zone of the region offers: AWS's generic Unsupported", async () => {
      const af = h.client("test", "af-south-1");
      const missing = [...regionTypes("us-east-1")].sort().find((t) => !regionTypes("af-south-1").has(t) && t.startsWith("t"))!;
      const before = await h.state("000000000000", "af-south-1");
      await expectError(
        af.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: missing as _InstanceType, MinCount: 1, MaxCount: 1 })),
        "Unsupported",
        "The requested configuration is currently not supported. Please check the documentation for supported configurations.",
      );
      assert.deepEqual(await h.state("000000000000", "af-south-1"), before);
      af.destroy();
    });
  });

  describe("regions", () => {
    it("DescribeRegions lists the enabled regions of the partition: no opt-in needed, or opted in", async () => {
      const { Regions } = await h.ec2.send(new DescribeRegionsCommand({}));
      const names = Regions!.map((r) => r.RegionName!);
      assert.ok(names.includes("us-west-1") && names.includes("af-south-1"));
      assert.ok(!names.includes("ap-east-1") && !names.includes("cn-north-1") && !names.includes("us-gov-west-1"));
      assert.equal(Regions!.find((r) => r.RegionName === "af-south-1")?.OptInStatus, "opted-in");
      assert.equal(Regions!.find((r) => r.RegionName === "us-east-1")?.OptInStatus, "opt-in-not-required");
      assert.equal(Regions!.find((r) => r.RegionName === "eu-west-1")?.Endpoint, "ec2.eu-west-1.amazonaws.com");
      assert.equal(names.length, 18);
    });

    it("AllRegions=true adds the opt-in regions not opted in; the opt-in-status filter selects them", async () => {
      const { Regions } = await h.ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
      assert.equal(Regions!.length, 34);
      const { Regions: off } = await h.ec2.send(
        new DescribeRegionsCommand({ AllRegions: true, Filters: [f("opt-in-status", "not-opted-in")] }),
      );
      assert.deepEqual(
        off!.map((r) => r.RegionName),
        [...OPT_IN_REGIONS].filter((r) => r !== "af-south-1").sort(),
      );
    });

    it("a region named explicitly is described whatever its status; an unknown one is refused", async () => {
      const { Regions } = await h.ec2.send(new DescribeRegionsCommand({ RegionNames: ["ap-east-1"] }));
      assert.deepEqual(
        Regions!.map((r) => [r.RegionName, r.OptInStatus]),
        [["ap-east-1", "not-opted-in"]],
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeRegionsCommand({ RegionNames: ["mars-east-1"] })),
        "InvalidParameterValue",
        "Invalid region: mars-east-1",
      );
    });

    it("China's partition lists its own regions", async () => {
      const cn = h.client("test", "cn-north-1");
      const { Regions } = await cn.send(new DescribeRegionsCommand({ AllRegions: true }));
      assert.deepEqual(
        Regions!.map((r) => [r.RegionName, r.Endpoint]),
        [
          ["cn-north-1", "ec2.cn-north-1.amazonaws.com.cn"],
          ["cn-northwest-1", "ec2.cn-northwest-1.amazonaws.com.cn"],
        ],
      );
      cn.destroy();
    });

    it("a call in an opt-in region not opted in: EC2 AuthFailure, STS InvalidClientTokenId; no scope created", async () => {
      const ape1 = h.client("test", "ap-east-1");
      await expectErrorNoChange(
        h,
        () => ape1.send(new DescribeVpcsCommand({})),
        "AuthFailure",
        "AWS was not able to validate the provided access credentials",
        401,
      );
      await expectError(
        ape1.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" })),
        "AuthFailure",
        "AWS was not able to validate the provided access credentials",
        401,
      );
      ape1.destroy();
      const sts = new STSClient({
        endpoint: h.vpc.url,
        region: "ap-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, "InvalidClientTokenId");
        assert.equal(e.message, "The security token included in the request is invalid.");
        assert.equal(e.$metadata?.httpStatusCode, 403);
        return true;
      });
      sts.destroy();
      const { scopes } = (await (await fetch(`${h.vpc.url}/_localvpc/console/api/scopes`)).json()) as { scopes: unknown[] };
      assert.ok(scopes.length > 0 && !JSON.stringify(scopes).includes("ap-east-1"), "no ap-east-1 scope was created");
    });

    it("an opted-in region works like any other: its default VPC", async () => {
      const af = h.client("test", "af-south-1");
      const { Vpcs } = await af.send(new DescribeVpcsCommand({ Filters: [f("is-default", "true")] }));
      assert.equal(Vpcs![0]!.CidrBlock, "172.31.0.0/16");
      af.destroy();
    });
  });

  describe("Availability Zones: real names and ids in every region", () => {
    it("us-west-1 has us-west-1a (usw1-az1) and us-west-1b (usw1-az3), and its default subnets use them", async () => {
      const usw1 = h.client("test", "us-west-1");
      const { AvailabilityZones } = await usw1.send(new DescribeAvailabilityZonesCommand({}));
      assert.deepEqual(
        AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.RegionName]),
        [
          ["us-west-1a", "usw1-az1", "us-west-1"],
          ["us-west-1b", "usw1-az3", "us-west-1"],
        ],
      );
      const { Subnets } = await usw1.send(new DescribeSubnetsCommand({ Filters: [f("default-for-az", "true")] }));
      assert.deepEqual(Subnets!.map((s) => [s.AvailabilityZone, s.AvailabilityZoneId]).sort(), [
        ["us-west-1a", "usw1-az1"],
        ["us-west-1b", "usw1-az3"],
      ]);
      const { Vpc } = await usw1.send(new CreateVpcCommand({ CidrBlock: "10.151.0.0/16" }));
      const { Subnet } = await usw1.send(
        new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: "10.151.1.0/24", AvailabilityZoneId: "usw1-az3" }),
      );
      assert.equal(Subnet!.AvailabilityZone, "us-west-1b");
      usw1.destroy();
    });

    it("every region of AWS's offerings data answers its zones, name and id, as the data pairs them", async () => {
      const regions = Object.keys(OFFERINGS.regions).filter((r) => !OPT_IN_REGIONS.has(r) || r === "af-south-1");
      assert.ok(regions.length >= 18);
      for (const region of regions) {
        const c = h.client("test", region);
        const { AvailabilityZones } = await c.send(new DescribeAvailabilityZonesCommand({}));
        assert.deepEqual(
          AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId]),
          OFFERINGS.regions[region]!.map((z) => [z.zoneName, z.zoneId]),
          region,
        );
        c.destroy();
      }
    });
  });
});
