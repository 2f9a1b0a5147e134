/**
 * The console's Scenarios panel against a running `localvpc serve`, in Debian's chromium: a Run button per scenario;
 * running one shows its steps live (from the SSE feed) and its outcome, and the topology ends on the scenario's end
 * state (every ENI the SDK sees is drawn). Screenshots go to test-artifacts/.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DescribeNetworkInterfacesCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { screenshot } from "./browser.js";
import { WAIT, useConsoleFixture } from "./fixture.js";

interface Hook {
  lastScenario: { name: string; ok: boolean } | null;
  scenarioEvents: number;
  busy: boolean;
  cy: { getElementById(id: string): { length: number } };
}

describe("web console scenarios panel", () => {
  const f = useConsoleFixture({ account: "222233334444" });

  it("runs multi-homed-db from its button, shows each step live and the pass, then draws the end state", async () => {
    const page = await f.open();
    await page.waitForSelector("#run-multi-homed-db", WAIT);
    const names = await page.locator("#scenario-list strong").allInnerTexts();
    assert.deepEqual(names, [
      "multi-homed-db",
      "ip-licensing",
      "email-migration",
      "dr-failover",
      "private-s3-and-peering",
      "lambda-in-vpc",
      "nlb-byoip",
      "eks-ip-exhaustion",
    ]);
    await page.waitForFunction(() => document.querySelector("#live")?.textContent === "live updates: on", undefined, WAIT);
    await page.locator("#run-multi-homed-db").click();
    await page.waitForFunction(() => (window as unknown as { __lvc?: Hook }).__lvc?.lastScenario?.name === "multi-homed-db", undefined, {
      timeout: 180_000,
      polling: 250,
    });
    const hook = await page.evaluate(() => {
      const h = (window as unknown as { __lvc: Hook }).__lvc;
      return { last: h.lastScenario, events: h.scenarioEvents };
    });
    assert.deepEqual(hook.last, { name: "multi-homed-db", ok: true });
    assert.ok(hook.events > 2, "the steps arrived as scenario events");
    assert.equal(await page.locator("#scenario-state").innerText(), "passed");
    const steps = page.locator("#scenario-progress .scenario-steps li");
    const total = await steps.count();
    assert.ok(total >= 4, `${total} steps shown`);
    assert.equal(await page.locator("#scenario-progress .scenario-steps li.ok").count(), total, "every step passed");
    assert.match(await steps.last().innerText(), /ENI_SG_RULES_MISMATCH/);
    // The probes it sent appear in Watch (verdict events), drops included.
    await page.waitForSelector("#traffic-list .verdict.drop", WAIT);
    // The topology ends on the scenario's end state: every ENI of its VPC is drawn.
    const vpcs = await f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr", Values: ["10.30.0.0/16"] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    assert.ok(vpcId, "the scenario's VPC exists");
    const enis = await f.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    const ids = (enis.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId!);
    assert.ok(ids.length >= 4, `${ids.length} ENIs`);
    await page.waitForFunction(
      (want) => {
        const h = (window as unknown as { __lvc?: Hook }).__lvc;
        return h !== undefined && !h.busy && want.every((id) => h.cy.getElementById(id).length > 0);
      },
      ids,
      WAIT,
    );
    await screenshot(page, "console-scenario");
    await page.close();
  });
});
