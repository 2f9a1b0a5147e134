/**
 * The scenarios' clients for the services beyond EC2 (issues 17 and 18), in the same spirit as ec2-query.ts: plain fetch to a
 * running server, the account, Region and service in the SigV4 credential scope (localvpc reads them to route and
 * scope the call; it does not verify the signature unless run with --auth strict, where the admin token vouches for
 * the scenario instead), and no AWS SDK (a devDependency that shipped code may not import).
 *   - ELBv2 speaks the AWS Query protocol: form-encoded `Action=…&Version=2015-12-01`, XML answers whose lists are
 *     `member` elements, errors as `<ErrorResponse><Error><Code/><Message/></Error>`.
 *   - Lambda speaks REST-JSON: the operation is the method and path (`POST /2015-03-31/functions`), JSON bodies,
 *     errors as `{"Type","message"}` with the code in the `x-amzn-ErrorType` header. EKS speaks it too (paths under
 *     `/clusters`).
 */
import { asObject, asString, parseXml, type XmlObject } from "./ec2-query.js";

/** An AWS error answered by a service other than EC2 (its code and message as the service sent them). */
export class AwsCallError extends Error {
  constructor(
    readonly service: string,
    readonly action: string,
    readonly code: string,
    readonly awsMessage: string,
  ) {
    super(`${action}: ${code}: ${awsMessage}`);
  }
}

export interface ServiceTarget {
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly adminToken?: string | undefined;
}

/** An Authorization header naming the account (as the access key), the Region and the service's signing name. */
const authHeaders = (o: ServiceTarget, signingName: string): Record<string, string> => {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${o.account}/${date}/${o.region}/${signingName}/aws4_request, SignedHeaders=host, Signature=scenario`,
    ...(o.adminToken === undefined ? {} : { "x-localvpc-token": o.adminToken }),
  };
};

const base = (o: ServiceTarget): string => o.endpoint.replace(/\/+$/, "");

export interface QueryServiceClient {
  /** Calls `action` and answers its `<ActionResult>` element (lists read as arrays). */
  call(action: string, params?: Readonly<Record<string, string | number | boolean>>): Promise<XmlObject>;
}

/** ELBv2 (Query protocol, API version 2015-12-01, signing name `elasticloadbalancing`). */
export const elbv2Client = (o: ServiceTarget): QueryServiceClient => ({
  call: async (action, params = {}) => {
    const body = new URLSearchParams({ Action: action, Version: "2015-12-01" });
    for (const [k, v] of Object.entries(params)) body.set(k, String(v));
    const res = await fetch(`${base(o)}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...authHeaders(o, "elasticloadbalancing") },
      body,
    });
    const answer = parseXml(await res.text());
    if (!res.ok) {
      const e = asObject(answer["Error"]);
      throw new AwsCallError("ELBv2", action, asString(e["Code"]) || String(res.status), asString(e["Message"]));
    }
    return asObject(answer[`${action}Result`]);
  },
});

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface RestJsonClient {
  /** Sends `method path` with an optional JSON body; answers the JSON body (`{}` when empty). */
  call(operation: string, method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: JsonObject): Promise<JsonObject>;
}

/** A REST-JSON service: `service` names it in errors, `signingName` goes in the credential scope (and routes the call). */
const restJsonClient = (o: ServiceTarget, service: string, signingName: string): RestJsonClient => ({
  call: async (operation, method, path, body) => {
    const res = await fetch(`${base(o)}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...authHeaders(o, signingName) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let answer: JsonObject = {};
    try {
      const parsed = text === "" ? {} : (JSON.parse(text) as Json);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) answer = parsed;
    } catch {
      answer = { message: text };
    }
    if (!res.ok) {
      // The error type is in the header (`Code:` prefix and `:uri` suffix stripped), as the SDKs read it.
      const header = (res.headers.get("x-amzn-errortype") ?? "").split(":")[0] ?? "";
      const code = header || (typeof answer["Type"] === "string" ? answer["Type"] : String(res.status));
      const message =
        typeof answer["message"] === "string" ? answer["message"] : typeof answer["Message"] === "string" ? answer["Message"] : text;
      throw new AwsCallError(service, operation, code, message);
    }
    return answer;
  },
});

/** Lambda (REST-JSON, paths under /2015-03-31/, signing name `lambda`). */
export const lambdaClient = (o: ServiceTarget): RestJsonClient => restJsonClient(o, "Lambda", "lambda");

/** EKS (REST-JSON, paths under /clusters, signing name `eks`; errors `{"message"}` with the code in x-amzn-ErrorType). */
export const eksClient = (o: ServiceTarget): RestJsonClient => restJsonClient(o, "EKS", "eks");

/** A JSON member as an object / string / list (the scenario's view of a REST-JSON answer). */
export const jsonObject = (x: Json | undefined): JsonObject => (typeof x === "object" && x !== null && !Array.isArray(x) ? x : {});
export const jsonString = (x: Json | undefined): string => (typeof x === "string" ? x : "");
export const jsonList = (x: Json | undefined): Json[] => (Array.isArray(x) ? x : []);
