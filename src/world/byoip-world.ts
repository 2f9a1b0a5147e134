/**
 * The world outside AWS that BYOIP is checked against, as admin routes (issue 4): a simulated registry for the five
 * RIRs (register a range to an organisation, publish or remove the self-signed certificate where that RIR puts it,
 * ROAs, reputation), RDAP (`GET /_localvpc/rdap/ip/{address-or-cidr}`, an RFC 9083 IP network object) and the
 * internet's BGP view (`GET /_localvpc/bgp`, on-premises announcements, RPKI validity, who receives an address).
 *
 * The world is global, not per account: it lives in the reserved store scope WORLD_SCOPE, which EC2 never bootstraps
 * (these routes use the store directly, never Ec2Service.runAdmin).
 */
import { routeViews, internetReceiverOf, whyNotToAws, type Announcement, type Roa, type RouteView } from "../domain/bgp.js";
import {
  AWS_ORIGIN_ASN,
  CERTIFICATE_PLACE,
  WORLD_SCOPE,
  allRoas,
  mustBeRegistered,
  oneLineCertificate,
  parseRir,
  registerRange,
  registryCidr,
  settleByoip,
  withReputation,
  withRoas,
} from "../domain/byoip.js";
import {
  cidrSize,
  containsAddress,
  containsCidr,
  formatAddress,
  formatCidr,
  lastAddress,
  parseAddress,
  parseCidr,
  type Cidr,
} from "../domain/cidr.js";
import { err } from "../domain/errors.js";
import type { BgpAnnouncementRecord, RirRangeRecord } from "../domain/types.js";
import type { Store, Tx } from "../store/store.js";
import { AdminResponse, bodyObject, bodyString, requireBodyString, type AdminRequest, type AdminRoute } from "../admin/routes.js";

export interface WorldDeps {
  readonly store: Store;
  readonly now: () => Date;
}

// --- the internet's view (also for the data plane) ----------------------------------------------------------------

/** An announcement with where it comes from, for the BGP view. */
export interface WorldAnnouncement extends Announcement {
  /** "aws:<region>" for an advertised BYOIP range, "onprem" for the range owner's own announcement. */
  readonly advertisedBy: string;
}

/**
 * Every announcement on the simulated internet and every ROA, read in `tx` (any scope): AWS's announcements of the
 * BYOIP ranges that are `advertised` in any account and Region (origin AS16509), and the on-premises ones. Pass the
 * result to `internetReceiverOf(address, announcements, roas)` (domain/bgp.ts) to learn who receives traffic.
 */
export const internetView = (tx: Tx, now: Date): { announcements: WorldAnnouncement[]; roas: Roa[] } => {
  const world = tx.forScope(WORLD_SCOPE);
  const aws: WorldAnnouncement[] = tx
    .listEverywhere("byoip-cidr")
    .map((x) => ({ scope: x.scope, r: settleByoip(x.record, now) }))
    .filter((x) => x.r.state === "advertised")
    .map((x) => ({ prefix: x.r.network, originAsn: AWS_ORIGIN_ASN, network: "aws", advertisedBy: `aws:${x.scope.region}` }));
  const onprem: WorldAnnouncement[] = world
    .list("bgp-announcement")
    .map((a) => ({ prefix: a.prefix, originAsn: a.originAsn, network: "onprem", advertisedBy: "onprem" }));
  return { announcements: [...aws, ...onprem], roas: allRoas(world.list("rir-range")) };
};

// --- body helpers -------------------------------------------------------------------------------------------------

const asNumber = (v: unknown, name: string): number => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw err.invalidInteger(name, JSON.stringify(v));
  return n;
};

const asnList = (v: unknown): number[] => {
  if (v === undefined || v === null) throw err.missingParameter("asns");
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  if (list.length === 0) throw err.missingParameter("asns");
  return list.map((x) => asNumber(x, "asns"));
};

// --- RDAP (RFC 9083) ----------------------------------------------------------------------------------------------

const RDAP = "application/rdap+json";

const rdapError = (status: number, title: string, description: string): AdminResponse =>
  new AdminResponse({ rdapConformance: ["rdap_level_0"], errorCode: status, title, description: [description] }, status, RDAP);

const handleOf = (r: RirRangeRecord, c: Cidr): string => {
  const first = formatAddress(c.version, c.network);
  if (r.rir === "ARIN") return `NET${c.version === 6 ? "6" : ""}-${first.replace(/[.:]+/g, "-").replace(/-$/, "")}-1`;
  return `${first} - ${formatAddress(c.version, lastAddress(c))}`;
};

/**
 * The data plane's view of the internet at `now`: does it route `address` to AWS? True where an advertised BYOIP
 * range (origin AS16509, RPKI-valid) is the longest accepted match; false where nothing, or on-premises, wins.
 */
export const awsReceives = (tx: Tx, now: Date): ((address: string) => boolean) => {
  const view = internetView(tx, now);
  return (address) => internetReceiverOf(address, view.announcements, view.roas)?.network === "aws";
};

