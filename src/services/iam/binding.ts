/**
 * IAM's protocol binding: the AWS Query protocol (`Action=GetUser&Version=2010-05-08`), parsed and rendered from the
 * vendored model subset model/iam.json (botocore's iam/2010-05-08, via scripts/gen-service-model.mjs).
 */
import type { Ec2Error } from "../../domain/errors.js";
import { loadJsonModel, type JsonModel } from "../../protocol/aws-json/json.js";
import { parseQueryInput, renderQueryError, renderQuerySuccess } from "../../protocol/aws-query/query.js";
import type { ProtocolBinding } from "../common/pipeline.js";
import { queryDecoded, queryParams, type QueryDecoded } from "../common/query.js";

export const iamModel = (): JsonModel => loadJsonModel("iam.json");

export const IAM_BINDING: ProtocolBinding<QueryDecoded> = {
  contentType: "text/xml",
  decode: (req) => queryDecoded(queryParams(req)),
  parse: (inputShape, d) => parseQueryInput(iamModel(), inputShape, d.params),
  renderSuccess: (op, _shape, value, requestId) => renderQuerySuccess(iamModel(), op, value, requestId),
  renderError: (e: Ec2Error, requestId) => renderQueryError(e.code, e.message, e.status, requestId, iamModel().metadata.xmlNamespace),
};
