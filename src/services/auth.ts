/**
 * `localvpc serve --auth strict`: every AWS request's Signature Version 4 is verified, as AWS does, before any service
 * sees it. (`--auth any`, the default, verifies nothing: any key works, see protocol/auth.ts.)
 *
 * Known keys are the credentials file's profiles (infra/credentials-file.ts; the account is the profile's
 * aws_account_id) and the temporary credentials STS AssumeRole issued (store/sts-store.ts, verified with their stored
 * secret; services/sts/identity.ts then checks their session token and expiry).
 *
 * Both forms are checked: the `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header, and
 * a presigned query string (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
 * X-Amz-Signature). The canonical request is rebuilt from what arrived: the method, the URL path as sent (normalised and
 * encoded again, as every service but S3 signs it), the raw query string, only the signed headers (Node lowercases the
 * names; values are folded as SigV4 says) and the payload hash (x-amz-content-sha256 when sent, and then it must be the
 * body's, else the SHA-256 of the body). @smithy/signature-v4 (the SDK's own signer) builds that canonical request;
 * the signing key and HMAC are node:crypto's, so verification stays synchronous, and the signatures are compared in
 * constant time. The request's date must be within 15 minutes of real time (Date.now(), not the simulated clock), and a
 * presigned URL must not be past X-Amz-Expires.
 *
 * Failures answer each service's own codes and messages, in its own shape (the dispatcher renders them through the
 * service's binding): see `AUTH_FAMILIES`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { getCanonicalHeaders, SignatureV4 } from "@smithy/signature-v4";
import { err, type Ec2Error } from "../domain/errors.js";
import type { StsStore } from "../store/sts-store.js";
import type { WireRequest } from "./common/pipeline.js";

/** A key localvpc knows under `--auth strict` (a profile of the credentials file). */
export interface KnownKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The 12-digit account whose caller this key is. */
  readonly accountId: string;
  readonly profile?: string | undefined;
}

/** What verification decided: the caller's account for a credentials-file key (none for STS keys), or the error. */
export type Verification = { readonly account?: string } | { readonly error: Ec2Error };

/** Checks a request's signature before the dispatcher resolves its identity. */
export interface RequestVerifier {
  verify(req: WireRequest, service: string): Verification;
}

/** How one family of services answers authentication failures. */
interface AuthFamily {
  /** JSON protocol services answer the `…Exception` codes. */
  readonly json: boolean;
  unknownKey(): Ec2Error;
  /** The request's date is more than the window away from now: `late` when it is too old, else in the future. */
  outsideWindow(signed: string, nowMs: number, late: boolean): Ec2Error;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const WINDOW_MINUTES = 15;
const WINDOW_MS = WINDOW_MINUTES * 60_000;
/** The longest X-Amz-Expires SigV4 allows (seven days). */
const MAX_EXPIRES_S = 604_800;

/** 20240101T000000Z */
const basicIso = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** Query services (STS, and the default for any other service): SignatureDoesNotMatch "Signature expired: …". */
const QUERY: AuthFamily = {
  json: false,
  unknownKey: () => err.invalidClientTokenId(),
  outsideWindow: (signed, now, late) =>
    late
      ? err.authSignatureExpired(false, signed, basicIso(now - WINDOW_MS), basicIso(now), WINDOW_MINUTES)
      : err.authSignatureNotYetCurrent(false, signed, basicIso(now + WINDOW_MS), basicIso(now), WINDOW_MINUTES),
};

/**
 * Per service (the SigV4 signing name): EC2 answers AuthFailure for an unknown key and RequestExpired for a date out
 * of the window; CloudWatch Logs (JSON 1.1) UnrecognizedClientException and InvalidSignatureException; everything else
 * as STS (InvalidClientTokenId, SignatureDoesNotMatch).
 */
export const AUTH_FAMILIES: Readonly<Record<string, AuthFamily>> = {
  ec2: { json: false, unknownKey: () => err.ec2AuthFailure(), outsideWindow: () => err.ec2RequestExpired() },
  logs: {
    json: true,
    unknownKey: () => err.authUnrecognizedClient(),
    outsideWindow: (signed, now, late) =>
      late
        ? err.authSignatureExpired(true, signed, basicIso(now - WINDOW_MS), basicIso(now), WINDOW_MINUTES)
        : err.authSignatureNotYetCurrent(true, signed, basicIso(now + WINDOW_MS), basicIso(now), WINDOW_MINUTES),
  },
};

const familyOf = (service: string): AuthFamily => AUTH_FAMILIES[service] ?? QUERY;

type SmithyRequest = Parameters<SignatureV4["presign"]>[0];
const EMPTY_REQUEST: SmithyRequest = { method: "GET", protocol: "http:", hostname: "", path: "/", query: {}, headers: {} };

/** node:crypto SHA-256 / HMAC-SHA-256 in smithy's Hash shape (the signer requires one; only the canonical request is used). */
class NodeSha256 {
  readonly #h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#h.digest()));
  }
}

