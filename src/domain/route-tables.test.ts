/** routeStatus: a route's State (active / blackhole) and InstanceId derived from its target at read time. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { routeStatus, type RouteTargetLookup } from "./route-tables.js";
import { TopologyBuilder } from "./dataplane/topology.fixture.js";
import type { InstanceRecord, NatGatewayRecord, Route } from "./types.js";

describe("routeStatus", () => {
  const b = new TopologyBuilder();
  const vpc = b.vpc("10.0.0.0/16", { igw: true });
  const other = b.vpc("10.1.0.0/16");
  const s = b.subnet(vpc, "10.0.1.0/24");
  const attached = b.eni(s, "10.0.1.10");
  const loose = b.eni(s, "10.0.1.11", { instance: false });
  const stopped = b.eni(s, "10.0.1.12", { state: "stopped" });
  const nat = b.natGateway(s, "10.0.1.20", "198.51.100.20");
  const natEni = b.natGateways.find((n) => n.id === nat)!.networkInterfaceId;
  const byId = <T extends { id: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.id, x]));
  const nats = byId<NatGatewayRecord>([...b.natGateways, { ...b.natGateways[0]!, id: "nat-00000000000000dead", state: "deleted" }]);
  const look: RouteTargetLookup = {
    internetGateway: (id) => byId(b.internetGateways).get(id),
    natGateway: (id) => nats.get(id),
    networkInterface: (id) => byId(b.networkInterfaces).get(id),
    instance: (id) => byId<InstanceRecord>(b.instances).get(id),
  };
  const r = (target: Partial<Route>): Route => ({ destinationCidrBlock: "0.0.0.0/0", origin: "CreateRoute", state: "active", ...target });
  const cases: [string, string, Partial<Route>, "active" | "blackhole", string | undefined][] = [
    ["local", vpc, { gatewayId: "local" }, "active", undefined],
    ["the VPC's attached internet gateway", vpc, { gatewayId: b.igwOf(vpc) }, "active", undefined],
    ["an internet gateway attached elsewhere", other, { gatewayId: b.igwOf(vpc) }, "blackhole", undefined],
    ["a deleted internet gateway", vpc, { gatewayId: "igw-00000000000000dead" }, "blackhole", undefined],
    ["an available NAT gateway", vpc, { natGatewayId: nat }, "active", undefined],
    ["a deleted NAT gateway", vpc, { natGatewayId: "nat-00000000000000dead" }, "blackhole", undefined],
    ["a NAT gateway that never existed", vpc, { natGatewayId: "nat-00000000000000bad" }, "blackhole", undefined],
    ["an ENI attached to a running instance", vpc, { networkInterfaceId: attached }, "active", b.instanceOf(attached)],
    [
      "an instance route whose ENI moved shows the new instance",
      vpc,
      { networkInterfaceId: attached, instanceId: "i-0old" },
      "active",
      b.instanceOf(attached),
    ],
    ["an unattached ENI", vpc, { networkInterfaceId: loose, instanceId: "i-0old" }, "blackhole", undefined],
    ["an ENI of a stopped instance", vpc, { networkInterfaceId: stopped }, "blackhole", b.instanceOf(stopped)],
    ["a deleted ENI", vpc, { networkInterfaceId: "eni-00000000000000dead", instanceId: "i-0old" }, "blackhole", undefined],
    ["a requester-managed ENI (no instance)", vpc, { networkInterfaceId: natEni }, "active", undefined],
  ];
  for (const [name, vpcId, target, state, instanceId] of cases) {
    it(name, () => {
      assert.deepEqual(routeStatus(vpcId, r(target), look), { state, instanceId });
    });
  }
});
