/**
 * Elastic Load Balancing v2 (issue 17) with the real @aws-sdk/client-elastic-load-balancing-v2 against a real server:
 * load balancers and the requester-managed ENIs they put in the customer's subnets, target groups, listeners, and
 * target health derived from the data plane. Every refused call is checked for its wire code, message, HTTP status
 * and an unchanged stored state.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  AdvertiseByoipCidrCommand,
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribePublicIpv4PoolsCommand,
  DescribeRouteTablesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTagsCommand as Ec2DescribeTagsCommand,
  ProvisionByoipCidrCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  WithdrawByoipCidrCommand,
} from "@aws-sdk/client-ec2";
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenerAttributesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerAttributesCommand,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  SetIpAddressTypeCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
  waitUntilLoadBalancerAvailable,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { adminCall, trafficSend, useHarness, type Harness } from "./harness.js";
import { advanceClock, makePki, message, prepareWorld, signMessage, type Pki } from "./byoip-fixtures.js";

const clients = new Map<string, ElasticLoadBalancingV2Client>();
const elbOf = (h: Harness): ElasticLoadBalancingV2Client => {
  let c = clients.get(h.vpc.url);
  if (!c) {
    c = new ElasticLoadBalancingV2Client({
      endpoint: h.vpc.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    clients.set(h.vpc.url, c);
  }
  return c;
};

/** Expects ELBv2's error: the wire code (`Code`), the exact message, the HTTP status, and no stored change. */
const expectElbError = async (
  h: Harness,
  call: () => Promise<unknown>,
  code: string,
  message: string | RegExp,
  status = 400,
): Promise<void> => {
  const before = await h.state();
  try {
    await call();
  } catch (e) {
    const x = e as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(x.Code ?? x.name, code, `error code (message: ${x.message})`);
    if (typeof message === "string") assert.equal(x.message, message);
    else assert.match(x.message, message);
    assert.equal(x.$metadata?.httpStatusCode, status, "HTTP status");
    assert.deepEqual(await h.state(), before, "state changed after a failed call");
    return;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
};

interface Net {
  vpcId: string;
  subnetA: string;
  subnetB: string;
  subnetA2: string;
  defaultSg: string;
}

/** A VPC with an attached internet gateway, two subnets in us-east-1a and one in us-east-1b. */
const network = async (h: Harness, octet: number, igw = true): Promise<Net> => {
  const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${octet}.0.0/16` }));
  const vpcId = Vpc!.VpcId!;
  if (igw) {
    const { InternetGateway } = await h.ec2.send(new CreateInternetGatewayCommand({}));
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: InternetGateway!.InternetGatewayId!, VpcId: vpcId }));
  }
  const subnet = async (cidr: string, az: string): Promise<string> =>
    (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!;
  const subnetA = await subnet(`10.${octet}.1.0/24`, "us-east-1a");
  const subnetB = await subnet(`10.${octet}.2.0/24`, "us-east-1b");
  const subnetA2 = await subnet(`10.${octet}.3.0/24`, "us-east-1a");
  const sgs = await h.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return { vpcId, subnetA, subnetB, subnetA2, defaultSg: sgs.SecurityGroups![0]!.GroupId! };
};

const eip = async (h: Harness): Promise<{ id: string; ip: string }> => {
  const a = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
  return { id: a.AllocationId!, ip: a.PublicIp! };
};

const enisOf = async (h: Harness, lbArn: string) => {
  const [, , , , , rest] = lbArn.split(":");
  const [, type, name, id] = rest!.split("/");
  const { NetworkInterfaces } = await h.ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "description", Values: [`ELB ${type}/${name}/${id}`] }] }),
  );
  return NetworkInterfaces ?? [];
};

describe("ELBv2 load balancers", () => {
  const h = useHarness();

  it("an internet-facing NLB with an Elastic IP: AWS's ARN, DNS name and a requester-managed ENI holding the EIP", async () => {
    const n = await network(h, 60);
    const e = await eip(h);
    const { LoadBalancers } = await elbOf(h).send(
      new CreateLoadBalancerCommand({ Name: "web-nlb", Type: "network", SubnetMappings: [{ SubnetId: n.subnetA, AllocationId: e.id }] }),
    );
    const lb = LoadBalancers![0]!;
    assert.match(lb.LoadBalancerArn!, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/net\/web-nlb\/[0-9a-f]{16}$/);
    const shortId = lb.LoadBalancerArn!.split("/")[3]!;
    assert.equal(lb.DNSName, `web-nlb-${shortId}.elb.us-east-1.amazonaws.com`);
    assert.equal(lb.State?.Code, "provisioning");
    assert.equal(lb.Scheme, "internet-facing");
    assert.equal(lb.VpcId, n.vpcId);
    assert.deepEqual(lb.AvailabilityZones, [
      { ZoneName: "us-east-1a", SubnetId: n.subnetA, LoadBalancerAddresses: [{ IpAddress: e.ip, AllocationId: e.id }] },
    ]);
    await waitUntilLoadBalancerAvailable({ client: elbOf(h), maxWaitTime: 30 }, { LoadBalancerArns: [lb.LoadBalancerArn!] });

    const [eni, ...more] = await enisOf(h, lb.LoadBalancerArn!);
    assert.equal(more.length, 0);
    assert.equal(eni!.InterfaceType, "network_load_balancer");
    assert.equal(eni!.RequesterId, "amazon-elb");
    assert.equal(eni!.RequesterManaged, true);
    assert.equal(eni!.Status, "in-use");
    assert.equal(
      eni!.Attachment?.InstanceOwnerId,
      "amazon-aws",
      "an NLB ENI's attachment owner (Terraform's NLB delete waiter filters on it)",
    );
    assert.equal(eni!.SubnetId, n.subnetA);
    assert.equal(eni!.Association?.PublicIp, e.ip);
    const { Addresses } = await h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [e.id] }));
    assert.equal(Addresses![0]!.NetworkInterfaceId, eni!.NetworkInterfaceId);

    // Deleting it removes its ENI and disassociates the EIP, which stays allocated.
    await elbOf(h).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn! }));
    assert.equal((await enisOf(h, lb.LoadBalancerArn!)).length, 0);
    const after = await h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [e.id] }));
    assert.equal(after.Addresses![0]!.NetworkInterfaceId, undefined);
    assert.equal(after.Addresses![0]!.AssociationId, undefined);
    assert.deepEqual((await elbOf(h).send(new DescribeLoadBalancersCommand({}))).LoadBalancers, []);
    // DeleteLoadBalancer of a load balancer that is gone succeeds (AWS).
    await elbOf(h).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn! }));
  });

  it("an internal NLB with a chosen private address shows it; an ALB spans two zones with interface-type ENIs and groups", async () => {
    const n = await network(h, 61);
    const nlb = (
      await elbOf(h).send(
        new CreateLoadBalancerCommand({
          Name: "inner",
          Type: "network",
          Scheme: "internal",
          SubnetMappings: [{ SubnetId: n.subnetA, PrivateIPv4Address: "10.61.1.50" }],
        }),
      )
    ).LoadBalancers![0]!;
    assert.deepEqual(nlb.AvailabilityZones![0]!.LoadBalancerAddresses, [{ PrivateIPv4Address: "10.61.1.50" }]);
    assert.equal((await enisOf(h, nlb.LoadBalancerArn!))[0]!.PrivateIpAddress, "10.61.1.50");
    // Terraform's NLB delete waits until this filter finds nothing (waitForNLBNetworkInterfacesToDetach).
    const terraformFilter = () =>
      h.ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: "attachment.instance-owner-id", Values: ["amazon-aws"] },
            { Name: "description", Values: [`ELB net/inner/${nlb.LoadBalancerArn!.split("/")[3]!}`] },
          ],
        }),
      );
    assert.equal((await terraformFilter()).NetworkInterfaces?.length, 1);

    const alb = (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "front", Subnets: [n.subnetA, n.subnetB] }))).LoadBalancers![0]!;
    assert.equal(alb.Type, "application");
    assert.match(alb.DNSName!, /^front-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    assert.deepEqual(alb.SecurityGroups, [n.defaultSg]);
    const enis = await enisOf(h, alb.LoadBalancerArn!);
    assert.equal(enis.length, 2);
    for (const x of enis) {
      assert.equal(x.InterfaceType, "interface");
      assert.equal(x.Attachment?.InstanceOwnerId, "amazon-elb", "an ALB ENI's attachment owner (an NLB's is amazon-aws)");
      assert.deepEqual(
        x.Groups?.map((g) => g.GroupId),
        [n.defaultSg],
      );
      // Internet-facing: each node has a public address from Amazon's pool.
      assert.ok(x.Association?.PublicIp);
    }
    // EC2 sees the ENIs: their subnet cannot be deleted.
    await expectElbError(
      h,
      () => h.ec2.send(new DeleteSubnetCommand({ SubnetId: n.subnetB })),
      "DependencyViolation",
      `The subnet '${n.subnetB}' has dependencies and cannot be deleted.`,
    );
    // ELBv2 resources do not show in EC2's DescribeTags.
    await elbOf(h).send(new AddTagsCommand({ ResourceArns: [alb.LoadBalancerArn!], Tags: [{ Key: "team", Value: "web" }] }));
    const ec2Tags = await h.ec2.send(new Ec2DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["team"] }] }));
    assert.deepEqual(ec2Tags.Tags, []);
  });

  it("SetSecurityGroups moves the ALB's ENIs to the new group, which then cannot be deleted; SetSubnets adds and removes zones", async () => {
    const n = await network(h, 62);
    const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "alb", Description: "alb", VpcId: n.vpcId }))).GroupId!;
    const alb = (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "front", Subnets: [n.subnetA, n.subnetB] }))).LoadBalancers![0]!;
    const arn = alb.LoadBalancerArn!;
    const set = await elbOf(h).send(new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: [sg] }));
    assert.deepEqual(set.SecurityGroupIds, [sg]);
    for (const x of await enisOf(h, arn))
      assert.deepEqual(
        x.Groups?.map((g) => g.GroupId),
        [sg],
      );
    await expectElbError(
      h,
      () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg })),
      "DependencyViolation",
      `resource ${sg} has a dependent object`,
    );
    const sub = await h.ec2.send(new CreateSubnetCommand({ VpcId: n.vpcId, CidrBlock: "10.62.9.0/24", AvailabilityZone: "us-east-1c" }));
    const c = sub.Subnet!.SubnetId!;
    const r = await elbOf(h).send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [n.subnetB, c] }));
    assert.deepEqual(
      r.AvailabilityZones?.map((z) => z.ZoneName),
      ["us-east-1b", "us-east-1c"],
    );
    const enis = await enisOf(h, arn);
    assert.deepEqual(enis.map((x) => x.SubnetId).sort(), [n.subnetB, c].sort());
    // subnet A is free again
    await h.ec2.send(new DeleteSubnetCommand({ SubnetId: n.subnetA }));
  });

  it("attributes: defaults per type, deletion protection refuses DeleteLoadBalancer until turned off", async () => {
    const n = await network(h, 63);
    const arn = (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "prot", Type: "network", Subnets: [n.subnetA] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    const attrs = (await elbOf(h).send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }))).Attributes!;
    assert.equal(attrs.find((a) => a.Key === "load_balancing.cross_zone.enabled")?.Value, "false");
    assert.equal(attrs.find((a) => a.Key === "deletion_protection.enabled")?.Value, "false");
    const mod = await elbOf(h).send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [
          { Key: "deletion_protection.enabled", Value: "true" },
          { Key: "load_balancing.cross_zone.enabled", Value: "true" },
        ],
      }),
    );
    assert.equal(mod.Attributes!.find((a) => a.Key === "load_balancing.cross_zone.enabled")?.Value, "true");
    await expectElbError(
      h,
      () => elbOf(h).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })),
      "OperationNotPermitted",
      `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`,
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: "nope", Value: "1" }] })),
      "ValidationError",
      "Load balancer attribute key 'nope' is not recognized",
    );
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: arn,
            Attributes: [{ Key: "deletion_protection.enabled", Value: "yes" }],
          }),
        ),
      "InvalidConfigurationRequest",
      "Load balancer attribute value 'yes' is not valid for key 'deletion_protection.enabled'",
    );
    await elbOf(h).send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }],
      }),
    );
    await elbOf(h).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
  });

  it("refuses bad placements, unknown subnets and addresses, duplicate names, with ELBv2's errors and no change", async () => {
    const n = await network(h, 64);
    const noIgw = await network(h, 65, false);
    const e = await eip(h);
    const elb = elbOf(h);
    const create = (input: ConstructorParameters<typeof CreateLoadBalancerCommand>[0]) => () =>
      elb.send(new CreateLoadBalancerCommand(input));
    await expectElbError(
      h,
      create({ Name: "x", Type: "network", Subnets: ["subnet-0123456789abcdef0"] }),
      "SubnetNotFound",
      "The subnet ID 'subnet-0123456789abcdef0' is not valid",
    );
    await expectElbError(
      h,
      create({ Name: "x", Type: "network", Subnets: [n.subnetA, n.subnetA2] }),
      "InvalidConfigurationRequest",
      "A load balancer cannot be attached to multiple subnets in the same Availability Zone",
    );
    await expectElbError(
      h,
      create({ Name: "x", Subnets: [n.subnetA] }),
      "ValidationError",
      "At least two subnets in two different Availability Zones must be specified",
    );
    await expectElbError(
      h,
      create({ Name: "x", Type: "network", SubnetMappings: [{ SubnetId: n.subnetA, AllocationId: "eipalloc-0123456789abcdef0" }] }),
      "AllocationIdNotFound",
      "The allocation ID 'eipalloc-0123456789abcdef0' is not valid",
    );
    await expectElbError(
      h,
      create({ Name: "x", Type: "network", Scheme: "internal", SubnetMappings: [{ SubnetId: n.subnetA, AllocationId: e.id }] }),
      "InvalidConfigurationRequest",
      "Elastic IP addresses can be specified only for internet-facing Network Load Balancers",
    );
    await expectElbError(
      h,
      create({ Name: "x", SubnetMappings: [{ SubnetId: n.subnetA, AllocationId: e.id }, { SubnetId: n.subnetB }] }),
      "InvalidConfigurationRequest",
      "Elastic IP addresses can be specified only for internet-facing Network Load Balancers",
    );
    await expectElbError(
      h,
      create({ Name: "x", Type: "network", Subnets: [noIgw.subnetA] }),
      "InvalidSubnet",
      `VPC ${noIgw.vpcId} has no internet gateway`,
    );
    await expectElbError(
      h,
      create({ Name: "x", Type: "network", Subnets: [n.subnetA, noIgw.subnetB] }),
      "InvalidConfigurationRequest",
      "All subnets must belong to the same VPC",
    );
    await expectElbError(
      h,
      create({
        Name: "x",
        Type: "network",
        Scheme: "internal",
        SubnetMappings: [{ SubnetId: n.subnetA, PrivateIPv4Address: "10.64.2.9" }],
      }),
      "InvalidConfigurationRequest",
      "The private IPv4 address '10.64.2.9' is not a usable address of subnet '" + n.subnetA + "'",
    );
    await expectElbError(
      h,
      create({ Name: "-bad", Type: "network", Subnets: [n.subnetA] }),
      "ValidationError",
      /can contain only alphanumeric/,
    );
    await expectElbError(
      h,
      create({ Name: "internal-x", Type: "network", Subnets: [n.subnetA] }),
      "ValidationError",
      "The load balancer name cannot begin with 'internal-'",
    );
    await expectElbError(
      h,
      create({ Name: "x", Type: "gateway", Subnets: [n.subnetA] }),
      "UnsupportedOperation",
      "localvpc does not support Gateway Load Balancers yet.",
    );

    // The same name with the same settings answers the existing load balancer; different settings are a duplicate.
    const first = (await elb.send(new CreateLoadBalancerCommand({ Name: "dup", Type: "network", Subnets: [n.subnetA] })))
      .LoadBalancers![0]!;
    const again = (await elb.send(new CreateLoadBalancerCommand({ Name: "dup", Type: "network", Subnets: [n.subnetA] })))
      .LoadBalancers![0]!;
    assert.equal(again.LoadBalancerArn, first.LoadBalancerArn);
    await expectElbError(
      h,
      create({ Name: "dup", Type: "network", Subnets: [n.subnetB] }),
      "DuplicateLoadBalancerName",
      "A load balancer with the same name 'dup' exists, but with different settings",
    );
    // The EIP taken by one NLB cannot be given to another.
    await elb.send(
      new CreateLoadBalancerCommand({ Name: "one", Type: "network", SubnetMappings: [{ SubnetId: n.subnetA, AllocationId: e.id }] }),
    );
    await expectElbError(
      h,
      create({ Name: "two", Type: "network", SubnetMappings: [{ SubnetId: n.subnetB, AllocationId: e.id }] }),
      "ResourceInUse",
      `The Elastic IP address with allocation ID '${e.id}' is already in use`,
    );
  });

  it("DescribeLoadBalancers by name and ARN, paging with Marker/PageSize, and its not-found errors", async () => {
    const n = await network(h, 66);
    const arns: string[] = [];
    for (const name of ["p1", "p2", "p3"])
      arns.push(
        (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: name, Type: "network", Subnets: [n.subnetA] }))).LoadBalancers![0]!
          .LoadBalancerArn!,
      );
    const first = await elbOf(h).send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
    assert.deepEqual(
      first.LoadBalancers!.map((l) => l.LoadBalancerName),
      ["p1", "p2"],
    );
    assert.ok(first.NextMarker);
    const second = await elbOf(h).send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: first.NextMarker }));
    assert.deepEqual(
      second.LoadBalancers!.map((l) => l.LoadBalancerName),
      ["p3"],
    );
    assert.equal(second.NextMarker, undefined);
    const byName = await elbOf(h).send(new DescribeLoadBalancersCommand({ Names: ["p2"] }));
    assert.equal(byName.LoadBalancers![0]!.LoadBalancerArn, arns[1]);
    await expectElbError(
      h,
      () => elbOf(h).send(new DescribeLoadBalancersCommand({ Names: ["p2", "zz"] })),
      "LoadBalancerNotFound",
      "Load balancers '[zz]' not found",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arns[0]!.replace(/[0-9a-f]{16}$/, "0000000000000000")] })),
      "LoadBalancerNotFound",
      "One or more load balancers not found",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new DescribeLoadBalancersCommand({ Marker: "garbage" })),
      "ValidationError",
      "The marker is not valid",
    );
  });

  it("tags: AddTags, DescribeTags, RemoveTags, duplicate keys refused", async () => {
    const n = await network(h, 67);
    const arn = (
      await elbOf(h).send(
        new CreateLoadBalancerCommand({ Name: "t", Type: "network", Subnets: [n.subnetA], Tags: [{ Key: "a", Value: "1" }] }),
      )
    ).LoadBalancers![0]!.LoadBalancerArn!;
    await elbOf(h).send(
      new AddTagsCommand({
        ResourceArns: [arn],
        Tags: [
          { Key: "b", Value: "2" },
          { Key: "a", Value: "3" },
        ],
      }),
    );
    const d = await elbOf(h).send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    assert.deepEqual(d.TagDescriptions, [
      {
        ResourceArn: arn,
        Tags: [
          { Key: "b", Value: "2" },
          { Key: "a", Value: "3" },
        ],
      },
    ]);
    await elbOf(h).send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: ["a"] }));
    assert.deepEqual((await elbOf(h).send(new DescribeTagsCommand({ ResourceArns: [arn] }))).TagDescriptions![0]!.Tags, [
      { Key: "b", Value: "2" },
    ]);
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new AddTagsCommand({
            ResourceArns: [arn],
            Tags: [
              { Key: "k", Value: "1" },
              { Key: "k", Value: "2" },
            ],
          }),
        ),
      "DuplicateTagKeys",
      "Tag key 'k' is duplicated",
    );
  });

  it("a real member localvpc does not support is refused, never ignored; the 51st load balancer is TooManyLoadBalancers", async () => {
    const n = await network(h, 69);
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new CreateLoadBalancerCommand({ Name: "x", Type: "network", Subnets: [n.subnetA], CustomerOwnedIpv4Pool: "ipv4pool-coip-1" }),
        ),
      "UnsupportedOperation",
      "The parameter CustomerOwnedIpv4Pool is not supported by localvpc for CreateLoadBalancer yet.",
    );
    for (let i = 0; i < 50; i++)
      await elbOf(h).send(new CreateLoadBalancerCommand({ Name: `q${i}`, Type: "network", Subnets: [n.subnetA] }));
    await expectElbError(
      h,
      () => elbOf(h).send(new CreateLoadBalancerCommand({ Name: "q50", Type: "network", Subnets: [n.subnetA] })),
      "TooManyLoadBalancers",
      "You have reached the maximum of 50 load balancers for this Region",
    );
  });

  it("an operation localvpc has not built answers a clear not-implemented error in ELBv2's shape", async () => {
    await expectElbError(
      h,
      () => elbOf(h).send(new DescribeSSLPoliciesCommand({})),
      "UnsupportedOperation",
      "The Elastic Load Balancing action DescribeSSLPolicies is valid but localvpc does not implement it yet. See COVERAGE.md.",
    );
    const res = await fetch(`${h.vpc.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization:
          "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=x",
      },
      body: "Action=DescribeSSLPolicies&Version=2015-12-01",
    });
    assert.equal(res.status, 400);
    assert.match(
      await res.text(),
      /^<\?xml[^>]*>\n<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>UnsupportedOperation<\/Code>/,
    );
  });
});

