/**
 * An admin reset (`POST /_localvpc/reset`) forgets the traffic engine's state along with the store's: failed
 * instances (`chaos fail-instance`), tracked connections and ENI placements. With deterministic ids the same
 * instance id comes back after a reset, and it must not come back failed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DescribeSubnetsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { ID_PREFIX, type IdGenerator } from "../../src/domain/ids.js";
import { adminCall, trafficSend, useHarness } from "./harness.js";

let counter = 0;
const ids: IdGenerator = {
  next: (kind) => `${ID_PREFIX[kind]}-${(counter++).toString(16).padStart(17, "0")}`,
  hex: (length) => (counter++).toString(16).padStart(length, "0").slice(-length),
};

describe("admin reset and the traffic engine", () => {
  const h = useHarness({ ids });

  const twoInstances = async (): Promise<[string, string]> => {
    const { Subnets } = await h.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }));
    const subnetId = Subnets!.find((s) => s.AvailabilityZone === "us-east-1a")!.SubnetId!;
    const { Instances } = await h.ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0a1b2c3d4e5f60001",
        InstanceType: "t3.medium",
        SubnetId: subnetId,
        MinCount: 2,
        MaxCount: 2,
      }),
    );
    return [Instances![0]!.InstanceId!, Instances![1]!.InstanceId!];
  };
  const post = async (path: string, body: unknown): Promise<void> => {
    assert.equal((await adminCall(h, "POST", path, body)).status, 200);
  };
  const send = (from: string, to: string) => trafficSend(h, { from, to, proto: "tcp", port: 22 });

  it("a failed instance is healthy again after a reset, even under the same id", async () => {
    counter = 0;
    const [a, b] = await twoInstances();
    assert.equal((await send(a, b)).deliveredTo, b, "the default security group lets its members talk");
    await post("chaos/fail-instance", { instanceId: b });
    assert.equal((await send(a, b)).reason, "EMU_INSTANCE_IMPAIRED");

    await post("reset", {});
    counter = 0;
    const [a2, b2] = await twoInstances();
    assert.deepEqual([a2, b2], [a, b], "deterministic ids: the same instance ids again");
    const v = await send(a2, b2);
    assert.equal(v.delivered, true, v.explanation);
    assert.equal(v.deliveredTo, b2);
  });
});
