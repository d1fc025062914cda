/**
 * The cache contracts: informers (one list+watch per kind) and the shared cache the client reads from.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import type { CacheReader } from "../client/types.js";

/**
 * An event from an informer, after the cache was updated.
 * - `add`: the object appeared (initial list or a watch ADDED).
 * - `update`: the object changed; `old` is the previous cached version.
 * - `delete`: the object is gone; `object` is its last known state (may be stale: use finalizers
 *   for cleanup that must happen).
 */
export type InformerEvent<T extends KubeObject> =
  | {
      type: "add";
      object: T;
      /** True when the object comes from the informer's first list (or a replay of its store to a new subscriber), not from a live change. */
      isInInitialList?: boolean;
    }
  | { type: "update"; object: T; old: T }
  | { type: "delete"; object: T };

/** One shared list+watch per kind, feeding the cache. */
export interface Informer<T extends KubeObject> {
  /** The kind it lists and watches. */
  readonly kind: KindDescriptor<T>;
  /** Register a handler; returns an unsubscribe function. Existing objects are replayed as `add`. */
  subscribe(handler: (event: InformerEvent<T>) => void): () => void;
  /** True once the initial list has been stored. */
  hasSynced(): boolean;
  /** True while the watch is established or being re-established within its backoff budget. */
  isHealthy(): boolean;
  /** Resolves when synced; rejects when the signal aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
}

/**
 * The shared informer cache. It is also the client's {@link CacheReader}: `has` and `observeWrite`
 * (read-your-own-writes) are part of the contract, not optional extras.
 */
export interface Cache extends CacheReader {
  /** The informer of a kind, created (and started, if the cache runs) on first use. */
  informerFor<T extends KubeObject>(kind: KindDescriptor<T>): Informer<T>;
  /** Add an index over a kind's cached objects. */
  indexField<T extends KubeObject>(kind: KindDescriptor<T>, name: string, extract: (obj: T) => string[]): void;
  /** Objects whose index `name` has `value`. */
  byIndex<T extends KubeObject>(kind: KindDescriptor<T>, name: string, value: string): T[];
  /** Starts every informer; resolves once `signal` aborted and they all stopped. */
  start(signal: AbortSignal): Promise<void>;
  /** Resolves true once every informer synced, false when `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  /** True when every informer has synced and its watch is healthy (drives /readyz). */
  isReady(): boolean;
}
