/**
 * EKS's protocol binding: REST-JSON (src/protocol/rest-json, shared with Lambda) over the vendored model subset
 * model/eks.json (`npm run gen:eks-model`). The route is the operation whose `http.requestUri` matches the method and
 * path; errors are `{"Type","message"}` with `x-amzn-ErrorType`, the status from the model's error shape.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { err } from "../../domain/errors.js";
import { loadRestModel, type RestModel } from "../../protocol/rest-json/model.js";
import { parseRestInput, type RestJsonErrors, type RestRequest } from "../../protocol/rest-json/parse.js";
import { renderRestError, renderRestOutput, restErrorHeaders, REST_JSON_CONTENT_TYPE } from "../../protocol/rest-json/render.js";
import { RestRouter } from "../../protocol/rest-json/router.js";
import type { Decoded, ProtocolBinding } from "../common/pipeline.js";

export const eksModel = (): RestModel => loadRestModel("eks.json");

let router: RestRouter | undefined;
const eksRouter = (): RestRouter => (router ??= new RestRouter(eksModel()));

export interface EksDecoded extends Decoded {
  readonly request: RestRequest;
}

/** EKS's members are lower camel case in the model already, so constraint paths use them as modelled. */
export const EKS_PROTOCOL_ERRORS: RestJsonErrors = {
  serialization: (message) => err.eksSerialization(message),
  validation: (message) => err.eksValidation(message),
};

export const EKS_BINDING: ProtocolBinding<EksDecoded> = {
  contentType: REST_JSON_CONTENT_TYPE,
  decode: (req) => {
    const m = eksRouter().match(req.method, req.url.pathname, req.url.searchParams);
    const request: RestRequest = { labels: "miss" in m ? {} : m.labels, query: req.url.searchParams, headers: req.headers, body: req.body };
    // No template matches: the "operation" is the method and path, which names no model operation (unknown operation).
    return { operation: "miss" in m ? `${req.method} ${req.url.pathname}` : m.operation, request };
  },
  parse: (inputShape, d) => parseRestInput(eksModel(), inputShape, d.request, EKS_PROTOCOL_ERRORS),
  renderSuccess: (op, _shape, value) => renderRestOutput(eksModel(), op, value).body,
  renderReply: (op, _shape, value) => renderRestOutput(eksModel(), op, value),
  renderError: (e: Ec2Error) => renderRestError(eksModel(), e.code, e.message, e.status),
  errorHeaders: (e: Ec2Error) => restErrorHeaders(e.code),
};
