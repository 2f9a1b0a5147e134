/**
 * VPCs end to end: the default VPC, CreateVpc/DeleteVpc rules, VPC attributes, secondary IPv4 and Amazon IPv6
 * blocks. Every rule is checked for code, exact message and unchanged state. State is reset before each test so
 * the 5-VPC quota never leaks between tests.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateSubnetCidrBlockCommand,
  AssociateVpcCidrBlockCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  ModifyVpcAttributeCommand,
  type Vpc,
} from "@aws-sdk/client-ec2";
import { containsCidr, formatCidr, parseCidr, subBlock } from "../../src/domain/cidr.js";
import { expectError, expectErrorNoChange, useHarness } from "./harness.js";

interface StoredRoute {
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  gatewayId?: string;
}
interface StoredRecord {
  kind: string;
  vpcId?: string;
  routes?: StoredRoute[];
}

describe("VPCs", () => {
  const h = useHarness();

  const createVpc = async (cidr: string, extra: { AmazonProvidedIpv6CidrBlock?: boolean } = {}): Promise<Vpc> => {
    const { Vpc: vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: cidr, ...extra }));
    assert.ok(vpc?.VpcId);
    return vpc;
  };
  const describeVpc = async (id: string): Promise<Vpc> => {
    const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [id] }));
    assert.equal(Vpcs?.length, 1);
    return Vpcs[0]!;
  };
  const localRoutes = async (vpcId: string): Promise<string[]> => {
    const { resources } = (await h.state()) as { resources: StoredRecord[] };
    const tables = resources.filter((r) => r.kind === "route-table" && r.vpcId === vpcId);
    assert.ok(tables.length > 0, "the VPC has a main route table");
    return tables[0]!.routes!.filter((r) => r.gatewayId === "local").map((r) => r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? "");
  };

  describe("default VPC", () => {
    it("a fresh account has one default VPC 172.31.0.0/16 with DNS support and hostnames on", async () => {
      const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
      assert.equal(Vpcs?.length, 1);
      const v = Vpcs[0]!;
      assert.equal(v.CidrBlock, "172.31.0.0/16");
      assert.equal(v.IsDefault, true);
      assert.equal(v.State, "available");
      assert.equal(v.InstanceTenancy, "default");
      assert.equal(v.OwnerId, "000000000000");
      assert.match(v.VpcId!, /^vpc-[0-9a-f]{17}$/);
      assert.deepEqual(
        v.CidrBlockAssociationSet?.map((a) => [a.CidrBlock, a.CidrBlockState?.State]),
        [["172.31.0.0/16", "associated"]],
      );
      assert.match(v.CidrBlockAssociationSet[0]!.AssociationId!, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
      const support = await h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: v.VpcId, Attribute: "enableDnsSupport" }));
      const hostnames = await h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: v.VpcId, Attribute: "enableDnsHostnames" }));
      assert.equal(support.EnableDnsSupport?.Value, true);
      assert.equal(hostnames.EnableDnsHostnames?.Value, true);
    });
  });

  describe("CreateVpc / DescribeVpcs / DeleteVpc", () => {
    it("creates a VPC (pending in the answer, available after), canonicalising the CIDR", async () => {
      const created = await createVpc("100.68.0.18/18");
      assert.equal(created.State, "pending");
      assert.equal(created.CidrBlock, "100.68.0.0/18");
      assert.equal(created.IsDefault, false);
      const v = await describeVpc(created.VpcId!);
      assert.equal(v.State, "available");
      assert.equal(v.CidrBlock, "100.68.0.0/18");
      assert.deepEqual(
        v.CidrBlockAssociationSet?.map((a) => a.CidrBlock),
        ["100.68.0.0/18"],
      );
      assert.equal(v.Ipv6CidrBlockAssociationSet, undefined);
    });

    it("accepts /16 and /28 and rejects /15 and /29 with InvalidVpc.Range", async () => {
      await createVpc("10.1.0.0/16");
      await createVpc("10.2.0.0/28");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/15" })),
        "InvalidVpc.Range",
        "The CIDR '10.0.0.0/15' is invalid.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/29" })),
        "InvalidVpc.Range",
        "The CIDR '10.3.0.0/29' is invalid.",
      );
    });

    it("rejects text that is not an IPv4 CIDR", async () => {
      for (const bad of ["10.0.0.0", "10.0.0.300/16", "2600::/56", "banana"]) {
        await expectErrorNoChange(
          h,
          () => h.ec2.send(new CreateVpcCommand({ CidrBlock: bad })),
          "InvalidParameterValue",
          `Value (${bad}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
        );
      }
    });

    it("requires CidrBlock", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({})),
        "MissingParameter",
        "The request must contain the parameter cidrBlock",
      );
    });

    it("enforces 5 VPCs per Region, the default VPC included", async () => {
      for (let i = 0; i < 4; i++) await createVpc(`10.${10 + i}.0.0/16`);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" })),
        "VpcLimitExceeded",
        "The maximum number of VPCs has been reached.",
      );
    });

    it("checks id form before existence", async () => {
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-xyz"] })),
        "InvalidVpcID.Malformed",
        'Invalid id: "vpc-xyz" (expecting "vpc-...")',
      );
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ VpcIds: ["subnet-0123456789abcdef0"] })),
        "InvalidVpcID.Malformed",
        'Invalid id: "subnet-0123456789abcdef0" (expecting "vpc-...")',
      );
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0123456789abcdef0"] })),
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVpcCommand({ VpcId: "vpc-nope" })),
        "InvalidVpcID.Malformed",
        'Invalid id: "vpc-nope" (expecting "vpc-...")',
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVpcCommand({ VpcId: "vpc-0123456789abcdef0" })),
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      );
    });

    it("DeleteVpc is a DependencyViolation while a subnet exists, then succeeds once it is gone", async () => {
      const v = await createVpc("10.30.0.0/16");
      const { Subnet } = await h.ec2.send(new CreateSubnetCommand({ VpcId: v.VpcId, CidrBlock: "10.30.1.0/24" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVpcCommand({ VpcId: v.VpcId })),
        "DependencyViolation",
        `The vpc '${v.VpcId}' has dependencies and cannot be deleted.`,
      );
      await h.ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
      await h.ec2.send(new DeleteVpcCommand({ VpcId: v.VpcId }));
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ VpcIds: [v.VpcId!] })),
        "InvalidVpcID.NotFound",
        `The vpc ID '${v.VpcId}' does not exist`,
      );
      const { resources } = (await h.state()) as { resources: StoredRecord[] };
      assert.ok(!resources.some((r) => r.vpcId === v.VpcId), "the default SG, main route table and default NACL go with the VPC");
    });

    it("DryRun DeleteVpc answers 412 and deletes nothing", async () => {
      const v = await createVpc("10.31.0.0/16");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVpcCommand({ VpcId: v.VpcId, DryRun: true })),
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
        412,
      );
      await describeVpc(v.VpcId!);
    });

    it("DescribeVpcs filters by secondary-block and IPv6 association fields", async () => {
      const a = await createVpc("10.40.0.0/16", { AmazonProvidedIpv6CidrBlock: true });
      const b = await createVpc("10.41.0.0/16");
      await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: b.VpcId, CidrBlock: "10.42.0.0/16" }));
      const bySecondary = await h.ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "cidr-block-association.cidr-block", Values: ["10.42.0.0/16"] }] }),
      );
      assert.deepEqual(
        bySecondary.Vpcs?.map((v) => v.VpcId),
        [b.VpcId],
      );
      const byPool = await h.ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "ipv6-cidr-block-association.ipv6-pool", Values: ["Amazon"] }] }),
      );
      assert.deepEqual(
        byPool.Vpcs?.map((v) => v.VpcId),
        [a.VpcId],
      );
      const byCidr = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr", Values: ["10.41.0.0/16"] }] }));
      assert.deepEqual(
        byCidr.Vpcs?.map((v) => v.VpcId),
        [b.VpcId],
      );
    });
  });

  describe("DescribeVpcAttribute / ModifyVpcAttribute", () => {
    it("reads all three attributes of a new VPC (DNS support on, hostnames off, NAU metrics off)", async () => {
      const v = await createVpc("10.50.0.0/16");
      const support = await h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: v.VpcId, Attribute: "enableDnsSupport" }));
      assert.equal(support.VpcId, v.VpcId);
      assert.equal(support.EnableDnsSupport?.Value, true);
      assert.equal(support.EnableDnsHostnames, undefined, "only the requested attribute is answered");
      const hostnames = await h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: v.VpcId, Attribute: "enableDnsHostnames" }));
      assert.equal(hostnames.EnableDnsHostnames?.Value, false);
      const nau = await h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: v.VpcId, Attribute: "enableNetworkAddressUsageMetrics" }));
      assert.equal(nau.EnableNetworkAddressUsageMetrics?.Value, false);
    });

    it("modifies one attribute per call", async () => {
      const v = await createVpc("10.51.0.0/16");
      await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableDnsHostnames: { Value: true } }));
      await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableNetworkAddressUsageMetrics: { Value: true } }));
      const read = async (Attribute: "enableDnsSupport" | "enableDnsHostnames" | "enableNetworkAddressUsageMetrics") =>
        h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: v.VpcId, Attribute }));
      assert.equal((await read("enableDnsHostnames")).EnableDnsHostnames?.Value, true);
      assert.equal((await read("enableNetworkAddressUsageMetrics")).EnableNetworkAddressUsageMetrics?.Value, true);
      await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableDnsHostnames: { Value: false } }));
      await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableDnsSupport: { Value: false } }));
      assert.equal((await read("enableDnsSupport")).EnableDnsSupport?.Value, false);
      assert.equal((await read("enableDnsHostnames")).EnableDnsHostnames?.Value, false);
    });

    it("rejects two attributes in one call, naming them", async () => {
      const v = await createVpc("10.52.0.0/16");
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableDnsSupport: { Value: true }, EnableDnsHostnames: { Value: true } }),
          ),
        "InvalidParameterCombination",
        "Fields for multiple attribute types specified: enableDnsHostnames, enableDnsSupport",
      );
    });

    it("rejects a call with no attribute", async () => {
      const v = await createVpc("10.53.0.0/16");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId })),
        "MissingParameter",
        "The request must contain one of the following parameters: enableDnsSupport, enableDnsHostnames, enableNetworkAddressUsageMetrics",
      );
    });

    it("DNS hostnames need DNS support", async () => {
      const v = await createVpc("10.54.0.0/16");
      await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableDnsSupport: { Value: false } }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: v.VpcId, EnableDnsHostnames: { Value: true } })),
        "InvalidParameterValue",
        "Cannot enable DNS hostnames unless DNS support is enabled.",
      );
    });

    it("unknown or malformed VPC ids", async () => {
      await expectError(
        h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: "vpc-0123456789abcdef0", Attribute: "enableDnsSupport" })),
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: "vpc-bad", EnableDnsSupport: { Value: true } })),
        "InvalidVpcID.Malformed",
        'Invalid id: "vpc-bad" (expecting "vpc-...")',
      );
    });
  });

  describe("secondary IPv4 blocks", () => {
    it("associates a block (associating, then associated) with a local route, and subnets can use it", async () => {
      const v = await createVpc("10.60.0.0/16");
      const r = await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.61.0.7/16" }));
      assert.equal(r.VpcId, v.VpcId);
      assert.equal(r.CidrBlockAssociation?.CidrBlock, "10.61.0.0/16");
      assert.equal(r.CidrBlockAssociation.CidrBlockState?.State, "associating");
      assert.match(r.CidrBlockAssociation.AssociationId!, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
      const after = await describeVpc(v.VpcId!);
      assert.equal(after.CidrBlock, "10.60.0.0/16", "the primary block stays the VPC's CidrBlock");
      assert.deepEqual(
        after.CidrBlockAssociationSet?.map((a) => [a.CidrBlock, a.CidrBlockState?.State]),
        [
          ["10.60.0.0/16", "associated"],
          ["10.61.0.0/16", "associated"],
        ],
      );
      assert.deepEqual(await localRoutes(v.VpcId!), ["10.60.0.0/16", "10.61.0.0/16"]);
      const { Subnet } = await h.ec2.send(new CreateSubnetCommand({ VpcId: v.VpcId, CidrBlock: "10.61.4.0/24" }));
      assert.equal(Subnet?.CidrBlock, "10.61.4.0/24");
    });

    it("rejects a block that overlaps the VPC's blocks", async () => {
      const v = await createVpc("10.62.0.0/16");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.62.128.0/17" })),
        "InvalidVpc.Range",
        `The CIDR '10.62.128.0/17' conflicts with another CIDR block associated with ${v.VpcId}.`,
      );
    });

    it("rejects sizes outside /16–/28 and non-CIDR text", async () => {
      const v = await createVpc("10.63.0.0/16");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.64.0.0/29" })),
        "InvalidVpc.Range",
        "The CIDR '10.64.0.0/29' is invalid.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.64.0.0/15" })),
        "InvalidVpc.Range",
        "The CIDR '10.64.0.0/15' is invalid.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.64.0/16" })),
        "InvalidParameterValue",
        "Value (10.64.0/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
      );
    });

    it("applies the RFC 1918 / 198.19.0.0/16 restrictions", async () => {
      const restricted = (cidr: string): string =>
        `The CIDR '${cidr}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.`;
      const ten = await createVpc("10.65.0.0/16");
      const pub = await createVpc("100.64.0.0/16");
      for (const [vpc, cidr] of [
        [ten, "192.168.0.0/16"],
        [ten, "172.16.0.0/16"],
        [ten, "198.19.0.0/16"],
        [pub, "10.66.0.0/16"],
      ] as const) {
        await expectErrorNoChange(
          h,
          () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpc.VpcId, CidrBlock: cidr })),
          "InvalidVpc.Range",
          restricted(cidr),
        );
      }
      // Same RFC 1918 range, 100.64.0.0/10 and publicly routable blocks are allowed.
      for (const cidr of ["10.67.0.0/16", "100.65.0.0/16", "8.8.0.0/24"]) {
        await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: ten.VpcId, CidrBlock: cidr }));
      }
    });

    it("counts the primary block against the 5-block quota", async () => {
      const v = await createVpc("10.70.0.0/16");
      for (let i = 1; i <= 4; i++) await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: `10.${70 + i}.0.0/16` }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.75.0.0/16" })),
        "CidrLimitExceeded",
        `This network ${v.VpcId} has met its maximum number of allowed CIDRs: 5`,
      );
    });

    it("needs exactly one of CidrBlock / AmazonProvidedIpv6CidrBlock / Ipv6Pool; an unknown pool is not found", async () => {
      const v = await createVpc("10.76.0.0/16");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId })),
        "MissingParameter",
        "The request must contain one of the following parameters: cidrBlock, amazonProvidedIpv6CidrBlock, ipv6Pool",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.77.0.0/16", AmazonProvidedIpv6CidrBlock: true })),
        "InvalidParameterCombination",
        "The parameters cidrBlock and amazonProvidedIpv6CidrBlock cannot be used together",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, Ipv6Pool: "ipv6pool-ec2-0123456789abcdef0" })),
        // BYOIP IPv6 pools are implemented (test/e2e/byoip.test.ts); an unknown one is not found.
        "InvalidPoolID.NotFound",
        "The pool ID 'ipv6pool-ec2-0123456789abcdef0' does not exist",
      );
    });

    it("disassociates a secondary block; never the primary; not while a subnet uses it", async () => {
      const v = await createVpc("10.80.0.0/16");
      const r = await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.81.0.0/16" }));
      const assocId = r.CidrBlockAssociation!.AssociationId!;
      const { Subnet } = await h.ec2.send(new CreateSubnetCommand({ VpcId: v.VpcId, CidrBlock: "10.81.2.0/24" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assocId })),
        "InvalidCidrBlock.InUse",
        `The vpc ${v.VpcId} currently has a subnet within CIDR block 10.81.0.0/16`,
      );
      const primaryId = v.CidrBlockAssociationSet![0]!.AssociationId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: primaryId })),
        "OperationNotPermitted",
        `The vpc CIDR block with association ID ${primaryId} may not be disassociated. It is the primary IPv4 CIDR block of the VPC ${v.VpcId}.`,
      );
      await h.ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
      const d = await h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assocId }));
      assert.equal(d.VpcId, v.VpcId);
      assert.deepEqual(
        [d.CidrBlockAssociation?.CidrBlock, d.CidrBlockAssociation?.CidrBlockState?.State],
        ["10.81.0.0/16", "disassociating"],
      );
      assert.deepEqual(
        (await describeVpc(v.VpcId!)).CidrBlockAssociationSet?.map((a) => a.CidrBlock),
        ["10.80.0.0/16"],
      );
      assert.deepEqual(await localRoutes(v.VpcId!), ["10.80.0.0/16"]);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assocId })),
        "InvalidVpcCidrBlockAssociationID.NotFound",
        `The vpc CIDR block association ID '${assocId}' does not exist`,
      );
    });

    it("checks association id form before existence", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: "vpc-0123456789abcdef0" })),
        "InvalidVpcCidrBlockAssociationId.Malformed",
        'Invalid id: "vpc-0123456789abcdef0" (expecting "vpc-cidr-assoc-...")',
      );
    });
  });

  describe("Amazon-provided IPv6", () => {
    /** Amazon's VPC IPv6 blocks are /56s of 2600:1f00::/24, written in canonical (compressed) form. */
    const assertAmazonBlock = (text: string | undefined): void => {
      const c = parseCidr(text ?? "");
      assert.ok(c && c.prefix === 56 && containsCidr(parseCidr("2600:1f00::/24")!, c), `${text} is an Amazon /56`);
      assert.equal(formatCidr(c), text);
    };

    it("CreateVpc with AmazonProvidedIpv6CidrBlock gets a /56 from 2600:1f00::/24 and a local route", async () => {
      const v = await createVpc("10.90.0.0/16", { AmazonProvidedIpv6CidrBlock: true });
      const a = (await describeVpc(v.VpcId!)).Ipv6CidrBlockAssociationSet?.[0];
      assertAmazonBlock(a?.Ipv6CidrBlock);
      assert.equal(a?.Ipv6CidrBlockState?.State, "associated");
      assert.equal(a.NetworkBorderGroup, "us-east-1");
      assert.equal(a.Ipv6Pool, "Amazon");
      assert.deepEqual(await localRoutes(v.VpcId!), ["10.90.0.0/16", a.Ipv6CidrBlock]);
    });

    it("AssociateVpcCidrBlock adds one /56; a second is refused", async () => {
      const v = await createVpc("10.91.0.0/16");
      const r = await h.ec2.send(
        new AssociateVpcCidrBlockCommand({
          VpcId: v.VpcId,
          AmazonProvidedIpv6CidrBlock: true,
          Ipv6CidrBlockNetworkBorderGroup: "us-east-1",
        }),
      );
      assert.equal(r.Ipv6CidrBlockAssociation?.Ipv6CidrBlockState?.State, "associating");
      assertAmazonBlock(r.Ipv6CidrBlockAssociation.Ipv6CidrBlock);
      assert.equal(r.Ipv6CidrBlockAssociation.NetworkBorderGroup, "us-east-1");
      const described = (await describeVpc(v.VpcId!)).Ipv6CidrBlockAssociationSet;
      assert.deepEqual(
        described?.map((a) => [a.AssociationId, a.Ipv6CidrBlockState?.State]),
        [[r.Ipv6CidrBlockAssociation.AssociationId, "associated"]],
      );
      // Up to 5 IPv6 blocks per VPC (VPC quotas: "IPv6 CIDR blocks per VPC", 5); the sixth is CidrLimitExceeded.
      for (let n = 2; n <= 5; n++) {
        const more = await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, AmazonProvidedIpv6CidrBlock: true }));
        assertAmazonBlock(more.Ipv6CidrBlockAssociation?.Ipv6CidrBlock);
      }
      const five = (await describeVpc(v.VpcId!)).Ipv6CidrBlockAssociationSet ?? [];
      assert.equal(new Set(five.map((a) => a.Ipv6CidrBlock)).size, 5);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, AmazonProvidedIpv6CidrBlock: true })),
        "CidrLimitExceeded",
        `This network ${v.VpcId} has met its maximum number of allowed CIDRs: 5`,
      );
    });

    it("validates the network border group", async () => {
      const v = await createVpc("10.92.0.0/16");
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AssociateVpcCidrBlockCommand({
              VpcId: v.VpcId,
              AmazonProvidedIpv6CidrBlock: true,
              Ipv6CidrBlockNetworkBorderGroup: "us-west-2",
            }),
          ),
        "InvalidParameterValue",
        "The network border group 'us-west-2' is invalid",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AssociateVpcCidrBlockCommand({ VpcId: v.VpcId, CidrBlock: "10.93.0.0/16", Ipv6CidrBlockNetworkBorderGroup: "us-east-1" }),
          ),
        "InvalidParameterCombination",
        "The parameter ipv6CidrBlockNetworkBorderGroup requires amazonProvidedIpv6CidrBlock to be true",
      );
    });

    it("disassociates the IPv6 block, but not while a subnet holds a /64 of it", async () => {
      const v = await createVpc("10.94.0.0/16", { AmazonProvidedIpv6CidrBlock: true });
      const assoc = (await describeVpc(v.VpcId!)).Ipv6CidrBlockAssociationSet![0]!;
      const { Subnet } = await h.ec2.send(new CreateSubnetCommand({ VpcId: v.VpcId, CidrBlock: "10.94.0.0/24" }));
      const slash64 = formatCidr(subBlock(parseCidr(assoc.Ipv6CidrBlock!)!, 64, 1n));
      await h.ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId: Subnet!.SubnetId, Ipv6CidrBlock: slash64 }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assoc.AssociationId })),
        "InvalidCidrBlock.InUse",
        `The vpc ${v.VpcId} currently has a subnet within CIDR block ${assoc.Ipv6CidrBlock}`,
      );
      await h.ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
      const d = await h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: assoc.AssociationId }));
      assert.deepEqual(
        [d.Ipv6CidrBlockAssociation?.Ipv6CidrBlock, d.Ipv6CidrBlockAssociation?.Ipv6CidrBlockState?.State],
        [assoc.Ipv6CidrBlock, "disassociating"],
      );
      assert.equal((await describeVpc(v.VpcId!)).Ipv6CidrBlockAssociationSet?.length ?? 0, 0);
      assert.deepEqual(await localRoutes(v.VpcId!), ["10.94.0.0/16"]);
    });
  });
});
