/**
 * Issue 15: placement groups (create, describe, delete, launching into one with each strategy's rules),
 * RebootInstances, DescribeAccountAttributes from the configured quotas, and chaos fail-instance as seen by
 * DescribeInstanceStatus. Every rule: code, exact message and unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreatePlacementGroupCommand,
  DeletePlacementGroupCommand,
  DescribeAccountAttributesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribePlacementGroupsCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, expectErrorNoChange, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";

describe("placement groups", () => {
  const h = useHarness({ quotas: { elasticIpsPerRegion: 9, securityGroupsPerInterface: 4, instancesPerRegion: 77 } });
  const run = async (extra: Partial<RunInstancesCommandInput> = {}): Promise<string[]> => {
    const r = await h.ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...extra }));
    return r.Instances!.map((i) => i.InstanceId!);
  };
  const create = (GroupName: string, Strategy: "cluster" | "spread" | "partition", more: object = {}) =>
    h.ec2.send(new CreatePlacementGroupCommand({ GroupName, Strategy, ...more }));

  it("creates each strategy with AWS's defaults and describes them by name, id and filter", async () => {
    const c = (
      await create("pg-cluster", "cluster", { TagSpecifications: [{ ResourceType: "placement-group", Tags: [{ Key: "k", Value: "v" }] }] })
    ).PlacementGroup!;
    assert.match(c.GroupId!, /^pg-[0-9a-f]{17}$/);
    assert.equal(c.State, "available");
    assert.equal(c.GroupArn, `arn:aws:ec2:us-east-1:000000000000:placement-group/pg-cluster`);
    const s = (await create("pg-spread", "spread")).PlacementGroup!;
    assert.equal(s.SpreadLevel, "rack");
    const p = (await create("pg-part", "partition")).PlacementGroup!;
    assert.equal(p.PartitionCount, 2);
    assert.equal((await create("pg-part5", "partition", { PartitionCount: 5 })).PlacementGroup!.PartitionCount, 5);
    const byName = await h.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ["pg-spread"] }));
    assert.deepEqual(
      byName.PlacementGroups!.map((g) => g.GroupId),
      [s.GroupId],
    );
    const byId = await h.ec2.send(new DescribePlacementGroupsCommand({ GroupIds: [c.GroupId!] }));
    assert.deepEqual(byId.PlacementGroups![0]!.Tags, [{ Key: "k", Value: "v" }]);
    const parts = await h.ec2.send(new DescribePlacementGroupsCommand({ Filters: [{ Name: "strategy", Values: ["partition"] }] }));
    assert.deepEqual(parts.PlacementGroups!.map((g) => g.GroupName).sort(), ["pg-part", "pg-part5"]);
    const tagged = await h.ec2.send(new DescribePlacementGroupsCommand({ Filters: [{ Name: "tag:k", Values: ["v"] }] }));
    assert.deepEqual(
      tagged.PlacementGroups!.map((g) => g.GroupName),
      ["pg-cluster"],
    );
  });

  it("refuses duplicates, bad combinations and unknown groups", async () => {
    await create("dup", "cluster");
    await expectErrorNoChange(
      h,
      () => create("dup", "spread"),
      "InvalidPlacementGroup.Duplicate",
      "The Placement Group 'dup' already exists.",
    );
    await expectErrorNoChange(
      h,
      () => create("x", "cluster", { PartitionCount: 3 }),
      "InvalidParameterCombination",
      "PartitionCount is valid only when Strategy is set to partition.",
    );
    await expectErrorNoChange(
      h,
      () => create("x", "partition", { PartitionCount: 8 }),
      "InvalidParameterValue",
      "Value (8) for parameter partitionCount is invalid. Expecting a value between 1 and 7.",
    );
    await expectErrorNoChange(
      h,
      () => create("x", "spread", { SpreadLevel: "host" }),
      "InvalidParameterValue",
      "Host level spread placement groups can only be used with AWS Outposts.",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreatePlacementGroupCommand({ GroupName: "x" })),
      "MissingParameter",
      "The request must contain the parameter strategy",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ["nope"] })),
      "InvalidPlacementGroup.Unknown",
      "The Placement Group 'nope' is unknown.",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeletePlacementGroupCommand({ GroupName: "nope" })),
      "InvalidPlacementGroup.Unknown",
      "The Placement Group 'nope' is unknown.",
    );
    await expectErrorNoChange(
      h,
      () => run({ Placement: { GroupName: "nope" } }),
      "InvalidPlacementGroup.Unknown",
      "The Placement Group 'nope' is unknown.",
    );
  });

  it("launches into a group, shows it in DescribeInstances, and refuses to delete a group in use", async () => {
    await create("web", "partition", { PartitionCount: 3 });
    const [a, b] = await run({ MinCount: 2, MaxCount: 2, Placement: { GroupName: "web" } });
    const [c] = await run({ Placement: { GroupName: "web", PartitionNumber: 3 } });
    const d = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [a!, b!, c!] }));
    const placements = d
      .Reservations!.flatMap((r) => r.Instances!)
      .map((i) => [i.InstanceId, i.Placement!.GroupName, i.Placement!.PartitionNumber]);
    assert.deepEqual(
      placements.sort(),
      [
        [a, "web", 1],
        [b, "web", 2],
        [c, "web", 3],
      ].sort(),
    );
    const f = await h.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "placement-group-name", Values: ["web"] }] }));
    assert.equal(f.Reservations!.flatMap((r) => r.Instances!).length, 3);
    await expectErrorNoChange(
      h,
      () => run({ Placement: { GroupName: "web", PartitionNumber: 4 } }),
      "InvalidParameterValue",
      "Value (4) for parameter partitionNumber is invalid. The placement group has 3 partitions.",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeletePlacementGroupCommand({ GroupName: "web" })),
      "InvalidPlacementGroup.InUse",
      "The placement group 'web' is in use and may not be deleted.",
    );
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [a!, b!, c!] }));
    await h.ec2.send(new DeletePlacementGroupCommand({ GroupName: "web" }));
    assert.deepEqual((await h.ec2.send(new DescribePlacementGroupsCommand({}))).PlacementGroups, []);
  });

  it("keeps a cluster group in one zone and a spread group to 7 running instances per zone", async () => {
    await create("hpc", "cluster");
    await run({ Placement: { GroupName: "hpc", AvailabilityZone: "us-east-1a" } });
    await expectErrorNoChange(
      h,
      () => run({ Placement: { GroupName: "hpc", AvailabilityZone: "us-east-1b" } }),
      "InvalidPlacementGroup.InUse",
      "The placement group 'hpc' is in use in another availability zone: us-east-1a",
    );
    await create("etcd", "spread");
    await run({ MinCount: 7, MaxCount: 7, Placement: { GroupName: "etcd", AvailabilityZone: "us-east-1a" } });
    await expectErrorNoChange(
      h,
      () => run({ Placement: { GroupName: "etcd", AvailabilityZone: "us-east-1a" } }),
      "InsufficientInstanceCapacity",
      "The spread placement group 'etcd' already has the maximum of 7 running instances in us-east-1a.",
    );
    // Another zone has its own seven.
    await run({ Placement: { GroupName: "etcd", AvailabilityZone: "us-east-1b" } });
  });

  it("reboots: the instance stays running; unknown ids and stopped instances are refused; terminated ones ignored", async () => {
    const net = await createNetwork(h, "10.61.0.0/16", "10.61.1.0/24");
    const [i, j] = await run({ SubnetId: net.subnetId, MinCount: 2, MaxCount: 2 });
    await h.ec2.send(new RebootInstancesCommand({ InstanceIds: [i!] }));
    const st = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i!] }));
    assert.equal(st.Reservations![0]!.Instances![0]!.State!.Name, "running");
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new RebootInstancesCommand({ InstanceIds: [i!, "i-0123456789abcdef0"] })),
      "InvalidInstanceID.NotFound",
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new RebootInstancesCommand({ InstanceIds: ["i-zzz"] })),
      "InvalidInstanceID.Malformed",
      'Invalid id: "i-zzz" (expecting "i-...")',
    );
    await h.ec2.send(new StopInstancesCommand({ InstanceIds: [j!] }));
    await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [j!] }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new RebootInstancesCommand({ InstanceIds: [j!] })),
      "IncorrectInstanceState",
      `The instance '${j!}' is not in a state from which it can be rebooted.`,
    );
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i!] }));
    await h.ec2.send(new RebootInstancesCommand({ InstanceIds: [i!] }));
  });

  it("DescribeAccountAttributes reports the configured quotas", async () => {
    const { AccountAttributes } = await h.ec2.send(new DescribeAccountAttributesCommand({}));
    const map: Record<string, (string | undefined)[]> = Object.fromEntries(
      AccountAttributes!.map((a) => [a.AttributeName!, a.AttributeValues!.map((v) => v.AttributeValue)]),
    );
    assert.deepEqual(map["supported-platforms"], ["VPC"]);
    assert.match(map["default-vpc"]?.[0] ?? "", /^vpc-/);
    assert.deepEqual(map["max-instances"], ["77"]);
    assert.deepEqual(map["max-elastic-ips"], ["9"]);
    assert.deepEqual(map["vpc-max-elastic-ips"], ["9"]);
    assert.deepEqual(map["vpc-max-security-groups-per-interface"], ["4"]);
    const one = await h.ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ["default-vpc"] }));
    assert.deepEqual(
      one.AccountAttributes!.map((a) => a.AttributeName),
      ["default-vpc"],
    );
  });

  it("chaos fail-instance shows impaired in DescribeInstanceStatus; recover shows ok", async () => {
    const net = await createNetwork(h, "10.62.0.0/16", "10.62.1.0/24");
    const [i] = await run({ SubnetId: net.subnetId });
    await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [i!] })); // pending → running
    assert.equal((await adminCall(h, "POST", "chaos/fail-instance", { instanceId: i })).status, 200);
    const s = (await h.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [i!] }))).InstanceStatuses![0]!;
    for (const check of [s.InstanceStatus!, s.SystemStatus!]) {
      assert.equal(check.Status, "impaired");
      assert.equal(check.Details![0]!.Name, "reachability");
      assert.equal(check.Details![0]!.Status, "failed");
      assert.ok(check.Details![0]!.ImpairedSince instanceof Date);
    }
    assert.equal(s.AttachedEbsStatus!.Status, "ok");
    const f = await h.ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "instance-status.status", Values: ["impaired"] }] }));
    assert.deepEqual(
      f.InstanceStatuses!.map((x) => x.InstanceId),
      [i],
    );
    assert.equal((await adminCall(h, "POST", "chaos/recover", { instanceId: i })).status, 200);
    const ok = (await h.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [i!] }))).InstanceStatuses![0]!;
    assert.equal(ok.InstanceStatus!.Status, "ok");
    assert.equal(ok.SystemStatus!.Details![0]!.Status, "passed");
    assert.equal(ok.SystemStatus!.Details![0]!.ImpairedSince, undefined);
  });
});
