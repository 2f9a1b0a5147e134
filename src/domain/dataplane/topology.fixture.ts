/**
 * Builds data-plane topologies from a few lines (evaluator table tests and the verdict bench). Records are complete
 * enough for `compileTopology`; fields the data plane never reads get fixed values.
 */
import type {
  InstanceRecord,
  InternetGatewayRecord,
  NatGatewayRecord,
  NetworkAclEntry,
  NetworkAclRecord,
  NetworkInterfaceRecord,
  Route,
  RouteTableRecord,
  SecurityGroupRecord,
  SecurityGroupRule,
  SubnetRecord,
  VpcRecord,
} from "../types.js";
import type { TopologyInput } from "./topology.js";

export interface RuleSpec {
  readonly proto?: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidr?: string;
  readonly group?: string;
}
export interface AclSpec {
  readonly n: number;
  readonly allow: boolean;
  readonly egress: boolean;
  readonly proto?: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidr?: string;
}

const hex = (n: number): string => n.toString(16).padStart(17, "0");

export class TopologyBuilder {
  readonly vpcs: VpcRecord[] = [];
  readonly subnets: SubnetRecord[] = [];
  readonly routeTables: RouteTableRecord[] = [];
  readonly networkAcls: NetworkAclRecord[] = [];
  readonly securityGroups: SecurityGroupRecord[] = [];
  readonly networkInterfaces: NetworkInterfaceRecord[] = [];
  readonly instances: InstanceRecord[] = [];
  readonly internetGateways: InternetGatewayRecord[] = [];
  readonly natGateways: NatGatewayRecord[] = [];
  readonly impaired = new Set<string>();
  #n = 0;
  readonly #subnetById = new Map<string, SubnetRecord>();
  readonly #attached = new Map<string, number>();

  constructor(
    readonly account = "000000000000",
    readonly region = "us-east-1",
  ) {}

  id(prefix: string): string {
    return `${prefix}-${hex(++this.#n)}`;
  }

  /** A VPC with its main route table (local route only), default NACL (allow all) and, optionally, an IGW. */
  vpc(cidr: string, opts: { igw?: boolean } = {}): string {
    const id = this.id("vpc");
    this.vpcs.push({
      kind: "vpc",
      id,
      tags: [],
      ownerId: this.account,
      cidrBlock: cidr,
      state: "available",
      isDefault: false,
      instanceTenancy: "default",
      dhcpOptionsId: "dopt-0",
      cidrAssociations: [{ associationId: this.id("vpc-cidr-assoc"), cidrBlock: cidr, state: "associated" }],
      ipv6Associations: [],
      enableDnsSupport: true,
      enableDnsHostnames: false,
      enableNetworkAddressUsageMetrics: false,
    });
    this.routeTables.push({
      kind: "route-table",
      id: this.id("rtb"),
      tags: [],
      vpcId: id,
      ownerId: this.account,
      routes: [{ destinationCidrBlock: cidr, gatewayId: "local", origin: "CreateRouteTable", state: "active" }],
      associations: [{ associationId: this.id("rtbassoc"), main: true }],
    });
    this.networkAcls.push({
      kind: "network-acl",
      id: this.id("acl"),
      tags: [],
      vpcId: id,
      ownerId: this.account,
      isDefault: true,
      entries: [
        { ruleNumber: 100, protocol: "-1", ruleAction: "allow", egress: false, cidrBlock: "0.0.0.0/0" },
        { ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress: false, cidrBlock: "0.0.0.0/0" },
        { ruleNumber: 100, protocol: "-1", ruleAction: "allow", egress: true, cidrBlock: "0.0.0.0/0" },
        { ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress: true, cidrBlock: "0.0.0.0/0" },
      ],
      associations: [],
    });
    if (opts.igw) this.internetGateways.push({ kind: "internet-gateway", id: this.id("igw"), tags: [], ownerId: this.account, vpcId: id });
    return id;
  }

  igwOf(vpcId: string): string {
    return this.internetGateways.find((g) => g.vpcId === vpcId)!.id;
  }

