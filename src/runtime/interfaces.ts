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
  /** The object's name. */
  name: string;
}

/** What a reconcile asks of the queue next. `requeueAfter` is in milliseconds. */
export interface Result {
  /** Reconcile the same request again, with the queue's per-item backoff. */
  requeue?: boolean;
  /** Reconcile the same request again after this many milliseconds. */
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
  /** Brings the object named by `req` to its desired state; a thrown error is retried with backoff. */
  reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void>;
}

/** Minimal structured logger (pino-compatible subset). */
export interface Logger {
  /** Logs at debug level: fields (or a message) first, then the message. */
  debug(obj: object | string, msg?: string): void;
  /** Logs at info level. */
  info(obj: object | string, msg?: string): void;
  /** Logs at warn level. */
  warn(obj: object | string, msg?: string): void;
  /** Logs at error level. */
  error(obj: object | string, msg?: string): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

/** Options of list calls, on the apiserver and on the cache. */
export interface ListOptions {
  /** Only this namespace; all namespaces when unset. */
  namespace?: string;
  /** Label selector in the apiserver's string syntax (`app=x,tier in (a,b)`). */
  labelSelector?: string;
  /** Field selector (`metadata.name=x`). */
  fieldSelector?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions {
  /** The field manager that owns the applied fields, e.g. the controller's name. */
  fieldManager: string;
  /** Take over fields other managers own instead of failing with a 409 conflict. */
  force?: boolean;
}

/**
 * What server-side apply takes: the object with every field optional at any depth (send only the
 * fields you own). `apiVersion`/`kind` are filled from the kind descriptor.
 */
export type ApplyConfiguration<T> = T extends readonly (infer U)[] ? ApplyConfiguration<U>[] : T extends object ? { [K in keyof T]?: ApplyConfiguration<T[K]> } : T;

/** Read access: served from the informer cache when the kind is cached. */
export interface Reader {
  /** One object by name; rejects with a 404 `ApiError` (see `isNotFound`) when it does not exist. */
  get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string }): Promise<T>;
  /** Every object of a kind matching `opts`. */
  list<T extends KubeObject>(kind: KindDescriptor<T>, opts?: ListOptions): Promise<T[]>;
}

/** Write access to the apiserver. Every write result is fed back to the cache (read-your-own-writes). */
export interface Writer {
  /** Creates `obj`; returns it as stored. */
  create<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** Replaces `obj` (its resourceVersion guards against lost updates: 409 on conflict). */
  update<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** `type` defaults to `merge` (RFC 7386); `json` takes an RFC 6902 array. */
  patch<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts?: { namespace?: string; type?: "merge" | "json" | "strategic" }): Promise<T>;
  /** Server-side apply of the fields in `obj`, owned by `opts.fieldManager`. */
  apply<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T>;
  /** Deletes by name (finalizers may keep the object until they are removed). */
  delete<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string; propagationPolicy?: "Background" | "Foreground" | "Orphan" }): Promise<void>;
  /** Replaces the status subresource of `obj`. */
  updateStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** Patches the status subresource (`type` as in {@link Writer.patch}). */
  patchStatus<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts?: { namespace?: string; type?: "merge" | "json" }): Promise<T>;
  /** Server-side apply of the status subresource. */
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

/** The shared informer cache. */
export interface Cache extends Reader {
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
  /** The client controllers read and write with. */
  readonly client: Client;
  /** The shared informer cache controllers watch through. */
  readonly cache: Cache;
  /** The manager's logger; controllers log through children of it. */
  readonly logger: Logger;
  /** Where controllers and queues report metrics. */
  readonly metrics: MetricsSink;
  /** Register a runnable (a built controller) to start with the manager. */
  add(runnable: Runnable): void;
  /**
   * Optional: aborts when a graceful shutdown runs past its timeout; controllers pass it on as
   * `ReconcileContext.signal`.
   */
  readonly reconcileSignal?: AbortSignal;
}
