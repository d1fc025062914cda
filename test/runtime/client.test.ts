import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import { isAlreadyExists, isConflict, isNotFound } from "../../src/runtime/client/errors.js";
import { ConfigMap, Deployment, Namespace, Secret } from "../../src/runtime/kinds/kinds.js";
import { kubeConfigFromYaml } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { Widget, eventually, widgetCrd } from "./cluster.js";

const env = new Environment({ crds: [widgetCrd] });
let rest: RestClient;
let cache: InformerCache;
let client: KubeClient;
const stop = new AbortController();
const NS = "client-test";

beforeAll(async () => {
  const started = await env.start();
  rest = new RestClient(await kubeConfigFromYaml(started.kubeconfig), { qps: 0 });
  cache = new InformerCache(rest);
  client = new KubeClient(rest, cache, { fieldManager: "tsop-test" });
  await client.create(Namespace, { metadata: { name: NS } });
  cache.informerFor(Widget);
  cache.informerFor(ConfigMap);
  cache.informerFor(Deployment);
  void cache.start(stop.signal);
  expect(await cache.waitForSync()).toBe(true);
});
afterAll(async () => {
  stop.abort();
  rest?.close();
  await env.stop();
});

describe("KubeClient on a real apiserver", () => {
  it("creates, reads (cached, own writes at once), updates and patches a custom resource", async () => {
    const created = await client.create(Widget, { metadata: { name: "w1", namespace: NS, labels: { app: "w" } }, spec: { size: 1, tags: ["a"] } });
    expect(created.kind).toBe("Widget");
    // Read-your-own-writes: no waiting for the watch.
    const got = await client.get(Widget, "w1", { namespace: NS });
    expect(got.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(Object.isFrozen(got)).toBe(true);

    const copy = structuredClone(got);
    copy.spec = { ...copy.spec, size: 2 };
    const updated = await client.update(Widget, copy);
    expect(updated.spec?.size).toBe(2);
    expect((await client.get(Widget, "w1", { namespace: NS })).metadata?.resourceVersion).toBe(updated.metadata?.resourceVersion);

    const merged = await client.patch(Widget, "w1", { spec: { color: "red" } }, { namespace: NS });
    expect(merged.spec).toEqual({ size: 2, color: "red", tags: ["a"] });
    const jsonPatched = await client.patch(Widget, "w1", [{ op: "add", path: "/spec/tags/-", value: "b" }], { namespace: NS, type: "json" });
    expect(jsonPatched.spec?.tags).toEqual(["a", "b"]);
    expect((await client.get(Widget, "w1", { namespace: NS })).spec?.tags).toEqual(["a", "b"]);

    const direct = await client.direct.get(Widget, "w1", { namespace: NS });
    expect(direct.metadata?.resourceVersion).toBe(jsonPatched.metadata?.resourceVersion);
    expect(direct.metadata?.managedFields?.length).toBeGreaterThan(0);
    expect((await client.get(Widget, "w1", { namespace: NS })).metadata?.managedFields).toBeUndefined();
  });

  it("applies server-side with a field manager, force resolving conflicts", async () => {
    const a = await client.apply(Widget, { apiVersion: "test.tsop.io/v1", kind: "Widget", metadata: { name: "w2", namespace: NS }, spec: { size: 3 } }, { fieldManager: "mgr-a" });
    expect(a.spec?.size).toBe(3);
    expect(a.metadata?.managedFields?.some((f) => (f as { manager?: string }).manager === "mgr-a")).toBe(true);
    const conflict = await client.apply(Widget, { metadata: { name: "w2", namespace: NS }, spec: { size: 4 } }, { fieldManager: "mgr-b" }).catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);
    const forced = await client.apply(Widget, { metadata: { name: "w2", namespace: NS }, spec: { size: 4 } }, { fieldManager: "mgr-b", force: true });
    expect(forced.spec?.size).toBe(4);
    expect((await client.get(Widget, "w2", { namespace: NS })).spec?.size).toBe(4);
  });

  it("writes the status subresource by update, merge patch and apply", async () => {
    const w = await client.create(Widget, { metadata: { name: "w3", namespace: NS }, spec: { size: 1 }, status: { note: "ignored on create" } });
    expect(w.status).toBeUndefined();
    const s1 = await client.updateStatus(Widget, { ...structuredClone(w), status: { ready: false, observedGeneration: 1 } });
    expect(s1.status).toEqual({ ready: false, observedGeneration: 1 });
    const s2 = await client.patchStatus(Widget, "w3", { status: { ready: true } }, { namespace: NS });
    expect(s2.status).toEqual({ ready: true, observedGeneration: 1 });
    const s3 = await client.applyStatus(Widget, { metadata: { name: "w3", namespace: NS }, status: { note: "applied" } }, { fieldManager: "status-mgr", force: true });
    expect(s3.status?.note).toBe("applied");
    expect((await client.get(Widget, "w3", { namespace: NS })).status?.note).toBe("applied");
    // A status write does not change the spec.
    const spec = await client.updateStatus(Widget, { ...structuredClone(s3), spec: { size: 99 } });
    expect(spec.spec?.size).toBe(1);
  });

  it("refreshes the cached object after a 409 conflict so a retry reads the current version", async () => {
    const w = await client.create(Widget, { metadata: { name: "w4", namespace: NS }, spec: { size: 1 } });
    const stale = structuredClone(w);
    // Someone else changes it (directly, the cache is not told).
    await rest.request({ method: "PATCH", path: `/apis/test.tsop.io/v1/namespaces/${NS}/widgets/w4`, body: { spec: { size: 7 } }, contentType: "application/merge-patch+json" });
    const err = await client.update(Widget, { ...stale, spec: { size: 2 } }).catch((e: unknown) => e);
    expect(isConflict(err)).toBe(true);
    const fresh = await client.get(Widget, "w4", { namespace: NS });
    expect(fresh.spec?.size).toBe(7);
    const retried = await client.update(Widget, { ...structuredClone(fresh), spec: { size: 2 } });
    expect(retried.spec?.size).toBe(2);
    expect(isAlreadyExists(await client.create(Widget, { metadata: { name: "w4", namespace: NS } }).catch((e: unknown) => e))).toBe(true);
  });

  it("deletes with a propagation policy; with a finalizer the cache sees the deletionTimestamp at once", async () => {
    await client.create(Widget, { metadata: { name: "w5", namespace: NS, finalizers: ["test.tsop.io/hold"] }, spec: { size: 1 } });
    await client.delete(Widget, "w5", { namespace: NS, propagationPolicy: "Foreground" });
    const deleting = await client.get(Widget, "w5", { namespace: NS });
    expect(deleting.metadata?.deletionTimestamp).toBeTruthy();
    await client.patch(Widget, "w5", [{ op: "remove", path: "/metadata/finalizers" }], { namespace: NS, type: "json" });
    await eventually(() => client.direct.get(Widget, "w5", { namespace: NS }).then(() => false, (e: unknown) => isNotFound(e)), "w5 gone");
    await eventually(() => client.get(Widget, "w5", { namespace: NS }).then(() => false, (e: unknown) => isNotFound(e)), "w5 gone from the cache");
    expect(isNotFound(await client.delete(Widget, "w5", { namespace: NS }).catch((e: unknown) => e))).toBe(true);
  });

  it("handles built-in kinds: ConfigMap CRUD, Deployment strategic merge patch and apply", async () => {
    const cm = await client.create(ConfigMap, { metadata: { name: "cm1", namespace: NS }, data: { a: "1" } });
    expect(cm.apiVersion).toBe("v1");
    const cm2 = await client.patch(ConfigMap, "cm1", { data: { b: "2" } }, { namespace: NS });
    expect(cm2.data).toEqual({ a: "1", b: "2" });
    expect((await client.get(ConfigMap, "cm1", { namespace: NS })).data).toEqual({ a: "1", b: "2" });

    const dep = await client.create(Deployment, {
      metadata: { name: "web", namespace: NS },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "main", image: "nginx:1" }, { name: "side", image: "busybox:1" }] } } },
    });
    expect(dep.spec?.replicas).toBe(1);
    // Strategic merge: containers merge by name, so "side" survives.
    const smp = await client.patch(Deployment, "web", { spec: { template: { spec: { containers: [{ name: "main", image: "nginx:2" }] } } } }, { namespace: NS, type: "strategic" });
    expect(smp.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["main=nginx:2", "side=busybox:1"]);
    const applied = await client.apply(Deployment, { metadata: { name: "web", namespace: NS }, spec: { replicas: 3 } }, { fieldManager: "scaler", force: true });
    expect(applied.spec?.replicas).toBe(3);
    expect((await client.get(Deployment, "web", { namespace: NS })).spec?.replicas).toBe(3);
  });

  it("reads uncached kinds directly and lists with server-side selectors", async () => {
    expect(cache.has(Secret)).toBe(false);
    await client.create(Secret, { metadata: { name: "s1", namespace: NS, labels: { tier: "x" } }, stringData: { k: "v" } });
    await client.create(Secret, { metadata: { name: "s2", namespace: NS, labels: { tier: "y" } } });
    const s = await client.get(Secret, "s1", { namespace: NS });
    expect(Buffer.from(s.data?.k ?? "", "base64").toString()).toBe("v");
    expect((await client.list(Secret, { namespace: NS, labelSelector: "tier in (x)" })).map((o) => o.metadata?.name)).toEqual(["s1"]);
    expect((await client.list(Secret, { namespace: NS, fieldSelector: "metadata.name=s2" })).map((o) => o.metadata?.name)).toEqual(["s2"]);
    expect(cache.has(Secret)).toBe(false);
    expect(isNotFound(await client.get(Secret, "nope", { namespace: NS }).catch((e: unknown) => e))).toBe(true);
  });

  it("lists cluster-scoped kinds", async () => {
    const names = (await client.list(Namespace)).map((n) => n.metadata?.name);
    expect(names).toContain(NS);
    expect(names).toContain("default");
  });
});
