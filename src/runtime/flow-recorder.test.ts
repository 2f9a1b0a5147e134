/**
 * Table tests for the recorder's aggregation: which observations become one record, which stay apart, and which flow
 * logs (ENI/subnet/VPC level, traffic type, interval) receive them. Runs against an in-memory store, no server.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { observationFromText, type FlowObservation, type TextObservation } from "../domain/flow-observation.js";
import { DEFAULT_LOG_FORMAT } from "../domain/flow-log-format.js";
import type { FlowLogRecord } from "../domain/types.js";
import { Store } from "../store/store.js";
import { FlowRecorder } from "./flow-recorder.js";

const scope = { account: "000000000000", region: "us-east-1" };
const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a minute (and 10-minute) boundary
const obs = (over: Partial<TextObservation> = {}): FlowObservation =>
  observationFromText({
    account: scope.account,
    region: scope.region,
    eniId: "eni-00000000000000001",
    vpcId: "vpc-00000000000000001",
    subnetId: "subnet-00000000000000001",
    direction: "ingress",
    srcAddr: "203.0.113.9",
    dstAddr: "10.0.1.4",
    pktSrcAddr: "203.0.113.9",
    pktDstAddr: "10.0.1.4",
    srcPort: 40000,
    dstPort: 443,
    protocol: 6,
    packets: 1,
    bytes: 100,
    action: "ACCEPT",
    tcpFlags: 2,
    atMs: T + 1000,
    ...over,
  });
const flowLog = (over: Partial<FlowLogRecord>): FlowLogRecord => ({
  kind: "flow-log",
  id: "fl-00000000000000001",
  tags: [],
  resourceId: "eni-00000000000000001",
  resourceType: "NetworkInterface",
  trafficType: "ALL",
  logDestinationType: "cloud-watch-logs",
  logDestination: "arn:aws:logs:us-east-1:000000000000:log-group:g",
  logGroupName: "g",
  logFormat: DEFAULT_LOG_FORMAT,
  maxAggregationInterval: 60,
  vpcId: "vpc-00000000000000001",
  creationTime: new Date(T - 3_600_000).toISOString(),
  ...over,
});

/** Records the observations, delivers at `deliverAt`, returns the delivered lines per stream. */
const deliver = (logs: FlowLogRecord[], observations: FlowObservation[], deliverAt: number): string[] => {
  const store = new Store(":memory:");
  store.tx(scope, (tx) => logs.forEach((f) => tx.put(f)));
  const r = new FlowRecorder({ store, now: () => new Date(deliverAt), s3Dir: () => "/nonexistent" });
  observations.forEach((o) => r.record(o));
  r.deliver();
  const out = store.logs
    .listGroups(scope, "", 50)
    .flatMap((g) => store.logs.events(scope, { groupName: g.name, limit: 1000 }).map((e) => `${g.name}/${e.streamName}: ${e.message}`));
  store.close();
  return out.sort();
};

const line = (packets: number, bytes: number, start: number, end: number, over = ""): string =>
  `g/eni-00000000000000001-all: 2 000000000000 eni-00000000000000001 203.0.113.9 10.0.1.4 40000 443 6 ${packets} ${bytes} ${start} ${end} ACCEPT OK${over}`;
const s = (ms: number): number => Math.floor(ms / 1000);

describe("FlowRecorder aggregation", () => {
  const cases: [name: string, logs: FlowLogRecord[], observations: FlowObservation[], deliverAt: number, lines: string[]][] = [
    ["one observation, window closed", [flowLog({})], [obs()], T + 60_000, [line(1, 100, s(T + 1000), s(T + 1000))]],
    ["window still open: nothing yet", [flowLog({})], [obs()], T + 59_999, []],
    [
      "same flow in one window: one record, counters added, start/end widened",
      [flowLog({})],
      [obs(), obs({ atMs: T + 30_000, packets: 2, bytes: 300 })],
      T + 60_000,
      [line(3, 400, s(T + 1000), s(T + 30_000))],
    ],
    [
      "same flow in two 1-minute windows: two records",
      [flowLog({})],
      [obs(), obs({ atMs: T + 61_000 })],
      T + 120_000,
      [line(1, 100, s(T + 1000), s(T + 1000)), line(1, 100, s(T + 61_000), s(T + 61_000))],
    ],
    [
      "10-minute flow log: minutes merge into one record",
      [flowLog({ maxAggregationInterval: 600 })],
      [obs(), obs({ atMs: T + 61_000 }), obs({ atMs: T + 599_000 })],
      T + 600_000,
      [line(3, 300, s(T + 1000), s(T + 599_000))],
    ],
    ["10-minute flow log, window open: nothing yet", [flowLog({ maxAggregationInterval: 600 })], [obs()], T + 300_000, []],
    ["REJECT flow log ignores ACCEPT traffic", [flowLog({ trafficType: "REJECT" })], [obs()], T + 60_000, []],
    [
      "subnet-level and VPC-level flow logs cover the ENI",
      [
        flowLog({ id: "fl-00000000000000002", resourceId: "subnet-00000000000000001", resourceType: "Subnet", logGroupName: "sub" }),
        flowLog({ id: "fl-00000000000000003", resourceId: "vpc-00000000000000001", resourceType: "VPC", logGroupName: "vpc" }),
      ],
      [obs()],
      T + 60_000,
      [line(1, 100, s(T + 1000), s(T + 1000)).replace("g/", "sub/"), line(1, 100, s(T + 1000), s(T + 1000)).replace("g/", "vpc/")],
    ],
    ["another ENI's flow log gets nothing", [flowLog({ resourceId: "eni-00000000000000002" })], [obs()], T + 60_000, []],
    [
      "traffic before the flow log's creation is not recorded",
      [flowLog({ creationTime: new Date(T + 30_000).toISOString() })],
      [obs()],
      T + 60_000,
      [],
    ],
  ];
  for (const [name, logs, observations, at, lines] of cases)
    it(name, () => assert.deepEqual(deliver(logs, observations, at), lines.sort()));

  it("direction, ports, action and packet addresses keep flows apart; TCP flags OR within a flow", () => {
    const lines = deliver(
      [flowLog({ logFormat: "${flow-direction} ${srcport} ${action} ${pkt-dstaddr} ${packets} ${tcp-flags}" })],
      [
        obs(),
        obs({ tcpFlags: 1 }),
        obs({ direction: "egress" }),
        obs({ srcPort: 40001 }),
        obs({ action: "REJECT" }),
        obs({ pktDstAddr: "10.0.1.99" }),
      ],
      T + 60_000,
    ).map((l) => l.split(": ")[1]);
    assert.deepEqual(lines.sort(), [
      "egress 40000 ACCEPT 10.0.1.4 1 2",
      "ingress 40000 ACCEPT 10.0.1.4 2 3",
      "ingress 40000 ACCEPT 10.0.1.99 1 2",
      "ingress 40000 REJECT 10.0.1.4 1 2",
      "ingress 40001 ACCEPT 10.0.1.4 1 2",
    ]);
  });
});
