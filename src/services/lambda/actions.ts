/**
 * Lambda's operations (issue 17): functions (zip or image), their VPC configuration and Hyperplane ENIs, tags, and an
 * Invoke that answers a canned payload (its network effect is what localvpc emulates). Rules live in domain/lambda.ts;
 * the ENIs go through hyperplane.ts (EC2's seams). Every operation runs in one transaction of the EC2 store, so a
 * failed call changes nothing, except Invoke on an Inactive function, which AWS documents as failing *and* starting
 * the function's restore (`LambdaDeferredError`).
 */
import { uuidOf } from "../../domain/ids.js";
import { Ec2Error, err } from "../../domain/errors.js";
import {
  assertUpdatable,
  checkVpcConfig,
  functionArn,
  functionConfigurationView,
  invokeResponse,
  isZipArchive,
  lambdaTimestamp,
  lifecycleAt,
  parseFunctionRef,
  pendingLifecycle,
  updatingLifecycle,
  type LambdaConfig,
  type LambdaOutcome,
  type LambdaVpcConfig,
} from "../../domain/lambda.js";
import type { LambdaFunctionRecord } from "../../domain/types.js";
import type { ServiceAction } from "../common/pipeline.js";
import type { ActionContext } from "../ec2/seams.js";
import { acquireHyperplane, releaseHyperplane } from "./hyperplane.js";

export interface LambdaContext {
  /** EC2's context: the same transaction, ids and clock as an EC2 action (the ENIs are EC2's). */
  readonly ec2: ActionContext;
  readonly partition: string;
  /** How long Pending / InProgress last on the simulated clock. */
  readonly activationMs: number;
  /** base64 SHA-256 of bytes (Lambda's CodeSha256); injected so the rules stay free of Node APIs. */
  readonly sha256: (bytes: Uint8Array) => string;
}

/** An error that AWS answers *after* changing state (Invoke on an Inactive function): `effect` is committed alone. */
export class LambdaDeferredError extends Ec2Error {
  constructor(
    base: Ec2Error,
    readonly effect: (ctx: LambdaContext) => void,
  ) {
    super(base.code, base.message, base.status);
  }
}

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const stringMap = (v: unknown): Record<string, string> => {
  const o = obj(v) ?? {};
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === "string"));
};

const arnOf = (ctx: LambdaContext, name: string): string => functionArn(ctx.partition, ctx.ec2.scope.region, ctx.ec2.scope.account, name);

/**
 * The function a FunctionName (name, ARN or partial ARN) names, in the caller's scope; only `$LATEST` is kept, so
 * another qualifier names no function. Not found: "Function not found: <arn>".
 */
export const mustFunction = (ctx: LambdaContext, ref: string, qualifierParam?: string): LambdaFunctionRecord => {
  const r = parseFunctionRef(ref);
  const arn = arnOf(ctx, r.name);
  const qualifier = qualifierParam ?? r.qualifier;
  const foreign =
    (r.account !== undefined && r.account !== ctx.ec2.scope.account) || (r.region !== undefined && r.region !== ctx.ec2.scope.region);
  if (foreign) throw err.lambdaFunctionNotFound(ref);
  if (qualifier !== undefined && qualifier !== "$LATEST") throw err.lambdaQualifierUnsupported(`${arn}:${qualifier}`);
  const f = ctx.ec2.tx.get("lambda-function", arn);
  if (!f) throw err.lambdaFunctionNotFound(qualifier ? `${arn}:${qualifier}` : arn);
  return f;
};

/** A taggable resource ARN: only functions exist here. */
const mustTaggable = (ctx: LambdaContext, arn: string): LambdaFunctionRecord => {
  const f = ctx.ec2.tx.get("lambda-function", arn);
  if (!f) throw err.lambdaFunctionNotFound(arn);
  return f;
};

const revision = (ctx: LambdaContext): string => uuidOf(ctx.ec2.ids);

