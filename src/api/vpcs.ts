/** VPCs: CreateVpc (with its default security group, main route table and default NACL), DescribeVpcs, DeleteVpc. */
import { err } from "../domain/errors.js";
import { formatCidr, parseCidr, type Cidr } from "../domain/cidr.js";
import { defaultNetworkAcl, defaultSecurityGroup, mainRouteTable, newVpc, vpcIpv4Cidr } from "../domain/vpc.js";
import type { Tag, VpcRecord } from "../domain/types.js";
import type { Vpc } from "../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "./action.js";
import { describe, tagView } from "./describe.js";
import { must } from "./lookups.js";
import { tagsFromSpecs } from "./tags.js";

/** Creates a VPC with the three objects AWS creates alongside it. Used by CreateVpc and the default-VPC bootstrap. */
export const createVpcWithDefaults = (
  ctx: ActionContext,
  p: { cidr: Cidr; isDefault: boolean; instanceTenancy: VpcRecord["instanceTenancy"]; tags: readonly Tag[]; internetGatewayId?: string },
): VpcRecord => {
  const { tx, ids, scope } = ctx;
  const vpc = newVpc({
    id: ids.next("vpc"),
    ownerId: scope.account,
    cidr: p.cidr,
    cidrAssociationId: ids.next("vpcCidrAssociation"),
    isDefault: p.isDefault,
    instanceTenancy: p.instanceTenancy,
    tags: p.tags,
  });
  tx.put(vpc);
  tx.put(
    defaultSecurityGroup({
      id: ids.next("securityGroup"),
      vpcId: vpc.id,
      ownerId: scope.account,
      ingressRuleId: ids.next("securityGroupRule"),
      egressRuleId: ids.next("securityGroupRule"),
    }),
  );
  tx.put(mainRouteTable({ id: ids.next("routeTable"), vpc, associationId: ids.next("routeTableAssociation"), internetGatewayId: p.internetGatewayId }));
  tx.put(defaultNetworkAcl({ id: ids.next("networkAcl"), vpcId: vpc.id, ownerId: scope.account }));
  return vpc;
};

export const vpcView = (v: VpcRecord): Vpc => ({
  VpcId: v.id,
  OwnerId: v.ownerId,
  State: v.state,
  CidrBlock: v.cidrBlock,
  CidrBlockAssociationSet: v.cidrAssociations
    .filter((a) => a.state === "associated")
    .map((a) => ({ AssociationId: a.associationId, CidrBlock: a.cidrBlock, CidrBlockState: { State: a.state } })),
  Ipv6CidrBlockAssociationSet:
    v.ipv6Associations.length > 0
      ? v.ipv6Associations
          .filter((a) => a.state === "associated")
          .map((a) => ({
            AssociationId: a.associationId,
            Ipv6CidrBlock: a.ipv6CidrBlock,
            Ipv6CidrBlockState: { State: a.state },
            NetworkBorderGroup: a.networkBorderGroup,
            Ipv6Pool: a.ipv6Pool === "Amazon" ? "Amazon" : a.ipv6Pool,
          }))
      : undefined,
  DhcpOptionsId: v.dhcpOptionsId,
  InstanceTenancy: v.instanceTenancy,
  IsDefault: v.isDefault,
  Tags: tagView(v.tags),
});

export const CreateVpc = defineAction({
  name: "CreateVpc",
  mutates: true,
  params: ["CidrBlock", "InstanceTenancy", "TagSpecifications", "AmazonProvidedIpv6CidrBlock"],
  run(input, ctx) {
    if (input.CidrBlock === undefined) throw err.missingParameter("cidrBlock");
    const cidr = vpcIpv4Cidr(input.CidrBlock);
    if (ctx.tx.count("vpc") >= ctx.quotas.vpcsPerRegion) throw err.vpcLimitExceeded();
    const tags = tagsFromSpecs(input.TagSpecifications, "vpc", ctx);
    let vpc = createVpcWithDefaults(ctx, { cidr, isDefault: false, instanceTenancy: input.InstanceTenancy ?? "default", tags });
    if (input.AmazonProvidedIpv6CidrBlock) {
      vpc = addAmazonIpv6Block(ctx, vpc);
      ctx.tx.put(vpc);
    }
    // AWS answers CreateVpc with state "pending"; a Describe right after shows "available".
    return { Vpc: { ...vpcView(vpc), State: "pending" } };
  },
});

