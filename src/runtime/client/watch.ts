/**
 * Watch events: the newline-delimited JSON stream of a `?watch=true` request, parsed once per
 * event into a discriminated union.
 * @module
 */
import { StringDecoder } from "node:string_decoder";
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
 * Splits byte chunks into lines and parses each complete line as one JSON event. Partial lines are
 * kept until their newline arrives; blank lines are skipped.
 */
export async function* parseWatchStream<T extends KubeObject>(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<WatchEvent<T>> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
    let start = 0;
    let nl = pending.indexOf("\n", start);
    while (nl >= 0) {
      const line = pending.slice(start, nl);
      start = nl + 1;
      if (line.trim() !== "") yield JSON.parse(line) as WatchEvent<T>;
      nl = pending.indexOf("\n", start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending.trim() !== "") yield JSON.parse(pending) as WatchEvent<T>;
}
