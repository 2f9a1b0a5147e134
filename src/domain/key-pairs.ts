/**
 * Key pairs (CreateKeyPair, ImportKeyPair, DescribeKeyPairs): the byte formats and AWS's fingerprint rules, as pure
 * functions over bytes. Hashing and key generation need node:crypto and live in services/ec2/key-material.ts, which
 * applies the recipes chosen here.
 *
 * Fingerprints [DOC EC2 User Guide "Verify the fingerprint of your key pair"; KeyPairInfo.KeyFingerprint in the API]:
 * | key pair                | RSA                                            | ED25519                                  |
 * | created by EC2          | SHA-1 of the DER PKCS#8 private key, hex pairs | SHA-256 of the public key, base64        |
 * | imported (ImportKeyPair)| MD5 of the DER public key (SPKI), hex pairs    | SHA-256 of the public key, base64        |
 * `openssl pkcs8 -in key.pem -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c` and
 * `openssl rsa -in key -pubout -outform DER | openssl md5 -c` reproduce the RSA ones; `ssh-keygen -lf key.pub` the
 * ED25519 one ("EC2 may add padding with = characters", so AWS's carries the `=` that ssh-keygen drops, and no
 * `SHA256:` prefix).
 */
import { err } from "./errors.js";

export type KeyType = "rsa" | "ed25519";
export type KeyOrigin = "created" | "imported";

export interface FingerprintRecipe {
  readonly algorithm: "sha1" | "md5" | "sha256";
  /** What is hashed: the DER PKCS#8 private key, the DER SubjectPublicKeyInfo, or the SSH wire-format public key. */
  readonly over: "pkcs8-der" | "spki-der" | "ssh-blob";
  readonly encoding: "hex-colon" | "base64";
}

export const fingerprintRecipe = (origin: KeyOrigin, type: KeyType): FingerprintRecipe => {
  if (type === "ed25519") return { algorithm: "sha256", over: "ssh-blob", encoding: "base64" };
  return origin === "created"
    ? { algorithm: "sha1", over: "pkcs8-der", encoding: "hex-colon" }
    : { algorithm: "md5", over: "spki-der", encoding: "hex-colon" };
};

const hex = (b: number): string => b.toString(16).padStart(2, "0");
export const encodeFingerprint = (digest: Uint8Array, encoding: FingerprintRecipe["encoding"]): string =>
  encoding === "hex-colon" ? Array.from(digest, hex).join(":") : toBase64(digest);

// --- base64 (pure, strict) ----------------------------------------------------------------------------------------
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export const toBase64 = (bytes: Uint8Array): string => {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : "=";
  }
  return out;
};

/** Strict base64 (standard alphabet, optional padding); undefined when `text` is not base64. */
export const fromBase64 = (text: string): Uint8Array | undefined => {
  const s = text.replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(s) || s.length % 4 === 1 || text.length - s.length > 2) return undefined;
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    acc = (acc << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
};

// --- SSH wire format (RFC 4251 §5) ---------------------------------------------------------------------------------
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const sshString = (bytes: Uint8Array | readonly number[]): number[] => [...u32(bytes.length), ...bytes];
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
/** A positive big-endian integer without leading zeros, with one 0x00 when its top bit is set (mpint / DER INTEGER). */
const positiveInteger = (bytes: Uint8Array): number[] => {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = Array.from(bytes.subarray(i));
  return (body[0] ?? 0) & 0x80 ? [0, ...body] : body;
};

/** The length-prefixed strings of an SSH wire-format blob; undefined when the blob does not split exactly. */
export const sshFields = (blob: Uint8Array): Uint8Array[] | undefined => {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const n = ((blob[at]! << 24) | (blob[at + 1]! << 16) | (blob[at + 2]! << 8) | blob[at + 3]!) >>> 0;
    at += 4;
    if (at + n > blob.length) return undefined;
    out.push(blob.subarray(at, at + n));
    at += n;
  }
  return out;
};

