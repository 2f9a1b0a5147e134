/**
 * Elastic IPs end to end (spec §2 group C, §4.3, §4.4, §4.14): allocation and its quota, association by instance and
 * by ENI with every rule (reassociation, one EIP per private IP, multi-ENI instances, internet gateway), the Amazon
 * public IP an instance loses and gets back, release, DescribeAddresses filters, the instance lifecycle, and the
 * reverse-DNS attribute actions. Every rule is checked for code, exact message and unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesAttributeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DisassociateAddressCommand,
  ModifyAddressAttributeCommand,
  ReleaseAddressCommand,
  ResetAddressAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Address,
  type Instance,
  type RunInstancesCommandInput,
  type Tag,
} from "@aws-sdk/client-ec2";
import { isAmazonPublicIpv4 } from "../../src/domain/addressing.js";
import { ec2PublicIpv4Blocks, ec2PublicIpv4Pool } from "../../src/catalog/ec2-public-ipv4.js";
import { err } from "../../src/domain/errors.js";
import { expectError, expectErrorNoChange, startHarness, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("elastic IP addresses", () => {
  const h = useHarness();

  const allocate = async (tags: Tag[] = []): Promise<{ ip: string; id: string }> => {
    const r = await h.ec2.send(
      new AllocateAddressCommand({
        Domain: "vpc",
        TagSpecifications: tags.length ? [{ ResourceType: "elastic-ip", Tags: tags }] : undefined,
      }),
    );
    return { ip: r.PublicIp!, id: r.AllocationId! };
  };
  const address = async (id: string): Promise<Address> =>
    (await h.ec2.send(new DescribeAddressesCommand({ AllocationIds: [id] }))).Addresses![0]!;
  const run = async (extra: Partial<RunInstancesCommandInput> = {}): Promise<Instance> =>
    (await h.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...extra })))
      .Instances![0]!;
  const instance = async (id: string): Promise<Instance> =>
    (await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
  const associate = async (
    allocationId: string,
    target: { InstanceId?: string; NetworkInterfaceId?: string; PrivateIpAddress?: string; AllowReassociation?: boolean },
  ): Promise<string> => (await h.ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, ...target }))).AssociationId!;
  /** A new VPC with one us-east-1a subnet, with or without an attached internet gateway. */
  const network = async (cidr: string, igw: boolean): Promise<{ vpcId: string; subnetId: string }> => {
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
    const { Subnet } = await h.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: cidr.replace("0.0/16", "1.0/24"), AvailabilityZone: "us-east-1a" }),
    );
    if (igw) {
      const { InternetGateway } = await h.ec2.send(new CreateInternetGatewayCommand({}));
      await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: InternetGateway!.InternetGatewayId!, VpcId: Vpc!.VpcId! }));
    }
    return { vpcId: Vpc!.VpcId!, subnetId: Subnet!.SubnetId! };
  };

  describe("AllocateAddress", () => {
    it("allocates an Amazon-pool VPC address with tags", async () => {
      const r = await h.ec2.send(
        new AllocateAddressCommand({
          Domain: "vpc",
          TagSpecifications: [{ ResourceType: "elastic-ip", Tags: [{ Key: "Name", Value: "web" }] }],
        }),
      );
      assert.match(r.AllocationId!, /^eipalloc-[0-9a-f]{17}$/);
      assert.ok(isAmazonPublicIpv4(r.PublicIp!), r.PublicIp!);
      assert.equal(r.Domain, "vpc");
      assert.equal(r.PublicIpv4Pool, "amazon");
      assert.equal(r.NetworkBorderGroup, "us-east-1");
      const a = await address(r.AllocationId!);
      assert.deepEqual(
        { ip: a.PublicIp, domain: a.Domain, pool: a.PublicIpv4Pool, nbg: a.NetworkBorderGroup, tags: a.Tags, assoc: a.AssociationId },
        { ip: r.PublicIp, domain: "vpc", pool: "amazon", nbg: "us-east-1", tags: [{ Key: "Name", Value: "web" }], assoc: undefined },
      );
    });

    it("takes addresses from the Region's own EC2 ranges (eu-west-1 and us-east-1), for EIPs and auto-assigned IPs", async () => {
      const inRegion = (ip: string, region: string): boolean => isAmazonPublicIpv4(ip, ec2PublicIpv4Pool(region));
      // The data's eu-west-1 blocks are not us-east-1's: an address of one is never in the other.
      assert.ok(ec2PublicIpv4Blocks("eu-west-1").includes("52.208.0.0/13"));
      for (const region of ["eu-west-1", "us-east-1"]) {
        const other = region === "eu-west-1" ? "us-east-1" : "eu-west-1";
        const ec2 = h.client("123456789012", region);
        for (let n = 0; n < 4; n++) {
          const r = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
          assert.ok(inRegion(r.PublicIp!, region), `${r.PublicIp} in ${region}'s EC2 ranges`);
          assert.ok(!inRegion(r.PublicIp!, other), `${r.PublicIp} not in ${other}'s`);
          assert.equal(r.NetworkBorderGroup, region);
        }
        const launched = await ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: "t3.micro" }));
        const ip = launched.Instances?.[0]?.PublicIpAddress ?? "";
        assert.ok(inRegion(ip, region), `auto-assigned ${ip} in ${region}'s EC2 ranges`);
        ec2.destroy();
      }
    });

    it("gives distinct addresses; Domain=standard also answers a VPC address (EC2-Classic is retired)", async () => {
      const a = await allocate();
      const b = await h.ec2.send(new AllocateAddressCommand({ Domain: "standard" }));
      assert.equal(b.Domain, "vpc");
      assert.notEqual(a.ip, b.PublicIp);
    });

    it("allows 5 Amazon-pool addresses, then AddressLimitExceeded", async () => {
      for (let i = 0; i < 5; i++) await allocate();
      await expectErrorNoChange(h, () => allocate(), "AddressLimitExceeded", err.addressLimitExceeded().message);
    });

    it("DryRun allocates nothing", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ Domain: "vpc", DryRun: true })),
        "DryRunOperation",
        err.dryRun().message,
        412,
      );
      assert.deepEqual((await h.ec2.send(new DescribeAddressesCommand({}))).Addresses, []);
    });

    it("refuses another network border group and an unknown BYOIP pool", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ NetworkBorderGroup: "us-west-2" })),
        "InvalidParameterValue",
        err.invalidNetworkBorderGroup("us-west-2").message,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ PublicIpv4Pool: "ipv4pool-ec2-00000000000000001" })),
        // BYOIP pools are implemented (test/e2e/byoip.test.ts); an unknown one is not found.
        "InvalidPublicIpv4PoolID.NotFound",
        err.publicIpv4PoolNotFound("ipv4pool-ec2-00000000000000001").message,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AllocateAddressCommand({ TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "a", Value: "b" }] }] })),
        "InvalidParameterValue",
        err.invalidTaggableResourceType("vpc").message,
      );
    });
  });

  it("a raised quota (startHarness quotas.elasticIpsPerRegion=7) allows 7", async () => {
    const h7 = await startHarness({ quotas: { elasticIpsPerRegion: 7 } });
    try {
      for (let i = 0; i < 7; i++) await h7.ec2.send(new AllocateAddressCommand({}));
      await expectErrorNoChange(
        h7,
        () => h7.ec2.send(new AllocateAddressCommand({})),
        "AddressLimitExceeded",
        err.addressLimitExceeded().message,
      );
    } finally {
      await h7.close();
    }
  });

  describe("AssociateAddress / DisassociateAddress", () => {
    it("by InstanceId replaces the instance's public IP; disassociating gives a NEW Amazon public IP back", async () => {
      const i = await run();
      const before = await instance(i.InstanceId!);
      const amazonIp = before.PublicIpAddress!;
      assert.ok(isAmazonPublicIpv4(amazonIp));
      const eip = await allocate();
      const assoc = await associate(eip.id, { InstanceId: i.InstanceId! });
      assert.match(assoc, /^eipassoc-[0-9a-f]{17}$/);

      const withEip = await instance(i.InstanceId!);
      assert.equal(withEip.PublicIpAddress, eip.ip);
      const nic = withEip.NetworkInterfaces![0]!;
      assert.equal(nic.Association?.PublicIp, eip.ip);
      assert.equal(nic.Association.IpOwnerId, "000000000000");
      const a = await address(eip.id);
      assert.deepEqual(
        [a.AssociationId, a.InstanceId, a.NetworkInterfaceId, a.NetworkInterfaceOwnerId, a.PrivateIpAddress],
        [assoc, i.InstanceId, nic.NetworkInterfaceId, "000000000000", before.PrivateIpAddress],
      );

      await h.ec2.send(new DisassociateAddressCommand({ AssociationId: assoc }));
      const after = await instance(i.InstanceId!);
      assert.ok(after.PublicIpAddress && isAmazonPublicIpv4(after.PublicIpAddress));
      assert.notEqual(after.PublicIpAddress, eip.ip);
      assert.notEqual(after.PublicIpAddress, amazonIp, "a new public IP, never the old one");
      assert.equal(after.NetworkInterfaces![0]!.Association?.IpOwnerId, "amazon");
      const gone = await address(eip.id);
      assert.equal(gone.AssociationId, undefined);
      assert.equal(gone.InstanceId, undefined);
      assert.equal(gone.NetworkInterfaceId, undefined);

      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateAddressCommand({ AssociationId: assoc })),
        "InvalidAssociationID.NotFound",
        err.associationNotFound(assoc).message,
      );
    });

    it("reassociation is automatic: the EIP moves and the old instance gets an Amazon public IP back", async () => {
      const [a, b] = [await run(), await run()];
      const eip = await allocate();
      await associate(eip.id, { InstanceId: a.InstanceId! });
      const second = await associate(eip.id, { InstanceId: b.InstanceId! });
      assert.equal((await instance(b.InstanceId!)).PublicIpAddress, eip.ip);
      const left = (await instance(a.InstanceId!)).PublicIpAddress!;
      assert.ok(isAmazonPublicIpv4(left) && left !== eip.ip);
      assert.equal((await address(eip.id)).AssociationId, second);
      assert.equal((await address(eip.id)).InstanceId, b.InstanceId);
    });

    it("the same target again is idempotent and keeps the association id", async () => {
      const i = await run();
      const eip = await allocate();
      const first = await associate(eip.id, { InstanceId: i.InstanceId! });
      assert.equal(await associate(eip.id, { InstanceId: i.InstanceId!, AllowReassociation: false }), first);
    });

    it("AllowReassociation=false on an EIP associated elsewhere → Resource.AlreadyAssociated", async () => {
      const [a, b] = [await run(), await run()];
      const eip = await allocate();
      const assoc = await associate(eip.id, { InstanceId: a.InstanceId! });
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { InstanceId: b.InstanceId!, AllowReassociation: false }),
        "Resource.AlreadyAssociated",
        `resource ${eip.id} is already associated with associate-id ${assoc}`,
      );
    });

    it("one EIP per private IP: AllowReassociation=false refuses, the default displaces the other EIP", async () => {
      const i = await run();
      const [first, second] = [await allocate(), await allocate()];
      await associate(first.id, { InstanceId: i.InstanceId! });
      const d = await instance(i.InstanceId!);
      const eniId = d.NetworkInterfaces![0]!.NetworkInterfaceId!;
      await expectErrorNoChange(
        h,
        () => associate(second.id, { NetworkInterfaceId: eniId, AllowReassociation: false }),
        "Resource.AlreadyAssociated",
        `resource ${eniId} and ${d.PrivateIpAddress} is already associated with public address ${first.ip}`,
      );
      await associate(second.id, { NetworkInterfaceId: eniId });
      assert.equal((await instance(i.InstanceId!)).PublicIpAddress, second.ip);
      assert.equal((await address(first.id)).AssociationId, undefined, "displaced, still allocated");
    });

    it("by InstanceId on a multi-ENI instance → InvalidInstanceID; by NetworkInterfaceId works and shows the instance", async () => {
      const n = await network("10.61.0.0/16", true);
      const i = await run({
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: n.subnetId },
          { DeviceIndex: 1, SubnetId: n.subnetId },
        ],
      });
      const eip = await allocate();
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { InstanceId: i.InstanceId! }),
        "InvalidInstanceID",
        err.multipleInterfaces(i.InstanceId!).message,
      );
      const second = (await instance(i.InstanceId!)).NetworkInterfaces!.find((x) => x.Attachment?.DeviceIndex === 1)!;
      await associate(eip.id, { NetworkInterfaceId: second.NetworkInterfaceId! });
      const a = await address(eip.id);
      assert.equal(a.InstanceId, i.InstanceId);
      assert.equal(a.PrivateIpAddress, second.PrivateIpAddress);
    });

    it("a VPC without an internet gateway → Gateway.NotAttached", async () => {
      const n = await network("10.62.0.0/16", false);
      const i = await run({ SubnetId: n.subnetId });
      const eip = await allocate();
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { InstanceId: i.InstanceId! }),
        "Gateway.NotAttached",
        `Network ${n.vpcId} is not attached to any internet gateway`,
      );
    });

    it("checks the private IP, the target and the address's form", async () => {
      const i = await run();
      const eniId = (await instance(i.InstanceId!)).NetworkInterfaces![0]!.NetworkInterfaceId!;
      const eip = await allocate();
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { NetworkInterfaceId: eniId, PrivateIpAddress: "10.99.0.5" }),
        "InvalidParameterValue",
        err.privateIpNotOnInterface("10.99.0.5", eniId).message,
      );
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { InstanceId: i.InstanceId!, NetworkInterfaceId: eniId }),
        "InvalidParameterCombination",
        err.parametersTogether("instanceId", "networkInterfaceId").message,
      );
      await expectErrorNoChange(
        h,
        () => associate(eip.id, {}),
        "MissingParameter",
        err.oneOfRequired(["instanceId", "networkInterfaceId"]).message,
      );
      await expectErrorNoChange(
        h,
        () => associate("eipalloc-00000000000000009", { InstanceId: i.InstanceId! }),
        "InvalidAllocationID.NotFound",
        err.allocationNotFound("eipalloc-00000000000000009").message,
      );
      await expectErrorNoChange(
        h,
        () => associate("eipalloc-x", { InstanceId: i.InstanceId! }),
        "InvalidAllocationID.Malformed",
        'Invalid id: "eipalloc-x" (expecting "eipalloc-...")',
      );
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { InstanceId: "i-00000000000000009" }),
        "InvalidInstanceID.NotFound",
        err.instanceNotFound(["i-00000000000000009"]).message,
      );
    });

    it("PublicIp: one you do not own → AuthFailure (403); your VPC address needs its AllocationId", async () => {
      const i = await run();
      const eip = await allocate();
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateAddressCommand({ PublicIp: "3.80.9.9", InstanceId: i.InstanceId! })),
        "AuthFailure",
        "The address '3.80.9.9' does not belong to you.",
        403,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new AssociateAddressCommand({ PublicIp: eip.ip, InstanceId: i.InstanceId! })),
        "InvalidParameterCombination",
        err.allocationIdRequired("a VPC instance").message,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DisassociateAddressCommand({ PublicIp: "3.80.9.9" })),
        "AuthFailure",
        "The address '3.80.9.9' does not belong to you.",
        403,
      );
    });

    it("DisassociateAddress by PublicIp works and is idempotent", async () => {
      const i = await run();
      const eip = await allocate();
      await associate(eip.id, { InstanceId: i.InstanceId! });
      await h.ec2.send(new DisassociateAddressCommand({ PublicIp: eip.ip }));
      await h.ec2.send(new DisassociateAddressCommand({ PublicIp: eip.ip }));
      assert.equal((await address(eip.id)).AssociationId, undefined);
    });
  });

  describe("ReleaseAddress", () => {
    it("releases a disassociated address; releasing again or an unknown one → InvalidAllocationID.NotFound", async () => {
      const eip = await allocate();
      await h.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.id }));
      assert.deepEqual((await h.ec2.send(new DescribeAddressesCommand({}))).Addresses, []);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.id })),
        "InvalidAllocationID.NotFound",
        `The allocation ID '${eip.id}' does not exist`,
      );
    });

    it("while associated in a non-default VPC → InvalidIPAddress.InUse", async () => {
      const n = await network("10.63.0.0/16", true);
      const i = await run({ SubnetId: n.subnetId });
      const eip = await allocate();
      await associate(eip.id, { InstanceId: i.InstanceId! });
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.id })),
        "InvalidIPAddress.InUse",
        err.addressAlreadyInUse().message,
      );
    });

    it("in the default VPC release disassociates first (model doc) and the instance gets a public IP back", async () => {
      const i = await run();
      const eip = await allocate();
      await associate(eip.id, { InstanceId: i.InstanceId! });
      await h.ec2.send(new ReleaseAddressCommand({ PublicIp: eip.ip }));
      const after = await instance(i.InstanceId!);
      assert.ok(after.PublicIpAddress && isAmazonPublicIpv4(after.PublicIpAddress) && after.PublicIpAddress !== eip.ip);
    });

    it("a wrong NetworkBorderGroup → InvalidAddress.NotFound; a PublicIp not owned → AuthFailure", async () => {
      const eip = await allocate();
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ReleaseAddressCommand({ AllocationId: eip.id, NetworkBorderGroup: "us-west-2" })),
        "InvalidAddress.NotFound",
        `Address '${eip.ip}' not found.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ReleaseAddressCommand({ PublicIp: "3.80.9.9" })),
        "AuthFailure",
        "The address '3.80.9.9' does not belong to you.",
        403,
      );
    });
  });

  describe("DescribeAddresses", () => {
    it("unknown public IP → InvalidAddress.NotFound; unknown allocation → InvalidAllocationID.NotFound", async () => {
      await allocate();
      await expectError(
        h.ec2.send(new DescribeAddressesCommand({ PublicIps: ["3.80.9.9"] })),
        "InvalidAddress.NotFound",
        "Address '3.80.9.9' not found.",
      );
      await expectError(
        h.ec2.send(new DescribeAddressesCommand({ AllocationIds: ["eipalloc-00000000000000009"] })),
        "InvalidAllocationID.NotFound",
        "The allocation ID 'eipalloc-00000000000000009' does not exist",
      );
    });

    it("by public IP, and every filter", async () => {
      const i = await run();
      const d = await instance(i.InstanceId!);
      const eniId = d.NetworkInterfaces![0]!.NetworkInterfaceId!;
      const tagged = await allocate([{ Key: "Name", Value: "eip-a" }]);
      const other = await allocate();
      const assoc = await associate(tagged.id, { InstanceId: i.InstanceId! });
      assert.deepEqual(
        (await h.ec2.send(new DescribeAddressesCommand({ PublicIps: [other.ip] }))).Addresses!.map((a) => a.AllocationId),
        [other.id],
      );
      const ids = async (Name: string, Values: string[]): Promise<string[]> =>
        (await h.ec2.send(new DescribeAddressesCommand({ Filters: [{ Name, Values }] }))).Addresses!.map((a) => a.AllocationId!).sort();
      const both = [tagged.id, other.id].sort();
      assert.deepEqual(await ids("allocation-id", [tagged.id]), [tagged.id]);
      assert.deepEqual(await ids("association-id", [assoc]), [tagged.id]);
      assert.deepEqual(await ids("instance-id", [i.InstanceId!]), [tagged.id]);
      assert.deepEqual(await ids("network-interface-id", [eniId]), [tagged.id]);
      assert.deepEqual(await ids("network-interface-owner-id", ["000000000000"]), [tagged.id]);
      assert.deepEqual(await ids("private-ip-address", [d.PrivateIpAddress!]), [tagged.id]);
      assert.deepEqual(await ids("public-ip", [other.ip]), [other.id]);
      assert.deepEqual(
        await ids("public-ip", [`${other.ip.split(".")[0]}.*`]),
        [other.id, ...(tagged.ip.startsWith(`${other.ip.split(".")[0]}.`) ? [tagged.id] : [])].sort(),
      );
      assert.deepEqual(await ids("domain", ["vpc"]), both);
      assert.deepEqual(await ids("network-border-group", ["us-east-1"]), both);
      assert.deepEqual(await ids("tag:Name", ["eip-a"]), [tagged.id]);
      assert.deepEqual(await ids("tag-key", ["Name"]), [tagged.id]);
      assert.deepEqual(await ids("instance-id", ["i-00000000000000009"]), []);
    });
  });

  describe("instance lifecycle (spec §4.14)", () => {
    it("stop/start keeps the EIP and the started instance gets no Amazon public IP", async () => {
      const i = await run();
      const eip = await allocate();
      const assoc = await associate(eip.id, { InstanceId: i.InstanceId! });
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [i.InstanceId!] }));
      assert.equal((await address(eip.id)).AssociationId, assoc);
      assert.equal((await instance(i.InstanceId!)).PublicIpAddress, eip.ip);
      await h.ec2.send(new StartInstancesCommand({ InstanceIds: [i.InstanceId!] }));
      const started = await instance(i.InstanceId!);
      assert.equal(started.PublicIpAddress, eip.ip);
      const ips = started.NetworkInterfaces![0]!.PrivateIpAddresses!.map((p) => p.Association?.PublicIp).filter(Boolean);
      assert.deepEqual(ips, [eip.ip]);
      assert.equal((await address(eip.id)).AssociationId, assoc);
    });

    it("terminate disassociates the EIP, which stays allocated", async () => {
      const i = await run();
      const eip = await allocate();
      await associate(eip.id, { InstanceId: i.InstanceId! });
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
      const a = await address(eip.id);
      assert.equal(a.PublicIp, eip.ip);
      assert.deepEqual([a.AssociationId, a.InstanceId, a.NetworkInterfaceId], [undefined, undefined, undefined]);
      await expectErrorNoChange(
        h,
        () => associate(eip.id, { InstanceId: i.InstanceId! }),
        "InvalidInstanceID",
        err.instanceStateForAddress(i.InstanceId!, "terminated").message,
      );
    });
  });

  describe("reverse DNS: Describe/Modify/ResetAddressAttribute", () => {
    it("shows no PTR until one is set; Modify answers PENDING and Describe then shows it; Reset removes it", async () => {
      const eip = await allocate();
      const describeAttr = async (ids?: string[]) =>
        (await h.ec2.send(new DescribeAddressesAttributeCommand({ AllocationIds: ids, Attribute: "domain-name" }))).Addresses!;
      assert.deepEqual(await describeAttr([eip.id]), [{ PublicIp: eip.ip, AllocationId: eip.id }]);
      assert.deepEqual(await describeAttr(), []);

      const m = await h.ec2.send(new ModifyAddressAttributeCommand({ AllocationId: eip.id, DomainName: "mail.example.com" }));
      assert.deepEqual(m.Address, {
        PublicIp: eip.ip,
        AllocationId: eip.id,
        PtrRecordUpdate: { Value: "mail.example.com.", Status: "PENDING" },
      });
      assert.deepEqual(await describeAttr([eip.id]), [{ PublicIp: eip.ip, AllocationId: eip.id, PtrRecord: "mail.example.com." }]);
      assert.deepEqual(
        (await describeAttr()).map((a) => a.AllocationId),
        [eip.id],
      );

      const r = await h.ec2.send(new ResetAddressAttributeCommand({ AllocationId: eip.id, Attribute: "domain-name" }));
      assert.equal(r.Address?.PtrRecord, "mail.example.com.");
      assert.equal(r.Address.PtrRecordUpdate?.Status, "PENDING");
      assert.deepEqual(await describeAttr([eip.id]), [{ PublicIp: eip.ip, AllocationId: eip.id }]);
    });

    it("refuses an invalid domain name and unknown allocations", async () => {
      const eip = await allocate();
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyAddressAttributeCommand({ AllocationId: eip.id, DomainName: "not a host" })),
        "InvalidParameterValue",
        err.invalidDomainName("not a host").message,
      );
      await expectError(
        h.ec2.send(new DescribeAddressesAttributeCommand({ AllocationIds: ["eipalloc-00000000000000009"], Attribute: "domain-name" })),
        "InvalidAllocationID.NotFound",
        err.allocationNotFound("eipalloc-00000000000000009").message,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ResetAddressAttributeCommand({ AllocationId: "eipalloc-00000000000000009", Attribute: "domain-name" })),
        "InvalidAllocationID.NotFound",
        err.allocationNotFound("eipalloc-00000000000000009").message,
      );
    });
  });
});
