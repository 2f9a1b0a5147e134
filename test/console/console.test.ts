/**
 * The web console against a running `localvpc serve` (the built CLI), in Debian's chromium through playwright-core:
 * it draws what the SDK created, a drag moves an ENI (checked through the SDK), a cross-AZ drag shows AWS's error
 * and leaves the ENI where it was, an SDK change reaches the page through server-sent events, actions are refused
 * when the console is read-only. Screenshots go to test-artifacts/.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  AttachInternetGatewayCommand,
  AttachNetworkInterfaceCommand,
  CreateInternetGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { dragOnto, parentOf, screenshot, tapNode, waitForNode } from "./browser.js";
import { AMI, useConsoleFixture } from "./fixture.js";

const ACCOUNT = "111122223333";

describe("web console", () => {
  const f = useConsoleFixture({ account: ACCOUNT });
  const net = { vpcId: "", subnetA: "", subnetB: "", instA: "", instB: "", instC: "", secondary: "", primaryA: "" };

  const eniOf = async (id: string) => {
    const r = await f.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }));
    return r.NetworkInterfaces![0]!;
  };
  const launch = async (subnetId: string, name: string): Promise<string> => {
    const r = await f.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "t3.medium",
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: name }] }],
      }),
    );
    return r.Instances![0]!.InstanceId!;
  };

  before(async () => {
    const { Vpc } = await f.ec2.send(new CreateVpcCommand({ CidrBlock: "10.60.0.0/16" }));
    const vpcId = Vpc!.VpcId!;
    net.vpcId = vpcId;
    net.subnetA = (
      await f.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.60.1.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    net.subnetB = (
      await f.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.60.2.0/24", AvailabilityZone: "us-east-1b" }))
    ).Subnet!.SubnetId!;
    net.instA = await launch(net.subnetA, "app-a");
    net.instB = await launch(net.subnetA, "app-b");
    net.instC = await launch(net.subnetB, "app-c");
    const eni = await f.ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: net.subnetA, SecondaryPrivateIpAddressCount: 2, Description: "data" }),
    );
    net.secondary = eni.NetworkInterface!.NetworkInterfaceId!;
    await f.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: net.secondary, InstanceId: net.instA, DeviceIndex: 1 }));
    const d = await f.ec2.send(new DescribeInstancesCommand({ InstanceIds: [net.instA] }));
    net.primaryA = d.Reservations![0]!.Instances![0]!.NetworkInterfaces!.find((n) => n.Attachment?.DeviceIndex === 0)!.NetworkInterfaceId!;
  });

  it("draws the ENIs the SDK created inside their instances, and the live panels", async () => {
    const page = await f.openReady([net.secondary]);
    assert.equal(await parentOf(page, net.secondary), net.instA);
    assert.equal(await parentOf(page, net.primaryA), net.instA);
    assert.equal(await parentOf(page, net.instA), net.subnetA);
    assert.equal(await parentOf(page, net.instC), net.subnetB);
    assert.equal(await page.locator("#account").inputValue(), ACCOUNT);
    assert.match(await page.locator("#watch").innerText(), /No traffic yet/);
    assert.match(await page.locator("#delivery-chart").innerText(), /delivered 0 · ■ dropped 0/);
    // Selecting an ENI shows its details (MAC, IPs, device index) read through the API.
    const sdk = await eniOf(net.secondary);
    await tapNode(page, net.secondary);
    const details = await page.locator("#details").innerText();
    assert.ok(details.includes(sdk.MacAddress!), details);
    assert.ok(details.includes(sdk.PrivateIpAddress!), details);
    for (const ip of sdk.PrivateIpAddresses!.filter((i) => !i.Primary)) assert.ok(details.includes(ip.PrivateIpAddress!), details);
    await screenshot(page, "console-topology");
    await page.close();
  });

  it("moves a secondary ENI to another instance when it is dragged onto it", async () => {
    const page = await f.openReady([net.secondary, net.instB]);
    const renders = await page.evaluate(() => window.__lvc?.renders ?? 0);
    await dragOnto(page, net.secondary, net.instB);
    await page.waitForFunction((r) => (window.__lvc?.renders ?? 0) > r && window.__lvc?.lastMessage.startsWith("moved"), renders, {
      timeout: 120_000,
      polling: 250,
    });
    const eni = await eniOf(net.secondary);
    assert.equal(eni.Attachment?.InstanceId, net.instB);
    assert.equal(eni.Attachment.DeviceIndex, 1);
    await page.waitForFunction(
      (a) => window.__lvc?.cy.getElementById(a.id).parent().id() === a.inst,
      { id: net.secondary, inst: net.instB },
      { timeout: 120_000, polling: 250 },
    );
    await screenshot(page, "console-after-move");
    await page.close();
  });

  it("shows AWS's error for a drag onto an instance in another AZ, and leaves the ENI where it was", async () => {
    const page = await f.openReady([net.secondary, net.instC]);
    await dragOnto(page, net.secondary, net.instC);
    await page.waitForFunction(() => window.__lvc?.lastMessage.includes("InvalidParameterCombination") === true, undefined, {
      timeout: 120_000,
      polling: 250,
    });
    const text = await page.locator("#message").innerText();
    assert.ok(text.includes("You may not attach a network interface to an instance if they are not in the same availability zone"), text);
    assert.ok(text.includes("AttachNetworkInterface"), text);
    const eni = await eniOf(net.secondary);
    assert.equal(eni.Attachment?.InstanceId, net.instB, "the ENI went back to where it was");
    await screenshot(page, "console-cross-az-error");
    await page.close();
  });

  it("shows AWS's error when the primary ENI is dragged away", async () => {
    const page = await f.openReady([net.primaryA, net.instB]);
    await dragOnto(page, net.primaryA, net.instB);
    await page.waitForFunction(() => window.__lvc?.lastMessage.startsWith("DetachNetworkInterface") === true, undefined, {
      timeout: 120_000,
      polling: 250,
    });
    const eni = await eniOf(net.primaryA);
    assert.equal(eni.Attachment?.InstanceId, net.instA);
    assert.match(await page.locator("#message").innerText(), /DetachNetworkInterface/);
    await page.close();
  });

  it("associates a new Elastic IP with the selected ENI", async () => {
    const page = await f.openReady([net.secondary]);
    const created = await f.ec2.send(new CreateInternetGatewayCommand({}));
    await f.ec2.send(
      new AttachInternetGatewayCommand({ InternetGatewayId: created.InternetGateway!.InternetGatewayId!, VpcId: net.vpcId }),
    );
    await tapNode(page, net.secondary);
    await page.locator("#associate-eip").dispatchEvent("click");
    await page.waitForFunction((i) => window.__lvc?.cy.getElementById(i).data("eip") === "yes", net.secondary, {
      timeout: 120_000,
      polling: 250,
    });
    const eni = await eniOf(net.secondary);
    assert.ok(eni.Association?.AllocationId, "the ENI has an Elastic IP");
    assert.ok((await page.locator("#details").innerText()).includes(eni.Association.PublicIp!));
    await screenshot(page, "console-eip");
    await page.close();
  });

  it("redraws when the SDK changes state (server-sent events), without a reload", async () => {
    const page = await f.openReady([net.instC]);
    const created = await f.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetB, Description: "made by the SDK" }));
    const id = created.NetworkInterface!.NetworkInterfaceId!;
    await waitForNode(page, id);
    assert.equal(await parentOf(page, id), `unattached:${net.subnetB}`);
    await f.ec2.send(new StopInstancesCommand({ InstanceIds: [net.instC] }));
    await page.waitForFunction((i) => window.__lvc?.cy.getElementById(i).data("state") === "stopped", net.instC, {
      timeout: 120_000,
      polling: 250,
    });
    assert.ok(((await page.evaluate(() => window.__lvc?.changes)) ?? 0) >= 2);
    await page.close();
  });

  it("starts a stopped instance from its details panel", async () => {
    const page = await f.openReady([net.instC]);
    await tapNode(page, net.instC);
    await page.locator("#start-instance").dispatchEvent("click");
    await page.waitForFunction((i) => window.__lvc?.cy.getElementById(i).data("state") === "running", net.instC, {
      timeout: 120_000,
      polling: 250,
    });
    const d = await f.ec2.send(new DescribeInstancesCommand({ InstanceIds: [net.instC] }));
    assert.equal(d.Reservations![0]!.Instances![0]!.State?.Name, "running");
    await page.close();
  });

  it("refuses actions and says why when the console is read-only", async () => {
    const page = await f.browser.context.newPage();
    await page.route("**/_localvpc/console/api/config", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          readOnly: true,
          reason: "localvpc is bound to 0.0.0.0, not a loopback address",
          defaults: { account: ACCOUNT, region: "us-east-1" },
        }),
      }),
    );
    await f.open(page);
    await waitForNode(page, net.secondary);
    assert.match(await page.locator("#banner").innerText(), /Read-only: localvpc is bound to 0\.0\.0\.0/);
    await tapNode(page, net.instA);
    assert.equal(await page.locator("#stop-instance").isDisabled(), true);
    const d = await f.ec2.send(new DescribeInstancesCommand({ InstanceIds: [net.instA] }));
    assert.equal(d.Reservations![0]!.Instances![0]!.State?.Name, "running");
    await page.close();
  });
});
