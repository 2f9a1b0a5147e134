/**
 * The seed's failover story through the AWS CLI and the traffic CLI (issue 5): a web ENI with an Elastic IP on
 * instance A; `localvpc traffic send --from internet --to EIP` reaches A; `localvpc chaos fail-instance A` drops it;
 * the ENI moves to B with the AWS CLI; requests reach B. `traffic run` shows the receivers; `--json` has the fixed
 * fields.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { buildFailoverStory, localvpcCli, moveToStandby } from "./failover-story.js";

interface Verdict {
  delivered: boolean;
  reason: string | null;
  explanation: string;
  deliveredTo: string | null;
  hops: unknown[];
}

describe("failover through the AWS CLI and localvpc traffic", () => {
  let cli: AwsCli;
  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());

  const localvpc = localvpcCli(() => cli, "123456789012");
  const send = async (to: string): Promise<Verdict> =>
    JSON.parse(await localvpc("traffic", "send", "--from", "internet", "--to", to, "--proto", "tcp", "--port", "443", "--json")) as Verdict;

  it("requests reach A, A fails, the ENI moves to B, requests reach B", async () => {
    const { aws } = cli;
    const story = await buildFailoverStory(aws, "10.31.0.0/16", "10.31.1.0/24");
    const { a, b, publicIp: PublicIp } = story;

    const first = await send(PublicIp);
    assert.equal(first.delivered, true, first.explanation);
    assert.equal(first.reason, null);
    assert.equal(first.deliveredTo, a);
    assert.ok(Array.isArray(first.hops) && first.hops.length > 0);

    const run = JSON.parse(
      await localvpc("traffic", "run", "--from", "internet", "--to", PublicIp, "--rate", "20", "--duration", "250ms", "--json"),
    ) as {
      requests: number;
      delivered: number;
      receivers: Record<string, number>;
    };
    assert.equal(run.requests, 5);
    assert.deepEqual(run.receivers, { [a]: 5 });

    assert.match(await localvpc("chaos", "fail-instance", a), /impaired/);
    const down = await send(PublicIp);
    assert.deepEqual([down.delivered, down.reason, down.deliveredTo], [false, "EMU_INSTANCE_IMPAIRED", null]);

    await moveToStandby(aws, story);
    const moved = await send(PublicIp);
    assert.equal(moved.deliveredTo, b, moved.explanation);

    assert.match(await localvpc("chaos", "recover", a), /healthy/);
    const human = await localvpc("traffic", "send", "--from", "internet", "--to", PublicIp);
    assert.match(human, new RegExp(`^DELIVERED to ${b}`));
  });
});
