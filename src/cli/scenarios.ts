/**
 * The seed's "Real-World Scenarios" as runnable scripts against a running localvpc, through the EC2 Query API like
 * any client. Each scenario is a list of steps; a step acts, or checks an outcome AWS guarantees (a failed check is
 * a violation of AWS semantics: the command exits 1). The state is left in place for the web console to show.
 */
import { createHash } from "node:crypto";
import { asList, asObject, asString, type Ec2QueryClient, type XmlObject } from "./ec2-query.js";

export interface ScenarioContext {
  readonly ec2: Ec2QueryClient;
  readonly region: string;
  /** Short unique suffix for Name tags, so that runs do not mix up. */
  readonly run: string;
  /** What the steps found out (ids, the license …), shared between steps. */
  readonly facts: Record<string, string>;
}

export interface Step {
  readonly title: string;
  /** Answers a one-line result to print, or throws (ScenarioCheckFailed for a violated expectation). */
  run(ctx: ScenarioContext): Promise<string | undefined>;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Set when the scenario cannot run in this build (exit 2 with this reason). */
  readonly unavailable?: string;
  readonly steps: readonly Step[];
}

/** A scenario's own check failed: what AWS guarantees did not hold. */
export class ScenarioCheckFailed extends Error {}

const check = (ok: boolean, message: string): void => {
  if (!ok) throw new ScenarioCheckFailed(message);
};

const fact = (ctx: ScenarioContext, key: string): string => {
  const v = ctx.facts[key];
  if (v === undefined) throw new Error(`scenario bug: fact ${key} missing`);
  return v;
};

// ------------------------------------------------------------------ EC2 helpers

const AMI = "ami-0a1b2c3d4e5f60001"; // localvpc's built-in Amazon Linux 2023 (x86_64)

const nameTags = (resourceType: string, name: string): Record<string, string> => ({
  "TagSpecification.1.ResourceType": resourceType,
  "TagSpecification.1.Tag.1.Key": "Name",
  "TagSpecification.1.Tag.1.Value": name,
});

const createVpc = async (ctx: ScenarioContext, cidr: string, name: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateVpc", { CidrBlock: cidr, ...nameTags("vpc", name) });
  return asString(asObject(r["vpc"])["vpcId"]);
};

const createSubnet = async (ctx: ScenarioContext, vpcId: string, cidr: string, name: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateSubnet", {
    VpcId: vpcId,
    CidrBlock: cidr,
    AvailabilityZone: `${ctx.region}a`,
    ...nameTags("subnet", name),
  });
  return asString(asObject(r["subnet"])["subnetId"]);
};

const createEni = async (ctx: ScenarioContext, subnetId: string, description: string, groupId?: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateNetworkInterface", {
    SubnetId: subnetId,
    Description: description,
    ...(groupId ? { "SecurityGroupId.1": groupId } : {}),
    ...nameTags("network-interface", `${description}-${ctx.run}`),
  });
  return asString(asObject(r["networkInterface"])["networkInterfaceId"]);
};

const launch = async (ctx: ScenarioContext, subnetId: string, name: string, groupId?: string): Promise<string> => {
  const r = await ctx.ec2.call("RunInstances", {
    ImageId: AMI,
    InstanceType: "t3.medium",
    MinCount: 1,
    MaxCount: 1,
    SubnetId: subnetId,
    ...(groupId ? { "SecurityGroupId.1": groupId } : {}),
    ...nameTags("instance", name),
  });
  return asString(asList(r["instancesSet"])[0]?.["instanceId"]);
};

const describeEni = async (ctx: ScenarioContext, eniId: string): Promise<XmlObject> => {
  const r = await ctx.ec2.call("DescribeNetworkInterfaces", { "NetworkInterfaceId.1": eniId });
  const eni = asList(r["networkInterfaceSet"])[0];
  check(eni !== undefined, `DescribeNetworkInterfaces does not show ${eniId}`);
  return eni!;
};

