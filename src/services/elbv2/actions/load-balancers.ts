/**
 * Load balancers: CreateLoadBalancer (network or application, Subnets or SubnetMappings with an Elastic IP or a chosen
 * private address), DescribeLoadBalancers, DeleteLoadBalancer, Describe/ModifyLoadBalancerAttributes, SetSubnets,
 * SetSecurityGroups. Each Availability Zone gets one requester-managed ENI in its subnet, created through EC2's seam
 * the way AWS shows it: description `ELB net/NAME/ID` (or `app/…`), requester and instance owner `amazon-elb`,
 * interface type `network_load_balancer` for an NLB and `interface` for an ALB.
 */
import { AMAZON_AWS_OWNER, ELB_REQUESTER, elbEniDescription } from "../../../world/service-accounts.js";
import {
  checkElbName,
  checkPlacement,
  defaultAttributes,
  dnsNameOf,
  LOAD_BALANCERS_PER_REGION,
  loadBalancerArn,
  mergeElbTags,
  modifiedAttributes,
  typeSegment,
  type LbZone,
  type LoadBalancerRecord,
  type LoadBalancerScheme,
  type LoadBalancerType,
  type MappingRequest,
} from "../../../domain/elbv2.js";
import { err } from "../../../domain/errors.js";
import type { ElasticIpRecord, SubnetRecord } from "../../../domain/types.js";
import { createServiceEni, deleteServiceEni, setServiceEniGroups } from "../../ec2/seams.js";
import type { Elbv2Context } from "../context.js";
import {
  attributeChanges,
  attributesView,
  type Elbv2Action,
  type Input,
  loadBalancerNamed,
  loadBalancerView,
  mustLoadBalancer,
  objs,
  page,
  str,
  strs,
  tagsIn,
} from "./common.js";

const mappingsOf = (input: Input): MappingRequest[] => {
  const subnets = strs(input, "Subnets");
  const mappings = objs(input, "SubnetMappings");
  if (subnets !== undefined && mappings !== undefined) throw err.elbSubnetsAndMappings();
  if (mappings === undefined) return (subnets ?? []).map((subnetId) => ({ subnetId }));
  return mappings.map((m) => {
    if (m["IPv6Address"] !== undefined) throw err.elbNotSupported("SubnetMappings IPv6Address");
    if (m["SourceNatIpv6Prefix"] !== undefined) throw err.elbNotSupported("SubnetMappings SourceNatIpv6Prefix");
    return { subnetId: str(m, "SubnetId") ?? "", allocationId: str(m, "AllocationId"), privateIp: str(m, "PrivateIPv4Address") };
  });
};

const subnetsOf = (ctx: Elbv2Context, mappings: readonly MappingRequest[]): SubnetRecord[] =>
  mappings.map((m) => {
    const s = ctx.tx.get("subnet", m.subnetId);
    if (!s) throw err.elbSubnetNotFound(m.subnetId);
    return s;
  });

/** The Elastic IPs the mappings name: the caller's, each unassociated and named once. */
const eipsOf = (ctx: Elbv2Context, mappings: readonly MappingRequest[]): (ElasticIpRecord | undefined)[] => {
  const seen = new Set<string>();
  return mappings.map((m) => {
    if (m.allocationId === undefined) return undefined;
    const eip = ctx.tx.get("elastic-ip", m.allocationId);
    if (!eip) throw err.elbAllocationIdNotFound(m.allocationId);
    if (eip.association || seen.has(eip.id)) throw err.elbAllocationInUse(eip.id);
    seen.add(eip.id);
    return eip;
  });
};

/** Placement, internet gateway and dualstack checks shared by CreateLoadBalancer and SetSubnets. */
const checkSubnets = (
  ctx: Elbv2Context,
  type: LoadBalancerType,
  scheme: LoadBalancerScheme,
  ipAddressType: string,
  mappings: readonly MappingRequest[],
): SubnetRecord[] => {
  const subnets = subnetsOf(ctx, mappings);
  checkPlacement(type, scheme, mappings, subnets);
  const vpcId = subnets[0]!.vpcId;
  if (scheme === "internet-facing" && ctx.tx.list("internet-gateway", { vpcId }).length === 0) throw err.elbVpcNoInternetGateway(vpcId);
  if (ipAddressType === "dualstack") {
    const without = subnets.find((s) => !s.ipv6Associations.some((a) => a.state === "associated"));
    if (without) throw err.elbDualstackNeedsIpv6(without.id);
  }
  return subnets;
};

