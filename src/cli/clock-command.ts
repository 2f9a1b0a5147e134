/** `localvpc clock [show]` and `localvpc clock advance DURATION` (7d, 90s, 1h30m): the simulated clock. */
import { InvalidArgumentError, type Command } from "commander";
import { parseDuration } from "../domain/duration.js";
import { callAdmin, printAnswer, withAdminOptions, type AdminCliOptions } from "./admin-client.js";

export const parseDurationArg = (v: string): number => {
  const ms = parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError("expected a duration such as 7d, 90s, 1h30m or 500ms");
  return ms;
};

export const registerClockCommand = (program: Command): void => {
  const clock = program.command("clock").description("The simulated clock (BYOIP provisioning, transient states)");
  withAdminOptions(clock.command("show", { isDefault: true }).description("Show the simulated time")).action(async (o: AdminCliOptions) => {
    const a = await callAdmin<{ now: string; offsetMs: number }>(o, "GET", "clock");
    printAnswer(o, a, (x) => `Simulated time ${x.now} (offset ${x.offsetMs} ms)`);
  });
  withAdminOptions(clock.command("advance <duration>").description("Move the simulated clock forward, e.g. 7d or 90s")).action(
    async (duration: string, o: AdminCliOptions) => {
      const ms = parseDurationArg(duration);
      const a = await callAdmin<{ now: string; offsetMs: number }>(o, "POST", "clock/advance", { ms });
      printAnswer(o, a, (x) => `Clock advanced by ${duration}: simulated time is now ${x.now}`);
    },
  );
};
