/**
 * Ansible's amazon.aws collection against a real `localvpc serve`: test/ansible/network.yml builds a two-tier network
 * (VPC, subnets, IGW, NAT gateway, route tables, security group, two instances, an ENI with a fixed and a secondary
 * IP attached to one instance and moved to the other, an Elastic IP on that ENI), a second run changes nothing, and
 * `state=absent` tears it all down, leaving only the default VPC's resources. .ci/run installs Debian's `ansible`
 * (which carries amazon.aws) and python3-boto3; without `ansible-playbook` the suite is skipped.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Instance,
} from "@aws-sdk/client-ec2";
import { spawnServe, type ServeProcess } from "./serve-process.js";

const PLAYBOOK = fileURLToPath(new URL("../ansible/network.yml", import.meta.url));
/** What one ansible-playbook run may take at most (one takes 15–40 s here; CI machines are slower and busier). */
const RUN_TIMEOUT_MS = 5 * 60_000;

const succeeds = (cmd: string, args: readonly string[]): boolean => {
  try {
    execFileSync(cmd, args, { stdio: "ignore", timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};

const hasAnsible = succeeds("ansible-playbook", ["--version"]);

/** A Python that imports boto3, for the modules: Debian's /usr/bin/python3 (what .ci/run provides), else python3. */
const findPython = (): string | undefined => {
  if (succeeds("/usr/bin/python3", ["-c", "import boto3"])) return "/usr/bin/python3";
  try {
    // The real interpreter, not a shim (pyenv) that may pick another Python in another directory.
    return execFileSync("python3", ["-c", "import boto3, sys; print(sys.executable)"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
};

/** One host's result of one task in the `json` stdout callback's document. */
interface HostResult {
  readonly changed?: boolean;
  readonly failed?: boolean;
  readonly unreachable?: boolean;
  readonly skipped?: boolean;
  readonly msg?: unknown;
  readonly results?: readonly HostResult[];
}
interface PlaybookReport {
  readonly plays: readonly {
    readonly tasks: readonly { readonly task: { readonly name: string }; readonly hosts: Record<string, HostResult> }[];
  }[];
  readonly stats: Record<string, { ok: number; changed: number; failures: number; unreachable: number; skipped: number }>;
}
interface Run {
  readonly report: PlaybookReport;
  readonly ms: number;
  /** Names of the tasks that ran on localhost: ok (not skipped), and the changed ones. */
  readonly ran: readonly string[];
  readonly changed: readonly string[];
}

const BUILD_TASKS = [
  "VPC",
  "Public subnet",
  "Private subnet",
  "Internet gateway",
  "Public route table (0.0.0.0/0 -> internet gateway)",
  "Find the NAT gateway's Elastic IP",
  "Elastic IP for the NAT gateway",
  "NAT gateway in the public subnet",
  "Private route table (0.0.0.0/0 -> NAT gateway)",
  "Security group",
  "Instances A and B in the private subnet",
  "ENI with a fixed primary and a secondary private IP (attached nowhere when created)",
  "Attach the ENI to instance A",
  "Move the ENI to instance B",
  "Elastic IP associated with the ENI",
];
const TEARDOWN_DELETES = [
  "Disassociate and release the ENI's Elastic IP",
  "Detach and delete the ENI",
  "Terminate the instances",
  "Delete the NAT gateway and release its Elastic IP",
  "Delete the route tables",
  "Delete the security group",
  "Detach and delete the internet gateway",
  "Delete the subnets",
  "Delete the VPC",
];

describe("Ansible amazon.aws: test/ansible/network.yml against localvpc serve", () => {
  if (!hasAnsible) {
    it(
      "builds, rebuilds and tears down a network",
      { skip: "ansible-playbook is not installed (.ci/run installs Debian's ansible)" },
      () => {},
    );
    return;
  }
  let server: ServeProcess;
  let ec2: EC2Client;
  let home: string;
  let python: string;

  before(async () => {
    const found = findPython();
    assert.ok(found, "no Python here imports boto3, which amazon.aws needs: install python3-boto3 (.ci/run does)");
    python = found;
    home = mkdtempSync(join(tmpdir(), "localvpc-ansible-"));
    // An empty ansible.cfg: no /etc/ansible/ansible.cfg or ./ansible.cfg changes the callback, paths or defaults.
    writeFileSync(join(home, "ansible.cfg"), "");
    server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
    ec2 = new EC2Client({
      endpoint: server.url,
      region: "us-east-1",
      credentials: { accessKeyId: "123456789012", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });

  /** Runs the playbook; fails with the failed tasks' messages unless every task is ok, skipped or changed. */
  const playbook = async (state: "present" | "absent"): Promise<Run> => {
    // Only what Ansible and botocore need: no AWS_* or EC2_* variable, profile or config file of the machine's user.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: home,
      LC_ALL: "C.UTF-8",
      ANSIBLE_CONFIG: join(home, "ansible.cfg"),
      ANSIBLE_STDOUT_CALLBACK: "json",
      ANSIBLE_NOCOLOR: "1",
      ANSIBLE_LOCALHOST_WARNING: "false",
      ANSIBLE_INVENTORY_UNPARSED_WARNING: "false",
      ANSIBLE_RETRY_FILES_ENABLED: "false",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    };
    const args = [
      "-i",
      "localhost,",
      "-e",
      `ansible_python_interpreter=${python}`,
      "-e",
      `localvpc_url=${server.url}`,
      "-e",
      `state=${state}`,
      PLAYBOOK,
    ];
    const started = Date.now();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile("ansible-playbook", args, { env, cwd: home, timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout: out, stderr: errOut }),
      );
    });
    const ms = Date.now() - started;
    const start = stdout.indexOf("{");
    assert.ok(start >= 0, `ansible-playbook (exit ${code}) printed no JSON report.\nstdout: ${stdout}\nstderr: ${stderr}`);
    const report = JSON.parse(stdout.slice(start)) as PlaybookReport;
    const tasks = report.plays.flatMap((p) => p.tasks).map((t) => ({ name: t.task.name, host: t.hosts["localhost"] }));
    const bad = (h: HostResult): boolean => h.failed === true || h.unreachable === true || (h.results ?? []).some(bad);
    const failed = tasks.filter((t) => t.host && bad(t.host)).map((t) => `${t.name}: ${JSON.stringify(t.host?.msg ?? t.host)}`);
    assert.deepEqual(failed, [], `ansible-playbook -e state=${state} (exit ${code}) failed:\n${failed.join("\n")}\nstderr: ${stderr}`);
    assert.equal(code, 0, `ansible-playbook -e state=${state} exited ${code}.\nstderr: ${stderr}`);
    const stats = report.stats["localhost"];
    assert.ok(stats, "the report has no stats for localhost");
    assert.equal(stats.failures + stats.unreachable, 0);
    return {
      report,
      ms,
      ran: tasks.filter((t) => t.host && t.host.skipped !== true).map((t) => t.name),
      changed: tasks.filter((t) => t.host?.changed === true).map((t) => t.name),
    };
  };

  const timing = (what: string, run: Run): string =>
    `${what}: ${(run.ms / 1000).toFixed(1)} s, ${run.ran.length} tasks ran, ${run.changed.length} changed`;

  const instancesNamed = async (name: string): Promise<Instance[]> => {
    const r = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: [name] }] }));
    return (r.Reservations ?? []).flatMap((x) => x.Instances ?? []);
  };

  it("run 1 builds the network: every task ok, each building one resource", { timeout: RUN_TIMEOUT_MS + 60_000 }, async (t) => {
    const run = await playbook("present");
    t.diagnostic(timing("run 1 (build)", run));
    assert.deepEqual(run.ran, BUILD_TASKS);
    assert.deepEqual(
      run.changed,
      BUILD_TASKS.filter((n) => n !== "Find the NAT gateway's Elastic IP"),
    );

    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["localvpc-ansible-vpc"] }] }));
    assert.equal(Vpcs?.length, 1);
    const vpc = Vpcs[0]!;
    assert.equal(vpc.CidrBlock, "10.42.0.0/16");
    const vpcFilter = [{ Name: "vpc-id", Values: [vpc.VpcId!] }];

    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: vpcFilter }));
    const subnet = (cidr: string) => Subnets?.find((s) => s.CidrBlock === cidr);
    assert.equal(Subnets?.length, 2);
    assert.equal(subnet("10.42.1.0/24")?.MapPublicIpOnLaunch, true);
    assert.equal(subnet("10.42.2.0/24")?.MapPublicIpOnLaunch, false);

    const { InternetGateways } = await ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpc.VpcId!] }] }),
    );
    const igwId = InternetGateways?.[0]?.InternetGatewayId;
    const { NatGateways } = await ec2.send(new DescribeNatGatewaysCommand({ Filter: vpcFilter }));
    assert.deepEqual(
      NatGateways?.map((n) => [n.State, n.SubnetId]),
      [["available", subnet("10.42.1.0/24")?.SubnetId]],
    );
    const natId = NatGateways[0]!.NatGatewayId;

    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: vpcFilter }));
    const defaultRoute = (name: string) => {
      const rt = RouteTables?.find((r) => r.Tags?.some((tag) => tag.Key === "Name" && tag.Value === name));
      const route = rt?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
      return [route?.GatewayId ?? route?.NatGatewayId, route?.State, rt?.Associations?.map((a) => a.SubnetId)];
    };
    assert.deepEqual(defaultRoute("localvpc-ansible-public-rt"), [igwId, "active", [subnet("10.42.1.0/24")?.SubnetId]]);
    assert.deepEqual(defaultRoute("localvpc-ansible-private-rt"), [natId, "active", [subnet("10.42.2.0/24")?.SubnetId]]);

    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [...vpcFilter, { Name: "group-name", Values: ["localvpc-ansible-app"] }] }),
    );
    const ingress = SecurityGroups?.[0]?.IpPermissions?.map((p) => `${p.IpProtocol}:${p.FromPort}-${p.ToPort}`).sort();
    assert.deepEqual(ingress, ["icmp:-1--1", "tcp:22-22", "tcp:443-443", "tcp:80-80"]);

    const [a] = await instancesNamed("localvpc-ansible-a");
    const [b] = await instancesNamed("localvpc-ansible-b");
    assert.deepEqual(
      [a?.State?.Name, b?.State?.Name, a?.InstanceType, b?.SubnetId],
      ["running", "running", "t3.micro", subnet("10.42.2.0/24")?.SubnetId],
    );

    // The ENI: on instance B at device index 1 (moved off A), its fixed and secondary IPs, the Elastic IP on it.
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "tag:Name", Values: ["localvpc-ansible-eni"] }] }),
    );
    assert.equal(NetworkInterfaces?.length, 1);
    const eni = NetworkInterfaces[0]!;
    assert.deepEqual([eni.Attachment?.InstanceId, eni.Attachment?.DeviceIndex, eni.Status], [b?.InstanceId, 1, "in-use"]);
    assert.deepEqual(
      eni.PrivateIpAddresses?.map((p) => [p.PrivateIpAddress, p.Primary]),
      [
        ["10.42.2.10", true],
        ["10.42.2.11", false],
      ],
    );
    assert.equal(a?.NetworkInterfaces?.length, 1, "instance A keeps only its primary ENI");
    const { Addresses } = await ec2.send(
      new DescribeAddressesCommand({ Filters: [{ Name: "network-interface-id", Values: [eni.NetworkInterfaceId!] }] }),
    );
    assert.deepEqual(
      Addresses?.map((x) => [x.PrivateIpAddress, x.PublicIp]),
      [["10.42.2.10", eni.Association?.PublicIp]],
    );
  });

  it("run 2 changes nothing", { timeout: RUN_TIMEOUT_MS + 60_000 }, async (t) => {
    const run = await playbook("present");
    t.diagnostic(timing("run 2 (again)", run));
    assert.deepEqual(run.changed, []);
    assert.equal(run.report.stats["localhost"]?.changed, 0);
    // The ENI already lives on B, and the NAT gateway's Elastic IP already exists: those tasks are skipped.
    assert.deepEqual(
      BUILD_TASKS.filter((n) => !run.ran.includes(n)),
      ["Elastic IP for the NAT gateway", "Attach the ENI to instance A"],
    );
  });

  it("state=absent tears everything down; a second teardown changes nothing", { timeout: 2 * RUN_TIMEOUT_MS + 60_000 }, async (t) => {
    const run = await playbook("absent");
    t.diagnostic(timing("teardown", run));
    assert.deepEqual(run.changed, TEARDOWN_DELETES);

    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
    assert.deepEqual(
      Vpcs?.map((v) => v.IsDefault),
      [true],
      "only the default VPC is left",
    );
    const defaultVpc = Vpcs[0]!.VpcId;
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({}));
    assert.deepEqual([...new Set(Subnets?.map((s) => s.VpcId))], [defaultVpc]);
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({}));
    const instances = (Reservations ?? []).flatMap((r) => r.Instances ?? []);
    assert.deepEqual(
      instances.map((i) => i.State?.Name),
      ["terminated", "terminated"],
    );
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({}));
    assert.deepEqual(NetworkInterfaces, [], "the ENI and both instances' primary ENIs are gone");
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({}));
    assert.deepEqual(Addresses, [], "both Elastic IPs are released");
    const { NatGateways } = await ec2.send(new DescribeNatGatewaysCommand({}));
    assert.deepEqual(
      NatGateways?.map((n) => n.State),
      ["deleted"],
    );
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({}));
    assert.deepEqual([...new Set(SecurityGroups?.map((g) => g.VpcId))], [defaultVpc]);
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({}));
    assert.deepEqual([...new Set(RouteTables?.map((r) => r.VpcId))], [defaultVpc]);
    const { InternetGateways } = await ec2.send(new DescribeInternetGatewaysCommand({}));
    assert.deepEqual(
      InternetGateways?.map((g) => g.Attachments?.map((x) => x.VpcId)),
      [[defaultVpc]],
    );

    const again = await playbook("absent");
    t.diagnostic(timing("teardown again", again));
    assert.deepEqual(again.ran, ["Find the VPC"]);
    assert.deepEqual(again.changed, []);
  });
});
