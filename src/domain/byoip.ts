/**
 * Bring Your Own IP (spec ec2-networking.md §5, dataplane.md §9): the rules of ProvisionByoipCidr (synchronous
 * checks, then the verification AWS runs asynchronously), the state machine of a BYOIP CIDR, and the simulated
 * registry world it is checked against (RIR registration, the certificate in the range's RDAP record, ROAs,
 * reputation). Pure: signature verification is injected (node:crypto lives in the api layer), `now` is passed in.
 */
import { rpkiValidity, type Roa } from "./bgp.js";
import { cidrSize, containsCidr, formatAddress, formatCidr, lastAddress, overlaps, parseCidr, type Cidr } from "./cidr.js";
import { err } from "./errors.js";
import type { ByoipCidrRecord, ByoipState, RirName, RirRangeRecord } from "./types.js";

// --- the world outside AWS ----------------------------------------------------------------------------------------

export const RIRS: readonly RirName[] = ["ARIN", "RIPE", "APNIC", "LACNIC", "AFRINIC"];

/** The reserved store scope of the world outside AWS (registries, the internet); EC2 never bootstraps it. */
export const WORLD_SCOPE = { account: "world", region: "global" } as const;

/** Amazon's ASNs that a ROA must authorize for AWS to advertise a range (commercial Regions) [DOC ec2-byoip]. */
export const AMAZON_ASNS: readonly number[] = [16509, 14618];
/** The ASN AWS originates advertised BYOIP ranges from in the BGP view (dataplane.md §9.2: per-Region unverified). */
export const AWS_ORIGIN_ASN = 16509;

/**
 * Where each RIR shows the certificate (spec §5.2), as the RDAP remark title it renders it under: ARIN's "Public
 * Comments" appear in RDAP as "Registration Comments"; RIPE's `descr` and APNIC's/others' `remarks` keep their names.
 */
export const CERTIFICATE_PLACE: Readonly<Record<RirName, { field: string; remarkTitle: string; port43: string }>> = {
  ARIN: { field: "Public Comments", remarkTitle: "Registration Comments", port43: "whois.arin.net" },
  RIPE: { field: "descr", remarkTitle: "description", port43: "whois.ripe.net" },
  APNIC: { field: "remarks", remarkTitle: "remarks", port43: "whois.apnic.net" },
  LACNIC: { field: "remarks", remarkTitle: "remarks", port43: "whois.lacnic.net" },
  AFRINIC: { field: "remarks", remarkTitle: "remarks", port43: "whois.afrinic.net" },
};

export const parseRir = (value: string): RirName => {
  const v = value.toUpperCase() === "RIPE NCC" ? "RIPE" : value.toUpperCase();
  const rir = RIRS.find((r) => r === v);
  if (!rir) throw err.invalidEnum("rir", value, RIRS);
  return rir;
};

/** A CIDR the registry accepts (any valid CIDR; host bits are cleared). */
export const registryCidr = (text: string): Cidr => {
  const c = parseCidr(text);
  if (!c) throw err.invalidRegistryCidr(text);
  return c;
};

/** The most specific registered range containing `c` (a range record can serve several smaller CIDRs, spec §5.2). */
export const registrationFor = (ranges: readonly RirRangeRecord[], c: Cidr): RirRangeRecord | undefined => {
  let best: { r: RirRangeRecord; prefix: number } | undefined;
  for (const r of ranges) {
    const rc = parseCidr(r.cidr);
    if (rc && containsCidr(rc, c) && (!best || rc.prefix > best.prefix)) best = { r, prefix: rc.prefix };
  }
  return best?.r;
};

/** Registering a range: a new one may not overlap another organisation's registration; re-registering updates it. */
export const registerRange = (
  ranges: readonly RirRangeRecord[],
  p: { cidr: Cidr; rir: RirName; org: string; now: string },
): RirRangeRecord => {
  const cidr = formatCidr(p.cidr);
  const same = ranges.find((r) => r.cidr === cidr);
  if (same) return { ...same, rir: p.rir, org: p.org, updatedAt: p.now };
  const clash = ranges.find((r) => overlaps(parseCidr(r.cidr)!, p.cidr));
  if (clash) throw err.registryOverlap(cidr, clash.cidr);
  return {
    kind: "rir-range",
    id: `rir-range:${cidr}`,
    tags: [],
    cidr,
    rir: p.rir,
    org: p.org,
    registeredAt: p.now,
    updatedAt: p.now,
    roas: [],
    listings: [],
  };
};