describe("ELBv2: the remaining rules, each refused with no change", () => {
  const h = useHarness();

  it("SetSubnets, SetSecurityGroups, DescribeLoadBalancers, tags, private addresses, targets and listeners", async () => {
    const n = await network(h, 73);
    const other = await network(h, 74);
    const elb = elbOf(h);
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: "n", Type: "network", Subnets: [n.subnetA, n.subnetB] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    await expectElbError(
      h,
      () => elb.send(new SetSubnetsCommand({ LoadBalancerArn: nlb, Subnets: [n.subnetA] })),
      "InvalidConfigurationRequest",
      "A Network Load Balancer's Availability Zones can be added but not removed",
    );
    await expectElbError(
      h,
      () => elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: nlb, SecurityGroups: [n.defaultSg] })),
      "InvalidConfigurationRequest",
      "You cannot set security groups on a Network Load Balancer which was created without any security groups",
    );
    await expectElbError(
      h,
      () => elb.send(new CreateLoadBalancerCommand({ Name: "alb", Subnets: [n.subnetA, n.subnetB], SecurityGroups: [other.defaultSg] })),
      "InvalidSecurityGroup",
      `Security group '${other.defaultSg}' does not exist in the load balancer's VPC`,
    );
    await expectElbError(
      h,
      () => elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: nlb, IpAddressType: "dualstack" })),
      "InvalidSubnet",
      `Subnet '${n.subnetA}' must have an IPv6 CIDR block for the dualstack IP address type`,
    );
    assert.equal((await elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: nlb, IpAddressType: "ipv4" }))).IpAddressType, "ipv4");
    await expectElbError(
      h,
      () => elb.send(new DescribeLoadBalancersCommand({ Names: ["n"], LoadBalancerArns: [nlb] })),
      "ValidationError",
      "Load balancer names and load balancer ARNs cannot be specified at the same time",
    );
    await expectElbError(
      h,
      () =>
        elb.send(new AddTagsCommand({ ResourceArns: ["arn:aws:ec2:us-east-1:000000000000:vpc/vpc-1"], Tags: [{ Key: "a", Value: "b" }] })),
      "ValidationError",
      "'arn:aws:ec2:us-east-1:000000000000:vpc/vpc-1' is not a valid load balancer, target group or listener ARN",
    );
    await elb.send(
      new CreateLoadBalancerCommand({
        Name: "i1",
        Type: "network",
        Scheme: "internal",
        SubnetMappings: [{ SubnetId: n.subnetA, PrivateIPv4Address: "10.73.1.40" }],
      }),
    );
    await expectElbError(
      h,
      () =>
        elb.send(
          new CreateLoadBalancerCommand({
            Name: "i2",
            Type: "network",
            Scheme: "internal",
            SubnetMappings: [{ SubnetId: n.subnetA, PrivateIPv4Address: "10.73.1.40" }],
          }),
        ),
      "InvalidConfigurationRequest",
      "The private IPv4 address '10.73.1.40' is already in use",
    );
    // Targets: an instance of another VPC, a target not registered, a target group of another VPC for a listener.
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: "t", Protocol: "TCP", Port: 80, VpcId: n.vpcId }))).TargetGroups![0]!
      .TargetGroupArn!;
    const stray = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: other.subnetA,
        }),
      )
    ).Instances![0]!.InstanceId!;
    await expectElbError(
      h,
      () => elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: stray }] })),
      "InvalidTarget",
      `The following targets are not in the target group VPC '${n.vpcId}': '${stray}'`,
    );
    await expectElbError(
      h,
      () => elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: stray }] })),
      "InvalidTarget",
      `The following targets are not registered in the target group: '${stray}'`,
    );
    const otherTg = (await elb.send(new CreateTargetGroupCommand({ Name: "o", Protocol: "TCP", Port: 80, VpcId: other.vpcId })))
      .TargetGroups![0]!.TargetGroupArn!;
    await expectElbError(
      h,
      () =>
        elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: nlb,
            Protocol: "TCP",
            Port: 80,
            DefaultActions: [{ Type: "forward", TargetGroupArn: otherTg }],
          }),
        ),
      "InvalidConfigurationRequest",
      `The target group '${otherTg}' is in a different VPC than the load balancer`,
    );
    await expectElbError(
      h,
      () =>
        elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: nlb,
            Protocol: "HTTP",
            Port: 80,
            DefaultActions: [{ Type: "forward", TargetGroupArn: tg }],
          }),
        ),
      "UnsupportedProtocol",
      "Protocol 'HTTP' is not supported for Network load balancers",
    );
  });
});

