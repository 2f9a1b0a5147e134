/**
 * EKS (issue 18) with the real SDK v3 client against a real server: clusters (control-plane ENIs, the cluster security
 * group, CREATING → ACTIVE on the simulated clock, endpoint updates), managed node groups (real EC2 instances with EKS's
 * tags, spread over the subnets, scaled up and down), the vpc-cni add-on's configuration. Every rule: code, message,
 * HTTP status, and the scope's stored state unchanged.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateAddonCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  UpdateAddonCommand,
  UpdateClusterConfigCommand,
  UpdateNodegroupConfigCommand,
  waitUntilClusterActive,
  type CreateClusterCommandInput,
} from "@aws-sdk/client-eks";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type Instance,
} from "@aws-sdk/client-ec2";
import { adminCall, expectErrorNoChange, useHarness, type Harness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/eks-cluster-role";
const NODE_ROLE = "arn:aws:iam::000000000000:role/eks-node-role";

const tagMap = (
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): Record<string, string | undefined> => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value]));

const eksOf = (h: Harness): EKSClient =>
  new EKSClient({ endpoint: h.vpc.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "x" }, maxAttempts: 1 });

const advance = async (h: Harness, ms: number): Promise<void> => {
  const r = await adminCall(h, "POST", "clock/advance", { ms });
  assert.equal(r.status, 200);
};

/** A VPC with one subnet per zone given (10.x.n.0/24). */
const network = async (h: Harness, second: number, zones: readonly string[]): Promise<{ vpcId: string; subnets: string[] }> => {
  const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }));
  const subnets: string[] = [];
  for (const [i, z] of zones.entries()) {
    const { Subnet } = await h.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: `10.${second}.${i}.0/24`, AvailabilityZone: z }),
    );
    subnets.push(Subnet!.SubnetId!);
  }
  return { vpcId: Vpc!.VpcId!, subnets };
};

const clusterInput = (
  name: string,
  subnets: readonly string[],
  extra: Partial<CreateClusterCommandInput> = {},
): CreateClusterCommandInput => ({
  name,
  roleArn: ROLE,
  resourcesVpcConfig: { subnetIds: [...subnets] },
  ...extra,
});

const nodes = async (h: Harness, cluster: string, nodegroup: string): Promise<Instance[]> => {
  const r = await h.ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: "tag:eks:cluster-name", Values: [cluster] },
        { Name: "tag:eks:nodegroup-name", Values: [nodegroup] },
        { Name: "instance-state-name", Values: ["pending", "running"] },
      ],
    }),
  );
  return (r.Reservations ?? []).flatMap((x) => x.Instances ?? []);
};

