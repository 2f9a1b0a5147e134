/**
 * VPC endpoints (issue 16) with the real SDK: the region's endpoint services, Gateway endpoints (a route to the
 * service's AWS-managed prefix list in each table), Interface endpoints (one requester-managed ENI per subnet),
 * Modify/Delete, the dependencies they create, and what the data plane does with them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DeleteNetworkInterfaceCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  RunInstancesCommand,
  AuthorizeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, expectErrorNoChange, trafficSend, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";
const S3 = "pl-63a5400a"; // com.amazonaws.us-east-1.s3, AWS's real id
const DDB = "pl-02cd2c6b";
const S3_NAME = "com.amazonaws.us-east-1.s3";

describe("vpc endpoints", () => {
  const h = useHarness();

  const table = async (vpcId: string, subnetId?: string) => {
    const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    if (subnetId) await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnetId }));
    return rtb;
  };
  const routesOf = async (rtb: string) =>
    (await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
  const gateway = async (vpcId: string, tables: string[], service = S3_NAME) =>
    (
      await h.ec2.send(
        new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: service, VpcEndpointType: "Gateway", RouteTableIds: tables }),
      )
    ).VpcEndpoint!;
  const dnsOn = async (vpcId: string) => {
    await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  };
  const subnetB = async (vpcId: string, cidr: string, az = "us-east-1b") =>
    (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }))).Subnet!.SubnetId!;

  describe("DescribeVpcEndpointServices", () => {
    it("lists S3 twice (Gateway and Interface), DynamoDB, and interface services with their private DNS names", async () => {
      const r = await h.ec2.send(new DescribeVpcEndpointServicesCommand({}));
      for (const n of [
        "s3",
        "dynamodb",
        "ec2",
        "sts",
        "logs",
        "ssm",
        "ssmmessages",
        "ec2messages",
        "kms",
        "secretsmanager",
        "ecr.api",
        "ecr.dkr",
        "sqs",
        "sns",
        "lambda",
        "elasticloadbalancing",
        "execute-api",
      ])
        assert.ok(r.ServiceNames!.includes(`com.amazonaws.us-east-1.${n}`), n);
      const s3 = r.ServiceDetails!.filter((s) => s.ServiceName === S3_NAME);
      assert.deepEqual(
        s3.map((s) => s.ServiceType![0]!.ServiceType),
        ["Gateway", "Interface"],
      );
      const ec2 = r.ServiceDetails!.find((s) => s.ServiceName === "com.amazonaws.us-east-1.ec2")!;
      assert.equal(ec2.PrivateDnsName, "ec2.us-east-1.amazonaws.com");
      assert.equal(ec2.Owner, "amazon");
      assert.equal(ec2.AcceptanceRequired, false);
      assert.equal(ec2.VpcEndpointPolicySupported, true);
      assert.deepEqual(ec2.BaseEndpointDnsNames, ["ec2.us-east-1.vpce.amazonaws.com"]);
      assert.ok(ec2.AvailabilityZones!.includes("us-east-1a"));
      assert.match(ec2.ServiceId!, /^vpce-svc-[0-9a-f]{17}$/);
    });

    it("ServiceNames and the service-name / service-type filters; an unknown name fails", async () => {
      const gw = await h.ec2.send(new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: "service-type", Values: ["Gateway"] }] }));
      assert.deepEqual(gw.ServiceNames, ["com.amazonaws.us-east-1.dynamodb", S3_NAME]);
      const named = await h.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ["com.amazonaws.us-east-1.sts"] }));
      assert.equal(named.ServiceDetails!.length, 1);
      const byFilter = await h.ec2.send(
        new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: "service-name", Values: ["com.amazonaws.us-east-1.ecr.*"] }] }),
      );
      assert.deepEqual(byFilter.ServiceNames, ["com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.ecr.dkr"]);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: ["com.amazonaws.us-east-1.nope"] })),
        "InvalidServiceName",
        "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nope' does not exist",
      );
    });
  });

  describe("Gateway endpoints", () => {
    it("adds a prefix-list route to each table, shown by DescribeRouteTables; deleting removes it", async () => {
      const net = await createNetwork(h, "10.70.0.0/16", "10.70.1.0/24");
      const [a, b] = [await table(net.vpcId, net.subnetId), await table(net.vpcId)];
      const ep = await gateway(net.vpcId, [a, b]);
      assert.match(ep.VpcEndpointId!, /^vpce-[0-9a-f]{17}$/);
      assert.equal(ep.VpcEndpointType, "Gateway");
      assert.equal(ep.State, "available");
      assert.deepEqual(ep.RouteTableIds, [a, b]);
      assert.deepEqual(JSON.parse(ep.PolicyDocument!), {
        Version: "2008-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      });
      for (const t of [a, b]) {
        const r = (await routesOf(t)).find((x) => x.DestinationPrefixListId === S3)!;
        assert.equal(r.GatewayId, ep.VpcEndpointId);
        assert.equal(r.State, "active");
        assert.equal(r.Origin, "CreateRoute");
      }
      const del = await h.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }));
      assert.deepEqual(del.Unsuccessful ?? [], []);
      for (const t of [a, b]) assert.equal((await routesOf(t)).filter((x) => x.DestinationPrefixListId === S3).length, 0);
    });

    it("a second endpoint of the same service on the same table: RouteAlreadyExists", async () => {
      const net = await createNetwork(h, "10.71.0.0/16", "10.71.1.0/24");
      const a = await table(net.vpcId);
      await gateway(net.vpcId, [a]);
      await expectErrorNoChange(
        h,
        () => gateway(net.vpcId, [a]),
        "RouteAlreadyExists",
        `route table ${a} already has a route with destination-prefix-list-id ${S3}`,
      );
      // Another service's list is another route.
      const ddb = await gateway(net.vpcId, [a], "com.amazonaws.us-east-1.dynamodb");
      assert.ok((await routesOf(a)).some((r) => r.DestinationPrefixListId === DDB && r.GatewayId === ddb.VpcEndpointId));
    });

    it("rules: unknown service, type the service lacks, subnets on a Gateway, a table of another VPC, bad policy", async () => {
      const net = await createNetwork(h, "10.72.0.0/16", "10.72.1.0/24");
      const other = await createNetwork(h, "10.73.0.0/16", "10.73.1.0/24");
      const foreign = await table(other.vpcId);
      const send = (o: Partial<ConstructorParameters<typeof CreateVpcEndpointCommand>[0]>) =>
        h.ec2.send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: S3_NAME, VpcEndpointType: "Gateway", ...o }));
      await expectErrorNoChange(
        h,
        () => send({ ServiceName: "com.amazonaws.us-east-1.nope" }),
        "InvalidServiceName",
        "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nope' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => send({ ServiceName: "com.amazonaws.us-east-1.ec2" }),
        "InvalidParameter",
        "The Vpc Endpoint Service 'com.amazonaws.us-east-1.ec2' does not support Gateway endpoint type.",
      );
      await expectErrorNoChange(
        h,
        () => send({ SubnetIds: [net.subnetId] }),
        "InvalidParameter",
        "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.",
      );
      await expectErrorNoChange(
        h,
        () => send({ RouteTableIds: [foreign] }),
        "InvalidParameter",
        `The resource ${foreign} does not belong to the VPC ${net.vpcId} of the VPC endpoint.`,
      );
      await expectErrorNoChange(
        h,
        () => send({ RouteTableIds: ["rtb-00000000000000000"] }),
        "InvalidRouteTableID.NotFound",
        /rtb-00000000000000000/,
      );
      await expectErrorNoChange(
        h,
        () => send({ PolicyDocument: "{not json" }),
        "MalformedPolicyDocument",
        "The policy document is not valid JSON.",
      );
      await expectErrorNoChange(
        h,
        () => send({ PolicyDocument: JSON.stringify({ a: "x".repeat(20480) }) }),
        "InvalidParameter",
        "The policy document exceeds the maximum allowed size of 20480 characters.",
      );
    });

    it("ModifyVpcEndpoint adds and removes tables, sets and resets the policy", async () => {
      const net = await createNetwork(h, "10.74.0.0/16", "10.74.1.0/24");
      const [a, b] = [await table(net.vpcId), await table(net.vpcId)];
      const ep = (await gateway(net.vpcId, [a])).VpcEndpointId!;
      await h.ec2.send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: ep,
          AddRouteTableIds: [b],
          RemoveRouteTableIds: [a],
          PolicyDocument: '{"Statement":[]}',
        }),
      );
      assert.equal(
        (await routesOf(a)).some((r) => r.GatewayId === ep),
        false,
      );
      assert.equal(
        (await routesOf(b)).some((r) => r.GatewayId === ep),
        true,
      );
      let d = (await h.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep] }))).VpcEndpoints![0]!;
      assert.deepEqual(d.RouteTableIds, [b]);
      assert.equal(d.PolicyDocument, '{"Statement":[]}');
      await h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep, ResetPolicy: true }));
      d = (await h.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep] }))).VpcEndpoints![0]!;
      assert.equal((JSON.parse(d.PolicyDocument!) as { Statement: { Effect: string }[] }).Statement[0]!.Effect, "Allow");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep, AddSubnetIds: [net.subnetId] })),
        "InvalidParameter",
        "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep, RemoveRouteTableIds: [a] })),
        "InvalidParameter",
        `${a} is not associated with ${ep}.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep, ResetPolicy: true, PolicyDocument: "{}" })),
        "InvalidParameterCombination",
        "The parameters PolicyDocument and ResetPolicy cannot be used together.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: "vpce-00000000000000000", ResetPolicy: true })),
        "InvalidVpcEndpointId.NotFound",
        "The Vpc Endpoint Id 'vpce-00000000000000000' does not exist",
      );
    });

    it("a table routing to an endpoint cannot be deleted, nor its VPC", async () => {
      const net = await createNetwork(h, "10.75.0.0/16", "10.75.1.0/24");
      const a = await table(net.vpcId);
      await gateway(net.vpcId, [a]);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteRouteTableCommand({ RouteTableId: a })),
        "DependencyViolation",
        `The routeTable '${a}' has dependencies and cannot be deleted.`,
      );
      await h.ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetId }));
      const ep = (await h.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] })))
        .VpcEndpoints![0]!;
      await h.ec2.send(new DeleteRouteTableCommand({ RouteTableId: await table(net.vpcId) }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteVpcCommand({ VpcId: net.vpcId })),
        "DependencyViolation",
        `The vpc '${net.vpcId}' has dependencies and cannot be deleted.`,
      );
      await h.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }));
      await h.ec2.send(new DeleteRouteTableCommand({ RouteTableId: a }));
    });
  });

  describe("Interface endpoints", () => {
    it("one requester-managed ENI per subnet, the default group, DNS entries", async () => {
      const net = await createNetwork(h, "10.76.0.0/16", "10.76.1.0/24");
      await dnsOn(net.vpcId);
      const b = await subnetB(net.vpcId, "10.76.2.0/24");
      const ep = (
        await h.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: net.vpcId,
            ServiceName: "com.amazonaws.us-east-1.ec2",
            VpcEndpointType: "Interface",
            SubnetIds: [net.subnetId, b],
            TagSpecifications: [{ ResourceType: "vpc-endpoint", Tags: [{ Key: "Name", Value: "ec2-api" }] }],
          }),
        )
      ).VpcEndpoint!;
      assert.equal(ep.PrivateDnsEnabled, true);
      assert.deepEqual(
        ep.Groups!.map((g) => g.GroupId),
        [net.sgId],
      );
      assert.equal(ep.NetworkInterfaceIds!.length, 2);
      assert.deepEqual(ep.Tags, [{ Key: "Name", Value: "ec2-api" }]);
      const names = ep.DnsEntries!.map((d) => d.DnsName!);
      assert.match(names[0]!, new RegExp(`^${ep.VpcEndpointId}-[0-9a-f]{8}\\.ec2\\.us-east-1\\.vpce\\.amazonaws\\.com$`));
      assert.ok(names.some((n) => n.includes("-us-east-1a.ec2.us-east-1.vpce.amazonaws.com")));
      assert.ok(names.includes("ec2.us-east-1.amazonaws.com"));
      const enis = (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ep.NetworkInterfaceIds })))
        .NetworkInterfaces!;
      for (const e of enis) {
        assert.equal(e.InterfaceType, "vpc_endpoint");
        assert.equal(e.Description, `VPC Endpoint Interface ${ep.VpcEndpointId}`);
        assert.equal(e.RequesterId, "727180483921");
        assert.equal(e.RequesterManaged, true);
        assert.equal(e.Status, "in-use");
        assert.deepEqual(
          e.Groups!.map((g) => g.GroupId),
          [net.sgId],
        );
      }
      // The user cannot delete them; the subnet and group are in use.
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: enis[0]!.NetworkInterfaceId! })),
        "InvalidParameterValue",
        `Network interface '${enis[0]!.NetworkInterfaceId!}' is currently in use.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSubnetCommand({ SubnetId: b })),
        "DependencyViolation",
        `The subnet '${b}' has dependencies and cannot be deleted.`,
      );
      // Deleting the endpoint removes its ENIs.
      await h.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }));
      const left = await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] }));
      assert.equal(left.NetworkInterfaces!.length, 0);
      await h.ec2.send(new DeleteSubnetCommand({ SubnetId: b }));
    });

    it("rules: two subnets in one zone, private DNS without the VPC's DNS attributes, route tables on an Interface", async () => {
      const net = await createNetwork(h, "10.77.0.0/16", "10.77.1.0/24");
      const sameZone = await subnetB(net.vpcId, "10.77.2.0/24", "us-east-1a");
      const send = (o: Partial<ConstructorParameters<typeof CreateVpcEndpointCommand>[0]>) =>
        h.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: net.vpcId,
            ServiceName: "com.amazonaws.us-east-1.sts",
            VpcEndpointType: "Interface",
            PrivateDnsEnabled: false,
            ...o,
          }),
        );
      await expectErrorNoChange(
        h,
        () => send({ SubnetIds: [net.subnetId, sameZone] }),
        "DuplicateSubnetsInSameZone",
        `Found another VPC endpoint subnet in the availability zone of ${sameZone}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
      await expectErrorNoChange(
        h,
        () => send({ SubnetIds: [net.subnetId], PrivateDnsEnabled: true }),
        "InvalidParameter",
        `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${net.vpcId}`,
      );
      // The default (private DNS on) needs them too.
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateVpcEndpointCommand({
              VpcId: net.vpcId,
              ServiceName: "com.amazonaws.us-east-1.sts",
              VpcEndpointType: "Interface",
              SubnetIds: [net.subnetId],
            }),
          ),
        "InvalidParameter",
        /Enabling private DNS requires/,
      );
      const rtb = await table(net.vpcId);
      await expectErrorNoChange(
        h,
        () => send({ RouteTableIds: [rtb] }),
        "InvalidParameter",
        "Route table IDs are only supported for Gateway type VPC Endpoint.",
      );
      await expectErrorNoChange(
        h,
        () => send({ SecurityGroupIds: ["sg-00000000000000000"] }),
        "InvalidGroup.NotFound",
        /sg-00000000000000000/,
      );
    });

    it("ModifyVpcEndpoint: subnets, groups (ENIs follow), private DNS; a group in use cannot be deleted", async () => {
      const net = await createNetwork(h, "10.78.0.0/16", "10.78.1.0/24");
      const b = await subnetB(net.vpcId, "10.78.2.0/24");
      const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "vpce", Description: "vpce" }))).GroupId!;
      const ep = (
        await h.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: net.vpcId,
            ServiceName: "com.amazonaws.us-east-1.ssm",
            VpcEndpointType: "Interface",
            SubnetIds: [net.subnetId],
            SecurityGroupIds: [sg],
            PrivateDnsEnabled: false,
          }),
        )
      ).VpcEndpoint!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg })),
        "DependencyViolation",
        `resource ${sg} has a dependent object`,
      );
      await h.ec2.send(
        new ModifyVpcEndpointCommand({
          VpcEndpointId: ep.VpcEndpointId!,
          AddSubnetIds: [b],
          RemoveSubnetIds: [net.subnetId],
          AddSecurityGroupIds: [net.sgId],
          RemoveSecurityGroupIds: [sg],
        }),
      );
      const d = (await h.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!;
      assert.deepEqual(d.SubnetIds, [b]);
      assert.deepEqual(
        d.Groups!.map((g) => g.GroupId),
        [net.sgId],
      );
      assert.equal(d.NetworkInterfaceIds!.length, 1);
      assert.notEqual(d.NetworkInterfaceIds![0], ep.NetworkInterfaceIds![0]);
      const eni = (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: d.NetworkInterfaceIds })))
        .NetworkInterfaces![0]!;
      assert.equal(eni.SubnetId, b);
      await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, PrivateDnsEnabled: true })),
        "InvalidParameter",
        `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${net.vpcId}`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, RemoveSecurityGroupIds: [net.sgId] })),
        "InvalidParameter",
        "An Interface VPC endpoint must have at least one security group.",
      );
      await dnsOn(net.vpcId);
      await h.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, PrivateDnsEnabled: true }));
      const after = (await h.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!;
      assert.equal(after.PrivateDnsEnabled, true);
      assert.ok(after.DnsEntries!.some((e) => e.DnsName === "ssm.us-east-1.amazonaws.com"));
    });
  });

  describe("DescribeVpcEndpoints and DeleteVpcEndpoints", () => {
    it("filters, tags, pages; ids not found; Delete answers Unsuccessful per id", async () => {
      const net = await createNetwork(h, "10.79.0.0/16", "10.79.1.0/24");
      const a = await table(net.vpcId);
      const gw = (
        await h.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: net.vpcId,
            ServiceName: S3_NAME,
            RouteTableIds: [a],
            TagSpecifications: [{ ResourceType: "vpc-endpoint", Tags: [{ Key: "k", Value: "gw" }] }],
          }),
        )
      ).VpcEndpoint!;
      assert.equal(gw.VpcEndpointType, "Gateway", "Gateway is the default type");
      const ifc = (
        await h.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: net.vpcId,
            ServiceName: "com.amazonaws.us-east-1.sqs",
            VpcEndpointType: "Interface",
            SubnetIds: [net.subnetId],
            PrivateDnsEnabled: false,
          }),
        )
      ).VpcEndpoint!;
      const ids = async (filters: { Name: string; Values: string[] }[]) =>
        (
          await h.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }, ...filters] }))
        ).VpcEndpoints!.map((e) => e.VpcEndpointId);
      assert.deepEqual(await ids([]), [gw.VpcEndpointId, ifc.VpcEndpointId]);
      assert.deepEqual(await ids([{ Name: "vpc-endpoint-type", Values: ["Interface"] }]), [ifc.VpcEndpointId]);
      assert.deepEqual(await ids([{ Name: "service-name", Values: [S3_NAME] }]), [gw.VpcEndpointId]);
      assert.deepEqual(await ids([{ Name: "vpc-endpoint-state", Values: ["available"] }]), [gw.VpcEndpointId, ifc.VpcEndpointId]);
      assert.deepEqual(await ids([{ Name: "vpc-endpoint-id", Values: [ifc.VpcEndpointId!] }]), [ifc.VpcEndpointId]);
      assert.deepEqual(await ids([{ Name: "tag:k", Values: ["gw"] }]), [gw.VpcEndpointId]);
      const p1 = await h.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }], MaxResults: 5 }));
      assert.equal(p1.VpcEndpoints!.length, 2);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ["vpce-00000000000000000"] })),
        "InvalidVpcEndpointId.NotFound",
        "The Vpc Endpoint Id 'vpce-00000000000000000' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ["vpc-1"] })),
        "InvalidVpcEndpointId.Malformed",
        'Invalid id: "vpc-1" (expecting "vpce-...")',
      );
      const del = await h.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [gw.VpcEndpointId!, "vpce-00000000000000000", "x"] }));
      assert.deepEqual(
        del.Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code]),
        [
          ["vpce-00000000000000000", "InvalidVpcEndpointId.NotFound"],
          ["x", "InvalidVpcEndpointId.Malformed"],
        ],
      );
      assert.deepEqual(await ids([]), [ifc.VpcEndpointId]);
    });

    it("ClientToken replays the same endpoint", async () => {
      const net = await createNetwork(h, "10.80.0.0/16", "10.80.1.0/24");
      const a = await table(net.vpcId);
      const send = () =>
        h.ec2.send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: S3_NAME, RouteTableIds: [a], ClientToken: "tok-1" }));
      const [x, y] = [await send(), await send()];
      assert.equal(x.VpcEndpoint!.VpcEndpointId, y.VpcEndpoint!.VpcEndpointId);
      assert.equal(x.ClientToken, "tok-1");
    });
  });

  describe("traffic", () => {
    const launch = async (subnetId: string, sgId: string) =>
      (
        await h.ec2.send(
          new RunInstancesCommand({
            ImageId: AMI,
            InstanceType: "t3.micro",
            MinCount: 1,
            MaxCount: 1,
            SubnetId: subnetId,
            SecurityGroupIds: [sgId],
          }),
        )
      ).Instances![0]!.InstanceId!;

    it("S3 from a private subnet: dropped without an endpoint, delivered through the gateway endpoint", async () => {
      const net = await createNetwork(h, "10.81.0.0/16", "10.81.1.0/24");
      const rtb = await table(net.vpcId, net.subnetId);
      const i = await launch(net.subnetId, net.sgId);
      const before = await trafficSend(h, { from: i, to: "52.216.8.10", port: 443 });
      assert.equal(before.delivered, false);
      assert.equal(before.reason, "NO_ROUTE_TO_DESTINATION");
      const ep = (await gateway(net.vpcId, [rtb])).VpcEndpointId!;
      const after = await trafficSend(h, { from: i, to: "52.216.8.10", port: 443 });
      assert.equal(after.delivered, true, after.explanation);
      assert.match(after.explanation, new RegExp(`reaches ${S3_NAME.replace(/\./g, "\\.")} through gateway endpoint ${ep}`));
      assert.ok(after.hops.some((x) => x.type === "vpc-endpoint" && x.component === ep && x.detail.includes(`prefix list ${S3}`)));
      assert.equal(after.reply?.delivered, true);
    });

    it("with an internet gateway and no endpoint, S3 is reached over the internet", async () => {
      const net = await createNetwork(h, "10.82.0.0/16", "10.82.1.0/24");
      const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
      const rtb = await table(net.vpcId, net.subnetId);
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
      const i = (
        await h.ec2.send(
          new RunInstancesCommand({
            ImageId: AMI,
            InstanceType: "t3.micro",
            MinCount: 1,
            MaxCount: 1,
            NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnetId, AssociatePublicIpAddress: true }],
          }),
        )
      ).Instances![0]!.InstanceId!;
      const v = await trafficSend(h, { from: i, to: "52.216.8.10", port: 443 });
      assert.equal(v.delivered, true, v.explanation);
      assert.match(v.explanation, /over the internet at 52\.216\.8\.10/);
    });

    it("an interface endpoint's ENI receives what its security group allows", async () => {
      const net = await createNetwork(h, "10.83.0.0/16", "10.83.1.0/24");
      const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "ep", Description: "ep" }))).GroupId!;
      const ep = (
        await h.ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: net.vpcId,
            ServiceName: "com.amazonaws.us-east-1.logs",
            VpcEndpointType: "Interface",
            SubnetIds: [net.subnetId],
            SecurityGroupIds: [sg],
            PrivateDnsEnabled: false,
          }),
        )
      ).VpcEndpoint!;
      const eni = (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ep.NetworkInterfaceIds })))
        .NetworkInterfaces![0]!;
      const i = await launch(net.subnetId, net.sgId);
      const denied = await trafficSend(h, { from: i, to: eni.PrivateIpAddress!, port: 443 });
      assert.equal(denied.delivered, false);
      assert.equal(denied.reason, "ENI_SG_RULES_MISMATCH");
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: sg,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.83.0.0/16" }] }],
        }),
      );
      const ok = await trafficSend(h, { from: i, to: eni.PrivateIpAddress!, port: 443 });
      assert.equal(ok.delivered, true, ok.explanation);
      assert.equal(ok.deliveredToEni, eni.NetworkInterfaceId);
      assert.match(ok.explanation, new RegExp(`interface endpoint ${ep.VpcEndpointId}`));
    });
  });
});
