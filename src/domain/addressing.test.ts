/** Table tests for address selection: lowest free, reserved addresses, explicit IPs, MACs, Amazon public IPs. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS,
  amazonPublicIpv4,
  publicIpv4Pool,
  checkExplicitIpv4,
  lowestFreeAddresses,
  macAddress,
} from "./addressing.js";
import { containsAddress, parseAddress, parseCidr, PRIVATE_IPV4_RANGES } from "./cidr.js";
import { Ec2Error, err } from "./errors.js";

const cidr = (text: string) => parseCidr(text)!;

describe("lowestFreeAddresses", () => {
  const cases: [string, string, string[], number, string[] | undefined][] = [
    ["first usable is .4", "10.0.1.0/24", [], 1, ["10.0.1.4"]],
    ["skips used", "10.0.1.0/24", ["10.0.1.4", "10.0.1.5"], 2, ["10.0.1.6", "10.0.1.7"]],
    ["fills gaps", "10.0.1.0/24", ["10.0.1.4", "10.0.1.6"], 2, ["10.0.1.5", "10.0.1.7"]],
    ["/28 has 11 usable", "10.0.0.0/28", [], 11, Array.from({ length: 11 }, (_, i) => `10.0.0.${i + 4}`)],
    ["never the broadcast", "10.0.0.0/28", [], 12, undefined],
    ["full subnet", "10.0.0.0/28", Array.from({ length: 11 }, (_, i) => `10.0.0.${i + 4}`), 1, undefined],
    ["zero wanted", "10.0.0.0/28", [], 0, []],
    ["IPv6 /64 starts at ::4", "2600:1f18:1:100::/64", [], 2, ["2600:1f18:1:100::4", "2600:1f18:1:100::5"]],
  ];
  for (const [name, block, used, count, expected] of cases) {
    it(name, () => assert.deepEqual(lowestFreeAddresses(cidr(block), new Set(used), count), expected));
  }

  it("answers undefined when the subnet has too few free addresses (a /28 has 11 usable)", () => {
    assert.equal(lowestFreeAddresses(cidr("10.0.0.0/28"), new Set(), 12), undefined);
    assert.equal(lowestFreeAddresses(cidr("10.0.0.0/28"), new Set(), 11)?.length, 11);
  });

  it("starts at `from` (a hint below which all is used), never before the reserved addresses", () => {
    const block = cidr("10.0.0.0/24");
    assert.deepEqual(lowestFreeAddresses(block, new Set(["10.0.0.9"]), 2, 0x0a000008n), ["10.0.0.8", "10.0.0.10"]);
    assert.deepEqual(lowestFreeAddresses(block, new Set(), 1, 0x0a000000n), ["10.0.0.4"]);
    assert.equal(lowestFreeAddresses(block, new Set(), 1, 0x0a0000ffn), undefined, "the broadcast address is reserved");
  });
});

describe("checkExplicitIpv4", () => {
  const ok: [string, string][] = [
    ["10.0.1.4", "10.0.1.4"],
    ["10.0.1.254", "10.0.1.254"],
  ];
  for (const [ip, expected] of ok) it(`${ip} is usable`, () => assert.equal(checkExplicitIpv4("10.0.1.0/24", ip, "subnet-1"), expected));
  const bad: [string, string, string][] = [
    ["10.0.1.0", "InvalidParameterValue", "Address 10.0.1.0 is reserved and cannot be used."],
    ["10.0.1.3", "InvalidParameterValue", "Address 10.0.1.3 is reserved and cannot be used."],
    ["10.0.1.255", "InvalidParameterValue", "Address 10.0.1.255 is reserved and cannot be used."],
    ["10.0.2.5", "InvalidParameterValue", err.addressNotInSubnet("10.0.2.5", "subnet-1").message],
    ["banana", "InvalidParameterValue", "Value (banana) for parameter privateIpAddress is invalid. Expecting a valid IPv4 address."],
    ["::1", "InvalidParameterValue", "Value (::1) for parameter privateIpAddress is invalid. Expecting a valid IPv4 address."],
  ];
  for (const [ip, code, message] of bad) {
    it(`${ip} → ${message}`, () =>
      assert.throws(
        () => checkExplicitIpv4("10.0.1.0/24", ip, "subnet-1"),
        (e: unknown) => e instanceof Ec2Error && e.code === code && e.message === message,
      ));
  }
});

describe("macAddress", () => {
  it("02: plus five octets", () => assert.equal(macAddress("a1b2c3d4e5"), "02:a1:b2:c3:d4:e5"));
  it("needs 10 hex digits", () => assert.throws(() => macAddress("abc")));
});

describe("amazonPublicIpv4", () => {
  const inAmazon = (ip: string): boolean =>
    DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS.some((b) => containsAddress(cidr(b), 4, parseAddress(ip)!.value));
  const isPrivate = (ip: string): boolean =>
    [...PRIVATE_IPV4_RANGES, "127.0.0.0/8", "100.64.0.0/10", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "169.254.0.0/16"].some(
      (r) => containsAddress(cidr(r), 4, parseAddress(ip)!.value),
    );
  const samples = ["00000000", "ffffffff", "12345678", "deadbeef", "80000000", "0000ffff", "00ff0000", "7fffffff"];
  for (const hex of samples) {
    it(`${hex} → an Amazon public address`, () => {
      const ip = amazonPublicIpv4(hex);
      assert.ok(inAmazon(ip), ip);
      assert.ok(!isPrivate(ip), ip);
      assert.ok(!/\.(0|255)$/.test(ip), ip);
    });
  }
  it("is deterministic for the same randomness and avoids a given address", () => {
    const a = amazonPublicIpv4("12345678");
    assert.equal(amazonPublicIpv4("12345678"), a);
    assert.notEqual(amazonPublicIpv4("12345678", new Set([a])), a);
  });
  it("picks from the pool it is given", () => {
    const pool = publicIpv4Pool(["52.208.0.0/13", "63.32.0.0/14"]);
    for (const hex of samples) {
      const ip = amazonPublicIpv4(hex, new Set(), pool);
      assert.ok(
        ["52.208.0.0/13", "63.32.0.0/14"].some((b) => containsAddress(cidr(b), 4, parseAddress(ip)!.value)),
        ip,
      );
    }
  });
  it("a taken address moves the pick to the next free one", () => {
    const pool = publicIpv4Pool(["52.208.0.0/13"]);
    assert.equal(amazonPublicIpv4("00000000", new Set(), pool), "52.208.0.1");
    assert.equal(amazonPublicIpv4("00000000", new Set(["52.208.0.1", "52.208.0.2"]), pool), "52.208.0.3");
  });
  it("refuses a pool that is empty or not IPv4", () => {
    assert.throws(() => publicIpv4Pool([]));
    assert.throws(() => publicIpv4Pool(["2600:1f18::/36"]));
  });
  it("no block is private, loopback, CGNAT or documentation space", () => {
    for (const b of DEFAULT_AMAZON_PUBLIC_IPV4_BLOCKS) assert.ok(!isPrivate(formatFirst(b)), b);
  });
});

const formatFirst = (block: string): string => block.split("/")[0]!;
