/**
 * Terraform replay (issue 20): the EC2 call sequences terraform-provider-aws sends for aws_vpc, aws_subnet,
 * aws_security_group, aws_network_interface, aws_network_interface_attachment, aws_eip, aws_eip_association,
 * aws_instance and aws_nat_gateway, replayed with the JS SDK: create → state waiter → read → an update → delete →
 * the delete waiter. Each step sends the parameters and filters the provider sends and asserts what the provider
 * expects right after (states, attributes it sets, exactly one match where it asserts a single result, the NotFound
 * code its finders map to "gone"). docs/terraform-call-sequences.md lists the sequences and their sources.
 * Steps localvpc does not implement are not replayed; a comment names the missing action.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AssignPrivateIpAddressesCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteNatGatewayCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeAddressesAttributeCommand,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachNetworkInterfaceCommand,
  DisassociateAddressCommand,
  EC2ServiceException,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ReleaseAddressCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Filter,
  type IpPermission,
  type ResourceType,
  type TagSpecification,
} from "@aws-sdk/client-ec2";
import { useHarness, type Harness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";
const INSTANCE_TYPE = "t3.micro";

/** getTagSpecificationsIn(ctx, type): the provider's default tags + the resource's tags, on the Create call. */
const tagSpec = (type: ResourceType, name: string): TagSpecification[] => [{ ResourceType: type, Tags: [{ Key: "Name", Value: name }] }];

/** newAttributeFilterList(map): one Filter per key, one value each. */
const filters = (m: Record<string, string>): Filter[] => Object.entries(m).map(([Name, v]) => ({ Name, Values: [v] }));

/** The EC2 error code of a rejected call, or undefined when it succeeded. */
const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (e instanceof EC2ServiceException) return e.name;
    throw e;
  }
};

/**
 * retry.StateChangeConf as the provider configures it: refresh() answers the current state, or undefined when the
 * finder maps the answer to NotFound (tolerated up to notFoundChecks times, default 20); pending states keep
 * polling; the first target state returns. Target [] (a delete waiter) succeeds on NotFound. No delays: localvpc's
 * transitions complete by the next describe.
 */
const waitFor = async (
  what: string,
  refresh: () => Promise<string | undefined>,
  pending: string[],
  target: string[],
  notFoundChecks = 20,
): Promise<string[]> => {
  const seen: string[] = [];
  let notFound = 0;
  for (let i = 0; i < 50; i++) {
    const s = await refresh();
    if (s === undefined) {
      seen.push("<not found>");
      if (target.length === 0) return seen;
      if (++notFound > notFoundChecks) assert.fail(`${what}: not found after ${notFoundChecks} checks (${seen.join(" → ")})`);
      continue;
    }
    seen.push(s);
    if (target.includes(s)) return seen;
    assert.ok(pending.includes(s), `${what}: unexpected state ${s} (pending ${pending.join("|")}, target ${target.join("|")})`);
  }
  return assert.fail(`${what}: never reached ${target.join("|") || "NotFound"} (${seen.join(" → ")})`);
};

/** A finder: the call's single result, or undefined when it answered one of the codes the provider maps to NotFound. */
const find = async <T>(p: Promise<T[] | undefined>, notFoundCodes: string[]): Promise<T | undefined> => {
  try {
    const items = (await p) ?? [];
    // tfresource.AssertSingleValueResult: zero results is NotFound, more than one is an error.
    assert.ok(items.length <= 1, `expected at most one result, got ${items.length}`);
    return items[0];
  } catch (e) {
    if (e instanceof EC2ServiceException && notFoundCodes.includes(e.name)) return undefined;
    throw e;
  }
};

const newVpc = async (h: Harness, cidr: string): Promise<string> =>
  (await h.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;

const newSubnet = async (h: Harness, vpcId: string, cidr: string): Promise<string> =>
  (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;

const newIgw = async (h: Harness, vpcId: string): Promise<string> => {
  const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  return igw;
};

/** RunInstances exactly as the provider's buildInstanceOpts + resourceInstanceCreate send it (see the doc). */
const runInstancesInput = (rootDeviceName: string, sgId: string, subnetId: string, withHibernation: boolean): RunInstancesCommandInput => ({
  BlockDeviceMappings: [{ DeviceName: rootDeviceName, Ebs: { DeleteOnTermination: true, VolumeSize: 8 } }],
  ClientToken: `terraform-${Date.now()}${Math.random().toString(16).slice(2, 10)}`,
  CreditSpecification: { CpuCredits: "unlimited" },
  DisableApiTermination: false,
  EbsOptimized: false,
  ...(withHibernation ? { HibernationOptions: { Configured: false } } : {}),
  ImageId: AMI,
  InstanceType: INSTANCE_TYPE,
  MaxCount: 1,
  MinCount: 1,
  Monitoring: { Enabled: false },
  Placement: { AvailabilityZone: "" },
  SecurityGroupIds: [sgId],
  SubnetId: subnetId,
  TagSpecifications: tagSpec("instance", "tf-instance"),
});

const launch = async (h: Harness, subnetId: string): Promise<string> =>
  (await h.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: INSTANCE_TYPE, MinCount: 1, MaxCount: 1, SubnetId: subnetId })))
    .Instances![0]!.InstanceId!;

