/**
 * Who a request's key is: the principal behind GetCallerIdentity and the account every service scopes by.
 *
 * - A key AssumeRole issued (`ASIA…`, kept in store/sts-store.ts) is that role's session in the role's account, until
 *   it expires on the simulated clock; its session token must come with it.
 * - Any other key is a user of the account its id names (a 12-digit key id *is* the account; anything else is
 *   000000000000): `arn:aws:iam::ACCOUNT:user/localvpc`, with a user id derived from the key so it is stable.
 */
import { createHash } from "node:crypto";
import type { Caller, Identity } from "../../protocol/auth.js";
import type { StsStore } from "../../store/sts-store.js";

export type Resolved = { readonly caller: Caller & { readonly identity: Identity } } | { readonly problem: "expired" | "invalid-token" };

/** The IAM partition of a region (`aws-cn` for China, `aws-us-gov` for GovCloud). */
export const partitionOf = (region: string): string =>
  region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** `prefix` + `length` base32 characters of SHA-256(seed): AWS-shaped unique ids that are the same on every run. */
export const stableId = (prefix: string, seed: string, length = 17): string => {
  const digest = createHash("sha256").update(seed).digest();
  let out = prefix;
  for (let i = 0; i < length; i++) out += ALNUM.charAt(digest[i]! % 32);
  return out;
};

/** User ids by key: a SHA-256 per request was a visible cost of every call (issue 19). Bounded; cleared when full. */
const userIds = new Map<string, string>();
const userIdOf = (key: string): string => {
  let id = userIds.get(key);
  if (id === undefined) {
    if (userIds.size >= 4_096) userIds.clear();
    id = stableId("AIDA", `user:${key}`);
    userIds.set(key, id);
  }
  return id;
};

export const resolveIdentity = (sts: StsStore, caller: Caller, sessionToken: string | undefined, nowMs: number): Resolved => {
  const key = caller.accessKeyId;
  const issued = key?.startsWith("ASIA") ? sts.get(key) : undefined;
  if (issued) {
    if (sessionToken !== issued.sessionToken) return { problem: "invalid-token" };
    if (nowMs >= issued.expiration) return { problem: "expired" };
    const roleName = issued.roleArn.slice(issued.roleArn.lastIndexOf("/") + 1);
    const partition = issued.roleArn.split(":")[1] ?? "aws";
    const identity: Identity = {
      account: issued.account,
      arn: `arn:${partition}:sts::${issued.account}:assumed-role/${roleName}/${issued.sessionName}`,
      userId: `${issued.roleId}:${issued.sessionName}`,
      assumedRole: { roleArn: issued.roleArn, sessionName: issued.sessionName },
    };
    return { caller: { ...caller, account: issued.account, identity } };
  }
  const identity: Identity = {
    account: caller.account,
    arn: `arn:${partitionOf(caller.region)}:iam::${caller.account}:user/localvpc`,
    userId: userIdOf(key ?? ""),
  };
  return { caller: { ...caller, identity } };
};
