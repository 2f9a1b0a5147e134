/** What every ELBv2 action runs with: EC2's action context (the shared transaction) plus the data-plane health probe. */
import type { Scope, Tx } from "../../store/store.js";
import type { ActionContext } from "../ec2/seams.js";

/**
 * One health-check packet from a load balancer's ENI to a target's address and port, through the data plane (the
 * target's security groups, NACLs and routes, and the reply): true when it is answered. Injected by index.ts from
 * the runtime's traffic engine; the service never imports the runtime.
 */
export type HealthProbe = (tx: Tx, scope: Scope, now: Date, fromEniId: string, toIp: string, port: number) => boolean;

export interface Elbv2Context extends ActionContext {
  readonly health: HealthProbe;
  /** How long a new load balancer stays `provisioning` on the simulated clock. */
  readonly provisionMs: number;
}
