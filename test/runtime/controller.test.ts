import { describe, expect, it } from "vitest";
import { ControllerBuilder } from "../../src/runtime/controller/builder.js";
import { FakeClock } from "../../src/runtime/controller/clock.js";
import { Controller, watchSource } from "../../src/runtime/controller/controller.js";
import { enqueueForObject } from "../../src/runtime/controller/handlers.js";
import type { Client } from "../../src/runtime/client/types.js";
import type { ControllerHost, Runnable } from "../../src/runtime/controller/types.js";
import type { MetricsSink } from "../../src/runtime/metrics/sink.js";
import type { ReconcileContext, Request, Result } from "../../src/runtime/reconcile/types.js";
import { generationChanged } from "../../src/runtime/controller/predicates.js";
import { ApiError } from "../../src/runtime/client/errors.js";
import { terminal } from "../../src/runtime/reconcile/terminal.js";
import { defineKind, type KubeObject } from "../../src/types/index.js";
import { FakeCache, memoryLogger } from "./fake-cache.js";

const Widget = defineKind<KubeObject>({ group: "example.com", version: "v1", kind: "Widget", plural: "widgets", namespaced: true });
const Part = defineKind<KubeObject>({ group: "example.com", version: "v2", kind: "Part", plural: "parts", namespaced: true });
const Config = defineKind<KubeObject>({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true });

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await settle();
  expect(cond()).toBe(true);
}

function obj(name: string, extra: Partial<NonNullable<KubeObject["metadata"]>> = {}): KubeObject {
  return { metadata: { name, namespace: "ns", uid: `uid-${name}`, generation: 1, resourceVersion: "1", ...extra } };
}

function countingSink(): MetricsSink & { counts: Map<string, number>; gauges: Map<string, number> } {
  const counts = new Map<string, number>();
  const gauges = new Map<string, number>();
  const key = (n: string, l: Record<string, string>) => `${n}${l.result ? `{${l.result}}` : ""}`;
  return {
    counts,
    gauges,
    inc: (n, l, v = 1) => void counts.set(key(n, l), (counts.get(key(n, l)) ?? 0) + v),
    set: (n, _l, v) => void gauges.set(n, v),
    observe: (n, l) => void counts.set(`${n}:samples`, (counts.get(`${n}:samples`) ?? 0) + 1),
  };
}

class Recorder {
  calls: { req: Request; ctx: ReconcileContext }[] = [];
  running = new Map<string, number>();
  maxSameKey = 0;
  maxParallel = 0;
  gate: Promise<void> | undefined;
  results: (Result | Error)[] = [];
  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    this.calls.push({ req, ctx });
    const k = `${req.namespace}/${req.name}`;
    this.running.set(k, (this.running.get(k) ?? 0) + 1);
    this.maxSameKey = Math.max(this.maxSameKey, this.running.get(k) ?? 0);
    this.maxParallel = Math.max(this.maxParallel, [...this.running.values()].reduce((a, b) => a + b, 0));
    try {
      if (this.gate) await this.gate;
      const r = this.results.shift();
      if (r instanceof Error) throw r;
      return r;
    } finally {
      this.running.set(k, (this.running.get(k) ?? 1) - 1);
    }
  }
  names(): string[] {
    return this.calls.map((c) => c.req.name);
  }
}

function host(cache: FakeCache, metrics: MetricsSink = countingSink()): ControllerHost & { added: Runnable[]; log: ReturnType<typeof memoryLogger> } {
  const added: Runnable[] = [];
  const log = memoryLogger();
  return { client: {} as Client, cache, logger: log, log, metrics, added, add: (r) => void added.push(r) };
}

