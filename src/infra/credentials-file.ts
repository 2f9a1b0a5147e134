/**
 * The keys `localvpc serve --auth strict --credentials FILE` verifies signatures with, read from a file in the AWS
 * shared-credentials format (`~/.aws/credentials`): INI sections, one per profile, each naming an access key id, its
 * secret and the account the key belongs to.
 *
 *   [alice]
 *   aws_access_key_id = AKIAALICE0000000000
 *   aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
 *   aws_account_id = 111122223333
 *
 * As the AWS CLI reads the file: `#` and `;` start a comment line, keys are case-insensitive, `key = value` or
 * `key=value`, blank values are errors here (a key without a secret cannot sign). Other settings (`region`,
 * `aws_session_token`, …) are ignored. `aws_account_id` is required: under `--auth strict` the account comes from it,
 * never from the key id. A section named `[profile x]` (the config file's form) is read as `x`.
 *
 * Every problem is an error naming the file, the line and what to write instead, so a typo stops the server at start
 * rather than answering every request SignatureDoesNotMatch.
 */
import { readFileSync } from "node:fs";

export interface StaticCredential {
  /** The profile (section) it came from, for messages. */
  readonly profile?: string | undefined;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The 12-digit account the key belongs to. */
  readonly accountId: string;
}

export class CredentialsFileError extends Error {}

interface Section {
  readonly name: string;
  readonly line: number;
  readonly values: Map<string, { value: string; line: number }>;
}

const REQUIRED = ["aws_access_key_id", "aws_secret_access_key", "aws_account_id"] as const;

/** The credentials in `text` (the contents of `source`, which only names the file in messages). */
export const parseCredentialsFile = (text: string, source = "credentials file"): StaticCredential[] => {
  const fail: (line: number, what: string) => never = (line, what) => {
    throw new CredentialsFileError(`${source}:${line}: ${what}`);
  };
  const sections: Section[] = [];
  let current: Section | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const n = i + 1;
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*(?:profile\s+)?([^\]]*?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1] ?? "";
      if (name === "") fail(n, "a profile section needs a name, e.g. [default]");
      const dup = sections.find((s) => s.name === name);
      if (dup) fail(n, `profile [${name}] is already defined on line ${dup.line}`);
      current = { name, line: n, values: new Map() };
      sections.push(current);
      continue;
    }
    if (line.startsWith("[")) fail(n, `'${line}' is not a section header: write [profile-name]`);
    const eq = line.indexOf("=");
    if (eq <= 0) fail(n, `'${line}' is not a setting: write key = value`);
    if (!current) fail(n, "a setting must come after a profile section header such as [default]");
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    const previous = current.values.get(key);
    if (previous) fail(n, `${key} is already set for profile [${current.name}] on line ${previous.line}`);
    current.values.set(key, { value, line: n });
  }
  const out: StaticCredential[] = [];
  const byKey = new Map<string, string>();
  for (const s of sections) {
    for (const k of REQUIRED) {
      const v = s.values.get(k);
      if (!v) fail(s.line, `profile [${s.name}] has no ${k}: every profile needs ${REQUIRED.join(", ")}`);
      else if (v.value === "") fail(v.line, `${k} of profile [${s.name}] is empty`);
    }
    const id = s.values.get("aws_access_key_id")!;
    const account = s.values.get("aws_account_id")!;
    if (/\s/.test(id.value)) fail(id.line, `aws_access_key_id of profile [${s.name}] contains whitespace`);
    if (!/^\d{12}$/.test(account.value)) {
      fail(account.line, `aws_account_id of profile [${s.name}] must be 12 digits, not '${account.value}'`);
    }
    const other = byKey.get(id.value);
    if (other !== undefined) fail(id.line, `access key id ${id.value} of profile [${s.name}] is also the key of profile [${other}]`);
    byKey.set(id.value, s.name);
    out.push({
      profile: s.name,
      accessKeyId: id.value,
      secretAccessKey: s.values.get("aws_secret_access_key")!.value,
      accountId: account.value,
    });
  }
  return out;
};

/** Reads and parses `path`; an unreadable file is an error that names it. */
export const loadCredentialsFile = (path: string): StaticCredential[] => {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new CredentialsFileError(
      `cannot read the credentials file ${path}${typeof code === "string" ? ` (${code})` : ""}: give the path of an AWS shared-credentials file`,
    );
  }
  return parseCredentialsFile(text, path);
};
