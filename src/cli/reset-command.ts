/** `localvpc reset [--account ID]`: forget everything, or one account (every region), on a running server. */
import type { Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

export const registerResetCommand = (program: Command): void => {
  const cmd = withAdminOptions(
    program
      .command("reset")
      .description("Forget all state of a running server, or one account's with --account (like POST /moto-api/reset)"),
  );
  cmd.action(async (o: AdminCliOptions) => {
    // Only an --account typed on the command line narrows the reset: one taken from AWS_ACCESS_KEY_ID must not turn
    // "reset everything" into "reset my account" behind the user's back.
    const explicit = cmd.getOptionValueSource("account") === "cli" ? o.account : undefined;
    const a = await callAdmin<{ status: string; account?: string }>({ ...o, account: explicit, region: undefined }, "POST", "reset");
    printAnswer(o, a, (x) => (x.account ? `Account ${x.account} forgotten (every region).` : "All accounts and regions forgotten."));
  });
};
