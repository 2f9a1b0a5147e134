/**
 * The defaults the `localvpc` admin commands take from the AWS environment, as the AWS CLI would: the endpoint from
 * AWS_ENDPOINT_URL_EC2 or AWS_ENDPOINT_URL, the region from AWS_REGION or AWS_DEFAULT_REGION, and the account from
 * the access key (AWS_ACCESS_KEY_ID, else AWS_PROFILE's key in the shared credentials file): a 12-digit key id is the
 * account, as the server reads it, or the profile's `aws_account_id`. Without one the server's default account
 * applies — the same one an SDK call with that key lands in.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:4599";

export interface AwsEnvDefaults {
  readonly endpoint: string;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

/** The settings of one profile of an INI file (lenient: the CLI only looks for defaults, a bad file gives none). */
const profileSettings = (path: string, profile: string): Map<string, string> => {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return out;
  }
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*(?:profile\s+)?([^\]]*?)\s*\]$/.exec(line);
    if (header) inProfile = header[1] === profile;
    else if (inProfile && line.includes("=") && !line.startsWith("#") && !line.startsWith(";")) {
      const eq = line.indexOf("=");
      out.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
    }
  }
  return out;
};

export const awsEnvDefaults = (env: NodeJS.ProcessEnv = process.env): AwsEnvDefaults => {
  const pick = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
  const endpoint = pick("AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL") ?? DEFAULT_ENDPOINT;
  const region = pick("AWS_REGION", "AWS_DEFAULT_REGION");
  let key = pick("AWS_ACCESS_KEY_ID");
  let account: string | undefined;
  if (key === undefined) {
    const file = pick("AWS_SHARED_CREDENTIALS_FILE") ?? join(homedir(), ".aws", "credentials");
    const settings = profileSettings(file, pick("AWS_PROFILE") ?? "default");
    key = settings.get("aws_access_key_id");
    const id = settings.get("aws_account_id");
    if (id !== undefined && /^\d{12}$/.test(id)) account = id;
  }
  if (key !== undefined && /^\d{12}$/.test(key)) account = key;
  return { endpoint, account, region };
};