const groupsOf = (ctx: Elbv2Context, vpcId: string, ids: readonly string[]): string[] => {
  for (const id of ids) {
    const g = ctx.tx.get("security-group", id);
    if (!g || g.vpcId !== vpcId) throw err.elbSecurityGroupInvalid(id);
  }
  return [...new Set(ids)];
};

/** One ENI per mapping, in the mapping's subnet, holding its EIP (or an Amazon public IP when internet-facing). */
const createZones = (
  ctx: Elbv2Context,
  lb: Pick<LoadBalancerRecord, "type" | "scheme" | "name" | "shortId">,
  groups: readonly string[],
  mappings: readonly MappingRequest[],
  subnets: readonly SubnetRecord[],
  eips: readonly (ElasticIpRecord | undefined)[],
): LbZone[] =>
  mappings.map((m, i) => {
    const subnet = subnets[i]!;
    const eip = eips[i];
    const eni = createServiceEni(
      ctx,
      {
        subnet,
        description: elbEniDescription(typeSegment(lb.type), lb.name, lb.shortId),
        // EC2's model also has `load_balancer`; ALB nodes show `interface` in users' outputs. // unverified beyond those
        interfaceType: lb.type === "network" ? "network_load_balancer" : "interface",
        requesterId: ELB_REQUESTER,
        // The attachment's owner differs by type: `amazon-aws` for an NLB's ENIs, `amazon-elb` for an ALB's. Terraform's
        // delete waits on exactly these (terraform-provider-aws elbv2: waitForNLBNetworkInterfacesToDetach filters
        // `attachment.instance-owner-id` = amazon-aws; cleanupALBNetworkInterfaces, amazon-elb).
        instanceOwnerId: lb.type === "network" ? AMAZON_AWS_OWNER : ELB_REQUESTER,
        groupIds: groups,
        privateIp: m.privateIp,
        eip,
        amazonPublicIp: lb.scheme === "internet-facing" && !eip,
      },
      (ip) => err.elbPrivateIpInUse(ip),
    );
    return {
      zoneName: subnet.availabilityZone,
      subnetId: subnet.id,
      networkInterfaceId: eni.id,
      privateIp: eni.privateIps[0]!.address,
      allocationId: eip?.id,
      publicIp: eip?.publicIp,
      privateIpGiven: m.privateIp !== undefined ? true : undefined,
    };
  });

const sameSettings = (lb: LoadBalancerRecord, type: string, scheme: string, subnetIds: readonly string[]): boolean =>
  lb.type === type && lb.scheme === scheme && lb.zones.length === subnetIds.length && lb.zones.every((z) => subnetIds.includes(z.subnetId));

const createLoadBalancer: Elbv2Action = {
  name: "CreateLoadBalancer",
  mutates: true,
  params: ["Name", "Subnets", "SubnetMappings", "SecurityGroups", "Scheme", "Tags", "Type", "IpAddressType"],
  run: (input, ctx) => {
    const { tx } = ctx;
    const name = str(input, "Name")!;
    checkElbName(name, "load balancer");
    const typeIn = str(input, "Type") ?? "application";
    if (typeIn === "gateway") throw err.elbNotSupported("Gateway Load Balancers");
    const type = typeIn as LoadBalancerType;
    const scheme = (str(input, "Scheme") ?? "internet-facing") as LoadBalancerScheme;
    const ipAddressType = str(input, "IpAddressType") ?? "ipv4";
    if (ipAddressType === "dualstack-without-public-ipv4") throw err.elbNotSupported("IpAddressType dualstack-without-public-ipv4");
    const mappings = mappingsOf(input);
    // AWS answers a repeated create with the same settings with the existing load balancer (the API is idempotent).
    const existing = loadBalancerNamed(tx, name);
    if (existing) {
      if (
        !sameSettings(
          existing,
          type,
          scheme,
          mappings.map((m) => m.subnetId),
        )
      )
        throw err.elbDuplicateLoadBalancerName(name);
      return { LoadBalancers: [loadBalancerView(existing, ctx.now)] };
    }
    const subnets = checkSubnets(ctx, type, scheme, ipAddressType, mappings);
    const vpcId = subnets[0]!.vpcId;
    const sgIn = strs(input, "SecurityGroups");
    // An ALB without groups gets the VPC's default group (AWS); an NLB created without groups never has any.
    const defaultGroup = tx.list("security-group", { vpcId }).find((g) => g.groupName === "default");
    const groups =
      sgIn !== undefined && sgIn.length > 0 ? groupsOf(ctx, vpcId, sgIn) : type === "application" && defaultGroup ? [defaultGroup.id] : [];
    const eips = eipsOf(ctx, mappings);
    const tags = mergeElbTags([], tagsIn(input));
    if (tx.count("elbv2-load-balancer") >= LOAD_BALANCERS_PER_REGION) throw err.elbTooManyLoadBalancers(LOAD_BALANCERS_PER_REGION);
    const shortId = ctx.ids.hex(16);
    const base = { type, scheme, name, shortId };
    const zones = createZones(ctx, base, groups, mappings, subnets, eips);
    const lb: LoadBalancerRecord = {
      kind: "elbv2-load-balancer",
      id: loadBalancerArn(ctx.scope.region, ctx.scope.account, type, name, shortId),
      tags: [],
      ...base,
      vpcId,
      ipAddressType: ipAddressType as "ipv4" | "dualstack",
      dnsName: dnsNameOf(type, scheme, name, shortId, ctx.scope.region),
      createdTime: ctx.now.toISOString(),
      activeAt: new Date(ctx.now.getTime() + ctx.provisionMs).toISOString(),
      securityGroups: groups,
      zones,
      attributes: defaultAttributes(type),
      elbTags: tags,
    };
    tx.put(lb);
    // AWS answers `provisioning` on create, whatever the delay.
    return { LoadBalancers: [{ ...loadBalancerView(lb, ctx.now), State: { Code: "provisioning" } }] };
  },
};

