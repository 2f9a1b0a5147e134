/** What the runtime may use of ELBv2 (wired by index.ts): where a load balancer forwards a packet that reached it. */
export { loadBalancerForwarding } from "./forwarding.js";
