/**
 * EKS pod data plane (issue 18) with the real SDK v3 clients against a real server: `traffic send --from pod:NAME`
 * sends from the pod's IP on its node's ENI, with that ENI's security groups; pod-to-pod traffic across nodes is
 * delivered; traffic leaving the VPC is source-NATed to the node's primary IP unless AWS_VPC_K8S_CNI_EXTERNALSNAT is
 * true, when the pod's IP reaches the NAT gateway as it is.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CreateAddonCommand, CreateClusterCommand, CreateNodegroupCommand, DescribeClusterCommand, EKSClient } from "@aws-sdk/client-eks";
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { EksPod } from "../../src/domain/types.js";
import type { Verdict } from "../../src/domain/dataplane/evaluate.js";
import { adminCall, useHarness, type Harness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/eks-cluster-role";
const NODE_ROLE = "arn:aws:iam::000000000000:role/eks-node-role";

type SendAnswer = Verdict & { notes: string[] };
type ErrorAnswer = { error: string; message: string };

const eksOf = (h: Harness): EKSClient =>
  new EKSClient({ endpoint: h.vpc.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "x" }, maxAttempts: 1 });

const send = async (h: Harness, from: string, to: string, port = 80): Promise<SendAnswer> => {
  const r = await adminCall<SendAnswer>(h, "POST", "traffic/send", { from, to, proto: "tcp", port });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

/**
 * A VPC whose node subnets (10.x.1.0/24 in 1a, 10.x.2.0/24 in 1b) route the internet through a NAT gateway in a
 * public subnet; an ACTIVE cluster; a node group of two m5.large (one per subnet); four pods spread over them.
 */
