/**
 * Flow logs' chaos knob (issue 21): `POST /_localvpc/chaos/flow-logs-skip {"networkInterfaceId": "eni-…"}` makes the
 * recorder drop that interface's observations for the rest of the current 1-minute window, which its flow logs then
 * report as one SKIPDATA record ("records were skipped … because of an internal capacity constraint, or an internal
 * error": FLOWREC). Nothing else ever skips here, so this is how to see AWS's SKIPDATA lines.
 */
import { adminScope, bodyObject, requireBodyString, type AdminRoute } from "../admin/routes.js";
import { err } from "../domain/errors.js";
import type { Scope } from "../store/store.js";
import type { Ec2Service } from "../services/ec2/seams.js";
import type { FlowRecorder } from "./flow-recorder.js";

export const flowLogChaosRoutes = (ec2: Ec2Service, defaults: Scope, recorder: FlowRecorder): AdminRoute[] => [
  {
    method: "POST",
    path: "/_localvpc/chaos/flow-logs-skip",
    summary: "chaos flow-logs-skip",
    // Changes no EC2 state: only what the recorder keeps of the current window.
    changesState: false,
    handle: (req) => {
      const scope = adminScope(req, defaults);
      const b = bodyObject(req.body, "networkInterfaceId");
      const id = requireBodyString(b, "networkInterfaceId");
      return ec2.runAdmin(scope, "admin", (ctx) => {
        if (!ctx.tx.get("network-interface", id)) throw err.eniNotFound(id);
        recorder.skip(scope.account, scope.region, id);
        return { networkInterfaceId: id, skipping: "the rest of the current 1-minute window" };
      });
    },
  },
];
