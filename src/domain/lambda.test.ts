/** Lambda's pure rules (issue 17): function references, VpcConfig checks, Hyperplane combinations, the lifecycle. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ec2Error } from "./errors.js";
import {
  assertUpdatable,
  checkVpcConfig,
  combinationsOf,
  hyperplaneKey,
  IDLE_MS,
  isZipArchive,
  lambdaTimestamp,
  lifecycleAt,
  parseFunctionRef,
  pendingLifecycle,
  updatingLifecycle,
  type LambdaLifecycle,
} from "./lambda.js";

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return `${e.code}: ${e.message}`;
  }
  return "ok";
};

describe("parseFunctionRef", () => {
  const cases: [string, ReturnType<typeof parseFunctionRef>][] = [
    ["my-fn", { name: "my-fn" }],
    ["my-fn:$LATEST", { name: "my-fn", qualifier: "$LATEST" }],
    ["123456789012:function:my-fn", { account: "123456789012", name: "my-fn", qualifier: undefined }],
    [
      "arn:aws:lambda:eu-west-1:123456789012:function:my-fn:prod",
      { region: "eu-west-1", account: "123456789012", name: "my-fn", qualifier: "prod" },
    ],
    [
      "arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
      { region: "cn-north-1", account: "123456789012", name: "f", qualifier: undefined },
    ],
  ];
  for (const [input, expected] of cases) it(input, () => assert.deepEqual(parseFunctionRef(input), expected));
});

describe("checkVpcConfig", () => {
  const subnets: Record<string, string> = { "subnet-a": "vpc-1", "subnet-b": "vpc-1", "subnet-c": "vpc-2" };
  const groups: Record<string, string> = { "sg-1": "vpc-1", "sg-2": "vpc-2" };
  const lookup = { subnetVpc: (id: string) => subnets[id], groupVpc: (id: string) => groups[id] };
  const cases: [string, string[], string[], string][] = [
    ["both empty: no VPC", [], [], "ok"],
    [
      "subnets without groups",
      ["subnet-a"],
      [],
      "InvalidParameterValueException: SubnetIds and SecurityIds must coexist or be both empty list.",
    ],
    [
      "groups without subnets",
      [],
      ["sg-1"],
      "InvalidParameterValueException: SubnetIds and SecurityIds must coexist or be both empty list.",
    ],
    [
      "an unknown subnet",
      ["subnet-x"],
      ["sg-1"],
      "InvalidParameterValueException: Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID 'subnet-x' does not exist",
    ],
    [
      "an unknown group",
      ["subnet-a"],
      ["sg-x"],
      "InvalidParameterValueException: Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group 'sg-x' does not exist",
    ],
    [
      "subnets of two VPCs",
      ["subnet-a", "subnet-c"],
      ["sg-1"],
      "InvalidParameterValueException: The provided subnets must all belong to the same VPC.",
    ],
    [
      "a group of another VPC",
      ["subnet-a"],
      ["sg-2"],
      "InvalidParameterValueException: The security group sg-2 does not belong to the subnets' VPC vpc-1.",
    ],
    ["two subnets of one VPC", ["subnet-a", "subnet-b", "subnet-a"], ["sg-1"], "ok"],
  ];
  for (const [what, subnetIds, securityGroupIds, expected] of cases) {
    it(what, () =>
      assert.equal(
        code(() => checkVpcConfig({ subnetIds, securityGroupIds }, lookup)),
        expected,
      ),
    );
  }
  it("de-duplicates and names the VPC", () => {
    assert.deepEqual(checkVpcConfig({ subnetIds: ["subnet-a", "subnet-a"], securityGroupIds: ["sg-1"] }, lookup), {
      vpcId: "vpc-1",
      subnetIds: ["subnet-a"],
      securityGroupIds: ["sg-1"],
      ipv6AllowedForDualStack: false,
    });
  });
});

describe("Hyperplane combinations", () => {
  it("one per subnet, keyed by the sorted group set", () => {
    const vpc = { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-2", "sg-1"], ipv6AllowedForDualStack: false };
    assert.deepEqual(
      combinationsOf(vpc).map((c) => c.key),
      ["lambda-eni:subnet-a:sg-1,sg-2", "lambda-eni:subnet-b:sg-1,sg-2"],
    );
    assert.equal(hyperplaneKey("subnet-a", ["sg-2", "sg-1", "sg-2"]), hyperplaneKey("subnet-a", ["sg-1", "sg-2"]));
  });
});

describe("lifecycle on the clock", () => {
  const t0 = new Date("2026-01-01T00:00:00.000Z");
  const at = (ms: number): Date => new Date(t0.getTime() + ms);
  const cases: [string, LambdaLifecycle, number, [string, string | undefined, string]][] = [
    ["Pending before it settles", pendingLifecycle(t0, 1000, { ok: true }), 999, ["Pending", "Creating", "InProgress"]],
    ["Active once settled", pendingLifecycle(t0, 1000, { ok: true }), 1000, ["Active", undefined, "Successful"]],
    [
      "Failed with the outcome's reason",
      pendingLifecycle(t0, 1000, { ok: false, reasonCode: "SubnetOutOfIPAddresses", reason: "full" }),
      5000,
      ["Failed", "SubnetOutOfIPAddresses", "Failed"],
    ],
    ["Inactive (Idle) after the idle period", pendingLifecycle(t0, 1000, { ok: true }), 1000 + IDLE_MS, ["Inactive", "Idle", "Successful"]],
    ["still Active just before it", pendingLifecycle(t0, 1000, { ok: true }), 999 + IDLE_MS, ["Active", undefined, "Successful"]],
    ["Restoring after a wake", pendingLifecycle(t0, 1000, { ok: true }, true), 10, ["Pending", "Restoring", "InProgress"]],
    [
      "back to Inactive when the restore fails",
      pendingLifecycle(t0, 1000, { ok: false, reasonCode: "InvalidSubnet", reason: "gone" }, true),
      1000,
      ["Inactive", "InvalidSubnet", "Failed"],
    ],
  ];
  for (const [what, l, ms, expected] of cases) {
    it(what, () => {
      const r = lifecycleAt(l, at(ms));
      assert.deepEqual([r.state, r.stateReasonCode, r.lastUpdateStatus], expected);
    });
  }
  it("an update keeps the state Active and settles its LastUpdateStatus", () => {
    const active = lifecycleAt(pendingLifecycle(t0, 1000, { ok: true }), at(2000));
    const u = updatingLifecycle(active, at(3000), 1000, { ok: true });
    assert.deepEqual([lifecycleAt(u, at(3500)).state, lifecycleAt(u, at(3500)).lastUpdateStatus], ["Active", "InProgress"]);
    assert.equal(lifecycleAt(u, at(4000)).lastUpdateStatus, "Successful");
  });
  it("refuses changes while Pending or InProgress", () => {
    const arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    assert.match(
      code(() => assertUpdatable(pendingLifecycle(t0, 1000, { ok: true }), arn)),
      /^ResourceConflictException: .*'Pending'\. StateReasonCode: 'Creating'$/,
    );
    const active = lifecycleAt(pendingLifecycle(t0, 1000, { ok: true }), at(2000));
    assert.equal(
      code(() => assertUpdatable(active, arn)),
      "ok",
    );
    assert.match(
      code(() => assertUpdatable(updatingLifecycle(active, at(2000), 1000, { ok: true }), arn)),
      /An update is in progress for resource: /,
    );
  });
});

describe("packages and timestamps", () => {
  it("recognises zip archives", () => {
    assert.equal(isZipArchive(Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64")), true);
    assert.equal(isZipArchive(Buffer.from([0x50, 0x4b, 3, 4, 0])), true);
    assert.equal(isZipArchive(Buffer.from("PK")), false);
    assert.equal(isZipArchive(Buffer.from("hello")), false);
  });
  it("writes LastModified as Lambda does", () =>
    assert.equal(lambdaTimestamp(new Date("2026-01-02T03:04:05.006Z")), "2026-01-02T03:04:05.006+0000"));
});
