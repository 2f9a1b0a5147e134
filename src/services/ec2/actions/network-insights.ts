/**
 * Reachability Analyzer (issue 21): CreateNetworkInsightsPath, DescribeNetworkInsightsPaths, DeleteNetworkInsightsPath,
 * StartNetworkInsightsAnalysis, DescribeNetworkInsightsAnalyses, DeleteNetworkInsightsAnalysis. Rules and the mapping
 * of a verdict to AWS's analysis are in domain/network-insights.ts.
 *
 * The analysis runs on the data-plane evaluator `localvpc traffic send` runs, through the runtime's port
 * (`ctx.reachability`, wired by index.ts: services never import the runtime), so the two never disagree. It is
 * computed at StartNetworkInsightsAnalysis (the configuration as it is then) and shows `running` until the simulated
 * clock reaches `completesAt` (start + the `networkInsightsAnalysisMs` delay, 0 by default): Start always answers
 * `running`, as AWS's does, and a Describe at or after `completesAt` answers `succeeded`.
 */
import { err, Ec2Error } from "../../../domain/errors.js";
import { assertIdOf } from "../../../domain/ids.js";
import {
  analysisFindings,
  analysisProbe,
  arnOf,
  checkPathRequest,
  endpointId,
  type AnalysisRecords,
} from "../../../domain/network-insights.js";
import type {
  NetworkInsightsAnalysisRecord,
  NetworkInsightsPathFilter,
  NetworkInsightsPathRecord,
  NetworkInsightsPortRange,
  NetworkInterfaceRecord,
} from "../../../domain/types.js";
import type {
  Explanation,
  NetworkInsightsAnalysis,
  NetworkInsightsPath,
  PathComponent,
  PathFilter,
  PathRequestFilter,
  RequestFilterPortRange,
} from "../../../protocol/model/shapes.js";
import type { Tx } from "../../../store/store.js";
import { defineAction, type ActionContext } from "../action.js";
import { candidates, describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

const portRange = (r: RequestFilterPortRange | undefined): NetworkInsightsPortRange | undefined =>
  r ? { fromPort: r.FromPort, toPort: r.ToPort } : undefined;
const filterOf = (f: PathRequestFilter | undefined): NetworkInsightsPathFilter | undefined =>
  f
    ? {
        sourceAddress: f.SourceAddress,
        sourcePortRange: portRange(f.SourcePortRange),
        destinationAddress: f.DestinationAddress,
        destinationPortRange: portRange(f.DestinationPortRange),
      }
    : undefined;
const filterView = (f: NetworkInsightsPathFilter | undefined): PathFilter | undefined =>
  f
    ? {
        SourceAddress: f.sourceAddress,
        SourcePortRange: f.sourcePortRange ? { FromPort: f.sourcePortRange.fromPort, ToPort: f.sourcePortRange.toPort } : undefined,
        DestinationAddress: f.destinationAddress,
        DestinationPortRange: f.destinationPortRange
          ? { FromPort: f.destinationPortRange.fromPort, ToPort: f.destinationPortRange.toPort }
          : undefined,
      }
    : undefined;

const pathView = (p: NetworkInsightsPathRecord, ctx: ActionContext): NetworkInsightsPath => ({
  NetworkInsightsPathId: p.id,
  NetworkInsightsPathArn: arnOf(ctx.scope, p.id),
  CreatedDate: new Date(p.createdDate),
  Source: p.source,
  Destination: p.destination,
  SourceArn: p.sourceArn,
  DestinationArn: p.destinationArn,
  SourceIp: p.sourceIp,
  DestinationIp: p.destinationIp,
  Protocol: p.protocol,
  DestinationPort: p.destinationPort,
  Tags: tagView(p.tags),
  FilterAtSource: filterView(p.filterAtSource),
  FilterAtDestination: filterView(p.filterAtDestination),
});

/**
 * The stored findings use the wire member names with a lower-case first letter (domain/types.ts), so the view is the
 * same tree with upper-cased keys. localvpc's own members (`localvpcSentence`) are not AWS's and are left out.
 */
const pascal = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(pascal);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || k.startsWith("localvpc")) continue;
    out[k.charAt(0).toUpperCase() + k.slice(1)] = pascal(x);
  }
  return out;
};