/** The registration holding `c`, or the registry's not-registered error. */
export const mustBeRegistered = (ranges: readonly RirRangeRecord[], c: Cidr): RirRangeRecord => {
  const r = registrationFor(ranges, c);
  if (!r) throw err.notRegistered(formatCidr(c));
  return r;
};

const PEM = /-----BEGIN CERTIFICATE-----([\sA-Za-z0-9+/=]+)-----END CERTIFICATE-----/;

/**
 * The certificate as the RDAP record carries it: one line, BEGIN/END markers included (spec §5.2: the docs' `tr -d "\n"`).
 * Anything that is not one PEM certificate block is refused.
 */
export const oneLineCertificate = (text: string): string => {
  const m = PEM.exec(text);
  if (!m) throw err.invalidCertificateText();
  return `-----BEGIN CERTIFICATE-----${m[1]!.replace(/\s+/g, "")}-----END CERTIFICATE-----`;
};

/** A one-line certificate back in standard PEM form (64-column lines), for an X.509 parser. */
export const standardPem = (oneLine: string): string => {
  const m = PEM.exec(oneLine);
  const body = (m?.[1] ?? "").replace(/\s+/g, "");
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
};

/** ROAs for (prefix, asn) replace the earlier ones for the same pair; the prefix must lie in the registered range. */
export const withRoas = (range: RirRangeRecord, prefix: Cidr, asns: readonly number[], maxLength: number, now: string): RirRangeRecord => {
  const bits = prefix.version === 4 ? 32 : 128;
  if (!Number.isInteger(maxLength) || maxLength < prefix.prefix || maxLength > bits)
    throw err.invalidRoaMaxLength(maxLength, formatCidr(prefix), bits);
  for (const asn of asns) if (!Number.isInteger(asn) || asn < 0 || asn > 4294967295) throw err.invalidAsn(String(asn));
  const p = formatCidr(prefix);
  const kept = range.roas.filter((r) => !(r.prefix === p && asns.includes(r.asn)));
  return { ...range, roas: [...kept, ...asns.map((asn) => ({ prefix: p, maxLength, asn }))], updatedAt: now };
};

/** Listing a prefix (e.g. on a spam blocklist); `clean` removes every listing overlapping it. */
export const withReputation = (range: RirRangeRecord, prefix: Cidr, listed: string | undefined, now: string): RirRangeRecord => {
  const p = formatCidr(prefix);
  const others = range.listings.filter((l) => !overlaps(parseCidr(l.prefix)!, prefix));
  return { ...range, listings: listed === undefined ? others : [...others, { prefix: p, reason: listed, listedAt: now }], updatedAt: now };
};

/** Every ROA the registry holds (the internet's VRP set). */
export const allRoas = (ranges: readonly RirRangeRecord[]): Roa[] => ranges.flatMap((r) => r.roas);

// --- ProvisionByoipCidr: synchronous checks -----------------------------------------------------------------------

/** States in which a CIDR still holds its range (everything but deprovisioned and a failed provisioning). */
export const holdsRange = (state: ByoipState): boolean => state !== "deprovisioned" && state !== "failed-provision";

/** States in which the range's address pool exists and addresses can be allocated from it. */
export const poolUsable = (state: ByoipState): boolean =>
  state === "provisioned" ||
  state === "provisioned-not-publicly-advertisable" ||
  state === "pending-advertising" ||
  state === "advertised" ||
  state === "pending-withdrawal";

/**
 * Space the internet does not route, which BYOIP cannot bring ("your publicly routable IPv4 or IPv6 address range"
 * [DOC ec2-byoip]): RFC 1918, RFC 6598 shared space, "this network", loopback, link-local, IETF protocol
 * assignments, multicast and reserved; IPv6 unspecified/loopback, unique-local, link-local and
 * multicast. The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) stay allowed:
 * localvpc's simulated internet uses them as public ranges (README "Bring Your Own IP").
 */
const NOT_PUBLIC: readonly Cidr[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/127",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
].map((t) => parseCidr(t)!);

/**
 * The CIDR of a ProvisionByoipCidr request (spec §5.4, §5.7): a valid CIDR (host bits are accepted and the range
 * echoed as given: AWS CLI samples show 203.0.113.25/24), most specific /24 for IPv4, /48 for advertisable and /56 for
 * non-advertised IPv6; least specific /8 and /32 ([INFERRED]). PubliclyAdvertisable=false is IPv6 only.
 */
