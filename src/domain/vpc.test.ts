/** Table tests for the pure VPC rules: secondary IPv4 blocks, CIDR disassociation, attributes, local routes. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseCidr } from "./cidr.js";
import { Ec2Error } from "./errors.js";
import type { SubnetRecord, VpcRecord } from "./types.js";
import {
  checkSecondaryIpv4,
  findVpcCidrAssociation,
  mainRouteTable,
  newVpc,
  withAmazonIpv6Block,
  withIpv4Block,
  withLocalRoutes,
  withoutCidrBlock,
  withVpcAttribute,
} from "./vpc.js";

const vpc = (cidr: string): VpcRecord =>
  newVpc({
    id: "vpc-00000000000000001",
    ownerId: "000000000000",
    cidr: parseCidr(cidr)!,
    cidrAssociationId: "vpc-cidr-assoc-00000000000000001",
    isDefault: false,
    instanceTenancy: "default",
    tags: [],
  });

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return e.code;
  }
};

describe("checkSecondaryIpv4", () => {
  const cases: [primary: string, secondary: string, expected: string | undefined][] = [
    ["10.0.0.0/16", "10.1.0.0/16", undefined],
    ["10.0.0.0/16", "100.64.0.0/16", undefined],
    ["10.0.0.0/16", "8.8.8.0/24", undefined],
    ["10.0.0.0/16", "10.0.128.0/17", "InvalidVpc.Range"],
    ["10.0.0.0/16", "172.16.0.0/16", "InvalidVpc.Range"],
    ["10.0.0.0/16", "192.168.0.0/16", "InvalidVpc.Range"],
    ["10.0.0.0/16", "198.19.0.0/16", "InvalidVpc.Range"],
    ["172.20.0.0/16", "172.21.0.0/16", undefined],
    ["192.168.0.0/16", "10.0.0.0/16", "InvalidVpc.Range"],
    ["100.64.0.0/16", "10.0.0.0/16", "InvalidVpc.Range"],
    ["100.64.0.0/16", "100.65.0.0/16", undefined],
    ["198.19.0.0/16", "10.0.0.0/16", "InvalidVpc.Range"],
    ["198.19.0.0/17", "198.19.128.0/17", undefined],
  ];
  for (const [primary, secondary, expected] of cases) {
    it(`${primary} + ${secondary} → ${expected ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => checkSecondaryIpv4(vpc(primary), parseCidr(secondary)!, secondary, 5)),
        expected,
      ));
  }

  it("counts the primary block against the quota", () => {
    let v = vpc("10.0.0.0/16");
    for (let i = 1; i < 5; i++) v = withIpv4Block(v, parseCidr(`10.${i}.0.0/16`)!, `vpc-cidr-assoc-0000000000000000${i + 1}`);
    assert.equal(
      codeOf(() => checkSecondaryIpv4(v, parseCidr("10.9.0.0/16")!, "10.9.0.0/16", 5)),
      "CidrLimitExceeded",
    );
    assert.equal(
      codeOf(() => checkSecondaryIpv4(v, parseCidr("10.9.0.0/16")!, "10.9.0.0/16", 6)),
      undefined,
    );
  });
});

describe("withoutCidrBlock", () => {
  const base = withIpv4Block(vpc("10.0.0.0/16"), parseCidr("10.1.0.0/16")!, "vpc-cidr-assoc-00000000000000002");
  const subnet = (cidrBlock: string | undefined, ipv6?: string): SubnetRecord =>
    ({
      kind: "subnet",
      id: "subnet-00000000000000001",
      tags: [],
      vpcId: base.id,
      cidrBlock,
      ipv6Associations: ipv6 ? [{ associationId: "subnet-cidr-assoc-00000000000000001", ipv6CidrBlock: ipv6, state: "associated" }] : [],
    }) as unknown as SubnetRecord; // only the fields the rule reads
  const withV6 = withAmazonIpv6Block(base, {
    associationId: "vpc-cidr-assoc-00000000000000003",
    randomHex8: "18abcd12",
    networkBorderGroup: "us-east-1",
  });
  const v6Block = withV6.ipv6Associations[0]!.ipv6CidrBlock;

  const cases: [name: string, assoc: string, subnets: SubnetRecord[], expected: string | undefined][] = [
    ["primary", "vpc-cidr-assoc-00000000000000001", [], "OperationNotPermitted"],
    ["unused secondary", "vpc-cidr-assoc-00000000000000002", [subnet("10.0.1.0/24")], undefined],
    ["secondary holding a subnet", "vpc-cidr-assoc-00000000000000002", [subnet("10.1.1.0/24")], "InvalidCidrBlock.InUse"],
    ["IPv6 block, IPv6-less subnet", "vpc-cidr-assoc-00000000000000003", [subnet("10.0.1.0/24")], undefined],
    [
      "IPv6 block holding a /64",
      "vpc-cidr-assoc-00000000000000003",
      [subnet("10.0.1.0/24", v6Block.replace("/56", "/64"))],
      "InvalidCidrBlock.InUse",
    ],
  ];
  for (const [name, assoc, subnets, expected] of cases) {
    it(`${name} → ${expected ?? "ok"}`, () => {
      const ref = findVpcCidrAssociation([withV6], assoc);
      assert.ok(ref);
      assert.equal(
        codeOf(() => withoutCidrBlock(ref, subnets)),
        expected,
      );
    });
  }

  it("the Amazon /56 is derived from the random digits, canonically written", () => assert.equal(v6Block, "2600:1f18:abcd:1200::/56"));
});

describe("withVpcAttribute", () => {
  const off = { ...vpc("10.0.0.0/16"), enableDnsSupport: false };
  const cases: [
    name: string,
    v: VpcRecord,
    changes: ["enableDnsSupport" | "enableDnsHostnames" | "enableNetworkAddressUsageMetrics", boolean][],
    expected: string | undefined,
  ][] = [
    ["none", vpc("10.0.0.0/16"), [], "MissingParameter"],
    [
      "two",
      vpc("10.0.0.0/16"),
      [
        ["enableDnsHostnames", true],
        ["enableDnsSupport", true],
      ],
      "InvalidParameterCombination",
    ],
    ["hostnames on with support on", vpc("10.0.0.0/16"), [["enableDnsHostnames", true]], undefined],
    ["hostnames on with support off", off, [["enableDnsHostnames", true]], "InvalidParameterValue"],
    ["hostnames off with support off", off, [["enableDnsHostnames", false]], undefined],
    ["metrics", vpc("10.0.0.0/16"), [["enableNetworkAddressUsageMetrics", true]], undefined],
  ];
  for (const [name, v, changes, expected] of cases) {
    it(`${name} → ${expected ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => withVpcAttribute(v, changes)),
        expected,
      ));
  }
  it("sets the attribute", () =>
    assert.equal(
      withVpcAttribute(vpc("10.0.0.0/16"), [["enableNetworkAddressUsageMetrics", true]]).enableNetworkAddressUsageMetrics,
      true,
    ));
});

describe("withLocalRoutes", () => {
  it("keeps one local route per block, first, and leaves other routes alone", () => {
    const v = withIpv4Block(vpc("10.0.0.0/16"), parseCidr("10.1.0.0/16")!, "vpc-cidr-assoc-00000000000000002");
    const table = mainRouteTable({
      id: "rtb-00000000000000001",
      vpc: vpc("10.0.0.0/16"),
      associationId: "rtbassoc-00000000000000001",
      internetGatewayId: "igw-00000000000000001",
    });
    const routes = withLocalRoutes(table, v).routes.map(
      (r) => `${r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? ""}>${r.gatewayId ?? ""}`,
    );
    assert.deepEqual(routes, ["10.0.0.0/16>local", "10.1.0.0/16>local", "0.0.0.0/0>igw-00000000000000001"]);
  });
});
