import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { InformerCache, indexControllerOwner } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import type { InformerEvent } from "../../src/runtime/cache/types.js";
import { ConfigMap, Namespace, type ConfigMapObject } from "../../src/runtime/kinds/kinds.js";
import { kubeConfigFromYaml, type ClusterConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { Widget, eventually, widgetCrd } from "./cluster.js";
import { startTcpProxy } from "./tcp-proxy.js";

const env = new Environment({ crds: [widgetCrd] });
let config: ClusterConfig;
let rest: RestClient;
let direct: KubeClient;
const stops: AbortController[] = [];
const fast = { backoff: { initialMs: 100, maxMs: 1000 } };

beforeAll(async () => {
  const started = await env.start();
  config = await kubeConfigFromYaml(started.kubeconfig);
  rest = new RestClient(config, { qps: 0 });
  // A client whose cache has no informers: every call goes to the apiserver.
  direct = new KubeClient(rest, new InformerCache(rest));
  for (const ns of ["sel-a", "sel-b", "idx", "resume", "relist", "relist-other"]) await direct.create(Namespace, { metadata: { name: ns } });
});
afterAll(async () => {
  for (const s of stops) s.abort();
  rest?.close();
  await env.stop();
});

function startCache(r: RestClient, opts: ConstructorParameters<typeof InformerCache>[1] = {}): InformerCache {
  const cache = new InformerCache(r, { reflector: fast, ...opts });
  const stop = new AbortController();
  stops.push(stop);
  void cache.start(stop.signal);
  return cache;
}

/** Subscribes and checks that events form a consistent history (no add of a present key, ...). */
function history(cache: InformerCache): { model: Map<string, string>; violations: string[]; events: string[] } {
  const model = new Map<string, string>();
  const violations: string[] = [];
  const events: string[] = [];
  cache.informerFor(ConfigMap).subscribe((e: InformerEvent<ConfigMapObject>) => {
    const key = `${e.object.metadata?.namespace}/${e.object.metadata?.name}`;
    events.push(`${e.type}:${key}`);
    if (e.type === "add" && model.has(key)) violations.push(`add of present ${key}`);
    if (e.type !== "add" && !model.has(key)) violations.push(`${e.type} of absent ${key}`);
    if (e.type === "delete") model.delete(key);
    else model.set(key, e.object.metadata?.resourceVersion ?? "");
  });
  return { model, violations, events };
}

async function serverState(namespace: string): Promise<Map<string, string>> {
  const items = await direct.direct.list(ConfigMap, { namespace });
  return new Map(items.map((o) => [`${namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion ?? ""]));
}

function subset(model: Map<string, string>, namespace: string): Map<string, string> {
  return new Map([...model].filter(([k]) => k.startsWith(`${namespace}/`)));
}

describe("InformerCache on a real apiserver", () => {
  it("syncs, then serves label and field selectors exactly like the apiserver", async () => {
    const labels: Record<string, string>[] = [{ app: "web", tier: "front" }, { app: "web", tier: "back" }, { app: "db" }, { app: "db", legacy: "true" }, {}];
    for (const ns of ["sel-a", "sel-b"]) for (const [i, l] of labels.entries()) await direct.create(ConfigMap, { metadata: { name: `cm-${i}`, namespace: ns, labels: l } });
    const cache = startCache(rest);
    cache.informerFor(ConfigMap);
    expect(cache.isReady()).toBe(false);
    expect(await cache.waitForSync()).toBe(true);
    expect(cache.isReady()).toBe(true);
    const selectors: { namespace?: string; labelSelector?: string; fieldSelector?: string }[] = [
      { namespace: "sel-a" },
      { namespace: "sel-a", labelSelector: "app=web" },
      { namespace: "sel-b", labelSelector: "app==db,!legacy" },
      { labelSelector: "tier in (front,back)" },
      { labelSelector: "tier notin (front),app" },
      { labelSelector: "app!=web" },
      { labelSelector: "legacy" },
      { fieldSelector: "metadata.name=cm-2" },
      { fieldSelector: "metadata.namespace=sel-b,metadata.name!=cm-0" },
      { namespace: "sel-a", fieldSelector: "metadata.name=cm-4" },
    ];
    for (const sel of selectors) {
      const keys = (l: ConfigMapObject[]): string[] => l.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).filter((k) => k.startsWith("sel-")).sort();
      const fromCache = keys(await cache.list(ConfigMap, sel));
      const fromServer = keys(await direct.direct.list(ConfigMap, sel));
      expect(fromCache, JSON.stringify(sel)).toEqual(fromServer);
      expect(fromCache.length, JSON.stringify(sel)).toBeGreaterThan(0);
    }
    const one = await cache.get(ConfigMap, "cm-0", { namespace: "sel-a" });
    expect(one.metadata?.labels).toEqual({ app: "web", tier: "front" });
    expect(Object.isFrozen(one)).toBe(true);
  });

  it("shares one informer per kind and keeps indexes (custom and controller owner) up to date", async () => {
    const cache = startCache(rest);
    expect(cache.informerFor(ConfigMap)).toBe(cache.informerFor(ConfigMap));
    cache.indexField(ConfigMap, "color", (o) => (o.data?.color ? [o.data.color] : []));
    const ownedBy = indexControllerOwner(cache, ConfigMap);
    cache.informerFor(Widget);
    await cache.waitForSync();
    const w = await direct.create(Widget, { metadata: { name: "owner", namespace: "idx" }, spec: { size: 1 } });
    const ref = { apiVersion: "test.tsop.io/v1", kind: "Widget", name: "owner", uid: w.metadata?.uid ?? "", controller: true };
    await direct.create(ConfigMap, { metadata: { name: "c1", namespace: "idx", ownerReferences: [ref] }, data: { color: "red" } });
    await direct.create(ConfigMap, { metadata: { name: "c2", namespace: "idx", ownerReferences: [{ ...ref, controller: false }] }, data: { color: "red" } });
    await direct.create(ConfigMap, { metadata: { name: "c3", namespace: "idx" }, data: { color: "blue" } });
    await eventually(() => cache.byIndex(ConfigMap, "color", "red").length === 2, "two red configmaps indexed");
    expect(ownedBy(w).map((o) => o.metadata?.name)).toEqual(["c1"]);
    await direct.patch(ConfigMap, "c1", { data: { color: "blue" } }, { namespace: "idx" });
    await eventually(() => cache.byIndex(ConfigMap, "color", "blue").length === 2, "c1 moved to blue");
    expect(cache.byIndex(ConfigMap, "color", "red").map((o) => o.metadata?.name)).toEqual(["c2"]);
    await direct.delete(ConfigMap, "c1", { namespace: "idx" });
    await eventually(() => ownedBy(w).length === 0, "owner index emptied after delete");
    expect((await cache.list(ConfigMap, { namespace: "idx" })).map((o) => o.metadata?.name).sort()).toEqual(["c2", "c3"]);
  });

  it("watches only the given namespaces", async () => {
    const cache = startCache(rest, { namespaces: ["sel-b"] });
    cache.informerFor(ConfigMap);
    await cache.waitForSync();
    const all = await cache.list(ConfigMap);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((o) => o.metadata?.namespace === "sel-b")).toBe(true);
    await expect(cache.get(ConfigMap, "cm-0", { namespace: "sel-a" })).rejects.toThrow(/only watches sel-b/);
    await expect(cache.list(ConfigMap, { namespace: "sel-a" })).rejects.toThrow(/only watches sel-b/);
  });

  it("caches metadata only for kinds listed in metadataOnly; the client then reads them directly", async () => {
    const cache = startCache(rest, { metadataOnly: [ConfigMap] });
    const inf = cache.informerFor(ConfigMap);
    await cache.waitForSync();
    await direct.create(ConfigMap, { metadata: { name: "meta-1", namespace: "idx", labels: { m: "1" } }, data: { big: "x".repeat(1000) } });
    const meta = await eventually(() => inf.get("meta-1", "idx"), "metadata of meta-1 cached");
    expect(meta.kind).toBe("PartialObjectMetadata");
    expect(meta.metadata?.labels).toEqual({ m: "1" });
    expect((meta as ConfigMapObject).data).toBeUndefined();
    expect(cache.has(ConfigMap)).toBe(false);
    const client = new KubeClient(rest, cache);
    expect((await client.get(ConfigMap, "meta-1", { namespace: "idx" })).data?.big?.length).toBe(1000);
    expect((await cache.list(ConfigMap, { labelSelector: "m=1" })).map((o) => o.kind)).toEqual(["PartialObjectMetadata"]);
  });

  it("resumes the watch after the apiserver restarts (same etcd) without missing or duplicating state", async () => {
    for (let i = 0; i < 5; i++) await direct.create(ConfigMap, { metadata: { name: `r-${i}`, namespace: "resume" }, data: { v: "0" } });
    const cache = startCache(rest);
    const h = history(cache);
    const inf = cache.informerFor(ConfigMap);
    await cache.waitForSync();
    expect(inf.isHealthy()).toBe(true);
    await env.stopApiServer();
    await eventually(() => !inf.isHealthy(), "informer unhealthy while the apiserver is down");
    expect(cache.isReady()).toBe(false);
    await env.startApiServer();
    await direct.patch(ConfigMap, "r-0", { data: { v: "1" } }, { namespace: "resume" });
    await direct.delete(ConfigMap, "r-1", { namespace: "resume" });
    await direct.create(ConfigMap, { metadata: { name: "r-5", namespace: "resume" } });
    const want = await serverState("resume");
    await eventually(() => JSON.stringify([...subset(h.model, "resume")].sort()) === JSON.stringify([...want].sort()), "cache equal to the server after restart");
    await eventually(() => inf.isHealthy(), "healthy again");
    expect(cache.isReady()).toBe(true);
    expect(h.violations).toEqual([]);
    expect((await cache.get(ConfigMap, "r-0", { namespace: "resume" })).data).toEqual({ v: "1" });
    expect(h.events.filter((e) => e.endsWith("resume/r-1"))).toEqual(["add:resume/r-1", "delete:resume/r-1"]);
  });

  it("relists after a 410 (etcd compacted while disconnected) and emits deletes for vanished objects", async () => {
    for (const n of ["a", "b", "c"]) await direct.create(ConfigMap, { metadata: { name: n, namespace: "relist" }, data: { v: "0" } });
    const proxy = await startTcpProxy(config.server);
    const proxied = new RestClient({ ...config, server: proxy.url }, { qps: 0 });
    try {
      const cache = startCache(proxied, { namespaces: ["relist"] });
      const h = history(cache);
      const inf = cache.informerFor(ConfigMap);
      await cache.waitForSync();
      expect(inf.lists).toBe(1);
      proxy.cut();
      await eventually(() => !inf.isHealthy(), "informer unhealthy while cut off");
      await direct.delete(ConfigMap, "a", { namespace: "relist" });
      await direct.patch(ConfigMap, "b", { data: { v: "1" } }, { namespace: "relist" });
      await direct.create(ConfigMap, { metadata: { name: "d", namespace: "relist" } });
      await direct.create(ConfigMap, { metadata: { name: "elsewhere", namespace: "relist-other" } });
      // Push the informer's resourceVersion out of history: compact etcd and restart the apiserver
      // so its watch cache forgets the events too.
      await env.compactEtcd();
      await env.restartApiServer();
      proxy.heal();
      const want = await serverState("relist");
      await eventually(() => JSON.stringify([...h.model].sort()) === JSON.stringify([...want].sort()), "cache equal to the server after relist");
      await eventually(() => inf.isHealthy(), "healthy again");
      expect(inf.lists).toBe(2);
      expect(h.violations).toEqual([]);
      expect(h.events.slice(3).sort()).toEqual(["add:relist/d", "delete:relist/a", "update:relist/b"]);
    } finally {
      proxied.close();
      await proxy.close();
    }
  });
});
