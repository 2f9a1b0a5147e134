/**
 * Issue 15 ("Real automation runs unchanged"): AWS's answers for requests automation sends by mistake, each checked
 * for code, exact message and unchanged state: TerminateInstances with no ids, TagSpecifications without a
 * ResourceType or without tags, ProvisionByoipCidr of a range the internet does not route.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  ProvisionByoipCidrCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("automation fidelity (issue 15)", () => {
  const h = useHarness();

  it("TerminateInstances with no ids → InvalidParameterCombination 'No instances specified'", async () => {
    const r = await h.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }));
    assert.equal(r.Instances?.length, 1);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [] })),
      "InvalidParameterCombination",
      "No instances specified",
    );
  });

  it("a TagSpecification without ResourceType → InvalidParameter; without tags → InvalidParameterValue", async () => {
    const vpc = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.151.0.0/16" }))).Vpc!;
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new CreateSubnetCommand({
            VpcId: vpc.VpcId,
            CidrBlock: "10.151.1.0/24",
            TagSpecifications: [{ Tags: [{ Key: "Name", Value: "a" }] }],
          }),
        ),
      "InvalidParameter",
      "Tag specification resource type must have a value",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new CreateSubnetCommand({
            VpcId: vpc.VpcId,
            CidrBlock: "10.151.1.0/24",
            TagSpecifications: [{ ResourceType: "subnet", Tags: [] }],
          }),
        ),
      "InvalidParameterValue",
      "Tag specification must have at least one tag",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new CreateVolumeCommand({
            AvailabilityZone: "us-east-1a",
            Size: 8,
            TagSpecifications: [{ ResourceType: "volume" }],
          }),
        ),
      "InvalidParameterValue",
      "Tag specification must have at least one tag",
    );
    // The type is checked before the tags: a wrong type with no tags names the type.
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: "10.151.1.0/24", TagSpecifications: [{ ResourceType: "vpc" }] })),
      "InvalidParameterValue",
      "'vpc' is not a valid taggable resource type for this operation.",
    );
    // With both, it works.
    const ok = await h.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpc.VpcId,
        CidrBlock: "10.151.1.0/24",
        TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "Name", Value: "a" }] }],
      }),
    );
    assert.deepEqual(ok.Subnet?.Tags, [{ Key: "Name", Value: "a" }]);
  });

  describe("ProvisionByoipCidr refuses ranges the internet does not route", () => {
    const context = { Message: "1|aws|000000000000|X|20991231|SHA256|RSAPSS", Signature: "c2ln" };
    const refused = [
      "10.20.0.0/24", // RFC 1918
      "172.16.5.0/24",
      "192.168.10.0/24",
      "100.64.0.0/24", // RFC 6598 shared address space (CGNAT)
      "127.0.0.0/24", // loopback
      "169.254.0.0/24", // link-local
      "224.0.1.0/24", // multicast
      "240.0.0.0/24", // reserved
      "0.0.0.0/24", // "this network"
      "10.0.0.0/8", // a broad private range
      "fd00:1234::/48", // IPv6 unique-local
      "fe80::/48", // IPv6 link-local
      "ff02::/48", // IPv6 multicast
    ];
    for (const cidr of refused) {
      it(`${cidr} → InvalidParameterValue, nothing stored`, async () => {
        await expectErrorNoChange(
          h,
          () => h.ec2.send(new ProvisionByoipCidrCommand({ Cidr: cidr, CidrAuthorizationContext: context })),
          "InvalidParameterValue",
          `Value (${cidr}) for parameter cidr is invalid. The address range must be publicly routable.`,
        );
      });
    }
    it("the documentation ranges localvpc's simulated internet uses stay accepted (203.0.113.0/24)", async () => {
      const r = await h.ec2.send(new ProvisionByoipCidrCommand({ Cidr: "203.0.113.0/24", CidrAuthorizationContext: context }));
      assert.equal(r.ByoipCidr?.Cidr, "203.0.113.0/24");
    });
  });
});