const bytes = (d: string | ArrayBuffer | ArrayBufferView): Buffer =>
  typeof d === "string"
    ? Buffer.from(d, "utf8")
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(new Uint8Array(d));

/** The SDK's own canonical request (smithy's path normalisation and double encoding, query and header rules). */
class CanonicalRequests extends SignatureV4 {
  constructor() {
    super({
      service: "unused",
      region: "unused",
      credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
      sha256: NodeSha256,
      applyChecksum: false,
      uriEscapePath: true,
    });
  }
  of(request: SmithyRequest, headers: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

const CANONICAL = new CanonicalRequests();

const sha256Hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

const header = (req: WireRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : undefined;
};

/** `%XX` decoded (a malformed escape is kept as sent); `+` stays `+`, as SigV4 clients encode a space `%20`. */
const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The raw query string as smithy's query bag (repeated keys become arrays). */
const queryOf = (url: URL): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const raw = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decode(part.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
};

/** 20240101T000000Z → epoch ms, or undefined. */
const parseBasicIso = (v: string): number | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return basicIso(ms) === v ? ms : undefined;
};

/** What a request's signature says, before any key is looked up. */
interface Signed {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The timestamp signed (X-Amz-Date's text, or the Date header's in the basic format). */
  readonly longDate: string;
  readonly dateMs: number;
  /** Presigned: X-Amz-Expires in seconds. */
  readonly expiresS?: number;
}

const PRESIGN_PARAMS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"];

export interface VerifierOptions {
  /** The credentials file's keys. */
  readonly keys: readonly KnownKey[];
  /** Temporary credentials AssumeRole issued. */
  readonly sts: StsStore;
  /** Real time in ms (default Date.now): signatures are checked against the real clock, not the simulated one. */
  readonly nowMs?: () => number;
  /** Told when a signature does not match (the server logs it at debug level: the canonical request localvpc built). */
  readonly onMismatch?: (info: { accessKeyId: string; canonicalRequest: string; stringToSign: string }) => void;
}

/** The keys by id; throws an Error naming the key or profile when one is unusable or listed twice. */
export const checkKeys = (list: readonly KnownKey[]): ReadonlyMap<string, KnownKey> => {
  const keys = new Map<string, KnownKey>();
  for (const k of list) {
    const name = k.profile === undefined ? `key ${k.accessKeyId}` : `profile [${k.profile}]`;
    if (!k.accessKeyId || /\s/.test(k.accessKeyId)) throw new Error(`${name}: the access key id must be a non-empty word`);
    if (!k.secretAccessKey) throw new Error(`${name}: the secret access key is empty`);
    if (!/^\d{12}$/.test(k.accountId)) throw new Error(`${name}: the account id must be 12 digits, not '${k.accountId}'`);
    if (keys.has(k.accessKeyId)) throw new Error(`${name}: the access key id ${k.accessKeyId} is listed twice`);
    keys.set(k.accessKeyId, k);
  }
  return keys;
};

export class SigV4Verifier implements RequestVerifier {
  readonly #keys: ReadonlyMap<string, KnownKey>;
  readonly #o: VerifierOptions;

