// The priority queue against a real kube-apiserver (tsop/envtest): with many existing objects, an
// object created after the controller started is reconciled before the initial list's bulk, the
// most recently changed existing object goes first, and nothing is reconciled before the whole
// initial list is queued.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { ControllerBuilder } from "../../src/runtime/controller/builder.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import type { Controller } from "../../src/runtime/controller/controller.js";
import type { ControllerHost, Runnable } from "../../src/runtime/controller/types.js";
import { ConfigMap } from "../../src/runtime/kinds/kinds.js";
import { loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { eventually } from "./cluster.js";
import { memoryLogger } from "./fake-cache.js";

const env = new Environment();
const N = 200;
let rest: RestClient;
let client: KubeClient;

beforeAll(async () => {
  const started = await env.start();
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }));
  client = new KubeClient(rest, new InformerCache(rest), {});
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < N) await client.create(ConfigMap, { metadata: { name: `bulk-${next++}`, namespace: "default" } });
  }));
  // The most recently changed existing object.
  await client.patch(ConfigMap, "bulk-7", { metadata: { labels: { touched: "yes" } } }, { namespace: "default" });
});
afterAll(async () => {
  rest?.close();
  await env.stop();
});

describe("priority queue on the apiserver", () => {
  it("a new object overtakes the initial list; the latest-changed existing object is first; the first reconcile waits for the whole list", async () => {
    const cache = new InformerCache(rest);
    const stopCache = new AbortController();
    const cacheRun = cache.start(stopCache.signal);
    const added: Runnable[] = [];
    const host: ControllerHost = { client, cache, logger: memoryLogger(), metrics: { inc() {}, set() {}, observe() {} }, add: (r) => void added.push(r) };
    const seen: string[] = [];
    const queuedAtFirst: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let ctl!: Controller;
    const isOurs = (name: string | undefined): boolean => !!name && (name.startsWith("bulk-") || name === "fresh");
    new ControllerBuilder(host, "priority")
      .for(ConfigMap, { predicates: [(e) => isOurs(e.object.metadata?.name)] })
      .complete({
        async reconcile(req) {
          if (seen.length === 0) queuedAtFirst.push(ctl.queue.len());
          seen.push(req.name);
          if (seen.length === 1) await gate;
        },
      });
    ctl = added[0] as Controller;
    const stop = new AbortController();
    const running = ctl.start(stop.signal);
    await eventually(() => seen.length === 1, "the first reconcile");
    expect(seen[0]).toBe("bulk-7");
    expect(queuedAtFirst).toEqual([N - 1]);
    await client.create(ConfigMap, { metadata: { name: "fresh", namespace: "default" } });
    await eventually(() => ctl.queue.len() === N, "the new object's event queued");
    release();
    await eventually(() => seen.length === N + 1, "every object reconciled", 60_000);
    expect(seen[1]).toBe("fresh");
    expect(new Set(seen).size).toBe(N + 1);
    stop.abort();
    await running;
    stopCache.abort();
    await cacheRun;
  });
});
