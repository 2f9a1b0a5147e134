/**
 * Issue 15's "done when" with boto3, the way Python automation drives EC2, against a real `localvpc serve`: launch
 * from an AMI id taken from real AWS, a key pair, a launch template with two network interfaces, a volume attached and
 * detached, a volume kept after termination (DeleteOnTermination=false), full instance-type data and offerings, and
 * every region. One script runs the whole story and prints what it saw; the test checks each fact. .ci/run installs
 * boto3 when it is missing.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { spawnServe, type ServeProcess } from "./serve-process.js";

const run = promisify(execFile);

/** The story, in boto3. A real us-east-1 Amazon Linux 2 AMI id (not in the catalogue: a generic image). */
const SCRIPT = String.raw`
import boto3, json, sys, time
url = sys.argv[1]
ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1", aws_access_key_id="123456789012", aws_secret_access_key="test")
out = {}
vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.70.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]

key = ec2.create_key_pair(KeyName="deploy", KeyType="rsa")
out["key"] = [key["KeyName"], key["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----"), len(key["KeyFingerprint"].split(":"))]

real_ami = "ami-0c02fb55956c7d316"
r = ec2.run_instances(ImageId=real_ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet, KeyName="deploy",
    BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 10, "DeleteOnTermination": False}}])
i = r["Instances"][0]
out["launch"] = [i["ImageId"], i["KeyName"], i["State"]["Name"]]
ec2.get_waiter("instance_running").wait(InstanceIds=[i["InstanceId"]], WaiterConfig={"Delay": 1, "MaxAttempts": 30})

lt = ec2.create_launch_template(LaunchTemplateName="two-nics", LaunchTemplateData={
    "ImageId": real_ami, "InstanceType": "m5.large",
    "NetworkInterfaces": [
        {"DeviceIndex": 0, "SubnetId": subnet, "Groups": [sg]},
        {"DeviceIndex": 1, "SubnetId": subnet, "Groups": [sg]},
    ]})["LaunchTemplate"]
fr = ec2.run_instances(LaunchTemplate={"LaunchTemplateName": "two-nics", "Version": "$Latest"}, MinCount=1, MaxCount=1)["Instances"][0]
out["template"] = [lt["LatestVersionNumber"], fr["InstanceType"], sorted(n["Attachment"]["DeviceIndex"] for n in fr["NetworkInterfaces"])]

vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=5, VolumeType="gp3")["VolumeId"]
ec2.get_waiter("volume_available").wait(VolumeIds=[vol], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
ec2.attach_volume(VolumeId=vol, InstanceId=i["InstanceId"], Device="/dev/sdg")
ec2.get_waiter("volume_in_use").wait(VolumeIds=[vol], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
attached = ec2.describe_volumes(VolumeIds=[vol])["Volumes"][0]["Attachments"][0]
ec2.detach_volume(VolumeId=vol)
ec2.get_waiter("volume_available").wait(VolumeIds=[vol], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
out["volume"] = [attached["InstanceId"] == i["InstanceId"], attached["Device"], ec2.describe_volumes(VolumeIds=[vol])["Volumes"][0]["State"]]

kept = [m["Ebs"]["VolumeId"] for m in ec2.describe_instances(InstanceIds=[i["InstanceId"]])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"] if m["DeviceName"] == "/dev/sdf"][0]
ec2.terminate_instances(InstanceIds=[i["InstanceId"]])
ec2.get_waiter("instance_terminated").wait(InstanceIds=[i["InstanceId"]], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
out["kept"] = ec2.describe_volumes(VolumeIds=[kept])["Volumes"][0]["State"]

t = ec2.describe_instance_types(InstanceTypes=["p4d.24xlarge"])["InstanceTypes"][0]
out["type"] = [t["VCpuInfo"]["DefaultVCpus"], t["MemoryInfo"]["SizeInMiB"], t["NetworkInfo"]["MaximumNetworkCards"], "GpuInfo" in t, "EbsInfo" in t, "ProcessorInfo" in t]
p = ec2.get_paginator("describe_instance_type_offerings")
offered = [o["Location"] for page in p.paginate(LocationType="availability-zone", Filters=[{"Name": "instance-type", "Values": ["m5.large"]}]) for o in page["InstanceTypeOfferings"]]
out["offerings"] = sorted(offered)
regions = ec2.describe_regions(AllRegions=True)["Regions"]
out["regions"] = [len(regions), sorted({r["OptInStatus"] for r in regions}), "af-south-1" in [r["RegionName"] for r in regions]]
print(json.dumps(out))
`;

describe("boto3: images, key pairs, launch templates, volumes, instance types, regions (issue 15)", () => {
  let server: ServeProcess;
  before(async () => {
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
  });
  after(async () => server.stop());

  it("runs the automation story unchanged", async () => {
    const env = { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const { stdout } = await run("python3", ["-c", SCRIPT, server.url], { env, timeout: 180_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    // RSA keys created by EC2 carry a SHA-1 digest of the PKCS#8 key: 20 colon-separated bytes.
    assert.deepEqual(out["key"], ["deploy", true, 20]);
    assert.deepEqual(out["launch"], ["ami-0c02fb55956c7d316", "deploy", "pending"]);
    assert.deepEqual(out["template"], [1, "m5.large", [0, 1]]);
    assert.deepEqual(out["volume"], [true, "/dev/sdg", "available"]);
    assert.equal(out["kept"], "available");
    assert.deepEqual(out["type"], [96, 1179648, 4, true, true, true]);
    assert.deepEqual(out["offerings"], ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"]);
    const [count, statuses, hasOptIn] = out["regions"] as [number, string[], boolean];
    assert.ok(count > 30, `${count} regions`);
    assert.deepEqual(statuses, ["not-opted-in", "opt-in-not-required"]);
    assert.equal(hasOptIn, true);
  });
});
