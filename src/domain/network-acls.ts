/**
 * Network ACL entry rules (VPC-UG "Network ACLs", shared/spec/dataplane.md §2.6): numbered 1–32766 per direction,
 * first match wins, the `*` rule (stored as 32767) denies the rest and cannot be changed; a new custom NACL denies
 * everything. Protocols are stored as AWS shows them: "-1" or the IANA number as a string.
 */
import { formatCidr, parseCidr } from "./cidr.js";
import { err } from "./errors.js";
import type { NetworkAclEntry, NetworkAclRecord } from "./types.js";

export const DENY_ALL_RULE = 32767;
/** Rules per direction including the default deny (VPC-UG quotas: 20, adjustable to 40). */
export const MAX_NACL_RULES = 20;

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { all: "-1", tcp: "6", udp: "17", icmp: "1", icmpv6: "58" };

export const normalizeAclProtocol = (p: string): string => {
  const lower = p.toLowerCase();
  if (PROTOCOL_NAMES[lower]) return PROTOCOL_NAMES[lower];
  if (p === "-1") return "-1";
  if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw err.networkAclProtocol(p);
  return String(Number(p));
};

export interface AclEntryRequest {
  readonly ruleNumber: number;
  readonly protocol: string;
  readonly ruleAction: "allow" | "deny";
  readonly egress: boolean;
  readonly cidrBlock?: string | undefined;
  readonly ipv6CidrBlock?: string | undefined;
  readonly icmp?: { readonly type?: number | undefined; readonly code?: number | undefined } | undefined;
  readonly ports?: { readonly from?: number | undefined; readonly to?: number | undefined } | undefined;
}

/** Validates a Create/ReplaceNetworkAclEntry request into the stored entry. */
export const aclEntry = (r: AclEntryRequest): NetworkAclEntry => {
  if (!Number.isInteger(r.ruleNumber) || r.ruleNumber < 1 || r.ruleNumber > 32766) throw err.networkAclRuleNumber(r.ruleNumber);
  const protocol = normalizeAclProtocol(r.protocol);
  if (r.cidrBlock === undefined && r.ipv6CidrBlock === undefined) throw err.missingParameter("cidrBlock");
  const cidrText = (r.cidrBlock ?? r.ipv6CidrBlock)!;
  const cidr = parseCidr(cidrText);
  if (!cidr || cidr.version !== (r.cidrBlock !== undefined ? 4 : 6)) throw err.invalidCidr(cidrText);
  const ported = protocol === "6" || protocol === "17";
  const icmp = protocol === "1" || protocol === "58";
  if (ported && (r.ports?.from === undefined || r.ports.to === undefined)) throw err.missingParameter("portRange");
  if (icmp && (r.icmp?.type === undefined || r.icmp.code === undefined)) throw err.missingParameter("icmpTypeCode");
  return {
    ruleNumber: r.ruleNumber,
    protocol,
    ruleAction: r.ruleAction,
    egress: r.egress,
    cidrBlock: cidr.version === 4 ? formatCidr(cidr) : undefined,
    ipv6CidrBlock: cidr.version === 6 ? formatCidr(cidr) : undefined,
    portFrom: ported ? r.ports?.from : undefined,
    portTo: ported ? r.ports?.to : undefined,
    icmpType: icmp ? r.icmp?.type : undefined,
    icmpCode: icmp ? r.icmp?.code : undefined,
  };
};

const sameSlot = (a: NetworkAclEntry, ruleNumber: number, egress: boolean): boolean => a.ruleNumber === ruleNumber && a.egress === egress;

export const withAclEntry = (acl: NetworkAclRecord, entry: NetworkAclEntry): NetworkAclRecord => {
  if (acl.entries.some((e) => sameSlot(e, entry.ruleNumber, entry.egress))) throw err.networkAclEntryExists(entry.ruleNumber);
  const sameDirection = acl.entries.filter(
    (e) => e.egress === entry.egress && (e.ipv6CidrBlock !== undefined) === (entry.ipv6CidrBlock !== undefined),
  );
  if (sameDirection.length >= MAX_NACL_RULES) throw err.networkAclEntryLimit();
  return { ...acl, entries: [...acl.entries, entry] };
};

export const withReplacedAclEntry = (acl: NetworkAclRecord, entry: NetworkAclEntry): NetworkAclRecord => {
  if (!acl.entries.some((e) => sameSlot(e, entry.ruleNumber, entry.egress)))
    throw err.networkAclEntryNotFound(entry.ruleNumber, entry.egress, acl.id);
  return { ...acl, entries: acl.entries.map((e) => (sameSlot(e, entry.ruleNumber, entry.egress) ? entry : e)) };
};

export const withoutAclEntry = (acl: NetworkAclRecord, ruleNumber: number, egress: boolean): NetworkAclRecord => {
  if (ruleNumber < 1 || ruleNumber > 32766) throw err.networkAclRuleNumber(ruleNumber);
  if (!acl.entries.some((e) => sameSlot(e, ruleNumber, egress))) throw err.networkAclEntryNotFound(ruleNumber, egress, acl.id);
  return { ...acl, entries: acl.entries.filter((e) => !sameSlot(e, ruleNumber, egress)) };
};

/** A new custom NACL: only the `*` deny rules, so it denies everything (VPC-UG). */
export const customNetworkAclEntries = (): NetworkAclEntry[] => [
  { ruleNumber: DENY_ALL_RULE, protocol: "-1", ruleAction: "deny", egress: false, cidrBlock: "0.0.0.0/0" },
  { ruleNumber: DENY_ALL_RULE, protocol: "-1", ruleAction: "deny", egress: true, cidrBlock: "0.0.0.0/0" },
];
