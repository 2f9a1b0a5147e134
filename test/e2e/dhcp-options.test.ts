/** DHCP options sets through the real SDK: the default set, create/associate/describe/delete, AWS's rules. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateDhcpOptionsCommand,
  CreateDhcpOptionsCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteDhcpOptionsCommand,
  DeleteVpcCommand,
  DescribeDhcpOptionsCommand,
  DescribeVpcsCommand,
  type NewDhcpConfiguration,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("DHCP options sets", () => {
  const h = useHarness();
  const defaultVpc = async () =>
    (await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!;
  const create = async (configs: NewDhcpConfiguration[]) =>
    (await h.ec2.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: configs }))).DhcpOptions!;

  it("every Region has a default set (ec2.internal in us-east-1) that the default VPC and new VPCs use", async () => {
    const vpc = await defaultVpc();
    assert.match(vpc.DhcpOptionsId!, /^dopt-[0-9a-f]{17}$/);
    const [d] = (await h.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [vpc.DhcpOptionsId!] }))).DhcpOptions!;
    assert.deepEqual(d!.DhcpConfigurations, [
      { Key: "domain-name", Values: [{ Value: "ec2.internal" }] },
      { Key: "domain-name-servers", Values: [{ Value: "AmazonProvidedDNS" }] },
    ]);
    assert.equal(d!.OwnerId, "000000000000");
    const fresh = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.61.0.0/16" }))).Vpc!;
    assert.equal(fresh.DhcpOptionsId, vpc.DhcpOptionsId);
    const byFilter = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "dhcp-options-id", Values: [vpc.DhcpOptionsId!] }] }));
    assert.ok(byFilter.Vpcs!.some((v) => v.VpcId === fresh.VpcId));
  });

  it("other Regions use <region>.compute.internal", async () => {
    const eu = h.client("000000000000", "eu-west-1");
    const vpc = (await eu.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs![0]!;
    const [d] = (await eu.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [vpc.DhcpOptionsId!] }))).DhcpOptions!;
    assert.deepEqual(d!.DhcpConfigurations![0], { Key: "domain-name", Values: [{ Value: "eu-west-1.compute.internal" }] });
  });

  it("creates a set (comma-separated servers split, tags), associates it, filters, and deletes it", async () => {
    const d = (
      await h.ec2.send(
        new CreateDhcpOptionsCommand({
          DhcpConfigurations: [
            { Key: "domain-name", Values: ["corp.example.com"] },
            { Key: "domain-name-servers", Values: ["10.2.5.1,10.2.5.2"] },
            { Key: "ntp-servers", Values: ["10.2.5.3"] },
            { Key: "netbios-node-type", Values: ["2"] },
          ],
          TagSpecifications: [{ ResourceType: "dhcp-options", Tags: [{ Key: "Name", Value: "corp" }] }],
        }),
      )
    ).DhcpOptions!;
    assert.match(d.DhcpOptionsId!, /^dopt-[0-9a-f]{17}$/);
    assert.deepEqual(d.DhcpConfigurations![1], { Key: "domain-name-servers", Values: [{ Value: "10.2.5.1" }, { Value: "10.2.5.2" }] });
    assert.deepEqual(d.Tags, [{ Key: "Name", Value: "corp" }]);
    const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.62.0.0/16" }))).Vpc!.VpcId!;
    await h.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: d.DhcpOptionsId! }));
    const vpc = (await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    assert.equal(vpc.DhcpOptionsId, d.DhcpOptionsId);
    for (const [name, value] of [
      ["key", "ntp-servers"],
      ["value", "10.2.5.2"],
      ["tag:Name", "corp"],
      ["dhcp-options-id", d.DhcpOptionsId!],
    ] as const) {
      const r = await h.ec2.send(new DescribeDhcpOptionsCommand({ Filters: [{ Name: name, Values: [value] }] }));
      assert.deepEqual(
        r.DhcpOptions!.map((x) => x.DhcpOptionsId),
        [d.DhcpOptionsId],
        name,
      );
    }
    const owned = await h.ec2.send(new DescribeDhcpOptionsCommand({ Filters: [{ Name: "owner-id", Values: ["000000000000"] }] }));
    assert.equal(owned.DhcpOptions!.length, 2, "the default set and this one");
    // In use: AWS's DependencyViolation text, nothing changes.
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: d.DhcpOptionsId! })),
      "DependencyViolation",
      `The dhcpOptions '${d.DhcpOptionsId}' has dependencies and cannot be deleted.`,
    );
    // `default` = no set; then the set can go.
    await h.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: "default" }));
    assert.equal((await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.DhcpOptionsId, "default");
    await h.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: d.DhcpOptionsId! }));
    const gone = await h.ec2.send(new DescribeDhcpOptionsCommand({ Filters: [{ Name: "dhcp-options-id", Values: [d.DhcpOptionsId!] }] }));
    assert.deepEqual(gone.DhcpOptions, []);
  });

  it("a deleted VPC no longer holds its set", async () => {
    const d = await create([{ Key: "domain-name", Values: ["x.example"] }]);
    const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.63.0.0/16" }))).Vpc!.VpcId!;
    await h.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: d.DhcpOptionsId! }));
    await h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await h.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: d.DhcpOptionsId! }));
    await h.ec2.send(new CreateTagsCommand({ Resources: [(await defaultVpc()).DhcpOptionsId!], Tags: [{ Key: "k", Value: "v" }] }));
  });

  const invalid: [string, NewDhcpConfiguration[], string, string][] = [
    [
      "unknown key",
      [{ Key: "router", Values: ["10.0.0.1"] }],
      "InvalidParameterValue",
      "Value (router) for parameter key is invalid. Unknown DHCP option",
    ],
    [
      "repeated key",
      [
        { Key: "domain-name", Values: ["a.example"] },
        { Key: "domain-name", Values: ["b.example"] },
      ],
      "InvalidParameterValue",
      "Value (domain-name) for parameter key is invalid. Duplicate DHCP option",
    ],
    [
      "five name servers",
      [{ Key: "domain-name-servers", Values: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"] }],
      "InvalidParameterValue",
      "Value for parameter domain-name-servers is invalid. A maximum of 4 values can be specified",
    ],
    [
      "name server not an address",
      [{ Key: "domain-name-servers", Values: ["dns.example"] }],
      "InvalidParameterValue",
      "Value (dns.example) for parameter domain-name-servers is invalid. Expecting an IPv4 or IPv6 address",
    ],
    [
      "NTP server not an address",
      [{ Key: "ntp-servers", Values: ["pool.ntp.org"] }],
      "InvalidParameterValue",
      "Value (pool.ntp.org) for parameter ntp-servers is invalid. Expecting an IPv4 or IPv6 address",
    ],
    [
      "NetBIOS node type 3",
      [{ Key: "netbios-node-type", Values: ["3"] }],
      "InvalidParameterValue",
      "Value (3) for parameter netbios-node-type is invalid. Allowed values: 1, 2, 4, 8",
    ],
    [
      "no values",
      [{ Key: "netbios-name-servers", Values: [] }],
      "InvalidParameterValue",
      "Value () for parameter netbios-name-servers is invalid. At least one value is required",
    ],
    [
      "bad domain name",
      [{ Key: "domain-name", Values: ["corp_example!"] }],
      "InvalidParameterValue",
      "Value (corp_example!) for parameter domain-name is invalid.",
    ],
  ];
  for (const [name, configs, code, message] of invalid) {
    it(`CreateDhcpOptions refuses: ${name}`, async () => {
      await expectErrorNoChange(h, () => h.ec2.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: configs })), code, message);
    });
  }

  it("unknown and malformed ids; a VPC that does not exist", async () => {
    const vpcId = (await defaultVpc()).VpcId!;
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: "dopt-0123456789abcdef0" })),
      "InvalidDhcpOptionID.NotFound",
      "The dhcpOption ID 'dopt-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: vpcId, DhcpOptionsId: "opt-1" })),
      "InvalidDhcpOptionsId.Malformed",
      'Invalid id: "opt-1" (expecting "dopt-...")',
    );
    const d = await create([{ Key: "domain-name", Values: ["y.example"] }]);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AssociateDhcpOptionsCommand({ VpcId: "vpc-0123456789abcdef0", DhcpOptionsId: d.DhcpOptionsId! })),
      "InvalidVpcID.NotFound",
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: "dopt-0123456789abcdef0" })),
      "InvalidDhcpOptionID.NotFound",
      "The dhcpOption ID 'dopt-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: ["dopt-0123456789abcdef0"] })),
      "InvalidDhcpOptionID.NotFound",
      "The dhcpOption ID 'dopt-0123456789abcdef0' does not exist",
    );
  });
});
