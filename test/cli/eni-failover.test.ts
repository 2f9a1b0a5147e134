/**
 * The seed's failover story, scripted with the installed AWS CLI against `localvpc serve`: an ENI with an Elastic IP
 * is attached to instance A; A stops; the ENI is detached and attached to B in the same Availability Zone and keeps
 * its private IP, Elastic IP and MAC address. Attaching across Availability Zones and detaching a primary ENI fail
 * with AWS's errors.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";

interface Eni {
  NetworkInterfaceId: string;
  PrivateIpAddress: string;
  MacAddress: string;
  Status: string;
  Attachment?: { AttachmentId: string; InstanceId: string; DeviceIndex: number };
  Association?: { PublicIp: string };
}

describe("ENI failover with the AWS CLI", () => {
  let cli: AwsCli;
  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());

  const eni = async (id: string): Promise<Eni> =>
    (await cli.aws<{ NetworkInterfaces: Eni[] }>("describe-network-interfaces", "--network-interface-ids", id)).NetworkInterfaces[0]!;

  const launch = async (subnetId: string): Promise<string> =>
    (
      await cli.aws<{ Instances: { InstanceId: string }[] }>(
        "run-instances",
        "--image-id",
        "ami-0a1b2c3d4e5f60001",
        "--instance-type",
        "t3.medium",
        "--subnet-id",
        subnetId,
        "--count",
        "1",
      )
    ).Instances[0]!.InstanceId;

  it("moves an ENI with its Elastic IP from a stopped instance to a standby in the same AZ", async () => {
    const { aws, awsFails } = cli;
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", "10.30.0.0/16");
    const subnet = async (cidr: string, az: string): Promise<string> =>
      (await aws<{ Subnet: { SubnetId: string } }>("create-subnet", "--vpc-id", Vpc.VpcId, "--cidr-block", cidr, "--availability-zone", az))
        .Subnet.SubnetId;
    const subnetA = await subnet("10.30.1.0/24", "us-east-1a");
    const subnetB = await subnet("10.30.2.0/24", "us-east-1b");
    const { InternetGateway } = await aws<{ InternetGateway: { InternetGatewayId: string } }>("create-internet-gateway");
    await aws("attach-internet-gateway", "--internet-gateway-id", InternetGateway.InternetGatewayId, "--vpc-id", Vpc.VpcId);

    const primary = await launch(subnetA);
    const standby = await launch(subnetA);
    const elsewhere = await launch(subnetB);
    await aws("wait", "instance-running", "--instance-ids", primary, standby, elsewhere);

    // The service ENI and its Elastic IP.
    const created = await aws<{ NetworkInterface: Eni }>(
      "create-network-interface",
      "--subnet-id",
      subnetA,
      "--description",
      "service address",
    );
    const eniId = created.NetworkInterface.NetworkInterfaceId;
    const { AllocationId, PublicIp } = await aws<{ AllocationId: string; PublicIp: string }>("allocate-address", "--domain", "vpc");
    await aws("associate-address", "--allocation-id", AllocationId, "--network-interface-id", eniId);

    const attached = await aws<{ AttachmentId: string }>(
      "attach-network-interface",
      "--network-interface-id",
      eniId,
      "--instance-id",
      primary,
      "--device-index",
      "1",
    );
    const before = await eni(eniId);
    assert.equal(before.Status, "in-use");
    assert.equal(before.Attachment?.InstanceId, primary);
    assert.equal(before.Association?.PublicIp, PublicIp);

    // The primary instance fails: stop it, move the ENI.
    await aws("stop-instances", "--instance-ids", primary);
    await aws("wait", "instance-stopped", "--instance-ids", primary);
    await aws("detach-network-interface", "--attachment-id", attached.AttachmentId);
    assert.equal((await eni(eniId)).Status, "available");
    await aws("attach-network-interface", "--network-interface-id", eniId, "--instance-id", standby, "--device-index", "1");

    const after = await eni(eniId);
    assert.equal(after.Attachment?.InstanceId, standby);
    assert.equal(after.PrivateIpAddress, before.PrivateIpAddress, "same private IP");
    assert.equal(after.MacAddress, before.MacAddress, "same MAC address");
    assert.equal(after.Association?.PublicIp, PublicIp, "same Elastic IP");
    const addr = await aws<{ Addresses: { InstanceId?: string; NetworkInterfaceId?: string }[] }>(
      "describe-addresses",
      "--allocation-ids",
      AllocationId,
    );
    assert.equal(addr.Addresses[0]!.InstanceId, standby, "the EIP follows its ENI");
    assert.equal(addr.Addresses[0]!.NetworkInterfaceId, eniId);

    // Across Availability Zones: AWS refuses.
    const spare = await aws<{ NetworkInterface: Eni }>("create-network-interface", "--subnet-id", subnetA);
    const crossAz = await awsFails(
      [
        "attach-network-interface",
        "--network-interface-id",
        spare.NetworkInterface.NetworkInterfaceId,
        "--instance-id",
        elsewhere,
        "--device-index",
        "1",
      ],
      "InvalidParameterCombination",
    );
    assert.match(crossAz, /You may not attach a network interface to an instance if they are not in the same availability zone/);

    // A primary ENI can never be detached.
    const standbyEnis = await aws<{ NetworkInterfaces: Eni[] }>(
      "describe-network-interfaces",
      "--filters",
      `Name=attachment.instance-id,Values=${standby}`,
      "Name=attachment.device-index,Values=0",
    );
    const primaryAttachment = standbyEnis.NetworkInterfaces[0]!.Attachment!.AttachmentId;
    const detachPrimary = await awsFails(["detach-network-interface", "--attachment-id", primaryAttachment], "OperationNotPermitted");
    assert.match(detachPrimary, /The network interface at device index 0 and networkCard index 0 cannot be detached\./);
  });
});
