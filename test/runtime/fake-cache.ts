// A tiny in-memory Cache/Informer for unit tests of controllers (pure logic; no apiserver).
import type { KindDescriptor, KubeObject } from "../../src/types/index.js";
import type { Cache, Informer, InformerEvent } from "../../src/runtime/cache/types.js";
import type { Logger } from "../../src/runtime/log/types.js";

export class FakeInformer<T extends KubeObject> implements Informer<T> {
  readonly objects = new Map<string, T>();
  private readonly handlers = new Set<(e: InformerEvent<T>) => void>();
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  healthy = true;
  constructor(readonly kind: KindDescriptor<T>) {}
  subscribe(h: (e: InformerEvent<T>) => void): () => void {
    this.handlers.add(h);
    for (const o of this.objects.values()) h({ type: "add", object: o, isInInitialList: true });
    return () => void this.handlers.delete(h);
  }
  subscribers(): number {
    return this.handlers.size;
  }
  hasSynced(): boolean {
    return this.synced;
  }
  isHealthy(): boolean {
    return this.healthy;
  }
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.syncWaiters.push(resolve);
      signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
    });
  }
  markSynced(): void {
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) w();
  }
  private key(o: KubeObject): string {
    return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
  }
  /** Stores `o` and notifies; `initial` marks an add as coming from the informer's first list. */
  upsert(o: T, initial = false): void {
    const old = this.objects.get(this.key(o));
    this.objects.set(this.key(o), o);
    const e: InformerEvent<T> = old ? { type: "update", object: o, old } : initial ? { type: "add", object: o, isInInitialList: true } : { type: "add", object: o };
    for (const h of this.handlers) h(e);
  }
  remove(o: T): void {
    this.objects.delete(this.key(o));
    for (const h of this.handlers) h({ type: "delete", object: o });
  }
}

export class FakeCache implements Cache {
  readonly informers = new Map<string, FakeInformer<KubeObject>>();
  informerFor<T extends KubeObject>(kind: KindDescriptor<T>): FakeInformer<T> {
    const k = `${kind.apiVersion}/${kind.kind}`;
    let inf = this.informers.get(k);
    if (!inf) {
      inf = new FakeInformer(kind as KindDescriptor);
      this.informers.set(k, inf);
    }
    return inf as unknown as FakeInformer<T>;
  }
  async get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string }): Promise<T> {
    const o = this.informerFor(kind).objects.get(`${opts?.namespace ?? ""}/${name}`);
    if (!o) throw new Error("not found");
    return o;
  }
  async list<T extends KubeObject>(kind: KindDescriptor<T>): Promise<T[]> {
    return [...this.informerFor(kind).objects.values()];
  }
  has(): boolean {
    return true;
  }
  /** Read-your-own-writes: a written object replaces the cached one (and notifies handlers). */
  observeWrite<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): boolean {
    this.informerFor(kind).upsert(obj);
    return true;
  }
  indexField(): void {}
  byIndex<T extends KubeObject>(): T[] {
    return [];
  }
  async start(): Promise<void> {}
  async waitForSync(): Promise<boolean> {
    return true;
  }
  isReady(): boolean {
    return true;
  }
}

export interface LogLine {
  level: string;
  bindings: Record<string, unknown>;
  obj: object | string;
  msg?: string;
}

export function memoryLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: LogLine[] } {
  const at = (level: string) => (obj: object | string, msg?: string) => void lines.push({ level, bindings, obj, ...(msg === undefined ? {} : { msg }) });
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (b) => memoryLogger(lines, { ...bindings, ...b }),
  };
}
