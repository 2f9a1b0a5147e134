/**
 * The installed AWS CLI against a real `localvpc serve`: VPC → subnet → security group + rule → internet gateway →
 * run-instances (t3.medium) → describe-instances → stop/start/terminate (with the CLI's own waiters), and
 * describe-instance-types for p5.48xlarge. .ci/run installs the CLI (Debian's awscli) when it is missing.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";

describe("AWS CLI against localvpc serve", () => {
  let cli: AwsCli;
  const aws: AwsCli["aws"] = (...args) => cli.aws(...args);
  const awsFails: AwsCli["awsFails"] = (args, code) => cli.awsFails(args, code);

  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());

  it("builds a network and runs an instance through its lifecycle", async () => {
    const { Vpc } = await aws<{ Vpc: { VpcId: string; CidrBlock: string; OwnerId: string } }>("create-vpc", "--cidr-block", "10.20.0.0/16");
    assert.equal(Vpc.CidrBlock, "10.20.0.0/16");
    assert.equal(Vpc.OwnerId, "123456789012");

    const { Subnet } = await aws<{ Subnet: { SubnetId: string; AvailableIpAddressCount: number } }>(
      "create-subnet",
      "--vpc-id",
      Vpc.VpcId,
      "--cidr-block",
      "10.20.1.0/24",
      "--availability-zone",
      "us-east-1a",
    );
    assert.equal(Subnet.AvailableIpAddressCount, 251);
    await awsFails(["create-subnet", "--vpc-id", Vpc.VpcId, "--cidr-block", "10.21.0.0/24"], "InvalidSubnet.Range");

    const { GroupId } = await aws<{ GroupId: string }>(
      "create-security-group",
      "--group-name",
      "web",
      "--description",
      "web servers",
      "--vpc-id",
      Vpc.VpcId,
    );
    await aws("authorize-security-group-ingress", "--group-id", GroupId, "--protocol", "tcp", "--port", "443", "--cidr", "0.0.0.0/0");
    const sg = await aws<{ SecurityGroups: { IpPermissions: { FromPort: number; IpRanges: { CidrIp: string }[] }[] }[] }>(
      "describe-security-groups",
      "--group-ids",
      GroupId,
    );
    assert.equal(sg.SecurityGroups[0]!.IpPermissions[0]!.FromPort, 443);
    assert.equal(sg.SecurityGroups[0]!.IpPermissions[0]!.IpRanges[0]!.CidrIp, "0.0.0.0/0");

    const { InternetGateway } = await aws<{ InternetGateway: { InternetGatewayId: string } }>("create-internet-gateway");
    await aws("attach-internet-gateway", "--internet-gateway-id", InternetGateway.InternetGatewayId, "--vpc-id", Vpc.VpcId);
    await awsFails(
      ["attach-internet-gateway", "--internet-gateway-id", InternetGateway.InternetGatewayId, "--vpc-id", Vpc.VpcId],
      "Resource.AlreadyAssociated",
    );

    const images = await aws<{ Images: { ImageId: string }[] }>("describe-images", "--owners", "amazon");
    const imageId = images.Images[0]!.ImageId;
    const launched = await aws<{
      Instances: { InstanceId: string; State: { Code: number; Name: string }; NetworkInterfaces: unknown[] }[];
    }>(
      "run-instances",
      "--image-id",
      imageId,
      "--instance-type",
      "t3.medium",
      "--subnet-id",
      Subnet.SubnetId,
      "--security-group-ids",
      GroupId,
      "--count",
      "1",
    );
    const instanceId = launched.Instances[0]!.InstanceId;
    assert.deepEqual(launched.Instances[0]!.State, { Code: 0, Name: "pending" });
    assert.equal(launched.Instances[0]!.NetworkInterfaces.length, 1);

    await aws("wait", "instance-running", "--instance-ids", instanceId);
    const described = await aws<{
      Reservations: { Instances: { InstanceId: string; InstanceType: string; SubnetId: string; State: { Name: string } }[] }[];
    }>("describe-instances", "--instance-ids", instanceId);
    const inst = described.Reservations[0]!.Instances[0]!;
    assert.equal(inst.InstanceType, "t3.medium");
    assert.equal(inst.SubnetId, Subnet.SubnetId);
    assert.equal(inst.State.Name, "running");

    const stopped = await aws<{ StoppingInstances: { CurrentState: { Name: string }; PreviousState: { Name: string } }[] }>(
      "stop-instances",
      "--instance-ids",
      instanceId,
    );
    assert.equal(stopped.StoppingInstances[0]!.PreviousState.Name, "running");
    await aws("wait", "instance-stopped", "--instance-ids", instanceId);
    const started = await aws<{ StartingInstances: { PreviousState: { Name: string } }[] }>(
      "start-instances",
      "--instance-ids",
      instanceId,
    );
    assert.equal(started.StartingInstances[0]!.PreviousState.Name, "stopped");
    await aws("wait", "instance-running", "--instance-ids", instanceId);
    await aws("terminate-instances", "--instance-ids", instanceId);
    await aws("wait", "instance-terminated", "--instance-ids", instanceId);
    await awsFails(["start-instances", "--instance-ids", instanceId], "IncorrectInstanceState");
  });

  it("describe-instance-types shows p5.48xlarge with 32 network cards", async () => {
    const r = await aws<{ InstanceTypes: { NetworkInfo: { MaximumNetworkCards: number; NetworkCards: unknown[] } }[] }>(
      "describe-instance-types",
      "--instance-types",
      "p5.48xlarge",
    );
    assert.equal(r.InstanceTypes[0]!.NetworkInfo.MaximumNetworkCards, 32);
    assert.equal(r.InstanceTypes[0]!.NetworkInfo.NetworkCards.length, 32);
  });

  it("reports AWS's error code for a malformed id", async () => {
    const stderr = await awsFails(["describe-vpcs", "--vpc-ids", "vpc-nothex"], "InvalidVpcID.Malformed");
    assert.match(stderr, /Invalid id: "vpc-nothex" \(expecting "vpc-\.\.\."\)/);
  });
});
