/**
 * Reads the caller's identity from SigV4: the access key id gives the account (a 12-digit key id *is* the
 * account; anything else is account 000000000000) and the credential scope gives the region. Signatures are
 * not verified — localvpc has no secrets to check them against — but the headers must be well formed.
 */
export const DEFAULT_ACCOUNT = "000000000000";
export const DEFAULT_REGION = "us-east-1";

/** Who the key is (services/sts/identity.ts resolves it): the principal GetCallerIdentity names. */
export interface Identity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
  /** Set for an assumed-role session (role chaining limits its AssumeRole to one hour). */
  readonly assumedRole?: { readonly roleArn: string; readonly sessionName: string } | undefined;
}

export interface Caller {
  readonly accessKeyId: string | undefined;
  readonly account: string;
  readonly region: string;
  readonly service: string | undefined;
  /** `X-Amz-Security-Token` (temporary credentials), when sent. */
  readonly sessionToken?: string | undefined;
  /** Resolved by the dispatcher before any service runs. */
  readonly identity?: Identity | undefined;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** A 12-digit key id is the account; any other key is `defaultAccount` (`--default-account`, else 000000000000). */
export const accountOf = (accessKeyId: string | undefined, defaultAccount = DEFAULT_ACCOUNT): string =>
  accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : defaultAccount;

/** From an `Authorization: AWS4-HMAC-SHA256 Credential=…` header, or a presigned query's X-Amz-Credential. */
export const callerOf = (
  authorization: string | undefined,
  queryCredential: string | undefined,
  legacyKeyId?: string,
  defaultAccount = DEFAULT_ACCOUNT,
): Caller => {
  const m = authorization ? CREDENTIAL.exec(authorization) : queryCredential ? CREDENTIAL.exec(`Credential=${queryCredential}`) : null;
  if (m) {
    return { accessKeyId: m[1], account: accountOf(m[1], defaultAccount), region: m[3]!, service: m[4] };
  }
  return { accessKeyId: legacyKeyId, account: accountOf(legacyKeyId, defaultAccount), region: DEFAULT_REGION, service: undefined };
};
