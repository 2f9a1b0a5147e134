/**
 * STS through @aws-sdk/client-sts against a real server: GetCallerIdentity for each kind of key, AssumeRole's
 * temporary credentials acting as the role's account in STS and EC2 alike, their expiry on the simulated clock, and
 * every rule with its code, message, status and no state change.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException, type Credentials } from "@aws-sdk/client-sts";
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { adminCall, expectError, useHarness, type Harness } from "./harness.js";

const ROLE = "arn:aws:iam::222233334444:role/ops/Deployer";

const sts = (h: Harness, accessKeyId: string, secretAccessKey = "test", sessionToken?: string, region = "us-east-1"): STSClient =>
  new STSClient({
    endpoint: h.vpc.url,
    region,
    credentials: sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken },
    maxAttempts: 1,
  });

const ec2With = (h: Harness, c: Credentials): EC2Client =>
  new EC2Client({
    endpoint: h.vpc.url,
    region: "us-east-1",
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    maxAttempts: 1,
  });

/** Expects an STS error: code, message (exact or pattern) and HTTP status. */
const expectStsError = async (p: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof STSServiceException, `expected an STS error, got ${String(e)}`);
    assert.equal(e.name, code, `error code (message was: ${e.message})`);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, status, "HTTP status");
    return;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
};

/** The credentials AssumeRole stored for an account (the state dump lists them). */
const issued = async (h: Harness, account: string): Promise<unknown[]> =>
  ((await h.state(account)) as unknown as { stsCredentials: unknown[] }).stsCredentials;

describe("STS GetCallerIdentity", () => {
  const h = useHarness();

  it("names the account of a 12-digit key, and account 000000000000 for any other key", async () => {
    const a = await sts(h, "123456789012").send(new GetCallerIdentityCommand({}));
    assert.equal(a.Account, "123456789012");
    assert.equal(a.Arn, "arn:aws:iam::123456789012:user/localvpc");
    assert.match(a.UserId!, /^AIDA[A-Z2-7]{17}$/);
    const again = await sts(h, "123456789012").send(new GetCallerIdentityCommand({}));
    assert.equal(again.UserId, a.UserId, "the user id is stable for a key");
    const other = await sts(h, "test").send(new GetCallerIdentityCommand({}));
    assert.equal(other.Account, "000000000000");
    assert.equal(other.Arn, "arn:aws:iam::000000000000:user/localvpc");
    assert.notEqual(other.UserId, a.UserId);
  });

  it("uses the partition of the signing region", async () => {
    const cn = await sts(h, "123456789012", "test", undefined, "cn-north-1").send(new GetCallerIdentityCommand({}));
    assert.equal(cn.Arn, "arn:aws-cn:iam::123456789012:user/localvpc");
  });
});

