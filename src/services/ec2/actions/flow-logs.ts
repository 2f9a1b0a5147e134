/**
 * VPC flow logs: CreateFlowLogs, DescribeFlowLogs, DeleteFlowLogs (shared/spec/ec2-networking.md group E). Rules are
 * in domain/flow-logs.ts; what the records say and where they are delivered is runtime/flow-recorder.ts.
 *
 * AWS answers per-resource problems of CreateFlowLogs (an unknown or malformed resource id, a duplicate, the
 * per-resource quota) and unknown ids of DeleteFlowLogs in `unsuccessful`, not as an error response; a request-level
 * problem (bad destination, format, interval) is an error and creates nothing.
 */
import { Ec2Error, err } from "../../../domain/errors.js";
import { flowLogConfig, isDuplicateFlowLog } from "../../../domain/flow-logs.js";
import { assertIdOf } from "../../../domain/ids.js";
import type { FlowLogRecord } from "../../../domain/types.js";
import type { FlowLog, UnsuccessfulItem } from "../../../protocol/model/shapes.js";
import { defineAction } from "../action.js";
import { describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

export const flowLogView = (f: FlowLogRecord): FlowLog => ({
  CreationTime: new Date(f.creationTime),
  DeliverLogsPermissionArn: f.deliverLogsPermissionArn,
  // Delivery into localvpc's own CloudWatch Logs / directory cannot fail for permissions.
  DeliverLogsStatus: "SUCCESS",
  FlowLogId: f.id,
  FlowLogStatus: "ACTIVE",
  LogGroupName: f.logGroupName,
  ResourceId: f.resourceId,
  TrafficType: f.trafficType,
  LogDestinationType: f.logDestinationType,
  LogDestination: f.logDestination,
  LogFormat: f.logFormat,
  Tags: tagView(f.tags),
  MaxAggregationInterval: f.maxAggregationInterval,
  DestinationOptions: f.destinationOptions
    ? {
        FileFormat: f.destinationOptions.fileFormat,
        HiveCompatiblePartitions: f.destinationOptions.hiveCompatiblePartitions,
        PerHourPartition: f.destinationOptions.perHourPartition,
      }
    : undefined,
});

const failure = (resourceId: string, e: Ec2Error): UnsuccessfulItem => ({
  ResourceId: resourceId,
  Error: { Code: e.code, Message: e.message },
});

const RESOURCE_KIND = { VPC: "vpc", Subnet: "subnet", NetworkInterface: "network-interface" } as const;

export const CreateFlowLogs = defineAction({
  name: "CreateFlowLogs",
  mutates: true,
  params: [
    "ClientToken",
    "DeliverLogsPermissionArn",
    "LogGroupName",
    "ResourceIds",
    "ResourceType",
    "TrafficType",
    "LogDestinationType",
    "LogDestination",
    "LogFormat",
    "TagSpecifications",
    "MaxAggregationInterval",
    "DestinationOptions",
  ],
  run(input, ctx) {
    const { tx } = ctx;
    const config = flowLogConfig(
      {
        resourceType: input.ResourceType,
        trafficType: input.TrafficType,
        logDestinationType: input.LogDestinationType,
        logDestination: input.LogDestination,
        logGroupName: input.LogGroupName,
        deliverLogsPermissionArn: input.DeliverLogsPermissionArn,
        logFormat: input.LogFormat,
        maxAggregationInterval: input.MaxAggregationInterval,
        destinationOptions: input.DestinationOptions,
        resourceCount: input.ResourceIds.length,
      },
      ctx.scope,
    );
    const tags = tagsFromSpecs(input.TagSpecifications, "vpc-flow-log", ctx);
    const kind = RESOURCE_KIND[config.resourceType];
    const flowLogIds: string[] = [];
    const unsuccessful: UnsuccessfulItem[] = [];
    for (const resourceId of input.ResourceIds) {
      try {
        const r = must(tx, kind, resourceId);
        const vpcId = r.kind === "vpc" ? r.id : r.vpcId;
        const subnetId = r.kind === "subnet" ? r.id : r.kind === "network-interface" ? r.subnetId : undefined;
        const existing = tx.list("flow-log", { vpcId }).filter((f) => f.resourceId === resourceId);
        if (existing.some((f) => isDuplicateFlowLog(f, resourceId, config))) throw err.flowLogAlreadyExists();
        if (existing.length >= ctx.quotas.flowLogsPerResource) throw err.flowLogsLimitExceeded(resourceId, ctx.quotas.flowLogsPerResource);
        const record: FlowLogRecord = {
          ...config,
          kind: "flow-log",
          id: ctx.ids.next("flowLog"),
          tags,
          resourceId,
          vpcId,
          subnetId,
          creationTime: ctx.now.toISOString(),
        };
        tx.put(record);
        flowLogIds.push(record.id);
      } catch (e) {
        if (!(e instanceof Ec2Error)) throw e;
        unsuccessful.push(failure(resourceId, e));
      }
    }
    return { ClientToken: input.ClientToken, FlowLogIds: flowLogIds, Unsuccessful: unsuccessful };
  },
});

export const DescribeFlowLogs = defineAction({
  name: "DescribeFlowLogs",
  mutates: false,
  params: ["Filter", "FlowLogIds", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: ctx.tx.list("flow-log"),
      idOf: (f) => f.id,
      ids: input.FlowLogIds,
      idKind: "flowLog",
      // [INFERRED] an unknown flow log id is not an error for DescribeFlowLogs: it matches nothing.
      idsParam: "flowLogId",
      filters: input.Filter,
      table: {
        "deliver-log-status": () => "SUCCESS",
        "log-destination-type": (f) => f.logDestinationType,
        "flow-log-id": (f) => f.id,
        "log-group-name": (f) => f.logGroupName,
        "resource-id": (f) => f.resourceId,
        "traffic-type": (f) => f.trafficType,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { FlowLogs: page.items.map(flowLogView), NextToken: page.nextToken };
  },
});

export const DeleteFlowLogs = defineAction({
  name: "DeleteFlowLogs",
  mutates: true,
  params: ["FlowLogIds"],
  run(input, ctx) {
    const { tx } = ctx;
    // A malformed id fails the whole request (nothing is deleted); an unknown one is reported in `unsuccessful`.
    for (const id of input.FlowLogIds) assertIdOf("flowLog", id);
    const unsuccessful: UnsuccessfulItem[] = [];
    for (const id of new Set(input.FlowLogIds)) {
      if (tx.get("flow-log", id)) tx.delete(id);
      else unsuccessful.push(failure(id, err.flowLogNotFound(id)));
    }
    return { Unsuccessful: unsuccessful };
  },
});

export const FLOW_LOG_ACTIONS = [CreateFlowLogs, DescribeFlowLogs, DeleteFlowLogs];
