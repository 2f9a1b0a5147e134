/**
 * CloudWatch Logs' protocol binding: AWS JSON 1.1 with `X-Amz-Target: Logs_20140328.<Operation>`, parsed against the
 * vendored model subset model/logs.json (scripts/gen-logs-model.mjs) by src/protocol/aws-json.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { loadJsonModel, parseJsonInput, renderJsonError, targetOperation, type JsonModel } from "../../protocol/aws-json/json.js";
import type { Decoded, ProtocolBinding } from "../common/pipeline.js";

export const LOGS_TARGET_PREFIX = "Logs_20140328";
export const LOGS_CONTENT_TYPE = "application/x-amz-json-1.1";

export const logsModel = (): JsonModel => loadJsonModel("logs.json");

export interface LogsDecoded extends Decoded {
  readonly body: string;
  /** The raw `X-Amz-Target`, for the error that names it. */
  readonly target: string | undefined;
}

export const LOGS_BINDING: ProtocolBinding<LogsDecoded> = {
  contentType: LOGS_CONTENT_TYPE,
  decode: (req) => {
    const raw = req.headers["x-amz-target"];
    const target = typeof raw === "string" ? raw : undefined;
    // A target of another service's prefix names no CloudWatch Logs operation: answered UnknownOperationException
    // with the whole target, as before.
    const op = targetOperation(LOGS_TARGET_PREFIX, target);
    return { operation: op ?? target, body: req.body, target };
  },
  parse: (inputShape, d) => parseJsonInput(logsModel(), inputShape, d.body),
  renderSuccess: (_op, _shape, value) => JSON.stringify(value ?? {}),
  renderError: (e: Ec2Error) => renderJsonError(e.code, e.message),
};
