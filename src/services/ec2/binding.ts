/**
 * EC2's protocol binding: the EC2 Query protocol (POST form or GET query, `Action=…&Version=2016-11-15`), parsed and
 * rendered from model/ec2.json by src/protocol/ec2-query. Errors use EC2's own `<Response><Errors>` envelope.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { parseInput } from "../../protocol/ec2-query/parse.js";
import { renderError, renderSuccess } from "../../protocol/ec2-query/render.js";
import { queryParamsHash, type ProtocolBinding } from "../common/pipeline.js";
import { queryDecoded, queryParams, type QueryDecoded } from "../common/query.js";

/** An EC2 Query request decoded: its parameters and the Action they name. */
export type Ec2Decoded = QueryDecoded;

/** A request already split into parameters (Ec2Service.handle, the bench and the coverage script). */
export const ec2Decoded = queryDecoded;

export const EC2_BINDING: ProtocolBinding<Ec2Decoded> = {
  contentType: "text/xml;charset=UTF-8",
  headers: { server: "AmazonEC2" },
  decode: (req) => ec2Decoded(queryParams(req)),
  parse: (inputShape, d) => parseInput(inputShape, d.params),
  renderSuccess,
  renderError: (e: Ec2Error, requestId) => renderError(e.code, e.message, requestId),
  paramsHash: (d, tokenMember) => queryParamsHash(d.params, new Set([tokenMember, "DryRun", "Action", "Version"])),
};
