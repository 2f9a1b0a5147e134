/**
 * `--from lambda:NAME` (issue 17): a function's traffic leaves through its Hyperplane ENI, with that ENI's security
 * groups and its subnet's routes and NACL. A function in several subnets has one ENI per subnet; AWS spreads its
 * execution environments over them, and localvpc sends from the first subnet of the VpcConfig (deterministic probes).
 */
import { err } from "../domain/errors.js";
import { combinationsOf, functionArn, lifecycleAt } from "../domain/lambda.js";
import { partitionOf } from "../domain/regions.js";
import type { Scope, Tx } from "../store/store.js";

export const LAMBDA_PREFIX = "lambda:";

/** The ENI id a `lambda:NAME` endpoint sends from, or undefined when `from` names no function. */
export const lambdaSourceEni = (tx: Tx, scope: Scope, from: string, now: Date): string | undefined => {
  if (!from.startsWith(LAMBDA_PREFIX)) return undefined;
  const name = from.slice(LAMBDA_PREFIX.length);
  const f = tx.get("lambda-function", functionArn(partitionOf(scope.region), scope.region, scope.account, name));
  if (!f) throw err.trafficEndpoint("--from", from);
  const vpc = f.config.vpc;
  // A function outside any VPC runs in Lambda's own network, which localvpc does not model.
  if (!vpc) throw err.trafficLambdaNotInVpc(name);
  const state = lifecycleAt(f.lifecycle, now).state;
  if (state !== "Active") throw err.trafficLambdaNotActive(name, state);
  for (const c of combinationsOf(vpc)) {
    const h = tx.get("lambda-hyperplane-eni", c.key);
    if (h) return h.networkInterfaceId;
  }
  throw err.trafficLambdaNotActive(name, state);
};
