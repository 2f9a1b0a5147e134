/**
 * CreateFlowLogs / DescribeFlowLogs / DeleteFlowLogs through the real SDK: ENI-, subnet- and VPC-level flow logs,
 * per-resource failures in `Unsuccessful`, duplicates, the per-resource quota, both destination types, every
 * DescribeFlowLogs filter, and every request-level rule with code, message and unchanged state.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateFlowLogsCommand,
  CreateNetworkInterfaceCommand,
  CreateTagsCommand,
  DeleteFlowLogsCommand,
  DescribeFlowLogsCommand,
  DescribeTagsCommand,
  type CreateFlowLogsCommandInput,
} from "@aws-sdk/client-ec2";
import { createNetwork, expectErrorNoChange, useHarness } from "./harness.js";

const ROLE = "arn:aws:iam::000000000000:role/flow-logs";
const DEFAULT_FORMAT =
  "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

describe("flow logs", () => {
  const h = useHarness();

  const network = async (n: number): Promise<{ vpcId: string; subnetId: string; eniId: string }> => {
    const { vpcId, subnetId } = await createNetwork(h, `10.${n}.0.0/16`, `10.${n}.1.0/24`);
    const { NetworkInterface } = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
    return { vpcId, subnetId, eniId: NetworkInterface!.NetworkInterfaceId! };
  };
  const cwl = (resourceIds: string[], over: Partial<CreateFlowLogsCommandInput> = {}): CreateFlowLogsCommand =>
    new CreateFlowLogsCommand({
      ResourceType: "NetworkInterface",
      ResourceIds: resourceIds,
      TrafficType: "ALL",
      LogGroupName: "flows",
      DeliverLogsPermissionArn: ROLE,
      ...over,
    });

  it("creates an ENI flow log to CloudWatch Logs with AWS's defaults and describes it", async () => {
    const { eniId } = await network(1);
    const out = await h.ec2.send(cwl([eniId], { ClientToken: "tok-1" }));
    assert.equal(out.FlowLogIds?.length, 1);
    assert.deepEqual(out.Unsuccessful ?? [], []);
    assert.equal(out.ClientToken, "tok-1");
    const { FlowLogs } = await h.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: out.FlowLogIds }));
    const f = FlowLogs![0]!;
    assert.equal(f.FlowLogId, out.FlowLogIds[0]);
    assert.equal(f.ResourceId, eniId);
    assert.equal(f.TrafficType, "ALL");
    assert.equal(f.LogDestinationType, "cloud-watch-logs");
    assert.equal(f.LogGroupName, "flows");
    assert.equal(f.LogDestination, "arn:aws:logs:us-east-1:000000000000:log-group:flows");
    assert.equal(f.DeliverLogsPermissionArn, ROLE);
    assert.equal(f.LogFormat, DEFAULT_FORMAT);
    assert.equal(f.MaxAggregationInterval, 600);
    assert.equal(f.FlowLogStatus, "ACTIVE");
    assert.equal(f.DeliverLogsStatus, "SUCCESS");
    assert.ok(f.CreationTime instanceof Date);
    assert.match(f.FlowLogId!, /^fl-[0-9a-f]{17}$/);
  });

  it("creates subnet and VPC flow logs to S3 with a custom format, destination options and tags", async () => {
    const { vpcId, subnetId } = await network(2);
    const format = "${version} ${vpc-id} ${srcaddr} ${pkt-srcaddr} ${tcp-flags} ${flow-direction} ${traffic-path}";
    const out = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "Subnet",
        ResourceIds: [subnetId],
        TrafficType: "REJECT",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::my-flow-bucket/prefix/",
        LogFormat: format,
        MaxAggregationInterval: 60,
        DestinationOptions: { FileFormat: "plain-text", HiveCompatiblePartitions: true, PerHourPartition: true },
        TagSpecifications: [{ ResourceType: "vpc-flow-log", Tags: [{ Key: "team", Value: "net" }] }],
      }),
    );
    const vpcOut = await h.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: "VPC",
        ResourceIds: [vpcId],
        TrafficType: "ACCEPT",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::my-flow-bucket",
      }),
    );
    const { FlowLogs } = await h.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [...out.FlowLogIds!, ...vpcOut.FlowLogIds!] }));
    const subnetLog = FlowLogs!.find((f) => f.ResourceId === subnetId)!;
    assert.equal(subnetLog.LogFormat, format);
    assert.equal(subnetLog.MaxAggregationInterval, 60);
    assert.equal(subnetLog.LogDestination, "arn:aws:s3:::my-flow-bucket/prefix/");
    assert.equal(subnetLog.LogGroupName, undefined);
    assert.deepEqual(subnetLog.DestinationOptions, { FileFormat: "plain-text", HiveCompatiblePartitions: true, PerHourPartition: true });
    assert.deepEqual(subnetLog.Tags, [{ Key: "team", Value: "net" }]);
    const vpcLog = FlowLogs!.find((f) => f.ResourceId === vpcId)!;
    assert.deepEqual(vpcLog.DestinationOptions, { FileFormat: "plain-text", HiveCompatiblePartitions: false, PerHourPartition: false });
  });

  it("reports unknown and malformed resources and duplicates in Unsuccessful, creating the rest", async () => {
    const { eniId } = await network(3);
    const first = await h.ec2.send(cwl([eniId]));
    assert.equal(first.FlowLogIds?.length, 1);
    const { NetworkInterface } = await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: (await network(4)).subnetId }));
    const other = NetworkInterface!.NetworkInterfaceId!;
    const out = await h.ec2.send(cwl([eniId, "eni-0123456789abcdef0", "eni-nope", other]));
    assert.equal(out.FlowLogIds?.length, 1);
    const byId = new Map((out.Unsuccessful ?? []).map((u) => [u.ResourceId, u.Error]));
    assert.deepEqual(byId.get(eniId), {
      Code: "FlowLogAlreadyExists",
      Message: "Error. There is an existing Flow Log with the same configuration and log destination.",
    });
    assert.deepEqual(byId.get("eni-0123456789abcdef0"), {
      Code: "InvalidNetworkInterfaceID.NotFound",
      Message: "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
    });
    assert.equal(byId.get("eni-nope")?.Code, "InvalidNetworkInterfaceId.Malformed");
    const { FlowLogs } = await h.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "resource-id", Values: [other] }] }));
    assert.equal(FlowLogs?.length, 1);
  });

  it("an unknown VPC is reported with the VPC's not-found error; an ENI id given as a VPC is malformed", async () => {
    const { eniId } = await network(5);
    const out = await h.ec2.send(cwl(["vpc-0123456789abcdef0", eniId], { ResourceType: "VPC" }));
    assert.deepEqual(out.FlowLogIds ?? [], []);
    assert.deepEqual(
      (out.Unsuccessful ?? []).map((u) => u.Error?.Code),
      ["InvalidVpcID.NotFound", "InvalidVpcID.Malformed"],
    );
  });

  it("allows two flow logs per resource (different destinations), refuses a third in Unsuccessful", async () => {
    const { eniId } = await network(6);
    await h.ec2.send(cwl([eniId]));
    await h.ec2.send(cwl([eniId], { LogGroupName: "second" }));
    const before = await h.state();
    const out = await h.ec2.send(cwl([eniId], { LogGroupName: "third" }));
    assert.deepEqual(out.Unsuccessful?.[0]?.Error, {
      Code: "FlowLogsLimitExceeded",
      Message: `You have reached the limit of 2 flow logs for resource ${eniId}.`,
    });
    assert.deepEqual(await h.state(), before);
  });

  it("DescribeFlowLogs supports every documented filter", async () => {
    const { eniId, subnetId } = await network(7);
    const a = (await h.ec2.send(cwl([eniId], { TrafficType: "ACCEPT", LogGroupName: "grp-a" }))).FlowLogIds![0]!;
    const b = (
      await h.ec2.send(
        new CreateFlowLogsCommand({
          ResourceType: "Subnet",
          ResourceIds: [subnetId],
          TrafficType: "REJECT",
          LogDestinationType: "s3",
          LogDestination: "arn:aws:s3:::bkt",
        }),
      )
    ).FlowLogIds![0]!;
    await h.ec2.send(new CreateTagsCommand({ Resources: [b], Tags: [{ Key: "env", Value: "prod" }] }));
    const ids = async (name: string, values: string[]): Promise<string[]> =>
      ((await h.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: name, Values: values }] }))).FlowLogs ?? [])
        .map((f) => f.FlowLogId!)
        .sort();
    assert.deepEqual(await ids("flow-log-id", [a]), [a]);
    assert.deepEqual(await ids("resource-id", [subnetId]), [b]);
    assert.deepEqual(await ids("traffic-type", ["ACCEPT"]), [a]);
    assert.deepEqual(await ids("log-destination-type", ["s3"]), [b]);
    assert.deepEqual(await ids("log-group-name", ["grp-*"]), [a]);
    assert.deepEqual(await ids("deliver-log-status", ["SUCCESS"]), [a, b].sort());
    assert.deepEqual(await ids("deliver-log-status", ["FAILED"]), []);
    assert.deepEqual(await ids("tag:env", ["prod"]), [b]);
    assert.deepEqual(await ids("tag-key", ["env"]), [b]);
    const { Tags } = await h.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [b] }] }));
    assert.deepEqual(
      Tags?.map((t) => [t.ResourceType, t.Key]),
      [["vpc-flow-log", "env"]],
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: "vpc-id", Values: ["x"] }] })),
      "InvalidParameterValue",
      "The filter 'vpc-id' is invalid",
    );
    // Paginated.
    const page = await h.ec2.send(new DescribeFlowLogsCommand({ MaxResults: 1 }));
    assert.equal(page.FlowLogs?.length, 1);
    assert.ok(page.NextToken);
  });

  it("DeleteFlowLogs deletes known ids and reports unknown ones in Unsuccessful", async () => {
    const { eniId } = await network(8);
    const id = (await h.ec2.send(cwl([eniId]))).FlowLogIds![0]!;
    const out = await h.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [id, "fl-0123456789abcdef0"] }));
    assert.deepEqual(out.Unsuccessful, [
      {
        ResourceId: "fl-0123456789abcdef0",
        Error: { Code: "InvalidFlowLogId.NotFound", Message: "The specified flow log does not exist: 'fl-0123456789abcdef0'" },
      },
    ]);
    assert.deepEqual((await h.ec2.send(new DescribeFlowLogsCommand({ FlowLogIds: [id] }))).FlowLogs ?? [], []);
    // The same configuration can be created again once deleted.
    assert.equal((await h.ec2.send(cwl([eniId]))).FlowLogIds?.length, 1);
  });

  it("DeleteFlowLogs with a malformed id fails whole and deletes nothing", async () => {
    const { eniId } = await network(9);
    const id = (await h.ec2.send(cwl([eniId]))).FlowLogIds![0]!;
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [id, "fl-x"] })),
      "InvalidFlowLogId.Malformed",
      'Invalid id: "fl-x" (expecting "fl-...")',
    );
  });

  it("CreateFlowLogs with a ClientToken replays the first answer", async () => {
    const { eniId } = await network(10);
    const a = await h.ec2.send(cwl([eniId], { ClientToken: "same" }));
    const b = await h.ec2.send(cwl([eniId], { ClientToken: "same" }));
    assert.deepEqual(b.FlowLogIds, a.FlowLogIds);
    assert.deepEqual(b.Unsuccessful ?? [], []);
  });

  describe("request-level rules create nothing", () => {
    const s3 = {
      LogDestinationType: "s3" as const,
      LogGroupName: undefined,
      DeliverLogsPermissionArn: undefined,
      LogDestination: "arn:aws:s3:::bkt",
    };
    const cases: [name: string, over: Partial<CreateFlowLogsCommandInput>, code: string, message: string][] = [
      [
        "interval 120",
        { MaxAggregationInterval: 120 },
        "InvalidParameter",
        "Invalid Flow Log Max Aggregation Interval 120. Valid values are 60 and 600.",
      ],
      [
        "unknown format field",
        { LogFormat: "${srcaddr} ${bogus}" },
        "InvalidParameter",
        "Unknown fields provided: ${bogus}. Specify fields as ${field-id} separated by spaces.",
      ],
      ["blank format", { LogFormat: " " }, "InvalidParameter", "LogFormat must include at least one field."],
      [
        "group name and destination",
        { LogDestination: "arn:aws:logs:us-east-1:000000000000:log-group:x" },
        "InvalidParameter",
        "Please only provide LogGroupName or only provide LogDestination.",
      ],
      ["no destination", { LogGroupName: undefined }, "InvalidParameter", "LogDestination can't be empty if LogGroupName is not provided."],
      [
        "no role",
        { DeliverLogsPermissionArn: undefined },
        "InvalidParameter",
        "DeliverLogsPermissionArn is required when the log destination type is cloud-watch-logs.",
      ],
      [
        "bad log group ARN",
        { LogGroupName: undefined, LogDestination: "arn:aws:s3:::bkt" },
        "InvalidParameter",
        "LogDestination: arn:aws:s3:::bkt is not a valid CloudWatch Logs log group ARN.",
      ],
      ["no traffic type", { TrafficType: undefined }, "MissingParameter", "The request must contain the parameter TrafficType"],
      [
        "s3 AWSLogs folder",
        { ...s3, LogDestination: "arn:aws:s3:::bkt/AWSLogs" },
        "InvalidParameter",
        "LogDestination: arn:aws:s3:::bkt/AWSLogs cannot use AWSLogs as a subfolder name.",
      ],
      [
        "s3 with a role",
        { ...s3, DeliverLogsPermissionArn: ROLE },
        "InvalidParameter",
        "DeliverLogsPermissionArn is not applicable for s3 delivery.",
      ],
      [
        "s3 with a group",
        { ...s3, LogGroupName: "g" },
        "InvalidParameter",
        "LogGroupName is only valid when the log destination type is cloud-watch-logs.",
      ],
      [
        "s3 parquet",
        { ...s3, DestinationOptions: { FileFormat: "parquet" } },
        "UnsupportedOperation",
        "The parquet file format is not supported by localvpc yet; use plain-text.",
      ],
      [
        "options with cloud-watch-logs",
        { DestinationOptions: { PerHourPartition: true } },
        "InvalidParameter",
        "DestinationOptions are only valid when the log destination type is s3.",
      ],
      [
        "firehose",
        {
          LogDestinationType: "kinesis-data-firehose",
          LogGroupName: undefined,
          LogDestination: "arn:aws:firehose:us-east-1:000000000000:deliverystream:s",
        },
        "UnsupportedOperation",
        "The kinesis-data-firehose log destination type is not supported by localvpc yet (cloud-watch-logs and s3 are).",
      ],
      [
        "transit gateway",
        { ResourceType: "TransitGateway" },
        "UnsupportedOperation",
        "Flow logs for ResourceType TransitGateway are not supported by localvpc yet (VPC, Subnet and NetworkInterface are).",
      ],
      [
        "bad tag resource type",
        { TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "a", Value: "b" }] }] },
        "InvalidParameterValue",
        /vpc/,
      ],
    ] as never;
    for (const [name, over, code, message] of cases) {
      it(name, async () => {
        const { eniId } = await network(20);
        await expectErrorNoChange(h, () => h.ec2.send(cwl([eniId], over)), code, message);
      });
    }
  });

  it("DryRun validates without creating", async () => {
    const { eniId } = await network(11);
    await expectErrorNoChange(
      h,
      () => h.ec2.send(cwl([eniId], { DryRun: true })),
      "DryRunOperation",
      "Request would have succeeded, but DryRun flag is set.",
      412,
    );
  });
});
