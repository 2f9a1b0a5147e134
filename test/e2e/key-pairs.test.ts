/**
 * Key pairs (issue 15): real material, AWS's fingerprints checked with the tools AWS's docs name (openssl,
 * ssh-keygen), DescribeKeyPairs, DeleteKeyPair, tags, RunInstances KeyName, and every rule's error with no change.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateKeyPairCommand,
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { expectErrorNoChange, useHarness } from "./harness.js";

const AL2023_X86 = "ami-0a1b2c3d4e5f60001";
const dir = mkdtempSync(join(tmpdir(), "localvpc-keys-"));
const sh = (cmd: string): string => execFileSync("sh", ["-c", cmd], { encoding: "utf8" }).trim();
const sshKeygen = (type: "rsa" | "ed25519", name: string): { pub: string; file: string } => {
  const file = join(dir, name);
  sh(`ssh-keygen -q -t ${type} ${type === "rsa" ? "-b 2048 -m PEM" : ""} -N '' -C test@host -f ${file}`);
  return { pub: sh(`cat ${file}.pub`), file };
};
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("key pairs", () => {
  const h = useHarness({ quotas: { keyPairsPerRegion: 3 } });

  it("CreateKeyPair rsa: PKCS#1 PEM material whose SHA-1 PKCS#8 fingerprint openssl reproduces", async () => {
    const k = await h.ec2.send(
      new CreateKeyPairCommand({ KeyName: "ci", TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: "team", Value: "a" }] }] }),
    );
    assert.match(k.KeyPairId!, /^key-[0-9a-f]{17}$/);
    assert.match(k.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.deepEqual(k.Tags, [{ Key: "team", Value: "a" }]);
    const file = join(dir, "created-rsa.pem");
    writeFileSync(file, k.KeyMaterial!, { mode: 0o600 });
    const expected = sh(`openssl pkcs8 -in ${file} -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c`).split(" ").pop();
    assert.equal(k.KeyFingerprint, expected);
    assert.match(k.KeyFingerprint!, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    const { KeyPairs } = await h.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["ci"], IncludePublicKey: true }));
    assert.equal(KeyPairs?.length, 1);
    const d = KeyPairs[0]!;
    assert.equal(d.KeyPairId, k.KeyPairId);
    assert.equal(d.KeyType, "rsa");
    assert.equal(d.KeyFingerprint, k.KeyFingerprint);
    assert.ok(d.CreateTime instanceof Date);
    // The public key ssh-keygen derives from the private key is the one DescribeKeyPairs shows.
    assert.equal(d.PublicKey, sh(`ssh-keygen -y -f ${file}`));
  });

  it("CreateKeyPair ed25519: an OpenSSH private key; fingerprint = base64 SHA-256 (ssh-keygen's, with '=')", async () => {
    const k = await h.ec2.send(new CreateKeyPairCommand({ KeyName: "ed", KeyType: "ed25519" }));
    assert.match(k.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const file = join(dir, "created-ed");
    writeFileSync(file, k.KeyMaterial!, { mode: 0o600 });
    const pub = sh(`ssh-keygen -y -f ${file}`);
    writeFileSync(`${file}.pub`, pub + "\n");
    const sha = /SHA256:(\S+)/.exec(sh(`ssh-keygen -lf ${file}.pub`))![1]!;
    assert.equal(k.KeyFingerprint, `${sha}=`);
    const { KeyPairs } = await h.ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: [k.KeyPairId!], IncludePublicKey: true }));
    // ssh-keygen -y appends the key's comment (its name); the public key itself is the same.
    assert.equal(KeyPairs![0]!.PublicKey, pub.split(" ").slice(0, 2).join(" "));
    assert.equal(KeyPairs![0]!.KeyType, "ed25519");
  });

  it("ImportKeyPair: OpenSSH RSA (MD5 of the DER public key) and ED25519, RFC 4716 and PEM forms", async () => {
    const rsa = sshKeygen("rsa", "imp-rsa");
    const r = await h.ec2.send(new ImportKeyPairCommand({ KeyName: "imp-rsa", PublicKeyMaterial: enc(rsa.pub) }));
    assert.equal(r.KeyFingerprint, sh(`openssl rsa -in ${rsa.file} -pubout -outform DER 2>/dev/null | openssl md5 -c`).split(" ").pop());
    const ed = sshKeygen("ed25519", "imp-ed");
    const e = await h.ec2.send(new ImportKeyPairCommand({ KeyName: "imp-ed", PublicKeyMaterial: enc(ed.pub) }));
    assert.equal(e.KeyFingerprint, `${/SHA256:(\S+)/.exec(sh(`ssh-keygen -lf ${ed.file}.pub`))![1]}=`);
    // The same RSA key as RFC 4716 and as a PEM public key: same fingerprint.
    await h.ec2.send(new DeleteKeyPairCommand({ KeyName: "imp-rsa" }));
    await h.ec2.send(new DeleteKeyPairCommand({ KeyName: "imp-ed" }));
    const rfc = await h.ec2.send(
      new ImportKeyPairCommand({ KeyName: "rfc", PublicKeyMaterial: enc(sh(`ssh-keygen -e -f ${rsa.file}.pub`)) }),
    );
    assert.equal(rfc.KeyFingerprint, r.KeyFingerprint);
    const pem = await h.ec2.send(
      new ImportKeyPairCommand({ KeyName: "pem", PublicKeyMaterial: enc(sh(`ssh-keygen -e -m PKCS8 -f ${rsa.file}.pub`)) }),
    );
    assert.equal(pem.KeyFingerprint, r.KeyFingerprint);
    const { KeyPairs } = await h.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["rfc"], IncludePublicKey: true }));
    assert.equal(KeyPairs![0]!.PublicKey, rsa.pub.split(" ").slice(0, 2).join(" "));
  });

  it("DescribeKeyPairs filters; DeleteKeyPair by name or id; an unknown name deletes nothing and succeeds", async () => {
    const a = await h.ec2.send(new CreateKeyPairCommand({ KeyName: "a" }));
    await h.ec2.send(new CreateKeyPairCommand({ KeyName: "b", KeyType: "ed25519" }));
    await h.ec2.send(new CreateTagsCommand({ Resources: [a.KeyPairId!], Tags: [{ Key: "env", Value: "ci" }] }));
    const names = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> =>
      ((await h.ec2.send(new DescribeKeyPairsCommand({ Filters: filters }))).KeyPairs ?? []).map((k) => k.KeyName!);
    assert.deepEqual(await names([{ Name: "key-name", Values: ["a", "b"] }]), ["a", "b"]);
    assert.deepEqual(await names([{ Name: "key-pair-id", Values: [a.KeyPairId!] }]), ["a"]);
    assert.deepEqual(await names([{ Name: "fingerprint", Values: [a.KeyFingerprint!] }]), ["a"]);
    assert.deepEqual(await names([{ Name: "key-type", Values: ["ed25519"] }]), ["b"]);
    assert.deepEqual(await names([{ Name: "tag:env", Values: ["ci"] }]), ["a"]);
    assert.deepEqual(await names([{ Name: "tag-key", Values: ["env"] }]), ["a"]);
    const before = await h.state();
    const gone = await h.ec2.send(new DeleteKeyPairCommand({ KeyName: "nope" }));
    assert.equal(gone.Return, true);
    assert.deepEqual(await h.state(), before);
    assert.equal((await h.ec2.send(new DeleteKeyPairCommand({ KeyPairId: a.KeyPairId! }))).KeyPairId, a.KeyPairId);
    await h.ec2.send(new DeleteKeyPairCommand({ KeyName: "b" }));
    assert.deepEqual(await names([]), []);
  });

  it("RunInstances KeyName: the instance shows it; an unknown one is InvalidKeyPair.NotFound", async () => {
    await h.ec2.send(new CreateKeyPairCommand({ KeyName: "deploy" }));
    const r = await h.ec2.send(new RunInstancesCommand({ ImageId: AL2023_X86, MinCount: 1, MaxCount: 1, KeyName: "deploy" }));
    const { Reservations } = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [r.Instances![0]!.InstanceId!] }));
    assert.equal(Reservations![0]!.Instances![0]!.KeyName, "deploy");
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new RunInstancesCommand({ ImageId: AL2023_X86, MinCount: 1, MaxCount: 1, KeyName: "missing" })),
      "InvalidKeyPair.NotFound",
      "The key pair 'missing' does not exist",
    );
  });

  it("rules: duplicate, not found, bad material, ppk, limit", async () => {
    await h.ec2.send(new CreateKeyPairCommand({ KeyName: "dup" }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateKeyPairCommand({ KeyName: "dup" })),
      "InvalidKeyPair.Duplicate",
      "The keypair 'dup' already exists.",
    );
    const ed = sshKeygen("ed25519", "dup-ed");
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ImportKeyPairCommand({ KeyName: "dup", PublicKeyMaterial: enc(ed.pub) })),
      "InvalidKeyPair.Duplicate",
      "The keypair 'dup' already exists.",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["dup", "ghost"] })),
      "InvalidKeyPair.NotFound",
      "The key pair 'ghost' does not exist",
    );
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: ["key-0123456789abcdef0"] })),
      "InvalidKeyPair.NotFound",
      "The key pair ID 'key-0123456789abcdef0' does not exist",
    );
    const ecdsa = join(dir, "ecdsa");
    sh(`ssh-keygen -q -t ecdsa -N '' -f ${ecdsa}`);
    for (const material of [sh(`cat ${ecdsa}.pub`), "not a key", "ssh-rsa AAAA", ed.pub.replace("ssh-ed25519", "ssh-rsa")]) {
      await expectErrorNoChange(
        h,
        () => h.ec2.send(new ImportKeyPairCommand({ KeyName: "bad", PublicKeyMaterial: enc(material) })),
        "InvalidKey.Format",
        "Key is not in valid OpenSSH public key format",
      );
    }
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new CreateKeyPairCommand({ KeyName: "putty", KeyFormat: "ppk" })),
      "UnsupportedOperation",
      "The value ppk of parameter KeyFormat is not supported by localvpc for CreateKeyPair yet.",
    );
    await h.ec2.send(new CreateKeyPairCommand({ KeyName: "two" }));
    await h.ec2.send(new CreateKeyPairCommand({ KeyName: "three", KeyType: "ed25519" }));
    await expectErrorNoChange(
      h,
      () => h.ec2.send(new ImportKeyPairCommand({ KeyName: "four", PublicKeyMaterial: enc(ed.pub) })),
      "KeyPairLimitExceeded",
      "Maximum of 5000 keypairs reached.",
    );
  });

  it("key pairs belong to one account and Region", async () => {
    await h.ec2.send(new CreateKeyPairCommand({ KeyName: "mine" }));
    const other = h.client("111122223333");
    const west = h.client("test", "us-west-2");
    assert.deepEqual((await other.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? [], []);
    assert.deepEqual((await west.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? [], []);
    await west.send(new CreateKeyPairCommand({ KeyName: "mine" }));
    other.destroy();
    west.destroy();
  });
});