export const byoipRequestCidr = (cidr: string, publiclyAdvertisable: boolean | undefined): { network: Cidr; advertisable: boolean } => {
  const c = parseCidr(cidr);
  if (!c) throw err.invalidByoipCidr(cidr);
  if (publiclyAdvertisable === false && c.version === 4) throw err.notAdvertisableIpv4(cidr);
  const advertisable = publiclyAdvertisable ?? true;
  const most = c.version === 4 ? 24 : advertisable ? 48 : 56;
  const least = c.version === 4 ? 8 : 32;
  if (c.prefix > most)
    throw err.byoipPrefixTooSpecific(
      cidr,
      most,
      c.version === 4 ? "IPv4" : advertisable ? "publicly advertised IPv6" : "IPv6 that is not publicly advertised",
    );
  if (c.prefix < least) throw err.byoipPrefixTooBroad(cidr, least);
  if (NOT_PUBLIC.some((b) => b.version === c.version && overlaps(b, c))) throw err.byoipNotPublic(cidr);
  return { network: c, advertisable };
};

/**
 * A range may be brought to one Region of one account at a time: no overlap with any range that some account holds
 * in any Region [DOC model ProvisionByoipCidr]. `mine` is the caller's earlier record of the same CIDR, which a
 * re-run replaces (after failed-provision or deprovisioned).
 */
export const checkNoOverlap = (cidr: string, network: Cidr, everywhere: readonly ByoipCidrRecord[]): void => {
  for (const r of everywhere) {
    if (holdsRange(r.state) && overlaps(parseCidr(r.network)!, network)) throw err.byoipOverlap(cidr);
  }
};

/** Quota: five BYOIP ranges per Region, IPv4 and IPv6 together (spec §5.4); deprovisioned ones no longer count. */
export const checkByoipQuota = (inScope: readonly ByoipCidrRecord[], replacing: string | undefined, quota: number): void => {
  if (inScope.filter((r) => r.state !== "deprovisioned" && r.id !== replacing).length >= quota) throw err.byoipLimitExceeded();
};

// --- ProvisionByoipCidr: the asynchronous verification -----------------------------------------------------------

/** AWS's URL-safe-ish base64 (`tr -- '+=/' '-_~'`, newlines removed) back to standard base64 (spec §5.1). */
export const untransliterate = (signature: string): string =>
  signature.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/");

export interface AuthorizationMessage {
  readonly version: string;
  readonly provider: string;
  readonly account: string;
  readonly cidr: string;
  readonly expiry: string;
  readonly hash: string;
  readonly signatureAlgorithm: string;
}

/** `1|aws|ACCOUNT|CIDR|YYYYMMDD|SHA256|RSAPSS` split into its fields, or the statusMessage saying why it is not one. */
export const parseAuthorizationMessage = (text: string): AuthorizationMessage | { readonly problem: string } => {
  const f = text.split("|");
  if (f.length !== 7) {
    return {
      problem: `The authorization message must have 7 fields separated by "|" (1|aws|ACCOUNT|CIDR|YYYYMMDD|SHA256|RSAPSS); it has ${f.length}.`,
    };
  }
  const [version, provider, account, cidr, expiry, hash, signatureAlgorithm] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { version, provider, account, cidr, expiry, hash, signatureAlgorithm };
};

/** `YYYYMMDD` of a date (UTC). */
export const ymd = (d: Date): string => d.toISOString().slice(0, 10).replace(/-/g, "");

const validYmd = (s: string): boolean => {
  if (!/^\d{8}$/.test(s)) return false;
  const d = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && ymd(d) === s;
};

/**
 * The message's fields checked against the request (spec §5.1): version 1, provider aws, the caller's account, the
 * exact CIDR of the request, an expiry date not in the past (the message is good through that day, UTC), SHA256 and
 * RSAPSS. Answers the statusMessage of the first failure, or undefined.
 */
