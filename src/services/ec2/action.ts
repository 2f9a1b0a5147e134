/**
 * An EC2 action is one small declarative unit: its AWS name, whether it mutates state, the input members it
 * handles, and a `run` that reads/writes through the transaction and calls domain rules. Input and output types
 * are generated from the EC2 model, so a wrong member name does not compile.
 */
import type { IdGenerator } from "../../domain/ids.js";
import type { OperationShapes } from "../../protocol/model/shapes.js";
import type { Scope, Tx } from "../../store/store.js";
import type { Catalog } from "../../catalog/catalog.js";
import type { Quotas } from "../../domain/quotas.js";
import type { TransitionDelays } from "../../domain/eni-attachment.js";
import type { Verdict } from "../../domain/dataplane/evaluate.js";
import type { AnalysisProbe } from "../../domain/network-insights.js";

export type OperationName = keyof OperationShapes;
export type InputOf<N extends OperationName> = OperationShapes[N]["input"];
export type OutputOf<N extends OperationName> = OperationShapes[N]["output"];

export interface ActionContext {
  readonly tx: Tx;
  readonly scope: Scope;
  readonly now: Date;
  readonly ids: IdGenerator;
  readonly requestId: string;
  readonly catalog: Catalog;
  readonly quotas: Quotas;
  /** The caller's access key id (the principal shown as requesterId), if any. */
  readonly principal: string;
  /** Transient-state delays (attaching, detaching, pending); absent means none (final states at once). */
  readonly delays?: TransitionDelays | undefined;
  /** BYOIP: how long ProvisionByoipCidr stays pending-provision on the simulated clock (absent: 0). */
  readonly byoipProvisionDelayMs?: number | undefined;
  /** Regions (issue 15): the opt-in regions the accounts opted in to (`serve --regions`); DescribeRegions reports them. */
  readonly optedInRegions?: ReadonlySet<string> | undefined;
  /** Images (issue 15): refuse unknown AMI ids (`--strict-images`), and hear of each unknown id accepted as generic. */
  readonly images?: ImageOptions | undefined;
  /** Chaos (issue 15): when the runtime made an instance impaired (`localvpc chaos fail-instance`), else undefined. */
  readonly impairedSince?: ((instanceId: string) => Date | undefined) | undefined;
  /** Reachability Analyzer (issue 21): the data-plane evaluator `traffic send` runs, without flow records or tracking. */
  readonly reachability?: ReachabilityPort | undefined;
}

/**
 * The runtime's evaluator as EC2 sees it (issue 21): one probe through the scope's compiled topology, read in the
 * action's transaction. Injected by index.ts (`TrafficEngine.analyze`), since services never import the runtime.
 */
export type ReachabilityPort = (tx: Tx, scope: Scope, nowMs: number, probe: AnalysisProbe) => Verdict;

export interface ImageOptions {
  /** True: an AMI id in no catalogue and not registered is InvalidAMIID.NotFound. False: a generic image. */
  readonly strict: boolean;
  readonly onGenericImage?: ((imageId: string) => void) | undefined;
}

export interface ActionDefinition<N extends OperationName> {
  readonly name: N;
  /** Mutating actions run in a write transaction, honour ClientToken and are rehearsed for DryRun. */
  readonly mutates: boolean;
  /**
   * The input members localvpc implements. A real EC2 member outside this list is answered with a clear
   * UnsupportedOperation rather than silently ignored. DryRun is handled by the pipeline for every action.
   */
  readonly params: readonly Exclude<keyof InputOf<N>, "DryRun">[];
  run(input: InputOf<N>, ctx: ActionContext): OutputOf<N>;
  /**
   * Called when a ClientToken retry would replay this earlier answer; may throw to refuse the replay
   * (RunInstances: IdempotentInstanceTerminated when the instance has since been terminated).
   */
  onReplay?(previous: OutputOf<N>, ctx: ActionContext): void;
}

/** The registry's erased view of an action. */
export interface RegisteredAction {
  readonly name: string;
  readonly mutates: boolean;
  readonly params: readonly string[];
  run(input: Record<string, unknown>, ctx: ActionContext): unknown;
  onReplay?(previous: unknown, ctx: ActionContext): void;
}

export const defineAction = <N extends OperationName>(def: ActionDefinition<N>): RegisteredAction => def as unknown as RegisteredAction;