describe("EKS clusters", () => {
  const h = useHarness({ eksProvisionMs: 600_000 });

  it("creates a cluster CREATING, with its security group and cross-account ENIs; ACTIVE once the clock passes; lists and deletes it", async () => {
    const eks = eksOf(h);
    const net = await network(h, 20, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    const created = await eks.send(new CreateClusterCommand(clusterInput("c1", net.subnets, { tags: { team: "net" } })));
    const c = created.cluster!;
    assert.equal(c.status, "CREATING");
    assert.equal(c.name, "c1");
    assert.equal(c.arn, "arn:aws:eks:us-east-1:000000000000:cluster/c1");
    assert.equal(c.version, "1.33");
    assert.equal(c.endpoint, undefined);
    assert.deepEqual(c.tags, { team: "net" });
    assert.ok(c.createdAt instanceof Date);
    const v = c.resourcesVpcConfig!;
    assert.deepEqual(
      [v.vpcId, v.subnetIds, v.securityGroupIds, v.endpointPublicAccess, v.endpointPrivateAccess, v.publicAccessCidrs],
      [net.vpcId, net.subnets, [], true, false, ["0.0.0.0/0"]],
    );
    assert.equal(c.kubernetesNetworkConfig?.serviceIpv4Cidr, "172.20.0.0/16");

    // The cluster security group: AWS's name form, its rules and tags.
    const sgs = await h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [v.clusterSecurityGroupId!] }));
    const sg = sgs.SecurityGroups![0]!;
    assert.match(sg.GroupName!, /^eks-cluster-sg-c1-\d{10}$/);
    assert.equal(sg.VpcId, net.vpcId);
    assert.deepEqual(
      sg.IpPermissions!.map((p) => [p.IpProtocol, p.UserIdGroupPairs?.map((g) => g.GroupId)]),
      [["-1", [sg.GroupId]]],
    );
    assert.deepEqual(
      sg.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.IpRanges?.map((r) => r.CidrIp)]),
      [["-1", ["0.0.0.0/0"]]],
    );
    const tags = tagMap(sg.Tags);
    assert.deepEqual([tags["aws:eks:cluster-name"], tags["kubernetes.io/cluster/c1"], tags["Name"]], ["c1", "owned", sg.GroupName]);

    // The control plane's ENIs: two, in different zones, requester-managed by EKS's account, in the cluster SG.
    const enis = (
      await h.ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: "vpc-id", Values: [net.vpcId] },
            { Name: "description", Values: ["Amazon EKS c1"] },
          ],
        }),
      )
    ).NetworkInterfaces!;
    assert.equal(enis.length, 2);
    assert.equal(new Set(enis.map((e) => e.AvailabilityZone)).size, 2);
    for (const e of enis) {
      assert.deepEqual(
        [e.OwnerId, e.RequesterId, e.RequesterManaged, e.Status, e.Attachment?.InstanceOwnerId, e.Attachment?.Status],
        ["000000000000", "602401143452", true, "in-use", "602401143452", "attached"],
      );
      assert.deepEqual(
        e.Groups!.map((g) => g.GroupId),
        [sg.GroupId],
      );
    }

    assert.equal((await eks.send(new DescribeClusterCommand({ name: "c1" }))).cluster!.status, "CREATING");
    await advance(h, 600_000);
    const active = (await eks.send(new DescribeClusterCommand({ name: "c1" }))).cluster!;
    assert.equal(active.status, "ACTIVE");
    assert.match(active.endpoint!, /^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    assert.ok(active.certificateAuthority?.data);
    assert.deepEqual((await eks.send(new ListClustersCommand({}))).clusters, ["c1"]);

    const deleted = await eks.send(new DeleteClusterCommand({ name: "c1" }));
    assert.equal(deleted.cluster!.status, "DELETING");
    const after = await h.state();
    assert.equal(after.resources.filter((r) => r.kind.startsWith("eks-")).length, 0);
    assert.ok(!after.resources.some((r) => r.id === sg.GroupId || enis.some((e) => e.NetworkInterfaceId === r.id)));
    await expectErrorNoChange(
      h,
      () => eks.send(new DescribeClusterCommand({ name: "c1" })),
      "ResourceNotFoundException",
      "No cluster found for name: c1.",
      404,
    );
  });

  it("refuses subnets of one zone, an unsupported zone, unknown subnets and groups, a duplicate name, a malformed role, an unknown version, closed endpoints", async () => {
    const eks = eksOf(h);
    const net = await network(h, 21, ["us-east-1a", "us-east-1b", "us-east-1e"]);
    const one = await network(h, 22, ["us-east-1a"]);
    const other = await network(h, 23, ["us-east-1c"]);
    const send = (i: CreateClusterCommandInput) => () => eks.send(new CreateClusterCommand(i));
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", [one.subnets[0]!])),
      "InvalidParameterException",
      "Subnets specified must be in at least two different AZs",
    );
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", [net.subnets[0]!, net.subnets[2]!])),
      "UnsupportedAvailabilityZoneException",
      "Cannot create cluster 'bad' because us-east-1e, the targeted availability zone, does not currently have sufficient capacity to support the cluster. Retry and choose from these availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f",
    );
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", [net.subnets[0]!, "subnet-0123456789abcdef0"])),
      "InvalidParameterException",
      "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", [net.subnets[0]!, other.subnets[0]!])),
      "InvalidParameterException",
      "Subnets are not in the same VPC",
    );
    const two = [net.subnets[0]!, net.subnets[1]!];
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", two, { resourcesVpcConfig: { subnetIds: two, securityGroupIds: ["sg-0123456789abcdef0"] } })),
      "InvalidParameterException",
      "The security group 'sg-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", two, { roleArn: "eks-role" })),
      "InvalidParameterException",
      "Invalid role ARN: eks-role",
    );
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", two, { version: "1.10" })),
      "InvalidParameterException",
      "unsupported Kubernetes version 1.10",
    );
    await expectErrorNoChange(
      h,
      send(clusterInput("bad", two, { resourcesVpcConfig: { subnetIds: two, endpointPublicAccess: false, endpointPrivateAccess: false } })),
      "InvalidParameterException",
      "The cluster must have either the public or the private endpoint enabled.",
    );
    await eks.send(new CreateClusterCommand(clusterInput("dup", two)));
    await expectErrorNoChange(h, send(clusterInput("dup", two)), "ResourceInUseException", "Cluster already exists with name: dup", 409);
    await expectErrorNoChange(
      h,
      () => eks.send(new DeleteClusterCommand({ name: "nope" })),
      "ResourceNotFoundException",
      "No cluster found for name: nope.",
      404,
    );
  });

  it("takes Terraform's create-time settings: service CIDR, access config, logging, upgrade policy; refuses a bad service CIDR", async () => {
    const eks = eksOf(h);
    const net = await network(h, 27, ["us-east-1a", "us-east-1b"]);
    const c = (
      await eks.send(
        new CreateClusterCommand(
          clusterInput("t1", net.subnets, {
            kubernetesNetworkConfig: { serviceIpv4Cidr: "192.168.0.0/16", ipFamily: "ipv4" },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            bootstrapSelfManagedAddons: false,
            upgradePolicy: { supportType: "STANDARD" },
            logging: { clusterLogging: [{ types: ["api", "audit"], enabled: true }] },
          }),
        ),
      )
    ).cluster!;
    assert.deepEqual(
      [
        c.kubernetesNetworkConfig?.serviceIpv4Cidr,
        c.accessConfig?.authenticationMode,
        c.accessConfig?.bootstrapClusterCreatorAdminPermissions,
        c.upgradePolicy?.supportType,
      ],
      ["192.168.0.0/16", "API", false, "STANDARD"],
    );
    assert.deepEqual(c.logging?.clusterLogging, [
      { types: ["api", "audit"], enabled: true },
      { types: ["authenticator", "controllerManager", "scheduler"], enabled: false },
    ]);
    const send = (cidr: string) => () =>
      eks.send(new CreateClusterCommand(clusterInput("t2", net.subnets, { kubernetesNetworkConfig: { serviceIpv4Cidr: cidr } })));
    await expectErrorNoChange(
      h,
      send("10.27.0.0/16"),
      "InvalidParameterException",
      "The service CIDR 10.27.0.0/16 overlaps the VPC CIDR 10.27.0.0/16.",
    );
    await expectErrorNoChange(
      h,
      send("100.64.0.0/16"),
      "InvalidParameterException",
      "The service CIDR 100.64.0.0/16 is not valid: it must be a /12 to /24 block within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
    );
    await expectErrorNoChange(
      h,
      send("10.0.0.0/8"),
      "InvalidParameterException",
      "The service CIDR 10.0.0.0/8 is not valid: it must be a /12 to /24 block within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
    );
  });

  it("answers a real operation it has not built, and a member it does not support, clearly and without a change", async () => {
    const eks = eksOf(h);
    const net = await network(h, 28, ["us-east-1a", "us-east-1b"]);
    await expectErrorNoChange(
      h,
      () => eks.send(new ListFargateProfilesCommand({ clusterName: "x" })),
      "UnsupportedOperation",
      'The EKS operation ListFargateProfiles is valid but localvpc does not implement it yet. See README "EKS pod networking".',
    );
    await expectErrorNoChange(
      h,
      () =>
        eks.send(
          new CreateClusterCommand(
            clusterInput("e1", net.subnets, {
              encryptionConfig: [{ provider: { keyArn: "arn:aws:kms:us-east-1:000000000000:key/k" } }],
            }),
          ),
        ),
      "InvalidParameterException",
      "The parameter encryptionConfig is not supported by localvpc for CreateCluster yet.",
    );
  });

  it("pages ListClusters with maxResults and nextToken, and refuses a forged token", async () => {
    const eks = eksOf(h);
    const net = await network(h, 24, ["us-east-1a", "us-east-1b"]);
    for (const n of ["p1", "p2", "p3"]) await eks.send(new CreateClusterCommand(clusterInput(n, net.subnets)));
    const first = await eks.send(new ListClustersCommand({ maxResults: 2 }));
    assert.deepEqual(first.clusters, ["p1", "p2"]);
    assert.ok(first.nextToken);
    const second = await eks.send(new ListClustersCommand({ maxResults: 2, nextToken: first.nextToken }));
    assert.deepEqual([second.clusters, second.nextToken], [["p3"], undefined]);
    await expectErrorNoChange(
      h,
      () => eks.send(new ListClustersCommand({ nextToken: "bm90LWEtdG9rZW4=" })),
      "InvalidParameterException",
      "The nextToken provided is not valid.",
    );
  });

  it("updates endpoint access: UPDATING with an update id, Successful on the clock; refuses no change and a busy cluster", async () => {
    const eks = eksOf(h);
    const net = await network(h, 25, ["us-east-1a", "us-east-1b"]);
    await eks.send(new CreateClusterCommand(clusterInput("u1", net.subnets)));
    const early = () => eks.send(new UpdateClusterConfigCommand({ name: "u1", resourcesVpcConfig: { endpointPrivateAccess: true } }));
    await expectErrorNoChange(h, early, "ResourceInUseException", "Cluster u1 is in CREATING status.", 409);
    await advance(h, 600_000);
    const u = (await early()).update!;
    assert.deepEqual([u.status, u.type], ["InProgress", "EndpointAccessUpdate"]);
    assert.deepEqual(
      u.params!.map((p) => [p.type, p.value]),
      [
        ["EndpointPublicAccess", "true"],
        ["EndpointPrivateAccess", "true"],
        ["PublicAccessCidrs", '["0.0.0.0/0"]'],
      ],
    );
    const c = (await eks.send(new DescribeClusterCommand({ name: "u1" }))).cluster!;
    assert.deepEqual([c.status, c.resourcesVpcConfig?.endpointPrivateAccess], ["UPDATING", true]);
    await advance(h, 600_000);
    assert.equal((await eks.send(new DescribeUpdateCommand({ name: "u1", updateId: u.id! }))).update!.status, "Successful");
    assert.equal((await eks.send(new DescribeClusterCommand({ name: "u1" }))).cluster!.status, "ACTIVE");
    await expectErrorNoChange(h, early, "InvalidParameterException", "Cluster is already at the desired configuration.");
    await expectErrorNoChange(
      h,
      () => eks.send(new DescribeUpdateCommand({ name: "u1", updateId: "00000000-0000-0000-0000-000000000000" })),
      "ResourceNotFoundException",
      "No update found for ID: 00000000-0000-0000-0000-000000000000.",
      404,
    );
  });
});

