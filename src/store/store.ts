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
import { SECONDARY_KEYS_VERSION, secondaryKeys } from "./secondary-keys.js";
// --- flow logs (issue 5) ---
import { LogsStore } from "./logs-store.js";

export interface Scope {
  readonly account: string;
  readonly region: string;
}

/** Which indexed column to narrow a listing by. */
export type IndexedBy = { vpcId: string } | { subnetId: string } | { instanceId: string } | undefined;

/** The indexed columns of `resources`, by the record field they hold. */
export type IndexedColumn = "vpcId" | "subnetId" | "instanceId";
const COLUMN: Readonly<Record<IndexedColumn, string>> = { vpcId: "vpc_id", subnetId: "subnet_id", instanceId: "instance_id" };

interface Row {
  data: string;
  /** The row's position in creation order (every query that parses records selects it). */
  seq?: number;
}

/**
 * Each parsed record's position in creation order (`seq`), for keyset pagination (issue 19: a NextToken that names
 * the last record answered, not an offset, stays right while records are added or removed between pages). Weak, so
 * it lives exactly as long as the record object.
 */
const SEQS = new WeakMap<object, number>();

/** A stored record's position in creation order, when the record object was read from the store. */
export const recordSeq = (record: object): number | undefined => SEQS.get(record);

