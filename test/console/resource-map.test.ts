/**
 * The console's resource map and probe (issue 16), against a running `localvpc serve` in Debian's chromium: a VPC
 * with an internet gateway, a NAT gateway, an S3 gateway endpoint and a peering is drawn as AWS's resource map draws
 * it (subnets | route tables | network connections, an edge per route labelled with its destination); the probe form
 * draws a verdict's path hop by hop, numbered, and a blocked probe's drop sentence where it stops; a search result
 * fills the details panel; names are shown as text, never as markup; at 1280×720 nothing overlaps or scrolls
 * sideways, and flow-log records wrap. Screenshots go to test-artifacts/.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import {
  AcceptVpcPeeringConnectionCommand,
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { admin, advanceClock } from "../e2e/byoip-fixtures.js";
import { screenshot, tapNode } from "./browser.js";
import { AMI, WAIT, useConsoleFixture, waitReady } from "./fixture.js";

const ACCOUNT = "444455556666";
const REGION = "us-east-1";
/** A Name tag that would run script if it were ever parsed as HTML. */
const HOSTILE_NAME = `<img src=x onerror="window.__xss=1">map & <b>co</b>`;

interface Verdict {
  delivered: boolean;
  reason: string | null;
  explanation: string;
  hops: { component: string; type: string; action: string; path: string }[];
}

/** The console's hook, as much of it as these tests read. */
interface Lvc {
  probes: number;
  path: string[];
  pathDone: boolean;
  pathNote: string;
  flowLogLines: number;
  cy: {
    getElementById(id: string): {
      length: number;
      data(k: string): unknown;
      hasClass(c: string): boolean;
      renderedBoundingBox(o?: object): { x1: number; x2: number; y1: number; y2: number };
      emit(e: string): void;
    };
    edges(sel?: string): { map<T>(f: (e: { id(): string; data(k: string): unknown }) => T): T[] };
  };
}

