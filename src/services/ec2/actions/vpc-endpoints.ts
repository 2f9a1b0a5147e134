/**
 * VPC endpoints (issue 16): DescribeVpcEndpointServices (the region's AWS services), CreateVpcEndpoint (Gateway: a
 * route to the service's AWS-managed prefix list in each route table; Interface: one requester-managed ENI per
 * subnet), DescribeVpcEndpoints, ModifyVpcEndpoint, DeleteVpcEndpoints. Rules live in src/domain/vpc-endpoints.ts.
 * Endpoints are `available` at once (AWS shows `pending` for a short while on Interface endpoints). State names are
 * lowercase on the wire, as AWS answers them, although the model's enum is capitalised.
 */
import { macAddress } from "../../../domain/addressing.js";
import { parseCidr } from "../../../domain/cidr.js";
import { err, type Ec2Error } from "../../../domain/errors.js";
import { isIdOf, malformedError } from "../../../domain/ids.js";
import { buildNetworkInterface } from "../../../domain/network-interfaces.js";
import type { Route, SubnetRecord, VpcEndpointRecord } from "../../../domain/types.js";
import {
  checkedPolicy,
  checkEndpointSubnets,
  checkMembersForType,
  checkPrivateDns,
  dnsEntries,
  editedList,
  endpointServices,
  serviceFor,
  VPC_ENDPOINT_REQUESTER_ID,
  type EndpointService,
  type EndpointType,
} from "../../../domain/vpc-endpoints.js";
import type { ServiceDetail, VpcEndpoint } from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { claimLowestFree } from "../address-space.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { dropEipAssociations } from "../eip-links.js";
import { must } from "../lookups.js";
import { awsLists } from "../prefix-list-lookup.js";
import { tagsFromSpecs } from "./tags.js";
import { regionInfo } from "../../../domain/regions.js";

const servicesByRegion = new Map<string, EndpointService[]>();
/** The region's AWS services (built once per region). */
export const servicesOf = (region: string): readonly EndpointService[] => {
  let s = servicesByRegion.get(region);
  if (!s) {
    s = endpointServices(region);
    servicesByRegion.set(region, s);
  }
  return s;
};

const serviceDetailView = (s: EndpointService, region: string): ServiceDetail => ({
  ServiceName: s.serviceName,
  ServiceId: s.serviceId,
  ServiceType: [{ ServiceType: s.type }],
  ServiceRegion: region,
  AvailabilityZones: regionInfo(region).zones.map((z) => z.zoneName),
  AvailabilityZoneIds: regionInfo(region).zones.map((z) => z.zoneId),
  Owner: "amazon",
  BaseEndpointDnsNames: [...s.baseEndpointDnsNames],
  PrivateDnsName: s.privateDnsName,
  PrivateDnsNames: s.privateDnsName !== undefined ? [{ PrivateDnsName: s.privateDnsName }] : undefined,
  VpcEndpointPolicySupported: true,
  AcceptanceRequired: false,
  ManagesVpcEndpoints: false,
  PrivateDnsNameVerificationState: s.privateDnsName !== undefined ? "verified" : undefined,
  SupportedIpAddressTypes: ["ipv4"],
});

