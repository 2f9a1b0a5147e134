/**
 * The AWS-owned service accounts that own requester-managed ENIs in customers' subnets: per AWS service, the requester
 * id AWS shows, the owner of the instance the ENI hangs off, and the description AWS writes. They are part of the
 * world around a customer's account, not of any account localvpc emulates.
 *
 * All unverified beyond the shapes seen in public DescribeNetworkInterfaces outputs: RDS shows requester and instance
 * owner `amazon-rds` with "RDSNetworkInterface"; EKS control-plane ENIs are "Amazon EKS <cluster>" and attached to an
 * instance of an AWS-owned account.
 */
export interface ServiceAccount {
  /** The requester id; Lambda's names the function (`<role unique id>:<function>`). */
  readonly requesterId: string | ((p: ServiceEniNaming) => string);
  readonly instanceOwnerId: string;
  readonly description: (p: ServiceEniNaming) => string;
  /** The ENI's InterfaceType when the service's ENIs have their own ("lambda", "network_load_balancer"). */
  readonly interfaceType?: string | undefined;
}

/** What a description may name: the account, the resource's name (EKS cluster, function, load balancer), random parts. */
export interface ServiceEniNaming {
  readonly account: string;
  readonly name: string;
  /** 16 hex digits (a load balancer id). */
  readonly hex16: string;
  /** A UUID (a Lambda Hyperplane ENI's suffix). */
  readonly uuid: string;
}

/** RequesterId of an ELB's ENIs, and the attachment owner of an ALB's (Terraform's cleanupALBNetworkInterfaces). */
export const ELB_REQUESTER = "amazon-elb";
/**
 * The attachment owner of an NLB's ENIs (Terraform's waitForNLBNetworkInterfacesToDetach filters on it) and of
 * Lambda's Hyperplane ENIs (unverified in AWS docs).
 */
export const AMAZON_AWS_OWNER = "amazon-aws";
/** An ELB ENI's description: `ELB net/NAME/ID` for an NLB, `ELB app/NAME/ID` for an ALB. */
export const elbEniDescription = (segment: "net" | "app", name: string, id: string): string => `ELB ${segment}/${name}/${id}`;
/**
 * Lambda's ENIs: the RequesterId (an AWS role's unique id and the function, as AWS's own service roles appear) and the
 * description "AWS Lambda VPC ENI-<function>-<uuid>", the forms seen in DescribeNetworkInterfaces (unverified in AWS docs).
 */
export const lambdaRequesterId = (functionName: string): string => `AROAWLAMBDAHYPERPLANE:${functionName}`;
export const lambdaEniDescription = (functionName: string, uuid: string): string => `AWS Lambda VPC ENI-${functionName}-${uuid}`;

export const SERVICE_ACCOUNTS: Readonly<Record<string, ServiceAccount>> = {
  rds: { requesterId: "amazon-rds", instanceOwnerId: "amazon-rds", description: () => "RDSNetworkInterface" },
  eks: { requesterId: "602401143452", instanceOwnerId: "602401143452", description: (p) => `Amazon EKS ${p.name}` },
  // The same forms the Lambda and ELBv2 services give the ENIs they create (services/lambda/hyperplane.ts, services/elbv2/),
  // for an ENI made directly through the admin route (issue 17): no function or load balancer stands behind it.
  lambda: {
    requesterId: (p) => lambdaRequesterId(p.name),
    instanceOwnerId: AMAZON_AWS_OWNER,
    description: (p) => lambdaEniDescription(p.name, p.uuid),
    interfaceType: "lambda",
  },
  // An NLB node's ENI, as ELBv2 makes them.
  elb: {
    requesterId: ELB_REQUESTER,
    instanceOwnerId: AMAZON_AWS_OWNER,
    description: (p) => elbEniDescription("net", p.name, p.hex16),
    interfaceType: "network_load_balancer",
  },
  workspaces: {
    requesterId: "amazon-workspaces",
    instanceOwnerId: "amazon-workspaces",
    description: (p) => `Created By Amazon Workspaces for AWS Account ID ${p.account}`,
  },
  appstream: { requesterId: "amazon-appstream", instanceOwnerId: "amazon-appstream", description: () => "AppStream 2.0 network interface" },
};
