/**
 * Subnet CIDR reservations: CreateSubnetCidrReservation, GetSubnetCidrReservations, DeleteSubnetCidrReservation.
 * How they steer address assignment is in address-space.ts (automatic addresses skip them) and
 * network-interfaces.ts (automatic /28 · /80 prefixes come from `prefix` reservations first).
 */
import { checkReservationCidr } from "../../../domain/subnet-cidr-reservations.js";
import type { SubnetCidrReservationRecord } from "../../../domain/types.js";
import type { SubnetCidrReservation } from "../../../protocol/model/shapes.js";
import { parseCidr } from "../../../domain/cidr.js";
import { defineAction } from "../action.js";
import { describe, tagView } from "../../common/describe.js";
import { must } from "../lookups.js";
import { tagsFromSpecs } from "./tags.js";

export const subnetCidrReservationView = (r: SubnetCidrReservationRecord): SubnetCidrReservation => ({
  SubnetCidrReservationId: r.id,
  SubnetId: r.subnetId,
  Cidr: r.cidr,
  ReservationType: r.reservationType,
  OwnerId: r.ownerId,
  Description: r.description,
  Tags: tagView(r.tags),
});

export const CreateSubnetCidrReservation = defineAction({
  name: "CreateSubnetCidrReservation",
  mutates: true,
  params: ["SubnetId", "Cidr", "ReservationType", "Description", "TagSpecifications"],
  run(input, ctx) {
    const tags = tagsFromSpecs(input.TagSpecifications, "subnet-cidr-reservation", ctx);
    const subnet = must(ctx.tx, "subnet", input.SubnetId);
    const existing = ctx.tx.list("subnet-cidr-reservation", { subnetId: subnet.id });
    const ipv6 = subnet.ipv6Associations.filter((a) => a.state === "associated").map((a) => a.ipv6CidrBlock);
    const { cidr, family } = checkReservationCidr(input.Cidr, { id: subnet.id, ipv4: subnet.cidrBlock, ipv6 }, existing);
    const r: SubnetCidrReservationRecord = {
      kind: "subnet-cidr-reservation",
      id: ctx.ids.next("subnetCidrReservation"),
      tags,
      ownerId: ctx.scope.account,
      subnetId: subnet.id,
      cidr,
      family,
      reservationType: input.ReservationType,
      description: input.Description,
    };
    ctx.tx.put(r);
    return { SubnetCidrReservation: subnetCidrReservationView(r) };
  },
});

export const DeleteSubnetCidrReservation = defineAction({
  name: "DeleteSubnetCidrReservation",
  mutates: true,
  params: ["SubnetCidrReservationId"],
  run(input, ctx) {
    const r = must(ctx.tx, "subnet-cidr-reservation", input.SubnetCidrReservationId);
    ctx.tx.delete(r.id);
    // Automatic assignment skipped the range and may have moved the subnet's hint past it: bring the hint back.
    const start = parseCidr(r.cidr)!.network;
    const hint = ctx.tx.addressHint(r.subnetId, r.family);
    if (hint !== undefined && hint > start) ctx.tx.setAddressHint(r.subnetId, r.family, start);
    return { DeletedSubnetCidrReservation: subnetCidrReservationView(r) };
  },
});

export const GetSubnetCidrReservations = defineAction({
  name: "GetSubnetCidrReservations",
  mutates: false,
  params: ["SubnetId", "Filters", "MaxResults", "NextToken"],
  run(input, ctx) {
    const subnet = must(ctx.tx, "subnet", input.SubnetId);
    const page = describe({
      items: ctx.tx.list("subnet-cidr-reservation", { subnetId: subnet.id }),
      idOf: (r) => r.id,
      filters: input.Filters,
      table: {
        reservationType: (r) => r.reservationType,
        "subnet-id": (r) => r.subnetId,
      },
      maxResults: input.MaxResults,
      nextToken: input.NextToken,
    });
    return {
      SubnetIpv4CidrReservations: page.items.filter((r) => r.family === 4).map(subnetCidrReservationView),
      SubnetIpv6CidrReservations: page.items.filter((r) => r.family === 6).map(subnetCidrReservationView),
      NextToken: page.nextToken,
    };
  },
});

export const SUBNET_CIDR_RESERVATION_ACTIONS = [CreateSubnetCidrReservation, GetSubnetCidrReservations, DeleteSubnetCidrReservation];
