import { describe, expect, it } from "vitest";
import { addFinalizer, hasFinalizer, removeFinalizer } from "../../src/runtime/finalizers/finalizers.js";
import { enqueueForOwner, enqueueFromMap, parseRequestKey, requestKey } from "../../src/runtime/controller/handlers.js";
import { getControllerOf, isControlledBy, OwnerReferenceError, setControllerReference, setOwnerReference } from "../../src/runtime/owner/owner.js";
import { and, annotationsChanged, generationChanged, labelsChanged, not, or, predicate, resourceVersionChanged } from "../../src/runtime/controller/predicates.js";
import { defineKind, type KubeObject } from "../../src/types/index.js";

const Owner = defineKind<KubeObject>({ group: "cache.example.com", version: "v1alpha1", kind: "Memcached", plural: "memcacheds", namespaced: true });
const ClusterOwner = defineKind<KubeObject>({ group: "example.com", version: "v1", kind: "Cluster", plural: "clusters", namespaced: false });
const owner = (name = "m", uid = "u1"): KubeObject => ({ metadata: { name, namespace: "ns", uid } });

describe("owner references", () => {
  it("sets a controller reference, idempotently, copy-on-write", () => {
    const meta = Object.freeze({ name: "d", namespace: "ns" });
    const obj: KubeObject = { metadata: meta };
    setControllerReference(owner(), obj, Owner);
    setControllerReference(owner(), obj, Owner);
    expect(obj.metadata?.ownerReferences).toEqual([{ apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", name: "m", uid: "u1", controller: true, blockOwnerDeletion: true }]);
    expect(getControllerOf(obj)?.name).toBe("m");
    expect(isControlledBy(obj, owner())).toBe(true);
    expect(meta).not.toHaveProperty("ownerReferences");
  });

  it("refuses a second controller, cross-namespace and cluster-scoped-object owners", () => {
    const obj: KubeObject = { metadata: { name: "d", namespace: "ns" } };
    setControllerReference(owner(), obj, Owner);
    expect(() => setControllerReference(owner("other", "u2"), obj, Owner)).toThrow(OwnerReferenceError);
    expect(() => setControllerReference({ metadata: { name: "x", namespace: "elsewhere", uid: "u" } }, { metadata: { name: "d", namespace: "ns" } }, Owner)).toThrow(/cannot own an object in namespace ns/);
    expect(() => setControllerReference(owner(), { metadata: { name: "c" } }, Owner)).toThrow(/cluster-scoped/);
    expect(() => setControllerReference({ metadata: { name: "m" } }, obj, Owner)).toThrow(/uid/);
    const c: KubeObject = { metadata: { name: "d", namespace: "ns" } };
    setControllerReference({ metadata: { name: "cl", uid: "u9" } }, c, ClusterOwner);
    expect(getControllerOf(c)?.kind).toBe("Cluster");
  });

  it("adds plain owner references beside the controller", () => {
    const obj: KubeObject = { metadata: { name: "d", namespace: "ns" } };
    setControllerReference(owner(), obj, Owner);
    setOwnerReference(owner("b", "u2"), obj, Owner);
    setOwnerReference(owner(), obj, Owner);
    expect(obj.metadata?.ownerReferences?.map((r) => [r.name, r.controller])).toEqual([["m", true], ["b", undefined]]);
  });
});

describe("finalizers", () => {
  it("adds and removes, reporting change, copy-on-write", () => {
    const meta = Object.freeze({ name: "x", finalizers: Object.freeze(["a"]) as string[] });
    const obj: KubeObject = { metadata: meta };
    expect(addFinalizer(obj, "a")).toBe(false);
    expect(addFinalizer(obj, "b")).toBe(true);
    expect(obj.metadata?.finalizers).toEqual(["a", "b"]);
    expect(hasFinalizer(obj, "b")).toBe(true);
    expect(removeFinalizer(obj, "a")).toBe(true);
    expect(removeFinalizer(obj, "a")).toBe(false);
    expect(obj.metadata?.finalizers).toEqual(["b"]);
    expect(meta.finalizers).toEqual(["a"]);
  });
});

describe("predicates", () => {
  const o = (rv: string, gen: number, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject => ({ metadata: { name: "x", resourceVersion: rv, generation: gen, labels, annotations } });
  const upd = (old: KubeObject, object: KubeObject) => ({ type: "update" as const, old, object });

  it("filter updates by what changed and pass adds/deletes", () => {
    expect(generationChanged(upd(o("1", 1), o("2", 1)))).toBe(false);
    expect(generationChanged(upd(o("1", 1), o("2", 2)))).toBe(true);
    expect(generationChanged({ type: "add", object: o("1", 1) })).toBe(true);
    expect(generationChanged({ type: "delete", object: o("1", 1) })).toBe(true);
    expect(labelsChanged(upd(o("1", 1, { a: "1" }), o("2", 1, { a: "1" })))).toBe(false);
    expect(labelsChanged(upd(o("1", 1, { a: "1" }), o("2", 1, { a: "2" })))).toBe(true);
    expect(labelsChanged(upd(o("1", 1, { a: "1" }), o("2", 1, { a: "1", b: "2" })))).toBe(true);
    expect(annotationsChanged(upd(o("1", 1, {}, { a: "1" }), o("2", 1, {}, {})))).toBe(true);
    expect(resourceVersionChanged(upd(o("1", 1), o("1", 1)))).toBe(false);
  });

  it("combine with and/or/not and custom per-type functions", () => {
    const e = upd(o("1", 1, { a: "1" }), o("2", 1, { a: "2" }));
    expect(or(generationChanged, labelsChanged)(e)).toBe(true);
    expect(and(generationChanged, labelsChanged)(e)).toBe(false);
    expect(not(generationChanged)(e)).toBe(true);
    const noDeletes = predicate({ delete: () => false });
    expect(noDeletes({ type: "delete", object: o("1", 1) })).toBe(false);
    expect(noDeletes(e)).toBe(true);
  });
});

describe("handlers", () => {
  it("map owners for namespaced and cluster-scoped owner kinds, old and new on update", () => {
    const ref = (name: string) => ({ apiVersion: "cache.example.com/v1beta1", kind: "Memcached", name, uid: "u", controller: true });
    const h = enqueueForOwner(Owner);
    const old: KubeObject = { metadata: { name: "d", namespace: "ns", ownerReferences: [ref("a")] } };
    const cur: KubeObject = { metadata: { name: "d", namespace: "ns", ownerReferences: [ref("b")] } };
    expect(h({ type: "update", old, object: cur })).toEqual([{ namespace: "ns", name: "b" }, { namespace: "ns", name: "a" }]);
    const hc = enqueueForOwner(ClusterOwner);
    expect(hc({ type: "add", object: { metadata: { name: "d", namespace: "ns", ownerReferences: [{ apiVersion: "example.com/v1", kind: "Cluster", name: "c", uid: "u", controller: true }] } } })).toEqual([{ name: "c" }]);
    const m = enqueueFromMap<KubeObject>((x) => [{ name: `${x.metadata?.name}-mapped` }]);
    expect(m({ type: "delete", object: { metadata: { name: "z" } } })).toEqual([{ name: "z-mapped" }]);
  });

  it("round-trips request keys", () => {
    expect(parseRequestKey(requestKey({ namespace: "ns", name: "a" }))).toEqual({ namespace: "ns", name: "a" });
    expect(parseRequestKey(requestKey({ name: "a" }))).toEqual({ name: "a" });
  });
});

describe("EventRecorder spam filter (pure logic, recording writer)", () => {
  it("drops events about one object beyond the burst until the budget refills", async () => {
    const { EventRecorder } = await import("../../src/runtime/events/events.js");
    const { FakeClock } = await import("../../src/runtime/controller/clock.js");
    const clock = new FakeClock();
    const writes: string[] = [];
    const writer = {
      create: async <T>(_k: unknown, o: T) => (writes.push(`create:${(o as { message: string }).message}`), o),
      patch: async <T>() => (writes.push("patch"), {} as T),
    };
    const rec = new EventRecorder({ client: writer as never, component: "c", clock, spamBurst: 3, spamRefillMs: 1000, maxSimilar: 100 });
    const obj = { metadata: { name: "o", namespace: "ns", uid: "u" } };
    for (let i = 0; i < 5; i++) rec.event(obj, "Normal", "R", `m${i}`);
    rec.event({ metadata: { name: "other", namespace: "ns", uid: "u2" } }, "Normal", "R", "x");
    clock.advance(1000);
    rec.event(obj, "Normal", "R", "late");
    await rec.flush();
    expect(writes).toEqual(["create:m0", "create:m1", "create:m2", "create:x", "create:late"]);
  });
});
