/**
 * ELBv2's protocol binding: the AWS Query protocol (`Action=CreateLoadBalancer&Version=2015-12-01`), parsed and
 * rendered from the vendored model subset model/elbv2.json (`npm run gen:elbv2-model`) by src/protocol/aws-query.
 * Errors are `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">…`.
 */
import { err, type Ec2Error } from "../../domain/errors.js";
import { loadJsonModel, type JsonModel } from "../../protocol/aws-json/json.js";
import { parseQueryInput, renderQueryError, renderQuerySuccess } from "../../protocol/aws-query/query.js";
import type { ProtocolBinding } from "../common/pipeline.js";
import { queryDecoded, queryParams, type QueryDecoded } from "../common/query.js";

export const elbv2Model = (): JsonModel => loadJsonModel("elbv2.json");

export const ELBV2_BINDING: ProtocolBinding<QueryDecoded> = {
  contentType: "text/xml",
  decode: (req) => queryDecoded(queryParams(req)),
  parse: (inputShape, d) => {
    // Classic Load Balancers sign as `elasticloadbalancing` too; their API version (2012-06-01) is not emulated.
    const version = d.params.find(([k]) => k === "Version")?.[1];
    if (version !== undefined && version !== elbv2Model().metadata.apiVersion) throw err.elbVersionNotEmulated(version);
    return parseQueryInput(elbv2Model(), inputShape, d.params);
  },
  renderSuccess: (op, _shape, value, requestId) => renderQuerySuccess(elbv2Model(), op, value, requestId),
  renderError: (e: Ec2Error, requestId) => renderQueryError(e.code, e.message, e.status, requestId, elbv2Model().metadata.xmlNamespace),
};