export const authorizationMessageProblem = (text: string, p: { account: string; cidr: string; today: string }): string | undefined => {
  const m = parseAuthorizationMessage(text);
  if ("problem" in m) return m.problem;
  if (m.version !== "1") return `The authorization message has version "${m.version}"; the only supported version is "1".`;
  if (m.provider !== "aws") return `The authorization message names provider "${m.provider}"; it must be "aws".`;
  if (m.account !== p.account) return `The authorization message is for account ${m.account}, not for your account ${p.account}.`;
  if (m.cidr !== p.cidr) return `The authorization message is for CIDR ${m.cidr}, not for the CIDR being provisioned, ${p.cidr}.`;
  if (!validYmd(m.expiry)) return `The authorization message expiry date "${m.expiry}" is not a date in YYYYMMDD form.`;
  if (m.expiry < p.today) return `The authorization message expired on ${m.expiry}.`;
  if (m.hash !== "SHA256") return `The authorization message names hash algorithm "${m.hash}"; it must be "SHA256".`;
  if (m.signatureAlgorithm !== "RSAPSS")
    return `The authorization message names signature algorithm "${m.signatureAlgorithm}"; it must be "RSAPSS".`;
  return undefined;
};

/** Verifies an RSASSA-PSS (SHA-256, salt 32) signature of `message` with the certificate's public key. */
export type SignatureVerifier = (
  certificatePem: string,
  message: string,
  signatureBase64: string,
) => "valid" | "invalid" | "unreadable-certificate";

export interface ProvisionFacts {
  readonly account: string;
  /** The CIDR exactly as requested. */
  readonly cidr: string;
  readonly network: Cidr;
  readonly advertisable: boolean;
  readonly context?: { readonly Message: string; readonly Signature: string } | undefined;
  readonly now: Date;
  readonly registration: RirRangeRecord | undefined;
  readonly roas: readonly Roa[];
  readonly verify: SignatureVerifier;
}

export interface ProvisionOutcome {
  readonly state: "provisioned" | "provisioned-not-publicly-advertisable" | "failed-provision";
  readonly statusMessage?: string | undefined;
}

/**
 * What AWS's verification concludes (spec §5.1–§5.3), first failure wins: registered with an RIR; the message's
 * fields; a certificate in the range's RDAP record; the signature; ROAs making AS16509 and AS14618 RPKI-Valid for the
 * range (maxLength ≥ its prefix length; not needed for non-advertised IPv6); a clean reputation.
 */
export const provisioningOutcome = (f: ProvisionFacts): ProvisionOutcome => {
  const failed = (statusMessage: string): ProvisionOutcome => ({ state: "failed-provision", statusMessage });
  const range = formatCidr(f.network);
  const reg = f.registration;
  if (!reg) return failed(`The address range ${range} is not registered with a Regional Internet Registry (no RDAP record found).`);
  if (f.context) {
    const problem = authorizationMessageProblem(f.context.Message, { account: f.account, cidr: f.cidr, today: ymd(f.now) });
    if (problem) return failed(problem);
    if (!reg.certificate) {
      const place = CERTIFICATE_PLACE[reg.rir];
      return failed(
        `No X.509 certificate is published in the RDAP record of ${reg.cidr} (${reg.rir}: add it to the range's ${place.field}).`,
      );
    }
    const verdict = f.verify(standardPem(reg.certificate), f.context.Message, untransliterate(f.context.Signature));
    if (verdict === "unreadable-certificate")
      return failed(
        `The certificate published in the RDAP record of ${reg.cidr} is not a readable X.509 certificate with an RSA public key.`,
      );
    if (verdict === "invalid") {
      return failed(
        `The signature of the authorization message does not verify with the certificate published in the RDAP record of ${reg.cidr} (RSASSA-PSS, SHA-256, salt length 32).`,
      );
    }
  }
  if (f.advertisable) {
    for (const asn of AMAZON_ASNS) {
      const problem = roaProblem(f.network, asn, f.roas);
      if (problem) return failed(problem);
    }
  }
  const listing = reg.listings.find((l) => overlaps(parseCidr(l.prefix)!, f.network));
  if (listing)
    return failed(`The address range ${range} does not have a clean reputation: ${listing.prefix} is listed (${listing.reason}).`);
  return { state: f.advertisable ? "provisioned" : "provisioned-not-publicly-advertisable" };
};

