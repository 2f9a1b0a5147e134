/**
 * Network ACLs: Create/DeleteNetworkAcl, Create/Replace/DeleteNetworkAclEntry, ReplaceNetworkAclAssociation,
 * DescribeNetworkAcls. Every subnet belongs to exactly one NACL: a subnet with
 * no explicit association belongs to its VPC's default NACL, and AWS lists that association on the default NACL
 * (unlike route tables' implicit main association), so the default NACL's associations are derived from the
 * VPC's subnets at describe time.
 */
import { err } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { aclEntry, customNetworkAclEntries, withAclEntry, withoutAclEntry, withReplacedAclEntry } from "../../../domain/network-acls.js";
import type { CreateNetworkAclEntryRequest } from "../../../protocol/model/shapes.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";
import type { NetworkAclAssociation, NetworkAclEntry, NetworkAclRecord } from "../../../domain/types.js";
import type { NetworkAcl } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";

/**
 * The association id of a subnet's implicit default-NACL association. Derived from the subnet id so that it is
 * stable across describes without being stored (ReplaceNetworkAclAssociation must accept this id when built).
 */
export const implicitNetworkAclAssociationId = (subnetId: string): string => `aclassoc-${subnetId.slice("subnet-".length)}`;

interface AclRow {
  readonly acl: NetworkAclRecord;
  readonly associations: readonly NetworkAclAssociation[];
}

/** Every NACL with its effective associations (explicit ones, plus implicit ones on the default NACL). */
export const networkAclRows = (tx: Tx, only?: readonly NetworkAclRecord[]): AclRow[] => {
  const acls = only ?? tx.list("network-acl");
  // A subnet is explicitly associated within its own VPC: a default ACL needs only its VPC's ACLs to know which
  // subnets it holds implicitly (so a Describe narrowed to some ACLs does not read every ACL of the account).
  const explicitIn = (vpcId: string): Set<string> =>
    new Set(
      (only ? tx.list("network-acl", { vpcId }) : acls.filter((a) => a.vpcId === vpcId)).flatMap((a) =>
        a.associations.map((s) => s.subnetId),
      ),
    );
  return acls.map((acl) => {
    if (!acl.isDefault) return { acl, associations: acl.associations };
    const explicit = explicitIn(acl.vpcId);
    const implicit = tx
      .list("subnet", { vpcId: acl.vpcId })
      .filter((s) => !explicit.has(s.id))
      .map((s) => ({ associationId: implicitNetworkAclAssociationId(s.id), subnetId: s.id }));
    return { acl, associations: [...acl.associations, ...implicit] };
  });
};

const entryView = (e: NetworkAclEntry) => ({
  RuleNumber: e.ruleNumber,
  Protocol: e.protocol,
  RuleAction: e.ruleAction,
  Egress: e.egress,
  CidrBlock: e.cidrBlock,
  Ipv6CidrBlock: e.ipv6CidrBlock,
  PortRange: e.portFrom !== undefined || e.portTo !== undefined ? { From: e.portFrom, To: e.portTo } : undefined,
  IcmpTypeCode: e.icmpType !== undefined || e.icmpCode !== undefined ? { Type: e.icmpType, Code: e.icmpCode } : undefined,
});

/** AWS lists egress entries first, each direction by rule number (CLI describe-network-acls example). */
const entryOrder = (a: NetworkAclEntry, b: NetworkAclEntry): number =>
  a.egress === b.egress ? a.ruleNumber - b.ruleNumber : a.egress ? -1 : 1;

export const networkAclView = (row: AclRow): NetworkAcl => ({
  NetworkAclId: row.acl.id,
  VpcId: row.acl.vpcId,
  OwnerId: row.acl.ownerId,
  IsDefault: row.acl.isDefault,
  Entries: [...row.acl.entries].sort(entryOrder).map(entryView),
  Associations: row.associations.map((a) => ({ NetworkAclAssociationId: a.associationId, NetworkAclId: row.acl.id, SubnetId: a.subnetId })),
  Tags: tagView(row.acl.tags),
});

