// Runs the memcached example's reconciler in-process under a Manager against a real local
// kube-apiserver (tsop/envtest) and checks that N Memcacheds converge (N = TSOP_SCALE_N, default 50).
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { Manager, createLogger, isStatusConditionTrue, findStatusCondition } from "../../src/runtime/index.js";
import { EventKind, type CoreEvent } from "../../src/runtime/events/index.js";
import { Deployment } from "../../src/runtime/kinds/index.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { MEMCACHED_FINALIZER, MemcachedReconciler } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";

const N = Number(process.env["TSOP_SCALE_N"] ?? 50);
const CRDS = fileURLToPath(new URL("../../examples/memcached-operator/config/crd/bases", import.meta.url));
const env = new Environment({ crdDirectoryPaths: [CRDS] });
let mgr: Manager;
let reconciler: MemcachedReconciler;
const stop = new AbortController();
let running: Promise<void>;

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const started = await env.start();
  mgr = await Manager.create({
    kubeconfig: started.kubeconfigPath,
    metricsBindAddress: "0",
    healthProbeBindAddress: "0",
    leaderElection: false,
    logger: createLogger({ level: (process.env["TSOP_TEST_LOG"] ?? "warn") as "warn" }),
  });
  reconciler = new MemcachedReconciler();
  reconciler.setupWithManager(mgr);
  running = mgr.start(stop.signal);
});

afterAll(async () => {
  stop.abort();
  await running?.catch(() => undefined);
  await env.stop();
});

describe("memcached example on the real apiserver", () => {
  it(`converges ${N} Memcacheds: Deployment with replicas and owner, conditions, observedGeneration`, async () => {
    const names = Array.from({ length: N }, (_, i) => `mc-${i}`);
    const sizes = new Map(names.map((n, i) => [n, (i % 5) + 1]));
    await Promise.all(names.map((name) => mgr.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: "default" }, spec: { size: sizes.get(name) ?? 1 } })));
    // Watch-fed cache reads: they cost the apiserver nothing and leave the operator's rate budget alone.
    const converged = (mc: Memcached): boolean => mc.status?.observedGeneration === mc.metadata?.generation && mc.status?.conditions?.length === 3;
    await until(`${N} Memcacheds with status`, async () => {
      const all = (await mgr.cache.list(Memcached, { namespace: "default" })).filter((o) => sizes.has(o.metadata?.name ?? ""));
      return all.length === N && all.every(converged);
    }, Math.max(90_000, N * 300));
    // Then the apiserver's own view (two paginated lists).
    const mcs = (await mgr.client.direct.list(Memcached, { namespace: "default" })).filter((o) => sizes.has(o.metadata?.name ?? ""));
    expect(mcs).toHaveLength(N);
    expect(mcs.every(converged)).toBe(true);
    const deps = new Map((await mgr.client.direct.list(Deployment, { namespace: "default" })).map((d) => [d.metadata?.name, d]));
    for (const mc of mcs) {
      const name = mc.metadata?.name ?? "";
      expect(mc.metadata?.finalizers).toContain(MEMCACHED_FINALIZER);
      expect(findStatusCondition(mc.status?.conditions, "Degraded")?.status).toBe("False");
      // envtest runs no deployment controller: nothing becomes available, the rollout stays in progress.
      expect(findStatusCondition(mc.status?.conditions, "Available")?.status).toBe("False");
      expect(isStatusConditionTrue(mc.status?.conditions, "Progressing")).toBe(true);
      const dep = deps.get(name);
      expect(dep?.spec?.replicas).toBe(sizes.get(name));
      expect(dep?.spec?.template.spec?.containers[0]?.image).toBe("memcached:1.6");
      expect(dep?.metadata?.ownerReferences).toEqual([
        { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", name, uid: mc.metadata?.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
  }, Math.max(120_000, N * 400));

  it("follows a spec change: replicas, observedGeneration", async () => {
    const mc = await mgr.client.patch(Memcached, "mc-0", { spec: { size: 4, containerPort: 11311 } }, { namespace: "default" });
    const dep = await until("Deployment scaled to 4", async () => {
      const d = await mgr.client.direct.get(Deployment, "mc-0", { namespace: "default" });
      return d.spec?.replicas === 4 ? d : undefined;
    });
    expect(dep.spec?.template.spec?.containers[0]?.ports?.[0]?.containerPort).toBe(11311);
    await until("observedGeneration", async () => {
      const o = await mgr.client.direct.get(Memcached, "mc-0", { namespace: "default" });
      return o.status?.observedGeneration === mc.metadata?.generation;
    });
  });

  it("recreates a deleted owned Deployment", async () => {
    const before = await mgr.client.direct.get(Deployment, "mc-1", { namespace: "default" });
    await mgr.client.delete(Deployment, "mc-1", { namespace: "default" });
    const after = await until("Deployment recreated", async () => {
      const d = await mgr.client.direct.get(Deployment, "mc-1", { namespace: "default" }).catch(() => undefined);
      return d && d.metadata?.uid !== before.metadata?.uid ? d : undefined;
    });
    expect(after.spec?.replicas).toBe(2);
  });

  it("keeps converging through an apiserver restart (same etcd)", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `restart-${i}`);
    await Promise.all(names.map((name) => mgr.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: "default" }, spec: { size: 2 } })));
    await env.restartApiServer();
    const more = Array.from({ length: 10 }, (_, i) => `after-${i}`);
    await Promise.all(more.map((name) => mgr.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: "default" }, spec: { size: 3 } })));
    for (const name of [...names, ...more]) {
      const mc = await until(`status of ${name}`, async () => {
        const o = await mgr.client.direct.get(Memcached, name, { namespace: "default" });
        return o.status?.observedGeneration === o.metadata?.generation && o.status?.conditions?.length === 3 ? o : undefined;
      });
      const dep = await mgr.client.direct.get(Deployment, name, { namespace: "default" });
      expect(dep.spec?.replicas).toBe(mc.spec?.size);
      expect(dep.metadata?.ownerReferences?.[0]?.uid).toBe(mc.metadata?.uid);
    }
  });

  it("on delete, the finalizer records an Event and lets the object go", async () => {
    await mgr.client.delete(Memcached, "mc-2", { namespace: "default" });
    await until("Memcached gone", async () => (await mgr.client.direct.get(Memcached, "mc-2", { namespace: "default" }).catch(() => "gone")) === "gone");
    await reconciler.flushEvents();
    const events = await mgr.client.direct.list(EventKind, { namespace: "default", fieldSelector: "involvedObject.name=mc-2" });
    const ev = events.find((e: CoreEvent) => e.reason === "Deleting");
    expect(ev?.type).toBe("Warning");
    expect(ev?.involvedObject).toMatchObject({ kind: "Memcached", apiVersion: "cache.example.com/v1alpha1", name: "mc-2", namespace: "default" });
    expect(ev?.source.component).toBe("memcached-controller");
  });
});