  constructor(o: VerifierOptions) {
    this.#keys = checkKeys(o.keys);
    this.#o = o;
  }

  verify(req: WireRequest, service: string): Verification {
    const family = familyOf(service);
    const parsed = this.#parse(req, family);
    if ("error" in parsed) return parsed;
    const s = parsed.signed;
    const now = (this.#o.nowMs ?? Date.now)();
    if (s.dateMs > now + WINDOW_MS) return { error: family.outsideWindow(s.longDate, now, false) };
    if (s.expiresS === undefined ? s.dateMs < now - WINDOW_MS : now > s.dateMs + s.expiresS * 1000) {
      return { error: s.expiresS === undefined ? family.outsideWindow(s.longDate, now, true) : err.authPresignedExpired() };
    }
    const known = this.#keys.get(s.accessKeyId);
    const secret = known?.secretAccessKey ?? this.#o.sts.get(s.accessKeyId)?.secretAccessKey;
    if (secret === undefined) return { error: family.unknownKey() };
    if (s.scopeDate !== s.longDate.slice(0, 8)) return { error: err.authScopeDateMismatch(family.json, s.scopeDate, s.longDate) };

    const actual = sha256Hex(req.body);
    const declared = header(req, "x-amz-content-sha256");
    // The body must be the one whose hash was signed (otherwise a signed header would vouch for any body).
    if (declared !== undefined && /^[0-9a-fA-F]{64}$/.test(declared) && declared.toLowerCase() !== actual) {
      return { error: err.authSignatureMismatch(family.json) };
    }
    // A presigned URL may sign UNSIGNED-PAYLOAD (as S3's presigners do) instead of the (empty) body's hash.
    const hashes = declared !== undefined ? [declared] : s.expiresS !== undefined ? [actual, "UNSIGNED-PAYLOAD"] : [actual];
    const headers: Record<string, string> = {};
    for (const name of s.signedHeaders) headers[name] = header(req, name) ?? "";
    const canonicalHeaders = getCanonicalHeaders({ ...EMPTY_REQUEST, headers }, undefined, new Set(s.signedHeaders));
    const request: SmithyRequest = {
      ...EMPTY_REQUEST,
      method: req.method,
      path: req.url.pathname,
      query: queryOf(req.url),
      headers: canonicalHeaders,
    };
    const scope = `${s.scopeDate}/${s.region}/${s.service}/aws4_request`;
    const key = [s.scopeDate, s.region, s.service, "aws4_request"].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secret}`);
    let first: { canonicalRequest: string; stringToSign: string } | undefined;
    for (const payloadHash of hashes) {
      const canonicalRequest = CANONICAL.of(request, canonicalHeaders, payloadHash);
      const stringToSign = `${ALGORITHM}\n${s.longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
      const expected = Buffer.from(hmac(key, stringToSign).toString("hex"), "utf8");
      const provided = Buffer.from(s.signature, "utf8");
      if (provided.length === expected.length && timingSafeEqual(provided, expected)) return known ? { account: known.accountId } : {};
      first ??= { canonicalRequest, stringToSign };
    }
    if (first) {
      // The session token is a credential: kept out of the log.
      const canonicalRequest = first.canonicalRequest
        .replace(/^(x-amz-security-token:).*$/m, "$1<redacted>")
        .replace(/(X-Amz-Security-Token=)[^&\n]*/, "$1<redacted>");
      this.#o.onMismatch?.({ accessKeyId: s.accessKeyId, canonicalRequest, stringToSign: first.stringToSign });
    }
    return { error: err.authSignatureMismatch(family.json) };
  }

