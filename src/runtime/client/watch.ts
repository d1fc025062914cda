/**
 * Watch events: the newline-delimited JSON stream of a `?watch=true` request, parsed once per
 * event into a discriminated union.
 * @module
 */
import type { KubeObject } from "../../types/index.js";
import type { Status } from "./errors.js";

/**
 * One event of a watch stream.
 * - `ADDED` / `MODIFIED` / `DELETED`: `object` is the object after (or at) the change.
 * - `BOOKMARK`: only `object.metadata.resourceVersion` is meaningful: resume from there.
 * - `ERROR`: `object` is a Status (a 410 Expired means "relist").
 */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T }
  | { type: "BOOKMARK"; object: KubeObject }
  | { type: "ERROR"; object: Status };

/**
 * Splits byte chunks into lines and parses each complete line as one JSON event. Lines are cut on
 * the newline byte (never part of a multi-byte UTF-8 character) and only each line is decoded, so
 * no string of the whole stream or of several events is built; the bytes of a partial line wait
 * for its newline. Blank lines are skipped.
 */
export async function* parseWatchStream<T extends KubeObject>(chunks: AsyncIterable<Buffer | string>, opts: ParseWatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
  const text = opts.dropManagedFields ? textWithoutManagedFields : (b: Buffer, from: number, to: number): string => b.toString("utf8", from, to);
  let partial: Buffer[] = [];
  for await (const chunk of chunks) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      let line: string;
      if (partial.length === 0) line = text(buf, start, nl);
      else {
        partial.push(buf.subarray(start, nl));
        const whole = Buffer.concat(partial);
        line = text(whole, 0, whole.length);
        partial = [];
      }
      start = nl + 1;
      const event = parseLine<T>(line);
      if (event) yield event;
    }
    if (start < buf.length) partial.push(buf.subarray(start));
  }
  const whole = Buffer.concat(partial);
  const last = parseLine<T>(text(whole, 0, whole.length));
  if (last) yield last;
}

/** Options of {@link parseWatchStream}. */
export interface ParseWatchOptions {
  /**
   * Leave the event object's `metadata.managedFields` out before parsing (for a cache whose
   * transform strips them anyway): on Deployments they are about 40% of the bytes and most of
   * the small objects, so JSON.parse does roughly half the work. Default: false.
   */
  dropManagedFields?: boolean;
}

// JSON's structural bytes, for the scans here and in list-stream.ts.
const NEWLINE = 0x0a;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
const MANAGED_FIELDS = Buffer.from('"managedFields":[');

/**
 * The text of `buf[from, to)` (one watch event, or with `inEvent` false one object) without the
 * `"managedFields":[...]` member of the object's `metadata` (and one comma beside it). Only a
 * member at exactly that path is cut, found by scanning the JSON structure (strings, nesting) in
 * front of it; anything unexpected leaves the text whole, so the result always parses to the same
 * value minus that member.
 */
export function textWithoutManagedFields(buf: Buffer, from: number, to: number, inEvent = true): string {
  let at = buf.indexOf(MANAGED_FIELDS, from);
  // The same key elsewhere (a custom resource's spec, in front of metadata) is passed over.
  while (at >= 0 && at < to && !atMetadataMember(buf, from, at, inEvent)) at = buf.indexOf(MANAGED_FIELDS, at + 1);
  if (at < 0 || at >= to) return buf.toString("utf8", from, to);
  const valueEnd = skipValue(buf, at + MANAGED_FIELDS.length - 1, to);
  if (valueEnd < 0) return buf.toString("utf8", from, to);
  let cutFrom = at;
  let cutTo = valueEnd;
  if (buf[at - 1] === COMMA) cutFrom = at - 1;
  else if (buf[valueEnd] === COMMA) cutTo = valueEnd + 1;
  return buf.toString("utf8", from, cutFrom) + buf.toString("utf8", cutTo, to);
}

/** True when the key starting at `at` is a member of the event's `object.metadata` (or, not `inEvent`, of the object's `metadata`). */
function atMetadataMember(buf: Buffer, from: number, at: number, inEvent: boolean): boolean {
  const base = inEvent ? 1 : 0;
  // What opened each enclosing value, innermost last: OTHER, or the member "object" of the event,
  // or the member "metadata" of that; the event itself is OTHER too.
  const path: number[] = [];
  let lastKey = OTHER;
  for (let i = from; i < at; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      const start = i + 1;
      // A plain byte loop: most strings are short, where it beats a native search per string.
      for (i++; i < at; i++) {
        const d = buf[i];
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (i >= at) return false;
      if (buf[i + 1] === COLON) {
        const depth = path.length;
        if (inEvent && depth === 1 && equalBytes(buf, start, i, OBJECT)) lastKey = IN_OBJECT;
        else if (depth === base + 1 && (!inEvent || path[1] === IN_OBJECT) && equalBytes(buf, start, i, METADATA)) lastKey = IN_METADATA;
        else lastKey = OTHER;
      }
    } else if (c === OPEN_OBJECT) {
      path.push(lastKey);
      lastKey = OTHER;
    } else if (c === OPEN_ARRAY) {
      path.push(OTHER);
      lastKey = OTHER;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) path.pop();
  }
  return path.length === base + 2 && path[base + 1] === IN_METADATA;
}

const OTHER = 0;
const IN_OBJECT = 1;
const IN_METADATA = 2;
const OBJECT = Buffer.from("object");
const METADATA = Buffer.from("metadata");

function equalBytes(buf: Buffer, start: number, end: number, word: Buffer): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[start + k] !== word[k]) return false;
  return true;
}

/** The index just past the array or object opened at `open`, or -1 if it does not end before `limit`. */
function skipValue(buf: Buffer, open: number, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < limit; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

function parseLine<T extends KubeObject>(line: string): WatchEvent<T> | undefined {
  return line.trim() === "" ? undefined : (JSON.parse(line) as WatchEvent<T>);
}
