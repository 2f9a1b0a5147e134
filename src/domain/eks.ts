/**
 * Amazon EKS (issue 18): the pure rules of clusters, managed node groups and the vpc-cni add-on, and the VPC CNI's
 * arithmetic (max pods per instance type, ipamd's warm pool). No I/O, no clock: `now` and ids are passed in.
 *
 * Sources: the EKS API reference (CreateCluster, CreateNodegroup, VpcConfigRequest, NodegroupScalingConfig), the EKS
 * user guide's network requirements ("subnets in at least two Availability Zones"), the CNI's misc/eni-max-pods.txt
 * header and the EKS AMI's max-pods-calculator.sh (shared/spec/dataplane.md §7), docs/eni-and-ip-target.md.
 */
import { containsCidr, overlaps, parseCidr } from "./cidr.js";
import { err } from "./errors.js";

// --- Records' payloads -----------------------------------------------------------------------------------------

export interface EksVpcConfig {
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly vpcId: string;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
}

export interface EksUpdate {
  readonly id: string;
  readonly type: string;
  readonly params: readonly { readonly type: string; readonly value: string }[];
  readonly createdAt: string;
  /** When the update shows Successful (and the resource ACTIVE again) on the simulated clock. */
  readonly completesAt: string;
  /** The node group an update belongs to (UpdateNodegroupConfig), else the cluster's own. */
  readonly nodegroupName?: string | undefined;
}

