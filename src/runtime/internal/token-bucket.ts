/**
 * The runtime's one token bucket (QPS + burst, reservation-style like golang.org/x/time/rate): the
 * REST client's request limit, the work queue's global rate limit and the event recorder's
 * per-object spam filter.
 * @module
 */
import { sleep } from "./abort.js";

/**
 * Tokens refill at `qps` per second up to `burst`; the bucket starts full. `qps <= 0` disables
 * limiting (every reservation is free).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param qps refill rate, tokens per second.
   * @param burst bucket size.
   * @param now time source in milliseconds. Default: `Date.now`.
   */
  constructor(private readonly qps: number, private readonly burst: number, private readonly now: () => number = Date.now) {
    this.tokens = burst;
    this.last = now();
  }

  /** Reserves one token; returns the milliseconds until it is due (0 = now), so callers are served in arrival order. */
  reserve(): number {
    if (this.qps <= 0) return 0;
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Takes a token if one is available now; never goes into debt. */
  tryTake(): boolean {
    if (this.qps <= 0) return true;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Waits for a reserved token (whole milliseconds); resolves early when `signal` aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    await sleep(Math.ceil(this.reserve()), signal);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }
}
