import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import type { InformerEvent } from "../../src/runtime/cache/types.js";
import { ConfigMap, Namespace, type ConfigMapObject } from "../../src/runtime/kinds/kinds.js";
import { kubeConfigFromYaml, type ClusterConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { eventually } from "./cluster.js";
import { startTcpProxy } from "./tcp-proxy.js";

// Without the watch cache, watches are served by etcd itself, so compacting etcd alone (no
// apiserver restart) makes the informer's resourceVersion expire: a pure 410 path.
const env = new Environment({ apiServerArgs: ["--watch-cache=false"] });
let config: ClusterConfig;
let rest: RestClient;
let direct: KubeClient;
const stop = new AbortController();

beforeAll(async () => {
  const started = await env.start();
  config = await kubeConfigFromYaml(started.kubeconfig);
  rest = new RestClient(config, { qps: 0 });
  direct = new KubeClient(rest, new InformerCache(rest));
  await direct.create(Namespace, { metadata: { name: "gone" } });
});
afterAll(async () => {
  stop.abort();
  rest?.close();
  await env.stop();
});

describe("reflector on an apiserver without watch cache", () => {
  it("gets 410 after etcd compaction, relists, and emits delete/update/add for what changed meanwhile", async () => {
    for (const n of ["a", "b", "c"]) await direct.create(ConfigMap, { metadata: { name: n, namespace: "gone" }, data: { v: "0" } });
    const proxy = await startTcpProxy(config.server);
    const proxied = new RestClient({ ...config, server: proxy.url }, { qps: 0 });
    try {
      const counters = new Map<string, number>();
      const metrics = {
        inc: (n: string, l: Record<string, string>, v = 1) => counters.set(`${n}{${l.kind}}`, (counters.get(`${n}{${l.kind}}`) ?? 0) + v),
        set: (n: string, l: Record<string, string>, v: number) => counters.set(`${n}{${l.kind}}`, v),
        observe() {},
      };
      const cache = new InformerCache(proxied, { namespaces: ["gone"], metrics, reflector: { backoff: { initialMs: 100, maxMs: 1000 } } });
      const events: string[] = [];
      const inf = cache.informerFor(ConfigMap);
      inf.subscribe((e: InformerEvent<ConfigMapObject>) => events.push(`${e.type}:${e.object.metadata?.name}`));
      void cache.start(stop.signal);
      await cache.waitForSync();
      await direct.patch(ConfigMap, "c", { data: { v: "live" } }, { namespace: "gone" });
      await eventually(() => inf.get("c", "gone")?.data?.v === "live", "live update seen through the watch");
      expect(inf.lists).toBe(1);

      proxy.cut();
      await eventually(() => !inf.isHealthy(), "unhealthy while cut off");
      await direct.delete(ConfigMap, "a", { namespace: "gone" });
      await direct.patch(ConfigMap, "b", { data: { v: "1" } }, { namespace: "gone" });
      await direct.create(ConfigMap, { metadata: { name: "d", namespace: "gone" } });
      await env.compactEtcd();
      proxy.heal();

      await eventually(() => inf.lists === 2, "a relist after the 410");
      await eventually(() => inf.isHealthy(), "healthy again");
      const want = (await direct.direct.list(ConfigMap, { namespace: "gone" })).map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
      expect(inf.list().map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort()).toEqual(want);
      expect(events.slice(4).sort()).toEqual(["add:d", "delete:a", "update:b"]);
      // The watch resumed from the relist: later changes still arrive.
      await direct.patch(ConfigMap, "d", { data: { v: "after" } }, { namespace: "gone" });
      await eventually(() => inf.get("d", "gone")?.data?.v === "after", "watch alive after the relist");
      expect(counters.get("tsop_reflector_lists_total{ConfigMap}")).toBe(2);
      expect(counters.get("tsop_reflector_errors_total{ConfigMap}")).toBeGreaterThanOrEqual(3);
      expect(counters.get("tsop_informer_objects{ConfigMap}")).toBe(3);
    } finally {
      proxied.close();
      await proxy.close();
    }
  });
});
