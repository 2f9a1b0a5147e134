/** RebootInstances (issue 15): the instance stays `running` (a reboot is not a state change AWS reports). */
import { err } from "../../../domain/errors.js";
import { defineAction } from "../action.js";
import { instancesByIds } from "./instances.js";

export const RebootInstances = defineAction({
  name: "RebootInstances",
  mutates: true,
  params: ["InstanceIds"],
  run(input, ctx) {
    // Malformed before NotFound, every unknown id reported together (as StopInstances does).
    const instances = instancesByIds(ctx.tx, input.InstanceIds);
    // "Requests to reboot terminated instances are ignored." [DOC API RebootInstances]; a stopped instance cannot be.
    for (const i of instances) {
      if (i.state === "terminated" || i.state === "shutting-down" || i.state === "running" || i.state === "pending") continue;
      throw err.instanceStateFor(i.id, "rebooted");
    }
    return {};
  },
});

export const REBOOT_ACTIONS = [RebootInstances];
