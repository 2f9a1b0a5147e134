/**
 * Lambda's protocol binding: REST-JSON (src/protocol/rest-json) over the vendored model subset model/lambda.json
 * (`node scripts/gen-service-model.mjs lambda`). The route is the operation whose `http.requestUri` template matches the
 * method and path; a path no operation has is answered 404 UnknownOperationException. Errors are `{"Type","message"}`
 * with `x-amzn-ErrorType`, as AWS answers them.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { err } from "../../domain/errors.js";
import { loadRestModel, type RestModel } from "../../protocol/rest-json/model.js";
import { parseRestInput, type RestJsonErrors, type RestRequest } from "../../protocol/rest-json/parse.js";
import { renderRestError, renderRestOutput, restErrorHeaders, REST_JSON_CONTENT_TYPE } from "../../protocol/rest-json/render.js";
import { RestRouter } from "../../protocol/rest-json/router.js";
import type { Decoded, ProtocolBinding } from "../common/pipeline.js";

export const lambdaModel = (): RestModel => loadRestModel("lambda.json");

let router: RestRouter | undefined;
const lambdaRouter = (): RestRouter => (router ??= new RestRouter(lambdaModel()));

export interface LambdaDecoded extends Decoded {
  readonly request: RestRequest;
}

/** Lambda's constraint messages name members in lower camel case (`vpcConfig.subnetIds`), as observed from AWS. */
const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export const LAMBDA_PROTOCOL_ERRORS: RestJsonErrors = {
  serialization: (message) => err.lambdaSerialization(message),
  validation: (message) => err.lambdaValidation(message),
  memberName: lowerCamel,
};

export const LAMBDA_BINDING: ProtocolBinding<LambdaDecoded> = {
  contentType: REST_JSON_CONTENT_TYPE,
  decode: (req) => {
    const m = lambdaRouter().match(req.method, req.url.pathname, req.url.searchParams);
    const request: RestRequest = { labels: "miss" in m ? {} : m.labels, query: req.url.searchParams, headers: req.headers, body: req.body };
    // No template matches: the "operation" is the method and path, which no model operation is named, so the
    // pipeline answers it as an unknown operation.
    return { operation: "miss" in m ? `${req.method} ${req.url.pathname}` : m.operation, request };
  },
  parse: (inputShape, d) => parseRestInput(lambdaModel(), inputShape, d.request, LAMBDA_PROTOCOL_ERRORS),
  renderSuccess: (op, _shape, value) => renderRestOutput(lambdaModel(), op, value, { blobContentType: REST_JSON_CONTENT_TYPE }).body,
  renderReply: (op, _shape, value) => renderRestOutput(lambdaModel(), op, value, { blobContentType: REST_JSON_CONTENT_TYPE }),
  renderError: (e: Ec2Error) => renderRestError(lambdaModel(), e.code, e.message, e.status),
  errorHeaders: (e: Ec2Error) => restErrorHeaders(e.code),
};
