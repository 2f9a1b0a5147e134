/**
 * VPC endpoints (issue 16), pure over records. AWS facts (VPC User Guide "AWS PrivateLink" / "Gateway endpoints",
 * EC2 API reference CreateVpcEndpoint / ModifyVpcEndpoint):
 * - A Gateway endpoint (S3, DynamoDB) adds to each of its route tables a route whose destination is the service's
 *   AWS-managed prefix list and whose target is the endpoint; a table can hold one such route per list, so a second
 *   endpoint of the service on the same table fails with RouteAlreadyExists (observed text).
 * - An Interface endpoint puts one requester-managed ENI (InterfaceType `vpc_endpoint`, Description
 *   `VPC Endpoint Interface vpce-…`, RequesterId 727180483921 in the EC2-UG "Requester-managed network interfaces"
 *   example) in each of its subnets, at most one subnet per Availability Zone (DuplicateSubnetsInSameZone, observed).
 * - Private DNS needs the VPC's enableDnsSupport and enableDnsHostnames.
 * - The policy is a JSON document of at most 20,480 characters (model doc of PolicyDocument); the default allows all.
 */
import { err } from "./errors.js";
import type { SubnetRecord, VpcEndpointRecord, VpcRecord } from "./types.js";

/** The requester id AWS shows on interface-endpoint ENIs (EC2-UG "Requester-managed network interfaces" example). */
export const VPC_ENDPOINT_REQUESTER_ID = "727180483921";

/**
 * The default endpoint policy: full access. AWS answers it pretty-printed this way (observed in DescribeVpcEndpoints
 * outputs; inferred for the whitespace).
 */
export const DEFAULT_ENDPOINT_POLICY =
  '{\n  "Version" : "2008-10-17",\n  "Statement" : [ {\n    "Effect" : "Allow",\n    "Principal" : "*",\n    "Action" : "*",\n    "Resource" : "*"\n  } ]\n}';
export const MAX_POLICY_LENGTH = 20480;

export type EndpointType = "Gateway" | "Interface";

/** One AWS service as DescribeVpcEndpointServices lists it (one entry per endpoint type, as AWS does for S3). */
export interface EndpointService {
  readonly serviceName: string;
  readonly type: EndpointType;
  /** The short name (`ec2`, `ecr.api`…). */
  readonly short: string;
  /** Interface services: the name private DNS answers for. */
  readonly privateDnsName?: string | undefined;
  readonly baseEndpointDnsNames: readonly string[];
  /** Gateway services: the AWS-managed prefix list named like the service. */
  readonly prefixListName?: string | undefined;
  readonly serviceId: string;
}

/** Interface services localvpc lists (the common ones; AWS has hundreds). `*.` marks a wildcard private DNS name. */
const INTERFACE_SERVICES: readonly { short: string; dns?: string }[] = [
  { short: "ec2" },
  { short: "ec2messages" },
  { short: "ecr.api", dns: "api.ecr.{region}.amazonaws.com" },
  { short: "ecr.dkr", dns: "*.dkr.ecr.{region}.amazonaws.com" },
  { short: "ecs" },
  { short: "elasticloadbalancing" },
  { short: "execute-api", dns: "*.execute-api.{region}.amazonaws.com" },
  { short: "kms" },
  { short: "lambda" },
  { short: "logs" },
  { short: "monitoring" },
  { short: "s3", dns: "*.s3.{region}.amazonaws.com" },
  { short: "secretsmanager" },
  { short: "sns" },
  { short: "sqs" },
  { short: "ssm" },
  { short: "ssmmessages" },
  { short: "sts" },
];
const GATEWAY_SERVICES: readonly string[] = ["dynamodb", "s3"];

/** FNV-1a over the text, as 17 hex digits (stable service ids per region and name). */
const hash17 = (text: string): string => {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x85ebca6b) >>> 0;
  }
  return (a.toString(16).padStart(8, "0") + b.toString(16).padStart(9, "0")).slice(0, 17);
};

/** The region's AWS services, sorted by name then type (Gateway before Interface, as AWS lists S3). */
export const endpointServices = (region: string): EndpointService[] => {
  const out: EndpointService[] = [];
  for (const short of GATEWAY_SERVICES) {
    const serviceName = `com.amazonaws.${region}.${short}`;
    out.push({
      serviceName,
      type: "Gateway",
      short,
      baseEndpointDnsNames: [`${short}.${region}.amazonaws.com`],
      prefixListName: serviceName,
      serviceId: `vpce-svc-${hash17(`${serviceName}/Gateway`)}`,
    });
  }
  for (const s of INTERFACE_SERVICES) {
    const serviceName = `com.amazonaws.${region}.${s.short}`;
    out.push({
      serviceName,
      type: "Interface",
      short: s.short,
      privateDnsName: (s.dns ?? `${s.short}.{region}.amazonaws.com`).replace("{region}", region),
      baseEndpointDnsNames: [`${s.short}.${region}.vpce.amazonaws.com`],
      serviceId: `vpce-svc-${hash17(`${serviceName}/Interface`)}`,
    });
  }
  return out.sort((x, y) => (x.serviceName < y.serviceName ? -1 : x.serviceName > y.serviceName ? 1 : x.type < y.type ? -1 : 1));
};

