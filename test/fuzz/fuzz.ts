/**
 * A model-driven fuzzer for a running localvpc. Each case is one HTTP request built from the services' models (EC2,
 * STS, CloudWatch Logs) with values that are sometimes right and often hostile (control characters, unpaired
 * surrogates, wrong types, out-of-range numbers, very long or deeply dotted names, backtracking-bait wildcards), plus
 * admin routes, services localvpc does not emulate, and raw garbage (malformed URLs and percent-escapes, methods,
 * bodies). Every answer must be:
 *   - below 500 (a client's request is never a server error);
 *   - well formed for its content type (XML that parses and holds no character XML 1.0 forbids, or JSON that parses);
 *   - and, when it is an error, without any change to the caller's stored state.
 *
 * Seeded (the same seed gives the same requests) and bounded in count. `test/e2e/fuzz.test.ts` runs ~2,000 cases in
 * `npm test`; `npm run fuzz -- --count N [--seed S]` runs as many as you like (scripts/fuzz.ts).
 */
import { XMLValidator } from "fast-xml-parser";
import { ec2Model } from "../../src/protocol/model/index.js";
import { loadJsonModel, type JsonModel } from "../../src/protocol/aws-json/json.js";
import { ACTIONS } from "../../src/services/ec2/registry.js";

export interface FuzzCase {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The account and region whose state must not change when the answer is an error. */
  readonly account: string;
  readonly region: string;
}

export interface FuzzFinding {
  readonly case: FuzzCase;
  readonly problem: string;
  readonly status: number;
  readonly body: string;
}

export interface FuzzReport {
  readonly cases: number;
  readonly byStatus: Record<string, number>;
  readonly serverErrors: number;
  readonly malformed: number;
  readonly stateChangedOnError: number;
  readonly findings: readonly FuzzFinding[];
}

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export const rng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const HOSTILE_STRINGS = [
  "",
  "a",
  "\u0001",
  "\u0000nul",
  "tab\there",
  "<tag>&amp;",
  "\uD800",
  "\uDC00x",
  "\uFFFE",
  "*a*a*a*a*a*b",
  "a".repeat(300),
  "é✓𝄞",
  "%ZZ",
  "vpc-12345678",
  "vpc-0123456789abcdef0",
  "subnet-0123456789abcdef0",
  "sg-0123456789abcdef0",
  "eni-0123456789abcdef0",
  "i-0123456789abcdef0",
  "10.0.0.0/16",
  "10.0.0.5",
  "0.0.0.0/0",
  "::/0",
  "2001:db8::/56",
  "-1",
  "0",
  "65536",
  "99999999999999999999",
  "true",
  "NaN",
  "us-east-1a",
  "t3.micro",
  "ami-0123456789abcdef0",
  "default",
  "arn:aws:iam::123456789012:role/x",
  "tcp",
];

/** Percent-encodes like encodeURIComponent, but sends an unpaired surrogate as its raw (invalid UTF-8) bytes. */
const encode = (text: string): string =>
  text
    .replace(
      /[\uD800-\uDFFF]/g,
      (c) =>
        `%ED%${(((c.charCodeAt(0) >> 6) & 0x3f) | 0x80).toString(16).toUpperCase()}%${((c.charCodeAt(0) & 0x3f) | 0x80).toString(16).toUpperCase()}`,
    )
    .split(/(%ED%[0-9A-F]{2}%[0-9A-F]{2})/)
    .map((part, i) => (i % 2 === 1 ? part : encodeURIComponent(part)))
    .join("");

const REGIONS = ["us-east-1", "us-east-1", "us-east-1", "eu-west-1", "fake-1", "", "US-EAST-1"];
const ACCOUNT = "210987654321";