describe("EKS clusters without a provisioning delay", () => {
  const h = useHarness();

  it("is ACTIVE at once, so the SDK's waiter returns", async () => {
    const eks = eksOf(h);
    const net = await network(h, 26, ["us-east-1a", "us-east-1b"]);
    await eks.send(new CreateClusterCommand(clusterInput("w1", net.subnets)));
    const r = await waitUntilClusterActive({ client: eks, maxWaitTime: 30, minDelay: 1 }, { name: "w1" });
    assert.equal(r.state, "SUCCESS");
  });
});

describe("EKS managed node groups", () => {
  const h = useHarness({ eksProvisionMs: 60_000 });

  const activeCluster = async (name: string, second: number): Promise<{ eks: EKSClient; subnets: string[]; sg: string }> => {
    const eks = eksOf(h);
    const net = await network(h, second, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    const c = await eks.send(new CreateClusterCommand(clusterInput(name, net.subnets)));
    await advance(h, 60_000);
    return { eks, subnets: net.subnets, sg: c.cluster!.resourcesVpcConfig!.clusterSecurityGroupId! };
  };

  it("launches the desired nodes as EC2 instances with EKS's tags, spread over the subnets; scales up and down; deletes", async () => {
    const { eks, subnets, sg } = await activeCluster("n1", 30);
    const created = await eks.send(
      new CreateNodegroupCommand({
        clusterName: "n1",
        nodegroupName: "ng1",
        nodeRole: NODE_ROLE,
        subnets,
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: 1, maxSize: 6, desiredSize: 3 },
        labels: { role: "web" },
        taints: [{ key: "dedicated", value: "web", effect: "NO_SCHEDULE" }],
        diskSize: 40,
      }),
    );
    const ng = created.nodegroup!;
    assert.deepEqual(
      [ng.status, ng.instanceTypes, ng.amiType, ng.capacityType, ng.diskSize, ng.labels, ng.scalingConfig],
      ["CREATING", ["m5.large"], "AL2023_x86_64_STANDARD", "ON_DEMAND", 40, { role: "web" }, { minSize: 1, maxSize: 6, desiredSize: 3 }],
    );
    assert.deepEqual(ng.taints, [{ key: "dedicated", value: "web", effect: "NO_SCHEDULE" }]);
    const asg = ng.resources!.autoScalingGroups![0]!.name!;
    assert.match(asg, /^eks-ng1-/);
    let running = await nodes(h, "n1", "ng1");
    assert.equal(running.length, 3);
    assert.deepEqual(new Set(running.map((i) => i.SubnetId)), new Set(subnets));
    for (const i of running) {
      const t = tagMap(i.Tags);
      assert.deepEqual(
        [t["eks:cluster-name"], t["eks:nodegroup-name"], t["kubernetes.io/cluster/n1"], t["aws:autoscaling:groupName"], i.InstanceType],
        ["n1", "ng1", "owned", asg, "m5.large"],
      );
      assert.deepEqual(
        i.SecurityGroups!.map((g) => g.GroupId),
        [sg],
      );
    }
    await advance(h, 60_000);
    assert.equal((await eks.send(new DescribeNodegroupCommand({ clusterName: "n1", nodegroupName: "ng1" }))).nodegroup!.status, "ACTIVE");
    assert.deepEqual((await eks.send(new ListNodegroupsCommand({ clusterName: "n1" }))).nodegroups, ["ng1"]);

    const up = await eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: "n1",
        nodegroupName: "ng1",
        scalingConfig: { desiredSize: 5 },
        labels: { addOrUpdateLabels: { tier: "a" }, removeLabels: ["role"] },
      }),
    );
    assert.deepEqual([up.update!.type, up.update!.status], ["ConfigUpdate", "InProgress"]);
    running = await nodes(h, "n1", "ng1");
    assert.equal(running.length, 5);
    const d = (await eks.send(new DescribeNodegroupCommand({ clusterName: "n1", nodegroupName: "ng1" }))).nodegroup!;
    assert.deepEqual([d.status, d.labels, d.scalingConfig?.desiredSize], ["UPDATING", { tier: "a" }, 5]);
    await advance(h, 60_000);
    await eks.send(new UpdateNodegroupConfigCommand({ clusterName: "n1", nodegroupName: "ng1", scalingConfig: { desiredSize: 2 } }));
    assert.equal((await nodes(h, "n1", "ng1")).length, 2);

    await expectErrorNoChange(
      h,
      () => eks.send(new DeleteClusterCommand({ name: "n1" })),
      "ResourceInUseException",
      "Cluster has nodegroups attached",
      409,
    );
    const del = await eks.send(new DeleteNodegroupCommand({ clusterName: "n1", nodegroupName: "ng1" }));
    assert.equal(del.nodegroup!.status, "DELETING");
    assert.equal((await nodes(h, "n1", "ng1")).length, 0);
    await eks.send(new DeleteClusterCommand({ name: "n1" }));
    const left = await h.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: [sg] }] }));
    assert.equal(left.SecurityGroups!.length, 0);
  });

  it("refuses a cluster still CREATING, a duplicate, bad scaling, an unknown type or node group, a subnet of another VPC", async () => {
    const eks = eksOf(h);
    const net = await network(h, 31, ["us-east-1a", "us-east-1b"]);
    await eks.send(new CreateClusterCommand(clusterInput("n2", net.subnets)));
    const base = { clusterName: "n2", nodegroupName: "g", nodeRole: NODE_ROLE, subnets: net.subnets };
    const create = (extra: object) => () => eks.send(new CreateNodegroupCommand({ ...base, ...extra }));
    await expectErrorNoChange(h, create({}), "InvalidRequestException", "Cluster 'n2' is not in ACTIVE status (current status: CREATING).");
    await advance(h, 60_000);
    await expectErrorNoChange(
      h,
      create({ scalingConfig: { minSize: 3, maxSize: 2, desiredSize: 2 } }),
      "InvalidParameterException",
      "Minimum capacity can't be greater than maximum capacity",
    );
    await expectErrorNoChange(
      h,
      create({ scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 3 } }),
      "InvalidParameterException",
      "Desired capacity can't be greater than maximum capacity",
    );
    await expectErrorNoChange(
      h,
      create({ instanceTypes: ["m5.huge"] }),
      "InvalidParameterException",
      "Instance type m5.huge is not supported.",
    );
    await expectErrorNoChange(
      h,
      create({ instanceTypes: ["m6g.large"] }),
      "InvalidParameterException",
      "Instance type m6g.large is not supported for AMI type AL2023_x86_64_STANDARD.",
    );
    const other = await network(h, 32, ["us-east-1a"]);
    await expectErrorNoChange(
      h,
      create({ subnets: other.subnets }),
      "InvalidParameterException",
      `Subnet ${other.subnets[0]!} is not in the cluster's VPC`,
    );
    await expectErrorNoChange(
      h,
      () => eks.send(new CreateNodegroupCommand({ ...base, clusterName: "nope" })),
      "ResourceNotFoundException",
      "No cluster found for name: nope.",
      404,
    );
    await eks.send(new CreateNodegroupCommand({ ...base, scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } }));
    await expectErrorNoChange(h, create({}), "ResourceInUseException", "NodeGroup already exists with name g and cluster name n2", 409);
    await expectErrorNoChange(
      h,
      () => eks.send(new UpdateNodegroupConfigCommand({ clusterName: "n2", nodegroupName: "g", scalingConfig: { desiredSize: 2 } })),
      "ResourceInUseException",
      "Nodegroup g is in CREATING status and cannot be updated.",
      409,
    );
    await expectErrorNoChange(
      h,
      () => eks.send(new DescribeNodegroupCommand({ clusterName: "n2", nodegroupName: "none" })),
      "ResourceNotFoundException",
      "No node group found for name: none.",
      404,
    );
  });
});

