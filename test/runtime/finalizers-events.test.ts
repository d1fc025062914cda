// Finalizer API helpers (conflict retry) and the EventRecorder (dedupe, aggregation) against a real
// kube-apiserver started through tsop/envtest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import { FakeClock } from "../../src/runtime/controller/clock.js";
import { EventKind, EventRecorder } from "../../src/runtime/events/events.js";
import { ensureFinalizer, removeFinalizerAndUpdate } from "../../src/runtime/finalizers/finalizers.js";
import type { Client } from "../../src/runtime/client/types.js";
import { ConfigMap, Namespace } from "../../src/runtime/kinds/kinds.js";
import { loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { memoryLogger } from "./fake-cache.js";

const env = new Environment();
let rest: RestClient;
let client: KubeClient;

beforeAll(async () => {
  const started = await env.start();
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }), { qps: 0 });
  client = new KubeClient(rest, new InformerCache(rest), {});
});
afterAll(async () => {
  rest?.close();
  await env.stop();
});

/** Counts patch calls going through a client. */
function counting(c: Client): Client & { patches: number } {
  const wrapped = Object.create(c) as Client & { patches: number };
  wrapped.patches = 0;
  const patch: Client["patch"] = (kind, name, p, opts) => {
    wrapped.patches++;
    return c.patch(kind, name, p, opts);
  };
  wrapped.patch = patch;
  return wrapped;
}

describe("finalizer helpers on the apiserver", () => {
  it("ensureFinalizer retries a conflict from a stale copy and keeps the other writer's change", async () => {
    const stale = await client.create(ConfigMap, { metadata: { name: "fin-a", namespace: "default" }, data: { a: "1" } });
    await client.patch(ConfigMap, "fin-a", { metadata: { labels: { other: "writer" } } }, { namespace: "default" });
    const c = counting(client);
    const out = await ensureFinalizer(c, ConfigMap, stale, "example.com/cleanup");
    expect(c.patches).toBe(2);
    expect(out?.metadata?.finalizers).toEqual(["example.com/cleanup"]);
    const live = await client.direct.get(ConfigMap, "fin-a", { namespace: "default" });
    expect(live.metadata?.finalizers).toEqual(["example.com/cleanup"]);
    expect(live.metadata?.labels).toEqual({ other: "writer" });

    const again = await ensureFinalizer(c, ConfigMap, live, "example.com/cleanup");
    expect(c.patches).toBe(2);
    expect(again).toBe(live);
  });

  it("removeFinalizerAndUpdate lets a deleted object go", async () => {
    await client.create(ConfigMap, { metadata: { name: "fin-b", namespace: "default", finalizers: ["example.com/cleanup", "example.com/keep"] } });
    await client.delete(ConfigMap, "fin-b", { namespace: "default" });
    let obj = await client.direct.get(ConfigMap, "fin-b", { namespace: "default" });
    expect(obj.metadata?.deletionTimestamp).toBeTruthy();
    obj = (await removeFinalizerAndUpdate(client, ConfigMap, obj, "example.com/cleanup")) ?? obj;
    expect(obj.metadata?.finalizers).toEqual(["example.com/keep"]);
    const gone = await removeFinalizerAndUpdate(client, ConfigMap, obj, "example.com/keep");
    expect(gone?.metadata?.finalizers ?? []).toEqual([]);
    await expect(client.direct.get(ConfigMap, "fin-b", { namespace: "default" })).rejects.toMatchObject({ code: 404 });
    expect(await removeFinalizerAndUpdate(client, ConfigMap, obj, "example.com/keep")).toBeUndefined();
  });
});

describe("EventRecorder on the apiserver", () => {
  it("merges identical events into one Event with a count", async () => {
    const cm = await client.create(ConfigMap, { metadata: { name: "ev-a", namespace: "default" } });
    const rec = new EventRecorder({ client, component: "test-controller", host: "h1" });
    for (let i = 0; i < 3; i++) rec.event(cm, "Normal", "Synced", "all good", ConfigMap);
    rec.event(cm, "Warning", "Failed", "boom", ConfigMap);
    await rec.flush();
    const events = await client.direct.list(EventKind, { namespace: "default", fieldSelector: "involvedObject.name=ev-a" });
    expect(events.map((e) => [e.reason, e.type, e.count]).sort()).toEqual([["Failed", "Warning", 1], ["Synced", "Normal", 3]]);
    const synced = events.find((e) => e.reason === "Synced");
    expect(synced?.involvedObject).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", name: "ev-a", namespace: "default", uid: cm.metadata?.uid });
    expect(synced?.source).toEqual({ component: "test-controller", host: "h1" });
  });

  it("aggregates many similar events and writes cluster-scoped objects' events to default", async () => {
    const ns = await client.create(Namespace, { metadata: { name: "ev-ns" } });
    const rec = new EventRecorder({ client, component: "agg", maxSimilar: 3 });
    for (let i = 0; i < 6; i++) rec.event(ns, "Normal", "Scaled", `to ${i}`, Namespace);
    await rec.flush();
    const events = await client.direct.list(EventKind, { namespace: "default", fieldSelector: "involvedObject.name=ev-ns" });
    expect(events).toHaveLength(3);
    const agg = events.find((e) => e.message.startsWith("(combined from similar events)"));
    expect(agg?.count).toBe(4);
    expect(agg?.message).toBe("(combined from similar events): to 5");
  });

  it("starts a new Event after the window", async () => {
    const clock = new FakeClock();
    const cm = await client.create(ConfigMap, { metadata: { name: "ev-w", namespace: "default" } });
    const rec = new EventRecorder({ client, component: "win", clock, windowMs: 1000 });
    rec.event(cm, "Normal", "Tick", "t", ConfigMap);
    clock.advance(1001);
    rec.event(cm, "Normal", "Tick", "t", ConfigMap);
    await rec.flush();
    const events = await client.direct.list(EventKind, { namespace: "default", fieldSelector: "involvedObject.name=ev-w" });
    expect(events.map((e) => e.count)).toEqual([1, 1]);
  });

  it("never throws into the caller when writes fail; failures are logged", async () => {
    const log = memoryLogger();
    const failing = { create: () => Promise.reject(new Error("apiserver down")), patch: () => Promise.reject(new Error("apiserver down")) };
    const rec = new EventRecorder({ client: failing, component: "x", logger: log });
    expect(() => rec.event({ metadata: { name: "o" } }, "Normal", "R", "m")).not.toThrow();
    await rec.flush();
    expect(log.lines.some((l) => l.msg === "event write failed")).toBe(true);
  });
});
