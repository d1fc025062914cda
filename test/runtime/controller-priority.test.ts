// Controller-level semantics of the priority queue, reconcile timeouts and unique names (pure logic:
// fake cache and clock; the real-apiserver counterpart is priority-envtest.test.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { ControllerBuilder } from "../../src/runtime/controller/builder.js";
import { FakeClock } from "../../src/runtime/controller/clock.js";
import { Controller, ReconcileTimeoutError, watchSource } from "../../src/runtime/controller/controller.js";
import { enqueueForObject } from "../../src/runtime/controller/handlers.js";
import type { Client } from "../../src/runtime/client/types.js";
import type { ControllerHost, Runnable } from "../../src/runtime/controller/types.js";
import type { MetricsSink } from "../../src/runtime/metrics/sink.js";
import type { ReconcileContext, Request, Result } from "../../src/runtime/reconcile/types.js";
import { Manager } from "../../src/runtime/manager/manager.js";
import { defineKind, type KubeObject } from "../../src/types/index.js";
import { FakeCache, memoryLogger } from "./fake-cache.js";

const Widget = defineKind<KubeObject>({ group: "example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true });
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await settle();
  expect(cond()).toBe(true);
}
const obj = (name: string, rv: string): KubeObject => ({ metadata: { name, namespace: "ns", uid: `uid-${name}`, resourceVersion: rv } });

function sink(): MetricsSink & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return { counts, inc: (n, _l, v = 1) => void counts.set(n, (counts.get(n) ?? 0) + v), set() {}, observe() {} };
}

function host(cache: FakeCache, metrics: MetricsSink = sink()): ControllerHost & { added: Runnable[] } {
  const added: Runnable[] = [];
  return { client: {} as Client, cache, logger: memoryLogger(), metrics, added, add: (r) => void added.push(r) };
}

describe("Controller priorities", () => {
  it("queues the initial list at low priority, most recently changed first, behind live events, and only after every informer synced", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    for (const [name, rv] of [["old", "10"], ["newest", "40"], ["middle", "20"]] as const) inf.upsert(obj(name, rv), true);
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = host(cache);
    new ControllerBuilder(h, "widget").for(Widget).complete({
      async reconcile(req: Request) {
        seen.push(req.name);
        if (seen.length === 1) await gate;
      },
    });
    const ctl = h.added[0] as Controller;
    const ac = new AbortController();
    const done = ctl.start(ac.signal);
    await settle();
    // Not synced yet: nothing queued or reconciled (the first-reconcile gate).
    expect(ctl.queue.len()).toBe(0);
    expect(seen).toEqual([]);
    inf.markSynced();
    await until(() => seen.length === 1);
    // When the first reconcile runs, the whole initial list is queued already.
    expect(ctl.queue.len()).toBe(2);
    inf.upsert(obj("live", "50"));
    release();
    await until(() => seen.length === 4);
    expect(seen).toEqual(["newest", "live", "middle", "old"]);
    ac.abort();
    await done;
  });

  it("requeues with the priority the request had, or the one the Result asks for", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.upsert(obj("bulk", "1"), true);
    inf.upsert(obj("raised", "2"), true);
    const clock = new FakeClock();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = host(cache);
    const c = new Controller({
      name: "widget", cache, logger: memoryLogger(), clock, watches: [watchSource(Widget, enqueueForObject())],
      reconciler: {
        async reconcile(req: Request): Promise<Result> {
          seen.push(req.name);
          if (req.name === "blocker") await gate;
          const first = seen.filter((n) => n === req.name).length === 1;
          if (req.name === "bulk" && first) return { requeueAfter: 10 };
          if (req.name === "raised" && first) return { requeueAfter: 10, priority: 5 };
          return {};
        },
      },
    });
    void h;
    const ac = new AbortController();
    const done = c.start(ac.signal);
    inf.markSynced();
    await until(() => seen.length === 2);
    expect(seen).toEqual(["raised", "bulk"]);
    inf.upsert(obj("blocker", "3"));
    await until(() => seen.length === 3);
    clock.advance(10);
    // bulk and raised are ready again; a live add lands while the worker is busy.
    inf.upsert(obj("live", "4"));
    release();
    await until(() => seen.length === 6);
    expect(seen.slice(3)).toEqual(["raised", "live", "bulk"]);
    ac.abort();
    await done;
  });
});