  /** A subnet with its own route table: the local route plus `routes` ([cidr, "igw" | nat-… | eni-… | target id]). */
  subnet(vpcId: string, cidr: string, routes: readonly (readonly [string, string])[] = []): string {
    const id = this.id("subnet");
    this.subnets.push({
      kind: "subnet",
      id,
      tags: [],
      vpcId,
      ownerId: this.account,
      cidrBlock: cidr,
      state: "available",
      availabilityZone: "us-east-1a",
      availabilityZoneId: "use1-az1",
      defaultForAz: false,
      mapPublicIpOnLaunch: false,
      assignIpv6AddressOnCreation: false,
      ipv6Native: false,
      enableDns64: false,
      privateDnsHostnameTypeOnLaunch: "ip-name",
      enableResourceNameDnsARecordOnLaunch: false,
      enableResourceNameDnsAAAARecordOnLaunch: false,
      ipv6Associations: [],
    });
    this.#subnetById.set(id, this.subnets[this.subnets.length - 1]!);
    const vpc = this.vpcs.find((v) => v.id === vpcId)!;
    this.routeTables.push({
      kind: "route-table",
      id: this.id("rtb"),
      tags: [],
      vpcId,
      ownerId: this.account,
      routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: "local", origin: "CreateRouteTable", state: "active" }],
      associations: [{ associationId: this.id("rtbassoc"), main: false, subnetId: id }],
    });
    for (const [dest, target] of routes) this.route(id, dest, target);
    return id;
  }

  route(subnetId: string, dest: string, target: string): void {
    const i = this.routeTables.findIndex((t) => t.associations.some((a) => a.subnetId === subnetId));
    const t = this.routeTables[i]!;
    const r: Route =
      target === "igw"
        ? { destinationCidrBlock: dest, gatewayId: this.igwOf(t.vpcId), origin: "CreateRoute", state: "active" }
        : target.startsWith("nat-")
          ? { destinationCidrBlock: dest, natGatewayId: target, origin: "CreateRoute", state: "active" }
          : target.startsWith("eni-")
            ? { destinationCidrBlock: dest, networkInterfaceId: target, origin: "CreateRoute", state: "active" }
            : target.startsWith("pcx-") // issue 16 (VPC peering)
              ? { destinationCidrBlock: dest, vpcPeeringConnectionId: target, origin: "CreateRoute", state: "active" }
              : { destinationCidrBlock: dest, gatewayId: target, origin: "CreateRoute", state: "active" };
    this.routeTables[i] = { ...t, routes: [...t.routes, r] };
  }

  /**
   * A route in the gateway (edge) route table of the VPC's internet gateway (issue 16), created with its local route
   * and edge association on first use. Returns the table's id.
   */
  edgeRoute(vpcId: string, dest: string, target: string): string {
    const igw = this.igwOf(vpcId);
    let i = this.routeTables.findIndex((t) => t.associations.some((a) => a.gatewayId === igw));
    if (i < 0) {
      const vpc = this.vpcs.find((v) => v.id === vpcId)!;
      this.routeTables.push({
        kind: "route-table",
        id: this.id("rtb"),
        tags: [],
        vpcId,
        ownerId: this.account,
        routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: "local", origin: "CreateRouteTable", state: "active" }],
        associations: [{ associationId: this.id("rtbassoc"), main: false, gatewayId: igw }],
      });
      i = this.routeTables.length - 1;
    }
    const t = this.routeTables[i]!;
    const r: Route = { destinationCidrBlock: dest, networkInterfaceId: target, origin: "CreateRoute", state: "active" };
    this.routeTables[i] = { ...t, routes: [...t.routes, r] };
    return t.id;
  }

  /** A custom NACL for a subnet with these entries (the `*` denies are added). */
  acl(subnetId: string, entries: readonly AclSpec[]): string {
    const subnet = this.subnets.find((s) => s.id === subnetId)!;
    const id = this.id("acl");
    const toEntry = (e: AclSpec): NetworkAclEntry => {
      const proto = e.proto ?? "-1";
      const ported = proto === "6" || proto === "17";
      return {
        ruleNumber: e.n,
        protocol: proto,
        ruleAction: e.allow ? "allow" : "deny",
        egress: e.egress,
        cidrBlock: e.cidr ?? "0.0.0.0/0",
        portFrom: ported ? e.from : undefined,
        portTo: ported ? e.to : undefined,
        icmpType: proto === "1" ? -1 : undefined,
        icmpCode: proto === "1" ? -1 : undefined,
      };
    };
    this.networkAcls.push({
      kind: "network-acl",
      id,
      tags: [],
      vpcId: subnet.vpcId,
      ownerId: this.account,
      isDefault: false,
      entries: [
        ...entries.map(toEntry),
        { ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress: false, cidrBlock: "0.0.0.0/0" },
        { ruleNumber: 32767, protocol: "-1", ruleAction: "deny", egress: true, cidrBlock: "0.0.0.0/0" },
      ],
      associations: [{ associationId: this.id("aclassoc"), subnetId }],
    });
    return id;
  }

  /** A security group; rules default to all protocols. */
  sg(vpcId: string, rules: { ingress?: readonly RuleSpec[]; egress?: readonly RuleSpec[] }, id = this.id("sg")): string {
    const toRule = (r: RuleSpec, isEgress: boolean): SecurityGroupRule => ({
      ruleId: this.id("sgr"),
      isEgress,
      ipProtocol: r.proto ?? "-1",
      fromPort: r.from,
      toPort: r.to,
      cidrIpv4: r.group ? undefined : (r.cidr ?? "0.0.0.0/0"),
      referencedGroupId: r.group,
    });
    this.securityGroups.push({
      kind: "security-group",
      id,
      tags: [],
      vpcId,
      ownerId: this.account,
      groupName: id,
      description: id,
      rules: [...(rules.ingress ?? []).map((r) => toRule(r, false)), ...(rules.egress ?? []).map((r) => toRule(r, true))],
    });
    return id;
  }

  /** An ENI; attached to a new running instance unless `instance: false`. Returns the ENI id. */
  eni(
    subnetId: string,
    ip: string,
    opts: {
      sgs?: readonly string[];
      publicIp?: string | undefined;
      sourceDestCheck?: boolean;
      instance?: false | string;
      state?: InstanceRecord["state"];
      deviceIndex?: number;
      secondaryIps?: readonly string[];
      interfaceType?: string;
    } = {},
  ): string {
    const subnet = this.#subnetById.get(subnetId)!;
    const id = this.id("eni");
    let instanceId: string | undefined;
    let deviceIndex = 0;
    if (opts.instance !== false) {
      instanceId = opts.instance ?? this.id("i");
      deviceIndex = this.#attached.get(instanceId) ?? 0;
      if (deviceIndex === 0) this.instances.push(this.#instance(instanceId, subnet, opts.state ?? "running"));
      this.#attached.set(instanceId, deviceIndex + 1);
    }
    this.networkInterfaces.push({
      kind: "network-interface",
      id,
      tags: [],
      ownerId: this.account,
      requesterId: "",
      requesterManaged: opts.interfaceType === "nat_gateway" || opts.interfaceType === "lambda",
      vpcId: subnet.vpcId,
      subnetId,
      availabilityZone: "us-east-1a",
      description: "",
      macAddress: "02:00:00:00:00:01",
      interfaceType: opts.interfaceType ?? "interface",
      status: instanceId ? "in-use" : "available",
      sourceDestCheck: opts.sourceDestCheck ?? true,
      groupIds: opts.sgs ?? [],
      privateIps: [{ address: ip, primary: true }, ...(opts.secondaryIps ?? []).map((a) => ({ address: a, primary: false }))],
      ipv4Prefixes: [],
      ipv6Addresses: [],
      ipv6Prefixes: [],
      associatePublicIp: false,
      publicIps: opts.publicIp ? [{ privateIp: ip, publicIp: opts.publicIp, ipOwnerId: "amazon" }] : [],
      attachment: instanceId
        ? {
            attachmentId: this.id("eni-attach"),
            instanceId,
            instanceOwnerId: this.account,
            deviceIndex: opts.deviceIndex ?? deviceIndex,
            networkCardIndex: 0,
            status: "attached",
            attachTime: "2026-01-01T00:00:00.000Z",
            deleteOnTermination: true,
          }
        : undefined,
      instanceId,
    });
    return id;
  }

  instanceOf(eniId: string): string {
    return this.networkInterfaces.find((e) => e.id === eniId)!.attachment!.instanceId;
  }

  /** Moves an ENI to another instance (the failover step). */
  moveEni(eniId: string, instanceId: string): void {
    const i = this.networkInterfaces.findIndex((e) => e.id === eniId);
    const e = this.networkInterfaces[i]!;
    this.networkInterfaces[i] = { ...e, attachment: { ...e.attachment!, instanceId, deviceIndex: 1 }, instanceId };
  }

  setInstanceState(instanceId: string, state: InstanceRecord["state"]): void {
    const i = this.instances.findIndex((x) => x.id === instanceId);
    this.instances[i] = { ...this.instances[i]!, state };
  }

  /** A public NAT gateway in a subnet with a public (Elastic) IP. Returns the NAT gateway id. */
  natGateway(subnetId: string, ip: string, publicIp: string): string {
    const id = this.id("nat");
    const eniId = this.eni(subnetId, ip, { instance: false, publicIp, interfaceType: "nat_gateway", sourceDestCheck: false });
    const subnet = this.subnets.find((s) => s.id === subnetId)!;
    this.natGateways.push({
      kind: "nat-gateway",
      id,
      tags: [],
      vpcId: subnet.vpcId,
      subnetId,
      connectivityType: "public",
      state: "available",
      networkInterfaceId: eniId,
      privateIp: ip,
      publicIp,
      createTime: "2026-01-01T00:00:00.000Z",
    });
    return id;
  }

  #instance(id: string, subnet: SubnetRecord, state: InstanceRecord["state"]): InstanceRecord {
    return {
      kind: "instance",
      id,
      tags: [],
      ownerId: this.account,
      reservationId: "r-0",
      imageId: "ami-0",
      instanceType: "t3.micro",
      state,
      stateTransitionReason: "",
      launchTime: "2026-01-01T00:00:00.000Z",
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      availabilityZone: "us-east-1a",
      amiLaunchIndex: 0,
      architecture: "x86_64",
      rootDeviceName: "/dev/xvda",
      rootDeviceType: "ebs",
      platformDetails: "Linux/UNIX",
      ebsOptimized: false,
      enaSupport: true,
      disableApiTermination: false,
      disableApiStop: false,
      instanceInitiatedShutdownBehavior: "stop",
      rootVolumeId: "vol-0",
    };
  }

  build(extra: Partial<TopologyInput> = {}): TopologyInput {
    return {
      account: this.account,
      region: this.region,
      vpcs: this.vpcs,
      subnets: this.subnets,
      routeTables: this.routeTables,
      networkAcls: this.networkAcls,
      securityGroups: this.securityGroups,
      networkInterfaces: this.networkInterfaces,
      instances: this.instances,
      internetGateways: this.internetGateways,
      natGateways: this.natGateways,
      impaired: this.impaired,
      ...extra,
    };
  }
}