/**
 * The data plane's explanation for an address the internet does not route to AWS (read lazily, only when a drop is
 * explained): which announcement wins instead, or that the BYOIP range holding it is not advertised.
 */
export const whyNotRoutedToAws =
  (tx: Tx, now: Date): ((address: string) => string) =>
  (address) => {
    const view = internetView(tx, now);
    const why = whyNotToAws(address, view.announcements, view.roas);
    if (why !== undefined) return why;
    const a = parseAddress(address);
    const range = tx
      .listEverywhere("byoip-cidr")
      .map((x) => settleByoip(x.record, now))
      .find((r) => a !== undefined && containsAddress(parseCidr(r.network)!, a.version, a.value));
    return range
      ? `its range ${range.network} is ${range.state}, not advertised (AdvertiseByoipCidr makes AWS announce it), and no other announcement covers it`
      : "no announcement on the internet covers it";
  };

/** The RFC 9083 IP network object for a registered range, with the certificate where its RIR renders it. */
export const rdapNetwork = (r: RirRangeRecord, selfHref: string): Record<string, unknown> => {
  const c = parseCidr(r.cidr)!;
  const place = CERTIFICATE_PLACE[r.rir];
  const remarks: { title: string; description: string[] }[] = [];
  if (r.certificate) remarks.push({ title: place.remarkTitle, description: [r.certificate] });
  return {
    rdapConformance: ["rdap_level_0", "cidr0"],
    objectClassName: "ip network",
    handle: handleOf(r, c),
    startAddress: formatAddress(c.version, c.network),
    endAddress: formatAddress(c.version, lastAddress(c)),
    ipVersion: c.version === 4 ? "v4" : "v6",
    name: r.org.toUpperCase().replace(/[^A-Z0-9]+/g, "-"),
    type: r.rir === "ARIN" ? "DIRECT ALLOCATION" : "ALLOCATED PA",
    status: ["active"],
    cidr0_cidrs: [
      c.version === 4
        ? { v4prefix: formatAddress(4, c.network), length: c.prefix }
        : { v6prefix: formatAddress(6, c.network), length: c.prefix },
    ],
    port43: place.port43,
    entities: [
      {
        objectClassName: "entity",
        handle: r.org,
        roles: ["registrant"],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", r.org],
            ["kind", {}, "text", "org"],
          ],
        ],
      },
    ],
    remarks,
    events: [
      { eventAction: "registration", eventDate: r.registeredAt },
      { eventAction: "last changed", eventDate: r.updatedAt },
    ],
    links: [{ value: selfHref, rel: "self", href: selfHref, type: RDAP }],
    notices: [{ title: "localvpc", description: [`Simulated ${r.rir} registry record (localvpc); not a real registration.`] }],
  };
};

const rdapQuery = (text: string): Cidr | undefined => {
  const c = parseCidr(text);
  if (c) return c;
  const a = parseAddress(text);
  return a ? { version: a.version, network: a.value, prefix: a.version === 4 ? 32 : 128 } : undefined;
};

// --- routes -------------------------------------------------------------------------------------------------------

const rangeSummary = (r: RirRangeRecord): Record<string, unknown> => ({
  cidr: r.cidr,
  rir: r.rir,
  org: r.org,
  addresses: cidrSize(parseCidr(r.cidr)!).toString(),
  certificatePublished: r.certificate !== undefined,
  certificateLocation: CERTIFICATE_PLACE[r.rir].field,
  roas: r.roas,
  reputation: r.listings.length === 0 ? "clean" : "listed",
  listings: r.listings,
});

const bgpAnswer = (view: { announcements: WorldAnnouncement[]; roas: Roa[] }, address: string | undefined): Record<string, unknown> => {
  const views = routeViews(view.announcements, view.roas) as (RouteView & WorldAnnouncement)[];
  const answer: Record<string, unknown> = {
    announcements: views.map((v) => ({
      prefix: v.prefix,
      originAsn: v.originAsn,
      network: v.network,
      advertisedBy: v.advertisedBy,
      rpki: v.validity,
      accepted: v.accepted,
      filteredBecause: v.filteredBecause,
    })),
  };
  if (address !== undefined) {
    if (!rdapQuery(address)) throw err.invalidAddressOrCidr(address);
    const r = internetReceiverOf(address, view.announcements, view.roas) as (RouteView & WorldAnnouncement) | undefined;
    answer["address"] = address;
    answer["receiver"] = r
      ? { network: r.network, advertisedBy: r.advertisedBy, prefix: r.prefix, originAsn: r.originAsn, rpki: r.validity }
      : { network: "none", reason: "no accepted announcement covers this address" };
  }
  return answer;
};

