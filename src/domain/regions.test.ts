import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  AWS_REGIONS,
  KNOWN_REGIONS,
  OPT_IN_REGIONS,
  ec2Endpoint,
  listedRegions,
  optInRegionSet,
  optInStatus,
  partitionOf,
  regionEnabled,
  regionInfo,
} from "./regions.js";

describe("regions", () => {
  it("every opt-in region is an AWS region of the aws partition; KNOWN_REGIONS are the 17 others", () => {
    for (const r of OPT_IN_REGIONS) assert.ok(AWS_REGIONS.has(r) && partitionOf(r) === "aws", r);
    assert.equal(KNOWN_REGIONS.length, 17);
    assert.ok(KNOWN_REGIONS.every((r) => !OPT_IN_REGIONS.has(r)));
  });

  it("every region has zones whose ids are unique and whose names start with the region", () => {
    for (const r of AWS_REGIONS) {
      const zones = regionInfo(r).zones;
      assert.ok(zones.length >= 2, r);
      assert.equal(new Set(zones.map((z) => z.zoneId)).size, zones.length, r);
      assert.ok(
        zones.every((z) => /^[a-f]$/.test(z.zoneName.slice(r.length)) && z.zoneName.startsWith(r)),
        r,
      );
    }
    assert.deepEqual(regionInfo("mars-east-1").zones, []);
  });

  const opted = new Set(["af-south-1"]);
  const statusCases: [region: string, status: string, enabled: boolean][] = [
    ["us-east-1", "opt-in-not-required", true],
    ["af-south-1", "opted-in", true],
    ["ap-east-1", "not-opted-in", false],
    ["cn-north-1", "opt-in-not-required", true],
    ["us-gov-west-1", "opt-in-not-required", true],
  ];
  for (const [region, status, enabled] of statusCases) {
    it(`${region}: ${status}`, () => {
      assert.equal(optInStatus(region, opted), status);
      assert.equal(regionEnabled(region, opted), enabled);
    });
  }
  it("a name that is no AWS region is never enabled", () => assert.equal(regionEnabled("mars-east-1", opted), false));

  const partitionCases: [caller: string, all: boolean, count: number][] = [
    ["us-east-1", false, 18],
    ["us-east-1", true, 34],
    ["cn-north-1", true, 2],
    ["us-gov-east-1", false, 2],
    ["eusc-de-east-1", true, 1],
  ];
  for (const [caller, all, count] of partitionCases) {
    it(`listedRegions(${caller}, AllRegions=${all}) has ${count}`, () => assert.equal(listedRegions(caller, opted, all).length, count));
  }

  it("endpoints follow the partition", () => {
    assert.equal(ec2Endpoint("us-west-2"), "ec2.us-west-2.amazonaws.com");
    assert.equal(ec2Endpoint("cn-northwest-1"), "ec2.cn-northwest-1.amazonaws.com.cn");
  });

  it("--regions accepts AWS regions only", () => {
    assert.deepEqual([...optInRegionSet(["af-south-1", "us-east-1"])], ["af-south-1", "us-east-1"]);
    assert.throws(() => optInRegionSet(["af-south-1", "mars-east-1"]), /not an AWS region: mars-east-1/);
  });
});