describe("ELBv2 provisioning on the simulated clock", () => {
  const h = useHarness({ loadBalancerProvisionMs: 120_000 });

  it("stays provisioning until the clock passes the delay, then the waiter's state is active", async () => {
    const n = await network(h, 68);
    const arn = (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "slow", Type: "network", Subnets: [n.subnetA] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    const state = async () =>
      (await elbOf(h).send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers![0]!.State?.Code;
    assert.equal(await state(), "provisioning");
    await adminCall(h, "POST", "clock/advance", { ms: 120_000 });
    assert.equal(await state(), "active");
  });
});

describe("ELBv2 target groups, listeners and target health from the data plane", () => {
  const h = useHarness();

  const instanceIn = async (subnetId: string, groups: string[]): Promise<string> =>
    (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnetId,
          SecurityGroupIds: groups,
        }),
      )
    ).Instances![0]!.InstanceId!;

  const healthOf = async (tg: string) =>
    (await elbOf(h).send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions!;

  it("NLB → instance target: NotInUse, initial checks, unhealthy until the target's group allows the NLB, then healthy; stopped is InvalidState", async () => {
    const n = await network(h, 70);
    const web = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: n.vpcId }))).GroupId!;
    const instanceId = await instanceIn(n.subnetA, [web]);
    const tg = (
      await elbOf(h).send(
        new CreateTargetGroupCommand({ Name: "web-tg", Protocol: "TCP", Port: 80, VpcId: n.vpcId, TargetType: "instance" }),
      )
    ).TargetGroups![0]!;
    assert.equal(tg.HealthCheckProtocol, "TCP");
    assert.equal(tg.HealthCheckPort, "traffic-port");
    assert.deepEqual(tg.LoadBalancerArns, []);
    const tgArn = tg.TargetGroupArn!;
    assert.match(tgArn, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/web-tg\/[0-9a-f]{16}$/);
    await elbOf(h).send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }));
    assert.deepEqual(await healthOf(tgArn), [
      {
        Target: { Id: instanceId, Port: 80 },
        HealthCheckPort: "80",
        TargetHealth: {
          State: "unused",
          Reason: "Target.NotInUse",
          Description: "Target group is not configured to receive traffic from the load balancer",
        },
      },
    ]);
    const lbArn = (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "nlb", Type: "network", Subnets: [n.subnetA] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    const listener = (
      await elbOf(h).send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Protocol: "TCP",
          Port: 80,
          DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
        }),
      )
    ).Listeners![0]!;
    assert.match(listener.ListenerArn!, new RegExp(`^${lbArn.replace("loadbalancer", "listener").replace(/[/.]/g, "\\$&")}/[0-9a-f]{16}$`));
    assert.equal((await healthOf(tgArn))[0]!.TargetHealth?.Reason, "Elb.InitialHealthChecking");
    // The first verdict after HealthyThresholdCount × interval (5 × 30 s).
    await adminCall(h, "POST", "clock/advance", { ms: 150_000 });
    assert.deepEqual((await healthOf(tgArn))[0]!.TargetHealth, {
      State: "unhealthy",
      Reason: "Target.FailedHealthChecks",
      Description: "Health checks failed",
    });
    // Allowing the VPC (where the NLB's node is) on the traffic port makes the health check pass.
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.70.0.0/16" }] }],
      }),
    );
    assert.deepEqual((await healthOf(tgArn))[0]!.TargetHealth, { State: "healthy" });
    // A target in a zone the NLB is not in is not used.
    const elsewhere = await instanceIn(n.subnetB, [web]);
    await elbOf(h).send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: elsewhere }] }));
    const far = await elbOf(h).send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: elsewhere }] }));
    assert.deepEqual(far.TargetHealthDescriptions![0]!.TargetHealth, {
      State: "unused",
      Reason: "Target.NotInUse",
      Description: "Target is in an Availability Zone that is not enabled for the load balancer",
    });
    await elbOf(h).send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: elsewhere }] }));
    const described = await elbOf(h).send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }));
    assert.deepEqual(described.TargetGroups![0]!.LoadBalancerArns, [lbArn]);
    // A target asked for but not registered.
    const other = await instanceIn(n.subnetA, [web]);
    const asked = await elbOf(h).send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: other }] }));
    assert.equal(asked.TargetHealthDescriptions![0]!.TargetHealth?.Reason, "Target.NotRegistered");
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    assert.deepEqual((await healthOf(tgArn))[0]!.TargetHealth, {
      State: "unused",
      Reason: "Target.InvalidState",
      Description: "Target is in the stopped state",
    });
    // A stopped instance cannot be registered.
    await expectElbError(
      h,
      () => elbOf(h).send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId, Port: 81 }] })),
      "InvalidTarget",
      `The following targets are not in a running state and cannot be registered: '${instanceId}'`,
    );
    // In use by a listener: the group cannot be deleted; after the listener goes, it can.
    await expectElbError(
      h,
      () => elbOf(h).send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn })),
      "ResourceInUse",
      `Target group '${tgArn}' is currently in use by a listener or a rule`,
    );
    await elbOf(h).send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn! }));
    await elbOf(h).send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }));
    assert.deepEqual(await healthOf(tgArn), []);
    await elbOf(h).send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    assert.deepEqual((await elbOf(h).send(new DescribeTargetGroupsCommand({}))).TargetGroups, []);
  });

  it("ip targets inside the VPC only; an ALB with an HTTP listener health-checks through its security group", async () => {
    const n = await network(h, 71);
    const app = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: n.vpcId }))).GroupId!;
    const albSg = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "alb", Description: "alb", VpcId: n.vpcId }))).GroupId!;
    const instanceId = await instanceIn(n.subnetB, [app]);
    const { Reservations } = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const ip = Reservations![0]!.Instances![0]!.PrivateIpAddress!;
    const tgArn = (
      await elbOf(h).send(
        new CreateTargetGroupCommand({
          Name: "app-ip",
          Protocol: "HTTP",
          Port: 8080,
          VpcId: n.vpcId,
          TargetType: "ip",
          HealthCheckPath: "/health",
        }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    await expectElbError(
      h,
      () => elbOf(h).send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: "192.168.9.9" }] })),
      "InvalidTarget",
      "The IP address '192.168.9.9' is not within the CIDR ranges of the target group's VPC",
    );
    await elbOf(h).send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: ip }] }));
    const lbArn = (
      await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "alb", Subnets: [n.subnetA, n.subnetB], SecurityGroups: [albSg] }))
    ).LoadBalancers![0]!.LoadBalancerArn!;
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: "TCP",
            Port: 80,
            DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
          }),
        ),
      "UnsupportedProtocol",
      "Protocol 'TCP' is not supported for Application load balancers",
    );
    const listenerArn = (
      await elbOf(h).send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
        }),
      )
    ).Listeners![0]!.ListenerArn!;
    await adminCall(h, "POST", "clock/advance", { ms: 150_000 });
    assert.deepEqual((await healthOf(tgArn))[0]!.TargetHealth, {
      State: "unhealthy",
      Reason: "Target.Timeout",
      Description: "Request timed out",
    });
    // The ALB's own group is the source the target must allow (the ALB does not preserve the client address).
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: albSg }] }],
      }),
    );
    assert.deepEqual((await healthOf(tgArn))[0]!.TargetHealth, { State: "healthy" });
    // ModifyTargetGroup moves the check to another port, which the group does not open.
    const mod = await elbOf(h).send(new ModifyTargetGroupCommand({ TargetGroupArn: tgArn, HealthCheckPort: "9000" }));
    assert.equal(mod.TargetGroups![0]!.HealthCheckPort, "9000");
    assert.equal((await healthOf(tgArn))[0]!.TargetHealth?.State, "unhealthy");
    const listeners = await elbOf(h).send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    assert.deepEqual(
      listeners.Listeners!.map((l) => [l.Port, l.Protocol, l.DefaultActions?.[0]?.TargetGroupArn]),
      [[80, "HTTP", tgArn]],
    );
    const moved = await elbOf(h).send(new ModifyListenerCommand({ ListenerArn: listenerArn, Port: 8081 }));
    assert.equal(moved.Listeners![0]!.Port, 8081);
    // Listener attributes: an HTTP listener's Server header switch.
    const la = await elbOf(h).send(new DescribeListenerAttributesCommand({ ListenerArn: listenerArn }));
    assert.deepEqual(la.Attributes, [{ Key: "routing.http.response.server.enabled", Value: "true" }]);
    const changed = await elbOf(h).send(
      new ModifyListenerAttributesCommand({
        ListenerArn: listenerArn,
        Attributes: [{ Key: "routing.http.response.server.enabled", Value: "false" }],
      }),
    );
    assert.deepEqual(changed.Attributes, [{ Key: "routing.http.response.server.enabled", Value: "false" }]);
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new ModifyListenerAttributesCommand({ ListenerArn: listenerArn, Attributes: [{ Key: "tcp.idle_timeout.seconds", Value: "60" }] }),
        ),
      "ValidationError",
      "Listener attribute key 'tcp.idle_timeout.seconds' is not recognized",
    );
  });

  it("target groups and listeners refuse bad input with ELBv2's errors", async () => {
    const n = await network(h, 72);
    const tcp = (await elbOf(h).send(new CreateTargetGroupCommand({ Name: "tcp", Protocol: "TCP", Port: 80, VpcId: n.vpcId })))
      .TargetGroups![0]!.TargetGroupArn!;
    const again = (await elbOf(h).send(new CreateTargetGroupCommand({ Name: "tcp", Protocol: "TCP", Port: 80, VpcId: n.vpcId })))
      .TargetGroups![0]!.TargetGroupArn!;
    assert.equal(again, tcp);
    await expectElbError(
      h,
      () => elbOf(h).send(new CreateTargetGroupCommand({ Name: "tcp", Protocol: "TCP", Port: 81, VpcId: n.vpcId })),
      "DuplicateTargetGroupName",
      "A target group with the same name 'tcp' exists, but with different settings",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new CreateTargetGroupCommand({ Name: "nohc", Protocol: "TCP", Port: 80, VpcId: n.vpcId, HealthCheckPath: "/x" })),
      "ValidationError",
      "Health check path can only be specified for HTTP and HTTPS health checks",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new CreateTargetGroupCommand({ Name: "novpc", Protocol: "TCP", Port: 80, VpcId: "vpc-0123456789abcdef0" })),
      "ValidationError",
      "The VPC ID 'vpc-0123456789abcdef0' is not found",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new DescribeTargetGroupsCommand({ Names: ["zz"] })),
      "TargetGroupNotFound",
      "One or more target groups not found",
    );
    const lbArn = (await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "n", Type: "network", Subnets: [n.subnetA] })))
      .LoadBalancers![0]!.LoadBalancerArn!;
    const udp = (await elbOf(h).send(new CreateTargetGroupCommand({ Name: "udp", Protocol: "UDP", Port: 53, VpcId: n.vpcId })))
      .TargetGroups![0]!.TargetGroupArn!;
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: "TCP",
            Port: 53,
            DefaultActions: [{ Type: "forward", TargetGroupArn: udp }],
          }),
        ),
      "IncompatibleProtocols",
      "The target group protocol 'UDP' is not compatible with the listener protocol 'TCP'",
    );
    await elbOf(h).send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: "UDP",
        Port: 53,
        DefaultActions: [{ Type: "forward", TargetGroupArn: udp }],
      }),
    );
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: "TCP",
            Port: 53,
            DefaultActions: [{ Type: "forward", TargetGroupArn: tcp }],
          }),
        ),
      "DuplicateListener",
      "A listener already exists on this port for this load balancer",
    );
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: "TCP", Port: 80, DefaultActions: [{ Type: "fixed-response" }] }),
        ),
      "InvalidLoadBalancerAction",
      "localvpc supports only forward actions with one target group, not 'fixed-response'",
    );
    await expectElbError(
      h,
      () =>
        elbOf(h).send(new DescribeListenersCommand({ ListenerArns: [lbArn.replace("loadbalancer", "listener") + "/0000000000000000"] })),
      "ListenerNotFound",
      "One or more listeners not found",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new DescribeTargetHealthCommand({ TargetGroupArn: tcp.replace(/[0-9a-f]{16}$/, "0000000000000000") })),
      "TargetGroupNotFound",
      "One or more target groups not found",
    );
  });
});

