/**
 * Reads Terraform sends for aws_lb and aws_lb_listener beyond the basic CRUD (issue 20;
 * docs/terraform-call-sequences-services.md), answered as AWS answers for a load balancer or listener that has none
 * of the feature configured:
 * - DescribeCapacityReservation (aws_lb's Read, for every ALB and NLB): no Load Balancer Capacity Unit reservation, so
 *   no MinimumLoadBalancerCapacity and no per-zone reservation state. ModifyCapacityReservation is not built.
 * - DescribeListenerCertificates: localvpc builds no TLS/HTTPS listener (certificates come from ACM, not emulated),
 *   so every listener has an empty certificate list.
 */
import { mustListener, mustLoadBalancer, num, page, str, type Elbv2Action } from "./common.js";

const describeCapacityReservation: Elbv2Action = {
  name: "DescribeCapacityReservation",
  mutates: false,
  params: ["LoadBalancerArn"],
  run: (input, ctx) => {
    mustLoadBalancer(ctx.tx, str(input, "LoadBalancerArn")!);
    // No reservation: nothing to describe per zone. // unverified: whether AWS also answers DecreaseRequestsRemaining here
    return { CapacityReservationState: [] };
  },
};

const describeListenerCertificates: Elbv2Action = {
  name: "DescribeListenerCertificates",
  mutates: false,
  params: ["ListenerArn", "Marker", "PageSize"],
  run: (input, ctx) => {
    mustListener(ctx.tx, str(input, "ListenerArn")!);
    // The same Marker/PageSize rules as every other ELBv2 list (a marker this service never gave is refused).
    const p = page([], str(input, "Marker"), num(input, "PageSize"));
    return { Certificates: p.items, NextMarker: p.next };
  },
};

export const TERRAFORM_READ_ACTIONS: readonly Elbv2Action[] = [describeCapacityReservation, describeListenerCertificates];
