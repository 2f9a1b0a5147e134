/**
 * The internet's view of BYOIP ranges (spec dataplane.md §9): RPKI route origin validation (RFC 6811) and which
 * network receives traffic for an address. Pure: announcements and ROAs in, a decision out.
 *
 * Model (dataplane.md §9.4, simplified to one viewer that enforces route origin validation):
 * - an announcement is (prefix, origin ASN, which network announces it);
 * - RPKI-Invalid announcements are dropped, and so are prefixes longer than /24 (IPv4) or /48 (IPv6), which
 *   operators commonly filter (DENOG routing guide);
 * - of the rest, the longest prefix containing the address wins; among announcements of the same prefix the
 *   shorter AS path, then the lower origin ASN, wins (real BGP best-path selection splits the internet by
 *   topology here, which is why AWS "can't guarantee" ingress while a range is also announced elsewhere).
 */
import { containsAddress, containsCidr, parseAddress, parseCidr, type Cidr } from "./cidr.js";

/** A route origin authorization: (prefix, maxLength, origin ASN), i.e. one validated ROA payload (VRP). */
export interface Roa {
  readonly prefix: string;
  readonly maxLength: number;
  readonly asn: number;
}

/** A BGP announcement seen on the internet. */
export interface Announcement {
  readonly prefix: string;
  readonly originAsn: number;
  /** Who announces it: "aws" (an advertised BYOIP range) or "onprem" (the range owner's own network). */
  readonly network: "aws" | "onprem";
  /** AS_PATH length as seen by the viewer (default 1: the origin's direct neighbour). */
  readonly asPathLength?: number;
}

export type RpkiValidity = "Valid" | "Invalid" | "NotFound";

/** The internet's longest accepted prefix per family (longer ones are commonly filtered). */
export const MAX_ACCEPTED_PREFIX: Readonly<Record<4 | 6, number>> = { 4: 24, 6: 48 };

/**
 * RFC 6811 §2: a VRP *covers* a route when its prefix contains the route's prefix (equal or less specific); it
 * *matches* when it also allows the route's length (≤ maxLength) and has the route's origin ASN. AS0 never matches
 * (RFC 6483 §4). Valid: some VRP matches; Invalid: some VRP covers but none matches; NotFound: none covers.
 */
export const rpkiValidity = (prefix: string, originAsn: number, roas: readonly Roa[]): RpkiValidity => {
  const route = parseCidr(prefix);
  if (!route) return "NotFound";
  let covered = false;
  for (const roa of roas) {
    const vrp = parseCidr(roa.prefix);
    if (!vrp || !containsCidr(vrp, route)) continue;
    covered = true;
    if (route.prefix <= roa.maxLength && roa.asn === originAsn && roa.asn !== 0) return "Valid";
  }
  return covered ? "Invalid" : "NotFound";
};

/** An announcement with its RPKI validity and whether the internet accepts it. */
export interface RouteView extends Announcement {
  readonly validity: RpkiValidity;
  readonly accepted: boolean;
  /** Why it is not accepted (undefined when accepted). */
  readonly filteredBecause?: "rpki-invalid" | "too-specific" | undefined;
}

export const routeViews = (announcements: readonly Announcement[], roas: readonly Roa[]): RouteView[] =>
  announcements.map((a) => {
    const validity = rpkiValidity(a.prefix, a.originAsn, roas);
    const c = parseCidr(a.prefix);
    const tooSpecific = c !== undefined && c.prefix > MAX_ACCEPTED_PREFIX[c.version];
    const filteredBecause = validity === "Invalid" ? "rpki-invalid" : tooSpecific ? "too-specific" : undefined;
    return { ...a, validity, accepted: filteredBecause === undefined, filteredBecause };
  });

/**
 * Which announcement receives internet traffic for `address` (an IPv4/IPv6 address, or a CIDR: its network
 * address): the longest accepted prefix that contains it, ties broken by shorter AS path then lower origin ASN.
 * Undefined when no accepted announcement covers it (the traffic goes nowhere).
 *
 * The data plane calls this to decide whether traffic from the internet to a BYOIP address reaches AWS:
 * `internetReceiverOf(ip, announcements, roas)?.network === "aws"`.
 */
export const internetReceiverOf = (
  address: string,
  announcements: readonly Announcement[],
  roas: readonly Roa[],
): RouteView | undefined => {
  const target: { version: 4 | 6; value: bigint } | undefined =
    parseAddress(address) ?? ((c: Cidr | undefined) => (c ? { version: c.version, value: c.network } : undefined))(parseCidr(address));
  if (!target) return undefined;
  let best: { view: RouteView; prefix: number } | undefined;
  for (const view of routeViews(announcements, roas)) {
    if (!view.accepted) continue;
    const c = parseCidr(view.prefix);
    if (!c || !containsAddress(c, target.version, target.value)) continue;
    if (!best || better(view, c.prefix, best.view, best.prefix)) best = { view, prefix: c.prefix };
  }
  return best?.view;
};

const better = (a: RouteView, aLen: number, b: RouteView, bLen: number): boolean => {
  if (aLen !== bLen) return aLen > bLen;
  const pa = a.asPathLength ?? 1;
  const pb = b.asPathLength ?? 1;
  if (pa !== pb) return pa < pb;
  return a.originAsn < b.originAsn;
};

// --- data plane × BYOIP (issue 5): why the internet does not deliver an address to AWS ---------------------------

/**
 * Why traffic from the internet for `address` does not reach AWS, as a clause for a drop's explanation, or undefined
 * when AWS receives it or when no announcement covers the address at all (the caller knows whether the range is
 * merely not advertised). Cases: an on-premises announcement wins (more specific, or the same prefix with a shorter
 * AS path / lower ASN), or AWS's own announcement is filtered (RPKI Invalid, too specific).
 */
export const whyNotToAws = (address: string, announcements: readonly Announcement[], roas: readonly Roa[]): string | undefined => {
  const receiver = internetReceiverOf(address, announcements, roas);
  if (receiver?.network === "aws") return undefined;
  const target = parseAddress(address);
  const covering = routeViews(announcements, roas).filter((v) => {
    const c = parseCidr(v.prefix);
    return c !== undefined && target !== undefined && containsAddress(c, target.version, target.value);
  });
  const aws = covering.find((v) => v.network === "aws" && v.accepted);
  if (receiver) {
    const what = `${receiver.prefix} from AS${receiver.originAsn} (RPKI ${receiver.validity})`;
    if (!aws) return `only the on-premises network announces it (${what}), and AWS does not announce it`;
    if (aws.prefix === receiver.prefix)
      return `an on-premises announcement wins: ${what} is preferred to AWS's announcement of the same prefix (shorter AS path, then lower ASN)`;
    return `an on-premises announcement wins: ${what} is more specific than AWS's ${aws.prefix} (longest prefix match)`;
  }
  const filtered = covering.find((v) => v.network === "aws" && !v.accepted);
  if (filtered)
    return filtered.filteredBecause === "rpki-invalid"
      ? `AWS's announcement of ${filtered.prefix} from AS${filtered.originAsn} is RPKI Invalid (no ROA authorizes that origin for it) and filtered`
      : `AWS's announcement of ${filtered.prefix} is longer than /${MAX_ACCEPTED_PREFIX[parseCidr(filtered.prefix)!.version]} and filtered`;
  return undefined;
};
