/**
 * Amazon-pool public IPv4 addresses for EIPs (AllocateAddress) and auto-assigned public IPs: a random pick from the
 * Region's real EC2 ranges (src/catalog/ec2-public-ipv4.ts), moved on past any address the Region already uses
 * (indexed point reads), so a call is O(1) expected.
 */
import { ec2PublicIpv4Pool } from "../../catalog/ec2-public-ipv4.js";
import { amazonPublicIpv4 } from "../../domain/addressing.js";
import type { Tx } from "../../store/store.js";
import type { ActionContext } from "./action.js";

/** An ENI currently holding this address (an EIP or an instance's Amazon-pool IP) in the caller's Region. */
export const publicIpTaken = (tx: Tx, ip: string): boolean =>
  tx.idsByKey("elastic-ip", "public-ip", ip).length > 0 || tx.idsByKey("network-interface", "association.public-ip", ip).length > 0;

/** A fresh address of the Region's Amazon pool, unique among its EIPs and auto-assigned IPs; never one of `avoid`. */
export const freshPublicIp = (ctx: ActionContext, avoid: readonly string[] = []): string =>
  amazonPublicIpv4(ctx.ids.hex(8), { has: (ip) => avoid.includes(ip) || publicIpTaken(ctx.tx, ip) }, ec2PublicIpv4Pool(ctx.scope.region));