describe("EKS vpc-cni add-on", () => {
  const h = useHarness();

  it("creates, describes and updates vpc-cni with CNI settings; refuses invalid JSON and unknown settings", async () => {
    const eks = eksOf(h);
    const net = await network(h, 40, ["us-east-1a", "us-east-1b"]);
    await eks.send(new CreateClusterCommand(clusterInput("a1", net.subnets)));
    const a = await eks.send(
      new CreateAddonCommand({ clusterName: "a1", addonName: "vpc-cni", configurationValues: '{"env":{"WARM_IP_TARGET":"5"}}' }),
    );
    assert.deepEqual(
      [a.addon!.addonName, a.addon!.status, a.addon!.configurationValues],
      ["vpc-cni", "CREATING", '{"env":{"WARM_IP_TARGET":"5"}}'],
    );
    assert.equal((await eks.send(new DescribeAddonCommand({ clusterName: "a1", addonName: "vpc-cni" }))).addon!.status, "ACTIVE");
    const upd = (name: string, v: string) => () =>
      eks.send(new UpdateAddonCommand({ clusterName: "a1", addonName: name, configurationValues: v }));
    await expectErrorNoChange(
      h,
      upd("vpc-cni", "{env:"),
      "InvalidParameterException",
      "ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$: Invalid JSON]",
    );
    await expectErrorNoChange(
      h,
      upd("vpc-cni", '{"env":{"WARM_IP_TARGET":"many"}}'),
      "InvalidParameterException",
      "ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$.env.WARM_IP_TARGET: does not match the regex pattern ^[0-9]+$]",
    );
    await expectErrorNoChange(
      h,
      upd("vpc-cni", '{"foo":1}'),
      "InvalidParameterException",
      "ConfigurationValue provided in request is not supported: Json schema validation failed with error: [$.foo: is not defined in the schema and the schema does not allow additional properties]",
    );
    await expectErrorNoChange(h, upd("coredns", "{}"), "ResourceNotFoundException", "No addon: coredns found in cluster: a1", 404);
    const u = await upd("vpc-cni", '{"env":{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"1"}}')();
    assert.deepEqual(
      [u.update!.type, u.update!.params],
      ["AddonUpdate", [{ type: "ConfigurationValues", value: '{"env":{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"1"}}' }]],
    );
    const d = await eks.send(new DescribeAddonCommand({ clusterName: "a1", addonName: "vpc-cni" }));
    assert.equal(d.addon!.configurationValues, '{"env":{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"1"}}');
  });
});

