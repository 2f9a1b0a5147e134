/**
 * Table tests for the port index (SG rules, NACL entries): for every protocol, port and peer the index finds the
 * rule a linear scan finds first, so an SG hop names the same rule (and untracked flows are judged by it) and a
 * NACL's lowest-numbered match decides.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ipv4ToNumber, parseNet } from "./ip.js";
import { firstMatch, indexByPort, type PortRule } from "./port-index.js";

interface TestRule extends PortRule {
  readonly id: string;
}

/** A rule whose peer is a CIDR, a set of member addresses (a group reference), or nothing (a group not in scope). */
const rule = (id: string, proto: number, from: number, to: number, peer: string | readonly string[] | null = "0.0.0.0/0"): TestRule => ({
  id,
  proto,
  from,
  to,
  cidr: typeof peer === "string" ? parseNet(peer) : undefined,
  members: typeof peer === "string" || peer === null ? undefined : new Set(peer.map((a) => ipv4ToNumber(a)!)),
});

/** What the evaluator did before the index: scan every rule, test protocol, ports and peer. */
const fits = (r: PortRule, proto: number, port: number, peer: number): boolean => {
  if (r.proto !== -1 && r.proto !== proto) return false;
  if ((r.proto === 6 || r.proto === 17) && (port < r.from || port > r.to)) return false;
  if (r.proto === 1 && r.from !== -1 && r.from !== port) return false;
  if (r.cidr !== undefined) return (peer & r.cidr.mask) >>> 0 === r.cidr.net;
  return r.members !== undefined && r.members.has(peer);
};
const scan = (rules: readonly TestRule[], proto: number, port: number, peer: number): string | null =>
  rules.find((r) => fits(r, proto, port, peer))?.id ?? null;
const found = (rules: readonly TestRule[], proto: number, port: number, peer: number): string | null => {
  const i = firstMatch(indexByPort(rules), proto, port, peer);
  return i < 0 ? null : rules[i]!.id;
};

