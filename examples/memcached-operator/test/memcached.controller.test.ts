/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// The Memcached controller against a real local control plane (tsop/envtest) with one simulated
// node and the workload controllers, so the Deployment's pods are scheduled, run and become Ready.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "tsop/envtest";
import { Manager, createLogger, findStatusCondition } from "tsop/runtime";
import { Deployment, Pod } from "tsop/runtime/kinds";
import { Memcached } from "../src/api/cache/v1alpha1/memcached.js";
import { MEMCACHED_FINALIZER, MemcachedReconciler } from "../src/controllers/memcached.controller.js";

const env = new Environment({ crdDirectoryPaths: [fileURLToPath(new URL("../config/crd/bases", import.meta.url))], nodes: 1 });
const stop = new AbortController();
let mgr: Manager;
let running: Promise<void>;

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const { kubeconfigPath } = await env.start();
  mgr = await Manager.create({ kubeconfig: kubeconfigPath, metricsBindAddress: "0", healthProbeBindAddress: "0", leaderElection: false, logger: createLogger({ level: "warn" }) });
  new MemcachedReconciler().setupWithManager(mgr);
  running = mgr.start(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await running;
  await env.stop();
});

describe("Memcached controller", () => {
  it("creates a Deployment with the requested size, owned by the Memcached, and reports status", async () => {
    await mgr.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name: "sample", namespace: "default" }, spec: { size: 3 } });
    const dep = await eventually("Deployment", () => mgr.client.direct.get(Deployment, "sample", { namespace: "default" }));
    expect(dep.spec?.replicas).toBe(3);
    expect(dep.spec?.template.spec?.containers[0]?.image).toBe("memcached:1.6");
    expect(dep.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Memcached", name: "sample", controller: true });
    // Available only once the Deployment's 3 pods are Ready on the node.
    const mc = await eventually("Available", async () => {
      const o = await mgr.client.direct.get(Memcached, "sample", { namespace: "default" });
      return o.status?.observedGeneration === o.metadata?.generation && findStatusCondition(o.status?.conditions, "Available")?.status === "True" ? o : undefined;
    });
    expect(mc.metadata?.finalizers).toContain(MEMCACHED_FINALIZER);
    expect(findStatusCondition(mc.status?.conditions, "Available")?.message).toBe("3/3 replicas available");
    expect(findStatusCondition(mc.status?.conditions, "Degraded")?.status).toBe("False");
    const pods = await mgr.client.direct.list(Pod, { namespace: "default", labelSelector: "app.kubernetes.io/instance=sample" });
    expect(pods.filter((p) => p.status?.phase === "Running")).toHaveLength(3);
  });

  it("scales the Deployment when spec.size changes", async () => {
    await mgr.client.patch(Memcached, "sample", { spec: { size: 5 } }, { namespace: "default" });
    await eventually("replicas 5", async () => ((await mgr.client.direct.get(Deployment, "sample", { namespace: "default" })).spec?.replicas === 5 ? true : undefined));
    await eventually("5 replicas available", async () => {
      const o = await mgr.client.direct.get(Memcached, "sample", { namespace: "default" });
      return findStatusCondition(o.status?.conditions, "Available")?.message === "5/5 replicas available" ? true : undefined;
    });
  });

  it("removes its finalizer when the Memcached is deleted", async () => {
    await mgr.client.delete(Memcached, "sample", { namespace: "default" });
    await eventually("Memcached gone", async () => {
      const o = await mgr.client.direct.get(Memcached, "sample", { namespace: "default" }).catch((e: { code?: number }) => (e.code === 404 ? null : undefined));
      return o === null ? true : undefined;
    });
  });
});
