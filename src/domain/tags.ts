/** Tag rules (spec §1.9): keys 1–128 characters, not starting with `aws:`; values ≤ 256; ≤ 50 tags per resource. */
import { err } from "./errors.js";
import type { ResourceKind, Tag } from "./types.js";

/**
 * AWS's resource-type name (the `ResourceType` enum of TagSpecification and DescribeTags) of each taggable kind. It is
 * not always the kind's name: a NAT gateway is `natgateway` and a flow log `vpc-flow-log`, and tools filter DescribeTags
 * by these names (Ansible's ec2_vpc_nat_gateway filters `resource-type=natgateway`). Kinds missing here (the simulated
 * world's records, permissions, links) are not EC2 resources and have no tags.
 */
export const AWS_RESOURCE_TYPE: Readonly<Partial<Record<ResourceKind, string>>> = {
  vpc: "vpc",
  subnet: "subnet",
  "security-group": "security-group",
  "internet-gateway": "internet-gateway",
  "route-table": "route-table",
  "network-acl": "network-acl",
  instance: "instance",
  "network-interface": "network-interface",
  "elastic-ip": "elastic-ip",
  "flow-log": "vpc-flow-log",
  "nat-gateway": "natgateway",
  "byoip-cidr": "ipv4pool-ec2",
  "key-pair": "key-pair", // issue 15
  "placement-group": "placement-group", // issue 15
  image: "image", // issue 15
  "launch-template": "launch-template", // issue 15
  "dhcp-options": "dhcp-options", // issue 16
  "egress-only-internet-gateway": "egress-only-internet-gateway", // issue 16
  "subnet-cidr-reservation": "subnet-cidr-reservation", // issue 16
  volume: "volume",
  snapshot: "snapshot",
  "prefix-list": "prefix-list", // issue 16
  "vpc-peering-connection": "vpc-peering-connection", // issue 16 (VPC peering)
  "vpc-peering-link": "vpc-peering-connection", // the accepter's own tags on a connection stored elsewhere
  "vpc-endpoint": "vpc-endpoint", // issue 16 (VPC endpoints)
  "network-insights-path": "network-insights-path", // issue 21
  "network-insights-analysis": "network-insights-analysis", // issue 21
};

/**
 * EC2 allows any character in a tag ("Although EC2 allows for any character in its tags, other services are more
 * restrictive"), except what XML 1.0 cannot carry, which EC2's XML answers could never show: C0 controls other than
 * tab, LF and CR, U+FFFE/U+FFFF and unpaired surrogates.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what XML 1.0 forbids
const NOT_IN_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const validateTag = (key: string, value: string): void => {
  if (key.length === 0) throw err.missingTagKey();
  if (NOT_IN_XML.test(key) || NOT_IN_XML.test(value)) throw err.tagCharacters();
  if (key.length > 128) throw err.tagKeyTooLong(key);
  if (key.toLowerCase().startsWith("aws:")) throw err.invalidTagKey(key);
  if (value.length > 256) throw err.tagValueTooLong(key);
};

/** Sets tags (a key already present gets the new value, keeping its place), then checks the per-resource limit. */
export const mergeTags = (existing: readonly Tag[], added: readonly Tag[], limit: number): Tag[] => {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    validateTag(t.key, t.value);
    const i = out.findIndex((o) => o.key === t.key);
    if (i >= 0) out[i] = { key: t.key, value: t.value };
    else out.push({ key: t.key, value: t.value });
  }
  if (out.length > limit) throw err.tagLimitExceeded();
  return out;
};

/**
 * DeleteTags semantics: a key with no value deletes the tag whatever its value; a key with a value (even "")
 * deletes it only when the value matches.
 */
export const removeTags = (existing: readonly Tag[], removed: readonly { key: string; value?: string | undefined }[]): Tag[] =>
  existing.filter((t) => !removed.some((r) => r.key === t.key && (r.value === undefined || r.value === t.value)));
