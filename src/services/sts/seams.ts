/** What other services may use of STS: resolving a caller's identity (IAM's GetUser names the same principal). */
export { resolveIdentity } from "./identity.js";
