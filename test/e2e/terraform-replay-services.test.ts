/**
 * Terraform replay for the services (issues 17 and 20): the Lambda and ELBv2 call sequences terraform-provider-aws
 * sends for aws_lambda_function (with vpc_config), aws_lb (network, subnet_mapping with allocation_id),
 * aws_lb_target_group, aws_lb_listener and aws_lb_target_group_attachment, replayed with the JS SDK clients:
 * create → waiter → read → an update → delete → the delete waiter. Each step sends what the provider sends and
 * asserts what the provider reads back, including its reads of features localvpc does not model (answered as AWS
 * answers when the feature is not configured). docs/terraform-call-sequences-services.md lists the sequences.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkInterfacesCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionRecursionConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  GetRuntimeManagementConfigCommand,
  LambdaClient,
  LambdaServiceException,
  ListVersionsByFunctionCommand,
  PutFunctionConcurrencyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionConfigurationCommand,
  type GetFunctionCommandOutput,
} from "@aws-sdk/client-lambda";
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeCapacityReservationCommand,
  DescribeListenerAttributesCommand,
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  ModifyCapacityReservationCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { adminCall, expectErrorNoChange, useHarness, type Harness } from "./harness.js";

const ACCOUNT = "000000000000";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
/** An empty zip archive (the end-of-central-directory record alone): what `filename` points at. */
const ZIP = Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64");
const fnArn = (name: string): string => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

const clientConfig = (h: Harness) => ({
  endpoint: h.vpc.url,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "x" },
  maxAttempts: 1,
});

/** The provider's waiters poll with a 5 s delay (lambda) / 10 s minimum (elbv2): that much simulated time passes. */
const advance = async (h: Harness, ms: number): Promise<void> => {
  const r = await adminCall(h, "POST", "clock/advance", { ms });
  assert.equal(r.status, 200);
};

/** The error name of a rejected call, or undefined when it succeeded. */
const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (e instanceof LambdaServiceException || e instanceof ElasticLoadBalancingV2ServiceException) return e.name;
    throw e;
  }
};

/**
 * retry.StateChangeConf: refresh() answers the state or undefined (NotFound); pending states keep polling (each poll
 * lets `delayMs` of simulated time pass, the provider's Delay); target [] succeeds on NotFound.
 */
const waitFor = async (
  h: Harness,
  what: string,
  refresh: () => Promise<string | undefined>,
  pending: string[],
  target: string[],
  delayMs: number,
): Promise<string[]> => {
  const seen: string[] = [];
  for (let i = 0; i < 30; i++) {
    const s = await refresh();
    seen.push(s ?? "<not found>");
    if (s === undefined) {
      if (target.length === 0) return seen;
    } else if (target.includes(s)) return seen;
    else assert.ok(pending.includes(s), `${what}: unexpected state ${s} (${seen.join(" → ")})`);
    await advance(h, delayMs);
  }
  return assert.fail(`${what}: never reached ${target.join("|") || "NotFound"} (${seen.join(" → ")})`);
};

/** ELBv2's `[{Key, Value}]` attributes as a map. */
const attributeMap = (attrs: readonly { Key?: string | undefined; Value?: string | undefined }[]): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  for (const a of attrs) out[a.Key ?? ""] = a.Value;
  return out;
};