describe("ELBv2 in the data plane: internet → load balancer → healthy target", () => {
  const h = useHarness();
  let pki: Pki;
  before(() => {
    pki = makePki();
  });

  /** A VPC whose subnets route 0.0.0.0/0 to its internet gateway, a web group open to the VPC on 80, one instance. */
  const site = async (octet: number) => {
    const n = await network(h, octet);
    const { RouteTables } = await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [n.vpcId] }] }));
    const { InternetGateways } = await h.ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [n.vpcId] }] }),
    );
    await h.ec2.send(
      new CreateRouteCommand({
        RouteTableId: RouteTables![0]!.RouteTableId!,
        DestinationCidrBlock: "0.0.0.0/0",
        GatewayId: InternetGateways![0]!.InternetGatewayId!,
      }),
    );
    const web = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: n.vpcId }))).GroupId!;
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: `10.${octet}.0.0/16` }] }],
      }),
    );
    const instanceId = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: n.subnetA,
          SecurityGroupIds: [web],
        }),
      )
    ).Instances![0]!.InstanceId!;
    return { ...n, web, instanceId };
  };

  /** A TCP:80 target group with the instance, a listener on the load balancer, and the initial checks done. */
  const serve = async (lbArn: string, vpcId: string, instanceId: string, protocol: "TCP" | "HTTP"): Promise<string> => {
    const tg = (
      await elbOf(h).send(
        new CreateTargetGroupCommand({ Name: `tg-${protocol.toLowerCase()}`, Protocol: protocol, Port: 80, VpcId: vpcId }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    await elbOf(h).send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: instanceId }] }));
    await elbOf(h).send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: protocol,
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: tg }],
      }),
    );
    await adminCall(h, "POST", "clock/advance", { ms: 150_000 });
    return tg;
  };

  it("an NLB keeps the client's address: the target's group must allow the client; no listener on a port drops", async () => {
    const s = await site(80);
    const e = await eip(h);
    const lbArn = (
      await elbOf(h).send(
        new CreateLoadBalancerCommand({ Name: "edge", Type: "network", SubnetMappings: [{ SubnetId: s.subnetA, AllocationId: e.id }] }),
      )
    ).LoadBalancers![0]!.LoadBalancerArn!;
    const tg = await serve(lbArn, s.vpcId, s.instanceId, "TCP");
    assert.equal(
      (await elbOf(h).send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions![0]!.TargetHealth?.State,
      "healthy",
    );

    const blocked = await trafficSend(h, { from: "internet", to: e.ip, proto: "tcp", port: 80 });
    assert.equal(blocked.delivered, false, blocked.explanation);
    assert.equal(blocked.reason, "ENI_SG_RULES_MISMATCH");
    assert.ok(blocked.hops.some((x) => x.type === "load-balancer" && x.action === "forward"));
    // With client IP preservation off (a target-group attribute), the target sees the NLB's own address: the VPC rule is enough.
    const attrs = (await elbOf(h).send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg }))).Attributes!;
    assert.equal(attrs.find((x) => x.Key === "preserve_client_ip.enabled")?.Value, "true");
    assert.equal(attrs.find((x) => x.Key === "deregistration_delay.timeout_seconds")?.Value, "300");
    const off = [{ Key: "preserve_client_ip.enabled", Value: "false" }];
    await elbOf(h).send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: off }));
    const proxied = await trafficSend(h, { from: "internet", to: e.ip, proto: "tcp", port: 80 });
    assert.equal(proxied.delivered, true, proxied.explanation);
    assert.match(proxied.explanation, /from its own address/);
    await expectElbError(
      h,
      () =>
        elbOf(h).send(
          new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: "stickiness.type", Value: "lb_cookie" }] }),
        ),
      "InvalidConfigurationRequest",
      "Target group attribute value 'lb_cookie' is not valid for key 'stickiness.type'",
    );
    await expectElbError(
      h,
      () => elbOf(h).send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: "nope", Value: "1" }] })),
      "ValidationError",
      "Target group attribute key 'nope' is not recognized",
    );
    await elbOf(h).send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: "preserve_client_ip.enabled", Value: "true" }] }),
    );

    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: s.web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "198.51.100.0/24" }] }],
      }),
    );
    const through = await trafficSend(h, { from: "internet", to: e.ip, proto: "tcp", port: 80 });
    assert.equal(through.delivered, true, through.explanation);
    assert.equal(through.deliveredTo, s.instanceId);
    assert.match(through.explanation, /keeping the client's address/);
    assert.equal(through.reply?.delivered, true);

    const noListener = await trafficSend(h, { from: "internet", to: e.ip, proto: "tcp", port: 81 });
    assert.equal(noListener.delivered, false);
    assert.equal(noListener.reason, "EMU_ELB_NO_LISTENER");
    assert.equal(
      noListener.explanation,
      "Load balancer edge has no listener for this protocol on port 81, so it does not accept the packet.",
    );

    // A stopped target leaves the listener nothing to forward to.
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [s.instanceId] }));
    const none = await trafficSend(h, { from: "internet", to: e.ip, proto: "tcp", port: 80 });
    assert.equal(none.reason, "EMU_ELB_NO_HEALTHY_TARGET");
  });

  it("an ALB connects from its own address: a target group allowing only the ALB's group is enough", async () => {
    const s = await site(81);
    const albSg = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "alb", Description: "alb", VpcId: s.vpcId }))).GroupId!;
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: albSg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const lbArn = (
      await elbOf(h).send(new CreateLoadBalancerCommand({ Name: "site", Subnets: [s.subnetA, s.subnetB], SecurityGroups: [albSg] }))
    ).LoadBalancers![0]!.LoadBalancerArn!;
    await serve(lbArn, s.vpcId, s.instanceId, "HTTP");
    const address = (await enisOf(h, lbArn))[0]!.Association!.PublicIp!;
    const v = await trafficSend(h, { from: "internet", to: address, proto: "tcp", port: 80 });
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.deliveredTo, s.instanceId);
    assert.match(v.explanation, /from its own address/);
  });

  it("an NLB on a BYOIP Elastic IP is reachable while the range is advertised, and not once it is withdrawn", async () => {
    const cidr = "203.0.113.0/24";
    await prepareWorld(h.vpc.url, pki, cidr);
    const msg = message("000000000000", cidr);
    await h.ec2.send(
      new ProvisionByoipCidrCommand({ Cidr: cidr, CidrAuthorizationContext: { Message: msg, Signature: signMessage(pki.keyPem, msg) } }),
    );
    const { PublicIpv4Pools } = await h.ec2.send(new DescribePublicIpv4PoolsCommand({}));
    const pool = PublicIpv4Pools!.find((p) => p.PoolAddressRanges?.[0]?.FirstAddress === "203.0.113.0")!.PoolId!;
    const byoip = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc", PublicIpv4Pool: pool }));
    const s = await site(82);
    await h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: s.web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const lb = (
      await elbOf(h).send(
        new CreateLoadBalancerCommand({
          Name: "byoip",
          Type: "network",
          SubnetMappings: [{ SubnetId: s.subnetA, AllocationId: byoip.AllocationId! }],
        }),
      )
    ).LoadBalancers![0]!;
    assert.deepEqual(lb.AvailabilityZones![0]!.LoadBalancerAddresses, [{ IpAddress: byoip.PublicIp, AllocationId: byoip.AllocationId }]);
    await serve(lb.LoadBalancerArn!, s.vpcId, s.instanceId, "TCP");
    const send = () => trafficSend(h, { from: "internet", to: byoip.PublicIp!, proto: "tcp", port: 80 });
    assert.equal((await send()).reason, "EMU_BYOIP_NOT_ROUTED_TO_AWS");
    await h.ec2.send(new AdvertiseByoipCidrCommand({ Cidr: cidr }));
    const up = await send();
    assert.equal(up.delivered, true, up.explanation);
    assert.equal(up.deliveredTo, s.instanceId);
    await advanceClock(h.vpc.url, 10_000);
    await h.ec2.send(new WithdrawByoipCidrCommand({ Cidr: cidr }));
    const down = await send();
    assert.equal(down.delivered, false);
    assert.equal(down.reason, "EMU_BYOIP_NOT_ROUTED_TO_AWS");
  });
});

describe("ELBv2: Classic Load Balancer requests (same signing name) are not taken for ELBv2", () => {
  const h = useHarness();
  it("Version 2012-06-01 answers InvalidAction naming what is emulated, in the Query error shape", async () => {
    const res = await fetch(`${h.vpc.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization:
          "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=x",
      },
      body: "Action=DescribeLoadBalancers&Version=2012-06-01",
    });
    assert.equal(res.status, 400);
    const body = await res.text();
    assert.match(body, /<Code>InvalidAction<\/Code>/);
    assert.ok(
      body.includes(
        "localvpc emulates Elastic Load Balancing v2 (Version 2015-12-01), not API version 2012-06-01 (Classic Load Balancers).",
      ),
      body,
    );
  });
});
