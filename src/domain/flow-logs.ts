/**
 * Flow log rules (shared/spec/ec2-networking.md group E, dataplane.md §1): a flow log's configuration as it is
 * created (and never changed after: VPC-UG "Flow log limitations"), duplicates, which traffic it keeps, capture
 * windows on the simulated clock, merging of aggregates, and where records go (CloudWatch Logs log stream names,
 * the S3 key layout). Pure: ids, `now` and hashes are passed in.
 */
import { err } from "./errors.js";
import type { FlowAction } from "./flow-observation.js";
import { DEFAULT_LOG_FORMAT, parseLogFormat, type FlowAggregate } from "./flow-log-format.js";
import type { FlowLogRecord } from "./types.js";

export type FlowLogResourceType = FlowLogRecord["resourceType"];
export type TrafficType = FlowLogRecord["trafficType"];

/** What CreateFlowLogs asked for (wire members, already parsed), minus the resources. */
export interface FlowLogRequest {
  readonly resourceType: string;
  readonly trafficType?: string | undefined;
  readonly logDestinationType?: string | undefined;
  readonly logDestination?: string | undefined;
  readonly logGroupName?: string | undefined;
  readonly deliverLogsPermissionArn?: string | undefined;
  readonly logFormat?: string | undefined;
  readonly maxAggregationInterval?: number | undefined;
  readonly destinationOptions?:
    | {
        readonly FileFormat?: string | undefined;
        readonly HiveCompatiblePartitions?: boolean | undefined;
        readonly PerHourPartition?: boolean | undefined;
      }
    | undefined;
  readonly resourceCount: number;
}

/** The configuration every flow log of one CreateFlowLogs call shares. */
export type FlowLogConfig = Omit<FlowLogRecord, "kind" | "id" | "tags" | "resourceId" | "vpcId" | "subnetId" | "creationTime">;

const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+?)(?::\*)?$/;
const S3_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** The bucket and optional folder (without slashes at either end) of an S3 destination ARN. */
export const parseS3Destination = (arn: string): { bucket: string; folder: string } => {
  const m = S3_ARN.exec(arn);
  if (!m) throw err.flowLogInvalidS3Destination(arn);
  const folder = (m[2] ?? "").replace(/^\/+|\/+$/g, "");
  // ec2-shapes.md CreateFlowLogs LogDestination: "Note that you can't use AWSLogs as a subfolder name."
  if (folder.split("/").includes("AWSLogs")) throw err.flowLogAwsLogsFolder(arn);
  return { bucket: m[1]!, folder };
};

/** The log group ARN CloudWatch Logs gives a group (DescribeFlowLogs shows it as logDestination). */
export const logGroupArn = (region: string, account: string, name: string): string => `arn:aws:logs:${region}:${account}:log-group:${name}`;

/**
 * Validates a CreateFlowLogs request as a whole (before any resource) and returns the shared configuration.
 * Per-resource problems (unknown ids, duplicates) are the caller's, reported in `unsuccessful`.
 */
export const flowLogConfig = (r: FlowLogRequest, scope: { account: string; region: string }): FlowLogConfig => {
  if (r.resourceType !== "VPC" && r.resourceType !== "Subnet" && r.resourceType !== "NetworkInterface") {
    throw err.flowLogResourceTypeUnsupported(r.resourceType);
  }
  const resourceType: FlowLogResourceType = r.resourceType;
  if (r.resourceCount > 300) throw err.flowLogTooManyResources(r.resourceCount);
  if (r.trafficType === undefined) throw err.missingParameter("TrafficType");
  const trafficType = r.trafficType as TrafficType;
  const destinationType = r.logDestinationType ?? "cloud-watch-logs";
  if (destinationType === "kinesis-data-firehose") throw err.flowLogFirehoseUnsupported();
  const interval = r.maxAggregationInterval ?? 600;
  if (interval !== 60 && interval !== 600) throw err.flowLogInvalidInterval(interval);
  const logFormat = r.logFormat ?? DEFAULT_LOG_FORMAT;
  parseLogFormat(logFormat);
  if (destinationType === "cloud-watch-logs") {
    if (r.destinationOptions !== undefined) throw err.flowLogDestinationOptionsNotS3();
    if (r.logGroupName !== undefined && r.logDestination !== undefined) throw err.flowLogGroupAndDestination();
    let groupName = r.logGroupName;
    if (groupName === undefined) {
      if (r.logDestination === undefined) throw err.flowLogNoDestination();
      const m = LOG_GROUP_ARN.exec(r.logDestination);
      if (!m) throw err.flowLogInvalidLogGroupArn(r.logDestination);
      if (m[1] !== scope.region || m[2] !== scope.account) throw err.flowLogCrossAccountLogGroup(r.logDestination);
      groupName = m[3]!;
    }
    if (groupName === "" || groupName.length > 512) throw err.flowLogInvalidLogGroupName(groupName);
    if (r.deliverLogsPermissionArn === undefined) throw err.flowLogPermissionArnRequired();
    return {
      resourceType,
      trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroupArn(scope.region, scope.account, groupName),
      logGroupName: groupName,
      deliverLogsPermissionArn: r.deliverLogsPermissionArn,
      logFormat,
      maxAggregationInterval: interval,
    };
  }
  // s3
  if (r.logGroupName !== undefined) throw err.flowLogGroupNameNotCloudWatch();
  if (r.logDestination === undefined) throw err.flowLogNoDestination();
  if (r.deliverLogsPermissionArn !== undefined) throw err.flowLogPermissionArnNotS3();
  parseS3Destination(r.logDestination);
  const o = r.destinationOptions;
  if (o?.FileFormat === "parquet") throw err.flowLogParquetUnsupported();
  return {
    resourceType,
    trafficType,
    logDestinationType: "s3",
    logDestination: r.logDestination,
    logFormat,
    maxAggregationInterval: interval,
    destinationOptions: {
      fileFormat: "plain-text",
      hiveCompatiblePartitions: o?.HiveCompatiblePartitions ?? false,
      perHourPartition: o?.PerHourPartition ?? false,
    },
  };
};

