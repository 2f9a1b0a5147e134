/**
 * CloudWatch Logs storage (log groups, streams, events) in the same SQLite database as the EC2 state, so that
 * flow-log records survive a restart with `--data FILE` and an admin reset forgets them too. CRUD and indexed reads
 * only; the rules are in services/logs/service.ts.
 */
import type Database from "better-sqlite3";

/** An (account, region); the same shape as store.ts's Scope (not imported: store.ts imports this file). */
export interface Scope {
  readonly account: string;
  readonly region: string;
}

export interface LogGroupRow {
  readonly name: string;
  readonly creationTime: number;
  readonly logGroupClass: string;
  readonly storedBytes: number;
}
export interface LogStreamRow {
  readonly groupName: string;
  readonly name: string;
  readonly creationTime: number;
  readonly firstEvent: number | null;
  readonly lastEvent: number | null;
  readonly lastIngestion: number | null;
  readonly storedBytes: number;
}
export interface LogEventRow {
  readonly seq: number;
  readonly streamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}
export interface NewLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Which events to read: a time range (ms, end exclusive), after/before a sequence number, in which order. */
export interface EventQuery {
  readonly groupName: string;
  /** One stream, several, or (undefined) every stream of the group. */
  readonly streams?: readonly string[] | undefined;
  readonly streamPrefix?: string | undefined;
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
  /** Keyset pagination: events strictly after (ascending) or before (descending) this (timestamp, seq). */
  readonly after?: { readonly timestamp: number; readonly seq: number } | undefined;
  readonly descending?: boolean;
  readonly limit: number;
}

const STREAM_COLUMNS =
  "group_name AS groupName, name, creation_time AS creationTime, first_event AS firstEvent, last_event AS lastEvent, last_ingestion AS lastIngestion, stored_bytes AS storedBytes";

