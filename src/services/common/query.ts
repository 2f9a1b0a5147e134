/**
 * Decoding shared by the Query-style protocols (EC2 Query, and AWS Query for STS, ELBv2, IAM): the parameters come from
 * the URL's query string and, for a POST, the form body, in that order; `Action` names the operation.
 */
import type { Decoded, WireRequest } from "./pipeline.js";

export interface QueryDecoded extends Decoded {
  /** Query-string then form parameters, in order. */
  readonly params: readonly [string, string][];
}

/** The query string's and the form body's parameters, in that order. */
export const queryParams = (req: WireRequest): [string, string][] => {
  const params: [string, string][] = [...req.url.searchParams];
  if (req.body) for (const p of new URLSearchParams(req.body)) params.push(p);
  return params;
};

export const queryDecoded = (params: readonly [string, string][]): QueryDecoded => ({
  operation: params.find(([k]) => k === "Action")?.[1],
  params,
});