const record = (row: Row): unknown => {
  const r = JSON.parse(row.data) as object;
  if (row.seq !== undefined) SEQS.set(r, row.seq);
  return r;
};

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
  /**
   * At most `limit` records of the kind after creation position `afterSeq`, skipping `offset` first, with their
   * positions: a Describe reads a large kind a chunk at a time and stops once its page is full.
   */
  listPage<K extends ResourceKind>(
    kind: K,
    afterSeq: number,
    offset: number,
    limit: number,
  ): { readonly seq: number; readonly record: ResourceKinds[K] }[];
  count(kind: ResourceKind, by?: IndexedBy): number;
  /** Ids of the kind's records with this secondary key (store/secondary-keys.ts), in creation order. */
  idsByKey(kind: ResourceKind, name: string, value: string): string[];
  /** Ids of the kind's records with this secondary key equal to any of `values`, each once, in creation order. */
  idsByKeys(kind: ResourceKind, name: string, values: readonly string[], afterSeq?: number): string[];
  /** How many of the kind's records carry a key of this name (e.g. the BYOIP addresses, for the EIP quota). */
  countKey(kind: ResourceKind, name: string): number;
  /** Records of any kind with any of these ids, each once, in creation order (point lookups; DescribeTags). */
  getAnyMany(ids: readonly string[]): AnyRecord[];
  /** The kinds the scope holds records of (from the per-kind counters). */
  kinds(): ResourceKind[];
  /** The kind's records with any of these ids, each once, in creation order (point lookups). */
  getMany<K extends ResourceKind>(kind: K, ids: readonly string[]): ResourceKinds[K][];
  /** The kind's records whose indexed column holds any of `values`, in creation order. */
  listIn<K extends ResourceKind>(kind: K, column: IndexedColumn, values: readonly string[]): ResourceKinds[K][];
  /**
   * At most `limit` of the kind's records whose indexed column holds one of `values`, after creation position
   * `afterSeq`, in creation order: a paginated Describe filtered by subnet, VPC or instance reads a chunk at a time.
   */
  listInPage<K extends ResourceKind>(
    kind: K,
    column: IndexedColumn,
    values: readonly string[],
    afterSeq: number,
    limit: number,
  ): { readonly seq: number; readonly record: ResourceKinds[K] }[];
  /** Ids of the kind's records whose indexed column holds any of `values`, in creation order (no record is parsed). */
  idsIn(kind: ResourceKind, column: IndexedColumn, values: readonly string[]): string[];
  /** min(limit, number of the kind's records whose indexed column holds any of `values`): a bounded index count. */
  countIn(kind: ResourceKind, column: IndexedColumn, values: readonly string[], limit: number): number;
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
  /**
   * One transaction wrapper for every call: better-sqlite3's `transaction()` builds new functions each time it is
   * called, so building it per request was pure overhead (profile of the request path, issue 19).
   */
  readonly #run: Database.Transaction<(fn: () => unknown) => unknown>;
  /** Bound transactions per scope (they hold no state but the scope): not ~40 new closures per request. Bounded. */
  readonly #bound = new Map<string, Tx>();
  #checkpoints: NodeJS.Timeout | undefined;
  /** Inside `read` without a transaction yet; `#lazyBegun` once a write in it opened one. */
  #lazyRead = false;
  #lazyBegun = false;

  constructor(readonly path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    if (path !== ":memory:") {
      // WAL + NORMAL: a committed transaction survives kill -9 (it is in the WAL before the call is answered).
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma("synchronous = NORMAL");
      // Checkpoints (WAL → database file, with an fsync) on a timer rather than every ~1,000 WAL pages inside whichever
      // write transaction crossed the mark: at 2,000 writes/s that was ~20 fsyncs a second on the request path
      // (issue 19's profile: half of a write's time). A commit is in the WAL either way; the larger threshold only
      // bounds the WAL if the timer cannot keep up.
      this.#db.pragma("wal_autocheckpoint = 16384");
      this.#checkpoints = setInterval(() => {
        try {
          this.#db.pragma("wal_checkpoint(PASSIVE)");
        } catch {
          // A busy database skips this round; the next one (or the automatic threshold) catches up.
        }
      }, 1_000);
      this.#checkpoints.unref();
    }
    this.#db.pragma("foreign_keys = ON");
    // A statement or savepoint journal (a nested transaction, an upsert) in memory, not a temp file opened and
    // unlinked on the request path.
    this.#db.pragma("temp_store = MEMORY");
    this.#stmts = new Map();
    prepareCache.set(this.#db, this.#stmts);
    this.#migrate();
    this.#rebuildKeysIfStale();
    this.#run = this.#db.transaction((fn: () => unknown) => fn());
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

  /** Rewrites every record's secondary keys when they were written by another `secondaryKeys` (one pass, at start). */
  #rebuildKeysIfStale(): void {
    const wanted = String(SECONDARY_KEYS_VERSION);
    if (this.getMeta("secondary-keys-version") === wanted) return;
    this.#db.transaction(() => {
      this.#db.exec("DELETE FROM resource_keys");
      const insert = this.#db.prepare(
        "INSERT OR IGNORE INTO resource_keys (account, region, kind, name, value, id) VALUES (?, ?, ?, ?, ?, ?)",
      );
      // In pages (better-sqlite3 cannot write while a read is being iterated).
      const page = this.#db.prepare("SELECT seq, account, region, kind, id, data FROM resources WHERE seq > ? ORDER BY seq LIMIT 2000");
      for (let after = -1; ;) {
        const rows = page.all(after) as (Scope & { seq: number; kind: string; id: string; data: string })[];
        if (rows.length === 0) break;
        for (const r of rows) {
          for (const [name, value] of secondaryKeys(JSON.parse(r.data) as AnyRecord))
            insert.run(r.account, r.region, r.kind, name, value, r.id);
        }
        after = rows.at(-1)!.seq;
      }
      this.setMeta("secondary-keys-version", wanted);
    })();
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    // A read about to write: open its transaction now (see `read`). Every write of a Tx goes through here.
    if (this.#lazyRead && !this.#lazyBegun && !s.readonly && !this.#db.inTransaction) {
      this.#db.exec("BEGIN IMMEDIATE");
      this.#lazyBegun = true;
    }
    return s;
  }

  /** Runs `fn` in one write transaction; any throw rolls everything back. */
  tx<T>(scope: Scope, fn: (tx: Tx) => T): T {
    const before = this.#version;
    try {
      const tx = this.#bind(scope);
      return this.#run.immediate(() => fn(tx)) as T;
    } finally {
      if (this.#version !== before) this.#version++;
    }
  }

  /**
   * Runs `fn` as a read: one consistent snapshot for a Describe. No BEGIN/COMMIT is issued for a read that only reads
   * (they were ~9% of a one-id Describe's server time, issue 19's profile): this process is the database's only
   * writer and better-sqlite3 is synchronous, so nothing can commit between the statements of `fn`. The first
   * statement that writes (a read that settles state on the clock) opens a write transaction lazily, before it runs,
   * so such a read still happens whole or not at all.
   */
  read<T>(scope: Scope, fn: (tx: Tx) => T): T {
    const before = this.#version;
    const tx = this.#bind(scope);
    if (this.#db.inTransaction || this.#lazyRead) {
      try {
        return fn(tx);
      } finally {
        if (this.#version !== before) this.#version++;
      }
    }
    this.#lazyRead = true;
    // Ends the transaction a write opened, if any. (A failed statement may already have rolled it back.)
    const end = (sql: "COMMIT" | "ROLLBACK"): void => {
      this.#lazyRead = false;
      if (this.#lazyBegun) {
        // A COMMIT that fails leaves `#lazyBegun` set, so the catch below rolls back.
        if (this.#db.inTransaction) this.#db.exec(sql);
        this.#lazyBegun = false;
      }
    };
    try {
      const result = fn(tx);
      end("COMMIT");
      return result;
    } catch (e) {
      end("ROLLBACK");
      throw e;
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
      // No records, so no stale keys.
      this.setMeta("secondary-keys-version", String(SECONDARY_KEYS_VERSION));
    })();
  }

  close(): void {
    clearInterval(this.#checkpoints);
    this.#db.close();
  }

  #bind(scope: Scope): Tx {
    const key = `${scope.account}\u0000${scope.region}`;
    let tx = this.#bound.get(key);
    if (!tx) {
      // Scopes are few (accounts × regions); past the bound the oldest binding is dropped (it is rebuilt when needed).
      if (this.#bound.size >= 256) this.#bound.delete(this.#bound.keys().next().value!);
      tx = this.#newTx({ account: scope.account, region: scope.region });
      this.#bound.set(key, tx);
    }
    return tx;
  }

  #newTx(scope: Scope): Tx {
    const { account, region } = scope;
    const parse = (row: Row | undefined): unknown => (row ? record(row) : undefined);
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
        (this.#stmt("SELECT seq, account, region, data FROM resources WHERE kind = ? ORDER BY seq").all(kind) as (Row & Scope)[]).map(
          (r) => ({
            scope: { account: r.account, region: r.region },
            record: record(r) as ResourceKinds[K],
          }),
        ),
      get: <K extends ResourceKind>(kind: K, id: string) =>
        parse(
          this.#stmt("SELECT seq, data FROM resources WHERE account = ? AND region = ? AND id = ? AND kind = ?").get(
            account,
            region,
            id,
            kind,
          ) as Row | undefined,
        ) as ResourceKinds[K] | undefined,
      getAny: (id) =>
        parse(
          this.#stmt("SELECT seq, data FROM resources WHERE account = ? AND region = ? AND id = ?").get(account, region, id) as
            Row | undefined,
        ) as AnyRecord | undefined,
      list: <K extends ResourceKind>(kind: K, by?: IndexedBy) => {
        const [clause, args] = byClause(by);
        const rows = this.#stmt(`SELECT seq, data FROM resources WHERE account = ? AND region = ? AND kind = ?${clause} ORDER BY seq`).all(
          account,
          region,
          kind,
          ...args,
        ) as Row[];
        return rows.map((r) => record(r) as ResourceKinds[K]);
      },
      listPage: <K extends ResourceKind>(kind: K, afterSeq: number, offset: number, limit: number) =>
        (
          this.#stmt(
            "SELECT seq, data FROM resources WHERE account = ? AND region = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ? OFFSET ?",
          ).all(account, region, kind, afterSeq, limit, offset) as (Row & { seq: number })[]
        ).map((r) => ({ seq: r.seq, record: record(r) as ResourceKinds[K] })),
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
        (this.#stmt("SELECT seq, data FROM resources WHERE account = ? AND region = ? ORDER BY seq").all(account, region) as Row[]).map(
          (r) => record(r) as AnyRecord,
        ),
      stateVersion: () => this.#version,
      put: (record) => {
        this.#version++;
        const vpcId = record.vpcId ?? null;
        const subnetId = record.subnetId ?? null;
        const instanceId = record.instanceId ?? null;
        const data = JSON.stringify(record);
        const old = this.#stmt(
          "SELECT vpc_id, subnet_id, instance_id, data FROM resources WHERE account = ? AND region = ? AND id = ?",
        ).get(account, region, record.id) as
          { vpc_id: string | null; subnet_id: string | null; instance_id: string | null; data: string } | undefined;
        const insertKey = this.#stmt(
          "INSERT OR IGNORE INTO resource_keys (account, region, kind, name, value, id) VALUES (?, ?, ?, ?, ?, ?)",
        );
        if (!old) {
          bumpCount(record.kind, 1);
          this.#stmt(
            "INSERT INTO resources (account, region, kind, id, vpc_id, subnet_id, instance_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          ).run(account, region, record.kind, record.id, vpcId, subnetId, instanceId, data);
          for (const [name, value] of secondaryKeys(record)) insertKey.run(account, region, record.kind, name, value, record.id);
          return;
        }
        // An update touches only what changed: rewriting unchanged index entries (a delete and re-insert of the same
        // row) dirties their pages all the same, and every dirty page is written to the WAL at commit (issue 19's
        // profile: the commit was half of a write such as CreateTags).
        if (old.vpc_id === vpcId && old.subnet_id === subnetId && old.instance_id === instanceId) {
          this.#stmt("UPDATE resources SET data = ? WHERE account = ? AND region = ? AND id = ?").run(data, account, region, record.id);
        } else {
          this.#stmt(
            "UPDATE resources SET vpc_id = ?, subnet_id = ?, instance_id = ?, data = ? WHERE account = ? AND region = ? AND id = ?",
          ).run(vpcId, subnetId, instanceId, data, account, region, record.id);
        }
        // Secondary keys: delete the stale ones and insert the new ones; the unchanged ones stay as they are. The
        // stored keys are the old record's `secondaryKeys` (keys written by another version are rebuilt at open).
        const prior = JSON.parse(old.data) as AnyRecord;
        const want = new Map<string, readonly [string, string]>();
        for (const kv of secondaryKeys(record)) want.set(`${record.kind}\u0000${kv[0]}\u0000${kv[1]}`, kv);
        const deleteKey = this.#stmt(
          "DELETE FROM resource_keys WHERE account = ? AND region = ? AND kind = ? AND name = ? AND value = ? AND id = ?",
        );
        for (const [name, value] of secondaryKeys(prior)) {
          const key = `${prior.kind}\u0000${name}\u0000${value}`;
          if (want.has(key)) want.delete(key);
          else deleteKey.run(account, region, prior.kind, name, value, record.id);
        }
        for (const [name, value] of want.values()) insertKey.run(account, region, record.kind, name, value, record.id);
      },
      idsByKey: (kind, name, value) =>
        (
          this.#stmt(
            "SELECT k.id FROM resource_keys k JOIN resources r ON r.account = k.account AND r.region = k.region AND r.id = k.id WHERE k.account = ? AND k.region = ? AND k.kind = ? AND k.name = ? AND k.value = ? ORDER BY r.seq",
          ).all(account, region, kind, name, value) as { id: string }[]
        ).map((r) => r.id),
      // `afterSeq`: only records created after that position (a keyset page deep in a key's records).
      idsByKeys: (kind, name, values, afterSeq = -1) =>
        values.length === 1
          ? (
              this.#stmt(
                "SELECT k.id FROM resource_keys k JOIN resources r ON r.account = k.account AND r.region = k.region AND r.id = k.id WHERE k.account = ? AND k.region = ? AND k.kind = ? AND k.name = ? AND k.value = ? AND r.seq > ? ORDER BY r.seq",
              ).all(account, region, kind, name, values[0], afterSeq) as { id: string }[]
            ).map((r) => r.id)
          : (
              this.#stmt(
                "SELECT DISTINCT k.id, r.seq FROM resource_keys k JOIN resources r ON r.account = k.account AND r.region = k.region AND r.id = k.id WHERE k.account = ? AND k.region = ? AND k.kind = ? AND k.name = ? AND k.value IN (SELECT value FROM json_each(?)) AND r.seq > ? ORDER BY r.seq",
              ).all(account, region, kind, name, JSON.stringify(values), afterSeq) as { id: string }[]
            ).map((r) => r.id),
      countKey: (kind, name) =>
        (
          this.#stmt("SELECT count(*) AS n FROM resource_keys WHERE account = ? AND region = ? AND kind = ? AND name = ?").get(
            account,
            region,
            kind,
            name,
          ) as { n: number }
        ).n,
      getMany: <K extends ResourceKind>(kind: K, ids: readonly string[]) => {
        if (ids.length === 1) {
          const r = this.#stmt("SELECT seq, data FROM resources WHERE account = ? AND region = ? AND id = ? AND kind = ?").get(
            account,
            region,
            ids[0],
            kind,
          ) as Row | undefined;
          return r ? [record(r) as ResourceKinds[K]] : [];
        }
        return (
          this.#stmt(
            // `+kind` and `+seq`: without them SQLite (no statistics) may walk the whole kind's index instead of the ids.
            "SELECT seq, data FROM resources WHERE account = ? AND region = ? AND id IN (SELECT value FROM json_each(?)) AND +kind = ? ORDER BY +seq",
          ).all(account, region, JSON.stringify(ids), kind) as Row[]
        ).map((r) => record(r) as ResourceKinds[K]);
      },
      getAnyMany: (ids) =>
        (
          this.#stmt(
            "SELECT seq, data FROM resources WHERE account = ? AND region = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY +seq",
          ).all(account, region, JSON.stringify(ids)) as Row[]
        ).map((r) => record(r) as AnyRecord),
      kinds: () =>
        (
          this.#stmt("SELECT kind FROM kind_counts WHERE account = ? AND region = ? AND n > 0 ORDER BY kind").all(account, region) as {
            kind: ResourceKind;
          }[]
        ).map((r) => r.kind),
      listIn: <K extends ResourceKind>(kind: K, column: IndexedColumn, values: readonly string[]) =>
        (
          this.#stmt(
            `SELECT seq, data FROM resources WHERE account = ? AND region = ? AND ${COLUMN[column]} IN (SELECT value FROM json_each(?)) AND kind = ? ORDER BY +seq`,
          ).all(account, region, JSON.stringify(values), kind) as Row[]
        ).map((r) => record(r) as ResourceKinds[K]),
      listInPage: <K extends ResourceKind>(kind: K, column: IndexedColumn, values: readonly string[], afterSeq: number, limit: number) => {
        // One value: the index (account, region, column, kind) holds its entries in rowid (= seq) order, so the page is
        // a range of it with no sort. Several values are read together and sorted (rare: a filter naming many subnets).
        const rows = (
          values.length === 1
            ? this.#stmt(
                `SELECT seq, data FROM resources WHERE account = ? AND region = ? AND ${COLUMN[column]} = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?`,
              ).all(account, region, values[0], kind, afterSeq, limit)
            : this.#stmt(
                `SELECT seq, data FROM resources WHERE account = ? AND region = ? AND ${COLUMN[column]} IN (SELECT value FROM json_each(?)) AND kind = ? AND seq > ? ORDER BY seq LIMIT ?`,
              ).all(account, region, JSON.stringify(values), kind, afterSeq, limit)
        ) as (Row & { seq: number })[];
        return rows.map((r) => ({ seq: r.seq, record: record(r) as ResourceKinds[K] }));
      },
      idsIn: (kind, column, values) =>
        (
          this.#stmt(
            `SELECT id FROM resources WHERE account = ? AND region = ? AND ${COLUMN[column]} IN (SELECT value FROM json_each(?)) AND kind = ? ORDER BY +seq`,
          ).all(account, region, JSON.stringify(values), kind) as { id: string }[]
        ).map((r) => r.id),
      countIn: (kind, column, values, limit) =>
        (
          this.#stmt(
            `SELECT count(*) AS n FROM (SELECT 1 FROM resources WHERE account = ? AND region = ? AND ${COLUMN[column]} IN (SELECT value FROM json_each(?)) AND kind = ? LIMIT ?)`,
          ).get(account, region, JSON.stringify(values), kind, limit) as { n: number }
        ).n,
      delete: (id) => {
        this.#version++;
        const gone = this.#stmt("DELETE FROM resources WHERE account = ? AND region = ? AND id = ? RETURNING kind, data").get(
          account,
          region,
          id,
        ) as { kind: string; data: string } | undefined;
        if (!gone) return;
        bumpCount(gone.kind, -1);
        const deleteKey = this.#stmt(
          "DELETE FROM resource_keys WHERE account = ? AND region = ? AND kind = ? AND name = ? AND value = ? AND id = ?",
        );
        for (const [name, value] of secondaryKeys(JSON.parse(gone.data) as AnyRecord))
          deleteKey.run(account, region, gone.kind, name, value, id);
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
