/**
 * What the console's resource map draws besides containment (issue 16): route tables with their routes and subnet
 * associations, and the VPC's network connections (internet gateways, NAT gateways, egress-only internet gateways,
 * VPC endpoints, VPC peering connections), read through the EC2 API like any client.
 */
import { ec2, list, obj, str, type Caller, type Xml, type XmlObject } from "./ec2.js";

export interface Route {
  /** The destination as AWS shows it: an IPv4 or IPv6 CIDR, or a prefix list id. */
  readonly destination: string;
  /** The target's id (igw-, nat-, eigw-, vpce-, pcx-, eni-, i-, tgw- …); "local" for the VPC's local route. */
  readonly target: string;
  readonly state: string;
}
export interface RouteTable {
  readonly id: string;
  readonly vpcId: string;
  readonly name: string;
  readonly main: boolean;
  /** Subnets associated explicitly (a subnet with no explicit association uses the VPC's main table). */
  readonly subnetIds: readonly string[];
  /** Gateways associated (edge associations: a gateway route table). */
  readonly gatewayIds: readonly string[];
  readonly routes: readonly Route[];
}

export type GatewayKind = "igw" | "nat" | "eigw" | "vpce-gateway" | "vpce-interface" | "pcx";

export interface Gateway {
  readonly id: string;
  readonly kind: GatewayKind;
  /** The VPC it belongs to (a peering: the requester's VPC). */
  readonly vpcId: string;
  readonly name: string;
  readonly state: string;
  /** Kind-specific facts for the label and the details panel, in display order. */
  readonly facts: readonly (readonly [string, string])[];
  /** A peering's other VPC (the accepter's). */
  readonly peerVpcId?: string;
  /** The ENIs it is present in its subnets by (a NAT gateway's, an interface endpoint's). */
  readonly enis?: readonly string[];
}

export interface Network {
  readonly routeTables: readonly RouteTable[];
  readonly gateways: readonly Gateway[];
}

const nameTag = (o: XmlObject): string => {
  const t = list(o["tagSet"]).find((x) => str(x["key"]) === "Name");
  return t ? str(t["value"]) : "";
};
/** An `item` list of strings (routeTableIdSet, subnetIdSet …). */
const strings = (x: Xml | undefined): string[] => (Array.isArray(x) ? x.filter((i): i is string => typeof i === "string") : []);

const TARGETS = [
  "gatewayId",
  "natGatewayId",
  "egressOnlyInternetGatewayId",
  "vpcPeeringConnectionId",
  // A middlebox route names both the instance and its ENI: the ENI is what the map draws.
  "networkInterfaceId",
  "instanceId",
  "transitGatewayId",
  "carrierGatewayId",
  "localGatewayId",
  "coreNetworkArn",
] as const;

const routeOf = (r: XmlObject): Route => ({
  destination: str(r["destinationCidrBlock"]) || str(r["destinationIpv6CidrBlock"]) || str(r["destinationPrefixListId"]),
  target: TARGETS.map((k) => str(r[k])).find((v) => v !== "") ?? "",
  state: str(r["state"]),
});

/** States in which a gateway is no longer part of the network (AWS lists deleted ones for a while). */
const GONE = new Set(["deleted", "deleting", "failed", "rejected", "expired"]);

