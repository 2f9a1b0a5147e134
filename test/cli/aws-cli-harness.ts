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

/** `serveArgs`: extra `localvpc serve` flags (e.g. BYOIP's `--byoip-provision-delay 7d`). */
export const startAwsCli = async (accessKeyId = "123456789012", serveArgs: readonly string[] = []): Promise<AwsCli> => {
  const server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn", ...serveArgs]);
  const aws = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const { stdout } = await run("aws", ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json", "ec2", ...args], {
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
