/** Table tests for the evaluator's IPv4 numbers: CIDR parsing, the int32 pairs per-packet tests use, public addresses. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inAnyNet, inNet, ipv4ToNumber, isPublicIpv4, netPairs, numberToIpv4, parseNet } from "./ip.js";

const n = (ip: string): number => ipv4ToNumber(ip)!;

describe("IPv4 numbers", () => {
  it("text ↔ unsigned number, and malformed text", () => {
    assert.equal(n("255.255.255.255"), 4294967295);
    assert.equal(n("172.31.0.1"), 2887712769);
    assert.equal(numberToIpv4(2887712769), "172.31.0.1");
    for (const bad of ["1.2.3", "1.2.3.256", "a.b.c.d", "1.2.3.4.5", "1..2.3"]) assert.equal(ipv4ToNumber(bad), undefined, bad);
  });

  it("parseNet masks the host bits and rejects IPv6 and bad lengths", () => {
    assert.deepEqual(parseNet("10.0.1.7/24"), { net: n("10.0.1.0"), mask: 0xffffff00, len: 24 });
    assert.deepEqual(parseNet("0.0.0.0/0"), { net: 0, mask: 0, len: 0 });
    for (const bad of ["2001:db8::/32", "10.0.0.0/33", "10.0.0.0", "10.0.0.0/x"]) assert.equal(parseNet(bad), undefined, bad);
  });

  const cases: [string, string, boolean][] = [
    ["0.0.0.0/0", "255.255.255.255", true],
    ["128.0.0.0/1", "127.255.255.255", false],
    ["128.0.0.0/1", "128.0.0.0", true],
    ["128.0.0.0/1", "255.255.255.255", true],
    ["172.16.0.0/12", "172.15.255.255", false],
    ["172.16.0.0/12", "172.16.0.0", true],
    ["172.16.0.0/12", "172.31.255.255", true],
    ["172.16.0.0/12", "172.32.0.0", false],
    ["203.0.113.5/32", "203.0.113.5", true],
    ["203.0.113.5/32", "203.0.113.4", false],
    ["255.255.255.255/32", "255.255.255.255", true],
    ["10.0.0.0/8", "10.255.255.255", true],
    ["10.0.0.0/8", "11.0.0.0", false],
  ];
  for (const [cidr, ip, want] of cases)
    it(`${ip} ${want ? "in" : "not in"} ${cidr}: the int32 pairs agree with the unsigned test`, () => {
      const net = parseNet(cidr)!;
      assert.equal(inNet(net, n(ip)), want);
      assert.equal(inAnyNet(netPairs([net]), n(ip)), want);
    });

  it("inAnyNet: any of several networks, none of none", () => {
    const pairs = netPairs([parseNet("10.0.0.0/8")!, parseNet("192.168.0.0/16")!]);
    assert.equal(inAnyNet(pairs, n("192.168.3.4")), true);
    assert.equal(inAnyNet(pairs, n("172.16.0.1")), false);
    assert.equal(inAnyNet(netPairs([]), n("10.0.0.1")), false);
  });

  it("public addresses: not RFC 1918, shared, loopback, link-local, this-network or multicast and above", () => {
    for (const p of ["3.80.0.10", "198.51.100.7", "203.0.113.5", "172.32.0.1", "100.128.0.1", "223.255.255.255"])
      assert.equal(isPublicIpv4(n(p)), true, p);
    for (const p of [
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "100.64.0.1",
      "127.0.0.1",
      "169.254.169.254",
      "0.1.2.3",
      "224.0.0.1",
      "255.255.255.255",
    ])
      assert.equal(isPublicIpv4(n(p)), false, p);
  });
});