/**
 * An Amazon-provided IPv6 /56 for a VPC. Amazon's blocks come from 2600:1f00::/24 (AWS's real range for VPC
 * IPv6); localvpc derives a distinct /56 per VPC from a random 32-bit value.
 */
export const addAmazonIpv6Block = (ctx: ActionContext, vpc: VpcRecord, networkBorderGroup?: string): VpcRecord => {
  if (vpc.ipv6Associations.some((a) => a.state === "associated")) throw err.ipv6CidrAlreadyAssociated(vpc.id);
  const r = ctx.ids.hex(8);
  const block = `2600:1f${r.slice(0, 2)}:${r.slice(2, 6)}:${r.slice(6, 8)}00::/56`;
  return {
    ...vpc,
    ipv6Associations: [
      ...vpc.ipv6Associations,
      {
        associationId: ctx.ids.next("vpcCidrAssociation"),
        ipv6CidrBlock: formatCidr(parseCidr(block)!),
        state: "associated",
        networkBorderGroup: networkBorderGroup ?? ctx.scope.region,
        ipv6Pool: "Amazon",
      },
    ],
  };
};

export const DescribeVpcs = defineAction({
  name: "DescribeVpcs",
  mutates: false,
  params: ["VpcIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: ctx.tx.list("vpc"),
      idOf: (v) => v.id,
      ids: input.VpcIds,
      idKind: "vpc",
      idsParam: "vpcIdSet",
      notFound: (m) => err.vpcNotFound(m[0]!),
      filters: input.Filters,
      table: {
        cidr: (v) => v.cidrBlock,
        "cidr-block-association.cidr-block": (v) => v.cidrAssociations.map((a) => a.cidrBlock),
        "cidr-block-association.association-id": (v) => v.cidrAssociations.map((a) => a.associationId),
        "cidr-block-association.state": (v) => v.cidrAssociations.map((a) => a.state),
        "dhcp-options-id": (v) => v.dhcpOptionsId,
        "ipv6-cidr-block-association.ipv6-cidr-block": (v) => v.ipv6Associations.map((a) => a.ipv6CidrBlock),
        "ipv6-cidr-block-association.ipv6-pool": (v) => v.ipv6Associations.map((a) => a.ipv6Pool),
        "ipv6-cidr-block-association.association-id": (v) => v.ipv6Associations.map((a) => a.associationId),
        "ipv6-cidr-block-association.state": (v) => v.ipv6Associations.map((a) => a.state),
        "is-default": (v) => v.isDefault,
        "owner-id": (v) => v.ownerId,
        state: (v) => v.state,
        "vpc-id": (v) => v.id,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { Vpcs: page.items.map(vpcView), NextToken: page.nextToken };
  },
});

export const DeleteVpc = defineAction({
  name: "DeleteVpc",
  mutates: true,
  params: ["VpcId"],
  run(input, ctx) {
    const { tx } = ctx;
    const vpc = must(tx, "vpc", input.VpcId);
    // Everything but the objects AWS created with the VPC is a dependency (Terraform retries on DependencyViolation).
    const blocking =
      tx.count("subnet", { vpcId: vpc.id }) > 0 ||
      tx.count("instance", { vpcId: vpc.id }) > 0 ||
      tx.count("network-interface", { vpcId: vpc.id }) > 0 ||
      tx.count("internet-gateway", { vpcId: vpc.id }) > 0 ||
      tx.list("security-group", { vpcId: vpc.id }).some((g) => g.groupName !== "default") ||
      tx.list("route-table", { vpcId: vpc.id }).some((t) => !t.associations.some((a) => a.main)) ||
      tx.list("network-acl", { vpcId: vpc.id }).some((a) => !a.isDefault);
    if (blocking) throw err.vpcDependency(vpc.id);
    for (const kind of ["security-group", "route-table", "network-acl"] as const) {
      for (const r of tx.list(kind, { vpcId: vpc.id })) tx.delete(r.id);
    }
    tx.delete(vpc.id);
    return {};
  },
});

export const VPC_ACTIONS = [CreateVpc, DescribeVpcs, DeleteVpc];
