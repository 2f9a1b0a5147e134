/**
 * Issue 15 ("Real automation runs unchanged") with the installed AWS CLI against a real `localvpc serve`: an ED25519
 * key pair round trip (the private key the CLI prints is one ssh-keygen accepts), a launch template with two network
 * interfaces that run-instances launches from, and a volume attached with DeleteOnTermination=false that outlives
 * its instance.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";

const run = promisify(execFile);
const AMI = "ami-0a1b2c3d4e5f60001";

const hasSshKeygen = ((): boolean => {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "ignore" });
    return true;
  } catch (e) {
    // ssh-keygen -? prints usage and exits 1: it exists; ENOENT means it does not.
    return (e as { code?: unknown }).code !== "ENOENT";
  }
})();

describe("AWS CLI: key pairs, launch templates, volumes (issue 15)", () => {
  let cli: AwsCli;
  const aws: AwsCli["aws"] = (...args) => cli.aws(...args);
  /** The CLI's raw stdout (for --output text). */
  const awsText = async (...args: string[]): Promise<string> => {
    const { stdout } = await run("aws", ["--endpoint-url", cli.server.url, "--region", "us-east-1", "ec2", ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: "123456789012",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_PAGER: "",
      },
      timeout: 60_000,
    });
    return stdout;
  };

  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());

  it("create-key-pair --key-type ed25519 → a key ssh-keygen accepts; describe --include-public-key; delete", async () => {
    const material = await awsText(
      "create-key-pair",
      "--key-name",
      "ci-ed",
      "--key-type",
      "ed25519",
      "--query",
      "KeyMaterial",
      "--output",
      "text",
    );
    assert.match(material, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const described = await aws<{ KeyPairs: { KeyName: string; KeyType: string; PublicKey: string; KeyFingerprint: string }[] }>(
      "describe-key-pairs",
      "--key-names",
      "ci-ed",
      "--include-public-key",
    );
    const kp = described.KeyPairs[0]!;
    assert.equal(kp.KeyType, "ed25519");
    assert.match(kp.PublicKey, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+/);
    if (hasSshKeygen) {
      const dir = mkdtempSync(join(tmpdir(), "localvpc-key-"));
      try {
        const file = join(dir, "ci-ed.pem");
        writeFileSync(file, material.endsWith("\n") ? material : `${material}\n`, { mode: 0o600 });
        const pub = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
        // The public key ssh-keygen derives is the one AWS stored (the comment, if any, aside).
        assert.equal(pub.split(" ").slice(0, 2).join(" "), kp.PublicKey.split(" ").slice(0, 2).join(" "));
        const fp = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", file], { encoding: "utf8" });
        assert.ok(fp.includes(`SHA256:${kp.KeyFingerprint.replace(/=+$/, "")}`), `${fp} vs ${kp.KeyFingerprint}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    await aws("delete-key-pair", "--key-name", "ci-ed");
    const after = await aws<{ KeyPairs: unknown[] }>("describe-key-pairs", "--filters", "Name=key-name,Values=ci-ed");
    assert.deepEqual(after.KeyPairs, []);
    await cli.awsFails(["describe-key-pairs", "--key-names", "ci-ed"], "InvalidKeyPair.NotFound");
  });

  it("create-launch-template with two NetworkInterfaces; run-instances --launch-template", async () => {
    const { Vpc } = await aws<{ Vpc: { VpcId: string } }>("create-vpc", "--cidr-block", "10.61.0.0/16");
    const { Subnet } = await aws<{ Subnet: { SubnetId: string } }>(
      "create-subnet",
      "--vpc-id",
      Vpc.VpcId,
      "--cidr-block",
      "10.61.1.0/24",
      "--availability-zone",
      "us-east-1a",
    );
    const data = {
      ImageId: AMI,
      InstanceType: "m5.large",
      NetworkInterfaces: [
        { DeviceIndex: 0, SubnetId: Subnet.SubnetId },
        { DeviceIndex: 1, SubnetId: Subnet.SubnetId },
      ],
    };
    const { LaunchTemplate } = await aws<{ LaunchTemplate: { LaunchTemplateId: string; LatestVersionNumber: number } }>(
      "create-launch-template",
      "--launch-template-name",
      "cli-two-enis",
      "--version-description",
      "first",
      "--launch-template-data",
      JSON.stringify(data),
    );
    assert.equal(LaunchTemplate.LatestVersionNumber, 1);
    const launched = await aws<{
      Instances: {
        InstanceId: string;
        InstanceType: string;
        NetworkInterfaces: { SubnetId: string; Attachment: { DeviceIndex: number } }[];
        Tags?: { Key: string; Value: string }[];
      }[];
    }>("run-instances", "--launch-template", `LaunchTemplateId=${LaunchTemplate.LaunchTemplateId},Version=$Latest`);
    const i = launched.Instances[0]!;
    assert.equal(i.InstanceType, "m5.large");
    assert.deepEqual(i.NetworkInterfaces.map((n) => [n.Attachment.DeviceIndex, n.SubnetId]).sort(), [
      [0, Subnet.SubnetId],
      [1, Subnet.SubnetId],
    ]);
    const described = await aws<{ Reservations: { Instances: { Tags: { Key: string; Value: string }[] }[] }[] }>(
      "describe-instances",
      "--instance-ids",
      i.InstanceId,
    );
    const tags = Object.fromEntries(described.Reservations[0]!.Instances[0]!.Tags.map((t) => [t.Key, t.Value]));
    assert.equal(tags["aws:ec2launchtemplate:id"], LaunchTemplate.LaunchTemplateId);
    assert.equal(tags["aws:ec2launchtemplate:version"], "1");
    await aws("terminate-instances", "--instance-ids", i.InstanceId);
    await aws("delete-launch-template", "--launch-template-id", LaunchTemplate.LaunchTemplateId);
  });

  it("attach-volume, DeleteOnTermination=false: the volume outlives the instance; detach and delete", async () => {
    const { Instances } = await aws<{ Instances: { InstanceId: string; Placement: { AvailabilityZone: string } }[] }>(
      "run-instances",
      "--image-id",
      AMI,
      "--instance-type",
      "t3.micro",
      "--placement",
      "AvailabilityZone=us-east-1a",
    );
    const instanceId = Instances[0]!.InstanceId;
    await aws("wait", "instance-running", "--instance-ids", instanceId);
    const vol = await aws<{ VolumeId: string; State: string }>("create-volume", "--availability-zone", "us-east-1a", "--size", "10");
    assert.equal(vol.State, "creating");
    await aws("wait", "volume-available", "--volume-ids", vol.VolumeId);
    const attached = await aws<{ State: string; Device: string }>(
      "attach-volume",
      "--volume-id",
      vol.VolumeId,
      "--instance-id",
      instanceId,
      "--device",
      "/dev/sdf",
    );
    assert.equal(attached.State, "attaching");
    await aws("wait", "volume-in-use", "--volume-ids", vol.VolumeId);
    await aws(
      "modify-instance-attribute",
      "--instance-id",
      instanceId,
      "--block-device-mappings",
      JSON.stringify([{ DeviceName: "/dev/sdf", Ebs: { DeleteOnTermination: false } }]),
    );
    const seen = await aws<{ Volumes: { Attachments: { InstanceId: string; DeleteOnTermination: boolean; State: string }[] }[] }>(
      "describe-volumes",
      "--volume-ids",
      vol.VolumeId,
    );
    assert.deepEqual(
      seen.Volumes[0]!.Attachments.map((a) => [a.InstanceId, a.DeleteOnTermination, a.State]),
      [[instanceId, false, "attached"]],
    );
    // Detach and re-attach once (detach is asynchronous: wait for available).
    await aws("detach-volume", "--volume-id", vol.VolumeId);
    await aws("wait", "volume-available", "--volume-ids", vol.VolumeId);
    await aws("attach-volume", "--volume-id", vol.VolumeId, "--instance-id", instanceId, "--device", "/dev/sdf");
    await aws("wait", "volume-in-use", "--volume-ids", vol.VolumeId);
    await aws(
      "modify-instance-attribute",
      "--instance-id",
      instanceId,
      "--block-device-mappings",
      JSON.stringify([{ DeviceName: "/dev/sdf", Ebs: { DeleteOnTermination: false } }]),
    );
    await aws("terminate-instances", "--instance-ids", instanceId);
    await aws("wait", "instance-terminated", "--instance-ids", instanceId);
    await aws("wait", "volume-available", "--volume-ids", vol.VolumeId);
    const kept = await aws<{ Volumes: { VolumeId: string; State: string; Attachments: unknown[] }[] }>(
      "describe-volumes",
      "--volume-ids",
      vol.VolumeId,
    );
    assert.equal(kept.Volumes[0]!.State, "available");
    assert.deepEqual(kept.Volumes[0]!.Attachments, []);
    await aws("delete-volume", "--volume-id", vol.VolumeId);
    await cli.awsFails(["describe-volumes", "--volume-ids", vol.VolumeId], "InvalidVolume.NotFound");
  });
});
