/**
 * The console's services on their ENIs (issues 17, 18, 21), against a running `localvpc serve` in Debian's chromium:
 * a Lambda function in a VPC is drawn with an edge to the Hyperplane ENI it uses, and the ENI's details name it; a
 * Network Load Balancer is drawn with an edge to its ENI and one to its instance target, red with AWS's reason code
 * while the target's security group blocks the health check, green once a rule allows it (the console redraws on the
 * change event); the load balancer's details list its targets' health; the Bandwidth panel shows the selected
 * instance's per-card caps as DescribeInstanceTypes gives them; an EKS node is marked on its instance, and its ENI
 * shows the pod IPs used (by which pod) and warm, as the pods route and DescribeNetworkInterfaces say. Screenshots go to test-artifacts/.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { admin, advanceClock } from "../e2e/byoip-fixtures.js";
import { screenshot, tapNode } from "./browser.js";
import { AMI, WAIT, useConsoleFixture, waitReady } from "./fixture.js";

const ACCOUNT = "777788889999";
const REGION = "us-east-1";
const ZIP = Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64");
const FN = "orders-fn";
const LB = "web-nlb";
const TG = "web-tg";

interface Lvc {
  bandwidthRenders: number;
  serviceNotes: readonly string[];
  cy: {
    getElementById(id: string): { length: number; data(k: string): unknown; emit(e: string): void };
    edges(sel?: string): { map<T>(f: (e: { id(): string; data(k: string): unknown }) => T): T[] };
  };
}

/** An edge's data as the page has it, or null when it is not drawn. */
const edgeData = (page: Page, id: string): Promise<{ health: string; label: string } | null> =>
  page.evaluate((i) => {
    const e = (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(i);
    // No helper function inside: the page has not tsx's name helper.
    const health: unknown = e.data("health");
    const label: unknown = e.data("label");
    return e.length ? { health: typeof health === "string" ? health : "", label: typeof label === "string" ? label : "" } : null;
  }, id);

const nodeData = (page: Page, id: string, key: string): Promise<string> =>
  page.evaluate(
    ([i, k]) => {
      const v: unknown = (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(i).data(k);
      return typeof v === "string" ? v : "";
    },
    [id, key] as const,
  );

const tap = (page: Page, id: string): Promise<void> => tapNode(page, id);

describe("web console: services on their ENIs, target health, bandwidth caps", () => {
  const f = useConsoleFixture({ account: ACCOUNT, region: REGION });
  let lambda: LambdaClient;
  let elb: ElasticLoadBalancingV2Client;
  const n = { vpc: "", subnet: "", web: "", instance: "", lambdaEni: "", lbEni: "", tgArn: "" };
  const targetEdge = (): string => `target:lb:${LB}:${TG}:${n.instance}:80`;

  before(async () => {
    const clientOpts = {
      endpoint: f.server.url,
      region: REGION,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: "x" },
      maxAttempts: 1,
    };
    lambda = new LambdaClient(clientOpts);
    elb = new ElasticLoadBalancingV2Client(clientOpts);
    n.vpc = (await f.ec2.send(new CreateVpcCommand({ CidrBlock: "10.93.0.0/16" }))).Vpc!.VpcId!;
    n.subnet = (
      await f.ec2.send(new CreateSubnetCommand({ VpcId: n.vpc, CidrBlock: "10.93.1.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    const fnSg = (await f.ec2.send(new CreateSecurityGroupCommand({ GroupName: "fn", Description: "fn", VpcId: n.vpc }))).GroupId!;
    n.web = (await f.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: n.vpc }))).GroupId!;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: FN,
        Role: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
        Runtime: "nodejs20.x",
        Handler: "index.handler",
        Code: { ZipFile: ZIP },
        VpcConfig: { SubnetIds: [n.subnet], SecurityGroupIds: [fnSg] },
      }),
    );
    n.instance = (
      await f.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: n.subnet,
          SecurityGroupIds: [n.web],
        }),
      )
    ).Instances![0]!.InstanceId!;
    n.tgArn = (
      await elb.send(new CreateTargetGroupCommand({ Name: TG, Protocol: "TCP", Port: 80, VpcId: n.vpc, TargetType: "instance" }))
    ).TargetGroups![0]!.TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: n.tgArn, Targets: [{ Id: n.instance }] }));
    const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: LB, Type: "network", Scheme: "internal", Subnets: [n.subnet] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: "TCP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: n.tgArn }],
      }),
    );
    // The function goes Active, the NLB active, and the first health verdict is in (5 × 30 s).
    await advanceClock(f.server.url, 200_000);
    const enis = (await f.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [n.vpc] }] })))
      .NetworkInterfaces!;
    n.lambdaEni = enis.find((e) => e.InterfaceType === "lambda")!.NetworkInterfaceId!;
    n.lbEni = enis.find((e) => e.Description?.startsWith(`ELB net/${LB}/`))!.NetworkInterfaceId!;
  });

  it("draws the function on its Hyperplane ENI and the NLB on its ENI, with the target's health from DescribeTargetHealth", async () => {
    const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: n.tgArn }))).TargetHealthDescriptions![0]!
      .TargetHealth!;
    assert.equal(health.State, "unhealthy");
    const page = await f.openReady([`fn:${FN}`, `lb:${LB}`, n.lambdaEni, n.lbEni, n.instance]);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __lvc: Lvc }).__lvc.serviceNotes), []);
    // Both service nodes sit in the VPC's Services column.
    assert.equal(await nodeData(page, `fn:${FN}`, "parent"), `col:svcs:${n.vpc}`);
    assert.equal(await nodeData(page, `lb:${LB}`, "parent"), `col:svcs:${n.vpc}`);
    assert.ok(await edgeData(page, `uses:fn:${FN}:${n.lambdaEni}`), "function → its Hyperplane ENI");
    assert.ok(await edgeData(page, `lb-eni:lb:${LB}:${n.lbEni}`), "load balancer → its ENI");
    assert.match(await nodeData(page, n.lambdaEni, "label"), new RegExp(`λ ${FN}`));
    const blocked = await edgeData(page, targetEdge());
    assert.deepEqual(blocked, { health: "unhealthy", label: `${TG}:80 unhealthy\n${health.Reason!}` });
    assert.equal(await nodeData(page, `lb:${LB}`, "health"), "down");
    assert.match(await nodeData(page, `lb:${LB}`, "label"), /0\/1 targets healthy/);

    // The load balancer's details: its ENI, listener, and the target with state and reason code.
    await tap(page, `lb:${LB}`);
    await page.waitForFunction((name) => document.querySelector("#details h2")?.textContent.endsWith(name) === true, LB, WAIT);
    const details = await page.locator("#details").innerText();
    assert.ok(details.includes(n.lbEni), details);
    assert.ok(details.includes("TCP:80"), details);
    assert.ok(details.includes(n.instance), details);
    assert.equal(await page.locator("#details .health.unhealthy .reason").innerText(), ` ${health.Reason!}`);

    // The Lambda ENI's details name the function that uses it.
    await tap(page, n.lambdaEni);
    await page.waitForFunction((id) => document.querySelector("#details h2")?.textContent === `ENI ${id}`, n.lambdaEni, WAIT);
    assert.ok((await page.locator("#details .eni-services").innerText()).includes(FN));
    await screenshot(page, "services-map-unhealthy");

    // A rule that lets the VPC reach port 80 makes the target healthy; the map redraws on the change event.
    await f.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: n.web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.93.0.0/16" }] }],
      }),
    );
    const now = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: n.tgArn }))).TargetHealthDescriptions![0]!.TargetHealth!;
    assert.equal(now.State, "healthy");
    await page.waitForFunction(
      (id) => (window as unknown as { __lvc: Lvc }).__lvc.cy.getElementById(id).data("health") === "healthy",
      targetEdge(),
      WAIT,
    );
    await waitReady(page, [`lb:${LB}`]);
    assert.deepEqual(await edgeData(page, targetEdge()), { health: "healthy", label: `${TG}:80 healthy` });
    assert.equal(await nodeData(page, `lb:${LB}`, "health"), "all");
    await screenshot(page, "services-map-healthy");
    await page.close();
  });

  it("shows the selected instance's per-card baseline and peak caps in the Bandwidth panel", async () => {
    const type = (await f.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t3.micro"] }))).InstanceTypes![0]!.NetworkInfo!;
    const cards = type.NetworkCards ?? [];
    assert.ok(cards.length > 0, "the type data has network cards");
    const page = await f.openReady([n.instance]);
    const before = await page.evaluate(() => (window as unknown as { __lvc: Lvc }).__lvc.bandwidthRenders);
    await tap(page, n.instance);
    await page.waitForFunction((b) => (window as unknown as { __lvc: Lvc }).__lvc.bandwidthRenders > b, before, WAIT);
    const rows = await page
      .locator("#bandwidth-caps tr[data-card]")
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent)));
    assert.deepEqual(
      rows.map((r) => r.slice(0, 3)),
      cards.map((c) => {
        const peak = c.PeakBandwidthInGbps ?? 0;
        const baseline = c.BaselineBandwidthInGbps ?? peak;
        return [String(c.NetworkCardIndex ?? 0), `${baseline} Gbps`, `${peak || baseline} Gbps`];
      }),
    );
    // The instance's primary ENI is on card 0.
    assert.ok(rows[0]![3]!.includes("eni-"), JSON.stringify(rows));
    assert.ok((await page.locator("#bandwidth").innerText()).includes(type.NetworkPerformance!));
    await screenshot(page, "services-map-bandwidth");
    await page.close();
  });

  it("marks an EKS node and shows, per node ENI, the pod IPs used and warm", async () => {
    const eks = new EKSClient({
      endpoint: f.server.url,
      region: REGION,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const b = (await f.ec2.send(new CreateSubnetCommand({ VpcId: n.vpc, CidrBlock: "10.93.2.0/24", AvailabilityZone: "us-east-1b" })))
      .Subnet!.SubnetId!;
    await eks.send(
      new CreateClusterCommand({
        name: "k1",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`,
        resourcesVpcConfig: { subnetIds: [n.subnet, b] },
      }),
    );
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: "k1",
        nodegroupName: "ng",
        nodeRole: `arn:aws:iam::${ACCOUNT}:role/node`,
        subnets: [b],
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
      }),
    );
    const scaled = (await admin(f.server.url, "eks/pods", {
      account: ACCOUNT,
      region: REGION,
      cluster: "k1",
      nodegroup: "ng",
      replicas: 3,
    })) as {
      pods: { name: string; state: string; ip?: string; eni?: string }[];
    };
    const running = scaled.pods.filter((p) => p.state === "Running");
    assert.equal(running.length, 3);
    const node = (await f.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:eks:nodegroup-name", Values: ["ng"] }] })))
      .Reservations![0]!.Instances![0]!;
    const podEni = running[0]!.eni!;
    const eni = (await f.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [podEni] }))).NetworkInterfaces![0]!;
    const onEni = running.filter((p) => p.eni === podEni);
    const secondaries = eni.PrivateIpAddresses!.filter((p) => !p.Primary).map((p) => p.PrivateIpAddress!);
    const warm = secondaries.filter((ip) => !onEni.some((p) => p.ip === ip));
    assert.equal(eni.Attachment?.InstanceId, node.InstanceId);

    const page = await f.openReady([node.InstanceId!, podEni]);
    assert.equal(await nodeData(page, node.InstanceId!, "eks"), "yes");
    assert.match(await nodeData(page, node.InstanceId!, "label"), /EKS k1\/ng/);
    assert.match(await nodeData(page, podEni, "label"), new RegExp(`pods ${onEni.length} used · ${warm.length} warm`));
    await tap(page, podEni);
    await page.waitForFunction((id) => document.querySelector("#details h2")?.textContent === `ENI ${id}`, podEni, WAIT);
    const used = await page.locator("#details .pod-ip.used").allInnerTexts();
    assert.deepEqual(used.sort(), onEni.map((p) => `${p.ip!} used by ${p.name}`).sort());
    const warmShown = await page.locator("#details .pod-ip.warm").allInnerTexts();
    assert.deepEqual(warmShown.sort(), warm.map((ip) => `${ip} warm`).sort());
    await screenshot(page, "services-map-eks");
    await page.close();
    eks.destroy();
  });
});
