/**
 * Lambda (issue 17) with the real SDK v3 client against a real server: functions, their lifecycle on the simulated
 * clock, VpcConfig rules, and the Hyperplane ENIs EC2 shows (one per subnet × security-group set, shared, released
 * after AWS's delay, blocking DeleteSubnet/DeleteSecurityGroup while they exist). Every rule: code, message, HTTP
 * status, and the scope's stored state unchanged.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  type CreateFunctionCommandInput,
} from "@aws-sdk/client-lambda";
import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeNetworkInterfacesCommand,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, expectError, expectErrorNoChange, trafficSend, useHarness, type Harness } from "./harness.js";

/** An empty zip archive (the end-of-central-directory record alone). */
const ZIP = Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64");
const ROLE = "arn:aws:iam::000000000000:role/lambda-role";
const ACCOUNT = "000000000000";
const arnOf = (name: string): string => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

const lambdaOf = (h: Harness): LambdaClient =>
  new LambdaClient({
    endpoint: h.vpc.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "x" },
    maxAttempts: 1,
  });

const advance = async (h: Harness, ms: number): Promise<void> => {
  const r = await adminCall(h, "POST", "clock/advance", { ms });
  assert.equal(r.status, 200);
};

const zipFunction = (name: string, extra: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput => ({
  FunctionName: name,
  Role: ROLE,
  Runtime: "nodejs20.x",
  Handler: "index.handler",
  Code: { ZipFile: ZIP },
  ...extra,
});

const lambdaEnis = async (h: Harness, vpcId: string): Promise<NetworkInterface[]> =>
  (
    await h.ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "interface-type", Values: ["lambda"] },
        ],
      }),
    )
  ).NetworkInterfaces ?? [];