const analysisView = (a: NetworkInsightsAnalysisRecord, ctx: ActionContext): NetworkInsightsAnalysis => {
  const done = Date.parse(a.completesAt) <= ctx.now.getTime();
  const status = done ? a.status : "running";
  const succeeded = status === "succeeded";
  return {
    NetworkInsightsAnalysisId: a.id,
    NetworkInsightsAnalysisArn: arnOf(ctx.scope, a.id),
    NetworkInsightsPathId: a.networkInsightsPathId,
    FilterInArns: a.filterInArns.length > 0 ? [...a.filterInArns] : undefined,
    StartDate: new Date(a.startDate),
    Status: status,
    StatusMessage: status === "failed" ? a.statusMessage : undefined,
    NetworkPathFound: succeeded ? a.networkPathFound : undefined,
    ForwardPathComponents: succeeded && a.networkPathFound ? (pascal(a.forwardPathComponents) as PathComponent[]) : undefined,
    ReturnPathComponents: succeeded && a.networkPathFound ? (pascal(a.returnPathComponents) as PathComponent[]) : undefined,
    Explanations: succeeded && !a.networkPathFound ? (pascal(a.explanations) as Explanation[]) : undefined,
    Tags: tagView(a.tags),
  };
};

/** An endpoint must exist when the path is created (its kind's NotFound otherwise). */
const mustEndpoint = (tx: Tx, param: string, value: string): { id: string; arn: string } => {
  const { id, kind } = endpointId(param, value);
  if (kind === "instance") must(tx, "instance", id);
  else if (kind === "networkInterface") must(tx, "network-interface", id);
  else must(tx, "internet-gateway", id);
  return { id, arn: arnOf(tx.scope, id) ?? value };
};

export const CreateNetworkInsightsPath = defineAction({
  name: "CreateNetworkInsightsPath",
  mutates: true,
  params: [
    "SourceIp",
    "DestinationIp",
    "Source",
    "Destination",
    "Protocol",
    "DestinationPort",
    "TagSpecifications",
    "ClientToken",
    "FilterAtSource",
    "FilterAtDestination",
  ],
  run(input, ctx) {
    const filterAtSource = filterOf(input.FilterAtSource);
    const filterAtDestination = filterOf(input.FilterAtDestination);
    checkPathRequest({
      sourceIp: input.SourceIp,
      destinationIp: input.DestinationIp,
      destination: input.Destination,
      destinationPort: input.DestinationPort,
      filterAtSource,
      filterAtDestination,
    });
    const source = mustEndpoint(ctx.tx, "Source", input.Source);
    const destination = input.Destination !== undefined ? mustEndpoint(ctx.tx, "Destination", input.Destination) : undefined;
    const tags = tagsFromSpecs(input.TagSpecifications, "network-insights-path", ctx);
    const record: NetworkInsightsPathRecord = {
      kind: "network-insights-path",
      id: ctx.ids.next("networkInsightsPath"),
      tags,
      createdDate: ctx.now.toISOString(),
      source: source.id,
      sourceArn: source.arn,
      destination: destination?.id,
      destinationArn: destination?.arn,
      sourceIp: input.SourceIp,
      destinationIp: input.DestinationIp,
      protocol: input.Protocol,
      destinationPort: input.DestinationPort,
      filterAtSource,
      filterAtDestination,
    };
    ctx.tx.put(record);
    return { NetworkInsightsPath: pathView(record, ctx) };
  },
});

const rangeText = (r: NetworkInsightsPortRange | undefined): string | undefined =>
  r ? `${r.fromPort ?? 0}-${r.toPort ?? 65535}` : undefined;

