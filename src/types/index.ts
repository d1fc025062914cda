/**
 * tsop/types: the types a custom resource's spec and status are written with, plus `defineKind`,
 * the one runtime value an API file exports so the runtime knows a kind's group, version and plural.
 * Nothing here imports anything: an operator bundle pays only for what it uses.
 * @module
 */

export type { Int32, Int64, Int, IntOrString, Quantity, DateTime, Duration, Bytes } from "./scalars.js";
import type { Int64, DateTime } from "./scalars.js";
import type { OwnerReference } from "./core.js";
export type {
  OwnerReference, Condition, LabelSelector, LabelSelectorRequirement, PodTemplateSpec, PodSpec, Container,
  ContainerPort, EnvVar, EnvVarSource, EnvFromSource, SecretKeySelector, ConfigMapKeySelector, ObjectFieldSelector,
  ResourceRequirements, ResourceClaim, Toleration, Affinity, NodeAffinity, PodAffinity, PodAntiAffinity, NodeSelector,
  Volume, VolumeMount, LocalObjectReference, ObjectReference, TypedLocalObjectReference, SecurityContext,
  PodSecurityContext, Capabilities, Probe, Lifecycle, ServicePort, PersistentVolumeClaimSpec,
  PersistentVolumeClaimTemplate, TopologySpreadConstraint, SecretReference, ConfigMapVolumeSource, SecretVolumeSource,
  KeyToPath, HostAlias, PodDNSConfig, ResourceList, JobTemplateSpec, JobSpec, DeploymentStrategy,
} from "./core.js";

/** Standard object metadata (metav1.ObjectMeta), the fields an operator reads and writes. */
export interface ObjectMeta {
  /** Unique within a namespace (or the cluster, for cluster-scoped kinds). */
  name?: string;
  /** Prefix the apiserver completes into a unique `name` on create when `name` is empty. */
  generateName?: string;
  /** Empty for cluster-scoped objects. */
  namespace?: string;
  /** Set by the apiserver; differs between an object and a re-created one of the same name. */
  uid?: string;
  /** Opaque version for optimistic concurrency and watches; send back what you read. */
  resourceVersion?: string;
  /** Incremented by the apiserver on every change of the desired state (spec). */
  generation?: Int64;
  /** Set by the apiserver on create. */
  creationTimestamp?: DateTime;
  /** Set when deletion was requested; the object stays while finalizers remain. */
  deletionTimestamp?: DateTime;
  /** Seconds the object may take to go after `deletionTimestamp`. */
  deletionGracePeriodSeconds?: Int64;
  /** Key/value pairs for selection (label selectors). */
  labels?: Record<string, string>;
  /** Key/value pairs for tools and humans; not selectable. */
  annotations?: Record<string, string>;
  /** Objects this one depends on; the controller reference drives garbage collection and `owns()`. */
  ownerReferences?: OwnerReference[];
  /** Keys that must be removed before the object is deleted. */
  finalizers?: string[];
  /** Server-side apply field ownership; the cache drops it by default. */
  managedFields?: unknown[];
}

/** Anything with Kubernetes object shape. */
export interface KubeObject {
  /** `group/version`, or `v1` for the core group. */
  apiVersion?: string;
  /** The kind, e.g. `Deployment`. */
  kind?: string;
  /** Name, namespace, labels and the rest of the standard metadata. */
  metadata?: ObjectMeta;
}

/** What the runtime needs to know about a kind to talk to the apiserver about it. */
export interface KindDescriptor<T extends KubeObject = KubeObject> {
  /** API group, `""` for the core group. */
  readonly group: string;
  /** API version, e.g. `v1alpha1`. */
  readonly version: string;
  /** The kind, e.g. `Memcached`. */
  readonly kind: string;
  /** Lower-case plural resource name used in URLs. */
  readonly plural: string;
  /** True for namespaced kinds, false for cluster-scoped ones. */
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
