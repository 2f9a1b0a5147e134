/** REST-JSON protocol tables (issue 17): routing by URI template, input binding and validation, output and errors. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Ec2Error } from "../../domain/errors.js";
import type { RestModel } from "./model.js";
import { jsonDepth, MAX_JSON_DEPTH, parseRestInput, type RestJsonErrors } from "./parse.js";
import { errorStatus, renderRestError, renderRestOutput, restErrorHeaders } from "./render.js";
import { RestRouter } from "./router.js";

/** A small model in botocore's form, covering every location and a blob payload. */
const MODEL: RestModel = {
  metadata: { apiVersion: "2020-01-01", protocol: "rest-json" },
  operations: {
    ListThings: { http: { method: "GET", requestUri: "/2020-01-01/things" }, input: "ListIn", output: "ListOut" },
    GetThing: { http: { method: "GET", requestUri: "/2020-01-01/things/{Name}" }, input: "GetIn", output: "Thing" },
    GetThingConfig: { http: { method: "GET", requestUri: "/2020-01-01/things/{Name}/config" }, input: "GetIn", output: "Thing" },
    GetThingVersions: { http: { method: "GET", requestUri: "/2020-01-01/things/{Name}?versions" }, input: "GetIn", output: "Thing" },
    CreateThing: { http: { method: "POST", requestUri: "/2020-01-01/things", responseCode: 201 }, input: "CreateIn", output: "Thing" },
    DeleteThing: { http: { method: "DELETE", requestUri: "/2020-01-01/things/{Name}", responseCode: 204 }, input: "GetIn" },
    GetObject: { http: { method: "GET", requestUri: "/2020-01-01/objects/{Key+}" }, input: "ObjIn" },
    Call: { http: { method: "POST", requestUri: "/2020-01-01/things/{Name}/call" }, input: "CallIn", output: "CallOut" },
    Unbuilt: { http: { method: "PUT", requestUri: "/2020-01-01/things/{Name}/config" } },
  },
  shapes: {
    Name: { type: "string", min: 1, max: 8, pattern: "[a-z]+" },
    Count: { type: "integer", min: 1, max: 50 },
    Flag: { type: "boolean" },
    Kind: { type: "string", enum: ["a", "b"] },
    Str: { type: "string" },
    Blob: { type: "blob" },
    Keys: { type: "list", member: { shape: "Str" }, max: 2 },
    Tags: { type: "map", key: { shape: "Str" }, value: { shape: "Str" } },
    ListIn: {
      type: "structure",
      members: {
        Max: { shape: "Count", location: "querystring", locationName: "MaxItems" },
        Keys: { shape: "Keys", location: "querystring", locationName: "key" },
      },
    },
    ListOut: { type: "structure", members: { Things: { shape: "Keys" } } },
    GetIn: { type: "structure", required: ["Name"], members: { Name: { shape: "Name", location: "uri", locationName: "Name" } } },
    ObjIn: { type: "structure", required: ["Key"], members: { Key: { shape: "Str", location: "uri", locationName: "Key" } } },
    CreateIn: {
      type: "structure",
      required: ["Name"],
      members: {
        Name: { shape: "Name" },
        Kind: { shape: "Kind" },
        Tags: { shape: "Tags" },
        Trace: { shape: "Flag", location: "header", locationName: "X-Trace" },
      },
    },
    Thing: { type: "structure", members: { Name: { shape: "Name" }, Etag: { shape: "Str", location: "header", locationName: "ETag" } } },
    CallIn: {
      type: "structure",
      required: ["Name"],
      payload: "Body",
      members: {
        Name: { shape: "Name", location: "uri", locationName: "Name" },
        Mode: { shape: "Kind", location: "header", locationName: "X-Mode" },
        Body: { shape: "Blob" },
      },
    },
    CallOut: {
      type: "structure",
      payload: "Body",
      members: {
        Status: { shape: "Count", location: "statusCode" },
        Version: { shape: "Str", location: "header", locationName: "X-Version" },
        Body: { shape: "Blob" },
      },
    },
    NotFound: {
      type: "structure",
      members: { Type: { shape: "Str" }, Message: { shape: "Str" } },
      error: { httpStatusCode: 404, senderFault: true },
      exception: true,
    },
    Conflict: {
      type: "structure",
      members: { Type: { shape: "Str" }, message: { shape: "Str" } },
      error: { httpStatusCode: 409 },
      exception: true,
    },
  },
};