/**
 * "There is an existing Flow Log with the same configuration and log destination" (FlowLogAlreadyExists): the same
 * resource, traffic type and destination. localvpc's reading of "configuration"; a second flow log of the same
 * resource to another destination (or with another traffic type) is allowed, as AWS allows two per resource.
 */
export const isDuplicateFlowLog = (existing: FlowLogRecord, resourceId: string, c: FlowLogConfig): boolean =>
  existing.resourceId === resourceId &&
  existing.trafficType === c.trafficType &&
  existing.logDestinationType === c.logDestinationType &&
  existing.logDestination === c.logDestination;

/** Does a flow log with this traffic type keep a flow with this action? */
export const keepsAction = (trafficType: TrafficType, action: FlowAction): boolean => trafficType === "ALL" || trafficType === action;

/** Does the flow log monitor this ENI (ENI-, subnet- or VPC-level)? */
export const monitors = (f: FlowLogRecord, eni: { eniId: string; subnetId: string; vpcId: string }): boolean =>
  f.resourceId === eni.eniId || f.resourceId === eni.subnetId || f.resourceId === eni.vpcId;

/** The capture window a moment falls in: windows are aligned to multiples of the interval on the simulated clock. */
export const windowStartMs = (atMs: number, intervalSec: number): number => {
  const w = intervalSec * 1000;
  return Math.floor(atMs / w) * w;
};

/** Merges two aggregates of the same flow (same ENI, tuple, direction, action): counters add, flags OR. */
export const mergeAggregates = (a: FlowAggregate, b: FlowAggregate): FlowAggregate => ({
  ...a,
  packets: a.packets + b.packets,
  bytes: a.bytes + b.bytes,
  startSec: Math.min(a.startSec, b.startSec),
  endSec: Math.max(a.endSec, b.endSec),
  tcpFlags: a.tcpFlags | b.tcpFlags,
  instanceId: b.instanceId ?? a.instanceId,
  trafficPath: a.trafficPath ?? b.trafficPath,
});

/** The identity of a flow within a window (everything a record line can show that does not add up). */
export const flowKey = (a: FlowAggregate): string =>
  `${a.eniId}|${a.direction}|${a.srcAddr}|${a.dstAddr}|${a.srcPort}|${a.dstPort}|${a.protocol}|${a.action}|${a.pktSrcAddr}|${a.pktDstAddr}|${a.instanceId ?? ""}`;

/**
 * The CloudWatch Logs stream a flow log writes an ENI's records to: "each network interface has a unique log stream"
 * (CreateFlowLogs doc), named `<eni-id>-<traffic type>` (`eni-…-all`, `-accept`, `-reject`) as AWS names them.
 */
export const logStreamName = (eniId: string, trafficType: TrafficType): string => `${eniId}-${trafficType.toLowerCase()}`;

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/**
 * The S3 object key of one delivered log file (VPC-UG `flow-logs-s3.md`):
 * `[folder/]AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD[/HH]/ACCOUNT_vpcflowlogs_REGION_FLOWLOGID_YYYYMMDDTHHmmZ_HASH.log.gz`,
 * or with Hive-compatible prefixes `AWSLogs/aws-account-id=ACCOUNT/aws-service=vpcflowlogs/aws-region=REGION/year=YYYY/
 * month=MM/day=DD[/hour=HH]/…`. The file's timestamp is the delivery time rounded down to five minutes.
 */
export const s3ObjectKey = (o: {
  readonly folder: string;
  readonly account: string;
  readonly region: string;
  readonly flowLogId: string;
  readonly deliveredAt: Date;
  readonly hash: string;
  readonly hive: boolean;
  readonly perHour: boolean;
}): string => {
  const d = o.deliveredAt;
  const [y, mo, day, h] = [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours())];
  const minute = pad(Math.floor(d.getUTCMinutes() / 5) * 5);
  const parts = o.hive
    ? [`aws-account-id=${o.account}`, "aws-service=vpcflowlogs", `aws-region=${o.region}`, `year=${y}`, `month=${mo}`, `day=${day}`]
    : [o.account, "vpcflowlogs", o.region, y, mo, day];
  if (o.perHour) parts.push(o.hive ? `hour=${h}` : h);
  const file = `${o.account}_vpcflowlogs_${o.region}_${o.flowLogId}_${y}${mo}${day}T${h}${minute}Z_${o.hash}.log.gz`;
  return [...(o.folder ? [o.folder] : []), "AWSLogs", ...parts, file].join("/");
};
