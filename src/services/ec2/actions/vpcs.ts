/**
 * VPCs: CreateVpc (with its default security group, main route table and default NACL), DescribeVpcs, DeleteVpc,
 * DescribeVpcAttribute / ModifyVpcAttribute, AssociateVpcCidrBlock / DisassociateVpcCidrBlock.
 */
import { err } from "../../../domain/errors.js";
import type { Cidr } from "../../../domain/cidr.js";
import { assertIdOf } from "../../../domain/ids.js";
import {
  checkSecondaryIpv4,
  defaultNetworkAcl,
  defaultSecurityGroup,
  findVpcCidrAssociation,
  mainRouteTable,
  newVpc,
  vpcAttribute,
  vpcIpv4Cidr,
  withAmazonIpv6Block,
  withIpv4Block,
  withLocalRoutes,
  withoutCidrBlock,
  withVpcAttribute,
  type VpcAttributeName,
} from "../../../domain/vpc.js";
import type { Tag, VpcCidrAssociation, VpcIpv6CidrAssociation, VpcRecord } from "../../../domain/types.js";
import type { Vpc, VpcCidrBlockAssociation, VpcIpv6CidrBlockAssociation } from "../../../protocol/model/shapes.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";
import { withPoolIpv6Block } from "./byoip.js";
import { withIpv6DefaultAclEntries, withIpv6DefaultEgress } from "../../../domain/ipv6-defaults.js"; // issue 16
import { defaultDhcpOptionsId } from "./dhcp-options.js";
import { deleted, onVpcDelete } from "../../../domain/vpc-peering.js";
import { peeringsOfVpc } from "../vpc-peering-lookup.js";