describe("Terraform replay", () => {
  const h = useHarness();

  it("aws_vpc: CreateVpc → wait available → ModifyVpcAttribute + wait → read (attributes, default NACL/main RT/default SG) → update → delete → InvalidVpcID.NotFound", async () => {
    // Create: enable_dns_hostnames = true, enable_dns_support = true (default), instance_tenancy = "default".
    const created = await h.ec2.send(
      new CreateVpcCommand({
        AmazonProvidedIpv6CidrBlock: false,
        CidrBlock: "10.1.0.0/16",
        InstanceTenancy: "default",
        TagSpecifications: tagSpec("vpc", "tf-vpc"),
      }),
    );
    const vpcId = created.Vpc!.VpcId!;
    const findVpc = () =>
      find(
        h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })).then((r) => r.Vpcs),
        ["InvalidVpcID.NotFound"],
      );
    // waitVPCCreated: DescribeVpcs VpcIds, pending → available.
    await waitFor("VPC create", async () => (await findVpc())?.State, ["pending"], ["available"]);

    // modifyVPCAttributesOnCreate: only the attributes that differ from AWS's defaults (hostnames false, support true,
    // NAU metrics false); each ModifyVpcAttribute is followed by waitVPCAttributeUpdated (DescribeVpcAttribute).
    const attr = async (Attribute: "enableDnsHostnames" | "enableDnsSupport" | "enableNetworkAddressUsageMetrics") => {
      const r = await h.ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }));
      const v =
        Attribute === "enableDnsHostnames"
          ? r.EnableDnsHostnames
          : Attribute === "enableDnsSupport"
            ? r.EnableDnsSupport
            : r.EnableNetworkAddressUsageMetrics;
      assert.ok(v?.Value !== undefined, `DescribeVpcAttribute ${Attribute} answers a value (else EmptyResultError)`);
      return String(v.Value);
    };
    await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    await waitFor("EnableDnsHostnames", () => attr("enableDnsHostnames"), [], ["true"]);

    // Read (RetryWhenNewResourceNotFound on each finder for a new resource).
    const read = async () => {
      const vpc = await findVpc();
      assert.ok(vpc, "DescribeVpcs VpcIds finds the new VPC");
      assert.equal(vpc.CidrBlock, "10.1.0.0/16");
      assert.match(vpc.DhcpOptionsId ?? "", /^(dopt-[0-9a-f]+|default)$/, "dhcp_options_id");
      assert.equal(vpc.InstanceTenancy, "default");
      assert.equal(vpc.OwnerId, "000000000000");
      assert.deepEqual(vpc.Ipv6CidrBlockAssociationSet ?? [], []);
      const dns = {
        hostnames: await attr("enableDnsHostnames"),
        support: await attr("enableDnsSupport"),
        nau: await attr("enableNetworkAddressUsageMetrics"),
      };
      // findVPCDefaultNetworkACL / findVPCMainRouteTable / findVPCDefaultSecurityGroup: exactly one each.
      const nacls = (await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: filters({ default: "true", "vpc-id": vpcId }) })))
        .NetworkAcls!;
      assert.equal(nacls.length, 1, "default_network_acl_id: one default NACL");
      const rts = (await h.ec2.send(new DescribeRouteTablesCommand({ Filters: filters({ "association.main": "true", "vpc-id": vpcId }) })))
        .RouteTables!;
      assert.equal(rts.length, 1, "main_route_table_id: one main route table");
      const sgs = (await h.ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters({ "group-name": "default", "vpc-id": vpcId }) })))
        .SecurityGroups!;
      assert.equal(sgs.length, 1, "default_security_group_id: one default SG");
      assert.deepEqual(vpc.Tags, [{ Key: "Name", Value: "tf-vpc" }]);
      return dns;
    };
    assert.deepEqual(await read(), { hostnames: "true", support: "true", nau: "false" });

    // Update: enable_dns_support = false, and a tag change (updateTags: CreateTags / DeleteTags).
    await h.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: false } }));
    await waitFor("EnableDnsSupport", () => attr("enableDnsSupport"), [], ["false"]);
    await h.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "env", Value: "test" }] }));
    await h.ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "env" }] }));
    assert.deepEqual(await read(), { hostnames: "true", support: "false", nau: "false" });

    // Delete: DeleteVpc (retried on DependencyViolation), then RetryUntilNotFound on DescribeVpcs VpcIds.
    await h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    assert.equal(await codeOf(h.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))), "InvalidVpcID.NotFound");
    // A second delete (e.g. after a lost response) answers the code the provider treats as already deleted.
    assert.equal(await codeOf(h.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }))), "InvalidVpcID.NotFound");
    // Not replayed: ModifyVpcTenancy (instance_tenancy dedicated → default) and GetIpamPoolAllocations (IPAM VPCs),
    // both UnsupportedOperation in localvpc.
  });

  it("aws_subnet: CreateSubnet → wait available → ModifySubnetAttribute + wait → read → update → lingering-ENI check → delete", async () => {
    const vpcId = await newVpc(h, "10.2.0.0/16");
    const { Subnet } = await h.ec2.send(
      new CreateSubnetCommand({
        TagSpecifications: tagSpec("subnet", "tf-subnet"),
        VpcId: vpcId,
        AvailabilityZone: "us-east-1a",
        CidrBlock: "10.2.1.0/24",
      }),
    );
    const subnetId = Subnet!.SubnetId!;
    const findSubnet = () =>
      find(
        h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })).then((r) => r.Subnets),
        ["InvalidSubnetID.NotFound"],
      );
    // waitSubnetAvailable: DescribeSubnets SubnetIds, pending → available.
    await waitFor("subnet create", async () => (await findSubnet())?.State, ["pending"], ["available"]);
    const fresh = (await findSubnet())!;
    // modifySubnetAttributesOnCreate compares the config with these answers; each must be present.
    assert.equal(fresh.AssignIpv6AddressOnCreation, false);
    assert.equal(fresh.EnableDns64, false);
    assert.equal(fresh.MapPublicIpOnLaunch, false);
    assert.ok(fresh.PrivateDnsNameOptionsOnLaunch, "PrivateDnsNameOptionsOnLaunch (compared with the enable_resource_name_* config)");
    assert.equal(fresh.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsARecord, false);
    assert.equal(fresh.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsAAAARecord, false);
    assert.equal(fresh.PrivateDnsNameOptionsOnLaunch.HostnameType, "ip-name");

    // map_public_ip_on_launch = true differs: ModifySubnetAttribute, then waitSubnetMapPublicIPOnLaunchUpdated.
    await h.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }));
    await waitFor("MapPublicIpOnLaunch", async () => String((await findSubnet())?.MapPublicIpOnLaunch), [], ["true"]);

    // Read (resourceSubnetFlatten).
    const s = (await findSubnet())!;
    assert.match(s.SubnetArn ?? "", new RegExp(`^arn:aws:ec2:us-east-1:000000000000:subnet/${subnetId}$`));
    assert.equal(s.AvailabilityZone, "us-east-1a");
    assert.match(s.AvailabilityZoneId ?? "", /^use1-az\d$/);
    assert.equal(s.CidrBlock, "10.2.1.0/24");
    assert.equal(s.Ipv6Native, false);
    assert.equal(s.MapCustomerOwnedIpOnLaunch, false);
    assert.equal(s.MapPublicIpOnLaunch, true);
    assert.equal(s.OwnerId, "000000000000");
    assert.equal(s.VpcId, vpcId);
    assert.deepEqual(s.Ipv6CidrBlockAssociationSet ?? [], []);
    assert.deepEqual(s.Tags, [{ Key: "Name", Value: "tf-subnet" }]);

    // Update: map_public_ip_on_launch = false.
    await h.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: false } }));
    await waitFor("MapPublicIpOnLaunch", async () => String((await findSubnet())?.MapPublicIpOnLaunch), [], ["false"]);

    // Delete: deleteLingeringENIs lists the subnet's ENIs (Lambda/Comprehend/DMS ones are detached and deleted).
    const enis = await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters({ "subnet-id": subnetId }) }));
    assert.deepEqual(enis.NetworkInterfaces, []);
    await h.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    // No delete waiter; the next refresh's read removes it from state on InvalidSubnetID.NotFound.
    assert.equal(await codeOf(h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))), "InvalidSubnetID.NotFound");
    assert.equal(await codeOf(h.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }))), "InvalidSubnetID.NotFound");
    // Not replayed: on DependencyViolation the provider lists GuardDuty VPC endpoints (DescribeVpcEndpoints), which
    // localvpc does not implement.
  });

  it("aws_security_group: CreateSecurityGroup → wait exists → revoke default egress (IPv4, IPv6) → authorize rules → read → update → delete → InvalidGroup.NotFound", async () => {
    const vpcId = await newVpc(h, "10.3.0.0/16");
    const { GroupId } = await h.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "tf-sg",
        Description: "Managed by Terraform",
        VpcId: vpcId,
        TagSpecifications: tagSpec("security-group", "tf-sg"),
      }),
    );
    const sgId = GroupId!;
    const findSg = () =>
      find(
        h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sgId] })).then((r) => r.SecurityGroups),
        ["InvalidGroup.NotFound", "InvalidSecurityGroupID.NotFound"],
      );
    // waitSecurityGroupCreated: target "exists", NotFoundChecks 1000.
    await waitFor("security group create", async () => ((await findSg()) ? "exists" : undefined), [], ["exists"], 1000);

    // Revoke AWS's default allow-all egress, as the provider sends it: protocol -1 with FromPort/ToPort 0.
    const allOut = (range: { v4?: string; v6?: string }): IpPermission[] => [
      {
        FromPort: 0,
        ToPort: 0,
        IpProtocol: "-1",
        ...(range.v4 ? { IpRanges: [{ CidrIp: range.v4 }] } : {}),
        ...(range.v6 ? { Ipv6Ranges: [{ CidrIpv6: range.v6 }] } : {}),
      },
    ];
    await h.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sgId, IpPermissions: allOut({ v4: "0.0.0.0/0" }) }));
    assert.deepEqual((await findSg())!.IpPermissionsEgress, [], "the default egress rule is gone");
    // The ::/0 rule does not exist in a VPC without IPv6: the provider accepts success, InvalidPermission.NotFound
    // or InvalidParameterValue mentioning remote-ipv6-range.
    let v6err: unknown;
    try {
      await h.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: sgId, IpPermissions: allOut({ v6: "::/0" }) }));
    } catch (e) {
      v6err = e;
    }
    if (v6err !== undefined) {
      const e = v6err as EC2ServiceException;
      assert.ok(
        e.name === "InvalidPermission.NotFound" || (e.name === "InvalidParameterValue" && e.message.includes("remote-ipv6-range")),
        `revoking the absent ::/0 egress rule answered ${e.name}: ${e.message}`,
      );
    }

    // resourceSecurityGroupUpdate (called by Create): DescribeSecurityGroups, then authorize the configured rules.
    const https: IpPermission[] = [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }];
    const ssh: IpPermission[] = [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }];
    await findSg();
    await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sgId, IpPermissions: https }));
    await h.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: sgId, IpPermissions: allOut({ v4: "0.0.0.0/0" }) }));

    const read = async () => {
      const sg = await findSg();
      assert.ok(sg);
      assert.equal(sg.GroupName, "tf-sg");
      assert.equal(sg.Description, "Managed by Terraform");
      assert.equal(sg.OwnerId, "000000000000");
      assert.equal(sg.VpcId, vpcId);
      assert.deepEqual(sg.Tags, [{ Key: "Name", Value: "tf-sg" }]);
      assert.deepEqual(
        sg.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.IpRanges?.map((r) => r.CidrIp)]),
        [["-1", ["0.0.0.0/0"]]],
      );
      return sg.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.map((r) => r.CidrIp)]);
    };
    assert.deepEqual(await read(), [["tcp", 443, 443, ["10.0.0.0/8"]]]);

    // Update: ingress 443 → 22. updateSecurityGroupRules revokes the removed rules first, then authorizes the new.
    await findSg();
    await h.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: sgId, IpPermissions: https }));
    await h.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sgId, IpPermissions: ssh }));
    assert.deepEqual(await read(), [["tcp", 22, 22, ["10.0.0.0/8"]]]);

    // Delete: deleteLingeringENIs (DescribeNetworkInterfaces group-id), DeleteSecurityGroup (retried on
    // DependencyViolation / InvalidGroup.InUse), then RetryUntilNotFound on DescribeSecurityGroups GroupIds.
    const enis = await h.ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters({ "group-id": sgId }) }));
    assert.deepEqual(enis.NetworkInterfaces, []);
    await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sgId }));
    assert.equal(await codeOf(h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sgId] }))), "InvalidGroup.NotFound");
    assert.equal(await codeOf(h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sgId }))), "InvalidGroup.NotFound");
  });

  it("aws_network_interface: CreateNetworkInterface → wait available → SourceDestCheck → read → update (description, groups, private_ips_count) → delete", async () => {
    const vpcId = await newVpc(h, "10.4.0.0/16");
    const subnetId = await newSubnet(h, vpcId, "10.4.1.0/24");
    const sg1 = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "a", Description: "a", VpcId: vpcId }))).GroupId!;
    const sg2 = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "b", Description: "b", VpcId: vpcId }))).GroupId!;
    const { NetworkInterface } = await h.ec2.send(
      new CreateNetworkInterfaceCommand({
        ClientToken: "terraform-20250101000000000000000001",
        SubnetId: subnetId,
        Description: "tf eni",
        PrivateIpAddresses: [{ PrivateIpAddress: "10.4.1.10", Primary: true }],
        Groups: [sg1],
        TagSpecifications: tagSpec("network-interface", "tf-eni"),
      }),
    );
    const eniId = NetworkInterface!.NetworkInterfaceId!;
    const findEni = () =>
      find(
        h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] })).then((r) => r.NetworkInterfaces),
        ["InvalidNetworkInterfaceID.NotFound"],
      );
    // waitNetworkInterfaceCreated: pending → available.
    await waitFor("ENI create", async () => (await findEni())?.Status, ["pending"], ["available"]);
    // source_dest_check = false (default true): ModifyNetworkInterfaceAttribute right after create.
    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, SourceDestCheck: { Value: false } }));

    const read = async () => {
      const eni = await findEni();
      assert.ok(eni);
      assert.equal(eni.Attachment, undefined);
      assert.equal(eni.InterfaceType, "interface");
      assert.match(eni.MacAddress ?? "", /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      assert.equal(eni.OwnerId, "000000000000");
      assert.equal(eni.PrivateDnsName, "ip-10-4-1-10.ec2.internal");
      assert.equal(eni.PrivateIpAddress, "10.4.1.10");
      assert.equal(eni.SourceDestCheck, false);
      assert.equal(eni.SubnetId, subnetId);
      assert.deepEqual(eni.Ipv6Addresses ?? [], []);
      assert.deepEqual(eni.TagSet, [{ Key: "Name", Value: "tf-eni" }]);
      return {
        description: eni.Description,
        groups: eni.Groups!.map((g) => g.GroupId),
        privateIps: eni.PrivateIpAddresses!.length,
      };
    };
    assert.deepEqual(await read(), { description: "tf eni", groups: [sg1], privateIps: 1 });

    // Update: private_ips_count 0 → 1 (AssignPrivateIpAddresses count), security_groups, description.
    await h.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 1 }));
    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [sg2] }));
    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Description: { Value: "tf eni 2" } }));
    assert.deepEqual(await read(), { description: "tf eni 2", groups: [sg2], privateIps: 2 });

    // Delete: (no attachment) DeleteNetworkInterface; InvalidNetworkInterfaceID.NotFound means already gone.
    await h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }));
    assert.equal(
      await codeOf(h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))),
      "InvalidNetworkInterfaceID.NotFound",
    );
    assert.equal(
      await codeOf(h.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }))),
      "InvalidNetworkInterfaceID.NotFound",
    );
  });

  it("aws_network_interface_attachment: AttachNetworkInterface → wait attached (attachment.attachment-id) → read → DetachNetworkInterface Force → wait detached", async () => {
    const vpcId = await newVpc(h, "10.5.0.0/16");
    const subnetId = await newSubnet(h, vpcId, "10.5.1.0/24");
    const instanceId = await launch(h, subnetId);
    const eniId = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;

    const { AttachmentId } = await h.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: instanceId, DeviceIndex: 1 }),
    );
    const attachmentId = AttachmentId!;
    // findNetworkInterfaceAttachmentByID: DescribeNetworkInterfaces filter attachment.attachment-id; one ENI, whose
    // Attachment must be present (else EmptyResultError, i.e. NotFound).
    const findByAttachment = () =>
      find(
        h.ec2
          .send(new DescribeNetworkInterfacesCommand({ Filters: filters({ "attachment.attachment-id": attachmentId }) }))
          .then((r) => r.NetworkInterfaces),
        ["InvalidNetworkInterfaceID.NotFound"],
      );
    // waitNetworkInterfaceAttached: attaching → attached.
    await waitFor("attach", async () => (await findByAttachment())?.Attachment?.Status, ["attaching"], ["attached"]);

    // Read: network_interface_id, instance_id, device_index, status.
    const eni = (await findByAttachment())!;
    assert.equal(eni.NetworkInterfaceId, eniId);
    assert.equal(eni.Attachment!.AttachmentId, attachmentId);
    assert.equal(eni.Attachment!.InstanceId, instanceId);
    assert.equal(eni.Attachment!.DeviceIndex, 1);
    assert.equal(eni.Attachment!.Status, "attached");

    // No update (every argument forces replacement). Delete: DetachNetworkInterface Force=true (InvalidAttachmentID
    // .NotFound means already gone), then waitNetworkInterfaceDetached: attached|detaching → detached; NotFound
    // (the filter no longer matching) also ends the wait.
    await h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId, Force: true }));
    await waitFor(
      "detach",
      async () => {
        const e = await findByAttachment();
        return e?.Attachment?.Status;
      },
      ["attached", "detaching"],
      ["detached"],
    ).catch(() => undefined);
    const after = await findByAttachment();
    assert.ok(after === undefined || after.Attachment?.Status === "detached", "detached or no longer matched");
    assert.equal(
      await codeOf(h.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attachmentId, Force: true }))),
      "InvalidAttachmentID.NotFound",
    );
  });

  it("aws_eip: AllocateAddress → wait found → AssociateAddress (ENI) + wait association-id → read (+ DescribeAddressesAttribute domain-name) → update (disassociate) → ReleaseAddress", async () => {
    const vpcId = await newVpc(h, "10.6.0.0/16");
    await newIgw(h, vpcId);
    const subnetId = await newSubnet(h, vpcId, "10.6.1.0/24");
    const eniId = (await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface!.NetworkInterfaceId!;

    const { AllocationId } = await h.ec2.send(
      new AllocateAddressCommand({ Domain: "vpc", TagSpecifications: tagSpec("elastic-ip", "tf-eip") }),
    );
    const allocationId = AllocationId!;
    const findEip = () =>
      find(
        h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] })).then((r) => r.Addresses),
        ["InvalidAllocationID.NotFound"],
      );
    // RetryWhenNotFound(findEIPByAllocationID).
    await waitFor("EIP create", async () => ((await findEip()) ? "found" : undefined), [], ["found"]);

    // network_interface set: associateEIP, then RetryWhen(findEIPByAssociationID) on NotFound.
    const { AssociationId } = await h.ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, NetworkInterfaceId: eniId }));
    const findByAssociation = (id: string) =>
      find(
        h.ec2.send(new DescribeAddressesCommand({ Filters: filters({ "association-id": id }) })).then((r) => r.Addresses),
        ["InvalidAssociationID.NotFound"],
      );
    await waitFor("EIP association", async () => ((await findByAssociation(AssociationId!)) ? "found" : undefined), [], ["found"]);

    const read = async () => {
      const a = await findEip();
      assert.ok(a);
      assert.equal(a.AllocationId, allocationId);
      assert.equal(a.Domain, "vpc");
      assert.equal(a.NetworkBorderGroup, "us-east-1");
      assert.equal(a.PublicIpv4Pool, "amazon");
      assert.match(a.PublicIp ?? "", /^\d+\.\d+\.\d+\.\d+$/);
      assert.deepEqual(a.Tags, [{ Key: "Name", Value: "tf-eip" }]);
      // findEIPDomainNameAttributeByAllocationID: no PTR record set → NotFound (empty answer) → ptr_record null.
      const attr = await h.ec2.send(new DescribeAddressesAttributeCommand({ AllocationIds: [allocationId], Attribute: "domain-name" }));
      assert.equal(attr.Addresses?.[0]?.PtrRecord, undefined);
      return { association: a.AssociationId, eni: a.NetworkInterfaceId, privateIp: a.PrivateIpAddress };
    };
    const eniIp = (await h.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces![0]!
      .PrivateIpAddress;
    assert.deepEqual(await read(), { association: AssociationId, eni: eniId, privateIp: eniIp });

    // Update: network_interface removed → disassociateEIP (InvalidAssociationID.NotFound tolerated).
    await h.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    assert.deepEqual(await read(), { association: undefined, eni: undefined, privateIp: undefined });

    // Delete: ReleaseAddress AllocationId + NetworkBorderGroup; InvalidAllocationID.NotFound means already gone.
    await h.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId, NetworkBorderGroup: "us-east-1" }));
    assert.equal(await codeOf(h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))), "InvalidAllocationID.NotFound");
    assert.equal(
      await codeOf(h.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId, NetworkBorderGroup: "us-east-1" }))),
      "InvalidAllocationID.NotFound",
    );
  });

  it("aws_eip_association: AssociateAddress (instance) → wait association-id → read → DisassociateAddress → InvalidAssociationID.NotFound", async () => {
    const vpcId = await newVpc(h, "10.7.0.0/16");
    await newIgw(h, vpcId);
    const subnetId = await newSubnet(h, vpcId, "10.7.1.0/24");
    const instanceId = await launch(h, subnetId);
    await waitFor(
      "instance running",
      async () =>
        (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!.State!.Name,
      ["pending"],
      ["running"],
    );
    const { AllocationId, PublicIp } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));

    const { AssociationId } = await h.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: instanceId }));
    const associationId = AssociationId!;
    const findByAssociation = () =>
      find(
        h.ec2.send(new DescribeAddressesCommand({ Filters: filters({ "association-id": associationId }) })).then((r) => r.Addresses),
        ["InvalidAssociationID.NotFound"],
      );
    // RetryWhenNotFound(findEIPByAssociationID).
    await waitFor("association", async () => ((await findByAssociation()) ? "found" : undefined), [], ["found"]);

    // Read: allocation_id, instance_id, network_interface_id, private_ip_address, public_ip.
    const a = (await findByAssociation())!;
    const inst = (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
    assert.equal(a.AllocationId, AllocationId);
    assert.equal(a.InstanceId, instanceId);
    assert.equal(a.NetworkInterfaceId, inst.NetworkInterfaces![0]!.NetworkInterfaceId);
    assert.equal(a.PrivateIpAddress, inst.PrivateIpAddress);
    assert.equal(a.PublicIp, PublicIp);

    // No update (ForceNew). Delete: DisassociateAddress; InvalidAssociationID.NotFound means already gone.
    await h.ec2.send(new DisassociateAddressCommand({ AssociationId: associationId }));
    assert.equal(await findByAssociation(), undefined, "the association-id filter no longer matches");
    assert.equal(
      await codeOf(h.ec2.send(new DisassociateAddressCommand({ AssociationId: associationId }))),
      "InvalidAssociationID.NotFound",
    );
  });

  it("aws_instance: (DescribeImages) RunInstances → wait running → read (type, attributes, volumes, credits) → update instance_type (stop/modify/start) → TerminateInstances → wait terminated", async () => {
    const vpcId = await newVpc(h, "10.8.0.0/16");
    const subnetId = await newSubnet(h, vpcId, "10.8.1.0/24");
    const sgId = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "tf", Description: "tf", VpcId: vpcId }))).GroupId!;

    // root_block_device configured: findRootDeviceName → DescribeImages ImageIds.
    const image = (await h.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI] }))).Images!;
    assert.equal(image.length, 1);
    const rootDeviceName = image[0]!.RootDeviceName!;
    assert.equal(image[0]!.RootDeviceType, "ebs");
    assert.ok(
      image[0]!.BlockDeviceMappings!.some((b) => b.DeviceName === rootDeviceName),
      "RootDeviceName appears in the image's BlockDeviceMappings",
    );

    // RunInstances as buildInstanceOpts builds it for ami, instance_type, subnet_id, vpc_security_group_ids,
    // root_block_device { volume_size = 8 }, tags. Always sent: DisableApiTermination, EbsOptimized, Monitoring,
    // Placement with the (empty) availability_zone, CreditSpecification unlimited for t3* types, and
    // HibernationOptions { Configured = false }.
    const run = await h.ec2.send(new RunInstancesCommand(runInstancesInput(rootDeviceName, sgId, subnetId, true)));
    const instanceId = run.Instances![0]!.InstanceId!;
    // statusInstance uses findInstance (DescribeInstances InstanceIds), which keeps terminated instances.
    const findInstance = () =>
      find(
        h.ec2
          .send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))
          .then((r) => (r.Reservations ?? []).flatMap((x) => x.Instances ?? [])),
        ["InvalidInstanceID.NotFound"],
      );
    // waitInstanceCreated: pending → running.
    await waitFor("instance create", async () => (await findInstance())?.State?.Name, ["pending"], ["running"]);
    // resourceInstanceUpdate (called by Create) sends nothing for a new instance with source_dest_check = true.

    const read = async () => {
      const i = await findInstance();
      assert.ok(i);
      // findInstanceTypeByName: DescribeInstanceTypes InstanceTypes.
      const types = (await h.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [i.InstanceType!] }))).InstanceTypes!;
      assert.equal(types.length, 1);
      assert.equal(types[0]!.BurstablePerformanceSupported, true, "t3.micro is burstable");
      assert.equal(i.Placement!.AvailabilityZone, "us-east-1a");
      assert.equal(i.Placement!.Tenancy, "default");
      // cpu_core_count / cpu_threads_per_core / cpu_options come from CpuOptions (the type's defaults).
      assert.deepEqual(i.CpuOptions, { CoreCount: 1, ThreadsPerCore: 2 });
      assert.ok(i.MetadataOptions?.HttpTokens, "metadata_options");
      assert.ok(i.PrivateDnsNameOptions, "private_dns_name_options");
      assert.ok(i.MaintenanceOptions, "maintenance_options");
      assert.equal(i.ImageId, AMI);
      assert.match(i.PrivateIpAddress ?? "", /^10\.8\.1\.\d+$/);
      assert.ok(i.PrivateDnsName);
      const primary = i.NetworkInterfaces!.find((n) => n.Attachment?.DeviceIndex === 0);
      assert.ok(primary, "primary network interface (device index 0)");
      assert.equal(primary.SubnetId, subnetId);
      assert.equal(primary.SourceDestCheck, true);
      assert.equal(i.SourceDestCheck, true);
      assert.equal(i.EbsOptimized, false);
      assert.equal(i.Monitoring?.State, "disabled");
      assert.deepEqual(
        i.SecurityGroups!.map((g) => g.GroupId),
        [sgId],
      );
      assert.deepEqual(i.Tags, [{ Key: "Name", Value: "tf-instance" }]);
      // readSecurityGroups: DescribeVpcs VpcIds (is the VPC the default one?).
      const vpc = (await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [i.VpcId!] }))).Vpcs![0]!;
      assert.equal(vpc.IsDefault, false);
      // readInstanceShutdownBehavior, then disable_api_stop, disable_api_termination, user_data.
      const shutdown = await h.ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: "instanceInitiatedShutdownBehavior" }),
      );
      assert.equal(shutdown.InstanceInitiatedShutdownBehavior?.Value, "stop");
      const stop = await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: "disableApiStop" }));
      assert.equal(stop.DisableApiStop?.Value, false);
      const term = await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: "disableApiTermination" }));
      assert.equal(term.DisableApiTermination?.Value, false);
      await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: "userData" }));
      // readBlockDevices: DescribeVolumes VolumeIds of the EBS mappings; the root one is found by RootDeviceName.
      const ebs = i.BlockDeviceMappings!.filter((b) => b.Ebs?.VolumeId);
      assert.ok(ebs.length >= 1, "the root EBS volume is mapped");
      const vols = (await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ebs.map((b) => b.Ebs!.VolumeId!) }))).Volumes!;
      assert.equal(vols.length, ebs.length);
      const root = ebs.find((b) => b.DeviceName === i.RootDeviceName);
      assert.ok(root, "a mapping named RootDeviceName (root_block_device)");
      assert.equal(root.Ebs!.DeleteOnTermination, true);
      const rootVol = vols.find((v) => v.VolumeId === root.Ebs!.VolumeId)!;
      assert.equal(rootVol.Size, 8, "root_block_device.volume_size");
      assert.ok(rootVol.VolumeType, "root_block_device.volume_type");
      // Burstable type: findInstanceCreditSpecificationByID.
      const credits = (await h.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [instanceId] })))
        .InstanceCreditSpecifications!;
      assert.equal(credits.length, 1);
      assert.equal(credits[0]!.CpuCredits, "unlimited");
      return { type: i.InstanceType, state: i.State!.Name };
    };
    assert.deepEqual(await read(), { type: "t3.micro", state: "running" });

    // Update: instance_type → t3.small: modifyInstanceAttributeWithStopStart.
    await h.ec2.send(new StopInstancesCommand({ Force: false, InstanceIds: [instanceId] }));
    await waitFor(
      "stop",
      async () => (await findInstance())?.State?.Name,
      ["pending", "running", "shutting-down", "stopping"],
      ["stopped"],
    );
    await h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, InstanceType: { Value: "t3.small" } }));
    await h.ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor("start", async () => (await findInstance())?.State?.Name, ["pending", "stopped"], ["running"]);
    assert.deepEqual(await read(), { type: "t3.small", state: "running" });

    // Delete: TerminateInstances (InvalidInstanceID.NotFound means gone), then waitInstanceDeleted → terminated.
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor(
      "terminate",
      async () => (await findInstance())?.State?.Name,
      ["pending", "running", "shutting-down", "stopped", "stopping"],
      ["terminated"],
    );
  });

  // The provider sends HibernationOptions on every create (buildInstanceOpts sets it whenever `hibernation` is unset
  // or false); AWS accepts Configured=false for any type. Configured=true (hibernation) is not emulated.
  it("aws_instance: RunInstances with the provider's HibernationOptions { Configured: false }; true is a clear UnsupportedOperation", async () => {
    const vpcId = await newVpc(h, "10.10.0.0/16");
    const subnetId = await newSubnet(h, vpcId, "10.10.1.0/24");
    const sgId = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "tf", Description: "tf", VpcId: vpcId }))).GroupId!;
    const root = (await h.ec2.send(new DescribeImagesCommand({ ImageIds: [AMI] }))).Images![0]!.RootDeviceName!;
    const run = await h.ec2.send(new RunInstancesCommand(runInstancesInput(root, sgId, subnetId, true)));
    assert.equal(run.Instances![0]!.HibernationOptions?.Configured, false);
    const input = runInstancesInput(root, sgId, subnetId, true);
    await assert.rejects(
      h.ec2.send(new RunInstancesCommand({ ...input, ClientToken: "tf-hibernate", HibernationOptions: { Configured: true } })),
      (e: Error) =>
        e.name === "UnsupportedOperation" &&
        e.message === "The value true of parameter HibernationOptions.Configured is not supported by localvpc for RunInstances yet.",
    );
  });

  // AWS always describes CpuOptions { CoreCount, ThreadsPerCore } (t3.micro: 1 core, 2 threads per core); the provider
  // sets cpu_core_count, cpu_threads_per_core and cpu_options from it.
  it("aws_instance read: CpuOptions (cpu_core_count, cpu_threads_per_core)", async () => {
    const vpcId = await newVpc(h, "10.11.0.0/16");
    const subnetId = await newSubnet(h, vpcId, "10.11.1.0/24");
    const id = await launch(h, subnetId);
    const i = (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(i.CpuOptions, { CoreCount: 1, ThreadsPerCore: 2 });
  });

  it("aws_nat_gateway: CreateNatGateway → wait available → read (primary address) → tags → DeleteNatGateway → wait deleted", async () => {
    const vpcId = await newVpc(h, "10.9.0.0/16");
    await newIgw(h, vpcId);
    const subnetId = await newSubnet(h, vpcId, "10.9.1.0/24");
    const { AllocationId, PublicIp } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));

    const { NatGateway } = await h.ec2.send(
      new CreateNatGatewayCommand({
        AllocationId,
        ClientToken: "terraform-20250101000000000000000003",
        ConnectivityType: "public",
        SubnetId: subnetId,
        TagSpecifications: tagSpec("natgateway", "tf-nat"),
      }),
    );
    const natId = NatGateway!.NatGatewayId!;
    // findNATGatewayByID: DescribeNatGateways NatGatewayIds; NatGatewayNotFound or State "deleted" is NotFound.
    const findNat = async () => {
      const n = await find(
        h.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] })).then((r) => r.NatGateways),
        ["NatGatewayNotFound"],
      );
      return n?.State === "deleted" ? undefined : n;
    };
    // waitNATGatewayCreated: pending → available.
    await waitFor("NAT create", async () => (await findNat())?.State, ["pending"], ["available"]);

    const read = async () => {
      const n = await findNat();
      assert.ok(n);
      assert.equal(n.ConnectivityType, "public");
      assert.equal(n.SubnetId, subnetId);
      assert.equal(n.VpcId, vpcId);
      const primary = n.NatGatewayAddresses!.filter((a) => a.IsPrimary);
      assert.equal(primary.length, 1, "one primary address (allocation_id, association_id, network_interface_id, private_ip, public_ip)");
      assert.equal(primary[0]!.AllocationId, AllocationId);
      assert.match(primary[0]!.AssociationId ?? "", /^eipassoc-/);
      assert.match(primary[0]!.NetworkInterfaceId ?? "", /^eni-/);
      assert.match(primary[0]!.PrivateIp ?? "", /^10\.9\.1\.\d+$/);
      assert.equal(primary[0]!.PublicIp, PublicIp);
      return n.Tags;
    };
    assert.deepEqual(await read(), [{ Key: "Name", Value: "tf-nat" }]);

    // Update: tags only (updateTags).
    await h.ec2.send(new CreateTagsCommand({ Resources: [natId], Tags: [{ Key: "env", Value: "b" }] }));
    await h.ec2.send(new DeleteTagsCommand({ Resources: [natId], Tags: [{ Key: "Name" }] }));
    assert.deepEqual(await read(), [{ Key: "env", Value: "b" }]);

    // Delete: DeleteNatGateway (NatGatewayNotFound means gone), waitNATGatewayDeleted: deleting → NotFound.
    await h.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: natId }));
    await waitFor("NAT delete", async () => (await findNat())?.State, ["deleting"], []);
    const gone = (await h.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natId] }))).NatGateways!;
    assert.deepEqual(
      gone.map((g) => g.State),
      ["deleted"],
    );
    // Not replayed: secondary addresses (AssociateNatGatewayAddress, AssignPrivateNatGatewayAddress and their
    // inverses, DescribeNatGateways address waiters): UnsupportedOperation in localvpc.
  });
});
