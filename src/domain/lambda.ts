/**
 * Lambda's rules (issue 17), pure: function names and ARNs, VpcConfig checks, the Hyperplane ENI combinations, the
 * function's lifecycle on the simulated clock, and the wire view of a function. No I/O; `now` and lookups are passed in.
 *
 * The Hyperplane model, as the Lambda Developer Guide ("Giving Lambda functions access to resources in an Amazon
 * VPC") documents it: one network interface per unique combination of subnet and security groups in the account,
 * shared by every function with that combination; the function stays `Pending` while it is created; a function idle
 * long enough goes `Inactive` (its ENI reclaimed) and the next Invoke fails and sends it back to `Pending`.
 */
import { err } from "./errors.js";

/** How long a function stays Pending (and an update InProgress) before it settles, on the simulated clock. */
export const DEFAULT_ACTIVATION_MS = 1_000;
/**
 * How long Lambda keeps an unused Hyperplane ENI before deleting it. AWS documents no figure; the Lambda team told
 * Terraform's maintainers up to ~20 minutes (hashicorp/terraform-provider-aws, "Updated handling for Lambda Hyperplane
 * ENIs"), which is what users meet as DependencyViolation on DeleteSubnet/DeleteSecurityGroup. Unverified.
 */
export const HYPERPLANE_RELEASE_MS = 20 * 60_000;
/** Idle time after which a function goes Inactive. AWS says "idle long enough"; 14 days is the observed figure (unverified). */
export const IDLE_MS = 14 * 24 * 3600_000;

export type LambdaState = "Pending" | "Active" | "Inactive" | "Failed";
export type LambdaUpdateStatus = "Successful" | "Failed" | "InProgress";

export interface LambdaVpcConfig {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly ipv6AllowedForDualStack: boolean;
}

/** A function's configuration as the API sets it (camelCase; the view renders it in the model's PascalCase). */
export interface LambdaConfig {
  readonly runtime?: string | undefined;
  readonly role: string;
  readonly handler?: string | undefined;
  readonly description: string;
  readonly timeout: number;
  readonly memorySize: number;
  readonly packageType: "Zip" | "Image";
  readonly codeSha256: string;
  readonly codeSize: number;
  readonly imageUri?: string | undefined;
  readonly environment?: Readonly<Record<string, string>> | undefined;
  readonly architectures: readonly string[];
  readonly ephemeralStorage: number;
  readonly vpc?: LambdaVpcConfig | undefined;
  readonly lastModified: string;
  readonly revisionId: string;
}

/** Where a pending state or update ends (decided when it starts: e.g. the subnet had no free address). */
export interface LambdaOutcome {
  readonly ok: boolean;
  readonly reasonCode?: string | undefined;
  readonly reason?: string | undefined;
}

export interface LambdaLifecycle {
  readonly state: LambdaState;
  readonly stateReasonCode?: string | undefined;
  readonly stateReason?: string | undefined;
  readonly lastUpdateStatus: LambdaUpdateStatus;
  readonly lastUpdateStatusReasonCode?: string | undefined;
  readonly lastUpdateStatusReason?: string | undefined;
  /** When the Pending state or the InProgress update settles, and how. */
  readonly settlesAt?: string | undefined;
  readonly outcome?: LambdaOutcome | undefined;
  /** The last instant the function was invoked or became active: idleness counts from here. */
  readonly lastActiveAt: string;
}

// StateReason texts. "The function is being created." is AWS's (Lambda Developer Guide, "Lambda function states");
// the failure texts are unverified.
export const REASON_CREATING = "The function is being created.";
export const REASON_RESTORING = "The function is being restored."; // unverified
export const REASON_IDLE = "The function is inactive because it has been idle."; // unverified
export const REASON_SUBNET_FULL = (subnetId: string): string =>
  `Lambda was not able to create an ENI in the VPC of the Lambda function because the subnet ${subnetId} has no free IP address.`; // unverified
export const REASON_INVALID_SUBNET = (subnetId: string): string =>
  `The subnet ${subnetId} of the function's VPC configuration does not exist.`; // unverified
export const REASON_INVALID_GROUP = (groupId: string): string =>
  `The security group ${groupId} of the function's VPC configuration does not exist.`; // unverified