export const DescribeVpcEndpointServices = defineAction({
  name: "DescribeVpcEndpointServices",
  mutates: false,
  params: ["ServiceNames", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const services = servicesOf(ctx.scope.region);
    for (const name of input.ServiceNames ?? [])
      if (!services.some((s) => s.serviceName === name)) throw err.vpcEndpointServiceNotFound(name);
    const wanted = input.ServiceNames && input.ServiceNames.length > 0 ? new Set(input.ServiceNames) : undefined;
    const page = describe({
      items: wanted ? services.filter((s) => wanted.has(s.serviceName)) : services,
      idOf: (s) => `${s.serviceName}/${s.type}`,
      tagsOf: () => [],
      filters: input.Filters,
      table: {
        owner: () => "amazon",
        "service-name": (s) => s.serviceName,
        "service-region": () => ctx.scope.region,
        "service-type": (s) => s.type,
        "supported-ip-address-types": () => "ipv4",
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return {
      ServiceNames: [...new Set(page.items.map((s) => s.serviceName))],
      ServiceDetails: page.items.map((s) => serviceDetailView(s, ctx.scope.region)),
      NextToken: page.nextToken,
    };
  },
});

const serviceOfEndpoint = (ep: VpcEndpointRecord, region: string): EndpointService | undefined =>
  servicesOf(region).find((s) => s.serviceName === ep.serviceName && s.type === ep.endpointType);

export const vpcEndpointView = (ep: VpcEndpointRecord, tx: Tx): VpcEndpoint => {
  const region = tx.scope.region;
  const zones = ep.subnetIds.map((id) => tx.get("subnet", id)?.availabilityZone).filter((z): z is string => z !== undefined);
  const interfaceType = ep.endpointType === "Interface";
  return {
    VpcEndpointId: ep.id,
    VpcEndpointType: ep.endpointType,
    VpcId: ep.vpcId,
    ServiceName: ep.serviceName,
    State: ep.state as VpcEndpoint["State"],
    PolicyDocument: ep.policyDocument,
    RouteTableIds: [...ep.routeTableIds],
    SubnetIds: [...ep.subnetIds],
    Groups: ep.groupIds.map((id) => ({ GroupId: id, GroupName: tx.get("security-group", id)?.groupName })),
    IpAddressType: "ipv4",
    DnsOptions: interfaceType ? { DnsRecordIpType: "ipv4", PrivateDnsOnlyForInboundResolverEndpoint: false } : undefined,
    PrivateDnsEnabled: ep.privateDnsEnabled,
    RequesterManaged: false,
    NetworkInterfaceIds: [...ep.networkInterfaceIds],
    DnsEntries: dnsEntries(ep, region, zones, serviceOfEndpoint(ep, region)),
    CreationTimestamp: new Date(ep.creationTimestamp),
    Tags: tagView(ep.tags),
    OwnerId: ep.ownerId,
  };
};

/** The AWS-managed prefix list of a gateway service in the region. */
const prefixListOf = (region: string, s: EndpointService): string => {
  const l = awsLists(region).find((x) => x.name === s.prefixListName);
  if (!l) throw err.vpcEndpointServiceNotFound(s.serviceName);
  return l.id;
};

/** Adds the endpoint's route to a table of its VPC (one route per prefix list and table). */
const addGatewayRoute = (tx: Tx, ep: VpcEndpointRecord, tableId: string, prefixListId: string): void => {
  const table = must(tx, "route-table", tableId);
  if (table.vpcId !== ep.vpcId) throw err.vpcEndpointOtherVpc(table.id, ep.vpcId);
  if (table.routes.some((r) => r.destinationPrefixListId === prefixListId)) throw err.vpcEndpointRouteExists(table.id, prefixListId);
  // AWS shows these routes with Origin CreateRoute (observed in DescribeRouteTables outputs).
  const route: Route = { destinationPrefixListId: prefixListId, gatewayId: ep.id, origin: "CreateRoute", state: "active" };
  tx.put({ ...table, routes: [...table.routes, route] });
};

const removeGatewayRoute = (tx: Tx, ep: VpcEndpointRecord, tableId: string): void => {
  const table = tx.get("route-table", tableId);
  if (table) tx.put({ ...table, routes: table.routes.filter((r) => r.gatewayId !== ep.id) });
};

/** The endpoint's security groups: each in its VPC; the VPC's default group when none is named. */
const groupsFor = (ctx: ActionContext, vpcId: string, ids: readonly string[] | undefined): string[] => {
  if (ids === undefined || ids.length === 0) {
    const g = ctx.tx.list("security-group", { vpcId }).find((x) => x.groupName === "default");
    return g ? [g.id] : [];
  }
  for (const id of ids) {
    const g = must(ctx.tx, "security-group", id);
    if (g.vpcId !== vpcId) throw err.vpcEndpointOtherVpc(g.id, vpcId);
  }
  return [...new Set(ids)];
};

/** One requester-managed `vpc_endpoint` ENI in the subnet (attached to an AWS-owned instance, as NAT gateway ENIs are). */
const createEndpointEni = (ctx: ActionContext, ep: VpcEndpointRecord, subnet: SubnetRecord, groupIds: readonly string[]): string => {
  const cidr = subnet.cidrBlock ? parseCidr(subnet.cidrBlock) : undefined;
  if (!cidr) throw err.insufficientAddresses();
  const id = ctx.ids.next("networkInterface");
  const [ip] = claimLowestFree(ctx.tx, subnet.id, cidr, id, 1);
  ctx.tx.put(
    buildNetworkInterface({
      id,
      subnet,
      ownerId: ctx.scope.account,
      requesterId: VPC_ENDPOINT_REQUESTER_ID,
      requesterManaged: true,
      description: `VPC Endpoint Interface ${ep.id}`,
      macAddress: macAddress(ctx.ids.hex(10)),
      interfaceType: "vpc_endpoint",
      groupIds,
      privateIps: [ip!],
      associatePublicIp: false,
      attachment: {
        attachmentId: `ela-attach-${ctx.ids.hex(17)}`,
        instanceId: `i-${ctx.ids.hex(17)}`,
        instanceOwnerId: "amazon-aws", // inferred, as for NAT gateway ENIs
        deviceIndex: 1,
        networkCardIndex: 0,
        status: "attached",
        attachTime: ctx.now.toISOString(),
        deleteOnTermination: false,
      },
    }),
  );
  return id;
};

const deleteEndpointEni = (tx: Tx, eniId: string): void => {
  const eni = tx.get("network-interface", eniId);
  if (!eni) return;
  dropEipAssociations(tx, eni);
  tx.releaseAddressesOf(eni.id);
  tx.delete(eni.id);
};

const subnetsOf = (tx: Tx, ids: readonly string[]): SubnetRecord[] => ids.map((id) => must(tx, "subnet", id));

export const CreateVpcEndpoint = defineAction({
  name: "CreateVpcEndpoint",
  mutates: true,
  params: [
    "VpcEndpointType",
    "VpcId",
    "ServiceName",
    "PolicyDocument",
    "RouteTableIds",
    "SubnetIds",
    "SecurityGroupIds",
    "ClientToken",
    "PrivateDnsEnabled",
    "TagSpecifications",
  ],
  run(input, ctx) {
    const { tx } = ctx;
    const tags = tagsFromSpecs(input.TagSpecifications, "vpc-endpoint", ctx);
    // The model's default type is Gateway; the other types (GatewayLoadBalancer, Resource, ServiceNetwork) are not built.
    const asked = input.VpcEndpointType ?? "Gateway";
    if (asked !== "Gateway" && asked !== "Interface") throw err.unsupportedParameter(`VpcEndpointType=${asked}`, "CreateVpcEndpoint");
    const type: EndpointType = asked;
    const vpc = must(tx, "vpc", input.VpcId);
    if (input.ServiceName === undefined) throw err.missingParameter("ServiceName");
    const service = serviceFor(servicesOf(ctx.scope.region), input.ServiceName, type);
    checkMembersForType(type, {
      routeTables: (input.RouteTableIds ?? []).length > 0,
      subnets: (input.SubnetIds ?? []).length > 0,
      groups: (input.SecurityGroupIds ?? []).length > 0,
      privateDns: input.PrivateDnsEnabled === true,
    });
    const policyDocument = checkedPolicy(input.PolicyDocument);
    // AWS's default for PrivateDnsEnabled is true on Interface endpoints (model doc: "Default: true"); S3's private DNS
    // needs a gateway endpoint beside it (PrivateDnsOnlyForInboundResolverEndpoint), so it defaults to off (inferred).
    const privateDns = type === "Interface" && (input.PrivateDnsEnabled ?? service.short !== "s3");
    if (type === "Interface") checkPrivateDns(vpc, privateDns);
    const subnets = subnetsOf(tx, [...new Set(input.SubnetIds ?? [])]);
    checkEndpointSubnets(vpc.id, subnets);
    const groupIds = type === "Interface" ? groupsFor(ctx, vpc.id, input.SecurityGroupIds) : [];
    let ep: VpcEndpointRecord = {
      kind: "vpc-endpoint",
      id: ctx.ids.next("vpcEndpoint"),
      tags,
      ownerId: ctx.scope.account,
      vpcId: vpc.id,
      endpointType: type,
      serviceName: service.serviceName,
      state: "available",
      policyDocument,
      routeTableIds: [...new Set(input.RouteTableIds ?? [])],
      subnetIds: subnets.map((s) => s.id),
      networkInterfaceIds: [],
      groupIds,
      privateDnsEnabled: privateDns,
      creationTimestamp: ctx.now.toISOString(),
      dnsToken: ctx.ids.hex(8),
    };
    if (type === "Gateway") {
      const pl = prefixListOf(ctx.scope.region, service);
      for (const t of ep.routeTableIds) addGatewayRoute(tx, ep, t, pl);
    } else {
      ep = { ...ep, networkInterfaceIds: subnets.map((s) => createEndpointEni(ctx, ep, s, groupIds)) };
    }
    tx.put(ep);
    return { VpcEndpoint: vpcEndpointView(ep, tx), ClientToken: input.ClientToken };
  },
});

export const DescribeVpcEndpoints = defineAction({
  name: "DescribeVpcEndpoints",
  mutates: false,
  params: ["VpcEndpointIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "vpc-endpoint", input.VpcEndpointIds, input.Filters, { id: "vpc-endpoint-id", vpcId: "vpc-id" }),
      idOf: (ep) => ep.id,
      ids: input.VpcEndpointIds,
      idKind: "vpcEndpoint",
      notFound: (m) => err.vpcEndpointNotFound(m),
      filters: input.Filters,
      table: {
        "ip-address-type": () => "ipv4",
        "service-name": (ep) => ep.serviceName,
        "service-region": () => ctx.scope.region,
        "vpc-id": (ep) => ep.vpcId,
        "vpc-endpoint-id": (ep) => ep.id,
        "vpc-endpoint-state": (ep) => ep.state,
        "vpc-endpoint-type": (ep) => ep.endpointType,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { VpcEndpoints: page.items.map((ep) => vpcEndpointView(ep, ctx.tx)), NextToken: page.nextToken };
  },
});

export const ModifyVpcEndpoint = defineAction({
  name: "ModifyVpcEndpoint",
  mutates: true,
  params: [
    "VpcEndpointId",
    "ResetPolicy",
    "PolicyDocument",
    "AddRouteTableIds",
    "RemoveRouteTableIds",
    "AddSubnetIds",
    "RemoveSubnetIds",
    "AddSecurityGroupIds",
    "RemoveSecurityGroupIds",
    "PrivateDnsEnabled",
  ],
  run(input, ctx) {
    const { tx } = ctx;
    let ep = must(tx, "vpc-endpoint", input.VpcEndpointId);
    const type = ep.endpointType;
    const some = (l: readonly string[] | undefined) => (l ?? []).length > 0;
    checkMembersForType(type, {
      routeTables: some(input.AddRouteTableIds) || some(input.RemoveRouteTableIds),
      subnets: some(input.AddSubnetIds) || some(input.RemoveSubnetIds),
      groups: some(input.AddSecurityGroupIds) || some(input.RemoveSecurityGroupIds),
      privateDns: input.PrivateDnsEnabled !== undefined,
    });
    if (input.ResetPolicy === true && input.PolicyDocument !== undefined) throw err.vpcEndpointPolicyAndReset();
    if (input.PolicyDocument !== undefined) ep = { ...ep, policyDocument: checkedPolicy(input.PolicyDocument) };
    if (input.ResetPolicy === true) ep = { ...ep, policyDocument: checkedPolicy(undefined) };
    if (type === "Gateway") {
      const remove = input.RemoveRouteTableIds ?? [];
      const add = input.AddRouteTableIds ?? [];
      const tables = editedList(ep.routeTableIds, add, remove, ep.id);
      for (const t of remove) removeGatewayRoute(tx, ep, t);
      const pl = prefixListOf(ctx.scope.region, serviceFor(servicesOf(ctx.scope.region), ep.serviceName, "Gateway"));
      for (const t of add) if (!ep.routeTableIds.includes(t)) addGatewayRoute(tx, ep, t, pl);
      ep = { ...ep, routeTableIds: tables };
    } else {
      for (const id of input.AddSecurityGroupIds ?? []) groupsFor(ctx, ep.vpcId, [id]);
      const groupIds = editedList(ep.groupIds, input.AddSecurityGroupIds ?? [], input.RemoveSecurityGroupIds ?? [], ep.id);
      if (groupIds.length === 0) throw err.vpcEndpointLastSecurityGroup();
      const subnetIds = editedList(ep.subnetIds, input.AddSubnetIds ?? [], input.RemoveSubnetIds ?? [], ep.id);
      const subnets = subnetsOf(tx, subnetIds);
      checkEndpointSubnets(ep.vpcId, subnets);
      if (input.PrivateDnsEnabled !== undefined) {
        checkPrivateDns(must(tx, "vpc", ep.vpcId), input.PrivateDnsEnabled);
        ep = { ...ep, privateDnsEnabled: input.PrivateDnsEnabled };
      }
      // Kept ENIs follow the group change; removed subnets lose theirs; added subnets get one.
      const enis = new Map(ep.subnetIds.map((s, i) => [s, ep.networkInterfaceIds[i]!]));
      for (const s of ep.subnetIds) if (!subnetIds.includes(s)) deleteEndpointEni(tx, enis.get(s)!);
      ep = { ...ep, groupIds, subnetIds };
      const eniIds = subnets.map((s) => {
        const kept = enis.get(s.id);
        if (kept === undefined) return createEndpointEni(ctx, ep, s, groupIds);
        const eni = tx.get("network-interface", kept);
        if (eni) tx.put({ ...eni, groupIds: [...groupIds] });
        return kept;
      });
      ep = { ...ep, networkInterfaceIds: eniIds };
    }
    tx.put(ep);
    return { Return: true };
  },
});

/** Removes an endpoint with its routes and ENIs. */
const deleteEndpoint = (tx: Tx, ep: VpcEndpointRecord): void => {
  for (const t of ep.routeTableIds) removeGatewayRoute(tx, ep, t);
  for (const id of ep.networkInterfaceIds) deleteEndpointEni(tx, id);
  tx.delete(ep.id);
};

export const DeleteVpcEndpoints = defineAction({
  name: "DeleteVpcEndpoints",
  mutates: true,
  params: ["VpcEndpointIds"],
  run(input, ctx) {
    // AWS answers each id it could not delete as an Unsuccessful item rather than failing the call.
    const unsuccessful: { ResourceId: string; Error: { Code: string; Message: string } }[] = [];
    const fail = (id: string, e: Ec2Error) => unsuccessful.push({ ResourceId: id, Error: { Code: e.code, Message: e.message } });
    for (const id of new Set(input.VpcEndpointIds)) {
      if (!isIdOf("vpcEndpoint", id)) {
        fail(id, malformedError("vpcEndpoint", id));
        continue;
      }
      const ep = ctx.tx.get("vpc-endpoint", id);
      if (!ep) {
        fail(id, err.vpcEndpointNotFound([id]));
        continue;
      }
      deleteEndpoint(ctx.tx, ep);
    }
    return { Unsuccessful: unsuccessful };
  },
});

export const VPC_ENDPOINT_ACTIONS = [
  DescribeVpcEndpointServices,
  CreateVpcEndpoint,
  DescribeVpcEndpoints,
  ModifyVpcEndpoint,
  DeleteVpcEndpoints,
];
