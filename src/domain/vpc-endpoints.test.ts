import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Ec2Error } from "./errors.js";
import { checkedPolicy, DEFAULT_ENDPOINT_POLICY, editedList, endpointServices, serviceFor } from "./vpc-endpoints.js";

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Ec2Error).code;
  }
  return "ok";
};

describe("vpc endpoints: services", () => {
  const services = endpointServices("us-east-1");
  const cases: { name: string; service: string; type: "Gateway" | "Interface"; want: string }[] = [
    { name: "S3 gateway", service: "com.amazonaws.us-east-1.s3", type: "Gateway", want: "ok" },
    { name: "S3 interface", service: "com.amazonaws.us-east-1.s3", type: "Interface", want: "ok" },
    { name: "DynamoDB gateway", service: "com.amazonaws.us-east-1.dynamodb", type: "Gateway", want: "ok" },
    { name: "EC2 has no gateway type", service: "com.amazonaws.us-east-1.ec2", type: "Gateway", want: "InvalidParameter" },
    { name: "unknown service", service: "com.amazonaws.us-east-1.nope", type: "Interface", want: "InvalidServiceName" },
    { name: "another region's name", service: "com.amazonaws.eu-west-1.ec2", type: "Interface", want: "InvalidServiceName" },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.equal(
        code(() => serviceFor(services, c.service, c.type)),
        c.want,
      ),
    );

  it("private DNS names and sorted order", () => {
    assert.equal(services.find((s) => s.short === "ec2")!.privateDnsName, "ec2.us-east-1.amazonaws.com");
    assert.equal(services.find((s) => s.short === "ecr.dkr")!.privateDnsName, "*.dkr.ecr.us-east-1.amazonaws.com");
    const names = services.map((s) => s.serviceName);
    assert.deepEqual(names, [...names].sort());
    assert.equal(
      services
        .filter((s) => s.short === "s3")
        .map((s) => s.type)
        .join(","),
      "Gateway,Interface",
    );
  });
});

describe("vpc endpoints: policy", () => {
  const cases: { name: string; policy: string | undefined; want: string }[] = [
    { name: "default", policy: undefined, want: "ok" },
    { name: "an object", policy: '{"Statement":[]}', want: "ok" },
    { name: "not JSON", policy: "{", want: "MalformedPolicyDocument" },
    { name: "JSON but not an object", policy: "[1]", want: "MalformedPolicyDocument" },
    { name: "too long", policy: `{"a":"${"x".repeat(20480)}"}`, want: "InvalidParameter" },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.equal(
        code(() => checkedPolicy(c.policy)),
        c.want,
      ),
    );
  it("the default is full access", () => assert.equal(checkedPolicy(undefined), DEFAULT_ENDPOINT_POLICY));
});

describe("vpc endpoints: list edits", () => {
  it("adds, removes, ignores duplicates", () => assert.deepEqual(editedList(["a", "b"], ["c", "a"], ["b"], "vpce-1"), ["a", "c"]));
  it("removing one that is not there fails", () =>
    assert.equal(
      code(() => editedList(["a"], [], ["z"], "vpce-1")),
      "InvalidParameter",
    ));
});