/** Creates a VPC with the three objects AWS creates alongside it. Used by CreateVpc and the default-VPC bootstrap. */
export const createVpcWithDefaults = (
  ctx: ActionContext,
  p: { cidr: Cidr; isDefault: boolean; instanceTenancy: VpcRecord["instanceTenancy"]; tags: readonly Tag[]; internetGatewayId?: string },
): VpcRecord => {
  const { tx, ids, scope } = ctx;
  // New VPCs use the Region's default DHCP options set (VPC-UG "DHCP option set concepts"). // issue 16
  const dhcpOptionsId = defaultDhcpOptionsId(tx);
  const vpc = newVpc({
    id: ids.next("vpc"),
    ownerId: scope.account,
    cidr: p.cidr,
    cidrAssociationId: ids.next("vpcCidrAssociation"),
    isDefault: p.isDefault,
    instanceTenancy: p.instanceTenancy,
    tags: p.tags,
    dhcpOptionsId,
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
  tx.put(
    mainRouteTable({
      id: ids.next("routeTable"),
      vpc,
      associationId: ids.next("routeTableAssociation"),
      internetGatewayId: p.internetGatewayId,
    }),
  );
  tx.put(defaultNetworkAcl({ id: ids.next("networkAcl"), vpcId: vpc.id, ownerId: scope.account }));
  return vpc;
};

type CidrState = NonNullable<VpcCidrBlockAssociation["CidrBlockState"]>["State"];

const ipv4AssociationView = (a: VpcCidrAssociation, state: CidrState = a.state): VpcCidrBlockAssociation => ({
  AssociationId: a.associationId,
  CidrBlock: a.cidrBlock,
  CidrBlockState: { State: state },
});

const ipv6AssociationView = (a: VpcIpv6CidrAssociation, state: CidrState = a.state): VpcIpv6CidrBlockAssociation => ({
  AssociationId: a.associationId,
  Ipv6CidrBlock: a.ipv6CidrBlock,
  Ipv6CidrBlockState: { State: state },
  NetworkBorderGroup: a.networkBorderGroup,
  Ipv6Pool: a.ipv6Pool,
  IpSource: a.ipv6Pool === "Amazon" ? "amazon" : "byoip",
  Ipv6AddressAttribute: "public",
});

export const vpcView = (v: VpcRecord): Vpc => ({
  VpcId: v.id,
  OwnerId: v.ownerId,
  State: v.state,
  CidrBlock: v.cidrBlock,
  CidrBlockAssociationSet: v.cidrAssociations.filter((a) => a.state === "associated").map((a) => ipv4AssociationView(a)),
  Ipv6CidrBlockAssociationSet:
    v.ipv6Associations.length > 0
      ? v.ipv6Associations.filter((a) => a.state === "associated").map((a) => ipv6AssociationView(a))
      : undefined,
  DhcpOptionsId: v.dhcpOptionsId,
  InstanceTenancy: v.instanceTenancy,
  IsDefault: v.isDefault,
  Tags: tagView(v.tags),
});

export const CreateVpc = defineAction({
  name: "CreateVpc",
  mutates: true,
  params: [
    "CidrBlock",
    "InstanceTenancy",
    "TagSpecifications",
    "AmazonProvidedIpv6CidrBlock",
    "Ipv6CidrBlockNetworkBorderGroup",
    "Ipv6Pool",
    "Ipv6CidrBlock",
  ],
  run(input, ctx) {
    if (input.CidrBlock === undefined) throw err.missingParameter("cidrBlock");
    const cidr = vpcIpv4Cidr(input.CidrBlock);
    const borderGroup = networkBorderGroup(ctx, input.AmazonProvidedIpv6CidrBlock, input.Ipv6CidrBlockNetworkBorderGroup);
    checkIpv6PoolParams(input.AmazonProvidedIpv6CidrBlock, input.Ipv6Pool, input.Ipv6CidrBlock);
    if (ctx.tx.count("vpc") >= ctx.quotas.vpcsPerRegion) throw err.vpcLimitExceeded();
    const tags = tagsFromSpecs(input.TagSpecifications, "vpc", ctx);
    let vpc = createVpcWithDefaults(ctx, { cidr, isDefault: false, instanceTenancy: input.InstanceTenancy ?? "default", tags });
    if (input.AmazonProvidedIpv6CidrBlock) {
      vpc = addAmazonIpv6Block(ctx, vpc, borderGroup);
      putVpcWithRoutes(ctx, vpc);
    }
    if (input.Ipv6Pool !== undefined) {
      vpc = withPoolIpv6Block(ctx, vpc, input.Ipv6Pool, input.Ipv6CidrBlock);
      putVpcWithRoutes(ctx, vpc);
    }
    // AWS answers CreateVpc with state "pending"; a Describe right after shows "available".
    return { Vpc: { ...vpcView(vpc), State: "pending" } };
  },
});

/** An Amazon-provided IPv6 /56 for a VPC (see withAmazonIpv6Block). */
export const addAmazonIpv6Block = (ctx: ActionContext, vpc: VpcRecord, networkBorderGroup?: string): VpcRecord =>
  withAmazonIpv6Block(vpc, {
    associationId: ctx.ids.next("vpcCidrAssociation"),
    randomHex8: ctx.ids.hex(8),
    networkBorderGroup: networkBorderGroup ?? ctx.scope.region,
    max: ctx.quotas.ipv6CidrsPerVpc,
  });

/**
 * Ipv6CidrBlockNetworkBorderGroup only goes with AmazonProvidedIpv6CidrBlock; localvpc has no Local Zones, so the
 * Region is the only border group.
 */
const networkBorderGroup = (ctx: ActionContext, amazonIpv6: boolean | undefined, group: string | undefined): string => {
  if (group === undefined) return ctx.scope.region;
  if (!amazonIpv6) throw err.networkBorderGroupWithoutIpv6();
  if (group !== ctx.scope.region) throw err.invalidNetworkBorderGroup(group);
  return group;
};

/** Stores a VPC whose blocks changed and keeps every route table's `local` routes in step with them. */
const putVpcWithRoutes = (ctx: ActionContext, vpc: VpcRecord): void => {
  const v6Count = (v: VpcRecord | undefined): number => v?.ipv6Associations.filter((a) => a.state === "associated").length ?? 0;
  const gainedIpv6 = v6Count(vpc) > v6Count(ctx.tx.get("vpc", vpc.id));
  ctx.tx.put(vpc);
  for (const t of ctx.tx.list("route-table", { vpcId: vpc.id })) ctx.tx.put(withLocalRoutes(t, vpc));
  // A new IPv6 block (issue 16): the default NACL and default group get AWS's IPv6 rules (domain/ipv6-defaults.ts).
  if (gainedIpv6) {
    const acl = ctx.tx.list("network-acl", { vpcId: vpc.id }).find((a) => a.isDefault);
    if (acl) ctx.tx.put(withIpv6DefaultAclEntries(acl));
    const sg = ctx.tx.list("security-group", { vpcId: vpc.id }).find((g) => g.groupName === "default");
    if (sg && !sg.rules.some((r) => r.isEgress && r.cidrIpv6 === "::/0"))
      ctx.tx.put(withIpv6DefaultEgress(sg, ctx.ids.next("securityGroupRule")));
  }
};

/** BYOIP: Ipv6Pool excludes an Amazon-provided block; Ipv6CidrBlock needs Ipv6Pool. */
const checkIpv6PoolParams = (amazon: boolean | undefined, pool: string | undefined, block: string | undefined): void => {
  if (amazon && pool !== undefined) throw err.parametersTogether("amazonProvidedIpv6CidrBlock", "ipv6Pool");
  if (block !== undefined && pool === undefined) throw err.ipv6CidrBlockWithoutPool();
};

export const DescribeVpcs = defineAction({
  name: "DescribeVpcs",
  mutates: false,
  params: ["VpcIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "vpc", input.VpcIds, input.Filters, { id: "vpc-id" }),
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
      keyset: true, // issue 19: the token names the last record answered, so deletions between pages skip nothing
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
      tx.count("egress-only-internet-gateway", { vpcId: vpc.id }) > 0 || // issue 16
      tx.count("vpc-endpoint", { vpcId: vpc.id }) > 0 || // issue 16 (VPC endpoints)
      tx.list("security-group", { vpcId: vpc.id }).some((g) => g.groupName !== "default") ||
      tx.list("route-table", { vpcId: vpc.id }).some((t) => !t.associations.some((a) => a.main)) ||
      tx.list("network-acl", { vpcId: vpc.id }).some((a) => !a.isDefault);
    if (blocking) throw err.vpcDependency(vpc.id);
    // Peering (issue 16): active connections and this VPC's own requests go with it; another account's pending request blocks.
    const peerings = peeringsOfVpc(tx, vpc.id).map((h) => ({ h, fate: onVpcDelete(h.pcx, vpc.id, ctx.now) }));
    if (peerings.some((p) => p.fate === "block")) throw err.vpcDependency(vpc.id);
    for (const { h } of peerings.filter((p) => p.fate === "delete")) h.tx.put(deleted(h.pcx, ctx.scope.account, ctx.now));
    for (const kind of ["security-group", "route-table", "network-acl"] as const) {
      for (const r of tx.list(kind, { vpcId: vpc.id })) tx.delete(r.id);
    }
    tx.delete(vpc.id);
    return {};
  },
});

const VPC_ATTRIBUTE: Record<VpcAttributeName, "EnableDnsSupport" | "EnableDnsHostnames" | "EnableNetworkAddressUsageMetrics"> = {
  enableDnsSupport: "EnableDnsSupport",
  enableDnsHostnames: "EnableDnsHostnames",
  enableNetworkAddressUsageMetrics: "EnableNetworkAddressUsageMetrics",
};

export const DescribeVpcAttribute = defineAction({
  name: "DescribeVpcAttribute",
  mutates: false,
  params: ["Attribute", "VpcId"],
  run(input, ctx) {
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    return { VpcId: vpc.id, [VPC_ATTRIBUTE[input.Attribute]]: { Value: vpcAttribute(vpc, input.Attribute) } };
  },
});

export const ModifyVpcAttribute = defineAction({
  name: "ModifyVpcAttribute",
  mutates: true,
  params: ["VpcId", "EnableDnsHostnames", "EnableDnsSupport", "EnableNetworkAddressUsageMetrics"],
  run(input, ctx) {
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    // Model member order, which is also the order AWS names them in its multiple-attributes error.
    const changes = (
      [
        ["enableDnsHostnames", input.EnableDnsHostnames?.Value],
        ["enableDnsSupport", input.EnableDnsSupport?.Value],
        ["enableNetworkAddressUsageMetrics", input.EnableNetworkAddressUsageMetrics?.Value],
      ] as const
    ).filter((c): c is readonly [VpcAttributeName, boolean] => c[1] !== undefined);
    ctx.tx.put(withVpcAttribute(vpc, changes));
    return {};
  },
});

export const AssociateVpcCidrBlock = defineAction({
  name: "AssociateVpcCidrBlock",
  mutates: true,
  // The IPAM members are not implemented yet: the pipeline rejects them.
  params: ["VpcId", "CidrBlock", "AmazonProvidedIpv6CidrBlock", "Ipv6CidrBlockNetworkBorderGroup", "Ipv6Pool", "Ipv6CidrBlock"],
  run(input, ctx) {
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    const borderGroup = networkBorderGroup(ctx, input.AmazonProvidedIpv6CidrBlock, input.Ipv6CidrBlockNetworkBorderGroup);
    if (input.CidrBlock !== undefined && input.AmazonProvidedIpv6CidrBlock) {
      throw err.parametersTogether("cidrBlock", "amazonProvidedIpv6CidrBlock");
    }
    checkIpv6PoolParams(input.AmazonProvidedIpv6CidrBlock, input.Ipv6Pool, input.Ipv6CidrBlock);
    if (input.CidrBlock !== undefined && input.Ipv6Pool !== undefined) throw err.parametersTogether("cidrBlock", "ipv6Pool");
    if (input.Ipv6Pool !== undefined) {
      // BYOIP: a /56 from the caller's IPv6 pool.
      const updated = withPoolIpv6Block(ctx, vpc, input.Ipv6Pool, input.Ipv6CidrBlock);
      putVpcWithRoutes(ctx, updated);
      return { VpcId: vpc.id, Ipv6CidrBlockAssociation: ipv6AssociationView(updated.ipv6Associations.at(-1)!, "associating") };
    }
    if (input.CidrBlock !== undefined) {
      const cidr = vpcIpv4Cidr(input.CidrBlock);
      checkSecondaryIpv4(vpc, cidr, input.CidrBlock, ctx.quotas.ipv4CidrsPerVpc);
      const updated = withIpv4Block(vpc, cidr, ctx.ids.next("vpcCidrAssociation"));
      putVpcWithRoutes(ctx, updated);
      // AWS answers with the block still "associating"; DescribeVpcs then shows it "associated".
      return { VpcId: vpc.id, CidrBlockAssociation: ipv4AssociationView(updated.cidrAssociations.at(-1)!, "associating") };
    }
    if (!input.AmazonProvidedIpv6CidrBlock) throw err.oneOfRequired(["cidrBlock", "amazonProvidedIpv6CidrBlock", "ipv6Pool"]);
    const updated = addAmazonIpv6Block(ctx, vpc, borderGroup);
    putVpcWithRoutes(ctx, updated);
    return { VpcId: vpc.id, Ipv6CidrBlockAssociation: ipv6AssociationView(updated.ipv6Associations.at(-1)!, "associating") };
  },
});

export const DisassociateVpcCidrBlock = defineAction({
  name: "DisassociateVpcCidrBlock",
  mutates: true,
  params: ["AssociationId"],
  run(input, ctx) {
    assertIdOf("vpcCidrAssociation", input.AssociationId);
    const ref = findVpcCidrAssociation(ctx.tx.list("vpc"), input.AssociationId);
    if (!ref) throw err.vpcCidrAssociationNotFound(input.AssociationId);
    putVpcWithRoutes(ctx, withoutCidrBlock(ref, ctx.tx.list("subnet", { vpcId: ref.vpc.id })));
    return ref.family === 4
      ? { VpcId: ref.vpc.id, CidrBlockAssociation: ipv4AssociationView(ref.association, "disassociating") }
      : { VpcId: ref.vpc.id, Ipv6CidrBlockAssociation: ipv6AssociationView(ref.association, "disassociating") };
  },
});

/**
 * ModifyVpcTenancy (issue 16): the only change AWS allows is dedicated → default (the model's InstanceTenancy enum has
 * only `default`, so the parser refuses anything else); instances already running keep their tenancy, new ones launch
 * with default tenancy (EC2 API reference). Asking for `default` on a default-tenancy VPC succeeds and changes nothing
 * (inferred: AWS documents no error for it).
 */
export const ModifyVpcTenancy = defineAction({
  name: "ModifyVpcTenancy",
  mutates: true,
  params: ["VpcId", "InstanceTenancy"],
  run(input, ctx) {
    const vpc = must(ctx.tx, "vpc", input.VpcId);
    if (vpc.instanceTenancy !== input.InstanceTenancy) ctx.tx.put({ ...vpc, instanceTenancy: input.InstanceTenancy });
    return { ReturnValue: true };
  },
});

export const VPC_ACTIONS = [
  CreateVpc,
  DescribeVpcs,
  DeleteVpc,
  DescribeVpcAttribute,
  ModifyVpcAttribute,
  AssociateVpcCidrBlock,
  DisassociateVpcCidrBlock,
  ModifyVpcTenancy, // issue 16
];
