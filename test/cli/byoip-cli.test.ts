/**
 * BYOIP onboarding as a runbook (issue 4): the AWS docs' openssl commands (genpkey, req -x509, dgst with PSS) and the
 * AWS CLI against a spawned `localvpc serve --byoip-provision-delay 7d`, with the simulated world driven by
 * `localvpc rir/clock/bgp`: register → publish certificate → ROAs → sign → provision → clock advance → provisioned →
 * allocate an EIP from the pool → associate it to an ENI → advertise → the BGP view shows AWS receives the range →
 * withdraw → deprovision refused while the EIP exists → release → deprovision. Then the `localvpc rir/bgp/clock`
 * commands' own output and errors.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startAwsCli, type AwsCli } from "./aws-cli-harness.js";
import { runCli } from "./serve-process.js";

const sh = promisify(execFile);
const ACCOUNT = "123456789012";
const CIDR = "203.0.113.0/24";

/** Runs a shell pipeline in `dir` (the docs' commands are pipelines). */
const bash = async (dir: string, script: string, env: Record<string, string> = {}): Promise<string> =>
  (await sh("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 })).stdout;

describe("BYOIP runbook: openssl + AWS CLI + localvpc rir/clock/bgp", () => {
  let cli: AwsCli;
  let dir: string;
  const localvpc = async (...args: string[]): Promise<string> => {
    const r = await runCli([...args, "--endpoint", cli.server.url]);
    assert.equal(r.code, 0, `localvpc ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  before(async () => {
    cli = await startAwsCli(ACCOUNT, ["--byoip-provision-delay", "7d"]);
    dir = mkdtempSync(join(tmpdir(), "localvpc-byoip-cli-"));
  });
  after(async () => cli.close());

  it("runs the whole onboarding and offboarding", async () => {
    // Key and certificate, as in the AWS docs (the key's passphrase given on the command line for the test).
    await bash(
      dir,
      `openssl genpkey -aes256 -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pass pass:localvpc -out private-key.pem
       openssl rsa -in private-key.pem -passin pass:localvpc -pubout > public-key.pem
       openssl req -new -x509 -key private-key.pem -passin pass:localvpc -days 365 -subj "/C=US/O=Example Corp/CN=example.com" | tr -d "\\n" > certificate.pem`,
    );
    assert.match(readFileSync(join(dir, "certificate.pem"), "utf8"), /^-----BEGIN CERTIFICATE-----\S+-----END CERTIFICATE-----$/);

    // The world outside AWS: registration, certificate in the RDAP record, ROAs.
    assert.match(await localvpc("rir", "register", CIDR, "--rir", "ARIN", "--org", "Example Corp"), /registered with ARIN to Example Corp/);
    assert.match(
      await localvpc("rir", "publish-cert", CIDR, "--cert", join(dir, "certificate.pem")),
      /certificate: published \(Public Comments\)/,
    );
    assert.match(
      await localvpc("rir", "roa", CIDR, "--asn", "16509", "--asn", "14618", "--max-length", "24"),
      /AS16509 203\.0\.113\.0\/24 maxLength \/24, AS14618/,
    );
    const rdap = (await (await fetch(`${cli.server.url}/_localvpc/rdap/ip/${CIDR}`)).json()) as { remarks: { description: string[] }[] };
    assert.equal(rdap.remarks[0]!.description[0], readFileSync(join(dir, "certificate.pem"), "utf8"));

    // Sign the authorization message exactly as the docs do.
    const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
    const text = `1|aws|${ACCOUNT}|${CIDR}|${expiry}|SHA256|RSAPSS`;
    const signed = (
      await bash(
        dir,
        `echo -n $text_message | openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1 -sign private-key.pem -passin pass:localvpc -keyform PEM | openssl base64 | tr -- '+=/' '-_~' | tr -d "\\n"`,
        { text_message: text },
      )
    ).trim();
    assert.match(signed, /^[A-Za-z0-9\-_~]+$/);

    const prov = await cli.aws<{ ByoipCidr: { Cidr: string; State: string } }>(
      "provision-byoip-cidr",
      "--cidr",
      CIDR,
      "--cidr-authorization-context",
      `Message="${text}",Signature="${signed}"`,
    );
    assert.deepEqual([prov.ByoipCidr.Cidr, prov.ByoipCidr.State], [CIDR, "pending-provision"]);
    const state = async (): Promise<{ State: string; StatusMessage?: string }> =>
      (await cli.aws<{ ByoipCidrs: { State: string; StatusMessage?: string }[] }>("describe-byoip-cidrs", "--max-results", "10"))
        .ByoipCidrs[0]!;
    assert.equal((await state()).State, "pending-provision");
    assert.match(await localvpc("clock", "advance", "7d"), /^Clock advanced by 7d: simulated time is now /);
    assert.deepEqual(await state(), { Cidr: CIDR, State: "provisioned", NetworkBorderGroup: "us-east-1" });

    // Pool → EIP → ENI.
    const pools = await cli.aws<{ PublicIpv4Pools: { PoolId: string; TotalAddressCount: number }[] }>("describe-public-ipv4-pools");
    const poolId = pools.PublicIpv4Pools[0]!.PoolId;
    assert.equal(pools.PublicIpv4Pools[0]!.TotalAddressCount, 256);
    const eip = await cli.aws<{ PublicIp: string; AllocationId: string; PublicIpv4Pool: string }>(
      "allocate-address",
      "--public-ipv4-pool",
      poolId,
    );
    assert.equal(eip.PublicIpv4Pool, poolId);
    assert.ok(eip.PublicIp.startsWith("203.0.113."));
    const subnets = await cli.aws<{ Subnets: { SubnetId: string }[] }>("describe-subnets", "--filters", "Name=default-for-az,Values=true");
    const eni = await cli.aws<{ NetworkInterface: { NetworkInterfaceId: string } }>(
      "create-network-interface",
      "--subnet-id",
      subnets.Subnets[0]!.SubnetId,
    );
    const assoc = await cli.aws<{ AssociationId: string }>(
      "associate-address",
      "--allocation-id",
      eip.AllocationId,
      "--network-interface-id",
      eni.NetworkInterface.NetworkInterfaceId,
    );
    assert.match(assoc.AssociationId, /^eipassoc-/);

    // Advertise: the internet now sends the range's traffic to AWS.
    await cli.aws("advertise-byoip-cidr", "--cidr", CIDR);
    assert.equal((await state()).State, "advertised");
    const bgp = JSON.parse(await localvpc("bgp", "--address", eip.PublicIp, "--json")) as {
      receiver: { network: string; originAsn: number; rpki: string };
    };
    assert.deepEqual(bgp.receiver, { network: "aws", advertisedBy: "aws:us-east-1", prefix: CIDR, originAsn: 16509, rpki: "Valid" });
    assert.match(
      await localvpc("bgp", "--address", eip.PublicIp),
      new RegExp(
        `${eip.PublicIp.replace(/\./g, "\\.")}: traffic goes to aws \\(aws:us-east-1, 203\\.0\\.113\\.0/24 from AS16509, RPKI Valid\\)`,
      ),
    );

    // Offboarding.
    await cli.aws("withdraw-byoip-cidr", "--cidr", CIDR);
    assert.equal((await state()).State, "provisioned");
    const refused = await cli.awsFails(["deprovision-byoip-cidr", "--cidr", CIDR], "IncorrectState");
    assert.match(refused, /cannot be deprovisioned while 1 Elastic IP address\(es\) are allocated from its pool/);
    await cli.aws("disassociate-address", "--association-id", assoc.AssociationId);
    await cli.aws("release-address", "--allocation-id", eip.AllocationId);
    const dep = await cli.aws<{ ByoipCidr: { State: string } }>("deprovision-byoip-cidr", "--cidr", CIDR);
    assert.equal(dep.ByoipCidr.State, "pending-deprovision");
    assert.equal((await state()).State, "deprovisioned");
    assert.deepEqual((await cli.aws<{ PublicIpv4Pools: unknown[] }>("describe-public-ipv4-pools")).PublicIpv4Pools, []);
  });

  it("a failed verification is visible to the AWS CLI with its statusMessage", async () => {
    const cidr = "198.51.100.0/24";
    await localvpc("rir", "register", cidr, "--rir", "RIPE", "--org", "Example Corp");
    await localvpc("rir", "roa", cidr, "--asn", "16509", "--max-length", "24");
    const text = `1|aws|${ACCOUNT}|${cidr}|20991231|SHA256|RSAPSS`;
    const signed = (
      await bash(
        dir,
        `echo -n $m | openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-1 -sign private-key.pem -passin pass:localvpc | openssl base64 | tr -- '+=/' '-_~' | tr -d "\\n"`,
        { m: text },
      )
    ).trim();
    await cli.aws("provision-byoip-cidr", "--cidr", cidr, "--cidr-authorization-context", `Message="${text}",Signature="${signed}"`);
    await localvpc("clock", "advance", "8d");
    const all = await cli.aws<{ ByoipCidrs: { Cidr: string; State: string; StatusMessage?: string }[] }>(
      "describe-byoip-cidrs",
      "--max-results",
      "10",
    );
    const got = all.ByoipCidrs.find((c) => c.Cidr === cidr)!;
    assert.equal(got.State, "failed-provision");
    assert.equal(
      got.StatusMessage,
      "No X.509 certificate is published in the RDAP record of 198.51.100.0/24 (RIPE: add it to the range's descr).",
    );
  });
});

describe("localvpc rir / bgp / clock commands", () => {
  let cli: AwsCli;
  before(async () => {
    cli = await startAwsCli();
  });
  after(async () => cli.close());
  const run = (...args: string[]) => runCli([...args, "--endpoint", cli.server.url]);

  it("clock advance takes durations and says what it did; a bad duration exits non-zero", async () => {
    const before = JSON.parse((await run("clock", "--json")).stdout) as { offsetMs: number };
    const r = await run("clock", "advance", "90s");
    assert.equal(r.code, 0, r.stderr);
    const after = JSON.parse((await run("clock", "--json")).stdout) as { offsetMs: number };
    assert.equal(after.offsetMs - before.offsetMs, 90_000);
    const bad = await run("clock", "advance", "soon");
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /expected a duration such as 7d, 90s, 1h30m or 500ms/);
  });

  it("rir commands: --json answers, errors say what to do", async () => {
    const reg = await run("rir", "register", "192.0.2.0/24", "--rir", "LACNIC", "--org", "Ejemplo", "--json");
    assert.equal(reg.code, 0, reg.stderr);
    assert.deepEqual(JSON.parse(reg.stdout), {
      cidr: "192.0.2.0/24",
      rir: "LACNIC",
      org: "Ejemplo",
      addresses: "256",
      certificatePublished: false,
      certificateLocation: "remarks",
      roas: [],
      reputation: "clean",
      listings: [],
    });
    const listed = await run("rir", "reputation", "192.0.2.0/24", "--listed", "Spamhaus SBL");
    assert.match(listed.stdout, /reputation: listed \(192\.0\.2\.0\/24: Spamhaus SBL\)/);
    assert.match((await run("rir", "reputation", "192.0.2.0/24", "--clean")).stdout, /reputation: clean/);
    const neither = await run("rir", "reputation", "192.0.2.0/24");
    assert.notEqual(neither.code, 0);
    assert.match(neither.stderr, /give exactly one of --listed REASON or --clean/);
    const unregistered = await run("rir", "roa", "10.0.0.0/24", "--asn", "16509", "--max-length", "24");
    assert.notEqual(unregistered.code, 0);
    assert.match(
      unregistered.stderr,
      /The range 10\.0\.0\.0\/24 is not registered with any RIR\. Register it first: localvpc rir register 10\.0\.0\.0\/24/,
    );
    const badRir = await run("rir", "register", "198.18.0.0/24", "--rir", "IANA", "--org", "X");
    assert.notEqual(badRir.code, 0);
    assert.match(
      badRir.stderr,
      /InvalidParameterValue: Value \(IANA\) for parameter rir is invalid\. Allowed values: ARIN, RIPE, APNIC, LACNIC, AFRINIC\./,
    );
    assert.match((await run("rir", "list")).stdout, /192\.0\.2\.0\/24 registered with LACNIC to Ejemplo/);
    const rdap = JSON.parse((await run("rir", "rdap", "192.0.2.77")).stdout) as { objectClassName: string; startAddress: string };
    assert.deepEqual([rdap.objectClassName, rdap.startAddress], ["ip network", "192.0.2.0"]);
  });

  it("bgp announce / withdraw an on-premises prefix and show who receives an address", async () => {
    await run("rir", "register", "198.51.100.0/24", "--rir", "ARIN", "--org", "Example");
    await run("rir", "roa", "198.51.100.0/24", "--asn", "64500", "--max-length", "24");
    const a = await run("bgp", "announce", "198.51.100.0/24", "--origin", "onprem", "--asn", "64500");
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /198\.51\.100\.0\/24\s+AS64500\s+onprem\s+RPKI Valid\s+accepted/);
    assert.match(
      (await run("bgp", "--address", "198.51.100.9")).stdout,
      /198\.51\.100\.9: traffic goes to onprem \(onprem, 198\.51\.100\.0\/24 from AS64500, RPKI Valid\)/,
    );
    const invalid = await run("bgp", "announce", "198.51.100.0/24", "--origin", "onprem", "--asn", "64999");
    assert.match(invalid.stdout, /AS64999\s+onprem\s+RPKI Invalid\s+filtered \(rpki-invalid\)/);
    await run("bgp", "withdraw", "198.51.100.0/24", "--origin", "onprem", "--asn", "64999");
    const w = await run("bgp", "withdraw", "198.51.100.0/24", "--origin", "onprem", "--asn", "64500");
    assert.equal(w.code, 0, w.stderr);
    assert.match((await run("bgp", "--address", "198.51.100.9")).stdout, /198\.51\.100\.9: nobody receives its traffic/);
    const again = await run("bgp", "withdraw", "198.51.100.0/24", "--origin", "onprem", "--asn", "64500");
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /No on-premises announcement of 198\.51\.100\.0\/24 from AS64500 exists\./);
  });
});