describe("Controller", () => {
  it("waits for informer sync, then reconciles each object with a bound logger", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.upsert(obj("a"));
    const h = host(cache);
    const r = new Recorder();
    new ControllerBuilder(h, "widget").for(Widget).complete(r);
    const ctl = h.added[0] as Controller;
    expect(ctl.needsLeaderElection).toBe(true);
    const ac = new AbortController();
    const done = ctl.start(ac.signal);
    await settle();
    expect(r.calls).toHaveLength(0);
    inf.markSynced();
    await until(() => r.calls.length === 1);
    const first = r.calls[0];
    expect(first?.req).toEqual({ namespace: "ns", name: "a" });
    first?.ctx.log.info("hello");
    const line = h.log.lines.find((l) => l.obj === "hello");
    expect(line?.bindings).toMatchObject({ controller: "widget", namespace: "ns", name: "a", reconcileID: first?.ctx.reconcileID });
    ac.abort();
    await done;
    expect(inf.subscribers()).toBe(0);
  });

  it("owns() enqueues the controller owner by group+kind; watches() uses the map function", async () => {
    const cache = new FakeCache();
    for (const k of [Widget, Part, Config]) cache.informerFor(k).markSynced();
    const h = host(cache);
    const r = new Recorder();
    new ControllerBuilder(h, "widget")
      .for(Widget)
      .owns(Part)
      .watches(Config, (o) => [{ namespace: "ns", name: `from-${o.metadata?.name}` }])
      .complete(r);
    const ac = new AbortController();
    const done = (h.added[0] as Controller).start(ac.signal);
    await settle();
    const parts = cache.informerFor(Part);
    parts.upsert(obj("p1", { ownerReferences: [{ apiVersion: "example.com/v1", kind: "Widget", name: "owner1", uid: "u", controller: true }] }));
    parts.upsert(obj("p2", { ownerReferences: [{ apiVersion: "example.com/v1", kind: "Widget", name: "notcontroller", uid: "u" }] }));
    parts.upsert(obj("p3", { ownerReferences: [{ apiVersion: "other.com/v1", kind: "Widget", name: "othergroup", uid: "u", controller: true }] }));
    cache.informerFor(Config).upsert(obj("cm"));
    await until(() => r.calls.length === 2);
    await settle();
    expect(r.names().sort()).toEqual(["from-cm", "owner1"]);
    ac.abort();
    await done;
  });

  it("applies predicates: generationChanged drops status-only updates", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const h = host(cache);
    const r = new Recorder();
    new ControllerBuilder(h, "widget").for(Widget, { predicates: [generationChanged] }).complete(r);
    const ac = new AbortController();
    const done = (h.added[0] as Controller).start(ac.signal);
    inf.upsert(obj("a"));
    await until(() => r.calls.length === 1);
    inf.upsert(obj("a", { resourceVersion: "2" }));
    await settle();
    await settle();
    expect(r.calls).toHaveLength(1);
    inf.upsert(obj("a", { resourceVersion: "3", generation: 2 }));
    await until(() => r.calls.length === 2);
    ac.abort();
    await done;
  });

  it("never reconciles one key twice at once, but runs different keys in parallel", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const h = host(cache);
    const r = new Recorder();
    let open!: () => void;
    r.gate = new Promise((res) => (open = res));
    new ControllerBuilder(h, "widget").for(Widget).withOptions({ maxConcurrentReconciles: 3 }).complete(r);
    const ac = new AbortController();
    const done = (h.added[0] as Controller).start(ac.signal);
    inf.upsert(obj("a"));
    inf.upsert(obj("b"));
    await until(() => r.calls.length === 2);
    inf.upsert(obj("a", { resourceVersion: "2" }));
    inf.upsert(obj("a", { resourceVersion: "3" }));
    await settle();
    expect(r.calls).toHaveLength(2);
    open();
    await until(() => r.calls.length === 3);
    await settle();
    expect(r.names()).toEqual(["a", "b", "a"]);
    expect(r.maxSameKey).toBe(1);
    expect(r.maxParallel).toBe(2);
    ac.abort();
    await done;
  });

  it("retries errors with growing backoff, does not retry terminal errors, honours requeueAfter", async () => {
    const clock = new FakeClock();
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const metrics = countingSink();
    const log = memoryLogger();
    const r = new Recorder();
    r.results = [new Error("boom"), new Error("boom"), { requeueAfter: 1000 }, terminal(new Error("bad spec")), {}];
    const ctl = new Controller({ name: "w", reconciler: r, cache, logger: log, metrics, clock, watches: [watchSource(Widget, enqueueForObject())] });
    const ac = new AbortController();
    const done = ctl.start(ac.signal);
    inf.upsert(obj("a"));
    await until(() => r.calls.length === 1);
    await settle();
    clock.advance(4);
    await settle();
    expect(r.calls).toHaveLength(1);
    clock.advance(1);
    await until(() => r.calls.length === 2);
    await settle();
    clock.advance(9);
    await settle();
    expect(r.calls).toHaveLength(2);
    clock.advance(1);
    await until(() => r.calls.length === 3);
    await settle();
    clock.advance(999);
    await settle();
    expect(r.calls).toHaveLength(3);
    clock.advance(1);
    await until(() => r.calls.length === 4);
    await settle();
    clock.advance(1_000_000);
    await settle();
    expect(r.calls).toHaveLength(4);
    expect(metrics.counts.get("controller_runtime_reconcile_total{error}")).toBe(3);
    expect(metrics.counts.get("controller_runtime_reconcile_total{requeue_after}")).toBe(1);
    expect(metrics.counts.get("controller_runtime_reconcile_errors_total")).toBe(3);
    expect(metrics.counts.get("controller_runtime_terminal_reconcile_errors_total")).toBe(1);
    expect(metrics.counts.get("controller_runtime_reconcile_time_seconds:samples")).toBe(4);
    expect(metrics.gauges.get("controller_runtime_max_concurrent_reconciles")).toBe(1);
    const errors = log.lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(3);
    expect(errors[0]?.bindings).toMatchObject({ name: "a", namespace: "ns" });
    ac.abort();
    await done;
  });

  it("requeue: true goes through the rate limiter", async () => {
    const clock = new FakeClock();
    const cache = new FakeCache();
    cache.informerFor(Widget).markSynced();
    const r = new Recorder();
    r.results = [{ requeue: true }, {}];
    const metrics = countingSink();
    const ctl = new Controller({ name: "w", reconciler: r, cache, logger: memoryLogger(), metrics, clock, watches: [watchSource(Widget, enqueueForObject())] });
    const ac = new AbortController();
    const done = ctl.start(ac.signal);
    cache.informerFor(Widget).upsert(obj("a"));
    await until(() => r.calls.length === 1);
    await settle();
    expect(ctl.queue.delayedLen()).toBe(1);
    clock.advance(5);
    await until(() => r.calls.length === 2);
    expect(metrics.counts.get("controller_runtime_reconcile_total{requeue}")).toBe(1);
    ac.abort();
    await done;
  });

  it("on abort stops taking keys and lets the running reconcile finish before resolving", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const h = host(cache);
    const r = new Recorder();
    let open!: () => void;
    r.gate = new Promise((res) => (open = res));
    new ControllerBuilder(h, "widget").for(Widget).complete(r);
    const ac = new AbortController();
    let resolved = false;
    const done = (h.added[0] as Controller).start(ac.signal).then(() => (resolved = true));
    inf.upsert(obj("a"));
    inf.upsert(obj("b"));
    await until(() => r.calls.length === 1);
    ac.abort();
    await settle();
    expect(resolved).toBe(false);
    expect(r.running.get("ns/a")).toBe(1);
    open();
    await done;
    expect(r.running.get("ns/a")).toBe(0);
    expect(r.names()).toEqual(["a"]);
  });

  it("hands the host's reconcileSignal to reconciles as ctx.signal (aborted when the grace period runs out)", async () => {
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const grace = new AbortController();
    const h = { ...host(cache), reconcileSignal: grace.signal };
    const r = new Recorder();
    new ControllerBuilder(h, "widget").for(Widget).complete(r);
    const ac = new AbortController();
    const done = (h.added[0] as Controller).start(ac.signal);
    inf.upsert(obj("a"));
    await until(() => r.calls.length === 1);
    const ctx = r.calls[0]?.ctx;
    expect(ctx?.signal.aborted).toBe(false);
    grace.abort();
    expect(ctx?.signal.aborted).toBe(true);
    ac.abort();
    await done;
  });

  it("holds workers while an informer is unhealthy", async () => {
    const clock = new FakeClock();
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const r = new Recorder();
    const ctl = new Controller({ name: "w", reconciler: r, cache, logger: memoryLogger(), clock, watches: [watchSource(Widget, enqueueForObject())] });
    inf.healthy = false;
    const ac = new AbortController();
    const done = ctl.start(ac.signal);
    inf.upsert(obj("a"));
    await settle();
    clock.advance(500);
    await settle();
    expect(r.calls).toHaveLength(0);
    inf.healthy = true;
    clock.advance(100);
    await until(() => r.calls.length === 1);
    ac.abort();
    await done;
  });
});

