/** Exponential backoff with jitter, capped and resettable: the reflector's retry clock. */

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay in ms. Default: 200. */
  initialMs?: number;
  /** Largest delay in ms. Default: 2000 (a recovered apiserver is noticed within about 2 s). */
  maxMs?: number;
  /** Random source (tests). Default: Math.random. */
  random?: () => number;
}

/** Delays grow 2x per failure up to `maxMs`, each jittered into [d/2, d]; `reset()` after a success. */
export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 200;
    this.maxMs = opts.maxMs ?? 2000;
    this.random = opts.random ?? Math.random;
  }

  /** Consecutive failures since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  next(): number {
    const d = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(d / 2 + (this.random() * d) / 2);
  }

  /** Back to the first delay. */
  reset(): void {
    this.failures = 0;
  }
}
