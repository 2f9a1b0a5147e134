/**
 * The BYOIP scenarios' key pair and self-signed X.509 certificate, made with node:crypto (which can read but not
 * write certificates, so the few DER structures of an RFC 5280 v3 certificate are encoded here), and the
 * authorization message signed the way the AWS docs' openssl commands do: RSASSA-PSS, SHA-256, salt 32, base64
 * transliterated `+=/` → `-_~`.
 */
import { constants, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

const len = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const oid = (bytes: readonly number[]): Buffer => tlv(0x06, Buffer.from(bytes));
const int = (bytes: Buffer): Buffer => tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const utcTime = (d: Date): Buffer => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, "")}Z`, "ascii"));

/** sha256WithRSAEncryption (1.2.840.113549.1.1.11) with NULL parameters. */
const SHA256_WITH_RSA = seq(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), Buffer.from([0x05, 0x00]));
/** id-at-organizationName (2.5.4.10). */
const ORGANIZATION = [0x55, 0x04, 0x0a];

export interface ScenarioPki {
  readonly privateKey: KeyObject;
  /** The certificate on one line, as `openssl req -new -x509 … | tr -d "\n"` writes it. */
  readonly certificate: string;
}

/** A 2048-bit RSA key pair and a self-signed certificate for `/O=org`, valid from `now` for a year. */
export const makeScenarioPki = (org: string, now: Date): ScenarioPki => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const name = seq(set(seq(oid(ORGANIZATION), tlv(0x0c, Buffer.from(org, "utf8")))));
  const hex = now.getTime().toString(16);
  const serial = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(serial),
    SHA256_WITH_RSA,
    name,
    seq(utcTime(now), utcTime(new Date(now.getTime() + 365 * 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return { privateKey, certificate: `-----BEGIN CERTIFICATE-----${der.toString("base64")}-----END CERTIFICATE-----` };
};

/** The docs' `openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1 … | openssl base64 | tr -- '+=/' '-_~'`. */
export const signAuthorization = (privateKey: KeyObject, message: string): string =>
  sign("sha256", Buffer.from(message, "utf8"), { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    .toString("base64")
    .replace(/\+/g, "-")
    .replace(/=/g, "_")
    .replace(/\//g, "~");

/** `1|aws|ACCOUNT|CIDR|YYYYMMDD|SHA256|RSAPSS` with the expiry date `expires`. */
export const authorizationMessage = (account: string, cidr: string, expires: Date): string =>
  `1|aws|${account}|${cidr}|${expires.toISOString().slice(0, 10).replace(/-/g, "")}|SHA256|RSAPSS`;
