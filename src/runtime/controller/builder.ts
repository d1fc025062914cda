/**
 * The controller builder: `for`, `owns`, `watches`, filters and options only record; `complete`
 * validates, builds the {@link Controller} and registers it with the host (the manager).
 * @module
 */
import { UserError } from "../../errors.js";
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { Controller, watchSource, type WatchSource } from "./controller.js";
import { enqueueForObject, enqueueForOwner, enqueueFromMap, type MapFunc } from "./handlers.js";
import type { ControllerHost } from "./types.js";
import type { Reconciler } from "../reconcile/types.js";
import type { Predicate } from "./predicates.js";
import type { RateLimiter } from "./rate-limiter.js";

/** Per-watch options. */
export interface WatchOptions<T extends KubeObject> {
  /** Filters for this watch's events, all of which must pass. Default: none. */
  predicates?: Predicate<T>[];
}

/** Controller options settable through the builder. */
export interface BuilderOptions {
  /** Workers reconciling different keys in parallel. Default: the manager's `maxConcurrentReconciles`, else 1. */
  maxConcurrentReconciles?: number;
  /** Limiter of retries. Default: 5 ms..1000 s per key, max with 10 qps / burst 100. */
  rateLimiter?: RateLimiter<string>;
  /** Aborts `ctx.signal` of a reconcile running longer, in ms (counted in `controller_runtime_reconcile_timeouts_total`). Default: the manager's `reconcileTimeoutMs`, else none. */
  reconcileTimeoutMs?: number;
  /** Warm replica: informers start and sync before the Lease is won. Default: the manager's `warmUp`, else false. */
  warmUp?: boolean;
}

interface Recorded {
  kind: KindDescriptor;
  role: "for" | "owns" | "watches";
  map?: MapFunc;
  predicates: Predicate[];
}

const NAME = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;

/** Builds one controller; reads as a sentence: `mgr.controller("x").for(X).owns(Y).complete(r)`. */
export class ControllerBuilder {
  private readonly recorded: Recorded[] = [];
  private readonly filters: Predicate[] = [];
  private options: BuilderOptions = {};

  constructor(
    private readonly host: ControllerHost,
    private name: string,
  ) {}

  /** The primary kind: its own events enqueue it. Exactly one `for` per controller. */
  for<T extends KubeObject>(kind: KindDescriptor<T>, opts: WatchOptions<T> = {}): this {
    this.recorded.push({ kind: kind as KindDescriptor, role: "for", predicates: (opts.predicates ?? []) as Predicate[] });
    return this;
  }

  /** A kind this controller creates: its events enqueue the controller owner of the `for` kind. */
  owns<T extends KubeObject>(kind: KindDescriptor<T>, opts: WatchOptions<T> = {}): this {
    this.recorded.push({ kind: kind as KindDescriptor, role: "owns", predicates: (opts.predicates ?? []) as Predicate[] });
    return this;
  }

  /** Any kind: its events enqueue what `map` returns. */
  watches<T extends KubeObject>(kind: KindDescriptor<T>, map: MapFunc<T>, opts: WatchOptions<T> = {}): this {
    this.recorded.push({ kind: kind as KindDescriptor, role: "watches", map: map as MapFunc, predicates: (opts.predicates ?? []) as Predicate[] });
    return this;
  }

  /** A filter applied to every watch of this controller. */
  withEventFilter(p: Predicate): this {
    this.filters.push(p);
    return this;
  }

  /** Sets controller options (merged with earlier calls). */
  withOptions(opts: BuilderOptions): this {
    this.options = { ...this.options, ...opts };
    return this;
  }

  /** Renames the controller (logs, metrics). */
  named(name: string): this {
    this.name = name;
    return this;
  }

  /** Validates what was recorded and returns the controller without registering it. */
  build(reconciler: Reconciler): Controller {
    const fors = this.recorded.filter((r) => r.role === "for");
    const where = `controller "${this.name}"`;
    if (fors.length !== 1) {
      throw new UserError("controller-for", `${where}: needs exactly one .for(kind), got ${fors.length}`, { hint: "call .for(YourKind) once before .complete()" });
    }
    if (!NAME.test(this.name)) {
      throw new UserError("controller-name", `${where}: invalid name`, { hint: "use lower-case letters, digits, '-', '.' or '_', e.g. memcached" });
    }
    const defaults = this.host.controllerDefaults ?? {};
    const n = this.options.maxConcurrentReconciles ?? defaults.maxConcurrentReconciles ?? 1;
    if (!Number.isInteger(n) || n < 1) {
      throw new UserError("controller-options", `${where}: maxConcurrentReconciles must be a positive integer, got ${n}`, { hint: "use 1 or more" });
    }
    const timeout = this.options.reconcileTimeoutMs ?? defaults.reconcileTimeoutMs ?? 0;
    if (!(timeout >= 0)) {
      throw new UserError("controller-options", `${where}: reconcileTimeoutMs must be 0 (none) or more, got ${timeout}`, { hint: "pass milliseconds, e.g. 30000" });
    }
    if (typeof (reconciler as Partial<Reconciler> | undefined)?.reconcile !== "function") {
      throw new UserError("controller-reconciler", `${where}: .complete() needs an object with a reconcile(req, ctx) method`, { hint: "pass an instance of your reconciler class, e.g. .complete(new MemcachedReconciler())" });
    }
    const owner = (fors[0] as Recorded).kind;
    const watches: WatchSource[] = this.recorded.map((r) => {
      const handler = r.role === "for" ? enqueueForObject() : r.role === "owns" ? enqueueForOwner(owner) : enqueueFromMap(r.map as MapFunc);
      return watchSource(r.kind, handler, [...r.predicates, ...this.filters]);
    });
    return new Controller({
      name: this.name,
      reconciler,
      cache: this.host.cache,
      watches,
      logger: this.host.logger,
      metrics: this.host.metrics,
      ownedKinds: this.recorded.filter((r) => r.role === "owns").map((r) => r.kind),
      maxConcurrentReconciles: n,
      reconcileTimeoutMs: timeout,
      warmUp: this.options.warmUp ?? defaults.warmUp ?? false,
      ...(this.host.reconcileSignal ? { reconcileSignal: this.host.reconcileSignal } : {}),
      ...(this.options.rateLimiter ? { rateLimiter: this.options.rateLimiter } : {}),
    });
  }

  /** Builds the controller and registers it with the host, which starts it. */
  complete(reconciler: Reconciler): void {
    this.host.add(this.build(reconciler));
  }
}
