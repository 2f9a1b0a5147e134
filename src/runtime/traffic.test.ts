/**
 * The traffic engine's topology cache: repeated probes reuse the compiled topology while the store's state version
 * is unchanged; any write (committed or rolled back), a reset, or a chaos change rebuilds it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FlowLogRecord } from "../domain/types.js";
import { Store } from "../store/store.js";
import { TrafficEngine } from "./traffic.js";

const scope = { account: "000000000000", region: "us-east-1" };
const other = { account: "111111111111", region: "us-east-1" };
const record = (id: string): FlowLogRecord => ({
  kind: "flow-log",
  id,
  tags: [],
  resourceId: "vpc-00000000000000001",
  resourceType: "VPC",
  trafficType: "ALL",
  logDestinationType: "cloud-watch-logs",
  logDestination: "arn:aws:logs:us-east-1:000000000000:log-group:g",
  logGroupName: "g",
  logFormat: "${version}",
  maxAggregationInterval: 60,
  vpcId: "vpc-00000000000000001",
  creationTime: new Date(0).toISOString(),
});

describe("TrafficEngine topology cache", () => {
  it("reuses the compiled topology until the state version moves", () => {
    const store = new Store(":memory:");
    const engine = new TrafficEngine();
    const first = store.read(scope, (tx) => engine.topology(tx, scope));
    assert.equal(
      store.read(scope, (tx) => engine.topology(tx, scope)),
      first,
      "no write: the same compiled topology",
    );

    store.tx(scope, (tx) => tx.put(record("fl-00000000000000001")));
    const afterWrite = store.read(scope, (tx) => engine.topology(tx, scope));
    assert.notEqual(afterWrite, first, "a committed write rebuilds");

    assert.throws(() =>
      store.tx(scope, (tx) => {
        tx.put(record("fl-00000000000000002"));
        throw new Error("roll back");
      }),
    );
    const afterRollback = store.read(scope, (tx) => engine.topology(tx, scope));
    assert.notEqual(afterRollback, afterWrite, "a rolled-back write rebuilds too (never trusts what it may have seen)");

    assert.notEqual(
      store.read(other, (tx) => engine.topology(tx, other)),
      afterRollback,
      "another scope has its own topology",
    );
    const back = store.read(scope, (tx) => engine.topology(tx, scope));
    assert.notEqual(back, afterRollback, "one entry: switching scopes recompiles");

    engine.fail("i-00000000000000001");
    const impaired = store.read(scope, (tx) => engine.topology(tx, scope));
    assert.notEqual(impaired, back, "chaos changes the compiled impaired set");
    engine.fail("i-00000000000000001");
    assert.equal(
      store.read(scope, (tx) => engine.topology(tx, scope)),
      impaired,
      "failing an already failed instance changes nothing",
    );

    store.reset();
    assert.notEqual(
      store.read(scope, (tx) => engine.topology(tx, scope)),
      impaired,
      "a reset rebuilds",
    );
    store.close();
  });

  it("a topology compiled inside a transaction that wrote is not served after it", () => {
    const store = new Store(":memory:");
    const engine = new TrafficEngine();
    const inside = store.tx(scope, (tx) => {
      tx.put(record("fl-00000000000000003"));
      const t = engine.topology(tx, scope);
      assert.equal(engine.topology(tx, scope), t, "within the transaction, after its write, the cache holds");
      return t;
    });
    assert.notEqual(
      store.read(scope, (tx) => engine.topology(tx, scope)),
      inside,
    );
    store.close();
  });
});
