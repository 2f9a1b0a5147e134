/** Shared by the benchmarks: an in-memory store holding one VPC flow log (all traffic, 1-minute windows) to CloudWatch Logs. */
import { DEFAULT_LOG_FORMAT } from "../src/domain/flow-log-format.js";
import { Store, type Scope } from "../src/store/store.js";

export const storeWithVpcFlowLog = (scope: Scope, vpcId: string): Store => {
  const store = new Store(":memory:");
  store.tx(scope, (tx) =>
    tx.put({
      kind: "flow-log",
      id: "fl-00000000000000001",
      tags: [],
      resourceId: vpcId,
      resourceType: "VPC",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: `arn:aws:logs:${scope.region}:${scope.account}:log-group:bench`,
      logGroupName: "bench",
      logFormat: DEFAULT_LOG_FORMAT,
      maxAggregationInterval: 60,
      vpcId,
      creationTime: new Date(0).toISOString(),
    }),
  );
  return store;
};
