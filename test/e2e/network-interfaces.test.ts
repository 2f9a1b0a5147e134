/**
 * ENI core end to end: CreateNetworkInterface (defaults, groups, tags, MAC, quotas, address errors),
 * DeleteNetworkInterface, DescribeNetworkInterfaces (shape, filters, pagination) and the interface attributes.
 * Every rule is checked for code, exact message and unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ModifyNetworkInterfaceAttributeCommand,
  ModifySubnetAttributeCommand,
  ResetNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  type CreateNetworkInterfaceCommandInput,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { err } from "../../src/domain/errors.js";
import type { IdGenerator } from "../../src/domain/ids.js";
import { expectError, expectErrorNoChange, startHarness, useHarness, createNetwork } from "./harness.js";

const AL2023_X86 = "ami-0a1b2c3d4e5f60001";

describe("network interfaces", () => {
  const h = useHarness();

  /** A new VPC with one us-east-1a subnet and its default SG. */
  const network = (cidr = "10.30.0.0/16", subnetCidr = "10.30.1.0/24"): ReturnType<typeof createNetwork> =>
    createNetwork(h, cidr, subnetCidr);
  const create = async (input: CreateNetworkInterfaceCommandInput): Promise<NetworkInterface> =>
    (await h.ec2.send(new CreateNetworkInterfaceCommand(input))).NetworkInterface!;
  const describeOne = async (id: string): Promise<NetworkInterface> =>
    (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces![0]!;
  const ids = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> =>
    ((await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces ?? [])
      .map((e) => e.NetworkInterfaceId!)
      .sort();
  const group = async (vpcId: string, name: string): Promise<string> =>
    (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }))).GroupId!;

  describe("CreateNetworkInterface", () => {
    it("answers the full shape with AWS's defaults and describes it available", async () => {
      const n = await network();
      const created = await create({
        SubnetId: n.subnetId,
        Description: "my eni",
        TagSpecifications: [{ ResourceType: "network-interface", Tags: [{ Key: "Name", Value: "a" }] }],
      });
      assert.equal(created.Status, "pending", "AWS answers pending; the next Describe shows available");
      assert.match(created.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
      assert.match(created.MacAddress!, /^02(:[0-9a-f]{2}){5}$/);
      assert.equal(created.PrivateIpAddress, "10.30.1.4", "lowest free address after the four reserved ones");
      const d = await describeOne(created.NetworkInterfaceId!);
      assert.equal(d.Status, "available");
      assert.equal(d.SubnetId, n.subnetId);
      assert.equal(d.VpcId, n.vpcId);
      assert.equal(d.AvailabilityZone, "us-east-1a");
      assert.equal(d.AvailabilityZoneId, "use1-az2");
      assert.equal(d.Description, "my eni");
      assert.equal(d.OwnerId, "000000000000");
      assert.equal(d.RequesterId, "test", "the caller's principal");
      assert.equal(d.RequesterManaged, false);
      assert.equal(d.SourceDestCheck, true);
      assert.equal(d.InterfaceType, "interface");
      assert.equal(d.MacAddress, created.MacAddress, "MAC is stable");
      assert.deepEqual(d.Groups, [{ GroupId: n.sgId, GroupName: "default" }], "the VPC default SG");
      assert.deepEqual(d.TagSet, [{ Key: "Name", Value: "a" }]);
      assert.equal(d.PrivateDnsName, "ip-10-30-1-4.ec2.internal");
      assert.deepEqual(d.PrivateIpAddresses, [
        { Primary: true, PrivateDnsName: "ip-10-30-1-4.ec2.internal", PrivateIpAddress: "10.30.1.4" },
      ]);
      assert.equal(d.Attachment, undefined);
      assert.equal(d.Association, undefined);
      const attr = await h.ec2.send(
        new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: d.NetworkInterfaceId!, Attribute: "associatePublicIpAddress" }),
      );
      assert.equal(attr.AssociatePublicIpAddress, false, "inherited from the subnet's MapPublicIpOnLaunch");
    });

    it("takes explicit primary and secondary addresses, and counts; the subnet loses one address per IP", async () => {
      const n = await network();
      const before = (await h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnetId] }))).Subnets![0]!.AvailableIpAddressCount!;
      assert.equal(before, 251);
      const a = await create({
        SubnetId: n.subnetId,
        PrivateIpAddresses: [
          { PrivateIpAddress: "10.30.1.50", Primary: false },
          { PrivateIpAddress: "10.30.1.40", Primary: true },
        ],
      });
      assert.equal(a.PrivateIpAddress, "10.30.1.40");
      assert.deepEqual(
        a.PrivateIpAddresses!.map((p) => [p.PrivateIpAddress, p.Primary]),
        [
          ["10.30.1.40", true],
          ["10.30.1.50", false],
        ],
      );
      const b = await create({ SubnetId: n.subnetId, PrivateIpAddress: "10.30.1.60", SecondaryPrivateIpAddressCount: 2 });
      assert.deepEqual(
        b.PrivateIpAddresses!.map((p) => p.PrivateIpAddress),
        ["10.30.1.60", "10.30.1.4", "10.30.1.5"],
      );
      const c = await create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 1 });
      assert.deepEqual(
        c.PrivateIpAddresses!.map((p) => [p.PrivateIpAddress, p.Primary]),
        [
          ["10.30.1.6", true],
          ["10.30.1.7", false],
        ],
      );
      const after = (await h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnetId] }))).Subnets![0]!.AvailableIpAddressCount!;
      assert.equal(after, before - 7);
    });

    it("rejects a used, reserved or foreign explicit address", async () => {
      const n = await network();
      await create({ SubnetId: n.subnetId, PrivateIpAddress: "10.30.1.10" });
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, PrivateIpAddress: "10.30.1.10" }),
        "InvalidIPAddress.InUse",
        "The specified address is already in use.",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, PrivateIpAddress: "10.30.1.2" }),
        "InvalidParameterValue",
        err.addressReserved("10.30.1.2").message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, PrivateIpAddress: "10.30.1.255" }),
        "InvalidParameterValue",
        err.addressReserved("10.30.1.255").message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, PrivateIpAddress: "10.30.2.9" }),
        "InvalidParameterValue",
        err.addressNotInSubnet("10.30.2.9", n.subnetId).message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, PrivateIpAddress: "nope" }),
        "InvalidParameterValue",
        err.invalidPrivateIpAddress("nope").message,
      );
    });

    it("runs out of addresses in a /28 (11 usable) with InsufficientFreeAddressesInSubnet", async () => {
      const n = await network("10.31.0.0/16", "10.31.0.0/28");
      await create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 9 });
      const s = (await h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnetId] }))).Subnets![0]!;
      assert.equal(s.AvailableIpAddressCount, 1);
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 1 }),
        "InsufficientFreeAddressesInSubnet",
        "The specified subnet does not have enough free addresses to satisfy the request.",
      );
      const last = await create({ SubnetId: n.subnetId });
      assert.equal(last.PrivateIpAddress, "10.31.0.14");
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId }),
        "InsufficientFreeAddressesInSubnet",
        err.insufficientAddresses().message,
      );
    });

    it("checks security groups: existing, same VPC, at most five", async () => {
      const n = await network();
      const other = await network("10.32.0.0/16", "10.32.1.0/24");
      const gs = await Promise.all(["g1", "g2", "g3", "g4", "g5", "g6"].map((g) => group(n.vpcId, g)));
      const five = await create({ SubnetId: n.subnetId, Groups: gs.slice(0, 5) });
      assert.deepEqual(
        five.Groups!.map((g) => g.GroupId),
        gs.slice(0, 5),
      );
      assert.deepEqual(
        five.Groups!.map((g) => g.GroupName),
        ["g1", "g2", "g3", "g4", "g5"],
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Groups: gs }),
        "InvalidParameterValue",
        "user 000000000000 exceeded limit 5 on the number of interface security group memberships",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Groups: [other.sgId] }),
        "InvalidParameter",
        err.sgSubnetMismatch(other.sgId, n.subnetId).message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Groups: ["sg-0123456789abcdef0"] }),
        "InvalidGroup.NotFound",
        "The security group 'sg-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: "subnet-0123456789abcdef0" }),
        "InvalidSubnetID.NotFound",
        "The subnet ID 'subnet-0123456789abcdef0' does not exist",
      );
    });

    it("keeps associatePublicIp from the subnet at creation even when the subnet changes later", async () => {
      const n = await network();
      await h.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: n.subnetId, MapPublicIpOnLaunch: { Value: true } }));
      const e = await create({ SubnetId: n.subnetId });
      await h.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: n.subnetId, MapPublicIpOnLaunch: { Value: false } }));
      const attr = await h.ec2.send(
        new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: e.NetworkInterfaceId!, Attribute: "associatePublicIpAddress" }),
      );
      assert.equal(attr.AssociatePublicIpAddress, true);
    });

    it("creates efa-only interfaces without addresses and rejects addresses on them; refuses branch", async () => {
      const n = await network();
      const e = await create({ SubnetId: n.subnetId, InterfaceType: "efa-only" });
      assert.equal(e.InterfaceType, "efa-only");
      assert.deepEqual(e.PrivateIpAddresses ?? [], []);
      assert.equal(e.PrivateIpAddress, undefined);
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, InterfaceType: "efa-only", PrivateIpAddress: "10.30.1.9" }),
        "InvalidParameterCombination",
        err.efaOnlyWithAddresses().message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, InterfaceType: "branch" }),
        "InvalidParameterValue",
        err.eniInterfaceTypeNotCreatable("branch").message,
      );
      const t = await create({ SubnetId: n.subnetId, InterfaceType: "trunk" });
      assert.equal(t.InterfaceType, "trunk");
    });

    it("rejects a tag specification for another resource type", async () => {
      const n = await network();
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }] }),
        "InvalidParameterValue",
        "'instance' is not a valid taggable resource type for this operation.",
      );
    });

    it("honours ClientToken", async () => {
      const n = await network();
      const a = await create({ SubnetId: n.subnetId, ClientToken: "tok-1" });
      const b = await create({ SubnetId: n.subnetId, ClientToken: "tok-1" });
      assert.equal(a.NetworkInterfaceId, b.NetworkInterfaceId);
      assert.equal((await ids([{ Name: "subnet-id", Values: [n.subnetId] }])).length, 1);
    });
  });

  describe("quotas and MACs", () => {
    it("answers NetworkInterfaceLimitExceeded at the region quota", async () => {
      const q = await startHarness({ quotas: { enisPerRegion: 4 } });
      try {
        await q.ec2.send(new DescribeVpcsCommand({}));
        const { Subnets } = await q.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
        const subnetId = Subnets![0]!.SubnetId!;
        for (let i = 0; i < 4; i++) await q.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
        await expectErrorNoChange(
          q,
          () => q.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId })),
          "NetworkInterfaceLimitExceeded",
          err.eniLimitExceeded().message,
        );
      } finally {
        await q.close();
      }
    });

    it("draws a new MAC when the random one is already used in the region", async () => {
      // The generator repeats its first MAC once: the second ENI must not get it.
      const { randomIds } = await import("../../src/infra/random-ids.js");
      const real: IdGenerator = randomIds();
      let macDraws = 0;
      const ids: IdGenerator = {
        next: (k) => real.next(k),
        hex: (n) => (n === 10 && macDraws++ < 2 ? "aaaaaaaaaa" : real.hex(n)),
      };
      const q = await startHarness({ ids });
      try {
        await q.ec2.send(new DescribeVpcsCommand({}));
        const { Subnets } = await q.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
        const a = (await q.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: Subnets![0]!.SubnetId! }))).NetworkInterface!;
        const b = (await q.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: Subnets![0]!.SubnetId! }))).NetworkInterface!;
        assert.equal(a.MacAddress, "02:aa:aa:aa:aa:aa");
        assert.notEqual(b.MacAddress, a.MacAddress);
        assert.match(b.MacAddress!, /^02(:[0-9a-f]{2}){5}$/);
      } finally {
        await q.close();
      }
    });
  });

  describe("DeleteNetworkInterface", () => {
    it("deletes an available ENI and gives its addresses back to the subnet", async () => {
      const n = await network();
      const e = await create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 2 });
      await h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: e.NetworkInterfaceId! }));
      const s = (await h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [n.subnetId] }))).Subnets![0]!;
      assert.equal(s.AvailableIpAddressCount, 251);
      await expectError(
        h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [e.NetworkInterfaceId!] })),
        "InvalidNetworkInterfaceID.NotFound",
        `The networkInterface ID '${e.NetworkInterfaceId!}' does not exist`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: e.NetworkInterfaceId! })),
        "InvalidNetworkInterfaceID.NotFound",
        `The networkInterface ID '${e.NetworkInterfaceId!}' does not exist`,
      );
      const again = await create({ SubnetId: n.subnetId });
      assert.equal(again.PrivateIpAddress, "10.30.1.4", "the released address is free again");
    });

    it("refuses an attached ENI (the primary ENI of an instance)", async () => {
      const n = await network();
      const r = await h.ec2.send(
        new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: n.subnetId }),
      );
      const eniId = r.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId })),
        "InvalidParameterValue",
        `Network interface '${eniId}' is currently in use.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: "eni-xyz" })),
        "InvalidNetworkInterfaceId.Malformed",
        'Invalid id: "eni-xyz" (expecting "eni-...")',
      );
    });
  });

  describe("DescribeNetworkInterfaces", () => {
    it("filters by private IP, MAC, tag, group, subnet, status, attachment.instance-id", async () => {
      const n = await network();
      const g = await group(n.vpcId, "web");
      const a = await create({
        SubnetId: n.subnetId,
        PrivateIpAddress: "10.30.1.20",
        Groups: [g],
        TagSpecifications: [{ ResourceType: "network-interface", Tags: [{ Key: "Name", Value: "alpha" }] }],
      });
      const b = await create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 1 });
      const r = await h.ec2.send(
        new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: n.subnetId }),
      );
      const inst = r.Instances![0]!;
      const primary = inst.NetworkInterfaces![0]!.NetworkInterfaceId!;
      const A = a.NetworkInterfaceId!;
      const B = b.NetworkInterfaceId!;
      assert.deepEqual(await ids([{ Name: "private-ip-address", Values: ["10.30.1.20"] }]), [A]);
      assert.deepEqual(
        await ids([{ Name: "private-ip-address", Values: [b.PrivateIpAddresses![1]!.PrivateIpAddress!] }]),
        [B],
        "secondary IPs match too",
      );
      assert.deepEqual(await ids([{ Name: "addresses.private-ip-address", Values: ["10.30.1.20"] }]), [A]);
      assert.deepEqual(await ids([{ Name: "mac-address", Values: [b.MacAddress!] }]), [B]);
      assert.deepEqual(await ids([{ Name: "tag:Name", Values: ["alpha"] }]), [A]);
      assert.deepEqual(await ids([{ Name: "tag:Name", Values: ["al*"] }]), [A]);
      assert.deepEqual(await ids([{ Name: "group-id", Values: [g] }]), [A]);
      assert.deepEqual(await ids([{ Name: "subnet-id", Values: [n.subnetId] }]), [A, B, primary].sort());
      assert.deepEqual(
        await ids([
          { Name: "vpc-id", Values: [n.vpcId] },
          { Name: "status", Values: ["in-use"] },
        ]),
        [primary],
      );
      assert.deepEqual(
        await ids([
          { Name: "subnet-id", Values: [n.subnetId] },
          { Name: "status", Values: ["available"] },
        ]),
        [A, B].sort(),
      );
      assert.deepEqual(await ids([{ Name: "attachment.instance-id", Values: [inst.InstanceId!] }]), [primary]);
      assert.deepEqual(
        await ids([
          { Name: "attachment.device-index", Values: ["0"] },
          { Name: "vpc-id", Values: [n.vpcId] },
        ]),
        [primary],
      );
      assert.deepEqual(
        await ids([
          { Name: "private-ip-address", Values: ["10.30.1.20"] },
          { Name: "mac-address", Values: [b.MacAddress!] },
        ]),
        [],
      );
      const d = await describeOne(primary);
      assert.equal(d.Attachment!.InstanceId, inst.InstanceId);
      assert.equal(d.Attachment!.InstanceOwnerId, "000000000000");
      assert.equal(d.Attachment!.DeviceIndex, 0);
      assert.equal(d.Attachment!.NetworkCardIndex, 0);
      assert.equal(d.Attachment!.Status, "attached");
      assert.equal(d.Attachment!.DeleteOnTermination, true);
      assert.ok(d.Attachment!.AttachmentId?.startsWith("eni-attach-"));
      assert.ok(d.Attachment!.AttachTime instanceof Date);
      await expectError(
        h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })),
        "InvalidParameterValue",
        "The filter 'bogus' is invalid",
      );
    });

    it("paginates with MaxResults and NextToken and rejects ids with MaxResults", async () => {
      const n = await network();
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await create({ SubnetId: n.subnetId })).NetworkInterfaceId!);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await h.ec2.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "subnet-id", Values: [n.subnetId] }], MaxResults: 5, NextToken: token }),
        );
        assert.ok(page.NetworkInterfaces!.length <= 5);
        seen.push(...page.NetworkInterfaces!.map((e) => e.NetworkInterfaceId!));
        token = page.NextToken;
      } while (token);
      assert.deepEqual(seen, made, "creation order, nothing lost or repeated");
      await expectError(h.ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 4 })), "InvalidParameterValue", /maxResults/);
      await expectError(
        h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [made[0]!], MaxResults: 5 })),
        "InvalidParameterCombination",
        err.idsWithMaxResults("networkInterfaceIdSet").message,
      );
      await expectError(
        h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [made[0]!, "eni-0123456789abcdef0"] })),
        "InvalidNetworkInterfaceID.NotFound",
        "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
      );
      const all = await h.ec2.send(
        new DescribeNetworkInterfacesCommand({ IncludeManagedResources: true, Filters: [{ Name: "subnet-id", Values: [n.subnetId] }] }),
      );
      assert.equal(all.NetworkInterfaces!.length, 7);
    });
  });

  it("pages stay right while ENIs are deleted and created between them (issue 19: the token names the last ENI)", async () => {
    const n = await network();
    const made: string[] = [];
    for (let i = 0; i < 9; i++) made.push((await create({ SubnetId: n.subnetId })).NetworkInterfaceId!);
    for (const filters of [undefined, [{ Name: "subnet-id", Values: [n.subnetId] }], [{ Name: "status", Values: ["available"] }]]) {
      const pages: string[][] = [];
      let token: string | undefined;
      let round = 0;
      do {
        const page = await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5, NextToken: token }));
        pages.push(page.NetworkInterfaces!.map((e) => e.NetworkInterfaceId!));
        token = page.NextToken;
        if (round++ === 0) {
          // Between the pages: an ENI already answered is deleted, and a new one is created.
          await h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: pages[0]![1]! }));
          made.push((await create({ SubnetId: n.subnetId })).NetworkInterfaceId!);
        }
      } while (token);
      const before = made.slice(0, made.length - 1);
      // Nothing skipped, nothing repeated: the second page starts right after the first page's last ENI, and the
      // new ENI (created last) comes at the end.
      assert.deepEqual(pages[0], before.slice(0, 5), JSON.stringify(filters));
      assert.deepEqual(pages.slice(1).flat(), made.slice(5), JSON.stringify(filters));
      made.splice(1, 1);
    }
  });

  describe("attributes", () => {
    it("describes, modifies and resets each attribute", async () => {
      const n = await network();
      const g1 = await group(n.vpcId, "a1");
      const g2 = await group(n.vpcId, "a2");
      const e = await create({ SubnetId: n.subnetId, Description: "d0" });
      const id = e.NetworkInterfaceId!;
      const attr = (Attribute: "description" | "groupSet" | "sourceDestCheck" | "attachment" | "associatePublicIpAddress") =>
        h.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute }));
      assert.deepEqual((await attr("description")).Description, { Value: "d0" });
      assert.equal((await attr("description")).NetworkInterfaceId, id);
      assert.equal((await attr("description")).SourceDestCheck, undefined, "only the requested attribute");
      await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Description: { Value: "d1" } }));
      assert.deepEqual((await attr("description")).Description, { Value: "d1" });
      await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, SourceDestCheck: { Value: false } }));
      assert.deepEqual((await attr("sourceDestCheck")).SourceDestCheck, { Value: false });
      await h.ec2.send(new ResetNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, SourceDestCheck: "sourceDestCheck" }));
      assert.deepEqual((await attr("sourceDestCheck")).SourceDestCheck, { Value: true });
      await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: [g1, g2] }));
      assert.deepEqual((await attr("groupSet")).Groups, [
        { GroupId: g1, GroupName: "a1" },
        { GroupId: g2, GroupName: "a2" },
      ]);
      await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, AssociatePublicIpAddress: true }));
      assert.equal((await attr("associatePublicIpAddress")).AssociatePublicIpAddress, true);
      assert.equal((await attr("attachment")).Attachment, undefined);
      await expectError(
        h.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id })),
        "MissingParameter",
        "The request must contain the parameter attribute",
      );
    });

    it("modifies DeleteOnTermination of the current attachment only", async () => {
      const n = await network();
      const r = await h.ec2.send(
        new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: n.subnetId }),
      );
      const eni = r.Instances![0]!.NetworkInterfaces![0]!;
      const id = eni.NetworkInterfaceId!;
      const attachmentId = eni.Attachment!.AttachmentId!;
      await h.ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: id,
          Attachment: { AttachmentId: attachmentId, DeleteOnTermination: false },
        }),
      );
      const a = await h.ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute: "attachment" }));
      assert.equal(a.Attachment!.DeleteOnTermination, false);
      assert.equal(a.Attachment!.AttachmentId, attachmentId);
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: id,
              Attachment: { AttachmentId: "eni-attach-0123456789abcdef0", DeleteOnTermination: true },
            }),
          ),
        "InvalidAttachmentID.NotFound",
        "The network interface attachment ID 'eni-attach-0123456789abcdef0' does not exist",
      );
    });

    it("enforces one attribute at a time, group rules and the per-interface group quota", async () => {
      const n = await network();
      const other = await network("10.33.0.0/16", "10.33.1.0/24");
      const e = await create({ SubnetId: n.subnetId });
      const id = e.NetworkInterfaceId!;
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: id,
              Description: { Value: "x" },
              SourceDestCheck: { Value: false },
            }),
          ),
        "InvalidParameterCombination",
        "Fields for multiple attribute types specified: description, sourceDestCheck",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id })),
        "MissingParameter",
        "The request must contain one of the following parameters: description, sourceDestCheck, groupSet, attachment, associatePublicIpAddress",
      );
      const gs = await Promise.all(["m1", "m2", "m3", "m4", "m5", "m6"].map((x) => group(n.vpcId, x)));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: gs })),
        "SecurityGroupsPerInterfaceLimitExceeded",
        "The maximum number of security groups per interface has been reached.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Groups: [other.sgId] })),
        "InvalidParameter",
        err.sgVpcMismatch(other.sgId, n.vpcId).message,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ResetNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id })),
        "MissingParameter",
        "The request must contain the parameter sourceDestCheck",
      );
    });
  });
});
