import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asList, asObject, asString, parseXml } from "./ec2-query.js";

describe("parseXml (the scenario client's reader of EC2 answers)", () => {
  it("reads item lists as arrays, empty sets as empty lists, and decodes entities", () => {
    const x = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>
<DescribeNetworkInterfacesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId>
<networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId><description>a &amp; b</description>
<groupSet/><privateIpAddressesSet><item><privateIpAddress>10.0.0.5</privateIpAddress></item><item><privateIpAddress>10.0.0.6</privateIpAddress></item></privateIpAddressesSet>
<attachment><deviceIndex>1</deviceIndex></attachment></item></networkInterfaceSet></DescribeNetworkInterfacesResponse>`,
    );
    const [eni] = asList(x["networkInterfaceSet"]);
    assert.ok(eni);
    assert.equal(asString(eni["networkInterfaceId"]), "eni-1");
    assert.equal(asString(eni["description"]), "a & b");
    assert.deepEqual(asList(eni["groupSet"]), []);
    assert.deepEqual(
      asList(eni["privateIpAddressesSet"]).map((i) => asString(i["privateIpAddress"])),
      ["10.0.0.5", "10.0.0.6"],
    );
    assert.equal(asString(asObject(eni["attachment"])["deviceIndex"]), "1");
  });

  it("reads the Query protocol's member lists (ELBv2) as arrays too", () => {
    const x = parseXml(
      `<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeTargetHealthResult>
<TargetHealthDescriptions><member><Target><Id>i-1</Id><Port>80</Port></Target><TargetHealth><State>healthy</State></TargetHealth></member>
<member><Target><Id>i-2</Id></Target><TargetHealth><State>unhealthy</State></TargetHealth></member></TargetHealthDescriptions>
</DescribeTargetHealthResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetHealthResponse>`,
    );
    const result = asObject(x["DescribeTargetHealthResult"]);
    assert.deepEqual(
      asList(result["TargetHealthDescriptions"]).map((d) => [
        asString(asObject(d["Target"])["Id"]),
        asString(asObject(d["TargetHealth"])["State"]),
      ]),
      [
        ["i-1", "healthy"],
        ["i-2", "unhealthy"],
      ],
    );
  });

  it("reads an error answer", () => {
    const x = parseXml(
      `<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-1' does not exist</Message></Error></Errors><RequestID>r</RequestID></Response>`,
    );
    const e = asObject(asObject(x["Errors"])["Error"]);
    assert.equal(asString(e["Code"]), "InvalidVpcID.NotFound");
    assert.equal(asString(e["Message"]), "The vpc ID 'vpc-1' does not exist");
  });
});
