/**
 * CloudWatch Logs, the part flow logs need (issue 5): log groups, log streams, PutLogEvents, GetLogEvents and
 * FilterLogEvents over the JSON 1.1 protocol (binding.ts over protocol/aws-json, model/logs.json). Each (account, region) has its
 * own groups, as in AWS. Before every read, `beforeRead` lets the flow-log recorder deliver the capture windows that
 * have closed on the simulated clock, so `aws logs filter-log-events` shows what AWS would have delivered by now.
 *
 * An operation of the real API that localvpc has not built answers UnsupportedOperation; a name that is not a
 * CloudWatch Logs operation answers UnknownOperationException; a member localvpc does not implement is refused.
 */
import { err } from "../../domain/errors.js";
import { matchesFilterPattern, parseFilterPattern } from "../../domain/logs-filter.js";
import type { ServiceAction, ServiceDefinition } from "../common/pipeline.js";
import { LOGS_BINDING, logsModel, type LogsDecoded } from "./binding.js";
import type { LogEventRow, LogsStore, LogStreamRow } from "../../store/logs-store.js";
import type { Scope } from "../../store/store.js";

export interface LogsServiceOptions {
  readonly logs: LogsStore;
  readonly now: () => Date;
  /** Called before any read of a scope (the flow-log recorder delivers closed windows). */
  readonly beforeRead?: (scope: Scope) => void;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

type Input = Record<string, unknown>;
interface OpContext {
  readonly scope: Scope;
  readonly now: number;
}
interface Operation {
  /** Input members localvpc implements; any other real member is refused. */
  readonly members: readonly string[];
  readonly reads?: boolean;
  run(input: Input, ctx: OpContext): unknown;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

const groupArn = (s: Scope, name: string): string => `arn:aws:logs:${s.region}:${s.account}:log-group:${name}`;

/** CloudWatch Logs' token shape for our keyset cursors: `f/<timestamp>/<seq>` (forward) or `b/…` (backward). */
const cursorToken = (dir: "f" | "b", ts: number, seq: number): string => `${dir}/${ts}/${seq}`;
const parseCursor = (token: string): { dir: "f" | "b"; ts: number; seq: number } => {
  const m = /^([fb])\/(-?\d+)\/(\d+)$/.exec(token);
  if (!m) throw err.logsInvalidNextToken(token);
  return { dir: m[1] as "f" | "b", ts: Number(m[2]), seq: Number(m[3]) };
};
const offsetToken = (n: number): string => Buffer.from(JSON.stringify({ o: n })).toString("base64url");
const parseOffset = (token: string): number => {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through
  }
  throw err.logsInvalidNextToken(token);
};

/** 14 days back and 2 hours ahead: PutLogEvents' accepted timestamp range (model doc of PutLogEvents). */
const TOO_OLD_MS = 14 * 24 * 3600_000;
const TOO_NEW_MS = 2 * 3600_000;

export class LogsService {
  readonly #o: LogsServiceOptions;
  readonly #ops: Readonly<Record<string, Operation>>;

  constructor(o: LogsServiceOptions) {
    this.#o = o;
    this.#ops = this.#operations();
  }

  /** CloudWatch Logs as the shared pipeline sees it (the dispatcher routes `logs` requests to it). */
  get definition(): ServiceDefinition<OpContext, LogsDecoded> {
    const actions = new Map<string, ServiceAction<OpContext> & { readonly reads: boolean }>(
      Object.entries(this.#ops).map(([name, op]) => [
        name,
        { name, mutates: op.reads !== true, reads: op.reads === true, params: op.members, run: (input, ctx) => op.run(input, ctx) },
      ]),
    );
    return {
      name: "logs",
      operations: () => logsModel().operations,
      actions,
      binding: LOGS_BINDING,
      errors: {
        missingOperation: () => err.logsUnknownOperation("(no X-Amz-Target)"),
        unknownOperation: (name) => err.logsUnknownOperation(name),
        notImplemented: (name) => err.logsNotImplemented(name),
        unsupportedMember: (member, op) => err.logsUnsupportedMember(member, op),
        internal: () => err.logsInternal(),
        expiredToken: () => err.logsExpiredToken(),
        unreadableBody: (tooLarge) => err.logsBodyUnreadable(tooLarge),
      },
      now: this.#o.now,
      // Reads first let the flow-log recorder deliver the capture windows closed on the simulated clock.
      prepare: (info, action) => {
        if (actions.get(action.name)?.reads) this.#o.beforeRead?.(info.scope);
      },
      // CloudWatch Logs keeps its own tables (store/logs-store.ts): one transaction for reads and writes alike.
      transaction: (_kind, info, fn) => this.#o.logs.tx(() => fn({ scope: info.scope, now: info.now.getTime() })),
      onInternalError: this.#o.onInternalError,
    };
  }

