/**
 * The SQLite store: one transaction per mutating call (it happens whole or not at all), repositories that do
 * CRUD and indexed queries and never rules. better-sqlite3 is synchronous, which suits a transaction that wraps
 * a whole action.
 */
import { StsStore } from "./sts-store.js";
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { AnyRecord, ResourceKind, ResourceKinds } from "../domain/types.js";
import { parseAddress, parseCidr } from "../domain/cidr.js";
import { MIGRATIONS } from "./migrations.js";
import { secondaryKeys } from "./secondary-keys.js";
// --- flow logs (issue 5) ---
import { LogsStore } from "./logs-store.js";

export interface Scope {
  readonly account: string;
  readonly region: string;
}

/** Which indexed column to narrow a listing by. */
export type IndexedBy = { vpcId: string } | { subnetId: string } | { instanceId: string } | undefined;

interface Row {
  data: string;
}

/** Everything an action can do with stored state, bound to one (account, region). */
export interface Tx {
  readonly scope: Scope;
  /** The same transaction bound to another (account, region): cross-account attach, BYOIP's global checks. */
  forScope(scope: Scope): Tx;
  /** The scopes that hold a record with this id (ids are unique in practice; several only if a test forces it). */
  scopesOf(id: string): Scope[];
  /** Every record of a kind in every scope, in creation order (global rules such as BYOIP overlap). */
  listEverywhere<K extends ResourceKind>(kind: K): { scope: Scope; record: ResourceKinds[K] }[];
  get<K extends ResourceKind>(kind: K, id: string): ResourceKinds[K] | undefined;
  /** Any resource by id, whatever its kind (for tags). */
  getAny(id: string): AnyRecord | undefined;
  /** Resources of a kind in creation order, optionally narrowed by an indexed column. */
  list<K extends ResourceKind>(kind: K, by?: IndexedBy): ResourceKinds[K][];
  count(kind: ResourceKind, by?: IndexedBy): number;
  /** Ids of the kind's records with this secondary key (store/secondary-keys.ts), in creation order. */
  idsByKey(kind: ResourceKind, name: string, value: string): string[];
  /** Every resource of the scope (DescribeTags). */
  listAll(): AnyRecord[];
  put(record: AnyRecord & { kind: ResourceKind }): void;
  delete(id: string): void;
  /** The store's state version (`Store.version`), for caches of derived state such as the compiled topology. */
  stateVersion(): number;
  /** Claims an address in a subnet; false when it is already in use. */
  claimAddress(subnetId: string, address: string, family: 4 | 6, ownerId: string, weight?: number): boolean;
  releaseAddress(subnetId: string, address: string): void;
  releaseAddressesOf(ownerId: string): void;
  /** The allocation hint of a subnet/family: every address below it is in use (undefined: start of the subnet). */
  addressHint(subnetId: string, family: 4 | 6): bigint | undefined;
  setAddressHint(subnetId: string, family: 4 | 6, next: bigint): void;
  addressOwner(subnetId: string, address: string): string | undefined;
  /** Σ weight of the subnet's IPv4 usage (for availableIpAddressCount). */
  ipv4UsedInSubnet(subnetId: string): number;
  addressesInSubnet(subnetId: string, family: 4 | 6): string[];
  idempotencyGet(action: string, token: string): { paramsHash: string; output: string } | undefined;
  idempotencyPut(action: string, token: string, paramsHash: string, output: string, now: string): void;
}

const prepareCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export class Store {
  readonly #db: Database.Database;
  readonly #stmts: Map<string, Database.Statement>;
  /** CloudWatch Logs groups, streams and events (flow logs, issue 5), in the same database. */
  readonly logs: LogsStore;
  /** STS temporary credentials (AssumeRole), global. */
  readonly sts: StsStore;
  /**
   * State version: bumped by every resource write (put, delete, reset) and again when a transaction that wrote ends,
   * committed or rolled back, so something derived at version v (the traffic API's compiled topology) is never served
   * once the records it came from may differ. Over-invalidation (a rolled-back write) only costs a rebuild.
   */
  #version = 0;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    if (path !== ":memory:") {
      // WAL + NORMAL: a committed transaction survives kill -9 (it is in the WAL before the call is answered).
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma("synchronous = NORMAL");
    }
    this.#db.pragma("foreign_keys = ON");
    this.#stmts = new Map();
    prepareCache.set(this.#db, this.#stmts);
    this.#migrate();
    this.logs = new LogsStore(this.#db);
    this.sts = new StsStore(this.#db);
  }

  #migrate(): void {
    const version = this.#db.pragma("user_version", { simple: true }) as number;
    for (let i = version; i < MIGRATIONS.length; i++) {
      this.#db.transaction(() => {
        this.#db.exec(MIGRATIONS[i] as string);
        this.#db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` in one write transaction; any throw rolls everything back. */
  tx<T>(scope: Scope, fn: (tx: Tx) => T): T {
    const before = this.#version;
    try {
      return this.#db.transaction(() => fn(this.#bind(scope))).immediate();
    } finally {
      if (this.#version !== before) this.#version++;
    }
  }

  /** Runs `fn` in a read (deferred) transaction: one consistent snapshot for a Describe. */
  read<T>(scope: Scope, fn: (tx: Tx) => T): T {
    const before = this.#version;
    try {
      return this.#db.transaction(() => fn(this.#bind(scope))).deferred();
    } finally {
      if (this.#version !== before) this.#version++;
    }
  }

  get version(): number {
    return this.#version;
  }

  /** Runs `fn` and always rolls back: validation without side effects (DryRun). */
  rehearse(scope: Scope, fn: (tx: Tx) => void): void {
    const rollback = new Error("rehearsal rollback");
    const before = this.#version;
    try {
      this.#db.transaction(() => {
        fn(this.#bind(scope));
        throw rollback;
      })();
    } catch (e) {
      if (e !== rollback) throw e;
    } finally {
      if (this.#version !== before) this.#version++;
    }
  }

  isScopeInitialized(scope: Scope): boolean {
    return this.#stmt("SELECT 1 FROM scopes WHERE account = ? AND region = ?").get(scope.account, scope.region) !== undefined;
  }
  markScopeInitialized(scope: Scope, now: string): void {
    this.#stmt("INSERT OR IGNORE INTO scopes (account, region, created_at) VALUES (?, ?, ?)").run(scope.account, scope.region, now);
  }

  listScopes(): Scope[] {
    return this.#stmt("SELECT account, region FROM scopes ORDER BY account, region").all() as Scope[];
  }

  getMeta(key: string): string | undefined {
    return (this.#stmt("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }
  setMeta(key: string, value: string): void {
    this.#stmt("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }
  deleteMeta(key: string): void {
    this.#stmt("DELETE FROM meta WHERE key = ?").run(key);
  }

  /** Every stored row of one scope, for the admin state dump (tests compare it before/after a failed call). */
  dump(scope: Scope): {
    resources: unknown[];
    ipUsage: unknown[];
    ipHints: unknown[];
    kindCounts: unknown[];
    idempotency: unknown[];
    stsCredentials: unknown[];
  } {
    const a = [scope.account, scope.region];
    return {
      resources: (this.#stmt("SELECT data FROM resources WHERE account = ? AND region = ? ORDER BY seq").all(...a) as Row[]).map(
        (r) => JSON.parse(r.data) as unknown,
      ),
      ipUsage: this.#stmt(
        "SELECT subnet_id, address, family, owner_id, weight FROM ip_usage WHERE account = ? AND region = ? ORDER BY subnet_id, address",
      ).all(...a),
      ipHints: this.#stmt("SELECT subnet_id, family, next FROM ip_hints WHERE account = ? AND region = ? ORDER BY subnet_id, family").all(
        ...a,
      ),
      kindCounts: this.#stmt("SELECT kind, n FROM kind_counts WHERE account = ? AND region = ? ORDER BY kind").all(...a),
      idempotency: this.#stmt(
        "SELECT action, token, params_hash FROM idempotency WHERE account = ? AND region = ? ORDER BY action, token",
      ).all(...a),
      // STS credentials are global to their account (any region): the ones AssumeRole issued into this account.
      stsCredentials: this.#stmt(
        "SELECT access_key_id, role_arn, session_name, expiration FROM sts_credentials WHERE account = ? ORDER BY access_key_id",
      ).all(scope.account),
    };
  }

  /** Forgets one account, in every region: its resources, addresses, tokens, logs and temporary credentials. */
  resetAccount(account: string): void {
    this.#version++;
    this.#db.transaction(() => {
      for (const t of ["scopes", "resources", "resource_keys", "ip_usage", "ip_hints", "kind_counts", "idempotency"]) {
        this.#db.prepare(`DELETE FROM ${t} WHERE account = ?`).run(account);
      }
      for (const t of ["log_events", "log_streams", "log_groups", "sts_credentials"]) {
        this.#db.prepare(`DELETE FROM ${t} WHERE account = ?`).run(account);
      }
    })();
  }

  /** Forgets every account and region (admin reset). */
  reset(): void {
    this.#version++;
    this.#db.transaction(() => {
      for (const t of ["scopes", "resources", "resource_keys", "ip_usage", "ip_hints", "kind_counts", "idempotency", "meta"]) {
        this.#db.exec(`DELETE FROM ${t}`);
      }
      this.logs.reset();
      this.sts.reset();
    })();
  }

  close(): void {
    this.#db.close();
  }

  #bind(scope: Scope): Tx {
    const { account, region } = scope;
    const parse = (row: Row | undefined): unknown => (row ? JSON.parse(row.data) : undefined);
    const readHint = (subnetId: string, family: number): bigint | undefined => {
      const row = this.#stmt("SELECT next FROM ip_hints WHERE account = ? AND region = ? AND subnet_id = ? AND family = ?").get(
        account,
        region,
        subnetId,
        family,
      ) as { next: string } | undefined;
      return row ? BigInt(row.next) : undefined;
    };
    /** A released address (or prefix: its first address) below the hint becomes the new hint. */
    const lowerHint = (subnetId: string, address: string): void => {
      const first = address.includes("/") ? parseCidr(address) : undefined;
      const a = first ? { version: first.version, value: first.network } : parseAddress(address);
      if (!a) return;
      const hint = readHint(subnetId, a.version);
      if (hint !== undefined && a.value < hint) {
        this.#stmt("UPDATE ip_hints SET next = ? WHERE account = ? AND region = ? AND subnet_id = ? AND family = ?").run(
          a.value.toString(),
          account,
          region,
          subnetId,
          a.version,
        );
      }
    };
    const bumpCount = (kind: string, delta: number): void => {
      this.#stmt(
        "INSERT INTO kind_counts (account, region, kind, n) VALUES (?, ?, ?, ?) ON CONFLICT (account, region, kind) DO UPDATE SET n = n + excluded.n",
      ).run(account, region, kind, delta);
    };
    const byClause = (by: IndexedBy): [string, string[]] => {
      if (!by) return ["", []];
      if ("vpcId" in by) return [" AND vpc_id = ?", [by.vpcId]];
      if ("subnetId" in by) return [" AND subnet_id = ?", [by.subnetId]];
      return [" AND instance_id = ?", [by.instanceId]];
    };
    return {
      scope,
      forScope: (other) => (other.account === account && other.region === region ? this.#bind(scope) : this.#bind(other)),
      scopesOf: (id) => this.#stmt("SELECT account, region FROM resources WHERE id = ? ORDER BY seq").all(id) as Scope[],
      listEverywhere: <K extends ResourceKind>(kind: K) =>
        (this.#stmt("SELECT account, region, data FROM resources WHERE kind = ? ORDER BY seq").all(kind) as (Row & Scope)[]).map((r) => ({
          scope: { account: r.account, region: r.region },
          record: JSON.parse(r.data) as ResourceKinds[K],
        })),
      get: <K extends ResourceKind>(kind: K, id: string) =>
        parse(
          this.#stmt("SELECT data FROM resources WHERE account = ? AND region = ? AND id = ? AND kind = ?").get(
            account,
            region,
            id,
            kind,
          ) as Row | undefined,
        ) as ResourceKinds[K] | undefined,
      getAny: (id) =>
        parse(
          this.#stmt("SELECT data FROM resources WHERE account = ? AND region = ? AND id = ?").get(account, region, id) as Row | undefined,
        ) as AnyRecord | undefined,
      list: <K extends ResourceKind>(kind: K, by?: IndexedBy) => {
        const [clause, args] = byClause(by);
        const rows = this.#stmt(`SELECT data FROM resources WHERE account = ? AND region = ? AND kind = ?${clause} ORDER BY seq`).all(
          account,
          region,
          kind,
          ...args,
        ) as Row[];
        return rows.map((r) => JSON.parse(r.data) as ResourceKinds[K]);
      },
      count: (kind, by) => {
        if (!by) {
          const row = this.#stmt("SELECT n FROM kind_counts WHERE account = ? AND region = ? AND kind = ?").get(account, region, kind) as
            { n: number } | undefined;
          return row?.n ?? 0;
        }
        const [clause, args] = byClause(by);
        return (
          this.#stmt(`SELECT count(*) AS n FROM resources WHERE account = ? AND region = ? AND kind = ?${clause}`).get(
            account,
            region,
            kind,
            ...args,
          ) as {
            n: number;
          }
        ).n;
      },
      listAll: () =>
        (this.#stmt("SELECT data FROM resources WHERE account = ? AND region = ? ORDER BY seq").all(account, region) as Row[]).map(
          (r) => JSON.parse(r.data) as AnyRecord,
        ),
      stateVersion: () => this.#version,
      put: (record) => {
        this.#version++;
        const isNew =
          this.#stmt("SELECT 1 FROM resources WHERE account = ? AND region = ? AND id = ?").get(account, region, record.id) === undefined;
        if (isNew) bumpCount(record.kind, 1);
        this.#stmt(
          `INSERT INTO resources (account, region, kind, id, vpc_id, subnet_id, instance_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (account, region, id) DO UPDATE SET vpc_id = excluded.vpc_id, subnet_id = excluded.subnet_id,
             instance_id = excluded.instance_id, data = excluded.data`,
        ).run(
          account,
          region,
          record.kind,
          record.id,
          record.vpcId ?? null,
          record.subnetId ?? null,
          record.instanceId ?? null,
          JSON.stringify(record),
        );
        // A new record has no keys yet; an updated one has its keys rewritten.
        if (!isNew) this.#stmt("DELETE FROM resource_keys WHERE account = ? AND region = ? AND id = ?").run(account, region, record.id);
        const insertKey = this.#stmt(
          "INSERT OR IGNORE INTO resource_keys (account, region, kind, name, value, id) VALUES (?, ?, ?, ?, ?, ?)",
        );
        for (const [name, value] of secondaryKeys(record)) insertKey.run(account, region, record.kind, name, value, record.id);
      },
      idsByKey: (kind, name, value) =>
        (
          this.#stmt(
            "SELECT k.id FROM resource_keys k JOIN resources r ON r.account = k.account AND r.region = k.region AND r.id = k.id WHERE k.account = ? AND k.region = ? AND k.kind = ? AND k.name = ? AND k.value = ? ORDER BY r.seq",
          ).all(account, region, kind, name, value) as { id: string }[]
        ).map((r) => r.id),
      delete: (id) => {
        this.#version++;
        const gone = this.#stmt("DELETE FROM resources WHERE account = ? AND region = ? AND id = ? RETURNING kind").get(
          account,
          region,
          id,
        ) as { kind: string } | undefined;
        if (gone) bumpCount(gone.kind, -1);
        this.#stmt("DELETE FROM resource_keys WHERE account = ? AND region = ? AND id = ?").run(account, region, id);
      },
      claimAddress: (subnetId, address, family, ownerId, weight = 1) =>
        this.#stmt(
          "INSERT OR IGNORE INTO ip_usage (account, region, subnet_id, address, family, owner_id, weight) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(account, region, subnetId, address, family, ownerId, weight).changes === 1,
      releaseAddress: (subnetId, address) => {
        this.#stmt("DELETE FROM ip_usage WHERE account = ? AND region = ? AND subnet_id = ? AND address = ?").run(
          account,
          region,
          subnetId,
          address,
        );
        lowerHint(subnetId, address);
      },
      releaseAddressesOf: (ownerId) => {
        const rows = this.#stmt("SELECT subnet_id, address FROM ip_usage WHERE account = ? AND region = ? AND owner_id = ?").all(
          account,
          region,
          ownerId,
        ) as { subnet_id: string; address: string }[];
        this.#stmt("DELETE FROM ip_usage WHERE account = ? AND region = ? AND owner_id = ?").run(account, region, ownerId);
        for (const r of rows) lowerHint(r.subnet_id, r.address);
      },
      addressHint: (subnetId, family) => readHint(subnetId, family),
      setAddressHint: (subnetId, family, next) => {
        this.#stmt(
          "INSERT INTO ip_hints (account, region, subnet_id, family, next) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, region, subnet_id, family) DO UPDATE SET next = excluded.next",
        ).run(account, region, subnetId, family, next.toString());
      },
      addressOwner: (subnetId, address) =>
        (
          this.#stmt("SELECT owner_id FROM ip_usage WHERE account = ? AND region = ? AND subnet_id = ? AND address = ?").get(
            account,
            region,
            subnetId,
            address,
          ) as { owner_id: string } | undefined
        )?.owner_id,
      ipv4UsedInSubnet: (subnetId) =>
        (
          this.#stmt(
            "SELECT coalesce(sum(weight), 0) AS n FROM ip_usage WHERE account = ? AND region = ? AND subnet_id = ? AND family = 4",
          ).get(account, region, subnetId) as { n: number }
        ).n,
      addressesInSubnet: (subnetId, family) =>
        (
          this.#stmt("SELECT address FROM ip_usage WHERE account = ? AND region = ? AND subnet_id = ? AND family = ?").all(
            account,
            region,
            subnetId,
            family,
          ) as { address: string }[]
        ).map((r) => r.address),
      idempotencyGet: (action, token) => {
        const row = this.#stmt(
          "SELECT params_hash, output FROM idempotency WHERE account = ? AND region = ? AND action = ? AND token = ?",
        ).get(account, region, action, token) as { params_hash: string; output: string } | undefined;
        return row ? { paramsHash: row.params_hash, output: row.output } : undefined;
      },
      idempotencyPut: (action, token, paramsHash, output, now) => {
        this.#stmt(
          "INSERT INTO idempotency (account, region, action, token, params_hash, output, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(account, region, action, token, paramsHash, output, now);
      },
    };
  }
}
