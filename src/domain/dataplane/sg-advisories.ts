/**
 * Security-group rules that can never match (issue 5 advisories). A security group only allows, and the rules of all
 * an ENI's groups are unioned with no order (shared/spec/dataplane.md §2.1). So a rule is dead when no packet it
 * allows can ever be evaluated against it, and it is redundant when another rule of the same group already allows
 * everything it allows. Each message says whether the rule can start matching later without being edited.
 *
 * What is flagged, and why each is sound:
 * - SG_RULE_REDUNDANT: another rule of the same group and direction allows a superset. Both rules must have the same
 *   kind of peer (IPv4 CIDR ⊇ IPv4 CIDR, IPv6 CIDR ⊇ IPv6 CIDR, the same referenced group, the same prefix list);
 *   protocol -1 covers every protocol; TCP/UDP port ranges must contain; ICMP type/code -1 is a wildcard. A group
 *   reference is never called covered by a CIDR: it matches whatever addresses the members hold at the moment, and
 *   no CIDR can be shown to cover that for all time. Prefix-list entries are not known here, so two different lists
 *   are never compared. Revoking a redundant rule changes no verdict: the untracked-flow test (§2.4) looks for an
 *   open-all rule, and a rule covered by another is open-all only when the covering rule is too. Of two rules that
 *   cover each other, only the later one is flagged.
 * - SG_RULE_STALE_REFERENCE: the referenced group (same owner) no longer exists. AWS calls such rules stale (§2.3: a
 *   deleted peered or shared group). They never match again.
 * - SG_RULE_REFERENCE_OTHER_VPC: the referenced group is in another VPC. A reference matches the members' private
 *   addresses (§2.3), and only VPC peering carries private addresses between VPCs. localvpc has no peering, so
 *   traffic from the other VPC arrives through an internet gateway with a public source and never matches.
 * - SG_RULE_REFERENCE_NO_MEMBERS: the referenced group has no network interface, so the rule matches nothing today.
 *   It may match later, once an ENI joins that group. It is reported only when the rule's own group is in use, so a
 *   group's reference to itself (the default group's inbound rule) is never flagged.
 * - SG_RULE_IPV6_WITHOUT_VPC_IPV6: an IPv6 CIDR rule in a VPC with no IPv6 CIDR block. No ENI of the group can hold
 *   an IPv6 address, so no IPv6 packet reaches the rule. It may match later, once the VPC gets an IPv6 block. AWS
 *   itself adds the default group's `::/0` outbound rule only to VPCs with IPv6 (§2.2).
 * - SG_RULE_SOURCE_IN_NO_SUBNET: an inbound IPv4 CIDR that lies inside one of the VPC's private (RFC 1918 or
 *   RFC 6598) CIDR blocks but overlaps none of its subnets. Inside the VPC every source is an ENI's address, and ENIs
 *   live in subnets. From outside, an internet gateway does not deliver private sources (Reachability Analyzer's
 *   IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS), and the VPC's own range is never routed in from elsewhere (the local
 *   route wins). Two exceptions are not modelled: an instance with source/destination check off sending forged
 *   source addresses, and public VPC ranges, which are not flagged because an internet host may hold such an
 *   address. The rule may match later, once a subnet is created there.
 *
 * Not flagged: an outbound rule to such a CIDR. It does match the packet, which routing drops later.
 */
import { containsCidr, overlaps, parseCidr, type Cidr } from "../cidr.js";
import type { NetworkInterfaceRecord, SecurityGroupRecord, SecurityGroupRule, SubnetRecord, VpcRecord } from "../types.js";
import { protoNumber } from "./topology.js";

export type SgAdvisoryCode =
  | "SG_RULE_REDUNDANT"
  | "SG_RULE_STALE_REFERENCE"
  | "SG_RULE_REFERENCE_OTHER_VPC"
  | "SG_RULE_REFERENCE_NO_MEMBERS"
  | "SG_RULE_IPV6_WITHOUT_VPC_IPV6"
  | "SG_RULE_SOURCE_IN_NO_SUBNET";

export interface SgAdvisory {
  readonly code: SgAdvisoryCode;
  /** The security group. */
  readonly resource: string;
  readonly ruleId: string;
  readonly message: string;
}

/** RFC 1918 and RFC 6598: ranges an internet gateway never delivers as a source. */
const NON_INTERNET_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((c) => parseCidr(c)!);

const peerCovers = (o: SecurityGroupRule, i: SecurityGroupRule): boolean => {
  if (o.referencedGroupId !== undefined || i.referencedGroupId !== undefined) return o.referencedGroupId === i.referencedGroupId;
  if (o.prefixListId !== undefined || i.prefixListId !== undefined) return o.prefixListId === i.prefixListId;
  const oc = parseCidr(o.cidrIpv4 ?? o.cidrIpv6 ?? "");
  const ic = parseCidr(i.cidrIpv4 ?? i.cidrIpv6 ?? "");
  return oc !== undefined && ic !== undefined && containsCidr(oc, ic);
};

const trafficCovers = (o: SecurityGroupRule, i: SecurityGroupRule): boolean => {
  const po = protoNumber(o.ipProtocol);
  if (po === -1) return true;
  if (po !== protoNumber(i.ipProtocol)) return false;
  if (po === 6 || po === 17) return (o.fromPort ?? 0) <= (i.fromPort ?? 0) && (o.toPort ?? 65535) >= (i.toPort ?? 65535);
  if (po === 1 || po === 58) {
    // ICMP: FromPort is the type, ToPort the code; -1 is every type / every code.
    const [ot, oc, it, ic] = [o.fromPort ?? -1, o.toPort ?? -1, i.fromPort ?? -1, i.toPort ?? -1];
    return ot === -1 || (ot === it && (oc === -1 || oc === ic));
  }
  return true; // any other protocol number has no ports
};

