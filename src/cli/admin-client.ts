/**
 * What every `localvpc` admin subcommand shares: the common flags (`--endpoint`, `--account`, `--region`, `--json`),
 * one call to a running server's admin API, and output (human text by default, the JSON answer with `--json`).
 * A failure prints one line that says what to do and exits 1.
 */
import type { Command } from "commander";
import { ADMIN_TOKEN_HEADER } from "../server/guard.js";
import { awsEnvDefaults, DEFAULT_ENDPOINT } from "./aws-env.js";

export { DEFAULT_ENDPOINT };

export interface AdminCliOptions {
  readonly endpoint: string;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly json?: boolean;
  /** The server's admin token (`--admin-token`, else LOCALVPC_ADMIN_TOKEN). */
  readonly adminToken?: string;
}

/** Adds the flags every admin subcommand takes. */
export const withAdminOptions = (cmd: Command): Command => {
  const env = awsEnvDefaults();
  return cmd
    .option(
      "--endpoint <url>",
      "localvpc endpoint (default: AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, or http://127.0.0.1:4599)",
      env.endpoint,
    )
    .option(
      "--account <id>",
      "account (default: a 12-digit AWS_ACCESS_KEY_ID or AWS_PROFILE key, else the server's default account)",
      env.account,
    )
    .option("--region <name>", "region (default: AWS_REGION, AWS_DEFAULT_REGION, or us-east-1)", env.region)
    .option("--json", "print the answer as JSON")
    .option("--admin-token <token>", "the server's admin token, when it needs one (default: env LOCALVPC_ADMIN_TOKEN)");
};

const fail = (line: string): never => {
  process.stderr.write(`localvpc: ${line}\n`);
  process.exit(1);
};

/**
 * Calls `METHOD /_localvpc/PATH` with a JSON body (GET: `account`/`region` go in the query string). Answers the
 * parsed JSON; on an error answer or an unreachable server, prints why and exits 1.
 */
export const callAdmin = async <T = Record<string, unknown>>(
  o: AdminCliOptions,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  body: Record<string, string | number | boolean | readonly unknown[] | undefined> = {},
): Promise<T> => {
  const base = o.endpoint.replace(/\/+$/, "");
  const scoped: Record<string, unknown> = { ...body };
  if (o.account) scoped["account"] = o.account;
  if (o.region) scoped["region"] = o.region;
  let url = `${base}/_localvpc/${path.replace(/^\/+/, "")}`;
  const token = o.adminToken ?? (process.env["LOCALVPC_ADMIN_TOKEN"] || undefined);
  const headers: Record<string, string> = token === undefined ? {} : { [ADMIN_TOKEN_HEADER]: token };
  const init: RequestInit = { method, headers };
  if (method === "GET") {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(scoped)) {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") q.set(k, String(v));
    }
    const qs = q.toString();
    if (qs) url += `${url.includes("?") ? "&" : "?"}${qs}`;
  } else {
    init.headers = { ...headers, "content-type": "application/json" };
    init.body = JSON.stringify(scoped);
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    return fail(`could not reach localvpc at ${o.endpoint}. Start it with \`localvpc serve\` or pass --endpoint URL.`);
  }
  const text = await res.text();
  let answer: unknown;
  try {
    answer = text === "" ? {} : JSON.parse(text);
  } catch {
    answer = { message: text };
  }
  if (!res.ok) {
    const a = (answer ?? {}) as { error?: string; message?: string };
    return fail(`${a.error ?? String(res.status)}: ${a.message ?? "request failed"}`);
  }
  return answer as T;
};

/** Prints the answer: pretty JSON with `--json`, else the human rendering. */
export const printAnswer = <T>(o: AdminCliOptions, answer: T, human: (a: T) => string): void => {
  process.stdout.write(o.json ? `${JSON.stringify(answer, null, 2)}\n` : `${human(answer).replace(/\n$/, "")}\n`);
};
