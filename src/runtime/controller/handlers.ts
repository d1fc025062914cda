/**
 * Event handlers: how an informer event on some kind becomes reconcile requests for a controller.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import type { InformerEvent } from "../cache/types.js";
import type { Request } from "../reconcile/types.js";
import { groupOf } from "../internal/objects.js";

/** Maps one informer event to the requests it enqueues. */
export type EventHandler<T extends KubeObject = KubeObject> = (event: InformerEvent<T>) => Request[];

/** A user map function for `watches`: the requests an object of another kind should trigger. */
export type MapFunc<T extends KubeObject = KubeObject> = (obj: T) => Request[];

function requestFor(obj: KubeObject): Request[] {
  const m = obj.metadata;
  if (!m?.name) return [];
  return [m.namespace ? { namespace: m.namespace, name: m.name } : { name: m.name }];
}

/** Enqueues the object itself (the `for` kind). */
export function enqueueForObject<T extends KubeObject>(): EventHandler<T> {
  return (e) => requestFor(e.object);
}

/**
 * Enqueues the owner of type `owner` named by the object's owner references: only the controller
 * reference unless `onlyController` is false. Group and kind must match; the version may differ.
 * On updates, owners of both the old and the new object are enqueued (an owner that let go hears).
 */
export function enqueueForOwner<T extends KubeObject>(owner: KindDescriptor, opts: { onlyController?: boolean } = {}): EventHandler<T> {
  const onlyController = opts.onlyController ?? true;
  const ownersOf = (obj: KubeObject, out: Request[]): void => {
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      if (onlyController && ref.controller !== true) continue;
      if (ref.kind !== owner.kind || groupOf(ref.apiVersion) !== owner.group) continue;
      const ns = owner.namespaced ? obj.metadata?.namespace : undefined;
      out.push(ns ? { namespace: ns, name: ref.name } : { name: ref.name });
    }
  };
  return (e) => {
    const out: Request[] = [];
    ownersOf(e.object, out);
    if (e.type === "update") ownersOf(e.old, out);
    return out;
  };
}

/** Enqueues what a user map function returns; on updates, for both the old and new object. */
export function enqueueFromMap<T extends KubeObject>(map: MapFunc<T>): EventHandler<T> {
  return (e) => (e.type === "update" ? [...map(e.old), ...map(e.object)] : map(e.object));
}

/** The queue key of a request: `namespace/name`, or `name` when cluster-scoped. */
export function requestKey(req: Request): string {
  return req.namespace ? `${req.namespace}/${req.name}` : req.name;
}

/** The request of a queue key made by {@link requestKey}. */
export function parseRequestKey(key: string): Request {
  const i = key.indexOf("/");
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
