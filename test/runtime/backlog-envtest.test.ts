// A live event overtakes a 10,000-key initial backlog, against a real kube-apiserver (tsop/envtest).
// The backlog's reconciles read only the cache, so they complete in microtasks: unless workers yield
// to the event loop between reconciles, the response to a write and the watch event of a new object
// wait until the whole backlog is worked off. Asserts order, not time: the event is made readable
// (held in a proxy, then written to the controller's socket) just before the backlog goes on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { ControllerBuilder } from "../../src/runtime/controller/builder.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import type { Controller } from "../../src/runtime/controller/controller.js";
import type { ControllerHost, Runnable } from "../../src/runtime/controller/types.js";
import { ConfigMap, Namespace, Secret } from "../../src/runtime/kinds/kinds.js";
import { kubeConfigFromYaml, type ClusterConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { eventually } from "./cluster.js";
import { memoryLogger } from "./fake-cache.js";
import { startTcpProxy } from "./tcp-proxy.js";

const env = new Environment();
const NS = "backlog";
/** 100 Secrets, each mapped to 100 requests: a 10,000-key initial list. */
const SOURCES = 100;
const PER_SOURCE = 100;
const N = SOURCES * PER_SOURCE;
let config: ClusterConfig;
let rest: RestClient;
let direct: KubeClient;

beforeAll(async () => {
  config = await kubeConfigFromYaml((await env.start()).kubeconfig);
  rest = new RestClient(config, { qps: 0 });
  direct = new KubeClient(rest, new InformerCache(rest));
  await direct.create(Namespace, { metadata: { name: NS } });
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < SOURCES) await direct.create(Secret, { metadata: { name: `src-${next++}`, namespace: NS }, stringData: { k: "v" } });
  }));
});
afterAll(async () => {
  rest?.close();
  await env.stop();
});

describe("live events during a 10,000-key initial backlog", () => {
  it("an event that comes in while the backlog is worked off is reconciled before the rest of the backlog", async () => {
    // The controller's watches go through a proxy that can hold what the apiserver sends.
    const proxy = await startTcpProxy(config.server);
    const proxied = new RestClient({ ...config, server: proxy.url }, { qps: 0 });
    const cache = new InformerCache(proxied, { namespaces: [NS] });
    const client = new KubeClient(proxied, cache, {});
    const stopCache = new AbortController();
    const cacheRun = cache.start(stopCache.signal);
    const added: Runnable[] = [];
    const host: ControllerHost = { client, cache, logger: memoryLogger(), metrics: { inc() {}, set() {}, observe() {} }, add: (r) => void added.push(r) };
    const seen: string[] = [];
    let go!: () => void;
    const started = new Promise<void>((r) => (go = r));
    new ControllerBuilder(host, "backlog")
      .for(ConfigMap, { predicates: [(e) => e.object.metadata?.name === "fresh"] })
      .watches(Secret, (s) => Array.from({ length: PER_SOURCE }, (_, j) => ({ namespace: NS, name: `${s.metadata?.name}.${j}` })))
      .withOptions({ maxConcurrentReconciles: 4 })
      .complete({
        async reconcile(req) {
          await started;
          seen.push(req.name);
          // A converged object's reconcile: a read from the cache, nothing to write.
          if (req.name !== "fresh") await client.get(Secret, req.name.slice(0, req.name.indexOf(".")), { namespace: NS });
          return {};
        },
      });
    const ctl = added[0] as Controller;
    const stop = new AbortController();
    const running = ctl.start(stop.signal);
    try {
      // The workers hold the first keys of the backlog; the new object's watch event is held in
      // the proxy, then written to the controller's socket just before the workers go on.
      await eventually(() => ctl.queue.inFlight() === 4, "the workers on the backlog");
      proxy.hold();
      await direct.create(ConfigMap, { metadata: { name: "fresh", namespace: NS } });
      await eventually(() => proxy.heldBytes() > 0, "the new object's watch event held in the proxy");
      proxy.release();
      go();
      await eventually(() => seen.length === N + 1, "the backlog and the new object reconciled", 120_000);
    } finally {
      stop.abort();
      await running;
      stopCache.abort();
      await cacheRun;
      proxied.close();
      await proxy.close();
    }
    expect(new Set(seen).size).toBe(N + 1);
    // Readable before the backlog went on, the event went ahead of what was left of it (workers
    // that run reconciles back to back without yielding would read it only after the last one).
    const at = seen.indexOf("fresh");
    expect(at).toBeGreaterThanOrEqual(4);
    expect(at).toBeLessThan(N / 2);
  });
});
