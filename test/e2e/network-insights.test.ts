/**
 * Reachability Analyzer (issue 21) through EC2's real actions with the real SDK: paths, analyses on the simulated
 * clock, AWS's shapes, the errors, and the promise that an analysis and `traffic send` never disagree (one table of
 * topologies, each asked both ways).
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInsightsPathCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateSubnetCommand,
  DeleteNetworkInsightsAnalysisCommand,
  DeleteNetworkInsightsPathCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInsightsAnalysesCommand,
  DescribeNetworkInsightsPathsCommand,
  ReplaceNetworkAclAssociationCommand,
  RunInstancesCommand,
  StartNetworkInsightsAnalysisCommand,
  TerminateInstancesCommand,
  type CreateNetworkInsightsPathCommandInput,
  type NetworkInsightsAnalysis,
} from "@aws-sdk/client-ec2";
import { adminCall, createNetwork, expectErrorNoChange, useHarness, type WireVerdict } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";
/** The source port an analysis uses when its path names none (domain/network-insights.ts). */
const ANALYSIS_SOURCE_PORT = 49152;

describe("Reachability Analyzer", () => {
  const h = useHarness();
  let net: { vpcId: string; subnetId: string; sgId: string };
  let igwId: string;
  let publicRtb: string;

  beforeEach(async () => {
    net = await createNetwork(h, "10.81.0.0/16", "10.81.1.0/24");
    igwId = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: net.vpcId }));
    publicRtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await h.ec2.send(new CreateRouteCommand({ RouteTableId: publicRtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
    await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: publicRtb, SubnetId: net.subnetId }));
  });

  const launch = async (subnetId: string, opts: { publicIp?: boolean; groups?: string[] } = {}): Promise<string> =>
    (
      await h.ec2.send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: "t3.medium",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [
            { DeviceIndex: 0, SubnetId: subnetId, AssociatePublicIpAddress: opts.publicIp ?? false, Groups: opts.groups },
          ],
        }),
      )
    ).Instances![0]!.InstanceId!;

  const subnet = async (cidr: string): Promise<string> =>
    (await h.ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: cidr, AvailabilityZone: "us-east-1a" }))).Subnet!.SubnetId!;

  const allowIngress = (groupId: string, port: number) =>
    h.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: port, ToPort: port, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );

  /** Creates the path, starts an analysis and reads it back once it has completed. */
  const analyse = async (input: Omit<CreateNetworkInsightsPathCommandInput, "Protocol"> & { Protocol?: "tcp" | "udp" }) => {
    const path = (await h.ec2.send(new CreateNetworkInsightsPathCommand({ Protocol: "tcp", ...input }))).NetworkInsightsPath!;
    const started = (await h.ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! })))
      .NetworkInsightsAnalysis!;
    assert.equal(started.Status, "running");
    const [done] = (
      await h.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [started.NetworkInsightsAnalysisId!] }))
    ).NetworkInsightsAnalyses!;
    return { path, analysis: done! };
  };

  const send = async (from: string, to: string, port: number): Promise<WireVerdict> => {
    const r = await adminCall<WireVerdict>(h, "POST", "traffic/send", { from, to, port, proto: "tcp", srcPort: ANALYSIS_SOURCE_PORT });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  /** The verdict as one code: null when the request and its reply both go through, else the first drop's reason. */
  const verdictCode = (v: WireVerdict): string | null => (v.delivered ? (v.reply?.delivered === false ? v.reply.reason : null) : v.reason);
  const analysisCode = (a: NetworkInsightsAnalysis): string | null =>
    a.NetworkPathFound === true ? null : (a.Explanations?.[0]?.ExplanationCode ?? "none");

  it("an analysis and traffic send agree on every topology of the table", async () => {
    // Each row builds its topology, then names a path (source, destination, port) and what both must say.
    const rows: {
      name: string;
      build: () => Promise<{ source: string; destination: string; traffic: [string, string]; port: number }>;
      expect: string | null;
    }[] = [
      {
        name: "two instances in the default security group",
        build: async () => {
          const a = await launch(net.subnetId);
          const b = await launch(net.subnetId);
          return { source: a, destination: b, traffic: [a, b], port: 443 };
        },
        expect: null,
      },
      {
        name: "destination's security group has no inbound rule",
        build: async () => {
          const sg = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "ra-closed", Description: "closed", VpcId: net.vpcId })))
            .GroupId!;
          const a = await launch(net.subnetId);
          const b = await launch(net.subnetId, { groups: [sg] });
          return { source: a, destination: b, traffic: [a, b], port: 22 };
        },
        expect: "ENI_SG_RULES_MISMATCH",
      },
      {
        name: "the destination subnet's network ACL denies everything",
        build: async () => {
          const other = await subnet("10.81.2.0/24");
          const acl = (await h.ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
          const assoc = (
            await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [other] }] }))
          ).NetworkAcls![0]!.Associations!.find((x) => x.SubnetId === other)!.NetworkAclAssociationId!;
          await h.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
          const a = await launch(net.subnetId);
          const b = await launch(other);
          return { source: a, destination: b, traffic: [a, b], port: 443 };
        },
        expect: "SUBNET_ACL_RESTRICTION",
      },
      {
        name: "the network ACL lets the request in but not the reply out",
        build: async () => {
          const other = await subnet("10.81.3.0/24");
          const acl = (await h.ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
          await h.ec2.send(
            new CreateNetworkAclEntryCommand({
              NetworkAclId: acl,
              RuleNumber: 100,
              Protocol: "6",
              RuleAction: "allow",
              Egress: false,
              CidrBlock: "0.0.0.0/0",
              PortRange: { From: 443, To: 443 },
            }),
          );
          const assoc = (
            await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [other] }] }))
          ).NetworkAcls![0]!.Associations!.find((x) => x.SubnetId === other)!.NetworkAclAssociationId!;
          await h.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
          const a = await launch(net.subnetId);
          const b = await launch(other);
          return { source: a, destination: b, traffic: [a, b], port: 443 };
        },
        expect: "SUBNET_ACL_RESTRICTION",
      },
      {
        name: "an instance without a public address sends to the internet",
        build: async () => {
          const a = await launch(net.subnetId);
          return { source: a, destination: igwId, traffic: [a, "internet"], port: 443 };
        },
        expect: "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
      },
      {
        name: "an instance with a public address sends to the internet",
        build: async () => {
          const a = await launch(net.subnetId, { publicIp: true });
          return { source: a, destination: igwId, traffic: [a, "internet"], port: 443 };
        },
        expect: null,
      },
      {
        name: "a private subnet has no route to the internet",
        build: async () => {
          const priv = await subnet("10.81.4.0/24");
          const a = await launch(priv);
          return { source: a, destination: igwId, traffic: [a, "internet"], port: 443 };
        },
        expect: "NO_ROUTE_TO_DESTINATION",
      },
      {
        name: "the internet reaches a public instance whose group allows the port",
        build: async () => {
          await allowIngress(net.sgId, 443);
          const a = await launch(net.subnetId, { publicIp: true });
          return { source: igwId, destination: a, traffic: ["internet", a], port: 443 };
        },
        expect: null,
      },
      {
        name: "the internet reaches a public instance on a port its group does not allow",
        build: async () => {
          const a = await launch(net.subnetId, { publicIp: true });
          return { source: igwId, destination: a, traffic: ["internet", a], port: 22 };
        },
        expect: "ENI_SG_RULES_MISMATCH",
      },
      {
        name: "a route through an appliance whose source/destination check is on",
        build: async () => {
          const priv = await subnet("10.81.5.0/24");
          const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
          await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: priv }));
          const appliance = await launch(net.subnetId);
          const { Reservations } = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [appliance] }));
          const applianceEni = Reservations![0]!.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
          await h.ec2.send(
            new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", NetworkInterfaceId: applianceEni }),
          );
          const a = await launch(priv);
          return { source: a, destination: igwId, traffic: [a, "internet"], port: 443 };
        },
        expect: "ENI_SOURCE_DEST_CHECK_RESTRICTION",
      },
    ];
    for (const row of rows) {
      const t = await row.build();
      const { analysis } = await analyse({ Source: t.source, Destination: t.destination, DestinationPort: t.port });
      const v = await send(t.traffic[0], t.traffic[1], t.port);
      assert.equal(analysis.Status, "succeeded", row.name);
      assert.equal(analysisCode(analysis), verdictCode(v), `${row.name}: analysis and traffic send disagree (${v.explanation})`);
      assert.equal(analysisCode(analysis), row.expect, `${row.name}: ${v.explanation}`);
    }
  });

  it("a found path lists its hops in AWS's shapes, forward and back", async () => {
    const a = await launch(net.subnetId);
    const b = await launch(net.subnetId);
    const { path, analysis } = await analyse({ Source: a, Destination: b, DestinationPort: 443 });
    assert.match(path.NetworkInsightsPathArn!, /^arn:aws:ec2:us-east-1:\d{12}:network-insights-path\/nip-[0-9a-f]{17}$/);
    assert.equal(path.SourceArn, `arn:aws:ec2:us-east-1:000000000000:instance/${a}`);
    assert.equal(analysis.NetworkPathFound, true);
    assert.equal(analysis.Explanations, undefined);
    const forward = analysis.ForwardPathComponents!;
    assert.deepEqual(
      forward.map((c) => c.SequenceNumber),
      forward.map((_, i) => i + 1),
    );
    const sgHop = forward.find((c) => c.SecurityGroupRule !== undefined);
    assert.ok(sgHop, JSON.stringify(forward));
    assert.equal(sgHop.Component!.Id, net.sgId);
    assert.equal(sgHop.SecurityGroupRule!.Direction, "egress");
    const eniHop = forward.find((c) => c.Component!.Id!.startsWith("eni-"));
    assert.ok(eniHop, JSON.stringify(forward));
    assert.equal(eniHop.AttachedTo?.Id, a);
    assert.equal(eniHop.Subnet?.Id, net.subnetId);
    assert.equal(eniHop.Vpc?.Id, net.vpcId);
    assert.equal(forward.at(-1)!.Component!.Id, b);
    assert.ok(analysis.ReturnPathComponents!.length > 0);
  });

  it("a drop names the component and rule in the Explanation", async () => {
    const other = await subnet("10.81.6.0/24");
    const acl = (await h.ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
    const assoc = (
      await h.ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: [other] }] }))
    ).NetworkAcls![0]!.Associations!.find((x) => x.SubnetId === other)!.NetworkAclAssociationId!;
    await h.ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
    const a = await launch(net.subnetId);
    const b = await launch(other);
    const { analysis } = await analyse({ Source: a, Destination: b, DestinationPort: 443 });
    assert.equal(analysis.NetworkPathFound, false);
    assert.equal(analysis.ForwardPathComponents, undefined);
    const [x] = analysis.Explanations!;
    assert.equal(x!.ExplanationCode, "SUBNET_ACL_RESTRICTION");
    assert.equal(x!.Direction, "ingress");
    assert.equal(x!.Acl!.Id, acl);
    assert.equal(x!.Subnet!.Id, other);
    assert.equal(x!.AclRule!.RuleAction, "deny");
    assert.equal(x!.AclRule!.RuleNumber, 32767);

    const closed = (await h.ec2.send(new CreateSecurityGroupCommand({ GroupName: "ra-x", Description: "x", VpcId: net.vpcId }))).GroupId!;
    const c = await launch(net.subnetId, { groups: [closed] });
    const sg = (await analyse({ Source: a, Destination: c, DestinationPort: 22 })).analysis.Explanations![0]!;
    assert.equal(sg.ExplanationCode, "ENI_SG_RULES_MISMATCH");
    assert.equal(sg.Direction, "ingress");
    assert.deepEqual(
      sg.SecurityGroups!.map((g) => g.Id),
      [closed],
    );
    assert.match(sg.NetworkInterface!.Id!, /^eni-/);
  });

  it("describes, filters and deletes paths and analyses", async () => {
    const a = await launch(net.subnetId);
    const b = await launch(net.subnetId);
    const { path, analysis } = await analyse({
      Source: a,
      Destination: b,
      DestinationPort: 443,
      TagSpecifications: [{ ResourceType: "network-insights-path", Tags: [{ Key: "team", Value: "net" }] }],
    });
    const byTag = await h.ec2.send(new DescribeNetworkInsightsPathsCommand({ Filters: [{ Name: "tag:team", Values: ["net"] }] }));
    assert.deepEqual(
      byTag.NetworkInsightsPaths!.map((p) => p.NetworkInsightsPathId),
      [path.NetworkInsightsPathId],
    );
    assert.deepEqual(byTag.NetworkInsightsPaths![0]!.Tags, [{ Key: "team", Value: "net" }]);
    // CreateTags knows both kinds (issue 21): the analysis shows its tag.
    await h.ec2.send(new CreateTagsCommand({ Resources: [analysis.NetworkInsightsAnalysisId!], Tags: [{ Key: "run", Value: "1" }] }));
    const tagged = await h.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ Filters: [{ Name: "tag:run", Values: ["1"] }] }));
    assert.deepEqual(
      tagged.NetworkInsightsAnalyses!.map((x) => [x.NetworkInsightsAnalysisId, x.Tags]),
      [[analysis.NetworkInsightsAnalysisId, [{ Key: "run", Value: "1" }]]],
    );
    const bySource = await h.ec2.send(new DescribeNetworkInsightsPathsCommand({ Filters: [{ Name: "source", Values: [a] }] }));
    assert.equal(bySource.NetworkInsightsPaths!.length, 1);
    const found = await h.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ Filters: [{ Name: "path-found", Values: ["true"] }] }));
    assert.ok(found.NetworkInsightsAnalyses!.some((x) => x.NetworkInsightsAnalysisId === analysis.NetworkInsightsAnalysisId));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! })),
      "AnalysisExistsForNetworkInsightsPath",
      `At least one analysis [${analysis.NetworkInsightsAnalysisId!}] exists for path ${path.NetworkInsightsPathId!}. Delete all the analyses before deleting this network path.`,
    );
    await h.ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: analysis.NetworkInsightsAnalysisId! }));
    await h.ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! }));
    const left = await h.ec2.send(new DescribeNetworkInsightsPathsCommand({}));
    assert.equal(left.NetworkInsightsPaths!.length, 0);
  });

  it("a path whose source instance was terminated finds no path: UNASSOCIATED_COMPONENT", async () => {
    const a = await launch(net.subnetId);
    const b = await launch(net.subnetId);
    const path = (
      await h.ec2.send(new CreateNetworkInsightsPathCommand({ Source: a, Destination: b, Protocol: "tcp", DestinationPort: 443 }))
    ).NetworkInsightsPath!;
    await h.ec2.send(new TerminateInstancesCommand({ InstanceIds: [a] }));
    const id = (await h.ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! })))
      .NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!;
    const [x] = (await h.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [id] })))
      .NetworkInsightsAnalyses!;
    assert.equal(x!.Status, "succeeded");
    assert.equal(x!.NetworkPathFound, false);
    assert.equal(x!.Explanations![0]!.ExplanationCode, "UNASSOCIATED_COMPONENT");
    assert.equal(x!.Explanations![0]!.Component!.Id, a);
  });

  describe("errors change nothing", () => {
    it("unknown and malformed ids", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: "nip-0123456789abcdef0" })),
        "InvalidNetworkInsightsPathId.NotFound",
        "The networkInsightsPath ID 'nip-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkInsightsPathCommand({ NetworkInsightsPathId: "path-1" })),
        "InvalidNetworkInsightsPathId.Malformed",
        'Invalid id: "path-1" (expecting "nip-...")',
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteNetworkInsightsAnalysisCommand({ NetworkInsightsAnalysisId: "nia-0123456789abcdef0" })),
        "InvalidNetworkInsightsAnalysisId.NotFound",
        "The networkInsightsAnalysis ID 'nia-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeNetworkInsightsPathsCommand({ NetworkInsightsPathIds: ["nip-0123456789abcdef0"] })),
        "InvalidNetworkInsightsPathId.NotFound",
        "The networkInsightsPath ID 'nip-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateNetworkInsightsPathCommand({
              Source: "i-0123456789abcdef0",
              Destination: igwId,
              Protocol: "tcp",
              DestinationPort: 443,
            }),
          ),
        "InvalidInstanceID.NotFound",
        "The instance ID 'i-0123456789abcdef0' does not exist",
      );
    });

    it("parameter rules", async () => {
      const a = await launch(net.subnetId);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateNetworkInsightsPathCommand({ Source: a, DestinationIp: "10.81.1.9", Protocol: "tcp" })),
        "MissingParameter",
        "The request must include either the Destination parameter or the FilterAtSource.DestinationAddress parameter. Add the required parameter and retry the request.",
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateNetworkInsightsPathCommand({
              Source: a,
              Destination: igwId,
              Protocol: "tcp",
              DestinationPort: 443,
              FilterAtSource: { DestinationAddress: "1.1.1.1" },
            }),
          ),
        "InvalidParameterCombination",
        "The parameter FilterAtSource cannot be used with the parameter DestinationPort.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateNetworkInsightsPathCommand({ Source: net.subnetId, Destination: igwId, Protocol: "tcp" })),
        "InvalidParameterValue",
        `The value '${net.subnetId}' for Source is not supported: localvpc analyses paths between instances, network interfaces, internet gateways and IP addresses.`,
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(new CreateNetworkInsightsPathCommand({ Source: a, Destination: igwId, DestinationIp: "300.1.1.1", Protocol: "tcp" })),
        "InvalidParameterValue",
        "The value '300.1.1.1' for parameter DestinationIp is not a valid IPv4 address.",
      );
    });
  });
});

