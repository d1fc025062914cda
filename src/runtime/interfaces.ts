/**
 * The seams between the runtime's layers (client/cache below, controllers/manager above), so each
 * side can be built and tested alone. Implementations live in their own modules.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../types/index.js";

/** A reconcile request: which object to bring to its desired state. */
export interface Request {
  /** Empty or undefined for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** What a reconcile asks of the queue next. `requeueAfter` is in milliseconds. */
export interface Result {
  requeue?: boolean;
  requeueAfter?: number;
}

/** Per-reconcile context handed to the reconciler. */
export interface ReconcileContext {
  /** Aborted when the manager shuts down past its grace period. */
  signal: AbortSignal;
  /** Structured logger bound to controller, object key and reconcile id. */
  log: Logger;
  /** A unique id of this reconcile, for log correlation. */
  reconcileID: string;
}

/** A reconciler: level-triggered, reads current state itself. */
export interface Reconciler {
  reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void>;
}

/** Minimal structured logger (pino-compatible subset). */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Options of list calls, on the apiserver and on the cache. */
export interface ListOptions {
  namespace?: string;
  /** Label selector in the apiserver's string syntax (`app=x,tier in (a,b)`). */
  labelSelector?: string;
  /** Field selector (`metadata.name=x`). */
  fieldSelector?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
}

/**
 * What server-side apply takes: the object with every field optional at any depth (send only the
 * fields you own). `apiVersion`/`kind` are filled from the kind descriptor.
 */
export type ApplyConfiguration<T> = T extends readonly (infer U)[] ? ApplyConfiguration<U>[] : T extends object ? { [K in keyof T]?: ApplyConfiguration<T[K]> } : T;

/** Read access: served from the informer cache when the kind is cached. */
export interface Reader {
  get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string }): Promise<T>;
  list<T extends KubeObject>(kind: KindDescriptor<T>, opts?: ListOptions): Promise<T[]>;
}

/** Write access to the apiserver. Every write result is fed back to the cache (read-your-own-writes). */
export interface Writer {
  create<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  update<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** `type` defaults to `merge` (RFC 7386); `json` takes an RFC 6902 array. */
  patch<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts?: { namespace?: string; type?: "merge" | "json" | "strategic" }): Promise<T>;
  apply<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T>;
  delete<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string; propagationPolicy?: "Background" | "Foreground" | "Orphan" }): Promise<void>;
  updateStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  patchStatus<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts?: { namespace?: string; type?: "merge" | "json" }): Promise<T>;
  applyStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T>;
}

/** The client operators use: cached reads, direct writes. */
export interface Client extends Reader, Writer {
  /** A reader that always goes to the apiserver. */
  readonly direct: Reader;
}

/**
 * An event from an informer, after the cache was updated.
 * - `add`: the object appeared (initial list or a watch ADDED).
 * - `update`: the object changed; `old` is the previous cached version.
 * - `delete`: the object is gone; `object` is its last known state (may be stale: use finalizers
 *   for cleanup that must happen).
 */
export type InformerEvent<T extends KubeObject> =
  | { type: "add"; object: T }
  | { type: "update"; object: T; old: T }
  | { type: "delete"; object: T };

/** One shared list+watch per kind, feeding the cache. */
export interface Informer<T extends KubeObject> {
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

/** The shared informer cache. */
export interface Cache extends Reader {
  /** The informer of a kind, created (and started, if the cache runs) on first use. */
  informerFor<T extends KubeObject>(kind: KindDescriptor<T>): Informer<T>;
  /** Add an index over a kind's cached objects. */
  indexField<T extends KubeObject>(kind: KindDescriptor<T>, name: string, extract: (obj: T) => string[]): void;
  /** Objects whose index `name` has `value`. */
  byIndex<T extends KubeObject>(kind: KindDescriptor<T>, name: string, value: string): T[];
  start(signal: AbortSignal): Promise<void>;
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  /** True when every informer has synced and its watch is healthy (drives /readyz). */
  isReady(): boolean;
}

/**
 * Where runtime components report metrics. The manager supplies a prom-client backed sink that
 * pre-registers controller-runtime's metric names; the default does nothing.
 * Names are controller-runtime's (e.g. `controller_runtime_reconcile_total`, `workqueue_depth`).
 */
export interface MetricsSink {
  /** Add `value` (default 1) to a counter. */
  inc(name: string, labels: Record<string, string>, value?: number): void;
  /** Set a gauge. */
  set(name: string, labels: Record<string, string>, value: number): void;
  /** Observe a histogram sample (seconds for durations). */
  observe(name: string, labels: Record<string, string>, value: number): void;
}

/** A sink that drops everything. */
export const noopMetrics: MetricsSink = { inc() {}, set() {}, observe() {} };

/** Something the manager runs: started after caches sync, stopped by aborting the signal. */
export interface Runnable {
  /** Runs until `signal` aborts, then finishes in-flight work and resolves. */
  start(signal: AbortSignal): Promise<void>;
  /** True when it must run only on the elected leader (controllers). */
  readonly needsLeaderElection: boolean;
  /**
   * Optional: the kinds it watches, primary (`for`) kind first, then owned kinds. The manager's
   * RBAC self-check asks for list/watch on all, update/patch on the primary and
   * create/update/patch/delete on `ownedKinds`.
   */
  readonly watchedKinds?: readonly KindDescriptor[];
  /** Optional: the kinds it creates and deletes (a controller's `owns` kinds). */
  readonly ownedKinds?: readonly KindDescriptor[];
}

/** What the controller builder needs from the manager (implemented by Manager). */
export interface ControllerHost {
  readonly client: Client;
  readonly cache: Cache;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /** Register a runnable (a built controller) to start with the manager. */
  add(runnable: Runnable): void;
  /**
   * Optional: aborts when a graceful shutdown runs past its timeout; controllers pass it on as
   * `ReconcileContext.signal`.
   */
  readonly reconcileSignal?: AbortSignal;
}
