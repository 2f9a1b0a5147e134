/**
 * DHCP options sets (CreateDhcpOptions model doc, VPC User Guide "DHCP option set concepts"): which keys exist,
 * how many values each takes and of what form, and the default set every Region has (domain name `ec2.internal` in
 * us-east-1, `<region>.compute.internal` elsewhere; AmazonProvidedDNS). Pure.
 */
import { parseAddress } from "./cidr.js";
import { err } from "./errors.js";
import { privateDnsSuffix } from "./regions.js";
import type { DhcpConfigurationRecord } from "./types.js";

/** The keys CreateDhcpOptions accepts and how many values each may carry. */
const KEYS: Readonly<Record<string, number>> = {
  "domain-name-servers": 4,
  "domain-name": 1,
  "ntp-servers": 4,
  "netbios-name-servers": 4,
  "netbios-node-type": 1,
};

export const AMAZON_PROVIDED_DNS = "AmazonProvidedDNS";

/**
 * Splits the values of a key: "If specifying more than one domain name server, specify the IP addresses in a single
 * parameter, separated by commas" (model doc), so "10.2.5.1,10.2.5.2" is two values. Blanks are dropped.
 */
const splitValues = (values: readonly string[]): string[] =>
  values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

const checkValue = (key: string, value: string): void => {
  switch (key) {
    case "domain-name-servers":
      if (value !== AMAZON_PROVIDED_DNS && !parseAddress(value)) throw err.dhcpInvalidAddress(key, value);
      return;
    case "ntp-servers":
    case "netbios-name-servers":
      if (!parseAddress(value)) throw err.dhcpInvalidAddress(key, value);
      return;
    case "netbios-node-type":
      if (!["1", "2", "4", "8"].includes(value)) throw err.dhcpInvalidNodeType(value);
      return;
    case "domain-name":
      // Some Linux systems accept several names separated by spaces (model doc), so spaces are allowed.
      if (value.length > 255 || !/^[A-Za-z0-9.\- ]+$/.test(value)) throw err.dhcpInvalidDomainName(value);
      return;
  }
};

/** CreateDhcpOptions' DhcpConfiguration.N → the stored configurations, in request order. */
export const parseDhcpConfigurations = (
  configs: readonly { readonly key?: string | undefined; readonly values?: readonly string[] | undefined }[],
): DhcpConfigurationRecord[] => {
  const out: DhcpConfigurationRecord[] = [];
  for (const c of configs) {
    const key = c.key ?? "";
    const max = KEYS[key];
    if (max === undefined) throw err.dhcpUnknownKey(key);
    if (out.some((o) => o.key === key)) throw err.dhcpDuplicateKey(key);
    // domain-name is one value that may contain spaces; the others are lists.
    const values = key === "domain-name" ? (c.values ?? []).map((v) => v.trim()).filter((v) => v.length > 0) : splitValues(c.values ?? []);
    if (values.length === 0) throw err.dhcpNoValues(key);
    if (values.length > max) throw err.dhcpTooManyValues(key, max);
    for (const v of values) checkValue(key, v);
    out.push({ key, values });
  }
  return out;
};

/** The Region's default set: its domain name and AmazonProvidedDNS, in the order AWS lists them. */
export const defaultDhcpConfigurations = (region: string): DhcpConfigurationRecord[] => [
  { key: "domain-name", values: [privateDnsSuffix(region)] },
  { key: "domain-name-servers", values: [AMAZON_PROVIDED_DNS] },
];
