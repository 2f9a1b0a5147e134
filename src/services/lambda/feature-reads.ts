/**
 * The reads Terraform's aws_lambda_function (and the aws_lambda_function data source) sends besides GetFunction
 * (issue 20; docs/terraform-call-sequences-services.md). localvpc keeps one version ($LATEST) and none of these
 * features, so each answers what AWS answers for a function that has none of them configured:
 * - ListVersionsByFunction: only `$LATEST`, its FunctionArn qualified with `:$LATEST` (the provider takes the last
 *   entry as `version` / `qualified_arn`).
 * - GetFunctionCodeSigningConfig: no config, so `CodeSigningConfigArn` is empty (both members are required in the model).
 * - GetFunctionConcurrency: no reserved concurrency, so an empty object.
 * - GetPolicy, GetFunctionUrlConfig: ResourceNotFoundException "The resource you requested does not exist.".
 * - GetRuntimeManagementConfig: `Auto` (AWS's default mode; RuntimeVersionArn is only answered for `Manual`).
 * - GetFunctionRecursionConfig: `Terminate` (AWS's default: recursive loops are stopped).
 * The writes that would configure these features are not built: the pipeline answers them "not implemented".
 */
import { err } from "../../domain/errors.js";
import type { ServiceAction } from "../common/pipeline.js";
import { mustFunction, view, type LambdaContext } from "./actions.js";

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const fn = (input: Input): string => str(input["FunctionName"])!;

const ListVersionsByFunction: ServiceAction<LambdaContext> = {
  name: "ListVersionsByFunction",
  mutates: false,
  params: ["FunctionName", "Marker", "MaxItems"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustFunction(ctx, fn(input));
    // One version, so this service never hands out a marker: any marker is not one of ours.
    if (input["Marker"] !== undefined) throw err.lambdaInvalidMarker();
    const latest = view(ctx, f);
    return { Versions: [{ ...latest, FunctionArn: `${f.id}:$LATEST` }] };
  },
};

const GetFunctionCodeSigningConfig: ServiceAction<LambdaContext> = {
  name: "GetFunctionCodeSigningConfig",
  mutates: false,
  params: ["FunctionName"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustFunction(ctx, fn(input));
    // No code signing config attached: the ARN is empty. // unverified beyond the model's required members
    return { CodeSigningConfigArn: "", FunctionName: f.name };
  },
};

const GetFunctionConcurrency: ServiceAction<LambdaContext> = {
  name: "GetFunctionConcurrency",
  mutates: false,
  params: ["FunctionName"],
  run(input: Input, ctx: LambdaContext) {
    mustFunction(ctx, fn(input));
    // AWS: "If the function has no reserved concurrency, the response omits ReservedConcurrentExecutions."
    return {};
  },
};

const GetPolicy: ServiceAction<LambdaContext> = {
  name: "GetPolicy",
  mutates: false,
  params: ["FunctionName", "Qualifier"],
  run(input: Input, ctx: LambdaContext) {
    mustFunction(ctx, fn(input), str(input["Qualifier"]));
    // AddPermission is not built, so no function has a resource-based policy.
    throw err.lambdaResourceDoesNotExist();
  },
};

const GetFunctionUrlConfig: ServiceAction<LambdaContext> = {
  name: "GetFunctionUrlConfig",
  mutates: false,
  params: ["FunctionName", "Qualifier"],
  run(input: Input, ctx: LambdaContext) {
    mustFunction(ctx, fn(input), str(input["Qualifier"]));
    // CreateFunctionUrlConfig is not built, so no function has a URL.
    throw err.lambdaResourceDoesNotExist();
  },
};

const GetRuntimeManagementConfig: ServiceAction<LambdaContext> = {
  name: "GetRuntimeManagementConfig",
  mutates: false,
  params: ["FunctionName", "Qualifier"],
  run(input: Input, ctx: LambdaContext) {
    const f = mustFunction(ctx, fn(input), str(input["Qualifier"]));
    return { UpdateRuntimeOn: "Auto", FunctionArn: f.id };
  },
};

const GetFunctionRecursionConfig: ServiceAction<LambdaContext> = {
  name: "GetFunctionRecursionConfig",
  mutates: false,
  params: ["FunctionName"],
  run(input: Input, ctx: LambdaContext) {
    mustFunction(ctx, fn(input));
    return { RecursiveLoop: "Terminate" };
  },
};

export const LAMBDA_FEATURE_READS: readonly ServiceAction<LambdaContext>[] = [
  ListVersionsByFunction,
  GetFunctionCodeSigningConfig,
  GetFunctionConcurrency,
  GetPolicy,
  GetFunctionUrlConfig,
  GetRuntimeManagementConfig,
  GetFunctionRecursionConfig,
];
