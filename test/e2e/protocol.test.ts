/** The EC2 Query protocol: envelope, parsing errors, DryRun, ClientToken, pagination, filters, scoping. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateSubnetCommand, CreateVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { expectError, expectErrorNoChange, rawQuery, startHarness, type Harness } from "./harness.js";

describe("EC2 Query protocol", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  describe("wire and validation errors", () => {
    it("renders success as {Action}Response with requestId, xmlns and AmazonEC2 headers", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15" });
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type") ?? "", /^text\/xml/);
      assert.equal(r.headers.get("server"), "AmazonEC2");
      assert.match(
        r.body,
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeVpcsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><vpcSet><item>/,
      );
    });

    it("answers GET query requests too", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "DescribeRegions", Version: "2016-11-15" }, { method: "GET" });
      assert.equal(r.status, 200);
      assert.match(r.body, /<regionInfo><item>.*<regionName>us-east-1<\/regionName>/);
    });

    it("renders errors in the Response/Errors/Error envelope with RequestID", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "NoSuchThing", Version: "2016-11-15" });
      assert.equal(r.status, 400);
      assert.match(
        r.body,
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action NoSuchThing is not valid for this web service.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
      );
    });

    it("MissingAction without Action", async () => {
      const r = await rawQuery(h.vpc.url, { Version: "2016-11-15" });
      assert.equal(r.status, 400);
      assert.match(r.body, /<Code>MissingAction<\/Code>/);
    });

    it("a real EC2 action that is not built yet is a clear 4xx naming it", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "CreateTransitGateway", Version: "2016-11-15" });
      assert.equal(r.status, 400);
      assert.match(
        r.body,
        /<Code>UnsupportedOperation<\/Code><Message>The action CreateTransitGateway is a valid EC2 action but localvpc does not implement it yet/,
      );
    });

    it("UnknownParameter for a parameter the action does not have", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", Description: "x" });
      assert.equal(r.status, 400);
      assert.match(r.body, /<Code>UnknownParameter<\/Code><Message>The parameter Description is not recognized<\/Message>/);
    });

    it("UnknownParameter for a nested member that does not exist", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", "Filter.1.Bogus": "x" });
      assert.match(r.body, /<Code>UnknownParameter<\/Code><Message>The parameter Filter.1.Bogus is not recognized<\/Message>/);
    });

    it("MissingParameter names the member in lowerCamel", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "CreateSubnet", Version: "2016-11-15", CidrBlock: "10.0.0.0/24" });
      assert.match(r.body, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter vpcId<\/Message>/);
    });

    it("InvalidParameterValue for a malformed boolean or integer", async () => {
      const b = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", DryRun: "maybe" });
      assert.match(
        b.body,
        /<Code>InvalidParameterValue<\/Code><Message>Value \(maybe\) for parameter dryRun is invalid. Expecting a boolean.<\/Message>/,
      );
      const i = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", MaxResults: "ten" });
      assert.match(
        i.body,
        /<Code>InvalidParameterValue<\/Code><Message>Value \(ten\) for parameter maxResults is invalid. Expecting an integer.<\/Message>/,
      );
    });

    it("MaxResults outside the model's range is InvalidParameterValue", async () => {
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ MaxResults: 1 })),
        "InvalidParameterValue",
        "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
      );
    });

    it("a body over the cap is a 4xx, not a crash", async () => {
      const r = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15", Pad: "x".repeat(5 * 1024 * 1024) });
      assert.equal(r.status, 400);
      const ok = await rawQuery(h.vpc.url, { Action: "DescribeVpcs", Version: "2016-11-15" });
      assert.equal(ok.status, 200);
    });
  });

  describe("DryRun", () => {
    it("validates fully and answers 412 DryRunOperation without creating anything", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16", DryRun: true })),
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
        412,
      );
    });

    it("reports validation errors instead of DryRunOperation", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/8", DryRun: true })),
        "InvalidVpc.Range",
        "The CIDR '10.9.0.0/8' is invalid.",
      );
    });

    it("answers UnauthorizedOperation (403) for a denied action", async () => {
      const denied = await startHarness({ deniedActions: ["CreateVpc"] });
      try {
        await expectError(
          denied.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16", DryRun: true })),
          "UnauthorizedOperation",
          "You are not authorized to perform this operation.",
          403,
        );
      } finally {
        await denied.close();
      }
    });
  });

  describe("pagination and filters", () => {
    it("pages with MaxResults/NextToken and omits nextToken on the last page", async () => {
      const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16" }));
      for (let i = 0; i < 7; i++) await h.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: `10.50.${i}.0/24` }));
      const filter = [{ Name: "vpc-id", Values: [Vpc!.VpcId!] }];
      const p1 = await h.ec2.send(new DescribeSubnetsCommand({ Filters: filter, MaxResults: 5 }));
      assert.equal(p1.Subnets?.length, 5);
      assert.ok(p1.NextToken);
      const p2 = await h.ec2.send(new DescribeSubnetsCommand({ Filters: filter, MaxResults: 5, NextToken: p1.NextToken }));
      assert.equal(p2.Subnets?.length, 2);
      assert.equal(p2.NextToken, undefined);
      const all = new Set([...(p1.Subnets ?? []), ...(p2.Subnets ?? [])].map((s) => s.SubnetId));
      assert.equal(all.size, 7);
    });

    it("rejects an invalid NextToken", async () => {
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ NextToken: "garbage!", MaxResults: 5 })),
        "InvalidNextToken",
        "The specified NextToken is not valid.",
      );
    });

    it("rejects ids together with MaxResults", async () => {
      const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({}));
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpcs![0]!.VpcId!], MaxResults: 5 })),
        "InvalidParameterCombination",
        "The parameter vpcIdSet cannot be used with the parameter maxResults",
      );
    });

    it("ORs values within a filter, ANDs filters, supports * and ? and tag filters", async () => {
      await h.ec2.send(
        new CreateVpcCommand({
          CidrBlock: "10.61.0.0/16",
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "team", Value: "alpha" }] }],
        }),
      );
      await h.ec2.send(
        new CreateVpcCommand({
          CidrBlock: "10.62.0.0/16",
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "team", Value: "beta" }] }],
        }),
      );
      const or = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:team", Values: ["alpha", "beta"] }] }));
      assert.deepEqual(or.Vpcs?.map((v) => v.CidrBlock).sort(), ["10.61.0.0/16", "10.62.0.0/16"]);
      const and = await h.ec2.send(
        new DescribeVpcsCommand({
          Filters: [
            { Name: "tag:team", Values: ["alpha", "beta"] },
            { Name: "cidr", Values: ["10.62.*"] },
          ],
        }),
      );
      assert.deepEqual(
        and.Vpcs?.map((v) => v.CidrBlock),
        ["10.62.0.0/16"],
      );
      const q = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:team", Values: ["al?ha"] }] }));
      assert.deepEqual(
        q.Vpcs?.map((v) => v.CidrBlock),
        ["10.61.0.0/16"],
      );
      const key = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag-key", Values: ["team"] }] }));
      assert.equal(key.Vpcs?.length, 2);
      const none = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:team", Values: ["ALPHA"] }] }));
      assert.equal(none.Vpcs?.length, 0, "filter values are case-sensitive");
    });

    it("an unknown filter name is an error, never ignored", async () => {
      await expectError(
        h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "bogus", Values: ["x"] }] })),
        "InvalidParameterValue",
        "The filter 'bogus' is invalid",
      );
    });
  });

  describe("accounts and regions", () => {
    it("scopes resources by the access key's account and the SigV4 region", async () => {
      const a = h.client("111111111111");
      const b = h.client("222222222222");
      const euA = h.client("111111111111", "eu-west-1");
      const created = await a.send(new CreateVpcCommand({ CidrBlock: "10.70.0.0/16" }));
      const seenByA = (await a.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId);
      const seenByB = (await b.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId);
      const seenInEu = (await euA.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId);
      assert.ok(seenByA.includes(created.Vpc!.VpcId));
      assert.ok(!seenByB.includes(created.Vpc!.VpcId));
      assert.ok(!seenInEu.includes(created.Vpc!.VpcId));
      assert.equal(seenByB.length, 1, "a new account sees only its default VPC");
      assert.equal((await a.send(new DescribeVpcsCommand({}))).Vpcs!.find((v) => v.IsDefault)?.OwnerId, "111111111111");
      await expectError(
        b.send(new DescribeVpcsCommand({ VpcIds: [created.Vpc!.VpcId!] })),
        "InvalidVpcID.NotFound",
        `The vpc ID '${created.Vpc!.VpcId}' does not exist`,
      );
      [a, b, euA].forEach((c) => c.destroy());
    });

    it("a non-numeric access key maps to account 000000000000", async () => {
      const { Vpcs } = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
      assert.equal(Vpcs?.[0]?.OwnerId, "000000000000");
    });
  });
});
