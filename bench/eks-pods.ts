/**
 * `npm run bench:eks` (also run by `npm run bench`): the VPC CNI simulation at scale (issue 18). Starts localvpc
 * in-process (":memory:" state), builds a VPC with two /17 subnets, an EKS cluster and a managed node group of 400
 * m5.large through the EKS SDK, then schedules 10,000 pods on it with the pods admin route (`POST /_localvpc/eks/pods`)
 * and prints, for the node group's creation and for the scheduling, the wall time and the EC2 actions the EKS service
 * ran in EC2's transaction (RunInstances' path, CreateNetworkInterface, AttachNetworkInterface,
 * AssignPrivateIpAddresses …), counted at EC2's service-action seam. Printed, never asserted.
 *
 *   npm run bench:eks                          400 nodes, 10,000 pods
 *   npm run bench:eks -- --nodes 40 --pods 1000
 *   npm run bench:eks -- --json
 */
import { performance } from "node:perf_hooks";
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { startLocalVpc } from "../src/index.js";
import { serviceActionCounts } from "../src/services/ec2/service-actions.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} expects a positive integer`);
  return n;
};
const NODES = arg("--nodes", 400);
const PODS = arg("--pods", 10_000);
const JSON_OUT = process.argv.includes("--json");
const ACCOUNT = "123456789012";

/** The EC2 actions run since `before`, by name, and their total. */
const callsSince = (before: Record<string, number>): { ec2Calls: number; byAction: Record<string, number> } => {
  const byAction: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(serviceActionCounts())) {
    const d = v - (before[k] ?? 0);
    if (d > 0) byAction[k] = d;
    total += d;
  }
  return { ec2Calls: total, byAction };
};

interface PhaseResult {
  readonly phase: string;
  readonly seconds: number;
  readonly ec2Calls: number;
  readonly byAction: Record<string, number>;
}

const main = async (): Promise<void> => {
  // 400 nodes × 3 ENIs stay under the default quotas (1,000 instances, 5,000 ENIs a Region); raised for larger runs.
  const vpc = await startLocalVpc({
    port: 0,
    quotas: { instancesPerRegion: Math.max(1000, NODES * 2), enisPerRegion: Math.max(5000, NODES * 10) },
  });
  const config = { endpoint: vpc.url, region: "us-east-1", credentials: { accessKeyId: ACCOUNT, secretAccessKey: "x" }, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const eks = new EKSClient(config);
  const results: PhaseResult[] = [];
  try {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
    const subnets: string[] = [];
    for (const [cidr, zone] of [
      ["10.0.0.0/17", "us-east-1a"],
      ["10.0.128.0/17", "us-east-1b"],
    ] as const) {
      const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: cidr, AvailabilityZone: zone }));
      subnets.push(Subnet!.SubnetId!);
    }
    await eks.send(
      new CreateClusterCommand({
        name: "bench",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster-role`,
        resourcesVpcConfig: { subnetIds: subnets },
      }),
    );
    let before = serviceActionCounts();
    let t0 = performance.now();
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: "bench",
        nodegroupName: "nodes",
        nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node-role`,
        subnets,
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: NODES, maxSize: NODES, desiredSize: NODES },
      }),
    );
    results.push({
      phase: `CreateNodegroup: ${NODES} m5.large nodes, ipamd's warm pools`,
      seconds: (performance.now() - t0) / 1000,
      ...callsSince(before),
    });
    before = serviceActionCounts();
    t0 = performance.now();
    const res = await fetch(`${vpc.url}/_localvpc/eks/pods`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account: ACCOUNT, cluster: "bench", nodegroup: "nodes", replicas: PODS }),
    });
    const answer = (await res.json()) as { running?: number; pending?: number; ec2Calls?: number; message?: string };
    const seconds = (performance.now() - t0) / 1000;
    if (res.status !== 200) throw new Error(`POST /_localvpc/eks/pods → ${res.status} ${answer.message ?? ""}`);
    results.push({
      phase: `schedule ${PODS} pods (${answer.running ?? 0} running, ${answer.pending ?? 0} Pending)`,
      seconds,
      ...callsSince(before),
    });
  } finally {
    ec2.destroy();
    eks.destroy();
    await vpc.close();
  }
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ nodes: NODES, pods: PODS, results }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`\nEKS pods: ${PODS} pods on ${NODES} m5.large nodes (VPC CNI simulation, in-process server)\n`);
  for (const r of results) {
    const actions = Object.entries(r.byAction)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    process.stdout.write(
      `  ${r.phase.padEnd(58)} ${r.seconds.toFixed(2).padStart(7)} s  ${String(r.ec2Calls).padStart(6)} EC2 calls (${actions})\n`,
    );
  }
};

main().catch((e: unknown) => {
  process.stderr.write(`bench eks-pods failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
