/**
 * The store's indexed reads (issue 19): point lookups of many ids, keys with several values, bounded counts, pages of a
 * kind, counters per key, and the one-time rebuild of secondary keys written by another version of `secondaryKeys`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElasticIpRecord, SubnetRecord } from "../domain/types.js";
import Database from "better-sqlite3";
import { Store } from "./store.js";
import { SECONDARY_KEYS_VERSION, secondaryKeys } from "./secondary-keys.js";

const scope = { account: "123456789012", region: "us-east-1" };
const eip = (i: number, pool = "amazon"): ElasticIpRecord => ({
  kind: "elastic-ip",
  id: `eipalloc-${String(i).padStart(17, "0")}`,
  tags: i % 2 === 0 ? [{ key: "Name", value: `n${i % 3}` }] : [],
  publicIp: `3.0.0.${i}`,
  domain: "vpc",
  publicIpv4Pool: pool,
  networkBorderGroup: "us-east-1",
});
const ids = (xs: readonly { id: string }[]): string[] => xs.map((x) => x.id);

describe("store indexed reads", () => {
  const store = new Store(":memory:");
  const all = Array.from({ length: 20 }, (_, i) => eip(i, i >= 17 ? "ipv4pool-ec2-00000000000000001" : "amazon"));
  store.tx(scope, (tx) => {
    for (const e of all) tx.put(e);
  });

  it("getMany/getAnyMany answer each id once, in creation order, and skip unknown ids and other kinds", () => {
    store.read(scope, (tx) => {
      const wanted = [all[7]!.id, all[3]!.id, "eipalloc-nope", all[7]!.id, all[12]!.id];
      assert.deepEqual(ids(tx.getMany("elastic-ip", wanted)), [all[3]!.id, all[7]!.id, all[12]!.id]);
      assert.deepEqual(ids(tx.getMany("vpc", wanted)), []);
      assert.deepEqual(ids(tx.getAnyMany(wanted)), [all[3]!.id, all[7]!.id, all[12]!.id]);
    });
  });

  it("idsByKeys reads several values of one key, each record once, in creation order", () => {
    store.read(scope, (tx) => {
      assert.deepEqual(tx.idsByKeys("elastic-ip", "tag:Name", ["n1", "n0"]), ids(all.filter((e) => e.tags[0] && e.tags[0].value !== "n2")));
      assert.deepEqual(tx.idsByKeys("elastic-ip", "public-ip", ["3.0.0.4"]), [all[4]!.id]);
    });
  });

  it("countKey counts the BYOIP addresses (the EIP quota's exemption); kinds lists what the scope holds", () => {
    store.read(scope, (tx) => {
      assert.equal(tx.countKey("elastic-ip", "byoip-pool"), 3);
      assert.equal(tx.count("elastic-ip"), 20);
      assert.deepEqual(tx.kinds(), ["elastic-ip"]);
    });
  });

  it("listPage reads a kind a chunk at a time from a position, with the positions to continue from", () => {
    store.read(scope, (tx) => {
      const first = tx.listPage("elastic-ip", -1, 5, 4);
      assert.deepEqual(ids(first.map((r) => r.record)), ids(all.slice(5, 9)));
      const next = tx.listPage("elastic-ip", first.at(-1)!.seq, 0, 100);
      assert.deepEqual(ids(next.map((r) => r.record)), ids(all.slice(9)));
    });
  });

  it("listIn and countIn read an indexed column's values; countIn stops at its bound", () => {
    const subnet = (i: number, vpcId: string): SubnetRecord => ({
      ...({} as SubnetRecord),
      kind: "subnet",
      id: `subnet-${i}`,
      tags: [],
      vpcId,
      ipv6Associations: [],
    });
    store.tx({ account: "210987654321", region: "us-east-1" }, (tx) => {
      for (let i = 0; i < 9; i++) tx.put(subnet(i, `vpc-${i % 3}`));
    });
    store.read({ account: "210987654321", region: "us-east-1" }, (tx) => {
      assert.deepEqual(ids(tx.listIn("subnet", "vpcId", ["vpc-2", "vpc-0"])), [
        "subnet-0",
        "subnet-2",
        "subnet-3",
        "subnet-5",
        "subnet-6",
        "subnet-8",
      ]);
      assert.equal(tx.countIn("subnet", "vpcId", ["vpc-1"], 100), 3);
      assert.equal(tx.countIn("subnet", "vpcId", ["vpc-1", "vpc-2"], 4), 4);
    });
  });
});

describe("an update rewrites only what changed", () => {
  const store = new Store(":memory:");
  const s = { account: "111122223333", region: "us-east-1" };
  const subnet = (vpcId: string, tags: SubnetRecord["tags"]): SubnetRecord => ({
    ...({} as SubnetRecord),
    kind: "subnet",
    id: "subnet-1",
    tags,
    vpcId,
    ipv6Associations: [],
  });
  const keyIds = (name: string, value: string): string[] => store.read(s, (tx) => tx.idsByKey("subnet", name, value));
  const cases: { name: string; record: SubnetRecord; keys: [string, string, string[]][]; inVpc: [string, string[]][] }[] = [
    {
      name: "a new record",
      record: subnet("vpc-a", [{ key: "Name", value: "x" }]),
      keys: [["tag:Name", "x", ["subnet-1"]]],
      inVpc: [["vpc-a", ["subnet-1"]]],
    },
    {
      name: "a tag value changed, another added",
      record: subnet("vpc-a", [
        { key: "Name", value: "y" },
        { key: "env", value: "prod" },
      ]),
      keys: [
        ["tag:Name", "x", []],
        ["tag:Name", "y", ["subnet-1"]],
        ["tag:env", "prod", ["subnet-1"]],
        ["tag-key", "Name", ["subnet-1"]],
      ],
      inVpc: [["vpc-a", ["subnet-1"]]],
    },
    {
      name: "the indexed column changed, a tag removed",
      record: subnet("vpc-b", [{ key: "env", value: "prod" }]),
      keys: [
        ["tag:Name", "y", []],
        ["tag-key", "Name", []],
        ["tag:env", "prod", ["subnet-1"]],
      ],
      inVpc: [
        ["vpc-a", []],
        ["vpc-b", ["subnet-1"]],
      ],
    },
    {
      name: "nothing changed",
      record: subnet("vpc-b", [{ key: "env", value: "prod" }]),
      keys: [["tag:env", "prod", ["subnet-1"]]],
      inVpc: [["vpc-b", ["subnet-1"]]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      store.tx(s, (tx) => {
        tx.put(c.record);
      });
      for (const [name, value, want] of c.keys) assert.deepEqual(keyIds(name, value), want, `${name}=${value}`);
      store.read(s, (tx) => {
        for (const [vpcId, want] of c.inVpc) assert.deepEqual(ids(tx.listIn("subnet", "vpcId", [vpcId])), want, vpcId);
        assert.equal(tx.count("subnet"), 1);
        assert.deepEqual(tx.get("subnet", "subnet-1"), c.record);
      });
    });
  }
});

describe("secondary keys of another version", () => {
  it("are rebuilt once when the store opens the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "localvpc-store-test-"));
    try {
      const path = join(dir, "state.db");
      let store = new Store(path);
      store.tx(scope, (tx) => {
        tx.put(eip(1, "ipv4pool-ec2-00000000000000001"));
      });
      store.setMeta("secondary-keys-version", String(SECONDARY_KEYS_VERSION - 1));
      store.close();
      // As a file written before these keys existed: none stored, and an older version mark.
      const raw = new Database(path);
      raw.exec("DELETE FROM resource_keys");
      raw.close();
      store = new Store(path);
      assert.equal(store.getMeta("secondary-keys-version"), String(SECONDARY_KEYS_VERSION));
      store.read(scope, (tx) => {
        assert.equal(tx.countKey("elastic-ip", "byoip-pool"), 1);
        assert.deepEqual(tx.idsByKey("elastic-ip", "public-ip", "3.0.0.1"), [eip(1).id]);
      });
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("store reads without a transaction (issue 19)", () => {
  const e = (i: number): ElasticIpRecord => eip(1000 + i);
  it("a read that only reads opens no transaction; one that writes is committed whole", () => {
    const store = new Store(":memory:");
    store.tx(scope, (tx) => tx.put(e(1)));
    const v0 = store.version;
    store.read(scope, (tx) => {
      assert.equal(tx.get("elastic-ip", e(1).id)?.publicIp, e(1).publicIp);
    });
    assert.equal(store.version, v0, "a pure read changes no version");
    store.read(scope, (tx) => {
      tx.put(e(2));
      tx.put(e(3));
    });
    assert.ok(store.version > v0);
    assert.deepEqual(
      store.read(scope, (tx) => ids(tx.list("elastic-ip"))),
      [e(1).id, e(2).id, e(3).id],
    );
    store.close();
  });

  it("a read that writes and then throws leaves nothing behind, and the next call still works", () => {
    const store = new Store(":memory:");
    store.tx(scope, (tx) => tx.put(e(1)));
    const before = store.dump(scope);
    assert.throws(
      () =>
        store.read(scope, (tx) => {
          tx.put(e(2));
          tx.delete(e(1).id);
          throw new Error("rule failed");
        }),
      /rule failed/,
    );
    assert.deepEqual(store.dump(scope), before);
    // A write transaction and a nested read still work after the rolled-back read.
    store.tx(scope, (tx) => {
      tx.put(e(4));
      assert.equal(
        store.read(scope, (r) => r.count("elastic-ip")),
        2,
      );
    });
    assert.equal(
      store.read(scope, (tx) => tx.count("elastic-ip")),
      2,
    );
    store.close();
  });
});

describe("secondary keys stay exactly the records' keys (issue 19: found from the stored JSON, no index by id)", () => {
  it("after random puts, updates, rolled-back writes and deletes, the keys table equals the keys of the records", () => {
    const dir = mkdtempSync(join(tmpdir(), "localvpc-store-test-"));
    try {
      const path = join(dir, "state.db");
      const store = new Store(path);
      // mulberry32: deterministic, and every residue reachable (an LCG's low bits cycle).
      let seed = 7;
      const rand = (n: number): number => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) % n;
      };
      const record = (i: number): ElasticIpRecord => ({
        ...eip(i, rand(3) === 0 ? "ipv4pool-ec2-00000000000000002" : "amazon"),
        tags: Array.from({ length: rand(3) }, (_, t) => ({ key: `k${t}`, value: `v${rand(4)}` })),
        publicIp: `3.1.${rand(2)}.${i}`,
      });
      for (let step = 0; step < 400; step++) {
        const i = rand(40);
        const op = rand(4);
        try {
          store.tx(scope, (tx) => {
            if (op === 0) tx.delete(eip(i).id);
            else tx.put(record(i));
            // A quarter of the writes fail after writing: nothing of them may stay.
            if (rand(4) === 0) throw new Error("rolled back");
          });
        } catch (e) {
          if (!(e instanceof Error) || e.message !== "rolled back") throw e;
        }
      }
      store.close();
      const raw = new Database(path, { readonly: true });
      const stored = (raw.prepare("SELECT kind, name, value, id FROM resource_keys").all() as Record<string, string>[])
        .map((r) => `${r["kind"]}|${r["name"]}|${r["value"]}|${r["id"]}`)
        .sort();
      const records = (raw.prepare("SELECT data FROM resources").all() as { data: string }[]).map(
        (r) => JSON.parse(r.data) as ElasticIpRecord,
      );
      raw.close();
      const expected = [...new Set(records.flatMap((r) => secondaryKeys(r).map(([n, v]) => `${r.kind}|${n}|${v}|${r.id}`)))].sort();
      assert.ok(records.length > 5 && expected.length > 10, "the run leaves records with keys");
      assert.deepEqual(stored, expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