export const sshRsaBlob = (e: Uint8Array, n: Uint8Array): Uint8Array =>
  Uint8Array.from([...sshString(ascii("ssh-rsa")), ...sshString(positiveInteger(e)), ...sshString(positiveInteger(n))]);
export const sshEd25519Blob = (x: Uint8Array): Uint8Array => Uint8Array.from([...sshString(ascii("ssh-ed25519")), ...sshString(x)]);

/** The OpenSSH one-line public key (`ssh-rsa AAAA…`), the form DescribeKeyPairs' PublicKey answers. */
export const publicKeyLine = (type: KeyType, blob: Uint8Array): string => `${type === "rsa" ? "ssh-rsa" : "ssh-ed25519"} ${toBase64(blob)}`;

// --- DER (X.690) for the RSA SubjectPublicKeyInfo the imported fingerprint hashes ------------------------------
const derLength = (n: number): number[] => {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
};
const der = (tag: number, body: readonly number[]): number[] => [tag, ...derLength(body.length), ...body];
const RSA_ENCRYPTION_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/** `openssl rsa -pubout -outform DER` of the key (n, e): SEQUENCE { AlgorithmIdentifier, BIT STRING { RSAPublicKey } }. */
export const rsaSpkiDer = (n: Uint8Array, e: Uint8Array): Uint8Array => {
  const rsaPublicKey = der(0x30, [...der(0x02, positiveInteger(n)), ...der(0x02, positiveInteger(e))]);
  const algorithm = der(0x30, [...RSA_ENCRYPTION_OID, 0x05, 0x00]);
  return Uint8Array.from(der(0x30, [...algorithm, ...der(0x03, [0x00, ...rsaPublicKey])]));
};

// --- ImportKeyPair's material -------------------------------------------------------------------------------------
/** A public key read from ImportKeyPair's material: an SSH key, or PEM / DER text for node:crypto to read. */
export type PublicKeyMaterial =
  | {
      readonly format: "ssh";
      readonly type: KeyType;
      readonly blob: Uint8Array;
      readonly rsa?: { readonly e: Uint8Array; readonly n: Uint8Array };
    }
  | { readonly format: "pem"; readonly text: string }
  | { readonly format: "der"; readonly bytes: Uint8Array };

/** RSA modulus sizes ImportKeyPair accepts [DOC "Supported lengths: 1024, 2048, and 4096"]; 3072 is allowed too. */
export const RSA_IMPORT_BITS = { min: 1024, max: 4096 } as const;

/** Bits of a big-endian modulus (leading zero bytes ignored). */
export const modulusBits = (n: Uint8Array): number => {
  const body = positiveInteger(n);
  const first = body[0] === 0 ? body.slice(1) : body;
  return first.length === 0 ? 0 : (first.length - 1) * 8 + (32 - Math.clz32(first[0]!));
};

/** The key of an SSH wire-format blob (ssh-rsa or ssh-ed25519, the two EC2 takes), or InvalidKey.Format. */
export const keyFromSshBlob = (blob: Uint8Array): PublicKeyMaterial & { format: "ssh" } => {
  const f = sshFields(blob);
  const name = f?.[0] ? String.fromCharCode(...f[0]) : "";
  if (f && name === "ssh-ed25519" && f.length === 2 && f[1]!.length === 32) return { format: "ssh", type: "ed25519", blob };
  if (f && name === "ssh-rsa" && f.length === 3) {
    const rsa = { e: f[1]!, n: f[2]! };
    const bits = modulusBits(rsa.n);
    if (bits < RSA_IMPORT_BITS.min || bits > RSA_IMPORT_BITS.max) throw err.invalidKeyFormat();
    return { format: "ssh", type: "rsa", blob, rsa };
  }
  throw err.invalidKeyFormat();
};

