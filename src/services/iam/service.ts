/**
 * IAM, as far as tools need it to learn who they are. Ansible's amazon.aws modules ask STS GetCallerIdentity for the
 * account id and fall back to IAM GetUser; so GetUser answers for the caller (the same `user/localvpc` principal that
 * GetCallerIdentity names). localvpc has no IAM: users, roles and policies do not exist, and every other IAM
 * operation answers that it is not emulated.
 */
import { err } from "../../domain/errors.js";
import type { Identity } from "../../protocol/auth.js";
import type { StsStore } from "../../store/sts-store.js";
import type { CallInfo, ServiceAction, ServiceDefinition } from "../common/pipeline.js";
import type { QueryDecoded } from "../common/query.js";
import { resolveIdentity } from "../sts/seams.js";
import { IAM_BINDING, iamModel } from "./binding.js";

interface IamContext {
  readonly identity: Identity;
}

/** The caller's user was "created" at the Unix epoch of the account: a fixed date, so answers are stable. */
const USER_CREATED = new Date("2020-01-01T00:00:00Z");

const getUser: ServiceAction<IamContext> = {
  name: "GetUser",
  mutates: false,
  params: ["UserName"],
  run: (input, { identity }) => {
    const asked = input["UserName"] as string | undefined;
    // AWS: GetUser without a UserName names the caller, which must be an IAM user (not a role session).
    if (asked === undefined && identity.assumedRole) throw err.iamUserNameRequired();
    const m = /^arn:([\w-]+):iam::(\d{12}):user\/(?:(.*)\/)?([^/]+)$/.exec(identity.arn);
    const userName = m?.[4] ?? "localvpc";
    if (asked !== undefined && asked !== userName) throw err.iamNoSuchUser(asked);
    return {
      User: { Path: m?.[3] ? `/${m[3]}/` : "/", UserName: userName, UserId: identity.userId, Arn: identity.arn, CreateDate: USER_CREATED },
    };
  },
};

const IAM_ACTIONS: ReadonlyMap<string, ServiceAction<IamContext>> = new Map([[getUser.name, getUser]]);

export interface IamServiceOptions {
  readonly sts: StsStore;
  readonly now: () => Date;
  readonly onInternalError?: ((e: unknown, requestId: string) => void) | undefined;
}

export const iamService = (o: IamServiceOptions): ServiceDefinition<IamContext, QueryDecoded> => {
  const version = (): string => iamModel().metadata.apiVersion;
  const identityOf = (info: CallInfo): Identity => {
    if (info.caller.identity) return info.caller.identity;
    const r = resolveIdentity(o.sts, info.caller, info.caller.sessionToken, info.now.getTime());
    if ("problem" in r) throw err.stsExpiredToken();
    return r.caller.identity;
  };
  return {
    name: "iam",
    operations: () => iamModel().operations,
    actions: IAM_ACTIONS,
    binding: IAM_BINDING,
    errors: {
      missingOperation: () => err.queryMissingAction(),
      unknownOperation: (name) => err.queryInvalidAction(name, version()),
      notImplemented: (name) => err.iamNotEmulated(name),
      unsupportedMember: (member, op) => err.queryUnsupportedMember(member, op),
      internal: () => err.queryInternal(),
      expiredToken: () => err.stsExpiredToken(),
      invalidToken: () => err.invalidClientTokenId(),
    },
    now: o.now,
    // Nothing is stored: GetUser reads only the caller's identity.
    transaction: (_kind, info, fn) => fn({ identity: identityOf(info) }),
    onInternalError: o.onInternalError,
  };
};