/** The service an endpoint of `type` may use (InvalidServiceName when no type of it exists; else type unsupported). */
export const serviceFor = (services: readonly EndpointService[], name: string, type: EndpointType): EndpointService => {
  const named = services.filter((s) => s.serviceName === name);
  if (named.length === 0) throw err.vpcEndpointServiceNotFound(name);
  const s = named.find((x) => x.type === type);
  if (!s) throw err.vpcEndpointTypeUnsupported(name, type);
  return s;
};

/** The policy as stored: the default when none is given; valid JSON of at most 20,480 characters. */
export const checkedPolicy = (policy: string | undefined): string => {
  if (policy === undefined) return DEFAULT_ENDPOINT_POLICY;
  if (policy.length > MAX_POLICY_LENGTH) throw err.vpcEndpointPolicyTooLarge();
  try {
    const parsed: unknown = JSON.parse(policy);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
  } catch {
    throw err.vpcEndpointPolicyMalformed();
  }
  return policy;
};

/** Members a type does not take (AWS: SubnetIds only for Interface, RouteTableIds only for Gateway…). */
export const checkMembersForType = (
  type: EndpointType,
  m: { routeTables: boolean; subnets: boolean; groups: boolean; privateDns: boolean },
): void => {
  if (type === "Gateway") {
    if (m.subnets) throw err.vpcEndpointSubnetsOnlyInterface();
    if (m.groups) throw err.vpcEndpointGroupsOnlyInterface();
    if (m.privateDns) throw err.vpcEndpointPrivateDnsOnlyInterface();
  } else if (m.routeTables) throw err.vpcEndpointRouteTablesOnlyGateway();
};

/** Interface subnets: in the endpoint's VPC, one per Availability Zone. */
export const checkEndpointSubnets = (vpcId: string, subnets: readonly SubnetRecord[]): void => {
  const zones = new Set<string>();
  for (const s of subnets) {
    if (s.vpcId !== vpcId) throw err.vpcEndpointOtherVpc(s.id, vpcId);
    if (zones.has(s.availabilityZone)) throw err.vpcEndpointDuplicateSubnetsInZone(s.id);
    zones.add(s.availabilityZone);
  }
};

/** Private DNS needs both DNS attributes of the VPC (VPC-UG "DNS attributes for your VPC"). */
export const checkPrivateDns = (vpc: VpcRecord, enabled: boolean): void => {
  if (enabled && !(vpc.enableDnsSupport && vpc.enableDnsHostnames)) throw err.vpcEndpointPrivateDnsNeedsVpcDns(vpc.id);
};

/**
 * The Route 53 hosted zone of `<region>.vpce.amazonaws.com` names: us-east-1's is Z7HUB22UULQXV (observed); other
 * regions get a stable stand-in (unverified).
 */
const VPCE_ZONE: Readonly<Record<string, string>> = { "us-east-1": "Z7HUB22UULQXV" };
const zoneIdOf = (text: string): string => `Z${hash17(text).toUpperCase().slice(0, 13)}`;

/**
 * DnsEntries of an Interface endpoint: the regional name, one zonal name per subnet's zone, and (private DNS) the
 * service's own name in a private hosted zone. Form observed: `vpce-0abc…-x1y2z3w4.ec2.us-east-1.vpce.amazonaws.com`
 * and `vpce-0abc…-x1y2z3w4-us-east-1a.ec2.us-east-1.vpce.amazonaws.com`.
 */
export const dnsEntries = (
  ep: VpcEndpointRecord,
  region: string,
  zonesOfSubnets: readonly string[],
  service: EndpointService | undefined,
): { DnsName: string; HostedZoneId: string }[] => {
  if (ep.endpointType !== "Interface" || !service) return [];
  const zone = VPCE_ZONE[region] ?? zoneIdOf(`${region}.vpce`);
  const base = `${ep.id}-${ep.dnsToken}`;
  const suffix = `${service.short}.${region}.vpce.amazonaws.com`;
  const out = [{ DnsName: `${base}.${suffix}`, HostedZoneId: zone }];
  for (const z of zonesOfSubnets) out.push({ DnsName: `${base}-${z}.${suffix}`, HostedZoneId: zone });
  if (ep.privateDnsEnabled && service.privateDnsName)
    out.push({ DnsName: service.privateDnsName, HostedZoneId: zoneIdOf(`${ep.id}/private`) });
  return out;
};

/** A list with `add` appended and `remove` taken out; removing one that is not there fails (unverified as AWS's rule). */
export const editedList = (current: readonly string[], add: readonly string[], remove: readonly string[], endpointId: string): string[] => {
  for (const id of remove) if (!current.includes(id)) throw err.vpcEndpointNotAssociated(id, endpointId);
  const next = current.filter((id) => !remove.includes(id));
  for (const id of add) if (!next.includes(id)) next.push(id);
  return next;
};
