/** Route-table and NACL mutations (issue 5): CreateRouteTable … ReplaceNetworkAclAssociation, with AWS's errors. */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, expectErrorNoChange, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("route-table and network-ACL actions", () => {
  const h = useHarness();
  let net: { vpcId: string; subnetId: string; sgId: string };
  let igwId: string;
  let rtbId: string;
  beforeEach(async () => {
    net = await createNetwork(h, "10.60.0.0/16", "10.60.1.0/24");
    igwId = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: net.vpcId }));
    rtbId = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
  });
  const table = async (id = rtbId) => (await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0]!;
  const mainTable = async () =>
    (
      await h.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [net.vpcId] },
            { Name: "association.main", Values: ["true"] },
          ],
        }),
      )
    ).RouteTables![0]!;

  describe("route tables", () => {
    it("CreateRouteTable gives a table with the local route and no associations", async () => {
      const t = await table();
      assert.equal(t.VpcId, net.vpcId);
      assert.deepEqual(t.Routes, [
        { DestinationCidrBlock: "10.60.0.0/16", GatewayId: "local", Origin: "CreateRouteTable", State: "active" },
      ]);
      assert.deepEqual(t.Associations, []);
    });

    it("CreateRoute to an internet gateway, ReplaceRoute to an ENI, DeleteRoute", async () => {
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
      assert.deepEqual((await table()).Routes![1], {
        DestinationCidrBlock: "0.0.0.0/0",
        GatewayId: igwId,
        Origin: "CreateRoute",
        State: "active",
      });
      const eni = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }))).NetworkInterface!.NetworkInterfaceId!;
      await h.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", NetworkInterfaceId: eni }));
      const r = (await table()).Routes![1]!;
      assert.equal(r.NetworkInterfaceId, eni);
      assert.equal(r.GatewayId, undefined);
      await h.ec2.send(new DeleteRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0" }));
      assert.equal((await table()).Routes!.length, 1);
    });

    it("an instance target records the instance and its ENI", async () => {
      const inst = (
        await h.ec2.send(
          new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: net.subnetId }),
        )
      ).Instances![0]!;
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", InstanceId: inst.InstanceId! }));
      const r = (await table()).Routes![1]!;
      assert.equal(r.InstanceId, inst.InstanceId);
      assert.equal(r.NetworkInterfaceId, inst.NetworkInterfaces![0]!.NetworkInterfaceId);
    });

    it("CreateRoute errors change nothing", async () => {
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId })),
        "RouteAlreadyExists",
        "The route identified by 0.0.0.0/0 already exists.",
      );
      const other = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "192.0.2.0/24", GatewayId: other })),
        "InvalidParameterValue",
        `route table ${rtbId} and network gateway ${other} belong to different networks`,
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "192.0.2.0/24", GatewayId: "igw-0123456789abcdef0" }),
          ),
        "InvalidGatewayID.NotFound",
        "The gateway ID 'igw-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "192.0.2.0/24" })),
        "InvalidParameterCombination",
        "The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, instanceId",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "169.254.169.0/24", GatewayId: igwId })),
        "InvalidParameterValue",
        "The destination CIDR block 169.254.169.0/24 is reserved and cannot be used in a route.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "10.60.1.0/24", GatewayId: igwId })),
        "InvalidParameterValue",
        /^The destination CIDR block 10\.60\.1\.0\/24 is equal to or more specific than one of this VPC's CIDR blocks/,
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateRouteCommand({ RouteTableId: "rtb-0123456789abcdef0", DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }),
          ),
        "InvalidRouteTableID.NotFound",
        "The routeTable ID 'rtb-0123456789abcdef0' does not exist",
      );
    });

    it("ReplaceRoute and DeleteRoute errors change nothing", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId })),
        "InvalidParameterValue",
        "There is no route defined for '0.0.0.0/0' in the route table. Use CreateRoute instead.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0" })),
        "InvalidRoute.NotFound",
        `no route with destination-cidr-block 0.0.0.0/0 in route table ${rtbId}`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "10.60.0.0/16" })),
        "InvalidParameterValue",
        `cannot remove local route 10.60.0.0/16 in route table ${rtbId}`,
      );
    });

    it("associate, replace the association, disassociate, delete", async () => {
      const { AssociationId, AssociationState } = await h.ec2.send(
        new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: net.subnetId }),
      );
      assert.match(AssociationId!, /^rtbassoc-[0-9a-f]{17}$/);
      assert.deepEqual(AssociationState, { State: "associated" });
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: net.subnetId })),
        "Resource.AlreadyAssociated",
        `the specified association for route table ${rtbId} conflicts with an existing association`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId })),
        "DependencyViolation",
        `The routeTable '${rtbId}' has dependencies and cannot be deleted.`,
      );
      const main = await mainTable();
      const moved = await h.ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId, RouteTableId: main.RouteTableId! }));
      assert.equal(
        (await table(main.RouteTableId)).Associations!.find((a) => a.SubnetId === net.subnetId)?.RouteTableAssociationId,
        moved.NewAssociationId,
      );
      await h.ec2.send(new DisassociateRouteTableCommand({ AssociationId: moved.NewAssociationId! }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateRouteTableCommand({ AssociationId: moved.NewAssociationId! })),
        "InvalidAssociationID.NotFound",
        `The association ID '${moved.NewAssociationId!}' does not exist`,
      );
      const mainAssoc = main.Associations!.find((a) => a.Main)!.RouteTableAssociationId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateRouteTableCommand({ AssociationId: mainAssoc })),
        "InvalidParameterValue",
        `cannot disassociate the main route table association ${mainAssoc}`,
      );
      await h.ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId }));
      assert.equal(
        (await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] }))).RouteTables!.length,
        1,
      );
    });

    it("ReplaceRouteTableAssociation of the main association makes another table main", async () => {
      const main = await mainTable();
      const mainAssoc = main.Associations!.find((a) => a.Main)!.RouteTableAssociationId!;
      await h.ec2.send(new ReplaceRouteTableAssociationCommand({ AssociationId: mainAssoc, RouteTableId: rtbId }));
      assert.equal((await mainTable()).RouteTableId, rtbId);
    });

    it("a subnet of another VPC cannot be associated", async () => {
      const other = await createNetwork(h, "10.61.0.0/16", "10.61.1.0/24");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: other.subnetId })),
        "InvalidParameterValue",
        `Route table ${rtbId} and subnet ${other.subnetId} belong to different networks`,
      );
    });
  });

  describe("network ACLs", () => {
    const acl = async (id: string) => (await h.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [id] }))).NetworkAcls![0]!;

    it("a new NACL denies everything; entries are created, replaced and deleted", async () => {
      const id = (await h.ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
      const fresh = await acl(id);
      assert.equal(fresh.IsDefault, false);
      assert.deepEqual(
        fresh.Entries!.map((e) => [e.RuleNumber, e.Egress, e.RuleAction]),
        [
          [32767, true, "deny"],
          [32767, false, "deny"],
        ],
      );
      await h.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: 100,
          Protocol: "tcp",
          RuleAction: "allow",
          Egress: false,
          CidrBlock: "0.0.0.18/0",
          PortRange: { From: 443, To: 443 },
        }),
      );
      const e = (await acl(id)).Entries!.find((x) => x.RuleNumber === 100)!;
      assert.equal(e.Protocol, "6");
      assert.equal(e.CidrBlock, "0.0.0.0/0");
      assert.deepEqual(e.PortRange, { From: 443, To: 443 });
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateNetworkAclEntryCommand({
              NetworkAclId: id,
              RuleNumber: 100,
              Protocol: "-1",
              RuleAction: "deny",
              Egress: false,
              CidrBlock: "0.0.0.0/0",
            }),
          ),
        "NetworkAclEntryAlreadyExists",
        "The network acl entry identified by 100 already exists.",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateNetworkAclEntryCommand({
              NetworkAclId: id,
              RuleNumber: 32767,
              Protocol: "-1",
              RuleAction: "deny",
              Egress: false,
              CidrBlock: "0.0.0.0/0",
            }),
          ),
        "InvalidParameterValue",
        "Value (32767) for parameter ruleNumber is invalid. The rule number must be between 1 and 32766.",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateNetworkAclEntryCommand({
              NetworkAclId: id,
              RuleNumber: 110,
              Protocol: "6",
              RuleAction: "allow",
              Egress: false,
              CidrBlock: "0.0.0.0/0",
            }),
          ),
        "MissingParameter",
        "The request must contain the parameter portRange",
      );
      await h.ec2.send(
        new ReplaceNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: 100,
          Protocol: "-1",
          RuleAction: "deny",
          Egress: false,
          CidrBlock: "10.0.0.0/8",
        }),
      );
      assert.equal((await acl(id)).Entries!.find((x) => x.RuleNumber === 100)!.RuleAction, "deny");
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new ReplaceNetworkAclEntryCommand({
              NetworkAclId: id,
              RuleNumber: 200,
              Protocol: "-1",
              RuleAction: "deny",
              Egress: true,
              CidrBlock: "10.0.0.0/8",
            }),
          ),
        "InvalidNetworkAclEntry.NotFound",
        `The egress entry '200' does not exist in network acl ${id}`,
      );
      await h.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: false }));
      assert.equal((await acl(id)).Entries!.length, 2);
      await h.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id }));
    });

    it("ReplaceNetworkAclAssociation moves a subnet from the default NACL and back", async () => {
      const id = (await h.ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
      const def = (
        await h.ec2.send(
          new DescribeNetworkAclsCommand({
            Filters: [
              { Name: "vpc-id", Values: [net.vpcId] },
              { Name: "default", Values: ["true"] },
            ],
          }),
        )
      ).NetworkAcls![0]!;
      const implicit = def.Associations!.find((a) => a.SubnetId === net.subnetId)!.NetworkAclAssociationId!;
      const { NewAssociationId } = await h.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: implicit, NetworkAclId: id }));
      assert.deepEqual(
        (await acl(id)).Associations!.map((a) => [a.SubnetId, a.NetworkAclAssociationId]),
        [[net.subnetId, NewAssociationId]],
      );
      assert.equal(
        (await acl(def.NetworkAclId!)).Associations!.some((a) => a.SubnetId === net.subnetId),
        false,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id })),
        "DependencyViolation",
        `The networkAcl '${id}' has dependencies and cannot be deleted.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: def.NetworkAclId! })),
        "InvalidParameterValue",
        `cannot delete default network ACL ${def.NetworkAclId!}`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: "aclassoc-0123456789abcdef0", NetworkAclId: id })),
        "InvalidAssociationID.NotFound",
        "The association ID 'aclassoc-0123456789abcdef0' does not exist",
      );
      await h.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: NewAssociationId!, NetworkAclId: def.NetworkAclId! }));
      assert.equal(
        (await acl(def.NetworkAclId!)).Associations!.some((a) => a.SubnetId === net.subnetId),
        true,
      );
      assert.deepEqual((await acl(id)).Associations, []);
    });

    it("a subnet created later joins the default NACL implicitly", async () => {
      const s = (await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.60.2.0/24" }))).Subnet!.SubnetId!;
      const r = await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [s] }] }));
      assert.equal(r.NetworkAcls![0]!.IsDefault, true);
    });
  });
});