const ERRORS: RestJsonErrors = {
  serialization: (m) => new Ec2Error("Serialization", m),
  validation: (m) => new Ec2Error("Validation", m),
  memberName: (n) => n.charAt(0).toLowerCase() + n.slice(1),
};

describe("RestRouter", () => {
  const r = new RestRouter(MODEL);
  const cases: [string, string, string, string | { miss: string }, Record<string, string>?][] = [
    ["GET", "/2020-01-01/things", "", "ListThings", {}],
    ["POST", "/2020-01-01/things", "", "CreateThing", {}],
    ["GET", "/2020-01-01/things/abc", "", "GetThing", { Name: "abc" }],
    ["GET", "/2020-01-01/things/abc/config", "", "GetThingConfig", { Name: "abc" }],
    ["GET", "/2020-01-01/things/abc", "versions", "GetThingVersions", { Name: "abc" }],
    ["GET", "/2020-01-01/things/arn%3Aaws%3Ax", "", "GetThing", { Name: "arn:aws:x" }],
    ["GET", "/2020-01-01/objects/a/b/c", "", "GetObject", { Key: "a/b/c" }],
    ["PUT", "/2020-01-01/things/abc/config", "", "Unbuilt", { Name: "abc" }],
    ["DELETE", "/2020-01-01/things/abc", "", "DeleteThing", { Name: "abc" }],
    ["GET", "/2020-01-01/nothing", "", { miss: "path" }],
    ["GET", "/2020-01-01/things//config", "", { miss: "path" }],
    ["GET", "/2020-01-01/things/%zz", "", { miss: "path" }],
    ["PATCH", "/2020-01-01/things/abc", "", { miss: "method" }],
  ];
  for (const [method, path, query, expected, labels] of cases) {
    it(`${method} ${path}${query ? `?${query}` : ""}`, () => {
      const m = r.match(method, path, new URLSearchParams(query));
      if (typeof expected === "string") assert.deepEqual(m, { operation: expected, labels });
      else assert.equal("miss" in m ? m.miss : m.operation, expected.miss);
    });
  }
});

describe("parseRestInput", () => {
  const req = (p: Partial<{ labels: Record<string, string>; query: string; headers: Record<string, string>; body: string }>) => ({
    labels: p.labels ?? {},
    query: new URLSearchParams(p.query ?? ""),
    headers: p.headers ?? {},
    body: p.body ?? "",
  });
  it("binds uri labels, query strings (scalars and lists), headers and the JSON body", () => {
    assert.deepEqual(parseRestInput(MODEL, "ListIn", req({ query: "MaxItems=5&key=a&key=b" }), ERRORS), { Max: 5, Keys: ["a", "b"] });
    assert.deepEqual(parseRestInput(MODEL, "GetIn", req({ labels: { Name: "abc" } }), ERRORS), { Name: "abc" });
    assert.deepEqual(
      parseRestInput(
        MODEL,
        "CreateIn",
        req({ headers: { "x-trace": "true" }, body: '{"Name":"abc","Kind":"a","Tags":{"k":"v"}}' }),
        ERRORS,
      ),
      { Name: "abc", Kind: "a", Tags: { k: "v" }, Trace: true },
    );
  });
  it("takes a blob payload as the raw body", () => {
    assert.deepEqual(
      parseRestInput(MODEL, "CallIn", req({ labels: { Name: "abc" }, headers: { "x-mode": "b" }, body: "not json at all" }), ERRORS),
      {
        Name: "abc",
        Mode: "b",
        Body: "not json at all",
      },
    );
  });
  const failures: [string, string, ReturnType<typeof req>, string, string | RegExp][] = [
    [
      "a non-integer query value",
      "ListIn",
      req({ query: "MaxItems=x" }),
      "Serialization",
      "Value 'x' at 'MaxItems' is not a valid integer.",
    ],
    [
      "a range violation",
      "ListIn",
      req({ query: "MaxItems=99" }),
      "Validation",
      "1 validation error detected: Value '99' at 'max' failed to satisfy constraint: Member must have value less than or equal to 50",
    ],
    [
      "too many list items",
      "ListIn",
      req({ query: "key=a&key=b&key=c" }),
      "Validation",
      /at 'keys' failed to satisfy constraint: Member must have length less than or equal to 2$/,
    ],
    [
      "a missing required member",
      "CreateIn",
      req({ body: "{}" }),
      "Validation",
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    ],
    [
      "pattern, length and enum together",
      "CreateIn",
      req({ body: '{"Name":"ABCDEFGHIJ","Kind":"z"}' }),
      "Validation",
      /^3 validation errors detected: /,
    ],
    ["an unknown body member", "CreateIn", req({ body: '{"Name":"abc","Nope":1}' }), "Serialization", 'Unrecognized field "Nope".'],
    [
      "a location member sent in the body",
      "CreateIn",
      req({ body: '{"Name":"abc","Trace":true}' }),
      "Serialization",
      'Unrecognized field "Trace".',
    ],
    ["a wrong JSON type", "CreateIn", req({ body: '{"Name":5}' }), "Serialization", "Expected a string at 'name'."],
    ["malformed JSON", "CreateIn", req({ body: "{" }), "Serialization", /not valid JSON/],
    ["a non-object body", "CreateIn", req({ body: "[1]" }), "Serialization", "Expected a JSON object as the request body."],
    ["nesting past the cap", "CreateIn", req({ body: "[".repeat(MAX_JSON_DEPTH + 1) }), "Serialization", /nested deeper/],
    [
      "a bad boolean header",
      "CreateIn",
      req({ headers: { "x-trace": "yes" }, body: '{"Name":"abc"}' }),
      "Serialization",
      "Value 'yes' at 'X-Trace' is not a valid boolean.",
    ],
  ];
  for (const [what, shape, r, code, message] of failures) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => parseRestInput(MODEL, shape, r, ERRORS),
        (e: unknown) => {
          assert.ok(e instanceof Ec2Error);
          assert.equal(e.code, code);
          if (typeof message === "string") assert.equal(e.message, message);
          else assert.match(e.message, message);
          return true;
        },
      );
    });
  }
  it("counts JSON depth linearly, ignoring brackets in strings", () => {
    assert.equal(jsonDepth('{"a":[1,{"b":"[[[["}]}'), 3);
    assert.equal(jsonDepth('"\\"[["'), 0);
  });
});

