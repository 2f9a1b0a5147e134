/** Table tests for the instance state machine, launch validation and instance-type name facts. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  architectureOfType,
  defaultCreditOption,
  splitPrivateIps,
  transition,
  validateCounts,
  validateLaunchInterfaces,
  type InstanceAction,
  type LaunchInterface,
  type TypeLimits,
} from "./instances.js";
import { Ec2Error } from "./errors.js";
import { T3_MEDIUM_LIMITS } from "./type-limits.fixture.js";
import type { InstanceStateName } from "./types.js";

const throwsEc2 = (fn: () => unknown, code: string, message: string | RegExp): void =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Ec2Error, String(e));
    assert.equal(e.code, code);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });

describe("transition", () => {
  const cases: [InstanceStateName, InstanceAction, [InstanceStateName, InstanceStateName, InstanceStateName, boolean] | string][] = [
    ["running", "stop", ["stopped", "stopping", "running", true]],
    ["stopped", "stop", ["stopped", "stopped", "stopped", false]],
    ["stopped", "start", ["running", "pending", "stopped", true]],
    ["running", "start", ["running", "running", "running", false]],
    ["running", "terminate", ["terminated", "shutting-down", "running", true]],
    ["stopped", "terminate", ["terminated", "shutting-down", "stopped", true]],
    ["terminated", "terminate", ["terminated", "terminated", "terminated", false]],
    ["terminated", "start", "The instance 'i-1' is not in a state from which it can be started."],
    ["terminated", "stop", "The instance 'i-1' is not in a state from which it can be stopped."],
  ];
  for (const [from, action, expected] of cases) {
    it(`${from} + ${action}`, () => {
      if (typeof expected === "string") return throwsEc2(() => transition("i-1", from, action), "IncorrectInstanceState", expected);
      const t = transition("i-1", from, action);
      assert.deepEqual([t.stored, t.current, t.previous, t.changed], expected);
    });
  }
});

describe("instance-type facts", () => {
  const arch: [string, string][] = [
    ["t2.micro", "x86_64"],
    ["t4g.nano", "arm64"],
    ["m6gd.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["im4gn.large", "arm64"],
    ["is4gen.medium", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["g4dn.xlarge", "x86_64"],
    ["gr6.4xlarge", "x86_64"],
    ["a1.large", "arm64"],
    ["mac1.metal", "x86_64_mac"],
    ["mac2-m2.metal", "arm64_mac"],
    ["p5.48xlarge", "x86_64"],
    ["u7i-12tb.224xlarge", "x86_64"],
  ];
  for (const [t, a] of arch) it(`${t} is ${a}`, () => assert.equal(architectureOfType(t), a));
  const credits: [string, string | undefined][] = [
    ["t2.micro", "standard"],
    ["t3.micro", "unlimited"],
    ["t3a.large", "unlimited"],
    ["t4g.small", "unlimited"],
    ["t1.micro", undefined],
    ["m5.large", undefined],
  ];
  for (const [t, c] of credits) it(`${t} credits: ${c}`, () => assert.equal(defaultCreditOption(t), c));
});

describe("validateCounts", () => {
  it("accepts 1..1", () => validateCounts(1, 1));
  it("MinCount 0", () =>
    throwsEc2(
      () => validateCounts(0, 1),
      "InvalidParameterValue",
      "Value (0) for parameter MinCount is invalid. Expected a value greater than 0.",
    ));
  it("MinCount > MaxCount", () =>
    throwsEc2(
      () => validateCounts(3, 2),
      "InvalidParameterValue",
      "Value for parameter MinCount is invalid. MinCount must be less than or equal to MaxCount.",
    ));
});

describe("splitPrivateIps", () => {
  it("PrivateIpAddress is the primary", () =>
    assert.deepEqual(splitPrivateIps("10.0.0.5", undefined), { primaryIp: "10.0.0.5", secondaryIps: [] }));
  it("Primary flag wins; others are secondaries", () =>
    assert.deepEqual(splitPrivateIps(undefined, [{ PrivateIpAddress: "10.0.0.6" }, { PrivateIpAddress: "10.0.0.5", Primary: true }]), {
      primaryIp: "10.0.0.5",
      secondaryIps: ["10.0.0.6"],
    }));
  it("without a flag the first listed is primary", () =>
    assert.deepEqual(splitPrivateIps(undefined, [{ PrivateIpAddress: "10.0.0.7" }, { PrivateIpAddress: "10.0.0.8" }]), {
      primaryIp: "10.0.0.7",
      secondaryIps: ["10.0.0.8"],
    }));
  it("two primaries", () =>
    throwsEc2(
      () =>
        splitPrivateIps(undefined, [
          { PrivateIpAddress: "10.0.0.7", Primary: true },
          { PrivateIpAddress: "10.0.0.8", Primary: true },
        ]),
      "InvalidParameterValue",
      "Only one primary private IP address can be specified per network interface.",
    ));
});

describe("validateLaunchInterfaces", () => {
  const t3medium = T3_MEDIUM_LIMITS;
  const p5: TypeLimits = {
    ...t3medium,
    name: "p5.48xlarge",
    maxInterfaces: 64,
    maxCards: 32,
    cards: Array.from({ length: 32 }, (_, index) => ({ index, maxInterfaces: 2 })),
    efaSupported: true,
    maxEfaInterfaces: 32,
  };
  const nic = (o: Partial<LaunchInterface>): LaunchInterface => ({
    networkCardIndex: 0,
    secondaryIps: [],
    secondaryCount: 0,
    interfaceType: "interface",
    ...o,
  });
  const none = { groups: false };
  const cases: [
    string,
    LaunchInterface[],
    TypeLimits,
    Parameters<typeof validateLaunchInterfaces>[2],
    number,
    [string, string] | undefined,
  ][] = [
    ["one primary", [nic({ deviceIndex: 0 })], t3medium, none, 1, undefined],
    [
      "subnet at both levels",
      [nic({ deviceIndex: 0 })],
      t3medium,
      { groups: false, subnetId: "subnet-1" },
      1,
      ["InvalidParameterCombination", "Network interfaces and an instance-level subnet ID may not be specified on the same request"],
    ],
    [
      "groups at both levels",
      [nic({ deviceIndex: 0 })],
      t3medium,
      { groups: true },
      1,
      ["InvalidParameterCombination", "Network interfaces and an instance-level security groups may not be specified on the same request"],
    ],
    ["no device index", [nic({})], t3medium, none, 1, ["InvalidParameterValue", "Each network interface requires a device index."]],
    [
      "no device 0",
      [nic({ deviceIndex: 1 })],
      t3medium,
      none,
      1,
      ["InvalidParameterValue", "When specifying network interfaces, you must include a device at index 0."],
    ],
    [
      "public IP with two interfaces",
      [nic({ deviceIndex: 0, associatePublicIp: true }), nic({ deviceIndex: 1 })],
      t3medium,
      none,
      1,
      [
        "InvalidParameterCombination",
        "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces",
      ],
    ],
    [
      "four on t3.medium",
      [0, 1, 2, 3].map((d) => nic({ deviceIndex: d })),
      t3medium,
      none,
      1,
      ["AttachmentLimitExceeded", "Interface count 4 exceeds the limit for t3.medium"],
    ],
    [
      "device 3 on a 3-interface card",
      [nic({ deviceIndex: 0 }), nic({ deviceIndex: 3 })],
      t3medium,
      none,
      1,
      [
        "InvalidParameterValue",
        "The specified number '3' for the device index exceeds the maximum number of network interfaces supported by the network card at network card index 0. The maximum devices for this network card is 3. Specify a number from 0 to 2, and try again.",
      ],
    ],
    [
      "card 1 on a one-card type",
      [nic({ deviceIndex: 0 }), nic({ deviceIndex: 0, networkCardIndex: 1 })],
      t3medium,
      none,
      1,
      ["InvalidParameterValue", "Network card index 1 is not valid for instance type t3.medium."],
    ],
    [
      "EFA on t3.medium",
      [nic({ deviceIndex: 0, interfaceType: "efa" })],
      t3medium,
      none,
      1,
      ["InvalidParameterCombination", "t3.medium instances do not support Elastic Fabric Adapters."],
    ],
    [
      "EFA per card on p5",
      [0, 1, 2, 3].map((c) => nic({ deviceIndex: 0, networkCardIndex: c, interfaceType: "efa" })),
      p5,
      none,
      1,
      undefined,
    ],
    [
      "two EFAs on one card",
      [nic({ deviceIndex: 0, interfaceType: "efa" }), nic({ deviceIndex: 1, interfaceType: "efa" })],
      p5,
      none,
      1,
      ["InvalidParameterCombination", "The number of Elastic Fabric Adapters exceeds the limit for p5.48xlarge."],
    ],
    [
      "efa-only primary",
      [nic({ deviceIndex: 0, interfaceType: "efa-only" })],
      p5,
      none,
      1,
      ["InvalidParameterCombination", "The network interface at device index 0 and network card index 0 cannot be of type efa-only."],
    ],
    [
      "bad interface type",
      [nic({ deviceIndex: 0, interfaceType: "trunk" })],
      p5,
      none,
      1,
      ["InvalidParameterValue", "Value (trunk) for parameter interfaceType is invalid. Allowed values: interface, efa, efa-only."],
    ],
    [
      "duplicate slot",
      [nic({ deviceIndex: 0 }), nic({ deviceIndex: 0 })],
      t3medium,
      none,
      1,
      ["InvalidParameterValue", "More than one network interface specifies device index '0'."],
    ],
    [
      "too many IPs",
      [nic({ deviceIndex: 0, secondaryCount: 6 })],
      t3medium,
      none,
      1,
      [
        "InvalidInterface.IpAddressLimitExceeded",
        "The number of private IP addresses for a specified network interface exceeds the limit for the type of instance you are trying to launch.",
      ],
    ],
    [
      "IPv6 on a type without IPv6",
      [nic({ deviceIndex: 0, ipv6Count: 1 })],
      { ...t3medium, name: "m1.small", ipv6Supported: false },
      none,
      1,
      ["InvalidParameterCombination", "The instance type m1.small does not support IPv6."],
    ],
    [
      "existing ENI for two instances",
      [nic({ deviceIndex: 0, networkInterfaceId: "eni-1" })],
      t3medium,
      none,
      2,
      ["InvalidParameterCombination", "Cannot specify an existing network interface when launching more than one instance."],
    ],
    [
      "existing ENI with DOT",
      [nic({ deviceIndex: 0, networkInterfaceId: "eni-1", deleteOnTermination: true })],
      t3medium,
      none,
      1,
      ["InvalidParameterCombination", "A network interface may not specify both a network interface ID and DeleteOnTermination=true"],
    ],
    [
      "explicit IP for two instances (instance level)",
      [],
      t3medium,
      { groups: false, privateIp: "10.0.0.5" },
      2,
      ["InvalidParameterCombination", "Cannot specify a private IP address when launching more than one instance."],
    ],
  ];
  for (const [name, specs, limits, level, count, expected] of cases) {
    it(name, () => {
      if (!expected) return validateLaunchInterfaces(specs, limits, level, count);
      const [code, message] = expected;
      throwsEc2(() => validateLaunchInterfaces(specs, limits, level, count), code, message);
    });
  }
});
