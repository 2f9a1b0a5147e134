/**
 * The IPv6 rules AWS adds to a VPC's defaults when the VPC gets an IPv6 block (at CreateVpc or AssociateVpcCidrBlock;
 * issue 16). Pure: the caller stores the records and passes the new rule id.
 *
 * Default network ACL (VPC-UG "Default network ACL"): rule 101 allows all IPv6 traffic each way, and the `*` rule
 * denies the rest; "if you've modified the inbound rules of your default network ACL, we do not automatically add an
 * allow rule for inbound IPv6 traffic" (the same for outbound). The IPv6 `*` rule is numbered 32768 (IPv4's is 32767).
 * Default security group (VPC-UG "Default security groups"): an outbound rule allowing all IPv6 traffic (`::/0`),
 * "added by default if you create a VPC with an IPv6 CIDR block or if you associate an IPv6 CIDR block".
 */
import type { NetworkAclEntry, NetworkAclRecord, SecurityGroupRecord } from "./types.js";

export const IPV6_DENY_ALL_RULE = 32768;
export const IPV6_DEFAULT_ALLOW_RULE = 101;

/** Whether one direction of a default ACL still holds exactly AWS's IPv4 defaults (rule 100 allow all, `*` deny). */
const unmodified = (entries: readonly NetworkAclEntry[]): boolean => {
  const numbered = entries.filter((e) => e.ruleNumber !== 32767 && e.ipv6CidrBlock === undefined);
  return (
    numbered.length === 1 &&
    numbered[0]!.ruleNumber === 100 &&
    numbered[0]!.ruleAction === "allow" &&
    numbered[0]!.protocol === "-1" &&
    numbered[0]!.cidrBlock === "0.0.0.0/0"
  );
};

/** The default ACL with its IPv6 rules (unchanged when it has them already, per direction). */
export const withIpv6DefaultAclEntries = (acl: NetworkAclRecord): NetworkAclRecord => {
  const added: NetworkAclEntry[] = [];
  for (const egress of [false, true]) {
    const side = acl.entries.filter((e) => e.egress === egress);
    if (side.some((e) => e.ipv6CidrBlock !== undefined)) continue;
    if (unmodified(side))
      added.push({ ruleNumber: IPV6_DEFAULT_ALLOW_RULE, protocol: "-1", ruleAction: "allow", egress, ipv6CidrBlock: "::/0" });
    added.push({ ruleNumber: IPV6_DENY_ALL_RULE, protocol: "-1", ruleAction: "deny", egress, ipv6CidrBlock: "::/0" });
  }
  return added.length === 0 ? acl : { ...acl, entries: [...acl.entries, ...added] };
};

/** The default group with its `::/0` outbound rule (unchanged when it has one). */
export const withIpv6DefaultEgress = (group: SecurityGroupRecord, ruleId: string): SecurityGroupRecord =>
  group.rules.some((r) => r.isEgress && r.cidrIpv6 === "::/0" && r.ipProtocol === "-1")
    ? group
    : { ...group, rules: [...group.rules, { ruleId, isEgress: true, ipProtocol: "-1", cidrIpv6: "::/0" }] };
