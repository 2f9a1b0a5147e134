/**
 * Every runnable scenario, in the order `localvpc scenario list` and the console show them: the EC2 and BYOIP ones
 * (scenarios.ts), then those of the services that put Hyperplane ENIs in a VPC (hyperplane-scenarios.ts), then
 * EKS's (eks-scenarios.ts). A file of its own so that the scenario files can share helpers without importing each other
 * in a cycle.
 */
import { EKS_SCENARIOS } from "./eks-scenarios.js";
import { HYPERPLANE_SCENARIOS } from "./hyperplane-scenarios.js";
import { EC2_SCENARIOS, type Scenario } from "./scenarios.js";

export const SCENARIOS: readonly Scenario[] = [...EC2_SCENARIOS, ...HYPERPLANE_SCENARIOS, ...EKS_SCENARIOS];
