/** Table tests of the pure EBS rules (domain/volumes.ts). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Ec2Error } from "./errors.js";
import { checkDeviceName, checkVolumeSpec, modifiedSpec, newVolumeSpec, settleVolume } from "./volumes.js";
import type { VolumeRecord } from "./types.js";

const volume: VolumeRecord = {
  kind: "volume",
  id: "vol-0123456789abcdef0",
  tags: [],
  ownerId: "000000000000",
  availabilityZone: "us-east-1a",
  size: 10,
  volumeType: "gp2",
  iops: 100,
  encrypted: false,
  multiAttachEnabled: false,
  state: "in-use",
  createTime: "2025-01-01T00:00:00.000Z",
  attachment: {
    instanceId: "i-0123456789abcdef0",
    device: "/dev/sdf",
    state: "attaching",
    attachTime: "2025-01-01T00:00:00.000Z",
    deleteOnTermination: false,
  },
  instanceId: "i-0123456789abcdef0",
  settlesAt: "2025-01-01T00:00:05.000Z",
};

describe("volume specs", () => {
  const ok: [string, Parameters<typeof checkVolumeSpec>[0], Partial<ReturnType<typeof checkVolumeSpec>>][] = [
    ["gp2 baseline 3 IOPS/GiB, at least 100", { size: 10, volumeType: "gp2" }, { iops: 100 }],
    ["gp2 baseline capped at 16000", { size: 16000, volumeType: "gp2" }, { iops: 16000 }],
    ["gp3 defaults", { size: 1, volumeType: "gp3" }, { iops: 3000, throughput: 125 }],
    ["io2 at 1000 IOPS/GiB", { size: 4, volumeType: "io2", iops: 4000 }, { iops: 4000 }],
    ["st1 has no IOPS", { size: 125, volumeType: "st1" }, { iops: undefined }],
  ];
  for (const [name, spec, want] of ok)
    it(name, () => {
      const got = checkVolumeSpec(spec);
      for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof typeof got], v);
    });
  const bad: [string, Parameters<typeof checkVolumeSpec>[0]][] = [
    ["io1 below 4 GiB", { size: 3, volumeType: "io1", iops: 100 }],
    ["standard above 1 TiB", { size: 1025, volumeType: "standard" }],
    ["io1 above 50 IOPS/GiB", { size: 10, volumeType: "io1", iops: 600 }],
    ["gp3 above 0.25 MiB/s per IOPS", { size: 100, volumeType: "gp3", throughput: 1000 }],
  ];
  for (const [name, spec] of bad) it(`rejects ${name}`, () => assert.throws(() => checkVolumeSpec(spec), Ec2Error));
  it("a snapshot sets the size and the minimum", () => {
    assert.equal(newVolumeSpec({}, { id: "snap-1", size: 8 }, "gp2").size, 8);
    assert.throws(() => newVolumeSpec({ size: 4 }, { id: "snap-1", size: 8 }, "gp2"), /smaller than snapshot/);
  });
  it("ModifyVolume keeps unspecified members of the same type and never shrinks", () => {
    assert.deepEqual(modifiedSpec({ ...volume, volumeType: "gp3", iops: 4000, throughput: 200 }, { size: 20 }), {
      size: 20,
      volumeType: "gp3",
      iops: 4000,
      throughput: 200,
    });
    assert.throws(() => modifiedSpec(volume, { size: 5 }), Ec2Error);
  });
});

describe("device names", () => {
  for (const d of ["/dev/sdf", "xvdh", "/dev/xvdba", "/dev/sda1"]) it(`accepts ${d} on Linux`, () => checkDeviceName(d, "linux"));
  for (const d of ["/dev/sdk1", "/dev/foo", "/dev/xvdza"])
    it(`rejects ${d} on Linux`, () => assert.throws(() => checkDeviceName(d, "linux"), Ec2Error));
  it("Windows takes xvd[b-z] and /dev/sd[b-e] only", () => {
    checkDeviceName("xvdf", "windows");
    assert.throws(() => checkDeviceName("/dev/sdf", "windows"), Ec2Error);
  });
});

describe("settleVolume", () => {
  it("attaching becomes attached once due, not before", () => {
    assert.equal(settleVolume(volume, new Date("2025-01-01T00:00:04.000Z")), volume);
    assert.equal(settleVolume(volume, new Date("2025-01-01T00:00:05.000Z")).attachment?.state, "attached");
  });
  it("detaching becomes available without attachment", () => {
    const v = settleVolume({ ...volume, attachment: { ...volume.attachment!, state: "detaching" } }, new Date("2025-01-01T00:01:00.000Z"));
    assert.deepEqual([v.state, v.attachment, v.instanceId], ["available", undefined, undefined]);
  });
});
