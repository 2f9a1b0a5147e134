#!/usr/bin/env node
/**
 * The `localvpc` command. `serve` runs the emulator; other subcommands drive a running server's admin API.
 * No logic of its own: flags become startLocalVpc options or admin calls.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { pino } from "pino";
import { startLocalVpc, VERSION } from "../index.js";
import { isLoopbackHost } from "../server/console.js";
import { registerManagedEniCommand } from "./managed-eni-command.js";
import { registerEksCommand } from "./eks-command.js";
import { registerResetCommand } from "./reset-command.js";
import { registerChaosCommand } from "./chaos-command.js";
import { registerTrafficCommand } from "./traffic-command.js";
// --- Web console and scenarios (issue 6) ---
import { registerScenarioCommand } from "./scenario-command.js";
import { QUOTA_CLI_NAMES, type Quotas } from "../domain/quotas.js";
// BYOIP: the simulated registry, internet and clock
import { registerRirCommand } from "./rir-command.js";
import { registerBgpCommand } from "./bgp-command.js";
import { parseDurationArg, registerClockCommand } from "./clock-command.js";

const parsePort = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("must be a port number 0-65535");
  return n;
};

const parsePositive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive whole number");
  return n;
};

const collectQuota = (v: string, acc: Partial<Record<keyof Quotas, number>>): Partial<Record<keyof Quotas, number>> => {
  const m = /^([a-z0-9-]+)=(\d+)$/.exec(v);
  const key = m ? QUOTA_CLI_NAMES[m[1] ?? ""] : undefined;
  if (!m || !key) throw new InvalidArgumentError(`expected NAME=NUMBER with NAME one of: ${Object.keys(QUOTA_CLI_NAMES).join(", ")}`);
  return { ...acc, [key]: Number(m[2]) };
};

interface ServeFlags {
  host: string;
  port: number;
  data: string;
  logLevel: string;
  quota: Partial<Quotas>;
  deny: string[];
  byoipProvisionDelay: number; // BYOIP
  s3Dir?: string; // flow logs: directory for s3 destinations
  consoleActions?: boolean; // web console on a non-loopback host
  auth: "any" | "strict"; // issue 14: SigV4 verification
  credentials?: string;
  adminToken?: string; // issue 14: admin API guards
  defaultAccount?: string; // issue 15: conventions of existing suites
  allowHost: string[];
  regions: string[];
  headersTimeout?: number;
  requestTimeout?: number;
  maxConnections?: number;
  strictImages?: boolean; // issue 15: images
  images?: string;
}

const program = new Command();
program.name("localvpc").description("A local, AWS-compatible emulator of EC2 networking").version(VERSION);

program
  .command("serve")
  .description("Run the EC2 emulator (EC2 Query API at /, admin API at /_localvpc/)")
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--port <port>", "port to listen on (0 picks a free port)", parsePort, 4599)
  .option("--data <path>", 'SQLite file for state, or ":memory:"', "./.localvpc/state.db")
  .option("--log-level <level>", "fatal|error|warn|info|debug|silent", "info")
  .option("--quota <NAME=VALUE>", "override an AWS quota (repeatable)", collectQuota, {})
  .option("--deny <Action>", "answer this action with UnauthorizedOperation (repeatable)", (v: string, acc: string[]) => [...acc, v], [])
  .option("--byoip-provision-delay <duration>", "BYOIP provisioning time on the simulated clock (e.g. 7d)", parseDurationArg, 0)
  .option("--s3-dir <path>", "directory for flow logs with an s3 destination (default: s3/ beside --data, or a temp dir)")
  .option("--console-actions", "allow actions from the web console on a non-loopback --host (read-only otherwise)")
  .addOption(
    new Option("--auth <mode>", "any: any key works, signatures unchecked; strict: verify SigV4 against --credentials")
      .choices(["any", "strict"])
      .default("any"),
  )
  .option(
    "--credentials <file>",
    "with --auth strict: AWS shared-credentials file (aws_access_key_id, aws_secret_access_key, aws_account_id per profile)",
  )
  .option(
    "--admin-token <token>",
    "admin API token (default: generated and printed on a non-loopback --host or with --auth strict; env LOCALVPC_ADMIN_TOKEN)",
  )
  .option(
    "--default-account <id>",
    "account of access keys that are not 12 digits (default 000000000000; moto's suites expect 123456789012; env LOCALVPC_DEFAULT_ACCOUNT)",
  )
  .option(
    "--allow-host <name>",
    "another host name clients reach this server by (repeatable; * allows any)",
    (v: string, acc: string[]) => [...acc, v],
    [],
  )
  .option("--headers-timeout <duration>", "time a client has to send a request's headers (default 20s)", parseDurationArg)
  .option("--request-timeout <duration>", "time a client has to send a whole request (default 120s)", parseDurationArg)
  .option("--max-connections <n>", "open connections at most (default 1024)", parsePositive)
  .option(
    "--regions <r1,r2>",
    "opt-in regions the accounts have opted in to (e.g. af-south-1,eu-south-2; repeatable); others answer AuthFailure",
    (v: string, acc: string[]) => [
      ...acc,
      ...v
        .split(",")
        .map((r) => r.trim())
        .filter((r) => r !== ""),
    ],
    [],
  )
  .option("--strict-images", "answer InvalidAMIID.NotFound for an AMI id in no catalogue (default: launch it as a generic x86_64 image)")
  .option("--images <file>", "more AMIs, as 'aws ec2 describe-images --output json' prints them ({\"Images\": [...]})")
  .action(async (opts: ServeFlags) => {
    const logger = pino({ level: opts.logLevel }, pino.destination({ dest: 2, sync: false }));
    const adminToken = opts.adminToken ?? (process.env["LOCALVPC_ADMIN_TOKEN"] || undefined);
    const defaultAccount = opts.defaultAccount ?? (process.env["LOCALVPC_DEFAULT_ACCOUNT"] || undefined);
    let vpc;
    try {
      vpc = await startLocalVpc({
        host: opts.host,
        port: opts.port,
        data: opts.data,
        logger,
        quotas: opts.quota,
        deniedActions: opts.deny,
        byoipProvisionDelayMs: opts.byoipProvisionDelay,
        ...(opts.s3Dir !== undefined ? { s3Dir: opts.s3Dir } : {}),
        consoleActions: opts.consoleActions === true,
        auth: opts.auth,
        ...(opts.credentials !== undefined ? { credentialsFile: opts.credentials } : {}),
        ...(adminToken !== undefined ? { adminToken } : {}),
        ...(defaultAccount !== undefined ? { defaultAccount } : {}),
        allowHosts: opts.allowHost,
        optInRegions: opts.regions,
        ...(opts.headersTimeout !== undefined ? { headersTimeoutMs: opts.headersTimeout } : {}),
        ...(opts.requestTimeout !== undefined ? { requestTimeoutMs: opts.requestTimeout } : {}),
        ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
        strictImages: opts.strictImages === true,
        ...(opts.images !== undefined ? { imagesFile: opts.images } : {}),
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`localvpc: could not start: ${message}\n`);
      if (message.includes("EADDRINUSE")) process.stderr.write(`Port ${opts.port} is in use: pass --port 0 or another port.\n`);
      process.exit(1);
    }
    process.stdout.write(`localvpc ${VERSION} listening on ${vpc.url} (data: ${opts.data})\n`);
    if (vpc.adminToken !== undefined) {
      // Printed once, like Jupyter's token: the operator copies it into the CLI's environment or opens the console link.
      process.stdout.write(
        `Admin token: ${vpc.adminToken}\n` +
          `  CLI:     export LOCALVPC_ADMIN_TOKEN=${vpc.adminToken}   (or --admin-token)\n` +
          `  Console: ${vpc.url}/_localvpc/console/?token=${encodeURIComponent(vpc.adminToken)}\n`,
      );
    }
    if (!isLoopbackHost(opts.host) && opts.auth === "any") {
      process.stderr.write(
        `\n*** WARNING: the AWS APIs on ${vpc.url} accept any key and check no signature (--auth any).\n` +
          `*** Anyone who can reach this address can create, change and delete resources in any account.\n` +
          `*** Bind a loopback address (--host 127.0.0.1), or verify signatures: --auth strict --credentials FILE.\n\n`,
      );
    }
    const stop = (signal: string): void => {
      logger.info({ signal }, "shutting down");
      void vpc.close().then(() => {
        logger.flush();
        process.exit(0);
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });

registerManagedEniCommand(program);
registerResetCommand(program);
// BYOIP
registerRirCommand(program);
registerBgpCommand(program);
registerClockCommand(program);
// data plane (issue 5)
registerTrafficCommand(program);
registerChaosCommand(program);
// Web console and scenarios (issue 6)
registerScenarioCommand(program);
// EKS pod networking (issue 18)
registerEksCommand(program);

// `localvpc … | head`: a reader that goes away ends the command quietly, as other Unix tools do (no EPIPE trace).
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`localvpc: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
