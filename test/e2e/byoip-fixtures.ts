/**
 * BYOIP test fixtures: a key pair and self-signed certificate made with the AWS docs' openssl commands, signing an
 * authorization message the way the docs do (RSASSA-PSS SHA-256, salt 32, AWS's base64 transliteration), and the
 * simulated world's admin calls (register, publish the certificate, ROAs, reputation).
 */
import { execFileSync } from "node:child_process";
import { constants, sign } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Pki {
  readonly dir: string;
  readonly keyPem: string;
  /** The certificate on one line, as `openssl req … | tr -d "\n"` writes it. */
  readonly certificate: string;
}

/** `openssl genpkey` (unencrypted here) + `openssl req -new -x509 … | tr -d "\n"`. */
export const makePki = (subject = "/C=US/O=Example Corp/CN=example.com"): Pki => {
  const dir = mkdtempSync(join(tmpdir(), "localvpc-byoip-"));
  const key = join(dir, "private-key.pem");
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key], { stdio: "ignore" });
  const cert = execFileSync("openssl", ["req", "-new", "-x509", "-key", key, "-days", "365", "-subj", subject], { encoding: "utf8" });
  return { dir, keyPem: readFileSync(key, "utf8"), certificate: cert.replace(/\n/g, "") };
};

/** The docs' `openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1 … | openssl base64 | tr -- '+=/' '-_~'`. */
export const signMessage = (keyPem: string, message: string): string =>
  sign("sha256", Buffer.from(message), { key: keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    .toString("base64")
    .replace(/\+/g, "-")
    .replace(/=/g, "_")
    .replace(/\//g, "~");

export const message = (account: string, cidr: string, expiry = "20991231"): string => `1|aws|${account}|${cidr}|${expiry}|SHA256|RSAPSS`;

/** POST /_localvpc/<path> with a JSON body; throws on an error answer. */
export const admin = async (url: string, path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const res = await fetch(`${url}/_localvpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
};

export interface WorldSetup {
  readonly rir?: string;
  /** The registered range (default: the CIDR itself). */
  readonly registered?: string;
  readonly publishCertificate?: boolean;
  /** ROA ASNs (default Amazon's two); [] for none. */
  readonly roaAsns?: readonly number[];
  readonly roaPrefix?: string;
  readonly maxLength?: number;
  readonly listed?: string;
}

/** Registers the range, publishes the certificate, creates the ROAs, optionally lists it. */
export const prepareWorld = async (url: string, pki: Pki, cidr: string, o: WorldSetup = {}): Promise<void> => {
  const registered = o.registered ?? cidr;
  await admin(url, "rir/register", { cidr: registered, rir: o.rir ?? "ARIN", org: "Example Corp" });
  if (o.publishCertificate ?? true) await admin(url, "rir/publish-cert", { cidr: registered, certificate: pki.certificate });
  const asns = o.roaAsns ?? [16509, 14618];
  const roaPrefix = o.roaPrefix ?? cidr;
  if (asns.length > 0) await admin(url, "rir/roa", { cidr: roaPrefix, asns, maxLength: o.maxLength ?? Number(cidr.split("/")[1]) });
  if (o.listed) await admin(url, "rir/reputation", { cidr, listed: o.listed });
};

export const advanceClock = async (url: string, ms: number): Promise<void> => {
  await admin(url, "clock/advance", { ms });
};