describe("STS AssumeRole", () => {
  const h = useHarness();

  it("answers temporary credentials that act as the role's account in STS and EC2", async () => {
    const before = h.vpc.clock.now().getTime();
    const r = await sts(h, "123456789012").send(
      new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ci-run", SourceIdentity: "alice" }),
    );
    const c = r.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.ok(c.SecretAccessKey!.length >= 40);
    assert.ok(c.SessionToken!.length > 100);
    const lifetime = c.Expiration!.getTime() - before;
    assert.ok(lifetime > 3590_000 && lifetime <= 3601_000, `default duration one hour (got ${lifetime} ms)`);
    assert.equal(r.AssumedRoleUser!.Arn, "arn:aws:sts::222233334444:assumed-role/Deployer/ci-run");
    assert.match(r.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:ci-run$/);
    assert.equal(r.SourceIdentity, "alice");

    const me = await sts(h, c.AccessKeyId!, c.SecretAccessKey, c.SessionToken).send(new GetCallerIdentityCommand({}));
    assert.deepEqual(
      { Account: me.Account, Arn: me.Arn, UserId: me.UserId },
      { Account: "222233334444", Arn: r.AssumedRoleUser!.Arn, UserId: r.AssumedRoleUser!.AssumedRoleId },
    );

    const ec2 = ec2With(h, c);
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.77.0.0/16" }));
    assert.equal(Vpc!.OwnerId, "222233334444");
    const dump = await h.state("222233334444");
    assert.ok(
      dump.resources.some((r) => r.id === Vpc!.VpcId),
      "the VPC is in the role's account",
    );
    const own = await h.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr", Values: ["10.77.0.0/16"] }] }));
    assert.equal(own.Vpcs!.length, 0, "and not in the caller's");
    ec2.destroy();
  });

  it("the same role gives the same role id, whoever assumes it", async () => {
    const a = await sts(h, "123456789012").send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "one" }));
    const b = await sts(h, "111122223333").send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "two" }));
    assert.equal(a.AssumedRoleUser!.AssumedRoleId!.split(":")[0], b.AssumedRoleUser!.AssumedRoleId!.split(":")[0]);
    assert.notEqual(a.Credentials!.AccessKeyId, b.Credentials!.AccessKeyId);
  });

  it("expires on the simulated clock: STS answers ExpiredToken, EC2 RequestExpired", async () => {
    const r = await sts(h, "123456789012").send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "short", DurationSeconds: 900 }));
    const c = r.Credentials!;
    const ec2 = ec2With(h, c);
    await ec2.send(new DescribeVpcsCommand({}));
    await adminCall(h, "POST", "clock/advance", { ms: 900_000 });
    await expectStsError(
      sts(h, c.AccessKeyId!, c.SecretAccessKey, c.SessionToken).send(new GetCallerIdentityCommand({})),
      "ExpiredToken",
      "The security token included in the request is expired",
      403,
    );
    await expectError(ec2.send(new DescribeVpcsCommand({})), "RequestExpired", "Request has expired.");
    ec2.destroy();
  });

  it("refuses temporary credentials without their session token", async () => {
    const c = (await sts(h, "123456789012").send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "s1" }))).Credentials!;
    await expectStsError(
      sts(h, c.AccessKeyId!, c.SecretAccessKey).send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
      403,
    );
    await expectStsError(
      sts(h, c.AccessKeyId!, c.SecretAccessKey, "not-the-token").send(new GetCallerIdentityCommand({})),
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
      403,
    );
    const ec2 = new EC2Client({
      endpoint: h.vpc.url,
      region: "us-east-1",
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! },
      maxAttempts: 1,
    });
    await expectError(
      ec2.send(new DescribeVpcsCommand({})),
      "AuthFailure",
      "AWS was not able to validate the provided access credentials",
      401,
    );
    ec2.destroy();
  });

  it("limits a role-chained session to one hour", async () => {
    const first = (await sts(h, "123456789012").send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "a1" }))).Credentials!;
    const chained = sts(h, first.AccessKeyId!, first.SecretAccessKey, first.SessionToken);
    const before = await issued(h, "333344445555");
    await expectStsError(
      chained.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333344445555:role/Next", RoleSessionName: "b1", DurationSeconds: 3601 })),
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
    assert.deepEqual(await issued(h, "333344445555"), before, "no credentials issued");
    const ok = await chained.send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::333344445555:role/Next", RoleSessionName: "b1", DurationSeconds: 3600 }),
    );
    assert.equal(ok.AssumedRoleUser!.Arn, "arn:aws:sts::333344445555:assumed-role/Next/b1");
  });

  it("validates its input as AWS does, issuing nothing on an error", async () => {
    const client = sts(h, "123456789012");
    const cases: [AssumeRoleCommand, string, string | RegExp][] = [
      [
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "x" }),
        "ValidationError",
        "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "has space" }),
        "ValidationError",
        "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ok", DurationSeconds: 899 }),
        "ValidationError",
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ],
      [
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ok", DurationSeconds: 43201 }),
        "ValidationError",
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ],
      [
        new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222233334444:user/Deployer", RoleSessionName: "ok" }),
        "ValidationError",
        "arn:aws:iam::222233334444:user/Deployer is invalid",
      ],
      [
        new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ok", Policy: "{}" }),
        "UnsupportedOperation",
        "The parameter Policy is not supported by localvpc for AssumeRole yet.",
      ],
    ];
    for (const [command, code, message] of cases) {
      const before = await issued(h, "222233334444");
      await expectStsError(client.send(command), code, message);
      assert.deepEqual(await issued(h, "222233334444"), before, `no credentials issued (${code})`);
    }
  });
});

describe("STS on the Query wire", () => {
  const h = useHarness();
  const post = async (body: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${h.vpc.url}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: "AWS4-HMAC-SHA256 Credential=123456789012/20261203/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  it("answers AWS's Query shapes: result wrapper, request id, error envelope", async () => {
    const ok = await post("Action=GetCallerIdentity&Version=2011-06-15");
    assert.equal(ok.status, 200);
    assert.match(
      ok.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>AIDA\w+<\/UserId><Account>123456789012<\/Account><Arn>arn:aws:iam::123456789012:user\/localvpc<\/Arn><\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
    const cases: [string, string, string][] = [
      ["Action=MakeCoffee&Version=2011-06-15", "InvalidAction", "Could not find operation MakeCoffee for version 2011-06-15"],
      [
        "Action=GetSessionToken&Version=2011-06-15",
        "UnsupportedOperation",
        "The STS action GetSessionToken is valid but localvpc does not implement it yet. See COVERAGE.md.",
      ],
      ["Action=GetCallerIdentity&Version=2011-06-15&Bogus=1", "InvalidParameterValue", "The parameter Bogus is not recognized"],
      ["Version=2011-06-15", "MissingAction", "Missing Action"],
    ];
    for (const [body, code, message] of cases) {
      const r = await post(body);
      assert.equal(r.status, 400, body);
      assert.match(
        r.text,
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type>/,
      );
      assert.ok(r.text.includes(`<Code>${code}</Code><Message>${message}</Message>`), `${body}: ${r.text}`);
    }
  });
});
