/**
 * The AWS CLI drives ELBv2 unchanged (issue 17): `aws elbv2 create-load-balancer --type network --subnet-mappings
 * SubnetId=…,AllocationId=…`, the waiter, and `aws ec2 describe-network-interfaces` showing the load balancer's
 * requester-managed ENI holding the Elastic IP; an ELBv2 error comes back with its code. The server runs in-process
 * (the library), so the test needs no build.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startLocalVpc, type LocalVpc } from "../../src/index.js";
import { awsCliAt } from "./aws-cli-harness.js";

describe("aws elbv2 (AWS CLI)", () => {
  let vpc: LocalVpc;
  before(async () => {
    vpc = await startLocalVpc({ port: 0, data: ":memory:" });
  });
  after(async () => vpc.close());

  const aws = <T = Record<string, unknown>>(...args: string[]): Promise<T> => awsCliAt(vpc.url)<T>(...args);

  it("create-load-balancer with an EIP subnet mapping, the waiter, and the managed ENI in describe-network-interfaces", async () => {
    const subnets = await aws<{ Subnets: { SubnetId: string; AvailabilityZone: string }[] }>(
      "ec2",
      "describe-subnets",
      "--filters",
      "Name=default-for-az,Values=true",
    );
    const subnetId = subnets.Subnets.find((s) => s.AvailabilityZone === "us-east-1a")!.SubnetId;
    const eip = await aws<{ AllocationId: string; PublicIp: string }>("ec2", "allocate-address", "--domain", "vpc");
    const created = await aws<{ LoadBalancers: { LoadBalancerArn: string; State: { Code: string }; DNSName: string }[] }>(
      "elbv2",
      "create-load-balancer",
      "--name",
      "cli-nlb",
      "--type",
      "network",
      "--subnet-mappings",
      `SubnetId=${subnetId},AllocationId=${eip.AllocationId}`,
    );
    const lb = created.LoadBalancers[0]!;
    assert.match(lb.LoadBalancerArn, /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/net\/cli-nlb\/[0-9a-f]{16}$/);
    assert.equal(lb.State.Code, "provisioning");
    await aws("elbv2", "wait", "load-balancer-available", "--load-balancer-arns", lb.LoadBalancerArn);
    const id = lb.LoadBalancerArn.split("/")[3]!;
    const enis = await aws<{
      NetworkInterfaces: {
        Description: string;
        InterfaceType: string;
        RequesterId: string;
        RequesterManaged: boolean;
        SubnetId: string;
        Association?: { PublicIp: string; AllocationId: string };
        Attachment?: { InstanceOwnerId: string };
      }[];
    }>("ec2", "describe-network-interfaces", "--filters", `Name=description,Values=ELB net/cli-nlb/${id}`);
    assert.equal(enis.NetworkInterfaces.length, 1);
    const eni = enis.NetworkInterfaces[0]!;
    assert.equal(eni.InterfaceType, "network_load_balancer");
    assert.equal(eni.RequesterId, "amazon-elb");
    assert.equal(eni.RequesterManaged, true);
    assert.equal(eni.SubnetId, subnetId);
    assert.equal(eni.Attachment!.InstanceOwnerId, "amazon-aws");
    assert.ok(eni.Association, "the EIP is associated");
    assert.equal(eni.Association.PublicIp, eip.PublicIp);
    assert.equal(eni.Association.AllocationId, eip.AllocationId);
  });

  it("an ELBv2 error reaches the CLI with its code and message", async () => {
    try {
      await aws("elbv2", "describe-load-balancers", "--names", "no-such-lb");
    } catch (e) {
      assert.match(String((e as { stderr?: unknown }).stderr), /\(LoadBalancerNotFound\).*Load balancers '\[no-such-lb\]' not found/);
      return;
    }
    assert.fail("expected LoadBalancerNotFound");
  });
});
