/**
 * Issue 21: the evaluator keeps the ENI a probe's source object resolved to on that object (evaluate.ts `sourceEni`).
 * A source reused with another compiled topology must get that topology's ENI, and the object must look unchanged to
 * its owner (JSON, deep equality), frozen or not.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, type Probe, type ProbeSource } from "./evaluate.js";
import { ipv4ToNumber } from "./ip.js";
import { TopologyBuilder } from "./topology.fixture.js";
import { compileTopology } from "./topology.js";

const setup = () => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16");
  const subnet = b.subnet(vpc, "10.0.1.0/24");
  const open = b.sg(vpc, { ingress: [{ proto: "tcp", from: 443, to: 443, cidr: "10.0.0.0/16" }], egress: [{}] });
  const from = b.eni(subnet, "10.0.1.10", { sgs: [open] });
  b.eni(subnet, "10.0.1.20", { sgs: [open] });
  return { b, from };
};
const probe = (from: ProbeSource): Probe => ({ from, to: ipv4ToNumber("10.0.1.20")!, protocol: 6, srcPort: 40000, dstPort: 443 });

describe("evaluator: a source object's resolved ENI", () => {
  it("follows the topology it is judged in, not the one it was first resolved in", () => {
    const { b, from } = setup();
    const source: ProbeSource = { kind: "eni", eniId: from };
    const before = compileTopology(b.build());
    assert.equal(evaluate(before, probe(source), { nowMs: 0 }).delivered, true);
    assert.equal(evaluate(before, probe(source), { nowMs: 0 }).delivered, true); // resolved once, reused
    // The sender's instance stops: a topology compiled now must say so for the same source object.
    b.setInstanceState(b.instanceOf(from), "stopped");
    const after = compileTopology(b.build());
    const v = evaluate(after, probe(source), { nowMs: 0 });
    assert.equal(v.delivered, false);
    assert.equal(v.reason, "EMU_INSTANCE_NOT_RUNNING");
    // And back in the first topology, its own answer again.
    assert.equal(evaluate(before, probe(source), { nowMs: 0 }).delivered, true);
  });

  it("leaves the source looking as its owner made it, and works on a frozen one", () => {
    const { b, from } = setup();
    const topo = compileTopology(b.build());
    const source: ProbeSource = { kind: "eni", eniId: from };
    evaluate(topo, probe(source), { nowMs: 0 });
    assert.deepEqual(source, { kind: "eni", eniId: from });
    assert.equal(JSON.stringify(source), JSON.stringify({ kind: "eni", eniId: from }));
    assert.deepEqual(structuredClone(source), { kind: "eni", eniId: from });
    const frozen = Object.freeze({ kind: "eni" as const, eniId: from });
    assert.equal(evaluate(topo, probe(frozen), { nowMs: 0 }).delivered, true);
    assert.throws(() => evaluate(topo, probe({ kind: "eni", eniId: "eni-00000000000000bad" }), { nowMs: 0 }), /unknown ENI/);
  });
});
