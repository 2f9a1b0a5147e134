/** Table tests for RFC 6811 origin validation and the internet's choice of receiver (longest prefix, ROV). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { internetReceiverOf, routeViews, rpkiValidity, type Announcement, type Roa } from "./bgp.js";

describe("rpkiValidity (RFC 6811 §2)", () => {
  const roas: Roa[] = [
    { prefix: "203.0.113.0/24", maxLength: 24, asn: 16509 },
    { prefix: "198.51.100.0/22", maxLength: 24, asn: 64500 },
    { prefix: "192.0.2.0/24", maxLength: 24, asn: 0 },
  ];
  const cases: [prefix: string, asn: number, expected: string, why: string][] = [
    ["203.0.113.0/24", 16509, "Valid", "covered, length ≤ maxLength, same ASN"],
    ["203.0.113.0/24", 14618, "Invalid", "covered but another ASN (RIPEstat invalid_asn)"],
    ["203.0.113.0/25", 16509, "Invalid", "more specific than maxLength"],
    ["203.0.112.0/23", 16509, "NotFound", "less specific than every VRP: not covered"],
    ["198.51.101.0/24", 64500, "Valid", "inside a /22 ROA with maxLength 24"],
    ["198.51.100.0/22", 64500, "Valid", "the ROA's own prefix"],
    ["198.51.101.0/25", 64500, "Invalid", "beyond maxLength 24"],
    ["192.0.2.0/24", 0, "Invalid", "an AS0 VRP never matches"],
    ["10.0.0.0/8", 16509, "NotFound", "no VRP at all"],
    ["2001:db8::/48", 16509, "NotFound", "other family"],
  ];
  for (const [prefix, asn, expected, why] of cases) {
    it(`${prefix} from AS${asn} is ${expected}: ${why}`, () => assert.equal(rpkiValidity(prefix, asn, roas), expected));
  }
});

describe("internetReceiverOf", () => {
  const roas: Roa[] = [
    { prefix: "203.0.113.0/24", maxLength: 24, asn: 16509 },
    { prefix: "203.0.113.0/24", maxLength: 24, asn: 64500 },
  ];
  const aws: Announcement = { prefix: "203.0.113.0/24", originAsn: 16509, network: "aws" };
  const onpremSame: Announcement = { prefix: "203.0.113.0/24", originAsn: 64500, network: "onprem" };
  const onpremMoreSpecific: Announcement = { prefix: "203.0.113.0/25", originAsn: 64500, network: "onprem" };
  const onpremCovering: Announcement = { prefix: "203.0.112.0/23", originAsn: 64500, network: "onprem" };
  const onpremInvalid: Announcement = { prefix: "203.0.113.0/24", originAsn: 64999, network: "onprem" };
  const cases: [name: string, address: string, anns: Announcement[], expected: string | undefined][] = [
    ["only AWS announces", "203.0.113.10", [aws], "aws"],
    ["nobody announces", "203.0.113.10", [], undefined],
    ["only on-prem announces", "203.0.113.10", [onpremSame], "onprem"],
    ["a /25 more specific is RPKI-invalid (maxLength 24) and dropped", "203.0.113.10", [aws, onpremMoreSpecific], "aws"],
    ["a covering /23 loses to the /24 by longest prefix", "203.0.113.10", [onpremCovering, aws], "aws"],
    ["the covering /23 still carries addresses outside the /24", "203.0.112.10", [onpremCovering, aws], "onprem"],
    ["an RPKI-invalid on-prem origin is filtered", "203.0.113.10", [onpremInvalid], undefined],
    ["same prefix, same path length: the lower origin ASN (deterministic tie-break)", "203.0.113.10", [onpremSame, aws], "aws"],
    ["a CIDR is looked up by its network address", "203.0.113.0/24", [aws], "aws"],
    ["not an address", "nonsense", [aws], undefined],
  ];
  for (const [name, address, anns, expected] of cases) {
    it(name, () => assert.equal(internetReceiverOf(address, anns, roas)?.network, expected));
  }
  it("a shorter AS path wins over a lower ASN for the same prefix", () => {
    const prepended: Announcement = { ...aws, asPathLength: 3 };
    assert.equal(internetReceiverOf("203.0.113.1", [prepended, onpremSame], roas)?.network, "onprem");
  });
  it("routeViews says why an announcement is filtered", () => {
    const v = routeViews([onpremInvalid, { prefix: "198.51.100.0/25", originAsn: 1, network: "onprem" }], roas);
    assert.deepEqual(
      v.map((x) => [x.validity, x.accepted, x.filteredBecause]),
      [
        ["Invalid", false, "rpki-invalid"],
        ["NotFound", false, "too-specific"],
      ],
    );
  });
});
