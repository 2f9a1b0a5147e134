/**
 * STS's protocol binding: the AWS Query protocol (`Action=GetCallerIdentity&Version=2011-06-15`), parsed and rendered
 * from the vendored model subset model/sts.json (scripts/gen-service-model.mjs sts) by src/protocol/aws-query.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { loadJsonModel, type JsonModel } from "../../protocol/aws-json/json.js";
import { parseQueryInput, renderQueryError, renderQuerySuccess } from "../../protocol/aws-query/query.js";
import type { ProtocolBinding } from "../common/pipeline.js";
import { ec2Decoded, queryParams, type Ec2Decoded } from "../ec2/binding.js";

export const stsModel = (): JsonModel => loadJsonModel("sts.json");

/** A Query request decoded: its parameters and the Action they name (the same decoding as EC2's). */
export type QueryDecoded = Ec2Decoded;

export const STS_BINDING: ProtocolBinding<QueryDecoded> = {
  contentType: "text/xml",
  decode: (req) => ec2Decoded(queryParams(req)),
  parse: (inputShape, d) => parseQueryInput(stsModel(), inputShape, d.params),
  renderSuccess: (op, _shape, value, requestId) => renderQuerySuccess(stsModel(), op, value, requestId),
  renderError: (e: Ec2Error, requestId) => renderQueryError(e.code, e.message, e.status, requestId, stsModel().metadata.xmlNamespace),
};
