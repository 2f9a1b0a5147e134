/**
 * BYOIP end to end with the real SDK (spec §5, issue 4): ProvisionByoipCidr's synchronous rules and its
 * asynchronous verification on the simulated clock against the simulated registry (RDAP certificate, ROAs,
 * reputation), every failure path (AWS's error with nothing changed, or failed-provision with a precise
 * statusMessage and nothing else changed), Advertise/Withdraw (exact range, states, once per 10 s), Deprovision
 * preconditions, the pools (DescribePublicIpv4Pools, DescribeIpv6Pools, GetAssociatedIpv6PoolCidrs, AllocateAddress
 * PublicIpv4Pool/Address, CreateVpc/AssociateVpcCidrBlock Ipv6Pool), and the BGP and RDAP views.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AdvertiseByoipCidrCommand,
  AllocateAddressCommand,
  AssociateVpcCidrBlockCommand,
  CreateVpcCommand,
  DeprovisionByoipCidrCommand,
  DescribeByoipCidrsCommand,
  DescribeIpv6PoolsCommand,
  DescribePublicIpv4PoolsCommand,
  DisassociateVpcCidrBlockCommand,
  GetAssociatedIpv6PoolCidrsCommand,
  ProvisionByoipCidrCommand,
  ReleaseAddressCommand,
  WithdrawByoipCidrCommand,
  type ByoipCidr,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { expectError, expectErrorNoChange, rawQuery, useHarness, type StateDump } from "./harness.js";
import { admin, advanceClock, makePki, message, prepareWorld, signMessage, type Pki } from "./byoip-fixtures.js";

const ACCOUNT = "000000000000";
const WEEK = 7 * 86_400_000;

describe("BYOIP", () => {
  const h = useHarness({ byoipProvisionDelayMs: WEEK });
  let pki: Pki;
  before(() => {
    pki = makePki();
  });

  const provision = (cidr: string, o: { msg?: string; signature?: string; client?: EC2Client; advertisable?: boolean } = {}) => {
    const msg = o.msg ?? message(ACCOUNT, cidr);
    return (o.client ?? h.ec2).send(
      new ProvisionByoipCidrCommand({
        Cidr: cidr,
        CidrAuthorizationContext: { Message: msg, Signature: o.signature ?? signMessage(pki.keyPem, msg) },
        PubliclyAdvertisable: o.advertisable,
        Description: "test range",
      }),
    );
  };
  const byoipCidrs = async (client: EC2Client = h.ec2): Promise<ByoipCidr[]> =>
    (await client.send(new DescribeByoipCidrsCommand({ MaxResults: 100 }))).ByoipCidrs ?? [];
  const stateOf = async (cidr: string): Promise<ByoipCidr | undefined> => (await byoipCidrs()).find((c) => c.Cidr === cidr);
  const provisioned = async (cidr: string): Promise<string> => {
    await prepareWorld(h.vpc.url, pki, cidr);
    await provision(cidr);
    await advanceClock(h.vpc.url, WEEK);
    assert.equal((await stateOf(cidr))?.State, "provisioned");
    const { PublicIpv4Pools } = await h.ec2.send(new DescribePublicIpv4PoolsCommand({}));
    return PublicIpv4Pools!.find((p) => p.PoolAddressRanges?.[0]?.FirstAddress === cidr.split("/")[0])!.PoolId!;
  };

  describe("provisioning", () => {
    it("is pending for the configured delay, then provisioned with an address pool of every address", async () => {
      await prepareWorld(h.vpc.url, pki, "203.0.113.0/24");
      const { ByoipCidr } = await provision("203.0.113.0/24");
      assert.deepEqual(ByoipCidr, {
        Cidr: "203.0.113.0/24",
        Description: "test range",
        State: "pending-provision",
        NetworkBorderGroup: "us-east-1",
      });
      await advanceClock(h.vpc.url, WEEK - 60_000);
      assert.equal((await stateOf("203.0.113.0/24"))?.State, "pending-provision");
      assert.deepEqual((await h.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools ?? [], []);
      await advanceClock(h.vpc.url, 60_000);
      assert.equal((await stateOf("203.0.113.0/24"))?.State, "provisioned");
      const pool = (await h.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools![0]!;
      assert.match(pool.PoolId!, /^ipv4pool-ec2-[0-9a-f]{17}$/);
      assert.deepEqual(pool.PoolAddressRanges, [
        { FirstAddress: "203.0.113.0", LastAddress: "203.0.113.255", AddressCount: 256, AvailableAddressCount: 256 },
      ]);
      assert.equal(pool.TotalAddressCount, 256);
      assert.equal(pool.NetworkBorderGroup, "us-east-1");
    });

    it("a range registered as a larger block is verified against that block's RDAP record and ROA", async () => {
      await prepareWorld(h.vpc.url, pki, "198.51.100.0/24", {
        registered: "198.51.100.0/22",
        roaPrefix: "198.51.100.0/22",
        maxLength: 24,
        rir: "RIPE",
      });
      await provision("198.51.100.0/24");
      await advanceClock(h.vpc.url, WEEK);
      assert.equal((await stateOf("198.51.100.0/24"))?.State, "provisioned");
    });

    it("host bits are accepted and the CIDR echoed as given", async () => {
      await prepareWorld(h.vpc.url, pki, "203.0.113.0/24");
      const { ByoipCidr } = await provision("203.0.113.25/24");
      assert.equal(ByoipCidr!.Cidr, "203.0.113.25/24");
      await advanceClock(h.vpc.url, WEEK);
      assert.equal((await stateOf("203.0.113.25/24"))?.State, "provisioned");
    });
  });

  describe("failed verification: failed-provision with a precise statusMessage, nothing else changed", () => {
    const onlyByoipAdded = (before: StateDump, after: StateDump): void => {
      const strip = (s: StateDump) => ({
        ...s,
        resources: s.resources.filter((r) => r.kind !== "byoip-cidr"),
        kindCounts: s.kindCounts.filter((k) => k.kind !== "byoip-cidr"),
      });
      assert.deepEqual(strip(after), strip(before));
      assert.equal(after.resources.filter((r) => r.kind === "byoip-cidr").length, 1);
    };
    const cases: { name: string; setup?: Parameters<typeof prepareWorld>[3]; msg?: string; tamper?: boolean; status: RegExp }[] = [
      {
        name: "wrong account in the message",
        msg: message("111122223333", "203.0.113.0/24"),
        status: /^The authorization message is for account 111122223333, not for your account 000000000000\.$/,
      },
      {
        name: "expired message",
        msg: message(ACCOUNT, "203.0.113.0/24", "20200101"),
        status: /^The authorization message expired on 20200101\.$/,
      },
      {
        name: "CIDR in the message differs",
        msg: message(ACCOUNT, "203.0.113.0/23"),
        status: /is for CIDR 203\.0\.113\.0\/23, not for the CIDR being provisioned, 203\.0\.113\.0\/24\./,
      },
      {
        name: "tampered signature",
        tamper: true,
        status:
          /^The signature of the authorization message does not verify with the certificate published in the RDAP record of 203\.0\.113\.0\/24 \(RSASSA-PSS, SHA-256, salt length 32\)\.$/,
      },
      {
        name: "certificate not published",
        setup: { publishCertificate: false },
        status:
          /^No X\.509 certificate is published in the RDAP record of 203\.0\.113\.0\/24 \(ARIN: add it to the range's Public Comments\)\.$/,
      },
      {
        name: "missing ROA for AS14618",
        setup: { roaAsns: [16509] },
        status: /^No ROA authorizes AS14618 to originate 203\.0\.113\.0\/24\.$/,
      },
      {
        name: "ROA maxLength too short",
        setup: { roaPrefix: "203.0.112.0/22", maxLength: 23, registered: "203.0.112.0/22" },
        status:
          /^The ROA for AS16509 covering 203\.0\.113\.0\/24 has maxLength \/23, shorter than the prefix length \/24; maxLength must be \/24\.$/,
      },
      {
        name: "listed reputation",
        setup: { listed: "Spamhaus SBL SBL123456" },
        status:
          /^The address range 203\.0\.113\.0\/24 does not have a clean reputation: 203\.0\.113\.0\/24 is listed \(Spamhaus SBL SBL123456\)\.$/,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        await prepareWorld(h.vpc.url, pki, "203.0.113.0/24", c.setup);
        const before = await h.state();
        const msg = c.msg ?? message(ACCOUNT, "203.0.113.0/24");
        await provision("203.0.113.0/24", c.tamper ? { msg, signature: signMessage(pki.keyPem, `${msg} `) } : { msg });
        await advanceClock(h.vpc.url, WEEK);
        const got = await stateOf("203.0.113.0/24");
        assert.equal(got?.State, "failed-provision");
        assert.match(got.StatusMessage ?? "", c.status);
        assert.deepEqual((await h.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools ?? [], []);
        onlyByoipAdded(before, await h.state());
      });
    }

    it("a range not registered with any RIR", async () => {
      await provision("192.0.2.0/24");
      await advanceClock(h.vpc.url, WEEK);
      const got = await stateOf("192.0.2.0/24");
      assert.equal(got?.State, "failed-provision");
      assert.equal(
        got.StatusMessage,
        "The address range 192.0.2.0/24 is not registered with a Regional Internet Registry (no RDAP record found).",
      );
    });

    it("a certificate from another key pair", async () => {
      const other = makePki("/CN=someone-else");
      await prepareWorld(h.vpc.url, other, "203.0.113.0/24");
      await provision("203.0.113.0/24");
      await advanceClock(h.vpc.url, WEEK);
      assert.match((await stateOf("203.0.113.0/24"))?.StatusMessage ?? "", /does not verify with the certificate/);
    });

    it("re-running Provision after fixing the world replaces the failed range", async () => {
      await prepareWorld(h.vpc.url, pki, "203.0.113.0/24", { roaAsns: [16509] });
      await provision("203.0.113.0/24");
      await advanceClock(h.vpc.url, WEEK);
      assert.equal((await stateOf("203.0.113.0/24"))?.State, "failed-provision");
      await admin(h.vpc.url, "rir/roa", { cidr: "203.0.113.0/24", asns: [14618], maxLength: 24 });
      await provision("203.0.113.0/24");
      await advanceClock(h.vpc.url, WEEK);
      const all = await byoipCidrs();
      assert.deepEqual(
        all.map((c) => [c.Cidr, c.State]),
        [["203.0.113.0/24", "provisioned"]],
      );
    });
  });

  describe("synchronous errors change nothing", () => {
    it("a /25 is too specific", async () => {
      await expectErrorNoChange(
        h,
        () => provision("203.0.113.0/25"),
        "InvalidParameterValue",
        "Value (203.0.113.0/25) for parameter cidr is invalid. The most specific prefix for IPv4 is /24.",
      );
    });
    it("an advertisable IPv6 /56 is too specific; /48 is the limit", async () => {
      await expectErrorNoChange(
        h,
        () => provision("2001:db8::/56"),
        "InvalidParameterValue",
        "Value (2001:db8::/56) for parameter cidr is invalid. The most specific prefix for publicly advertised IPv6 is /48.",
      );
    });
    it("a malformed CIDR", async () => {
      await expectErrorNoChange(
        h,
        () => provision("203.0.113.0"),
        "InvalidParameterValue",
        "Value (203.0.113.0) for parameter cidr is invalid.",
      );
    });
    it("overlap with a range another account brought", async () => {
      const other = h.client("111122223333");
      await prepareWorld(h.vpc.url, pki, "203.0.112.0/23");
      const msg = message("111122223333", "203.0.112.0/23");
      await provision("203.0.112.0/23", { client: other, msg });
      await expectErrorNoChange(
        h,
        () => provision("203.0.113.0/24"),
        "InvalidParameterValue",
        "The CIDR 203.0.113.0/24 overlaps with an address range that has already been provisioned to an AWS account.",
      );
      other.destroy();
    });
    it("overlap with a range the same account brought to another Region", async () => {
      const west = h.client("test", "us-west-2");
      await provision("203.0.113.0/24", { client: west });
      await expectErrorNoChange(
        h,
        () => provision("203.0.113.0/24"),
        "InvalidParameterValue",
        "The CIDR 203.0.113.0/24 overlaps with an address range that has already been provisioned to an AWS account.",
      );
      west.destroy();
    });
    it("a sixth range in a Region", async () => {
      for (let i = 1; i <= 5; i++) await provision(`198.18.${i}.0/24`);
      await expectErrorNoChange(
        h,
        () => provision("198.18.6.0/24"),
        "ResourceLimitExceeded",
        "The number of BYOIP CIDRs for this account has reached the maximum allowed limit.",
      );
    });
    it("an advertisable range without CidrAuthorizationContext", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "203.0.113.0/24" })),
        "MissingParameter",
        "The request must contain the parameter cidrAuthorizationContext",
      );
    });
    it("PubliclyAdvertisable=false for IPv4", async () => {
      await expectErrorNoChange(
        h,
        () => provision("203.0.113.0/24", { advertisable: false }),
        "InvalidParameterCombination",
        "PubliclyAdvertisable=false is only supported for IPv6 address ranges, not 203.0.113.0/24.",
      );
    });
    it("DryRun validates fully and changes nothing", async () => {
      const msg = message(ACCOUNT, "203.0.113.0/24");
      const dry = (cidr: string) =>
        h.ec2.send(
          new ProvisionByoipCidrCommand({
            Cidr: cidr,
            DryRun: true,
            CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) },
          }),
        );
      await expectErrorNoChange(
        h,
        () => dry("203.0.113.0/24"),
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
        412,
      );
      await expectErrorNoChange(
        h,
        () => dry("203.0.113.0/25"),
        "InvalidParameterValue",
        "Value (203.0.113.0/25) for parameter cidr is invalid. The most specific prefix for IPv4 is /24.",
      );
    });
    it("DescribeByoipCidrs pages with MaxResults/NextToken", async () => {
      for (let i = 1; i <= 3; i++) await provision(`198.18.${i}.0/24`);
      const first = await h.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 2 }));
      assert.deepEqual(
        first.ByoipCidrs!.map((c) => c.Cidr),
        ["198.18.1.0/24", "198.18.2.0/24"],
      );
      const second = await h.ec2.send(new DescribeByoipCidrsCommand({ MaxResults: 2, NextToken: first.NextToken! }));
      assert.deepEqual(
        second.ByoipCidrs!.map((c) => c.Cidr),
        ["198.18.3.0/24"],
      );
      assert.equal(second.NextToken, undefined);
    });
    it("DescribeByoipCidrs requires MaxResults", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "DescribeByoipCidrs", Version: "2016-11-15" });
      assert.equal(r.status, 400);
      assert.match(r.body, /<Code>MissingParameter<\/Code>/);
      assert.match(r.body, /MaxResults/i);
    });
  });

  describe("advertise, withdraw, deprovision", () => {
    it("advertise → advertised (AWS receives the range) → withdraw → provisioned, once per 10 s each", async () => {
      await provisioned("203.0.113.0/24");
      const adv = await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      assert.equal(adv.ByoipCidr!.State, "pending-advertising");
      assert.equal((await stateOf("203.0.113.0/24"))?.State, "advertised");
      const bgp = (await (await fetch(`${h.vpc.url}/_localvpc/bgp?address=203.0.113.7`)).json()) as {
        announcements: unknown[];
        receiver: Record<string, unknown>;
      };
      assert.deepEqual(bgp.announcements, [
        { prefix: "203.0.113.0/24", originAsn: 16509, network: "aws", advertisedBy: "aws:us-east-1", rpki: "Valid", accepted: true },
      ]);
      assert.deepEqual(bgp.receiver, {
        network: "aws",
        advertisedBy: "aws:us-east-1",
        prefix: "203.0.113.0/24",
        originAsn: 16509,
        rpki: "Valid",
      });
      const wd = await h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      assert.equal(wd.ByoipCidr!.State, "pending-withdrawal");
      assert.equal((await stateOf("203.0.113.0/24"))?.State, "provisioned");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.113.0/24" })),
        "RequestLimitExceeded",
        "Request limit exceeded.",
        503,
      );
      await advanceClock(h.vpc.url, 10_000);
      await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      await h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: "203.0.113.0/24" })),
        "RequestLimitExceeded",
        "Request limit exceeded.",
        503,
      );
    });

    it("only the exact provisioned range, only from the right state", async () => {
      await provisioned("203.0.112.0/23");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.113.0/24" })),
        "InvalidParameterValue",
        "The CIDR 203.0.113.0/24 is a portion of 203.0.112.0/23. Specify the exact address range that you provisioned.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "198.51.100.0/24" })),
        "InvalidParameterValue",
        "The CIDR 198.51.100.0/24 is not provisioned in this account and Region.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: "203.0.112.0/23" })),
        "IncorrectState",
        "The CIDR 203.0.112.0/23 is in state provisioned and cannot be withdrawn.",
      );
      await prepareWorld(h.vpc.url, pki, "198.51.100.0/24");
      await provision("198.51.100.0/24");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "198.51.100.0/24" })),
        "IncorrectState",
        "The CIDR 198.51.100.0/24 is in state pending-provision and cannot be advertised.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "198.51.100.0/24" })),
        "IncorrectState",
        "The CIDR 198.51.100.0/24 is in state pending-provision and cannot be deprovisioned.",
      );
    });

    it("deprovision: refused while advertised or while an EIP is allocated; then deprovisioned and the pool is gone", async () => {
      const poolId = await provisioned("203.0.113.0/24");
      const eip = await h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId }));
      await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "203.0.113.0/24" })),
        "IncorrectState",
        "The CIDR 203.0.113.0/24 is in state advertised and cannot be deprovisioned.",
      );
      await h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "203.0.113.0/24" })),
        "IncorrectState",
        "The CIDR 203.0.113.0/24 cannot be deprovisioned while 1 Elastic IP address(es) are allocated from its pool.",
      );
      await h.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId! }));
      const dep = await h.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "203.0.113.0/24" }));
      assert.equal(dep.ByoipCidr!.State, "pending-deprovision");
      assert.equal((await stateOf("203.0.113.0/24"))?.State, "deprovisioned");
      assert.deepEqual((await h.ec2.send(new DescribePublicIpv4PoolsCommand({}))).PublicIpv4Pools ?? [], []);
      await expectError(
        h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId })),
        "InvalidPublicIpv4PoolID.NotFound",
        `The pool ID '${poolId}' does not exist`,
      );
      // The range can be brought again after deprovisioning.
      await provision("203.0.113.0/24");
    });
  });

  describe("IPv4 pools and AllocateAddress", () => {
    it("PublicIpv4Pool takes a free address, Address takes that one; BYOIP EIPs are exempt from the EIP quota", async () => {
      const poolId = await provisioned("203.0.113.0/24");
      for (let i = 0; i < 5; i++) await h.ec2.send(new AllocateAddressCommand({}));
      await expectError(
        h.ec2.send(new AllocateAddressCommand({})),
        "AddressLimitExceeded",
        "The maximum number of addresses has been reached.",
      );
      const a = await h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId }));
      assert.equal(a.PublicIp, "203.0.113.0");
      assert.equal(a.PublicIpv4Pool, poolId);
      const b = await h.ec2.send(new AllocateAddressCommand({ Address: "203.0.113.77" }));
      assert.equal(b.PublicIp, "203.0.113.77");
      assert.equal(b.PublicIpv4Pool, poolId);
      const c = await h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId, Address: "203.0.113.78" }));
      assert.equal(c.PublicIp, "203.0.113.78");
      const pool = (await h.ec2.send(new DescribePublicIpv4PoolsCommand({ PoolIds: [poolId] }))).PublicIpv4Pools![0]!;
      assert.equal(pool.TotalAvailableAddressCount, 253);
      assert.equal(pool.PoolAddressRanges![0]!.AvailableAddressCount, 253);
    });

    it("pool and address errors change nothing", async () => {
      const poolId = await provisioned("203.0.113.0/24");
      await h.ec2.send(new AllocateAddressCommand({ Address: "203.0.113.5" }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ Address: "203.0.113.5" })),
        "InvalidAddress.InUse",
        "The address 203.0.113.5 is already allocated.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ Address: "198.51.100.5" })),
        "InvalidParameterValue",
        "The address 198.51.100.5 is not in an address pool provisioned to your account in this Region.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId, Address: "198.51.100.5" })),
        "InvalidParameterValue",
        `The address 198.51.100.5 is not in pool ${poolId}.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: "ipv4pool-ec2-0123456789abcdef0" })),
        "InvalidPublicIpv4PoolID.NotFound",
        "The pool ID 'ipv4pool-ec2-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribePublicIpv4PoolsCommand({ PoolIds: ["ipv4pool-ec2-0123456789abcdef0"] })),
        "InvalidPublicIpv4PoolID.NotFound",
        "The pool ID 'ipv4pool-ec2-0123456789abcdef0' does not exist",
      );
    });

    it("another account's pool is not the caller's", async () => {
      const poolId = await provisioned("203.0.113.0/24");
      const other = h.client("111122223333");
      await expectError(
        other.send(new AllocateAddressCommand({ PublicIpv4Pool: poolId })),
        "InvalidPublicIpv4PoolID.NotFound",
        `The pool ID '${poolId}' does not exist`,
      );
      other.destroy();
    });
  });

  describe("IPv6 pools", () => {
    const provisionV6 = async (cidr: string): Promise<string> => {
      await admin(h.vpc.url, "rir/register", { cidr, rir: "APNIC", org: "Example Corp" });
      await admin(h.vpc.url, "rir/publish-cert", { cidr, certificate: pki.certificate });
      const msg = message(ACCOUNT, cidr);
      await h.ec2.send(
        new ProvisionByoipCidrCommand({
          Cidr: cidr,
          PubliclyAdvertisable: false,
          CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) },
        }),
      );
      await advanceClock(h.vpc.url, WEEK);
      assert.equal((await stateOf(cidr))?.State, "provisioned-not-publicly-advertisable");
      return (await h.ec2.send(new DescribeIpv6PoolsCommand({}))).Ipv6Pools![0]!.PoolId!;
    };

    it("a non-advertised range needs no ROA; VPCs take /56 blocks from its pool; deprovision waits for them", async () => {
      const poolId = await provisionV6("2001:db8::/48");
      assert.match(poolId, /^ipv6pool-ec2-[0-9a-f]{17}$/);
      const pools = (await h.ec2.send(new DescribeIpv6PoolsCommand({ PoolIds: [poolId] }))).Ipv6Pools!;
      assert.deepEqual(pools[0]!.PoolCidrBlocks, [{ Cidr: "2001:db8::/48" }]);
      const { Vpc } = await h.ec2.send(
        new CreateVpcCommand({ CidrBlock: "10.40.0.0/16", Ipv6Pool: poolId, Ipv6CidrBlock: "2001:db8:0:100::/56" }),
      );
      const v6 = Vpc!.Ipv6CidrBlockAssociationSet![0]!;
      assert.equal(v6.Ipv6CidrBlock, "2001:db8:0:100::/56");
      assert.equal(v6.Ipv6Pool, poolId);
      assert.equal(v6.IpSource, "byoip");
      const { Vpc: second } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.41.0.0/16" }));
      const assoc = await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: second!.VpcId!, Ipv6Pool: poolId }));
      assert.equal(assoc.Ipv6CidrBlockAssociation!.Ipv6CidrBlock, "2001:db8::/56");
      const listed = await h.ec2.send(new GetAssociatedIpv6PoolCidrsCommand({ PoolId: poolId }));
      assert.deepEqual(listed.Ipv6CidrAssociations, [
        { Ipv6Cidr: "2001:db8:0:100::/56", AssociatedResource: Vpc!.VpcId },
        { Ipv6Cidr: "2001:db8::/56", AssociatedResource: second!.VpcId },
      ]);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.42.0.0/16", Ipv6Pool: poolId, Ipv6CidrBlock: "2001:db8:0:100::/56" })),
        "InvalidParameterValue",
        "The IPv6 CIDR block 2001:db8:0:100::/56 is already in use.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.42.0.0/16", Ipv6Pool: poolId, Ipv6CidrBlock: "2001:db9::/56" })),
        "InvalidParameterValue",
        `Value (2001:db9::/56) for parameter ipv6CidrBlock is invalid. Expecting a /56 CIDR block inside pool ${poolId}.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: "2001:db8::/48" })),
        "IncorrectState",
        "The CIDR 2001:db8::/48 was provisioned as not publicly advertisable and cannot be advertised.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "2001:db8::/48" })),
        "IncorrectState",
        "The CIDR 2001:db8::/48 cannot be deprovisioned while 2 IPv6 CIDR block(s) from its pool are associated.",
      );
      for (const a of [v6.AssociationId!, assoc.Ipv6CidrBlockAssociation!.AssociationId!])
        await h.ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: a }));
      assert.deepEqual((await h.ec2.send(new GetAssociatedIpv6PoolCidrsCommand({ PoolId: poolId }))).Ipv6CidrAssociations ?? [], []);
      await h.ec2.send(new DeprovisionByoipCidrCommand({ Cidr: "2001:db8::/48" }));
    });

    it("unknown pools", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new GetAssociatedIpv6PoolCidrsCommand({ PoolId: "ipv6pool-ec2-0123456789abcdef0" })),
        "InvalidPoolID.NotFound",
        "The pool ID 'ipv6pool-ec2-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.42.0.0/16", Ipv6Pool: "ipv6pool-ec2-0123456789abcdef0" })),
        "InvalidPoolID.NotFound",
        "The pool ID 'ipv6pool-ec2-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.42.0.0/16", Ipv6CidrBlock: "2001:db8::/56" })),
        "InvalidParameterCombination",
        "The parameter ipv6CidrBlock requires the parameter ipv6Pool.",
      );
    });
  });

  describe("the world: RDAP and BGP", () => {
    it("RDAP answers an RFC 9083 IP network object with the certificate where the RIR puts it", async () => {
      await prepareWorld(h.vpc.url, pki, "203.0.112.0/22", { rir: "RIPE" });
      const res = await fetch(`${h.vpc.url}/_localvpc/rdap/ip/203.0.113.9`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/rdap+json");
      const o = (await res.json()) as Record<string, unknown>;
      assert.equal(o["objectClassName"], "ip network");
      assert.equal(o["startAddress"], "203.0.112.0");
      assert.equal(o["endAddress"], "203.0.115.255");
      assert.equal(o["ipVersion"], "v4");
      assert.deepEqual(o["remarks"], [{ title: "description", description: [pki.certificate] }]);
      const missing = await fetch(`${h.vpc.url}/_localvpc/rdap/ip/192.0.2.0/24`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { errorCode: number }).errorCode, 404);
      await admin(h.vpc.url, "rir/unpublish-cert", { cidr: "203.0.112.0/22" });
      const after = (await (await fetch(`${h.vpc.url}/_localvpc/rdap/ip/203.0.112.0/22`)).json()) as Record<string, unknown>;
      assert.deepEqual(after["remarks"], []);
    });

    it("on-premises announcements: RPKI validity and who receives an address", async () => {
      await prepareWorld(h.vpc.url, pki, "203.0.113.0/24");
      await admin(h.vpc.url, "rir/roa", { cidr: "203.0.113.0/24", asns: [64500], maxLength: 24 });
      await admin(h.vpc.url, "bgp/announce", { cidr: "203.0.113.0/24", origin: "onprem", asn: 64500 });
      await admin(h.vpc.url, "bgp/announce", { cidr: "203.0.113.0/25", origin: "onprem", asn: 64500 });
      const bgp = (await (await fetch(`${h.vpc.url}/_localvpc/bgp?address=203.0.113.1`)).json()) as {
        announcements: { prefix: string; rpki: string }[];
        receiver: { network: string; prefix: string };
      };
      assert.deepEqual(
        bgp.announcements.map((a) => [a.prefix, a.rpki]),
        [
          ["203.0.113.0/24", "Valid"],
          ["203.0.113.0/25", "Invalid"],
        ],
      );
      assert.deepEqual([bgp.receiver.network, bgp.receiver.prefix], ["onprem", "203.0.113.0/24"]);
      await admin(h.vpc.url, "bgp/withdraw", { cidr: "203.0.113.0/24", origin: "onprem", asn: 64500 });
      const none = (await (await fetch(`${h.vpc.url}/_localvpc/bgp?address=203.0.113.1`)).json()) as { receiver: { network: string } };
      assert.equal(none.receiver.network, "none");
    });
  });
});
