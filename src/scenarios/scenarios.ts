/**
 * The seed's "Real-World Scenarios" as runnable scripts against a running localvpc, through the EC2 Query API like
 * any client. Each scenario is a list of steps; a step acts, or checks an outcome AWS guarantees (a failed check is
 * a violation of AWS semantics: the command exits 1). The state is left in place for the web console to show.
 */
import { createHash } from "node:crypto";
import { asList, asObject, asString, type Ec2QueryClient, type XmlObject } from "./ec2-query.js";
import { authorizationMessage, makeScenarioPki, signAuthorization } from "./scenario-pki.js";
import type { QueryServiceClient, RestJsonClient } from "./service-clients.js";

/** One call to the server's admin API (`/_localvpc/PATH`) in the scenario's account and Region; throws on an error answer. */
export type ScenarioAdmin = (method: "GET" | "POST", path: string, body?: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface ScenarioContext {
  readonly ec2: Ec2QueryClient;
  /** ELBv2 (Query) and Lambda (REST-JSON), for the scenarios of issue 17. */
  readonly elbv2: QueryServiceClient;
  readonly lambda: RestJsonClient;
  /** EKS (REST-JSON), for eks-ip-exhaustion (issue 18). */
  readonly eks: RestJsonClient;
  readonly admin: ScenarioAdmin;
  readonly account: string;
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

export const check = (ok: boolean, message: string): void => {
  if (!ok) throw new ScenarioCheckFailed(message);
};

export const fact = (ctx: ScenarioContext, key: string): string => {
  const v = ctx.facts[key];
  if (v === undefined) throw new Error(`scenario bug: fact ${key} missing`);
  return v;
};

// ------------------------------------------------------------------ EC2 helpers

const AMI = "ami-0a1b2c3d4e5f60001"; // localvpc's built-in Amazon Linux 2023 (x86_64)

export const nameTags = (resourceType: string, name: string): Record<string, string> => ({
  "TagSpecification.1.ResourceType": resourceType,
  "TagSpecification.1.Tag.1.Key": "Name",
  "TagSpecification.1.Tag.1.Value": name,
});

export const createVpc = async (ctx: ScenarioContext, cidr: string, name: string): Promise<string> => {
  const r = await ctx.ec2.call("CreateVpc", { CidrBlock: cidr, ...nameTags("vpc", name) });
  return asString(asObject(r["vpc"])["vpcId"]);
};

export const createSubnet = async (ctx: ScenarioContext, vpcId: string, cidr: string, name: string): Promise<string> => {
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

export const launch = async (ctx: ScenarioContext, subnetId: string, name: string, groupId?: string): Promise<string> => {
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

export const describeInstance = async (ctx: ScenarioContext, instanceId: string): Promise<XmlObject> => {
  const r = await ctx.ec2.call("DescribeInstances", { "InstanceId.1": instanceId });
  const i = asList(asList(r["reservationSet"])[0]?.["instancesSet"])[0];
  check(i !== undefined, `DescribeInstances does not show ${instanceId}`);
  return i!;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` answers true (states settle at once unless the server runs with transition delays). */
export const waitFor = async (what: string, probe: () => Promise<boolean>, tries = 100): Promise<void> => {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await sleep(100);
  }
  throw new ScenarioCheckFailed(`${what} did not happen`);
};

export const waitRunning = (ctx: ScenarioContext, instanceId: string): Promise<void> =>
  waitFor(
    `${instanceId} running`,
    async () => asString(asObject((await describeInstance(ctx, instanceId))["instanceState"])["name"]) === "running",
  );

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

/** The data plane's verdict for one probe (`POST /_localvpc/traffic/send`). */
export interface Verdict {
  readonly delivered: boolean;
  readonly reason: string | null;
  readonly explanation: string;
  readonly deliveredTo: string | null;
  readonly reply?: { readonly delivered: boolean; readonly reason: string | null; readonly explanation: string };
  readonly hops?: readonly { readonly type: string; readonly component: string; readonly detail: string }[];
}

export const send = async (ctx: ScenarioContext, from: string, to: string, port: number): Promise<Verdict> =>
  (await ctx.admin("POST", "traffic/send", { from, to, proto: "tcp", port })) as unknown as Verdict;

export const expectDelivered = async (ctx: ScenarioContext, from: string, to: string, port: number, receiver: string): Promise<string> => {
  const v = await send(ctx, from, to, port);
  check(v.delivered, `tcp/${port} from ${from} to ${to} was dropped (${v.reason ?? ""}): ${v.explanation}`);
  check(v.deliveredTo === receiver, `tcp/${port} from ${from} to ${to} reached ${v.deliveredTo ?? "nothing"}, not ${receiver}`);
  return `${from} → ${to}:${port} delivered to ${receiver}`;
};

export const expectDropped = async (ctx: ScenarioContext, from: string, to: string, port: number, reason: string): Promise<string> => {
  const v = await send(ctx, from, to, port);
  check(!v.delivered, `tcp/${port} from ${from} to ${to} was delivered to ${v.deliveredTo ?? "?"}; expected a drop (${reason})`);
  check(v.reason === reason, `tcp/${port} from ${from} to ${to} was dropped with ${v.reason ?? "no reason"}, expected ${reason}`);
  return `${from} → ${to}:${port} dropped (${reason})`;
};

/** Which traffic each ENI accepts, through the data plane: the app port from the app subnet, SSH from the admin subnet. */
export const MULTI_HOMED_DB_TRAFFIC_CHECK: Step = {
  title: "Which traffic each ENI accepts (data plane): tcp/5432 from the app subnet, tcp/22 from the admin subnet",
  run: async (ctx) => {
    const app = fact(ctx, "app");
    const adm = fact(ctx, "admin");
    const dataIp = fact(ctx, "dataIp");
    const mgmtIp = fact(ctx, "mgmtIp");
    const db = fact(ctx, "db");
    const lines = [
      await expectDelivered(ctx, app, dataIp, 5432, db),
      await expectDelivered(ctx, adm, mgmtIp, 22, db),
      await expectDropped(ctx, adm, dataIp, 5432, "ENI_SG_RULES_MISMATCH"),
      await expectDropped(ctx, app, mgmtIp, 22, "ENI_SG_RULES_MISMATCH"),
      await expectDropped(ctx, app, dataIp, 22, "ENI_SG_RULES_MISMATCH"),
      await expectDropped(ctx, adm, mgmtIp, 5432, "ENI_SG_RULES_MISMATCH"),
    ];
    return lines.join("; ");
  },
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
        ctx.facts["appSubnet"] = await createSubnet(ctx, ctx.facts["vpc"], "10.30.3.0/24", `app-${ctx.run}`);
        ctx.facts["adminSubnet"] = await createSubnet(ctx, ctx.facts["vpc"], "10.30.4.0/24", `admin-${ctx.run}`);
        return `${fact(ctx, "vpc")}: data ${fact(ctx, "dataSubnet")}, management ${fact(ctx, "mgmtSubnet")}, app ${fact(ctx, "appSubnet")}, admin ${fact(ctx, "adminSubnet")}`;
      },
    },
    {
      title: "Create the security groups (data: tcp/5432 from the app subnet; management: tcp/22 from the admin subnet)",
      run: async (ctx) => {
        ctx.facts["dataGroup"] = await createGroup(ctx, fact(ctx, "vpc"), "db-data", 5432, "10.30.3.0/24");
        ctx.facts["mgmtGroup"] = await createGroup(ctx, fact(ctx, "vpc"), "db-mgmt", 22, "10.30.4.0/24");
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
        ctx.facts["dataIp"] = asString(data!["privateIpAddress"]);
        ctx.facts["mgmtIp"] = asString(mgmt!["privateIpAddress"]);
        return `data ${fact(ctx, "dataEni")} (${asString(data!["privateIpAddress"])}, tcp/5432), management ${fact(ctx, "mgmtEni")} (${asString(mgmt!["privateIpAddress"])}, tcp/22)`;
      },
    },
    {
      title: "Launch an app server in the app subnet and an admin host in the admin subnet",
      run: async (ctx) => {
        ctx.facts["app"] = await launch(ctx, fact(ctx, "appSubnet"), `app-server-${ctx.run}`);
        ctx.facts["admin"] = await launch(ctx, fact(ctx, "adminSubnet"), `admin-host-${ctx.run}`);
        for (const id of [fact(ctx, "db"), fact(ctx, "app"), fact(ctx, "admin")]) await waitRunning(ctx, id);
        return `app ${fact(ctx, "app")}, admin ${fact(ctx, "admin")}`;
      },
    },
    MULTI_HOMED_DB_TRAFFIC_CHECK,
  ],
};

// ------------------------------------------------------------------ BYOIP: the world outside AWS and the pool

const DAY_MS = 86_400_000;
/** Amazon's ASNs a ROA must authorize for AWS to advertise a range (the AWS BYOIP docs). */
const AMAZON_ASNS = [16509, 14618];
/** The customer's own network in dr-failover (a private ASN). */
const ONPREM_ASN = 64500;

/** The first candidate /24 that nobody registered yet in the simulated RIRs (the world is shared by every run). */
const freeRange = async (ctx: ScenarioContext, candidates: readonly string[]): Promise<string> => {
  const answer = await ctx.admin("GET", "rir/ranges");
  const taken = new Set(((answer["ranges"] ?? []) as { cidr: string }[]).map((r) => r.cidr));
  const cidr = candidates.find((c) => !taken.has(c));
  if (cidr === undefined)
    throw new Error(`every range this scenario uses (${candidates.join(", ")}) is already registered: run it against a fresh server`);
  return cidr;
};

export const byoipState = async (ctx: ScenarioContext, cidr: string): Promise<XmlObject> => {
  const r = await ctx.ec2.call("DescribeByoipCidrs", { MaxResults: 100 });
  const c = asList(r["byoipCidrSet"]).find((x) => asString(x["cidr"]) === cidr);
  check(c !== undefined, `DescribeByoipCidrs does not show ${cidr}`);
  return c!;
};

/** Registers the range with an RIR, publishes a self-signed certificate in its RDAP record and the given ROAs, clean reputation. */
export const prepareRegistry = (key: string, candidates: readonly string[], org: string, extraRoaAsns: readonly number[] = []): Step => ({
  title: `Register the /24 with ARIN, publish a self-signed certificate in its RDAP record, ROAs for AS${[...AMAZON_ASNS, ...extraRoaAsns].join(", AS")}, clean reputation`,
  run: async (ctx) => {
    const cidr = await freeRange(ctx, candidates);
    ctx.facts[key] = cidr;
    const clock = await ctx.admin("GET", "clock");
    const now = new Date(String(clock["now"]));
    const pki = makeScenarioPki(org, now);
    await ctx.admin("POST", "rir/register", { cidr, rir: "ARIN", org });
    await ctx.admin("POST", "rir/publish-cert", { cidr, certificate: pki.certificate });
    await ctx.admin("POST", "rir/roa", { cidr, asns: [...AMAZON_ASNS, ...extraRoaAsns], maxLength: 24 });
    await ctx.admin("POST", "rir/reputation", { cidr, clean: true });
    const message = authorizationMessage(ctx.account, cidr, new Date(now.getTime() + 365 * DAY_MS));
    ctx.facts["authorizationMessage"] = message;
    ctx.facts["signature"] = signAuthorization(pki.privateKey, message);
    const rdap = await ctx.admin("GET", `rdap/ip/${cidr}`);
    const remarks = JSON.stringify(rdap["remarks"] ?? []);
    check(remarks.includes(pki.certificate.slice(27, 80)), `the RDAP record of ${cidr} does not carry the certificate`);
    return `${cidr} (${org}), ROAs for AS${[...AMAZON_ASNS, ...extraRoaAsns].join(", AS")}; signed ${message}`;
  },
});

export const provision = (key: string): Step => ({
  title: "Provision the range (ProvisionByoipCidr with the signed authorization) and let the simulated week pass",
  run: async (ctx) => {
    const cidr = fact(ctx, key);
    const r = await ctx.ec2.call("ProvisionByoipCidr", {
      Cidr: cidr,
      "CidrAuthorizationContext.Message": fact(ctx, "authorizationMessage"),
      "CidrAuthorizationContext.Signature": fact(ctx, "signature"),
    });
    const first = asString(asObject(r["byoipCidr"])["state"]);
    check(first === "pending-provision", `ProvisionByoipCidr answered ${first}, expected pending-provision`);
    let state = first;
    for (let week = 0; week < 8 && state === "pending-provision"; week++) {
      await ctx.admin("POST", "clock/advance", { ms: 7 * DAY_MS });
      const c = await byoipState(ctx, cidr);
      state = asString(c["state"]);
      check(state !== "failed-provision", `${cidr} failed to provision: ${asString(c["statusMessage"])}`);
    }
    check(state === "provisioned", `${cidr} is ${state}, not provisioned`);
    const pools = await ctx.ec2.call("DescribePublicIpv4Pools", {});
    const pool = asList(pools["publicIpv4PoolSet"]).find((p) =>
      asList(p["poolAddressRangeSet"]).some((a) => `${asString(a["firstAddress"])}/24` === cidr),
    );
    check(pool !== undefined, `DescribePublicIpv4Pools shows no pool for ${cidr}`);
    ctx.facts["pool"] = asString(pool!["poolId"]);
    return `${cidr} provisioned; pool ${fact(ctx, "pool")}`;
  },
});

export const advertise = (key: string): Step => ({
  title: "Advertise the range from AWS (AdvertiseByoipCidr)",
  run: async (ctx) => {
    const cidr = fact(ctx, key);
    const r = await ctx.ec2.call("AdvertiseByoipCidr", { Cidr: cidr });
    const answered = asString(asObject(r["byoipCidr"])["state"]);
    check(answered === "pending-advertising", `AdvertiseByoipCidr answered ${answered}, expected pending-advertising`);
    await waitFor(`${cidr} becoming advertised`, async () => asString((await byoipState(ctx, cidr))["state"]) === "advertised");
    return `${cidr} advertised`;
  },
});

/** Who the internet's BGP view sends an address to. */
export const receiverOf = async (
  ctx: ScenarioContext,
  address: string,
): Promise<{ network: string; originAsn?: number; rpki?: string }> => {
  const view = await ctx.admin("GET", `bgp?address=${encodeURIComponent(address)}`);
  return view["receiver"] as { network: string; originAsn?: number; rpki?: string };
};

/** A VPC that the internet reaches: an internet gateway, the default route, a public subnet, a group open on `port`. */
const publicVpc = (cidr: string, subnetCidr: string, port: number, name: string): Step => ({
  title: `Create a VPC with an internet gateway, a public subnet and a group open on tcp/${port}`,
  run: async (ctx) => {
    const vpc = await createVpc(ctx, cidr, `${name}-${ctx.run}`);
    ctx.facts["vpc"] = vpc;
    ctx.facts["subnet"] = await createSubnet(ctx, vpc, subnetCidr, `${name}-public-${ctx.run}`);
    const igw = asString(
      asObject((await ctx.ec2.call("CreateInternetGateway", nameTags("internet-gateway", `${name}-${ctx.run}`)))["internetGateway"])[
        "internetGatewayId"
      ],
    );
    await ctx.ec2.call("AttachInternetGateway", { InternetGatewayId: igw, VpcId: vpc });
    const rts = await ctx.ec2.call("DescribeRouteTables", { "Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc });
    const rt = asString(asList(rts["routeTableSet"])[0]?.["routeTableId"]);
    await ctx.ec2.call("CreateRoute", { RouteTableId: rt, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw });
    ctx.facts["group"] = await createGroup(ctx, vpc, name, port, "0.0.0.0/0");
    return `${vpc}, ${fact(ctx, "subnet")}, ${igw} (0.0.0.0/0 in ${rt}), ${fact(ctx, "group")}`;
  },
});

const allocateAndAssociate = async (ctx: ScenarioContext, instanceId: string, address?: string): Promise<string> => {
  const a = await ctx.ec2.call("AllocateAddress", {
    Domain: "vpc",
    PublicIpv4Pool: fact(ctx, "pool"),
    ...(address ? { Address: address } : {}),
  });
  const ip = asString(a["publicIp"]);
  await ctx.ec2.call("AssociateAddress", { AllocationId: asString(a["allocationId"]), InstanceId: instanceId });
  return ip;
};

export const inRange = (ip: string, cidr: string): boolean => ip.split(".").slice(0, 3).join(".") === cidr.split(".").slice(0, 3).join(".");

// ------------------------------------------------------------------ email-migration

const emailMigration: Scenario = {
  name: "email-migration",
  description:
    "BYOIP: bring a /24 with its sending reputation, allocate Elastic IPs from the pool for the mail servers, advertise it; the internet reaches the same addresses in AWS.",
  steps: [
    prepareRegistry(
      "cidr",
      Array.from({ length: 10 }, (_, i) => `203.0.${113 - i}.0/24`),
      "Example Mail Corp",
    ),
    provision("cidr"),
    publicVpc("10.40.0.0/16", "10.40.1.0/24", 25, "mail"),
    {
      title: "Launch two mail servers",
      run: async (ctx) => {
        ctx.facts["mx1"] = await launch(ctx, fact(ctx, "subnet"), `mx1-${ctx.run}`, fact(ctx, "group"));
        ctx.facts["mx2"] = await launch(ctx, fact(ctx, "subnet"), `mx2-${ctx.run}`, fact(ctx, "group"));
        for (const id of [fact(ctx, "mx1"), fact(ctx, "mx2")]) await waitRunning(ctx, id);
        return `${fact(ctx, "mx1")}, ${fact(ctx, "mx2")}`;
      },
    },
    {
      title: "Allocate Elastic IPs from the BYOIP pool for the mail servers and associate them",
      run: async (ctx) => {
        ctx.facts["mx1Ip"] = await allocateAndAssociate(ctx, fact(ctx, "mx1"));
        ctx.facts["mx2Ip"] = await allocateAndAssociate(ctx, fact(ctx, "mx2"));
        for (const k of ["mx1Ip", "mx2Ip"])
          check(inRange(fact(ctx, k), fact(ctx, "cidr")), `${fact(ctx, k)} is not in ${fact(ctx, "cidr")}`);
        check(fact(ctx, "mx1Ip") !== fact(ctx, "mx2Ip"), "both mail servers got the same address");
        return `${fact(ctx, "mx1")} ${fact(ctx, "mx1Ip")}, ${fact(ctx, "mx2")} ${fact(ctx, "mx2Ip")}`;
      },
    },
    {
      title: "The pool counts the two addresses as used",
      run: async (ctx) => {
        const r = await ctx.ec2.call("DescribePublicIpv4Pools", { "PoolId.1": fact(ctx, "pool") });
        const p = asList(r["publicIpv4PoolSet"])[0];
        check(p !== undefined, `DescribePublicIpv4Pools does not show ${fact(ctx, "pool")}`);
        const total = Number(asString(p!["totalAddressCount"]));
        const free = Number(asString(p!["totalAvailableAddressCount"]));
        check(total === 256, `the pool has ${total} addresses, expected 256`);
        check(free === 254, `the pool has ${free} free addresses, expected 254 (2 used)`);
        return `${fact(ctx, "pool")}: ${total - free} used, ${free} free of ${total}`;
      },
    },
    {
      title: "Before advertising, the internet does not reach the addresses in AWS",
      run: async (ctx) => expectDropped(ctx, "internet", fact(ctx, "mx1Ip"), 25, "EMU_BYOIP_NOT_ROUTED_TO_AWS"),
    },
    advertise("cidr"),
    {
      title: "The internet reaches the same addresses in AWS (tcp/25 to each mail server)",
      run: async (ctx) => {
        const r = await receiverOf(ctx, fact(ctx, "mx1Ip"));
        check(r.network === "aws", `the internet sends ${fact(ctx, "mx1Ip")} to ${r.network}, not to AWS`);
        const lines = [
          await expectDelivered(ctx, "internet", fact(ctx, "mx1Ip"), 25, fact(ctx, "mx1")),
          await expectDelivered(ctx, "internet", fact(ctx, "mx2Ip"), 25, fact(ctx, "mx2")),
        ];
        return `BGP: ${fact(ctx, "cidr")} from AS${r.originAsn ?? "?"} (RPKI ${r.rpki ?? "?"}); ${lines.join("; ")}`;
      },
    },
  ],
};

// ------------------------------------------------------------------ dr-failover

const drFailover: Scenario = {
  name: "dr-failover",
  description:
    "On-premises announces a prefix; disaster; AWS advertises the BYOIP range; traffic shifts to the hot standby with no address change.",
  steps: [
    prepareRegistry(
      "cidr",
      Array.from({ length: 10 }, (_, i) => `192.0.${2 + i}.0/24`),
      "Example DR Corp",
      [ONPREM_ASN],
    ),
    provision("cidr"),
    publicVpc("10.50.0.0/16", "10.50.1.0/24", 443, "dr"),
    {
      title: "Launch the hot standby and give it the service address from the pool",
      run: async (ctx) => {
        ctx.facts["standby"] = await launch(ctx, fact(ctx, "subnet"), `hot-standby-${ctx.run}`, fact(ctx, "group"));
        await waitRunning(ctx, fact(ctx, "standby"));
        const wanted = fact(ctx, "cidr").replace(/\.0\/24$/, ".10");
        ctx.facts["serviceIp"] = await allocateAndAssociate(ctx, fact(ctx, "standby"), wanted);
        check(fact(ctx, "serviceIp") === wanted, `AllocateAddress gave ${fact(ctx, "serviceIp")}, not ${wanted}`);
        return `${fact(ctx, "standby")} holds ${fact(ctx, "serviceIp")}`;
      },
    },
    {
      title: `On-premises announces the prefix (AS${ONPREM_ASN})`,
      run: async (ctx) => {
        await ctx.admin("POST", "bgp/announce", { cidr: fact(ctx, "cidr"), origin: "onprem", asn: ONPREM_ASN });
        const r = await receiverOf(ctx, fact(ctx, "serviceIp"));
        check(r.network === "onprem", `the internet sends ${fact(ctx, "serviceIp")} to ${r.network}, not on-premises`);
        return `${fact(ctx, "cidr")} from AS${r.originAsn ?? "?"} (RPKI ${r.rpki ?? "?"})`;
      },
    },
    {
      title: "Internet traffic to the service address goes on-premises, not into AWS",
      run: (ctx) => expectDropped(ctx, "internet", fact(ctx, "serviceIp"), 443, "EMU_BYOIP_NOT_ROUTED_TO_AWS"),
    },
    {
      title: "Disaster: on-premises withdraws its announcement",
      run: async (ctx) => {
        await ctx.admin("POST", "bgp/withdraw", { cidr: fact(ctx, "cidr"), origin: "onprem", asn: ONPREM_ASN });
        const r = await receiverOf(ctx, fact(ctx, "serviceIp"));
        check(r.network !== "onprem", `the internet still sends ${fact(ctx, "serviceIp")} on-premises`);
        return `${fact(ctx, "cidr")} withdrawn; the internet sends ${fact(ctx, "serviceIp")} to ${r.network}`;
      },
    },
    advertise("cidr"),
    {
      title: "Traffic to the same address now reaches the hot standby in AWS (no address change)",
      run: async (ctx) => {
        const r = await receiverOf(ctx, fact(ctx, "serviceIp"));
        check(r.network === "aws", `the internet sends ${fact(ctx, "serviceIp")} to ${r.network}, not to AWS`);
        const line = await expectDelivered(ctx, "internet", fact(ctx, "serviceIp"), 443, fact(ctx, "standby"));
        const d = await ctx.ec2.call("DescribeAddresses", { "PublicIp.1": fact(ctx, "serviceIp") });
        const a = asList(d["addressesSet"])[0];
        check(asString(a?.["instanceId"]) === fact(ctx, "standby"), `${fact(ctx, "serviceIp")} is no longer on ${fact(ctx, "standby")}`);
        return `BGP: AS${r.originAsn ?? "?"}; ${line}`;
      },
    },
  ],
};

// ------------------------------------------------------------------ private-s3-and-peering

/** A route table's routes as DescribeRouteTables shows them. */
export const routesOf = async (ctx: ScenarioContext, rt: string): Promise<XmlObject[]> => {
  const r = await ctx.ec2.call("DescribeRouteTables", { "RouteTableId.1": rt });
  const t = asList(r["routeTableSet"])[0];
  check(t !== undefined, `DescribeRouteTables does not show ${rt}`);
  return asList(t!["routeSet"]);
};

/** Whether a verdict's hops name `id` (an endpoint, a peering connection). */
export const hopsName = (v: Verdict, id: string): boolean => (v.hops ?? []).some((h) => h.component.includes(id) || h.detail.includes(id));

const privateS3AndPeering: Scenario = {
  name: "private-s3-and-peering",
  description:
    "A private subnet reaches S3 through a gateway endpoint and a peered VPC over a peering connection; deleting the endpoint or the peer's return route cuts each path.",
  steps: [
    {
      title: "Create a VPC with a private subnet (its own route table, no internet gateway) and launch an instance",
      run: async (ctx) => {
        ctx.facts["vpc"] = await createVpc(ctx, "10.60.0.0/16", `private-s3-${ctx.run}`);
        ctx.facts["subnet"] = await createSubnet(ctx, fact(ctx, "vpc"), "10.60.1.0/24", `private-${ctx.run}`);
        const rt = await ctx.ec2.call("CreateRouteTable", { VpcId: fact(ctx, "vpc"), ...nameTags("route-table", `private-${ctx.run}`) });
        ctx.facts["rt"] = asString(asObject(rt["routeTable"])["routeTableId"]);
        await ctx.ec2.call("AssociateRouteTable", { RouteTableId: fact(ctx, "rt"), SubnetId: fact(ctx, "subnet") });
        const routes = await routesOf(ctx, fact(ctx, "rt"));
        check(
          routes.every((r) => asString(r["gatewayId"]) === "local"),
          `the private route table ${fact(ctx, "rt")} has a route to something else than local`,
        );
        ctx.facts["app"] = await launch(ctx, fact(ctx, "subnet"), `private-app-${ctx.run}`);
        await waitRunning(ctx, fact(ctx, "app"));
        return `${fact(ctx, "vpc")}, ${fact(ctx, "subnet")} (${fact(ctx, "rt")}: local only), ${fact(ctx, "app")}`;
      },
    },
    {
      title: "Find the Region's S3 prefix list and an S3 address in it (DescribePrefixLists)",
      run: async (ctx) => {
        const service = `com.amazonaws.${ctx.region}.s3`;
        const r = await ctx.ec2.call("DescribePrefixLists", { "Filter.1.Name": "prefix-list-name", "Filter.1.Value.1": service });
        const pl = asList(r["prefixListSet"])[0];
        check(pl !== undefined, `DescribePrefixLists does not show ${service}`);
        ctx.facts["s3PrefixList"] = asString(pl!["prefixListId"]);
        const set = pl!["cidrSet"];
        const cidrs = Array.isArray(set) ? set.filter((c): c is string => typeof c === "string" && c.includes(".")) : [];
        check(cidrs.length > 0, `${fact(ctx, "s3PrefixList")} (${service}) has no IPv4 CIDRs`);
        const [base] = cidrs[0]!.split("/");
        const octets = base!.split(".").map(Number);
        octets[3] = (octets[3] ?? 0) + 10;
        ctx.facts["s3Cidr"] = cidrs[0]!;
        ctx.facts["s3Ip"] = octets.join(".");
        return `${service} is ${fact(ctx, "s3PrefixList")} (${cidrs.length} CIDRs); probing ${fact(ctx, "s3Ip")} in ${fact(ctx, "s3Cidr")}`;
      },
    },
    {
      title: "Create a gateway endpoint for S3 on the private subnet's route table",
      run: async (ctx) => {
        const r = await ctx.ec2.call("CreateVpcEndpoint", {
          VpcId: fact(ctx, "vpc"),
          VpcEndpointType: "Gateway",
          ServiceName: `com.amazonaws.${ctx.region}.s3`,
          "RouteTableId.1": fact(ctx, "rt"),
          ...nameTags("vpc-endpoint", `s3-${ctx.run}`),
        });
        const ep = asObject(r["vpcEndpoint"]);
        ctx.facts["vpce"] = asString(ep["vpcEndpointId"]);
        check(/^vpce-[0-9a-f]{17}$/.test(fact(ctx, "vpce")), `${fact(ctx, "vpce")} is not a vpce- id`);
        const routes = await routesOf(ctx, fact(ctx, "rt"));
        const route = routes.find((x) => asString(x["destinationPrefixListId"]) === fact(ctx, "s3PrefixList"));
        check(route !== undefined, `${fact(ctx, "rt")} has no route to ${fact(ctx, "s3PrefixList")}`);
        check(
          asString(route!["gatewayId"]) === fact(ctx, "vpce"),
          `the route to ${fact(ctx, "s3PrefixList")} goes to ${asString(route!["gatewayId"])}, not ${fact(ctx, "vpce")}`,
        );
        return `${fact(ctx, "vpce")} (${asString(ep["state"])}); ${fact(ctx, "rt")}: ${fact(ctx, "s3PrefixList")} → ${fact(ctx, "vpce")}`;
      },
    },
    {
      title: "The instance reaches S3 through the endpoint (tcp/443, no internet gateway)",
      run: async (ctx) => {
        const v = await send(ctx, fact(ctx, "app"), fact(ctx, "s3Ip"), 443);
        check(v.delivered, `tcp/443 to ${fact(ctx, "s3Ip")} was dropped (${v.reason ?? ""}): ${v.explanation}`);
        check(hopsName(v, fact(ctx, "vpce")), `the path to ${fact(ctx, "s3Ip")} does not go through ${fact(ctx, "vpce")}`);
        check(v.reply?.delivered !== false, `the reply from S3 was dropped (${v.reply?.reason ?? ""}): ${v.reply?.explanation ?? ""}`);
        return `${fact(ctx, "app")} → ${fact(ctx, "s3Ip")}:443 delivered through ${fact(ctx, "vpce")}`;
      },
    },
    {
      title: "Create a second VPC with an instance whose security group allows the first VPC's CIDR (tcp/22)",
      run: async (ctx) => {
        ctx.facts["peerVpc"] = await createVpc(ctx, "10.61.0.0/16", `peer-${ctx.run}`);
        ctx.facts["peerSubnet"] = await createSubnet(ctx, fact(ctx, "peerVpc"), "10.61.1.0/24", `peer-${ctx.run}`);
        ctx.facts["peerGroup"] = await createGroup(ctx, fact(ctx, "peerVpc"), "peer-ssh", 22, "10.60.0.0/16");
        ctx.facts["peer"] = await launch(ctx, fact(ctx, "peerSubnet"), `peer-host-${ctx.run}`, fact(ctx, "peerGroup"));
        await waitRunning(ctx, fact(ctx, "peer"));
        const i = await describeInstance(ctx, fact(ctx, "peer"));
        ctx.facts["peerIp"] = asString(i["privateIpAddress"]);
        const rts = await ctx.ec2.call("DescribeRouteTables", {
          "Filter.1.Name": "vpc-id",
          "Filter.1.Value.1": fact(ctx, "peerVpc"),
        });
        ctx.facts["peerRt"] = asString(asList(rts["routeTableSet"])[0]?.["routeTableId"]);
        return `${fact(ctx, "peerVpc")}, ${fact(ctx, "peerSubnet")}, ${fact(ctx, "peerGroup")} (tcp/22 from 10.60.0.0/16), ${fact(ctx, "peer")} at ${fact(ctx, "peerIp")}`;
      },
    },
    {
      title: "Peer the VPCs (request, accept) and route each VPC's CIDR through the connection, both ways",
      run: async (ctx) => {
        const r = await ctx.ec2.call("CreateVpcPeeringConnection", { VpcId: fact(ctx, "vpc"), PeerVpcId: fact(ctx, "peerVpc") });
        ctx.facts["pcx"] = asString(asObject(r["vpcPeeringConnection"])["vpcPeeringConnectionId"]);
        const a = await ctx.ec2.call("AcceptVpcPeeringConnection", { VpcPeeringConnectionId: fact(ctx, "pcx") });
        const status = asString(asObject(asObject(a["vpcPeeringConnection"])["status"])["code"]);
        check(status === "active", `${fact(ctx, "pcx")} is ${status} after AcceptVpcPeeringConnection, not active`);
        await ctx.ec2.call("CreateRoute", {
          RouteTableId: fact(ctx, "rt"),
          DestinationCidrBlock: "10.61.0.0/16",
          VpcPeeringConnectionId: fact(ctx, "pcx"),
        });
        await ctx.ec2.call("CreateRoute", {
          RouteTableId: fact(ctx, "peerRt"),
          DestinationCidrBlock: "10.60.0.0/16",
          VpcPeeringConnectionId: fact(ctx, "pcx"),
        });
        return `${fact(ctx, "pcx")} active; ${fact(ctx, "rt")}: 10.61.0.0/16 → ${fact(ctx, "pcx")}; ${fact(ctx, "peerRt")}: 10.60.0.0/16 → ${fact(ctx, "pcx")}`;
      },
    },
    {
      title: "The instance reaches the peer instance over the peering connection (tcp/22), and the reply returns",
      run: async (ctx) => {
        const line = await expectDelivered(ctx, fact(ctx, "app"), fact(ctx, "peerIp"), 22, fact(ctx, "peer"));
        const v = await send(ctx, fact(ctx, "app"), fact(ctx, "peerIp"), 22);
        check(hopsName(v, fact(ctx, "pcx")), `the path to ${fact(ctx, "peerIp")} does not cross ${fact(ctx, "pcx")}`);
        check(
          v.reply?.delivered !== false,
          `the reply from ${fact(ctx, "peer")} was dropped (${v.reply?.reason ?? ""}): ${v.reply?.explanation ?? ""}`,
        );
        return `${line} over ${fact(ctx, "pcx")}`;
      },
    },
    {
      title: "Delete the endpoint: S3 is no longer reachable from the private subnet",
      run: async (ctx) => {
        const r = await ctx.ec2.call("DeleteVpcEndpoints", { "VpcEndpointId.1": fact(ctx, "vpce") });
        check(asList(r["unsuccessful"]).length === 0, `DeleteVpcEndpoints did not delete ${fact(ctx, "vpce")}`);
        const routes = await routesOf(ctx, fact(ctx, "rt"));
        check(
          !routes.some((x) => asString(x["destinationPrefixListId"]) === fact(ctx, "s3PrefixList")),
          `${fact(ctx, "rt")} still routes ${fact(ctx, "s3PrefixList")}`,
        );
        const v = await send(ctx, fact(ctx, "app"), fact(ctx, "s3Ip"), 443);
        check(!v.delivered, `tcp/443 to ${fact(ctx, "s3Ip")} was still delivered after deleting ${fact(ctx, "vpce")}`);
        check(v.reason === "NO_ROUTE_TO_DESTINATION", `the drop is ${v.reason ?? "unexplained"}, expected NO_ROUTE_TO_DESTINATION`);
        check(v.explanation.includes(fact(ctx, "rt")), `the explanation does not name ${fact(ctx, "rt")}: ${v.explanation}`);
        return `${fact(ctx, "app")} → ${fact(ctx, "s3Ip")}:443 dropped (${v.reason ?? ""}): ${v.explanation}`;
      },
    },
    {
      title: "Delete the peer's return route: the reply from the peer instance is dropped",
      run: async (ctx) => {
        await ctx.ec2.call("DeleteRoute", { RouteTableId: fact(ctx, "peerRt"), DestinationCidrBlock: "10.60.0.0/16" });
        const v = await send(ctx, fact(ctx, "app"), fact(ctx, "peerIp"), 22);
        check(
          v.delivered,
          `the request to ${fact(ctx, "peerIp")} was dropped (${v.reason ?? ""}); only its reply lost a route: ${v.explanation}`,
        );
        check(v.reply?.delivered === false, `tcp/22 to ${fact(ctx, "peerIp")} still gets its reply after deleting the return route`);
        check(
          v.reply!.reason === "NO_ROUTE_TO_DESTINATION",
          `the reply's drop is ${v.reply!.reason ?? "unexplained"}, expected NO_ROUTE_TO_DESTINATION`,
        );
        check(v.explanation.includes(fact(ctx, "pcx")), `the explanation does not name ${fact(ctx, "pcx")}: ${v.explanation}`);
        return `${fact(ctx, "app")} → ${fact(ctx, "peerIp")}:22 delivered, reply dropped (${v.reply!.reason ?? ""}): ${v.explanation}`;
      },
    },
  ],
};

/** The EC2 and BYOIP scenarios; `catalog.ts` lists every scenario (these, then those of other services). */
export const EC2_SCENARIOS: readonly Scenario[] = [multiHomedDb, ipLicensing, emailMigration, drFailover, privateS3AndPeering];
