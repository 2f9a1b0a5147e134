/**
 * Advisories: configurations that work but surprise (AWS warns about them in the EC2 and VPC user guides).
 * - An instance with two ENIs in one subnet: asymmetric routing (EC2-UG "Best practices for configuring network
 *   interfaces").
 * - An ENI that a route targets while its source/destination check is on: it rejects the forwarded traffic.
 * - NACL rules that can never match, because an earlier rule of the same direction covers them (first match wins).
 * - Security-group rules that never decide anything (`SG_RULE_*`, see `sgRuleAdvisories` for what counts and why).
 */
import type {
  NetworkAclEntry,
  NetworkAclRecord,
  NetworkInterfaceRecord,
  RouteTableRecord,
  SecurityGroupRecord,
  SubnetRecord,
  VpcRecord,
} from "../types.js";
import { sgRuleAdvisories, type SgAdvisoryCode } from "./sg-advisories.js";
import { parseNet } from "./ip.js";
import { protoNumber } from "./topology.js";

export interface Advisory {
  readonly code: "TWO_ENIS_SAME_SUBNET" | "NEXT_HOP_SOURCE_DEST_CHECK" | "NACL_RULE_SHADOWED" | SgAdvisoryCode;
  readonly resource: string;
  readonly message: string;
  /** The security-group rule (`sgr-…`) an `SG_RULE_*` advisory is about. */
  readonly ruleId?: string | undefined;
}

const covers = (outer: NetworkAclEntry, inner: NetworkAclEntry): boolean => {
  const a = parseNet(outer.cidrBlock);
  const b = parseNet(inner.cidrBlock);
  if (!a || !b || a.len > b.len || (b.net & a.mask) >>> 0 !== a.net) return false;
  const pa = protoNumber(outer.protocol);
  const pb = protoNumber(inner.protocol);
  if (pa !== -1 && pa !== pb) return false;
  if (pa === 6 || pa === 17) return (outer.portFrom ?? 0) <= (inner.portFrom ?? 0) && (outer.portTo ?? 65535) >= (inner.portTo ?? 65535);
  if (pa === 1)
    return outer.icmpType === -1 || (outer.icmpType === inner.icmpType && (outer.icmpCode === -1 || outer.icmpCode === inner.icmpCode));
  return true;
};

export const advise = (p: {
  readonly networkInterfaces: readonly NetworkInterfaceRecord[];
  readonly routeTables: readonly RouteTableRecord[];
  readonly networkAcls: readonly NetworkAclRecord[];
  /** With these three, security-group rules are checked too (`sgRuleAdvisories`). */
  readonly vpcs?: readonly VpcRecord[] | undefined;
  readonly subnets?: readonly SubnetRecord[] | undefined;
  readonly securityGroups?: readonly SecurityGroupRecord[] | undefined;
}): Advisory[] => {
  const out: Advisory[] = [];
  const bySlot = new Map<string, NetworkInterfaceRecord[]>();
  for (const e of p.networkInterfaces) {
    if (!e.attachment || e.requesterManaged) continue;
    const k = `${e.attachment.instanceId}|${e.subnetId}`;
    bySlot.set(k, [...(bySlot.get(k) ?? []), e]);
  }
  for (const [k, enis] of bySlot) {
    if (enis.length < 2) continue;
    const [instanceId, subnetId] = k.split("|");
    out.push({
      code: "TWO_ENIS_SAME_SUBNET",
      resource: instanceId!,
      message: `Instance ${instanceId!} has ${enis.length} network interfaces (${enis.map((e) => e.id).join(", ")}) in subnet ${subnetId!}. Replies may leave through a different interface than the request came in on (asymmetric routing); AWS recommends one interface per subnet.`,
    });
  }
  const enis = new Map(p.networkInterfaces.map((e) => [e.id, e]));
  for (const t of p.routeTables) {
    for (const r of t.routes) {
      const e = r.networkInterfaceId !== undefined ? enis.get(r.networkInterfaceId) : undefined;
      if (!e?.sourceDestCheck) continue;
      out.push({
        code: "NEXT_HOP_SOURCE_DEST_CHECK",
        resource: e.id,
        message: `Route ${r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? ""} in ${t.id} sends traffic to ${e.id}, but its source/destination check is on, so it rejects everything it should forward. Disable it: aws ec2 modify-network-interface-attribute --network-interface-id ${e.id} --no-source-dest-check`,
      });
    }
  }
  for (const acl of p.networkAcls) {
    for (const egress of [false, true]) {
      const rules = acl.entries.filter((e) => e.egress === egress && e.ruleNumber < 32767).sort((a, b) => a.ruleNumber - b.ruleNumber);
      rules.forEach((rule, i) => {
        const by = rules.slice(0, i).find((earlier) => covers(earlier, rule));
        if (!by) return;
        out.push({
          code: "NACL_RULE_SHADOWED",
          resource: acl.id,
          message: `${egress ? "Outbound" : "Inbound"} rule ${rule.ruleNumber} of ${acl.id} can never match: rule ${by.ruleNumber} comes first and covers everything it matches (${by.ruleAction}).`,
        });
      });
    }
  }
  if (p.securityGroups && p.vpcs && p.subnets)
    out.push(
      ...sgRuleAdvisories({ vpcs: p.vpcs, subnets: p.subnets, securityGroups: p.securityGroups, networkInterfaces: p.networkInterfaces }),
    );
  return out;
};
