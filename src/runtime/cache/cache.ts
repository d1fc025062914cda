/**
 * The shared informer cache: one informer per kind however many controllers use it, reads with
 * label/field selectors, indexes (namespace built in, custom ones, controller owner).
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { notFound } from "../client/errors.js";
import type { Cache, Informer } from "./types.js";
import type { ListOptions } from "../client/types.js";
import type { Logger } from "../log/types.js";
import type { MetricsSink } from "../metrics/sink.js";
import { SharedInformer, NAMESPACE_INDEX, type SharedInformerOptions } from "./informer.js";
import type { RestClient } from "../client/rest.js";
import { parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { untilAborted } from "../internal/abort.js";

/** Index name of the controller-owner index (value: the owner's uid). */
export const CONTROLLER_OWNER_INDEX = "tsop.io/controller-owner";

/** Options of {@link InformerCache}. */
export interface InformerCacheOptions {
  /** Namespaces to cache namespaced kinds in (one watch per namespace). Default: all namespaces (one watch). */
  namespaces?: string[];
  logger?: Logger;
  /** Receives `tsop_informer_objects{kind}`, `tsop_reflector_lists_total{kind}` and `tsop_reflector_errors_total{kind}`. Default: none. */
  metrics?: MetricsSink;
  /** Per-object transform before storing. Default: strip managedFields. */
  transform?: <T extends KubeObject>(obj: T) => T;
  /**
   * Kinds cached as metadata only (PartialObjectMetadata: about a tenth of the memory for big
   * objects), e.g. owned kinds a controller only maps to their owner. The client reads these kinds
   * from the apiserver; `cache.get/list` return the metadata objects. Default: none.
   */
  metadataOnly?: KindDescriptor<KubeObject>[];
  /** Reflector tuning (page size, watch timeouts, backoff) for every informer. */
  reflector?: SharedInformerOptions<KubeObject>["reflector"];
}

function kindKey(kind: KindDescriptor<KubeObject>): string {
  return `${kind.apiVersion}/${kind.kind}`;
}

/**
 * Implements {@link Cache}. Reads of a kind start its informer (like controller-runtime) and wait
 * for its first sync; cached objects are frozen and shared: copy them (`structuredClone`) before
 * changing.
 */
export class InformerCache implements Cache {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private signal: AbortSignal | undefined;
  private readonly running: Promise<void>[] = [];

  constructor(private readonly rest: RestClient, private readonly opts: InformerCacheOptions = {}) {}

