/**
 * `auth: "strict"` (`localvpc serve --auth strict`): every AWS request's SigV4 signature is verified against the
 * configured keys, with the real SDKs (EC2 Query, STS Query, CloudWatch Logs JSON) and raw requests signed with
 * @smithy/signature-v4 (the SDK's own signer): right keys act as their profile's account; a wrong secret, an unknown
 * key, a tampered signature or body, a skewed clock, a missing or incomplete signature and an expired presigned URL
 * are each answered with the service's own code, message and HTTP status, and change nothing. AssumeRole's temporary
 * credentials verify with their secret and session token. Admin routes stay open.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { SignatureV4 } from "@smithy/signature-v4";
import { startLocalVpc } from "../../src/index.js";
import { adminCall, expectError, useHarness, type Harness } from "./harness.js";

const ALICE = { accessKeyId: "AKIAALICE0000000", secretAccessKey: "alice/Secret+Key0000000000000000000000000", accountId: "111122223333" };
// A 12-digit key id whose profile names another account: under strict the account comes from the profile.
const BOB = { accessKeyId: "123456789012", secretAccessKey: "bob-secret", accountId: "555566667777" };
// The harness's own client signs with test/test.
const HARNESS = { accessKeyId: "test", secretAccessKey: "test", accountId: "000000000000" };

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const INVALID_TOKEN = "The security token included in the request is invalid.";

type Key = { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string | undefined };
const wrong = (k: Key): Key => ({ ...k, secretAccessKey: `${k.secretAccessKey}x` });
const UNKNOWN: Key = { accessKeyId: "AKIANOBODY000000", secretAccessKey: "whatever" };

const config = (h: Harness, k: Key, offsetMs = 0) => ({
  endpoint: h.vpc.url,
  region: "us-east-1",
  credentials:
    k.sessionToken === undefined
      ? { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey }
      : { ...k, sessionToken: k.sessionToken },
  // One attempt: SDK v3 corrects its clock from the server's Date on a retry.
  maxAttempts: 1,
  systemClockOffset: offsetMs,
});
const ec2 = (h: Harness, k: Key, offsetMs = 0): EC2Client => new EC2Client(config(h, k, offsetMs));
const sts = (h: Harness, k: Key, offsetMs = 0): STSClient => new STSClient(config(h, k, offsetMs));
const logs = (h: Harness, k: Key, offsetMs = 0): CloudWatchLogsClient => new CloudWatchLogsClient(config(h, k, offsetMs));

/** node:crypto's SHA-256 in the Hash shape @smithy/signature-v4 takes. */
class Sha256 {
  readonly #h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#h =
      secret === undefined
        ? createHash("sha256")
        : createHmac("sha256", typeof secret === "string" ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(d: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(
      typeof d === "string" ? d : new Uint8Array(ArrayBuffer.isView(d) ? d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) : d),
    );
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#h.digest()));
  }
}

type SmithyRequest = Parameters<SignatureV4["presign"]>[0];
const signer = (k: Key, service: string): SignatureV4 =>
  new SignatureV4({
    service,
    region: "us-east-1",
    credentials:
      k.sessionToken === undefined
        ? { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey }
        : { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, sessionToken: k.sessionToken },
    sha256: Sha256,
  });

const EC2_FORM = "Action=DescribeVpcs&Version=2016-11-15";
const CREATE_VPC_FORM = "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.91.0.0%2F16";
const FORM = "application/x-www-form-urlencoded; charset=utf-8";

/** A POST / signed by @smithy/signature-v4 (Authorization header): its headers, ready for fetch (without host). */
const signPost = async (
  h: Harness,
  k: Key,
  service: string,
  body: string,
  headers: Record<string, string>,
): Promise<Record<string, string>> => {
  const u = new URL(h.vpc.url);
  const req: SmithyRequest = {
    method: "POST",
    protocol: "http:",
    hostname: u.hostname,
    port: Number(u.port),
    path: "/",
    query: {},
    headers: { host: u.host, ...headers },
    body,
  };
  const signed = await signer(k, service).sign(req);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) if (name !== "host") out[name] = value;
  return out;
};