describe("web console resource map and probe", () => {
  const f = useConsoleFixture({ account: ACCOUNT, region: REGION });
  let page: Page;
  const net = {
    vpc: "",
    peerVpc: "",
    pub: "",
    priv: "",
    peerSubnet: "",
    igw: "",
    nat: "",
    vpce: "",
    pcx: "",
    rtPub: "",
    rtPriv: "",
    peerMain: "",
    web: "",
    app: "",
    db: "",
    eniWeb: "",
    eniApp: "",
    eniDb: "",
  };

  const launch = async (subnetId: string, name: string, extra: Partial<RunInstancesCommandInput> = {}): Promise<[string, string]> => {
    const r = await f.ec2.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: "t3.micro",
        MinCount: 1,
        MaxCount: 1,
        ...(extra.NetworkInterfaces ? {} : { SubnetId: subnetId }),
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: name }] }],
        ...extra,
      }),
    );
    const id = r.Instances![0]!.InstanceId!;
    const d = await f.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return [id, d.Reservations![0]!.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!];
  };
  const send = async (from: string, to: string, port: number): Promise<Verdict> =>
    (await admin(f.server.url, "traffic/send", { account: ACCOUNT, region: REGION, from, to, proto: "tcp", port })) as unknown as Verdict;

  /** Fills and submits the probe form, and waits until its whole path is drawn. */
  const probe = async (from: string, to: string, port: number): Promise<void> => {
    const before = await page.evaluate(() => (window as unknown as { __lvc: Lvc }).__lvc.probes);
    await page.locator("#probe-from").fill(from);
    await page.locator("#probe-to").fill(to);
    await page.locator("#probe-proto").selectOption("tcp");
    await page.locator("#probe-port").fill(String(port));
    await page.locator("#probe-send").click();
    await page.waitForFunction(
      (n) => (window as unknown as { __lvc: Lvc }).__lvc.probes > n && (window as unknown as { __lvc: Lvc }).__lvc.pathDone,
      before,
      WAIT,
    );
  };

  before(async () => {
    const tags = (name: string, type: "vpc" | "route-table" = "vpc") => [{ ResourceType: type, Tags: [{ Key: "Name", Value: name }] }];
    net.vpc = (await f.ec2.send(new CreateVpcCommand({ CidrBlock: "10.81.0.0/16", TagSpecifications: tags(HOSTILE_NAME) }))).Vpc!.VpcId!;
    net.peerVpc = (await f.ec2.send(new CreateVpcCommand({ CidrBlock: "10.82.0.0/16", TagSpecifications: tags("peer") }))).Vpc!.VpcId!;
    const subnet = async (vpc: string, cidr: string): Promise<string> =>
      (await f.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;
    net.pub = await subnet(net.vpc, "10.81.1.0/24");
    net.priv = await subnet(net.vpc, "10.81.2.0/24");
    net.peerSubnet = await subnet(net.peerVpc, "10.82.1.0/24");

    net.igw = (await f.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await f.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: net.igw, VpcId: net.vpc }));
    const table = async (name: string, subnetId: string): Promise<string> => {
      const id = (await f.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpc, TagSpecifications: tags(name, "route-table") })))
        .RouteTable!.RouteTableId!;
      await f.ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
      return id;
    };
    net.rtPub = await table("public", net.pub);
    net.rtPriv = await table("private", net.priv);
    await f.ec2.send(new CreateRouteCommand({ RouteTableId: net.rtPub, DestinationCidrBlock: "0.0.0.0/0", GatewayId: net.igw }));

    const eip = await f.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    net.nat = (
      await f.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.pub, AllocationId: eip.AllocationId! }))
    ).NatGateway!.NatGatewayId!;
    await f.ec2.send(new CreateRouteCommand({ RouteTableId: net.rtPriv, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: net.nat }));
    net.vpce = (
      await f.ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: net.vpc,
          ServiceName: `com.amazonaws.${REGION}.s3`,
          VpcEndpointType: "Gateway",
          RouteTableIds: [net.rtPriv],
        }),
      )
    ).VpcEndpoint!.VpcEndpointId!;

    net.pcx = (
      await f.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: net.vpc, PeerVpcId: net.peerVpc }))
    ).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await f.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: net.pcx }));
    await f.ec2.send(
      new CreateRouteCommand({ RouteTableId: net.rtPriv, DestinationCidrBlock: "10.82.0.0/16", VpcPeeringConnectionId: net.pcx }),
    );
    const peerTables = await f.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: "vpc-id", Values: [net.peerVpc] },
          { Name: "association.main", Values: ["true"] },
        ],
      }),
    );
    net.peerMain = peerTables.RouteTables![0]!.RouteTableId!;
    await f.ec2.send(
      new CreateRouteCommand({ RouteTableId: net.peerMain, DestinationCidrBlock: "10.81.0.0/16", VpcPeeringConnectionId: net.pcx }),
    );

    // The database answers PostgreSQL from the peered VPC, and nothing else.
    const dbGroup = (
      await f.ec2.send(new CreateSecurityGroupCommand({ VpcId: net.peerVpc, GroupName: "db", Description: "postgres from peer" }))
    ).GroupId!;
    await f.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: dbGroup,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: "10.81.0.0/16" }] }],
      }),
    );
    [net.web, net.eniWeb] = await launch(net.pub, "web", {
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.pub, AssociatePublicIpAddress: true }],
    });
    [net.app, net.eniApp] = await launch(net.priv, "app");
    [net.db, net.eniDb] = await launch(net.peerSubnet, "db", { SecurityGroupIds: [dbGroup] });
    await f.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "Subnet",
        ResourceIds: [net.pub],
        TrafficType: "ALL",
        LogGroupName: "resource-map-flows",
        DeliverLogsPermissionArn: `arn:aws:iam::${ACCOUNT}:role/flow-logs`,
        MaxAggregationInterval: 60,
      }),
    );
    page = await f.openReady([net.igw, net.nat, net.vpce, net.pcx, net.rtPub, net.rtPriv, net.peerMain, net.eniDb]);
  });

  it("draws the gateways, endpoints and peering, and an edge per route labelled with its destination", async () => {
    const kinds = await page.evaluate(
      (ids) =>
        ids.map((id) => [
          (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).data("kind"),
          (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).data("gw"),
        ]),
      [net.igw, net.nat, net.vpce, net.pcx, net.rtPub],
    );
    assert.deepEqual(kinds, [
      ["gateway", "igw"],
      ["gateway", "nat"],
      ["gateway", "vpce-gateway"],
      ["gateway", "pcx"],
      ["route-table", undefined],
    ]);
    const edges = await page.evaluate(() =>
      Object.fromEntries(
        (window as unknown as { __lvc: Lvc }).__lvc.cy
          .edges()
          .map((e) => [e.id(), `${String(e.data("source"))}>${String(e.data("target"))} ${String(e.data("label"))}`]),
      ),
    );
    assert.equal(edges[`route:${net.rtPub}:${net.igw}`], `${net.rtPub}>${net.igw} 0.0.0.0/0`);
    assert.equal(edges[`route:${net.rtPriv}:${net.nat}`], `${net.rtPriv}>${net.nat} 0.0.0.0/0`);
    assert.equal(edges[`route:${net.rtPriv}:${net.pcx}`], `${net.rtPriv}>${net.pcx} 10.82.0.0/16`);
    assert.equal(edges[`route:${net.peerMain}:${net.pcx}`], `${net.peerMain}>${net.pcx} 10.81.0.0/16`);
    // The gateway endpoint's route is to S3's prefix list.
    assert.match(edges[`route:${net.rtPriv}:${net.vpce}`] ?? "", new RegExp(`^${net.rtPriv}>${net.vpce} pl-[0-9a-f]+$`));
    // Each subnet to the table it uses: explicit associations, and the peer subnet to its VPC's main table.
    assert.equal(edges[`assoc:${net.pub}`], `${net.pub}>${net.rtPub} `);
    assert.equal(edges[`assoc:${net.priv}`], `${net.priv}>${net.rtPriv} `);
    assert.equal(edges[`assoc:${net.peerSubnet}`], `${net.peerSubnet}>${net.peerMain} `);
    // The NAT gateway is present in its subnet by its ENI.
    const natEni = (await f.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [net.nat] }))).NatGateways![0]!
      .NatGatewayAddresses![0]!.NetworkInterfaceId!;
    assert.equal(edges[`placed:${net.nat}:${natEni}`], `${net.nat}>${natEni} `);
    // The resource map's columns, left to right: subnets | route tables | network connections.
    const boxes = await page.evaluate(
      (ids) =>
        ids.map((id) => (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).renderedBoundingBox({ includeLabels: false })),
      [net.pub, net.rtPub, net.igw],
    );
    const [sub, rt, gw] = boxes as [(typeof boxes)[0], (typeof boxes)[0], (typeof boxes)[0]];
    assert.ok(sub.x2 < rt.x1 && rt.x2 < gw.x1, JSON.stringify(boxes));
    await screenshot(page, "console-resource-map");
  });

  it("draws a delivered probe's path hop by hop, numbered, along the routes it took", async () => {
    await probe(net.web, "internet", 443);
    const expected = await send(net.web, "internet", 443);
    assert.equal(expected.delivered, true, expected.explanation);
    const path = await page.evaluate(() => (window as unknown as { __lvc: Lvc }).__lvc.path);
    // In the verdict's order, each step once: the sender's ENI (and its security group), its route table, its subnet
    // (the outbound NACL, checked once the route is known), the internet gateway, the internet.
    assert.deepEqual(path, [net.eniWeb, net.rtPub, net.pub, net.igw, "internet"]);
    const state = await page.evaluate(
      (ids) => ({
        lit: ids.map((id) => (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).hasClass("path-node")),
        edges: [`assoc:${ids[2]}`, `route:${ids[1]}:${ids[3]}`, `uplink:${ids[3]}`].map((id) =>
          (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).hasClass("on-path"),
        ),
        badges: Array.from(document.querySelectorAll<HTMLElement>("#path-layer .path-badge")).map((b) => [
          b.dataset["node"],
          b.textContent,
        ]),
        note: document.querySelector("#path-note"),
      }),
      path,
    );
    assert.deepEqual(state.lit, [true, true, true, true, true]);
    assert.deepEqual(state.edges, [true, true, true]);
    assert.deepEqual(
      state.badges,
      path.map((id, i) => [id, String(i + 1)]),
    );
    assert.equal(state.note, null, "a delivered probe has no drop sentence");
    assert.match(await page.locator("#probe-result").innerText(), /delivered/);
    await screenshot(page, "console-probe-delivered");
  });

  it("draws a blocked probe over the peering up to where it stops, with the drop sentence there", async () => {
    const expected = await send(net.app, net.db, 22);
    assert.equal(expected.delivered, false);
    await probe(net.app, net.db, 22);
    const path = await page.evaluate(() => (window as unknown as { __lvc: Lvc }).__lvc.path);
    // Out of the private subnet by its route table, over the peering, into the peer subnet, refused at the database.
    assert.deepEqual(path, [net.eniApp, net.rtPriv, net.priv, net.pcx, net.peerSubnet, net.eniDb]);
    assert.equal(
      await page.evaluate((id) => (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).hasClass("path-drop"), net.eniDb),
      true,
    );
    assert.equal(
      await page.evaluate(
        (id) => (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(`route:${id}`).hasClass("on-path"),
        `${net.rtPriv}:${net.pcx}`,
      ),
      true,
    );
    // The sentence is the verdict's explanation (each probe has its own ephemeral source port).
    const shown = await page.evaluate(() => (window as unknown as { __lvc: Lvc }).__lvc.pathNote);
    const anyPort = (x: string): string => x.replace(/:\d+ →/g, ":* →");
    assert.equal(anyPort(shown), anyPort(expected.explanation));
    const note = page.locator("#path-note");
    assert.equal(await note.innerText(), `Dropped (${expected.reason ?? "?"}): ${shown}`);
    // The sentence is shown where the path stops: just under the dropping ENI.
    const where = await page.evaluate((id) => {
      const b = (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).renderedBoundingBox({ includeLabels: false });
      const n = document.querySelector("#path-note")!.getBoundingClientRect();
      const g = document.querySelector("#graph")!.getBoundingClientRect();
      return {
        nodeBottom: b.y2 + g.top,
        noteTop: n.top,
        nodeLeft: b.x1 + g.left,
        nodeRight: b.x2 + g.left,
        noteLeft: n.left,
        noteRight: n.right,
      };
    }, net.eniDb);
    assert.ok(where.noteTop >= where.nodeBottom && where.noteTop - where.nodeBottom < 40, JSON.stringify(where));
    assert.ok(where.noteLeft < where.nodeRight && where.noteRight > where.nodeLeft, JSON.stringify(where));
    const result = await page.locator("#probe-result").innerText();
    assert.ok(result.includes(shown) && result.includes(expected.reason ?? "?"), result);
    await screenshot(page, "console-probe-dropped");
    // Allowed on its port, the same path is delivered and loses its drop sentence.
    await probe(net.app, net.db, 5432);
    assert.equal(await page.locator("#path-note").count(), 0);
    assert.equal(
      await page.evaluate((id) => (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).hasClass("path-node"), net.eniDb),
      true,
    );
  });

  it("fills the details panel from a search result, and shows names as text, never as markup", async () => {
    // The route table and the endpoint that routes through it match: Enter picks the first, the table.
    await page.locator("#search").fill(net.rtPriv);
    await page.locator("#search").press("Enter");
    await page.waitForFunction((id) => document.querySelector("#details h2")?.textContent === `Route table ${id}`, net.rtPriv, WAIT);
    const details = await page.locator("#details").innerText();
    assert.ok(details.includes(net.vpce) && details.includes(net.pcx) && details.includes(net.priv), details);
    assert.match(details, /pl-[0-9a-f]+/);
    // Several hits are listed; picking one fills the details.
    await page.locator("#search").fill("10.81.");
    await page.locator(`#search-results .search-hit[data-id="${net.vpc}"]`).click();
    await page.waitForFunction((id) => document.querySelector("#details h2")?.textContent === `VPC ${id}`, net.vpc, WAIT);
    assert.ok((await page.locator("#details").innerText()).includes(HOSTILE_NAME));
    const injected = await page.evaluate(() => ({
      img: document.querySelectorAll("img").length,
      bold: document.querySelectorAll("aside b").length,
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
    }));
    assert.deepEqual(injected, { img: 0, bold: 0, xss: null });
    await page.locator("#search").fill("");
  });

  it("is readable at 1280×720: no overlapping panels, no sideways scroll, flow-log lines wrapped", async () => {
    // Flow-log records for the web server's ENI, to see them wrap.
    await send(net.web, "internet", 443);
    await advanceClock(f.server.url, 180_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await tapNode(page, net.eniWeb);
    await page.waitForFunction(() => (window as unknown as { __lvc: Lvc }).__lvc.flowLogLines > 0, undefined, WAIT);
    await waitReady(page, [net.eniWeb]);
    // No helper functions inside: tsx would name them with a helper the page does not have.
    const m = await page.evaluate(() => {
      const [header, graph, aside] = ["header", "#graph-area", "aside"].map((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return { l: r.left, r: r.right, t: r.top, b: r.bottom };
      }) as [
        { l: number; r: number; t: number; b: number },
        { l: number; r: number; t: number; b: number },
        { l: number; r: number; t: number; b: number },
      ];
      const panels = Array.from(document.querySelectorAll<HTMLElement>("aside > .panel"))
        .filter((p) => !p.hidden)
        .map((p) => ({
          id: p.id,
          l: p.getBoundingClientRect().left,
          r: p.getBoundingClientRect().right,
          sw: p.scrollWidth,
          cw: p.clientWidth,
        }));
      const log = document.querySelector<HTMLElement>("#flow-log-tail pre.log")!;
      return {
        vw: window.innerWidth,
        vh: window.innerHeight,
        docW: document.documentElement.scrollWidth,
        docH: document.documentElement.scrollHeight,
        header,
        graph,
        aside,
        panels,
        log: { sw: log.scrollWidth, cw: log.clientWidth, longest: Math.max(...log.textContent.split("\n").map((l) => l.length)) },
      };
    });
    const show = JSON.stringify(m);
    assert.equal(m.vw, 1280);
    assert.ok(m.docW <= m.vw, `the page scrolls sideways: ${show}`);
    assert.ok(m.docH <= m.vh, `the page scrolls down: ${show}`);
    assert.ok(m.header.b <= m.graph.t && m.header.b <= m.aside.t, `the header overlaps: ${show}`);
    assert.ok(m.graph.r <= m.aside.l, `the graph and the side panels overlap: ${show}`);
    assert.ok(m.aside.r <= m.vw && m.graph.b <= m.vh && m.aside.b <= m.vh, show);
    assert.ok(m.graph.r - m.graph.l >= 640, `the graph is too narrow to read: ${show}`);
    for (const p of m.panels) {
      assert.ok(p.l >= m.aside.l && p.r <= m.aside.r, `panel ${p.id} sticks out: ${show}`);
      assert.ok(p.sw <= p.cw, `panel ${p.id} scrolls sideways: ${show}`);
    }
    // A record is longer than the panel is wide, and wraps instead of scrolling.
    assert.ok(m.log.longest * 6 > m.log.cw, show);
    assert.ok(m.log.sw <= m.log.cw, `flow-log lines overflow: ${show}`);
    await screenshot(page, "console-1280x720");
  });
});
