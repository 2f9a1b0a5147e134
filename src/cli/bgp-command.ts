/**
 * `localvpc bgp …`: the simulated internet's view of BYOIP ranges. `localvpc bgp [--address IP]` lists the
 * announcements (AWS's for advertised BYOIP ranges, on-premises ones) with their RPKI validity and, for an address,
 * which network receives its traffic; `announce` / `withdraw` add or remove an on-premises announcement.
 */
import { InvalidArgumentError, type Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

interface BgpAnswer {
  announcements: { prefix: string; originAsn: number; advertisedBy: string; rpki: string; accepted: boolean; filteredBecause?: string }[];
  address?: string;
  receiver?: { network: string; advertisedBy?: string; prefix?: string; originAsn?: number; rpki?: string; reason?: string };
}

const parseAsn = (v: string): number => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected an AS number");
  return Number(v);
};

const human = (a: BgpAnswer): string => {
  const lines = a.announcements.length
    ? a.announcements.map(
        (x) =>
          `${x.prefix.padEnd(22)} AS${String(x.originAsn).padEnd(8)} ${x.advertisedBy.padEnd(16)} RPKI ${x.rpki.padEnd(8)} ${x.accepted ? "accepted" : `filtered (${x.filteredBecause ?? ""})`}`,
      )
    : ["No announcements."];
  if (a.address !== undefined && a.receiver) {
    const r = a.receiver;
    lines.push(
      r.network === "none"
        ? `${a.address}: nobody receives its traffic (${r.reason ?? ""})`
        : `${a.address}: traffic goes to ${r.network} (${r.advertisedBy ?? ""}, ${r.prefix ?? ""} from AS${r.originAsn ?? ""}, RPKI ${r.rpki ?? ""})`,
    );
  }
  return lines.join("\n");
};

export const registerBgpCommand = (program: Command): void => {
  const bgp = program
    .command("bgp")
    .description("The simulated internet: BGP announcements, RPKI validity, who receives an address's traffic");
  // `localvpc bgp [--address IP]` is the default subcommand, so that the admin flags belong to exactly one command.
  withAdminOptions(
    bgp
      .command("show", { isDefault: true })
      .description("List announcements with RPKI validity; with --address, which network receives that address's traffic")
      .option("--address <ip>", "show which network receives traffic for this address"),
  ).action(async (o: AdminCliOptions & { address?: string }) => {
    printAnswer(o, await callAdmin<BgpAnswer>(o, "GET", "bgp", { address: o.address }), human);
  });
  for (const verb of ["announce", "withdraw"] as const) {
    withAdminOptions(
      bgp
        .command(`${verb} <cidr>`)
        .description(verb === "announce" ? "Announce a prefix from on premises" : "Withdraw an on-premises announcement")
        .requiredOption("--origin <who>", "onprem")
        .requiredOption("--asn <n>", "origin AS number", parseAsn),
    ).action(async (cidr: string, o: AdminCliOptions & { origin: string; asn: number }) => {
      printAnswer(o, await callAdmin<BgpAnswer>(o, "POST", `bgp/${verb}`, { cidr, origin: o.origin, asn: o.asn }), human);
    });
  }
};