const describeInstance = async (ctx: ScenarioContext, instanceId: string): Promise<XmlObject> => {
  const r = await ctx.ec2.call("DescribeInstances", { "InstanceId.1": instanceId });
  const i = asList(asList(r["reservationSet"])[0]?.["instancesSet"])[0];
  check(i !== undefined, `DescribeInstances does not show ${instanceId}`);
  return i!;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` answers true (states settle at once unless the server runs with transition delays). */
const waitFor = async (what: string, probe: () => Promise<boolean>, tries = 100): Promise<void> => {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await sleep(100);
  }
  throw new ScenarioCheckFailed(`${what} did not happen`);
};

const attachmentOf = (eni: XmlObject): XmlObject => asObject(eni["attachment"]);
const groupsOf = (eni: XmlObject): string[] => asList(eni["groupSet"]).map((g) => asString(g["groupId"]));

// ------------------------------------------------------------------ ip-licensing

/** What a licence server would bind to: the ENI's primary private IP and MAC address. */
const licenseFor = (ip: string, mac: string): string => createHash("sha256").update(`licensed-app|${ip}|${mac}`).digest("hex").slice(0, 16);

/** The licence check an app would run on its host: some interface of the instance has the licensed IP and MAC. */
const validateLicense = async (ctx: ScenarioContext, instanceId: string): Promise<string> => {
  const inst = await describeInstance(ctx, instanceId);
  const enis = asList(inst["networkInterfaceSet"]);
  const license = fact(ctx, "license");
  const match = enis.find((n) => licenseFor(asString(n["privateIpAddress"]), asString(n["macAddress"])) === license);
  check(
    match !== undefined,
    `licence ${license} does not validate on ${instanceId}: no interface has IP ${fact(ctx, "ip")} and MAC ${fact(ctx, "mac")}`,
  );
  return `licence ${license} valid on ${instanceId} (${fact(ctx, "ip")}, ${fact(ctx, "mac")})`;
};

const ipLicensing: Scenario = {
  name: "ip-licensing",
  description:
    "A licensed app is bound to an ENI's IP and MAC; the instance fails; the ENI moves to a new instance; the licence (same IP and MAC) still validates.",
  steps: [
    {
      title: "Create a VPC and a subnet",
      run: async (ctx) => {
        ctx.facts["vpc"] = await createVpc(ctx, "10.20.0.0/16", `ip-licensing-${ctx.run}`);
        ctx.facts["subnet"] = await createSubnet(ctx, ctx.facts["vpc"], "10.20.1.0/24", `licensing-${ctx.run}`);
        return `${ctx.facts["vpc"]}, ${ctx.facts["subnet"]} in ${ctx.region}a`;
      },
    },
    {
      title: "Create the licence ENI and launch the app instance",
      run: async (ctx) => {
        ctx.facts["eni"] = await createEni(ctx, fact(ctx, "subnet"), "license-eni");
        ctx.facts["app1"] = await launch(ctx, fact(ctx, "subnet"), `licensed-app-1-${ctx.run}`);
        await ctx.ec2.call("AttachNetworkInterface", {
          NetworkInterfaceId: fact(ctx, "eni"),
          InstanceId: fact(ctx, "app1"),
          DeviceIndex: 1,
        });
        return `${fact(ctx, "eni")} attached to ${fact(ctx, "app1")} at device 1`;
      },
    },
    {
      title: "Issue the licence for the ENI's IP and MAC",
      run: async (ctx) => {
        const eni = await describeEni(ctx, fact(ctx, "eni"));
        ctx.facts["ip"] = asString(eni["privateIpAddress"]);
        ctx.facts["mac"] = asString(eni["macAddress"]);
        check(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(fact(ctx, "mac")), `the ENI's MAC ${fact(ctx, "mac")} is not a MAC address`);
        ctx.facts["license"] = licenseFor(fact(ctx, "ip"), fact(ctx, "mac"));
        return `licence ${fact(ctx, "license")} for ${fact(ctx, "ip")} / ${fact(ctx, "mac")}`;
      },
    },
    { title: "The licence validates on the app instance", run: (ctx) => validateLicense(ctx, fact(ctx, "app1")) },
    {
      title: "The instance fails (forced stop)",
      run: async (ctx) => {
        await ctx.ec2.call("StopInstances", { "InstanceId.1": fact(ctx, "app1"), Force: true });
        await waitFor(`${fact(ctx, "app1")} stopping`, async () => {
          const i = await describeInstance(ctx, fact(ctx, "app1"));
          return asString(asObject(i["instanceState"])["name"]) === "stopped";
        });
        return `${fact(ctx, "app1")} is stopped`;
      },
    },
    {
      title: "Launch a replacement instance in the same AZ",
      run: async (ctx) => {
        ctx.facts["app2"] = await launch(ctx, fact(ctx, "subnet"), `licensed-app-2-${ctx.run}`);
        return fact(ctx, "app2");
      },
    },
    {
      title: "Move the licence ENI to the replacement (detach, attach)",
      run: async (ctx) => {
        const before = await describeEni(ctx, fact(ctx, "eni"));
        await ctx.ec2.call("DetachNetworkInterface", { AttachmentId: asString(attachmentOf(before)["attachmentId"]) });
        await waitFor(
          `${fact(ctx, "eni")} becoming available`,
          async () => asString((await describeEni(ctx, fact(ctx, "eni")))["status"]) === "available",
        );
        await ctx.ec2.call("AttachNetworkInterface", {
          NetworkInterfaceId: fact(ctx, "eni"),
          InstanceId: fact(ctx, "app2"),
          DeviceIndex: 1,
        });
        const after = await describeEni(ctx, fact(ctx, "eni"));
        check(
          asString(attachmentOf(after)["instanceId"]) === fact(ctx, "app2"),
          `${fact(ctx, "eni")} is not attached to ${fact(ctx, "app2")}`,
        );
        check(asString(after["status"]) === "in-use", `${fact(ctx, "eni")} is ${asString(after["status"])}, not in-use`);
        const old = await describeInstance(ctx, fact(ctx, "app1"));
        check(
          !asList(old["networkInterfaceSet"]).some((n) => asString(n["networkInterfaceId"]) === fact(ctx, "eni")),
          `${fact(ctx, "app1")} still shows ${fact(ctx, "eni")}`,
        );
        return `${fact(ctx, "eni")} now on ${fact(ctx, "app2")}`;
      },
    },
    {
      title: "The ENI kept its IP and MAC",
      run: async (ctx) => {
        const eni = await describeEni(ctx, fact(ctx, "eni"));
        check(asString(eni["privateIpAddress"]) === fact(ctx, "ip"), `the ENI's IP changed: ${asString(eni["privateIpAddress"])}`);
        check(asString(eni["macAddress"]) === fact(ctx, "mac"), `the ENI's MAC changed: ${asString(eni["macAddress"])}`);
        return `${fact(ctx, "ip")}, ${fact(ctx, "mac")}`;
      },
    },
    { title: "The licence validates on the replacement", run: (ctx) => validateLicense(ctx, fact(ctx, "app2")) },
  ],
};

