import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkTypeOffered, offeringRows, type RegionOfferings } from "./offerings.js";
import { Ec2Error } from "./errors.js";

const region: RegionOfferings = {
  region: "us-east-1",
  known: true,
  zones: [
    { zoneName: "us-east-1a", zoneId: "use1-az2", types: new Set(["t3.micro", "m5.large"]) },
    { zoneName: "us-east-1b", zoneId: "use1-az4", types: new Set(["t3.micro"]) },
    { zoneName: "us-east-1e", zoneId: "use1-az3", types: new Set(["t2.micro"]) },
  ],
  types: new Set(["t3.micro", "m5.large", "t2.micro"]),
};

const outcome = (type: string, zone: string): string => {
  try {
    checkTypeOffered(region, type, zone);
    return "ok";
  } catch (e) {
    assert.ok(e instanceof Ec2Error);
    return `${e.code}: ${e.message}`;
  }
};

describe("checkTypeOffered", () => {
  const cases: [type: string, zone: string, expected: string][] = [
    ["t3.micro", "us-east-1a", "ok"],
    ["t2.micro", "us-east-1e", "ok"],
    [
      "t3.micro",
      "us-east-1e",
      "Unsupported: Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). " +
        "Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b.",
    ],
    [
      "m5.large",
      "us-east-1b",
      "Unsupported: Your requested instance type (m5.large) is not supported in your requested Availability Zone (us-east-1b). " +
        "Please retry your request by not specifying an Availability Zone or choosing us-east-1a.",
    ],
    [
      "p5.48xlarge",
      "us-east-1a",
      "Unsupported: The requested configuration is currently not supported. Please check the documentation for supported configurations.",
    ],
    // A zone the table does not know is not this rule's business (the zone rules refuse it first).
    ["p5.48xlarge", "us-east-1z", "ok"],
  ];
  for (const [type, zone, expected] of cases) it(`${type} in ${zone}`, () => assert.equal(outcome(type, zone), expected));
});

describe("offeringRows", () => {
  it("region: every type once, in name order", () => {
    assert.deepEqual(
      offeringRows(region, "region").map((r) => [r.InstanceType, r.Location, r.LocationType]),
      [
        ["m5.large", "us-east-1", "region"],
        ["t2.micro", "us-east-1", "region"],
        ["t3.micro", "us-east-1", "region"],
      ],
    );
  });
  it("availability-zone: zones in name order, types in name order", () => {
    assert.deepEqual(
      offeringRows(region, "availability-zone").map((r) => `${r.Location}/${r.InstanceType}`),
      ["us-east-1a/m5.large", "us-east-1a/t3.micro", "us-east-1b/t3.micro", "us-east-1e/t2.micro"],
    );
  });
  it("availability-zone-id: ordered by zone id, not by name", () => {
    assert.deepEqual(
      offeringRows(region, "availability-zone-id").map((r) => `${r.Location}/${r.InstanceType}`),
      ["use1-az2/m5.large", "use1-az2/t3.micro", "use1-az3/t2.micro", "use1-az4/t3.micro"],
    );
  });
});
