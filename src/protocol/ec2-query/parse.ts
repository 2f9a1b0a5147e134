/**
 * EC2 Query request parsing, driven by the model: flat `Name.N.Member` parameters become a typed input object.
 * Lists are 1-based and flattened (`X.1`, `X.2`), nested structures are dotted (`X.1.Y`). Everything not in the
 * operation's input shape is an `UnknownParameter`; required members that are absent are `MissingParameter`;
 * values that do not parse as their type are `InvalidParameterValue`.
 */
import { err } from "../../domain/errors.js";
import { messageName, shape, wireName, type ShapeDef } from "../model/index.js";

/** Parameters the protocol itself consumes, never part of an action's input. */
const PROTOCOL_PARAMS = new Set([
  "Action",
  "Version",
  "AWSAccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "Timestamp",
  "Expires",
  "SecurityToken",
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
]);

type Node = { leaf?: string; children?: Map<string, Node> };

/**
 * No EC2 input nests deeper than a handful of levels (`Filter.1.Value.2`, `NetworkInterface.1.PrivateIpAddresses.1.
 * PrivateIpAddress`): a name with more parts than this is not a parameter of any operation, and refusing it up front
 * keeps a hostile `Filter.1.1.1…` (thousands of parts) from building a deep tree at all.
 */
const MAX_NAME_PARTS = 16;

const buildTree = (params: Iterable<[string, string]>): Node => {
  const root: Node = { children: new Map() };
  for (const [key, value] of params) {
    if (PROTOCOL_PARAMS.has(key)) continue;
    const parts = key.split(".", MAX_NAME_PARTS + 1);
    if (parts.length > MAX_NAME_PARTS) throw err.unknownParameter(key.length > 256 ? `${key.slice(0, 256)}…` : key);
    let node = root;
    for (const part of parts) {
      node.children ??= new Map();
      let next = node.children.get(part);
      if (!next) {
        next = {};
        node.children.set(part, next);
      }
      node = next;
    }
    node.leaf = value;
  }
  return root;
};

/** The full name of the first parameter under `node` (iterative: the tree's depth is the request's). */
const firstLeafPath = (node: Node, prefix: string): string => {
  let path = prefix;
  let at = node;
  while (at.leaf === undefined && at.children && at.children.size > 0) {
    const [k, child] = at.children.entries().next().value as [string, Node];
    path = `${path}.${k}`;
    at = child;
  }
  return path;
};

/** Enum shapes whose values are validated by the actions rather than by the model. */
const OPEN_ENUMS = new Set(["InstanceType"]);

const scalar = (shapeName: string, s: ShapeDef, node: Node, path: string, name: string): unknown => {
  if (node.children && node.children.size > 0) {
    throw err.unknownParameter(firstLeafPath(node, path));
  }
  const raw = node.leaf ?? "";
  switch (s.type) {
    case "string": {
      // Instance type names are checked against the instance-type catalogue by the actions, which answer AWS's
      // own errors; the model's enum lags behind the types AWS (and the catalogue) has.
      if (s.enum && !OPEN_ENUMS.has(shapeName) && !s.enum.includes(raw)) throw err.invalidEnum(name, raw, s.enum);
      if (s.max !== undefined && raw.length > s.max) throw err.stringTooLong(name, s.max);
      return raw;
    }
    case "boolean": {
      const lower = raw.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      throw err.invalidBoolean(name, raw);
    }
    case "integer":
    case "long": {
      if (!/^-?\d+$/.test(raw.trim())) throw err.invalidInteger(name, raw);
      const n = Number(raw);
      if (s.min !== undefined && n < s.min) throw err.valueBelowMin(name, n, s.min);
      if (s.max !== undefined && n > s.max) throw err.valueAboveMax(name, n, s.max);
      return n;
    }
    case "double":
    case "float": {
      const n = Number(raw);
      if (raw.trim() === "" || Number.isNaN(n)) throw err.invalidInteger(name, raw);
      return n;
    }
    case "timestamp": {
      const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) throw err.invalidTimestamp(name, raw);
      return d;
    }
    case "blob":
      return Buffer.from(raw, "base64");
    default:
      throw new Error(`unexpected scalar type ${s.type}`);
  }
};

const readShape = (shapeName: string, node: Node, path: string, name: string): unknown => {
  const s = shape(shapeName);
  if (s.type === "structure") {
    if (node.leaf !== undefined && (!node.children || node.children.size === 0)) throw err.unknownParameter(path);
    return readStructure(s, node, path);
  }
  if (s.type === "list") {
    const member = s.member!;
    // An empty list may arrive as "Name=" (query serializers of some SDKs); treat it as [].
    if (!node.children || node.children.size === 0) return [];
    const entries: [number, Node][] = [];
    for (const [k, child] of node.children) {
      if (!/^[1-9]\d*$/.test(k)) throw err.unknownParameter(`${path}.${k}`);
      entries.push([Number(k), child]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    return entries.map(([i, child]) => readShape(member.shape, child, `${path}.${i}`, name));
  }
  return scalar(shapeName, s, node, path, name);
};

/**
 * Required list members whose absence the action answers itself: the Query wire cannot tell an empty list from a
 * missing one, and AWS answers TerminateInstances with no ids "No instances specified" (cloud-nuke#731), not
 * MissingParameter.
 */
const ACTION_CHECKS_EMPTY: Readonly<Record<string, readonly string[]>> = { TerminateInstancesRequest: ["InstanceIds"] };

const readStructure = (s: ShapeDef, node: Node, path: string, actionChecks: readonly string[] = []): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const members = s.members ?? {};
  const seen = new Set<string>();
  for (const [memberName, def] of Object.entries(members)) {
    const wire = wireName(memberName, def);
    const child = node.children?.get(wire);
    if (!child) continue;
    seen.add(wire);
    out[memberName] = readShape(def.shape, child, path ? `${path}.${wire}` : wire, messageName(memberName, def));
  }
  if (node.children) {
    for (const [k, child] of node.children) {
      if (!seen.has(k)) throw err.unknownParameter(firstLeafPath(child, path ? `${path}.${k}` : k));
    }
  }
  for (const req of s.required ?? []) {
    if (out[req] === undefined && !actionChecks.includes(req)) throw err.missingParameter(messageName(req, members[req]!));
  }
  return out;
};

/** Parses the flat query parameters of one request into the operation's typed input. */
export const parseInput = (inputShape: string | undefined, params: Iterable<[string, string]>): Record<string, unknown> => {
  const tree = buildTree(params);
  if (!inputShape) {
    if (tree.children && tree.children.size > 0) {
      const [k, child] = tree.children.entries().next().value as [string, Node];
      throw err.unknownParameter(firstLeafPath(child, k));
    }
    return {};
  }
  return readStructure(shape(inputShape), tree, "", ACTION_CHECKS_EMPTY[inputShape]);
};
