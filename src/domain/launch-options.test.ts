/** Table tests for the pure launch-option rules in instances.ts (user data, credits, root volume, instance profile). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { instanceProfileRef, launchCredits, launchRootVolume, userDataFromBase64, USER_DATA_MAX_BYTES } from "./instances.js";

const throwsCode = (f: () => unknown, code: string): void => {
  assert.throws(f, (e: unknown) => e instanceof Ec2Error && e.code === code);
};

describe("userDataFromBase64", () => {
  const ok: [string, string, string][] = [
    ["padded", "aGVsbG8=", "aGVsbG8="],
    ["unpadded gets padding", "aGVsbG8", "aGVsbG8="],
    ["line-wrapped", "aGVs\nbG8=", "aGVsbG8="],
    ["empty", "", ""],
  ];
  for (const [name, input, expected] of ok) it(name, () => assert.equal(userDataFromBase64(input), expected));
  it("rejects text that is not base64", () => throwsCode(() => userDataFromBase64("not base64!"), "InvalidParameterValue"));
  it("rejects a length no base64 text can have", () => throwsCode(() => userDataFromBase64("abcde"), "InvalidParameterValue"));
  it(`accepts exactly ${USER_DATA_MAX_BYTES} bytes and rejects one more`, () => {
    assert.doesNotThrow(() => userDataFromBase64(Buffer.alloc(USER_DATA_MAX_BYTES).toString("base64")));
    throwsCode(() => userDataFromBase64(Buffer.alloc(USER_DATA_MAX_BYTES + 1).toString("base64")), "InvalidParameterValue");
  });
});

describe("launchCredits", () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ["t3.micro", undefined, undefined],
    ["t3.micro", "standard", "standard"],
    ["t2.micro", "unlimited", "unlimited"],
    ["t4g.nano", "Unlimited", "unlimited"],
  ];
  for (const [type, value, expected] of cases)
    it(`${type} ${String(value)} → ${String(expected)}`, () => assert.equal(launchCredits(type, value), expected));
  it("rejects credits on a non-burstable type", () =>
    throwsCode(() => launchCredits("m5.large", "standard"), "InstanceCreditSpecification.NotSupported"));
  it("rejects an unknown credit option", () => throwsCode(() => launchCredits("t3.micro", "turbo"), "InvalidParameterValue"));
});

describe("launchRootVolume", () => {
  const image = { size: 8, snapshotId: "snap-0a1b2c3d4e5f60001" };
  const cases: [string, Parameters<typeof launchRootVolume>[0], Partial<ReturnType<typeof launchRootVolume>>][] = [
    [
      "defaults: gp3 at the image size, 3000 IOPS / 125 MiB/s",
      {},
      { size: 8, volumeType: "gp3", iops: 3000, throughput: 125, encrypted: false, deleteOnTermination: true },
    ],
    ["gp2 gets 3 IOPS per GiB, at least 100", { volumeType: "gp2", volumeSize: 20 }, { iops: 100, throughput: undefined }],
    ["gp2 IOPS scale with size", { volumeType: "gp2", volumeSize: 100 }, { iops: 300 }],
    ["gp2 IOPS cap at 16000", { volumeType: "gp2", volumeSize: 16000 }, { iops: 16000 }],
    ["io2 keeps its provisioned IOPS", { volumeType: "io2", volumeSize: 100, iops: 5000 }, { iops: 5000 }],
    ["flags are kept", { encrypted: true, deleteOnTermination: false }, { encrypted: true, deleteOnTermination: false }],
  ];
  for (const [name, req, expected] of cases) {
    it(name, () => {
      const v = launchRootVolume(req, image);
      for (const [k, value] of Object.entries(expected)) assert.equal(v[k as keyof typeof v], value, k);
    });
  }
  const errors: [string, Parameters<typeof launchRootVolume>[0]][] = [
    ["smaller than the image", { volumeSize: 4 }],
    ["unknown volume type", { volumeType: "ssd" }],
    ["IOPS on gp2", { volumeType: "gp2", iops: 3000 }],
    ["io1 without IOPS", { volumeType: "io1" }],
    ["throughput on io2", { volumeType: "io2", iops: 3000, throughput: 200 }],
    ["larger than the type's maximum", { volumeType: "gp3", volumeSize: 1_000_000 }],
  ];
  for (const [name, req] of errors) it(`rejects: ${name}`, () => assert.throws(() => launchRootVolume(req, image), Ec2Error));
});

describe("instanceProfileRef", () => {
  it("builds the ARN from a name", () =>
    assert.deepEqual(instanceProfileRef({ Name: "web" }, "123456789012"), {
      name: "web",
      arn: "arn:aws:iam::123456789012:instance-profile/web",
    }));
  it("keeps a path from an ARN", () =>
    assert.deepEqual(instanceProfileRef({ Arn: "arn:aws:iam::123456789012:instance-profile/team/web" }, "123456789012"), {
      name: "web",
      arn: "arn:aws:iam::123456789012:instance-profile/team/web",
    }));
  it("neither given → none", () => assert.equal(instanceProfileRef({}, "123456789012"), undefined));
  it("rejects a malformed ARN", () =>
    assert.throws(() => instanceProfileRef({ Arn: "arn:aws:iam::x:role/web" }, "123456789012"), Ec2Error));
  it("rejects an ARN and a name that disagree", () =>
    assert.throws(
      () => instanceProfileRef({ Arn: "arn:aws:iam::123456789012:instance-profile/web", Name: "db" }, "123456789012"),
      Ec2Error,
    ));
});
