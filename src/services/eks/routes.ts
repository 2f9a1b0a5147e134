/**
 * localvpc's own admin routes for EKS pod networking (issue 18): EKS has no pod API (pods are Kubernetes'), so pods are
 * scheduled here, onto a node group's nodes, through the VPC CNI simulation (cni.ts).
 *
 *   POST /_localvpc/eks/pods      {cluster, nodegroup, replicas | add, account?, region?}  → the pods, nodes, pools
 *   GET  /_localvpc/eks/pods      ?cluster=&nodegroup=                                        → the pods as they are
 *   GET  /_localvpc/eks/max-pods  ?instanceType=&prefixDelegation=true&customNetworking=true  → EKS's max pods
 *   POST /_localvpc/eks/eni-configs {cluster, name, subnet, securityGroups?}   → the ENIConfig (custom networking)
 *   GET  /_localvpc/eks/eni-configs ?cluster=                                  → the cluster's ENIConfigs
 *   DELETE /_localvpc/eks/eni-configs ?cluster=&name= (or a JSON body)         → {deleted: name}
 * ENIConfigs are Kubernetes custom resources on a real cluster; here they are set through these routes.
 */
import { adminScope, bodyObject, bodyString, requireBodyString, type AdminRoute } from "../../admin/routes.js";
import { maxPods } from "../../domain/eks.js";
import { checkEniConfig, eniConfigKey } from "../../domain/eks-eni-config.js";
import type { EksEniConfigRecord } from "../../domain/types.js";
import { err } from "../../domain/errors.js";
import type { Scope } from "../../store/store.js";
import type { Ec2Service } from "../ec2/seams.js";
import { mustCluster, mustNodegroup } from "./actions.js";
import { nodeFacts, podSetOf, scalePods } from "./cni.js";
import { eksContextOf } from "./service.js";

const MAX_PODS_PER_CALL = 100_000;

const count = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_PODS_PER_CALL) throw err.eksPodsCount(name);
  return v;
};

const flag = (v: string | null): boolean => v === "true" || v === "1";

const groupList = (v: unknown): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((g) => typeof g !== "string" || g === ""))
    throw err.invalidEnum("securityGroups", JSON.stringify(v), ["a list of security group ids"]);
  return v as string[];
};

const eniConfigView = (c: EksEniConfigRecord): Record<string, unknown> => ({
  cluster: c.clusterName,
  name: c.name,
  subnet: c.subnetId,
  securityGroups: c.securityGroupIds,
});

