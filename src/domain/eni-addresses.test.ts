import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseCidr } from "./cidr.js";
import {
  UsedSpace,
  checkExplicitIpv6,
  checkExplicitPrefix,
  checkInterfaceLimits,
  coveringPrefixOf,
  lowestFreePrefixes,
  planAssignIpv4,
  planCreateAddresses,
  prefixMembers,
  type InterfaceLimits,
} from "./eni-addresses.js";
import { lowestFreeAddresses } from "./addressing.js";
import { err } from "./errors.js";

const throwsErr = (fn: () => unknown, e: { code: string; message: string }): void =>
  assert.throws(fn, (x: unknown) => (x as { name: string }).name === e.code && (x as Error).message === e.message);

describe("eni-addresses", () => {
  it("coveringPrefixOf", () => {
    for (const [ip, p] of [
      ["10.0.0.17", "10.0.0.16/28"],
      ["10.0.0.15", "10.0.0.0/28"],
      ["2600:1f18::1:2", "2600:1f18::/80"],
      ["2600:1f18::1:0:0:5", "2600:1f18:0:0:1::/80"],
    ] as const) {
      assert.equal(coveringPrefixOf(ip), p, ip);
    }
  });

  it("UsedSpace treats a /28 as its 16 addresses and an IPv6 /80 as covering its addresses", () => {
    const v4 = new UsedSpace(4, ["10.0.0.16/28", "10.0.0.40"]);
    assert.equal(v4.has("10.0.0.20"), true);
    assert.equal(v4.has("10.0.0.32"), false);
    assert.equal(v4.prefixFree("10.0.0.32/28"), false, "holds .40");
    assert.equal(v4.prefixFree("10.0.0.48/28"), true);
    const v6 = new UsedSpace(6, ["2600::1:0:0:0/80", "2600::5"]);
    assert.equal(v6.has("2600::1:0:0:9"), true);
    assert.equal(v6.prefixFree("2600::/80"), false, "holds ::5");
    assert.equal(v6.prefixFree("2600::2:0:0:0/80"), true);
    assert.deepEqual(prefixMembers("10.0.0.16/28").length, 16);
  });

  it("picks lowest free addresses and prefixes around each other", () => {
    const subnet = parseCidr("10.0.0.0/24")!;
    const used = new UsedSpace(4, ["10.0.0.16/28"]);
    assert.deepEqual(lowestFreeAddresses(subnet, used, 13)?.slice(-2), ["10.0.0.15", "10.0.0.32"]);
    assert.deepEqual(lowestFreePrefixes(subnet, used, 2), ["10.0.0.32/28", "10.0.0.48/28"]);
    assert.equal(lowestFreePrefixes(parseCidr("10.0.0.0/27")!, new UsedSpace(4), 1), undefined, "both /28s touch reserved addresses");
    assert.equal(lowestFreePrefixes(parseCidr("10.0.0.0/28")!, new UsedSpace(4), 1), undefined);
    assert.deepEqual(lowestFreePrefixes(parseCidr("2600::/64")!, new UsedSpace(6, ["2600::4"]), 1), ["2600::1:0:0:0/80"]);
  });

  it("checkExplicitPrefix", () => {
    const cases: [string, string | { code: string; message: string }][] = [
      ["10.0.0.16/28", "10.0.0.16/28"],
      ["10.0.0.8/28", err.invalidIpv4Prefix("10.0.0.8/28")],
      ["10.0.0.16/27", err.invalidIpv4Prefix("10.0.0.16/27")],
      ["nope", err.invalidIpv4Prefix("nope")],
      ["10.0.0.0/28", err.prefixReserved("10.0.0.0/28")],
      ["10.0.0.240/28", err.prefixReserved("10.0.0.240/28")],
      ["10.0.1.0/28", err.addressNotInSubnet("10.0.1.0/28", "subnet-1")],
    ];
    for (const [input, want] of cases) {
      if (typeof want === "string") assert.equal(checkExplicitPrefix(4, "10.0.0.0/24", input, "subnet-1"), want);
      else throwsErr(() => checkExplicitPrefix(4, "10.0.0.0/24", input, "subnet-1"), want);
    }
    assert.equal(checkExplicitPrefix(6, "2600::/64", "2600:0:0:0:5::/80", "s"), "2600::5:0:0:0/80");
    throwsErr(() => checkExplicitPrefix(6, "2600::/64", "2600::/80", "s"), err.prefixReserved("2600::/80"));
    throwsErr(() => checkExplicitPrefix(6, "2600::/64", "2600::1/80", "s"), err.invalidIpv6Prefix("2600::1/80"));
  });

  it("checkExplicitIpv6", () => {
    assert.equal(checkExplicitIpv6("2600::/64", "2600:0::abcd", "s"), "2600::abcd");
    throwsErr(() => checkExplicitIpv6("2600::/64", "2600::2", "s"), err.addressReserved("2600::2"));
    throwsErr(() => checkExplicitIpv6("2600::/64", "2601::9", "s"), err.addressNotInSubnet("2601::9", "s"));
    throwsErr(() => checkExplicitIpv6("2600::/64", "10.0.0.1", "s"), err.invalidIpv6Address("10.0.0.1"));
  });

  it("planCreateAddresses combination rules", () => {
    const p = planCreateAddresses({ privateIpAddresses: [{ address: "10.0.0.9" }, { address: "10.0.0.8", primary: true }] }, "interface");
    assert.equal(p.primaryIp, "10.0.0.8");
    assert.deepEqual(p.secondaryIps, ["10.0.0.9"]);
    assert.equal(planCreateAddresses({ privateIpAddress: "10.0.0.5", secondaryCount: 2 }, "interface").secondaryCount, 2);
    assert.equal(planCreateAddresses({ privateIpAddress: "10.0.0.5", ipv4PrefixCount: 1 }, "interface").ipv4PrefixCount, 1);
    const bad: [Parameters<typeof planCreateAddresses>[0], { code: string; message: string }, string?][] = [
      [{ ipv4PrefixCount: 1, secondaryCount: 1 }, err.parametersTogether("ipv4PrefixCount", "secondaryPrivateIpAddressCount")],
      [{ ipv4Prefixes: ["10.0.0.16/28"], ipv4PrefixCount: 1 }, err.parametersTogether("ipv4Prefixes", "ipv4PrefixCount")],
      [{ privateIpAddresses: [{ address: "10.0.0.9" }], secondaryCount: 1 }, err.secondaryCountWithAddresses()],
      [{ ipv6Count: 1, ipv6PrefixCount: 1 }, err.parametersTogether("ipv6AddressCount", "ipv6PrefixCount")],
      [
        {
          privateIpAddresses: [
            { address: "a", primary: true },
            { address: "b", primary: true },
          ],
        },
        err.multiplePrimaryIps(),
      ],
      [{ secondaryCount: -1 }, err.countTooSmall("secondaryPrivateIpAddressCount", -1)],
      [{ privateIpAddress: "10.0.0.5" }, err.efaOnlyWithAddresses(), "efa-only"],
    ];
    for (const [req, want, type] of bad) throwsErr(() => planCreateAddresses(req, type ?? "interface"), want);
    assert.equal(planCreateAddresses({ ipv6Count: 0 }, "interface").ipv6Count, 0, "0 overrides the subnet's auto-assign");
  });

  it("planAssignIpv4", () => {
    throwsErr(
      () => planAssignIpv4(undefined, undefined, undefined, undefined, "interface"),
      err.oneOfRequired(["privateIpAddress", "secondaryPrivateIpAddressCount", "ipv4Prefix", "ipv4PrefixCount"]),
    );
    throwsErr(
      () => planAssignIpv4(["10.0.0.5"], 1, undefined, undefined, "interface"),
      err.parametersTogether("privateIpAddress", "secondaryPrivateIpAddressCount"),
    );
    throwsErr(
      () => planAssignIpv4(undefined, 0, undefined, undefined, "interface"),
      err.countTooSmall("secondaryPrivateIpAddressCount", 0),
    );
    assert.deepEqual(planAssignIpv4(undefined, undefined, undefined, 2, "interface"), {
      addresses: [],
      count: 0,
      prefixes: [],
      prefixCount: 2,
    });
  });

  it("checkInterfaceLimits", () => {
    const t3: InterfaceLimits = {
      typeName: "t3.micro",
      ipv4PerInterface: 2,
      ipv6PerInterface: 2,
      ipv6Supported: true,
      prefixesSupported: true,
    };
    const t2: InterfaceLimits = { ...t3, typeName: "t2.micro", prefixesSupported: false };
    const c = (a: number, p = 0, v6 = 0, p6 = 0) => ({ ipv4Addresses: a, ipv4Prefixes: p, ipv6Addresses: v6, ipv6Prefixes: p6 });
    checkInterfaceLimits(c(2), t3);
    checkInterfaceLimits(c(1, 1), t3);
    throwsErr(() => checkInterfaceLimits(c(3), t3), err.privateIpLimit());
    throwsErr(() => checkInterfaceLimits(c(2, 1), t3), err.privateIpLimit());
    throwsErr(() => checkInterfaceLimits(c(1, 1), t2), err.prefixesNeedNitro("t2.micro"));
    throwsErr(() => checkInterfaceLimits(c(1, 0, 2, 1), t3), err.ipv6AddressLimit());
    throwsErr(() => checkInterfaceLimits(c(1, 0, 1), { ...t3, ipv6Supported: false }), err.ipv6NotSupportedByType("t3.micro"));
  });
});
