import { describe, expect, it } from "vitest";
import { defineKind } from "../../src/types/index.js";
import { describePermission, formatMissing, missingPermissions, permissionsFor } from "../../src/runtime/manager/rbac-check.js";

const Memcached = defineKind({ group: "cache.example.com", version: "v1alpha1", kind: "Memcached", plural: "memcacheds", namespaced: true });
const Deployment = defineKind({ group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true });
const Node = defineKind({ group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false });

describe("permissionsFor", () => {
  it("expands watched, owned and primary kinds, leases and events", () => {
    const perms = permissionsFor({ watched: [Memcached, Deployment, Node], written: [Deployment], updated: [Memcached], leaseNamespace: "ops" }).map(describePermission);
    expect(perms).toEqual(expect.arrayContaining([
      "list memcacheds.cache.example.com (all namespaces)", "watch deployments.apps (all namespaces)", "watch nodes (all namespaces)",
      "create deployments.apps (all namespaces)", "delete deployments.apps (all namespaces)", "patch memcacheds.cache.example.com (all namespaces)",
      "update leases.coordination.k8s.io in namespace ops", "create events (all namespaces)",
    ]));
    expect(perms).not.toContain("create memcacheds.cache.example.com (all namespaces)");
    expect(new Set(perms).size).toBe(perms.length);
  });

  it("asks per namespace in namespaced mode, cluster-wide for cluster-scoped kinds", () => {
    const perms = permissionsFor({ watched: [Memcached, Node], written: [], namespaces: ["a", "b"], events: false }).map(describePermission);
    expect(perms.sort()).toEqual([
      "list memcacheds.cache.example.com in namespace a", "list memcacheds.cache.example.com in namespace b", "list nodes (all namespaces)",
      "watch memcacheds.cache.example.com in namespace a", "watch memcacheds.cache.example.com in namespace b", "watch nodes (all namespaces)",
    ]);
  });
});

describe("missingPermissions", () => {
  it("counts a review that fails once and then answers (a token not accepted yet)", async () => {
    const perms = permissionsFor({ watched: [Memcached], written: [], events: false });
    const failed = new Set<string>();
    const api = {
      async request<T>(req: { body?: unknown }): Promise<T> {
        const verb = (req.body as { spec: { resourceAttributes: { verb: string } } }).spec.resourceAttributes.verb;
        if (!failed.has(verb)) {
          failed.add(verb);
          throw new Error("Unauthorized");
        }
        return { status: { allowed: verb === "watch" } } as T;
      },
    };
    const { missing, unchecked } = await missingPermissions(api as never, perms);
    expect(missing.map(describePermission)).toEqual(["list memcacheds.cache.example.com (all namespaces)"]);
    expect(unchecked).toEqual([]);
  });

  it("returns the denied ones sorted, retries a failed review, reports one that keeps failing as unchecked, and formats one message", async () => {
    const perms = permissionsFor({ watched: [Memcached], written: [], events: false });
    let calls = 0;
    const api = {
      async request<T>(req: { body?: unknown }): Promise<T> {
        calls++;
        const verb = (req.body as { spec: { resourceAttributes: { verb: string } } }).spec.resourceAttributes.verb;
        if (verb === "list") throw new Error("network");
        return { status: { allowed: verb !== "watch" } } as T;
      },
    };
    const { missing, unchecked } = await missingPermissions(api as never, perms);
    expect(calls).toBe(4); // watch once; list three times (two retries)
    expect(missing.map(describePermission)).toEqual(["watch memcacheds.cache.example.com (all namespaces)"]);
    expect(unchecked.map((u) => [describePermission(u.permission), u.error])).toEqual([["list memcacheds.cache.example.com (all namespaces)", "network"]]);
    expect(formatMissing(missing)).toBe("the manager's identity lacks 1 permission(s) its controllers need: watch memcacheds.cache.example.com (all namespaces). Add @rbac tags to the controllers, run `tsop manifests` and apply config/rbac");
  });
});
