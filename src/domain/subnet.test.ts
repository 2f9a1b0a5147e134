/** Table tests for the pure subnet rules: IPv4/IPv6 block checks, attribute changes, IPv6 disassociation. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatCidr, parseCidr } from "./cidr.js";
import { Ec2Error } from "./errors.js";
import type { SubnetRecord, VpcRecord } from "./types.js";
import {
  checkSubnetIpv4,
  checkSubnetIpv6,
  withoutSubnetIpv6,
  withSubnetAttribute,
  withSubnetIpv6,
  type SubnetAttributeChanges,
} from "./subnet.js";
import { newVpc, withAmazonIpv6Block } from "./vpc.js";

const v4 = newVpc({
  id: "vpc-00000000000000001",
  ownerId: "000000000000",
  cidr: parseCidr("10.0.0.0/16")!,
  cidrAssociationId: "vpc-cidr-assoc-00000000000000001",
  isDefault: false,
  instanceTenancy: "default",
  tags: [],
});
// 2600:1f18:abcd:1200::/56
const dual: VpcRecord = withAmazonIpv6Block(v4, {
  associationId: "vpc-cidr-assoc-00000000000000002",
  randomHex8: "18abcd12",
  networkBorderGroup: "us-east-1",
});

const subnet = (p: Partial<SubnetRecord>): SubnetRecord => ({
  kind: "subnet",
  id: "subnet-00000000000000001",
  tags: [],
  vpcId: v4.id,
  ownerId: "000000000000",
  cidrBlock: "10.0.0.0/24",
  state: "available",
  availabilityZone: "us-east-1a",
  availabilityZoneId: "use1-az1",
  defaultForAz: false,
  mapPublicIpOnLaunch: false,
  assignIpv6AddressOnCreation: false,
  ipv6Native: false,
  enableDns64: false,
  privateDnsHostnameTypeOnLaunch: "ip-name",
  enableResourceNameDnsARecordOnLaunch: false,
  enableResourceNameDnsAAAARecordOnLaunch: false,
  ipv6Associations: [],
  ...p,
});
const withV6 = (block: string): SubnetRecord =>
  subnet({ ipv6Associations: [{ associationId: "subnet-cidr-assoc-00000000000000001", ipv6CidrBlock: block, state: "associated" }] });

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return e.code;
  }
};

describe("checkSubnetIpv4", () => {
  const siblings = [subnet({ cidrBlock: "10.0.0.0/24" })];
  const cases: [string, string | undefined][] = [
    ["10.0.1.0/24", undefined],
    ["10.0.1.9/24", undefined],
    ["10.0.0.128/25", "InvalidSubnet.Conflict"],
    ["10.0.0.0/16", "InvalidSubnet.Conflict"],
    ["10.0.2.0/29", "InvalidSubnet.Range"],
    ["10.1.0.0/24", "InvalidSubnet.Range"],
    ["2600:1f18:abcd:1200::/64", "InvalidParameterValue"],
    ["10.0.2.0", "InvalidParameterValue"],
  ];
  for (const [cidr, expected] of cases) {
    it(`${cidr} → ${expected ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => checkSubnetIpv4(v4, siblings, cidr)),
        expected,
      ));
  }
  it("canonicalises", () => assert.equal(formatCidr(checkSubnetIpv4(v4, [], "10.0.1.9/24")), "10.0.1.0/24"));
});

describe("checkSubnetIpv6", () => {
  const siblings = [withV6("2600:1f18:abcd:1200::/64")];
  const cases: [VpcRecord, string, string | undefined][] = [
    [dual, "2600:1f18:abcd:1201::/64", undefined],
    [dual, "2600:1f18:abcd:12ff::/64", undefined],
    [dual, "2600:1f18:abcd:1200::/64", "InvalidSubnet.Conflict"],
    [dual, "2600:1f18:abcd:1300::/64", "InvalidSubnet.Range"],
    [dual, "2600:1f18:abcd:1210::/60", undefined],
    [dual, "2600:1f18:abcd:1200::/56", "InvalidSubnet.Conflict"],
    [dual, "2600:1f18:abcd:1220::/62", "InvalidParameterValue"],
    [dual, "2600:1f18:abcd:1220::/68", "InvalidParameterValue"],
    [dual, "2600:1f18:abcd:1300::/60", "InvalidSubnet.Range"],
    [dual, "10.0.1.0/24", "InvalidParameterValue"],
    [v4, "2600:1f18:abcd:1201::/64", "InvalidParameterValue"],
  ];
  for (const [vpc, cidr, expected] of cases) {
    it(`${vpc === dual ? "dual-stack" : "IPv4-only"} VPC: ${cidr} → ${expected ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => checkSubnetIpv6(vpc, siblings, cidr)),
        expected,
      ));
  }
  it("a subnet holds one /64", () =>
    assert.equal(
      codeOf(() => withSubnetIpv6(siblings[0]!, parseCidr("2600:1f18:abcd:1201::/64")!, "subnet-cidr-assoc-00000000000000002")),
      "InvalidParameterValue",
    ));
});

describe("withSubnetAttribute", () => {
  const plain = subnet({});
  const v6 = withV6("2600:1f18:abcd:1200::/64");
  const native = subnet({ cidrBlock: undefined, ipv6Native: true });
  const cases: [name: string, s: SubnetRecord, changes: SubnetAttributeChanges, expected: string | undefined][] = [
    ["none", plain, {}, "MissingParameter"],
    ["all undefined", plain, { mapPublicIpOnLaunch: undefined }, "MissingParameter"],
    ["two", plain, { assignIpv6AddressOnCreation: false, mapPublicIpOnLaunch: true }, "InvalidParameterCombination"],
    ["map public ip", plain, { mapPublicIpOnLaunch: true }, undefined],
    ["assign IPv6 without a block", plain, { assignIpv6AddressOnCreation: true }, "InvalidParameterValue"],
    ["assign IPv6 off without a block", plain, { assignIpv6AddressOnCreation: false }, undefined],
    ["assign IPv6 with a block", v6, { assignIpv6AddressOnCreation: true }, undefined],
    ["public IPv4 on an IPv6-only subnet", native, { mapPublicIpOnLaunch: true }, "InvalidParameterValue"],
    ["hostname type", plain, { privateDnsHostnameTypeOnLaunch: "resource-name" }, undefined],
  ];
  for (const [name, s, changes, expected] of cases) {
    it(`${name} → ${expected ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => withSubnetAttribute(s, changes)),
        expected,
      ));
  }
  it("names the offending attributes in model order", () => {
    assert.throws(
      () => withSubnetAttribute(plain, { assignIpv6AddressOnCreation: false, mapPublicIpOnLaunch: true, enableDns64: true }),
      (e: unknown) => e instanceof Ec2Error && e.message.endsWith("[assignIpv6AddressOnCreation, mapPublicIpOnLaunch, enableDns64]"),
    );
  });
  it("sets the attribute", () => assert.equal(withSubnetAttribute(plain, { enableDns64: true }).enableDns64, true));
});

describe("withoutSubnetIpv6", () => {
  const s = withV6("2600:1f18:abcd:1200::/64");
  const assoc = "subnet-cidr-assoc-00000000000000001";
  const cases: [name: string, subnet: SubnetRecord, inUse: number, expected: string | undefined][] = [
    ["idle", s, 0, undefined],
    ["assign on creation", { ...s, assignIpv6AddressOnCreation: true }, 0, "InvalidCidrBlock.InUse"],
    ["addresses in use", s, 2, "InvalidCidrBlock.InUse"],
  ];
  for (const [name, sub, inUse, expected] of cases) {
    it(`${name} → ${expected ?? "ok"}`, () =>
      assert.equal(
        codeOf(() => withoutSubnetIpv6(sub, assoc, inUse)),
        expected,
      ));
  }
  it("removes the association", () => assert.deepEqual(withoutSubnetIpv6(s, assoc, 0).ipv6Associations, []));
});
