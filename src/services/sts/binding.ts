/**
 * STS's protocol binding: the AWS Query protocol (`Action=GetCallerIdentity&Version=2011-06-15`), parsed and rendered
 * from the vendored model subset model/sts.json (scripts/gen-service-model.mjs sts) by src/protocol/aws-query.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { loadJsonModel, type JsonModel } from "../../protocol/aws-json/json.js";
import { parseQueryInput, renderQueryError, renderQuerySuccess } from "../../protocol/aws-query/query.js";
import type { ProtocolBinding } from "../common/pipeline.js";
import { queryDecoded, queryParams, type QueryDecoded } from "../common/query.js";

export const stsModel = (): JsonModel => loadJsonModel("sts.json");

export const STS_BINDING: ProtocolBinding<QueryDecoded> = {
  contentType: "text/xml",
  decode: (req) => queryDecoded(queryParams(req)),
  parse: (inputShape, d) => parseQueryInput(stsModel(), inputShape, d.params),
  renderSuccess: (op, _shape, value, requestId) => renderQuerySuccess(stsModel(), op, value, requestId),
  renderError: (e: Ec2Error, requestId) => renderQueryError(e.code, e.message, e.status, requestId, stsModel().metadata.xmlNamespace),
};
