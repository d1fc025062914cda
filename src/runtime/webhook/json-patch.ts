/**
 * An RFC 6902 JSON patch that turns one JSON value into another (what a mutating webhook answers).
 * Objects are diffed member by member; arrays that differ are replaced whole (always correct, and
 * defaulting rarely reorders lists).
 * @module
 */

/** One operation of an RFC 6902 patch. */
export type JsonPatchOp =
  | { op: "add"; path: string; value: unknown }
  | { op: "replace"; path: string; value: unknown }
  | { op: "remove"; path: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 6901: `~` becomes `~0`, `/` becomes `~1`. */
const escape = (key: string): string => key.replaceAll("~", "~0").replaceAll("/", "~1");

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The operations that turn `from` into `to`; empty when they are equal. Members set to `undefined` count as absent. */
export function createJsonPatch(from: unknown, to: unknown, path = ""): JsonPatchOp[] {
  if (jsonEqual(from, to)) return [];
  if (!isObject(from) || !isObject(to)) return [{ op: "replace", path, value: to }];
  const ops: JsonPatchOp[] = [];
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && to[key] === undefined) ops.push({ op: "remove", path: `${path}/${escape(key)}` });
  }
  for (const key of Object.keys(to)) {
    const next = to[key];
    if (next === undefined) continue;
    const p = `${path}/${escape(key)}`;
    if (from[key] === undefined) ops.push({ op: "add", path: p, value: next });
    else ops.push(...createJsonPatch(from[key], next, p));
  }
  return ops;
}

/** Applies a patch made by {@link createJsonPatch} (add/replace/remove on object members and the root). For tests and fakes. */
export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOp[]): unknown {
  let root = structuredClone(doc);
  for (const op of ops) {
    if (op.path === "") {
      root = op.op === "remove" ? undefined : structuredClone(op.value);
      continue;
    }
    const keys = op.path.slice(1).split("/").map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = keys.pop() as string;
    let parent = root as Record<string, unknown>;
    for (const k of keys) parent = parent[k] as Record<string, unknown>;
    if (op.op === "remove") delete parent[last];
    else parent[last] = structuredClone(op.value);
  }
  return root;
}
