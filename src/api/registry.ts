/**
 * Every implemented EC2 action. An action group file exports `<GROUP>_ACTIONS`; add it here. scripts/coverage.ts
 * reads this registry to write COVERAGE.md.
 */
import type { RegisteredAction } from "./action.js";
import { REGION_ACTIONS } from "./regions.js";
import { SUBNET_ACTIONS } from "./subnets.js";
import { TAG_ACTIONS } from "./tags.js";
import { VPC_ACTIONS } from "./vpcs.js";

const ALL: readonly RegisteredAction[] = [...REGION_ACTIONS, ...TAG_ACTIONS, ...VPC_ACTIONS, ...SUBNET_ACTIONS];

export const ACTIONS: ReadonlyMap<string, RegisteredAction> = new Map(ALL.map((a) => [a.name, a]));
