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
export async function* parseWatchStream<T extends KubeObject>(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<WatchEvent<T>> {
  let partial: Buffer[] = [];
  for await (const chunk of chunks) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      let line: string;
      if (partial.length === 0) line = buf.toString("utf8", start, nl);
      else {
        partial.push(buf.subarray(start, nl));
        line = Buffer.concat(partial).toString("utf8");
        partial = [];
      }
      start = nl + 1;
      const event = parseLine<T>(line);
      if (event) yield event;
    }
    if (start < buf.length) partial.push(buf.subarray(start));
  }
  const last = parseLine<T>(Buffer.concat(partial).toString("utf8"));
  if (last) yield last;
}

const NEWLINE = 0x0a;

function parseLine<T extends KubeObject>(line: string): WatchEvent<T> | undefined {
  return line.trim() === "" ? undefined : (JSON.parse(line) as WatchEvent<T>);
}
