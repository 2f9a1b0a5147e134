/**
 * The dispatcher: every request reaches the service it names (SigV4 scope, X-Amz-Target, REST path), and a service
 * localvpc does not emulate is answered clearly, in that service's own protocol and error shape, with HTTP 400 and a
 * message naming it; never EC2's MissingAction. Malformed URLs are read defensively.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useHarness } from "./harness.js";

const scoped = (service: string, region = "us-east-1"): string =>
  `AWS4-HMAC-SHA256 Credential=123456789012/20261203/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`;

const NAMED = (service: string, what: string): string =>
  `localvpc does not emulate the AWS service '${service}' (${what}). It emulates: ec2, logs, lambda, elasticloadbalancing, eks, sts, iam. See README "Services".`;

describe("dispatcher: services localvpc does not emulate", () => {
  const h = useHarness();
  const call = async (
    path: string,
    init: RequestInit,
  ): Promise<{ status: number; type: string | null; text: string; errorType: string | null }> => {
    const res = await fetch(`${h.vpc.url}${path}`, init);
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      text: await res.text(),
      errorType: res.headers.get("x-amzn-errortype"),
    };
  };

  // Lambda (issue 17) and EKS (issue 18, test/e2e/eks.test.ts) are emulated; AWS Batch still answers "not emulated".
  it("REST-JSON (Batch): a JSON error with x-amzn-ErrorType", async () => {
    for (const [path, service, headers] of [["/v1/describejobqueues", "batch", { authorization: scoped("batch") }]] as const) {
      const r = await call(path, { headers });
      assert.equal(r.status, 400);
      assert.equal(r.type, "application/json");
      assert.equal(r.errorType, "UnknownOperationException");
      assert.deepEqual(JSON.parse(r.text), { __type: "UnknownOperationException", message: NAMED(service, `GET ${path}`) });
    }
  });

  // ELBv2 is emulated since issue 17 (test/e2e/elbv2.test.ts); SNS still answers "not emulated".
  it("Query (SNS): the <ErrorResponse> envelope", async () => {
    const r = await call("/", {
      method: "POST",
      headers: { authorization: scoped("sns"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ListTopics&Version=2010-03-31",
    });
    assert.equal(r.status, 400);
    assert.match(
      r.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    assert.ok(r.text.includes(`<Message>${NAMED("sns", "ListTopics")}</Message>`), r.text);
  });

  it("AWS JSON (DynamoDB): {__type, message} in the request's JSON version", async () => {
    const r = await call("/", {
      method: "POST",
      headers: {
        authorization: scoped("dynamodb"),
        "x-amz-target": "DynamoDB_20120810.ListTables",
        "content-type": "application/x-amz-json-1.0",
      },
      body: "{}",
    });
    assert.equal(r.status, 400);
    assert.equal(r.type, "application/x-amz-json-1.0");
    assert.deepEqual(JSON.parse(r.text), {
      __type: "UnknownOperationException",
      message: NAMED("dynamodb", "DynamoDB_20120810.ListTables"),
    });
    // Unsigned, the target's prefix names the service.
    const unsigned = await call("/", {
      method: "POST",
      headers: { "x-amz-target": "AmazonSQS.ListQueues", "content-type": "application/x-amz-json-1.0" },
      body: "{}",
    });
    assert.deepEqual(JSON.parse(unsigned.text), {
      __type: "UnknownOperationException",
      message: NAMED("amazonsqs", "AmazonSQS.ListQueues"),
    });
  });

  it("REST-XML (S3): <Error><Code>NotImplemented…", async () => {
    const r = await call("/my-bucket?list-type=2", { headers: { authorization: scoped("s3") } });
    assert.equal(r.status, 400);
    assert.equal(r.type, "application/xml");
    assert.match(
      r.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NotImplemented<\/Code><Message>[^<]+<\/Message><RequestId>[0-9a-f-]{36}<\/RequestId><\/Error>$/,
    );
    assert.ok(r.text.includes(NAMED("s3", "GET /my-bucket")), r.text);
  });

  it("still routes EC2, CloudWatch Logs and STS by their signing names", async () => {
    const ec2 = await call("/", {
      method: "POST",
      headers: { authorization: scoped("ec2"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DescribeRegions&Version=2016-11-15",
    });
    assert.equal(ec2.status, 200);
    assert.match(ec2.text, /<DescribeRegionsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/">/);
    const sts = await call("/", {
      method: "POST",
      headers: { authorization: scoped("sts"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    assert.match(sts.text, /<Account>123456789012<\/Account>/);
    const logs = await call("/", {
      method: "POST",
      headers: {
        authorization: scoped("logs"),
        "x-amz-target": "Logs_20140328.DescribeLogGroups",
        "content-type": "application/x-amz-json-1.1",
      },
      body: "{}",
    });
    assert.deepEqual([logs.status, JSON.parse(logs.text)], [200, { logGroups: [] }]);
  });

  it("reads a malformed URL as a path, answering a well-formed error", async () => {
    for (const path of ["//", "///x", "/%", "/?%ZZ=1"]) {
      const r = await call(path, { method: "POST" });
      assert.equal(r.status, 400, path);
      assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>MissingAction<\/Code>/, path);
    }
  });
});