const vpcFromInput = (ctx: LambdaContext, v: unknown): LambdaVpcConfig | undefined => {
  const o = obj(v);
  if (!o) return undefined;
  const { tx } = ctx.ec2;
  return checkVpcConfig(
    {
      subnetIds: strings(o["SubnetIds"]),
      securityGroupIds: strings(o["SecurityGroupIds"]),
      ipv6AllowedForDualStack: o["Ipv6AllowedForDualStack"] === true,
    },
    { subnetVpc: (id) => tx.get("subnet", id)?.vpcId, groupVpc: (id) => tx.get("security-group", id)?.vpcId },
  );
};

/** The code of a ZipFile (base64 in the JSON body): its size and SHA-256, after checking it is a zip archive. */
const zipCode = (ctx: LambdaContext, zipBase64: string): { codeSize: number; codeSha256: string } => {
  const bytes = Buffer.from(zipBase64, "base64");
  if (!isZipArchive(bytes)) throw err.lambdaZipInvalid();
  return { codeSize: bytes.length, codeSha256: ctx.sha256(bytes) };
};

const imageCode = (ctx: LambdaContext, uri: string): { codeSize: number; codeSha256: string } => ({
  codeSize: 0,
  codeSha256: ctx.sha256(Buffer.from(uri, "utf8")),
});

const S3_CODE = ["S3Bucket", "S3Key", "S3ObjectVersion", "SourceKMSKeyArn"] as const;

const put = (ctx: LambdaContext, f: LambdaFunctionRecord): void => ctx.ec2.tx.put(f);
export const view = (ctx: LambdaContext, f: LambdaFunctionRecord): Record<string, unknown> => functionConfigurationView(f, ctx.ec2.now);

const CreateFunction: ServiceAction<LambdaContext> = {
  name: "CreateFunction",
  mutates: true,
  params: [
    "FunctionName",
    "Runtime",
    "Role",
    "Handler",
    "Code",
    "Description",
    "Timeout",
    "MemorySize",
    "VpcConfig",
    "PackageType",
    "Environment",
    "Tags",
    "Architectures",
    "EphemeralStorage",
    "Publish",
  ],
  run(input: Input, ctx: LambdaContext) {
    const now = ctx.ec2.now;
    // Only $LATEST exists here: Publish=false (what Terraform sends) is accepted, publishing a version is not.
    if (input["Publish"] === true) throw err.lambdaUnsupportedMember("Publish", "CreateFunction");
    const name = parseFunctionRef(str(input["FunctionName"])!).name;
    const arn = arnOf(ctx, name);
    if (ctx.ec2.tx.get("lambda-function", arn)) throw err.lambdaFunctionExists(name);
    const code = obj(input["Code"]) ?? {};
    for (const m of S3_CODE) if (code[m] !== undefined) throw err.lambdaCodeSourceUnsupported(m);
    const packageType = str(input["PackageType"]) === "Image" ? "Image" : "Zip";
    const zip = str(code["ZipFile"]);
    const imageUri = str(code["ImageUri"]);
    let sized: { codeSize: number; codeSha256: string };
    if (packageType === "Image") {
      if (imageUri === undefined) throw zip !== undefined ? err.lambdaPackageMismatch("Image") : err.lambdaImageUriRequired();
      sized = imageCode(ctx, imageUri);
    } else {
      if (zip === undefined) throw imageUri !== undefined ? err.lambdaPackageMismatch("Zip") : err.lambdaCodeMissing();
      if (input["Runtime"] === undefined || input["Handler"] === undefined) throw err.lambdaRuntimeHandlerRequired();
      sized = zipCode(ctx, zip);
    }
    const vpc = vpcFromInput(ctx, input["VpcConfig"]);
    const env = obj(input["Environment"]);
    const config: LambdaConfig = {
      runtime: str(input["Runtime"]),
      role: str(input["Role"])!,
      handler: str(input["Handler"]),
      description: str(input["Description"]) ?? "",
      timeout: num(input["Timeout"]) ?? 3,
      memorySize: num(input["MemorySize"]) ?? 128,
      packageType,
      ...sized,
      imageUri,
      environment: env ? stringMap(env["Variables"]) : undefined,
      architectures: strings(input["Architectures"]).length > 0 ? strings(input["Architectures"]) : ["x86_64"],
      ephemeralStorage: num(obj(input["EphemeralStorage"])?.["Size"]) ?? 512,
      vpc,
      lastModified: lambdaTimestamp(now),
      revisionId: revision(ctx),
    };
    const outcome: LambdaOutcome = vpc ? acquireHyperplane(ctx.ec2, arn, name, vpc) : { ok: true };
    const f: LambdaFunctionRecord = {
      kind: "lambda-function",
      id: arn,
      tags: [],
      name,
      vpcId: vpc?.vpcId,
      config,
      functionTags: stringMap(input["Tags"]),
      lifecycle: pendingLifecycle(now, ctx.activationMs, outcome),
    };
    put(ctx, f);
    return view(ctx, f);
  },
};

