/**
 * E2E harness: a real localvpc server on port 0 and the real @aws-sdk/client-ec2 client over a real socket.
 * `expectError` asserts code AND message AND HTTP status; `state()` dumps every stored row of the scope so a test
 * can assert that a failed call changed nothing.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach } from "node:test";
import { CreateSubnetCommand, CreateVpcCommand, DescribeSecurityGroupsCommand, EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import type { Verdict } from "../../src/domain/dataplane/evaluate.js";
import { startLocalVpc, type LocalVpc, type LocalVpcOptions } from "../../src/index.js";

/** GET /_localvpc/state: every stored row of one account/region. */
export interface StoredRecord {
  readonly kind: string;
  readonly id: string;
  readonly [k: string]: unknown;
}
export interface StateDump {
  readonly resources: StoredRecord[];
  readonly ipUsage: { subnet_id: string; address: string; family: number; owner_id: string; weight: number }[];
  readonly ipHints: { subnet_id: string; family: number; next: string }[];
  readonly kindCounts: { kind: string; n: number }[];
  readonly idempotency: unknown[];
}

export interface Harness {
  readonly vpc: LocalVpc;
  readonly ec2: EC2Client;
  /** A client for another account (a 12-digit access key id is the account) or region. */
  client(accessKeyId: string, region?: string): EC2Client;
  /** Every stored record of a scope (default: account 000000000000, us-east-1). */
  state(account?: string, region?: string): Promise<StateDump>;
  close(): Promise<void>;
}

export const startHarness = async (options: LocalVpcOptions = {}): Promise<Harness> => {
  const vpc = await startLocalVpc({ port: 0, data: ":memory:", ...options });
  const client = (accessKeyId: string, region = "us-east-1"): EC2Client =>
    new EC2Client({ endpoint: vpc.url, region, credentials: { accessKeyId, secretAccessKey: "test" }, maxAttempts: 1 });
  const ec2 = client("test");
  return {
    vpc,
    ec2,
    client,
    state: async (account = "000000000000", region = "us-east-1") => {
      const res = await fetch(`${vpc.url}/_localvpc/state?account=${account}&region=${region}`, {
        headers: vpc.adminToken === undefined ? {} : { "x-localvpc-token": vpc.adminToken },
      });
      return res.json() as Promise<StateDump>;
    },
    close: async () => {
      ec2.destroy();
      await vpc.close();
    },
  };
};

/**
 * One server for the enclosing describe(), reset before each test: registers the before/after/beforeEach hooks and
 * returns the harness (a view that always points at the current server).
 */
export const useHarness = (options: LocalVpcOptions = {}): Harness => {
  let current: Harness | undefined;
  before(async () => {
    current = await startHarness(options);
  });
  after(async () => current?.close());
  beforeEach(async () => {
    await current?.vpc.reset();
  });
  const live = (): Harness => {
    if (!current) throw new Error("useHarness(): the server starts in before(); use the harness inside tests");
    return current;
  };
  return {
    get vpc() {
      return live().vpc;
    },
    get ec2() {
      return live().ec2;
    },
    client: (accessKeyId, region) => live().client(accessKeyId, region),
    state: (account, region) => live().state(account, region),
    close: () => live().close(),
  };
};

/** An admin API call (`/_localvpc/<path>`): JSON in, status and JSON out; `account` goes in the query string. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the answer shape
export const adminCall = async <T>(
  h: Harness,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  account?: string,
): Promise<{ status: number; body: T }> => {
  // A server that needs its admin token (--auth strict, a non-loopback host) gets it, as the CLI sends it.
  const token: Record<string, string> = h.vpc.adminToken === undefined ? {} : { "x-localvpc-token": h.vpc.adminToken };
  const init: RequestInit = { method, headers: token };
  if (body !== undefined) {
    init.headers = { ...token, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${h.vpc.url}/_localvpc/${path}${account === undefined ? "" : `?account=${account}`}`, init);
  return { status: res.status, body: (await res.json()) as T };
};

/** A verdict as `POST /_localvpc/traffic/send` answers it: the evaluator's verdict (JSON form) and the engine's notes. */
export type WireVerdict = Verdict & { notes: string[] };

/** `POST /_localvpc/traffic/send` (in `account`'s scope when given), asserting a 200 answer. */
export const trafficSend = async (
  h: Harness,
  probe: { from: string; to: string; proto?: string; port?: number },
  account?: string,
): Promise<WireVerdict> => {
  const r = await adminCall<WireVerdict>(h, "POST", "traffic/send", probe, account);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

/** A new VPC with one subnet in us-east-1a, and the VPC's default security group. */
export const createNetwork = async (
  h: Harness,
  cidr: string,
  subnetCidr: string,
): Promise<{ vpcId: string; subnetId: string; sgId: string }> => {
  const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const { Subnet } = await h.ec2.send(
    new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: subnetCidr, AvailabilityZone: "us-east-1a" }),
  );
  const { SecurityGroups } = await h.ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: "vpc-id", Values: [Vpc!.VpcId!] },
        { Name: "group-name", Values: ["default"] },
      ],
    }),
  );
  return { vpcId: Vpc!.VpcId!, subnetId: Subnet!.SubnetId!, sgId: SecurityGroups![0]!.GroupId! };
};

/** Asserts that `p` rejects with this EC2 error code, exact message (or pattern) and HTTP status (default 400). */
export const expectError = async (p: Promise<unknown>, code: string, message: string | RegExp, status = 400): Promise<void> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EC2ServiceException || e instanceof Error, `expected an EC2 error, got ${String(e)}`);
    const ex = e as EC2ServiceException;
    assert.equal(ex.name, code, `error code (message was: ${ex.message})`);
    if (typeof message === "string") assert.equal(ex.message, message);
    else assert.match(ex.message, message);
    assert.equal(ex.$metadata.httpStatusCode, status, "HTTP status");
    return;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
};

/** Runs `call`, expects the error, and asserts the scope's stored state is byte-for-byte unchanged. */
export const expectErrorNoChange = async (
  h: Harness,
  call: () => Promise<unknown>,
  code: string,
  message: string | RegExp,
  status = 400,
): Promise<void> => {
  const before = await h.state();
  await expectError(call(), code, message, status);
  assert.deepEqual(await h.state(), before, "state changed after a failed call");
};

/** POSTs raw EC2 Query parameters (for protocol tests the SDK cannot express). */
export const rawQuery = async (
  url: string,
  params: Record<string, string>,
  init: { method?: "GET" | "POST"; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: Headers }> => {
  const qs = new URLSearchParams(params).toString();
  const method = init.method ?? "POST";
  const res =
    method === "GET"
      ? await fetch(`${url}/?${qs}`, { headers: init.headers ?? {} })
      : await fetch(`${url}/`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...(init.headers ?? {}) },
          body: qs,
        });
  return { status: res.status, body: await res.text(), headers: res.headers };
};
