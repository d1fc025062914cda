/**
 * The reflector: keeps a store in step with the apiserver for one kind (and namespace) by a list
 * (one LIST by default, decoded item by item as the response streams in; paginated with
 * `pageSize`) or, with `watchList`, a streaming list (a watch with `sendInitialEvents`, like
 * client-go's WatchList); then a watch with bookmarks and server timeouts, resumed from the last
 * resourceVersion; 410 Gone relists; failures back off (capped, jittered) and never give up.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { ApiError, isGone } from "../client/errors.js";
import type { Logger } from "../log/types.js";
import type { MetricsSink } from "../metrics/sink.js";
import { Backoff, type BackoffOptions } from "../internal/backoff.js";
import { collectionPath } from "../client/paths.js";
import { sleep } from "../internal/abort.js";
import type { RestClient } from "../client/rest.js";

/** Where a reflector delivers what it learns (the informer's store). */
export interface ReflectorSink<T extends KubeObject> {
  /**
   * Turns a listed object into what the store keeps (transformed, compacted, frozen). Called per
   * object as it arrives (each page of a list, each event of a streaming list), so a long list
   * accumulates compact objects rather than whole raw pages.
   */
  prepare(obj: T): T;
  /**
   * A full list at resourceVersion `listRv`: the store must become exactly `items` (prepared by
   * {@link ReflectorSink.prepare}; within this reflector's namespace), except for objects known to
   * be newer than the list.
   */
  replace(items: T[], namespace: string | undefined, listRv?: string): void;
  /** One watch change. */
  apply(type: "ADDED" | "MODIFIED" | "DELETED", obj: T): void;
}

/** Options of {@link Reflector}. */
export interface ReflectorOptions {
  /** Only this namespace; undefined = all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  /**
   * Page size of lists; 0 = one LIST for everything, decoded item by item as it streams in (an
   * apiserver of 1.31+ serves it from its watch cache, consistently: at 10,000 Deployments about
   * half the apiserver CPU of 20 pages or of a WatchList stream). Default: 0.
   */
  pageSize?: number;
  /** Server-side watch timeout range in seconds, randomised per watch. Default: [300, 600]. */
  watchTimeoutSeconds?: [number, number];
  /** Retry backoff. Default: 200 ms doubling to 2 s, jittered into [d/2, d], reset by any success. */
  backoff?: BackoffOptions;
  /**
   * Ask for PartialObjectMetadata (metadata only: name, labels, ownerReferences, ...) instead of
   * whole objects; stored objects then have kind `PartialObjectMetadata`. Default: false.
   */
  metadataOnly?: boolean;
  /**
   * List through a watch with `sendInitialEvents=true` (the apiserver streams the existing objects
   * from its watch cache, then a bookmark marks the end, and the same stream goes on as the watch)
   * instead of paginated LISTs. An apiserver that refuses it (WatchList off, before 1.27) gets the
   * paginated list from then on. Default: false (the apiserver spent more CPU on it than on one
   * LIST at 10,000 objects, and the start waited for it: docs/benchmarks.md).
   */
  watchList?: boolean;
  /**
   * Leave `metadata.managedFields` out of listed and watched objects while decoding them (the
   * store strips them anyway): less to parse and to collect. Default: false.
   */
  dropManagedFields?: boolean;
  /** Consecutive failures after which `isHealthy()` turns false. Default: 3. */
  unhealthyAfterFailures?: number;
  logger?: Logger;
  /** Receives `tsop_reflector_lists_total{kind}` and `tsop_reflector_errors_total{kind}`. Default: none. */
  metrics?: MetricsSink;
}

const META_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
const META_ONE = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
/** The annotation on the bookmark that ends a streaming list's initial events. */
const INITIAL_EVENTS_END = "k8s.io/initial-events-end";


/** List+watch loop for one kind; `run()` returns only when the signal aborts. */
export class Reflector<T extends KubeObject> {
  private rv: string | undefined;
  private synced = false;
  /** False once the apiserver refused a streaming list: paginated lists from then on. */
  private streaming: boolean;
  private readonly backoff: Backoff;
  private readonly path: string;
  private readonly o: Required<Pick<ReflectorOptions, "pageSize" | "watchTimeoutSeconds" | "unhealthyAfterFailures">> & ReflectorOptions;
  /** Incremented on every relist, for tests and metrics. */
  lists = 0;

  constructor(private readonly rest: RestClient, readonly kind: KindDescriptor<T>, private readonly sink: ReflectorSink<T>, opts: ReflectorOptions = {}) {
    this.o = { pageSize: 0, watchTimeoutSeconds: [300, 600], unhealthyAfterFailures: 3, ...opts };
    this.streaming = opts.watchList ?? false;
    this.backoff = new Backoff(opts.backoff);
    this.path = collectionPath(kind, opts.namespace);
  }

  /** True once a full list has been delivered. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** False after several consecutive list/watch failures; true again after a success. */
  isHealthy(): boolean {
    return this.backoff.attempts < this.o.unhealthyAfterFailures;
  }

  /** The resourceVersion the next watch resumes from. */
  get resourceVersion(): string | undefined {
    return this.rv;
  }