const GetFunction: ServiceAction<LambdaContext> = {
  name: "GetFunction",
  mutates: false,
  params: ["FunctionName", "Qualifier"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustFunction(ctx, str(input["FunctionName"])!, str(input["Qualifier"]));
    const { region, account } = ctx.ec2.scope;
    const code =
      f.config.packageType === "Image"
        ? { RepositoryType: "ECR", ImageUri: f.config.imageUri, ResolvedImageUri: f.config.imageUri }
        : {
            RepositoryType: "S3",
            // Where AWS would hand out a presigned URL of the package; localvpc keeps only its size and hash.
            Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${account}/${f.name}-${f.config.revisionId}`,
          };
    const tags = Object.keys(f.functionTags).length > 0 ? { ...f.functionTags } : undefined;
    return { Configuration: view(ctx, f), Code: code, Tags: tags };
  },
};

const GetFunctionConfiguration: ServiceAction<LambdaContext> = {
  name: "GetFunctionConfiguration",
  mutates: false,
  params: ["FunctionName", "Qualifier"],
  run: (input: Input, ctx: LambdaContext) => view(ctx, mustFunction(ctx, str(input["FunctionName"])!, str(input["Qualifier"]))),
};

const checkRevision = (f: LambdaFunctionRecord, revisionId: string | undefined): void => {
  if (revisionId !== undefined && revisionId !== f.config.revisionId) throw err.lambdaRevisionMismatch();
};

const UpdateFunctionConfiguration: ServiceAction<LambdaContext> = {
  name: "UpdateFunctionConfiguration",
  mutates: true,
  params: [
    "FunctionName",
    "Role",
    "Handler",
    "Description",
    "Timeout",
    "MemorySize",
    "VpcConfig",
    "Environment",
    "Runtime",
    "RevisionId",
    "EphemeralStorage",
  ],
  run(input: Input, ctx: LambdaContext) {
    const now = ctx.ec2.now;
    const f = mustFunction(ctx, str(input["FunctionName"])!);
    const lc = lifecycleAt(f.lifecycle, now);
    assertUpdatable(lc, f.id);
    checkRevision(f, str(input["RevisionId"]));
    let vpc = f.config.vpc;
    let outcome: LambdaOutcome = { ok: true };
    if (input["VpcConfig"] !== undefined) {
      const next = vpcFromInput(ctx, input["VpcConfig"]);
      if (next) outcome = acquireHyperplane(ctx.ec2, f.id, f.name, next);
      // The new combinations are held before the old ones are let go, so a shared ENI is never dropped in between.
      if (outcome.ok) {
        releaseHyperplane(ctx.ec2, f.id, f.config.vpc);
        vpc = next;
      }
    }
    const env = obj(input["Environment"]);
    const config: LambdaConfig = {
      ...f.config,
      role: str(input["Role"]) ?? f.config.role,
      handler: str(input["Handler"]) ?? f.config.handler,
      description: str(input["Description"]) ?? f.config.description,
      timeout: num(input["Timeout"]) ?? f.config.timeout,
      memorySize: num(input["MemorySize"]) ?? f.config.memorySize,
      runtime: str(input["Runtime"]) ?? f.config.runtime,
      environment: env ? stringMap(env["Variables"]) : f.config.environment,
      ephemeralStorage: num(obj(input["EphemeralStorage"])?.["Size"]) ?? f.config.ephemeralStorage,
      vpc,
      lastModified: lambdaTimestamp(now),
      revisionId: revision(ctx),
    };
    const next: LambdaFunctionRecord = {
      ...f,
      vpcId: vpc?.vpcId,
      config,
      lifecycle: updatingLifecycle(lc, now, ctx.activationMs, outcome),
    };
    put(ctx, next);
    return view(ctx, next);
  },
};

const UpdateFunctionCode: ServiceAction<LambdaContext> = {
  name: "UpdateFunctionCode",
  mutates: true,
  params: ["FunctionName", "ZipFile", "ImageUri", "RevisionId", "Architectures", "Publish", ...S3_CODE],
  run(input: Input, ctx: LambdaContext) {
    const now = ctx.ec2.now;
    if (input["Publish"] === true) throw err.lambdaUnsupportedMember("Publish", "UpdateFunctionCode");
    const f = mustFunction(ctx, str(input["FunctionName"])!);
    for (const m of S3_CODE) if (input[m] !== undefined) throw err.lambdaCodeSourceUnsupported(m);
    const lc = lifecycleAt(f.lifecycle, now);
    assertUpdatable(lc, f.id);
    checkRevision(f, str(input["RevisionId"]));
    const zip = str(input["ZipFile"]);
    const imageUri = str(input["ImageUri"]);
    let sized: { codeSize: number; codeSha256: string };
    if (f.config.packageType === "Image") {
      if (imageUri === undefined) throw err.lambdaPackageMismatch("Image");
      sized = imageCode(ctx, imageUri);
    } else {
      if (zip === undefined) throw imageUri !== undefined ? err.lambdaPackageMismatch("Zip") : err.lambdaCodeMissing();
      sized = zipCode(ctx, zip);
    }
    const archs = strings(input["Architectures"]);
    const config: LambdaConfig = {
      ...f.config,
      ...sized,
      imageUri: imageUri ?? f.config.imageUri,
      architectures: archs.length > 0 ? archs : f.config.architectures,
      lastModified: lambdaTimestamp(now),
      revisionId: revision(ctx),
    };
    const next: LambdaFunctionRecord = { ...f, config, lifecycle: updatingLifecycle(lc, now, ctx.activationMs, { ok: true }) };
    put(ctx, next);
    return view(ctx, next);
  },
};

const DeleteFunction: ServiceAction<LambdaContext> = {
  name: "DeleteFunction",
  mutates: true,
  params: ["FunctionName", "Qualifier"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustFunction(ctx, str(input["FunctionName"])!, str(input["Qualifier"]));
    releaseHyperplane(ctx.ec2, f.id, f.config.vpc);
    ctx.ec2.tx.delete(f.id);
    // AWS answers DeleteFunction with 204 and no body.
    return { StatusCode: 204 };
  },
};

/** ListFunctions' page cap: "returns a maximum of 50 items in each response, even if you set the number higher". */
const LIST_PAGE_MAX = 50;

const ListFunctions: ServiceAction<LambdaContext> = {
  name: "ListFunctions",
  mutates: false,
  params: ["Marker", "MaxItems"],
  run(input: Input, ctx: LambdaContext) {
    const max = Math.min(num(input["MaxItems"]) ?? LIST_PAGE_MAX, LIST_PAGE_MAX);
    const marker = str(input["Marker"]);
    let after: string | undefined;
    if (marker !== undefined) {
      // The marker is the last name answered, base64url-encoded; anything else is not a marker this service gave.
      after = Buffer.from(marker, "base64url").toString("utf8");
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(after) || Buffer.from(after, "utf8").toString("base64url") !== marker)
        throw err.lambdaInvalidMarker();
    }
    const all = ctx.ec2.tx
      .list("lambda-function")
      .filter((f) => after === undefined || f.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = all.slice(0, max);
    const more = all.length > page.length;
    return {
      Functions: page.map((f) => view(ctx, f)),
      NextMarker: more ? Buffer.from(page[page.length - 1]!.name, "utf8").toString("base64url") : undefined,
    };
  },
};

const TagResource: ServiceAction<LambdaContext> = {
  name: "TagResource",
  mutates: true,
  params: ["Resource", "Tags"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustTaggable(ctx, str(input["Resource"])!);
    put(ctx, { ...f, functionTags: { ...f.functionTags, ...stringMap(input["Tags"]) } });
    return {};
  },
};

const UntagResource: ServiceAction<LambdaContext> = {
  name: "UntagResource",
  mutates: true,
  params: ["Resource", "TagKeys"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustTaggable(ctx, str(input["Resource"])!);
    const drop = new Set(strings(input["TagKeys"]));
    put(ctx, { ...f, functionTags: Object.fromEntries(Object.entries(f.functionTags).filter(([k]) => !drop.has(k))) });
    return {};
  },
};

const ListTags: ServiceAction<LambdaContext> = {
  name: "ListTags",
  mutates: false,
  params: ["Resource"],
  run: (input: Input, ctx: LambdaContext) => ({ Tags: { ...mustTaggable(ctx, str(input["Resource"])!).functionTags } }),
};

const Invoke: ServiceAction<LambdaContext> = {
  name: "Invoke",
  mutates: true,
  params: ["FunctionName", "InvocationType", "LogType", "Payload", "Qualifier", "ClientContext"],
  run(input: Input, ctx: LambdaContext) {
    const now = ctx.ec2.now;
    const f = mustFunction(ctx, str(input["FunctionName"])!, str(input["Qualifier"]));
    const payload = str(input["Payload"]);
    if (payload !== undefined && payload.trim() !== "") {
      try {
        JSON.parse(payload);
      } catch {
        throw err.lambdaSerialization("Could not parse request body into json: the payload is not valid JSON."); // unverified
      }
    }
    const lc = lifecycleAt(f.lifecycle, now);
    if (lc.state === "Inactive") {
      // AWS: "When you try to invoke a function that is inactive, the invocation fails and Lambda sets the function to
      // pending state until the function resources are recreated."
      throw new LambdaDeferredError(err.lambdaNotActive(f.id, lc.state, lc.stateReasonCode ?? "Idle"), (c) => {
        const cur = c.ec2.tx.get("lambda-function", f.id);
        if (!cur) return;
        const outcome = cur.config.vpc ? acquireHyperplane(c.ec2, cur.id, cur.name, cur.config.vpc) : { ok: true };
        c.ec2.tx.put({ ...cur, lifecycle: pendingLifecycle(c.ec2.now, c.activationMs, outcome, true) });
      });
    }
    if (lc.state !== "Active") throw err.lambdaNotActive(f.id, lc.state, lc.stateReasonCode ?? "Creating");
    // Invocations keep a function from going idle.
    put(ctx, { ...f, lifecycle: { ...lc, lastActiveAt: now.toISOString() } });
    const type = str(input["InvocationType"]) ?? "RequestResponse";
    if (type === "Event") return { StatusCode: 202 };
    if (type === "DryRun") return { StatusCode: 204 };
    const requestId = uuidOf(ctx.ec2.ids);
    const log =
      str(input["LogType"]) === "Tail"
        ? Buffer.from(
            `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: ${f.config.memorySize} MB\tMax Memory Used: ${Math.min(64, f.config.memorySize)} MB\t\n`,
          ).toString("base64")
        : undefined;
    return { StatusCode: 200, ExecutedVersion: "$LATEST", LogResult: log, Payload: invokeResponse(f.config) };
  },
};

export const LAMBDA_ACTIONS: ReadonlyMap<string, ServiceAction<LambdaContext>> = new Map(
  [
    CreateFunction,
    GetFunction,
    GetFunctionConfiguration,
    UpdateFunctionConfiguration,
    UpdateFunctionCode,
    DeleteFunction,
    ListFunctions,
    TagResource,
    UntagResource,
    ListTags,
    Invoke,
  ].map((a) => [a.name, a]),
);