const post = async (h: Harness, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> => {
  const res = await fetch(`${h.vpc.url}/`, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
};

/** A presigned GET /?query URL (X-Amz-* in the query string), signed at `signingDate` for `expiresIn` seconds. */
const presign = async (
  h: Harness,
  k: Key,
  service: string,
  query: Record<string, string>,
  expiresIn: number,
  signingDate = new Date(),
): Promise<string> => {
  const u = new URL(h.vpc.url);
  const req: SmithyRequest = {
    method: "GET",
    protocol: "http:",
    hostname: u.hostname,
    port: Number(u.port),
    path: "/",
    query,
    headers: { host: u.host },
  };
  const signed = await signer(k, service).presign(req, { expiresIn, signingDate });
  const qs = Object.entries(signed.query ?? {})
    .map(([key, v]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`)
    .join("&");
  return `${h.vpc.url}/?${qs}`;
};

/** EC2's XML error shape: <Response><Errors><Error><Code>…</Code><Message>…</Message>. */
const assertEc2Error = (r: { status: number; text: string }, code: string, message: string | RegExp, status: number): void => {
  assert.equal(r.status, status, r.text);
  assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>/);
  assert.equal(/<Code>([^<]*)<\/Code>/.exec(r.text)?.[1], code, r.text);
  const m = /<Message>([^<]*)<\/Message>/
    .exec(r.text)?.[1]
    ?.replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  if (typeof message === "string") assert.equal(m, message);
  else assert.match(m ?? "", message);
};

describe("--auth strict: keys, accounts and the three services", () => {
  const h = useHarness({ auth: "strict", credentials: [ALICE, BOB, HARNESS] });

  it("right keys pass, and each acts as its profile's account (not its key id's)", async () => {
    const a = await sts(h, ALICE).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([a.Account, a.Arn], ["111122223333", "arn:aws:iam::111122223333:user/localvpc"]);
    const b = await sts(h, BOB).send(new GetCallerIdentityCommand({}));
    assert.equal(b.Account, "555566667777", "a 12-digit key id is not the account under strict");
    const { Vpc } = await ec2(h, BOB).send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }));
    assert.equal(Vpc!.OwnerId, "555566667777");
    const vpcs = await ec2(h, ALICE).send(new DescribeVpcsCommand({}));
    assert.deepEqual(
      vpcs.Vpcs!.map((v) => [v.OwnerId, v.IsDefault]),
      [["111122223333", true]],
    );
    await logs(h, ALICE).send(new CreateLogGroupCommand({ logGroupName: "/alice/app" }));
    const groups = await logs(h, ALICE).send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(
      groups.logGroups!.map((g) => g.arn),
      ["arn:aws:logs:us-east-1:111122223333:log-group:/alice/app:*"],
    );
  });

  it("a wrong secret: SignatureDoesNotMatch (EC2 and STS, 403), InvalidSignatureException (Logs, 400); nothing changes", async () => {
    const before = await h.state("111122223333");
    await expectError(
      ec2(h, wrong(ALICE)).send(new CreateVpcCommand({ CidrBlock: "10.91.0.0/16" })),
      "SignatureDoesNotMatch",
      MISMATCH,
      403,
    );
    await expectError(ec2(h, wrong(ALICE)).send(new DescribeVpcsCommand({})), "SignatureDoesNotMatch", MISMATCH, 403);
    await expectError(sts(h, wrong(ALICE)).send(new GetCallerIdentityCommand({})), "SignatureDoesNotMatch", MISMATCH, 403);
    await expectError(
      sts(h, wrong(ALICE)).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222233334444:role/R", RoleSessionName: "s" })),
      "SignatureDoesNotMatch",
      MISMATCH,
      403,
    );
    await expectError(
      logs(h, wrong(ALICE)).send(new CreateLogGroupCommand({ logGroupName: "/nope" })),
      "InvalidSignatureException",
      MISMATCH,
      400,
    );
    assert.deepEqual(await h.state("111122223333"), before, "state changed after a failed call");
    const groups = await logs(h, ALICE).send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(groups.logGroups, [], "no log group was created");
  });

  it("an unknown key: AuthFailure (EC2, 401), InvalidClientTokenId (STS, 403), UnrecognizedClientException (Logs, 400)", async () => {
    const before = await h.state();
    await expectError(
      ec2(h, UNKNOWN).send(new CreateVpcCommand({ CidrBlock: "10.92.0.0/16" })),
      "AuthFailure",
      "AWS was not able to validate the provided access credentials",
      401,
    );
    await expectError(sts(h, UNKNOWN).send(new GetCallerIdentityCommand({})), "InvalidClientTokenId", INVALID_TOKEN, 403);
    await expectError(logs(h, UNKNOWN).send(new DescribeLogGroupsCommand({})), "UnrecognizedClientException", INVALID_TOKEN, 400);
    // Under strict, a 12-digit key id is no longer a key of its own account.
    await expectError(
      sts(h, { accessKeyId: "999988887777", secretAccessKey: "x" }).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      INVALID_TOKEN,
      403,
    );
    assert.deepEqual(await h.state(), before);
  });

  it("a tampered signature, body or signed header: SignatureDoesNotMatch; the untampered request passes", async () => {
    const headers = await signPost(h, ALICE, "ec2", CREATE_VPC_FORM, { "content-type": FORM });
    const before = await h.state("111122223333");
    const sig = headers["authorization"]!;
    const flipped = sig.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    assertEc2Error(await post(h, { ...headers, authorization: flipped }, CREATE_VPC_FORM), "SignatureDoesNotMatch", MISMATCH, 403);
    // The body is not the one signed (its x-amz-content-sha256 no longer matches it).
    const otherBody = CREATE_VPC_FORM.replace("10.91", "10.99");
    assertEc2Error(await post(h, headers, otherBody), "SignatureDoesNotMatch", MISMATCH, 403);
    // A signed header changed.
    assertEc2Error(
      await post(h, { ...headers, "content-type": "application/x-www-form-urlencoded" }, CREATE_VPC_FORM),
      "SignatureDoesNotMatch",
      MISMATCH,
      403,
    );
    assert.deepEqual(await h.state("111122223333"), before);
    const ok = await post(h, headers, CREATE_VPC_FORM);
    assert.equal(ok.status, 200, ok.text);
    assert.match(ok.text, /<ownerId>111122223333<\/ownerId>/);
  });

  it("a body signed without x-amz-content-sha256 is hashed: STS and Logs verify raw requests too", async () => {
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const u = new URL(h.vpc.url);
    // applyChecksum off: no x-amz-content-sha256 header, so the server hashes the body itself.
    const s = new SignatureV4({ service: "sts", region: "us-east-1", credentials: ALICE, sha256: Sha256, applyChecksum: false });
    const signed = await s.sign({
      method: "POST",
      protocol: "http:",
      hostname: u.hostname,
      path: "/",
      query: {},
      headers: { host: u.host, "content-type": FORM },
      body,
    });
    assert.equal(signed.headers["x-amz-content-sha256"], undefined);
    const { host: _host, ...headers } = signed.headers;
    const r = await post(h, headers, body);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<Account>111122223333<\/Account>/);
    const bad = await post(h, headers, `${body}&x=1`);
    assert.equal(bad.status, 403);
    assert.match(bad.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it("a clock 20 minutes off: RequestExpired (EC2), SignatureDoesNotMatch (STS), InvalidSignatureException (Logs)", async () => {
    const min20 = 20 * 60_000;
    const before = await h.state("111122223333");
    await expectError(
      ec2(h, ALICE, -min20).send(new CreateVpcCommand({ CidrBlock: "10.93.0.0/16" })),
      "RequestExpired",
      "Request has expired.",
      400,
    );
    await expectError(ec2(h, ALICE, min20).send(new DescribeVpcsCommand({})), "RequestExpired", "Request has expired.", 400);
    await expectError(
      sts(h, ALICE, -min20).send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
      403,
    );
    await expectError(
      sts(h, ALICE, min20).send(new GetCallerIdentityCommand({})),
      "SignatureDoesNotMatch",
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
      403,
    );
    await expectError(
      logs(h, ALICE, -min20).send(new CreateLogGroupCommand({ logGroupName: "/late" })),
      "InvalidSignatureException",
      /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
      400,
    );
    assert.deepEqual(await h.state("111122223333"), before);
    // Within the window (10 minutes off) is fine.
    const ok = await sts(h, ALICE, 10 * 60_000).send(new GetCallerIdentityCommand({}));
    assert.equal(ok.Account, "111122223333");
  });

  it("the window is real time: advancing the simulated clock does not expire signatures", async () => {
    await adminCall(h, "POST", "clock/advance", { ms: 3 * 3600_000 });
    const me = await sts(h, ALICE).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, "111122223333");
  });

  it("no signature at all: MissingAuthenticationToken (EC2 shape, 403; Logs MissingAuthenticationTokenException, 400)", async () => {
    const before = await h.state();
    assertEc2Error(
      await post(h, { "content-type": FORM }, CREATE_VPC_FORM),
      "MissingAuthenticationToken",
      "Request is missing Authentication Token",
      403,
    );
    const get = await fetch(`${h.vpc.url}/?${EC2_FORM}`);
    assertEc2Error(
      { status: get.status, text: await get.text() },
      "MissingAuthenticationToken",
      "Request is missing Authentication Token",
      403,
    );
    const l = await post(h, { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.DescribeLogGroups" }, "{}");
    assert.equal(l.status, 400);
    assert.deepEqual(JSON.parse(l.text), {
      __type: "MissingAuthenticationTokenException",
      message: "Request is missing Authentication Token",
    });
    assert.deepEqual(await h.state(), before);
  });

  it("an incomplete or malformed Authorization header: IncompleteSignature, naming what is missing", async () => {
    const date = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const partial = `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/${date.slice(0, 8)}/us-east-1/sts/aws4_request`;
    const r = await post(h, { "content-type": FORM, authorization: partial }, "Action=GetCallerIdentity&Version=2011-06-15");
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /<Code>IncompleteSignature<\/Code>/);
    assert.equal(
      /<Message>([^<]*)<\/Message>/.exec(r.text)?.[1],
      `Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${partial}`,
    );
    const bearer = await post(h, { "content-type": FORM, authorization: "Bearer abc", "x-amz-date": date }, CREATE_VPC_FORM);
    assertEc2Error(
      bearer,
      "IncompleteSignature",
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
      400,
    );
    const noEq = `AWS4-HMAC-SHA256 Credential=${ALICE.accessKeyId}/${date.slice(0, 8)}/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature`;
    assertEc2Error(
      await post(h, { "content-type": FORM, authorization: noEq, "x-amz-date": date }, CREATE_VPC_FORM),
      "IncompleteSignature",
      `'Signature' not a valid key=value pair (missing equal-sign) in Authorization header: '${noEq}'.`,
      400,
    );
  });

  it("presigned URLs: a presigned GET DescribeVpcs works, an expired or tampered one fails", async () => {
    const query = { Action: "DescribeVpcs", Version: "2016-11-15", "Filter.1.Name": "is-default", "Filter.1.Value.1": "true" };
    const url = await presign(h, ALICE, "ec2", query, 300);
    assert.match(url, /X-Amz-Signature=[0-9a-f]{64}/);
    const ok = await fetch(url);
    const text = await ok.text();
    assert.equal(ok.status, 200, text);
    assert.match(text, /<ownerId>111122223333<\/ownerId>/);

    // Signed 10 minutes ago for 60 seconds: past X-Amz-Expires.
    const expired = await presign(h, ALICE, "ec2", query, 60, new Date(Date.now() - 10 * 60_000));
    const e = await fetch(expired);
    assertEc2Error({ status: e.status, text: await e.text() }, "RequestExpired", "Request has expired.", 400);

    const tampered = await fetch(url.replace("Value.1=true", "Value.1=false"));
    assertEc2Error({ status: tampered.status, text: await tampered.text() }, "SignatureDoesNotMatch", MISMATCH, 403);
    const wrongKey = await fetch(await presign(h, wrong(ALICE), "ec2", query, 300));
    assertEc2Error({ status: wrongKey.status, text: await wrongKey.text() }, "SignatureDoesNotMatch", MISMATCH, 403);

    const partial = await fetch(url.replace(/&X-Amz-Signature=[0-9a-f]+/, ""));
    assertEc2Error(
      { status: partial.status, text: await partial.text() },
      "IncompleteSignature",
      "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
      400,
    );

    const stsUrl = await presign(h, ALICE, "sts", { Action: "GetCallerIdentity", Version: "2011-06-15" }, 60);
    const me = await fetch(stsUrl);
    const meText = await me.text();
    assert.equal(me.status, 200, meText);
    assert.match(meText, /<Account>111122223333<\/Account>/);
  });

  it("AssumeRole's temporary credentials verify with their secret and session token", async () => {
    const r = await sts(h, ALICE).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222233334444:role/ops/Deployer", RoleSessionName: "ci" }),
    );
    const c = r.Credentials!;
    const temp: Key = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const me = await sts(h, temp).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([me.Account, me.Arn], ["222233334444", "arn:aws:sts::222233334444:assumed-role/Deployer/ci"]);
    const { Vpc } = await ec2(h, temp).send(new CreateVpcCommand({ CidrBlock: "10.94.0.0/16" }));
    assert.equal(Vpc!.OwnerId, "222233334444");
    const presigned = await fetch(await presign(h, temp, "sts", { Action: "GetCallerIdentity", Version: "2011-06-15" }, 60));
    assert.match(await presigned.text(), /<Account>222233334444<\/Account>/);

    const before = await h.state("222233334444");
    await expectError(
      ec2(h, wrong(temp)).send(new CreateVpcCommand({ CidrBlock: "10.95.0.0/16" })),
      "SignatureDoesNotMatch",
      MISMATCH,
      403,
    );
    await expectError(sts(h, wrong(temp)).send(new GetCallerIdentityCommand({})), "SignatureDoesNotMatch", MISMATCH, 403);
    // The right secret without the session token, or with another one: the token check still applies.
    const noToken: Key = { accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey };
    await expectError(
      ec2(h, noToken).send(new CreateVpcCommand({ CidrBlock: "10.95.0.0/16" })),
      "AuthFailure",
      "AWS was not able to validate the provided access credentials",
      401,
    );
    await expectError(
      sts(h, { ...temp, sessionToken: "forged" }).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      INVALID_TOKEN,
      403,
    );
    assert.deepEqual(await h.state("222233334444"), before);

    // They still expire on the simulated clock.
    await adminCall(h, "POST", "clock/advance", { ms: 3600_000 });
    await expectError(ec2(h, temp).send(new DescribeVpcsCommand({})), "RequestExpired", "Request has expired.", 400);
    await expectError(
      sts(h, temp).send(new GetCallerIdentityCommand({})),
      "ExpiredToken",
      "The security token included in the request is expired",
      403,
    );
  });

  it("the admin routes need no signature but the admin token, generated at start; the health check needs neither", async () => {
    const health = await adminCall<{ status: string }>(h, "GET", "health");
    assert.deepEqual([health.status, health.body.status], [200, "ok"]);
    const token = h.vpc.adminToken;
    assert.ok(token !== undefined && token.length >= 32, "strict mode generates a token");
    const anonymous = await fetch(`${h.vpc.url}/_localvpc/state?account=111122223333`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: string }).error, "AdminTokenRequired");
    const st = await fetch(`${h.vpc.url}/_localvpc/state?account=111122223333`, { headers: { "x-localvpc-token": token } });
    assert.equal(st.status, 200);
  });

  it("an unsigned EC2 request that carries the admin token (the console's) runs in its scope's account", async () => {
    const body = "Action=DescribeVpcs&Version=2016-11-15";
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=111122223333/${date}/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=console`,
    };
    const refused = await fetch(`${h.vpc.url}/`, { method: "POST", headers, body });
    const refusedText = await refused.text();
    assert.equal(refused.status, 400, refusedText);
    assert.match(refusedText, /<Code>IncompleteSignature<\/Code><Message>Authorization header requires existence of either a 'X-Amz-Date'/);
    const wrong = await fetch(`${h.vpc.url}/`, { method: "POST", headers: { ...headers, "x-localvpc-token": "not-the-token" }, body });
    assert.equal(wrong.status, 400, "a wrong token vouches for nothing: the signature is checked");
    const ok = await fetch(`${h.vpc.url}/`, { method: "POST", headers: { ...headers, "x-localvpc-token": h.vpc.adminToken! }, body });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<ownerId>111122223333<\/ownerId>/);
  });
});

