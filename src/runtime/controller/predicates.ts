/**
 * Event filters for controllers: which informer events may enqueue a reconcile.
 * @module
 */
import type { KubeObject } from "../../types/index.js";
import type { InformerEvent } from "../cache/types.js";

/** Decides whether an informer event may enqueue anything. */
export type Predicate<T extends KubeObject = KubeObject> = (event: InformerEvent<T>) => boolean;

function onUpdate<T extends KubeObject>(changed: (old: T, cur: T) => boolean): Predicate<T> {
  return (e) => e.type !== "update" || changed(e.old, e.object);
}

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (a?.[k] !== b?.[k]) return false;
  return true;
}

/** Passes updates that change `metadata.generation` (spec changes); adds and deletes pass. */
export const generationChanged: Predicate = onUpdate((o, n) => o.metadata?.generation !== n.metadata?.generation);

/** Passes updates that change labels; adds and deletes pass. */
export const labelsChanged: Predicate = onUpdate((o, n) => !sameRecord(o.metadata?.labels, n.metadata?.labels));

/** Passes updates that change annotations; adds and deletes pass. */
export const annotationsChanged: Predicate = onUpdate((o, n) => !sameRecord(o.metadata?.annotations, n.metadata?.annotations));

/** Passes updates that change `metadata.resourceVersion` (drops resync no-ops); adds and deletes pass. */
export const resourceVersionChanged: Predicate = onUpdate((o, n) => o.metadata?.resourceVersion !== n.metadata?.resourceVersion);

/**
 * A predicate from per-event-type functions; a missing function passes its events.
 * @example predicate({ delete: () => false })  // ignore deletes
 */
export function predicate<T extends KubeObject = KubeObject>(fns: {
  add?: (obj: T) => boolean;
  update?: (old: T, obj: T) => boolean;
  delete?: (obj: T) => boolean;
}): Predicate<T> {
  return (e) => {
    switch (e.type) {
      case "add":
        return fns.add ? fns.add(e.object) : true;
      case "update":
        return fns.update ? fns.update(e.old, e.object) : true;
      case "delete":
        return fns.delete ? fns.delete(e.object) : true;
    }
  };
}

/** Passes when every predicate passes. */
export function and<T extends KubeObject = KubeObject>(...ps: Predicate<T>[]): Predicate<T> {
  return (e) => ps.every((p) => p(e));
}

/** Passes when any predicate passes. */
export function or<T extends KubeObject = KubeObject>(...ps: Predicate<T>[]): Predicate<T> {
  return (e) => ps.some((p) => p(e));
}

/** Passes when `p` does not. */
export function not<T extends KubeObject = KubeObject>(p: Predicate<T>): Predicate<T> {
  return (e) => !p(e);
}
