/**
 * Network interface permissions end to end (spec §2 group B): Create/Describe/DeleteNetworkInterfacePermission,
 * describe filters and pagination, and every error with code, exact message and unchanged state.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateNetworkInterfacePermissionCommand,
  DeleteNetworkInterfacePermissionCommand,
  DescribeNetworkInterfacePermissionsCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

describe("eni permissions", () => {
  const h = useHarness();
  let eni: string;
  beforeEach(async () => {
    const r = await h.ec2.send(
      new RunInstancesCommand({ ImageId: "ami-0a1b2c3d4e5f60001", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }),
    );
    eni = r.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
  });

  const grant = (AwsAccountId: string | undefined, Permission: "INSTANCE-ATTACH" | "EIP-ASSOCIATE" = "INSTANCE-ATTACH", id = eni) =>
    h.ec2.send(new CreateNetworkInterfacePermissionCommand({ NetworkInterfaceId: id, AwsAccountId, Permission }));
  const list = async (input: ConstructorParameters<typeof DescribeNetworkInterfacePermissionsCommand>[0] = {}) =>
    h.ec2.send(new DescribeNetworkInterfacePermissionsCommand(input));

  it("creates, describes and deletes a permission", async () => {
    const { InterfacePermission: p } = await grant("111122223333");
    assert.match(p!.NetworkInterfacePermissionId!, /^eni-perm-[0-9a-f]{17}$/);
    assert.equal(p!.NetworkInterfaceId, eni);
    assert.equal(p!.AwsAccountId, "111122223333");
    assert.equal(p!.Permission, "INSTANCE-ATTACH");
    // spec §8.6: the CLI sample's upper-case GRANTED (unverified against the model's lower-case enum).
    assert.equal(p!.PermissionState!.State, "GRANTED");
    const all = await list({ NetworkInterfacePermissionIds: [p!.NetworkInterfacePermissionId!] });
    assert.deepEqual(all.NetworkInterfacePermissions, [p]);
    const del = await h.ec2.send(
      new DeleteNetworkInterfacePermissionCommand({ NetworkInterfacePermissionId: p!.NetworkInterfacePermissionId! }),
    );
    assert.equal(del.Return, true);
    assert.deepEqual((await list()).NetworkInterfacePermissions, []);
  });

  it("filters by every documented name and paginates", async () => {
    const a = (await grant("111122223333")).InterfacePermission!;
    const b = (await grant("444455556666", "EIP-ASSOCIATE")).InterfacePermission!;
    const ids = async (Name: string, Values: string[]) =>
      ((await list({ Filters: [{ Name, Values }] })).NetworkInterfacePermissions ?? []).map((p) => p.NetworkInterfacePermissionId);
    assert.deepEqual(await ids("network-interface-permission.network-interface-permission-id", [b.NetworkInterfacePermissionId!]), [
      b.NetworkInterfacePermissionId,
    ]);
    assert.deepEqual(await ids("network-interface-permission.network-interface-id", [eni]), [
      a.NetworkInterfacePermissionId,
      b.NetworkInterfacePermissionId,
    ]);
    assert.deepEqual(await ids("network-interface-permission.aws-account-id", ["4444*"]), [b.NetworkInterfacePermissionId]);
    assert.deepEqual(await ids("network-interface-permission.permission", ["INSTANCE-ATTACH"]), [a.NetworkInterfacePermissionId]);
    assert.deepEqual(await ids("network-interface-permission.aws-service", ["ec2.amazonaws.com"]), []);
    for (let n = 0; n < 5; n++) await grant(`99990000000${n}`);
    const first = await list({ MaxResults: 5 });
    assert.equal(first.NetworkInterfacePermissions!.length, 5);
    const second = await list({ MaxResults: 5, NextToken: first.NextToken });
    assert.equal(second.NetworkInterfacePermissions!.length, 2);
    assert.equal(second.NextToken, undefined);
  });

  it("answers errors without changing state", async () => {
    await expectErrorNoChange(
      h,
      () => grant("111122223333", "INSTANCE-ATTACH", "eni-0123456789abcdef0"),
      "InvalidNetworkInterfaceID.NotFound",
      "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(h, () => grant(undefined), "MissingParameter", "The request must contain the parameter awsAccountId");
    await expectErrorNoChange(
      h,
      () => grant("12345"),
      "InvalidParameterValue",
      "Value (12345) for parameter awsAccountId is invalid. Expecting a 12-digit AWS account ID.",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new CreateNetworkInterfacePermissionCommand({
            NetworkInterfaceId: eni,
            AwsService: "ec2.amazonaws.com",
            Permission: "INSTANCE-ATTACH",
          }),
        ),
      "UnsupportedOperation",
      "The parameter AwsService is not supported by localvpc for CreateNetworkInterfacePermission yet.",
    );
    await expectErrorNoChange(
      h,
      () =>
        h.ec2.send(
          new DeleteNetworkInterfacePermissionCommand({ NetworkInterfacePermissionId: "eni-perm-0123456789abcdef0", Force: true }),
        ),
      "InvalidNetworkInterfacePermissionID.NotFound",
      "The network interface permission ID 'eni-perm-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => list({ NetworkInterfacePermissionIds: ["eni-perm-0123456789abcdef1"] }),
      "InvalidNetworkInterfacePermissionID.NotFound",
      "The network interface permission ID 'eni-perm-0123456789abcdef1' does not exist",
    );
    await expectErrorNoChange(h, () => list({ MaxResults: 4 }), "InvalidParameterValue", /maxResults/i);
    await expectErrorNoChange(
      h,
      () => list({ Filters: [{ Name: "bogus", Values: ["x"] }] }),
      "InvalidParameterValue",
      "The filter 'bogus' is invalid",
    );
  });
});