export const loadNetwork = async (caller: Caller): Promise<Network> => {
  const [rt, igw, nat, eigw, vpce, pcx] = await Promise.all([
    ec2(caller, "DescribeRouteTables"),
    ec2(caller, "DescribeInternetGateways"),
    ec2(caller, "DescribeNatGateways"),
    ec2(caller, "DescribeEgressOnlyInternetGateways"),
    ec2(caller, "DescribeVpcEndpoints"),
    ec2(caller, "DescribeVpcPeeringConnections"),
  ]);
  const routeTables = list(rt["routeTableSet"]).map((t): RouteTable => {
    // Only live associations (AWS lists a disassociating or failed one for a while).
    const assocs = list(t["associationSet"]).filter((a) =>
      ["", "associated", "associating"].includes(str(obj(a["associationState"])["state"])),
    );
    return {
      id: str(t["routeTableId"]),
      vpcId: str(t["vpcId"]),
      name: nameTag(t),
      main: assocs.some((a) => str(a["main"]) === "true"),
      subnetIds: assocs.map((a) => str(a["subnetId"])).filter((s) => s !== ""),
      gatewayIds: assocs.map((a) => str(a["gatewayId"])).filter((s) => s !== ""),
      routes: list(t["routeSet"]).map(routeOf),
    };
  });
  const gateways: Gateway[] = [];
  for (const g of list(igw["internetGatewaySet"])) {
    const att = list(g["attachmentSet"])[0];
    if (!att) continue; // a detached internet gateway belongs to no VPC: nothing routes through it
    gateways.push({
      id: str(g["internetGatewayId"]),
      kind: "igw",
      vpcId: str(att["vpcId"]),
      name: nameTag(g),
      state: str(att["state"]),
      facts: [["attachment", str(att["state"])]],
    });
  }
  for (const g of list(eigw["egressOnlyInternetGatewaySet"])) {
    const att = list(g["attachmentSet"])[0];
    if (!att) continue;
    gateways.push({
      id: str(g["egressOnlyInternetGatewayId"]),
      kind: "eigw",
      vpcId: str(att["vpcId"]),
      name: nameTag(g),
      state: str(att["state"]),
      facts: [["attachment", str(att["state"])]],
    });
  }
  for (const g of list(nat["natGatewaySet"])) {
    if (GONE.has(str(g["state"]))) continue;
    const addrs = list(g["natGatewayAddressSet"]);
    gateways.push({
      id: str(g["natGatewayId"]),
      kind: "nat",
      vpcId: str(g["vpcId"]),
      name: nameTag(g),
      state: str(g["state"]),
      enis: addrs.map((a) => str(a["networkInterfaceId"])).filter((x) => x !== ""),
      facts: [
        ["connectivity", str(g["connectivityType"]) || "public"],
        ["subnet", str(g["subnetId"])],
        ["addresses", addrs.map((a) => [str(a["publicIp"]), str(a["privateIp"])].filter(Boolean).join(" → ")).join(", ")],
      ],
    });
  }
  for (const g of list(vpce["vpcEndpointSet"])) {
    if (GONE.has(str(g["state"]).toLowerCase())) continue;
    const type = str(g["vpcEndpointType"]).toLowerCase();
    gateways.push({
      id: str(g["vpcEndpointId"]),
      kind: type === "gateway" ? "vpce-gateway" : "vpce-interface",
      vpcId: str(g["vpcId"]),
      name: nameTag(g),
      state: str(g["state"]),
      enis: strings(g["networkInterfaceIdSet"]),
      facts: [
        ["service", str(g["serviceName"])],
        ["type", str(g["vpcEndpointType"])],
        ...(type === "gateway"
          ? [["route tables", strings(g["routeTableIdSet"]).join(", ")] as const]
          : [
              ["subnets", strings(g["subnetIdSet"]).join(", ")] as const,
              ["ENIs", strings(g["networkInterfaceIdSet"]).join(", ")] as const,
            ]),
      ],
    });
  }
  for (const g of list(pcx["vpcPeeringConnectionSet"])) {
    const status = str(obj(g["status"])["code"]);
    if (GONE.has(status)) continue;
    const req = obj(g["requesterVpcInfo"]);
    const acc = obj(g["accepterVpcInfo"]);
    const side = (v: XmlObject): string =>
      [str(v["vpcId"]), str(v["cidrBlock"]), str(v["ownerId"]), str(v["region"])].filter(Boolean).join(" · ");
    gateways.push({
      id: str(g["vpcPeeringConnectionId"]),
      kind: "pcx",
      vpcId: str(req["vpcId"]),
      peerVpcId: str(acc["vpcId"]),
      name: nameTag(g),
      state: status,
      facts: [
        ["requester", side(req)],
        ["accepter", side(acc)],
        ["status", `${status}${str(obj(g["status"])["message"]) ? `: ${str(obj(g["status"])["message"])}` : ""}`],
      ],
    });
  }
  return { routeTables, gateways };
};

/** The route table a subnet uses: its explicit association, else its VPC's main table. */
export const tableOfSubnet = (net: Network, subnetId: string, vpcId: string): RouteTable | undefined =>
  net.routeTables.find((t) => t.subnetIds.includes(subnetId)) ?? net.routeTables.find((t) => t.vpcId === vpcId && t.main);
