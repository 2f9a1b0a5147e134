/** Instance-type limits the domain table tests share (values as the catalogue has them for t3.medium). */
import type { TypeLimits } from "./instances.js";

export const T3_MEDIUM_LIMITS: TypeLimits = {
  name: "t3.medium",
  maxInterfaces: 3,
  maxCards: 1,
  cards: [{ index: 0, maxInterfaces: 3 }],
  ipv4PerInterface: 6,
  ipv6PerInterface: 6,
  ipv6Supported: true,
  efaSupported: false,
  maxEfaInterfaces: 0,
  architecture: "x86_64",
};