// ------------------------------------------------------------------ multi-homed-db

const createGroup = async (ctx: ScenarioContext, vpcId: string, name: string, port: number, cidr: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateSecurityGroup", {
    GroupName: `${name}-${ctx.run}`,
    GroupDescription: `${name} (multi-homed-db)`,
    VpcId: vpcId,
  });
  const groupId = asString(r["groupId"]);
  await ctx.ec2.call("AuthorizeSecurityGroupIngress", {
    GroupId: groupId,
    "IpPermissions.1.IpProtocol": "tcp",
    "IpPermissions.1.FromPort": port,
    "IpPermissions.1.ToPort": port,
    "IpPermissions.1.IpRanges.1.CidrIp": cidr,
  });
  return groupId;
};

/** The TCP ports a group's ingress rules open (the EC2 view; what actually arrives is the data plane's job). */
const ingressPorts = async (ctx: ScenarioContext, groupId: string): Promise<number[]> => {
  const r = await ctx.ec2.call("DescribeSecurityGroups", { "GroupId.1": groupId });
  const g = asList(r["securityGroupInfo"])[0];
  check(g !== undefined, `DescribeSecurityGroups does not show ${groupId}`);
  return asList(g!["ipPermissions"]).map((p) => Number(asString(p["fromPort"])));
};

/**
 * TODO(data plane, issue 6): "which traffic each ENI accepts" becomes a real check once the data plane's traffic
 * route (`/_localvpc/traffic/...`) exists: send TCP 5432 and 22 from the app and admin subnets to each ENI and expect
 * the data ENI to accept only 5432 and the management ENI only 22. Until then this step reports it as not available.
 */
export const MULTI_HOMED_DB_TRAFFIC_CHECK: Step = {
  title: "Which traffic each ENI accepts (data plane)",
  run: () => Promise.resolve("skipped: the data plane's traffic route is not available in this build yet"),
};

