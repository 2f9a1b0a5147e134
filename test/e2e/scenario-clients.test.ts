/**
 * The scenarios' own clients for Lambda (REST-JSON) and ELBv2 (Query), src/scenarios/service-clients.ts, against a real
 * server: answers are read into plain objects, and AWS errors come back with the service's code and message, which the
 * runner prints as the failed step's reason.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failureDetail } from "../../src/scenarios/runner.js";
import { asList } from "../../src/scenarios/ec2-query.js";
import { AwsCallError, elbv2Client, jsonList, lambdaClient } from "../../src/scenarios/service-clients.js";
import { useHarness } from "./harness.js";

const ACCOUNT = "555566667777";

const rejection = async (p: Promise<unknown>): Promise<AwsCallError> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AwsCallError, String(e));
    return e;
  }
  assert.fail("expected an AWS error");
};

describe("scenario clients for Lambda and ELBv2", () => {
  const h = useHarness();

  it("Lambda: lists functions, and a missing one is ResourceNotFoundException with Lambda's message", async () => {
    const lambda = lambdaClient({ endpoint: h.vpc.url, account: ACCOUNT, region: "us-east-1" });
    const list = await lambda.call("ListFunctions", "GET", "/2015-03-31/functions");
    assert.deepEqual(jsonList(list["Functions"]), []);
    const e = await rejection(lambda.call("GetFunctionConfiguration", "GET", "/2015-03-31/functions/nope/configuration"));
    assert.deepEqual(
      [e.service, e.code, e.awsMessage],
      ["Lambda", "ResourceNotFoundException", `Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:nope`],
    );
    assert.equal(
      failureDetail(e, h.vpc.url),
      `Lambda error: GetFunctionConfiguration: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:nope`,
    );
  });

  it("ELBv2: answers the action's Result with member lists as arrays, and errors with ELBv2's code and message", async () => {
    const elbv2 = elbv2Client({ endpoint: h.vpc.url, account: ACCOUNT, region: "us-east-1" });
    const r = await elbv2.call("DescribeLoadBalancers", {});
    assert.deepEqual(asList(r["LoadBalancers"]), []);
    const e = await rejection(elbv2.call("DescribeLoadBalancers", { "Names.member.1": "nope" }));
    assert.deepEqual([e.service, e.code, e.awsMessage], ["ELBv2", "LoadBalancerNotFound", "Load balancers '[nope]' not found"]);
    const bad = await rejection(elbv2.call("CreateTargetGroup", { Name: "tg", Protocol: "TCP", Port: 80 }));
    // No VpcId: nothing is created, and the step would fail with ELBv2's own words.
    assert.deepEqual(
      [bad.code, bad.awsMessage],
      ["ValidationError", "A protocol, port and VPC ID must be specified for target groups of type instance and ip"],
    );
    assert.deepEqual(asList((await elbv2.call("DescribeTargetGroups", {}))["TargetGroups"]), []);
  });
});
