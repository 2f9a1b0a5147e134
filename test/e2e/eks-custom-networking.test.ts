/**
 * VPC CNI custom networking (issue 18) with the real SDK v3 clients against a real server: with
 * AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true in the vpc-cni add-on's configuration and an ENIConfig per zone (set through
 * localvpc's admin route: there is no Kubernetes API), pods take IPs of secondary ENIs in the ENIConfig's subnet with
 * its security groups, the node's primary ENI serves no pods, and max pods is (ENIs − 1) × (IPv4 per ENI − 1) + 2.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAddonCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  EKSClient,
} from "@aws-sdk/client-eks";
import {
  AssociateVpcCidrBlockCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
} from "@aws-sdk/client-ec2";
import type { EksPod } from "../../src/domain/types.js";
import { adminCall, useHarness, type Harness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/eks-cluster-role";
const NODE_ROLE = "arn:aws:iam::000000000000:role/eks-node-role";
const CUSTOM = '{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true"}}';

interface PodsAnswer {
  running: number;
  pending: number;
  nodes: { instanceId: string; maxPods: number; enis: { networkInterfaceId: string; deviceIndex: number; podIps: number }[] }[];
  pods: EksPod[];
}
type ErrorAnswer = { error: string; message: string };

const eksOf = (h: Harness): EKSClient =>
  new EKSClient({ endpoint: h.vpc.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "x" }, maxAttempts: 1 });

/** A VPC with node subnets in 1a and 1b, a pod subnet in 100.64.0.0/16 (1a), a pod group, an ACTIVE cluster with custom networking. */
const setup = async (h: Harness, name: string, second: number) => {
  const eks = eksOf(h);
  const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }))).Vpc!.VpcId!;
  await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: `100.${second}.0.0/16` }));
  const subnet = async (cidr: string, zone: string): Promise<string> =>
    (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!;
  const a = await subnet(`10.${second}.1.0/24`, "us-east-1a");
  const b = await subnet(`10.${second}.2.0/24`, "us-east-1b");
  const podSubnet = await subnet(`100.${second}.0.0/24`, "us-east-1a");
  const podSg = (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `${name}-pods`, Description: "pods" })))
    .GroupId!;
  await eks.send(new CreateClusterCommand({ name, roleArn: ROLE, resourcesVpcConfig: { subnetIds: [a, b] } }));
  await eks.send(new CreateAddonCommand({ clusterName: name, addonName: "vpc-cni", configurationValues: CUSTOM }));
  return { eks, vpcId, a, b, podSubnet, podSg };
};

const nodegroup = async (eks: EKSClient, cluster: string, ng: string, subnet: string): Promise<void> => {
  await eks.send(
    new CreateNodegroupCommand({
      clusterName: cluster,
      nodegroupName: ng,
      nodeRole: NODE_ROLE,
      subnets: [subnet],
      instanceTypes: ["m5.large"],
      scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 1 },
    }),
  );
};

