/**
 * AddTags, RemoveTags, DescribeTags over any ELBv2 ARN (load balancer, target group, listener). Tags live in the
 * records' `elbTags` (EC2's DescribeTags never lists ELBv2 resources, as in AWS).
 */
import { arnKind, mergeElbTags } from "../../../domain/elbv2.js";
import { err } from "../../../domain/errors.js";
import type { Tx } from "../../../store/store.js";
import { mustListener, mustLoadBalancer, mustTargetGroup, strs, tagsIn, type Elbv2Action } from "./common.js";

const recordOf = (tx: Tx, arn: string) => {
  switch (arnKind(arn)) {
    case "elbv2-load-balancer":
      return mustLoadBalancer(tx, arn);
    case "elbv2-target-group":
      return mustTargetGroup(tx, arn);
    case "elbv2-listener":
      return mustListener(tx, arn);
    default:
      throw err.elbTagArnInvalid(arn);
  }
};

const addTags: Elbv2Action = {
  name: "AddTags",
  mutates: true,
  params: ["ResourceArns", "Tags"],
  run: (input, ctx) => {
    const tags = tagsIn(input);
    for (const arn of strs(input, "ResourceArns") ?? []) {
      const r = recordOf(ctx.tx, arn);
      ctx.tx.put({ ...r, elbTags: mergeElbTags(r.elbTags, tags) });
    }
    return {};
  },
};

const removeTags: Elbv2Action = {
  name: "RemoveTags",
  mutates: true,
  params: ["ResourceArns", "TagKeys"],
  run: (input, ctx) => {
    const keys = new Set(strs(input, "TagKeys") ?? []);
    for (const arn of strs(input, "ResourceArns") ?? []) {
      const r = recordOf(ctx.tx, arn);
      ctx.tx.put({ ...r, elbTags: r.elbTags.filter((t) => !keys.has(t.key)) });
    }
    return {};
  },
};

const describeTags: Elbv2Action = {
  name: "DescribeTags",
  mutates: false,
  params: ["ResourceArns"],
  run: (input, ctx) => ({
    TagDescriptions: (strs(input, "ResourceArns") ?? []).map((arn) => ({
      ResourceArn: arn,
      Tags: recordOf(ctx.tx, arn).elbTags.map((t) => ({ Key: t.key, Value: t.value })),
    })),
  }),
};

export const TAG_ACTIONS: readonly Elbv2Action[] = [addTags, removeTags, describeTags];
