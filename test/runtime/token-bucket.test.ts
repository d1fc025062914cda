// The runtime's one token bucket (src/runtime/internal/token-bucket.ts): the REST client's limit,
// the work queue's BucketRateLimiter and the event recorder's per-object spam filter all use it.
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../src/runtime/internal/token-bucket.js";

describe("TokenBucket", () => {
  it("allows a burst, then spaces reservations at 1/qps", () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 0]);
    expect(b.reserve()).toBe(100);
    expect(b.reserve()).toBe(200);
    now += 1000; // refills 10 tokens, capped at burst 3; two were owed
    expect(b.reserve()).toBe(0);
  });

  it("tryTake takes only a token that is there, and never goes into debt", () => {
    let now = 0;
    const b = new TokenBucket(1000 / 300_000, 2, () => now); // one token per 5 minutes, burst 2
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, false, false]);
    now += 299_999;
    expect(b.tryTake()).toBe(false);
    now += 1;
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
  });

  it("qps <= 0 disables limiting", () => {
    const b = new TokenBucket(0, 0, () => 0);
    expect([b.reserve(), b.reserve()]).toEqual([0, 0]);
    expect([b.tryTake(), b.tryTake()]).toEqual([true, true]);
  });

  it("take waits for the reserved token and ends early when aborted", async () => {
    const b = new TokenBucket(1, 1);
    await b.take(); // the burst token: at once
    const stop = new AbortController();
    const waiting = b.take(stop.signal); // next token due in 1 s
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
