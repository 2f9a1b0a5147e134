/**
 * Lowest-free private address assignment through the allocation hint (src/api/address-space.ts): freed addresses
 * below the hint are reused, explicit claims are skipped, and a failed or DryRun call leaves the hint as it was.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateNetworkInterfaceCommand, CreateSubnetCommand, CreateVpcCommand, DeleteNetworkInterfaceCommand } from "@aws-sdk/client-ec2";
import { expectError, startHarness, type Harness } from "./harness.js";

describe("private address assignment", () => {
  let h: Harness;
  let subnetId: string;
  before(async () => {
    h = await startHarness();
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }));
    subnetId = (await h.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: "10.90.0.0/28" }))).Subnet!.SubnetId!;
  });
  after(async () => h.close());

  const create = async (ip?: string): Promise<{ id: string; ip: string }> => {
    const { NetworkInterface } = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, PrivateIpAddress: ip }));
    return { id: NetworkInterface!.NetworkInterfaceId!, ip: NetworkInterface!.PrivateIpAddress! };
  };

  it("hands out the lowest free address, skips explicit claims and reuses freed ones", async () => {
    const a = await create();
    const b = await create();
    assert.deepEqual([a.ip, b.ip], ["10.90.0.4", "10.90.0.5"]);
    await create("10.90.0.6");
    assert.equal((await create()).ip, "10.90.0.7", "an explicitly claimed address is skipped");
    await h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: a.id }));
    assert.equal((await create()).ip, "10.90.0.4", "a freed address below the hint is handed out again");
    await expectError(
      h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, DryRun: true })),
      "DryRunOperation",
      "Request would have succeeded, but DryRun flag is set.",
      412,
    );
    assert.equal((await create()).ip, "10.90.0.8", "a DryRun does not move the hint");
  });

  it("fills the subnet to its last usable address, then InsufficientFreeAddressesInSubnet", async () => {
    // 10.90.0.0/28: .4–.14 usable (11); .4–.8 are taken above.
    const rest = [];
    for (let i = 0; i < 6; i++) rest.push((await create()).ip);
    assert.deepEqual(rest, ["10.90.0.9", "10.90.0.10", "10.90.0.11", "10.90.0.12", "10.90.0.13", "10.90.0.14"]);
    await expectError(
      h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId })),
      "InsufficientFreeAddressesInSubnet",
      "The specified subnet does not have enough free addresses to satisfy the request.",
    );
  });
});
