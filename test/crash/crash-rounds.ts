/**
 * Crash rounds (issue 14, "nothing lost on restart"): `localvpc serve --data FILE` as a child process, a write load
 * from several concurrent @aws-sdk/client-ec2 clients, `kill -9` at a random moment under that load, a restart on
 * the same file, and a check that every write that was answered ("acknowledged") is there.
 *
 * Each round uses its own account (a 12-digit access key id) in four regions, so its first calls bootstrap the
 * default VPCs under load. The writes: CreateSecurityGroup (a unique name in the default VPC) and CreateTags (a unique
 * key on the default VPC). After the restart, for every scope of the round:
 * - exactly one default VPC, the one DescribeVpcs named before the kill (a bootstrap is neither lost nor redone);
 * - every acknowledged tag is on it with its value, every acknowledged group is there with its name;
 * - every group the load created has its default egress rule (a group is never half written);
 * - anything else the load wrote was sent before the kill (a write in flight may or may not have landed).
 * Round r+1's server is round r's restart; after the last round one more restart checks every round again and
 * stops the server with SIGTERM. Shared by test/e2e/crash.test.ts and `npm run crash`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeSecurityGroups,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { spawnServe, type Exit, type ServeProcess } from "../cli/serve-process.js";

export interface CrashRoundsOptions {
  /** Rounds of load + kill -9 + restart (default 3). */
  readonly rounds?: number;
  /** Concurrent clients, each with its own connection (default 8). */
  readonly workers?: number;
  /** The kill comes at a random moment this many ms after the first acknowledged write (default [150, 900]). */
  readonly killWindowMs?: readonly [number, number];
  /** PRNG seed for the kill moments and tag values (default: time-based); the result says which was used. */
  readonly seed?: number;
  /** Progress lines (one per round). */
  readonly log?: (line: string) => void;
}

export interface RoundFigures {
  readonly round: number;
  readonly account: string;
  /** ms from the first acknowledged write to the SIGKILL. */
  readonly killAfterMs: number;
  /** Writes answered before the kill (default-VPC bootstraps included). */
  readonly acknowledged: number;
  /** Writes sent but not answered (in flight at the kill). */
  readonly inFlight: number;
  /** Of those, the ones the restart shows were committed (allowed). */
  readonly inFlightCommitted: number;
  readonly lost: number;
}

export interface CrashRoundsResult {
  readonly rounds: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly ms: number;
  readonly seed: number;
  readonly perRound: readonly RoundFigures[];
  /** The first lost writes, described. */
  readonly lostWrites: readonly string[];
  /** Anything else wrong: an error answer or a dropped connection before the kill, a phantom or half-written record, … */
  readonly problems: readonly string[];
  /** How the last restart exited on SIGTERM. */
  readonly finalExit: Exit;
}

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"] as const;
const SG_PREFIX = "crash-";
const TAG_PREFIX = "crash-";
const MAX_LISTED = 20;

/** mulberry32: a small seeded PRNG, so that a failing run can be repeated with its seed. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** What one scope (account, region) of a round wrote. */
interface ScopeWrites {
  readonly region: string;
  /** The default VPC DescribeVpcs answered (the bootstrap, acknowledged), if it answered before the kill. */
  defaultVpcId?: string;
  readonly ackedTags: Map<string, string>;
  readonly sentTags: Map<string, string>;
  /** GroupId → GroupName. */
  readonly ackedGroups: Map<string, string>;
  readonly sentGroupNames: Set<string>;
}

interface RoundWrites {
  readonly round: number;
  readonly account: string;
  readonly scopes: ScopeWrites[];
  killAfterMs: number;
  inFlight: number;
}

const client = (url: string, account: string, region: string): EC2Client =>
  new EC2Client({ endpoint: url, region, credentials: { accessKeyId: account, secretAccessKey: "test" }, maxAttempts: 1 });

const describeError = (e: unknown): string =>
  e instanceof EC2ServiceException ? `${e.name}: ${e.message}` : e instanceof Error ? `${e.name}: ${e.message}` : String(e);

const serve = (dbPath: string): Promise<ServeProcess> =>
  spawnServe([
    "--port",
    "0",
    "--data",
    dbPath,
    "--log-level",
    "silent",
    // The load writes thousands of groups and tags into one default VPC.
    "--quota",
    "security-groups-per-vpc=10000000",
    "--quota",
    "tags-per-resource=10000000",
  ]);

