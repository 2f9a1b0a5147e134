/**
 * The console is readable at 200 ENIs (issue 6): 200 ENIs made through the SDK in four subnets of three AZs, some on
 * instances (primaries and secondaries), most unattached. Every ENI is drawn, no two ENI boxes overlap, and every
 * ENI label can be read: zooming to a subnet (double-click, or the "Zoom to selection" button) shows all of that
 * subnet's ENIs at once with their labels rendered at 8 px or more.
 *
 * Why 8 px: below about 8 CSS px a monospace label (ids, IPs) is no longer reliably readable on a 1x display, and
 * cytoscape stops drawing labels under its `min-zoomed-font-size`; the console sets that to the same 8 px, so a label
 * is either legible or not drawn (never an illegible smudge). The fitted overview of 200 ENIs shows the structure
 * (the subnets' names are drawn on them at a legible size, and a Subnets list links to each); the ENIs' own labels
 * are read by zooming to a subnet.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { Page } from "playwright-core";
import { screenshot } from "./browser.js";
import { AMI, WAIT, useConsoleFixture } from "./fixture.js";

const MIN_FONT_PX = 8;

interface Box {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}
interface ScaleHook {
  busy: boolean;
  cy: {
    zoom(): number;
    fit(): void;
    nodes(sel: string): { map<T>(f: (n: ScaleNode) => T): T[] };
    getElementById(id: string): ScaleNode;
    width(): number;
    height(): number;
    animated(): boolean;
  };
  zoomTo(id: string): Promise<void>;
}
interface ScaleNode {
  id(): string;
  length: number;
  renderedBoundingBox(o?: object): Box;
  numericStyle(name: string): number;
  style(name: string): string;
  descendants(sel?: string): { map<T>(f: (n: ScaleNode) => T): T[] };
}
type W = { __lvc: ScaleHook };

const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

describe("web console at 200 ENIs", () => {
  const f = useConsoleFixture({ account: "333344445555" });
  const subnets: string[] = [];
  const eniIds: string[] = [];

  before(async () => {
    const ec2 = f.ec2;
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.70.0.0/16" }))).Vpc!.VpcId!;
    for (const [i, az] of ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a"].entries()) {
      const s = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.70.${i}.0/24`, AvailabilityZone: az }));
      subnets.push(s.Subnet!.SubnetId!);
    }
    // 24 instances (6 per subnet; t3.medium takes 3 ENIs): 24 primaries, 24 secondaries attached, 152 unattached (50 ENIs per subnet).
    for (const [si, subnetId] of subnets.entries()) {
      for (let k = 0; k < 6; k++) {
        const r = await ec2.send(
          new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.medium", MinCount: 1, MaxCount: 1, SubnetId: subnetId }),
        );
        const inst = r.Instances![0]!;
        eniIds.push(inst.NetworkInterfaces![0]!.NetworkInterfaceId!);
        const secondaries = k % 3; // 0, 1 or 2 secondary ENIs
        for (let d = 1; d <= secondaries; d++) {
          const e = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Description: `sec-${si}-${k}-${d}` }));
          const id = e.NetworkInterface!.NetworkInterfaceId!;
          eniIds.push(id);
          await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: id, InstanceId: inst.InstanceId!, DeviceIndex: d }));
        }
      }
    }
    for (let n = 0; eniIds.length < 200; n++) {
      const e = await ec2.send(
        new CreateNetworkInterfaceCommand({ SubnetId: subnets[n % subnets.length]!, SecondaryPrivateIpAddressCount: n % 4 === 0 ? 2 : 0 }),
      );
      eniIds.push(e.NetworkInterface!.NetworkInterfaceId!);
    }
    const all = await ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 1000 }));
    assert.equal(all.NetworkInterfaces?.length, 200, "the account has 200 ENIs");
  });

  const openReady = async (): Promise<Page> => {
    const page = await f.open();
    await page.waitForFunction(
      (ids) => {
        const h = (window as unknown as { __lvc?: { busy: boolean; cy: { getElementById(id: string): { length: number } } } }).__lvc;
        return h !== undefined && !h.busy && ids.every((id) => h.cy.getElementById(id).length > 0);
      },
      eniIds,
      { timeout: 180_000, polling: 500 },
    );
    return page;
  };

  it("draws all 200 ENIs, none overlapping another", async () => {
    const page = await openReady();
    const boxes = await page.evaluate(() =>
      (window as unknown as W).__lvc.cy
        .nodes('[kind = "eni"]')
        .map((n) => ({ id: n.id(), box: n.renderedBoundingBox({ includeLabels: false, includeOverlays: false }) })),
    );
    assert.equal(boxes.length, 200);
    const clashes: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        if (overlaps(boxes[i]!.box, boxes[j]!.box)) clashes.push(`${boxes[i]!.id}/${boxes[j]!.id}`);
    assert.deepEqual(clashes, [], "overlapping ENI boxes");
    const fitted = await page.evaluate(async () => {
      const cy = (window as unknown as W).__lvc.cy;
      cy.fit();
      // The overview labels are re-applied on the next animation frame after a zoom.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const subnetPx = cy.nodes('[kind = "subnet"].overview').map((n) => n.numericStyle("font-size") * cy.zoom());
      const eni = cy
        .nodes('[kind = "eni"]')
        .map((n) => ({ font: n.numericStyle("font-size"), min: n.numericStyle("min-zoomed-font-size") }))[0];
      return { zoom: cy.zoom(), font: eni?.font ?? 0, min: eni?.min ?? 0, subnetPx };
    });
    await screenshot(page, "console-200-enis-overview");
    // The fitted overview: an ENI label is drawn at 8 px or more, or not at all (cytoscape's min-zoomed-font-size).
    assert.ok(fitted.min >= MIN_FONT_PX, `min-zoomed-font-size is ${fitted.min}`);
    const drawnAt = fitted.font * fitted.zoom;
    assert.ok(drawnAt >= MIN_FONT_PX || drawnAt < fitted.min, `ENI labels drawn at ${drawnAt.toFixed(1)} px`);
    // The structure stays legible: the four subnets' names are drawn on them at 8 px or more.
    assert.equal(fitted.subnetPx.length, 4, `overview subnet labels: ${fitted.subnetPx.join()}`);
    for (const px of fitted.subnetPx) assert.ok(px >= MIN_FONT_PX, `a subnet label at ${px.toFixed(1)} px`);
    // …and the way in is legible: the Subnets list names every subnet that holds ENIs.
    const index = await page.locator("#counts .subnet-index li").allInnerTexts();
    assert.equal(index.length, 4, index.join("\n"));
    for (const line of index) assert.match(line, /10\.70\.\d\.0\/24 · us-east-1[abc] · 50 ENIs/);
    await page.close();
  });

  it("zooming to a subnet shows all its ENIs with labels of at least 8 px", async () => {
    const page = await openReady();
    for (const [i, subnetId] of subnets.entries()) {
      // Through the Subnets list, as a person would (the list is HTML, legible at any zoom).
      await page.locator(`#counts a[data-zoom="${subnetId}"]`).click();
      await page.waitForFunction(() => !(window as unknown as W).__lvc.cy.animated(), undefined, WAIT);
      const m = await page.evaluate(
        ([id]) => {
          const cy = (window as unknown as W).__lvc.cy;
          const enis = cy.getElementById(id).descendants('[kind = "eni"]');
          const boxes = enis.map((n) => n.renderedBoundingBox({ includeLabels: true }));
          const font = enis.map((n) => n.numericStyle("font-size"))[0] ?? 0;
          const inside = boxes.every((b) => b.x1 >= -1 && b.y1 >= -1 && b.x2 <= cy.width() + 1 && b.y2 <= cy.height() + 1);
          return { count: boxes.length, px: font * cy.zoom(), inside };
        },
        [subnetId] as const,
      );
      if (i === 0) await screenshot(page, "console-200-enis-subnet");
      assert.equal(m.count, 50, `${subnetId} has 50 ENIs drawn`);
      assert.ok(m.inside, `every ENI of ${subnetId} is in view`);
      assert.ok(m.px >= MIN_FONT_PX, `${subnetId}: ENI labels at ${m.px.toFixed(1)} px`);
    }
    await page.close();
  });
});