/** Why an announcement of `network` by `asn` would not be RPKI-Valid, or undefined when it is. */
export const roaProblem = (network: Cidr, asn: number, roas: readonly Roa[]): string | undefined => {
  const range = formatCidr(network);
  if (rpkiValidity(range, asn, roas) === "Valid") return undefined;
  const forAsn = roas.filter((r) => r.asn === asn && containsCidr(parseCidr(r.prefix)!, network));
  if (forAsn.length === 0) return `No ROA authorizes AS${asn} to originate ${range}.`;
  const longest = Math.max(...forAsn.map((r) => r.maxLength));
  return `The ROA for AS${asn} covering ${range} has maxLength /${longest}, shorter than the prefix length /${network.prefix}; maxLength must be /${network.prefix}.`;
};

// --- state machine ------------------------------------------------------------------------------------------------

/** A CIDR whose provisioning delay has passed shows its verification outcome. */
export const settleByoip = (r: ByoipCidrRecord, now: Date): ByoipCidrRecord => {
  if (r.state !== "pending-provision" || !r.outcome || (r.settlesAt !== undefined && Date.parse(r.settlesAt) > now.getTime())) return r;
  return { ...r, state: r.outcome.state, statusMessage: r.outcome.statusMessage, outcome: undefined, settlesAt: undefined };
};

/**
 * Advertise/Withdraw/Deprovision name the exact provisioned range ("You must advertise the exact address range that
 * you provisioned. You can't advertise only a portion" [DOC]); the CIDR is compared as a network.
 */
export const findExact = (records: readonly ByoipCidrRecord[], cidr: string): ByoipCidrRecord => {
  const c = parseCidr(cidr);
  if (!c) throw err.invalidByoipCidr(cidr);
  const wanted = formatCidr(c);
  const live = records.filter((r) => r.state !== "deprovisioned");
  const exact = live.find((r) => r.network === wanted) ?? records.find((r) => r.network === wanted);
  if (exact) return exact;
  const portionOf = live.find((r) => containsCidr(parseCidr(r.network)!, c));
  if (portionOf) throw err.byoipNotExact(cidr, portionOf.cidr);
  throw err.byoipCidrNotFound(cidr);
};

export const advertised = (r: ByoipCidrRecord): ByoipCidrRecord => {
  if (r.state === "provisioned-not-publicly-advertisable") throw err.byoipNotAdvertisable(r.cidr);
  if (r.state !== "provisioned") throw err.byoipIncorrectState(r.cidr, r.state, "advertised");
  return { ...r, state: "advertised" };
};

export const withdrawn = (r: ByoipCidrRecord): ByoipCidrRecord => {
  if (r.state !== "advertised") throw err.byoipIncorrectState(r.cidr, r.state, "withdrawn");
  return { ...r, state: "provisioned" };
};

/** Deprovisioning (spec §5.5): not while advertised, nor while pool addresses are allocated or IPv6 CIDRs associated. */
export const deprovisioned = (r: ByoipCidrRecord, use: { allocatedAddresses: number; associatedIpv6Cidrs: number }): ByoipCidrRecord => {
  const allowed: readonly ByoipState[] = ["provisioned", "provisioned-not-publicly-advertisable", "failed-provision"];
  if (!allowed.includes(r.state)) throw err.byoipIncorrectState(r.cidr, r.state, "deprovisioned");
  if (use.allocatedAddresses > 0) throw err.byoipAddressesAllocated(r.cidr, use.allocatedAddresses);
  if (use.associatedIpv6Cidrs > 0) throw err.byoipIpv6Associated(r.cidr, use.associatedIpv6Cidrs);
  return { ...r, state: "deprovisioned", statusMessage: undefined };
};

/** Advertise and Withdraw each run at most once every 10 seconds per account [DOC ec2-byoip]. */
export const BYOIP_RATE_MS = 10_000;
export const checkRate = (last: string | undefined, now: Date): void => {
  if (last !== undefined && now.getTime() - Date.parse(last) < BYOIP_RATE_MS) throw err.requestLimitExceeded();
};

// --- pools --------------------------------------------------------------------------------------------------------

/** The address range of an IPv4 pool: every address of the CIDR, none reserved (spec §5.6: a /24 shows 256). */
export const poolRange = (network: string): { first: string; last: string; count: number } => {
  const c = parseCidr(network)!;
  return { first: formatAddress(c.version, c.network), last: formatAddress(c.version, lastAddress(c)), count: Number(cidrSize(c)) };
};

/** Whether `address` lies in the pool's range. */
export const inPool = (network: string, address: { version: 4 | 6; value: bigint }): boolean => {
  const c = parseCidr(network)!;
  return c.version === address.version && address.value >= c.network && address.value <= lastAddress(c);
};
