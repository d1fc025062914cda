/**
 * The controller work queue, with client-go's semantics: keys merge while they wait, a key is never
 * handed to two workers at once, delayed and rate-limited adds, and a shutdown that drains.
 * @module
 */
import { realClock, type Clock, type TimerHandle } from "./clock.js";
import { noopMetrics, type MetricsSink } from "../metrics/sink.js";
import { MinHeap } from "../internal/min-heap.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiter.js";

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
}

/**
 * A rate-limited, delaying, de-duplicating FIFO of keys.
 *
 * Guarantees: an item added while it waits is queued once; an item added while a worker holds it
 * is queued again only after `done`; `get` hands out each queued item to exactly one caller.
 */
export class WorkQueue<T = string> {
  private readonly queue: T[] = [];
  private head = 0;
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly addedAt = new Map<T, number>();
  private readonly startedAt = new Map<T, number>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private readonly delayed = new Map<T, number>();
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

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
    this.metrics = opts.name ? (opts.metrics ?? noopMetrics) : noopMetrics;
    this.labels = { name: opts.name ?? "", controller: opts.name ?? "" };
    if (this.metrics !== noopMetrics) this.scheduleMetrics(opts.metricsIntervalMs ?? 500);
  }

  /** Queues `item` unless it is already waiting. Ignored after shutdown. */
  add(item: T): void {
    if (this.shutting || this.dirty.has(item)) return;
    this.metrics.inc("workqueue_adds_total", this.labels);
    this.dirty.add(item);
    this.addedAt.set(item, this.clock.now());
    if (this.processing.has(item)) return;
    this.push(item);
  }

  /** Queues `item` after `ms` milliseconds; an earlier pending delay for it wins. */
  addAfter(item: T, ms: number): void {
    if (this.shutting) return;
    if (ms <= 0) return this.add(item);
    const at = this.clock.now() + ms;
    const prev = this.delayed.get(item);
    if (prev !== undefined && prev <= at) return;
    this.delayed.set(item, at);
    this.delayHeap.push(at, item);
    if (at < this.delayTimerAt) this.armTimerAt(at);
  }

  /** Queues `item` after its rate limiter's delay, counting a retry. */
  addRateLimited(item: T): void {
    if (this.shutting) return;
    this.metrics.inc("workqueue_retries_total", this.labels);
    this.addAfter(item, this.limiter.when(item));
  }

  /** Clears `item`'s failure history (after a success). */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  /** How many times `item` has been requeued through the rate limiter. */
  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }

  /**
   * The next item, waiting for one if needed; `undefined` once the queue shuts down. The caller
   * must call `done(item)` when finished with it.
   */
  get(): Promise<T | undefined> {
    if (this.shutting) return Promise.resolve(undefined);
    if (this.head < this.queue.length) return Promise.resolve(this.take());
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
    if (this.dirty.has(item) && !this.shutting) this.push(item);
    if (this.shutting && this.processing.size === 0) this.resolveDrain();
  }

  /** Items waiting (not counting delayed or in-process ones). */
  len(): number {
    return this.queue.length - this.head;
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

  private push(item: T): void {
    const w = this.waiters.shift();
    if (w) {
      this.queue.push(item);
      w(this.take());
      return;
    }
    this.queue.push(item);
    this.metrics.set("workqueue_depth", this.labels, this.len());
  }

  private take(): T {
    const item = this.queue[this.head] as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    const now = this.clock.now();
    const added = this.addedAt.get(item);
    if (added !== undefined) this.metrics.observe("workqueue_queue_duration_seconds", this.labels, (now - added) / 1000);
    this.addedAt.delete(item);
    this.dirty.delete(item);
    this.processing.add(item);
    this.startedAt.set(item, now);
    this.metrics.set("workqueue_depth", this.labels, this.len());
    return item;
  }

  private armDelayTimer(): void {
    for (let top = this.delayHeap.peek(); top; top = this.delayHeap.peek()) {
      if (this.delayed.get(top.value) === top.at) {
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
      if (this.delayed.get(top.value) !== top.at) continue;
      this.delayed.delete(top.value);
      this.add(top.value);
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