export const eksRoutes = (ec2: Ec2Service, defaults: Scope, provisionMs = 0): AdminRoute[] => [
  {
    method: "POST",
    path: "/_localvpc/eks/pods",
    summary: "EKS pods scheduled",
    handle: (req) => {
      const b = bodyObject(req.body, "cluster");
      const cluster = requireBodyString(b, "cluster");
      const nodegroup = requireBodyString(b, "nodegroup");
      const replicas = count(b["replicas"], "replicas");
      const add = count(b["add"], "add");
      if (replicas === undefined && add === undefined) throw err.missingParameter("replicas");
      return ec2.runAdmin(adminScope(req, defaults), "admin", (ctx) => {
        const eks = eksContextOf(ctx, provisionMs);
        const c = mustCluster(eks, cluster);
        const ng = mustNodegroup(eks, c.name, nodegroup);
        const current = podSetOf(ctx, c.name, ng.name).pods.length;
        return scalePods(ctx, c, ng, Math.min(replicas ?? current + (add ?? 0), MAX_PODS_PER_CALL));
      });
    },
  },
  {
    method: "GET",
    path: "/_localvpc/eks/pods",
    changesState: false,
    handle: (req) => {
      const cluster = req.query.get("cluster");
      const nodegroup = req.query.get("nodegroup");
      if (!cluster) throw err.missingParameter("cluster");
      if (!nodegroup) throw err.missingParameter("nodegroup");
      return ec2.runAdmin(adminScope(req, defaults), "admin", (ctx) => {
        const eks = eksContextOf(ctx, provisionMs);
        const c = mustCluster(eks, cluster);
        const ng = mustNodegroup(eks, c.name, nodegroup);
        const pods = podSetOf(ctx, c.name, ng.name).pods;
        return {
          cluster: c.name,
          nodegroup: ng.name,
          running: pods.filter((p) => p.state === "Running").length,
          pending: pods.filter((p) => p.state === "Pending").length,
          pods,
        };
      });
    },
  },
  {
    method: "GET",
    path: "/_localvpc/eks/max-pods",
    changesState: false,
    handle: (req) => {
      const type = req.query.get("instanceType");
      if (!type) throw err.missingParameter("instanceType");
      return ec2.runAdmin(adminScope(req, defaults), "admin", (ctx) => {
        const f = nodeFacts(ctx, type);
        if (!f) throw err.invalidInstanceType(type);
        const prefixDelegation = flag(req.query.get("prefixDelegation"));
        const customNetworking = flag(req.query.get("customNetworking"));
        const a = maxPods(
          { enis: f.maxEnis, ipv4PerEni: f.ipv4PerEni, vcpus: f.vcpus, nitro: f.nitro },
          { prefixDelegation, customNetworking },
        );
        return {
          instanceType: type,
          enis: f.maxEnis,
          ipv4PerEni: f.ipv4PerEni,
          vcpus: f.vcpus,
          nitro: f.nitro,
          prefixDelegation,
          customNetworking,
          ...a,
        };
      });
    },
  },
  {
    method: "POST",
    path: "/_localvpc/eks/eni-configs",
    summary: "EKS ENIConfig set",
    handle: (req) => {
      const b = bodyObject(req.body, "cluster");
      const cluster = requireBodyString(b, "cluster");
      const name = requireBodyString(b, "name");
      const subnet = requireBodyString(b, "subnet");
      const groups = groupList(b["securityGroups"]);
      return ec2.runAdmin(adminScope(req, defaults), "admin", (ctx) => {
        const c = mustCluster(eksContextOf(ctx, provisionMs), cluster);
        const spec = checkEniConfig({ name, subnetId: subnet, securityGroupIds: groups }, c.vpcId, {
          subnetVpc: (id) => ctx.tx.get("subnet", id)?.vpcId,
          groupVpc: (id) => ctx.tx.get("security-group", id)?.vpcId,
        });
        const rec: EksEniConfigRecord = {
          kind: "eks-eni-config",
          id: eniConfigKey(c.name, spec.name),
          tags: [],
          clusterName: c.name,
          name: spec.name,
          subnetId: spec.subnetId,
          securityGroupIds: spec.securityGroupIds,
        };
        ctx.tx.put(rec);
        return eniConfigView(rec);
      });
    },
  },
  {
    method: "GET",
    path: "/_localvpc/eks/eni-configs",
    changesState: false,
    handle: (req) => {
      const cluster = req.query.get("cluster");
      if (!cluster) throw err.missingParameter("cluster");
      return ec2.runAdmin(adminScope(req, defaults), "admin", (ctx) => {
        const c = mustCluster(eksContextOf(ctx, provisionMs), cluster);
        const prefix = eniConfigKey(c.name, "");
        return {
          cluster: c.name,
          eniConfigs: ctx.tx
            .list("eks-eni-config")
            .filter((r) => r.id.startsWith(prefix))
            .map(eniConfigView),
        };
      });
    },
  },
  {
    method: "DELETE",
    path: "/_localvpc/eks/eni-configs",
    summary: "EKS ENIConfig deleted",
    handle: (req) => {
      // The query string, or a JSON body (the localvpc CLI sends one).
      const b = req.body === undefined || req.body === null ? {} : bodyObject(req.body, "cluster");
      const cluster = req.query.get("cluster") ?? bodyString(b, "cluster");
      const name = req.query.get("name") ?? bodyString(b, "name");
      if (!cluster) throw err.missingParameter("cluster");
      if (!name) throw err.missingParameter("name");
      return ec2.runAdmin(adminScope(req, defaults), "admin", (ctx) => {
        const c = mustCluster(eksContextOf(ctx, provisionMs), cluster);
        const key = eniConfigKey(c.name, name);
        if (!ctx.tx.get("eks-eni-config", key)) throw err.eksEniConfigNotFound(c.name, name);
        ctx.tx.delete(key);
        return { cluster: c.name, deleted: name };
      });
    },
  },
];
