/**
 * Shared steps of the CLI tests of the seed's failover story (traffic-failover, failover-flow-logs): the network built
 * with the AWS CLI (a public subnet, a `web` group open on 443, instances A and B, a web ENI with an Elastic IP
 * attached to A) and the `localvpc` command against the same server.
 */
import assert from "node:assert/strict";
import type { AwsCli } from "./aws-cli-harness.js";
import { runCli } from "./serve-process.js";

/**
 * `localvpc …` against the test server (`cli()`, read at each call: the harness starts in `before`) as `account`;
 * asserts exit 0 and answers stdout.
 */
export const localvpcCli =
  (cli: () => AwsCli, account: string) =>
  async (...args: string[]): Promise<string> => {
    const r = await runCli([...args, "--endpoint", cli().server.url, "--account", account]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

export interface FailoverStory {
  readonly vpcId: string;
  readonly subnetId: string;
  /** Instances A (holding the web ENI) and B (the standby). */
  readonly a: string;
  readonly b: string;
  readonly eni: string;
  readonly privateIp: string;
  /** The Elastic IP on the web ENI. */
  readonly publicIp: string;
  readonly attachmentId: string;
}

/** Builds the story's network in a new VPC (`cidr`, with the subnet `subnetCidr` in us-east-1a). */
export const buildFailoverStory = async (aws: AwsCli["aws"], cidr: string, subnetCidr: string): Promise<FailoverStory> => {
  const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", cidr);
  const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
    "create-subnet",
    "--vpc-id",
    Vpc.VpcId,
    "--cidr-block",
    subnetCidr,
    "--availability-zone",
    "us-east-1a",
  );
  const { InternetGateway } = await aws<{ InternetGateway: { InternetGatewayId: string } }>("create-internet-gateway");
  const igw = InternetGateway.InternetGatewayId;
  await aws("attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", Vpc.VpcId);
  const { RouteTable } = await aws<{ RouteTable: { RouteTableId: string } }>("create-route-table", "--vpc-id", Vpc.VpcId);
  await aws("create-route", "--route-table-id", RouteTable.RouteTableId, "--destination-cidr-block", "0.0.0.0/0", "--gateway-id", igw);
  await aws("associate-route-table", "--route-table-id", RouteTable.RouteTableId, "--subnet-id", Subnet.SubnetId);
  const { GroupId } = await aws<{ GroupId: string }>(
    "create-security-group",
    "--group-name",
    "web",
    "--description",
    "web",
    "--vpc-id",
    Vpc.VpcId,
  );
  await aws("authorize-security-group-ingress", "--group-id", GroupId, "--protocol", "tcp", "--port", "443", "--cidr", "0.0.0.0/0");
  const launch = async (): Promise<string> =>
    (
      await aws<{ Instances: { InstanceId: string }[] }>(
        "run-instances",
        "--image-id",
        "ami-0a1b2c3d4e5f60001",
        "--instance-type",
        "t3.medium",
        "--subnet-id",
        Subnet.SubnetId,
        "--count",
        "1",
      )
    ).Instances[0]!.InstanceId;
  const a = await launch();
  const b = await launch();
  const { NetworkInterface } = await aws<{ NetworkInterface: { NetworkInterfaceId: string; PrivateIpAddress: string } }>(
    "create-network-interface",
    "--subnet-id",
    Subnet.SubnetId,
    "--groups",
    GroupId,
  );
  const eni = NetworkInterface.NetworkInterfaceId;
  const { AllocationId, PublicIp } = await aws<{ AllocationId: string; PublicIp: string }>("allocate-address", "--domain", "vpc");
  await aws("associate-address", "--allocation-id", AllocationId, "--network-interface-id", eni);
  const { AttachmentId } = await aws<{ AttachmentId: string }>(
    "attach-network-interface",
    "--network-interface-id",
    eni,
    "--instance-id",
    a,
    "--device-index",
    "1",
  );
  return {
    vpcId: Vpc.VpcId,
    subnetId: Subnet.SubnetId,
    a,
    b,
    eni,
    privateIp: NetworkInterface.PrivateIpAddress,
    publicIp: PublicIp,
    attachmentId: AttachmentId,
  };
};

/** The failover step: the web ENI leaves A and is attached to B (no route or DNS change). */
export const moveToStandby = async (aws: AwsCli["aws"], s: FailoverStory): Promise<void> => {
  await aws("detach-network-interface", "--attachment-id", s.attachmentId);
  await aws("attach-network-interface", "--network-interface-id", s.eni, "--instance-id", s.b, "--device-index", "1");
};
