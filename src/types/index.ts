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
