/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

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
