// Controller semantics against a real kube-apiserver (tsop/envtest): owned objects enqueue their
// owner, events for a busy key merge, one key is never reconciled twice at once, failures back off
// per key, requeueAfter delays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { ControllerBuilder } from "../../src/runtime/controller/builder.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import type { Controller } from "../../src/runtime/controller/controller.js";
import type { ControllerHost, Runnable } from "../../src/runtime/controller/types.js";
import type { ReconcileContext, Request, Result } from "../../src/runtime/reconcile/types.js";
import { ConfigMap, Secret } from "../../src/runtime/kinds/kinds.js";
import { loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { memoryLogger } from "./fake-cache.js";

const env = new Environment();
let rest: RestClient;
let cache: InformerCache;
let client: KubeClient;
const stopCache = new AbortController();
let cacheRun: Promise<void>;

beforeAll(async () => {
  const started = await env.start();
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }), { qps: 0 });
  cache = new InformerCache(rest);
  client = new KubeClient(rest, cache, {});
  cacheRun = cache.start(stopCache.signal);
});
afterAll(async () => {
  stopCache.abort();
  await cacheRun;
  rest?.close();
  await env.stop();
});

async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function host(): ControllerHost & { added: Runnable[] } {
  const added: Runnable[] = [];
  return { client, cache, logger: memoryLogger(), metrics: { inc() {}, set() {}, observe() {} }, added, add: (r) => void added.push(r) };
}

type Handler = (req: Request, ctx: ReconcileContext) => Promise<Result | void>;
function run(build: (b: ControllerBuilder) => ControllerBuilder, handler: Handler): { ctl: Controller; stop: () => Promise<void> } {
  const h = host();
  build(new ControllerBuilder(h, `c${Math.random().toString(36).slice(2, 8)}`)).complete({ reconcile: handler });
  const ctl = h.added[0] as Controller;
  const ac = new AbortController();
  const done = ctl.start(ac.signal);
  return { ctl, stop: () => (ac.abort(), done) };
}

describe("Controller on the apiserver", () => {
  it("owns(): a change to an owned Secret enqueues its controller owner", async () => {
    const ns = "default";
    const parent = await client.create(ConfigMap, { metadata: { name: "owner-parent", namespace: ns } });
    const seen: string[] = [];
    const c = run((b) => b.for(ConfigMap, { predicates: [(e) => e.object.metadata?.name?.startsWith("owner-") ?? false] }).owns(Secret), async (req) => void seen.push(req.name));
    await until("initial reconcile", () => seen.includes("owner-parent"));
    const before = seen.length;
    await client.create(Secret, {
      metadata: { name: "owned", namespace: ns, ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner-parent", uid: parent.metadata?.uid ?? "", controller: true }] },
      stringData: { k: "v" },
    });
    await until("owner enqueued by the Secret's creation", () => seen.length > before);
    expect(seen.slice(before).every((n) => n === "owner-parent")).toBe(true);
    const mid = seen.length;
    await client.patch(Secret, "owned", { metadata: { labels: { touched: "yes" } } }, { namespace: ns });
    await until("owner enqueued by the Secret's update", () => seen.length > mid);
    await c.stop();
  });

  it("merges events for a busy key and never runs one key twice at once", async () => {
    const ns = "default";
    await client.create(ConfigMap, { metadata: { name: "busy-a", namespace: ns }, data: { v: "0" } });
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const c = run(
      (b) => b.for(ConfigMap, { predicates: [(e) => e.object.metadata?.name === "busy-a"] }).withOptions({ maxConcurrentReconciles: 4 }),
      async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gate;
        running--;
      },
    );
    await until("first reconcile running", () => calls === 1);
    for (let i = 1; i <= 5; i++) await client.patch(ConfigMap, "busy-a", { data: { v: String(i) } }, { namespace: ns });
    let cached = "";
    await until("cache saw the 5 updates", () => {
      void cache.get(ConfigMap, "busy-a", { namespace: ns }).then((o) => (cached = o.data?.["v"] ?? ""));
      return cached === "5";
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(1);
    open();
    await until("the merged key reconciled once more", () => calls === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
    await c.stop();
  });

  it("backs off a failing key (numRequeues grows), resets on success, and honours requeueAfter", async () => {
    await client.create(ConfigMap, { metadata: { name: "flaky", namespace: "default" } });
    const times: number[] = [];
    const requeues: number[] = [];
    let ctlRef: Controller | undefined;
    const c = run(
      (b) => b.for(ConfigMap, { predicates: [(e) => e.object.metadata?.name === "flaky"] }),
      async () => {
        times.push(performance.now());
        requeues.push(ctlRef?.queue.numRequeues("default/flaky") ?? -1);
        if (times.length <= 4) throw new Error("not yet");
        if (times.length === 5) return { requeueAfter: 300 };
        return {};
      },
    );
    ctlRef = c.ctl;
    await until("six reconciles", () => times.length === 6);
    expect(requeues).toEqual([0, 1, 2, 3, 4, 0]);
    // per-key backoff: 5, 10, 20, 40 ms at least; then the requeueAfter of 300 ms at least.
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    [5, 10, 20, 40, 300].forEach((min, i) => expect(gaps[i]).toBeGreaterThanOrEqual(min - 1));
    await c.stop();
  });
});
