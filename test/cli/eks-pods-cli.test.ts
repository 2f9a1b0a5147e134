/**
 * The `localvpc` command against a real `localvpc serve` for EKS pod networking (issue 18): `localvpc eks eni-config
 * put|list|delete` (custom networking's ENIConfigs), and `localvpc traffic send --from pod:NAME --to pod:NAME`. The
 * cluster and node group are made with the real SDK clients; the commands under test are the CLI's.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateAddonCommand, CreateClusterCommand, CreateNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from "@aws-sdk/client-ec2";
import { runCli, spawnServe, type ServeProcess } from "./serve-process.js";

describe("localvpc eks eni-config and traffic send --from pod:NAME", () => {
  let server: ServeProcess;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
  });
  after(async () => server.stop());

  const credentials = { accessKeyId: "123456789012", secretAccessKey: "test" };
  const cli = (args: string[]) => runCli([...args, "--endpoint", server.url, "--account", "123456789012"], 30_000);

  it("defines an ENIConfig, schedules pods in its subnet, and sends pod-to-pod traffic", async () => {
    const ec2 = new EC2Client({ endpoint: server.url, region: "us-east-1", credentials });
    const eks = new EKSClient({ endpoint: server.url, region: "us-east-1", credentials });
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.92.0.0/16" }))).Vpc!.VpcId!;
    const subnet = async (cidr: string, zone: string) =>
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!;
    const a = await subnet("10.92.1.0/24", "us-east-1a");
    const b = await subnet("10.92.2.0/24", "us-east-1b");
    const pods = await subnet("10.92.64.0/20", "us-east-1a");
    await eks.send(
      new CreateClusterCommand({ name: "cn", roleArn: "arn:aws:iam::123456789012:role/eks", resourcesVpcConfig: { subnetIds: [a, b] } }),
    );
    await eks.send(
      new CreateAddonCommand({
        clusterName: "cn",
        addonName: "vpc-cni",
        configurationValues: '{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true"}}',
      }),
    );

    const put = await cli(["eks", "eni-config", "put", "--cluster", "cn", "--name", "us-east-1a", "--subnet", pods]);
    assert.equal(put.code, 0, put.stderr);
    assert.equal(put.stdout.trim(), `cn ENIConfig us-east-1a: pods in ${pods} with the node's primary ENI's groups`);
    const list = await cli(["eks", "eni-config", "list", "--cluster", "cn", "--json"]);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { eniConfigs: { subnet: string }[] }).eniConfigs.map((c) => c.subnet),
      [pods],
    );
    const bad = await cli(["eks", "eni-config", "put", "--cluster", "cn", "--name", "Bad_Name", "--subnet", pods]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ENIConfig name 'Bad_Name' is not a valid Kubernetes name/);

    await eks.send(
      new CreateNodegroupCommand({
        clusterName: "cn",
        nodegroupName: "ng",
        nodeRole: "arn:aws:iam::123456789012:role/node",
        subnets: [a],
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 2 },
      }),
    );
    const scaled = await cli(["eks", "pods", "scale", "--cluster", "cn", "--nodegroup", "ng", "--replicas", "4", "--json"]);
    assert.equal(scaled.code, 0, scaled.stderr);
    const answer = JSON.parse(scaled.stdout) as { pods: { name: string; node: string; ip: string }[]; nodes: { maxPods: number }[] };
    assert.deepEqual(
      answer.nodes.map((n) => n.maxPods),
      [20, 20],
    );
    for (const p of answer.pods) assert.match(p.ip, /^10\.92\.(6[4-9]|7\d)\./, "pod IPs come from the ENIConfig's subnet");
    const [p1, p2] = [answer.pods[0]!, answer.pods.find((p) => p.node !== answer.pods[0]!.node)!];

    const sent = await cli(["traffic", "send", "--from", `pod:${p1.name}`, "--to", `pod:${p2.name}`, "--port", "8080", "--json"]);
    assert.equal(sent.code, 0, sent.stderr);
    const v = JSON.parse(sent.stdout) as { delivered: boolean; deliveredTo: string };
    assert.deepEqual([v.delivered, v.deliveredTo], [true, p2.node]);
    const human = await cli(["traffic", "send", "--from", `pod:${p1.name}`, "--to", "pod:ng-pod-99"]);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /Cannot resolve --to 'pod:ng-pod-99': no EKS pod of that name/);

    const del = await cli(["eks", "eni-config", "delete", "--cluster", "cn", "--name", "us-east-1a"]);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout.trim(), "cn: ENIConfig us-east-1a deleted");
  });
});
