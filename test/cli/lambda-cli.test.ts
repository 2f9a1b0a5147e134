/**
 * Lambda in a VPC with the installed AWS CLI against a real `localvpc serve` (issue 17): `aws lambda create-function
 * --vpc-config … --zip-file fileb://…`, the waiter, `aws lambda invoke`, and the function's Hyperplane ENI as
 * `aws ec2 describe-network-interfaces` shows it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnServe, type ServeProcess } from "./serve-process.js";
import { awsCliAt } from "./aws-cli-harness.js";

describe("AWS CLI: Lambda in a VPC", () => {
  let server: ServeProcess;
  const dir = mkdtempSync(join(tmpdir(), "localvpc-lambda-cli-"));
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
  });
  after(async () => server.stop());

  const aws = <T = Record<string, unknown>>(...args: string[]): Promise<T> => awsCliAt(server.url)<T>(...args);

  it("create-function --vpc-config puts a requester-managed lambda ENI in the subnet; the function becomes Active and answers invoke", async () => {
    const vpc = await aws<{ Vpc: { VpcId: string } }>("ec2", "create-vpc", "--cidr-block", "10.81.0.0/16");
    const subnet = await aws<{ Subnet: { SubnetId: string } }>(
      "ec2",
      "create-subnet",
      "--vpc-id",
      vpc.Vpc.VpcId,
      "--cidr-block",
      "10.81.1.0/24",
      "--availability-zone",
      "us-east-1a",
    );
    const sg = await aws<{ GroupId: string }>(
      "ec2",
      "create-security-group",
      "--vpc-id",
      vpc.Vpc.VpcId,
      "--group-name",
      "fn",
      "--description",
      "fn",
    );
    // An empty zip archive is a valid deployment package.
    const zip = join(dir, "fn.zip");
    writeFileSync(zip, Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64"));
    const fn = await aws<{ FunctionArn: string; State: string; VpcConfig: { VpcId: string; SubnetIds: string[] } }>(
      "lambda",
      "create-function",
      "--function-name",
      "cli-fn",
      "--runtime",
      "python3.12",
      "--handler",
      "app.handler",
      "--role",
      "arn:aws:iam::123456789012:role/fn",
      "--zip-file",
      `fileb://${zip}`,
      "--environment",
      'Variables={LOCALVPC_INVOKE_RESPONSE="{\\"hello\\":1}"}',
      "--vpc-config",
      `SubnetIds=${subnet.Subnet.SubnetId},SecurityGroupIds=${sg.GroupId}`,
    );
    assert.equal(fn.FunctionArn, "arn:aws:lambda:us-east-1:123456789012:function:cli-fn");
    assert.deepEqual([fn.State, fn.VpcConfig.VpcId, fn.VpcConfig.SubnetIds], ["Pending", vpc.Vpc.VpcId, [subnet.Subnet.SubnetId]]);

    const enis = await aws<{
      NetworkInterfaces: {
        InterfaceType: string;
        RequesterManaged: boolean;
        Status: string;
        Description: string;
        Groups: { GroupId: string }[];
      }[];
    }>("ec2", "describe-network-interfaces", "--filters", `Name=subnet-id,Values=${subnet.Subnet.SubnetId}`);
    assert.equal(enis.NetworkInterfaces.length, 1);
    const eni = enis.NetworkInterfaces[0]!;
    assert.deepEqual(
      [eni.InterfaceType, eni.RequesterManaged, eni.Status, eni.Groups.map((g) => g.GroupId)],
      ["lambda", true, "in-use", [sg.GroupId]],
    );
    assert.match(eni.Description, /^AWS Lambda VPC ENI-cli-fn-/);

    // The default activation delay is a second of simulated (= real) time: the CLI's waiter polls until Active.
    await aws("lambda", "wait", "function-active-v2", "--function-name", "cli-fn");
    const out = join(dir, "out.json");
    const r = await aws<{ StatusCode: number }>("lambda", "invoke", "--function-name", "cli-fn", out);
    assert.equal(r.StatusCode, 200);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), { hello: 1 });
  });
});
