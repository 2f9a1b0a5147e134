/** `localvpc chaos fail-instance ID` / `localvpc chaos recover ID`: an impaired instance drops all traffic. */
import type { Command } from "commander";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

export const registerChaosCommand = (program: Command): void => {
  const chaos = program.command("chaos").description("Failure injection for the data plane");
  for (const [verb, text] of [
    ["fail-instance", "Make an instance impaired: traffic to and from it is dropped"],
    ["recover", "Recover an impaired instance"],
  ] as const) {
    withAdminOptions(chaos.command(`${verb} <instanceId>`).description(text)).action(async (instanceId: string, o: AdminCliOptions) => {
      const a = await callAdmin<{ instanceId: string; impaired: boolean }>(o, "POST", `chaos/${verb}`, { instanceId });
      printAnswer(o, a, (x) => `${x.instanceId} is ${x.impaired ? "impaired: its traffic is dropped" : "healthy"}`);
    });
  }
};
