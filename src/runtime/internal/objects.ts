/** Small helpers over Kubernetes objects: store keys, resourceVersion comparison, deep freeze, transforms. */
import type { KubeObject } from "../../types/index.js";

/** `namespace/name`, or `name` for cluster-scoped objects (client-go's MetaNamespaceKey). */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? "";
  return ns ? `${ns}/${name}` : name;
}

/** The group of an `apiVersion`: `apps` for `apps/v1`, `""` for the core group's `v1`. */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? "" : apiVersion.slice(0, i);
}

/** The key for a namespace and name. */
export function keyOf(name: string, namespace?: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * Compares resourceVersions: positive when `a` is newer. RVs are opaque; they are compared only
 * when both are decimal integers (as on etcd); otherwise undefined ("unknown order").
 */
export function compareResourceVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Freezes an object graph in place and returns it (cached objects are shared, never mutated). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The default transform: drops metadata.managedFields (about a third of a cached object's memory). */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
