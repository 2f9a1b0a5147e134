/**
 * VPC peering (issue 16): the connection's lifecycle in one account, across accounts and across Regions, who may
 * accept, reject, delete and modify it, its visibility to both sides, the 7-day expiry on the simulated clock,
 * Describe filters, and routes that target it (active only; a deleted connection's routes are blackholes).
 */
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AcceptVpcPeeringConnectionCommand,
  AssociateVpcCidrBlockCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcPeeringConnectionOptionsCommand,
  RejectVpcPeeringConnectionCommand,
  ReplaceRouteCommand,
  type EC2Client,
  type Filter,
} from "@aws-sdk/client-ec2";
import { adminCall, expectError, expectErrorNoChange, useHarness, type Harness } from "./harness.js";

const A = "111111111111";
const B = "222222222222";
const FAILED = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range";

const vpc = async (c: EC2Client, cidr: string): Promise<string> => (await c.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
const create = async (c: EC2Client, VpcId: string, PeerVpcId: string, more: { PeerOwnerId?: string; PeerRegion?: string } = {}) =>
  (await c.send(new CreateVpcPeeringConnectionCommand({ VpcId, PeerVpcId, ...more }))).VpcPeeringConnection!;
const list = async (c: EC2Client, Filters?: Filter[], ids?: string[]) =>
  (await c.send(new DescribeVpcPeeringConnectionsCommand({ Filters, VpcPeeringConnectionIds: ids }))).VpcPeeringConnections ?? [];
const statusOf = async (c: EC2Client, id: string) => (await list(c, undefined, [id]))[0]?.Status?.Code;
const noChange = async (
  h: Harness,
  account: string,
  region: string,
  call: () => Promise<unknown>,
  code: string,
  message: string | RegExp,
) => {
  const before = await h.state(account, region);
  await expectError(call(), code, message);
  assert.deepEqual(await h.state(account, region), before, "state changed after a failed call");
};

describe("VPC peering connections", () => {
  const h = useHarness();
  let a: EC2Client;
  let b: EC2Client;
  beforeEach(() => {
    a = h.client(A);
    b = h.client(B);
  });

  it("same account: initiating-request, pending-acceptance for 7 days, then active", async () => {
    const v1 = await vpc(h.ec2, "10.11.0.0/16");
    const v2 = await vpc(h.ec2, "10.12.0.0/16");
    const created = await create(h.ec2, v1, v2);
    assert.match(created.VpcPeeringConnectionId!, /^pcx-[0-9a-f]{17}$/);
    assert.equal(created.Status?.Code, "initiating-request");
    assert.equal(created.Status.Message, "Initiating Request to 000000000000");
    assert.deepEqual(created.AccepterVpcInfo, { OwnerId: "000000000000", VpcId: v2, Region: "us-east-1" });
    assert.equal(created.RequesterVpcInfo?.CidrBlock, "10.11.0.0/16");
    const [pending] = await list(h.ec2, undefined, [created.VpcPeeringConnectionId!]);
    assert.equal(pending?.Status?.Code, "pending-acceptance");
    assert.equal(pending.Status.Message, "Pending Acceptance by 000000000000");
    const clock = await adminCall<{ now: string }>(h, "GET", "clock");
    const ahead = pending.ExpirationTime!.getTime() - Date.parse(clock.body.now);
    assert.ok(Math.abs(ahead - 7 * 24 * 3600_000) < 10_000, `expires ${ahead} ms ahead`);
    const acc = await h.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: created.VpcPeeringConnectionId! }));
    assert.equal(acc.VpcPeeringConnection?.Status?.Code, "active");
    assert.equal(acc.VpcPeeringConnection.AccepterVpcInfo?.CidrBlock, "10.12.0.0/16");
    assert.deepEqual(acc.VpcPeeringConnection.AccepterVpcInfo.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, false);
    assert.equal(acc.VpcPeeringConnection.ExpirationTime, undefined);
  });

  it("cross-account: both accounts see it; only the accepter accepts; tags are each account's own", async () => {
    const va = await vpc(a, "10.21.0.0/16");
    const vb = await vpc(b, "10.22.0.0/16");
    const id = (await create(a, va, vb, { PeerOwnerId: B })).VpcPeeringConnectionId!;
    assert.equal(await statusOf(b, id), "pending-acceptance");
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "OperationNotPermitted",
      `User (${A}) cannot accept peering ${id}`,
    );
    await b.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "side", Value: "accepter" }] }));
    await b.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    assert.equal(await statusOf(a, id), "active");
    const [seenByA] = await list(a, undefined, [id]);
    const [seenByB] = await list(b, [{ Name: "tag:side", Values: ["accepter"] }]);
    assert.equal(seenByA?.Tags, undefined);
    assert.equal(seenByB?.VpcPeeringConnectionId, id);
    assert.equal(seenByB.RequesterVpcInfo?.OwnerId, A);
    // Either side deletes an active connection; both then see it deleted.
    await b.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    assert.equal(await statusOf(a, id), "deleted");
    assert.equal((await list(b, undefined, [id]))[0]?.Status?.Message, `Deleted by ${B}`);
  });

  it("inter-Region: accepted only in the accepter's Region", async () => {
    const west = h.client(A, "us-west-2");
    const ve = await vpc(a, "10.31.0.0/16");
    const vw = await vpc(west, "10.32.0.0/16");
    const created = await create(a, ve, vw, { PeerRegion: "us-west-2" });
    const id = created.VpcPeeringConnectionId!;
    assert.equal(created.AccepterVpcInfo?.Region, "us-west-2");
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "OperationNotPermitted",
      `Incorrect region (us-east-1) specified for this request. VPC peering connection ${id} must be accepted or rejected in region us-west-2`,
    );
    await west.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    assert.equal(await statusOf(a, id), "active");
    assert.equal((await list(west, [{ Name: "requester-vpc-info.vpc-id", Values: [ve] }]))[0]?.VpcPeeringConnectionId, id);
  });

  it("overlapping CIDRs (any associated block) fail, visible to the requester only; a missing peer VPC elsewhere fails too", async () => {
    const va = await vpc(a, "10.41.0.0/16");
    const vb = await vpc(b, "10.41.128.0/17");
    const failed = await create(a, va, vb, { PeerOwnerId: B });
    assert.equal(await statusOf(a, failed.VpcPeeringConnectionId!), "failed");
    assert.equal((await list(a, undefined, [failed.VpcPeeringConnectionId!]))[0]?.Status?.Message, FAILED);
    assert.equal((await list(b)).length, 0);
    const ghost = await create(a, va, "vpc-0123456789abcdef0", { PeerOwnerId: B });
    assert.equal(await statusOf(a, ghost.VpcPeeringConnectionId!), "failed");
    // A failed request is no connection: another may be requested.
    const vc = await vpc(b, "10.42.0.0/16");
    assert.equal(await statusOf(a, (await create(a, va, vc, { PeerOwnerId: B })).VpcPeeringConnectionId!), "pending-acceptance");
  });

  it("refuses a VPC peered with itself, a second live connection, and unknown or malformed ids", async () => {
    const v1 = await vpc(h.ec2, "10.51.0.0/16");
    const v2 = await vpc(h.ec2, "10.52.0.0/16");
    await expectErrorNoChange(
      h,
      () => create(h.ec2, v1, v1),
      "InvalidParameterValue",
      `A VPC peering connection cannot connect ${v1} to itself.`,
    );
    const id = (await create(h.ec2, v1, v2)).VpcPeeringConnectionId!;
    const dup = `A VPC peering connection between ${v2} and ${v1} already exists.`;
    await expectErrorNoChange(h, () => create(h.ec2, v2, v1), "VpcPeeringConnectionAlreadyExists", dup);
    await h.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    await expectErrorNoChange(
      h,
      () => create(h.ec2, v1, v2),
      "VpcPeeringConnectionAlreadyExists",
      `A VPC peering connection between ${v1} and ${v2} already exists.`,
    );
    await expectErrorNoChange(
      h,
      () => create(h.ec2, v1, "vpc-0123456789abcdef0"),
      "InvalidVpcID.NotFound",
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => list(h.ec2, undefined, ["pcx-0123456789abcdef0"]),
      "InvalidVpcPeeringConnectionID.NotFound",
      "The vpcPeeringConnection ID 'pcx-0123456789abcdef0' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: "pcx-nope" })),
      "InvalidVpcPeeringConnectionId.Malformed",
      'Invalid id: "pcx-nope" (expecting "pcx-...")',
    );
    await expectErrorNoChange(
      h,
      () => create(h.ec2, v1, v2, { PeerOwnerId: "bob" }),
      "InvalidParameterValue",
      "Value (bob) for parameter peerOwnerId is invalid. Expecting a 12-digit AWS account ID.",
    );
  });

  it("reject by the accepter only; finished connections cannot be accepted, rejected or deleted", async () => {
    const va = await vpc(a, "10.61.0.0/16");
    const vb = await vpc(b, "10.62.0.0/16");
    const id = (await create(a, va, vb, { PeerOwnerId: B })).VpcPeeringConnectionId!;
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "OperationNotPermitted",
      `User (${A}) cannot reject peering ${id}`,
    );
    // The accepter deletes nothing pending: it rejects.
    const bad = `VPC peering connection ${id} is not in the correct state for the request.`;
    await noChange(
      h,
      B,
      "us-east-1",
      () => b.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "InvalidStateTransition",
      bad,
    );
    assert.equal((await b.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))).Return, true);
    assert.equal(await statusOf(a, id), "rejected");
    assert.equal((await list(a, undefined, [id]))[0]?.Status?.Message, `Rejected by ${B}`);
    await noChange(
      h,
      B,
      "us-east-1",
      () => b.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "InvalidStateTransition",
      bad,
    );
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "InvalidStateTransition",
      bad,
    );
    // Rejected: 2 hours for the accepter, 2 days for the requester.
    await adminCall(h, "POST", "clock/advance", { ms: 3 * 3600_000 });
    assert.equal((await list(b)).length, 0);
    assert.equal(await statusOf(a, id), "rejected");
  });

  it("the requester deletes a pending request; a pending request expires after 7 days on the clock", async () => {
    const va = await vpc(a, "10.71.0.0/16");
    const vb = await vpc(b, "10.72.0.0/16");
    const gone = (await create(a, va, vb, { PeerOwnerId: B })).VpcPeeringConnectionId!;
    await a.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: gone }));
    assert.equal(await statusOf(b, gone), "deleted");
    const id = (await create(a, va, vb, { PeerOwnerId: B })).VpcPeeringConnectionId!;
    await adminCall(h, "POST", "clock/advance", { ms: 7 * 24 * 3600_000 + 1000 });
    assert.equal(await statusOf(b, id), "expired");
    assert.equal((await list(a, [{ Name: "status-code", Values: ["expired"] }]))[0]?.Status?.Message, "Expired");
    await noChange(
      h,
      B,
      "us-east-1",
      () => b.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })),
      "InvalidStateTransition",
      `VPC peering connection ${id} is not in the correct state for the request.`,
    );
    // An expired request no longer blocks a new one.
    assert.equal((await create(a, va, vb, { PeerOwnerId: B })).Status?.Code, "initiating-request");
  });

  it("DeleteVpc deletes its active connections and its own requests; another account's pending request blocks it", async () => {
    const v1 = await vpc(h.ec2, "10.61.0.0/16");
    const v2 = await vpc(h.ec2, "10.62.0.0/16");
    const active = await create(h.ec2, v1, v2);
    await h.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: active.VpcPeeringConnectionId! }));
    await h.ec2.send(new DeleteVpcCommand({ VpcId: v2 }));
    const [gone] = await list(h.ec2, undefined, [active.VpcPeeringConnectionId!]);
    assert.equal(gone?.Status?.Code, "deleted");
    assert.equal(gone.Status.Message, "Deleted by 000000000000");

    // A request this VPC made to another account goes with the VPC (the other side sees it deleted).
    const va = await vpc(a, "10.63.0.0/16");
    const vb = await vpc(b, "10.64.0.0/16");
    const asked = await create(a, va, vb, { PeerOwnerId: B });
    await a.send(new DeleteVpcCommand({ VpcId: va }));
    assert.equal(await statusOf(b, asked.VpcPeeringConnectionId!), "deleted");

    // A pending request from another account blocks the accepter's DeleteVpc until it is rejected.
    const va2 = await vpc(a, "10.65.0.0/16");
    const incoming = await create(a, va2, vb, { PeerOwnerId: B });
    await noChange(
      h,
      B,
      "us-east-1",
      () => b.send(new DeleteVpcCommand({ VpcId: vb })),
      "DependencyViolation",
      `The vpc '${vb}' has dependencies and cannot be deleted.`,
    );
    await b.send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: incoming.VpcPeeringConnectionId! }));
    await b.send(new DeleteVpcCommand({ VpcId: vb }));
    assert.equal(await statusOf(a, incoming.VpcPeeringConnectionId!), "rejected");
  });

  it("accepting a request whose VPCs overlap now (a block added since) fails the connection", async () => {
    const v1 = await vpc(h.ec2, "10.66.0.0/16");
    const v2 = await vpc(h.ec2, "10.67.0.0/16");
    const req = await create(h.ec2, v1, v2);
    await h.ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: v1, CidrBlock: "10.67.128.0/20" }));
    const acc = await h.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: req.VpcPeeringConnectionId! }));
    assert.equal(acc.VpcPeeringConnection?.Status?.Code, "failed");
    assert.equal(acc.VpcPeeringConnection.Status.Message, FAILED);
    assert.equal(await statusOf(h.ec2, req.VpcPeeringConnectionId!), "failed");
  });

  it("filters: ids, status, sides, expiration time, tags", async () => {
    const v1 = await vpc(h.ec2, "10.81.0.0/16");
    const v2 = await vpc(h.ec2, "10.82.0.0/16");
    const v3 = await vpc(h.ec2, "10.83.0.0/16");
    const p12 = (await create(h.ec2, v1, v2)).VpcPeeringConnectionId!;
    const p13 = (await create(h.ec2, v1, v3)).VpcPeeringConnectionId!;
    await h.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: p13 }));
    await h.ec2.send(new CreateTagsCommand({ Resources: [p12], Tags: [{ Key: "Name", Value: "one-two" }] }));
    const ids = async (f: Filter[]) => (await list(h.ec2, f)).map((p) => p.VpcPeeringConnectionId).sort();
    assert.deepEqual(await ids([{ Name: "status-code", Values: ["active"] }]), [p13]);
    assert.deepEqual(await ids([{ Name: "accepter-vpc-info.vpc-id", Values: [v2] }]), [p12]);
    assert.deepEqual(await ids([{ Name: "requester-vpc-info.vpc-id", Values: [v1] }]), [p12, p13].sort());
    assert.deepEqual(await ids([{ Name: "accepter-vpc-info.cidr-block", Values: ["10.83.0.0/16"] }]), [p13]);
    assert.deepEqual(await ids([{ Name: "requester-vpc-info.cidr-block", Values: ["10.81.0.0/16"] }]), [p12, p13].sort());
    assert.deepEqual(
      await ids([
        { Name: "accepter-vpc-info.owner-id", Values: ["000000000000"] },
        { Name: "tag:Name", Values: ["one-*"] },
      ]),
      [p12],
    );
    assert.deepEqual(await ids([{ Name: "vpc-peering-connection-id", Values: [p13] }]), [p13]);
    assert.deepEqual(await ids([{ Name: "status-message", Values: ["Active"] }]), [p13]);
    const exp = (await list(h.ec2, undefined, [p12]))[0]!.ExpirationTime!.toISOString();
    assert.deepEqual(await ids([{ Name: "expiration-time", Values: [exp] }]), [p12]);
  });

  it("ModifyVpcPeeringConnectionOptions: each side its own options, DNS hostnames required, active only", async () => {
    const va = await vpc(a, "10.91.0.0/16");
    const vb = await vpc(b, "10.92.0.0/16");
    const id = (await create(a, va, vb, { PeerOwnerId: B })).VpcPeeringConnectionId!;
    const dns = { AllowDnsResolutionFromRemoteVpc: true };
    const bad = `VPC peering connection ${id} is not in the correct state for the request.`;
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: dns })),
      "InvalidStateTransition",
      bad,
    );
    await b.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: dns })),
      "InvalidVpcPeeringConnectionState.DnsHostnamesDisabled",
      "To enable DNS hostname resolution for the VPC peering connection, DNS hostname support must be enabled for the VPCs.",
    );
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, AccepterPeeringConnectionOptions: dns })),
      "OperationNotPermitted",
      `User (${A}) cannot modify the accepter options of peering ${id}; only the accepter VPC's owner can.`,
    );
    await a.send(new ModifyVpcAttributeCommand({ VpcId: va, EnableDnsHostnames: { Value: true } }));
    await b.send(new ModifyVpcAttributeCommand({ VpcId: vb, EnableDnsHostnames: { Value: true } }));
    const out = await a.send(
      new ModifyVpcPeeringConnectionOptionsCommand({ VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: dns }),
    );
    assert.equal(out.RequesterPeeringConnectionOptions?.AllowDnsResolutionFromRemoteVpc, true);
    assert.equal(out.AccepterPeeringConnectionOptions, undefined);
    const [seen] = await list(b, undefined, [id]);
    assert.equal(seen?.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, true);
    assert.equal(seen.AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc, false);
  });

  it("routes: to an active connection of the table's VPC only; filterable; blackhole once deleted", async () => {
    const va = await vpc(a, "10.101.0.0/16");
    const vb = await vpc(b, "10.102.0.0/16");
    const vOther = await vpc(a, "10.103.0.0/16");
    const id = (await create(a, va, vb, { PeerOwnerId: B })).VpcPeeringConnectionId!;
    const table = (await a.send(new CreateRouteTableCommand({ VpcId: va }))).RouteTable!.RouteTableId!;
    const other = (await a.send(new CreateRouteTableCommand({ VpcId: vOther }))).RouteTable!.RouteTableId!;
    const route = (RouteTableId: string) =>
      a.send(new CreateRouteCommand({ RouteTableId, DestinationCidrBlock: "10.102.0.0/16", VpcPeeringConnectionId: id }));
    await noChange(
      h,
      A,
      "us-east-1",
      () => route(table),
      "InvalidParameterValue",
      `VPC peering connection ${id} is pending-acceptance; a route can target only an active connection.`,
    );
    await b.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    await noChange(
      h,
      A,
      "us-east-1",
      () => route(other),
      "InvalidParameterValue",
      `Route table ${other} and VPC peering connection ${id} belong to different networks`,
    );
    await noChange(
      h,
      A,
      "us-east-1",
      () => a.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: "10.101.7.0/24", VpcPeeringConnectionId: id })),
      "InvalidParameterValue",
      /10\.101\.7\.0\/24/,
    );
    await route(table);
    await a.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: "10.102.0.0/16", VpcPeeringConnectionId: id }));
    const find = async () =>
      (await a.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "route.vpc-peering-connection-id", Values: [id] }] })))
        .RouteTables ?? [];
    const [t] = await find();
    assert.equal(t?.RouteTableId, table);
    const r = t.Routes?.find((x) => x.DestinationCidrBlock === "10.102.0.0/16");
    assert.equal(r?.VpcPeeringConnectionId, id);
    assert.equal(r.State, "active");
    await b.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    const [after] = await find();
    assert.equal(after?.Routes?.find((x) => x.VpcPeeringConnectionId === id)?.State, "blackhole");
    // The accepter side routes through it the same way (B's table, while it was active, is checked in traffic tests).
  });
});