/** A VPC with an internet gateway and two subnets in two zones, plus a security group. */
const network = async (h: Harness, cidr: string) => {
  const vpcId = (await h.ec2.send(new CreateVpcCommand({ CidrBlock: `${cidr}.0.0/16` }))).Vpc!.VpcId!;
  const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const subnet = async (n: number, az: string): Promise<string> =>
    (await h.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${cidr}.${n}.0/24`, AvailabilityZone: az }))).Subnet!.SubnetId!;
  const subnetA = await subnet(1, "us-east-1a");
  const subnetB = await subnet(2, "us-east-1b");
  const sgId = (
    await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: `tf-replay-${cidr}`, Description: "Managed by Terraform", VpcId: vpcId }))
  ).GroupId!;
  return { vpcId, subnetA, subnetB, sgId };
};

describe("Terraform replay: aws_lambda_function with vpc_config", () => {
  const h = useHarness();

  it("create → waitFunctionCreated → read (GetFunction, ListVersionsByFunction, GetFunctionCodeSigningConfig) → update → delete", async () => {
    const lambda = new LambdaClient(clientConfig(h));
    const n = await network(h, "10.61");
    const name = "tf-replay-fn";

    // resourceFunctionCreate: CreateFunction with what the provider always sends (Description, MemorySize, Publish,
    // PackageType, Timeout, Tags) plus Handler/Runtime for Zip and the vpc_config block (Ipv6AllowedForDualStack false).
    const created = await lambda.send(
      new CreateFunctionCommand({
        Code: { ZipFile: ZIP },
        Description: "",
        FunctionName: name,
        MemorySize: 128,
        PackageType: "Zip",
        Publish: false,
        Role: ROLE,
        Tags: { Name: name },
        Timeout: 3,
        Handler: "index.handler",
        Runtime: "nodejs20.x",
        VpcConfig: { Ipv6AllowedForDualStack: false, SecurityGroupIds: [n.sgId], SubnetIds: [n.subnetA, n.subnetB] },
      }),
    );
    assert.equal(created.State, "Pending");

    // RetryWhenNotFound(findFunctionByName), then waitFunctionCreated: Pending → Active | ActiveNonInvocable.
    const getFunction = (): Promise<GetFunctionCommandOutput> => lambda.send(new GetFunctionCommand({ FunctionName: name }));
    const state = async (): Promise<string | undefined> => {
      try {
        return (await getFunction()).Configuration?.State;
      } catch (e) {
        if (e instanceof LambdaServiceException && e.name === "ResourceNotFoundException") return undefined;
        throw e;
      }
    };
    const seen = await waitFor(h, "function created", state, ["Pending"], ["Active", "ActiveNonInvocable"], 5000);
    assert.equal(seen.at(-1), "Active");
    // reserved_concurrent_executions defaults to -1: no PutFunctionConcurrency.

    // resourceFunctionRead: findFunction wants Code and Configuration; Concurrency absent → reserved -1; tags from Tags.
    const read = await getFunction();
    assert.ok(read.Code && read.Configuration, "GetFunction answers Code and Configuration");
    assert.equal(read.Configuration.FunctionArn, fnArn(name));
    assert.equal(read.Configuration.VpcConfig?.VpcId, n.vpcId);
    assert.deepEqual([...(read.Configuration.VpcConfig.SubnetIds ?? [])].sort(), [n.subnetA, n.subnetB].sort());
    assert.deepEqual(read.Configuration.VpcConfig.SecurityGroupIds, [n.sgId]);
    assert.equal(read.Configuration.VpcConfig.Ipv6AllowedForDualStack, false);
    assert.equal(read.Configuration.TracingConfig?.Mode, "PassThrough");
    assert.equal(read.Concurrency, undefined);
    assert.deepEqual(read.Tags, { Name: name });

    // findLatestFunctionVersionByName: ListVersionsByFunction MaxItems=10000, the last entry of the last page.
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, MaxItems: 10000 }));
    assert.equal(versions.NextMarker, undefined);
    const latest = versions.Versions?.at(-1);
    assert.equal(latest?.Version, "$LATEST");
    assert.equal(latest.FunctionArn, `${fnArn(name)}:$LATEST`, "qualified_arn");

    // us-east-1 is a Signer region and the package is Zip: GetFunctionCodeSigningConfig, no config attached.
    const csc = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: name }));
    assert.equal(csc.CodeSigningConfigArn, "");
    assert.equal(csc.FunctionName, name);

    // Update: memory_size and timeout changed → UpdateFunctionConfiguration with those members only, then
    // waitFunctionUpdated (LastUpdateStatus InProgress → Successful), then Read again.
    const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 256, Timeout: 10 }));
    assert.equal(updated.LastUpdateStatus, "InProgress");
    const lastUpdate = async (): Promise<string | undefined> => (await getFunction()).Configuration?.LastUpdateStatus;
    assert.equal((await waitFor(h, "function updated", lastUpdate, ["InProgress"], ["Successful"], 5000)).at(-1), "Successful");
    const reread = await getFunction();
    assert.equal(reread.Configuration?.MemorySize, 256);
    assert.equal(reread.Configuration.Timeout, 10);
    // Tags: updateTags → UntagResource for removed keys, TagResource for added/changed ones.
    await lambda.send(new TagResourceCommand({ Resource: fnArn(name), Tags: { Env: "test" } }));
    await lambda.send(new UntagResourceCommand({ Resource: fnArn(name), TagKeys: ["Name"] }));
    assert.deepEqual((await getFunction()).Tags, { Env: "test" });

    // Delete: DeleteFunction (ResourceNotFoundException = already gone), then waitFunctionDeleted (target: NotFound).
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    const gone = await waitFor(
      h,
      "function deleted",
      state,
      ["Active", "ActiveNonInvocable", "Pending", "Inactive", "Failed", "Deleting"],
      [],
      5000,
    );
    assert.equal(gone.at(-1), "<not found>");
    assert.equal(await codeOf(lambda.send(new DeleteFunctionCommand({ FunctionName: name }))), "ResourceNotFoundException");
    lambda.destroy();
  });

  it("the reads of features localvpc does not model answer AWS's 'not configured' answers; their writes are refused", async () => {
    const lambda = new LambdaClient(clientConfig(h));
    const name = "tf-replay-features";
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: "python3.12", Handler: "app.handler", Code: { ZipFile: ZIP } }),
    );
    // GetFunctionConcurrency: no reserved concurrency → the member is omitted.
    const conc = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(conc.ReservedConcurrentExecutions, undefined);
    // GetPolicy (aws_lambda_permission's finder) and GetFunctionUrlConfig (aws_lambda_function_url's): not found.
    await expectErrorNoChange(
      h,
      () => lambda.send(new GetPolicyCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    await expectErrorNoChange(
      h,
      () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name })),
      "ResourceNotFoundException",
      "The resource you requested does not exist.",
      404,
    );
    const rt = await lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: name }));
    assert.equal(rt.UpdateRuntimeOn, "Auto");
    assert.equal(rt.FunctionArn, fnArn(name));
    assert.equal(rt.RuntimeVersionArn, undefined);
    const rec = await lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: name }));
    assert.equal(rec.RecursiveLoop, "Terminate");

    // Each read of a function that does not exist: Lambda's own NotFound.
    const missing = "tf-replay-missing";
    for (const call of [
      () => lambda.send(new ListVersionsByFunctionCommand({ FunctionName: missing })),
      () => lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: missing })),
      () => lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: missing })),
      () => lambda.send(new GetPolicyCommand({ FunctionName: missing })),
      () => lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: missing })),
      () => lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName: missing })),
      () => lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: missing })),
    ])
      await expectErrorNoChange(h, call, "ResourceNotFoundException", `Function not found: ${fnArn(missing)}`, 404);

    // A marker this service never handed out.
    await expectErrorNoChange(
      h,
      () => lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: "bm90LWEtbWFya2Vy" })),
      "InvalidParameterValueException",
      "The marker is not valid.",
    );

    // The writes that would configure them are not built: a clear "not implemented", nothing stored.
    await expectErrorNoChange(
      h,
      () => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 5 })),
      "UnsupportedOperation",
      'The Lambda operation PutFunctionConcurrency is valid but localvpc does not implement it yet. See README "Lambda in a VPC".',
    );
    await expectErrorNoChange(
      h,
      () =>
        lambda.send(
          new AddPermissionCommand({
            FunctionName: name,
            StatementId: "s3",
            Action: "lambda:InvokeFunction",
            Principal: "s3.amazonaws.com",
          }),
        ),
      "UnsupportedOperation",
      'The Lambda operation AddPermission is valid but localvpc does not implement it yet. See README "Lambda in a VPC".',
    );
    lambda.destroy();
  });
});

describe("Terraform replay: aws_lb (network, subnet_mapping allocation_id), aws_lb_target_group, aws_lb_listener, aws_lb_target_group_attachment", () => {
  const h = useHarness();

  it("create → read → update → delete for the four resources, in Terraform's dependency order", async () => {
    const elb = new ElasticLoadBalancingV2Client(clientConfig(h));
    const n = await network(h, "10.62");
    const eipA = (await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const eipB = (await h.ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
    const lbName = "tf-replay-nlb";

    // --- aws_lb create: the name must be free (findLoadBalancer by Names maps LoadBalancerNotFound to NotFound).
    assert.equal(await codeOf(elb.send(new DescribeLoadBalancersCommand({ Names: [lbName] }))), "LoadBalancerNotFoundException");
    const created = await elb.send(
      new CreateLoadBalancerCommand({
        Name: lbName,
        Tags: [{ Key: "Name", Value: lbName }],
        Type: "network",
        SubnetMappings: [
          { SubnetId: n.subnetA, AllocationId: eipA },
          { SubnetId: n.subnetB, AllocationId: eipB },
        ],
      }),
    );
    const lbArn = created.LoadBalancers![0]!.LoadBalancerArn!;
    const lbState = async (): Promise<string | undefined> => {
      try {
        const lbs = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers ?? [];
        assert.ok(lbs.length <= 1);
        return lbs[0]?.State?.Code;
      } catch (e) {
        if (e instanceof ElasticLoadBalancingV2ServiceException && e.name === "LoadBalancerNotFoundException") return undefined;
        throw e;
      }
    };
    // waitLoadBalancerActive: provisioning|failed → active.
    assert.equal((await waitFor(h, "lb active", lbState, ["provisioning", "failed"], ["active"], 10000)).at(-1), "active");
    // The attributes the provider sends on create for an NLB: access logs off and every NLB attribute of its map.
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lbArn,
        Attributes: [
          { Key: "access_logs.s3.enabled", Value: "false" },
          { Key: "dns_record.client_routing_policy", Value: "any_availability_zone" },
          { Key: "load_balancing.cross_zone.enabled", Value: "false" },
          { Key: "deletion_protection.enabled", Value: "false" },
          { Key: "zonal_shift.config.enabled", Value: "false" },
        ],
      }),
    );
    assert.equal((await waitFor(h, "lb active", lbState, ["provisioning", "failed"], ["active"], 10000)).at(-1), "active");

    // aws_lb read: DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeCapacityReservation, DescribeTags.
    const readLb = async () => {
      const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0]!;
      const attrs = (await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn }))).Attributes ?? [];
      const capacity = await elb.send(new DescribeCapacityReservationCommand({ LoadBalancerArn: lbArn }));
      const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn] }))).TagDescriptions ?? [];
      return { lb, attrs: attributeMap(attrs), capacity, tags };
    };
    const r1 = await readLb();
    assert.equal(r1.lb.LoadBalancerArn, lbArn);
    assert.equal(r1.lb.Scheme, "internet-facing", "internal = false");
    assert.equal(r1.lb.Type, "network");
    assert.equal(r1.lb.VpcId, n.vpcId);
    // flattenSubnetMappingsFromAvailabilityZones: subnet_id and LoadBalancerAddresses[0].AllocationId per zone.
    const mappings = (r1.lb.AvailabilityZones ?? []).map((z) => ({ subnet: z.SubnetId, eip: z.LoadBalancerAddresses?.[0]?.AllocationId }));
    assert.deepEqual(
      mappings.sort((a, b) => String(a.subnet).localeCompare(String(b.subnet))),
      [
        { subnet: n.subnetA, eip: eipA },
        { subnet: n.subnetB, eip: eipB },
      ].sort((a, b) => a.subnet.localeCompare(b.subnet)),
    );
    assert.equal(r1.attrs["access_logs.s3.enabled"], "false");
    assert.equal(r1.attrs["load_balancing.cross_zone.enabled"], "false");
    assert.equal(r1.attrs["deletion_protection.enabled"], "false");
    assert.equal(r1.attrs["dns_record.client_routing_policy"], "any_availability_zone");
    // No LCU reservation: minimum_load_balancer_capacity is empty.
    assert.equal(r1.capacity.MinimumLoadBalancerCapacity, undefined);
    assert.deepEqual(r1.capacity.CapacityReservationState, []);
    assert.deepEqual(r1.tags, [{ ResourceArn: lbArn, Tags: [{ Key: "Name", Value: lbName }] }]);

    // --- aws_lb_target_group create (TCP, instance): name free, CreateTargetGroup, RetryWhenNotFound, attributes.
    const tgName = "tf-replay-tg";
    assert.equal(await codeOf(elb.send(new DescribeTargetGroupsCommand({ Names: [tgName] }))), "TargetGroupNotFoundException");
    const tgArn = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: tgName,
          Tags: [{ Key: "Name", Value: tgName }],
          TargetType: "instance",
          Port: 80,
          Protocol: "TCP",
          VpcId: n.vpcId,
        }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    assert.equal((await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups?.length, 1);
    // targetGroupAttributes.expand on create: only deregistration_delay (a nullable int with default "300") is set.
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tgArn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "300" }],
      }),
    );
    // aws_lb_target_group read: DescribeTargetGroups, DescribeTargetGroupAttributes, DescribeTags.
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups![0]!;
    assert.equal(tg.Protocol, "TCP");
    assert.equal(tg.Port, 80);
    assert.equal(tg.VpcId, n.vpcId);
    assert.equal(tg.TargetType, "instance");
    const tgAttrs = attributeMap((await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }))).Attributes ?? []);
    assert.equal(tgAttrs["deregistration_delay.timeout_seconds"], "300");
    assert.equal(tgAttrs["stickiness.enabled"], "false");
    assert.equal(tgAttrs["stickiness.type"], "source_ip");
    assert.equal(tgAttrs["proxy_protocol_v2.enabled"], "false");
    assert.equal(tgAttrs["preserve_client_ip.enabled"], "true");
    assert.deepEqual((await elb.send(new DescribeTagsCommand({ ResourceArns: [tgArn] }))).TagDescriptions?.[0]?.Tags, [
      { Key: "Name", Value: tgName },
    ]);

    // --- aws_lb_listener create: CreateListener (Order 1 on the forward action), found by ARN, then read.
    const listenerArn = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Port: 80,
          Protocol: "TCP",
          DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn, Order: 1 }],
          Tags: [{ Key: "Name", Value: "tf-replay-listener" }],
        }),
      )
    ).Listeners![0]!.ListenerArn!;
    const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners![0]!;
    assert.equal(listener.Port, 80);
    assert.equal(listener.Protocol, "TCP");
    assert.equal(listener.DefaultActions?.[0]?.TargetGroupArn, tgArn);
    assert.equal(listener.DefaultActions[0].Order, 1);
    const lAttrs = (await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: listenerArn }))).Attributes ?? [];
    assert.deepEqual(lAttrs, [{ Key: "tcp.idle_timeout.seconds", Value: "350" }]);
    assert.deepEqual((await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: listenerArn }))).Certificates, []);
    await expectErrorNoChange(
      h,
      () => elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: listenerArn, Marker: "bm90LWEtbWFya2Vy" })),
      "ValidationError",
      "The marker is not valid",
    );
    assert.deepEqual((await elb.send(new DescribeTagsCommand({ ResourceArns: [listenerArn] }))).TagDescriptions?.[0]?.Tags, [
      { Key: "Name", Value: "tf-replay-listener" },
    ]);
    // The target group now lists its load balancer (load_balancer_arns).
    assert.deepEqual((await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups![0]!.LoadBalancerArns, [
      lbArn,
    ]);

    // --- aws_lb_target_group_attachment: RegisterTargets with the target id only (port from the group).
    const instanceId = (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0a1b2c3d4e5f60001",
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: n.subnetA,
        }),
      )
    ).Instances![0]!.InstanceId!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }));
    // Read: DescribeTargetHealth for that target; a reason other than NotRegistered/DeregistrationInProgress = present.
    const attachment = async () =>
      (
        (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] })))
          .TargetHealthDescriptions ?? []
      ).filter((d) => !["Target.DeregistrationInProgress", "Target.NotRegistered"].includes(String(d.TargetHealth?.Reason)));
    const present = await attachment();
    assert.equal(present.length, 1);
    assert.equal(present[0]!.Target?.Port, 80);

    // --- update aws_lb: tags (AddTags / RemoveTags) and enable_cross_zone_load_balancing = true, then wait and read.
    await elb.send(new AddTagsCommand({ ResourceArns: [lbArn], Tags: [{ Key: "Env", Value: "test" }] }));
    await elb.send(new RemoveTagsCommand({ ResourceArns: [lbArn], TagKeys: ["Name"] }));
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: lbArn,
        Attributes: [{ Key: "load_balancing.cross_zone.enabled", Value: "true" }],
      }),
    );
    assert.equal((await waitFor(h, "lb active", lbState, ["provisioning", "failed"], ["active"], 10000)).at(-1), "active");
    const r2 = await readLb();
    assert.equal(r2.attrs["load_balancing.cross_zone.enabled"], "true");
    assert.deepEqual(r2.tags[0]?.Tags, [{ Key: "Env", Value: "test" }]);
    // minimum_load_balancer_capacity is not built: its write is refused, nothing stored.
    await expectErrorNoChange(
      h,
      () => elb.send(new ModifyCapacityReservationCommand({ LoadBalancerArn: lbArn, MinimumLoadBalancerCapacity: { CapacityUnits: 100 } })),
      "UnsupportedOperation",
      "The Elastic Load Balancing action ModifyCapacityReservation is valid but localvpc does not implement it yet. See COVERAGE.md.",
    );

    // --- destroy, dependents first: the attachment, the listener, the target group, the load balancer.
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: instanceId }] }));
    assert.deepEqual(await attachment(), [], "a deregistered target reads as gone");
    await elb.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    assert.equal(await codeOf(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))), "TargetGroupNotFoundException");
    const shortName = lbArn.split(":loadbalancer/")[1]!; // net/NAME/ID
    const eniCount = async (owner: string): Promise<number> =>
      (
        (
          await h.ec2.send(
            new DescribeNetworkInterfacesCommand({
              Filters: [
                { Name: "attachment.instance-owner-id", Values: [owner] },
                { Name: "description", Values: [`ELB ${shortName}`] },
              ],
            }),
          )
        ).NetworkInterfaces ?? []
      ).length;
    // An NLB's ENIs are attached with owner amazon-aws (an ALB's, amazon-elb): the filter Terraform's NLB delete polls.
    assert.equal(await eniCount("amazon-aws"), 2, "one ENI per subnet mapping before the delete");
    assert.equal(await eniCount("amazon-elb"), 0);
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));
    // waitForALBNetworkInterfacesToDetach / waitForNLBNetworkInterfacesToDetach: until no ENI is left.
    assert.equal(await eniCount("amazon-elb"), 0);
    assert.equal(await eniCount("amazon-aws"), 0);
    assert.equal(await lbState(), undefined);
    elb.destroy();
  });

  it("the new reads of a load balancer or listener that does not exist answer ELBv2's NotFound", async () => {
    const elb = new ElasticLoadBalancingV2Client(clientConfig(h));
    const lbArn = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/net/nope/0123456789abcdef`;
    const lArn = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:listener/net/nope/0123456789abcdef/0123456789abcdef`;
    await expectErrorNoChange(
      h,
      () => elb.send(new DescribeCapacityReservationCommand({ LoadBalancerArn: lbArn })),
      "LoadBalancerNotFoundException",
      "One or more load balancers not found",
    );
    await expectErrorNoChange(
      h,
      () => elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: lArn })),
      "ListenerNotFoundException",
      "One or more listeners not found",
    );
    elb.destroy();
  });
});
