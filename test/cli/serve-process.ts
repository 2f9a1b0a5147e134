/**
 * Spawns the built CLI (`node dist/src/cli/main.js serve …`, built by `npm run build`, which `npm test` runs first)
 * and waits for the one stdout line that carries its URL. Shared by the CLI smoke tests and the persistence test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI_PATH = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));
/** The listening line; a wildcard bind (`--host 0.0.0.0`) is reached at 127.0.0.1 all the same. */
const URL_PATTERN = /http:\/\/(?:127\.0\.0\.1|0\.0\.0\.0):(\d+)/;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** Everything printed on stderr so far (the JSON request log). */
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const assertBuilt = (): void => {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first (npm test does)`);
};

/** Runs the CLI with `args` to completion (for commands that are expected to exit on their own). */
export const runCli = async (
  args: readonly string[],
  timeoutMs = 15_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Exit & { stdout: string; stderr: string }> => {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exit = await new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  return { ...exit, stdout, stderr };
};

/** Starts `localvpc serve` with `args` and resolves once it has printed its URL. */
export const spawnServe = async (
  args: readonly string[],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServeProcess> => {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_PATH, "serve", ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`localvpc serve printed no URL within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      const m = URL_PATTERN.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then((e) => {
      clearTimeout(timer);
      reject(
        new Error(`localvpc serve exited (${e.code ?? e.signal ?? "?"}) before printing its URL.\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    });
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const m = await ready;
  return {
    child,
    url: `http://127.0.0.1:${m[1]}`,
    port: Number(m[1]),
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
};
