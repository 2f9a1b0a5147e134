/**
 * The console's live panels against a running `localvpc serve` (the built CLI), in Debian's chromium: traffic sent
 * through the admin API (not by the page) appears in Watch — a delivered probe, and a dropped one in red with its
 * explanation, both counted in the per-second chart; the selected ENI's flow-log tail shows its records; the BYOIP
 * panel shows a provisioned range, its pool's used/free counts, and the internet's BGP view. Screenshots go to
 * test-artifacts/.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import {
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  ProvisionByoipCidrCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { admin, advanceClock, makePki, message, prepareWorld, signMessage } from "../e2e/byoip-fixtures.js";
import { screenshot, tapNode } from "./browser.js";
import { AMI, WAIT, useConsoleFixture } from "./fixture.js";

const ACCOUNT = "111122223333";
const WEEK = 7 * 24 * 3600 * 1000;

interface Verdict {
  delivered: boolean;
  reason: string | null;
  explanation: string;
}

describe("web console live panels", () => {
  const f = useConsoleFixture({ account: ACCOUNT });
  let page: Page;
  const net = { vpcId: "", subnetId: "", a: "", b: "", closed: "", eniA: "" };

  const launch = async (groups?: string[]): Promise<string> => {
    const r = await f.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "t3.medium",
        MinCount: 1,
        MaxCount: 1,
        SubnetId: net.subnetId,
        SecurityGroupIds: groups,
      }),
    );
    return r.Instances![0]!.InstanceId!;
  };
  const send = async (from: string, to: string): Promise<Verdict> =>
    (await admin(f.server.url, "traffic/send", {
      account: ACCOUNT,
      region: "us-east-1",
      from,
      to,
      proto: "tcp",
      port: 443,
    })) as unknown as Verdict;

  before(async () => {
    net.vpcId = (await f.ec2.send(new CreateVpcCommand({ CidrBlock: "10.61.0.0/16" }))).Vpc!.VpcId!;
    net.subnetId = (
      await f.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.61.1.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    // A group with no inbound rule: traffic to its instance is dropped by the security group.
    const closed = await f.ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "closed", Description: "no inbound" }));
    net.a = await launch();
    net.b = await launch();
    net.closed = await launch([closed.GroupId!]);
    const d = await f.ec2.send(new DescribeInstancesCommand({ InstanceIds: [net.a] }));
    net.eniA = d.Reservations![0]!.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
    await f.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "Subnet",
        ResourceIds: [net.subnetId],
        TrafficType: "ALL",
        LogGroupName: "console-flows",
        DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs`,
        MaxAggregationInterval: 60,
      }),
    );
    // One page for the file: its tests build on each other's verdicts and state (a few re-reads, not a long session); the fixture closes it with the browser.
    page = await f.openReady([net.eniA]);
  });

  it("shows traffic sent through the admin API: a delivered probe, and a drop in red with its explanation", async () => {
    const ok = await send(net.a, net.b);
    assert.equal(ok.delivered, true, ok.explanation);
    const dropped = await send(net.a, net.closed);
    assert.equal(dropped.delivered, false);
    assert.ok(dropped.explanation.length > 0);
    await page.waitForFunction(() => (window.__lvc?.verdicts ?? 0) >= 2, undefined, WAIT);
    const delivered = await page.locator("#traffic-list .verdict.ok").first().innerText();
    assert.match(delivered, /delivered/);
    assert.ok(delivered.includes(net.b), delivered);
    const drop = page.locator("#traffic-list .verdict.drop").first();
    const dropText = await drop.innerText();
    assert.ok(dropText.includes(dropped.explanation), dropText);
    assert.ok(dropText.includes(dropped.reason ?? "?"), dropText);
    assert.equal(await drop.evaluate((e) => getComputedStyle(e).borderLeftColor), "rgb(198, 40, 40)");
    assert.equal(await page.locator("#chart-delivered").innerText(), "1");
    assert.equal(await page.locator("#chart-dropped").innerText(), "1");
    await page.locator("#watch").scrollIntoViewIfNeeded();
    await screenshot(page, "console-live-traffic");
  });

  it("tails the selected ENI's flow-log stream", async () => {
    // The recorder delivers a window once it has closed on the simulated clock.
    await advanceClock(f.server.url, 180_000);
    await tapNode(page, net.eniA);
    await page.waitForFunction(() => (window.__lvc?.flowLogLines ?? 0) > 0, undefined, WAIT);
    const text = await page.locator("#flow-log-tail").innerText();
    assert.ok(text.includes(`${net.eniA}-all`), text);
    assert.ok(text.includes(net.eniA), text);
    assert.match(text, / ACCEPT OK/);
    await page.locator("#flow-log-tail").scrollIntoViewIfNeeded();
    await screenshot(page, "console-flow-log-tail");
  });

  it("shows a provisioned BYOIP range, its pool's used/free counts and the BGP view", async () => {
    const cidr = "203.0.113.0/24";
    const pki = makePki();
    await prepareWorld(f.server.url, pki, cidr);
    const msg = message(ACCOUNT, cidr);
    await f.ec2.send(
      new ProvisionByoipCidrCommand({
        Cidr: cidr,
        CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) },
        Description: "mail servers",
      }),
    );
    await advanceClock(f.server.url, WEEK);
    // The on-premises network still announces the range: the BGP view says who receives it.
    await admin(f.server.url, "bgp/announce", { cidr, asn: 64500 });
    await page.waitForFunction(
      () => document.querySelector("#byoip .byoip-range")?.textContent.includes("provisioned") === true,
      undefined,
      WAIT,
    );
    await page.waitForFunction(() => document.querySelector("#byoip .bgp") !== null, undefined, WAIT);
    const range = await page.locator("#byoip .byoip-range").first().innerText();
    assert.ok(range.includes(cidr), range);
    const pool = await page.locator("#byoip .byoip-pool").first().innerText();
    assert.match(pool, /^ipv4pool-ec2-[0-9a-f]+\s+203\.0\.113\.0–203\.0\.113\.255\s+0\s+256$/, pool);
    const bgp = await page.locator("#byoip .bgp").first().innerText();
    assert.ok(bgp.includes(cidr) && bgp.includes("AS64500"), bgp);
    assert.match(bgp, /valid|invalid|not-found|unknown/i);
    await screenshot(page, "console-byoip");
  });

  it("stays bounded under a burst of 300 probes: the list keeps 12, animations are capped and all go away", async () => {
    const before = await page.evaluate(() => window.__lvc?.verdicts ?? 0);
    for (let i = 0; i < 150; i++) {
      await send(net.a, net.b);
      await send(net.a, net.closed);
    }
    await page.waitForFunction((n) => (window.__lvc?.verdicts ?? 0) >= n + 300, before, WAIT);
    type Cy = { edges(sel: string): { length: number } };
    const during = await page.evaluate(() => (window.__lvc?.cy as unknown as Cy).edges(".traffic").length);
    // At most 4 animations in flight, each a path of a few hops (not one per probe: 300 probes were just sent).
    assert.ok(during <= 4 * 8, `${during} transient traffic edges`);
    await page.waitForFunction(() => document.querySelectorAll("#traffic-list li").length === 12, undefined, WAIT);
    await page.waitForFunction(() => (window.__lvc?.cy as unknown as Cy).edges(".traffic").length === 0, undefined, WAIT);
    assert.equal(await page.locator("#traffic-list li").count(), 12, "the verdict list keeps the last 12");
  });
});
