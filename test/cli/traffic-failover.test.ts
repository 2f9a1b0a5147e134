/**
 * The seed's failover story through the AWS CLI and the traffic CLI (issue 5): a web ENI with an Elastic IP on
 * instance A; `localvpc traffic send --from internet --to EIP` reaches A; `localvpc chaos fail-instance A` drops it;
 * the ENI moves to B with the AWS CLI; requests reach B. `traffic run` shows the receivers; `--json` has the fixed
 * fields.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { runCli } from "./serve-process.js";

interface Verdict {
  delivered: boolean;
  reason: string | null;
  explanation: string;
  deliveredTo: string | null;
  hops: unknown[];
}

describe("failover through the AWS CLI and localvpc traffic", () => {
  let cli: AwsCli;
  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());

  const localvpc = async (...args: string[]) => {
    const r = await runCli([...args, "--endpoint", cli.server.url, "--account", "123456789012"]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const send = async (to: string): Promise<Verdict> =>
    JSON.parse(await localvpc("traffic", "send", "--from", "internet", "--to", to, "--proto", "tcp", "--port", "443", "--json")) as Verdict;

  it("requests reach A, A fails, the ENI moves to B, requests reach B", async () => {
    const { aws } = cli;
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", "10.31.0.0/16");
    const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
      "create-subnet",
      "--vpc-id",
      Vpc.VpcId,
      "--cidr-block",
      "10.31.1.0/24",
      "--availability-zone",
      "us-east-1a",
    );
    const { InternetGateway } = await aws<{ InternetGateway: { InternetGatewayId: string } }>("create-internet-gateway");
    await aws("attach-internet-gateway", "--internet-gateway-id", InternetGateway.InternetGatewayId, "--vpc-id", Vpc.VpcId);
    const { RouteTable } = await aws<{ RouteTable: { RouteTableId: string } }>("create-route-table", "--vpc-id", Vpc.VpcId);
    await aws(
      "create-route",
      "--route-table-id",
      RouteTable.RouteTableId,
      "--destination-cidr-block",
      "0.0.0.0/0",
      "--gateway-id",
      InternetGateway.InternetGatewayId,
    );
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
    const launch = async () =>
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
    const { NetworkInterface } = await aws<{ NetworkInterface: { NetworkInterfaceId: string } }>(
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

    const first = await send(PublicIp);
    assert.equal(first.delivered, true, first.explanation);
    assert.equal(first.reason, null);
    assert.equal(first.deliveredTo, a);
    assert.ok(Array.isArray(first.hops) && first.hops.length > 0);

    const run = JSON.parse(
      await localvpc("traffic", "run", "--from", "internet", "--to", PublicIp, "--rate", "20", "--duration", "250ms", "--json"),
    ) as {
      requests: number;
      delivered: number;
      receivers: Record<string, number>;
    };
    assert.equal(run.requests, 5);
    assert.deepEqual(run.receivers, { [a]: 5 });

    assert.match(await localvpc("chaos", "fail-instance", a), /impaired/);
    const down = await send(PublicIp);
    assert.deepEqual([down.delivered, down.reason, down.deliveredTo], [false, "EMU_INSTANCE_IMPAIRED", null]);

    await aws("detach-network-interface", "--attachment-id", AttachmentId);
    await aws("attach-network-interface", "--network-interface-id", eni, "--instance-id", b, "--device-index", "1");
    const moved = await send(PublicIp);
    assert.equal(moved.deliveredTo, b, moved.explanation);

    assert.match(await localvpc("chaos", "recover", a), /healthy/);
    const human = await localvpc("traffic", "send", "--from", "internet", "--to", PublicIp);
    assert.match(human, new RegExp(`^DELIVERED to ${b}`));
  });
});
