/**
 * Bandwidth as AWS allots it (issue 21), through `POST /_localvpc/traffic/throughput` on instances built with the
 * real SDK: a card's cap shared fairly, no NIC teaming (a second interface on the same card gives the same
 * throughput), 5 Gbps per flow (10 in a cluster placement group), burst then baseline for "Up to" types.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreatePlacementGroupCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, useHarness } from "./harness.js";

interface Throughput {
  flows: { achievedGbps: number; burstGbps: number; burstSeconds: number; sustainedGbps: number; limitedBy: string; delivered: boolean }[];
  instances: {
    instanceId: string;
    burstSecondsLeft: number;
    cards: { cardIndex: number; baselineGbps: number; peakGbps: number; outGbps: number }[];
  }[];
}

describe("bandwidth", () => {
  const h = useHarness();
  const launch = async (subnetId: string, type: _InstanceType, placementGroup?: string): Promise<string> =>
    (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: type,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnetId,
          Placement: placementGroup !== undefined ? { GroupName: placementGroup } : undefined,
        }),
      )
    ).Instances![0]!.InstanceId!;
  const throughput = async (flows: { from: string; to: string; rate: string; port?: number }[], duration = "60s"): Promise<Throughput> => {
    const r = await adminCall<Throughput>(h, "POST", "traffic/throughput", { flows, duration });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const total = (t: Throughput): number => Math.round(t.flows.reduce((s, f) => s + f.achievedGbps, 0) * 1000) / 1000;

  it("two ENIs on one card give an instance the same throughput as one (no NIC teaming)", async () => {
    const { subnetId } = await createNetwork(h, "10.61.0.0/16", "10.61.1.0/24");
    const sender = await launch(subnetId, "m5.24xlarge"); // one card: 25 Gbps
    const receivers = [await launch(subnetId, "m5.24xlarge"), await launch(subnetId, "m5.24xlarge"), await launch(subnetId, "m5.24xlarge")];
    const six = (from: (i: number) => string) => [0, 1, 2, 3, 4, 5].map((i) => ({ from: from(i), to: receivers[i % 3]!, rate: "5Gbps" }));
    const one = await throughput(six(() => sender));
    assert.equal(total(one), 25);
    assert.ok(
      one.flows.every((f) => f.delivered && f.limitedBy === `${sender}/0/out`),
      JSON.stringify(one.flows),
    );

    const eni2 = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;
    await h.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni2, InstanceId: sender, DeviceIndex: 1, NetworkCardIndex: 0 }),
    );
    const two = await throughput(six((i) => (i % 2 === 0 ? sender : eni2)));
    assert.equal(total(two), total(one));
    const card = two.instances.find((x) => x.instanceId === sender)!.cards;
    assert.deepEqual(card, [{ cardIndex: 0, baselineGbps: 25, peakGbps: 25, outGbps: 25, inGbps: 0 }]);
  });

  it("one flow: 5 Gbps outside a cluster placement group, 10 Gbps inside one", async () => {
    const { subnetId } = await createNetwork(h, "10.62.0.0/16", "10.62.1.0/24");
    const a = await launch(subnetId, "m5.24xlarge");
    const b = await launch(subnetId, "m5.24xlarge");
    const outside = await throughput([{ from: a, to: b, rate: "8Gbps" }]);
    assert.deepEqual([outside.flows[0]!.achievedGbps, outside.flows[0]!.limitedBy], [5, "per-flow"]);
    await h.ec2.send(new CreatePlacementGroupCommand({ GroupName: "hpc", Strategy: "cluster" }));
    const c = await launch(subnetId, "m5.24xlarge", "hpc");
    const d = await launch(subnetId, "m5.24xlarge", "hpc");
    const inside = await throughput([{ from: c, to: d, rate: "12Gbps" }]);
    assert.deepEqual([inside.flows[0]!.achievedGbps, inside.flows[0]!.limitedBy], [10, "per-flow"]);
  });

  it("an 'Up to' type bursts to its peak for 5 minutes, then runs at its baseline", async () => {
    const { subnetId } = await createNetwork(h, "10.63.0.0/16", "10.63.1.0/24");
    const small = await launch(subnetId, "t3.micro"); // up to 5 Gbps, baseline 0.064
    const big = await launch(subnetId, "m5.24xlarge");
    const long = await throughput([{ from: small, to: big, rate: "1Gbps" }], "1h");
    assert.equal(long.flows[0]!.burstGbps, 1);
    assert.equal(long.flows[0]!.burstSeconds, 300);
    assert.equal(long.flows[0]!.sustainedGbps, 0.064);
    assert.equal(long.flows[0]!.achievedGbps, Math.round(((1 * 300 + 0.064 * 3300) / 3600) * 1e6) / 1e6);
    assert.equal(long.flows[0]!.limitedBy, `${small}/0/out`);
  });

  it("burst credits carry across runs: spent by a burst, earned back on the simulated clock (issue 21)", async () => {
    const { subnetId } = await createNetwork(h, "10.65.0.0/16", "10.65.1.0/24");
    const small = await launch(subnetId, "t3.micro"); // up to 5 Gbps, baseline 0.064
    const big = await launch(subnetId, "m5.24xlarge");
    const run = (duration: string) => throughput([{ from: small, to: big, rate: "1Gbps" }], duration);
    const leftOf = (t: Throughput) => t.instances.find((i) => i.instanceId === small)!.burstSecondsLeft;
    const first = await run("60s");
    assert.deepEqual([first.flows[0]!.achievedGbps, first.flows[0]!.burstSeconds, leftOf(first)], [1, 60, 240]);
    // Straight after: 240 s of burst left, then the baseline.
    const second = await run("10m");
    assert.equal(second.flows[0]!.burstSeconds, 240);
    assert.equal(second.flows[0]!.achievedGbps, Math.round(((1 * 240 + 0.064 * 360) / 600) * 1e6) / 1e6);
    assert.equal(leftOf(second), 0);
    const drained = await run("60s");
    assert.deepEqual([drained.flows[0]!.achievedGbps, drained.flows[0]!.burstSeconds], [0.064, 0]);
    // The m5.24xlarge (baseline = peak) never bursts, so it never runs short.
    assert.equal(drained.instances.find((i) => i.instanceId === big)!.burstSecondsLeft, 300);
    // A full burst is earned back over an hour of simulated time without bursting (localvpc's model: not documented).
    assert.equal((await adminCall(h, "POST", "clock/advance", { ms: 2 * 3600_000 })).status, 200);
    const rested = await run("60s");
    assert.deepEqual([rested.flows[0]!.achievedGbps, rested.flows[0]!.burstSeconds, leftOf(rested)], [1, 60, 240]);
  });

  it("to the internet: 5 Gbps in all under 32 vCPUs, half the bandwidth from 32 vCPUs up", async () => {
    // The default subnet is public: an instance there has a public IP and a route to the internet gateway.
    const { Subnets } = await h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    const subnetId = Subnets![0]!.SubnetId!;
    const four = (from: string) => [0, 1, 2, 3].map((p) => ({ from, to: "internet", rate: "4Gbps", port: 443 + p }));
    const small = await throughput(four(await launch(subnetId, "m5.2xlarge")));
    assert.equal(total(small), 5);
    assert.ok(
      small.flows.every((f) => f.delivered && f.limitedBy.endsWith("/internet")),
      JSON.stringify(small.flows),
    );
    const big = await throughput([...four(await launch(subnetId, "m5.24xlarge")), ...four(await launch(subnetId, "m5.24xlarge"))]);
    // Each m5.24xlarge (96 vCPUs, 25 Gbps): 12.5 Gbps to the internet, shared by its four flows.
    assert.equal(total(big), 25);
  });

  it("a dropped flow achieves nothing; bad rates are refused", async () => {
    const { subnetId } = await createNetwork(h, "10.64.0.0/16", "10.64.1.0/24");
    const a = await launch(subnetId, "m5.large");
    const t = await throughput([{ from: "internet", to: a, rate: "1Gbps" }]);
    assert.deepEqual([t.flows[0]!.delivered, t.flows[0]!.achievedGbps, t.flows[0]!.limitedBy], [false, 0, "dropped"]);
    const bad = await adminCall<{ error: string; message: string }>(h, "POST", "traffic/throughput", {
      flows: [{ from: a, to: a, rate: "fast" }],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, "InvalidParameterValue");
  });
});
