/**
 * Test fixture: instance-type facts the pod-capacity rules read (DescribeInstanceTypes: NetworkCards[0].
 * MaximumNetworkInterfaces, Ipv4AddressesPerInterface, DefaultVCpus, Hypervisor), and the Ec2Error catcher the EKS
 * table tests share.
 */
import type { PodCapacityFacts } from "./eks.js";
import { Ec2Error } from "./errors.js";

export const POD_TYPES: Readonly<Record<string, PodCapacityFacts>> = {
  "m5.large": { enis: 3, ipv4PerEni: 10, vcpus: 2, nitro: true },
  "t3.small": { enis: 3, ipv4PerEni: 4, vcpus: 2, nitro: true },
  "t3.medium": { enis: 3, ipv4PerEni: 6, vcpus: 2, nitro: true },
  "m5.xlarge": { enis: 4, ipv4PerEni: 15, vcpus: 4, nitro: true },
  "c5.18xlarge": { enis: 15, ipv4PerEni: 50, vcpus: 72, nitro: true },
  // Four network cards of 15 ENIs: only card 0 counts ("only one network card is supported").
  "p4d.24xlarge": { enis: 15, ipv4PerEni: 50, vcpus: 96, nitro: true },
  "t2.micro": { enis: 2, ipv4PerEni: 2, vcpus: 1, nitro: false },
};

/** "CODE: message" of the Ec2Error `fn` throws, or "ok". */
export const failureOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    // Anything but a rule's error is a bug: let it fail the test. (domain/ stays free of Node modules, even in fixtures.)
    if (!(e instanceof Ec2Error)) throw e;
    return `${e.code}: ${e.message}`;
  }
  return "ok";
};
