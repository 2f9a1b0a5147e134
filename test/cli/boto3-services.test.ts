/**
 * Issue 17's "done when" with boto3: Lambda in a VPC and a network load balancer on an Elastic IP, driven the way
 * Python automation drives them, unchanged, against a real localvpc server. One script runs the story and prints
 * what it saw: the function's shared Hyperplane ENI and its waiter, the NLB's ENI holding the Elastic IP, a target
 * group and listener, and the errors each service answers in its own protocol.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startLocalVpc, type LocalVpc } from "../../src/index.js";

const run = promisify(execFile);

const SCRIPT = String.raw`
import boto3, botocore, io, json, sys, zipfile
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="123456789012", aws_secret_access_key="test")
ec2, lam, elb = boto3.client("ec2", **kw), boto3.client("lambda", **kw), boto3.client("elbv2", **kw)
out = {}
vpc = ec2.create_vpc(CidrBlock="10.80.0.0/16")["Vpc"]["VpcId"]
a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.80.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.80.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="fn", Description="fn", VpcId=vpc)["GroupId"]
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("index.py", "def handler(e, c):\n    return {}\n")
for name in ["resize", "thumbs"]:
    lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::123456789012:role/fn",
        Handler="index.handler", Code={"ZipFile": buf.getvalue()}, VpcConfig={"SubnetIds": [a], "SecurityGroupIds": [sg]})
lam.get_waiter("function_active_v2").wait(FunctionName="resize", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
cfg = lam.get_function_configuration(FunctionName="resize")
enis = ec2.describe_network_interfaces(Filters=[{"Name": "interface-type", "Values": ["lambda"]}])["NetworkInterfaces"]
out["lambda"] = [cfg["State"], cfg["VpcConfig"]["VpcId"] == vpc, len(enis), enis[0]["RequesterManaged"], enis[0]["Description"].startswith("AWS Lambda VPC ENI-")]
try:
    lam.get_function(FunctionName="nope")
except botocore.exceptions.ClientError as e:
    out["lambda_error"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]

alloc = ec2.allocate_address(Domain="vpc")
lb = elb.create_load_balancer(Name="edge", Type="network", Scheme="internet-facing",
    SubnetMappings=[{"SubnetId": a, "AllocationId": alloc["AllocationId"]}])["LoadBalancers"][0]
elb.get_waiter("load_balancer_available").wait(LoadBalancerArns=[lb["LoadBalancerArn"]], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
lb_eni = ec2.describe_network_interfaces(Filters=[{"Name": "description", "Values": ["ELB net/edge/*"]}])["NetworkInterfaces"][0]
tg = elb.create_target_group(Name="web", Protocol="TCP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]
elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="TCP", Port=80,
    DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
state = elb.describe_load_balancers(Names=["edge"])["LoadBalancers"][0]["State"]["Code"]
out["elb"] = [lb["Type"], lb["State"]["Code"], state, lb_eni["InterfaceType"], lb_eni["Association"]["PublicIp"] == alloc["PublicIp"],
    len(elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"])]
try:
    elb.create_load_balancer(Name="edge", Type="network", Subnets=[b])
except botocore.exceptions.ClientError as e:
    out["elb_error"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`;

describe("boto3: Lambda in a VPC and a network load balancer (issue 17)", () => {
  let vpc: LocalVpc;
  before(async () => {
    vpc = await startLocalVpc({ port: 0, logLevel: "warn" });
  });
  after(async () => vpc.close());

  it("drives both services unchanged", async () => {
    const env = { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const { stdout } = await run("python3", ["-c", SCRIPT, vpc.url], { env, timeout: 180_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    // Two functions with the same subnet and group share one Hyperplane ENI.
    assert.deepEqual(out["lambda"], ["Active", true, 1, true, true]);
    assert.deepEqual(out["lambda_error"], ["ResourceNotFoundException", 404]);
    // Created provisioning, active once the waiter returns.
    assert.deepEqual(out["elb"], ["network", "provisioning", "active", "network_load_balancer", true, 1]);
    assert.deepEqual(out["elb_error"], ["DuplicateLoadBalancerName", 400]);
  });
});