export interface EksScaling {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

export interface EksTaint {
  readonly key: string;
  readonly value?: string | undefined;
  readonly effect: string;
}

export interface EksClusterSettings {
  readonly authenticationMode: string;
  readonly bootstrapClusterCreatorAdminPermissions: boolean;
  readonly bootstrapSelfManagedAddons: boolean;
  readonly supportType: string;
  readonly logging: readonly { readonly types: readonly string[]; readonly enabled: boolean }[];
  readonly elbEnabled: boolean;
}

// --- Constants -------------------------------------------------------------------------------------------------

/** The Kubernetes versions localvpc offers (standard and extended support at the time of writing; unverified list). */
export const EKS_VERSIONS: readonly string[] = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34"];
/** CreateCluster without `version`: "the default version available in Amazon EKS is used" (which one: unverified). */
export const EKS_DEFAULT_VERSION = "1.33";
/** The platform version a new cluster of any version starts at (unverified). */
export const EKS_PLATFORM_VERSION = "eks.1";
/** The EKS documentation's example of a zone that cannot host a control plane ("us-east-1e"). */
export const EKS_UNSUPPORTED_ZONES: ReadonlySet<string> = new Set(["us-east-1e"]);
/** "You can specify up to five security groups" (CreateCluster's resourcesVpcConfig). */
export const EKS_MAX_CLUSTER_GROUPS = 5;
/** CreateNodegroup's defaults (API reference: instanceTypes t3.medium, diskSize 20; scaling 1/2/2 as the console). */
export const NODEGROUP_DEFAULTS = { instanceType: "t3.medium", diskSize: 20, minSize: 1, maxSize: 2, desiredSize: 2 } as const;
export const AMI_TYPES: readonly string[] = [
  "AL2_x86_64",
  "AL2_ARM_64",
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
];

/** `^[0-9A-Za-z][A-Za-z0-9\-_]*`, at most 100 characters (the ClusterName shape; node groups follow the same form). */
const NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** Node group names: the same form, at most 63 characters (they become part of the Auto Scaling group's name). */
const NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;
/** An IAM role ARN: `arn:<partition>:iam::<12 digits>:role/<path/name>`. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

// --- Cluster rules -------------------------------------------------------------------------------------------

export interface EksSubnetFact {
  readonly id: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
}

export interface ClusterRequest {
  readonly name: string;
  readonly version: string | undefined;
  readonly roleArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly endpointPublicAccess: boolean | undefined;
  readonly endpointPrivateAccess: boolean | undefined;
  readonly publicAccessCidrs: readonly string[] | undefined;
}

export const checkName = (name: string, what: "cluster" | "nodegroup"): void => {
  if (what === "cluster" && !NAME.test(name)) throw err.eksClusterNameInvalid(name);
  if (what === "nodegroup" && !NODEGROUP_NAME.test(name)) throw err.eksNodegroupNameInvalid(name);
};

export const checkRoleArn = (arn: string): void => {
  if (!ROLE_ARN.test(arn)) throw err.eksRoleArnInvalid(arn);
};

/** publicAccessCidrs: IPv4 CIDR blocks (AWS refuses private ranges too; only the form is checked here). */
const checkCidrs = (cidrs: readonly string[]): void => {
  for (const c of cidrs) {
    const p = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c) ? parseCidr(c) : undefined;
    if (!p) throw err.eksPublicAccessCidrInvalid(c);
  }
};

/** The endpoint settings after defaults (public on, private off) and their rules. */
export const endpointAccess = (
  pub: boolean | undefined,
  priv: boolean | undefined,
  cidrs: readonly string[] | undefined,
  base: { endpointPublicAccess: boolean; endpointPrivateAccess: boolean; publicAccessCidrs: readonly string[] } = {
    endpointPublicAccess: true,
    endpointPrivateAccess: false,
    publicAccessCidrs: ["0.0.0.0/0"],
  },
): { endpointPublicAccess: boolean; endpointPrivateAccess: boolean; publicAccessCidrs: readonly string[] } => {
  const endpointPublicAccess = pub ?? base.endpointPublicAccess;
  const endpointPrivateAccess = priv ?? base.endpointPrivateAccess;
  if (!endpointPublicAccess && !endpointPrivateAccess) throw err.eksNoEndpointAccess();
  if (cidrs !== undefined) checkCidrs(cidrs);
  return { endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs: cidrs && cidrs.length > 0 ? cidrs : base.publicAccessCidrs };
};

/**
 * CreateCluster's checks, in AWS's order as far as known: name, role ARN form, version, then the VPC configuration
 * (every subnet exists, one VPC, at least two zones, no zone that cannot host the control plane, groups in the VPC).
 */
export const checkClusterRequest = (
  r: ClusterRequest,
  look: { subnet: (id: string) => EksSubnetFact | undefined; groupVpc: (id: string) => string | undefined },
  zonesOfRegion: readonly string[],
): { version: string; vpc: EksVpcConfig } => {
  checkName(r.name, "cluster");
  checkRoleArn(r.roleArn);
  const version = r.version ?? EKS_DEFAULT_VERSION;
  if (!EKS_VERSIONS.includes(version)) throw err.eksVersionUnsupported(version);
  if (r.subnetIds.length === 0) throw err.eksSubnetsTwoAzs();
  const subnets: EksSubnetFact[] = [];
  for (const id of r.subnetIds) {
    const s = look.subnet(id);
    if (!s) throw err.eksSubnetNotFound(id);
    subnets.push(s);
  }
  const vpcId = subnets[0]!.vpcId;
  if (subnets.some((s) => s.vpcId !== vpcId)) throw err.eksSubnetsDifferentVpcs();
  const zones = new Set(subnets.map((s) => s.availabilityZone));
  if (zones.size < 2) throw err.eksSubnetsTwoAzs();
  const bad = subnets.find((s) => EKS_UNSUPPORTED_ZONES.has(s.availabilityZone));
  if (bad)
    throw err.eksUnsupportedZone(
      r.name,
      bad.availabilityZone,
      zonesOfRegion.filter((z) => !EKS_UNSUPPORTED_ZONES.has(z)),
    );
  if (r.securityGroupIds.length > EKS_MAX_CLUSTER_GROUPS) throw err.eksTooManyGroups();
  for (const g of r.securityGroupIds) {
    const gv = look.groupVpc(g);
    if (gv === undefined) throw err.eksSecurityGroupNotFound(g);
    if (gv !== vpcId) throw err.eksSecurityGroupOtherVpc(g, vpcId);
  }
  const access = endpointAccess(r.endpointPublicAccess, r.endpointPrivateAccess, r.publicAccessCidrs);
  return { version, vpc: { subnetIds: [...r.subnetIds], securityGroupIds: [...r.securityGroupIds], vpcId, ...access } };
};

/**
 * The subnets the control plane's cross-account ENIs go in: one per Availability Zone, two zones (AWS places "up to
 * four" over the cluster's life; a new cluster shows two in different zones). Order: the request's.
 */
export const controlPlaneSubnets = (subnets: readonly EksSubnetFact[], count = 2): EksSubnetFact[] => {
  const seen = new Set<string>();
  const out: EksSubnetFact[] = [];
  for (const s of subnets) {
    if (seen.has(s.availabilityZone) || out.length >= count) continue;
    seen.add(s.availabilityZone);
    out.push(s);
  }
  return out;
};

/** The service CIDR AWS picks when none is given: 10.100.0.0/16, or 172.20.0.0/16 for a VPC inside 10.0.0.0/8. */
export const defaultServiceCidr = (vpcCidr: string): string => (vpcCidr.startsWith("10.") ? "172.20.0.0/16" : "10.100.0.0/16");

/**
 * kubernetesNetworkConfig.serviceIpv4Cidr (API reference): within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, from
 * /24 to /12, and not overlapping the VPC's CIDR blocks.
 */
export const checkServiceCidr = (text: string, vpcCidrs: readonly string[]): string => {
  const c = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text) ? parseCidr(text) : undefined;
  const privateBlocks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((b) => parseCidr(b)!);
  if (!c || c.prefix < 12 || c.prefix > 24 || !privateBlocks.some((b) => containsCidr(b, c))) throw err.eksServiceCidrInvalid(text);
  const clash = vpcCidrs.find((v) => {
    const p = parseCidr(v);
    return p !== undefined && overlaps(p, c);
  });
  if (clash !== undefined) throw err.eksServiceCidrOverlapsVpc(text, clash);
  return text;
};

