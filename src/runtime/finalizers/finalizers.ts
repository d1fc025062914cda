/**
 * Finalizers: local add/remove helpers that report whether they changed anything, and API helpers
 * that patch with optimistic concurrency and retry on conflict.
 *
 * Flow: add the finalizer before creating anything external; when `deletionTimestamp` is set, clean
 * up, then remove it. Guarantees: the object stays until every finalizer is gone.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { isConflict, isNotFound } from "../client/errors.js";
import type { Client } from "../client/types.js";

/** True when `obj` has finalizer `name`. */
export function hasFinalizer(obj: KubeObject, name: string): boolean {
  return obj.metadata?.finalizers?.includes(name) ?? false;
}

/** Adds `name` to `obj`'s finalizers (copy-on-write of `metadata`). @returns whether it changed. */
export function addFinalizer(obj: KubeObject, name: string): boolean {
  if (hasFinalizer(obj, name)) return false;
  obj.metadata = { ...obj.metadata, finalizers: [...(obj.metadata?.finalizers ?? []), name] };
  return true;
}

/** Removes `name` from `obj`'s finalizers (copy-on-write of `metadata`). @returns whether it changed. */
export function removeFinalizer(obj: KubeObject, name: string): boolean {
  if (!hasFinalizer(obj, name)) return false;
  obj.metadata = { ...obj.metadata, finalizers: (obj.metadata?.finalizers ?? []).filter((f) => f !== name) };
  return true;
}

/** Options of the API finalizer helpers. */
export interface FinalizerPatchOptions {
  /** Attempts before giving up on conflicts. Default: 5. */
  attempts?: number;
}

async function patchFinalizers<T extends KubeObject>(
  client: Client,
  kind: KindDescriptor<T>,
  obj: T,
  edit: (o: T) => boolean,
  opts: FinalizerPatchOptions,
): Promise<T | undefined> {
  let current: T = obj;
  const attempts = opts.attempts ?? 5;
  for (let i = 1; ; i++) {
    const copy = { ...current };
    if (!edit(copy)) return current;
    const m = current.metadata ?? {};
    const patch = { metadata: { finalizers: copy.metadata?.finalizers ?? [], resourceVersion: m.resourceVersion } };
    try {
      return await client.patch(kind, m.name ?? "", patch, { ...(m.namespace ? { namespace: m.namespace } : {}), type: "merge" });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (!isConflict(err) || i >= attempts) throw err;
      try {
        current = await client.direct.get(kind, m.name ?? "", m.namespace ? { namespace: m.namespace } : {});
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    }
  }
}

/**
 * Makes sure `obj` has finalizer `name` on the server: no request when it already has it, else a
 * merge patch guarded by resourceVersion, re-reading and retrying on 409.
 * @returns the object as written (or as given when unchanged); `undefined` when it no longer exists.
 */
export function ensureFinalizer<T extends KubeObject>(client: Client, kind: KindDescriptor<T>, obj: T, name: string, opts: FinalizerPatchOptions = {}): Promise<T | undefined> {
  return patchFinalizers(client, kind, obj, (o) => addFinalizer(o, name), opts);
}

/**
 * Removes finalizer `name` on the server (guarded by resourceVersion, retried on 409); no request when
 * it is absent. @returns the object as written; `undefined` when it no longer exists.
 */
export function removeFinalizerAndUpdate<T extends KubeObject>(client: Client, kind: KindDescriptor<T>, obj: T, name: string, opts: FinalizerPatchOptions = {}): Promise<T | undefined> {
  return patchFinalizers(client, kind, obj, (o) => removeFinalizer(o, name), opts);
}