describe("Reachability Analyzer on the simulated clock", () => {
  const h = useHarness({ delays: { networkInsightsAnalysisMs: 60_000 } });
  it("an analysis stays running until the simulated clock reaches its completion", async () => {
    const net = await createNetwork(h, "10.82.0.0/16", "10.82.1.0/24");
    const launch = async (): Promise<string> =>
      (
        await h.ec2.send(
          new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.medium", MinCount: 1, MaxCount: 1, SubnetId: net.subnetId }),
        )
      ).Instances![0]!.InstanceId!;
    const a = await launch();
    const b = await launch();
    const path = (
      await h.ec2.send(new CreateNetworkInsightsPathCommand({ Source: a, Destination: b, Protocol: "tcp", DestinationPort: 443 }))
    ).NetworkInsightsPath!;
    const id = (await h.ec2.send(new StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! })))
      .NetworkInsightsAnalysis!.NetworkInsightsAnalysisId!;
    const read = async () =>
      (
        await h.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! }))
      ).NetworkInsightsAnalyses!.find((x) => x.NetworkInsightsAnalysisId === id)!;
    const before = await read();
    assert.equal(before.Status, "running");
    assert.equal(before.NetworkPathFound, undefined);
    const running = await h.ec2.send(new DescribeNetworkInsightsAnalysesCommand({ Filters: [{ Name: "status", Values: ["running"] }] }));
    assert.deepEqual(
      running.NetworkInsightsAnalyses!.map((x) => x.NetworkInsightsAnalysisId),
      [id],
    );
    await adminCall(h, "POST", "clock/advance", { ms: 60_000 });
    const after = await read();
    assert.equal(after.Status, "succeeded");
    assert.equal(after.NetworkPathFound, true);
  });
});
