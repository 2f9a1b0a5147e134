/**
 * The BYOIP scenarios' own PKI (src/scenarios/scenario-pki.ts): the node:crypto-built certificate is a valid self-signed
 * X.509 certificate, and the transliterated RSASSA-PSS signature verifies with the BYOIP code's own verifier.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { verifyRsaPss } from "../../src/services/ec2/byoip-signature.js";
import { standardPem, untransliterate } from "../../src/domain/byoip.js";
import { authorizationMessage, makeScenarioPki, signAuthorization } from "../../src/scenarios/scenario-pki.js";

describe("scenario PKI", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const pki = makeScenarioPki("Example Mail Corp", now);

  it("makes a one-line self-signed certificate for /O=org valid for a year", () => {
    assert.doesNotMatch(pki.certificate, /\n/);
    const cert = new X509Certificate(standardPem(pki.certificate));
    assert.equal(cert.subject, "O=Example Mail Corp");
    assert.equal(cert.issuer, "O=Example Mail Corp");
    assert.equal(cert.verify(cert.publicKey), true);
    assert.equal(new Date(cert.validFrom).toISOString(), "2026-06-01T12:00:00.000Z");
    assert.equal(new Date(cert.validTo).toISOString(), "2027-06-01T12:00:00.000Z");
  });

  it("signs the authorization message so that the BYOIP verifier accepts it, and rejects another message", () => {
    const message = authorizationMessage("123456789012", "203.0.113.0/24", new Date("2027-06-01T00:00:00Z"));
    assert.equal(message, "1|aws|123456789012|203.0.113.0/24|20270601|SHA256|RSAPSS");
    const signature = signAuthorization(pki.privateKey, message);
    assert.doesNotMatch(signature, /[+=/]/);
    const pem = standardPem(pki.certificate);
    assert.equal(verifyRsaPss(pem, message, untransliterate(signature)), "valid");
    assert.equal(verifyRsaPss(pem, message.replace("203.0.113.0", "203.0.112.0"), untransliterate(signature)), "invalid");
  });
});