const covers = (o: SecurityGroupRule, i: SecurityGroupRule): boolean => peerCovers(o, i) && trafficCovers(o, i);

const peerText = (r: SecurityGroupRule): string => r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId ?? "?";

/** "tcp 443 from 10.0.0.0/16", "all traffic to 0.0.0.0/0", "icmp type 8 from sg-…". */
export const describeSgRule = (r: SecurityGroupRule): string => {
  const p = protoNumber(r.ipProtocol);
  const dir = r.isEgress ? "to" : "from";
  let what: string;
  if (p === -1) what = "all traffic";
  else if (p === 6 || p === 17) {
    const [from, to] = [r.fromPort ?? 0, r.toPort ?? 65535];
    what = `${p === 6 ? "tcp" : "udp"} ${from === to ? String(from) : `${from}-${to}`}`;
  } else if (p === 1 || p === 58) what = `${p === 1 ? "icmp" : "icmpv6"}${(r.fromPort ?? -1) === -1 ? "" : ` type ${r.fromPort ?? -1}`}`;
  else what = `protocol ${r.ipProtocol}`;
  return `${what} ${dir} ${peerText(r)}`;
};

export const sgRuleAdvisories = (p: {
  readonly vpcs: readonly VpcRecord[];
  readonly subnets: readonly SubnetRecord[];
  readonly securityGroups: readonly SecurityGroupRecord[];
  readonly networkInterfaces: readonly NetworkInterfaceRecord[];
}): SgAdvisory[] => {
  const out: SgAdvisory[] = [];
  const groups = new Map(p.securityGroups.map((g) => [g.id, g]));
  const vpcs = new Map(p.vpcs.map((v) => [v.id, v]));
  const inUse = new Set(p.networkInterfaces.flatMap((e) => e.groupIds));
  const subnetCidrs = new Map<string, Cidr[]>();
  for (const s of p.subnets) {
    const c = s.cidrBlock !== undefined ? parseCidr(s.cidrBlock) : undefined;
    if (c) subnetCidrs.set(s.vpcId, [...(subnetCidrs.get(s.vpcId) ?? []), c]);
  }
  for (const g of p.securityGroups) {
    const vpc = vpcs.get(g.vpcId);
    const say = (code: SgAdvisoryCode, r: SecurityGroupRule, why: string): void => {
      out.push({
        code,
        resource: g.id,
        ruleId: r.ruleId,
        message: `${r.isEgress ? "Outbound" : "Inbound"} rule ${r.ruleId} of ${g.id} (${describeSgRule(r)}) ${why}`,
      });
    };
    g.rules.forEach((r, i) => {
      const by = g.rules.find((o, j) => j !== i && o.isEgress === r.isEgress && covers(o, r) && (j < i || !covers(r, o)));
      if (by)
        say(
          "SG_RULE_REDUNDANT",
          r,
          `never decides anything: rule ${by.ruleId} (${describeSgRule(by)}) already allows all it allows. Revoking it changes no verdict.`,
        );
      if (r.referencedGroupId !== undefined) {
        const ref = groups.get(r.referencedGroupId);
        if (!ref) {
          if (r.referencedUserId === undefined || r.referencedUserId === g.ownerId)
            say("SG_RULE_STALE_REFERENCE", r, `can never match: group ${r.referencedGroupId} no longer exists (a stale rule).`);
        } else if (ref.vpcId !== g.vpcId)
          say(
            "SG_RULE_REFERENCE_OTHER_VPC",
            r,
            `can never match: ${ref.id} is in ${ref.vpcId}, not ${g.vpcId}. A group reference matches private addresses, and there is no peering to carry them between the VPCs.`,
          );
        else if (inUse.has(g.id) && !inUse.has(ref.id))
          say(
            "SG_RULE_REFERENCE_NO_MEMBERS",
            r,
            `matches nothing today: no network interface is in ${ref.id}. It may match later, once one joins it.`,
          );
      }
      if (r.cidrIpv6 !== undefined && vpc && !vpc.ipv6Associations.some((a) => a.state === "associated"))
        say(
          "SG_RULE_IPV6_WITHOUT_VPC_IPV6",
          r,
          `matches nothing today: ${g.vpcId} has no IPv6 CIDR block, so no interface in the group carries IPv6. It may match later, once the VPC gets an IPv6 block.`,
        );
      const src = !r.isEgress && r.cidrIpv4 !== undefined ? parseCidr(r.cidrIpv4) : undefined;
      if (src && vpc) {
        const vpcBlock = vpc.cidrAssociations
          .filter((a) => a.state === "associated")
          .map((a) => parseCidr(a.cidrBlock))
          .find((c) => c !== undefined && containsCidr(c, src) && NON_INTERNET_RANGES.some((n) => containsCidr(n, c)));
        if (vpcBlock && !(subnetCidrs.get(vpc.id) ?? []).some((s) => overlaps(s, src)))
          say(
            "SG_RULE_SOURCE_IN_NO_SUBNET",
            r,
            `matches nothing today: ${r.cidrIpv4} is inside ${vpc.id}'s private range but in none of its subnets, so no packet can come from there. It may match later, once a subnet is created there.`,
          );
      }
    });
  }
  return out;
};
