/** Table tests for the model-driven EC2 Query parser. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseInput } from "./parse.js";
import { Ec2Error } from "../../domain/errors.js";

const parse = (shape: string, params: Record<string, string>): Record<string, unknown> => parseInput(shape, Object.entries(params));
const fails = (shape: string, params: Record<string, string>, code: string, message: string): void => {
  assert.throws(
    () => parse(shape, params),
    (e: unknown) => e instanceof Ec2Error && e.code === code && e.message === message,
  );
};

describe("parseInput", () => {
  it("reads flattened lists, nested structures and filters", () => {
    const input = parse("DescribeVpcsRequest", {
      "VpcId.2": "vpc-2",
      "VpcId.1": "vpc-1",
      "Filter.1.Name": "cidr",
      "Filter.1.Value.1": "10.0.0.0/16",
      "Filter.1.Value.2": "10.1.0.0/16",
      "Filter.2.Name": "tag:x",
      "Filter.2.Value.1": "y",
      MaxResults: "10",
      DryRun: "false",
    });
    assert.deepEqual(input, {
      VpcIds: ["vpc-1", "vpc-2"],
      Filters: [
        { Name: "cidr", Values: ["10.0.0.0/16", "10.1.0.0/16"] },
        { Name: "tag:x", Values: ["y"] },
      ],
      MaxResults: 10,
      DryRun: false,
    });
  });

  it("uses queryName / capitalised locationName as the wire name", () => {
    const input = parse("ModifySubnetAttributeRequest", { SubnetId: "subnet-1", "MapPublicIpOnLaunch.Value": "true" });
    assert.deepEqual(input, { SubnetId: "subnet-1", MapPublicIpOnLaunch: { Value: true } });
    const tags = parse("CreateVpcRequest", {
      CidrBlock: "10.0.0.0/16",
      "TagSpecification.1.ResourceType": "vpc",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": "a",
    });
    assert.deepEqual(tags["TagSpecifications"], [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "a" }] }]);
  });

  it("ignores protocol and auth parameters", () => {
    assert.deepEqual(parse("DescribeVpcsRequest", { "X-Amz-Date": "20240101T000000Z", Version: "2016-11-15", Action: "DescribeVpcs" }), {});
  });

  const errors: [string, Record<string, string>, string, string][] = [
    ["DescribeVpcsRequest", { Bogus: "1" }, "UnknownParameter", "The parameter Bogus is not recognized"],
    ["DescribeVpcsRequest", { "Filter.1.Nme": "x" }, "UnknownParameter", "The parameter Filter.1.Nme is not recognized"],
    ["DescribeVpcsRequest", { "VpcId.x": "vpc-1" }, "UnknownParameter", "The parameter VpcId.x is not recognized"],
    ["DescribeVpcsRequest", { "VpcId.0": "vpc-1" }, "UnknownParameter", "The parameter VpcId.0 is not recognized"],
    [
      "DescribeVpcsRequest",
      { DryRun: "yes" },
      "InvalidParameterValue",
      "Value (yes) for parameter dryRun is invalid. Expecting a boolean.",
    ],
    [
      "DescribeVpcsRequest",
      { MaxResults: "1.5" },
      "InvalidParameterValue",
      "Value (1.5) for parameter maxResults is invalid. Expecting an integer.",
    ],
    [
      "DescribeVpcsRequest",
      { MaxResults: "4" },
      "InvalidParameterValue",
      "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
    ],
    [
      "DescribeVpcsRequest",
      { MaxResults: "1001" },
      "InvalidParameterValue",
      "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value less than 1000.",
    ],
    ["CreateSubnetRequest", { CidrBlock: "10.0.0.0/24" }, "MissingParameter", "The request must contain the parameter vpcId"],
    [
      "CreateVpcRequest",
      { CidrBlock: "10.0.0.0/16", InstanceTenancy: "shared" },
      "InvalidParameterValue",
      "Value (shared) for parameter instanceTenancy is invalid. Allowed values: default, dedicated, host.",
    ],
  ];
  for (const [shape, params, code, message] of errors) {
    it(`${shape} ${JSON.stringify(params)} → ${code}`, () => fails(shape, params, code, message));
  }

  it("rejects any parameter for an operation without input", () => {
    assert.throws(
      () => parseInput(undefined, [["X", "1"]]),
      (e: unknown) => e instanceof Ec2Error && e.code === "UnknownParameter",
    );
  });
});
