/**
 * A LIST response decoded as it streams in: each item of `items` is parsed (optionally without its
 * managedFields) and handed over as soon as its last byte arrived, so a list of 10,000 objects is
 * never one 30 MB string nor 10,000 raw objects at once. The list's other members (metadata with
 * resourceVersion and continue, kind, apiVersion) come back at the end, wherever they appear (a
 * custom resource's list has its keys sorted: metadata after items).
 * @module
 */
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE, textWithoutManagedFields } from "./watch.js";

/** The non-item members of a list. */
export interface ListEnvelope {
  metadata?: { resourceVersion?: string; continue?: string };
  [member: string]: unknown;
}

/** Push bytes in order with {@link ListStreamDecoder.push}; {@link ListStreamDecoder.end} returns the envelope. */
export class ListStreamDecoder<T> {
  /**
   * Earlier bytes (copies) of the unit in progress: the item being read, or the top-level member
   * other than `items`. Chunks themselves are scanned in place, never joined.
   */
  private pending: Buffer[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** A top-level member is in progress. */
  private inMember = false;
  /** Start in the current chunk of the unit in progress (0 when it began in an earlier one), or -1. */
  private unitStart = -1;
  /** The member's key is still being read. */
  private inKey = false;
  private key = "";
  /** Inside the `items` array (depth 2 = between items). */
  private inItems = false;
  private readonly members: string[] = [];
  private done = false;

  constructor(private readonly onItem: (item: T) => void, private readonly dropManagedFields = false) {}

  push(d: Buffer): void {
    const n = d.length;
    // The hot loop works on locals (written back below): V8 keeps them in registers.
    let depth = this.depth;
    let inItems = this.inItems;
    let escaped = this.escaped;
    let i = 0;
    if (this.inString) {
      // A string cut by the previous chunk: finish it.
      if (escaped) i++;
      escaped = false;
      for (; i < n; i++) {
        const e = d[i];
        if (e === BACKSLASH) i++;
        else if (e === QUOTE) break;
      }
      if (i >= n) escaped = i > n;
      else {
        this.inString = false;
        if (this.inKey) this.endKey(d, i);
      }
      i++;
    }
    for (; i < n; i++) {
      const c = d[i];
      if (c === QUOTE) {
        if (depth === 1 && !this.inMember) {
          this.inMember = true;
          this.inKey = true;
          this.unitStart = i;
        }
        // Strings in a tight loop of their own: most bytes of a list are inside strings.
        for (i++; i < n; i++) {
          const e = d[i];
          if (e === BACKSLASH) i++;
          else if (e === QUOTE) break;
        }
        if (i >= n) {
          this.inString = true;
          escaped = i > n;
        } else if (this.inKey) this.endKey(d, i);
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (inItems && depth === 2) this.unitStart = i;
        depth++;
        if (depth === 2 && c === OPEN_ARRAY && this.key === "items") {
          inItems = true;
          this.unitStart = -1;
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (inItems && depth === 2) this.item(d, i + 1);
        else if (depth === 1 && inItems) inItems = false;
        else if (depth === 0) {
          this.endMember(d, i);
          this.done = true;
        }
      } else if (c === COMMA && depth === 1) this.endMember(d, i);
    }
    this.depth = depth;
    this.inItems = inItems;
    this.escaped = escaped;
    if (this.unitStart >= 0) {
      this.pending.push(Buffer.from(d.subarray(this.unitStart)));
      this.unitStart = 0;
    }
  }

  /** The list's members other than `items`; throws when the response ended early. */
  end(): ListEnvelope {
    if (!this.done) throw new Error("list response ended before its end");
    return JSON.parse(`{${this.members.join(",")}}`) as ListEnvelope;
  }

  /** The bytes of the unit in progress up to `end` of the current chunk. */
  private unit(d: Buffer, end: number): { buf: Buffer; from: number } {
    if (this.pending.length === 0) return { buf: d, from: this.unitStart };
    const buf = Buffer.concat([...this.pending, d.subarray(0, end)]);
    this.pending = [];
    return { buf, from: 0 };
  }

  /** The key string (of a top-level member) closed at `end`. */
  private endKey(d: Buffer, end: number): void {
    this.inKey = false;
    if (this.pending.length === 0) this.key = d.toString("latin1", this.unitStart + 1, end);
    else this.key = Buffer.concat([...this.pending, d.subarray(0, end)]).toString("latin1", 1);
    if (this.key === "items") {
      // The items array is not kept as a unit: each item is.
      this.pending = [];
      this.unitStart = -1;
    }
  }

  private item(d: Buffer, end: number): void {
    const { buf, from } = this.unit(d, end);
    const to = buf === d ? end : buf.length;
    this.unitStart = -1;
    const text = this.dropManagedFields ? textWithoutManagedFields(buf, from, to, false) : buf.toString("utf8", from, to);
    this.onItem(JSON.parse(text) as T);
  }

  /** A top-level member ended at `end` (its comma or the list's closing brace). */
  private endMember(d: Buffer, end: number): void {
    if (this.inMember && this.key !== "items") {
      const { buf, from } = this.unit(d, end);
      this.members.push(buf.toString("utf8", from, buf === d ? end : buf.length));
    }
    this.inMember = false;
    this.unitStart = -1;
    this.key = "";
  }
}
