/**
 * `localvpc rir …`: the simulated Regional Internet Registries outside AWS (BYOIP): register a range to an
 * organisation, publish or remove the self-signed certificate where the RIR puts it, create ROAs, set the range's
 * reputation, and show what RDAP answers.
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

interface RangeAnswer {
  cidr: string;
  rir: string;
  org: string;
  certificatePublished: boolean;
  certificateLocation: string;
  roas: { prefix: string; maxLength: number; asn: number }[];
  reputation: string;
  listings: { prefix: string; reason: string }[];
}

const parseAsn = (v: string, acc: number[] = []): number[] => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected an AS number, e.g. 16509");
  return [...acc, Number(v)];
};
const parseInteger = (v: string): number => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected an integer");
  return Number(v);
};

const summary = (a: RangeAnswer): string => {
  const roas = a.roas.length ? a.roas.map((r) => `AS${r.asn} ${r.prefix} maxLength /${r.maxLength}`).join(", ") : "none";
  const rep = a.reputation === "clean" ? "clean" : `listed (${a.listings.map((l) => `${l.prefix}: ${l.reason}`).join("; ")})`;
  return [
    `${a.cidr} registered with ${a.rir} to ${a.org}`,
    `  certificate: ${a.certificatePublished ? `published (${a.certificateLocation})` : `not published (goes in ${a.certificateLocation})`}`,
    `  ROAs: ${roas}`,
    `  reputation: ${rep}`,
  ].join("\n");
};

export const registerRirCommand = (program: Command): void => {
  const rir = program.command("rir").description("Simulated RIR registry, RDAP and RPKI (the world outside AWS, for BYOIP)");

  withAdminOptions(
    rir
      .command("register <cidr>")
      .description("Register an address range to an organisation with an RIR")
      .requiredOption("--rir <name>", "ARIN | RIPE | APNIC | LACNIC | AFRINIC")
      .requiredOption("--org <name>", "the organisation the range is registered to"),
  ).action(async (cidr: string, o: AdminCliOptions & { rir: string; org: string }) => {
    printAnswer(o, await callAdmin<RangeAnswer>(o, "POST", "rir/register", { cidr, rir: o.rir, org: o.org }), summary);
  });

  withAdminOptions(
    rir
      .command("publish-cert <cidr>")
      .description("Publish a self-signed X.509 certificate in the range's RDAP record (where its RIR puts it)")
      .requiredOption("--cert <file>", "PEM certificate file (openssl req -new -x509 …)"),
  ).action(async (cidr: string, o: AdminCliOptions & { cert: string }) => {
    let certificate: string;
    try {
      certificate = readFileSync(o.cert, "utf8");
    } catch {
      process.stderr.write(`localvpc: cannot read the certificate file ${o.cert}\n`);
      process.exit(1);
    }
    printAnswer(o, await callAdmin<RangeAnswer>(o, "POST", "rir/publish-cert", { cidr, certificate }), summary);
  });

  withAdminOptions(rir.command("unpublish-cert <cidr>").description("Remove the certificate from the range's RDAP record")).action(
    async (cidr: string, o: AdminCliOptions) => {
      printAnswer(o, await callAdmin<RangeAnswer>(o, "POST", "rir/unpublish-cert", { cidr }), summary);
    },
  );

  withAdminOptions(
    rir
      .command("roa <cidr>")
      .description("Create ROAs authorising ASNs to originate the prefix (RPKI)")
      .requiredOption("--asn <n>", "origin AS number (repeatable: --asn 16509 --asn 14618)", parseAsn)
      .requiredOption("--max-length <n>", "maxLength (for BYOIP: the prefix length of the range you bring)", parseInteger),
  ).action(async (cidr: string, o: AdminCliOptions & { asn: number[]; maxLength: number }) => {
    printAnswer(o, await callAdmin<RangeAnswer>(o, "POST", "rir/roa", { cidr, asns: o.asn, maxLength: o.maxLength }), summary);
  });

  withAdminOptions(
    rir
      .command("reputation <cidr>")
      .description("Mark a range as listed (e.g. on a spam blocklist) or clean")
      .option("--listed <reason>", "where it is listed, e.g. 'Spamhaus SBL'")
      .option("--clean", "remove every listing of the range"),
  ).action(async (cidr: string, o: AdminCliOptions & { listed?: string; clean?: boolean }) => {
    if ((o.listed === undefined) === (o.clean !== true)) {
      process.stderr.write("localvpc: give exactly one of --listed REASON or --clean\n");
      process.exit(1);
    }
    printAnswer(o, await callAdmin<RangeAnswer>(o, "POST", "rir/reputation", { cidr, listed: o.listed, clean: o.clean }), summary);
  });

  withAdminOptions(rir.command("list").description("List the registered ranges")).action(async (o: AdminCliOptions) => {
    const a = await callAdmin<{ ranges: RangeAnswer[] }>(o, "GET", "rir/ranges");
    printAnswer(o, a, (x) => (x.ranges.length ? x.ranges.map(summary).join("\n") : "No registered ranges."));
  });

  withAdminOptions(rir.command("rdap <address-or-cidr>").description("Show the RDAP record AWS would read for an address or range")).action(
    async (q: string, o: AdminCliOptions) => {
      const a = await callAdmin(o, "GET", `rdap/ip/${q}`);
      process.stdout.write(`${JSON.stringify(a, null, 2)}\n`);
    },
  );
};
