/**
 * ENI addressing end to end: IPv4 /28 and IPv6 /80 prefixes (subnet arithmetic, overlap with single addresses),
 * IPv6 addresses, Assign/Unassign of private IPv4 and IPv6 (AllowReassignment, primary rules) and the per-interface
 * limits of the instance type when the ENI is attached (spec §4.1, §4.10, §4.11, §4.13).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssignIpv6AddressesCommand,
  AssignPrivateIpAddressesCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  UnassignIpv6AddressesCommand,
  UnassignPrivateIpAddressesCommand,
  type CreateNetworkInterfaceCommandInput,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { formatCidr, parseCidr, subBlock } from "../../src/domain/cidr.js";
import { err } from "../../src/domain/errors.js";
import { expectErrorNoChange, useHarness } from "./harness.js";

const AL2023_X86 = "ami-0a1b2c3d4e5f60001";

describe("ENI addressing", () => {
  const h = useHarness();

  /** A VPC and a us-east-1a subnet; with `ipv6`, an Amazon /56 on the VPC and its first /64 on the subnet. */
  const network = async (
    subnetCidr = "10.40.1.0/24",
    ipv6 = false,
  ): Promise<{ vpcId: string; subnetId: string; ipv6: string | undefined }> => {
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16", AmazonProvidedIpv6CidrBlock: ipv6 || undefined }));
    let block: string | undefined;
    if (ipv6) {
      const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
      block = formatCidr(subBlock(parseCidr(Vpcs![0]!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!)!, 64, 0n));
    }
    const { Subnet: s } = await h.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: subnetCidr, AvailabilityZone: "us-east-1a", Ipv6CidrBlock: block }),
    );
    return { vpcId: Vpc!.VpcId!, subnetId: s!.SubnetId!, ipv6: block };
  };
  const create = async (input: CreateNetworkInterfaceCommandInput): Promise<NetworkInterface> =>
    (await h.ec2.send(new CreateNetworkInterfaceCommand(input))).NetworkInterface!;
  const describeOne = async (id: string): Promise<NetworkInterface> =>
    (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces![0]!;
  const available = async (subnetId: string): Promise<number> =>
    (await h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!.AvailableIpAddressCount!;
  /** The primary ENI of a new instance of `type` in the subnet. */
  const launch = async (type: "t3.micro" | "t2.micro" | "c5.large", subnetId: string, eniId?: string): Promise<string> => {
    const r = await h.ec2.send(
      new RunInstancesCommand({
        ImageId: AL2023_X86,
        InstanceType: type,
        MinCount: 1,
        MaxCount: 1,
        ...(eniId ? { NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: eniId }] } : { SubnetId: subnetId }),
      }),
    );
    return r.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
  };

  describe("IPv4 prefixes", () => {
    it("delegates /28 prefixes: 16 addresses each from the subnet, aligned, never overlapping single addresses", async () => {
      const n = await network();
      assert.equal(await available(n.subnetId), 251);
      const e = await create({ SubnetId: n.subnetId, Ipv4PrefixCount: 2 });
      // Primary .4; the first /28 holds reserved .0–.3 and .4 is used, so prefixes start at .16.
      assert.equal(e.PrivateIpAddress, "10.40.1.4");
      assert.deepEqual(e.Ipv4Prefixes, [{ Ipv4Prefix: "10.40.1.16/28" }, { Ipv4Prefix: "10.40.1.32/28" }]);
      assert.equal(await available(n.subnetId), 251 - 1 - 32);
      const explicit = await create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.64/28" }] });
      assert.deepEqual(explicit.Ipv4Prefixes, [{ Ipv4Prefix: "10.40.1.64/28" }]);
      assert.equal(explicit.PrivateIpAddress, "10.40.1.5");
      // Single addresses skip the prefixes: .6 … .15, then .48 and .49.
      const many = await create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 11 });
      assert.deepEqual(
        many.PrivateIpAddresses!.slice(-3).map((p) => p.PrivateIpAddress),
        ["10.40.1.15", "10.40.1.48", "10.40.1.49"],
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, PrivateIpAddress: "10.40.1.20" }),
        "InvalidIPAddress.InUse",
        "The specified address is already in use.",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.48/28" }] }),
        "InvalidIPAddress.InUse",
        "The specified address is already in use.",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.16/28" }] }),
        "InvalidIPAddress.InUse",
        "The specified address is already in use.",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.8/28" }] }),
        "InvalidParameterValue",
        err.invalidIpv4Prefix("10.40.1.8/28").message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.0/27" }] }),
        "InvalidParameterValue",
        err.invalidIpv4Prefix("10.40.1.0/27").message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.0/28" }] }),
        "InvalidParameterValue",
        err.prefixReserved("10.40.1.0/28").message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.1.240/28" }] }),
        "InvalidParameterValue",
        err.prefixReserved("10.40.1.240/28").message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4Prefixes: [{ Ipv4Prefix: "10.40.2.0/28" }] }),
        "InvalidParameterValue",
        err.addressNotInSubnet("10.40.2.0/28", n.subnetId).message,
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4PrefixCount: 1, SecondaryPrivateIpAddressCount: 1 }),
        "InvalidParameterCombination",
        err.parametersTogether("ipv4PrefixCount", "secondaryPrivateIpAddressCount").message,
      );
    });

    it("runs out of /28s in a small subnet", async () => {
      const n = await network("10.40.9.0/27");
      // A /27 has two /28s: the first holds the reserved .0–.3, the second the broadcast address.
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv4PrefixCount: 1 }),
        "InsufficientFreeAddressesInSubnet",
        err.insufficientAddresses().message,
      );
    });
  });

  describe("AssignPrivateIpAddresses / UnassignPrivateIpAddresses", () => {
    it("assigns by count and by address, unassigns secondaries, and refuses the primary", async () => {
      const n = await network();
      const e = await create({ SubnetId: n.subnetId });
      const id = e.NetworkInterfaceId!;
      const r = await h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 2 }));
      assert.equal(r.NetworkInterfaceId, id);
      assert.deepEqual(r.AssignedPrivateIpAddresses, [{ PrivateIpAddress: "10.40.1.5" }, { PrivateIpAddress: "10.40.1.6" }]);
      await h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ["10.40.1.100"] }));
      const p = await h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id, Ipv4PrefixCount: 1 }));
      assert.deepEqual(p.AssignedIpv4Prefixes, [{ Ipv4Prefix: "10.40.1.16/28" }]);
      assert.equal(await available(n.subnetId), 251 - 4 - 16);
      await h.ec2.send(
        new UnassignPrivateIpAddressesCommand({
          NetworkInterfaceId: id,
          PrivateIpAddresses: ["10.40.1.5"],
          Ipv4Prefixes: ["10.40.1.16/28"],
        }),
      );
      const d = await describeOne(id);
      assert.deepEqual(
        d.PrivateIpAddresses!.map((x) => x.PrivateIpAddress),
        ["10.40.1.4", "10.40.1.6", "10.40.1.100"],
      );
      assert.equal(d.Ipv4Prefixes, undefined);
      assert.equal(await available(n.subnetId), 251 - 3);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ["10.40.1.4"] })),
        "InvalidParameterValue",
        err.cannotUnassignPrimary("10.40.1.4").message,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: id, PrivateIpAddresses: ["10.40.1.77"] })),
        "InvalidParameterValue",
        `Some of the specified addresses are not assigned to interface ${id}`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: id })),
        "MissingParameter",
        "The request must contain one of the following parameters: privateIpAddress, secondaryPrivateIpAddressCount, ipv4Prefix, ipv4PrefixCount",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AssignPrivateIpAddressesCommand({
              NetworkInterfaceId: id,
              PrivateIpAddresses: ["10.40.1.120"],
              SecondaryPrivateIpAddressCount: 1,
            }),
          ),
        "InvalidParameterCombination",
        err.parametersTogether("privateIpAddress", "secondaryPrivateIpAddressCount").message,
      );
    });

    it("moves a secondary address from another ENI only with AllowReassignment; never a primary", async () => {
      const n = await network();
      const a = (
        await create({ SubnetId: n.subnetId, PrivateIpAddress: "10.40.1.10", PrivateIpAddresses: [{ PrivateIpAddress: "10.40.1.11" }] })
      ).NetworkInterfaceId!;
      const b = (await create({ SubnetId: n.subnetId, PrivateIpAddress: "10.40.1.20" })).NetworkInterfaceId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: b, PrivateIpAddresses: ["10.40.1.11"] })),
        "Resource.AlreadyAssigned",
        "The specified private IP address is already assigned to a resource.",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: b, PrivateIpAddresses: ["10.40.1.10"], AllowReassignment: true }),
          ),
        "InvalidParameterValue",
        err.primaryIpNotReassignable("10.40.1.10", a).message,
      );
      const before = await available(n.subnetId);
      await h.ec2.send(
        new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: b, PrivateIpAddresses: ["10.40.1.11"], AllowReassignment: true }),
      );
      assert.deepEqual(
        (await describeOne(a)).PrivateIpAddresses!.map((x) => x.PrivateIpAddress),
        ["10.40.1.10"],
      );
      assert.deepEqual(
        (await describeOne(b)).PrivateIpAddresses!.map((x) => x.PrivateIpAddress),
        ["10.40.1.20", "10.40.1.11"],
      );
      assert.equal(await available(n.subnetId), before, "a move uses no new address");
      const found = await h.ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "private-ip-address", Values: ["10.40.1.11"] }] }),
      );
      assert.deepEqual(
        found.NetworkInterfaces!.map((e) => e.NetworkInterfaceId),
        [b],
        "the index follows the move",
      );
    });
  });

  describe("per-interface limits when attached", () => {
    it("t3.micro: 2 IPv4 per interface, each /28 counting one; unattached ENIs are bounded only by the subnet", async () => {
      const n = await network();
      const free = await create({ SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 5 });
      assert.equal(free.PrivateIpAddresses!.length, 6, "no type limit before attachment (spec §4.11)");
      const eni = await launch("t3.micro", n.subnetId);
      await h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 })),
        "PrivateIpAddressLimitExceeded",
        "Number of private addresses will exceed limit.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, Ipv4PrefixCount: 1 })),
        "PrivateIpAddressLimitExceeded",
        "Number of private addresses will exceed limit.",
      );
    });

    it("refuses prefixes on a non-Nitro type (t2.micro)", async () => {
      const n = await network();
      const e = (await create({ SubnetId: n.subnetId })).NetworkInterfaceId!;
      await launch("t2.micro", n.subnetId, e);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: e, Ipv4PrefixCount: 1 })),
        "InvalidParameterCombination",
        err.prefixesNeedNitro("t2.micro").message,
      );
    });

    it("a cold attach (RunInstances with an existing ENI) obeys the same prefix and IPv6 rules as a hot one", async () => {
      const n = await network("10.40.1.0/24", true);
      const withPrefix = await create({ SubnetId: n.subnetId, Ipv4PrefixCount: 1 });
      const launchWith = (type: "t2.micro" | "m1.small", eniId: string) =>
        h.ec2.send(
          new RunInstancesCommand({
            ImageId: AL2023_X86,
            InstanceType: type,
            MinCount: 1,
            MaxCount: 1,
            NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: eniId }],
          }),
        );
      await expectErrorNoChange(
        h,
        () => launchWith("t2.micro", withPrefix.NetworkInterfaceId!),
        "InvalidParameterCombination",
        err.prefixesNeedNitro("t2.micro").message,
      );
      // m1.small (Xen, an old generation) has no IPv6.
      const withIpv6 = await create({ SubnetId: n.subnetId, Ipv6AddressCount: 1 });
      await expectErrorNoChange(
        h,
        () => launchWith("m1.small", withIpv6.NetworkInterfaceId!),
        "InvalidParameterCombination",
        err.ipv6NotSupportedByType("m1.small").message,
      );
    });

    it("bounds IPv6 by the type's IPv6 per interface", async () => {
      const n = await network("10.40.1.0/24", true);
      const eni = await launch("t3.micro", n.subnetId);
      await h.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: eni, Ipv6AddressCount: 2 }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: eni, Ipv6AddressCount: 1 })),
        "PrivateIpAddressLimitExceeded",
        "Number of IPv6 addresses will exceed limit.",
      );
    });
  });

  describe("IPv6", () => {
    it("needs a subnet IPv6 block", async () => {
      const n = await network();
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv6AddressCount: 1 }),
        "InvalidParameterValue",
        err.subnetNoIpv6ForAssign(n.subnetId).message,
      );
      const e = (await create({ SubnetId: n.subnetId })).NetworkInterfaceId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: e, Ipv6AddressCount: 1 })),
        "InvalidParameterValue",
        err.subnetNoIpv6ForAssign(n.subnetId).message,
      );
    });

    it("creates, assigns and unassigns IPv6 addresses and /80 prefixes", async () => {
      const n = await network("10.40.1.0/24", true);
      const base = n.ipv6!.replace("::/64", "::");
      const e = await create({ SubnetId: n.subnetId, Ipv6AddressCount: 2, EnablePrimaryIpv6: true });
      assert.deepEqual(e.Ipv6Addresses, [
        { Ipv6Address: `${base}4`, IsPrimaryIpv6: true },
        { Ipv6Address: `${base}5`, IsPrimaryIpv6: false },
      ]);
      assert.equal(e.Ipv6Address, `${base}4`);
      const id = e.NetworkInterfaceId!;
      const explicit = `${base}abcd`;
      const a = await h.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: id, Ipv6Addresses: [explicit] }));
      assert.deepEqual(a.AssignedIpv6Addresses, [explicit]);
      const p = await h.ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: id, Ipv6PrefixCount: 1 }));
      assert.equal(p.AssignedIpv6Prefixes!.length, 1);
      assert.match(p.AssignedIpv6Prefixes![0]!, /\/80$/);
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv6Addresses: [{ Ipv6Address: explicit }] }),
        "InvalidIPAddress.InUse",
        "The specified address is already in use.",
      );
      await expectErrorNoChange(
        h,
        () => create({ SubnetId: n.subnetId, Ipv6Prefixes: [{ Ipv6Prefix: `${base}/80` }] }),
        "InvalidParameterValue",
        err.prefixReserved(`${base}/80`).message,
      );
      const u = await h.ec2.send(
        new UnassignIpv6AddressesCommand({ NetworkInterfaceId: id, Ipv6Addresses: [explicit], Ipv6Prefixes: p.AssignedIpv6Prefixes }),
      );
      assert.deepEqual(u.UnassignedIpv6Addresses, [explicit]);
      assert.deepEqual(u.UnassignedIpv6Prefixes, p.AssignedIpv6Prefixes);
      const d = await describeOne(id);
      assert.deepEqual(
        d.Ipv6Addresses!.map((x) => x.Ipv6Address),
        [`${base}4`, `${base}5`],
      );
      assert.equal(d.Ipv6Prefixes, undefined);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new UnassignIpv6AddressesCommand({ NetworkInterfaceId: id, Ipv6Addresses: [explicit] })),
        "InvalidParameterValue",
        err.ipv6NotAssigned(id).message,
      );
    });
  });
});
