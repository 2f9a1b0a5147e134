/**
 * The scenarios of issue 17: the managed ENIs that AWS's Hyperplane services put in a customer's VPC, driven through
 * those services' own APIs (Lambda's REST-JSON, ELBv2's Query) and EC2's, like any client.
 *   - lambda-in-vpc: two functions with one (subnet, security groups) combination share one Hyperplane ENI; the
 *     subnet cannot be deleted under it; a private subnet reaches the internet only through a NAT gateway; nothing
 *     connects in to the ENI.
 *   - nlb-byoip: an internet-facing NLB on an Elastic IP from the customer's own /24; its target is unhealthy, then
 *     healthy but still unreachable (the NLB keeps the client's address), then reached; withdrawing the range from
 *     BGP cuts the internet off, advertising it again brings it back.
 */
import { asList, asObject, asString, type XmlObject } from "./ec2-query.js";
import { Ec2CallError } from "./ec2-query.js";
import {
  advertise,
  byoipState,
  check,
  createSubnet,
  createVpc,
  describeInstance,
  expectDelivered,
  expectDropped,
  fact,
  hopsName,
  inRange,
  launch,
  nameTags,
  prepareRegistry,
  provision,
  receiverOf,
  routesOf,
  send,
  waitFor,
  waitRunning,
  type Scenario,
  type ScenarioContext,
  type Step,
} from "./scenarios.js";
import { jsonList, jsonObject, jsonString, type JsonObject } from "./service-clients.js";

// ------------------------------------------------------------------ shared EC2 pieces

const createIgw = async (ctx: ScenarioContext, vpcId: string, name: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateInternetGateway", nameTags("internet-gateway", name));
  const igw = asString(asObject(r["internetGateway"])["internetGatewayId"]);
  await ctx.ec2.call("AttachInternetGateway", { InternetGatewayId: igw, VpcId: vpcId });
  return igw;
};

/** A route table of its own for `subnetId` (so the subnet's routes are exactly the ones the scenario adds). */
const ownRouteTable = async (ctx: ScenarioContext, vpcId: string, subnetId: string, name: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateRouteTable", { VpcId: vpcId, ...nameTags("route-table", name) });
  const rt = asString(asObject(r["routeTable"])["routeTableId"]);
  await ctx.ec2.call("AssociateRouteTable", { RouteTableId: rt, SubnetId: subnetId });
  return rt;
};

/** A security group; `ingress` opens one TCP port to one CIDR (none: the group lets nothing in). */
const createGroup = async (
  ctx: ScenarioContext,
  vpcId: string,
  name: string,
  description: string,
  ingress?: { port: number; cidr: string },
): Promise<string> => {
  const r = await ctx.ec2.call("CreateSecurityGroup", { GroupName: `${name}-${ctx.run}`, GroupDescription: description, VpcId: vpcId });
  const groupId = asString(r["groupId"]);
  if (ingress) await allowTcp(ctx, groupId, ingress.port, ingress.cidr);
  return groupId;
};

const allowTcp = async (ctx: ScenarioContext, groupId: string, port: number, cidr: string): Promise<void> => {
  await ctx.ec2.call("AuthorizeSecurityGroupIngress", {
    GroupId: groupId,
    "IpPermissions.1.IpProtocol": "tcp",
    "IpPermissions.1.FromPort": port,
    "IpPermissions.1.ToPort": port,
    "IpPermissions.1.IpRanges.1.CidrIp": cidr,
  });
};

const advanceClock = async (ctx: ScenarioContext, ms: number): Promise<void> => {
  await ctx.admin("POST", "clock/advance", { ms });
};

const enisWhere = async (ctx: ScenarioContext, filters: Readonly<Record<string, string>>): Promise<XmlObject[]> => {
  const params: Record<string, string> = {};
  Object.entries(filters).forEach(([name, value], i) => {
    params[`Filter.${i + 1}.Name`] = name;
    params[`Filter.${i + 1}.Value.1`] = value;
  });
  return asList((await ctx.ec2.call("DescribeNetworkInterfaces", params))["networkInterfaceSet"]);
};