const describeLoadBalancers: Elbv2Action = {
  name: "DescribeLoadBalancers",
  mutates: false,
  params: ["LoadBalancerArns", "Names", "Marker", "PageSize"],
  run: (input, ctx) => {
    const arns = strs(input, "LoadBalancerArns");
    const names = strs(input, "Names");
    if (arns !== undefined && names !== undefined) throw err.elbDescribeBothNamesAndArns();
    let items: LoadBalancerRecord[];
    if (arns !== undefined) {
      items = [...new Set(arns)].map((a) => ctx.tx.get("elbv2-load-balancer", a)).filter((l) => l !== undefined);
      if (items.length < new Set(arns).size) throw err.elbLoadBalancerNotFound();
    } else {
      if (names !== undefined) {
        const unique = [...new Set(names)];
        const found = unique.map((n) => loadBalancerNamed(ctx.tx, n));
        const missing = unique.filter((_, i) => found[i] === undefined);
        if (missing.length > 0) throw err.elbLoadBalancerNamesNotFound(missing);
        items = found.filter((l) => l !== undefined);
      } else items = ctx.tx.list("elbv2-load-balancer");
    }
    const p = page(items, str(input, "Marker"), input["PageSize"] as number | undefined);
    return { LoadBalancers: p.items.map((l) => loadBalancerView(l, ctx.now)), NextMarker: p.next };
  },
};

const deleteLoadBalancer: Elbv2Action = {
  name: "DeleteLoadBalancer",
  mutates: true,
  params: ["LoadBalancerArn"],
  run: (input, ctx) => {
    const lb = ctx.tx.get("elbv2-load-balancer", str(input, "LoadBalancerArn")!);
    // AWS: deleting a load balancer that does not exist (or is already gone) succeeds.
    if (!lb) return {};
    if (lb.attributes["deletion_protection.enabled"] === "true") throw err.elbDeletionProtection(lb.id);
    for (const l of ctx.tx.list("elbv2-listener", { vpcId: lb.vpcId })) if (l.loadBalancerArn === lb.id) ctx.tx.delete(l.id);
    for (const z of lb.zones) deleteServiceEni(ctx, z.networkInterfaceId);
    ctx.tx.delete(lb.id);
    return {};
  },
};

const describeLoadBalancerAttributes: Elbv2Action = {
  name: "DescribeLoadBalancerAttributes",
  mutates: false,
  params: ["LoadBalancerArn"],
  run: (input, ctx) => ({ Attributes: attributesView(mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!).attributes) }),
};

const modifyLoadBalancerAttributes: Elbv2Action = {
  name: "ModifyLoadBalancerAttributes",
  mutates: true,
  params: ["LoadBalancerArn", "Attributes"],
  run: (input, ctx) => {
    const lb = mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!);
    const changes = attributeChanges(input);
    const attributes = modifiedAttributes(lb.type, lb.attributes, changes);
    ctx.tx.put({ ...lb, attributes });
    return { Attributes: attributesView(attributes) };
  },
};