describe("EKS custom networking (ENIConfig)", () => {
  const h = useHarness();

  it("pods take IPs of secondary ENIs in the ENIConfig subnet with its groups; the primary ENI serves none; max pods 20 on m5.large", async () => {
    const { eks, a, podSubnet, podSg } = await setup(h, "c1", 81);
    const put = await adminCall<Record<string, unknown>>(h, "POST", "eks/eni-configs", {
      cluster: "c1",
      name: "us-east-1a",
      subnet: podSubnet,
      securityGroups: [podSg],
    });
    assert.deepEqual([put.status, put.body], [200, { cluster: "c1", name: "us-east-1a", subnet: podSubnet, securityGroups: [podSg] }]);
    await nodegroup(eks, "c1", "ng", a);
    const node = (await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:eks:cluster-name", Values: ["c1"] }] })))
      .Reservations![0]!.Instances![0]!;
    const enisOf = async () =>
      (
        await h.ec2.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [node.InstanceId!] }] }),
        )
      ).NetworkInterfaces!;
    // At start ipamd fills its warm ENI in the ENIConfig's subnet; the primary ENI gets no secondary IP.
    const atStart = await enisOf();
    const primary = atStart.find((e) => e.Attachment!.DeviceIndex === 0)!;
    assert.deepEqual([primary.SubnetId, primary.PrivateIpAddresses!.length], [a, 1]);
    const warm = atStart.filter((e) => e.Attachment!.DeviceIndex !== 0);
    assert.equal(warm.length, 1);
    assert.deepEqual(
      [warm[0]!.SubnetId, warm[0]!.Groups!.map((g) => g.GroupId), warm[0]!.Description, warm[0]!.PrivateIpAddresses!.length],
      [podSubnet, [podSg], `aws-K8S-${node.InstanceId}`, 10],
    );

    const r = await adminCall<PodsAnswer>(h, "POST", "eks/pods", { cluster: "c1", nodegroup: "ng", replicas: 25 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // (3 − 1) × (10 − 1) + 2 = 20, two of which are host-network pods: 18 application pods.
    assert.deepEqual([r.body.nodes[0]!.maxPods, r.body.running, r.body.pending], [20, 18, 7]);
    assert.ok(r.body.pods.filter((p) => p.state === "Pending").every((p) => p.reasonCode === "TooManyPods"));
    const enis = await enisOf();
    assert.equal(enis.length, 3);
    const bySecondary = new Map(
      enis.flatMap((e) => e.PrivateIpAddresses!.filter((p) => !p.Primary).map((p) => [p.PrivateIpAddress!, e] as const)),
    );
    for (const p of r.body.pods.filter((x) => x.state === "Running")) {
      const e = bySecondary.get(p.ip!);
      assert.ok(e, `${p.ip} is a secondary IP of the node`);
      assert.deepEqual([e.NetworkInterfaceId, e.SubnetId, e.Groups!.map((g) => g.GroupId)], [p.eni, podSubnet, [podSg]]);
      assert.match(p.ip!, /^100\.81\.0\./);
    }
    assert.equal(r.body.nodes[0]!.enis.find((e) => e.deviceIndex === 0)!.podIps, 0);
    const max = await adminCall<{ maxPods: number }>(h, "GET", "eks/max-pods?instanceType=m5.large&customNetworking=true");
    assert.equal(max.body.maxPods, 20);
  });

  it("a node in a zone without an ENIConfig leaves its pods Pending and says which ENIConfig is missing", async () => {
    const { eks, a, b, podSubnet } = await setup(h, "c2", 82);
    await adminCall(h, "POST", "eks/eni-configs", { cluster: "c2", name: "us-east-1a", subnet: podSubnet });
    await nodegroup(eks, "c2", "ng", b);
    const r = await adminCall<PodsAnswer>(h, "POST", "eks/pods", { cluster: "c2", nodegroup: "ng", replicas: 2 });
    assert.deepEqual([r.body.running, r.body.pending], [0, 2]);
    assert.equal(r.body.pods[0]!.reasonCode, "NoEniConfig");
    assert.match(r.body.pods[0]!.reason!, /has no ENIConfig named us-east-1b for the node's zone/);
    // A node group in the zone with an ENIConfig runs its pods; without groups its ENIs take the primary ENI's.
    await nodegroup(eks, "c2", "ng-a", a);
    const ok = await adminCall<PodsAnswer>(h, "POST", "eks/pods", { cluster: "c2", nodegroup: "ng-a", replicas: 2 });
    assert.deepEqual([ok.body.running, ok.body.pending], [2, 0]);
    // Deleting the cluster deletes its ENIConfigs.
    for (const ng of ["ng", "ng-a"]) await eks.send(new DeleteNodegroupCommand({ clusterName: "c2", nodegroupName: ng }));
    await eks.send(new DeleteClusterCommand({ name: "c2" }));
    await eks.send(new CreateClusterCommand({ name: "c2", roleArn: ROLE, resourcesVpcConfig: { subnetIds: [a, b] } }));
    const fresh = await adminCall<{ eniConfigs: unknown[] }>(h, "GET", "eks/eni-configs?cluster=c2");
    assert.deepEqual([fresh.status, fresh.body.eniConfigs], [200, []]);
  });

  it("lists and deletes ENIConfigs; refuses a bad name, a subnet or group of another VPC, changing nothing", async () => {
    const { podSubnet, podSg } = await setup(h, "c3", 83);
    const other = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.84.0.0/16" }))).Vpc!.VpcId!;
    const otherSubnet = (
      await h.ec2.send(new CreateSubnetCommand({ VpcId: other, CidrBlock: "10.84.1.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    await adminCall(h, "POST", "eks/eni-configs", { cluster: "c3", name: "us-east-1a", subnet: podSubnet, securityGroups: [podSg] });
    const before = await h.state();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [
        { name: "Zone_A", subnet: podSubnet },
        400,
        "InvalidParameterValue",
        "ENIConfig name 'Zone_A' is not a valid Kubernetes name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
      ],
      [{ name: "us-east-1b", subnet: otherSubnet }, 400, "InvalidParameterException", `Subnet ${otherSubnet} is not in the cluster's VPC`],
      [
        { name: "us-east-1b", subnet: "subnet-0123456789abcdef0" },
        400,
        "InvalidParameterException",
        "The subnet ID 'subnet-0123456789abcdef0' does not exist",
      ],
      [
        { name: "us-east-1b", subnet: podSubnet, securityGroups: ["sg-0123456789abcdef0"] },
        400,
        "InvalidParameterException",
        "The security group 'sg-0123456789abcdef0' does not exist",
      ],
      [{ cluster: "nope", name: "us-east-1b", subnet: podSubnet }, 404, "ResourceNotFoundException", "No cluster found for name: nope."],
    ];
    for (const [body, status, code, message] of cases) {
      const e = await adminCall<ErrorAnswer>(h, "POST", "eks/eni-configs", { cluster: "c3", ...body });
      assert.deepEqual([e.status, e.body.error, e.body.message], [status, code, message]);
    }
    assert.deepEqual(await h.state(), before);
    const list = await adminCall<{ eniConfigs: unknown[] }>(h, "GET", "eks/eni-configs?cluster=c3");
    assert.deepEqual(list.body.eniConfigs, [{ cluster: "c3", name: "us-east-1a", subnet: podSubnet, securityGroups: [podSg] }]);
    const del = await fetch(`${h.vpc.url}/_localvpc/eks/eni-configs?cluster=c3&name=us-east-1a`, { method: "DELETE" });
    assert.deepEqual([del.status, await del.json()], [200, { cluster: "c3", deleted: "us-east-1a" }]);
    const again = await fetch(`${h.vpc.url}/_localvpc/eks/eni-configs?cluster=c3&name=us-east-1a`, { method: "DELETE" });
    assert.deepEqual([again.status, ((await again.json()) as ErrorAnswer).message], [404, "Cluster c3 has no ENIConfig named us-east-1a."]);
  });
});
