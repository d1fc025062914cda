/**
 * A shared informer: the store of one kind's objects (frozen, transformed), its indexes, and the
 * handlers notified after each change. Fed by one reflector per watched namespace.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import type { Informer, InformerEvent } from "./types.js";
import type { Logger } from "../log/types.js";
import type { MetricsSink } from "../metrics/sink.js";
import { compactFreeze, compareResourceVersions, keyOf, objectKey, stripManagedFields } from "../internal/objects.js";
import { Reflector, type ReflectorOptions, type ReflectorSink } from "./reflector.js";
import type { RestClient } from "../client/rest.js";

/** Index name of the built-in namespace index. */
export const NAMESPACE_INDEX = "namespace";

/** Options of {@link SharedInformer}. */
export interface SharedInformerOptions<T extends KubeObject> {
  /** Watch only these namespaces (one reflector each). Default: all namespaces. Ignored for cluster-scoped kinds. */
  namespaces?: string[];
  /** Applied to every object before it is stored (it may mutate its argument). Default: strip managedFields. */
  transform?: (obj: T) => T;
  /** Reflector tuning (page size, watch timeouts, backoff). */
  reflector?: Omit<ReflectorOptions, "namespace" | "logger" | "metrics">;
  logger?: Logger;
  /** Receives `tsop_informer_objects{kind}` and the reflectors' counters. Default: none. */
  metrics?: MetricsSink;
}

interface Index<T> {
  extract: (obj: T) => string[];
  values: Map<string, Set<string>>;
}

/** One kind's store + indexes + handlers; implements {@link Informer}. */
export class SharedInformer<T extends KubeObject> implements Informer<T>, ReflectorSink<T> {
  private readonly store = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();
  private readonly handlers = new Set<(event: InformerEvent<T>) => void>();
  private readonly reflectors: Reflector<T>[];
  private readonly transform: (obj: T) => T;
  private readonly syncWaiters = new Set<() => void>();
  /** resourceVersions of recent deletions, so a late write result cannot resurrect an object. */
  private readonly tombstones = new Map<string, string>();
  private started = false;
  /** Namespaces (undefined: all) whose first list has been stored; later lists are live changes. */
  private readonly listed = new Set<string | undefined>();

  constructor(rest: RestClient, readonly kind: KindDescriptor<T>, private readonly opts: SharedInformerOptions<T> = {}) {
    this.transform = opts.transform ?? stripManagedFields;
    const namespaces = kind.namespaced && opts.namespaces?.length ? opts.namespaces : [undefined];
    // The default transform drops managedFields: the watch decoder can skip them altogether.
    const dropManagedFields = opts.transform === undefined;
    this.reflectors = namespaces.map((namespace) => new Reflector(rest, kind, this, { dropManagedFields, ...opts.reflector, namespace, logger: opts.logger, metrics: opts.metrics }));
    this.addIndex(NAMESPACE_INDEX, (o) => [o.metadata?.namespace ?? ""]);
  }

