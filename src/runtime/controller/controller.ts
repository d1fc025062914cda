/**
 * A controller: informer events become keys in a work queue; workers reconcile each key, one
 * worker per key at a time, and requeue by the reconciler's result (controller-runtime semantics).
 * @module
 */
import { randomUUID } from "node:crypto";
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { realClock, type Clock } from "./clock.js";
import { ApiError } from "../client/errors.js";
import { parseRequestKey, requestKey, type EventHandler } from "./handlers.js";
import { noopMetrics, type MetricsSink } from "../metrics/sink.js";
import type { Cache, Informer, InformerEvent } from "../cache/types.js";
import type { Logger } from "../log/types.js";
import type { Reconciler, Result } from "../reconcile/types.js";
import type { Runnable } from "./types.js";
import type { Predicate } from "./predicates.js";
import { LOW_PRIORITY, WorkQueue } from "./queue.js";
import type { RateLimiter } from "./rate-limiter.js";
import { isTerminal } from "../reconcile/terminal.js";
import { untilAborted } from "../internal/abort.js";
import { compareResourceVersions } from "../internal/objects.js";

/** One event source of a controller: a kind, its handler, its filters. Build with {@link watchSource}. */
export interface WatchSource {
  readonly kind: KindDescriptor;
  readonly handler: EventHandler;
  readonly predicates: readonly Predicate[];
}

/** A typed {@link WatchSource}. */
export function watchSource<T extends KubeObject>(kind: KindDescriptor<T>, handler: EventHandler<T>, predicates: readonly Predicate<T>[] = []): WatchSource {
  return { kind, handler, predicates } as unknown as WatchSource;
}

/** Options of a {@link Controller}. */
export interface ControllerOptions {
  /** Name in logs and metric labels. */
  name: string;
  reconciler: Reconciler;
  /** Where informers come from. */
  cache: Cache;
  /** Event sources; the first is usually the `for` kind. */
  watches: readonly WatchSource[];
  /** Parent logger. */
  logger: Logger;
  /** Default: a sink that drops metrics. */
  metrics?: MetricsSink;
  /** Kinds the reconciler creates and deletes (the builder's `owns`), for the RBAC self-check. Default: none. */
  ownedKinds?: readonly KindDescriptor[];
  /** Workers reconciling different keys in parallel. Default: 1. */
  maxConcurrentReconciles?: number;
  /** Limiter of error and `requeue` retries. Default: 5 ms..1000 s per key, max with 10 qps / 100 burst. */
  rateLimiter?: RateLimiter<string>;
  /** Default: the real clock. */
  clock?: Clock;
  /** Aborting it aborts `ctx.signal` of running reconciles. Default: never aborted. */
  reconcileSignal?: AbortSignal;
  /**
   * Hold workers (take no new keys) while a watched informer is unhealthy, or for `holdMs` after a
   * reconcile failed because the apiserver was unreachable (no response, or 503), instead of failing
   * every key into growing per-key backoff while the apiserver is away. Such a key is retried after
   * `holdMs` without counting a failure. Default: true.
   */
  holdWhileUnhealthy?: boolean;
  /** How long workers pause after an unreachable-apiserver error, in ms. Default: 500. */
  holdMs?: number;
  /**
   * Aborts a reconcile's `ctx.signal` after this many milliseconds (counted in
   * `controller_runtime_reconcile_timeouts_total`); the worker still waits for the reconcile to
   * return. Default: 0, no timeout.
   */
  reconcileTimeoutMs?: number;
  /** Warm replica: the manager runs {@link Controller.warmUp} before the Lease is won. Default: false. */
  warmUp?: boolean;
}

/** The reason `ctx.signal` carries when a controller's `reconcileTimeoutMs` passed. */
export class ReconcileTimeoutError extends Error {
  override readonly name = "ReconcileTimeoutError";
  constructor(controller: string, ms: number) {
    super(`controller ${controller}: reconcile timed out after ${ms} ms`);
  }
}

/** Resolves after pending I/O callbacks had their turn (the check phase of the event loop). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** True for errors meaning "the apiserver is not answering" rather than "this object failed". */
function isUnreachable(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 0 || err.code === 503);
}

type Outcome = "success" | "error" | "requeue" | "requeue_after";

