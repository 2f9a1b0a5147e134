/**
 * Key pair material with node:crypto (issue 15): real RSA 2048 and ED25519 keys for CreateKeyPair, public keys read
 * from ImportKeyPair's material, and AWS's fingerprints (recipes in domain/key-pairs.ts).
 */
import { createHash, createPublicKey, generateKeyPairSync, randomInt, type KeyObject } from "node:crypto";
import { err } from "../../domain/errors.js";
import {
  encodeFingerprint,
  fingerprintRecipe,
  keyFromSshBlob,
  openSshEd25519PrivateKey,
  publicKeyLine,
  readPublicKeyMaterial,
  rsaSpkiDer,
  sshEd25519Blob,
  sshRsaBlob,
  type KeyType,
} from "../../domain/key-pairs.js";

export interface KeyMaterial {
  readonly keyType: KeyType;
  readonly fingerprint: string;
  /** OpenSSH one-line public key. */
  readonly publicKey: string;
}

const digest = (algorithm: string, bytes: Uint8Array): Uint8Array => createHash(algorithm).update(bytes).digest();

const jwkBytes = (value: unknown): Uint8Array => Buffer.from(String(value), "base64url");

/** The SSH blob (and RSA numbers) of a node:crypto public key; only RSA and ED25519 are EC2 key types. */
const sshOf = (key: KeyObject): { type: KeyType; blob: Uint8Array; rsa?: { e: Uint8Array; n: Uint8Array } } => {
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "rsa") {
    const rsa = { e: jwkBytes(jwk.e), n: jwkBytes(jwk.n) };
    return { type: "rsa", blob: sshRsaBlob(rsa.e, rsa.n), rsa };
  }
  if (key.asymmetricKeyType === "ed25519") return { type: "ed25519", blob: sshEd25519Blob(jwkBytes(jwk.x)) };
  throw err.invalidKeyFormat();
};

/** CreateKeyPair: a new key, its private material as AWS hands it out, and the created-key fingerprint. */
export const generateKeyMaterial = (type: KeyType, keyName: string): KeyMaterial & { readonly privateKey: string } => {
  if (type === "rsa") {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
    const ssh = sshOf(publicKey);
    const r = fingerprintRecipe("created", "rsa");
    return {
      keyType: "rsa",
      // "an unencrypted PEM encoded PKCS#1 private key" [DOC CreateKeyPair]
      privateKey: privateKey.export({ type: "pkcs1", format: "pem" }),
      fingerprint: encodeFingerprint(digest(r.algorithm, privateKey.export({ type: "pkcs8", format: "der" })), r.encoding),
      publicKey: publicKeyLine("rsa", ssh.blob),
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const x = jwkBytes(publicKey.export({ format: "jwk" }).x);
  const seed = jwkBytes(privateKey.export({ format: "jwk" }).d);
  const blob = sshEd25519Blob(x);
  const r = fingerprintRecipe("created", "ed25519");
  return {
    keyType: "ed25519",
    privateKey: openSshEd25519PrivateKey(seed, x, randomInt(0, 2 ** 32 - 1), keyName),
    fingerprint: encodeFingerprint(digest(r.algorithm, blob), r.encoding),
    publicKey: publicKeyLine("ed25519", blob),
  };
};

/** ImportKeyPair: the public key in any format EC2 takes, with the imported-key fingerprint; else InvalidKey.Format. */
export const importKeyMaterial = (raw: Uint8Array): KeyMaterial => {
  const m = readPublicKeyMaterial(raw);
  let ssh: { type: KeyType; blob: Uint8Array; rsa?: { e: Uint8Array; n: Uint8Array } | undefined };
  if (m.format === "ssh") ssh = m;
  else {
    let key: KeyObject;
    try {
      if (m.format === "pem") key = createPublicKey(m.text);
      else {
        const der = Buffer.from(m.bytes);
        try {
          key = createPublicKey({ key: der, format: "der", type: "spki" });
        } catch {
          key = createPublicKey({ key: der, format: "der", type: "pkcs1" });
        }
      }
    } catch {
      throw err.invalidKeyFormat();
    }
    // Same size rules as an SSH key: read it back through the SSH path.
    ssh = keyFromSshBlob(sshOf(key).blob);
  }
  const r = fingerprintRecipe("imported", ssh.type);
  const hashed = r.over === "spki-der" && ssh.rsa ? rsaSpkiDer(ssh.rsa.n, ssh.rsa.e) : ssh.blob;
  return {
    keyType: ssh.type,
    fingerprint: encodeFingerprint(digest(r.algorithm, hashed), r.encoding),
    publicKey: publicKeyLine(ssh.type, ssh.blob),
  };
};
