import { describe, expect, it } from "vitest";
import { SharedInformer } from "../../src/runtime/cache/informer.js";
import type { InformerEvent } from "../../src/runtime/cache/types.js";
import { compactFreeze, compareResourceVersions, internalForTests } from "../../src/runtime/internal/objects.js";
import { ConfigMap } from "../../src/runtime/kinds/kinds.js";
import type { RestClient } from "../../src/runtime/client/rest.js";
import type { ConfigMapObject } from "../../src/runtime/kinds/kinds.js";

// The store logic only: the informer is fed by hand (its reflector never runs here).
function informer(): { inf: SharedInformer<ConfigMapObject>; events: string[] } {
  const inf = new SharedInformer<ConfigMapObject>({} as RestClient, ConfigMap);
  const events: string[] = [];
  inf.subscribe((e: InformerEvent<ConfigMapObject>) => events.push(`${e.type}:${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}${e.type === "update" ? `<-${e.old.metadata?.resourceVersion}` : ""}`));
  return { inf, events };
}

const cm = (name: string, rv: string, ns = "a", labels?: Record<string, string>): ConfigMapObject => ({ metadata: { name, namespace: ns, resourceVersion: rv, labels, managedFields: [{ manager: "x" }] } });

describe("SharedInformer store", () => {
  it("relist emits adds, updates for changed versions and deletes for vanished objects", () => {
    const { inf, events } = informer();
    inf.replace([cm("x", "1"), cm("y", "2"), cm("z", "3", "b")], undefined);
    expect(inf.hasSynced()).toBe(false); // the reflector has not listed; replace alone does not mark sync
    inf.replace([cm("x", "1"), cm("y", "5")], undefined);
    expect(events).toEqual(["add:x@1", "add:y@2", "add:z@3", "update:y@5<-2", "delete:z@3"]);
    expect(inf.list().map((o) => o.metadata?.name)).toEqual(["x", "y"]);
  });

  it("a namespace-scoped relist deletes only in its namespace", () => {
    const { inf, events } = informer();
    inf.replace([cm("x", "1", "a"), cm("y", "2", "b")], undefined);
    inf.replace([], "a");
    expect(events.slice(2)).toEqual(["delete:x@1"]);
    expect(inf.list("b").map((o) => o.metadata?.name)).toEqual(["y"]);
  });

  it("stores frozen, transformed objects and indexes them", () => {
    const { inf } = informer();
    inf.addIndex("app", (o) => (o.metadata?.labels?.app ? [o.metadata.labels.app] : []));
    inf.apply("ADDED", cm("x", "1", "a", { app: "web" }));
    const got = inf.get("x", "a");
    expect(got?.metadata?.managedFields).toBeUndefined();
    expect(Object.isFrozen(got)).toBe(true);
    expect(Object.isFrozen(got?.metadata?.labels)).toBe(true);
    expect(got?.kind).toBe("ConfigMap");
    expect(inf.byIndex("app", "web").length).toBe(1);
    inf.apply("MODIFIED", cm("x", "2", "a", { app: "db" }));
    expect(inf.byIndex("app", "web")).toEqual([]);
    expect(inf.byIndex("app", "db").length).toBe(1);
    inf.apply("DELETED", cm("x", "3", "a", { app: "db" }));
    expect(inf.byIndex("app", "db")).toEqual([]);
    expect(inf.byIndex("namespace", "a")).toEqual([]);
    expect(() => inf.byIndex("nope", "x")).toThrow(/no index named "nope"/);
  });

  it("read-your-own-writes: a newer write is stored at once, older watch events are skipped", () => {
    const { inf, events } = informer();
    inf.apply("ADDED", cm("x", "10"));
    const written = cm("x", "12");
    expect(inf.observeWrite(written)).toBe(true);
    expect(Object.isFrozen(written)).toBe(false); // the caller's copy stays writable
    expect(inf.observeWrite(cm("x", "11"))).toBe(false);
    inf.apply("MODIFIED", cm("x", "11")); // the watch lags behind our write
    inf.apply("MODIFIED", cm("x", "12")); // our own write arrives: no-op
    expect(inf.get("x", "a")?.metadata?.resourceVersion).toBe("12");
    inf.replace([cm("x", "11")], undefined); // a list snapshot older than our write keeps the write
    expect(inf.get("x", "a")?.metadata?.resourceVersion).toBe("12");
    inf.apply("MODIFIED", cm("x", "13"));
    expect(inf.observeWrite(cm("new", "20"))).toBe(true);
    inf.replace([cm("x", "13")], undefined, "15"); // a snapshot from before "new" was created keeps it
    expect(inf.get("new", "a")?.metadata?.resourceVersion).toBe("20");
    inf.replace([cm("x", "13")], undefined, "21"); // a later snapshot without it: really gone
    expect(inf.get("new", "a")).toBeUndefined();
    expect(events).toEqual(["add:x@10", "update:x@12<-10", "update:x@13<-12", "add:new@20", "delete:new@20"]);
  });

  it("a write result arriving after the watch deleted the object does not resurrect it", () => {
    const { inf } = informer();
    inf.apply("ADDED", cm("x", "10"));
    inf.apply("DELETED", cm("x", "12"));
    expect(inf.observeWrite(cm("x", "11"))).toBe(false);
    expect(inf.observeWrite({ metadata: { name: "x", namespace: "a", resourceVersion: "13", deletionTimestamp: "2026-01-01T00:00:00Z" } })).toBe(false);
    expect(inf.get("x", "a")).toBeUndefined();
    expect(inf.observeWrite(cm("x", "14"))).toBe(true); // re-created later
  });

  it("replays existing objects to late subscribers and survives throwing handlers", () => {
    const { inf } = informer();
    inf.apply("ADDED", cm("x", "1"));
    const late: string[] = [];
    inf.subscribe(() => {
      throw new Error("boom");
    });
    inf.subscribe((e) => late.push(e.type));
    inf.apply("MODIFIED", cm("x", "2"));
    expect(late).toEqual(["add", "update"]);
  });

  it("compares resourceVersions only when both are integers", () => {
    expect(compareResourceVersions("10", "9")).toBeGreaterThan(0);
    expect(compareResourceVersions("9", "10")).toBeLessThan(0);
    expect(compareResourceVersions("10", "10")).toBe(0);
    expect(compareResourceVersions("abc", "10")).toBeUndefined();
    expect(compareResourceVersions(undefined, "1")).toBeUndefined();
  });

  it("relisted objects are stored prepared (transformed, frozen) like watched ones", () => {
    const { inf } = informer();
    inf.replace([cm("x", "1")], undefined);
    const got = inf.get("x", "a");
    expect(got?.metadata?.managedFields).toBeUndefined();
    expect(Object.isFrozen(got?.metadata)).toBe(true);
  });
});

