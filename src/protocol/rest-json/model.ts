/**
 * The REST-JSON protocol's view of a vendored botocore model (model/<service>.json from scripts/gen-service-model.mjs):
 * each operation's `http` trait (method, request URI template, response code), and where each member travels
 * (`location`: uri, querystring, header, headers, statusCode; absent: the JSON body, or the raw body when the structure
 * names it as its `payload`). Shared by every REST-JSON service (Lambda, later EKS); it knows no service.
 */
import { loadJsonModel, type JsonShapeDef } from "../aws-json/json.js";

export type RestLocation = "uri" | "querystring" | "header" | "headers" | "statusCode";

export interface RestMemberDef {
  readonly shape: string;
  readonly location?: RestLocation;
  /** The wire name at its location (a URI label, a query key, a header name, a header prefix for `headers`). */
  readonly locationName?: string;
  readonly jsonvalue?: boolean;
  readonly idempotencyToken?: boolean;
}

export interface RestShapeDef extends Omit<JsonShapeDef, "members"> {
  readonly members?: Readonly<Record<string, RestMemberDef>>;
  /** The member that is the whole HTTP body (a blob or a structure). */
  readonly payload?: string;
  /** Error shapes: the HTTP status AWS answers them with. */
  readonly error?: { readonly httpStatusCode?: number; readonly code?: string; readonly senderFault?: boolean };
  readonly exception?: boolean;
}

export interface RestHttpTrait {
  readonly method: string;
  /** `/2015-03-31/functions/{FunctionName}/configuration`, greedy `{Key+}`, literal query after `?`. */
  readonly requestUri: string;
  readonly responseCode?: number;
}

export interface RestOperationDef {
  readonly http?: RestHttpTrait;
  readonly input?: string;
  readonly output?: string;
  readonly errors?: readonly string[];
}

export interface RestModel {
  readonly metadata: { readonly apiVersion: string; readonly protocol?: string; readonly signingName?: string };
  readonly operations: Readonly<Record<string, RestOperationDef>>;
  readonly shapes: Readonly<Record<string, RestShapeDef>>;
}

/** Loads a vendored REST model once (the same cache and file layouts as the JSON protocols). */
export const loadRestModel = (file: string): RestModel => loadJsonModel(file);