describe("port index", () => {
  const rules = [
    rule("tcp-443-from-subnet-1", 6, 443, 443, "10.0.1.0/24"),
    rule("tcp-1000-2000-from-vpc", 6, 1000, 2000, "10.0.0.0/16"),
    rule("all-from-home", -1, -1, -1, "192.168.0.0/16"),
    rule("tcp-1500-1600-from-group", 6, 1500, 1600, ["10.9.9.9", "172.31.5.5"]),
    rule("tcp-443-from-group-out-of-scope", 6, 443, 443, null),
    rule("tcp-all-from-172", 6, 0, 65535, "172.16.0.0/12"),
    rule("udp-53", 17, 53, 53),
    rule("icmp-echo", 1, 8, -1, "10.0.0.0/8"),
    rule("icmp-any-from-host", 1, -1, -1, "203.0.113.9/32"),
    rule("gre", 47, -1, -1),
  ];
  const cases: [string, number, number, string, string | null][] = [
    ["tcp 443 from the subnet", 6, 443, "10.0.1.7", "tcp-443-from-subnet-1"],
    ["tcp 443 from elsewhere in the VPC", 6, 443, "10.0.2.7", null],
    ["tcp 443 from home (the all-protocols rule)", 6, 443, "192.168.4.4", "all-from-home"],
    ["tcp 444 from the subnet (just past a single-port rule)", 6, 444, "10.0.1.7", null],
    ["tcp 1000 (a range's first port)", 6, 1000, "10.0.200.1", "tcp-1000-2000-from-vpc"],
    ["tcp 2000 (a range's last port)", 6, 2000, "10.0.200.1", "tcp-1000-2000-from-vpc"],
    ["tcp 2001", 6, 2001, "10.0.200.1", null],
    ["tcp 1550 from a group member outside the VPC range", 6, 1550, "10.9.9.9", "tcp-1500-1600-from-group"],
    ["tcp 1550 from a group member that a later rule also allows", 6, 1550, "172.31.5.5", "tcp-1500-1600-from-group"],
    ["tcp 1601 from that member: only the later rule", 6, 1601, "172.31.5.5", "tcp-all-from-172"],
    ["tcp 1550 from a non-member", 6, 1550, "10.9.9.8", null],
    ["a rule whose group is not in scope matches nobody", 6, 443, "0.0.0.0", null],
    ["tcp port 0 from 172.16/12", 6, 0, "172.20.0.1", "tcp-all-from-172"],
    ["tcp 65535 from 172.16/12", 6, 65535, "172.31.255.255", "tcp-all-from-172"],
    ["tcp from just above 172.16/12 (a mask above 2^31)", 6, 80, "172.32.0.0", null],
    ["udp 53 from anywhere", 17, 53, "198.51.100.1", "udp-53"],
    ["udp 54", 17, 54, "198.51.100.1", null],
    ["udp 54 from home", 17, 54, "192.168.0.1", "all-from-home"],
    ["icmp echo request from the VPC", 1, 8, "10.1.2.3", "icmp-echo"],
    ["icmp echo reply from the VPC", 1, 0, "10.1.2.3", null],
    ["icmp echo reply from the host", 1, 0, "203.0.113.9", "icmp-any-from-host"],
    ["gre", 47, 0, "8.8.8.8", "gre"],
    ["esp (no rule of its own) from home", 50, 0, "192.168.1.1", "all-from-home"],
    ["esp from elsewhere", 50, 0, "8.8.8.8", null],
  ];
  for (const [name, proto, port, peer, want] of cases)
    it(name, () => {
      const n = ipv4ToNumber(peer)!;
      assert.equal(found(rules, proto, port, n), want);
      assert.equal(found(rules, proto, port, n), scan(rules, proto, port, n));
    });

  it("NACL entries keep their rule-number order: a deny below an allow-all comes first", () => {
    const entries = [
      { n: 10, allow: false, proto: 6, from: 1000, to: 1050, cidr: parseNet("0.0.0.0/0") },
      { n: 20, allow: true, proto: 17, from: 53, to: 53, cidr: parseNet("0.0.0.0/0") },
      { n: 100, allow: true, proto: -1, from: -1, to: -1, cidr: parseNet("0.0.0.0/0") },
    ];
    const index = indexByPort(entries);
    const peer = ipv4ToNumber("10.0.0.1")!;
    assert.equal(entries[firstMatch(index, 6, 1020, peer)]!.n, 10);
    assert.equal(entries[firstMatch(index, 6, 443, peer)]!.n, 100);
    assert.equal(entries[firstMatch(index, 17, 53, peer)]!.n, 20);
    assert.equal(entries[firstMatch(index, 1, 8, peer)]!.n, 100);
  });

  it("no rules: nothing for any protocol", () => {
    for (const proto of [6, 17, 1, 47]) assert.equal(firstMatch(indexByPort([]), proto, 80, 0), -1);
  });

  it("agrees with a linear scan on random rule lists at every port bound and for every peer", () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const peers = ["10.0.0.1", "10.0.1.9", "10.1.0.1", "172.31.0.5", "192.168.7.7", "203.0.113.5", "0.0.0.0", "255.255.255.255"];
    const cidrs = [
      "0.0.0.0/0",
      "10.0.0.0/8",
      "10.0.0.0/16",
      "10.0.1.0/24",
      "172.16.0.0/12",
      "192.168.0.0/16",
      "203.0.113.5/32",
      "128.0.0.0/1",
    ];
    for (let list = 0; list < 50; list++) {
      const rs: TestRule[] = [];
      for (let i = 0; i < 1 + rand(40); i++) {
        const proto = [6, 6, 6, 17, 1, -1, 47][rand(7)]!;
        const from = proto === 6 || proto === 17 ? rand(65536) : proto === 1 ? rand(3) - 1 : -1;
        const to = proto === 6 || proto === 17 ? Math.min(65535, from + rand(3000)) : -1;
        const kind = rand(5);
        const peer = kind === 0 ? [peers[rand(peers.length)]!, peers[rand(peers.length)]!] : kind === 1 ? null : cidrs[rand(cidrs.length)]!;
        rs.push(rule(`r${i}`, proto, from, to, peer));
      }
      const ports = new Set([0, 1, 65535, ...rs.flatMap((r) => [r.from - 1, r.from, r.to, r.to + 1])].filter((p) => p >= 0 && p <= 65535));
      for (const proto of [6, 17, 1, 47])
        for (const port of ports)
          for (const peer of peers) {
            const n = ipv4ToNumber(peer)!;
            assert.equal(found(rs, proto, port, n), scan(rs, proto, port, n), `${proto}/${port} from ${peer}`);
          }
    }
  });
});