  /** Runs the reflectors until `signal` aborts (idempotent: a second call returns at once). */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all(this.reflectors.map((r) => r.run(signal)));
  }

  subscribe(handler: (event: InformerEvent<T>) => void): () => void {
    this.handlers.add(handler);
    for (const object of this.store.values()) this.deliver(handler, { type: "add", object, isInInitialList: true });
    return () => this.handlers.delete(handler);
  }

  /** Full lists done so far by this informer's reflectors (1 per namespace after sync; more after 410s). */
  get lists(): number {
    return this.reflectors.reduce((n, r) => n + r.lists, 0);
  }

  hasSynced(): boolean {
    return this.reflectors.every((r) => r.hasSynced());
  }

  isHealthy(): boolean {
    return this.reflectors.every((r) => r.isHealthy());
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.hasSynced()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      const abort = (): void => {
        this.syncWaiters.delete(done);
        reject(signal?.reason ?? new Error("aborted"));
      };
      if (signal?.aborted) return abort();
      this.syncWaiters.add(done);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  /** The cached object, or undefined. Frozen: copy before changing. */
  get(name: string, namespace?: string): T | undefined {
    return this.store.get(keyOf(name, this.kind.namespaced ? namespace : undefined));
  }

  /** All cached objects, or those of one namespace (via the namespace index). */
  list(namespace?: string): T[] {
    if (namespace && this.kind.namespaced) return this.byIndex(NAMESPACE_INDEX, namespace);
    return [...this.store.values()];
  }

  /** Adds an index; existing objects are indexed at once. Re-adding a name replaces it. */
  addIndex(name: string, extract: (obj: T) => string[]): void {
    const index: Index<T> = { extract, values: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.store) this.indexOne(index, key, obj);
  }

  /** Objects whose index `name` contains `value`; throws for an unknown index. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`${this.kind.kind}: no index named "${name}" (add it with indexField first)`);
    const keys = index.values.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.store.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /**
   * Stores an object the client just wrote, if it is newer than the cached one (read-your-own-
   * writes). Handlers see it as add/update now; the watch event with the same version is then a no-op.
   * Returns true when stored.
   */
  observeWrite(obj: T): boolean {
    const key = objectKey(obj);
    // Deleted already (last finalizer gone): the watch removes it; storing it would resurrect it.
    if (obj.metadata?.deletionTimestamp && !obj.metadata.finalizers?.length) return false;
    const tomb = this.tombstones.get(key);
    if (tomb !== undefined && (compareResourceVersions(obj.metadata?.resourceVersion, tomb) ?? 1) <= 0) return false;
    const cur = this.store.get(key);
    if (cur) {
      const cmp = compareResourceVersions(obj.metadata?.resourceVersion, cur.metadata?.resourceVersion);
      if (cmp === undefined || cmp <= 0) return false;
    }
    this.upsert(key, this.prepare(structuredClone(obj)));
    return true;
  }

  /** A full list (objects usually already {@link SharedInformer.prepare}d) becomes the store's content for `namespace`. */
  replace(items: T[], namespace: string | undefined, listRv?: string): void {
    const seen = new Set<string>();
    const initial = !this.listed.has(namespace);
    this.listed.add(namespace);
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const cur = this.store.get(key);
      // A write of ours newer than this list snapshot stays.
      if (cur && (compareResourceVersions(cur.metadata?.resourceVersion, obj.metadata?.resourceVersion) ?? -1) >= 0) continue;
      // The reflector prepares list items page by page (frozen); anything else is prepared here.
      this.upsert(key, Object.isFrozen(obj) ? obj : this.prepare(obj), initial);
    }
    const scope = namespace ? this.byIndex(NAMESPACE_INDEX, namespace) : [...this.store.values()];
    for (const obj of scope) {
      const key = objectKey(obj);
      // An object written by us after the list snapshot is not vanished: the watch will confirm it.
      if (!seen.has(key) && !((compareResourceVersions(obj.metadata?.resourceVersion, listRv) ?? -1) > 0)) this.remove(key, obj);
    }
    if (this.hasSynced()) {
      for (const w of this.syncWaiters) w();
      this.syncWaiters.clear();
    }
  }

  apply(type: "ADDED" | "MODIFIED" | "DELETED", raw: T): void {
    const key = objectKey(raw);
    const cur = this.store.get(key);
    if (type === "DELETED") {
      this.remember(key, raw.metadata?.resourceVersion);
      this.remove(key, cur ? cur : this.prepare(raw));
      return;
    }
    // Skip events we already reflect (own writes fed in by the client) or that would go back in time.
    if (cur && (compareResourceVersions(cur.metadata?.resourceVersion, raw.metadata?.resourceVersion) ?? -1) >= 0) return;
    raw.apiVersion ??= this.kind.apiVersion;
    raw.kind ??= this.kind.kind;
    this.upsert(key, this.prepare(raw));
  }

  private remember(key: string, rv: string | undefined): void {
    if (!rv) return;
    this.tombstones.delete(key);
    this.tombstones.set(key, rv);
    if (this.tombstones.size > 1000) this.tombstones.delete(this.tombstones.keys().next().value as string);
  }

  /** What the store keeps: the transform's result (default: managedFields stripped), compacted and frozen. */
  prepare(obj: T): T {
    return compactFreeze(this.transform(obj));
  }

  private upsert(key: string, obj: T, initial = false): void {
    const old = this.store.get(key);
    if (old) this.unindex(key, old);
    this.store.set(key, obj);
    for (const index of this.indexes.values()) this.indexOne(index, key, obj);
    this.emit(old ? { type: "update", object: obj, old } : initial ? { type: "add", object: obj, isInInitialList: true } : { type: "add", object: obj });
  }

  private remove(key: string, last: T): void {
    const old = this.store.get(key);
    if (!old) return;
    this.unindex(key, old);
    this.store.delete(key);
    this.emit({ type: "delete", object: last });
  }

  private indexOne(index: Index<T>, key: string, obj: T): void {
    for (const v of this.safeExtract(index, obj)) {
      let set = index.values.get(v);
      if (!set) index.values.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const index of this.indexes.values()) {
      for (const v of this.safeExtract(index, obj)) {
        const set = index.values.get(v);
        set?.delete(key);
        if (set?.size === 0) index.values.delete(v);
      }
    }
  }

  private safeExtract(index: Index<T>, obj: T): string[] {
    try {
      return index.extract(obj);
    } catch (err) {
      this.opts.logger?.error({ kind: this.kind.kind, err: (err as Error).message }, "index function threw; object not indexed");
      return [];
    }
  }

  private emit(event: InformerEvent<T>): void {
    this.opts.metrics?.set("tsop_informer_objects", { kind: this.kind.kind }, this.store.size);
    for (const h of this.handlers) this.deliver(h, event);
  }

  private deliver(handler: (event: InformerEvent<T>) => void, event: InformerEvent<T>): void {
    try {
      handler(event);
    } catch (err) {
      this.opts.logger?.error({ kind: this.kind.kind, event: event.type, err: (err as Error).message }, "informer handler threw");
    }
  }
}
