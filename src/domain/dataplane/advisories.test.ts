/** Advisories: two ENIs in one subnet, a next hop with source/dest check on, NACL rules that can never match. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { advise } from "./advisories.js";
import { TopologyBuilder } from "./topology.fixture.js";

describe("advisories", () => {
  it("an instance with two ENIs in one subnet", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const s = b.subnet(vpc, "10.0.1.0/24");
    const first = b.eni(s, "10.0.1.10");
    b.eni(s, "10.0.1.11", { instance: b.instanceOf(first) });
    const a = advise(b);
    assert.deepEqual(
      a.map((x) => [x.code, x.resource]),
      [["TWO_ENIS_SAME_SUBNET", b.instanceOf(first)]],
    );
    assert.match(a[0]!.message, /asymmetric routing/);
  });

  it("a route's next hop with source/dest check on; none once it is off", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const s = b.subnet(vpc, "10.0.1.0/24");
    const nat = b.eni(s, "10.0.1.5");
    b.route(s, "0.0.0.0/0", nat);
    assert.deepEqual(
      advise(b).map((x) => [x.code, x.resource]),
      [["NEXT_HOP_SOURCE_DEST_CHECK", nat]],
    );
    const i = b.networkInterfaces.findIndex((e) => e.id === nat);
    b.networkInterfaces[i] = { ...b.networkInterfaces[i]!, sourceDestCheck: false };
    assert.deepEqual(advise(b), []);
  });

  it("a NACL rule covered by an earlier rule of the same direction can never match", () => {
    const b = new TopologyBuilder();
    const vpc = b.vpc("10.0.0.0/16");
    const s = b.subnet(vpc, "10.0.1.0/24");
    const acl = b.acl(s, [
      { n: 100, allow: true, egress: false, proto: "6", from: 0, to: 65535, cidr: "10.0.0.0/8" },
      { n: 110, allow: false, egress: false, proto: "6", from: 22, to: 22, cidr: "10.1.0.0/16" },
      { n: 120, allow: false, egress: false, proto: "17", from: 53, to: 53, cidr: "10.1.0.0/16" },
      { n: 100, allow: true, egress: true },
    ]);
    const a = advise(b).filter((x) => x.resource === acl);
    assert.deepEqual(
      a.map((x) => x.code),
      ["NACL_RULE_SHADOWED"],
    );
    assert.match(a[0]!.message, /Inbound rule 110 .* rule 100 comes first/);
  });
});