describe("Controller while the apiserver is unreachable", () => {
  it("holds all workers and retries the key without counting a failure", async () => {
    const clock = new FakeClock();
    const cache = new FakeCache();
    const inf = cache.informerFor(Widget);
    inf.markSynced();
    const r = new Recorder();
    r.results = [new ApiError(0, "", "connect ECONNREFUSED"), {}, {}];
    const log = memoryLogger();
    const ctl = new Controller({ name: "w", reconciler: r, cache, logger: log, clock, maxConcurrentReconciles: 2, watches: [watchSource(Widget, enqueueForObject())] });
    const ac = new AbortController();
    const done = ctl.start(ac.signal);
    inf.upsert(obj("a"));
    await until(() => r.calls.length === 1);
    await settle();
    inf.upsert(obj("b"));
    await settle();
    clock.advance(400);
    await settle();
    expect(r.names()).toEqual(["a"]);
    expect(ctl.queue.numRequeues("ns/a")).toBe(0);
    clock.advance(200);
    await until(() => r.calls.length === 3);
    expect(r.names().sort()).toEqual(["a", "a", "b"]);
    expect(log.lines.filter((l) => l.level === "warn" && l.msg === "apiserver unreachable; holding workers")).toHaveLength(1);
    expect(log.lines.filter((l) => l.level === "error")).toHaveLength(0);
    ac.abort();
    await done;
  });
});