describe("--auth options at start", () => {
  it("strict without any key is a startup error that says what to pass", async () => {
    await assert.rejects(
      startLocalVpc({ port: 0, auth: "strict" }),
      /auth "strict" needs keys to verify signatures with: pass --credentials FILE/,
    );
    await assert.rejects(startLocalVpc({ port: 0, auth: "strict", credentials: [] }), /needs keys/);
  });

  it("keys without strict, or an unusable key, are startup errors", async () => {
    await assert.rejects(startLocalVpc({ port: 0, credentials: [ALICE] }), /credentials are only used with auth "strict"/);
    await assert.rejects(
      startLocalVpc({ port: 0, auth: "strict", credentials: [{ ...ALICE, accountId: "42" }] }),
      /the account id must be 12 digits, not '42'/,
    );
    await assert.rejects(startLocalVpc({ port: 0, auth: "strict", credentials: [ALICE, ALICE] }), /listed twice/);
    await assert.rejects(
      startLocalVpc({ port: 0, auth: "strict", credentialsFile: "/nonexistent/creds.ini" }),
      /cannot read the credentials file \/nonexistent\/creds.ini/,
    );
  });

  it("any (the default) stays as it was: any key, any secret, the account from a 12-digit key id", async () => {
    const vpc = await startLocalVpc({ port: 0 });
    try {
      const c = new STSClient({
        endpoint: vpc.url,
        region: "us-east-1",
        credentials: { accessKeyId: "123456789012", secretAccessKey: "anything" },
        maxAttempts: 1,
      });
      assert.equal((await c.send(new GetCallerIdentityCommand({}))).Account, "123456789012");
      const unsigned = await fetch(`${vpc.url}/?${EC2_FORM}`);
      assert.equal(unsigned.status, 200);
      c.destroy();
    } finally {
      await vpc.close();
    }
  });
});
