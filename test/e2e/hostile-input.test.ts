/**
 * Hostile input is normal input (issue 14): each class the adversarial run found, closed and tested through the real
 * SDK or the raw wire. No answer is a 5xx or unparsable, no stored value can poison an account's answers, a wildcard
 * cannot block the server, and only real regions become scopes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { expectError, expectErrorNoChange, rawQuery, useHarness } from "./harness.js";
import { malformation } from "../fuzz/fuzz.js";

describe("hostile input", () => {
  const h = useHarness();

  it("refuses control characters in tags, so no value can make an account's answers unparsable", async () => {
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.61.0.0/16" }));
    for (const [Key, Value] of [
      ["Name", "\u0001"],
      ["bad\u0000key", "v"],
      ["Name", "form feed \u000C"],
    ] as const) {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateTagsCommand({ Resources: [Vpc!.VpcId!], Tags: [{ Key, Value }] })),
        "InvalidParameterValue",
        "Tag keys and values may not contain control characters.",
      );
    }
    // Tabs, newlines and any other Unicode are fine, as in EC2.
    await h.ec2.send(new CreateTagsCommand({ Resources: [Vpc!.VpcId!], Tags: [{ Key: "Name", Value: "line1\nline2\té✓𝄞" }] }));
    const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    assert.equal(Vpcs![0]!.Tags![0]!.Value, "line1\nline2\té✓𝄞");
  });

  it("refuses security-group names and descriptions outside AWS's character set", async () => {
    for (const [GroupName, Description, parameter, value] of [
      ["nul\u0000name", "ok", "GroupName", "nul\u0000name"],
      ["ok-name", "caf\u00e9", "GroupDescription", "caf\u00e9"],
    ] as const) {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateSecurityGroupCommand({ GroupName, Description })),
        "InvalidParameterValue",
        `Value (${value.replace("\u0000", "\uFFFD")}) for parameter ${parameter} is invalid. Character sets beyond ASCII are not supported.`,
      );
    }
  });

  it("refuses a ClientToken that is not printable ASCII", async () => {
    const { Subnets } = await h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: Subnets![0]!.SubnetId!, ClientToken: "\u0001\u0002" })),
      "InvalidParameterValue",
      "Value for parameter clientToken is invalid. It must contain only printable ASCII characters.",
    );
  });

  it("echoes a control character in an error message as U+FFFD, in well-formed XML", async () => {
    const r = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", MaxResults: "\u0001" });
    assert.equal(r.status, 400);
    assert.equal(malformation(r.headers.get("content-type"), r.body), undefined, r.body);
    assert.ok(r.body.includes("\uFFFD"), r.body);
  });

  it("matches a backtracking-bait wildcard at once (no regular expression)", async () => {
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.63.0.0/16" }));
    await h.ec2.send(new CreateTagsCommand({ Resources: [Vpc!.VpcId!], Tags: [{ Key: "Name", Value: "a".repeat(250) }] }));
    const none = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["*a*a*a*a*a*b"] }] }));
    assert.deepEqual(none.Vpcs, []);
    const one = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["*a*a*a*a*a*"] }] }));
    assert.deepEqual(
      one.Vpcs!.map((v) => v.VpcId),
      [Vpc!.VpcId],
    );
    await expectError(
      h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["x".repeat(2049)] }] })),
      "InvalidParameterValue",
      "A value of the filter 'tag:Name' is longer than 2048 characters",
    );
  });

  it("answers a name with thousands of parts with UnknownParameter, not a stack overflow", async () => {
    const r = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", [`Filter${".1".repeat(10_000)}`]: "x" });
    assert.equal(r.status, 400);
    assert.match(r.body, /<Code>UnknownParameter<\/Code><Message>The parameter Filter\.1\.1/);
  });

  it("creates no scope for a region that does not exist", async () => {
    const fake = new EC2Client({
      endpoint: h.vpc.url,
      region: "fake-1",
      credentials: { accessKeyId: "135792468024", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    await expectError(
      fake.send(new DescribeVpcsCommand({})),
      "AuthFailure",
      "Credential should be scoped to a valid region, not 'fake-1'. ",
      401,
    );
    fake.destroy();
    const state = await fetch(`${h.vpc.url}/_localvpc/state?account=135792468024&region=fake-1`);
    assert.deepEqual([state.status, await state.json()], [400, { error: "InvalidParameterValue", message: "Invalid region: fake-1" }]);
    const scopes = (await (await fetch(`${h.vpc.url}/_localvpc/console/api/scopes`)).json()) as {
      scopes: { account: string; region: string }[];
    };
    assert.ok(!scopes.scopes.some((s) => s.region === "fake-1"), "no fake-1 scope");
    // An opt-in region is a real one, refused as AWS refuses it until it is enabled (serve --regions), and it creates
    // no scope either (test/e2e/instance-type-offerings.test.ts enables one).
    const optIn = h.client("135792468024", "ap-southeast-7");
    await expectError(
      optIn.send(new DescribeVpcsCommand({})),
      "AuthFailure",
      "AWS was not able to validate the provided access credentials",
      401,
    );
    optIn.destroy();
    const after = (await (await fetch(`${h.vpc.url}/_localvpc/console/api/scopes`)).json()) as { scopes: { region: string }[] };
    assert.ok(!after.scopes.some((s) => s.region === "ap-southeast-7"), "no scope for a region that is not enabled");
  });

  it("answers malformed percent-escapes in admin paths with a JSON 400", async () => {
    for (const path of ["/_localvpc/rdap/ip/%ZZ", "/_localvpc/console/%"]) {
      const res = await fetch(`${h.vpc.url}${path}`);
      assert.equal(res.status, 400, path);
      assert.equal(res.headers.get("content-type"), "application/json");
      assert.equal(((await res.json()) as { error: string }).error, "InvalidPath");
    }
    const res = await fetch(`${h.vpc.url}/_localvpc/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "null",
    });
    assert.deepEqual([res.status, await res.json()], [400, { error: "InvalidJson", message: "The request body must be a JSON object." }]);
  });
});
