/**
 * tsop/types: the types a custom resource's spec and status are written with, plus `defineKind`,
 * the one runtime value an API file exports so the runtime knows a kind's group, version and plural.
 * Nothing here imports anything: an operator bundle pays only for what it uses.
 * @module
 */

/** A 32-bit integer: schema `type: integer, format: int32`. */
export type Int32 = number;
/** A 64-bit integer: schema `type: integer, format: int64`. */
export type Int64 = number;
/** An integer with no format (Go's `int`). */
export type Int = number;
/** An integer or a string, like intstr.IntOrString: `x-kubernetes-int-or-string: true`. */
export type IntOrString = number | string;
/** A resource quantity such as `500m` or `1Gi` (resource.Quantity). */
export type Quantity = string | number;
/** An RFC 3339 timestamp (metav1.Time): `type: string, format: date-time`. */
export type DateTime = string;
/** A duration such as `1h30m` (metav1.Duration): `type: string`. */
export type Duration = string;
/** Base64-encoded bytes: `type: string, format: byte`. */
export type Bytes = string;

/** An owner of an object (metav1.OwnerReference). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Standard object metadata (metav1.ObjectMeta), the fields an operator reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: Int64;
  creationTimestamp?: DateTime;
  deletionTimestamp?: DateTime;
  deletionGracePeriodSeconds?: Int64;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/** A status condition (metav1.Condition), with apimachinery's semantics. */
export interface Condition {
  /** Type of condition in CamelCase, e.g. `Available`. */
  type: string;
  /** `True`, `False` or `Unknown`. */
  status: "True" | "False" | "Unknown";
  /** The .metadata.generation the condition was set from. */
  observedGeneration?: Int64;
  /** When the status last changed. */
  lastTransitionTime: DateTime;
  /** A CamelCase reason for the last transition. */
  reason: string;
  /** A human-readable message about the transition. */
  message: string;
}

/** Anything with Kubernetes object shape. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** What the runtime needs to know about a kind to talk to the apiserver about it. */
export interface KindDescriptor<T extends KubeObject = KubeObject> {
  /** API group, `""` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural resource name used in URLs. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** `group/version`, or just `version` for the core group. */
  readonly apiVersion: string;
  /** Type-level marker only; never set at runtime. */
  readonly __object?: T;
}

/**
 * Declares a kind for the runtime. An API file exports it under the same name as the interface:
 * `export const Memcached = defineKind<Memcached>({ group: "cache.example.com", version: "v1alpha1",
 * kind: "Memcached", plural: "memcacheds", namespaced: true })`.
 */
export function defineKind<T extends KubeObject>(d: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}): KindDescriptor<T> {
  return Object.freeze({ ...d, apiVersion: d.group ? `${d.group}/${d.version}` : d.version });
}
