/**
 * A binary min-heap keyed by a number, ties broken by insertion order (the work queue's ready
 * items and its delayed items).
 * @module
 */

interface Entry<T> {
  at: number;
  seq: number;
  value: T;
}

/** Entries ordered by `at`, smallest first; equal `at` in the order pushed. */
export class MinHeap<T> {
  private readonly a: Entry<T>[] = [];
  private n = 0;

  get size(): number {
    return this.a.length;
  }

  /** Adds an entry; returns its sequence number (unique per heap). */
  push(at: number, value: T): number {
    const a = this.a;
    const e: Entry<T> = { at, seq: ++this.n, value };
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, a[p] as Entry<T>)) break;
      a[i] = a[p] as Entry<T>;
      i = p;
    }
    a[i] = e;
    return e.seq;
  }

  peek(): Entry<T> | undefined {
    return this.a[0];
  }

  pop(): Entry<T> | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m: Entry<T> = last;
      let mi = -1;
      if (l < a.length && less(a[l] as Entry<T>, m)) (m = a[l] as Entry<T>), (mi = l);
      if (r < a.length && less(a[r] as Entry<T>, m)) (m = a[r] as Entry<T>), (mi = r);
      if (mi < 0) break;
      a[i] = m;
      i = mi;
    }
    a[i] = last;
    return top;
  }

  clear(): void {
    this.a.length = 0;
  }
}

function less<T>(x: Entry<T>, y: Entry<T>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