interface PodsAnswer {
  running: number;
  pending: number;
  ec2Calls: number;
  nodes: {
    instanceId: string;
    maxPods: number;
    pods: number;
    prefixDelegation: boolean;
    enis: { networkInterfaceId: string; podIps: number; used: number; cooling: number; warm: number }[];
  }[];
  pods: { name: string; state: string; node?: string; ip?: string; eni?: string; reasonCode?: string; reason?: string }[];
}

describe("EKS pod networking (VPC CNI simulation)", () => {
  const h = useHarness();

  /** An ACTIVE cluster over two /24s, and a node group of `nodes` m5.large in a subnet of `ngCidr` in us-east-1a. */
  const setup = async (
    name: string,
    second: number,
    ngCidr: string,
    nodeCount: number,
    cni?: string,
  ): Promise<{ eks: EKSClient; ngSubnet: string }> => {
    const eks = eksOf(h);
    const net = await network(h, second, ["us-east-1a", "us-east-1b"]);
    const { Subnet } = await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: ngCidr, AvailabilityZone: "us-east-1a" }));
    await eks.send(new CreateClusterCommand(clusterInput(name, net.subnets)));
    if (cni) await eks.send(new CreateAddonCommand({ clusterName: name, addonName: "vpc-cni", configurationValues: cni }));
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: name,
        nodegroupName: "ng",
        nodeRole: NODE_ROLE,
        subnets: [Subnet!.SubnetId!],
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: 0, maxSize: 10, desiredSize: nodeCount },
      }),
    );
    return { eks, ngSubnet: Subnet!.SubnetId! };
  };

  const scale = async (cluster: string, replicas: number): Promise<PodsAnswer> => {
    const r = await adminCall<PodsAnswer>(h, "POST", "eks/pods", { cluster, nodegroup: "ng", replicas });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  it("answers EKS's max pods from the type data, with and without prefix delegation", async () => {
    const table: [string, boolean, number][] = [
      ["m5.large", false, 29],
      ["m5.large", true, 110],
      ["t3.small", false, 11],
      ["t3.medium", false, 17],
      ["m5.xlarge", false, 58],
      ["c5.18xlarge", false, 737],
      ["c5.18xlarge", true, 250],
      ["p4d.24xlarge", false, 737],
      ["t2.micro", false, 4],
      ["t2.micro", true, 4],
    ];
    for (const [type, pd, want] of table) {
      const r = await adminCall<{ maxPods: number }>(h, "GET", `eks/max-pods?instanceType=${type}&prefixDelegation=${pd}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.maxPods, want, `${type} prefixDelegation=${pd}`);
    }
  });

  it("a node's warm pool (WARM_ENI_TARGET=1) is its primary ENI's secondary IPs; pods take them, ipamd adds aws-K8S ENIs; max pods leaves the rest Pending", async () => {
    await setup("p1", 50, "10.50.10.0/24", 1);
    const [node] = await nodes(h, "p1", "ng");
    const primary = (
      await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [node!.InstanceId!] }] }))
    ).NetworkInterfaces!;
    assert.equal(primary.length, 1);
    assert.equal(primary[0]!.PrivateIpAddresses!.length, 10, "primary IP + 9 warm secondary IPs");

    const a = await scale("p1", 30);
    assert.deepEqual([a.running, a.pending], [27, 3]);
    assert.equal(a.nodes[0]!.maxPods, 29);
    const pending = a.pods.filter((p) => p.state === "Pending");
    assert.deepEqual(new Set(pending.map((p) => p.reasonCode)), new Set(["TooManyPods"]));
    assert.match(pending[0]!.reason!, /^0\/1 nodes are available: 1 Too many pods/);
    // Every pod IP is a secondary IP of one of the node's ENIs, never an ENI's primary IP, and unique.
    const enis = (
      await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [node!.InstanceId!] }] }))
    ).NetworkInterfaces!;
    assert.equal(enis.length, 3);
    const secondary = new Map(
      enis.flatMap((e) =>
        e.PrivateIpAddresses!.filter((p) => !p.Primary).map((p) => [p.PrivateIpAddress!, e.NetworkInterfaceId!] as const),
      ),
    );
    const running = a.pods.filter((p) => p.state === "Running");
    assert.equal(new Set(running.map((p) => p.ip)).size, 27);
    for (const p of running) assert.equal(secondary.get(p.ip!), p.eni);
    const cniEnis = enis.filter((e) => e.Attachment!.DeviceIndex !== 0);
    const byDescription = await h.ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "description", Values: ["aws-K8S-*"] }] }),
    );
    assert.deepEqual(
      byDescription.NetworkInterfaces!.map((e) => e.NetworkInterfaceId).sort(),
      cniEnis.map((e) => e.NetworkInterfaceId).sort(),
    );
    for (const e of cniEnis) {
      const t = tagMap(e.TagSet);
      assert.deepEqual(
        [
          e.Description,
          t["node.k8s.amazonaws.com/instance_id"],
          t["cluster.k8s.amazonaws.com/name"],
          e.Attachment!.DeleteOnTermination,
          e.PrivateIpAddresses!.length,
        ],
        [`aws-K8S-${node!.InstanceId!}`, node!.InstanceId, "p1", true, 10],
      );
    }
    // Scaling down returns IPs to the pool (they stay on the ENIs, as ipamd keeps them), after a 30 s cooldown.
    const sum = (x: PodsAnswer, k: "used" | "cooling" | "warm"): number => x.nodes[0]!.enis.reduce((n, e) => n + e[k], 0);
    const down = await scale("p1", 5);
    assert.deepEqual([down.running, down.pending, sum(down, "used"), sum(down, "cooling"), sum(down, "warm")], [5, 0, 5, 22, 0]);
    // Within the cooldown the node has no IP to give: its three ENIs are full, so the new pods wait.
    const again = await scale("p1", 10);
    assert.deepEqual([again.running, again.pending], [5, 5]);
    assert.ok(
      again.pods.filter((p) => p.state === "Pending").every((p) => p.reasonCode === "EniLimit"),
      JSON.stringify(again.pods.filter((p) => p.state === "Pending")),
    );
    await advance(h, 30_000);
    const later = await scale("p1", 10);
    assert.deepEqual([later.running, later.pending, sum(later, "cooling"), sum(later, "warm")], [10, 0, 0, 17]);
  });

  it("pods stay Pending with InsufficientFreeAddressesInSubnet when the node's subnet runs out", async () => {
    // A /28 has 11 usable addresses: the node's primary IP and its 9 warm IPs leave 1, and another ENI needs 2 (its
    // primary IP and one for a pod), so EC2 refuses it and the address stays free.
    const { ngSubnet } = await setup("p2", 51, "10.51.10.0/28", 1);
    const a = await scale("p2", 12);
    const pending = a.pods.filter((p) => p.state === "Pending");
    assert.ok(pending.length > 0);
    assert.ok(
      pending.every((p) => p.reasonCode === "InsufficientFreeAddressesInSubnet"),
      JSON.stringify(pending),
    );
    assert.match(
      pending[0]!.reason!,
      new RegExp(
        `InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request\\. \\(1 free in ${ngSubnet}\\)`,
      ),
    );
    assert.deepEqual([a.running, a.pending], [9, 3]);
  });

  it("prefix delegation hands out /28 prefixes on Nitro and raises max pods to 110", async () => {
    await setup("p3", 52, "10.52.16.0/20", 1, '{"env":{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"1"}}');
    const a = await scale("p3", 120);
    assert.equal(a.nodes[0]!.maxPods, 110);
    assert.equal(a.nodes[0]!.prefixDelegation, true);
    assert.deepEqual([a.running, a.pending], [108, 12]);
    const [node] = await nodes(h, "p3", "ng");
    const enis = (
      await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [node!.InstanceId!] }] }))
    ).NetworkInterfaces!;
    const prefixes = enis.flatMap((e) => (e.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix!));
    assert.ok(prefixes.length >= 7, `108 pods need 7 /28 prefixes, got ${prefixes.length}`);
    for (const p of prefixes) assert.match(p, /\/28$/);
  });

  it("with prefix delegation, a subnet with free addresses but no whole /28 leaves pods Pending with the reservation hint", async () => {
    // A /26: the node's primary IP sits in the first /28 (with the reserved addresses) and the last /28 holds the
    // broadcast address, so only two aligned /28s can become prefixes although dozens of addresses stay free.
    await setup("p6", 55, "10.55.10.0/26", 1, '{"env":{"ENABLE_PREFIX_DELEGATION":"true"}}');
    const a = await scale("p6", 40);
    const pending = a.pods.filter((p) => p.state === "Pending");
    assert.ok(a.running > 0 && pending.length > 0, JSON.stringify([a.running, a.pending]));
    assert.equal(a.running % 16, 0, "pods fill whole /28 prefixes");
    assert.ok(
      pending.every((p) => p.reasonCode === "PrefixFragmentation"),
      JSON.stringify(pending[0]),
    );
    assert.match(pending[0]!.reason!, /no aligned \/28 is left whole\. Reserve \/28-aligned space with a prefix subnet CIDR reservation/);
  });

  it("WARM_IP_TARGET keeps that many free IPs instead of a whole ENI", async () => {
    await setup("p4", 53, "10.53.10.0/24", 1, '{"env":{"WARM_IP_TARGET":"2"}}');
    const [node] = await nodes(h, "p4", "ng");
    const filter = { Filters: [{ Name: "attachment.instance-id", Values: [node!.InstanceId!] }] };
    assert.equal((await h.ec2.send(new DescribeNetworkInterfacesCommand(filter))).NetworkInterfaces![0]!.PrivateIpAddresses!.length, 3);
    const a = await scale("p4", 5);
    assert.equal(
      a.nodes[0]!.enis.reduce((n, e) => n + e.warm, 0),
      2,
    );
  });

  it("refuses an unknown cluster or node group and a bad count, changing nothing", async () => {
    await setup("p5", 54, "10.54.10.0/24", 1);
    const before = await h.state();
    const bad = await adminCall<{ error: string; message: string }>(h, "POST", "eks/pods", {
      cluster: "p5",
      nodegroup: "ng",
      replicas: -1,
    });
    assert.deepEqual(
      [bad.status, bad.body.error, bad.body.message],
      [400, "InvalidParameterValue", "replicas must be an integer from 0 to 100000."],
    );
    const nf = await adminCall<{ error: string; message: string }>(h, "POST", "eks/pods", {
      cluster: "nope",
      nodegroup: "ng",
      replicas: 1,
    });
    assert.deepEqual([nf.status, nf.body.error, nf.body.message], [404, "ResourceNotFoundException", "No cluster found for name: nope."]);
    assert.deepEqual(await h.state(), before);
  });
});
