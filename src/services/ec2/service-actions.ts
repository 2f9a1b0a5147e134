/**
 * EC2's own actions, run by another emulated service inside that service's transaction (EKS, issue 18: a node
 * group's instances, the cluster security group, the VPC CNI's ENIs and secondary IPs). Going through the registered
 * action means every EC2 rule applies unchanged (instance and ENI limits, IPs per ENI, InsufficientFreeAddressesInSubnet,
 * quotas), and an error rolls the whole call back. `addServiceTags` puts the `aws:`-prefixed tags AWS itself writes
 * (users may not: CreateTags refuses them).
 */
import type { Tag } from "../../domain/types.js";
import type { ActionContext, InputOf, OperationName, OutputOf } from "./action.js";
import { runInstances } from "./launch.js";
import { ACTIONS } from "./registry.js";

/** How many EC2 actions other services ran through runEc2Action in this process, by name (for `npm run bench`). */
const runCounts = new Map<string, number>();

/** A copy of those counts (process-wide: every server in the process, refused calls included). */
export const serviceActionCounts = (): Record<string, number> => Object.fromEntries(runCounts);

export const runEc2Action = <N extends OperationName>(ctx: ActionContext, name: N, input: InputOf<N>): OutputOf<N> => {
  const a = ACTIONS.get(name);
  if (!a) throw new Error(`EC2 action ${name} is not registered`);
  runCounts.set(name, (runCounts.get(name) ?? 0) + 1);
  return a.run(input as unknown as Record<string, unknown>, ctx) as OutputOf<N>;
};

/** RunInstances' launch path with tags AWS adds itself (`aws:autoscaling:groupName`…). */
export const launchInstances: typeof runInstances = (...args) => {
  runCounts.set("RunInstances", (runCounts.get("RunInstances") ?? 0) + 1);
  return runInstances(...args);
};

/** Adds (or replaces by key) tags on a record the service created, including AWS-reserved `aws:` keys. */
export const addServiceTags = (
  ctx: ActionContext,
  kind: "instance" | "security-group" | "network-interface",
  id: string,
  tags: readonly Tag[],
): void => {
  const r = ctx.tx.get(kind, id);
  if (!r) return;
  const keys = new Set(tags.map((t) => t.key));
  ctx.tx.put({ ...r, tags: [...r.tags.filter((t) => !keys.has(t.key)), ...tags] });
};
