/**
 * BYOIP survives restarts of `localvpc serve --data FILE --byoip-provision-delay 7d` end to end (issue 14, "nothing
 * lost on restart"): ranges in every state (advertised, provisioned, pending-provision, failed-provision with its
 * statusMessage) keep their state, their address pools and the EIPs allocated from them; the simulated world (RDAP,
 * ROAs, the internet's BGP view) is kept; a range still pending when the server stops settles after the restart when
 * the simulated clock reaches its time; the clock offset is kept, so a new instance's LaunchTime is not before an old
 * one's. One clean SIGTERM restart, then one after kill -9. (The clock's own restart rules: restart-clock.test.ts.)
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdvertiseByoipCidrCommand,
  AllocateAddressCommand,
  DescribeAddressesCommand,
  DescribeByoipCidrsCommand,
  DescribeInstancesCommand,
  DescribePublicIpv4PoolsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ProvisionByoipCidrCommand,
  RunInstancesCommand,
  WithdrawByoipCidrCommand,
} from "@aws-sdk/client-ec2";
import { spawnServe, type ServeProcess } from "../cli/serve-process.js";
import { makePki, message, signMessage, type Pki } from "./byoip-fixtures.js";

const ACCOUNT = "000000000000";
const WEEK_MS = 7 * 86_400_000;
const AL2023_X86 = "ami-0a1b2c3d4e5f60001";
/** Advertised before the restarts (withdrawn before the kill -9), with an EIP from its pool. */
const ADVERTISED = "203.0.113.0/24";
/** Provisioned, never advertised. */
const PROVISIONED = "198.51.100.0/24";
/** Provisioned just before the first stop: still pending-provision then, settles after the restart. */
const PENDING = "203.0.112.0/24";
/** Not registered with any RIR: failed-provision, with AWS's statusMessage. */
const FAILED = "192.0.2.0/24";
const FAILED_MESSAGE = "The address range 192.0.2.0/24 is not registered with a Regional Internet Registry (no RDAP record found).";

interface BgpView {
  announcements: { prefix: string; originAsn: number; network: string; rpki: string; accepted: boolean }[];
}
interface ClockView {
  offsetMs: number;
  now: string;
}

