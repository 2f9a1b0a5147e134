/**
 * The seed's failover story, seen by a flow log (issue 5, "what it must show"): with the AWS CLI, a web ENI with an
 * Elastic IP on instance A and an ENI flow log to CloudWatch Logs; requests from the internet (`localvpc traffic
 * run`) reach A; A fails (`localvpc chaos fail-instance`); the ENI moves to B; requests reach B. Then `aws logs
 * filter-log-events --log-group-name G` returns version-2 records showing the accepted flows before and after the
 * move, in the ENI's one stream, and the gap between them.
 *
 * What AWS semantics imply for the gap: flow logs capture what reaches the ENI, and a failed instance (a lost host:
 * localvpc's `chaos fail-instance` drops traffic before the interface sees it, as for a stopped instance) sees
 * nothing, so there is no record at all — not REJECT, which means a security group or network ACL refused the
 * traffic — and the capture window of the outage has no flow record. What it has instead is a NODATA record (issue
 * 21: "no network traffic to or from the network interface during the aggregation interval"), never overlapping a
 * minute with traffic.
 * The ENI keeps its `interface-id` across the move; only `instance-id` (a v3 field, in a second, custom-format flow
 * log) changes from A to B.
 *
 * Each phase starts just after a minute boundary of the simulated clock (`POST /_localvpc/clock/advance`), so the
 * phases fall in distinct 1-minute capture windows.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { buildFailoverStory, localvpcCli, moveToStandby } from "./failover-story.js";

const run = promisify(execFile);
const ACCOUNT = "123456789012";
const INTERNET_HOST = "198.51.100.7";
const MINUTE = 60_000;

interface RunSummary {
  requests: number;
  delivered: number;
  dropped: number;
  receivers: Record<string, number>;
  dropReasons: Record<string, number>;
}

describe("failover seen by an ENI flow log: AWS CLI, localvpc traffic and aws logs filter-log-events", () => {
  let cli: AwsCli;
  before(async () => {
    cli = await startAwsCli(ACCOUNT);
  });
  after(async () => cli.close());

  const localvpc = localvpcCli(() => cli, ACCOUNT);
  const awsLogs = async <T>(...args: string[]): Promise<T> => {
    const { stdout } = await run("aws", ["--endpoint-url", cli.server.url, "--region", "us-east-1", "--output", "json", "logs", ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: ACCOUNT,
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
      },
      timeout: 60_000,
    });
    return JSON.parse(stdout) as T;
  };
  const clock = async (path: string, body?: unknown): Promise<{ now: string }> => {
    const res = await fetch(
      `${cli.server.url}/_localvpc/${path}`,
      body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    );
    assert.equal(res.status, 200);
    return (await res.json()) as { now: string };
  };
  /** Advances the simulated clock to 1 s past the next minute boundary; returns that minute's start (ms). */
  const nextMinute = async (): Promise<number> => {
    const now = Date.parse((await clock("clock")).now);
    const { now: after } = await clock("clock/advance", { ms: MINUTE - (now % MINUTE) + 1000 });
    const t = Date.parse(after);
    return t - (t % MINUTE);
  };
  const trafficRun = async (to: string): Promise<RunSummary> =>
    JSON.parse(
      await localvpc("traffic", "run", "--from", "internet", "--to", to, "--rate", "20", "--duration", "250ms", "--json"),
    ) as RunSummary;

  it("accepted flows to A, a missing window while A is failed, accepted flows to B after the ENI moved", async () => {
    const { aws } = cli;
    const story = await buildFailoverStory(aws, "10.32.0.0/16", "10.32.1.0/24");
    const { a, b, eni, privateIp, publicIp: PublicIp } = story;
    const flowLog = async (group: string, ...format: string[]): Promise<void> => {
      const created = await aws<{ FlowLogIds: string[]; Unsuccessful: unknown[] }>(
        "create-flow-logs",
        "--resource-type",
        "NetworkInterface",
        "--resource-ids",
        eni,
        "--traffic-type",
        "ALL",
        "--log-group-name",
        group,
        "--deliver-logs-permission-arn",
        `arn:aws:iam::${ACCOUNT}:role/flow-logs`,
        "--max-aggregation-interval",
        "60",
        ...format,
      );
      assert.deepEqual([created.FlowLogIds.length, created.Unsuccessful], [1, []]);
    };
    await flowLog("web-flows");
    await flowLog("web-flows-instance", "--log-format", "${interface-id} ${instance-id} ${flow-direction} ${action} ${start}");

    // Minute 1: requests reach A.
    const m1 = await nextMinute();
    const before = await trafficRun(PublicIp);
    assert.deepEqual([before.requests, before.delivered, before.receivers], [5, 5, { [a]: 5 }]);

    // Minute 2: A fails; requests are dropped and explained.
    const m2 = await nextMinute();
    assert.match(await localvpc("chaos", "fail-instance", a), /impaired/);
    const down = await trafficRun(PublicIp);
    assert.deepEqual([down.delivered, down.dropReasons], [0, { EMU_INSTANCE_IMPAIRED: 5 }]);

    // Minute 3: the ENI moves to B (no route or DNS change); requests reach B.
    const m3 = await nextMinute();
    await moveToStandby(aws, story);
    const moved = await trafficRun(PublicIp);
    assert.deepEqual([moved.delivered, moved.receivers], [5, { [b]: 5 }]);

    // Close the last window, then read the log group with the AWS CLI.
    await nextMinute();
    const { events } = await awsLogs<{ events: { logStreamName: string; message: string; timestamp: number }[] }>(
      "filter-log-events",
      "--log-group-name",
      "web-flows",
    );
    assert.deepEqual([...new Set(events.map((e) => e.logStreamName))], [`${eni}-all`], "one stream per ENI, kept across the move");
    // v2: version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    // NODATA (issue 21): a quiet stretch of the interface, never a window that has a flow record.
    const noData = events.filter((e) => e.message.endsWith(" NODATA"));
    const records = events
      .filter((e) => !e.message.endsWith(" NODATA"))
      .map((e) => {
        const f = e.message.split(" ");
        assert.equal(f.length, 14, e.message);
        assert.deepEqual([f[0], f[1], f[2], f[7], f[12], f[13]], ["2", ACCOUNT, eni, "6", "ACCEPT", "OK"], e.message);
        const start = Number(f[10]) * 1000;
        return { start, src: f[3]!, dst: f[4]!, srcPort: f[5]!, dstPort: f[6]! };
      });
    // A phase runs from its minute to the next phase's (robust to a slow machine: a phase may outlast its minute).
    const phaseOf = (ms: number): number => (ms >= m3 ? m3 : ms >= m2 ? m2 : ms >= m1 ? m1 : 0);
    const inMinute = (m: number) => records.filter((r) => phaseOf(r.start) === m);
    const shape = (m: number) =>
      inMinute(m)
        .map((r) => (r.dstPort === "443" ? `in ${r.src} → ${r.dst}:443` : `out ${r.src}:${r.srcPort} → ${r.dst}`))
        .sort();
    const conversation = [
      ...Array<string>(5).fill(`in ${INTERNET_HOST} → ${privateIp}:443`),
      ...Array<string>(5).fill(`out ${privateIp}:443 → ${INTERNET_HOST}`),
    ];
    assert.deepEqual(shape(m1), conversation, "before the move: 5 requests accepted and 5 replies");
    assert.deepEqual(inMinute(m2), [], "while A was failed: no record at all (the gap)");
    assert.deepEqual(shape(m3), conversation, "after the move: the same conversation, same ENI, same private IP");
    assert.equal(records.length, 20);
    for (const e of noData) {
      const f = e.message.split(" ");
      assert.deepEqual([f[0], f[1], f[2], f.slice(3, 10).join(" "), f[12]], ["2", ACCOUNT, eni, "- - - - - - -", "-"], e.message);
      const [from, to] = [Number(f[10]) * 1000, Number(f[11]) * 1000];
      assert.ok(!records.some((r) => r.start >= from && r.start < to), `NODATA over a window with traffic: ${e.message}`);
    }
    assert.ok(!events.some((e) => e.message.includes(PublicIp)), "the Elastic IP never appears in the ENI's records");

    // Which instance the ENI was on: instance-id (v3) in the custom-format flow log.
    const custom = await awsLogs<{ events: { message: string }[] }>("filter-log-events", "--log-group-name", "web-flows-instance");
    const byMinute = new Map<number, Set<string>>();
    for (const e of custom.events) {
      const [iface, instance, direction, action, start] = e.message.split(" ");
      if (action === "-") continue; // a NODATA record (issue 21): this format has no log-status field
      assert.deepEqual([iface, action], [eni, "ACCEPT"]);
      assert.ok(direction === "ingress" || direction === "egress");
      const m = phaseOf(Number(start) * 1000);
      byMinute.set(m, (byMinute.get(m) ?? new Set()).add(instance!));
    }
    assert.deepEqual(
      [...byMinute].sort(([x], [y]) => x - y).map(([m, s]) => [m, [...s]]),
      [
        [m1, [a]],
        [m3, [b]],
      ],
    );

    // The AWS CLI's filter pattern finds the outage's absence too: nothing was rejected.
    const rejects = await awsLogs<{ events: unknown[] }>(
      "filter-log-events",
      "--log-group-name",
      "web-flows",
      "--filter-pattern",
      "REJECT",
    );
    assert.deepEqual(rejects.events, []);
  });
});
