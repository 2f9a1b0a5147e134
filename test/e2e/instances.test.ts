/**
 * Instances end to end: RunInstances (primary ENI records, addresses, public IPs, every §2.A.1 network rule),
 * the state machine (codes 0/16/32/48/64/80), Start/Stop/Terminate effects on ENIs and public IPs (§4.14),
 * DescribeInstances filters and pagination, ClientToken, DryRun, instance attributes, status, credit
 * specifications and root volumes. Every rule is checked for code, exact message and unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatCidr, parseCidr, subBlock } from "../../src/domain/cidr.js";
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
  type RunInstancesCommandInput,
  type Subnet,
} from "@aws-sdk/client-ec2";
import { isAmazonPublicIpv4 } from "../../src/domain/addressing.js";
import { err } from "../../src/domain/errors.js";
import { expectError, expectErrorNoChange, useHarness, type StateDump, createNetwork } from "./harness.js";

const AL2023_X86 = "ami-0a1b2c3d4e5f60001";
const AL2023_ARM = "ami-0a1b2c3d4e5f60002";

describe("instances", () => {
  const h = useHarness();

  const state = (): Promise<StateDump> => h.state();
  const run = async (extra: Partial<RunInstancesCommandInput> = {}): Promise<Instance[]> => {
    const r = await h.ec2.send(
      new RunInstancesCommand({ ImageId: AL2023_X86, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...extra }),
    );
    return r.Instances!;
  };
  const describeOne = async (id: string): Promise<Instance> => {
    const { Reservations } = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return Reservations![0]!.Instances![0]!;
  };
  const subnetOf = async (id: string): Promise<Subnet> => (await h.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [id] }))).Subnets![0]!;
  const defaultSubnetA = async (): Promise<Subnet> =>
    (
      await h.ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: "default-for-az", Values: ["true"] },
            { Name: "availability-zone", Values: ["us-east-1a"] },
          ],
        }),
      )
    ).Subnets![0]!;
  /** A new VPC with one subnet in us-east-1a (MapPublicIpOnLaunch false) and its default SG. */
  const network = (cidr = "10.20.0.0/16", subnetCidr = "10.20.1.0/24"): ReturnType<typeof createNetwork> =>
    createNetwork(h, cidr, subnetCidr);

  describe("RunInstances in the default subnet", () => {
    it("answers pending, then describes running with a primary ENI record, a public IP and DNS names", async () => {
      const before = await defaultSubnetA();
      const [launched] = await run({ MinCount: 2, MaxCount: 2 });
      assert.equal(launched!.State?.Code, 0);
      assert.equal(launched!.State.Name, "pending");
      assert.equal(launched!.SubnetId, before.SubnetId, "default subnet of the first AZ");
      const after = await subnetOf(before.SubnetId!);
      assert.equal(after.AvailableIpAddressCount, before.AvailableIpAddressCount! - 2, "one address per instance");

      const i = await describeOne(launched!.InstanceId!);
      assert.equal(i.State?.Code, 16);
      assert.equal(i.State.Name, "running");
      assert.equal(i.Placement?.AvailabilityZone, "us-east-1a");
      assert.equal(i.VpcId, before.VpcId);
      assert.equal(i.InstanceType, "t3.micro");
      assert.equal(i.Architecture, "x86_64");
      assert.equal(i.RootDeviceName, "/dev/xvda");
      assert.equal(i.SourceDestCheck, true);
      assert.match(i.PrivateIpAddress!, /^172\.31\.\d+\.\d+$/);
      assert.equal(i.PrivateDnsName, `ip-${i.PrivateIpAddress!.replace(/\./g, "-")}.ec2.internal`);
      assert.ok(i.PublicIpAddress && isAmazonPublicIpv4(i.PublicIpAddress), `public IP ${i.PublicIpAddress} from an Amazon range`);
      assert.equal(i.PublicDnsName, `ec2-${i.PublicIpAddress.replace(/\./g, "-")}.compute-1.amazonaws.com`);
      assert.equal(i.SecurityGroups?.[0]?.GroupName, "default");
      assert.equal(i.BlockDeviceMappings?.[0]?.DeviceName, "/dev/xvda");
      assert.match(i.BlockDeviceMappings[0].Ebs?.VolumeId ?? "", /^vol-[0-9a-f]{17}$/);

      assert.equal(i.NetworkInterfaces?.length, 1);
      const eni = i.NetworkInterfaces[0]!;
      assert.equal(eni.Attachment?.DeviceIndex, 0);
      assert.equal(eni.Attachment.NetworkCardIndex, 0);
      assert.equal(eni.Association?.IpOwnerId, "amazon");
      assert.equal(eni.Association.PublicIp, i.PublicIpAddress);

      const dump = await state();
      const rec = dump.resources.find((r) => r.id === eni.NetworkInterfaceId);
      assert.ok(rec, "the primary ENI is a stored record");
      assert.equal(rec.kind, "network-interface");
      assert.equal(rec["description"], "Primary network interface");
      assert.equal(rec["status"], "in-use");
      assert.equal(rec["sourceDestCheck"], true);
      assert.equal(rec["instanceId"], i.InstanceId);
      assert.match(String(rec["macAddress"]), /^02(:[0-9a-f]{2}){5}$/);
      assert.deepEqual(rec["groupIds"], [i.SecurityGroups[0].GroupId]);
      const att = rec["attachment"] as Record<string, unknown>;
      assert.match(String(att["attachmentId"]), /^eni-attach-[0-9a-f]{17}$/);
      assert.equal(att["deviceIndex"], 0);
      assert.equal(att["networkCardIndex"], 0);
      assert.equal(att["status"], "attached");
      assert.equal(att["deleteOnTermination"], true);
      assert.deepEqual(rec["publicIps"], [{ privateIp: i.PrivateIpAddress, publicIp: i.PublicIpAddress, ipOwnerId: "amazon" }]);
      assert.ok(dump.ipUsage.some((u) => u.owner_id === rec.id && u.address === i.PrivateIpAddress && u.family === 4));
    });

    it("defaults to m1.small and the VPC default security group; tags instance, ENI and volume", async () => {
      await h.ec2.send(new CreateKeyPairCommand({ KeyName: "my-key" })); // KeyName must exist (test/e2e/key-pairs.test.ts)
      const r = await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AL2023_X86,
          MinCount: 1,
          MaxCount: 1,
          KeyName: "my-key",
          TagSpecifications: [
            { ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] },
            { ResourceType: "network-interface", Tags: [{ Key: "eni", Value: "yes" }] },
            { ResourceType: "volume", Tags: [{ Key: "vol", Value: "root" }] },
          ],
        }),
      );
      const i = await describeOne(r.Instances![0]!.InstanceId!);
      assert.equal(i.InstanceType, "m1.small");
      assert.equal(i.KeyName, "my-key");
      assert.deepEqual(i.Tags, [{ Key: "Name", Value: "web" }]);
      const eniRec = (await state()).resources.find((x) => x.id === i.NetworkInterfaces![0]!.NetworkInterfaceId);
      assert.deepEqual(eniRec?.["tags"], [{ key: "eni", value: "yes" }]);
      const { Volumes } = await h.ec2.send(
        new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [i.InstanceId!] }] }),
      );
      assert.equal(Volumes?.length, 1);
      const vol = Volumes[0]!;
      assert.deepEqual(vol.Tags, [{ Key: "vol", Value: "root" }]);
      assert.equal(vol.Attachments?.[0]?.Device, "/dev/xvda");
      assert.equal(vol.State, "in-use");
    });

    it("DryRun validates and creates nothing", async () => {
      await expectErrorNoChange(
        h,
        () => run({ DryRun: true }),
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
        412,
      );
    });

    it("ClientToken: a retry returns the same instance; other parameters → IdempotentParameterMismatch", async () => {
      const [a] = await run({ ClientToken: "tok-1" });
      const [b] = await run({ ClientToken: "tok-1" });
      assert.equal(b!.InstanceId, a!.InstanceId);
      const all = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "client-token", Values: ["tok-1"] }] }));
      assert.equal(all.Reservations?.flatMap((r) => r.Instances ?? []).length, 1);
      assert.equal(all.Reservations[0]?.Instances?.[0]?.ClientToken, "tok-1");
      await expectErrorNoChange(
        h,
        () => run({ ClientToken: "tok-1", InstanceType: "t3.small" }),
        "IdempotentParameterMismatch",
        "Client token 'tok-1' was used with different parameters",
      );
    });

    it("ClientToken: a retry after the instance was terminated is IdempotentInstanceTerminated", async () => {
      const [a] = await run({ ClientToken: "tok-term" });
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [a!.InstanceId!] }));
      await expectErrorNoChange(
        h,
        () => run({ ClientToken: "tok-term" }),
        "IdempotentInstanceTerminated",
        "The instance created with this client token has been terminated.",
      );
    });
  });

  describe("RunInstances rules", () => {
    it("image and type: malformed / unknown AMI, unknown type, architecture mismatch, counts", async () => {
      await expectErrorNoChange(h, () => run({ ImageId: "bogus" }), "InvalidAMIID.Malformed", 'Invalid id: "bogus" (expecting "ami-...")');
      // An unknown well-formed id is a generic image unless --strict-images (test/e2e/images-registry.test.ts).
      await expectErrorNoChange(
        h,
        () => run({ InstanceType: "cc1.4xlarge" }),
        "InvalidParameterValue",
        "The instance type 'cc1.4xlarge' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => run({ ImageId: AL2023_ARM, InstanceType: "t2.micro" }),
        "InvalidParameterValue",
        /^The architecture 'x86_64' of the specified instance type does not match the architecture 'arm64' of the specified AMI\./,
      );
      await expectErrorNoChange(
        h,
        () => run({ MinCount: 3, MaxCount: 2 }),
        "InvalidParameterValue",
        "Value for parameter MinCount is invalid. MinCount must be less than or equal to MaxCount.",
      );
      await expectErrorNoChange(
        h,
        () => run({ MinCount: 0, MaxCount: 2 }),
        "InvalidParameterValue",
        "Value (0) for parameter MinCount is invalid. Expected a value greater than 0.",
      );
      const [arm] = await run({ ImageId: AL2023_ARM, InstanceType: "t4g.micro" });
      assert.equal((await describeOne(arm!.InstanceId!)).Architecture, "arm64");
    });

    it("explicit private IP: lowest free by default, InUse, outside the subnet, reserved", async () => {
      const n = await network();
      const [first] = await run({ SubnetId: n.subnetId });
      assert.equal(first!.PrivateIpAddress, "10.20.1.4", "lowest free address after the 4 reserved");
      assert.equal(first!.PublicIpAddress, undefined, "a non-default subnet does not map public IPs");
      const [explicit] = await run({ SubnetId: n.subnetId, PrivateIpAddress: "10.20.1.10" });
      assert.equal(explicit!.PrivateIpAddress, "10.20.1.10");
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, PrivateIpAddress: "10.20.1.10" }),
        "InvalidIPAddress.InUse",
        "Address 10.20.1.10 is in use.",
      );
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, PrivateIpAddress: "10.20.1.4" }),
        "InvalidIPAddress.InUse",
        "Address 10.20.1.4 is in use.",
      );
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, PrivateIpAddress: "10.20.2.10" }),
        "InvalidParameterValue",
        err.addressNotInSubnet("10.20.2.10", n.subnetId).message,
      );
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, PrivateIpAddress: "10.20.1.1" }),
        "InvalidParameterValue",
        "Address 10.20.1.1 is reserved and cannot be used.",
      );
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, PrivateIpAddress: "10.20.1.11", MinCount: 2, MaxCount: 2 }),
        "InvalidParameterCombination",
        "Cannot specify a private IP address when launching more than one instance.",
      );
    });

    it("security groups: another VPC's group, unknown group, names only in the default VPC", async () => {
      const n = await network();
      const other = await network("10.30.0.0/16", "10.30.1.0/24");
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, SecurityGroupIds: [other.sgId] }),
        "InvalidParameter",
        `Security group ${other.sgId} and subnet ${n.subnetId} belong to different networks.`,
      );
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, SecurityGroupIds: ["sg-0123456789abcdef0"] }),
        "InvalidGroup.NotFound",
        "The security group 'sg-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, SecurityGroups: ["default"] }),
        "InvalidParameterCombination",
        "The parameter groupName cannot be used with the parameter subnet",
      );
      const defaultVpc = (await defaultSubnetA()).VpcId!;
      await expectErrorNoChange(
        h,
        () => run({ SecurityGroups: ["nope"] }),
        "InvalidGroup.NotFound",
        `The security group 'nope' does not exist in default VPC '${defaultVpc}'`,
      );
      const { GroupId } = await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: n.vpcId }));
      const [i] = await run({ SubnetId: n.subnetId, SecurityGroupIds: [GroupId!, n.sgId] });
      assert.deepEqual(
        i!.SecurityGroups?.map((g) => g.GroupName),
        ["web", "default"],
      );
      const [byName] = await run({ SecurityGroups: ["default"] });
      assert.equal(byName!.SecurityGroups?.[0]?.GroupName, "default");
    });

    it("NetworkInterface.N cannot be combined with instance-level subnet, groups or private IP", async () => {
      const n = await network();
      const nic = [{ DeviceIndex: 0, SubnetId: n.subnetId }];
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, NetworkInterfaces: nic }),
        "InvalidParameterCombination",
        "Network interfaces and an instance-level subnet ID may not be specified on the same request",
      );
      await expectErrorNoChange(
        h,
        () => run({ SecurityGroupIds: [n.sgId], NetworkInterfaces: nic }),
        "InvalidParameterCombination",
        "Network interfaces and an instance-level security groups may not be specified on the same request",
      );
      await expectErrorNoChange(
        h,
        () => run({ PrivateIpAddress: "10.20.1.9", NetworkInterfaces: nic }),
        "InvalidParameterCombination",
        "Network interfaces and an instance-level private IP address may not be specified on the same request",
      );
    });

    it("NetworkInterface.N: device index required, device 0 required, public IP with several interfaces", async () => {
      const n = await network();
      await expectErrorNoChange(
        h,
        () => run({ NetworkInterfaces: [{ SubnetId: n.subnetId }] }),
        "InvalidParameterValue",
        "Each network interface requires a device index.",
      );
      await expectErrorNoChange(
        h,
        () => run({ NetworkInterfaces: [{ DeviceIndex: 1, SubnetId: n.subnetId }] }),
        "InvalidParameterValue",
        "When specifying network interfaces, you must include a device at index 0.",
      );
      await expectErrorNoChange(
        h,
        () =>
          run({
            NetworkInterfaces: [
              { DeviceIndex: 0, SubnetId: n.subnetId, AssociatePublicIpAddress: true },
              { DeviceIndex: 1, SubnetId: n.subnetId },
            ],
          }),
        "InvalidParameterCombination",
        "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces",
      );
    });

    it("NetworkInterface.N: interface count, device index per card and EFA follow the instance type", async () => {
      const n = await network();
      const nics = (count: number) => Array.from({ length: count }, (_, d) => ({ DeviceIndex: d, SubnetId: n.subnetId }));
      await expectErrorNoChange(
        h,
        () => run({ InstanceType: "t3.medium", NetworkInterfaces: nics(4) }),
        "AttachmentLimitExceeded",
        "Interface count 4 exceeds the limit for t3.medium",
      );
      await expectErrorNoChange(
        h,
        () =>
          run({
            InstanceType: "t3.medium",
            NetworkInterfaces: [
              { DeviceIndex: 0, SubnetId: n.subnetId },
              { DeviceIndex: 5, SubnetId: n.subnetId },
            ],
          }),
        "InvalidParameterValue",
        "The specified number '5' for the device index exceeds the maximum number of network interfaces supported by the network card at network card index 0. The maximum devices for this network card is 3. Specify a number from 0 to 2, and try again.",
      );
      await expectErrorNoChange(
        h,
        () => run({ InstanceType: "t2.micro", NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: n.subnetId, InterfaceType: "efa" }] }),
        "InvalidParameterCombination",
        "t2.micro instances do not support Elastic Fabric Adapters.",
      );
      await expectErrorNoChange(
        h,
        () =>
          run({
            InstanceType: "t3.medium",
            NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: n.subnetId, SecondaryPrivateIpAddressCount: 6 }],
          }),
        "InvalidInterface.IpAddressLimitExceeded",
        "The number of private IP addresses for a specified network interface exceeds the limit for the type of instance you are trying to launch.",
      );
      const [three] = await run({ InstanceType: "t3.medium", NetworkInterfaces: nics(3) });
      assert.equal(three!.NetworkInterfaces?.length, 3);
    });

    it("NetworkInterface.N: two new ENIs, no public IP with several interfaces, descriptions and records", async () => {
      const subnetA = (await defaultSubnetA()).SubnetId!;
      const before = (await subnetOf(subnetA)).AvailableIpAddressCount!;
      const [launched] = await run({
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: subnetA, SecondaryPrivateIpAddressCount: 1 },
          { DeviceIndex: 1, Description: "data plane", DeleteOnTermination: false },
        ],
      });
      const i = await describeOne(launched!.InstanceId!);
      assert.equal(i.PublicIpAddress, undefined, "no auto-assigned public IP with more than one interface");
      assert.deepEqual(
        i.NetworkInterfaces?.map((e) => [e.Attachment?.DeviceIndex, e.Attachment?.NetworkCardIndex, e.Description]),
        [
          [0, 0, "Primary network interface"],
          [1, 0, "data plane"],
        ],
      );
      assert.equal(i.NetworkInterfaces[0]!.PrivateIpAddresses?.length, 2);
      assert.equal((await subnetOf(subnetA)).AvailableIpAddressCount, before - 3);
      const recs = (await state()).resources.filter((r) => r.kind === "network-interface" && r["instanceId"] === i.InstanceId);
      assert.equal(recs.length, 2);
    });

    it("AssociatePublicIpAddress overrides the subnet's MapPublicIpOnLaunch either way", async () => {
      const n = await network();
      const [pub] = await run({ NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: n.subnetId, AssociatePublicIpAddress: true }] });
      assert.ok(isAmazonPublicIpv4((await describeOne(pub!.InstanceId!)).PublicIpAddress ?? ""));
      const subnetA = (await defaultSubnetA()).SubnetId!;
      const [priv] = await run({ NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetA, AssociatePublicIpAddress: false }] });
      assert.equal((await describeOne(priv!.InstanceId!)).PublicIpAddress, undefined);
    });

    it("Ipv6AddressCount: addresses from the subnet's /64, a type without IPv6, a subnet without IPv6", async () => {
      const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16", AmazonProvidedIpv6CidrBlock: true }));
      const block = Vpc!.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock!;
      // The first /64 of the VPC's /56, computed (the block's text form varies: "…:1200::/56", "…:420::/56").
      const slash64 = formatCidr(subBlock(parseCidr(block)!, 64, 0n));
      const { Subnet: s } = await h.ec2.send(
        new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: "10.40.1.0/24", Ipv6CidrBlock: slash64, AvailabilityZone: "us-east-1a" }),
      );
      const [i] = await run({ SubnetId: s!.SubnetId!, Ipv6AddressCount: 2 });
      const v6 = (await describeOne(i!.InstanceId!)).NetworkInterfaces?.[0]?.Ipv6Addresses?.map((a) => a.Ipv6Address);
      const base = slash64.replace(/\/64$/, "");
      assert.deepEqual(v6, [base.replace(/::$/, "::4"), base.replace(/::$/, "::5")]);
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: s!.SubnetId!, Ipv6AddressCount: 1, InstanceType: "m1.small" }),
        "InvalidParameterCombination",
        "The instance type m1.small does not support IPv6.",
      );
      const n = await network();
      await expectErrorNoChange(
        h,
        () => run({ SubnetId: n.subnetId, Ipv6AddressCount: 1 }),
        "InvalidParameterValue",
        `Subnet ${n.subnetId} does not have an IPv6 CIDR block associated.`,
      );
    });

    it("NetworkInterface.N with an existing ENI: in use, and DeleteOnTermination only for new ENIs", async () => {
      const n = await network();
      const [a] = await run({ SubnetId: n.subnetId });
      const inUse = a!.NetworkInterfaces![0]!.NetworkInterfaceId!;
      await expectErrorNoChange(
        h,
        () =>
          run({
            NetworkInterfaces: [
              { DeviceIndex: 0, SubnetId: n.subnetId },
              { DeviceIndex: 1, NetworkInterfaceId: inUse },
            ],
          }),
        "InvalidNetworkInterface.InUse",
        `Interface: [${inUse}] in use.`,
      );
      await expectErrorNoChange(
        h,
        () => run({ NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: inUse, DeleteOnTermination: true }] }),
        "InvalidParameterCombination",
        "A network interface may not specify both a network interface ID and DeleteOnTermination=true",
      );
    });

    it("existing detached ENI is reattached at launch and survives termination as available", async () => {
      const n = await network();
      const [a] = await run({
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: n.subnetId },
          { DeviceIndex: 1, SubnetId: n.subnetId, DeleteOnTermination: false },
        ],
      });
      const keep = a!.NetworkInterfaces!.find((e) => e.Attachment?.DeviceIndex === 1)!.NetworkInterfaceId!;
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [a!.InstanceId!] }));
      const kept = (await state()).resources.find((r) => r.id === keep);
      assert.equal(kept?.["status"], "available");
      assert.equal(kept["attachment"], undefined);
      const [b] = await run({ NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: keep }] });
      const i = await describeOne(b!.InstanceId!);
      assert.equal(i.NetworkInterfaces?.[0]?.NetworkInterfaceId, keep);
      assert.equal(i.NetworkInterfaces[0].Attachment?.DeleteOnTermination, false);
      assert.equal(i.SubnetId, n.subnetId);
    });
  });

  describe("lifecycle", () => {
    it("stop releases the public IP, start assigns a new one; codes 0/16/32/48/64/80", async () => {
      const [launched] = await run();
      const id = launched!.InstanceId!;
      const running = await describeOne(id);
      const firstIp = running.PublicIpAddress!;
      assert.ok(firstIp);

      const stop = await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      assert.deepEqual(stop.StoppingInstances?.[0], {
        InstanceId: id,
        CurrentState: { Code: 64, Name: "stopping" },
        PreviousState: { Code: 16, Name: "running" },
      });
      const stopped = await describeOne(id);
      assert.deepEqual(stopped.State, { Code: 80, Name: "stopped" });
      assert.equal(stopped.PublicIpAddress, undefined);
      assert.equal(stopped.PublicDnsName, "");
      assert.equal(stopped.PrivateIpAddress, running.PrivateIpAddress, "private addresses stay across stop/start");
      assert.equal(stopped.StateReason?.Code, "Client.UserInitiatedShutdown");
      assert.match(stopped.StateTransitionReason!, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);

      const again = await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      assert.deepEqual(again.StoppingInstances?.[0]?.CurrentState, { Code: 80, Name: "stopped" });

      const start = await h.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
      assert.deepEqual(start.StartingInstances?.[0], {
        InstanceId: id,
        CurrentState: { Code: 0, Name: "pending" },
        PreviousState: { Code: 80, Name: "stopped" },
      });
      const restarted = await describeOne(id);
      assert.deepEqual(restarted.State, { Code: 16, Name: "running" });
      assert.ok(restarted.PublicIpAddress && isAmazonPublicIpv4(restarted.PublicIpAddress));
      assert.notEqual(restarted.PublicIpAddress, firstIp, "a new public IP, never the released one");

      const term = await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      assert.deepEqual(term.TerminatingInstances?.[0], {
        InstanceId: id,
        CurrentState: { Code: 32, Name: "shutting-down" },
        PreviousState: { Code: 16, Name: "running" },
      });
      const gone = await describeOne(id);
      assert.deepEqual(gone.State, { Code: 48, Name: "terminated" }, "terminated instances stay visible");
    });

    it("terminate deletes DeleteOnTermination ENIs and frees their addresses; terminated cannot start", async () => {
      const n = await network();
      const before = (await subnetOf(n.subnetId)).AvailableIpAddressCount!;
      const [launched] = await run({ SubnetId: n.subnetId });
      const id = launched!.InstanceId!;
      const eniId = launched!.NetworkInterfaces![0]!.NetworkInterfaceId!;
      assert.equal((await subnetOf(n.subnetId)).AvailableIpAddressCount, before - 1);
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      const dump = await state();
      assert.equal(
        dump.resources.find((r) => r.id === eniId),
        undefined,
        "the primary ENI is deleted",
      );
      assert.equal(dump.ipUsage.filter((u) => u.owner_id === eniId).length, 0);
      assert.equal((await subnetOf(n.subnetId)).AvailableIpAddressCount, before);
      const gone = await describeOne(id);
      assert.equal(gone.SubnetId, undefined);
      assert.equal(gone.VpcId, undefined);
      assert.deepEqual(gone.NetworkInterfaces, []);
      const { Volumes } = await h.ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [id] }] }));
      assert.deepEqual(Volumes, [], "the root volume is deleted with the instance");

      await expectErrorNoChange(
        h,
        () => h.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })),
        "IncorrectInstanceState",
        `The instance '${id}' is not in a state from which it can be started.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })),
        "IncorrectInstanceState",
        `The instance '${id}' is not in a state from which it can be stopped.`,
      );
      const again = await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      assert.deepEqual(again.TerminatingInstances?.[0]?.CurrentState, { Code: 48, Name: "terminated" });
    });

    it("unknown and malformed instance ids", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new StopInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
        "InvalidInstanceID.NotFound",
        "The instance ID 'i-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0123456789abcdef0", "i-0123456789abcdef1"] })),
        "InvalidInstanceID.NotFound",
        "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new StartInstancesCommand({ InstanceIds: ["foo"] })),
        "InvalidInstanceID.Malformed",
        'Invalid id: "foo" (expecting "i-...")',
      );
      await expectError(
        h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
        "InvalidInstanceID.NotFound",
        "The instance ID 'i-0123456789abcdef0' does not exist",
      );
    });

    it("termination and stop protection", async () => {
      const [i] = await run({ DisableApiTermination: true });
      const id = i!.InstanceId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })),
        "OperationNotPermitted",
        `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
      await h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
      await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
      assert.equal((await describeOne(id)).State?.Name, "terminated");
    });
  });

  describe("DescribeInstances", () => {
    it("filters: state, vpc, subnet, tag, private IP, ENI id; reservations group a launch", async () => {
      const n = await network();
      const [a, b] = await run({
        SubnetId: n.subnetId,
        MinCount: 2,
        MaxCount: 2,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "role", Value: "api" }] }],
      });
      const [c] = await run({ SubnetId: n.subnetId });
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [c!.InstanceId!] }));
      const ids = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> =>
        ((await h.ec2.send(new DescribeInstancesCommand({ Filters: filters }))).Reservations ?? [])
          .flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!))
          .sort();
      const ab = [a!.InstanceId!, b!.InstanceId!].sort();
      assert.deepEqual(await ids([{ Name: "vpc-id", Values: [n.vpcId] }]), [...ab, c!.InstanceId!].sort());
      assert.deepEqual(
        await ids([
          { Name: "vpc-id", Values: [n.vpcId] },
          { Name: "instance-state-name", Values: ["running"] },
        ]),
        ab,
      );
      assert.deepEqual(
        await ids([
          { Name: "subnet-id", Values: [n.subnetId] },
          { Name: "instance-state-code", Values: ["80"] },
        ]),
        [c!.InstanceId!],
      );
      assert.deepEqual(await ids([{ Name: "tag:role", Values: ["api"] }]), ab);
      assert.deepEqual(await ids([{ Name: "private-ip-address", Values: [a!.PrivateIpAddress!] }]), [a!.InstanceId!]);
      assert.deepEqual(
        await ids([{ Name: "network-interface.network-interface-id", Values: [b!.NetworkInterfaces![0]!.NetworkInterfaceId!] }]),
        [b!.InstanceId!],
      );
      assert.deepEqual(
        await ids([{ Name: "network-interface.addresses.private-ip-address", Values: ["10.20.1.*"] }]),
        [...ab, c!.InstanceId!].sort(),
      );

      const { Reservations } = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "vpc-id", Values: [n.vpcId] }] }));
      assert.equal(Reservations?.length, 2);
      const [first] = Reservations;
      assert.equal(first?.Instances?.length, 2);
      assert.deepEqual(first.Instances.map((x) => x.InstanceId).sort(), ab);
      assert.match(first.ReservationId ?? "", /^r-[0-9a-f]{17}$/);

      await expectError(
        h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })),
        "InvalidParameterValue",
        "The filter 'bogus' is invalid",
      );
    });

    it("paginates with MaxResults 5–1000", async () => {
      const n = await network();
      await run({ SubnetId: n.subnetId, MinCount: 7, MaxCount: 7 });
      const f = [{ Name: "vpc-id", Values: [n.vpcId] }];
      const p1 = await h.ec2.send(new DescribeInstancesCommand({ Filters: f, MaxResults: 5 }));
      assert.equal(p1.Reservations?.flatMap((r) => r.Instances ?? []).length, 5);
      assert.ok(p1.NextToken);
      const p2 = await h.ec2.send(new DescribeInstancesCommand({ Filters: f, MaxResults: 5, NextToken: p1.NextToken }));
      assert.equal(p2.Reservations?.flatMap((r) => r.Instances ?? []).length, 2);
      assert.equal(p2.NextToken, undefined);
      await expectError(
        h.ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })),
        "InvalidParameterValue",
        "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
      );
    });
  });

  describe("attributes, status, credits", () => {
    it("ModifyInstanceAttribute SourceDestCheck applies to the primary ENI; one attribute per call", async () => {
      const [i] = await run();
      const id = i!.InstanceId!;
      await h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
      const attr = await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "sourceDestCheck" }));
      assert.equal(attr.SourceDestCheck?.Value, false);
      assert.equal((await describeOne(id)).SourceDestCheck, false);
      const eni = (await state()).resources.find((r) => r.id === i!.NetworkInterfaces![0]!.NetworkInterfaceId);
      assert.equal(eni?.["sourceDestCheck"], false);
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: true }, DisableApiStop: { Value: true } }),
          ),
        "InvalidParameterCombination",
        "Only one attribute can be modified at a time",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "t3.small" } })),
        "IncorrectInstanceState",
        `The instance '${id}' is not in the 'stopped' state.`,
      );
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
      await h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "t3.small" } }));
      assert.equal(
        (await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "instanceType" }))).InstanceType?.Value,
        "t3.small",
      );
      const groups = await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "groupSet" }));
      assert.equal(groups.Groups?.[0]?.GroupName, "default");
    });

    it("ModifyInstanceAttribute GroupId.N replaces the primary ENI's groups, within the instance's VPC", async () => {
      const n = await network();
      const other = await network("10.30.0.0/16", "10.30.1.0/24");
      const { GroupId } = await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: n.vpcId }));
      const [i] = await run({ SubnetId: n.subnetId });
      const id = i!.InstanceId!;
      await h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [GroupId!, n.sgId] }));
      const attr = await h.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "groupSet" }));
      assert.deepEqual(
        attr.Groups?.map((g) => g.GroupName),
        ["app", "default"],
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [other.sgId] })),
        "InvalidParameter",
        // Message owned by the security-group catalogue entry (unverified there).
        err.sgVpcMismatch(other.sgId, n.vpcId).message,
      );
    });

    it("DescribeVolumes: by id, unknown and malformed ids", async () => {
      const [i] = await run();
      const volumeId = (await describeOne(i!.InstanceId!)).BlockDeviceMappings?.[0]?.Ebs?.VolumeId ?? "";
      const { Volumes } = await h.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
      assert.equal(Volumes?.[0]?.Attachments?.[0]?.InstanceId, i!.InstanceId);
      assert.equal(Volumes?.[0]?.Size, 8);
      await expectError(
        h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ["vol-0123456789abcdef0"] })),
        "InvalidVolume.NotFound",
        "The volume 'vol-0123456789abcdef0' does not exist.",
      );
      await expectError(
        h.ec2.send(new DescribeVolumesCommand({ VolumeIds: ["v-1"] })),
        "InvalidVolumeID.Malformed",
        'Invalid id: "v-1" (expecting "vol-...")',
      );
    });

    it("SourceDestCheck on an instance with several ENIs → InvalidInstanceID", async () => {
      const subnetA = (await defaultSubnetA()).SubnetId!;
      const [i] = await run({
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: subnetA },
          { DeviceIndex: 1, SubnetId: subnetA },
        ],
      });
      const id = i!.InstanceId!;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } })),
        "InvalidInstanceID",
        `There are multiple interfaces attached to instance '${id}'. Please specify an interface ID for the operation instead.`,
      );
    });

    it("DescribeInstanceStatus: running only unless IncludeAllInstances", async () => {
      const [a] = await run();
      const [b] = await run();
      await h.ec2.send(new StopInstancesCommand({ InstanceIds: [b!.InstanceId!] }));
      const ids = [a!.InstanceId!, b!.InstanceId!];
      const running = await h.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids }));
      assert.deepEqual(
        running.InstanceStatuses?.map((s) => [s.InstanceId, s.InstanceStatus?.Status, s.SystemStatus?.Status]),
        [[a!.InstanceId, "ok", "ok"]],
      );
      const all = await h.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids, IncludeAllInstances: true }));
      assert.deepEqual(
        all.InstanceStatuses?.map((s) => s.InstanceState?.Name),
        ["running", "stopped"],
      );
    });

    it("DescribeInstanceCreditSpecifications: t2 standard, t3 unlimited", async () => {
      const [t2] = await run({ InstanceType: "t2.micro" });
      const [t3] = await run({ InstanceType: "t3.micro" });
      const r = await h.ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [t2!.InstanceId!, t3!.InstanceId!] }));
      assert.deepEqual(r.InstanceCreditSpecifications, [
        { InstanceId: t2!.InstanceId, CpuCredits: "standard" },
        { InstanceId: t3!.InstanceId, CpuCredits: "unlimited" },
      ]);
    });
  });
});
