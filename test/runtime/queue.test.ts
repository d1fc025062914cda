import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/runtime/controller/clock.js";
import type { MetricsSink } from "../../src/runtime/metrics/sink.js";
import { WorkQueue } from "../../src/runtime/controller/queue.js";
import { BucketRateLimiter, ExponentialFailureRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from "../../src/runtime/controller/rate-limiter.js";

function recordingSink(): MetricsSink & { counters: Map<string, number>; gauges: Map<string, number>; samples: Map<string, number[]> } {
  const counters = new Map<string, number>();
  const gauges = new Map<string, number>();
  const samples = new Map<string, number[]>();
  return {
    counters,
    gauges,
    samples,
    inc: (n, _l, v = 1) => void counters.set(n, (counters.get(n) ?? 0) + v),
    set: (n, _l, v) => void gauges.set(n, v),
    observe: (n, _l, v) => void samples.set(n, [...(samples.get(n) ?? []), v]),
  };
}

describe("WorkQueue", () => {
  it("merges keys added while they wait", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
  });

  it("never hands a key to two workers; a re-add during processing comes back after done", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a");
    const first = await q.get();
    q.add("a");
    q.add("a");
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((v) => (second = v));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(first as string);
    await Promise.resolve();
    expect(second).toBe("a");
    expect(q.len()).toBe(0);
  });

  it("wakes a waiting get on add", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const p = q.get();
    q.add("x");
    expect(await p).toBe("x");
  });

  it("addAfter delays until the clock passes, and the earliest delay wins", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter("a", 100);
    q.addAfter("a", 50);
    q.addAfter("a", 500);
    q.addAfter("b", 70);
    expect(q.len()).toBe(0);
    clock.advance(49);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("a");
    clock.advance(20);
    expect(await q.get()).toBe("b");
    clock.advance(10_000);
    expect(q.len()).toBe(0);
    expect(q.delayedLen()).toBe(0);
  });

  it("releases many delayed items in ready-time order, with re-delays taking the earliest", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<number>({ clock });
    const delays = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 1000) + 1);
    delays.forEach((d, i) => q.addAfter(i, d));
    q.addAfter(5, 0.5);
    const out: number[] = [];
    for (let t = 0; t <= 1000; t++) {
      clock.advance(1);
      while (q.len() > 0) out.push((await q.get()) as number);
    }
    const expected = delays.map((d, i) => [i === 5 ? 0.5 : d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    expect(out).toEqual(expected);
    expect(q.delayedLen()).toBe(0);
  });

  it("backs off per item exponentially and forget resets", () => {
    const clock = new FakeClock();
    const delays: number[] = [];
    const limiter = new ExponentialFailureRateLimiter<string>(5, 1_000_000);
    for (let i = 0; i < 5; i++) delays.push(limiter.when("a"));
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(limiter.numRequeues("a")).toBe(5);
    expect(limiter.when("b")).toBe(5);
    limiter.forget("a");
    expect(limiter.when("a")).toBe(5);
    for (let i = 0; i < 100; i++) limiter.when("c");
    expect(limiter.when("c")).toBe(1_000_000);
    void clock;
  });

  it("addRateLimited grows delays per item and forget resets them", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, rateLimiter: new ExponentialFailureRateLimiter(5, 1000) });
    q.addRateLimited("a");
    clock.advance(4);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(await q.get()).toBe("a");
    q.done("a");
    q.addRateLimited("a");
    clock.advance(9);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.numRequeues("a")).toBe(2);
    q.forget("a");
    expect(q.numRequeues("a")).toBe(0);
  });

  it("the token bucket allows a burst, then paces at qps; the default takes the max", () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 100, clock);
    for (let i = 0; i < 100; i++) expect(bucket.when(`k${i}`)).toBe(0);
    expect(bucket.when("x")).toBeCloseTo(100);
    expect(bucket.when("y")).toBeCloseTo(200);
    clock.advance(1000);
    expect(bucket.when("z")).toBe(0); // -2 tokens + 10 refilled - 1
    const def = defaultControllerRateLimiter<string>(clock);
    expect(def.when("a")).toBe(5);
    const max = new MaxOfRateLimiter<string>(new ExponentialFailureRateLimiter(5, 1000), new BucketRateLimiter(1, 1, clock));
    expect(max.when("a")).toBe(5);
    expect(max.when("a")).toBe(1000);
  });

  it("shutDown wakes waiters with undefined and ignores adds", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const p = q.get();
    q.shutDown();
    expect(await p).toBeUndefined();
    q.add("a");
    expect(q.len()).toBe(0);
    expect(await q.get()).toBeUndefined();
  });

  it("shutDownWithDrain waits for in-flight items", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a");
    q.add("b");
    const a = await q.get();
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(await q.get()).toBeUndefined();
    q.done(a as string);
    await p;
    expect(drained).toBe(true);
  });

  it("reports client-go's queue metrics", async () => {
    const clock = new FakeClock();
    const sink = recordingSink();
    const q = new WorkQueue({ clock, name: "c", metrics: sink, metricsIntervalMs: 500 });
    q.add("a");
    q.add("a");
    q.add("b");
    expect(sink.counters.get("workqueue_adds_total")).toBe(2);
    expect(sink.gauges.get("workqueue_depth")).toBe(2);
    clock.advance(300);
    const a = await q.get();
    expect(sink.samples.get("workqueue_queue_duration_seconds")).toEqual([0.3]);
    clock.advance(700);
    expect(sink.gauges.get("workqueue_longest_running_processor_seconds")).toBeCloseTo(0.7); // refreshed at t=1000, started at t=300
    q.done(a as string);
    expect(sink.samples.get("workqueue_work_duration_seconds")).toEqual([0.7]);
    q.addRateLimited("a");
    expect(sink.counters.get("workqueue_retries_total")).toBe(1);
    q.shutDown();
  });
});