const groupIdsOf = (eni: XmlObject): string[] => asList(eni["groupSet"]).map((g) => asString(g["groupId"]));

// ------------------------------------------------------------------ lambda-in-vpc

/** An empty zip archive (the end-of-central-directory record alone): a valid package; localvpc runs no code. */
const EMPTY_ZIP_BASE64 = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";
const FUNCTIONS = ["api", "worker"] as const;

const functionName = (ctx: ScenarioContext, short: string): string => `${short}-${ctx.run}`;
const functionPath = (name: string, tail = ""): string => `/2015-03-31/functions/${encodeURIComponent(name)}${tail}`;

const functionConfiguration = (ctx: ScenarioContext, name: string): Promise<JsonObject> =>
  ctx.lambda.call("GetFunctionConfiguration", "GET", functionPath(name, "/configuration"));

const lambdaInVpc: Scenario = {
  name: "lambda-in-vpc",
  description:
    "Lambda in a VPC: two functions with the same subnet and security groups share one Hyperplane ENI, which blocks deleting the subnet; the private subnet reaches the internet only once it routes through a NAT gateway; nothing connects in to the ENI.",
  steps: [
    {
      title: "Create a VPC with a public subnet (internet gateway, NAT gateway) and a private subnet (its own route table, local only)",
      run: async (ctx) => {
        const vpc = await createVpc(ctx, "10.70.0.0/16", `lambda-in-vpc-${ctx.run}`);
        ctx.facts["vpc"] = vpc;
        ctx.facts["publicSubnet"] = await createSubnet(ctx, vpc, "10.70.1.0/24", `lambda-public-${ctx.run}`);
        ctx.facts["privateSubnet"] = await createSubnet(ctx, vpc, "10.70.2.0/24", `lambda-private-${ctx.run}`);
        ctx.facts["igw"] = await createIgw(ctx, vpc, `lambda-${ctx.run}`);
        ctx.facts["publicRt"] = await ownRouteTable(ctx, vpc, fact(ctx, "publicSubnet"), `lambda-public-${ctx.run}`);
        await ctx.ec2.call("CreateRoute", {
          RouteTableId: fact(ctx, "publicRt"),
          DestinationCidrBlock: "0.0.0.0/0",
          GatewayId: fact(ctx, "igw"),
        });
        const eip = await ctx.ec2.call("AllocateAddress", { Domain: "vpc" });
        const nat = await ctx.ec2.call("CreateNatGateway", {
          SubnetId: fact(ctx, "publicSubnet"),
          AllocationId: asString(eip["allocationId"]),
          ...nameTags("natgateway", `lambda-${ctx.run}`),
        });
        ctx.facts["nat"] = asString(asObject(nat["natGateway"])["natGatewayId"]);
        ctx.facts["natIp"] = asString(eip["publicIp"]);
        await waitFor(`${fact(ctx, "nat")} available`, async () => {
          const d = await ctx.ec2.call("DescribeNatGateways", { "NatGatewayId.1": fact(ctx, "nat") });
          return asString(asList(d["natGatewaySet"])[0]?.["state"]) === "available";
        });
        ctx.facts["privateRt"] = await ownRouteTable(ctx, vpc, fact(ctx, "privateSubnet"), `lambda-private-${ctx.run}`);
        const routes = await routesOf(ctx, fact(ctx, "privateRt"));
        check(
          routes.every((r) => asString(r["gatewayId"]) === "local"),
          `the private route table ${fact(ctx, "privateRt")} routes something else than local`,
        );
        return `${vpc}: public ${fact(ctx, "publicSubnet")} (${fact(ctx, "publicRt")}: 0.0.0.0/0 → ${fact(ctx, "igw")}; ${fact(ctx, "nat")} at ${fact(ctx, "natIp")}), private ${fact(ctx, "privateSubnet")} (${fact(ctx, "privateRt")}: local only)`;
      },
    },
    {
      title: "Create the functions' security group: all outbound, and inbound tcp/443 from the VPC",
      run: async (ctx) => {
        ctx.facts["fnGroup"] = await createGroup(ctx, fact(ctx, "vpc"), "functions", "Lambda functions (lambda-in-vpc)", {
          port: 443,
          cidr: "10.70.0.0/16",
        });
        return `${fact(ctx, "fnGroup")} (the inbound rule is there to show, later, that it does not matter: nothing connects in to a Lambda ENI)`;
      },
    },
    {
      title: "Create two functions, api and worker, with the same VpcConfig (private subnet, functions group); they turn Active",
      run: async (ctx) => {
        const lines: string[] = [];
        for (const short of FUNCTIONS) {
          const name = functionName(ctx, short);
          const created = await ctx.lambda.call("CreateFunction", "POST", "/2015-03-31/functions", {
            FunctionName: name,
            Runtime: "python3.12",
            Handler: "app.handler",
            Role: `arn:aws:iam::${ctx.account}:role/lambda-in-vpc`,
            Code: { ZipFile: EMPTY_ZIP_BASE64 },
            VpcConfig: { SubnetIds: [fact(ctx, "privateSubnet")], SecurityGroupIds: [fact(ctx, "fnGroup")] },
          });
          const vpcConfig = jsonObject(created["VpcConfig"]);
          check(jsonString(vpcConfig["VpcId"]) === fact(ctx, "vpc"), `${name}'s VpcConfig names ${jsonString(vpcConfig["VpcId"])}`);
          const first = `${jsonString(created["State"])}${created["StateReasonCode"] ? ` (${jsonString(created["StateReasonCode"])})` : ""}`;
          // Lambda creates the ENI while the function is Pending; it is Active once the ENI is there.
          let state = jsonString(created["State"]);
          await waitFor(`${name} Active`, async () => {
            state = jsonString((await functionConfiguration(ctx, name))["State"]);
            check(state !== "Failed", `${name} failed to become Active`);
            return state === "Active";
          });
          ctx.facts[short] = name;
          lines.push(`${name}: ${first} → ${state}`);
        }
        return lines.join("; ");
      },
    },
    {
      title: "The two functions share ONE Hyperplane ENI in the private subnet (one per subnet and security-group set)",
      run: async (ctx) => {
        const enis = await enisWhere(ctx, { "vpc-id": fact(ctx, "vpc"), "interface-type": "lambda" });
        check(enis.length === 1, `the VPC has ${enis.length} Lambda ENIs, expected one shared by both functions`);
        const eni = enis[0]!;
        const id = asString(eni["networkInterfaceId"]);
        check(asString(eni["subnetId"]) === fact(ctx, "privateSubnet"), `${id} is in ${asString(eni["subnetId"])}, not the private subnet`);
        check(groupIdsOf(eni).join() === fact(ctx, "fnGroup"), `${id}'s groups are ${groupIdsOf(eni).join() || "none"}`);
        check(asString(eni["requesterManaged"]) === "true", `${id} is not requester-managed`);
        check(asString(eni["status"]) === "in-use", `${id} is ${asString(eni["status"])}, not in-use`);
        check(asString(eni["description"]).startsWith("AWS Lambda VPC ENI-"), `${id}'s description is ${asString(eni["description"])}`);
        for (const short of FUNCTIONS) {
          const name = functionName(ctx, short);
          const v = jsonObject((await functionConfiguration(ctx, name))["VpcConfig"]);
          check(
            jsonList(v["SubnetIds"]).map(jsonString).join() === fact(ctx, "privateSubnet") &&
              jsonList(v["SecurityGroupIds"]).map(jsonString).join() === fact(ctx, "fnGroup"),
            `${name}'s VpcConfig is not (${fact(ctx, "privateSubnet")}, ${fact(ctx, "fnGroup")})`,
          );
        }
        ctx.facts["lambdaEni"] = id;
        ctx.facts["lambdaIp"] = asString(eni["privateIpAddress"]);
        return `${id} at ${fact(ctx, "lambdaIp")} ("${asString(eni["description"])}", interface type ${asString(eni["interfaceType"])}, requester-managed by ${asString(eni["requesterId"])}) serves both ${FUNCTIONS.map((f) => functionName(ctx, f)).join(" and ")}: Lambda makes one ENI per (subnet, security groups) combination, not one per function`;
      },
    },
    {
      title: "Deleting the private subnet is refused while the Hyperplane ENI is in it",
      run: async (ctx) => {
        const subnet = fact(ctx, "privateSubnet");
        let refused: Ec2CallError | undefined;
        try {
          await ctx.ec2.call("DeleteSubnet", { SubnetId: subnet });
        } catch (e) {
          if (!(e instanceof Ec2CallError)) throw e;
          refused = e;
        }
        check(refused !== undefined, `DeleteSubnet ${subnet} succeeded under the Lambda ENI ${fact(ctx, "lambdaEni")}`);
        check(refused!.code === "DependencyViolation", `DeleteSubnet ${subnet} answered ${refused!.code}, expected DependencyViolation`);
        const still = await ctx.ec2.call("DescribeSubnets", { "SubnetId.1": subnet });
        check(asList(still["subnetSet"]).length === 1, `${subnet} is gone after a refused DeleteSubnet`);
        return `DeleteSubnet ${subnet}: ${refused!.code}: ${refused!.awsMessage} (${fact(ctx, "lambdaEni")} is Lambda's; it goes away only after the last function using it is deleted or moved, and the ENI's delay has passed)`;
      },
    },
    {
      title: "Without a route to the NAT gateway, a function cannot reach the internet",
      run: async (ctx) => {
        const from = `lambda:${functionName(ctx, "api")}`;
        const v = await send(ctx, from, "internet", 443);
        check(!v.delivered, `tcp/443 from ${from} to the internet was delivered without a NAT route`);
        check(v.reason === "NO_ROUTE_TO_DESTINATION", `the drop is ${v.reason ?? "unexplained"}, expected NO_ROUTE_TO_DESTINATION`);
        return `${from} → internet:443 dropped (${v.reason}): ${v.explanation} A Lambda ENI never gets a public address, so a function in a VPC reaches the internet only through a NAT gateway.`;
      },
    },
    {
      title: "Route the private subnet's 0.0.0.0/0 to the NAT gateway: both functions reach the internet through it",
      run: async (ctx) => {
        await ctx.ec2.call("CreateRoute", {
          RouteTableId: fact(ctx, "privateRt"),
          DestinationCidrBlock: "0.0.0.0/0",
          NatGatewayId: fact(ctx, "nat"),
        });
        const lines: string[] = [];
        for (const short of FUNCTIONS) {
          const from = `lambda:${functionName(ctx, short)}`;
          const v = await send(ctx, from, "internet", 443);
          check(v.delivered, `tcp/443 from ${from} to the internet was dropped (${v.reason ?? ""}): ${v.explanation}`);
          check(hopsName(v, fact(ctx, "lambdaEni")), `the path from ${from} does not leave through ${fact(ctx, "lambdaEni")}`);
          check(hopsName(v, fact(ctx, "nat")), `the path from ${from} does not go through ${fact(ctx, "nat")}`);
          check(v.reply?.delivered !== false, `the reply to ${from} was dropped (${v.reply?.reason ?? ""}): ${v.reply?.explanation ?? ""}`);
          lines.push(
            `${from} → internet:443 delivered: out of ${fact(ctx, "lambdaEni")} (${fact(ctx, "lambdaIp")}), through ${fact(ctx, "nat")}, which sends it from its public address ${fact(ctx, "natIp")}; the reply returns`,
          );
        }
        return `${fact(ctx, "privateRt")}: 0.0.0.0/0 → ${fact(ctx, "nat")}; ${lines.join("; ")}`;
      },
    },
    {
      title: "Nothing connects in to the Lambda ENI, not even an instance its group allows",
      run: async (ctx) => {
        ctx.facts["client"] = await launch(ctx, fact(ctx, "privateSubnet"), `lambda-client-${ctx.run}`, fact(ctx, "fnGroup"));
        await waitRunning(ctx, fact(ctx, "client"));
        const line = await expectDropped(ctx, fact(ctx, "client"), fact(ctx, "lambdaIp"), 443, "EMU_LAMBDA_ENI_INBOUND");
        const v = await send(ctx, fact(ctx, "client"), fact(ctx, "lambdaIp"), 443);
        return `${line}: ${v.explanation}`;
      },
    },
  ],
};

