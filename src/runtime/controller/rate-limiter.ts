/**
 * Rate limiters of the work queue: per-item exponential backoff, a global token bucket, and their
 * maximum (client-go's default controller rate limiter).
 * @module
 */
import { TokenBucket } from "../internal/token-bucket.js";
import { realClock, type Clock } from "./clock.js";

/** Decides how long an item waits before it is retried. Delays are in milliseconds. */
export interface RateLimiter<T = string> {
  /** The delay before `item` may be processed again; counts as one more failure. */
  when(item: T): number;
  /** Stops tracking `item` (it succeeded). */
  forget(item: T): void;
  /** How many times `item` has been requeued through this limiter. */
  numRequeues(item: T): number;
}

/** Per-item exponential backoff: `base * 2^failures`, capped at `max`. */
export class ExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  /**
   * @param baseMs first delay. Default: 5 ms.
   * @param maxMs cap. Default: 1000 s.
   */
  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    const delay = this.baseMs * 2 ** n;
    return Number.isFinite(delay) ? Math.min(delay, this.maxMs) : this.maxMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A global token bucket (`qps` tokens a second, at most `burst` saved): every `when` reserves a
 * token and returns how long until it is available, whatever the item.
 */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  private readonly bucket: TokenBucket;

  /**
   * @param qps refill rate. Default: 10.
   * @param burst bucket size. Default: 100.
   */
  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    this.bucket = new TokenBucket(qps, burst, () => clock.now());
  }

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The largest delay of several limiters; `numRequeues` is the largest count. */
export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let d = 0;
    for (const l of this.limiters) d = Math.max(d, l.when(item));
    return d;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(item));
    return n;
  }
}

/** client-go's default: max of 5 ms..1000 s per-item backoff and a 10 qps / burst 100 bucket. */
export function defaultControllerRateLimiter<T = string>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ExponentialFailureRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100, clock));
}
