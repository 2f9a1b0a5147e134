/**
 * The index paths of Describe (issue 19) answer exactly what a scan answers: for random records and random filter
 * combinations, `candidates()` and `scanCandidates()` (paged through NextToken) give the same records, in the same
 * order, as describe() over every record of the kind.
 */
import { describe as suite, it } from "node:test";
import assert from "node:assert/strict";
import type { FilterInput, FilterTable } from "../../domain/filters.js";
import type { NetworkInterfaceRecord } from "../../domain/types.js";
import { Store, type Tx } from "../../store/store.js";
import { candidates, describe, scanCandidates, type IndexedFilters } from "./describe.js";

/** A small deterministic generator, so that a failure is reproducible. */
const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const eni = (i: number, r: () => number): NetworkInterfaceRecord => {
  const subnet = `subnet-${Math.floor(r() * 3)}`;
  const ip = `10.0.${Math.floor(i / 200)}.${i % 200}`;
  const attached = r() < 0.4;
  const instanceId = `i-${Math.floor(r() * 4)}`;
  const eip = r() < 0.3;
  return {
    kind: "network-interface",
    id: `eni-${i.toString(16).padStart(17, "0")}`,
    tags: r() < 0.5 ? [{ key: "Name", value: `n${Math.floor(r() * 5)}` }] : [],
    ownerId: "123456789012",
    requesterId: "123456789012",
    requesterManaged: false,
    vpcId: subnet === "subnet-2" ? "vpc-b" : "vpc-a",
    subnetId: subnet,
    availabilityZone: "us-east-1a",
    // Sparse keys: most have none (unkeyed), some share one, a few are unique.
    description: r() < 0.7 ? "" : r() < 0.5 ? "ELB net/web/1" : `desc-${i}`,
    macAddress: `02:00:00:00:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
    interfaceType: r() < 0.8 ? "interface" : r() < 0.5 ? "lambda" : "network_load_balancer",
    status: attached ? "in-use" : "available",
    sourceDestCheck: true,
    groupIds: [`sg-${Math.floor(r() * 3)}`, ...(r() < 0.3 ? ["sg-x"] : [])],
    privateIps: [{ address: ip, primary: true }],
    ipv4Prefixes: [],
    ipv6Addresses: [],
    ipv6Prefixes: [],
    associatePublicIp: false,
    publicIps: eip
      ? [
          {
            privateIp: ip,
            publicIp: `3.0.0.${i % 250}`,
            ipOwnerId: "123456789012",
            allocationId: `eipalloc-${i % 7}`,
            associationId: `eipassoc-${i}`,
          },
        ]
      : [],
    ...(attached
      ? {
          instanceId,
          attachment: {
            attachmentId: `eni-attach-${i}`,
            instanceId,
            instanceOwnerId: "123456789012",
            deviceIndex: 1,
            networkCardIndex: 0,
            status: "attached" as const,
            attachTime: "2026-01-01T00:00:00.000Z",
            deleteOnTermination: false,
          },
        }
      : {}),
  };
};

const primary = (e: NetworkInterfaceRecord) => e.publicIps.find((p) => p.privateIp === e.privateIps.find((x) => x.primary)?.address);
const TABLE: FilterTable<NetworkInterfaceRecord> = {
  "network-interface-id": (e) => e.id,
  "subnet-id": (e) => e.subnetId,
  "vpc-id": (e) => e.vpcId,
  "attachment.instance-id": (e) => e.attachment?.instanceId,
  "attachment.attachment-id": (e) => e.attachment?.attachmentId,
  "private-ip-address": (e) => e.privateIps.map((p) => p.address),
  "mac-address": (e) => e.macAddress,
  "group-id": (e) => e.groupIds,
  "association.allocation-id": (e) => primary(e)?.allocationId,
  "association.association-id": (e) => primary(e)?.associationId,
  status: (e) => e.status,
  description: (e) => e.description,
  "interface-type": (e) => e.interfaceType,
  "private-dns-name": (e) => `ip-${e.privateIps[0]!.address.replace(/\./g, "-")}.ec2.internal`,
};
const INDEXED: IndexedFilters = {
  id: "network-interface-id",
  subnetId: "subnet-id",
  vpcId: "vpc-id",
  instanceId: "attachment.instance-id",
  keyed: [
    "private-ip-address",
    "mac-address",
    "attachment.attachment-id",
    "group-id",
    "association.allocation-id",
    "association.association-id",
    "description",
    "interface-type",
  ],
  unkeyed: { description: [""], "interface-type": ["interface"] },
  derived: {
    "private-dns-name": {
      key: "private-ip-address",
      map: (_tx, dns) => {
        const m = /^ip-(\d+)-(\d+)-(\d+)-(\d+)\./.exec(dns);
        return m ? [m.slice(1, 5).join(".")] : undefined;
      },
    },
  },
};

const N = 300;
const scope = { account: "123456789012", region: "us-east-1" };

suite("Describe candidates (issue 19)", () => {
  const store = new Store(":memory:");
  const r = rng(7);
  const records: NetworkInterfaceRecord[] = [];
  store.tx(scope, (tx) => {
    for (let i = 0; i < N; i++) {
      const e = eni(i, r);
      records.push(e);
      tx.put(e);
    }
  });
  const values: Record<string, () => string> = {
    "network-interface-id": () => records[Math.floor(r() * N)]!.id,
    "subnet-id": () => `subnet-${Math.floor(r() * 4)}`,
    "vpc-id": () => (r() < 0.5 ? "vpc-a" : "vpc-b"),
    "attachment.instance-id": () => `i-${Math.floor(r() * 5)}`,
    "attachment.attachment-id": () => `eni-attach-${Math.floor(r() * N)}`,
    "private-ip-address": () => records[Math.floor(r() * N)]!.privateIps[0]!.address,
    "mac-address": () => records[Math.floor(r() * N)]!.macAddress,
    "group-id": () => `sg-${r() < 0.8 ? Math.floor(r() * 3) : "x"}`,
    "association.allocation-id": () => `eipalloc-${Math.floor(r() * 8)}`,
    "association.association-id": () => `eipassoc-${Math.floor(r() * N)}`,
    status: () => (r() < 0.5 ? "available" : "in-use"),
    "tag:Name": () => `n${Math.floor(r() * 6)}`,
    description: () => (r() < 0.3 ? "" : r() < 0.5 ? "ELB net/web/1" : `desc-${Math.floor(r() * N)}`),
    "interface-type": () => ["interface", "lambda", "network_load_balancer", "efa"][Math.floor(r() * 4)]!,
    // Mostly real names; now and then one of another form (the scan decides) or of an address nobody holds.
    "private-dns-name": () =>
      r() < 0.8
        ? `ip-${records[Math.floor(r() * N)]!.privateIps[0]!.address.replace(/\./g, "-")}.ec2.internal`
        : r() < 0.5
          ? "host.example.com"
          : "ip-10-9-9-9.ec2.internal",
  };
  const names = Object.keys(values);
  const randomFilters = (): FilterInput[] => {
    const count = 1 + Math.floor(r() * 3);
    return Array.from({ length: count }, () => {
      const name = names[Math.floor(r() * names.length)]!;
      const n = 1 + Math.floor(r() * 3);
      // Now and then a wildcard, which no index may serve.
      const vs = Array.from({ length: n }, () => (r() < 0.1 ? `${values[name]!().slice(0, 6)}*` : values[name]!()));
      return { Name: name, Values: vs };
    });
  };
  const ids = (items: readonly NetworkInterfaceRecord[]): string[] => items.map((e) => e.id);
  const scanned = (tx: Tx, filters: FilterInput[]): string[] =>
    ids(describe({ items: tx.list("network-interface"), idOf: (e) => e.id, filters, table: TABLE }).items);

  it("candidates() answers what a scan answers, in creation order, for 400 random filter sets", () => {
    let answered = 0;
    store.read(scope, (tx) => {
      for (let k = 0; k < 400; k++) {
        const filters = randomFilters();
        const got = describe({
          items: candidates(tx, "network-interface", undefined, filters, INDEXED),
          idOf: (e) => e.id,
          filters,
          table: TABLE,
        });
        assert.deepEqual(ids(got.items), scanned(tx, filters), JSON.stringify(filters));
        if (got.items.length > 0) answered++;
      }
    });
    // Not a comparison of empty answers: most filter sets match something.
    assert.ok(answered > 150, `only ${answered} of 400 filter sets matched anything`);
  });

  for (const keyset of [false, true])
    it(`scanCandidates() pages (MaxResults + NextToken${keyset ? ", keyset tokens" : ", offset tokens"}) through exactly the scan's answer, with or without filters`, () => {
      store.read(scope, (tx) => {
        for (let k = 0; k < 120; k++) {
          const filters = k % 3 === 0 ? undefined : randomFilters();
          const maxResults = 5 + Math.floor(r() * 60);
          const pages: string[] = [];
          let token: string | undefined;
          for (let p = 0; p < 1000; p++) {
            // Half the time every indexed candidate set counts as large, so the chunked paths run too.
            const src = scanCandidates(tx, "network-interface", undefined, filters, INDEXED, {
              maxResults,
              nextToken: token,
              ...(k % 2 === 0 ? { lazyAbove: 3 } : {}),
            });
            const page = describe({
              items: src.items,
              itemsOffset: src.itemsOffset,
              idOf: (e) => e.id,
              filters,
              table: TABLE,
              maxResults,
              nextToken: token,
              keyset,
            });
            assert.ok(page.items.length <= maxResults);
            pages.push(...ids(page.items));
            token = page.nextToken;
            if (!token) break;
          }
          assert.deepEqual(pages, scanned(tx, filters ?? []), JSON.stringify({ filters, maxResults, keyset }));
        }
      });
    });

  it("a keyset token stays right when records are removed or added between pages; an offset token skips one", () => {
    const s2 = new Store(":memory:");
    const rr = rng(11);
    s2.tx(scope, (tx) => {
      for (let i = 0; i < 30; i++) tx.put(eni(i, rr));
    });
    const pageOf = (token: string | undefined, keyset: boolean) =>
      s2.read(scope, (tx) => {
        const src = scanCandidates(tx, "network-interface", undefined, undefined, INDEXED, { maxResults: 10, nextToken: token });
        return describe({
          items: src.items,
          itemsOffset: src.itemsOffset,
          idOf: (e) => e.id,
          table: TABLE,
          maxResults: 10,
          nextToken: token,
          keyset,
        });
      });
    for (const keyset of [true, false]) {
      const all = s2.read(scope, (tx) => ids(tx.list("network-interface")));
      const first = pageOf(undefined, keyset);
      assert.deepEqual(ids(first.items), all.slice(0, 10));
      // Between pages: the page's third record is deleted and a new one is created.
      s2.tx(scope, (tx) => {
        tx.delete(all[2]!);
        tx.put(eni(100 + (keyset ? 0 : 1), rr));
      });
      const second = pageOf(first.nextToken, keyset);
      // Keyset: the next ten after the last one answered. Offset: the positions shifted, so all[10] is never answered.
      assert.deepEqual(ids(second.items), keyset ? all.slice(10, 20) : all.slice(11, 21), `keyset ${keyset}`);
    }
    s2.close();
  });

  it("requested ids keep the request's order, or creation order when asked", () => {
    store.read(scope, (tx) => {
      const wanted = [records[9]!.id, records[2]!.id, records[5]!.id, records[2]!.id];
      assert.deepEqual(ids(candidates(tx, "network-interface", wanted, undefined, INDEXED)), [
        records[9]!.id,
        records[2]!.id,
        records[5]!.id,
      ]);
      assert.deepEqual(ids(candidates(tx, "network-interface", wanted, undefined, { ...INDEXED, idsInCreationOrder: true })), [
        records[2]!.id,
        records[5]!.id,
        records[9]!.id,
      ]);
    });
  });
});