  /** Lists and watches until `signal` aborts. Never throws. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        let started = Date.now();
        if (this.rv === undefined && this.streaming) {
          // Lists and, once the initial events ended, watches on the same stream.
          if (!(await this.watch(signal, true))) continue;
        } else {
          if (this.rv === undefined) await this.list(signal);
          if (signal.aborted) break;
          started = Date.now();
          await this.watch(signal, false);
        }
        // A watch that ends at once (a proxy closing it, a server going down) must not spin.
        if (Date.now() - started < 1000) await sleep(250, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err) && this.rv !== undefined) {
          this.o.logger?.info({ kind: this.kind.kind, namespace: this.o.namespace }, "resourceVersion expired, relisting");
          this.rv = undefined;
          continue;
        }
        // Anything else (including a 410 of the list itself: an expired continue token) backs off.
        this.o.metrics?.inc("tsop_reflector_errors_total", { kind: this.kind.kind });
        const wait = this.backoff.next();
        this.o.logger?.warn({ kind: this.kind.kind, namespace: this.o.namespace, err: (err as Error).message, retryInMs: wait, attempt: this.backoff.attempts }, "list/watch failed");
        await sleep(wait, signal);
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    const t0 = Date.now();
    const items: T[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    do {
      const query = { limit: this.o.pageSize > 0 ? this.o.pageSize : undefined, continue: cont };
      const page = await this.rest.requestList<T>({ method: "GET", path: this.path, query, signal, headers: this.o.metadataOnly ? { accept: META_LIST } : undefined }, (item) => items.push(this.received(item)), { dropManagedFields: this.o.dropManagedFields });
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion;
    } while (cont && !signal.aborted);
    if (signal.aborted) return;
    this.listed(items, rv, t0);
  }

  /** One object of an initial list as the store will keep it (see {@link ReflectorSink.prepare}). */
  private received(item: T): T {
    // List items carry no apiVersion/kind: fill them so cached objects are self-describing.
    item.apiVersion ??= this.o.metadataOnly ? "meta.k8s.io/v1" : this.kind.apiVersion;
    item.kind ??= this.o.metadataOnly ? "PartialObjectMetadata" : this.kind.kind;
    return this.sink.prepare(item);
  }

  /** Delivers a complete initial list at `rv` (prepared objects) to the sink. */
  private listed(items: T[], rv: string | undefined, t0: number): void {
    // Synced before replace(): the informer resolves its waiters inside replace() when every
    // reflector reports synced.
    this.synced = true;
    this.sink.replace(items, this.o.namespace, rv);
    this.rv = rv;
    this.lists++;
    this.o.logger?.info({ kind: this.kind.kind, namespace: this.o.namespace, items: items.length, ms: Date.now() - t0 }, "listed");
    this.o.metrics?.inc("tsop_reflector_lists_total", { kind: this.kind.kind });
    this.backoff.reset();
  }

  /**
   * Watches from `this.rv` or, with `initial`, as a streaming list: the existing objects arrive as
   * ADDED events until a bookmark annotated {@link INITIAL_EVENTS_END}, which delivers them as one
   * list; the rest of the stream is the watch. Returns false when the apiserver refused the
   * streaming list (the caller falls back to paginated lists).
   */
  private async watch(signal: AbortSignal, initial: boolean): Promise<boolean> {
    const [lo, hi] = this.o.watchTimeoutSeconds;
    const timeoutSeconds = Math.round(lo + Math.random() * (hi - lo));
    const t0 = Date.now();
    const query = initial
      ? { sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true, timeoutSeconds }
      : { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds };
    const events = this.rest.watch<T>(this.path, query, signal, {
      onOpen: () => this.backoff.reset(),
      headers: this.o.metadataOnly ? { accept: META_ONE } : undefined,
      dropManagedFields: this.o.dropManagedFields,
    });
    let pending: T[] | undefined = initial ? [] : undefined;
    try {
      for await (const ev of events) {
        if (ev.type === "ERROR") {
          const s = ev.object;
          throw new ApiError(s.code ?? 0, s.reason ?? "", `watch ${this.path}: ${s.message ?? "error event"}`, { status: s });
        }
        const rv = ev.object.metadata?.resourceVersion;
        if (pending) {
          if (ev.type === "BOOKMARK" && ev.object.metadata?.annotations?.[INITIAL_EVENTS_END] === "true") {
            this.listed(pending, rv, t0);
            pending = undefined;
          } else if (ev.type !== "BOOKMARK") pending.push(this.received(ev.object));
          continue;
        }
        if (ev.type !== "BOOKMARK") this.sink.apply(ev.type, ev.object);
        if (rv) this.rv = rv;
      }
    } catch (err) {
      // An apiserver without WatchList (feature off, or older than 1.27) rejects the parameters.
      if (initial && err instanceof ApiError && (err.code === 400 || err.code === 422)) {
        this.o.logger?.info({ kind: this.kind.kind, err: err.message }, "streaming list refused; using paginated lists");
        this.streaming = false;
        return false;
      }
      throw err;
    }
    // A clean end (server timeout, idle or a dropped connection): rewatch from this.rv at once
    // (or, when the initial events had not ended yet, list again).
    return true;
  }
}