export class LogsStore {
  readonly #db: Database.Database;
  readonly #stmts = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  /** Runs `fn` in one write transaction. */
  tx<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  getGroup(s: Scope, name: string): LogGroupRow | undefined {
    return this.#stmt(
      `SELECT name, creation_time AS creationTime, log_group_class AS logGroupClass,
        (SELECT coalesce(sum(stored_bytes), 0) FROM log_streams st WHERE st.account = g.account AND st.region = g.region AND st.group_name = g.name) AS storedBytes
       FROM log_groups g WHERE account = ? AND region = ? AND name = ?`,
    ).get(s.account, s.region, name) as LogGroupRow | undefined;
  }

  /** Groups in name order, from `after` (exclusive), at most `limit`. */
  listGroups(s: Scope, after: string, limit: number): LogGroupRow[] {
    return this.#stmt(
      `SELECT name, creation_time AS creationTime, log_group_class AS logGroupClass,
        (SELECT coalesce(sum(stored_bytes), 0) FROM log_streams st WHERE st.account = g.account AND st.region = g.region AND st.group_name = g.name) AS storedBytes
       FROM log_groups g WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?`,
    ).all(s.account, s.region, after, limit) as LogGroupRow[];
  }

  /** Inserts a group; false when it already exists. */
  createGroup(s: Scope, name: string, now: number, logGroupClass: string): boolean {
    return (
      this.#stmt("INSERT OR IGNORE INTO log_groups (account, region, name, creation_time, log_group_class) VALUES (?, ?, ?, ?, ?)").run(
        s.account,
        s.region,
        name,
        now,
        logGroupClass,
      ).changes > 0
    );
  }

  /** Deletes a group with its streams and events; false when there was none. */
  deleteGroup(s: Scope, name: string): boolean {
    const a = [s.account, s.region, name];
    this.#stmt("DELETE FROM log_events WHERE account = ? AND region = ? AND group_name = ?").run(...a);
    this.#stmt("DELETE FROM log_streams WHERE account = ? AND region = ? AND group_name = ?").run(...a);
    return this.#stmt("DELETE FROM log_groups WHERE account = ? AND region = ? AND name = ?").run(...a).changes > 0;
  }

  getStream(s: Scope, groupName: string, name: string): LogStreamRow | undefined {
    return this.#stmt(`SELECT ${STREAM_COLUMNS} FROM log_streams WHERE account = ? AND region = ? AND group_name = ? AND name = ?`).get(
      s.account,
      s.region,
      groupName,
      name,
    ) as LogStreamRow | undefined;
  }

  /** Every stream of a group (streams per group are few: one per ENI for flow logs). */
  listStreams(s: Scope, groupName: string): LogStreamRow[] {
    return this.#stmt(`SELECT ${STREAM_COLUMNS} FROM log_streams WHERE account = ? AND region = ? AND group_name = ? ORDER BY name`).all(
      s.account,
      s.region,
      groupName,
    ) as LogStreamRow[];
  }

  createStream(s: Scope, groupName: string, name: string, now: number): boolean {
    return (
      this.#stmt("INSERT OR IGNORE INTO log_streams (account, region, group_name, name, creation_time) VALUES (?, ?, ?, ?, ?)").run(
        s.account,
        s.region,
        groupName,
        name,
        now,
      ).changes > 0
    );
  }

  deleteStream(s: Scope, groupName: string, name: string): boolean {
    const a = [s.account, s.region, groupName, name];
    this.#stmt("DELETE FROM log_events WHERE account = ? AND region = ? AND group_name = ? AND stream_name = ?").run(...a);
    return this.#stmt("DELETE FROM log_streams WHERE account = ? AND region = ? AND group_name = ? AND name = ?").run(...a).changes > 0;
  }

  /** Appends events to an existing stream and updates its first/last event times and stored bytes. */
  putEvents(s: Scope, groupName: string, streamName: string, events: readonly NewLogEvent[], ingestionTime: number): void {
    if (events.length === 0) return;
    const insert = this.#stmt(
      "INSERT INTO log_events (account, region, group_name, stream_name, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    let first = Infinity;
    let last = -Infinity;
    let bytes = 0;
    for (const e of events) {
      insert.run(s.account, s.region, groupName, streamName, e.timestamp, ingestionTime, e.message);
      first = Math.min(first, e.timestamp);
      last = Math.max(last, e.timestamp);
      bytes += Buffer.byteLength(e.message) + 26;
    }
    this.#stmt(
      `UPDATE log_streams SET first_event = min(coalesce(first_event, ?), ?), last_event = max(coalesce(last_event, ?), ?),
        last_ingestion = ?, stored_bytes = stored_bytes + ?
       WHERE account = ? AND region = ? AND group_name = ? AND name = ?`,
    ).run(first, first, last, last, ingestionTime, bytes, s.account, s.region, groupName, streamName);
  }

  /** Events of a group (or some of its streams) in (timestamp, seq) order, keyset-paginated. */
  events(s: Scope, q: EventQuery): LogEventRow[] {
    const where = ["account = ?", "region = ?", "group_name = ?"];
    const args: (string | number)[] = [s.account, s.region, q.groupName];
    if (q.streams) {
      if (q.streams.length === 0) return [];
      where.push(`stream_name IN (${q.streams.map(() => "?").join(", ")})`);
      args.push(...q.streams);
    }
    if (q.streamPrefix !== undefined) {
      where.push("substr(stream_name, 1, ?) = ?");
      args.push(q.streamPrefix.length, q.streamPrefix);
    }
    if (q.startTime !== undefined) {
      where.push("timestamp >= ?");
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push("timestamp < ?");
      args.push(q.endTime);
    }
    if (q.after) {
      where.push(q.descending ? "(timestamp < ? OR (timestamp = ? AND seq < ?))" : "(timestamp > ? OR (timestamp = ? AND seq > ?))");
      args.push(q.after.timestamp, q.after.timestamp, q.after.seq);
    }
    const order = q.descending ? "DESC" : "ASC";
    // Not cached: the statement's shape depends on the query (number of streams).
    return this.#db
      .prepare(
        `SELECT seq, stream_name AS streamName, timestamp, ingestion_time AS ingestionTime, message FROM log_events
         WHERE ${where.join(" AND ")} ORDER BY timestamp ${order}, seq ${order} LIMIT ?`,
      )
      .all(...args, q.limit) as LogEventRow[];
  }

  /** Forgets every group, stream and event (admin reset). */
  reset(): void {
    for (const t of ["log_events", "log_streams", "log_groups"]) this.#db.exec(`DELETE FROM ${t}`);
  }
}
