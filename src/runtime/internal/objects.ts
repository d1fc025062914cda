/** Small helpers over Kubernetes objects: store keys, resourceVersion comparison, deep freeze, compaction, transforms. */
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

/** String fields whose values are unique per object or per change: sharing them saves nothing. */
const UNSHARED_FIELDS = new Set(["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastUpdateTime", "lastProbeTime",
  "lastHeartbeatTime", "lastScheduleTime", "lastSuccessfulTime", "startTime", "completionTime", "time", "firstTimestamp", "lastTimestamp", "eventTime", "continue"]);
/** Longer strings (messages, certificates, scripts) are rarely repeated verbatim. */
const MAX_SHARED_LENGTH = 64;
/** The table starts over past this many distinct strings, so odd data cannot grow it without bound. */
const MAX_SHARED_STRINGS = 50_000;
let sharedStrings = new Map<string, string>();

/** One copy of a short string for every cached object that holds it (JSON.parse makes a copy per occurrence). */
function shared(s: string): string {
  const have = sharedStrings.get(s);
  if (have !== undefined) return have;
  if (sharedStrings.size >= MAX_SHARED_STRINGS) sharedStrings = new Map();
  sharedStrings.set(s, s);
  return s;
}

/**
 * Freezes an object graph in place, like {@link deepFreeze}, and on the way replaces short string
 * values by one shared copy (namespaces, names, label keys and values, apiVersions, image names,
 * condition reasons, ... repeat across cached objects; uids, resourceVersions and timestamps are
 * left alone). One walk for both; returns the value.
 */
export function compactFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === "string") {
        if (v.length <= MAX_SHARED_LENGTH) value[i] = shared(v);
      } else compactFreeze(v);
    }
  } else {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === "string") {
        if (v.length <= MAX_SHARED_LENGTH && !UNSHARED_FIELDS.has(k)) o[k] = shared(v);
      } else compactFreeze(v);
    }
  }
  return Object.freeze(value);
}

/** For tests: the shared-string table as it is now. */
export const internalForTests = { sharedStrings: (): ReadonlyMap<string, string> => sharedStrings };

/** The default transform: drops metadata.managedFields (about a third of a cached object's memory). */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