  /** The signature's parts from the Authorization header, else from a presigned query string. */
  #parse(req: WireRequest, family: AuthFamily): { readonly signed: Signed } | { readonly error: Ec2Error } {
    const json = family.json;
    const authorization = header(req, "authorization");
    const q = req.url.searchParams;
    if (authorization === undefined) {
      const missing = PRESIGN_PARAMS.filter((p) => !q.has(p));
      if (missing.length === PRESIGN_PARAMS.length) return { error: err.authMissingToken(json) };
      if (missing.length > 0) return { error: err.authQueryIncomplete(json, missing) };
      const algorithm = q.get("X-Amz-Algorithm")!;
      if (algorithm !== ALGORITHM) return { error: err.authQueryIncomplete(json, ["X-Amz-Algorithm=AWS4-HMAC-SHA256"]) };
      const expires = q.get("X-Amz-Expires")!;
      const expiresS = /^\d{1,7}$/.test(expires) ? Number(expires) : NaN;
      if (!(expiresS >= 1 && expiresS <= MAX_EXPIRES_S)) return { error: err.authExpiresMalformed(json, expires) };
      return this.#fields(
        json,
        q.get("X-Amz-Credential")!,
        q.get("X-Amz-SignedHeaders")!,
        q.get("X-Amz-Signature")!,
        q.get("X-Amz-Date")!,
        expiresS,
      );
    }
    const value = authorization.trim();
    const amzDate = header(req, "x-amz-date");
    const httpDate = header(req, "date");
    const hasDate = amzDate !== undefined || httpDate !== undefined;
    const fields = new Map<string, string>();
    if (value.startsWith(`${ALGORITHM} `)) {
      for (const raw of value.slice(ALGORITHM.length).split(",")) {
        const pair = raw.trim();
        if (pair === "") continue;
        const eq = pair.indexOf("=");
        if (eq < 0) return { error: err.authPairMalformed(json, pair, value) };
        fields.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    }
    const missing = ["Credential", "Signature", "SignedHeaders"].filter((f) => !fields.get(f));
    if (!hasDate) missing.push("Date");
    if (missing.length > 0) return { error: err.authHeaderIncomplete(json, missing, value) };
    let date = amzDate;
    if (date === undefined) {
      // Signed with the Date header (RFC 7231) instead of X-Amz-Date: the string to sign carries it in the basic form.
      const ms = Date.parse(httpDate!);
      if (Number.isNaN(ms)) return { error: err.authDateMalformed(json, httpDate!) };
      date = basicIso(ms);
    }
    return this.#fields(json, fields.get("Credential")!, fields.get("SignedHeaders")!, fields.get("Signature")!, date, undefined);
  }

  #fields(
    json: boolean,
    credential: string,
    signedHeaders: string,
    signature: string,
    date: string,
    expiresS: number | undefined,
  ): { readonly signed: Signed } | { readonly error: Ec2Error } {
    const parts = credential.split("/");
    const [accessKeyId, scopeDate, region, service, terminator] = parts;
    if (parts.length !== 5 || !accessKeyId || !/^\d{8}$/.test(scopeDate ?? "") || !region || !service || terminator !== "aws4_request") {
      return { error: err.authCredentialMalformed(json, credential) };
    }
    const dateMs = parseBasicIso(date);
    if (dateMs === undefined) return { error: err.authDateMalformed(json, date) };
    const names = signedHeaders.split(";").map((h) => h.trim().toLowerCase());
    if (!names.includes("host")) return { error: err.authHostNotSigned(json) };
    return {
      signed: {
        accessKeyId,
        scopeDate: scopeDate!,
        region,
        service,
        signedHeaders: names.filter((h) => h !== ""),
        signature,
        longDate: date,
        dateMs,
        ...(expiresS === undefined ? {} : { expiresS }),
      },
    };
  }
}