export const byoipWorldRoutes = (deps: WorldDeps): AdminRoute[] => {
  const { store, now } = deps;
  const write = <T>(fn: (world: Tx, at: string) => T): T => store.tx(WORLD_SCOPE, (tx) => fn(tx, now().toISOString()));
  /** Reads a body with a `cidr` member and applies `change` to the registration holding it. */
  const updateRange = (
    req: AdminRequest,
    change: (r: RirRangeRecord, c: Cidr, b: Record<string, unknown>, at: string) => RirRangeRecord,
  ) => {
    const b = bodyObject(req.body, "cidr");
    const c = registryCidr(requireBodyString(b, "cidr"));
    return write((world, at) => {
      const updated = change(mustBeRegistered(world.list("rir-range"), c), c, b, at);
      world.put(updated);
      return rangeSummary(updated);
    });
  };
  const onprem = (b: Record<string, unknown>): { c: Cidr; asn: number } => {
    const c = registryCidr(requireBodyString(b, "cidr"));
    const origin = bodyString(b, "origin") ?? "onprem";
    if (origin !== "onprem") throw err.invalidBgpOrigin(origin);
    return { c, asn: asnList(b["asn"])[0]! };
  };
  return [
    {
      method: "POST",
      path: "/_localvpc/rir/register",
      summary: "rir range registered",
      handle: (req) => {
        const b = bodyObject(req.body, "cidr");
        const c = registryCidr(requireBodyString(b, "cidr"));
        const rir = parseRir(requireBodyString(b, "rir"));
        const org = requireBodyString(b, "org");
        return write((world, at) => {
          const r = registerRange(world.list("rir-range"), { cidr: c, rir, org, now: at });
          world.put(r);
          return rangeSummary(r);
        });
      },
    },
    {
      method: "POST",
      path: "/_localvpc/rir/publish-cert",
      summary: "certificate published",
      handle: (req) =>
        updateRange(req, (r, _c, b, at) => ({ ...r, certificate: oneLineCertificate(requireBodyString(b, "certificate")), updatedAt: at })),
    },
    {
      method: "POST",
      path: "/_localvpc/rir/unpublish-cert",
      summary: "certificate removed",
      handle: (req) => updateRange(req, (r, _c, _b, at) => ({ ...r, certificate: undefined, updatedAt: at })),
    },
    {
      method: "POST",
      path: "/_localvpc/rir/roa",
      summary: "ROA created",
      handle: (req) =>
        updateRange(req, (r, c, b, at) =>
          withRoas(r, c, asnList(b["asns"] ?? b["asn"]), asNumber(b["maxLength"] ?? c.prefix, "maxLength"), at),
        ),
    },
    {
      method: "POST",
      path: "/_localvpc/rir/reputation",
      summary: "reputation changed",
      handle: (req) =>
        updateRange(req, (r, c, b, at) => {
          const listed = bodyString(b, "listed");
          if (listed === undefined && b["clean"] !== true) throw err.missingParameter("listed");
          return withReputation(r, c, listed, at);
        }),
    },
    {
      method: "GET",
      path: "/_localvpc/rir/ranges",
      handle: () => ({ ranges: store.read(WORLD_SCOPE, (tx) => tx.list("rir-range").map(rangeSummary)) }),
    },
    {
      method: "GET",
      path: "/_localvpc/rdap/ip/*query",
      summary: "RDAP ip lookup",
      handle: (req) => {
        const q = req.params["query"] ?? "";
        const c = rdapQuery(q);
        if (!c) return rdapError(400, "Bad Request", `${q} is not an IP address or CIDR.`);
        const ranges = store.read(WORLD_SCOPE, (tx) => tx.list("rir-range"));
        const best = ranges
          .filter((r) => containsCidr(parseCidr(r.cidr)!, c))
          .sort((a, b) => parseCidr(b.cidr)!.prefix - parseCidr(a.cidr)!.prefix)[0];
        if (!best) return rdapError(404, "Not Found", `No registered range contains ${formatCidr(c)}.`);
        return new AdminResponse(rdapNetwork(best, `/_localvpc/rdap/ip/${best.cidr}`), 200, RDAP);
      },
    },
    {
      method: "GET",
      path: "/_localvpc/bgp",
      handle: (req) =>
        bgpAnswer(
          store.read(WORLD_SCOPE, (tx) => internetView(tx, now())),
          req.query.get("address") ?? undefined,
        ),
    },
    {
      method: "POST",
      path: "/_localvpc/bgp/announce",
      summary: "on-premises announcement added",
      handle: (req) => {
        const { c, asn } = onprem(bodyObject(req.body, "cidr"));
        const prefix = formatCidr(c);
        return write((world, at) => {
          const a: BgpAnnouncementRecord = {
            kind: "bgp-announcement",
            id: `bgp:${prefix}:${asn}`,
            tags: [],
            prefix,
            originAsn: asn,
            network: "onprem",
            announcedAt: at,
          };
          world.put(a);
          return bgpAnswer(internetView(world, now()), undefined);
        });
      },
    },
    {
      method: "POST",
      path: "/_localvpc/bgp/withdraw",
      summary: "on-premises announcement withdrawn",
      handle: (req) => {
        const { c, asn } = onprem(bodyObject(req.body, "cidr"));
        const prefix = formatCidr(c);
        return write((world) => {
          const id = `bgp:${prefix}:${asn}`;
          if (!world.get("bgp-announcement", id)) throw err.announcementNotFound(prefix, asn);
          world.delete(id);
          return bgpAnswer(internetView(world, now()), undefined);
        });
      },
    },
  ];
};
