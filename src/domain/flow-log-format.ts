/**
 * Flow log record formats (shared/spec/dataplane.md §1.2–§1.3): the default version-2 format, custom `${field}`
 * formats with the v3–v5 (and v7 ECS) fields, the record's version, and one record line per aggregated flow.
 * Pure: no clock, no I/O. A field that does not apply (or localvpc cannot know, such as the ECS task metadata) is `-`,
 * as AWS writes it.
 */
import { err } from "./errors.js";
import type { FlowAction, FlowDirection } from "./flow-observation.js";

/** Every field of a VPC flow log record and the version that introduced it (VPC-UG "Available fields"). */
export const FLOW_LOG_FIELDS: Readonly<Record<string, number>> = {
  version: 2,
  "account-id": 2,
  "interface-id": 2,
  srcaddr: 2,
  dstaddr: 2,
  srcport: 2,
  dstport: 2,
  protocol: 2,
  packets: 2,
  bytes: 2,
  start: 2,
  end: 2,
  action: 2,
  "log-status": 2,
  "vpc-id": 3,
  "subnet-id": 3,
  "instance-id": 3,
  "tcp-flags": 3,
  type: 3,
  "pkt-srcaddr": 3,
  "pkt-dstaddr": 3,
  region: 4,
  "az-id": 4,
  "sublocation-type": 4,
  "sublocation-id": 4,
  "pkt-src-aws-service": 5,
  "pkt-dst-aws-service": 5,
  "flow-direction": 5,
  "traffic-path": 5,
  "ecs-cluster-arn": 7,
  "ecs-cluster-name": 7,
  "ecs-container-instance-arn": 7,
  "ecs-container-instance-id": 7,
  "ecs-container-id": 7,
  "ecs-second-container-id": 7,
  "ecs-service-name": 7,
  "ecs-task-definition-arn": 7,
  "ecs-task-arn": 7,
  "ecs-task-id": 7,
};

/** The default format: the version-2 fields in table order (it cannot be customised). */
export const DEFAULT_LOG_FORMAT =
  "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

/** A parsed log format: its fields in order and the version its records carry. */
export interface LogFormat {
  readonly fields: readonly string[];
  readonly version: number;
}

/**
 * Parses a `LogFormat` parameter: `${field}` tokens separated by spaces, at least one, each a known field. The record
 * version is the highest version among the fields (VPC-UG: "fields from v2+v3+v4 → 4").
 */
export const parseLogFormat = (format: string): LogFormat => {
  const tokens = format.split(/\s+/).filter((t) => t !== "");
  if (tokens.length === 0) throw err.flowLogFormatEmpty();
  const fields: string[] = [];
  let version = 2;
  for (const token of tokens) {
    const m = /^\$\{([a-z0-9-]+)\}$/.exec(token);
    const field = m?.[1];
    const v = field === undefined ? undefined : FLOW_LOG_FIELDS[field];
    if (field === undefined || v === undefined) throw err.flowLogFormatInvalidField(token);
    fields.push(field);
    version = Math.max(version, v);
  }
  return { fields, version };
};

/** One aggregated flow of one ENI in one capture window: what a record line is rendered from. */
export interface FlowAggregate {
  readonly account: string;
  readonly region: string;
  readonly eniId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly instanceId?: string | undefined;
  readonly availabilityZoneId?: string | undefined;
  readonly direction: FlowDirection;
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly pktSrcAddr: string;
  readonly pktDstAddr: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  /** Unix seconds of the first and last packet in the window. */
  readonly startSec: number;
  readonly endSec: number;
  readonly action: FlowAction;
  readonly tcpFlags: number;
  readonly trafficPath?: number | undefined;
  readonly pktSrcAwsService?: string | undefined;
  readonly pktDstAwsService?: string | undefined;
  /** A NODATA or SKIPDATA record (issue 21, domain/flow-log-status.ts); absent for a flow (`OK`). */
  readonly logStatus?: "NODATA" | "SKIPDATA" | undefined;
}

/**
 * The fields a NODATA/SKIPDATA record fills: the interface's own and the window. Every other field is about packets
 * and is `-` (AWS's examples: `2 123456789010 eni-… - - - - - - - 1431280876 1431280934 - NODATA`).
 */
const STATUS_RECORD_FIELDS: ReadonlySet<string> = new Set([
  "version",
  "account-id",
  "interface-id",
  "start",
  "end",
  "log-status",
  "vpc-id",
  "subnet-id",
  "instance-id",
  "region",
  "az-id",
]);

const dash = (v: string | number | undefined): string => (v === undefined || v === "" ? "-" : String(v));

/** The value of one field for one aggregate. */
export const fieldValue = (field: string, a: FlowAggregate, version: number): string => {
  if (a.logStatus !== undefined && !STATUS_RECORD_FIELDS.has(field)) return "-";
  switch (field) {
    case "version":
      return String(version);
    case "account-id":
      return a.account;
    case "interface-id":
      return a.eniId;
    case "srcaddr":
      return a.srcAddr;
    case "dstaddr":
      return a.dstAddr;
    case "srcport":
      return String(a.srcPort);
    case "dstport":
      return String(a.dstPort);
    case "protocol":
      return String(a.protocol);
    case "packets":
      return String(a.packets);
    case "bytes":
      return String(a.bytes);
    case "start":
      return String(a.startSec);
    case "end":
      return String(a.endSec);
    case "action":
      return a.action;
    case "log-status":
      return a.logStatus ?? "OK";
    case "vpc-id":
      return a.vpcId;
    case "subnet-id":
      return a.subnetId;
    case "instance-id":
      return dash(a.instanceId);
    case "tcp-flags":
      return String(a.tcpFlags);
    case "type":
      return a.srcAddr.includes(":") ? "IPv6" : "IPv4";
    case "pkt-srcaddr":
      return a.pktSrcAddr;
    case "pkt-dstaddr":
      return a.pktDstAddr;
    case "region":
      return a.region;
    case "az-id":
      return dash(a.availabilityZoneId);
    case "pkt-src-aws-service":
      return dash(a.pktSrcAwsService);
    case "pkt-dst-aws-service":
      return dash(a.pktDstAwsService);
    case "flow-direction":
      return a.direction;
    case "traffic-path":
      // Egress only (FLOWREC: "check flow-direction"); `-` on ingress records.
      return a.direction === "egress" ? dash(a.trafficPath) : "-";
    default:
      // sublocation-type/-id (no Wavelength, Outposts or Local Zones here) and the v7 ECS task metadata.
      return "-";
  }
};

/** One record line: the format's fields separated by single spaces. */
export const formatRecord = (format: LogFormat, a: FlowAggregate): string => {
  let line = "";
  for (let i = 0; i < format.fields.length; i++) {
    if (i > 0) line += " ";
    line += fieldValue(format.fields[i]!, a, format.version);
  }
  return line;
};

/** The header line of an S3 log file: the field names in format order. */
export const formatHeader = (format: LogFormat): string => format.fields.join(" ");
