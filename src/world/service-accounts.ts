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
  readonly requesterId: string;
  readonly instanceOwnerId: string;
  readonly description: (p: { account: string; cluster: string }) => string;
}

export const SERVICE_ACCOUNTS: Readonly<Record<string, ServiceAccount>> = {
  rds: { requesterId: "amazon-rds", instanceOwnerId: "amazon-rds", description: () => "RDSNetworkInterface" },
  eks: { requesterId: "602401143452", instanceOwnerId: "602401143452", description: (p) => `Amazon EKS ${p.cluster}` },
  workspaces: {
    requesterId: "amazon-workspaces",
    instanceOwnerId: "amazon-workspaces",
    description: (p) => `Created By Amazon Workspaces for AWS Account ID ${p.account}`,
  },
  appstream: { requesterId: "amazon-appstream", instanceOwnerId: "amazon-appstream", description: () => "AppStream 2.0 network interface" },
};
