import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/runtime/controller/clock.js";
import { LOW_PRIORITY, WorkQueue } from "../../src/runtime/controller/queue.js";

/** Takes every waiting item, marking each done. */
async function drain<T>(q: WorkQueue<T>): Promise<T[]> {
  const out: T[] = [];
  while (q.len() > 0) {
    const item = (await q.get()) as T;
    out.push(item);
    q.done(item);
  }
  return out;
}

describe("WorkQueue priorities", () => {
  it("hands out higher priorities first and equal priorities first in, first out", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("list-1", { priority: LOW_PRIORITY });
    q.add("list-2", { priority: LOW_PRIORITY });
    q.add("event-1");
    q.add("urgent", { priority: 10 });
    q.add("event-2");
    expect(await drain(q)).toEqual(["urgent", "event-1", "event-2", "list-1", "list-2"]);
  });

  it("raises a waiting key added again with a higher priority, and never lowers one", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a", { priority: LOW_PRIORITY });
    q.add("b", { priority: LOW_PRIORITY });
    q.add("c");
    q.add("b");
    q.add("c", { priority: LOW_PRIORITY });
    expect(q.len()).toBe(3);
    expect(await drain(q)).toEqual(["c", "b", "a"]);
  });

  it("does not starve low priorities: a low key goes ahead of normal keys added priorityStepMs × 100 after it", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, priorityStepMs: 10 });
    q.add("low", { priority: LOW_PRIORITY });
    clock.advance(999);
    q.add("normal-before");
    clock.advance(2);
    q.add("normal-after");
    expect(await drain(q)).toEqual(["normal-before", "low", "normal-after"]);
  });

  it("requeues keep the priority they were given: a delayed low item waits behind normal items when ready", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter("late-low", 100, { priority: LOW_PRIORITY });
    q.addAfter("late-normal", 200);
    clock.advance(200);
    expect(q.len()).toBe(2);
    expect(await drain(q)).toEqual(["late-normal", "late-low"]);
  });

  it("an earlier pending delay wins but takes the higher priority of the two adds", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.add("x");
    q.addAfter("k", 50, { priority: LOW_PRIORITY });
    q.addAfter("k", 80, { priority: 5 });
    clock.advance(50);
    expect(await drain(q)).toEqual(["k", "x"]);
  });

  it("reports the priority a held item was handed out with, and re-adds after done use the latest priority", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a", { priority: LOW_PRIORITY });
    const a = (await q.get()) as string;
    expect(q.priorityOf(a)).toBe(LOW_PRIORITY);
    q.add("a", { priority: LOW_PRIORITY });
    q.add("a", { priority: 3 });
    q.add("b");
    q.done(a);
    expect(q.priorityOf(a)).toBeUndefined();
    expect(await drain(q)).toEqual(["a", "b"]);
  });

  it("serves 10,000 low-priority keys and interleaved live keys without losing or duplicating any", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<number>({ clock });
    for (let i = 0; i < 10_000; i++) q.add(i, { priority: LOW_PRIORITY });
    const seen: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 100 === 0) q.add(100_000 + i);
      clock.advance(1);
      const item = (await q.get()) as number;
      seen.push(item);
      q.done(item);
    }
    seen.push(...(await drain(q)));
    expect(new Set(seen).size).toBe(10_100);
    expect(seen.length).toBe(10_100);
    // every live key was handed out by the next get after it was added
    for (let i = 0; i < 10_000; i += 100) expect(seen[i]).toBe(100_000 + i);
  });
});