/** A function name, a full ARN or a partial ARN (`123456789012:function:name`), each with an optional qualifier. */
export interface FunctionRef {
  readonly name: string;
  readonly qualifier?: string | undefined;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

export const parseFunctionRef = (value: string): FunctionRef => {
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(value);
  if (full) return { region: full[1], account: full[2], name: full[3]!, qualifier: full[4] };
  const partial = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(value);
  if (partial) return { account: partial[1], name: partial[2]!, qualifier: partial[3] };
  const i = value.indexOf(":");
  return i < 0 ? { name: value } : { name: value.slice(0, i), qualifier: value.slice(i + 1) };
};

export const functionArn = (partition: string, region: string, account: string, name: string): string =>
  `arn:${partition}:lambda:${region}:${account}:function:${name}`;

/** A zip archive starts with a local file header, or is an empty archive (end-of-central-directory record only). */
export const isZipArchive = (bytes: Uint8Array): boolean =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));

/** The Hyperplane combination key: one ENI per (subnet, security-group set). */
export const hyperplaneKey = (subnetId: string, groupIds: readonly string[]): string =>
  `lambda-eni:${subnetId}:${[...new Set(groupIds)].sort().join(",")}`;

/** Every (subnet, group set) combination a VPC configuration needs. */
export const combinationsOf = (vpc: LambdaVpcConfig): { key: string; subnetId: string; groupIds: string[] }[] => {
  const groupIds = [...new Set(vpc.securityGroupIds)].sort();
  return [...new Set(vpc.subnetIds)].map((subnetId) => ({ key: hyperplaneKey(subnetId, groupIds), subnetId, groupIds }));
};

/**
 * Lambda's checks of a VpcConfig, in the order Lambda reports them: both lists or neither, every subnet and group
 * exists, the subnets share one VPC, every group is in it. Returns undefined for "no VPC" (both lists empty).
 */
export const checkVpcConfig = (
  input: {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
    readonly ipv6AllowedForDualStack?: boolean;
  },
  lookup: {
    readonly subnetVpc: (id: string) => string | undefined;
    readonly groupVpc: (id: string) => string | undefined;
  },
): LambdaVpcConfig | undefined => {
  const subnetIds = [...new Set(input.subnetIds)];
  const groupIds = [...new Set(input.securityGroupIds)];
  if (subnetIds.length === 0 && groupIds.length === 0) return undefined;
  if (subnetIds.length === 0 || groupIds.length === 0) throw err.lambdaVpcCoexist();
  const vpcs = new Set<string>();
  for (const s of subnetIds) {
    const v = lookup.subnetVpc(s);
    if (v === undefined) throw err.lambdaSubnetNotFound(s);
    vpcs.add(v);
  }
  const groupVpcs = new Map<string, string>();
  for (const g of groupIds) {
    const v = lookup.groupVpc(g);
    if (v === undefined) throw err.lambdaGroupNotFound(g);
    groupVpcs.set(g, v);
  }
  if (vpcs.size > 1) throw err.lambdaSubnetsDifferentVpcs();
  const vpcId = [...vpcs][0]!;
  for (const [g, v] of groupVpcs) if (v !== vpcId) throw err.lambdaGroupOtherVpc(g, vpcId);
  return { vpcId, subnetIds, securityGroupIds: groupIds, ipv6AllowedForDualStack: input.ipv6AllowedForDualStack ?? false };
};

/** The lifecycle of a function that starts Pending now (creation, or a wake from Inactive). */
export const pendingLifecycle = (now: Date, activationMs: number, outcome: LambdaOutcome, restoring = false): LambdaLifecycle => ({
  state: "Pending",
  stateReasonCode: restoring ? "Restoring" : "Creating",
  stateReason: restoring ? REASON_RESTORING : REASON_CREATING,
  lastUpdateStatus: "InProgress",
  lastUpdateStatusReasonCode: "Creating",
  lastUpdateStatusReason: REASON_CREATING,
  settlesAt: new Date(now.getTime() + activationMs).toISOString(),
  outcome,
  lastActiveAt: now.toISOString(),
});

/** The lifecycle of an Active function whose update starts now (UpdateFunctionConfiguration / UpdateFunctionCode). */
export const updatingLifecycle = (l: LambdaLifecycle, now: Date, activationMs: number, outcome: LambdaOutcome): LambdaLifecycle => ({
  state: l.state,
  stateReasonCode: l.stateReasonCode,
  stateReason: l.stateReason,
  lastUpdateStatus: "InProgress",
  lastUpdateStatusReasonCode: "Creating",
  lastUpdateStatusReason: REASON_CREATING,
  settlesAt: new Date(now.getTime() + activationMs).toISOString(),
  outcome,
  lastActiveAt: l.lastActiveAt,
});

/**
 * The lifecycle as it stands at `now`: a Pending state or InProgress update past its `settlesAt` takes its outcome
 * (Active/Successful, or Failed with the reason); an Active function idle for `IDLE_MS` is Inactive (reason Idle).
 */
