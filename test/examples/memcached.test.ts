// Runs the memcached example's reconciler in-process under a Manager against a real local
// kube-apiserver (tsop/envtest) with two simulated nodes and the workload controllers, so the
// Deployments' pods really run: N Memcacheds (N = TSOP_SCALE_N, default 50) converge to
// Available=True from their pods' readiness, and report Available=False / Progressing=True while
// pods cannot run (nodes cordoned) during a scale-up and an image rollout.
import { request } from "node:https";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { Manager, createLogger, isStatusConditionTrue, findStatusCondition } from "../../src/runtime/index.js";
import { isStatusConditionFalse } from "../../src/runtime/conditions/index.js";
import { EventKind, type CoreEvent } from "../../src/runtime/events/index.js";
import { Deployment, Pod } from "../../src/runtime/kinds/index.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { MEMCACHED_FINALIZER, MemcachedReconciler } from "../../examples/memcached-operator/src/controllers/memcached.controller.js";

const N = Number(process.env["TSOP_SCALE_N"] ?? 50);
const CRDS = fileURLToPath(new URL("../../examples/memcached-operator/config/crd/bases", import.meta.url));
const env = new Environment({ crdDirectoryPaths: [CRDS], nodes: 2 });
let started: StartedEnvironment;
let mgr: Manager;
let reconciler: MemcachedReconciler;
const stop = new AbortController();
let running: Promise<void>;

/** Cordons (false) or uncordons (true) every node, like `kubectl cordon`. */
async function setNodesSchedulable(schedulable: boolean): Promise<void> {
  for (const node of ["kwok-node-0", "kwok-node-1"]) {
    const res = await fetchJson("PATCH", `/api/v1/nodes/${node}`, { spec: { unschedulable: !schedulable } });
    if (res !== 200) throw new Error(`patching node ${node}: HTTP ${res}`);
  }
}

/** How many of the Memcached's pods are Pending and not scheduled. */
async function pendingPods(name: string): Promise<number> {
  const pods = await mgr.client.direct.list(Pod, { namespace: "default", labelSelector: `app.kubernetes.io/instance=${name}` });
  return pods.filter((p) => p.status?.phase === "Pending" && !p.spec?.nodeName && !p.metadata?.deletionTimestamp).length;
}

