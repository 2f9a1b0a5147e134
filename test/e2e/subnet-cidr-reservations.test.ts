/** Subnet CIDR reservations through the real SDK, and how they steer automatic address and prefix assignment. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateNetworkInterfaceCommand,
  CreateSubnetCidrReservationCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCidrReservationCommand,
  DescribeVpcsCommand,
  GetSubnetCidrReservationsCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("subnet CIDR reservations", () => {
  const h = useHarness();
  let subnetId: string;
  let subnetV6: string;
  beforeEach(async () => {
    const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.66.0.0/16", AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const vpc = (await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    subnetV6 = vpc.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!.replace("/56", "/64");
    subnetId = (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.66.0.0/24", Ipv6CidrBlock: subnetV6 }))).Subnet!
      .SubnetId!;
  });
  const reserve = async (cidr: string, type: "prefix" | "explicit") =>
    (await h.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: subnetId, Cidr: cidr, ReservationType: type })))
      .SubnetCidrReservation!;
  const autoEni = async () =>
    (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.PrivateIpAddress!;

  it("creates IPv4 and IPv6 reservations, lists them by family with filters, deletes one", async () => {
    const r = (
      await h.ec2.send(
        new CreateSubnetCidrReservationCommand({
          SubnetId: subnetId,
          Cidr: "10.66.0.16/28",
          ReservationType: "explicit",
          Description: "appliances",
          TagSpecifications: [{ ResourceType: "subnet-cidr-reservation", Tags: [{ Key: "Name", Value: "r1" }] }],
        }),
      )
    ).SubnetCidrReservation!;
    assert.match(r.SubnetCidrReservationId!, /^scr-[0-9a-f]{17}$/);
    assert.deepEqual(
      { ...r, SubnetCidrReservationId: undefined },
      {
        SubnetCidrReservationId: undefined,
        SubnetId: subnetId,
        Cidr: "10.66.0.16/28",
        ReservationType: "explicit",
        OwnerId: "000000000000",
        Description: "appliances",
        Tags: [{ Key: "Name", Value: "r1" }],
      },
    );
    const v6 = await reserve(subnetV6.replace("::/64", "::/80"), "prefix");
    const all = await h.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId }));
    assert.deepEqual(
      all.SubnetIpv4CidrReservations!.map((x) => x.SubnetCidrReservationId),
      [r.SubnetCidrReservationId],
    );
    assert.deepEqual(
      all.SubnetIpv6CidrReservations!.map((x) => x.SubnetCidrReservationId),
      [v6.SubnetCidrReservationId],
    );
    const prefixOnly = await h.ec2.send(
      new GetSubnetCidrReservationsCommand({ SubnetId: subnetId, Filters: [{ Name: "reservationType", Values: ["prefix"] }] }),
    );
    assert.deepEqual(prefixOnly.SubnetIpv4CidrReservations, []);
    assert.equal(prefixOnly.SubnetIpv6CidrReservations!.length, 1);
    const del = await h.ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: r.SubnetCidrReservationId! }));
    assert.equal(del.DeletedSubnetCidrReservation!.Cidr, "10.66.0.16/28");
    const after = await h.ec2.send(new GetSubnetCidrReservationsCommand({ SubnetId: subnetId }));
    assert.deepEqual(after.SubnetIpv4CidrReservations, []);
  });

  it("automatic addresses skip reserved space; explicit ones may use it; deleting a reservation frees it", async () => {
    const r = await reserve("10.66.0.0/27", "explicit");
    assert.equal(await autoEni(), "10.66.0.32");
    const explicit = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: "10.66.0.10" }));
    assert.equal(explicit.NetworkInterface!.PrivateIpAddress, "10.66.0.10");
    await h.ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: r.SubnetCidrReservationId! }));
    assert.equal(await autoEni(), "10.66.0.4");
  });

  it("a prefix reservation is where /28 prefixes come from, and automatic addresses avoid it", async () => {
    await reserve("10.66.0.128/26", "prefix");
    const eni = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Ipv4PrefixCount: 2 }));
    assert.deepEqual(
      eni.NetworkInterface!.Ipv4Prefixes!.map((p) => p.Ipv4Prefix),
      ["10.66.0.128/28", "10.66.0.144/28"],
    );
    assert.equal(eni.NetworkInterface!.PrivateIpAddress, "10.66.0.4");
    // An explicit reservation keeps prefixes out too: the next ones skip 10.66.0.16/28.
    await reserve("10.66.0.16/28", "explicit");
    const more = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Ipv4PrefixCount: 3 }));
    assert.deepEqual(
      more.NetworkInterface!.Ipv4Prefixes!.map((p) => p.Ipv4Prefix),
      ["10.66.0.160/28", "10.66.0.176/28", "10.66.0.32/28"],
    );
  });

  it("refuses a CIDR outside the subnet, an overlap, a bad CIDR and unknown ids", async () => {
    const first = await reserve("10.66.0.64/27", "explicit");
    const cases: [string, string, string][] = [
      ["10.67.0.0/28", "InvalidParameterValue", `The CIDR '10.67.0.0/28' is not within the CIDR ranges of subnet '${subnetId}'.`],
      ["10.66.0.0/23", "InvalidParameterValue", `The CIDR '10.66.0.0/23' is not within the CIDR ranges of subnet '${subnetId}'.`],
      ["2001:db8::/80", "InvalidParameterValue", `The CIDR '2001:db8::/80' is not within the CIDR ranges of subnet '${subnetId}'.`],
      [
        "10.66.0.80/28",
        "InvalidParameterValue",
        `The CIDR '10.66.0.80/28' overlaps with the existing subnet CIDR reservation '${first.SubnetCidrReservationId}'.`,
      ],
      ["10.66.0.999/28", "InvalidParameterValue", "Value (10.66.0.999/28) for parameter cidr is invalid. This is not a valid CIDR block."],
    ];
    for (const [cidr, code, message] of cases) {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateSubnetCidrReservationCommand({ SubnetId: subnetId, Cidr: cidr, ReservationType: "prefix" })),
        code,
        message,
      );
    }
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new CreateSubnetCidrReservationCommand({ SubnetId: "subnet-0123456789abcdef0", Cidr: "10.66.0.0/28", ReservationType: "prefix" }),
        ),
      "InvalidSubnetID.NotFound",
      "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: "scr-0123456789abcdef0" })),
      "InvalidSubnetCidrReservationID.NotFound",
      "The subnetCidrReservation ID 'scr-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteSubnetCidrReservationCommand({ SubnetCidrReservationId: "subnet-0123456789abcdef0" })),
      "InvalidSubnetCidrReservationID.Malformed",
      'Invalid id: "subnet-0123456789abcdef0" (expecting "scr-...")',
    );
  });
});