/** One round's load: workers write until the SIGKILL; resolves once the process is gone and every call settled. */
const runLoad = async (
  server: ServeProcess,
  round: number,
  workers: number,
  killWindowMs: readonly [number, number],
  random: () => number,
  problems: string[],
): Promise<RoundWrites> => {
  const account = String(100_000_000_000 + round);
  const scopes: ScopeWrites[] = REGIONS.map((region) => ({
    region,
    ackedTags: new Map(),
    sentTags: new Map(),
    ackedGroups: new Map(),
    sentGroupNames: new Set(),
  }));
  const writes: RoundWrites = { round, account, scopes, killAfterMs: 0, inFlight: 0 };
  let killed = false;
  let firstAck: () => void = () => undefined;
  const firstAcked = new Promise<void>((resolve) => (firstAck = resolve));
  const acked = (): void => firstAck();
  /** An error before the kill is a finding; after it, the expected end of the load. */
  const failed = (what: string, e: unknown): void => {
    if (!killed) problems.push(`round ${round}: ${what} failed before the kill: ${describeError(e)}`);
    else writes.inFlight++;
  };

  const worker = async (w: number): Promise<void> => {
    const scope = scopes[w % scopes.length]!;
    const ec2 = client(server.url, account, scope.region);
    try {
      try {
        const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
        const id = Vpcs[0]?.VpcId;
        if (id === undefined || Vpcs.length !== 1) {
          problems.push(`round ${round} ${scope.region}: DescribeVpcs answered ${Vpcs.length} default VPCs`);
          return;
        }
        if (scope.defaultVpcId !== undefined && scope.defaultVpcId !== id) {
          problems.push(`round ${round} ${scope.region}: two default VPCs answered, ${scope.defaultVpcId} and ${id}`);
        }
        scope.defaultVpcId = id;
        acked();
      } catch (e) {
        failed(`DescribeVpcs (${scope.region})`, e);
        return;
      }
      for (let n = 0; !killed; n++) {
        if (n % 2 === 0) {
          const name = `${SG_PREFIX}w${w}-${n}`;
          scope.sentGroupNames.add(name);
          try {
            const { GroupId } = await ec2.send(
              new CreateSecurityGroupCommand({ GroupName: name, Description: `crash round ${round}`, VpcId: scope.defaultVpcId }),
            );
            if (GroupId === undefined) problems.push(`round ${round}: CreateSecurityGroup ${name} answered no GroupId`);
            else scope.ackedGroups.set(GroupId, name);
            acked();
          } catch (e) {
            failed(`CreateSecurityGroup ${name}`, e);
            return;
          }
        } else {
          const key = `${TAG_PREFIX}w${w}-${n}`;
          const value = random().toString(36).slice(2, 10);
          scope.sentTags.set(key, value);
          try {
            await ec2.send(new CreateTagsCommand({ Resources: [scope.defaultVpcId], Tags: [{ Key: key, Value: value }] }));
            scope.ackedTags.set(key, value);
            acked();
          } catch (e) {
            failed(`CreateTags ${key}`, e);
            return;
          }
        }
      }
    } finally {
      ec2.destroy();
    }
  };

  const load = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  // The kill: a random moment after the first answer, while every worker has a call in flight.
  const killer = async (): Promise<boolean> => {
    const underLoad = await Promise.race([firstAcked.then(() => true), load.then(() => false)]);
    if (!underLoad) return false;
    const [lo, hi] = killWindowMs;
    writes.killAfterMs = Math.round(lo + random() * (hi - lo));
    await new Promise((resolve) => setTimeout(resolve, writes.killAfterMs));
    killed = true;
    server.child.kill("SIGKILL");
    return true;
  };
  if (!(await killer())) {
    killed = true;
    problems.push(`round ${round}: no write was acknowledged, the load ended before the kill`);
    server.child.kill("SIGKILL");
  }
  const exit = await server.exited;
  await load;
  if (exit.signal !== "SIGKILL") problems.push(`round ${round}: the server exited with ${exit.code ?? "?"} before the SIGKILL`);
  return writes;
};

