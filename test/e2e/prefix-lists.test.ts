/**
 * Managed prefix lists (issue 16) with the real SDK: AWS-managed lists, customer-managed lists and their versions,
 * references from security-group rules and routes (with their quota weight), and what the data plane does with them.
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateManagedPrefixListCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteManagedPrefixListCommand,
  DeleteRouteCommand,
  DescribeManagedPrefixListsCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  GetManagedPrefixListAssociationsCommand,
  GetManagedPrefixListEntriesCommand,
  ModifyManagedPrefixListCommand,
  ReplaceRouteCommand,
  RestoreManagedPrefixListVersionCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createNetwork, expectErrorNoChange, trafficSend, useHarness } from "./harness.js";

const AMI = "ami-0a1b2c3d4e5f60001";
const S3 = "pl-63a5400a"; // com.amazonaws.us-east-1.s3, AWS's real id

describe("managed prefix lists", () => {
  const h = useHarness({ quotas: { prefixListsPerRegion: 3 } });
  const create = async (name: string, maxEntries: number, cidrs: string[] = [], family = "IPv4") =>
    (
      await h.ec2.send(
        new CreateManagedPrefixListCommand({
          PrefixListName: name,
          AddressFamily: family,
          MaxEntries: maxEntries,
          Entries: cidrs.map((c) => ({ Cidr: c, Description: `d ${c}` })),
        }),
      )
    ).PrefixList!;
  const entries = async (id: string, version?: number) =>
    (await h.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: version }))).Entries!.map((e) => e.Cidr);

  describe("AWS-managed lists", () => {
    it("DescribeManagedPrefixLists lists the region's AWS lists with owner AWS and 8-hex ids", async () => {
      const r = await h.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "owner-id", Values: ["AWS"] }] }));
      const names = r.PrefixLists!.map((l) => l.PrefixListName);
      for (const n of ["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.dynamodb", "com.amazonaws.global.cloudfront.origin-facing"])
        assert.ok(names.includes(n), n);
      for (const l of r.PrefixLists!) assert.match(l.PrefixListId!, /^pl-[0-9a-f]{8}$/);
      const s3 = r.PrefixLists!.find((l) => l.PrefixListName === "com.amazonaws.us-east-1.s3")!;
      assert.equal(s3.PrefixListId, S3);
      assert.equal(s3.OwnerId, "AWS");
      assert.equal(s3.State, "create-complete");
      assert.equal(s3.AddressFamily, "IPv4");
      assert.equal(s3.PrefixListArn, `arn:aws:ec2:us-east-1:aws:prefix-list/${S3}`);
      const cf = r.PrefixLists!.find((l) => l.PrefixListName === "com.amazonaws.global.cloudfront.origin-facing")!;
      assert.equal(cf.MaxEntries, 55, "the documented weight");
      assert.ok((await entries(S3)).includes("52.216.0.0/15"));
    });

    it("filters by name and id, takes ids and pages", async () => {
      const byName = await h.ec2.send(
        new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: ["com.amazonaws.*.dynamodb"] }] }),
      );
      assert.deepEqual(
        byName.PrefixLists!.map((l) => l.PrefixListName),
        ["com.amazonaws.us-east-1.dynamodb"],
      );
      const byId = await h.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "prefix-list-id", Values: [S3] }] }));
      assert.equal(byId.PrefixLists!.length, 1);
      const ids = await h.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [S3] }));
      assert.equal(ids.PrefixLists![0]!.PrefixListId, S3);
      const p1 = await h.ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: 5 }));
      assert.equal(p1.PrefixLists!.length, 5);
      const p2 = await h.ec2.send(new DescribeManagedPrefixListsCommand({ MaxResults: 100, NextToken: p1.NextToken }));
      assert.equal(p2.NextToken, undefined);
      const all = [...p1.PrefixLists!, ...p2.PrefixLists!].map((l) => l.PrefixListId);
      assert.equal(new Set(all).size, all.length);
      // Another region has its own lists.
      const west = await h.client("test", "us-west-2").send(new DescribeManagedPrefixListsCommand({}));
      assert.ok(west.PrefixLists!.some((l) => l.PrefixListName === "com.amazonaws.us-west-2.s3"));
      assert.ok(!west.PrefixLists!.some((l) => l.PrefixListId === S3));
    });

    it("DescribePrefixLists (legacy) shows only the S3 and DynamoDB lists, with their CIDRs", async () => {
      const r = await h.ec2.send(new DescribePrefixListsCommand({}));
      assert.deepEqual(r.PrefixLists!.map((l) => l.PrefixListName).sort(), [
        "com.amazonaws.us-east-1.dynamodb",
        "com.amazonaws.us-east-1.s3",
      ]);
      assert.ok(r.PrefixLists!.find((l) => l.PrefixListId === S3)!.Cidrs!.includes("54.231.0.0/16"));
      const f = await h.ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: "prefix-list-id", Values: [S3] }] }));
      assert.equal(f.PrefixLists!.length, 1);
    });

    it("unknown and malformed ids", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: ["pl-0123456789abcdef0"] })),
        "InvalidPrefixListID.NotFound",
        "The prefix list ID 'pl-0123456789abcdef0' does not exist",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: "pl-nope" })),
        "InvalidPrefixListId.Malformed",
        'Invalid id: "pl-nope" (expecting "pl-...")',
      );
    });

    it("cannot be modified, restored or deleted", async () => {
      const msg = `The prefix list ${S3} is managed by AWS and cannot be modified, restored or deleted.`;
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: S3, PrefixListName: "x" })),
        "InvalidParameterValue",
        msg,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new RestoreManagedPrefixListVersionCommand({ PrefixListId: S3, PreviousVersion: 1, CurrentVersion: 1 })),
        "InvalidParameterValue",
        msg,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: S3 })),
        "InvalidParameterValue",
        msg,
      );
    });
  });

  describe("customer-managed lists", () => {
    it("creates a list: 17-hex id, version 1, entries with descriptions, tags", async () => {
      const r = await h.ec2.send(
        new CreateManagedPrefixListCommand({
          PrefixListName: "corp",
          AddressFamily: "IPv4",
          MaxEntries: 5,
          Entries: [{ Cidr: "10.1.0.5/16", Description: "office" }, { Cidr: "192.0.2.0/24" }],
          TagSpecifications: [{ ResourceType: "prefix-list", Tags: [{ Key: "team", Value: "net" }] }],
        }),
      );
      const l = r.PrefixList!;
      assert.match(l.PrefixListId!, /^pl-[0-9a-f]{17}$/);
      assert.equal(l.State, "create-complete");
      assert.equal(l.Version, 1);
      assert.equal(l.MaxEntries, 5);
      assert.equal(l.OwnerId, "000000000000");
      assert.deepEqual(l.Tags, [{ Key: "team", Value: "net" }]);
      const e = await h.ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: l.PrefixListId! }));
      assert.deepEqual(e.Entries, [{ Cidr: "10.1.0.0/16", Description: "office" }, { Cidr: "192.0.2.0/24" }]);
      const own = await h.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "owner-id", Values: ["000000000000"] }] }));
      assert.deepEqual(
        own.PrefixLists!.map((x) => x.PrefixListId),
        [l.PrefixListId],
      );
      const tagged = await h.ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: "tag:team", Values: ["net"] }] }));
      assert.equal(tagged.PrefixLists!.length, 1);
    });

    it("refuses bad names, sizes, entries and the quota", async () => {
      const call = (over: Partial<{ name: string; max: number; family: string; cidrs: string[] }>) => () =>
        h.ec2.send(
          new CreateManagedPrefixListCommand({
            PrefixListName: over.name ?? "x",
            AddressFamily: over.family ?? "IPv4",
            MaxEntries: over.max ?? 2,
            Entries: (over.cidrs ?? []).map((c) => ({ Cidr: c })),
          }),
        );
      await expectErrorNoChange(
        h,
        call({ name: "com.amazonaws.mine" }),
        "InvalidParameterValue",
        "The prefix list name cannot start with 'com.amazonaws'.",
      );
      await expectErrorNoChange(
        h,
        call({ max: 1001 }),
        "InvalidParameterValue",
        "The maximum number of entries (1001) is invalid. It must be between 1 and 1000.",
      );
      await expectErrorNoChange(
        h,
        call({ cidrs: ["10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16"] }),
        "InvalidParameterValue",
        "The number of entries exceeds the maximum number of entries (2) for the prefix list.",
      );
      await expectErrorNoChange(
        h,
        call({ cidrs: ["2001:db8::/32"] }),
        "InvalidParameterValue",
        "The CIDR block 2001:db8::/32 is not a valid IPv4 CIDR block for this prefix list.",
      );
      await expectErrorNoChange(
        h,
        call({ cidrs: ["10.0.0.0/8", "10.0.0.0/8"] }),
        "InvalidParameterValue",
        "The CIDR block 10.0.0.0/8 appears more than once in the prefix list entries.",
      );
      await expectErrorNoChange(
        h,
        call({ family: "IPv5" }),
        "InvalidParameterValue",
        "Value (IPv5) for parameter AddressFamily is invalid. Allowed values: IPv4, IPv6.",
      );
      await create("a", 1);
      await create("b", 1);
      await create("c", 1, [], "IPv6");
      await expectErrorNoChange(h, call({}), "PrefixListLimitExceeded", "The maximum number of prefix lists has been reached.");
    });

    it("modifies: entries make versions, a rename does not, CurrentVersion is checked", async () => {
      const id = (await create("corp", 3, ["10.0.0.0/16"])).PrefixListId!;
      const m = await h.ec2.send(
        new ModifyManagedPrefixListCommand({
          PrefixListId: id,
          CurrentVersion: 1,
          AddEntries: [{ Cidr: "10.9.0.0/16" }],
          RemoveEntries: [{ Cidr: "10.0.0.0/16" }],
        }),
      );
      assert.equal(m.PrefixList!.Version, 2);
      assert.equal(m.PrefixList!.State, "modify-complete");
      const renamed = await h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, PrefixListName: "corp2" }));
      assert.equal(renamed.PrefixList!.Version, 2);
      assert.equal(renamed.PrefixList!.PrefixListName, "corp2");
      assert.deepEqual(await entries(id), ["10.9.0.0/16"]);
      assert.deepEqual(await entries(id, 1), ["10.0.0.0/16"]);
      const resized = await h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, MaxEntries: 10 }));
      assert.equal(resized.PrefixList!.MaxEntries, 10);

      const mod = (input: Omit<ConstructorParameters<typeof ModifyManagedPrefixListCommand>[0], "PrefixListId">) => () =>
        h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, ...input }));
      await expectErrorNoChange(
        h,
        mod({ CurrentVersion: 1, AddEntries: [{ Cidr: "10.8.0.0/16" }] }),
        "PrefixListVersionMismatch",
        "The prefix list has the incorrect version number.",
      );
      await expectErrorNoChange(
        h,
        mod({ MaxEntries: 20, AddEntries: [{ Cidr: "10.8.0.0/16" }] }),
        "InvalidParameterCombination",
        "You cannot modify the entries of a prefix list and modify the size of a prefix list at the same time.",
      );
      await expectErrorNoChange(
        h,
        mod({ RemoveEntries: [{ Cidr: "10.7.0.0/16" }] }),
        "InvalidPrefixListModification",
        "The CIDR block 10.7.0.0/16 is not an entry of the prefix list.",
      );
      await expectErrorNoChange(
        h,
        mod({ AddEntries: [{ Cidr: "10.9.0.0/16" }] }),
        "InvalidPrefixListModification",
        "The CIDR block 10.9.0.0/16 is already an entry of the prefix list.",
      );
      await h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, AddEntries: [{ Cidr: "10.8.0.0/16" }] }));
      await expectErrorNoChange(
        h,
        mod({ MaxEntries: 1 }),
        "InvalidParameterValue",
        "The maximum number of entries (1) is less than the number of entries in the prefix list (2).",
      );
      await expectErrorNoChange(h, () => entries(id, 9), "InvalidParameterValue", "The prefix list version 9 does not exist.");
    });

    it("restores an earlier version as a new one", async () => {
      const id = (await create("corp", 3, ["10.0.0.0/16"])).PrefixListId!;
      await h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 1, AddEntries: [{ Cidr: "10.9.0.0/16" }] }));
      const r = await h.ec2.send(new RestoreManagedPrefixListVersionCommand({ PrefixListId: id, PreviousVersion: 1, CurrentVersion: 2 }));
      assert.equal(r.PrefixList!.Version, 3);
      assert.equal(r.PrefixList!.State, "restore-complete");
      assert.deepEqual(await entries(id), ["10.0.0.0/16"]);
      const restore = (previous: number, current: number) => () =>
        h.ec2.send(new RestoreManagedPrefixListVersionCommand({ PrefixListId: id, PreviousVersion: previous, CurrentVersion: current }));
      await expectErrorNoChange(h, restore(1, 2), "PrefixListVersionMismatch", "The prefix list has the incorrect version number.");
      await expectErrorNoChange(
        h,
        restore(3, 3),
        "InvalidParameterValue",
        "The version 3 is already the current version of the prefix list.",
      );
      await expectErrorNoChange(h, restore(7, 3), "InvalidParameterValue", "The prefix list version 7 does not exist.");
    });

    it("deletes a list nobody references", async () => {
      const id = (await create("gone", 2)).PrefixListId!;
      const d = await h.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id }));
      assert.equal(d.PrefixList!.State, "delete-complete");
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id })),
        "InvalidPrefixListID.NotFound",
        `The prefix list ID '${id}' does not exist`,
      );
    });
  });

  describe("in security-group rules", () => {
    it("authorizes, describes, counts MaxEntries against the quota, blocks delete and resize, revokes", async () => {
      const net = await createNetwork(h, "10.60.0.0/16", "10.60.1.0/24");
      const id = (await create("corp", 10, ["198.51.100.0/24"])).PrefixListId!;
      const auth = await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: net.sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: id, Description: "corp ssh" }] }],
        }),
      );
      assert.equal(auth.SecurityGroupRules![0]!.PrefixListId, id);
      await h.ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: net.sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: S3 }] }],
        }),
      );
      const g = (await h.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [net.sgId] }))).SecurityGroups![0]!;
      assert.deepEqual(g.IpPermissions!.find((p) => p.FromPort === 22)!.PrefixListIds, [{ PrefixListId: id, Description: "corp ssh" }]);
      assert.deepEqual(g.IpPermissionsEgress!.find((p) => p.FromPort === 443)!.PrefixListIds, [{ PrefixListId: S3 }]);
      const rules = await h.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [net.sgId] }] }));
      assert.ok(rules.SecurityGroupRules!.some((r) => r.PrefixListId === S3 && r.IsEgress));
      const assoc = await h.ec2.send(new GetManagedPrefixListAssociationsCommand({ PrefixListId: id }));
      assert.deepEqual(assoc.PrefixListAssociations, [{ ResourceId: net.sgId, ResourceOwner: "000000000000" }]);

      // Ingress holds the default self-reference (1) and the list (10): 49 more CIDR rules fit, a 50th does not.
      const cidrs = Array.from({ length: 49 }, (_, i) => ({ CidrIp: `10.200.${i}.0/24` }));
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: net.sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: cidrs }],
        }),
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: net.sgId,
              IpPermissions: [{ IpProtocol: "tcp", FromPort: 81, ToPort: 81, IpRanges: [{ CidrIp: "10.201.0.0/24" }] }],
            }),
          ),
        "RulesPerSecurityGroupLimitExceeded",
        "The maximum number of rules per security group has been reached.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ModifyManagedPrefixListCommand({ PrefixListId: id, MaxEntries: 11 })),
        "InvalidParameterValue",
        `The following resources cannot support the new maximum size of the prefix list: ${net.sgId}.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id })),
        "DependencyViolation",
        `The prefix list ${id} is referenced by one or more resources and cannot be deleted.`,
      );
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new AuthorizeSecurityGroupIngressCommand({
              GroupId: net.sgId,
              IpPermissions: [{ IpProtocol: "tcp", FromPort: 1, ToPort: 1, PrefixListIds: [{ PrefixListId: "pl-0123456789abcdef0" }] }],
            }),
          ),
        "InvalidPrefixListID.NotFound",
        "The prefix list ID 'pl-0123456789abcdef0' does not exist",
      );
      await h.ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: net.sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: id }] }],
        }),
      );
      await h.ec2.send(
        new RevokeSecurityGroupEgressCommand({
          GroupId: net.sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: S3 }] }],
        }),
      );
      await h.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id }));
    });
  });

  describe("in routes", () => {
    let net: { vpcId: string; subnetId: string; sgId: string };
    let rtb: string;
    let igw: string;
    beforeEach(async () => {
      net = await createNetwork(h, "10.61.0.0/16", "10.61.1.0/24");
      rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
      igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
    });

    it("creates, describes, filters, replaces and deletes a prefix-list route", async () => {
      const id = (await create("dest", 5, ["203.0.113.0/24"])).PrefixListId!;
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }));
      const t = (await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!;
      const r = t.Routes!.find((x) => x.DestinationPrefixListId === id)!;
      assert.equal(r.GatewayId, igw);
      assert.equal(r.State, "active");
      assert.equal(r.DestinationCidrBlock, undefined);
      const f = await h.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.destination-prefix-list-id", Values: [id] }] }));
      assert.deepEqual(
        f.RouteTables!.map((x) => x.RouteTableId),
        [rtb],
      );
      const assoc = await h.ec2.send(new GetManagedPrefixListAssociationsCommand({ PrefixListId: id }));
      assert.deepEqual(assoc.PrefixListAssociations, [{ ResourceId: rtb, ResourceOwner: "000000000000" }]);
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw })),
        "RouteAlreadyExists",
        `The route identified by ${id} already exists.`,
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: id })),
        "DependencyViolation",
        `The prefix list ${id} is referenced by one or more resources and cannot be deleted.`,
      );
      await h.ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }));
      await h.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id })),
        "InvalidRoute.NotFound",
        `no route with destination-prefix-list-id ${id} in route table ${rtb}`,
      );
    });

    it("refuses AWS-managed lists, two destinations, and counts MaxEntries against the route quota", async () => {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: S3, GatewayId: igw })),
        "InvalidParameterValue",
        `The prefix list ${S3} is managed by AWS and cannot be referenced by a route.`,
      );
      const id = (await create("big", 50, ["203.0.113.0/24"])).PrefixListId!;
      await expectErrorNoChange(
        h,
        () =>
          h.ec2.send(
            new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }),
          ),
        "InvalidParameterCombination",
        "The request must contain exactly one of the parameters destinationCidrBlock, destinationIpv6CidrBlock, destinationPrefixListId",
      );
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }));
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw })),
        "RouteLimitExceeded",
        "The maximum number of routes has been reached.",
      );
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: "pl-0123456789abcdef0", GatewayId: igw })),
        "InvalidPrefixListID.NotFound",
        "The prefix list ID 'pl-0123456789abcdef0' does not exist",
      );
    });
  });

  describe("in the data plane", () => {
    const launch = async (subnetId: string, publicIp = false) =>
      (
        await h.ec2.send(
          new RunInstancesCommand({
            ImageId: AMI,
            InstanceType: "t3.micro",
            MinCount: 1,
            MaxCount: 1,
            NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, AssociatePublicIpAddress: publicIp }],
          }),
        )
      ).Instances![0]!;

    it("an SG rule matches the list's current entries and names the list", async () => {
      const net = await createNetwork(h, "10.62.0.0/16", "10.62.1.0/24");
      const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
      const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
      await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: net.subnetId }));
      const web = await launch(net.subnetId, true);
      const id = (await create("clients", 4, ["198.51.100.0/24"])).PrefixListId!;
      await h.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: net.sgId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: id }] }],
        }),
      );
      const pub = web.NetworkInterfaces![0]!.Association?.PublicIp ?? web.PublicIpAddress!;
      const ok = await trafficSend(h, { from: "198.51.100.7", to: pub, port: 443 });
      assert.equal(ok.delivered, true, ok.explanation);
      assert.ok(ok.hops.some((x) => x.type === "security-group" && x.detail.includes(`prefix list ${id}, entry 198.51.100.0/24`)));
      const other = await trafficSend(h, { from: "192.0.2.9", to: pub, port: 443 });
      assert.equal(other.delivered, false);
      assert.equal(other.reason, "ENI_SG_RULES_MISMATCH");
      // A new version applies at once.
      await h.ec2.send(
        new ModifyManagedPrefixListCommand({
          PrefixListId: id,
          RemoveEntries: [{ Cidr: "198.51.100.0/24" }],
          AddEntries: [{ Cidr: "192.0.2.0/24" }],
        }),
      );
      assert.equal((await trafficSend(h, { from: "192.0.2.9", to: pub, port: 443 })).delivered, true);
      assert.equal((await trafficSend(h, { from: "198.51.100.7", to: pub, port: 443 })).delivered, false);
    });

    it("a prefix-list route matches its entries by longest prefix; a CIDR route of the same length wins", async () => {
      const net = await createNetwork(h, "10.63.0.0/16", "10.63.1.0/24");
      const igw = (await h.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
      await h.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
      const rtb = (await h.ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
      await h.ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: net.subnetId }));
      const app = await launch(net.subnetId, true);
      const id = (await create("partners", 4, ["203.0.113.0/24"])).PrefixListId!;
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }));
      const out = await trafficSend(h, { from: app.InstanceId!, to: "203.0.113.10", port: 443 });
      assert.ok(
        out.hops.some((x) => x.type === "route-table" && x.action === "pass" && x.detail.includes(`${id} (203.0.113.0/24)`)),
        JSON.stringify(out.hops),
      );
      const none = await trafficSend(h, { from: app.InstanceId!, to: "198.51.100.10", port: 443 });
      assert.equal(none.reason, "NO_ROUTE_TO_DESTINATION");
      // A CIDR route with the same prefix wins over the prefix-list route.
      await h.ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: "203.0.113.0/24", GatewayId: igw }));
      const cidrWins = await trafficSend(h, { from: app.InstanceId!, to: "203.0.113.10", port: 443 });
      assert.ok(
        cidrWins.hops.some((x) => x.type === "route-table" && x.detail.startsWith("route 203.0.113.0/24 →")),
        JSON.stringify(cidrWins.hops),
      );
    });
  });
});
