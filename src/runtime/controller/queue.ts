/**
 * The controller work queue, with client-go's semantics (keys merge while they wait, a key is never
 * handed to two workers at once, delayed and rate-limited adds, a shutdown that drains) and
 * controller-runtime's priorities: higher-priority keys are handed out first, so live events and
 * requeues go ahead of the bulk work of an initial list ({@link LOW_PRIORITY}).
 *
 * Priority is worth time, so nothing starves: a key of priority `p` is ordered as if it had been
 * added `p × priorityStepMs` earlier. With the default step of 300 ms a {@link LOW_PRIORITY} key
 * (−100) is overtaken by normal keys added up to 30 s after it, never by later ones. Equal
 * priorities are first in, first out.
 * @module
 */
import { realClock, type Clock, type TimerHandle } from "./clock.js";
import { noopMetrics, type MetricsSink } from "../metrics/sink.js";
import { MinHeap } from "../internal/min-heap.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiter.js";

/** The priority of work from an informer's initial list (controller-runtime's `handler.LowPriority`). */
export const LOW_PRIORITY = -100;

/** Options of one add. */
export interface AddOptions {
  /** Higher is sooner. Default: 0. Adding a waiting key again with a higher priority raises it. */
  priority?: number;
}

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions<T> {
  /** Name used in metric labels (`name` and `controller`). Default: `""` (no metrics). */
  name?: string;
  /** Where queue metrics go. Default: a sink that drops them. */
  metrics?: MetricsSink;
  /** Time source. Default: the real clock. */
  clock?: Clock;
  /** Limiter for `addRateLimited`. Default: {@link defaultControllerRateLimiter}. */
  rateLimiter?: RateLimiter<T>;
  /** How often unfinished-work gauges are refreshed, in ms. Default: 500. */
  metricsIntervalMs?: number;
  /** Milliseconds of waiting one priority level is worth (see the module doc). Default: 300. */
  priorityStepMs?: number;
}

/**
 * A rate-limited, delaying, de-duplicating priority queue of keys.
 *
 * Guarantees: an item added while it waits is queued once (at the highest priority it was added
 * with); an item added while a worker holds it is queued again only after `done`; `get` hands out
 * each queued item to exactly one caller, highest priority (aged) first.
 */
