/**
 * The console's small clients for the services beyond EC2 (issues 17 and 18), in the manner of ec2.ts: plain fetch
 * to the same origin, the caller's account and Region and the service's signing name in the SigV4 credential scope
 * (localvpc reads them to route and scope the call; it verifies no signature, or takes the admin token under
 * --auth strict).
 *   - Lambda and EKS speak REST-JSON: the operation is the method and path, JSON answers, the error code in the
 *     `x-amzn-ErrorType` header.
 *   - ELBv2 speaks the Query protocol: form-encoded `Action=…&Version=2015-12-01`, XML answers whose lists are
 *     `member` elements, errors as `<ErrorResponse><Error><Code/><Message/>`.
 */
import { Ec2ApiError, type Caller, type Xml, type XmlObject } from "./ec2.js";
import { adminFetch } from "./token.js";

const authorization = (caller: Caller, signingName: string): string => {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  return `AWS4-HMAC-SHA256 Credential=${caller.account}/${date}/${caller.region}/${signingName}/aws4_request, SignedHeaders=host, Signature=console`;
};

/** An ELBv2 XML element as plain values: a list of `member` elements becomes an array. */
const toValue = (el: Element): Xml => {
  const kids = Array.from(el.children);
  if (kids.length === 0) return el.textContent;
  if (kids.every((k) => k.tagName === "member")) return kids.map(toValue);
  const o: XmlObject = {};
  for (const k of kids) o[k.tagName] = toValue(k);
  return o;
};

/** Calls an ELBv2 action and answers its `<ActionResult>` element. */
export const elbv2 = async (caller: Caller, action: string, params: Readonly<Record<string, string>> = {}): Promise<XmlObject> => {
  const body = new URLSearchParams({ Action: action, Version: "2015-12-01", ...params });
  const res = await adminFetch("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      authorization: authorization(caller, "elasticloadbalancing"),
    },
    body,
  });
  const text = await res.text();
  const root = new DOMParser().parseFromString(text, "application/xml").documentElement;
  if (!res.ok) {
    const e = root.querySelector("Error");
    throw new Ec2ApiError(
      e?.querySelector("Code")?.textContent ?? String(res.status),
      e?.querySelector("Message")?.textContent ?? text,
      action,
    );
  }
  const result = Array.from(root.children).find((c) => c.tagName === `${action}Result`);
  const v = result ? toValue(result) : {};
  return typeof v === "object" && !Array.isArray(v) ? v : {};
};

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Calls a REST-JSON operation (GET only: the console reads these services, it does not change them). */
export const restJson = async (caller: Caller, signingName: string, operation: string, path: string): Promise<JsonObject> => {
  const res = await adminFetch(path, { headers: { authorization: authorization(caller, signingName) } });
  const text = await res.text();
  let answer: JsonObject = {};
  try {
    const parsed = text === "" ? {} : (JSON.parse(text) as Json);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) answer = parsed;
  } catch {
    answer = { message: text };
  }
  if (!res.ok) {
    const code = (res.headers.get("x-amzn-errortype") ?? "").split(":")[0] || String(res.status);
    const m = answer["message"] ?? answer["Message"];
    throw new Ec2ApiError(code, typeof m === "string" ? m : text, operation);
  }
  return answer;
};

export const jObj = (x: Json | undefined): JsonObject => (typeof x === "object" && x !== null && !Array.isArray(x) ? x : {});
export const jStr = (x: Json | undefined): string => (typeof x === "string" ? x : typeof x === "number" ? String(x) : "");
export const jList = (x: Json | undefined): Json[] => (Array.isArray(x) ? x : []);
