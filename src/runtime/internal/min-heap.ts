/**
 * A binary min-heap keyed by a number (the work queue's delayed items, ordered by ready time).
 * @module
 */

/** Entries ordered by `at`, smallest first. */
export class MinHeap<T> {
  private readonly a: { at: number; value: T }[] = [];

  get size(): number {
    return this.a.length;
  }

  push(at: number, value: T): void {
    const a = this.a;
    a.push({ at, value });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((a[p] as { at: number }).at <= at) break;
      [a[i], a[p]] = [a[p] as { at: number; value: T }, a[i] as { at: number; value: T }];
      i = p;
    }
  }

  peek(): { at: number; value: T } | undefined {
    return this.a[0];
  }

  pop(): { at: number; value: T } | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && (a[l] as { at: number }).at < (a[m] as { at: number }).at) m = l;
      if (r < a.length && (a[r] as { at: number }).at < (a[m] as { at: number }).at) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as { at: number; value: T }, a[i] as { at: number; value: T }];
      i = m;
    }
    return top;
  }

  clear(): void {
    this.a.length = 0;
  }
}
