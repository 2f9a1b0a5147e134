/**
 * Flow-log recording cost per observation (the data-plane benchmark's ≥ 500,000 verdicts/s runs with recording on):
 * observations over 1,000 ENIs × 20 flows each, aggregated in memory, then one delivery to CloudWatch Logs with
 * every ENI covered by a VPC flow log. Prints observations/s for `record` and the delivery time. Not a test: no
 * assertions on timings. Run: `node --import tsx bench/flow-recorder.ts`.
 */
import { FlowRecorder } from "../src/runtime/flow-recorder.js";
import { observationFromText, type FlowSource, type FlowObservation } from "../src/domain/flow-observation.js";
import { storeWithVpcFlowLog } from "./flow-log-store.js";

const scope = { account: "000000000000", region: "us-east-1" };
const vpcId = "vpc-00000000000000001";
const store = storeWithVpcFlowLog(scope, vpcId);
let nowMs = Date.now();
const recorder = new FlowRecorder({ store, now: () => new Date(nowMs), s3Dir: () => "/tmp" });

const ENIS = 1000;
const FLOWS = 20;
const observations: FlowObservation[] = [];
for (let e = 0; e < ENIS; e++) {
  // As the evaluator does: one source (its ENI object) per ENI, shared by all its observations.
  let eni: FlowSource | undefined;
  for (let f = 0; f < FLOWS; f++) {
    const ip = `10.0.${e >> 8}.${e & 255}`;
    const o = observationFromText({
      account: scope.account,
      region: scope.region,
      eniId: `eni-${String(e).padStart(17, "0")}`,
      vpcId,
      subnetId: "subnet-00000000000000001",
      direction: f % 2 === 0 ? "ingress" : "egress",
      srcAddr: "203.0.113.9",
      dstAddr: ip,
      pktSrcAddr: "203.0.113.9",
      pktDstAddr: ip,
      srcPort: 40000 + f,
      dstPort: 443,
      protocol: 6,
      packets: 1,
      bytes: 100,
      action: "ACCEPT",
      tcpFlags: 2,
      atMs: nowMs,
    });
    eni ??= o.eni;
    observations.push({ ...o, eni });
  }
}
const N = 2_000_000;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const o = observations[i % observations.length]!;
  recorder.record(o);
}
const ms = performance.now() - t0;
console.log(`record: ${Math.round(N / (ms / 1000)).toLocaleString("en")} observations/s (${recorder.pendingFlows} flows pending)`);
nowMs += 120_000;
const t1 = performance.now();
const report = recorder.deliver(new Date(nowMs));
console.log(`deliver: ${report.records} records to CloudWatch Logs in ${Math.round(performance.now() - t1)} ms`);
store.close();