/**
 * ImportKeyPair's formats [DOC ImportKeyPair / EC2 User Guide]: OpenSSH (`ssh-rsa AAAA… comment`, the
 * authorized_keys form), the SSH2 public key file of RFC 4716, and base64-encoded DER. PEM public keys
 * (`-----BEGIN PUBLIC KEY-----`, `-----BEGIN RSA PUBLIC KEY-----`) are passed on too. // unverified: PEM accepted
 */
export const readPublicKeyMaterial = (raw: Uint8Array): PublicKeyMaterial => {
  // A public key is a few hundred bytes; far larger material is not one (and is not copied into a string).
  if (raw.length > 16384) throw err.invalidKeyFormat();
  const text = Array.from(raw, (c) => String.fromCharCode(c))
    .join("")
    .trim();
  if (text.startsWith("-----BEGIN ")) return { format: "pem", text };
  if (text.startsWith("---- BEGIN SSH2 PUBLIC KEY ----")) {
    const lines = text.split(/\r?\n/).slice(1);
    const end = lines.findIndex((l) => l.trim() === "---- END SSH2 PUBLIC KEY ----");
    if (end < 0) throw err.invalidKeyFormat();
    const body: string[] = [];
    let continued = false;
    for (const line of lines.slice(0, end)) {
      // Headers ("Comment: …") may continue on the next line after a trailing backslash (RFC 4716 §3.3).
      if (continued || /^[\x21-\x39\x3b-\x7e]{1,64}:/.test(line)) continued = line.endsWith("\\");
      else body.push(line.trim());
    }
    const blob = fromBase64(body.join(""));
    if (!blob) throw err.invalidKeyFormat();
    return keyFromSshBlob(blob);
  }
  const parts = text.split(/\s+/);
  if (parts.length >= 2 && /^(ssh|ecdsa|sk)-/.test(parts[0]!)) {
    const blob = fromBase64(parts[1]!);
    if (!blob) throw err.invalidKeyFormat();
    const key = keyFromSshBlob(blob);
    if (parts[0] !== (key.type === "rsa" ? "ssh-rsa" : "ssh-ed25519")) throw err.invalidKeyFormat();
    return key;
  }
  // DER: raw (a SEQUENCE) or base64-encoded.
  if (raw[0] === 0x30) return { format: "der", bytes: raw };
  const decoded = fromBase64(text.replace(/\s+/g, ""));
  if (decoded && decoded[0] === 0x30) return { format: "der", bytes: decoded };
  throw err.invalidKeyFormat();
};

/** AWS: "Constraints: Up to 255 ASCII characters". */
export const validateKeyName = (name: string): void => {
  // eslint-disable-next-line no-control-regex -- ASCII, as the constraint says
  if (name.length === 0 || name.length > 255 || !/^[\x00-\x7f]*$/.test(name)) throw err.invalidKeyName(name);
};

// --- CreateKeyPair's ED25519 material: OpenSSH's private key format (PROTOCOL.key) -----------------------------
/**
 * An unencrypted `-----BEGIN OPENSSH PRIVATE KEY-----` for an ED25519 key: what CreateKeyPair answers for
 * KeyType=ed25519 (ssh and ssh-keygen read it; PKCS#8 ED25519 keys they do not). `checkint` is any 32-bit value.
 */
export const openSshEd25519PrivateKey = (seed: Uint8Array, publicKey: Uint8Array, checkint: number, comment: string): string => {
  const blob = sshEd25519Blob(publicKey);
  const section = [
    ...u32(checkint),
    ...u32(checkint),
    ...sshString(ascii("ssh-ed25519")),
    ...sshString(publicKey),
    ...sshString([...seed, ...publicKey]),
    ...sshString(ascii(comment)),
  ];
  for (let pad = 1; section.length % 8 !== 0; pad++) section.push(pad);
  const body = Uint8Array.from([
    ...ascii("openssh-key-v1"),
    0,
    ...sshString(ascii("none")),
    ...sshString(ascii("none")),
    ...sshString([]),
    ...u32(1),
    ...sshString(blob),
    ...sshString(section),
  ]);
  const b64 = toBase64(body);
  const lines = b64.match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
};