export const DescribeNetworkAcls = defineAction({
  name: "DescribeNetworkAcls",
  mutates: false,
  params: ["NetworkAclIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const entries = (r: AclRow) => r.acl.entries;
    const page = describe({
      items: networkAclRows(
        ctx.tx,
        candidates(ctx.tx, "network-acl", input.NetworkAclIds, input.Filters, {
          id: "network-acl-id",
          vpcId: "vpc-id",
          idsInCreationOrder: true,
        }),
      ),
      idOf: (r) => r.acl.id,
      tagsOf: (r) => r.acl.tags,
      ids: input.NetworkAclIds,
      idKind: "networkAcl",
      idsParam: "networkAclId",
      notFound: (m) => err.networkAclNotFound(m[0]!),
      filters: input.Filters,
      table: {
        "association.association-id": (r) => r.associations.map((a) => a.associationId),
        "association.network-acl-id": (r) => (r.associations.length > 0 ? r.acl.id : undefined),
        "association.subnet-id": (r) => r.associations.map((a) => a.subnetId),
        default: (r) => r.acl.isDefault,
        "entry.cidr": (r) => entries(r).map((e) => e.cidrBlock),
        "entry.icmp.code": (r) => entries(r).map((e) => e.icmpCode),
        "entry.icmp.type": (r) => entries(r).map((e) => e.icmpType),
        "entry.ipv6-cidr": (r) => entries(r).map((e) => e.ipv6CidrBlock),
        "entry.port-range.from": (r) => entries(r).map((e) => e.portFrom),
        "entry.port-range.to": (r) => entries(r).map((e) => e.portTo),
        "entry.protocol": (r) => entries(r).map((e) => e.protocol),
        "entry.rule-action": (r) => entries(r).map((e) => e.ruleAction),
        "entry.egress": (r) => entries(r).map((e) => e.egress),
        "entry.rule-number": (r) => entries(r).map((e) => e.ruleNumber),
        "network-acl-id": (r) => r.acl.id,
        "owner-id": (r) => r.acl.ownerId,
        "vpc-id": (r) => r.acl.vpcId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { NetworkAcls: page.items.map(networkAclView), NextToken: page.nextToken };
  },
});

/** NACLs per VPC (VPC-UG quotas). */
const NETWORK_ACLS_PER_VPC = 200;

const entryFromInput = (input: Omit<CreateNetworkAclEntryRequest, "NetworkAclId" | "DryRun">) =>
  aclEntry({
    ruleNumber: input.RuleNumber,
    protocol: input.Protocol,
    ruleAction: input.RuleAction,
    egress: input.Egress,
    cidrBlock: input.CidrBlock,
    ipv6CidrBlock: input.Ipv6CidrBlock,
    icmp: input.IcmpTypeCode ? { type: input.IcmpTypeCode.Type, code: input.IcmpTypeCode.Code } : undefined,
    ports: input.PortRange ? { from: input.PortRange.From, to: input.PortRange.To } : undefined,
  });

export const CreateNetworkAcl = defineAction({
  name: "CreateNetworkAcl",
  mutates: true,
  params: ["VpcId", "TagSpecifications", "ClientToken"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "network-acl", ctx);
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    if (ctx.tx.count("network-acl", { vpcId: vpc.id }) >= NETWORK_ACLS_PER_VPC) throw err.networkAclLimitExceeded();
    const acl: NetworkAclRecord = {
      kind: "network-acl",
      id: ctx.ids.next("networkAcl"),
      tags,
      vpcId: vpc.id,
      ownerId: ctx.scope.account,
      isDefault: false,
      entries: customNetworkAclEntries(),
      associations: [],
    };
    ctx.tx.put(acl);
    return { NetworkAcl: networkAclView({ acl, associations: [] }), ClientToken: input.ClientToken };
  },
});

export const DeleteNetworkAcl = defineAction({
  name: "DeleteNetworkAcl",
  mutates: true,
  params: ["NetworkAclId"],
  run(input, ctx) {
    const acl = must(ctx.tx, "network-acl", input.NetworkAclId);
    if (acl.isDefault) throw err.cannotDeleteDefaultNetworkAcl(acl.id);
    if (acl.associations.length > 0) throw err.networkAclDependency(acl.id);
    ctx.tx.delete(acl.id);
    return {};
  },
});

export const CreateNetworkAclEntry = defineAction({
  name: "CreateNetworkAclEntry",
  mutates: true,
  params: ["NetworkAclId", "RuleNumber", "Protocol", "RuleAction", "Egress", "CidrBlock", "Ipv6CidrBlock", "IcmpTypeCode", "PortRange"],
  run(input, ctx) {
    const acl = must(ctx.tx, "network-acl", input.NetworkAclId);
    ctx.tx.put(withAclEntry(acl, entryFromInput(input)));
    return {};
  },
});

export const ReplaceNetworkAclEntry = defineAction({
  name: "ReplaceNetworkAclEntry",
  mutates: true,
  params: ["NetworkAclId", "RuleNumber", "Protocol", "RuleAction", "Egress", "CidrBlock", "Ipv6CidrBlock", "IcmpTypeCode", "PortRange"],
  run(input, ctx) {
    const acl = must(ctx.tx, "network-acl", input.NetworkAclId);
    ctx.tx.put(withReplacedAclEntry(acl, entryFromInput(input)));
    return {};
  },
});

export const DeleteNetworkAclEntry = defineAction({
  name: "DeleteNetworkAclEntry",
  mutates: true,
  params: ["NetworkAclId", "RuleNumber", "Egress"],
  run(input, ctx) {
    const acl = must(ctx.tx, "network-acl", input.NetworkAclId);
    ctx.tx.put(withoutAclEntry(acl, input.RuleNumber, input.Egress));
    return {};
  },
});

/**
 * ReplaceNetworkAclAssociation takes the subnet's current association id: an explicit one, or the implicit
 * default-NACL id that DescribeNetworkAcls shows. Moving a subnet to its VPC's default NACL makes it implicit again.
 */
export const ReplaceNetworkAclAssociation = defineAction({
  name: "ReplaceNetworkAclAssociation",
  mutates: true,
  params: ["AssociationId", "NetworkAclId"],
  run(input, ctx) {
    const { tx } = ctx;
    if (!isIdOf("networkAclAssociation", input.AssociationId)) throw err.associationNotFound(input.AssociationId);
    const target = must(tx, "network-acl", input.NetworkAclId);
    const row = networkAclRows(tx).find((r) => r.associations.some((a) => a.associationId === input.AssociationId));
    if (!row) throw err.associationNotFound(input.AssociationId);
    const subnetId = row.associations.find((a) => a.associationId === input.AssociationId)!.subnetId;
    if (target.vpcId !== row.acl.vpcId) throw err.networkAclOtherNetwork(target.id, subnetId);
    const old = { ...row.acl, associations: row.acl.associations.filter((a) => a.subnetId !== subnetId) };
    tx.put(old);
    const fresh = old.id === target.id ? old : target;
    if (fresh.isDefault) {
      tx.put({ ...fresh, associations: fresh.associations.filter((a) => a.subnetId !== subnetId) });
      return { NewAssociationId: implicitNetworkAclAssociationId(subnetId) };
    }
    const associationId = ctx.ids.next("networkAclAssociation");
    tx.put({ ...fresh, associations: [...fresh.associations, { associationId, subnetId }] });
    return { NewAssociationId: associationId };
  },
});

export const NETWORK_ACL_ACTIONS = [
  DescribeNetworkAcls,
  CreateNetworkAcl,
  DeleteNetworkAcl,
  CreateNetworkAclEntry,
  ReplaceNetworkAclEntry,
  DeleteNetworkAclEntry,
  ReplaceNetworkAclAssociation,
];
