/**
 * The installed AWS CLI and boto3 against a real `localvpc serve`, beyond EC2: `aws sts get-caller-identity` for each
 * account, `aws sts assume-role` and its credentials used by `aws ec2`, and the clear answer of services localvpc
 * does not emulate (`aws batch`, `aws sns`, `aws dynamodb`). .ci/run installs the CLI and boto3 when missing.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { spawnServe, type ServeProcess } from "./serve-process.js";

const run = promisify(execFile);

describe("AWS CLI and boto3: STS and services localvpc does not emulate", () => {
  let server: ServeProcess;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
  });
  after(async () => server.stop());

  const env = (keys: { id: string; secret?: string; token?: string }): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: keys.id,
      AWS_SECRET_ACCESS_KEY: keys.secret ?? "test",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_PAGER: "",
    };
    if (keys.token) e["AWS_SESSION_TOKEN"] = keys.token;
    else delete e["AWS_SESSION_TOKEN"];
    return e;
  };
  const aws = async <T>(keys: { id: string; secret?: string; token?: string }, ...args: string[]): Promise<T> => {
    const { stdout } = await run("aws", ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json", ...args], {
      env: env(keys),
      timeout: 60_000,
    });
    return JSON.parse(stdout) as T;
  };
  const awsFails = async (args: string[]): Promise<string> => {
    try {
      await aws({ id: "123456789012" }, ...args);
    } catch (e) {
      return String((e as { stderr?: unknown }).stderr);
    }
    assert.fail(`aws ${args.join(" ")} succeeded`);
  };

  it("aws sts get-caller-identity answers each account", async () => {
    const a = await aws<{ Account: string; Arn: string; UserId: string }>({ id: "123456789012" }, "sts", "get-caller-identity");
    assert.deepEqual([a.Account, a.Arn], ["123456789012", "arn:aws:iam::123456789012:user/localvpc"]);
    const b = await aws<{ Account: string }>({ id: "AKIAEXAMPLEKEY" }, "sts", "get-caller-identity");
    assert.equal(b.Account, "000000000000");
  });

  it("aws sts assume-role: its credentials act as the role's account in EC2", async () => {
    const r = await aws<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(
      { id: "123456789012" },
      "sts",
      "assume-role",
      "--role-arn",
      "arn:aws:iam::444455556666:role/Admin",
      "--role-session-name",
      "cli",
    );
    const keys = { id: r.Credentials.AccessKeyId, secret: r.Credentials.SecretAccessKey, token: r.Credentials.SessionToken };
    const me = await aws<{ Account: string; Arn: string }>(keys, "sts", "get-caller-identity");
    assert.deepEqual([me.Account, me.Arn], ["444455556666", "arn:aws:sts::444455556666:assumed-role/Admin/cli"]);
    const vpcs = await aws<{ Vpcs: { OwnerId: string; IsDefault: boolean }[] }>(keys, "ec2", "describe-vpcs");
    assert.deepEqual(
      vpcs.Vpcs.map((v) => [v.OwnerId, v.IsDefault]),
      [["444455556666", true]],
    );
  });

  it("services localvpc does not emulate answer clearly, naming the service", async () => {
    const cases: [string[], string, string][] = [
      [["batch", "describe-job-queues"], "UnknownOperationException", "batch"],
      [["sns", "list-topics"], "InvalidAction", "sns"],
      [["dynamodb", "list-tables"], "UnknownOperationException", "dynamodb"],
    ];
    for (const [args, code, service] of cases) {
      const stderr = await awsFails(args);
      assert.match(stderr, new RegExp(`\\(${code}\\)`), stderr);
      assert.match(stderr, new RegExp(`localvpc does not emulate the AWS service '${service}'`), stderr);
      assert.doesNotMatch(stderr, /MissingAction/);
    }
  });

  it("aws iam get-user answers the caller (Ansible's fallback for the account id); other IAM actions say IAM is not emulated", async () => {
    const me = await aws<{ User: { UserName: string; Arn: string; UserId: string; Path: string; CreateDate: string } }>(
      { id: "123456789012" },
      "iam",
      "get-user",
    );
    assert.deepEqual([me.User.UserName, me.User.Arn, me.User.Path], ["localvpc", "arn:aws:iam::123456789012:user/localvpc", "/"]);
    const sts = await aws<{ UserId: string }>({ id: "123456789012" }, "sts", "get-caller-identity");
    assert.equal(me.User.UserId, sts.UserId, "the same principal as GetCallerIdentity");
    const byName = await aws<{ User: { UserName: string } }>({ id: "123456789012" }, "iam", "get-user", "--user-name", "localvpc");
    assert.equal(byName.User.UserName, "localvpc");
    const other = await awsFails(["iam", "get-user", "--user-name", "bob"]);
    assert.match(other, /\(NoSuchEntity\) when calling the GetUser operation: The user with name bob cannot be found\./);
    const roles = await awsFails(["iam", "list-roles"]);
    assert.match(
      roles,
      /\(UnsupportedOperation\) when calling the ListRoles operation: The IAM action ListRoles is valid, but localvpc does not emulate IAM/,
    );
  });

  it("aws iam get-user with a role session's credentials: ValidationError, as AWS answers", async () => {
    const r = await aws<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>(
      { id: "123456789012" },
      "sts",
      "assume-role",
      "--role-arn",
      "arn:aws:iam::444455556666:role/Admin",
      "--role-session-name",
      "iam",
    );
    const keys = { id: r.Credentials.AccessKeyId, secret: r.Credentials.SecretAccessKey, token: r.Credentials.SessionToken };
    try {
      await aws(keys, "iam", "get-user");
      assert.fail("get-user succeeded for a role session");
    } catch (e) {
      assert.match(
        String((e as { stderr?: unknown }).stderr),
        /\(ValidationError\) when calling the GetUser operation: Must specify userName when calling with non-User credentials/,
      );
    }
  });

  it("boto3: get_caller_identity and assume_role", async () => {
    const script = `
import boto3, json, sys
url = sys.argv[1]
s = boto3.client("sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id="123456789012", aws_secret_access_key="test")
me = s.get_caller_identity()
r = s.assume_role(RoleArn="arn:aws:iam::777788889999:role/x/Reader", RoleSessionName="py")["Credentials"]
s2 = boto3.client("sts", endpoint_url=url, region_name="eu-west-1", aws_access_key_id=r["AccessKeyId"], aws_secret_access_key=r["SecretAccessKey"], aws_session_token=r["SessionToken"])
role = s2.get_caller_identity()
e = boto3.client("ec2", endpoint_url=url, region_name="eu-west-1", aws_access_key_id=r["AccessKeyId"], aws_secret_access_key=r["SecretAccessKey"], aws_session_token=r["SessionToken"])
owners = sorted({v["OwnerId"] for v in e.describe_vpcs()["Vpcs"]})
print(json.dumps({"me": [me["Account"], me["Arn"]], "role": [role["Account"], role["Arn"]], "owners": owners}))
`;
    const { stdout } = await run("python3", ["-c", script, server.url], { env: env({ id: "unused" }), timeout: 60_000 });
    assert.deepEqual(JSON.parse(stdout), {
      me: ["123456789012", "arn:aws:iam::123456789012:user/localvpc"],
      role: ["777788889999", "arn:aws:sts::777788889999:assumed-role/Reader/py"],
      owners: ["777788889999"],
    });
  });
});
