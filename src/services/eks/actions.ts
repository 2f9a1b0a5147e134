/**
 * EKS's operations (issue 18): clusters (with their cross-account control-plane ENIs and the cluster security group),
 * managed node groups (real EC2 instances launched through RunInstances' path), add-ons (vpc-cni's configuration),
 * updates. Rules live in domain/eks.ts; EC2 resources are made through EC2's seams, in the same transaction, so every
 * EC2 rule applies and a failed call changes nothing.
 *
 * Time: CREATING → ACTIVE, an update's InProgress → Successful, are read against the simulated clock (`activeAt`,
 * `completesAt`), like ELBv2's provisioning. Deletion is immediate (the answer says DELETING, as AWS's first answer
 * does, and the next Describe is ResourceNotFoundException, which is what `wait cluster-deleted` waits for).
 */
import {
  amiArchitecture,
  applyLabels,
  checkClusterRequest,
  checkServiceCidr,
  checkName,
  checkRoleArn,
  controlPlaneSubnets,
  defaultServiceCidr,
  endpointAccess,
  EKS_PLATFORM_VERSION,
  NODEGROUP_DEFAULTS,
  nodeSubnet,
  parseCniConfiguration,
  scaleDelta,
  scalingOf,
  type EksClusterSettings,
  type EksTaint,
  type EksUpdate,
} from "../../domain/eks.js";
import { err } from "../../domain/errors.js";
import { regionInfo } from "../../domain/regions.js";
import type { EksAddonRecord, EksClusterRecord, EksNodegroupRecord, Tag } from "../../domain/types.js";
import { SERVICE_ACCOUNTS } from "../../world/service-accounts.js";

/** EKS's service account (world/service-accounts.ts): requester and instance owner of the control-plane ENIs. */
const EKS_REQUESTER = SERVICE_ACCOUNTS["eks"]!.instanceOwnerId;
import type { ServiceAction } from "../common/pipeline.js";
import { startNodeCni } from "./cni.js";
import {
  addServiceTags,
  createServiceEni,
  deleteServiceEni,
  launchInstances,
  runEc2Action,
  type ActionContext,
  type InputOf,
} from "../ec2/seams.js";

export interface EksContext {
  /** EC2's context: the same transaction, ids and clock as an EC2 action (the ENIs, groups and nodes are EC2's). */
  readonly ec2: ActionContext;
  readonly partition: string;
  /** How long CREATING / UPDATING last on the simulated clock. */
  readonly provisionMs: number;
}

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const stringMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v) ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"));

/** REST-JSON timestamps are epoch seconds. */
const epoch = (iso: string): number => Date.parse(iso) / 1000;
const later = (ctx: EksContext): string => new Date(ctx.ec2.now.getTime() + ctx.provisionMs).toISOString();
const reached = (ctx: EksContext, iso: string): boolean => Date.parse(iso) <= ctx.ec2.now.getTime();

