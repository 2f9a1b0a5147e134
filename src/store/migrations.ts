/**
 * Numbered schema migrations. `PRAGMA user_version` records how many have run; a migration is never edited once
 * it has shipped: add a new one instead.
 *
 * Resources are stored as JSON records (domain/types.ts) with the columns the rules query by pulled out and
 * indexed: kind, vpc_id, subnet_id, instance_id. Address usage per subnet has its own table so that "is this IP
 * free" and "how many are used" are index lookups, never scans.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the foundation
  `
  CREATE TABLE scopes (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account, region)
  ) WITHOUT ROWID;

  CREATE TABLE resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    vpc_id TEXT,
    subnet_id TEXT,
    instance_id TEXT,
    data TEXT NOT NULL
  );
  CREATE UNIQUE INDEX resources_id ON resources (account, region, id);
  CREATE INDEX resources_kind ON resources (account, region, kind, seq);
  CREATE INDEX resources_vpc ON resources (account, region, vpc_id, kind) WHERE vpc_id IS NOT NULL;
  CREATE INDEX resources_subnet ON resources (account, region, subnet_id, kind) WHERE subnet_id IS NOT NULL;
  CREATE INDEX resources_instance ON resources (account, region, instance_id, kind) WHERE instance_id IS NOT NULL;

  -- One row per private IPv4/IPv6 address or prefix in use in a subnet. weight = addresses it takes from the
  -- subnet's availableIpAddressCount (1 for an address, 16 for an IPv4 /28 prefix).
  CREATE TABLE ip_usage (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    subnet_id TEXT NOT NULL,
    address TEXT NOT NULL,
    family INTEGER NOT NULL,
    owner_id TEXT NOT NULL,
    weight INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (account, region, subnet_id, address)
  ) WITHOUT ROWID;
  CREATE INDEX ip_usage_owner ON ip_usage (account, region, owner_id);

  CREATE TABLE idempotency (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    action TEXT NOT NULL,
    token TEXT NOT NULL,
    params_hash TEXT NOT NULL,
    output TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account, region, action, token)
  ) WITHOUT ROWID;

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 2: secondary keys — exact-match lookups a Describe filter needs at 100k records (private IP, MAC, public IP,
  // tag:K=V …), maintained by the store on every put from store/secondary-keys.ts.
  `
  CREATE TABLE resource_keys (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (account, region, kind, name, value, id)
  ) WITHOUT ROWID;
  CREATE INDEX resource_keys_id ON resource_keys (account, region, id);
  `,
  // 3: allocation hints — per subnet and family, an address below which every address is in use, so that picking
  // the lowest free address probes upward from it instead of reading the whole subnet (100k ENIs per region).
  // Kept in SQLite so that a rolled-back call rolls its hint back too.
  `
  CREATE TABLE ip_hints (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    subnet_id TEXT NOT NULL,
    family INTEGER NOT NULL,
    next TEXT NOT NULL,
    PRIMARY KEY (account, region, subnet_id, family)
  ) WITHOUT ROWID;

  -- Records per kind, kept by the store on put/delete: quota checks (5000 ENIs per region…) read one row instead of
  -- counting an index range that grows with the account.
  CREATE TABLE kind_counts (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (account, region, kind)
  ) WITHOUT ROWID;
  INSERT INTO kind_counts (account, region, kind, n) SELECT account, region, kind, count(*) FROM resources GROUP BY account, region, kind;
  `,
  // 4: cross-scope lookups — which (account, region) holds an id (cross-account ENI attach with a permission), and
  // every record of a kind in every scope (BYOIP ranges may not overlap any range brought to any account or region).
  `
  CREATE INDEX resources_by_id ON resources (id);
  CREATE INDEX resources_by_kind ON resources (kind, seq);
  `,
  // --- flow logs (issue 5): CloudWatch Logs, for flow logs delivered to cloud-watch-logs (store/logs-store.ts) ---
  // 5: log groups, log streams and log events per (account, region). Events are read per stream or per group in
  // timestamp order, so both orders are indexes.
  `
  CREATE TABLE log_groups (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    creation_time INTEGER NOT NULL,
    log_group_class TEXT NOT NULL,
    PRIMARY KEY (account, region, name)
  ) WITHOUT ROWID;
  CREATE TABLE log_streams (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    group_name TEXT NOT NULL,
    name TEXT NOT NULL,
    creation_time INTEGER NOT NULL,
    first_event INTEGER,
    last_event INTEGER,
    last_ingestion INTEGER,
    stored_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, region, group_name, name)
  ) WITHOUT ROWID;
  CREATE TABLE log_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    group_name TEXT NOT NULL,
    stream_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    ingestion_time INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX log_events_by_stream ON log_events (account, region, group_name, stream_name, timestamp, seq);
  CREATE INDEX log_events_by_group ON log_events (account, region, group_name, timestamp, seq);
  `,
  // 6: STS (services-layout issue): temporary credentials AssumeRole issued, so later calls signed with them act as
  // the role's account. Global, as STS credentials are (any region). Looked up by access key id.
  `
  CREATE TABLE sts_credentials (
    access_key_id TEXT PRIMARY KEY,
    secret_access_key TEXT NOT NULL,
    session_token TEXT NOT NULL,
    account TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    role_id TEXT NOT NULL,
    session_name TEXT NOT NULL,
    expiration INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 7: fewer B-trees per write (issue 19: a record's insert dirtied ~16 pages, each written to the WAL at commit).
  // The per-scope id and kind indexes and the cross-scope ones of migration 4 become one each, led by the id (or kind)
  // and then the scope, which answers both the per-scope and the cross-scope lookups. A record's own keys are found
  // from its stored JSON when it is updated or deleted (store.ts), so resource_keys needs no index by id.
  `
  DROP INDEX resources_by_id;
  DROP INDEX resources_by_kind;
  DROP INDEX resources_id;
  DROP INDEX resources_kind;
  CREATE UNIQUE INDEX resources_id_scope ON resources (id, account, region);
  CREATE INDEX resources_kind_scope ON resources (kind, account, region, seq);
  DROP INDEX resource_keys_id;
  `,
];
