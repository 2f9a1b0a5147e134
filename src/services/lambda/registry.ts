/** Every Lambda operation localvpc builds, by name (the pipeline answers the model's other operations "not implemented"). */
import type { ServiceAction } from "../common/pipeline.js";
import { LAMBDA_ACTIONS, type LambdaContext } from "./actions.js";
import { LAMBDA_FEATURE_READS } from "./feature-reads.js";

export const LAMBDA_OPERATIONS: ReadonlyMap<string, ServiceAction<LambdaContext>> = new Map([
  ...LAMBDA_ACTIONS,
  ...LAMBDA_FEATURE_READS.map((a): [string, ServiceAction<LambdaContext>] => [a.name, a]),
]);
