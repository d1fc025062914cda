import { describe, expect, it } from "vitest";
import { Backoff } from "../../src/runtime/internal/backoff.js";

describe("Backoff", () => {
  it("doubles from the initial delay up to the cap, jittered into [d/2, d], and resets", () => {
    const hi = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    expect(Array.from({ length: 7 }, () => hi.next())).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(hi.attempts).toBe(7);
    hi.reset();
    expect(hi.attempts).toBe(0);
    expect(hi.next()).toBe(100);
    const lo = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect([lo.next(), lo.next(), lo.next()]).toEqual([50, 100, 200]);
  });

  it("never gives up and never overflows", () => {
    const b = new Backoff({ random: () => 1 });
    let last = 0;
    for (let i = 0; i < 10_000; i++) last = b.next();
    expect(last).toBe(2000);
  });
});