describe("renderRestOutput and errors", () => {
  it("uses http.responseCode, header members and the JSON body", () => {
    assert.deepEqual(renderRestOutput(MODEL, "CreateThing", { Name: "abc", Etag: "e1" }), {
      status: 201,
      body: '{"Name":"abc"}',
      contentType: "application/json",
      headers: { etag: "e1" },
    });
  });
  it("writes a Date as epoch seconds in the body and as an HTTP date in a header", () => {
    const d = new Date("2026-01-02T03:04:05.500Z");
    const r = renderRestOutput(MODEL, "CreateThing", { Name: d, Etag: d });
    assert.deepEqual([r.body, r.headers["etag"]], ['{"Name":1767323045.5}', "Fri, 02 Jan 2026 03:04:05 GMT"]);
  });
  it("answers 204 with an empty body for an operation without output", () => {
    assert.deepEqual(renderRestOutput(MODEL, "DeleteThing", {}), { status: 204, body: "", contentType: "application/json", headers: {} });
  });
  it("takes the status from a statusCode member and the body from a blob payload", () => {
    assert.deepEqual(
      renderRestOutput(MODEL, "Call", { Status: 202, Version: "1", Body: '{"x":1}' }, { blobContentType: "application/json" }),
      {
        status: 202,
        body: '{"x":1}',
        contentType: "application/json",
        headers: { "x-version": "1" },
      },
    );
  });
  it("renders errors with Type, the shape's message member, x-amzn-ErrorType and the shape's status", () => {
    assert.equal(renderRestError(MODEL, "NotFound", "gone", 404), '{"Type":"User","Message":"gone"}');
    assert.equal(renderRestError(MODEL, "Conflict", "busy", 409), '{"Type":"User","message":"busy"}');
    assert.equal(renderRestError(MODEL, "Internal", "oops", 500), '{"Type":"Service","message":"oops"}');
    assert.deepEqual(restErrorHeaders("NotFound"), { "x-amzn-errortype": "NotFound" });
    assert.deepEqual([errorStatus(MODEL, "NotFound"), errorStatus(MODEL, "Conflict"), errorStatus(MODEL, "Nope")], [404, 409, undefined]);
  });
});
