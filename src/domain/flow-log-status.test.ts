import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closedWindowEndSec, quietGap } from "./flow-log-status.js";
import { formatRecord, parseLogFormat, DEFAULT_LOG_FORMAT, type FlowAggregate } from "./flow-log-format.js";

describe("NODATA: one record per quiet stretch", () => {
  const rows: {
    name: string;
    covered: number;
    activity: number | undefined;
    closedEnd: number;
    interval: number;
    gap: [number, number] | undefined;
  }[] = [
    { name: "a whole quiet minute", covered: 600, activity: undefined, closedEnd: 660, interval: 60, gap: [600, 660] },
    { name: "less than an interval quiet: nothing yet", covered: 600, activity: undefined, closedEnd: 630, interval: 60, gap: undefined },
    {
      name: "a week in one jump: one record for the week",
      covered: 600,
      activity: undefined,
      closedEnd: 600 + 7 * 86400,
      interval: 60,
      gap: [600, 600 + 7 * 86400],
    },
    { name: "traffic in the last closed window: no record", covered: 600, activity: 720, closedEnd: 720, interval: 60, gap: undefined },
    { name: "traffic, then quiet: the stretch after it", covered: 600, activity: 660, closedEnd: 780, interval: 60, gap: [660, 780] },
    {
      name: "activity older than the last record does not move it back",
      covered: 900,
      activity: 660,
      closedEnd: 960,
      interval: 60,
      gap: [900, 960],
    },
    {
      name: "10-minute flow log: nine quiet minutes are not a window",
      covered: 600,
      activity: undefined,
      closedEnd: 600 + 540,
      interval: 600,
      gap: undefined,
    },
    { name: "10-minute flow log: a quiet window", covered: 600, activity: undefined, closedEnd: 1200, interval: 600, gap: [600, 1200] },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const g = quietGap(r.covered, r.activity, r.closedEnd, r.interval);
      assert.deepEqual(g === undefined ? undefined : [g.startSec, g.endSec], r.gap);
    });
  }
  it("the last closed window ends on an interval boundary", () => {
    assert.equal(closedWindowEndSec(1_000_059_999, 60), 1_000_020);
    assert.equal(closedWindowEndSec(1_200_000, 600), 1200);
  });
});

describe("NODATA and SKIPDATA lines", () => {
  const base: FlowAggregate = {
    account: "123456789010",
    region: "us-east-1",
    eniId: "eni-1235b8ca123456789",
    vpcId: "vpc-abcdefab012345678",
    subnetId: "subnet-aaaaaaaa012345678",
    instanceId: "i-01234567890123456",
    availabilityZoneId: "use1-az1",
    direction: "ingress",
    srcAddr: "-",
    dstAddr: "-",
    pktSrcAddr: "-",
    pktDstAddr: "-",
    srcPort: 0,
    dstPort: 0,
    protocol: 0,
    packets: 0,
    bytes: 0,
    startSec: 1431280876,
    endSec: 1431280934,
    action: "ACCEPT",
    tcpFlags: 0,
  };
  it("default format: AWS's example lines", () => {
    const f = parseLogFormat(DEFAULT_LOG_FORMAT);
    assert.equal(
      formatRecord(f, { ...base, logStatus: "NODATA" }),
      "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
    );
    assert.equal(
      formatRecord(f, { ...base, logStatus: "SKIPDATA" }),
      "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - SKIPDATA",
    );
  });
  it("custom format: the interface's own fields stay, every packet field is -", () => {
    const f = parseLogFormat(
      "${version} ${vpc-id} ${instance-id} ${az-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${flow-direction} ${traffic-path} ${log-status}",
    );
    assert.equal(
      formatRecord(f, { ...base, logStatus: "NODATA" }),
      "5 vpc-abcdefab012345678 i-01234567890123456 use1-az1 - - - - - NODATA",
    );
  });
});