describe("BYOIP across restarts (--data FILE, --byoip-provision-delay 7d)", () => {
  let dir: string;
  let dbPath: string;
  let pki: Pki;
  let server: ServeProcess | undefined;
  let ec2: EC2Client | undefined;
  // What the first server left, for the restarts to compare with.
  let poolId = "";
  let allocationId = "";
  let publicIp = "";
  let firstLaunch: { id: string; at: Date } | undefined;

  const serve = async (): Promise<EC2Client> => {
    ec2?.destroy();
    await server?.stop("SIGKILL"); // a step that failed left its server running
    server = await spawnServe(["--port", "0", "--data", dbPath, "--log-level", "silent", "--byoip-provision-delay", "7d"]);
    ec2 = new EC2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    return ec2;
  };
  /** An admin call; every POST sends its JSON body with content-type: application/json. Asserts a 200 answer. */
  const admin = async <T>(method: "GET" | "POST", path: string, body?: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${server!.url}/_localvpc/${path}`, {
      method,
      ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) } : {}),
    });
    const answer = (await res.json()) as T;
    assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(answer)}`);
    return answer;
  };
  /** The RIR record, the certificate in it and Amazon's two ROAs (byoip-fixtures' prepareWorld, with content-type). */
  const prepareWorld = async (cidr: string): Promise<void> => {
    await admin("POST", "rir/register", { cidr, rir: "ARIN", org: "Example Corp" });
    await admin("POST", "rir/publish-cert", { cidr, certificate: pki.certificate });
    await admin("POST", "rir/roa", { cidr, asns: [16509, 14618], maxLength: Number(cidr.split("/")[1]) });
  };
  const provision = async (client: EC2Client, cidr: string): Promise<string | undefined> => {
    const msg = message(ACCOUNT, cidr);
    const { ByoipCidr } = await client.send(
      new ProvisionByoipCidrCommand({
        Cidr: cidr,
        CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) },
        Description: `restart ${cidr}`,
      }),
    );
    assert.equal(ByoipCidr?.Cidr, cidr);
    return ByoipCidr.State;
  };
  /** CIDR → state (and statusMessage where there is one), as DescribeByoipCidrs answers. */
  const byoipStates = async (client: EC2Client): Promise<Record<string, string>> => {
    const { ByoipCidrs = [] } = await client.send(new DescribeByoipCidrsCommand({ MaxResults: 100 }));
    return Object.fromEntries(
      ByoipCidrs.map((c) => [c.Cidr ?? "?", c.StatusMessage ? `${c.State ?? "?"}: ${c.StatusMessage}` : (c.State ?? "?")]),
    );
  };
  const advance = (ms: number): Promise<ClockView> => admin<ClockView>("POST", "clock/advance", { ms });
  const launch = async (client: EC2Client): Promise<{ id: string; at: Date }> => {
    const { Instances = [] } = await client.send(
      new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
    );
    const [i] = Instances;
    assert.ok(i?.InstanceId && i.LaunchTime, "RunInstances answered an instance with a LaunchTime");
    return { id: i.InstanceId, at: i.LaunchTime };
  };
  /** The pool of ADVERTISED and the EIP from it are as the first server left them. */
  const assertPoolAndAddressKept = async (client: EC2Client): Promise<void> => {
    const { PublicIpv4Pools = [] } = await client.send(new DescribePublicIpv4PoolsCommand({}));
    const pool = PublicIpv4Pools.find((p) => p.PoolId === poolId);
    assert.ok(pool, `pool ${poolId} is still there`);
    assert.deepEqual(pool.PoolAddressRanges, [
      { FirstAddress: "203.0.113.0", LastAddress: "203.0.113.255", AddressCount: 256, AvailableAddressCount: 255 },
    ]);
    const { Addresses = [] } = await client.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }));
    assert.deepEqual(
      Addresses.map((a) => [a.AllocationId, a.PublicIp, a.PublicIpv4Pool]),
      [[allocationId, publicIp, poolId]],
    );
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "localvpc-byoip-restart-"));
    dbPath = join(dir, "state.db");
    pki = makePki();
  });
  after(async () => {
    ec2?.destroy();
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it("provisions on the simulated clock, advertises and allocates, then stops with SIGTERM", async () => {
    const client = await serve();
    for (const cidr of [ADVERTISED, PROVISIONED, PENDING]) await prepareWorld(cidr);
    assert.equal(await provision(client, ADVERTISED), "pending-provision");
    assert.equal(await provision(client, PROVISIONED), "pending-provision");
    assert.equal(await provision(client, FAILED), "pending-provision");
    assert.deepEqual(await byoipStates(client), {
      [ADVERTISED]: "pending-provision",
      [PROVISIONED]: "pending-provision",
      [FAILED]: "pending-provision",
    });
    firstLaunch = await launch(client);

    assert.equal((await advance(WEEK_MS - 60_000)).offsetMs, WEEK_MS - 60_000);
    assert.equal((await byoipStates(client))[ADVERTISED], "pending-provision", "not settled a minute before the delay");
    assert.equal((await advance(60_000)).offsetMs, WEEK_MS);
    assert.equal(await provision(client, PENDING), "pending-provision");
    await client.send(new AdvertiseByoipCidrCommand({ Cidr: ADVERTISED }));
    assert.deepEqual(await byoipStates(client), {
      [ADVERTISED]: "advertised",
      [PROVISIONED]: "provisioned",
      [PENDING]: "pending-provision",
      [FAILED]: `failed-provision: ${FAILED_MESSAGE}`,
    });

    const { PublicIpv4Pools = [] } = await client.send(new DescribePublicIpv4PoolsCommand({}));
    assert.equal(PublicIpv4Pools.length, 2, "a pool for each provisioned range");
    poolId = PublicIpv4Pools.find((p) => p.PoolAddressRanges?.[0]?.FirstAddress === "203.0.113.0")?.PoolId ?? "";
    assert.match(poolId, /^ipv4pool-ec2-[0-9a-f]{17}$/);
    const eip = await client.send(new AllocateAddressCommand({ Domain: "vpc", PublicIpv4Pool: poolId }));
    allocationId = eip.AllocationId ?? "";
    publicIp = eip.PublicIp ?? "";
    assert.match(publicIp, /^203\.0\.113\.\d+$/);
    await assertPoolAndAddressKept(client);
    const bgp = await admin<BgpView>("GET", "bgp?address=203.0.113.7");
    assert.deepEqual(
      bgp.announcements.map((a) => [a.prefix, a.originAsn, a.network, a.rpki, a.accepted]),
      [[ADVERTISED, 16509, "aws", "Valid", true]],
    );

    assert.deepEqual(await server!.stop("SIGTERM"), { code: 0, signal: null }, "clean exit on SIGTERM");
  });

  it("after a SIGTERM restart: every state, pool, EIP, the BGP view and the clock are kept; the pending range settles", async () => {
    assert.ok(poolId && allocationId && firstLaunch, "the first step ran");
    const client = await serve();
    assert.deepEqual(await byoipStates(client), {
      [ADVERTISED]: "advertised",
      [PROVISIONED]: "provisioned",
      [PENDING]: "pending-provision",
      [FAILED]: `failed-provision: ${FAILED_MESSAGE}`,
    });
    const clock = await admin<ClockView>("GET", "clock");
    assert.equal(clock.offsetMs, WEEK_MS, "the clock offset survived the restart");
    await assertPoolAndAddressKept(client);
    const bgp = await admin<BgpView>("GET", "bgp?address=203.0.113.7");
    assert.deepEqual(
      bgp.announcements.map((a) => [a.prefix, a.originAsn, a.accepted]),
      [[ADVERTISED, 16509, true]],
      "AWS still announces the advertised range",
    );
    // LaunchTime comes from the simulated clock: a week ahead, so never before the first server's launch.
    const second = await launch(client);
    assert.ok(second.at.getTime() >= firstLaunch.at.getTime(), `${second.at.toISOString()} >= ${firstLaunch.at.toISOString()}`);
    assert.ok(second.at.getTime() - firstLaunch.at.getTime() >= WEEK_MS - 60_000, "a week of simulated time between the launches");
    const { Reservations = [] } = await client.send(new DescribeInstancesCommand({ InstanceIds: [firstLaunch.id] }));
    assert.equal(Reservations[0]?.Instances?.[0]?.LaunchTime?.toISOString(), firstLaunch.at.toISOString(), "the old LaunchTime is kept");

    // The pending range's settle time was kept: a minute short it is still pending, then provisioned.
    await advance(WEEK_MS - 60_000);
    assert.equal((await byoipStates(client))[PENDING], "pending-provision");
    await advance(60_000);
    assert.equal((await byoipStates(client))[PENDING], "provisioned");
    // A week after the advertisement, the 10-second throttle does not apply: withdraw, then kill -9.
    const { ByoipCidr } = await client.send(new WithdrawByoipCidrCommand({ Cidr: ADVERTISED }));
    assert.equal(ByoipCidr?.State, "pending-withdrawal");
    const exit = await server!.stop("SIGKILL");
    assert.equal(exit.signal, "SIGKILL");
  });

  it("after kill -9: the withdrawal, the settled range and two weeks of simulated time are kept", async () => {
    assert.ok(poolId && allocationId, "the first step ran");
    const client = await serve();
    assert.deepEqual(await byoipStates(client), {
      [ADVERTISED]: "provisioned",
      [PROVISIONED]: "provisioned",
      [PENDING]: "provisioned",
      [FAILED]: `failed-provision: ${FAILED_MESSAGE}`,
    });
    assert.equal((await admin<ClockView>("GET", "clock")).offsetMs, 2 * WEEK_MS);
    await assertPoolAndAddressKept(client);
    const bgp = await admin<BgpView>("GET", "bgp?address=203.0.113.7");
    assert.deepEqual(bgp.announcements, [], "nobody announces the withdrawn range");
    const { PublicIpv4Pools = [] } = await client.send(new DescribePublicIpv4PoolsCommand({}));
    assert.equal(PublicIpv4Pools.length, 3, "a pool for each provisioned range, the late one included");
    // The server answers normally: one default VPC, not bootstrapped again.
    const { Vpcs = [] } = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
    assert.equal(Vpcs.length, 1);
    assert.deepEqual(await server!.stop("SIGTERM"), { code: 0, signal: null });
  });
});