/** A UUID-shaped string from the injected id generator (no randomness of our own). */
const uuid = (ctx: EksContext): string => {
  const h = ctx.ec2.ids.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const clusterKey = (name: string): string => `eks-cluster:${name}`;
const nodegroupKey = (cluster: string, ng: string): string => `eks-nodegroup:${cluster}/${ng}`;
const addonKey = (cluster: string, addon: string): string => `eks-addon:${cluster}/${addon}`;
const arn = (ctx: EksContext, resource: string): string =>
  `arn:${ctx.partition}:eks:${ctx.ec2.scope.region}:${ctx.ec2.scope.account}:${resource}`;

export const mustCluster = (ctx: EksContext, name: string): EksClusterRecord => {
  const c = ctx.ec2.tx.get("eks-cluster", clusterKey(name));
  if (!c) throw err.eksClusterNotFound(name);
  return c;
};

export const mustNodegroup = (ctx: EksContext, cluster: string, name: string): EksNodegroupRecord => {
  const n = ctx.ec2.tx.get("eks-nodegroup", nodegroupKey(cluster, name));
  if (!n) throw err.eksNodegroupNotFound(name);
  return n;
};

const pending = (ctx: EksContext, updates: readonly EksUpdate[], nodegroup: string | undefined): EksUpdate | undefined =>
  updates.find((u) => u.nodegroupName === nodegroup && !reached(ctx, u.completesAt));

const clusterStatus = (ctx: EksContext, c: EksClusterRecord): string =>
  !reached(ctx, c.activeAt) ? "CREATING" : pending(ctx, c.updates, undefined) ? "UPDATING" : "ACTIVE";

const nodegroupStatus = (ctx: EksContext, c: EksClusterRecord, n: EksNodegroupRecord): string =>
  !reached(ctx, n.activeAt) ? "CREATING" : pending(ctx, c.updates, n.name) ? "UPDATING" : "ACTIVE";

const clusterView = (ctx: EksContext, c: EksClusterRecord, status = clusterStatus(ctx, c)): Record<string, unknown> => {
  const { region } = ctx.ec2.scope;
  const creating = status === "CREATING";
  const s = c.settings ?? settingsOf({}, undefined);
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epoch(c.createdAt),
    version: c.version,
    // AWS shows no endpoint or certificate until the control plane is up.
    endpoint: creating ? undefined : `https://${c.endpointHost}.gr7.${region}.eks.amazonaws.com`,
    roleArn: c.roleArn,
    resourcesVpcConfig: {
      subnetIds: c.vpc.subnetIds,
      securityGroupIds: c.vpc.securityGroupIds,
      clusterSecurityGroupId: c.clusterSecurityGroupId,
      vpcId: c.vpc.vpcId,
      endpointPublicAccess: c.vpc.endpointPublicAccess,
      endpointPrivateAccess: c.vpc.endpointPrivateAccess,
      publicAccessCidrs: c.vpc.publicAccessCidrs,
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: c.serviceIpv4Cidr, ipFamily: "ipv4", elasticLoadBalancing: { enabled: s.elbEnabled } },
    logging: { clusterLogging: s.logging },
    identity: creating ? undefined : { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${c.oidcId}` } },
    status,
    certificateAuthority: creating ? {} : { data: Buffer.from(`localvpc certificate authority of ${c.arn}`).toString("base64") },
    clientRequestToken: c.clientRequestToken,
    platformVersion: EKS_PLATFORM_VERSION,
    tags: c.eksTags,
    health: { issues: [] },
    accessConfig: {
      authenticationMode: s.authenticationMode,
      bootstrapClusterCreatorAdminPermissions: s.bootstrapClusterCreatorAdminPermissions,
    },
    upgradePolicy: { supportType: s.supportType },
  };
};

const nodegroupView = (
  ctx: EksContext,
  c: EksClusterRecord,
  n: EksNodegroupRecord,
  status = nodegroupStatus(ctx, c, n),
): Record<string, unknown> => ({
  nodegroupName: n.name,
  nodegroupArn: n.arn,
  clusterName: n.clusterName,
  version: n.version,
  releaseVersion: `${n.version}.0-20250101`,
  createdAt: epoch(n.createdAt),
  modifiedAt: epoch(n.modifiedAt),
  status,
  capacityType: n.capacityType,
  scalingConfig: n.scaling,
  instanceTypes: n.instanceTypes,
  subnets: n.subnets,
  amiType: n.amiType,
  nodeRole: n.nodeRole,
  labels: n.labels,
  taints: n.taints.length > 0 ? n.taints : undefined,
  resources: { autoScalingGroups: [{ name: n.autoScalingGroup }] },
  diskSize: n.diskSize,
  health: { issues: [] },
  updateConfig: { maxUnavailable: 1 },
  tags: n.eksTags,
});

const updateView = (ctx: EksContext, u: EksUpdate): Record<string, unknown> => ({
  id: u.id,
  status: reached(ctx, u.completesAt) ? "Successful" : "InProgress",
  type: u.type,
  params: u.params,
  createdAt: epoch(u.createdAt),
  errors: [],
});

/** Opaque pagination: the position as base64 of `n:<index>`; anything else is refused. */
const page = <T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } => {
  let start = 0;
  if (nextToken !== undefined) {
    const m = /^n:(\d{1,9})$/.exec(Buffer.from(nextToken, "base64").toString("utf8"));
    if (!m) throw err.eksInvalidNextToken();
    start = Number(m[1]);
  }
  const size = maxResults ?? 100;
  const end = start + size;
  return end < items.length
    ? { items: items.slice(start, end), nextToken: Buffer.from(`n:${end}`).toString("base64") }
    : { items: items.slice(start) };
};

// --- Clusters ----------------------------------------------------------------------------------------------------

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/**
 * CreateCluster's access, logging and upgrade settings with AWS's defaults (authenticationMode CONFIG_MAP for the
 * API's callers, creator admin permissions on, self-managed add-ons bootstrapped, EXTENDED support, every log off).
 */
const settingsOf = (input: Input, elb: Record<string, unknown> | undefined): EksClusterSettings => {
  const access = obj(input["accessConfig"]) ?? {};
  const enabled = new Set<string>();
  for (const l of Array.isArray(obj(input["logging"])?.["clusterLogging"]) ? (obj(input["logging"])!["clusterLogging"] as unknown[]) : []) {
    const o = obj(l) ?? {};
    if (o["enabled"] === true) for (const t of strings(o["types"])) enabled.add(t);
  }
  const on = LOG_TYPES.filter((t) => enabled.has(t));
  const off = LOG_TYPES.filter((t) => !enabled.has(t));
  return {
    authenticationMode: str(access["authenticationMode"]) ?? "CONFIG_MAP",
    bootstrapClusterCreatorAdminPermissions: bool(access["bootstrapClusterCreatorAdminPermissions"]) ?? true,
    bootstrapSelfManagedAddons: bool(input["bootstrapSelfManagedAddons"]) ?? true,
    supportType: str(obj(input["upgradePolicy"])?.["supportType"]) ?? "EXTENDED",
    logging: [...(on.length > 0 ? [{ types: on, enabled: true }] : []), ...(off.length > 0 ? [{ types: off, enabled: false }] : [])],
    elbEnabled: bool(elb?.["enabled"]) ?? false,
  };
};

/** "eks-cluster-sg-<name>-<10 digits>", as AWS names the group it creates. */
const clusterGroupName = (ctx: EksContext, name: string): string =>
  `eks-cluster-sg-${name}-${(parseInt(ctx.ec2.ids.hex(8), 16) % 10_000_000_000).toString().padStart(10, "0")}`;

const createClusterGroup = (ctx: EksContext, name: string, vpcId: string): string => {
  const groupName = clusterGroupName(ctx, name);
  const { GroupId } = runEc2Action(ctx.ec2, "CreateSecurityGroup", {
    GroupName: groupName,
    Description:
      "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
    VpcId: vpcId,
  });
  const id = GroupId!;
  // Inbound: all traffic from the group itself; outbound: the new group's default allow-all rule (AWS's rules).
  runEc2Action(ctx.ec2, "AuthorizeSecurityGroupIngress", {
    GroupId: id,
    IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: id }] }],
  });
  addServiceTags(ctx.ec2, "security-group", id, [
    { key: "Name", value: groupName },
    { key: "aws:eks:cluster-name", value: name },
    { key: `kubernetes.io/cluster/${name}`, value: "owned" },
  ]);
  return id;
};

const CreateCluster: ServiceAction<EksContext> = {
  name: "CreateCluster",
  mutates: true,
  params: [
    "name",
    "version",
    "roleArn",
    "resourcesVpcConfig",
    "clientRequestToken",
    "tags",
    "kubernetesNetworkConfig",
    "accessConfig",
    "bootstrapSelfManagedAddons",
    "upgradePolicy",
    "logging",
  ],
  run(input: Input, ctx: EksContext) {
    const { tx, now, scope } = ctx.ec2;
    const name = str(input["name"])!;
    checkName(name, "cluster");
    if (tx.get("eks-cluster", clusterKey(name))) throw err.eksClusterExists(name);
    const rvc = obj(input["resourcesVpcConfig"]) ?? {};
    const { version, vpc } = checkClusterRequest(
      {
        name,
        version: str(input["version"]),
        roleArn: str(input["roleArn"])!,
        subnetIds: strings(rvc["subnetIds"]),
        securityGroupIds: strings(rvc["securityGroupIds"]),
        endpointPublicAccess: bool(rvc["endpointPublicAccess"]),
        endpointPrivateAccess: bool(rvc["endpointPrivateAccess"]),
        publicAccessCidrs: rvc["publicAccessCidrs"] === undefined ? undefined : strings(rvc["publicAccessCidrs"]),
      },
      {
        subnet: (id) => {
          const s = tx.get("subnet", id);
          return s && { id: s.id, vpcId: s.vpcId, availabilityZone: s.availabilityZone };
        },
        groupVpc: (id) => tx.get("security-group", id)?.vpcId,
      },
      regionInfo(scope.region).zones.map((z) => z.zoneName),
    );
    const vpcRecord = tx.get("vpc", vpc.vpcId);
    const vpcCidrs = vpcRecord
      ? [vpcRecord.cidrBlock, ...vpcRecord.cidrAssociations.filter((a) => a.state === "associated").map((a) => a.cidrBlock)]
      : [];
    const knc = obj(input["kubernetesNetworkConfig"]) ?? {};
    if (knc["ipFamily"] === "ipv6") throw err.eksIpv6Unsupported();
    const serviceCidr = str(knc["serviceIpv4Cidr"]);
    const serviceIpv4Cidr =
      serviceCidr !== undefined ? checkServiceCidr(serviceCidr, vpcCidrs) : defaultServiceCidr(vpcRecord?.cidrBlock ?? "");
    const settings = settingsOf(input, obj(knc["elasticLoadBalancing"]));
    const sg = createClusterGroup(ctx, name, vpc.vpcId);
    const subnets = vpc.subnetIds.map((id) => tx.get("subnet", id)!);
    const eniIds = controlPlaneSubnets(subnets.map((s) => ({ id: s.id, vpcId: s.vpcId, availabilityZone: s.availabilityZone }))).map(
      (s) =>
        createServiceEni(
          ctx.ec2,
          {
            subnet: subnets.find((x) => x.id === s.id)!,
            description: `Amazon EKS ${name}`,
            interfaceType: "interface",
            // The control plane's instances live in EKS's account: it is the requester and the instance owner.
            requesterId: EKS_REQUESTER,
            groupIds: [sg, ...vpc.securityGroupIds],
          },
          () => err.insufficientAddresses(),
        ).id,
    );
    const c: EksClusterRecord = {
      kind: "eks-cluster",
      id: clusterKey(name),
      tags: [],
      name,
      arn: arn(ctx, `cluster/${name}`),
      vpcId: vpc.vpcId,
      version,
      roleArn: str(input["roleArn"])!,
      createdAt: now.toISOString(),
      activeAt: later(ctx),
      vpc,
      clusterSecurityGroupId: sg,
      eniIds,
      endpointHost: ctx.ec2.ids.hex(32).toUpperCase(),
      oidcId: ctx.ec2.ids.hex(32).toUpperCase(),
      serviceIpv4Cidr,
      settings,
      clientRequestToken: str(input["clientRequestToken"]),
      eksTags: stringMap(input["tags"]),
      nodegroups: [],
      addons: [],
      updates: [],
    };
    tx.put(c);
    return { cluster: clusterView(ctx, c, "CREATING") };
  },
};

const DescribeCluster: ServiceAction<EksContext> = {
  name: "DescribeCluster",
  mutates: false,
  params: ["name"],
  run: (input: Input, ctx: EksContext) => ({ cluster: clusterView(ctx, mustCluster(ctx, str(input["name"])!)) }),
};

const ListClusters: ServiceAction<EksContext> = {
  name: "ListClusters",
  mutates: false,
  params: ["maxResults", "nextToken"],
  run(input: Input, ctx: EksContext) {
    const names = ctx.ec2.tx.list("eks-cluster").map((c) => c.name);
    const p = page(names, num(input["maxResults"]), str(input["nextToken"]));
    return { clusters: p.items, nextToken: p.nextToken };
  },
};

const DeleteCluster: ServiceAction<EksContext> = {
  name: "DeleteCluster",
  mutates: true,
  params: ["name"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["name"])!);
    if (c.nodegroups.length > 0) throw err.eksClusterHasNodegroups();
    const view = clusterView(ctx, c, "DELETING");
    for (const a of c.addons) ctx.ec2.tx.delete(addonKey(c.name, a));
    // The cluster's ENIConfigs (Kubernetes objects on a real cluster) go with it.
    for (const e of ctx.ec2.tx.list("eks-eni-config")) if (e.clusterName === c.name) ctx.ec2.tx.delete(e.id);
    for (const id of c.eniIds) deleteServiceEni(ctx.ec2, id);
    // The group goes with the cluster unless something else of the customer's still uses it (AWS leaves it then).
    const inUse = ctx.ec2.tx.list("network-interface", { vpcId: c.vpcId }).some((e) => e.groupIds.includes(c.clusterSecurityGroupId));
    if (!inUse) runEc2Action(ctx.ec2, "DeleteSecurityGroup", { GroupId: c.clusterSecurityGroupId });
    ctx.ec2.tx.delete(c.id);
    return { cluster: view };
  },
};

const UpdateClusterConfig: ServiceAction<EksContext> = {
  name: "UpdateClusterConfig",
  mutates: true,
  params: ["name", "resourcesVpcConfig", "clientRequestToken"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["name"])!);
    const status = clusterStatus(ctx, c);
    if (status !== "ACTIVE") throw err.eksClusterBusy(c.name, status);
    const rvc = obj(input["resourcesVpcConfig"]);
    if (!rvc) throw err.eksAlreadyDesired();
    for (const m of ["subnetIds", "securityGroupIds"])
      if (rvc[m] !== undefined) throw err.eksUnsupportedMember(`resourcesVpcConfig.${m}`, "UpdateClusterConfig");
    const cidrs = rvc["publicAccessCidrs"] === undefined ? undefined : strings(rvc["publicAccessCidrs"]);
    const next = endpointAccess(bool(rvc["endpointPublicAccess"]), bool(rvc["endpointPrivateAccess"]), cidrs, c.vpc);
    const same =
      next.endpointPublicAccess === c.vpc.endpointPublicAccess &&
      next.endpointPrivateAccess === c.vpc.endpointPrivateAccess &&
      next.publicAccessCidrs.join(",") === c.vpc.publicAccessCidrs.join(",");
    if (same) throw err.eksAlreadyDesired();
    const u: EksUpdate = {
      id: uuid(ctx),
      type: "EndpointAccessUpdate",
      params: [
        { type: "EndpointPublicAccess", value: String(next.endpointPublicAccess) },
        { type: "EndpointPrivateAccess", value: String(next.endpointPrivateAccess) },
        { type: "PublicAccessCidrs", value: JSON.stringify(next.publicAccessCidrs) },
      ],
      createdAt: ctx.ec2.now.toISOString(),
      completesAt: later(ctx),
    };
    ctx.ec2.tx.put({ ...c, vpc: { ...c.vpc, ...next }, updates: [...c.updates, u] });
    return { update: updateView(ctx, u) };
  },
};

const DescribeUpdate: ServiceAction<EksContext> = {
  name: "DescribeUpdate",
  mutates: false,
  params: ["name", "updateId", "nodegroupName", "addonName"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["name"])!);
    const ng = str(input["nodegroupName"]);
    if (ng !== undefined) mustNodegroup(ctx, c.name, ng);
    const id = str(input["updateId"])!;
    const addon = str(input["addonName"]);
    const u = c.updates.find((x) => x.id === id && x.nodegroupName === ng && (addon === undefined ? !x.type.startsWith("Addon") : true));
    if (!u) throw err.eksUpdateNotFound(id);
    return { update: updateView(ctx, u) };
  },
};

// --- Node groups ---------------------------------------------------------------------------------------------

/** The built-in Amazon Linux 2023 images stand for EKS's optimized AMIs (x86_64 and arm64). */
const NODE_IMAGE = { x86_64: "ami-0a1b2c3d4e5f60001", arm64: "ami-0a1b2c3d4e5f60002" } as const;

const nodeTags = (c: EksClusterRecord, n: EksNodegroupRecord): { user: Tag[]; system: Tag[] } => ({
  user: [
    { key: "eks:cluster-name", value: c.name },
    { key: "eks:nodegroup-name", value: n.name },
    { key: `kubernetes.io/cluster/${c.name}`, value: "owned" },
    { key: "k8s.io/cluster-autoscaler/enabled", value: "true" },
    { key: `k8s.io/cluster-autoscaler/${c.name}`, value: "owned" },
    ...Object.entries(n.eksTags).map(([key, value]) => ({ key, value })),
  ],
  system: [{ key: "aws:autoscaling:groupName", value: n.autoScalingGroup }],
});

/** Launches `count` nodes through RunInstances' path, spread round-robin over the group's subnets. */
const launchNodes = (ctx: EksContext, c: EksClusterRecord, n: EksNodegroupRecord, count: number): EksNodegroupRecord => {
  const tags = nodeTags(c, n);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = launchInstances(
      ctx.ec2,
      {
        ImageId: NODE_IMAGE[amiArchitecture(n.amiType)],
        // Checked against the catalogue by CreateNodegroup.
        InstanceType: n.instanceTypes[0] as NonNullable<InputOf<"RunInstances">["InstanceType"]>,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: nodeSubnet(n.subnets, n.launched + i),
        SecurityGroupIds: [c.clusterSecurityGroupId],
        TagSpecifications: [{ ResourceType: "instance", Tags: tags.user.map((t) => ({ Key: t.key, Value: t.value })) }],
      },
      tags.system,
    );
    const id = r.Instances![0]!.InstanceId!;
    // ipamd starts on the node and fills its warm pool (secondary IPs, maybe another ENI) through EC2's actions.
    startNodeCni(ctx.ec2, c.name, id);
    ids.push(id);
  }
  return { ...n, instanceIds: [...n.instanceIds, ...ids], launched: n.launched + count };
};

/** Terminates the newest `count` nodes (TerminateInstances' path). */
const terminateNodes = (ctx: EksContext, n: EksNodegroupRecord, count: number): EksNodegroupRecord => {
  if (count <= 0) return n;
  const keep = n.instanceIds.slice(0, n.instanceIds.length - count);
  const gone = n.instanceIds.slice(n.instanceIds.length - count);
  runEc2Action(ctx.ec2, "TerminateInstances", { InstanceIds: gone });
  return { ...n, instanceIds: keep };
};

const taintsOf = (v: unknown): EksTaint[] =>
  (Array.isArray(v) ? v : []).map((t) => {
    const o = obj(t) ?? {};
    return { key: str(o["key"]) ?? "", value: str(o["value"]), effect: str(o["effect"]) ?? "NO_SCHEDULE" };
  });

const CreateNodegroup: ServiceAction<EksContext> = {
  name: "CreateNodegroup",
  mutates: true,
  params: [
    "clusterName",
    "nodegroupName",
    "scalingConfig",
    "diskSize",
    "subnets",
    "instanceTypes",
    "amiType",
    "nodeRole",
    "labels",
    "taints",
    "tags",
    "clientRequestToken",
    "capacityType",
    "version",
  ],
  run(input: Input, ctx: EksContext) {
    const { tx, now, catalog } = ctx.ec2;
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const name = str(input["nodegroupName"])!;
    checkName(name, "nodegroup");
    if (tx.get("eks-nodegroup", nodegroupKey(c.name, name))) throw err.eksNodegroupExists(name, c.name);
    const status = clusterStatus(ctx, c);
    if (status !== "ACTIVE") throw err.eksClusterNotActive(c.name, status);
    checkRoleArn(str(input["nodeRole"])!);
    const subnets = strings(input["subnets"]);
    if (subnets.length === 0) throw err.eksValidation("Subnets are required"); // unverified
    for (const id of subnets) {
      const s = tx.get("subnet", id);
      if (!s) throw err.eksSubnetNotFound(id);
      if (s.vpcId !== c.vpcId) throw err.eksNodegroupSubnetOtherVpc(id);
    }
    const amiType = str(input["amiType"]) ?? "AL2023_x86_64_STANDARD";
    const instanceTypes = strings(input["instanceTypes"]).length > 0 ? strings(input["instanceTypes"]) : [NODEGROUP_DEFAULTS.instanceType];
    for (const t of instanceTypes) {
      const info = catalog.instanceTypes.get(t);
      if (!info) throw err.eksInstanceTypeInvalid(t);
      const archs = info.ProcessorInfo?.SupportedArchitectures ?? [];
      if (!archs.includes(amiArchitecture(amiType))) throw err.eksAmiTypeArchMismatch(t, amiType);
    }
    const scaling = scalingOf(obj(input["scalingConfig"]));
    const version = str(input["version"]) ?? c.version;
    let n: EksNodegroupRecord = {
      kind: "eks-nodegroup",
      id: nodegroupKey(c.name, name),
      tags: [],
      clusterName: c.name,
      name,
      vpcId: c.vpcId,
      arn: arn(ctx, `nodegroup/${c.name}/${name}/${uuid(ctx)}`),
      createdAt: now.toISOString(),
      modifiedAt: now.toISOString(),
      activeAt: later(ctx),
      scaling,
      instanceTypes,
      subnets,
      amiType,
      diskSize: num(input["diskSize"]) ?? NODEGROUP_DEFAULTS.diskSize,
      nodeRole: str(input["nodeRole"])!,
      capacityType: str(input["capacityType"]) ?? "ON_DEMAND",
      labels: stringMap(input["labels"]),
      taints: taintsOf(input["taints"]),
      eksTags: stringMap(input["tags"]),
      autoScalingGroup: `eks-${name}-${uuid(ctx)}`,
      version,
      instanceIds: [],
      launched: 0,
    };
    n = launchNodes(ctx, c, n, scaling.desiredSize);
    tx.put(n);
    tx.put({ ...c, nodegroups: [...c.nodegroups, name] });
    return { nodegroup: nodegroupView(ctx, c, n, "CREATING") };
  },
};

const DescribeNodegroup: ServiceAction<EksContext> = {
  name: "DescribeNodegroup",
  mutates: false,
  params: ["clusterName", "nodegroupName"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    return { nodegroup: nodegroupView(ctx, c, mustNodegroup(ctx, c.name, str(input["nodegroupName"])!)) };
  },
};

const ListNodegroups: ServiceAction<EksContext> = {
  name: "ListNodegroups",
  mutates: false,
  params: ["clusterName", "maxResults", "nextToken"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const p = page(c.nodegroups, num(input["maxResults"]), str(input["nextToken"]));
    return { nodegroups: p.items, nextToken: p.nextToken };
  },
};

const UpdateNodegroupConfig: ServiceAction<EksContext> = {
  name: "UpdateNodegroupConfig",
  mutates: true,
  params: ["clusterName", "nodegroupName", "scalingConfig", "labels", "clientRequestToken"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const n0 = mustNodegroup(ctx, c.name, str(input["nodegroupName"])!);
    const status = nodegroupStatus(ctx, c, n0);
    if (status !== "ACTIVE") throw err.eksNodegroupNotActive(n0.name, status);
    const sc = obj(input["scalingConfig"]);
    const lb = obj(input["labels"]);
    if (!sc && !lb) throw err.eksNothingToUpdate();
    const params: { type: string; value: string }[] = [];
    let n = n0;
    if (sc) {
      const scaling = scalingOf(sc, n.scaling);
      for (const [k, t] of [
        ["minSize", "MinSize"],
        ["maxSize", "MaxSize"],
        ["desiredSize", "DesiredSize"],
      ] as const)
        if (sc[k] !== undefined) params.push({ type: t, value: String(scaling[k]) });
      const d = scaleDelta(n.instanceIds.length, scaling.desiredSize);
      n = terminateNodes(ctx, launchNodes(ctx, c, { ...n, scaling }, d.launch), d.terminate);
    }
    if (lb) {
      const add = obj(lb["addOrUpdateLabels"]) ? stringMap(lb["addOrUpdateLabels"]) : undefined;
      const remove = lb["removeLabels"] === undefined ? undefined : strings(lb["removeLabels"]);
      n = { ...n, labels: applyLabels(n.labels, add, remove) };
      if (add) params.push({ type: "LabelsToAdd", value: JSON.stringify(add) });
      if (remove) params.push({ type: "LabelsToRemove", value: JSON.stringify(remove) });
    }
    const u: EksUpdate = {
      id: uuid(ctx),
      type: "ConfigUpdate",
      params,
      createdAt: ctx.ec2.now.toISOString(),
      completesAt: later(ctx),
      nodegroupName: n.name,
    };
    ctx.ec2.tx.put({ ...n, modifiedAt: ctx.ec2.now.toISOString() });
    ctx.ec2.tx.put({ ...c, updates: [...c.updates, u] });
    return { update: updateView(ctx, u) };
  },
};

const DeleteNodegroup: ServiceAction<EksContext> = {
  name: "DeleteNodegroup",
  mutates: true,
  params: ["clusterName", "nodegroupName"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const n = mustNodegroup(ctx, c.name, str(input["nodegroupName"])!);
    const view = nodegroupView(ctx, c, n, "DELETING");
    terminateNodes(ctx, n, n.instanceIds.length);
    ctx.ec2.tx.delete(n.id);
    ctx.ec2.tx.put({
      ...c,
      nodegroups: c.nodegroups.filter((x) => x !== n.name),
      updates: c.updates.filter((u) => u.nodegroupName !== n.name),
    });
    return { nodegroup: view };
  },
};

// --- Add-ons ---------------------------------------------------------------------------------------------------

/** The add-ons localvpc knows and the version each starts at (unverified build numbers). */
const ADDON_VERSIONS: Readonly<Record<string, string>> = {
  "vpc-cni": "v1.19.2-eksbuild.1",
  "kube-proxy": "v1.33.0-eksbuild.2",
  coredns: "v1.12.1-eksbuild.2",
  "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
};

/** vpc-cni's configuration is checked against the CNI's settings; other add-ons' only as a JSON document. */
const checkConfiguration = (addon: string, text: string | undefined): void => {
  if (text === undefined) return;
  if (addon === "vpc-cni") parseCniConfiguration(text);
  else if (text.trim() !== "") {
    try {
      JSON.parse(text);
    } catch {
      throw err.eksConfigurationNotJson();
    }
  }
};

const mustAddon = (ctx: EksContext, cluster: string, addon: string): EksAddonRecord => {
  const a = ctx.ec2.tx.get("eks-addon", addonKey(cluster, addon));
  if (!a) throw err.eksAddonNotFound(addon, cluster);
  return a;
};

const addonView = (ctx: EksContext, a: EksAddonRecord, status?: string): Record<string, unknown> => ({
  addonName: a.name,
  clusterName: a.clusterName,
  status: status ?? (reached(ctx, a.activeAt) ? "ACTIVE" : a.createdAt === a.modifiedAt ? "CREATING" : "UPDATING"),
  addonVersion: a.version,
  health: { issues: [] },
  addonArn: a.arn,
  createdAt: epoch(a.createdAt),
  modifiedAt: epoch(a.modifiedAt),
  serviceAccountRoleArn: a.serviceAccountRoleArn,
  tags: a.eksTags,
  configurationValues: a.configurationValues,
});

const CreateAddon: ServiceAction<EksContext> = {
  name: "CreateAddon",
  mutates: true,
  params: [
    "clusterName",
    "addonName",
    "addonVersion",
    "serviceAccountRoleArn",
    "resolveConflicts",
    "clientRequestToken",
    "tags",
    "configurationValues",
  ],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const name = str(input["addonName"])!;
    const version = ADDON_VERSIONS[name];
    if (!Object.hasOwn(ADDON_VERSIONS, name) || version === undefined) throw err.eksAddonUnsupported(name);
    if (ctx.ec2.tx.get("eks-addon", addonKey(c.name, name))) throw err.eksAddonExists(name);
    const configurationValues = str(input["configurationValues"]);
    checkConfiguration(name, configurationValues);
    const now = ctx.ec2.now.toISOString();
    const a: EksAddonRecord = {
      kind: "eks-addon",
      id: addonKey(c.name, name),
      tags: [],
      clusterName: c.name,
      name,
      arn: arn(ctx, `addon/${c.name}/${name}/${uuid(ctx)}`),
      version: str(input["addonVersion"]) ?? version,
      createdAt: now,
      modifiedAt: now,
      activeAt: later(ctx),
      configurationValues,
      serviceAccountRoleArn: str(input["serviceAccountRoleArn"]),
      eksTags: stringMap(input["tags"]),
    };
    ctx.ec2.tx.put(a);
    ctx.ec2.tx.put({ ...c, addons: [...c.addons, name] });
    return { addon: addonView(ctx, a, "CREATING") };
  },
};

const DescribeAddon: ServiceAction<EksContext> = {
  name: "DescribeAddon",
  mutates: false,
  params: ["clusterName", "addonName"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    return { addon: addonView(ctx, mustAddon(ctx, c.name, str(input["addonName"])!)) };
  },
};

const ListAddons: ServiceAction<EksContext> = {
  name: "ListAddons",
  mutates: false,
  params: ["clusterName", "maxResults", "nextToken"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const p = page(c.addons, num(input["maxResults"]), str(input["nextToken"]));
    return { addons: p.items, nextToken: p.nextToken };
  },
};

const UpdateAddon: ServiceAction<EksContext> = {
  name: "UpdateAddon",
  mutates: true,
  params: [
    "clusterName",
    "addonName",
    "addonVersion",
    "serviceAccountRoleArn",
    "resolveConflicts",
    "clientRequestToken",
    "configurationValues",
  ],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const a = mustAddon(ctx, c.name, str(input["addonName"])!);
    const configurationValues = str(input["configurationValues"]);
    checkConfiguration(a.name, configurationValues);
    const params: { type: string; value: string }[] = [];
    if (input["addonVersion"] !== undefined) params.push({ type: "AddonVersion", value: str(input["addonVersion"])! });
    if (configurationValues !== undefined) params.push({ type: "ConfigurationValues", value: configurationValues });
    const u: EksUpdate = { id: uuid(ctx), type: "AddonUpdate", params, createdAt: ctx.ec2.now.toISOString(), completesAt: later(ctx) };
    ctx.ec2.tx.put({
      ...a,
      version: str(input["addonVersion"]) ?? a.version,
      configurationValues: configurationValues ?? a.configurationValues,
      serviceAccountRoleArn: str(input["serviceAccountRoleArn"]) ?? a.serviceAccountRoleArn,
      modifiedAt: ctx.ec2.now.toISOString(),
      activeAt: later(ctx),
    });
    ctx.ec2.tx.put({ ...c, updates: [...c.updates, u] });
    return { update: updateView(ctx, u) };
  },
};

const DeleteAddon: ServiceAction<EksContext> = {
  name: "DeleteAddon",
  mutates: true,
  params: ["clusterName", "addonName"],
  run(input: Input, ctx: EksContext) {
    const c = mustCluster(ctx, str(input["clusterName"])!);
    const a = mustAddon(ctx, c.name, str(input["addonName"])!);
    ctx.ec2.tx.delete(a.id);
    ctx.ec2.tx.put({ ...c, addons: c.addons.filter((x) => x !== a.name) });
    return { addon: addonView(ctx, a, "DELETING") };
  },
};

export const EKS_ACTIONS: ReadonlyMap<string, ServiceAction<EksContext>> = new Map(
  [
    CreateCluster,
    DescribeCluster,
    ListClusters,
    DeleteCluster,
    UpdateClusterConfig,
    DescribeUpdate,
    CreateNodegroup,
    DescribeNodegroup,
    ListNodegroups,
    UpdateNodegroupConfig,
    DeleteNodegroup,
    CreateAddon,
    DescribeAddon,
    ListAddons,
    UpdateAddon,
    DeleteAddon,
  ].map((a) => [a.name, a]),
);