// ------------------------------------------------------------------ nlb-byoip

/** `Name.member.N.Key` parameters for a Query list of structures. */
const members = (name: string, items: readonly Readonly<Record<string, string | number>>[]): Record<string, string | number> => {
  const out: Record<string, string | number> = {};
  items.forEach((item, i) => {
    for (const [k, v] of Object.entries(item)) out[`${name}.member.${i + 1}.${k}`] = v;
  });
  return out;
};

const targetHealth = async (ctx: ScenarioContext): Promise<XmlObject> => {
  const r = await ctx.elbv2.call("DescribeTargetHealth", { TargetGroupArn: fact(ctx, "tg") });
  const d = asList(r["TargetHealthDescriptions"]).find((x) => asString(asObject(x["Target"])["Id"]) === fact(ctx, "web"));
  check(d !== undefined, `DescribeTargetHealth does not show ${fact(ctx, "web")}`);
  return asObject(d!["TargetHealth"]);
};

const healthLine = (h: XmlObject): string =>
  [asString(h["State"]), asString(h["Reason"]), asString(h["Description"])].filter((x) => x !== "").join(", ");

/** The same step as `advertise`, after the clock passes AdvertiseByoipCidr's once-per-10-seconds limit. */
const advertiseAgain = (key: string): Step => {
  const inner = advertise(key);
  return {
    title: "Advertise the range again (AdvertiseByoipCidr)",
    run: async (ctx) => {
      await advanceClock(ctx, 10_000);
      return inner.run(ctx);
    },
  };
};