describe("Controller reconcile timeout", () => {
  it("aborts ctx.signal with a ReconcileTimeoutError after reconcileTimeoutMs and counts it; a fast reconcile is not counted", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const clock = new FakeClock();
    const metrics = sink();
    const signals: AbortSignal[] = [];
    const c = new Controller({
      name: "widget", cache, logger: memoryLogger(), clock, metrics, reconcileTimeoutMs: 1000, watches: [watchSource(Widget, enqueueForObject())],
      reconciler: {
        async reconcile(req: Request, ctx: ReconcileContext) {
          signals.push(ctx.signal);
          if (req.name === "fast") return;
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
          throw ctx.signal.reason;
        },
      },
    });
    const ac = new AbortController();
    const done = c.start(ac.signal);
    await settle();
    inf.upsert(obj("fast", "1"));
    await until(() => signals.length === 1);
    await settle();
    clock.advance(5000);
    expect(signals[0]?.aborted).toBe(false);
    expect(metrics.counts.get("controller_runtime_reconcile_timeouts_total")).toBe(0);
    inf.upsert(obj("slow", "2"));
    await until(() => signals.length === 2);
    clock.advance(999);
    await settle();
    expect(signals[1]?.aborted).toBe(false);
    clock.advance(1);
    await until(() => metrics.counts.get("controller_runtime_reconcile_timeouts_total") === 1);
    expect(signals[1]?.reason).toBeInstanceOf(ReconcileTimeoutError);
    expect(String(signals[1]?.reason)).toMatch(/controller widget: reconcile timed out after 1000 ms/);
    expect(metrics.counts.get("controller_runtime_reconcile_errors_total")).toBe(1);
    ac.abort();
    await done;
  });

  it("the builder takes reconcileTimeoutMs from withOptions, else from the host's defaults, and rejects a negative one", () => {
    const cache = new FakeCache();
    const h = { ...host(cache), controllerDefaults: { reconcileTimeoutMs: 250, maxConcurrentReconciles: 3 } };
    const r = { reconcile: async () => {} };
    new ControllerBuilder(h, "a").for(Widget).complete(r);
    new ControllerBuilder(h, "b").for(Widget).withOptions({ reconcileTimeoutMs: 0, maxConcurrentReconciles: 1 }).complete(r);
    const [a, b] = h.added as Controller[];
    expect((a as unknown as { opts: { reconcileTimeoutMs: number; maxConcurrentReconciles: number } }).opts).toMatchObject({ reconcileTimeoutMs: 250, maxConcurrentReconciles: 3 });
    expect((b as unknown as { opts: { reconcileTimeoutMs: number; maxConcurrentReconciles: number } }).opts).toMatchObject({ reconcileTimeoutMs: 0, maxConcurrentReconciles: 1 });
    expect(() => new ControllerBuilder(h, "c").for(Widget).withOptions({ reconcileTimeoutMs: -1 }).complete(r)).toThrow(/reconcileTimeoutMs must be 0 \(none\) or more, got -1/);
  });
});

describe("Controller names", () => {
  it("a second controller with the same name on one manager is a UserError naming it; other managers are independent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsop-names-"));
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, JSON.stringify({ apiVersion: "v1", kind: "Config", "current-context": "c", contexts: [{ name: "c", context: { cluster: "k", user: "u" } }], clusters: [{ name: "k", cluster: { server: "https://127.0.0.1:1" } }], users: [{ name: "u", user: { token: "t" } }] }));
    const mgr = await Manager.create({ kubeconfig, metricsBindAddress: "0", healthProbeBindAddress: "0" });
    const r = { reconcile: async () => {} };
    mgr.controller("widget").for(Widget).complete(r);
    let err: unknown;
    try {
      mgr.controller("other").for(Widget).named("widget").complete(r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/controller "widget" is registered twice: controller names must be unique/);
    mgr.controller("widget-2").for(Widget).complete(r);
    const other = await Manager.create({ kubeconfig, metricsBindAddress: "0", healthProbeBindAddress: "0" });
    other.controller("widget").for(Widget).complete(r);
    mgr.rest.close();
    other.rest.close();
  });
});