// --- Node groups -------------------------------------------------------------------------------------------

export const checkScaling = (s: EksScaling): void => {
  if (s.maxSize < 1) throw err.eksScalingMaxTooSmall();
  if (s.minSize > s.maxSize) throw err.eksScalingMinAboveMax();
  if (s.desiredSize > s.maxSize) throw err.eksScalingDesiredAboveMax();
  if (s.desiredSize < s.minSize) throw err.eksScalingDesiredBelowMin();
};

export const scalingOf = (
  v: { minSize?: number | undefined; maxSize?: number | undefined; desiredSize?: number | undefined } | undefined,
  base: EksScaling = {
    minSize: NODEGROUP_DEFAULTS.minSize,
    maxSize: NODEGROUP_DEFAULTS.maxSize,
    desiredSize: NODEGROUP_DEFAULTS.desiredSize,
  },
): EksScaling => {
  const s = { minSize: v?.minSize ?? base.minSize, maxSize: v?.maxSize ?? base.maxSize, desiredSize: v?.desiredSize ?? base.desiredSize };
  checkScaling(s);
  return s;
};

/** Which subnet the node with this index goes in: round-robin, so nodes spread over the group's subnets. */
export const nodeSubnet = (subnets: readonly string[], index: number): string => subnets[index % subnets.length]!;

/** The node indexes to launch or terminate to go from `current` nodes to `desired` (newest terminated first). */
export const scaleDelta = (current: number, desired: number): { launch: number; terminate: number } =>
  desired >= current ? { launch: desired - current, terminate: 0 } : { launch: 0, terminate: current - desired };

/** Labels after an UpdateNodegroupConfig `labels` payload (remove, then add or update). */
export const applyLabels = (
  labels: Readonly<Record<string, string>>,
  add: Readonly<Record<string, string>> | undefined,
  remove: readonly string[] | undefined,
): Record<string, string> => {
  const keys = new Set([...Object.keys(add ?? {})]);
  const clash = (remove ?? []).find((k) => keys.has(k));
  if (clash !== undefined) throw err.eksLabelAddAndRemove(clash);
  const gone = new Set(remove ?? []);
  return { ...Object.fromEntries(Object.entries(labels).filter(([k]) => !gone.has(k))), ...(add ?? {}) };
};

/** The EC2 architecture of a node group's AMI type. */
export const amiArchitecture = (amiType: string): "x86_64" | "arm64" => (amiType.includes("ARM") ? "arm64" : "x86_64");

// --- vpc-cni add-on configuration ------------------------------------------------------------------------------

/** The CNI settings `configurationValues.env` may set (the add-on's schema allows more; localvpc simulates these). */
export const CNI_ENV_KEYS: readonly string[] = [
  "WARM_ENI_TARGET",
  "WARM_IP_TARGET",
  "MINIMUM_IP_TARGET",
  "ENABLE_PREFIX_DELEGATION",
  "WARM_PREFIX_TARGET",
  "AWS_VPC_K8S_CNI_EXTERNALSNAT",
  "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
  "MAX_ENI",
];

