/**
 * `localvpc serve --auth strict --credentials FILE` with the installed AWS CLI (botocore) and boto3: the right keys
 * work and act as the file's aws_account_id; a wrong secret is SignatureDoesNotMatch, an unknown key AuthFailure (EC2)
 * or InvalidClientTokenId (STS); stdout still carries only the URL line; a bad start is a one-line error.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

const run = promisify(execFile);

const ALICE = { id: "AKIAALICE0000000", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", account: "111122223333" };
const CI = { id: "123456789012", secret: "ci+secret=with/odd chars", account: "444455556666" };

const CREDENTIALS = `# localvpc --auth strict keys
[alice]
aws_access_key_id = ${ALICE.id}
aws_secret_access_key = ${ALICE.secret}
aws_account_id = ${ALICE.account}

[profile ci]
aws_access_key_id=${CI.id}
aws_secret_access_key=${CI.secret}
aws_account_id=${CI.account}
region = eu-west-1
`;

describe("localvpc serve --auth strict --credentials FILE: AWS CLI and boto3", () => {
  let server: ServeProcess;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "localvpc-auth-"));
    writeFileSync(join(dir, "creds.ini"), CREDENTIALS);
    server = await spawnServe([
      "--port",
      "0",
      "--data",
      ":memory:",
      "--log-level",
      "warn",
      "--auth",
      "strict",
      "--credentials",
      join(dir, "creds.ini"),
    ]);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (keys: { id: string; secret: string; token?: string }): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: keys.id,
      AWS_SECRET_ACCESS_KEY: keys.secret,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
    };
    if (keys.token) e["AWS_SESSION_TOKEN"] = keys.token;
    else delete e["AWS_SESSION_TOKEN"];
    return e;
  };
  const aws = async <T>(keys: { id: string; secret: string; token?: string }, ...args: string[]): Promise<T> => {
    const { stdout } = await run("aws", ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json", ...args], {
      env: env(keys),
      timeout: 60_000,
    });
    return JSON.parse(stdout) as T;
  };
  const awsFails = async (keys: { id: string; secret: string }, ...args: string[]): Promise<string> => {
    try {
      await aws(keys, ...args);
    } catch (e) {
      return String((e as { stderr?: unknown }).stderr);
    }
    assert.fail(`aws ${args.join(" ")} succeeded`);
  };

  it("stdout is the URL line, then the admin token strict mode generates (and how the CLI and console take it)", async () => {
    // The token lines follow the URL line; wait for the last of them.
    for (let i = 0; i < 100 && !/Console: .*\n/.test(server.stdout()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(
      server.stdout(),
      /^localvpc \S+ listening on http:\/\/127\.0\.0\.1:\d+ \(data: :memory:\)\nAdmin token: [A-Za-z0-9_-]{32}\n {2}CLI: {5}export LOCALVPC_ADMIN_TOKEN=[A-Za-z0-9_-]{32} {3}\(or --admin-token\)\n {2}Console: http:\/\/127\.0\.0\.1:\d+\/_localvpc\/console\/\?token=[A-Za-z0-9_-]{32}\n$/,
    );
  });

  it("aws ec2 describe-vpcs and aws sts get-caller-identity with the right keys: the file's account", async () => {
    const me = await aws<{ Account: string; Arn: string }>(ALICE, "sts", "get-caller-identity");
    assert.deepEqual([me.Account, me.Arn], [ALICE.account, `arn:aws:iam::${ALICE.account}:user/localvpc`]);
    const ci = await aws<{ Account: string }>(CI, "sts", "get-caller-identity");
    assert.equal(ci.Account, CI.account, "a 12-digit key id is not the account: the profile's aws_account_id is");
    const vpcs = await aws<{ Vpcs: { OwnerId: string; IsDefault: boolean }[] }>(ALICE, "ec2", "describe-vpcs");
    assert.deepEqual(
      vpcs.Vpcs.map((v) => [v.OwnerId, v.IsDefault]),
      [[ALICE.account, true]],
    );
    const filtered = await aws<{ Vpcs: unknown[] }>(ALICE, "ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=a b+c/d=é*~");
    assert.deepEqual(filtered.Vpcs, [], "odd characters in the signed body verify");
  });

  it("a wrong secret: (SignatureDoesNotMatch); an unknown key: (AuthFailure) / (InvalidClientTokenId)", async () => {
    const bad = { id: ALICE.id, secret: "not-the-secret" };
    const ec2 = await awsFails(bad, "ec2", "describe-vpcs");
    assert.match(
      ec2,
      /\(SignatureDoesNotMatch\) when calling the DescribeVpcs operation: The request signature we calculated does not match/,
    );
    const stsErr = await awsFails(bad, "sts", "get-caller-identity");
    assert.match(stsErr, /\(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation/);
    const unknown = { id: "AKIANOBODY000000", secret: "x" };
    assert.match(
      await awsFails(unknown, "ec2", "describe-vpcs"),
      /\(AuthFailure\) when calling the DescribeVpcs operation: AWS was not able to validate the provided access credentials/,
    );
    assert.match(
      await awsFails(unknown, "sts", "get-caller-identity"),
      /\(InvalidClientTokenId\) when calling the GetCallerIdentity operation: The security token included in the request is invalid\./,
    );
  });

  it("aws sts assume-role under strict: its temporary credentials verify and act as the role's account", async () => {
    const r = await aws<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(
      ALICE,
      "sts",
      "assume-role",
      "--role-arn",
      "arn:aws:iam::777788889999:role/Admin",
      "--role-session-name",
      "cli",
    );
    const temp = { id: r.Credentials.AccessKeyId, secret: r.Credentials.SecretAccessKey, token: r.Credentials.SessionToken };
    const me = await aws<{ Account: string }>(temp, "sts", "get-caller-identity");
    assert.equal(me.Account, "777788889999");
    assert.match(await awsFails({ id: temp.id, secret: "wrong" }, "sts", "get-caller-identity"), /\(SignatureDoesNotMatch\)/);
  });

  it("boto3: right keys, wrong secret, unknown key, and a presigned URL", async () => {
    const script = `
import boto3, botocore, json, sys, urllib.request
url, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
def client(service, k, s):
    return boto3.client(service, endpoint_url=url, region_name="eu-west-1", aws_access_key_id=k, aws_secret_access_key=s)
def code(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
    return "succeeded"
out = {
    "me": client("sts", key, secret).get_caller_identity()["Account"],
    "owners": sorted({v["OwnerId"] for v in client("ec2", key, secret).describe_vpcs()["Vpcs"]}),
    "groups": client("logs", key, secret).describe_log_groups()["logGroups"],
    "ec2Wrong": code(lambda: client("ec2", key, "wrong").describe_vpcs()),
    "stsWrong": code(lambda: client("sts", key, "wrong").get_caller_identity()),
    "logsWrong": code(lambda: client("logs", key, "wrong").describe_log_groups()),
    "ec2Unknown": code(lambda: client("ec2", "AKIANOBODY", "x").describe_vpcs()),
    "stsUnknown": code(lambda: client("sts", "AKIANOBODY", "x").get_caller_identity()),
    "logsUnknown": code(lambda: client("logs", "AKIANOBODY", "x").describe_log_groups()),
}
presigned = client("ec2", key, secret).generate_presigned_url("describe_vpcs", Params={}, ExpiresIn=60, HttpMethod="GET")
out["presigned"] = urllib.request.urlopen(presigned).status
print(json.dumps(out))
`;
    const { stdout } = await run("python3", ["-c", script, server.url, ALICE.id, ALICE.secret], {
      env: env({ id: "unused", secret: "unused" }),
      timeout: 60_000,
    });
    assert.deepEqual(JSON.parse(stdout), {
      me: ALICE.account,
      owners: [ALICE.account],
      groups: [],
      ec2Wrong: ["SignatureDoesNotMatch", 403],
      stsWrong: ["SignatureDoesNotMatch", 403],
      logsWrong: ["InvalidSignatureException", 400],
      ec2Unknown: ["AuthFailure", 401],
      stsUnknown: ["InvalidClientTokenId", 403],
      logsUnknown: ["UnrecognizedClientException", 400],
      presigned: 200,
    });
  });
});

describe("localvpc serve --auth strict: start errors", () => {
  it("strict without --credentials exits 1 with a message that says what to pass", async () => {
    const r = await runCli(["serve", "--port", "0", "--data", ":memory:", "--auth", "strict"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^localvpc: could not start: auth "strict" needs keys to verify signatures with: pass --credentials FILE/);
  });

  it("a credentials file with a mistake names the file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localvpc-auth-"));
    try {
      const file = join(dir, "creds.ini");
      writeFileSync(file, "[alice]\naws_access_key_id = AKIAALICE\naws_secret_access_key = s\n");
      const r = await runCli(["serve", "--port", "0", "--data", ":memory:", "--auth", "strict", "--credentials", file]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`could not start: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:1: profile \\[alice\\] has no aws_account_id`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--auth takes only any or strict", async () => {
    const r = await runCli(["serve", "--port", "0", "--data", ":memory:", "--auth", "maybe"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /argument 'maybe' is invalid\. Allowed choices are any, strict\./);
  });
});