describe("compactFreeze", () => {
  it("freezes the whole graph and shares short strings except per-object ones", () => {
    const text = JSON.stringify({
      apiVersion: "apps/v1-compact-test", kind: "Deployment",
      metadata: { name: "web", namespace: "ns-compact-test", uid: "uid-compact-test", resourceVersion: "rv-compact-test", creationTimestamp: "2026-01-01T00:00:00Z-compact", labels: { "app.kubernetes.io/name": "label-compact-test" }, finalizers: ["fin-compact-test"] },
      spec: { template: { spec: { containers: [{ name: "c", image: "image-compact-test:1", args: ["--arg-compact-test"] }] } } },
      status: { message: `long-compact-test ${"x".repeat(80)}`, conditions: [{ type: "Available", lastTransitionTime: "2026-01-01T00:00:01Z-compact" }] },
    });
    const a = compactFreeze(JSON.parse(text) as Record<string, unknown>);
    const b = compactFreeze(JSON.parse(text) as Record<string, unknown>);
    expect(b).toEqual(a);
    expect(JSON.stringify(a)).toBe(text);
    const frozen = (v: unknown): boolean => v === null || typeof v !== "object" || (Object.isFrozen(v) && Object.values(v).every(frozen));
    expect(frozen(a)).toBe(true);
    const table = internalForTests.sharedStrings();
    for (const s of ["apps/v1-compact-test", "ns-compact-test", "label-compact-test", "fin-compact-test", "image-compact-test:1", "--arg-compact-test"]) expect(table.has(s)).toBe(true);
    for (const s of ["uid-compact-test", "rv-compact-test", "2026-01-01T00:00:00Z-compact", "2026-01-01T00:00:01Z-compact", `long-compact-test ${"x".repeat(80)}`]) expect(table.has(s)).toBe(false);
  });

  it("starts its table over past 50,000 distinct strings", () => {
    for (let i = 0; i < 50_001; i++) compactFreeze({ v: `distinct-${i}` });
    expect(internalForTests.sharedStrings().size).toBeLessThanOrEqual(50_000);
    expect(internalForTests.sharedStrings().has("distinct-50000")).toBe(true);
    expect(internalForTests.sharedStrings().has("distinct-0")).toBe(false);
  });
});
