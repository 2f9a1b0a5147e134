/**
 * STS actions: GetCallerIdentity (who am I: Terraform's provider, Ansible's modules and most tools call it first) and
 * AssumeRole (temporary credentials in the role's account, so cross-account tests use the ordinary SDK flow).
 *
 * localvpc has no IAM: any well-formed role ARN can be assumed, trust policies and session policies are not
 * evaluated, and the role's MaxSessionDuration is taken to be the 12-hour maximum.
 */
import { randomBytes } from "node:crypto";
import { err } from "../../domain/errors.js";
import type { StsStore } from "../../store/sts-store.js";
import type { ServiceAction } from "../common/pipeline.js";
import type { Identity } from "../../protocol/auth.js";
import { stableId } from "./identity.js";

export interface StsContext {
  readonly store: StsStore;
  readonly identity: Identity;
  readonly now: Date;
}

/** arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME — the form IAM gives role ARNs. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
/** AWS: "Roles assumed by role chaining are limited to a maximum session duration of one hour." */
const CHAINED_MAX_SECONDS = 3600;

const random = (alphabet: string, length: number): string => {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet.charAt(bytes[i]! % alphabet.length);
  return out;
};
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

const getCallerIdentity: ServiceAction<StsContext> = {
  name: "GetCallerIdentity",
  mutates: false,
  params: [],
  run: (_input, { identity }) => ({ UserId: identity.userId, Account: identity.account, Arn: identity.arn }),
};

const assumeRole: ServiceAction<StsContext> = {
  name: "AssumeRole",
  mutates: true,
  params: ["RoleArn", "RoleSessionName", "DurationSeconds", "ExternalId", "SourceIdentity", "Tags", "TransitiveTagKeys"],
  run: (input, { store, identity, now }) => {
    const roleArn = input["RoleArn"] as string;
    const sessionName = input["RoleSessionName"] as string;
    const m = ROLE_ARN.exec(roleArn);
    if (!m) throw err.stsInvalidRoleArn(roleArn);
    const duration = (input["DurationSeconds"] as number | undefined) ?? 3600;
    if (identity.assumedRole && duration > CHAINED_MAX_SECONDS) throw err.stsChainedDuration();
    const account = m[2]!;
    const roleId = stableId("AROA", `role:${roleArn}`);
    const accessKeyId = `ASIA${random(UPPER_ALNUM, 16)}`;
    const secretAccessKey = randomBytes(30).toString("base64");
    const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString("base64")}`;
    const expiration = now.getTime() + duration * 1000;
    store.put({ accessKeyId, secretAccessKey, sessionToken, account, roleArn, roleId, sessionName, expiration });
    const sourceIdentity = input["SourceIdentity"] as string | undefined;
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: secretAccessKey,
        SessionToken: sessionToken,
        Expiration: new Date(expiration),
      },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${sessionName}`,
        Arn: `arn:${m[1]!}:sts::${account}:assumed-role/${m[3]!}/${sessionName}`,
      },
      SourceIdentity: sourceIdentity,
    };
  },
};

export const STS_ACTIONS: ReadonlyMap<string, ServiceAction<StsContext>> = new Map([getCallerIdentity, assumeRole].map((a) => [a.name, a]));
