/** Prefix-list rules (issue 16): names, sizes, entries, versions, restore, AWS-managed lists. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { awsManagedPrefixLists, entriesAt, modifyPrefixList, newPrefixList, restorePrefixList } from "./prefix-lists.js";

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return e.code;
  }
  return "ok";
};
const base = (entries: string[] = ["10.0.0.0/16"], maxEntries = 3) =>
  newPrefixList({
    id: "pl-00000000000000001",
    ownerId: "1",
    name: "n",
    addressFamily: "IPv4",
    maxEntries,
    entries: entries.map((cidr) => ({ cidr })),
    tags: [],
  });

describe("newPrefixList", () => {
  const cases: [string, () => unknown, string][] = [
    ["valid", () => base(), "ok"],
    ["canonical entries", () => assert.deepEqual(base(["10.1.2.3/16"]).versions[0]!.entries, [{ cidr: "10.1.0.0/16" }]), "ok"],
    [
      "reserved name",
      () => newPrefixList({ ...base(), addressFamily: "IPv4", entries: [], name: "com.amazonaws.x" }),
      "InvalidParameterValue",
    ],
    ["empty name", () => newPrefixList({ ...base(), addressFamily: "IPv4", entries: [], name: "" }), "InvalidParameterValue"],
    ["max 0", () => base([], 0), "InvalidParameterValue"],
    ["max 1001", () => base([], 1001), "InvalidParameterValue"],
    ["too many", () => base(["10.0.0.0/16", "10.1.0.0/16"], 1), "InvalidParameterValue"],
    ["IPv6 entry in IPv4 list", () => base(["::/0"]), "InvalidParameterValue"],
    ["duplicate", () => base(["10.0.0.0/16", "10.0.0.1/16"]), "InvalidParameterValue"],
  ];
  for (const [name, f, want] of cases) it(name, () => assert.equal(code(f), want));
});

describe("modifyPrefixList / restorePrefixList", () => {
  const limit = 1000;
  const cases: [string, () => unknown, string][] = [
    [
      "add makes version 2",
      () => assert.equal(modifyPrefixList(base(), { add: [{ cidr: "10.1.0.0/16" }], remove: [] }, limit).versions.length, 2),
      "ok",
    ],
    [
      "rename keeps the version",
      () => assert.equal(modifyPrefixList(base(), { name: "m", add: [], remove: [] }, limit).versions.length, 1),
      "ok",
    ],
    [
      "stale version",
      () => modifyPrefixList(base(), { currentVersion: 2, add: [{ cidr: "10.1.0.0/16" }], remove: [] }, limit),
      "PrefixListVersionMismatch",
    ],
    [
      "resize with entries",
      () => modifyPrefixList(base(), { maxEntries: 5, add: [{ cidr: "10.1.0.0/16" }], remove: [] }, limit),
      "InvalidParameterCombination",
    ],
    [
      "shrink below entries",
      () => modifyPrefixList(base(["10.0.0.0/16", "10.1.0.0/16"]), { maxEntries: 1, add: [], remove: [] }, limit),
      "InvalidParameterValue",
    ],
    ["remove missing", () => modifyPrefixList(base(), { add: [], remove: ["10.9.0.0/16"] }, limit), "InvalidPrefixListModification"],
    [
      "add existing",
      () => modifyPrefixList(base(), { add: [{ cidr: "10.0.0.0/16" }], remove: [] }, limit),
      "InvalidPrefixListModification",
    ],
    [
      "replace in one call",
      () =>
        assert.deepEqual(
          entriesAt(modifyPrefixList(base(), { add: [{ cidr: "10.0.0.0/16" }], remove: ["10.0.0.0/16"] }, limit), undefined),
          [{ cidr: "10.0.0.0/16" }],
        ),
      "ok",
    ],
    [
      "beyond MaxEntries",
      () => modifyPrefixList(base([], 1), { add: [{ cidr: "10.1.0.0/16" }, { cidr: "10.2.0.0/16" }], remove: [] }, limit),
      "InvalidParameterValue",
    ],
    ["version quota", () => modifyPrefixList(base(), { add: [{ cidr: "10.1.0.0/16" }], remove: [] }, 1), "PrefixListVersionLimitExceeded"],
    ["restore the current version", () => restorePrefixList(base(), 1, 1, limit), "InvalidParameterValue"],
    ["restore a missing version", () => restorePrefixList(base(), 5, 1, limit), "InvalidParameterValue"],
    [
      "restore version 1",
      () => {
        const v2 = modifyPrefixList(base(), { add: [], remove: ["10.0.0.0/16"] }, limit);
        const v3 = restorePrefixList(v2, 1, 2, limit);
        assert.deepEqual(entriesAt(v3, undefined), [{ cidr: "10.0.0.0/16" }]);
        assert.equal(v3.versions.at(-1)!.version, 3);
      },
      "ok",
    ],
  ];
  for (const [name, f, want] of cases) it(name, () => assert.equal(code(f), want));
});

describe("awsManagedPrefixLists", () => {
  it("has the published lists per region with 8-hex ids, real ids in us-east-1, weights as MaxEntries", () => {
    const l = awsManagedPrefixLists("us-east-1", (_r, name) => (name.endsWith(".s3") ? ["52.216.0.0/15"] : []));
    assert.equal(l.find((x) => x.name === "com.amazonaws.us-east-1.s3")!.id, "pl-63a5400a");
    assert.equal(l.find((x) => x.name === "com.amazonaws.us-east-1.dynamodb")!.id, "pl-02cd2c6b");
    assert.equal(l.find((x) => x.name === "com.amazonaws.global.cloudfront.origin-facing")!.maxEntries, 55);
    for (const x of l) assert.match(x.id, /^pl-[0-9a-f]{8}$/);
    assert.equal(new Set(l.map((x) => x.id)).size, l.length);
    const west = awsManagedPrefixLists("us-west-2", () => []);
    assert.ok(
      west.every((w) => !l.some((x) => x.id === w.id)),
      "ids differ per region",
    );
    assert.deepEqual(
      l.filter((x) => x.legacy).map((x) => x.name),
      ["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.dynamodb"],
    );
  });
});
