/** Table tests for DHCP options set parsing and the default set. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultDhcpConfigurations, parseDhcpConfigurations } from "./dhcp-options.js";
import { Ec2Error } from "./errors.js";

describe("parseDhcpConfigurations", () => {
  const ok: [string, { key: string; values: string[] }[], { key: string; values: string[] }[]][] = [
    [
      "AmazonProvidedDNS",
      [{ key: "domain-name-servers", values: ["AmazonProvidedDNS"] }],
      [{ key: "domain-name-servers", values: ["AmazonProvidedDNS"] }],
    ],
    [
      "comma-separated servers",
      [{ key: "domain-name-servers", values: ["10.0.0.2, 10.0.0.3"] }],
      [{ key: "domain-name-servers", values: ["10.0.0.2", "10.0.0.3"] }],
    ],
    ["IPv6 name server", [{ key: "ntp-servers", values: ["2001:db8::1"] }], [{ key: "ntp-servers", values: ["2001:db8::1"] }]],
    [
      "several domains in one value",
      [{ key: "domain-name", values: ["a.example b.example"] }],
      [{ key: "domain-name", values: ["a.example b.example"] }],
    ],
    ["node type 8", [{ key: "netbios-node-type", values: ["8"] }], [{ key: "netbios-node-type", values: ["8"] }]],
  ];
  for (const [name, input, want] of ok) it(`accepts ${name}`, () => assert.deepEqual(parseDhcpConfigurations(input), want));

  const bad: [string, { key?: string; values?: string[] }[], RegExp][] = [
    ["an unknown key", [{ key: "routers", values: ["10.0.0.1"] }], /Unknown DHCP option/],
    ["a missing key", [{ values: ["10.0.0.1"] }], /Unknown DHCP option/],
    [
      "a repeated key",
      [
        { key: "ntp-servers", values: ["10.0.0.1"] },
        { key: "ntp-servers", values: ["10.0.0.2"] },
      ],
      /Duplicate/,
    ],
    ["five NetBIOS servers", [{ key: "netbios-name-servers", values: ["1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5"] }], /maximum of 4/],
    ["two domain names", [{ key: "domain-name", values: ["a.example", "b.example"] }], /maximum of 1/],
    ["node type 3", [{ key: "netbios-node-type", values: ["3"] }], /netbios-node-type/],
    ["a host name as server", [{ key: "netbios-name-servers", values: ["wins.example"] }], /Expecting an IPv4 or IPv6 address/],
    ["no values", [{ key: "domain-name", values: [" "] }], /At least one value/],
  ];
  for (const [name, input, message] of bad) {
    it(`refuses ${name}`, () =>
      assert.throws(
        () => parseDhcpConfigurations(input),
        (e: unknown) => e instanceof Ec2Error && e.code === "InvalidParameterValue" && message.test(e.message),
      ));
  }
});

describe("defaultDhcpConfigurations", () => {
  for (const [region, domain] of [
    ["us-east-1", "ec2.internal"],
    ["eu-west-1", "eu-west-1.compute.internal"],
    ["ap-northeast-1", "ap-northeast-1.compute.internal"],
  ] as const) {
    it(region, () =>
      assert.deepEqual(defaultDhcpConfigurations(region), [
        { key: "domain-name", values: [domain] },
        { key: "domain-name-servers", values: ["AmazonProvidedDNS"] },
      ]),
    );
  }
});