export class WorkQueue<T = string> {
  /** Waiting items by order key; entries whose seq no longer matches `waiting` are stale. */
  private readonly ready = new MinHeap<T>();
  private readonly waiting = new Map<T, { key: number; seq: number }>();
  /** Items queued or to be queued again after `done`, with their priority. */
  private readonly dirty = new Map<T, number>();
  /** Items handed out, with the priority they had. */
  private readonly processing = new Map<T, number>();
  private readonly addedAt = new Map<T, number>();
  private readonly startedAt = new Map<T, number>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private readonly delayed = new Map<T, { at: number; priority: number }>();
  /** Ready times of delayed items; entries whose time no longer matches `delayed` are stale. */
  private readonly delayHeap = new MinHeap<T>();
  private delayTimer: TimerHandle | undefined;
  private delayTimerAt = Infinity;
  private metricsTimer: TimerHandle | undefined;
  private shutting = false;
  private drainWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<T>;
  private readonly metrics: MetricsSink;
  private readonly labels: Record<string, string>;
  private readonly step: number;

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
    this.metrics = opts.name ? (opts.metrics ?? noopMetrics) : noopMetrics;
    this.labels = { name: opts.name ?? "", controller: opts.name ?? "" };
    this.step = opts.priorityStepMs ?? 300;
    if (this.metrics !== noopMetrics) this.scheduleMetrics(opts.metricsIntervalMs ?? 500);
  }

  /** Queues `item` unless it is already waiting (then only its priority may rise). Ignored after shutdown. */
  add(item: T, opts: AddOptions = {}): void {
    if (this.shutting) return;
    const priority = opts.priority ?? 0;
    const cur = this.dirty.get(item);
    if (cur !== undefined) {
      if (priority > cur) {
        this.dirty.set(item, priority);
        if (!this.processing.has(item)) this.raise(item, priority);
      }
      return;
    }
    this.metrics.inc("workqueue_adds_total", this.labels);
    this.dirty.set(item, priority);
    this.addedAt.set(item, this.clock.now());
    if (this.processing.has(item)) return;
    this.push(item, priority);
  }

  /** Queues `item` after `ms` milliseconds; an earlier pending delay for it wins (keeping the higher priority). */
  addAfter(item: T, ms: number, opts: AddOptions = {}): void {
    if (this.shutting) return;
    if (ms <= 0) return this.add(item, opts);
    const priority = opts.priority ?? 0;
    const at = this.clock.now() + ms;
    const prev = this.delayed.get(item);
    if (prev !== undefined && prev.at <= at) {
      prev.priority = Math.max(prev.priority, priority);
      return;
    }
    this.delayed.set(item, { at, priority: Math.max(prev?.priority ?? priority, priority) });
    this.delayHeap.push(at, item);
    if (at < this.delayTimerAt) this.armTimerAt(at);
  }

  /** Queues `item` after its rate limiter's delay, counting a retry. */
  addRateLimited(item: T, opts: AddOptions = {}): void {
    if (this.shutting) return;
    this.metrics.inc("workqueue_retries_total", this.labels);
    this.addAfter(item, this.limiter.when(item), opts);
  }

  /** Clears `item`'s failure history (after a success). */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  /** How many times `item` has been requeued through the rate limiter. */
  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }

  /** The priority `item` was handed out with, while a worker holds it. */
  priorityOf(item: T): number | undefined {
    return this.processing.get(item);
  }

  /**
   * The next item, waiting for one if needed; `undefined` once the queue shuts down. The caller
   * must call `done(item)` when finished with it.
   */
  get(): Promise<T | undefined> {
    if (this.shutting) return Promise.resolve(undefined);
    if (this.waiting.size > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `item` finished; if it was added meanwhile, it is queued again. */
  done(item: T): void {
    const started = this.startedAt.get(item);
    if (started !== undefined) {
      this.metrics.observe("workqueue_work_duration_seconds", this.labels, (this.clock.now() - started) / 1000);
      this.startedAt.delete(item);
    }
    this.processing.delete(item);
    const again = this.dirty.get(item);
    if (again !== undefined && !this.shutting) this.push(item, again);
    if (this.shutting && this.processing.size === 0) this.resolveDrain();
  }

  /** Items waiting (not counting delayed or in-process ones). */
  len(): number {
    return this.waiting.size;
  }

  /** Items handed out and not yet `done`. */
  inFlight(): number {
    return this.processing.size;
  }

  /** Items waiting for a delay to pass. */
  delayedLen(): number {
    return this.delayed.size;
  }

  /** True once shut down. */
  shuttingDown(): boolean {
    return this.shutting;
  }

  /** Stops the queue now: adds are ignored, `get` returns `undefined`, queued items are dropped. */
  shutDown(): void {
    if (this.shutting) return;
    this.shutting = true;
    this.delayTimer?.cancel();
    this.metricsTimer?.cancel();
    this.delayed.clear();
    this.delayHeap.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
    if (this.processing.size === 0) this.resolveDrain();
  }

  /** Shuts down and resolves once every handed-out item is `done`. */
  shutDownWithDrain(): Promise<void> {
    const p = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.shutDown();
    if (this.processing.size === 0) this.resolveDrain();
    return p;
  }

  private resolveDrain(): void {
    for (const r of this.drainWaiters.splice(0)) r();
  }

  private push(item: T, priority: number): void {
    const key = this.clock.now() - priority * this.step;
    this.waiting.set(item, { key, seq: this.ready.push(key, item) });
    const w = this.waiters.shift();
    if (w) {
      w(this.take());
      return;
    }
    this.metrics.set("workqueue_depth", this.labels, this.len());
  }

  /** Moves a waiting item forward to where `priority` puts it now, if that is earlier. */
  private raise(item: T, priority: number): void {
    const cur = this.waiting.get(item);
    const key = this.clock.now() - priority * this.step;
    if (!cur || key >= cur.key) return;
    this.waiting.set(item, { key, seq: this.ready.push(key, item) });
  }

  private take(): T {
    let top = this.ready.pop();
    while (top && this.waiting.get(top.value)?.seq !== top.seq) top = this.ready.pop();
    const item = (top as { value: T }).value;
    this.waiting.delete(item);
    const now = this.clock.now();
    const added = this.addedAt.get(item);
    if (added !== undefined) this.metrics.observe("workqueue_queue_duration_seconds", this.labels, (now - added) / 1000);
    this.addedAt.delete(item);
    this.processing.set(item, this.dirty.get(item) ?? 0);
    this.dirty.delete(item);
    this.startedAt.set(item, now);
    this.metrics.set("workqueue_depth", this.labels, this.len());
    return item;
  }

  private armDelayTimer(): void {
    for (let top = this.delayHeap.peek(); top; top = this.delayHeap.peek()) {
      if (this.delayed.get(top.value)?.at === top.at) {
        if (top.at < this.delayTimerAt) this.armTimerAt(top.at);
        return;
      }
      this.delayHeap.pop();
    }
  }

  private armTimerAt(at: number): void {
    this.delayTimer?.cancel();
    this.delayTimerAt = at;
    this.delayTimer = this.clock.setTimer(() => this.fireDelayed(), at - this.clock.now());
  }

  private fireDelayed(): void {
    this.delayTimer = undefined;
    this.delayTimerAt = Infinity;
    const now = this.clock.now();
    for (let top = this.delayHeap.peek(); top && top.at <= now; top = this.delayHeap.peek()) {
      this.delayHeap.pop();
      const d = this.delayed.get(top.value);
      if (d?.at !== top.at) continue;
      this.delayed.delete(top.value);
      this.add(top.value, { priority: d.priority });
    }
    this.armDelayTimer();
  }

  private scheduleMetrics(intervalMs: number): void {
    this.metricsTimer = this.clock.setTimer(() => {
      const now = this.clock.now();
      let total = 0;
      let longest = 0;
      for (const s of this.startedAt.values()) {
        total += now - s;
        longest = Math.max(longest, now - s);
      }
      this.metrics.set("workqueue_unfinished_work_seconds", this.labels, total / 1000);
      this.metrics.set("workqueue_longest_running_processor_seconds", this.labels, longest / 1000);
      if (!this.shutting) this.scheduleMetrics(intervalMs);
    }, intervalMs);
  }
}
