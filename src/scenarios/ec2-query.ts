/**
 * A tiny EC2 Query API client for the `localvpc scenario` commands: form-encoded POST to a running server, the
 * account and region in the SigV4 credential scope (localvpc reads them; it does not verify signatures), and the
 * XML answer read into plain objects (`item` lists become arrays). Shipped code may not import the AWS SDK (a
 * devDependency), and the scenarios need only a handful of calls.
 */
export type Xml = string | XmlObject | Xml[];
export interface XmlObject {
  [name: string]: Xml;
}

export class Ec2CallError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    readonly awsMessage: string,
  ) {
    super(`${action}: ${code}: ${awsMessage}`);
  }
}

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e.startsWith("#x") || e.startsWith("#X")
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number(e.slice(1)))
        : (ENTITIES[e] ?? m),
  );

interface Node {
  readonly name: string;
  readonly children: Node[];
  text: string;
}

/** Reads EC2's XML (elements and text only: no attributes matter, no CDATA) into a tree. */
const parseTree = (xml: string): Node => {
  const root: Node = { name: "#root", children: [], text: "" };
  const stack: Node[] = [root];
  const re = /<\?[^>]*\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const top = stack[stack.length - 1]!;
    if (m[4] !== undefined) top.text += decode(m[4]);
    else if (m[2] === undefined) continue;
    else if (m[1] === "/") stack.pop();
    else {
      const node: Node = { name: m[2], children: [], text: "" };
      top.children.push(node);
      if (m[3] !== "/") stack.push(node);
    }
  }
  return root;
};

const toValue = (n: Node): Xml => {
  if (n.children.length === 0) return n.text.trim();
  // EC2 lists are `item` elements; the Query protocol's other services (ELBv2) write `member` elements.
  if (n.children.every((c) => c.name === "item" || c.name === "member")) return n.children.map(toValue);
  const o: XmlObject = {};
  for (const c of n.children) o[c.name] = toValue(c);
  return o;
};

export const parseXml = (xml: string): XmlObject => {
  const top = parseTree(xml).children[0];
  return top ? asObject(toValue(top)) : {};
};

/** `x` as a list: an `item` list as it is, an empty `…Set` element (read as "") as []. */
export const asList = (x: Xml | undefined): XmlObject[] =>
  Array.isArray(x) ? x.filter((i): i is XmlObject => typeof i === "object" && !Array.isArray(i)) : [];
export const asObject = (x: Xml | undefined): XmlObject => (typeof x === "object" && !Array.isArray(x) ? x : {});
export const asString = (x: Xml | undefined): string => (typeof x === "string" ? x : "");

export interface Ec2QueryClient {
  call(action: string, params?: Readonly<Record<string, string | number | boolean>>): Promise<XmlObject>;
}

export const ec2QueryClient = (endpoint: string, account: string, region: string, adminToken?: string): Ec2QueryClient => ({
  call: async (action, params = {}) => {
    const body = new URLSearchParams({ Action: action, Version: "2016-11-15" });
    for (const [k, v] of Object.entries(params)) body.set(k, String(v));
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    const res = await fetch(`${endpoint.replace(/\/+$/, "")}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        authorization: `AWS4-HMAC-SHA256 Credential=${account}/${date}/${region}/ec2/aws4_request, SignedHeaders=host, Signature=scenario`,
        // Unsigned: under --auth strict the server takes its admin token instead of a signature.
        ...(adminToken === undefined ? {} : { "x-localvpc-token": adminToken }),
      },
      body,
    });
    const answer = parseXml(await res.text());
    if (!res.ok) {
      const e = asObject(asObject(answer["Errors"])["Error"]);
      throw new Ec2CallError(action, asString(e["Code"]) || String(res.status), asString(e["Message"]));
    }
    return answer;
  },
});
