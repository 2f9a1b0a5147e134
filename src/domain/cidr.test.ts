/** Table tests for CIDR arithmetic: parsing/canonicalisation, containment, overlap, reserved addresses, carving. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  containsCidr,
  formatCidr,
  isReservedInSubnet,
  overlaps,
  parseAddress,
  parseCidr,
  privateRangeOf,
  subBlock,
  usableIpv4Count,
  type Cidr,
} from "./cidr.js";

const c = (text: string): Cidr => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `test fixture ${text} must parse`);
  return parsed;
};
const addr = (text: string): bigint => {
  const a = parseAddress(text);
  assert.ok(a, `test fixture ${text} must parse`);
  return a.value;
};

describe("parseCidr / formatCidr", () => {
  const canonical: [input: string, expected: string][] = [
    ["10.0.0.0/16", "10.0.0.0/16"],
    // AWS canonicalises host bits away (VPC User Guide, subnet sizing).
    ["100.68.0.18/18", "100.68.0.0/18"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["192.168.1.77/32", "192.168.1.77/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["255.255.255.255/0", "0.0.0.0/0"],
    ["2600:1f18:0000:0000::/56", "2600:1f18::/56"],
    ["2600:1F18:ABCD:1200:0:0:0:1/56", "2600:1f18:abcd:1200::/56"],
    ["2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"],
    ["2001:db8:1234:5678:9abc::/64", "2001:db8:1234:5678::/64"],
    ["::/0", "::/0"],
  ];
  for (const [input, expected] of canonical) {
    it(`${input} → ${expected}`, () => assert.equal(formatCidr(c(input)), expected));
  }

  const invalid = [
    "10.0.0.0",
    "10.0.0.0/33",
    "10.0.0/16",
    "10.0.0.256/16",
    "10.0.0.0/-1",
    "10.0.0.0/1a",
    "::/129",
    "x/8",
    "",
    "/16",
    "2001:db8::%eth0/64",
    "010.0.0.0/8",
  ];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.equal(parseCidr(input), undefined));
  }

  it("reports the family and prefix", () => {
    assert.deepEqual([c("10.0.0.0/16").version, c("10.0.0.0/16").prefix], [4, 16]);
    assert.deepEqual([c("2600::/56").version, c("2600::/56").prefix], [6, 56]);
  });
});

describe("containsCidr", () => {
  const cases: [outer: string, inner: string, expected: boolean][] = [
    ["10.0.0.0/16", "10.0.0.0/16", true],
    ["10.0.0.0/16", "10.0.255.240/28", true],
    ["10.0.0.0/16", "10.1.0.0/24", false],
    ["10.0.0.0/16", "10.0.0.0/15", false],
    ["10.0.0.0/16", "9.255.255.0/24", false],
    ["2600:1f18:abcd:1200::/56", "2600:1f18:abcd:12ff::/64", true],
    ["2600:1f18:abcd:1200::/56", "2600:1f18:abcd:1300::/64", false],
    // Different families never contain each other.
    ["0.0.0.0/0", "::/0", false],
  ];
  for (const [outer, inner, expected] of cases) {
    it(`${outer} ⊇ ${inner} = ${expected}`, () => assert.equal(containsCidr(c(outer), c(inner)), expected));
  }
});

describe("overlaps", () => {
  const cases: [a: string, b: string, expected: boolean][] = [
    ["10.0.0.0/24", "10.0.0.0/24", true],
    ["10.0.0.0/24", "10.0.0.128/25", true],
    ["10.0.0.0/24", "10.0.1.0/24", false],
    ["10.0.0.0/23", "10.0.1.0/24", true],
    ["10.0.0.0/24", "10.0.0.255/32", true],
    ["10.0.1.0/24", "10.0.0.255/32", false],
    ["2600::/64", "2600::1/128", true],
    ["2600::/64", "2600:0:0:1::/64", false],
    ["10.0.0.0/8", "::/0", false],
  ];
  for (const [a, b, expected] of cases) {
    it(`${a} ∩ ${b} = ${expected}`, () => {
      assert.equal(overlaps(c(a), c(b)), expected);
      assert.equal(overlaps(c(b), c(a)), expected, "symmetric");
    });
  }
});

describe("isReservedInSubnet (first four + last)", () => {
  const cases: [subnet: string, address: string, expected: boolean][] = [
    ["10.0.0.0/24", "10.0.0.0", true],
    ["10.0.0.0/24", "10.0.0.1", true],
    ["10.0.0.0/24", "10.0.0.2", true],
    ["10.0.0.0/24", "10.0.0.3", true],
    ["10.0.0.0/24", "10.0.0.4", false],
    ["10.0.0.0/24", "10.0.0.254", false],
    ["10.0.0.0/24", "10.0.0.255", true],
    ["10.0.0.16/28", "10.0.0.19", true],
    ["10.0.0.16/28", "10.0.0.20", false],
    ["10.0.0.16/28", "10.0.0.30", false],
    ["10.0.0.16/28", "10.0.0.31", true],
    ["2600:1f18::/64", "2600:1f18::3", true],
    ["2600:1f18::/64", "2600:1f18::4", false],
    ["2600:1f18::/64", "2600:1f18::ffff:ffff:ffff:ffff", true],
  ];
  for (const [subnet, address, expected] of cases) {
    it(`${address} in ${subnet} reserved = ${expected}`, () => assert.equal(isReservedInSubnet(c(subnet), addr(address)), expected));
  }
});

describe("usableIpv4Count (size − 5)", () => {
  const cases: [string, number][] = [
    ["10.0.0.0/16", 65531],
    ["172.31.0.0/20", 4091],
    ["10.0.0.0/24", 251],
    ["10.0.0.0/28", 11],
  ];
  for (const [subnet, expected] of cases) {
    it(`${subnet} → ${expected}`, () => assert.equal(usableIpv4Count(c(subnet)), expected));
  }
});

describe("subBlock", () => {
  const cases: [outer: string, prefix: number, n: bigint, expected: string][] = [
    ["172.31.0.0/16", 20, 0n, "172.31.0.0/20"],
    ["172.31.0.0/16", 20, 1n, "172.31.16.0/20"],
    ["172.31.0.0/16", 20, 5n, "172.31.80.0/20"],
    ["10.0.0.0/16", 24, 255n, "10.0.255.0/24"],
    ["2600:1f18:abcd:1200::/56", 64, 0n, "2600:1f18:abcd:1200::/64"],
    ["2600:1f18:abcd:1200::/56", 64, 1n, "2600:1f18:abcd:1201::/64"],
    ["2600:1f18:abcd:1200::/56", 64, 255n, "2600:1f18:abcd:12ff::/64"],
  ];
  for (const [outer, prefix, n, expected] of cases) {
    it(`${outer} /${prefix} #${n} → ${expected}`, () => {
      const block = subBlock(c(outer), prefix, n);
      assert.equal(formatCidr(block), expected);
      assert.ok(containsCidr(c(outer), block));
    });
  }
});

describe("privateRangeOf", () => {
  const cases: [string, string | undefined][] = [
    ["10.0.0.0/16", "10.0.0.0/8"],
    ["10.255.255.240/28", "10.0.0.0/8"],
    ["172.16.0.0/16", "172.16.0.0/12"],
    ["172.31.0.0/16", "172.16.0.0/12"],
    ["172.32.0.0/16", undefined],
    ["192.168.5.0/24", "192.168.0.0/16"],
    ["192.169.0.0/16", undefined],
    ["100.64.0.0/16", undefined],
    ["198.19.0.0/16", undefined],
    ["8.8.0.0/16", undefined],
    // A block larger than the range it starts in is not inside it.
    ["10.0.0.0/7", undefined],
  ];
  for (const [cidr, expected] of cases) {
    it(`${cidr} → ${String(expected)}`, () => assert.equal(privateRangeOf(c(cidr)), expected));
  }
});
