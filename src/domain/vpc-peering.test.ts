import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Ec2Error } from "./errors.js";
import type { VpcPeeringConnectionRecord } from "./types.js";
import { checkAnswer, checkDelete, checkModifyOptions, deleted, peeringStatus, peeringVisible, rejected, sideOf } from "./vpc-peering.js";

const T0 = new Date("2024-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const H = 3600_000;
const D = 24 * H;
const side = (vpcId: string, ownerId: string, region: string) => ({ vpcId, ownerId, region, allowDnsResolutionFromRemoteVpc: false });
const pcx = (over: Partial<VpcPeeringConnectionRecord> = {}): VpcPeeringConnectionRecord => ({
  kind: "vpc-peering-connection",
  id: "pcx-0123456789abcdef0",
  tags: [],
  vpcId: "vpc-a",
  requester: side("vpc-a", "111111111111", "us-east-1"),
  accepter: side("vpc-b", "222222222222", "us-east-1"),
  status: "pending-acceptance",
  statusMessage: "Pending Acceptance by 222222222222",
  statusTime: T0.toISOString(),
  expirationTime: at(7 * D).toISOString(),
  ...over,
});
const code = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as Ec2Error).code;
  }
};
const REQ = { account: "111111111111", region: "us-east-1" };
const ACC = { account: "222222222222", region: "us-east-1" };

describe("vpc peering: status and expiry", () => {
  for (const [ms, want] of [
    [0, "pending-acceptance"],
    [7 * D - 1, "pending-acceptance"],
    [7 * D, "expired"],
  ] as const)
    it(`pending at +${ms} ms reads ${want}`, () => assert.equal(peeringStatus(pcx(), at(ms)).code, want));
  it("an active connection never expires", () => assert.equal(peeringStatus(pcx({ status: "active" }), at(30 * D)).code, "active"));
});

describe("vpc peering: sides", () => {
  it("requester, accepter, both, neither", () => {
    assert.equal(sideOf(pcx(), REQ), "requester");
    assert.equal(sideOf(pcx(), ACC), "accepter");
    assert.equal(sideOf(pcx({ accepter: side("vpc-b", "111111111111", "us-east-1") }), REQ), "both");
    assert.equal(sideOf(pcx(), { account: "111111111111", region: "us-west-2" }), undefined);
  });
});

describe("vpc peering: visibility of finished connections", () => {
  const rej = rejected(pcx(), "222222222222", T0);
  const del = deleted(pcx({ status: "active" }), "111111111111", T0);
  const cases: [string, VpcPeeringConnectionRecord, "requester" | "accepter", string, number, boolean][] = [
    ["failed, requester, 1h", pcx({ status: "failed" }), "requester", REQ.account, H, true],
    ["failed, requester, 3h", pcx({ status: "failed" }), "requester", REQ.account, 3 * H, false],
    ["failed, accepter", pcx({ status: "failed" }), "accepter", ACC.account, 0, false],
    ["rejected, accepter, 3h", rej, "accepter", ACC.account, 3 * H, false],
    ["rejected, requester, 1 day", rej, "requester", REQ.account, D, true],
    ["deleted, deleter, 3h", del, "requester", REQ.account, 3 * H, false],
    ["deleted, other side, 1 day", del, "accepter", ACC.account, D, true],
    ["deleted, other side, 3 days", del, "accepter", ACC.account, 3 * D, false],
    ["expired, 1 day after expiry", pcx(), "accepter", ACC.account, 8 * D, true],
    ["expired, 3 days after expiry", pcx(), "requester", REQ.account, 10 * D, false],
  ];
  for (const [name, p, s, account, ms, want] of cases) it(name, () => assert.equal(peeringVisible(p, s, account, at(ms)), want));
});

describe("vpc peering: who may do what", () => {
  const cases: [string, () => void, string | undefined][] = [
    ["accepter accepts a pending request", () => checkAnswer(pcx(), ACC, "accept", T0), undefined],
    ["requester accepts", () => checkAnswer(pcx(), REQ, "accept", T0), "OperationNotPermitted"],
    ["accepter in the wrong Region", () => checkAnswer(pcx(), { ...ACC, region: "eu-west-1" }, "accept", T0), "OperationNotPermitted"],
    ["accept an expired request", () => checkAnswer(pcx(), ACC, "accept", at(8 * D)), "InvalidStateTransition"],
    ["reject an active connection", () => checkAnswer(pcx({ status: "active" }), ACC, "reject", T0), "InvalidStateTransition"],
    ["requester deletes pending", () => checkDelete(pcx(), "requester", T0), undefined],
    ["accepter deletes pending", () => checkDelete(pcx(), "accepter", T0), "InvalidStateTransition"],
    ["accepter deletes active", () => checkDelete(pcx({ status: "active" }), "accepter", T0), undefined],
    ["delete rejected", () => checkDelete(pcx({ status: "rejected" }), "requester", T0), "InvalidStateTransition"],
    ["delete failed", () => checkDelete(pcx({ status: "failed" }), "requester", T0), "InvalidStateTransition"],
    [
      "accepter changes requester options",
      () => checkModifyOptions(pcx({ status: "active" }), "accepter", ACC.account, { requester: true, accepter: false }, T0),
      "OperationNotPermitted",
    ],
    [
      "options of a pending request",
      () => checkModifyOptions(pcx(), "requester", REQ.account, { requester: true, accepter: false }, T0),
      "InvalidStateTransition",
    ],
    [
      "same account changes both sides",
      () => checkModifyOptions(pcx({ status: "active" }), "both", REQ.account, { requester: true, accepter: true }, T0),
      undefined,
    ],
  ];
  for (const [name, f, want] of cases) it(name, () => assert.equal(code(f), want));
});