/** Checks a round's writes against a restarted server; returns the lost writes (described) and the in-flight ones that landed. */
const verifyRound = async (
  url: string,
  writes: RoundWrites,
  problems: string[],
): Promise<{ lost: string[]; inFlightCommitted: number; acknowledged: number }> => {
  const lost: string[] = [];
  let inFlightCommitted = 0;
  let acknowledged = 0;
  for (const scope of writes.scopes) {
    const where = `round ${writes.round} ${writes.account}/${scope.region}`;
    acknowledged += (scope.defaultVpcId === undefined ? 0 : 1) + scope.ackedTags.size + scope.ackedGroups.size;
    const ec2 = client(url, writes.account, scope.region);
    try {
      const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
      const defaults = Vpcs.filter((v) => v.IsDefault === true);
      if (defaults.length !== 1) problems.push(`${where}: ${defaults.length} default VPCs after the restart`);
      if (Vpcs.length !== defaults.length) problems.push(`${where}: ${Vpcs.length - defaults.length} VPCs nobody created`);
      const vpc = defaults[0];
      if (scope.defaultVpcId !== undefined && vpc?.VpcId !== scope.defaultVpcId) {
        lost.push(`${where}: default VPC ${scope.defaultVpcId} (found ${vpc?.VpcId ?? "none"})`);
      }
      const tags = new Map((vpc?.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
      for (const [key, value] of scope.ackedTags) {
        if (tags.get(key) !== value)
          lost.push(`${where}: tag ${key}=${value} on ${scope.defaultVpcId ?? "?"} (found ${tags.get(key) ?? "none"})`);
      }
      for (const [key, value] of tags) {
        if (!key.startsWith(TAG_PREFIX) || scope.ackedTags.has(key)) continue;
        if (scope.sentTags.get(key) === value) inFlightCommitted++;
        else problems.push(`${where}: tag ${key}=${value} was never sent`);
      }
      const groups: SecurityGroup[] = [];
      for await (const page of paginateDescribeSecurityGroups({ client: ec2, pageSize: 1000 }, {})) {
        groups.push(...(page.SecurityGroups ?? []));
      }
      const byId = new Map(groups.map((g) => [g.GroupId ?? "", g]));
      for (const [id, name] of scope.ackedGroups) {
        const g = byId.get(id);
        if (g?.GroupName !== name) lost.push(`${where}: security group ${id} (${name})${g ? `, found named ${g.GroupName ?? "?"}` : ""}`);
      }
      for (const g of groups) {
        if (!g.GroupName?.startsWith(SG_PREFIX)) continue;
        const egress = g.IpPermissionsEgress ?? [];
        const hasDefaultEgress = egress.some((p) => p.IpProtocol === "-1" && (p.IpRanges ?? []).some((r) => r.CidrIp === "0.0.0.0/0"));
        if (!hasDefaultEgress) problems.push(`${where}: security group ${g.GroupId ?? "?"} has no default egress rule (half written)`);
        if (g.VpcId !== scope.defaultVpcId) problems.push(`${where}: security group ${g.GroupId ?? "?"} is in ${g.VpcId ?? "?"}`);
        if (scope.ackedGroups.has(g.GroupId ?? "")) continue;
        if (scope.sentGroupNames.has(g.GroupName)) inFlightCommitted++;
        else problems.push(`${where}: security group ${g.GroupName} was never sent`);
      }
      const names = groups.map((g) => g.GroupName);
      if (new Set(names).size !== names.length) problems.push(`${where}: duplicate security group names`);
    } finally {
      ec2.destroy();
    }
  }
  return { lost, inFlightCommitted, acknowledged };
};

/** Runs the rounds on a fresh data file (in a temporary directory, removed afterwards). */
export const runCrashRounds = async (options: CrashRoundsOptions = {}): Promise<CrashRoundsResult> => {
  const rounds = options.rounds ?? 3;
  const workers = options.workers ?? 8;
  const killWindowMs = options.killWindowMs ?? [150, 900];
  const seed = options.seed ?? Date.now() % 1_000_000;
  const random = prng(seed);
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "localvpc-crash-"));
  const dbPath = join(dir, "state.db");
  const problems: string[] = [];
  const lostWrites: string[] = [];
  const perRound: RoundFigures[] = [];
  const history: RoundWrites[] = [];
  let server: ServeProcess | undefined;
  let finalExit: Exit;
  let acknowledged = 0;
  let lost = 0;
  try {
    server = await serve(dbPath);
    for (let round = 1; round <= rounds; round++) {
      const writes = await runLoad(server, round, workers, killWindowMs, random, problems);
      history.push(writes);
      server = await serve(dbPath);
      const v = await verifyRound(server.url, writes, problems);
      acknowledged += v.acknowledged;
      lost += v.lost.length;
      lostWrites.push(...v.lost.slice(0, MAX_LISTED - lostWrites.length));
      const figures: RoundFigures = {
        round,
        account: writes.account,
        killAfterMs: writes.killAfterMs,
        acknowledged: v.acknowledged,
        inFlight: writes.inFlight,
        inFlightCommitted: v.inFlightCommitted,
        lost: v.lost.length,
      };
      perRound.push(figures);
      log(
        `round ${round}/${rounds}: kill -9 after ${figures.killAfterMs} ms, ${figures.acknowledged} acknowledged, ` +
          `${figures.inFlight} in flight (${figures.inFlightCommitted} committed), ${figures.lost} lost`,
      );
    }
    // The last restart holds every round: check them all again, then a clean stop.
    for (const writes of history) {
      const again = await verifyRound(server.url, writes, problems);
      if (again.lost.length > 0) {
        problems.push(`round ${writes.round}: ${again.lost.length} writes gone by the end (${again.lost.slice(0, 3).join("; ")})`);
      }
    }
    finalExit = await server.stop("SIGTERM");
    if (finalExit.code !== 0) problems.push(`the last restart exited with ${finalExit.code ?? finalExit.signal ?? "?"} on SIGTERM`);
  } finally {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    rounds,
    acknowledged,
    lost,
    ms: Math.round(performance.now() - started),
    seed,
    perRound,
    lostWrites,
    problems: problems.slice(0, 50),
    finalExit,
  };
};