export const lifecycleAt = (l: LambdaLifecycle, now: Date): LambdaLifecycle => {
  let cur = l;
  if (cur.settlesAt !== undefined && Date.parse(cur.settlesAt) <= now.getTime()) {
    const o = cur.outcome ?? { ok: true };
    const wasPending = cur.state === "Pending";
    // AWS: "If Lambda fails to recreate the resources, the function returns to the inactive state."
    const failedState: LambdaState = cur.stateReasonCode === "Restoring" ? "Inactive" : "Failed";
    cur = {
      state: wasPending ? (o.ok ? "Active" : failedState) : cur.state,
      stateReasonCode: wasPending ? (o.ok ? undefined : o.reasonCode) : cur.stateReasonCode,
      stateReason: wasPending ? (o.ok ? undefined : o.reason) : cur.stateReason,
      lastUpdateStatus: o.ok ? "Successful" : "Failed",
      lastUpdateStatusReasonCode: o.ok ? undefined : o.reasonCode,
      lastUpdateStatusReason: o.ok ? undefined : o.reason,
      lastActiveAt: wasPending ? cur.settlesAt : cur.lastActiveAt,
    };
  }
  if (cur.state === "Active" && cur.settlesAt === undefined && now.getTime() - Date.parse(cur.lastActiveAt) >= IDLE_MS) {
    cur = { ...cur, state: "Inactive", stateReasonCode: "Idle", stateReason: REASON_IDLE };
  }
  return cur;
};

/** When an Active function will go Inactive, if nothing invokes it (for the ENI reclaim). */
export const idleAt = (l: LambdaLifecycle): number => Date.parse(l.lastActiveAt) + IDLE_MS;

/** Refuses a change while the function is Pending or an update is InProgress (Lambda's ResourceConflictException). */
export const assertUpdatable = (l: LambdaLifecycle, arn: string): void => {
  if (l.state === "Pending") throw err.lambdaNotActive(arn, l.state, l.stateReasonCode ?? "Creating");
  if (l.lastUpdateStatus === "InProgress") throw err.lambdaUpdateInProgress(arn);
};

/** The canned answer of Invoke: the function's `LOCALVPC_INVOKE_RESPONSE` environment variable, else `{}`. */
export const INVOKE_RESPONSE_VARIABLE = "LOCALVPC_INVOKE_RESPONSE";
export const invokeResponse = (config: LambdaConfig): string => config.environment?.[INVOKE_RESPONSE_VARIABLE] ?? "{}";

/** The model's FunctionConfiguration for a function at `now`. */
export const functionConfigurationView = (
  f: { readonly name: string; readonly id: string; readonly config: LambdaConfig; readonly lifecycle: LambdaLifecycle },
  now: Date,
): Record<string, unknown> => {
  const c = f.config;
  const l = lifecycleAt(f.lifecycle, now);
  return {
    FunctionName: f.name,
    FunctionArn: f.id,
    Runtime: c.runtime,
    Role: c.role,
    Handler: c.handler,
    CodeSize: c.codeSize,
    Description: c.description,
    Timeout: c.timeout,
    MemorySize: c.memorySize,
    LastModified: c.lastModified,
    CodeSha256: c.codeSha256,
    Version: "$LATEST",
    VpcConfig: c.vpc
      ? {
          SubnetIds: [...c.vpc.subnetIds],
          SecurityGroupIds: [...c.vpc.securityGroupIds],
          VpcId: c.vpc.vpcId,
          Ipv6AllowedForDualStack: c.vpc.ipv6AllowedForDualStack,
        }
      : undefined,
    Environment: c.environment ? { Variables: { ...c.environment } } : undefined,
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: c.revisionId,
    State: l.state,
    StateReason: l.stateReason,
    StateReasonCode: l.stateReasonCode,
    LastUpdateStatus: l.lastUpdateStatus,
    LastUpdateStatusReason: l.lastUpdateStatusReason,
    LastUpdateStatusReasonCode: l.lastUpdateStatusReasonCode,
    PackageType: c.packageType,
    Architectures: [...c.architectures],
    EphemeralStorage: { Size: c.ephemeralStorage },
  };
};

/**
 * Lambda's `LastModified` form: ISO 8601 with milliseconds and a `+0000` offset (`2024-01-01T00:00:00.000+0000`), a
 * string shape in the model (not a timestamp).
 */
export const lambdaTimestamp = (d: Date): string => d.toISOString().replace("Z", "+0000");
