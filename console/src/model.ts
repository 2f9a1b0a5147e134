/**
 * The topology the console draws, read through the EC2 API (DescribeVpcs, DescribeSubnets, DescribeInstances,
 * DescribeNetworkInterfaces, DescribeAddresses, and network.ts's route tables and gateways) and reduced to what the
 * picture needs.
 */
import { ec2, list, obj, str, type Caller, type XmlObject } from "./ec2.js";
import { loadNetwork, type Network } from "./network.js";

export interface Vpc {
  readonly id: string;
  readonly cidr: string;
  readonly name: string;
  readonly isDefault: boolean;
}
export interface Subnet {
  readonly id: string;
  readonly vpcId: string;
  readonly cidr: string;
  readonly ipv6: readonly string[];
  readonly az: string;
  readonly name: string;
}
export interface Instance {
  readonly id: string;
  readonly type: string;
  readonly state: string;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly az: string;
  readonly name: string;
  /** Its tags (EKS nodes are told by `eks:cluster-name` / `eks:nodegroup-name`). */
  readonly tags: Readonly<Record<string, string>>;
}
export interface PublicIp {
  readonly publicIp: string;
  readonly privateIp: string;
  /** Set for an Elastic IP; absent for an auto-assigned public IPv4. */
  readonly allocationId?: string;
}
export interface Eni {
  readonly id: string;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly az: string;
  readonly status: string;
  readonly type: string;
  readonly description: string;
  readonly mac: string;
  readonly primaryIp: string;
  readonly secondaryIps: readonly string[];
  readonly ipv4Prefixes: readonly string[];
  readonly ipv6: readonly string[];
  readonly ipv6Prefixes: readonly string[];
  readonly publicIps: readonly PublicIp[];
  readonly groups: readonly { readonly id: string; readonly name: string }[];
  readonly sourceDestCheck: boolean;
  readonly requesterManaged: boolean;
  readonly requesterId: string;
  readonly attachment?: {
    readonly id: string;
    readonly instanceId: string;
    readonly instanceOwnerId: string;
    readonly deviceIndex: number;
    readonly cardIndex: number;
    readonly status: string;
  };
}
export interface Address {
  readonly publicIp: string;
  readonly allocationId: string;
  readonly associationId: string;
  readonly eniId: string;
  readonly privateIp: string;
}
export interface Topology {
  readonly vpcs: readonly Vpc[];
  readonly subnets: readonly Subnet[];
  readonly instances: readonly Instance[];
  readonly enis: readonly Eni[];
  readonly addresses: readonly Address[];
  /** Route tables and network connections (issue 16: the resource map's last two columns). */
  readonly network: Network;
}

const nameTag = (o: XmlObject): string => (list(o["tagSet"]).find((t) => str(t["key"]) === "Name")?.["value"] as string | undefined) ?? "";

const eniOf = (n: XmlObject): Eni => {
  const ips = list(n["privateIpAddressesSet"]);
  const att = obj(n["attachment"]);
  const publicIps: PublicIp[] = [];
  for (const ip of ips) {
    const a = obj(ip["association"]);
    if (str(a["publicIp"])) {
      const allocationId = str(a["allocationId"]);
      publicIps.push({ publicIp: str(a["publicIp"]), privateIp: str(ip["privateIpAddress"]), ...(allocationId ? { allocationId } : {}) });
    }
  }
  const attachmentId = str(att["attachmentId"]);
  return {
    id: str(n["networkInterfaceId"]),
    subnetId: str(n["subnetId"]),
    vpcId: str(n["vpcId"]),
    az: str(n["availabilityZone"]),
    status: str(n["status"]),
    type: str(n["interfaceType"]),
    description: str(n["description"]),
    mac: str(n["macAddress"]),
    primaryIp: str(n["privateIpAddress"]),
    secondaryIps: ips.filter((i) => str(i["primary"]) !== "true").map((i) => str(i["privateIpAddress"])),
    ipv4Prefixes: list(n["ipv4PrefixSet"]).map((p) => str(p["ipv4Prefix"])),
    ipv6: list(n["ipv6AddressesSet"]).map((p) => str(p["ipv6Address"])),
    ipv6Prefixes: list(n["ipv6PrefixSet"]).map((p) => str(p["ipv6Prefix"])),
    publicIps,
    groups: list(n["groupSet"]).map((g) => ({ id: str(g["groupId"]), name: str(g["groupName"]) })),
    sourceDestCheck: str(n["sourceDestCheck"]) !== "false",
    requesterManaged: str(n["requesterManaged"]) === "true",
    requesterId: str(n["requesterId"]),
    ...(attachmentId
      ? {
          attachment: {
            id: attachmentId,
            instanceId: str(att["instanceId"]),
            instanceOwnerId: str(att["instanceOwnerId"]),
            deviceIndex: Number(str(att["deviceIndex"]) || "0"),
            cardIndex: Number(str(att["networkCardIndex"]) || "0"),
            status: str(att["status"]),
          },
        }
      : {}),
  };
};

export const loadTopology = async (caller: Caller): Promise<Topology> => {
  const [v, s, i, n, a, network] = await Promise.all([
    ec2(caller, "DescribeVpcs"),
    ec2(caller, "DescribeSubnets"),
    ec2(caller, "DescribeInstances"),
    ec2(caller, "DescribeNetworkInterfaces"),
    ec2(caller, "DescribeAddresses"),
    loadNetwork(caller),
  ]);
  const vpcs = list(v["vpcSet"]).map((x) => ({
    id: str(x["vpcId"]),
    cidr: str(x["cidrBlock"]),
    name: nameTag(x),
    isDefault: str(x["isDefault"]) === "true",
  }));
  const subnets = list(s["subnetSet"]).map((x) => ({
    id: str(x["subnetId"]),
    vpcId: str(x["vpcId"]),
    cidr: str(x["cidrBlock"]),
    ipv6: list(x["ipv6CidrBlockAssociationSet"]).map((c) => str(c["ipv6CidrBlock"])),
    az: str(x["availabilityZone"]),
    name: nameTag(x),
  }));
  const instances = list(i["reservationSet"])
    .flatMap((r) => list(r["instancesSet"]))
    .map((x) => ({
      id: str(x["instanceId"]),
      type: str(x["instanceType"]),
      state: str(obj(x["instanceState"])["name"]),
      subnetId: str(x["subnetId"]),
      vpcId: str(x["vpcId"]),
      az: str(obj(x["placement"])["availabilityZone"]),
      name: nameTag(x),
      tags: Object.fromEntries(list(x["tagSet"]).map((t) => [str(t["key"]), str(t["value"])])),
    }))
    .filter((x) => x.state !== "terminated");
  const enis = list(n["networkInterfaceSet"]).map(eniOf);
  const addresses = list(a["addressesSet"]).map((x) => ({
    publicIp: str(x["publicIp"]),
    allocationId: str(x["allocationId"]),
    associationId: str(x["associationId"]),
    eniId: str(x["networkInterfaceId"]),
    privateIp: str(x["privateIpAddress"]),
  }));
  return { vpcs, subnets, instances, enis, addresses, network };
};