describe("Lambda functions", () => {
  const h = useHarness();

  it("creates a zip function Pending, which turns Active on the clock; reads, lists, updates, tags and deletes it", async () => {
    const l = lambdaOf(h);
    const created = await l.send(
      new CreateFunctionCommand(zipFunction("fn-basic", { Description: "d", Timeout: 10, Tags: { team: "net" } })),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.deepEqual(
      [created.FunctionName, created.FunctionArn, created.State, created.StateReasonCode, created.LastUpdateStatus, created.PackageType],
      ["fn-basic", arnOf("fn-basic"), "Pending", "Creating", "InProgress", "Zip"],
    );
    assert.equal(created.CodeSize, ZIP.length);
    assert.match(created.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.equal(created.Timeout, 10);
    assert.equal(created.MemorySize, 128);
    await advance(h, 60_000);
    await waitUntilFunctionActiveV2({ client: l, maxWaitTime: 10, minDelay: 1 }, { FunctionName: "fn-basic" });
    const got = await l.send(new GetFunctionCommand({ FunctionName: arnOf("fn-basic") }));
    assert.deepEqual([got.Configuration?.State, got.Configuration?.LastUpdateStatus], ["Active", "Successful"]);
    assert.equal(got.Code?.RepositoryType, "S3");
    assert.deepEqual(got.Tags, { team: "net" });

    await l.send(new CreateFunctionCommand(zipFunction("fn-other")));
    const page1 = await l.send(new ListFunctionsCommand({ MaxItems: 1 }));
    assert.deepEqual(
      page1.Functions?.map((f) => f.FunctionName),
      ["fn-basic"],
    );
    const page2 = await l.send(new ListFunctionsCommand({ MaxItems: 1, Marker: page1.NextMarker }));
    assert.deepEqual(
      page2.Functions?.map((f) => f.FunctionName),
      ["fn-other"],
    );
    assert.equal(page2.NextMarker, undefined);

    const updated = await l.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "fn-basic", MemorySize: 256, Environment: { Variables: { AB: "1" } } }),
    );
    assert.deepEqual([updated.State, updated.LastUpdateStatus, updated.MemorySize], ["Active", "InProgress", 256]);
    await expectErrorNoChange(
      h,
      () => l.send(new UpdateFunctionCodeCommand({ FunctionName: "fn-basic", ZipFile: ZIP })),
      "ResourceConflictException",
      `The operation cannot be performed at this time. An update is in progress for resource: ${arnOf("fn-basic")}`,
      409,
    );
    await advance(h, 60_000);
    const conf = await l.send(new GetFunctionConfigurationCommand({ FunctionName: "fn-basic" }));
    assert.deepEqual([conf.LastUpdateStatus, conf.Environment?.Variables], ["Successful", { AB: "1" }]);
    const code = await l.send(new UpdateFunctionCodeCommand({ FunctionName: "fn-basic", ZipFile: ZIP }));
    assert.equal(code.LastUpdateStatus, "InProgress");

    await l.send(new TagResourceCommand({ Resource: arnOf("fn-basic"), Tags: { env: "dev" } }));
    await l.send(new UntagResourceCommand({ Resource: arnOf("fn-basic"), TagKeys: ["team"] }));
    assert.deepEqual((await l.send(new ListTagsCommand({ Resource: arnOf("fn-basic") }))).Tags, { env: "dev" });

    const del = await l.send(new DeleteFunctionCommand({ FunctionName: "fn-basic" }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    await expectError(
      l.send(new GetFunctionCommand({ FunctionName: "fn-basic" })),
      "ResourceNotFoundException",
      `Function not found: ${arnOf("fn-basic")}`,
      404,
    );
  });

  it("Invoke answers the canned payload of an Active function, and refuses a Pending one", async () => {
    const l = lambdaOf(h);
    await l.send(
      new CreateFunctionCommand(zipFunction("fn-invoke", { Environment: { Variables: { LOCALVPC_INVOKE_RESPONSE: '{"ok":true}' } } })),
    );
    await expectErrorNoChange(
      h,
      () => l.send(new InvokeCommand({ FunctionName: "fn-invoke" })),
      "ResourceConflictException",
      `The operation cannot be performed at this time. The resource ${arnOf("fn-invoke")} is currently in the following state: 'Pending'. StateReasonCode: 'Creating'`,
      409,
    );
    await advance(h, 60_000);
    const r = await l.send(new InvokeCommand({ FunctionName: "fn-invoke", Payload: Buffer.from('{"x":1}'), LogType: "Tail" }));
    assert.deepEqual([r.StatusCode, Buffer.from(r.Payload!).toString(), r.ExecutedVersion], [200, '{"ok":true}', "$LATEST"]);
    assert.match(Buffer.from(r.LogResult!, "base64").toString(), /^START RequestId: /);
    const ev = await l.send(new InvokeCommand({ FunctionName: "fn-invoke", InvocationType: "Event" }));
    assert.equal(ev.StatusCode, 202);
  });

  it("refuses bad requests with Lambda's errors and changes nothing", async () => {
    const l = lambdaOf(h);
    await l.send(new CreateFunctionCommand(zipFunction("fn-dup")));
    await expectErrorNoChange(
      h,
      () => l.send(new CreateFunctionCommand(zipFunction("fn-dup"))),
      "ResourceConflictException",
      "Function already exist: fn-dup",
      409,
    );
    await expectErrorNoChange(
      h,
      () => l.send(new GetFunctionConfigurationCommand({ FunctionName: "nope" })),
      "ResourceNotFoundException",
      `Function not found: ${arnOf("nope")}`,
      404,
    );
    await expectErrorNoChange(
      h,
      () => l.send(new CreateFunctionCommand(zipFunction("fn-badzip", { Code: { ZipFile: Buffer.from("not a zip") } }))),
      "InvalidParameterValueException",
      "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
    await expectErrorNoChange(
      h,
      () => l.send(new CreateFunctionCommand(zipFunction("fn-noruntime", { Runtime: undefined }))),
      "InvalidParameterValueException",
      "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
    );
    await expectErrorNoChange(
      h,
      () => l.send(new CreateFunctionCommand(zipFunction("fn-badrole", { Role: "not-a-role" }))),
      "ValidationException",
      /^1 validation error detected: Value 'not-a-role' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
    await expectErrorNoChange(
      h,
      () => l.send(new CreateFunctionCommand(zipFunction("fn-mem", { MemorySize: 64 }))),
      "ValidationException",
      "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    );
  });

  it("answers an unknown path 404 UnknownOperationException and a real unbuilt operation UnsupportedOperation", async () => {
    const auth = "AWS4-HMAC-SHA256 Credential=test/20261203/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00";
    const unknown = await fetch(`${h.vpc.url}/2015-03-31/nothing`, { headers: { authorization: auth } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get("x-amzn-errortype"), "UnknownOperationException");
    assert.deepEqual(await unknown.json(), { Type: "User", message: "Unknown operation GET /2015-03-31/nothing" });
    const unbuilt = await fetch(`${h.vpc.url}/2015-03-31/functions/f/aliases`, { headers: { authorization: auth } });
    assert.equal(unbuilt.status, 400);
    assert.equal(unbuilt.headers.get("x-amzn-errortype"), "UnsupportedOperation");
  });
});

describe("Lambda in a VPC: Hyperplane ENIs", () => {
  const h = useHarness();

  it("shares one requester-managed ENI per (subnet, group set), blocks DeleteSubnet while it exists, and releases it after the delay", async () => {
    const l = lambdaOf(h);
    const { vpcId, subnetId, sgId } = await createNetwork(h, "10.71.0.0/16", "10.71.1.0/24");
    const { GroupId: sg2 } = await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "fn-sg", Description: "d" }));
    const vpcConfig = { SubnetIds: [subnetId], SecurityGroupIds: [sgId] };
    const a = await l.send(new CreateFunctionCommand(zipFunction("fn-a", { VpcConfig: vpcConfig })));
    assert.deepEqual(a.VpcConfig, { SubnetIds: [subnetId], SecurityGroupIds: [sgId], VpcId: vpcId, Ipv6AllowedForDualStack: false });
    await l.send(new CreateFunctionCommand(zipFunction("fn-b", { VpcConfig: vpcConfig })));
    let enis = await lambdaEnis(h, vpcId);
    assert.equal(enis.length, 1, "two functions with one combination share one ENI");
    const eni = enis[0]!;
    assert.deepEqual(
      [eni.InterfaceType, eni.RequesterManaged, eni.Status, eni.SubnetId, eni.Groups?.map((g) => g.GroupId)],
      ["lambda", true, "in-use", subnetId, [sgId]],
    );
    assert.match(eni.Description!, /^AWS Lambda VPC ENI-fn-a-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await l.send(new CreateFunctionCommand(zipFunction("fn-c", { VpcConfig: { SubnetIds: [subnetId], SecurityGroupIds: [sgId, sg2!] } })));
    enis = await lambdaEnis(h, vpcId);
    assert.equal(enis.length, 2, "another group set is another combination");
    await advance(h, 60_000);
    assert.equal((await l.send(new GetFunctionConfigurationCommand({ FunctionName: "fn-a" }))).State, "Active");

    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId })),
      "DependencyViolation",
      `The subnet '${subnetId}' has dependencies and cannot be deleted.`,
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg2! })),
      "DependencyViolation",
      `resource ${sg2!} has a dependent object`,
    );

    for (const name of ["fn-a", "fn-b", "fn-c"]) await l.send(new DeleteFunctionCommand({ FunctionName: name }));
    assert.equal((await lambdaEnis(h, vpcId)).length, 2, "Lambda keeps an unused ENI for a while");
    await advance(h, 19 * 60_000);
    assert.equal((await lambdaEnis(h, vpcId)).length, 2);
    await advance(h, 2 * 60_000);
    assert.equal((await lambdaEnis(h, vpcId)).length, 0, "…and deletes it after the delay");
    await h.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg2! }));
    await h.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
  });

  it("refuses VpcConfig problems with Lambda's InvalidParameterValueException and changes nothing", async () => {
    const l = lambdaOf(h);
    const n1 = await createNetwork(h, "10.72.0.0/16", "10.72.1.0/24");
    const n2 = await createNetwork(h, "10.73.0.0/16", "10.73.1.0/24");
    const cases: [CreateFunctionCommandInput["VpcConfig"], string, string | RegExp][] = [
      [
        { SubnetIds: [n1.subnetId], SecurityGroupIds: [] },
        "InvalidParameterValueException",
        "SubnetIds and SecurityIds must coexist or be both empty list.",
      ],
      [
        { SubnetIds: ["subnet-0123456789abcdef0"], SecurityGroupIds: [n1.sgId] },
        "InvalidParameterValueException",
        "Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID 'subnet-0123456789abcdef0' does not exist",
      ],
      [
        { SubnetIds: [n1.subnetId], SecurityGroupIds: ["sg-0123456789abcdef0"] },
        "InvalidParameterValueException",
        "Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group 'sg-0123456789abcdef0' does not exist",
      ],
      [
        { SubnetIds: [n1.subnetId, n2.subnetId], SecurityGroupIds: [n1.sgId] },
        "InvalidParameterValueException",
        "The provided subnets must all belong to the same VPC.",
      ],
      [
        { SubnetIds: [n1.subnetId], SecurityGroupIds: [n2.sgId] },
        "InvalidParameterValueException",
        `The security group ${n2.sgId} does not belong to the subnets' VPC ${n1.vpcId}.`,
      ],
      [
        {
          SubnetIds: Array.from({ length: 17 }, (_, i) => `subnet-0123456789abcde${i.toString(16).padStart(2, "0")}`),
          SecurityGroupIds: [n1.sgId],
        },
        "ValidationException",
        /^1 validation error detected: Value '.*' at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must have length less than or equal to 16$/,
      ],
      [
        { SubnetIds: [n1.subnetId], SecurityGroupIds: Array.from({ length: 6 }, (_, i) => `sg-0123456789abcdef${i}`) },
        "ValidationException",
        /^1 validation error detected: Value '.*' at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must have length less than or equal to 5$/,
      ],
    ];
    for (const [vpcConfig, code, message] of cases) {
      await expectErrorNoChange(h, () => l.send(new CreateFunctionCommand(zipFunction("fn-vpc", { VpcConfig: vpcConfig }))), code, message);
    }
  });

  it("a subnet out of addresses leaves the function Failed with SubnetOutOfIPAddresses", async () => {
    const l = lambdaOf(h);
    const { Vpc } = await h.ec2.send(new CreateVpcCommand({ CidrBlock: "10.74.0.0/16" }));
    const { Subnet } = await h.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: "10.74.1.0/28", AvailabilityZone: "us-east-1a" }),
    );
    const subnetId = Subnet!.SubnetId!;
    const { GroupId } = await h.ec2.send(new CreateSecurityGroupCommand({ VpcId: Vpc!.VpcId!, GroupName: "full", Description: "d" }));
    // A /28 has 11 usable addresses: take them all.
    for (let i = 0; i < 11; i++) await h.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
    const f = await l.send(
      new CreateFunctionCommand(zipFunction("fn-full", { VpcConfig: { SubnetIds: [subnetId], SecurityGroupIds: [GroupId!] } })),
    );
    assert.equal(f.State, "Pending");
    await advance(h, 60_000);
    const c = await l.send(new GetFunctionConfigurationCommand({ FunctionName: "fn-full" }));
    assert.deepEqual([c.State, c.StateReasonCode, c.LastUpdateStatus], ["Failed", "SubnetOutOfIPAddresses", "Failed"]);
    assert.equal((await lambdaEnis(h, Vpc!.VpcId!)).length, 0);
  });

  it("an idle function goes Inactive (its ENI reclaimed); Invoke fails, restores it, and it comes back Active", async () => {
    const l = lambdaOf(h);
    const { vpcId, subnetId, sgId } = await createNetwork(h, "10.75.0.0/16", "10.75.1.0/24");
    await l.send(new CreateFunctionCommand(zipFunction("fn-idle", { VpcConfig: { SubnetIds: [subnetId], SecurityGroupIds: [sgId] } })));
    await advance(h, 60_000);
    await advance(h, 15 * 24 * 3600_000);
    const c = await l.send(new GetFunctionConfigurationCommand({ FunctionName: "fn-idle" }));
    assert.deepEqual([c.State, c.StateReasonCode], ["Inactive", "Idle"]);
    assert.equal((await lambdaEnis(h, vpcId)).length, 0, "the ENI of an idle function is reclaimed");
    await expectError(
      l.send(new InvokeCommand({ FunctionName: "fn-idle" })),
      "ResourceConflictException",
      `The operation cannot be performed at this time. The resource ${arnOf("fn-idle")} is currently in the following state: 'Inactive'. StateReasonCode: 'Idle'`,
      409,
    );
    const restoring = await l.send(new GetFunctionConfigurationCommand({ FunctionName: "fn-idle" }));
    assert.deepEqual([restoring.State, restoring.StateReasonCode], ["Pending", "Restoring"]);
    assert.equal((await lambdaEnis(h, vpcId)).length, 1);
    await advance(h, 60_000);
    const r = await l.send(new InvokeCommand({ FunctionName: "fn-idle" }));
    assert.equal(r.StatusCode, 200);
  });

  it("a restore that cannot recreate the ENI (its subnet was deleted meanwhile) leaves the function Inactive with InvalidSubnet", async () => {
    const l = lambdaOf(h);
    const { vpcId, sgId } = await createNetwork(h, "10.77.0.0/16", "10.77.1.0/24");
    const subnetId = (
      await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.77.2.0/24", AvailabilityZone: "us-east-1b" }))
    ).Subnet!.SubnetId!;
    await l.send(new CreateFunctionCommand(zipFunction("fn-gone", { VpcConfig: { SubnetIds: [subnetId], SecurityGroupIds: [sgId] } })));
    await advance(h, 60_000);
    await advance(h, 15 * 24 * 3600_000);
    // The idle function's ENI was reclaimed, so the subnet can go.
    await h.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    await expectError(
      l.send(new InvokeCommand({ FunctionName: "fn-gone" })),
      "ResourceConflictException",
      /is currently in the following state: 'Inactive'/,
      409,
    );
    await advance(h, 60_000);
    const c = await l.send(new GetFunctionConfigurationCommand({ FunctionName: "fn-gone" }));
    assert.deepEqual([c.State, c.StateReasonCode], ["Inactive", "InvalidSubnet"]);
  });

  it("data plane: a function in a private subnet reaches the internet only through a NAT gateway, and nothing connects to its ENI", async () => {
    const l = lambdaOf(h);
    const net = await createNetwork(h, "10.76.0.0/16", "10.76.1.0/24");
    const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
    const publicRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: net.subnetId }));
    const priv = (
      await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.76.2.0/24", AvailabilityZone: "us-east-1a" }))
    ).Subnet!.SubnetId!;
    const privRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: privRtb, SubnetId: priv }));
    await l.send(new CreateFunctionCommand(zipFunction("fn-net", { VpcConfig: { SubnetIds: [priv], SecurityGroupIds: [net.sgId] } })));
    await advance(h, 60_000);

    const noRoute = await trafficSend(h, { from: "lambda:fn-net", to: "203.0.113.5", proto: "tcp", port: 443 });
    assert.deepEqual([noRoute.delivered, noRoute.reason], [false, "NO_ROUTE_TO_DESTINATION"]);

    const { AllocationId } = await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const nat = (await h.ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId }))).NatGateway!.NatGatewayId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: privRtb, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: nat }));
    const out = await trafficSend(h, { from: "lambda:fn-net", to: "203.0.113.5", proto: "tcp", port: 443 });
    assert.equal(out.delivered, true, out.explanation);
    assert.equal(out.reply?.delivered, true);

    const lambdaEni = (await lambdaEnis(h, net.vpcId))[0]!.NetworkInterfaceId!;
    // An instance in the same subnet and group (the default group allows its own members in) still cannot connect.
    const peer = (
      await h.ec2.send(
        new RunInstancesCommand({ ImageId: "ami-0a1b2c3d4e5f60001", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: priv }),
      )
    ).Instances![0]!.InstanceId!;
    const inbound = await trafficSend(h, { from: peer, to: lambdaEni, proto: "tcp", port: 443 });
    assert.deepEqual([inbound.delivered, inbound.reason], [false, "EMU_LAMBDA_ENI_INBOUND"]);
  });
});
