/**
 * The one piece of BYOIP verification that needs Node: the authorization message's RSASSA-PSS signature (SHA-256,
 * MGF1-SHA-256, salt length 32 = `openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1`)
 * checked with the public key of the self-signed X.509 certificate from the range's RDAP record (spec §5.1).
 */
import { X509Certificate, constants, verify } from "node:crypto";
import type { SignatureVerifier } from "../../domain/byoip.js";

export const verifyRsaPss: SignatureVerifier = (certificatePem, message, signatureBase64) => {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    return "unreadable-certificate";
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== "rsa" || !cert.verify(key)) return "unreadable-certificate";
  try {
    const signature = Buffer.from(signatureBase64, "base64");
    const ok = verify(
      "sha256",
      Buffer.from(message, "utf8"),
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32, mgf1HashAlgorithm: "sha256" } as Parameters<typeof verify>[2],
      signature,
    );
    return ok ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
};