export const DescribeNetworkInsightsPaths = defineAction({
  name: "DescribeNetworkInsightsPaths",
  mutates: false,
  params: ["NetworkInsightsPathIds", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const page = describe({
      items: candidates(ctx.tx, "network-insights-path", input.NetworkInsightsPathIds, input.Filters),
      idOf: (p) => p.id,
      ids: input.NetworkInsightsPathIds,
      idKind: "networkInsightsPath",
      notFound: (missing) => err.networkInsightsPathNotFound(missing[0] ?? ""),
      filters: input.Filters,
      // Every filter the model documents for DescribeNetworkInsightsPaths.
      table: {
        destination: (p) => p.destination,
        source: (p) => p.source,
        protocol: (p) => p.protocol,
        "filter-at-source.source-address": (p) => p.filterAtSource?.sourceAddress,
        "filter-at-source.source-port-range": (p) => rangeText(p.filterAtSource?.sourcePortRange),
        "filter-at-source.destination-address": (p) => p.filterAtSource?.destinationAddress,
        "filter-at-source.destination-port-range": (p) => rangeText(p.filterAtSource?.destinationPortRange),
        "filter-at-destination.source-address": (p) => p.filterAtDestination?.sourceAddress,
        "filter-at-destination.source-port-range": (p) => rangeText(p.filterAtDestination?.sourcePortRange),
        "filter-at-destination.destination-address": (p) => p.filterAtDestination?.destinationAddress,
        "filter-at-destination.destination-port-range": (p) => rangeText(p.filterAtDestination?.destinationPortRange),
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { NetworkInsightsPaths: page.items.map((p) => pathView(p, ctx)), NextToken: page.nextToken };
  },
});

export const DeleteNetworkInsightsPath = defineAction({
  name: "DeleteNetworkInsightsPath",
  mutates: true,
  params: ["NetworkInsightsPathId"],
  run(input, ctx) {
    const path = must(ctx.tx, "network-insights-path", input.NetworkInsightsPathId);
    // AWS refuses while analyses of the path exist (found through the analyses' path-id key, not a scan).
    const analyses = ctx.tx.idsByKey("network-insights-analysis", "network-insights-path-id", path.id);
    if (analyses.length > 0) throw err.analysisExistsForPath(path.id, analyses);
    ctx.tx.delete(path.id);
    return { NetworkInsightsPathId: path.id };
  },
});

const NOTHING_FOUND = { networkPathFound: false, forwardPathComponents: [], returnPathComponents: [], explanations: [] };

/** Whether a path's endpoint can still be analysed: gone altogether, or an instance without a running interface. */
const endpointState = (tx: Tx, id: string): "ok" | "deleted" | "unassociated" => {
  if (id.startsWith("i-")) {
    const inst = tx.get("instance", id);
    if (!inst) return "deleted";
    return inst.state === "terminated" || tx.count("network-interface", { instanceId: id }) === 0 ? "unassociated" : "ok";
  }
  if (id.startsWith("eni-")) return tx.get("network-interface", id) ? "ok" : "deleted";
  return tx.get("internet-gateway", id) ? "ok" : "deleted";
};

/** The records the findings name, read in the analysis's transaction. */
const analysisRecords = (tx: Tx): AnalysisRecords => ({
  eni: (id) => tx.get("network-interface", id),
  enisByAddress: (address) =>
    tx
      .idsByKey("network-interface", "private-ip-address", address)
      .map((id) => tx.get("network-interface", id))
      .filter((e) => e !== undefined),
  securityGroup: (id) => tx.get("security-group", id),
  networkAcl: (id) => tx.get("network-acl", id),
  routeTable: (id) => tx.get("route-table", id),
  internetGateway: (id) => tx.get("internet-gateway", id),
});

export const StartNetworkInsightsAnalysis = defineAction({
  name: "StartNetworkInsightsAnalysis",
  mutates: true,
  // FilterInArns, FilterOutArns and AdditionalAccounts are not modelled: answered with UnsupportedOperation.
  params: ["NetworkInsightsPathId", "TagSpecifications", "ClientToken"],
  run(input, ctx) {
    const { tx } = ctx;
    const path = must(tx, "network-insights-path", input.NetworkInsightsPathId);
    const tags = tagsFromSpecs(input.TagSpecifications, "network-insights-analysis", ctx);
    const probe = analysisProbe(path);
    const base = {
      kind: "network-insights-analysis" as const,
      id: ctx.ids.next("networkInsightsAnalysis"),
      tags,
      networkInsightsPathId: path.id,
      startDate: ctx.now.toISOString(),
      completesAt: new Date(ctx.now.getTime() + (ctx.delays?.networkInsightsAnalysisMs ?? 0)).toISOString(),
      filterInArns: [],
    };
    let record: NetworkInsightsAnalysisRecord;
    const gone = [path.source, path.destination].map((id) => (id !== undefined ? endpointState(tx, id) : "ok"));
    if (gone.includes("deleted")) {
      // localvpc's own wording: a source or destination deleted since the path was created.
      const id = gone[0] === "deleted" ? path.source : path.destination;
      record = { ...base, ...NOTHING_FOUND, status: "failed", statusMessage: `The resource ${id ?? ""} no longer exists.` };
    } else if (gone.includes("unassociated")) {
      // RA-DOC UNASSOCIATED_COMPONENT: e.g. a terminated instance, or one with no network interface left.
      const id = (gone[0] === "unassociated" ? path.source : path.destination) ?? "";
      const explanations = [{ explanationCode: "UNASSOCIATED_COMPONENT", component: { id, arn: arnOf(ctx.scope, id) } }];
      record = { ...base, ...NOTHING_FOUND, status: "succeeded", explanations };
    } else
      try {
        if (!ctx.reachability) throw err.notImplemented("StartNetworkInsightsAnalysis");
        const verdict = ctx.reachability(tx, ctx.scope, ctx.now.getTime(), probe);
        const sourceEni = verdict.hops.find((h) => h.type === "network-interface")?.component;
        const srcEni = sourceEni !== undefined ? tx.get("network-interface", sourceEni) : undefined;
        const srcAddress = srcEni ? primaryIp(srcEni) : "";
        const firstHop = verdict.hops[0];
        const source = firstHop?.type === "internet" ? firstHop.component : srcAddress;
        const findings = analysisFindings(verdict, analysisRecords(tx), ctx.scope, {
          source,
          destination: destinationAddress(tx, probe.to),
        });
        record = { ...base, status: "succeeded", ...findings };
      } catch (e) {
        // An endpoint the evaluator cannot resolve (an address no interface holds): the analysis fails and says why.
        if (!(e instanceof Ec2Error) || e.code === "UnsupportedOperation") throw e;
        record = { ...base, ...NOTHING_FOUND, status: "failed", statusMessage: e.message };
      }
    tx.put(record);
    // AWS answers Start with the analysis running; Describe shows the result once it completes.
    return { NetworkInsightsAnalysis: { ...analysisView(record, ctx), Status: "running" as const, NetworkPathFound: undefined } };
  },
});

const primaryIp = (eni: NetworkInterfaceRecord): string =>
  eni.privateIps.find((p) => p.primary)?.address ?? eni.privateIps[0]?.address ?? "";

/** The address a probe's `to` names, for the packet the findings follow (an id: its primary private address). */
const destinationAddress = (tx: Tx, to: string): string => {
  if (to.startsWith("eni-")) {
    const eni = tx.get("network-interface", to);
    return eni ? primaryIp(eni) : to;
  }
  if (to.startsWith("i-")) {
    const enis = tx.list("network-interface", { instanceId: to });
    const primary = enis.find((e) => e.attachment?.deviceIndex === 0) ?? enis[0];
    return primary ? primaryIp(primary) : to;
  }
  return to === "internet" ? "198.51.100.7" : to;
};

export const DescribeNetworkInsightsAnalyses = defineAction({
  name: "DescribeNetworkInsightsAnalyses",
  mutates: false,
  params: [
    "NetworkInsightsAnalysisIds",
    "NetworkInsightsPathId",
    "AnalysisStartTime",
    "AnalysisEndTime",
    "Filters",
    "MaxResults",
    "NextToken",
  ],
  run(input, ctx) {
    const { tx } = ctx;
    if (input.NetworkInsightsPathId !== undefined) assertIdOf("networkInsightsPath", input.NetworkInsightsPathId);
    const ids = input.NetworkInsightsAnalysisIds;
    // A path's analyses through the store's secondary key (store/secondary-keys.ts), not a scan of every analysis.
    const items =
      ids !== undefined && ids.length > 0
        ? candidates(tx, "network-insights-analysis", ids, undefined)
        : input.NetworkInsightsPathId !== undefined
          ? tx.getMany(
              "network-insights-analysis",
              tx.idsByKey("network-insights-analysis", "network-insights-path-id", input.NetworkInsightsPathId),
            )
          : tx.list("network-insights-analysis");
    const from = input.AnalysisStartTime?.getTime();
    const to = input.AnalysisEndTime?.getTime();
    const page = describe({
      items: items.filter((a) => {
        if (input.NetworkInsightsPathId !== undefined && a.networkInsightsPathId !== input.NetworkInsightsPathId) return false;
        const t = Date.parse(a.startDate);
        return (from === undefined || t >= from) && (to === undefined || t <= to);
      }),
      idOf: (a) => a.id,
      ids,
      idKind: "networkInsightsAnalysis",
      notFound: (missing) => err.networkInsightsAnalysisNotFound(missing[0] ?? ""),
      filters: input.Filters,
      table: {
        "path-found": (a) => (Date.parse(a.completesAt) <= ctx.now.getTime() && a.status === "succeeded" ? a.networkPathFound : undefined),
        status: (a) => (Date.parse(a.completesAt) <= ctx.now.getTime() ? a.status : "running"),
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return { NetworkInsightsAnalyses: page.items.map((a) => analysisView(a, ctx)), NextToken: page.nextToken };
  },
});

export const DeleteNetworkInsightsAnalysis = defineAction({
  name: "DeleteNetworkInsightsAnalysis",
  mutates: true,
  params: ["NetworkInsightsAnalysisId"],
  run(input, ctx) {
    const a = must(ctx.tx, "network-insights-analysis", input.NetworkInsightsAnalysisId);
    ctx.tx.delete(a.id);
    return { NetworkInsightsAnalysisId: a.id };
  },
});

export const NETWORK_INSIGHTS_ACTIONS = [
  CreateNetworkInsightsPath,
  DescribeNetworkInsightsPaths,
  DeleteNetworkInsightsPath,
  StartNetworkInsightsAnalysis,
  DescribeNetworkInsightsAnalyses,
  DeleteNetworkInsightsAnalysis,
];