const setup = async (h: Harness, name: string, second: number, cni?: string) => {
  const eks = eksOf(h);
  const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }))).Vpc!.VpcId!;
  const subnet = async (third: number, zone: string): Promise<string> =>
    (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${second}.${third}.0/24`, AvailabilityZone: zone }))).Subnet!
      .SubnetId!;
  const a = await subnet(1, "us-east-1a");
  const b = await subnet(2, "us-east-1b");
  const pub = await subnet(3, "us-east-1a");
  const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const pubRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await h.ec2.send(new CreateRouteCommand({ RouteTableId: pubRtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
  await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: pubRtb, SubnetId: pub }));
  const { AllocationId } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
  const nat = (await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: pub, AllocationId }))).NatGateway!.NatGatewayId!;
  const privRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await h.ec2.send(new CreateRouteCommand({ RouteTableId: privRtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat }));
  for (const s of [a, b]) await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: privRtb, SubnetId: s }));

  await eks.send(new CreateClusterCommand({ name, roleArn: ROLE, resourcesVpcConfig: { subnetIds: [a, b] } }));
  if (cni) await eks.send(new CreateAddonCommand({ clusterName: name, addonName: "vpc-cni", configurationValues: cni }));
  await eks.send(
    new CreateNodegroupCommand({
      clusterName: name,
      nodegroupName: "ng",
      nodeRole: NODE_ROLE,
      subnets: [a, b],
      instanceTypes: ["m5.large"],
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 2 },
    }),
  );
  const r = await adminCall<{ pods: EksPod[] }>(h, "POST", "eks/pods", { cluster: name, nodegroup: "ng", replicas: 4 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const pods = r.body.pods.filter((p) => p.state === "Running");
  assert.equal(pods.length, 4);
  const clusterSg = (await eks.send(new DescribeClusterCommand({ name }))).cluster!.resourcesVpcConfig!.clusterSecurityGroupId!;
  const reservations = (await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:eks:cluster-name", Values: [name] }] })))
    .Reservations!;
  const nodeIp = new Map(reservations.flatMap((x) => x.Instances!).map((i) => [i.InstanceId!, i.PrivateIpAddress!]));
  return { vpcId, a, pods, clusterSg, nodeIp };
};

describe("EKS pod traffic (VPC CNI data plane)", () => {
  const h = useHarness();

  it("a pod reaches a pod on another node from its own IP; the reply returns", async () => {
    const { pods } = await setup(h, "t1", 71);
    const p1 = pods[0]!;
    const other = pods.find((p) => p.node !== p1.node)!;
    assert.ok(other, "pods spread over both nodes");
    const v = await send(h, `pod:${p1.name}`, `pod:${other.name}`);
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.reply?.delivered, true);
    assert.deepEqual([v.deliveredTo, v.deliveredToEni], [other.node, other.eni]);
    assert.ok(
      v.notes.some((n) => n.includes(`sends from its IP ${p1.ip} on ${p1.eni}`)),
      JSON.stringify(v.notes),
    );
    // The pod's IP is an address like any other: `--to 10.x.y.z` reaches the same pod.
    const byIp = await send(h, `pod:${p1.name}`, other.ip!);
    assert.equal(byIp.deliveredToEni, other.eni);
    // `pod:CLUSTER/NAME` names the same pod.
    assert.equal((await send(h, `pod:t1/${p1.name}`, `pod:t1/${other.name}`)).delivered, true);
  });

  it("the pod's ENI's security groups decide what reaches it", async () => {
    const { a, pods, clusterSg } = await setup(h, "t2", 72);
    const client = (
      await h.ec2.send(
        new RunInstancesCommand({ ImageId: "ami-0a1b2c3d4e5f60001", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: a }),
      )
    ).Instances![0]!;
    const pod = pods[0]!;
    // The node's ENIs are in the cluster security group, which lets in only its own members.
    const refused = await send(h, client.InstanceId!, `pod:${pod.name}`, 8080);
    assert.deepEqual([refused.delivered, refused.reason], [false, "ENI_SG_RULES_MISMATCH"], refused.explanation);
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: clusterSg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: `${client.PrivateIpAddress}/32` }] }],
      }),
    );
    const allowed = await send(h, client.InstanceId!, `pod:${pod.name}`, 8080);
    assert.deepEqual([allowed.delivered, allowed.deliveredToEni], [true, pod.eni], allowed.explanation);
  });

  it("to the internet a pod is source-NATed to its node's primary IP and leaves by the node's primary ENI", async () => {
    const { pods, nodeIp } = await setup(h, "t3", 73);
    const pod = pods.find((p) => p.eni !== undefined)!;
    const v = await send(h, `pod:${pod.name}`, "internet", 443);
    assert.equal(v.delivered, true, v.explanation);
    const natHop = v.hops.find((x) => x.type === "nat-gateway" && x.rewrite?.field === "source");
    assert.equal(natHop?.rewrite?.from, nodeIp.get(pod.node!), JSON.stringify(v.hops));
    assert.ok(
      v.notes.some((n) => n.includes("source-NATs it to its node's primary IP")),
      JSON.stringify(v.notes),
    );
  });

  it("with AWS_VPC_K8S_CNI_EXTERNALSNAT=true the pod's own IP reaches the NAT gateway", async () => {
    const { pods } = await setup(h, "t4", 74, '{"env":{"AWS_VPC_K8S_CNI_EXTERNALSNAT":"true"}}');
    const pod = pods[0]!;
    const v = await send(h, `pod:${pod.name}`, "internet", 443);
    assert.equal(v.delivered, true, v.explanation);
    const natHop = v.hops.find((x) => x.type === "nat-gateway" && x.rewrite?.field === "source");
    assert.equal(natHop?.rewrite?.from, pod.ip, JSON.stringify(v.hops));
    assert.equal(v.hops[0]!.component, pod.eni);
  });

  it("refuses an unknown pod, a Pending pod and IPv6 with the reason, changing nothing", async () => {
    const { pods } = await setup(h, "t5", 75);
    // Scale past what the nodes hold so that some pods stay Pending (two m5.large: 2 × 27 application pods).
    const r = await adminCall<{ pods: EksPod[] }>(h, "POST", "eks/pods", { cluster: "t5", nodegroup: "ng", replicas: 60 });
    const pending = r.body.pods.find((p) => p.state === "Pending")!;
    const before = await h.state();
    const cases: [Record<string, unknown>, string][] = [
      [
        { from: "pod:ng-pod-999", to: "internet" },
        "Cannot resolve --from 'pod:ng-pod-999': no EKS pod of that name (see localvpc eks pods list).",
      ],
      [{ from: pods[0]!.ip, to: "pod:nope" }, "Cannot resolve --to 'pod:nope': no EKS pod of that name (see localvpc eks pods list)."],
      [{ from: `pod:${pending.name}`, to: "internet" }, `Pod ${pending.name} is not Running with an IP: ${pending.reason}`],
      [
        { from: `pod:${pods[0]!.name}`, to: "internet", family: 6 },
        `Cannot resolve --from 'pod:${pods[0]!.name}' for IPv6: it has no IPv6 address (assign one, or send IPv4).`,
      ],
    ];
    for (const [body, message] of cases) {
      const e = await adminCall<ErrorAnswer>(h, "POST", "traffic/send", { proto: "tcp", port: 80, ...body });
      assert.deepEqual([e.status, e.body.error, e.body.message], [400, "InvalidParameterValue", message]);
    }
    assert.deepEqual(await h.state(), before);
  });
});
