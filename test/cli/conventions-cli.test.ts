/**
 * Conventions of existing suites (issue 15): `--default-account` for keys that are not 12 digits (moto's suites expect
 * 123456789012), the CLI reading the AWS environment (endpoint, key, profile, region) as the AWS CLI does,
 * `localvpc reset [--account]`, and `scenario run --json` printing only JSON and ending quietly on a closed pipe.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateSubnetCommand, CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CLI_PATH, runCli, spawnServe, type ServeProcess } from "./serve-process.js";

const ec2 = (url: string, key: string, region = "us-east-1"): EC2Client =>
  new EC2Client({ endpoint: url, region, credentials: { accessKeyId: key, secretAccessKey: "test" }, maxAttempts: 1 });

/** The environment without any AWS_* or LOCALVPC_* setting, plus `extra`. */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_") && !k.startsWith("LOCALVPC_")) env[k] = v;
  return { ...env, HOME: mkdtempSync(join(tmpdir(), "localvpc-home-")), ...extra };
};

const owners = async (url: string, key: string, region = "us-east-1"): Promise<string[]> =>
  ((await ec2(url, key, region).send(new DescribeVpcsCommand({}))).Vpcs ?? []).map((v) => `${v.OwnerId}:${v.CidrBlock}`).sort();

describe("--default-account", () => {
  it("puts keys that are not 12 digits in that account (flag or LOCALVPC_DEFAULT_ACCOUNT); 12-digit keys keep theirs", async () => {
    const flag = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "silent", "--default-account", "123456789012"]);
    try {
      assert.deepEqual(await owners(flag.url, "test"), ["123456789012:172.31.0.0/16"]);
      assert.deepEqual(await owners(flag.url, "111122223333"), ["111122223333:172.31.0.0/16"]);
    } finally {
      await flag.stop();
    }
    const env = { ...process.env, LOCALVPC_DEFAULT_ACCOUNT: "123456789012" };
    const viaEnv = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "silent"], 20_000, env);
    try {
      assert.deepEqual(await owners(viaEnv.url, "AKIAEXAMPLE"), ["123456789012:172.31.0.0/16"]);
    } finally {
      await viaEnv.stop();
    }
  });

  it("refuses a default account that is not 12 digits, saying so", async () => {
    const r = await runCli(["serve", "--port", "0", "--data", ":memory:", "--default-account", "12345"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /defaultAccount must be 12 digits, not '12345'/);
  });
});

describe("the localvpc CLI and the AWS environment", () => {
  let server: ServeProcess;
  let subnetId: string;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "silent"]);
    const c = ec2(server.url, "111122223333", "eu-west-1");
    const vpc = (await c.send(new CreateVpcCommand({ CidrBlock: "10.5.0.0/16" }))).Vpc!.VpcId!;
    subnetId = (await c.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: "10.5.1.0/24" }))).Subnet!.SubnetId!;
  });
  after(() => server.stop());

  const managedEni = (env: NodeJS.ProcessEnv): ReturnType<typeof runCli> =>
    runCli(["managed-eni", "create", "--subnet", subnetId, "--service", "rds", "--json"], 15_000, env);

  it("takes the endpoint, account and region from AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_REGION", async () => {
    const r = await managedEni(cleanEnv({ AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: "111122223333", AWS_REGION: "eu-west-1" }));
    assert.equal(r.code, 0, r.stderr);
    assert.match((JSON.parse(r.stdout) as { NetworkInterfaceId: string }).NetworkInterfaceId, /^eni-/);
  });

  it("AWS_ENDPOINT_URL_EC2 wins over AWS_ENDPOINT_URL; AWS_DEFAULT_REGION and AWS_PROFILE's key work too", async () => {
    const home = cleanEnv()["HOME"]!;
    const creds = join(home, "credentials");
    writeFileSync(
      creds,
      "[default]\naws_access_key_id = AKIAOTHER\n\n[team]\naws_access_key_id = 111122223333\naws_secret_access_key = x\n",
    );
    const r = await managedEni(
      cleanEnv({
        AWS_ENDPOINT_URL_EC2: server.url,
        AWS_ENDPOINT_URL: "http://127.0.0.1:1",
        AWS_SHARED_CREDENTIALS_FILE: creds,
        AWS_PROFILE: "team",
        AWS_DEFAULT_REGION: "eu-west-1",
      }),
    );
    assert.equal(r.code, 0, r.stderr);
  });

  it("without them the subnet is looked for in the server's default account, and the error says so", async () => {
    const r = await managedEni(cleanEnv({ AWS_ENDPOINT_URL: server.url }));
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`InvalidSubnetID\\.NotFound: The subnet ID '${subnetId}' does not exist`));
  });
});

describe("localvpc reset", () => {
  it("--account forgets one account in every region; without it everything, whatever AWS_ACCESS_KEY_ID says", async () => {
    const server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "silent"]);
    try {
      await ec2(server.url, "111122223333").send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }));
      await ec2(server.url, "111122223333", "eu-west-1").send(new CreateVpcCommand({ CidrBlock: "10.2.0.0/16" }));
      await ec2(server.url, "444455556666").send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/16" }));
      const one = await runCli(["reset", "--endpoint", server.url, "--account", "111122223333"], 15_000, cleanEnv());
      assert.equal(one.code, 0, one.stderr);
      assert.equal(one.stdout, "Account 111122223333 forgotten (every region).\n");
      assert.deepEqual(await owners(server.url, "111122223333"), ["111122223333:172.31.0.0/16"]);
      assert.deepEqual(await owners(server.url, "111122223333", "eu-west-1"), ["111122223333:172.31.0.0/16"]);
      assert.deepEqual(await owners(server.url, "444455556666"), ["444455556666:10.3.0.0/16", "444455556666:172.31.0.0/16"]);
      const bad = await runCli(["reset", "--endpoint", server.url, "--account", "12"], 15_000, cleanEnv());
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /InvalidParameterValue/);
      const all = await runCli(["reset", "--json"], 15_000, cleanEnv({ AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: "111122223333" }));
      assert.equal(all.code, 0, all.stderr);
      assert.deepEqual(JSON.parse(all.stdout), { status: "ok" });
      assert.deepEqual(await owners(server.url, "444455556666"), ["444455556666:172.31.0.0/16"]);
    } finally {
      await server.stop();
    }
  });
});

describe("scenario run --json", () => {
  let server: ServeProcess;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "silent"]);
  });
  after(() => server.stop());

  it("prints only JSON on stdout (the commentary goes to stderr)", async () => {
    const r = await runCli(["scenario", "run", "ip-licensing", "--endpoint", server.url, "--json"], 30_000, cleanEnv());
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout) as { name: string; ok: boolean };
    assert.deepEqual([answer.name, answer.ok], ["ip-licensing", true]);
    assert.match(r.stderr, /Scenario ip-licensing against/);
  });

  it("ends quietly when its reader goes away (| head)", async () => {
    const child = spawn(process.execPath, [CLI_PATH, "scenario", "run", "ip-licensing", "--endpoint", server.url, "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: cleanEnv(),
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error:/);
  });
});
