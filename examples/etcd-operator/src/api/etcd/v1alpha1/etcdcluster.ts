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

import { defineKind, type Condition, type Int64, type ObjectMeta } from "tsop/types";

// TODO(user): describe the desired state in EtcdClusterSpec and the observed state in EtcdClusterStatus,
// then run `tsop manifests` to regenerate the CRD. JSDoc tags (@minimum, @maxLength, @default,
// @pattern, @validation, ...) become OpenAPI validation in the CRD.

/** EtcdClusterSpec defines the desired state of EtcdCluster. */
export interface EtcdClusterSpec {
  /**
   * An example field of EtcdCluster; replace it with your own.
   * @maxLength 253
   */
  foo?: string;
}

/** EtcdClusterStatus defines the observed state of EtcdCluster. */
export interface EtcdClusterStatus {
  /**
   * The latest observations of the EtcdCluster's state. Common types: "Available" (the resource is
   * fully functional), "Progressing" (it is being created or updated) and "Degraded" (it failed to
   * reach or keep its desired state).
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  /** The .metadata.generation this status was computed from. */
  observedGeneration?: Int64;
}

/**
 * EtcdCluster is the Schema for the etcdclusters API.
 * @scope Namespaced
 * @plural etcdclusters
 * @subresource status
 */
export interface EtcdCluster {
  apiVersion?: "etcd.example.com/v1alpha1";
  kind?: "EtcdCluster";
  metadata?: ObjectMeta;
  spec?: EtcdClusterSpec;
  status?: EtcdClusterStatus;
}

/** The runtime descriptor of EtcdCluster: what the client needs to address it on the apiserver. */
export const EtcdCluster = defineKind<EtcdCluster>({
  group: "etcd.example.com",
  version: "v1alpha1",
  kind: "EtcdCluster",
  plural: "etcdclusters",
  namespaced: true,
});