  informerFor<T extends KubeObject>(kind: KindDescriptor<T>): SharedInformer<T> {
    const key = kindKey(kind);
    let inf = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!inf) {
      inf = new SharedInformer<T>(this.rest, kind, {
        namespaces: this.opts.namespaces,
        transform: this.opts.transform as ((o: T) => T) | undefined,
        reflector: { ...this.opts.reflector, metadataOnly: this.isMetadataOnly(kind) },
        logger: this.opts.logger,
        metrics: this.opts.metrics,
      });
      this.informers.set(key, inf as unknown as SharedInformer<KubeObject>);
      if (this.signal) this.launch(inf as unknown as SharedInformer<KubeObject>, this.signal);
    }
    return inf;
  }

  /** True when the kind has an informer holding whole objects (the client reads it from memory). */
  has(kind: KindDescriptor<KubeObject>): boolean {
    return this.informers.has(kindKey(kind)) && !this.isMetadataOnly(kind);
  }

  private isMetadataOnly(kind: KindDescriptor<KubeObject>): boolean {
    const key = kindKey(kind);
    return this.opts.metadataOnly?.some((k) => kindKey(k) === key) ?? false;
  }

  indexField<T extends KubeObject>(kind: KindDescriptor<T>, name: string, extract: (obj: T) => string[]): void {
    this.informerFor(kind).addIndex(name, extract);
  }

  byIndex<T extends KubeObject>(kind: KindDescriptor<T>, name: string, value: string): T[] {
    return this.informerFor(kind).byIndex(name, value);
  }

  /**
   * Starts every informer (and any created later) and resolves once `signal` aborted and they all
   * stopped. Do not await it before `waitForSync()`: it runs for the cache's whole life.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) return;
    this.signal = signal;
    for (const inf of this.informers.values()) this.launch(inf, signal);
    await untilAborted(signal);
    await this.stopped();
  }

  /** Resolves when every informer stopped after the start signal aborted. */
  async stopped(): Promise<void> {
    await Promise.all(this.running);
  }

  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    try {
      await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
      return true;
    } catch {
      return false;
    }
  }

  isReady(): boolean {
    for (const inf of this.informers.values()) if (!inf.hasSynced() || !inf.isHealthy()) return false;
    return true;
  }

  async get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts: { namespace?: string } = {}): Promise<T> {
    this.checkNamespace(kind, opts.namespace);
    const inf = await this.synced(kind);
    const obj = inf.get(name, opts.namespace);
    if (!obj) throw notFound(kind.group ? `${kind.plural}.${kind.group}` : kind.plural, name);
    return obj;
  }

  async list<T extends KubeObject>(kind: KindDescriptor<T>, opts: ListOptions = {}): Promise<T[]> {
    const inf = await this.synced(kind);
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : undefined;
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : undefined;
    const namespace = opts.namespace ?? fields?.exact("metadata.namespace");
    this.checkNamespace(kind, namespace);
    const name = fields?.exact("metadata.name");
    let items: T[];
    if (name !== undefined && (namespace !== undefined || !kind.namespaced)) {
      const one = inf.get(name, namespace);
      items = one ? [one] : [];
    } else items = namespace !== undefined && kind.namespaced ? inf.byIndex(NAMESPACE_INDEX, namespace) : inf.list();
    if (labels) items = items.filter((o) => labels.matches(o.metadata?.labels));
    if (fields) items = items.filter((o) => fields.matches(o));
    return items;
  }

  /** Feeds an object the client wrote into its kind's informer, if cached and newer. */
  observeWrite<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): boolean {
    if (this.isMetadataOnly(kind)) return false;
    const inf = this.informers.get(kindKey(kind)) as SharedInformer<T> | undefined;
    return inf ? inf.observeWrite(obj) : false;
  }

  /** A read outside the cached namespaces would silently find nothing: say so instead. */
  private checkNamespace(kind: KindDescriptor<KubeObject>, namespace: string | undefined): void {
    const cached = this.opts.namespaces;
    if (!cached?.length || !kind.namespaced || namespace === undefined || cached.includes(namespace)) return;
    throw new Error(`cannot read ${kind.kind} in namespace "${namespace}": the cache only watches ${cached.join(", ")} (set the manager's namespaces)`);
  }

  private async synced<T extends KubeObject>(kind: KindDescriptor<T>): Promise<SharedInformer<T>> {
    const inf = this.informerFor(kind);
    if (!inf.hasSynced()) {
      if (!this.signal) throw new Error(`cache not started: cannot read ${kind.kind} before start()`);
      await inf.waitForSync(this.signal);
    }
    return inf;
  }

  private launch(inf: SharedInformer<KubeObject>, signal: AbortSignal): void {
    this.running.push(inf.run(signal));
  }
}

/**
 * Adds the controller-owner index to `kind` (values: the uid of the object's controller owner) and
 * returns a lookup of the objects a given owner controls.
 */
export function indexControllerOwner<T extends KubeObject>(cache: Cache, kind: KindDescriptor<T>): (owner: KubeObject) => T[] {
  cache.indexField(kind, CONTROLLER_OWNER_INDEX, (o) => {
    const ref = o.metadata?.ownerReferences?.find((r) => r.controller === true);
    return ref ? [ref.uid] : [];
  });
  return (owner) => (owner.metadata?.uid ? cache.byIndex(kind, CONTROLLER_OWNER_INDEX, owner.metadata.uid) : []);
}