  /** The group an operation names by `logGroupName` or `logGroupIdentifier` (a name or an ARN); it must exist. */
  #group(input: Input, s: Scope, required = true): string {
    const name = str(input["logGroupName"]);
    const identifier = str(input["logGroupIdentifier"]);
    if (name !== undefined && identifier !== undefined) throw err.logsGroupNameAndIdentifier();
    let group = name;
    if (identifier !== undefined) {
      const m = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:]+)(?::\*)?$/.exec(identifier);
      group = m ? m[1]! : identifier;
    }
    if (group === undefined) {
      if (required) throw err.logsGroupNameRequired();
      return "";
    }
    if (!this.#o.logs.getGroup(s, group)) throw err.logGroupNotFound();
    return group;
  }

  #streamView = (s: Scope, st: LogStreamRow): Record<string, unknown> => ({
    logStreamName: st.name,
    creationTime: st.creationTime,
    firstEventTimestamp: st.firstEvent ?? undefined,
    lastEventTimestamp: st.lastEvent ?? undefined,
    lastIngestionTime: st.lastIngestion ?? undefined,
    arn: `${groupArn(s, st.groupName)}:log-stream:${st.name}`,
    storedBytes: 0, // AWS: "storedBytes … deprecated … returns 0"
  });

  #operations(): Record<string, Operation> {
    const logs = this.#o.logs;
    return {
      CreateLogGroup: {
        members: ["logGroupName", "logGroupClass"],
        run: (input, { scope, now }) => {
          if (!logs.createGroup(scope, str(input["logGroupName"])!, now, str(input["logGroupClass"]) ?? "STANDARD"))
            throw err.logGroupAlreadyExists();
          return {};
        },
      },
      DeleteLogGroup: {
        members: ["logGroupName"],
        run: (input, { scope }) => {
          if (!logs.deleteGroup(scope, str(input["logGroupName"])!)) throw err.logGroupNotFound();
          return {};
        },
      },
      DescribeLogGroups: {
        members: ["logGroupNamePrefix", "logGroupNamePattern", "nextToken", "limit", "logGroupClass"],
        reads: true,
        run: (input, { scope }) => {
          const prefix = str(input["logGroupNamePrefix"]);
          const pattern = str(input["logGroupNamePattern"]);
          if (prefix !== undefined && pattern !== undefined) {
            throw err.logsValidation("logGroupNamePrefix and logGroupNamePattern are mutually exclusive parameters."); // unverified
          }
          const klass = str(input["logGroupClass"]);
          const limit = num(input["limit"]) ?? 50;
          const token = str(input["nextToken"]);
          const matches = (n: string): boolean =>
            (prefix === undefined || n.startsWith(prefix)) && (pattern === undefined || n.toLowerCase().includes(pattern.toLowerCase()));
          const out: Record<string, unknown>[] = [];
          let after = token !== undefined ? Buffer.from(token, "base64url").toString("utf8") : "";
          let more = false;
          for (;;) {
            const batch = logs.listGroups(scope, after, 500);
            for (const g of batch) {
              after = g.name;
              if (!matches(g.name) || (klass !== undefined && g.logGroupClass !== klass)) continue;
              if (out.length === limit) {
                more = true;
                break;
              }
              out.push({
                logGroupName: g.name,
                creationTime: g.creationTime,
                metricFilterCount: 0,
                arn: `${groupArn(scope, g.name)}:*`,
                logGroupArn: groupArn(scope, g.name),
                storedBytes: g.storedBytes,
                logGroupClass: g.logGroupClass,
              });
            }
            if (more || batch.length < 500) break;
          }
          const last = out[out.length - 1]?.["logGroupName"];
          return { logGroups: out, nextToken: more && typeof last === "string" ? Buffer.from(last).toString("base64url") : undefined };
        },
      },
      CreateLogStream: {
        members: ["logGroupName", "logStreamName"],
        run: (input, { scope, now }) => {
          const group = this.#group(input, scope);
          if (!logs.createStream(scope, group, str(input["logStreamName"])!, now)) throw err.logStreamAlreadyExists();
          return {};
        },
      },
      DeleteLogStream: {
        members: ["logGroupName", "logStreamName"],
        run: (input, { scope }) => {
          const group = this.#group(input, scope);
          if (!logs.deleteStream(scope, group, str(input["logStreamName"])!)) throw err.logStreamNotFound();
          return {};
        },
      },
      DescribeLogStreams: {
        members: ["logGroupName", "logGroupIdentifier", "logStreamNamePrefix", "orderBy", "descending", "nextToken", "limit"],
        reads: true,
        run: (input, { scope }) => {
          const group = this.#group(input, scope);
          const prefix = str(input["logStreamNamePrefix"]);
          const orderBy = str(input["orderBy"]) ?? "LogStreamName";
          if (prefix !== undefined && orderBy === "LastEventTime") throw err.logsStreamPrefixWithOrderBy();
          let streams = logs.listStreams(scope, group).filter((st) => prefix === undefined || st.name.startsWith(prefix));
          if (orderBy === "LastEventTime") streams = [...streams].sort((a, b) => (a.lastEvent ?? 0) - (b.lastEvent ?? 0));
          if (input["descending"] === true) streams = [...streams].reverse();
          const start = str(input["nextToken"]) !== undefined ? parseOffset(str(input["nextToken"])!) : 0;
          const limit = num(input["limit"]) ?? 50;
          const page = streams.slice(start, start + limit);
          return {
            logStreams: page.map((st) => this.#streamView(scope, st)),
            nextToken: start + limit < streams.length ? offsetToken(start + limit) : undefined,
          };
        },
      },
      PutLogEvents: {
        members: ["logGroupName", "logStreamName", "logEvents", "sequenceToken"],
        run: (input, { scope, now }) => {
          const group = this.#group(input, scope);
          const stream = str(input["logStreamName"])!;
          if (!logs.getStream(scope, group, stream)) throw err.logStreamNotFound();
          const events = input["logEvents"] as { timestamp: number; message: string }[];
          for (let i = 1; i < events.length; i++)
            if (events[i]!.timestamp < events[i - 1]!.timestamp) throw err.logsEventsNotChronological();
          // Events older than 14 days or more than 2 hours ahead are rejected (reported, not an error).
          const tooOldEnd = events.findIndex((e) => e.timestamp >= now - TOO_OLD_MS);
          const tooNewStart = events.findIndex((e) => e.timestamp > now + TOO_NEW_MS);
          const from = tooOldEnd < 0 ? events.length : tooOldEnd;
          const to = tooNewStart < 0 ? events.length : tooNewStart;
          logs.putEvents(scope, group, stream, events.slice(from, Math.max(from, to)), now);
          const rejected: Record<string, number> = {};
          if (from > 0) rejected["tooOldLogEventEndIndex"] = from;
          if (tooNewStart >= 0) rejected["tooNewLogEventStartIndex"] = tooNewStart;
          return { rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined };
        },
      },
      GetLogEvents: {
        members: ["logGroupName", "logGroupIdentifier", "logStreamName", "startTime", "endTime", "nextToken", "limit", "startFromHead"],
        reads: true,
        run: (input, { scope }) => {
          const group = this.#group(input, scope);
          const stream = str(input["logStreamName"])!;
          if (!logs.getStream(scope, group, stream)) throw err.logStreamNotFound();
          const limit = num(input["limit"]) ?? 10_000;
          const token = str(input["nextToken"]);
          const cursor = token !== undefined ? parseCursor(token) : undefined;
          const forward = cursor ? cursor.dir === "f" : input["startFromHead"] === true;
          const base = { groupName: group, streams: [stream], startTime: num(input["startTime"]), endTime: num(input["endTime"]), limit };
          let rows: LogEventRow[];
          if (forward) rows = logs.events(scope, { ...base, after: cursor ? { timestamp: cursor.ts, seq: cursor.seq } : undefined });
          else
            rows = logs
              .events(scope, { ...base, after: cursor ? { timestamp: cursor.ts, seq: cursor.seq } : undefined, descending: true })
              .reverse();
          const first = rows[0];
          const last = rows[rows.length - 1];
          // With nothing new, the same token comes back (the AWS CLI stops paginating on an unchanged token).
          const fwd = last ? cursorToken("f", last.timestamp, last.seq) : cursor?.dir === "f" ? token! : cursorToken("f", -1, 0);
          const bwd = first ? cursorToken("b", first.timestamp, first.seq) : cursor?.dir === "b" ? token! : cursorToken("b", -1, 0);
          return {
            events: rows.map((r) => ({ timestamp: r.timestamp, message: r.message, ingestionTime: r.ingestionTime })),
            nextForwardToken: fwd,
            nextBackwardToken: bwd,
          };
        },
      },
      FilterLogEvents: {
        members: [
          "logGroupName",
          "logGroupIdentifier",
          "logStreamNames",
          "logStreamNamePrefix",
          "startTime",
          "endTime",
          "filterPattern",
          "nextToken",
          "limit",
          "interleaved",
        ],
        reads: true,
        run: (input, { scope }) => {
          const group = this.#group(input, scope);
          const names = input["logStreamNames"] as string[] | undefined;
          const prefix = str(input["logStreamNamePrefix"]);
          if (names !== undefined && prefix !== undefined) throw err.logsStreamNamesAndPrefix();
          if (names !== undefined) for (const n of names) if (!logs.getStream(scope, group, n)) throw err.logStreamNotFound();
          const pattern = parseFilterPattern(str(input["filterPattern"]) ?? "");
          const limit = num(input["limit"]) ?? 10_000;
          const token = str(input["nextToken"]);
          let after = token !== undefined ? parseCursor(token) : undefined;
          const out: LogEventRow[] = [];
          let more = false;
          const BATCH = 1000;
          for (;;) {
            const rows = logs.events(scope, {
              groupName: group,
              streams: names,
              streamPrefix: prefix,
              startTime: num(input["startTime"]),
              endTime: num(input["endTime"]),
              after: after ? { timestamp: after.ts, seq: after.seq } : undefined,
              limit: BATCH,
            });
            for (const r of rows) {
              if (out.length === limit) {
                more = true;
                break;
              }
              after = { dir: "f", ts: r.timestamp, seq: r.seq };
              if (matchesFilterPattern(pattern, r.message)) out.push(r);
            }
            if (more || rows.length < BATCH) break;
          }
          const searched = (names ?? logs.listStreams(scope, group).map((s) => s.name)).filter(
            (n) => prefix === undefined || n.startsWith(prefix),
          );
          return {
            events: out.map((r) => ({
              logStreamName: r.streamName,
              timestamp: r.timestamp,
              message: r.message,
              ingestionTime: r.ingestionTime,
              eventId: String(r.seq).padStart(20, "0"),
            })),
            searchedLogStreams: searched.map((n) => ({ logStreamName: n, searchedCompletely: !more })),
            nextToken: more && after ? cursorToken("f", after.ts, after.seq) : undefined,
          };
        },
      },
    };
  }
}