describe("ControllerBuilder", () => {
  it("records only; complete() validates exactly one for() and the options", () => {
    const h = host(new FakeCache());
    const r = new Recorder();
    const b = new ControllerBuilder(h, "x").owns(Part);
    expect(h.added).toHaveLength(0);
    expect(() => b.complete(r)).toThrow(/exactly one \.for\(kind\), got 0/);
    expect(() => new ControllerBuilder(h, "x").for(Widget).for(Part).complete(r)).toThrow(/got 2/);
    expect(() => new ControllerBuilder(h, "x").for(Widget).withOptions({ maxConcurrentReconciles: 0 }).complete(r)).toThrow(/positive integer/);
    expect(() => new ControllerBuilder(h, "Bad Name").for(Widget).complete(r)).toThrow(/invalid name/);
    expect(h.added).toHaveLength(0);
    new ControllerBuilder(h, "x").named("renamed").for(Widget).complete(r);
    expect((h.added[0] as Controller).name).toBe("renamed");
  });

  it("withEventFilter applies to every watch", async () => {
    const cache = new FakeCache();
    for (const k of [Widget, Part]) cache.informerFor(k).markSynced();
    const h = host(cache);
    const r = new Recorder();
    new ControllerBuilder(h, "widget")
      .for(Widget)
      .owns(Part)
      .withEventFilter((e) => e.object.metadata?.labels?.skip !== "yes")
      .complete(r);
    const ac = new AbortController();
    const done = (h.added[0] as Controller).start(ac.signal);
    cache.informerFor(Widget).upsert(obj("skipped", { labels: { skip: "yes" } }));
    cache.informerFor(Part).upsert(obj("p", { labels: { skip: "yes" }, ownerReferences: [{ apiVersion: "example.com/v1", kind: "Widget", name: "o", uid: "u", controller: true }] }));
    cache.informerFor(Widget).upsert(obj("kept"));
    await until(() => r.calls.length === 1);
    await settle();
    expect(r.names()).toEqual(["kept"]);
    ac.abort();
    await done;
  });
});
