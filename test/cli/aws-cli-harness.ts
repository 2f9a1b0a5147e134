/**
 * Drives the installed AWS CLI (v1 from Python, or Debian's awscli, which .ci/run installs when missing) against a
 * `localvpc serve` child process: `aws(...)` returns the parsed JSON answer, `awsFails(...)` asserts AWS's error code
 * (and returns the CLI's stderr so a test can check the message too).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { spawnServe, type ServeProcess } from "./serve-process.js";

const run = promisify(execFile);

export interface AwsCli {
  readonly server: ServeProcess;
  readonly aws: <T = Record<string, unknown>>(...args: string[]) => Promise<T>;
  readonly awsFails: (args: readonly string[], code: string) => Promise<string>;
  close(): Promise<void>;
}

/**
 * The AWS CLI pointed at a localvpc at `url`, with no config or credentials file of the machine's: `aws(...args)` runs
 * `aws --endpoint-url URL --region us-east-1 --output json ARGS` (ARGS start with the service) and parses the answer.
 */
export const awsCliAt =
  (url: string, accessKeyId = "123456789012") =>
  async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const { stdout } = await run("aws", ["--endpoint-url", url, "--region", "us-east-1", "--output", "json", ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
      },
      timeout: 60_000,
    });
    return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
  };

/** `serveArgs`: extra `localvpc serve` flags (e.g. BYOIP's `--byoip-provision-delay 7d`). */
export const startAwsCli = async (accessKeyId = "123456789012", serveArgs: readonly string[] = []): Promise<AwsCli> => {
  const server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn", ...serveArgs]);
  const cli = awsCliAt(server.url, accessKeyId);
  const aws = <T = Record<string, unknown>>(...args: string[]): Promise<T> => cli<T>("ec2", ...args);
  const awsFails = async (args: readonly string[], code: string): Promise<string> => {
    try {
      await aws(...args);
    } catch (e) {
      const stderr = String((e as { stderr?: unknown }).stderr);
      assert.match(stderr, new RegExp(`\\(${code.replace(/\./g, "\\.")}\\)`));
      return stderr;
    }
    assert.fail(`expected ${code}`);
  };
  return {
    server,
    aws,
    awsFails,
    close: async () => {
      await server.stop();
    },
  };
};
