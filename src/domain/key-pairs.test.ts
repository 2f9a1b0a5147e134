/** Table tests for key pair formats and AWS's fingerprint recipes (real digests are checked in test/e2e/key-pairs.test.ts). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { validateAmiName } from "./images.js";
import {
  encodeFingerprint,
  fingerprintRecipe,
  fromBase64,
  modulusBits,
  readPublicKeyMaterial,
  rsaSpkiDer,
  sshEd25519Blob,
  toBase64,
} from "./key-pairs.js";

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
// A real ED25519 public key (AWS-OBS trailofbits/algo#376, refused there only because the API call was wrong).
const ED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe algo@ssh";

describe("fingerprint recipes (EC2 User Guide: verify key pair fingerprints)", () => {
  for (const [origin, type, algorithm, over, encoding] of [
    ["created", "rsa", "sha1", "pkcs8-der", "hex-colon"],
    ["imported", "rsa", "md5", "spki-der", "hex-colon"],
    ["created", "ed25519", "sha256", "ssh-blob", "base64"],
    ["imported", "ed25519", "sha256", "ssh-blob", "base64"],
  ] as const) {
    it(`${origin} ${type}: ${algorithm} of ${over}, ${encoding}`, () => {
      assert.deepEqual(fingerprintRecipe(origin, type), { algorithm, over, encoding });
    });
  }
  it("encodes hex pairs and padded base64", () => {
    assert.equal(encodeFingerprint(Uint8Array.from([0, 0xab, 0x10]), "hex-colon"), "00:ab:10");
    assert.equal(encodeFingerprint(Uint8Array.from([1, 2, 3, 4]), "base64"), "AQIDBA==");
  });
});

describe("base64", () => {
  for (const s of ["", "f", "fo", "foo", "foob", "fooba", "foobar"]) {
    it(`round-trips ${JSON.stringify(s)}`, () => {
      const b64 = toBase64(enc(s));
      assert.equal(b64, Buffer.from(s).toString("base64"));
      assert.deepEqual(fromBase64(b64), enc(s));
    });
  }
  it("refuses what is not base64", () => {
    for (const bad of ["a", "ab$c", "abc==="]) assert.equal(fromBase64(bad), undefined);
  });
});

describe("ImportKeyPair material", () => {
  it("reads an OpenSSH ED25519 line", () => {
    const k = readPublicKeyMaterial(enc(ED));
    assert.equal(k.format, "ssh");
    assert.deepEqual([k.format, "type" in k ? k.type : undefined], ["ssh", "ed25519"]);
  });
  const invalid: [string, string][] = [
    ["ecdsa", "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= x"],
    ["type and blob disagree", ED.replace("ssh-ed25519", "ssh-rsa")],
    ["truncated blob", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzv"],
    ["text", "hello world"],
    ["unterminated RFC 4716", "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA"],
  ];
  for (const [what, text] of invalid) {
    it(`refuses ${what} with InvalidKey.Format`, () => {
      assert.throws(
        () => readPublicKeyMaterial(enc(text)),
        (e: unknown) => e instanceof Ec2Error && e.code === "InvalidKey.Format",
      );
    });
  }
  it("passes PEM and DER on", () => {
    assert.equal(readPublicKeyMaterial(enc("-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----")).format, "pem");
    assert.equal(readPublicKeyMaterial(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01])).format, "der");
  });
});

describe("byte forms", () => {
  it("ED25519 SSH blob: string 'ssh-ed25519', string key", () => {
    const blob = sshEd25519Blob(new Uint8Array(32));
    assert.equal(blob.length, 4 + 11 + 4 + 32);
    assert.equal(toBase64(blob).slice(0, 24), "AAAAC3NzaC1lZDI1NTE5AAAA");
  });
  it("RSA SPKI DER: rsaEncryption OID, NULL, BIT STRING of SEQUENCE { n, e }; INTEGERs stay positive", () => {
    const der = rsaSpkiDer(Uint8Array.from([0x80]), Uint8Array.from([1, 0, 1]));
    const hex = Array.from(der, (b) => b.toString(16).padStart(2, "0")).join("");
    // SEQUENCE { SEQUENCE { OID, NULL }, BIT STRING { 00, SEQUENCE { INTEGER 00 80, INTEGER 01 00 01 } } }
    assert.equal(hex, "301d" + "300d06092a864886f70d0101010500" + "030c00" + "3009" + "02020080" + "0203010001");
  });
  it("modulus bits ignore leading zero bytes", () => {
    assert.equal(modulusBits(Uint8Array.from([0, 0x80, 0])), 16);
    assert.equal(modulusBits(Uint8Array.from([0x01, 0])), 9);
  });
});

describe("AMI names", () => {
  for (const ok of ["abc", "my-app (v1) [2024] o'neil @x/y_z.1"]) it(`accepts ${ok}`, () => validateAmiName(ok));
  for (const bad of ["ab", "a".repeat(129), "bad,name", "tab\there"]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => validateAmiName(bad),
        (e: unknown) => e instanceof Ec2Error && e.code === "InvalidAMIName.Malformed",
      );
    });
  }
});