const auth = (service: string, region: string, account = ACCOUNT): string =>
  `AWS4-HMAC-SHA256 Credential=${account}/20261203/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

type Shapes = Readonly<
  Record<
    string,
    {
      type: string;
      members?: Readonly<Record<string, { shape: string; locationName?: string; queryName?: string }>>;
      member?: { shape: string; locationName?: string };
      enum?: readonly string[];
      min?: number;
      max?: number;
      flattened?: boolean;
    }
  >
>;

export class Fuzzer {
  readonly #r: () => number;
  readonly #ec2Ops: string[];
  readonly #ec2Implemented: string[];
  readonly #stsModel: JsonModel;
  readonly #logsModel: JsonModel;
  readonly #iamModel: JsonModel;
  readonly #elbv2Model: JsonModel;
  // Lambda (issue 17): REST-JSON, routed by each operation's http.requestUri.
  readonly #lambdaModel: JsonModel;
  // EKS (issue 18): REST-JSON too.
  readonly #eksModel: JsonModel;

  constructor(seed: number) {
    this.#r = rng(seed);
    this.#ec2Ops = Object.keys(ec2Model().operations);
    this.#ec2Implemented = [...ACTIONS.keys()];
    this.#stsModel = loadJsonModel("sts.json");
    this.#logsModel = loadJsonModel("logs.json");
    this.#iamModel = loadJsonModel("iam.json");
    this.#elbv2Model = loadJsonModel("elbv2.json");
    this.#lambdaModel = loadJsonModel("lambda.json");
    this.#eksModel = loadJsonModel("eks.json");
  }

  #int(n: number): number {
    return Math.floor(this.#r() * n);
  }
  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)]!;
  }
  #chance(p: number): boolean {
    return this.#r() < p;
  }

  #scalar(shape: { type: string; enum?: readonly string[]; min?: number; max?: number }): string {
    if (this.#chance(0.3)) return this.#pick(HOSTILE_STRINGS);
    switch (shape.type) {
      case "integer":
      case "long":
        return String(this.#pick([0, 1, 5, 1000, -1, shape.min ?? 0, shape.max ?? 100, (shape.max ?? 100) + 1]));
      case "boolean":
        return this.#pick(["true", "false", "TRUE", "yes"]);
      case "timestamp":
        return this.#pick(["2026-01-01T00:00:00Z", "1700000000", "yesterday"]);
      default:
        return shape.enum && this.#chance(0.7) ? this.#pick(shape.enum) : this.#pick(HOSTILE_STRINGS);
    }
  }

  /** Flat Query parameters for a shape (EC2 style `X.N`, or Query style `X.member.N`). */
  #params(shapes: Shapes, shapeName: string, prefix: string, out: [string, string][], depth: number, ec2: boolean): void {
    const s = shapes[shapeName];
    if (!s || depth > 6) return;
    if (s.type === "structure") {
      for (const [name, m] of Object.entries(s.members ?? {})) {
        if (!this.#chance(depth === 0 ? 0.45 : 0.6)) continue;
        const wire = ec2
          ? (m.queryName ?? (m.locationName ? m.locationName[0]!.toUpperCase() + m.locationName.slice(1) : name))
          : (m.locationName ?? name);
        this.#params(shapes, m.shape, prefix ? `${prefix}.${wire}` : wire, out, depth + 1, ec2);
      }
      return;
    }
    if (s.type === "list") {
      const n = this.#int(3);
      for (let i = 1; i <= n; i++) {
        const item = ec2 || s.flattened ? `${prefix}.${i}` : `${prefix}.${s.member?.locationName ?? "member"}.${i}`;
        this.#params(shapes, s.member!.shape, item, out, depth + 1, ec2);
      }
      return;
    }
    if (s.type === "map") {
      out.push([`${prefix}.entry.1.key`, this.#pick(HOSTILE_STRINGS)], [`${prefix}.entry.1.value`, this.#pick(HOSTILE_STRINGS)]);
      return;
    }
    out.push([prefix, this.#scalar(s)]);
  }

  /** A JSON value for a shape (CloudWatch Logs), sometimes of the wrong type. */
  #json(shapes: Shapes, shapeName: string, depth: number): unknown {
    const s = shapes[shapeName];
    if (!s || depth > 6) return null;
    if (this.#chance(0.1)) return this.#pick([null, 1, "x", [], {}, true, "\u0001", { nested: { deeper: [1, [2, [3]]] } }]);
    switch (s.type) {
      case "structure": {
        const o: Record<string, unknown> = {};
        for (const [name, m] of Object.entries(s.members ?? {})) if (this.#chance(0.5)) o[name] = this.#json(shapes, m.shape, depth + 1);
        if (this.#chance(0.1)) o["unknownMember"] = 1;
        return o;
      }
      case "list":
        return Array.from({ length: this.#int(3) }, () => this.#json(shapes, s.member!.shape, depth + 1));
      case "integer":
      case "long":
      case "timestamp":
        return this.#pick([0, 1, -1, 1e15, 1.5, Date.now()]);
      case "boolean":
        return this.#chance(0.5);
      default:
        return s.enum && this.#chance(0.6) ? this.#pick(s.enum) : this.#pick(HOSTILE_STRINGS);
    }
  }

  #mutate(params: [string, string][]): void {
    const r = this.#r();
    if (r < 0.08) params.push(["Bogus", "1"]);
    else if (r < 0.12) params.push([`Filter${".1".repeat(2000)}`, "x"]);
    else if (r < 0.16) params.push(["DryRun", this.#pick(["true", "false", "maybe"])]);
    else if (r < 0.2) params.push(["ClientToken", this.#pick(["tok-1", "\u0001\u0002", "x".repeat(80), "é"])]);
    else if (r < 0.24) params.push(["MaxResults", this.#pick(["\u0001", "5", "-3", "100000"])]);
    else if (r < 0.28)
      params.push(
        ["Filter.1.Name", this.#pick(["tag:Name", "vpc-id", "nope"])],
        ["Filter.1.Value.1", this.#pick(["*a*a*a*a*a*b", "x".repeat(3000), "\u0001"])],
      );
  }

  #form(params: [string, string][]): string {
    return params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
  }

  #ec2(): FuzzCase {
    const op = this.#chance(0.8)
      ? this.#pick(this.#ec2Implemented)
      : this.#chance(0.5)
        ? this.#pick(this.#ec2Ops)
        : this.#pick(["MakeCoffee", "", "constructor", "__proto__"]);
    const params: [string, string][] = [
      ["Action", op],
      ["Version", "2016-11-15"],
    ];
    const input = ec2Model().operations[op]?.input;
    if (input) this.#params(ec2Model().shapes, input, "", params, 0, true);
    this.#mutate(params);
    const region = this.#pick(REGIONS);
    const get = this.#chance(0.15);
    const body = this.#form(params);
    return {
      kind: "ec2",
      method: get ? "GET" : "POST",
      path: get ? `/?${body}` : "/",
      headers: { authorization: auth("ec2", region), "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      ...(get ? {} : { body }),
      account: ACCOUNT,
      region: region === "" || region === "fake-1" || region === "US-EAST-1" ? "us-east-1" : region,
    };
  }

  #sts(): FuzzCase {
    const op = this.#pick([...Object.keys(this.#stsModel.operations), "AssumeRole", "GetCallerIdentity", "Nope"]);
    const params: [string, string][] = [
      ["Action", op],
      ["Version", "2011-06-15"],
    ];
    const input = this.#stsModel.operations[op]?.input;
    if (input) this.#params(this.#stsModel.shapes, input, "", params, 0, false);
    this.#mutate(params);
    return {
      kind: "sts",
      method: "POST",
      path: "/",
      headers: { authorization: auth("sts", "us-east-1"), "content-type": "application/x-www-form-urlencoded" },
      body: this.#form(params),
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  /** IAM (GetUser only; every other operation answers "not emulated"), Query protocol like STS. */
  #iam(): FuzzCase {
    const op = this.#pick([...Object.keys(this.#iamModel.operations).slice(0, 30), "GetUser", "GetUser", "ListUsers", "Nope"]);
    const params: [string, string][] = [
      ["Action", op],
      ["Version", "2010-05-08"],
    ];
    const input = this.#iamModel.operations[op]?.input;
    if (input) this.#params(this.#iamModel.shapes, input, "", params, 0, false);
    this.#mutate(params);
    return {
      kind: "iam",
      method: "POST",
      path: "/",
      headers: { authorization: auth("iam", "us-east-1"), "content-type": "application/x-www-form-urlencoded" },
      body: this.#form(params),
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  /** Lambda (issue 17): a real or mangled REST path and method, labels and query from the model, a JSON or hostile body. */
  #lambda(): FuzzCase {
    type RestOp = { http?: { method: string; requestUri: string }; input?: string };
    const ops = this.#lambdaModel.operations as Readonly<Record<string, RestOp>>;
    const built = [
      "CreateFunction",
      "GetFunction",
      "UpdateFunctionConfiguration",
      "DeleteFunction",
      "ListFunctions",
      "Invoke",
      "TagResource",
      // Terraform's reads (issue 20).
      "ListVersionsByFunction",
      "GetFunctionCodeSigningConfig",
      "GetFunctionConcurrency",
      "GetPolicy",
      "GetFunctionUrlConfig",
      "GetRuntimeManagementConfig",
      "GetFunctionRecursionConfig",
    ];
    const op = ops[this.#pick([...Object.keys(ops).slice(0, 20), ...built, ...built])] ?? {};
    const label = (): string =>
      encode(this.#pick(["fz", "fz", "arn:aws:lambda:us-east-1:210987654321:function:fz", "fz:1", "", "..", ...HOSTILE_STRINGS]));
    const [pathTemplate, queryLiteral] = (op.http?.requestUri ?? "/2015-03-31/functions").split("?");
    let path = pathTemplate!.replace(/\{[^}]+\}/g, () => label());
    const query: string[] = queryLiteral ? [queryLiteral] : [];
    const body: Record<string, unknown> = {};
    const shape = op.input
      ? (this.#lambdaModel.shapes[op.input] as unknown as {
          members?: Record<string, { shape: string; location?: string; locationName?: string }>;
        })
      : undefined;
    for (const [name, m] of Object.entries(shape?.members ?? {})) {
      if (!this.#chance(0.5)) continue;
      const target = this.#lambdaModel.shapes[m.shape];
      if (m.location === "querystring" && target) query.push(`${encode(m.locationName ?? name)}=${encode(this.#scalar(target))}`);
      else if (m.location === undefined) body[name] = this.#json(this.#lambdaModel.shapes, m.shape, 0);
    }
    if (this.#chance(0.1))
      path = this.#pick([
        "/2015-03-31/functions/%ZZ",
        "/2015-03-31/functions//configuration",
        "/2015-03-31/",
        "/2017-03-31/tags/",
        `/2015-03-31/functions/${"a".repeat(3000)}`,
      ]);
    let text = JSON.stringify(body);
    if (this.#chance(0.1)) text = this.#pick(["{", "[]", "null", "\u0000", `${"[".repeat(5000)}${"]".repeat(5000)}`, '{"a":'.repeat(3000)]);
    return {
      kind: "lambda",
      method: this.#chance(0.9) ? (op.http?.method ?? "GET") : this.#pick(["PATCH", "PUT", "DELETE", "GET", "POST"]),
      path: query.length > 0 ? `${path}?${query.join("&")}` : path,
      headers: { authorization: auth("lambda", this.#pick(REGIONS)), "content-type": "application/json" },
      body: text,
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  /** EKS (issue 18): a real or mangled REST path, labels and query from the model, a JSON or hostile body. */
  #eks(): FuzzCase {
    type RestOp = { http?: { method: string; requestUri: string }; input?: string };
    const ops = this.#eksModel.operations as Readonly<Record<string, RestOp>>;
    const built = [
      "CreateCluster",
      "DescribeCluster",
      "UpdateClusterConfig",
      "CreateNodegroup",
      "UpdateNodegroupConfig",
      "UpdateAddon",
      "ListClusters",
    ];
    const op = ops[this.#pick([...Object.keys(ops).slice(0, 15), ...built, ...built])] ?? {};
    const label = (): string => encode(this.#pick(["fz", "fz", "ng", "vpc-cni", "", "..", ...HOSTILE_STRINGS]));
    const [pathTemplate, queryLiteral] = (op.http?.requestUri ?? "/clusters").split("?");
    let path = pathTemplate!.replace(/\{[^}]+\}/g, () => label());
    const query: string[] = queryLiteral ? [queryLiteral] : [];
    const body: Record<string, unknown> = {};
    const shape = op.input
      ? (this.#eksModel.shapes[op.input] as unknown as {
          members?: Record<string, { shape: string; location?: string; locationName?: string }>;
        })
      : undefined;
    for (const [name, m] of Object.entries(shape?.members ?? {})) {
      if (!this.#chance(0.6)) continue;
      const target = this.#eksModel.shapes[m.shape];
      if (m.location === "querystring" && target) query.push(`${encode(m.locationName ?? name)}=${encode(this.#scalar(target))}`);
      else if (m.location === undefined) body[name] = this.#json(this.#eksModel.shapes, m.shape, 0);
    }
    if (this.#chance(0.1))
      path = this.#pick(["/clusters/%ZZ", "/clusters//node-groups", "/clusters/", "/addons/", `/clusters/${"a".repeat(3000)}`]);
    let text = JSON.stringify(body);
    if (this.#chance(0.1)) text = this.#pick(["{", "[]", "null", "\u0000", `${"[".repeat(5000)}${"]".repeat(5000)}`, '{"a":'.repeat(3000)]);
    return {
      kind: "eks",
      method: this.#chance(0.9) ? (op.http?.method ?? "GET") : this.#pick(["PATCH", "PUT", "DELETE", "GET", "POST"]),
      path: query.length > 0 ? `${path}?${query.join("&")}` : path,
      headers: { authorization: auth("eks", this.#pick(REGIONS)), "content-type": "application/json" },
      body: text,
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  /** ELBv2 (issue 17), Query protocol signed for `elasticloadbalancing`: mostly the built operations. */
  #elbv2(): FuzzCase {
    const built = [
      "CreateLoadBalancer",
      "CreateTargetGroup",
      "CreateListener",
      "RegisterTargets",
      "DescribeTargetHealth",
      "SetSubnets",
      "DescribeCapacityReservation",
      "DescribeListenerCertificates",
    ];
    const op = this.#pick([...Object.keys(this.#elbv2Model.operations), ...built, "Nope"]);
    const params: [string, string][] = [
      ["Action", op],
      ["Version", "2015-12-01"],
    ];
    const input = this.#elbv2Model.operations[op]?.input;
    if (input) this.#params(this.#elbv2Model.shapes, input, "", params, 0, false);
    this.#mutate(params);
    return {
      kind: "elbv2",
      method: "POST",
      path: "/",
      headers: { authorization: auth("elasticloadbalancing", "us-east-1"), "content-type": "application/x-www-form-urlencoded" },
      body: this.#form(params),
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  #logs(): FuzzCase {
    const op = this.#pick([
      ...Object.keys(this.#logsModel.operations).slice(0, 20),
      "CreateLogGroup",
      "PutLogEvents",
      "FilterLogEvents",
      "DescribeLogGroups",
      "Nope",
    ]);
    const input = this.#logsModel.operations[op]?.input;
    let body = input ? JSON.stringify(this.#json(this.#logsModel.shapes, input, 0)) : "{}";
    if (this.#chance(0.1)) body = this.#pick(["{", "[]", "null", "\u0000", `${"[".repeat(5000)}${"]".repeat(5000)}`, '{"a":'.repeat(3000)]);
    return {
      kind: "logs",
      method: "POST",
      path: "/",
      headers: {
        authorization: auth("logs", "us-east-1"),
        "x-amz-target": this.#chance(0.9) ? `Logs_20140328.${op}` : this.#pick(["Logs_20140328", "", ".", "Logs_20140328.constructor"]),
        "content-type": "application/x-amz-json-1.1",
      },
      body,
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  #admin(): FuzzCase {
    const routes: [string, string][] = [
      ["GET", "/_localvpc/health"],
      ["GET", `/_localvpc/state?account=${ACCOUNT}&region=${this.#pick(["us-east-1", "fake-1", "%ZZ"])}`],
      ["POST", "/_localvpc/clock/advance"],
      ["GET", "/_localvpc/clock"],
      ["POST", "/_localvpc/rir/register"],
      ["POST", "/_localvpc/rir/roa"],
      ["GET", "/_localvpc/rir/ranges"],
      ["GET", `/_localvpc/rdap/ip/${this.#pick(["%ZZ", "203.0.113.0%2F24", "1.2.3.4", "%", "x".repeat(500)])}`],
      ["GET", "/_localvpc/bgp"],
      ["POST", "/_localvpc/bgp/announce"],
      ["POST", "/_localvpc/traffic/send"],
      ["GET", `/_localvpc/traffic/advise?account=${ACCOUNT}`],
      ["POST", "/_localvpc/chaos/fail-instance"],
      ["POST", "/_localvpc/chaos/flow-logs-skip"], // issue 21
      ["POST", "/_localvpc/traffic/throughput"], // issue 21
      ["POST", "/_localvpc/managed-eni"],
      // EKS pod networking (issue 18)
      ["POST", "/_localvpc/eks/pods"],
      ["GET", `/_localvpc/eks/pods?cluster=${this.#pick(["fz", "%ZZ", ""])}&nodegroup=ng`],
      [
        "GET",
        `/_localvpc/eks/max-pods?instanceType=${this.#pick(["m5.large", "%ZZ", "", "constructor"])}&prefixDelegation=${this.#pick(["true", "x"])}`,
      ],
      ["POST", "/_localvpc/eks/eni-configs"], // custom networking (issue 18)
      ["GET", `/_localvpc/eks/eni-configs?cluster=${this.#pick(["fz", "%ZZ", "", "__proto__"])}`],
      ["DELETE", `/_localvpc/eks/eni-configs?cluster=${this.#pick(["fz", "%ZZ", ""])}&name=${this.#pick(["us-east-1a", "%", ""])}`],
      ["GET", `/_localvpc/console/${this.#pick(["%", "%ZZ", "../../etc/passwd", "index.html", "..%2F..%2Fpackage.json"])}`],
      ["GET", "/_localvpc/console/api/scopes"],
      ["GET", "/_localvpc/scenarios"],
      ["GET", "/_localvpc/nope"],
      ["DELETE", "/_localvpc/state"],
    ];
    const [method, path] = this.#pick(routes);
    const body =
      method === "GET" || method === "DELETE"
        ? undefined
        : this.#pick([
            "",
            "{",
            "[]",
            "null",
            JSON.stringify({ account: ACCOUNT, region: "us-east-1" }),
            JSON.stringify({
              account: ACCOUNT,
              subnetId: "subnet-0123456789abcdef0",
              service: this.#pick(["rds", "constructor", "__proto__"]),
            }),
            JSON.stringify({ ms: this.#pick([1, -1, "x", 1e300]) }),
            JSON.stringify({
              account: ACCOUNT,
              cluster: this.#pick(["fz", "__proto__", ""]),
              nodegroup: "ng",
              replicas: this.#pick([1, -1, 1e9, "x", 2.5, null]),
            }),
            JSON.stringify({ account: ACCOUNT, cidr: this.#pick(HOSTILE_STRINGS), organization: this.#pick(HOSTILE_STRINGS) }),
            JSON.stringify({
              account: ACCOUNT,
              cluster: this.#pick(["fz", "__proto__", ""]),
              name: this.#pick(["us-east-1a", ...HOSTILE_STRINGS]),
              subnet: this.#pick(["subnet-0123456789abcdef0", ...HOSTILE_STRINGS]),
              securityGroups: this.#pick([[], ["sg-0123456789abcdef0"], "x", [1], null]),
            }),
            JSON.stringify({ account: ACCOUNT, from: `pod:${this.#pick(HOSTILE_STRINGS)}`, to: `pod:${this.#pick(HOSTILE_STRINGS)}` }),
            JSON.stringify({
              account: ACCOUNT,
              from: this.#pick(HOSTILE_STRINGS),
              to: this.#pick(HOSTILE_STRINGS),
              protocol: "tcp",
              port: 80,
            }),
            // Issue 21: SKIPDATA's knob and flows with a rate.
            JSON.stringify({ account: ACCOUNT, networkInterfaceId: this.#pick(["eni-0123456789abcdef0", ...HOSTILE_STRINGS]) }),
            JSON.stringify({
              account: ACCOUNT,
              flows: this.#pick([
                [],
                "x",
                [{ from: this.#pick(HOSTILE_STRINGS), to: "internet", rate: this.#pick(["2Gbps", "0", "-1Gbps", "1e309", 5, null, {}]) }],
                [
                  {
                    from: "internet",
                    to: this.#pick(HOSTILE_STRINGS),
                    rate: "1Gbps",
                    port: this.#pick([80, -1, "x", 1e9]),
                    proto: this.#pick(["tcp", "icmp", 6]),
                  },
                ],
              ]),
              duration: this.#pick(["60s", "0s", -5, "x", 1e300, null]),
            }),
            // IPv6 probes (issue 16): families, IPv6 and mixed-family endpoints.
            JSON.stringify({
              account: ACCOUNT,
              from: this.#pick(["internet", "::ffff:1.2.3.4", "fe80::1%eth0", "2001:db8::1", "198.51.100.9", ...HOSTILE_STRINGS]),
              to: this.#pick(["internet", "::", "3fff::7", "2600:1f18::1", "10.0.0.1", ...HOSTILE_STRINGS]),
              family: this.#pick([6, "6", 4, 5, "x", null, {}, []]),
            }),
          ]);
    return {
      kind: "admin",
      method,
      path,
      headers: { "content-type": this.#pick(["application/json", "text/plain", "application/x-www-form-urlencoded"]) },
      ...(body === undefined ? {} : { body }),
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  #other(): FuzzCase {
    const r = this.#r();
    if (r < 0.35) {
      const [service, target] = this.#pick([
        ["dynamodb", "DynamoDB_20120810.ListTables"],
        ["lambda", ""],
        ["elasticloadbalancing", ""],
        ["s3", ""],
        ["iam", ""],
        ["kinesis", "Kinesis_20131202.ListStreams"],
        ["", "Weird.Target"],
      ]);
      return {
        kind: "not-emulated",
        method: this.#pick(["GET", "POST", "PUT"]),
        path: this.#pick(["/", "/2015-03-31/functions", "/bucket/key", "/clusters"]),
        headers: {
          ...(service ? { authorization: auth(service, "us-east-1") } : {}),
          ...(target ? { "x-amz-target": target, "content-type": "application/x-amz-json-1.0" } : {}),
        },
        body: this.#pick(["{}", "Action=ListUsers&Version=2010-05-08", ""]),
        account: ACCOUNT,
        region: "us-east-1",
      };
    }
    // Raw garbage: odd paths, escapes, methods, headers.
    return {
      kind: "garbage",
      method: this.#pick(["POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS"]),
      path: this.#pick([
        "//",
        "///",
        "/%",
        "/%ZZ",
        "/?%ZZ=1",
        "/?Action",
        "/?Action=%01",
        `/${"a".repeat(4000)}`,
        "/?=&&=",
        "/_localvpc",
        "/_localvpc/",
      ]),
      headers: this.#pick([
        {},
        { authorization: "AWS4-HMAC-SHA256" },
        { authorization: "AWS4-HMAC-SHA256 Credential=/////" },
        { authorization: `AWS4-HMAC-SHA256 Credential=${"x".repeat(3000)}/20261203/us-east-1/ec2/aws4_request` },
        { "x-amz-target": "" },
        { "content-type": "application/x-www-form-urlencoded" },
      ]),
      body: this.#pick(["", "Action=DescribeVpcs&Version=2016-11-15", "%", "Action=%E0%A4%A", "\u0000\u0001", "a=".repeat(2000)]),
      account: ACCOUNT,
      region: "us-east-1",
    };
  }

  next(): FuzzCase {
    const r = this.#r();
    if (r < 0.5) return this.#ec2();
    if (r < 0.57) return this.#sts();
    if (r < 0.6) return this.#iam();
    if (r < 0.65) return this.#elbv2();
    if (r < 0.67) return this.#logs();
    if (r < 0.72) return this.#lambda();
    if (r < 0.76) return this.#eks();
    if (r < 0.86) return this.#admin();
    return this.#other();
  }
}

// eslint-disable-next-line no-control-regex -- these control characters are exactly what XML 1.0 forbids
const XML_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why an answer is not well formed for its content type, or undefined when it is. */
export const malformation = (contentType: string | null, body: string): string | undefined => {
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("xml")) {
    if (XML_FORBIDDEN.test(body)) return "XML holds a character XML 1.0 forbids";
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still shipped in fast-xml-parser 5; a well-formedness check is all we need
    const v = XMLValidator.validate(body);
    return v === true ? undefined : `XML does not parse: ${v.err.msg} (line ${v.err.line})`;
  }
  if (type.includes("json")) {
    try {
      JSON.parse(body);
      return undefined;
    } catch {
      return "JSON does not parse";
    }
  }
  if (
    type.startsWith("text/html") ||
    type.startsWith("text/css") ||
    type.startsWith("text/javascript") ||
    type.startsWith("image/") ||
    type.startsWith("application/javascript")
  )
    return undefined;
  return `unexpected content type '${contentType ?? ""}'`;
};

/** The caller's stored state, for the no-change-on-error check. */
const stateOf = async (url: string, account: string, region: string): Promise<string> =>
  (await fetch(`${url}/_localvpc/state?account=${account}&region=${region}`)).text();

/** Runs `count` cases against the server at `url`; progress is told every `every` cases. */
export const runFuzz = async (
  url: string,
  o: { count: number; seed: number; onProgress?: (done: number) => void; maxFindings?: number },
): Promise<FuzzReport> => {
  const fuzzer = new Fuzzer(o.seed);
  const byStatus: Record<string, number> = {};
  const findings: FuzzFinding[] = [];
  let serverErrors = 0;
  let malformed = 0;
  let stateChangedOnError = 0;
  // The caller's scopes exist before the run, so a first call's bootstrap is never mistaken for an error's change.
  for (const region of ["us-east-1", "eu-west-1"]) await stateOf(url, ACCOUNT, region);
  for (let i = 0; i < o.count; i++) {
    const c = fuzzer.next();
    const before = await stateOf(url, c.account, c.region);
    let res: Response;
    try {
      res = await fetch(`${url}${c.path}`, {
        method: c.method,
        headers: c.headers,
        ...(c.body !== undefined && c.method !== "GET" ? { body: c.body } : {}),
      });
    } catch (e) {
      serverErrors++;
      findings.push({ case: c, problem: `no answer: ${String(e)}`, status: 0, body: "" });
      continue;
    }
    const body = await res.text();
    byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
    const note = (problem: string): void => {
      if (findings.length < (o.maxFindings ?? 50)) findings.push({ case: c, problem, status: res.status, body: body.slice(0, 600) });
    };
    if (res.status >= 500) {
      serverErrors++;
      note(`HTTP ${res.status}`);
    }
    const bad = malformation(res.headers.get("content-type"), body);
    if (bad) {
      malformed++;
      note(bad);
    }
    if (res.status >= 400) {
      const after = await stateOf(url, c.account, c.region);
      if (after !== before) {
        stateChangedOnError++;
        note("state changed on an error");
      }
    }
    if (o.onProgress && (i + 1) % 100 === 0) o.onProgress(i + 1);
  }
  return { cases: o.count, byStatus, serverErrors, malformed, stateChangedOnError, findings };
};
