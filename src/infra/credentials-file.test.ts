/** Table tests for the AWS shared-credentials parser behind `localvpc serve --auth strict --credentials FILE`. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CredentialsFileError, loadCredentialsFile, parseCredentialsFile, type StaticCredential } from "./credentials-file.js";

const alice = { accessKeyId: "AKIAALICE", secretAccessKey: "alice/secret+1", accountId: "111122223333" };

describe("parseCredentialsFile: accepted files", () => {
  const cases: [name: string, text: string, expected: StaticCredential[]][] = [
    ["empty file", "", []],
    ["comments and blank lines only", "# keys\n; more\n\n   \n", []],
    [
      "one profile",
      "[alice]\naws_access_key_id = AKIAALICE\naws_secret_access_key = alice/secret+1\naws_account_id = 111122223333\n",
      [{ profile: "alice", ...alice }],
    ],
    [
      "no spaces around =, CRLF, BOM, upper-case keys, indented lines",
      "\uFEFF[alice]\r\nAWS_ACCESS_KEY_ID=AKIAALICE\r\n  aws_secret_access_key=alice/secret+1\r\nAws_Account_Id=111122223333\r\n",
      [{ profile: "alice", ...alice }],
    ],
    [
      "a value containing '=' keeps everything after the first '='",
      "[p]\naws_access_key_id = K\naws_secret_access_key = abc==\naws_account_id = 000000000001\n",
      [{ profile: "p", accessKeyId: "K", secretAccessKey: "abc==", accountId: "000000000001" }],
    ],
    [
      "other settings are ignored; [profile x] reads as x; several profiles in order",
      [
        "[default]",
        "aws_access_key_id = AKIADEFAULT",
        "aws_secret_access_key = s1",
        "aws_account_id = 123456789012",
        "region = eu-west-1",
        "aws_session_token = ignored",
        "",
        "[profile ci]",
        "# the CI user",
        "aws_access_key_id = AKIACI",
        "aws_secret_access_key = s2",
        "aws_account_id = 210987654321",
      ].join("\n"),
      [
        { profile: "default", accessKeyId: "AKIADEFAULT", secretAccessKey: "s1", accountId: "123456789012" },
        { profile: "ci", accessKeyId: "AKIACI", secretAccessKey: "s2", accountId: "210987654321" },
      ],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      assert.deepEqual(parseCredentialsFile(text), expected);
    });
  }
});

describe("parseCredentialsFile: rejected files name the line and the fix", () => {
  const full = (name: string, id: string, account = "111122223333"): string =>
    `[${name}]\naws_access_key_id = ${id}\naws_secret_access_key = s\naws_account_id = ${account}\n`;
  const cases: [name: string, text: string, message: string][] = [
    [
      "a setting before any section",
      "aws_access_key_id = K\n",
      "f:1: a setting must come after a profile section header such as [default]",
    ],
    ["a line that is not key = value", "[p]\njust words\n", "f:2: 'just words' is not a setting: write key = value"],
    ["a line starting with = ", "[p]\n= v\n", "f:2: '= v' is not a setting: write key = value"],
    ["an unclosed section header", "[p\n", "f:1: '[p' is not a section header: write [profile-name]"],
    ["an empty section name", "[ ]\n", "f:1: a profile section needs a name, e.g. [default]"],
    ["a profile defined twice", full("p", "A") + full("p", "B"), "f:5: profile [p] is already defined on line 1"],
    [
      "a key set twice",
      "[p]\naws_account_id = 111122223333\naws_account_id = 111122223333\n",
      "f:3: aws_account_id is already set for profile [p] on line 2",
    ],
    [
      "no account id",
      "[p]\naws_access_key_id = K\naws_secret_access_key = s\n",
      "f:1: profile [p] has no aws_account_id: every profile needs aws_access_key_id, aws_secret_access_key, aws_account_id",
    ],
    [
      "no secret",
      "[p]\naws_access_key_id = K\naws_account_id = 111122223333\n",
      "f:1: profile [p] has no aws_secret_access_key: every profile needs aws_access_key_id, aws_secret_access_key, aws_account_id",
    ],
    [
      "an empty secret",
      "[p]\naws_access_key_id = K\naws_secret_access_key =\naws_account_id = 111122223333\n",
      "f:3: aws_secret_access_key of profile [p] is empty",
    ],
    ["an account id that is not 12 digits", full("p", "K", "12345"), "f:4: aws_account_id of profile [p] must be 12 digits, not '12345'"],
    ["a key id with a space", full("p", "AKIA X"), "f:2: aws_access_key_id of profile [p] contains whitespace"],
    ["one key id in two profiles", full("a", "K") + full("b", "K"), "f:6: access key id K of profile [b] is also the key of profile [a]"],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      assert.throws(
        () => parseCredentialsFile(text, "f"),
        (e: unknown) => e instanceof CredentialsFileError && e.message === message,
        `expected: ${message}`,
      );
    });
  }
});

describe("loadCredentialsFile", () => {
  it("reads a file, naming it in errors; a missing file is a clear error", () => {
    const dir = mkdtempSync(join(tmpdir(), "localvpc-creds-"));
    try {
      const path = join(dir, "creds.ini");
      writeFileSync(
        path,
        "[alice]\naws_access_key_id = AKIAALICE\naws_secret_access_key = alice/secret+1\naws_account_id = 111122223333\n",
      );
      assert.deepEqual(loadCredentialsFile(path), [{ profile: "alice", ...alice }]);
      writeFileSync(path, "[alice]\nnonsense\n");
      assert.throws(() => loadCredentialsFile(path), { message: `${path}:2: 'nonsense' is not a setting: write key = value` });
      const missing = join(dir, "nope.ini");
      assert.throws(() => loadCredentialsFile(missing), {
        message: `cannot read the credentials file ${missing} (ENOENT): give the path of an AWS shared-credentials file`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
