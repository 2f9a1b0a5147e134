/**
 * EKS with the installed AWS CLI against a real `localvpc serve` (issue 18): `aws eks create-cluster` and
 * `aws eks wait cluster-active`, the control plane's ENIs in `aws ec2 describe-network-interfaces`, a managed node
 * group and `wait nodegroup-active`, an EKS error as the CLI prints it; then `localvpc eks pods scale` and
 * `localvpc eks max-pods` (human and --json).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

const run = promisify(execFile);

describe("AWS CLI: EKS clusters, node groups and pod networking", () => {
  let server: ServeProcess;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
  });
  after(async () => server.stop());

  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "123456789012",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
  };
  const aws = async <T>(...args: string[]): Promise<T> => {
    const { stdout } = await run("aws", ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json", ...args], {
      env,
      timeout: 120_000,
    });
    return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
  };
  const awsFails = async (args: readonly string[]): Promise<string> => {
    try {
      await aws(...args);
    } catch (e) {
      return String((e as { stderr?: unknown }).stderr);
    }
    return assert.fail("expected the AWS CLI to fail");
  };

  it("create-cluster, wait cluster-active, create-nodegroup, wait nodegroup-active; the ENIs where AWS puts them; pods and max pods", async () => {
    const vpc = await aws<{ Vpc: { VpcId: string } }>("ec2", "create-vpc", "--cidr-block", "10.91.0.0/16");
    const subnets: string[] = [];
    for (const [i, z] of ["us-east-1a", "us-east-1b"].entries()) {
      const s = await aws<{ Subnet: { SubnetId: string } }>(
        "ec2",
        "create-subnet",
        "--vpc-id",
        vpc.Vpc.VpcId,
        "--cidr-block",
        `10.91.${i}.0/24`,
        "--availability-zone",
        z,
      );
      subnets.push(s.Subnet.SubnetId);
    }
    const role = "arn:aws:iam::123456789012:role/eks";
    const oneAz = await awsFails([
      "eks",
      "create-cluster",
      "--name",
      "bad",
      "--role-arn",
      role,
      "--resources-vpc-config",
      `subnetIds=${subnets[0]!}`,
    ]);
    assert.match(oneAz, /\(InvalidParameterException\).*Subnets specified must be in at least two different AZs/);

    const created = await aws<{ cluster: { status: string; resourcesVpcConfig: { clusterSecurityGroupId: string } } }>(
      "eks",
      "create-cluster",
      "--name",
      "demo",
      "--role-arn",
      role,
      "--resources-vpc-config",
      `subnetIds=${subnets.join(",")},endpointPublicAccess=true,endpointPrivateAccess=true`,
    );
    assert.equal(created.cluster.status, "CREATING");
    await aws("eks", "wait", "cluster-active", "--name", "demo");
    const described = await aws<{ cluster: { status: string; resourcesVpcConfig: { endpointPrivateAccess: boolean } } }>(
      "eks",
      "describe-cluster",
      "--name",
      "demo",
    );
    assert.deepEqual([described.cluster.status, described.cluster.resourcesVpcConfig.endpointPrivateAccess], ["ACTIVE", true]);

    const enis = await aws<{
      NetworkInterfaces: {
        Description: string;
        RequesterManaged: boolean;
        Attachment: { InstanceOwnerId: string };
        Groups: { GroupId: string }[];
      }[];
    }>("ec2", "describe-network-interfaces", "--filters", `Name=vpc-id,Values=${vpc.Vpc.VpcId}`, "Name=description,Values=Amazon EKS demo");
    assert.equal(enis.NetworkInterfaces.length, 2);
    for (const e of enis.NetworkInterfaces) {
      assert.deepEqual(
        [e.RequesterManaged, e.Attachment.InstanceOwnerId, e.Groups[0]?.GroupId],
        [true, "602401143452", created.cluster.resourcesVpcConfig.clusterSecurityGroupId],
      );
    }

    await aws(
      "eks",
      "create-nodegroup",
      "--cluster-name",
      "demo",
      "--nodegroup-name",
      "ng",
      "--node-role",
      "arn:aws:iam::123456789012:role/node",
      "--subnets",
      ...subnets,
      "--instance-types",
      "m5.large",
      "--scaling-config",
      "minSize=1,maxSize=3,desiredSize=2",
    );
    await aws("eks", "wait", "nodegroup-active", "--cluster-name", "demo", "--nodegroup-name", "ng");
    const listed = await aws<{ nodegroups: string[] }>("eks", "list-nodegroups", "--cluster-name", "demo");
    assert.deepEqual(listed.nodegroups, ["ng"]);
    const nodes = await aws<{ Reservations: { Instances: { SubnetId: string }[] }[] }>(
      "ec2",
      "describe-instances",
      "--filters",
      "Name=tag:eks:nodegroup-name,Values=ng",
      "Name=instance-state-name,Values=running,pending",
    );
    const placed = nodes.Reservations.flatMap((r) => r.Instances.map((i) => i.SubnetId));
    assert.deepEqual(new Set(placed), new Set(subnets));

    const cli = (args: string[]) => runCli(["eks", ...args, "--endpoint", server.url, "--account", "123456789012"], 30_000);
    const scaled = await cli(["pods", "scale", "--cluster", "demo", "--nodegroup", "ng", "--replicas", "60", "--json"]);
    assert.equal(scaled.code, 0, scaled.stderr);
    const answer = JSON.parse(scaled.stdout) as { running: number; pending: number; pods: { state: string; reasonCode?: string }[] };
    // Two m5.large nodes take 27 pods each (29 max pods less aws-node and kube-proxy); the other 6 stay Pending.
    assert.deepEqual([answer.running, answer.pending], [54, 6]);
    assert.ok(answer.pods.filter((p) => p.state === "Pending").every((p) => p.reasonCode === "TooManyPods"));
    const human = await cli(["pods", "scale", "--cluster", "demo", "--nodegroup", "ng", "--replicas", "60"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^demo\/ng: 54 Running, 6 Pending/);
    assert.match(human.stdout, /Pending: 0\/2 nodes are available: 2 Too many pods/);

    const mp = await cli(["max-pods", "--instance-type", "m5.large"]);
    assert.equal(mp.code, 0, mp.stderr);
    assert.equal(mp.stdout.trim(), "m5.large: 29 pods (3 × (10 − 1) + 2 = 29)");
    const pd = await cli(["max-pods", "--instance-type", "m5.large", "--prefix-delegation", "--json"]);
    assert.equal((JSON.parse(pd.stdout) as { maxPods: number }).maxPods, 110);
    const missing = await cli(["pods", "list", "--cluster", "nope", "--nodegroup", "ng"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ResourceNotFoundException: No cluster found for name: nope\./);
  });
});
