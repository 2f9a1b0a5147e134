/**
 * VPC CNI custom networking (issue 18): max pods with the primary ENI serving no pods ((ENIs − 1) × (IPv4 per ENI − 1)
 * + 2, the EKS AMI calculator's --cni-custom-networking-enabled), the AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG setting, and
 * the ENIConfig checks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_CNI, maxPods, parseCniConfiguration } from "./eks.js";
import { checkEniConfig, eniConfigNameForZone } from "./eks-eni-config.js";
import { failureOf, POD_TYPES } from "./eks.fixture.js";

const failure = failureOf;

const TYPES = POD_TYPES;

describe("maxPods with custom networking", () => {
  // [type, prefix delegation, the figure]: one ENI fewer than without custom networking.
  const table: [string, boolean, number][] = [
    ["m5.large", false, 20],
    ["t3.small", false, 8],
    ["t3.medium", false, 12],
    ["m5.xlarge", false, 44],
    ["c5.18xlarge", false, 688],
    ["t2.micro", false, 3],
    ["m5.large", true, 110],
    ["c5.18xlarge", true, 250],
  ];
  for (const [type, pd, want] of table) {
    it(`${type}${pd ? " with prefix delegation" : ""} → ${want}`, () => {
      const f = TYPES[type]!;
      const a = maxPods(f, { customNetworking: true, prefixDelegation: pd });
      assert.equal(a.maxPods, want);
      const plain = (f.enis - 1) * (f.ipv4PerEni - 1) + 2;
      assert.equal(a.maxPods, pd ? Math.min((f.enis - 1) * (f.ipv4PerEni - 1) * 16 + 2, f.vcpus > 30 ? 250 : 110) : plain);
      assert.ok(a.maxPods <= maxPods(f, { prefixDelegation: pd }).maxPods);
    });
  }
});

describe("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", () => {
  it("is off by default, on with true, and refuses anything but true or false", () => {
    assert.equal(DEFAULT_CNI.customNetworking, false);
    assert.equal(parseCniConfiguration('{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true"}}').customNetworking, true);
    assert.equal(parseCniConfiguration('{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"false"}}').customNetworking, false);
    assert.match(
      failure(() => parseCniConfiguration('{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"yes"}}')),
      /enumeration \[true, false\]/,
    );
  });
});

describe("checkEniConfig", () => {
  const subnets: Record<string, string> = { "subnet-a": "vpc-1", "subnet-o": "vpc-2" };
  const groups: Record<string, string> = { "sg-1": "vpc-1", "sg-2": "vpc-1", "sg-o": "vpc-2" };
  const look = { subnetVpc: (id: string) => subnets[id], groupVpc: (id: string) => groups[id] };
  const cases: [string, string, string, string[], string][] = [
    ["a zone name with groups", "us-east-1a", "subnet-a", ["sg-1", "sg-2"], "ok"],
    ["no groups (the primary ENI's apply)", "us-east-1b", "subnet-a", [], "ok"],
    [
      "an upper-case name",
      "Us-East-1a",
      "subnet-a",
      [],
      "InvalidParameterValue: ENIConfig name 'Us-East-1a' is not a valid Kubernetes name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.",
    ],
    ["an unknown subnet", "us-east-1a", "subnet-x", [], "InvalidParameterException: The subnet ID 'subnet-x' does not exist"],
    ["a subnet of another VPC", "us-east-1a", "subnet-o", [], "InvalidParameterException: Subnet subnet-o is not in the cluster's VPC"],
    ["an unknown group", "us-east-1a", "subnet-a", ["sg-x"], "InvalidParameterException: The security group 'sg-x' does not exist"],
    ["a group of another VPC", "us-east-1a", "subnet-a", ["sg-o"], "InvalidParameterException: Security group sg-o is not in VPC vpc-1"],
    [
      "six groups",
      "us-east-1a",
      "subnet-a",
      ["sg-1", "sg-1", "sg-1", "sg-1", "sg-1", "sg-1"],
      "InvalidParameterException: You can specify up to 5 security groups.",
    ],
  ];
  for (const [what, name, subnetId, securityGroupIds, want] of cases) {
    it(what, () => {
      assert.equal(
        failure(() => checkEniConfig({ name, subnetId, securityGroupIds }, "vpc-1", look)),
        want,
      );
    });
  }
  it("a node uses the ENIConfig named after its zone", () => {
    assert.equal(eniConfigNameForZone("us-east-1a"), "us-east-1a");
  });
});