/** A merge patch with the admin certificate; returns the HTTP status. */
function fetchJson(method: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${started.server}${path}`, {
      method, ca: started.tls.ca, cert: started.tls.cert, key: started.tls.key, agent: false,
      headers: { "Content-Type": "application/merge-patch+json" },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

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
  started = await env.start();
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
  it(`converges ${N} Memcacheds to Available=True from their pods: Deployment with replicas and owner, conditions, observedGeneration`, async () => {
    const names = Array.from({ length: N }, (_, i) => `mc-${i}`);
    const sizes = new Map(names.map((n, i) => [n, (i % 5) + 1]));
    await Promise.all(names.map((name) => mgr.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: "default" }, spec: { size: sizes.get(name) ?? 1 } })));
    // Watch-fed cache reads: they cost the apiserver nothing and leave the operator's rate budget alone.
    const converged = (mc: Memcached): boolean =>
      mc.status?.observedGeneration === mc.metadata?.generation && isStatusConditionTrue(mc.status?.conditions, "Available") && isStatusConditionFalse(mc.status?.conditions, "Progressing");
    await until(`${N} Memcacheds available`, async () => {
      const all = (await mgr.cache.list(Memcached, { namespace: "default" })).filter((o) => sizes.has(o.metadata?.name ?? ""));
      return all.length === N && all.every(converged);
    }, Math.max(180_000, N * 1000));
    // Then the apiserver's own view (two paginated lists).
    const mcs = (await mgr.client.direct.list(Memcached, { namespace: "default" })).filter((o) => sizes.has(o.metadata?.name ?? ""));
    expect(mcs).toHaveLength(N);
    expect(mcs.every(converged)).toBe(true);
    const deps = new Map((await mgr.client.direct.list(Deployment, { namespace: "default" })).map((d) => [d.metadata?.name, d]));
    for (const mc of mcs) {
      const name = mc.metadata?.name ?? "";
      expect(mc.metadata?.finalizers).toContain(MEMCACHED_FINALIZER);
      expect(findStatusCondition(mc.status?.conditions, "Degraded")?.status).toBe("False");
      // Available because the Deployment's pods are: scheduled on the kwok nodes, Running and Ready.
      expect(findStatusCondition(mc.status?.conditions, "Available")).toMatchObject({ status: "True", message: `${sizes.get(name)}/${sizes.get(name)} replicas available` });
      const dep = deps.get(name);
      expect(dep?.spec?.replicas).toBe(sizes.get(name));
      expect(dep?.status?.availableReplicas).toBe(sizes.get(name));
      expect(dep?.spec?.template.spec?.containers[0]?.image).toBe("memcached:1.6");
      expect(dep?.metadata?.ownerReferences).toEqual([
        { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", name, uid: mc.metadata?.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    const pods = (await mgr.client.direct.list(Pod, { namespace: "default", labelSelector: "app.kubernetes.io/name=memcached" })).filter((p) => sizes.has(p.metadata?.labels?.["app.kubernetes.io/instance"] ?? ""));
    expect(pods).toHaveLength([...sizes.values()].reduce((a, b) => a + b, 0));
    expect(pods.every((p) => p.status?.phase === "Running" && p.spec?.nodeName?.startsWith("kwok-node-"))).toBe(true);
  }, Math.max(240_000, N * 1500));

  it("reports Available=False / Progressing=True while new pods cannot run (scale-up, image rollout), True once they do", async () => {
    const name = "rollout";
    const ns = { namespace: "default" };
    const conditionsOf = async (generation?: number): Promise<Memcached | undefined> => {
      const o = await mgr.client.direct.get(Memcached, name, ns);
      return o.status?.observedGeneration === (generation ?? o.metadata?.generation) ? o : undefined;
    };
    const statusOf = (mc: Memcached, type: string): string | undefined => findStatusCondition(mc.status?.conditions, type)?.status;
    const availableAndDone = async (): Promise<Memcached | undefined> => {
      const o = await conditionsOf();
      return o && statusOf(o, "Available") === "True" && statusOf(o, "Progressing") === "False" ? o : undefined;
    };
    const waitingOnPods = async (): Promise<Memcached | undefined> => {
      const o = await conditionsOf();
      return o && statusOf(o, "Available") === "False" && statusOf(o, "Progressing") === "True" ? o : undefined;
    };
    await mgr.client.create(Memcached, { apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: "default" }, spec: { size: 2 } });
    await until("2 replicas available", availableAndDone);

    // Scale up with every node cordoned: the new pods stay Pending (unschedulable), as in a full cluster.
    await setNodesSchedulable(false);
    try {
      await mgr.client.patch(Memcached, name, { spec: { size: 4 } }, ns);
      const scaling = await until("Available=False while 2 of 4 run", waitingOnPods);
      expect(findStatusCondition(scaling.status?.conditions, "Available")?.message).toBe("2/4 replicas available");
      expect(await until("the 2 new pods Pending, unschedulable", async () => (await pendingPods(name)) === 2)).toBe(true);
    } finally {
      await setNodesSchedulable(true);
    }
    await until("4 replicas available", availableAndDone);

    // An image change rolls out: with 4 replicas the Deployment may take one old pod down (maxUnavailable
    // 25%) before a new one is Ready, so the Memcached is not Available until the new pods run.
    await setNodesSchedulable(false);
    try {
      await mgr.client.patch(Memcached, name, { spec: { image: "memcached:1.6.38" } }, ns);
      const rolling = await until("Available=False during the rollout", waitingOnPods);
      expect(findStatusCondition(rolling.status?.conditions, "Progressing")?.reason).toBe("Reconciling");
      expect(await until("new pods Pending, unschedulable", async () => (await pendingPods(name)) > 0)).toBe(true);
    } finally {
      await setNodesSchedulable(true);
    }
    const done = await until("rollout complete", availableAndDone);
    expect(findStatusCondition(done.status?.conditions, "Progressing")?.reason).toBe("RolloutComplete");
    const pods = await until("only new pods left", async () => {
      const all = await mgr.client.direct.list(Pod, { namespace: "default", labelSelector: `app.kubernetes.io/instance=${name}` });
      return all.length === 4 && all.every((p) => p.spec?.containers[0]?.image === "memcached:1.6.38") ? all : undefined;
    });
    expect(pods.every((p) => p.status?.phase === "Running")).toBe(true);
  });

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
