/**
 * A tiny EC2 Query API client for the browser: form-encoded POST to `/`, the caller's account and region in the
 * SigV4 credential scope (localvpc reads them; it verifies no signature, or under --auth strict takes the admin token instead), the XML answer turned into plain
 * objects (`item` lists become arrays). The console reads and acts only through this, like any EC2 client.
 */
import { adminFetch } from "./token.js";
export type Xml = string | XmlObject | Xml[];
export interface XmlObject {
  [name: string]: Xml;
}

export class Ec2ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly action: string,
  ) {
    super(message);
  }
}

export interface Caller {
  readonly account: string;
  readonly region: string;
}

const toValue = (el: Element): Xml => {
  const kids = Array.from(el.children);
  if (kids.length === 0) return el.textContent;
  if (kids.every((k) => k.tagName === "item")) return kids.map(toValue);
  const o: XmlObject = {};
  for (const k of kids) o[k.tagName] = toValue(k);
  return o;
};

/** `x` as a list: an `item` list as it is, an empty `…Set` element (parsed as "") as []. */
export const list = (x: Xml | undefined): XmlObject[] =>
  Array.isArray(x) ? (x.filter((i) => typeof i === "object" && !Array.isArray(i)) as XmlObject[]) : [];
export const obj = (x: Xml | undefined): XmlObject => (typeof x === "object" && !Array.isArray(x) ? x : {});
export const str = (x: Xml | undefined): string => (typeof x === "string" ? x : "");

export const ec2 = async (caller: Caller, action: string, params: Record<string, string> = {}): Promise<XmlObject> => {
  const body = new URLSearchParams({ Action: action, Version: "2016-11-15", ...params });
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const res = await adminFetch("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      authorization: `AWS4-HMAC-SHA256 Credential=${caller.account}/${date}/${caller.region}/ec2/aws4_request, SignedHeaders=host, Signature=console`,
    },
    body,
  });
  const text = await res.text();
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const root = doc.documentElement;
  if (!res.ok) {
    const e = root.querySelector("Errors > Error");
    throw new Ec2ApiError(
      e?.querySelector("Code")?.textContent ?? String(res.status),
      e?.querySelector("Message")?.textContent ?? text,
      action,
    );
  }
  return obj(toValue(root));
};
