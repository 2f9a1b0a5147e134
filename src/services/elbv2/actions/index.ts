/** Every ELBv2 action localvpc builds, by name (the pipeline answers the model's other operations "not implemented"). */
import type { Elbv2Action } from "./common.js";
import { LISTENER_ACTIONS } from "./listeners.js";
import { LOAD_BALANCER_ACTIONS } from "./load-balancers.js";
import { TAG_ACTIONS } from "./tags.js";
import { TARGET_GROUP_ACTIONS, TARGET_GROUP_ATTRIBUTE_ACTIONS } from "./target-groups.js";
import { TERRAFORM_READ_ACTIONS } from "./terraform-reads.js";

export const ELBV2_ACTIONS: ReadonlyMap<string, Elbv2Action> = new Map(
  [
    ...LOAD_BALANCER_ACTIONS,
    ...TARGET_GROUP_ACTIONS,
    ...TARGET_GROUP_ATTRIBUTE_ACTIONS,
    ...LISTENER_ACTIONS,
    ...TAG_ACTIONS,
    ...TERRAFORM_READ_ACTIONS,
  ].map((a) => [a.name, a]),
);
