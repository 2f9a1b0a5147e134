/**
 * Table tests for the BYOIP rules: the authorization message, AWS's base64 transliteration, the CIDR size/overlap/
 * quota rules, the verification outcome (with an injected signature verifier) and the state machine.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  advertised,
  authorizationMessageProblem,
  byoipRequestCidr,
  checkByoipQuota,
  checkNoOverlap,
  checkRate,
  deprovisioned,
  findExact,
  oneLineCertificate,
  provisioningOutcome,
  registerRange,
  registrationFor,
  settleByoip,
  standardPem,
  untransliterate,
  withRoas,
  withReputation,
  withdrawn,
  type ProvisionFacts,
} from "./byoip.js";
import { parseCidr, type Cidr } from "./cidr.js";
import { Ec2Error } from "./errors.js";
import type { ByoipCidrRecord, ByoipState, RirRangeRecord } from "./types.js";

const c = (t: string): Cidr => parseCidr(t)!;
const throwsCode = (fn: () => unknown, code: string, message?: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof Ec2Error && e.code === code && (!message || message.test(e.message)));

const record = (network: string, state: ByoipState, id = `ipv4pool-ec2-${network.length}`): ByoipCidrRecord => ({
  kind: "byoip-cidr",
  id,
  tags: [],
  cidr: network,
  network,
  state,
  publiclyAdvertisable: true,
  networkBorderGroup: "us-east-1",
  provisionedAt: "2026-01-01T00:00:00.000Z",
});

describe("untransliterate (AWS's tr -- '+=/' '-_~', newlines removed)", () => {
  const cases: [string, string][] = [
    ["ab-c_", "ab+c="],
    ["a~b~", "a/b/"],
    ["AB\nCD\n", "ABCD"],
    ["x-y~z__", "x+y/z=="],
  ];
  for (const [input, out] of cases) it(JSON.stringify(input), () => assert.equal(untransliterate(input), out));
});

describe("authorizationMessageProblem", () => {
  const p = { account: "123456789012", cidr: "203.0.113.0/24", today: "20260601" };
  const cases: [message: string, problem: RegExp | undefined][] = [
    ["1|aws|123456789012|203.0.113.0/24|20260601|SHA256|RSAPSS", undefined],
    ["1|aws|123456789012|203.0.113.0/24|20301231|SHA256|RSAPSS", undefined],
    ["1|aws|123456789012|203.0.113.0/24|20260531|SHA256|RSAPSS", /^The authorization message expired on 20260531\.$/],
    ["1|aws|111122223333|203.0.113.0/24|20301231|SHA256|RSAPSS", /is for account 111122223333, not for your account 123456789012/],
    ["1|aws|123456789012|203.0.113.0/23|20301231|SHA256|RSAPSS", /is for CIDR 203\.0\.113\.0\/23, not for the CIDR being provisioned/],
    ["2|aws|123456789012|203.0.113.0/24|20301231|SHA256|RSAPSS", /version "2"/],
    ["1|gcp|123456789012|203.0.113.0/24|20301231|SHA256|RSAPSS", /provider "gcp"/],
    ["1|aws|123456789012|203.0.113.0/24|20301332|SHA256|RSAPSS", /"20301332" is not a date/],
    ["1|aws|123456789012|203.0.113.0/24|20301231|SHA1|RSAPSS", /hash algorithm "SHA1"/],
    ["1|aws|123456789012|203.0.113.0/24|20301231|SHA256|RSA", /signature algorithm "RSA"/],
    ["1|aws|123456789012|203.0.113.0/24|20301231", /7 fields .* it has 5/],
  ];
  for (const [m, problem] of cases) {
    it(m, () => {
      const got = authorizationMessageProblem(m, p);
      if (problem === undefined) assert.equal(got, undefined);
      else assert.match(got ?? "", problem);
    });
  }
});

describe("byoipRequestCidr (size rules)", () => {
  const ok: [cidr: string, adv: boolean | undefined][] = [
    ["203.0.113.0/24", undefined],
    ["203.0.112.0/22", undefined],
    ["203.0.113.25/24", undefined],
    ["2001:db8::/48", undefined],
    ["2001:db8::/56", false],
    ["2001:db8::/32", true],
  ];
  for (const [cidr, adv] of ok) it(`${cidr} (${String(adv)}) is accepted`, () => assert.ok(byoipRequestCidr(cidr, adv)));
  const bad: [cidr: string, adv: boolean | undefined, code: string, msg: RegExp][] = [
    ["203.0.113.0/25", undefined, "InvalidParameterValue", /most specific prefix for IPv4 is \/24/],
    ["2001:db8::/56", true, "InvalidParameterValue", /publicly advertised IPv6 is \/48/],
    ["2001:db8::/64", false, "InvalidParameterValue", /not publicly advertised is \/56/],
    ["10.0.0.0/7", undefined, "InvalidParameterValue", /least specific prefix accepted is \/8/],
    ["nonsense", undefined, "InvalidParameterValue", /^Value \(nonsense\) for parameter cidr is invalid\.$/],
    ["203.0.113.0/24", false, "InvalidParameterCombination", /only supported for IPv6/],
  ];
  for (const [cidr, adv, code, msg] of bad)
    it(`${cidr} (${String(adv)}) → ${code}`, () => throwsCode(() => byoipRequestCidr(cidr, adv), code, msg));
});

describe("overlap and quota", () => {
  const others = [
    record("203.0.113.0/24", "provisioned"),
    record("198.51.100.0/24", "deprovisioned"),
    record("192.0.2.0/24", "failed-provision"),
  ];
  it("overlapping a held range is refused", () =>
    throwsCode(() => checkNoOverlap("203.0.112.0/23", c("203.0.112.0/23"), others), "InvalidParameterValue", /overlaps/));
  it("deprovisioned and failed ranges no longer hold their addresses", () => {
    checkNoOverlap("198.51.100.0/24", c("198.51.100.0/24"), others);
    checkNoOverlap("192.0.2.0/24", c("192.0.2.0/24"), others);
  });
  const five = ["1", "2", "3", "4", "5"].map((n) => record(`10.${n}.0.0/24`, "pending-provision", `id-${n}`));
  it("a sixth range is refused", () =>
    throwsCode(() => checkByoipQuota(five, undefined, 5), "ResourceLimitExceeded", /reached the maximum allowed limit/));
  it("re-running a failed range replaces it rather than adding one", () => checkByoipQuota(five, "id-5", 5));
  it("deprovisioned ranges do not count", () =>
    checkByoipQuota([...five.slice(0, 4), record("10.9.0.0/24", "deprovisioned")], undefined, 5));
});

describe("provisioningOutcome", () => {
  const cert = "-----BEGIN CERTIFICATE-----QUJD-----END CERTIFICATE-----";
  const base = registerRange([], { cidr: c("203.0.112.0/22"), rir: "ARIN", org: "Example", now: "t" });
  const reg: RirRangeRecord = withRoas({ ...base, certificate: cert }, c("203.0.112.0/22"), [16509, 14618], 24, "t");
  const facts = (o: Partial<ProvisionFacts> = {}): ProvisionFacts => ({
    account: "123456789012",
    cidr: "203.0.113.0/24",
    network: c("203.0.113.0/24"),
    advertisable: true,
    context: { Message: "1|aws|123456789012|203.0.113.0/24|20301231|SHA256|RSAPSS", Signature: "c2ln" },
    now: new Date("2026-06-01T00:00:00Z"),
    registration: reg,
    roas: reg.roas,
    verify: (_pem, _m, sig) => (sig === "c2ln" ? "valid" : "invalid"),
    ...o,
  });
  const cases: [name: string, o: Partial<ProvisionFacts>, state: string, msg?: RegExp][] = [
    ["everything in order", {}, "provisioned"],
    ["not registered", { registration: undefined }, "failed-provision", /not registered with a Regional Internet Registry/],
    [
      "certificate not published",
      { registration: { ...reg, certificate: undefined } },
      "failed-provision",
      /No X\.509 certificate is published in the RDAP record of 203\.0\.112\.0\/22 \(ARIN: add it to the range's Public Comments\)/,
    ],
    [
      "tampered signature",
      { context: { Message: "1|aws|123456789012|203.0.113.0/24|20301231|SHA256|RSAPSS", Signature: "c2lm" } },
      "failed-provision",
      /does not verify/,
    ],
    [
      "missing ROA for AS14618",
      { roas: reg.roas.filter((r) => r.asn !== 14618) },
      "failed-provision",
      /^No ROA authorizes AS14618 to originate 203\.0\.113\.0\/24\.$/,
    ],
    [
      "ROA maxLength too short",
      { roas: reg.roas.map((r) => ({ ...r, maxLength: 23 })) },
      "failed-provision",
      /has maxLength \/23, shorter than the prefix length \/24/,
    ],
    [
      "listed reputation",
      { registration: withReputation(reg, c("203.0.113.0/24"), "Spamhaus SBL", "t") },
      "failed-provision",
      /listed \(Spamhaus SBL\)/,
    ],
    [
      "non-advertised IPv6 needs no ROA",
      {
        cidr: "2001:db8::/56",
        network: c("2001:db8::/56"),
        advertisable: false,
        context: undefined,
        registration: { ...reg, cidr: "2001:db8::/32" },
        roas: [],
      },
      "provisioned-not-publicly-advertisable",
    ],
  ];
  for (const [name, o, state, msg] of cases) {
    it(name, () => {
      const out = provisioningOutcome(facts(o));
      assert.equal(out.state, state, out.statusMessage ?? "");
      if (msg) assert.match(out.statusMessage ?? "", msg);
    });
  }
});

describe("registry", () => {
  const r = registerRange([], { cidr: c("203.0.112.0/22"), rir: "RIPE", org: "A", now: "t" });
  it("the most specific registration holds a CIDR", () => {
    const inner = registerRange([], { cidr: c("203.0.113.0/24"), rir: "RIPE", org: "B", now: "t" });
    assert.equal(registrationFor([r, inner], c("203.0.113.0/24"))?.org, "B");
    assert.equal(registrationFor([r], c("198.51.100.0/24")), undefined);
  });
  it("an overlapping new registration is refused; the same range is updated", () => {
    throwsCode(
      () => registerRange([r], { cidr: c("203.0.0.0/16"), rir: "ARIN", org: "X", now: "t" }),
      "InvalidParameterValue",
      /overlaps the registered range/,
    );
    assert.equal(registerRange([r], { cidr: c("203.0.112.0/22"), rir: "ARIN", org: "New", now: "u" }).org, "New");
  });
  it("ROA maxLength shorter than the prefix is refused", () =>
    throwsCode(() => withRoas(r, c("203.0.113.0/24"), [16509], 23, "t"), "InvalidParameterValue", /maxLength 23/));
  it("certificates are kept on one line and rewrapped for parsing", () => {
    const one = oneLineCertificate("-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----\n");
    assert.equal(one, "-----BEGIN CERTIFICATE-----QUJDREVG-----END CERTIFICATE-----");
    assert.equal(standardPem(one), "-----BEGIN CERTIFICATE-----\nQUJDREVG\n-----END CERTIFICATE-----\n");
    throwsCode(() => oneLineCertificate("not a cert"), "InvalidParameterValue");
  });
});

describe("state machine", () => {
  it("pending-provision settles at settlesAt", () => {
    const p: ByoipCidrRecord = {
      ...record("203.0.113.0/24", "pending-provision"),
      settlesAt: "2026-01-08T00:00:00.000Z",
      outcome: { state: "provisioned" },
    };
    assert.equal(settleByoip(p, new Date("2026-01-07T23:59:59Z")).state, "pending-provision");
    assert.equal(settleByoip(p, new Date("2026-01-08T00:00:00Z")).state, "provisioned");
  });
  const cases: [from: ByoipState, op: "advertise" | "withdraw" | "deprovision", to: string][] = [
    ["provisioned", "advertise", "advertised"],
    ["advertised", "withdraw", "provisioned"],
    ["provisioned", "deprovision", "deprovisioned"],
    ["failed-provision", "deprovision", "deprovisioned"],
    ["provisioned-not-publicly-advertisable", "deprovision", "deprovisioned"],
    ["pending-provision", "advertise", "IncorrectState"],
    ["provisioned-not-publicly-advertisable", "advertise", "IncorrectState"],
    ["provisioned", "withdraw", "IncorrectState"],
    ["advertised", "deprovision", "IncorrectState"],
    ["pending-provision", "deprovision", "IncorrectState"],
  ];
  const none = { allocatedAddresses: 0, associatedIpv6Cidrs: 0 };
  for (const [from, op, to] of cases) {
    it(`${from} --${op}--> ${to}`, () => {
      const r = record("203.0.113.0/24", from);
      const run = (): ByoipCidrRecord => (op === "advertise" ? advertised(r) : op === "withdraw" ? withdrawn(r) : deprovisioned(r, none));
      if (to === "IncorrectState") throwsCode(run, "IncorrectState");
      else assert.equal(run().state, to);
    });
  }
  it("deprovision is refused while EIPs or IPv6 blocks are in use", () => {
    throwsCode(
      () => deprovisioned(record("203.0.113.0/24", "provisioned"), { allocatedAddresses: 1, associatedIpv6Cidrs: 0 }),
      "IncorrectState",
      /1 Elastic IP/,
    );
    throwsCode(
      () => deprovisioned(record("2001:db8::/48", "provisioned"), { allocatedAddresses: 0, associatedIpv6Cidrs: 2 }),
      "IncorrectState",
      /2 IPv6 CIDR/,
    );
  });
  it("findExact: the exact range, a portion, or nothing", () => {
    const rs = [record("203.0.112.0/23", "provisioned")];
    assert.equal(findExact(rs, "203.0.112.0/23").network, "203.0.112.0/23");
    throwsCode(() => findExact(rs, "203.0.113.0/24"), "InvalidParameterValue", /is a portion of 203\.0\.112\.0\/23/);
    throwsCode(() => findExact(rs, "198.51.100.0/24"), "InvalidParameterValue", /is not provisioned/);
  });
  it("advertise/withdraw at most once per 10 seconds", () => {
    checkRate(undefined, new Date(0));
    checkRate("1970-01-01T00:00:00.000Z", new Date(10_000));
    throwsCode(() => checkRate("1970-01-01T00:00:00.000Z", new Date(9_999)), "RequestLimitExceeded");
  });
});