const multiHomedDb: Scenario = {
  name: "multi-homed-db",
  description:
    "A database instance with a data ENI and a management ENI in different subnets and security groups; shows which traffic each accepts.",
  steps: [
    {
      title: "Create a VPC with a data subnet and a management subnet",
      run: async (ctx) => {
        ctx.facts["vpc"] = await createVpc(ctx, "10.30.0.0/16", `multi-homed-db-${ctx.run}`);
        ctx.facts["dataSubnet"] = await createSubnet(ctx, ctx.facts["vpc"], "10.30.1.0/24", `db-data-${ctx.run}`);
        ctx.facts["mgmtSubnet"] = await createSubnet(ctx, ctx.facts["vpc"], "10.30.2.0/24", `db-mgmt-${ctx.run}`);
        return `${fact(ctx, "vpc")}: data ${fact(ctx, "dataSubnet")}, management ${fact(ctx, "mgmtSubnet")}`;
      },
    },
    {
      title: "Create the security groups (data: tcp/5432 from the VPC; management: tcp/22 from the management subnet)",
      run: async (ctx) => {
        ctx.facts["dataGroup"] = await createGroup(ctx, fact(ctx, "vpc"), "db-data", 5432, "10.30.0.0/16");
        ctx.facts["mgmtGroup"] = await createGroup(ctx, fact(ctx, "vpc"), "db-mgmt", 22, "10.30.2.0/24");
        return `${fact(ctx, "dataGroup")}, ${fact(ctx, "mgmtGroup")}`;
      },
    },
    {
      title: "Launch the database instance on the data subnet (its primary ENI is the data ENI)",
      run: async (ctx) => {
        ctx.facts["db"] = await launch(ctx, fact(ctx, "dataSubnet"), `database-${ctx.run}`, fact(ctx, "dataGroup"));
        return fact(ctx, "db");
      },
    },
    {
      title: "Create the management ENI and attach it at device 1",
      run: async (ctx) => {
        ctx.facts["mgmtEni"] = await createEni(ctx, fact(ctx, "mgmtSubnet"), "db-mgmt-eni", fact(ctx, "mgmtGroup"));
        await ctx.ec2.call("AttachNetworkInterface", {
          NetworkInterfaceId: fact(ctx, "mgmtEni"),
          InstanceId: fact(ctx, "db"),
          DeviceIndex: 1,
        });
        return `${fact(ctx, "mgmtEni")} on ${fact(ctx, "db")}`;
      },
    },
    {
      title: "Check the ENIs, their subnets and groups",
      run: async (ctx) => {
        const inst = await describeInstance(ctx, fact(ctx, "db"));
        const enis = asList(inst["networkInterfaceSet"]);
        check(enis.length === 2, `${fact(ctx, "db")} has ${enis.length} ENIs, expected 2`);
        const at = (i: number): XmlObject | undefined => enis.find((n) => asString(attachmentOf(n)["deviceIndex"]) === String(i));
        const data = at(0);
        const mgmt = at(1);
        check(data !== undefined && mgmt !== undefined, "the instance has no ENI at device 0 or 1");
        check(asString(data!["subnetId"]) === fact(ctx, "dataSubnet"), "the data ENI is not in the data subnet");
        check(asString(mgmt!["subnetId"]) === fact(ctx, "mgmtSubnet"), "the management ENI is not in the management subnet");
        check(asString(mgmt!["networkInterfaceId"]) === fact(ctx, "mgmtEni"), "device 1 is not the management ENI");
        check(groupsOf(data!).join() === fact(ctx, "dataGroup"), `the data ENI's groups are ${groupsOf(data!).join() || "none"}`);
        check(groupsOf(mgmt!).join() === fact(ctx, "mgmtGroup"), `the management ENI's groups are ${groupsOf(mgmt!).join() || "none"}`);
        const dataPorts = await ingressPorts(ctx, fact(ctx, "dataGroup"));
        const mgmtPorts = await ingressPorts(ctx, fact(ctx, "mgmtGroup"));
        check(dataPorts.join() === "5432", `the data group opens ${dataPorts.join() || "nothing"}`);
        check(mgmtPorts.join() === "22", `the management group opens ${mgmtPorts.join() || "nothing"}`);
        ctx.facts["dataEni"] = asString(data!["networkInterfaceId"]);
        return `data ${fact(ctx, "dataEni")} (${asString(data!["privateIpAddress"])}, tcp/5432), management ${fact(ctx, "mgmtEni")} (${asString(mgmt!["privateIpAddress"])}, tcp/22)`;
      },
    },
    MULTI_HOMED_DB_TRAFFIC_CHECK,
  ],
};

// ------------------------------------------------------------------ BYOIP scenarios (not in this build yet)

const NEEDS_BYOIP = "needs BYOIP, not available in this build yet";

export const SCENARIOS: readonly Scenario[] = [
  multiHomedDb,
  ipLicensing,
  {
    name: "email-migration",
    description:
      "BYOIP: bring a /24 with its sending reputation, allocate Elastic IPs from the pool for the mail servers, advertise it; the internet reaches the same addresses in AWS.",
    unavailable: NEEDS_BYOIP,
    steps: [],
  },
  {
    name: "dr-failover",
    description:
      "On-premises announces a prefix; disaster; AWS advertises the BYOIP range; traffic shifts to the hot standby with no address change.",
    unavailable: NEEDS_BYOIP,
    steps: [],
  },
];