/**
 * SetSubnets: the zones kept keep their ENI (and address), new ones get one, removed ones lose theirs. An NLB may
 * only add zones (AWS: "you can't remove" an NLB's subnets).
 */
const setSubnets: Elbv2Action = {
  name: "SetSubnets",
  mutates: true,
  params: ["LoadBalancerArn", "Subnets", "SubnetMappings", "IpAddressType"],
  run: (input, ctx) => {
    const lb = mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!);
    const ipAddressType = str(input, "IpAddressType") ?? lb.ipAddressType;
    if (ipAddressType === "dualstack-without-public-ipv4") throw err.elbNotSupported("IpAddressType dualstack-without-public-ipv4");
    const mappings = mappingsOf(input);
    const subnets = checkSubnets(ctx, lb.type, lb.scheme, ipAddressType, mappings);
    if (subnets[0]!.vpcId !== lb.vpcId) throw err.elbSubnetsOneVpc();
    const wanted = new Set(mappings.map((m) => m.subnetId));
    const removed = lb.zones.filter((z) => !wanted.has(z.subnetId));
    if (lb.type === "network" && removed.length > 0) throw err.elbSetSubnetsRemovesZone();
    const kept = new Map(lb.zones.map((z) => [z.subnetId, z]));
    const added = mappings.map((m, i) => ({ m, s: subnets[i]! })).filter(({ m }) => !kept.has(m.subnetId));
    const addedEips = eipsOf(
      ctx,
      added.map((a) => a.m),
    );
    for (const z of removed) deleteServiceEni(ctx, z.networkInterfaceId);
    const newZones = createZones(
      ctx,
      lb,
      lb.securityGroups,
      added.map((a) => a.m),
      added.map((a) => a.s),
      addedEips,
    );
    const byId = new Map(newZones.map((z) => [z.subnetId, z]));
    const zones = mappings.map((m) => kept.get(m.subnetId) ?? byId.get(m.subnetId)!);
    const next: LoadBalancerRecord = { ...lb, zones, ipAddressType: ipAddressType as "ipv4" | "dualstack" };
    ctx.tx.put(next);
    const view = loadBalancerView(next, ctx.now);
    return { AvailabilityZones: view["AvailabilityZones"], IpAddressType: next.ipAddressType };
  },
};

const setSecurityGroups: Elbv2Action = {
  name: "SetSecurityGroups",
  mutates: true,
  params: ["LoadBalancerArn", "SecurityGroups"],
  run: (input, ctx) => {
    const lb = mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!);
    const ids = strs(input, "SecurityGroups") ?? [];
    // AWS: an NLB created without security groups can never have them.
    if (lb.type === "network" && lb.securityGroups.length === 0) throw err.elbSecurityGroupsNotAddable();
    const groups = groupsOf(ctx, lb.vpcId, ids);
    for (const z of lb.zones) setServiceEniGroups(ctx, z.networkInterfaceId, groups);
    ctx.tx.put({ ...lb, securityGroups: groups });
    return { SecurityGroupIds: groups };
  },
};

/** SetIpAddressType: ipv4 or dualstack (every subnet of the load balancer needs an IPv6 block for dualstack). */
const setIpAddressType: Elbv2Action = {
  name: "SetIpAddressType",
  mutates: true,
  params: ["LoadBalancerArn", "IpAddressType"],
  run: (input, ctx) => {
    const lb = mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!);
    const ipAddressType = str(input, "IpAddressType")!;
    if (ipAddressType === "dualstack-without-public-ipv4") throw err.elbNotSupported("IpAddressType dualstack-without-public-ipv4");
    if (ipAddressType === "dualstack") {
      for (const z of lb.zones) {
        const s = ctx.tx.get("subnet", z.subnetId);
        if (!s?.ipv6Associations.some((a) => a.state === "associated")) throw err.elbDualstackNeedsIpv6(z.subnetId);
      }
    }
    ctx.tx.put({ ...lb, ipAddressType: ipAddressType as "ipv4" | "dualstack" });
    return { IpAddressType: ipAddressType };
  },
};

export const LOAD_BALANCER_ACTIONS: readonly Elbv2Action[] = [
  setIpAddressType,
  createLoadBalancer,
  describeLoadBalancers,
  deleteLoadBalancer,
  describeLoadBalancerAttributes,
  modifyLoadBalancerAttributes,
  setSubnets,
  setSecurityGroups,
];
