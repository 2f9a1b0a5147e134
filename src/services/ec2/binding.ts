/**
 * EC2's protocol binding: the EC2 Query protocol (POST form or GET query, `Action=…&Version=2016-11-15`), parsed and
 * rendered from model/ec2.json by src/protocol/ec2-query. Errors use EC2's own `<Response><Errors>` envelope.
 */
import type { Ec2Error } from "../../domain/errors.js";
import { parseInput } from "../../protocol/ec2-query/parse.js";
import { renderError, renderSuccess } from "../../protocol/ec2-query/render.js";
import { queryParamsHash, type Decoded, type ProtocolBinding, type WireRequest } from "../common/pipeline.js";

export interface Ec2Decoded extends Decoded {
  /** Query-string then form parameters, in order. */
  readonly params: readonly [string, string][];
}

/** The query string's and the form body's parameters, in that order. */
export const queryParams = (req: WireRequest): [string, string][] => {
  const params: [string, string][] = [...req.url.searchParams];
  if (req.body) for (const p of new URLSearchParams(req.body)) params.push(p);
  return params;
};

export const ec2Decoded = (params: readonly [string, string][]): Ec2Decoded => ({
  operation: params.find(([k]) => k === "Action")?.[1],
  params,
});

export const EC2_BINDING: ProtocolBinding<Ec2Decoded> = {
  contentType: "text/xml;charset=UTF-8",
  headers: { server: "AmazonEC2" },
  decode: (req) => ec2Decoded(queryParams(req)),
  parse: (inputShape, d) => parseInput(inputShape, d.params),
  renderSuccess,
  renderError: (e: Ec2Error, requestId) => renderError(e.code, e.message, requestId),
  paramsHash: (d, tokenMember) => queryParamsHash(d.params, new Set([tokenMember, "DryRun", "Action", "Version"])),
};