const nlbByoip: Scenario = {
  name: "nlb-byoip",
  description:
    "BYOIP with a Network Load Balancer: an internet-facing NLB on an Elastic IP from your own /24; its target is unhealthy until its group allows the NLB, and reached once it allows the client (the NLB keeps the client's address); withdrawing the range cuts the internet off, advertising it restores it.",
  steps: [
    prepareRegistry(
      "cidr",
      Array.from({ length: 10 }, (_, i) => `203.0.${103 - i}.0/24`),
      "Example Edge Corp",
    ),
    provision("cidr"),
    advertise("cidr"),
    {
      title: "Create a VPC with an internet gateway and a public subnet, and a web server whose security group allows nothing in",
      run: async (ctx) => {
        const vpc = await createVpc(ctx, "10.80.0.0/16", `nlb-byoip-${ctx.run}`);
        ctx.facts["vpc"] = vpc;
        ctx.facts["subnet"] = await createSubnet(ctx, vpc, "10.80.1.0/24", `nlb-public-${ctx.run}`);
        const igw = await createIgw(ctx, vpc, `nlb-${ctx.run}`);
        const rt = await ownRouteTable(ctx, vpc, fact(ctx, "subnet"), `nlb-public-${ctx.run}`);
        await ctx.ec2.call("CreateRoute", { RouteTableId: rt, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw });
        ctx.facts["webGroup"] = await createGroup(ctx, vpc, "web", "web servers (nlb-byoip)");
        ctx.facts["web"] = await launch(ctx, fact(ctx, "subnet"), `web-${ctx.run}`, fact(ctx, "webGroup"));
        await waitRunning(ctx, fact(ctx, "web"));
        ctx.facts["webIp"] = asString((await describeInstance(ctx, fact(ctx, "web")))["privateIpAddress"]);
        return `${vpc}, ${fact(ctx, "subnet")} (${rt}: 0.0.0.0/0 → ${igw}), ${fact(ctx, "web")} at ${fact(ctx, "webIp")} in ${fact(ctx, "webGroup")} (no inbound rule)`;
      },
    },
    {
      title: "Allocate an Elastic IP from the BYOIP pool",
      run: async (ctx) => {
        const a = await ctx.ec2.call("AllocateAddress", { Domain: "vpc", PublicIpv4Pool: fact(ctx, "pool") });
        ctx.facts["eip"] = asString(a["publicIp"]);
        ctx.facts["allocation"] = asString(a["allocationId"]);
        check(inRange(fact(ctx, "eip"), fact(ctx, "cidr")), `${fact(ctx, "eip")} is not in ${fact(ctx, "cidr")}`);
        return `${fact(ctx, "allocation")}: ${fact(ctx, "eip")} from ${fact(ctx, "pool")} (${fact(ctx, "cidr")})`;
      },
    },
    {
      title: "Create an internet-facing NLB whose node in the subnet holds that Elastic IP (SubnetMappings with AllocationId)",
      run: async (ctx) => {
        const name = `nlb-byoip-${ctx.run}`;
        const r = await ctx.elbv2.call("CreateLoadBalancer", {
          Name: name,
          Type: "network",
          Scheme: "internet-facing",
          ...members("SubnetMappings", [{ SubnetId: fact(ctx, "subnet"), AllocationId: fact(ctx, "allocation") }]),
        });
        const lb = asList(r["LoadBalancers"])[0];
        check(lb !== undefined, "CreateLoadBalancer answered no load balancer");
        const arn = asString(lb!["LoadBalancerArn"]);
        ctx.facts["lb"] = arn;
        const addresses = asList(asList(lb!["AvailabilityZones"])[0]?.["LoadBalancerAddresses"]);
        check(
          addresses.some((x) => asString(x["IpAddress"]) === fact(ctx, "eip") && asString(x["AllocationId"]) === fact(ctx, "allocation")),
          `${name}'s addresses do not include ${fact(ctx, "eip")} (${fact(ctx, "allocation")})`,
        );
        await waitFor(`${name} active`, async () => {
          const d = await ctx.elbv2.call("DescribeLoadBalancers", { "LoadBalancerArns.member.1": arn });
          return asString(asObject(asList(d["LoadBalancers"])[0]?.["State"])["Code"]) === "active";
        });
        // Its ENI: `ELB net/NAME/ID`, requester-managed, with the Elastic IP associated.
        const [, , , , , resource] = arn.split(":");
        const description = `ELB ${resource!.split("/").slice(1).join("/")}`;
        const enis = await enisWhere(ctx, { "vpc-id": fact(ctx, "vpc"), description });
        check(enis.length === 1, `${enis.length} ENIs are described "${description}", expected one (one zone)`);
        const eni = enis[0]!;
        ctx.facts["lbEni"] = asString(eni["networkInterfaceId"]);
        ctx.facts["lbIp"] = asString(eni["privateIpAddress"]);
        const publicIp = asString(asObject(eni["association"])["publicIp"]);
        check(publicIp === fact(ctx, "eip"), `${fact(ctx, "lbEni")} holds ${publicIp || "no public address"}, not ${fact(ctx, "eip")}`);
        check(asString(eni["requesterManaged"]) === "true", `${fact(ctx, "lbEni")} is not requester-managed`);
        return `${name} (${asString(lb!["DNSName"])}) active; its ENI ${fact(ctx, "lbEni")} ("${description}", ${asString(eni["interfaceType"])}) at ${fact(ctx, "lbIp")} holds ${fact(ctx, "eip")}`;
      },
    },
    {
      title: "Create a TCP:80 target group with the web server, and a TCP:80 listener forwarding to it",
      run: async (ctx) => {
        const tg = await ctx.elbv2.call("CreateTargetGroup", {
          Name: `web-${ctx.run}`,
          Protocol: "TCP",
          Port: 80,
          VpcId: fact(ctx, "vpc"),
          TargetType: "instance",
        });
        ctx.facts["tg"] = asString(asList(tg["TargetGroups"])[0]?.["TargetGroupArn"]);
        await ctx.elbv2.call("RegisterTargets", { TargetGroupArn: fact(ctx, "tg"), ...members("Targets", [{ Id: fact(ctx, "web") }]) });
        const l = await ctx.elbv2.call("CreateListener", {
          LoadBalancerArn: fact(ctx, "lb"),
          Protocol: "TCP",
          Port: 80,
          ...members("DefaultActions", [{ Type: "forward", TargetGroupArn: fact(ctx, "tg") }]),
        });
        ctx.facts["listener"] = asString(asList(l["Listeners"])[0]?.["ListenerArn"]);
        const h = await targetHealth(ctx);
        return `target group ${fact(ctx, "tg")} with ${fact(ctx, "web")}; listener TCP:80; target health now: ${healthLine(h)}`;
      },
    },
    {
      title:
        "After the initial health checks, the target is unhealthy (its group allows nothing) and internet traffic to the NLB is dropped",
      run: async (ctx) => {
        // The first verdict comes after HealthyThresholdCount × interval (5 × 30 s by default for TCP).
        await advanceClock(ctx, 150_000);
        const h = await targetHealth(ctx);
        check(asString(h["State"]) === "unhealthy", `${fact(ctx, "web")} is ${healthLine(h)}, expected unhealthy`);
        check(
          asString(h["Reason"]) === "Target.FailedHealthChecks",
          `the reason is ${asString(h["Reason"])}, expected Target.FailedHealthChecks`,
        );
        const v = await send(ctx, "internet", fact(ctx, "eip"), 80);
        check(!v.delivered, `tcp/80 from the internet to ${fact(ctx, "eip")} was delivered to an unhealthy target`);
        check(v.reason === "EMU_ELB_NO_HEALTHY_TARGET", `the drop is ${v.reason ?? "unexplained"}, expected EMU_ELB_NO_HEALTHY_TARGET`);
        return `health: ${healthLine(h)} (the NLB's check from ${fact(ctx, "lbIp")} meets ${fact(ctx, "webGroup")}); internet → ${fact(ctx, "eip")}:80 dropped (${v.reason}): ${v.explanation}`;
      },
    },
    {
      title: "Allow tcp/80 from the VPC (where the NLB's health checks come from): healthy, but the internet client is still dropped",
      run: async (ctx) => {
        await allowTcp(ctx, fact(ctx, "webGroup"), 80, "10.80.0.0/16");
        const h = await targetHealth(ctx);
        check(asString(h["State"]) === "healthy", `${fact(ctx, "web")} is ${healthLine(h)} with tcp/80 open to the VPC, expected healthy`);
        const v = await send(ctx, "internet", fact(ctx, "eip"), 80);
        check(!v.delivered, `tcp/80 from the internet reached ${v.deliveredTo ?? "?"} though ${fact(ctx, "webGroup")} allows only the VPC`);
        check(v.reason === "ENI_SG_RULES_MISMATCH", `the drop is ${v.reason ?? "unexplained"}, expected ENI_SG_RULES_MISMATCH`);
        check(
          (v.hops ?? []).some((x) => x.type === "load-balancer"),
          `the dropped path does not cross the load balancer: ${v.explanation}`,
        );
        return `health: healthy; internet → ${fact(ctx, "eip")}:80 dropped at the target (${v.reason}): an NLB keeps the client's address for instance targets, so ${fact(ctx, "webGroup")} sees the internet client, not the NLB. ${v.explanation}`;
      },
    },
    {
      title: "Allow tcp/80 from anywhere: the internet reaches the web server through the NLB, with the client's address",
      run: async (ctx) => {
        await allowTcp(ctx, fact(ctx, "webGroup"), 80, "0.0.0.0/0");
        const v = await send(ctx, "internet", fact(ctx, "eip"), 80);
        check(v.delivered, `tcp/80 from the internet to ${fact(ctx, "eip")} was dropped (${v.reason ?? ""}): ${v.explanation}`);
        check(
          v.deliveredTo === fact(ctx, "web"),
          `tcp/80 to ${fact(ctx, "eip")} reached ${v.deliveredTo ?? "nothing"}, not ${fact(ctx, "web")}`,
        );
        check(hopsName(v, fact(ctx, "lbEni")) || (v.hops ?? []).some((x) => x.type === "load-balancer"), "the path does not cross the NLB");
        check(v.reply?.delivered !== false, `the reply was dropped (${v.reply?.reason ?? ""}): ${v.reply?.explanation ?? ""}`);
        return `internet → ${fact(ctx, "eip")}:80 delivered to ${fact(ctx, "web")}: ${v.explanation}`;
      },
    },
    {
      title: "Withdraw the range from BGP: the internet no longer routes the NLB's address to AWS",
      run: async (ctx) => {
        // AdvertiseByoipCidr and WithdrawByoipCidr each run at most once every 10 seconds per account.
        await advanceClock(ctx, 10_000);
        const cidr = fact(ctx, "cidr");
        const r = await ctx.ec2.call("WithdrawByoipCidr", { Cidr: cidr });
        const answered = asString(asObject(r["byoipCidr"])["state"]);
        check(answered === "pending-withdrawal", `WithdrawByoipCidr answered ${answered}, expected pending-withdrawal`);
        await waitFor(`${cidr} becoming provisioned`, async () => asString((await byoipState(ctx, cidr))["state"]) === "provisioned");
        const bgp = await receiverOf(ctx, fact(ctx, "eip"));
        check(bgp.network !== "aws", `the internet still sends ${fact(ctx, "eip")} to AWS after the withdrawal`);
        const line = await expectDropped(ctx, "internet", fact(ctx, "eip"), 80, "EMU_BYOIP_NOT_ROUTED_TO_AWS");
        const h = await targetHealth(ctx);
        check(asString(h["State"]) === "healthy", `the target is ${healthLine(h)}; the withdrawal should change nothing inside AWS`);
        const where = bgp.network === "none" ? "no network announces it any more" : `BGP now sends it to ${bgp.network}`;
        return `${cidr} withdrawn (${where}); ${line}; the NLB and its healthy target are untouched: only the internet's route changed`;
      },
    },
    advertiseAgain("cidr"),
    {
      title: "The internet reaches the web server through the NLB again, at the same address",
      run: async (ctx) => {
        const bgp = await receiverOf(ctx, fact(ctx, "eip"));
        check(bgp.network === "aws", `the internet sends ${fact(ctx, "eip")} to ${bgp.network}, not to AWS`);
        const line = await expectDelivered(ctx, "internet", fact(ctx, "eip"), 80, fact(ctx, "web"));
        return `BGP: ${fact(ctx, "cidr")} from AS${bgp.originAsn ?? "?"} (RPKI ${bgp.rpki ?? "?"}); ${line}`;
      },
    },
  ],
};

/** The scenarios of services beyond EC2 (issue 17), listed after the EC2 ones by catalog.ts. */
export const HYPERPLANE_SCENARIOS: readonly Scenario[] = [lambdaInVpc, nlbByoip];
