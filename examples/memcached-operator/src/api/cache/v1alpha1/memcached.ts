import { defineKind, type Condition, type Int32, type Int64, type ObjectMeta } from "tsop/types";

/** MemcachedSpec defines the desired state of Memcached. */
export interface MemcachedSpec {
  /**
   * Number of memcached pods.
   * @minimum 1
   * @maximum 5
   */
  size: Int32;
  /**
   * Container image of memcached.
   * @default "memcached:1.6"
   */
  image?: string;
  /** Port memcached listens on. */
  containerPort?: Int32;
}

/** MemcachedStatus defines the observed state of Memcached. */
export interface MemcachedStatus {
  /**
   * Conditions: Available, Progressing, Degraded.
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  /** The .metadata.generation the status was computed from. */
  observedGeneration?: Int64;
}

/**
 * Memcached is the Schema for the memcacheds API.
 * @scope Namespaced
 * @subresource status
 */
export interface Memcached {
  apiVersion?: "cache.example.com/v1alpha1";
  kind?: "Memcached";
  metadata?: ObjectMeta;
  spec?: MemcachedSpec;
  status?: MemcachedStatus;
}

export const Memcached = defineKind<Memcached>({
  group: "cache.example.com",
  version: "v1alpha1",
  kind: "Memcached",
  plural: "memcacheds",
  namespaced: true,
});