/** Runs a reconciler over the events of its watches. Started by the manager (leader only). */
export class Controller implements Runnable {
  readonly needsLeaderElection = true;
  readonly name: string;
  /** Same as `name`: what the manager keeps unique. */
  readonly controllerName: string;
  /** Whether the manager warms it up before the Lease is won. */
  readonly warmsUp: boolean;
  readonly queue: WorkQueue<string>;
  /** The kinds watched, the first (`for`) kind first. */
  readonly watchedKinds: readonly KindDescriptor[];
  /** The kinds the reconciler writes besides its primary kind. */
  readonly ownedKinds: readonly KindDescriptor[];
  private readonly opts: ControllerOptions;
  private readonly metrics: MetricsSink;
  private readonly clock: Clock;
  private readonly workers: number;
  private readonly labels: Record<string, string>;
  private readonly reconcileSignal: AbortSignal;
  private informers: Informer<KubeObject>[] = [];
  private unsubscribe: (() => void)[] = [];
  private active = 0;
  private started = false;
  private holdUntil = 0;
  /**
   * Keys from the informers' initial lists, with the newest resourceVersion that named them, held
   * until every watched informer has synced; then queued at {@link LOW_PRIORITY}, most recently
   * changed first (an object created just before a restart goes first). Undefined once flushed.
   */
  private initial: Map<string, string> | undefined = new Map();

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.controllerName = opts.name;
    this.warmsUp = opts.warmUp ?? false;
    this.metrics = opts.metrics ?? noopMetrics;
    this.clock = opts.clock ?? realClock;
    this.workers = opts.maxConcurrentReconciles ?? 1;
    this.labels = { controller: opts.name };
    this.watchedKinds = [...new Set(opts.watches.map((w) => w.kind))];
    this.ownedKinds = opts.ownedKinds ?? [];
    this.reconcileSignal = opts.reconcileSignal ?? new AbortController().signal;
    this.queue = new WorkQueue<string>({ name: opts.name, metrics: this.metrics, clock: this.clock, ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}) });
  }

  /**
   * Subscribes to the informers, waits until they synced, runs the workers until `signal` aborts,
   * then stops taking keys, lets running reconciles finish and resolves.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} was already started`);
    this.started = true;
    const log = this.opts.logger.child({ controller: this.name });
    try {
      try {
        await this.warmUp(signal);
      } catch (err) {
        if (signal.aborted) return;
        throw err;
      }
      if (signal.aborted) return;
      this.metrics.set("controller_runtime_max_concurrent_reconciles", this.labels, this.workers);
      this.metrics.set("controller_runtime_active_workers", this.labels, 0);
      for (const result of ["success", "error", "requeue", "requeue_after"]) this.metrics.inc("controller_runtime_reconcile_total", { controller: this.name, result }, 0);
      this.metrics.inc("controller_runtime_reconcile_errors_total", this.labels, 0);
      this.metrics.inc("controller_runtime_terminal_reconcile_errors_total", this.labels, 0);
      this.metrics.inc("controller_runtime_reconcile_timeouts_total", this.labels, 0);
      log.info({ workers: this.workers }, "Starting workers");
      const workers = Array.from({ length: this.workers }, () => this.work(signal));
      await untilAborted(signal);
      log.info({}, "Stopping workers; waiting for running reconciles");
      await this.queue.shutDownWithDrain();
      await Promise.all(workers);
      log.info({}, "All workers finished");
    } finally {
      for (const u of this.unsubscribe.splice(0)) u();
      this.queue.shutDown();
    }
  }

  /**
   * Subscribes to the watched informers (once) and resolves when all have synced and their
   * initial lists are queued: the gate before the first reconcile. Event handlers run
   * synchronously inside the informers, so a synced informer means its handlers have run too.
   * The manager calls it before the Lease is won for controllers with `warmUp` (warm replicas).
   */
  async warmUp(signal: AbortSignal): Promise<void> {
    if (this.informers.length === 0) {
      const log = this.opts.logger.child({ controller: this.name });
      for (const w of this.opts.watches) {
        const inf = this.opts.cache.informerFor(w.kind);
        this.informers.push(inf);
        this.unsubscribe.push(inf.subscribe((e) => this.onEvent(w, e, log)));
      }
    }
    await Promise.all(this.informers.map((i) => i.waitForSync(signal)));
    this.flushInitial();
  }

  private onEvent(w: WatchSource, e: InformerEvent<KubeObject>, log: Logger): void {
    try {
      for (const p of w.predicates) if (!p(e)) return;
      const initial = e.type === "add" && e.isInInitialList === true;
      for (const req of w.handler(e)) {
        const key = requestKey(req);
        if (initial && this.initial) {
          const rv = e.object.metadata?.resourceVersion ?? "";
          const seen = this.initial.get(key);
          if (seen === undefined || (compareResourceVersions(rv, seen) ?? 0) > 0) this.initial.set(key, rv);
        } else {
          this.queue.add(key, initial ? { priority: LOW_PRIORITY } : {});
        }
      }
    } catch (err) {
      log.error({ err, kind: w.kind.kind, event: e.type }, "event handler or predicate threw; event dropped");
    }
  }

  private flushInitial(): void {
    const held = this.initial;
    if (!held) return;
    this.initial = undefined;
    const keys = [...held].sort((a, b) => -(compareResourceVersions(a[1], b[1]) ?? 0));
    for (const [key] of keys) this.queue.add(key, { priority: LOW_PRIORITY });
  }

  private async work(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (this.opts.holdWhileUnhealthy !== false) await this.untilHealthy(signal);
      const key = await this.queue.get();
      if (key === undefined) return;
      // A worker parked in get() may wake during a hold: wait before reconciling too.
      if (this.opts.holdWhileUnhealthy !== false) await this.untilHealthy(signal);
      if (signal.aborted) {
        this.queue.done(key);
        return;
      }
      try {
        await this.reconcileKey(key);
      } finally {
        this.queue.done(key);
      }
      // A reconcile served from the cache resolves in microtasks only: without this, workers
      // would run the whole queued backlog before any I/O callback (a response, a watch event of
      // a newer object) got its turn. Yielding lets live events land and be ranked first.
      await yieldToEventLoop();
    }
  }

  private untilHealthy(signal: AbortSignal): Promise<void> {
    const healthy = (): boolean => this.clock.now() >= this.holdUntil && this.informers.every((i) => i.isHealthy());
    if (healthy() || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const tick = (): void => {
        if (healthy() || signal.aborted || this.queue.shuttingDown()) resolve();
        else this.clock.setTimer(tick, 100);
      };
      this.clock.setTimer(tick, 100);
    });
  }

  private async reconcileKey(key: string): Promise<void> {
    const req = parseRequestKey(key);
    const reconcileID = randomUUID();
    const log = this.opts.logger.child({ controller: this.name, namespace: req.namespace ?? "", name: req.name, reconcileID });
    this.metrics.set("controller_runtime_active_workers", this.labels, ++this.active);
    const t0 = this.clock.now();
    let result: Result | void = undefined;
    let failure: unknown;
    let failed = false;
    const timeoutMs = this.opts.reconcileTimeoutMs ?? 0;
    const timeout = timeoutMs > 0 ? new AbortController() : undefined;
    const timer = timeout ? this.clock.setTimer(() => timeout.abort(new ReconcileTimeoutError(this.name, timeoutMs)), timeoutMs) : undefined;
    try {
      const signal = timeout ? AbortSignal.any([this.reconcileSignal, timeout.signal]) : this.reconcileSignal;
      result = await this.opts.reconciler.reconcile(req, { signal, log, reconcileID });
    } catch (err) {
      failed = true;
      failure = err;
    } finally {
      timer?.cancel();
      if (timeout?.signal.aborted) this.metrics.inc("controller_runtime_reconcile_timeouts_total", this.labels);
      this.metrics.observe("controller_runtime_reconcile_time_seconds", this.labels, (this.clock.now() - t0) / 1000);
      this.metrics.set("controller_runtime_active_workers", this.labels, --this.active);
    }
    this.count(this.handleResult(key, result, failed, failure, log));
  }

  private handleResult(key: string, result: Result | void, failed: boolean, failure: unknown, log: Logger): Outcome {
    const again = { priority: result?.priority ?? this.queue.priorityOf(key) ?? 0 };
    if (failed) {
      this.metrics.inc("controller_runtime_reconcile_errors_total", this.labels);
      if (this.opts.holdWhileUnhealthy !== false && isUnreachable(failure)) {
        const hold = this.opts.holdMs ?? 500;
        if (this.clock.now() >= this.holdUntil) log.warn({ err: failure, holdMs: hold }, "apiserver unreachable; holding workers");
        this.holdUntil = this.clock.now() + hold;
        this.queue.addAfter(key, hold, again);
      } else if (isTerminal(failure)) {
        this.metrics.inc("controller_runtime_terminal_reconcile_errors_total", this.labels);
        this.queue.forget(key);
        log.error({ err: failure }, "Reconciler error (terminal, not retried)");
      } else {
        this.queue.addRateLimited(key, again);
        log.error({ err: failure }, "Reconciler error");
      }
      return "error";
    }
    const after = result?.requeueAfter ?? 0;
    if (after > 0) {
      this.queue.forget(key);
      this.queue.addAfter(key, after, again);
      return "requeue_after";
    }
    if (result?.requeue) {
      this.queue.addRateLimited(key, again);
      return "requeue";
    }
    this.queue.forget(key);
    return "success";
  }

  private count(outcome: Outcome): void {
    this.metrics.inc("controller_runtime_reconcile_total", { controller: this.name, result: outcome });
  }
}