export interface CniSettings {
  readonly warmEniTarget: number | undefined;
  readonly warmIpTarget: number | undefined;
  readonly minimumIpTarget: number | undefined;
  readonly prefixDelegation: boolean;
  readonly warmPrefixTarget: number | undefined;
  readonly externalSnat: boolean;
  /** AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: pods take IPs of secondary ENIs in the node's ENIConfig subnet and groups. */
  readonly customNetworking: boolean;
}

export const DEFAULT_CNI: CniSettings = {
  warmEniTarget: 1,
  warmIpTarget: undefined,
  minimumIpTarget: undefined,
  prefixDelegation: false,
  warmPrefixTarget: undefined,
  externalSnat: false,
  customNetworking: false,
};

const nonNegative = (key: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d{1,6}$/.test(v)) throw err.eksConfigurationInvalid(`$.env.${key}: does not match the regex pattern ^[0-9]+$`);
  return Number(v);
};

const bool = (key: string, v: string | undefined): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v !== "true" && v !== "false")
    throw err.eksConfigurationInvalid(`$.env.${key}: does not have a value in the enumeration [true, false]`);
  return v === "true";
};

/**
 * Validates an add-on's `configurationValues` (a JSON document against the vpc-cni schema, as AWS does: a parse error
 * or a member the schema does not define is InvalidParameterException) and returns the CNI settings it sets.
 */
export const parseCniConfiguration = (text: string | undefined): CniSettings => {
  if (text === undefined || text.trim() === "") return DEFAULT_CNI;
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch {
    throw err.eksConfigurationNotJson();
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw err.eksConfigurationInvalid("$: object expected");
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== "env")
      throw err.eksConfigurationInvalid(`$.${k}: is not defined in the schema and the schema does not allow additional properties`);
  }
  const envRaw: unknown = o["env"] === undefined ? {} : o["env"];
  if (typeof envRaw !== "object" || envRaw === null || Array.isArray(envRaw)) throw err.eksConfigurationInvalid("$.env: object expected");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(envRaw as Record<string, unknown>)) {
    if (!CNI_ENV_KEYS.includes(k))
      throw err.eksConfigurationInvalid(`$.env.${k}: is not defined in the schema and the schema does not allow additional properties`);
    if (typeof v !== "string") throw err.eksConfigurationInvalid(`$.env.${k}: ${typeof v} found, string expected`);
    env[k] = v;
  }
  const warmIp = nonNegative("WARM_IP_TARGET", env["WARM_IP_TARGET"]);
  const minIp = nonNegative("MINIMUM_IP_TARGET", env["MINIMUM_IP_TARGET"]);
  return {
    // "WARM_ENI_TARGET … is ignored if WARM_IP_TARGET or MINIMUM_IP_TARGET is set" (docs/eni-and-ip-target.md).
    warmEniTarget: warmIp !== undefined || minIp !== undefined ? undefined : (nonNegative("WARM_ENI_TARGET", env["WARM_ENI_TARGET"]) ?? 1),
    warmIpTarget: warmIp,
    minimumIpTarget: minIp,
    prefixDelegation: bool("ENABLE_PREFIX_DELEGATION", env["ENABLE_PREFIX_DELEGATION"]) ?? false,
    warmPrefixTarget: nonNegative("WARM_PREFIX_TARGET", env["WARM_PREFIX_TARGET"]),
    externalSnat: bool("AWS_VPC_K8S_CNI_EXTERNALSNAT", env["AWS_VPC_K8S_CNI_EXTERNALSNAT"]) ?? false,
    customNetworking: bool("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", env["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"]) ?? false,
  };
};

// --- Max pods (CNI misc/eni-max-pods.txt; EKS AMI max-pods-calculator.sh) ----------------------------------------

export interface PodCapacityFacts {
  /** MaximumNetworkInterfaces of the default network card only ("only one network card is supported"). */
  readonly enis: number;
  readonly ipv4PerEni: number;
  readonly vcpus: number;
  /** Nitro or bare metal: prefix delegation needs it. */
  readonly nitro: boolean;
}

export interface MaxPodsAnswer {
  readonly maxPods: number;
  readonly formula: string;
  /** Prefix delegation asked for on a type that cannot use it (not Nitro): the secondary-IP figure applies. */
  readonly prefixUnsupported?: true;
}

