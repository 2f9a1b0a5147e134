/** Table tests for subnet CIDR reservation checks and how reservations steer address and prefix selection. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseAddress, parseCidr } from "./cidr.js";
import { lowestFreeAddresses } from "./addressing.js";
import { lowestFreePrefixes, UsedSpace } from "./eni-addresses.js";
import { Ec2Error } from "./errors.js";
import { checkReservationCidr, reservedRanges, skipReserved } from "./subnet-cidr-reservations.js";
import type { SubnetCidrReservationRecord } from "./types.js";

const res = (id: string, cidr: string, reservationType: "prefix" | "explicit"): SubnetCidrReservationRecord => ({
  kind: "subnet-cidr-reservation",
  id,
  tags: [],
  ownerId: "000000000000",
  subnetId: "subnet-1",
  cidr,
  family: cidr.includes(":") ? 6 : 4,
  reservationType,
});
const subnet = { id: "subnet-1", ipv4: "10.0.0.0/24", ipv6: ["2600:1f18:0:1::/64"] };

describe("checkReservationCidr", () => {
  const ok: [string, string, 4 | 6][] = [
    ["10.0.0.16/28", "10.0.0.16/28", 4],
    ["10.0.0.17/28", "10.0.0.16/28", 4],
    ["10.0.0.0/24", "10.0.0.0/24", 4],
    ["2600:1f18:0:1:0::/80", "2600:1f18:0:1::/80", 6],
  ];
  for (const [input, cidr, family] of ok)
    it(`accepts ${input}`, () => assert.deepEqual(checkReservationCidr(input, subnet, []), { cidr, family }));

  const existing = [res("scr-1", "10.0.0.64/27", "explicit"), res("scr-2", "2600:1f18:0:1::/80", "prefix")];
  const bad: [string, RegExp][] = [
    ["nonsense", /not a valid CIDR block/],
    ["10.0.1.0/28", /not within the CIDR ranges/],
    ["10.0.0.0/23", /not within the CIDR ranges/],
    ["2600:1f18:0:2::/80", /not within the CIDR ranges/],
    ["10.0.0.80/28", /overlaps .* 'scr-1'/],
    ["10.0.0.0/25", /overlaps .* 'scr-1'/],
    ["2600:1f18:0:1::/96", /overlaps .* 'scr-2'/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${input}`, () =>
      assert.throws(
        () => checkReservationCidr(input, subnet, existing),
        (e: unknown) => e instanceof Ec2Error && e.code === "InvalidParameterValue" && message.test(e.message),
      ));
  }
  it("an IPv6 reservation in a subnet without IPv6", () =>
    assert.throws(() => checkReservationCidr("2600:1f18:0:1::/80", { id: "s", ipv4: "10.0.0.0/24", ipv6: [] }, []), /not within/));
});

describe("reserved ranges in automatic selection", () => {
  const ranges = reservedRanges([res("a", "10.0.0.32/28", "explicit"), res("b", "10.0.0.0/28", "prefix"), res("c", "::/80", "prefix")], 4);
  it("are per family and sorted", () =>
    assert.deepEqual(
      ranges.map((r) => r.first),
      [parseAddress("10.0.0.0")!.value, parseAddress("10.0.0.32")!.value],
    ));
  it("skipReserved jumps past the range holding a value", () => {
    assert.equal(skipReserved(ranges, parseAddress("10.0.0.35")!.value), parseAddress("10.0.0.48")!.value);
    assert.equal(skipReserved(ranges, parseAddress("10.0.0.20")!.value), undefined);
  });
  it("lowestFreeAddresses skips reserved ranges", () => {
    const used = { has: () => false, skipTo: (v: bigint) => skipReserved(ranges, v) };
    assert.deepEqual(lowestFreeAddresses(parseCidr("10.0.0.0/24")!, used, 3, undefined), ["10.0.0.16", "10.0.0.17", "10.0.0.18"]);
    const full = reservedRanges([res("a", "10.0.0.0/25", "explicit")], 4);
    assert.equal(lowestFreeAddresses(parseCidr("10.0.0.0/25")!, { has: () => false, skipTo: (v) => skipReserved(full, v) }, 1), undefined);
  });
  it("prefixes come from prefix reservations first, never from other reserved space", () => {
    const subnetCidr = parseCidr("10.0.0.0/24")!;
    const r = reservedRanges([res("p", "10.0.0.192/27", "prefix"), res("e", "10.0.0.16/28", "explicit")], 4);
    assert.deepEqual(lowestFreePrefixes(subnetCidr, new UsedSpace(4, []), 4, r), [
      "10.0.0.192/28",
      "10.0.0.208/28",
      "10.0.0.32/28",
      "10.0.0.48/28",
    ]);
    assert.deepEqual(lowestFreePrefixes(subnetCidr, new UsedSpace(4, []), 1, []), ["10.0.0.16/28"]);
  });
});