/**
 * Max pods as EKS computes it: `ENIs × (IPv4 per ENI − 1) + 2` ("first IP on each ENI is not used for pods"; "+2 for
 * the pods that use host-networking (AWS CNI and kube-proxy)"). With prefix delegation (Nitro only):
 * `ENIs × ((IPv4 per ENI − 1) × 16) + 2`, capped at 110 for up to 30 vCPUs, else 250. Custom networking takes one
 * ENI away (the primary ENI serves no pods).
 */
export const maxPods = (f: PodCapacityFacts, o: { prefixDelegation?: boolean; customNetworking?: boolean } = {}): MaxPodsAnswer => {
  const enis = o.customNetworking ? f.enis - 1 : f.enis;
  const slots = f.ipv4PerEni - 1;
  const plain = Math.max(0, enis * slots) + 2;
  if (!o.prefixDelegation) return { maxPods: plain, formula: `${enis} × (${f.ipv4PerEni} − 1) + 2 = ${plain}` };
  if (!f.nitro)
    return { maxPods: plain, formula: `not Nitro, no prefixes: ${enis} × (${f.ipv4PerEni} − 1) + 2 = ${plain}`, prefixUnsupported: true };
  const raw = Math.max(0, enis * slots * 16) + 2;
  const cap = f.vcpus > 30 ? 250 : 110;
  const n = Math.min(raw, cap);
  return { maxPods: n, formula: `min(${enis} × ((${f.ipv4PerEni} − 1) × 16) + 2 = ${raw}, ${cap} for ${f.vcpus} vCPUs) = ${n}` };
};

// --- ipamd's warm pool (docs/eni-and-ip-target.md, docs/prefix-and-ip-target.md) ---------------------------------

export interface PoolState {
  /** Secondary IPs (or /28 prefixes) held per attached ENI, primary ENI first. */
  readonly perEni: readonly number[];
  /** Pod IPs in use. */
  readonly used: number;
}

export interface PoolLimits {
  readonly maxEnis: number;
  /** Secondary slots per ENI (IPv4 per ENI − 1); with prefixes, prefixes per ENI (the same number). */
  readonly slotsPerEni: number;
  /** 1 for secondary IPs, 16 for /28 prefixes. */
  readonly ipsPerSlot: number;
}

/** ipamd's IP_COOLDOWN_PERIOD default: a released pod IP is not reused for 30 seconds. */
export const IP_COOLDOWN_MS = 30_000;

/** How many pod IPs the pool holds. */
export const poolIps = (s: PoolState, l: PoolLimits): number => s.perEni.reduce((a, n) => a + n, 0) * l.ipsPerSlot;

/**
 * How many pod IPs ipamd wants allocated in total for `used` pods under these settings:
 * - WARM_IP_TARGET / MINIMUM_IP_TARGET: max(used + WARM_IP_TARGET, MINIMUM_IP_TARGET);
 * - prefix mode with WARM_PREFIX_TARGET: enough whole prefixes for the pods plus that many free prefixes;
 * - else WARM_ENI_TARGET whole free ENIs beyond those the pods use (each ENI full of IPs or prefixes).
 * Capped at what the node can hold.
 */
export const poolTarget = (used: number, c: CniSettings, l: PoolLimits): number => {
  const capacity = l.maxEnis * l.slotsPerEni * l.ipsPerSlot;
  const perEni = l.slotsPerEni * l.ipsPerSlot;
  let want: number;
  if (c.warmIpTarget !== undefined || c.minimumIpTarget !== undefined) {
    want = Math.max(used + (c.warmIpTarget ?? 0), c.minimumIpTarget ?? 0);
    // In prefix mode IPs come in /28s: round up to whole prefixes.
    if (l.ipsPerSlot > 1) want = Math.ceil(want / l.ipsPerSlot) * l.ipsPerSlot;
  } else if (l.ipsPerSlot > 1 && c.warmPrefixTarget !== undefined) {
    want = (Math.ceil(used / l.ipsPerSlot) + c.warmPrefixTarget) * l.ipsPerSlot;
  } else {
    // ipamd keeps at least WARM_ENI_TARGET ENIs' worth of free addresses, allocating whole ENIs.
    want = Math.ceil((used + (c.warmEniTarget ?? 1) * perEni) / perEni) * perEni;
  }
  return Math.min(want, capacity);
};
